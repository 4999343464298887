//! Pagination: page sizes and opaque keyset cursors.
//!
//! A cursor is the sort key of the last item served, so the next page is an
//! index seek, not an offset scan: page 1000 costs what page 1 costs. Cursors
//! are base64url text that clients must not build or parse; each names the
//! list it belongs to, so one list's cursor is refused by another.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};

use crate::error::FieldError;

pub const DEFAULT_LIMIT: u32 = 20;
pub const MAX_LIMIT: u32 = 100;

/// How many items a page holds: 1 to 100.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit(u32);

impl Limit {
    pub fn new(requested: Option<i64>, field: &str) -> Result<Self, FieldError> {
        match requested {
            None => Ok(Self(DEFAULT_LIMIT)),
            Some(n) if (1..=i64::from(MAX_LIMIT)).contains(&n) => Ok(Self(n as u32)),
            Some(_) => Err(FieldError::new(field, format!("must be between 1 and {MAX_LIMIT}"))),
        }
    }

    pub fn get(self) -> u32 {
        self.0
    }

    /// One more than the page, to learn whether another page follows.
    pub fn probe(self) -> i64 {
        i64::from(self.0) + 1
    }
}

impl Default for Limit {
    fn default() -> Self {
        Self(DEFAULT_LIMIT)
    }
}

/// Which list a cursor walks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CursorKind {
    /// Articles by publish time, newest first.
    Feed,
    /// Articles by creation time, newest first (staff lists of drafts etc.).
    Created,
    /// Articles ranked by a search: an offset into the ranking.
    Search,
    /// Comments by creation time, oldest first.
    Comments,
    /// Tags by slug.
    Tags,
    /// Users by id (creation order).
    Users,
}

impl CursorKind {
    fn tag(self) -> &'static str {
        match self {
            Self::Feed => "f1",
            Self::Created => "c1",
            Self::Search => "s1",
            Self::Comments => "m1",
            Self::Tags => "t1",
            Self::Users => "u1",
        }
    }
}

const SEP: char = '\u{1f}';

fn encode(kind: CursorKind, parts: &[&str]) -> String {
    let mut raw = String::from(kind.tag());
    for part in parts {
        raw.push(SEP);
        raw.push_str(part);
    }
    URL_SAFE_NO_PAD.encode(raw)
}

fn decode(kind: CursorKind, cursor: &str, field: &str) -> Result<Vec<String>, FieldError> {
    let invalid = || FieldError::new(field, "is not a cursor this list returned");
    if cursor.len() > 512 {
        return Err(invalid());
    }
    let bytes = URL_SAFE_NO_PAD.decode(cursor.trim_end_matches('=')).map_err(|_| invalid())?;
    let raw = String::from_utf8(bytes).map_err(|_| invalid())?;
    let mut parts = raw.split(SEP);
    if parts.next() != Some(kind.tag()) {
        return Err(invalid());
    }
    Ok(parts.map(str::to_owned).collect())
}

/// The position after an item sorted by (time, id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeCursor {
    pub at: DateTime<Utc>,
    pub id: String,
}

impl TimeCursor {
    pub fn encode(&self, kind: CursorKind) -> String {
        encode(kind, &[&self.at.timestamp_micros().to_string(), &self.id])
    }

    pub fn decode(kind: CursorKind, cursor: &str, field: &str) -> Result<Self, FieldError> {
        let invalid = || FieldError::new(field, "is not a cursor this list returned");
        let parts = decode(kind, cursor, field)?;
        let [micros, id] = parts.as_slice() else {
            return Err(invalid());
        };
        let at = micros
            .parse::<i64>()
            .ok()
            .and_then(DateTime::<Utc>::from_timestamp_micros)
            .ok_or_else(invalid)?;
        if uuid::Uuid::parse_str(id).is_err() {
            return Err(invalid());
        }
        Ok(Self { at, id: id.clone() })
    }
}

/// The position after an item sorted by a unique text key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyCursor(pub String);

impl KeyCursor {
    pub fn encode(&self, kind: CursorKind) -> String {
        encode(kind, &[&self.0])
    }

    pub fn decode(kind: CursorKind, cursor: &str, field: &str) -> Result<Self, FieldError> {
        match decode(kind, cursor, field)?.as_slice() {
            [key] if !key.is_empty() => Ok(Self(key.clone())),
            _ => Err(FieldError::new(field, "is not a cursor this list returned")),
        }
    }
}

/// How far into a ranking (search results): relevance has no stable key to seek to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OffsetCursor(pub u32);

/// Search results are served at most this deep (the ranked window).
pub const MAX_SEARCH_OFFSET: u32 = 2_000;

impl OffsetCursor {
    pub fn encode(&self) -> String {
        encode(CursorKind::Search, &[&self.0.to_string()])
    }

    pub fn decode(cursor: &str, field: &str) -> Result<Self, FieldError> {
        match decode(CursorKind::Search, cursor, field)?.as_slice() {
            [n] => match n.parse::<u32>() {
                Ok(n) if n <= MAX_SEARCH_OFFSET => Ok(Self(n)),
                _ => Err(FieldError::new(field, "is not a cursor this list returned")),
            },
            _ => Err(FieldError::new(field, "is not a cursor this list returned")),
        }
    }
}

/// One page of a list, and where the next one starts.
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// The position after each item (Relay edges carry one each).
    pub cursors: Vec<String>,
    pub next_cursor: Option<String>,
}

impl<T> Page<T> {
    pub fn empty() -> Self {
        Self { items: Vec::new(), cursors: Vec::new(), next_cursor: None }
    }

    /// Builds a page from up to `limit + 1` fetched items: the extra one only
    /// says that more follow, and the cursor points after the last item kept.
    pub fn from_probe(mut items: Vec<T>, limit: Limit, cursor_of: impl Fn(&T) -> String) -> Self {
        let more = items.len() > limit.get() as usize;
        items.truncate(limit.get() as usize);
        let cursors: Vec<String> = items.iter().map(cursor_of).collect();
        let next_cursor = if more { cursors.last().cloned() } else { None };
        Self { items, cursors, next_cursor }
    }

    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            cursors: self.cursors,
            next_cursor: self.next_cursor,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_are_bounded() {
        assert_eq!(Limit::new(None, "limit").unwrap().get(), 20);
        assert_eq!(Limit::new(Some(100), "limit").unwrap().get(), 100);
        assert!(Limit::new(Some(0), "limit").is_err());
        assert!(Limit::new(Some(101), "limit").is_err());
        assert!(Limit::new(Some(-5), "limit").is_err());
    }

    #[test]
    fn time_cursors_round_trip_and_stay_in_their_list() {
        let cursor = TimeCursor { at: crate::domain::time::now(), id: uuid::Uuid::now_v7().to_string() };
        let encoded = cursor.encode(CursorKind::Feed);
        assert_eq!(TimeCursor::decode(CursorKind::Feed, &encoded, "cursor").unwrap(), cursor);
        assert!(TimeCursor::decode(CursorKind::Comments, &encoded, "cursor").is_err());
    }

    #[test]
    fn forged_cursors_are_refused() {
        for bad in ["", "!!!", "Zm9v", &"A".repeat(600), &URL_SAFE_NO_PAD.encode("f1\u{1f}x\u{1f}y")] {
            let error = TimeCursor::decode(CursorKind::Feed, bad, "cursor").unwrap_err();
            assert_eq!(error.field, "cursor");
        }
        assert!(OffsetCursor::decode(&encode(CursorKind::Search, &["99999999"]), "cursor").is_err());
    }

    #[test]
    fn pages_know_whether_more_follow() {
        let limit = Limit::new(Some(2), "limit").unwrap();
        let page = Page::from_probe(vec![1, 2, 3], limit, |n| n.to_string());
        assert_eq!(page.items, vec![1, 2]);
        assert_eq!(page.next_cursor.as_deref(), Some("2"));
        let last = Page::from_probe(vec![1, 2], limit, |n| n.to_string());
        assert_eq!(last.next_cursor, None);
    }
}
