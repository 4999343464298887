//! Pagination: page sizes and opaque keyset cursors.
//!
//! A cursor is the sort key of the last item served, so the next page is an
//! index seek, not an offset scan: page 1000 costs what page 1 costs. Cursors
//! are base64url text that clients must not build or parse; each names the
//! list it belongs to, so one list's cursor is refused by another.

use std::fmt;
use std::str::FromStr;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, SecondsFormat, Utc};

use super::ArticleId;
use super::field::FieldError;

pub const DEFAULT_LIMIT: u32 = 20;
pub const MAX_LIMIT: u32 = 100;

/// How many items a page holds: 1 to 100.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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
    /// Media items by upload time, newest first.
    Media,
    /// Webhook deliveries by creation time, newest first.
    Deliveries,
    /// Deleted articles by deletion time, most recent first.
    Trash,
    /// The audit log, newest first.
    Audit,
    /// The moderation queue: comments by creation time, oldest first.
    Queue,
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
            Self::Media => "d1",
            Self::Deliveries => "w1",
            Self::Trash => "x1",
            Self::Audit => "a1",
            Self::Queue => "q1",
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
    if cursor.len() > 512 {
        return Err(not_ours(field));
    }
    let bytes = URL_SAFE_NO_PAD.decode(cursor.trim_end_matches('=')).map_err(|_| not_ours(field))?;
    let raw = String::from_utf8(bytes).map_err(|_| not_ours(field))?;
    let mut parts = raw.split(SEP);
    if parts.next() != Some(kind.tag()) {
        return Err(not_ours(field));
    }
    Ok(parts.map(str::to_owned).collect())
}

fn not_ours(field: &str) -> FieldError {
    FieldError::new(field, "is not a cursor this list returned")
}

/// The position after an item sorted by (time, id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeCursor<I> {
    pub at: DateTime<Utc>,
    pub id: I,
}

impl<I: fmt::Display + FromStr> TimeCursor<I> {
    pub fn encode(&self, kind: CursorKind) -> String {
        encode(kind, &[&self.at.timestamp_micros().to_string(), &self.id.to_string()])
    }

    pub fn decode(kind: CursorKind, cursor: &str, field: &str) -> Result<Self, FieldError> {
        let parts = decode(kind, cursor, field)?;
        let [micros, id] = parts.as_slice() else {
            return Err(not_ours(field));
        };
        let at = micros
            .parse::<i64>()
            .ok()
            .and_then(DateTime::<Utc>::from_timestamp_micros)
            .ok_or_else(|| not_ours(field))?;
        let id = id.parse().map_err(|_| not_ours(field))?;
        Ok(Self { at, id })
    }
}

/// The position after an item sorted by a unique key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyCursor<K>(pub K);

impl<K: fmt::Display + FromStr> KeyCursor<K> {
    pub fn encode(&self, kind: CursorKind) -> String {
        encode(kind, &[&self.0.to_string()])
    }

    pub fn decode(kind: CursorKind, cursor: &str, field: &str) -> Result<Self, FieldError> {
        match decode(kind, cursor, field)?.as_slice() {
            [key] if !key.is_empty() => key.parse().map(Self).map_err(|_| not_ours(field)),
            _ => Err(not_ours(field)),
        }
    }
}

/// Where search results resume. Results come in two tiers, the stories
/// whose headline holds every word searched for, then the others, each
/// newest first: a position is a tier and a place in the index's recency
/// order, so that any page is one index seek away, however deep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SearchCursor {
    pub tier: SearchTier,
    pub after: SearchPosition,
}

/// The two tiers of search results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SearchTier {
    /// Every word in the headline.
    Headline,
    /// Every word in the headline, standfirst or body, not all in the headline.
    Text,
}

/// A place in an engine's recency order of its search index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchPosition {
    /// SQLite: the full-text index's row number, which grows with each story.
    Row(i64),
    /// PostgreSQL: publication time, then id.
    Time(DateTime<Utc>, ArticleId),
}

impl SearchCursor {
    pub fn encode(&self) -> String {
        let tier = match self.tier {
            SearchTier::Headline => "h",
            SearchTier::Text => "t",
        };
        match self.after {
            SearchPosition::Row(row) => encode(CursorKind::Search, &[tier, "r", &row.to_string()]),
            SearchPosition::Time(at, id) => encode(
                CursorKind::Search,
                &[tier, "t", &at.to_rfc3339_opts(SecondsFormat::Micros, true), &id.to_string()],
            ),
        }
    }

    pub fn decode(cursor: &str, field: &str) -> Result<Self, FieldError> {
        let parts = decode(CursorKind::Search, cursor, field)?;
        let tier = match parts.first().map(String::as_str) {
            Some("h") => SearchTier::Headline,
            Some("t") => SearchTier::Text,
            _ => return Err(not_ours(field)),
        };
        let after = match &parts[1..] {
            [kind, row] if kind == "r" => SearchPosition::Row(row.parse().map_err(|_| not_ours(field))?),
            [kind, at, id] if kind == "t" => SearchPosition::Time(
                DateTime::parse_from_rfc3339(at).map_err(|_| not_ours(field))?.with_timezone(&Utc),
                id.parse().map_err(|_| not_ours(field))?,
            ),
            _ => return Err(not_ours(field)),
        };
        Ok(Self { tier, after })
    }
}

/// The order of an article list, which decides what its cursors hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArticleOrder {
    /// The public feed: newest publication first.
    Published,
    /// A staff list of one status: newest creation first.
    Created,
    /// A search: best match first.
    Relevance,
}

impl ArticleOrder {
    /// A search is ranked; otherwise a staff list (by status) runs by creation.
    pub fn of(searching: bool, by_status: bool) -> Self {
        match (searching, by_status) {
            (true, _) => Self::Relevance,
            (false, true) => Self::Created,
            (false, false) => Self::Published,
        }
    }
}

/// Where an article list resumes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArticleCursor {
    Published(TimeCursor<ArticleId>),
    Created(TimeCursor<ArticleId>),
    Ranked(SearchCursor),
}

impl ArticleCursor {
    /// A cursor of a list in `order`; another list's cursor is refused.
    pub fn decode(cursor: &str, order: ArticleOrder, field: &str) -> Result<Self, FieldError> {
        Ok(match order {
            ArticleOrder::Published => Self::Published(TimeCursor::decode(CursorKind::Feed, cursor, field)?),
            ArticleOrder::Created => Self::Created(TimeCursor::decode(CursorKind::Created, cursor, field)?),
            ArticleOrder::Relevance => Self::Ranked(SearchCursor::decode(cursor, field)?),
        })
    }

    pub fn order(&self) -> ArticleOrder {
        match self {
            Self::Published(_) => ArticleOrder::Published,
            Self::Created(_) => ArticleOrder::Created,
            Self::Ranked(_) => ArticleOrder::Relevance,
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
        let cursor = TimeCursor { at: crate::domain::time::now(), id: ArticleId::generate() };
        let encoded = cursor.encode(CursorKind::Feed);
        assert_eq!(TimeCursor::decode(CursorKind::Feed, &encoded, "cursor").unwrap(), cursor);
        assert!(TimeCursor::<ArticleId>::decode(CursorKind::Comments, &encoded, "cursor").is_err());
        let feed = ArticleCursor::decode(&encoded, ArticleOrder::Published, "after").unwrap();
        assert_eq!(feed.order(), ArticleOrder::Published);
        assert_eq!(
            ArticleCursor::decode(&encoded, ArticleOrder::Created, "after").unwrap_err().field,
            "after"
        );
    }

    #[test]
    fn forged_cursors_are_refused() {
        for bad in ["", "!!!", "Zm9v", &"A".repeat(600), &URL_SAFE_NO_PAD.encode("f1\u{1f}x\u{1f}y")] {
            let error = TimeCursor::<ArticleId>::decode(CursorKind::Feed, bad, "cursor").unwrap_err();
            assert_eq!(error.field, "cursor");
        }
        for bad in [&["99999999"][..], &["h", "r", "x"], &["x", "r", "1"], &["t", "t", "yesterday", "1"]] {
            assert!(SearchCursor::decode(&encode(CursorKind::Search, bad), "cursor").is_err(), "{bad:?}");
        }
    }

    #[test]
    fn search_cursors_read_back_as_written() {
        let at = DateTime::parse_from_rfc3339("2026-11-30T12:00:00.123456Z").unwrap().with_timezone(&Utc);
        for cursor in [
            SearchCursor { tier: SearchTier::Headline, after: SearchPosition::Row(123_456) },
            SearchCursor { tier: SearchTier::Text, after: SearchPosition::Time(at, ArticleId::generate()) },
        ] {
            assert_eq!(SearchCursor::decode(&cursor.encode(), "cursor").unwrap(), cursor);
        }
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
