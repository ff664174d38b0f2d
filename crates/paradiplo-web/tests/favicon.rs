//! The site icon: /favicon.ico (which browsers ask for on every site) and the
//! SVG named by every page's `<link rel="icon">`.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use paradiplo_store::Store;
use paradiplo_testkit::TestDb;
use tower::ServiceExt;

async fn get(app: &axum::Router, path: &str) -> (StatusCode, String, Vec<u8>) {
    let response = app
        .clone()
        .oneshot(Request::get(path).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let body = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap()
        .to_vec();
    (status, content_type, body)
}

#[tokio::test]
async fn favicon_ico_and_svg_are_served_and_linked() {
    let db = TestDb::sqlite();
    let store = Store::open(&db.url).await.unwrap();
    let app = paradiplo_web::router(paradiplo_web::AppState::new(
        store,
        paradiplo_web::Branding::default(),
    ));

    let (status, content_type, body) = get(&app, "/favicon.ico").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(content_type, "image/x-icon");
    // ICONDIR: reserved 0, type 1 (icon), at least one image.
    assert_eq!(&body[..4], &[0, 0, 1, 0]);
    assert!(u16::from_le_bytes([body[4], body[5]]) >= 1);

    let (status, content_type, body) = get(&app, "/favicon.svg").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(content_type, "image/svg+xml");
    assert!(String::from_utf8(body).unwrap().starts_with("<svg"));

    // Every public page names the icon (the 404 page needs no data).
    let (status, _, body) = get(&app, "/nulle-part").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let html = String::from_utf8(body).unwrap();
    assert!(
        html.contains(r#"<link rel="icon" href="/favicon.svg" type="image/svg+xml">"#),
        "{html}"
    );
}
