//! The audit log (admin): every sign-in, failed sign-in, write, publication
//! and account change, filterable by person, record and date; CSV export.

use super::auth::{Staff, page_ctx};
use super::render;
use crate::AppState;
use crate::templates::to_value;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use paradiplo_core::Role;
use paradiplo_store::{AuditEntry, AuditFilter};
use serde::{Deserialize, Serialize};

#[derive(Deserialize, Serialize, Default, Clone)]
pub struct AuditQuery {
    #[serde(default)]
    actor: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    slug: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

impl AuditQuery {
    fn filter(&self, limit: i64) -> AuditFilter {
        let day = |s: &str| {
            let s = s.trim();
            paradiplo_core::PartialDate::parse(s)
                .ok()
                .map(|_| s.to_string())
        };
        AuditFilter {
            actor: Some(self.actor.trim().to_string()),
            kind: Some(self.kind.trim().to_string()),
            slug: Some(self.slug.trim().to_string()),
            from: day(&self.from),
            to: day(&self.to),
            limit,
        }
    }

    fn query_string(&self) -> String {
        use super::auth::urlencode as e;
        format!(
            "actor={}&kind={}&slug={}&from={}&to={}",
            e(&self.actor),
            e(&self.kind),
            e(&self.slug),
            e(&self.from),
            e(&self.to)
        )
    }
}

pub async fn page(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<AuditQuery>,
) -> Response {
    if let Err(r) = staff.require(Role::Admin) {
        return r;
    }
    let lang = staff.lang.0;
    let entries = match state.store.audit_log(&q.filter(500)).await {
        Ok(e) => e,
        Err(e) => return super::server_error(&e),
    };
    let rows: Vec<_> = entries
        .into_iter()
        .map(|e: AuditEntry| {
            minijinja::context! {
                at => super::record_show::when(&e.at, lang), actor => e.actor, action => e.action,
                kind => e.kind, slug => e.slug, detail => e.detail, client => e.client,
            }
        })
        .collect();
    render(
        &state,
        &page_ctx(&staff),
        "admin/audit.html",
        minijinja::context! {
            rows => rows,
            q => to_value(q.clone()),
            csv_query => q.query_string(),
        },
    )
}

pub async fn csv(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<AuditQuery>,
) -> Response {
    if let Err(r) = staff.require(Role::Admin) {
        return r;
    }
    let entries = match state.store.audit_log(&q.filter(100_000)).await {
        Ok(e) => e,
        Err(e) => return super::server_error(&e),
    };
    // A cell a spreadsheet would read as a formula is prefixed with an
    // apostrophe: notes and e-mails are typed by people.
    let cell = |s: &str| -> String { crate::format::csv_cell(s).into_owned() };
    let write = || -> Result<Vec<u8>, Box<dyn std::error::Error>> {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(["at", "actor", "action", "kind", "slug", "detail", "client"])?;
        for e in &entries {
            w.write_record(
                [
                    &e.at, &e.actor, &e.action, &e.kind, &e.slug, &e.detail, &e.client,
                ]
                .map(|s| cell(s)),
            )?;
        }
        Ok(w.into_inner()?)
    };
    match write() {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"audit.csv\"",
                ),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => super::server_error(&e),
    }
}
