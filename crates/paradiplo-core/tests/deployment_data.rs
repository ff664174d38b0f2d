//! What a deployment says about itself in its data: the home state's place
//! words (for search) and the pages the hub shows as sections, with the
//! records they feature. Bad values are refused with the field and value.

use paradiplo_core::error::Problem;
use paradiplo_core::records::{Home, Page, Record};
use paradiplo_core::{AnyRecord, Registry};
use serde_json::json;

fn home(places: serde_json::Value) -> Home {
    serde_json::from_value(json!({
        "slug": "flandre",
        "name": {"fr": "Flandre", "en": "Flanders"},
        "country": "BE",
        "subdivision": "BE-VLG",
        "government": {"fr": "gouvernement flamand"},
        "ministry": {"fr": "Département des affaires étrangères"},
        "summary": {"fr": "Entité fédérée de Belgique."},
        "places": places,
    }))
    .unwrap()
}

fn problems(home: &Home) -> Vec<(String, String, Problem)> {
    home.validate()
        .into_iter()
        .map(|e| (e.field, e.value, e.problem))
        .collect()
}

#[test]
fn place_words_are_single_words_in_one_group() {
    let good = home(json!([
        {"fr": ["flandre", "flamand"], "en": ["flanders", "flemish"]},
        {"fr": ["belgique", "belge"]},
    ]));
    assert_eq!(problems(&good), vec![]);

    let bad = home(json!([
        {"fr": ["flandre", "pays-bas"], "en": ["new york"]},
        {"fr": [], "en": ["Flandre", "flemish", "flemish"]},
        {"fr": ["x"], "en": [""]},
    ]));
    let found = problems(&bad);
    let one_word = Problem::InvalidValue {
        expected: "one word of letters".into(),
    };
    assert!(found.contains(&(
        "places[0].fr[1]".into(),
        "pays-bas".into(),
        one_word.clone()
    )));
    assert!(found.contains(&("places[0].en[0]".into(), "new york".into(), one_word)));
    assert!(found.contains(&("places[1].fr".into(), "".into(), Problem::Required)));
    // A form that another group already has: a word would find two places.
    assert!(found.contains(&(
        "places[1].en[0]".into(),
        "Flandre".into(),
        Problem::Duplicate
    )));
    // The same form twice in its own group is harmless.
    for field in ["places[1].en[1]", "places[1].en[2]"] {
        assert!(!found.iter().any(|(f, _, _)| f == field), "{found:?}");
    }
    assert!(found.contains(&("places[2].en[0]".into(), "".into(), Problem::Required)));
}

#[test]
fn page_sections_and_featured_records_must_exist() {
    let page: Page = serde_json::from_value(json!({
        "slug": "partenaires-et-organisations",
        "title": {"fr": "Partenaires et organisations"},
        "body": {"fr": "Texte."},
        "sections": ["langue"],
        "organizations": ["taalunie"],
        "agreements": ["traite"],
    }))
    .unwrap();
    let mut registry = Registry::new();
    registry.push(AnyRecord::Page(page));
    let errors: Vec<(String, String)> = registry
        .validate()
        .into_iter()
        .map(|e| (e.error.field, e.error.value))
        .collect();
    for expected in [
        ("sections[0]", "langue"),
        ("organizations[0]", "taalunie"),
        ("agreements[0]", "traite"),
    ] {
        assert!(
            errors.contains(&(expected.0.into(), expected.1.into())),
            "{expected:?} in {errors:?}"
        );
    }
}
