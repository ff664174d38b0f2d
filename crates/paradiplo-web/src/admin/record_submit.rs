//! An editor sends a draft for review, or throws it away.

use super::auth::StaffPost;
use super::record_show::render_record;
use super::{audit, kind_for, see_other};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use paradiplo_core::Role;
use paradiplo_store::StoreError;

/// Renders the record page with the message of a workflow refusal.
pub async fn refused(
    state: &AppState,
    post: &StaffPost,
    kind: paradiplo_core::RecordKind,
    slug: &str,
    e: StoreError,
) -> Response {
    let (key, status) = match &e {
        StoreError::Refused(r) => (format!("admin_refused_{}", r.code()), StatusCode::CONFLICT),
        StoreError::DraftConflict { .. } | StoreError::Conflict { .. } => {
            ("admin_refused_stale".to_string(), StatusCode::CONFLICT)
        }
        StoreError::Invalid(_) => (
            "admin_refused_invalid".to_string(),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        _ => return super::server_error(&e),
    };
    let msg = state
        .templates
        .messages(post.staff.lang.0)
        .get(&key)
        .cloned();
    render_record(state, &post.staff, kind, slug, None, msg, status).await
}

pub async fn submit(
    State(state): State<AppState>,
    Path((kind, slug)): Path<(String, String)>,
    post: StaffPost,
) -> Response {
    let staff = &post.staff;
    let kind = match kind_for(staff, &kind, Role::Editor) {
        Ok(kind) => kind,
        Err(refusal) => return refusal,
    };
    let revision = post.get("_draft_revision").parse().unwrap_or(-1);
    let now = super::auth::ts((state.admin.clock)());
    match state
        .store
        .submit_draft(kind, &slug, revision, staff.email(), &now)
        .await
    {
        Ok(_) => {
            audit(
                &state,
                staff.email(),
                "submit",
                kind.as_str(),
                &slug,
                &format!("revision {revision}"),
                &staff.client,
            )
            .await;
            see_other(
                staff.lang,
                &format!("/records/{}/{slug}", kind.as_str()),
                "submitted",
            )
        }
        Err(e) => refused(&state, &post, kind, &slug, e).await,
    }
}

pub async fn discard(
    State(state): State<AppState>,
    Path((kind, slug)): Path<(String, String)>,
    post: StaffPost,
) -> Response {
    let staff = &post.staff;
    let kind = match kind_for(staff, &kind, Role::Editor) {
        Ok(kind) => kind,
        Err(refusal) => return refusal,
    };
    let revision = post.get("_draft_revision").parse().unwrap_or(-1);
    let exists = matches!(
        state
            .store
            .get(kind, &slug, paradiplo_store::Visibility::All)
            .await,
        Ok(Some(_))
    );
    match state.store.discard_draft(kind, &slug, revision).await {
        Ok(()) => {
            audit(
                &state,
                staff.email(),
                "discard",
                kind.as_str(),
                &slug,
                &format!("revision {revision}"),
                &staff.client,
            )
            .await;
            if exists {
                see_other(
                    staff.lang,
                    &format!("/records/{}/{slug}", kind.as_str()),
                    "discarded",
                )
            } else {
                see_other(
                    staff.lang,
                    &format!("/records/{}", kind.as_str()),
                    "discarded",
                )
            }
        }
        Err(e) => refused(&state, &post, kind, &slug, e).await,
    }
}
