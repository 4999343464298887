//! The JSON shapes of images: a library item, its renditions (a list ready
//! for `srcset`), and an article's cover.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::domain::article::Article;
use crate::domain::media::{Crop, ImageFormat, MediaItem};
use crate::service::media::{master_url, rendition_url};

/// One rendition of an image: pick by `width` for `srcset` (`url 640w`),
/// by `crop` for a fixed frame.
#[derive(Debug, Serialize, ToSchema)]
pub struct Rendition {
    #[schema(example = "/media/9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08/640.webp")]
    pub url: String,
    #[schema(example = 640)]
    pub width: u32,
    #[schema(example = 427)]
    pub height: u32,
    #[schema(value_type = String, example = "webp")]
    pub format: &'static str,
    /// `null` for the whole image, or `16:9`, `4:3`, `1:1` around the focal point.
    #[schema(value_type = Option<String>, example = "16:9")]
    pub crop: Option<&'static str>,
}

/// Where crops are centred, as fractions of the width and height from the top left.
#[derive(Debug, Serialize, ToSchema)]
pub struct FocalPoint {
    #[schema(example = 0.5, minimum = 0, maximum = 1)]
    pub x: f64,
    #[schema(example = 0.4, minimum = 0, maximum = 1)]
    pub y: f64,
}

/// An item of the media library.
#[derive(Debug, Serialize, ToSchema)]
pub struct Media {
    pub id: Uuid,
    /// The stored master: EXIF orientation applied, every metadata block removed.
    pub url: String,
    #[schema(example = 4000)]
    pub width: u32,
    #[schema(example = 2667)]
    pub height: u32,
    pub format: MediaFormat,
    /// The stored master's size.
    #[schema(example = 1_843_200)]
    pub bytes: u64,
    /// SHA-256 of the uploaded file: uploading the same file again finds this item.
    pub sha256: String,
    #[schema(example = "Delegates arrive for the summit in Brussels")]
    pub alt_text: String,
    pub caption: String,
    #[schema(example = "A. Moreau / Newsdesk")]
    pub credit: String,
    #[schema(example = "All rights reserved")]
    pub license: String,
    pub focal_point: FocalPoint,
    pub created_at: DateTime<Utc>,
    /// The uploader's user id.
    pub uploaded_by: Uuid,
    /// Every rendition, narrowest first: uncropped, then each crop; WebP and the item's own format.
    pub renditions: Vec<Rendition>,
}

/// An image format.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum MediaFormat {
    Jpeg,
    Png,
    Webp,
    Gif,
}

impl From<ImageFormat> for MediaFormat {
    fn from(format: ImageFormat) -> Self {
        match format {
            ImageFormat::Jpeg => Self::Jpeg,
            ImageFormat::Png => Self::Png,
            ImageFormat::Webp => Self::Webp,
            ImageFormat::Gif => Self::Gif,
        }
    }
}

/// A page of the library, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct MediaList {
    pub data: Vec<Media>,
    /// Pass as `cursor` for the next page; `null` on the last.
    pub next_cursor: Option<String>,
}

/// An article using an image.
#[derive(Debug, Serialize, ToSchema)]
pub struct MediaUse {
    pub id: Uuid,
    pub slug: String,
    pub title: String,
    pub status: crate::domain::ArticleStatus,
}

/// The articles using an image.
#[derive(Debug, Serialize, ToSchema)]
pub struct MediaUsage {
    /// Those the caller may read, by title.
    pub data: Vec<MediaUse>,
    /// How many others (another author's unpublished work) use it too.
    pub others: usize,
}

pub fn renditions(item: &MediaItem) -> Vec<Rendition> {
    item.renditions()
        .all()
        .into_iter()
        .map(|r| Rendition {
            url: rendition_url(item, r.variant),
            width: r.width,
            height: r.height,
            format: r.variant.format.as_str(),
            crop: r.variant.crop.map(Crop::as_str),
        })
        .collect()
}

impl From<MediaItem> for Media {
    fn from(item: MediaItem) -> Self {
        Self {
            id: item.id.uuid(),
            url: master_url(&item),
            renditions: renditions(&item),
            width: item.width,
            height: item.height,
            format: item.format.into(),
            bytes: item.bytes,
            focal_point: FocalPoint { x: item.focal.x(), y: item.focal.y() },
            created_at: item.created_at,
            uploaded_by: item.uploaded_by.uuid(),
            sha256: item.sha256,
            alt_text: item.alt_text,
            caption: item.caption,
            credit: item.credit,
            license: item.license,
        }
    }
}

/// An article's cover: a library image (`media_id`, with its size and
/// renditions) or one hosted elsewhere (only `url` and `caption`).
#[derive(Debug, Serialize, ToSchema)]
pub struct CoverImage {
    /// The library item; `null` for an image hosted elsewhere.
    pub media_id: Option<Uuid>,
    /// The library item's stored master, or the external image's URL.
    #[schema(example = "https://images.example.org/newsdesk/summit.jpg")]
    pub url: String,
    pub alt_text: Option<String>,
    #[schema(example = "Delegates arrive for the summit. Photo: A. Moreau")]
    pub caption: Option<String>,
    pub credit: Option<String>,
    pub width: Option<u32>,
    pub height: Option<u32>,
    /// Empty for an image hosted elsewhere.
    pub renditions: Vec<Rendition>,
}

/// What `cover_image` shows of an article.
pub fn cover_image(article: &Article) -> Option<CoverImage> {
    if let Some(item) = &article.cover_media {
        let text = |s: &str| Some(s.to_owned());
        return Some(CoverImage {
            media_id: Some(item.id.uuid()),
            url: master_url(item),
            alt_text: text(&item.alt_text),
            caption: text(&item.caption),
            credit: text(&item.credit),
            width: Some(item.width),
            height: Some(item.height),
            renditions: renditions(item),
        });
    }
    article.cover_image.as_ref().map(|c| CoverImage {
        media_id: None,
        url: c.url.clone(),
        alt_text: None,
        caption: c.caption.clone(),
        credit: None,
        width: None,
        height: None,
        renditions: Vec::new(),
    })
}
