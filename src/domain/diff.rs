//! What changed between two versions of an article's text: the title and
//! standfirst word by word, the body line by line, as an editor compares
//! them before restoring one.

use std::time::Duration;

use similar::{ChangeTag, TextDiff};

use super::vocabulary::vocabulary;

vocabulary! {
    /// What a run of text is in the newer version.
    pub enum TextChange {
        /// In both.
        Equal = "equal",
        /// Only in the newer one.
        Insert = "insert",
        /// Only in the older one.
        Delete = "delete",
    }
}

/// A run of text and what became of it; runs in order rebuild both texts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    pub change: TextChange,
    pub text: String,
}

/// Two versions of an article's text compared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextChanges {
    pub from_version: i64,
    pub to_version: i64,
    pub title: Vec<Span>,
    pub summary: Vec<Span>,
    pub body: Vec<Span>,
}

/// One version's text.
#[derive(Debug, Clone, Copy)]
pub struct Text<'a> {
    pub version: i64,
    pub title: &'a str,
    pub summary: &'a str,
    pub body: &'a str,
}

/// How long a comparison may refine itself: bodies run to 200,000
/// characters, and the worst case is quadratic. Past it the diff is still
/// correct, only coarser.
const DEADLINE: Duration = Duration::from_millis(500);

pub fn compare(from: Text<'_>, to: Text<'_>) -> TextChanges {
    let mut config = TextDiff::configure();
    config.timeout(DEADLINE);
    TextChanges {
        from_version: from.version,
        to_version: to.version,
        title: spans(&config.diff_words(from.title, to.title)),
        summary: spans(&config.diff_words(from.summary, to.summary)),
        body: spans(&config.diff_lines(from.body, to.body)),
    }
}

/// The diff's changes, neighbours of the same kind merged into one run.
fn spans<'a>(diff: &TextDiff<'a, 'a, 'a, str>) -> Vec<Span> {
    let mut out: Vec<Span> = Vec::new();
    for change in diff.iter_all_changes() {
        let kind = match change.tag() {
            ChangeTag::Equal => TextChange::Equal,
            ChangeTag::Insert => TextChange::Insert,
            ChangeTag::Delete => TextChange::Delete,
        };
        match out.last_mut() {
            Some(last) if last.change == kind => last.text.push_str(change.value()),
            _ => out.push(Span { change: kind, text: change.value().to_owned() }),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rebuild(spans: &[Span], skip: TextChange) -> String {
        spans.iter().filter(|s| s.change != skip).map(|s| s.text.as_str()).collect()
    }

    #[test]
    fn runs_rebuild_both_texts() {
        let old = Text {
            version: 2,
            title: "Rates rise",
            summary: "The bank moves.",
            body: "One.\nTwo.\nThree.\n",
        };
        let new = Text {
            version: 5,
            title: "Rates rise again",
            summary: "The bank moves.",
            body: "One.\n2.\nThree.\n",
        };
        let changes = compare(old, new);
        assert_eq!((changes.from_version, changes.to_version), (2, 5));
        assert_eq!(rebuild(&changes.title, TextChange::Insert), old.title);
        assert_eq!(rebuild(&changes.title, TextChange::Delete), new.title);
        assert_eq!(rebuild(&changes.body, TextChange::Insert), old.body);
        assert_eq!(rebuild(&changes.body, TextChange::Delete), new.body);
        assert_eq!(changes.summary, vec![Span { change: TextChange::Equal, text: "The bank moves.".into() }]);
        let deleted: Vec<&str> =
            changes.body.iter().filter(|s| s.change == TextChange::Delete).map(|s| s.text.as_str()).collect();
        assert_eq!(deleted, ["Two.\n"], "the body compares whole lines");
    }

    #[test]
    fn nothing_to_compare_is_no_run() {
        let empty = Text { version: 1, title: "", summary: "", body: "" };
        assert_eq!(compare(empty, empty).body, vec![]);
    }
}
