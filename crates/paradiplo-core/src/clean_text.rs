//! Clean text at the boundary: every text that may reach the public is free of
//! control characters and of bidirectional overrides. A control character
//! breaks XML (the Atom feed stops being well-formed), iCalendar and CSV; a
//! bidirectional override makes a text display differently from what it
//! says. Checked by the records themselves, so the API, the staff form and
//! the import refuse the same texts.

use crate::error::{FieldError, Problem};

/// Whether a text may span several lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lines {
    /// Names, titles, codes, addresses: no tab, no line break.
    Single,
    /// Summaries, bodies, notes: tab and line feed allowed (and a carriage
    /// return only as part of a CRLF line end).
    Multi,
}

/// Fields of records that hold multi-line text (the staff form shows them as
/// text areas); every other text of a record is single-line.
pub const MULTI_LINE_FIELDS: [&str; 11] = [
    "summary",
    "body",
    "description",
    "text",
    "subject",
    "reservations",
    "delegation",
    "outcomes",
    "public_summary",
    "note",
    "staff_note",
];

/// True for the bidirectional embeddings, overrides and isolates
/// (U+202A–U+202E, U+2066–U+2069).
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// The first forbidden character of `text`, if any, as a problem naming it.
pub fn check(text: &str, lines: Lines) -> Result<(), Problem> {
    let mut chars = text.chars().enumerate().peekable();
    while let Some((i, c)) = chars.next() {
        let allowed = match c {
            '\t' | '\n' => lines == Lines::Multi,
            '\r' => lines == Lines::Multi && chars.peek().is_some_and(|(_, n)| *n == '\n'),
            c => !c.is_control() && !is_bidi_control(c),
        };
        if !allowed {
            return Err(Problem::ForbiddenCharacter {
                character: c,
                position: i + 1,
            });
        }
    }
    Ok(())
}

/// `U+0005`: how a character is named in messages (the character itself
/// may be invisible or break the message).
pub fn code_point(c: char) -> String {
    format!("U+{:04X}", c as u32)
}

/// Checks every string of a record, given as JSON: a field is multi-line when
/// its name (the last key that is not a language) is in [`MULTI_LINE_FIELDS`].
pub fn check_json(value: &serde_json::Value, errors: &mut Vec<FieldError>) {
    walk(value, "", Lines::Single, errors);
}

fn walk(value: &serde_json::Value, path: &str, lines: Lines, errors: &mut Vec<FieldError>) {
    match value {
        serde_json::Value::String(s) => {
            if let Err(problem) = check(s, lines) {
                errors.push(FieldError::new(path, "", problem));
            }
        }
        serde_json::Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                walk(item, &format!("{path}[{i}]"), lines, errors);
            }
        }
        serde_json::Value::Object(map) => {
            for (key, item) in map {
                let lines = match key.as_str() {
                    "fr" | "en" => lines,
                    k if MULTI_LINE_FIELDS.contains(&k) => Lines::Multi,
                    _ => Lines::Single,
                };
                let path = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                walk(item, &path, lines, errors);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_first_forbidden_character() {
        assert_eq!(
            check("ab\u{5}c", Lines::Multi),
            Err(Problem::ForbiddenCharacter {
                character: '\u{5}',
                position: 3
            })
        );
        assert_eq!(code_point('\u{5}'), "U+0005");
        assert_eq!(code_point('\u{202E}'), "U+202E");
    }

    #[test]
    fn carriage_return_only_in_crlf() {
        assert!(check("a\r\nb", Lines::Multi).is_ok());
        assert!(check("a\rb", Lines::Multi).is_err());
        assert!(check("a\r\nb", Lines::Single).is_err());
    }
}
