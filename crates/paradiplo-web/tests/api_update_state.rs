//! An API `PUT` without `state` keeps the record's state; changing the
//! state is explicit. The OpenAPI document says so.

use axum::http::{Method, StatusCode};
use paradiplo_app::testkit::TestApp;
use paradiplo_core::{RecordKind, RecordState, Role};
use paradiplo_store::{Store, Visibility};
use paradiplo_testkit::{TestDb, backend_tests};
use serde_json::json;

backend_tests!(
    a_put_without_state_keeps_a_published_record_published,
    a_put_without_state_keeps_a_draft_a_draft,
);

fn domain(name: &str, state: Option<&str>) -> serde_json::Value {
    let mut body = json!({
        "record": {"slug": "espace", "name": {"fr": name, "en": "Space"}},
        "note": "edit"
    });
    if let Some(s) = state {
        body["state"] = json!(s);
    }
    body
}

async fn put(app: &TestApp, token: &str, version: i64, body: serde_json::Value) -> i64 {
    let etag = format!("\"{version}\"");
    let r = app
        .request(
            Method::PUT,
            "/api/v1/domains/espace",
            &[("authorization", token), ("if-match", &etag)],
            Some(body),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json()["version"].as_i64().unwrap()
}

async fn state_of(store: &Store) -> RecordState {
    store
        .get(RecordKind::Domain, "espace", Visibility::All)
        .await
        .unwrap()
        .unwrap()
        .state
}

async fn a_put_without_state_keeps_a_published_record_published(db: &TestDb) {
    let app = TestApp::empty(db).await;
    let store = app.store.clone();
    let publisher = app.token(Role::Publisher, "pub").await;
    let r = app
        .request(
            Method::POST,
            "/api/v1/domains",
            &[("authorization", &publisher)],
            Some(domain("Espace", Some("published"))),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let v = put(&app, &publisher, 1, domain("Espace et ciel", None)).await;
    assert_eq!(state_of(&store).await, RecordState::Published);
    assert_eq!(
        app.get("/api/v1/domains/espace").await.json()["record"]["name"]["fr"],
        "Espace et ciel"
    );
    // Withdrawing it is explicit.
    put(&app, &publisher, v, domain("Espace et ciel", Some("draft"))).await;
    assert_eq!(state_of(&store).await, RecordState::Draft);
    app.shutdown().await;
}

async fn a_put_without_state_keeps_a_draft_a_draft(db: &TestDb) {
    let app = TestApp::empty(db).await;
    let store = app.store.clone();
    let editor = app.token(Role::Editor, "ed").await;
    let publisher = app.token(Role::Publisher, "pub").await;
    let r = app
        .request(
            Method::POST,
            "/api/v1/domains",
            &[("authorization", &editor)],
            Some(domain("Espace", None)),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    // An editor keeps writing the draft without naming its state…
    let v = put(&app, &editor, 1, domain("Espace 2", None)).await;
    assert_eq!(state_of(&store).await, RecordState::Draft);
    // … and so does a publisher: no publication unless asked.
    let v = put(&app, &publisher, v, domain("Espace 3", None)).await;
    assert_eq!(state_of(&store).await, RecordState::Draft);
    put(&app, &publisher, v, domain("Espace 3", Some("published"))).await;
    assert_eq!(state_of(&store).await, RecordState::Published);
    app.shutdown().await;
}

/// The OpenAPI document tells clients that a missing state is kept.
#[test]
fn the_openapi_document_says_a_missing_state_is_kept() {
    let doc = serde_json::to_value(paradiplo_web::api::openapi()).unwrap();
    let state = &doc["components"]["schemas"]["DomainWrite"]["properties"]["state"];
    let text = state.to_string();
    assert!(
        text.contains("keeps its current state when"),
        "state is documented as: {text}"
    );
}
