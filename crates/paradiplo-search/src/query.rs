//! Searching: from the words people type to ranked hits with snippets and
//! facet counts.
//!
//! Every word must match (in French or English text, an acronym or the name
//! of a related record); when no record has them all, any word will do and
//! the results say so. A word of five letters or more that appears nowhere
//! in the index is looked up with one typo allowed. Acronyms known from the
//! data also match their other acronyms and full names.

use crate::facets::{Counts, FacetCollector};
use crate::index::{SearchError, SearchIndex};
use crate::word::WordQuery;
use paradiplo_core::Lang;
use serde::Serialize;
use std::ops::Bound;
use tantivy::collector::TopDocs;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, FuzzyTermQuery, Occur, PhraseQuery, Query,
    RangeQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{Searcher, TantivyDocument, Term};

/// Filters on facet values; each one given must match.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Filters {
    pub kind: Option<String>,
    pub region: Option<String>,
    pub domain: Option<String>,
    pub status: Option<String>,
    pub year: Option<u32>,
}

#[derive(Debug, Clone)]
pub struct SearchRequest {
    pub q: String,
    pub filters: Filters,
    pub offset: usize,
    pub limit: usize,
    /// The language of titles and snippets.
    pub lang: Lang,
    /// Highlighted snippets (the benchmark leaves them out).
    pub snippets: bool,
}

impl SearchRequest {
    pub fn new(q: &str, lang: Lang) -> SearchRequest {
        SearchRequest {
            q: q.to_string(),
            filters: Filters::default(),
            offset: 0,
            limit: 20,
            lang,
            snippets: true,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    pub kind: String,
    pub slug: String,
    pub title: String,
    /// The title, HTML-escaped, query words in `<mark>`.
    pub title_html: String,
    /// A passage of the text, HTML-escaped, query words in `<mark>`.
    pub snippet_html: String,
    pub year: Option<u64>,
    /// The record the hit is shown under (an intervention's organization).
    pub parent: Option<String>,
    /// The record whose public page shows the hit: the hit itself for kinds
    /// with pages; an intervention's or position's organization (or the
    /// position's agreement or event); an office's partner, else the page
    /// `partenaires-et-organisations` ([`crate::HUB_PAGE`]), whose table
    /// lists every office. Link to that page, without an anchor.
    pub link_kind: String,
    pub link_slug: String,
    /// The counterparts (partners, organizations, countries), in `lang`.
    pub partner: Option<String>,
    /// The record's date as precise as known (`1996`, `1999-03`, `2006-05-05`).
    pub date: Option<String>,
    pub score: f32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FacetCount {
    pub value: String,
    pub count: u64,
}

/// Counts of the matching records per facet value.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Facets {
    pub kind: Vec<FacetCount>,
    pub region: Vec<FacetCount>,
    pub domain: Vec<FacetCount>,
    pub status: Vec<FacetCount>,
    pub year: Vec<FacetCount>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchResults {
    pub total: u64,
    pub hits: Vec<Hit>,
    pub facets: Facets,
    /// No record had every word: these records have at least one.
    pub relaxed: bool,
}

fn boosted(q: Box<dyn Query>, boost: f32) -> Box<dyn Query> {
    Box::new(BoostQuery::new(q, boost))
}

fn term(field: Field, text: &str) -> Term {
    Term::from_field_text(field, text)
}

/// A term scored `score` whenever it matches (years, countries, exact names).
fn const_term(t: Term, score: f32) -> Box<dyn Query> {
    Box::new(ConstScoreQuery::new(
        Box::new(TermQuery::new(t, IndexRecordOption::Basic)),
        score,
    ))
}

/// What a year of the query adds to a record dated that year (an agreement
/// signed then, an event held then): above a name's score, so that « catalogne
/// 1996 » brings the 1996 agreement before the partner whose history says 1996.
const YEAR_SCORE: f32 = 40.0;

/// Words of the query within this many positions of each other in a title
/// add to its score (proximity: all of « sao paulo technologies propres »
/// in one title).
const NEAR_SLOP: u32 = 8;

/// Proximity is ranked when a query matches at most this many records (a
/// phrase reads positions: cheap over a few records, not over a million).
const NEAR_UP_TO: u64 = 5_000;

/// Kinds a name alone most likely means, and what being one adds (a tie-break:
/// below one word's score).
const NAMED_KINDS: [&str; 3] = ["partner", "organization", "grouping"];
const KIND_SCORE: f32 = 0.25;

/// The weight of a title holding the query's words close together.
const NEAR_BOOST: f32 = 2.0;

/// A year as people type it (« 1996 »).
fn year_of(word: &str) -> Option<u64> {
    let y: u64 = word.parse().ok().filter(|_| word.len() == 4)?;
    (1000..=2999).contains(&y).then_some(y)
}

fn term_query(t: Term, boost: f32) -> Box<dyn Query> {
    boosted(
        Box::new(TermQuery::new(t, IndexRecordOption::WithFreqs)),
        boost,
    )
}

/// Ranks by count, then by value.
fn sorted(m: std::collections::BTreeMap<String, u64>) -> Vec<FacetCount> {
    let mut v: Vec<FacetCount> = m
        .into_iter()
        .map(|(value, count)| FacetCount { value, count })
        .collect();
    v.sort_by(|a, b| b.count.cmp(&a.count).then(a.value.cmp(&b.value)));
    v
}

fn facets(c: Counts) -> Facets {
    let [kind, region, domain, status] = c.strings;
    let mut year: Vec<FacetCount> = c
        .years
        .into_iter()
        .map(|(y, count)| FacetCount {
            value: y.to_string(),
            count,
        })
        .collect();
    year.reverse();
    Facets {
        kind: sorted(kind),
        region: sorted(region),
        domain: sorted(domain),
        status: sorted(status),
        year,
    }
}

/// Escapes text for HTML (the one escaper, shared with the portal).
pub use paradiplo_core::markup::escape_html;

impl SearchIndex {
    /// The query for each word (or acronym, country name, year or range of
    /// years) of `q`; stop words give none, unless the query has nothing
    /// else (« AN »): then they are looked up as acronyms only.
    fn word_clauses(&self, searcher: &Searcher, q: &str) -> Vec<WordQuery> {
        let mut an = self.analyzers.clone();
        let words = an.folded(q);
        let texts: Vec<String> = words.iter().map(|w| w.text.clone()).collect();
        let labels = self.labels.read().expect("labels lock");
        let countries = crate::countries::ByName::get();
        let mut clauses: Vec<WordQuery> = Vec::new();
        let mut i = 0;
        while i < words.len() {
            let raw = |from: usize, to: usize| &q[words[from].from..words[to - 1].to];
            if let Some((n, clause)) = self.year_clause(&mut an, q, &words, i) {
                clauses.push(clause);
                i += n;
                continue;
            }
            let country = countries.lookup(&texts, i);
            if let Some((n, code)) = country.filter(|(n, _)| *n > 1) {
                clauses.push(self.country_clause(&mut an, raw(i, i + n), code));
                i += n;
                continue;
            }
            if let Some((n, groups)) = labels.synonyms.lookup(&texts, i) {
                clauses.push(self.synonym_clause(
                    &mut an,
                    &groups,
                    (n == 1).then(|| raw(i, i + 1)),
                ));
                i += n;
                continue;
            }
            let word = raw(i, i + 1);
            i += 1;
            let Some(mut clause) = self.plain_clause(&mut an, searcher, &labels, word) else {
                continue; // a stop word
            };
            if clauses
                .iter()
                .any(|c| c.highlight.starts_with(&clause.highlight))
            {
                // The same stems again ("accord accords"): it matches the
                // same records, and ranks them in the same order.
                continue;
            }
            if let Some((_, code)) = country {
                clause.extend(self.country_terms(code));
            }
            clauses.push(clause);
        }
        if clauses.is_empty() {
            for t in &texts {
                let alias = term_query(term(self.fields.alias, t), 4.0);
                clauses.push(WordQuery::new(vec![alias], Vec::new()));
            }
        }
        clauses
    }

    /// A year (« 1996 »), or a range (« 1990-1995 », « 1990 à 1995 »): the
    /// records dated that year first, then those carrying it otherwise,
    /// then those whose text says it. Returns how many words it spans.
    fn year_clause(
        &self,
        an: &mut crate::analysis::Analyzers,
        q: &str,
        words: &[crate::analysis::Tok],
        i: usize,
    ) -> Option<(usize, WordQuery)> {
        let f = &self.fields;
        let from = year_of(&words[i].text)?;
        let raw = &q[words[i].from..words[i].to];
        let mut should = self.exact_word(an, raw);
        let highlight = self.highlighted_word(an, raw);
        let range_end = |j: usize| words.get(j).and_then(|w| year_of(&w.text));
        let dash = words.get(i + 1).is_some_and(|w| {
            let between = q[words[i].to..w.from].trim();
            ["-", "–", "—", "..", "/"].contains(&between)
        });
        let linked = words
            .get(i + 1)
            .is_some_and(|w| ["a", "au", "to"].contains(&w.text.as_str()));
        let range = match (dash, linked) {
            (true, _) => range_end(i + 1).map(|to| (2, to)),
            (false, true) => range_end(i + 2).map(|to| (3, to)),
            _ => None,
        };
        let Some((n, to)) = range.filter(|(_, to)| *to > from) else {
            should.push(const_term(
                Term::from_field_u64(f.years_main, from),
                YEAR_SCORE,
            ));
            should.push(const_term(Term::from_field_u64(f.years, from), 2.0));
            return Some((1, WordQuery::new(should, highlight)));
        };
        let span = |field: Field, score: f32| -> Box<dyn Query> {
            Box::new(ConstScoreQuery::new(
                Box::new(RangeQuery::new(
                    Bound::Included(Term::from_field_u64(field, from)),
                    Bound::Included(Term::from_field_u64(field, to)),
                )),
                score,
            ))
        };
        let clause = WordQuery::new(
            vec![span(f.years_main, YEAR_SCORE), span(f.years, 2.0)],
            highlight,
        );
        Some((n, clause))
    }

    /// The records of a country (its own, then those involving it), and the
    /// country's name as a phrase in titles and texts.
    fn country_terms(&self, code: &str) -> Vec<Box<dyn Query>> {
        let f = &self.fields;
        vec![
            const_term(term(f.country, &format!("own:{code}")), 5.0),
            const_term(term(f.country, &format!("rel:{code}")), 2.5),
        ]
    }

    /// A country's name of several words (« États-Unis », « Afrique du Sud »).
    fn country_clause(
        &self,
        an: &mut crate::analysis::Analyzers,
        name: &str,
        code: &str,
    ) -> WordQuery {
        let f = &self.fields;
        let mut should = self.country_terms(code);
        let mut highlight = Vec::new();
        for (field, fr) in [
            (f.title_fr, true),
            (f.body_fr, true),
            (f.title_en, false),
            (f.body_en, false),
        ] {
            if let Some(p) = phrase(an, field, name, fr) {
                p.query_terms(&mut |t, _| highlight.push(t.clone()));
                should.push(p);
            }
        }
        WordQuery::new(should, highlight)
    }

    /// An acronym known from the data: its group's other acronyms and full
    /// names; `raw` when it is one word, also searched as a word.
    fn synonym_clause(
        &self,
        an: &mut crate::analysis::Analyzers,
        groups: &[&crate::synonyms::Group],
        raw: Option<&str>,
    ) -> WordQuery {
        let f = &self.fields;
        let mut should: Vec<Box<dyn Query>> = Vec::new();
        for g in groups {
            for alias in &g.aliases {
                should.extend(self.alias_queries(an, alias));
            }
            for name in &g.names {
                for (field, fr) in [(f.title_fr, true), (f.title_en, false)] {
                    if let Some(p) = phrase(an, field, name, fr) {
                        should.push(boosted(p, 2.0));
                    }
                }
            }
        }
        let mut highlight = Vec::new();
        if let Some(raw) = raw {
            should.extend(self.exact_word(an, raw));
            highlight = self.highlighted_word(an, raw);
        }
        WordQuery::new(should, highlight)
    }

    /// A word: its terms in both languages and as an acronym, the other
    /// forms of a place (a little below), and one typo allowed when it
    /// appears nowhere. None for a stop word.
    fn plain_clause(
        &self,
        an: &mut crate::analysis::Analyzers,
        searcher: &Searcher,
        labels: &crate::index::Labels,
        raw: &str,
    ) -> Option<WordQuery> {
        let mut exact = self.exact_word(an, raw);
        if exact.is_empty() {
            return None;
        }
        let mut highlight = self.highlighted_word(an, raw);
        let folded = an.folded(raw).into_iter().next()?.text;
        // A place also finds its adjectives and the reverse (« europe »,
        // « européenne »), a little below the word itself.
        for form in labels.places.others(&folded) {
            for t in self.form_terms(an, form) {
                let seen = exact.iter().any(|q| {
                    let mut same = false;
                    q.query_terms(&mut |u, _| same = same || *u == t);
                    same
                });
                if !seen {
                    exact.push(term_query(t, 0.8));
                }
            }
            for t in self.highlighted_word(an, form) {
                if !highlight.contains(&t) {
                    highlight.push(t);
                }
            }
        }
        let found = exact.iter().any(|q| {
            let mut any = false;
            q.query_terms(&mut |t, _| {
                any = any || searcher.doc_freq(t).unwrap_or(0) > 0;
            });
            any
        });
        let mut should = exact;
        if !found && raw.chars().count() >= 5 {
            should.extend(self.fuzzy_word(an, raw));
        }
        Some(WordQuery::new(should, highlight))
    }

    /// A word in both languages' words, and as an acronym. Empty for a stop
    /// word of either language.
    fn exact_word(&self, an: &mut crate::analysis::Analyzers, raw: &str) -> Vec<Box<dyn Query>> {
        let terms = self.form_terms(an, raw);
        let Some(folded) = an.folded(raw).into_iter().next() else {
            return Vec::new();
        };
        if terms.len() < 2 {
            return Vec::new(); // a stop word in one of the languages
        }
        let mut out: Vec<Box<dyn Query>> = terms.into_iter().map(|t| term_query(t, 1.0)).collect();
        out.push(term_query(term(self.fields.alias, &folded.text), 4.0));
        out
    }

    /// A word's terms in both languages' words (no acronym).
    fn form_terms(&self, an: &mut crate::analysis::Analyzers, raw: &str) -> Vec<Term> {
        let f = &self.fields;
        let mut out = Vec::new();
        if let Some(fr) = an.french(raw).into_iter().next() {
            out.push(term(f.words_fr, &fr.text));
        }
        if let Some(en) = an.english(raw).into_iter().next() {
            out.push(term(f.words_en, &en.text));
        }
        out
    }

    /// Where a word shows in titles and texts, for the snippets: the
    /// searched field counts words but keeps no text to highlight.
    fn highlighted_word(&self, an: &mut crate::analysis::Analyzers, raw: &str) -> Vec<Term> {
        let f = &self.fields;
        let mut out = Vec::new();
        if let Some(fr) = an.french(raw).into_iter().next() {
            out.extend([term(f.title_fr, &fr.text), term(f.body_fr, &fr.text)]);
        }
        if let Some(en) = an.english(raw).into_iter().next() {
            out.extend([term(f.title_en, &en.text), term(f.body_en, &en.text)]);
        }
        out
    }

    /// The word with one typo (letters swapped count as one), scored below
    /// any exact match.
    fn fuzzy_word(&self, an: &mut crate::analysis::Analyzers, raw: &str) -> Vec<Box<dyn Query>> {
        let f = &self.fields;
        let mut out: Vec<Box<dyn Query>> = Vec::new();
        let fr = an.french(raw).into_iter().next();
        let en = an.english(raw).into_iter().next();
        let folded = an.folded(raw).into_iter().next();
        for (field, tok) in [(f.words_fr, &fr), (f.words_en, &en), (f.alias, &folded)] {
            if let Some(t) = tok {
                out.push(Box::new(ConstScoreQuery::new(
                    Box::new(FuzzyTermQuery::new(term(field, &t.text), 1, true)),
                    0.3,
                )));
            }
        }
        out
    }

    /// An acronym ("oaci", "cgna pmec") as a term or phrase in the acronym
    /// field and in both languages' texts.
    fn alias_queries(
        &self,
        an: &mut crate::analysis::Analyzers,
        alias: &str,
    ) -> Vec<Box<dyn Query>> {
        let f = &self.fields;
        let mut out: Vec<Box<dyn Query>> = Vec::new();
        let toks: Vec<&str> = alias.split(' ').collect();
        if toks.len() == 1 {
            out.push(term_query(term(f.alias, toks[0]), 4.0));
        } else {
            let terms = toks.iter().map(|t| term(f.alias, t)).collect();
            out.push(boosted(Box::new(PhraseQuery::new(terms)), 4.0));
        }
        for (field, fr, boost) in [
            (f.title_fr, true, 2.0),
            (f.body_fr, true, 1.0),
            (f.title_en, false, 2.0),
            (f.body_en, false, 1.0),
        ] {
            if let Some(p) = phrase(an, field, alias, fr) {
                out.push(boosted(p, boost));
            }
        }
        out
    }

    fn filters(&self, filters: &Filters) -> Vec<Box<dyn Query>> {
        let f = &self.fields;
        let mut out: Vec<Box<dyn Query>> = Vec::new();
        let mut add = |t: Term| {
            out.push(Box::new(ConstScoreQuery::new(
                Box::new(TermQuery::new(t, IndexRecordOption::Basic)),
                0.0,
            )));
        };
        for (field, value) in [
            (f.kind, &filters.kind),
            (f.region, &filters.region),
            (f.domain, &filters.domain),
            (f.status, &filters.status),
        ] {
            if let Some(v) = value {
                add(term(field, v));
            }
        }
        if let Some(y) = filters.year {
            add(Term::from_field_u64(f.year, u64::from(y)));
        }
        out
    }

    /// Runs a search.
    ///
    /// Records with every word come first. When fewer than [`RELAX_BELOW`]
    /// have them all, records with some of the words follow, those with more
    /// of them first (`relaxed` says when none has them all). A query equal to a record's title,
    /// short title, acronym or reference number puts that record first.
    pub fn search(&self, req: &SearchRequest) -> Result<SearchResults, SearchError> {
        let searcher = self.reader.searcher();
        let words = self.word_clauses(&searcher, &req.q);
        let filters = self.filters(&req.filters);
        let exact = self.exact_query(&searcher, &req.q, &filters);
        let top_docs = || {
            TopDocs::with_limit(req.limit.max(1))
                .and_offset(req.offset)
                .order_by_score()
        };
        let facet_counts = FacetCollector {
            cache: &self.facet_cache,
        };
        // Two passes. Facets need every match but no score, so tantivy hands
        // them out in blocks; the top hits need scores but not every match:
        // a word or an intersection of words (one posting list each, see
        // `words_fr`) is ranked with block-max WAND, which skips the blocks
        // whose best score cannot enter the top. One pass would have to
        // score every match.
        let near = self.rank_query(&req.q);
        // `count` matches the same records as `query`, in a form that is
        // fast to read whole without scores.
        let run = |count: &dyn Query, query: &dyn Query| -> Result<_, SearchError> {
            let counts = searcher.search(count, &facet_counts)?;
            let top = match &near {
                _ if counts.total == 0 => Vec::new(),
                Some(near) if counts.total <= NEAR_UP_TO => {
                    let ranked = BooleanQuery::new(vec![
                        (Occur::Must, query.box_clone()),
                        (Occur::Should, near.box_clone()),
                    ]);
                    searcher.search(&ranked, &top_docs())?
                }
                _ => searcher.search(query, &top_docs())?,
            };
            Ok((top, counts))
        };
        let mut query = with_exact(matching_query(&words, &filters, None), exact.as_deref());
        let (mut top, mut counts) = run(query.as_ref(), query.as_ref())?;
        let mut relaxed = false;
        if counts.total < RELAX_BELOW && words.len() > 1 {
            let bounds = word_bounds(&searcher, &words)?;
            let most = matching_query(&words, &filters, Some(bounds));
            let most = with_exact(most, exact.as_deref());
            let any = with_exact(any_word_query(&words, &filters), exact.as_deref());
            let (more_top, more) = run(any.as_ref(), most.as_ref())?;
            if more.total > counts.total {
                relaxed = counts.total == 0;
                (query, top, counts) = (most, more_top, more);
            }
        }
        let generators = if req.snippets {
            Some(self.snippet_generators(&searcher, query.as_ref(), &words, req.lang)?)
        } else {
            None
        };
        let mut hits = Vec::with_capacity(top.len());
        for (score, addr) in top {
            let doc: TantivyDocument = searcher.doc(addr)?;
            hits.push(self.hit(&doc, score, generators.as_ref(), req.lang));
        }
        Ok(SearchResults {
            total: counts.total,
            hits,
            facets: facets(counts),
            relaxed,
        })
    }

    /// What ranks the matching records beyond their words: the query's
    /// words close together in a title (in either language), and, for a
    /// query without a year, the kinds named by what people type alone
    /// (partners, organizations, groupings) before what they sign or hold.
    fn rank_query(&self, q: &str) -> Option<Box<dyn Query>> {
        let f = &self.fields;
        let mut an = self.analyzers.clone();
        let mut near: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        if !an.folded(q).iter().any(|w| year_of(&w.text).is_some()) {
            for kind in NAMED_KINDS {
                near.push((Occur::Should, const_term(term(f.kind, kind), KIND_SCORE)));
            }
        }
        for (field, toks) in [(f.title_fr, an.french(q)), (f.title_en, an.english(q))] {
            if toks.len() < 2 {
                continue;
            }
            let first = toks[0].position;
            let terms = toks
                .iter()
                .map(|t| (t.position - first, term(field, &t.text)))
                .collect();
            let phrase = PhraseQuery::new_with_offset_and_slop(terms, NEAR_SLOP);
            near.push((Occur::Should, boosted(Box::new(phrase), NEAR_BOOST)));
        }
        (!near.is_empty()).then(|| Box::new(BooleanQuery::new(near)) as Box<dyn Query>)
    }

    /// The records exactly called what the query says (title, short title,
    /// acronym, reference number), within the filters; None when there are
    /// none, which is nearly always (one term looked up).
    fn exact_query(
        &self,
        searcher: &Searcher,
        q: &str,
        filters: &[Box<dyn Query>],
    ) -> Option<Box<dyn Query>> {
        let whole = crate::index::exact_form(&mut self.analyzers.clone(), q);
        let t = term(self.fields.exact, &whole);
        if whole.is_empty() || searcher.doc_freq(&t).unwrap_or(0) == 0 {
            return None;
        }
        let mut clauses = vec![(Occur::Must, const_term(t, EXACT_SCORE))];
        clauses.extend(filters.iter().map(|q| (Occur::Must, q.box_clone())));
        Some(Box::new(BooleanQuery::new(clauses)))
    }

    /// The title and text fields shown in `lang`.
    fn shown_fields(&self, lang: Lang) -> (Field, Field) {
        let f = &self.fields;
        match lang {
            Lang::Fr => (f.title_fr, f.body_fr),
            Lang::En => (f.title_en, f.body_en),
        }
    }

    /// Snippet generators for the title and the text, marking the query's
    /// own title and text terms (phrases of full names) and each word as it
    /// shows in titles and texts.
    fn snippet_generators(
        &self,
        searcher: &Searcher,
        query: &dyn Query,
        words: &[WordQuery],
        lang: Lang,
    ) -> Result<(SnippetGenerator, SnippetGenerator), SearchError> {
        let (title_field, body_field) = self.shown_fields(lang);
        let mut marked: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Should, query.box_clone())];
        for t in words.iter().flat_map(|w| w.highlight.iter()) {
            let q = TermQuery::new(t.clone(), IndexRecordOption::WithFreqs);
            marked.push((Occur::Should, Box::new(q)));
        }
        let marked = BooleanQuery::new(marked);
        let mut title = SnippetGenerator::create(searcher, &marked, title_field)?;
        title.set_max_num_chars(400);
        let mut body = SnippetGenerator::create(searcher, &marked, body_field)?;
        body.set_max_num_chars(220);
        Ok((title, body))
    }

    /// One hit from its stored document, with marked title and snippet when
    /// generators are given.
    fn hit(
        &self,
        doc: &TantivyDocument,
        score: f32,
        generators: Option<&(SnippetGenerator, SnippetGenerator)>,
        lang: Lang,
    ) -> Hit {
        let f = &self.fields;
        let (title_field, body_field) = self.shown_fields(lang);
        let text = |field: Field| -> String {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string()
        };
        let title = text(title_field);
        let (title_html, snippet_html) = match generators {
            Some((tg, bg)) => {
                let t = tg.snippet(&title);
                let title_html = if t.highlighted().is_empty() {
                    escape_html(&title)
                } else {
                    crate::render::title_html(&title, &t)
                };
                let body = text(body_field);
                let b = bg.snippet(&body);
                let snippet = if b.highlighted().is_empty() {
                    crate::render::lead_html(&body, 220)
                } else {
                    crate::render::passage_html(&body, &b)
                };
                (title_html, snippet)
            }
            None => (escape_html(&title), String::new()),
        };
        let link = text(f.link);
        let (link_kind, link_slug) = link.split_once('/').unwrap_or_default();
        let partner = text(match lang {
            Lang::Fr => f.partner_fr,
            Lang::En => f.partner_en,
        });
        Hit {
            kind: text(f.kind),
            slug: text(f.slug),
            title,
            title_html,
            snippet_html,
            year: doc.get_first(f.year).and_then(|v| v.as_u64()),
            parent: doc
                .get_first(f.parent)
                .and_then(|v| v.as_str())
                .map(str::to_string),
            link_kind: link_kind.to_string(),
            link_slug: link_slug.to_string(),
            partner: (!partner.is_empty()).then_some(partner),
            date: doc
                .get_first(f.date)
                .and_then(|v| v.as_str())
                .map(str::to_string),
            score,
        }
    }
}

/// Fewer records than this with every word, and records with some of the
/// words follow them.
pub const RELAX_BELOW: u64 = 10;

/// What each word matched adds when not every word must match: more than a
/// word's own score, so that records with more of the words come first.
const WORD_BONUS: f32 = 100.0;

/// What a query equal to a record's name adds: above any words' score.
const EXACT_SCORE: f32 = 100_000.0;

/// `query`, or the records named exactly by the query as well, ranked first.
fn with_exact(query: Box<dyn Query>, exact: Option<&dyn Query>) -> Box<dyn Query> {
    match exact {
        None => query,
        Some(e) => Box::new(BooleanQuery::new(vec![
            (Occur::Should, query),
            (Occur::Should, e.box_clone()),
        ])),
    }
}

/// The highest score each word reaches alone (its best record's), with
/// pruning: the bounds of the most-words ranking.
fn word_bounds(searcher: &Searcher, words: &[WordQuery]) -> Result<Vec<f32>, SearchError> {
    let best = TopDocs::with_limit(1).order_by_score();
    let mut out = Vec::with_capacity(words.len());
    for w in words {
        let top = searcher.search(&w.to_boolean(), &best)?;
        out.push(top.first().map_or(0.0, |(score, _)| *score));
    }
    Ok(out)
}

/// The records with at least one of the words, within the filters, as one
/// union of all their terms: what the most-words query matches, in the form
/// tantivy reads fastest when counting.
fn any_word_query(words: &[WordQuery], filters: &[Box<dyn Query>]) -> Box<dyn Query> {
    let any = BooleanQuery::new(
        (words.iter().flat_map(|w| w.clauses()))
            .map(|q| (Occur::Should, q))
            .collect(),
    );
    if filters.is_empty() {
        return Box::new(any);
    }
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, Box::new(any))];
    clauses.extend(filters.iter().map(|q| (Occur::Must, q.box_clone())));
    Box::new(BooleanQuery::new(clauses))
}

/// The query matching every word (`most` None), or at least one (those with
/// more words first, pruned with each word's bound from `most`), within the
/// filters.
fn matching_query(
    words: &[WordQuery],
    filters: &[Box<dyn Query>],
    most: Option<Vec<f32>>,
) -> Box<dyn Query> {
    if words.len() == 1 && filters.is_empty() {
        // Unwrapped, a union of terms that tantivy can prune.
        return Box::new(words[0].to_boolean());
    }
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = if words.is_empty() {
        vec![(Occur::Must, Box::new(AllQuery))]
    } else if let Some(bounds) = most {
        let most = crate::word::MostWords {
            words: words.to_vec(),
            bonus: WORD_BONUS,
            bounds: Some(bounds),
        };
        if filters.is_empty() {
            // Unwrapped, so that ranking prunes (`MostWeight::for_each_pruning`).
            return Box::new(most);
        }
        vec![(Occur::Must, Box::new(most) as Box<dyn Query>)]
    } else {
        words
            .iter()
            .map(|w| (Occur::Must, Box::new(w.clone()) as Box<dyn Query>))
            .collect()
    };
    clauses.extend(filters.iter().map(|q| (Occur::Must, q.box_clone())));
    Box::new(BooleanQuery::new(clauses))
}

/// `text` analyzed for `field` as a phrase (a single term when it is one word).
fn phrase(
    an: &mut crate::analysis::Analyzers,
    field: Field,
    text: &str,
    french: bool,
) -> Option<Box<dyn Query>> {
    let toks = if french {
        an.french(text)
    } else {
        an.english(text)
    };
    match toks.len() {
        0 => None,
        1 => Some(Box::new(TermQuery::new(
            term(field, &toks[0].text),
            IndexRecordOption::WithFreqs,
        ))),
        _ => {
            let first = toks[0].position;
            let terms = toks
                .iter()
                .map(|t| (t.position - first, term(field, &t.text)))
                .collect();
            Some(Box::new(PhraseQuery::new_with_offset(terms)))
        }
    }
}
