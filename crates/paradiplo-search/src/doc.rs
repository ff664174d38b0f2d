//! What the index holds for a record: its texts in both languages, the names
//! of the records it refers to, and its facet values.

use paradiplo_core::records::{
    Agreement, AnyRecord, Event, Grouping, Intervention, Milestone, Organization, Page, Partner,
    PartyRef, Position, Representation,
};
use paradiplo_core::{CountryCode, Lang, PartialDate, RecordKind, Registry, Text};

/// The kinds the search covers, in the order facets list them.
pub const INDEXED_KINDS: [RecordKind; 9] = [
    RecordKind::Partner,
    RecordKind::Grouping,
    RecordKind::Organization,
    RecordKind::Agreement,
    RecordKind::Event,
    RecordKind::Representation,
    RecordKind::Intervention,
    RecordKind::Position,
    RecordKind::Page,
];

/// The editorial page that shows every office abroad (the hub's map table).
pub const HUB_PAGE: &str = "partenaires-et-organisations";

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
    /// Years of what the record itself dates (an agreement's signature,
    /// entry into force and acts; an event's days; an intervention's or a
    /// position's date): a year in the query matches these first.
    pub years_main: Vec<i32>,
    /// The other years it carries (a partner's « since », a foundation, an
    /// office's opening, a procedure step).
    pub years: Vec<i32>,
    /// What the record is exactly called: titles, short titles, acronyms and
    /// reference numbers (a query equal to one of them ranks it first).
    pub exact: Vec<String>,
    /// Countries, ISO 3166-1 alpha-2: the record's own (a partner's, an
    /// office's, an event's) and those of the parties it involves.
    pub countries_own: Vec<String>,
    pub countries_involved: Vec<String>,
    /// The record whose public page shows this one: itself for kinds with
    /// pages, an intervention's organization, an office's partner, …
    pub link_kind: String,
    pub link_slug: String,
    /// The counterparts shown with a result, in each language.
    pub partner_fr: String,
    pub partner_en: String,
    /// The record's date as precise as known (ISO: `1996`, `1999-03`, `2006-05-05`).
    pub date: Option<String>,
    /// The records whose names this document shows (`kind/slug`, from
    /// [`references`]): when one of them changes, the index finds this
    /// document by them and writes it again.
    pub refs: Vec<String>,
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

/// The names of records referred to, the world regions and countries of the
/// partners among them, and the counterparts a result shows.
struct Related<'a> {
    registry: &'a Registry,
    names: Both,
    regions: Vec<String>,
    countries: Vec<String>,
    shown: Both,
}

/// Adds `value` to `list` unless it is there.
fn push_new(list: &mut Vec<String>, value: &str) {
    if !list.iter().any(|x| x == value) {
        list.push(value.to_string());
    }
}

impl<'a> Related<'a> {
    fn new(registry: &'a Registry) -> Self {
        Related {
            registry,
            names: Both::default(),
            regions: Vec::new(),
            countries: Vec::new(),
            shown: Both::default(),
        }
    }
    fn region(&mut self, r: &str) {
        push_new(&mut self.regions, r);
    }
    /// A country's names in both languages, and its code.
    fn country(&mut self, c: &CountryCode) {
        if let Some((fr, en)) = crate::countries::names(c.as_str()) {
            self.names.fr.extend(fr.iter().map(|s| s.to_string()));
            self.names.en.extend(en.iter().map(|s| s.to_string()));
        }
        push_new(&mut self.countries, c.as_str());
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
                self.country(&p.country);
            }
            AnyRecord::Organization(o) => self.names.opt(&o.acronym),
            AnyRecord::Grouping(g) => self.names.opt(&g.acronym),
            _ => {}
        }
    }
    /// A counterpart: its names are searched and shown with the result.
    fn counterpart(&mut self, kind: RecordKind, slug: &str) {
        self.record(kind, slug);
        if let Some(rec) = self.registry.get(kind, slug) {
            let short = match rec {
                AnyRecord::Partner(p) => p.short_name.as_ref(),
                AnyRecord::Organization(o) => o.acronym.as_ref(),
                AnyRecord::Grouping(g) => g.acronym.as_ref(),
                _ => None,
            };
            self.shown.text(short.unwrap_or(rec.title()));
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
            PartyRef::Partner(s) => self.counterpart(RecordKind::Partner, s.as_str()),
            PartyRef::Organization(s) => self.counterpart(RecordKind::Organization, s.as_str()),
            PartyRef::Grouping(s) => self.counterpart(RecordKind::Grouping, s.as_str()),
            PartyRef::Country(c) => {
                self.country(c);
                if let Some((fr, en)) = crate::countries::names(c.as_str()) {
                    self.shown.fr.push(fr[0].to_string());
                    self.shown.en.push(en[0].to_string());
                }
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
            link_kind: kind.as_str().to_string(),
            link_slug: record.slug().to_string(),
            ..IndexDoc::default()
        },
        body: Both::default(),
        rel: Related::new(registry),
    };
    parts.exact(&Some(record.title().clone()));
    match record {
        AnyRecord::Partner(p) => parts.partner(p),
        AnyRecord::Grouping(g) => parts.grouping(g),
        AnyRecord::Organization(o) => parts.organization(o),
        AnyRecord::Agreement(a) => parts.agreement(a),
        AnyRecord::Event(e) => parts.event(e),
        AnyRecord::Representation(r) => parts.representation(r),
        AnyRecord::Intervention(i) => parts.intervention(i, registry),
        AnyRecord::Position(p) => parts.position(p),
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
    doc.refs = reference_keys(record);
    if doc.link_kind.is_empty() {
        return None; // nothing public shows it
    }
    (doc.body_fr, doc.body_en) = body.join();
    doc.regions = rel.regions;
    for c in rel.countries {
        if !doc.countries_own.contains(&c) {
            doc.countries_involved.push(c);
        }
    }
    (doc.related_fr, doc.related_en) = rel.names.join();
    doc.partner_fr = rel.shown.fr.join(", ");
    doc.partner_en = rel.shown.en.join(", ");
    for y in doc.years_main.clone() {
        push_year(&mut doc.years, y);
    }
    Some(doc)
}

fn push_year(list: &mut Vec<i32>, y: i32) {
    if !list.contains(&y) {
        list.push(y);
    }
}

/// A document being built: its fields, its body text and the names of the
/// records it refers to.
struct Parts<'a> {
    doc: IndexDoc,
    body: Both,
    rel: Related<'a>,
}

impl Parts<'_> {
    /// Names the record is exactly called.
    fn exact(&mut self, t: &Option<Text>) {
        if let Some(t) = t {
            push_new(&mut self.doc.exact, &t.fr);
            push_new(&mut self.doc.exact, t.get(Lang::En));
        }
    }

    /// A date of the record itself: searched first by its year; the first
    /// one is the date shown.
    fn main_date(&mut self, d: Option<&PartialDate>) {
        if let Some(d) = d {
            push_year(&mut self.doc.years_main, d.year());
            self.doc.date.get_or_insert_with(|| d.to_string());
        }
    }

    /// Another year the record carries.
    fn other_date(&mut self, d: Option<&PartialDate>) {
        if let Some(d) = d {
            push_year(&mut self.doc.years, d.year());
        }
    }

    /// The record's own country: its names are searched as the record's
    /// and shown with it when no counterpart is.
    fn own_country(&mut self, c: &CountryCode) {
        self.rel.country(c);
        push_new(&mut self.doc.countries_own, c.as_str());
    }

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
        self.exact(short_name);
        self.body.text(summary);
        self.body.milestones(milestones);
        self.rel.region(world_region.as_str());
        self.rel.domains(domains);
        self.own_country(country);
        if let Some((fr, en)) = crate::countries::names(country.as_str()) {
            self.rel.shown.fr.push(fr[0].to_string());
            self.rel.shown.en.push(en[0].to_string());
        }
        self.doc.domains = slugs(domains);
        self.doc.year = since.as_ref().map(|d| d.year());
        self.other_date(since.as_ref());
        self.doc.date = since.as_ref().map(|d| d.to_string());
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
        self.exact(acronym);
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
        self.other_date(founded.as_ref());
        self.doc.date = founded.as_ref().map(|d| d.to_string());
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
        self.exact(acronym);
        self.body.text(summary);
        self.body.opt(city);
        self.body.milestones(milestones);
        if let Some(p) = parent {
            self.rel.record(RecordKind::Organization, p.as_str());
        }
        self.rel.domains(domains);
        self.doc.domains = slugs(domains);
        self.doc.year = founded.as_ref().map(|d| d.year());
        self.other_date(founded.as_ref());
        self.doc.date = founded.as_ref().map(|d| d.to_string());
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
        self.exact(short_title);
        if let Some(r) = reference {
            push_new(&mut self.doc.exact, r);
        }
        self.body.text(summary);
        self.body.opt(signed_at);
        self.main_date(signed.as_ref());
        self.main_date(in_force.as_ref());
        for s in steps {
            self.body.opt(&s.note);
            self.other_date(s.date.as_ref());
        }
        for p in parties {
            self.rel.party(&p.party);
            self.body.opt(&p.reservations);
            for act in &p.acts {
                self.main_date(Some(&act.date));
                self.body.opt(&act.note);
            }
        }
        self.rel.domains(domains);
        self.doc.domains = slugs(domains);
        self.doc.status = Some(status.as_str().to_string());
        self.doc.year = signed.as_ref().or(in_force.as_ref()).map(|d| d.year());
    }

    fn event(&mut self, e: &Event) {
        let Event {
            start,
            end,
            place,
            country,
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
        if let Some(c) = country {
            self.own_country(c);
        }
        if let Some(o) = organizer {
            self.rel.party(o);
        }
        if let Some(g) = grouping {
            self.rel.counterpart(RecordKind::Grouping, g.as_str());
        }
        if let Some(o) = organization {
            self.rel.counterpart(RecordKind::Organization, o.as_str());
        }
        for p in partners {
            self.rel.counterpart(RecordKind::Partner, p.as_str());
        }
        self.rel.domains(domains);
        self.doc.domains = slugs(domains);
        self.doc.year = Some(start.year());
        self.main_date(Some(start));
        let last = end.as_ref().map_or(start.year(), |d| d.year());
        for y in start.year()..=last.min(start.year() + 50) {
            push_year(&mut self.doc.years_main, y);
        }
    }

    /// An office abroad: shown on the pages of the partners it serves, or in
    /// the hub's table of every office when it serves none.
    fn representation(&mut self, r: &Representation) {
        let Representation {
            city,
            country,
            opened,
            partners,
            summary,
            milestones,
            ..
        } = r;
        self.body.text(summary);
        self.body.text(city);
        self.body.milestones(milestones);
        self.own_country(country);
        for p in partners {
            self.rel.counterpart(RecordKind::Partner, p.as_str());
        }
        if self.rel.shown.fr.is_empty()
            && let Some((fr, en)) = crate::countries::names(country.as_str())
        {
            self.rel.shown.fr.push(fr[0].to_string());
            self.rel.shown.en.push(en[0].to_string());
        }
        self.doc.year = opened.as_ref().map(|d| d.year());
        self.other_date(opened.as_ref());
        self.doc.date = opened.as_ref().map(|d| d.to_string());
        let registry = self.rel.registry;
        let shown_on = partners
            .iter()
            .find(|p| registry.get(RecordKind::Partner, p.as_str()).is_some());
        (self.doc.link_kind, self.doc.link_slug) = match shown_on {
            Some(p) => (RecordKind::Partner.as_str().into(), p.to_string()),
            None => (RecordKind::Page.as_str().into(), HUB_PAGE.into()),
        };
    }

    /// An intervention takes the domains of the organization it was made at,
    /// and is shown on its page.
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
        // The speaker's name (before the title that follows a comma) is
        // searched like an acronym: « line beauchamp » finds her speech.
        if let Some(s) = speaker {
            for name in [s.fr.as_str(), s.get(Lang::En)] {
                let name = name.split(',').next().unwrap_or(name).trim();
                push_new(&mut self.doc.aliases, name);
            }
        }
        self.rel
            .counterpart(RecordKind::Organization, organization.as_str());
        if let Some(AnyRecord::Organization(o)) =
            registry.get(RecordKind::Organization, organization.as_str())
        {
            self.rel.domains(&o.domains);
            self.doc.domains = slugs(&o.domains);
        }
        self.doc.year = Some(date.year());
        self.main_date(Some(date));
        self.doc.parent = Some(organization.to_string());
        self.link_to(RecordKind::Organization, organization.as_str());
    }

    /// A position is shown on its agreement's page, else its event's, else
    /// its organization's.
    fn position(&mut self, p: &Position) {
        let Position {
            agreement,
            event,
            organization,
            recipient,
            date,
            summary,
            ..
        } = p;
        self.body.text(summary);
        self.body.text(recipient);
        for (kind, slug) in [
            (RecordKind::Organization, organization),
            (RecordKind::Agreement, agreement),
            (RecordKind::Event, event),
        ] {
            if let Some(s) = slug {
                self.rel.counterpart(kind, s.as_str());
            }
        }
        self.doc.year = date.as_ref().map(|d| d.year());
        self.main_date(date.as_ref());
        self.doc.link_kind.clear();
        for (kind, slug) in [
            (RecordKind::Organization, organization),
            (RecordKind::Event, event),
            (RecordKind::Agreement, agreement),
        ] {
            if let Some(s) = slug {
                self.link_to(kind, s.as_str());
            }
        }
    }

    /// Links the result to the page of `slug` when it is published (the
    /// last call that finds one wins); else the link stays empty and the
    /// record is left out of the index.
    fn link_to(&mut self, kind: RecordKind, slug: &str) {
        if self.rel.registry.get(kind, slug).is_some() {
            self.doc.link_kind = kind.as_str().to_string();
            self.doc.link_slug = slug.to_string();
        } else if self.doc.link_kind == self.doc.kind {
            self.doc.link_kind.clear();
        }
    }
}

/// [`references`] as `kind/slug` keys, each once.
pub(crate) fn reference_keys(record: &AnyRecord) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (kind, slug) in references(record) {
        push_new(&mut out, &format!("{}/{slug}", kind.as_str()));
    }
    out
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
        AnyRecord::Representation(r) => {
            for p in &r.partners {
                add(RecordKind::Partner, p.as_str());
            }
        }
        AnyRecord::Intervention(i) => add(RecordKind::Organization, i.organization.as_str()),
        AnyRecord::Position(p) => {
            for (kind, slug) in [
                (RecordKind::Organization, &p.organization),
                (RecordKind::Agreement, &p.agreement),
                (RecordKind::Event, &p.event),
            ] {
                if let Some(s) = slug {
                    add(kind, s.as_str());
                }
            }
        }
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
