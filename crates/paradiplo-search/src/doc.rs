//! What the index holds for a record: its texts in both languages, the names
//! of the records it refers to, and its facet values.

use paradiplo_core::records::{
    Agreement, AnyRecord, Event, Grouping, Intervention, Milestone, Organization, Page, Partner,
    PartyRef,
};
use paradiplo_core::{Lang, RecordKind, Registry, Text};

/// The kinds the search covers, in the order facets list them.
pub const INDEXED_KINDS: [RecordKind; 7] = [
    RecordKind::Partner,
    RecordKind::Grouping,
    RecordKind::Organization,
    RecordKind::Agreement,
    RecordKind::Event,
    RecordKind::Intervention,
    RecordKind::Page,
];

pub fn is_indexed(kind: RecordKind) -> bool {
    INDEXED_KINDS.contains(&kind)
}

/// One document of the index. Built from a record and the registry it sits
/// in (for the names of partners and domains it refers to), or directly by
/// the benchmark's generator.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IndexDoc {
    pub kind: String,
    pub slug: String,
    pub title_fr: String,
    pub title_en: String,
    /// Acronyms and short names, both languages ("OACI", "ICAO", "Bavière").
    pub aliases: Vec<String>,
    pub body_fr: String,
    pub body_en: String,
    /// Names of the records this one refers to (partners, domains, …): a
    /// record about energy with Bavaria is found by "énergie Bavière".
    pub related_fr: String,
    pub related_en: String,
    pub regions: Vec<String>,
    pub domains: Vec<String>,
    pub status: Option<String>,
    pub year: Option<i32>,
    /// The record a hit links through (an intervention's organization).
    pub parent: Option<String>,
}

/// Collects text of both languages.
#[derive(Default)]
struct Both {
    fr: Vec<String>,
    en: Vec<String>,
}

impl Both {
    fn text(&mut self, t: &Text) {
        self.fr.push(t.fr.clone());
        self.en.push(t.get(Lang::En).to_string());
    }
    fn opt(&mut self, t: &Option<Text>) {
        if let Some(t) = t {
            self.text(t);
        }
    }
    fn milestones(&mut self, ms: &[Milestone]) {
        for m in ms {
            self.text(&m.text);
        }
    }
    fn join(self) -> (String, String) {
        (self.fr.join("\n"), self.en.join("\n"))
    }
}

fn aliases(list: &[&Option<Text>]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in list.iter().copied().flatten() {
        for s in [t.fr.as_str(), t.get(Lang::En)] {
            if !s.trim().is_empty() && !out.iter().any(|o| o == s) {
                out.push(s.to_string());
            }
        }
    }
    out
}

/// The names of records referred to, and the world regions of the partners among them.
struct Related<'a> {
    registry: &'a Registry,
    names: Both,
    regions: Vec<String>,
}

impl<'a> Related<'a> {
    fn new(registry: &'a Registry) -> Self {
        Related {
            registry,
            names: Both::default(),
            regions: Vec::new(),
        }
    }
    fn region(&mut self, r: &str) {
        if !self.regions.iter().any(|x| x == r) {
            self.regions.push(r.to_string());
        }
    }
    fn record(&mut self, kind: RecordKind, slug: &str) {
        let Some(rec) = self.registry.get(kind, slug) else {
            return;
        };
        self.names.text(rec.title());
        match rec {
            AnyRecord::Partner(p) => {
                self.names.opt(&p.short_name);
                self.region(p.world_region.as_str());
            }
            AnyRecord::Organization(o) => self.names.opt(&o.acronym),
            AnyRecord::Grouping(g) => self.names.opt(&g.acronym),
            _ => {}
        }
    }
    fn domains(&mut self, domains: &[paradiplo_core::Slug]) {
        for d in domains {
            self.record(RecordKind::Domain, d.as_str());
        }
    }
    fn party(&mut self, p: &PartyRef) {
        match p {
            PartyRef::Home => {}
            PartyRef::Partner(s) => self.record(RecordKind::Partner, s.as_str()),
            PartyRef::Organization(s) => self.record(RecordKind::Organization, s.as_str()),
            PartyRef::Grouping(s) => self.record(RecordKind::Grouping, s.as_str()),
            PartyRef::Country(c) => {
                // ISO names are English; they help English queries only.
                self.names.en.push(c.iso_name().to_string());
            }
        }
    }
}

fn slugs(v: &[paradiplo_core::Slug]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

/// Drops Markdown punctuation so that snippets read as text.
fn plain(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    for line in markdown.lines() {
        let line = line.trim_start_matches(['#', '>', ' ']);
        let line = line.strip_prefix("- ").unwrap_or(line);
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '*' | '_' | '`' => {}
                // [text](url) keeps the text.
                ']' if chars.peek() == Some(&'(') => {
                    for c in chars.by_ref() {
                        if c == ')' {
                            break;
                        }
                    }
                }
                '[' => {}
                c => out.push(c),
            }
        }
        out.push('\n');
    }
    out
}

/// The document of a record, or None for kinds the search does not cover.
pub fn from_record(record: &AnyRecord, registry: &Registry) -> Option<IndexDoc> {
    let kind = record.kind();
    if !is_indexed(kind) {
        return None;
    }
    let mut parts = Parts {
        doc: IndexDoc {
            kind: kind.as_str().to_string(),
            slug: record.slug().to_string(),
            title_fr: record.title().fr.clone(),
            title_en: record.title().get(Lang::En).to_string(),
            ..IndexDoc::default()
        },
        body: Both::default(),
        rel: Related::new(registry),
    };
    match record {
        AnyRecord::Partner(p) => parts.partner(p),
        AnyRecord::Grouping(g) => parts.grouping(g),
        AnyRecord::Organization(o) => parts.organization(o),
        AnyRecord::Agreement(a) => parts.agreement(a),
        AnyRecord::Event(e) => parts.event(e),
        AnyRecord::Intervention(i) => parts.intervention(i, registry),
        AnyRecord::Page(Page {
            summary, body: b, ..
        }) => {
            parts.body.opt(summary);
            parts.body.fr.push(plain(&b.fr));
            parts.body.en.push(plain(b.get(Lang::En)));
        }
        _ => return None,
    }
    let Parts { mut doc, body, rel } = parts;
    (doc.body_fr, doc.body_en) = body.join();
    doc.regions = rel.regions;
    (doc.related_fr, doc.related_en) = rel.names.join();
    Some(doc)
}

/// A document being built: its fields, its body text and the names of the
/// records it refers to.
struct Parts<'a> {
    doc: IndexDoc,
    body: Both,
    rel: Related<'a>,
}

impl Parts<'_> {
    fn partner(&mut self, p: &Partner) {
        let Partner {
            short_name,
            world_region,
            since,
            domains,
            summary,
            milestones,
            country,
            ..
        } = p;
        self.doc.aliases = aliases(&[short_name]);
        self.body.text(summary);
        self.body.milestones(milestones);
        self.rel.region(world_region.as_str());
        self.rel.domains(domains);
        self.rel.names.en.push(country.iso_name().to_string());
        self.doc.domains = slugs(domains);
        self.doc.year = since.as_ref().map(|d| d.year());
    }

    fn grouping(&mut self, g: &Grouping) {
        let Grouping {
            acronym,
            founded,
            home_role,
            secretariat,
            members,
            domains,
            summary,
            milestones,
            ..
        } = g;
        self.doc.aliases = aliases(&[acronym]);
        self.body.text(summary);
        self.body.text(home_role);
        self.body.opt(secretariat);
        self.body.milestones(milestones);
        for m in members {
            self.rel.record(RecordKind::Partner, m.member.as_str());
        }
        self.rel.domains(domains);
        self.doc.domains = slugs(domains);
        self.doc.year = founded.as_ref().map(|d| d.year());
    }

    fn organization(&mut self, o: &Organization) {
        let Organization {
            acronym,
            city,
            parent,
            founded,
            domains,
            summary,
            milestones,
            ..
        } = o;
        self.doc.aliases = aliases(&[acronym]);
        self.body.text(summary);
        self.body.opt(city);
        self.body.milestones(milestones);
        if let Some(p) = parent {
            self.rel.record(RecordKind::Organization, p.as_str());
        }
        self.rel.domains(domains);
        self.doc.domains = slugs(domains);
        self.doc.year = founded.as_ref().map(|d| d.year());
    }

    fn agreement(&mut self, a: &Agreement) {
        let Agreement {
            reference,
            short_title,
            status,
            signed,
            signed_at,
            in_force,
            parties,
            domains,
            summary,
            steps,
            ..
        } = a;
        let mut names = aliases(&[short_title]);
        names.extend(reference.iter().cloned());
        self.doc.aliases = names;
        self.body.text(summary);
        self.body.opt(signed_at);
        for s in steps {
            self.body.opt(&s.note);
        }
        for p in parties {
            self.rel.party(&p.party);
            self.body.opt(&p.reservations);
        }
        self.rel.domains(domains);
        self.doc.domains = slugs(domains);
        self.doc.status = Some(status.as_str().to_string());
        self.doc.year = signed.as_ref().or(in_force.as_ref()).map(|d| d.year());
    }

    fn event(&mut self, e: &Event) {
        let Event {
            start,
            place,
            organizer,
            grouping,
            organization,
            partners,
            delegation,
            outcomes,
            summary,
            domains,
            ..
        } = e;
        self.body.text(summary);
        self.body.opt(place);
        self.body.opt(delegation);
        self.body.opt(outcomes);
        if let Some(o) = organizer {
            self.rel.party(o);
        }
        if let Some(g) = grouping {
            self.rel.record(RecordKind::Grouping, g.as_str());
        }
        if let Some(o) = organization {
            self.rel.record(RecordKind::Organization, o.as_str());
        }
        for p in partners {
            self.rel.record(RecordKind::Partner, p.as_str());
        }
        self.rel.domains(domains);
        self.doc.domains = slugs(domains);
        self.doc.year = Some(start.year());
    }

    /// An intervention takes the domains of the organization it was made at.
    fn intervention(&mut self, i: &Intervention, registry: &Registry) {
        let Intervention {
            organization,
            meeting,
            date,
            speaker,
            summary,
            ..
        } = i;
        self.body.text(summary);
        self.body.text(meeting);
        self.body.opt(speaker);
        self.rel
            .record(RecordKind::Organization, organization.as_str());
        if let Some(AnyRecord::Organization(o)) =
            registry.get(RecordKind::Organization, organization.as_str())
        {
            self.rel.domains(&o.domains);
            self.doc.domains = slugs(&o.domains);
        }
        self.doc.year = Some(date.year());
        self.doc.parent = Some(organization.to_string());
    }
}

/// The records a record refers to by slug, whose names end up in its
/// document: when one of them changes, this record is indexed again.
pub fn references(record: &AnyRecord) -> Vec<(RecordKind, String)> {
    let mut out = Vec::new();
    let mut add = |k: RecordKind, s: &str| out.push((k, s.to_string()));
    let party = |p: &PartyRef, add: &mut dyn FnMut(RecordKind, &str)| match p {
        PartyRef::Partner(s) => add(RecordKind::Partner, s.as_str()),
        PartyRef::Organization(s) => add(RecordKind::Organization, s.as_str()),
        PartyRef::Grouping(s) => add(RecordKind::Grouping, s.as_str()),
        PartyRef::Home | PartyRef::Country(_) => {}
    };
    let domains = |d: &[paradiplo_core::Slug], add: &mut dyn FnMut(RecordKind, &str)| {
        for s in d {
            add(RecordKind::Domain, s.as_str());
        }
    };
    match record {
        AnyRecord::Partner(p) => domains(&p.domains, &mut add),
        AnyRecord::Grouping(g) => {
            for m in &g.members {
                add(RecordKind::Partner, m.member.as_str());
            }
            domains(&g.domains, &mut add);
        }
        AnyRecord::Organization(o) => {
            if let Some(p) = &o.parent {
                add(RecordKind::Organization, p.as_str());
            }
            domains(&o.domains, &mut add);
        }
        AnyRecord::Agreement(a) => {
            for p in &a.parties {
                party(&p.party, &mut add);
            }
            domains(&a.domains, &mut add);
        }
        AnyRecord::Event(e) => {
            if let Some(o) = &e.organizer {
                party(o, &mut add);
            }
            if let Some(g) = &e.grouping {
                add(RecordKind::Grouping, g.as_str());
            }
            if let Some(o) = &e.organization {
                add(RecordKind::Organization, o.as_str());
            }
            for p in &e.partners {
                add(RecordKind::Partner, p.as_str());
            }
            domains(&e.domains, &mut add);
        }
        AnyRecord::Intervention(i) => add(RecordKind::Organization, i.organization.as_str()),
        _ => {}
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_becomes_text() {
        assert_eq!(
            plain("## Titre\n- la **Conférence** et [le site](https://x.y)"),
            "Titre\nla Conférence et le site\n"
        );
    }
}
