//! The real application behind the layer: a publication through the API is
//! visible on the next request in every encoding (brotli, gzip, none) and
//! both languages, pages and API alike, and each representation keeps its
//! own tag for 304s.

use axum::http::{Method, StatusCode};
use paradiplo_app::testkit::{Reply, TestApp};
use paradiplo_core::Role;
use paradiplo_testkit::{TestDb, backend_tests};
use std::io::Read;

backend_tests!(a_publication_shows_at_once_in_every_encoding_and_language);

const ENCODINGS: [(&str, Option<&str>); 3] = [
    ("gzip, deflate, br", Some("br")),
    ("gzip", Some("gzip")),
    ("identity", None),
];

const URLS: [&str; 5] = [
    "/partenaires/baviere",
    "/en/partners/baviere",
    "/partenaires-et-organisations",
    "/en/partners-and-organizations",
    "/api/v1/partners/baviere",
];

fn decoded(reply: &Reply) -> String {
    let mut out = String::new();
    match reply.header("content-encoding").as_str() {
        "br" => brotli::Decompressor::new(&reply.bytes[..], 4096)
            .read_to_string(&mut out)
            .expect("valid brotli"),
        "gzip" => flate2::read::GzDecoder::new(&reply.bytes[..])
            .read_to_string(&mut out)
            .expect("valid gzip"),
        "" => return reply.body.clone(),
        other => panic!("unexpected Content-Encoding {other}"),
    };
    out
}

/// Every URL in every encoding: the decoded bodies, checked equal across
/// encodings, and the brotli tag of each URL.
async fn fetch_all(app: &TestApp) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for url in URLS {
        let mut bodies = Vec::new();
        let mut br_tag = String::new();
        for (accept, expected) in ENCODINGS {
            let r = app
                .request(Method::GET, url, &[("accept-encoding", accept)], None)
                .await;
            assert_eq!(r.status, StatusCode::OK, "{url} {accept}");
            assert_eq!(
                r.header("content-encoding"),
                expected.unwrap_or(""),
                "{url} {accept}"
            );
            assert!(
                r.header("vary")
                    .to_ascii_lowercase()
                    .contains("accept-encoding"),
                "{url}"
            );
            let tag = r.header("etag");
            match expected {
                Some(enc) => assert!(tag.ends_with(&format!("-{enc}\"")), "{url}: {tag}"),
                None => assert!(
                    !tag.ends_with("-br\"") && !tag.ends_with("-gzip\""),
                    "{tag}"
                ),
            }
            if expected == Some("br") {
                assert_eq!(
                    r.header("content-length"),
                    r.bytes.len().to_string(),
                    "{url}"
                );
                br_tag = tag;
            }
            bodies.push(decoded(&r));
        }
        assert!(
            bodies.iter().all(|b| *b == bodies[0]),
            "{url}: encodings differ"
        );
        out.push((bodies.swap_remove(0), br_tag));
    }
    out
}

async fn a_publication_shows_at_once_in_every_encoding_and_language(db: &TestDb) {
    let app = TestApp::seeded(db).await;
    let before = fetch_all(&app).await;
    for (body, _) in &before {
        assert!(!body.contains("Bavière renommée") && !body.contains("Bavaria renamed"));
    }
    // The brotli tag answers 304 while nothing changed.
    let (_, tag) = &before[0];
    let inm = [
        ("accept-encoding", "gzip, deflate, br"),
        ("if-none-match", tag.as_str()),
    ];
    let r = app.request(Method::GET, URLS[0], &inm, None).await;
    assert_eq!(r.status, StatusCode::NOT_MODIFIED);
    assert_eq!(&r.header("etag"), tag);

    let token = app.token(Role::Publisher, "pub").await;
    let current = app.get("/api/v1/partners/baviere").await.json();
    let mut record = current["record"].clone();
    record["name"]["fr"] = serde_json::json!("Bavière renommée");
    record["name"]["en"] = serde_json::json!("Bavaria renamed");
    let r = app
        .request(
            Method::PUT,
            "/api/v1/partners/baviere",
            &[("authorization", &token), ("if-match", "\"1\"")],
            Some(serde_json::json!({"record": record, "note": "rename"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);

    let after = fetch_all(&app).await;
    for (url, ((body, tag), (_, old_tag))) in URLS.iter().zip(after.iter().zip(&before)) {
        let name = if url.starts_with("/en/") {
            "Bavaria renamed"
        } else {
            "Bavière renommée"
        };
        assert!(
            body.contains(name),
            "{url} shows the new name in every encoding"
        );
        assert_ne!(tag, old_tag, "{url} has a new tag");
    }
    let r = app.request(Method::GET, URLS[0], &inm, None).await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "the old brotli tag no longer matches"
    );
    assert!(decoded(&r).contains("Bavière renommée"));
    app.shutdown().await;
}
