//! The site's language, and with it how search matches words: "launches"
//! finds "launched" in English, "Häuser" finds "Haus" in German. Both engines
//! stem with the same Snowball algorithms (PostgreSQL's Snowball dictionaries,
//! and `rust-stemmers` for SQLite and for snippets), so a search matches the
//! same stories on either.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use rust_stemmers::{Algorithm, Stemmer};

/// A language tag (`en`, `de`, `pt-BR`…) and the stemming that follows it.
#[derive(Clone)]
pub struct SiteLanguage {
    tag: String,
    stemming: Stemming,
}

/// How words are reduced before they are indexed and searched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stemming {
    /// The Snowball language (`english`), as PostgreSQL names it; the index
    /// records it as what it was built with.
    name: &'static str,
    algorithm: Option<Algorithm>,
}

/// The languages with a stemmer on both engines, by ISO 639-1 code. Any
/// other language searches whole words (and prefixes), unstemmed.
const STEMMED: [(&str, &str, Algorithm); 20] = [
    ("ar", "arabic", Algorithm::Arabic),
    ("da", "danish", Algorithm::Danish),
    ("de", "german", Algorithm::German),
    ("el", "greek", Algorithm::Greek),
    ("en", "english", Algorithm::English),
    ("es", "spanish", Algorithm::Spanish),
    ("fi", "finnish", Algorithm::Finnish),
    ("fr", "french", Algorithm::French),
    ("hu", "hungarian", Algorithm::Hungarian),
    ("it", "italian", Algorithm::Italian),
    ("nb", "norwegian", Algorithm::Norwegian),
    ("nl", "dutch", Algorithm::Dutch),
    ("nn", "norwegian", Algorithm::Norwegian),
    ("no", "norwegian", Algorithm::Norwegian),
    ("pt", "portuguese", Algorithm::Portuguese),
    ("ro", "romanian", Algorithm::Romanian),
    ("ru", "russian", Algorithm::Russian),
    ("sv", "swedish", Algorithm::Swedish),
    ("ta", "tamil", Algorithm::Tamil),
    ("tr", "turkish", Algorithm::Turkish),
];

/// Words are kept as they are (lower-cased).
const UNSTEMMED: Stemming = Stemming { name: "simple", algorithm: None };

impl SiteLanguage {
    /// The language tag, as given (`pt-BR`).
    pub fn tag(&self) -> &str {
        &self.tag
    }

    pub fn stemming(&self) -> Stemming {
        self.stemming
    }
}

impl Default for SiteLanguage {
    fn default() -> Self {
        "en".parse().unwrap_or_else(|_| Self { tag: "en".into(), stemming: UNSTEMMED })
    }
}

impl FromStr for SiteLanguage {
    type Err = String;

    /// A BCP 47 tag: a two- or three-letter language, then optional subtags
    /// (`en`, `en-GB`, `pt-BR`, `zh-Hant`).
    fn from_str(raw: &str) -> Result<Self, String> {
        let refused = || format!("`{raw}` is not a language tag such as `en`, `de` or `pt-BR`");
        let mut parts = raw.split('-');
        let language = parts.next().unwrap_or_default();
        if !(2..=3).contains(&language.len()) || !language.chars().all(|c| c.is_ascii_alphabetic()) {
            return Err(refused());
        }
        if !parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric())) {
            return Err(refused());
        }
        let language = language.to_ascii_lowercase();
        let stemming = STEMMED
            .iter()
            .find(|(code, _, _)| *code == language)
            .map_or(UNSTEMMED, |&(_, name, algorithm)| Stemming { name, algorithm: Some(algorithm) });
        Ok(Self { tag: raw.to_owned(), stemming })
    }
}

impl fmt::Display for SiteLanguage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.tag)
    }
}

impl fmt::Debug for SiteLanguage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.tag, self.stemming.name)
    }
}

impl Stemming {
    /// `english`, `german`…, or `simple` for none: the Snowball language.
    pub fn name(self) -> &'static str {
        self.name
    }

    /// The PostgreSQL text search configuration search uses: the language's
    /// Snowball stemmer without its stop-word list (PostgreSQL's own
    /// `english` drops "us", "who" and "the", which SQLite keeps, so the two
    /// engines would find different stories), or `simple`.
    pub fn postgres_config(self) -> String {
        match self.algorithm {
            Some(_) => format!("newsdesk_{}", self.name),
            None => UNSTEMMED.name.to_owned(),
        }
    }

    /// Whether words are reduced at all.
    pub fn stems(self) -> bool {
        self.algorithm.is_some()
    }

    /// The stem of one lower-cased word.
    pub fn stem(self, word: &str) -> Cow<'_, str> {
        match self.algorithm {
            Some(algorithm) => Cow::Owned(Stemmer::create(algorithm).stem(word).into_owned()),
            None => Cow::Borrowed(word),
        }
    }

    /// `text` as the index holds it: each run of letters and digits
    /// lower-cased and stemmed, separated by spaces.
    pub fn index_text(self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let Some(algorithm) = self.algorithm else {
            for word in words(text) {
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push_str(&word.to_lowercase());
            }
            return out;
        };
        STEMS.with_borrow_mut(|stems| {
            if stems.stemming != self.name {
                *stems = Stems { stemming: self.name, ..Stems::default() };
            }
            let stemmer = Stemmer::create(algorithm);
            let mut lower = String::new();
            for word in words(text) {
                if !out.is_empty() {
                    out.push(' ');
                }
                lower.clear();
                lower.extend(word.chars().flat_map(char::to_lowercase));
                if let Some(stem) = stems.known.get(&lower) {
                    out.push_str(stem);
                    continue;
                }
                let stem = stemmer.stem(&lower).into_owned();
                out.push_str(&stem);
                if stems.known.len() >= STEMS_KEPT {
                    stems.known.clear();
                }
                stems.known.insert(lower.clone(), stem);
            }
        });
        out
    }
}

/// The runs of letters and digits in `text`.
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty())
}

/// Words stemmed lately on this thread: a story's vocabulary repeats, and
/// indexing an archive stems millions of words, most of them seen before.
#[derive(Default)]
struct Stems {
    stemming: &'static str,
    known: HashMap<String, String>,
}

/// Words kept per thread (about a megabyte), after which it starts over.
const STEMS_KEPT: usize = 20_000;

thread_local! {
    static STEMS: RefCell<Stems> = RefCell::new(Stems::default());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn language(tag: &str) -> SiteLanguage {
        tag.parse().unwrap()
    }

    #[test]
    fn tags_choose_their_stemmer() {
        assert_eq!(language("en").stemming().name(), "english");
        assert_eq!(language("en-GB").stemming().name(), "english");
        assert_eq!(language("DE").stemming().name(), "german");
        assert_eq!(language("pt-BR").stemming().name(), "portuguese");
        assert_eq!(language("nb").stemming().name(), "norwegian");
        assert_eq!(language("ja").stemming().name(), "simple");
        assert!(!language("ja").stemming().stems());
        assert_eq!(language("de").stemming().postgres_config(), "newsdesk_german");
        assert_eq!(language("ja").stemming().postgres_config(), "simple");
        assert_eq!(SiteLanguage::default().stemming().name(), "english");
        for refused in ["", "e", "english", "en_GB", "en-", "de-toolongsubtag", "en GB", "é"] {
            assert!(refused.parse::<SiteLanguage>().is_err(), "{refused}");
        }
    }

    #[test]
    fn text_is_indexed_as_lower_cased_stems() {
        let english = language("en").stemming();
        assert_eq!(
            english.index_text("Rockets LAUNCHED, launching: launches!"),
            "rocket launch launch launch"
        );
        assert_eq!(english.stem("energy"), "energi");
        let german = language("de").stemming();
        assert_eq!(german.index_text("Häuser"), german.index_text("Haus"));
        assert_eq!(language("ja").stemming().index_text("Tokyo 2026 Ölpreis"), "tokyo 2026 ölpreis");
    }
}
