//! The layer on its own, over a tiny axum service: what is compressed once
//! and kept, what streams at a fast level, and what passes untouched.

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, Method, Request, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use http_body_util::BodyExt;
use paradiplo_http_cache::{CompressOnceLayer, Levels, Stats};
use std::io::Read;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use tower::{Service, ServiceExt};

/// About 40 KB of HTML that changes with `version`.
fn page(version: u32) -> String {
    let mut s = format!("<!doctype html><title>v{version}</title><ul>");
    for i in 0..800 {
        s.push_str(&format!(
            "<li><a href=\"/partenaires/p{i}\">Partenaire {i} — v{version}</a></li>"
        ));
    }
    s + "</ul>"
}

/// A page with a strong tag, answering 304 itself as the portal does.
fn tagged(version: u32, headers: &HeaderMap) -> Response {
    let tag = format!("\"page-{version}\"");
    let matched = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .any(|t| t.trim().trim_start_matches("W/") == tag)
        });
    let head = [
        (header::ETAG, tag),
        (header::CONTENT_TYPE, "text/html; charset=utf-8".to_string()),
    ];
    if matched {
        return (StatusCode::NOT_MODIFIED, head).into_response();
    }
    (head, page(version)).into_response()
}

fn with(status: StatusCode, pairs: &[(header::HeaderName, &str)], body: String) -> Response {
    let mut res = (status, body).into_response();
    for (k, v) in pairs {
        res.headers_mut()
            .insert(k, HeaderValue::from_str(v).unwrap());
    }
    res
}

const HTML: (header::HeaderName, &str) = (header::CONTENT_TYPE, "text/html; charset=utf-8");

fn app(layer: &CompressOnceLayer, version: Arc<AtomicU32>) -> Router {
    Router::new()
        .route(
            "/page",
            get(move |h: HeaderMap| {
                let v = version.load(Ordering::SeqCst);
                async move { tagged(v, &h) }
            }),
        )
        .route(
            "/search",
            get(|| async { with(StatusCode::OK, &[HTML], page(0)) }),
        )
        .route(
            "/weak",
            get(|| async { with(StatusCode::OK, &[HTML, (header::ETAG, "W/\"w1\"")], page(0)) }),
        )
        .route(
            "/no-store",
            get(|| async {
                let pairs = [
                    HTML,
                    (header::ETAG, "\"ns\""),
                    (header::CACHE_CONTROL, "no-store"),
                ];
                with(StatusCode::OK, &pairs, page(0))
            }),
        )
        .route(
            "/admin/page",
            get(|| async { with(StatusCode::OK, &[HTML, (header::ETAG, "\"adm\"")], page(0)) }),
        )
        .route(
            "/png",
            get(|| async {
                let pairs = [
                    (header::CONTENT_TYPE, "image/png"),
                    (header::ETAG, "\"img\""),
                ];
                with(StatusCode::OK, &pairs, page(0))
            }),
        )
        .route(
            "/already",
            get(|| async {
                let pairs = [
                    HTML,
                    (header::CONTENT_ENCODING, "gzip"),
                    (header::ETAG, "\"gz\""),
                ];
                with(StatusCode::OK, &pairs, "not really gzip".repeat(100))
            }),
        )
        .route(
            "/range",
            get(|| async {
                let pairs = [
                    HTML,
                    (header::CONTENT_RANGE, "bytes 0-999/40000"),
                    (header::ETAG, "\"r\""),
                ];
                with(StatusCode::PARTIAL_CONTENT, &pairs, "x".repeat(1000))
            }),
        )
        .route(
            "/tiny",
            get(|| async {
                with(
                    StatusCode::OK,
                    &[HTML, (header::ETAG, "\"t\"")],
                    "<p>hi</p>".into(),
                )
            }),
        )
        .route(
            "/write",
            axum::routing::put(|h: HeaderMap| async move {
                let seen = h
                    .get(header::IF_MATCH)
                    .map(|v| v.to_str().unwrap().to_string());
                seen.unwrap_or_default()
            }),
        )
        .layer(layer.clone())
}

struct Got {
    status: StatusCode,
    headers: HeaderMap,
    /// The body as sent.
    raw: Vec<u8>,
}

impl Got {
    fn header(&self, name: header::HeaderName) -> Option<&str> {
        self.headers.get(name).map(|v| v.to_str().unwrap())
    }
    /// The body after undoing its Content-Encoding.
    fn decoded(&self) -> String {
        let mut out = String::new();
        match self.header(header::CONTENT_ENCODING) {
            Some("br") => brotli::Decompressor::new(&self.raw[..], 4096)
                .read_to_string(&mut out)
                .expect("valid brotli"),
            Some("gzip") => flate2::read::GzDecoder::new(&self.raw[..])
                .read_to_string(&mut out)
                .expect("valid gzip"),
            None => return String::from_utf8(self.raw.clone()).unwrap(),
            Some(other) => panic!("unexpected Content-Encoding {other}"),
        };
        out
    }
    fn vary_accept_encoding(&self) -> bool {
        self.headers
            .get_all(header::VARY)
            .iter()
            .any(|v| v.to_str().unwrap().eq_ignore_ascii_case("accept-encoding"))
    }
}

async fn send(
    app: &Router,
    method: Method,
    uri: &str,
    headers: &[(header::HeaderName, &str)],
) -> Got {
    let mut req = Request::builder().method(method).uri(uri);
    for (k, v) in headers {
        req = req.header(k, *v);
    }
    let res = app
        .clone()
        .oneshot(req.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let raw = res.into_body().collect().await.unwrap().to_bytes().to_vec();
    Got {
        status,
        headers,
        raw,
    }
}

async fn fetch(app: &Router, uri: &str, accept: &str) -> Got {
    send(app, Method::GET, uri, &[(header::ACCEPT_ENCODING, accept)]).await
}

const BROWSER: &str = "gzip, deflate, br";

#[tokio::test]
async fn a_tagged_page_is_compressed_once_per_encoding_and_served_from_memory() {
    let layer = CompressOnceLayer::new();
    let app = app(&layer, Arc::new(AtomicU32::new(1)));
    for _ in 0..5 {
        let got = fetch(&app, "/page", BROWSER).await;
        assert_eq!(got.status, StatusCode::OK);
        assert_eq!(got.header(header::CONTENT_ENCODING), Some("br"));
        assert_eq!(got.header(header::ETAG), Some("\"page-1-br\""));
        assert_eq!(
            got.header(header::CONTENT_LENGTH),
            Some(got.raw.len().to_string().as_str())
        );
        assert!(got.vary_accept_encoding());
        assert!(
            got.raw.len() * 4 < page(1).len(),
            "brotli shrinks the page: {}",
            got.raw.len()
        );
        assert_eq!(got.decoded(), page(1));
    }
    let gz = fetch(&app, "/page", "gzip;q=1, br;q=0.5").await;
    assert_eq!(gz.header(header::CONTENT_ENCODING), Some("gzip"));
    assert_eq!(gz.header(header::ETAG), Some("\"page-1-gzip\""));
    assert_eq!(gz.decoded(), page(1));
    let plain = fetch(&app, "/page", "identity").await;
    assert_eq!(plain.header(header::CONTENT_ENCODING), None);
    assert_eq!(plain.header(header::ETAG), Some("\"page-1\""));
    assert!(plain.vary_accept_encoding());
    assert_eq!(plain.decoded(), page(1));
    let s = layer.stats();
    assert_eq!(
        (s.compressions, s.hits, s.streamed, s.entries),
        (2, 4, 0, 2),
        "{s:?}"
    );
}

#[tokio::test]
async fn a_new_tag_is_served_on_the_next_request_in_every_encoding() {
    let layer = CompressOnceLayer::new();
    let version = Arc::new(AtomicU32::new(1));
    let app = app(&layer, version.clone());
    for accept in [BROWSER, "gzip", "identity"] {
        assert_eq!(fetch(&app, "/page", accept).await.decoded(), page(1));
    }
    version.store(2, Ordering::SeqCst);
    for accept in [BROWSER, "gzip", "identity"] {
        let got = fetch(&app, "/page", accept).await;
        assert_eq!(got.decoded(), page(2), "{accept}");
        assert!(got.header(header::ETAG).unwrap().starts_with("\"page-2"));
    }
    assert_eq!(layer.stats().compressions, 4);
}

#[tokio::test]
async fn concurrent_first_requests_share_one_compression() {
    let layer = CompressOnceLayer::new();
    let app = app(&layer, Arc::new(AtomicU32::new(7)));
    let all = (0..16).map(|_| fetch(&app, "/page", BROWSER));
    for got in futures_util::future::join_all(all).await {
        assert_eq!(got.decoded(), page(7));
    }
    assert_eq!(layer.stats().compressions, 1, "{:?}", layer.stats());
}

#[tokio::test]
async fn the_representation_tag_answers_304_in_its_own_encoding() {
    let layer = CompressOnceLayer::new();
    let app = app(&layer, Arc::new(AtomicU32::new(1)));
    let br = |tag: &'static str| {
        [
            (header::ACCEPT_ENCODING, BROWSER),
            (header::IF_NONE_MATCH, tag),
        ]
    };
    let got = send(&app, Method::GET, "/page", &br("\"page-1-br\"")).await;
    assert_eq!(got.status, StatusCode::NOT_MODIFIED);
    assert_eq!(got.header(header::ETAG), Some("\"page-1-br\""));
    assert!(got.vary_accept_encoding());
    assert!(got.raw.is_empty());
    // The gzip body's tag does not name the brotli body.
    let got = send(&app, Method::GET, "/page", &br("\"page-1-gzip\"")).await;
    assert_eq!(got.status, StatusCode::OK);
    assert_eq!(got.decoded(), page(1));
    // An outdated tag gets the new body.
    let got = send(&app, Method::GET, "/page", &br("\"page-0-br\"")).await;
    assert_eq!(got.status, StatusCode::OK);
    let gz = [
        (header::ACCEPT_ENCODING, "gzip"),
        (header::IF_NONE_MATCH, "W/\"page-1-gzip\""),
    ];
    let got = send(&app, Method::GET, "/page", &gz).await;
    assert_eq!(got.status, StatusCode::NOT_MODIFIED);
    assert_eq!(got.header(header::ETAG), Some("\"page-1-gzip\""));
    let id = [(header::IF_NONE_MATCH, "\"page-1\"")];
    let got = send(&app, Method::GET, "/page", &id).await;
    assert_eq!(got.status, StatusCode::NOT_MODIFIED);
    assert_eq!(got.header(header::ETAG), Some("\"page-1\""));
}

#[tokio::test]
async fn head_answers_with_the_headers_of_get_and_no_body() {
    let layer = CompressOnceLayer::new();
    let app = app(&layer, Arc::new(AtomicU32::new(1)));
    let br = [(header::ACCEPT_ENCODING, BROWSER)];
    // First a HEAD (nothing kept yet), then a GET, then a HEAD again.
    let head1 = send(&app, Method::HEAD, "/page", &br).await;
    let get = send(&app, Method::GET, "/page", &br).await;
    let head2 = send(&app, Method::HEAD, "/page", &br).await;
    for head in [&head1, &head2] {
        assert_eq!(head.status, StatusCode::OK);
        assert!(head.raw.is_empty());
        for name in [
            header::CONTENT_ENCODING,
            header::CONTENT_LENGTH,
            header::ETAG,
            header::VARY,
        ] {
            assert_eq!(
                head.header(name.clone()),
                get.header(name.clone()),
                "{name}"
            );
        }
    }
    assert_eq!(
        get.header(header::CONTENT_LENGTH),
        Some(get.raw.len().to_string().as_str())
    );
    let plain = send(&app, Method::HEAD, "/page", &[]).await;
    assert!(plain.raw.is_empty());
    assert_eq!(
        plain.header(header::CONTENT_LENGTH),
        Some(page(1).len().to_string().as_str())
    );
    assert_eq!(plain.header(header::CONTENT_ENCODING), None);
}

#[tokio::test]
async fn untagged_and_private_answers_stream_at_a_fast_level_and_are_never_kept() {
    let layer = CompressOnceLayer::new().never_cache(|req| req.uri.path().starts_with("/admin"));
    let app = app(&layer, Arc::new(AtomicU32::new(1)));
    for uri in ["/search", "/search", "/no-store", "/admin/page"] {
        let got = fetch(&app, uri, BROWSER).await;
        assert_eq!(got.header(header::CONTENT_ENCODING), Some("br"), "{uri}");
        assert_eq!(got.header(header::CONTENT_LENGTH), None, "{uri} streams");
        assert!(got.vary_accept_encoding());
        assert_eq!(got.decoded(), page(0), "{uri}");
    }
    let token = [
        (header::ACCEPT_ENCODING, "gzip"),
        (header::AUTHORIZATION, "Bearer x"),
    ];
    let got = send(&app, Method::GET, "/page", &token).await;
    assert_eq!(got.header(header::CONTENT_ENCODING), Some("gzip"));
    assert_eq!(got.header(header::ETAG), Some("\"page-1-gzip\""));
    assert_eq!(got.decoded(), page(1));
    let weak = fetch(&app, "/weak", BROWSER).await;
    assert_eq!(weak.header(header::ETAG), Some("W/\"w1\""));
    assert_eq!(weak.decoded(), page(0));
    let s = layer.stats();
    assert_eq!(
        (s.compressions, s.hits, s.streamed, s.entries),
        (0, 0, 6, 0),
        "{s:?}"
    );
}

#[tokio::test]
async fn fast_levels_are_lower_than_kept_levels() {
    // The same body streamed (fast) is larger than kept (high): the levels differ.
    let layer = CompressOnceLayer::new();
    let app = app(&layer, Arc::new(AtomicU32::new(0)));
    let kept = fetch(&app, "/page", BROWSER).await;
    let streamed = fetch(&app, "/search", BROWSER).await;
    assert_eq!(kept.decoded(), streamed.decoded());
    assert!(
        streamed.raw.len() > kept.raw.len(),
        "{} vs {}",
        streamed.raw.len(),
        kept.raw.len()
    );
}

#[tokio::test]
async fn ranges_encoded_bodies_images_and_tiny_bodies_pass_untouched() {
    let layer = CompressOnceLayer::new();
    let app = app(&layer, Arc::new(AtomicU32::new(1)));
    let range = [
        (header::ACCEPT_ENCODING, BROWSER),
        (header::RANGE, "bytes=0-999"),
    ];
    let got = send(&app, Method::GET, "/range", &range).await;
    assert_eq!(got.status, StatusCode::PARTIAL_CONTENT);
    assert_eq!(got.header(header::CONTENT_ENCODING), None);
    assert_eq!(got.header(header::ETAG), Some("\"r\""));
    assert_eq!(got.raw, "x".repeat(1000).into_bytes());
    let got = fetch(&app, "/already", BROWSER).await;
    assert_eq!(got.header(header::CONTENT_ENCODING), Some("gzip"));
    assert_eq!(got.header(header::ETAG), Some("\"gz\""));
    assert_eq!(got.raw, "not really gzip".repeat(100).into_bytes());
    let got = fetch(&app, "/png", BROWSER).await;
    assert_eq!(got.header(header::CONTENT_ENCODING), None);
    assert_eq!(got.raw, page(0).into_bytes());
    let got = fetch(&app, "/tiny", BROWSER).await;
    assert_eq!(got.header(header::CONTENT_ENCODING), None);
    assert_eq!(got.header(header::ETAG), Some("\"t\""));
    assert_eq!(got.raw, b"<p>hi</p>");
    assert_eq!(layer.stats(), Stats::default());
}

#[tokio::test]
async fn a_range_request_on_a_page_answered_whole_is_compressed() {
    // The inner service ignored the Range: a whole 200 may be compressed.
    let layer = CompressOnceLayer::new();
    let app = app(&layer, Arc::new(AtomicU32::new(1)));
    let range = [
        (header::ACCEPT_ENCODING, "gzip"),
        (header::RANGE, "bytes=0-9"),
    ];
    let got = send(&app, Method::GET, "/page", &range).await;
    assert_eq!(got.status, StatusCode::OK);
    assert_eq!(got.header(header::ACCEPT_RANGES), None);
    assert_eq!(got.decoded(), page(1));
}

#[tokio::test]
async fn the_cache_stays_within_its_bytes_and_large_bodies_stream() {
    // 24 KB: a page (~5 KB brotli) fits; the 40 KB body is over a quarter.
    let layer = CompressOnceLayer::new().capacity(24_000);
    let app = app(&layer, Arc::new(AtomicU32::new(1)));
    let got = fetch(&app, "/page", BROWSER).await;
    assert_eq!(
        got.header(header::CONTENT_LENGTH),
        None,
        "over max entry: streamed"
    );
    assert_eq!(got.decoded(), page(1));
    // Four pages' worth: one page is kept (a quarter of the capacity); a few
    // hundred of them (under 2 KB each at a middle level, cheaper to compute
    // in a test) are not.
    let capacity = 4 * page(1).len();
    let small = CompressOnceLayer::new()
        .capacity(capacity)
        .high(Levels { brotli: 4, gzip: 6 });
    let app = self::app(&small, Arc::new(AtomicU32::new(1)));
    for i in 0..300 {
        let got = fetch(&app, &format!("/page?n={i}"), BROWSER).await;
        assert_eq!(got.decoded(), page(1));
        assert!(
            got.header(header::CONTENT_LENGTH).is_some(),
            "kept, not streamed"
        );
    }
    let s = small.stats();
    assert!(s.bytes <= capacity as u64, "{s:?}");
    assert!(s.evictions > 0 && s.entries < 300, "{s:?}");
    assert_eq!(s.compressions, 300);
}

#[tokio::test]
async fn a_body_of_another_length_under_the_same_tag_is_compressed_again() {
    let layer = CompressOnceLayer::new();
    let body = Arc::new(std::sync::Mutex::new(page(1)));
    let b = body.clone();
    let app = Router::new()
        .route(
            "/liar",
            get(move || {
                let text = b.lock().unwrap().clone();
                async move { with(StatusCode::OK, &[HTML, (header::ETAG, "\"same\"")], text) }
            }),
        )
        .layer(layer.clone());
    assert_eq!(fetch(&app, "/liar", BROWSER).await.decoded(), page(1));
    *body.lock().unwrap() = page(22);
    assert_eq!(fetch(&app, "/liar", BROWSER).await.decoded(), page(22));
    assert_eq!(layer.stats().compressions, 2);
}

#[tokio::test]
async fn if_match_reaches_the_service_without_the_encoding_suffix() {
    let layer = CompressOnceLayer::new();
    let mut svc = app(&layer, Arc::new(AtomicU32::new(1))).into_service();
    let req = Request::builder()
        .method(Method::PUT)
        .uri("/write")
        .header(header::IF_MATCH, "\"3-fr-br\"")
        .body(Body::empty())
        .unwrap();
    let res = svc.ready().await.unwrap().call(req).await.unwrap();
    let body = res.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(&body[..], b"\"3-fr\"");
}
