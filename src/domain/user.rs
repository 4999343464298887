use chrono::{DateTime, Utc};

use super::field::FieldError;
use super::{Email, Role, UserId};
/// A user account, without its password hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: UserId,
    pub email: Email,
    pub display_name: String,
    pub bio: String,
    pub role: Role,
    pub disabled: bool,
    /// Trusted by the editors: their comments skip pre-moderation.
    pub trusted: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A password being set: 10 to 256 characters, no control characters, and
/// more than white space; strength beyond that is the user's choice. Never
/// shown, not even in debug output.
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword(String);

impl NewPassword {
    pub const MIN_LEN: usize = 10;
    pub const MAX_LEN: usize = 256;

    pub fn parse(raw: &str, field: &str) -> Result<Self, FieldError> {
        let len = raw.chars().count();
        if !(Self::MIN_LEN..=Self::MAX_LEN).contains(&len) {
            return Err(FieldError::new(
                field,
                format!("must be {}-{} characters", Self::MIN_LEN, Self::MAX_LEN),
            ));
        }
        if raw.chars().any(char::is_control) {
            return Err(FieldError::new(field, "must not contain control characters"));
        }
        if raw.chars().all(char::is_whitespace) {
            return Err(FieldError::new(field, "must not be only spaces"));
        }
        Ok(Self(raw.to_owned()))
    }

    /// The password itself, for hashing.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_is_checked_and_never_shown() {
        assert!(NewPassword::parse("short", "password").is_err());
        let password = NewPassword::parse("long enough!", "password").unwrap();
        assert_eq!(password.expose(), "long enough!");
        assert!(!format!("{password:?}").contains("enough"));
        assert!(NewPassword::parse(&"x".repeat(257), "password").is_err());
        assert!(NewPassword::parse(&" ".repeat(10), "password").is_err());
        assert!(NewPassword::parse(&"\0".repeat(10), "password").is_err());
        assert!(NewPassword::parse("tab\tinside password", "password").is_err());
        assert!(NewPassword::parse("  spaces inside are fine  ", "password").is_ok());
    }
}
