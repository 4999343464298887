//! Mutations of comment moderation, merged into the schema's `Mutation` type.

use async_graphql::{Context, ID, Object};

use super::context::{services, viewer};
use super::errors::Gql;
use super::types::comment::CommentObject;
use super::types::moderation::ReportObject;
use crate::domain::field::optional;
use crate::domain::moderation::ReportReason;
use crate::domain::text::ReportNote;
use crate::service::moderation::NewReport;

#[derive(Default)]
pub struct ModerationMutations;

#[Object]
impl ModerationMutations {
    /// Reports a visible comment to the editors; it joins the moderation
    /// queue. Once per reader per comment (`CONFLICT` after). Signed-in users.
    async fn report_comment(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The comment, visible to the caller.")] comment_id: ID,
        #[graphql(desc = "Why it breaks the rules.")] reason: ReportReason,
        #[graphql(desc = "A few words for the editors, up to 500 characters.")] note: Option<String>,
    ) -> async_graphql::Result<ReportObject> {
        let note = optional(note.as_deref(), |n| ReportNote::parse(n, "note")).gql()?;
        let report = NewReport { reason, note: note.filter(|n| !n.as_str().is_empty()) };
        Ok(ReportObject(services(ctx).report_comment(viewer(ctx), &comment_id, report).await.gql()?))
    }

    /// Approves a comment: a held one becomes visible (and counted); a
    /// reported one has its open reports dismissed. Either way it leaves the
    /// queue. Editors and up.
    async fn approve_comment(
        &self,
        ctx: &Context<'_>,
        comment_id: ID,
    ) -> async_graphql::Result<CommentObject> {
        Ok(CommentObject(services(ctx).approve_comment(viewer(ctx), &comment_id).await.gql()?))
    }
}
