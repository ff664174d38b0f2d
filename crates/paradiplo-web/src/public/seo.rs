//! robots.txt and sitemap.xml: every public page in both languages, with
//! its alternate.

use crate::AppState;
use crate::paths::{Section, other};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use paradiplo_core::Lang;

fn base(state: &AppState, headers: &HeaderMap) -> String {
    if let Some(b) = &state.config.base_url {
        return b.clone();
    }
    // Without a configured address, the host the client asked for; only
    // characters a host may hold are kept.
    let host: String = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost")
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
        .collect();
    format!("http://{host}")
}

pub async fn robots(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let body = format!(
        "User-agent: *\nDisallow: /admin/\nDisallow: /api/\nDisallow: /retroaction\nDisallow: /en/feedback\nSitemap: {}/sitemap.xml\n",
        base(&state, &headers)
    );
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], body).into_response()
}

pub async fn sitemap(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let site = match state.site.get(&state.store).await {
        Ok(s) => s,
        Err(e) => return crate::server_error(&e.to_string()),
    };
    let base = base(&state, &headers);
    // (French path, English path, last change)
    let mut pages: Vec<(String, String, Option<String>)> = Vec::new();
    for s in [Section::Home, Section::Hub]
        .into_iter()
        .chain(Section::LISTS)
    {
        pages.push((s.path(Lang::Fr).into(), s.path(Lang::En).into(), None));
    }
    let mut rec = |section: Section, slug: &str, at: &str| {
        pages.push((
            section.record(Lang::Fr, slug),
            section.record(Lang::En, slug),
            Some(at.get(..10).unwrap_or(at).to_string()),
        ))
    };
    for e in site.partners.iter() {
        rec(Section::Partners, e.rec.slug.as_str(), &e.updated_at);
    }
    for e in site.groupings.iter() {
        rec(Section::Groupings, e.rec.slug.as_str(), &e.updated_at);
    }
    for e in site.organizations.iter() {
        rec(Section::Organizations, e.rec.slug.as_str(), &e.updated_at);
    }
    for e in site.agreements.iter() {
        rec(Section::Agreements, e.rec.slug.as_str(), &e.updated_at);
    }
    for e in site.events.iter() {
        rec(Section::Events, e.rec.slug.as_str(), &e.updated_at);
    }
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
    );
    for (fr, en, at) in &pages {
        for lang in Lang::ALL {
            let (me, alt) = match lang {
                Lang::Fr => (fr, en),
                Lang::En => (en, fr),
            };
            let mut loc = String::new();
            crate::markdown::escape(&format!("{base}{me}"), &mut loc);
            let mut alt_loc = String::new();
            crate::markdown::escape(&format!("{base}{alt}"), &mut alt_loc);
            xml.push_str(&format!(
                "<url><loc>{loc}</loc>{}<xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{loc}\"/><xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{alt_loc}\"/></url>\n",
                at.as_ref().map(|d| format!("<lastmod>{d}</lastmod>")).unwrap_or_default(),
                lang.code(),
                other(lang).code(),
            ));
        }
    }
    xml.push_str("</urlset>\n");
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/xml; charset=utf-8")],
        xml,
    )
        .into_response()
}
