//! Cross-instance notices on PostgreSQL. Every committed write transaction
//! sends `NOTIFY newsdesk_changes` with the keys it changed; each instance
//! listens on a connection of its own and marks those keys changed when one
//! arrives, so its cache stays exact behind a load balancer. Live events (a story
//! published, a comment posted) travel on `newsdesk_events` the same way, so
//! a subscriber on any instance hears of what happens on every other.

use std::sync::{Arc, Weak};
use std::time::Duration;

use diesel::sql_types::Text;
use diesel::{Connection, PgConnection, QueryResult, RunQueryDsl};
use sha2::{Digest, Sha256};
use tokio::sync::broadcast;

use super::freshness::{Freshness, Key};

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
    /// This instance's name on `changes`: its own writes have marked their
    /// keys already, at commit, and need not again when their notice comes
    /// back.
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

/// A notice payload may hold 8,000 bytes; one naming more keys than fit
/// says "everything" instead, and still names the sign-ins it ended (an
/// account names at most 64, or itself): a cache can be emptied whole, but
/// a revoked token must be refused.
const MAX_NOTICE_BYTES: usize = 7_900;

/// The payload of a change notice: the sender, then the keys it changed.
pub(super) fn notice(origin: &str, changed: &[Key]) -> String {
    let mut payload = origin.to_owned();
    for key in changed {
        payload.push(' ');
        payload.push_str(&key.to_string());
    }
    if payload.len() > MAX_NOTICE_BYTES {
        payload = format!("{origin} {}", Key::Everything);
        for key in changed.iter().filter(|k| matches!(k, Key::Account(_) | Key::Session(_))) {
            payload.push(' ');
            payload.push_str(&key.to_string());
        }
    }
    payload
}

/// The sender and the keys of a change notice; a key this release does not
/// know (or a notice with none) reads as everything.
fn read_notice(payload: &str) -> (&str, Vec<Key>) {
    let mut words = payload.split(' ');
    let origin = words.next().unwrap_or_default();
    let keys: Result<Vec<Key>, _> = words.map(str::parse).collect();
    match keys {
        Ok(keys) if !keys.is_empty() => (origin, keys),
        _ => (origin, vec![Key::Everything]),
    }
}

/// How often pending notices are read: the most another instance's write
/// can take to reach this one.
const POLL: Duration = Duration::from_millis(20);
/// How often a quiet listener's connection is checked.
const CHECK_ALIVE_EVERY: Duration = Duration::from_secs(5);

/// Listens until the pool (holder of the freshness clock) is gone. The
/// first connection is made here, before the service answers anyone, so
/// that no sibling's write goes unheard from the start. While the
/// connection is lost, nothing kept is fresh: what siblings write meanwhile
/// is unheard.
pub fn listen(
    url: String,
    channels: Arc<Channels>,
    freshness: Weak<Freshness>,
    events: broadcast::Sender<String>,
) -> anyhow::Result<()> {
    let first = subscribe(&url, &channels)?;
    std::thread::Builder::new().name("newsdesk-changes".into()).spawn(move || {
        let mut live = Some(first);
        let mut backoff = Duration::from_millis(100);
        while freshness.strong_count() > 0 {
            let conn = match live.take() {
                Some(conn) => conn,
                None => match subscribe(&url, &channels) {
                    Ok(mut conn) => {
                        tracing::info!("change listener reconnected");
                        if let Some(freshness) = freshness.upgrade() {
                            if let Err(error) = catch_up(&mut conn, &freshness) {
                                tracing::warn!(%error, "cannot catch up with what was missed; reconnecting");
                                std::thread::sleep(backoff);
                                backoff = (backoff * 2).min(Duration::from_secs(5));
                                continue;
                            }
                            freshness.regained();
                        }
                        conn
                    }
                    Err(error) => {
                        tracing::warn!(%error, "change listener cannot reconnect yet");
                        std::thread::sleep(backoff);
                        backoff = (backoff * 2).min(Duration::from_secs(5));
                        continue;
                    }
                },
            };
            let listening = std::time::Instant::now();
            match relay(conn, &channels, &freshness, &events) {
                Ok(()) => return,
                Err(error) => {
                    tracing::warn!(%error, "change listener lost its connection; reconnecting");
                    if let Some(freshness) = freshness.upgrade() {
                        freshness.lost();
                    }
                    // A connection that fails as soon as it is made is not
                    // retried in a tight loop.
                    if listening.elapsed() < Duration::from_secs(10) {
                        std::thread::sleep(backoff);
                        backoff = (backoff * 2).min(Duration::from_secs(5));
                    } else {
                        backoff = Duration::from_millis(100);
                    }
                }
            }
        }
    })?;
    Ok(())
}

/// What a listener that was deaf missed: the sign-ins ended meanwhile, and
/// (with replicas) how far the primary has gone.
fn catch_up(conn: &mut PgConnection, freshness: &Freshness) -> QueryResult<()> {
    reload_revocations(conn, freshness)?;
    if freshness.written.tracking() {
        freshness.written.catch_up(conn)?;
    }
    Ok(())
}

/// Remembers the sign-ins ended in the last day (all an access token can
/// live), read on the listener's own connection.
fn reload_revocations(conn: &mut PgConnection, freshness: &Freshness) -> QueryResult<()> {
    use crate::db::schema::refresh_tokens::dsl::{family_id, refresh_tokens, revoked_at};
    use diesel::prelude::*;
    let since = super::freshness::remembered_since(crate::domain::time::now());
    let ended =
        refresh_tokens.select((family_id, revoked_at)).filter(revoked_at.gt(since)).distinct().load(conn)?;
    freshness.revoked.remember_ended(ended);
    Ok(())
}

fn subscribe(url: &str, channels: &Channels) -> anyhow::Result<PgConnection> {
    let mut conn = PgConnection::establish(&super::url::with_default_params(url, &KEEPALIVES))?;
    diesel::sql_query(format!("LISTEN {}", channels.changes)).execute(&mut conn)?;
    diesel::sql_query(format!("LISTEN {}", channels.events)).execute(&mut conn)?;
    Ok(conn)
}

/// TCP keepalives and a send timeout for the listener's connection (unless
/// its URL sets its own): a peer gone without a word is then found within
/// half a minute, by the keepalives or by the periodic check's statement.
const KEEPALIVES: [(&str, &str); 5] = [
    ("keepalives", "1"),
    ("keepalives_idle", "10"),
    ("keepalives_interval", "5"),
    ("keepalives_count", "3"),
    ("tcp_user_timeout", "30000"),
];

/// Passes notices on until the connection fails (`Err`) or the pool is gone.
fn relay(
    mut conn: PgConnection,
    channels: &Channels,
    freshness: &Weak<Freshness>,
    events: &broadcast::Sender<String>,
) -> anyhow::Result<()> {
    let mut last_check = std::time::Instant::now();
    loop {
        let Some(clock) = freshness.upgrade() else { return Ok(()) };
        let mut changed = Vec::new();
        for notice in conn.notifications_iter() {
            let notice = notice?;
            if notice.channel == channels.events {
                // Nobody listening is fine.
                let _ = events.send(notice.payload);
            } else {
                let (origin, keys) = read_notice(&notice.payload);
                if origin != channels.origin {
                    changed.extend(keys);
                }
            }
        }
        if !changed.is_empty() {
            // Where the primary is now lies past the siblings' commits just
            // heard of: replicas must have replayed that far from now on.
            if clock.written.tracking() {
                clock.written.catch_up(&mut conn)?;
            }
            clock.changed(&changed);
        }
        drop(clock);
        // A connection can die without a word (a half-open TCP connection
        // after a network fault): only a statement finds out, and until
        // then siblings' writes would go unheard with nobody the wiser.
        if last_check.elapsed() >= CHECK_ALIVE_EVERY {
            diesel::sql_query("SELECT 1").execute(&mut conn)?;
            last_check = std::time::Instant::now();
        }
        std::thread::sleep(POLL);
    }
}

#[cfg(test)]
mod tests {
    use super::{Channels, Key, notice, read_notice};
    use crate::domain::ArticleId;

    #[test]
    fn a_notice_carries_its_sender_and_keys() {
        let keys = vec![Key::Article(ArticleId::generate()), Key::Search];
        let payload = notice("me", &keys);
        assert_eq!(read_notice(&payload), ("me", keys));
        assert_eq!(read_notice("me"), ("me", vec![Key::Everything]), "no keys: everything");
        assert_eq!(read_notice("me search comet:1"), ("me", vec![Key::Everything]), "unknown: everything");
    }

    #[test]
    fn a_notice_too_long_for_postgres_says_everything() {
        let many: Vec<Key> = (0..200).map(|_| Key::Thread(ArticleId::generate())).collect();
        let payload = notice("me", &many);
        assert!(payload.len() < 8000);
        assert_eq!(read_notice(&payload), ("me", vec![Key::Everything]));
    }

    #[test]
    fn a_notice_too_long_still_names_the_sign_ins_it_ended() {
        let ended = Key::Session(crate::domain::SessionId::generate());
        let mut many: Vec<Key> = (0..200).map(|_| Key::Thread(ArticleId::generate())).collect();
        many.push(ended);
        assert_eq!(read_notice(&notice("me", &many)), ("me", vec![Key::Everything, ended]));
    }

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
