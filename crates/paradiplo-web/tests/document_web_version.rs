//! Documents for everyone (issue 22, item 6): a PDF offered with an
//! accessible web version beside it, wherever the PDF is linked. The web
//! version is a Markdown document of the same file name, read as a page
//! with its language, title and headings.

use paradiplo_app::testkit::TestApp;
use paradiplo_testkit::TestDb;

const PDF: &str = "/documents/accord-quebec-canada-unesco-resume";
const WEB: &str = "/documents/accord-quebec-canada-unesco-resume-web";
/// The pages that link the bundled PDF.
const LINKING: [&str; 4] = [
    "/ententes/accord-unesco",
    "/en/agreements/accord-unesco",
    "/partenaires-et-organisations",
    "/en/partners-and-organizations",
];

fn web_version_href(html: &str) -> bool {
    html.contains(&format!("<a href=\"{WEB}\" hreflang=\"fr\">"))
        || html.contains(&format!("<a href=\"{WEB}\">"))
}

#[tokio::test]
async fn a_pdf_is_offered_with_its_accessible_web_version() {
    let db = TestDb::sqlite();
    let app = TestApp::seeded(&db).await;
    // The bundled dataset publishes the web version of its one PDF
    // (`files/accord-quebec-canada-unesco-resume.md`).
    assert_eq!(app.get(WEB).await.status, axum::http::StatusCode::OK);

    // Wherever the PDF is linked, its web version is linked beside it.
    for page in LINKING {
        let html = app.get_ok(page).await;
        let pdf_at = html.find(&format!("href=\"{PDF}\"")).unwrap();
        let item = &html[pdf_at..pdf_at + html[pdf_at..].find("</li>").unwrap()];
        assert!(web_version_href(item), "{page}: {item}");
    }

    // The web version is a page: its language, its title, its headings.
    let reply = app.get(WEB).await;
    assert!(
        reply.content_type().starts_with("text/html"),
        "{} {} {}",
        reply.status,
        reply.content_type(),
        reply.body
    );
    let html = app.get_ok(WEB).await;
    assert!(
        html.contains("<html lang=\"fr\">"),
        "the document's language"
    );
    assert!(html.contains("<title>Accord Québec-Canada sur l’UNESCO — résumé, version Web — "));
    assert!(html.contains("<h1>Accord Québec-Canada sur l’UNESCO — résumé, version Web</h1>"));
    for heading in [
        "<h2>Signature</h2>",
        "<h2>Présence dans les délégations canadiennes</h2>",
    ] {
        assert!(html.contains(heading), "{heading}");
    }
    assert!(html.contains("<li>Ce représentant porte le titre de conseiller.</li>"));
    // It links back to the PDF it renders, which still downloads as a PDF.
    assert!(
        html.contains(&format!("<a href=\"{PDF}\" hreflang=\"fr\">"))
            || html.contains(&format!("<a href=\"{PDF}\">"))
    );
    let pdf = app.get(PDF).await;
    assert_eq!(pdf.content_type(), "application/pdf");
}
