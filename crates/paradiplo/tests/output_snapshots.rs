//! What the public sees, pinned: the OpenAPI document and one page of each
//! type in both languages, as snapshots under `tests/snapshots/`. A change
//! in output is then a diff someone reviews (`cargo insta review`, or
//! `INSTA_UPDATE=always` then `git diff`), never a surprise.
//!
//! Only what changes by itself is masked: the day the registry was loaded
//! (pages' "last update" and history dates) and per-request secrets.

use paradiplo_app::testkit::TestApp;
use paradiplo_testkit::TestDb;

/// One page of each type: (snapshot name, French path, English path).
const PAGES: &[(&str, &str, &str)] = &[
    ("home", "/", "/en/"),
    (
        "hub",
        "/partenaires-et-organisations",
        "/en/partners-and-organizations",
    ),
    ("partner_list", "/partenaires", "/en/partners"),
    ("partner", "/partenaires/baviere", "/en/partners/baviere"),
    ("grouping_list", "/regroupements", "/en/groupings"),
    (
        "grouping",
        "/regroupements/regions-partenaires",
        "/en/groupings/regions-partenaires",
    ),
    ("organization_list", "/organisations", "/en/organizations"),
    (
        "organization",
        "/organisations/unesco",
        "/en/organizations/unesco",
    ),
    ("agreement_list", "/ententes", "/en/agreements"),
    ("agreement", "/ententes/aecg", "/en/agreements/aecg"),
    ("event_list", "/evenements", "/en/events"),
    (
        "event",
        "/evenements/cgna-pmec-2018",
        "/en/events/cgna-pmec-2018",
    ),
    ("open_data", "/donnees-ouvertes", "/en/open-data"),
    ("not_found", "/nulle-part", "/en/nowhere"),
];

/// Masks what differs between two runs on different days.
fn settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_prepend_module_to_snapshot(false);
    // ISO timestamps and dates (datetime attributes, JSON-LD, feeds).
    s.add_filter(
        r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z",
        "[timestamp]",
    );
    s.add_filter(r#"datetime="\d{4}-\d{2}-\d{2}""#, r#"datetime="[date]""#);
    s.add_filter(
        r#""(dateModified|datePublished|modified|issued)":\s*"\d{4}-\d{2}-\d{2}""#,
        r#""$1": "[date]""#,
    );
    // Dates written out, French and English ("7 décembre 2026", "December 7, 2026").
    s.add_filter(
        r"\b(1er|\d{1,2})(&nbsp;|\u{a0}| )(janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre)(&nbsp;|\u{a0}| )20[2-9]\d\b",
        "[date]",
    );
    s.add_filter(
        r"\b(January|February|March|April|May|June|July|August|September|October|November|December) \d{1,2}, 20[2-9]\d\b",
        "[date]",
    );
    // The whole-registry export and the change feeds carry write times, whose
    // printed length varies from run to run (fractional seconds): their sizes
    // are masked.
    s.add_filter(
        r#"((?:registry\.json|changes\.(?:fr|en)\.atom)" download>[^<]*</a></th><td>[^<]+</td><td data-bytes=")\d+(">)[^<]+"#,
        "${1}[bytes]${2}[size]",
    );
    // Per-request secrets of forms.
    s.add_filter(
        r#"name="(csrf|token)" value="[^"]*""#,
        r#"name="$1" value="[secret]""#,
    );
    s
}

#[tokio::test]
async fn openapi_document() {
    let db = TestDb::sqlite();
    let app = TestApp::seeded(&db).await;
    let doc = app.get("/api/openapi.json").await.json();
    settings().bind(|| {
        insta::assert_snapshot!("openapi", serde_json::to_string_pretty(&doc).unwrap());
    });
}

#[tokio::test]
async fn one_page_of_each_type_in_both_languages() {
    let db = TestDb::sqlite();
    let app = TestApp::seeded(&db).await;
    for (name, fr, en) in PAGES {
        for (lang, path) in [("fr", fr), ("en", en)] {
            let page = app.get(path).await;
            let expected = if *name == "not_found" { 404 } else { 200 };
            assert_eq!(page.status.as_u16(), expected, "{path}");
            settings().bind(|| {
                insta::assert_snapshot!(format!("page_{name}_{lang}"), page.body);
            });
        }
    }
}
