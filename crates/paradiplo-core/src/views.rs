//! The lists staff follow, computed from a registry: treaties awaiting the
//! home state's approval, waiting periods, positions to transmit, status
//! disagreements and upcoming deadlines.

use crate::lifecycle::{DeadlineKind, Lifecycle, LifecycleState};
use crate::records::{
    ActKind, Agreement, AgreementKind, AgreementStatus, CommitmentKind, InternationalStatus,
    PartyRef, Position, PositionStatus, Procedure,
};
use crate::registry::Registry;
use crate::values::{PartialDate, Slug};

fn procedure_of<'a>(reg: &'a Registry, a: &Agreement) -> Option<&'a Procedure> {
    let slug = a.procedure.as_ref()?;
    reg.typed::<Procedure>().find(|p| &p.slug == slug)
}

fn state(reg: &Registry, a: &Agreement) -> Option<LifecycleState> {
    let p = procedure_of(reg, a)?;
    Lifecycle::new(p).replay(&a.steps).ok()
}

fn closed(a: &Agreement) -> bool {
    matches!(a.status, AgreementStatus::Ended | AgreementStatus::Replaced)
}

/// True once the home state is bound: a binding step of the procedure was
/// reached, or the home party's acts say so.
pub fn home_bound(reg: &Registry, a: &Agreement) -> bool {
    state(reg, a).is_some_and(|s| s.bound)
        || a.parties.iter().any(|p| {
            p.party == PartyRef::Home
                && p.acts.iter().any(|act| {
                    matches!(
                        act.act,
                        ActKind::DeclaredBound | ActKind::Ratification | ActKind::Accession
                    )
                })
        })
}

/// Treaties concluded by the federal government that still await the home
/// state's approval: not approved (no step that approves or binds the home
/// state was reached), procedure not finished. A treaty the legislature
/// approved whose order in council is pending is not listed here but in
/// [`awaiting_binding_act`].
pub fn awaiting_approval(reg: &Registry) -> Vec<&Agreement> {
    open_canada_treaties(reg, |s| !s.approved)
}

/// Treaties the home state approved (its legislature voted) but is not
/// bound by yet: the act that binds it (an order in council) is pending.
pub fn awaiting_binding_act(reg: &Registry) -> Vec<&Agreement> {
    open_canada_treaties(reg, |s| s.approved && !s.bound)
}

/// Federal treaties still open (not closed, procedure not finished) whose
/// replayed state passes `keep`.
fn open_canada_treaties(reg: &Registry, keep: impl Fn(&LifecycleState) -> bool) -> Vec<&Agreement> {
    reg.typed::<Agreement>()
        .filter(|a| a.kind == AgreementKind::CanadaTreaty && !closed(a))
        .filter(|a| {
            let Some(p) = procedure_of(reg, a) else {
                return false;
            };
            let lifecycle = Lifecycle::new(p);
            match lifecycle.replay(&a.steps) {
                Ok(s) => {
                    keep(&s)
                        && !lifecycle
                            .allowed_next(s.current.as_ref().map(Slug::as_str))
                            .is_empty()
                }
                Err(_) => false,
            }
        })
        .collect::<Vec<_>>()
        .sorted_by_slug()
}

/// An agreement waiting for a delay of its procedure to run out.
#[derive(Debug, Clone, PartialEq)]
pub struct WaitingPeriod<'a> {
    pub agreement: &'a Agreement,
    /// The step the wait counts from (tabling).
    pub after: Slug,
    /// The step that may come once the wait is over (the debate).
    pub step: Slug,
    pub ends_on: time::Date,
}

/// Agreements in a waiting period that ends on or after `today` ("tabled in
/// the National Assembly, waiting period ending on …").
pub fn waiting_periods(reg: &Registry, today: time::Date) -> Vec<WaitingPeriod<'_>> {
    let mut out = Vec::new();
    for a in reg.typed::<Agreement>().filter(|a| !closed(a)) {
        let Some(p) = procedure_of(reg, a) else {
            continue;
        };
        let mut seen = std::collections::HashSet::new();
        for d in Lifecycle::new(p).deadlines(&a.steps) {
            if d.kind == DeadlineKind::Earliest && d.date >= today && seen.insert(d.date) {
                out.push(WaitingPeriod {
                    agreement: a,
                    after: d.after,
                    step: d.step,
                    ends_on: d.date,
                });
            }
        }
    }
    out.sort_by_key(|w| w.ends_on);
    out
}

/// Positions approved but not transmitted yet.
pub fn positions_to_transmit(reg: &Registry) -> Vec<&Position> {
    reg.typed::<Position>()
        .filter(|p| p.status == PositionStatus::Approved)
        .collect::<Vec<_>>()
        .sorted_by_slug()
}

/// In force internationally, the home state never declared bound, and no
/// step planned: a disagreement the procedure does not explain.
pub fn status_disagreements(reg: &Registry) -> Vec<&Agreement> {
    reg.typed::<Agreement>()
        .filter(|a| a.international_status == Some(InternationalStatus::InForce))
        .filter(|a| !closed(a) && a.planned.is_empty() && !home_bound(reg, a))
        .collect::<Vec<_>>()
        .sorted_by_slug()
}

/// Lists come out in slug order, whatever the registry's order.
trait SortedBySlug {
    fn sorted_by_slug(self) -> Self;
}

impl<T: crate::records::Record> SortedBySlug for Vec<&T> {
    fn sorted_by_slug(mut self) -> Self {
        self.sort_by(|a, b| a.slug().cmp(b.slug()));
        self
    }
}

/// What falls due.
#[derive(Debug, Clone, PartialEq)]
pub enum DeadlineSubject {
    /// A step planned by staff.
    PlannedStep { step: Slug },
    /// A step the procedure allows from this date (a waiting period ends).
    StepAllowedFrom { step: Slug },
    /// A step the procedure requires by this date.
    StepDueBy { step: Slug },
    /// An obligation of the agreement.
    Commitment { kind: CommitmentKind, index: usize },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Deadline<'a> {
    pub date: time::Date,
    pub agreement: &'a Agreement,
    pub subject: DeadlineSubject,
}

/// Every deadline from `from` to `until` (both included), in date order:
/// planned steps, the procedure's delays, and commitments (recurring ones
/// repeated every `every_months` from their due date, or from entry into
/// force or signature).
pub fn upcoming_deadlines(
    reg: &Registry,
    from: time::Date,
    until: time::Date,
) -> Vec<Deadline<'_>> {
    let mut out = Vec::new();
    let within = |d: time::Date| d >= from && d <= until;
    for a in reg.typed::<Agreement>().filter(|a| !closed(a)) {
        for p in &a.planned {
            let date = p.due.earliest();
            if within(date) {
                out.push(Deadline {
                    date,
                    agreement: a,
                    subject: DeadlineSubject::PlannedStep {
                        step: p.step.clone(),
                    },
                });
            }
        }
        if let Some(proc) = procedure_of(reg, a) {
            for d in Lifecycle::new(proc).deadlines(&a.steps) {
                if within(d.date) {
                    let subject = match d.kind {
                        DeadlineKind::Earliest => DeadlineSubject::StepAllowedFrom { step: d.step },
                        DeadlineKind::Latest => DeadlineSubject::StepDueBy { step: d.step },
                    };
                    out.push(Deadline {
                        date: d.date,
                        agreement: a,
                        subject,
                    });
                }
            }
        }
        for (index, c) in a.commitments.iter().enumerate() {
            let start = c.due.or(a.in_force).or(a.signed).map(|d| d.earliest());
            let Some(mut date) = start else { continue };
            let subject = DeadlineSubject::Commitment {
                kind: c.kind,
                index,
            };
            match c.every_months.filter(|m| *m > 0) {
                None => {
                    if within(date) {
                        out.push(Deadline {
                            date,
                            agreement: a,
                            subject,
                        });
                    }
                }
                Some(months) => {
                    // Bounded: at most one occurrence a month over the window.
                    let mut guard = 0;
                    while date <= until && guard < 2_400 {
                        if within(date) {
                            out.push(Deadline {
                                date,
                                agreement: a,
                                subject: subject.clone(),
                            });
                        }
                        date = add_months(date, months);
                        guard += 1;
                    }
                }
            }
        }
    }
    out.sort_by(|x, y| {
        (x.date, x.agreement.slug.as_str()).cmp(&(y.date, y.agreement.slug.as_str()))
    });
    out
}

/// Adds calendar months, keeping the day where the month allows it.
pub fn add_months(date: time::Date, months: u32) -> time::Date {
    let total = date.year() * 12 + (date.month() as i32 - 1) + months as i32;
    let (year, month0) = (total.div_euclid(12), total.rem_euclid(12));
    let month = time::Month::try_from(month0 as u8 + 1).unwrap_or(time::Month::January);
    let day = date.day().min(month.length(year));
    time::Date::from_calendar_date(year, month, day).unwrap_or(time::Date::MAX)
}

/// The step an agreement stands at, for filters ("lifecycle stage").
pub fn current_step(reg: &Registry, a: &Agreement) -> Option<Slug> {
    state(reg, a).and_then(|s| s.current)
}

/// The latest known date along an agreement's procedure.
pub fn last_step_date(reg: &Registry, a: &Agreement) -> Option<PartialDate> {
    state(reg, a).and_then(|s| s.last_date)
}

/// What the public may know of an activity: its public summary, kind,
/// dates and partners — never its title, participants or outcomes.
#[derive(Debug, Clone, PartialEq)]
pub struct PublicActivity {
    pub kind: crate::records::ActivityKind,
    pub start: PartialDate,
    pub end: Option<PartialDate>,
    pub partners: Vec<Slug>,
    pub summary: crate::values::Text,
}

impl PublicActivity {
    /// The public part of an activity, if staff wrote one and it was not cancelled.
    pub fn of(a: &crate::records::Activity) -> Option<PublicActivity> {
        let summary = a.public_summary.clone()?;
        (a.status != crate::records::ActivityStatus::Cancelled).then(|| PublicActivity {
            kind: a.kind,
            start: a.start,
            end: a.end,
            partners: a.partners.clone(),
            summary,
        })
    }
}

/// Follow-ups not done and due before `today`, earliest first.
pub fn overdue_follow_ups(reg: &Registry, today: time::Date) -> Vec<&crate::records::FollowUp> {
    let mut v: Vec<_> = reg
        .typed::<crate::records::FollowUp>()
        .filter(|f| f.is_overdue(today))
        .collect();
    v.sort_by_key(|f| (f.due.latest(), f.slug.clone()));
    v
}

/// One line of an agreement's public timeline.
#[derive(Debug, Clone, PartialEq)]
pub struct TimelineEntry<'a> {
    /// None for a step known to have happened on a date not established.
    pub date: Option<PartialDate>,
    pub what: TimelineWhat<'a>,
    pub note: Option<&'a crate::values::Text>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TimelineWhat<'a> {
    /// A step of the home state's procedure (with its description in the procedure).
    Step(&'a crate::records::ProcedureStep),
    /// A step whose procedure is unknown to the registry (kept, not dropped).
    UnknownStep(&'a Slug),
    /// A party's act (Canada's ratification, a partner's signature…).
    Act {
        party: &'a PartyRef,
        act: ActKind,
    },
    /// The agreement's own dates when no step or act records them.
    Signed,
    InForce,
    Ended,
}

/// The agreement's history for readers: its procedure's steps and the
/// parties' acts merged by date. Undated steps keep their place after the
/// step before them; an act on the day of a recorded step (Canada's
/// ratification, recorded as a step and as Canada's act) is shown once.
pub fn timeline<'a>(reg: &'a Registry, a: &'a Agreement) -> Vec<TimelineEntry<'a>> {
    timeline_in(procedure_of(reg, a), a)
}

/// [`timeline`] with the agreement's procedure already looked up.
pub fn timeline_in<'a>(
    procedure: Option<&'a Procedure>,
    a: &'a Agreement,
) -> Vec<TimelineEntry<'a>> {
    let mut steps: Vec<TimelineEntry> = a
        .steps
        .iter()
        .map(|s| TimelineEntry {
            date: s.date,
            what: match procedure.and_then(|p| p.steps.iter().find(|ps| ps.key == s.step)) {
                Some(ps) => TimelineWhat::Step(ps),
                None => TimelineWhat::UnknownStep(&s.step),
            },
            note: s.note.as_ref(),
        })
        .collect();
    let step_dates: Vec<PartialDate> = a.steps.iter().filter_map(|s| s.date).collect();
    let mut acts: Vec<TimelineEntry> = a
        .parties
        .iter()
        .flat_map(|p| {
            p.acts.iter().map(move |x| TimelineEntry {
                date: Some(x.date),
                what: TimelineWhat::Act {
                    party: &p.party,
                    act: x.act,
                },
                note: x.note.as_ref(),
            })
        })
        // An act on a day a step already records is that same event.
        .filter(|e| !e.date.is_some_and(|d| step_dates.contains(&d)))
        .collect();
    let known: Vec<PartialDate> = step_dates
        .iter()
        .copied()
        .chain(acts.iter().filter_map(|e| e.date))
        .collect();
    for (date, what) in [
        (a.signed, TimelineWhat::Signed),
        (a.in_force, TimelineWhat::InForce),
        (a.ended, TimelineWhat::Ended),
    ] {
        if let Some(d) = date
            && !known.contains(&d)
        {
            acts.push(TimelineEntry {
                date: Some(d),
                what,
                note: None,
            });
        }
    }
    acts.sort_by_key(|e| e.date);
    // Merge: walk the steps in their recorded order, inserting each act
    // before the first dated step that comes after it.
    let mut out = Vec::with_capacity(steps.len() + acts.len());
    let mut acts = acts.into_iter().peekable();
    for step in steps.drain(..) {
        if let Some(d) = step.date {
            while acts
                .peek()
                .is_some_and(|x| x.date.is_some_and(|xd| xd.certainly_before(&d) || xd < d))
            {
                out.extend(acts.next());
            }
        }
        out.push(step);
    }
    out.extend(acts);
    out
}
