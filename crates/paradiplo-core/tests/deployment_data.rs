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
        {"fr": "flandre flamand", "en": "flanders flemish"},
        {"fr": "belgique belge"},
    ]));
    assert_eq!(problems(&good), vec![]);

    let bad = home(json!([
        {"fr": "flandre pays-bas", "en": "new-york"},
        {"fr": " ", "en": "Flandre flemish flemish"},
    ]));
    let found = problems(&bad);
    let words = Problem::InvalidValue {
        expected: "words of letters separated by spaces".into(),
    };
    assert!(found.contains(&("places[0].fr".into(), "pays-bas".into(), words.clone())));
    assert!(found.contains(&("places[0].en".into(), "new-york".into(), words)));
    assert!(found.contains(&("places[1].fr".into(), "".into(), Problem::Required)));
    // A form that another group already has: a word would find two places.
    // The same form twice in its own group is harmless.
    let duplicates: Vec<_> = found
        .iter()
        .filter(|(_, _, p)| *p == Problem::Duplicate)
        .collect();
    assert_eq!(
        duplicates,
        vec![&(
            "places[1].en".to_string(),
            "Flandre".to_string(),
            Problem::Duplicate
        )]
    );
    assert_eq!(found.len(), 4, "{found:?}");
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
