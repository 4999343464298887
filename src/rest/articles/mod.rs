//! `/articles`: the feed, single articles, writing; the lifecycle moves and
//! revisions are in `workflow`.

mod corrections;
mod input;
mod revisions;
mod trash;
mod workflow;

pub use corrections::{CorrectionBody, add_correction};
pub use input::{
    ArticleListParams, ArticleListRequest, CoverImageBody, CreateArticleBody, ScheduleBody, UpdateArticleBody,
};
pub use revisions::{diff_revision, list_revisions, restore_revision};
pub use trash::{list_trash, restore_article};
pub use workflow::{archive_article, publish_article, schedule_article, submit_article, unpublish_article};

use actix_web::http::{StatusCode, header};
use actix_web::web::{Data, Path, Query};
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post};

use super::feeds::alternates;
use super::params::{IfNoneMatch, next_link};
use super::problem::Problem;
use super::redirect::moved_permanently;
use super::responses::{AuthorsAndUp, BadBody, BadParameters, Conditional, EditorsOnly, SignedIn, Versioned};
use super::versions::{if_match, required_if_match, versioned_json};
use super::views::{Article, ArticleCard, ArticleFacets, ArticleList};
use crate::domain::article as domain;
use crate::domain::site::Site;
use crate::error::AppError;
use crate::http::extract::{Caller, JsonBody};
use crate::service::Services;

/// Replies with an article and an ETag carrying its version (`W/"v7-…"`),
/// which `If-Match` accepts back.
pub(super) fn article_response(
    status: StatusCode,
    article: domain::Article,
    site: &Site,
) -> Result<HttpResponse, AppError> {
    let (version, id) = (article.version, article.id);
    versioned_json(status, version, &Article::new(article, site), || format!("/api/v1/articles/{id}"))
}

/// List articles
///
/// Published articles, newest first, or headline matches first when `q` is given.
/// Items leave out `body` and `body_html`; fetch one article for those.
/// With `status` (staff only), lists unpublished work instead.
#[utoipa::path(
    tag = "articles",
    params(ArticleListParams, IfNoneMatch),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "A page of articles", body = ArticleList,
            headers(("Link" = String, description = "`<…>; rel=\"next\"` when another page follows; \
                        `<…>; rel=\"alternate\"; type=…` for the feeds that follow the list (the site's, or a \
                        section's, tag's or author's when filtered by one alone)"),
                    ("ETag" = String))),
        Conditional,
        BadParameters,
        (status = 401, description = "`status` without a valid token", body = Problem),
        (status = 403, description = "`status` asked by a reader", body = Problem),
    )
)]
#[get("/articles")]
pub async fn list_articles(
    services: Data<Services>,
    caller: Caller,
    params: Query<ArticleListParams>,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    let ArticleListRequest { query, facets } = ArticleListRequest::try_from(params.into_inner())?;
    let facets = match facets {
        true => {
            Some(ArticleFacets::new(services.article_facets(caller.0, query.clone()).await?, services.site()))
        }
        false => None,
    };
    // The feed that follows this list, advertised as a page's `<link rel="alternate">` is.
    let feed = match (&query.category, &query.tag, query.author) {
        _ if query.search.is_some() || query.status.is_some() => None,
        (Some(section), None, None) => Some(format!("/feeds/sections/{section}/")),
        (None, Some(tag), None) => Some(format!("/feeds/tags/{tag}/")),
        (None, None, Some(author)) => Some(format!("/feeds/authors/{author}/")),
        (None, None, None) => Some("/feeds/".to_owned()),
        _ => None,
    };
    let page = services.list_articles(caller.0, query).await?;
    let mut response = HttpResponse::Ok();
    if let Some(cursor) = &page.next_cursor {
        response.append_header((header::LINK, next_link(&req, cursor)));
    }
    if let Some(feed) = feed {
        response.append_header((header::LINK, alternates(services.site(), &feed)));
    }
    Ok(response.json(ArticleList {
        data: page.items.into_iter().map(|a| ArticleCard::new(a, services.site())).collect(),
        next_cursor: page.next_cursor,
        facets,
    }))
}

/// Get one article
///
/// By id or slug, with its Markdown body and the rendered, sanitized HTML.
/// Unpublished articles are visible to their authors and editors only.
#[utoipa::path(
    tag = "articles",
    params(("id_or_slug" = String, Path, description = "The article's id or slug"), IfNoneMatch),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The article", body = Article,
            headers(("ETag" = String, description = "`W/\"v<version>-…\"`; send back in `If-Match` to edit"))),
        Conditional,
        (status = 301, description = "A slug the article had before: `Location` is its current address",
            headers(("Location" = String, description = "`/api/v1/articles/{current slug}`"), ("Cache-Control" = String, description = "Public for a few minutes to anonymous callers"), ("Surrogate-Key" = String), ("Cache-Tag" = String))),
        (status = 404, description = "No such article, or not visible to the caller", body = Problem),
    )
)]
#[get("/articles/{id_or_slug}")]
pub async fn get_article(
    services: Data<Services>,
    caller: Caller,
    path: Path<String>,
) -> Result<HttpResponse, AppError> {
    let asked = path.into_inner();
    let article = services.get_article(caller.0, asked.clone()).await?;
    // A slug it had before: the client is sent to its current address.
    let key = domain::ArticleKey::normalized(&asked).unwrap_or_default();
    if key != article.slug && key != article.id.to_string() {
        let location = format!("/api/v1/articles/{}", article.slug);
        return Ok(moved_permanently(location, &format!("all article:{}", article.id), caller.0));
    }
    article_response(StatusCode::OK, article, services.site())
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
        BadBody,
        AuthorsAndUp,
        (status = 409, description = "The slug is taken", body = Problem),
    )
)]
#[post("/articles")]
pub async fn create_article(
    services: Data<Services>,
    caller: Caller,
    body: JsonBody<CreateArticleBody>,
) -> Result<HttpResponse, AppError> {
    let article = services.create_article(caller.0, body.0.try_into()?).await?;
    article_response(StatusCode::CREATED, article, services.site())
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
        // Before the body's 400, which then says it for both.
        Versioned,
        BadBody,
        SignedIn,
        (status = 403, description = "Not allowed to edit this article", body = Problem),
        (status = 404, description = "No such article", body = Problem),
        (status = 409, description = "The slug is taken, a scheduled article's `expires_at` would fall at or before its publication, or a published or scheduled article is given a library cover without alt text (`errors` names `cover_image.alt_text`)", body = Problem),
        (status = 428, description = "`If-Match` is missing (or `*`)", body = Problem),
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
    let version = required_if_match(&req, "the article")?;
    let patch = body.0.try_into()?;
    let article = services.update_article(caller.0, path.into_inner(), version, patch).await?;
    article_response(StatusCode::OK, article, services.site())
}

/// Delete an article
///
/// With its comments and revisions, into the trash: `GET /api/v1/trash`
/// lists it and `POST /api/v1/articles/{id}/restore` brings it back, whole,
/// for the retention window (30 days unless configured). `If-Match` is
/// optional and checked when sent. **Role: editor or higher.**
#[utoipa::path(
    tag = "articles",
    params(
        ("id_or_slug" = String, Path, description = "The article's id or slug"),
        ("If-Match" = Option<String>, Header, description = "Only if still at this version"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Deleted: in the trash"),
        EditorsOnly,
        (status = 404, description = "No such article", body = Problem),
        Versioned,
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
