//! Drawing a rendition of a cleaned master: cropped around its focal point,
//! scaled down to the rendition's exact size, encoded in its format. Also
//! the encoders both this and `codec` write with.

use fast_image_resize::{FilterType, MulDiv, ResizeAlg, ResizeOptions, Resizer};
use image::codecs::gif::GifEncoder;
use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::{CompressionType, FilterType as PngFilter, PngEncoder};
use image::metadata::Orientation;
use image::{DynamicImage, GenericImageView, ImageEncoder};

use super::codec;
use crate::domain::media::{FocalPoint, ImageFormat, Rect, Renditions, Variant, crop_rect};

const JPEG_QUALITY: u8 = 82;
const WEBP_QUALITY: u8 = 80;

/// Draws the rendition `variant` of a master stored by [`codec::clean`]
/// (in `master_format`) whose focal point is `focal`: the crop of
/// [`crop_rect`], scaled to the size [`Renditions`] lists for it. Never
/// scales up, even for a variant the image does not have.
pub fn render(
    master: &[u8],
    master_format: ImageFormat,
    focal: FocalPoint,
    variant: Variant,
) -> anyhow::Result<Vec<u8>> {
    let mut image = codec::decode(codec::open(master, master_format)?, true)?;
    let (area, drawn_width, drawn_height) = layout(image.dimensions(), master_format, focal, variant);
    // Colours are averaged premultiplied by alpha, or transparent pixels'
    // hidden colours bleed into the edges. In place: the master is ours.
    let premultiply = image.color().has_alpha() && (drawn_width, drawn_height) != (area.width, area.height);
    let mul_div = MulDiv::new();
    if premultiply {
        mul_div.multiply_alpha_inplace(&mut image)?;
    }
    let mut drawn = DynamicImage::new(drawn_width, drawn_height, image.color());
    let options = ResizeOptions::new()
        .resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3))
        .crop(f64::from(area.x), f64::from(area.y), f64::from(area.width), f64::from(area.height))
        .use_alpha(false);
    Resizer::new().resize(&image, &mut drawn, &options)?;
    // The master and the resizer's buffers go before the encoder's arrive.
    drop(image);
    if premultiply {
        mul_div.divide_alpha_inplace(&mut drawn)?;
    }
    let quality = if variant.format == ImageFormat::Jpeg { JPEG_QUALITY } else { WEBP_QUALITY };
    encode(drawn, Orientation::NoTransforms, variant.format, quality)
}

/// The area of the master drawn, and the rendition's width and height.
fn layout(
    (width, height): (u32, u32),
    format: ImageFormat,
    focal: FocalPoint,
    variant: Variant,
) -> (Rect, u32, u32) {
    let area = crop_rect(width, height, variant.crop, focal);
    let drawn_width = variant.width.clamp(1, area.width);
    let drawn_height = Renditions { width, height, format, focal }.height_at(drawn_width, variant.crop);
    (area, drawn_width, drawn_height.min(area.height))
}

/// The most memory [`render`] needs for this rendition of a master this
/// size, to reserve before calling it: the decoded master (and a WebP
/// decoder's own buffers), the resizer's intermediate (the crop's width by
/// the rendition's height) and the rendition, then the encoder's copies
/// (libwebp's ARGB and YUV pictures, its alpha encoder). Only a JPEG
/// master is known to have no alpha.
pub fn working_bytes(master_format: ImageFormat, width: u32, height: u32, variant: Variant) -> u64 {
    let (area, drawn_width, drawn_height) = layout((width, height), master_format, variant.focal, variant);
    let pixels = u64::from(width) * u64::from(height);
    let drawn = u64::from(drawn_width) * u64::from(drawn_height);
    let intermediate = u64::from(area.width) * u64::from(drawn_height);
    let (decoding, encoding) = match (master_format, variant.format) {
        (ImageFormat::Jpeg, ImageFormat::Webp) => (4, 8),
        (ImageFormat::Jpeg, _) => (4, 2),
        (ImageFormat::Webp, ImageFormat::Webp) => (10, 18),
        (ImageFormat::Webp, _) => (10, 2),
        (_, ImageFormat::Webp) => (5, 18),
        _ => (5, 2),
    };
    // A byte a pixel of the master's also covers the JPEG decoder's copy of it.
    pixels * decoding + 4 * (intermediate + drawn) + drawn * encoding
}

/// Encodes without any metadata. `orientation` is applied on the fly for
/// JPEG (its encoder reads pixel by pixel, so a turned photo needs no
/// second buffer) and must be `NoTransforms` for the others. `quality` is
/// for the lossy formats; WebP is always lossy, GIF a single frame.
pub(crate) fn encode(
    image: DynamicImage,
    orientation: Orientation,
    format: ImageFormat,
    quality: u8,
) -> anyhow::Result<Vec<u8>> {
    let (width, height) = image.dimensions();
    let mut out = Vec::new();
    match format {
        ImageFormat::Jpeg => {
            let mut encoder = JpegEncoder::new_with_quality(&mut out, quality);
            match (&image, orientation) {
                (DynamicImage::ImageLuma8(_) | DynamicImage::ImageRgb8(_), Orientation::NoTransforms) => {
                    encoder.encode(image.as_bytes(), width, height, image.color().into())?
                }
                (DynamicImage::ImageLuma8(gray), _) => {
                    encoder.encode_image(&Oriented { image: gray, orientation })?
                }
                (DynamicImage::ImageRgb8(rgb), _) => {
                    encoder.encode_image(&Oriented { image: rgb, orientation })?
                }
                // Alpha has no place in a JPEG: dropped.
                _ => encoder.encode_image(&Oriented { image: &image.to_rgb8(), orientation })?,
            }
        }
        ImageFormat::Png => PngEncoder::new_with_quality(
            &mut out,
            CompressionType::Fast,
            PngFilter::Adaptive,
        )
        .write_image(image.as_bytes(), width, height, image.color().into())?,
        ImageFormat::Webp => {
            let mut config =
                webp::WebPConfig::new().map_err(|()| anyhow::anyhow!("libwebp has no configuration"))?;
            config.quality = f32::from(quality);
            // Past 4 megapixels (masters) a faster method: a third of the
            // time and memory of the default, for files a few percent larger.
            config.method = if u64::from(width) * u64::from(height) > 1 << 22 { 2 } else { 4 };
            let encoded = match &image {
                DynamicImage::ImageRgb8(rgb) => {
                    webp::Encoder::from_rgb(rgb, width, height).encode_advanced(&config)
                }
                DynamicImage::ImageRgba8(rgba) => {
                    webp::Encoder::from_rgba(rgba, width, height).encode_advanced(&config)
                }
                DynamicImage::ImageLuma8(_) => {
                    webp::Encoder::from_rgb(&image.to_rgb8(), width, height).encode_advanced(&config)
                }
                _ => webp::Encoder::from_rgba(&image.to_rgba8(), width, height).encode_advanced(&config),
            };
            out = encoded.map_err(|e| anyhow::anyhow!("libwebp could not encode the image: {e:?}"))?.to_vec();
        }
        ImageFormat::Gif => {
            // A frame is quantised in place: handing over the buffer spares a copy.
            let frame = image::Frame::new(image.into_rgba8());
            GifEncoder::new_with_speed(&mut out, 10).encode_frame(frame)?;
        }
    }
    Ok(out)
}

/// An image seen through an EXIF orientation, read without a copy.
struct Oriented<'a, I> {
    image: &'a I,
    orientation: Orientation,
}

impl<I: GenericImageView> GenericImageView for Oriented<'_, I> {
    type Pixel = I::Pixel;

    fn dimensions(&self) -> (u32, u32) {
        codec::upright(self.image.dimensions(), self.orientation)
    }

    fn get_pixel(&self, x: u32, y: u32) -> Self::Pixel {
        use Orientation::*;
        let (width, height) = self.image.dimensions();
        let from_right = |v: u32| width.saturating_sub(v).saturating_sub(1);
        let from_bottom = |v: u32| height.saturating_sub(v).saturating_sub(1);
        let (sx, sy) = match self.orientation {
            NoTransforms => (x, y),
            Rotate90 => (y, from_bottom(x)),
            Rotate180 => (from_right(x), from_bottom(y)),
            Rotate270 => (from_right(y), x),
            FlipHorizontal => (from_right(x), y),
            FlipVertical => (x, from_bottom(y)),
            Rotate90FlipH => (y, x),
            Rotate270FlipH => (from_right(y), from_bottom(x)),
        };
        self.image.get_pixel(sx, sy)
    }
}

#[cfg(test)]
mod tests {
    use image::{ImageBuffer, Rgb, Rgba};

    use super::*;
    use crate::domain::media::Crop;

    /// 400 × 300, the left half red and the right half blue.
    fn halves(format: image::ImageFormat) -> Vec<u8> {
        let image =
            ImageBuffer::from_fn(400, 300, |x, _| if x < 200 { Rgb([255, 0, 0]) } else { Rgb([0, 0, 255]) });
        let mut out = std::io::Cursor::new(Vec::new());
        DynamicImage::ImageRgb8(image).write_to(&mut out, format).unwrap();
        out.into_inner()
    }

    fn drawn(master: &[u8], format: ImageFormat, focal: FocalPoint, variant: Variant) -> DynamicImage {
        let bytes = render(master, format, focal, variant).unwrap();
        assert_eq!(ImageFormat::sniff(&bytes), Some(variant.format));
        image::load_from_memory(&bytes).unwrap()
    }

    #[test]
    fn each_crop_has_the_size_renditions_list() {
        let master = halves(image::ImageFormat::Jpeg);
        let centre = FocalPoint::CENTRE;
        for (crop, height) in
            [(None, 150), (Some(Crop::Wide), 113), (Some(Crop::Standard), 150), (Some(Crop::Square), 200)]
        {
            for format in [ImageFormat::Webp, ImageFormat::Jpeg] {
                let image =
                    drawn(&master, ImageFormat::Jpeg, centre, Variant::new(200, crop, format, centre));
                assert_eq!((image.width(), image.height()), (200, height), "{crop:?} {format:?}");
            }
        }
        // Never scaled up, whatever is asked.
        let image =
            drawn(&master, ImageFormat::Jpeg, centre, Variant::new(1000, None, ImageFormat::Webp, centre));
        assert_eq!((image.width(), image.height()), (400, 300));
    }

    #[test]
    fn crops_keep_the_focal_point_in_view() {
        let master = halves(image::ImageFormat::Png);
        let redness = |focal: FocalPoint| {
            let variant = Variant::new(100, Some(Crop::Square), ImageFormat::Png, focal);
            let image = drawn(&master, ImageFormat::Png, focal, variant).to_rgb8();
            image.pixels().filter(|p| p[0] > p[2]).count() * 100 / image.pixels().len()
        };
        assert!(redness(FocalPoint::parse(0.0, 0.5, "x", "y").unwrap()) > 60);
        assert!(redness(FocalPoint::parse(1.0, 0.5, "x", "y").unwrap()) < 40);
    }

    #[test]
    fn transparency_survives_resizing() {
        let image =
            ImageBuffer::from_fn(
                64,
                64,
                |x, _| if x < 32 { Rgba([0, 0, 0, 0]) } else { Rgba([0, 200, 0, 255]) },
            );
        let mut master = std::io::Cursor::new(Vec::new());
        DynamicImage::ImageRgba8(image).write_to(&mut master, image::ImageFormat::Png).unwrap();
        let variant = Variant::new(32, None, ImageFormat::Png, FocalPoint::CENTRE);
        let image = drawn(master.get_ref(), ImageFormat::Png, FocalPoint::CENTRE, variant).to_rgba8();
        assert_eq!(image.get_pixel(2, 10)[3], 0);
        // The edge's faint pixels stay green: no fringe of the transparent pixels' black.
        let edge = image.get_pixel(15, 10);
        assert!(edge[3] > 0 && edge[3] < 50 && edge[1] > 150, "{edge:?}");
    }

    #[test]
    fn working_memory_grows_with_the_rendition() {
        let jpeg = |width, format| {
            working_bytes(
                ImageFormat::Jpeg,
                4000,
                3000,
                Variant::new(width, None, format, FocalPoint::CENTRE),
            )
        };
        assert!(jpeg(320, ImageFormat::Webp) > 4000 * 3000 * 3);
        assert!(jpeg(320, ImageFormat::Webp) < jpeg(2048, ImageFormat::Webp));
        assert!(jpeg(2048, ImageFormat::Jpeg) < jpeg(2048, ImageFormat::Webp));
    }
}
