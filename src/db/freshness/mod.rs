//! Targeted invalidation. Every committed write says which [`Key`]s it
//! changed (a write that says nothing changed everything); every read
//! records which keys it showed (a read that says nothing depends on
//! everything). A response read at stamp `s` is fresh while none of its keys
//! has changed since `s`. One comment then empties its article's thread and
//! the pages that show its comment count, not the whole cache.
//!
//! A write moves the clock after it commits, never before: a read stamped
//! before the move may have missed the write and is stale at once; a read
//! stamped after it started after the commit and saw it.

mod key;
mod revoked;
mod shown;

use std::collections::HashMap;
use std::sync::RwLock;

pub use key::{Feed, Key, UnknownKey};
pub use revoked::{Revoked, remembered_since};
pub use shown::{Shown, showing};

/// How many changed keys are remembered; past it the older half is folded
/// into one "everything before" mark, so memory stays bounded.
const REMEMBERED: usize = 20_000;

/// When each key last changed, on this instance's clock.
#[derive(Default)]
pub struct Freshness {
    state: RwLock<State>,
    /// Sign-ins ended: the account and session keys among the changes, by
    /// the wall clock access tokens are stamped with.
    pub revoked: Revoked,
    /// How far the primary's WAL holds every write heard of (for replicas).
    pub written: super::replicas::Written,
}

#[derive(Default)]
struct State {
    /// Moves on every committed write, here or on a sibling.
    clock: u64,
    /// Everything changed at this tick (a write that named no keys, a
    /// sibling's notice that may have been missed, or keys folded away).
    everything: u64,
    changed: HashMap<Key, u64>,
    /// Siblings' writes cannot be heard (their notices' connection is lost):
    /// nothing is fresh until it is back.
    deaf: bool,
}

impl Freshness {
    /// The tick to stamp a read with, taken before it reads.
    pub fn stamp(&self) -> u64 {
        self.state.read().map_or(0, |s| s.clock)
    }

    /// Records a committed write that changed `keys` (everything, if empty).
    pub fn changed(&self, keys: &[Key]) {
        self.revoked.record(keys, crate::domain::time::now().timestamp_millis());
        let Ok(mut state) = self.state.write() else { return };
        state.clock += 1;
        let tick = state.clock;
        if keys.is_empty() || keys.contains(&Key::Everything) {
            state.everything = tick;
            state.changed.clear();
            return;
        }
        for key in keys {
            state.changed.insert(*key, tick);
        }
        if state.changed.len() > REMEMBERED {
            state.fold_older_half();
        }
    }

    /// Siblings' notices can no longer be heard: nothing kept is fresh
    /// from now until [`Freshness::regained`].
    pub fn lost(&self) {
        self.changed(&[Key::Everything]);
        if let Ok(mut state) = self.state.write() {
            state.deaf = true;
        }
    }

    /// Siblings' notices are heard again. What was kept while they were not
    /// may have missed a write: everything changed.
    pub fn regained(&self) {
        self.changed(&[Key::Everything]);
        if let Ok(mut state) = self.state.write() {
            state.deaf = false;
        }
    }

    /// Whether siblings' writes cannot be heard now.
    pub fn deaf(&self) -> bool {
        self.state.read().map_or(true, |s| s.deaf)
    }

    /// Whether what was read at `stamp`, showing `keys`, is still current.
    pub fn is_fresh(&self, stamp: u64, keys: &[Key]) -> bool {
        let Ok(state) = self.state.read() else { return false };
        if state.deaf || state.everything > stamp {
            return false;
        }
        if keys.is_empty() || keys.contains(&Key::Everything) {
            return state.clock == stamp;
        }
        keys.iter().all(|key| state.changed.get(key).is_none_or(|&tick| tick <= stamp))
    }
}

impl State {
    fn fold_older_half(&mut self) {
        let mut ticks: Vec<u64> = self.changed.values().copied().collect();
        let middle = ticks.len() / 2;
        let (_, &mut cut, _) = ticks.select_nth_unstable(middle);
        self.everything = self.everything.max(cut);
        self.changed.retain(|_, tick| *tick > cut);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ArticleId;

    #[test]
    fn a_write_makes_stale_only_what_showed_its_keys() {
        let freshness = Freshness::default();
        let (a, b) = (Key::Article(ArticleId::generate()), Key::Article(ArticleId::generate()));
        let stamp = freshness.stamp();
        freshness.changed(&[a]);
        assert!(!freshness.is_fresh(stamp, &[a]));
        assert!(!freshness.is_fresh(stamp, &[b, a]));
        assert!(freshness.is_fresh(stamp, &[b]));
        // Read after the write: it saw it.
        assert!(freshness.is_fresh(freshness.stamp(), &[a]));
    }

    #[test]
    fn undescribed_reads_and_writes_mean_everything() {
        let freshness = Freshness::default();
        let a = Key::Article(ArticleId::generate());
        let stamp = freshness.stamp();
        assert!(freshness.is_fresh(stamp, &[]));
        freshness.changed(&[a]);
        assert!(!freshness.is_fresh(stamp, &[]), "an undescribed read depends on every write");
        assert!(!freshness.is_fresh(stamp, &[Key::Everything]));
        let stamp = freshness.stamp();
        freshness.changed(&[]);
        assert!(!freshness.is_fresh(stamp, &[Key::Sections]), "an undescribed write changes every read");
    }

    #[test]
    fn nothing_is_fresh_while_siblings_cannot_be_heard() {
        let freshness = Freshness::default();
        let a = Key::Article(ArticleId::generate());
        let before = freshness.stamp();
        freshness.lost();
        let during = freshness.stamp();
        assert!(!freshness.is_fresh(during, &[a]), "kept while deaf: not served");
        freshness.regained();
        assert!(!freshness.is_fresh(during, &[a]), "kept while deaf: stale once heard again");
        assert!(!freshness.is_fresh(before, &[a]));
        assert!(freshness.is_fresh(freshness.stamp(), &[a]));
    }

    #[test]
    fn folding_old_keys_away_errs_on_the_side_of_stale() {
        let freshness = Freshness::default();
        let early = Key::Article(ArticleId::generate());
        let before = freshness.stamp();
        freshness.changed(&[early]);
        let after_early = freshness.stamp();
        for _ in 0..=REMEMBERED {
            freshness.changed(&[Key::Article(ArticleId::generate())]);
        }
        let state = freshness.state.read().unwrap();
        assert!(state.changed.len() <= REMEMBERED / 2 + 2, "{}", state.changed.len());
        drop(state);
        assert!(!freshness.is_fresh(before, &[Key::Sections]));
        assert!(!freshness.is_fresh(after_early, &[Key::Sections]), "folded: older reads are stale");
        assert!(freshness.is_fresh(freshness.stamp(), &[early]));
    }
}
