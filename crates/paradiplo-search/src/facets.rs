//! Facet counts over every matching document.
//!
//! A broad query (« accord ») matches most of the index, and reading five
//! fast-field columns per match costs tens of nanoseconds each (multi-valued
//! and optional columns go through an index first). So each segment's facet
//! values are decoded once, when a new searcher is opened (a tantivy
//! [`Warmer`]), into flat arrays indexed by document: counting a match is then
//! a few array reads. Segments never change once written, so the decoded
//! form stays valid until the segment is merged away.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, RwLock};
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Cardinality, StrColumn};
use tantivy::index::SegmentId;
use tantivy::{DocId, Score, Searcher, SearcherGeneration, SegmentOrdinal, SegmentReader, Warmer};

/// The string facets, in the order of [`Counts::strings`].
pub const STRING_FACETS: [&str; 4] = ["kind", "region", "domain", "status"];
/// The numeric facet, counted after the string ones.
const YEAR_FACET: &str = "year";
const FACETS: usize = STRING_FACETS.len() + 1;

/// Counts of every facet over the matching documents.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Counts {
    pub total: u64,
    /// One map per [`STRING_FACETS`] entry: value → documents.
    pub strings: [BTreeMap<String, u64>; 4],
    pub years: BTreeMap<u64, u64>,
}

/// One facet's values in one segment, by document.
#[derive(Debug, PartialEq)]
///
/// The narrowest that holds the values: a broad query reads these arrays for
/// every match, so bytes per document are what a count costs in memory
/// traffic (a type, a region, a status or a year: one byte).
enum Values {
    /// At most one value per document: its number + 1, or 0 for none.
    One8(Vec<u8>),
    One(Vec<u32>),
    /// Up to 32 (or 64) distinct values: bit `n` set when the document has
    /// value `n`.
    Bits32(Vec<u32>),
    Bits(Vec<u64>),
    /// Any number of values: document `d` has `numbers[starts[d]..starts[d + 1]]`.
    Lists {
        starts: Vec<u32>,
        numbers: Vec<u32>,
    },
}

/// One facet of one segment: its distinct values (sorted) and who has which.
#[derive(Debug, PartialEq)]
struct DecodedFacet {
    names: Vec<String>,
    values: Values,
}

impl DecodedFacet {
    fn empty() -> DecodedFacet {
        DecodedFacet {
            names: Vec::new(),
            values: Values::One8(Vec::new()),
        }
    }

    /// Builds the facet from each document's value numbers: `numbers_of(d,
    /// out)` puts document `d`'s into `out` (one buffer for every document:
    /// a segment of a million documents is decoded without allocating per
    /// document).
    fn from_numbers(
        names: Vec<String>,
        max_doc: DocId,
        single: bool,
        mut numbers_of: impl FnMut(DocId, &mut Vec<u32>),
    ) -> DecodedFacet {
        let mut buf = Vec::new();
        let mut read = |d: DocId, buf: &mut Vec<u32>| {
            buf.clear();
            numbers_of(d, buf);
        };
        let values = if single {
            let mut codes = Vec::with_capacity(max_doc as usize);
            for d in 0..max_doc {
                read(d, &mut buf);
                codes.push(buf.first().map_or(0, |n| n + 1));
            }
            if names.len() < usize::from(u8::MAX) {
                Values::One8(codes.into_iter().map(|c| c as u8).collect())
            } else {
                Values::One(codes)
            }
        } else if names.len() <= 32 {
            let mut bits = Vec::with_capacity(max_doc as usize);
            for d in 0..max_doc {
                read(d, &mut buf);
                bits.push(buf.iter().fold(0u32, |bits, n| bits | 1 << n));
            }
            Values::Bits32(bits)
        } else if names.len() <= 64 {
            let mut bits = Vec::with_capacity(max_doc as usize);
            for d in 0..max_doc {
                read(d, &mut buf);
                bits.push(buf.iter().fold(0u64, |bits, n| bits | 1 << n));
            }
            Values::Bits(bits)
        } else {
            let mut starts = Vec::with_capacity(max_doc as usize + 1);
            let mut numbers = Vec::new();
            starts.push(0);
            for d in 0..max_doc {
                read(d, &mut buf);
                numbers.extend_from_slice(&buf);
                starts.push(numbers.len() as u32);
            }
            Values::Lists { starts, numbers }
        };
        DecodedFacet { names, values }
    }

    fn from_str_column(column: &StrColumn, max_doc: DocId) -> tantivy::Result<DecodedFacet> {
        let mut names = Vec::with_capacity(column.num_terms());
        let mut name = String::new();
        for ord in 0..column.num_terms() as u64 {
            column.ord_to_str(ord, &mut name)?;
            names.push(name.clone());
        }
        let single = !matches!(column.ords().get_cardinality(), Cardinality::Multivalued);
        Ok(DecodedFacet::from_numbers(
            names,
            max_doc,
            single,
            |d, out| {
                out.extend(column.term_ords(d).map(|o| o as u32));
            },
        ))
    }

    /// Adds the values of `docs` to `counts` (slot `n + 1` for value `n`),
    /// document `i` of the block to lane `i % LANES`.
    #[inline]
    /// Bit sets go through `vertical`, read out into `counts` by its owner.
    fn count(&self, docs: &[DocId], counts: &mut [Lanes], vertical: &mut Vertical) {
        let docs = docs
            .iter()
            .enumerate()
            .map(|(i, d)| (i % LANES, *d as usize));
        match &self.values {
            Values::One8(codes) => {
                for (lane, d) in docs {
                    counts[usize::from(codes[d])][lane] += 1;
                }
            }
            Values::One(codes) => {
                for (lane, d) in docs {
                    counts[codes[d] as usize][lane] += 1;
                }
            }
            Values::Bits32(bits) => {
                for (_, d) in docs {
                    vertical.add(u64::from(bits[d]), counts);
                }
            }
            Values::Bits(bits) => {
                for (_, d) in docs {
                    vertical.add(bits[d], counts);
                }
            }
            Values::Lists { starts, numbers } => {
                for (lane, d) in docs {
                    let (from, to) = (starts[d], starts[d + 1]);
                    for n in &numbers[from as usize..to as usize] {
                        counts[*n as usize + 1][lane] += 1;
                    }
                }
            }
        }
    }
}

/// Counts of the bits of many words (a record's domains) in vertical
/// counters: bit `n` of `levels[j]` is bit `j` of how many words so far have
/// bit `n`. A word costs a few branch-free operations whatever bits it has
/// (a loop over its bits mispredicts its exit), and the counts are read out
/// once per 255 words, across blocks.
#[derive(Debug, Default, Clone, Copy)]
struct Vertical {
    levels: [u64; 8],
    pending: u32,
}

impl Vertical {
    #[inline]
    fn add(&mut self, word: u64, counts: &mut [Lanes]) {
        let mut carry = word;
        for level in self.levels.iter_mut() {
            let next = *level & carry;
            *level ^= carry;
            carry = next;
        }
        self.pending += 1;
        if self.pending == 255 {
            self.read_out(counts);
        }
    }

    /// Adds what the levels counted to `counts` (slot `n + 1` for bit `n`)
    /// and clears them.
    fn read_out(&mut self, counts: &mut [Lanes]) {
        let mut any = self.levels.iter().fold(0, |a, l| a | l);
        while any != 0 {
            let bit = any.trailing_zeros();
            let n: u64 = (self.levels.iter().enumerate())
                .map(|(j, l)| ((l >> bit) & 1) << j)
                .sum();
            counts[bit as usize + 1][0] += n;
            any &= any - 1;
        }
        *self = Vertical::default();
    }
}

/// Counters of one value, one per lane: consecutive matches mostly share a
/// value, and adding to one counter waits for the previous addition to it;
/// four counters let four additions run at once (summed when harvested).
const LANES: usize = 4;
type Lanes = [u64; LANES];

/// The facets of one segment, decoded.
#[derive(Debug, PartialEq)]
pub(crate) struct SegmentFacets {
    /// [`STRING_FACETS`], then the year.
    facets: [DecodedFacet; FACETS],
}

impl SegmentFacets {
    pub(crate) fn decode(segment: &SegmentReader) -> tantivy::Result<SegmentFacets> {
        let fast = segment.fast_fields();
        let max_doc = segment.max_doc();
        let mut facets: [DecodedFacet; FACETS] = std::array::from_fn(|_| DecodedFacet::empty());
        for (slot, name) in facets.iter_mut().zip(STRING_FACETS) {
            if let Some(column) = fast.str(name)? {
                *slot = DecodedFacet::from_str_column(&column, max_doc)?;
            }
        }
        if let Some(year) = fast.column_opt::<u64>(YEAR_FACET)? {
            let years: Vec<u64> = (0..max_doc)
                .flat_map(|d| year.values_for_doc(d))
                .collect::<BTreeSet<u64>>()
                .into_iter()
                .collect();
            let number = |y: u64| years.binary_search(&y).map_or(0, |i| i as u32);
            let single = !matches!(year.get_cardinality(), Cardinality::Multivalued);
            facets[FACETS - 1] = DecodedFacet::from_numbers(
                years.iter().map(u64::to_string).collect(),
                max_doc,
                single,
                |d, out| out.extend(year.values_for_doc(d).map(number)),
            );
        }
        Ok(SegmentFacets { facets })
    }
}

/// Decoded facets of the segments of the searchers in use; filled by
/// tantivy when it opens a searcher, emptied of merged-away segments.
#[derive(Default)]
pub(crate) struct FacetCache {
    segments: RwLock<HashMap<SegmentId, Arc<SegmentFacets>>>,
}

impl FacetCache {
    fn get(&self, segment: &SegmentReader) -> Option<Arc<SegmentFacets>> {
        let segments = self.segments.read().expect("facet cache lock");
        segments.get(&segment.segment_id()).cloned()
    }
}

impl Warmer for FacetCache {
    fn warm(&self, searcher: &Searcher) -> tantivy::Result<()> {
        for segment in searcher.segment_readers() {
            if self.get(segment).is_none() {
                let decoded = Arc::new(SegmentFacets::decode(segment)?);
                let mut segments = self.segments.write().expect("facet cache lock");
                segments.insert(segment.segment_id(), decoded);
            }
        }
        Ok(())
    }

    fn garbage_collect(&self, live_generations: &[&SearcherGeneration]) {
        let live: BTreeSet<SegmentId> = live_generations
            .iter()
            .flat_map(|g| g.segments().keys().copied())
            .collect();
        let mut segments = self.segments.write().expect("facet cache lock");
        segments.retain(|id, _| live.contains(id));
    }
}

/// Counts the facets of the matching documents. Needs no scores, so tantivy
/// hands it blocks of documents.
#[derive(Clone, Copy)]
pub struct FacetCollector<'a> {
    pub(crate) cache: &'a FacetCache,
}

pub struct FacetSegment {
    facets: Arc<SegmentFacets>,
    /// Per facet, documents by value number + 1 (slot 0: no value), in lanes.
    counts: [Vec<Lanes>; FACETS],
    /// Per facet, bit sets counted but not yet read out into `counts`.
    vertical: [Vertical; FACETS],
    total: u64,
}

impl Collector for FacetCollector<'_> {
    type Fruit = Counts;
    type Child = FacetSegment;

    fn for_segment(
        &self,
        _ord: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<FacetSegment> {
        // A searcher opened before the warmer was registered: decode now.
        let facets = match self.cache.get(segment) {
            Some(f) => f,
            None => Arc::new(SegmentFacets::decode(segment)?),
        };
        let counts = std::array::from_fn(|i| vec![[0; LANES]; facets.facets[i].names.len() + 1]);
        Ok(FacetSegment {
            facets,
            counts,
            vertical: [Vertical::default(); FACETS],
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
        self.collect_block(&[doc]);
    }

    fn collect_block(&mut self, docs: &[DocId]) {
        self.total += docs.len() as u64;
        let counts = self.counts.iter_mut().zip(self.vertical.iter_mut());
        for (facet, (counts, vertical)) in self.facets.facets.iter().zip(counts) {
            facet.count(docs, counts, vertical);
        }
    }

    fn harvest(mut self) -> Counts {
        for (counts, vertical) in self.counts.iter_mut().zip(self.vertical.iter_mut()) {
            vertical.read_out(counts);
        }
        let mut out = Counts {
            total: self.total,
            ..Counts::default()
        };
        let named = |i: usize| {
            let names = &self.facets.facets[i].names;
            (self.counts[i].iter().skip(1).zip(names))
                .map(|(lanes, name)| (name, lanes.iter().sum::<u64>()))
                .filter(|(_, n)| *n > 0)
                .map(|(name, n)| (name.clone(), n))
                .collect::<Vec<_>>()
        };
        for (i, map) in out.strings.iter_mut().enumerate() {
            map.extend(named(i));
        }
        out.years.extend(
            named(FACETS - 1)
                .into_iter()
                .filter_map(|(y, n)| Some((y.parse().ok()?, n))),
        );
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counted(facet: &DecodedFacet, docs: &[DocId]) -> Vec<u64> {
        let mut counts = vec![[0; LANES]; facet.names.len() + 1];
        let mut vertical = Vertical::default();
        facet.count(docs, &mut counts, &mut vertical);
        vertical.read_out(&mut counts);
        counts.iter().map(|lanes| lanes.iter().sum()).collect()
    }

    fn names(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("v{i}")).collect()
    }

    /// Documents 0..5 with values {0}, {}, {1, 2}, {2}, {0, 2}.
    fn numbers(d: DocId, out: &mut Vec<u32>) {
        out.extend_from_slice(match d {
            0 => &[0][..],
            1 => &[],
            2 => &[1, 2],
            3 => &[2],
            _ => &[0, 2],
        });
    }

    #[test]
    fn single_values_count_once_and_none_goes_to_slot_zero() {
        let f = DecodedFacet::from_numbers(names(3), 5, true, numbers);
        assert_eq!(f.values, Values::One8(vec![1, 0, 2, 3, 1]));
        assert_eq!(counted(&f, &[0, 1, 3, 4]), vec![1, 2, 0, 1]);
        // 300 names: too many for a byte.
        let wide = DecodedFacet::from_numbers(names(300), 5, true, numbers);
        assert_eq!(wide.values, Values::One(vec![1, 0, 2, 3, 1]));
        assert_eq!(counted(&wide, &[0, 1, 3, 4])[..4], [1, 2, 0, 1]);
    }

    #[test]
    fn bits_and_lists_count_every_value_alike() {
        let bits = DecodedFacet::from_numbers(names(3), 5, false, numbers);
        assert!(matches!(bits.values, Values::Bits32(_)));
        let wide = DecodedFacet::from_numbers(names(40), 5, false, numbers);
        assert!(matches!(wide.values, Values::Bits(_)));
        // 65 names: too many for a bit set.
        let lists = DecodedFacet::from_numbers(names(65), 5, false, numbers);
        assert!(matches!(lists.values, Values::Lists { .. }));
        for docs in [&[0, 1, 2, 3, 4][..], &[2, 4], &[1], &[]] {
            let c = counted(&bits, docs);
            assert_eq!(&counted(&lists, docs)[..4], &c[..]);
            assert_eq!(&counted(&wide, docs)[..4], &c[..]);
        }
        assert_eq!(counted(&bits, &[0, 1, 2, 3, 4]), vec![0, 2, 1, 3]);
    }

    /// Vertical counters count past 255 words (where they are read out)
    /// and every bit alike.
    #[test]
    fn many_words_count_like_a_loop_over_their_bits() {
        let words: Vec<u64> = (0..1000u64)
            .map(|i| i.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ (i << 40) | (1 << 63))
            .collect();
        let mut counts = vec![[0; LANES]; 65];
        let mut vertical = Vertical::default();
        for w in &words {
            vertical.add(*w, &mut counts);
        }
        vertical.read_out(&mut counts);
        for bit in 0..64 {
            let expected = words.iter().filter(|w| *w >> bit & 1 == 1).count() as u64;
            assert_eq!(counts[bit + 1].iter().sum::<u64>(), expected, "bit {bit}");
        }
        assert_eq!(counts[64][0], 1000);
    }

    #[test]
    fn bit_63_is_counted() {
        let f = DecodedFacet::from_numbers(names(64), 2, false, |d, out| out.push(63 - d));
        assert_eq!(counted(&f, &[0, 1])[63..], [1, 1]);
        let f = DecodedFacet::from_numbers(names(32), 2, false, |d, out| out.push(31 - d));
        assert!(matches!(f.values, Values::Bits32(_)));
        assert_eq!(counted(&f, &[0, 1])[31..], [1, 1]);
    }
}
