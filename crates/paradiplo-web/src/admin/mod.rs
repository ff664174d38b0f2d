//! The staff workspace under `/admin/` (French) and `/en/admin/` (English):
//! accounts, editing with drafts, publishing, history, conflicts, audit log.
//!
//! Server-rendered, no JavaScript required, POST-redirect-GET. One file per
//! page or action; the generic record form lives in `form.rs`, driven by the
//! per-kind field descriptions of `specs.rs`.

mod audit;
pub mod auth;
mod calendar;
mod chart;
mod dashboard;
mod dossier;
pub mod feedback;
mod follow;
mod follow_ups;
mod form;
mod login;
mod record_archive;
mod record_edit;
mod record_history;
mod record_list;
mod record_preview;
mod record_publish;
mod record_restore;
mod record_show;
mod record_submit;
mod reviews;
mod specs;
mod users;

use crate::AppState;
use crate::templates::to_value;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use minijinja::Value;
use paradiplo_core::{Lang, RecordKind, Role};
use std::sync::Arc;
use std::time::Duration;
use time::OffsetDateTime;

pub use auth::{hash_password, verify_password};
pub use record_edit::{form_pairs, form_round_trip};

/// The clock, injectable so that tests can move time (lockouts, schedules).
pub type Clock = Arc<dyn Fn() -> OffsetDateTime + Send + Sync>;

/// Settings of the staff workspace.
#[derive(Clone)]
pub struct AdminConfig {
    /// Always mark cookies `Secure` (set when the server sits behind HTTPS).
    pub secure_cookies: bool,
    /// Trust `X-Forwarded-For` / `X-Forwarded-Proto` from a reverse proxy.
    pub trust_proxy: bool,
    /// A session ends this long after sign-in, whatever happens.
    pub session_ttl: Duration,
    /// A session ends after this long without a request.
    pub idle_timeout: Duration,
    /// Wrong passwords in a row that lock an account…
    pub lockout_threshold: i64,
    /// …for this long after the last of them.
    pub lockout_duration: Duration,
    /// Failed sign-ins from one client, any account, within `lockout_duration`,
    /// after which that client is turned away.
    pub client_failure_limit: i64,
    /// Largest document upload, in bytes.
    pub upload_limit: usize,
    /// Argon2id cost of new password hashes (memory KiB, passes).
    pub argon2_memory_kib: u32,
    pub argon2_passes: u32,
    pub clock: Clock,
}

impl Default for AdminConfig {
    fn default() -> Self {
        AdminConfig {
            secure_cookies: false,
            trust_proxy: false,
            session_ttl: Duration::from_secs(12 * 3600),
            idle_timeout: Duration::from_secs(2 * 3600),
            lockout_threshold: 10,
            lockout_duration: Duration::from_secs(15 * 60),
            client_failure_limit: 100,
            upload_limit: 20 * 1024 * 1024,
            argon2_memory_kib: 19 * 1024,
            argon2_passes: 2,
            clock: Arc::new(OffsetDateTime::now_utc),
        }
    }
}

impl std::fmt::Debug for AdminConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AdminConfig")
            .field("secure_cookies", &self.secure_cookies)
            .field("trust_proxy", &self.trust_proxy)
            .finish_non_exhaustive()
    }
}

/// The staff member's language, from the URL (`/admin` or `/en/admin`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StaffLang(pub Lang);

impl StaffLang {
    pub fn from_path(path: &str) -> StaffLang {
        StaffLang(if path.starts_with("/en/") {
            Lang::En
        } else {
            Lang::Fr
        })
    }

    pub fn from_parts(parts: &Parts) -> StaffLang {
        parts
            .extensions
            .get::<StaffLang>()
            .copied()
            .unwrap_or_else(|| StaffLang::from_path(parts.uri.path()))
    }

    pub fn base(self) -> &'static str {
        match self.0 {
            Lang::Fr => "/admin",
            Lang::En => "/en/admin",
        }
    }

    fn other_base(self) -> &'static str {
        match self.0 {
            Lang::Fr => "/en/admin",
            Lang::En => "/admin",
        }
    }

    /// A short page for refusals (401, 403, 400, 413, 429) in the staff
    /// member's language; the messages are the catalogue's.
    pub fn refusal(self, status: StatusCode) -> Response {
        let msgs = crate::templates::messages_static(self.0);
        let key = format!("admin_status_{}", status.as_u16());
        let text = msgs
            .get(&key)
            .or_else(|| msgs.get("admin_status_other"))
            .cloned()
            .unwrap_or_default();
        let login = msgs.get("admin_login_title").cloned().unwrap_or_default();
        let body = format!(
            "<!doctype html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>{t}</title>\
             <link rel=\"stylesheet\" href=\"/static/admin.css\"></head><body><main id=\"main\">\
             <h1>{t}</h1><p><a href=\"{base}/login\">{login}</a></p></main></body></html>",
            lang = self.0.code(),
            t = form::esc(&text),
            base = self.base(),
            login = form::esc(&login),
        );
        (status, Html(body)).into_response()
    }
}

/// What every staff page knows: language, who is signed in, the form token.
pub struct Page {
    pub lang: StaffLang,
    pub user: Option<(String, Role)>,
    pub csrf: String,
}

/// Renders an admin template with the page context.
pub fn render(state: &AppState, page: &Page, name: &str, ctx: Value) -> Response {
    render_status(state, page, name, ctx, StatusCode::OK)
}

pub fn render_status(
    state: &AppState,
    page: &Page,
    name: &str,
    ctx: Value,
    status: StatusCode,
) -> Response {
    let lang = page.lang.0;
    let (email, role, role_label) = match &page.user {
        Some((e, r)) => (Some(e.clone()), Some(r.as_str()), Some(r.label(lang))),
        None => (None, None, None),
    };
    let kinds: Vec<(&str, &str)> = specs::EDITABLE
        .iter()
        .map(|k| (k.as_str(), k.label(lang)))
        .collect();
    let base = minijinja::context! {
        admin => page.lang.base(),
        other_admin => page.lang.other_base(),
        user_email => email,
        user_role => role,
        user_role_label => role_label,
        csrf => page.csrf.clone(),
        nav_kinds => to_value(kinds),
        flash => Option::<String>::None,
    };
    match state
        .templates
        .render(name, lang, minijinja::context! { ..ctx, ..base })
    {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => server_error(&e),
    }
}

pub(crate) use crate::server_error;

/// POST-redirect-GET: 303 to a staff page, with a flash message key.
pub fn see_other(lang: StaffLang, path: &str, flash: &str) -> Response {
    let sep = if path.contains('?') { '&' } else { '?' };
    let target = if flash.is_empty() {
        format!("{}{}", lang.base(), path)
    } else {
        format!("{}{}{sep}done={flash}", lang.base(), path)
    };
    Redirect::to(&target).into_response()
}

/// The kind named in a URL, if staff may edit it.
pub fn kind_of(raw: &str) -> Option<RecordKind> {
    RecordKind::parse(raw).filter(|k| specs::EDITABLE.contains(k))
}

/// The editable kind a path names, for a staff member holding `role` at
/// least: an unknown kind is a 404 before any role is looked at.
#[allow(clippy::result_large_err)] // a response, returned at once by the handler
pub fn kind_for(staff: &auth::Staff, raw: &str, role: Role) -> Result<RecordKind, Response> {
    let kind = kind_of(raw).ok_or_else(|| not_found(staff.lang))?;
    staff.require(role)?;
    Ok(kind)
}

pub fn not_found(lang: StaffLang) -> Response {
    lang.refusal(StatusCode::NOT_FOUND)
}

/// Writes one audit line; a failure is logged, never shown.
pub async fn audit(
    state: &AppState,
    actor: &str,
    action: &str,
    kind: &str,
    slug: &str,
    detail: &str,
    client: &str,
) {
    if let Err(e) = state
        .store
        .audit(paradiplo_store::NewAudit {
            actor,
            action,
            kind,
            slug,
            detail,
            client,
        })
        .await
    {
        tracing::error!(error = %e, action, "audit log write failed");
    }
}

fn routes(lang: Lang, upload_limit: usize) -> Router<AppState> {
    Router::new()
        // `/admin` without the slash: the dashboard lives at `/admin/`.
        .route(
            "/",
            get(
                move || async move { Redirect::permanent(&format!("{}/", StaffLang(lang).base())) },
            ),
        )
        .route("/login", get(login::form).post(login::submit))
        .route("/logout", post(login::logout))
        .route("/records/{kind}", get(record_list::page))
        .route(
            "/records/{kind}/new",
            get(record_edit::new_form).post(record_edit::create),
        )
        .route("/records/{kind}/{slug}", get(record_show::page))
        .route(
            "/records/{kind}/{slug}/edit",
            get(record_edit::edit_form).post(record_edit::save),
        )
        .route("/records/{kind}/{slug}/preview", get(record_preview::page))
        .route("/records/{kind}/{slug}/history", get(record_history::page))
        .route("/records/{kind}/{slug}/diff", get(record_history::diff))
        .route("/records/{kind}/{slug}/submit", post(record_submit::submit))
        .route(
            "/records/{kind}/{slug}/discard",
            post(record_submit::discard),
        )
        .route(
            "/records/{kind}/{slug}/publish",
            post(record_publish::publish),
        )
        .route(
            "/records/{kind}/{slug}/schedule",
            post(record_publish::schedule),
        )
        .route(
            "/records/{kind}/{slug}/archive",
            post(record_archive::archive),
        )
        .route(
            "/records/{kind}/{slug}/restore",
            post(record_restore::restore),
        )
        .route("/reviews/{id}", post(reviews::mark_reviewed))
        .route("/users", get(users::page).post(users::create))
        .route("/users/{id}/disable", post(users::disable))
        .route("/users/{id}/enable", post(users::enable))
        .route("/feedback", get(feedback::page))
        .route("/feedback.csv", get(feedback::csv))
        .route("/feedback/retention", post(feedback::retention))
        .route("/feedback/{id}", post(feedback::triage))
        // Agreements through their lifecycle (issue 6): what staff follow.
        .route("/lifecycle", get(follow::page))
        .route("/deadlines", get(follow::deadlines))
        .route("/deadlines.ics", get(calendar::feed))
        .route("/calendar", get(calendar::page).post(calendar::create))
        .route("/calendar/revoke", post(calendar::revoke))
        // Follow-ups (issue 9): mine, the team's, state changes, calendar feed.
        .route("/dossiers/{slug}", get(dossier::page))
        .route("/follow-ups", get(follow_ups::mine))
        .route("/follow-ups/team", get(follow_ups::team))
        .route("/follow-ups/calendar", post(follow_ups::issue_feed))
        .route("/follow-ups/calendar/{secret}", get(follow_ups::feed))
        .route("/follow-ups/{slug}/state", post(follow_ups::change_state))
        .route("/audit", get(audit::page))
        .route("/audit.csv", get(audit::csv))
        .layer(DefaultBodyLimit::max(upload_limit + 64 * 1024))
        .layer(axum::middleware::from_fn(auth::same_origin_posts))
        .layer(axum::Extension(StaffLang(lang)))
}

/// The staff workspace, in both languages, and its stylesheet.
pub fn router(upload_limit: usize) -> Router<AppState> {
    let dashboard = |lang: Lang| -> axum::routing::MethodRouter<AppState> {
        get(dashboard::page).layer(axum::Extension(StaffLang(lang)))
    };
    Router::new()
        .route("/admin/", dashboard(Lang::Fr))
        .route("/en/admin/", dashboard(Lang::En))
        .nest("/admin", routes(Lang::Fr, upload_limit))
        .nest("/en/admin", routes(Lang::En, upload_limit))
        .route("/static/admin.css", get(stylesheet))
}

async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../static/admin.css"),
    )
        .into_response()
}

/// Reads the `done` query parameter into a message key for the flash banner.
#[derive(serde::Deserialize, Default)]
pub struct Flash {
    #[serde(default)]
    pub done: Option<String>,
}

impl Flash {
    /// Only known keys make it to the page.
    pub fn key(&self) -> Option<String> {
        self.done
            .as_deref()
            .filter(|d| d.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'))
            .map(|d| format!("admin_done_{d}"))
    }
}

/// The flash banner's text, if the key is a known message.
pub fn flash_text(state: &AppState, lang: Lang, flash: &Flash) -> Option<String> {
    flash
        .key()
        .and_then(|k| state.templates.messages(lang).get(&k).cloned())
}

/// Publishes the drafts whose schedule is due at `now` and logs each in the
/// audit log; `serve` calls it every half minute. Returns how many were
/// published.
pub async fn run_due_publications(store: &paradiplo_store::Store, now: OffsetDateTime) -> usize {
    let now = auth::ts(now);
    let done = match store.publish_due(&now).await {
        Ok(d) => d,
        Err(e) => {
            tracing::error!(error = %e, "scheduled publications failed");
            return 0;
        }
    };
    let mut published = 0;
    for (kind, slug, result) in done {
        let (actor, action, detail) = match &result {
            Ok(p) => {
                published += 1;
                (
                    p.published_by.clone(),
                    "publish_scheduled",
                    format!("version {}", p.version),
                )
            }
            Err(e) => ("system".to_string(), "schedule_failed", e.to_string()),
        };
        tracing::info!(%kind, %slug, action, "scheduled publication");
        let _ = store
            .audit(paradiplo_store::NewAudit {
                actor: &actor,
                action,
                kind: kind.as_str(),
                slug: &slug,
                detail: &detail,
                client: "scheduler",
            })
            .await;
    }
    published
}
