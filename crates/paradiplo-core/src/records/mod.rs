//! The records of the registry. Every record has a slug (its identifier in
//! URLs and references), bilingual texts, and validates itself.

mod instruments;
mod kinds;
mod vocab;

pub use instruments::*;
pub use kinds::*;
pub use vocab::*;

use crate::error::FieldError;
use crate::values::{Slug, Text};
use serde::{Serialize, de::DeserializeOwned};

/// The collections of the registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RecordKind {
    Home,
    Domain,
    Procedure,
    Partner,
    Representation,
    Grouping,
    Organization,
    Agreement,
    Position,
    Event,
    Intervention,
    Document,
    Page,
    Person,
    Activity,
    FollowUp,
}

impl RecordKind {
    /// Every kind, in dependency order (the order of [`KINDS`]): a kind only
    /// refers to kinds before it or to documents, which have no references of
    /// their own.
    pub const ALL: [RecordKind; KINDS.len()] = {
        let mut all = [RecordKind::Home; KINDS.len()];
        let mut i = 0;
        while i < KINDS.len() {
            all[i] = KINDS[i].kind;
            i += 1;
        }
        all
    };

    /// Kinds that never reach the public: not through pages, the API,
    /// search, feeds or exports (an activity's public summary is published
    /// on its own, see `views::public_activities`).
    pub const CONFIDENTIAL: [RecordKind; 3] = [
        RecordKind::Person,
        RecordKind::Activity,
        RecordKind::FollowUp,
    ];

    pub fn is_confidential(self) -> bool {
        self.info().confidential
    }

    /// This kind's row of [`KINDS`].
    pub fn info(self) -> &'static KindInfo {
        let table: &'static [KindInfo] = &KINDS;
        table
            .iter()
            .find(|row| row.kind == self)
            .expect("every kind has a row in KINDS (checked by a test)")
    }

    /// The singular name used in storage, references and dataset tables.
    pub fn as_str(self) -> &'static str {
        self.info().name
    }

    /// The plural name, used for dataset file names and API collections.
    pub fn plural(self) -> &'static str {
        self.info().plural
    }

    pub fn parse(raw: &str) -> Option<RecordKind> {
        RecordKind::ALL.into_iter().find(|k| k.as_str() == raw)
    }

    /// The collection's name for readers.
    pub fn label(self, lang: crate::Lang) -> &'static str {
        match lang {
            crate::Lang::Fr => self.info().label_fr,
            crate::Lang::En => self.info().label_en,
        }
    }
}

/// The table of record kinds, in dependency order: what the system knows of
/// each kind, in one place. A kind added to [`RecordKind`] needs its row here
/// (a test checks every declared kind has one).
pub const KINDS: [KindInfo; 16] = [
    KindInfo {
        kind: RecordKind::Home,
        name: "home",
        plural: "home",
        label_fr: "État d’attache",
        label_en: "Home state",
        confidential: false,
    },
    KindInfo {
        kind: RecordKind::Domain,
        name: "domain",
        plural: "domains",
        label_fr: "Domaines de coopération",
        label_en: "Domains of cooperation",
        confidential: false,
    },
    KindInfo {
        kind: RecordKind::Procedure,
        name: "procedure",
        plural: "procedures",
        label_fr: "Procédures",
        label_en: "Procedures",
        confidential: false,
    },
    KindInfo {
        kind: RecordKind::Document,
        name: "document",
        plural: "documents",
        label_fr: "Documents",
        label_en: "Documents",
        confidential: false,
    },
    KindInfo {
        kind: RecordKind::Partner,
        name: "partner",
        plural: "partners",
        label_fr: "Partenaires",
        label_en: "Partners",
        confidential: false,
    },
    KindInfo {
        kind: RecordKind::Representation,
        name: "representation",
        plural: "representations",
        label_fr: "Représentations à l’étranger",
        label_en: "Representations abroad",
        confidential: false,
    },
    KindInfo {
        kind: RecordKind::Grouping,
        name: "grouping",
        plural: "groupings",
        label_fr: "Regroupements",
        label_en: "Groupings",
        confidential: false,
    },
    KindInfo {
        kind: RecordKind::Organization,
        name: "organization",
        plural: "organizations",
        label_fr: "Organisations internationales",
        label_en: "International organizations",
        confidential: false,
    },
    KindInfo {
        kind: RecordKind::Agreement,
        name: "agreement",
        plural: "agreements",
        label_fr: "Ententes et traités",
        label_en: "Agreements and treaties",
        confidential: false,
    },
    KindInfo {
        kind: RecordKind::Event,
        name: "event",
        plural: "events",
        label_fr: "Événements",
        label_en: "Events",
        confidential: false,
    },
    KindInfo {
        kind: RecordKind::Position,
        name: "position",
        plural: "positions",
        label_fr: "Positions",
        label_en: "Positions",
        confidential: false,
    },
    KindInfo {
        kind: RecordKind::Intervention,
        name: "intervention",
        plural: "interventions",
        label_fr: "Interventions",
        label_en: "Interventions",
        confidential: false,
    },
    KindInfo {
        kind: RecordKind::Page,
        name: "page",
        plural: "pages",
        label_fr: "Pages éditoriales",
        label_en: "Editorial pages",
        confidential: false,
    },
    KindInfo {
        kind: RecordKind::Person,
        name: "person",
        plural: "people",
        label_fr: "Personnes",
        label_en: "People",
        confidential: true,
    },
    KindInfo {
        kind: RecordKind::Activity,
        name: "activity",
        plural: "activities",
        label_fr: "Activités",
        label_en: "Activities",
        confidential: true,
    },
    KindInfo {
        kind: RecordKind::FollowUp,
        name: "follow_up",
        plural: "follow_ups",
        label_fr: "Suivis",
        label_en: "Follow-ups",
        confidential: true,
    },
];

/// One row of the table of record kinds.
#[derive(Debug)]
pub struct KindInfo {
    pub kind: RecordKind,
    /// Singular: storage, references, dataset tables (`follow_up`).
    pub name: &'static str,
    /// Plural: dataset file names and API collections (`follow_ups`).
    pub plural: &'static str,
    pub label_fr: &'static str,
    pub label_en: &'static str,
    /// Never reaches the public: not through pages, the API, search, feeds
    /// or exports.
    pub confidential: bool,
}

impl std::fmt::Display for RecordKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What every record type offers to storage and to the dataset format.
pub trait Record: Serialize + DeserializeOwned + Clone + std::fmt::Debug + PartialEq {
    const KIND: RecordKind;
    fn slug(&self) -> &Slug;
    /// The name a reader sees for this record.
    fn title(&self) -> &Text;
    /// Checks the record on its own (cross-record references are checked by
    /// [`crate::Registry`]). Returns every problem found, not only the first.
    fn validate(&self) -> Vec<FieldError>;
    /// The staff-only note: never part of what the public reads.
    fn staff_note(&self) -> Option<&str>;
    fn staff_note_mut(&mut self) -> &mut Option<String>;
    fn wrap(self) -> AnyRecord;
    /// The record inside `any`, if it is of this type.
    fn unwrap_ref(any: &AnyRecord) -> Option<&Self>;
}

macro_rules! any_record {
    ($($variant:ident),* $(,)?) => {
        /// A record of any kind.
        #[derive(Debug, Clone, PartialEq)]
        pub enum AnyRecord {
            $($variant($variant),)*
        }

        impl AnyRecord {
            pub fn kind(&self) -> RecordKind {
                match self { $(AnyRecord::$variant(_) => RecordKind::$variant,)* }
            }
            pub fn slug(&self) -> &Slug {
                match self { $(AnyRecord::$variant(r) => r.slug(),)* }
            }
            pub fn title(&self) -> &Text {
                match self { $(AnyRecord::$variant(r) => r.title(),)* }
            }
            pub fn validate(&self) -> Vec<FieldError> {
                match self { $(AnyRecord::$variant(r) => r.validate(),)* }
            }
            /// The staff-only note, if any (see [`AnyRecord::for_public`]).
            pub fn staff_note(&self) -> Option<&str> {
                match self { $(AnyRecord::$variant(r) => r.staff_note(),)* }
            }
            pub fn staff_note_mut(&mut self) -> &mut Option<String> {
                match self { $(AnyRecord::$variant(r) => r.staff_note_mut(),)* }
            }
            /// The record as the public may read it: without its staff note.
            pub fn for_public(mut self) -> AnyRecord {
                *self.staff_note_mut() = None;
                self
            }
            /// The record as JSON, the form in which it is stored.
            pub fn to_json(&self) -> serde_json::Value {
                match self {
                    $(AnyRecord::$variant(r) => serde_json::to_value(r).expect("records serialize"),)*
                }
            }
            /// Reads a stored record back.
            pub fn from_json(kind: RecordKind, value: serde_json::Value) -> Result<AnyRecord, serde_json::Error> {
                AnyRecord::deserialize_kind(kind, value)
            }
            /// Deserializes a record of `kind` from any serde format.
            pub fn deserialize_kind<'de, D: serde::Deserializer<'de>>(kind: RecordKind, d: D) -> Result<AnyRecord, D::Error> {
                Ok(match kind {
                    $(RecordKind::$variant => AnyRecord::$variant(<$variant as serde::Deserialize>::deserialize(d)?),)*
                })
            }
        }

        $(
            impl From<$variant> for AnyRecord {
                fn from(r: $variant) -> AnyRecord { AnyRecord::$variant(r) }
            }
        )*
    };
}

any_record!(
    Home,
    Domain,
    Procedure,
    Partner,
    Representation,
    Grouping,
    Organization,
    Agreement,
    Position,
    Event,
    Intervention,
    Document,
    Page,
    Person,
    Activity,
    FollowUp,
);

#[cfg(test)]
mod kind_table_tests {
    use super::*;

    #[test]
    fn every_kind_is_listed_once_and_described() {
        let mut seen = std::collections::BTreeSet::new();
        for kind in RecordKind::ALL {
            assert!(seen.insert(kind), "{kind:?} twice in KINDS");
            assert_eq!(kind.info().kind, kind);
            assert_eq!(RecordKind::parse(kind.as_str()), Some(kind));
            assert!(!kind.info().label_fr.is_empty() && !kind.info().label_en.is_empty());
            assert_eq!(
                kind.is_confidential(),
                RecordKind::CONFIDENTIAL.contains(&kind)
            );
        }
        // The declared variants, without the table: the match below stops
        // compiling when a kind is added, until it is counted here too (and
        // the count fails until the kind has its row in KINDS).
        let declared = |k: RecordKind| match k {
            RecordKind::Home
            | RecordKind::Domain
            | RecordKind::Procedure
            | RecordKind::Partner
            | RecordKind::Representation
            | RecordKind::Grouping
            | RecordKind::Organization
            | RecordKind::Agreement
            | RecordKind::Position
            | RecordKind::Event
            | RecordKind::Intervention
            | RecordKind::Document
            | RecordKind::Page
            | RecordKind::Person
            | RecordKind::Activity
            | RecordKind::FollowUp => 16,
        };
        assert_eq!(RecordKind::ALL.len(), declared(RecordKind::Home));
        let plurals: std::collections::BTreeSet<&str> =
            RecordKind::ALL.iter().map(|k| k.plural()).collect();
        assert_eq!(
            plurals.len(),
            RecordKind::ALL.len(),
            "plural names are unique"
        );
    }
}
