//! Editorial Markdown to HTML. Only a safe subset is written: paragraphs,
//! headings, lists, emphasis, code, quotes and links with http(s), mailto or
//! local targets. Raw HTML in the source is shown as text, never passed
//! through, and every text is escaped.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// Escapes text for HTML content and attribute values (the one escaper).
pub use paradiplo_core::markup::escape_html_into as escape;

fn safe_link(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    lower.starts_with("https://")
        || lower.starts_with("http://")
        || lower.starts_with("mailto:")
        || (url.starts_with('/') && !url.starts_with("//"))
        || url.starts_with('#')
}

fn level(l: HeadingLevel) -> u8 {
    match l {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// Renders Markdown; headings are moved down by `shift` levels (a body shown
/// under an h2 gets its "##" as h3), never above h2 nor below h6.
/// `new_window` is the words said after an external link's text.
pub fn to_html(source: &str, shift: u8, new_window: &str) -> String {
    let mut out = String::with_capacity(source.len() + source.len() / 4);
    // Per open link: Some(external) for a written link, None for a dropped one.
    let mut link_stack: Vec<Option<bool>> = Vec::new();
    for event in Parser::new_ext(source, Options::empty()) {
        match event {
            Event::Start(tag) => match tag {
                Tag::Paragraph => out.push_str("<p>"),
                Tag::Heading { level: l, .. } => {
                    let n = (level(l) + shift).clamp(2, 6);
                    out.push_str(&format!("<h{n}>"));
                }
                Tag::BlockQuote(_) => out.push_str("<blockquote>"),
                Tag::CodeBlock(_) => out.push_str("<pre><code>"),
                Tag::List(Some(start)) if start != 1 => {
                    out.push_str(&format!("<ol start=\"{start}\">"))
                }
                Tag::List(Some(_)) => out.push_str("<ol>"),
                Tag::List(None) => out.push_str("<ul>"),
                Tag::Item => out.push_str("<li>"),
                Tag::Emphasis => out.push_str("<em>"),
                Tag::Strong => out.push_str("<strong>"),
                Tag::Link { dest_url, .. } => {
                    if safe_link(&dest_url) {
                        let external = dest_url.starts_with("http");
                        out.push_str("<a href=\"");
                        escape(&dest_url, &mut out);
                        if external {
                            out.push_str("\" target=\"_blank\" rel=\"noopener noreferrer\">");
                        } else {
                            out.push_str("\">");
                        }
                        link_stack.push(Some(external));
                    } else {
                        link_stack.push(None);
                    }
                }
                _ => {}
            },
            Event::End(tag) => match tag {
                TagEnd::Paragraph => out.push_str("</p>\n"),
                TagEnd::Heading(l) => {
                    let n = (level(l) + shift).clamp(2, 6);
                    out.push_str(&format!("</h{n}>\n"));
                }
                TagEnd::BlockQuote(_) => out.push_str("</blockquote>\n"),
                TagEnd::CodeBlock => out.push_str("</code></pre>\n"),
                TagEnd::List(true) => out.push_str("</ol>\n"),
                TagEnd::List(false) => out.push_str("</ul>\n"),
                TagEnd::Item => out.push_str("</li>\n"),
                TagEnd::Emphasis => out.push_str("</em>"),
                TagEnd::Strong => out.push_str("</strong>"),
                TagEnd::Link => match link_stack.pop().flatten() {
                    Some(true) => {
                        out.push_str(" <span class=\"new-window\">(");
                        escape(new_window, &mut out);
                        out.push_str(")</span></a>");
                    }
                    Some(false) => out.push_str("</a>"),
                    None => {}
                },
                _ => {}
            },
            Event::Text(t) | Event::Html(t) | Event::InlineHtml(t) => escape(&t, &mut out),
            Event::Code(t) => {
                out.push_str("<code>");
                escape(&t, &mut out);
                out.push_str("</code>");
            }
            Event::SoftBreak => out.push('\n'),
            Event::HardBreak => out.push_str("<br>\n"),
            Event::Rule => out.push_str("<hr>\n"),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_the_subset_and_escapes_the_rest() {
        let html = to_html(
            "## Titre\n\nUn **texte** avec <script>alert(1)</script> et [lien](https://example.org).\n\n- a\n- b\n",
            1,
            "nouvelle fenêtre",
        );
        assert!(html.contains("<h3>Titre</h3>"), "{html}");
        assert!(html.contains("<strong>texte</strong>"));
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;script&gt;"));
        assert!(html.contains(
            "<a href=\"https://example.org\" target=\"_blank\" rel=\"noopener noreferrer\">lien <span class=\"new-window\">(nouvelle fenêtre)</span></a>"
        ), "{html}");
        assert!(html.contains("<ul><li>a</li>"), "{html}");
    }

    #[test]
    fn unsafe_links_are_dropped() {
        let html = to_html("[x](javascript:alert(1)) [y](/partenaires)", 0, "n");
        assert!(!html.contains("javascript"), "{html}");
        assert!(html.contains("<a href=\"/partenaires\">y</a>"), "{html}");
        assert!(to_html("# Un", 0, "n").contains("<h2>Un</h2>"));
    }
}
