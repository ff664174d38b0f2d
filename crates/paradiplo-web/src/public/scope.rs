//! What the registry covers, said against the government's own figure: where
//! the registry holds fewer records than the home record's official figure
//! (« plus de 70 organisations »), the hub and the list say so, from data.

use super::Msg;
use crate::site::Site;
use paradiplo_core::{Lang, RecordKind};

/// « Ce registre en répertorie 37; le gouvernement dénombre plus de 70
/// organisations … (2024). Source » as HTML, or None when the home record
/// gives no figure for `kind` or the registry holds as many records.
pub fn scope_html(
    site: &Site,
    kind: RecordKind,
    held: usize,
    lang: Lang,
    msg: &Msg,
) -> Option<String> {
    let home = site.home.as_ref()?;
    let figure = home.rec.official_figure(kind)?;
    let official = figure.count as usize;
    let fewer = held < official || (figure.more_than && held <= official);
    if !fewer {
        return None;
    }
    let count = |n: usize| crate::format::format_count(n as i64, lang);
    let official = match figure.more_than {
        true => msg.get("scope_more_than").replace("{n}", &count(official)),
        false => count(official),
    };
    let text = msg
        .get("scope_fewer")
        .replace("{held}", &count(held))
        .replace("{official}", &official)
        .replace("{what}", figure.text.get(lang))
        .replace("{as_of}", &figure.as_of.display(lang));
    let mut html = String::from("<p class=\"scope\">");
    paradiplo_core::markup::escape_html_into(&text, &mut html);
    html.push_str(" <a href=\"");
    paradiplo_core::markup::escape_html_into(figure.source.as_str(), &mut html);
    html.push_str("\">");
    paradiplo_core::markup::escape_html_into(&msg.get("scope_source"), &mut html);
    html.push_str("</a></p>");
    Some(html)
}
