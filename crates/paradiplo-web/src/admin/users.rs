//! Accounts (admin): list, create, disable and enable.

use super::auth::{PASSWORD_MIN, Staff, StaffPost, page_ctx};
use super::{Flash, audit, render_status, see_other};
use crate::AppState;
use crate::templates::to_value;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use paradiplo_core::Role;
use paradiplo_store::StoreError;
use serde::Serialize;

#[derive(Serialize)]
struct Row {
    id: i64,
    email: String,
    role: &'static str,
    disabled: bool,
    created: String,
    created_by: String,
}

async fn render_users(
    state: &AppState,
    staff: &Staff,
    flash: Option<String>,
    error: Option<String>,
    email: &str,
    status: StatusCode,
) -> Response {
    let lang = staff.lang.0;
    let users = match state.store.users().await {
        Ok(u) => u,
        Err(e) => return super::server_error(&e),
    };
    let rows: Vec<Row> = users
        .into_iter()
        .map(|u| Row {
            id: u.id,
            email: u.email,
            role: u.role.label(lang),
            disabled: u.disabled,
            created: super::record_show::when(&u.created_at, lang),
            created_by: u.created_by,
        })
        .collect();
    let roles: Vec<(&str, &str)> = Role::ALL
        .iter()
        .map(|r| (r.as_str(), r.label(lang)))
        .collect();
    render_status(
        state,
        &page_ctx(staff),
        "admin/users.html",
        minijinja::context! {
            users => to_value(rows),
            roles => to_value(roles),
            flash => flash,
            error => error,
            email => email,
            me => staff.email(),
        },
        status,
    )
}

pub async fn page(
    State(state): State<AppState>,
    staff: Staff,
    Query(flash): Query<Flash>,
) -> Response {
    if let Err(r) = staff.require(Role::Admin) {
        return r;
    }
    let flash = super::flash_text(&state, staff.lang.0, &flash);
    render_users(&state, &staff, flash, None, "", StatusCode::OK).await
}

pub async fn create(State(state): State<AppState>, post: StaffPost) -> Response {
    let staff = &post.staff;
    if let Err(r) = staff.require(Role::Admin) {
        return r;
    }
    let msgs = state.templates.messages(staff.lang.0);
    let email = post.get("email").to_string();
    let role = Role::parse(post.get("role"));
    let password = post
        .fields
        .iter()
        .find(|(k, _)| k == "password")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let again = post
        .fields
        .iter()
        .find(|(k, _)| k == "password2")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let problem = if !paradiplo_store::valid_email(&paradiplo_store::normalize_email(&email)) {
        Some("admin_user_bad_email")
    } else if role.is_none() {
        Some("admin_user_bad_role")
    } else if password.chars().count() < PASSWORD_MIN {
        Some("admin_user_short_password")
    } else if password != again {
        Some("admin_user_password_mismatch")
    } else {
        None
    };
    if let Some(key) = problem {
        return render_users(
            &state,
            staff,
            None,
            msgs.get(key).cloned(),
            &email,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let role = role.unwrap_or(Role::Reader);
    let hash = super::hash_password(
        password,
        state.admin.argon2_memory_kib,
        state.admin.argon2_passes,
    )
    .await;
    match state
        .store
        .create_user(&email, &hash, role, staff.email())
        .await
    {
        Ok(u) => {
            audit(
                &state,
                staff.email(),
                "user_create",
                "user",
                &u.email,
                role.as_str(),
                &staff.client,
            )
            .await;
            see_other(staff.lang, "/users", "user_created")
        }
        Err(StoreError::EmailTaken(_)) => {
            render_users(
                &state,
                staff,
                None,
                msgs.get("admin_user_taken").cloned(),
                &email,
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(StoreError::InvalidEmail(_)) => {
            render_users(
                &state,
                staff,
                None,
                msgs.get("admin_user_bad_email").cloned(),
                &email,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => super::server_error(&e),
    }
}

async fn set_disabled(state: AppState, id: i64, post: StaffPost, disabled: bool) -> Response {
    let staff = &post.staff;
    if let Err(r) = staff.require(Role::Admin) {
        return r;
    }
    if disabled && id == staff.session.user.id {
        let msg = state
            .templates
            .messages(staff.lang.0)
            .get("admin_user_not_self")
            .cloned();
        return render_users(&state, staff, None, msg, "", StatusCode::CONFLICT).await;
    }
    match state.store.set_user_disabled(id, disabled).await {
        Ok(u) => {
            let action = if disabled {
                "user_disable"
            } else {
                "user_enable"
            };
            audit(
                &state,
                staff.email(),
                action,
                "user",
                &u.email,
                "",
                &staff.client,
            )
            .await;
            see_other(
                staff.lang,
                "/users",
                if disabled {
                    "user_disabled"
                } else {
                    "user_enabled"
                },
            )
        }
        Err(StoreError::UserNotFound(_)) => super::not_found(staff.lang),
        Err(e) => super::server_error(&e),
    }
}

pub async fn disable(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    post: StaffPost,
) -> Response {
    set_disabled(state, id, post, true).await
}

pub async fn enable(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    post: StaffPost,
) -> Response {
    set_disabled(state, id, post, false).await
}
