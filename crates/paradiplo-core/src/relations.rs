//! Relations between agreements read both ways, the family of instruments
//! as a dated chain, and who a party is.

use crate::lang::Lang;
use crate::records::{
    Agreement, CounterpartKind, Grouping, Organization, Partner, PartyRef, Record, RelationKind,
};
use crate::registry::Registry;
use crate::values::PartialDate;
use std::collections::{BTreeSet, VecDeque};

/// Which way a relation is read from the agreement at hand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// This agreement states it ("renews" the other).
    Outgoing,
    /// The other agreement states it ("renewed by" the other).
    Incoming,
}

/// One relation of an agreement, read from its side.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RelatedAgreement<'a> {
    pub relation: RelationKind,
    pub direction: Direction,
    pub agreement: &'a Agreement,
}

impl RelatedAgreement<'_> {
    /// « Renouvelle » / "Renews", or « Renouvelé par » / "Renewed by".
    pub fn label(&self, lang: Lang) -> &'static str {
        match self.direction {
            Direction::Outgoing => self.relation.label(lang),
            Direction::Incoming => self.relation.inverse_label(lang),
        }
    }
}

/// Orders agreements on a timeline: by date (undated last), then slug.
fn timeline_key(a: &Agreement) -> (bool, Option<PartialDate>, &str) {
    let date = a.timeline_date();
    (date.is_none(), date, a.slug.as_str())
}

impl Registry {
    fn agreement(&self, slug: &str) -> Option<&Agreement> {
        self.record::<Agreement>(slug)
    }

    /// The record of type `T` with this slug.
    pub fn record<T: Record + 'static>(&self, slug: &str) -> Option<&T> {
        self.get(T::KIND, slug).and_then(T::unwrap_ref)
    }

    /// The relations of agreement `slug` both ways: those it states, in its
    /// order, then those other agreements state about it, by date. Relations
    /// to agreements not in the registry are left out.
    pub fn relations_of(&self, slug: &str) -> Vec<RelatedAgreement<'_>> {
        let mut out = Vec::new();
        if let Some(a) = self.agreement(slug) {
            for rel in &a.related {
                if let Some(other) = self.agreement(rel.agreement.as_str()) {
                    out.push(RelatedAgreement {
                        relation: rel.relation,
                        direction: Direction::Outgoing,
                        agreement: other,
                    });
                }
            }
        }
        let mut incoming: Vec<RelatedAgreement<'_>> = self
            .typed::<Agreement>()
            .flat_map(|other| {
                other
                    .related
                    .iter()
                    .filter(|rel| rel.agreement.as_str() == slug)
                    .map(move |rel| RelatedAgreement {
                        relation: rel.relation,
                        direction: Direction::Incoming,
                        agreement: other,
                    })
            })
            .collect();
        incoming.sort_by(|x, y| timeline_key(x.agreement).cmp(&timeline_key(y.agreement)));
        out.extend(incoming);
        out
    }

    /// The family of agreement `slug`: every agreement linked to it through
    /// relations either way, itself included, as a timeline (by date,
    /// undated last). Empty if there is no such agreement.
    pub fn family(&self, slug: &str) -> Vec<&Agreement> {
        let Some(start) = self.agreement(slug) else {
            return Vec::new();
        };
        let mut seen: BTreeSet<&str> = BTreeSet::from([start.slug.as_str()]);
        let mut queue = VecDeque::from([start]);
        let mut family = Vec::new();
        while let Some(a) = queue.pop_front() {
            family.push(a);
            for rel in self.relations_of(a.slug.as_str()) {
                if seen.insert(rel.agreement.slug.as_str()) {
                    queue.push_back(rel.agreement);
                }
            }
        }
        family.sort_by(|x, y| timeline_key(x).cmp(&timeline_key(y)));
        family
    }

    /// What kind of counterpart a party is (None for a record not in the
    /// registry).
    pub fn counterpart_kind(&self, party: &PartyRef) -> Option<CounterpartKind> {
        match party {
            PartyRef::Home => Some(CounterpartKind::Home),
            PartyRef::Country(_) => Some(CounterpartKind::SovereignState),
            PartyRef::Partner(s) => self.record::<Partner>(s.as_str()).map(|p| p.kind.into()),
            PartyRef::Organization(s) => self
                .record::<Organization>(s.as_str())
                .map(|_| CounterpartKind::Organization),
            PartyRef::Grouping(s) => self
                .record::<Grouping>(s.as_str())
                .map(|_| CounterpartKind::Grouping),
        }
    }

    /// A party's name in `lang`: the record's name, or a sovereign state's
    /// CLDR name (« France », « Corée du Sud »). None for a record not in
    /// the registry.
    pub fn party_name(&self, party: &PartyRef, lang: Lang) -> Option<String> {
        let name = match party {
            PartyRef::Home => self.home()?.name.get(lang),
            PartyRef::Country(c) => c.name(lang),
            PartyRef::Partner(s) => self.record::<Partner>(s.as_str())?.name.get(lang),
            PartyRef::Organization(s) => self.record::<Organization>(s.as_str())?.name.get(lang),
            PartyRef::Grouping(s) => self.record::<Grouping>(s.as_str())?.name.get(lang),
        };
        Some(name.to_string())
    }
}
