//! Document downloads: the published Document record and its file from the
//! store's blobs. Drafts and archived documents are not found.

use crate::AppState;
use crate::page::not_found_page;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

pub async fn download(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Response {
    let site = match state.site.get(&state.store).await {
        Ok(s) => s,
        Err(e) => return crate::server_error(&e.to_string()),
    };
    let Some(doc) = site.documents.get(&slug) else {
        return not_found_page(&state, paradiplo_core::Lang::Fr);
    };
    let d = &doc.rec;
    let etag = format!("\"{}\"", d.sha256);
    if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag))
    {
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response();
    }
    let blob = match state.store.blob(&d.sha256).await {
        Ok(Some(b)) => b,
        Ok(None) => {
            tracing::error!(document = %slug, sha256 = %d.sha256, "document file missing");
            return not_found_page(&state, paradiplo_core::Lang::Fr);
        }
        Err(e) => return crate::server_error(&e.to_string()),
    };
    let mut h = HeaderMap::new();
    let media = if d.media_type.is_empty() {
        blob.media_type.clone()
    } else {
        d.media_type.clone()
    };
    // Text and HTML files are served as downloads so they never run as pages of the portal.
    let inline =
        media == "application/pdf" || media.starts_with("image/png") || media == "image/jpeg";
    if let Ok(v) = HeaderValue::from_str(&media) {
        h.insert(header::CONTENT_TYPE, v);
    }
    let file_name: String = d
        .file
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        .collect();
    if let Ok(v) = HeaderValue::from_str(&format!(
        "{}; filename=\"{file_name}\"",
        if inline { "inline" } else { "attachment" }
    )) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=86400"),
    );
    (StatusCode::OK, h, blob.bytes).into_response()
}
