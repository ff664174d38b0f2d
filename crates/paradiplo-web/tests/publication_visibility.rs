//! A publication is visible on the next request on the instance that made
//! it, documents included, even when the portal serves its snapshot for a
//! long while between checks of the store (`freshness`): the write path
//! refreshes the snapshot before it answers.

use axum::http::{Method, StatusCode};
use paradiplo_core::Role;
use paradiplo_store::Store;
use paradiplo_testkit::{TestDb, backend_tests};
use paradiplo_web::admin::{AdminConfig, hash_password};
use paradiplo_web::{AppState, PortalConfig};
use std::time::Duration;

mod common;
mod support;

backend_tests!(
    an_archived_then_restored_document_shows_at_once,
    an_api_publication_shows_on_the_next_page,
);

const PASSWORD: &str = "correct horse battery staple";
const DOCUMENT: &str = "/documents/accord-quebec-canada-unesco-resume";

/// The app over `store`, serving its snapshot for an hour between checks.
async fn slow_portal(store: &Store) -> axum::Router {
    let hash = hash_password(PASSWORD.into(), 64, 1).await;
    store
        .create_user("publisher@x.org", &hash, Role::Publisher, "test")
        .await
        .unwrap();
    let config = PortalConfig {
        freshness: Duration::from_secs(3600),
        ..PortalConfig::default()
    };
    let admin = AdminConfig {
        argon2_memory_kib: 64,
        argon2_passes: 1,
        ..Default::default()
    };
    paradiplo_web::router(AppState::with_config(store.clone(), config).with_admin(admin))
}

async fn an_archived_then_restored_document_shows_at_once(db: &TestDb) {
    let store = common::seeded(db).await;
    let app = slow_portal(&store).await;
    assert_eq!(common::get(&app, DOCUMENT).await.status, StatusCode::OK);
    let (cookie, csrf) = support::session(&app, "publisher@x.org", PASSWORD).await;
    let base = "/admin/records/document/accord-quebec-canada-unesco-resume";
    let r = support::post_form(
        &app,
        &format!("{base}/archive"),
        &cookie,
        &[
            ("csrf", csrf.as_str()),
            ("note", "withdrawn"),
            ("_record_version", "1"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        common::get(&app, DOCUMENT).await.status,
        StatusCode::NOT_FOUND
    );
    let r = support::post_form(
        &app,
        &format!("{base}/restore"),
        &cookie,
        &[
            ("csrf", csrf.as_str()),
            ("note", "back"),
            ("version", "1"),
            ("_record_version", "2"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let d = common::get(&app, DOCUMENT).await;
    assert_eq!(d.status, StatusCode::OK);
    assert_eq!(d.header("content-type"), "application/pdf");
    store.close().await;
}

async fn an_api_publication_shows_on_the_next_page(db: &TestDb) {
    let store = common::seeded(db).await;
    let app = slow_portal(&store).await;
    let page = common::get(&app, "/partenaires/baviere").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.text().contains("Bavière renommée"));
    let token = common::token(&store, Role::Publisher, "pub").await;
    let current = common::get(&app, "/api/v1/partners/baviere").await.json();
    let mut record = current["record"].clone();
    record["name"]["fr"] = serde_json::json!("Bavière renommée");
    let r = common::send(
        &app,
        Method::PUT,
        "/api/v1/partners/baviere",
        &[("authorization", &token), ("if-match", "\"1\"")],
        Some(serde_json::json!({"record": record, "note": "rename"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let page = common::get(&app, "/partenaires/baviere").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("Bavière renommée"));
    store.close().await;
}
