//! A publisher restores an earlier version, as a new published version.

use super::auth::StaffPost;
use super::record_publish::public_note;
use super::record_submit::{actor, refused};
use super::{kind_for, not_found, see_other};
use crate::AppState;
use axum::extract::{Path, State};
use axum::response::Response;
use paradiplo_core::Role;

pub async fn restore(
    State(state): State<AppState>,
    Path((kind, slug)): Path<(String, String)>,
    post: StaffPost,
) -> Response {
    let staff = &post.staff;
    let kind = match kind_for(staff, &kind, Role::Publisher) {
        Ok(kind) => kind,
        Err(refusal) => return refusal,
    };
    let from: i64 = post.get("version").parse().unwrap_or(-1);
    let expected: i64 = post.get("_record_version").parse().unwrap_or(-1);
    let note = post.get("note");
    if note.is_empty() {
        return super::record_show::note_required(&state, staff, kind, &slug).await;
    }
    let now = super::auth::ts((state.admin.clock)());
    match state
        .store
        .writer()
        .restore(
            &actor(staff),
            kind,
            &slug,
            Some(from),
            expected,
            note,
            public_note(&post),
            &now,
        )
        .await
    {
        Ok(_) => {
            state.after_write().await;
            see_other(
                staff.lang,
                &format!("/records/{}/{slug}/history", kind.as_str()),
                "restored",
            )
        }
        Err(paradiplo_store::StoreError::VersionNotFound { .. }) => not_found(staff.lang),
        Err(e) => refused(&state, &post, kind, &slug, e).await,
    }
}
