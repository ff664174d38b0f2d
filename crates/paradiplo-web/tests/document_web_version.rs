//! Documents for everyone (issue 22, item 6): a PDF offered with an
//! accessible web version beside it, wherever the PDF is linked. The web
//! version is a Markdown document of the same file name, read as a page
//! with its language, title and headings.

use paradiplo_app::testkit::TestApp;
use paradiplo_core::{AnyRecord, RecordKind, RecordState};
use paradiplo_store::Blob;
use paradiplo_testkit::TestDb;
use sha2::{Digest, Sha256};

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

async fn publish_web_version(app: &TestApp) {
    let text = include_str!("data/documents/accord-quebec-canada-unesco-resume.md");
    let sha = format!("{:x}", Sha256::digest(text.as_bytes()));
    app.store
        .put_blob(&Blob {
            sha256: sha.clone(),
            media_type: "text/markdown".into(),
            bytes: text.as_bytes().to_vec(),
        })
        .await
        .unwrap();
    let doc = AnyRecord::from_json(
        RecordKind::Document,
        serde_json::json!({
            "slug": "accord-quebec-canada-unesco-resume-web",
            "title": {"fr": "Accord Québec-Canada sur l’UNESCO — résumé, version Web",
                      "en": "Québec–Canada agreement on UNESCO — summary, web version (in French)"},
            "file": "accord-quebec-canada-unesco-resume.md",
            "media_type": "text/markdown",
            "size": text.len(),
            "sha256": sha,
            "lang": "fr",
            "summary": {"fr": "Le résumé de l’accord du 5 mai 2006, en page Web.",
                        "en": "The summary of the agreement of May 5, 2006, as a web page."}
        }),
    )
    .unwrap();
    app.store
        .create(doc, RecordState::Published, "test", "web version")
        .await
        .unwrap();
}

#[tokio::test]
async fn a_pdf_is_offered_with_its_accessible_web_version() {
    let db = TestDb::sqlite();
    let app = TestApp::seeded(&db).await;
    // Once the bundled dataset publishes the web version itself (a document
    // record for `files/accord-quebec-canada-unesco-resume.md`), it is
    // checked as bundled; until then the test publishes the same file.
    let bundled = app.get(WEB).await.status == axum::http::StatusCode::OK;
    if !bundled {
        for page in LINKING {
            let html = app.get_ok(page).await;
            assert!(
                html.contains(&format!("href=\"{PDF}\"")),
                "{page} links the PDF"
            );
            assert!(!web_version_href(&html), "{page}: no web version yet");
        }
        publish_web_version(&app).await;
    }

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
