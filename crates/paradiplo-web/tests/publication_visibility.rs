//! A publication is visible on the next request on the instance that made
//! it, documents included, even when the portal serves its snapshot for a
//! long while between checks of the store (`freshness`): the write path
//! refreshes the snapshot before it answers.

use axum::http::{Method, StatusCode};
use paradiplo_app::testkit::TestApp;
use paradiplo_core::Role;
use paradiplo_testkit::{TestDb, backend_tests};
use paradiplo_web::PortalConfig;
use std::time::Duration;

backend_tests!(
    an_archived_then_restored_document_shows_at_once,
    an_api_publication_shows_on_the_next_page,
);

const DOCUMENT: &str = "/documents/accord-quebec-canada-unesco-resume";

/// The app over the bundled dataset, serving its snapshot for an hour
/// between checks.
async fn slow_portal(db: &TestDb) -> TestApp {
    let config = PortalConfig {
        freshness: Duration::from_secs(3600),
        ..PortalConfig::default()
    };
    TestApp::builder(db).portal(config).build().await
}

async fn an_archived_then_restored_document_shows_at_once(db: &TestDb) {
    let app = slow_portal(db).await;
    assert_eq!(app.get(DOCUMENT).await.status, StatusCode::OK);
    let staff = app.staff(Role::Publisher).await;
    let (cookie, csrf) = (staff.cookie, staff.csrf);
    let base = "/admin/records/document/accord-quebec-canada-unesco-resume";
    let r = app
        .post_form(
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
    assert_eq!(app.get(DOCUMENT).await.status, StatusCode::NOT_FOUND);
    let r = app
        .post_form(
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
    let d = app.get(DOCUMENT).await;
    assert_eq!(d.status, StatusCode::OK);
    assert_eq!(d.header("content-type"), "application/pdf");
    app.shutdown().await;
}

async fn an_api_publication_shows_on_the_next_page(db: &TestDb) {
    let app = slow_portal(db).await;
    let page = app.get("/partenaires/baviere").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("Bavière renommée"));
    let token = app.token(Role::Publisher, "pub").await;
    let current = app.get("/api/v1/partners/baviere").await.json();
    let mut record = current["record"].clone();
    record["name"]["fr"] = serde_json::json!("Bavière renommée");
    let r = app
        .request(
            Method::PUT,
            "/api/v1/partners/baviere",
            &[("authorization", &token), ("if-match", "\"1\"")],
            Some(serde_json::json!({"record": record, "note": "rename"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let page = app.get("/partenaires/baviere").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Bavière renommée"));
    app.shutdown().await;
}
