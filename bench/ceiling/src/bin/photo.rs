//! A photo-like JPEG for the benchmark's uploads, drawn rather than shipped:
//! a sky darkening upwards with soft clouds and a sun, hills, a row of
//! buildings with lit windows, textured ground, and film grain. The same
//! arguments always draw the same bytes. At the default 4000 × 3000
//! (12 megapixels) and quality 85 the file is about 2 MB, a newsroom
//! camera's JPEG after an editor's export.
//!
//! Usage: `bench-photo <out.jpg> [width height [quality]]`

use std::error::Error;
use std::io::BufWriter;

use image::codecs::jpeg::JpegEncoder;
use image::{ExtendedColorType, ImageEncoder, Rgb, RgbImage};

fn main() -> Result<(), Box<dyn Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(out) = args.first() else {
        return Err("usage: bench-photo <out.jpg> [width height [quality]]".into());
    };
    let number = |i: usize, default: u32| -> Result<u32, Box<dyn Error>> {
        args.get(i).map_or(Ok(default), |v| v.parse().map_err(|e| format!("{v}: {e}").into()))
    };
    let (width, height) = (number(1, 4000)?.max(16), number(2, 3000)?.max(16));
    let quality = u8::try_from(number(3, 85)?.clamp(1, 100))?;
    let image = draw(width, height);
    let file = BufWriter::new(std::fs::File::create(out)?);
    JpegEncoder::new_with_quality(file, quality).write_image(
        image.as_raw(),
        width,
        height,
        ExtendedColorType::Rgb8,
    )?;
    Ok(())
}

fn draw(width: u32, height: u32) -> RgbImage {
    let (w, h) = (f64::from(width), f64::from(height));
    let buildings = Buildings::new(7);
    let mut grain = Rng(0x5eed);
    // Coordinates from 0 to 1 across; the aspect kept downwards.
    let bottom = h / w;
    let horizons: Vec<f64> = (0..width)
        .map(|x| f64::from(x) / w)
        .map(|u| bottom * (0.55 + 0.04 * (u * 7.0).sin()) + 0.06 * fbm(u * 3.0, 0.5, 3))
        .collect();
    RgbImage::from_fn(width, height, |x, y| {
        let (u, v) = (f64::from(x) / w, f64::from(y) / w);
        let horizon = horizons[x as usize];
        let colour = if let Some(lit) = buildings.at(u, v, bottom * 0.56) {
            lit
        } else if v < horizon {
            sky(u, v / horizon)
        } else {
            ground(u, v, (v - horizon) / (bottom - horizon).max(1e-9))
        };
        Rgb(colour.map(|c| (c + f64::from(grain.next() % 17) - 8.0).clamp(0.0, 255.0) as u8))
    })
}

/// The sky at `t` (0 at the top, 1 at the horizon): blue to pale, soft
/// clouds, a sun with its glow.
fn sky(u: f64, t: f64) -> [f64; 3] {
    let mut c = mix([38.0, 86.0, 168.0], [196.0, 214.0, 232.0], t.powf(0.8));
    let cloud = (fbm(u * 5.0, t * 3.0, 5) - 0.1).clamp(0.0, 0.6) / 0.6;
    c = mix(c, [245.0, 245.0, 248.0], cloud * 0.85);
    let sun = ((u - 0.78).powi(2) + ((t - 0.3) * 0.55).powi(2)).sqrt();
    mix(c, [255.0, 246.0, 214.0], (1.0 - sun / 0.09).clamp(0.0, 1.0).powi(2))
}

/// The ground at `t` (0 at the horizon, 1 at the bottom): fields going
/// from hazy far away to detailed and darker close by.
fn ground(u: f64, v: f64, t: f64) -> [f64; 3] {
    let field = fbm(u * 6.0, v * 14.0, 4);
    let base = mix([118.0, 140.0, 92.0], [62.0, 96.0, 40.0], t);
    let soil = mix(base, [120.0, 92.0, 60.0], (field * 1.6).clamp(0.0, 1.0));
    let detail = fbm(u * 180.0, v * 260.0, 2) * 40.0 * t;
    let haze = 1.0 - t.min(0.3) / 0.3;
    mix(soil.map(|c| c + detail), [190.0, 200.0, 205.0], haze * 0.35)
}

/// A row of buildings standing on the horizon, with windows.
struct Buildings(Vec<(f64, f64, f64, [f64; 3])>);

impl Buildings {
    fn new(seed: u64) -> Self {
        let mut rng = Rng(seed);
        let mut left = 0.05;
        let mut blocks = Vec::new();
        while left < 0.6 {
            let width = 0.02 + f64::from(rng.next() % 40) / 1000.0;
            let height = 0.03 + f64::from(rng.next() % 120) / 1000.0;
            let grey = 70.0 + f64::from(rng.next() % 90);
            blocks.push((left, width, height, [grey, grey * 0.95, grey * 0.9]));
            left += width + f64::from(rng.next() % 12) / 1000.0;
        }
        Self(blocks)
    }

    fn at(&self, u: f64, v: f64, base: f64) -> Option<[f64; 3]> {
        let &(left, width, height, wall) =
            self.0.iter().find(|(l, w, tall, _)| u >= *l && u < l + w && v <= base && v > base - tall)?;
        let (wx, wy) = ((u - left) / 0.006, (base - v) / 0.008);
        let window = wx.fract() > 0.35 && wy.fract() > 0.4 && wx > 1.0 && (base - v) < height - 0.006;
        let shade = 0.85 + 0.15 * (u - left) / width;
        let lit = hash(wx.floor() as i64, wy.floor() as i64).is_multiple_of(3);
        Some(match (window, lit) {
            (true, true) => [230.0, 205.0, 140.0],
            (true, false) => [40.0, 48.0, 60.0],
            _ => wall.map(|c| c * shade),
        })
    }
}

fn mix(a: [f64; 3], b: [f64; 3], t: f64) -> [f64; 3] {
    [0, 1, 2].map(|i| a[i] + (b[i] - a[i]) * t)
}

/// Value noise summed over `octaves`, about -0.5 to 0.5.
fn fbm(x: f64, y: f64, octaves: u32) -> f64 {
    (0..octaves).map(|o| f64::from(1 << o)).map(|f| (value_noise(x * f, y * f) - 0.5) / f).sum()
}

fn value_noise(x: f64, y: f64) -> f64 {
    let (x0, y0) = (x.floor(), y.floor());
    let smooth = |t: f64| t * t * (3.0 - 2.0 * t);
    let (sx, sy) = (smooth(x - x0), smooth(y - y0));
    let corner = |dx: i64, dy: i64| f64::from(hash(x0 as i64 + dx, y0 as i64 + dy) % 1024) / 1023.0;
    let top = corner(0, 0) + (corner(1, 0) - corner(0, 0)) * sx;
    let bottom = corner(0, 1) + (corner(1, 1) - corner(0, 1)) * sx;
    top + (bottom - top) * sy
}

fn hash(x: i64, y: i64) -> u32 {
    Rng((x as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ (y as u64).wrapping_mul(0xc2b2_ae3d_27d4_eb4f))
        .next()
}

/// splitmix64: small, fast and the same everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u32 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        (z ^ (z >> 31)) as u32
    }
}
