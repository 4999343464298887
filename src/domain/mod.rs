//! Pure domain values and rules: no web, GraphQL or database types here.
//! Every value validates when it is made, so what exists is valid.

pub mod account;
pub mod article;
pub mod audit;
pub mod collection;
pub mod comment;
pub mod correction;
pub mod diff;
pub mod email;
pub mod facets;
pub mod field;
pub mod filters;
pub mod ids;
pub mod language;
pub mod markdown;
pub mod media;
pub mod moderation;
pub mod page;
pub mod policy;
pub mod preview;
pub mod role;
pub mod site;
pub mod slug;
pub mod snippet;
pub mod taxonomy;
pub mod text;
pub mod time;
pub mod timing;
pub mod trash;
pub mod user;
pub mod viewer;
pub mod vocabulary;
pub mod webhook;

pub use article::ArticleStatus;
pub use comment::{CommentStatus, CommentsMode};
pub use email::Email;
pub use ids::{
    ArticleId, AuditEntryId, CategoryId, CollectionId, CommentId, MediaId, RevisionId, SessionId, TagId,
    UserId,
};
pub use role::Role;
pub use slug::{Slug, SlugChoice};
pub use viewer::{Principal, Viewer};
pub use vocabulary::Vocabulary;
