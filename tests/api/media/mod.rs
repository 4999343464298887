//! The media library: uploads and their refusals, what is stored, the image
//! files and their renditions, covers and inline images, in both APIs.

mod articles;
mod bucket;
mod files;
mod graphql;
mod upload;

use std::io::Cursor;

use image::{ImageEncoder, RgbImage, RgbaImage};
use reqwest::Response;
use serde_json::Value;

use crate::helpers::TestApp;

/// One part of a `multipart/form-data` body.
pub struct Part {
    pub name: &'static str,
    /// Set for file parts.
    pub filename: Option<&'static str>,
    pub content_type: Option<&'static str>,
    pub bytes: Vec<u8>,
}

impl Part {
    pub fn file(bytes: Vec<u8>) -> Self {
        Self { name: "file", filename: Some("photo.jpg"), content_type: Some("image/jpeg"), bytes }
    }

    pub fn text(name: &'static str, value: &str) -> Self {
        Self { name, filename: None, content_type: None, bytes: value.as_bytes().to_vec() }
    }
}

pub const BOUNDARY: &str = "newsdesk-test-boundary-7MA4YWxkTrZu0gW";

/// A `multipart/form-data` body of `parts`.
pub fn multipart(parts: &[Part]) -> Vec<u8> {
    let mut body = Vec::new();
    for part in parts {
        body.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
        let mut disposition = format!("Content-Disposition: form-data; name=\"{}\"", part.name);
        if let Some(filename) = part.filename {
            disposition.push_str(&format!("; filename=\"{filename}\""));
        }
        body.extend_from_slice(disposition.as_bytes());
        body.extend_from_slice(b"\r\n");
        if let Some(content_type) = part.content_type {
            body.extend_from_slice(format!("Content-Type: {content_type}\r\n").as_bytes());
        }
        body.extend_from_slice(b"\r\n");
        body.extend_from_slice(&part.bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

impl TestApp {
    /// `POST /api/v1/media` with `parts`.
    pub async fn upload(&self, token: Option<&str>, parts: &[Part]) -> Response {
        let mut request = self
            .client
            .post(self.url("/api/v1/media"))
            .header("Content-Type", format!("multipart/form-data; boundary={BOUNDARY}"))
            .body(multipart(parts));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.expect("request")
    }

    /// Uploads `bytes` with `alt_text`; the item's JSON.
    pub async fn upload_ok(&self, token: &str, bytes: Vec<u8>, alt_text: &str) -> Value {
        let response = self.upload(Some(token), &[Part::file(bytes), Part::text("alt_text", alt_text)]).await;
        let status = response.status();
        let body: Value = response.json().await.unwrap();
        assert!(status == 201 || status == 200, "{status}: {body}");
        body
    }

    /// The files kept in the media directory.
    pub fn stored_files(&self) -> Vec<String> {
        let Some(root) = &self.media_dir else { return Vec::new() };
        let mut found = Vec::new();
        let mut dirs = vec![root.clone()];
        while let Some(dir) = dirs.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else { continue };
            for entry in entries.flatten() {
                let path = entry.path();
                if path.is_dir() {
                    dirs.push(path);
                } else {
                    found.push(path.strip_prefix(root).unwrap().display().to_string());
                }
            }
        }
        found.sort();
        found
    }
}

/// A `width` × `height` picture: a gradient, its left half reddish and its
/// right half bluish, so crops can be told apart.
pub fn picture(width: u32, height: u32) -> RgbImage {
    RgbImage::from_fn(width, height, |x, y| {
        let shade = u8::try_from(y * 255 / height.max(1)).unwrap_or(255);
        if x < width / 2 { image::Rgb([230, shade / 2, 40]) } else { image::Rgb([30, shade / 2, 220]) }
    })
}

pub fn jpeg(width: u32, height: u32) -> Vec<u8> {
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)
        .write_image(&picture(width, height), width, height, image::ExtendedColorType::Rgb8)
        .unwrap();
    out
}

pub fn png(width: u32, height: u32) -> Vec<u8> {
    let rgb = picture(width, height);
    let rgba = RgbaImage::from_fn(width, height, |x, y| {
        let image::Rgb([r, g, b]) = *rgb.get_pixel(x, y);
        image::Rgba([r, g, b, 200])
    });
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new(&mut out)
        .write_image(&rgba, width, height, image::ExtendedColorType::Rgba8)
        .unwrap();
    out
}

pub fn webp(width: u32, height: u32) -> Vec<u8> {
    let mut out = Vec::new();
    image::codecs::webp::WebPEncoder::new_lossless(&mut out)
        .write_image(&picture(width, height), width, height, image::ExtendedColorType::Rgb8)
        .unwrap();
    out
}

pub fn gif(width: u32, height: u32) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut encoder = image::codecs::gif::GifEncoder::new(&mut out);
        for _ in 0..2 {
            let frame =
                image::RgbaImage::from_fn(width, height, |x, _| image::Rgba([(x % 256) as u8, 90, 10, 255]));
            encoder.encode_frame(image::Frame::new(frame)).unwrap();
        }
    }
    out
}

/// A JPEG whose EXIF says to turn it a quarter clockwise (orientation 6)
/// and where it was taken (a GPS block), as phones write them.
pub fn jpeg_with_exif(width: u32, height: u32) -> Vec<u8> {
    let plain = jpeg(width, height);
    // TIFF, little-endian: IFD0 at 8 with Orientation and a GPS IFD pointer;
    // the GPS IFD at 38 with GPSLatitudeRef "N".
    let mut tiff: Vec<u8> = b"II\x2a\x00\x08\x00\x00\x00".to_vec();
    tiff.extend_from_slice(&2u16.to_le_bytes());
    tiff.extend_from_slice(&[0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0]);
    tiff.extend_from_slice(&[0x25, 0x88, 4, 0, 1, 0, 0, 0, 38, 0, 0, 0]);
    tiff.extend_from_slice(&0u32.to_le_bytes());
    tiff.extend_from_slice(&1u16.to_le_bytes());
    tiff.extend_from_slice(&[0x01, 0x00, 2, 0, 2, 0, 0, 0, b'N', 0, 0, 0]);
    tiff.extend_from_slice(&0u32.to_le_bytes());
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend_from_slice(&tiff);
    let length = u16::try_from(app1.len() + 2).unwrap();
    let mut out = plain[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&length.to_be_bytes());
    out.extend_from_slice(&app1);
    out.extend_from_slice(&plain[2..]);
    out
}

/// Whether JPEG bytes hold an APP1 (EXIF/XMP) segment: `FF E1` can only be
/// a marker, since entropy-coded data stuffs every `FF` with `00`.
pub fn has_app1(jpeg: &[u8]) -> bool {
    jpeg.windows(2).any(|w| w == [0xFF, 0xE1])
}

/// A PNG whose header claims `width` × `height` pixels, in a few dozen
/// bytes (a decompression bomb's first line).
pub fn png_claiming(width: u32, height: u32) -> Vec<u8> {
    fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
        out.extend_from_slice(&u32::try_from(data.len()).unwrap().to_be_bytes());
        let mut crc_input = kind.to_vec();
        crc_input.extend_from_slice(data);
        out.extend_from_slice(&crc_input);
        out.extend_from_slice(&crc32(&crc_input).to_be_bytes());
    }
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(&mut out, b"IDAT", &[0x78, 0x9c, 0x03, 0x00]);
    chunk(&mut out, b"IEND", &[]);
    out
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

/// An image's size, read back from its bytes.
pub fn size_of(bytes: &[u8]) -> (u32, u32) {
    let decoded =
        image::ImageReader::new(Cursor::new(bytes)).with_guessed_format().unwrap().decode().unwrap();
    (decoded.width(), decoded.height())
}

/// The rendition in an item's (or cover's) list with this width, format and crop.
pub fn rendition<'a>(renditions: &'a Value, width: u64, format: &str, crop: Option<&str>) -> &'a Value {
    renditions
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["width"] == width && r["format"] == format && r["crop"].as_str() == crop)
        .unwrap_or_else(|| panic!("no {width} {format} {crop:?} in {renditions}"))
}
