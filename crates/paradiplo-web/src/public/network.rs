//! The network drawn (issue 8): the world map, the charts and the graph of
//! groupings from paradiplo-viz, drawn once per snapshot and language (see
//! `Site::drawings`), and their template values: each drawing with the same
//! data as an HTML table or list (templates/_drawings.html).

use super::Msg;
use crate::paths::Section;
use crate::templates::to_value;
use minijinja::Value;
use paradiplo_core::{Lang, Registry, Slug};
use paradiplo_viz::{Chart, ChartError, GroupingGraph, Links, MarkKind, WorldMap};
use serde::Serialize;
use std::collections::BTreeMap;

/// Every drawing of one snapshot in one language.
#[derive(Debug)]
pub struct Drawings {
    pub map: WorldMap,
    /// Agreements signed per year, by domain.
    pub agreements: Option<Chart>,
    /// Organizations present in the home state, by city and type.
    pub organizations: Option<Chart>,
    /// Bilateral partners by world region.
    pub partners: Option<Chart>,
    pub graph: GroupingGraph,
}

/// The portal's record URLs, for the marks and nodes.
struct PortalLinks(Lang);

impl Links for PortalLinks {
    fn partner(&self, slug: &Slug) -> String {
        Section::Partners.record(self.0, slug.as_str())
    }
    fn grouping(&self, slug: &Slug) -> String {
        Section::Groupings.record(self.0, slug.as_str())
    }
}

/// A chart that failed is left out of the page (and logged) rather than
/// taking the page down: charts-rs only fails if its embedded font cannot
/// be read.
fn drawn(chart: Result<Chart, ChartError>, name: &str) -> Option<Chart> {
    chart
        .map_err(|e| tracing::error!(chart = name, error = %e, "chart not drawn"))
        .ok()
}

impl Drawings {
    pub fn draw(registry: &Registry, lang: Lang, msg: &BTreeMap<String, String>) -> Drawings {
        let links = PortalLinks(lang);
        Drawings {
            map: paradiplo_viz::world_map(registry, lang, msg, &links),
            agreements: drawn(
                paradiplo_viz::agreements_by_year(registry, lang, msg),
                "agreements",
            ),
            organizations: drawn(
                paradiplo_viz::organizations_in_home_state(registry, lang, msg),
                "organizations",
            ),
            partners: drawn(
                paradiplo_viz::partners_by_region(registry, lang, msg),
                "partners",
            ),
            graph: paradiplo_viz::groupings_graph(registry, lang, msg, &links),
        }
    }
}

/// One row of the map's table.
#[derive(Serialize)]
struct MarkRow<'a> {
    name: &'a str,
    href: Option<&'a str>,
    kind: String,
    group: &'a str,
    on_map: String,
}

/// The map with its table of every partner and representation.
pub fn map_view(map: &WorldMap, msg: &Msg) -> Value {
    let rows: Vec<MarkRow> = map
        .marks
        .iter()
        .map(|m| MarkRow {
            name: &m.name,
            href: m.href.as_deref(),
            kind: msg.get(match m.kind {
                MarkKind::Partner => "viz_kind_partner",
                MarkKind::Representation => "viz_kind_representation",
            }),
            group: &m.group,
            on_map: msg.get(if m.located { "yes" } else { "no" }),
        })
        .collect();
    minijinja::context! {
        kind => "map",
        id => "carte",
        heading => msg.get("viz_map_title"),
        heading_shown => true,
        svg => Value::from_safe_string(map.svg.clone()),
        summary => msg.get("viz_map_table_summary"),
        columns => vec![
            msg.get("col_name"),
            msg.get("viz_col_kind"),
            msg.get("viz_col_group"),
            msg.get("viz_col_on_map"),
        ],
        rows => to_value(rows),
    }
}

/// A chart with its table. charts-rs draws the title inside the chart, so
/// the section's heading is shown only on a phone, where the chart scrolls.
pub fn chart_view(chart: &Chart, id: &str, msg: &Msg) -> Value {
    minijinja::context! {
        kind => "chart",
        id => id,
        heading => &chart.table.caption,
        heading_shown => false,
        svg => Value::from_safe_string(chart.svg.clone()),
        summary => msg.get("viz_chart_table_summary"),
        table => to_value(&chart.table),
    }
}

/// The graph of groupings with the same links as nested lists.
pub fn graph_view(graph: &GroupingGraph, msg: &Msg) -> Value {
    let groupings: Vec<Value> = graph
        .groupings
        .iter()
        .map(|(g, members)| {
            minijinja::context! {
                name => &g.name,
                href => &g.href,
                members => to_value(members),
            }
        })
        .collect();
    minijinja::context! {
        kind => "graph",
        id => "graphe",
        heading => msg.get("viz_graph_title"),
        heading_shown => true,
        svg => Value::from_safe_string(graph.svg.clone()),
        summary => msg.get("viz_graph_list_summary"),
        groupings => groupings,
    }
}
