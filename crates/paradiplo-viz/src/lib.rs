//! The network drawn from the registry: a world map of partners and of the
//! home state's representations abroad, charts of agreements, organizations
//! and partners, and a graph of groupings.
//!
//! Everything here is a pure function of a [`Registry`](paradiplo_core::Registry)
//! (the caller passes published records only), a [`Lang`](paradiplo_core::Lang),
//! the messages of that language and a URL builder. Each function returns an
//! SVG document as a string, ready to be inlined in a page, together with the
//! data of the equivalent HTML table, so that nothing a sighted reader sees is
//! missing for a screen-reader user. No image is stored: add a record and the
//! drawings change.

pub mod charts;
mod fmt;
pub mod graph;
pub mod map;
pub mod projection;
mod seats;
mod svg;
pub mod topo;

pub use charts::{
    Chart, ChartError, Table, TableRow, agreements_by_year, organizations_in_home_state,
    partners_by_region,
};
pub use fmt::format_count;
pub use graph::{GroupingGraph, groupings_graph};
pub use map::{MapMark, MarkKind, WorldMap, world_map};

use paradiplo_core::Slug;
use std::collections::BTreeMap;

/// The user-facing messages of one language (the portal's `locales/*.toml`).
/// A missing key is a programming error caught by the tests, so the key
/// itself is shown rather than nothing.
pub trait Messages {
    fn text<'a>(&'a self, key: &'a str) -> &'a str;
}

impl Messages for BTreeMap<String, String> {
    fn text<'a>(&'a self, key: &'a str) -> &'a str {
        self.get(key).map(String::as_str).unwrap_or(key)
    }
}

/// Every message key this crate reads, so a test can check both catalogues.
pub const MESSAGE_KEYS: &[&str] = &[
    "viz_map_title",
    "viz_map_desc",
    "viz_map_partner",
    "viz_map_partner_groupings",
    "viz_map_representation",
    "viz_map_legend_representation",
    "viz_map_home",
    "viz_map_legend_home",
    "viz_map_unlocated",
    "viz_map_inset_europe",
    "viz_map_inset_north_america",
    "viz_chart_agreements_title",
    "viz_chart_agreements_desc",
    "viz_chart_year",
    "viz_chart_agreement_count",
    "viz_chart_other_domains",
    "viz_chart_no_domain",
    "viz_chart_total",
    "viz_chart_organizations_title",
    "viz_chart_organizations_desc",
    "viz_chart_city",
    "viz_chart_organization_count",
    "viz_chart_partners_title",
    "viz_chart_partners_desc",
    "viz_chart_region",
    "viz_chart_partner_count",
    "viz_graph_title",
    "viz_graph_desc",
    "viz_graph_groupings",
    "viz_graph_members",
    "viz_graph_grouping_label",
    "viz_graph_member_label",
];

/// Where the records' pages are, in the page's language (French
/// `/partenaires/{slug}`, English `/en/partners/{slug}`).
pub trait Links {
    fn partner(&self, slug: &Slug) -> String;
    fn grouping(&self, slug: &Slug) -> String;
    /// Representations have no page yet: their marks are not links.
    fn representation(&self, _slug: &Slug) -> Option<String> {
        None
    }
}

/// Replaces `{name}` placeholders in a message.
pub(crate) fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (k, v) in args {
        out = out.replace(&format!("{{{k}}}"), v);
    }
    out
}

/// A sort key that puts "Île" with "I" and "São" with "Sa": the portal's
/// French collation.
pub(crate) use paradiplo_core::collation::sort_key;

#[cfg(test)]
mod tests {
    #[test]
    fn sorting_ignores_accents_and_case() {
        let mut names = vec![
            "Île-du-Prince-Édouard",
            "Ohio",
            "São Paulo",
            "Shandong",
            "illinois",
        ];
        names.sort_by_key(|n| super::sort_key(n));
        assert_eq!(
            names,
            [
                "Île-du-Prince-Édouard",
                "illinois",
                "Ohio",
                "São Paulo",
                "Shandong"
            ]
        );
    }
}
