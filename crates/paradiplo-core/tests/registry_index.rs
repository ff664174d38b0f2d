//! Finding records by key: a registry of many records keeps one record per
//! (kind, slug) through upserts, and finds each by `get`, after sorting too.

use paradiplo_core::{AnyRecord, RecordKind, Registry};
use serde_json::json;

fn domain(slug: &str, name: &str) -> AnyRecord {
    AnyRecord::from_json(
        RecordKind::Domain,
        json!({"slug": slug, "name": {"fr": name, "en": name}}),
    )
    .unwrap()
}

fn name_of(reg: &Registry, slug: &str) -> String {
    match reg.get(RecordKind::Domain, slug) {
        Some(AnyRecord::Domain(d)) => d.name.fr.clone(),
        other => panic!("domain `{slug}`: {other:?}"),
    }
}

const MANY: usize = 5_000;

#[test]
fn many_upserts_keep_one_record_per_slug_and_the_last_version() {
    let mut reg = Registry::new();
    // Descending slugs, so that sorting moves every record.
    for i in (0..MANY).rev() {
        reg.upsert(domain(&format!("d-{i:05}"), "first"));
    }
    for i in (0..MANY).step_by(2) {
        reg.upsert(domain(&format!("d-{i:05}"), &format!("second {i}")));
    }
    assert_eq!(reg.len(), MANY);
    assert_eq!(reg.of_kind(RecordKind::Domain).len(), MANY);
    assert_eq!(reg.validate(), vec![]);
    assert_eq!(name_of(&reg, "d-00000"), "second 0");
    assert_eq!(name_of(&reg, "d-00001"), "first");
    assert_eq!(name_of(&reg, "d-04998"), "second 4998");
    assert!(reg.get(RecordKind::Domain, "d-99999").is_none());
    assert!(reg.get(RecordKind::Partner, "d-00000").is_none());

    reg.sort();
    assert_eq!(
        reg.of_kind(RecordKind::Domain)[0].slug().as_str(),
        "d-00000"
    );
    for i in [0, 1, 2, 2500, MANY - 1] {
        let slug = format!("d-{i:05}");
        assert_eq!(
            reg.get(RecordKind::Domain, &slug).unwrap().slug().as_str(),
            slug
        );
    }
    // After sorting, an upsert still replaces in place.
    reg.upsert(domain("d-00001", "third"));
    assert_eq!(reg.len(), MANY);
    assert_eq!(name_of(&reg, "d-00001"), "third");
    assert_eq!(
        reg.of_kind(RecordKind::Domain)[1].slug().as_str(),
        "d-00001"
    );
}

#[test]
fn a_pushed_duplicate_is_kept_reported_and_get_finds_the_first() {
    let mut reg = Registry::new();
    reg.push(domain("culture", "first"));
    reg.push(domain("culture", "second"));
    assert_eq!(reg.len(), 2);
    assert_eq!(name_of(&reg, "culture"), "first");
    assert_eq!(reg.validate().len(), 1);
    // An upsert replaces the first, as a scan would have found it.
    reg.upsert(domain("culture", "third"));
    assert_eq!(reg.len(), 2);
    assert_eq!(name_of(&reg, "culture"), "third");
}

#[test]
fn equal_registries_compare_by_their_records() {
    let mut a = Registry::new();
    a.push(domain("culture", "Culture"));
    let mut b = Registry::new();
    b.upsert(domain("culture", "Culture"));
    assert_eq!(a, b);
    b.upsert(domain("culture", "Autre"));
    assert_ne!(a, b);
}
