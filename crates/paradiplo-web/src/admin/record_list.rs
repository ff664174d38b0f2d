//! The records of one kind, with their state and any pending draft.

use super::auth::{Staff, page_ctx};
use super::{kind_of, not_found, render};
use crate::AppState;
use crate::templates::to_value;
use axum::extract::{Path, State};
use axum::response::Response;
use paradiplo_store::{DraftStatus, Visibility};
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Serialize)]
struct Row {
    slug: String,
    title: String,
    state: Option<&'static str>,
    draft: Option<&'static str>,
    updated: String,
}

pub async fn page(
    State(state): State<AppState>,
    staff: Staff,
    Path(kind): Path<String>,
) -> Response {
    let Some(kind) = kind_of(&kind) else {
        return not_found(staff.lang);
    };
    let lang = staff.lang.0;
    let (records, drafts) = match (
        state.store.list(kind, Visibility::All).await,
        state.store.drafts().await,
    ) {
        (Ok(r), Ok(d)) => (r, d),
        (Err(e), _) | (_, Err(e)) => return super::server_error(&e),
    };
    let mut rows: BTreeMap<String, Row> = records
        .into_iter()
        .map(|r| {
            let slug = r.record.slug().to_string();
            (
                slug.clone(),
                Row {
                    slug,
                    title: r.record.title().get(lang).to_string(),
                    state: Some(r.state.as_str()),
                    draft: None,
                    updated: super::record_show::when(&r.updated_at, lang),
                },
            )
        })
        .collect();
    for d in drafts.into_iter().filter(|d| d.kind == kind) {
        let status = match d.status {
            DraftStatus::Draft => "draft",
            DraftStatus::Submitted => "submitted",
        };
        let row = rows.entry(d.slug.clone()).or_insert_with(|| Row {
            slug: d.slug.clone(),
            title: d.record.title().get(lang).to_string(),
            state: None,
            draft: None,
            updated: super::record_show::when(&d.updated_at, lang),
        });
        row.draft = Some(status);
    }
    render(
        &state,
        &page_ctx(&staff),
        "admin/list.html",
        minijinja::context! {
            kind => kind.as_str(),
            kind_label => kind.label(lang),
            rows => to_value(rows.into_values().collect::<Vec<_>>()),
            can_edit => staff.role().can_edit(),
        },
    )
}
