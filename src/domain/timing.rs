//! The clocks an article runs on besides its publication: until when it is
//! breaking news, and when it leaves the site.

use std::marker::PhantomData;

use chrono::{DateTime, Duration, Utc};

use super::ArticleStatus;
use super::field::FieldError;

/// How far ahead a clock may be set.
pub trait Horizon {
    /// In hours…
    const MAX_HOURS: i64;
    /// …and as a refusal says it.
    const TEXT: &'static str;
}

/// A time on one of an article's clocks: in the future, within its horizon.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClockTime<H>(DateTime<Utc>, PhantomData<H>);

impl<H: Horizon> ClockTime<H> {
    pub fn parse(at: DateTime<Utc>, now: DateTime<Utc>, field: &str) -> Result<Self, FieldError> {
        if at <= now {
            return Err(FieldError::new(field, "must be in the future"));
        }
        if at > now + Duration::hours(H::MAX_HOURS) {
            return Err(FieldError::new(field, format!("must be within {}", H::TEXT)));
        }
        Ok(Self(at, PhantomData))
    }

    /// `at`, if given.
    pub fn given(
        at: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
        field: &str,
    ) -> Result<Option<Self>, FieldError> {
        at.map(|at| Self::parse(at, now, field)).transpose()
    }

    pub fn at(self) -> DateTime<Utc> {
        self.0
    }
}

/// A breaking-news window lasts hours, not for good; it can be moved on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Breaking;

impl Horizon for Breaking {
    const MAX_HOURS: i64 = 168;
    const TEXT: &'static str = "168 hours";
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Expiry;

impl Horizon for Expiry {
    const MAX_HOURS: i64 = 3_660 * 24;
    const TEXT: &'static str = "3660 days";
}

/// The end of a breaking-news window.
pub type BreakingUntil = ClockTime<Breaking>;
/// When an article leaves the site.
pub type ExpiryTime = ClockTime<Expiry>;

/// Whether a story is breaking news at `now`: public, inside its window.
pub fn is_breaking(status: ArticleStatus, until: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    status == ArticleStatus::Published && until.is_some_and(|until| until > now)
}

/// Whether a story going live at `live_at` would already be past its
/// expiry: an article cannot be published or scheduled into its own end.
pub fn expired_by(expires_at: Option<DateTime<Utc>>, live_at: DateTime<Utc>) -> bool {
    expires_at.is_some_and(|end| end <= live_at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_lie_ahead_and_are_bounded() {
        let now = Utc::now();
        assert!(BreakingUntil::parse(now + Duration::hours(6), now, "b").is_ok());
        assert_eq!(BreakingUntil::parse(now, now, "b").unwrap_err().field, "b");
        assert!(BreakingUntil::parse(now + Duration::hours(169), now, "b").is_err());
        assert!(ExpiryTime::parse(now + Duration::days(30), now, "e").is_ok());
        assert!(ExpiryTime::parse(now - Duration::seconds(1), now, "e").is_err());
        assert!(ExpiryTime::parse(now + Duration::days(3_661), now, "e").is_err());
    }

    #[test]
    fn only_public_stories_inside_their_window_are_breaking() {
        let now = Utc::now();
        let later = Some(now + Duration::hours(1));
        assert!(is_breaking(ArticleStatus::Published, later, now));
        assert!(!is_breaking(ArticleStatus::Draft, later, now));
        assert!(!is_breaking(ArticleStatus::Published, Some(now), now));
        assert!(!is_breaking(ArticleStatus::Published, None, now));
    }

    #[test]
    fn going_live_at_or_after_the_expiry_is_refused() {
        let now = Utc::now();
        assert!(expired_by(Some(now), now));
        assert!(!expired_by(Some(now + Duration::seconds(1)), now));
        assert!(!expired_by(None, now));
    }
}
