//! Background work of a running instance: running the article clocks
//! (scheduled publication, expiry, breaking-news windows) on time, with no
//! request needed, forgetting rate-limit keys at rest, expired refresh
//! tokens and articles past the trash's window, and keeping SQLite's
//! write-ahead log short.

use std::time::Duration;

use chrono::NaiveDateTime;

use super::Services;
use super::limits::FORGET_EVERY;
use crate::db::maintenance::{Checkpoint, checkpoint};
use crate::db::repo::articles as repo;
use crate::db::repo::{password_resets, previews, sessions, trash};
use crate::domain::time::{now, to_db};
use crate::error::AppResult;

/// How often the clock is checked against the next due time: the worst
/// delay past an article's time.
pub const TICK: Duration = Duration::from_secs(1);
/// How often SQLite's write-ahead log is folded back (besides SQLite's own
/// checkpoints every thousand pages), so that it stays short on a quiet site.
const CHECKPOINT_EVERY: Duration = Duration::from_secs(60);
/// How often refresh tokens, preview links and trashed articles past their
/// time are forgotten.
const PRUNE_EVERY: Duration = Duration::from_secs(3600);

impl Services {
    /// Runs until the runtime shuts down. The database is asked for the next
    /// due time only when something was written (here or on another
    /// instance), so an idle newsroom costs no queries.
    pub async fn run_background(self) {
        let mut tick = tokio::time::interval(TICK);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut since_forget = Duration::ZERO;
        let mut since_checkpoint = Duration::ZERO;
        let mut since_prune = Duration::ZERO;
        let mut known: Option<(u64, Option<NaiveDateTime>)> = None;
        let mut webhooks = WebhookWorker::default();
        loop {
            tick.tick().await;
            let generation = self.db_generation();
            webhooks.tick(&self, generation).await;
            let next = match known {
                Some((seen, next)) if seen == generation => next,
                _ => match self.next_due().await {
                    Ok(next) => {
                        known = Some((generation, next));
                        next
                    }
                    Err(error) => {
                        tracing::warn!(%error, "cannot read the publication schedule");
                        continue;
                    }
                },
            };
            if next.is_some_and(|due| due <= to_db(now())) {
                self.run_article_clocks().await;
                known = None;
            }
            since_forget += TICK;
            if since_forget >= FORGET_EVERY {
                since_forget = Duration::ZERO;
                if let Err(error) = self.forget_whole_allowances().await {
                    tracing::warn!(%error, "cannot forget rate-limit keys");
                }
            }
            since_checkpoint += TICK;
            if since_checkpoint >= CHECKPOINT_EVERY {
                since_checkpoint = Duration::ZERO;
                if let Err(error) = self.db.run(|conn| checkpoint(conn, Checkpoint::Passive)).await {
                    tracing::warn!(%error, "cannot checkpoint the write-ahead log");
                }
            }
            since_prune += TICK;
            if since_prune >= PRUNE_EVERY {
                since_prune = Duration::ZERO;
                if let Err(error) = self.forget_expired().await {
                    tracing::warn!(%error, "cannot forget expired refresh tokens, preview links and trash");
                }
            }
        }
    }

    /// Forgets refresh tokens and preview links past their expiry, and
    /// purges the articles deleted longer ago than the trash keeps them.
    pub async fn forget_expired(&self) -> AppResult<()> {
        let trashed_before = to_db(now() - self.trash_retention);
        self.db
            .run(move |conn| {
                conn.transaction(|conn| {
                    conn.changes([]);
                    sessions::delete_expired(conn, to_db(now()))?;
                    previews::delete_expired(conn, to_db(now()))?;
                    password_resets::delete_expired(conn, to_db(now()))?;
                    trash::purge(conn, trashed_before)?;
                    Ok(())
                })
            })
            .await
    }

    async fn next_due(&self) -> AppResult<Option<NaiveDateTime>> {
        self.db().run(repo::next_due).await
    }

    /// Publishes, archives and ends breaking-news windows as they fall due.
    async fn run_article_clocks(&self) {
        match self.publish_due().await {
            Ok(ids) if !ids.is_empty() => tracing::info!(count = ids.len(), "scheduled articles published"),
            Ok(_) => {}
            Err(error) => tracing::warn!(%error, "publishing scheduled articles failed"),
        }
        match self.expire_due().await {
            Ok(ids) if !ids.is_empty() => tracing::info!(count = ids.len(), "expired articles archived"),
            Ok(_) => {}
            Err(error) => tracing::warn!(%error, "archiving expired articles failed"),
        }
        match self.end_breaking_due().await {
            Ok(ids) if !ids.is_empty() => tracing::info!(count = ids.len(), "breaking-news windows ended"),
            Ok(_) => {}
            Err(error) => tracing::warn!(%error, "ending breaking-news windows failed"),
        }
    }
}

/// How often the worker asks for due deliveries however quiet the site: a
/// redelivery asked of another instance writes nothing it hears of.
const WEBHOOKS_RECHECK_EVERY: u32 = 30;

/// Webhook deliveries in the background: one round at a time, started when
/// one is due. When the next is due is asked again after a write (an event,
/// an attempt logged), a redelivery here, once that time has come, or every
/// half minute.
#[derive(Default)]
struct WebhookWorker {
    known: Option<(u64, Option<NaiveDateTime>)>,
    round: Option<tokio::task::JoinHandle<()>>,
    ticks: u32,
}

impl WebhookWorker {
    async fn tick(&mut self, services: &Services, generation: u64) {
        if self.round.as_ref().is_some_and(|round| !round.is_finished()) {
            return;
        }
        let now = to_db(now());
        self.ticks += 1;
        if self.ticks >= WEBHOOKS_RECHECK_EVERY || services.webhook_worker_woken() {
            self.ticks = 0;
            self.known = None;
        }
        let next = match self.known {
            Some((seen, next)) if seen == generation && next.is_none_or(|due| due > now) => return,
            _ => match services.next_delivery_due().await {
                Ok(next) => next,
                Err(error) => {
                    tracing::warn!(%error, "cannot read the webhook deliveries due");
                    return;
                }
            },
        };
        self.known = Some((generation, next));
        if next.is_some_and(|due| due <= now) {
            self.known = None;
            let services = services.clone();
            self.round = Some(tokio::spawn(async move {
                if let Err(error) = services.deliver_webhooks(crate::domain::time::now()).await {
                    tracing::warn!(%error, "webhook deliveries failed");
                }
            }));
        }
    }
}
