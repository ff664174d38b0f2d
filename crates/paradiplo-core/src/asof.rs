//! The network as it stood on a given day.
//!
//! A relationship with a start and an end is active on day D when
//! start ≤ D ≤ end, both inclusive, with dates of year or month precision
//! taken at their widest (a partner "since 1989" counts from 1 January 1989;
//! a membership "until 2015" lasts through 31 December 2015).

use crate::records::*;
use crate::registry::Registry;
use crate::values::PartialDate;

fn started(start: Option<&PartialDate>, day: time::Date) -> bool {
    start.is_none_or(|s| s.earliest() <= day)
}

fn not_ended(end: Option<&PartialDate>, day: time::Date) -> bool {
    end.is_none_or(|e| day <= e.latest())
}

/// True when a relationship from `start` to `end` is active on `day`.
pub fn active_on(start: Option<&PartialDate>, end: Option<&PartialDate>, day: time::Date) -> bool {
    started(start, day) && not_ended(end, day)
}

/// Whether something with a start and an end existed on a day, dates taken
/// as the intervals they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Existence {
    /// Certainly not started yet that day.
    NotYet,
    /// Started or ended that day or not: a date's interval holds the day
    /// (a partner "since 1989" on 1 March 1989). Show it flagged, or not at all.
    Uncertain,
    /// Certainly started and certainly not ended.
    Certain,
    /// Certainly ended by then.
    Ended,
}

/// Whether something from `start` to `end` (both inclusive; no start: since
/// always, no end: still) existed on `day`. Unlike [`active_on`], which keeps
/// whatever may have existed, this tells certain from uncertain.
pub fn existence(
    start: Option<&PartialDate>,
    end: Option<&PartialDate>,
    day: time::Date,
) -> Existence {
    use crate::dates::DayCertainty as C;
    let started = start.map_or(C::Certain, |s| s.happened_by(day));
    // The end day itself still counts: ended means the day after the end.
    let ended = end.map_or(C::NotYet, |e| match day.previous_day() {
        Some(before) => e.happened_by(before),
        None => C::NotYet,
    });
    match (started, ended) {
        (C::NotYet, _) => Existence::NotYet,
        (_, C::Certain) => Existence::Ended,
        (C::Certain, C::NotYet) => Existence::Certain,
        _ => Existence::Uncertain,
    }
}

/// Whether `record` existed on `day`: a partner's relationship, an office,
/// a grouping or organization since its foundation, an event or activity
/// from its start, an agreement from its first known date to its end.
/// Records without dates (the home state, domains, pages…) always existed.
pub fn record_existence(record: &AnyRecord, day: time::Date) -> Existence {
    match record {
        AnyRecord::Partner(p) => existence(p.since.as_ref(), p.until.as_ref(), day),
        AnyRecord::Representation(r) => existence(r.opened.as_ref(), r.closed.as_ref(), day),
        AnyRecord::Grouping(g) => existence(g.founded.as_ref(), None, day),
        AnyRecord::Organization(o) => existence(o.founded.as_ref(), None, day),
        AnyRecord::Event(e) => existence(Some(&e.start), None, day),
        AnyRecord::Position(p) => existence(p.date.as_ref(), None, day),
        AnyRecord::Intervention(i) => existence(Some(&i.date), None, day),
        AnyRecord::Activity(a) => existence(Some(&a.start), None, day),
        AnyRecord::Agreement(a) => {
            let first = known_dates(a).into_iter().min_by_key(PartialDate::earliest);
            let start = first.map(|f| earliest_certain(&known_dates(a), f));
            existence(start.as_ref(), a.ended.as_ref(), day)
        }
        AnyRecord::Person(_)
        | AnyRecord::FollowUp(_)
        | AnyRecord::Home(_)
        | AnyRecord::Domain(_)
        | AnyRecord::Procedure(_)
        | AnyRecord::Document(_)
        | AnyRecord::Page(_) => Existence::Certain,
    }
}

/// The start of an agreement as a date whose interval runs from the earliest
/// day any known date may denote to the earliest day by which one certainly
/// happened.
fn earliest_certain(dates: &[PartialDate], first: PartialDate) -> PartialDate {
    let from = first.earliest();
    let by = dates.iter().map(PartialDate::latest).min().unwrap_or(from);
    if by <= from {
        return PartialDate::Day(from);
    }
    let point = |d: time::Date| crate::dates::DatePoint::Day(d);
    PartialDate::Between(point(from), point(by))
}

/// The registry as it stood on `day`: records that did not exist yet are
/// left out, memberships and offices outside their dates are dropped, and an
/// agreement keeps only the steps taken by then, with its status of that day.
pub fn as_of(reg: &Registry, day: time::Date) -> Registry {
    let mut out = Registry::new();
    for record in reg.iter() {
        if let Some(r) = record_as_of(record, day) {
            out.push(r);
        }
    }
    out
}

/// One record as it stood on `day` (None: it did not exist, or was not in
/// force, that day). [`as_of`] applies it to every record of a registry;
/// the API and the exports apply it to the records they serve.
pub fn record_as_of(record: &AnyRecord, day: time::Date) -> Option<AnyRecord> {
    match record {
        AnyRecord::Partner(p) => {
            active_on(p.since.as_ref(), p.until.as_ref(), day).then(|| record.clone())
        }
        AnyRecord::Representation(r) => {
            active_on(r.opened.as_ref(), r.closed.as_ref(), day).then(|| record.clone())
        }
        AnyRecord::Grouping(g) => started(g.founded.as_ref(), day).then(|| {
            let mut g = g.clone();
            g.members
                .retain(|m| active_on(m.since.as_ref(), m.until.as_ref(), day));
            AnyRecord::Grouping(g)
        }),
        AnyRecord::Organization(o) => started(o.founded.as_ref(), day).then(|| record.clone()),
        AnyRecord::Event(e) => started(Some(&e.start), day).then(|| record.clone()),
        AnyRecord::Position(p) => started(p.date.as_ref(), day).then(|| record.clone()),
        AnyRecord::Intervention(i) => started(Some(&i.date), day).then(|| record.clone()),
        AnyRecord::Agreement(a) => agreement_as_of(a, day).map(AnyRecord::Agreement),
        AnyRecord::Person(p) => {
            let mut p = p.clone();
            p.posts
                .retain(|post| active_on(post.since.as_ref(), post.until.as_ref(), day));
            Some(AnyRecord::Person(p))
        }
        AnyRecord::Activity(a) => started(Some(&a.start), day).then(|| record.clone()),
        AnyRecord::FollowUp(_) => Some(record.clone()),
        AnyRecord::Home(_)
        | AnyRecord::Domain(_)
        | AnyRecord::Procedure(_)
        | AnyRecord::Document(_)
        | AnyRecord::Page(_) => Some(record.clone()),
    }
}

/// Every date an agreement knows, to tell whether `day` falls before any of them.
fn known_dates(a: &Agreement) -> Vec<PartialDate> {
    let mut dates: Vec<PartialDate> = [
        a.signed,
        a.in_force,
        a.ended,
        a.provisional_application,
        a.adopted.as_ref().map(|x| x.date),
    ]
    .into_iter()
    .flatten()
    .collect();
    dates.extend(a.steps.iter().filter_map(|s| s.date));
    dates.extend(a.parties.iter().flat_map(|p| p.acts.iter().map(|x| x.date)));
    dates.extend(a.instruments.iter().filter_map(|i| i.date));
    dates
}

fn agreement_as_of(a: &Agreement, day: time::Date) -> Option<Agreement> {
    let dates = known_dates(a);
    let first = dates.iter().map(PartialDate::earliest).min();
    if first.is_some_and(|f| f > day) {
        return None; // nothing had happened yet
    }
    if dates.iter().all(|d| d.latest() <= day) {
        return Some(a.clone()); // everything known had happened: today's record
    }
    let mut a = a.clone();
    // Steps up to the last dated one taken by then (undated steps before it stay).
    let keep = a
        .steps
        .iter()
        .rposition(|s| s.date.is_some_and(|d| d.earliest() <= day))
        .map(|i| i + 1)
        .unwrap_or(0);
    a.steps.truncate(keep);
    a.planned.clear();
    for party in &mut a.parties {
        party.acts.retain(|x| x.date.earliest() <= day);
    }
    let happened = |d: &Option<PartialDate>| d.is_some_and(|d| d.earliest() <= day);
    if !happened(&a.ended) {
        a.ended = None;
    }
    if !happened(&a.in_force) {
        a.in_force = None;
    }
    if !happened(&a.provisional_application) {
        a.provisional_application = None;
    }
    if !a.adopted.as_ref().is_some_and(|x| happened(&Some(x.date))) {
        a.adopted = None;
    }
    a.instruments.retain(|i| happened(&i.date));
    a.measures
        .retain(|m| m.date.is_none_or(|d| d.earliest() <= day));
    a.status = if a.ended.is_some() {
        a.status // ended or replaced, as recorded
    } else if a.in_force.is_some() {
        AgreementStatus::InForce
    } else if happened(&a.signed) {
        AgreementStatus::Signed
    } else {
        AgreementStatus::Negotiation
    };
    Some(a)
}
