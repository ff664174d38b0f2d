//! Document downloads: the published Document record and its file from the
//! store's blobs. Drafts and archived documents are not found. A Markdown
//! document is read as a page of the portal instead: the accessible web
//! version of the PDF of the same file name (issue 22, item 6).

use crate::AppState;
use crate::page::not_found_page;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use paradiplo_core::Lang;

pub async fn download(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    uri: Uri,
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
    if super::is_page_document(d) {
        return web_version(&state, d.clone(), &uri, &headers).await;
    }
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

/// A Markdown document as a page: in the document's language, titled by the
/// document, its headings under the page's h1, with a link to the file it
/// is the web version of.
async fn web_version(
    state: &AppState,
    d: paradiplo_core::records::Document,
    uri: &Uri,
    headers: &HeaderMap,
) -> Response {
    let lang = d.lang.unwrap_or(Lang::Fr);
    let text = match state.store.blob(&d.sha256).await {
        Ok(Some(b)) => String::from_utf8_lossy(&b.bytes).into_owned(),
        Ok(None) => {
            tracing::error!(document = %d.slug, sha256 = %d.sha256, "document file missing");
            return not_found_page(state, lang);
        }
        Err(e) => return crate::server_error(&e.to_string()),
    };
    let new_window = state.templates.messages(lang)["new_window"].clone();
    let body_html = crate::markdown::to_html(&text, 0, &new_window);
    crate::page::serve(state, lang, uri, headers, |site, _| {
        let entry = site.documents.get(d.slug.as_str())?;
        let original = super::original_of(site, &d).map(|o| super::doc_link(o, lang));
        Some(crate::page::PageOut {
            template: "document.html",
            title: d.title.get(lang).to_string(),
            section: crate::paths::Section::Hub,
            crumbs: vec![super::hub_crumb(site, lang)],
            url: crate::paths::document(d.slug.as_str()),
            alternate: crate::paths::Section::Home
                .path(crate::paths::other(lang))
                .to_string(),
            updated: Some(entry.updated_at.clone()),
            jsonld: None,
            as_of: None,
            title_detail: Vec::new(),
            title_page: None,
            ctx: minijinja::context! {
                summary => d.summary.as_ref().map(|s| s.get(lang).to_string()),
                original => original.map(crate::templates::to_value),
                body_html => body_html.clone(),
                source => d.source.as_ref().map(|u| crate::templates::to_value(super::sources(std::slice::from_ref(u)))),
            },
        })
    })
    .await
}
