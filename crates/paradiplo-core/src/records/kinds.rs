//! The record types, one struct each, as they are stored and exported.

use super::instruments::{Adoption, Instrument, Measure, Term};
use super::vocab::*;
use super::{AnyRecord, Record, RecordKind};
use crate::error::{FieldError, Problem};
use crate::lang::Lang;
use crate::values::{CountryCode, GeoPoint, PartialDate, Slug, SubdivisionCode, Text, WebUrl};
use serde::{Deserialize, Deserializer, Serialize, Serializer, de};

/// Length limits for texts, in characters.
pub const NAME_MAX: usize = 300;
pub const SUMMARY_MAX: usize = 4_000;
pub const BODY_MAX: usize = 100_000;

fn is_false(b: &bool) -> bool {
    !*b
}
fn is_true(b: &bool) -> bool {
    *b
}
fn yes() -> bool {
    true
}

macro_rules! record_impl {
    ($ty:ident, $title:ident, |$s:ident, $e:ident| $body:block) => {
        impl Record for $ty {
            const KIND: RecordKind = RecordKind::$ty;
            fn slug(&self) -> &Slug {
                &self.slug
            }
            fn title(&self) -> &Text {
                &self.$title
            }
            fn validate(&self) -> Vec<FieldError> {
                let $s = self;
                let mut $e: Vec<FieldError> = Vec::new();
                $body
                staff_note_errors(&$s.staff_note, &mut $e);
                // Every string of the record, whatever its type, is clean text.
                let json = serde_json::to_value($s).expect("records serialize");
                crate::clean_text::check_json(&json, &mut $e);
                $e
            }
            fn staff_note(&self) -> Option<&str> {
                self.staff_note.as_deref()
            }
            fn staff_note_mut(&mut self) -> &mut Option<String> {
                &mut self.staff_note
            }
            fn wrap(self) -> AnyRecord {
                AnyRecord::$ty(self)
            }
            fn unwrap_ref(any: &AnyRecord) -> Option<&Self> {
                match any {
                    AnyRecord::$ty(r) => Some(r),
                    _ => None,
                }
            }
        }
    };
}

/// The longest staff note, in characters.
pub const STAFF_NOTE_MAX: usize = 20_000;

/// A staff note, when present, says something and is not too long.
fn staff_note_errors(note: &Option<String>, errors: &mut Vec<FieldError>) {
    let Some(note) = note else { return };
    if note.trim().is_empty() {
        errors.push(FieldError::new("staff_note", note, Problem::Required));
    } else if note.chars().count() > STAFF_NOTE_MAX {
        errors.push(FieldError::new(
            "staff_note",
            note.chars().take(40).collect::<String>(),
            Problem::TooLong {
                max: STAFF_NOTE_MAX,
            },
        ));
    }
}

fn opt_text(t: &Option<Text>, field: &str, max: usize, errors: &mut Vec<FieldError>) {
    if let Some(t) = t {
        t.validate(field, max, errors);
    }
}

fn date_order(
    first: Option<&PartialDate>,
    first_field: &str,
    later: Option<&PartialDate>,
    later_field: &str,
    errors: &mut Vec<FieldError>,
) {
    if let (Some(a), Some(b)) = (first, later)
        && b.certainly_before(a)
    {
        errors.push(FieldError::new(
            later_field,
            b.to_string(),
            Problem::DateBefore {
                other_field: first_field.to_string(),
            },
        ));
    }
}

/// The federated state that runs this registry (Québec in the bundled data).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Home {
    pub slug: Slug,
    pub name: Text,
    pub country: CountryCode,
    pub subdivision: SubdivisionCode,
    /// "le gouvernement du Québec" / "the Government of Québec".
    pub government: Text,
    /// The ministry in charge of international relations.
    pub ministry: Text,
    pub summary: Text,
    /// Place names and the words made from them, one group a place: a search
    /// for one form also finds the others (« Bavière », « bavarois »).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub places: Vec<PlaceForms>,
    /// The formats of the register's reference numbers: `#` a digit, `A`
    /// a capital letter, any other character itself (`####-##` for
    /// "2014-05", `####-AC##` for "2010-AC01"). None: any reference.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reference_formats: Vec<String>,
    /// How to reach the ministry (every page's contact block).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<HomeContact>,
    /// The government's own figures for what the registry lists (« plus de
    /// 70 organisations »): where the registry holds fewer records, a page
    /// states its scope from these.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub official_figures: Vec<OfficialFigure>,
    /// Staff-only note (research notes, what remains to confirm): in the
    /// API's answers to staff tokens, the staff exports and the dataset;
    /// never in public answers, pages or the open-data files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub staff_note: Option<String>,
}

/// How the public reaches the ministry in charge of international relations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct HomeContact {
    /// Postal address, one line (« 525, boulevard René-Lévesque Est, … »).
    pub address: Text,
    /// Telephone as written for readers (« 418 649-2300 »).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub telephone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// The ministry's web address.
    pub website: WebUrl,
    /// A contact form or service page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_url: Option<WebUrl>,
    /// Where the contact details come from.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<WebUrl>,
}

/// The government's own count of something the registry lists.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct OfficialFigure {
    /// The collection counted, by its singular name (`organization`,
    /// `representation`, `partner`).
    pub collection: String,
    pub count: u32,
    /// « plus de 70 »: the figure is a lower bound.
    #[serde(default, skip_serializing_if = "is_false")]
    pub more_than: bool,
    /// When the figure holds (as the source dates it).
    pub as_of: PartialDate,
    /// What exactly is counted, as the source words it.
    pub text: Text,
    pub source: WebUrl,
}

impl Home {
    /// The government's figure for a collection, if the home record gives one.
    pub fn official_figure(&self, kind: RecordKind) -> Option<&OfficialFigure> {
        self.official_figures
            .iter()
            .find(|f| f.collection == kind.as_str())
    }

    /// True when `reference` fits one of the formats (or none is set).
    pub fn reference_fits(&self, reference: &str) -> bool {
        let fits = |format: &str| {
            format.chars().count() == reference.chars().count()
                && format.chars().zip(reference.chars()).all(|(f, c)| match f {
                    '#' => c.is_ascii_digit(),
                    'A' => c.is_ascii_uppercase(),
                    other => other == c,
                })
        };
        self.reference_formats.is_empty() || self.reference_formats.iter().any(|f| fits(f))
    }
}

record_impl!(Home, name, |r, e| {
    r.name.validate("name", NAME_MAX, &mut e);
    for (i, f) in r.reference_formats.iter().enumerate() {
        if f.trim().is_empty() || f.chars().count() > super::instruments::NUMBER_MAX {
            e.push(FieldError::new(
                format!("reference_formats[{i}]"),
                f,
                Problem::TooLong {
                    max: super::instruments::NUMBER_MAX,
                },
            ));
        }
    }
    place_errors(&r.places, &mut e);
    home_contact_errors(r.contact.as_ref(), &mut e);
    for (i, f) in r.official_figures.iter().enumerate() {
        if RecordKind::parse(&f.collection).is_none_or(RecordKind::is_confidential) {
            e.push(FieldError::new(
                format!("official_figures[{i}].collection"),
                &f.collection,
                Problem::InvalidValue {
                    expected: "a public collection (organization, representation, partner…)".into(),
                },
            ));
        }
        f.text
            .validate(&format!("official_figures[{i}].text"), SUMMARY_MAX, &mut e);
    }
    r.government.validate("government", NAME_MAX, &mut e);
    r.ministry.validate("ministry", NAME_MAX, &mut e);
    r.summary.validate("summary", SUMMARY_MAX, &mut e);
    if r.subdivision.country() != r.country.as_str() {
        e.push(FieldError::new(
            "subdivision",
            r.subdivision.as_str(),
            Problem::SubdivisionOutsideCountry {
                country: r.country.to_string(),
            },
        ));
    }
});

/// The contact's texts are set and not too long; an e-mail has one `@`.
fn home_contact_errors(contact: Option<&HomeContact>, e: &mut Vec<FieldError>) {
    let Some(c) = contact else { return };
    c.address.validate("contact.address", NAME_MAX, e);
    if let Some(t) = &c.telephone
        && (t.trim().is_empty() || t.chars().count() > 40)
    {
        e.push(FieldError::new(
            "contact.telephone",
            t,
            Problem::TooLong { max: 40 },
        ));
    }
    if let Some(m) = &c.email
        && (m.matches('@').count() != 1 || m.starts_with('@') || m.ends_with('@'))
    {
        e.push(FieldError::new(
            "contact.email",
            m,
            Problem::InvalidValue {
                expected: "an e-mail address".into(),
            },
        ));
    }
}

/// One place as words: its name and adjectives in French, then in English,
/// separated by spaces (« europe européen européenne », "european").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PlaceForms {
    pub fr: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub en: Option<String>,
}

impl PlaceForms {
    /// Every form, French then English.
    pub fn words(&self) -> impl Iterator<Item = &str> {
        self.fr
            .split_whitespace()
            .chain(self.en.iter().flat_map(|e| e.split_whitespace()))
    }
}

/// The longest place form: one word.
const PLACE_FORM_MAX: usize = 60;

/// Each form is one word of letters, and belongs to one group only
/// (compared in lower case), so that a word finds one place.
fn place_errors(places: &[PlaceForms], e: &mut Vec<FieldError>) {
    let mut group_of = std::collections::HashMap::new();
    for (i, group) in places.iter().enumerate() {
        if group.fr.trim().is_empty() {
            e.push(FieldError::new(
                format!("places[{i}].fr"),
                "",
                Problem::Required,
            ));
        }
        let fr = group.fr.split_whitespace().map(|w| ("fr", w));
        let en = group
            .en
            .iter()
            .flat_map(|e| e.split_whitespace().map(|w| ("en", w)));
        for (lang, form) in fr.chain(en) {
            let field = format!("places[{i}].{lang}");
            if form.chars().count() > PLACE_FORM_MAX {
                e.push(FieldError::new(
                    field,
                    form,
                    Problem::TooLong {
                        max: PLACE_FORM_MAX,
                    },
                ));
            } else if !form.chars().all(char::is_alphabetic) {
                // Search splits words at hyphens: « pays-bas » would make
                // « bas » a place.
                e.push(FieldError::new(
                    field,
                    form,
                    Problem::InvalidValue {
                        expected: "words of letters separated by spaces".into(),
                    },
                ));
            } else if *group_of.entry(form.to_lowercase()).or_insert(i) != i {
                e.push(FieldError::new(field, form, Problem::Duplicate));
            }
        }
    }
}

/// A domain of cooperation (culture, economy, …): a controlled vocabulary
/// kept as records so that staff can add to it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Domain {
    pub slug: Slug,
    pub name: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<Text>,
    /// Staff-only note (research notes, what remains to confirm): in the
    /// API's answers to staff tokens, the staff exports and the dataset;
    /// never in public answers, pages or the open-data files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub staff_note: Option<String>,
}
record_impl!(Domain, name, |r, e| {
    r.name.validate("name", NAME_MAX, &mut e);
    opt_text(&r.description, "description", SUMMARY_MAX, &mut e);
});

/// A procedure an agreement goes through, as an ordered list of steps. The
/// steps are data so that another federated state can describe its own law.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Procedure {
    pub slug: Slug,
    pub name: Text,
    pub summary: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_basis: Option<Text>,
    pub steps: Vec<ProcedureStep>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<WebUrl>,
    /// Staff-only note (research notes, what remains to confirm): in the
    /// API's answers to staff tokens, the staff exports and the dataset;
    /// never in public answers, pages or the open-data files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub staff_note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ProcedureStep {
    pub key: Slug,
    pub name: Text,
    pub description: Text,
    /// Who acts at this step (the minister, the government, the National Assembly…).
    pub actor: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_basis: Option<Text>,
    /// Steps that only some instruments go through (e.g. tabling, for important commitments).
    #[serde(default, skip_serializing_if = "is_false")]
    pub optional: bool,
    /// A record's history may begin at this step (the procedure's start, or
    /// where older records are documented from).
    #[serde(default, skip_serializing_if = "is_false")]
    pub entry: bool,
    /// The steps allowed right after this one; none for a final step.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub next: Vec<Slug>,
    /// At the earliest this many days after an earlier step (the waiting
    /// period between tabling and debate).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_days_after: Option<StepDelay>,
    /// At the latest this many days after an earlier step (tabling within 30
    /// days on the urgency route).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_days_after: Option<StepDelay>,
    /// Reaching this step binds the home state (a decree, a ratification).
    #[serde(default, skip_serializing_if = "is_false")]
    pub binds_home: bool,
    /// Reaching this step is the home state's approval (the legislature's
    /// vote), though it does not bind it yet: what remains is the act that
    /// binds (an order in council). A step that binds also approves.
    #[serde(default, skip_serializing_if = "is_false")]
    pub approves_home: bool,
}

/// A delay counted from an earlier step of the same procedure.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepDelay {
    pub step: Slug,
    pub days: u32,
}

impl Procedure {
    pub fn step_index(&self, key: &str) -> Option<usize> {
        self.steps.iter().position(|s| s.key.as_str() == key)
    }
}

record_impl!(Procedure, name, |r, e| {
    r.name.validate("name", NAME_MAX, &mut e);
    r.summary.validate("summary", SUMMARY_MAX, &mut e);
    opt_text(&r.legal_basis, "legal_basis", NAME_MAX, &mut e);
    if r.steps.is_empty() {
        e.push(FieldError::new("steps", "", Problem::Required));
    }
    let keys: std::collections::HashSet<&str> = r.steps.iter().map(|s| s.key.as_str()).collect();
    let unknown = |field: String, key: &Slug, e: &mut Vec<FieldError>| {
        if !keys.contains(key.as_str()) {
            e.push(FieldError::new(
                field,
                key.as_str(),
                Problem::UnknownStep {
                    procedure: r.slug.to_string(),
                },
            ));
        }
    };
    if !r.steps.is_empty() && !r.steps.iter().any(|s| s.entry) {
        e.push(FieldError::new(
            "steps[0].entry",
            "false",
            Problem::Required,
        ));
    }
    let reachable = crate::lifecycle::Lifecycle::new(r).reachable();
    let mut seen = std::collections::HashSet::new();
    for (i, s) in r.steps.iter().enumerate() {
        let p = format!("steps[{i}]");
        if !r.steps.is_empty() && !reachable.contains(&&s.key) && r.steps.iter().any(|s| s.entry) {
            e.push(FieldError::new(
                format!("{p}.key"),
                s.key.as_str(),
                Problem::InvalidValue {
                    expected: "a step reachable from an entry step".into(),
                },
            ));
        }
        for (j, n) in s.next.iter().enumerate() {
            unknown(format!("{p}.next[{j}]"), n, &mut e);
        }
        for (name, delay) in [
            ("min_days_after", &s.min_days_after),
            ("max_days_after", &s.max_days_after),
        ] {
            if let Some(d) = delay {
                unknown(format!("{p}.{name}.step"), &d.step, &mut e);
            }
        }
        if !seen.insert(s.key.as_str()) {
            e.push(FieldError::new(
                format!("{p}.key"),
                s.key.as_str(),
                Problem::Duplicate,
            ));
        }
        s.name.validate(&format!("{p}.name"), NAME_MAX, &mut e);
        s.description
            .validate(&format!("{p}.description"), SUMMARY_MAX, &mut e);
        s.actor.validate(&format!("{p}.actor"), NAME_MAX, &mut e);
        opt_text(
            &s.legal_basis,
            &format!("{p}.legal_basis"),
            NAME_MAX,
            &mut e,
        );
    }
});

/// A dated fact in a relationship ("1989: first joint communiqué").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Milestone {
    pub date: PartialDate,
    pub text: Text,
}

fn milestones(ms: &[Milestone], e: &mut Vec<FieldError>) {
    for (i, m) in ms.iter().enumerate() {
        m.text
            .validate(&format!("milestones[{i}].text"), SUMMARY_MAX, e);
    }
}

/// A federated state or region the home state has relations with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Partner {
    pub slug: Slug,
    pub name: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub short_name: Option<Text>,
    pub kind: PartnerKind,
    pub country: CountryCode,
    /// ISO 3166-2 code; some partners (e.g. Belgian communities) have none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subdivision: Option<SubdivisionCode>,
    pub world_region: WorldRegion,
    /// False for governments met only inside groupings, without a bilateral relationship.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub bilateral: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<PartialDate>,
    /// When the relationship ended, if it did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<PartialDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<GeoPoint>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub domains: Vec<Slug>,
    pub summary: Text,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub milestones: Vec<Milestone>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<WebUrl>,
    /// Staff-only note (research notes, what remains to confirm): in the
    /// API's answers to staff tokens, the staff exports and the dataset;
    /// never in public answers, pages or the open-data files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub staff_note: Option<String>,
}
record_impl!(Partner, name, |r, e| {
    r.name.validate("name", NAME_MAX, &mut e);
    opt_text(&r.short_name, "short_name", NAME_MAX, &mut e);
    r.summary.validate("summary", SUMMARY_MAX, &mut e);
    if let Some(sub) = &r.subdivision
        && sub.country() != r.country.as_str()
    {
        e.push(FieldError::new(
            "subdivision",
            sub.as_str(),
            Problem::SubdivisionOutsideCountry {
                country: r.country.to_string(),
            },
        ));
    }
    if let Some(loc) = &r.location {
        loc.validate("location", &mut e);
    }
    date_order(r.since.as_ref(), "since", r.until.as_ref(), "until", &mut e);
    milestones(&r.milestones, &mut e);
});

/// An office of the home state abroad (general delegation, bureau, …).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Representation {
    pub slug: Slug,
    pub name: Text,
    pub kind: RepresentationKind,
    pub city: Text,
    pub country: CountryCode,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opened: Option<PartialDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed: Option<PartialDate>,
    /// The office this one reports to (an antenna to its delegation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reports_to: Option<Slug>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<GeoPoint>,
    /// Partners this office covers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub partners: Vec<Slug>,
    pub summary: Text,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub milestones: Vec<Milestone>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<WebUrl>,
    /// Staff-only note (research notes, what remains to confirm): in the
    /// API's answers to staff tokens, the staff exports and the dataset;
    /// never in public answers, pages or the open-data files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub staff_note: Option<String>,
}
record_impl!(Representation, name, |r, e| {
    r.name.validate("name", NAME_MAX, &mut e);
    date_order(
        r.opened.as_ref(),
        "opened",
        r.closed.as_ref(),
        "closed",
        &mut e,
    );
    r.city.validate("city", NAME_MAX, &mut e);
    r.summary.validate("summary", SUMMARY_MAX, &mut e);
    if let Some(loc) = &r.location {
        loc.validate("location", &mut e);
    }
    milestones(&r.milestones, &mut e);
});

/// A member of a grouping: a partner, or the home state itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Membership {
    /// A partner's slug, or the home state's slug.
    pub member: Slug,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<PartialDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<PartialDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Text>,
}

/// A grouping of federated states and regions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Grouping {
    pub slug: Slug,
    pub name: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acronym: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub founded: Option<PartialDate>,
    /// The home state's role ("founding member", "member", …).
    pub home_role: Text,
    /// Where the secretariat sits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secretariat: Option<Text>,
    pub members: Vec<Membership>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub domains: Vec<Slug>,
    pub summary: Text,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub milestones: Vec<Milestone>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website: Option<WebUrl>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<WebUrl>,
    /// Staff-only note (research notes, what remains to confirm): in the
    /// API's answers to staff tokens, the staff exports and the dataset;
    /// never in public answers, pages or the open-data files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub staff_note: Option<String>,
}
record_impl!(Grouping, name, |r, e| {
    r.name.validate("name", NAME_MAX, &mut e);
    opt_text(&r.acronym, "acronym", NAME_MAX, &mut e);
    r.home_role.validate("home_role", NAME_MAX, &mut e);
    opt_text(&r.secretariat, "secretariat", NAME_MAX, &mut e);
    r.summary.validate("summary", SUMMARY_MAX, &mut e);
    let mut seen = std::collections::HashSet::new();
    for (i, m) in r.members.iter().enumerate() {
        let p = format!("members[{i}]");
        if !seen.insert(m.member.as_str()) {
            e.push(FieldError::new(
                format!("{p}.member"),
                m.member.as_str(),
                Problem::Duplicate,
            ));
        }
        date_order(
            m.since.as_ref(),
            &format!("{p}.since"),
            m.until.as_ref(),
            &format!("{p}.until"),
            &mut e,
        );
        opt_text(&m.role, &format!("{p}.role"), NAME_MAX, &mut e);
    }
    milestones(&r.milestones, &mut e);
});

/// An international organization, governmental or not.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Organization {
    pub slug: Slug,
    pub name: Text,
    /// "OACI" / "ICAO".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acronym: Option<Text>,
    pub kind: OrganizationKind,
    pub participation: Participation,
    /// Headquarters, office or no presence in the home state.
    pub presence: Presence,
    /// The city of the headquarters or office in the home state
    /// ("Québec" / "Québec City").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<Text>,
    /// Listed in the home state by an older source, current existence not
    /// confirmed: kept in the registry, left out of live counts.
    #[serde(default, skip_serializing_if = "is_false")]
    pub historical: bool,
    /// The organization this one belongs to (an EU institution to the EU).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<Slug>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub founded: Option<PartialDate>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub domains: Vec<Slug>,
    pub summary: Text,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub milestones: Vec<Milestone>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website: Option<WebUrl>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<WebUrl>,
    /// Staff-only note (research notes, what remains to confirm): in the
    /// API's answers to staff tokens, the staff exports and the dataset;
    /// never in public answers, pages or the open-data files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub staff_note: Option<String>,
}
record_impl!(Organization, name, |r, e| {
    r.name.validate("name", NAME_MAX, &mut e);
    opt_text(&r.acronym, "acronym", NAME_MAX, &mut e);
    r.summary.validate("summary", SUMMARY_MAX, &mut e);
    match &r.city {
        Some(city) => city.validate("city", NAME_MAX, &mut e),
        None if r.presence != Presence::None => {
            e.push(FieldError::new("city.fr", "", Problem::Required))
        }
        None => {}
    }
    if r.parent.as_ref() == Some(&r.slug) {
        e.push(FieldError::new(
            "parent",
            r.slug.as_str(),
            Problem::InvalidValue {
                expected: "another organization".into(),
            },
        ));
    }
    milestones(&r.milestones, &mut e);
});

/// Who a party to an agreement (or an event's organizer) is: the home state,
/// a partner, an organization, a grouping, or a sovereign state by its ISO
/// code. Written as one string: `home`, `partner:vermont`,
/// `organization:unesco`, `grouping:regions-partenaires`, `country:CA`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PartyRef {
    Home,
    Partner(Slug),
    Organization(Slug),
    Grouping(Slug),
    Country(CountryCode),
}

impl PartyRef {
    pub fn parse(raw: &str) -> Result<PartyRef, Problem> {
        if raw == "home" {
            return Ok(PartyRef::Home);
        }
        let expected = || Problem::InvalidValue {
            expected: "home, partner:…, organization:…, grouping:…, country:…".into(),
        };
        let (prefix, rest) = raw.split_once(':').ok_or_else(expected)?;
        match prefix {
            "partner" => Ok(PartyRef::Partner(Slug::parse(rest)?)),
            "organization" => Ok(PartyRef::Organization(Slug::parse(rest)?)),
            "grouping" => Ok(PartyRef::Grouping(Slug::parse(rest)?)),
            "country" => Ok(PartyRef::Country(CountryCode::parse(rest)?)),
            _ => Err(expected()),
        }
    }
}

impl std::fmt::Display for PartyRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PartyRef::Home => f.write_str("home"),
            PartyRef::Partner(s) => write!(f, "partner:{s}"),
            PartyRef::Organization(s) => write!(f, "organization:{s}"),
            PartyRef::Grouping(s) => write!(f, "grouping:{s}"),
            PartyRef::Country(c) => write!(f, "country:{c}"),
        }
    }
}

impl Serialize for PartyRef {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PartyRef {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(d)?;
        PartyRef::parse(&raw).map_err(|p| match p {
            Problem::InvalidValue { expected } => {
                de::Error::custom(format!("expected one of {expected}, found `{raw}`"))
            }
            p => de::Error::custom(p.to_serde_message(&raw)),
        })
    }
}

/// A party's dated act on an instrument.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Act {
    pub act: ActKind,
    pub date: PartialDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Text>,
}

/// One party to an agreement, with its acts. The party is who is bound (a
/// sovereign state by its ISO code, a partner government, a municipality,
/// an organization); `body` is who acts for it in this agreement, as the
/// text names it (« Gouvernement de la République française », « Conseil
/// fédéral suisse », a ministry, an agency).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Party {
    pub party: PartyRef,
    /// The contracting body named by the agreement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_kind: Option<BodyKind>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub acts: Vec<Act>,
    /// Reservations and declarations, as text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reservations: Option<Text>,
}

/// A dated step of the agreement's procedure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// A step key of the agreement's procedure.
    pub step: Slug,
    /// None when the step is known to have happened but its date is not
    /// established; the note then says so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<PartialDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Text>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub documents: Vec<Slug>,
}

/// A step expected to come, with its due date.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlannedStep {
    pub step: Slug,
    pub due: PartialDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Text>,
}

/// An obligation an agreement places on the home state.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Commitment {
    pub kind: CommitmentKind,
    pub description: Text,
    /// The ministry or body responsible.
    pub responsible: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<PartialDate>,
    /// For recurring obligations (a joint committee every two years: 24).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub every_months: Option<u32>,
}

/// A link to another instrument ("protocol to", "replaces", …).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Relation {
    pub relation: RelationKind,
    pub agreement: Slug,
}

/// What a reader sees of an agreement: its title, how and when it was concluded.
impl Agreement {
    /// The title in `lang`; a descriptive title (one the register gave, the
    /// instrument having none) in square brackets, as treaty registers show it.
    pub fn display_title(&self, lang: Lang) -> String {
        let title = self.title.get(lang);
        if self.descriptive_title {
            format!("[{title}]")
        } else {
            title.to_string()
        }
    }

    /// How the text was concluded, and when: adopted by an organization (a
    /// convention), else signed. None when neither date is known.
    pub fn conclusion(&self) -> Option<(ActKind, PartialDate)> {
        match (&self.adopted, self.signed) {
            (Some(a), _) => Some((ActKind::Adoption, a.date)),
            (None, Some(d)) => Some((ActKind::Signature, d)),
            (None, None) => None,
        }
    }

    /// The date that places the agreement on a timeline: its conclusion,
    /// else its first instrument, provisional application or entry into force.
    pub fn timeline_date(&self) -> Option<PartialDate> {
        self.conclusion()
            .map(|(_, d)| d)
            .or_else(|| self.instruments.iter().filter_map(|i| i.date).min())
            .or(self.provisional_application)
            .or(self.in_force)
    }
}

/// An international agreement: the home state's own ententes and the
/// treaties its federal government concludes in the home state's fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Agreement {
    pub slug: Slug,
    /// The register's reference number ("2006-05", "2010-AC01").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    pub title: Text,
    /// The title is descriptive, given by the register because the
    /// instrument has none (an exchange of letters): shown in brackets.
    #[serde(default, skip_serializing_if = "is_false")]
    pub descriptive_title: bool,
    /// "AECG" / "CETA".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub short_title: Option<Text>,
    pub kind: AgreementKind,
    /// The procedure whose steps this agreement goes through.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub procedure: Option<Slug>,
    pub status: AgreementStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub international_status: Option<InternationalStatus>,
    /// An "important international commitment" in the sense of the law.
    #[serde(default, skip_serializing_if = "is_false")]
    pub important: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signed: Option<PartialDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signed_at: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_force: Option<PartialDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended: Option<PartialDate>,
    /// Adopted by an organization's organ rather than signed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adopted: Option<Box<Adoption>>,
    /// Applied provisionally from this date, before entry into force.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provisional_application: Option<PartialDate>,
    /// Term, expiry and renewal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub term: Option<Box<Term>>,
    /// The dated instruments it consists of (the letters of an exchange).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub instruments: Vec<Instrument>,
    /// Orders in council, regulations, acts and publications that implement it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub measures: Vec<Measure>,
    pub parties: Vec<Party>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub domains: Vec<Slug>,
    pub summary: Text,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<Step>,
    /// Steps expected next, with the date they are due.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub planned: Vec<PlannedStep>,
    /// What the agreement obliges the home state to do.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub commitments: Vec<Commitment>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<Relation>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub documents: Vec<Slug>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<WebUrl>,
    /// Staff-only note (research notes, what remains to confirm): in the
    /// API's answers to staff tokens, the staff exports and the dataset;
    /// never in public answers, pages or the open-data files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub staff_note: Option<String>,
}
record_impl!(Agreement, title, |r, e| {
    r.title.validate("title", NAME_MAX, &mut e);
    opt_text(&r.short_title, "short_title", NAME_MAX, &mut e);
    opt_text(&r.signed_at, "signed_at", NAME_MAX, &mut e);
    r.summary.validate("summary", SUMMARY_MAX, &mut e);
    if let Some(reference) = &r.reference
        && (reference.trim().is_empty() || reference.len() > 40)
    {
        e.push(FieldError::new(
            "reference",
            reference,
            Problem::TooLong { max: 40 },
        ));
    }
    if r.parties.is_empty() {
        e.push(FieldError::new("parties", "", Problem::Required));
    }
    super::instruments::instrument_errors(&r.instruments, &mut e);
    super::instruments::adoption_errors(&r.adopted, &mut e);
    super::instruments::term_errors(&r.term, &mut e);
    super::instruments::measure_errors(&r.measures, &mut e);
    date_order(
        r.provisional_application.as_ref(),
        "provisional_application",
        r.ended.as_ref(),
        "ended",
        &mut e,
    );
    date_order(
        r.signed.as_ref(),
        "signed",
        r.in_force.as_ref(),
        "in_force",
        &mut e,
    );
    date_order(
        r.signed.as_ref(),
        "signed",
        r.ended.as_ref(),
        "ended",
        &mut e,
    );
    date_order(
        r.in_force.as_ref(),
        "in_force",
        r.ended.as_ref(),
        "ended",
        &mut e,
    );
    let mut seen = std::collections::HashSet::new();
    for (i, p) in r.parties.iter().enumerate() {
        if !seen.insert(&p.party) {
            e.push(FieldError::new(
                format!("parties[{i}].party"),
                p.party.to_string(),
                Problem::Duplicate,
            ));
        }
        opt_text(&p.body, &format!("parties[{i}].body"), NAME_MAX, &mut e);
        opt_text(
            &p.reservations,
            &format!("parties[{i}].reservations"),
            SUMMARY_MAX,
            &mut e,
        );
        for (j, a) in p.acts.iter().enumerate() {
            opt_text(
                &a.note,
                &format!("parties[{i}].acts[{j}].note"),
                SUMMARY_MAX,
                &mut e,
            );
        }
    }
    // Dates never running backwards and the procedure's transitions are
    // checked against the procedure by `Registry::validate` (lifecycle.rs).
    for (i, s) in r.steps.iter().enumerate() {
        opt_text(&s.actor, &format!("steps[{i}].actor"), NAME_MAX, &mut e);
        opt_text(&s.note, &format!("steps[{i}].note"), SUMMARY_MAX, &mut e);
        if s.date.is_none() && s.note.is_none() {
            // An undated step must say why its date is not known.
            e.push(FieldError::new(
                format!("steps[{i}].note"),
                "",
                Problem::Required,
            ));
        }
    }
    for (i, p) in r.planned.iter().enumerate() {
        opt_text(&p.note, &format!("planned[{i}].note"), SUMMARY_MAX, &mut e);
    }
    for (i, c) in r.commitments.iter().enumerate() {
        c.description.validate(
            &format!("commitments[{i}].description"),
            SUMMARY_MAX,
            &mut e,
        );
        c.responsible
            .validate(&format!("commitments[{i}].responsible"), NAME_MAX, &mut e);
        if c.due.is_none() && c.every_months.is_none() {
            e.push(FieldError::new(
                format!("commitments[{i}].due"),
                "",
                Problem::Required,
            ));
        }
    }
    if !r.planned.is_empty() && r.procedure.is_none() {
        e.push(FieldError::new("procedure", "", Problem::Required));
    }
    if !r.steps.is_empty() && r.procedure.is_none() {
        e.push(FieldError::new("procedure", "", Problem::Required));
    }
    for (i, rel) in r.related.iter().enumerate() {
        if rel.agreement == r.slug {
            e.push(FieldError::new(
                format!("related[{i}].agreement"),
                rel.agreement.as_str(),
                Problem::InvalidValue {
                    expected: "another agreement".into(),
                },
            ));
        }
    }
});

/// A position the home state prepares on an agreement, an event or an
/// organization's meeting. Staff only unless published.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Position {
    pub slug: Slug,
    pub title: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agreement: Option<Slug>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<Slug>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<Slug>,
    pub status: PositionStatus,
    /// To whom the position is addressed (e.g. the federal government).
    pub recipient: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<PartialDate>,
    pub summary: Text,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub documents: Vec<Slug>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<WebUrl>,
    /// Staff-only note (research notes, what remains to confirm): in the
    /// API's answers to staff tokens, the staff exports and the dataset;
    /// never in public answers, pages or the open-data files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub staff_note: Option<String>,
}
record_impl!(Position, title, |r, e| {
    r.title.validate("title", NAME_MAX, &mut e);
    r.recipient.validate("recipient", NAME_MAX, &mut e);
    r.summary.validate("summary", SUMMARY_MAX, &mut e);
    if r.agreement.is_none() && r.event.is_none() && r.organization.is_none() {
        e.push(FieldError::new("agreement", "", Problem::Required));
    }
});

/// A summit, conference, forum, mission or meeting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Event {
    pub slug: Slug,
    pub title: Text,
    pub kind: EventKind,
    pub start: PartialDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<PartialDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<CountryCode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organizer: Option<PartyRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grouping: Option<Slug>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<Slug>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub partners: Vec<Slug>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub agreements: Vec<Slug>,
    /// Who represented the home state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delegation: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcomes: Option<Text>,
    pub summary: Text,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub domains: Vec<Slug>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub documents: Vec<Slug>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<WebUrl>,
    /// Staff-only note (research notes, what remains to confirm): in the
    /// API's answers to staff tokens, the staff exports and the dataset;
    /// never in public answers, pages or the open-data files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub staff_note: Option<String>,
}
record_impl!(Event, title, |r, e| {
    r.title.validate("title", NAME_MAX, &mut e);
    opt_text(&r.place, "place", NAME_MAX, &mut e);
    opt_text(&r.delegation, "delegation", SUMMARY_MAX, &mut e);
    opt_text(&r.outcomes, "outcomes", SUMMARY_MAX, &mut e);
    r.summary.validate("summary", SUMMARY_MAX, &mut e);
    date_order(Some(&r.start), "start", r.end.as_ref(), "end", &mut e);
});

/// A statement the home state made in an international forum.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Intervention {
    pub slug: Slug,
    /// The forum: an organization's slug.
    pub organization: Slug,
    pub meeting: Text,
    pub date: PartialDate,
    pub subject: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker: Option<Text>,
    /// Spoke to complement the federal position (the UNESCO agreement's mechanism).
    #[serde(default, skip_serializing_if = "is_false")]
    pub complements_federal_position: bool,
    pub summary: Text,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub documents: Vec<Slug>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<WebUrl>,
    /// Staff-only note (research notes, what remains to confirm): in the
    /// API's answers to staff tokens, the staff exports and the dataset;
    /// never in public answers, pages or the open-data files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub staff_note: Option<String>,
}
record_impl!(Intervention, subject, |r, e| {
    r.meeting.validate("meeting", NAME_MAX, &mut e);
    opt_text(&r.speaker, "speaker", NAME_MAX, &mut e);
    r.subject.validate("subject", NAME_MAX, &mut e);
    r.summary.validate("summary", SUMMARY_MAX, &mut e);
});

/// Media types a document may have.
pub const DOCUMENT_MEDIA_TYPES: &[(&str, &str)] = &[
    ("pdf", "application/pdf"),
    ("txt", "text/plain"),
    ("md", "text/markdown"),
    ("html", "text/html"),
    ("csv", "text/csv"),
    ("odt", "application/vnd.oasis.opendocument.text"),
    (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    ("png", "image/png"),
    ("jpg", "image/jpeg"),
    ("svg", "image/svg+xml"),
];

/// The media type that a file name's extension implies.
pub fn media_type_for(file_name: &str) -> Option<&'static str> {
    let ext = file_name.rsplit_once('.')?.1.to_ascii_lowercase();
    DOCUMENT_MEDIA_TYPES
        .iter()
        .find(|(e, _)| *e == ext)
        .map(|(_, m)| *m)
}

/// A file attached to records (an agreement's text, a summary, …).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Document {
    pub slug: Slug,
    pub title: Text,
    /// The file's name in the dataset's `files/` folder.
    pub file: String,
    /// Derived from the file; written by export, checked by import.
    #[serde(default)]
    pub media_type: String,
    #[serde(default)]
    pub size: u64,
    #[serde(default)]
    pub sha256: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<Lang>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<WebUrl>,
    /// Staff-only note (research notes, what remains to confirm): in the
    /// API's answers to staff tokens, the staff exports and the dataset;
    /// never in public answers, pages or the open-data files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub staff_note: Option<String>,
}
record_impl!(Document, title, |r, e| {
    r.title.validate("title", NAME_MAX, &mut e);
    opt_text(&r.summary, "summary", SUMMARY_MAX, &mut e);
    let name_ok = !r.file.is_empty()
        && !r.file.contains('/')
        && !r.file.contains('\\')
        && !r.file.starts_with('.');
    if !name_ok {
        e.push(FieldError::new(
            "file",
            &r.file,
            Problem::InvalidValue {
                expected: "a plain file name in files/".into(),
            },
        ));
    } else {
        match media_type_for(&r.file) {
            None => e.push(FieldError::new("file", &r.file, Problem::InvalidMediaType)),
            Some(m) if !r.media_type.is_empty() && r.media_type != m => e.push(FieldError::new(
                "media_type",
                &r.media_type,
                Problem::FileMismatch {
                    detail: format!("expected {m}"),
                },
            )),
            _ => {}
        }
    }
});

/// An editorial page: the hub page's texts, the UNESCO and EU sections, …
/// The body is Markdown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Page {
    pub slug: Slug,
    pub title: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<Text>,
    pub body: Text,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub documents: Vec<Slug>,
    /// Pages shown as sections of this one, in order (the hub page's).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sections: Vec<Slug>,
    /// Organizations the page features, linked from it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub organizations: Vec<Slug>,
    /// Agreements the page features, linked from it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub agreements: Vec<Slug>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<WebUrl>,
    /// Staff-only note (research notes, what remains to confirm): in the
    /// API's answers to staff tokens, the staff exports and the dataset;
    /// never in public answers, pages or the open-data files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub staff_note: Option<String>,
}
record_impl!(Page, title, |r, e| {
    r.title.validate("title", NAME_MAX, &mut e);
    opt_text(&r.summary, "summary", SUMMARY_MAX, &mut e);
    r.body.validate("body", BODY_MAX, &mut e);
});

/// A post someone holds over a period (head of an office, delegate, counterpart).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Post {
    pub title: Text,
    /// Where the post is held: a partner, an organization, a grouping, the
    /// home state or a country.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub within: Option<PartyRef>,
    /// An office of the home state abroad, for its heads and staff.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub representation: Option<Slug>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<PartialDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<PartialDate>,
}

/// Someone the relations involve. Staff only.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    pub slug: Slug,
    /// A proper name: `fr` holds it, `en` only where it is written differently.
    pub name: Text,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub posts: Vec<Post>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Text>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<WebUrl>,
    /// Staff-only note (research notes, what remains to confirm): in the
    /// API's answers to staff tokens, the staff exports and the dataset;
    /// never in public answers, pages or the open-data files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub staff_note: Option<String>,
}
record_impl!(Person, name, |r, e| {
    r.name.validate("name", NAME_MAX, &mut e);
    opt_text(&r.note, "note", SUMMARY_MAX, &mut e);
    for (i, p) in r.posts.iter().enumerate() {
        p.title
            .validate(&format!("posts[{i}].title"), NAME_MAX, &mut e);
        date_order(
            p.since.as_ref(),
            &format!("posts[{i}].since"),
            p.until.as_ref(),
            &format!("posts[{i}].until"),
            &mut e,
        );
    }
});

/// Someone taking part in an activity, and in what role.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Participant {
    pub person: Slug,
    pub role: Text,
}

/// A mission, meeting, visit, call or conference that desk officers prepare
/// and follow. Confidential: staff only, except its public summary.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Activity {
    pub slug: Slug,
    pub title: Text,
    pub kind: ActivityKind,
    pub status: ActivityStatus,
    pub start: PartialDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<PartialDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<CountryCode>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub partners: Vec<Slug>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub organizations: Vec<Slug>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub participants: Vec<Participant>,
    pub subject: Text,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub domains: Vec<Slug>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcomes: Option<Text>,
    /// The only part the public may see, on the partners' pages, once set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_summary: Option<Text>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub documents: Vec<Slug>,
    /// Staff-only note (research notes, what remains to confirm): in the
    /// API's answers to staff tokens, the staff exports and the dataset;
    /// never in public answers, pages or the open-data files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub staff_note: Option<String>,
}
record_impl!(Activity, title, |r, e| {
    r.title.validate("title", NAME_MAX, &mut e);
    r.subject.validate("subject", SUMMARY_MAX, &mut e);
    opt_text(&r.place, "place", NAME_MAX, &mut e);
    opt_text(&r.outcomes, "outcomes", SUMMARY_MAX, &mut e);
    opt_text(&r.public_summary, "public_summary", SUMMARY_MAX, &mut e);
    date_order(Some(&r.start), "start", r.end.as_ref(), "end", &mut e);
    for (i, p) in r.participants.iter().enumerate() {
        p.role
            .validate(&format!("participants[{i}].role"), NAME_MAX, &mut e);
    }
});

/// A task born from an activity or an agreement's commitment. Staff only.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FollowUp {
    pub slug: Slug,
    pub title: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activity: Option<Slug>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agreement: Option<Slug>,
    /// The staff member in charge (the e-mail of their account).
    pub owner: String,
    pub due: PartialDate,
    pub state: FollowUpState,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Text>,
    /// Staff-only note (research notes, what remains to confirm): in the
    /// API's answers to staff tokens, the staff exports and the dataset;
    /// never in public answers, pages or the open-data files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub staff_note: Option<String>,
}

impl FollowUp {
    /// Not done or cancelled, and due before `today`.
    pub fn is_overdue(&self, today: time::Date) -> bool {
        matches!(self.state, FollowUpState::Open | FollowUpState::InProgress)
            && self.due.latest() < today
    }
}

record_impl!(FollowUp, title, |r, e| {
    r.title.validate("title", NAME_MAX, &mut e);
    opt_text(&r.note, "note", SUMMARY_MAX, &mut e);
    if r.owner.trim().is_empty() || !r.owner.contains('@') {
        e.push(FieldError::new(
            "owner",
            &r.owner,
            Problem::InvalidValue {
                expected: "an e-mail address".into(),
            },
        ));
    }
    if r.activity.is_none() && r.agreement.is_none() {
        e.push(FieldError::new("activity", "", Problem::Required));
    }
});
