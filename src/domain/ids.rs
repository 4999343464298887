//! Typed identifiers. All are UUIDv7 (time-ordered) and stored as text.

use std::fmt;
use std::str::FromStr;

use uuid::Uuid;

use super::field::FieldError;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident, $kind:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            /// A new, time-ordered id.
            pub fn generate() -> Self {
                Self(Uuid::now_v7())
            }

            pub fn uuid(self) -> Uuid {
                self.0
            }

            /// An id as a caller wrote it (any case, around white space),
            /// or why not, for `field`.
            pub fn parse_field(raw: &str, field: &str) -> Result<Self, FieldError> {
                raw.trim()
                    .parse()
                    .map_err(|_| FieldError::new(field, concat!("must be ", $kind, " id (UUID)")))
            }
        }

        impl From<Uuid> for $name {
            fn from(uuid: Uuid) -> Self {
                Self(uuid)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;

            fn from_str(raw: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(raw).map(Self)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                // Hyphenated lower case: the one form ids are stored and compared in.
                fmt::Display::fmt(&self.0.hyphenated(), f)
            }
        }
    };
}

id_type!(
    /// A user account.
    UserId,
    "a user"
);
id_type!(
    /// A section.
    CategoryId,
    "a section"
);
id_type!(
    /// A tag.
    TagId,
    "a tag"
);
id_type!(
    /// An article.
    ArticleId,
    "an article"
);
id_type!(
    /// A reader comment.
    CommentId,
    "a comment"
);
id_type!(
    /// An earlier version of an article's text.
    RevisionId,
    "a revision"
);
id_type!(
    /// An item of the media library: one stored image.
    MediaId,
    "a media item"
);
id_type!(
    /// A registered webhook endpoint.
    WebhookId,
    "a webhook"
);
id_type!(
    /// One entry of the audit log.
    AuditEntryId,
    "an audit entry"
);
id_type!(
    /// One event written to the webhook outbox.
    EventId,
    "an event"
);
id_type!(
    /// One event's delivery to one endpoint, with its attempts.
    DeliveryId,
    "a delivery"
);
id_type!(
    /// One sign-in: the chain of refresh tokens a login starts, and the
    /// access tokens issued along it (their `sid`).
    SessionId,
    "a session"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_time_ordered_and_round_trip() {
        let first = ArticleId::generate();
        let second = ArticleId::generate();
        assert!(first.to_string() < second.to_string());
        assert_eq!(first.to_string().parse::<ArticleId>().unwrap(), first);
    }

    #[test]
    fn upper_case_input_is_normalised() {
        let id = ArticleId::generate();
        let parsed: ArticleId = id.to_string().to_uppercase().parse().unwrap();
        assert_eq!(parsed.to_string(), id.to_string());
    }
}
id_type!(
    /// A reader's report of a comment.
    ReportId,
    "a report"
);
id_type!(
    /// A curated collection of articles.
    CollectionId,
    "a collection"
);
