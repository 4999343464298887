//! Article bodies are Markdown; readers get sanitized HTML rendered once, on write.

use pulldown_cmark::{Options, Parser, html};

/// Renders Markdown to HTML and strips anything unsafe (scripts, event
/// handlers, `javascript:` links); raw HTML in the source is sanitized the same way.
pub fn render(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_SMART_PUNCTUATION;
    let mut unsafe_html = String::with_capacity(markdown.len() * 5 / 4);
    html::push_html(&mut unsafe_html, Parser::new_ext(markdown, options));
    ammonia::clean(&unsafe_html)
}

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
    fn reading_time_rounds_up_and_is_at_least_one() {
        assert_eq!(reading_time_minutes(""), 1);
        assert_eq!(reading_time_minutes(&"word ".repeat(200)), 1);
        assert_eq!(reading_time_minutes(&"word ".repeat(201)), 2);
        assert_eq!(reading_time_minutes("- * -- ###"), 1);
    }
}
