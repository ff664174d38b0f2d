//! Numbers as the portal writes them, and XML escaping.

use paradiplo_core::Lang;

/// "1 234" in French (non-breaking space), "1,234" in English.
pub fn format_count(n: u64, lang: Lang) -> String {
    paradiplo_core::typography::format_count(n.into(), lang)
}

/// Escapes text for an XML text node or a double-quoted attribute.
pub(crate) use paradiplo_core::markup::escape_html as esc;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_in_both_languages() {
        assert_eq!(format_count(1234, Lang::Fr), "1\u{a0}234");
        assert_eq!(format_count(1_234_567, Lang::En), "1,234,567");
        assert_eq!(format_count(999, Lang::Fr), "999");
        assert_eq!(format_count(0, Lang::En), "0");
    }

    #[test]
    fn escapes_markup() {
        assert_eq!(
            esc(r#"A & <b> "c" 'd'"#),
            "A &amp; &lt;b&gt; &quot;c&quot; &#39;d&#39;"
        );
    }
}
