//! `GET /api/v1/search?q=&type=&region=&domain=&status=&year=&page=&lang=`:
//! results, total and facet counts as JSON.

use crate::AppState;
use crate::search_params::{PER_PAGE, RawParams, facet_label, facet_lists, record_url};
use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use paradiplo_search::SearchRequest;
use serde::Serialize;
use serde_json::json;
use std::collections::BTreeMap;

#[derive(Serialize)]
struct ApiHit {
    #[serde(rename = "type")]
    kind: String,
    slug: String,
    title: String,
    title_html: String,
    snippet_html: String,
    year: Option<u64>,
    url: String,
    score: f32,
}

#[derive(Serialize)]
struct ApiFacetValue {
    value: String,
    label: String,
    count: u64,
}

fn error(status: StatusCode, body: serde_json::Value) -> Response {
    (status, Json(json!({ "error": body }))).into_response()
}

pub async fn search(State(state): State<AppState>, Query(raw): Query<RawParams>) -> Response {
    let checked = raw.check().and_then(|p| raw.lang().map(|l| (p, l)));
    let (params, lang) = match checked {
        Ok(v) => v,
        Err(e) => {
            let message =
                e.message(&state.templates.messages(paradiplo_core::Lang::En)["search_invalid"]);
            return error(
                StatusCode::BAD_REQUEST,
                json!({ "field": e.field, "value": e.value, "expected": e.expected, "message": message }),
            );
        }
    };
    let Some(index) = &state.search else {
        return error(
            StatusCode::SERVICE_UNAVAILABLE,
            json!({ "message": "search is unavailable" }),
        );
    };
    let mut req = SearchRequest::new(&params.q, lang);
    req.filters = params.filters.clone();
    req.offset = (params.page - 1) * PER_PAGE;
    req.limit = PER_PAGE;
    let r = match index.search(&req) {
        Ok(r) => r,
        Err(e) => {
            tracing::error!(error = %e, "search failed");
            return error(
                StatusCode::INTERNAL_SERVER_ERROR,
                json!({ "message": "search failed" }),
            );
        }
    };
    let facets: BTreeMap<&str, Vec<ApiFacetValue>> = facet_lists(&r.facets)
        .into_iter()
        .map(|(name, values)| {
            let list = values
                .iter()
                .map(|v| ApiFacetValue {
                    label: facet_label(index, name, &v.value, lang),
                    value: v.value.clone(),
                    count: v.count,
                })
                .collect();
            (name, list)
        })
        .collect();
    let results: Vec<ApiHit> = r
        .hits
        .into_iter()
        .map(|h| ApiHit {
            url: record_url(&h.link_kind, &h.link_slug, None, lang),
            kind: h.kind,
            slug: h.slug,
            title: h.title,
            title_html: h.title_html,
            snippet_html: h.snippet_html,
            year: h.year,
            score: h.score,
        })
        .collect();
    Json(json!({
        "query": {
            "q": params.q,
            "type": params.filters.kind,
            "region": params.filters.region,
            "domain": params.filters.domain,
            "status": params.filters.status,
            "year": params.filters.year,
            "page": params.page,
            "lang": lang.code(),
        },
        "total": r.total,
        "page": params.page,
        "per_page": PER_PAGE,
        "pages": (r.total as usize).div_ceil(PER_PAGE),
        "relaxed": r.relaxed,
        "results": results,
        "facets": facets,
    }))
    .into_response()
}
