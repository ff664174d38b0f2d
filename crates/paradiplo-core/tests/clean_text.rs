//! Clean text at the boundary: records refuse control characters, line
//! breaks in single-line texts and bidirectional overrides, naming the field
//! and the character; web addresses are http(s) only.

use paradiplo_core::clean_text::{Lines, check};
use paradiplo_core::values::WebUrl;
use paradiplo_core::{AnyRecord, Lang, Problem, RecordKind};
use serde_json::json;

fn partner(name_fr: &str, summary_fr: &str) -> AnyRecord {
    AnyRecord::from_json(
        RecordKind::Partner,
        json!({
            "slug": "baviere", "name": {"fr": name_fr, "en": "Bavaria"}, "kind": "federated_state",
            "country": "DE", "subdivision": "DE-BY", "world_region": "western_europe",
            "summary": {"fr": summary_fr, "en": "Summary"}}),
    )
    .unwrap()
}

fn forbidden(c: char, position: usize) -> Problem {
    Problem::ForbiddenCharacter {
        character: c,
        position,
    }
}

#[test]
fn a_clean_record_passes() {
    let r = partner(
        "Bavière",
        "Premier paragraphe.\n\n\tSecond paragraphe.\r\nFin.",
    );
    assert_eq!(r.validate(), vec![]);
}

#[test]
fn control_characters_are_refused_with_field_and_code_point() {
    for (c, code) in [
        ('\u{0}', "U+0000"),
        ('\u{5}', "U+0005"),
        ('\u{1E}', "U+001E"),
        ('\u{7F}', "U+007F"),
        ('\u{85}', "U+0085"),
        ('\u{9F}', "U+009F"),
    ] {
        let r = partner("Bavière", &format!("Texte{c}suite"));
        let errors = r.validate();
        assert_eq!(errors.len(), 1, "{code}: {errors:?}");
        assert_eq!(errors[0].field, "summary.fr");
        assert_eq!(errors[0].problem, forbidden(c, 6));
        let fr = errors[0].message(Lang::Fr);
        let en = errors[0].message(Lang::En);
        assert!(fr.contains("`summary.fr`") && fr.contains(code), "{fr}");
        assert!(en.contains("`summary.fr`") && en.contains(code), "{en}");
        // The character itself is never echoed back.
        assert!(!fr.contains(c) && !en.contains(c), "{en}");
    }
}

#[test]
fn bidirectional_overrides_and_isolates_are_refused() {
    for c in [
        '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}', '\u{2066}', '\u{2069}',
    ] {
        let errors = partner(&format!("Bavi{c}ère"), "x").validate();
        assert_eq!(errors.len(), 1, "{c:?}");
        assert_eq!(errors[0].field, "name.fr");
        assert_eq!(errors[0].problem, forbidden(c, 5));
        assert!(errors[0].message(Lang::En).contains("bidirectional"));
    }
    // Marks (LRM, RLM) are ordinary characters of bilingual text.
    assert!(check("Bavière\u{200E}", Lines::Single).is_ok());
}

#[test]
fn line_breaks_and_tabs_only_in_multi_line_texts() {
    for c in ['\n', '\t', '\r'] {
        let errors = partner(&format!("Bavi{c}ère"), "x").validate();
        assert_eq!(errors.len(), 1, "{c:?}");
        assert_eq!(errors[0].field, "name.fr");
        assert_eq!(errors[0].problem, forbidden(c, 5));
        assert!(
            errors[0]
                .message(Lang::Fr)
                .contains("texte d’une seule ligne")
        );
    }
    assert!(check("a\nb\tc", Lines::Multi).is_ok());
    assert_eq!(check("a\rb", Lines::Multi), Err(forbidden('\r', 2)));
}

#[test]
fn plain_strings_and_nested_texts_are_checked_too() {
    let agreement = json!({
        "slug": "entente", "title": {"fr": "Entente", "en": "Agreement"},
        "reference": "R-1\u{1}", "kind": "entente_bilateral", "status": "signed",
        "parties": [], "summary": {"fr": "x"},
        "commitments": [{"kind": "report", "description": {"fr": "Ok\nsuite"}, "responsible": {"fr": "Un\u{202E}deux"}}],
    });
    let r = match AnyRecord::from_json(RecordKind::Agreement, agreement) {
        Ok(r) => r,
        Err(e) => panic!("fixture must deserialize: {e}"),
    };
    let fields: Vec<String> = r.validate().into_iter().map(|e| e.field).collect();
    assert!(fields.contains(&"reference".to_string()), "{fields:?}");
    assert!(
        fields.contains(&"commitments[0].responsible.fr".to_string()),
        "{fields:?}"
    );
    assert!(
        !fields.contains(&"commitments[0].description.fr".to_string()),
        "{fields:?}"
    );
}

#[test]
fn web_addresses_are_http_or_https_and_clean() {
    assert!(WebUrl::parse("https://www.quebec.ca/a?b=c").is_ok());
    assert!(WebUrl::parse("http://example.org").is_ok());
    for bad in [
        "javascript:alert(1)",
        "data:text/html,x",
        "ftp://example.org",
        "mailto:a@example.org",
        "file:///etc/passwd",
    ] {
        assert_eq!(WebUrl::parse(bad), Err(Problem::InvalidUrl), "{bad}");
    }
    assert_eq!(
        WebUrl::parse("https://exa\tmple.org"),
        Err(forbidden('\t', 12))
    );
    assert_eq!(
        WebUrl::parse("https://example.org/\u{202E}"),
        Err(forbidden('\u{202E}', 21))
    );
}

#[test]
fn the_problem_survives_a_trip_through_a_deserializer() {
    let url: Result<WebUrl, _> = serde_json::from_value(json!("https://example.org/\u{5}"));
    let message = url.unwrap_err().to_string();
    let (problem, _) = Problem::from_serde_message(&message).unwrap();
    assert_eq!(problem, forbidden('\u{5}', 21));
}
