//! One record as staff see it: its state, its pending draft and what the
//! draft would change, and the workflow actions the person's role allows.

use super::auth::{Staff, page_ctx};
use super::{Flash, kind_of, not_found, render_status};
use crate::AppState;
use crate::templates::to_value;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use paradiplo_core::{Lang, RecordKind};
use paradiplo_store::{Draft, DraftStatus, StoredRecord, Visibility};
use serde::Serialize;

/// A stored timestamp for readers: "23 juillet 2021, 14 h 30 (UTC)".
pub fn when(timestamp: &str, lang: Lang) -> String {
    let date = crate::format_timestamp_date(timestamp, lang).unwrap_or_default();
    let (h, m) = (
        timestamp.get(11..13).unwrap_or("00"),
        timestamp.get(14..16).unwrap_or("00"),
    );
    let hour: u32 = h.parse().unwrap_or(0);
    match lang {
        Lang::Fr => format!("{date}, {hour}\u{a0}h\u{a0}{m} (UTC)"),
        Lang::En => format!("{date}, {h}:{m} (UTC)"),
    }
}

#[derive(Serialize)]
pub struct ChangeRow {
    pub label: String,
    pub path: String,
    pub before: String,
    pub after: String,
    pub minor: bool,
    pub lang: Option<&'static str>,
}

/// Field changes for a page, labelled.
pub fn change_rows(
    state: &AppState,
    lang: Lang,
    changes: &[paradiplo_core::diff::FieldChange],
) -> Vec<ChangeRow> {
    let msgs = state.templates.messages(lang);
    changes
        .iter()
        .map(|c| ChangeRow {
            label: path_label(msgs, &c.path),
            path: c.path.clone(),
            before: c.before.clone(),
            after: c.after.clone(),
            minor: c.minor,
            lang: if c.path.ends_with(".fr") {
                Some("fr")
            } else if c.path.ends_with(".en") {
                Some("en")
            } else {
                None
            },
        })
        .collect()
}

/// "Jalons 1 › Texte (français)" for `milestones[0].text.fr`.
pub fn path_label(msgs: &std::collections::BTreeMap<String, String>, path: &str) -> String {
    let mut parts = Vec::new();
    for seg in path.split('.') {
        let (name, index) = match seg.split_once('[') {
            Some((n, rest)) => (n, rest.trim_end_matches(']').parse::<usize>().ok()),
            None => (seg, None),
        };
        let label = match name {
            "fr" | "en" => msgs.get(&format!("admin_lang_{name}")).cloned(),
            n => msgs.get(&format!("f_{n}")).cloned(),
        }
        .unwrap_or_else(|| name.to_string());
        parts.push(match index {
            Some(i) => format!("{label} {}", i + 1),
            None => label,
        });
    }
    parts.join(" › ")
}

/// The record and its draft, as staff see them.
pub async fn load(
    state: &AppState,
    kind: RecordKind,
    slug: &str,
) -> Result<(Option<StoredRecord>, Option<Draft>), paradiplo_store::StoreError> {
    let stored = state.store.get(kind, slug, Visibility::All).await?;
    let draft = state.store.draft(kind, slug).await?;
    Ok((stored, draft))
}

/// The record page again, refusing a change that came without its note
/// (archiving, restoring): 422.
pub async fn note_required(
    state: &AppState,
    staff: &Staff,
    kind: RecordKind,
    slug: &str,
) -> Response {
    let msg = (state.templates.messages(staff.lang.0))
        .get("admin_refused_note_required")
        .cloned();
    render_record(
        state,
        staff,
        kind,
        slug,
        None,
        msg,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

/// Renders the record page, with an optional refusal message.
pub async fn render_record(
    state: &AppState,
    staff: &Staff,
    kind: RecordKind,
    slug: &str,
    flash: Option<String>,
    error: Option<String>,
    status: StatusCode,
) -> Response {
    let lang = staff.lang.0;
    let (stored, draft) = match load(state, kind, slug).await {
        Ok(v) => v,
        Err(e) => return super::server_error(&e),
    };
    if stored.is_none() && draft.is_none() {
        return not_found(staff.lang);
    }
    let (changes, substantive) = match &draft {
        Some(d) => match (
            state.store.draft_changes(d).await,
            state.store.draft_is_substantive(d).await,
        ) {
            (Ok(c), Ok(s)) => (change_rows(state, lang, &c), s),
            (Err(e), _) | (_, Err(e)) => return super::server_error(&e),
        },
        None => (Vec::new(), false),
    };
    let publications = state
        .store
        .publications(kind, slug)
        .await
        .unwrap_or_default();
    let title = draft
        .as_ref()
        .map(|d| d.record.title().get(lang).to_string())
        .or_else(|| {
            stored
                .as_ref()
                .map(|s| s.record.title().get(lang).to_string())
        })
        .unwrap_or_default();
    // For an agreement: where its procedure stands (issue 6), on the
    // content staff edit (the draft when there is one).
    let procedure = match draft
        .as_ref()
        .map(|d| &d.record)
        .or(stored.as_ref().map(|s| &s.record))
    {
        Some(paradiplo_core::AnyRecord::Agreement(a)) => {
            match state.store.registry(Visibility::Staff).await {
                Ok(reg) => {
                    super::follow::procedure_view(&reg, a, lang, state.templates.messages(lang))
                }
                Err(e) => return super::server_error(&e),
            }
        }
        _ => None,
    };
    let me = staff.email();
    render_status(
        state,
        &page_ctx(staff),
        "admin/record.html",
        minijinja::context! {
            kind => kind.as_str(),
            kind_label => kind.label(lang),
            slug => slug,
            title => title,
            flash => flash,
            error => error,
            record_version => stored.as_ref().map(|s| s.version),
            state => stored.as_ref().map(|s| s.state.as_str()),
            updated => stored.as_ref().map(|s| when(&s.updated_at, lang)),
            updated_by => stored.as_ref().map(|s| s.updated_by.clone()),
            public_changed => stored.as_ref().map(|s| when(&s.public_changed_at, lang)),
            has_draft => draft.is_some(),
            draft_revision => draft.as_ref().map(|d| d.revision),
            draft_status => draft.as_ref().map(|d| match d.status { DraftStatus::Draft => "draft", DraftStatus::Submitted => "submitted" }),
            draft_by => draft.as_ref().map(|d| d.updated_by.clone()),
            draft_at => draft.as_ref().map(|d| when(&d.updated_at, lang)),
            draft_notes => to_value(draft.as_ref().map(|d| d.notes.iter().map(|n| (n.by.clone(), when(&n.at, lang), n.note.clone())).collect::<Vec<_>>()).unwrap_or_default()),
            scheduled_at => draft.as_ref().and_then(|d| d.scheduled_at.as_deref().map(|t| when(t, lang))),
            scheduled_by => draft.as_ref().and_then(|d| d.scheduled_by.clone()),
            base_moved => draft.as_ref().is_some_and(|d| d.base_version != stored.as_ref().map(|s| s.version)),
            own_draft => draft.as_ref().is_some_and(|d| d.updated_by == me),
            changes => to_value(changes),
            substantive => substantive,
            first_publication => !stored.as_ref().is_some_and(|s| s.state == paradiplo_core::RecordState::Published),
            publications => to_value(publications.iter().take(5).map(|p| (p.version, when(&p.at, lang), p.published_by.clone(), p.forced_reason.clone(), p.public_note.as_ref().map(|t| t.get(lang).to_string()))).collect::<Vec<_>>()),
            can_edit => staff.role().can_edit(),
            can_publish => staff.role().can_publish(),
            procedure => to_value(procedure),
        },
        status,
    )
}

pub async fn page(
    State(state): State<AppState>,
    staff: Staff,
    Path((kind, slug)): Path<(String, String)>,
    Query(flash): Query<Flash>,
) -> Response {
    let Some(kind) = kind_of(&kind) else {
        return not_found(staff.lang);
    };
    let flash = super::flash_text(&state, staff.lang.0, &flash);
    render_record(&state, &staff, kind, &slug, flash, None, StatusCode::OK).await
}
