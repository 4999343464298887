//! Article bodies are Markdown; readers get sanitized HTML rendered once, on write.
//! Images from the media library are written `![alt](media:<id>)` and
//! rendered responsive: `srcset`, `sizes`, `width`, `height` and `alt`.

use std::collections::HashSet;
use std::sync::LazyLock;

use pulldown_cmark::{CowStr, Event, LinkType, Options, Parser, Tag, TagEnd, html};

use super::ids::MediaId;
use super::media::MARKDOWN_SCHEME;
use super::snippet::escape_into;

/// An inline image of the media library, as the body shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InlineImage {
    /// The fallback `src`.
    pub src: String,
    /// `url 320w, url 640w, …`
    pub srcset: String,
    pub width: u32,
    pub height: u32,
    /// Used where the Markdown gives no alt text of its own.
    pub alt: String,
}

/// Where the layout puts body images: the full width of a column at most
/// 1024 pixels wide.
pub const INLINE_SIZES: &str = "(max-width: 1024px) 100vw, 1024px";

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_SMART_PUNCTUATION
}

/// Renders Markdown to HTML and strips anything unsafe (scripts, event
/// handlers, `javascript:` links); raw HTML in the source is sanitized the same way.
pub fn render(markdown: &str) -> String {
    render_with_images(markdown, |_| None)
}

/// [`render`], with each `media:` image the body references drawn from
/// `image` (one it does not know is left out).
pub fn render_with_images(markdown: &str, image: impl Fn(MediaId) -> Option<InlineImage>) -> String {
    let mut unsafe_html = String::with_capacity(markdown.len() * 5 / 4);
    let mut events = Parser::new_ext(markdown, options());
    let mut out = Vec::new();
    while let Some(event) = events.next() {
        match event {
            Event::Start(Tag::Image { dest_url, .. }) if media_id(&dest_url).is_some() => {
                let mut alt = String::new();
                for inner in events.by_ref() {
                    match inner {
                        Event::End(TagEnd::Image) => break,
                        Event::Text(text) | Event::Code(text) => alt.push_str(&text),
                        _ => {}
                    }
                }
                if let Some(found) = media_id(&dest_url).and_then(&image) {
                    out.push(Event::InlineHtml(CowStr::from(img_tag(&found, alt.trim()))));
                }
            }
            other => out.push(other),
        }
    }
    html::push_html(&mut unsafe_html, out.into_iter());
    SANITIZER.clean(&unsafe_html).to_string()
}

/// The media items a body's images reference, in order, once each; and
/// the references that name no valid id.
pub fn media_references(markdown: &str) -> (Vec<MediaId>, Vec<String>) {
    let (mut ids, mut bad, mut seen) = (Vec::new(), Vec::new(), HashSet::new());
    for event in Parser::new_ext(markdown, options()) {
        if let Event::Start(Tag::Image { dest_url, link_type, .. }) = event
            && link_type != LinkType::Email
            && let Some(raw) = dest_url.strip_prefix(MARKDOWN_SCHEME)
        {
            match raw.parse::<MediaId>() {
                Ok(id) if seen.insert(id) => ids.push(id),
                Ok(_) => {}
                Err(_) => bad.push(dest_url.to_string()),
            }
        }
    }
    (ids, bad)
}

fn media_id(dest: &str) -> Option<MediaId> {
    dest.strip_prefix(MARKDOWN_SCHEME)?.parse().ok()
}

fn img_tag(image: &InlineImage, alt: &str) -> String {
    let mut tag = String::from("<img src=\"");
    escape_into(&mut tag, &image.src);
    tag.push_str("\" srcset=\"");
    escape_into(&mut tag, &image.srcset);
    tag.push_str(&format!(
        "\" sizes=\"{INLINE_SIZES}\" width=\"{}\" height=\"{}\" alt=\"",
        image.width, image.height
    ));
    escape_into(&mut tag, if alt.is_empty() { &image.alt } else { alt });
    tag.push_str("\" loading=\"lazy\" decoding=\"async\">");
    tag
}

/// ammonia's defaults, and the responsive-image attributes on `img`; a
/// `srcset` only when every candidate is one of ours (root-relative
/// `/media/` paths), since ammonia does not check the URLs inside it.
static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    builder.add_tag_attributes("img", ["srcset", "sizes", "loading", "decoding"]);
    builder.attribute_filter(|element, attribute, value| {
        let ours = |v: &str| v.split(',').all(|candidate| candidate.trim().starts_with("/media/"));
        if element == "img" && attribute == "srcset" && !ours(value) { None } else { Some(value.into()) }
    });
    builder
});

/// The words of a Markdown text without its markup, for search snippets.
pub fn plain_text(markdown: &str) -> String {
    use pulldown_cmark::{Event, TagEnd};
    let mut out = String::with_capacity(markdown.len());
    for event in Parser::new(markdown) {
        match event {
            Event::Text(text) | Event::Code(text) => out.push_str(&text),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            // Between blocks, not inside a sentence (after a link or bold).
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::BlockQuote(_)
                | TagEnd::CodeBlock
                | TagEnd::TableCell
                | TagEnd::FootnoteDefinition,
            ) => out.push(' '),
            _ => {}
        }
    }
    out
}

/// Minutes to read at 200 words a minute, rounded up, at least one.
pub fn reading_time_minutes(markdown: &str) -> i32 {
    let words = markdown.split_whitespace().filter(|w| w.chars().any(char::is_alphanumeric)).count();
    i32::try_from(words.div_ceil(200)).unwrap_or(i32::MAX).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_keeps_the_words_and_drops_the_markup() {
        let text = plain_text("## Rates\n\nThe bank **held** [rates](https://x.example).\n\n- one\n- two");
        assert_eq!(
            text.split_whitespace().collect::<Vec<_>>(),
            ["Rates", "The", "bank", "held", "rates.", "one", "two"]
        );
    }

    #[test]
    fn renders_markdown() {
        let html = render("## Rates\n\nThe bank **held** rates.\n\n- one\n- two");
        assert!(html.contains("<h2>Rates</h2>"));
        assert!(html.contains("<strong>held</strong>"));
        assert!(html.contains("<li>one</li>"));
    }

    #[test]
    fn strips_scripts_and_handlers() {
        let html =
            render("<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[x](javascript:alert(1))");
        assert!(!html.contains("<script"));
        assert!(!html.contains("onerror"));
        assert!(!html.contains("javascript:"));
    }

    #[test]
    fn media_images_render_responsive_and_others_stay_out() {
        let id: MediaId = "0192f0c4-8f7e-7c3a-9d6e-4a1b2c3d4e5f".parse().unwrap();
        let image = InlineImage {
            src: "/media/ab/1024.jpg".into(),
            srcset: "/media/ab/320.webp 320w, /media/ab/640.webp 640w".into(),
            width: 1024,
            height: 683,
            alt: "The harbour at dawn".into(),
        };
        let markdown =
            format!("Intro\n\n![]({MARKDOWN_SCHEME}{id})\n\n![Salt & pepper]({MARKDOWN_SCHEME}{id})");
        let html = render_with_images(&markdown, |wanted| (wanted == id).then(|| image.clone()));
        assert!(html.contains(r#"srcset="/media/ab/320.webp 320w, /media/ab/640.webp 640w""#), "{html}");
        assert!(html.contains(r#"width="1024" height="683""#), "{html}");
        assert!(html.contains(r#"alt="The harbour at dawn""#), "{html}");
        assert!(html.contains(r#"alt="Salt &amp; pepper""#), "{html}");
        assert!(html.contains(&format!(r#"sizes="{INLINE_SIZES}""#)), "{html}");
        // Unknown images vanish; raw HTML cannot smuggle a foreign srcset.
        let html = render_with_images(&markdown, |_| None);
        assert!(!html.contains("<img"), "{html}");
        let html = render(r#"<img src="/x.png" srcset="https://evil.example/a.png 1x">"#);
        assert!(!html.contains("srcset"), "{html}");
    }

    #[test]
    fn media_references_are_listed_once_and_bad_ones_named() {
        let id = "0192f0c4-8f7e-7c3a-9d6e-4a1b2c3d4e5f";
        let markdown =
            format!("![a](media:{id}) ![b](media:{id}) ![c](media:nope) ![d](https://x.example/d.png)");
        let (ids, bad) = media_references(&markdown);
        assert_eq!(ids.iter().map(ToString::to_string).collect::<Vec<_>>(), [id]);
        assert_eq!(bad, ["media:nope"]);
    }

    #[test]
    fn reading_time_rounds_up_and_is_at_least_one() {
        assert_eq!(reading_time_minutes(""), 1);
        assert_eq!(reading_time_minutes(&"word ".repeat(200)), 1);
        assert_eq!(reading_time_minutes(&"word ".repeat(201)), 2);
        assert_eq!(reading_time_minutes("- * -- ###"), 1);
    }
}
