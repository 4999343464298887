//! The picture that stands for an article outside the site: in feeds, in
//! structured data, on social cards.

use crate::domain::article::Article;
use crate::domain::media::{MediaItem, rendition_url};

/// An image at an address, with what is known of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageImage {
    /// Absolute, or a path on the site (`/media/…`).
    pub url: String,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub content_type: Option<&'static str>,
    pub alt_text: Option<String>,
}

/// How wide a shared picture is, at least where the image allows: Google
/// asks article images to be 1200 pixels wide for large previews.
pub const SHARE_WIDTH: u32 = 1200;

impl PageImage {
    /// A library image's rendition at least [`SHARE_WIDTH`] wide (its widest
    /// if narrower), in its own format: JPEG and PNG open everywhere.
    pub fn of_item(item: &MediaItem) -> Self {
        let rendition = item.renditions().best(Some(SHARE_WIDTH), None, item.format);
        Self {
            url: rendition_url(item, rendition.variant),
            width: Some(rendition.width),
            height: Some(rendition.height),
            content_type: Some(rendition.variant.format.content_type()),
            alt_text: Some(item.alt_text.clone()).filter(|a| !a.is_empty()),
        }
    }

    /// An article's cover, from the library or hosted elsewhere.
    pub fn cover_of(article: &Article) -> Option<Self> {
        if let Some(item) = &article.cover_media {
            return Some(Self::of_item(item));
        }
        article.cover_image.as_ref().map(|cover| Self {
            url: cover.url.clone(),
            width: None,
            height: None,
            content_type: None,
            alt_text: cover.caption.clone(),
        })
    }
}
