//! Where an item's files are: their keys in the store and their URL paths.

use super::{Crop, ImageFormat, MediaItem, Variant, master_file_name};

/// Where an item's files live in the store, and under which URL path.
pub fn file_key(sha256: &str, file_name: &str) -> String {
    format!("{sha256}/{file_name}")
}

/// The public URL of one of an item's files.
pub fn file_url(sha256: &str, file_name: &str) -> String {
    format!("/media/{}", file_key(sha256, file_name))
}

/// The URL of an item's stored master.
pub fn master_url(item: &MediaItem) -> String {
    file_url(&item.sha256, &master_file_name(item.format))
}

/// The URL of one rendition of an item.
pub fn rendition_url(item: &MediaItem, variant: Variant) -> String {
    file_url(&item.sha256, &variant.file_name())
}

/// The URL `url(width:, format:, crop:)` answers: the narrowest rendition at
/// least `width` wide, in `format` (WebP unless asked; the item's own
/// format is always available too).
pub fn best_url(
    item: &MediaItem,
    width: Option<u32>,
    format: Option<ImageFormat>,
    crop: Option<Crop>,
) -> String {
    let renditions = item.renditions();
    let format = format.filter(|f| renditions.formats().contains(f)).unwrap_or(ImageFormat::Webp);
    rendition_url(item, renditions.best(width, crop, format).variant)
}
