//! The records of the registry. Every record has a slug (its identifier in
//! URLs and references), bilingual texts, and validates itself.

mod kinds;
mod vocab;

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
    /// Every kind, in dependency order: a kind only refers to kinds before it
    /// or to documents, which have no references of their own.
    pub const ALL: [RecordKind; 16] = [
        RecordKind::Home,
        RecordKind::Domain,
        RecordKind::Procedure,
        RecordKind::Document,
        RecordKind::Partner,
        RecordKind::Representation,
        RecordKind::Grouping,
        RecordKind::Organization,
        RecordKind::Agreement,
        RecordKind::Event,
        RecordKind::Position,
        RecordKind::Intervention,
        RecordKind::Page,
        RecordKind::Person,
        RecordKind::Activity,
        RecordKind::FollowUp,
    ];

    /// Kinds that never reach the public: not through pages, the API,
    /// search, feeds or exports (an activity's public summary is published
    /// on its own, see `views::public_activities`).
    pub const CONFIDENTIAL: [RecordKind; 3] = [
        RecordKind::Person,
        RecordKind::Activity,
        RecordKind::FollowUp,
    ];

    pub fn is_confidential(self) -> bool {
        Self::CONFIDENTIAL.contains(&self)
    }

    /// The singular name used in storage, references and dataset tables.
    pub fn as_str(self) -> &'static str {
        match self {
            RecordKind::Home => "home",
            RecordKind::Domain => "domain",
            RecordKind::Procedure => "procedure",
            RecordKind::Partner => "partner",
            RecordKind::Representation => "representation",
            RecordKind::Grouping => "grouping",
            RecordKind::Organization => "organization",
            RecordKind::Agreement => "agreement",
            RecordKind::Position => "position",
            RecordKind::Event => "event",
            RecordKind::Intervention => "intervention",
            RecordKind::Person => "person",
            RecordKind::Activity => "activity",
            RecordKind::FollowUp => "follow_up",
            RecordKind::Document => "document",
            RecordKind::Page => "page",
        }
    }

    /// The plural name, used for dataset file names and API collections.
    pub fn plural(self) -> &'static str {
        match self {
            RecordKind::Home => "home",
            RecordKind::Domain => "domains",
            RecordKind::Procedure => "procedures",
            RecordKind::Partner => "partners",
            RecordKind::Representation => "representations",
            RecordKind::Grouping => "groupings",
            RecordKind::Organization => "organizations",
            RecordKind::Agreement => "agreements",
            RecordKind::Position => "positions",
            RecordKind::Event => "events",
            RecordKind::Intervention => "interventions",
            RecordKind::Person => "people",
            RecordKind::Activity => "activities",
            RecordKind::FollowUp => "follow_ups",
            RecordKind::Document => "documents",
            RecordKind::Page => "pages",
        }
    }

    pub fn parse(raw: &str) -> Option<RecordKind> {
        RecordKind::ALL.into_iter().find(|k| k.as_str() == raw)
    }

    /// The collection's name for readers.
    pub fn label(self, lang: crate::Lang) -> &'static str {
        use crate::Lang::*;
        match (self, lang) {
            (RecordKind::Home, Fr) => "État d’attache",
            (RecordKind::Home, En) => "Home state",
            (RecordKind::Domain, Fr) => "Domaines de coopération",
            (RecordKind::Domain, En) => "Domains of cooperation",
            (RecordKind::Procedure, Fr) => "Procédures",
            (RecordKind::Procedure, En) => "Procedures",
            (RecordKind::Partner, Fr) => "Partenaires",
            (RecordKind::Partner, En) => "Partners",
            (RecordKind::Representation, Fr) => "Représentations à l’étranger",
            (RecordKind::Representation, En) => "Representations abroad",
            (RecordKind::Grouping, Fr) => "Regroupements",
            (RecordKind::Grouping, En) => "Groupings",
            (RecordKind::Organization, Fr) => "Organisations internationales",
            (RecordKind::Organization, En) => "International organizations",
            (RecordKind::Agreement, Fr) => "Ententes et traités",
            (RecordKind::Agreement, En) => "Agreements and treaties",
            (RecordKind::Position, Fr) => "Positions",
            (RecordKind::Position, En) => "Positions",
            (RecordKind::Event, Fr) => "Événements",
            (RecordKind::Event, En) => "Events",
            (RecordKind::Intervention, Fr) => "Interventions",
            (RecordKind::Intervention, En) => "Interventions",
            (RecordKind::Person, Fr) => "Personnes",
            (RecordKind::Person, En) => "People",
            (RecordKind::Activity, Fr) => "Activités",
            (RecordKind::Activity, En) => "Activities",
            (RecordKind::FollowUp, Fr) => "Suivis",
            (RecordKind::FollowUp, En) => "Follow-ups",
            (RecordKind::Document, Fr) => "Documents",
            (RecordKind::Document, En) => "Documents",
            (RecordKind::Page, Fr) => "Pages éditoriales",
            (RecordKind::Page, En) => "Editorial pages",
        }
    }
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
