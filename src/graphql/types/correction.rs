//! Corrections and updates under stories, in GraphQL.

use async_graphql::{ID, InputObject, Object};

use super::time::Timestamp;
use crate::domain::correction::{Correction, CorrectionKind, NewCorrection};
use crate::domain::field::{AllValid, Invalid};
use crate::domain::text::NoteText;

/// A correction or update under a story, in the order they were made.
pub struct CorrectionObject(pub Correction);

#[Object(name = "Correction")]
impl CorrectionObject {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn kind(&self) -> CorrectionKind {
        self.0.kind
    }
    /// Plain text, shown under the story as written.
    async fn text(&self) -> &str {
        &self.0.text
    }
    async fn created_at(&self) -> Timestamp {
        Timestamp(self.0.created_at)
    }
}

/// A note to append under a published story.
#[derive(InputObject)]
pub struct CorrectionInput {
    pub kind: CorrectionKind,
    pub text: String,
}

impl TryFrom<CorrectionInput> for NewCorrection {
    type Error = Invalid;

    fn try_from(input: CorrectionInput) -> Result<Self, Invalid> {
        let (text,) = (NoteText::parse(&input.text, "text"),).all_valid()?;
        Ok(Self { kind: input.kind, text })
    }
}
