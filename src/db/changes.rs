//! Cross-instance notices on PostgreSQL. Every committed write transaction
//! sends `NOTIFY newsdesk_changes`; each instance listens on a connection of
//! its own and moves its generation when one arrives, so caches keyed on the
//! generation stay exact behind a load balancer. Live events (a story
//! published, a comment posted) travel on `newsdesk_events` the same way, so
//! a subscriber on any instance hears of what happens on every other.

use std::sync::Weak;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use diesel::sql_types::Text;
use diesel::{Connection, PgConnection, RunQueryDsl};
use tokio::sync::broadcast;

use super::{CHANGES_CHANNEL, DbConn, Engine};
use crate::error::AppResult;

/// The channel live events travel on between instances.
pub const EVENTS_CHANNEL: &str = "newsdesk_events";

/// Tells every instance (this one included) of a live event. A no-op on
/// SQLite, whose one process already told its own subscribers.
pub fn notify_event(conn: &mut DbConn, payload: &str) -> AppResult<()> {
    if let Engine::Postgres(c) = conn.engine() {
        diesel::sql_query("SELECT pg_notify($1, $2)")
            .bind::<Text, _>(EVENTS_CHANNEL)
            .bind::<Text, _>(payload)
            .execute(c)?;
    }
    Ok(())
}

/// How often pending notices are read: the most another instance's write
/// can take to reach this one.
const POLL: Duration = Duration::from_millis(20);

/// Listens until the pool (holder of the generation) is gone.
pub fn listen(url: String, generation: Weak<AtomicU64>, events: broadcast::Sender<String>) {
    let spawned = std::thread::Builder::new().name("newsdesk-changes".into()).spawn(move || {
        let mut backoff = Duration::from_millis(100);
        while generation.strong_count() > 0 {
            match listen_once(&url, &generation, &events) {
                Ok(()) => return,
                Err(error) => {
                    tracing::warn!(%error, "change listener lost its connection; reconnecting");
                    // Writes may have been missed meanwhile: move on to be safe.
                    if let Some(g) = generation.upgrade() {
                        g.fetch_add(1, Ordering::AcqRel);
                    }
                    std::thread::sleep(backoff);
                    backoff = (backoff * 2).min(Duration::from_secs(5));
                }
            }
        }
    });
    if let Err(error) = spawned {
        tracing::error!(%error, "cannot start the change listener");
    }
}

fn listen_once(
    url: &str,
    generation: &Weak<AtomicU64>,
    events: &broadcast::Sender<String>,
) -> anyhow::Result<()> {
    let mut conn = PgConnection::establish(url)?;
    diesel::sql_query(format!("LISTEN {CHANGES_CHANNEL}")).execute(&mut conn)?;
    diesel::sql_query(format!("LISTEN {EVENTS_CHANNEL}")).execute(&mut conn)?;
    loop {
        let Some(counter) = generation.upgrade() else { return Ok(()) };
        let mut moved = false;
        for notice in conn.notifications_iter() {
            let notice = notice?;
            if notice.channel == EVENTS_CHANNEL {
                // Nobody listening is fine.
                let _ = events.send(notice.payload);
            } else {
                moved = true;
            }
        }
        if moved {
            counter.fetch_add(1, Ordering::AcqRel);
        }
        drop(counter);
        std::thread::sleep(POLL);
    }
}
