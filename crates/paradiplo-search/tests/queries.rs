//! What people type, on the bundled Québec dataset.

mod common;

use paradiplo_core::{AnyRecord, Lang, RecordKind, Registry};
use paradiplo_search::{Filters, SearchIndex, SearchRequest, SearchResults, is_indexed};
use paradiplo_store::{Store, Visibility};

fn search(index: &SearchIndex, q: &str, lang: Lang) -> SearchResults {
    let mut req = SearchRequest::new(q, lang);
    req.limit = 100;
    index.search(&req).expect("search runs")
}

fn keys(r: &SearchResults) -> Vec<String> {
    r.hits
        .iter()
        .map(|h| format!("{}/{}", h.kind, h.slug))
        .collect()
}

fn has(r: &SearchResults, key: &str) -> bool {
    keys(r).iter().any(|k| k == key)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn queries_on_the_bundled_dataset() {
    let (_db, store, index) = common::seeded_index().await;
    accents_and_stems_are_folded(&index);
    acronyms_match_both_ways(&index);
    related_records_places_and_adjectives_match(&index);
    typos_match_below_exact_words(&index);
    snippets_and_titles_are_escaped_and_localised(&index);
    facet_counts_match_the_store(&store, &index).await;
}

/// Accents: "quebec" is "Québec". Stems: "organisation" finds
/// "Organisations internationales".
fn accents_and_stems_are_folded(index: &SearchIndex) {
    let plain = search(index, "quebec", Lang::Fr);
    let accented = search(index, "Québec", Lang::Fr);
    assert!(
        plain.total > 20,
        "quebec matches many records: {}",
        plain.total
    );
    assert_eq!(plain.total, accented.total);
    assert!(has(&plain, "agreement/baviere-communique-1989"));
    assert!(!plain.relaxed);

    let r = search(index, "organisation", Lang::Fr);
    assert!(
        has(&r, "page/organisations-internationales"),
        "{:?}",
        keys(&r)
    );
    let page = r
        .hits
        .iter()
        .find(|h| h.slug == "organisations-internationales")
        .unwrap();
    assert_eq!(
        page.title_html,
        "<mark>Organisations</mark> internationales"
    );
}

/// Acronyms both ways, from the data.
fn acronyms_match_both_ways(index: &SearchIndex) {
    for q in ["OACI", "ICAO", "oaci", "icao"] {
        let r = search(index, q, Lang::Fr);
        assert_eq!(
            keys(&r).first().map(String::as_str),
            Some("organization/oaci"),
            "{q}"
        );
    }
    // "ICAO" also finds French text that only says "OACI" (the IBAC's office).
    let r = search(index, "ICAO", Lang::Fr);
    let ibac = r
        .hits
        .iter()
        .find(|h| h.slug == "ibac")
        .expect("ibac found by ICAO");
    assert!(
        ibac.snippet_html.contains("<mark>OACI</mark>"),
        "{}",
        ibac.snippet_html
    );
    // The full name finds the acronym's record too.
    let r = search(index, "aviation civile internationale", Lang::Fr);
    assert_eq!(
        keys(&r).first().map(String::as_str),
        Some("organization/oaci")
    );
    for q in ["AECG", "CETA"] {
        let r = search(index, q, Lang::En);
        assert_eq!(
            keys(&r).first().map(String::as_str),
            Some("agreement/aecg"),
            "{q}"
        );
    }
}

/// Two words, one matched through related records (the energy domain); a
/// place finds its adjective and the reverse.
fn related_records_places_and_adjectives_match(index: &SearchIndex) {
    let r = search(index, "énergie Bavière", Lang::Fr);
    assert!(!r.relaxed);
    assert!(has(&r, "grouping/regions-partenaires"), "{:?}", keys(&r));
    assert_eq!(r.total, search(index, "energie baviere", Lang::Fr).total);

    // A place finds its adjective and the reverse: « europe » finds the
    // agreement with the « Union européenne », marked in its title.
    let r = search(index, "accord commercial europe", Lang::Fr);
    let aecg = r.hits.iter().find(|h| h.slug == "aecg");
    assert!(
        aecg.is_some_and(|h| h.title_html.contains("<mark>européenne</mark>")),
        "{:?}",
        r.hits.iter().map(|h| &h.title_html).collect::<Vec<_>>()
    );
    assert!(has(&search(index, "bavarois", Lang::Fr), "partner/baviere"));
    assert!(has(&search(index, "Bavarian", Lang::En), "partner/baviere"));
    // …a little below the word itself.
    let r = search(index, "Bavière", Lang::Fr);
    assert_eq!(
        keys(&r).first().map(String::as_str),
        Some("partner/baviere")
    );
}

/// Typos: folding is not a typo; a swapped letter and a wrong letter are.
fn typos_match_below_exact_words(index: &SearchIndex) {
    assert!(has(&search(index, "Baviere", Lang::Fr), "partner/baviere"));
    let r = search(index, "Bavèire", Lang::Fr);
    assert!(has(&r, "partner/baviere"), "{:?}", keys(&r));
    let r = search(index, "UNESKO", Lang::Fr);
    assert!(has(&r, "organization/unesco"), "{:?}", keys(&r));
    // An exact match ranks above typo matches.
    let r = search(index, "Bavière", Lang::Fr);
    assert!(r.hits.iter().all(|h| h.score > 0.5));
    // A word in the title weighs three times a word in the text: records
    // named after Bavaria come before those that mention it.
    let in_title: Vec<bool> = (r.hits.iter())
        .map(|h| h.title_html.contains("<mark>"))
        .collect();
    assert!(in_title.contains(&true) && in_title.contains(&false));
    assert!(
        in_title.windows(2).all(|w| w[0] || !w[1]),
        "{:?}",
        r.hits
            .iter()
            .map(|h| (&h.title, h.score))
            .collect::<Vec<_>>()
    );
}

/// Snippets are escaped HTML with marks; English pages show English titles;
/// a query nothing fully matches is relaxed.
fn snippets_and_titles_are_escaped_and_localised(index: &SearchIndex) {
    let r = search(index, "Munich", Lang::Fr);
    assert!(
        r.hits
            .iter()
            .any(|h| h.snippet_html.contains("<mark>Munich</mark>"))
    );
    for h in &r.hits {
        let stripped = h.snippet_html.replace("<mark>", "").replace("</mark>", "");
        assert!(!stripped.contains('<'), "unescaped: {}", h.snippet_html);
    }

    // English pages show English titles and snippets.
    let r = search(index, "Bavaria", Lang::En);
    let p = r.hits.iter().find(|h| h.slug == "baviere").unwrap();
    assert_eq!(p.title, "Free State of Bavaria");
    assert_eq!(p.title_html, "Free State of <mark>Bavaria</mark>");

    // Nothing has every word: any word will do, and the results say so.
    let r = search(index, "Bavière xylophonique", Lang::Fr);
    assert!(r.relaxed);
    assert!(has(&r, "partner/baviere"));
}

/// Facet counts of a search equal counts made directly from the store.
async fn facet_counts_match_the_store(store: &Store, index: &SearchIndex) {
    let registry = store.registry(Visibility::Public).await.unwrap();
    let records: Vec<&AnyRecord> = registry.iter().filter(|r| is_indexed(r.kind())).collect();
    kind_counts_match_the_store(store, index, &records).await;
    domain_filter_counts_match_the_registry(index, &registry, &records);
    partner_regions_match_the_registry(index, &registry);
    agreement_status_and_years_match_the_registry(index, &registry);
    a_filtered_query_totals_its_facet_count(index);
}

/// Everything: counts per kind.
async fn kind_counts_match_the_store(store: &Store, index: &SearchIndex, records: &[&AnyRecord]) {
    let all = search(index, "", Lang::Fr);
    assert_eq!(all.total, records.len() as u64);
    let counts = store.counts(Visibility::Public).await.unwrap();
    for kind in paradiplo_search::INDEXED_KINDS {
        let facet = all.facets.kind.iter().find(|f| f.value == kind.as_str());
        assert_eq!(
            facet.map(|f| f.count).unwrap_or(0),
            counts[&kind] as u64,
            "{kind}"
        );
    }
}

/// Filtered by domain: the total and the kind counts.
fn domain_filter_counts_match_the_registry(
    index: &SearchIndex,
    registry: &Registry,
    records: &[&AnyRecord],
) {
    let mut req = SearchRequest::new("", Lang::Fr);
    req.filters = Filters {
        domain: Some("culture".into()),
        ..Filters::default()
    };
    let r = index.search(&req).unwrap();
    let direct: Vec<&&AnyRecord> = records
        .iter()
        .filter(|r| {
            paradiplo_search::from_record(r, registry)
                .unwrap()
                .domains
                .iter()
                .any(|d| d == "culture")
        })
        .collect();
    assert!(!direct.is_empty());
    assert_eq!(r.total, direct.len() as u64);
    let partners = direct
        .iter()
        .filter(|r| r.kind() == RecordKind::Partner)
        .count() as u64;
    let facet = r.facets.kind.iter().find(|f| f.value == "partner").unwrap();
    assert_eq!(facet.count, partners);
}

/// Partners by world region.
fn partner_regions_match_the_registry(index: &SearchIndex, registry: &Registry) {
    let mut req = SearchRequest::new("", Lang::Fr);
    req.filters.kind = Some("partner".into());
    let r = index.search(&req).unwrap();
    for f in &r.facets.region {
        let direct = registry
            .of_kind(RecordKind::Partner)
            .iter()
            .filter(|p| matches!(p, AnyRecord::Partner(p) if p.world_region.as_str() == f.value))
            .count() as u64;
        assert_eq!(f.count, direct, "region {}", f.value);
    }
    assert!(r.facets.status.is_empty(), "partners have no status");
}

/// Agreements by status and year.
fn agreement_status_and_years_match_the_registry(index: &SearchIndex, registry: &Registry) {
    let mut req = SearchRequest::new("", Lang::Fr);
    req.filters.kind = Some("agreement".into());
    req.filters.status = Some("in_force".into());
    let r = index.search(&req).unwrap();
    let in_force: Vec<_> = registry
        .of_kind(RecordKind::Agreement)
        .iter()
        .filter_map(|a| match a {
            AnyRecord::Agreement(a) if a.status.as_str() == "in_force" => Some(a),
            _ => None,
        })
        .collect();
    assert!(!in_force.is_empty());
    assert_eq!(r.total, in_force.len() as u64);
    for f in &r.facets.year {
        let direct = in_force
            .iter()
            .filter(|a| {
                a.signed
                    .as_ref()
                    .or(a.in_force.as_ref())
                    .map(|d| d.year().to_string())
                    == Some(f.value.clone())
            })
            .count() as u64;
        assert_eq!(f.count, direct, "year {}", f.value);
    }
    // A year filter agrees with its facet count.
    let first = r.facets.year[0].clone();
    req.filters.year = Some(first.value.parse().unwrap());
    assert_eq!(index.search(&req).unwrap().total, first.count);
}

/// A query with a filter: total equals the filter's facet count without it.
fn a_filtered_query_totals_its_facet_count(index: &SearchIndex) {
    let free = search(index, "culture", Lang::Fr);
    let mut req = SearchRequest::new("culture", Lang::Fr);
    req.filters.kind = Some("organization".into());
    let r = index.search(&req).unwrap();
    let facet = free
        .facets
        .kind
        .iter()
        .find(|f| f.value == "organization")
        .unwrap();
    assert_eq!(r.total, facet.count);
    assert!(r.hits.iter().all(|h| h.kind == "organization"));
}
