//! Cross-instance change notices on PostgreSQL: every committed write
//! transaction sends `NOTIFY newsdesk_changes`; each instance listens on a
//! connection of its own and moves its generation when one arrives, so
//! caches keyed on the generation stay exact behind a load balancer.

use std::sync::Weak;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use diesel::{Connection, PgConnection, RunQueryDsl};

use super::CHANGES_CHANNEL;

/// How often pending notices are read: the most another instance's write
/// can take to reach this one.
const POLL: Duration = Duration::from_millis(20);

/// Listens until the pool (holder of the generation) is gone.
pub fn listen(url: String, generation: Weak<AtomicU64>) {
    let spawned = std::thread::Builder::new().name("newsdesk-changes".into()).spawn(move || {
        let mut backoff = Duration::from_millis(100);
        while generation.strong_count() > 0 {
            match listen_once(&url, &generation) {
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

fn listen_once(url: &str, generation: &Weak<AtomicU64>) -> anyhow::Result<()> {
    let mut conn = PgConnection::establish(url)?;
    diesel::sql_query(format!("LISTEN {CHANGES_CHANNEL}")).execute(&mut conn)?;
    loop {
        let Some(counter) = generation.upgrade() else { return Ok(()) };
        let mut moved = false;
        for notice in conn.notifications_iter() {
            notice?;
            moved = true;
        }
        if moved {
            counter.fetch_add(1, Ordering::AcqRel);
        }
        drop(counter);
        std::thread::sleep(POLL);
    }
}
