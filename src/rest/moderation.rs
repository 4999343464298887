//! Comment moderation: readers' reports, the queue, approval.

use actix_web::http::header;
use actix_web::web::{Data, Path, Query};
use actix_web::{HttpRequest, HttpResponse, get, post};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::params::{self, IfNoneMatch, next_link};
use super::problem::Problem;
use super::responses::{BadBody, BadParameters, Conditional, EditorsOnly, SignedIn};
use super::views::{Comment, ModerationQueue, QueueEntry, Report};
use crate::domain::Vocabulary;
use crate::domain::field::{AllValid, Invalid, optional};
use crate::domain::moderation::ReportReason;
use crate::domain::page::{CursorKind, TimeCursor};
use crate::domain::text::ReportNote;
use crate::error::AppError;
use crate::http::extract::{Caller, JsonBody};
use crate::service::Services;
use crate::service::moderation::NewReport;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportCommentBody {
    /// Why: `spam`, `abuse`, `off_topic` or `other`.
    #[schema(value_type = ReportReason)]
    pub reason: String,
    /// A few words for the editors, up to 500 characters.
    #[schema(example = "Same link posted under every story.")]
    pub note: Option<String>,
}

impl TryFrom<ReportCommentBody> for NewReport {
    type Error = Invalid;

    fn try_from(b: ReportCommentBody) -> Result<Self, Invalid> {
        let (reason, note) = (
            ReportReason::parse_field(&b.reason, "reason"),
            optional(b.note.as_deref(), |n| ReportNote::parse(n, "note")),
        )
            .all_valid()?;
        Ok(Self { reason, note: note.filter(|n| !n.as_str().is_empty()) })
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QueueParams {
    /// Page size, 1 to 100.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 100, default = 20)]
    limit: Option<String>,
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
}

/// Report a comment
///
/// Tells the editors a visible comment breaks the rules; it joins the
/// moderation queue. Once per reader per comment. **Role: any signed-in user.**
#[utoipa::path(
    tag = "moderation",
    request_body = ReportCommentBody,
    params(("id" = uuid::Uuid, Path, description = "The comment's id")),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The report, filed", body = Report),
        BadBody,
        SignedIn,
        (status = 404, description = "No such comment, or none the caller can see", body = Problem),
        (status = 409, description = "The caller already reported this comment", body = Problem),
    )
)]
#[post("/comments/{id}/reports")]
pub async fn report_comment(
    services: Data<Services>,
    caller: Caller,
    path: Path<String>,
    body: JsonBody<ReportCommentBody>,
) -> Result<HttpResponse, AppError> {
    let report = services.report_comment(caller.0, &path.into_inner(), body.0.try_into()?).await?;
    Ok(HttpResponse::Created().json(Report::from(report)))
}

/// The moderation queue
///
/// Comments waiting for an editor, on every article, oldest first: held for
/// approval (pre-moderated articles), and visible ones readers reported.
/// Approving or hiding a comment takes it out. **Role: editor or higher.**
#[utoipa::path(
    tag = "moderation",
    params(QueueParams, IfNoneMatch),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of the queue", body = ModerationQueue,
            headers(("Link" = String, description = "`<…>; rel=\"next\"` when another page follows"),
                    ("ETag" = String))),
        Conditional,
        BadParameters,
        EditorsOnly,
    )
)]
#[get("/moderation/queue")]
pub async fn moderation_queue(
    services: Data<Services>,
    caller: Caller,
    params: Query<QueueParams>,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    let params = params.into_inner();
    let (limit, after) = (
        params::limit(params.limit.as_deref(), "limit"),
        optional(params.cursor.as_deref(), |c| TimeCursor::decode(CursorKind::Queue, c, "cursor")),
    )
        .all_valid()?;
    let page = services.moderation_queue(caller.0, limit, after).await?;
    let mut response = HttpResponse::Ok();
    if let Some(cursor) = &page.next_cursor {
        response.insert_header((header::LINK, next_link(&req, cursor)));
    }
    Ok(response.json(ModerationQueue {
        data: page.items.into_iter().map(QueueEntry::from).collect(),
        next_cursor: page.next_cursor,
    }))
}

/// Approve a comment
///
/// A held comment becomes visible (and counts in `comment_count`); a
/// reported one has its open reports dismissed. Either way it leaves the
/// queue. **Role: editor or higher.**
#[utoipa::path(
    tag = "moderation",
    params(("id" = uuid::Uuid, Path, description = "The comment's id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The approved comment", body = Comment),
        EditorsOnly,
        (status = 404, description = "No such comment", body = Problem),
        (status = 409, description = "Neither held nor reported (`current_status`)", body = Problem),
    )
)]
#[post("/comments/{id}/approve")]
pub async fn approve_comment(
    services: Data<Services>,
    caller: Caller,
    path: Path<String>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(Comment::from(services.approve_comment(caller.0, &path.into_inner()).await?)))
}
