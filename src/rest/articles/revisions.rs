//! The revisions of an article over REST: listed, compared, restored.

use actix_web::http::StatusCode;
use actix_web::web::{Data, Path, Query};
use actix_web::{HttpRequest, HttpResponse, get, post};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::article_response;
use crate::domain::diff::{self, TextChange};
use crate::error::AppError;
use crate::http::extract::Caller;
use crate::rest::params::IfNoneMatch;
use crate::rest::problem::Problem;
use crate::rest::responses::{BadParameters, Conditional, SignedIn, Versioned};
use crate::rest::versions::if_match;
use crate::rest::views::{Article, Revision, RevisionList};
use crate::service::Services;

/// List revisions
///
/// Every earlier version of the article's text, newest first.
/// **Role: the article's authors, or an editor.**
#[utoipa::path(
    tag = "articles",
    params(("id_or_slug" = String, Path, description = "The article's id or slug"), IfNoneMatch),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Earlier versions", body = RevisionList, headers(("ETag" = String))),
        Conditional,
        SignedIn,
        (status = 403, description = "Not an author of the article, nor an editor", body = Problem),
        (status = 404, description = "No such article", body = Problem),
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

/// A run of text, and what became of it in the newer version.
#[derive(Debug, Serialize, ToSchema)]
pub struct DiffSpan {
    pub change: TextChange,
    pub text: String,
}

/// Two versions of an article's text compared: the title and summary word
/// by word, the body (Markdown) line by line. The runs of each field, in
/// order, rebuild the older text (leave out `insert`) and the newer one
/// (leave out `delete`).
#[derive(Debug, Serialize, ToSchema)]
pub struct RevisionDiff {
    #[schema(example = 3)]
    pub from_version: i64,
    #[schema(example = 7)]
    pub to_version: i64,
    pub title: Vec<DiffSpan>,
    pub summary: Vec<DiffSpan>,
    pub body: Vec<DiffSpan>,
}

impl From<diff::TextChanges> for RevisionDiff {
    fn from(d: diff::TextChanges) -> Self {
        let spans = |spans: Vec<diff::Span>| {
            spans.into_iter().map(|s| DiffSpan { change: s.change, text: s.text }).collect()
        };
        Self {
            from_version: d.from_version,
            to_version: d.to_version,
            title: spans(d.title),
            summary: spans(d.summary),
            body: spans(d.body),
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DiffParams {
    /// The version to compare with: a listed revision or the current
    /// version, which is the default.
    #[param(value_type = Option<i64>)]
    against: Option<String>,
}

fn version(raw: &str, field: &str) -> Result<i64, AppError> {
    raw.trim()
        .parse::<i64>()
        .ok()
        .filter(|v| *v >= 1)
        .ok_or_else(|| AppError::invalid(field, "must be a version (1 or more)"))
}

/// Compare a revision
///
/// What changed from the text at `version` to the current text, or to the
/// text at `against`. **Role: the article's authors, or an editor.**
#[utoipa::path(
    tag = "articles",
    params(
        ("id_or_slug" = String, Path, description = "The article's id or slug"),
        ("version" = i64, Path, description = "A listed revision, or the current version"),
        DiffParams,
        IfNoneMatch,
    ),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The changes", body = RevisionDiff, headers(("ETag" = String))),
        Conditional,
        BadParameters,
        SignedIn,
        (status = 403, description = "Not an author of the article, nor an editor", body = Problem),
        (status = 404, description = "No such article, or no such revision", body = Problem),
    )
)]
#[get("/articles/{id_or_slug}/revisions/{version}/diff")]
pub async fn diff_revision(
    services: Data<Services>,
    caller: Caller,
    path: Path<(String, String)>,
    params: Query<DiffParams>,
) -> Result<HttpResponse, AppError> {
    let (key, raw) = path.into_inner();
    let from = version(&raw, "version")?;
    let against = params.into_inner().against.map(|v| version(&v, "against")).transpose()?;
    let changes = services.revision_diff(caller.0, key, from, against).await?;
    Ok(HttpResponse::Ok().json(RevisionDiff::from(changes)))
}

/// Restore a revision
///
/// Makes the title, summary and body at `version` the article's text again,
/// as an edit: a new version, with the text it replaces kept as a revision
/// (so a restore is undone the same way). `If-Match` is optional and
/// checked when sent. **Role: whoever may edit the article.**
#[utoipa::path(
    tag = "articles",
    params(
        ("id_or_slug" = String, Path, description = "The article's id or slug"),
        ("version" = i64, Path, description = "A listed revision"),
        ("If-Match" = Option<String>, Header, description = "Only if still at this version"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The article, its text restored", body = Article, headers(("ETag" = String))),
        Versioned,
        SignedIn,
        (status = 400, description = "`If-Match` or `version` is not a version, or the restored body shows a library image since deleted", body = Problem),
        (status = 403, description = "Not allowed to edit this article", body = Problem),
        (status = 404, description = "No such article, or no such revision", body = Problem),
        (status = 409, description = "The old text no longer fits today's limits, or a published or scheduled article would show a library cover without alt text", body = Problem),
    )
)]
#[post("/articles/{id_or_slug}/revisions/{version}/restore")]
pub async fn restore_revision(
    services: Data<Services>,
    caller: Caller,
    path: Path<(String, String)>,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    let (key, raw) = path.into_inner();
    let from = version(&raw, "version")?;
    let article = services.restore_revision(caller.0, key, from, if_match(&req)?).await?;
    article_response(StatusCode::OK, article, services.site())
}
