//! Sign-ins that have ended, remembered in memory so that every request's
//! access token is checked without a query: an account's standing changed
//! at a moment (disabled, its role changed: every token issued before then
//! is refused) or one sign-in ended (signed out, or its refresh token
//! replayed: every token of that session is refused). Fed by this
//! instance's commits and by its siblings' change notices, like the cache.

use std::collections::HashMap;
use std::sync::RwLock;

use chrono::{DateTime, NaiveDateTime, Utc};
use tokio::sync::watch;

use super::Key;
use crate::domain::time::{from_db, to_db};
use crate::domain::{SessionId, UserId};

/// How long a revocation matters: the longest an access token can live
/// (`--access-token-ttl` at most a day) and the clock skew tolerated.
const LONGEST_TOKEN_MS: i64 = (86_400 + 60) * 1_000;

pub struct Revoked {
    ended: RwLock<Ended>,
    /// Moves on every revocation, so that open WebSockets check their
    /// token again at once.
    moved: watch::Sender<u64>,
}

#[derive(Default)]
struct Ended {
    /// Tokens of the account issued at or before this (milliseconds since
    /// the epoch) are refused.
    accounts: HashMap<UserId, i64>,
    /// Sign-ins ended, with when (kept while a token of theirs could live).
    sessions: HashMap<SessionId, i64>,
}

impl Default for Revoked {
    fn default() -> Self {
        Self { ended: RwLock::default(), moved: watch::channel(0).0 }
    }
}

impl Revoked {
    /// Records the accounts and sessions among `keys` as ended at `at_ms`.
    pub fn record(&self, keys: &[Key], at_ms: i64) {
        let ended = keys.iter().filter(|k| matches!(k, Key::Account(_) | Key::Session(_)));
        let mut any = false;
        if let Ok(mut state) = self.ended.write() {
            for key in ended {
                any = true;
                match *key {
                    Key::Account(user) => {
                        let at = state.accounts.entry(user).or_insert(at_ms);
                        *at = (*at).max(at_ms);
                    }
                    Key::Session(session) => {
                        state.sessions.entry(session).or_insert(at_ms);
                    }
                    _ => {}
                }
            }
            if any {
                state.forget_before(at_ms - LONGEST_TOKEN_MS);
            }
        }
        if any {
            self.moved.send_modify(|n| *n += 1);
        }
    }

    /// Whether a token of `user`'s sign-in `session`, issued at
    /// `issued_at_ms`, has been revoked since.
    pub fn refuses(&self, user: UserId, session: Option<SessionId>, issued_at_ms: i64) -> bool {
        let Ok(state) = self.ended.read() else { return true };
        state.accounts.get(&user).is_some_and(|&at| issued_at_ms <= at)
            || session.is_some_and(|session| state.sessions.contains_key(&session))
    }

    /// Remembers sign-ins the database says ended (refresh-token families
    /// and when they were revoked), as read at start or after a lost
    /// listener; rows that name no sign-in are skipped.
    pub fn remember_ended(&self, ended: impl IntoIterator<Item = (String, Option<NaiveDateTime>)>) {
        for (family, at) in ended {
            if let (Ok(session), Some(at)) = (family.parse::<SessionId>(), at) {
                self.record(&[Key::Session(session)], from_db(at).timestamp_millis());
            }
        }
    }

    /// Told of every revocation from now on.
    pub fn watch(&self) -> watch::Receiver<u64> {
        self.moved.subscribe()
    }
}

/// Since when ended sign-ins are read back: as long as any token can live.
pub fn remembered_since(now: DateTime<Utc>) -> NaiveDateTime {
    to_db(now - chrono::Duration::milliseconds(LONGEST_TOKEN_MS))
}

impl Ended {
    /// Drops what no live token can be refused by any more.
    fn forget_before(&mut self, cutoff_ms: i64) {
        self.accounts.retain(|_, at| *at >= cutoff_ms);
        self.sessions.retain(|_, at| *at >= cutoff_ms);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_issued_before_an_account_changed_are_refused() {
        let revoked = Revoked::default();
        let (user, session) = (UserId::generate(), SessionId::generate());
        assert!(!revoked.refuses(user, Some(session), 1_000));
        revoked.record(&[Key::Account(user)], 2_000);
        assert!(revoked.refuses(user, Some(session), 1_000));
        assert!(revoked.refuses(user, Some(session), 2_000));
        assert!(!revoked.refuses(user, Some(session), 2_001), "issued after: a new sign-in");
        assert!(!revoked.refuses(UserId::generate(), Some(session), 1_000), "other accounts");
    }

    #[test]
    fn an_ended_session_refuses_all_its_tokens_and_no_others() {
        let revoked = Revoked::default();
        let mut told = revoked.watch();
        let (user, session) = (UserId::generate(), SessionId::generate());
        revoked.record(&[Key::Search, Key::Session(session)], 5_000);
        assert!(revoked.refuses(user, Some(session), 9_000));
        assert!(!revoked.refuses(user, Some(SessionId::generate()), 1_000));
        assert!(told.has_changed().unwrap(), "open sockets are told");
        told.mark_unchanged();
        revoked.record(&[Key::Search], 6_000);
        assert!(!told.has_changed().unwrap(), "not for writes that end nothing");
    }

    #[test]
    fn revocations_older_than_any_token_are_forgotten() {
        let revoked = Revoked::default();
        let (old, session) = (UserId::generate(), SessionId::generate());
        revoked.record(&[Key::Account(old), Key::Session(session)], 0);
        revoked.record(&[Key::Account(UserId::generate())], LONGEST_TOKEN_MS + 1);
        let state = revoked.ended.read().unwrap();
        assert!(!state.accounts.contains_key(&old) && !state.sessions.contains_key(&session));
    }
}
