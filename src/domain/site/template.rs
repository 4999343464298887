//! URL templates: `{public_url}/{section}/{slug}`, checked when read so that
//! a typo in a placeholder stops the service at start, not in a feed.

use super::PublicUrl;

/// What a template may ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placeholder {
    Slug,
    Id,
    /// An article's section slug.
    Section,
    /// The date of publication (of creation, before it), in UTC.
    Year,
    Month,
    Day,
}

impl Placeholder {
    pub const FOR_ARTICLES: &[Placeholder] =
        &[Self::Slug, Self::Id, Self::Section, Self::Year, Self::Month, Self::Day];
    pub const FOR_SECTIONS: &[Placeholder] = &[Self::Slug, Self::Id];
    pub const FOR_TAGS: &[Placeholder] = &[Self::Slug, Self::Id];
    pub const FOR_AUTHORS: &[Placeholder] = &[Self::Id];

    fn name(self) -> &'static str {
        match self {
            Self::Slug => "slug",
            Self::Id => "id",
            Self::Section => "section",
            Self::Year => "yyyy",
            Self::Month => "mm",
            Self::Day => "dd",
        }
    }

    fn named(name: &str) -> Option<Self> {
        [Self::Slug, Self::Id, Self::Section, Self::Year, Self::Month, Self::Day]
            .into_iter()
            .find(|p| p.name() == name)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text(String),
    PublicUrl,
    Value(Placeholder),
}

/// A page address with placeholders in braces. It starts with
/// `{public_url}` (the page is on the site) or is absolute itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlTemplate(Vec<Part>);

impl UrlTemplate {
    pub const ARTICLE_DEFAULT: &str = "{public_url}/{section}/{slug}";
    pub const SECTION_DEFAULT: &str = "{public_url}/{slug}";
    pub const TAG_DEFAULT: &str = "{public_url}/tags/{slug}";
    pub const AUTHOR_DEFAULT: &str = "{public_url}/authors/{id}";

    /// `raw`, if every placeholder is `{public_url}` or one of `allowed`,
    /// and some placeholder tells one page from another.
    pub fn parse(raw: &str, allowed: &[Placeholder]) -> Result<Self, String> {
        let names = || {
            let mut names = vec!["{public_url}".to_owned()];
            names.extend(allowed.iter().map(|p| format!("{{{}}}", p.name())));
            names.join(", ")
        };
        let raw = raw.trim();
        if raw.chars().any(|c| c.is_whitespace() || c.is_control()) || raw.len() > 500 {
            return Err("must be a URL without spaces".into());
        }
        let mut parts = Vec::new();
        let mut rest = raw;
        while let Some(open) = rest.find('{') {
            if open > 0 {
                parts.push(Part::Text(rest[..open].to_owned()));
            }
            let close = rest[open..].find('}').ok_or_else(|| format!("an unclosed `{{`; use {}", names()))?;
            let name = &rest[open + 1..open + close];
            parts.push(match name {
                "public_url" => Part::PublicUrl,
                _ => match Placeholder::named(name).filter(|p| allowed.contains(p)) {
                    Some(placeholder) => Part::Value(placeholder),
                    None => return Err(format!("`{{{name}}}` is not one of {}", names())),
                },
            });
            rest = &rest[open + close + 1..];
        }
        if !rest.is_empty() {
            parts.push(Part::Text(rest.to_owned()));
        }
        if rest.contains('}') || parts.iter().any(|p| matches!(p, Part::Text(t) if t.contains('}'))) {
            return Err("a `}` without its `{`".into());
        }
        let absolute = match parts.first() {
            Some(Part::PublicUrl) => true,
            Some(Part::Text(text)) => text.starts_with("https://") || text.starts_with("http://"),
            _ => false,
        };
        if !absolute {
            return Err("must start with {public_url} or http(s)://".into());
        }
        if !parts.iter().any(|p| matches!(p, Part::Value(Placeholder::Slug | Placeholder::Id))) {
            return Err("must hold {slug} or {id}, or every page would share one address".into());
        }
        Ok(Self(parts))
    }

    /// The address, each placeholder replaced by `value` of it.
    pub fn fill(&self, public_url: &PublicUrl, value: impl Fn(Placeholder) -> String) -> String {
        let mut url = String::with_capacity(96);
        for part in &self.0 {
            match part {
                Part::Text(text) => url.push_str(text),
                Part::PublicUrl => url.push_str(public_url.as_str()),
                Part::Value(placeholder) => url.push_str(&value(*placeholder)),
            }
        }
        url
    }
}
