//! Typed identifiers. All are UUIDv7 (time-ordered) and stored as text.

use std::fmt;
use std::str::FromStr;

use uuid::Uuid;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
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

            /// Reads an id stored by this service. A malformed one means the
            /// row was written by something else, so it is an internal error.
            pub fn from_db(raw: &str) -> Result<Self, $crate::error::AppError> {
                raw.parse().map_err(|_| {
                    $crate::error::AppError::internal(anyhow::anyhow!(
                        "malformed {} in database: {raw:?}",
                        stringify!($name)
                    ))
                })
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
    UserId
);
id_type!(
    /// A section.
    CategoryId
);
id_type!(
    /// A tag.
    TagId
);
id_type!(
    /// An article.
    ArticleId
);
id_type!(
    /// A reader comment.
    CommentId
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

    #[test]
    fn garbage_in_the_database_is_internal() {
        assert!(ArticleId::from_db("not-a-uuid").is_err());
    }
}
