//! What treaty registers keep of an agreement beyond its one text: the
//! instruments it consists of (the letters of an exchange), its adoption by
//! an organization, its term and renewal, and the measures that implement
//! and publish it in the home state.

use super::kinds::{NAME_MAX, PartyRef, SUMMARY_MAX};
use super::vocab::*;
use crate::error::{FieldError, Problem};
use crate::lang::Lang;
use crate::values::{PartialDate, Slug, Text, WebUrl};
use serde::{Deserialize, Serialize};

fn opt_text(t: &Option<Text>, field: &str, max: usize, errors: &mut Vec<FieldError>) {
    if let Some(t) = t {
        t.validate(field, max, errors);
    }
}

/// One dated instrument of an agreement: a letter of an exchange with its
/// sender, a diplomatic note, the signed text, minutes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Instrument {
    pub kind: InstrumentKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<PartialDate>,
    /// Who sent or signed it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sender: Option<PartyRef>,
    /// The sender's office as the instrument gives it ("le ministre des
    /// Relations internationales").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signatory: Option<Text>,
    /// To whom a letter or note is addressed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub addressee: Option<PartyRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Text>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub documents: Vec<Slug>,
}

/// The adoption of a text by an organization's organ (the UNESCO General
/// Conference adopted the 2005 Convention): a convention so concluded is
/// adopted, not signed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Adoption {
    pub date: PartialDate,
    /// The organization (or grouping) that adopted it.
    pub by: PartyRef,
    /// Its organ and session ("Conférence générale, 33e session").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<Text>,
}

/// How long an agreement lasts and what happens at the end of its term.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Term {
    /// The initial term, in months (a three-year programme: 36).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub months: Option<u32>,
    /// When the current term ends, if the agreement says or it follows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<PartialDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renewal: Option<RenewalKind>,
    /// The length of each renewal, in months.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renewal_months: Option<u32>,
    /// Notice a party gives to end it or prevent a tacit renewal, in months.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice_months: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Text>,
}

/// A measure implementing or publishing an agreement in the home state: an
/// order in council (décret) with its number and date, a regulation, an
/// act, the publication in the official collection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Measure {
    pub kind: MeasureKind,
    /// The number it bears ("1185-2005" for a décret).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<PartialDate>,
    /// The citation ("Gazette officielle du Québec, partie 2, p. 1234").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citation: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<WebUrl>,
}

impl Measure {
    /// « Décret 1185-2005 du 30 novembre 2005 » / "Order in council
    /// 1185-2005 of November 30, 2005".
    pub fn display(&self, lang: Lang) -> String {
        let mut out = self.kind.label(lang).to_string();
        if let Some(n) = &self.number {
            out = format!("{out} {n}");
        }
        if let Some(d) = &self.date {
            let of = match (lang, d.is_plain(), d) {
                (Lang::Fr, true, PartialDate::Day(_)) => "du",
                (Lang::Fr, _, _) => "de",
                (Lang::En, _, _) => "of",
            };
            out = format!("{out} {of} {}", d.display(lang));
        }
        out
    }
}

/// The longest number a measure or a register reference may carry.
pub const NUMBER_MAX: usize = 40;

pub(super) fn instrument_errors(list: &[Instrument], e: &mut Vec<FieldError>) {
    for (i, x) in list.iter().enumerate() {
        let p = format!("instruments[{i}]");
        opt_text(&x.signatory, &format!("{p}.signatory"), NAME_MAX, e);
        opt_text(&x.place, &format!("{p}.place"), NAME_MAX, e);
        opt_text(&x.note, &format!("{p}.note"), SUMMARY_MAX, e);
        if x.sender.is_some() && x.sender == x.addressee {
            e.push(FieldError::new(
                format!("{p}.addressee"),
                x.addressee
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default(),
                Problem::InvalidValue {
                    expected: "a party other than the sender".into(),
                },
            ));
        }
    }
}

pub(super) fn adoption_errors(a: &Option<Box<Adoption>>, e: &mut Vec<FieldError>) {
    let Some(a) = a else { return };
    opt_text(&a.body, "adopted.body", NAME_MAX, e);
    opt_text(&a.place, "adopted.place", NAME_MAX, e);
    if !matches!(a.by, PartyRef::Organization(_) | PartyRef::Grouping(_)) {
        e.push(FieldError::new(
            "adopted.by",
            a.by.to_string(),
            Problem::InvalidValue {
                expected: "organization:… or grouping:…".into(),
            },
        ));
    }
}

pub(super) fn term_errors(t: &Option<Box<Term>>, e: &mut Vec<FieldError>) {
    let Some(t) = t else { return };
    if **t == Term::default() {
        // An empty term says nothing, and would not survive an export.
        e.push(FieldError::new("term.months", "", Problem::Required));
    }
    opt_text(&t.note, "term.note", SUMMARY_MAX, e);
    for (field, v) in [
        ("term.months", t.months),
        ("term.renewal_months", t.renewal_months),
        ("term.notice_months", t.notice_months),
    ] {
        if v == Some(0) || v.is_some_and(|m| m > 1200) {
            e.push(FieldError::new(
                field,
                v.unwrap_or_default().to_string(),
                Problem::OutOfRange {
                    min: "1".into(),
                    max: "1200".into(),
                },
            ));
        }
    }
    if t.renewal_months.is_some() && t.renewal == Some(RenewalKind::None) {
        e.push(FieldError::new(
            "term.renewal_months",
            t.renewal_months.unwrap_or_default().to_string(),
            Problem::InvalidValue {
                expected: "no renewal length for an agreement that is not renewed".into(),
            },
        ));
    }
}

pub(super) fn measure_errors(list: &[Measure], e: &mut Vec<FieldError>) {
    for (i, m) in list.iter().enumerate() {
        let p = format!("measures[{i}]");
        opt_text(&m.citation, &format!("{p}.citation"), SUMMARY_MAX, e);
        if let Some(n) = &m.number
            && (n.trim().is_empty() || n.chars().count() > NUMBER_MAX)
        {
            e.push(FieldError::new(
                format!("{p}.number"),
                n,
                Problem::TooLong { max: NUMBER_MAX },
            ));
        }
        if m.number.is_none() && m.date.is_none() && m.citation.is_none() {
            e.push(FieldError::new(
                format!("{p}.number"),
                "",
                Problem::Required,
            ));
        }
    }
}
