//! Corrections and updates under published stories, over REST.

use actix_web::web::{Data, Path};
use actix_web::{HttpResponse, post};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::domain::Vocabulary;
use crate::domain::correction::{CorrectionKind, NewCorrection};
use crate::domain::field::{AllValid, Invalid};
use crate::domain::text::NoteText;
use crate::error::AppError;
use crate::http::extract::{Caller, JsonBody};
use crate::rest::problem::Problem;
use crate::rest::responses::{BadBody, EditorsOnly};
use crate::rest::views::Correction;
use crate::service::Services;

/// A note to append.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CorrectionBody {
    #[schema(value_type = CorrectionKind)]
    pub kind: String,
    /// Plain text, shown under the story as written.
    pub text: String,
}

impl TryFrom<CorrectionBody> for NewCorrection {
    type Error = Invalid;

    fn try_from(b: CorrectionBody) -> Result<Self, Invalid> {
        let (kind, text) =
            (CorrectionKind::parse_field(&b.kind, "kind"), NoteText::parse(&b.text, "text")).all_valid()?;
        Ok(Self { kind, text })
    }
}

/// Add a correction or an update
///
/// Appends a note under a published story: shown in order with the story in
/// every read, never edited. The story's `updated_at` moves to the note's
/// time and its version goes up. **Role: editor or higher.**
#[utoipa::path(
    tag = "workflow",
    params(("id_or_slug" = String, Path, description = "The article's id or slug")),
    request_body = CorrectionBody,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The note, as the story now shows it", body = Correction),
        BadBody,
        EditorsOnly,
        (status = 404, description = "No such article", body = Problem),
        (status = 409, description = "The story is not published (`current_status` says what it is), or carries the most notes it may", body = Problem),
    )
)]
#[post("/articles/{id_or_slug}/corrections")]
pub async fn add_correction(
    services: Data<Services>,
    caller: Caller,
    path: Path<String>,
    body: JsonBody<CorrectionBody>,
) -> Result<HttpResponse, AppError> {
    let note = services.add_correction(caller.0, path.into_inner(), body.0.try_into()?).await?;
    Ok(HttpResponse::Created().json(Correction::from(note)))
}
