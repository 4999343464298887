//! Closed sets of named values (statuses, roles). Each is declared once, with
//! the one spelling it has everywhere: JSON, the database, query strings.
//! The adapters expose these same types to OpenAPI and GraphQL.

use super::field::FieldError;

/// A closed set of named values.
pub trait Vocabulary: Copy + Eq + Send + Sync + 'static {
    /// The type's name in both contracts.
    const NAME: &'static str;
    /// What the type is, line by line.
    const DESCRIPTION: &'static [&'static str];
    /// Every value, in its natural order.
    const ALL: &'static [Self];

    /// The value's spelling: lower snake case.
    fn as_str(self) -> &'static str;

    /// What the value means, where its name does not say it all.
    fn meaning(self) -> Option<&'static str>;

    /// The value spelled `raw`, exactly.
    fn parse(raw: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.as_str() == raw)
    }

    /// The value spelled `raw` (around white space), or why not, for `field`.
    fn parse_field(raw: &str, field: &str) -> Result<Self, FieldError> {
        Self::parse(raw.trim()).ok_or_else(|| {
            let names: Vec<&str> = Self::ALL.iter().map(|v| v.as_str()).collect();
            FieldError::new(field, format!("must be one of {}", names.join(", ")))
        })
    }

    /// [`Vocabulary::DESCRIPTION`] as one text.
    fn description() -> String {
        Self::DESCRIPTION.iter().map(|line| line.trim()).collect::<Vec<_>>().join("\n")
    }
}

/// Declares a [`Vocabulary`]: the enum, its spellings and meanings (the
/// variants' doc comments), `FromStr`, `Display` and serde.
macro_rules! vocabulary {
    (
        $(#[doc = $doc:literal])+
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[doc = $meaning:literal])* $variant:ident = $spelling:literal, )+
        }
    ) => {
        $(#[doc = $doc])+
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $( $(#[doc = $meaning])* $variant, )+
        }

        impl $crate::domain::vocabulary::Vocabulary for $name {
            const NAME: &'static str = stringify!($name);
            const DESCRIPTION: &'static [&'static str] = &[$($doc),+];
            const ALL: &'static [Self] = &[$(Self::$variant),+];

            fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $spelling,)+
                }
            }

            fn meaning(self) -> Option<&'static str> {
                match self {
                    $(Self::$variant => {
                        let lines: &[&'static str] = &[$($meaning),*];
                        lines.first().map(|line| line.trim())
                    })+
                }
            }
        }

        impl $name {
            /// The value's spelling (see [`Vocabulary::as_str`]).
            pub fn as_str(self) -> &'static str {
                $crate::domain::vocabulary::Vocabulary::as_str(self)
            }
        }

        impl std::str::FromStr for $name {
            type Err = ();

            fn from_str(raw: &str) -> Result<Self, ()> {
                <Self as $crate::domain::vocabulary::Vocabulary>::parse(raw).ok_or(())
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let raw = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(deserializer)?;
                <Self as $crate::domain::vocabulary::Vocabulary>::parse(&raw).ok_or_else(|| {
                    serde::de::Error::unknown_variant(&raw, &[$($spelling),+])
                })
            }
        }
    };
}

pub(crate) use vocabulary;
