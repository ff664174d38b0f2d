//! What staff see is kept by no cache (`Cache-Control: no-store` on the
//! staff workspace and its CSV exports), and `/metrics` answers only an
//! administrator's API token (or a private listening address).

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use paradiplo_core::Role;
use paradiplo_store::Store;
use paradiplo_testkit::{TestDb, backend_tests};
use paradiplo_web::admin::{AdminConfig, hash_password};
use paradiplo_web::{AppState, Branding};
use tower::ServiceExt;

mod support;

const PASSWORD: &str = "correct horse battery staple";

async fn app(db: &TestDb) -> (axum::Router, Store) {
    let store = Store::open(&db.url).await.unwrap();
    let hash = hash_password(PASSWORD.into(), 64, 1).await;
    store
        .create_user("admin@x.org", &hash, Role::Admin, "test")
        .await
        .unwrap();
    let config = AdminConfig {
        argon2_memory_kib: 64,
        argon2_passes: 1,
        ..Default::default()
    };
    let router =
        paradiplo_web::router(AppState::new(store.clone(), Branding::default()).with_admin(config));
    (router, store)
}

/// Status and Cache-Control of a GET.
async fn cache_control(router: &axum::Router, uri: &str, cookie: &str) -> (StatusCode, String) {
    let req = Request::get(uri)
        .header(header::COOKIE, cookie)
        .body(Body::empty())
        .unwrap();
    let res = router.clone().oneshot(req).await.unwrap();
    let value = res
        .headers()
        .get(header::CACHE_CONTROL)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (res.status(), value)
}

async fn staff_answers_are_not_stored_by_caches(db: &TestDb) {
    let (router, _store) = app(db).await;
    let (cookie, _csrf) = support::session(&router, "admin@x.org", PASSWORD).await;
    for uri in [
        "/admin/",
        "/en/admin/",
        "/admin/audit",
        "/admin/audit.csv",
        "/admin/feedback.csv",
    ] {
        let (status, value) = cache_control(&router, uri, &cookie).await;
        assert_eq!(status, StatusCode::OK, "{uri}");
        assert!(value.contains("no-store"), "{uri}: {value}");
    }
    // Also when signed out (the sign-in page, a refusal).
    for uri in ["/admin/login", "/admin/"] {
        let (_, value) = cache_control(&router, uri, "").await;
        assert!(value.contains("no-store"), "{uri}: {value}");
    }
    // Public pages keep their own caching.
    let (_, value) = cache_control(&router, "/", "").await;
    assert!(!value.contains("no-store"), "{value}");
}

async fn metrics(router: &axum::Router, token: Option<&str>) -> (StatusCode, String) {
    let mut req = Request::get("/metrics");
    if let Some(t) = token {
        req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    let res = router
        .clone()
        .oneshot(req.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = res.status();
    let body = axum::body::to_bytes(res.into_body(), 1 << 20)
        .await
        .unwrap();
    (status, String::from_utf8_lossy(&body).into_owned())
}

async fn metrics_need_an_administrator_token(db: &TestDb) {
    let (router, store) = app(db).await;
    let _ = support::get(&router, "/admin/login", "").await;
    assert_eq!(metrics(&router, None).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(
        metrics(&router, Some("pdp_not-a-token")).await.0,
        StatusCode::UNAUTHORIZED
    );
    let (_, editor) = store
        .create_token("script", Role::Editor, "test")
        .await
        .unwrap();
    assert_eq!(
        metrics(&router, Some(&editor)).await.0,
        StatusCode::FORBIDDEN
    );
    let (_, admin) = store
        .create_token("monitoring", Role::Admin, "test")
        .await
        .unwrap();
    let (status, body) = metrics(&router, Some(&admin)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("http_requests_total"), "{body}");
    // The private router (a separate listening address) needs no token.
    let private = paradiplo_web::metrics::private_router(AppState::new(store, Branding::default()));
    let (status, body) = metrics(&private, None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("http_requests_total"), "{body}");
}

backend_tests!(
    staff_answers_are_not_stored_by_caches,
    metrics_need_an_administrator_token,
);
