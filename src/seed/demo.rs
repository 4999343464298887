//! The demo newsroom: sections, tags, staff of every role, readers, forty
//! stories written for the demo and their comment threads, all loaded in one
//! transaction with times relative to now, so the site always looks current.

use std::collections::HashMap;
use std::fmt;

use chrono::Duration;
use serde::Deserialize;

use super::DEMO_PASSWORD;
use crate::auth::password;
use crate::db::Db;
use crate::db::models::{ArticleRow, CategoryRow, CommentRow, NewUserRow, TagRow, UserRow};
use crate::db::repo::articles::corrections::CorrectionRow;
use crate::db::repo::collections::{self, CollectionRow};
use crate::db::repo::{articles, categories, comments, tags, users};
use crate::domain::collection::DEFAULT_MAX_ITEMS;
use crate::domain::correction::CorrectionKind;
use crate::domain::text::NoteText;
use crate::domain::time::{now, to_db};
use crate::domain::{
    ArticleId, ArticleStatus, CategoryId, CollectionId, CommentId, CommentStatus, CommentsMode, Email, Role,
    Slug, TagId, UserId, markdown,
};
use crate::error::{AppError, AppResult};

const CONTENT: &str = include_str!("demo_content.json");

#[derive(Deserialize)]
struct Content {
    categories: Vec<DemoCategory>,
    tags: Vec<DemoTag>,
    users: Vec<DemoUser>,
    articles: Vec<DemoArticle>,
    /// Curated lists, each in its editors' order.
    #[serde(default)]
    collections: Vec<DemoCollection>,
}

#[derive(Deserialize)]
struct DemoCollection {
    slug: String,
    name: String,
    description: String,
    editor: String,
    /// Slugs of its stories, in order.
    articles: Vec<String>,
}

#[derive(Deserialize)]
struct DemoCategory {
    slug: String,
    name: String,
    description: String,
    parent: Option<String>,
}

#[derive(Deserialize)]
struct DemoTag {
    slug: String,
    name: String,
}

#[derive(Deserialize)]
struct DemoUser {
    email: String,
    display_name: String,
    role: Role,
    bio: String,
}

#[derive(Deserialize)]
struct DemoArticle {
    slug: String,
    title: String,
    summary: String,
    body: String,
    category: String,
    tags: Vec<String>,
    authors: Vec<String>,
    status: ArticleStatus,
    featured: bool,
    hours_ago: f64,
    cover_image: Option<DemoCover>,
    comments: Vec<DemoComment>,
    /// Notes an editor appended after publication.
    #[serde(default)]
    corrections: Vec<DemoCorrection>,
    /// Breaking news for this many hours from when the demo is loaded.
    #[serde(default)]
    breaking_hours: Option<f64>,
    /// Open unless said otherwise.
    #[serde(default)]
    comments_mode: Option<CommentsMode>,
}

#[derive(Deserialize)]
struct DemoCorrection {
    kind: CorrectionKind,
    text: String,
    editor: String,
    hours_after: f64,
}

#[derive(Deserialize)]
struct DemoCover {
    url: String,
    caption: String,
}

#[derive(Deserialize)]
struct DemoComment {
    author: String,
    body: String,
    replies: Vec<DemoComment>,
    /// Waiting for an editor's approval (on a pre-moderated story).
    #[serde(default)]
    held: bool,
}

/// What a seeding run added.
#[derive(Debug, Default)]
pub struct Report {
    pub categories: usize,
    pub tags: usize,
    pub users: usize,
    pub articles: usize,
    pub comments: usize,
    pub collections: usize,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "seeded {} sections, {} tags, {} users, {} articles, {} comments, {} collections",
            self.categories, self.tags, self.users, self.articles, self.comments, self.collections
        )
    }
}

/// Each demo story with a cover photo: its slug, section and caption.
pub fn covers() -> AppResult<Vec<(String, String, String)>> {
    let content: Content = serde_json::from_str(CONTENT).map_err(bad)?;
    Ok(content
        .articles
        .into_iter()
        .filter_map(|a| a.cover_image.map(|c| (a.slug, a.category, c.caption)))
        .collect())
}

fn bad(what: impl fmt::Display) -> AppError {
    AppError::internal(anyhow::anyhow!("demo content: {what}"))
}

/// Loads the demo newsroom into a database without articles (accounts,
/// sections and tags may exist already: they are kept, and the demo's own
/// join them); refuses one that has articles.
pub fn load(db: &Db) -> AppResult<Report> {
    load_unless_articles(db)?.ok_or_else(|| {
        AppError::conflict("the database already has articles; demo content goes into a newsroom without any")
    })
}

/// Loads the demo newsroom if the database has no articles yet.
pub fn load_unless_articles(db: &Db) -> AppResult<Option<Report>> {
    let content: Content = serde_json::from_str(CONTENT).map_err(bad)?;
    let password_hash = password::hash(DEMO_PASSWORD)?;
    db.run_blocking(|conn| {
        conn.transaction(|conn| {
            if articles::exist(conn)? {
                return Ok(None);
            }
            let mut report = Report::default();
            let at = now();
            let stamp = to_db(at);

            let existing = categories::all(conn)?;
            let mut category_ids: HashMap<&str, CategoryId> = HashMap::new();
            let mut positions: HashMap<Option<&str>, i32> = HashMap::new();
            for c in &content.categories {
                Slug::parse(&c.slug, "slug").map_err(bad)?;
                if let Some(kept) = existing.iter().find(|e| e.slug == c.slug) {
                    category_ids.insert(&c.slug, kept.id);
                    continue;
                }
                let parent_id = match c.parent.as_deref() {
                    Some(p) => {
                        Some(category_ids.get(p).copied().ok_or_else(|| bad(format!("unknown parent {p}")))?)
                    }
                    None => None,
                };
                let position = positions.entry(c.parent.as_deref()).or_insert(0);
                let row = CategoryRow {
                    id: CategoryId::generate(),
                    slug: c.slug.clone(),
                    name: c.name.clone(),
                    description: c.description.clone(),
                    parent_id,
                    position: *position,
                    created_at: stamp,
                    updated_at: stamp,
                };
                *position += 1;
                categories::insert(conn, &row)?;
                category_ids.insert(&c.slug, row.id);
                report.categories += 1;
            }

            let mut tag_ids: HashMap<&str, TagId> = HashMap::new();
            for t in &content.tags {
                Slug::parse(&t.slug, "slug").map_err(bad)?;
                if let Some(kept) = tags::by_slug(conn, &t.slug)? {
                    tag_ids.insert(&t.slug, kept.id);
                    continue;
                }
                let row = TagRow {
                    id: TagId::generate(),
                    slug: t.slug.clone(),
                    name: t.name.clone(),
                    created_at: stamp,
                };
                tags::insert(conn, &row)?;
                tag_ids.insert(&t.slug, row.id);
                report.tags += 1;
            }

            let mut user_ids: HashMap<&str, UserId> = HashMap::new();
            for u in &content.users {
                let email = Email::parse(&u.email, "email").map_err(bad)?;
                if let Some(kept) = users::by_email(conn, &email)? {
                    user_ids.insert(&u.email, kept.id);
                    continue;
                }
                let (display_name, bio, role) = (u.display_name.clone(), u.bio.clone(), u.role);
                let password_hash = password_hash.clone();
                let row = UserRow::new(NewUserRow { email, display_name, bio, role, password_hash }, stamp);
                users::insert(conn, &row)?;
                user_ids.insert(&u.email, row.id);
                report.users += 1;
            }
            let user = |email: &str| {
                user_ids.get(email).copied().ok_or_else(|| bad(format!("unknown user {email}")))
            };

            // Oldest first, so ids (time-ordered) follow publication order.
            let mut story_ids: HashMap<&str, ArticleId> = HashMap::new();
            let mut stories: Vec<&DemoArticle> = content.articles.iter().collect();
            stories.sort_by(|a, b| b.hours_ago.total_cmp(&a.hours_ago));
            for a in stories {
                let status = a.status;
                let offset = Duration::seconds((a.hours_ago * 3600.0) as i64);
                let (published_at, scheduled_at, created_at) = match status {
                    ArticleStatus::Published | ArticleStatus::Archived => {
                        (Some(at - offset), None, at - offset - Duration::hours(3))
                    }
                    // A negative `hours_ago` is a time still to come.
                    ArticleStatus::Scheduled => (None, Some(at - offset), at - Duration::hours(5)),
                    ArticleStatus::Draft | ArticleStatus::InReview => (None, None, at - offset),
                };
                let author_ids = a.authors.iter().map(|e| user(e)).collect::<AppResult<Vec<_>>>()?;
                let article_id = ArticleId::generate();
                story_ids.insert(&a.slug, article_id);
                let mut thread = Vec::new();
                if let Some(published_at) = published_at {
                    let mut minute = 7;
                    for comment in &a.comments {
                        add_comment(
                            &mut thread,
                            comment,
                            None,
                            article_id,
                            published_at,
                            &mut minute,
                            &user,
                        )?;
                    }
                }
                let visible = thread.iter().filter(|c| c.status == CommentStatus::Visible).count();
                let comment_count = i32::try_from(visible).map_err(bad)?;
                let mut notes = Vec::new();
                // Notes go under published stories only.
                if let Some(published_at) = published_at {
                    for note in &a.corrections {
                        let offset = Duration::seconds((note.hours_after * 3600.0) as i64);
                        notes.push(CorrectionRow {
                            id: uuid::Uuid::now_v7().to_string(),
                            article_id,
                            kind: note.kind,
                            body: NoteText::parse(&note.text, "text").map_err(bad)?.into_string(),
                            created_by: user(&note.editor)?,
                            created_at: to_db((published_at + offset).min(now())),
                        });
                    }
                }
                // The last note is the story's last change.
                let updated_at = notes.iter().map(|n| n.created_at).max().or(published_at.map(to_db));
                let row = ArticleRow {
                    id: article_id,
                    slug: Slug::parse(&a.slug, "slug").map_err(bad)?.into_string(),
                    title: a.title.clone(),
                    summary: a.summary.clone(),
                    body: a.body.clone(),
                    body_html: markdown::render(&a.body),
                    cover_media_id: None,
                    cover_media_json: None,
                    seo_title: None,
                    seo_description: None,
                    seo_image_url: None,
                    canonical_url: None,
                    cover_image_url: a.cover_image.as_ref().map(|c| c.url.clone()),
                    cover_image_caption: a.cover_image.as_ref().map(|c| c.caption.clone()),
                    category_id: category_ids
                        .get(a.category.as_str())
                        .copied()
                        .ok_or_else(|| bad(format!("unknown category {}", a.category)))?,
                    status,
                    featured: a.featured,
                    published_at: published_at.map(to_db),
                    scheduled_at: scheduled_at.map(to_db),
                    expires_at: None,
                    breaking_until: a
                        .breaking_hours
                        .map(|h| to_db(at + Duration::seconds((h * 3600.0) as i64))),
                    created_by: author_ids.first().copied().ok_or_else(|| bad("article without author"))?,
                    updated_by: author_ids.first().copied().ok_or_else(|| bad("article without author"))?,
                    created_at: to_db(created_at),
                    updated_at: updated_at.unwrap_or(to_db(created_at)),
                    version: 1,
                    reading_time_minutes: markdown::reading_time_minutes(&a.body),
                    comment_count,
                    comments_mode: a.comments_mode.unwrap_or(CommentsMode::Open),
                    // Filled in from the links by `articles::insert`.
                    tags_json: "[]".to_owned(),
                    authors_json: "[]".to_owned(),
                    corrections_json: "[]".to_owned(),
                };
                let tag_list = a
                    .tags
                    .iter()
                    .map(|t| tag_ids.get(t.as_str()).copied().ok_or_else(|| bad(format!("unknown tag {t}"))))
                    .collect::<AppResult<Vec<_>>>()?;
                articles::insert(conn, &row, &tag_list, &author_ids)?;
                comments::insert_many(conn, &thread)?;
                for note in &notes {
                    articles::corrections::append(conn, note)?;
                }
                report.articles += 1;
                report.comments += thread.len();
            }

            for c in &content.collections {
                if collections::by_slug(conn, &c.slug)?.is_some() {
                    continue;
                }
                let items = c
                    .articles
                    .iter()
                    .map(|s| {
                        story_ids.get(s.as_str()).copied().ok_or_else(|| bad(format!("unknown story {s}")))
                    })
                    .collect::<AppResult<Vec<_>>>()?;
                let row = CollectionRow {
                    id: CollectionId::generate(),
                    slug: Slug::parse(&c.slug, "slug").map_err(bad)?.into_string(),
                    name: c.name.clone(),
                    description: c.description.clone(),
                    max_items: DEFAULT_MAX_ITEMS.max(items.len() as i32),
                    version: 1,
                    created_at: stamp,
                    updated_by: user(&c.editor)?,
                    updated_at: stamp,
                };
                collections::insert(conn, &row)?;
                collections::replace_items(conn, row.id, &items)?;
                report.collections += 1;
            }
            Ok(Some(report))
        })
    })
}

/// Adds `comment` and its replies to `thread`, a few minutes apart, and
/// counts the replies on their parent.
fn add_comment(
    thread: &mut Vec<CommentRow>,
    comment: &DemoComment,
    parent: Option<usize>,
    article_id: ArticleId,
    published_at: chrono::DateTime<chrono::Utc>,
    minute: &mut i64,
    user: &impl Fn(&str) -> AppResult<UserId>,
) -> AppResult<()> {
    // Never in the future, even under a story published minutes ago.
    let created_at = to_db((published_at + Duration::minutes(*minute)).min(now()));
    *minute += 11;
    let row = CommentRow {
        id: CommentId::generate(),
        article_id,
        author_id: user(&comment.author)?,
        parent_id: parent.map(|i| thread[i].id),
        body: Some(comment.body.clone()),
        status: if comment.held { CommentStatus::Held } else { CommentStatus::Visible },
        reply_count: 0,
        created_at,
        edited_at: None,
    };
    if let Some(i) = parent.filter(|_| !comment.held) {
        thread[i].reply_count += 1;
    }
    thread.push(row);
    let index = thread.len() - 1;
    for reply in &comment.replies {
        add_comment(thread, reply, Some(index), article_id, published_at, minute, user)?;
    }
    Ok(())
}
