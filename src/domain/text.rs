//! Bounded free text: titles, summaries, names, comment bodies. Each kind is
//! a type that only holds text within its rule: trimmed, within its length
//! (counted in Unicode scalar values), without control characters (line
//! breaks and tabs allowed in the multi-line kinds).

use super::field::FieldError;

/// Whether line breaks and tabs are allowed (bodies) or not (titles, names).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lines {
    Single,
    Multi,
}

/// The trimmed text, if it has `min..=max` characters and only the allowed ones.
fn check(raw: &str, field: &str, min: usize, max: usize, lines: Lines) -> Result<String, FieldError> {
    let s = raw.trim();
    let len = s.chars().count();
    if len < min || len > max {
        let message = if min == 0 {
            format!("must be at most {max} characters")
        } else {
            format!("must be {min}-{max} characters")
        };
        return Err(FieldError::new(field, message));
    }
    let allowed = |c: char| match lines {
        Lines::Single => !c.is_control(),
        Lines::Multi => !c.is_control() || c == '\n' || c == '\t' || c == '\r',
    };
    if !s.chars().all(allowed) {
        return Err(FieldError::new(field, "must not contain control characters"));
    }
    if s.chars().any(is_bidi_control) {
        return Err(FieldError::new(field, "must not contain bidirectional override or isolate characters"));
    }
    Ok(s.to_owned())
}

/// The explicit embedding, override and isolate controls (U+202A–U+202E,
/// U+2066–U+2069): they make text display in another order than it is
/// read (`gpj.exe` shown as `exe.jpg`, a name that reverses what follows
/// it). Right-to-left text needs none of them; the marks U+200E/U+200F stay.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

macro_rules! bounded_text {
    ($( $(#[doc = $doc:literal])+ $name:ident: $min:literal..=$max:literal, $lines:ident; )+) => {$(
        $(#[doc = $doc])+
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct $name(String);

        impl $name {
            /// The fewest and most characters it may have (after trimming).
            pub const MIN_CHARS: usize = $min;
            pub const MAX_CHARS: usize = $max;

            /// The trimmed text, if it fits; otherwise why not, for `field`.
            pub fn parse(raw: &str, field: &str) -> Result<Self, FieldError> {
                check(raw, field, $min, $max, Lines::$lines).map(Self)
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }

            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl From<$name> for String {
            fn from(text: $name) -> String {
                text.0
            }
        }
    )+};
}

bounded_text! {
    /// An article's headline.
    Title: 1..=200, Single;
    /// An article's one-line standfirst; may be empty.
    Summary: 0..=500, Single;
    /// An article's Markdown source.
    Markdown: 0..=200_000, Multi;
    /// A reader comment: plain text.
    CommentText: 1..=2_000, Multi;
    /// What a reader adds to a report of a comment; may be empty.
    ReportNote: 0..=500, Multi;
    /// A correction or update under a story: plain text.
    NoteText: 1..=2_000, Multi;
    /// The name a user signs their stories and comments with.
    DisplayName: 1..=80, Single;
    /// A user's short biography; may be empty.
    Bio: 0..=1_000, Multi;
    /// A section's or a tag's name.
    Name: 1..=80, Single;
    /// A section's description; may be empty.
    Description: 0..=500, Multi;
    /// An image caption; may be empty.
    Caption: 0..=300, Single;
    /// An image's text alternative, read out in its place; may be empty.
    AltText: 0..=1_000, Single;
    /// Who made an image: photographer, agency; may be empty.
    Credit: 0..=200, Single;
    /// The terms an image is used under; may be empty.
    License: 0..=200, Single;
    /// The headline search engines show instead of the title; empty: the title.
    SeoTitle: 0..=200, Single;
    /// The description search engines and social cards show; empty: the summary.
    SeoDescription: 0..=500, Single;
}

impl Summary {
    /// The standfirst of an article given none.
    pub fn empty() -> Self {
        Self(String::new())
    }
}

impl Bio {
    /// The biography of a user who gave none.
    pub fn empty() -> Self {
        Self(String::new())
    }
}

impl Description {
    /// The description of a section given none.
    pub fn empty() -> Self {
        Self(String::new())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_and_counts_characters() {
        assert_eq!(Title::parse("  Héllo  ", "title").unwrap().as_str(), "Héllo");
        assert!(Title::parse(&"é".repeat(200), "title").is_ok());
        assert!(Title::parse(&"é".repeat(201), "title").is_err());
        assert!(Title::parse("   ", "title").is_err());
        assert_eq!(Summary::parse("", "summary").unwrap().as_str(), "");
    }

    #[test]
    fn errors_name_the_field_and_the_rule() {
        let error = Title::parse("", "headline").unwrap_err();
        assert_eq!(error.field, "headline");
        assert_eq!(error.message, "must be 1-200 characters");
        assert_eq!(
            Summary::parse(&"x".repeat(501), "s").unwrap_err().message,
            "must be at most 500 characters"
        );
    }

    #[test]
    fn control_characters_depend_on_the_kind() {
        assert!(Title::parse("a\nb", "title").is_err());
        assert!(CommentText::parse("a\nb", "body").is_ok());
        assert!(CommentText::parse("a\u{0}b", "body").is_err());
    }

    #[test]
    fn bidirectional_overrides_are_refused_and_right_to_left_text_kept() {
        assert!(DisplayName::parse("Ana\u{202E}gpj.exe", "display_name").is_err());
        assert!(CommentText::parse("a \u{2066}b\u{2069}", "body").is_err());
        assert!(DisplayName::parse("سلمى\u{200F}", "display_name").is_ok());
        assert!(Title::parse("שלום עולם", "title").is_ok());
    }

    #[test]
    fn markup_is_kept_as_text() {
        // Stored verbatim; escaping is the renderer's job, never silent removal.
        assert_eq!(CommentText::parse("<script>x</script>", "body").unwrap().as_str(), "<script>x</script>");
    }
}
