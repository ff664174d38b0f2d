//! The procedure as a state machine: transitions, delays, deadlines, views.

use paradiplo_core::lifecycle::{DeadlineKind, Lifecycle, TransitionError};
use paradiplo_core::records::*;
use paradiplo_core::views;
use paradiplo_core::{AnyRecord, Lang, PartialDate, Problem, Registry, Slug, Text};

fn slug(s: &str) -> Slug {
    Slug::parse(s).unwrap()
}

fn t(s: &str) -> Text {
    Text::new(s, s)
}

fn step(key: &str, next: &[&str]) -> ProcedureStep {
    ProcedureStep {
        key: slug(key),
        name: t(key),
        description: t(key),
        actor: t("actor"),
        legal_basis: None,
        optional: false,
        entry: false,
        next: next.iter().map(|n| slug(n)).collect(),
        min_days_after: None,
        max_days_after: None,
        binds_home: false,
        approves_home: false,
    }
}

/// A small version of the treaty procedure: tabling, a 10-day wait before
/// the debate, a decree that binds, an urgency tabling within 30 days.
fn procedure() -> Procedure {
    let mut steps = vec![
        step("position", &["signature"]),
        step("signature", &["depot", "decret"]),
        step("depot", &["debat"]),
        step("debat", &["approbation", "rejet"]),
        step("approbation", &["decret"]),
        step("rejet", &[]),
        step("decret", &["depot-urgence", "vigueur"]),
        step("depot-urgence", &["vigueur"]),
        step("vigueur", &[]),
    ];
    steps[0].entry = true;
    steps[1].entry = true;
    steps[3].min_days_after = Some(StepDelay {
        step: slug("depot"),
        days: 10,
    });
    steps[6].binds_home = true;
    steps[7].max_days_after = Some(StepDelay {
        step: slug("decret"),
        days: 30,
    });
    Procedure {
        slug: slug("traite"),
        name: t("Traité"),
        summary: t("Procédure"),
        legal_basis: None,
        steps,
        sources: vec![],
        staff_note: None,
    }
}

fn s(key: &str, date: Option<&str>) -> Step {
    Step {
        step: slug(key),
        date: date.map(|d| PartialDate::parse(d).unwrap()),
        actor: None,
        note: date.is_none().then(|| t("date inconnue")),
        documents: vec![],
    }
}

#[test]
fn a_valid_history_replays() {
    let p = procedure();
    let lc = Lifecycle::new(&p);
    let h = vec![
        s("signature", Some("2016-10-30")),
        s("depot", Some("2017-05-30")),
        s("debat", Some("2017-06-13")),
        s("approbation", Some("2017-06-14")),
        s("decret", None),
        s("vigueur", Some("2017-09")),
    ];
    let state = lc.replay(&h).unwrap();
    assert_eq!(state.current.unwrap().as_str(), "vigueur");
    assert!(state.bound);
    assert_eq!(state.last_date.unwrap().to_string(), "2017-09");
    assert!(lc.allowed_next(Some("vigueur")).is_empty());
    assert_eq!(p.validate(), vec![]);
}

#[test]
fn forbidden_transitions_say_what_is_allowed() {
    let p = procedure();
    let lc = Lifecycle::new(&p);
    let err = lc
        .check(
            &[s("signature", Some("2016"))],
            &s("approbation", Some("2017")),
        )
        .unwrap_err();
    assert_eq!(
        err,
        TransitionError::NotAllowed {
            from: Some("signature".into()),
            to: "approbation".into(),
            allowed: vec!["depot".into(), "decret".into()],
        }
    );
    let problem = err.problem("traite");
    assert_eq!(
        problem.message(Lang::En),
        "step not allowed after step “signature”; allowed steps: depot, decret"
    );
    assert!(
        problem
            .message(Lang::Fr)
            .contains("étapes permises\u{a0}: depot, decret")
    );
    // Not an entry step.
    let err = lc.check(&[], &s("debat", Some("2017"))).unwrap_err();
    assert!(matches!(
        err,
        TransitionError::NotAllowed { from: None, .. }
    ));
    // After a final step nothing is allowed.
    let h = vec![
        s("signature", Some("2016")),
        s("depot", Some("2017-01-01")),
        s("debat", Some("2017-02-01")),
        s("rejet", Some("2017-02-02")),
    ];
    let err = lc.check(&h, &s("decret", Some("2017-03-01"))).unwrap_err();
    assert!(
        err.problem("traite")
            .message(Lang::En)
            .contains("ends the procedure")
    );
    assert!(matches!(
        lc.check(&h, &s("nowhere", None)),
        Err(TransitionError::UnknownStep { .. })
    ));
}

#[test]
fn dates_never_run_backwards_and_delays_hold() {
    let p = procedure();
    let lc = Lifecycle::new(&p);
    let h = vec![
        s("signature", Some("2017-05-01")),
        s("depot", Some("2017-06-01")),
    ];
    assert!(matches!(
        lc.check(&h, &s("debat", Some("2017-05-20"))),
        Err(TransitionError::Backwards { .. })
    ));
    // The debate may not come before the 10-day wait after tabling.
    let err = lc.check(&h, &s("debat", Some("2017-06-05"))).unwrap_err();
    let TransitionError::TooEarly { earliest, days, .. } = err else {
        panic!("{err:?}")
    };
    assert_eq!((earliest.to_string(), days), ("2017-06-11".to_string(), 10));
    assert!(lc.check(&h, &s("debat", Some("2017-06-11"))).is_ok());
    // A month-precise date that may fall after the wait is accepted.
    assert!(lc.check(&h, &s("debat", Some("2017-06"))).is_ok());
    // Urgency route: tabling at most 30 days after the decree.
    let h = vec![
        s("signature", Some("2020-01-01")),
        s("decret", Some("2020-02-01")),
    ];
    assert!(matches!(
        lc.check(&h, &s("depot-urgence", Some("2020-03-05"))),
        Err(TransitionError::TooLate { .. })
    ));
    assert!(
        lc.check(&h, &s("depot-urgence", Some("2020-03-02")))
            .is_ok()
    );
    // Deadlines that follow from the history.
    let ds = lc.deadlines(&h);
    assert_eq!(ds.len(), 1);
    assert_eq!(
        (ds[0].kind, ds[0].date.to_string(), ds[0].step.as_str()),
        (DeadlineKind::Latest, "2020-03-02".into(), "depot-urgence")
    );
    let ds = lc.deadlines(&[
        s("signature", Some("2017-05-01")),
        s("depot", Some("2017-06-01")),
    ]);
    assert_eq!(
        (ds[0].kind, ds[0].date.to_string()),
        (DeadlineKind::Earliest, "2017-06-11".into())
    );
    // Validation reports the first bad step with its field.
    let errs = lc.validate(&[
        s("signature", Some("2017-05-01")),
        s("depot", Some("2017-06-01")),
        s("debat", Some("2017-06-02")),
    ]);
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].field, "steps[2].date");
    assert!(matches!(
        errs[0].problem,
        Problem::TooEarly { days: 10, .. }
    ));
}

#[test]
fn procedures_validate_their_graph() {
    let mut p = procedure();
    p.steps[2].next.push(slug("nulle-part"));
    p.steps.push(step("orpheline", &[]));
    let errs = p.validate();
    assert!(
        errs.iter()
            .any(|e| e.field == "steps[2].next[1]"
                && matches!(e.problem, Problem::UnknownStep { .. })),
        "{errs:?}"
    );
    assert!(
        errs.iter().any(|e| e.value == "orpheline"),
        "unreachable step reported: {errs:?}"
    );
}

fn agreement(slug_: &str, kind: AgreementKind, steps: Vec<Step>) -> Agreement {
    Agreement {
        slug: slug(slug_),
        reference: None,
        title: t(slug_),
        descriptive_title: false,
        short_title: None,
        kind,
        procedure: Some(slug("traite")),
        status: AgreementStatus::Signed,
        international_status: None,
        important: false,
        signed: None,
        signed_at: None,
        in_force: None,
        ended: None,
        adopted: None,
        provisional_application: None,
        term: None,
        instruments: vec![],
        measures: vec![],
        parties: vec![Party {
            party: PartyRef::Home,
            body: None,
            body_kind: None,
            acts: vec![],
            reservations: None,
        }],
        domains: vec![],
        summary: t("x"),
        steps,
        planned: vec![],
        commitments: vec![],
        related: vec![],
        documents: vec![],
        sources: vec![],
        staff_note: None,
    }
}

fn registry() -> Registry {
    let mut reg = Registry::new();
    reg.push(Home {
        slug: slug("quebec"),
        name: t("Québec"),
        country: paradiplo_core::CountryCode::parse("CA").unwrap(),
        subdivision: paradiplo_core::SubdivisionCode::parse("CA-QC").unwrap(),
        government: t("gouvernement"),
        ministry: t("ministère"),
        summary: t("x"),
        places: vec![],
        reference_formats: vec![],
        staff_note: None,
        contact: None,
        official_figures: vec![],
    });
    reg.push(AnyRecord::Procedure(procedure()));
    // Awaiting approval, tabled on 2026-11-20: the wait ends on 2026-11-30.
    reg.push(agreement(
        "en-attente",
        AgreementKind::CanadaTreaty,
        vec![
            s("signature", Some("2026-10-01")),
            s("depot", Some("2026-11-20")),
        ],
    ));
    // Bound by decree: not awaiting; urgency tabling due 30 days later.
    reg.push(agreement(
        "lie",
        AgreementKind::CanadaTreaty,
        vec![
            s("signature", Some("2026-10-01")),
            s("decret", Some("2026-11-10")),
        ],
    ));
    // In force internationally, never bound, nothing planned: a disagreement.
    let mut d = agreement(
        "desaccord",
        AgreementKind::CanadaTreaty,
        vec![s("signature", Some("2019"))],
    );
    d.international_status = Some(InternationalStatus::InForce);
    reg.push(d.clone());
    // Same but a step is planned: explained, not flagged.
    let mut planned = d.clone();
    planned.slug = slug("desaccord-explique");
    planned.planned = vec![PlannedStep {
        step: slug("depot"),
        due: PartialDate::parse("2027-02").unwrap(),
        note: None,
    }];
    reg.push(planned);
    // An entente with commitments, one recurring every 24 months.
    let mut e = agreement("entente", AgreementKind::QuebecBilateral, vec![]);
    e.procedure = None;
    e.in_force = Some(PartialDate::parse("2024-05-15").unwrap());
    e.commitments = vec![
        Commitment {
            kind: CommitmentKind::JointCommittee,
            description: t("Comité mixte"),
            responsible: t("MRIF"),
            due: None,
            every_months: Some(24),
        },
        Commitment {
            kind: CommitmentKind::Report,
            description: t("Rapport"),
            responsible: t("MRIF"),
            due: Some(PartialDate::parse("2027-01-31").unwrap()),
            every_months: None,
        },
    ];
    reg.push(e);
    for (slug_, status) in [
        ("p-approuvee", PositionStatus::Approved),
        ("p-transmise", PositionStatus::Transmitted),
        ("p-ebauche", PositionStatus::Draft),
    ] {
        reg.push(AnyRecord::Position(Position {
            slug: slug(slug_),
            title: t(slug_),
            agreement: Some(slug("en-attente")),
            event: None,
            organization: None,
            status,
            recipient: t("Canada"),
            date: None,
            summary: t("x"),
            documents: vec![],
            sources: vec![],
            staff_note: None,
        }));
    }
    reg
}

fn date(s: &str) -> time::Date {
    PartialDate::parse(s).unwrap().earliest()
}

#[test]
fn views_answer_what_staff_follow() {
    let reg = registry();
    assert_eq!(reg.validate(), vec![], "the test registry is valid");
    let slugs = |v: Vec<&Agreement>| v.iter().map(|a| a.slug.to_string()).collect::<Vec<_>>();
    assert_eq!(
        slugs(views::awaiting_approval(&reg)),
        ["desaccord", "desaccord-explique", "en-attente"]
    );
    let waiting = views::waiting_periods(&reg, date("2026-11-27"));
    assert_eq!(waiting.len(), 1);
    assert_eq!(
        (
            waiting[0].agreement.slug.as_str(),
            waiting[0].ends_on.to_string()
        ),
        ("en-attente", "2026-11-30".into())
    );
    assert!(
        views::waiting_periods(&reg, date("2026-12-01")).is_empty(),
        "the wait is over"
    );
    let positions: Vec<_> = views::positions_to_transmit(&reg)
        .iter()
        .map(|p| p.slug.to_string())
        .collect();
    assert_eq!(positions, ["p-approuvee"]);
    assert_eq!(slugs(views::status_disagreements(&reg)), ["desaccord"]);

    let deadlines = views::upcoming_deadlines(&reg, date("2026-11-27"), date("2028-06-01"));
    let seen: Vec<(String, &str)> = deadlines
        .iter()
        .map(|d| (d.date.to_string(), d.agreement.slug.as_str()))
        .collect();
    let expected = [
        ("2026-11-30", "en-attente"),         // the debate becomes possible
        ("2026-12-10", "lie"),                // urgency tabling due 30 days after the decree
        ("2027-01-31", "entente"),            // a report
        ("2027-02-01", "desaccord-explique"), // the planned tabling
        ("2028-05-15", "entente"), // the joint committee, every 24 months from entry into force
    ];
    assert_eq!(seen, expected.map(|(d, s)| (d.to_string(), s)));
    assert!(matches!(
        deadlines[1].subject,
        views::DeadlineSubject::StepDueBy { .. }
    ));
    assert!(matches!(
        deadlines[4].subject,
        views::DeadlineSubject::Commitment {
            kind: CommitmentKind::JointCommittee,
            index: 0
        }
    ));
}

#[test]
fn months_add_up() {
    assert_eq!(
        views::add_months(date("2024-01-31"), 1).to_string(),
        "2024-02-29"
    );
    assert_eq!(
        views::add_months(date("2024-05-15"), 24).to_string(),
        "2026-05-15"
    );
    assert_eq!(
        views::add_months(date("2024-11-15"), 2).to_string(),
        "2025-01-15"
    );
}
