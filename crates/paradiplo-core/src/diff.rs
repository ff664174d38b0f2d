//! Field-level differences between two versions of a record, and the rule
//! that decides whether a change is substantive (the public must be told) or
//! a minor fix (whitespace and typography of texts only).
//!
//! The diff decides, not the person publishing: a change is minor only when
//! every changed field is a text (`….fr` / `….en`) whose words and punctuation
//! are unchanged once spacing and typographic variants are normalised.

use std::collections::BTreeMap;

/// Flattens a stored record (its JSON form) into dotted paths, the same paths
/// that validation errors and form fields use: `name.fr`, `milestones[0].date`,
/// `domains[2]`. Nulls and empty values are left out.
pub fn flatten(value: &serde_json::Value) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    walk(value, String::new(), &mut out);
    out
}

fn walk(value: &serde_json::Value, path: String, out: &mut BTreeMap<String, String>) {
    use serde_json::Value::*;
    match value {
        Null => {}
        Bool(b) => {
            out.insert(path, b.to_string());
        }
        Number(n) => {
            out.insert(path, n.to_string());
        }
        String(s) => {
            if !s.is_empty() {
                out.insert(path, s.clone());
            }
        }
        Array(items) => {
            for (i, item) in items.iter().enumerate() {
                walk(item, format!("{path}[{i}]"), out);
            }
        }
        Object(map) => {
            for (k, v) in map {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                walk(v, p, out);
            }
        }
    }
}

/// One field that differs between two versions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    pub path: String,
    /// Empty when the field was added.
    pub before: String,
    /// Empty when the field was removed.
    pub after: String,
    /// True when only spacing or typography changed in a text.
    pub minor: bool,
}

/// Every field that differs between `before` and `after`, in path order.
pub fn diff(before: &serde_json::Value, after: &serde_json::Value) -> Vec<FieldChange> {
    let a = flatten(before);
    let b = flatten(after);
    let mut paths: Vec<&String> = a.keys().chain(b.keys()).collect();
    paths.sort();
    paths.dedup();
    paths
        .into_iter()
        .filter_map(|p| {
            let x = a.get(p).map(String::as_str).unwrap_or("");
            let y = b.get(p).map(String::as_str).unwrap_or("");
            (x != y).then(|| FieldChange {
                path: p.clone(),
                before: x.to_string(),
                after: y.to_string(),
                minor: is_text_path(p) && normalize_text(x) == normalize_text(y),
            })
        })
        .collect()
}

/// True when at least one change is more than a typographic fix. The staff
/// note is never substantive: the public does not read it.
pub fn is_substantive(changes: &[FieldChange]) -> bool {
    changes.iter().any(|c| !c.minor && c.path != "staff_note")
}

fn is_text_path(path: &str) -> bool {
    path.ends_with(".fr") || path.ends_with(".en")
}

/// A text with spacing and typographic variants reduced to one form: curly
/// and straight quotes, guillemets, dashes, ellipses and the (non-breaking)
/// spaces around punctuation all compare equal.
pub fn normalize_text(s: &str) -> String {
    let mapped: String = s
        .chars()
        .map(|c| match c {
            '\u{a0}' | '\u{202f}' | '\u{2009}' | '\u{2007}' | '\t' | '\n' | '\r' => ' ',
            '’' | '‘' | 'ʼ' | '′' => '\'',
            '“' | '”' | '«' | '»' | '„' | '″' => '"',
            '–' | '—' | '‑' | '‐' => '-',
            c => c,
        })
        .collect::<String>()
        .replace('…', "...");
    let collapsed = mapped.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = collapsed;
    for (from, to) in [
        (" :", ":"),
        (" .", "."),
        (" ,", ","),
        (" ;", ";"),
        (" !", "!"),
        (" ?", "?"),
        ("\" ", "\""),
        (" \"", "\""),
    ] {
        out = out.replace(from, to);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_staff_note_alone_is_not_a_substantive_change() {
        let before = json!({"slug": "a", "name": {"fr": "A"}});
        let after = json!({"slug": "a", "name": {"fr": "A"}, "staff_note": "Reste à confirmer."});
        assert!(!is_substantive(&diff(&before, &after)));
        let renamed = json!({"slug": "a", "name": {"fr": "B"}, "staff_note": "Reste à confirmer."});
        assert!(is_substantive(&diff(&before, &renamed)));
    }

    #[test]
    fn flatten_gives_form_paths() {
        let v = json!({"name": {"fr": "A", "en": "B"}, "domains": ["x", "y"],
            "milestones": [{"date": "1989", "text": {"fr": "t"}}], "bilateral": false, "n": null});
        let f = flatten(&v);
        assert_eq!(f["name.fr"], "A");
        assert_eq!(f["domains[1]"], "y");
        assert_eq!(f["milestones[0].text.fr"], "t");
        assert_eq!(f["bilateral"], "false");
        assert!(!f.contains_key("n"));
    }

    #[test]
    fn typography_is_minor_words_are_not() {
        let a = json!({"summary": {"fr": "L'entente « Québec-Bavière » : signée"}});
        let b = json!({"summary": {"fr": "L’entente «\u{a0}Québec-Bavière\u{a0}»\u{a0}: signée"}});
        let d = diff(&a, &b);
        assert_eq!(d.len(), 1);
        assert!(d[0].minor, "{d:?}");
        assert!(!is_substantive(&d));

        let c = json!({"summary": {"fr": "L'entente « Québec-Bavière » : abrogée"}});
        let d = diff(&a, &c);
        assert!(!d[0].minor);
        assert!(is_substantive(&d));
    }

    #[test]
    fn a_minor_fix_cannot_hide_a_substantive_change() {
        let a = json!({"summary": {"fr": "Texte ."}, "since": "1989"});
        let b = json!({"summary": {"fr": "Texte."}, "since": "1990"});
        let d = diff(&a, &b);
        assert_eq!(d.len(), 2);
        assert!(d.iter().any(|c| c.minor));
        assert!(is_substantive(&d));
    }

    #[test]
    fn non_text_fields_are_never_minor() {
        // Whitespace in a slug-like field is still a change of value.
        let d = diff(
            &json!({"reference": "2006-05"}),
            &json!({"reference": "2006-05 "}),
        );
        assert!(is_substantive(&d));
        let d = diff(&json!({"domains": ["a"]}), &json!({"domains": ["a", "b"]}));
        assert_eq!(d[0].path, "domains[1]");
        assert_eq!(d[0].before, "");
        assert!(is_substantive(&d));
        assert!(diff(&json!({"a": 1}), &json!({"a": 1})).is_empty());
    }
}
