//! Checking and cleaning an upload: recognised by its bytes, its size checked
//! from its header before any pixel is decoded, then decoded, turned upright
//! and encoded again in its own format, so that only its pixels survive (no
//! EXIF, GPS, XMP, ICC or text; nothing after its end).

use std::io::Cursor;

use image::error::{ParameterError, ParameterErrorKind};
use image::metadata::Orientation;
use image::{DynamicImage, ImageBuffer, ImageDecoder, ImageError, ImageReader};

use super::render::encode;
use crate::domain::media::ImageFormat;

/// What an upload may be.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Most pixels (width × height).
    pub max_pixels: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self { max_pixels: 40_000_000 }
    }
}

/// What an upload's header says, before anything is decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Measured {
    pub format: ImageFormat,
    /// After the EXIF orientation is applied, as [`Cleaned`] will have them.
    pub width: u32,
    pub height: u32,
    /// The most memory [`clean`] needs for it, the upload aside: to reserve
    /// before calling it. From about 3.5 bytes a pixel (a baseline JPEG)
    /// to 24 (a WebP with alpha).
    pub working_bytes: u64,
}

/// An upload as stored: re-encoded, upright, without metadata.
#[derive(Debug)]
pub struct Cleaned {
    pub format: ImageFormat,
    /// After the EXIF orientation is applied.
    pub width: u32,
    pub height: u32,
    pub bytes: Vec<u8>,
}

/// Why an upload is refused.
#[derive(Debug, thiserror::Error)]
pub enum Refusal {
    /// Not JPEG, PNG, WebP or GIF by its bytes (SVG, HEIC, text…).
    #[error("the file is not a JPEG, PNG, WebP or GIF image")]
    Unsupported,
    /// Truncated, corrupt, or undecodable; the message is for the client.
    #[error("{0}")]
    Corrupt(String),
    /// Over the pixel limit (or a side over 65,535), known from the header.
    #[error("the image is {width} × {height} pixels; at most {max_pixels} pixels are accepted")]
    TooLarge { width: u32, height: u32, max_pixels: u64 },
}

/// The longest side accepted: JPEG's and GIF's own ceiling.
const MAX_SIDE: u32 = 65_535;
/// The gif decoder refuses frames over 50 MB of RGBA.
const GIF_MAX_PIXELS: u64 = 12_500_000;
/// What decoders may allocate for metadata before the size is known.
const HEADER_ALLOC: u64 = 64 << 20;
const JPEG_QUALITY: u8 = 88;
const WEBP_QUALITY: u8 = 85;

/// Reads an upload's header (and, for a JPEG, scans for its end): cheap.
pub fn measure(bytes: &[u8], limits: &Limits) -> Result<Measured, Refusal> {
    inspect(bytes, limits).map(|(measured, ..)| measured)
}

/// Checks an upload and re-encodes it in its own format, upright and
/// without metadata; GIFs keep their first frame only.
pub fn clean(bytes: &[u8], limits: &Limits) -> Result<Cleaned, Refusal> {
    let (Measured { format, width, height, .. }, decoder, orientation) = inspect(bytes, limits)?;
    // A GIF's encoder wants RGBA anyway.
    let mut image = decode(decoder, format != ImageFormat::Gif).map_err(|e| undecodable(format, &e))?;
    // The JPEG encoder turns the image as it reads it, without a second buffer.
    let orientation = if format == ImageFormat::Jpeg {
        orientation
    } else {
        image.apply_orientation(orientation);
        Orientation::NoTransforms
    };
    let quality = if format == ImageFormat::Jpeg { JPEG_QUALITY } else { WEBP_QUALITY };
    let bytes = encode(image, orientation, format, quality)
        .map_err(|e| Refusal::Corrupt(format!("the image could not be encoded again: {e}")))?;
    Ok(Cleaned { format, width, height, bytes })
}

/// Sniffs, reads the header, checks the size; nothing is decoded yet.
fn inspect<'a>(
    bytes: &'a [u8],
    limits: &Limits,
) -> Result<(Measured, impl ImageDecoder + 'a, Orientation), Refusal> {
    let format = ImageFormat::sniff(bytes).ok_or(Refusal::Unsupported)?;
    // The JPEG decoder fills what a truncated file lacks with grey.
    let truncated = || Refusal::Corrupt("the JPEG image is truncated".into());
    let coefficients = if format == ImageFormat::Jpeg { jpeg_scan(bytes).ok_or_else(truncated)? } else { 0 };
    let mut decoder = open(bytes, format).map_err(|e| undecodable(format, &e))?;
    let (width, height) = decoder.dimensions();
    let pixels = u64::from(width) * u64::from(height);
    let max_pixels =
        if format == ImageFormat::Gif { limits.max_pixels.min(GIF_MAX_PIXELS) } else { limits.max_pixels };
    if width > MAX_SIDE || height > MAX_SIDE || pixels > max_pixels {
        return Err(Refusal::TooLarge { width, height, max_pixels });
    }
    if pixels == 0 {
        return Err(Refusal::Corrupt(format!("the {} image has no pixels", format.as_str())));
    }
    // An unreadable EXIF block leaves the image as it is rather than refused.
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    // Measured: the decoded pixels (16-bit ones too), and a progressive
    // JPEG's coefficients, a second buffer to turn the image, libwebp's
    // copies (ARGB, YUV, its alpha encoder's) or the GIF quantiser's indices;
    // output buffers and the JPEG decoder's copy of the file, by file size.
    let color = decoder.color_type();
    let turned = pixels * u64::from(color.channel_count()) * u64::from(turns(orientation));
    let extra = match format {
        ImageFormat::Jpeg => coefficients,
        ImageFormat::Png => turned,
        ImageFormat::Webp => turned + pixels * if color.has_alpha() { 22 } else { 7 },
        ImageFormat::Gif => pixels * 2,
    };
    let working_bytes = pixels * u64::from(color.bytes_per_pixel()) + extra + 3 * bytes.len() as u64;
    let mut sized = image::Limits::default();
    sized.max_image_width = Some(MAX_SIDE);
    sized.max_image_height = Some(MAX_SIDE);
    sized.max_alloc = Some(working_bytes);
    decoder.set_limits(sized).map_err(|e| undecodable(format, &e))?;
    let (width, height) = upright((width, height), orientation);
    Ok((Measured { format, width, height, working_bytes }, decoder, orientation))
}

fn undecodable(format: ImageFormat, error: &ImageError) -> Refusal {
    let what = match error {
        ImageError::Unsupported(_) => "uses a feature that cannot be decoded",
        ImageError::Limits(_) => "needs more memory to decode than is allowed",
        _ => "is truncated or corrupt",
    };
    Refusal::Corrupt(format!("the {} image {what} ({error})", format.as_str()))
}

pub(crate) fn upright((width, height): (u32, u32), orientation: Orientation) -> (u32, u32) {
    if turns(orientation) { (height, width) } else { (width, height) }
}

fn turns(orientation: Orientation) -> bool {
    use Orientation::*;
    matches!(orientation, Rotate90 | Rotate270 | Rotate90FlipH | Rotate270FlipH)
}

/// A decoder for the bytes, having read the header only.
pub(crate) fn open(bytes: &[u8], format: ImageFormat) -> Result<impl ImageDecoder + '_, ImageError> {
    let format = match format {
        ImageFormat::Jpeg => image::ImageFormat::Jpeg,
        ImageFormat::Png => image::ImageFormat::Png,
        ImageFormat::Webp => image::ImageFormat::WebP,
        ImageFormat::Gif => image::ImageFormat::Gif,
    };
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = image::Limits::no_limits();
    limits.max_alloc = Some(HEADER_ALLOC);
    reader.limits(limits);
    reader.into_decoder()
}

/// Decodes into one buffer, 8 bits a sample: 16-bit samples are narrowed
/// in that same buffer rather than in a second one, and so is an alpha
/// channel dropped when `drop_opaque` and it is opaque throughout (the
/// image looks the same; libwebp encodes alpha at a high cost).
pub(crate) fn decode(decoder: impl ImageDecoder, drop_opaque: bool) -> Result<DynamicImage, ImageError> {
    let mismatch = || ImageError::Parameter(ParameterError::from_kind(ParameterErrorKind::DimensionMismatch));
    let (width, height) = decoder.dimensions();
    let color = decoder.color_type();
    let mut buffer = vec![0; usize::try_from(decoder.total_bytes()).map_err(|_| mismatch())?];
    decoder.read_image(&mut buffer)?;
    if color.bytes_per_pixel() > color.channel_count() {
        let samples = buffer.len() / 2;
        for i in 0..samples {
            let wide = u16::from_ne_bytes([buffer[2 * i], buffer[2 * i + 1]]);
            buffer[i] = ((u32::from(wide) + 128) / 257) as u8;
        }
        buffer.truncate(samples);
    }
    let mut channels = usize::from(color.channel_count());
    if drop_opaque && color.has_alpha() && buffer.chunks_exact(channels).all(|p| p.last() == Some(&u8::MAX)) {
        for i in 0..buffer.len() / channels {
            buffer.copy_within(i * channels..(i + 1) * channels - 1, i * (channels - 1));
        }
        buffer.truncate(buffer.len() / channels * (channels - 1));
        channels -= 1;
    }
    match channels {
        1 => ImageBuffer::from_raw(width, height, buffer).map(DynamicImage::ImageLuma8),
        2 => ImageBuffer::from_raw(width, height, buffer).map(DynamicImage::ImageLumaA8),
        3 => ImageBuffer::from_raw(width, height, buffer).map(DynamicImage::ImageRgb8),
        _ => ImageBuffer::from_raw(width, height, buffer).map(DynamicImage::ImageRgba8),
    }
    .ok_or_else(mismatch)
}

/// Follows a JPEG's segments and scans to its end-of-image marker: `None`
/// if it has none (truncated), else the bytes the decoder will hold for a
/// progressive JPEG's coefficients (0 for a baseline one). Lengths are
/// followed rather than searching for FF D9, which also ends an EXIF
/// thumbnail; data after the marker (a phone's appended video) is allowed,
/// and dropped by the re-encoding.
fn jpeg_scan(bytes: &[u8]) -> Option<u64> {
    let next_ff = |from: usize| bytes.get(from..)?.iter().position(|b| *b == 0xFF).map(|p| from + p);
    let (mut at, mut coefficients) = (2, 0);
    loop {
        // Stray bytes before a marker are skipped, as decoders do.
        at = next_ff(at)?;
        while bytes.get(at) == Some(&0xFF) {
            at += 1;
        }
        let marker = *bytes.get(at)?;
        at += 1;
        match marker {
            0xD9 => return Some(coefficients),
            0x01 | 0xD0..=0xD8 => continue,
            _ => {}
        }
        let &[high, low] = bytes.get(at..at + 2)? else { return None };
        let length = usize::from(u16::from_be_bytes([high, low]));
        if let (0xC2 | 0xC6 | 0xCA | 0xCE, Some(frame)) = (marker, bytes.get(at..at + length)) {
            coefficients = progressive_coefficients(frame);
        }
        at += length;
        if marker != 0xDA {
            continue;
        }
        // Entropy-coded data: FF 00 is a stuffed byte and FF D0–D7 a restart;
        // any other FF starts the next marker.
        loop {
            at = next_ff(at)?;
            match bytes.get(at + 1)? {
                0x00 | 0xD0..=0xD7 => at += 2,
                _ => break,
            }
        }
    }
}

/// The decoder keeps every 8 × 8 block of every component of a
/// progressive JPEG, two bytes a coefficient, until its last scan.
fn progressive_coefficients(frame: &[u8]) -> u64 {
    // Length (2), precision, height (2), width (2), count, then a component
    // each three bytes: its id, sampling factors (4 bits each), table.
    let Some(&[_, _, _, yh, yl, xh, xl, _]) = frame.get(..8) else { return 0 };
    let factors: Vec<(u64, u64)> = frame
        .get(8..)
        .unwrap_or_default()
        .chunks_exact(3)
        .map(|c| (u64::from(c[1] >> 4), u64::from(c[1] & 15)))
        .collect();
    let h_max = factors.iter().map(|f| f.0).max().unwrap_or(1).max(1);
    let v_max = factors.iter().map(|f| f.1).max().unwrap_or(1).max(1);
    let across = u64::from(u16::from_be_bytes([xh, xl])).div_ceil(8 * h_max);
    let down = u64::from(u16::from_be_bytes([yh, yl])).div_ceil(8 * v_max);
    across * down * 64 * 2 * factors.iter().map(|(h, v)| h * v).sum::<u64>()
}

#[cfg(test)]
mod tests {
    use image::{ImageBuffer, Rgb, RgbImage, Rgba};

    use super::*;

    fn gradient() -> RgbImage {
        ImageBuffer::from_fn(64, 48, |x, y| Rgb([(x * 4) as u8, (y * 5) as u8, 128]))
    }

    fn translucent() -> DynamicImage {
        DynamicImage::ImageRgba8(ImageBuffer::from_fn(64, 48, |x, y| Rgba([x as u8 * 4, y as u8, 9, 200])))
    }

    fn encoded(image: &DynamicImage, format: image::ImageFormat) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        image.write_to(&mut out, format).unwrap();
        out.into_inner()
    }

    fn contains(haystack: &[u8], needle: &[u8]) -> bool {
        haystack.windows(needle.len()).any(|w| w == needle)
    }

    /// A PNG chunk: length, type, data, CRC-32 of type and data.
    fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
        let mut out = u32::try_from(data.len()).unwrap().to_be_bytes().to_vec();
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        let mut crc = flate2::Crc::new();
        crc.update(&out[4..]);
        out.extend_from_slice(&crc.sum().to_be_bytes());
        out
    }

    #[test]
    fn each_format_round_trips_with_its_size_and_alpha() {
        for (format, image) in [
            (ImageFormat::Jpeg, DynamicImage::ImageRgb8(gradient())),
            (ImageFormat::Png, translucent()),
            (ImageFormat::Webp, translucent()),
            (ImageFormat::Gif, translucent()),
        ] {
            let bytes = encoded(&image, image::ImageFormat::from_extension(format.extension()).unwrap());
            let measured = measure(&bytes, &Limits::default()).unwrap();
            assert_eq!((measured.format, measured.width, measured.height), (format, 64, 48));
            let cleaned = clean(&bytes, &Limits::default()).unwrap();
            assert_eq!((cleaned.format, cleaned.width, cleaned.height), (format, 64, 48));
            assert_eq!(ImageFormat::sniff(&cleaned.bytes), Some(format));
            let back = image::load_from_memory(&cleaned.bytes).unwrap();
            assert_eq!((back.width(), back.height()), (64, 48));
            assert_eq!(back.color().has_alpha(), format != ImageFormat::Jpeg, "{format:?}");
        }
    }

    #[test]
    fn other_files_are_unsupported() {
        for bytes in [&b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>"[..], &[7, 1, 250, 3, 0, 99], &[]] {
            assert!(matches!(clean(bytes, &Limits::default()), Err(Refusal::Unsupported)));
        }
    }

    #[test]
    fn truncated_files_are_corrupt() {
        for (image, format) in [
            (DynamicImage::ImageRgb8(gradient()), image::ImageFormat::Jpeg),
            (translucent(), image::ImageFormat::Png),
            (translucent(), image::ImageFormat::WebP),
            (translucent(), image::ImageFormat::Gif),
        ] {
            let bytes = encoded(&image, format);
            let refusal = clean(&bytes[..bytes.len() / 2], &Limits::default()).unwrap_err();
            assert!(matches!(refusal, Refusal::Corrupt(_)), "{format:?}: {refusal:?}");
        }
        // Data after the end marker, like a phone's appended video, is not truncation.
        let mut jpeg = encoded(&DynamicImage::ImageRgb8(gradient()), image::ImageFormat::Jpeg);
        jpeg.extend_from_slice(b"ftypmp42 and a video");
        assert!(!contains(&clean(&jpeg, &Limits::default()).unwrap().bytes, b"ftyp"));
    }

    #[test]
    fn oversized_images_are_refused_from_their_header() {
        // 50,000 × 50,000 RGBA, 8 bits a sample: 10 GB decoded.
        let header = [&50_000u32.to_be_bytes()[..], &50_000u32.to_be_bytes(), &[8, 6, 0, 0, 0]].concat();
        let png = [
            &b"\x89PNG\r\n\x1a\n"[..],
            &chunk(b"IHDR", &header),
            &chunk(b"IDAT", &[0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]),
            &chunk(b"IEND", &[]),
        ]
        .concat();
        let too_large =
            |r| matches!(r, Refusal::TooLarge { width: 50_000, height: 50_000, max_pixels: 40_000_000 });
        assert!(too_large(measure(&png, &Limits::default()).unwrap_err()));
        assert!(too_large(clean(&png, &Limits::default()).unwrap_err()));
    }

    /// EXIF in an APP1 segment: big-endian TIFF whose first IFD holds the
    /// orientation (6: turn 90° clockwise) and a pointer to a GPS IFD
    /// (latitude N 48° 51′ 30″).
    fn exif_segment() -> Vec<u8> {
        let mut tiff = b"MM\0\x2A\0\0\0\x08\0\x02".to_vec();
        tiff.extend_from_slice(&[0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0]);
        tiff.extend_from_slice(&[0x88, 0x25, 0, 4, 0, 0, 0, 1, 0, 0, 0, 38, 0, 0, 0, 0]);
        tiff.extend_from_slice(&[0, 2, 0, 1, 0, 2, 0, 0, 0, 2, b'N', 0, 0, 0]);
        tiff.extend_from_slice(&[0, 2, 0, 5, 0, 0, 0, 3, 0, 0, 0, 68, 0, 0, 0, 0]);
        for value in [48u32, 1, 51, 1, 30, 1] {
            tiff.extend_from_slice(&value.to_be_bytes());
        }
        let length = u16::try_from(2 + 6 + tiff.len()).unwrap().to_be_bytes();
        [&[0xFF, 0xE1, length[0], length[1]][..], b"Exif\0\0", &tiff].concat()
    }

    #[test]
    fn jpegs_are_turned_upright_and_lose_their_exif() {
        // A red corner at the top left: upright, it is at the top right.
        let mut image = gradient();
        for (x, y, pixel) in image.enumerate_pixels_mut() {
            *pixel = if x < 8 && y < 8 { Rgb([255, 0, 0]) } else { Rgb([0, 0, 255]) };
        }
        let plain = encoded(&DynamicImage::ImageRgb8(image), image::ImageFormat::Jpeg);
        let jpeg = [&plain[..2], &exif_segment(), &plain[2..]].concat();
        let measured = measure(&jpeg, &Limits::default()).unwrap();
        assert_eq!((measured.width, measured.height), (48, 64));
        let cleaned = clean(&jpeg, &Limits::default()).unwrap();
        assert_eq!((cleaned.width, cleaned.height), (48, 64));
        assert!(!contains(&cleaned.bytes, b"Exif\0\0") && !contains(&cleaned.bytes, &[0xFF, 0xE1]));
        let upright = image::load_from_memory(&cleaned.bytes).unwrap().to_rgb8();
        assert!(upright.get_pixel(44, 3)[0] > 200 && upright.get_pixel(3, 3)[0] < 50);
    }

    #[test]
    fn png_text_and_opaque_alpha_are_dropped() {
        let opaque = DynamicImage::ImageRgba8(DynamicImage::ImageRgb8(gradient()).to_rgba8());
        let plain = encoded(&opaque, image::ImageFormat::Png);
        let png = [&plain[..33], &chunk(b"tEXt", b"Comment\0taken at home"), &plain[33..]].concat();
        assert!(contains(&png, b"tEXt"));
        let cleaned = clean(&png, &Limits::default()).unwrap();
        assert!(!contains(&cleaned.bytes, b"tEXt") && !contains(&cleaned.bytes, b"home"));
        assert_eq!(image::load_from_memory(&cleaned.bytes).unwrap().color(), image::ColorType::Rgb8);
    }
}
