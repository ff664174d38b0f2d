//! `/recherche` and `/en/search`: results with snippets, facets as links
//! that keep the other filters, and pages — plain HTML, no script needed.

use crate::search_params::{
    FACETS, PER_PAGE, Params, RawParams, facet_label, facet_lists, record_url,
};
use crate::{AppState, format_count};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use paradiplo_core::Lang;
use paradiplo_search::{SearchIndex, SearchRequest};
use serde::Serialize;

#[derive(Serialize)]
struct HitView {
    kind: String,
    slug: String,
    kind_label: String,
    url: String,
    title_html: String,
    snippet_html: String,
    /// The counterparts, in the page's language.
    partner: Option<String>,
    /// The date as precise as known, for readers (« 5 mai 2006 », "March 1999").
    date: Option<String>,
    /// The same date for `<time datetime>` (`2006-05-05`, `1999-03`, `1996`).
    datetime: Option<String>,
}

/// One record of a kind, for a result's metadata line ("Entente ou traité",
/// not the facet's plural "Ententes et traités").
fn kind_one(msg: &std::collections::BTreeMap<String, String>, kind: &str) -> Option<String> {
    msg.get(&format!("kind_one_{kind}")).cloned()
}

/// A hit's date for readers and for `<time datetime>` (only for the plain
/// `1996`, `1999-03`, `2006-05-05` forms HTML accepts); a value the date
/// parser does not read is shown as stored.
fn hit_date(raw: Option<&str>, lang: Lang) -> (Option<String>, Option<String>) {
    let Some(raw) = raw.map(str::trim).filter(|r| !r.is_empty()) else {
        return (None, None);
    };
    match paradiplo_core::PartialDate::parse(raw) {
        Ok(d) => {
            let machine = matches!(raw.len(), 4 | 7 | 10)
                && raw.chars().all(|c| c.is_ascii_digit() || c == '-');
            (Some(d.display(lang)), machine.then(|| raw.to_string()))
        }
        Err(_) => (Some(raw.to_string()), None),
    }
}

#[derive(Serialize)]
struct FacetValue {
    value: String,
    label: String,
    count: String,
    href: String,
    active: bool,
}

#[derive(Serialize)]
struct FacetGroup {
    name: &'static str,
    label: String,
    values: Vec<FacetValue>,
}

#[derive(Serialize)]
struct Active {
    label: String,
    value: String,
    remove: String,
}

#[derive(Serialize)]
struct ResultsView {
    count_text: String,
    relaxed: bool,
    first_rank: usize,
    hits: Vec<HitView>,
    facets: Vec<FacetGroup>,
    active: Vec<Active>,
    prev: Option<String>,
    next: Option<String>,
    page_of: String,
    /// The page number, for the `<title>`.
    page: usize,
}

fn path(lang: Lang) -> &'static str {
    crate::paths::Section::Search.path(lang)
}

fn other(lang: Lang) -> Lang {
    match lang {
        Lang::Fr => Lang::En,
        Lang::En => Lang::Fr,
    }
}

pub async fn search_fr(State(state): State<AppState>, Query(raw): Query<RawParams>) -> Response {
    page(state, raw, Lang::Fr).await
}

pub async fn search_en(State(state): State<AppState>, Query(raw): Query<RawParams>) -> Response {
    page(state, raw, Lang::En).await
}

fn results(
    index: &SearchIndex,
    params: &Params,
    lang: Lang,
    msg: &std::collections::BTreeMap<String, String>,
) -> Result<ResultsView, paradiplo_search::SearchError> {
    let mut req = SearchRequest::new(&params.q, lang);
    req.filters = params.filters.clone();
    req.offset = (params.page - 1) * PER_PAGE;
    req.limit = PER_PAGE;
    let r = index.search(&req)?;
    let here = path(lang);
    let m = |k: &str| msg.get(k).cloned().unwrap_or_default();
    let count_key = if r.total <= 1 {
        "search_results_one"
    } else {
        "search_results_many"
    };
    let count_text = m(count_key).replace("{n}", &format_count(r.total as i64, lang));
    let hits = r
        .hits
        .into_iter()
        .map(|h| {
            let (date, datetime) = hit_date(h.date.as_deref(), lang);
            HitView {
                kind_label: kind_one(msg, &h.kind)
                    .unwrap_or_else(|| facet_label(index, "type", &h.kind, lang)),
                url: record_url(&h.link_kind, &h.link_slug, None, lang),
                kind: h.kind,
                slug: h.slug,
                title_html: h.title_html,
                snippet_html: h.snippet_html,
                partner: h.partner,
                date,
                datetime,
            }
        })
        .collect();
    let facets = facet_lists(&r.facets)
        .into_iter()
        .filter(|(_, values)| !values.is_empty())
        .map(|(name, values)| FacetGroup {
            name,
            label: m(&format!("facet_{name}")),
            values: values
                .iter()
                .map(|v| FacetValue {
                    label: facet_label(index, name, &v.value, lang),
                    count: format_count(v.count as i64, lang),
                    href: params.with(name, Some(&v.value)).href(here),
                    active: params.get(name).as_deref() == Some(v.value.as_str()),
                    value: v.value.clone(),
                })
                .collect(),
        })
        .collect();
    let active = FACETS
        .iter()
        .filter_map(|f| {
            params.get(f).map(|v| Active {
                label: m(&format!("facet_{f}")),
                value: facet_label(index, f, &v, lang),
                remove: params.with(f, None).href(here),
            })
        })
        .collect();
    let pages = (r.total as usize).div_ceil(PER_PAGE).max(1);
    let at = |page: usize| {
        let mut p = params.clone();
        p.page = page;
        p.href(here)
    };
    Ok(ResultsView {
        count_text,
        relaxed: r.relaxed,
        first_rank: (params.page - 1) * PER_PAGE + 1,
        hits,
        facets,
        active,
        prev: (params.page > 1).then(|| at(params.page - 1)),
        next: (params.page < pages).then(|| at(params.page + 1)),
        page_of: m("search_page_of")
            .replace("{page}", &format_count(params.page as i64, lang))
            .replace("{pages}", &format_count(pages as i64, lang)),
        page: params.page,
    })
}

async fn page(state: AppState, raw: RawParams, lang: Lang) -> Response {
    let msg = state.templates.messages(lang);
    let checked = raw.check();
    let (status, error, view, params) = match (&checked, &state.search) {
        (Err(e), _) => (
            StatusCode::BAD_REQUEST,
            Some(e.message(&msg["search_invalid"])),
            None,
            None,
        ),
        (Ok(_), None) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Some(msg["search_unavailable"].clone()),
            None,
            None,
        ),
        (Ok(p), Some(index)) => {
            let searched = !p.q.is_empty() || p.filters != Default::default();
            if searched {
                match results(index, p, lang, msg) {
                    Ok(v) => (StatusCode::OK, None, Some(v), Some(p)),
                    Err(e) => {
                        tracing::error!(error = %e, "search failed");
                        (
                            StatusCode::INTERNAL_SERVER_ERROR,
                            Some(msg["search_unavailable"].clone()),
                            None,
                            Some(p),
                        )
                    }
                }
            } else {
                (StatusCode::OK, None, None, Some(p))
            }
        }
    };
    let q = params
        .map(|p| p.q.clone())
        .unwrap_or_else(|| raw.q.clone().unwrap_or_default());
    let alternate = match params {
        Some(p) => p.href(path(other(lang))),
        None => path(other(lang)).to_string(),
    };
    let portal_name = match lang {
        Lang::Fr => state.branding.name_fr.clone(),
        Lang::En => state.branding.name_en.clone(),
    };
    let html = state.templates.render(
        "search.html",
        lang,
        minijinja::context! {
            portal_name => portal_name,
            home_url => crate::paths::Section::Home.path(lang),
            alternate => alternate,
            last_update => Option::<String>::None,
            q => q,
            error => error,
            results => view.map(crate::templates::to_value),
        },
    );
    match html {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => crate::server_error(&e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_a_singular_label_in_both_languages() {
        let t = crate::templates::Templates::new();
        for lang in [Lang::Fr, Lang::En] {
            let msg = t.messages(lang);
            for kind in paradiplo_core::RecordKind::ALL {
                let one = kind_one(msg, kind.as_str());
                assert!(
                    // Singular, not the plural label (one home state: the same word).
                    one.as_deref().is_some_and(|o| !o.is_empty()
                        && (o != kind.label(lang) || kind == paradiplo_core::RecordKind::Home)),
                    "kind_one_{} in {lang:?}: {one:?}",
                    kind.as_str()
                );
            }
        }
        assert_eq!(
            kind_one(t.messages(Lang::Fr), "agreement").as_deref(),
            Some("Entente ou traité")
        );
    }

    #[test]
    fn dates_as_precise_as_known_in_each_language() {
        let fr = |raw| hit_date(Some(raw), Lang::Fr);
        let en = |raw| hit_date(Some(raw), Lang::En);
        assert_eq!(fr("2006-05-05").0.as_deref(), Some("5 mai 2006"));
        assert_eq!(en("2006-05-05").0.as_deref(), Some("May 5, 2006"));
        assert_eq!(fr("1999-03").0.as_deref(), Some("mars 1999"));
        assert_eq!(en("1999-03").0.as_deref(), Some("March 1999"));
        assert_eq!(fr("1996"), (Some("1996".into()), Some("1996".into())));
        assert_eq!(fr("2006-05-05").1.as_deref(), Some("2006-05-05"));
        assert_eq!(hit_date(None, Lang::Fr), (None, None));
        assert_eq!(hit_date(Some(" "), Lang::En), (None, None));
    }
}
