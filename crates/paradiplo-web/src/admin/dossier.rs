//! A partner's dossier: one staff page gathering its agreements and their
//! status, activities past and planned, open follow-ups, groupings, people
//! holding posts there, and the feedback left on its public page. Printable
//! as a briefing note (the print rules of `static/admin.css`).

use super::auth::{Staff, page_ctx};
use super::{not_found, render};
use crate::AppState;
use crate::paths::Section;
use crate::templates::to_value;
use axum::extract::{Path, State};
use axum::response::Response;
use paradiplo_core::records::{
    Activity, ActivityStatus, Agreement, FollowUp, FollowUpState, Grouping, Partner, PartyRef,
    Person,
};
use paradiplo_core::{Lang, PartialDate, Registry};
use paradiplo_store::{FeedbackFilter, StoreError, Visibility};
use serde::Serialize;

#[derive(Serialize)]
struct Line {
    title: String,
    url: String,
    note: String,
    overdue: bool,
}

fn line(title: &str, kind: &str, slug: &str, note: String, base: &str) -> Line {
    Line {
        title: title.to_string(),
        url: format!("{base}/records/{kind}/{slug}"),
        note,
        overdue: false,
    }
}

fn span(since: Option<String>, until: Option<String>, lang: Lang) -> String {
    match (since, until, lang) {
        (Some(s), Some(u), _) => format!("{s} – {u}"),
        (Some(s), None, Lang::Fr) => format!("depuis {s}"),
        (Some(s), None, Lang::En) => format!("since {s}"),
        (None, Some(u), Lang::Fr) => format!("jusqu’au {u}"),
        (None, Some(u), Lang::En) => format!("until {u}"),
        (None, None, _) => String::new(),
    }
}

/// `GET /admin/dossiers/{slug}`.
pub async fn page(
    State(state): State<AppState>,
    staff: Staff,
    Path(slug): Path<String>,
) -> Response {
    let lang = staff.lang.0;
    let base = staff.lang.base();
    let reg: Registry = match state.store.registry(Visibility::Staff).await {
        Ok(r) => r,
        Err(e) => return super::server_error(&e),
    };
    let Some(partner) = reg.typed::<Partner>().find(|p| p.slug.as_str() == slug) else {
        return not_found(staff.lang);
    };
    let today = (state.admin.clock)().date();
    let agreements: Vec<_> = reg
        .typed::<Agreement>()
        .filter(|a| {
            a.parties
                .iter()
                .any(|p| matches!(&p.party, PartyRef::Partner(s) if s.as_str() == slug))
        })
        .collect();
    let activities: Vec<_> = reg
        .typed::<Activity>()
        .filter(|a| a.partners.iter().any(|s| s.as_str() == slug))
        .collect();
    let activity_line = |a: &&Activity| activity_line(&reg, a, lang, base);
    let (planned, past): (Vec<_>, Vec<_>) = activities
        .iter()
        .partition(|a| a.status == ActivityStatus::Planned || a.start.earliest() > today);
    let open = Concerned {
        agreements: &agreements,
        activities: &activities,
    };
    let follow_ups = follow_up_lines(&reg, &open, today, lang, base);
    let groupings = grouping_lines(&reg, &slug, lang, base);
    let people = people_lines(&reg, &slug, &activities, lang, base);
    let feedback = match feedback_lines(&state, &slug, lang).await {
        Ok(lines) => lines,
        Err(e) => return super::server_error(&e),
    };
    render(
        &state,
        &page_ctx(&staff),
        "admin/dossier.html",
        minijinja::context! {
            name => partner.name.get(lang),
            slug => slug,
            summary => partner.summary.get(lang),
            today => paradiplo_core::PartialDate::Day(today).display(lang),
            agreements => to_value(agreements.iter().map(|a| line(a.title.get(lang), "agreement", a.slug.as_str(), a.status.label(lang).to_string(), base)).collect::<Vec<_>>()),
            planned => to_value(planned.iter().map(activity_line).collect::<Vec<_>>()),
            past => to_value(past.iter().map(activity_line).collect::<Vec<_>>()),
            follow_ups => to_value(follow_ups),
            groupings => to_value(groupings),
            people => to_value(people),
            feedback => to_value(feedback),
        },
    )
}

fn display(d: &Option<PartialDate>, lang: Lang) -> Option<String> {
    d.as_ref().map(|d| d.display(lang))
}

fn person_name(reg: &Registry, slug: &str, lang: Lang) -> String {
    reg.typed::<Person>()
        .find(|x| x.slug.as_str() == slug)
        .map(|x| x.name.get(lang).to_string())
        .unwrap_or_else(|| slug.to_string())
}

/// An activity: kind, date, status and who took part.
fn activity_line(reg: &Registry, a: &Activity, lang: Lang, base: &str) -> Line {
    let who: Vec<String> = a
        .participants
        .iter()
        .map(|p| {
            format!(
                "{} ({})",
                person_name(reg, p.person.as_str(), lang),
                p.role.get(lang)
            )
        })
        .collect();
    let mut note = format!(
        "{} — {} — {}",
        a.kind.label(lang),
        a.start.display(lang),
        a.status.label(lang)
    );
    if !who.is_empty() {
        note.push_str(" — ");
        note.push_str(&who.join(", "));
    }
    line(a.title.get(lang), "activity", a.slug.as_str(), note, base)
}

/// The partner's agreements and activities, which its follow-ups concern.
struct Concerned<'r> {
    agreements: &'r [&'r Agreement],
    activities: &'r [&'r Activity],
}

/// The open follow-ups of the partner's activities and agreements.
fn follow_up_lines(
    reg: &Registry,
    of: &Concerned,
    today: time::Date,
    lang: Lang,
    base: &str,
) -> Vec<Line> {
    reg.typed::<FollowUp>()
        .filter(|f| matches!(f.state, FollowUpState::Open | FollowUpState::InProgress))
        .filter(|f| {
            f.activity
                .as_ref()
                .is_some_and(|s| of.activities.iter().any(|a| &a.slug == s))
                || f.agreement
                    .as_ref()
                    .is_some_and(|s| of.agreements.iter().any(|a| &a.slug == s))
        })
        .map(|f| Line {
            overdue: f.is_overdue(today),
            ..line(
                f.title.get(lang),
                "follow_up",
                f.slug.as_str(),
                format!(
                    "{} — {} — {}",
                    f.owner,
                    f.due.display(lang),
                    f.state.label(lang)
                ),
                base,
            )
        })
        .collect()
}

/// The groupings the partner is a member of, with since when.
fn grouping_lines(reg: &Registry, slug: &str, lang: Lang, base: &str) -> Vec<Line> {
    reg.typed::<Grouping>()
        .filter_map(|g| {
            g.members
                .iter()
                .find(|m| m.member.as_str() == slug)
                .map(|m| {
                    line(
                        g.name.get(lang),
                        "grouping",
                        g.slug.as_str(),
                        span(display(&m.since, lang), display(&m.until, lang), lang),
                        base,
                    )
                })
        })
        .collect()
}

/// Who holds or held a post there, post by post; then whoever took part in
/// its activities without a post there (a counterpart met on a mission),
/// most recent activity first, once each.
fn people_lines(
    reg: &Registry,
    slug: &str,
    activities: &[&Activity],
    lang: Lang,
    base: &str,
) -> Vec<Line> {
    let mut seen = std::collections::BTreeSet::new();
    let mut people: Vec<Line> = Vec::new();
    for p in reg.typed::<Person>() {
        let here = p.posts.iter().filter(
            |post| matches!(&post.within, Some(PartyRef::Partner(s)) if s.as_str() == slug),
        );
        for post in here {
            seen.insert(p.slug.as_str());
            let when = span(display(&post.since, lang), display(&post.until, lang), lang);
            let note = if when.is_empty() {
                post.title.get(lang).to_string()
            } else {
                format!("{} — {when}", post.title.get(lang))
            };
            people.push(line(
                p.name.get(lang),
                "person",
                p.slug.as_str(),
                note,
                base,
            ));
        }
    }
    let mut by_date: Vec<_> = activities.iter().collect();
    by_date.sort_by_key(|a| std::cmp::Reverse(a.start.earliest()));
    for a in by_date {
        for p in &a.participants {
            if !seen.insert(p.person.as_str()) {
                continue;
            }
            let note = format!(
                "{} — {}, {}",
                p.role.get(lang),
                a.title.get(lang),
                a.start.display(lang)
            );
            people.push(line(
                &person_name(reg, p.person.as_str(), lang),
                "person",
                p.person.as_str(),
                note,
                base,
            ));
        }
    }
    people
}

/// The feedback left on the partner's public page, in either language,
/// newest first.
async fn feedback_lines(state: &AppState, slug: &str, lang: Lang) -> Result<Vec<Line>, StoreError> {
    let mut feedback = Vec::new();
    for page_lang in Lang::ALL {
        let filter = FeedbackFilter {
            path: Some(Section::Partners.record(page_lang, slug)),
            ..Default::default()
        };
        feedback.extend(state.store.list_feedback(&filter, 50, 0).await?);
    }
    feedback.sort_by(|a, b| b.created_at.cmp(&a.created_at));
    let msgs = state.templates.messages(lang);
    Ok(feedback
        .iter()
        .map(|f| Line {
            title: msgs
                .get(&format!("admin_dossier_answer_{}", f.answer.as_str()))
                .cloned()
                .unwrap_or_default(),
            url: String::new(),
            note: format!(
                "{} — {}",
                super::record_show::when(&f.created_at, lang),
                f.comment.clone().unwrap_or_default()
            ),
            overdue: false,
        })
        .collect())
}
