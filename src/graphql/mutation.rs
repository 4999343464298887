//! Writing: every mutation is one service call, the same one REST makes.

use async_graphql::{Context, ID, MergedObject, Object, Upload};
use bytes::Bytes;

use super::account::AccountMutations;
use super::collections::CollectionMutations;
use super::context::{request, services, viewer};
use super::errors::Gql;
use super::moderation::ModerationMutations;
use super::trash::TrashMutations;
use super::types::article::ArticleObject;
use super::types::article_inputs::{CreateArticleInput, UpdateArticleInput};
use super::types::comment::CommentObject;
use super::types::correction::{CorrectionInput, CorrectionObject};
use super::types::inputs::{CreateCategoryInput, TagInput, UpdateCategoryInput};
use super::types::media::{MediaInput, MediaObject};
use super::types::preview::{PreviewObject, mark_private};
use super::types::taxonomy::{CategoryObject, TagObject};
use super::types::time::Timestamp;
use super::types::user::{AuthPayload, RegistrationPayload};
use crate::domain::Email;
use crate::domain::article::{PublishTime, Transition};
use crate::domain::field::{AllValid, Named};
use crate::domain::text::{CommentText, DisplayName};
use crate::domain::time::now;
use crate::domain::user::NewPassword;
use crate::domain::{CommentId, MediaId};
use crate::error::AppError;
use crate::service::comments::NewComment;
use crate::service::media::too_large;
use crate::service::sessions::Registration;

/// Every mutation: the newsroom's own, and those of collections, the trash
/// and moderation (kept apart, each file one job).
#[derive(MergedObject, Default)]
#[graphql(name = "Mutation")]
pub struct MutationRoot(
    NewsroomMutations,
    CollectionMutations,
    TrashMutations,
    ModerationMutations,
    AccountMutations,
);

#[derive(Default)]
pub struct NewsroomMutations;

fn media_id(id: &ID) -> Result<MediaId, AppError> {
    MediaId::parse_field(id, "id").map_err(|_| AppError::NotFound("media item"))
}

/// An upload's bytes, from the temporary file the multipart request left.
async fn upload_bytes(ctx: &Context<'_>, file: Upload, max_bytes: u64) -> Result<Bytes, AppError> {
    use std::io::Read;
    let value = file.value(ctx).map_err(|e| AppError::invalid("file", e.to_string()))?;
    let read = tokio::task::spawn_blocking(move || {
        let mut bytes = Vec::new();
        value.content.take(max_bytes.saturating_add(1)).read_to_end(&mut bytes).map(|_| bytes)
    });
    let bytes = read.await.map_err(AppError::internal)?.map_err(AppError::internal)?;
    if bytes.len() as u64 > max_bytes {
        return Err(too_large(max_bytes));
    }
    Ok(Bytes::from(bytes))
}

async fn transition(
    ctx: &Context<'_>,
    id: ID,
    transition: Transition,
    expected_version: Option<i64>,
) -> async_graphql::Result<ArticleObject> {
    let article =
        services(ctx).transition_article(viewer(ctx), id.0, transition, expected_version).await.gql()?;
    Ok(ArticleObject(article))
}

#[Object]
impl NewsroomMutations {
    /// Creates a reader account, then sign in with it. The answer is the same
    /// whether or not the email had an account already (which is left as it
    /// was): it never says which addresses have one.
    async fn register(
        &self,
        ctx: &Context<'_>,
        email: String,
        password: String,
        display_name: String,
    ) -> async_graphql::Result<RegistrationPayload> {
        let registration = (
            Email::parse(&email, "email"),
            NewPassword::parse(&password, "password"),
            DisplayName::parse(&display_name, "displayName"),
        )
            .all_valid()
            .map(|(email, password, display_name)| Registration { email, password, display_name })
            .gql()?;
        Ok(services(ctx).register(request(ctx).ip, registration).await.gql()?.into())
    }

    /// Signs in. A failure never says whether the email exists.
    async fn login(
        &self,
        ctx: &Context<'_>,
        email: String,
        password: String,
    ) -> async_graphql::Result<AuthPayload> {
        Ok(services(ctx).login(request(ctx).ip, email, password).await.gql()?.into())
    }

    /// Exchanges a refresh token for a new pair; the old one stops working.
    async fn refresh_token(
        &self,
        ctx: &Context<'_>,
        refresh_token: String,
    ) -> async_graphql::Result<AuthPayload> {
        Ok(services(ctx).refresh(request(ctx).ip, refresh_token).await.gql()?.into())
    }

    /// Ends the sign-in the refresh token belongs to.
    async fn logout(&self, ctx: &Context<'_>, refresh_token: String) -> async_graphql::Result<bool> {
        services(ctx).logout(refresh_token).await.gql()?;
        Ok(true)
    }

    /// Starts a draft. Authors and up.
    async fn create_article(
        &self,
        ctx: &Context<'_>,
        input: CreateArticleInput,
    ) -> async_graphql::Result<ArticleObject> {
        let new = input.try_into().gql()?;
        Ok(ArticleObject(services(ctx).create_article(viewer(ctx), new).await.gql()?))
    }

    /// Edits an article at `expectedVersion`; a stale version changes nothing
    /// and fails with `PRECONDITION_FAILED`.
    async fn update_article(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i64,
        input: UpdateArticleInput,
    ) -> async_graphql::Result<ArticleObject> {
        let patch = input.try_into().gql()?;
        let article = services(ctx).update_article(viewer(ctx), id.0, expected_version, patch).await.gql()?;
        Ok(ArticleObject(article))
    }

    /// `draft` → `in_review`.
    async fn submit_article(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: Option<i64>,
    ) -> async_graphql::Result<ArticleObject> {
        transition(ctx, id, Transition::Submit, expected_version).await
    }

    /// Live now. Editors and up.
    async fn publish_article(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: Option<i64>,
    ) -> async_graphql::Result<ArticleObject> {
        transition(ctx, id, Transition::Publish, expected_version).await
    }

    /// Live at `at`, on its own. Editors and up.
    async fn schedule_article(
        &self,
        ctx: &Context<'_>,
        id: ID,
        at: Timestamp,
        expected_version: Option<i64>,
    ) -> async_graphql::Result<ArticleObject> {
        let at = PublishTime::parse(at.0, now(), "at").gql()?;
        transition(ctx, id, Transition::Schedule(at), expected_version).await
    }

    /// Makes the text at `version` (a listed revision) current again, as an
    /// edit: the text it replaces is kept as a revision. Whoever may edit
    /// the article; only if still at `expectedVersion` when given.
    async fn restore_revision(
        &self,
        ctx: &Context<'_>,
        article_id: ID,
        version: i64,
        expected_version: Option<i64>,
    ) -> async_graphql::Result<ArticleObject> {
        let article = services(ctx)
            .restore_revision(viewer(ctx), article_id.0, version, expected_version)
            .await
            .gql()?;
        Ok(ArticleObject(article))
    }

    /// Back to draft, off the site. Editors and up.
    async fn unpublish_article(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: Option<i64>,
    ) -> async_graphql::Result<ArticleObject> {
        transition(ctx, id, Transition::Unpublish, expected_version).await
    }

    /// Off the feed, kept for the record. Editors and up.
    async fn archive_article(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: Option<i64>,
    ) -> async_graphql::Result<ArticleObject> {
        transition(ctx, id, Transition::Archive, expected_version).await
    }

    /// Deletes an article with its comments and revisions, into the trash
    /// (`trash`, `restoreArticle`). Editors and up.
    async fn delete_article(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: Option<i64>,
    ) -> async_graphql::Result<bool> {
        services(ctx).delete_article(viewer(ctx), id.0, expected_version).await.gql()?;
        Ok(true)
    }

    /// A revocable link that lets anyone holding it read the article's
    /// current text through `preview(token:)`, whatever its status, until it
    /// expires. The article's authors and editors.
    async fn create_preview(
        &self,
        ctx: &Context<'_>,
        article_id: ID,
    ) -> async_graphql::Result<PreviewObject> {
        mark_private(ctx);
        Ok(services(ctx).create_preview(viewer(ctx), article_id.0).await.gql()?.into())
    }

    /// Appends a correction or an update under a published story: shown in
    /// order in every read, never edited; the story's `updatedAt` moves to
    /// the note's time. Editors and up.
    async fn add_correction(
        &self,
        ctx: &Context<'_>,
        article_id: ID,
        input: CorrectionInput,
    ) -> async_graphql::Result<CorrectionObject> {
        let note = input.try_into().gql()?;
        Ok(CorrectionObject(services(ctx).add_correction(viewer(ctx), article_id.0, note).await.gql()?))
    }

    /// Ends a preview link at once. The article's authors and editors.
    async fn revoke_preview(&self, ctx: &Context<'_>, token: String) -> async_graphql::Result<bool> {
        services(ctx).revoke_preview(viewer(ctx), &token).await.gql()?;
        Ok(true)
    }

    /// Editors and up.
    async fn create_category(
        &self,
        ctx: &Context<'_>,
        input: CreateCategoryInput,
    ) -> async_graphql::Result<CategoryObject> {
        let new = input.try_into().gql()?;
        Ok(CategoryObject(services(ctx).create_category(viewer(ctx), new).await.gql()?))
    }

    /// Rename, reorder or move a section (by slug or id). Editors and up.
    async fn update_category(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: UpdateCategoryInput,
    ) -> async_graphql::Result<CategoryObject> {
        let patch = input.try_into().gql()?;
        Ok(CategoryObject(services(ctx).update_category(viewer(ctx), &id, patch).await.gql()?))
    }

    /// Refused while articles or sub-sections use it. Editors and up.
    async fn delete_category(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<bool> {
        services(ctx).delete_category(viewer(ctx), &id).await.gql()?;
        Ok(true)
    }

    /// Editors and up.
    async fn create_tag(&self, ctx: &Context<'_>, input: TagInput) -> async_graphql::Result<TagObject> {
        let new = input.try_into().gql()?;
        Ok(services(ctx).create_tag(viewer(ctx), new).await.gql()?.into())
    }

    /// Changes a tag (by slug). Editors and up.
    async fn update_tag(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: TagInput,
    ) -> async_graphql::Result<TagObject> {
        let patch = input.try_into().gql()?;
        Ok(services(ctx).update_tag(viewer(ctx), &id, patch).await.gql()?.into())
    }

    /// Articles simply lose the tag. Editors and up.
    async fn delete_tag(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<bool> {
        services(ctx).delete_tag(viewer(ctx), &id).await.gql()?;
        Ok(true)
    }

    /// Uploads an image (GraphQL multipart request): JPEG, PNG, WebP or GIF,
    /// recognised by its bytes, its metadata removed. The same file again
    /// answers the item it made. Authors and up.
    async fn upload_media(
        &self,
        ctx: &Context<'_>,
        file: Upload,
        input: Option<MediaInput>,
    ) -> async_graphql::Result<MediaObject> {
        let fields = input.unwrap_or_default().try_into().gql()?;
        let services = services(ctx);
        services.may_upload_media(viewer(ctx)).gql()?;
        let bytes = upload_bytes(ctx, file, services.media_upload_limit()).await.gql()?;
        Ok(MediaObject(services.upload_media(viewer(ctx), bytes, fields).await.gql()?.0))
    }

    /// Changes an image's editorial fields. Its uploader, or editors.
    async fn update_media(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: MediaInput,
    ) -> async_graphql::Result<MediaObject> {
        let id = media_id(&id).gql()?;
        let patch = input.try_into().gql()?;
        Ok(MediaObject(services(ctx).update_media(viewer(ctx), id, patch).await.gql()?))
    }

    /// Deletes an image and its files; refused while articles use it unless
    /// `force` (editors). Its uploader, or editors.
    async fn delete_media(
        &self,
        ctx: &Context<'_>,
        id: ID,
        force: Option<bool>,
    ) -> async_graphql::Result<bool> {
        let id = media_id(&id).gql()?;
        services(ctx).delete_media(viewer(ctx), id, force.unwrap_or(false)).await.gql()?;
        Ok(true)
    }

    /// Comments on a published article (a reply with `parentId`). Signed-in users.
    async fn add_comment(
        &self,
        ctx: &Context<'_>,
        article_id: ID,
        body: String,
        parent_id: Option<ID>,
    ) -> async_graphql::Result<CommentObject> {
        let new = (
            CommentText::parse(&body, "body"),
            parent_id.map(|id| CommentId::parse_field(&id, "parentId")).transpose(),
        )
            .all_valid()
            .map(|(body, parent)| NewComment { body, parent: parent.map(|id| Named::new(id, "parentId")) })
            .gql()?;
        let comment = services(ctx).post_comment(viewer(ctx), article_id.0, new).await.gql()?;
        Ok(CommentObject(comment))
    }

    /// Changes one's own comment.
    async fn edit_comment(
        &self,
        ctx: &Context<'_>,
        id: ID,
        body: String,
    ) -> async_graphql::Result<CommentObject> {
        let body = CommentText::parse(&body, "body").gql()?;
        Ok(CommentObject(services(ctx).edit_comment(viewer(ctx), &id, body).await.gql()?))
    }

    /// Deletes one's own comment; it stays in its thread as a tombstone.
    async fn delete_comment(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<bool> {
        services(ctx).delete_comment(viewer(ctx), &id).await.gql()?;
        Ok(true)
    }

    /// Moderation. Editors and up.
    async fn hide_comment(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<CommentObject> {
        Ok(CommentObject(services(ctx).moderate_comment(viewer(ctx), &id, true).await.gql()?))
    }

    /// Editors and up.
    async fn unhide_comment(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<CommentObject> {
        Ok(CommentObject(services(ctx).moderate_comment(viewer(ctx), &id, false).await.gql()?))
    }
}
