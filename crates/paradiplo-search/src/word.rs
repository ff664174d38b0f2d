//! One word of a query: the union of its terms in every field (French and
//! English titles and texts, related names, acronyms), scored as their sum.
//!
//! Tantivy's own union reads ahead in windows of 4 096 documents and scores
//! every document of the window. That is the fastest way to read a union in
//! full, but inside an intersection (« iplauna accord ») the rare word leads
//! and the frequent one is only asked about a few documents: reading ahead
//! would score most of the index for nothing. This union moves its terms
//! only as far as asked and scores only the documents that are kept.

use tantivy::query::{
    BooleanQuery, EmptyScorer, EnableScoring, Explanation, Occur, Query, Scorer, Weight,
};
use tantivy::{DocId, DocSet, Score, SegmentReader, TERMINATED, Term};

/// Matches the documents that match any of its clauses.
#[derive(Debug)]
pub(crate) struct WordQuery {
    clauses: Vec<Box<dyn Query>>,
    /// The word's terms in the fields shown to people (titles, texts), to
    /// highlight it there; they play no part in matching.
    pub(crate) highlight: Vec<Term>,
}

impl Clone for WordQuery {
    fn clone(&self) -> WordQuery {
        WordQuery::new(self.clauses().collect(), self.highlight.clone())
    }
}

impl WordQuery {
    pub(crate) fn new(clauses: Vec<Box<dyn Query>>, highlight: Vec<Term>) -> WordQuery {
        WordQuery { clauses, highlight }
    }

    /// More ways for the word to match.
    pub(crate) fn extend(&mut self, more: Vec<Box<dyn Query>>) {
        self.clauses.extend(more);
    }

    /// The clauses, to be put in a larger union.
    pub(crate) fn clauses(&self) -> impl Iterator<Item = Box<dyn Query>> + '_ {
        self.clauses.iter().map(|q| q.box_clone())
    }

    /// The same union as tantivy's boolean query, which ranks a union of
    /// terms on its own with block-max WAND.
    pub(crate) fn to_boolean(&self) -> BooleanQuery {
        BooleanQuery::new(self.clauses().map(|q| (Occur::Should, q)).collect())
    }
}

impl Query for WordQuery {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let weights = self
            .clauses
            .iter()
            .map(|q| q.weight(enable_scoring))
            .collect::<tantivy::Result<Vec<_>>>()?;
        Ok(Box::new(WordWeight { weights }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for q in &self.clauses {
            q.query_terms(visitor);
        }
    }
}

struct WordWeight {
    weights: Vec<Box<dyn Weight>>,
}

impl Weight for WordWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let mut scorers = Vec::with_capacity(self.weights.len());
        for w in &self.weights {
            let s = w.scorer(reader, boost)?;
            if s.doc() != TERMINATED {
                scorers.push(s);
            }
        }
        Ok(match scorers.len() {
            0 => Box::new(EmptyScorer),
            1 => scorers.pop().expect("one scorer"),
            _ => Box::new(LazyUnion::new(scorers, 0.0)),
        })
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) != doc {
            return Err(tantivy::TantivyError::InvalidArgument(format!(
                "document {doc} does not match"
            )));
        }
        let mut out = Explanation::new("sum of the word's matching terms", scorer.score());
        for w in &self.weights {
            if let Ok(e) = w.explain(reader, doc) {
                out.add_detail(e);
            }
        }
        Ok(out)
    }
}

/// Matches the documents that match any of several words, those with more
/// of the words first: each word matched adds `bonus` to the sum of the
/// words' scores (a coordination factor). What a query falls back to when
/// few records have every word.
#[derive(Debug, Clone)]
pub(crate) struct MostWords {
    pub(crate) words: Vec<WordQuery>,
    pub(crate) bonus: f32,
    /// The highest score each word reaches alone in the index, when known:
    /// ranking then skips the documents whose words cannot reach the top
    /// (WAND, Broder et al. 2003) instead of scoring every match.
    pub(crate) bounds: Option<Vec<Score>>,
}

impl Query for MostWords {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let weights = self
            .words
            .iter()
            .map(|w| w.weight(enable_scoring))
            .collect::<tantivy::Result<Vec<_>>>()?;
        Ok(Box::new(MostWeight {
            weights,
            bonus: self.bonus,
            bounds: self.bounds.clone(),
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for w in &self.words {
            w.query_terms(visitor);
        }
    }
}

struct MostWeight {
    weights: Vec<Box<dyn Weight>>,
    bonus: f32,
    bounds: Option<Vec<Score>>,
}

impl MostWeight {
    /// Each word's scorer on `reader` with what it can add to a score at
    /// most (its bound and the bonus), words absent from the segment left out.
    fn bounded_scorers(
        &self,
        reader: &SegmentReader,
        bounds: &[Score],
    ) -> tantivy::Result<Vec<(Box<dyn Scorer>, Score)>> {
        let mut out = Vec::with_capacity(self.weights.len());
        for (w, bound) in self.weights.iter().zip(bounds) {
            let s = w.scorer(reader, 1.0)?;
            if s.doc() != TERMINATED {
                // A margin for sums of floats made in another order.
                out.push((s, bound * 1.0001 + 0.001 + self.bonus));
            }
        }
        Ok(out)
    }
}

/// WAND over the words' scorers: calls `callback` with every document whose
/// score exceeds the threshold it returns, as a plain pass would, but seeks
/// past the documents whose words' bounds together cannot exceed it. A
/// document's score is summed in the words' order, as [`LazyUnion`] does.
fn wand(
    mut scorers: Vec<(Box<dyn Scorer>, Score)>,
    bonus: Score,
    mut threshold: Score,
    callback: &mut dyn FnMut(DocId, Score) -> Score,
) {
    let mut order: Vec<usize> = (0..scorers.len()).collect();
    loop {
        order.retain(|&i| scorers[i].0.doc() != TERMINATED);
        order.sort_by_key(|&i| scorers[i].0.doc());
        let mut reach = 0.0;
        let Some(pivot) = order.iter().position(|&i| {
            reach += scorers[i].1;
            reach > threshold
        }) else {
            return;
        };
        let doc = scorers[order[pivot]].0.doc();
        let first = order[0];
        if scorers[first].0.doc() < doc {
            scorers[first].0.seek(doc);
            continue;
        }
        let mut score = 0.0;
        for (s, _) in scorers.iter_mut().filter(|(s, _)| s.doc() == doc) {
            score += s.score() + bonus;
        }
        if score > threshold {
            threshold = callback(doc, score);
        }
        for (s, _) in scorers.iter_mut().filter(|(s, _)| s.doc() == doc) {
            s.advance();
        }
    }
}

impl Weight for MostWeight {
    fn for_each_pruning(
        &self,
        threshold: Score,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(DocId, Score) -> Score,
    ) -> tantivy::Result<()> {
        match &self.bounds {
            Some(bounds) => {
                let scorers = self.bounded_scorers(reader, bounds)?;
                wand(scorers, self.bonus, threshold, callback);
            }
            None => {
                let mut scorer = self.scorer(reader, 1.0)?;
                let mut threshold = threshold;
                let mut doc = scorer.doc();
                while doc != TERMINATED {
                    let score = scorer.score();
                    if score > threshold {
                        threshold = callback(doc, score);
                    }
                    doc = scorer.advance();
                }
            }
        }
        Ok(())
    }

    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let mut scorers = Vec::with_capacity(self.weights.len());
        for w in &self.weights {
            let s = w.scorer(reader, boost)?;
            if s.doc() != TERMINATED {
                scorers.push(s);
            }
        }
        Ok(if scorers.is_empty() {
            Box::new(EmptyScorer)
        } else {
            Box::new(LazyUnion::new(scorers, self.bonus))
        })
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) != doc {
            return Err(tantivy::TantivyError::InvalidArgument(format!(
                "document {doc} does not match"
            )));
        }
        Ok(Explanation::new(
            "words matched × bonus + their scores",
            scorer.score(),
        ))
    }
}

/// The union of a few scorers, advanced only on demand; each scorer on the
/// current document adds `bonus` to the sum of their scores.
struct LazyUnion {
    scorers: Vec<Box<dyn Scorer>>,
    doc: DocId,
    bonus: f32,
}

impl LazyUnion {
    fn new(scorers: Vec<Box<dyn Scorer>>, bonus: f32) -> LazyUnion {
        let doc = scorers.iter().map(|s| s.doc()).min().unwrap_or(TERMINATED);
        LazyUnion {
            scorers,
            doc,
            bonus,
        }
    }
}

impl DocSet for LazyUnion {
    fn advance(&mut self) -> DocId {
        let mut next = TERMINATED;
        for s in &mut self.scorers {
            let d = if s.doc() <= self.doc {
                s.advance()
            } else {
                s.doc()
            };
            next = next.min(d);
        }
        self.doc = next;
        next
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        let mut next = TERMINATED;
        for s in &mut self.scorers {
            let d = if s.doc() < target {
                s.seek(target)
            } else {
                s.doc()
            };
            next = next.min(d);
        }
        self.doc = next;
        next
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.scorers
            .iter()
            .map(|s| s.size_hint())
            .max()
            .unwrap_or(0)
    }

    fn cost(&self) -> u64 {
        self.scorers.iter().map(|s| s.cost()).sum()
    }
}

impl Scorer for LazyUnion {
    fn score(&mut self) -> Score {
        let doc = self.doc;
        let bonus = self.bonus;
        self.scorers
            .iter_mut()
            .filter(|s| s.doc() == doc)
            .map(|s| s.score() + bonus)
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::{Count, TopDocs};
    use tantivy::query::TermQuery;
    use tantivy::schema::{IndexRecordOption, STRING, Schema, TEXT};
    use tantivy::{Index, doc};

    /// The same documents and scores as tantivy's own union, alone and
    /// inside an intersection.
    #[test]
    fn matches_and_scores_like_a_boolean_union() {
        let mut schema = Schema::builder();
        let title = schema.add_text_field("title", TEXT);
        let body = schema.add_text_field("body", TEXT);
        let tag = schema.add_text_field("tag", STRING);
        let index = Index::create_in_ram(schema.build());
        let mut writer: tantivy::IndexWriter =
            index.writer_with_num_threads(1, 15_000_000).unwrap();
        for i in 0..3000u32 {
            let t = if i % 3 == 0 {
                "accord culture"
            } else {
                "entente"
            };
            let b = if i % 7 == 0 { "accord accord" } else { "texte" };
            let g = if i % 50 == 0 { "rare" } else { "commun" };
            writer
                .add_document(doc!(title => t, body => b, tag => g))
                .unwrap();
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let terms = || -> Vec<Box<dyn Query>> {
            vec![
                Box::new(TermQuery::new(
                    Term::from_field_text(title, "accord"),
                    IndexRecordOption::WithFreqs,
                )),
                Box::new(TermQuery::new(
                    Term::from_field_text(body, "accord"),
                    IndexRecordOption::WithFreqs,
                )),
            ]
        };
        let word = WordQuery::new(terms(), Vec::new());
        let union = word.to_boolean();
        let rare = || -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(tag, "rare"),
                IndexRecordOption::Basic,
            ))
        };
        let both =
            |q: Box<dyn Query>| BooleanQuery::new(vec![(Occur::Must, q), (Occur::Must, rare())]);
        let top = TopDocs::with_limit(5000).order_by_score();
        for (a, b) in [
            (
                Box::new(union.clone()) as Box<dyn Query>,
                Box::new(word.clone()) as Box<dyn Query>,
            ),
            (
                Box::new(both(Box::new(union))),
                Box::new(both(Box::new(word))),
            ),
        ] {
            let expected = searcher.search(a.as_ref(), &top).unwrap();
            let got = searcher.search(b.as_ref(), &top).unwrap();
            // Multiples of 3 or of 7 below 3000: 1000 + 429 - 143.
            assert!(!expected.is_empty());
            assert_eq!(searcher.search(b.as_ref(), &Count).unwrap(), expected.len());
            let key = |v: &[(f32, tantivy::DocAddress)]| {
                let mut v: Vec<_> = v
                    .iter()
                    .map(|(s, d)| (d.doc_id, (s * 1e4).round() as i64))
                    .collect();
                v.sort();
                v
            };
            assert_eq!(key(&got), key(&expected));
        }
        assert_eq!(
            searcher.search(&word_query(title, body), &Count).unwrap(),
            1286
        );
    }

    /// With each word's bound, ranking by most words prunes and still
    /// returns the same records with the same scores as a pass that scores
    /// every match, at every depth.
    #[test]
    fn pruned_most_words_ranks_like_a_full_pass() {
        let mut schema = Schema::builder();
        let text = schema.add_text_field("text", TEXT);
        let index = Index::create_in_ram(schema.build());
        let mut writer: tantivy::IndexWriter =
            index.writer_with_num_threads(1, 15_000_000).unwrap();
        let words = ["alpha", "beta", "gamma", "delta"];
        for i in 0..20_000u64 {
            // Skewed, overlapping word sets, repeated words, varied lengths.
            let mut t = Vec::new();
            for (n, w) in words.iter().enumerate() {
                let m = 2 + n as u64 * 3;
                if (i * 7919 + n as u64 * 104_729).is_multiple_of(m) {
                    t.extend(std::iter::repeat_n(*w, 1 + (i % (n as u64 + 2)) as usize));
                }
            }
            t.extend(std::iter::repeat_n("filler", (i % 13) as usize));
            writer.add_document(doc!(text => t.join(" "))).unwrap();
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let word = |w: &str| {
            let t: Box<dyn Query> = Box::new(TermQuery::new(
                Term::from_field_text(text, w),
                IndexRecordOption::WithFreqs,
            ));
            WordQuery::new(vec![t], Vec::new())
        };
        for set in [&words[..2], &words[1..], &words[..]] {
            let ws: Vec<WordQuery> = set.iter().map(|w| word(w)).collect();
            let best = TopDocs::with_limit(1).order_by_score();
            let bounds = (ws.iter())
                .map(|w| searcher.search(&w.to_boolean(), &best).unwrap()[0].0)
                .collect();
            let plain = MostWords {
                words: ws.clone(),
                bonus: 100.0,
                bounds: None,
            };
            let pruned = MostWords {
                words: ws,
                bonus: 100.0,
                bounds: Some(bounds),
            };
            for k in [1, 20, 137, 5000] {
                let top = TopDocs::with_limit(k).order_by_score();
                let expected = searcher.search(&plain, &top).unwrap();
                assert_eq!(expected.len(), k.min(expected.len()));
                assert_eq!(
                    searcher.search(&pruned, &top).unwrap(),
                    expected,
                    "{set:?} top {k}"
                );
            }
        }
    }

    fn word_query(title: tantivy::schema::Field, body: tantivy::schema::Field) -> WordQuery {
        WordQuery::new(
            vec![
                Box::new(TermQuery::new(
                    Term::from_field_text(title, "accord"),
                    IndexRecordOption::Basic,
                )),
                Box::new(TermQuery::new(
                    Term::from_field_text(body, "accord"),
                    IndexRecordOption::Basic,
                )),
            ],
            Vec::new(),
        )
    }
}
