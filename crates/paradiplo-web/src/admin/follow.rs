//! What staff follow along the procedures (issue 6): treaties awaiting the
//! home state's approval, waiting periods after tabling, positions to
//! transmit, status disagreements, and upcoming deadlines. Read-only, every
//! role; computed by `paradiplo_core::views` from the registry as staff see
//! it (drafts included).

use super::auth::{Staff, page_ctx};
use super::{render, render_status};
use crate::AppState;
use crate::templates::to_value;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use paradiplo_core::lifecycle::{DeadlineKind, Lifecycle};
use paradiplo_core::records::{Agreement, Procedure};
use paradiplo_core::views::{self, Deadline, DeadlineSubject};
use paradiplo_core::{Lang, PartialDate, Registry, Slug};
use paradiplo_store::Visibility;
use serde::Serialize;
use std::collections::BTreeMap;

type Msgs = BTreeMap<String, String>;

fn m(msgs: &Msgs, key: &str) -> String {
    msgs.get(key).cloned().unwrap_or_else(|| key.to_string())
}

pub fn colon(lang: Lang) -> &'static str {
    lang.colon()
}

/// "23 juin 2017" / "June 23, 2017".
pub fn day(d: time::Date, lang: Lang) -> String {
    PartialDate::Day(d).display(lang)
}

pub fn procedure_of<'a>(reg: &'a Registry, a: &Agreement) -> Option<&'a Procedure> {
    let slug = a.procedure.as_ref()?;
    reg.typed::<Procedure>().find(|p| &p.slug == slug)
}

/// A step's name in its procedure, or its key when the procedure lacks it.
pub fn step_name(procedure: Option<&Procedure>, key: &Slug, lang: Lang) -> String {
    procedure
        .and_then(|p| p.steps.iter().find(|s| &s.key == key))
        .map(|s| s.name.get(lang).to_string())
        .unwrap_or_else(|| key.to_string())
}

/// What falls due, in words, and a detail line (a note, who is responsible).
pub fn describe(reg: &Registry, d: &Deadline<'_>, lang: Lang, msgs: &Msgs) -> (String, String) {
    let p = procedure_of(reg, d.agreement);
    let c = colon(lang);
    match &d.subject {
        DeadlineSubject::PlannedStep { step } => {
            let note = d
                .agreement
                .planned
                .iter()
                .find(|x| &x.step == step && x.due.earliest() == d.date)
                .and_then(|x| x.note.as_ref())
                .map(|t| t.get(lang).to_string())
                .unwrap_or_default();
            (
                format!(
                    "{}{c}{}",
                    m(msgs, "admin_dl_planned"),
                    step_name(p, step, lang)
                ),
                note,
            )
        }
        DeadlineSubject::StepAllowedFrom { step } => (
            format!(
                "{}{c}{}",
                m(msgs, "admin_dl_allowed_from"),
                step_name(p, step, lang)
            ),
            String::new(),
        ),
        DeadlineSubject::StepDueBy { step } => (
            format!(
                "{}{c}{}",
                m(msgs, "admin_dl_due_by"),
                step_name(p, step, lang)
            ),
            String::new(),
        ),
        DeadlineSubject::Commitment { kind, index } => {
            let commitment = d.agreement.commitments.get(*index);
            (
                format!(
                    "{}{c}{}",
                    kind.label(lang),
                    commitment
                        .map(|x| x.description.get(lang).to_string())
                        .unwrap_or_default()
                ),
                commitment
                    .map(|x| {
                        format!(
                            "{}{c}{}",
                            m(msgs, "admin_dl_responsible"),
                            x.responsible.get(lang)
                        )
                    })
                    .unwrap_or_default(),
            )
        }
    }
}

#[derive(Serialize)]
struct AgreementRow {
    slug: String,
    title: String,
    reference: String,
    detail: String,
}

#[derive(Serialize)]
struct WaitingRow {
    slug: String,
    title: String,
    after: String,
    step: String,
    ends_on: String,
    iso: String,
}

#[derive(Serialize)]
struct PositionRow {
    slug: String,
    title: String,
    recipient: String,
    agreement: Option<(String, String)>,
}

#[derive(Serialize)]
struct DisagreementRow {
    slug: String,
    title: String,
    international: String,
    home: String,
}

fn today(state: &AppState) -> time::Date {
    (state.admin.clock)().date()
}

/// The four lists of the procedures' follow-up.
pub async fn page(State(state): State<AppState>, staff: Staff) -> Response {
    let lang = staff.lang.0;
    let reg = match state.store.registry(Visibility::Staff).await {
        Ok(r) => r,
        Err(e) => return super::server_error(&e),
    };
    let msgs = state.templates.messages(lang);
    let title = |a: &Agreement| a.title.get(lang).to_string();
    let rows = |list: Vec<&Agreement>| -> Vec<AgreementRow> {
        list.into_iter()
            .map(|a| AgreementRow {
                slug: a.slug.to_string(),
                title: title(a),
                reference: a.reference.clone().unwrap_or_default(),
                detail: views::current_step(&reg, a)
                    .map(|s| step_name(procedure_of(&reg, a), &s, lang))
                    .unwrap_or_else(|| m(msgs, "admin_proc_not_started")),
            })
            .collect()
    };
    let awaiting = rows(views::awaiting_approval(&reg));
    // Approved by the legislature, not yet bound: the order in council is due.
    let binding = rows(views::awaiting_binding_act(&reg));
    let waiting: Vec<WaitingRow> = views::waiting_periods(&reg, today(&state))
        .into_iter()
        .map(|w| {
            let p = procedure_of(&reg, w.agreement);
            WaitingRow {
                slug: w.agreement.slug.to_string(),
                title: title(w.agreement),
                after: step_name(p, &w.after, lang),
                step: step_name(p, &w.step, lang),
                ends_on: day(w.ends_on, lang),
                iso: w.ends_on.to_string(),
            }
        })
        .collect();
    let positions: Vec<PositionRow> = views::positions_to_transmit(&reg)
        .into_iter()
        .map(|p| PositionRow {
            slug: p.slug.to_string(),
            title: p.title.get(lang).to_string(),
            recipient: p.recipient.get(lang).to_string(),
            agreement: p.agreement.as_ref().map(|s| {
                let t = reg
                    .typed::<Agreement>()
                    .find(|a| &a.slug == s)
                    .map(title)
                    .unwrap_or_else(|| s.to_string());
                (s.to_string(), t)
            }),
        })
        .collect();
    let disagreements: Vec<DisagreementRow> = views::status_disagreements(&reg)
        .into_iter()
        .map(|a| DisagreementRow {
            slug: a.slug.to_string(),
            title: title(a),
            international: a
                .international_status
                .map(|s| s.label(lang).to_string())
                .unwrap_or_default(),
            home: a.status.label(lang).to_string(),
        })
        .collect();
    render(
        &state,
        &page_ctx(&staff),
        "admin/lifecycle.html",
        minijinja::context! {
            awaiting => to_value(awaiting),
            binding => to_value(binding),
            waiting => to_value(waiting),
            positions => to_value(positions),
            disagreements => to_value(disagreements),
            // The home state's names, for the headings (no name in the code).
            home_name => reg.home().map(|h| h.name.get(lang).to_string()).unwrap_or_default(),
            government => reg.home().map(|h| h.government.get(lang).to_string()).unwrap_or_default(),
        },
    )
}

/// `?from=YYYY-MM-DD&to=YYYY-MM-DD`; both optional.
#[derive(serde::Deserialize, Default)]
pub struct Window {
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub to: Option<String>,
}

/// The window asked for (default: today to twelve months later), or the
/// field and value that are not a date.
pub fn window(today: time::Date, q: &Window) -> Result<(time::Date, time::Date), (String, String)> {
    let parse =
        |field: &str, raw: &Option<String>| -> Result<Option<time::Date>, (String, String)> {
            match raw.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                None => Ok(None),
                Some(s) => match PartialDate::parse(s) {
                    Ok(PartialDate::Day(d)) => Ok(Some(d)),
                    _ => Err((field.to_string(), s.to_string())),
                },
            }
        };
    let from = parse("from", &q.from)?.unwrap_or(today);
    let to = parse("to", &q.to)?.unwrap_or_else(|| views::add_months(from, 12));
    if to < from {
        return Err(("to".to_string(), to.to_string()));
    }
    Ok((from, to))
}

#[derive(Serialize)]
pub struct DeadlineRow {
    pub date: String,
    pub iso: String,
    pub what: String,
    pub detail: String,
    pub slug: String,
    pub title: String,
}

pub fn deadline_rows(
    reg: &Registry,
    list: &[Deadline<'_>],
    lang: Lang,
    msgs: &Msgs,
) -> Vec<DeadlineRow> {
    list.iter()
        .map(|d| {
            let (what, detail) = describe(reg, d, lang, msgs);
            DeadlineRow {
                date: day(d.date, lang),
                iso: d.date.to_string(),
                what,
                detail,
                slug: d.agreement.slug.to_string(),
                title: d.agreement.title.get(lang).to_string(),
            }
        })
        .collect()
}

/// Upcoming deadlines: planned steps, the procedures' delays, commitments.
pub async fn deadlines(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<Window>,
) -> Response {
    let lang = staff.lang.0;
    let msgs = state.templates.messages(lang);
    let (from, to, error) = match window(today(&state), &q) {
        Ok((f, t)) => (f, t, None),
        Err((field, value)) => {
            let label = m(msgs, &format!("admin_dl_{field}"));
            let value = lang.quote(&value);
            let message = format!(
                "{label}{}{} ({} {value})",
                colon(lang),
                m(msgs, "admin_dl_bad_date"),
                m(msgs, "admin_value")
            );
            let t = today(&state);
            (t, views::add_months(t, 12), Some(message))
        }
    };
    let reg = match state.store.registry(Visibility::Staff).await {
        Ok(r) => r,
        Err(e) => return super::server_error(&e),
    };
    let rows = if error.is_some() {
        Vec::new()
    } else {
        deadline_rows(&reg, &views::upcoming_deadlines(&reg, from, to), lang, msgs)
    };
    let status = if error.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    render_status(
        &state,
        &page_ctx(&staff),
        "admin/deadlines.html",
        minijinja::context! {
            rows => to_value(rows),
            from => from.to_string(),
            to => to.to_string(),
            from_label => day(from, lang),
            to_label => day(to, lang),
            error => error,
        },
        status,
    )
}

/// The procedure as it stands for one agreement, for its admin page.
#[derive(Serialize)]
pub struct ProcedureView {
    pub name: String,
    pub current: String,
    pub allowed: Vec<String>,
    pub dates: Vec<String>,
    pub error: Option<String>,
}

pub fn procedure_view(
    reg: &Registry,
    a: &Agreement,
    lang: Lang,
    msgs: &Msgs,
) -> Option<ProcedureView> {
    let p = procedure_of(reg, a)?;
    let lifecycle = Lifecycle::new(p);
    let c = colon(lang);
    let named = |key: &Slug| format!("{} ({key})", step_name(Some(p), key, lang));
    match lifecycle.replay(&a.steps) {
        Ok(state) => {
            let current = state
                .current
                .as_ref()
                .map(&named)
                .unwrap_or_else(|| m(msgs, "admin_proc_not_started"));
            let allowed = lifecycle
                .allowed_next(state.current.as_ref().map(Slug::as_str))
                .into_iter()
                .map(|s| named(&s.key))
                .collect();
            let dates = lifecycle
                .deadlines(&a.steps)
                .into_iter()
                .map(|d| {
                    let bound = match d.kind {
                        DeadlineKind::Earliest => m(msgs, "admin_proc_not_before"),
                        DeadlineKind::Latest => m(msgs, "admin_proc_no_later_than"),
                    };
                    format!(
                        "{}{c}{bound} {} ({}\u{a0}{} {})",
                        step_name(Some(p), &d.step, lang),
                        day(d.date, lang),
                        d.days,
                        m(msgs, "admin_proc_days_after"),
                        step_name(Some(p), &d.after, lang),
                    )
                })
                .collect();
            Some(ProcedureView {
                name: p.name.get(lang).to_string(),
                current,
                allowed,
                dates,
                error: None,
            })
        }
        Err((i, e)) => Some(ProcedureView {
            name: p.name.get(lang).to_string(),
            current: String::new(),
            allowed: vec![],
            dates: vec![],
            error: Some(format!(
                "{} {}{c}{}",
                m(msgs, "admin_proc_step"),
                i + 1,
                e.problem(p.slug.as_str()).message(lang)
            )),
        }),
    }
}
