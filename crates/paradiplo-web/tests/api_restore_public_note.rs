//! Restoring through the API follows the rule of a publication from the
//! staff workspace: a substantive change to a published record needs a
//! public change note, and the note reaches the record's public changes.

use axum::http::{Method, StatusCode};
use paradiplo_app::testkit::TestApp;
use paradiplo_core::{RecordKind, Role};
use paradiplo_testkit::{TestDb, backend_tests};
use serde_json::json;

backend_tests!(an_api_restore_of_a_published_record_needs_a_public_note);

async fn an_api_restore_of_a_published_record_needs_a_public_note(db: &TestDb) {
    let app = TestApp::seeded(db).await;
    let store = app.store.clone();
    let token = app.token(Role::Publisher, "pub").await;
    let auth = ("authorization", token.as_str());
    let current = app.get("/api/v1/partners/baviere").await.json();
    let mut record = current["record"].clone();
    record["name"]["fr"] = json!("Bavière renommée");
    let r = app
        .request(
            Method::PUT,
            "/api/v1/partners/baviere",
            &[auth, ("if-match", "\"1\"")],
            Some(json!({"record": record, "note": "rename"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);

    // Back to version 1 without telling the public: refused, nothing written.
    let r = app
        .request(
            Method::POST,
            "/api/v1/partners/baviere/restore",
            &[auth, ("if-match", "\"2\"")],
            Some(json!({"note": "undo", "version": 1})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("public_note"), "{}", r.body);
    let history = store.history(RecordKind::Partner, "baviere").await.unwrap();
    assert_eq!(history.len(), 2);

    // With a public note: restored, published, and the note is public.
    let r = app
        .request(
            Method::POST,
            "/api/v1/partners/baviere/restore",
            &[auth, ("if-match", "\"2\"")],
            Some(json!({
                "note": "undo",
                "version": 1,
                "public_note": {"fr": "Nom rétabli.", "en": "Name restored."}
            })),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["state"], "published");
    assert_eq!(r.json()["version"], 3);
    assert_eq!(
        r.json()["record"]["name"]["fr"],
        current["record"]["name"]["fr"]
    );
    let changes = store
        .public_changes(RecordKind::Partner, "baviere")
        .await
        .unwrap();
    assert_eq!(
        changes[0].public_note.as_ref().map(|t| t.fr.as_str()),
        Some("Nom rétabli.")
    );
    // A public note that is not a bilingual text is refused.
    let r = app
        .request(
            Method::POST,
            "/api/v1/partners/baviere/restore",
            &[auth, ("if-match", "\"3\"")],
            Some(json!({"note": "x", "public_note": 3})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    app.shutdown().await;
}
