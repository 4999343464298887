//! The OpenAPI document, collected from the handlers' annotations.

use actix_web::{HttpResponse, web};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::AppExt;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Newsdesk",
        description = "The content API of a news site: articles, sections, tags and reader comments. \
                       Errors are RFC 9457 `application/problem+json` with a stable `code`. Lists are \
                       cursor-paginated: pass `next_cursor` back as `cursor` (also given in a \
                       `Link: rel=\"next\"` header). Every GET carries an ETag and answers \
                       `If-None-Match` with 304; an anonymous read also names what it shows in \
                       `Surrogate-Key` (space-separated) and `Cache-Tag` (comma-separated), the tags to purge a CDN by. Signed-in routes take `Authorization: Bearer \
                       <access token>` from `/api/v1/auth/login`; each route says which role it needs. \
                       Every answer carries `X-Content-Type-Options: nosniff`, `Referrer-Policy: \
                       no-referrer`, `X-Frame-Options: DENY` and a `Content-Security-Policy`; \
                       a 503 carries `Retry-After`. Sign-in, sign-up, token refresh and comments \
                       are limited (shared by every instance): their answers carry `RateLimit-Limit`, \
                       `RateLimit-Remaining` and `RateLimit-Reset`, and a 429 `Retry-After`. \
                       Images are uploaded to `/api/v1/media` and served from `/media/{sha256}/{file}`, \
                       immutable, in renditions listed with each item.",
        license(name = "MIT", identifier = "MIT"),
    ),
    servers((url = "/", description = "This server")),
    tags(
        (name = "auth", description = "Accounts and sessions: sign up, sign in, token refresh"),
        (name = "articles", description = "Stories: the feed, search, single articles, writing"),
        (name = "workflow", description = "The editorial lifecycle: draft → in review → scheduled/published → archived"),
        (name = "previews", description = "Preview links: an article's current text, before it is public, for whoever holds the token"),
        (name = "comments", description = "Reader comment threads"),
        (name = "moderation", description = "Comment moderation: readers' reports, the queue of held and reported comments, approval (editors)"),
        (name = "categories", description = "Sections, a tree (World › Europe)"),
        (name = "tags", description = "Tags"),
        (name = "collections", description = "Curated collections: named, ordered lists of articles editors keep (top stories, editors' picks)"),
        (name = "users", description = "Account administration (admins)"),
        (name = "audit", description = "The log of every staff action (admins)"),
        (name = "media", description = "The media library: image uploads, their editorial fields, and the image files with their renditions"),
        (name = "feeds", description = "RSS 2.0, Atom 1.0 and JSON Feed 1.1 of the site, sections, tags and authors"),
        (name = "webhooks", description = "Signed event deliveries (Standard Webhooks) to registered endpoints (admins)"),
        (name = "operations", description = "Health probes"),
    ),
    components(schemas(
        super::problem::Problem,
        super::problem::ProblemCode,
        crate::domain::ArticleStatus,
        crate::domain::audit::AuditAction,
        crate::domain::audit::AuditTarget,
        crate::domain::CommentStatus,
        crate::domain::CommentsMode,
        crate::domain::moderation::ReportReason,
        crate::domain::correction::CorrectionKind,
        crate::domain::diff::TextChange,
        crate::domain::Role,
    )),
    modifiers(&BearerAuth)
)]
struct ApiDoc;

/// Every response whose body is a [`Problem`](super::problem::Problem) is
/// `application/problem+json`: said once here, not at each route. Applied
/// to the whole document, after the routes are in: a `modifiers(...)` entry
/// would run before they are.
struct ProblemBodies;

impl Modify for ProblemBodies {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let problem = utoipa::openapi::Ref::from_schema_name("Problem");
        for item in openapi.paths.paths.values_mut() {
            for operation in operations(item) {
                for response in operation.responses.responses.values_mut() {
                    let utoipa::openapi::RefOr::T(response) = response else { continue };
                    let is_problem = response.content.get("application/json").is_some_and(|content| {
                        matches!(&content.schema, Some(utoipa::openapi::RefOr::Ref(r)) if *r == problem)
                    });
                    if is_problem && let Some(content) = response.content.shift_remove("application/json") {
                        response.content.insert(super::problem::CONTENT_TYPE.to_owned(), content);
                    }
                }
            }
        }
    }
}

/// Every operation of a path, whatever its method.
fn operations(
    item: &mut utoipa::openapi::path::PathItem,
) -> impl Iterator<Item = &mut utoipa::openapi::path::Operation> {
    [
        &mut item.get,
        &mut item.put,
        &mut item.post,
        &mut item.delete,
        &mut item.options,
        &mut item.head,
        &mut item.patch,
        &mut item.trace,
    ]
    .into_iter()
    .flatten()
}

/// Every read open to anonymous callers answers them with `Surrogate-Key`:
/// said once here, for each such route's 200 and 304.
struct CacheTags;

impl Modify for CacheTags {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let tags = utoipa::openapi::header::HeaderBuilder::new()
            .schema(utoipa::openapi::schema::ObjectBuilder::new().schema_type(utoipa::openapi::Type::String))
            .description(Some(
                "To anonymous callers: what the response shows, as space-separated cache tags \
                 (`all`, `article:<id>`, `thread:<id>`, `feed`, `feed:section:<id>`, `search`, \
                 `section:<id>`, `sections`…). A write makes stale exactly the responses tagged \
                 with what it changed: purge a CDN by the same tags.",
            ))
            .build();
        for (path, item) in openapi.paths.paths.iter_mut() {
            let Some(get) = item.get.as_mut() else { continue };
            let anonymous = get.security.as_ref().is_some_and(|all| {
                all.iter().any(|requirement| {
                    serde_json::to_value(requirement)
                        .is_ok_and(|v| v.as_object().is_some_and(|o| o.is_empty()))
                })
            });
            // Previews are never stored, so name nothing to purge.
            if !anonymous || !path.starts_with("/api/") || path.starts_with(crate::http::cache::PREVIEWS) {
                continue;
            }
            // The 304 repeats it, as it repeats the ETag.
            for status in ["200", "304"] {
                if let Some(utoipa::openapi::RefOr::T(answer)) = get.responses.responses.get_mut(status) {
                    answer.headers.insert("Surrogate-Key".to_owned(), tags.clone());
                }
            }
        }
    }
}

/// Every route that reads or writes the database may answer 503 with
/// `Retry-After` (the database is unreachable, restarting, or cannot store
/// anything): said once here, for each such route.
struct Outages;

impl Modify for Outages {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{RefOr, ResponseBuilder, content::ContentBuilder, header::HeaderBuilder};
        let retry_after = HeaderBuilder::new()
            .schema(utoipa::openapi::schema::ObjectBuilder::new().schema_type(utoipa::openapi::Type::Integer))
            .description(Some("Seconds to wait before trying again"))
            .build();
        let unavailable = ResponseBuilder::new()
            .description("The database is unreachable, restarting or cannot store anything now: retry")
            .content(
                super::problem::CONTENT_TYPE,
                ContentBuilder::new().schema(Some(utoipa::openapi::Ref::from_schema_name("Problem"))).build(),
            )
            .header("Retry-After", retry_after.clone())
            .build();
        for (path, item) in openapi.paths.paths.iter_mut() {
            if path == "/healthz" || path == "/metrics" {
                continue;
            }
            for operation in operations(item) {
                match operation.responses.responses.get_mut("503") {
                    Some(RefOr::T(existing)) => {
                        existing.headers.insert("Retry-After".to_owned(), retry_after.clone());
                    }
                    _ => {
                        operation.responses.responses.insert("503".to_owned(), RefOr::T(unavailable.clone()));
                    }
                }
            }
        }
    }
}

/// Every limited route (it may answer 429) says how much of its allowance
/// is left, on each answer the attempt was counted for: said once here.
struct RateLimitHeaders;

impl Modify for RateLimitHeaders {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{RefOr, header::HeaderBuilder};
        let header = |description: &str| {
            HeaderBuilder::new()
                .schema(
                    utoipa::openapi::schema::ObjectBuilder::new().schema_type(utoipa::openapi::Type::Integer),
                )
                .description(Some(description))
                .build()
        };
        let headers = [
            (
                "RateLimit-Limit",
                header(
                    "When the attempt was counted: attempts the limit allows at once (they come back evenly over its period)",
                ),
            ),
            ("RateLimit-Remaining", header("When the attempt was counted: attempts left now")),
            (
                "RateLimit-Reset",
                header("When the attempt was counted: seconds until the whole allowance is back"),
            ),
        ];
        for item in openapi.paths.paths.values_mut() {
            for operation in operations(item) {
                if !operation.responses.responses.contains_key("429") {
                    continue;
                }
                for (status, answer) in operation.responses.responses.iter_mut() {
                    // Refused before counting: no token, an oversized body, an outage.
                    if let (false, RefOr::T(answer)) =
                        (["401", "413", "503"].contains(&status.as_str()), answer)
                    {
                        for (name, header) in &headers {
                            answer.headers.insert((*name).to_owned(), header.clone());
                        }
                    }
                }
            }
        }
    }
}

/// Declares the bearer-JWT scheme signed-in routes require, and the
/// metrics token `/metrics` may require.
struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        if let Some(components) = openapi.components.as_mut() {
            components.add_security_scheme(
                "bearer",
                SecurityScheme::Http(
                    HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("JWT").build(),
                ),
            );
            components.add_security_scheme(
                "metrics_token",
                SecurityScheme::Http(
                    HttpBuilder::new()
                        .scheme(HttpAuthScheme::Bearer)
                        .description(Some("The secret set with `--metrics-token`"))
                        .build(),
                ),
            );
        }
    }
}

/// The whole document: the base above plus every route registered by
/// [`super::configure`].
pub fn document() -> utoipa::openapi::OpenApi {
    let (_, mut api) = actix_web::App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .configure(super::configure)
        .split_for_parts();
    ProblemBodies.modify(&mut api);
    CacheTags.modify(&mut api);
    Outages.modify(&mut api);
    RateLimitHeaders.modify(&mut api);
    super::text_limits::TextLimits.modify(&mut api);
    api
}

/// The document as served and as checked in at `openapi/openapi.json`.
pub fn document_json() -> String {
    let mut json = document().to_pretty_json().unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    json.push('\n');
    json
}

/// The pre-rendered document, built once at start-up.
#[derive(Clone)]
pub struct OpenApiJson(pub std::sync::Arc<String>);

/// `GET /openapi.json`
pub async fn serve(doc: web::Data<OpenApiJson>) -> HttpResponse {
    HttpResponse::Ok().content_type("application/json").body(doc.0.as_str().to_owned())
}
