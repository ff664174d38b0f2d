//! A whole registry in memory, and the rules that span records: unique slugs
//! and references that point at existing records.

use crate::error::{FieldError, Problem};
use crate::records::*;
use crate::values::Slug;
use std::collections::{BTreeMap, HashMap, HashSet};

/// A problem found on one record of a registry.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordError {
    pub kind: RecordKind,
    pub slug: String,
    pub error: FieldError,
}

impl RecordError {
    pub fn message(&self, lang: crate::Lang) -> String {
        format!(
            "{} `{}`: {}",
            self.kind,
            self.slug,
            self.error.message(lang)
        )
    }
}

impl std::fmt::Display for RecordError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(crate::Lang::En))
    }
}

/// Every record of a registry, by kind then slug.
///
/// Records are kept in their order of arrival, with an index from slug to
/// position per kind, so that `upsert` and `get` find a record by key
/// instead of scanning its kind: building a registry of N records costs N
/// lookups, not N²/2 comparisons.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    records: BTreeMap<RecordKind, Vec<AnyRecord>>,
    /// Position of the first record of each (kind, slug) in `records`.
    index: BTreeMap<RecordKind, HashMap<String, usize>>,
}

/// Two registries are equal when they hold the same records in the same
/// order; the index follows from the records.
impl PartialEq for Registry {
    fn eq(&self, other: &Registry) -> bool {
        self.records == other.records
    }
}

impl Registry {
    pub fn new() -> Registry {
        Registry::default()
    }

    /// Adds a record, even if one of the same kind and slug is there
    /// already (`validate` then reports the duplicate).
    pub fn push(&mut self, record: impl Into<AnyRecord>) {
        let record = record.into();
        let kind = record.kind();
        let list = self.records.entry(kind).or_default();
        self.index
            .entry(kind)
            .or_default()
            .entry(record.slug().to_string())
            .or_insert(list.len());
        list.push(record);
    }

    /// Replaces the record of the same kind and slug, or adds it.
    pub fn upsert(&mut self, record: AnyRecord) {
        let kind = record.kind();
        match self.position(kind, record.slug().as_str()) {
            Some(i) => self.records.entry(kind).or_default()[i] = record,
            None => self.push(record),
        }
    }

    fn position(&self, kind: RecordKind, slug: &str) -> Option<usize> {
        self.index.get(&kind)?.get(slug).copied()
    }

    pub fn of_kind(&self, kind: RecordKind) -> &[AnyRecord] {
        self.records.get(&kind).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The records of one type: `registry.typed::<Partner>()`.
    pub fn typed<T: Record + 'static>(&self) -> impl Iterator<Item = &T> {
        self.of_kind(T::KIND).iter().filter_map(T::unwrap_ref)
    }

    pub fn iter(&self) -> impl Iterator<Item = &AnyRecord> {
        self.records.values().flatten()
    }

    pub fn len(&self) -> usize {
        self.records.values().map(Vec::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn get(&self, kind: RecordKind, slug: &str) -> Option<&AnyRecord> {
        let i = self.position(kind, slug)?;
        self.of_kind(kind).get(i)
    }

    /// Sorts each collection by slug, the canonical order of exports.
    pub fn sort(&mut self) {
        for v in self.records.values_mut() {
            // Stable: of two records with the same slug, the first stays first.
            v.sort_by(|a, b| a.slug().cmp(b.slug()));
        }
        self.reindex();
    }

    /// Rebuilds the index after the records moved.
    fn reindex(&mut self) {
        self.index.clear();
        for (kind, list) in &self.records {
            let index = self.index.entry(*kind).or_default();
            for (i, r) in list.iter().enumerate() {
                index.entry(r.slug().to_string()).or_insert(i);
            }
        }
    }

    /// Every record `record` names (kind and slug; parties naming the home
    /// state or a country excluded), so that a caller can gather just those
    /// and validate `record` without the whole registry: a registry of
    /// `record`, its targets and the home record reports the same errors
    /// for `record` as the whole registry does.
    pub fn targets(record: &AnyRecord) -> Vec<(RecordKind, &Slug)> {
        let refs = References::of(record, None);
        let mut out: Vec<(RecordKind, &Slug)> = refs
            .plain
            .iter()
            .map(|(_, slug, kind)| (*kind, *slug))
            .collect();
        out.extend(refs.parties.iter().filter_map(|(_, party)| match party {
            PartyRef::Partner(s) => Some((RecordKind::Partner, s)),
            PartyRef::Organization(s) => Some((RecordKind::Organization, s)),
            PartyRef::Grouping(s) => Some((RecordKind::Grouping, s)),
            PartyRef::Home | PartyRef::Country(_) => None,
        }));
        out
    }

    pub fn home(&self) -> Option<&Home> {
        self.typed::<Home>().next()
    }

    fn slugs(&self, kind: RecordKind) -> HashSet<&str> {
        self.of_kind(kind)
            .iter()
            .map(|r| r.slug().as_str())
            .collect()
    }

    /// Checks every record and every reference between records; returns every
    /// problem found.
    pub fn validate(&self) -> Vec<RecordError> {
        let mut out = Vec::new();
        for r in self.iter() {
            for error in r.validate() {
                out.push(RecordError {
                    kind: r.kind(),
                    slug: r.slug().to_string(),
                    error,
                });
            }
        }
        for kind in RecordKind::ALL {
            let mut seen = HashSet::new();
            for r in self.of_kind(kind) {
                if !seen.insert(r.slug().as_str()) {
                    out.push(RecordError {
                        kind,
                        slug: r.slug().to_string(),
                        error: FieldError::new("slug", r.slug().as_str(), Problem::Duplicate),
                    });
                }
            }
        }
        let homes = self.of_kind(RecordKind::Home);
        if homes.len() > 1 {
            for h in &homes[1..] {
                out.push(RecordError {
                    kind: RecordKind::Home,
                    slug: h.slug().to_string(),
                    error: FieldError::new("slug", h.slug().as_str(), Problem::Duplicate),
                });
            }
        }
        out.extend(self.reference_errors());
        out.extend(self.register_reference_errors());
        out
    }

    /// A register reference number names one agreement: a repeated one is
    /// an error on each later agreement, naming the first.
    fn register_reference_errors(&self) -> Vec<RecordError> {
        let mut first: HashMap<&str, &Slug> = HashMap::new();
        let mut out = Vec::new();
        for a in self.typed::<Agreement>() {
            let Some(reference) = a.reference.as_deref() else {
                continue;
            };
            if let Some(home) = self.home()
                && !home.reference_fits(reference)
            {
                out.push(RecordError {
                    kind: RecordKind::Agreement,
                    slug: a.slug.to_string(),
                    error: FieldError::new(
                        "reference",
                        reference,
                        Problem::InvalidValue {
                            expected: home.reference_formats.join(", "),
                        },
                    ),
                });
            }
            match first.get(reference.trim()) {
                Some(other) if *other != &a.slug => out.push(RecordError {
                    kind: RecordKind::Agreement,
                    slug: a.slug.to_string(),
                    error: FieldError::new(
                        "reference",
                        reference,
                        Problem::UsedBy {
                            kind: RecordKind::Agreement.to_string(),
                            slug: other.to_string(),
                        },
                    ),
                }),
                Some(_) => {}
                None => {
                    first.insert(reference.trim(), &a.slug);
                }
            }
        }
        out
    }

    fn reference_errors(&self) -> Vec<RecordError> {
        let home_slug = self.home().map(|h| h.slug.as_str());
        let sets: BTreeMap<RecordKind, HashSet<&str>> = RecordKind::ALL
            .iter()
            .map(|k| (*k, self.slugs(*k)))
            .collect();
        let procedures: BTreeMap<&str, &Procedure> = self
            .typed::<Procedure>()
            .map(|p| (p.slug.as_str(), p))
            .collect();

        let mut out = Vec::new();
        for record in self.iter() {
            let refs = References::of(record, home_slug);
            let mut errs = refs.unknown_targets(&sets);
            if let AnyRecord::Agreement(a) = record
                && let Some(proc) = a
                    .procedure
                    .as_ref()
                    .and_then(|p| procedures.get(p.as_str()))
            {
                step_order_errors(a, proc, &mut errs);
            }
            errs.extend(refs.unknown_parties(&sets, home_slug));
            out.extend(errs.into_iter().map(|error| RecordError {
                kind: record.kind(),
                slug: record.slug().to_string(),
                error,
            }));
        }
        out
    }
}

/// The references one record makes to others: plain ones (field, target,
/// kind) and parties, which may name a partner, an organization, a grouping,
/// the home state or a country.
#[derive(Default)]
struct References<'a> {
    plain: Vec<(String, &'a Slug, RecordKind)>,
    parties: Vec<(String, &'a PartyRef)>,
}

impl<'a> References<'a> {
    fn one(&mut self, field: String, target: &'a Slug, kind: RecordKind) {
        self.plain.push((field, target, kind));
    }

    fn each(&mut self, list: &'a [Slug], field: &str, kind: RecordKind) {
        for (i, s) in list.iter().enumerate() {
            self.one(format!("{field}[{i}]"), s, kind);
        }
    }

    fn opt(&mut self, value: &'a Option<Slug>, field: &str, kind: RecordKind) {
        if let Some(s) = value {
            self.one(field.to_string(), s, kind);
        }
    }

    fn party(&mut self, field: String, party: &'a PartyRef) {
        self.parties.push((field, party));
    }

    /// Every reference `record` makes.
    fn of(record: &'a AnyRecord, home_slug: Option<&str>) -> References<'a> {
        let mut r = References::default();
        match record {
            AnyRecord::Partner(p) => r.each(&p.domains, "domains", RecordKind::Domain),
            AnyRecord::Representation(rep) => {
                r.each(&rep.partners, "partners", RecordKind::Partner);
                r.opt(&rep.reports_to, "reports_to", RecordKind::Representation);
            }
            AnyRecord::Grouping(g) => {
                r.each(&g.domains, "domains", RecordKind::Domain);
                for (i, m) in g.members.iter().enumerate() {
                    if Some(m.member.as_str()) != home_slug {
                        r.one(
                            format!("members[{i}].member"),
                            &m.member,
                            RecordKind::Partner,
                        );
                    }
                }
            }
            AnyRecord::Organization(o) => {
                r.each(&o.domains, "domains", RecordKind::Domain);
                r.opt(&o.parent, "parent", RecordKind::Organization);
            }
            AnyRecord::Agreement(a) => r.agreement(a),
            AnyRecord::Position(p) => {
                r.opt(&p.agreement, "agreement", RecordKind::Agreement);
                r.opt(&p.event, "event", RecordKind::Event);
                r.opt(&p.organization, "organization", RecordKind::Organization);
                r.each(&p.documents, "documents", RecordKind::Document);
            }
            AnyRecord::Event(ev) => {
                r.opt(&ev.grouping, "grouping", RecordKind::Grouping);
                r.opt(&ev.organization, "organization", RecordKind::Organization);
                r.each(&ev.partners, "partners", RecordKind::Partner);
                r.each(&ev.agreements, "agreements", RecordKind::Agreement);
                r.each(&ev.domains, "domains", RecordKind::Domain);
                r.each(&ev.documents, "documents", RecordKind::Document);
                if let Some(o) = &ev.organizer {
                    r.party("organizer".into(), o);
                }
            }
            AnyRecord::Intervention(iv) => {
                r.one(
                    "organization".into(),
                    &iv.organization,
                    RecordKind::Organization,
                );
                r.each(&iv.documents, "documents", RecordKind::Document);
            }
            AnyRecord::Page(p) => {
                r.each(&p.documents, "documents", RecordKind::Document);
                r.each(&p.sections, "sections", RecordKind::Page);
                r.each(&p.organizations, "organizations", RecordKind::Organization);
                r.each(&p.agreements, "agreements", RecordKind::Agreement);
            }
            AnyRecord::Person(p) => {
                for (i, post) in p.posts.iter().enumerate() {
                    if let Some(rep) = &post.representation {
                        r.one(
                            format!("posts[{i}].representation"),
                            rep,
                            RecordKind::Representation,
                        );
                    }
                    if let Some(w) = &post.within {
                        r.party(format!("posts[{i}].within"), w);
                    }
                }
            }
            AnyRecord::Activity(a) => {
                r.each(&a.partners, "partners", RecordKind::Partner);
                r.each(&a.organizations, "organizations", RecordKind::Organization);
                r.each(&a.domains, "domains", RecordKind::Domain);
                r.each(&a.documents, "documents", RecordKind::Document);
                for (i, p) in a.participants.iter().enumerate() {
                    r.one(
                        format!("participants[{i}].person"),
                        &p.person,
                        RecordKind::Person,
                    );
                }
            }
            AnyRecord::FollowUp(f) => {
                r.opt(&f.activity, "activity", RecordKind::Activity);
                r.opt(&f.agreement, "agreement", RecordKind::Agreement);
            }
            AnyRecord::Home(_)
            | AnyRecord::Domain(_)
            | AnyRecord::Procedure(_)
            | AnyRecord::Document(_) => {}
        }
        r
    }

    fn agreement(&mut self, a: &'a Agreement) {
        self.each(&a.domains, "domains", RecordKind::Domain);
        self.each(&a.documents, "documents", RecordKind::Document);
        self.opt(&a.procedure, "procedure", RecordKind::Procedure);
        for (i, rel) in a.related.iter().enumerate() {
            self.one(
                format!("related[{i}].agreement"),
                &rel.agreement,
                RecordKind::Agreement,
            );
        }
        for (i, p) in a.parties.iter().enumerate() {
            self.party(format!("parties[{i}].party"), &p.party);
        }
        if let Some(adopted) = &a.adopted {
            self.party("adopted.by".into(), &adopted.by);
        }
        for (i, x) in a.instruments.iter().enumerate() {
            if let Some(s) = &x.sender {
                self.party(format!("instruments[{i}].sender"), s);
            }
            if let Some(s) = &x.addressee {
                self.party(format!("instruments[{i}].addressee"), s);
            }
            self.each(
                &x.documents,
                &format!("instruments[{i}].documents"),
                RecordKind::Document,
            );
        }
        for (i, s) in a.steps.iter().enumerate() {
            for (j, d) in s.documents.iter().enumerate() {
                self.one(
                    format!("steps[{i}].documents[{j}]"),
                    d,
                    RecordKind::Document,
                );
            }
        }
    }

    /// The plain references whose target is not in the registry.
    fn unknown_targets(&self, sets: &BTreeMap<RecordKind, HashSet<&str>>) -> Vec<FieldError> {
        self.plain
            .iter()
            .filter(|(_, target, kind)| !sets[kind].contains(target.as_str()))
            .map(|(field, target, kind)| unknown(field.clone(), target.as_str(), kind.as_str()))
            .collect()
    }

    /// The parties that name a record not in the registry (or the home
    /// state when the registry has none).
    fn unknown_parties(
        &self,
        sets: &BTreeMap<RecordKind, HashSet<&str>>,
        home_slug: Option<&str>,
    ) -> Vec<FieldError> {
        let mut errs = Vec::new();
        for (field, party) in &self.parties {
            let (kind, slug) = match party {
                PartyRef::Partner(s) => (RecordKind::Partner, s),
                PartyRef::Organization(s) => (RecordKind::Organization, s),
                PartyRef::Grouping(s) => (RecordKind::Grouping, s),
                PartyRef::Home if home_slug.is_none() => {
                    errs.push(unknown(field.clone(), "home", "home"));
                    continue;
                }
                PartyRef::Home | PartyRef::Country(_) => continue,
            };
            if !sets[&kind].contains(slug.as_str()) {
                errs.push(unknown(field.clone(), &party.to_string(), kind.as_str()));
            }
        }
        errs
    }
}

fn unknown(field: String, value: &str, kind: &str) -> FieldError {
    FieldError::new(
        field,
        value,
        Problem::UnknownReference { kind: kind.into() },
    )
}

/// An agreement's steps must be a path through its procedure.
fn step_order_errors(a: &Agreement, proc: &Procedure, errs: &mut Vec<FieldError>) {
    let lifecycle = crate::lifecycle::Lifecycle::new(proc);
    errs.extend(lifecycle.validate(&a.steps));
    let state = lifecycle.replay(&a.steps).ok();
    for (i, p) in a.planned.iter().enumerate() {
        if lifecycle.step(p.step.as_str()).is_none() {
            errs.push(FieldError::new(
                format!("planned[{i}].step"),
                p.step.as_str(),
                Problem::UnknownStep {
                    procedure: proc.slug.to_string(),
                },
            ));
        } else if i == 0
            && let Some(state) = &state
        {
            let allowed = lifecycle.allowed_next(state.current.as_ref().map(Slug::as_str));
            if !allowed.iter().any(|s| s.key == p.step) {
                errs.push(FieldError::new(
                    "planned[0].step",
                    p.step.as_str(),
                    Problem::TransitionNotAllowed {
                        from: state
                            .current
                            .as_ref()
                            .map(Slug::to_string)
                            .unwrap_or_default(),
                        allowed: allowed
                            .iter()
                            .map(|s| s.key.to_string())
                            .collect::<Vec<_>>()
                            .join(", "),
                    },
                ));
            }
        }
    }
}
