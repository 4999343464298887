//! Browsing and editing the library, and deleting what no article needs.

use crate::db::repo::media::{self as repo, MediaChanges, MediaRow, MediaUser};
use crate::domain::audit::{AuditAction, AuditTarget};
use crate::domain::filters::SearchText;
use crate::domain::media::file_key;
use crate::domain::media::{FocalPoint, MediaItem};
use crate::domain::page::{CursorKind, Limit, Page, TimeCursor};
use crate::domain::text::{AltText, Caption, Credit, License};
use crate::domain::time::{now, to_db};
use crate::domain::{ArticleId, ArticleStatus, MediaId, Role, Viewer, policy};
use crate::error::{AppError, AppResult};
use crate::service::Services;
use crate::service::articles::{find_article, images_changed};
use crate::service::audit::{Done, record};

/// An image's editorial fields, as an upload gives them or an edit changes
/// them (`None`: not given, kept).
#[derive(Debug, Clone, Default)]
pub struct MediaFields {
    pub alt_text: Option<AltText>,
    pub caption: Option<Caption>,
    pub credit: Option<Credit>,
    pub license: Option<License>,
    pub focal: Option<FocalPoint>,
}

pub type MediaPatch = MediaFields;

/// Which page of the library to list.
#[derive(Debug, Clone, Default)]
pub struct MediaQuery {
    pub limit: Limit,
    pub after: Option<TimeCursor<MediaId>>,
    /// Words to find in captions, credits and alt text.
    pub search: Option<SearchText>,
}

impl Services {
    /// The library, newest first. Authors and up.
    pub async fn list_media(&self, viewer: Viewer, query: MediaQuery) -> AppResult<Page<MediaItem>> {
        policy::can_use_media(viewer)?;
        let limit = query.limit;
        let after = query.after.map(|c| (to_db(c.at), c.id));
        let search = query.search.map(|s| s.as_str().to_owned());
        let rows =
            self.db().run(move |conn| repo::page(conn, search.as_deref(), after, limit.probe())).await?;
        let items = rows.into_iter().map(MediaRow::into_item).collect::<AppResult<Vec<_>>>()?;
        Ok(Page::from_probe(items, limit, |item| {
            TimeCursor { at: item.created_at, id: item.id }.encode(CursorKind::Media)
        }))
    }

    /// One item of the library. Authors and up.
    pub async fn get_media(&self, viewer: Viewer, id: MediaId) -> AppResult<MediaItem> {
        policy::can_use_media(viewer)?;
        self.db().run(move |conn| find(conn, id)?.into_item()).await
    }

    /// The articles using an item, as cover or in the body, that the caller
    /// may read (another author's unpublished work is not acknowledged), and
    /// how many others. Authors and up.
    pub async fn media_used_by(&self, viewer: Viewer, id: MediaId) -> AppResult<(Vec<MediaUser>, usize)> {
        policy::can_use_media(viewer)?;
        self.db()
            .run(move |conn| {
                find(conn, id)?;
                let users = repo::users_of(conn, id)?;
                visible_users(conn, viewer, users)
            })
            .await
    }

    /// Edits an item's editorial fields: its uploader or an editor. The
    /// articles whose cover it is show the change at once. Alt text may not
    /// be removed while a published or scheduled article's cover is the
    /// image (publishing requires it).
    pub async fn update_media(&self, viewer: Viewer, id: MediaId, patch: MediaPatch) -> AppResult<MediaItem> {
        policy::can_use_media(viewer)?;
        self.db()
            .run(move |conn| {
                conn.transaction(|conn| {
                    let before = find(conn, id)?;
                    let me = policy::can_change_media(viewer, before.uploaded_by, false)?;
                    // What an author may not edit, they may not change the look of.
                    let users: Vec<ArticleId> = repo::users_of(conn, id)?.into_iter().map(|u| u.id).collect();
                    if me.role < Role::Editor {
                        for &article in &users {
                            let article = find_article(conn, &article.into())?;
                            policy::can_edit(viewer, &article, now()).map_err(|_| {
                                AppError::Forbidden(
                                    "articles you may not edit show this image: an editor may change it"
                                        .into(),
                                )
                            })?;
                        }
                    }
                    let focal = patch.focal.map(FocalPoint::thousandths);
                    let changes = MediaChanges {
                        alt_text: patch.alt_text.map(String::from),
                        caption: patch.caption.map(String::from),
                        credit: patch.credit.map(String::from),
                        license: patch.license.map(String::from),
                        focal_x: focal.map(|(x, _)| x),
                        focal_y: focal.map(|(_, y)| y),
                        updated_at: Some(to_db(now())),
                    };
                    repo::update(conn, id, &changes)?;
                    let after = find(conn, id)?;
                    repo::refresh_covers(conn, &after)?;
                    // Checked after the covers' rows are written (and so
                    // locked): an article published meanwhile is seen.
                    let covered = repo::covered_by(conn, id)?;
                    if after.alt_text.is_empty()
                        && covered.iter().any(|(_, status)| needs_alt_text_to_publish(*status))
                    {
                        return Err(missing_alt_text(
                            "a published or scheduled article's cover needs its alt text; give it another \
                             cover first",
                        ));
                    }
                    // The articles showing it (as cover or in their body), and
                    // nothing else: the library itself is not public.
                    let shown = images_changed(conn, &users)?;
                    conn.changes(shown);
                    record(
                        conn,
                        Some(me.user_id),
                        Done::to(AuditAction::MediaUpdate, AuditTarget::Media, id),
                    )?;
                    after.into_item()
                })
            })
            .await
    }

    /// Deletes an item and its files: its uploader or an editor, while no
    /// article uses it; with `force`, editors only, taking it off the
    /// articles first. Refusals name the articles.
    pub async fn delete_media(&self, viewer: Viewer, id: MediaId, force: bool) -> AppResult<()> {
        policy::can_use_media(viewer)?;
        let sha256 = self
            .db()
            .run(move |conn| {
                conn.transaction(|conn| {
                    let item = find(conn, id)?;
                    let users = repo::users_of(conn, id)?;
                    let me = policy::can_change_media(viewer, item.uploaded_by, force && !users.is_empty())?;
                    if !users.is_empty() && !force {
                        let count = users.len();
                        let (visible, hidden) = visible_users(conn, viewer, users)?;
                        let mut named: Vec<String> = visible.iter().map(|u| format!("`{}`", u.slug)).collect();
                        if hidden > 0 {
                            named.push(format!("{hidden} you cannot see"));
                        }
                        return Err(AppError::conflict(format!(
                            "the image is used by {} article(s): {}; remove it from them first, or delete with \
                             force=true (editors)",
                            count,
                            named.join(", ")
                        )));
                    }
                    repo::delete(conn, id)?;
                    let users: Vec<ArticleId> = users.into_iter().map(|u| u.id).collect();
                    let shown = images_changed(conn, &users)?;
                    conn.changes(shown);
                    record(conn, Some(me.user_id), Done::to(AuditAction::MediaDelete, AuditTarget::Media, id))?;
                    Ok(item.sha256)
                })
            })
            .await?;
        // After the commit, and only if the same file was not uploaded again
        // meanwhile (its new item shares these files). A failure here leaves
        // the files, never an item without them.
        if self.media_by_sha256(&sha256).await?.is_some() {
            return Ok(());
        }
        if let Err(error) = self.media_files().store.delete_all(&file_key(&sha256, "")).await {
            tracing::warn!(%error, %sha256, "the deleted image's files remain in the media store");
        }
        Ok(())
    }
}

/// Of the articles using an image, those `viewer` may read, and how many others.
fn visible_users(
    conn: &mut crate::db::DbConn,
    viewer: Viewer,
    users: Vec<MediaUser>,
) -> AppResult<(Vec<MediaUser>, usize)> {
    let (mut visible, mut hidden) = (Vec::new(), 0);
    for user in users {
        let article = find_article(conn, &user.id.into())?;
        if policy::can_read(viewer, &article, now()) {
            visible.push(user);
        } else {
            hidden += 1;
        }
    }
    Ok((visible, hidden))
}

fn find(conn: &mut crate::db::DbConn, id: MediaId) -> AppResult<MediaRow> {
    repo::by_id(conn, id)?.ok_or(AppError::NotFound("media item"))
}

/// Whether an article in `status` must have alt text on its cover image.
pub(crate) fn needs_alt_text_to_publish(status: ArticleStatus) -> bool {
    matches!(status, ArticleStatus::Published | ArticleStatus::Scheduled)
}

/// The refusal of publishing (or keeping published) a cover without alt text.
pub(crate) fn missing_alt_text(message: &str) -> AppError {
    AppError::Incomplete {
        message: message.to_owned(),
        fields: vec![crate::domain::field::FieldError::new("cover_image.alt_text", "is required to publish")],
    }
}
