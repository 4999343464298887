//! Preview links: an unguessable token that opens one article's current
//! text to whoever holds it, signed in or not, until it expires or is
//! revoked. The token is shown once, when made; only its digest is kept.

use chrono::{DateTime, Utc};

use super::ArticleId;

/// How long a preview link lives unless configured otherwise: two days.
pub const DEFAULT_LIFETIME_HOURS: u32 = 48;

/// A link just made: the only time its token is seen.
#[derive(Debug, Clone)]
pub struct PreviewLink {
    pub token: String,
    pub article_id: ArticleId,
    pub expires_at: DateTime<Utc>,
}
