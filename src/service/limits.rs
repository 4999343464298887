//! Abuse limits: per address on sign-in, sign-up and token refresh, per
//! account on comment posting; a limit of 0 switches one off.
//!
//! The state lives in the database (`rate_limits`), so a limit holds across
//! every instance sharing it: behind a load balancer, an attacker spreading
//! guesses over instances gets no more of them. The database, because every
//! instance already has it; a second shared store (Redis) would be one more
//! thing to run, secure and lose. Each attempt costs one upsert (on
//! PostgreSQL into an unlogged table: no flushed commit), beside the
//! password hash or the comment insert it guards.
//!
//! Each limit is a cell rate (GCRA, as in `governor`): the whole allowance
//! may be used at once, and it comes back evenly (three a minute: one every
//! twenty seconds), with no window edge at which twice the limit gets
//! through. `RateLimit-Remaining` says what is left now, `RateLimit-Reset`
//! when all of it is back.

use std::cell::Cell;
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::Duration;

use super::Services;
use crate::db::repo::limits::{self as repo, Attempt, Counted};
use crate::domain::UserId;
use crate::domain::time::now;
use crate::error::{AppError, AppResult};

/// How many attempts each action allows, and per how long.
#[derive(Debug, Clone, Copy)]
pub struct LimitSettings {
    pub logins_per_minute: u32,
    pub registrations_per_hour: u32,
    pub refreshes_per_minute: u32,
    pub comments_per_minute: u32,
}

/// What a limited request was allowed, for its `RateLimit-*` headers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Allowance {
    /// Attempts the window allows.
    pub limit: u32,
    /// Attempts left in it after this one.
    pub remaining: u32,
    /// Seconds until the window ends and the count starts again.
    pub reset_secs: u64,
}

/// One action's limit.
#[derive(Debug, Clone, Copy)]
struct Rule {
    /// The action's name in the counter's key.
    action: &'static str,
    limit: u32,
    period_ms: i64,
}

impl Rule {
    /// `None` (no limit) when `limit` is 0.
    fn new(action: &'static str, limit: u32, period: Duration) -> Option<Self> {
        let period_ms = i64::try_from(period.as_millis()).unwrap_or(i64::MAX);
        (limit > 0).then_some(Self { action, limit, period_ms })
    }

    /// An attempt at `at_ms` under this rule: `limit` at once, then one
    /// every `period / limit` (rounded down, so never fewer than `limit`
    /// in a period, and never more at once).
    fn attempt(&self, at_ms: i64) -> Attempt {
        let interval_ms = (self.period_ms / i64::from(self.limit)).max(1);
        Attempt { at_ms, interval_ms, burst_ms: (i64::from(self.limit) - 1) * interval_ms }
    }

    /// Allowed or refused, and what is left, given the key's state after
    /// the attempt at `at_ms` was counted.
    fn judge(&self, counted: &Counted, at_ms: i64) -> Result<Allowance, Refusal> {
        let Attempt { interval_ms, burst_ms, .. } = self.attempt(at_ms);
        let whole_in_ms = counted.tat_ms - at_ms;
        let reset_secs = seconds(whole_in_ms);
        if counted.allowed {
            let room_ms = burst_ms + interval_ms - whole_in_ms;
            let remaining = u32::try_from(room_ms / interval_ms).unwrap_or(0);
            Ok(Allowance { limit: self.limit, remaining: remaining.min(self.limit), reset_secs })
        } else {
            Err(Refusal { limit: self.limit, tat_ms: counted.tat_ms, next_ms: counted.tat_ms - burst_ms })
        }
    }
}

/// A key refused: nothing can move its state until `next_ms` (a refusal
/// changes nothing, and no other attempt is allowed meanwhile, on any
/// instance), so until then it is refused from memory, without a write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Refusal {
    limit: u32,
    tat_ms: i64,
    /// When one more attempt will be allowed.
    next_ms: i64,
}

impl Refusal {
    /// What the client is told at `at_ms`.
    fn told(&self, at_ms: i64) -> (Allowance, u64) {
        let allowance =
            Allowance { limit: self.limit, remaining: 0, reset_secs: seconds(self.tat_ms - at_ms) };
        (allowance, seconds(self.next_ms - at_ms).max(1))
    }
}

/// Keys refused at most, remembered on one instance; past it, refusals are
/// asked of the database again (still refused, at a write each).
const REFUSALS_REMEMBERED: usize = 100_000;

/// Milliseconds as whole seconds, rounded up (a client waiting that long is
/// never early); none for a time past.
fn seconds(ms: i64) -> u64 {
    u64::try_from(ms.max(0)).unwrap_or(0).div_ceil(1000)
}

/// The limits of each action.
pub struct RateLimits {
    login: Option<Rule>,
    register: Option<Rule>,
    refresh: Option<Rule>,
    comment: Option<Rule>,
    /// Keys refused, until they may try again: a flood of attempts from
    /// one address costs one write per interval, not one per attempt.
    refused: Mutex<HashMap<String, Refusal>>,
}

const MINUTE: Duration = Duration::from_secs(60);
const HOUR: Duration = Duration::from_secs(3600);

impl RateLimits {
    pub fn new(settings: LimitSettings) -> Self {
        Self {
            login: Rule::new("login", settings.logins_per_minute, MINUTE),
            register: Rule::new("register", settings.registrations_per_hour, HOUR),
            refresh: Rule::new("refresh", settings.refreshes_per_minute, MINUTE),
            comment: Rule::new("comment", settings.comments_per_minute, MINUTE),
            refused: Mutex::new(HashMap::new()),
        }
    }

    /// The refusal `bucket` is still under at `at_ms`, if any.
    fn still_refused(&self, bucket: &str, at_ms: i64) -> Option<Refusal> {
        let refused = self.refused.lock().ok()?;
        refused.get(bucket).filter(|r| at_ms < r.next_ms).copied()
    }

    fn remember_refusal(&self, bucket: String, refusal: Refusal) {
        if let Ok(mut refused) = self.refused.lock()
            && (refused.len() < REFUSALS_REMEMBERED || refused.contains_key(&bucket))
        {
            refused.insert(bucket, refusal);
        }
    }

    /// Forgets the refusals that have run out.
    fn forget_refusals(&self, at_ms: i64) {
        if let Ok(mut refused) = self.refused.lock() {
            refused.retain(|_, r| at_ms < r.next_ms);
        }
    }
}

impl Services {
    pub(super) async fn limit_login(&self, ip: IpAddr) -> AppResult<()> {
        self.count_attempt(self.limits.login, ip.to_string()).await
    }

    pub(super) async fn limit_registration(&self, ip: IpAddr) -> AppResult<()> {
        self.count_attempt(self.limits.register, ip.to_string()).await
    }

    pub(super) async fn limit_refresh(&self, ip: IpAddr) -> AppResult<()> {
        self.count_attempt(self.limits.refresh, ip.to_string()).await
    }

    pub(super) async fn limit_comments(&self, user: UserId) -> AppResult<()> {
        self.count_attempt(self.limits.comment, user.to_string()).await
    }

    /// Counts one attempt under `rule` for `key`, and refuses it past the
    /// limit with the time until one more is allowed.
    async fn count_attempt(&self, rule: Option<Rule>, key: String) -> AppResult<()> {
        let Some(rule) = rule else { return Ok(()) };
        let at_ms = now().timestamp_millis();
        let bucket = format!("{}:{key}", rule.action);
        let refusal = match self.limits.still_refused(&bucket, at_ms) {
            Some(refusal) => refusal,
            None => {
                let key = bucket.clone();
                let counted =
                    self.db().run(move |conn| repo::attempt(conn, &key, rule.attempt(at_ms))).await?;
                match rule.judge(&counted, at_ms) {
                    Ok(allowance) => {
                        report(allowance);
                        return Ok(());
                    }
                    Err(refusal) => {
                        self.limits.remember_refusal(bucket, refusal);
                        refusal
                    }
                }
            }
        };
        let (allowance, retry_after_secs) = refusal.told(at_ms);
        report(allowance);
        Err(AppError::RateLimited { retry_after_secs })
    }

    /// Forgets the keys whose allowance is whole again, so the table holds
    /// only the keys seen in the last hour (the longest period).
    pub(super) async fn forget_whole_allowances(&self) -> AppResult<()> {
        let before_ms = now().timestamp_millis();
        self.limits.forget_refusals(before_ms);
        self.db().run(move |conn| repo::forget_whole(conn, before_ms)).await?;
        Ok(())
    }
}

/// How often keys whose allowance is whole again are forgotten.
pub const FORGET_EVERY: Duration = Duration::from_secs(600);

tokio::task_local! {
    static REPORTED: Cell<Option<Allowance>>;
}

/// Keeps the tightest allowance a request was given (a GraphQL document may
/// make several limited calls); a no-op outside [`reporting`].
fn report(allowance: Allowance) {
    let _ = REPORTED.try_with(|kept| {
        if kept.get().is_none_or(|k| allowance.remaining <= k.remaining) {
            kept.set(Some(allowance));
        }
    });
}

/// Runs `work` (one request), and says which allowance, if any, a limit
/// gave it: what its `RateLimit-*` headers tell the client.
pub async fn reporting<F: std::future::Future>(work: F) -> (F::Output, Option<Allowance>) {
    REPORTED.scope(Cell::new(None), async { (work.await, REPORTED.with(Cell::get)) }).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(limit: u32) -> Rule {
        Rule::new("login", limit, MINUTE).unwrap()
    }

    /// What each attempt at the given times is told, starting from no
    /// state: the upsert in `repo::limits::attempt`, computed here.
    fn run(rule: Rule, times_ms: &[i64]) -> Vec<Result<Allowance, (Allowance, u64)>> {
        let mut tat: Option<i64> = None;
        times_ms
            .iter()
            .map(|&at| {
                let Attempt { interval_ms, burst_ms, .. } = rule.attempt(at);
                let counted = match tat {
                    None => Counted { tat_ms: at + interval_ms, allowed: true },
                    Some(old) if old <= at => Counted { tat_ms: at + interval_ms, allowed: true },
                    Some(old) if old <= at + burst_ms => Counted { tat_ms: old + interval_ms, allowed: true },
                    Some(old) => Counted { tat_ms: old, allowed: false },
                };
                tat = Some(counted.tat_ms);
                rule.judge(&counted, at).map_err(|refusal| refusal.told(at))
            })
            .collect()
    }

    #[test]
    fn the_whole_allowance_at_once_then_one_per_interval() {
        // Three a minute: one back every twenty seconds.
        let outcomes = run(rule(3), &[0, 0, 0, 0, 19_000, 20_000, 20_500]);
        let allowed = |remaining, reset_secs| Ok(Allowance { limit: 3, remaining, reset_secs });
        assert_eq!(outcomes[0], allowed(2, 20));
        assert_eq!(outcomes[1], allowed(1, 40));
        assert_eq!(outcomes[2], allowed(0, 60));
        assert_eq!(outcomes[3], Err((Allowance { limit: 3, remaining: 0, reset_secs: 60 }, 20)));
        assert_eq!(outcomes[4], Err((Allowance { limit: 3, remaining: 0, reset_secs: 41 }, 1)));
        assert_eq!(outcomes[5], allowed(0, 60));
        assert!(outcomes[6].is_err());
    }

    #[test]
    fn a_limit_that_does_not_divide_its_period_never_lets_more_through() {
        // 299 a minute: one every 200 ms, 299 at once, not 300.
        let outcomes = run(rule(299), &[0; 300]);
        assert_eq!(outcomes[0], Ok(Allowance { limit: 299, remaining: 298, reset_secs: 1 }));
        assert!(outcomes[..299].iter().all(Result::is_ok));
        assert!(outcomes[299].is_err());
    }

    #[test]
    fn an_idle_key_starts_whole_again() {
        let outcomes = run(rule(2), &[0, 0, 60_000, 60_000, 60_000]);
        assert!(outcomes[..4].iter().all(Result::is_ok));
        assert!(outcomes[4].is_err());
    }

    #[test]
    fn a_refused_key_is_refused_from_memory_until_its_next_turn() {
        let limits = RateLimits::new(LimitSettings {
            logins_per_minute: 3,
            registrations_per_hour: 0,
            refreshes_per_minute: 0,
            comments_per_minute: 0,
        });
        let refusal = Refusal { limit: 3, tat_ms: 60_000, next_ms: 20_000 };
        limits.remember_refusal("login:192.0.2.1".into(), refusal);
        assert_eq!(limits.still_refused("login:192.0.2.1", 19_999), Some(refusal));
        assert_eq!(limits.still_refused("login:192.0.2.1", 20_000), None, "its turn: asked again");
        assert_eq!(limits.still_refused("login:192.0.2.2", 0), None);
        assert_eq!(refusal.told(0), (Allowance { limit: 3, remaining: 0, reset_secs: 60 }, 20));
        limits.forget_refusals(20_000);
        assert!(limits.refused.lock().unwrap().is_empty());
    }

    #[test]
    fn zero_switches_a_limit_off() {
        assert!(Rule::new("comment", 0, MINUTE).is_none());
    }

    #[tokio::test]
    async fn a_request_reports_its_tightest_allowance() {
        let ((), kept) = reporting(async {
            report(Allowance { limit: 10, remaining: 9, reset_secs: 60 });
            report(Allowance { limit: 5, remaining: 1, reset_secs: 30 });
            report(Allowance { limit: 10, remaining: 8, reset_secs: 60 });
        })
        .await;
        assert_eq!(kept, Some(Allowance { limit: 5, remaining: 1, reset_secs: 30 }));
        report(Allowance { limit: 1, remaining: 0, reset_secs: 1 });
    }
}
