//! Benchmark-size data sets: any number of published articles with generated
//! (deterministic, meaningless but newsy) text, tags, bylines and comments.
//! Missing sections, tags, writers and readers are created first.

use std::fmt;
use std::time::Instant;

use chrono::Duration;

mod cast;
mod rows;

use super::DEMO_PASSWORD;
use super::rng::Rng;
use crate::auth::password;
use crate::db::Db;
use crate::db::models::{ArticleAuthorRow, ArticleRow, ArticleTagRow, CommentRow};
use crate::db::repo::{articles, comments, users};
use crate::domain::article::{Byline, TagRef};
use crate::domain::time::now;
use crate::domain::{CategoryId, Role, UserId};
use crate::error::{AppError, AppResult};
use cast::{ensure_sections, ensure_tags, ensure_users};
use rows::{article, thread};

const BATCH: u32 = 2_000;
const WRITERS: usize = 20;
const READERS: usize = 200;

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
    generate_reporting(db, article_count, comment_count, seed, &mut |_| {})
}

/// [`generate`], telling `progress` how many articles are written after each
/// batch commits.
pub fn generate_reporting(
    db: &Db,
    article_count: u32,
    comment_count: u32,
    seed: u64,
    progress: &mut dyn FnMut(u64),
) -> AppResult<Report> {
    let started = Instant::now();
    let mut rng = Rng::new(seed);
    let password_hash = password::hash(DEMO_PASSWORD)?;
    let (section_ids, all_tags, writers, reader_ids) = db.run_blocking(|conn| {
        conn.transaction(|conn| {
            let writer_ids = ensure_users(conn, "writer", Role::Author, WRITERS, &password_hash)?;
            let writers: Vec<Byline> = users::by_ids(conn, &writer_ids)?
                .into_iter()
                .map(|u| Byline { id: u.id, display_name: u.display_name })
                .collect();
            Ok((
                ensure_sections(conn)?,
                ensure_tags(conn, &mut rng)?,
                writers,
                if comment_count > 0 {
                    ensure_users(conn, "reader", Role::Reader, READERS, &password_hash)?
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
        let (mut articles_written, mut comments_written) = (0u64, 0u64);
        // Leaving early drops `batches`, which stops the producer at its next send.
        for batch in batches {
            let batch = batch?;
            let (articles_in_batch, comments_in_batch) = (batch.articles.len(), batch.comments.len());
            db.run_blocking(|conn| {
                conn.transaction(|conn| {
                    articles::insert_many(conn, &batch.articles, &(batch.tags, batch.authors))?;
                    comments::insert_many(conn, &batch.comments)
                })
            })?;
            articles_written += articles_in_batch as u64;
            comments_written += comments_in_batch as u64;
            progress(articles_written);
        }
        AppResult::Ok(comments_written)
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
    sections: &'a [CategoryId],
    tags: &'a [TagRef],
    writers: &'a [Byline],
    readers: &'a [UserId],
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
        let Some(first_writer) = self.writers.first() else {
            return Err(AppError::internal(anyhow::anyhow!("no writers to credit")));
        };
        for i in range {
            *published += Duration::seconds(gaps[i as usize]);
            let share = comments_for(i, self.article_count, self.comment_count);
            let mut article = article(rng, i, self.seed, *published, self.sections, first_writer.id);
            let thread = thread(rng, article.id, *published, share, self.readers);
            article.comment_count = i32::try_from(thread.len()).unwrap_or(i32::MAX);
            let mut tags = pick_distinct(rng, self.tags, rng_count(i, 1, 4));
            tags.sort_by(|a, b| a.name.cmp(&b.name));
            for tag in &tags {
                batch.tags.push(ArticleTagRow { article_id: article.id, tag_id: tag.id });
            }
            let byline = if i % 10 == 0 { 2 } else { 1 };
            let authors = pick_distinct(rng, self.writers, byline);
            for (position, writer) in authors.iter().enumerate() {
                batch.authors.push(ArticleAuthorRow {
                    article_id: article.id,
                    user_id: writer.id,
                    position: position as i32,
                });
            }
            if let Some(first) = authors.first() {
                article.created_by = first.id;
                article.updated_by = first.id;
            }
            // What `articles::refresh_relations` would write, without reading it back.
            article.tags_json = serde_json::to_string(&tags).map_err(AppError::internal)?;
            article.authors_json = serde_json::to_string(&authors).map_err(AppError::internal)?;
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
