//! Facet counts in one pass over the matching documents, from fast fields:
//! per segment, counts by term ordinal; names are looked up once per
//! segment at the end.

use std::collections::BTreeMap;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

/// The string facets, in the order of [`Counts::strings`].
pub const STRING_FACETS: [&str; 4] = ["kind", "region", "domain", "status"];

/// Counts of every facet over the matching documents.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Counts {
    pub total: u64,
    /// One map per [`STRING_FACETS`] entry: value → documents.
    pub strings: [BTreeMap<String, u64>; 4],
    pub years: BTreeMap<u64, u64>,
}

pub struct FacetCollector;

pub struct FacetSegment {
    columns: Vec<Option<(StrColumn, Vec<u64>)>>,
    year: Option<Column<u64>>,
    /// Counts by year, indexed by the year itself (years are small numbers).
    years: Vec<u64>,
    total: u64,
}

const YEAR_SLOTS: usize = 4096;

impl Collector for FacetCollector {
    type Fruit = Counts;
    type Child = FacetSegment;

    fn for_segment(
        &self,
        _ord: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<FacetSegment> {
        let fast = segment.fast_fields();
        let mut columns = Vec::with_capacity(STRING_FACETS.len());
        for name in STRING_FACETS {
            columns.push(fast.str(name)?.map(|c| {
                let n = c.num_terms();
                (c, vec![0u64; n])
            }));
        }
        Ok(FacetSegment {
            columns,
            year: fast.column_opt::<u64>("year")?,
            years: vec![0; YEAR_SLOTS],
            total: 0,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Counts>) -> tantivy::Result<Counts> {
        let mut out = Counts::default();
        for f in fruits {
            out.total += f.total;
            for (i, m) in f.strings.into_iter().enumerate() {
                for (k, v) in m {
                    *out.strings[i].entry(k).or_default() += v;
                }
            }
            for (k, v) in f.years {
                *out.years.entry(k).or_default() += v;
            }
        }
        Ok(out)
    }
}

impl SegmentCollector for FacetSegment {
    type Fruit = Counts;

    fn collect(&mut self, doc: DocId, _score: Score) {
        self.total += 1;
        for (column, counts) in self.columns.iter_mut().flatten() {
            for ord in column.term_ords(doc) {
                counts[ord as usize] += 1;
            }
        }
        if let Some(year) = &self.year
            && let Some(y) = year.first(doc)
            && let Some(slot) = self.years.get_mut(y as usize)
        {
            *slot += 1;
        }
    }

    fn harvest(self) -> Counts {
        let mut out = Counts {
            total: self.total,
            years: (self.years.iter().enumerate())
                .filter(|(_, n)| **n > 0)
                .map(|(y, n)| (y as u64, *n))
                .collect(),
            ..Counts::default()
        };
        for (i, col) in self.columns.into_iter().enumerate() {
            let Some((column, counts)) = col else {
                continue;
            };
            let mut name = String::new();
            for (ord, n) in counts.into_iter().enumerate() {
                if n > 0 && column.ord_to_str(ord as u64, &mut name).unwrap_or(false) {
                    out.strings[i].insert(name.clone(), n);
                }
            }
        }
        out
    }
}
