//! Webhooks: which events an endpoint hears of, where it is, the secret its
//! deliveries are signed with (Standard Webhooks), and when a failed
//! delivery is tried again.

use std::net::IpAddr;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::Duration;

use super::field::FieldError;
use super::vocabulary::vocabulary;

vocabulary! {
    /// What happened, as a webhook hears of it.
    pub enum WebhookEvent {
        /// An article went live (now or at its scheduled time).
        ArticlePublished = "article.published",
        /// A live article changed.
        ArticleUpdated = "article.updated",
        /// A live article left the site (back to draft, or archived).
        ArticleUnpublished = "article.unpublished",
        /// A live article was deleted.
        ArticleDeleted = "article.deleted",
        /// A reader commented on a live article.
        CommentCreated = "comment.created",
        /// A moderator hid a comment.
        CommentHidden = "comment.hidden",
    }
}

vocabulary! {
    /// Where one delivery of an event to an endpoint stands.
    pub enum DeliveryStatus {
        /// Waiting for its first or next attempt.
        Pending = "pending",
        /// The endpoint answered 2xx.
        Succeeded = "succeeded",
        /// Every attempt failed; no more will be made.
        Failed = "failed",
    }
}

/// How long after each failed attempt the next is made: the Standard
/// Webhooks schedule, eight attempts over about 27 hours.
pub const RETRY_DELAYS_SECS: [i64; 7] = [5, 5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600, 10 * 3600];

/// When to try again after `attempts` failed attempts; `None`: give up.
pub fn retry_after(attempts: i32) -> Option<Duration> {
    let index = usize::try_from(attempts).ok()?.checked_sub(1)?;
    RETRY_DELAYS_SECS.get(index).map(|secs| Duration::seconds(*secs))
}

/// The most endpoints a site may register: each event is written once per
/// subscribed endpoint, in the transaction of the change.
pub const MAX_WEBHOOKS: i64 = 50;

/// An endpoint's address: absolute http(s), at most 2,000 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookUrl(String);

impl WebhookUrl {
    pub fn parse(raw: &str, field: &str) -> Result<Self, FieldError> {
        let url = super::article::web_url(raw, field)?;
        if url
            .split("://")
            .nth(1)
            .is_some_and(|rest| rest.split(['/', '?', '#']).next().is_some_and(|h| h.contains('@')))
        {
            return Err(FieldError::new(field, "must not hold credentials"));
        }
        Ok(Self(url))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Whether an address is one a webhook may reach by default: on the public
/// internet, not loopback, private, link-local, shared (CGNAT),
/// multicast or unspecified, in IPv4 or IPv6 (IPv4-mapped included).
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || v4.is_documentation()
                || a == 0
                || (a == 100 && (64..128).contains(&b))
                || (a == 192 && b == 0 && v4.octets()[2] == 0)
                || (a == 198 && (18..20).contains(&b))
                || a >= 240)
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public(IpAddr::V4(v4));
            }
            let segments = v6.segments();
            // IPv4-compatible (`::a.b.c.d`) and NAT64 (`64:ff9b::/96`) carry an IPv4 address.
            let [.., high, low] = segments;
            let embedded = std::net::Ipv4Addr::from((u32::from(high) << 16) | u32::from(low));
            if segments[..6] == [0; 6] && !v6.is_loopback() && !v6.is_unspecified()
                || segments[..6] == [0x64, 0xff9b, 0, 0, 0, 0]
            {
                return is_public(IpAddr::V4(embedded));
            }
            let first = segments[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
                || first == 0x2001 && segments[1] == 0x0db8
                // 6to4 wraps an IPv4 address this check does not unwrap.
                || first == 0x2002)
        }
    }
}

/// A new signing secret as Standard Webhooks writes them: `whsec_` and 32
/// random bytes in base64.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::fill(&mut bytes);
    format!("whsec_{}", STANDARD.encode(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_follow_the_schedule_then_stop() {
        assert_eq!(retry_after(0), None);
        assert_eq!(retry_after(1), Some(Duration::seconds(5)));
        assert_eq!(retry_after(7), Some(Duration::hours(10)));
        assert_eq!(retry_after(8), None, "eight attempts in all");
        let total: i64 = RETRY_DELAYS_SECS.iter().sum();
        assert!((24 * 3600..30 * 3600).contains(&total), "about a day: {total}");
    }

    #[test]
    fn only_public_addresses_are_public() {
        for private in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fe80::1",
            "fd00::1",
            "::ffff:127.0.0.1",
            "224.0.0.1",
        ] {
            assert!(!is_public(private.parse().unwrap()), "{private}");
        }
        for public in ["93.184.216.34", "1.1.1.1", "2606:4700::1111"] {
            assert!(is_public(public.parse().unwrap()), "{public}");
        }
    }

    #[test]
    fn urls_are_web_addresses_without_credentials() {
        let url = |raw| WebhookUrl::parse(raw, "url");
        assert!(url("https://hooks.example.com/in").is_ok());
        assert!(url("http://[::1]:9/x").is_ok());
        assert!(url("ftp://x.org").is_err());
        assert!(url("https://user:pw@x.org/").is_err());
    }

    #[test]
    fn secrets_are_standard_webhooks_secrets() {
        let secret = new_secret();
        let key = secret.strip_prefix("whsec_").unwrap();
        assert_eq!(STANDARD.decode(key).unwrap().len(), 32);
        assert_ne!(new_secret(), secret);
    }
}
