//! The lengths and patterns the domain enforces on text in request bodies,
//! written into the OpenAPI document from the domain's own constants, so
//! the contract tells clients (and their form validation, and schemathesis)
//! what the server will accept, and never drifts from it.

use utoipa::Modify;
use utoipa::openapi::schema::Schema;
use utoipa::openapi::{OpenApi, RefOr};

use crate::domain::Slug;
use crate::domain::slug::SLUG_PATTERN;
use crate::domain::text::{
    AltText, Bio, Caption, CommentText, Credit, Description, DisplayName, License, Markdown, Name, NoteText,
    ReportNote, Summary, Title,
};
use crate::domain::user::NewPassword;

/// A property's limits: fewest and most characters, and a pattern.
type Limits = (usize, usize, Option<&'static str>);

const SLUG: Limits = (1, Slug::MAX_LEN, Some(SLUG_PATTERN));
const PASSWORD: Limits = (NewPassword::MIN_LEN, NewPassword::MAX_LEN, None);

macro_rules! chars {
    ($text:ty) => {
        (<$text>::MIN_CHARS, <$text>::MAX_CHARS, None)
    };
}

/// Every text property of a request body the domain bounds.
pub const BOUNDED: &[(&str, &str, Limits)] = &[
    ("CreateArticleBody", "title", chars!(Title)),
    ("CreateArticleBody", "summary", chars!(Summary)),
    ("CreateArticleBody", "body", chars!(Markdown)),
    ("CreateArticleBody", "slug", SLUG),
    ("UpdateArticleBody", "title", chars!(Title)),
    ("UpdateArticleBody", "summary", chars!(Summary)),
    ("UpdateArticleBody", "body", chars!(Markdown)),
    ("UpdateArticleBody", "slug", SLUG),
    ("CoverImageBody", "caption", chars!(Caption)),
    ("CreateCategoryBody", "name", chars!(Name)),
    ("CreateCategoryBody", "description", chars!(Description)),
    ("CreateCategoryBody", "slug", SLUG),
    ("UpdateCategoryBody", "name", chars!(Name)),
    ("UpdateCategoryBody", "description", chars!(Description)),
    ("UpdateCategoryBody", "slug", SLUG),
    ("TagBody", "name", chars!(Name)),
    ("TagBody", "slug", SLUG),
    ("CreateCommentBody", "body", chars!(CommentText)),
    ("EditCommentBody", "body", chars!(CommentText)),
    ("ReportCommentBody", "note", chars!(ReportNote)),
    ("CorrectionBody", "text", chars!(NoteText)),
    ("RegisterBody", "display_name", chars!(DisplayName)),
    ("RegisterBody", "password", PASSWORD),
    ("CreateUserBody", "display_name", chars!(DisplayName)),
    ("CreateUserBody", "bio", chars!(Bio)),
    ("CreateUserBody", "password", PASSWORD),
    ("UpdateUserBody", "display_name", chars!(DisplayName)),
    ("UpdateUserBody", "bio", chars!(Bio)),
    ("UploadForm", "alt_text", chars!(AltText)),
    ("UploadForm", "caption", chars!(Caption)),
    ("UploadForm", "credit", chars!(Credit)),
    ("UploadForm", "license", chars!(License)),
    ("MediaPatchBody", "alt_text", chars!(AltText)),
    ("MediaPatchBody", "caption", chars!(Caption)),
    ("MediaPatchBody", "credit", chars!(Credit)),
    ("MediaPatchBody", "license", chars!(License)),
];

pub struct TextLimits;

impl Modify for TextLimits {
    fn modify(&self, openapi: &mut OpenApi) {
        let Some(components) = openapi.components.as_mut() else { return };
        for (schema, property, (min, max, pattern)) in BOUNDED {
            let Some(RefOr::T(Schema::Object(object))) = components.schemas.get_mut(*schema) else {
                continue;
            };
            let Some(RefOr::T(Schema::Object(text))) = object.properties.get_mut(*property) else { continue };
            text.min_length = (*min > 0).then_some(*min);
            text.max_length = Some(*max);
            text.pattern = pattern.map(str::to_owned);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A renamed schema or field would silently lose its limits: every
    /// entry must land on a text property of the document.
    #[test]
    fn every_bound_lands_in_the_document() {
        let document = crate::rest::openapi::document();
        let schemas = &document.components.as_ref().unwrap().schemas;
        for (schema, property, (_, max, _)) in BOUNDED {
            let Some(RefOr::T(Schema::Object(object))) = schemas.get(*schema) else {
                panic!("no schema {schema}")
            };
            let Some(RefOr::T(Schema::Object(text))) = object.properties.get(*property) else {
                panic!("no property {schema}.{property}")
            };
            assert_eq!(text.max_length, Some(*max), "{schema}.{property}");
        }
    }

    #[test]
    fn the_slug_pattern_says_what_slugs_accept() {
        let pattern = regex::Regex::new(SLUG_PATTERN).unwrap();
        let samples = [
            "world",
            "world-news",
            "a1-b2-c3",
            "World",
            "world--news",
            "-world",
            "world-",
            "wörld",
            "a b",
            "",
        ];
        for sample in samples {
            assert_eq!(pattern.is_match(sample), Slug::parse(sample, "slug").is_ok(), "{sample:?}");
        }
    }
}
