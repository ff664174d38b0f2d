//! Charts drawn with charts-rs: agreements signed per year by domain,
//! organizations present in the home state by city and type, partners by
//! world region. Each comes with the same numbers as a table.

use crate::fmt::format_count;
use crate::svg::FONT;
use crate::{Messages, fill};
use charts_rs::{BarChart, Color, HorizontalBarChart, LegendCategory, Position, Series};
use paradiplo_core::records::{
    Agreement, Domain, Organization, OrganizationKind, Partner, Presence, WorldRegion,
};
use paradiplo_core::{Lang, Registry};
use std::collections::BTreeMap;

/// A chart that could not be drawn (charts-rs measures text with its
/// embedded font; this only fails if that font cannot be read).
#[derive(Debug)]
pub struct ChartError(pub String);

impl std::fmt::Display for ChartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "chart could not be drawn: {}", self.0)
    }
}

impl std::error::Error for ChartError {}

/// The HTML table that says what a chart shows.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Table {
    pub caption: String,
    /// The first header names the row labels' column.
    pub headers: Vec<String>,
    pub rows: Vec<TableRow>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TableRow {
    pub label: String,
    pub values: Vec<u64>,
    /// `values` formatted for the page's language ("1 234").
    pub cells: Vec<String>,
}

impl TableRow {
    fn new(label: String, values: Vec<u64>, lang: Lang) -> TableRow {
        let cells = values.iter().map(|v| format_count(*v, lang)).collect();
        TableRow {
            label,
            values,
            cells,
        }
    }
}

/// An SVG chart and its table.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    pub svg: String,
    pub table: Table,
}

impl Chart {
    /// The chart and its table, captioned with the chart's title.
    fn new(svg: String, title: &str, headers: Vec<String>, rows: Vec<TableRow>) -> Chart {
        Chart {
            svg,
            table: Table {
                caption: title.to_string(),
                headers,
                rows,
            },
        }
    }
}

/// Series colours: distinct in hue and lightness, each at least 3:1 against
/// white (WCAG 1.4.11), so adjacent stacked segments stay apart.
const PALETTE: [&str; 7] = [
    "#1d4ed8", "#b45309", "#15803d", "#be185d", "#6d28d9", "#0f766e", "#b91c1c",
];
/// Grouped and missing categories: greys, still 3:1 on white.
const OTHER: &str = "#374151";
const NONE: &str = "#6b7280";

fn colour(hex: &str) -> Color {
    Color::from(hex)
}

/// How many domains get their own colour; the rest are grouped.
const TOP_DOMAINS: usize = 6;

/// Agreements signed per year, stacked by their first domain (each agreement
/// counted once). Years without a signature are drawn as empty columns so
/// the time axis is not distorted; the table lists the years with one.
pub fn agreements_by_year(
    registry: &Registry,
    lang: Lang,
    msg: &dyn Messages,
) -> Result<Chart, ChartError> {
    // (year, primary domain or None)
    let signed: Vec<(i32, Option<&str>)> = registry
        .typed::<Agreement>()
        .filter_map(|a| {
            a.signed
                .as_ref()
                .map(|d| (d.year(), a.domains.first().map(|s| s.as_str())))
        })
        .collect();
    let domains = DomainSeries::new(registry, &signed, lang, msg);
    let (first, last) = match (
        signed.iter().map(|s| s.0).min(),
        signed.iter().map(|s| s.0).max(),
    ) {
        (Some(a), Some(b)) => (a, b),
        _ => (0, -1),
    };
    let years: Vec<i32> = (first..=last).collect();
    let mut counts = vec![vec![0u64; years.len()]; domains.names.len()];
    for (year, d) in &signed {
        counts[domains.series_of(*d)][(year - first) as usize] += 1;
    }
    let totals: Vec<u64> = (0..years.len())
        .map(|y| counts.iter().map(|c| c[y]).sum())
        .collect();

    let title = msg.text("viz_chart_agreements_title");
    let desc = fill(
        msg.text("viz_chart_agreements_desc"),
        &[
            ("count", &format_count(signed.len() as u64, lang)),
            ("first", &first.to_string()),
            ("last", &last.to_string()),
        ],
    );
    let chart = agreements_bar_chart(&domains, &years, &counts, &totals, title, msg);
    let svg = finish(chart.svg(), title, &desc, lang)?;

    let mut headers = vec![msg.text("viz_chart_year").to_string()];
    headers.extend(domains.names.iter().cloned());
    headers.push(msg.text("viz_chart_total").to_string());
    let rows = years
        .iter()
        .enumerate()
        .filter(|(i, _)| totals[*i] > 0)
        .map(|(i, year)| {
            let mut values: Vec<u64> = counts.iter().map(|c| c[i]).collect();
            values.push(totals[i]);
            TableRow::new(year.to_string(), values, lang)
        })
        .collect();
    Ok(Chart::new(svg, title, headers, rows))
}

/// The series of the agreements chart: the most frequent domains by name,
/// then "other domains" and "no domain" when present.
struct DomainSeries<'a> {
    /// The slugs of the domains with their own series, most frequent first.
    named: Vec<&'a str>,
    has_other: bool,
    has_none: bool,
    /// The series' names, in drawing order.
    names: Vec<String>,
}

impl<'a> DomainSeries<'a> {
    fn new(
        registry: &'a Registry,
        signed: &[(i32, Option<&'a str>)],
        lang: Lang,
        msg: &dyn Messages,
    ) -> DomainSeries<'a> {
        let domain_names: BTreeMap<&str, &str> = registry
            .typed::<Domain>()
            .map(|d| (d.slug.as_str(), d.name.get(lang)))
            .collect();
        let mut per_domain: BTreeMap<&str, u64> = BTreeMap::new();
        for d in signed.iter().filter_map(|(_, d)| *d) {
            *per_domain.entry(d).or_default() += 1;
        }
        let mut ranked: Vec<(&str, u64)> = per_domain.into_iter().collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        // A lone leftover domain keeps its own name rather than "other".
        let own = if ranked.len() == TOP_DOMAINS + 1 {
            ranked.len()
        } else {
            ranked.len().min(TOP_DOMAINS)
        };
        let named: Vec<&str> = ranked.iter().take(own).map(|(d, _)| *d).collect();
        let has_other = ranked.len() > own;
        let has_none = signed.iter().any(|(_, d)| d.is_none());
        let mut names: Vec<String> = named
            .iter()
            .map(|d| domain_names.get(d).copied().unwrap_or(d).to_string())
            .collect();
        if has_other {
            names.push(msg.text("viz_chart_other_domains").to_string());
        }
        if has_none {
            names.push(msg.text("viz_chart_no_domain").to_string());
        }
        DomainSeries {
            named,
            has_other,
            has_none,
            names,
        }
    }

    /// The index of the series an agreement with primary domain `d` counts in.
    fn series_of(&self, d: Option<&str>) -> usize {
        match d {
            None => self.names.len() - 1,
            Some(d) => self
                .named
                .iter()
                .position(|n| *n == d)
                .unwrap_or(self.named.len()),
        }
    }

    /// Named domains take the palette; "other" and "none" are greys.
    fn colours(&self) -> Vec<Color> {
        let mut colours: Vec<Color> = PALETTE[..self.named.len()]
            .iter()
            .map(|c| colour(c))
            .collect();
        if self.has_other {
            colours.push(colour(OTHER));
        }
        if self.has_none {
            colours.push(colour(NONE));
        }
        colours
    }
}

/// The stacked bar chart of agreements per year, styled and with its axes.
fn agreements_bar_chart(
    domains: &DomainSeries,
    years: &[i32],
    counts: &[Vec<u64>],
    totals: &[u64],
    title: &str,
    msg: &dyn Messages,
) -> BarChart {
    let series: Vec<Series> = domains
        .names
        .iter()
        .zip(counts)
        .map(|(name, data)| {
            // Empty segments are left out rather than drawn with no height.
            let values: Vec<Option<f32>> =
                data.iter().map(|v| (*v > 0).then_some(*v as f32)).collect();
            let mut s: Series = (name.as_str(), values).into();
            s.stack = Some("all".into());
            s
        })
        .collect();
    let mut chart = BarChart::new(series, years.iter().map(|y| y.to_string()).collect());
    style_base(&mut chart.base, title, domains.names.len());
    chart.base.series.colors = domains.colours();
    chart.base.height = 460.0;
    // charts-rs keeps 10 units of margin in each year's band: a band of at
    // least 18 units leaves every bar 8 wide rather than a hairline.
    chart.base.width = chart.base.width.max(120.0 + 18.0 * years.len() as f32);
    chart.base.x_axis.title = msg.text("viz_chart_year").to_string();
    let (max, split) = nice_axis(totals.iter().copied().max().unwrap_or(0));
    let y = &mut chart.y_axis_configs[0];
    y.title = Some(msg.text("viz_chart_agreement_count").to_string());
    y.min = Some(0.0);
    y.max = Some(max as f32);
    y.split_number = split;
    y.formatter = Some("{t}".into());
    chart
}

/// Organizations established in the home state (headquarters or office, not
/// historical), by city and by type.
pub fn organizations_in_home_state(
    registry: &Registry,
    lang: Lang,
    msg: &dyn Messages,
) -> Result<Chart, ChartError> {
    let present: Vec<&Organization> = registry
        .typed::<Organization>()
        .filter(|o| o.presence != Presence::None && !o.historical)
        .collect();
    let kinds: Vec<OrganizationKind> = OrganizationKind::ALL
        .iter()
        .copied()
        .filter(|k| present.iter().any(|o| o.kind == *k))
        .collect();
    let mut by_city: BTreeMap<String, Vec<u64>> = BTreeMap::new();
    for o in &present {
        let city = o
            .city
            .as_ref()
            .map(|c| c.get(lang).to_string())
            .unwrap_or_default();
        let k = kinds.iter().position(|k| *k == o.kind).unwrap_or(0);
        by_city.entry(city).or_insert_with(|| vec![0; kinds.len()])[k] += 1;
    }
    let mut cities: Vec<(String, Vec<u64>)> = by_city.into_iter().collect();
    // Largest first; charts-rs draws the first category at the bottom.
    cities.sort_by(|a, b| {
        b.1.iter()
            .sum::<u64>()
            .cmp(&a.1.iter().sum::<u64>())
            .then(a.0.cmp(&b.0))
    });
    let title = msg.text("viz_chart_organizations_title");
    let desc = fill(
        msg.text("viz_chart_organizations_desc"),
        &[
            ("count", &format_count(present.len() as u64, lang)),
            ("cities", &format_count(cities.len() as u64, lang)),
        ],
    );
    let drawn: Vec<&(String, Vec<u64>)> = cities.iter().rev().collect();
    let series: Vec<Series> = kinds
        .iter()
        .enumerate()
        .map(|(k, kind)| {
            let mut s: Series = (
                kind.label(lang),
                drawn.iter().map(|(_, v)| v[k] as f32).collect::<Vec<f32>>(),
            )
                .into();
            s.stack = Some("all".into());
            s
        })
        .collect();
    let mut chart = HorizontalBarChart::new(series, drawn.iter().map(|(c, _)| c.clone()).collect());
    style_base(&mut chart.base, title, kinds.len());
    chart.base.height = 180.0 + 46.0 * cities.len() as f32;
    let max_total = cities.iter().map(|c| c.1.iter().sum()).max().unwrap_or(0);
    let (max, split) = nice_axis(max_total);
    chart.base.x_axis.min = Some(0.0);
    chart.base.x_axis.max = Some(max as f64);
    chart.base.x_axis.formatter = Some("{t}".into());
    chart.base.x_axis.title = msg.text("viz_chart_organization_count").to_string();
    let _ = split;
    chart.y_axis_configs[0].title = Some(msg.text("viz_chart_city").to_string());
    let svg = finish(chart.svg(), title, &desc, lang)?;

    let mut headers = vec![msg.text("viz_chart_city").to_string()];
    headers.extend(kinds.iter().map(|k| k.label(lang).to_string()));
    headers.push(msg.text("viz_chart_total").to_string());
    let rows = cities
        .into_iter()
        .map(|(city, mut values)| {
            values.push(values.iter().sum());
            TableRow::new(city, values, lang)
        })
        .collect();
    Ok(Chart::new(svg, title, headers, rows))
}

/// Bilateral partners by world region.
pub fn partners_by_region(
    registry: &Registry,
    lang: Lang,
    msg: &dyn Messages,
) -> Result<Chart, ChartError> {
    let mut counts: BTreeMap<WorldRegion, u64> = BTreeMap::new();
    for p in registry.typed::<Partner>().filter(|p| p.bilateral) {
        *counts.entry(p.world_region).or_default() += 1;
    }
    let mut regions: Vec<(WorldRegion, u64)> = counts.into_iter().collect();
    regions.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let total: u64 = regions.iter().map(|r| r.1).sum();
    let title = msg.text("viz_chart_partners_title");
    let desc = fill(
        msg.text("viz_chart_partners_desc"),
        &[
            ("count", &format_count(total, lang)),
            ("regions", &format_count(regions.len() as u64, lang)),
        ],
    );
    let drawn: Vec<&(WorldRegion, u64)> = regions.iter().rev().collect();
    let mut s: Series = (
        msg.text("viz_chart_partner_count"),
        drawn.iter().map(|(_, n)| *n as f32).collect::<Vec<f32>>(),
    )
        .into();
    s.colors = Some(
        drawn
            .iter()
            .map(|(r, _)| Some(colour(crate::map::region_colour(*r))))
            .collect(),
    );
    s.label_show = true;
    let mut chart = HorizontalBarChart::new(
        vec![s],
        drawn
            .iter()
            .map(|(r, _)| r.label(lang).to_string())
            .collect(),
    );
    style_base(&mut chart.base, title, 0);
    chart.base.height = 140.0 + 40.0 * regions.len() as f32;
    let (max, _) = nice_axis(regions.first().map(|r| r.1).unwrap_or(0));
    chart.base.x_axis.min = Some(0.0);
    chart.base.x_axis.max = Some(max as f64);
    chart.base.x_axis.formatter = Some("{t}".into());
    chart.base.x_axis.title = msg.text("viz_chart_partner_count").to_string();
    chart.series_label_position = Some(Position::Right);
    chart.base.series.label.formatter = "{t}".into();
    let svg = finish(chart.svg(), title, &desc, lang)?;
    let rows = regions
        .iter()
        .map(|(r, n)| TableRow::new(r.label(lang).to_string(), vec![*n], lang))
        .collect();
    let headers = vec![
        msg.text("viz_chart_region").to_string(),
        msg.text("viz_chart_partner_count").to_string(),
    ];
    Ok(Chart::new(svg, title, headers, rows))
}

/// The look shared by every chart: our palette, a readable font size, the
/// legend below the plot when there is one.
fn style_base(base: &mut charts_rs::ChartBase, title: &str, legend_entries: usize) {
    // Narrow enough that labels stay legible when scaled to a phone.
    base.width = 640.0;
    base.title.text = title.to_string();
    base.title.font.size = 17.0;
    base.legend.show = Some(legend_entries > 1);
    base.legend.position = Some(Position::Bottom);
    base.legend.font.size = 16.0;
    base.legend.category = LegendCategory::Rect;
    base.x_axis.font.size = 16.0;
    base.series.colors = PALETTE.iter().map(|c| colour(c)).collect();
}

/// An axis maximum and a number of intervals such that every tick is a
/// whole number and the axis holds `max`.
pub(crate) fn nice_axis(max: u64) -> (u64, usize) {
    let mut step = 1u64;
    loop {
        for m in [1, 2, 5] {
            let s = step * m;
            let intervals = max.div_ceil(s).max(1);
            if intervals <= 6 {
                return (s * intervals, intervals as usize);
            }
        }
        step *= 10;
    }
}

/// Makes charts-rs output fit the portal: an accessible name and
/// description, a width that follows the page, the portal's fonts, and
/// French digit grouping ("1 234") in the labels.
fn finish(
    svg: Result<String, charts_rs::Error>,
    title: &str,
    desc: &str,
    lang: Lang,
) -> Result<String, ChartError> {
    let svg = svg.map_err(|e| ChartError(e.to_string()))?;
    let svg = charts_rs::svg_with_accessibility(&svg, title, desc);
    let svg = responsive_root(&svg);
    let svg = svg.replace(
        r#"font-family="Roboto""#,
        &format!(r#"font-family="{FONT}""#),
    );
    Ok(match lang {
        Lang::Fr => french_grouping(&svg),
        Lang::En => svg,
    })
}

/// Replaces the root's fixed `width`/`height` with `width="100%"`, keeping
/// the viewBox, so the chart scales to its container.
fn responsive_root(svg: &str) -> String {
    let Some(end) = svg.find('>') else {
        return svg.to_string();
    };
    let (open, rest) = svg.split_at(end);
    let mut out = String::new();
    for (i, part) in open.split(' ').enumerate() {
        if part.starts_with("width=") || part.starts_with("height=") {
            continue;
        }
        if i > 0 {
            out.push(' ');
        }
        out.push_str(part);
    }
    out.push_str(r#" width="100%" class="viz viz-chart""#);
    out.push_str(rest);
    out
}

/// In text nodes that are a grouped number ("12,345"), puts French
/// non-breaking spaces in place of the commas charts-rs writes.
fn french_grouping(svg: &str) -> String {
    let mut out = String::with_capacity(svg.len());
    let mut rest = svg;
    while let Some(start) = rest.find("<text") {
        let Some(open_end) = rest[start..].find('>') else {
            break;
        };
        let content_start = start + open_end + 1;
        let Some(close) = rest[content_start..].find("</text>") else {
            break;
        };
        let content = &rest[content_start..content_start + close];
        out.push_str(&rest[..content_start]);
        if is_grouped_number(content.trim()) {
            out.push_str(&content.replace(',', "\u{a0}"));
        } else {
            out.push_str(content);
        }
        rest = &rest[content_start + close..];
    }
    out.push_str(rest);
    out
}

fn is_grouped_number(s: &str) -> bool {
    let groups: Vec<&str> = s.split(',').collect();
    groups.len() > 1
        && !groups[0].is_empty()
        && groups[0].len() <= 3
        && groups.iter().all(|g| g.chars().all(|c| c.is_ascii_digit()))
        && groups[1..].iter().all(|g| g.len() == 3)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axes_have_whole_ticks() {
        assert_eq!(nice_axis(0), (1, 1));
        assert_eq!(nice_axis(4), (4, 4));
        assert_eq!(nice_axis(7), (8, 4));
        assert_eq!(nice_axis(33), (40, 4));
        assert_eq!(nice_axis(1234), (1500, 3));
        for max in 0..500 {
            let (top, n) = nice_axis(max);
            assert!(top >= max && n <= 6 && top % n as u64 == 0, "{max}");
        }
    }

    #[test]
    fn french_grouping_touches_only_grouped_numbers() {
        let svg = "<svg><text x=\"1\">\n1,234\n</text><text>2001</text><text>a, b</text><text>12,5</text></svg>";
        assert_eq!(
            french_grouping(svg),
            "<svg><text x=\"1\">\n1\u{a0}234\n</text><text>2001</text><text>a, b</text><text>12,5</text></svg>"
        );
    }

    #[test]
    fn the_root_follows_the_page_width() {
        let svg = r#"<svg width="600" height="400" viewBox="0 0 600 400" xmlns="http://www.w3.org/2000/svg" role="img">
<rect width="600"/></svg>"#;
        let out = responsive_root(svg);
        assert!(out.starts_with(r#"<svg viewBox="0 0 600 400" xmlns="http://www.w3.org/2000/svg" role="img" width="100%""#), "{out}");
        assert!(out.contains(r#"<rect width="600"/>"#));
    }
}
