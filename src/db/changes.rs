//! Cross-instance notices on PostgreSQL. Every committed write transaction
//! sends `NOTIFY newsdesk_changes`; each instance listens on a connection of
//! its own and moves its generation when one arrives, so caches keyed on the
//! generation stay exact behind a load balancer. Live events (a story
//! published, a comment posted) travel on `newsdesk_events` the same way, so
//! a subscriber on any instance hears of what happens on every other.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Weak};
use std::time::Duration;

use diesel::sql_types::Text;
use diesel::{Connection, PgConnection, QueryResult, RunQueryDsl};
use sha2::{Digest, Sha256};
use tokio::sync::broadcast;

/// The channels one deployment talks on. Deployments that share a PostgreSQL
/// database in separate schemas must not hear each other's writes or events,
/// so outside `public` the names carry the schema, hashed: a channel name is
/// an identifier of at most 63 bytes, and so is the schema's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Channels {
    /// Written to on every committed write transaction.
    pub changes: String,
    /// Carries live events (a story published, a comment posted).
    pub events: String,
    /// This instance's name on `changes`: its own writes have moved its
    /// generation already, at commit, and must not move it a second time
    /// when their notice comes back.
    pub origin: String,
}

impl Channels {
    pub fn for_schema(schema: &str) -> Self {
        let suffix = if schema == "public" {
            String::new()
        } else {
            let digest = Sha256::digest(schema.as_bytes());
            let hex: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
            format!("_{hex}")
        };
        Self {
            changes: format!("newsdesk_changes{suffix}"),
            events: format!("newsdesk_events{suffix}"),
            origin: uuid::Uuid::now_v7().simple().to_string(),
        }
    }

    /// The channels of the schema `conn` writes to.
    pub fn of(conn: &mut PgConnection) -> QueryResult<Self> {
        let schema: String = diesel::select(diesel::dsl::sql::<Text>("current_schema()")).get_result(conn)?;
        Ok(Self::for_schema(&schema))
    }
}

/// How often pending notices are read: the most another instance's write
/// can take to reach this one.
const POLL: Duration = Duration::from_millis(20);

/// Listens until the pool (holder of the generation) is gone.
pub fn listen(
    url: String,
    channels: Arc<Channels>,
    generation: Weak<AtomicU64>,
    events: broadcast::Sender<String>,
) {
    let spawned = std::thread::Builder::new().name("newsdesk-changes".into()).spawn(move || {
        let mut backoff = Duration::from_millis(100);
        while generation.strong_count() > 0 {
            match listen_once(&url, &channels, &generation, &events) {
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
    channels: &Channels,
    generation: &Weak<AtomicU64>,
    events: &broadcast::Sender<String>,
) -> anyhow::Result<()> {
    let mut conn = PgConnection::establish(url)?;
    diesel::sql_query(format!("LISTEN {}", channels.changes)).execute(&mut conn)?;
    diesel::sql_query(format!("LISTEN {}", channels.events)).execute(&mut conn)?;
    loop {
        let Some(counter) = generation.upgrade() else { return Ok(()) };
        let mut moved = false;
        for notice in conn.notifications_iter() {
            let notice = notice?;
            if notice.channel == channels.events {
                // Nobody listening is fine.
                let _ = events.send(notice.payload);
            } else if notice.payload != channels.origin {
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

#[cfg(test)]
mod tests {
    use super::Channels;

    #[test]
    fn public_keeps_the_plain_names() {
        let channels = Channels::for_schema("public");
        assert_eq!(channels.changes, "newsdesk_changes");
        assert_eq!(channels.events, "newsdesk_events");
    }

    #[test]
    fn each_schema_has_channels_of_its_own_that_fit_an_identifier() {
        let long = "s".repeat(63);
        let a = Channels::for_schema("tenant_a");
        let b = Channels::for_schema("tenant_b");
        assert_ne!(a.changes, b.changes);
        assert_ne!(a.events, b.events);
        assert_ne!(a.changes, a.events);
        for channels in [a, b, Channels::for_schema(&long)] {
            assert!(channels.changes.len() <= 63 && channels.events.len() <= 63, "{channels:?}");
            assert!(channels.events.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'));
        }
    }
}
