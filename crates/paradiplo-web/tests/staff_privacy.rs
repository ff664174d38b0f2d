//! What staff see is kept by no cache (`Cache-Control: no-store` on the
//! staff workspace and its CSV exports), and `/metrics` answers only an
//! administrator's API token (or a private listening address).

use axum::http::{Method, StatusCode};
use paradiplo_app::testkit::{Client, TEST_PASSWORD as PASSWORD, TestApp};
use paradiplo_core::Role;
use paradiplo_testkit::{TestDb, backend_tests};
use paradiplo_web::admin::AdminConfig;
use paradiplo_web::{AppState, Branding};

/// An empty application with one administrator, admin@x.org.
async fn app(db: &TestDb) -> TestApp {
    let config = AdminConfig {
        argon2_memory_kib: 64,
        argon2_passes: 1,
        ..Default::default()
    };
    let app = TestApp::builder(db).seed(false).admin(config).build().await;
    app.add_staff("admin@x.org", Role::Admin).await;
    app
}

/// Status and Cache-Control of a GET.
async fn cache_control(client: &Client, uri: &str, cookie: &str) -> (StatusCode, String) {
    let res = client.get_as(uri, cookie).await;
    (res.status, res.header("cache-control"))
}

async fn staff_answers_are_not_stored_by_caches(db: &TestDb) {
    let app = app(db).await;
    let cookie = app.session("admin@x.org", PASSWORD).await.cookie;
    for uri in [
        "/admin/",
        "/en/admin/",
        "/admin/audit",
        "/admin/audit.csv",
        "/admin/feedback.csv",
    ] {
        let (status, value) = cache_control(&app, uri, &cookie).await;
        assert_eq!(status, StatusCode::OK, "{uri}");
        assert!(value.contains("no-store"), "{uri}: {value}");
    }
    // Also when signed out (the sign-in page, a refusal).
    for uri in ["/admin/login", "/admin/"] {
        let (_, value) = cache_control(&app, uri, "").await;
        assert!(value.contains("no-store"), "{uri}: {value}");
    }
    // Public pages keep their own caching.
    let (_, value) = cache_control(&app, "/", "").await;
    assert!(!value.contains("no-store"), "{value}");
}

async fn metrics(client: &Client, token: Option<&str>) -> (StatusCode, String) {
    let authorization = token.map(|t| format!("Bearer {t}"));
    let headers: Vec<(&str, &str)> = authorization
        .iter()
        .map(|v| ("authorization", v.as_str()))
        .collect();
    let res = client
        .request(Method::GET, "/metrics", &headers, None)
        .await;
    (res.status, res.body)
}

async fn metrics_need_an_administrator_token(db: &TestDb) {
    let app = app(db).await;
    let store = app.store.clone();
    let _ = app.get_as("/admin/login", "").await;
    assert_eq!(metrics(&app, None).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(
        metrics(&app, Some("pdp_not-a-token")).await.0,
        StatusCode::UNAUTHORIZED
    );
    let (_, editor) = store
        .create_token("script", Role::Editor, "test")
        .await
        .unwrap();
    assert_eq!(metrics(&app, Some(&editor)).await.0, StatusCode::FORBIDDEN);
    let (_, admin) = store
        .create_token("monitoring", Role::Admin, "test")
        .await
        .unwrap();
    let (status, body) = metrics(&app, Some(&admin)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("http_requests_total"), "{body}");
    // The private router (a separate listening address) needs no token.
    let private = paradiplo_web::metrics::private_router(AppState::new(store, Branding::default()));
    let (status, body) = metrics(&Client::new(private), None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("http_requests_total"), "{body}");
}

backend_tests!(
    staff_answers_are_not_stored_by_caches,
    metrics_need_an_administrator_token,
);
