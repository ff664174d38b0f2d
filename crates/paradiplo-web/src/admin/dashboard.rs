//! The staff home: what waits for someone (drafts, reviews, schedules).

use super::auth::{Staff, page_ctx};
use super::{Flash, render};
use crate::AppState;
use crate::templates::to_value;
use axum::extract::{Query, State};
use axum::response::Response;
use paradiplo_store::{DraftStatus, Visibility};
use serde::Serialize;

#[derive(Serialize)]
struct DraftRow {
    kind: &'static str,
    kind_label: &'static str,
    slug: String,
    title: String,
    status: &'static str,
    updated_by: String,
    updated_at: String,
    scheduled_at: Option<String>,
}

#[derive(Serialize)]
struct ReviewRow {
    id: i64,
    kind: &'static str,
    slug: String,
    version: i64,
    published_by: String,
    at: String,
    reason: String,
}

#[derive(Serialize)]
struct KindRow {
    kind: &'static str,
    label: &'static str,
    count: String,
}

async fn render_dashboard(state: &AppState, staff: &Staff, flash: &Flash) -> Response {
    let lang = staff.lang.0;
    let result = async {
        let counts = state.store.counts(Visibility::Staff).await?;
        let drafts = state.store.drafts().await?;
        let reviews = state.store.forced_to_review().await?;
        Ok::<_, paradiplo_store::StoreError>((counts, drafts, reviews))
    }
    .await;
    let (counts, drafts, reviews) = match result {
        Ok(v) => v,
        Err(e) => return super::server_error(&e),
    };
    let kinds: Vec<KindRow> = super::specs::EDITABLE
        .iter()
        .map(|k| KindRow {
            kind: k.as_str(),
            label: k.label(lang),
            count: crate::format_count(counts.get(k).copied().unwrap_or(0), lang),
        })
        .collect();
    let drafts: Vec<DraftRow> = drafts
        .into_iter()
        .map(|d| DraftRow {
            kind: d.kind.as_str(),
            kind_label: d.kind.label(lang),
            title: d.record.title().get(lang).to_string(),
            slug: d.slug,
            status: match d.status {
                DraftStatus::Draft => "draft",
                DraftStatus::Submitted => "submitted",
            },
            updated_by: d.updated_by,
            updated_at: super::record_show::when(&d.updated_at, lang),
            scheduled_at: d.scheduled_at.map(|t| super::record_show::when(&t, lang)),
        })
        .collect();
    let reviews: Vec<ReviewRow> = reviews
        .into_iter()
        .map(|p| ReviewRow {
            id: p.id,
            kind: p.kind.as_str(),
            slug: p.slug,
            version: p.version,
            published_by: p.published_by,
            at: super::record_show::when(&p.at, lang),
            reason: p.forced_reason.unwrap_or_default(),
        })
        .collect();
    render(
        state,
        &page_ctx(staff),
        "admin/dashboard.html",
        minijinja::context! {
            flash => super::flash_text(state, lang, flash),
            kinds => to_value(kinds),
            drafts => to_value(drafts),
            reviews => to_value(reviews),
            can_publish => staff.role().can_publish(),
        },
    )
}

pub async fn page(
    State(state): State<AppState>,
    staff: Staff,
    Query(flash): Query<Flash>,
) -> Response {
    render_dashboard(&state, &staff, &flash).await
}
