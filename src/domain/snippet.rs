//! Search snippets: a passage of a story around the words searched for,
//! HTML-escaped, each matching word in `<mark>`, safe to insert into a page.

use super::language::Stemming;

/// Words of context kept before the first match.
const BEFORE: usize = 8;
/// Words a snippet holds at most.
const LENGTH: usize = 30;

/// The passage of `text` around the first of `words` it holds, or `None`
/// when it holds none. A word matches as the search engine matched it: by
/// its stem in the site's language (`launches` marks "launched"), the last
/// word's stem also as a prefix (`ener` marks "energy"; `ministers`, whose
/// stem is `minist`, marks "ministry").
pub fn highlight(text: &str, words: &[String], stemming: Stemming) -> Option<String> {
    let pieces = split(text);
    let mut stems: Vec<String> = words.iter().map(|w| stemming.stem(w).into_owned()).collect();
    let prefix = stems.pop().unwrap_or_default();
    let matches = |piece: &str| {
        let lower = piece.to_lowercase();
        let stem = stemming.stem(&lower);
        (!prefix.is_empty() && stem.starts_with(&prefix)) || stems.iter().any(|s| *stem == **s)
    };
    let word_index: Vec<usize> = (0..pieces.len()).filter(|&i| is_word(pieces[i])).collect();
    let first = word_index.iter().position(|&i| matches(pieces[i]))?;
    let start_word = first.saturating_sub(BEFORE);
    let end_word = (start_word + LENGTH).min(word_index.len());
    let (from, to) = (word_index[start_word], word_index[end_word - 1]);
    Some(render(&pieces, from, to, end_word < word_index.len(), &matches))
}

/// The opening of `text`, HTML-escaped, for a result matched elsewhere (its headline).
pub fn opening(text: &str) -> String {
    let pieces = split(text);
    let word_index: Vec<usize> = (0..pieces.len()).filter(|&i| is_word(pieces[i])).collect();
    match (word_index.first(), word_index.get(LENGTH.min(word_index.len()).saturating_sub(1))) {
        (Some(&from), Some(&to)) => render(&pieces, from, to, word_index.len() > LENGTH, &|_: &str| false),
        _ => String::new(),
    }
}

fn render(pieces: &[&str], from: usize, to: usize, cut: bool, matches: &dyn Fn(&str) -> bool) -> String {
    let mut out = String::new();
    if from > 0 {
        out.push('…');
    }
    for piece in &pieces[from..=to] {
        if is_word(piece) && matches(piece) {
            out.push_str("<mark>");
            escape_into(&mut out, piece);
            out.push_str("</mark>");
        } else {
            escape_into(&mut out, piece);
        }
    }
    if cut {
        out.push('…');
    }
    out
}

/// Runs of letters and digits, and what lies between them.
fn split(text: &str) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut in_word = None;
    for (at, c) in text.char_indices() {
        let word = c.is_alphanumeric();
        if in_word.is_some_and(|w| w != word) {
            pieces.push(&text[start..at]);
            start = at;
        }
        in_word = Some(word);
    }
    if start < text.len() {
        pieces.push(&text[start..]);
    }
    pieces
}

fn is_word(piece: &str) -> bool {
    piece.chars().next().is_some_and(char::is_alphanumeric)
}

pub(super) fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(raw: &[&str]) -> Vec<String> {
        raw.iter().map(|w| (*w).to_owned()).collect()
    }

    fn english() -> Stemming {
        "en".parse::<super::super::language::SiteLanguage>().unwrap().stemming()
    }

    #[test]
    fn matches_are_marked_and_everything_else_escaped() {
        let text = "Energy ministers <script>agreed</script> a cap on energies & prices.";
        assert_eq!(
            highlight(text, &words(&["energy"]), english()).unwrap(),
            "<mark>Energy</mark> ministers &lt;script&gt;agreed&lt;/script&gt; a cap on <mark>energies</mark> &amp; prices"
        );
        assert_eq!(
            highlight(text, &words(&["ener"]), english()).unwrap().matches("<mark>").count(),
            2,
            "a prefix"
        );
        assert_eq!(highlight(text, &words(&["tariffs"]), english()), None);
        assert_eq!(
            highlight("The ministry said", &words(&["ministers"]), english()).unwrap(),
            "The <mark>ministry</mark> said"
        );
        assert_eq!(
            highlight("A cap on caps", &words(&["cap"]), english()).unwrap(),
            "A <mark>cap</mark> on <mark>caps</mark>"
        );
        assert_eq!(highlight("The capital", &words(&["capture"]), english()), None);
    }

    #[test]
    fn only_the_last_word_is_a_prefix_and_stems_follow_the_language() {
        assert_eq!(
            highlight("Launched capital", &words(&["cap", "launch"]), english()).unwrap(),
            "<mark>Launched</mark> capital"
        );
        let german = "de".parse::<super::super::language::SiteLanguage>().unwrap().stemming();
        assert_eq!(
            highlight("Neue Häuser am Hafen", &words(&["haus"]), german).unwrap(),
            "Neue <mark>Häuser</mark> am Hafen"
        );
    }

    #[test]
    fn a_long_text_is_cut_around_the_first_match() {
        let text = (1..=100).map(|n| format!("w{n}")).collect::<Vec<_>>().join(" ") + " comet tail";
        let after = (1..=40).map(|n| format!("x{n}")).collect::<Vec<_>>().join(" ");
        let snippet = highlight(&format!("{text} {after}"), &words(&["comet"]), english()).unwrap();
        assert!(snippet.starts_with('…') && snippet.ends_with('…'), "{snippet}");
        assert!(snippet.contains("w93 w94") && snippet.contains("<mark>comet</mark> tail"), "{snippet}");
        assert_eq!(snippet.split_whitespace().count(), LENGTH);
    }

    #[test]
    fn an_opening_is_escaped_and_unmarked() {
        assert_eq!(opening("Tom & Jerry's \"show\""), "Tom &amp; Jerry&#39;s &quot;show");
        assert_eq!(opening("  "), "");
    }
}
