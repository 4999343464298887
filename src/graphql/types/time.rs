//! Times in GraphQL, written exactly as REST writes them (RFC 3339, UTC, `Z`).

use async_graphql::{InputValueError, InputValueResult, Scalar, ScalarType, Value};
use chrono::{DateTime, Utc};

use crate::domain::time::rfc3339;

/// A point in time.
pub struct Timestamp(pub DateTime<Utc>);

/// A point in time, in RFC 3339: written in UTC with `Z`, read in any offset.
#[Scalar(name = "DateTime")]
impl ScalarType for Timestamp {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(text) => DateTime::parse_from_rfc3339(text.trim())
                .map(|at| Self(at.with_timezone(&Utc)))
                .map_err(|_| InputValueError::custom("must be an RFC 3339 time, like 2026-11-28T09:30:00Z")),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(rfc3339(self.0))
    }
}

impl From<DateTime<Utc>> for Timestamp {
    fn from(at: DateTime<Utc>) -> Self {
        Self(at)
    }
}
