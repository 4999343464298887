//! Search snippets: a passage of a story around the words searched for,
//! HTML-escaped, each matching word in `<mark>`, safe to insert into a page.

/// Words of context kept before the first match.
const BEFORE: usize = 8;
/// Words a snippet holds at most.
const LENGTH: usize = 30;

/// The passage of `text` around the first of `words` it holds, or `None`
/// when it holds none. A word matches what starts with its stem, or nearly
/// (`ener` matches "energy"; `ministers`, "ministerial" and "ministry").
pub fn highlight(text: &str, words: &[String]) -> Option<String> {
    let pieces = split(text);
    let stems: Vec<&str> = words.iter().map(|w| stem(w)).collect();
    let matches = |piece: &str| {
        let lower = piece.to_lowercase();
        stems.iter().any(|stem| close_enough(&lower, stem))
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

/// Whether `word` shares enough of its start with `stem` to be what the
/// search engine's stemmer matched: all of a short stem, all but two
/// letters of a long one (`ministers` matches "ministry", as the engines do).
fn close_enough(word: &str, stem: &str) -> bool {
    let length = stem.chars().count();
    let needed = if length <= 4 { length } else { (length - 2).max(4) };
    word.chars().zip(stem.chars()).take_while(|(a, b)| a == b).count() >= needed
}

/// A word without a common English ending, if enough is left to mean something.
fn stem(word: &str) -> &str {
    for ending in ["ing", "ies", "es", "ed", "s", "y", "e"] {
        if let Some(stem) = word.strip_suffix(ending)
            && stem.chars().count() >= 3
        {
            return stem;
        }
    }
    word
}

fn escape_into(out: &mut String, text: &str) {
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

    #[test]
    fn matches_are_marked_and_everything_else_escaped() {
        let text = "Energy ministers <script>agreed</script> a cap on energies & prices.";
        assert_eq!(
            highlight(text, &words(&["energy"])).unwrap(),
            "<mark>Energy</mark> ministers &lt;script&gt;agreed&lt;/script&gt; a cap on <mark>energies</mark> &amp; prices"
        );
        assert_eq!(highlight(text, &words(&["ener"])).unwrap().matches("<mark>").count(), 2, "a prefix");
        assert_eq!(highlight(text, &words(&["tariffs"])), None);
        assert_eq!(
            highlight("The ministry said", &words(&["ministers"])).unwrap(),
            "The <mark>ministry</mark> said"
        );
        assert_eq!(
            highlight("A cap on caps", &words(&["cap"])).unwrap(),
            "A <mark>cap</mark> on <mark>caps</mark>"
        );
        assert_eq!(highlight("The capital", &words(&["capture"])), None);
    }

    #[test]
    fn a_long_text_is_cut_around_the_first_match() {
        let text = (1..=100).map(|n| format!("w{n}")).collect::<Vec<_>>().join(" ") + " comet tail";
        let after = (1..=40).map(|n| format!("x{n}")).collect::<Vec<_>>().join(" ");
        let snippet = highlight(&format!("{text} {after}"), &words(&["comet"])).unwrap();
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
