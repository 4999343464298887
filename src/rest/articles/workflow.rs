//! The editorial lifecycle over REST: submit, publish, schedule, unpublish,
//! archive.

use actix_web::http::StatusCode;
use actix_web::web::{Data, Path};
use actix_web::{HttpRequest, HttpResponse, post};

use super::article_response;
use super::input::ScheduleBody;
use crate::domain::article::{PublishTime, Transition};
use crate::domain::time::now;
use crate::error::AppError;
use crate::http::extract::{Caller, JsonBody};
use crate::rest::problem::Problem;
use crate::rest::responses::{EditorsOnly, SignedIn, TooLarge, Versioned};
use crate::rest::versions::if_match;
use crate::rest::views::Article;
use crate::service::Services;

async fn transition(
    services: Data<Services>,
    caller: Caller,
    path: Path<String>,
    req: HttpRequest,
    transition: Transition,
) -> Result<HttpResponse, AppError> {
    let version = if_match(&req)?;
    let article = services.transition_article(caller.0, path.into_inner(), transition, version).await?;
    article_response(StatusCode::OK, article, services.site())
}

/// Submit for review
///
/// `draft` → `in_review`. **Role: the article's author, or an editor.**
#[utoipa::path(
    tag = "workflow",
    params(
        ("id_or_slug" = String, Path, description = "The article's id or slug"),
        ("If-Match" = Option<String>, Header, description = "Only if still at this version"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The article, now in review", body = Article, headers(("ETag" = String))),
        SignedIn,
        (status = 403, description = "Not the article's author", body = Problem),
        (status = 404, description = "No such article", body = Problem),
        (status = 409, description = "Not a draft; `current_status` says what it is", body = Problem),
        Versioned,
    )
)]
#[post("/articles/{id_or_slug}/submit")]
pub async fn submit_article(
    services: Data<Services>,
    caller: Caller,
    path: Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    transition(services, caller, path, req, Transition::Submit).await
}

/// Publish now
///
/// `draft`, `in_review` or `scheduled` → `published`, live at once.
/// **Role: editor or higher.**
#[utoipa::path(
    tag = "workflow",
    params(
        ("id_or_slug" = String, Path, description = "The article's id or slug"),
        ("If-Match" = Option<String>, Header, description = "Only if still at this version"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The published article", body = Article, headers(("ETag" = String))),
        EditorsOnly,
        (status = 404, description = "No such article", body = Problem),
        (status = 409, description = "Not publishable from its status (`current_status`), its `expires_at` has passed, or its library cover has no alt text (`errors` names `cover_image.alt_text`)", body = Problem),
        Versioned,
    )
)]
#[post("/articles/{id_or_slug}/publish")]
pub async fn publish_article(
    services: Data<Services>,
    caller: Caller,
    path: Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    transition(services, caller, path, req, Transition::Publish).await
}

/// Schedule
///
/// `draft`, `in_review` or `scheduled` → `scheduled`: the article goes live
/// on its own at `at`. **Role: editor or higher.**
#[utoipa::path(
    tag = "workflow",
    request_body = ScheduleBody,
    params(
        ("id_or_slug" = String, Path, description = "The article's id or slug"),
        ("If-Match" = Option<String>, Header, description = "Only if still at this version"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The scheduled article", body = Article, headers(("ETag" = String))),
        // Before the route's own 400, which then says it for both.
        Versioned,
        (status = 400, description = "`at` is missing or not in the future, or `If-Match` is malformed", body = Problem),
        TooLarge,
        EditorsOnly,
        (status = 404, description = "No such article", body = Problem),
        (status = 409, description = "Not schedulable from its status (`current_status`), `at` is at or after its `expires_at`, or its library cover has no alt text (`errors` names `cover_image.alt_text`)", body = Problem),
    )
)]
#[post("/articles/{id_or_slug}/schedule")]
pub async fn schedule_article(
    services: Data<Services>,
    caller: Caller,
    path: Path<String>,
    req: HttpRequest,
    body: JsonBody<ScheduleBody>,
) -> Result<HttpResponse, AppError> {
    let at = PublishTime::parse(body.0.at, now(), "at")?;
    transition(services, caller, path, req, Transition::Schedule(at)).await
}

/// Unpublish
///
/// `published`, `scheduled`, `in_review` or `archived` → `draft`, off the
/// site. **Role: editor or higher.**
#[utoipa::path(
    tag = "workflow",
    params(
        ("id_or_slug" = String, Path, description = "The article's id or slug"),
        ("If-Match" = Option<String>, Header, description = "Only if still at this version"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The article, back to draft", body = Article, headers(("ETag" = String))),
        EditorsOnly,
        (status = 404, description = "No such article", body = Problem),
        (status = 409, description = "Already a draft (`current_status`)", body = Problem),
        Versioned,
    )
)]
#[post("/articles/{id_or_slug}/unpublish")]
pub async fn unpublish_article(
    services: Data<Services>,
    caller: Caller,
    path: Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    transition(services, caller, path, req, Transition::Unpublish).await
}

/// Archive
///
/// `published`, `draft` or `in_review` → `archived`: off the feed, kept for
/// the record. **Role: editor or higher.**
#[utoipa::path(
    tag = "workflow",
    params(
        ("id_or_slug" = String, Path, description = "The article's id or slug"),
        ("If-Match" = Option<String>, Header, description = "Only if still at this version"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The archived article", body = Article, headers(("ETag" = String))),
        EditorsOnly,
        (status = 404, description = "No such article", body = Problem),
        (status = 409, description = "Not archivable from its status (`current_status`)", body = Problem),
        Versioned,
    )
)]
#[post("/articles/{id_or_slug}/archive")]
pub async fn archive_article(
    services: Data<Services>,
    caller: Caller,
    path: Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    transition(services, caller, path, req, Transition::Archive).await
}
