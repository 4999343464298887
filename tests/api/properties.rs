//! Properties of the parsers every request goes through, over arbitrary
//! input: none panics, and what each accepts reads back as itself.

use newsdesk::domain::filters::SearchText;
use newsdesk::domain::markdown;
use newsdesk::domain::page::{ArticleCursor, ArticleOrder, CursorKind, KeyCursor, SearchCursor};
use newsdesk::domain::{Email, Slug, TagId};
use proptest::prelude::*;

proptest! {
    #[test]
    fn cursors_refuse_what_they_did_not_write(raw in ".{0,200}") {
        for order in [ArticleOrder::Published, ArticleOrder::Created, ArticleOrder::Relevance] {
            let _ = ArticleCursor::decode(&raw, order, "cursor");
        }
        let _ = SearchCursor::decode(&raw, "cursor");
        let _ = KeyCursor::<String>::decode(CursorKind::Tags, &raw, "cursor");
        let _ = KeyCursor::<TagId>::decode(CursorKind::Users, &raw, "cursor");
    }

    #[test]
    fn key_cursors_read_back_as_written(slug in "[a-z0-9]{1,20}(-[a-z0-9]{1,10}){0,3}") {
        let written = KeyCursor(slug.clone()).encode(CursorKind::Tags);
        prop_assert_eq!(KeyCursor::<String>::decode(CursorKind::Tags, &written, "cursor").unwrap().0, slug);
        prop_assert!(KeyCursor::<String>::decode(CursorKind::Users, &written, "cursor").is_err(), "another list's");
    }

    #[test]
    fn slugs_are_what_they_say_and_derived_ones_parse(raw in "\\PC{0,120}") {
        if let Ok(slug) = Slug::parse(&raw, "slug") {
            prop_assert!(slug.as_str().split('-').all(|w| !w.is_empty()
                && w.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())));
        }
        if let Some(derived) = Slug::derive(&raw) {
            prop_assert!(Slug::parse(derived.as_str(), "slug").is_ok(), "{}", derived.as_str());
        }
    }

    #[test]
    fn accepted_emails_are_plain_and_stable(raw in "[a-zA-Z0-9.+_<>\\[\\]@\"-]{0,40}") {
        if let Ok(email) = Email::parse(&raw, "email") {
            prop_assert!(!email.as_str().contains(['<', '>', '[', ']', '"']), "{}", email.as_str());
            prop_assert_eq!(Email::parse(email.as_str(), "email").unwrap(), email.clone());
        }
    }

    #[test]
    fn rendered_markdown_never_carries_script(raw in "(\\PC|<script>|<img onerror=x>|javascript:|\\[a\\]\\(|\\n){0,60}") {
        let html = markdown::render(&raw).to_lowercase();
        // Inside every tag: no script, no event handler, no javascript: link
        // (as text, outside tags, the words are harmless and kept).
        for tag in html.split('<').skip(1).filter_map(|rest| rest.split_once('>').map(|(tag, _)| tag)) {
            prop_assert!(!tag.starts_with("script"), "<{}>", tag);
            // Outside quotes, the attribute names: no event handler. Inside,
            // the values: no javascript: URL (the words inside a value are
            // only text, as in `href="img%20onerror=x"`).
            for (n, part) in tag.split('"').enumerate() {
                if n % 2 == 0 {
                    prop_assert!(!part.contains("onerror"), "<{}>", tag);
                } else {
                    prop_assert!(!part.trim_start().starts_with("javascript:"), "<{}>", tag);
                }
            }
        }
    }

    #[test]
    fn search_text_is_bounded_words(raw in "\\PC{0,300}") {
        if let Ok(Some(text)) = SearchText::parse(&raw, "q") {
            let words = text.words();
            prop_assert!(words.len() <= 32);
            // Letters and digits, and what lower-casing them gives (`İ` is `i`
            // and a combining dot): never a character of query syntax.
            prop_assert!(words.iter().all(|w| !w.is_empty() && w.chars().all(|c| !c.is_ascii() || c.is_ascii_alphanumeric())));
        }
    }
}
