//! Response headers every answer carries (a strict Content-Security-Policy:
//! no inline script or style, nothing from elsewhere), and the static files
//! (stylesheets, script, logo) with long caching under content-hashed URLs.

use crate::AppState;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tower_http::set_header::SetResponseHeaderLayer;

pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; \
     connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// Adds the security headers, unless a handler chose its own (the API
/// documentation page may need a looser policy).
pub fn apply<S: Clone + Send + Sync + 'static>(router: Router<S>) -> Router<S> {
    router
        .layer(axum::middleware::from_fn(no_store_for_staff))
        // Bodies outside the staff workspace (whose own, larger limit for
        // uploads sits closer to its handlers and wins there).
        .layer(axum::extract::DefaultBodyLimit::max(
            crate::limits::BODY_MAX,
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            HeaderName::from_static("x-frame-options"),
            HeaderValue::from_static("DENY"),
        ))
}

/// True for the staff workspace's paths, in either language.
pub fn is_staff_path(path: &str) -> bool {
    ["/admin", "/en/admin"]
        .iter()
        .any(|base| path == *base || path.starts_with(&format!("{base}/")))
}

/// Staff pages, their CSV exports and every answer to a request carrying
/// credentials (an API token) are never kept by a browser or a proxy: they
/// may hold drafts, accounts or the audit log.
async fn no_store_for_staff(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let private =
        is_staff_path(req.uri().path()) || req.headers().contains_key(header::AUTHORIZATION);
    let mut res = next.run(req).await;
    let already = res
        .headers()
        .get(header::CACHE_CONTROL)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("no-store"));
    if private && !already {
        res.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}

pub const CSS: &str = include_str!("../static/paradiplo.css");
pub const JS: &str = include_str!("../static/paradiplo.js");
/// paradiplo's own neutral icon (a globe): browsers ask for /favicon.ico on
/// every site; the SVG serves those that read `<link rel="icon">`.
pub const FAVICON_ICO: &[u8] = include_bytes!("../static/favicon.ico");
pub const FAVICON_SVG: &str = include_str!("../static/favicon.svg");

/// A short content hash, for cache-busting URLs and ETags.
pub fn short_hash(bytes: &[u8]) -> String {
    paradiplo_core::digest::hex(&paradiplo_core::digest::sha256(bytes)[..6])
}

fn asset(content_type: &'static str, body: Vec<u8>, request: &HeaderMap) -> Response {
    // URLs carry the content hash, so a file never changes under its URL.
    cached_asset(
        content_type,
        "public, max-age=31536000, immutable",
        body,
        request,
    )
}

fn cached_asset(
    content_type: &'static str,
    cache_control: &'static str,
    body: Vec<u8>,
    request: &HeaderMap,
) -> Response {
    let etag = format!("\"{}\"", short_hash(&body));
    let mut h = HeaderMap::new();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(cache_control),
    );
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    if request
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag))
    {
        return (StatusCode::NOT_MODIFIED, h).into_response();
    }
    (StatusCode::OK, h, body).into_response()
}

pub fn static_routes() -> Router<AppState> {
    // The icons' URLs are fixed (browsers ask for /favicon.ico), so they are
    // cached for a day and revalidated by ETag rather than forever.
    const ICON_CACHE: &str = "public, max-age=86400";
    Router::new()
        .route(
            "/favicon.ico",
            get(|h: HeaderMap| async move {
                cached_asset("image/x-icon", ICON_CACHE, FAVICON_ICO.to_vec(), &h)
            }),
        )
        .route(
            "/favicon.svg",
            get(|h: HeaderMap| async move {
                cached_asset(
                    "image/svg+xml",
                    ICON_CACHE,
                    FAVICON_SVG.as_bytes().to_vec(),
                    &h,
                )
            }),
        )
        .route(
            "/static/paradiplo.css",
            get(|h: HeaderMap| async move {
                asset("text/css; charset=utf-8", CSS.as_bytes().to_vec(), &h)
            }),
        )
        .route(
            "/static/paradiplo.js",
            get(|h: HeaderMap| async move {
                asset("text/javascript; charset=utf-8", JS.as_bytes().to_vec(), &h)
            }),
        )
        .route(
            "/static/theme.css",
            get(|State(s): State<AppState>, h: HeaderMap| async move {
                asset(
                    "text/css; charset=utf-8",
                    s.config.branding.theme_css().into_bytes(),
                    &h,
                )
            }),
        )
        .route(
            "/branding/{file}",
            get(
                |State(s): State<AppState>,
                 axum::extract::Path(file): axum::extract::Path<String>,
                 h: HeaderMap| async move {
                    match &s.config.branding.logo {
                        Some(logo) if logo.url == format!("/branding/{file}") => {
                            asset(logo.media_type, logo.bytes.clone(), &h)
                        }
                        _ => StatusCode::NOT_FOUND.into_response(),
                    }
                },
            ),
        )
}
