//! Background work of a running instance: publishing scheduled articles at
//! their time (no request needed) and forgetting idle rate-limit keys.

use std::time::Duration;

use chrono::NaiveDateTime;

use super::Services;
use super::limits::FORGET_EVERY;
use crate::db::repo::articles as repo;
use crate::domain::time::{now, to_db};
use crate::error::AppResult;

/// How often the clock is checked against the next due time: the worst
/// delay past an article's time.
pub const TICK: Duration = Duration::from_secs(1);

impl Services {
    /// Runs until the runtime shuts down. The database is asked for the next
    /// due time only when something was written (here or on another
    /// instance), so an idle newsroom costs no queries.
    pub async fn run_background(self) {
        let mut tick = tokio::time::interval(TICK);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut since_forget = Duration::ZERO;
        let mut known: Option<(u64, Option<NaiveDateTime>)> = None;
        loop {
            tick.tick().await;
            let generation = self.db_generation();
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
                match self.publish_due().await {
                    Ok(published) => {
                        if !published.is_empty() {
                            tracing::info!(count = published.len(), "scheduled articles published");
                        }
                        for id in published {
                            self.announce_published(id).await;
                        }
                    }
                    Err(error) => tracing::warn!(%error, "publishing scheduled articles failed"),
                }
                known = None;
            }
            since_forget += TICK;
            if since_forget >= FORGET_EVERY {
                self.limits.forget_idle();
                since_forget = Duration::ZERO;
            }
        }
    }

    async fn next_due(&self) -> AppResult<Option<NaiveDateTime>> {
        self.db().run(repo::next_due).await
    }
}
