//! Background work of a running instance: publishing scheduled articles at
//! their time (no request needed) and forgetting idle rate-limit keys.

use std::time::Duration;

use super::Services;
use super::limits::FORGET_EVERY;

/// How often due articles are looked for: the worst delay past their time.
pub const TICK: Duration = Duration::from_secs(1);

impl Services {
    /// Runs until the runtime shuts down.
    pub async fn run_background(self) {
        let mut tick = tokio::time::interval(TICK);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut since_forget = Duration::ZERO;
        loop {
            tick.tick().await;
            match self.publish_due().await {
                Ok(published) if !published.is_empty() => {
                    tracing::info!(count = published.len(), "scheduled articles published");
                    for id in published {
                        self.announce_published(id).await;
                    }
                }
                Ok(_) => {}
                Err(error) => tracing::warn!(%error, "publishing scheduled articles failed"),
            }
            since_forget += TICK;
            if since_forget >= FORGET_EVERY {
                self.limits.forget_idle();
                since_forget = Duration::ZERO;
            }
        }
    }
}
