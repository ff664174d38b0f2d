//! Property tests of the bundled procedures as state machines: random
//! sequences of attempted transitions never store a forbidden one.

use paradiplo::ops;
use paradiplo_core::lifecycle::Lifecycle;
use paradiplo_core::records::{Procedure, Step};
use paradiplo_core::{PartialDate, Text};
use proptest::prelude::*;

/// Read once: parsing the bundled dataset for every case would dominate the run.
fn procedures() -> &'static [Procedure] {
    static PROCEDURES: std::sync::OnceLock<Vec<Procedure>> = std::sync::OnceLock::new();
    PROCEDURES.get_or_init(|| {
        ops::bundled()
            .unwrap()
            .registry
            .typed::<Procedure>()
            .cloned()
            .collect()
    })
}

/// An attempt: which step (index into the procedure's steps, or past it for
/// an unknown key), and a date offset in days from the last attempt (None:
/// date not established).
fn attempts() -> impl Strategy<Value = Vec<(usize, Option<i64>)>> {
    prop::collection::vec(
        (0usize..24, prop::option::weighted(0.85, -40i64..120)),
        0..40,
    )
}

fn run(p: &Procedure, attempts: &[(usize, Option<i64>)]) {
    let lc = Lifecycle::new(p);
    let mut stored: Vec<Step> = Vec::new();
    let mut clock = time::macros::date!(2000 - 01 - 01);
    for (index, offset) in attempts {
        let key = p
            .steps
            .get(*index)
            .map(|s| s.key.clone())
            .unwrap_or_else(|| paradiplo_core::Slug::parse("etape-inconnue").unwrap());
        let date = offset.map(|days| {
            clock = clock
                .checked_add(time::Duration::days(days))
                .unwrap_or(clock);
            PartialDate::Day(clock)
        });
        let step = Step {
            step: key.clone(),
            date,
            actor: None,
            note: date
                .is_none()
                .then(|| Text::new("date inconnue", "date unknown")),
            documents: vec![],
        };
        let before = lc.replay(&stored).expect("what is stored always replays");
        match lc.check(&stored, &step) {
            Ok(()) => stored.push(step),
            Err(_) => {
                // A refused step changes nothing.
                assert_eq!(lc.replay(&stored).unwrap(), before);
            }
        }
    }
    // 1. No forbidden transition is stored: the whole history replays.
    let state = lc.replay(&stored).expect("no forbidden transition stored");
    // 2. Known dates never run backwards.
    let dates: Vec<PartialDate> = stored.iter().filter_map(|s| s.date).collect();
    for w in dates.windows(2) {
        assert!(!w[1].certainly_before(&w[0]), "{} after {}", w[1], w[0]);
    }
    // 3. Every stored state is reachable from the start.
    let reachable = lc.reachable();
    for s in &stored {
        assert!(reachable.contains(&&s.step), "{} unreachable", s.step);
    }
    // 4. The history reproduces the current state.
    assert_eq!(state.current.as_ref(), stored.last().map(|s| &s.step));
    let bound = stored
        .iter()
        .any(|s| lc.step(s.step.as_str()).is_some_and(|p| p.binds_home));
    assert_eq!(state.bound, bound);
    assert_eq!(state.last_date, dates.last().copied());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn random_transitions_keep_the_invariants(attempts in attempts()) {
        for p in procedures() {
            run(p, &attempts);
        }
    }

    /// Walks that only take allowed steps are always accepted (with dates
    /// that respect the delays), so the machine refuses nothing it allows.
    #[test]
    fn allowed_walks_are_accepted(choices in prop::collection::vec(0usize..8, 0..30)) {
        for p in procedures() {
            let lc = Lifecycle::new(p);
            let mut stored: Vec<Step> = Vec::new();
            let mut clock = time::macros::date!(2000 - 01 - 01);
            for c in &choices {
                let state = lc.replay(&stored).unwrap();
                let allowed = lc.allowed_next(state.current.as_ref().map(|s| s.as_str()));
                if allowed.is_empty() {
                    break;
                }
                let next = allowed[c % allowed.len()];
                // Far enough for any waiting period, close enough for any deadline.
                let wait = next.min_days_after.as_ref().map(|d| d.days).unwrap_or(1).max(1);
                clock = clock.checked_add(time::Duration::days(wait.into())).unwrap();
                let step = Step { step: next.key.clone(), date: Some(PartialDate::Day(clock)), actor: None, note: None, documents: vec![] };
                prop_assert!(lc.check(&stored, &step).is_ok(), "{} refused after {:?}", next.key, state.current);
                stored.push(step);
            }
        }
    }
}

#[test]
fn bundled_procedures_are_complete_machines() {
    for p in procedures() {
        let lc = Lifecycle::new(p);
        assert_eq!(
            lc.reachable().len(),
            p.steps.len(),
            "every step of {} is reachable",
            p.slug
        );
        assert!(
            p.steps.iter().any(|s| s.binds_home),
            "{} binds the home state somewhere",
            p.slug
        );
        assert!(
            p.steps.iter().any(|s| s.next.is_empty()),
            "{} can end",
            p.slug
        );
        assert!(
            p.steps
                .iter()
                .any(|s| s.min_days_after.as_ref().is_some_and(|d| d.days == 10)),
            "the 10-day wait after tabling"
        );
        assert!(
            p.steps
                .iter()
                .any(|s| s.max_days_after.as_ref().is_some_and(|d| d.days == 30)),
            "the 30-day tabling deadline of the urgency route"
        );
    }
}
