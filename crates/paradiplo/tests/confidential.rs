//! Confidential activities (issue 9) never reach the public: a published
//! mission with distinctive words in its title, subject, outcomes,
//! participants and follow-up is looked for in every public page of the
//! sitemap, every list of the API, the search page and API, and every
//! open-data export (CSV, JSON, Popolo, Atom, iCalendar). Only its public
//! summary appears, on its partner's page. On SQLite and PostgreSQL.

use axum::http::StatusCode;
use paradiplo_app::testkit::TestApp;
use paradiplo_core::{AnyRecord, RecordKind, RecordState};
use paradiplo_testkit::{TestDb, backend_tests};
use serde_json::json;
use std::collections::BTreeSet;

/// Words only the confidential parts carry.
const SECRET_WORDS: &[&str] = &[
    "Zorglubissime",
    "Quokkaresultat",
    "Wombatrole",
    "Ocelotnom",
    "Tapirsuivi",
    "zorglub-ultrasecret",
];
const PUBLIC_SUMMARY: &str = "Capybaravisite économique";

fn assert_clean(uri: &str, body: &str) {
    for w in SECRET_WORDS {
        assert!(
            !body.to_lowercase().contains(&w.to_lowercase()),
            "{uri} shows the confidential word {w}"
        );
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

backend_tests!(confidential_activities_stay_out_of_every_public_output);

async fn confidential_activities_stay_out_of_every_public_output(db: &TestDb) {
    publish_a_mission_with_confidential_parts(db).await;
    // The index is built over what was just written.
    let app = TestApp::builder(db).with_search().build().await;
    sitemap_pages_are_clean(&app).await;
    public_summary_shows_only_on_its_partner_page(&app).await;
    search_finds_no_confidential_word(&app).await;
    api_lists_are_clean(&app).await;
    open_data_exports_are_clean(&app).await;
}

/// A person, a published mission with secret words in every confidential
/// part, and its follow-up.
async fn publish_a_mission_with_confidential_parts(db: &TestDb) {
    let store = TestApp::seeded(db).await.store;
    let records = [
        (
            RecordKind::Person,
            json!({"slug": "ocelot", "name": {"fr": "Ocelotnom Tremblay"}}),
        ),
        (
            RecordKind::Activity,
            json!({"slug": "zorglub-ultrasecret",
                   "title": {"fr": "Mission Zorglubissime", "en": "Zorglubissime mission"},
                   "kind": "mission", "status": "held", "start": "2024-05-14",
                   "place": {"fr": "Munich Zorglubissime", "en": "Munich"},
                   "partners": ["baviere"], "organizations": ["aieq"],
                   "participants": [{"person": "ocelot", "role": {"fr": "Wombatrole", "en": "Wombatrole"}}],
                   "subject": {"fr": "Sujet Zorglubissime.", "en": "Zorglubissime subject."},
                   "domains": ["culture"],
                   "outcomes": {"fr": "Quokkaresultat obtenu.", "en": "Quokkaresultat reached."},
                   "public_summary": {"fr": PUBLIC_SUMMARY, "en": "Capybaravisite economic"}}),
        ),
        (
            RecordKind::FollowUp,
            json!({"slug": "tapir", "title": {"fr": "Tapirsuivi", "en": "Tapirsuivi"},
                   "activity": "zorglub-ultrasecret", "owner": "a@x.org", "due": "2024-06-01",
                   "state": "open"}),
        ),
    ];
    for (kind, v) in records {
        store
            .create(
                AnyRecord::from_json(kind, v).unwrap(),
                RecordState::Published,
                "test",
                "test",
            )
            .await
            .unwrap();
    }
}

/// Every portal page of the sitemap, in both languages.
async fn sitemap_pages_are_clean(app: &TestApp) {
    let pages = app.sitemap_pages().await;
    assert!(pages.contains("/partenaires/baviere"), "{pages:?}");
    assert!(pages.len() > 50, "{} pages", pages.len());
    for p in &pages {
        let (status, body) = app.get(p).await.status_and_html();
        assert_eq!(status, StatusCode::OK, "{p}");
        assert_clean(p, &body);
    }
}

/// The public summary, and only it, on the partner's page.
async fn public_summary_shows_only_on_its_partner_page(app: &TestApp) {
    let (_, baviere) = app.get("/partenaires/baviere").await.status_and_html();
    assert!(baviere.contains(PUBLIC_SUMMARY), "public summary shown");
    assert!(baviere.contains("Missions et rencontres"));
    let (_, bavaria) = app.get("/en/partners/baviere").await.status_and_html();
    assert!(bavaria.contains("Capybaravisite economic"));
    // …and on no other partner's page.
    let (_, other) = app
        .get("/partenaires/auvergne-rhone-alpes")
        .await
        .status_and_html();
    assert!(!other.contains("Capybaravisite"));
}

/// Search: page and API, every word. The page echoes the query, so the
/// queried word is looked for in its links; the API's results must be empty
/// of it.
async fn search_finds_no_confidential_word(app: &TestApp) {
    for w in SECRET_WORDS {
        let lower = w.to_lowercase();
        for uri in [format!("/recherche?q={w}"), format!("/en/search?q={w}")] {
            let (status, body) = app.get(&uri).await.status_and_html();
            assert_eq!(status, StatusCode::OK, "{uri}");
            assert!(
                !links(&body.to_lowercase(), "href", "/")
                    .iter()
                    // The other language's address carries the query.
                    .filter(|l| !l.contains("search?q=") && !l.contains("recherche?q="))
                    .any(|l| l.contains(&lower) || l.contains("zorglub")),
                "{uri} links to a confidential record: {:?}",
                links(&body.to_lowercase(), "href", "/")
            );
            assert_clean(&uri, &body.replace(*w, ""));
        }
        let uri = format!("/api/v1/search?q={w}");
        let (status, body) = app.get(&uri).await.status_and_html();
        assert_eq!(status, StatusCode::OK, "{uri}");
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(v["total"], 0, "{uri}: {body}");
        assert_clean(&uri, &v["results"].to_string());
    }
    // A word of the public summary is not indexed either: search covers
    // public records, and the summary belongs to no public record.
    let (_, body) = app
        .get("/api/v1/search?q=Zorglubissime%20Capybaravisite")
        .await
        .status_and_html();
    assert!(!body.contains("zorglub"));
}

/// Every GET collection of the API, as the anonymous public.
async fn api_lists_are_clean(app: &TestApp) {
    let (_, openapi) = app.get("/api/openapi.json").await.status_and_html();
    let doc: serde_json::Value = serde_json::from_str(&openapi).unwrap();
    let mut lists = 0;
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
        let (status, body2) = app.get(path).await.status_and_html();
        assert!(status.is_success(), "{path}: {status}");
        assert_clean(&uri, &body);
        assert_clean(path, &body2);
        // As of the day of the mission, too.
        let dated = format!("{path}?limit=1000&date=2024-05-14");
        let (status, body3) = app.get(&dated).await.status_and_html();
        assert!(
            status.is_success() || status == StatusCode::BAD_REQUEST,
            "{dated}: {status}"
        );
        assert_clean(&dated, &body3);
    }
    assert!(lists >= 8, "{lists} API lists");
    assert_clean("/api/openapi.json", &openapi);
}

/// Every open-data export listed on the open-data page.
async fn open_data_exports_are_clean(app: &TestApp) {
    let (_, open) = app.get("/donnees-ouvertes").await.status_and_html();
    let exports = links(&open, "href", "/donnees-ouvertes/");
    for needed in ["popolo.json", "registry.json", ".csv", ".atom", ".ics"] {
        assert!(
            exports.iter().any(|e| e.contains(needed)),
            "{needed} among {exports:?}"
        );
    }
    let mut dated = 0;
    for e in &exports {
        let (status, body) = app.get(e).await.status_and_html();
        assert_eq!(status, StatusCode::OK, "{e}");
        assert_clean(e, &body);
        // The files generated as of the day of the mission (the feed and
        // the catalogue have no dated version: 400).
        let sep = if e.contains('?') { '&' } else { '?' };
        let uri = format!("{e}{sep}date=2024-05-14");
        let (status, body) = app.get(&uri).await.status_and_html();
        if status == StatusCode::OK {
            dated += 1;
        } else {
            assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}");
        }
        assert_clean(&uri, &body);
    }
    assert!(dated >= 5, "{dated} dated exports");
}
