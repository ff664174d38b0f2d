//! The one HTML/XML escaper. Templates escape through it (the template
//! engine's formatter calls it); code that writes markup outside a template
//! (Markdown, SVG charts, search highlights, the sitemap) calls it too.

/// Escapes `& < > " '` for element content and quoted attribute values
/// (HTML, SVG, XML), appending to `out`.
pub fn escape_html_into(text: &str, out: &mut String) {
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

/// [`escape_html_into`] into a new string.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_html_into(text, &mut out);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_markup_characters_only() {
        assert_eq!(
            super::escape_html(r#"A & <b> "c" 'd' / é"#),
            "A &amp; &lt;b&gt; &quot;c&quot; &#39;d&#39; / é"
        );
    }
}
