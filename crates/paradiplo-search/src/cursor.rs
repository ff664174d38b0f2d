//! Where the index stands in the revision log.
//!
//! On PostgreSQL, revision ids come from a sequence: a transaction that took
//! id 10 may commit after one that took id 11, and an import holding 40,000
//! ids may commit minutes after later writes. Reading "everything after 11"
//! would then miss 10 forever. So the cursor remembers every id it skipped
//! over, as ranges (a jump of any size costs one entry), and the index reads
//! those ranges again on every catch-up until their revisions show up.
//!
//! A range is kept for [`GAP_WAIT`] — far longer than any transaction runs —
//! because a rolled-back transaction leaves a range that never fills and
//! nothing in the log tells the two apart. Past that, the range is dropped
//! and the index reconciles itself against the store (counts compared,
//! rebuilt when they differ), so that even then nothing stays lost.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// How long missing revision ids are looked for.
pub const GAP_WAIT: Duration = Duration::from_secs(6 * 3600);

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cursor {
    /// The highest revision id applied.
    high: i64,
    /// Ids below `high` not seen yet: first id → (last id, when first missed).
    gaps: BTreeMap<i64, (i64, Instant)>,
    /// Ranges given up since the last [`Cursor::take_expired`].
    expired: usize,
}

impl Cursor {
    /// A cursor that has applied everything up to `settled`.
    pub fn at(settled: i64) -> Cursor {
        Cursor {
            high: settled,
            ..Cursor::default()
        }
    }

    /// The id to read new revisions after (gaps are read by range).
    pub fn read_after(&self) -> i64 {
        self.high
    }

    /// Every id up to this one is applied or given up on: what is persisted
    /// (an index reopened there reads the gaps again).
    pub fn settled(&self) -> i64 {
        match self.gaps.keys().next() {
            Some(g) => (g - 1).min(self.high),
            None => self.high,
        }
    }

    /// The ranges of ids still missing, oldest first (inclusive bounds).
    pub fn gaps(&self) -> Vec<(i64, i64)> {
        self.gaps.iter().map(|(a, (b, _))| (*a, *b)).collect()
    }

    /// How many ids are missing, and how long the oldest has been.
    pub fn lag(&self, now: Instant) -> (i64, Duration) {
        let missing = self.gaps.iter().map(|(a, (b, _))| b - a + 1).sum();
        let oldest = self
            .gaps
            .values()
            .map(|(_, seen)| now.duration_since(*seen))
            .max()
            .unwrap_or_default();
        (missing, oldest)
    }

    /// Takes note of the ids read (ascending within one call); returns
    /// those not applied yet.
    pub fn observe(&mut self, ids: &[i64], now: Instant) -> Vec<i64> {
        let mut fresh = Vec::new();
        for &id in ids {
            if id > self.high {
                if id > self.high + 1 {
                    self.gaps.insert(self.high + 1, (id - 1, now));
                }
                self.high = id;
                fresh.push(id);
            } else if self.fill(id) {
                fresh.push(id);
            }
        }
        let before = self.gaps.len();
        self.gaps
            .retain(|_, (_, seen)| now.duration_since(*seen) < GAP_WAIT);
        self.expired += before - self.gaps.len();
        fresh
    }

    /// Removes `id` from the range holding it; false when it was in none.
    fn fill(&mut self, id: i64) -> bool {
        let Some((&start, &(end, seen))) = self.gaps.range(..=id).next_back() else {
            return false;
        };
        if id > end {
            return false;
        }
        self.gaps.remove(&start);
        if start < id {
            self.gaps.insert(start, (id - 1, seen));
        }
        if id < end {
            self.gaps.insert(id + 1, (end, seen));
        }
        true
    }

    /// Watches these ranges again (ids above the highest applied are read
    /// anyway): after a rebuild, which starts a new cursor.
    pub fn watch(&mut self, gaps: &[(i64, i64)], now: Instant) {
        for &(from, to) in gaps {
            let to = to.min(self.high);
            let overlaps = self
                .gaps
                .range(..=to)
                .next_back()
                .is_some_and(|(_, (end, _))| *end >= from);
            if from <= to && !overlaps {
                self.gaps.insert(from, (to, now));
            }
        }
    }

    /// How many ranges were given up since the last call: the index then
    /// reconciles itself against the store.
    pub fn take_expired(&mut self) -> usize {
        std::mem::take(&mut self.expired)
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
        assert_eq!(c.gaps(), vec![(10, 10)]);
        assert_eq!(c.settled(), 9);
        // Reading the gap finds 10.
        assert_eq!(c.observe(&[10], t0), vec![10]);
        assert_eq!(c.gaps(), vec![]);
        assert_eq!(c.settled(), 11);
        assert_eq!(c.read_after(), 11);
    }

    #[test]
    fn a_huge_jump_is_tracked_as_one_range_and_filled_in_any_order() {
        let t0 = Instant::now();
        let mut c = Cursor::at(5);
        assert_eq!(c.observe(&[50_000], t0), vec![50_000]);
        assert_eq!(c.gaps(), vec![(6, 49_999)]);
        assert_eq!(c.lag(t0).0, 49_994);
        assert_eq!(c.observe(&[7, 6, 49_999], t0), vec![7, 6, 49_999]);
        assert_eq!(c.gaps(), vec![(8, 49_998)]);
        assert_eq!(c.settled(), 7);
        // Seen twice: applied once.
        assert_eq!(c.observe(&[7, 50_000], t0), Vec::<i64>::new());
        let rest: Vec<i64> = (8..=49_998).collect();
        assert_eq!(c.observe(&rest, t0).len(), rest.len());
        assert_eq!(c.gaps(), vec![]);
        assert_eq!(c.settled(), 50_000);
    }

    #[test]
    fn a_commit_minutes_late_is_still_applied() {
        let t0 = Instant::now();
        let mut c = Cursor::at(0);
        c.observe(&[1, 3], t0);
        let later = t0 + Duration::from_secs(600);
        assert_eq!(c.observe(&[], later), Vec::<i64>::new());
        assert_eq!(c.observe(&[2], later), vec![2]);
        assert_eq!(c.take_expired(), 0);
    }

    #[test]
    fn a_range_never_filled_is_given_up_and_reported() {
        let t0 = Instant::now();
        let mut c = Cursor::at(0);
        c.observe(&[1, 3], t0);
        assert_eq!(c.settled(), 1);
        c.observe(&[], t0 + GAP_WAIT + Duration::from_secs(1));
        assert_eq!(c.settled(), 3);
        assert_eq!(c.take_expired(), 1, "the index reconciles");
        assert_eq!(c.take_expired(), 0);
    }
}
