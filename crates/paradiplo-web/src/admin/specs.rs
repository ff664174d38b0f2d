//! What the edit form of each kind of record holds: one line per field of
//! the record types in `paradiplo_core::records`, with its input type. The
//! generic renderer and parser of `form.rs` do the rest.

use paradiplo_core::records::*;
use paradiplo_core::{Lang, RecordKind};

/// The options of a closed vocabulary: key and label.
pub type Options = fn(Lang) -> Vec<(&'static str, &'static str)>;

macro_rules! opts {
    ($v:ident) => {
        (|lang: Lang| {
            $v::ALL
                .iter()
                .map(|v| (v.as_str(), v.label(lang)))
                .collect()
        }) as Options
    };
}

fn langs(lang: Lang) -> Vec<(&'static str, &'static str)> {
    let _ = lang;
    vec![("fr", "Français"), ("en", "English")]
}

/// How a field is typed in.
#[derive(Clone, Copy)]
pub enum Ty {
    /// The record's identifier: typed at creation, fixed afterwards.
    Slug,
    /// Bilingual text, French and English side by side.
    Text {
        long: bool,
        optional: bool,
    },
    Str {
        optional: bool,
    },
    Bool,
    Date {
        optional: bool,
    },
    Select {
        options: Options,
        optional: bool,
    },
    /// A reference to one record of a kind.
    Ref {
        kind: RecordKind,
        optional: bool,
    },
    /// A grouping member: a partner or the home state.
    Member,
    RefList(RecordKind),
    Country {
        optional: bool,
    },
    Subdivision {
        optional: bool,
    },
    Geo,
    Url,
    UrlList,
    /// A whole number (`every_months`).
    Int {
        optional: bool,
    },
    /// Keys of a procedure's steps, one per line (`next`).
    KeyList,
    /// A delay after another step: `{ step, days }` (procedure steps).
    Delay,
    /// `home`, `partner:…`, `organization:…`, `grouping:…`, `country:XX`.
    Party {
        optional: bool,
    },
    /// The document's file (upload).
    File,
    /// The staff-only note: plain text over several lines, never published.
    Note,
    /// Rows of nested fields (milestones, members, parties, steps, …).
    List(&'static [Field]),
}

#[derive(Clone, Copy)]
pub struct Field {
    pub name: &'static str,
    pub ty: Ty,
}

const fn f(name: &'static str, ty: Ty) -> Field {
    Field { name, ty }
}

const NAME: Field = f(
    "name",
    Ty::Text {
        long: false,
        optional: false,
    },
);
const TITLE: Field = f(
    "title",
    Ty::Text {
        long: false,
        optional: false,
    },
);
const SUMMARY: Field = f(
    "summary",
    Ty::Text {
        long: true,
        optional: false,
    },
);
const OPT_SUMMARY: Field = f(
    "summary",
    Ty::Text {
        long: true,
        optional: true,
    },
);
const SOURCES: Field = f("sources", Ty::UrlList);
/// Last field of every kind's form: every record kind carries one.
const STAFF_NOTE: Field = f("staff_note", Ty::Note);
const DOMAINS: Field = f("domains", Ty::RefList(RecordKind::Domain));
const DOCUMENTS: Field = f("documents", Ty::RefList(RecordKind::Document));
const LOCATION: Field = f("location", Ty::Geo);
const WEBSITE: Field = f("website", Ty::Url);
const fn opt_text(name: &'static str) -> Field {
    f(
        name,
        Ty::Text {
            long: false,
            optional: true,
        },
    )
}
const fn opt_long(name: &'static str) -> Field {
    f(
        name,
        Ty::Text {
            long: true,
            optional: true,
        },
    )
}
const fn text(name: &'static str) -> Field {
    f(
        name,
        Ty::Text {
            long: false,
            optional: false,
        },
    )
}
const fn date(name: &'static str, optional: bool) -> Field {
    f(name, Ty::Date { optional })
}
const fn reference(name: &'static str, kind: RecordKind, optional: bool) -> Field {
    f(name, Ty::Ref { kind, optional })
}

const MILESTONE: &[Field] = &[
    date("date", false),
    f(
        "text",
        Ty::Text {
            long: true,
            optional: false,
        },
    ),
];
const MILESTONES: Field = f("milestones", Ty::List(MILESTONE));

const HOME: &[Field] = &[
    f("slug", Ty::Slug),
    NAME,
    f("country", Ty::Country { optional: false }),
    f("subdivision", Ty::Subdivision { optional: false }),
    text("government"),
    text("ministry"),
    SUMMARY,
    f("places", Ty::List(PLACE)),
    STAFF_NOTE,
];

/// A place's words, separated by spaces, French then English.
const PLACE: &[Field] = &[
    f("fr", Ty::Str { optional: false }),
    f("en", Ty::Str { optional: true }),
];

const DOMAIN: &[Field] = &[
    f("slug", Ty::Slug),
    NAME,
    opt_long("description"),
    STAFF_NOTE,
];

const PROCEDURE_STEP: &[Field] = &[
    f("key", Ty::Slug),
    NAME,
    f(
        "description",
        Ty::Text {
            long: true,
            optional: false,
        },
    ),
    text("actor"),
    opt_text("legal_basis"),
    f("optional", Ty::Bool),
    f("entry", Ty::Bool),
    f("next", Ty::KeyList),
    f("min_days_after", Ty::Delay),
    f("max_days_after", Ty::Delay),
    f("binds_home", Ty::Bool),
    f("approves_home", Ty::Bool),
];
const PROCEDURE: &[Field] = &[
    f("slug", Ty::Slug),
    NAME,
    SUMMARY,
    opt_text("legal_basis"),
    f("steps", Ty::List(PROCEDURE_STEP)),
    SOURCES,
    STAFF_NOTE,
];

const PARTNER: &[Field] = &[
    f("slug", Ty::Slug),
    NAME,
    opt_text("short_name"),
    f(
        "kind",
        Ty::Select {
            options: opts!(PartnerKind),
            optional: false,
        },
    ),
    f("country", Ty::Country { optional: false }),
    f("subdivision", Ty::Subdivision { optional: true }),
    f(
        "world_region",
        Ty::Select {
            options: opts!(WorldRegion),
            optional: false,
        },
    ),
    f("bilateral", Ty::Bool),
    date("since", true),
    date("until", true),
    LOCATION,
    DOMAINS,
    SUMMARY,
    MILESTONES,
    SOURCES,
    STAFF_NOTE,
];

const REPRESENTATION: &[Field] = &[
    f("slug", Ty::Slug),
    NAME,
    f(
        "kind",
        Ty::Select {
            options: opts!(RepresentationKind),
            optional: false,
        },
    ),
    text("city"),
    f("country", Ty::Country { optional: false }),
    date("opened", true),
    date("closed", true),
    reference("reports_to", RecordKind::Representation, true),
    LOCATION,
    f("partners", Ty::RefList(RecordKind::Partner)),
    SUMMARY,
    MILESTONES,
    SOURCES,
    STAFF_NOTE,
];

const MEMBER: &[Field] = &[
    f("member", Ty::Member),
    date("since", true),
    date("until", true),
    opt_text("role"),
];
const GROUPING: &[Field] = &[
    f("slug", Ty::Slug),
    NAME,
    opt_text("acronym"),
    date("founded", true),
    text("home_role"),
    opt_text("secretariat"),
    f("members", Ty::List(MEMBER)),
    DOMAINS,
    SUMMARY,
    MILESTONES,
    WEBSITE,
    SOURCES,
    STAFF_NOTE,
];

const ORGANIZATION: &[Field] = &[
    f("slug", Ty::Slug),
    NAME,
    opt_text("acronym"),
    f(
        "kind",
        Ty::Select {
            options: opts!(OrganizationKind),
            optional: false,
        },
    ),
    f(
        "participation",
        Ty::Select {
            options: opts!(Participation),
            optional: false,
        },
    ),
    f(
        "presence",
        Ty::Select {
            options: opts!(Presence),
            optional: false,
        },
    ),
    opt_text("city"),
    f("historical", Ty::Bool),
    reference("parent", RecordKind::Organization, true),
    date("founded", true),
    DOMAINS,
    SUMMARY,
    MILESTONES,
    WEBSITE,
    SOURCES,
    STAFF_NOTE,
];

const ACT: &[Field] = &[
    f(
        "act",
        Ty::Select {
            options: opts!(ActKind),
            optional: false,
        },
    ),
    date("date", false),
    opt_text("note"),
];
const PARTY: &[Field] = &[
    f("party", Ty::Party { optional: false }),
    f("acts", Ty::List(ACT)),
    opt_long("reservations"),
];
/// One dated instrument of an agreement (a letter of an exchange, an annex).
const INSTRUMENT: &[Field] = &[
    f(
        "kind",
        Ty::Select {
            options: opts!(InstrumentKind),
            optional: false,
        },
    ),
    date("date", true),
    f("sender", Ty::Party { optional: true }),
    opt_text("signatory"),
    f("addressee", Ty::Party { optional: true }),
    opt_text("place"),
    opt_text("note"),
    DOCUMENTS,
];
/// An implementing measure (order in council, regulation, publication).
const MEASURE: &[Field] = &[
    f(
        "kind",
        Ty::Select {
            options: opts!(MeasureKind),
            optional: false,
        },
    ),
    f("number", Ty::Str { optional: true }),
    date("date", true),
    opt_text("citation"),
    f("url", Ty::Url),
];
const STEP: &[Field] = &[
    f("step", Ty::Str { optional: false }),
    date("date", true),
    opt_text("actor"),
    opt_text("note"),
    DOCUMENTS,
];
const RELATION: &[Field] = &[
    f(
        "relation",
        Ty::Select {
            options: opts!(RelationKind),
            optional: false,
        },
    ),
    reference("agreement", RecordKind::Agreement, false),
];
const PLANNED: &[Field] = &[
    f("step", Ty::Str { optional: false }),
    date("due", false),
    opt_text("note"),
];
const COMMITMENT: &[Field] = &[
    f(
        "kind",
        Ty::Select {
            options: opts!(CommitmentKind),
            optional: false,
        },
    ),
    f(
        "description",
        Ty::Text {
            long: true,
            optional: false,
        },
    ),
    text("responsible"),
    date("due", true),
    f("every_months", Ty::Int { optional: true }),
];
const AGREEMENT: &[Field] = &[
    f("slug", Ty::Slug),
    f("reference", Ty::Str { optional: true }),
    TITLE,
    f("descriptive_title", Ty::Bool),
    opt_text("short_title"),
    f(
        "kind",
        Ty::Select {
            options: opts!(AgreementKind),
            optional: false,
        },
    ),
    reference("procedure", RecordKind::Procedure, true),
    f(
        "status",
        Ty::Select {
            options: opts!(AgreementStatus),
            optional: false,
        },
    ),
    f(
        "international_status",
        Ty::Select {
            options: opts!(InternationalStatus),
            optional: true,
        },
    ),
    f("important", Ty::Bool),
    date("signed", true),
    opt_text("signed_at"),
    date("in_force", true),
    date("provisional_application", true),
    date("ended", true),
    f("parties", Ty::List(PARTY)),
    f("instruments", Ty::List(INSTRUMENT)),
    f("measures", Ty::List(MEASURE)),
    DOMAINS,
    SUMMARY,
    f("steps", Ty::List(STEP)),
    f("planned", Ty::List(PLANNED)),
    f("commitments", Ty::List(COMMITMENT)),
    f("related", Ty::List(RELATION)),
    DOCUMENTS,
    SOURCES,
    STAFF_NOTE,
];

const POSITION: &[Field] = &[
    f("slug", Ty::Slug),
    TITLE,
    reference("agreement", RecordKind::Agreement, true),
    reference("event", RecordKind::Event, true),
    reference("organization", RecordKind::Organization, true),
    f(
        "status",
        Ty::Select {
            options: opts!(PositionStatus),
            optional: false,
        },
    ),
    text("recipient"),
    date("date", true),
    SUMMARY,
    DOCUMENTS,
    SOURCES,
    STAFF_NOTE,
];

const EVENT: &[Field] = &[
    f("slug", Ty::Slug),
    TITLE,
    f(
        "kind",
        Ty::Select {
            options: opts!(EventKind),
            optional: false,
        },
    ),
    date("start", false),
    date("end", true),
    opt_text("place"),
    f("country", Ty::Country { optional: true }),
    f("organizer", Ty::Party { optional: true }),
    reference("grouping", RecordKind::Grouping, true),
    reference("organization", RecordKind::Organization, true),
    f("partners", Ty::RefList(RecordKind::Partner)),
    f("agreements", Ty::RefList(RecordKind::Agreement)),
    opt_long("delegation"),
    opt_long("outcomes"),
    SUMMARY,
    DOMAINS,
    DOCUMENTS,
    SOURCES,
    STAFF_NOTE,
];

const INTERVENTION: &[Field] = &[
    f("slug", Ty::Slug),
    reference("organization", RecordKind::Organization, false),
    text("meeting"),
    date("date", false),
    text("subject"),
    opt_text("speaker"),
    f("complements_federal_position", Ty::Bool),
    SUMMARY,
    DOCUMENTS,
    SOURCES,
    STAFF_NOTE,
];

const DOCUMENT: &[Field] = &[
    f("slug", Ty::Slug),
    TITLE,
    f("file", Ty::File),
    f(
        "lang",
        Ty::Select {
            options: langs,
            optional: true,
        },
    ),
    OPT_SUMMARY,
    f("source", Ty::Url),
    STAFF_NOTE,
];

const PAGE: &[Field] = &[
    f("slug", Ty::Slug),
    TITLE,
    OPT_SUMMARY,
    f(
        "body",
        Ty::Text {
            long: true,
            optional: false,
        },
    ),
    DOCUMENTS,
    f("sections", Ty::RefList(RecordKind::Page)),
    f("organizations", Ty::RefList(RecordKind::Organization)),
    f("agreements", Ty::RefList(RecordKind::Agreement)),
    SOURCES,
    STAFF_NOTE,
];

const POST: &[Field] = &[
    TITLE,
    f("within", Ty::Party { optional: true }),
    reference("representation", RecordKind::Representation, true),
    date("since", true),
    date("until", true),
];
const PERSON: &[Field] = &[
    f("slug", Ty::Slug),
    NAME,
    f("posts", Ty::List(POST)),
    opt_long("note"),
    SOURCES,
    STAFF_NOTE,
];

const PARTICIPANT: &[Field] = &[reference("person", RecordKind::Person, false), text("role")];
const ACTIVITY: &[Field] = &[
    f("slug", Ty::Slug),
    TITLE,
    f(
        "kind",
        Ty::Select {
            options: opts!(ActivityKind),
            optional: false,
        },
    ),
    f(
        "status",
        Ty::Select {
            options: opts!(ActivityStatus),
            optional: false,
        },
    ),
    date("start", false),
    date("end", true),
    opt_text("place"),
    f("country", Ty::Country { optional: true }),
    f("partners", Ty::RefList(RecordKind::Partner)),
    f("organizations", Ty::RefList(RecordKind::Organization)),
    f("participants", Ty::List(PARTICIPANT)),
    f(
        "subject",
        Ty::Text {
            long: true,
            optional: false,
        },
    ),
    DOMAINS,
    opt_long("outcomes"),
    opt_long("public_summary"),
    DOCUMENTS,
    STAFF_NOTE,
];

const FOLLOW_UP: &[Field] = &[
    f("slug", Ty::Slug),
    TITLE,
    reference("activity", RecordKind::Activity, true),
    reference("agreement", RecordKind::Agreement, true),
    f("owner", Ty::Str { optional: false }),
    date("due", false),
    f(
        "state",
        Ty::Select {
            options: opts!(FollowUpState),
            optional: false,
        },
    ),
    opt_long("note"),
    STAFF_NOTE,
];

/// The kinds staff edit, in the order of the navigation (home = settings).
pub const EDITABLE: [RecordKind; 16] = [
    RecordKind::Partner,
    RecordKind::Grouping,
    RecordKind::Organization,
    RecordKind::Agreement,
    RecordKind::Position,
    RecordKind::Event,
    RecordKind::Intervention,
    RecordKind::Document,
    RecordKind::Page,
    RecordKind::Domain,
    RecordKind::Representation,
    RecordKind::Procedure,
    RecordKind::Person,
    RecordKind::Activity,
    RecordKind::FollowUp,
    RecordKind::Home,
];

pub fn spec(kind: RecordKind) -> &'static [Field] {
    match kind {
        RecordKind::Home => HOME,
        RecordKind::Domain => DOMAIN,
        RecordKind::Procedure => PROCEDURE,
        RecordKind::Partner => PARTNER,
        RecordKind::Representation => REPRESENTATION,
        RecordKind::Grouping => GROUPING,
        RecordKind::Organization => ORGANIZATION,
        RecordKind::Agreement => AGREEMENT,
        RecordKind::Position => POSITION,
        RecordKind::Event => EVENT,
        RecordKind::Intervention => INTERVENTION,
        RecordKind::Document => DOCUMENT,
        RecordKind::Page => PAGE,
        RecordKind::Person => PERSON,
        RecordKind::Activity => ACTIVITY,
        RecordKind::FollowUp => FOLLOW_UP,
    }
}

/// Every field name used by any form, for the label test.
#[cfg(test)]
pub fn all_names() -> Vec<&'static str> {
    fn walk(fields: &[Field], out: &mut Vec<&'static str>) {
        for f in fields {
            out.push(f.name);
            if let Ty::List(sub) = f.ty {
                walk(sub, out);
            }
        }
    }
    let mut out = Vec::new();
    for k in RecordKind::ALL {
        walk(spec(k), &mut out);
    }
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_is_editable() {
        for k in RecordKind::ALL {
            assert!(EDITABLE.contains(&k), "{k} has no form");
            assert!(matches!(spec(k)[0].ty, Ty::Slug));
        }
    }

    #[test]
    fn every_field_has_a_label_in_both_languages() {
        for lang in Lang::ALL {
            let msgs = crate::templates::messages_static(lang);
            for name in all_names() {
                assert!(msgs.contains_key(&format!("f_{name}")), "no label f_{name}");
            }
        }
    }
}
