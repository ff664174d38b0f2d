//! The network drawn in the served pages (issue 8), over a real store on
//! SQLite and PostgreSQL: the pages carry the SVGs, every SVG is well-formed
//! XML, the map has one mark per located partner with its link and name,
//! chart totals equal counts taken from the database, and adding a partner
//! or an agreement through the store changes the served drawings.

use paradiplo_app::testkit::TestApp;
use paradiplo_core::records::Presence;
use paradiplo_core::{AnyRecord, Lang, RecordKind, RecordState};
use paradiplo_store::{Store, Visibility};
use paradiplo_testkit::{TestDb, backend_tests};

/// Every inline `<svg>…</svg>` of a page (the drawings hold no nested svg).
fn svgs(html: &str) -> Vec<&str> {
    let mut out = vec![];
    let mut rest = html;
    while let Some(start) = rest.find("<svg") {
        let end = rest[start..].find("</svg>").expect("svg closed") + start + "</svg>".len();
        out.push(&rest[start..end]);
        rest = &rest[end..];
    }
    out
}

/// The one SVG of the page with this class ("viz-map", "viz-chart"…),
/// parsed: the test fails if it is not well-formed XML.
fn drawing<'a>(html: &'a str, class: &str) -> roxmltree::Document<'a> {
    let found: Vec<&str> = svgs(html)
        .into_iter()
        .filter(|s| s[..s.find('>').unwrap()].contains(class))
        .collect();
    assert_eq!(found.len(), 1, "one {class} in the page");
    let doc = roxmltree::Document::parse(found[0]).unwrap_or_else(|e| panic!("{class}: {e}"));
    assert_eq!(
        doc.root_element().tag_name().namespace(),
        Some("http://www.w3.org/2000/svg")
    );
    doc
}

/// The "Total" column of the table that follows the chart `id`, summed.
fn chart_total(html: &str, id: &str) -> u64 {
    let section = &html[html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no {id}"))..];
    let start = section.find("<table").unwrap();
    let end = section.find("</table>").unwrap() + "</table>".len();
    let table = roxmltree::Document::parse(&section[start..end]).expect("table is XML");
    let headers: Vec<String> = table
        .descendants()
        .filter(|n| n.has_tag_name("th") && n.attribute("scope") == Some("col"))
        .map(|n| n.text().unwrap_or_default().to_string())
        .collect();
    assert!(
        headers.last().is_some_and(|h| h == "Total") || headers.len() == 2,
        "{headers:?}"
    );
    table
        .descendants()
        .filter(|n| n.has_tag_name("tr") && n.parent().is_some_and(|p| p.has_tag_name("tbody")))
        .map(|tr| {
            let last = tr.children().rfind(|c| c.has_tag_name("td")).unwrap();
            last.text()
                .unwrap()
                .replace(['\u{a0}', ','], "")
                .parse::<u64>()
                .unwrap()
        })
        .sum()
}

/// (href, accessible name) of every partner mark on the map.
fn partner_marks(doc: &roxmltree::Document) -> Vec<(String, String)> {
    doc.descendants()
        .filter(|n| {
            n.has_tag_name("a")
                && n.attribute("class") == Some("viz-mark")
                && n.attribute("data-kind") == Some("partner")
        })
        .map(|n| {
            (
                n.attribute("href").unwrap().to_string(),
                n.attribute("aria-label").unwrap().to_string(),
            )
        })
        .collect()
}

async fn public(store: &Store) -> Vec<AnyRecord> {
    store
        .all(Visibility::Public)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.record)
        .collect()
}

async fn pages_carry_well_formed_drawings(db: &TestDb) {
    let app = TestApp::seeded(db).await;
    let store = app.store.clone();
    for (path, classes) in [
        ("/partenaires", &["viz-map"][..]),
        ("/en/partners", &["viz-map"]),
        ("/partenaires-et-organisations", &["viz-map", "viz-chart"]),
        ("/en/partners-and-organizations", &["viz-map", "viz-chart"]),
        ("/regroupements", &["viz-graph"]),
        ("/en/groupings", &["viz-graph"]),
        ("/ententes", &["viz-chart"]),
        ("/en/agreements", &["viz-chart"]),
        ("/organisations", &["viz-chart"]),
        ("/en/organizations", &["viz-chart"]),
    ] {
        let html = app.get_ok(path).await;
        assert_eq!(svgs(&html).len(), classes.len(), "{path}");
        for class in classes {
            drawing(&html, class);
        }
    }
    // Filtered and later pages of a list keep to the list.
    for path in ["/partenaires?region=asia", "/ententes?page=2"] {
        assert!(svgs(&app.get_ok(path).await).is_empty(), "{path}");
    }
    store.close().await;
}

async fn one_mark_per_located_partner_with_link_and_name(db: &TestDb) {
    let app = TestApp::seeded(db).await;
    let store = app.store.clone();
    let located: Vec<_> = public(&store)
        .await
        .into_iter()
        .filter_map(|r| match r {
            AnyRecord::Partner(p) if p.location.is_some() => Some(p),
            _ => None,
        })
        .collect();
    assert!(located.len() > 10);
    for (path, lang, prefix) in [
        ("/partenaires", Lang::Fr, "/partenaires/"),
        ("/en/partners", Lang::En, "/en/partners/"),
        ("/partenaires-et-organisations", Lang::Fr, "/partenaires/"),
    ] {
        let html = app.get_ok(path).await;
        let marks = partner_marks(&drawing(&html, "viz-map"));
        assert_eq!(marks.len(), located.len(), "{path}");
        for p in &located {
            let href = format!("{prefix}{}", p.slug);
            let found: Vec<_> = marks.iter().filter(|(h, _)| *h == href).collect();
            assert_eq!(found.len(), 1, "{path}: one mark for {href}");
            assert!(found[0].1.starts_with(p.name.get(lang)), "{}", found[0].1);
            // The link leads to the partner's page.
            assert!(app.get_ok(&href).await.contains(p.name.get(lang)));
        }
    }
    store.close().await;
}

async fn chart_totals_equal_database_counts(db: &TestDb) {
    let app = TestApp::seeded(db).await;
    let store = app.store.clone();
    let all = public(&store).await;
    let signed = all
        .iter()
        .filter(|r| matches!(r, AnyRecord::Agreement(a) if a.signed.is_some()))
        .count() as u64;
    let present = all
        .iter()
        .filter(|r| {
            matches!(r, AnyRecord::Organization(o) if o.presence != Presence::None && !o.historical)
        })
        .count() as u64;
    let bilateral = all
        .iter()
        .filter(|r| matches!(r, AnyRecord::Partner(p) if p.bilateral))
        .count() as u64;
    assert!(signed > 10 && present > 10 && bilateral > 10);
    for (fr, en, id, count) in [
        ("/ententes", "/en/agreements", "graphique-ententes", signed),
        (
            "/organisations",
            "/en/organizations",
            "graphique-organisations",
            present,
        ),
        (
            "/partenaires-et-organisations",
            "/en/partners-and-organizations",
            "graphique-partenaires",
            bilateral,
        ),
    ] {
        assert_eq!(chart_total(&app.get_ok(fr).await, id), count, "{fr}");
        assert_eq!(chart_total(&app.get_ok(en).await, id), count, "{en}");
    }
    store.close().await;
}

async fn adding_records_changes_the_served_drawings(db: &TestDb) {
    let app = TestApp::seeded(db).await;
    let store = app.store.clone();
    let before_map = partner_marks(&drawing(&app.get_ok("/partenaires").await, "viz-map")).len();
    let before_agreements = chart_total(&app.get_ok("/ententes").await, "graphique-ententes");
    let hub = app.get_ok("/partenaires-et-organisations").await;
    let before_bilateral = chart_total(&hub, "graphique-partenaires");

    let tyrol = AnyRecord::from_json(
        RecordKind::Partner,
        serde_json::json!({
            "slug": "tyrol-essai", "name": {"fr": "Tyrol d’essai", "en": "Test Tyrol"},
            "kind": "federated_state", "country": "AT", "subdivision": "AT-7",
            "world_region": "western_europe", "bilateral": true,
            "location": {"lat": 47.269, "lon": 11.404},
            "summary": {"fr": "Essai.", "en": "Test."}
        }),
    )
    .unwrap();
    store
        .create(tyrol, RecordState::Published, "t", "n")
        .await
        .unwrap();
    let marks = partner_marks(&drawing(&app.get_ok("/partenaires").await, "viz-map"));
    assert_eq!(marks.len(), before_map + 1);
    let m: Vec<_> = marks
        .iter()
        .filter(|(h, _)| h == "/partenaires/tyrol-essai")
        .collect();
    assert_eq!(m.len(), 1);
    assert!(m[0].1.starts_with("Tyrol d’essai"), "{}", m[0].1);
    let en = partner_marks(&drawing(&app.get_ok("/en/partners").await, "viz-map"));
    assert!(
        en.iter()
            .any(|(h, l)| h == "/en/partners/tyrol-essai" && l.starts_with("Test Tyrol"))
    );
    let hub = app.get_ok("/partenaires-et-organisations").await;
    assert_eq!(
        chart_total(&hub, "graphique-partenaires"),
        before_bilateral + 1
    );
    assert_eq!(
        partner_marks(&drawing(&hub, "viz-map")).len(),
        before_map + 1
    );

    an_agreement_of_a_new_year_joins_the_chart(&app, &store, before_agreements).await;
    // A draft changes nothing.
    let draft = AnyRecord::from_json(
        RecordKind::Partner,
        serde_json::json!({
            "slug": "tyrol-brouillon", "name": {"fr": "Brouillon", "en": "Draft"},
            "kind": "federated_state", "country": "AT",
            "world_region": "western_europe", "bilateral": true,
            "location": {"lat": 47.0, "lon": 11.0},
            "summary": {"fr": "Essai.", "en": "Test."}
        }),
    )
    .unwrap();
    store
        .create(draft, RecordState::Draft, "t", "n")
        .await
        .unwrap();
    assert_eq!(
        partner_marks(&drawing(&app.get_ok("/partenaires").await, "viz-map")).len(),
        before_map + 1
    );
    store.close().await;
}

backend_tests!(
    pages_carry_well_formed_drawings,
    one_mark_per_located_partner_with_link_and_name,
    chart_totals_equal_database_counts,
    adding_records_changes_the_served_drawings,
);

/// An agreement signed in a new year: one more in the chart, and its year.
async fn an_agreement_of_a_new_year_joins_the_chart(app: &TestApp, store: &Store, before: u64) {
    let mut json = public(store)
        .await
        .into_iter()
        .find_map(|r| match r {
            AnyRecord::Agreement(a) if a.signed.is_some() => {
                Some(AnyRecord::Agreement(a).to_json())
            }
            _ => None,
        })
        .unwrap();
    json["slug"] = "entente-essai".into();
    json["signed"] = "2025-03-14".into();
    // Signed in 2025: nothing of what followed the original's signature.
    json["status"] = "signed".into();
    for later in ["in_force", "ended", "provisional_application"] {
        json.as_object_mut().unwrap().remove(later);
    }
    let agreement = AnyRecord::from_json(RecordKind::Agreement, json).unwrap();
    store
        .create(agreement, RecordState::Published, "t", "n")
        .await
        .unwrap();
    let html = app.get_ok("/ententes").await;
    assert_eq!(chart_total(&html, "graphique-ententes"), before + 1);
    drawing(&html, "viz-chart");
    assert!(
        html.contains("<th scope=\"row\">2025</th>"),
        "the table has the new year"
    );
}
