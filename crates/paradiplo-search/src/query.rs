//! Searching: from the words people type to ranked hits with snippets and
//! facet counts.
//!
//! Every word must match (in French or English text, an acronym or the name
//! of a related record); when no record has them all, any word will do and
//! the results say so. A word of five letters or more that appears nowhere
//! in the index is looked up with one typo allowed. Acronyms known from the
//! data also match their other acronyms and full names.

use crate::facets::{Counts, FacetCollector};
use crate::index::{Fields, SearchError, SearchIndex};
use crate::word::WordQuery;
use paradiplo_core::Lang;
use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, FuzzyTermQuery, Occur, PhraseQuery, Query,
    TermQuery,
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

/// The first `max` characters, cut at a word boundary.
fn lead(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let cut: String = s.chars().take(max).collect();
    match cut.rfind(char::is_whitespace) {
        Some(i) => format!("{}…", &cut[..i]),
        None => format!("{cut}…"),
    }
}

impl SearchIndex {
    /// The query for each word (or acronym) of `q`; stop words give none.
    fn word_clauses(&self, searcher: &Searcher, q: &str) -> Vec<WordQuery> {
        let f: &Fields = &self.fields;
        let mut an = self.analyzers.clone();
        let words = an.folded(q);
        let texts: Vec<String> = words.iter().map(|w| w.text.clone()).collect();
        let labels = self.labels.read().expect("labels lock");
        let mut clauses: Vec<WordQuery> = Vec::new();
        let mut i = 0;
        while i < words.len() {
            let mut should: Vec<Box<dyn Query>> = Vec::new();
            if let Some((n, groups)) = labels.synonyms.lookup(&texts, i) {
                for g in groups {
                    for alias in &g.aliases {
                        should.extend(self.alias_queries(&mut an, alias));
                    }
                    for name in &g.names {
                        for (field, fr) in [(f.title_fr, true), (f.title_en, false)] {
                            if let Some(p) = phrase(&mut an, field, name, fr) {
                                should.push(boosted(p, 2.0));
                            }
                        }
                    }
                }
                let mut highlight = Vec::new();
                if n == 1 {
                    let raw = &q[words[i].from..words[i].to];
                    should.extend(self.exact_word(&mut an, raw));
                    highlight = self.highlighted_word(&mut an, raw);
                }
                clauses.push(WordQuery::new(should, highlight));
                i += n;
                continue;
            }
            let raw = &q[words[i].from..words[i].to];
            let folded = &texts[i];
            i += 1;
            let mut exact = self.exact_word(&mut an, raw);
            if exact.is_empty() {
                continue; // a stop word
            }
            let mut highlight = self.highlighted_word(&mut an, raw);
            if clauses.iter().any(|c| c.highlight.starts_with(&highlight)) {
                // The same stems again ("accord accords"): it matches the
                // same records, and ranks them in the same order.
                continue;
            }
            // A place also finds its adjectives and the reverse (« europe »,
            // « européenne »), a little below the word itself.
            for form in labels.places.others(folded) {
                for t in self.form_terms(&mut an, form) {
                    let seen = exact.iter().any(|q| {
                        let mut same = false;
                        q.query_terms(&mut |u, _| same = same || *u == t);
                        same
                    });
                    if !seen {
                        exact.push(term_query(t, 0.8));
                    }
                }
                for t in self.highlighted_word(&mut an, form) {
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
            should.extend(exact);
            if !found && raw.chars().count() >= 5 {
                should.extend(self.fuzzy_word(&mut an, raw));
            }
            clauses.push(WordQuery::new(should, highlight));
        }
        clauses
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
    pub fn search(&self, req: &SearchRequest) -> Result<SearchResults, SearchError> {
        let searcher = self.reader.searcher();
        let words = self.word_clauses(&searcher, &req.q);
        let filters = self.filters(&req.filters);
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
        let run = |query: &dyn Query| -> Result<_, SearchError> {
            let counts = searcher.search(query, &facet_counts)?;
            let top = if counts.total == 0 {
                Vec::new()
            } else {
                searcher.search(query, &top_docs())?
            };
            Ok((top, counts))
        };
        let mut query = matching_query(&words, &filters, true);
        let (mut top, mut counts) = run(query.as_ref())?;
        let mut relaxed = false;
        if counts.total == 0 && words.len() > 1 {
            query = matching_query(&words, &filters, false);
            (top, counts) = run(query.as_ref())?;
            relaxed = true;
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
                let mut t = tg.snippet(&title);
                t.set_snippet_prefix_postfix("<mark>", "</mark>");
                let title_html = if t.highlighted().is_empty() {
                    escape_html(&title)
                } else {
                    t.to_html()
                };
                let body = text(body_field);
                let mut b = bg.snippet(&body);
                b.set_snippet_prefix_postfix("<mark>", "</mark>");
                let snippet = if b.highlighted().is_empty() {
                    escape_html(&lead(&body, 220))
                } else {
                    b.to_html()
                };
                (title_html, snippet)
            }
            None => (escape_html(&title), String::new()),
        };
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
            score,
        }
    }
}

/// The query matching every word (`all`), or at least one, within the filters.
fn matching_query(words: &[WordQuery], filters: &[Box<dyn Query>], all: bool) -> Box<dyn Query> {
    if words.len() == 1 && filters.is_empty() {
        // Unwrapped, a union of terms that tantivy can prune.
        return Box::new(words[0].to_boolean());
    }
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = if words.is_empty() {
        vec![(Occur::Must, Box::new(AllQuery))]
    } else if all {
        words
            .iter()
            .map(|w| (Occur::Must, Box::new(w.clone()) as Box<dyn Query>))
            .collect()
    } else {
        // One flat union of every word's terms: the same sum of
        // scores as a union of words, and tantivy can prune it.
        let any = words
            .iter()
            .flat_map(|w| w.clauses().map(|q| (Occur::Should, q)));
        vec![(Occur::Must, Box::new(BooleanQuery::new(any.collect())))]
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
