//! The feedback dashboard: per page and per section, the share of "Oui",
//! the number of answers and the trend (an SVG chart drawn here); the
//! answers with their comments, triage state, owner and due date; filters,
//! CSV export, and the retention period of comments.

use super::auth::{Staff, StaffPost, page_ctx};
use super::chart::{self, Day};
use super::{audit, render_status, see_other};
use crate::AppState;
use crate::templates::to_value;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use paradiplo_core::{Lang, Role};
use paradiplo_store::{FeedbackAnswer, FeedbackFilter, FeedbackTriage, Store, TriageStatus};
use serde::{Deserialize, Serialize};

/// The settings key of the retention period, in days.
pub const RETENTION_KEY: &str = "feedback_retention_days";
pub const RETENTION_DEFAULT: i64 = 365;
/// A page stands out when at least this many answers…
const ALERT_MIN_ANSWERS: i64 = 5;
/// …are mostly "Non" (share of "Oui" below this).
const ALERT_SHARE: f64 = 0.5;

#[derive(Deserialize, Serialize, Default, Clone)]
pub struct FeedbackQuery {
    #[serde(default)]
    path: String,
    #[serde(default)]
    section: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    answer: String,
    #[serde(default)]
    owner: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    done: Option<String>,
}

fn some(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_string())
}

fn day(s: &str) -> Option<String> {
    some(s).filter(|d| d.len() == 10 && paradiplo_core::PartialDate::parse(d).is_ok())
}

impl FeedbackQuery {
    fn filter(&self) -> FeedbackFilter {
        FeedbackFilter {
            path: some(&self.path),
            section: some(&self.section),
            lang: None,
            answer: FeedbackAnswer::parse(self.answer.trim()),
            status: TriageStatus::parse(self.status.trim()),
            owner: some(&self.owner),
            from: day(&self.from),
            to: day(&self.to),
        }
    }

    fn query_string(&self) -> String {
        use super::auth::urlencode as e;
        format!(
            "path={}&section={}&status={}&answer={}&owner={}&from={}&to={}",
            e(&self.path),
            e(&self.section),
            e(&self.status),
            e(&self.answer),
            e(&self.owner),
            e(&self.from),
            e(&self.to)
        )
    }
}

#[derive(Serialize)]
struct ScoreRow {
    key: String,
    answers: String,
    yes: i64,
    no: i64,
    share: String,
    alert: bool,
}

fn scores(rows: Vec<paradiplo_store::FeedbackCount>, lang: Lang) -> Vec<ScoreRow> {
    rows.into_iter()
        .map(|c| {
            let total = c.yes + c.no;
            let share = if total > 0 {
                c.yes as f64 / total as f64
            } else {
                0.0
            };
            ScoreRow {
                key: c.key,
                answers: crate::format_count(total, lang),
                yes: c.yes,
                no: c.no,
                share: chart::percent(share, lang),
                alert: total >= ALERT_MIN_ANSWERS && share < ALERT_SHARE,
            }
        })
        .collect()
}

pub async fn retention_days(store: &Store) -> i64 {
    store
        .setting(RETENTION_KEY)
        .await
        .ok()
        .flatten()
        .and_then(|v| v.parse().ok())
        .unwrap_or(RETENTION_DEFAULT)
}

async fn render_page(
    state: &AppState,
    staff: &Staff,
    q: &FeedbackQuery,
    error: Option<String>,
    status: StatusCode,
) -> Response {
    let lang = staff.lang.0;
    let msgs = state.templates.messages(lang);
    let filter = q.filter();
    let result = async {
        Ok::<_, paradiplo_store::StoreError>((
            state.store.feedback_counts_by_page(&filter).await?,
            state.store.feedback_counts_by_section(&filter).await?,
            state.store.feedback_counts_by_day(&filter).await?,
            state.store.list_feedback(&filter, 200, 0).await?,
            state.store.count_feedback(&filter).await?,
        ))
    }
    .await;
    let (pages, sections, days, items, total) = match result {
        Ok(v) => v,
        Err(e) => return super::server_error(&e),
    };
    let m = |k: &str| msgs.get(k).cloned().unwrap_or_default();
    let days: Vec<Day> = days
        .into_iter()
        .map(|c| Day {
            day: c.key,
            yes: c.yes,
            no: c.no,
        })
        .collect();
    let svg = chart::trend(
        &days,
        lang,
        &m("admin_fb_trend"),
        &m("admin_fb_trend_desc"),
        (&m("yes"), &m("no")),
    );
    let day_rows: Vec<(String, i64, i64)> =
        days.iter().map(|d| (d.day.clone(), d.yes, d.no)).collect();
    let statuses: Vec<(&str, String)> = TriageStatus::ALL
        .iter()
        .map(|s| (s.as_str(), m(&format!("admin_fb_status_{}", s.as_str()))))
        .collect();
    let items: Vec<_> = items
        .into_iter()
        .map(|f| {
            minijinja::context! {
                id => f.id, path => f.path, section => f.section, lang => f.lang,
                answer => f.answer.as_str(), reason => f.reason, comment => f.comment,
                at => super::record_show::when(&f.created_at, lang), status => f.status.as_str(),
                owner => f.owner, due => f.due_date,
                excluded => f.status.excluded_from_scores(),
            }
        })
        .collect();
    let flash = q
        .done
        .as_deref()
        .filter(|d| d.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'))
        .and_then(|d| msgs.get(&format!("admin_done_{d}")).cloned());
    render_status(
        state,
        &page_ctx(staff),
        "admin/feedback.html",
        minijinja::context! {
            q => to_value(q.clone()),
            csv_query => q.query_string(),
            pages => to_value(scores(pages, lang)),
            sections => to_value(scores(sections, lang)),
            chart => minijinja::Value::from_safe_string(svg),
            days => to_value(day_rows),
            items => items,
            total => crate::format_count(total, lang),
            statuses => to_value(statuses),
            retention => retention_days(&state.store).await,
            can_triage => staff.role().can_edit(),
            can_admin => staff.role().can_manage_accounts(),
            flash => flash,
            error => error,
        },
        status,
    )
}

pub async fn page(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<FeedbackQuery>,
) -> Response {
    render_page(&state, &staff, &q, None, StatusCode::OK).await
}

pub async fn csv(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<FeedbackQuery>,
) -> Response {
    let items = match state.store.list_feedback(&q.filter(), 100_000, 0).await {
        Ok(i) => i,
        Err(e) => return super::server_error(&e),
    };
    let _ = &staff;
    let cell = |s: &str| -> String { crate::format::csv_cell(s).into_owned() };
    let write = || -> Result<Vec<u8>, Box<dyn std::error::Error>> {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record([
            "id",
            "created_at",
            "path",
            "section",
            "lang",
            "answer",
            "reason",
            "comment",
            "status",
            "owner",
            "due_date",
            "in_scores",
        ])?;
        for f in &items {
            w.write_record(
                [
                    f.id.to_string(),
                    f.created_at.clone(),
                    f.path.clone(),
                    f.section.clone(),
                    f.lang.clone(),
                    f.answer.as_str().to_string(),
                    f.reason.clone().unwrap_or_default(),
                    f.comment.clone().unwrap_or_default(),
                    f.status.as_str().to_string(),
                    f.owner.clone().unwrap_or_default(),
                    f.due_date.clone().unwrap_or_default(),
                    (!f.status.excluded_from_scores()).to_string(),
                ]
                .map(|s| cell(&s)),
            )?;
        }
        Ok(w.into_inner()?)
    };
    match write() {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"feedback.csv\"",
                ),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => super::server_error(&e),
    }
}

/// Triage (editor): state, owner (the unit responsible), due date.
pub async fn triage(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    post: StaffPost,
) -> Response {
    let staff = &post.staff;
    if let Err(r) = staff.require(Role::Editor) {
        return r;
    }
    let Some(status) = TriageStatus::parse(post.get("status")) else {
        return staff.lang.refusal(StatusCode::UNPROCESSABLE_ENTITY);
    };
    let due = some(post.get("due_date"));
    if due.as_deref().is_some_and(|d| day(d).is_none()) {
        let msg = state
            .templates
            .messages(staff.lang.0)
            .get("admin_fb_bad_due")
            .cloned();
        return render_page(
            &state,
            staff,
            &FeedbackQuery::default(),
            msg,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let triage = FeedbackTriage {
        status,
        owner: some(post.get("owner")),
        due_date: due,
    };
    match state.store.triage_feedback(id, &triage).await {
        Ok(f) => {
            audit(
                &state,
                staff.email(),
                "feedback_triage",
                "feedback",
                &f.id.to_string(),
                status.as_str(),
                &staff.client,
            )
            .await;
            see_other(staff.lang, "/feedback", "triaged")
        }
        Err(paradiplo_store::StoreError::InvalidFeedback(_)) => super::not_found(staff.lang),
        Err(e) => super::server_error(&e),
    }
}

/// The retention period of comments (admin), in days.
pub async fn retention(State(state): State<AppState>, post: StaffPost) -> Response {
    let staff = &post.staff;
    if let Err(r) = staff.require(Role::Admin) {
        return r;
    }
    let days: Option<i64> = post
        .get("days")
        .parse()
        .ok()
        .filter(|d| (1..=3650).contains(d));
    let Some(days) = days else {
        let msg = state
            .templates
            .messages(staff.lang.0)
            .get("admin_fb_bad_retention")
            .cloned();
        return render_page(
            &state,
            staff,
            &FeedbackQuery::default(),
            msg,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    if let Err(e) = state
        .store
        .set_setting(RETENTION_KEY, &days.to_string())
        .await
    {
        return super::server_error(&e);
    }
    audit(
        &state,
        staff.email(),
        "feedback_retention",
        "",
        "",
        &format!("{days} days"),
        &staff.client,
    )
    .await;
    let now = (state.admin.clock)();
    enforce_retention(&state.store, now).await;
    see_other(staff.lang, "/feedback", "retention")
}

/// Blanks comments older than the retention period; `serve` calls it
/// regularly and the settings form after a change. Returns how many.
pub async fn enforce_retention(store: &Store, now: time::OffsetDateTime) -> u64 {
    let days = retention_days(store).await;
    let cutoff = super::auth::ts(now - time::Duration::days(days));
    match store.purge_feedback_comments(&cutoff).await {
        Ok(n) => {
            if n > 0 {
                tracing::info!(
                    comments = n,
                    days,
                    "feedback comments past retention blanked"
                );
            }
            n
        }
        Err(e) => {
            tracing::error!(error = %e, "feedback retention failed");
            0
        }
    }
}
