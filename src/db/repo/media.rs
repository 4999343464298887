//! The media library's rows, and which articles use each image.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::{article_media, articles, media};
use crate::db::{DbConn, on_backend};
use crate::domain::media::{FocalPoint, ImageFormat, MediaItem};
use crate::domain::time::from_db;
use crate::domain::{ArticleId, ArticleStatus, MediaId, UserId};
use crate::error::{AppError, AppResult};

/// A media item, every column. Also the JSON an article keeps of its cover
/// (`cover_media_json`), so the two never disagree on a field.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, serde::Serialize, serde::Deserialize)]
#[diesel(table_name = media, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct MediaRow {
    pub id: MediaId,
    pub sha256: String,
    #[serde(with = "format_name")]
    pub format: ImageFormat,
    pub width: i32,
    pub height: i32,
    pub bytes: i64,
    pub alt_text: String,
    pub caption: String,
    pub credit: String,
    pub license: String,
    pub focal_x: i32,
    pub focal_y: i32,
    pub uploaded_by: UserId,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

mod format_name {
    use crate::domain::media::ImageFormat;

    pub fn serialize<S: serde::Serializer>(format: &ImageFormat, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(format.as_str())
    }

    pub fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<ImageFormat, D::Error> {
        let raw: String = serde::Deserialize::deserialize(d)?;
        ImageFormat::parse(&raw)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown image format {raw:?}")))
    }
}

impl MediaRow {
    pub fn into_item(self) -> AppResult<MediaItem> {
        let corrupt = |what: &str| {
            AppError::internal(anyhow::anyhow!("media {}: stored {what} is out of range", self.id))
        };
        Ok(MediaItem {
            id: self.id,
            format: self.format,
            width: u32::try_from(self.width).map_err(|_| corrupt("width"))?,
            height: u32::try_from(self.height).map_err(|_| corrupt("height"))?,
            bytes: u64::try_from(self.bytes).map_err(|_| corrupt("size"))?,
            focal: FocalPoint::from_thousandths(self.focal_x, self.focal_y)
                .ok_or_else(|| corrupt("focal point"))?,
            sha256: self.sha256,
            alt_text: self.alt_text,
            caption: self.caption,
            credit: self.credit,
            license: self.license,
            uploaded_by: self.uploaded_by,
            created_at: from_db(self.created_at),
            updated_at: from_db(self.updated_at),
        })
    }

    /// The JSON an article keeps of its cover.
    pub fn to_json(&self) -> AppResult<String> {
        serde_json::to_string(self).map_err(AppError::internal)
    }

    /// An article's cover, from the JSON it keeps.
    pub fn from_json(raw: &str) -> AppResult<MediaItem> {
        let row: Self = serde_json::from_str(raw).map_err(|e| {
            AppError::internal(anyhow::anyhow!("unexpected cover_media_json in the database: {e}"))
        })?;
        row.into_item()
    }
}

/// The editorial fields an edit changes (`None`: kept).
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = media)]
pub struct MediaChanges {
    pub alt_text: Option<String>,
    pub caption: Option<String>,
    pub credit: Option<String>,
    pub license: Option<String>,
    pub focal_x: Option<i32>,
    pub focal_y: Option<i32>,
    pub updated_at: Option<NaiveDateTime>,
}

/// An article using an image, as "in use" answers name it.
#[derive(Debug, Clone, Queryable)]
pub struct MediaUser {
    pub id: ArticleId,
    pub slug: String,
    pub title: String,
    pub status: ArticleStatus,
}

pub fn insert(conn: &mut DbConn, row: &MediaRow) -> AppResult<()> {
    on_backend!(conn, |c| diesel::insert_into(media::table).values(row).execute(c))?;
    Ok(())
}

pub fn by_id(conn: &mut DbConn, id: MediaId) -> AppResult<Option<MediaRow>> {
    Ok(on_backend!(conn, |c| media::table.select(MediaRow::as_select()).find(id).first(c).optional())?)
}

pub fn by_sha256(conn: &mut DbConn, sha256: &str) -> AppResult<Option<MediaRow>> {
    Ok(on_backend!(conn, |c| media::table
        .select(MediaRow::as_select())
        .filter(media::sha256.eq(sha256))
        .first(c)
        .optional())?)
}

pub fn by_ids(conn: &mut DbConn, ids: &[MediaId]) -> AppResult<Vec<MediaRow>> {
    Ok(on_backend!(conn, |c| media::table
        .select(MediaRow::as_select())
        .filter(media::id.eq_any(ids))
        .load(c))?)
}

/// One page of the library, newest first; `search` matches caption, credit
/// or alt text, in any case.
pub fn page(
    conn: &mut DbConn,
    search: Option<&str>,
    after: Option<(NaiveDateTime, MediaId)>,
    probe: i64,
) -> AppResult<Vec<MediaRow>> {
    let pattern = search.map(|s| format!("%{}%", escape_like(&s.to_lowercase())));
    Ok(on_backend!(conn, |c| {
        let mut query = media::table.select(MediaRow::as_select()).into_boxed();
        if let Some(pattern) = &pattern {
            use diesel::dsl::sql;
            use diesel::sql_types::{Bool, Text};
            // lower() on both sides: LIKE is case-sensitive on PostgreSQL
            // and on non-ASCII text in SQLite.
            query = query.filter(
                sql::<Bool>("(lower(media.caption) LIKE ")
                    .bind::<Text, _>(pattern.clone())
                    .sql(" ESCAPE '\\' OR lower(media.credit) LIKE ")
                    .bind::<Text, _>(pattern.clone())
                    .sql(" ESCAPE '\\' OR lower(media.alt_text) LIKE ")
                    .bind::<Text, _>(pattern.clone())
                    .sql(" ESCAPE '\\')"),
            );
        }
        if let Some((at, id)) = after {
            query = query
                .filter(media::created_at.le(at))
                .filter(media::created_at.lt(at).or(media::created_at.eq(at).and(media::id.lt(id))));
        }
        query.order((media::created_at.desc(), media::id.desc())).limit(probe).load(c)
    })?)
}

/// `%`, `_` and the escape itself match themselves in a LIKE pattern.
fn escape_like(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for ch in raw.chars() {
        if matches!(ch, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}

pub fn update(conn: &mut DbConn, id: MediaId, changes: &MediaChanges) -> AppResult<()> {
    on_backend!(conn, |c| diesel::update(media::table.find(id)).set(changes).execute(c))?;
    Ok(())
}

/// Deletes an item, first taking it off every article that used it.
pub fn delete(conn: &mut DbConn, id: MediaId) -> AppResult<()> {
    on_backend!(conn, |c| {
        diesel::update(articles::table.filter(articles::cover_media_id.eq(id)))
            .set((
                articles::cover_media_id.eq(None::<MediaId>),
                articles::cover_media_json.eq(None::<String>),
            ))
            .execute(c)?;
        diesel::delete(article_media::table.filter(article_media::media_id.eq(id))).execute(c)?;
        diesel::delete(media::table.find(id)).execute(c)
    })?;
    Ok(())
}

/// The articles using an image, as cover or in the body, by title.
pub fn users_of(conn: &mut DbConn, id: MediaId) -> AppResult<Vec<MediaUser>> {
    Ok(on_backend!(conn, |c| article_media::table
        .inner_join(articles::table)
        .filter(article_media::media_id.eq(id))
        .select((articles::id, articles::slug, articles::title, articles::status))
        .order((articles::title.asc(), articles::id.asc()))
        .load(c))?)
}

/// The articles whose cover an image is.
pub fn covered_by(conn: &mut DbConn, id: MediaId) -> AppResult<Vec<(ArticleId, ArticleStatus)>> {
    Ok(on_backend!(conn, |c| articles::table
        .filter(articles::cover_media_id.eq(id))
        .select((articles::id, articles::status))
        .load(c))?)
}

/// Rewrites the cover JSON of every article whose cover `row` is.
pub fn refresh_covers(conn: &mut DbConn, row: &MediaRow) -> AppResult<()> {
    let json = row.to_json()?;
    on_backend!(conn, |c| diesel::update(articles::table.filter(articles::cover_media_id.eq(row.id)))
        .set(articles::cover_media_json.eq(Some(&json)))
        .execute(c))?;
    Ok(())
}

/// Records which images an article uses, replacing what it used before.
pub fn set_used_by(conn: &mut DbConn, article: ArticleId, used: &[MediaId]) -> AppResult<()> {
    let rows: Vec<_> = used
        .iter()
        .map(|m| (article_media::article_id.eq(article), article_media::media_id.eq(*m)))
        .collect();
    on_backend!(conn, |c| {
        diesel::delete(article_media::table.filter(article_media::article_id.eq(article))).execute(c)?;
        diesel::insert_into(article_media::table).values(&rows).execute(c)
    })?;
    Ok(())
}
