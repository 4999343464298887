//! Distribution: every feed and sitemap read back with real parsers, the
//! public addresses they are written with, and the cache headers a CDN
//! purges by.

mod feeds;
mod redirects;
mod seo;
mod sitemaps;
mod urls;
