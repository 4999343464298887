//! Abuse limits: per-IP on sign-in, sign-up and token refresh, per-user on
//! comment posting. In memory, per instance; a limit of 0 switches one off.

use std::hash::Hash;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};

use crate::domain::UserId;
use crate::error::{AppError, AppResult};

/// How many attempts each action allows, and per how long.
#[derive(Debug, Clone, Copy)]
pub struct LimitSettings {
    pub logins_per_minute: u32,
    pub registrations_per_hour: u32,
    pub refreshes_per_minute: u32,
    pub comments_per_minute: u32,
}

struct Limit<K: Hash + Eq + Clone> {
    limiter: DefaultKeyedRateLimiter<K>,
}

impl<K: Hash + Eq + Clone> Limit<K> {
    /// `None` (no limit) when `count` is 0.
    fn new(count: u32, quota: Quota) -> Option<Self> {
        (count > 0).then(|| Self { limiter: DefaultKeyedRateLimiter::keyed(quota) })
    }

    fn check(&self, key: &K) -> AppResult<()> {
        self.limiter.check_key(key).map_err(|not_until| {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            AppError::RateLimited { retry_after_secs: wait.as_secs().max(1) }
        })
    }
}

fn per_minute(count: u32) -> Quota {
    Quota::per_minute(NonZeroU32::new(count).unwrap_or(NonZeroU32::MIN))
}

fn per_hour(count: u32) -> Quota {
    Quota::per_hour(NonZeroU32::new(count).unwrap_or(NonZeroU32::MIN))
}

pub struct RateLimits {
    login: Option<Limit<IpAddr>>,
    register: Option<Limit<IpAddr>>,
    refresh: Option<Limit<IpAddr>>,
    comment: Option<Limit<UserId>>,
}

impl RateLimits {
    pub fn new(settings: LimitSettings) -> Self {
        Self {
            login: Limit::new(settings.logins_per_minute, per_minute(settings.logins_per_minute)),
            register: Limit::new(settings.registrations_per_hour, per_hour(settings.registrations_per_hour)),
            refresh: Limit::new(settings.refreshes_per_minute, per_minute(settings.refreshes_per_minute)),
            comment: Limit::new(settings.comments_per_minute, per_minute(settings.comments_per_minute)),
        }
    }

    pub fn login(&self, ip: IpAddr) -> AppResult<()> {
        self.login.as_ref().map_or(Ok(()), |l| l.check(&ip))
    }

    pub fn register(&self, ip: IpAddr) -> AppResult<()> {
        self.register.as_ref().map_or(Ok(()), |l| l.check(&ip))
    }

    pub fn refresh(&self, ip: IpAddr) -> AppResult<()> {
        self.refresh.as_ref().map_or(Ok(()), |l| l.check(&ip))
    }

    pub fn comment(&self, user: UserId) -> AppResult<()> {
        self.comment.as_ref().map_or(Ok(()), |l| l.check(&user))
    }

    /// Forgets keys whose limits have fully recovered, so memory does not
    /// grow with every address ever seen.
    pub fn forget_idle(&self) {
        for limit in [&self.login, &self.register, &self.refresh].into_iter().flatten() {
            limit.limiter.retain_recent();
        }
        if let Some(limit) = &self.comment {
            limit.limiter.retain_recent();
        }
    }
}

/// How often idle keys are forgotten.
pub const FORGET_EVERY: Duration = Duration::from_secs(60);

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(n: u32) -> RateLimits {
        RateLimits::new(LimitSettings {
            logins_per_minute: n,
            registrations_per_hour: n,
            refreshes_per_minute: n,
            comments_per_minute: n,
        })
    }

    #[test]
    fn refuses_past_the_limit_with_a_retry_time() {
        let limits = limits(3);
        let ip: IpAddr = "192.0.2.1".parse().unwrap();
        for _ in 0..3 {
            limits.login(ip).unwrap();
        }
        let AppError::RateLimited { retry_after_secs } = limits.login(ip).unwrap_err() else { panic!() };
        assert!((1..=60).contains(&retry_after_secs));
        // Another address, and another action, are not affected.
        limits.login("192.0.2.2".parse().unwrap()).unwrap();
        limits.register(ip).unwrap();
    }

    #[test]
    fn zero_switches_a_limit_off() {
        let limits = limits(0);
        let user = UserId::generate();
        for _ in 0..1000 {
            limits.comment(user).unwrap();
        }
    }
}
