//! Pure domain values and rules: no web, GraphQL or database types here.
//! Every value validates when it is made, so what exists is valid.

pub mod article;
pub mod comment;
pub mod email;
pub mod ids;
pub mod markdown;
pub mod page;
pub mod role;
pub mod slug;
pub mod taxonomy;
pub mod text;
pub mod time;
pub mod user;
pub mod viewer;

pub use article::ArticleStatus;
pub use comment::CommentStatus;
pub use email::Email;
pub use ids::{ArticleId, CategoryId, CommentId, TagId, UserId};
pub use role::Role;
pub use slug::Slug;
pub use viewer::{Principal, Viewer};
