//! Images in GraphQL: a library item (`MediaItem`), an image as an article
//! shows it (`Image`, with `url(width:, format:, crop:)`), renditions, and
//! the editorial fields an upload or edit gives.

use async_graphql::{Enum, ID, InputObject, MaybeUndefined, Object, SimpleObject};

use super::time::Timestamp;
use crate::domain::article::Article;
use crate::domain::field::{AllValid, FieldError, Invalid};
use crate::domain::media::{self, FocalPoint, MediaItem};
use crate::domain::text::{AltText, Caption, Credit, License};
use crate::service::media::{MediaFields, best_url, master_url, rendition_url};

/// An image format.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum ImageFormat {
    Jpeg,
    Png,
    Webp,
    Gif,
}

impl From<media::ImageFormat> for ImageFormat {
    fn from(format: media::ImageFormat) -> Self {
        match format {
            media::ImageFormat::Jpeg => Self::Jpeg,
            media::ImageFormat::Png => Self::Png,
            media::ImageFormat::Webp => Self::Webp,
            media::ImageFormat::Gif => Self::Gif,
        }
    }
}

impl From<ImageFormat> for media::ImageFormat {
    fn from(format: ImageFormat) -> Self {
        match format {
            ImageFormat::Jpeg => Self::Jpeg,
            ImageFormat::Png => Self::Png,
            ImageFormat::Webp => Self::Webp,
            ImageFormat::Gif => Self::Gif,
        }
    }
}

/// A fixed frame, cut around the image's focal point.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum Crop {
    /// 16:9.
    Wide,
    /// 4:3.
    Standard,
    /// 1:1.
    Square,
}

impl From<media::Crop> for Crop {
    fn from(crop: media::Crop) -> Self {
        match crop {
            media::Crop::Wide => Self::Wide,
            media::Crop::Standard => Self::Standard,
            media::Crop::Square => Self::Square,
        }
    }
}

impl From<Crop> for media::Crop {
    fn from(crop: Crop) -> Self {
        match crop {
            Crop::Wide => Self::Wide,
            Crop::Standard => Self::Standard,
            Crop::Square => Self::Square,
        }
    }
}

/// One rendition of an image: `url` is `width` pixels wide.
#[derive(SimpleObject)]
pub struct Rendition {
    pub url: String,
    pub width: i32,
    pub height: i32,
    pub format: ImageFormat,
    /// Null for the whole image.
    pub crop: Option<Crop>,
}

/// Where crops are centred, as fractions of the width and height from the top left.
#[derive(SimpleObject)]
pub struct FocalPointObject {
    pub x: f64,
    pub y: f64,
}

fn int(value: u32) -> i32 {
    i32::try_from(value).unwrap_or(i32::MAX)
}

fn renditions(item: &MediaItem) -> Vec<Rendition> {
    item.renditions()
        .all()
        .into_iter()
        .map(|r| Rendition {
            url: rendition_url(item, r.variant),
            width: int(r.width),
            height: int(r.height),
            format: r.variant.format.into(),
            crop: r.variant.crop.map(Crop::from),
        })
        .collect()
}

/// An image as an article shows it: from the media library (with its size
/// and renditions) or hosted elsewhere (only `url` and `caption`).
pub enum ImageObject {
    Library(MediaItem),
    External { url: String, caption: Option<String> },
}

impl ImageObject {
    /// An article's cover, if it has one.
    pub fn cover_of(article: &Article) -> Option<Self> {
        if let Some(item) = &article.cover_media {
            return Some(Self::Library((**item).clone()));
        }
        article
            .cover_image
            .as_ref()
            .map(|c| Self::External { url: c.url.clone(), caption: c.caption.clone() })
    }

    fn item(&self) -> Option<&MediaItem> {
        match self {
            Self::Library(item) => Some(item),
            Self::External { .. } => None,
        }
    }
}

#[Object(name = "Image")]
impl ImageObject {
    /// The library item; null for an image hosted elsewhere.
    async fn media_id(&self) -> Option<ID> {
        self.item().map(|item| ID(item.id.to_string()))
    }
    /// Without arguments, the stored master (as REST's `url`). With any,
    /// the narrowest rendition at least `width` wide (the widest there is
    /// without `width`), in `format` (WebP by default; the image's own
    /// format is always there), cut to `crop`. An image hosted elsewhere
    /// has one URL whatever is asked.
    async fn url(&self, width: Option<i32>, format: Option<ImageFormat>, crop: Option<Crop>) -> String {
        match self {
            Self::Library(item) if width.is_none() && format.is_none() && crop.is_none() => master_url(item),
            Self::Library(item) => {
                let width = width.and_then(|w| u32::try_from(w).ok());
                best_url(item, width, format.map(Into::into), crop.map(Into::into))
            }
            Self::External { url, .. } => url.clone(),
        }
    }
    async fn width(&self) -> Option<i32> {
        self.item().map(|item| int(item.width))
    }
    async fn height(&self) -> Option<i32> {
        self.item().map(|item| int(item.height))
    }
    async fn alt_text(&self) -> Option<&str> {
        self.item().map(|item| item.alt_text.as_str())
    }
    async fn caption(&self) -> Option<&str> {
        match self {
            Self::Library(item) => Some(item.caption.as_str()),
            Self::External { caption, .. } => caption.as_deref(),
        }
    }
    async fn credit(&self) -> Option<&str> {
        self.item().map(|item| item.credit.as_str())
    }
    /// Every rendition, for `srcset`; empty for an image hosted elsewhere.
    async fn renditions(&self) -> Vec<Rendition> {
        self.item().map(renditions).unwrap_or_default()
    }
}

/// An item of the media library.
pub struct MediaObject(pub MediaItem);

#[Object(name = "MediaItem")]
impl MediaObject {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// The stored master: EXIF orientation applied, every metadata block removed.
    async fn url(&self) -> String {
        master_url(&self.0)
    }
    async fn width(&self) -> i32 {
        int(self.0.width)
    }
    async fn height(&self) -> i32 {
        int(self.0.height)
    }
    async fn format(&self) -> ImageFormat {
        self.0.format.into()
    }
    /// The stored master's size.
    async fn bytes(&self) -> i32 {
        i32::try_from(self.0.bytes).unwrap_or(i32::MAX)
    }
    /// SHA-256 of the uploaded file: uploading it again finds this item.
    async fn sha256(&self) -> &str {
        &self.0.sha256
    }
    async fn alt_text(&self) -> &str {
        &self.0.alt_text
    }
    async fn caption(&self) -> &str {
        &self.0.caption
    }
    async fn credit(&self) -> &str {
        &self.0.credit
    }
    async fn license(&self) -> &str {
        &self.0.license
    }
    async fn focal_point(&self) -> FocalPointObject {
        FocalPointObject { x: self.0.focal.x(), y: self.0.focal.y() }
    }
    async fn created_at(&self) -> Timestamp {
        self.0.created_at.into()
    }
    /// The uploader's user id.
    async fn uploaded_by(&self) -> ID {
        ID(self.0.uploaded_by.to_string())
    }
    /// The item as an article would show it, with `url(width:, format:, crop:)`.
    async fn image(&self) -> ImageObject {
        ImageObject::Library(self.0.clone())
    }
    async fn renditions(&self) -> Vec<Rendition> {
        renditions(&self.0)
    }
}

/// An article using an image.
#[derive(SimpleObject)]
pub struct MediaUse {
    pub id: ID,
    pub slug: String,
    pub title: String,
    pub status: crate::domain::ArticleStatus,
}

/// The articles using an image.
#[derive(SimpleObject)]
pub struct MediaUsage {
    /// Those the caller may read, by title.
    pub articles: Vec<MediaUse>,
    /// How many others (another author's unpublished work) use it too.
    pub others: i32,
}

/// An image's editorial fields. On an edit, fields left out stay as they
/// are and `null` clears a text.
#[derive(InputObject, Default)]
pub struct MediaInput {
    /// Read out in the image's place; required before an article with it as cover is published.
    pub alt_text: MaybeUndefined<String>,
    pub caption: MaybeUndefined<String>,
    /// Photographer or agency.
    pub credit: MaybeUndefined<String>,
    pub license: MaybeUndefined<String>,
    /// Where crops are centred: 0 (left) to 1 (right); with `focalY`.
    pub focal_x: Option<f64>,
    /// 0 (top) to 1 (bottom); with `focalX`.
    pub focal_y: Option<f64>,
}

impl TryFrom<MediaInput> for MediaFields {
    type Error = Invalid;

    fn try_from(i: MediaInput) -> Result<Self, Invalid> {
        fn text<T>(
            raw: MaybeUndefined<String>,
            parse: impl FnOnce(&str) -> Result<T, FieldError>,
        ) -> Result<Option<T>, FieldError> {
            let raw: Option<Option<String>> = raw.into();
            raw.map(|v| parse(v.as_deref().unwrap_or(""))).transpose()
        }
        let (alt_text, caption, credit, license) = (
            text(i.alt_text, |v| AltText::parse(v, "altText")),
            text(i.caption, |v| Caption::parse(v, "caption")),
            text(i.credit, |v| Credit::parse(v, "credit")),
            text(i.license, |v| License::parse(v, "license")),
        )
            .all_valid()?;
        let focal = FocalPoint::parse_pair(i.focal_x, i.focal_y, "focalX", "focalY")?;
        Ok(Self { alt_text, caption, credit, license, focal })
    }
}
