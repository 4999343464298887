//! Reading `POST /media`'s `multipart/form-data`: the `file` part, counted
//! as it arrives and refused past the size limit, and the editorial fields
//! as short text parts.

use actix_multipart::{Field, Multipart};
use actix_web::HttpRequest;
use actix_web::web::{Bytes, BytesMut, Payload};
use futures_util::TryStreamExt;

use crate::domain::field::{AllValid, FieldError, Invalid, optional};
use crate::domain::media::FocalPoint;
use crate::domain::text::{AltText, Caption, Credit, License};
use crate::error::AppError;
use crate::http::extract::{declared_length, is_multipart};
use crate::service::media::{MediaFields, too_large};

/// The longest text part read; the domain's limits are far below it.
const MAX_TEXT_BYTES: usize = 8 * 1024;

/// The text parts an upload may have.
const TEXT_PARTS: [&str; 6] = ["alt_text", "caption", "credit", "license", "focal_x", "focal_y"];

/// The parts of an upload, as sent.
#[derive(Default)]
struct Parts {
    file: Option<Bytes>,
    alt_text: Option<String>,
    caption: Option<String>,
    credit: Option<String>,
    license: Option<String>,
    focal_x: Option<String>,
    focal_y: Option<String>,
}

/// The uploaded file and its fields; at most `max_bytes` of file.
pub async fn read(
    req: &HttpRequest,
    payload: Payload,
    max_bytes: u64,
) -> Result<(Bytes, MediaFields), AppError> {
    if !is_multipart(req.headers()) {
        return Err(AppError::UnsupportedMediaType(
            "send the image as multipart/form-data, in a part named `file`".into(),
        ));
    }
    // A declared length past the limit (with room for the other parts) is
    // refused before a byte is read.
    if declared_length(req.headers()).is_some_and(|length| length > max_bytes.saturating_add(64 * 1024)) {
        return Err(too_large(max_bytes));
    }
    let mut form = Multipart::new(req.headers(), payload);
    let mut parts = Parts::default();
    // Each text part once: a body without a length stops soon too.
    let mut text_parts = 0;
    while let Some(field) = form.try_next().await.map_err(malformed)? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "file" {
            if parts.file.is_some() {
                return Err(AppError::invalid("file", "send one file per upload"));
            }
            parts.file = Some(collect(field, max_bytes, || too_large(max_bytes)).await?);
        } else if TEXT_PARTS.contains(&name.as_str()) {
            text_parts += 1;
            if text_parts > TEXT_PARTS.len() {
                return Err(AppError::invalid(name, "is given more than once"));
            }
            let bytes =
                collect(field, MAX_TEXT_BYTES as u64, || AppError::invalid(name.clone(), "is too long"))
                    .await?;
            let value = String::from_utf8(bytes.to_vec())
                .map_err(|_| AppError::invalid(name.clone(), "must be UTF-8 text"))?;
            set_text(&mut parts, &name, value);
        } else {
            return Err(AppError::invalid(
                name,
                "is not a part of an upload (file, alt_text, caption, credit, license, focal_x, focal_y)",
            ));
        }
    }
    let file = parts
        .file
        .take()
        .ok_or_else(|| AppError::invalid("file", "is required: the image, as a file part"))?;
    Ok((file, fields(parts)?))
}

fn set_text(parts: &mut Parts, name: &str, value: String) {
    let slot = match name {
        "alt_text" => &mut parts.alt_text,
        "caption" => &mut parts.caption,
        "credit" => &mut parts.credit,
        "license" => &mut parts.license,
        "focal_x" => &mut parts.focal_x,
        _ => &mut parts.focal_y,
    };
    *slot = Some(value);
}

/// A part's bytes, refused with `refusal` past `max` bytes.
async fn collect(mut field: Field, max: u64, refusal: impl Fn() -> AppError) -> Result<Bytes, AppError> {
    let mut bytes = BytesMut::new();
    while let Some(chunk) = field.try_next().await.map_err(malformed)? {
        if (bytes.len() + chunk.len()) as u64 > max {
            return Err(refusal());
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes.freeze())
}

fn fields(parts: Parts) -> Result<MediaFields, Invalid> {
    let number = |raw: Option<&str>, field: &str| -> Result<Option<f64>, FieldError> {
        optional(raw, |v| {
            v.trim().parse::<f64>().map_err(|_| FieldError::new(field, "must be a number from 0 to 1"))
        })
    };
    let (alt_text, caption, credit, license, x, y) = (
        optional(parts.alt_text.as_deref(), |v| AltText::parse(v, "alt_text")),
        optional(parts.caption.as_deref(), |v| Caption::parse(v, "caption")),
        optional(parts.credit.as_deref(), |v| Credit::parse(v, "credit")),
        optional(parts.license.as_deref(), |v| License::parse(v, "license")),
        number(parts.focal_x.as_deref(), "focal_x"),
        number(parts.focal_y.as_deref(), "focal_y"),
    )
        .all_valid()?;
    let focal = FocalPoint::parse_pair(x, y, "focal_x", "focal_y")?;
    Ok(MediaFields { alt_text, caption, credit, license, focal })
}

fn malformed(error: actix_multipart::MultipartError) -> AppError {
    AppError::BadRequest(format!("malformed multipart/form-data body: {error}"))
}
