//! Names are sorted with the French collation everywhere, including the
//! API's `sort=name` (which sorted by code point: « Écosse » after
//! « Wisconsin »), on SQLite and PostgreSQL.

use axum::http::{Method, StatusCode};
use paradiplo_app::testkit::{Client, TestApp};
use paradiplo_core::Role;
use paradiplo_testkit::{TestDb, backend_tests};
use serde_json::json;

backend_tests!(api_sorts_names_with_the_french_collation);

async fn api_sorts_names_with_the_french_collation(db: &TestDb) {
    let app = TestApp::empty(db).await;
    let publisher = app.token(Role::Publisher, "p").await;
    for (slug, fr, en) in [
        ("a", "Wisconsin", "Wisconsin"),
        ("b", "Écosse", "Scotland"),
        ("c", "ohio", "Ohio"),
        ("d", "Île-du-Prince-Édouard", "Prince Edward Island"),
        ("e", "Ecuador", "Ecuador"),
    ] {
        let r = app.request(
            Method::POST,
            "/api/v1/domains",
            &[("authorization", &publisher)],
            Some(json!({"record": {"slug": slug, "name": {"fr": fr, "en": en}}, "state": "published", "note": "order"})),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }
    let names = |uri: &'static str| {
        let client = Client::new(app.router());
        async move {
            let body = client.get(uri).await.json();
            body["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i["slug"].as_str().unwrap().to_string())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(
        names("/api/v1/domains?sort=name").await,
        ["b", "e", "d", "c", "a"],
        "Écosse, Ecuador, Île…, ohio, Wisconsin"
    );
    assert_eq!(
        names("/api/v1/domains?sort=-name").await,
        ["a", "c", "d", "e", "b"]
    );
    assert_eq!(
        names("/api/v1/domains?sort=name&lang=en").await,
        ["e", "c", "d", "b", "a"],
        "Ecuador, Ohio, Prince Edward Island, Scotland, Wisconsin"
    );
    app.shutdown().await;
}
