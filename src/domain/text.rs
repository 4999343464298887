//! Bounded free text: titles, summaries, names, comment bodies.
//! Lengths count Unicode scalar values, after trimming.

use crate::error::FieldError;

/// Whether line breaks and tabs are allowed (bodies) or not (titles, names).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lines {
    Single,
    Multi,
}

/// The rule for one kind of text field.
#[derive(Debug, Clone, Copy)]
pub struct TextRule {
    pub min: usize,
    pub max: usize,
    pub lines: Lines,
}

pub const TITLE: TextRule = TextRule { min: 1, max: 200, lines: Lines::Single };
pub const SUMMARY: TextRule = TextRule { min: 0, max: 500, lines: Lines::Single };
pub const ARTICLE_BODY: TextRule = TextRule { min: 0, max: 200_000, lines: Lines::Multi };
pub const COMMENT_BODY: TextRule = TextRule { min: 1, max: 2_000, lines: Lines::Multi };
pub const DISPLAY_NAME: TextRule = TextRule { min: 1, max: 80, lines: Lines::Single };
pub const BIO: TextRule = TextRule { min: 0, max: 1_000, lines: Lines::Multi };
pub const NAME: TextRule = TextRule { min: 1, max: 80, lines: Lines::Single };
pub const DESCRIPTION: TextRule = TextRule { min: 0, max: 500, lines: Lines::Multi };
pub const CAPTION: TextRule = TextRule { min: 0, max: 300, lines: Lines::Single };

impl TextRule {
    /// The trimmed text, if it fits the rule.
    pub fn check(&self, raw: &str, field: &str) -> Result<String, FieldError> {
        let s = raw.trim();
        let len = s.chars().count();
        if len < self.min || len > self.max {
            let message = if self.min == 0 {
                format!("must be at most {} characters", self.max)
            } else {
                format!("must be {}-{} characters", self.min, self.max)
            };
            return Err(FieldError::new(field, message));
        }
        let allowed = |c: char| match self.lines {
            Lines::Single => !c.is_control(),
            Lines::Multi => !c.is_control() || c == '\n' || c == '\t' || c == '\r',
        };
        if !s.chars().all(allowed) {
            return Err(FieldError::new(field, "must not contain control characters"));
        }
        Ok(s.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_and_counts_characters() {
        assert_eq!(TITLE.check("  Héllo  ", "title").unwrap(), "Héllo");
        assert!(TITLE.check(&"é".repeat(200), "title").is_ok());
        assert!(TITLE.check(&"é".repeat(201), "title").is_err());
        assert!(TITLE.check("   ", "title").is_err());
        assert_eq!(SUMMARY.check("", "summary").unwrap(), "");
    }

    #[test]
    fn control_characters_depend_on_the_field() {
        assert!(TITLE.check("a\nb", "title").is_err());
        assert!(COMMENT_BODY.check("a\nb", "body").is_ok());
        assert!(COMMENT_BODY.check("a\u{0}b", "body").is_err());
    }

    #[test]
    fn markup_is_kept_as_text() {
        // Stored verbatim; escaping is the renderer's job, never silent removal.
        assert_eq!(COMMENT_BODY.check("<script>x</script>", "body").unwrap(), "<script>x</script>");
    }
}
