//! A judged query set: queries people type, each with the records it should
//! find, and the figures that say how well the search finds them (recall at
//! 1 and 5, mean reciprocal rank), per kind of query and overall, on a
//! tuning half and a held-back half.
//!
//! The file is tab-separated: `kind`, `lang` (`fr` or `en`), the query, and
//! the expected records as `kind/slug` separated by spaces (any of them
//! counts as found). Blank lines and lines starting with `#` are skipped.
//! A query's half is decided by a hash of its text, not by its results.

use crate::{SearchIndex, SearchRequest};
use paradiplo_core::Lang;
use std::collections::BTreeMap;

/// One judged query.
#[derive(Debug, Clone, PartialEq)]
pub struct Judged {
    pub kind: String,
    pub lang: Lang,
    pub query: String,
    pub expected: Vec<String>,
    /// 1-based line in the file.
    pub line: usize,
}

impl Judged {
    /// The held-back half (not used for tuning): queries whose FNV-1a hash
    /// is odd.
    pub fn held_back(&self) -> bool {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in self.query.as_bytes() {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        h % 2 == 1
    }
}

/// Reads the file's text; an error names the line and the value at fault.
pub fn parse(file: &str, text: &str) -> Result<Vec<Judged>, String> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let at = format!("{file}:{}", i + 1);
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        let [kind, lang, query, expected] = cols[..] else {
            return Err(format!(
                "{at}: {} columns, expected 4 (kind, lang, query, expected): {line:?}",
                cols.len()
            ));
        };
        let lang = match lang {
            "fr" => Lang::Fr,
            "en" => Lang::En,
            other => return Err(format!("{at}: lang {other:?}, expected fr or en")),
        };
        let expected: Vec<String> = expected.split_whitespace().map(str::to_string).collect();
        if let Some(bad) = expected.iter().find(|e| !e.contains('/')) {
            return Err(format!("{at}: expected record {bad:?}, expected kind/slug"));
        }
        if query.trim().is_empty() || expected.is_empty() {
            return Err(format!("{at}: empty query or no expected record: {line:?}"));
        }
        out.push(Judged {
            kind: kind.to_string(),
            lang,
            query: query.to_string(),
            expected,
            line: i + 1,
        });
    }
    Ok(out)
}

/// Recall at 1 and 5 and mean reciprocal rank (first expected record in the
/// top 20) over `n` queries.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Scores {
    pub n: usize,
    pub r1: f64,
    pub r5: f64,
    pub mrr: f64,
}

impl Scores {
    fn add(&mut self, rank: Option<usize>) {
        self.n += 1;
        if let Some(r) = rank {
            self.r1 += f64::from(u8::from(r == 1));
            self.r5 += f64::from(u8::from(r <= 5));
            self.mrr += 1.0 / r as f64;
        }
    }
    fn mean(mut self) -> Scores {
        if self.n > 0 {
            let n = self.n as f64;
            (self.r1, self.r5, self.mrr) = (self.r1 / n, self.r5 / n, self.mrr / n);
        }
        self
    }
}

/// The figures of a run: per half (`false` tuning, `true` held back), per
/// kind of query and overall (kind `all`), and the queries whose expected
/// record is not first.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub scores: BTreeMap<(bool, String), Scores>,
    pub misses: Vec<(Judged, Option<usize>, Vec<String>)>,
}

impl Report {
    pub fn get(&self, held_back: bool, kind: &str) -> Scores {
        self.scores
            .get(&(held_back, kind.to_string()))
            .copied()
            .unwrap_or_default()
    }
}

/// The rank (1-based, top 20) of the first expected record of `j`, and the
/// top five found.
pub fn rank(index: &SearchIndex, j: &Judged) -> (Option<usize>, Vec<String>) {
    let mut req = SearchRequest::new(&j.query, j.lang);
    req.snippets = false;
    let found: Vec<String> = index
        .search(&req)
        .map(|r| r.hits)
        .unwrap_or_default()
        .into_iter()
        .map(|h| format!("{}/{}", h.kind, h.slug))
        .collect();
    let rank = found
        .iter()
        .position(|k| j.expected.contains(k))
        .map(|p| p + 1);
    (rank, found.into_iter().take(5).collect())
}

/// Runs every query and scores it.
pub fn evaluate(index: &SearchIndex, queries: &[Judged]) -> Report {
    let mut report = Report::default();
    for j in queries {
        let (rank, top) = rank(index, j);
        let half = j.held_back();
        for kind in [j.kind.as_str(), "all"] {
            report
                .scores
                .entry((half, kind.to_string()))
                .or_default()
                .add(rank);
        }
        if rank != Some(1) {
            report.misses.push((j.clone(), rank, top));
        }
    }
    for s in report.scores.values_mut() {
        *s = s.mean();
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_parse_and_errors_name_the_line() {
        let q = parse(
            "q.tsv",
            "# c\n\npartner\tfr\tinde\tpartner/maharashtra representation/mumbai\n",
        )
        .unwrap();
        assert_eq!(q.len(), 1);
        assert_eq!(q[0].expected.len(), 2);
        assert_eq!(q[0].line, 3);
        let e = parse("q.tsv", "partner\tde\tinde\tpartner/x\n").unwrap_err();
        assert!(e.starts_with("q.tsv:1: lang \"de\""), "{e}");
        let e = parse("q.tsv", "partner\tfr\tinde\tmaharashtra\n").unwrap_err();
        assert!(e.contains("\"maharashtra\""), "{e}");
    }

    #[test]
    fn scores_average_ranks() {
        let mut s = Scores::default();
        for r in [Some(1), Some(3), None, Some(10)] {
            s.add(r);
        }
        let s = s.mean();
        assert_eq!((s.n, s.r1, s.r5), (4, 0.25, 0.5));
        assert!((s.mrr - (1.0 + 1.0 / 3.0 + 0.1) / 4.0).abs() < 1e-9);
    }
}
