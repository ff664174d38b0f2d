//! Validation problems, as data. A problem knows how to say itself in French
//! and in English; callers add where it happened (file, line, record, field).

use crate::lang::Lang;
use std::fmt;

/// What is wrong with one value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    Required,
    TooLong {
        max: usize,
    },
    InvalidSlug,
    UnknownCountry,
    UnknownSubdivision,
    SubdivisionOutsideCountry {
        country: String,
    },
    InvalidDate,
    DateBefore {
        other_field: String,
    },
    OutOfRange {
        min: String,
        max: String,
    },
    UnknownReference {
        kind: String,
    },
    Duplicate,
    /// A value that must be unique, already held by another record.
    UsedBy {
        kind: String,
        slug: String,
    },
    InvalidUrl,
    InvalidMediaType,
    UnknownStep {
        procedure: String,
    },
    StepOutOfOrder {
        previous: String,
    },
    TransitionNotAllowed {
        from: String,
        allowed: String,
    },
    TooEarly {
        after: String,
        days: u32,
        earliest: String,
    },
    TooLate {
        after: String,
        days: u32,
        latest: String,
    },
    MissingFile,
    FileMismatch {
        detail: String,
    },
    UnknownField,
    InvalidType {
        detail: String,
    },
    Syntax {
        detail: String,
    },
    InvalidValue {
        expected: String,
    },
    /// A control character, a line break in a single-line text, or a
    /// bidirectional override; `position` counts characters from 1.
    ForbiddenCharacter {
        character: char,
        position: usize,
    },
}

impl Problem {
    /// A stable machine-readable code, used by the API and by tests.
    pub fn code(&self) -> &'static str {
        match self {
            Problem::Required => "required",
            Problem::TooLong { .. } => "too_long",
            Problem::InvalidSlug => "invalid_slug",
            Problem::UnknownCountry => "unknown_country",
            Problem::UnknownSubdivision => "unknown_subdivision",
            Problem::SubdivisionOutsideCountry { .. } => "subdivision_outside_country",
            Problem::InvalidDate => "invalid_date",
            Problem::DateBefore { .. } => "date_before",
            Problem::OutOfRange { .. } => "out_of_range",
            Problem::UnknownReference { .. } => "unknown_reference",
            Problem::Duplicate => "duplicate",
            Problem::UsedBy { .. } => "used_by",
            Problem::InvalidUrl => "invalid_url",
            Problem::InvalidMediaType => "invalid_media_type",
            Problem::UnknownStep { .. } => "unknown_step",
            Problem::StepOutOfOrder { .. } => "step_out_of_order",
            Problem::TransitionNotAllowed { .. } => "transition_not_allowed",
            Problem::TooEarly { .. } => "too_early",
            Problem::TooLate { .. } => "too_late",
            Problem::MissingFile => "missing_file",
            Problem::FileMismatch { .. } => "file_mismatch",
            Problem::UnknownField => "unknown_field",
            Problem::InvalidType { .. } => "invalid_type",
            Problem::Syntax { .. } => "syntax",
            Problem::InvalidValue { .. } => "invalid_value",
            Problem::ForbiddenCharacter { .. } => "forbidden_character",
        }
    }

    /// The problem in words, in the reader's language.
    pub fn message(&self, lang: Lang) -> String {
        use Problem::*;
        match self {
            Required
            | TooLong { .. }
            | InvalidSlug
            | UnknownCountry
            | UnknownSubdivision
            | SubdivisionOutsideCountry { .. }
            | InvalidDate
            | DateBefore { .. }
            | OutOfRange { .. }
            | InvalidUrl
            | InvalidMediaType
            | InvalidValue { .. }
            | ForbiddenCharacter { .. } => self.value_message(lang),
            UnknownReference { .. } | Duplicate | UsedBy { .. } => self.reference_message(lang),
            UnknownStep { .. }
            | StepOutOfOrder { .. }
            | TransitionNotAllowed { .. }
            | TooEarly { .. }
            | TooLate { .. } => self.procedure_message(lang),
            MissingFile
            | FileMismatch { .. }
            | UnknownField
            | InvalidType { .. }
            | Syntax { .. } => self.file_message(lang),
        }
    }

    /// A value that is missing, malformed or out of its allowed set.
    fn value_message(&self, lang: Lang) -> String {
        use Problem::*;
        match (lang, self) {
            (Lang::Fr, Required) => "valeur obligatoire manquante".into(),
            (Lang::En, Required) => "a required value is missing".into(),
            (Lang::Fr, TooLong { max }) => format!("texte trop long (maximum {max} caractères)"),
            (Lang::En, TooLong { max }) => format!("text too long (at most {max} characters)"),
            (Lang::Fr, InvalidSlug) => {
                "identifiant invalide : lettres minuscules sans accents, chiffres et traits d’union seulement".into()
            }
            (Lang::En, InvalidSlug) => {
                "invalid identifier: lowercase unaccented letters, digits and hyphens only".into()
            }
            (Lang::Fr, UnknownCountry) => "code de pays inconnu de la norme ISO 3166-1".into(),
            (Lang::En, UnknownCountry) => "country code unknown to ISO 3166-1".into(),
            (Lang::Fr, UnknownSubdivision) => {
                "code de subdivision inconnu de la norme ISO 3166-2".into()
            }
            (Lang::En, UnknownSubdivision) => "subdivision code unknown to ISO 3166-2".into(),
            (Lang::Fr, SubdivisionOutsideCountry { country }) => {
                format!("cette subdivision n’appartient pas au pays {country}")
            }
            (Lang::En, SubdivisionOutsideCountry { country }) => {
                format!("this subdivision does not belong to country {country}")
            }
            (Lang::Fr, InvalidDate) => {
                "date invalide : AAAA, AAAA-MM ou AAAA-MM-JJ attendu".into()
            }
            (Lang::En, InvalidDate) => "invalid date: YYYY, YYYY-MM or YYYY-MM-DD expected, followed if need be by ~ (circa) or ? (uncertain), or a range YYYY/YYYY, ../YYYY (no later than), YYYY/.. (no earlier than)".into(),
            (Lang::Fr, DateBefore { other_field }) => {
                format!("date antérieure à celle du champ « {other_field} »")
            }
            (Lang::En, DateBefore { other_field }) => {
                format!("date earlier than the one in field “{other_field}”")
            }
            (Lang::Fr, OutOfRange { min, max }) => {
                format!("valeur hors limites (de {min} à {max})")
            }
            (Lang::En, OutOfRange { min, max }) => format!("value out of range ({min} to {max})"),
            (Lang::Fr, InvalidUrl) => "adresse web invalide (http:// ou https:// attendu)".into(),
            (Lang::En, InvalidUrl) => "invalid web address (http:// or https:// expected)".into(),
            (Lang::Fr, InvalidMediaType) => "type de fichier non accepté".into(),
            (Lang::En, InvalidMediaType) => "file type not accepted".into(),
            (Lang::Fr, InvalidValue { expected }) => {
                format!("valeur non permise; valeurs permises : {expected}")
            }
            (Lang::En, InvalidValue { expected }) => {
                format!("value not allowed; allowed values: {expected}")
            }
            (_, ForbiddenCharacter { character, position }) => {
                forbidden_character_message(lang, *character, *position)
            }
            (_, other) => unreachable!("{other:?} is not a value problem"),
        }
    }

    /// A slug that names no record, or one already taken.
    fn reference_message(&self, lang: Lang) -> String {
        use Problem::*;
        match (lang, self) {
            (Lang::Fr, UnknownReference { kind }) => {
                format!("aucun enregistrement de type « {kind} » ne porte cet identifiant")
            }
            (Lang::En, UnknownReference { kind }) => {
                format!("no record of kind “{kind}” has this identifier")
            }
            (Lang::Fr, Duplicate) => "identifiant déjà utilisé par un autre enregistrement".into(),
            (Lang::En, Duplicate) => "identifier already used by another record".into(),
            (Lang::Fr, UsedBy { kind, slug }) => {
                format!("valeur déjà portée par l’enregistrement {kind} « {slug} »")
            }
            (Lang::En, UsedBy { kind, slug }) => {
                format!("value already held by record {kind} “{slug}”")
            }
            (_, other) => unreachable!("{other:?} is not a reference problem"),
        }
    }

    /// A step of an agreement's procedure out of its order or time.
    fn procedure_message(&self, lang: Lang) -> String {
        use Problem::*;
        match (lang, self) {
            (Lang::Fr, UnknownStep { procedure }) => {
                format!("étape inconnue de la procédure « {procedure} »")
            }
            (Lang::En, UnknownStep { procedure }) => {
                format!("step unknown to procedure “{procedure}”")
            }
            (Lang::Fr, StepOutOfOrder { previous }) => {
                format!(
                    "étape inscrite après l’étape « {previous} », qui la suit dans la procédure"
                )
            }
            (Lang::En, StepOutOfOrder { previous }) => {
                format!("step listed after step “{previous}”, which comes later in the procedure")
            }
            (Lang::Fr, TransitionNotAllowed { from, allowed }) => {
                let after = if from.is_empty() {
                    "au début de la procédure".to_string()
                } else {
                    format!("après l’étape «\u{a0}{from}\u{a0}»")
                };
                if allowed.is_empty() {
                    format!("aucune étape ne peut venir {after}, qui termine la procédure")
                } else {
                    format!("étape non permise {after}; étapes permises\u{a0}: {allowed}")
                }
            }
            (Lang::En, TransitionNotAllowed { from, allowed }) => {
                let after = if from.is_empty() {
                    "at the start of the procedure".to_string()
                } else {
                    format!("after step “{from}”")
                };
                if allowed.is_empty() {
                    format!("no step may come {after}, which ends the procedure")
                } else {
                    format!("step not allowed {after}; allowed steps: {allowed}")
                }
            }
            (
                Lang::Fr,
                TooEarly {
                    after,
                    days,
                    earliest,
                },
            ) => format!(
                "trop tôt\u{a0}: il faut attendre {days}\u{a0}jours après l’étape «\u{a0}{after}\u{a0}», soit au plus tôt le {earliest}"
            ),
            (
                Lang::En,
                TooEarly {
                    after,
                    days,
                    earliest,
                },
            ) => format!(
                "too early: {days} days must pass after step “{after}”, so not before {earliest}"
            ),
            (
                Lang::Fr,
                TooLate {
                    after,
                    days,
                    latest,
                },
            ) => format!(
                "trop tard\u{a0}: au plus {days}\u{a0}jours après l’étape «\u{a0}{after}\u{a0}», soit au plus tard le {latest}"
            ),
            (
                Lang::En,
                TooLate {
                    after,
                    days,
                    latest,
                },
            ) => format!(
                "too late: at most {days} days after step “{after}”, so no later than {latest}"
            ),
            (_, other) => unreachable!("{other:?} is not a procedure problem"),
        }
    }

    /// A file that cannot be read as a dataset.
    fn file_message(&self, lang: Lang) -> String {
        use Problem::*;
        match (lang, self) {
            (Lang::Fr, MissingFile) => "fichier introuvable".into(),
            (Lang::En, MissingFile) => "file not found".into(),
            (Lang::Fr, FileMismatch { detail }) => format!("fichier incohérent : {detail}"),
            (Lang::En, FileMismatch { detail }) => format!("inconsistent file: {detail}"),
            (Lang::Fr, UnknownField) => "champ inconnu".into(),
            (Lang::En, UnknownField) => "unknown field".into(),
            (Lang::Fr, InvalidType { detail }) => format!("type de valeur incorrect : {detail}"),
            (Lang::En, InvalidType { detail }) => format!("wrong type of value: {detail}"),
            (Lang::Fr, Syntax { detail }) => format!("erreur de syntaxe : {detail}"),
            (Lang::En, Syntax { detail }) => format!("syntax error: {detail}"),
            (_, other) => unreachable!("{other:?} is not a file problem"),
        }
    }

    /// Encodes a problem into a serde error message so that it survives a trip
    /// through a deserializer, which only carries strings.
    pub fn to_serde_message(&self, value: &str) -> String {
        let arg = match self {
            Problem::UnknownStep { procedure } => procedure.clone(),
            Problem::SubdivisionOutsideCountry { country } => country.clone(),
            Problem::ForbiddenCharacter {
                character,
                position,
            } => format!("{}:{position}", *character as u32),
            _ => String::new(),
        };
        format!("{MARKER}{}{SEP}{arg}{SEP}{value}{SEP}", self.code())
    }

    /// Reverses [`Problem::to_serde_message`]: returns the problem and the value.
    pub fn from_serde_message(message: &str) -> Option<(Problem, String)> {
        let start = message.find(MARKER)?;
        let rest = &message[start + MARKER.len()..];
        // serde may append text after our message: the trailing separator ends ours.
        let mut parts = rest.splitn(4, SEP);
        let code = parts.next()?;
        let arg = parts.next()?.to_string();
        let value = parts.next()?.to_string();
        parts.next()?;
        let problem = match code {
            "invalid_slug" => Problem::InvalidSlug,
            "unknown_country" => Problem::UnknownCountry,
            "unknown_subdivision" => Problem::UnknownSubdivision,
            "subdivision_outside_country" => Problem::SubdivisionOutsideCountry { country: arg },
            "invalid_date" => Problem::InvalidDate,
            "invalid_url" => Problem::InvalidUrl,
            "required" => Problem::Required,
            "forbidden_character" => {
                let (code, position) = arg.split_once(':')?;
                Problem::ForbiddenCharacter {
                    character: char::from_u32(code.parse().ok()?)?,
                    position: position.parse().ok()?,
                }
            }
            _ => return None,
        };
        Some((problem, value))
    }
}

/// Names the character by its code point (it may be invisible or break the
/// message) and says why it is refused.
fn forbidden_character_message(lang: Lang, c: char, position: usize) -> String {
    let code = crate::clean_text::code_point(c);
    let line_break = matches!(c, '\t' | '\n' | '\r');
    let bidi = crate::clean_text::is_bidi_control(c);
    match lang {
        Lang::Fr => {
            let what = if line_break {
                "saut de ligne ou tabulation interdit dans un texte d’une seule ligne"
            } else if bidi {
                "caractère de contrôle bidirectionnel interdit"
            } else {
                "caractère de commande interdit"
            };
            format!("{what} ({code}, position {position})")
        }
        Lang::En => {
            let what = if line_break {
                "line break or tab not allowed in a single-line text"
            } else if bidi {
                "bidirectional control character not allowed"
            } else {
                "control character not allowed"
            };
            format!("{what} ({code}, position {position})")
        }
    }
}

const MARKER: &str = "\u{1e}paradiplo:";
const SEP: char = '\u{1f}';

/// A problem located on a field of a record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// Dotted path of the field inside the record, e.g. `name.fr` or `parties[1].party`.
    pub field: String,
    /// The value at fault, as written (empty when the value is missing).
    pub value: String,
    pub problem: Problem,
}

impl FieldError {
    pub fn new(field: impl Into<String>, value: impl Into<String>, problem: Problem) -> Self {
        FieldError {
            field: field.into(),
            value: value.into(),
            problem,
        }
    }

    /// Prefixes the field path, e.g. to place a nested error inside its record.
    pub fn within(mut self, prefix: &str) -> Self {
        self.field = if self.field.is_empty() {
            prefix.to_string()
        } else if self.field.starts_with('[') {
            format!("{prefix}{}", self.field)
        } else {
            format!("{prefix}.{}", self.field)
        };
        self
    }

    pub fn message(&self, lang: Lang) -> String {
        let (field, value) = match lang {
            Lang::Fr => ("champ", "valeur"),
            Lang::En => ("field", "value"),
        };
        // Québec typography: a non-breaking space before the colon and inside
        // guillemets in French.
        let sep = lang.colon();
        let quoted = match lang {
            Lang::Fr => format!("«\u{a0}{}\u{a0}»", self.value),
            Lang::En => format!("{:?}", self.value),
        };
        let mut out = String::new();
        if !self.field.is_empty() {
            out.push_str(&format!("{field} `{}`", self.field));
        }
        if !self.value.is_empty() {
            if !out.is_empty() {
                out.push_str(", ");
            }
            out.push_str(&format!("{value} {quoted}"));
        }
        if !out.is_empty() {
            out.push_str(sep);
        }
        out.push_str(&self.problem.message(lang));
        out
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for FieldError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_message_round_trips() {
        let p = Problem::SubdivisionOutsideCountry {
            country: "DE".into(),
        };
        let msg = format!("{} at line 3", p.to_serde_message("US-NY"));
        let (back, value) = Problem::from_serde_message(&msg).unwrap();
        assert_eq!(back, p);
        assert_eq!(value, "US-NY");
    }

    #[test]
    fn french_message_uses_non_breaking_space_before_colon() {
        let e = FieldError::new("country", "XX", Problem::UnknownCountry);
        let fr = e.message(Lang::Fr);
        assert!(fr.contains("\u{a0}: "), "{fr}");
        assert!(fr.contains("ISO 3166-1"));
        let en = e.message(Lang::En);
        assert_eq!(
            en,
            "field `country`, value \"XX\": country code unknown to ISO 3166-1"
        );
    }
}
