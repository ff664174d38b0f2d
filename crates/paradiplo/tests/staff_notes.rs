//! Staff notes (issue 14) never reach the public. The bundled dataset's
//! research notes, and a marker word written into the staff note of one
//! published record of every public kind, are looked for in every page of
//! the sitemap in both languages, every list and record of the API, the
//! search page and API, and every open-data export. The staff export keeps
//! them. On SQLite and PostgreSQL.

use axum::http::StatusCode;
use paradiplo::ops;
use paradiplo_app::testkit::TestApp;
use paradiplo_core::{AnyRecord, RecordKind, RecordState};
use paradiplo_store::{Store, Visibility};
use paradiplo_testkit::{TestDb, backend_tests};
use std::collections::BTreeSet;

/// The word written into a staff note of every public kind.
const MARKER: &str = "Notekiwimarqueur";

/// What the public must never read: the marker, and every passage of the
/// bundled notes that the record's public text does not carry.
struct Secrets {
    passages: Vec<String>,
}

impl Secrets {
    fn assert_absent(&self, uri: &str, body: &str) {
        let body = normalize(body);
        for p in &self.passages {
            assert!(
                !body.contains(p.as_str()),
                "{uri} shows the staff note passage « {p} »"
            );
        }
    }
}

/// Spaces as a reader sees them: French typography puts no-break spaces
/// before some signs, and HTML may write them as entities.
fn normalize(text: &str) -> String {
    text.replace(['\u{a0}', '\u{202f}'], " ")
        .replace("&nbsp;", " ")
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
        .to_lowercase()
}

/// The passages of a bundled note: each « quoted » former text, and each
/// line, when the record's public text does not carry it.
fn note_passages(record: &AnyRecord, note: &str) -> Vec<String> {
    let public = normalize(&record.clone().for_public().to_json().to_string());
    let mut out: Vec<String> = note.lines().map(normalize).collect();
    out.extend(
        note.split('«')
            .skip(1)
            .filter_map(|s| s.split('»').next())
            .map(|s| normalize(s.trim())),
    );
    out.retain(|p| p.chars().count() >= 20 && !public.contains(p.as_str()));
    out
}

backend_tests!(staff_notes_stay_out_of_every_public_output);

async fn staff_notes_stay_out_of_every_public_output(db: &TestDb) {
    let store = TestApp::seeded(db).await.store;
    let secrets = bundled_notes_and_markers(&store).await;
    staff_export_keeps_every_note(&store, db).await;
    // The index is built over what was just written.
    let app = TestApp::builder(db).with_search().build().await;
    sitemap_pages_are_clean(&app, &secrets).await;
    search_finds_no_note(&app, &secrets).await;
    api_is_clean(&app, &secrets).await;
    open_data_exports_are_clean(&app, &secrets).await;
}

/// The bundled notes (there must be some), then the marker in the note of
/// the first published record of every public kind.
async fn bundled_notes_and_markers(store: &Store) -> Secrets {
    let mut passages = vec![normalize(MARKER)];
    let mut noted = 0;
    for stored in store.all(Visibility::All).await.unwrap() {
        if let Some(note) = stored.record.staff_note() {
            noted += 1;
            passages.extend(note_passages(&stored.record, note));
        }
    }
    assert!(noted >= 15, "{noted} bundled records carry a staff note");
    assert!(passages.len() > 30, "{} passages", passages.len());
    for kind in RecordKind::ALL.into_iter().filter(|k| !k.is_confidential()) {
        let Some(stored) = store
            .list(kind, Visibility::Public)
            .await
            .unwrap()
            .into_iter()
            .next()
        else {
            continue;
        };
        let current = store
            .get(kind, stored.record.slug().as_str(), Visibility::All)
            .await
            .unwrap()
            .unwrap();
        let mut record = current.record.clone();
        let before = record.staff_note().unwrap_or_default().to_string();
        *record.staff_note_mut() = Some(
            format!("{before}\n{MARKER} {kind} à vérifier.")
                .trim_start()
                .to_string(),
        );
        store
            .update(
                record,
                RecordState::Published,
                current.version,
                "test",
                "staff note",
            )
            .await
            .unwrap();
    }
    Secrets { passages }
}

/// The staff export writes every note: the dataset keeps them.
async fn staff_export_keeps_every_note(store: &Store, db: &TestDb) {
    let out = db.dir.path().join("staff-export");
    ops::export(store, &out, true).await.unwrap();
    let dataset = ops::check(&out).unwrap();
    let notes = dataset
        .registry
        .iter()
        .filter(|r| r.staff_note().is_some_and(|n| n.contains(MARKER)))
        .count();
    assert!(notes >= 10, "{notes} exported notes carry the marker");
    // Published reads never carry one.
    for stored in store.all(Visibility::Public).await.unwrap() {
        assert_eq!(stored.record.staff_note(), None, "{}", stored.record.slug());
    }
}

/// Every `attr="…"` value of a page that starts with `prefix`.
fn links(body: &str, attr: &str, prefix: &str) -> BTreeSet<String> {
    body.split(&format!("{attr}=\""))
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .filter(|s| s.starts_with(prefix))
        .map(|s| s.replace("&amp;", "&"))
        .collect()
}

/// Every portal page of the sitemap, in both languages.
async fn sitemap_pages_are_clean(app: &TestApp, secrets: &Secrets) {
    let pages = app.sitemap_pages().await;
    assert!(pages.contains("/ententes/aecg"), "{pages:?}");
    assert!(pages.iter().any(|p| p.starts_with("/en/")), "English pages");
    assert!(pages.len() > 200, "{} pages", pages.len());
    for p in &pages {
        let (status, body) = app.get(p).await.status_and_html();
        assert_eq!(status, StatusCode::OK, "{p}");
        secrets.assert_absent(p, &body);
    }
}

/// Search page and API: the marker finds nothing, and a word of a bundled
/// note shows no passage of it.
async fn search_finds_no_note(app: &TestApp, secrets: &Secrets) {
    for q in [MARKER, "retrouvé", "confirmer", "vérifier"] {
        for uri in [format!("/recherche?q={q}"), format!("/en/search?q={q}")] {
            let (status, body) = app.get(&uri).await.status_and_html();
            assert_eq!(status, StatusCode::OK, "{uri}");
            // The page echoes the query: the marker is looked for in results only.
            secrets.assert_absent(&uri, &body.replace(q, ""));
        }
        let uri = format!("/api/v1/search?q={q}");
        let (status, body) = app.get(&uri).await.status_and_html();
        assert_eq!(status, StatusCode::OK, "{uri}");
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        if q == MARKER {
            assert_eq!(v["total"], 0, "{uri}: {body}");
        }
        secrets.assert_absent(&uri, &v["results"].to_string());
    }
}

/// Every GET list of the API as the anonymous public, and every record of
/// each list.
async fn api_is_clean(app: &TestApp, secrets: &Secrets) {
    let (_, openapi) = app.get("/api/openapi.json").await.status_and_html();
    let doc: serde_json::Value = serde_json::from_str(&openapi).unwrap();
    let mut lists = 0;
    let mut records = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        if item.get("get").is_none() || path.contains('{') || path.ends_with("/search") {
            continue;
        }
        lists += 1;
        let uri = format!("{path}?limit=1000");
        let (status, body) = app.get(&uri).await.status_and_html();
        assert!(
            status.is_success() || status == StatusCode::BAD_REQUEST,
            "{uri}: {status}"
        );
        secrets.assert_absent(&uri, &body);
        let (_, body) = app.get(path).await.status_and_html();
        secrets.assert_absent(path, &body);
        let Ok(list) = serde_json::from_str::<serde_json::Value>(&body) else {
            continue;
        };
        let template = format!("{path}/{{slug}}");
        if doc["paths"].get(&template).is_none() {
            continue;
        }
        for item in list["items"].as_array().into_iter().flatten() {
            let Some(slug) = item["slug"].as_str() else {
                continue;
            };
            let uri = format!("{path}/{slug}");
            let (status, body) = app.get(&uri).await.status_and_html();
            assert_eq!(status, StatusCode::OK, "{uri}");
            assert!(!body.contains("staff_note"), "{uri} names a staff note");
            secrets.assert_absent(&uri, &body);
            records += 1;
        }
    }
    assert!(lists >= 8, "{lists} API lists");
    assert!(records >= 50, "{records} API records");
}

/// Every open-data export listed on the open-data page.
async fn open_data_exports_are_clean(app: &TestApp, secrets: &Secrets) {
    let (_, open) = app.get("/donnees-ouvertes").await.status_and_html();
    let exports = links(&open, "href", "/donnees-ouvertes/");
    for needed in ["popolo.json", "registry.json", ".csv", ".atom", ".ics"] {
        assert!(
            exports.iter().any(|e| e.contains(needed)),
            "{needed} among {exports:?}"
        );
    }
    for e in &exports {
        let (status, body) = app.get(e).await.status_and_html();
        assert_eq!(status, StatusCode::OK, "{e}");
        assert!(!body.contains("staff_note"), "{e} names a staff note");
        secrets.assert_absent(e, &body);
    }
}
