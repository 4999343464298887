//! Corrections and updates: notes an editor appends to a published story,
//! shown under it in the order they were made. A note is never edited or
//! removed (a wrong one is put right by the next), so a reader can trust
//! that what a story once said about itself still stands.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::text::NoteText;
use super::vocabulary::vocabulary;

vocabulary! {
    /// What a note under a story says about it.
    pub enum CorrectionKind {
        /// Something the story said was wrong, and is now put right.
        Correction = "correction",
        /// The story moved on: new facts were added.
        Update = "update",
    }
}

/// The most notes one story carries: past that, it is a new story.
pub const MAX_CORRECTIONS: usize = 50;

/// A note as the APIs show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Correction {
    pub id: uuid::Uuid,
    pub kind: CorrectionKind,
    pub text: String,
    pub created_at: DateTime<Utc>,
}

/// A note as an editor asks for it.
#[derive(Debug, Clone)]
pub struct NewCorrection {
    pub kind: CorrectionKind,
    pub text: NoteText,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Vocabulary;

    #[test]
    fn kinds_round_trip_and_notes_keep_their_order_in_json() {
        assert_eq!(CorrectionKind::parse_field(" update ", "kind").unwrap(), CorrectionKind::Update);
        assert!(CorrectionKind::parse_field("retraction", "kind").is_err());
        let at = crate::domain::time::now();
        let notes = vec![
            Correction {
                id: uuid::Uuid::now_v7(),
                kind: CorrectionKind::Correction,
                text: "a".into(),
                created_at: at,
            },
            Correction {
                id: uuid::Uuid::now_v7(),
                kind: CorrectionKind::Update,
                text: "b".into(),
                created_at: at,
            },
        ];
        let json = serde_json::to_string(&notes).unwrap();
        assert!(json.contains("\"kind\":\"correction\""), "{json}");
        assert_eq!(serde_json::from_str::<Vec<Correction>>(&json).unwrap(), notes);
    }
}
