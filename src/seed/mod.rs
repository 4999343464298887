//! Content for an empty database: the demo newsroom (hand-written stories)
//! and a generator for benchmark-size data sets.

pub mod bulk;
pub mod demo;
mod images;
pub mod media;
mod rng;
mod words;

/// The password of every seeded account, documented in the README.
pub const DEMO_PASSWORD: &str = "newsdesk-demo";
