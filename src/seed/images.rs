//! Demo photos drawn by code, for the demo newsroom's media: a two-colour
//! diagonal gradient, a few faint shapes for texture and a caption in a
//! blocky 5×7 bitmap font, as JPEG. No font files, no assets: the same
//! arguments give the same bytes.

use anyhow::{Context, Result, bail};
use image::RgbImage;
use image::codecs::jpeg::JpegEncoder;

use super::rng::Rng;

type Rgb = [u8; 3];

/// The gradients, top left to bottom right; dark enough for white text.
#[rustfmt::skip]
const PALETTE: [(Rgb, Rgb); 8] = [
    ([0x1d, 0x35, 0x57], [0x45, 0x7b, 0x9d]), ([0x5a, 0x18, 0x46], [0xc9, 0x6a, 0x52]),
    ([0x16, 0x45, 0x37], [0x6f, 0x9a, 0x63]), ([0x33, 0x25, 0x78], [0x86, 0x5f, 0xb3]),
    ([0x74, 0x26, 0x1a], [0xd0, 0x8a, 0x45]), ([0x0f, 0x45, 0x55], [0x4d, 0x95, 0xc0]),
    ([0x2b, 0x2b, 0x2e], [0x7d, 0x80, 0x86]), ([0x52, 0x36, 0x28], [0xa8, 0x82, 0x55]),
];

/// The characters the font has, and their 5×7 glyphs: seven rows of five
/// bits, top row in the highest byte, leftmost column in each byte's 0x10.
const CHARS: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,!?-:'&/+#";
#[rustfmt::skip]
const GLYPHS: [u64; 47] = [
    0x0E_11_11_1F_11_11_11, 0x1E_11_11_1E_11_11_1E, 0x0E_11_10_10_10_11_0E, 0x1C_12_11_11_11_12_1C, // A B C D
    0x1F_10_10_1E_10_10_1F, 0x1F_10_10_1E_10_10_10, 0x0E_11_10_17_11_11_0F, 0x11_11_11_1F_11_11_11, // E F G H
    0x0E_04_04_04_04_04_0E, 0x07_02_02_02_02_12_0C, 0x11_12_14_18_14_12_11, 0x10_10_10_10_10_10_1F, // I J K L
    0x11_1B_15_15_11_11_11, 0x11_11_19_15_13_11_11, 0x0E_11_11_11_11_11_0E, 0x1E_11_11_1E_10_10_10, // M N O P
    0x0E_11_11_11_15_12_0D, 0x1E_11_11_1E_14_12_11, 0x0F_10_10_0E_01_01_1E, 0x1F_04_04_04_04_04_04, // Q R S T
    0x11_11_11_11_11_11_0E, 0x11_11_11_11_11_0A_04, 0x11_11_11_15_15_15_0A, 0x11_11_0A_04_0A_11_11, // U V W X
    0x11_11_11_0A_04_04_04, 0x1F_01_02_04_08_10_1F, 0x0E_11_13_15_19_11_0E, 0x04_0C_04_04_04_04_0E, // Y Z 0 1
    0x0E_11_01_02_04_08_1F, 0x1F_02_04_02_01_11_0E, 0x02_06_0A_12_1F_02_02, 0x1F_10_1E_01_01_11_0E, // 2 3 4 5
    0x06_08_10_1E_11_11_0E, 0x1F_01_02_04_08_08_08, 0x0E_11_11_0E_11_11_0E, 0x0E_11_11_0F_01_02_0C, // 6 7 8 9
    0x00_00_00_00_00_0C_0C, 0x00_00_00_00_0C_04_08, 0x04_04_04_04_04_00_04, 0x0E_11_01_02_04_00_04, // . , ! ?
    0x00_00_00_1F_00_00_00, 0x00_0C_0C_00_0C_0C_00, 0x04_04_08_00_00_00_00, 0x0C_12_14_08_15_12_0D, // - : ' &
    0x00_01_02_04_08_10_00, 0x00_04_04_1F_04_04_00, 0x0A_0A_1F_0A_1F_0A_0A, // / + #
];

/// Larger sides than any demo needs are refused rather than allocated.
const MAX_SIDE: u32 = 8192;

/// A demo photo: `width` × `height`, a two-colour diagonal gradient from the
/// palette entry `index` (modulo its length), a few faint circles and
/// rectangles, and `label` written large in the middle (uppercased; wrapped
/// onto up to three lines; characters the font lacks left blank), as JPEG at
/// quality 85.
pub fn demo_photo(label: &str, index: usize, width: u32, height: u32) -> Result<Vec<u8>> {
    if width == 0 || height == 0 || width > MAX_SIDE || height > MAX_SIDE {
        bail!("a demo photo is 1 to {MAX_SIDE} pixels a side, not {width}×{height}");
    }
    let (from, to) = PALETTE[index % PALETTE.len()];
    let mut canvas = Canvas::new(width, height, from, to);
    // FNV-1a of the label: another caption, another arrangement.
    let hash = label
        .bytes()
        .fold(0xCBF2_9CE4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01B3));
    canvas.shapes(&mut Rng::new(hash ^ index as u64));
    canvas.caption(label);
    let mut jpeg = Vec::new();
    JpegEncoder::new_with_quality(&mut jpeg, 85).encode_image(&canvas.img).context("encode a demo photo")?;
    Ok(jpeg)
}

/// `a` moved towards `b` by `t`/256.
fn mix(a: u8, b: u8, t: u32) -> u8 {
    ((u32::from(a) * (256 - t) + u32::from(b) * t) >> 8) as u8
}

struct Canvas {
    w: usize,
    h: usize,
    img: RgbImage,
    /// The gradient, running along x + y·w/h corner to corner: a strip
    /// twice the width that row y shows from y·w/h on.
    base: Vec<u8>,
}

impl Canvas {
    fn new(width: u32, height: u32, from: Rgb, to: Rgb) -> Canvas {
        let (w, h) = (width as usize, height as usize);
        let t = |i: usize| (i * 128 / w) as u32;
        let base = (0..2 * w).flat_map(|i| [0, 1, 2].map(|c| mix(from[c], to[c], t(i)))).collect::<Vec<u8>>();
        let mut canvas = Canvas { w, h, img: RgbImage::new(width, height), base: base.clone() };
        canvas.rect(0, 0, w as i64, h as i64, &base);
        canvas
    }

    /// What shapes paint with: strips like `base`, so each span is a copy.
    /// The gradient under `colour` at `alpha`/256, flat like a paper
    /// cut-out (covering, not tinting, any shape beneath).
    fn tint(&self, colour: Rgb, alpha: u32) -> Vec<u8> {
        self.base.iter().enumerate().map(|(k, &v)| mix(v, colour[k % 3], alpha)).collect()
    }

    fn solid(&self, colour: Rgb) -> Vec<u8> {
        colour.repeat(2 * self.w)
    }

    /// Pixels `x0..x1` of row `y`, clipped to the canvas, copied from `strip`.
    fn span(&mut self, y: i64, x0: i64, x1: i64, strip: &[u8]) {
        let (x0, x1) = (x0.clamp(0, self.w as i64) as usize, x1.clamp(0, self.w as i64) as usize);
        if y < 0 || y >= self.h as i64 || x0 >= x1 {
            return;
        }
        let (row, shift) = (y as usize * self.w * 3, y as usize * self.w / self.h);
        (*self.img)[row + x0 * 3..row + x1 * 3].copy_from_slice(&strip[(shift + x0) * 3..(shift + x1) * 3]);
    }

    fn rect(&mut self, x0: i64, y0: i64, x1: i64, y1: i64, strip: &[u8]) {
        for y in y0.max(0)..y1.min(self.h as i64) {
            self.span(y, x0, x1, strip);
        }
    }

    fn disc(&mut self, cx: i64, cy: i64, r: i64, strip: &[u8]) {
        for dy in -r..=r {
            let dx = ((r * r - dy * dy) as f64).sqrt() as i64;
            self.span(cy + dy, cx - dx, cx + dx + 1, strip);
        }
    }

    /// Seven faint discs and rectangles, light or dark, anywhere.
    fn shapes(&mut self, rng: &mut Rng) {
        let unit = self.w.min(self.h) as i64;
        for i in 0..7 {
            let colour = if rng.chance(50) { [255; 3] } else { [0; 3] };
            let paint = self.tint(colour, rng.between(18, 48) as u32);
            let (cx, cy) = (rng.below(self.w) as i64, rng.below(self.h) as i64);
            if i % 3 == 2 {
                let (rw, rh) =
                    (unit * rng.between(20, 80) as i64 / 100, unit * rng.between(10, 50) as i64 / 100);
                self.rect(cx - rw / 2, cy - rh / 2, cx + rw / 2, cy + rh / 2, &paint);
            } else {
                self.disc(cx, cy, unit * rng.between(8, 35) as i64 / 100, &paint);
            }
        }
    }

    /// `label` in the middle, as large as fits in 86% of the width and 60%
    /// of the height on one to three lines, white on a dark band.
    fn caption(&mut self, label: &str) {
        let words: Vec<Vec<char>> = label
            .split_whitespace()
            .map(|word| word.chars().map(|c| c.to_ascii_uppercase()).collect())
            .collect();
        let Some(longest) = words.iter().map(Vec::len).max() else { return };
        let total = words.iter().map(Vec::len).sum::<usize>() + words.len() - 1;
        // In cells of the font: a glyph is 5×7, with 1 between letters and 2 between lines.
        let scale_of = |lines: &[Vec<char>]| {
            let cols = lines.iter().map(|l| l.len() * 6 - 1).max().unwrap_or(1);
            let rows = lines.len() * 9 - 2;
            (self.w * 86 / 100 / cols).min(self.h * 60 / 100 / rows).max(1)
        };
        // The largest scale; on a tie, the fewest lines (the last maximum of the reversed candidates).
        let candidates = (1..=3).rev().map(|n| wrap(&words, longest.max(total.div_ceil(n))));
        let scored = candidates.map(|lines| (scale_of(&lines) as i64, lines));
        let Some((s, lines)) = scored.max_by_key(|c| c.0) else { return };
        let (w, height) = (self.w as i64, (lines.len() as i64 * 9 - 2) * s);
        let top = (self.h as i64 - height) / 2;
        self.rect(0, top - 3 * s, w, top + height + 3 * s, &self.tint([0; 3], 90));
        for (offset, paint) in [((s / 3).max(1), self.solid([0x10; 3])), (0, self.solid([0xFF; 3]))] {
            for (n, line) in lines.iter().enumerate() {
                let y = top + n as i64 * 9 * s + offset;
                let left = (w - (line.len() as i64 * 6 - 1) * s) / 2 + offset;
                for (i, c) in line.iter().enumerate() {
                    // Byte and char offsets agree: CHARS is ASCII.
                    let Some(glyph) = CHARS.find(*c).map(|at| GLYPHS[at]) else { continue };
                    let x = left + i as i64 * 6 * s;
                    for r in 0..7 {
                        let bits = glyph >> (8 * (6 - r));
                        for col in (0..5).filter(|col| bits & (0x10 >> col) != 0) {
                            let (gx, gy) = (x + col * s, y + r as i64 * s);
                            self.rect(gx, gy, gx + s, gy + s, &paint);
                        }
                    }
                }
            }
        }
    }
}

/// Words on lines of at most `width` characters (a longer word alone).
fn wrap(words: &[Vec<char>], width: usize) -> Vec<Vec<char>> {
    let mut lines: Vec<Vec<char>> = Vec::new();
    for word in words {
        match lines.last_mut() {
            Some(line) if line.len() + 1 + word.len() <= width => {
                line.push(' ');
                line.extend(word);
            }
            _ => lines.push(word.clone()),
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::media::ImageFormat;

    /// Odd sizes and labels too: empty, unknown characters, too long to fit.
    #[test]
    fn draws_a_jpeg_of_the_requested_size() {
        let cases = [("Election night: 42% turnout!", 1600, 900), ("", 1, 1), ("ÜBER ünïcode ✓", 7, 500)];
        for (label, w, h) in cases.into_iter().chain([("A very long caption indeed", 500, 7)]) {
            let jpeg = demo_photo(label, usize::MAX, w, h).unwrap();
            assert_eq!(ImageFormat::sniff(&jpeg), Some(ImageFormat::Jpeg));
            let decoded = image::load_from_memory_with_format(&jpeg, image::ImageFormat::Jpeg).unwrap();
            assert_eq!((decoded.width(), decoded.height()), (w, h));
        }
        assert!(demo_photo("x", 0, 0, 10).is_err());
        assert!(demo_photo("x", 0, 10, MAX_SIDE + 1).is_err());
    }

    #[test]
    fn is_deterministic_and_differs_by_label_and_index() {
        let a = demo_photo("Harbour", 0, 320, 180).unwrap();
        assert_eq!(a, demo_photo("Harbour", 0, 320, 180).unwrap());
        assert_ne!(a, demo_photo("Market", 0, 320, 180).unwrap());
        assert_ne!(a, demo_photo("Harbour", 1, 320, 180).unwrap());
    }

    #[test]
    fn the_font_has_every_letter_and_digit() {
        assert!(('A'..='Z').chain('0'..='9').all(|c| CHARS.contains(c)));
        assert_eq!(CHARS.len(), GLYPHS.len());
        assert!(GLYPHS.iter().all(|g| g & !0x1F_1F_1F_1F_1F_1F_1F == 0), "glyphs are 5 wide, 7 high");
    }
}
