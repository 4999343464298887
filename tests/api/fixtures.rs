//! Data the public API cannot create yet (or not in one step), written
//! straight through the repositories.

use chrono::Duration;
use diesel::prelude::*;
use newsdesk::db::schema::{article_previews, article_trash, articles, comments, password_resets};
use newsdesk::db::{Db, on_backend};
use newsdesk::domain::time::{now, to_db};
use serde_json::Value;

/// The demo content as the seeder reads it.
pub fn demo() -> Value {
    serde_json::from_str(include_str!("../../src/seed/demo_content.json")).unwrap()
}

/// Slugs of the demo articles with `status`.
pub fn demo_slugs(status: &str) -> Vec<String> {
    demo()["articles"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["status"] == status)
        .map(|a| a["slug"].as_str().unwrap().to_owned())
        .collect()
}

/// Moves an article's publish time `seconds` into the future (status unchanged).
pub fn publish_in_future(db: &Db, slug: &str, seconds: i64) {
    let slug = slug.to_owned();
    db.run_blocking(move |conn| {
        conn.transaction(|conn| {
            let at = to_db(now() + Duration::seconds(seconds));
            on_backend!(conn, |c| diesel::update(articles::table.filter(articles::slug.eq(&slug)))
                .set(articles::published_at.eq(Some(at)))
                .execute(c))?;
            Ok(())
        })
    })
    .unwrap();
}

/// Brings a scheduled article's time forward to `seconds` ago, as if that
/// time had come: the scheduler, called next, publishes it.
pub fn make_due(db: &Db, id: &str, seconds: i64) -> chrono::DateTime<chrono::Utc> {
    let id = id.to_owned();
    let at = now() - Duration::seconds(seconds);
    db.run_blocking(move |conn| {
        conn.transaction(|conn| {
            on_backend!(conn, |c| diesel::update(articles::table.filter(articles::id.eq(&id)))
                .set(articles::scheduled_at.eq(Some(to_db(at))))
                .execute(c))?;
            Ok(())
        })
    })
    .unwrap();
    at
}

/// Moves an article's breaking-news window to have ended `seconds` ago: the
/// scheduler, called next, clears it.
pub fn end_breaking(db: &Db, id: &str, seconds: i64) {
    let (id, at) = (id.to_owned(), to_db(now() - Duration::seconds(seconds)));
    db.run_blocking(move |conn| {
        conn.transaction(|conn| {
            on_backend!(conn, |c| diesel::update(articles::table.filter(articles::id.eq(&id)))
                .set(articles::breaking_until.eq(Some(at)))
                .execute(c))?;
            Ok(())
        })
    })
    .unwrap();
}

/// Moves an article's expiry to `seconds` ago: the scheduler, called next,
/// archives it if it is live.
pub fn make_expired(db: &Db, id: &str, seconds: i64) {
    let (id, at) = (id.to_owned(), to_db(now() - Duration::seconds(seconds)));
    db.run_blocking(move |conn| {
        conn.transaction(|conn| {
            on_backend!(conn, |c| diesel::update(articles::table.filter(articles::id.eq(&id)))
                .set(articles::expires_at.eq(Some(at)))
                .execute(c))?;
            Ok(())
        })
    })
    .unwrap();
}

/// Sets a comment's status as a moderator or its author would, keeping the
/// stored counters exact. (Writes commit in a transaction, as the service's
/// do, so response caches see them.)
pub fn set_comment_status(db: &Db, comment_id: &str, status: &str) {
    let id = comment_id.to_owned();
    let status = status.to_owned();
    db.run_blocking(move |conn| {
        conn.transaction(|conn| {
            on_backend!(conn, |c| {
                let (article_id, old): (String, String) =
                    comments::table.find(&id).select((comments::article_id, comments::status)).first(c)?;
                let body = if status == "deleted" { None } else { Some("restored".to_owned()) };
                diesel::update(comments::table.find(&id))
                    .set((
                        comments::status.eq(&status),
                        comments::body.eq(body),
                        comments::edited_at.eq(Some(to_db(now()))),
                    ))
                    .execute(c)?;
                let delta = i32::from(status == "visible") - i32::from(old == "visible");
                diesel::update(articles::table.find(&article_id))
                    .set(articles::comment_count.eq(articles::comment_count + delta))
                    .execute(c)?;
                Ok::<_, diesel::result::Error>(())
            })
            .map_err(Into::into)
        })
    })
    .unwrap();
}

/// Moves the expiry of every preview link to an article `seconds` into the past.
pub fn expire_previews(db: &Db, article_id: &str, seconds: i64) {
    let id = article_id.to_owned();
    let at = now() - Duration::seconds(seconds);
    db.run_blocking(move |conn| {
        conn.transaction(|conn| {
            on_backend!(conn, |c| diesel::update(
                article_previews::table.filter(article_previews::article_id.eq(&id))
            )
            .set(article_previews::expires_at.eq(to_db(at)))
            .execute(c))?;
            Ok(())
        })
    })
    .unwrap();
}

/// Moves an article's deletion `days` into the past, as if it had waited
/// in the trash that long.
pub fn age_trash(db: &Db, article_id: &str, days: i64) {
    let id = article_id.to_owned();
    let at = to_db(now() - Duration::days(days));
    db.run_blocking(move |conn| {
        conn.transaction(|conn| {
            on_backend!(conn, |c| diesel::update(
                article_trash::table.filter(article_trash::article_id.eq(&id))
            )
            .set(article_trash::deleted_at.eq(at))
            .execute(c))?;
            Ok(())
        })
    })
    .unwrap();
}

/// Moves the expiry of a user's password-reset links into the past.
pub fn expire_password_resets(db: &Db, user_id: &str) {
    let id = user_id.to_owned();
    let at = to_db(now() - Duration::minutes(1));
    db.run_blocking(move |conn| {
        conn.transaction(|conn| {
            on_backend!(conn, |c| diesel::update(
                password_resets::table.filter(password_resets::user_id.eq(&id))
            )
            .set(password_resets::expires_at.eq(at))
            .execute(c))?;
            Ok(())
        })
    })
    .unwrap();
}
