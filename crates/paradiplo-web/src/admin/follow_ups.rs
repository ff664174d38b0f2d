//! Follow-ups: the signed-in staff member's ("my follow-ups") and the team's,
//! overdue ones flagged at the workspace clock's date, state changes from the
//! list (each a new revision through `Store::update`), and a personal
//! iCalendar feed at a secret URL for calendar software that cannot sign in.

use super::auth::{Staff, StaffPost, page_ctx};
use super::{Flash, StaffLang, audit, not_found, render, see_other};
use crate::AppState;
use crate::templates::to_value;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use icalendar::{Calendar, Component, EventLike};
use paradiplo_core::records::FollowUpState;
use paradiplo_core::{AnyRecord, Lang, RecordKind, Role};
use paradiplo_store::{CalendarFeed, StoreError, StoredRecord, Visibility, normalize_email};
use serde::Serialize;

#[derive(Serialize)]
struct Row {
    slug: String,
    title: String,
    owner: String,
    due: String,
    state: &'static str,
    state_label: &'static str,
    overdue: bool,
    version: i64,
    origin_kind: &'static str,
    origin_slug: String,
    /// States this person may move it to from the list.
    next: Vec<(&'static str, &'static str)>,
}

/// Who may change a follow-up's state: its owner, or anyone who may edit.
fn may_change(staff: &Staff, owner: &str) -> bool {
    staff.role() >= Role::Editor || normalize_email(owner) == normalize_email(staff.email())
}

/// The workspace clock's date: overdue detection is testable at a fixed day.
fn today(state: &AppState) -> time::Date {
    (state.admin.clock)().date()
}

async fn follow_ups(state: &AppState) -> Result<Vec<StoredRecord>, StoreError> {
    state
        .store
        .list(RecordKind::FollowUp, Visibility::Staff)
        .await
}

fn rows(records: &[StoredRecord], staff: &Staff, mine_only: bool, today: time::Date) -> Vec<Row> {
    let lang = staff.lang.0;
    let me = normalize_email(staff.email());
    let mut rows: Vec<(time::Date, Row)> = records
        .iter()
        .filter_map(|s| match &s.record {
            AnyRecord::FollowUp(f) => Some((s, f)),
            _ => None,
        })
        .filter(|(_, f)| !mine_only || normalize_email(&f.owner) == me)
        .map(|(s, f)| {
            let (origin_kind, origin_slug) = match (&f.activity, &f.agreement) {
                (Some(a), _) => ("activity", a.to_string()),
                (None, Some(a)) => ("agreement", a.to_string()),
                (None, None) => ("", String::new()),
            };
            let next = if may_change(staff, &f.owner) {
                FollowUpState::ALL
                    .iter()
                    .filter(|st| **st != f.state)
                    .map(|st| (st.as_str(), st.label(lang)))
                    .collect()
            } else {
                Vec::new()
            };
            (
                f.due.latest(),
                Row {
                    slug: f.slug.to_string(),
                    title: f.title.get(lang).to_string(),
                    owner: f.owner.clone(),
                    due: f.due.display(lang),
                    state: f.state.as_str(),
                    state_label: f.state.label(lang),
                    overdue: f.is_overdue(today),
                    version: s.version,
                    origin_kind,
                    origin_slug,
                    next,
                },
            )
        })
        .collect();
    // Overdue first, then by due date.
    rows.sort_by(|a, b| {
        b.1.overdue
            .cmp(&a.1.overdue)
            .then(a.0.cmp(&b.0))
            .then(a.1.slug.cmp(&b.1.slug))
    });
    rows.into_iter().map(|(_, r)| r).collect()
}

async fn render_list(
    state: &AppState,
    staff: &Staff,
    team: bool,
    flash: &Flash,
    feed_url: Option<String>,
) -> Response {
    let records = match follow_ups(state).await {
        Ok(r) => r,
        Err(e) => return super::server_error(&e),
    };
    let issued = match state
        .store
        .calendar_secret_issued(staff.session.user.id, CalendarFeed::FollowUps)
        .await
    {
        Ok(i) => i.map(|t| super::record_show::when(&t, staff.lang.0)),
        Err(e) => return super::server_error(&e),
    };
    let rows = rows(&records, staff, !team, today(state));
    let overdue = rows.iter().filter(|r| r.overdue).count();
    render(
        state,
        &page_ctx(staff),
        "admin/follow_ups.html",
        minijinja::context! {
            team => team,
            rows => to_value(rows),
            overdue_count => overdue,
            feed_url => feed_url,
            feed_issued => issued,
            flash => super::flash_text(state, staff.lang.0, flash),
        },
    )
}

/// `GET /admin/follow-ups`: the signed-in staff member's follow-ups.
pub async fn mine(
    State(state): State<AppState>,
    staff: Staff,
    Query(flash): Query<Flash>,
) -> Response {
    render_list(&state, &staff, false, &flash, None).await
}

/// `GET /admin/follow-ups/team`: everyone's.
pub async fn team(
    State(state): State<AppState>,
    staff: Staff,
    Query(flash): Query<Flash>,
) -> Response {
    render_list(&state, &staff, true, &flash, None).await
}

/// `POST /admin/follow-ups/{slug}/state`: moves a follow-up to another state,
/// writing a new revision; a stale version is refused (409) and nothing changes.
pub async fn change_state(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    post: StaffPost,
) -> Response {
    let staff = &post.staff;
    let Some(target) = FollowUpState::parse(post.get("state")) else {
        return staff.lang.refusal(StatusCode::BAD_REQUEST);
    };
    let stored = match state
        .store
        .get(RecordKind::FollowUp, &slug, Visibility::Staff)
        .await
    {
        Ok(Some(s)) => s,
        Ok(None) => return not_found(staff.lang),
        Err(e) => return super::server_error(&e),
    };
    let AnyRecord::FollowUp(mut f) = stored.record.clone() else {
        return not_found(staff.lang);
    };
    if !may_change(staff, &f.owner) {
        return staff.lang.refusal(StatusCode::FORBIDDEN);
    }
    let Ok(expected) = post.get("_record_version").parse::<i64>() else {
        return staff.lang.refusal(StatusCode::BAD_REQUEST);
    };
    let from = f.state;
    f.state = target;
    let note = format!("state: {} → {}", from.as_str(), target.as_str());
    match state
        .store
        .update(
            AnyRecord::FollowUp(f),
            stored.state,
            expected,
            staff.email(),
            &note,
        )
        .await
    {
        Ok(s) => {
            audit(
                &state,
                staff.email(),
                "follow_up_state",
                RecordKind::FollowUp.as_str(),
                &slug,
                &format!("version {}: {note}", s.version),
                &staff.client,
            )
            .await;
            let back = if post.get("back") == "team" {
                "/follow-ups/team"
            } else {
                "/follow-ups"
            };
            see_other(staff.lang, back, "follow_up_state")
        }
        Err(StoreError::Conflict { .. }) => staff.lang.refusal(StatusCode::CONFLICT),
        Err(e) => super::server_error(&e),
    }
}

/// `POST /admin/follow-ups/calendar`: issues a new feed secret (the old URL
/// stops working) and shows the URL once.
pub async fn issue_feed(State(state): State<AppState>, post: StaffPost) -> Response {
    let staff = &post.staff;
    let secret = match state
        .store
        .issue_calendar_secret(staff.session.user.id, CalendarFeed::FollowUps)
        .await
    {
        Ok(s) => s,
        Err(e) => return super::server_error(&e),
    };
    audit(
        &state,
        staff.email(),
        "calendar_token",
        "",
        "",
        "issued",
        &staff.client,
    )
    .await;
    let url = format!(
        "{}{}/follow-ups/calendar/{secret}",
        base_url(&state),
        staff.lang.base()
    );
    render_list(&state, staff, false, &Flash::default(), Some(url)).await
}

/// `GET /admin/follow-ups/calendar/{secret}`: the owner's open follow-ups as
/// all-day iCalendar events on their due date. No session: the secret is the
/// credential; an unknown one gets a 404 that says nothing more.
pub async fn feed(
    State(state): State<AppState>,
    Path(secret): Path<String>,
    axum::Extension(lang): axum::Extension<StaffLang>,
) -> Response {
    let owner = match state
        .store
        .calendar_secret_owner(&secret, CalendarFeed::FollowUps)
        .await
    {
        Ok(Some(user)) => user.email,
        Ok(None) => return StatusCode::NOT_FOUND.into_response(),
        Err(e) => return super::server_error(&e),
    };
    let records = match follow_ups(&state).await {
        Ok(r) => r,
        Err(e) => return super::server_error(&e),
    };
    let msgs = state.templates.messages(lang.0);
    let name = msgs.get("admin_fu_feed_name").cloned().unwrap_or_default();
    let overdue_mark = msgs.get("admin_fu_overdue").cloned().unwrap_or_default();
    let body = calendar(
        &records,
        &owner,
        lang.0,
        &name,
        &overdue_mark,
        base_url(&state),
        today(&state),
    );
    (
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (header::CACHE_CONTROL, "private, no-store"),
        ],
        body,
    )
        .into_response()
}

/// The portal's public address, when configured; paths otherwise.
fn base_url(state: &AppState) -> &str {
    state
        .config
        .base_url
        .as_deref()
        .unwrap_or("")
        .trim_end_matches('/')
}

fn naive(d: time::Date) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::from_ymd_opt(d.year(), u32::from(u8::from(d.month())), u32::from(d.day()))
}

/// The calendar of `owner`'s follow-ups that are still open or in progress.
fn calendar(
    records: &[StoredRecord],
    owner: &str,
    lang: Lang,
    name: &str,
    overdue_mark: &str,
    base_url: &str,
    today: time::Date,
) -> String {
    let owner = normalize_email(owner);
    let mut cal = Calendar::new();
    cal.name(name);
    for s in records {
        let AnyRecord::FollowUp(f) = &s.record else {
            continue;
        };
        if normalize_email(&f.owner) != owner
            || !matches!(f.state, FollowUpState::Open | FollowUpState::InProgress)
        {
            continue;
        }
        // A due date known to the month or year falls due on its last day.
        let Some(due) = naive(f.due.latest()) else {
            continue;
        };
        let title = f.title.get(lang);
        let summary = if f.is_overdue(today) {
            format!("{title} ({overdue_mark})")
        } else {
            title.to_string()
        };
        let mut event = icalendar::Event::new();
        event
            .uid(&format!("follow-up-{}@paradiplo", f.slug))
            .summary(&summary)
            .starts(due)
            .ends(due.succ_opt().unwrap_or(due))
            .url(&format!(
                "{base_url}{}/records/follow_up/{}",
                StaffLang(lang).base(),
                f.slug
            ));
        if let Some(note) = &f.note {
            event.description(note.get(lang));
        }
        if let Some(t) = crate::open_data::calendar::timestamp(&s.updated_at) {
            event.timestamp(t);
        }
        cal.push(event.done());
    }
    cal.done().to_string()
}
