//! `/articles`: the feed, single articles, writing and the editorial lifecycle.

use actix_web::http::{StatusCode, header};
use actix_web::web::{Data, Path, Query};
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post};
use serde::Deserialize;
use utoipa::IntoParams;

use super::bodies::{CreateArticleBody, ScheduleBody, UpdateArticleBody};
use super::extract::{Caller, JsonBody};
use super::http_cache::body_hash;
use super::params::{ParamParser, next_link};
use super::problem::Problem;
use super::views::{Article, ArticleCard, ArticleList, Revision, RevisionList};
use crate::domain::article::{self as domain, Transition};
use crate::error::AppError;
use crate::service::Services;
use crate::service::articles::ArticleListRequest;

/// Filters and paging of the article list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ArticleListParams {
    /// A section's slug; its sub-sections are included.
    #[param(example = "world")]
    category: Option<String>,
    /// A tag's slug.
    #[param(example = "energy")]
    tag: Option<String>,
    /// An author's user id.
    #[param(value_type = Option<uuid::Uuid>)]
    author: Option<String>,
    /// Only featured (or only non-featured) articles.
    #[param(value_type = Option<bool>)]
    featured: Option<String>,
    /// Full-text search over title, summary and body: the 2,000 newest
    /// matching articles, ranked by relevance instead of time.
    #[param(example = "energy prices")]
    q: Option<String>,
    /// Published at or after this time (RFC 3339).
    #[param(value_type = Option<chrono::DateTime<chrono::Utc>>)]
    from: Option<String>,
    /// Published at or before this time (RFC 3339).
    #[param(value_type = Option<chrono::DateTime<chrono::Utc>>)]
    to: Option<String>,
    /// Staff only (needs a bearer token; authors see their own articles):
    /// list articles in this status, newest created first, instead of the feed.
    #[param(value_type = Option<super::views::ArticleStatus>)]
    status: Option<String>,
    /// Page size, 1 to 100.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 100, default = 20)]
    limit: Option<String>,
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
}

const PROBLEM: &str = "application/problem+json";

/// Replies with an article and an ETag carrying its version (`W/"v7-…"`),
/// which `If-Match` accepts back.
fn article_response(status: StatusCode, article: domain::Article) -> Result<HttpResponse, AppError> {
    let version = article.version;
    let id = article.id;
    let body = serde_json::to_vec(&Article::from(article)).map_err(AppError::internal)?;
    let mut response = HttpResponse::build(status);
    response.insert_header((header::ETAG, format!("W/\"v{version}-{:016x}\"", body_hash(&body))));
    if status == StatusCode::CREATED {
        response.insert_header((header::LOCATION, format!("/api/v1/articles/{id}")));
    }
    Ok(response.content_type("application/json").body(body))
}

/// The version in `If-Match`: `"7"`, or an ETag this API sent (`W/"v7-…"`).
fn if_match(req: &HttpRequest) -> Result<Option<i64>, AppError> {
    let Some(value) = req.headers().get(header::IF_MATCH) else {
        return Ok(None);
    };
    let invalid = || AppError::invalid("If-Match", "must be the article's version or an ETag this API sent");
    let raw = value.to_str().map_err(|_| invalid())?.trim();
    let unquoted = raw.trim_start_matches("W/").trim_matches('"');
    let digits = unquoted.trim_start_matches('v').split('-').next().unwrap_or_default();
    digits.parse::<i64>().map(Some).map_err(|_| invalid())
}

/// List articles
///
/// Published articles, newest first, or by relevance when `q` is given.
/// Items leave out `body` and `body_html`; fetch one article for those.
/// With `status` (staff only), lists unpublished work instead.
#[utoipa::path(
    tag = "articles",
    params(ArticleListParams),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "A page of articles", body = ArticleList,
            headers(("Link" = String, description = "`<…>; rel=\"next\"` when another page follows"),
                    ("ETag" = String))),
        (status = 304, description = "Not modified since the ETag in `If-None-Match`"),
        (status = 400, description = "A parameter is invalid", body = Problem, content_type = PROBLEM),
        (status = 401, description = "`status` without a valid token", body = Problem, content_type = PROBLEM),
        (status = 403, description = "`status` asked by a reader", body = Problem, content_type = PROBLEM),
    )
)]
#[get("/articles")]
pub async fn list_articles(
    services: Data<Services>,
    caller: Caller,
    params: Query<ArticleListParams>,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    let params = params.into_inner();
    let mut p = ParamParser::default();
    let request = ArticleListRequest {
        featured: p.bool(params.featured.as_deref(), "featured"),
        from: p.time(params.from.as_deref(), "from"),
        to: p.time(params.to.as_deref(), "to"),
        limit: p.limit(params.limit.as_deref(), "limit"),
        category: params.category,
        tag: params.tag,
        author: params.author,
        q: params.q,
        cursor: params.cursor,
        status: params.status,
    };
    p.finish()?;
    let page = services.list_articles(caller.0, request).await?;
    let mut response = HttpResponse::Ok();
    if let Some(cursor) = &page.next_cursor {
        response.insert_header((header::LINK, next_link(&req, cursor)));
    }
    Ok(response.json(ArticleList {
        data: page.items.into_iter().map(ArticleCard::from).collect(),
        next_cursor: page.next_cursor,
    }))
}

/// Get one article
///
/// By id or slug, with its Markdown body and the rendered, sanitized HTML.
/// Unpublished articles are visible to their authors and editors only.
#[utoipa::path(
    tag = "articles",
    params(("id_or_slug" = String, Path, description = "The article's id or slug")),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The article", body = Article,
            headers(("ETag" = String, description = "`W/\"v<version>-…\"`; send back in `If-Match` to edit"))),
        (status = 304, description = "Not modified since the ETag in `If-None-Match`"),
        (status = 404, description = "No such article, or not visible to the caller", body = Problem, content_type = PROBLEM),
    )
)]
#[get("/articles/{id_or_slug}")]
pub async fn get_article(
    services: Data<Services>,
    caller: Caller,
    path: Path<String>,
) -> Result<HttpResponse, AppError> {
    let article = services.get_article(caller.0, path.into_inner()).await?;
    article_response(StatusCode::OK, article)
}

/// Create an article
///
/// Starts a draft credited to the caller. **Role: author or higher.**
#[utoipa::path(
    tag = "articles",
    request_body = CreateArticleBody,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The new draft", body = Article,
            headers(("Location" = String), ("ETag" = String))),
        (status = 400, description = "Invalid input", body = Problem, content_type = PROBLEM),
        (status = 401, description = "No valid token", body = Problem, content_type = PROBLEM),
        (status = 403, description = "Readers cannot write", body = Problem, content_type = PROBLEM),
        (status = 409, description = "The slug is taken", body = Problem, content_type = PROBLEM),
        (status = 413, description = "Body too large", body = Problem, content_type = PROBLEM),
    )
)]
#[post("/articles")]
pub async fn create_article(
    services: Data<Services>,
    caller: Caller,
    body: JsonBody<CreateArticleBody>,
) -> Result<HttpResponse, AppError> {
    let article = services.create_article(caller.0, body.0.into()).await?;
    article_response(StatusCode::CREATED, article)
}

/// Edit an article
///
/// Changes the members given. Requires `If-Match` with the article's current
/// version (or its ETag): a stale one is refused with 412 and nothing changes.
/// Text changes keep the previous text as a revision. **Role: editor, or the
/// article's author while it is a draft.**
#[utoipa::path(
    tag = "articles",
    request_body = UpdateArticleBody,
    params(
        ("id_or_slug" = String, Path, description = "The article's id or slug"),
        ("If-Match" = String, Header, description = "The version being edited: `\"7\"` or the ETag from a GET"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The edited article", body = Article, headers(("ETag" = String))),
        (status = 400, description = "Invalid input", body = Problem, content_type = PROBLEM),
        (status = 401, description = "No valid token", body = Problem, content_type = PROBLEM),
        (status = 403, description = "Not allowed to edit this article", body = Problem, content_type = PROBLEM),
        (status = 404, description = "No such article", body = Problem, content_type = PROBLEM),
        (status = 409, description = "The slug is taken", body = Problem, content_type = PROBLEM),
        (status = 412, description = "`If-Match` is stale: someone else edited first", body = Problem, content_type = PROBLEM),
        (status = 428, description = "`If-Match` is missing", body = Problem, content_type = PROBLEM),
    )
)]
#[patch("/articles/{id_or_slug}")]
pub async fn update_article(
    services: Data<Services>,
    caller: Caller,
    path: Path<String>,
    req: HttpRequest,
    body: JsonBody<UpdateArticleBody>,
) -> Result<HttpResponse, AppError> {
    let Some(version) = if_match(&req)? else {
        return Err(AppError::PreconditionRequired(
            "send `If-Match` with the article's version or ETag, so that no edit is lost".into(),
        ));
    };
    let article = services.update_article(caller.0, path.into_inner(), version, body.0.into()).await?;
    article_response(StatusCode::OK, article)
}

/// Delete an article
///
/// With its comments and revisions. `If-Match` is optional and checked when
/// sent. **Role: editor or higher.**
#[utoipa::path(
    tag = "articles",
    params(
        ("id_or_slug" = String, Path, description = "The article's id or slug"),
        ("If-Match" = Option<String>, Header, description = "Only if still at this version"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "No valid token", body = Problem, content_type = PROBLEM),
        (status = 403, description = "Editors only", body = Problem, content_type = PROBLEM),
        (status = 404, description = "No such article", body = Problem, content_type = PROBLEM),
        (status = 412, description = "`If-Match` is stale", body = Problem, content_type = PROBLEM),
    )
)]
#[delete("/articles/{id_or_slug}")]
pub async fn delete_article(
    services: Data<Services>,
    caller: Caller,
    path: Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    services.delete_article(caller.0, path.into_inner(), if_match(&req)?).await?;
    Ok(HttpResponse::NoContent().finish())
}

async fn transition(
    services: Data<Services>,
    caller: Caller,
    path: Path<String>,
    req: HttpRequest,
    transition: Transition,
    at: Option<chrono::DateTime<chrono::Utc>>,
) -> Result<HttpResponse, AppError> {
    let article =
        services.transition_article(caller.0, path.into_inner(), transition, at, if_match(&req)?).await?;
    article_response(StatusCode::OK, article)
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
        (status = 200, description = "The article, now in review", body = Article),
        (status = 401, description = "No valid token", body = Problem, content_type = PROBLEM),
        (status = 403, description = "Not the article's author", body = Problem, content_type = PROBLEM),
        (status = 404, description = "No such article", body = Problem, content_type = PROBLEM),
        (status = 409, description = "Not a draft; `current_status` says what it is", body = Problem, content_type = PROBLEM),
        (status = 412, description = "`If-Match` is stale", body = Problem, content_type = PROBLEM),
    )
)]
#[post("/articles/{id_or_slug}/submit")]
pub async fn submit_article(
    services: Data<Services>,
    caller: Caller,
    path: Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    transition(services, caller, path, req, Transition::Submit, None).await
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
        (status = 200, description = "The published article", body = Article),
        (status = 401, description = "No valid token", body = Problem, content_type = PROBLEM),
        (status = 403, description = "Editors only", body = Problem, content_type = PROBLEM),
        (status = 404, description = "No such article", body = Problem, content_type = PROBLEM),
        (status = 409, description = "Not publishable from its status (`current_status`)", body = Problem, content_type = PROBLEM),
        (status = 412, description = "`If-Match` is stale", body = Problem, content_type = PROBLEM),
    )
)]
#[post("/articles/{id_or_slug}/publish")]
pub async fn publish_article(
    services: Data<Services>,
    caller: Caller,
    path: Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    transition(services, caller, path, req, Transition::Publish, None).await
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
        (status = 200, description = "The scheduled article", body = Article),
        (status = 400, description = "`at` is missing or not in the future", body = Problem, content_type = PROBLEM),
        (status = 401, description = "No valid token", body = Problem, content_type = PROBLEM),
        (status = 403, description = "Editors only", body = Problem, content_type = PROBLEM),
        (status = 404, description = "No such article", body = Problem, content_type = PROBLEM),
        (status = 409, description = "Not schedulable from its status (`current_status`)", body = Problem, content_type = PROBLEM),
        (status = 412, description = "`If-Match` is stale", body = Problem, content_type = PROBLEM),
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
    transition(services, caller, path, req, Transition::Schedule, Some(body.0.at)).await
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
        (status = 200, description = "The article, back to draft", body = Article),
        (status = 401, description = "No valid token", body = Problem, content_type = PROBLEM),
        (status = 403, description = "Editors only", body = Problem, content_type = PROBLEM),
        (status = 404, description = "No such article", body = Problem, content_type = PROBLEM),
        (status = 409, description = "Already a draft (`current_status`)", body = Problem, content_type = PROBLEM),
        (status = 412, description = "`If-Match` is stale", body = Problem, content_type = PROBLEM),
    )
)]
#[post("/articles/{id_or_slug}/unpublish")]
pub async fn unpublish_article(
    services: Data<Services>,
    caller: Caller,
    path: Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    transition(services, caller, path, req, Transition::Unpublish, None).await
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
        (status = 200, description = "The archived article", body = Article),
        (status = 401, description = "No valid token", body = Problem, content_type = PROBLEM),
        (status = 403, description = "Editors only", body = Problem, content_type = PROBLEM),
        (status = 404, description = "No such article", body = Problem, content_type = PROBLEM),
        (status = 409, description = "Not archivable from its status (`current_status`)", body = Problem, content_type = PROBLEM),
        (status = 412, description = "`If-Match` is stale", body = Problem, content_type = PROBLEM),
    )
)]
#[post("/articles/{id_or_slug}/archive")]
pub async fn archive_article(
    services: Data<Services>,
    caller: Caller,
    path: Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    transition(services, caller, path, req, Transition::Archive, None).await
}

/// List revisions
///
/// Every earlier version of the article's text, newest first.
/// **Role: the article's authors, or an editor.**
#[utoipa::path(
    tag = "articles",
    params(("id_or_slug" = String, Path, description = "The article's id or slug")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Earlier versions", body = RevisionList),
        (status = 401, description = "No valid token", body = Problem, content_type = PROBLEM),
        (status = 403, description = "Not an author of the article, nor an editor", body = Problem, content_type = PROBLEM),
        (status = 404, description = "No such article", body = Problem, content_type = PROBLEM),
    )
)]
#[get("/articles/{id_or_slug}/revisions")]
pub async fn list_revisions(
    services: Data<Services>,
    caller: Caller,
    path: Path<String>,
) -> Result<HttpResponse, AppError> {
    let revisions = services.article_revisions(caller.0, path.into_inner()).await?;
    Ok(HttpResponse::Ok().json(RevisionList { data: revisions.into_iter().map(Revision::from).collect() }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_match_takes_versions_and_our_etags() {
        let read = |v: &str| {
            if_match(
                &actix_web::test::TestRequest::default().insert_header(("If-Match", v)).to_http_request(),
            )
        };
        assert_eq!(read("\"7\"").unwrap(), Some(7));
        assert_eq!(read("7").unwrap(), Some(7));
        assert_eq!(read("W/\"v12-00ff00ff00ff00ff\"").unwrap(), Some(12));
        assert!(read("*").is_err());
        assert!(read("\"abc\"").is_err());
        assert_eq!(if_match(&actix_web::test::TestRequest::default().to_http_request()).unwrap(), None);
    }
}
