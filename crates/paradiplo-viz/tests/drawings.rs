//! The drawings of the bundled dataset: well-formed, complete, and counted
//! from the registry.

use paradiplo_core::records::{
    Agreement, Membership, Organization, Partner, Presence, Representation, WorldRegion,
};
use paradiplo_core::{GeoPoint, Lang, PartialDate, RecordState, Registry, Slug, Text};
use paradiplo_dataset::{DirSource, read_dataset};
use paradiplo_viz::{Links, MESSAGE_KEYS, MarkKind, Messages};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The published records of the bundled dataset, as the public sees them.
fn published() -> Registry {
    let ds = read_dataset(&DirSource(repo().join("data/quebec"))).expect("bundled dataset reads");
    let mut out = Registry::new();
    for r in ds.registry.iter() {
        if ds.state_of(r.kind(), r.slug()) == RecordState::Published {
            out.push(r.clone());
        }
    }
    out
}

fn messages(lang: Lang) -> BTreeMap<String, String> {
    let file = match lang {
        Lang::Fr => "fr.toml",
        Lang::En => "en.toml",
    };
    let raw = std::fs::read_to_string(repo().join("crates/paradiplo-web/locales").join(file))
        .expect("locale file");
    toml::from_str(&raw).expect("locale parses")
}

struct PortalLinks(Lang);

impl Links for PortalLinks {
    fn partner(&self, slug: &Slug) -> String {
        match self.0 {
            Lang::Fr => format!("/partenaires/{slug}"),
            Lang::En => format!("/en/partners/{slug}"),
        }
    }
    fn grouping(&self, slug: &Slug) -> String {
        match self.0 {
            Lang::Fr => format!("/regroupements/{slug}"),
            Lang::En => format!("/en/groupings/{slug}"),
        }
    }
}

/// Parses an SVG, failing the test with the parser's message if it is not
/// well-formed XML.
fn parse(svg: &str) -> roxmltree::Document<'_> {
    let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("not XML: {e}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.w3.org/2000/svg")
    );
    assert!(
        root.attribute("viewBox").is_some(),
        "a viewBox lets it scale"
    );
    assert_eq!(root.attribute("width"), Some("100%"));
    assert!(root.attribute("height").is_none(), "no fixed height");
    doc
}

/// The accessible name and description of an SVG root.
fn title_and_desc(doc: &roxmltree::Document) -> (String, String) {
    let child = |name: &str| {
        doc.root_element()
            .children()
            .find(|n| n.has_tag_name(name))
            .and_then(|n| n.text())
            .unwrap_or_default()
            .trim()
            .to_string()
    };
    (child("title"), child("desc"))
}

fn all_text(doc: &roxmltree::Document) -> String {
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .map(str::trim)
        .collect::<Vec<_>>()
        .join("|")
}

#[test]
fn every_message_exists_in_both_languages() {
    for lang in Lang::ALL {
        let m = messages(lang);
        for key in MESSAGE_KEYS {
            assert!(m.contains_key(*key), "{key} missing in {lang:?}");
        }
    }
}

#[test]
fn the_map_has_one_mark_per_located_record_with_its_link_and_name() {
    let registry = published();
    for lang in Lang::ALL {
        let msg = messages(lang);
        let links = PortalLinks(lang);
        let map = paradiplo_viz::world_map(&registry, lang, &msg, &links);
        let doc = parse(&map.svg);
        let (title, desc) = title_and_desc(&doc);
        assert_eq!(title, msg.text("viz_map_title"));
        assert!(!desc.is_empty());
        let root = doc.root_element();
        assert_eq!(root.attribute("aria-labelledby"), Some("viz-map-title"));

        // Partners: every one is in the table; the located ones are marks.
        let partners: Vec<&Partner> = registry.typed::<Partner>().collect();
        assert!(partners.len() > 30, "the bundled data has its partners");
        let marks: Vec<roxmltree::Node> = doc
            .descendants()
            .filter(|n| n.attribute("class") == Some("viz-mark"))
            .collect();
        for p in &partners {
            let row = map
                .marks
                .iter()
                .find(|m| m.kind == MarkKind::Partner && m.slug == p.slug.as_str())
                .unwrap_or_else(|| panic!("{} is not in the table", p.slug));
            assert_eq!(row.located, p.location.is_some());
            let drawn: Vec<&roxmltree::Node> = marks
                .iter()
                .filter(|n| {
                    n.attribute("data-kind") == Some("partner")
                        && n.attribute("data-slug") == Some(p.slug.as_str())
                })
                .collect();
            if p.location.is_none() {
                assert!(drawn.is_empty());
                continue;
            }
            assert_eq!(drawn.len(), 1, "{} must have exactly one mark", p.slug);
            let a = drawn[0];
            assert!(a.has_tag_name("a"));
            assert_eq!(a.attribute("href"), Some(links.partner(&p.slug).as_str()));
            let label = a.attribute("aria-label").unwrap();
            assert!(label.starts_with(p.name.get(lang)), "{label}");
            assert!(label.contains(p.world_region.label(lang)), "{label}");
            let tooltip = a.children().find(|c| c.has_tag_name("title")).unwrap();
            assert_eq!(tooltip.text(), Some(label));
        }
        // Open representations with a location are marks too, not links.
        let offices: Vec<&Representation> = registry
            .typed::<Representation>()
            .filter(|r| r.closed.is_none())
            .collect();
        let located_offices = offices.iter().filter(|r| r.location.is_some()).count();
        let office_marks: Vec<&roxmltree::Node> = marks
            .iter()
            .filter(|n| n.attribute("data-kind") == Some("representation"))
            .collect();
        assert!(located_offices > 10);
        assert_eq!(office_marks.len(), located_offices);
        for m in office_marks {
            let r = offices
                .iter()
                .find(|r| Some(r.slug.as_str()) == m.attribute("data-slug"))
                .unwrap();
            assert_eq!(m.attribute("role"), Some("img"));
            assert!(
                m.attribute("aria-label")
                    .unwrap()
                    .starts_with(r.name.get(lang))
            );
        }
        let located = partners.iter().filter(|p| p.location.is_some()).count();
        assert_eq!(marks.len(), located + located_offices);
        // The legend names the regions present.
        let text = all_text(&doc);
        for p in &partners {
            assert!(text.contains(p.world_region.label(lang)), "legend: {text}");
        }
    }
}

#[test]
fn a_partner_without_location_is_listed_not_dropped() {
    let mut registry = published();
    let mut p = registry.typed::<Partner>().next().unwrap().clone();
    p.slug = Slug::parse("nowhere").unwrap();
    p.location = None;
    registry.push(p);
    let msg = messages(Lang::Fr);
    let map = paradiplo_viz::world_map(&registry, Lang::Fr, &msg, &PortalLinks(Lang::Fr));
    let row = map.marks.iter().find(|m| m.slug == "nowhere").unwrap();
    assert!(!row.located);
    assert_eq!(row.href.as_deref(), Some("/partenaires/nowhere"));
    assert!(!map.svg.contains("data-slug=\"nowhere\""));
    let doc = parse(&map.svg);
    assert!(
        all_text(&doc).contains("absents de la carte"),
        "the legend says so"
    );
}

#[test]
fn the_map_follows_the_data() {
    let mut registry = published();
    let msg = messages(Lang::En);
    let links = PortalLinks(Lang::En);
    let before = paradiplo_viz::world_map(&registry, Lang::En, &msg, &links);
    let mut p = registry.typed::<Partner>().next().unwrap().clone();
    p.slug = Slug::parse("tasmania").unwrap();
    p.name = Text::new("Tasmanie", "Tasmania & Islands <test>");
    p.world_region = WorldRegion::Oceania;
    p.location = Some(GeoPoint {
        lat: -42.88,
        lon: 147.33,
    });
    registry.push(p);
    let after = paradiplo_viz::world_map(&registry, Lang::En, &msg, &links);
    assert_ne!(before.svg, after.svg);
    let doc = parse(&after.svg);
    let mark = doc
        .descendants()
        .find(|n| n.attribute("data-slug") == Some("tasmania"))
        .expect("the new partner is drawn");
    assert_eq!(mark.attribute("href"), Some("/en/partners/tasmania"));
    assert_eq!(
        mark.attribute("aria-label"),
        Some("Tasmania & Islands <test> — bilateral partner, Oceania"),
        "names are escaped, and read back intact"
    );
    assert!(
        all_text(&doc).contains("Oceania"),
        "the legend gains the region"
    );
}

/// Agreements with a signature date, by year, counted directly.
fn signed_per_year(registry: &Registry) -> BTreeMap<i32, u64> {
    let mut out = BTreeMap::new();
    for a in registry.typed::<Agreement>() {
        if let Some(d) = &a.signed {
            *out.entry(d.year()).or_default() += 1;
        }
    }
    out
}

/// The heights of the stacked bars, read back from the SVG.
fn bar_values(doc: &roxmltree::Document) -> Vec<(String, String, f64)> {
    doc.descendants()
        .filter(|n| n.has_tag_name("rect") && n.attribute("data-value").is_some())
        .map(|n| {
            (
                n.attribute("data-series").unwrap().to_string(),
                n.attribute("data-category").unwrap().to_string(),
                n.attribute("data-value").unwrap().parse().unwrap(),
            )
        })
        .collect()
}

#[test]
fn agreement_chart_totals_equal_the_registry() {
    let registry = published();
    let expected = signed_per_year(&registry);
    let total: u64 = expected.values().sum();
    assert!(total > 20);
    for lang in Lang::ALL {
        let msg = messages(lang);
        let chart = paradiplo_viz::agreements_by_year(&registry, lang, &msg).unwrap();
        let doc = parse(&chart.svg);
        let root = doc.root_element();
        assert_eq!(root.attribute("role"), Some("img"));
        let (title, desc) = title_and_desc(&doc);
        assert_eq!(title, msg.text("viz_chart_agreements_title"));
        assert!(desc.contains(&total.to_string()), "{desc}");
        // The bars of each year add up to that year's count.
        let mut drawn: BTreeMap<i32, f64> = BTreeMap::new();
        for (_, year, v) in bar_values(&doc) {
            *drawn.entry(year.parse().unwrap()).or_default() += v;
        }
        let drawn: BTreeMap<i32, u64> = drawn.into_iter().map(|(y, v)| (y, v as u64)).collect();
        assert_eq!(drawn, expected);
        assert_eq!(drawn.values().sum::<u64>(), total);
        // The table: one row per year with a signature, totals last.
        let t = &chart.table;
        assert_eq!(t.rows.len(), expected.len());
        for row in &t.rows {
            let year: i32 = row.label.parse().unwrap();
            assert_eq!(*row.values.last().unwrap(), expected[&year]);
            let parts: u64 = row.values[..row.values.len() - 1].iter().sum();
            assert_eq!(parts, expected[&year], "the domains add up");
            assert_eq!(row.cells.len(), t.headers.len() - 1);
        }
        assert_eq!(t.headers[0], msg.text("viz_chart_year"));
        assert_eq!(t.headers.last().unwrap(), msg.text("viz_chart_total"));
        // Axis titles in the page's language.
        let text = all_text(&doc);
        assert!(text.contains(msg.text("viz_chart_year")), "{text}");
        assert!(
            text.contains(msg.text("viz_chart_agreement_count")),
            "{text}"
        );
    }
}

#[test]
fn agreement_chart_follows_the_data_and_groups_digits_in_french() {
    let mut registry = published();
    let msg = messages(Lang::Fr);
    let before = paradiplo_viz::agreements_by_year(&registry, Lang::Fr, &msg).unwrap();
    let template = registry.typed::<Agreement>().next().unwrap().clone();
    // 1 500 agreements in one year: the axis goes past a thousand.
    for i in 0..1500 {
        let mut a = template.clone();
        a.slug = Slug::parse(&format!("bulk-{i}")).unwrap();
        a.signed = Some(PartialDate::parse("2030").unwrap());
        registry.push(a);
    }
    let after = paradiplo_viz::agreements_by_year(&registry, Lang::Fr, &msg).unwrap();
    assert_ne!(before.svg, after.svg);
    let row = after.table.rows.iter().find(|r| r.label == "2030").unwrap();
    assert_eq!(*row.values.last().unwrap(), 1500);
    assert_eq!(row.cells.last().unwrap(), "1\u{a0}500");
    let doc = parse(&after.svg);
    let text = all_text(&doc);
    assert!(
        text.contains("1\u{a0}600") || text.contains("1\u{a0}500"),
        "{text}"
    );
    assert!(
        !text.contains("1,"),
        "no English grouping in French: {text}"
    );
    let en = paradiplo_viz::agreements_by_year(&registry, Lang::En, &messages(Lang::En)).unwrap();
    assert!(all_text(&parse(&en.svg)).contains("1,"));
    // Years are categories, not numbers to group.
    assert!(
        bar_values(&doc)
            .iter()
            .any(|b| b.1 == "2030" && b.2 == 1500.0)
    );
    assert!(!after.svg.contains("2\u{a0}030"));
}

#[test]
fn an_agreement_without_domain_is_counted_apart() {
    let mut registry = published();
    let mut a = registry.typed::<Agreement>().next().unwrap().clone();
    a.slug = Slug::parse("no-domain").unwrap();
    a.domains.clear();
    a.signed = Some(PartialDate::parse("1990-05").unwrap());
    registry.push(a);
    let msg = messages(Lang::Fr);
    let chart = paradiplo_viz::agreements_by_year(&registry, Lang::Fr, &msg).unwrap();
    let col = chart
        .table
        .headers
        .iter()
        .position(|h| h == msg.text("viz_chart_no_domain"))
        .expect("a column for agreements without domain");
    let row = chart.table.rows.iter().find(|r| r.label == "1990").unwrap();
    assert_eq!(row.values[col - 1], 1);
}

#[test]
fn organization_chart_counts_present_non_historical_organizations() {
    let registry = published();
    let present: Vec<&Organization> = registry
        .typed::<Organization>()
        .filter(|o| o.presence != Presence::None && !o.historical)
        .collect();
    assert!(present.len() > 20);
    for lang in Lang::ALL {
        let msg = messages(lang);
        let chart = paradiplo_viz::organizations_in_home_state(&registry, lang, &msg).unwrap();
        let doc = parse(&chart.svg);
        let drawn: f64 = bar_values(&doc).iter().map(|b| b.2).sum();
        assert_eq!(drawn as usize, present.len());
        let table_total: u64 = chart
            .table
            .rows
            .iter()
            .map(|r| *r.values.last().unwrap())
            .sum();
        assert_eq!(table_total as usize, present.len());
        for row in &chart.table.rows {
            let n = present
                .iter()
                .filter(|o| o.city.as_ref().map(|c| c.get(lang)) == Some(row.label.as_str()))
                .count();
            assert_eq!(*row.values.last().unwrap() as usize, n, "{}", row.label);
        }
        let cities: BTreeSet<&str> = present
            .iter()
            .filter_map(|o| o.city.as_ref().map(|c| c.get(lang)))
            .collect();
        assert_eq!(chart.table.rows.len(), cities.len());
        let text = all_text(&doc);
        for c in cities {
            assert!(text.contains(c), "{c} is a label: {text}");
        }
        assert!(text.contains(msg.text("viz_chart_organization_count")));
    }
}

#[test]
fn partner_chart_counts_bilateral_partners_by_region() {
    let mut registry = published();
    let count = |r: &Registry| {
        let mut m: BTreeMap<String, u64> = BTreeMap::new();
        for p in r.typed::<Partner>().filter(|p| p.bilateral) {
            *m.entry(p.world_region.label(Lang::Fr).to_string())
                .or_default() += 1;
        }
        m
    };
    let msg = messages(Lang::Fr);
    let check = |registry: &Registry| {
        let chart = paradiplo_viz::partners_by_region(registry, Lang::Fr, &msg).unwrap();
        let expected = count(registry);
        let got: BTreeMap<String, u64> = chart
            .table
            .rows
            .iter()
            .map(|r| (r.label.clone(), r.values[0]))
            .collect();
        assert_eq!(got, expected);
        let doc = parse(&chart.svg);
        let drawn: f64 = bar_values(&doc).iter().map(|b| b.2).sum();
        assert_eq!(drawn as u64, expected.values().sum::<u64>());
        chart.svg
    };
    let before = check(&registry);
    let mut p = registry.typed::<Partner>().next().unwrap().clone();
    p.slug = Slug::parse("new-one").unwrap();
    p.world_region = WorldRegion::Africa;
    p.bilateral = true;
    registry.push(p);
    let after = check(&registry);
    assert_ne!(before, after);
    assert!(after.contains("Afrique"));
}

#[test]
fn the_graph_links_groupings_and_members() {
    let registry = published();
    let home = registry.home().unwrap().slug.clone();
    for lang in Lang::ALL {
        let msg = messages(lang);
        let links = PortalLinks(lang);
        let graph = paradiplo_viz::groupings_graph(&registry, lang, &msg, &links);
        let doc = parse(&graph.svg);
        let (title, _) = title_and_desc(&doc);
        assert_eq!(title, msg.text("viz_graph_title"));
        let nodes: Vec<roxmltree::Node> = doc
            .descendants()
            .filter(|n| n.attribute("class") == Some("viz-node"))
            .collect();
        let groupings: Vec<_> = registry
            .typed::<paradiplo_core::records::Grouping>()
            .collect();
        let members: BTreeSet<&str> = groupings
            .iter()
            .flat_map(|g| g.members.iter())
            .filter(|m: &&Membership| m.until.is_none() && m.member != home)
            .map(|m| m.member.as_str())
            .collect();
        assert_eq!(nodes.len(), groupings.len() + members.len());
        for g in &groupings {
            let n = nodes
                .iter()
                .find(|n| n.attribute("data-slug") == Some(g.slug.as_str()))
                .unwrap();
            assert_eq!(n.attribute("href"), Some(links.grouping(&g.slug).as_str()));
            let label = n.attribute("aria-label").unwrap();
            assert!(label.contains(g.name.get(lang)), "{label}");
            // The accessible name starts with the visible text, words
            // apart (WCAG 2.5.3, axe's label-content-name-mismatch).
            let visible: String = n
                .descendants()
                .filter(|t| t.is_text() && t.parent().is_some_and(|p| p.has_tag_name("tspan")))
                .filter_map(|t| t.text())
                .collect();
            assert!(!visible.is_empty());
            assert!(label.starts_with(&visible), "{label} / {visible}");
        }
        for m in &members {
            let n = nodes
                .iter()
                .find(|n| {
                    n.attribute("data-kind") == Some("partner")
                        && n.attribute("data-slug") == Some(m)
                })
                .unwrap();
            let slug = Slug::parse(m).unwrap();
            assert_eq!(n.attribute("href"), Some(links.partner(&slug).as_str()));
        }
        // One line per current membership of a partner.
        let lines = doc
            .descendants()
            .filter(|n| {
                n.has_tag_name("path")
                    && n.parent()
                        .is_some_and(|p| p.attribute("aria-hidden") == Some("true"))
            })
            .count();
        let memberships: usize = graph.groupings.iter().map(|(_, m)| m.len()).sum();
        assert_eq!(lines, memberships);
        assert!(memberships >= members.len());
    }
}

#[test]
fn drawings_of_an_empty_registry_are_still_valid() {
    let registry = Registry::new();
    let msg = messages(Lang::Fr);
    let links = PortalLinks(Lang::Fr);
    parse(&paradiplo_viz::world_map(&registry, Lang::Fr, &msg, &links).svg);
    parse(
        &paradiplo_viz::agreements_by_year(&registry, Lang::Fr, &msg)
            .unwrap()
            .svg,
    );
    parse(
        &paradiplo_viz::organizations_in_home_state(&registry, Lang::Fr, &msg)
            .unwrap()
            .svg,
    );
    parse(
        &paradiplo_viz::partners_by_region(&registry, Lang::Fr, &msg)
            .unwrap()
            .svg,
    );
    parse(&paradiplo_viz::groupings_graph(&registry, Lang::Fr, &msg, &links).svg);
}

/// Writes every drawing of the bundled dataset to `target/viz/` so a person
/// can look at them (and the page weight budget can be checked).
#[test]
fn writes_the_drawings_for_review() {
    let registry = published();
    let dir = repo().join("target/viz");
    std::fs::create_dir_all(&dir).unwrap();
    for lang in Lang::ALL {
        let msg = messages(lang);
        let links = PortalLinks(lang);
        let code = lang.code();
        let files = [
            (
                "map",
                paradiplo_viz::world_map(&registry, lang, &msg, &links).svg,
            ),
            (
                "agreements",
                paradiplo_viz::agreements_by_year(&registry, lang, &msg)
                    .unwrap()
                    .svg,
            ),
            (
                "organizations",
                paradiplo_viz::organizations_in_home_state(&registry, lang, &msg)
                    .unwrap()
                    .svg,
            ),
            (
                "partners",
                paradiplo_viz::partners_by_region(&registry, lang, &msg)
                    .unwrap()
                    .svg,
            ),
            (
                "groupings",
                paradiplo_viz::groupings_graph(&registry, lang, &msg, &links).svg,
            ),
        ];
        for (name, svg) in files {
            std::fs::write(dir.join(format!("{name}-{code}.svg")), &svg).unwrap();
        }
    }
    let map = std::fs::metadata(dir.join("map-fr.svg")).unwrap().len();
    // The map page must stay under 150 KB with its table and layout; the
    // drawing itself gets at most 100 KB of that.
    assert!(map < 100_000, "map is {map} bytes");
}

/// The home state's mark: one bull's-eye named on the map, in the legend,
/// and to screen readers.
fn home_marks<'a>(doc: &'a roxmltree::Document<'a>) -> Vec<roxmltree::Node<'a, 'a>> {
    doc.descendants()
        .filter(|n| n.attribute("data-kind") == Some("home"))
        .collect()
}

#[test]
fn the_home_state_is_marked_and_named() {
    let registry = published();
    for (lang, legend) in [
        (Lang::Fr, "Québec, État d’attache"),
        (Lang::En, "Québec, home state"),
    ] {
        let msg = messages(lang);
        let map = paradiplo_viz::world_map(&registry, lang, &msg, &PortalLinks(lang));
        let doc = parse(&map.svg);
        let homes = home_marks(&doc);
        assert_eq!(homes.len(), 1, "one home mark in {lang:?}");
        let home = homes[0];
        assert_eq!(home.attribute("role"), Some("img"));
        let label = home.attribute("aria-label").unwrap();
        assert!(label.starts_with("Québec — "), "{label}");
        let name: String = home
            .descendants()
            .filter(|n| n.has_tag_name("text"))
            .filter_map(|n| n.text())
            .collect();
        assert_eq!(name, "Québec");
        assert!(all_text(&doc).contains(legend), "the legend names it");
        // It is not a row of the partners' table.
        assert!(map.marks.iter().all(|m| m.slug != "quebec"));
    }
}

#[test]
fn a_home_state_without_a_known_seat_is_not_marked() {
    let mut registry = Registry::new();
    for r in published().iter() {
        let mut r = r.clone();
        if let paradiplo_core::AnyRecord::Home(h) = &mut r {
            h.subdivision = paradiplo_core::SubdivisionCode::parse("DE-BY").unwrap();
        }
        registry.push(r);
    }
    let msg = messages(Lang::Fr);
    let map = paradiplo_viz::world_map(&registry, Lang::Fr, &msg, &PortalLinks(Lang::Fr));
    let doc = parse(&map.svg);
    assert!(home_marks(&doc).is_empty());
    assert!(!all_text(&doc).contains("État d’attache"));
}
