//! The generated rows: articles with newsy, meaningless text, and their comment threads.

use chrono::Duration;

use super::super::rng::Rng;
use super::super::words::{ADJECTIVES, FILLER, NOUNS, OBJECTS, PLACES, SUBJECTS, VERBS};
use crate::db::models::{ArticleRow, CommentRow};
use crate::domain::time::{now, to_db};
use crate::domain::{ArticleId, ArticleStatus, CategoryId, CommentId, CommentStatus, Slug, UserId, markdown};

pub(super) fn sentence(rng: &mut Rng) -> String {
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

pub(super) fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

pub(super) fn article(
    rng: &mut Rng,
    i: u32,
    seed: u64,
    published: chrono::DateTime<chrono::Utc>,
    sections: &[CategoryId],
    created_by: UserId,
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
        id: ArticleId::generate(),
        slug,
        title,
        summary,
        body_html: markdown::render(&body),
        cover_media_id: None,
        cover_media_json: None,
        seo_title: None,
        seo_description: None,
        seo_image_url: None,
        canonical_url: None,
        reading_time_minutes: markdown::reading_time_minutes(&body),
        body,
        cover_image_url: None,
        cover_image_caption: None,
        category_id: *rng.pick(sections),
        status: ArticleStatus::Published,
        featured: rng.chance(2),
        published_at: Some(to_db(published)),
        scheduled_at: None,
        expires_at: None,
        breaking_until: None,
        created_by,
        updated_by: created_by,
        tags_json: "[]".to_owned(),
        authors_json: "[]".to_owned(),
        corrections_json: "[]".to_owned(),
        created_at: created,
        updated_at: to_db(published),
        version: 1,
        comment_count: 0,
        comments_mode: crate::domain::CommentsMode::Open,
    }
}

pub(super) fn thread(
    rng: &mut Rng,
    article_id: ArticleId,
    published: chrono::DateTime<chrono::Utc>,
    count: u32,
    readers: &[UserId],
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
            id: CommentId::generate(),
            article_id,
            author_id: *rng.pick(readers),
            parent_id: parent.map(|p| thread[p].id),
            body: Some(sentence(rng)),
            status: CommentStatus::Visible,
            reply_count: 0,
            created_at: to_db(at),
            edited_at: None,
        });
    }
    thread
}
