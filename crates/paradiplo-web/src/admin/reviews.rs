//! Forced publications are listed for review; a second publisher marks them reviewed.

use super::auth::StaffPost;
use super::see_other;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use paradiplo_core::Role;
use paradiplo_store::StoreError;

pub async fn mark_reviewed(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    post: StaffPost,
) -> Response {
    let staff = &post.staff;
    if let Err(r) = staff.require(Role::Publisher) {
        return r;
    }
    let now = super::auth::ts((state.admin.clock)());
    match state
        .store
        .writer()
        .review_publication(&super::record_submit::actor(staff), id, &now)
        .await
    {
        Ok(_) => see_other(staff.lang, "/", "reviewed"),
        Err(StoreError::Refused(paradiplo_store::Refusal::NotFound)) => {
            staff.lang.refusal(StatusCode::NOT_FOUND)
        }
        Err(StoreError::Refused(_)) => staff.lang.refusal(StatusCode::CONFLICT),
        Err(StoreError::Role(_)) => staff.lang.refusal(StatusCode::FORBIDDEN),
        Err(e) => super::server_error(&e),
    }
}
