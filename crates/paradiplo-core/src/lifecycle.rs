//! Agreements through their procedure, as an explicit state machine.
//!
//! A procedure (data, see `Procedure`) lists its steps; each step names the
//! steps allowed right after it (`next`), whether a history may begin there
//! (`entry`), and delays counted from earlier steps (the 10-day wait before
//! the debate, the 30-day tabling deadline on the urgency route). An
//! agreement's `steps` is its history: a path through that graph whose known
//! dates never run backwards.

use crate::error::{FieldError, Problem};
use crate::records::{Agreement, Procedure, ProcedureStep, Step, StepDelay};
use crate::values::{PartialDate, Slug};

/// Why a step may not be recorded where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransitionError {
    UnknownStep {
        step: String,
    },
    /// `to` may not follow `from` (None: the start of the history).
    NotAllowed {
        from: Option<String>,
        to: String,
        allowed: Vec<String>,
    },
    /// The date is earlier than the last known date before it.
    Backwards {
        previous: PartialDate,
    },
    /// The step comes before the end of a waiting period.
    TooEarly {
        after: String,
        days: u32,
        earliest: time::Date,
    },
    /// The step comes after its deadline.
    TooLate {
        after: String,
        days: u32,
        latest: time::Date,
    },
}

impl TransitionError {
    pub fn problem(&self, procedure: &str) -> Problem {
        match self {
            TransitionError::UnknownStep { .. } => Problem::UnknownStep {
                procedure: procedure.to_string(),
            },
            TransitionError::NotAllowed { from, allowed, .. } => Problem::TransitionNotAllowed {
                from: from.clone().unwrap_or_default(),
                allowed: allowed.join(", "),
            },
            TransitionError::Backwards { previous } => Problem::DateBefore {
                other_field: previous.to_string(),
            },
            TransitionError::TooEarly {
                after,
                days,
                earliest,
            } => Problem::TooEarly {
                after: after.clone(),
                days: *days,
                earliest: earliest.to_string(),
            },
            TransitionError::TooLate {
                after,
                days,
                latest,
            } => Problem::TooLate {
                after: after.clone(),
                days: *days,
                latest: latest.to_string(),
            },
        }
    }
}

/// The state a history leads to.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LifecycleState {
    /// The last step reached; None before any step.
    pub current: Option<Slug>,
    /// The last known date along the history.
    pub last_date: Option<PartialDate>,
    /// True once a step that binds the home state was reached.
    pub bound: bool,
    /// True once the home state approved (a step that approves or binds).
    pub approved: bool,
}

/// A date the procedure sets for what comes next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcedureDeadline {
    /// The step the date is about.
    pub step: Slug,
    /// Earliest (a waiting period ends) or latest (a deadline).
    pub kind: DeadlineKind,
    pub date: time::Date,
    /// The earlier step the delay counts from, and the delay.
    pub after: Slug,
    pub days: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeadlineKind {
    Earliest,
    Latest,
}

/// A procedure seen as a state machine.
#[derive(Debug, Clone, Copy)]
pub struct Lifecycle<'a> {
    pub procedure: &'a Procedure,
}

impl<'a> Lifecycle<'a> {
    pub fn new(procedure: &'a Procedure) -> Lifecycle<'a> {
        Lifecycle { procedure }
    }

    pub fn step(&self, key: &str) -> Option<&'a ProcedureStep> {
        self.procedure.steps.iter().find(|s| s.key.as_str() == key)
    }

    /// The steps allowed after `current` (after nothing: the entry steps).
    pub fn allowed_next(&self, current: Option<&str>) -> Vec<&'a ProcedureStep> {
        match current {
            None => self.procedure.steps.iter().filter(|s| s.entry).collect(),
            Some(key) => self
                .step(key)
                .map(|s| {
                    s.next
                        .iter()
                        .filter_map(|n| self.step(n.as_str()))
                        .collect()
                })
                .unwrap_or_default(),
        }
    }

    /// Checks that `next` may be recorded after `history` (assumed valid).
    pub fn check(&self, history: &[Step], next: &Step) -> Result<(), TransitionError> {
        let state = self.replay(history).map_err(|(_, e)| e)?;
        self.check_from(&state, history, next)
    }

    fn check_from(
        &self,
        state: &LifecycleState,
        history: &[Step],
        next: &Step,
    ) -> Result<(), TransitionError> {
        let key = next.step.as_str();
        let target = self.step(key).ok_or_else(|| TransitionError::UnknownStep {
            step: key.to_string(),
        })?;
        let allowed = self.allowed_next(state.current.as_ref().map(Slug::as_str));
        if !allowed.iter().any(|s| s.key == target.key) {
            return Err(TransitionError::NotAllowed {
                from: state.current.as_ref().map(Slug::to_string),
                to: key.to_string(),
                allowed: allowed.iter().map(|s| s.key.to_string()).collect(),
            });
        }
        if let (Some(previous), Some(date)) = (state.last_date, next.date)
            && date.certainly_before(&previous)
        {
            return Err(TransitionError::Backwards { previous });
        }
        if let Some(date) = next.date {
            if let Some(delay) = &target.min_days_after
                && let Some(from) = last_date_of(history, &delay.step)
            {
                let earliest = add_days(from.latest(), delay.days);
                // Only a date that certainly falls before the end of the wait is refused.
                if date.latest() < earliest {
                    return Err(TransitionError::TooEarly {
                        after: delay.step.to_string(),
                        days: delay.days,
                        earliest,
                    });
                }
            }
            if let Some(delay) = &target.max_days_after
                && let Some(from) = last_date_of(history, &delay.step)
            {
                let latest = add_days(from.earliest(), delay.days);
                if date.earliest() > latest {
                    return Err(TransitionError::TooLate {
                        after: delay.step.to_string(),
                        days: delay.days,
                        latest,
                    });
                }
            }
        }
        Ok(())
    }

    /// Plays a history through the machine; on the first step that is not
    /// allowed, returns its index and why.
    pub fn replay(&self, steps: &[Step]) -> Result<LifecycleState, (usize, TransitionError)> {
        let mut state = LifecycleState::default();
        for (i, step) in steps.iter().enumerate() {
            self.check_from(&state, &steps[..i], step)
                .map_err(|e| (i, e))?;
            state = self.advance(state, step);
        }
        Ok(state)
    }

    fn advance(&self, mut state: LifecycleState, step: &Step) -> LifecycleState {
        state.current = Some(step.step.clone());
        if let Some(d) = step.date {
            state.last_date = Some(d);
        }
        if let Some(s) = self.step(step.step.as_str()) {
            state.bound |= s.binds_home;
            state.approved |= s.binds_home || s.approves_home;
        }
        state
    }

    /// Every problem of a history, as field errors on `steps[i]`.
    pub fn validate(&self, steps: &[Step]) -> Vec<FieldError> {
        match self.replay(steps) {
            Ok(_) => vec![],
            Err((i, e)) => {
                let field = match e {
                    TransitionError::Backwards { .. }
                    | TransitionError::TooEarly { .. }
                    | TransitionError::TooLate { .. } => format!("steps[{i}].date"),
                    _ => format!("steps[{i}].step"),
                };
                let value = match e {
                    TransitionError::Backwards { .. }
                    | TransitionError::TooEarly { .. }
                    | TransitionError::TooLate { .. } => {
                        steps[i].date.map(|d| d.to_string()).unwrap_or_default()
                    }
                    _ => steps[i].step.to_string(),
                };
                vec![FieldError::new(
                    field,
                    value,
                    e.problem(self.procedure.slug.as_str()),
                )]
            }
        }
    }

    /// Dates the procedure sets for the steps allowed next: when a waiting
    /// period ends, by when a step is due.
    pub fn deadlines(&self, steps: &[Step]) -> Vec<ProcedureDeadline> {
        let Ok(state) = self.replay(steps) else {
            return vec![];
        };
        let mut out = Vec::new();
        for next in self.allowed_next(state.current.as_ref().map(Slug::as_str)) {
            let mut push = |delay: &StepDelay, kind: DeadlineKind| {
                if let Some(from) = last_date_of(steps, &delay.step) {
                    let base = match kind {
                        DeadlineKind::Earliest => from.latest(),
                        DeadlineKind::Latest => from.earliest(),
                    };
                    out.push(ProcedureDeadline {
                        step: next.key.clone(),
                        kind,
                        date: add_days(base, delay.days),
                        after: delay.step.clone(),
                        days: delay.days,
                    });
                }
            };
            if let Some(d) = &next.min_days_after {
                push(d, DeadlineKind::Earliest);
            }
            if let Some(d) = &next.max_days_after {
                push(d, DeadlineKind::Latest);
            }
        }
        out
    }

    /// Every step reachable from an entry step.
    pub fn reachable(&self) -> Vec<&'a Slug> {
        let mut seen: Vec<&Slug> = Vec::new();
        let mut todo: Vec<&ProcedureStep> = self.allowed_next(None);
        while let Some(s) = todo.pop() {
            if seen.contains(&&s.key) {
                continue;
            }
            seen.push(&s.key);
            todo.extend(self.allowed_next(Some(s.key.as_str())));
        }
        seen
    }
}

/// The date of the last step with this key in a history, if known.
fn last_date_of(history: &[Step], key: &Slug) -> Option<PartialDate> {
    history
        .iter()
        .rev()
        .find(|s| &s.step == key)
        .and_then(|s| s.date)
}

fn add_days(date: time::Date, days: u32) -> time::Date {
    date.checked_add(time::Duration::days(days.into()))
        .unwrap_or(time::Date::MAX)
}

/// The agreement's state along its procedure, when it has one.
pub fn state_of(agreement: &Agreement, procedure: &Procedure) -> Option<LifecycleState> {
    Lifecycle::new(procedure).replay(&agreement.steps).ok()
}
