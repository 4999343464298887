//! The trash over REST: deleted articles listed, and brought back.

use actix_web::http::{StatusCode, header};
use actix_web::web::{Data, Path, Query};
use actix_web::{HttpRequest, HttpResponse, get, post};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::article_response;
use crate::domain::field::{AllValid, Invalid, optional};
use crate::domain::page::{CursorKind, TimeCursor};
use crate::domain::{ArticleId, ArticleStatus, trash};
use crate::error::AppError;
use crate::http::extract::Caller;
use crate::rest::params::{self, IfNoneMatch, next_link};
use crate::rest::problem::Problem;
use crate::rest::responses::{BadParameters, Conditional, EditorsOnly};
use crate::rest::views::{Article, Byline};
use crate::service::Services;
use crate::service::articles::TrashQuery;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TrashListParams {
    /// Page size, 1 to 100.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 100, default = 20)]
    limit: Option<String>,
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
}

impl TryFrom<TrashListParams> for TrashQuery {
    type Error = Invalid;

    fn try_from(p: TrashListParams) -> Result<Self, Invalid> {
        let (limit, after) = (
            params::limit(p.limit.as_deref(), "limit"),
            optional(p.cursor.as_deref(), |c| TimeCursor::decode(CursorKind::Trash, c, "cursor")),
        )
            .all_valid()?;
        Ok(Self { limit, after })
    }
}

/// A deleted article, restorable until `purge_at`.
#[derive(Debug, Serialize, ToSchema)]
pub struct TrashedArticle {
    pub id: Uuid,
    pub slug: String,
    pub title: String,
    /// Its status when deleted, which it has again once restored.
    pub status: ArticleStatus,
    pub version: i64,
    /// Its comments, which come back with it.
    pub comment_count: i32,
    pub deleted_by: Byline,
    pub deleted_at: DateTime<Utc>,
    /// When it is purged for good; restoring is refused from then on.
    pub purge_at: DateTime<Utc>,
}

impl From<trash::TrashedArticle> for TrashedArticle {
    fn from(t: trash::TrashedArticle) -> Self {
        Self {
            id: t.id.uuid(),
            slug: t.slug,
            title: t.title,
            status: t.status,
            version: t.version,
            comment_count: t.comment_count,
            deleted_by: t.deleted_by.into(),
            deleted_at: t.deleted_at,
            purge_at: t.purge_at,
        }
    }
}

/// A page of the trash, most recently deleted first.
#[derive(Debug, Serialize, ToSchema)]
pub struct TrashList {
    pub data: Vec<TrashedArticle>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// List the trash
///
/// Articles deleted within the retention window (30 days unless
/// configured), most recently deleted first. **Role: editor or higher.**
#[utoipa::path(
    tag = "articles",
    params(TrashListParams, IfNoneMatch),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of deleted articles", body = TrashList,
            headers(("Link" = String, description = "`<…>; rel=\"next\"` when another page follows"),
                    ("ETag" = String))),
        Conditional,
        BadParameters,
        EditorsOnly,
    )
)]
#[get("/trash")]
pub async fn list_trash(
    services: Data<Services>,
    caller: Caller,
    params: Query<TrashListParams>,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    let query = TrashQuery::try_from(params.into_inner())?;
    let page = services.list_trash(caller.0, query).await?;
    let mut response = HttpResponse::Ok();
    if let Some(cursor) = &page.next_cursor {
        response.insert_header((header::LINK, next_link(&req, cursor)));
    }
    Ok(response.json(TrashList {
        data: page.items.into_iter().map(TrashedArticle::from).collect(),
        next_cursor: page.next_cursor,
    }))
}

/// Restore a deleted article
///
/// Brings an article back from the trash as it was when deleted: its
/// status, text, version, tags, bylines, revisions, notes, former slugs and
/// comments. It is not put back in the collections it was in. Images
/// deleted from the library meanwhile are left out of it.
/// **Role: editor or higher.**
#[utoipa::path(
    tag = "articles",
    params(("id" = Uuid, Path, description = "The deleted article's id")),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The article, back", body = Article,
            headers(("Location" = String), ("ETag" = String, description = "Carries the version, for `If-Match`"))),
        EditorsOnly,
        (status = 404, description = "Not in the trash: never deleted, already restored, or purged \
                                       (deleted longer ago than the retention window)", body = Problem),
        (status = 409, description = "Its slug has been taken by another article, or its section \
                                       deleted, since (tags and images deleted since are left out)", body = Problem),
    )
)]
#[post("/articles/{id}/restore")]
pub async fn restore_article(
    services: Data<Services>,
    caller: Caller,
    path: Path<String>,
) -> Result<HttpResponse, AppError> {
    // Only an id names a deleted article: its slug may be another's by now.
    let id = ArticleId::parse_field(&path.into_inner(), "id")
        .map_err(|_| AppError::NotFound("article in the trash"))?;
    let article = services.restore_article(caller.0, id).await?;
    article_response(StatusCode::CREATED, article, services.site())
}
