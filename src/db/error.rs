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
            Error::DatabaseError(DatabaseErrorKind::ClosedConnection, _) => {
                Self::Unavailable("the database connection was lost".to_owned())
            }
            Error::DatabaseError(_, ref info) if info.message().contains("deadlock detected") => {
                Self::Unavailable("concurrent update, please retry".to_owned())
            }
            Error::DatabaseError(_, ref info) if is_connection_lost(info.message()) => {
                Self::Unavailable("the database connection was lost".to_owned())
            }
            Error::DatabaseError(_, ref info) if is_storage_refusal(info.message()) => {
                Self::Unavailable(format!("the database cannot store anything now: {}", info.message()))
            }
            // PostgreSQL text cannot hold NUL; input that reached a query
            // with one (where no domain rule caught it first) is the caller's.
            Error::DatabaseError(_, ref info) if is_nul_in_text(info.message()) => {
                Self::BadRequest("text must not contain NUL characters".to_owned())
            }
            other => Self::Internal(anyhow::Error::new(other)),
        }
    }
}

fn is_sqlite_busy(message: &str) -> bool {
    message.contains("database is locked") || message.contains("database is busy")
}

/// PostgreSQL going away under a statement (stopped, restarted, the
/// network cut): the client should retry shortly, not report a bug.
fn is_connection_lost(message: &str) -> bool {
    const LOST: [&str; 7] = [
        "server closed the connection",
        "terminating connection",
        "the database system is",
        "no connection to the server",
        "connection to server",
        "could not receive data from server",
        "could not send data to server",
    ];
    LOST.iter().any(|sign| message.contains(sign))
}

/// SQLite refusing to write: a read-only file or directory, a full disk,
/// a failing device.
pub(super) fn is_storage_refusal(message: &str) -> bool {
    const REFUSALS: [&str; 4] =
        ["readonly database", "database or disk is full", "disk I/O error", "unable to open database file"];
    REFUSALS.iter().any(|sign| message.contains(sign))
}

fn is_nul_in_text(message: &str) -> bool {
    message.contains("invalid byte sequence") && message.contains("0x00")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;

    #[test]
    fn outages_and_refusals_to_store_are_unavailable_not_bugs() {
        use diesel::result::DatabaseErrorInformation;
        struct Info(&'static str);
        impl DatabaseErrorInformation for Info {
            fn message(&self) -> &str {
                self.0
            }
            fn details(&self) -> Option<&str> {
                None
            }
            fn hint(&self) -> Option<&str> {
                None
            }
            fn table_name(&self) -> Option<&str> {
                None
            }
            fn column_name(&self) -> Option<&str> {
                None
            }
            fn constraint_name(&self) -> Option<&str> {
                None
            }
            fn statement_position(&self) -> Option<i32> {
                None
            }
        }
        let error = |message| Error::DatabaseError(DatabaseErrorKind::Unknown, Box::new(Info(message)));
        for message in [
            "server closed the connection unexpectedly",
            "terminating connection due to administrator command",
            "the database system is starting up",
            "attempt to write a readonly database",
            "database or disk is full",
            "deadlock detected",
        ] {
            assert_eq!(AppError::from(error(message)).code(), ErrorCode::Unavailable, "{message}");
        }
        let nul = error("invalid byte sequence for encoding \"UTF8\": 0x00");
        assert_eq!(AppError::from(nul).code(), ErrorCode::BadRequest);
        assert_eq!(AppError::from(error("syntax error at or near")).code(), ErrorCode::Internal);
    }

    #[test]
    fn not_found_is_not_found() {
        assert_eq!(AppError::from(Error::NotFound).code(), ErrorCode::NotFound);
    }
}
