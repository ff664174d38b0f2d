//! The data-quality report (`paradiplo check --report`): what an editor
//! should look at before publishing. Errors are claims the data does not
//! back (a record without sources, a status without its dated act);
//! warnings are what a register would improve (descriptive titles, dates
//! known only to the year, missing English, records unchanged for years).

use crate::lang::Lang;
use crate::records::{Agreement, AgreementStatus, AnyRecord, RecordKind};
use crate::registry::Registry;
use crate::values::PartialDate;
use std::collections::BTreeMap;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// What a finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Check {
    NoSources,
    StatusWithoutDatedAct,
    DescriptiveTitle,
    YearOnlyDate,
    MissingEnglish,
    Stale,
}

impl Check {
    pub fn severity(self) -> Severity {
        match self {
            Check::NoSources | Check::StatusWithoutDatedAct => Severity::Error,
            _ => Severity::Warning,
        }
    }

    /// What the check looks for, for readers.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Check::NoSources, Lang::Fr) => "aucune source",
            (Check::NoSources, Lang::En) => "no sources",
            (Check::StatusWithoutDatedAct, Lang::Fr) => "statut sans acte daté",
            (Check::StatusWithoutDatedAct, Lang::En) => "status without a dated act",
            (Check::DescriptiveTitle, Lang::Fr) => "titre descriptif",
            (Check::DescriptiveTitle, Lang::En) => "descriptive title",
            (Check::YearOnlyDate, Lang::Fr) => "date connue à l’année seulement",
            (Check::YearOnlyDate, Lang::En) => "date known to the year only",
            (Check::MissingEnglish, Lang::Fr) => "anglais manquant",
            (Check::MissingEnglish, Lang::En) => "English missing",
            (Check::Stale, Lang::Fr) => "aucun changement depuis des années",
            (Check::Stale, Lang::En) => "no change in years",
        }
    }
}

/// One thing to look at, on one record.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Finding {
    pub check: Check,
    pub kind: RecordKind,
    pub slug: String,
    /// The field concerned, when there is one (`signed`, `summary`).
    pub field: String,
}

impl Finding {
    /// One line: severity, what, which record, which field.
    pub fn message(&self, lang: Lang) -> String {
        let severity = match (self.check.severity(), lang) {
            (Severity::Error, Lang::Fr) => "erreur",
            (Severity::Error, Lang::En) => "error",
            (Severity::Warning, Lang::Fr) => "avertissement",
            (Severity::Warning, Lang::En) => "warning",
        };
        let field = if self.field.is_empty() {
            String::new()
        } else {
            format!(" ({})", self.field)
        };
        format!(
            "{severity} : {} — {} « {} »{field}",
            self.check.label(lang),
            self.kind,
            self.slug
        )
        .replace(
            " : ",
            match lang {
                Lang::Fr => "\u{a0}: ",
                Lang::En => ": ",
            },
        )
    }
}

/// Kinds whose facts come from sources: each record must cite some.
const SOURCED: [RecordKind; 8] = [
    RecordKind::Procedure,
    RecordKind::Partner,
    RecordKind::Representation,
    RecordKind::Grouping,
    RecordKind::Organization,
    RecordKind::Agreement,
    RecordKind::Event,
    RecordKind::Intervention,
];

/// The report over a registry. `changed` gives each record's last
/// substantive change (the dataset's `changed`); a record unchanged for more
/// than `stale_years` before `today` is stale.
pub fn report(
    reg: &Registry,
    changed: &BTreeMap<(RecordKind, String), time::Date>,
    today: time::Date,
    stale_years: i32,
) -> Vec<Finding> {
    let mut out = Vec::new();
    for record in reg.iter().filter(|r| !r.kind().is_confidential()) {
        let kind = record.kind();
        let slug = record.slug().to_string();
        let mut push = |check: Check, field: &str| {
            out.push(Finding {
                check,
                kind,
                slug: slug.clone(),
                field: field.to_string(),
            })
        };
        let json = record.to_json();
        if SOURCED.contains(&kind) && json["sources"].as_array().is_none_or(Vec::is_empty) {
            push(Check::NoSources, "sources");
        }
        let mut missing = Vec::new();
        missing_english(&json, "", &mut missing);
        for field in missing {
            push(Check::MissingEnglish, &field);
        }
        if let AnyRecord::Agreement(a) = record {
            agreement_findings(a, superseded(reg, a), &mut push);
        }
        if let AnyRecord::Event(e) = record
            && matches!(e.start, PartialDate::Year(_))
        {
            push(Check::YearOnlyDate, "start");
        }
        if let Some(day) = changed.get(&(kind, slug.clone()))
            && day.year() + stale_years < today.year()
        {
            push(Check::Stale, "changed");
        }
    }
    out.sort();
    out
}

/// True when another agreement of the registry replaces or renews `a`: the
/// later instrument is the dated act behind a "replaced" status.
fn superseded(reg: &Registry, a: &Agreement) -> bool {
    use crate::records::RelationKind;
    reg.typed::<Agreement>().any(|later| {
        later.related.iter().any(|r| {
            r.agreement == a.slug
                && matches!(r.relation, RelationKind::Replaces | RelationKind::Renews)
        })
    })
}

/// An agreement's status backed by its dates, its title, its year-only dates.
fn agreement_findings(a: &Agreement, superseded: bool, push: &mut impl FnMut(Check, &str)) {
    let dated_step = |names: &[&str]| {
        a.steps
            .iter()
            .any(|s| s.date.is_some() && names.contains(&s.step.as_str()))
    };
    let backed = match a.status {
        AgreementStatus::Signed => a.signed.is_some() || a.adopted.is_some(),
        AgreementStatus::InForce => a.in_force.is_some() || dated_step(&["entree-en-vigueur"]),
        AgreementStatus::Ended => a.ended.is_some(),
        AgreementStatus::Replaced => a.ended.is_some() || superseded,
        AgreementStatus::Approved => dated_step(&[
            "approbation-assemblee",
            "decret",
            "ratification",
            "approbation",
        ]),
        AgreementStatus::InApproval | AgreementStatus::NotInForce => {
            a.steps.iter().any(|s| s.date.is_some()) || a.signed.is_some()
        }
        AgreementStatus::Negotiation => true,
    };
    if !backed {
        push(Check::StatusWithoutDatedAct, "status");
    }
    if a.descriptive_title {
        push(Check::DescriptiveTitle, "title");
    }
    for (field, date) in [
        ("signed", a.signed),
        ("in_force", a.in_force),
        ("ended", a.ended),
    ] {
        if matches!(date, Some(PartialDate::Year(_))) {
            push(Check::YearOnlyDate, field);
        }
    }
}

/// Paths of bilingual texts (objects with `fr`) that have no English.
fn missing_english(value: &serde_json::Value, path: &str, out: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            if map.get("fr").is_some_and(serde_json::Value::is_string)
                && map
                    .get("en")
                    .and_then(serde_json::Value::as_str)
                    .is_none_or(|en| en.trim().is_empty())
            {
                out.push(path.to_string());
                return;
            }
            // Place words are search forms, not texts to translate.
            for (k, v) in map.iter().filter(|(k, _)| k.as_str() != "places") {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                missing_english(v, &p, out);
            }
        }
        serde_json::Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                missing_english(v, &format!("{path}[{i}]"), out);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn agreement(extra: serde_json::Value) -> AnyRecord {
        let mut v = json!({
            "slug": "essai", "title": {"fr": "Entente", "en": "Agreement"},
            "kind": "entente_bilateral", "status": "in_force",
            "parties": [{"party": "home"}], "summary": {"fr": "Essai."},
            "sources": ["https://example.org/a"]
        });
        for (k, x) in extra.as_object().unwrap() {
            v[k] = x.clone();
        }
        AnyRecord::from_json(RecordKind::Agreement, v).unwrap()
    }

    fn checks(record: AnyRecord) -> Vec<(Check, String)> {
        let mut reg = Registry::new();
        reg.push(record);
        let day = time::macros::date!(2026 - 12 - 07);
        let mut changed = BTreeMap::new();
        changed.insert(
            (RecordKind::Agreement, "essai".to_string()),
            time::macros::date!(2015 - 01 - 01),
        );
        report(&reg, &changed, day, 5)
            .into_iter()
            .map(|f| (f.check, f.field))
            .collect()
    }

    #[test]
    fn each_check_names_its_field() {
        let found = checks(agreement(
            json!({"descriptive_title": true, "signed": "2010"}),
        ));
        assert_eq!(
            found,
            vec![
                (Check::StatusWithoutDatedAct, "status".into()),
                (Check::DescriptiveTitle, "title".into()),
                (Check::YearOnlyDate, "signed".into()),
                (Check::MissingEnglish, "summary".into()),
                (Check::Stale, "changed".into()),
            ]
        );
        let found = checks(agreement(json!({"in_force": "2011-05-02", "sources": []})));
        assert!(found.contains(&(Check::NoSources, "sources".into())));
        assert!(
            !found
                .iter()
                .any(|(c, _)| *c == Check::StatusWithoutDatedAct)
        );
    }

    #[test]
    fn messages_are_in_both_languages() {
        let f = Finding {
            check: Check::NoSources,
            kind: RecordKind::Partner,
            slug: "baviere".into(),
            field: "sources".into(),
        };
        assert_eq!(
            f.message(Lang::Fr),
            "erreur\u{a0}: aucune source — partner « baviere » (sources)"
        );
        assert_eq!(
            f.message(Lang::En),
            "error: no sources — partner « baviere » (sources)"
        );
    }
}
