//! Issue 19 on the bundled Québec dataset: countries, years, reference
//! numbers and partial matches find their records first; titles stay whole
//! and snippets cut at words; every hit links to a page that shows it; the
//! judged query set meets its targets on its held-back half.

mod common;

use paradiplo_core::{AnyRecord, Lang, RecordKind, Registry};
use paradiplo_search::judged::{self, Judged};
use paradiplo_search::{HUB_PAGE, Hit, SearchIndex, SearchRequest, SearchResults};
use paradiplo_store::Visibility;

fn search(index: &SearchIndex, q: &str, lang: Lang) -> SearchResults {
    let mut req = SearchRequest::new(q, lang);
    req.limit = 20;
    index.search(&req).expect("search runs")
}

fn first(r: &SearchResults) -> String {
    r.hits
        .first()
        .map(|h| format!("{}/{}", h.kind, h.slug))
        .unwrap_or_default()
}

/// The country of a partner, an office or an event.
fn country_of(registry: &Registry, hit: &Hit) -> Option<String> {
    let kind = RecordKind::parse(&hit.kind)?;
    match registry.get(kind, &hit.slug)? {
        AnyRecord::Partner(p) => Some(p.country.as_str().to_string()),
        AnyRecord::Representation(r) => Some(r.country.as_str().to_string()),
        AnyRecord::Event(e) => e.country.as_ref().map(|c| c.as_str().to_string()),
        _ => None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_people_type_finds_its_record_first() {
    let (_db, store, index) = common::seeded_index().await;
    let registry = store.registry(Visibility::Public).await.unwrap();
    countries_bring_their_records_first(&index, &registry);
    a_partner_and_a_year_bring_the_agreement(&index);
    a_reference_number_brings_its_agreement(&index);
    a_stop_word_alone_does_not_match_everything(&index);
    records_with_most_words_come_first(&index);
    titles_stay_whole_and_snippets_cut_at_words(&index, &registry);
    every_hit_links_to_a_page_that_shows_it(&index, &registry);
    judged_records_exist(&registry);
    judged_queries_meet_their_targets(&index);
}

/// « inde » and « États-Unis » (with or without accents, or in English)
/// bring a partner or an office of that country first, and only records of
/// it among the first ones.
fn countries_bring_their_records_first(index: &SearchIndex, registry: &Registry) {
    for (q, lang, code) in [
        ("inde", Lang::Fr, "IN"),
        ("India", Lang::En, "IN"),
        ("États-Unis", Lang::Fr, "US"),
        ("etats unis", Lang::Fr, "US"),
        ("United States", Lang::En, "US"),
    ] {
        let r = search(index, q, lang);
        let top = r.hits.first().unwrap_or_else(|| panic!("{q}: no hit"));
        assert!(
            matches!(top.kind.as_str(), "partner" | "representation"),
            "{q}: {}",
            first(&r)
        );
        assert_eq!(country_of(registry, top).as_deref(), Some(code), "{q}");
    }
    // Every US partner and office is found (the issue found 2 of 22).
    let r = search(index, "États-Unis", Lang::Fr);
    let us = registry
        .iter()
        .filter(|rec| match rec {
            AnyRecord::Partner(p) => p.country.as_str() == "US",
            AnyRecord::Representation(o) => o.country.as_str() == "US",
            _ => false,
        })
        .count();
    let mut req = SearchRequest::new("États-Unis", Lang::Fr);
    req.limit = 200;
    let all = index.search(&req).unwrap();
    let found = all
        .hits
        .iter()
        .filter(|h| h.kind == "partner" || h.kind == "representation")
        .filter(|h| country_of(registry, h).as_deref() == Some("US"))
        .count();
    assert!(us >= 20, "{us}");
    assert_eq!(found, us);
    assert!(r.total >= us as u64);
}

/// A partner and a year: the agreement signed with it that year comes
/// first, before the partner whose history mentions the year.
fn a_partner_and_a_year_bring_the_agreement(index: &SearchIndex) {
    for (q, lang, expected) in [
        (
            "catalogne 1996",
            Lang::Fr,
            "agreement/catalogne-accord-cadre-1996",
        ),
        (
            "Catalonia 1996",
            Lang::En,
            "agreement/catalogne-accord-cadre-1996",
        ),
        (
            "flandre 2002",
            Lang::Fr,
            "agreement/flandre-cooperation-2002",
        ),
        (
            "vermont 2003",
            Lang::Fr,
            "agreement/vermont-cooperation-2003",
        ),
    ] {
        assert_eq!(first(&search(index, q, lang)), expected, "{q}");
    }
    // A range of years: the Great Lakes agreements of 1985 to 2001.
    let r = search(index, "ontario 1984-2002", Lang::Fr);
    let keys: Vec<String> = r
        .hits
        .iter()
        .map(|h| format!("{}/{}", h.kind, h.slug))
        .collect();
    assert!(
        keys[..2].contains(&"agreement/charte-grands-lacs-1985".to_string())
            && keys[..2].contains(&"agreement/annexe-charte-grands-lacs-2001".to_string()),
        "{keys:?}"
    );
}

/// A reference number as written, or with words around it.
fn a_reference_number_brings_its_agreement(index: &SearchIndex) {
    for q in ["1983-02", "entente 1983-02"] {
        assert_eq!(
            first(&search(index, q, Lang::Fr)),
            "agreement/catalogne-echange-lettres-1983",
            "{q}"
        );
    }
}

/// « AN » is a stop word in English and no acronym of the registry: it
/// finds nothing rather than everything.
fn a_stop_word_alone_does_not_match_everything(index: &SearchIndex) {
    let everything = search(index, "", Lang::Fr).total;
    let an = search(index, "AN", Lang::Fr);
    assert!(an.total < everything / 10, "{} of {everything}", an.total);
}

/// No record has every word: those with two of the three come first.
fn records_with_most_words_come_first(index: &SearchIndex) {
    let r = search(index, "flandre 2002 xylophonique", Lang::Fr);
    assert!(r.relaxed);
    assert_eq!(first(&r), "agreement/flandre-cooperation-2002");
    assert!(r.hits.len() > 1, "more than one stray record");
}

/// A title ending in ")" keeps it when a word in it is marked; snippets are
/// whole words of the record's text, with « … » where it goes on.
fn titles_stay_whole_and_snippets_cut_at_words(index: &SearchIndex, registry: &Registry) {
    let r = search(index, "flandre 1989", Lang::Fr);
    let hit = &r.hits[0];
    assert_eq!(
        hit.title_html,
        "Accord général de coopération entre le Québec et la <mark>Flandre</mark> (<mark>1989</mark>)"
    );
    assert_eq!(hit.partner.as_deref(), Some("Flandre"));
    assert_eq!(hit.date.as_deref(), Some("1989"));
    let mut marked_parenthesis = 0;
    for q in [
        "coopération",
        "vermont",
        "new hampshire",
        "rio de janeiro",
        "flandre",
    ] {
        for h in &search(index, q, Lang::Fr).hits {
            let plain = h.title_html.replace("<mark>", "").replace("</mark>", "");
            assert_eq!(plain, paradiplo_core::markup::escape_html(&h.title), "{q}");
            if h.title.ends_with(')') && h.title_html.contains("<mark>") {
                marked_parenthesis += 1;
            }
            snippet_is_whole_words(registry, h);
        }
    }
    assert!(marked_parenthesis >= 3, "{marked_parenthesis}");
}

fn snippet_is_whole_words(registry: &Registry, h: &Hit) {
    let kind = RecordKind::parse(&h.kind).unwrap();
    let record = registry.get(kind, &h.slug).unwrap();
    let doc = paradiplo_search::from_record(record, registry).unwrap();
    let text = h
        .snippet_html
        .replace("<mark>", "")
        .replace("</mark>", "")
        .replace("&amp;", "&")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">");
    let inner = text.trim_start_matches('…').trim_end_matches('…');
    let at = doc
        .body_fr
        .find(inner)
        .unwrap_or_else(|| panic!("{}: snippet {inner:?} not in the text", h.slug));
    let before = doc.body_fr[..at].chars().last();
    assert!(
        before.is_none_or(char::is_whitespace),
        "{}: {text:?}",
        h.slug
    );
    assert_eq!(
        text.starts_with('…'),
        at > 0 && !doc.body_fr[..at].trim().is_empty()
    );
    let after = doc.body_fr[at + inner.len()..].chars().next();
    assert!(
        after.is_none_or(char::is_whitespace),
        "{}: {text:?}",
        h.slug
    );
}

/// The hits of 50 judged queries: each links to the page of a published
/// record of a kind with pages (or the hub page), and that page shows it:
/// the record itself, an intervention's organization, a position's
/// agreement, event or organization, an office's partner. No anchor.
fn every_hit_links_to_a_page_that_shows_it(index: &SearchIndex, registry: &Registry) {
    let queries = judged_queries();
    let mut checked = 0;
    for j in queries.iter().step_by(queries.len() / 50).take(50) {
        for h in search(index, &j.query, j.lang).hits {
            assert!(
                links_to_a_page_showing_it(registry, &h),
                "{}: {h:?}",
                j.query
            );
            checked += 1;
        }
    }
    assert!(checked > 100, "{checked}");
}

fn links_to_a_page_showing_it(registry: &Registry, h: &Hit) -> bool {
    if h.link_kind == "page" && h.link_slug == HUB_PAGE {
        return h.kind == "representation" || h.slug == HUB_PAGE;
    }
    let Some(kind) = RecordKind::parse(&h.link_kind) else {
        return false;
    };
    let page_kinds = [
        RecordKind::Partner,
        RecordKind::Grouping,
        RecordKind::Organization,
        RecordKind::Agreement,
        RecordKind::Event,
    ];
    if registry.get(kind, &h.link_slug).is_none() {
        return false;
    }
    if h.kind == h.link_kind && h.slug == h.link_slug {
        return page_kinds.contains(&kind) || h.kind == "page";
    }
    let own = registry.get(RecordKind::parse(&h.kind).unwrap(), &h.slug);
    let is =
        |s: &Option<paradiplo_core::Slug>| s.as_ref().is_some_and(|s| s.as_str() == h.link_slug);
    match own {
        Some(AnyRecord::Intervention(i)) => i.organization.as_str() == h.link_slug,
        Some(AnyRecord::Position(p)) => is(&p.agreement) || is(&p.event) || is(&p.organization),
        Some(AnyRecord::Representation(r)) => r.partners.iter().any(|p| p.as_str() == h.link_slug),
        _ => false,
    }
}

fn judged_queries() -> Vec<Judged> {
    let path = common::dataset_dir().join("../../bench/search/judged.tsv");
    let text = std::fs::read_to_string(&path).expect("judged.tsv reads");
    judged::parse("bench/search/judged.tsv", &text).expect("judged.tsv parses")
}

/// The targets of issue 19 on the held-back half of the judged set.
fn judged_queries_meet_their_targets(index: &SearchIndex) {
    let queries = judged_queries();
    assert!(queries.len() >= 200, "{}", queries.len());
    let report = judged::evaluate(index, &queries);
    let all = report.get(true, "all");
    let by_year = report.get(true, "partner+year");
    assert!(all.n >= 100 && by_year.n >= 20, "{all:?} {by_year:?}");
    assert!(all.r1 >= 0.85, "held-back R@1 {all:?}");
    assert!(all.r5 >= 0.95, "held-back R@5 {all:?}");
    assert!(by_year.r1 >= 0.8, "held-back partner+year R@1 {by_year:?}");
}

/// Every record the judged set expects is published in the bundled data.
fn judged_records_exist(registry: &Registry) {
    for j in judged_queries() {
        for e in &j.expected {
            let (kind, slug) = e.split_once('/').unwrap();
            let kind = RecordKind::parse(kind).unwrap_or_else(|| panic!("line {}: {e}", j.line));
            assert!(registry.get(kind, slug).is_some(), "line {}: {e}", j.line);
        }
    }
}
