//! What article lists are narrowed by, beyond ids and slugs: search text and
//! a publication time range.

use chrono::{DateTime, Utc};

use super::field::FieldError;

/// Words to search for: trimmed, 1 to 200 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchText(String);

/// A search is at most this many characters.
const MAX_SEARCH_CHARS: usize = 200;

impl SearchText {
    /// `None` for blank text (no search), the text if it fits, or why not.
    pub fn parse(raw: &str, field: &str) -> Result<Option<Self>, FieldError> {
        let text = raw.trim();
        if text.is_empty() {
            return Ok(None);
        }
        if text.chars().count() > MAX_SEARCH_CHARS {
            return Err(FieldError::new(field, format!("must be at most {MAX_SEARCH_CHARS} characters")));
        }
        if text.chars().any(char::is_control) {
            return Err(FieldError::new(field, "must not contain control characters"));
        }
        Ok(Some(Self(text.to_owned())))
    }

    /// Whether `raw` asks for a search at all (blank text does not).
    pub fn is_given(raw: Option<&str>) -> bool {
        raw.is_some_and(|text| !text.trim().is_empty())
    }

    /// The words searched for: runs of letters and digits, lower-cased, at
    /// most 32 (anything else in the text separates words and is never
    /// query syntax).
    pub fn words(&self) -> Vec<String> {
        self.0
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .take(32)
            .map(str::to_lowercase)
            .collect()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Published within `from..=to`; either end may be open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PublishedRange {
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
}

impl PublishedRange {
    /// The range, unless it ends before it starts; the refusal names
    /// `from_field` and speaks of `to_field`.
    pub fn new(
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
        from_field: &str,
        to_field: &str,
    ) -> Result<Self, FieldError> {
        match (from, to) {
            (Some(from), Some(to)) if from > to => {
                Err(FieldError::new(from_field, format!("must not be later than `{to_field}`")))
            }
            _ => Ok(Self { from, to }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_search_is_no_search() {
        assert_eq!(SearchText::parse("   ", "q"), Ok(None));
        assert_eq!(SearchText::parse(" energy ", "q").unwrap().unwrap().as_str(), "energy");
        assert_eq!(SearchText::parse(&"x".repeat(201), "q").unwrap_err().field, "q");
        assert!(!SearchText::is_given(Some("  ")) && SearchText::is_given(Some("a")));
        let hostile = SearchText::parse("\"Énergie\" OR NEAR(y) -- ;DROP & x:*", "q").unwrap().unwrap();
        assert_eq!(hostile.words(), ["énergie", "or", "near", "y", "drop", "x"]);
    }

    #[test]
    fn ranges_run_forwards() {
        let (early, late) = (Utc::now() - chrono::Duration::days(1), Utc::now());
        assert!(PublishedRange::new(Some(early), Some(late), "from", "to").is_ok());
        let error =
            PublishedRange::new(Some(late), Some(early), "publishedAfter", "publishedBefore").unwrap_err();
        assert_eq!(error.field, "publishedAfter");
        assert_eq!(error.message, "must not be later than `publishedBefore`");
    }
}
