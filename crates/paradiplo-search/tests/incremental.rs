//! A catch-up costs what the writes touched: the records written, the
//! records that show their names, and the records those refer to — never the
//! whole registry — and leaves the index as a rebuild would.

mod common;

use paradiplo_core::records::Partner;
use paradiplo_core::{AnyRecord, Lang, RecordKind, RecordState, Registry, Slug, Text};
use paradiplo_search::{CatchUpCount, SearchIndex, SearchRequest, from_record};
use paradiplo_store::{Store, Visibility};
use paradiplo_testkit::{TestDb, backend_tests};
use std::collections::BTreeSet;
use std::path::Path;

async fn open(dir: &Path, store: &Store) -> SearchIndex {
    SearchIndex::open(dir, store, &mut |_, _| {})
        .await
        .expect("index opens")
        .0
}

fn found(index: &SearchIndex, q: &str) -> Vec<String> {
    index
        .search(&SearchRequest::new(q, Lang::Fr))
        .unwrap()
        .hits
        .into_iter()
        .map(|h| format!("{}/{}", h.kind, h.slug))
        .collect()
}

async fn stored_partner(store: &Store, slug: &str) -> (Partner, i64) {
    let stored = store
        .get(RecordKind::Partner, slug, Visibility::All)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("partner {slug} is seeded"));
    let AnyRecord::Partner(p) = stored.record else {
        panic!("{slug} is a partner")
    };
    (p, stored.version)
}

/// The published records whose documents show `key`'s name.
fn showing(registry: &Registry, key: &str) -> BTreeSet<String> {
    registry
        .iter()
        .filter_map(|r| from_record(r, registry))
        .filter(|d| d.refs.iter().any(|r| r == key))
        .map(|d| format!("{}/{}", d.kind, d.slug))
        .collect()
}

/// Every query finds the same records on both indexes, the same first.
/// (Further down, records of equal score may come in another order: the
/// caught-up index still counts its deleted documents in its word
/// statistics until segments merge.)
fn same_results(caught_up: &SearchIndex, rebuilt: &SearchIndex, queries: &[&str]) {
    for q in queries {
        let (a, b) = (found(caught_up, q), found(rebuilt, q));
        assert_eq!(a.first(), b.first(), "query « {q} »");
        let set = |v: Vec<String>| v.into_iter().collect::<BTreeSet<_>>();
        assert_eq!(set(a), set(b), "query « {q} »");
    }
}

async fn a_renamed_partner_brings_its_agreements_under_the_new_name(db: &TestDb) {
    let store = common::seeded(&db.url).await;
    let index = open(&db.dir.path().join("idx"), &store).await;
    assert!(found(&index, "Zhaolandie").is_empty());
    let registry = store.registry(Visibility::Public).await.unwrap();
    let shown = showing(&registry, "partner/shandong");
    let agreements: Vec<&String> = shown
        .iter()
        .filter(|k| k.starts_with("agreement/"))
        .collect();
    assert!(agreements.len() >= 4, "{shown:?}");

    let (mut p, version) = stored_partner(&store, "shandong").await;
    p.name = Text::new("Province du Zhaolandie", "Zhaolandia Province");
    p.short_name = None;
    store
        .update(p.into(), RecordState::Published, version, "t", "rename")
        .await
        .unwrap();
    assert_eq!(index.catch_up(&store).await.unwrap(), 1);

    let hits = found(&index, "Zhaolandie");
    for a in &agreements {
        assert!(hits.contains(a), "{a} under the new name: {hits:?}");
    }
    let english = index
        .search(&SearchRequest::new("Zhaolandia", Lang::En))
        .unwrap();
    assert!(english.hits.iter().any(|h| h.kind == "agreement"));
    let count = index.last_catch_up();
    assert_eq!(
        count.documents,
        1 + shown.len(),
        "the partner and what shows its name"
    );
    assert!(count.records_read < registry.len() / 2, "{count:?}");

    let rebuilt = open(&db.dir.path().join("rebuilt"), &store).await;
    assert_eq!(index.num_docs(), rebuilt.num_docs());
    same_results(
        &index,
        &rebuilt,
        &[
            "Zhaolandie",
            "Zhaolandie 2011",
            "Shandong",
            "chine",
            "accord",
        ],
    );
    store.close().await;
}

/// New partners made from Bavaria's record, under other names.
async fn create_partners(store: &Store, names: &[&str]) {
    let (template, _) = stored_partner(store, "baviere").await;
    for name in names {
        let mut p = template.clone();
        p.slug = Slug::parse(&name.to_lowercase()).unwrap();
        p.name = Text::new(format!("État de {name}"), format!("State of {name}"));
        p.short_name = None;
        p.summary = Text::new(
            format!("Partenaire fictif {name}."),
            format!("Fictitious {name}."),
        );
        p.milestones.clear();
        store
            .create(p.into(), RecordState::Published, "t", "create")
            .await
            .unwrap();
    }
}

async fn a_catch_up_after_n_writes_reads_what_they_touch(db: &TestDb) {
    let store = common::seeded(&db.url).await;
    let index = open(&db.dir.path().join("idx"), &store).await;
    let registry = store.registry(Visibility::Public).await.unwrap();
    let (template, _) = stored_partner(&store, "baviere").await;
    let refs = from_record(&AnyRecord::from(template), &registry)
        .unwrap()
        .refs
        .len();
    assert!(refs > 0, "Bavaria refers to its domains");

    for names in [
        &["Quokkaland"][..],
        &[
            "Brelundie",
            "Corvaxie",
            "Dremontie",
            "Esquilande",
            "Fravonie",
            "Glimarie",
            "Hostrevie",
            "Ivrandie",
        ],
    ] {
        create_partners(&store, names).await;
        let n = names.len();
        assert_eq!(index.catch_up(&store).await.unwrap(), n);
        // Each new partner, read once, and the domains they share: nobody
        // shows a new partner's name yet.
        assert_eq!(
            index.last_catch_up(),
            CatchUpCount {
                revisions: n,
                records_read: n + refs,
                documents: n,
            }
        );
        for name in names {
            assert_eq!(
                found(&index, name),
                vec![format!("partner/{}", name.to_lowercase())]
            );
        }
    }
    assert!(
        registry.len() > 10 * (8 + refs),
        "a registry larger than the writes"
    );
    index.catch_up(&store).await.unwrap();
    assert_eq!(
        index.last_catch_up(),
        CatchUpCount::default(),
        "nothing new"
    );
    store.close().await;
}

async fn set_state(store: &Store, kind: RecordKind, slug: &str, state: RecordState) {
    let stored = store
        .get(kind, slug, Visibility::All)
        .await
        .unwrap()
        .unwrap();
    store
        .update(stored.record, state, stored.version, "t", "state")
        .await
        .unwrap();
}

/// An intervention is shown on its organization's page: while the
/// organization is not published it waits out of the index, and comes back
/// when the organization does, without a rebuild.
async fn an_intervention_waits_for_its_organization(db: &TestDb) {
    let store = common::seeded(&db.url).await;
    let index = open(&db.dir.path().join("idx"), &store).await;
    let speech = "intervention/unesco-comite-intergouvernemental-2025-lacombe";
    assert!(found(&index, "Lacombe").contains(&speech.to_string()));
    let before = index.num_docs();

    set_state(
        &store,
        RecordKind::Organization,
        "unesco",
        RecordState::Draft,
    )
    .await;
    index.catch_up(&store).await.unwrap();
    assert!(!found(&index, "Lacombe").contains(&speech.to_string()));
    assert!(index.num_docs() < before - 1, "its interventions left too");
    assert!(
        !index.reconcile(&store).await.unwrap(),
        "counts agree: no rebuild"
    );

    set_state(
        &store,
        RecordKind::Organization,
        "unesco",
        RecordState::Published,
    )
    .await;
    index.catch_up(&store).await.unwrap();
    assert!(found(&index, "Lacombe").contains(&speech.to_string()));
    assert_eq!(index.num_docs(), before);
    assert!(!index.reconcile(&store).await.unwrap());
    let count = index.last_catch_up();
    assert!(
        count.documents >= 8,
        "the organization and its 7 interventions: {count:?}"
    );

    // The same after a restart: what waits is kept with the index.
    set_state(
        &store,
        RecordKind::Organization,
        "unesco",
        RecordState::Draft,
    )
    .await;
    index.catch_up(&store).await.unwrap();
    let dir = index.path().unwrap().to_path_buf();
    drop(index);
    let index = open(&dir, &store).await;
    assert!(
        !index.reconcile(&store).await.unwrap(),
        "parked records survive a restart"
    );
    set_state(
        &store,
        RecordKind::Organization,
        "unesco",
        RecordState::Published,
    )
    .await;
    index.catch_up(&store).await.unwrap();
    assert!(found(&index, "Lacombe").contains(&speech.to_string()));
    store.close().await;
}

backend_tests!(
    a_renamed_partner_brings_its_agreements_under_the_new_name,
    a_catch_up_after_n_writes_reads_what_they_touch,
    an_intervention_waits_for_its_organization,
);
