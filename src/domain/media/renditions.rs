//! Which renditions an image has: their widths, crops, file names and
//! exact pixel sizes.

use super::{Crop, FocalPoint, ImageFormat};

/// The widths renditions are made in; never wider than the image (or its
/// crop) itself.
pub const RENDITION_WIDTHS: [u32; 5] = [320, 640, 1024, 1600, 2048];

/// The longest side a WebP image may have.
pub const WEBP_MAX_SIDE: u32 = 16_383;

/// A pixel rectangle of an image.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rect {
    pub x: u32,
    pub y: u32,
    pub width: u32,
    pub height: u32,
}

/// The largest rectangle of `crop`'s ratio within a `width` × `height`
/// image, centred on the focal point as far as the edges allow; the whole
/// image without a crop.
pub fn crop_rect(width: u32, height: u32, crop: Option<Crop>, focal: FocalPoint) -> Rect {
    let Some(crop) = crop else {
        return Rect { x: 0, y: 0, width, height };
    };
    let (rw, rh) = crop.ratio();
    let (w, h) = (u64::from(width), u64::from(height));
    // Compared in integers: w / h > rw / rh.
    let (cw, ch) = if w * u64::from(rh) > h * u64::from(rw) {
        ((h * u64::from(rw) / u64::from(rh)).max(1), h)
    } else {
        (w, (w * u64::from(rh) / u64::from(rw)).max(1))
    };
    let place = |size: u64, cut: u64, focus: f64| -> u64 {
        let centre = (focus * size as f64).round() as i64;
        let start = centre - (cut / 2) as i64;
        start.clamp(0, (size - cut) as i64) as u64
    };
    // Within u32: cw ≤ w and ch ≤ h.
    Rect {
        x: place(w, cw, focal.x()) as u32,
        y: place(h, ch, focal.y()) as u32,
        width: cw as u32,
        height: ch as u32,
    }
}

/// One rendition of an image: a width, an optional crop, a format. A crop
/// names the focal point it is centred on, so that moving the point gives
/// new URLs rather than changing what an immutable one shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Variant {
    pub width: u32,
    pub crop: Option<Crop>,
    pub format: ImageFormat,
    /// [`FocalPoint::CENTRE`] when uncropped.
    pub focal: FocalPoint,
}

impl Variant {
    pub fn new(width: u32, crop: Option<Crop>, format: ImageFormat, focal: FocalPoint) -> Self {
        let focal = if crop.is_some() { focal } else { FocalPoint::CENTRE };
        Self { width, crop, format, focal }
    }

    /// Its file name: `640.webp`, `1024-16x9-f500-300.jpg`.
    pub fn file_name(self) -> String {
        match self.crop {
            None => format!("{}.{}", self.width, self.format.extension()),
            Some(crop) => {
                let (x, y) = self.focal.thousandths();
                format!("{}-{}-f{x}-{y}.{}", self.width, crop.token(), self.format.extension())
            }
        }
    }

    /// The variant a file name names, if it is well formed (whether the
    /// image has it is [`Renditions::has`]).
    pub fn from_file_name(name: &str) -> Option<Self> {
        let (stem, extension) = name.rsplit_once('.')?;
        let format = ImageFormat::from_extension(extension)?;
        let mut parts = stem.split('-');
        let width = number(parts.next()?)?;
        let variant = match parts.next() {
            None => Self::new(width, None, format, FocalPoint::CENTRE),
            Some(token) => {
                let crop = Crop::ALL.into_iter().find(|c| c.token() == token)?;
                let x = number(parts.next()?.strip_prefix('f')?)?;
                let y = number(parts.next()?)?;
                let focal = FocalPoint::from_thousandths(i32::try_from(x).ok()?, i32::try_from(y).ok()?)?;
                Self::new(width, Some(crop), format, focal)
            }
        };
        parts.next().is_none().then_some(variant)
    }
}

/// Digits only, without sign or leading zero: each variant has one name.
fn number(raw: &str) -> Option<u32> {
    let canonical = raw == "0" || !raw.starts_with('0');
    (canonical && !raw.is_empty() && raw.bytes().all(|b| b.is_ascii_digit()))
        .then(|| raw.parse().ok())
        .flatten()
}

/// The file name of a stored image's master: `original.jpg`.
pub fn master_file_name(format: ImageFormat) -> String {
    format!("original.{}", format.extension())
}

/// The renditions an image has, from its size, format and focal point.
#[derive(Debug, Clone, Copy)]
pub struct Renditions {
    pub width: u32,
    pub height: u32,
    pub format: ImageFormat,
    pub focal: FocalPoint,
}

/// One rendition with its exact size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rendition {
    pub variant: Variant,
    pub width: u32,
    pub height: u32,
}

impl Renditions {
    /// The formats renditions are made in: WebP, and the image's own
    /// (for clients without WebP).
    pub fn formats(&self) -> Vec<ImageFormat> {
        if self.format == ImageFormat::Webp {
            vec![ImageFormat::Webp]
        } else {
            vec![ImageFormat::Webp, self.format]
        }
    }

    /// The widths made of `crop`: each fixed width the (cropped) image
    /// reaches, or its own width when it is narrower than all of them.
    pub fn widths(&self, crop: Option<Crop>) -> Vec<u32> {
        let area = crop_rect(self.width, self.height, crop, self.focal);
        let widths: Vec<u32> = RENDITION_WIDTHS.into_iter().filter(|w| *w <= area.width).collect();
        if widths.is_empty() { vec![area.width] } else { widths }
    }

    /// Every rendition: uncropped first, then each crop; narrowest first.
    pub fn all(&self) -> Vec<Rendition> {
        let mut all = Vec::new();
        for crop in std::iter::once(None).chain(Crop::ALL.map(Some)) {
            for format in self.formats() {
                for width in self.widths(crop) {
                    if self.fits(format, width, crop) {
                        let variant = Variant::new(width, crop, format, self.focal);
                        all.push(Rendition { variant, width, height: self.height_at(width, crop) });
                    }
                }
            }
        }
        all
    }

    /// Whether the image has this rendition (others are not made: a
    /// request cannot ask for arbitrary sizes).
    pub fn has(&self, variant: Variant) -> bool {
        self.formats().contains(&variant.format)
            && self.widths(variant.crop).contains(&variant.width)
            && (variant.crop.is_none() || variant.focal == self.focal)
            && self.fits(variant.format, variant.width, variant.crop)
    }

    /// Whether `format` can hold the rendition: WebP sides stop at 16,383
    /// pixels, which a narrow, very tall image's renditions pass.
    fn fits(&self, format: ImageFormat, width: u32, crop: Option<Crop>) -> bool {
        format != ImageFormat::Webp || self.height_at(width, crop) <= WEBP_MAX_SIDE
    }

    /// The rendition of `crop` and `format` closest to `width` from above
    /// (the widest if none is that wide): what `url(width:)` answers.
    pub fn best(&self, width: Option<u32>, crop: Option<Crop>, format: ImageFormat) -> Rendition {
        let widths = self.widths(crop);
        let widest = widths.last().copied().unwrap_or(self.width);
        let chosen = width.and_then(|w| widths.iter().copied().find(|c| *c >= w)).unwrap_or(widest);
        let format = if self.fits(format, chosen, crop) { format } else { self.format };
        Rendition {
            variant: Variant::new(chosen, crop, format, self.focal),
            width: chosen,
            height: self.height_at(chosen, crop),
        }
    }

    /// The height of the rendition `width` wide: the image's (or its
    /// crop's) proportions, rounded, at least one pixel.
    pub fn height_at(&self, width: u32, crop: Option<Crop>) -> u32 {
        let area = crop_rect(self.width, self.height, crop, self.focal);
        let height =
            (u64::from(width) * u64::from(area.height) + u64::from(area.width) / 2) / u64::from(area.width);
        u32::try_from(height).unwrap_or(u32::MAX).max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crops_are_the_largest_of_their_ratio_around_the_focal_point() {
        let landscape = crop_rect(4000, 3000, Some(Crop::Square), FocalPoint::CENTRE);
        assert_eq!(landscape, Rect { x: 500, y: 0, width: 3000, height: 3000 });
        let left = FocalPoint::parse(0.0, 0.5, "x", "y").unwrap();
        assert_eq!(crop_rect(4000, 3000, Some(Crop::Square), left).x, 0);
        let right = FocalPoint::parse(1.0, 0.5, "x", "y").unwrap();
        assert_eq!(crop_rect(4000, 3000, Some(Crop::Square), right).x, 1000);
        assert_eq!(
            crop_rect(4000, 3000, Some(Crop::Wide), FocalPoint::CENTRE),
            Rect { x: 0, y: 375, width: 4000, height: 2250 }
        );
        assert_eq!(crop_rect(4000, 3000, None, left), Rect { x: 0, y: 0, width: 4000, height: 3000 });
        assert_eq!(crop_rect(1, 1, Some(Crop::Wide), FocalPoint::CENTRE).height, 1);
    }

    #[test]
    fn renditions_are_never_upscaled() {
        let photo =
            Renditions { width: 1200, height: 800, format: ImageFormat::Jpeg, focal: FocalPoint::CENTRE };
        assert_eq!(photo.widths(None), [320, 640, 1024]);
        assert_eq!(photo.height_at(640, None), 427);
        assert_eq!(photo.height_at(640, Some(Crop::Wide)), 360);
        let icon =
            Renditions { width: 200, height: 100, format: ImageFormat::Png, focal: FocalPoint::CENTRE };
        assert_eq!(icon.widths(None), [200]);
        assert_eq!(icon.widths(Some(Crop::Square)), [100]);
        let centre = FocalPoint::CENTRE;
        assert!(icon.has(Variant::new(100, Some(Crop::Square), ImageFormat::Webp, centre)));
        assert!(!icon.has(Variant::new(320, None, ImageFormat::Png, centre)));
        assert!(!icon.has(Variant::new(200, None, ImageFormat::Jpeg, centre)));
        let elsewhere = FocalPoint::parse(0.2, 0.5, "x", "y").unwrap();
        assert!(!icon.has(Variant::new(100, Some(Crop::Square), ImageFormat::Webp, elsewhere)));
        assert!(icon.has(Variant::new(200, None, ImageFormat::Webp, elsewhere)));
        // 3 widths uncropped, 16:9 (1200 wide) and 4:3 (1066), 2 at 1:1
        // (800), in 2 formats.
        assert_eq!(photo.all().len(), 2 * (3 + 3 + 3 + 2));
    }

    #[test]
    fn renditions_too_tall_for_webp_are_in_the_images_own_format() {
        let strip =
            Renditions { width: 400, height: 30_000, format: ImageFormat::Png, focal: FocalPoint::CENTRE };
        let whole: Vec<_> = strip.all().into_iter().filter(|r| r.variant.crop.is_none()).collect();
        assert_eq!(whole.len(), 1, "320 wide is 24,000 tall: PNG only");
        assert_eq!(whole[0].variant.format, ImageFormat::Png);
        assert!(!strip.has(Variant::new(320, None, ImageFormat::Webp, FocalPoint::CENTRE)));
        assert_eq!(strip.best(Some(320), None, ImageFormat::Webp).variant.format, ImageFormat::Png);
        assert!(strip.has(Variant::new(320, Some(Crop::Square), ImageFormat::Webp, FocalPoint::CENTRE)));
    }

    #[test]
    fn the_best_rendition_is_the_narrowest_at_least_as_wide() {
        let photo =
            Renditions { width: 3000, height: 2000, format: ImageFormat::Jpeg, focal: FocalPoint::CENTRE };
        assert_eq!(photo.best(Some(700), None, ImageFormat::Webp).width, 1024);
        assert_eq!(photo.best(Some(5000), None, ImageFormat::Webp).width, 2048);
        assert_eq!(photo.best(None, Some(Crop::Square), ImageFormat::Jpeg).width, 1600);
    }

    #[test]
    fn variant_names_round_trip_and_are_unique() {
        let focal = FocalPoint::parse(0.25, 0.0, "x", "y").unwrap();
        for crop in [None, Some(Crop::Wide), Some(Crop::Standard), Some(Crop::Square)] {
            for format in ImageFormat::ALL {
                let variant = Variant::new(640, crop, format, focal);
                assert_eq!(Variant::from_file_name(&variant.file_name()), Some(variant));
            }
        }
        assert_eq!(
            Variant::new(640, Some(Crop::Wide), ImageFormat::Jpeg, focal).file_name(),
            "640-16x9-f250-0.jpg"
        );
        assert_eq!(Variant::new(640, None, ImageFormat::Jpeg, focal).file_name(), "640.jpg");
        for bad in [
            "0640.webp",
            "+640.webp",
            "640.jpeg",
            "640-16:9.webp",
            "640",
            "x.webp",
            "640-2x1.png",
            "",
            "640-16x9.jpg",
            "640-16x9-f500-1001.jpg",
            "640-16x9-f500-050.jpg",
            "640-16x9-f500-50-1.jpg",
        ] {
            assert_eq!(Variant::from_file_name(bad), None, "{bad}");
        }
    }
}
