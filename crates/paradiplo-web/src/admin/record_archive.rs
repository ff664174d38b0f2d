//! A publisher archives a record: it leaves the portal and keeps its history.

use super::auth::StaffPost;
use super::record_submit::{actor, refused};
use super::{kind_for, not_found, see_other};
use crate::AppState;
use axum::extract::{Path, State};
use axum::response::Response;
use paradiplo_core::Role;

pub async fn archive(
    State(state): State<AppState>,
    Path((kind, slug)): Path<(String, String)>,
    post: StaffPost,
) -> Response {
    let staff = &post.staff;
    let kind = match kind_for(staff, &kind, Role::Publisher) {
        Ok(kind) => kind,
        Err(refusal) => return refusal,
    };
    let note = post.get("note");
    if note.is_empty() {
        return super::record_show::note_required(&state, staff, kind, &slug).await;
    }
    let expected = post.get("_record_version").parse().unwrap_or(-1);
    match state
        .store
        .writer()
        .archive(&actor(staff), kind, &slug, expected, note)
        .await
    {
        Ok(_) => {
            state.after_write().await;
            see_other(
                staff.lang,
                &format!("/records/{}/{slug}", kind.as_str()),
                "archived",
            )
        }
        Err(paradiplo_store::StoreError::NotFound { .. }) => not_found(staff.lang),
        Err(e) => refused(&state, &post, kind, &slug, e).await,
    }
}
