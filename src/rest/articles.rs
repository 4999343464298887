//! `/articles`: the feed, single articles.

use actix_web::http::header;
use actix_web::web::{Data, Path, Query};
use actix_web::{HttpRequest, HttpResponse, get};
use serde::Deserialize;
use utoipa::IntoParams;

use super::params::{ParamParser, next_link};
use super::problem::Problem;
use super::views::{Article, ArticleCard, ArticleList};
use crate::domain::Viewer;
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
    /// Full-text search over title, summary and body; results are ranked by
    /// relevance instead of time (at most 10,000 deep).
    #[param(example = "energy prices")]
    q: Option<String>,
    /// Published at or after this time (RFC 3339).
    #[param(value_type = Option<chrono::DateTime<chrono::Utc>>)]
    from: Option<String>,
    /// Published at or before this time (RFC 3339).
    #[param(value_type = Option<chrono::DateTime<chrono::Utc>>)]
    to: Option<String>,
    /// Page size, 1 to 100.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 100, default = 20)]
    limit: Option<String>,
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
}

/// List published articles
///
/// Newest first, or by relevance when `q` is given. Items leave out `body`
/// and `body_html`; fetch one article for those.
#[utoipa::path(
    tag = "articles",
    params(ArticleListParams),
    responses(
        (status = 200, description = "A page of articles", body = ArticleList,
            headers(("Link" = String, description = "`<…>; rel=\"next\"` when another page follows"),
                    ("ETag" = String))),
        (status = 304, description = "Not modified since the ETag in `If-None-Match`"),
        (status = 400, description = "A parameter is invalid", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/articles")]
pub async fn list_articles(
    services: Data<Services>,
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
    };
    p.finish()?;
    let page = services.list_articles(Viewer::Anonymous, request).await?;
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
#[utoipa::path(
    tag = "articles",
    params(("id_or_slug" = String, Path, description = "The article's id or slug")),
    responses(
        (status = 200, description = "The article", body = Article, headers(("ETag" = String))),
        (status = 304, description = "Not modified since the ETag in `If-None-Match`"),
        (status = 404, description = "No such article, or not visible to the caller", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/articles/{id_or_slug}")]
pub async fn get_article(services: Data<Services>, path: Path<String>) -> Result<HttpResponse, AppError> {
    let article = services.get_article(Viewer::Anonymous, path.into_inner()).await?;
    Ok(HttpResponse::Ok().json(Article::from(article)))
}
