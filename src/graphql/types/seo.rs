//! What search engines and social cards show of an article, read and set.

use async_graphql::{InputObject, MaybeUndefined, SimpleObject};

use crate::domain::field::Invalid;
use crate::domain::site::{Seo, SeoChange};

/// What a page's `<head>` says of an article: each override an editor set,
/// or its fallback.
#[derive(SimpleObject)]
#[graphql(name = "Seo")]
pub struct SeoObject {
    /// The SEO title, or the headline.
    pub title: String,
    /// The meta description, or the summary.
    pub description: String,
    /// The social (Open Graph) image, or the cover (1200 wide from the
    /// library); null without either.
    pub image_url: Option<String>,
    /// The canonical override, or the article's own `url`.
    pub canonical_url: String,
}

impl From<Seo> for SeoObject {
    fn from(s: Seo) -> Self {
        Self {
            title: s.title,
            description: s.description,
            image_url: s.image_url,
            canonical_url: s.canonical_url,
        }
    }
}

/// Search and social overrides. In an edit, a field left out stays as it
/// is; `null` or `""` clears it.
#[derive(InputObject, Default)]
pub struct SeoInput {
    /// Up to 200 characters; the title when unset.
    pub title: MaybeUndefined<String>,
    /// Up to 500 characters; the summary when unset.
    pub description: MaybeUndefined<String>,
    /// An absolute http(s) URL of the social (Open Graph) image; the cover when unset.
    pub image_url: MaybeUndefined<String>,
    /// An absolute http(s) URL where the story first ran; the article's own `url` when unset.
    pub canonical_url: MaybeUndefined<String>,
}

/// The change an input asks for, refusals named as GraphQL spells them.
pub fn seo_change(input: Option<SeoInput>) -> Result<SeoChange, Invalid> {
    let input = input.unwrap_or_default();
    let member = |m: &MaybeUndefined<String>| -> Option<Option<String>> { m.clone().into() };
    let (title, description, image_url, canonical_url) = (
        member(&input.title),
        member(&input.description),
        member(&input.image_url),
        member(&input.canonical_url),
    );
    SeoChange::parse(
        title.as_ref().map(Option::as_deref),
        description.as_ref().map(Option::as_deref),
        image_url.as_ref().map(Option::as_deref),
        canonical_url.as_ref().map(Option::as_deref),
        ["seo.title", "seo.description", "seo.imageUrl", "seo.canonicalUrl"],
    )
}
