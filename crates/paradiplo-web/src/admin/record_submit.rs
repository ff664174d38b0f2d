//! An editor sends a draft for review, or throws it away.

use super::auth::Staff;
use super::auth::StaffPost;
use super::record_show::render_record;
use super::{kind_for, see_other};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use paradiplo_core::Role;
use paradiplo_store::{Actor, StoreError};

/// The staff member as the write service's actor.
pub fn actor(staff: &Staff) -> Actor {
    Actor {
        name: staff.email().to_string(),
        role: staff.role(),
        client: staff.client.clone(),
    }
}

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
        StoreError::Role(_) => return post.staff.lang.refusal(StatusCode::FORBIDDEN),
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
        .writer()
        .submit_draft(&actor(staff), kind, &slug, revision, &now)
        .await
    {
        Ok(_) => see_other(
            staff.lang,
            &format!("/records/{}/{slug}", kind.as_str()),
            "submitted",
        ),
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
    match state
        .store
        .writer()
        .discard_draft(&actor(staff), kind, &slug, revision)
        .await
    {
        Ok(()) => {
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
