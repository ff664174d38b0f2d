//! Every output format escapes per its own rules, on SQLite and PostgreSQL:
//! the Atom feed is well-formed XML and carries only the public change note;
//! the iCalendar file escapes and folds TEXT values (RFC 5545); open-data
//! CSV cells cannot run as formulas; JSON-LD cannot end its `<script>`.

use axum::http::{Method, StatusCode};
use paradiplo_app::testkit::TestApp;
use paradiplo_core::{AnyRecord, RecordKind, RecordState, Role, Text};
use paradiplo_store::{EditBase, PublishRequest, Visibility};
use paradiplo_testkit::{TestDb, backend_tests};
use serde_json::json;

backend_tests!(
    atom_feed_is_well_formed_and_carries_only_the_public_note,
    icalendar_escapes_and_folds_text,
    open_data_csv_cells_cannot_run_as_formulas,
    json_ld_cannot_break_out_of_its_script,
);

const NOW: &str = "2030-01-01T10:00:00.000000Z";

fn partner(name_fr: &str, summary_fr: &str) -> AnyRecord {
    AnyRecord::from_json(
        RecordKind::Partner,
        json!({
            "slug": "baviere",
            "name": {"fr": name_fr, "en": "Bavaria"},
            "kind": "federated_state",
            "country": "DE",
            "subdivision": "DE-BY",
            "world_region": "western_europe",
            "summary": {"fr": summary_fr, "en": "Partner."}
        }),
    )
    .unwrap()
}

async fn atom_feed_is_well_formed_and_carries_only_the_public_note(db: &TestDb) {
    let app = TestApp::empty(db).await;
    let store = app.store.clone();
    let tricky = "Bavière <b>&amp; « Land » ]]>";
    store
        .create(
            partner(tricky, "Résumé."),
            RecordState::Published,
            "seed",
            "CREATION-INTERNE",
        )
        .await
        .unwrap();
    let draft = store
        .save_draft(
            partner(tricky, "Résumé révisé."),
            EditBase {
                record_version: Some(1),
                draft_revision: None,
            },
            "editor@x.org",
            "NOTE-INTERNE-CONFIDENTIELLE",
            NOW,
        )
        .await
        .unwrap();
    store
        .submit_draft(
            RecordKind::Partner,
            "baviere",
            draft.revision,
            "editor@x.org",
            NOW,
        )
        .await
        .unwrap();
    store
        .publish_draft(
            RecordKind::Partner,
            "baviere",
            PublishRequest {
                revision: draft.revision,
                by: "publisher@x.org",
                force_reason: None,
                public_note: Some(Text::new("Résumé mis à jour", "Summary updated")),
                now: NOW,
            },
        )
        .await
        .unwrap();
    for (path, public) in [
        ("/donnees-ouvertes/changes.fr.atom", "Résumé mis à jour"),
        ("/donnees-ouvertes/changes.en.atom", "Summary updated"),
    ] {
        let res = app.get(path).await;
        assert_eq!(res.status, StatusCode::OK, "{path}");
        let xml = res.body;
        assert!(!xml.contains("INTERNE"), "internal note in the feed: {xml}");
        let feed = atom_syndication::Feed::read_from(res.bytes.as_slice())
            .unwrap_or_else(|e| panic!("{path} is not well-formed ({e}): {xml}"));
        assert_eq!(feed.entries.len(), 2, "{xml}");
        let summaries: Vec<Option<String>> = feed
            .entries
            .iter()
            .map(|e| e.summary.as_ref().map(|s| s.value.clone()))
            .collect();
        assert_eq!(summaries, [Some(public.to_string()), None], "{xml}");
        let title = &feed.entries[0].title.value;
        assert!(
            title.starts_with(tricky) || title.starts_with("Bavaria"),
            "{title}"
        );
        if path.contains(".fr.") {
            assert!(title.starts_with(tricky), "escaped and read back: {title}");
        }
    }
    app.shutdown().await;
}

fn event(title: &str, summary: &str, place: &str) -> AnyRecord {
    AnyRecord::from_json(
        RecordKind::Event,
        json!({
            "slug": "sommet",
            "title": {"fr": title, "en": "Summit"},
            "kind": "summit",
            "start": "2030-05-04",
            "place": {"fr": place, "en": place},
            "summary": {"fr": summary, "en": "Summary."}
        }),
    )
    .unwrap()
}

async fn icalendar_escapes_and_folds_text(db: &TestDb) {
    let app = TestApp::empty(db).await;
    let store = app.store.clone();
    let title = "Sommet; réunion, « bilan » \\ ".to_string() + &"très long titre ".repeat(8);
    let summary = "Première ligne;\r\nseconde, ligne\n\ttroisième \\ fin";
    store
        .create(
            event(&title, summary, "Québec, Canada"),
            RecordState::Published,
            "seed",
            "seed",
        )
        .await
        .unwrap();
    let res = app.get("/donnees-ouvertes/events.fr.ics").await;
    assert_eq!(res.status, StatusCode::OK);
    let ics = res.body;
    for line in ics.split("\r\n") {
        assert!(line.len() <= 75, "line over 75 octets: {line:?}");
        assert!(!line.contains('\r') && !line.contains('\n'), "{line:?}");
    }
    assert!(ics.contains("\\;") && ics.contains("\\,") && ics.contains("\\\\"));
    let parsed: icalendar::Calendar = ics.parse().unwrap();
    let event = parsed
        .components
        .iter()
        .find_map(|c| c.as_event())
        .expect("one event");
    use icalendar::Component;
    assert_eq!(event.get_summary(), Some(title.as_str()));
    assert_eq!(
        event.get_description(),
        Some("Première ligne;\nseconde, ligne\n\ttroisième \\ fin")
    );
    use icalendar::EventLike;
    assert_eq!(event.get_location(), Some("Québec, Canada"));
    app.shutdown().await;
}

async fn open_data_csv_cells_cannot_run_as_formulas(db: &TestDb) {
    let app = TestApp::empty(db).await;
    let store = app.store.clone();
    let publisher = app.token(Role::Publisher, "p").await;
    for (slug, name) in [
        ("a", "=HYPERLINK(\"http://x.example\",\"y\")"),
        ("b", "+1+1"),
        ("c", "-2+3"),
        ("d", "@SUM(A1)"),
    ] {
        let r = app.request(
            Method::POST,
            "/api/v1/domains",
            &[("authorization", &publisher)],
            Some(json!({"record": {"slug": slug, "name": {"fr": name, "en": "Safe"}}, "state": "published", "note": "csv"})),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }
    let res = app.get("/donnees-ouvertes/domains.csv").await;
    assert_eq!(res.status, StatusCode::OK);
    let mut reader = csv::Reader::from_reader(res.bytes.as_slice());
    let headers = reader.headers().unwrap().clone();
    let col = headers.iter().position(|h| h == "name_fr").unwrap();
    let names: Vec<String> = reader
        .records()
        .map(|r| r.unwrap()[col].to_string())
        .collect();
    assert_eq!(
        names,
        [
            "'=HYPERLINK(\"http://x.example\",\"y\")",
            "'+1+1",
            "'-2+3",
            "'@SUM(A1)"
        ]
    );
    // The record itself is unchanged: the API still serves the name as typed.
    let a = store
        .get(RecordKind::Domain, "a", Visibility::Public)
        .await
        .unwrap()
        .unwrap();
    assert!(a.record.title().fr.starts_with("=HYPERLINK"));
    app.shutdown().await;
}

async fn json_ld_cannot_break_out_of_its_script(db: &TestDb) {
    let app = TestApp::empty(db).await;
    let store = app.store.clone();
    let name = "Bavière</script><script>alert(1)</script><!--";
    store
        .create(
            partner(name, "Résumé."),
            RecordState::Published,
            "seed",
            "seed",
        )
        .await
        .unwrap();
    let res = app.get("/partenaires/baviere").await;
    assert_eq!(res.status, StatusCode::OK);
    let html = res.body;
    let open = "<script type=\"application/ld+json\">";
    let start = html.find(open).expect("the page has JSON-LD") + open.len();
    let end = start + html[start..].find("</script>").unwrap();
    let json_ld = &html[start..end];
    assert!(!json_ld.contains('<'), "{json_ld}");
    let value: serde_json::Value = serde_json::from_str(json_ld).unwrap();
    assert!(value.to_string().contains("</script><script>"), "{value}");
    assert!(!html.contains("<script>alert(1)"), "{html}");
    app.shutdown().await;
}
