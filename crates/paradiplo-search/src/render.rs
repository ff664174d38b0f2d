//! What a hit shows: its title whole with the query's words marked, and a
//! passage of its text cut at word boundaries with an ellipsis.

use paradiplo_core::markup::escape_html;
use std::ops::Range;
use tantivy::snippet::{Snippet, collapse_overlapped_ranges};

/// `text[range]` escaped, with the `marks` (byte ranges of `text`) in `<mark>`.
fn marked(text: &str, range: Range<usize>, marks: &[Range<usize>]) -> String {
    let mut html = String::new();
    let mut at = range.start;
    for m in collapse_overlapped_ranges(marks) {
        let (from, to) = (m.start.max(at), m.end.min(range.end));
        if from >= to {
            continue;
        }
        html.push_str(&escape_html(&text[at..from]));
        html.push_str("<mark>");
        html.push_str(&escape_html(&text[from..to]));
        html.push_str("</mark>");
        at = to;
    }
    html.push_str(&escape_html(&text[at..range.end]));
    html
}

/// The snippet's marks as byte ranges of the whole text.
fn marks_in_text(snippet: &Snippet) -> Vec<Range<usize>> {
    let shift = snippet.fragment_range().start;
    snippet
        .highlighted()
        .iter()
        .map(|r| r.start + shift..r.end + shift)
        .collect()
}

/// The whole title, escaped, with the snippet's marks (the snippet's own
/// fragment stops at the last word and would drop a closing parenthesis).
pub fn title_html(title: &str, snippet: &Snippet) -> String {
    marked(title, 0..title.len(), &marks_in_text(snippet))
}

/// Where the word around byte `i` starts.
fn word_start(text: &str, i: usize) -> usize {
    text[..i].rfind(char::is_whitespace).map_or(0, |w| {
        w + text[w..].chars().next().map_or(1, char::len_utf8)
    })
}

/// Where the word around byte `i` ends.
fn word_end(text: &str, i: usize) -> usize {
    text[i..]
        .find(char::is_whitespace)
        .map_or(text.len(), |w| i + w)
}

/// The passage of `text` the snippet found, widened to whole words (the
/// fragment starts and ends on word characters and would cut « l’État » or
/// « Saint-Laurent »), with « … » where the text goes on.
pub fn passage_html(text: &str, snippet: &Snippet) -> String {
    let range = snippet.fragment_range();
    let (from, to) = (word_start(text, range.start), word_end(text, range.end));
    let mut html = String::new();
    if !text[..from].trim().is_empty() {
        html.push('…');
    }
    html.push_str(&marked(text, from..to, &marks_in_text(snippet)));
    if !text[to..].trim().is_empty() {
        html.push('…');
    }
    html
}

/// The first `max` characters of `text`, cut at a word boundary, escaped,
/// with « … » when it goes on.
pub fn lead_html(text: &str, max: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= max {
        return escape_html(text);
    }
    let cut = text.char_indices().nth(max).map_or(text.len(), |(i, _)| i);
    let end = text[..cut].rfind(char::is_whitespace).unwrap_or(cut);
    format!("{}…", escape_html(text[..end].trim_end()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_escape_and_words_stay_whole() {
        let t = "Accord (2002) & « l’État »";
        assert_eq!(
            marked(t, 0..t.len(), &[8..12, 0..6]),
            "<mark>Accord</mark> (<mark>2002</mark>) &amp; « l’État »"
        );
        let text = "Le gouvernement de l’État libre de Bavière signe.";
        let i = text.find("État").unwrap();
        assert_eq!(
            &text[word_start(text, i)..],
            "l’État libre de Bavière signe."
        );
        assert_eq!(word_end(text, i), i + "État".len());
        assert_eq!(lead_html("un deux trois", 7), "un…");
        assert_eq!(lead_html("un deux", 7), "un deux");
    }
}
