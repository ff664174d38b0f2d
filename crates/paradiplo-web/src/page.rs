//! The page machinery every public page goes through: the page context
//! (language, breadcrumb, last update, language switch, canonical URL,
//! feedback state), rendering into the layout, a cache of rendered pages
//! keyed by the store's change token, and conditional answers (ETag,
//! Last-Modified, 304).

use crate::paths::{Section, other};
use crate::site::Site;
use crate::{AppState, format_timestamp_date};
use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use minijinja::Value;
use paradiplo_core::Lang;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// One step of the breadcrumb.
#[derive(Debug, Clone, Serialize)]
pub struct Crumb {
    pub label: String,
    pub url: String,
}

/// What a page handler produces; the machinery adds the rest.
pub struct PageOut {
    pub template: &'static str,
    /// The page's title (its h1).
    pub title: String,
    pub section: Section,
    /// The steps between the home page and this page (both excluded).
    pub crumbs: Vec<Crumb>,
    /// This page's own URL (path and meaningful query), for canonical and feedback.
    pub url: String,
    /// The same page in the other language.
    pub alternate: String,
    /// The newest `updated_at` among the records the page shows.
    pub updated: Option<String>,
    /// schema.org description of the record shown, if any.
    pub jsonld: Option<serde_json::Value>,
    /// The page's own variables.
    pub ctx: Value,
    /// The day the page shows the network as of, when asked (`?date=`).
    pub as_of: Option<time::Date>,
    /// What narrows the page, for its `<title>`: the chosen filters' labels.
    pub title_detail: Vec<String>,
    /// The page number of a list past its first page, for its `<title>`.
    pub title_page: Option<usize>,
}

/// The newest of some timestamps (fixed-width UTC text sorts as time).
pub fn newest<'a>(stamps: impl IntoIterator<Item = &'a String>) -> Option<String> {
    stamps.into_iter().max().cloned()
}

/// A query string, parsed once.
#[derive(Debug, Default)]
pub struct Query(Vec<(String, String)>);

impl Query {
    pub fn parse(raw: Option<&str>) -> Query {
        Query(
            raw.map(|q| {
                url::form_urlencoded::parse(q.as_bytes())
                    .map(|(k, v)| (k.into_owned(), v.into_owned()))
                    .collect()
            })
            .unwrap_or_default(),
        )
    }
    /// The first non-empty value of `key`.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, v)| k == key && !v.trim().is_empty())
            .map(|(_, v)| v.trim())
    }
}

/// Builds "path?k=v&…" from the pairs that have a value.
pub fn with_query(path: &str, pairs: &[(&str, Option<String>)]) -> String {
    let mut ser = url::form_urlencoded::Serializer::new(String::new());
    let mut any = false;
    for (k, v) in pairs {
        if let Some(v) = v {
            ser.append_pair(k, v);
            any = true;
        }
    }
    if any {
        format!("{path}?{}", ser.finish())
    } else {
        path.to_string()
    }
}

/// The query key and values of the feedback states, per language.
pub fn feedback_key(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => "retroaction",
        Lang::En => "feedback",
    }
}
pub fn feedback_thanks(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => "merci",
        Lang::En => "thanks",
    }
}
pub fn feedback_no(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => "non",
        Lang::En => "no",
    }
}

/// A page ready to send.
#[derive(Debug)]
pub struct Rendered {
    pub status: StatusCode,
    pub body: Bytes,
    pub etag: String,
    pub last_modified: Option<String>,
    /// The answer's headers, built once per rendering.
    headers: HeaderMap,
}

/// Rendered pages for one change token. Bounded: a flood of distinct
/// query strings empties it rather than growing it.
#[derive(Default)]
pub struct PageCache {
    inner: Mutex<(i64, HashMap<String, Arc<Rendered>>)>,
}

const PAGE_CACHE_MAX: usize = 2048;

impl PageCache {
    fn get(&self, token: i64, key: &str) -> Option<Arc<Rendered>> {
        let inner = self.inner.lock().expect("page cache lock");
        if inner.0 == token {
            inner.1.get(key).cloned()
        } else {
            None
        }
    }
    fn put(&self, token: i64, key: String, page: Arc<Rendered>) {
        let mut inner = self.inner.lock().expect("page cache lock");
        if inner.0 != token || inner.1.len() >= PAGE_CACHE_MAX {
            inner.0 = token;
            inner.1.clear();
        }
        inner.1.insert(key, page);
    }
}

fn http_date(timestamp: &str) -> Option<String> {
    let fmt = time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]Z"
    );
    let t = time::PrimitiveDateTime::parse(timestamp, fmt)
        .ok()?
        .assume_utc();
    Some(httpdate::fmt_http_date(t.into()))
}

fn etag_of(body: &[u8]) -> String {
    let digest = paradiplo_core::digest::sha256(body);
    format!("\"{}\"", paradiplo_core::digest::hex(&digest[..12]))
}

impl Rendered {
    pub fn new(status: StatusCode, body: String, last_update: Option<&str>) -> Rendered {
        let etag = etag_of(body.as_bytes());
        let last_modified = last_update.and_then(http_date);
        let mut headers = HeaderMap::new();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
        // Pages may be stored but are checked with the server each time.
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
        if let Ok(v) = HeaderValue::from_str(&etag) {
            headers.insert(header::ETAG, v);
        }
        if let Some(lm) = &last_modified
            && let Ok(v) = HeaderValue::from_str(lm)
        {
            headers.insert(header::LAST_MODIFIED, v);
        }
        Rendered {
            status,
            etag,
            body: Bytes::from(body),
            last_modified,
            headers,
        }
    }

    /// Answers 304 when the client already holds this version.
    pub fn respond(&self, request: &HeaderMap) -> Response {
        let not_modified = match request.get(header::IF_NONE_MATCH) {
            Some(inm) => inm.to_str().is_ok_and(|v| {
                v.split(',')
                    .map(|t| t.trim().trim_start_matches("W/"))
                    .any(|t| t == self.etag || t == "*")
            }),
            None => match (&self.last_modified, request.get(header::IF_MODIFIED_SINCE)) {
                (Some(lm), Some(ims)) => {
                    match (
                        httpdate::parse_http_date(lm),
                        ims.to_str()
                            .ok()
                            .and_then(|v| httpdate::parse_http_date(v).ok()),
                    ) {
                        (Ok(lm), Some(ims)) => lm <= ims,
                        _ => false,
                    }
                }
                _ => false,
            },
        };
        let headers = self.headers.clone();
        if not_modified && self.status == StatusCode::OK {
            return (StatusCode::NOT_MODIFIED, headers).into_response();
        }
        (self.status, headers, self.body.clone()).into_response()
    }
}

/// The feedback block's state for this request.
#[derive(Debug, Serialize)]
struct FeedbackBlock {
    /// The page's URL, sent back with the form.
    page: String,
    /// "ask", "no" (reasons step) or "thanks".
    state: &'static str,
    action: &'static str,
    reasons: Vec<(&'static str, String)>,
    comment_max: usize,
}

/// The reason keys offered after "No" (labels in the catalogues).
pub const FEEDBACK_REASONS: [&str; 5] = ["missing", "unclear", "outdated", "error", "other"];

/// Serves a page: from the cache when the registry has not changed, else
/// built by `build` (None: 404) and rendered into the layout.
pub async fn serve(
    state: &AppState,
    lang: Lang,
    uri: &Uri,
    headers: &HeaderMap,
    build: impl Fn(&Site, &Query) -> Option<PageOut>,
) -> Response {
    let site = match state.site.get(&state.store).await {
        Ok(s) => s,
        Err(e) => return crate::server_error(&e.to_string()),
    };
    let key = uri
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| uri.path().to_string());
    if let Some(page) = state.pages.get(site.token, &key) {
        return page.respond(headers);
    }
    let query = Query::parse(uri.query());
    // `?date=YYYY-MM-DD`: the network as it stood that day (issue 9).
    let as_of = match query.get("date") {
        None => None,
        Some(raw) => match parse_day(raw) {
            Some(d) => Some(d),
            None => return bad_date_page(state, lang, raw),
        },
    };
    let then = as_of.map(|d| site.as_of(d));
    let Some(mut out) = build(then.as_ref().unwrap_or(&site), &query) else {
        // A record that did not exist yet (or no longer) that day, but does today.
        return match (as_of, build(&site, &query)) {
            (Some(day), Some(today)) => not_yet_page(state, lang, day, today),
            _ => not_found_page(state, lang),
        };
    };
    out.as_of = as_of;
    let fb = match query.get(feedback_key(lang)) {
        Some(v) if v == feedback_thanks(lang) => "thanks",
        Some(v) if v == feedback_no(lang) => "no",
        _ => "ask",
    };
    let home = then.as_ref().unwrap_or(&site).home_name(lang);
    match render_page(state, lang, out, fb, &home) {
        Ok(page) => {
            let page = Arc::new(page);
            state.pages.put(site.token, key, page.clone());
            page.respond(headers)
        }
        Err(e) => crate::server_error(&e.to_string()),
    }
}

/// The `<title>` of a page (WCAG 2.4.2): what it is, what narrows it
/// (filters, page number), the day it shows, then the portal and the home
/// state: « Ententes et traités — Bavière, page 2 — Partenaires et
/// organisations — Québec ». The home page starts with « Accueil ».
pub fn page_title(
    msg: &std::collections::BTreeMap<String, String>,
    out: &PageOut,
    portal: &str,
    home: &str,
    lang: Lang,
) -> String {
    let m = |k: &str| msg.get(k).cloned().unwrap_or_default();
    let same = |a: &str, b: &str| a.to_lowercase() == b.to_lowercase();
    let mut parts = Vec::new();
    if out.section == Section::Home {
        parts.push(m("home"));
    } else if !out.title.is_empty() && !same(&out.title, portal) {
        parts.push(out.title.clone());
    }
    let mut detail = out.title_detail.clone();
    if let Some(n) = out.title_page {
        detail.push(m("title_page").replace("{n}", &n.to_string()));
    }
    if !detail.is_empty() {
        parts.push(detail.join(", "));
    }
    if let Some(day) = out.as_of {
        let day = paradiplo_core::PartialDate::Day(day).display(lang);
        parts.push(m("title_as_of").replace("{date}", &day));
    }
    parts.push(portal.to_string());
    if !home.is_empty() && !same(home, portal) {
        parts.push(home.to_string());
    }
    parts.join(" — ")
}

fn render_page(
    state: &AppState,
    lang: Lang,
    out: PageOut,
    feedback_state: &'static str,
    home: &str,
) -> Result<Rendered, minijinja::Error> {
    let msg = state.templates.messages(lang);
    let portal_name = state.config.branding.name(lang);
    let title = page_title(msg, &out, portal_name, home, lang);
    let day = out.as_of.map(|d| d.to_string());
    let mut crumbs = vec![Crumb {
        label: msg.get("home").cloned().unwrap_or_default(),
        url: Section::Home.path(lang).to_string(),
    }];
    crumbs.extend(out.crumbs);
    let last_update = out
        .updated
        .as_deref()
        .and_then(|t| format_timestamp_date(t, lang));
    let canonical = state.absolute(&out.url);
    let (href_fr, href_en) = match lang {
        Lang::Fr => (canonical.clone(), state.absolute(&out.alternate)),
        Lang::En => (state.absolute(&out.alternate), canonical.clone()),
    };
    let feedback = FeedbackBlock {
        page: out.url.clone(),
        state: feedback_state,
        action: Section::Feedback.path(lang),
        reasons: FEEDBACK_REASONS
            .iter()
            .map(|r| {
                (
                    *r,
                    msg.get(&format!("feedback_reason_{r}"))
                        .cloned()
                        .unwrap_or_default(),
                )
            })
            .collect(),
        comment_max: paradiplo_store::FEEDBACK_COMMENT_MAX,
    };
    let jsonld = out.jsonld.map(crate::templates::to_value);
    let html = state.templates.render(
        out.template,
        lang,
        minijinja::context! {
            portal_name => portal_name,
            page_title => title,
            home_url => Section::Home.path(lang),
            alternate => out.alternate,
            last_update => last_update,
            title => out.title,
            breadcrumb => crate::templates::to_value(crumbs),
            canonical => canonical,
            href_fr => href_fr,
            href_en => href_en,
            jsonld => jsonld,
            feedback => crate::templates::to_value(feedback),
            section => out.section.key(),
            as_of_banner => out.as_of.map(|d| paradiplo_core::PartialDate::Day(d).display(lang)),
            as_of_day => day.clone(),
            today_url => out.url.clone(),
            ..out.ctx
        },
    )?;
    // As of a day, every link to another page of the network keeps the day.
    let html = match &day {
        Some(day) => dated_links(&html, day),
        None => html,
    };
    Ok(Rendered::new(StatusCode::OK, html, out.updated.as_deref()))
}

/// Whether a local path is a page that shows the network as of a day: the
/// home page, the hub, the lists and their records.
fn is_dated_page(path: &str) -> bool {
    let sections = [Section::Hub].into_iter().chain(Section::LISTS);
    path == "/"
        || path == "/en/"
        || sections
            .flat_map(|s| [s.path(Lang::Fr), s.path(Lang::En)])
            .any(|p| path == p || path.strip_prefix(p).is_some_and(|r| r.starts_with('/')))
}

/// Adds `date=DAY` to every `href` of the page that leads to another dated
/// page, except those marked `data-undated` (the link to today's page).
pub fn dated_links(html: &str, day: &str) -> String {
    let mut out = String::with_capacity(html.len() + 1024);
    let mut rest = html;
    while let Some(i) = rest.find("href=\"") {
        let start = i + "href=\"".len();
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        let end = rest.find('"').unwrap_or(rest.len());
        let (href, after) = rest.split_at(end);
        let (base, fragment) = href.split_once('#').map_or((href, ""), |(b, f)| (b, f));
        let path = base.split('?').next().unwrap_or(base);
        let keep = is_dated_page(path)
            && !base.contains("date=")
            && !after[1.min(after.len())..].starts_with(" data-undated");
        out.push_str(base);
        if keep {
            let sep = if base.contains('?') { "&amp;" } else { "?" };
            out.push_str(&format!("{sep}date={day}"));
        }
        if !fragment.is_empty() || href.ends_with('#') {
            out.push('#');
            out.push_str(fragment);
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

/// 404 for a record that did not exist yet, or no longer, on `day`: says
/// so, and links to today's page and to the same explanation in the other
/// language.
fn not_yet_page(state: &AppState, lang: Lang, day: time::Date, today: PageOut) -> Response {
    let alternate = format!("{}?date={day}", today.alternate);
    let page = state.templates.render(
        "not_yet.html",
        lang,
        minijinja::context! {
            portal_name => state.config.branding.name(lang),
            home_url => Section::Home.path(lang),
            alternate => alternate,
            last_update => Option::<String>::None,
            record_title => today.title,
            day => paradiplo_core::PartialDate::Day(day).display(lang),
            today_url => today.url,
        },
    );
    match page {
        Ok(html) => {
            let mut r = Rendered::new(StatusCode::NOT_FOUND, html, None).respond(&HeaderMap::new());
            r.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            r
        }
        Err(e) => crate::server_error(&e.to_string()),
    }
}

/// A `date` parameter as the portal accepts it: a day, `YYYY-MM-DD`.
pub fn parse_day(raw: &str) -> Option<time::Date> {
    let f = time::macros::format_description!("[year]-[month]-[day]");
    if raw.len() != 10 {
        return None;
    }
    time::Date::parse(raw, f).ok()
}

/// 400: a `date` parameter that is not a day, named with its value.
pub fn bad_date_page(state: &AppState, lang: Lang, raw: &str) -> Response {
    let page = state.templates.render(
        "bad_date.html",
        lang,
        minijinja::context! {
            portal_name => state.config.branding.name(lang),
            home_url => Section::Home.path(lang),
            alternate => Option::<String>::None,
            last_update => Option::<String>::None,
            value => raw,
        },
    );
    match page {
        Ok(html) => {
            let mut r =
                Rendered::new(StatusCode::BAD_REQUEST, html, None).respond(&HeaderMap::new());
            r.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            r
        }
        Err(e) => crate::server_error(&e.to_string()),
    }
}

/// The "page not found" page, in the visitor's language.
pub fn not_found_page(state: &AppState, lang: Lang) -> Response {
    let page = state.templates.render(
        "not_found.html",
        lang,
        minijinja::context! {
            portal_name => state.config.branding.name(lang),
            home_url => Section::Home.path(lang),
            // The language switch leads to the other language's home page.
            alternate => Section::Home.path(other(lang)),
            last_update => Option::<String>::None,
        },
    );
    match page {
        Ok(html) => {
            let mut r = Rendered::new(StatusCode::NOT_FOUND, html, None).respond(&HeaderMap::new());
            r.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            r
        }
        Err(e) => crate::server_error(&e.to_string()),
    }
}

/// The other language's section path with a record slug.
pub fn record_pair(section: Section, lang: Lang, slug: &str) -> (String, String) {
    (
        section.record(lang, slug),
        section.record(other(lang), slug),
    )
}
