//! The site icon: /favicon.ico (which browsers ask for on every site) and the
//! SVG named by every page's `<link rel="icon">`.

use axum::http::StatusCode;
use paradiplo_app::testkit::TestApp;
use paradiplo_testkit::TestDb;

#[tokio::test]
async fn favicon_ico_and_svg_are_served_and_linked() {
    let db = TestDb::sqlite();
    let app = TestApp::empty(&db).await;

    let ico = app.get("/favicon.ico").await;
    assert_eq!(ico.status, StatusCode::OK);
    assert_eq!(ico.content_type(), "image/x-icon");
    // ICONDIR: reserved 0, type 1 (icon), at least one image.
    assert_eq!(&ico.bytes[..4], &[0, 0, 1, 0]);
    assert!(u16::from_le_bytes([ico.bytes[4], ico.bytes[5]]) >= 1);

    let svg = app.get("/favicon.svg").await;
    assert_eq!(svg.status, StatusCode::OK);
    assert_eq!(svg.content_type(), "image/svg+xml");
    assert!(svg.body.starts_with("<svg"));

    // Every public page names the icon (the 404 page needs no data).
    let page = app.get("/nulle-part").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(
        page.html()
            .contains(r#"<link rel="icon" href="/favicon.svg" type="image/svg+xml">"#),
        "{}",
        page.body
    );
}
