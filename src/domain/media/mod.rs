//! The media library's rules: which image formats exist and how they are
//! recognised (by their bytes, never by a name or a declared type), the
//! focal point crops are centred on, and (in `renditions`) which
//! renditions an image has.

mod renditions;
mod urls;

pub use renditions::*;
pub use urls::*;

use chrono::{DateTime, Utc};

use super::field::FieldError;
use super::ids::{MediaId, UserId};

/// A stored image's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ImageFormat {
    Jpeg,
    Png,
    Webp,
    Gif,
}

impl ImageFormat {
    pub const ALL: [ImageFormat; 4] = [Self::Jpeg, Self::Png, Self::Webp, Self::Gif];

    /// Its name in both APIs and in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Jpeg => "jpeg",
            Self::Png => "png",
            Self::Webp => "webp",
            Self::Gif => "gif",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == raw)
    }

    /// The extension of its files' names.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Jpeg => "jpg",
            Self::Png => "png",
            Self::Webp => "webp",
            Self::Gif => "gif",
        }
    }

    pub fn from_extension(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.extension() == raw)
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
            Self::Webp => "image/webp",
            Self::Gif => "image/gif",
        }
    }

    /// The format the bytes are in, by their signature; `None` for
    /// anything else (SVG, HEIC, PDF, text…).
    pub fn sniff(bytes: &[u8]) -> Option<Self> {
        if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(Self::Jpeg)
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(Self::Png)
        } else if bytes.len() >= 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP" {
            Some(Self::Webp)
        } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
            Some(Self::Gif)
        } else {
            None
        }
    }
}

/// The point of an image that crops keep in view, as fractions of its
/// width and height from the top left (0.5, 0.5 is the centre), kept in
/// thousandths: finer than any crop needs, and exact in names and URLs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FocalPoint {
    x: u16,
    y: u16,
}

impl FocalPoint {
    pub const CENTRE: FocalPoint = FocalPoint { x: 500, y: 500 };

    /// Both coordinates within 0–1 (rounded to thousandths); refusals name
    /// `x_field` and `y_field`.
    pub fn parse(x: f64, y: f64, x_field: &str, y_field: &str) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        for (value, field) in [(x, x_field), (y, y_field)] {
            if !(0.0..=1.0).contains(&value) {
                errors.push(FieldError::new(field, "must be a number from 0 to 1"));
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        // Within 0..=1000 by the check above.
        let thousandths = |v: f64| (v * 1000.0).round() as u16;
        Ok(Self { x: thousandths(x), y: thousandths(y) })
    }

    /// A focal point given as two optional coordinates: both or neither.
    pub fn parse_pair(
        x: Option<f64>,
        y: Option<f64>,
        x_field: &str,
        y_field: &str,
    ) -> Result<Option<Self>, super::field::Invalid> {
        match (x, y) {
            (None, None) => Ok(None),
            (Some(x), Some(y)) => {
                Self::parse(x, y, x_field, y_field).map(Some).map_err(super::field::Invalid)
            }
            (Some(_), None) => Err(FieldError::new(y_field, "is required with the other coordinate").into()),
            (None, Some(_)) => Err(FieldError::new(x_field, "is required with the other coordinate").into()),
        }
    }

    /// As stored; `None` outside 0–1000.
    pub fn from_thousandths(x: i32, y: i32) -> Option<Self> {
        let part = |v: i32| u16::try_from(v).ok().filter(|v| *v <= 1000);
        Some(Self { x: part(x)?, y: part(y)? })
    }

    pub fn x(self) -> f64 {
        f64::from(self.x) / 1000.0
    }

    pub fn y(self) -> f64 {
        f64::from(self.y) / 1000.0
    }

    pub fn thousandths(self) -> (i32, i32) {
        (i32::from(self.x), i32::from(self.y))
    }
}

/// A fixed aspect ratio renditions may be cropped to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Crop {
    /// 16:9, for video-like leads and social cards.
    Wide,
    /// 4:3.
    Standard,
    /// 1:1, for thumbnails and avatars.
    Square,
}

impl Crop {
    pub const ALL: [Crop; 3] = [Self::Wide, Self::Standard, Self::Square];

    /// Its name in both APIs' JSON (`16:9`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Wide => "16:9",
            Self::Standard => "4:3",
            Self::Square => "1:1",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == raw)
    }

    /// Its token in rendition file names (`16x9`): `:` is awkward in URLs.
    pub(super) fn token(self) -> &'static str {
        match self {
            Self::Wide => "16x9",
            Self::Standard => "4x3",
            Self::Square => "1x1",
        }
    }

    /// Width and height of the ratio.
    pub fn ratio(self) -> (u32, u32) {
        match self {
            Self::Wide => (16, 9),
            Self::Standard => (4, 3),
            Self::Square => (1, 1),
        }
    }
}

/// An item of the media library: one stored image and what the newsroom
/// says about it.
#[derive(Debug, Clone, PartialEq)]
pub struct MediaItem {
    pub id: MediaId,
    /// SHA-256 of the uploaded file, in hex: names the item's files.
    pub sha256: String,
    pub format: ImageFormat,
    pub width: u32,
    pub height: u32,
    /// The stored master's size.
    pub bytes: u64,
    pub alt_text: String,
    pub caption: String,
    pub credit: String,
    pub license: String,
    pub focal: FocalPoint,
    pub uploaded_by: UserId,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl MediaItem {
    pub fn renditions(&self) -> Renditions {
        Renditions { width: self.width, height: self.height, format: self.format, focal: self.focal }
    }
}

/// Media references in Markdown: `![alt](media:<id>)`.
pub const MARKDOWN_SCHEME: &str = "media:";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_recognised_by_their_bytes() {
        assert_eq!(ImageFormat::sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some(ImageFormat::Jpeg));
        assert_eq!(ImageFormat::sniff(b"\x89PNG\r\n\x1a\n...."), Some(ImageFormat::Png));
        assert_eq!(ImageFormat::sniff(b"RIFF\0\0\0\0WEBPVP8 "), Some(ImageFormat::Webp));
        assert_eq!(ImageFormat::sniff(b"GIF89a.."), Some(ImageFormat::Gif));
        assert_eq!(ImageFormat::sniff(b"<svg xmlns=\"http://www.w3.org/2000/svg\">"), None);
        assert_eq!(ImageFormat::sniff(b"RIFF\0\0\0\0WAVE"), None);
        assert_eq!(ImageFormat::sniff(b""), None);
    }

    #[test]
    fn focal_points_stay_within_the_image() {
        assert!(FocalPoint::parse(0.0, 1.0, "x", "y").is_ok());
        let errors = FocalPoint::parse(1.5, -0.1, "focal_x", "focal_y").unwrap_err();
        assert_eq!(errors.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(), ["focal_x", "focal_y"]);
        assert!(FocalPoint::parse(f64::NAN, 0.5, "x", "y").is_err());
    }
}
