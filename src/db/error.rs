//! Database failures as the service's errors, mapped once here.

use diesel::result::{DatabaseErrorKind, Error};

use crate::error::AppError;

impl From<Error> for AppError {
    fn from(error: Error) -> Self {
        match error {
            Error::NotFound => Self::NotFound("resource"),
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
                Self::conflict(format!("already exists ({})", info.message()))
            }
            Error::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, _) => {
                Self::conflict("a referenced resource does not exist or is still in use")
            }
            Error::DatabaseError(DatabaseErrorKind::SerializationFailure, _) => {
                Self::Unavailable("concurrent update, please retry".to_owned())
            }
            Error::DatabaseError(_, ref info) if is_sqlite_busy(info.message()) => {
                Self::Unavailable("database busy".to_owned())
            }
            other => Self::Internal(anyhow::Error::new(other)),
        }
    }
}

fn is_sqlite_busy(message: &str) -> bool {
    message.contains("database is locked") || message.contains("database is busy")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;

    #[test]
    fn not_found_is_not_found() {
        assert_eq!(AppError::from(Error::NotFound).code(), ErrorCode::NotFound);
    }
}
