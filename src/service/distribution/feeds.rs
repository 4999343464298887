//! The articles each feed carries: the site's, a section's (with its
//! sub-sections), a tag's and an author's newest published articles.

use crate::domain::article::Article;
use crate::domain::page::Limit;
use crate::domain::{Slug, UserId, Viewer};
use crate::error::{AppError, AppResult};
use crate::service::Services;
use crate::service::articles::ArticleQuery;

/// How many articles a feed carries.
pub const FEED_LENGTH: i64 = 50;

/// Whose feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FeedScope {
    Site,
    /// By slug.
    Section(String),
    /// By slug.
    Tag(String),
    /// By id.
    Author(String),
}

/// A feed's articles and what it is about.
#[derive(Debug, Clone)]
pub struct FeedContent {
    pub title: String,
    pub description: String,
    /// The page the feed follows on the public site.
    pub page_url: String,
    /// Where the feed's files are (`/feeds/sections/europe/`).
    pub path: String,
    /// Newest first; with their bodies when feeds carry whole articles.
    pub articles: Vec<Article>,
    pub full_content: bool,
}

impl Services {
    /// The feed of `scope`: its newest published articles. An unknown
    /// section, tag or author is `NotFound`.
    pub async fn feed(&self, scope: FeedScope) -> AppResult<FeedContent> {
        let site = self.site().clone();
        let mut query =
            ArticleQuery { limit: Limit::new(Some(FEED_LENGTH), "limit")?, ..ArticleQuery::default() };
        let (title, description, page_url, path) = match &scope {
            FeedScope::Site => (
                site.name.clone(),
                format!("The latest from {}", site.name),
                site.public_url.to_string(),
                "/feeds/".to_owned(),
            ),
            FeedScope::Section(slug) => {
                let section = self.get_category(slug).await?;
                query.category = Some(Slug::parse(&section.slug, "section")?);
                let description = if section.description.is_empty() {
                    format!("The latest in {} from {}", section.name, site.name)
                } else {
                    section.description.clone()
                };
                let path = format!("/feeds/sections/{}/", section.slug);
                (
                    format!("{} – {}", section.name, site.name),
                    description,
                    site.section_url(section.id, &section.slug),
                    path,
                )
            }
            FeedScope::Tag(slug) => {
                let tag = self.get_tag(slug).await?;
                query.tag = Some(Slug::parse(&tag.slug, "tag")?);
                let path = format!("/feeds/tags/{}/", tag.slug);
                let description = format!("Articles tagged {} from {}", tag.name, site.name);
                (format!("{} – {}", tag.name, site.name), description, site.tag_url(tag.id, &tag.slug), path)
            }
            FeedScope::Author(id) => {
                let id = UserId::parse_field(id, "id").map_err(|_| AppError::NotFound("author"))?;
                let author = self.user(id).await.map_err(|_| AppError::NotFound("author"))?;
                if !author.role.is_staff() {
                    return Err(AppError::NotFound("author"));
                }
                query.author = Some(id);
                let path = format!("/feeds/authors/{id}/");
                let description = format!("Articles by {} from {}", author.display_name, site.name);
                (format!("{} – {}", author.display_name, site.name), description, site.author_url(id), path)
            }
        };
        let mut articles = self.list_articles(Viewer::Anonymous, query).await?.items;
        if self.feed_full_content && !articles.is_empty() {
            let mut bodies = self.article_bodies(articles.iter().map(|a| a.id).collect()).await?;
            for article in &mut articles {
                article.body = bodies.remove(&article.id);
            }
        }
        Ok(FeedContent { title, description, page_url, path, articles, full_content: self.feed_full_content })
    }
}
