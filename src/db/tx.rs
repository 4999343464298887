//! Transactions, and the notices that go out with them: every committed write
//! tells the other instances (PostgreSQL `NOTIFY`), and live events raised in
//! a transaction leave when, and only if, it commits.

use diesel::connection::{AnsiTransactionManager, TransactionManager};
use diesel::pg::Pg;
use diesel::sql_types::Text;
use diesel::{PgConnection, QueryResult, RunQueryDsl};

use super::changes::{self, Channels};
use super::conn::{DbConn, Engine, on_backend};
use super::freshness::Key;
use crate::error::{AppError, AppResult};

impl DbConn {
    /// Runs `f` in a transaction: committed when it returns `Ok`, rolled back
    /// otherwise, so no failed request leaves a partial write.
    ///
    /// SQLite transactions start `IMMEDIATE`: a deferred one that reads and
    /// then writes can fail with "database is locked" without waiting.
    pub fn transaction<T>(&mut self, f: impl FnOnce(&mut DbConn) -> AppResult<T>) -> AppResult<T> {
        let outermost = on_backend!(self, |c| AnsiTransactionManager::transaction_manager_status_mut(c)
            .transaction_depth()
            .map_err(AppError::from))?
        .is_none();
        if outermost {
            self.pending_changes = None;
        }
        match &mut self.engine {
            Engine::Sqlite(c) if outermost => {
                AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")?
            }
            Engine::Sqlite(c) => AnsiTransactionManager::begin_transaction(c)?,
            Engine::Postgres(c) => AnsiTransactionManager::begin_transaction(c)?,
        }
        // A notice that cannot be sent fails the transaction like any other
        // statement in it: rolled back below, never left open on the connection.
        let outcome = f(self).and_then(|value| {
            let changed = if outermost { self.send_notices()? } else { Vec::new() };
            Ok((value, changed))
        });
        match outcome {
            Ok((value, changed)) => {
                on_backend!(self, |c| AnsiTransactionManager::commit_transaction(c))?;
                if outermost {
                    self.note_written();
                }
                if outermost && !changed.is_empty() {
                    // After the commit, never before: a read stamped once the
                    // clock has moved must see what was written.
                    self.freshness.changed(&changed);
                }
                Ok(value)
            }
            Err(error) => {
                if outermost {
                    self.pending_events.clear();
                }
                if let Err(rollback) = on_backend!(self, |c| AnsiTransactionManager::rollback_transaction(c))
                {
                    tracing::error!(error = %rollback, "rollback failed");
                }
                Err(error)
            }
        }
    }

    /// With replicas, reads the primary's position after a commit, before
    /// the cache hears of it: reads from then on need a replica that has
    /// replayed this far. The write stands even if the position cannot be
    /// read; reads then go to the primary until one can.
    fn note_written(&mut self) {
        // The primary's connections announce writes (`channels`); a
        // replica's never write, and cannot say where the primary is.
        let primary = self.channels.is_some();
        if let (Engine::Postgres(c), true) = (&mut self.engine, primary && self.freshness.written.tracking())
        {
            match self.freshness.written.catch_up(c) {
                Ok(()) => {}
                Err(error) => {
                    tracing::warn!(%error, "cannot read the primary's position after a write");
                    self.freshness.written.lost_track();
                }
            }
        }
    }

    /// Announces what the transaction changed and its live events, as part
    /// of it: delivered to every listening instance when, and only if, it
    /// commits. Returns the keys it changed ([`Key::Everything`] if it did
    /// not say), none when it said it changed nothing.
    fn send_notices(&mut self) -> AppResult<Vec<Key>> {
        let events = std::mem::take(&mut self.pending_events);
        let changed = match self.pending_changes.take() {
            None => vec![Key::Everything],
            Some(mut keys) => {
                keys.sort_unstable();
                keys.dedup();
                keys
            }
        };
        if let (Engine::Postgres(c), Some(channels)) = (&mut self.engine, &self.channels) {
            let notice = (!changed.is_empty()).then(|| changes::notice(&channels.origin, &changed));
            send(c, channels, notice.as_deref(), &events)?;
        }
        Ok(changed)
    }

    /// Tells every instance (this one included) of a live event. Inside a
    /// transaction it waits for the commit and goes out with the change
    /// notice, in the same statement, and not at all if the transaction rolls
    /// back. A no-op on SQLite, whose one process already told its own
    /// subscribers.
    pub fn notify_event(&mut self, payload: &str) -> AppResult<()> {
        let Some(channels) = self.channels.clone() else { return Ok(()) };
        if let Engine::Postgres(c) = &mut self.engine {
            let depth = AnsiTransactionManager::transaction_manager_status_mut(c).transaction_depth()?;
            if depth.is_some() {
                self.pending_events.push(payload.to_owned());
            } else {
                send(c, &channels, None, &[payload.to_owned()])?;
            }
        }
        Ok(())
    }
}

/// One statement for the change notice (if any) and `events`.
fn send(
    c: &mut PgConnection,
    channels: &Channels,
    notice: Option<&str>,
    events: &[String],
) -> QueryResult<()> {
    let mut messages: Vec<(&str, &str)> = Vec::with_capacity(events.len() + 1);
    if let Some(notice) = notice {
        messages.push((&channels.changes, notice));
    }
    messages.extend(events.iter().map(|e| (channels.events.as_str(), e.as_str())));
    if messages.is_empty() {
        return Ok(());
    }
    let calls: Vec<String> =
        (0..messages.len()).map(|i| format!("pg_notify(${}, ${})", 2 * i + 1, 2 * i + 2)).collect();
    let mut query = diesel::sql_query(format!("SELECT {}", calls.join(", "))).into_boxed::<Pg>();
    for (channel, payload) in messages {
        query = query.bind::<Text, _>(channel).bind::<Text, _>(payload);
    }
    query.execute(c).map(drop)
}
