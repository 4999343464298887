//! Two versions of an article's text compared.

use async_graphql::SimpleObject;

use crate::domain::diff::{Span, TextChange, TextChanges};

/// A run of text, and what became of it in the newer version.
#[derive(SimpleObject)]
#[graphql(name = "DiffSpan")]
pub struct DiffSpanObject {
    pub change: TextChange,
    pub text: String,
}

/// Two versions of an article's text compared: the title and summary word
/// by word, the body (Markdown) line by line. Each field's runs, in order,
/// rebuild the older text (leave out `INSERT`) and the newer (leave out
/// `DELETE`).
#[derive(SimpleObject)]
#[graphql(name = "RevisionDiff")]
pub struct RevisionDiffObject {
    pub from_version: i64,
    pub to_version: i64,
    pub title: Vec<DiffSpanObject>,
    pub summary: Vec<DiffSpanObject>,
    pub body: Vec<DiffSpanObject>,
}

impl From<TextChanges> for RevisionDiffObject {
    fn from(d: TextChanges) -> Self {
        let spans = |spans: Vec<Span>| {
            spans.into_iter().map(|s| DiffSpanObject { change: s.change, text: s.text }).collect()
        };
        Self {
            from_version: d.from_version,
            to_version: d.to_version,
            title: spans(d.title),
            summary: spans(d.summary),
            body: spans(d.body),
        }
    }
}
