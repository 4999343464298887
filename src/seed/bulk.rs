//! Benchmark-size data sets: any number of published articles with generated
//! (deterministic, meaningless but newsy) text, tags, bylines and comments.
//! Missing sections, tags, writers and readers are created first.

use std::fmt;
use std::time::Instant;

use chrono::Duration;

use super::DEMO_PASSWORD;
use super::rng::Rng;
use super::words::{ADJECTIVES, FILLER, NOUNS, OBJECTS, PLACES, SUBJECTS, VERBS};
use crate::auth::password;
use crate::db::models::{
    ArticleAuthorRow, ArticleRow, ArticleTagRow, BylineJson, CategoryRow, CommentRow, TagJson, TagRow,
    UserRow,
};
use crate::db::repo::{articles, categories, comments, tags, users};
use crate::db::{Db, DbConn};
use crate::domain::time::{now, to_db};
use crate::domain::{ArticleId, CategoryId, CommentId, Slug, TagId, UserId, markdown};
use crate::error::AppResult;

const BATCH: u32 = 2_000;
const TAGS: usize = 200;
const WRITERS: usize = 20;
const READERS: usize = 200;

/// Twelve sections in a two-level tree.
const SECTIONS: &[(&str, &str, Option<&str>)] = &[
    ("world", "World", None),
    ("europe", "Europe", Some("world")),
    ("asia", "Asia", Some("world")),
    ("americas", "Americas", Some("world")),
    ("politics", "Politics", None),
    ("business", "Business", None),
    ("markets", "Markets", Some("business")),
    ("technology", "Technology", Some("business")),
    ("science", "Science", None),
    ("environment", "Environment", None),
    ("health", "Health", None),
    ("entertainment", "Entertainment", None),
];

pub struct Report {
    articles: u32,
    comments: u64,
    seconds: f64,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "generated {} articles and {} comments in {:.1} s",
            self.articles, self.comments, self.seconds
        )
    }
}

/// Adds `article_count` published articles and `comment_count` comments.
pub fn generate(db: &Db, article_count: u32, comment_count: u32, seed: u64) -> AppResult<Report> {
    let started = Instant::now();
    let mut rng = Rng::new(seed);
    let password_hash = password::hash(DEMO_PASSWORD)?;
    let (section_ids, all_tags, writers, reader_ids) = db.run_blocking(|conn| {
        conn.transaction(|conn| {
            let writer_ids = ensure_users(conn, "writer", "author", WRITERS, &password_hash)?;
            let writers: Vec<BylineJson> = users::by_ids(conn, &writer_ids)?
                .into_iter()
                .map(|u| BylineJson { id: u.id, display_name: u.display_name })
                .collect();
            Ok((
                ensure_sections(conn)?,
                ensure_tags(conn, &mut rng)?,
                writers,
                if comment_count > 0 {
                    ensure_users(conn, "reader", "reader", READERS, &password_hash)?
                } else {
                    Vec::new()
                },
            ))
        })
    })?;

    // Two stages on two threads: generating (text, Markdown rendering) and
    // inserting each take about half the time, so they overlap.
    let (sender, batches) = std::sync::mpsc::sync_channel::<AppResult<Batch>>(2);
    let plan = Plan {
        article_count,
        comment_count,
        seed,
        sections: &section_ids,
        tags: &all_tags,
        writers: &writers,
        readers: &reader_ids,
    };
    let written_comments = std::thread::scope(|scope| {
        scope.spawn(move || plan.produce(&mut rng, &sender));
        let mut written = 0u64;
        // Leaving early drops `batches`, which stops the producer at its next send.
        for batch in batches {
            let batch = batch?;
            written += batch.comments.len() as u64;
            db.run_blocking(|conn| {
                conn.transaction(|conn| {
                    articles::insert_many(conn, &batch.articles, &(batch.tags, batch.authors))?;
                    comments::insert_many(conn, &batch.comments)
                })
            })?;
        }
        AppResult::Ok(written)
    })?;
    db.run_blocking(crate::db::maintenance::analyze)?;
    Ok(Report {
        articles: article_count,
        comments: written_comments,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// The rows of one insert transaction.
struct Batch {
    articles: Vec<ArticleRow>,
    tags: Vec<ArticleTagRow>,
    authors: Vec<ArticleAuthorRow>,
    comments: Vec<CommentRow>,
}

/// What to generate, and what it may refer to.
struct Plan<'a> {
    article_count: u32,
    comment_count: u32,
    seed: u64,
    sections: &'a [String],
    tags: &'a [TagJson],
    writers: &'a [BylineJson],
    readers: &'a [String],
}

impl Plan<'_> {
    /// Sends every batch, in order, until done or the receiver is gone.
    fn produce(&self, rng: &mut Rng, out: &std::sync::mpsc::SyncSender<AppResult<Batch>>) {
        // Publication times walk back from now, 30 s to 5 min apart.
        let gaps: Vec<i64> = (0..self.article_count).map(|_| rng.between(30, 300) as i64).collect();
        let mut published = now() - Duration::seconds(gaps.iter().sum::<i64>());
        let mut index = 0u32;
        while index < self.article_count {
            let end = (index + BATCH).min(self.article_count);
            let batch = self.batch(rng, index..end, &gaps, &mut published);
            let failed = batch.is_err();
            if out.send(batch).is_err() || failed {
                return;
            }
            index = end;
        }
    }

    fn batch(
        &self,
        rng: &mut Rng,
        range: std::ops::Range<u32>,
        gaps: &[i64],
        published: &mut chrono::DateTime<chrono::Utc>,
    ) -> AppResult<Batch> {
        let mut batch = Batch {
            articles: Vec::with_capacity(range.len()),
            tags: Vec::new(),
            authors: Vec::new(),
            comments: Vec::new(),
        };
        for i in range {
            *published += Duration::seconds(gaps[i as usize]);
            let share = comments_for(i, self.article_count, self.comment_count);
            let mut article = article(rng, i, self.seed, *published, self.sections);
            let thread = thread(rng, &article.id, *published, share, self.readers);
            article.comment_count = i32::try_from(thread.len()).unwrap_or(i32::MAX);
            let mut tags = pick_distinct(rng, self.tags, rng_count(i, 1, 4));
            tags.sort_by(|a, b| a.name.cmp(&b.name));
            for tag in &tags {
                batch.tags.push(ArticleTagRow { article_id: article.id.clone(), tag_id: tag.id.clone() });
            }
            let byline = if i % 10 == 0 { 2 } else { 1 };
            let authors = pick_distinct(rng, self.writers, byline);
            for (position, writer) in authors.iter().enumerate() {
                batch.authors.push(ArticleAuthorRow {
                    article_id: article.id.clone(),
                    user_id: writer.id.clone(),
                    position: position as i32,
                });
            }
            if let Some(first) = authors.first() {
                article.created_by = first.id.clone();
                article.updated_by = first.id.clone();
            }
            // What `articles::refresh_relations` would write, without reading it back.
            article.tags_json = serde_json::to_string(&tags).map_err(crate::error::AppError::internal)?;
            article.authors_json =
                serde_json::to_string(&authors).map_err(crate::error::AppError::internal)?;
            batch.articles.push(article);
            batch.comments.extend(thread);
        }
        Ok(batch)
    }
}

/// Spreads `total` comments evenly over `articles` articles.
fn comments_for(i: u32, articles: u32, total: u32) -> u32 {
    let (i, n, m) = (u64::from(i), u64::from(articles), u64::from(total));
    ((i + 1) * m / n - i * m / n) as u32
}

/// 1-4 tags, varying by article.
fn rng_count(i: u32, lo: usize, hi: usize) -> usize {
    lo + (i as usize * 7 + 3) % (hi - lo + 1)
}

fn pick_distinct<T: Clone + PartialEq>(rng: &mut Rng, from: &[T], n: usize) -> Vec<T> {
    let mut picked: Vec<T> = Vec::with_capacity(n);
    while picked.len() < n.min(from.len()) {
        let candidate = rng.pick(from);
        if !picked.contains(candidate) {
            picked.push(candidate.clone());
        }
    }
    picked
}

fn sentence(rng: &mut Rng) -> String {
    let mut s = format!(
        "{} {} {} {} {} in {}",
        capitalise(rng.pick::<&str>(SUBJECTS)),
        *rng.pick(FILLER),
        *rng.pick(VERBS),
        *rng.pick(ADJECTIVES),
        *rng.pick(OBJECTS),
        *rng.pick(PLACES),
    );
    if rng.chance(50) {
        s.push_str(&format!(", {} {} {}", *rng.pick(FILLER), *rng.pick(ADJECTIVES), *rng.pick(NOUNS)));
    }
    s.push('.');
    s
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

fn article(
    rng: &mut Rng,
    i: u32,
    seed: u64,
    published: chrono::DateTime<chrono::Utc>,
    sections: &[String],
) -> ArticleRow {
    let title = format!(
        "{} {} {} {} in {}",
        capitalise(rng.pick::<&str>(SUBJECTS)),
        *rng.pick(VERBS),
        *rng.pick(ADJECTIVES),
        *rng.pick(OBJECTS),
        *rng.pick(PLACES),
    );
    let summary = format!("{} {}", sentence(rng), sentence(rng));
    let paragraphs = rng.between(3, 5);
    let body = (0..paragraphs)
        .map(|_| (0..rng.between(2, 4)).map(|_| sentence(rng)).collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n\n");
    let base = Slug::derive(&title).map(Slug::into_string).unwrap_or_else(|| "story".to_owned());
    let slug = format!("{base}-{seed}-{i}");
    let created = to_db(published - Duration::minutes(45));
    ArticleRow {
        id: ArticleId::generate().to_string(),
        slug,
        title,
        summary,
        body_html: markdown::render(&body),
        reading_time_minutes: markdown::reading_time_minutes(&body),
        body,
        cover_image_url: None,
        cover_image_caption: None,
        category_id: rng.pick(sections).clone(),
        status: "published".to_owned(),
        featured: rng.chance(2),
        published_at: Some(to_db(published)),
        scheduled_at: None,
        created_by: String::new(),
        updated_by: String::new(),
        tags_json: "[]".to_owned(),
        authors_json: "[]".to_owned(),
        created_at: created,
        updated_at: to_db(published),
        version: 1,
        comment_count: 0,
    }
}

fn thread(
    rng: &mut Rng,
    article_id: &str,
    published: chrono::DateTime<chrono::Utc>,
    count: u32,
    readers: &[String],
) -> Vec<CommentRow> {
    let mut thread: Vec<CommentRow> = Vec::with_capacity(count as usize);
    let latest = now();
    for n in 0..count {
        let at = (published + Duration::minutes(i64::from(n) * 3 + 2)).min(latest);
        // A quarter are replies to an earlier top-level comment.
        let parent = if n > 0 && rng.chance(25) {
            let top: Vec<usize> = (0..thread.len()).filter(|&k| thread[k].parent_id.is_none()).collect();
            top.get(rng.below(top.len())).copied()
        } else {
            None
        };
        if let Some(p) = parent {
            thread[p].reply_count += 1;
        }
        thread.push(CommentRow {
            id: CommentId::generate().to_string(),
            article_id: article_id.to_owned(),
            author_id: rng.pick(readers).clone(),
            parent_id: parent.map(|p| thread[p].id.clone()),
            body: Some(sentence(rng)),
            status: "visible".to_owned(),
            reply_count: 0,
            created_at: to_db(at),
            edited_at: None,
        });
    }
    thread
}

fn ensure_sections(conn: &mut DbConn) -> AppResult<Vec<String>> {
    let mut existing = categories::all(conn)?;
    if existing.is_empty() {
        let stamp = to_db(now());
        for (position, (slug, name, parent)) in SECTIONS.iter().enumerate() {
            let parent_id = parent.and_then(|p| existing.iter().find(|c| c.slug == p).map(|c| c.id.clone()));
            let row = CategoryRow {
                id: CategoryId::generate().to_string(),
                slug: (*slug).to_owned(),
                name: (*name).to_owned(),
                description: format!("{name} news."),
                parent_id,
                position: position as i32,
                created_at: stamp,
                updated_at: stamp,
            };
            categories::insert(conn, &row)?;
            existing.push(row);
        }
    }
    Ok(existing.into_iter().map(|c| c.id).collect())
}

fn ensure_tags(conn: &mut DbConn, rng: &mut Rng) -> AppResult<Vec<TagJson>> {
    let mut existing = tags::all(conn)?;
    let stamp = to_db(now());
    let mut attempt = 0;
    while existing.len() < TAGS && attempt < TAGS * 20 {
        attempt += 1;
        let name = capitalise(&format!("{} {}", *rng.pick(ADJECTIVES), *rng.pick(OBJECTS)));
        let Some(slug) = Slug::derive(&name) else { continue };
        if existing.iter().any(|t| t.slug == slug.as_str()) {
            continue;
        }
        let row =
            TagRow { id: TagId::generate().to_string(), slug: slug.into_string(), name, created_at: stamp };
        tags::insert(conn, &row)?;
        existing.push(row);
    }
    Ok(existing.into_iter().map(|t| TagJson { id: t.id, slug: t.slug, name: t.name }).collect())
}

fn ensure_users(
    conn: &mut DbConn,
    prefix: &str,
    role: &str,
    wanted: usize,
    hash: &str,
) -> AppResult<Vec<String>> {
    let mut ids = users::ids_with_roles(conn, &[role])?;
    let stamp = to_db(now());
    let mut n = ids.len();
    while ids.len() < wanted {
        n += 1;
        let email = format!("{prefix}{n}@bench.newsdesk.example");
        if users::by_email(conn, &email)?.is_some() {
            continue;
        }
        let row = UserRow {
            id: UserId::generate().to_string(),
            email,
            display_name: format!("{} {n}", capitalise(prefix)),
            bio: String::new(),
            role: role.to_owned(),
            password_hash: hash.to_owned(),
            disabled: false,
            created_at: stamp,
            updated_at: stamp,
        };
        users::insert(conn, &row)?;
        ids.push(row.id);
    }
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_are_spread_exactly() {
        let total: u32 = (0..7).map(|i| comments_for(i, 7, 100)).sum();
        assert_eq!(total, 100);
        assert!((0..7).all(|i| (14..=15).contains(&comments_for(i, 7, 100))));
    }
}
