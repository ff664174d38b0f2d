//! The relations log: activities, people with posts, follow-ups.

use paradiplo_core::asof::as_of;
use paradiplo_core::records::*;
use paradiplo_core::views::{PublicActivity, overdue_follow_ups};
use paradiplo_core::{AnyRecord, PartialDate, Problem, RecordKind, Registry};
use serde_json::json;

fn rec(kind: RecordKind, v: serde_json::Value) -> AnyRecord {
    AnyRecord::from_json(kind, v).unwrap()
}

fn day(s: &str) -> time::Date {
    PartialDate::parse(s).unwrap().earliest()
}

fn registry() -> Registry {
    let mut reg = Registry::new();
    reg.push(rec(
        RecordKind::Domain,
        json!({"slug": "energie", "name": {"fr": "Énergie", "en": "Energy"}}),
    ));
    reg.push(rec(RecordKind::Partner, json!({
        "slug": "baviere", "name": {"fr": "Bavière", "en": "Bavaria"}, "kind": "federated_state",
        "country": "DE", "subdivision": "DE-BY", "world_region": "western_europe", "summary": {"fr": "x", "en": "x"}})));
    reg.push(rec(RecordKind::Person, json!({
        "slug": "delegue", "name": {"fr": "Claire Tremblay"},
        "posts": [
            {"title": {"fr": "Déléguée générale à Munich", "en": "Delegate General in Munich"}, "since": "2020-09-01", "until": "2024-08-31"},
            {"title": {"fr": "Sous-ministre adjointe", "en": "Assistant Deputy Minister"}, "within": "partner:baviere", "since": "2024-09-01"}
        ]})));
    reg.push(rec(RecordKind::Activity, json!({
        "slug": "mission-baviere-2026", "title": {"fr": "Mission du premier ministre en Bavière", "en": "Premier's mission to Bavaria"},
        "kind": "mission", "status": "held", "start": "2026-10-05", "end": "2026-10-08", "partners": ["baviere"],
        "participants": [{"person": "delegue", "role": {"fr": "Organisation", "en": "Organizer"}}],
        "subject": {"fr": "Transition énergétique", "en": "Energy transition"}, "domains": ["energie"]})));
    for (slug, due, state) in [
        ("rapport", "2026-11-20", "open"),
        ("lettre", "2026-11-27", "in_progress"),
        ("bilan", "2026-11-01", "done"),
        ("suite", "2026-12-15", "open"),
    ] {
        reg.push(rec(
            RecordKind::FollowUp,
            json!({
            "slug": slug, "title": {"fr": slug}, "activity": "mission-baviere-2026",
            "owner": "ana@example.org", "due": due, "state": state}),
        ));
    }
    reg
}

#[test]
fn an_activity_with_follow_ups_and_overdue_at_a_fixed_clock() {
    let reg = registry();
    assert_eq!(reg.validate(), vec![]);
    let overdue = |d: &str| {
        overdue_follow_ups(&reg, day(d))
            .iter()
            .map(|f| f.slug.to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        overdue("2026-11-20"),
        Vec::<String>::new(),
        "due today is not overdue"
    );
    assert_eq!(overdue("2026-11-21"), ["rapport"]);
    assert_eq!(
        overdue("2026-11-28"),
        ["rapport", "lettre"],
        "done ones never are"
    );
    assert_eq!(overdue("2026-12-16"), ["rapport", "lettre", "suite"]);
}

#[test]
fn references_and_owners_are_checked() {
    let mut reg = registry();
    reg.push(rec(RecordKind::FollowUp, json!({
        "slug": "orphelin", "title": {"fr": "x"}, "activity": "nulle-part", "owner": "pas-un-courriel", "due": "2026-01-01", "state": "open"})));
    let errors: Vec<_> = reg
        .validate()
        .into_iter()
        .filter(|e| e.slug == "orphelin")
        .map(|e| e.error)
        .collect();
    assert!(
        errors
            .iter()
            .any(|e| e.field == "owner" && matches!(e.problem, Problem::InvalidValue { .. }))
    );
    assert!(errors.iter().any(|e| e.field == "activity" && matches!(e.problem, Problem::UnknownReference { .. })));
}

#[test]
fn posts_as_of_and_public_summaries() {
    let reg = registry();
    let posts = |d: &str| -> Vec<String> {
        as_of(&reg, day(d))
            .typed::<Person>()
            .flat_map(|p| p.posts.iter().map(|x| x.title.fr.clone()))
            .collect()
    };
    assert_eq!(posts("2024-08-31"), ["Déléguée générale à Munich"]);
    assert_eq!(posts("2024-09-01"), ["Sous-ministre adjointe"]);
    assert!(posts("2020-08-31").is_empty());
    let a = reg.typed::<Activity>().next().unwrap();
    assert_eq!(
        PublicActivity::of(a),
        None,
        "nothing public without a public summary"
    );
    let mut a = a.clone();
    a.public_summary = Some(paradiplo_core::Text::new(
        "Mission économique.",
        "Economic mission.",
    ));
    assert_eq!(
        PublicActivity::of(&a).unwrap().summary.fr,
        "Mission économique."
    );
    a.status = ActivityStatus::Cancelled;
    assert_eq!(PublicActivity::of(&a), None);
}
