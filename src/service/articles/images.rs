//! An article's images: its cover (from the library or hosted elsewhere),
//! the library images its body shows, and which images it uses.

use std::collections::HashMap;

use super::CoverChoice;
use crate::db::DbConn;
use crate::db::repo::articles as article_repo;
use crate::db::repo::media as media_repo;
use crate::domain::article::Article;
use crate::domain::markdown::{self, InlineImage};
use crate::domain::media::{ImageFormat, MediaItem};
use crate::domain::{ArticleId, MediaId};
use crate::error::{AppError, AppResult};
use crate::service::freshness::{Key, article_changed};
use crate::service::media::{best_url, needs_alt_text_to_publish, rendition_url};

/// The cover columns of an article row.
#[derive(Debug, Default)]
pub(super) struct CoverColumns {
    pub url: Option<String>,
    pub caption: Option<String>,
    pub media_id: Option<MediaId>,
    pub media_json: Option<String>,
}

/// The columns a cover choice sets (all empty for no cover).
pub(super) fn cover_columns(conn: &mut DbConn, choice: Option<&CoverChoice>) -> AppResult<CoverColumns> {
    match choice {
        None => Ok(CoverColumns::default()),
        Some(CoverChoice::External(cover)) => Ok(CoverColumns {
            url: Some(cover.url.clone()),
            caption: cover.caption.clone(),
            ..Default::default()
        }),
        Some(CoverChoice::Media(id)) => {
            let row =
                media_repo::by_id(conn, id.value)?.ok_or_else(|| id.refuse("no media item has this id"))?;
            Ok(CoverColumns {
                media_id: Some(row.id),
                media_json: Some(row.to_json()?),
                ..Default::default()
            })
        }
    }
}

/// A body's HTML, with its library images drawn responsive, and the items
/// it shows. A reference to an item that does not exist is refused.
pub(super) fn render_body(conn: &mut DbConn, markdown: &str) -> AppResult<(String, Vec<MediaId>)> {
    let (ids, bad) = markdown::media_references(markdown);
    if !bad.is_empty() {
        return Err(AppError::invalid("body", format!("names no media item: {}", bad.join(", "))));
    }
    if ids.is_empty() {
        return Ok((markdown::render(markdown), ids));
    }
    let rows = media_repo::by_ids(conn, &ids)?;
    let missing: Vec<String> =
        ids.iter().filter(|id| !rows.iter().any(|r| r.id == **id)).map(ToString::to_string).collect();
    if !missing.is_empty() {
        return Err(AppError::invalid(
            "body",
            format!("shows media items that do not exist: {}", missing.join(", ")),
        ));
    }
    let items: HashMap<MediaId, MediaItem> =
        rows.into_iter().map(|r| r.into_item().map(|i| (i.id, i))).collect::<AppResult<_>>()?;
    let html = markdown::render_with_images(markdown, |id| items.get(&id).map(inline_image));
    Ok((html, ids))
}

/// An image in a body: WebP renditions in `srcset`, the item's own format
/// as the fallback `src`, at most 1024 pixels wide.
fn inline_image(item: &MediaItem) -> InlineImage {
    let renditions = item.renditions();
    let srcset: Vec<String> = renditions
        .all()
        .into_iter()
        .filter(|r| r.variant.crop.is_none() && r.variant.format == ImageFormat::Webp)
        .map(|r| format!("{} {}w", rendition_url(item, r.variant), r.width))
        .collect();
    let fallback = renditions.best(Some(1024), None, item.format);
    InlineImage {
        src: best_url(item, Some(1024), Some(item.format), None),
        srcset: srcset.join(", "),
        width: fallback.width,
        height: fallback.height,
        alt: item.alt_text.clone(),
    }
}

/// After a library image changed or went: renders again the bodies of the
/// `articles` that used it (a deleted image is left out) and returns what
/// they show, for the cache: their covers and bodies may both have changed.
pub(crate) fn images_changed(conn: &mut DbConn, articles: &[ArticleId]) -> AppResult<Vec<Key>> {
    let mut changed = Vec::new();
    for &id in articles {
        let article = super::read::find(conn, &id.into())?;
        changed.extend(article_changed(Some(&article), Some(&article)));
        let Some(body) = &article.body else { continue };
        let (ids, _) = markdown::media_references(&body.markdown);
        let rows = media_repo::by_ids(conn, &ids)?;
        let items: HashMap<MediaId, MediaItem> =
            rows.into_iter().map(|r| r.into_item().map(|i| (i.id, i))).collect::<AppResult<_>>()?;
        let html = markdown::render_with_images(&body.markdown, |id| items.get(&id).map(inline_image));
        if html != body.html {
            article_repo::set_body_html(conn, id, &html)?;
        }
    }
    Ok(changed)
}

/// Records the images an article uses: its library cover and those its body shows.
pub(super) fn record_use(
    conn: &mut DbConn,
    article: ArticleId,
    cover: Option<MediaId>,
    inline: &[MediaId],
) -> AppResult<()> {
    let mut used: Vec<MediaId> = cover.into_iter().chain(inline.iter().copied()).collect();
    used.sort_unstable();
    used.dedup();
    media_repo::set_used_by(conn, article, &used)
}

/// Refuses a published or scheduled article whose library cover has no alt text.
pub(super) fn check_cover_alt_text(article: &Article) -> AppResult<()> {
    match &article.cover_media {
        Some(item) if item.alt_text.is_empty() && needs_alt_text_to_publish(article.status) => {
            Err(crate::service::media::missing_alt_text(
                "the cover image needs alt text before the article is published or scheduled",
            ))
        }
        _ => Ok(()),
    }
}

/// The items an article's current body shows.
pub(super) fn inline_of(article: &Article) -> Vec<MediaId> {
    article.body.as_ref().map(|b| markdown::media_references(&b.markdown).0).unwrap_or_default()
}
