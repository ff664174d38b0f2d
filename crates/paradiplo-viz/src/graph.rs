//! Which partners sit together in which groupings: a bipartite drawing,
//! groupings on the left, their current members on the right.

use crate::fmt::{esc, format_count};
use crate::svg::{FONT, num};
use crate::{Links, Messages, fill};
use paradiplo_core::records::{Grouping, Partner};
use paradiplo_core::{Lang, Registry};
use std::collections::BTreeMap;
use std::fmt::Write;

const WIDTH: f64 = 720.0;
const ROW: f64 = 30.0;
const TOP: f64 = 44.0;
const LEFT_X: f64 = 250.0;
const RIGHT_X: f64 = 450.0;
const INK: &str = "#1f2937";
const GROUPING: &str = "#1d4ed8";
const MEMBER: &str = "#b45309";

/// A node of the graph, as a row of its table.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct GraphNode {
    pub slug: String,
    pub name: String,
    pub href: String,
}

/// The graph, and its data as lists: each grouping with its members.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupingGraph {
    pub svg: String,
    pub groupings: Vec<(GraphNode, Vec<GraphNode>)>,
}

/// Draws the groupings of `registry` and their current members (partners;
/// the home state, a member of every grouping it records, is left out).
pub fn groupings_graph(
    registry: &Registry,
    lang: Lang,
    msg: &dyn Messages,
    links: &dyn Links,
) -> GroupingGraph {
    let mut groupings: Vec<&Grouping> = registry.typed::<Grouping>().collect();
    groupings.sort_by_key(|g| crate::sort_key(g.name.get(lang)));
    let lists = grouping_lists(registry, &groupings, lang, links);
    let members = members_in_order(&lists);
    let member_y: BTreeMap<&str, f64> = members
        .iter()
        .enumerate()
        .map(|(i, (m, _))| (m.slug.as_str(), TOP + ROW * (i as f64 + 0.5)))
        .collect();
    let grouping_y = grouping_positions(&lists, &member_y);
    let bottom = grouping_y
        .last()
        .copied()
        .unwrap_or(0.0)
        .max(TOP + ROW * members.len() as f64);
    let height = bottom + ROW;

    let mut s = String::new();
    write_svg_head(&mut s, height, lists.len(), members.len(), lang, msg);
    write_edges(&mut s, &lists, &grouping_y, &member_y);
    for ((g, ms), gy) in lists.iter().zip(&grouping_y) {
        let acronym = groupings
            .iter()
            .find(|x| x.slug.as_str() == g.slug)
            .and_then(|x| x.acronym.as_ref())
            .map(|a| a.get(lang).to_string());
        write_grouping_node(&mut s, g, acronym, ms.len(), *gy, lang, msg);
    }
    for (m, gs) in &members {
        write_member_node(&mut s, m, gs, &lists, member_y[m.slug.as_str()], msg);
    }
    s.push_str("</svg>");
    GroupingGraph {
        svg: s,
        groupings: lists,
    }
}

/// Each grouping, in the given order, with its current members that are
/// partners, by name.
fn grouping_lists(
    registry: &Registry,
    groupings: &[&Grouping],
    lang: Lang,
    links: &dyn Links,
) -> Vec<(GraphNode, Vec<GraphNode>)> {
    let partners: BTreeMap<&str, &Partner> = registry
        .typed::<Partner>()
        .map(|p| (p.slug.as_str(), p))
        .collect();
    let node = |p: &Partner| GraphNode {
        slug: p.slug.to_string(),
        name: p
            .short_name
            .as_ref()
            .unwrap_or(&p.name)
            .get(lang)
            .to_string(),
        href: links.partner(&p.slug),
    };
    groupings
        .iter()
        .map(|g| {
            let mut members: Vec<GraphNode> = g
                .members
                .iter()
                .filter(|m| m.until.is_none())
                .filter_map(|m| partners.get(m.member.as_str()).map(|p| node(p)))
                .collect();
            members.sort_by_key(|m| crate::sort_key(&m.name));
            (
                GraphNode {
                    slug: g.slug.to_string(),
                    name: g.name.get(lang).to_string(),
                    href: links.grouping(&g.slug),
                },
                members,
            )
        })
        .collect()
}

/// Every member once, with the indexes of its groupings, ordered by the mean
/// position of their groupings, which keeps the lines of one grouping together.
fn members_in_order(lists: &[(GraphNode, Vec<GraphNode>)]) -> Vec<(GraphNode, Vec<usize>)> {
    let mut member_groupings: BTreeMap<String, (GraphNode, Vec<usize>)> = BTreeMap::new();
    for (gi, (_, members)) in lists.iter().enumerate() {
        for m in members {
            member_groupings
                .entry(m.slug.clone())
                .or_insert_with(|| (m.clone(), Vec::new()))
                .1
                .push(gi);
        }
    }
    let mut members: Vec<(GraphNode, Vec<usize>)> = member_groupings.into_values().collect();
    let mean = |g: &[usize]| g.iter().sum::<usize>() as f64 / g.len() as f64;
    members.sort_by(|a, b| {
        mean(&a.1)
            .total_cmp(&mean(&b.1))
            .then(a.1.len().cmp(&b.1.len()))
            .then(crate::sort_key(&a.0.name).cmp(&crate::sort_key(&b.0.name)))
    });
    members
}

/// Each grouping sits level with the middle of its members, pushed down
/// when it would touch the one above.
fn grouping_positions(
    lists: &[(GraphNode, Vec<GraphNode>)],
    member_y: &BTreeMap<&str, f64>,
) -> Vec<f64> {
    let mut grouping_y: Vec<f64> = Vec::new();
    for (_, ms) in lists {
        let ys: Vec<f64> = ms.iter().map(|m| member_y[m.slug.as_str()]).collect();
        let want = if ys.is_empty() {
            TOP + ROW / 2.0
        } else {
            ys.iter().sum::<f64>() / ys.len() as f64
        };
        let floor = grouping_y.last().map_or(TOP + ROW * 1.5, |y| y + ROW * 3.0);
        grouping_y.push(want.max(floor));
    }
    grouping_y
}

/// Opens the drawing with its accessible title and description, and the
/// two column headings.
fn write_svg_head(
    s: &mut String,
    height: f64,
    groupings: usize,
    members: usize,
    lang: Lang,
    msg: &dyn Messages,
) {
    let title = msg.text("viz_graph_title");
    let desc = fill(
        msg.text("viz_graph_desc"),
        &[
            ("groupings", &format_count(groupings as u64, lang)),
            ("members", &format_count(members as u64, lang)),
        ],
    );
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="100%" role="group" aria-labelledby="viz-graph-title" aria-describedby="viz-graph-desc" font-family="{FONT}" class="viz viz-graph"><title id="viz-graph-title">{t}</title><desc id="viz-graph-desc">{d}</desc>"#,
        w = num(WIDTH),
        h = num(height),
        t = esc(title),
        d = esc(&desc)
    );
    let _ = write!(
        s,
        r#"<g font-size="18" font-weight="bold" fill="{INK}"><text x="{}" y="24" text-anchor="end">{}</text><text x="{}" y="24">{}</text></g>"#,
        num(LEFT_X),
        esc(msg.text("viz_graph_groupings")),
        num(RIGHT_X),
        esc(msg.text("viz_graph_members")),
    );
}

/// Lines, drawn as gentle curves so parallel edges stay readable.
fn write_edges(
    s: &mut String,
    lists: &[(GraphNode, Vec<GraphNode>)],
    grouping_y: &[f64],
    member_y: &BTreeMap<&str, f64>,
) {
    s.push_str(&format!(
        r#"<g aria-hidden="true" fill="none" stroke="{GROUPING}" stroke-opacity="0.55" stroke-width="1.5">"#
    ));
    for ((_, ms), gy) in lists.iter().zip(grouping_y) {
        for m in ms {
            let my = member_y[m.slug.as_str()];
            let (x1, x2) = (LEFT_X + 10.0, RIGHT_X - 10.0);
            let mid = (x1 + x2) / 2.0;
            let _ = write!(
                s,
                "<path d=\"M{} {}C{} {} {} {} {} {}\"/>",
                num(x1),
                num(*gy),
                num(mid),
                num(*gy),
                num(mid),
                num(my),
                num(x2),
                num(my)
            );
        }
    }
    s.push_str("</g>");
}

/// A grouping's node: its acronym (or name) wrapped beside a dot, linked to
/// its page.
fn write_grouping_node(
    s: &mut String,
    g: &GraphNode,
    acronym: Option<String>,
    member_count: usize,
    gy: f64,
    lang: Lang,
    msg: &dyn Messages,
) {
    // The accessible name starts with the visible text (WCAG 2.5.3).
    let named = match &acronym {
        Some(a) => format!("{a} ({})", g.name),
        None => g.name.clone(),
    };
    let shown = acronym.unwrap_or_else(|| g.name.clone());
    let label = fill(
        msg.text("viz_graph_grouping_label"),
        &[
            ("name", &named),
            ("count", &format_count(member_count as u64, lang)),
        ],
    );
    // Long names wrap onto lines centred on the node.
    let lines = wrap(&shown, 22);
    let first_y = gy + 6.0 - (lines.len() as f64 - 1.0) * 10.5;
    let mut text = String::new();
    for (i, line) in lines.iter().enumerate() {
        // A leading space keeps the words apart in the text content
        // that assistive technology reads; it is not drawn.
        let _ = write!(
            text,
            r#"<tspan x="{}" y="{}">{}{}</tspan>"#,
            num(LEFT_X - 14.0),
            num(first_y + i as f64 * 21.0),
            if i > 0 { " " } else { "" },
            esc(line)
        );
    }
    let _ = write!(
        s,
        r#"<a href="{href}" aria-label="{l}" class="viz-node" data-kind="grouping" data-slug="{slug}"><title>{l}</title><circle cx="{cx}" cy="{cy}" r="8" fill="{GROUPING}"/><text text-anchor="end" font-size="17" fill="{INK}">{text}</text></a>"#,
        href = esc(&g.href),
        l = esc(&label),
        slug = esc(&g.slug),
        cx = num(LEFT_X),
        cy = num(gy),
    );
}

/// A member's node: a square and its name, linked to its page.
fn write_member_node(
    s: &mut String,
    m: &GraphNode,
    groupings: &[usize],
    lists: &[(GraphNode, Vec<GraphNode>)],
    y: f64,
    msg: &dyn Messages,
) {
    let in_groupings: Vec<&str> = groupings
        .iter()
        .map(|i| lists[*i].0.name.as_str())
        .collect();
    let label = fill(
        msg.text("viz_graph_member_label"),
        &[("name", &m.name), ("groupings", &in_groupings.join(", "))],
    );
    let _ = write!(
        s,
        r#"<a href="{href}" aria-label="{l}" class="viz-node" data-kind="partner" data-slug="{slug}"><title>{l}</title><rect x="{rx}" y="{ry}" width="12" height="12" fill="{MEMBER}"/><text x="{tx}" y="{ty}" font-size="17" fill="{INK}">{t}</text></a>"#,
        href = esc(&m.href),
        l = esc(&label),
        slug = esc(&m.slug),
        rx = num(RIGHT_X - 6.0),
        ry = num(y - 6.0),
        tx = num(RIGHT_X + 14.0),
        ty = num(y + 6.0),
        t = esc(&m.name),
    );
}

/// Splits `text` into lines of at most `width` characters at spaces (a
/// longer word keeps its own line).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_at_spaces() {
        assert_eq!(
            wrap("Conseil des gouverneurs des Grands Lacs", 22),
            vec!["Conseil des", "gouverneurs des Grands", "Lacs"]
        );
        assert_eq!(wrap("NEG-ECP", 22), vec!["NEG-ECP"]);
        assert!(wrap("", 22).is_empty());
    }
}
