use std::fmt;

use super::field::FieldError;

const MAX_LEN: usize = 100;
/// What [`Slug::parse`] accepts, as a regular expression (for the contract).
pub const SLUG_PATTERN: &str = "^[a-z0-9]+(-[a-z0-9]+)*$";
/// Slugs derived from titles stop at a word boundary before this length.
const DERIVED_MAX_LEN: usize = 80;

/// A URL-safe name: lower-case ASCII letters and digits in hyphen-separated words.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Slug(String);

impl Slug {
    pub const MAX_LEN: usize = MAX_LEN;

    /// Accepts a slug exactly as given (after trimming), or says why not.
    pub fn parse(raw: &str, field: &str) -> Result<Self, FieldError> {
        let s = raw.trim();
        let well_formed = !s.is_empty()
            && s.len() <= MAX_LEN
            && s.split('-').all(|word| {
                !word.is_empty() && word.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            });
        if well_formed {
            Ok(Self(s.to_owned()))
        } else {
            Err(FieldError::new(
                field,
                format!(
                    "must be 1-{MAX_LEN} lower-case letters, digits and single hyphens, like `world-news`"
                ),
            ))
        }
    }

    /// Derives a slug from free text ("Zürich: Rates rise!" → "zurich-rates-rise").
    /// `None` when the text has nothing to transliterate.
    pub fn derive(text: &str) -> Option<Self> {
        let full = slug::slugify(text);
        let mut out = String::new();
        for word in full.split('-').filter(|w| !w.is_empty()) {
            let extra = if out.is_empty() { word.len() } else { word.len() + 1 };
            if out.len() + extra > DERIVED_MAX_LEN {
                if out.is_empty() {
                    out.push_str(&word[..DERIVED_MAX_LEN]);
                }
                break;
            }
            if !out.is_empty() {
                out.push('-');
            }
            out.push_str(word);
        }
        (!out.is_empty()).then_some(Self(out))
    }

    /// This slug with a numeric suffix, for resolving a clash ("rates-rise-2").
    pub fn with_suffix(&self, n: u32) -> Self {
        let suffix = format!("-{n}");
        let keep = self.0.len().min(MAX_LEN - suffix.len());
        let base = self.0[..keep].trim_end_matches('-');
        Self(format!("{base}{suffix}"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

impl std::str::FromStr for Slug {
    type Err = FieldError;

    fn from_str(raw: &str) -> Result<Self, FieldError> {
        Self::parse(raw, "slug")
    }
}

/// The slug of something new: the one asked for, or one derived from its
/// title or name (which may then take a suffix to be unique).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SlugChoice {
    Given(Slug),
    Derived(Slug),
}

impl SlugChoice {
    /// `given`, or else derived from `text`; `text_field` is refused when
    /// it has nothing to derive a slug from.
    pub fn new(given: Option<Slug>, text: &str, text_field: &str) -> Result<Self, FieldError> {
        match given {
            Some(slug) => Ok(Self::Given(slug)),
            None => Slug::derive(text)
                .map(Self::Derived)
                .ok_or_else(|| FieldError::new(text_field, "must contain letters or digits")),
        }
    }

    pub fn slug(&self) -> &Slug {
        match self {
            Self::Given(slug) | Self::Derived(slug) => slug,
        }
    }

    pub fn into_slug(self) -> Slug {
        match self {
            Self::Given(slug) | Self::Derived(slug) => slug,
        }
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_well_formed_slugs() {
        assert_eq!(Slug::parse(" world-news ", "slug").unwrap().as_str(), "world-news");
        assert!(Slug::parse("covid19", "slug").is_ok());
    }

    #[test]
    fn refuses_malformed_slugs() {
        for bad in ["", "World", "a--b", "-a", "a-", "a b", "a_b", "ü", "a/b", &"a".repeat(101)] {
            assert!(Slug::parse(bad, "slug").is_err(), "{bad:?}");
        }
    }

    #[test]
    fn derives_from_titles() {
        assert_eq!(Slug::derive("Zürich: Rates rise!").unwrap().as_str(), "zurich-rates-rise");
        assert_eq!(Slug::derive("  <b>Hello</b> World  ").unwrap().as_str(), "b-hello-b-world");
        assert!(Slug::derive("!!!").is_none());
        let long = Slug::derive(&"word ".repeat(40)).unwrap();
        assert!(long.as_str().len() <= DERIVED_MAX_LEN && !long.as_str().ends_with('-'));
        assert!(Slug::parse(long.as_str(), "slug").is_ok());
    }

    #[test]
    fn new_things_take_the_given_slug_or_derive_one() {
        let given = Slug::parse("rates", "slug").unwrap();
        assert_eq!(SlugChoice::new(Some(given.clone()), "!!!", "title"), Ok(SlugChoice::Given(given)));
        assert_eq!(SlugChoice::new(None, "Rates rise", "title").unwrap().slug().as_str(), "rates-rise");
        assert_eq!(SlugChoice::new(None, "!!!", "name").unwrap_err().field, "name");
    }

    #[test]
    fn suffixes_stay_valid() {
        let long = Slug::parse(&"a".repeat(100), "slug").unwrap();
        let suffixed = long.with_suffix(12);
        assert!(suffixed.as_str().len() <= MAX_LEN && suffixed.as_str().ends_with("-12"));
        assert!(Slug::parse(suffixed.as_str(), "slug").is_ok());
    }
}
