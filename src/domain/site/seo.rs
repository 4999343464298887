//! What search engines and social cards show of an article: overrides an
//! editor sets, with fallbacks to the article's own title, summary, cover
//! and address.

use crate::domain::article::{Article, web_url};
use crate::domain::field::{AllValid, FieldError, Invalid};
use crate::domain::text::{SeoDescription, SeoTitle};

use super::{PageImage, Site};

/// The overrides as kept; `None` falls back to the article's own.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SeoFields {
    pub title: Option<String>,
    pub description: Option<String>,
    /// Absolute http(s).
    pub image_url: Option<String>,
    /// Absolute http(s): where the story first ran, for a syndicated copy.
    pub canonical_url: Option<String>,
}

/// Changes to the overrides: `None` leaves one as it is, `Some(None)`
/// clears it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SeoChange {
    pub title: Option<Option<String>>,
    pub description: Option<Option<String>>,
    pub image_url: Option<Option<String>>,
    pub canonical_url: Option<Option<String>>,
}

/// The text as asked for: blank clears.
fn text<T>(
    raw: Option<Option<&str>>,
    parse: impl Fn(&str) -> Result<T, FieldError>,
    into: impl Fn(T) -> String,
) -> Result<Option<Option<String>>, FieldError> {
    match raw {
        None => Ok(None),
        Some(None) => Ok(Some(None)),
        Some(Some(raw)) if raw.trim().is_empty() => Ok(Some(None)),
        Some(Some(raw)) => parse(raw).map(|v| Some(Some(into(v)))),
    }
}

impl SeoChange {
    /// The change, every refusal named `{prefix}.{field}` (`prefix` may be
    /// `seo` or `seo.` style, as each API spells its members).
    pub fn parse(
        title: Option<Option<&str>>,
        description: Option<Option<&str>>,
        image_url: Option<Option<&str>>,
        canonical_url: Option<Option<&str>>,
        names: [&str; 4],
    ) -> Result<Self, Invalid> {
        let (title, description, image_url, canonical_url) = (
            text(title, |t| SeoTitle::parse(t, names[0]), SeoTitle::into_string),
            text(description, |d| SeoDescription::parse(d, names[1]), SeoDescription::into_string),
            text(image_url, |u| web_url(u, names[2]), |u| u),
            text(canonical_url, |u| web_url(u, names[3]), |u| u),
        )
            .all_valid()?;
        Ok(Self { title, description, image_url, canonical_url })
    }

    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// The overrides after this change.
    pub fn apply(&self, to: &SeoFields) -> SeoFields {
        let pick = |change: &Option<Option<String>>, kept: &Option<String>| match change {
            Some(new) => new.clone(),
            None => kept.clone(),
        };
        SeoFields {
            title: pick(&self.title, &to.title),
            description: pick(&self.description, &to.description),
            image_url: pick(&self.image_url, &to.image_url),
            canonical_url: pick(&self.canonical_url, &to.canonical_url),
        }
    }
}

/// What a page's `<head>` says of an article: each override, or its fallback.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seo {
    /// The SEO title, or the headline.
    pub title: String,
    /// The meta description, or the summary.
    pub description: String,
    /// The social image, or the cover (1200 wide from the library); none
    /// without either.
    pub image_url: Option<String>,
    /// The canonical override, or the article's own address.
    pub canonical_url: String,
}

impl Site {
    pub fn seo(&self, article: &Article) -> Seo {
        let own = &article.seo;
        Seo {
            title: own.title.clone().unwrap_or_else(|| article.title.clone()),
            description: own.description.clone().unwrap_or_else(|| article.summary.clone()),
            image_url: own
                .image_url
                .clone()
                .or_else(|| PageImage::cover_of(article).map(|image| self.own_url(&image.url))),
            canonical_url: own.canonical_url.clone().unwrap_or_else(|| self.article_url(article)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::article::CoverImage;

    const NAMES: [&str; 4] = ["seo.title", "seo.description", "seo.image_url", "seo.canonical_url"];

    fn site() -> Site {
        Site {
            public_url: "https://news.example.org".parse().unwrap(),
            name: "The Example Times".into(),
            language: Default::default(),
            urls: Default::default(),
        }
    }

    #[test]
    fn without_overrides_the_article_speaks_for_itself() {
        let mut article = Article::example("rates-rise", "economy", chrono::Utc::now());
        let seo = site().seo(&article);
        assert_eq!(seo.title, article.title);
        assert_eq!(seo.description, article.summary);
        assert_eq!(seo.image_url, None);
        assert_eq!(seo.canonical_url, "https://news.example.org/economy/rates-rise");
        article.cover_image =
            Some(CoverImage::parse("https://img.example.com/a.jpg", None, "cover").unwrap());
        assert_eq!(site().seo(&article).image_url.as_deref(), Some("https://img.example.com/a.jpg"));
    }

    #[test]
    fn overrides_win_and_blank_clears_them() {
        let mut article = Article::example("rates-rise", "economy", chrono::Utc::now());
        let change = SeoChange::parse(
            Some(Some(" Rates rise again ")),
            None,
            Some(Some("https://img.example.com/card.png")),
            Some(Some("https://wire.example.com/story/1")),
            NAMES,
        )
        .unwrap();
        article.seo = change.apply(&article.seo);
        let seo = site().seo(&article);
        assert_eq!(seo.title, "Rates rise again");
        assert_eq!(seo.description, article.summary);
        assert_eq!(seo.image_url.as_deref(), Some("https://img.example.com/card.png"));
        assert_eq!(seo.canonical_url, "https://wire.example.com/story/1");
        let clear = SeoChange::parse(Some(Some("  ")), None, Some(None), None, NAMES).unwrap();
        article.seo = clear.apply(&article.seo);
        assert_eq!(article.seo.title, None);
        assert_eq!(article.seo.image_url, None);
        assert_eq!(article.seo.canonical_url.as_deref(), Some("https://wire.example.com/story/1"));
    }

    #[test]
    fn bad_overrides_are_named() {
        let long = "x".repeat(201);
        let Err(Invalid(errors)) = SeoChange::parse(
            Some(Some(&long)),
            None,
            Some(Some("/card.png")),
            Some(Some("javascript:x")),
            NAMES,
        ) else {
            panic!()
        };
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["seo.title", "seo.image_url", "seo.canonical_url"]);
    }
}
