//! Preview links in GraphQL, and the marks a preview answer carries.

use async_graphql::{Context, ID, SimpleObject};

use super::time::Timestamp;
use crate::domain::preview::PreviewLink;

/// A new preview link; its token is shown only here.
#[derive(SimpleObject)]
#[graphql(name = "Preview")]
pub struct PreviewObject {
    /// Opens the article through `preview(token:)` (REST: `/api/v1/previews/{token}`).
    pub token: String,
    pub article_id: ID,
    /// When the link stops working (unless revoked before).
    pub expires_at: Timestamp,
}

impl From<PreviewLink> for PreviewObject {
    fn from(link: PreviewLink) -> Self {
        Self {
            token: link.token,
            article_id: ID(link.article_id.to_string()),
            expires_at: link.expires_at.into(),
        }
    }
}

/// Marks the answer as the caller's alone and unlisted, as REST's preview
/// route does: the HTTP endpoint neither keeps it nor lets a cache keep it.
pub fn mark_private(ctx: &Context<'_>) {
    ctx.insert_http_header("Cache-Control", "private, no-store");
    ctx.insert_http_header("X-Robots-Tag", "noindex");
}
