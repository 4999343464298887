//! Time as the service stores it: UTC, to the microsecond (PostgreSQL's
//! precision), so a value read back from either database equals the one written.

use chrono::{DateTime, NaiveDateTime, SecondsFormat, SubsecRound, Utc};

pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

pub fn to_db(at: DateTime<Utc>) -> NaiveDateTime {
    at.trunc_subsecs(6).naive_utc()
}

pub fn from_db(at: NaiveDateTime) -> DateTime<Utc> {
    at.and_utc()
}

/// The one way times are written in both APIs: RFC 3339 in UTC with `Z`,
/// with as many fraction digits as the value needs (what serde writes).
pub fn rfc3339(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_as_json_writes_them() {
        for micros in [0, 120_000, 123_456, 999_999] {
            let at = DateTime::from_timestamp(1_764_495_783, micros * 1_000).unwrap();
            assert_eq!(serde_json::to_string(&at).unwrap(), format!("\"{}\"", rfc3339(at)));
            assert!(rfc3339(at).ends_with('Z'));
        }
    }
}
