//! Articles: reading the feed and single articles, writing drafts and
//! edits, moving them through the lifecycle (by hand and on their clocks),
//! their revisions, and the trash deleting moves them to.

mod clocks;
mod commands;
mod corrections;
mod images;
mod lifecycle;
mod previews;
mod query;
mod read;
mod revisions;
mod trash;
mod write;

pub use commands::{ArticlePatch, CoverChoice, NewArticle};
pub(crate) use images::images_changed;
pub use query::ArticleQuery;
pub(crate) use read::find as find_article;
pub use trash::TrashQuery;
