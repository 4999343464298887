//! The domain's closed vocabularies (statuses, roles) as OpenAPI schemas,
//! read from the domain types themselves: declared once, in the domain.

use std::borrow::Cow;

use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};

use crate::domain::audit::{AuditAction, AuditTarget};
use crate::domain::correction::CorrectionKind;
use crate::domain::diff::TextChange;
use crate::domain::moderation::ReportReason;
use crate::domain::{ArticleStatus, CommentStatus, CommentsMode, Role, Vocabulary};

fn vocabulary_schema<V: Vocabulary>() -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some(V::description()))
        .enum_values(Some(V::ALL.iter().map(|v| v.as_str())))
        .into()
}

macro_rules! vocabulary_schemas {
    ($($ty:ty),+) => {$(
        impl utoipa::PartialSchema for $ty {
            fn schema() -> RefOr<Schema> {
                vocabulary_schema::<$ty>()
            }
        }

        impl utoipa::ToSchema for $ty {
            fn name() -> Cow<'static, str> {
                Cow::Borrowed(<$ty as Vocabulary>::NAME)
            }
        }
    )+};
}

vocabulary_schemas!(
    ArticleStatus,
    AuditAction,
    AuditTarget,
    CommentStatus,
    CommentsMode,
    CorrectionKind,
    ReportReason,
    Role,
    TextChange
);
