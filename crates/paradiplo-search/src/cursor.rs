//! Where the index stands in the revision log.
//!
//! On PostgreSQL, revision ids come from a sequence: a transaction that took
//! id 10 may commit after one that took id 11. Reading "everything after 11"
//! would then miss 10 forever. So the cursor remembers the ids it skipped
//! over (gaps) and reads again from the oldest one until it shows up or
//! until [`GAP_WAIT`] has passed (a rolled-back transaction leaves a gap
//! that never fills).

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// How long a missing revision id is waited for.
pub const GAP_WAIT: Duration = Duration::from_secs(30);
/// More missing ids than this in one jump are not tracked one by one (a
/// sequence that jumped after a crash, not transactions in flight).
const MAX_GAP: i64 = 1_000;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cursor {
    /// The highest revision id applied.
    high: i64,
    /// Ids below `high` not seen yet, with when they were first missed.
    gaps: BTreeMap<i64, Instant>,
}

impl Cursor {
    /// A cursor that has applied everything up to `settled`.
    pub fn at(settled: i64) -> Cursor {
        Cursor {
            high: settled,
            gaps: BTreeMap::new(),
        }
    }

    /// The id to read after: below the oldest gap, so that late commits are seen.
    pub fn read_after(&self) -> i64 {
        match self.gaps.keys().next() {
            Some(g) => (g - 1).min(self.high),
            None => self.high,
        }
    }

    /// Every id up to this one is applied or given up on: what is persisted.
    pub fn settled(&self) -> i64 {
        self.read_after()
    }

    /// Takes note of the ids read (ascending); returns those not applied yet.
    pub fn observe(&mut self, ids: &[i64], now: Instant) -> Vec<i64> {
        let mut fresh = Vec::new();
        for &id in ids {
            if id > self.high {
                if id - self.high - 1 <= MAX_GAP {
                    for g in self.high + 1..id {
                        self.gaps.insert(g, now);
                    }
                }
                self.high = id;
                fresh.push(id);
            } else if self.gaps.remove(&id).is_some() {
                fresh.push(id);
            }
        }
        self.gaps
            .retain(|_, seen| now.duration_since(*seen) < GAP_WAIT);
        fresh
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_late_commit_is_not_missed() {
        let t0 = Instant::now();
        let mut c = Cursor::at(9);
        // 11 commits before 10.
        assert_eq!(c.observe(&[11], t0), vec![11]);
        assert_eq!(c.read_after(), 9, "reads again from before the gap");
        assert_eq!(c.settled(), 9);
        // Next poll sees 10 and 11 again: only 10 is new.
        assert_eq!(c.observe(&[10, 11], t0), vec![10]);
        assert_eq!(c.read_after(), 11);
    }

    #[test]
    fn a_rolled_back_id_is_given_up_after_a_while() {
        let t0 = Instant::now();
        let mut c = Cursor::at(0);
        assert_eq!(c.observe(&[1, 3], t0), vec![1, 3]);
        assert_eq!(c.read_after(), 1);
        assert_eq!(
            c.observe(&[3], t0 + Duration::from_secs(1)),
            Vec::<i64>::new()
        );
        assert_eq!(c.read_after(), 1);
        c.observe(&[3], t0 + GAP_WAIT + Duration::from_secs(1));
        assert_eq!(c.read_after(), 3);
    }

    #[test]
    fn a_huge_jump_is_not_tracked() {
        let mut c = Cursor::at(5);
        c.observe(&[5_000], Instant::now());
        assert_eq!(c.read_after(), 5_000);
    }
}
