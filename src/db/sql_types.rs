//! Domain values as columns: ids and closed vocabularies (statuses, roles)
//! are stored as text and read back as their own types, so no repository
//! spells a status or turns an id into a string by hand.

use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql, FromSqlRow};
use diesel::expression::AsExpression;
use diesel::pg::Pg;
use diesel::serialize::{self, IsNull, Output, ToSql};
use diesel::sql_types::Text;
use diesel::sqlite::Sqlite;

use crate::domain::audit::{AuditAction, AuditTarget};
use crate::domain::correction::CorrectionKind;
use crate::domain::ids::{DeliveryId, EventId, ReportId, WebhookId};
use crate::domain::media::ImageFormat;
use crate::domain::moderation::ReportReason;
use crate::domain::webhook::{DeliveryStatus, WebhookEvent};
use crate::domain::{
    ArticleId, ArticleStatus, AuditEntryId, CategoryId, CollectionId, CommentId, CommentStatus, CommentsMode,
    Email, MediaId, RevisionId, Role, TagId, UserId, Vocabulary,
};

/// How a value is written to and read from its text column.
trait TextColumn: Sized {
    fn write(&self) -> std::borrow::Cow<'_, str>;
    fn read(raw: &str) -> Option<Self>;
}

macro_rules! id_columns {
    ($($id:ty),+) => {$(
        impl TextColumn for $id {
            fn write(&self) -> std::borrow::Cow<'_, str> {
                // Hyphenated lower case, the one form ids are stored and compared in.
                self.to_string().into()
            }
            fn read(raw: &str) -> Option<Self> {
                raw.parse().ok()
            }
        }
    )+};
}

macro_rules! vocabulary_columns {
    ($($ty:ty),+) => {$(
        impl TextColumn for $ty {
            fn write(&self) -> std::borrow::Cow<'_, str> {
                Vocabulary::as_str(*self).into()
            }
            fn read(raw: &str) -> Option<Self> {
                <$ty as Vocabulary>::parse(raw)
            }
        }
    )+};
}

id_columns!(
    UserId,
    CategoryId,
    TagId,
    ArticleId,
    CommentId,
    RevisionId,
    MediaId,
    WebhookId,
    EventId,
    DeliveryId,
    CollectionId,
    AuditEntryId,
    ReportId
);

impl TextColumn for ImageFormat {
    fn write(&self) -> std::borrow::Cow<'_, str> {
        self.as_str().into()
    }
    fn read(raw: &str) -> Option<Self> {
        ImageFormat::parse(raw)
    }
}

impl TextColumn for Email {
    fn write(&self) -> std::borrow::Cow<'_, str> {
        self.as_str().into()
    }
    fn read(raw: &str) -> Option<Self> {
        Some(Email::stored(raw))
    }
}
vocabulary_columns!(
    ArticleStatus,
    AuditAction,
    AuditTarget,
    CommentStatus,
    CommentsMode,
    ReportReason,
    CorrectionKind,
    Role,
    WebhookEvent,
    DeliveryStatus
);

/// `ToSql`/`FromSql` on both engines, and diesel's expression and row
/// plumbing (derived for the foreign type through a local stand-in).
macro_rules! text_columns {
    ($($ty:ident),+) => {$(
        const _: () = {
            #[derive(AsExpression, FromSqlRow)]
            #[diesel(foreign_derive, sql_type = Text)]
            #[allow(dead_code, reason = "only the derived impls for the domain type are used")]
            struct StandIn($ty);

            impl ToSql<Text, Pg> for $ty {
                fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
                    use std::io::Write;
                    out.write_all(self.write().as_bytes())?;
                    Ok(IsNull::No)
                }
            }

            impl ToSql<Text, Sqlite> for $ty {
                fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Sqlite>) -> serialize::Result {
                    out.set_value(self.write().into_owned());
                    Ok(IsNull::No)
                }
            }

            impl<DB: Backend> FromSql<Text, DB> for $ty
            where
                String: FromSql<Text, DB>,
            {
                fn from_sql(bytes: DB::RawValue<'_>) -> deserialize::Result<Self> {
                    let raw = String::from_sql(bytes)?;
                    <$ty as TextColumn>::read(&raw).ok_or_else(|| {
                        format!("unexpected {} in the database: {raw:?}", stringify!($ty)).into()
                    })
                }
            }
        };
    )+};
}

text_columns!(
    UserId,
    CollectionId,
    AuditEntryId,
    AuditAction,
    AuditTarget,
    CategoryId,
    TagId,
    ArticleId,
    CommentId,
    RevisionId,
    MediaId,
    WebhookId,
    EventId,
    DeliveryId,
    WebhookEvent,
    DeliveryStatus,
    ArticleStatus,
    CommentStatus,
    CommentsMode,
    ReportId,
    ReportReason,
    CorrectionKind,
    Role,
    Email,
    ImageFormat
);
