//! The application over a real store, on SQLite and PostgreSQL: the bundled
//! dataset, import/export round trips, and the HTTP server.

use axum::http::StatusCode;
use paradiplo::ops;
use paradiplo_app::testkit::TestApp;
use paradiplo_core::records::{self, Presence};
use paradiplo_core::{AnyRecord, RecordKind, RecordState};
use paradiplo_store::{Store, Visibility};
use paradiplo_testkit::{TestDb, backend_tests};
use std::path::{Path, PathBuf};

fn repo_dataset() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/quebec")
}

fn count_cell(html: &str, kind: &str) -> String {
    let marker = format!("data-kind=\"{kind}\">");
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no count for {kind}"))
        + marker.len();
    html[start..].split('<').next().unwrap().to_string()
}

async fn export_import_export_is_identical(db: &TestDb) {
    let store = TestApp::seeded(db).await.store;
    let out1 = db.dir.path().join("export1");
    ops::export(&store, &out1, true).await.unwrap();

    let other = TestDb::sqlite();
    let store2 = Store::open(&other.url).await.unwrap();
    let dataset = ops::check(&out1).unwrap();
    let report = ops::import(&store2, &dataset, "test", "round trip")
        .await
        .unwrap();
    assert_eq!(
        report.created,
        store.all(Visibility::All).await.unwrap().len()
    );
    let out2 = db.dir.path().join("export2");
    ops::export(&store2, &out2, true).await.unwrap();
    assert_dirs_equal(&out1, &out2);
    // The same registry, record by record.
    assert_eq!(
        store.registry(Visibility::All).await.unwrap(),
        store2.registry(Visibility::All).await.unwrap()
    );
    store.close().await;
}

fn assert_dirs_equal(a: &Path, b: &Path) {
    let list = |d: &Path| -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> = walk(d)
            .into_iter()
            .map(|p| p.strip_prefix(d).unwrap().to_path_buf())
            .collect();
        v.sort();
        v
    };
    assert_eq!(list(a), list(b), "same files");
    for rel in list(a) {
        assert_eq!(
            std::fs::read(a.join(&rel)).unwrap(),
            std::fs::read(b.join(&rel)).unwrap(),
            "{} differs",
            rel.display()
        );
    }
}

fn walk(d: &Path) -> Vec<PathBuf> {
    let mut out = vec![];
    for e in std::fs::read_dir(d).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

async fn home_page_counts_follow_the_database(db: &TestDb) {
    let app = TestApp::seeded(db).await;
    let store = app.store.clone();
    let (status, html) = app.get("/").await.status_and_body();
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<html lang=\"fr\">"));
    // The home page counts what the hub counts: bilateral partners, and
    // organizations with a seat or office here that are not historical.
    let public = store.registry(Visibility::Public).await.unwrap();
    let bilateral = public
        .typed::<records::Partner>()
        .filter(|p| p.bilateral)
        .count();
    let present = public
        .typed::<records::Organization>()
        .filter(|o| o.presence != Presence::None && !o.historical)
        .count();
    assert!(bilateral > 20 && present > 20, "{bilateral} {present}");
    assert_eq!(count_cell(&html, "partner"), bilateral.to_string());
    assert_eq!(count_cell(&html, "organization"), present.to_string());
    assert!(
        html.contains("Dernière mise à jour\u{a0}: "),
        "the last update line in Québec typography"
    );

    // Add a bilateral partner: the page counts it.
    let before = bilateral;
    let partner = AnyRecord::from_json(
        RecordKind::Partner,
        serde_json::json!({
            "slug": "test-tyrol", "name": {"fr": "Tyrol", "en": "Tyrol"}, "kind": "federated_state",
            "country": "AT", "subdivision": "AT-7", "world_region": "western_europe",
            "summary": {"fr": "Essai.", "en": "Test."}
        }),
    )
    .unwrap();
    store
        .create(partner.clone(), RecordState::Published, "test", "add")
        .await
        .unwrap();
    let (_, html) = app.get("/").await.status_and_body();
    assert_eq!(count_cell(&html, "partner"), (before + 1).to_string());
    // A draft is not counted on the public page.
    let draft = AnyRecord::from_json(RecordKind::Partner, {
        let mut v = partner.to_json();
        v["slug"] = "test-draft".into();
        v
    })
    .unwrap();
    store
        .create(draft, RecordState::Draft, "test", "draft")
        .await
        .unwrap();
    let (_, html) = app.get("/").await.status_and_body();
    assert_eq!(count_cell(&html, "partner"), (before + 1).to_string());

    let (status, html) = app.get("/en/").await.status_and_body();
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<html lang=\"en\">"));
    assert!(html.contains("Last updated: "));
    assert!(html.contains("Partners"));
    store.close().await;
}

async fn health_metrics_and_not_found(db: &TestDb) {
    let app = TestApp::seeded(db).await;
    let store = app.store.clone();
    let (status, body) = app.get("/healthz").await.status_and_body();
    assert_eq!((status, body.as_str()), (StatusCode::OK, "ok\n"));
    let (status, html) = app.get("/nulle-part").await.status_and_body();
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("Page introuvable"));
    let (status, html) = app.get("/en/nowhere").await.status_and_body();
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("Page not found"));
    // Metrics are for an administrator's token only (see tests/staff_privacy.rs).
    assert_eq!(app.get("/metrics").await.status, StatusCode::UNAUTHORIZED);
    let admin = app.token(paradiplo_core::Role::Admin, "monitoring").await;
    let reply = app
        .request(
            axum::http::Method::GET,
            "/metrics",
            &[("authorization", admin.as_str())],
            None,
        )
        .await;
    let (status, metrics) = reply.status_and_body();
    assert_eq!(status, StatusCode::OK);
    assert!(metrics.contains("http_requests_total"), "{metrics}");
    assert!(metrics.contains("route=\"/healthz\""), "{metrics}");
    store.close().await;
}

backend_tests!(
    export_import_export_is_identical,
    home_page_counts_follow_the_database,
    health_metrics_and_not_found,
);

#[test]
fn the_repository_dataset_checks_and_is_what_the_binary_bundles() {
    let on_disk = ops::check(&repo_dataset()).unwrap_or_else(|e| match e {
        ops::OpError::Dataset(errs) => panic!(
            "{}",
            errs.iter()
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        ),
        other => panic!("{other}"),
    });
    let bundled = ops::bundled().unwrap();
    assert_eq!(
        on_disk, bundled,
        "rebuild: the embedded dataset differs from data/quebec"
    );
}

#[tokio::test]
async fn the_repository_dataset_is_in_canonical_form() {
    // Exporting the bundled dataset gives back data/quebec byte for byte, so
    // that an export diffs cleanly against the repository.
    let db = TestDb::sqlite();
    let store = TestApp::seeded(&db).await.store;
    let out = db.dir.path().join("canonical");
    ops::export(&store, &out, true).await.unwrap();
    assert_dirs_equal(&repo_dataset(), &out);
}

#[test]
fn the_bundled_dataset_holds_what_the_seed_page_names() {
    let ds = ops::bundled().unwrap();
    let reg = &ds.registry;
    let partners: Vec<&records::Partner> = reg.typed::<records::Partner>().collect();
    let bilateral = partners.iter().filter(|p| p.bilateral).count();
    assert!(
        bilateral >= 30,
        "about thirty bilateral partners, found {bilateral}"
    );
    assert!(partners.iter().filter(|p| p.subdivision.is_some()).count() >= 30);
    let home = reg.home().expect("a home state");
    assert_eq!(home.subdivision.as_str(), "CA-QC");

    let groupings: Vec<&records::Grouping> = reg.typed::<records::Grouping>().collect();
    assert!(groupings.len() >= 3);
    for g in &groupings {
        assert!(
            g.members.iter().any(|m| m.member == home.slug),
            "Québec sits in {}",
            g.slug
        );
        assert!(g.members.len() >= 3, "{} has its members", g.slug);
    }

    let orgs: Vec<&records::Organization> = reg.typed::<records::Organization>().collect();
    let present = orgs.iter().filter(|o| o.presence != Presence::None).count();
    assert!(
        present >= 40,
        "at least 40 organizations present in Québec, found {present}"
    );
    assert!(
        orgs.iter()
            .filter(|o| o.presence != Presence::None)
            .all(|o| o.city.is_some())
    );
    let eu = orgs
        .iter()
        .filter(|o| o.kind == paradiplo_core::records::OrganizationKind::EuInstitution)
        .count();
    assert!(eu >= 4, "the EU institutions of the seed page, found {eu}");

    let agreements: Vec<&records::Agreement> = reg.typed::<records::Agreement>().collect();
    let titles: Vec<String> = agreements
        .iter()
        .map(|a| a.title.fr.to_lowercase())
        .collect();
    assert!(
        titles
            .iter()
            .any(|t| t.contains("unesco") && t.contains("canada")),
        "{titles:#?}"
    );
    assert!(
        titles
            .iter()
            .any(|t| t.contains("diversité des expressions culturelles")),
        "{titles:#?}"
    );
    assert!(
        agreements.iter().any(|a| a
            .short_title
            .as_ref()
            .is_some_and(|s| s.fr.contains("AECG"))),
        "CETA / AECG"
    );
    let convention = agreements
        .iter()
        .find(|a| {
            a.title
                .fr
                .to_lowercase()
                .contains("diversité des expressions culturelles")
        })
        .unwrap();
    assert!(
        convention
            .steps
            .iter()
            .any(|s| s.date.map(|d| d.to_string()).as_deref() == Some("2005-11-10")),
        "Québec's approval on 2005-11-10"
    );
    assert_eq!(
        reg.of_kind(RecordKind::Procedure).len(),
        2,
        "both procedures, as data"
    );
    assert!(!reg.of_kind(RecordKind::Document).is_empty());
    // Every text has its English version.
    let pending: Vec<String> = reg
        .iter()
        .filter(|r| r.title().translation_pending())
        .map(|r| format!("{} {}", r.kind(), r.slug()))
        .collect();
    assert!(pending.is_empty(), "titles without English: {pending:?}");
}

#[test]
fn the_2005_convention_has_its_real_timeline() {
    use paradiplo_core::views::{TimelineWhat, timeline};
    let ds = ops::bundled().unwrap();
    let convention = ds
        .registry
        .typed::<records::Agreement>()
        .find(|a| a.slug.as_str() == "convention-diversite-expressions-culturelles")
        .unwrap();
    let lines: Vec<(String, String)> = timeline(&ds.registry, convention)
        .iter()
        .map(|e| {
            let date = e
                .date
                .map(|d| d.display(paradiplo_core::Lang::Fr))
                .unwrap_or_else(|| "date non établie".into());
            let what = match &e.what {
                TimelineWhat::Step(s) => s.key.to_string(),
                other => format!("{other:?}"),
            };
            (date, what)
        })
        .collect();
    let expected = [
        ("20 octobre 2005", "adoption"),
        ("date non établie", "depot"),
        ("date non établie", "motion"),
        ("10 novembre 2005", "approbation-assemblee"),
        ("date non établie", "decret"),
        ("28 novembre 2005", "ratification-canada"),
        ("18 mars 2007", "entree-en-vigueur"),
    ];
    assert_eq!(lines, expected.map(|(d, w)| (d.to_string(), w.to_string())));
    let en: Vec<String> = timeline(&ds.registry, convention)
        .iter()
        .filter_map(|e| e.date.map(|d| d.display(paradiplo_core::Lang::En)))
        .collect();
    assert_eq!(
        en,
        [
            "October 20, 2005",
            "November 10, 2005",
            "November 28, 2005",
            "March 18, 2007"
        ]
    );
}
