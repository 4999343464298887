//! Preview links over REST: made for an article, read and revoked by token.

use actix_web::http::{StatusCode, header};
use actix_web::web::{Data, Path};
use actix_web::{HttpResponse, delete, get, post};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::problem::Problem;
use super::responses::{AuthorsAndUp, SignedIn};
use super::views::Article;
use crate::domain::preview::PreviewLink;
use crate::error::AppError;
use crate::http::extract::Caller;
use crate::service::Services;

/// Said of every answer that carries a preview or its token: no cache keeps
/// it (the token is the credential) and no search engine lists it.
const PRIVATE: (header::HeaderName, &str) = (header::CACHE_CONTROL, "private, no-store");
const NOINDEX: (&str, &str) = ("X-Robots-Tag", "noindex");

/// A new preview link. The token is shown this once.
#[derive(Debug, Serialize, ToSchema)]
pub struct Preview {
    /// Opens the article at `/api/v1/previews/{token}` (GraphQL `preview(token:)`).
    pub token: String,
    pub article_id: Uuid,
    /// When the link stops working (unless revoked before).
    pub expires_at: DateTime<Utc>,
}

impl From<PreviewLink> for Preview {
    fn from(link: PreviewLink) -> Self {
        Self { token: link.token, article_id: link.article_id.uuid(), expires_at: link.expires_at }
    }
}

/// Create a preview link
///
/// A revocable link that lets anyone holding it read the article's current
/// text without signing in, whatever its status (a draft, in review,
/// scheduled, unpublished), until it expires (`--preview-lifetime-hours`,
/// 48 by default). **Role: the article's author, or an editor.**
#[utoipa::path(
    tag = "previews",
    params(("id_or_slug" = String, Path, description = "The article's id or slug")),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The link; its token is shown only here", body = Preview,
            headers(("Location" = String, description = "`/api/v1/previews/{token}`"),
                    ("Cache-Control" = String, description = "`private, no-store`"),
                    ("X-Robots-Tag" = String, description = "`noindex`"))),
        AuthorsAndUp,
        (status = 404, description = "No such article", body = Problem),
    )
)]
#[post("/articles/{id_or_slug}/previews")]
pub async fn create_preview(
    services: Data<Services>,
    caller: Caller,
    path: Path<String>,
) -> Result<HttpResponse, AppError> {
    let link = services.create_preview(caller.0, path.into_inner()).await?;
    Ok(HttpResponse::build(StatusCode::CREATED)
        .insert_header((header::LOCATION, format!("/api/v1/previews/{}", link.token)))
        .insert_header(PRIVATE)
        .insert_header(NOINDEX)
        .json(Preview::from(link)))
}

/// Read a preview
///
/// The article the link opens, as it is now, to anyone holding the token.
/// Never cached (no ETag) and never indexed.
#[utoipa::path(
    tag = "previews",
    params(("token" = String, Path, description = "The token from creating the link")),
    security(()),
    responses(
        (status = 200, description = "The article", body = Article,
            headers(("Cache-Control" = String, description = "`private, no-store`"),
                    ("X-Robots-Tag" = String, description = "`noindex`"))),
        (status = 404, description = "No such link, or it expired or was revoked", body = Problem),
    )
)]
#[get("/previews/{token}")]
pub async fn read_preview(services: Data<Services>, path: Path<String>) -> Result<HttpResponse, AppError> {
    let article = services.read_preview(&path.into_inner()).await?;
    Ok(HttpResponse::Ok()
        .insert_header(PRIVATE)
        .insert_header(NOINDEX)
        .json(Article::new(article, services.site())))
}

/// Revoke a preview link
///
/// The link stops working at once. **Role: the article's author, or an
/// editor.**
#[utoipa::path(
    tag = "previews",
    params(("token" = String, Path, description = "The link's token")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Revoked"),
        SignedIn,
        (status = 403, description = "Not the article's author or an editor", body = Problem),
        (status = 404, description = "No such link, or it expired or was revoked already", body = Problem),
    )
)]
#[delete("/previews/{token}")]
pub async fn revoke_preview(
    services: Data<Services>,
    caller: Caller,
    path: Path<String>,
) -> Result<HttpResponse, AppError> {
    services.revoke_preview(caller.0, &path.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}
