//! A publisher publishes a draft now, or schedules it. The two-person rule
//! applies unless a reason is given (then the publication is listed for
//! review); a substantive change needs a public change note.

use super::auth::StaffPost;
use super::record_submit::{actor, refused};
use super::{kind_for, see_other};
use crate::AppState;
use axum::extract::{Path, State};
use axum::response::Response;
use paradiplo_core::{Role, Text};
use paradiplo_store::{PublishRequest, StoreError};

/// The public change note typed in the form, if any.
pub fn public_note(post: &StaffPost) -> Option<Text> {
    let fr = post.get("public_note.fr");
    let en = post.get("public_note.en");
    (!fr.is_empty() || !en.is_empty()).then(|| Text {
        fr: fr.to_string(),
        en: (!en.is_empty()).then(|| en.to_string()),
    })
}

pub async fn publish(
    State(state): State<AppState>,
    Path((kind, slug)): Path<(String, String)>,
    post: StaffPost,
) -> Response {
    let staff = &post.staff;
    let kind = match kind_for(staff, &kind, Role::Publisher) {
        Ok(kind) => kind,
        Err(refusal) => return refusal,
    };
    let revision = post.get("_draft_revision").parse().unwrap_or(-1);
    let reason = post.get("force_reason");
    let now = super::auth::ts((state.admin.clock)());
    let req = PublishRequest {
        revision,
        by: staff.email(),
        force_reason: (!reason.is_empty()).then_some(reason),
        public_note: public_note(&post),
        now: &now,
    };
    match state
        .store
        .writer()
        .publish_draft(&actor(staff), kind, &slug, req)
        .await
    {
        Ok(_) => {
            state.after_write().await;
            see_other(
                staff.lang,
                &format!("/records/{}/{slug}", kind.as_str()),
                "published",
            )
        }
        Err(e) => refused(&state, &post, kind, &slug, e).await,
    }
}

/// `2030-01-02T09:30` (a datetime-local field, UTC) → a stored timestamp.
fn parse_when(raw: &str) -> Option<String> {
    let fmt = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]");
    let t = time::PrimitiveDateTime::parse(raw, fmt).ok()?;
    Some(paradiplo_store::format_timestamp(t.assume_utc()))
}

pub async fn schedule(
    State(state): State<AppState>,
    Path((kind, slug)): Path<(String, String)>,
    post: StaffPost,
) -> Response {
    let staff = &post.staff;
    let kind = match kind_for(staff, &kind, Role::Publisher) {
        Ok(kind) => kind,
        Err(refusal) => return refusal,
    };
    let revision = post.get("_draft_revision").parse().unwrap_or(-1);
    let reason = post.get("force_reason");
    let now = super::auth::ts((state.admin.clock)());
    let Some(at) = parse_when(post.get("scheduled_at")) else {
        return refused(
            &state,
            &post,
            kind,
            &slug,
            StoreError::Refused(paradiplo_store::Refusal::ScheduleInPast),
        )
        .await;
    };
    match state
        .store
        .writer()
        .schedule_draft(
            &actor(staff),
            kind,
            &slug,
            revision,
            &at,
            (!reason.is_empty()).then_some(reason),
            public_note(&post),
            &now,
        )
        .await
    {
        Ok(_) => see_other(
            staff.lang,
            &format!("/records/{}/{slug}", kind.as_str()),
            "scheduled",
        ),
        Err(e) => refused(&state, &post, kind, &slug, e).await,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn schedule_times_are_utc() {
        assert_eq!(
            super::parse_when("2030-01-02T09:30").as_deref(),
            Some("2030-01-02T09:30:00.000000Z")
        );
        assert!(super::parse_when("tomorrow").is_none());
    }
}
