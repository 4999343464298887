use std::fmt;
use std::str::FromStr;

use crate::error::FieldError;

/// What a user may do. Ordered: each role can do everything the one before can.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Reader,
    Author,
    Editor,
    Admin,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Reader, Role::Author, Role::Editor, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Reader => "reader",
            Self::Author => "author",
            Self::Editor => "editor",
            Self::Admin => "admin",
        }
    }

    /// Writers and up: may have drafts of their own.
    pub fn is_staff(self) -> bool {
        self >= Self::Author
    }

    /// Editors and admins: see and change everything editorial.
    pub fn is_editor(self) -> bool {
        self >= Self::Editor
    }

    pub fn parse_field(raw: &str, field: &str) -> Result<Self, FieldError> {
        raw.parse().map_err(|_| FieldError::new(field, "must be one of reader, author, editor, admin"))
    }
}

impl FromStr for Role {
    type Err = ();

    fn from_str(raw: &str) -> Result<Self, ()> {
        Self::ALL.into_iter().find(|r| r.as_str() == raw).ok_or(())
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_ordered() {
        assert!(Role::Reader < Role::Author && Role::Author < Role::Editor && Role::Editor < Role::Admin);
        assert!(!Role::Reader.is_staff() && Role::Author.is_staff());
        assert!(!Role::Author.is_editor() && Role::Editor.is_editor() && Role::Admin.is_editor());
    }

    #[test]
    fn parses_only_known_roles() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse(), Ok(role));
        }
        assert!("Admin".parse::<Role>().is_err());
        assert!("root".parse::<Role>().is_err());
    }
}
