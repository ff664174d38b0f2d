//! The deadlines as an iCalendar feed (RFC 5545) for staff. A signed-in
//! browser gets it with its session; calendar apps, which cannot sign in,
//! subscribe with a per-account secret address that the person creates and
//! revokes here. Only the SHA-256 of the secret is stored.

use super::auth::{Staff, StaffPost, page_ctx};
use super::follow::{Window, deadline_rows, window};
use super::{StaffLang, audit, render, see_other};
use crate::AppState;
use axum::Extension;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use icalendar::{Calendar, Component, EventLike};
use paradiplo_core::views::{self, DeadlineSubject};
use paradiplo_core::{Lang, Registry};
use paradiplo_store::{CalendarFeed, Visibility};

/// A stable identifier for one deadline: the same deadline keeps its UID
/// from one fetch to the next, so calendar apps update rather than duplicate.
pub fn uid(d: &views::Deadline<'_>) -> String {
    let what = match &d.subject {
        DeadlineSubject::PlannedStep { step } => format!("planned-{step}"),
        DeadlineSubject::StepAllowedFrom { step } => format!("from-{step}"),
        DeadlineSubject::StepDueBy { step } => format!("due-{step}"),
        DeadlineSubject::Commitment { index, .. } => format!("commitment-{index}"),
    };
    format!("{}.{what}.{}@paradiplo-deadlines", d.agreement.slug, d.date)
}

fn chrono_day(d: time::Date) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::from_ymd_opt(d.year(), u32::from(u8::from(d.month())), u32::from(d.day()))
}

/// The calendar of deadlines from `from` to `to`, in one language.
pub fn render_feed(
    state: &AppState,
    reg: &Registry,
    lang: Lang,
    from: time::Date,
    to: time::Date,
) -> String {
    let msgs = state.templates.messages(lang);
    let list = views::upcoming_deadlines(reg, from, to);
    let rows = deadline_rows(reg, &list, lang, msgs);
    let mut cal = Calendar::new();
    cal.name(
        msgs.get("admin_dl_title")
            .map(String::as_str)
            .unwrap_or("paradiplo"),
    );
    let base = StaffLang(lang).base();
    for (d, row) in list.iter().zip(rows) {
        let Some(start) = chrono_day(d.date) else {
            continue;
        };
        let mut event = icalendar::Event::new();
        event
            .uid(&uid(d))
            .summary(&format!("{} — {}", row.what, row.title))
            .starts(start)
            .ends(start.succ_opt().unwrap_or(start))
            .url(&state.absolute(&format!("{base}/records/agreement/{}", row.slug)));
        if !row.detail.is_empty() {
            event.description(&row.detail);
        }
        cal.push(event.done());
    }
    cal.done().to_string()
}

#[derive(serde::Deserialize, Default)]
pub struct FeedQuery {
    #[serde(default)]
    token: Option<String>,
    #[serde(flatten)]
    window: Window,
}

/// `GET …/deadlines.ics`: with a staff session, or `?token=` a live
/// calendar secret of an enabled account. Anything else: 401, nothing else.
pub async fn feed(
    State(state): State<AppState>,
    Extension(lang): Extension<StaffLang>,
    staff: Result<Staff, Response>,
    Query(q): Query<FeedQuery>,
) -> Response {
    let allowed = match (&q.token, &staff) {
        (_, Ok(_)) => true,
        (Some(token), Err(_)) if !token.is_empty() => {
            match state
                .store
                .calendar_secret_owner(token, CalendarFeed::Deadlines)
                .await
            {
                Ok(user) => user.is_some(),
                Err(e) => return super::server_error(&e),
            }
        }
        _ => false,
    };
    if !allowed {
        return lang.refusal(StatusCode::UNAUTHORIZED);
    }
    let today = (state.admin.clock)().date();
    let Ok((from, to)) = window(today, &q.window) else {
        return lang.refusal(StatusCode::BAD_REQUEST);
    };
    let reg = match state.store.registry(Visibility::Staff).await {
        Ok(r) => r,
        Err(e) => return super::server_error(&e),
    };
    (
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (header::CACHE_CONTROL, "private, no-store"),
        ],
        render_feed(&state, &reg, lang.0, from, to),
    )
        .into_response()
}

async fn render_page(
    state: &AppState,
    staff: &Staff,
    secret: Option<String>,
    flash: Option<String>,
) -> Response {
    let created = match state
        .store
        .calendar_secret_issued(staff.session.user.id, CalendarFeed::Deadlines)
        .await
    {
        Ok(c) => c,
        Err(e) => return super::server_error(&e),
    };
    let address =
        secret.map(|s| state.absolute(&format!("{}/deadlines.ics?token={s}", staff.lang.base())));
    render(
        state,
        &page_ctx(staff),
        "admin/calendar.html",
        minijinja::context! {
            created => created.map(|c| super::record_show::when(&c, staff.lang.0)),
            address => address,
            flash => flash,
        },
    )
}

/// The person's own subscription address: whether one exists, and the
/// buttons to create (or replace) and revoke it.
pub async fn page(
    State(state): State<AppState>,
    staff: Staff,
    Query(flash): Query<super::Flash>,
) -> Response {
    let flash = super::flash_text(&state, staff.lang.0, &flash);
    render_page(&state, &staff, None, flash).await
}

/// Creates (or replaces) the person's secret address and shows it, once.
pub async fn create(State(state): State<AppState>, post: StaffPost) -> Response {
    let staff = &post.staff;
    let secret = match state
        .store
        .issue_calendar_secret(staff.session.user.id, CalendarFeed::Deadlines)
        .await
    {
        Ok(secret) => secret,
        Err(e) => return super::server_error(&e),
    };
    audit(
        &state,
        staff.email(),
        "calendar_token_create",
        "",
        "",
        "",
        &staff.client,
    )
    .await;
    render_page(&state, staff, Some(secret), None).await
}

/// Revokes the person's secret address: subscriptions stop at once.
pub async fn revoke(State(state): State<AppState>, post: StaffPost) -> Response {
    let staff = &post.staff;
    match state
        .store
        .revoke_calendar_secret(staff.session.user.id, CalendarFeed::Deadlines)
        .await
    {
        Ok(true) => {
            audit(
                &state,
                staff.email(),
                "calendar_token_revoke",
                "",
                "",
                "",
                &staff.client,
            )
            .await;
            see_other(staff.lang, "/calendar", "calendar_revoked")
        }
        Ok(false) => see_other(staff.lang, "/calendar", ""),
        Err(e) => super::server_error(&e),
    }
}
