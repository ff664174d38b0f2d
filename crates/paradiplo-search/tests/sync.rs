//! The index follows the store: drafts stay out, archived records leave,
//! other instances catch up, and a stale or broken index is rebuilt.

mod common;

use paradiplo_core::records::Partner;
use paradiplo_core::{AnyRecord, Lang, RecordKind, RecordState, Slug, Text};
use paradiplo_search::{Opened, SearchError, SearchIndex, SearchRequest};
use paradiplo_store::{Store, Visibility};
use paradiplo_testkit::{TestDb, backend_tests};
use std::path::Path;

async fn open(dir: &Path, store: &Store) -> (SearchIndex, Opened) {
    SearchIndex::open(dir, store, &mut |_, _| {})
        .await
        .expect("index opens")
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

async fn new_partner(store: &Store, slug: &str, name: &str) -> Partner {
    let Some(stored) = store
        .get(RecordKind::Partner, "baviere", Visibility::All)
        .await
        .unwrap()
    else {
        panic!("baviere is seeded")
    };
    let AnyRecord::Partner(mut p) = stored.record else {
        panic!("a partner")
    };
    p.slug = Slug::parse(slug).unwrap();
    p.name = Text::new(format!("État de {name}"), format!("State of {name}"));
    p.short_name = None;
    p.summary = Text::new(
        format!("Partenaire fictif nommé {name}."),
        format!("A fictitious partner named {name}."),
    );
    p.milestones.clear();
    p
}

/// The partner count of the type facet, over every record.
fn partners(index: &SearchIndex) -> u64 {
    let all = index.search(&SearchRequest::new("", Lang::Fr)).unwrap();
    (all.facets.kind.iter())
        .find(|c| c.value == "partner")
        .map_or(0, |c| c.count)
}

async fn drafts_never_show_and_archived_records_leave(db: &TestDb) {
    let store = common::seeded(&db.url).await;
    let (index, opened) = open(&db.dir.path().join("idx"), &store).await;
    assert_eq!(opened, Opened::Missing);

    let p = new_partner(&store, "zorglubie", "Zorglubie").await;
    let created = store
        .create(p.clone().into(), RecordState::Draft, "t", "draft")
        .await
        .unwrap();
    assert_eq!(index.catch_up(&store).await.unwrap(), 1);
    assert!(
        found(&index, "Zorglubie").is_empty(),
        "a draft is not public"
    );
    let before = partners(&index);
    assert!(before > 30, "{before}");

    let published = store
        .update(
            p.clone().into(),
            RecordState::Published,
            created.version,
            "t",
            "publish",
        )
        .await
        .unwrap();
    index.catch_up(&store).await.unwrap();
    assert_eq!(found(&index, "zorglubie"), vec!["partner/zorglubie"]);
    // Facet values of the new segment are counted (decoded when the new
    // searcher opened).
    assert_eq!(partners(&index), before + 1);

    store
        .archive(
            RecordKind::Partner,
            "zorglubie",
            published.version,
            "t",
            "archive",
        )
        .await
        .unwrap();
    index.catch_up(&store).await.unwrap();
    assert!(
        found(&index, "Zorglubie").is_empty(),
        "archived records leave"
    );
    assert_eq!(
        partners(&index),
        before,
        "deleted documents are not counted"
    );

    // Unpublishing an existing record (back to draft) removes it as well.
    let oaci = store
        .get(RecordKind::Organization, "oaci", Visibility::All)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found(&index, "OACI").first().unwrap(), "organization/oaci");
    store
        .update(
            oaci.record,
            RecordState::Draft,
            oaci.version,
            "t",
            "unpublish",
        )
        .await
        .unwrap();
    index.catch_up(&store).await.unwrap();
    assert!(!found(&index, "OACI").contains(&"organization/oaci".to_string()));
    assert_eq!(index.catch_up(&store).await.unwrap(), 0, "nothing new");
    store.close().await;
}

async fn a_renamed_domain_reindexes_the_records_that_show_it(db: &TestDb) {
    let store = common::seeded(&db.url).await;
    let (index, _) = open(&db.dir.path().join("idx"), &store).await;
    assert!(found(&index, "Hydrowatt").is_empty());
    let d = store
        .get(RecordKind::Domain, "energie", Visibility::All)
        .await
        .unwrap()
        .unwrap();
    let AnyRecord::Domain(mut domain) = d.record else {
        panic!("a domain")
    };
    domain.name = Text::new("Hydrowatt", "Hydrowatt");
    store
        .update(
            domain.into(),
            RecordState::Published,
            d.version,
            "t",
            "rename",
        )
        .await
        .unwrap();
    index.catch_up(&store).await.unwrap();
    let hits = found(&index, "Hydrowatt");
    assert!(
        hits.contains(&"grouping/regions-partenaires".to_string()),
        "{hits:?}"
    );
    assert_eq!(
        index.domain_label("energie", Lang::Fr).as_deref(),
        Some("Hydrowatt")
    );
    store.close().await;
}

/// Two instances over one database, each with its own index folder.
async fn a_write_on_one_instance_is_searchable_on_the_other(db: &TestDb) {
    let store_a = common::seeded(&db.url).await;
    let store_b = Store::open(&db.url).await.unwrap();
    let (index_a, _) = open(&db.dir.path().join("a"), &store_a).await;
    let (index_b, _) = open(&db.dir.path().join("b"), &store_b).await;
    assert_eq!(index_a.num_docs(), index_b.num_docs());

    let p = new_partner(&store_a, "quokkaland", "Quokkaland").await;
    store_a
        .create(p.into(), RecordState::Published, "t", "create on A")
        .await
        .unwrap();
    // Instance A's write path catches up before answering.
    index_a.catch_up(&store_a).await.unwrap();
    assert_eq!(found(&index_a, "Quokkaland"), vec!["partner/quokkaland"]);
    assert!(
        found(&index_b, "Quokkaland").is_empty(),
        "B has not polled yet"
    );
    // B's poller.
    assert_eq!(index_b.catch_up(&store_b).await.unwrap(), 1);
    assert_eq!(found(&index_b, "Quokkaland"), vec!["partner/quokkaland"]);
    assert_eq!(index_a.revision().await, index_b.revision().await);
    store_a.close().await;
    store_b.close().await;
}

async fn an_index_reopens_catches_up_and_is_rebuilt_when_broken(db: &TestDb) {
    let store = common::seeded(&db.url).await;
    let dir = db.dir.path().join("idx");
    let (index, _) = open(&dir, &store).await;
    let docs = index.num_docs();

    // Held by this "server": a second opener gets a clear error.
    match SearchIndex::open(&dir, &store, &mut |_, _| {}).await {
        Err(SearchError::Locked(p)) => {
            assert_eq!(p, dir);
            let msg = SearchError::Locked(p).to_string();
            assert!(msg.contains("in use"), "{msg}");
        }
        Err(e) => panic!("expected Locked, got {e}"),
        Ok(_) => panic!("expected Locked, got an index"),
    }
    drop(index);

    // A write while the server is down is applied on reopen.
    let p = new_partner(&store, "ondulie", "Ondulie").await;
    store
        .create(p.into(), RecordState::Published, "t", "while down")
        .await
        .unwrap();
    let (index, opened) = open(&dir, &store).await;
    assert_eq!(opened, Opened::Existing);
    assert_eq!(index.num_docs(), docs + 1);
    assert_eq!(found(&index, "Ondulie"), vec!["partner/ondulie"]);
    // Synonyms are loaded on reopen without a rebuild.
    assert_eq!(found(&index, "ICAO").first().unwrap(), "organization/oaci");
    drop(index);

    // Broken metadata: rebuilt.
    std::fs::write(dir.join("meta.json"), b"{ not json").unwrap();
    let (index, opened) = open(&dir, &store).await;
    assert_eq!(opened, Opened::Corrupt);
    assert_eq!(index.num_docs(), docs + 1);
    drop(index);

    // Another database behind the same folder: stale, rebuilt.
    let other = TestDb::sqlite();
    let other_store = Store::open(&other.url).await.unwrap();
    let (index, opened) = open(&dir, &other_store).await;
    assert_eq!(opened, Opened::Stale);
    assert_eq!(index.num_docs(), 0);
    other_store.close().await;
    store.close().await;
}

backend_tests!(
    drafts_never_show_and_archived_records_leave,
    a_renamed_domain_reindexes_the_records_that_show_it,
    a_write_on_one_instance_is_searchable_on_the_other,
    an_index_reopens_catches_up_and_is_rebuilt_when_broken,
);

/// Published records of the store that make a search document: what every
/// index must hold.
async fn published_documents(store: &Store) -> u64 {
    let registry = store.registry(Visibility::Public).await.unwrap();
    registry
        .iter()
        .filter(|r| paradiplo_search::is_indexed(r.kind()))
        .filter(|r| paradiplo_search::from_record(r, &registry).is_some())
        .count() as u64
}

/// Two instances on one PostgreSQL database: A imports 20,000 records in
/// one long transaction while B keeps writing and both poll. B's writes
/// take revision ids above the import's and commit first, so the import's
/// ids are a gap of 20,000 that fills only when it commits, long after.
/// Both indexes must then hold every published record.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_long_import_during_writes_reaches_both_indexes() {
    let Some(db) = TestDb::postgres("sync::a_long_import_during_writes_reaches_both_indexes").await
    else {
        return;
    };
    const IMPORTED: usize = 20_000;
    let store_a = common::seeded(&db.url).await;
    let store_b = Store::open(&db.url).await.unwrap();
    let (index_a, _) = open(&db.dir.path().join("a"), &store_a).await;
    let (index_b, _) = open(&db.dir.path().join("b"), &store_b).await;
    let index_a = std::sync::Arc::new(index_a);
    let index_b = std::sync::Arc::new(index_b);

    let template = new_partner(&store_a, "modele", "Modèle").await;
    let items: Vec<paradiplo_store::ImportItem> = (0..IMPORTED)
        .map(|i| {
            let mut p = template.clone();
            p.slug = Slug::parse(&format!("importe-{i:05}")).unwrap();
            p.name = Text::new(format!("Importé {i}"), format!("Imported {i}"));
            paradiplo_store::ImportItem {
                record: p.into(),
                state: RecordState::Published,
            }
        })
        .collect();
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    // Both instances poll, as their servers do.
    let pollers: Vec<_> = [
        (index_a.clone(), store_a.clone()),
        (index_b.clone(), store_b.clone()),
    ]
    .into_iter()
    .map(|(index, store)| {
        let done = done.clone();
        tokio::spawn(async move {
            while !done.load(std::sync::atomic::Ordering::SeqCst) {
                index.catch_up(&store).await.unwrap();
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
        })
    })
    .collect();
    // B writes while the import runs (and keeps writing until it ends).
    let writer = {
        let (store, index, done) = (store_b.clone(), index_b.clone(), done.clone());
        let template = template.clone();
        tokio::spawn(async move {
            let mut written = 0;
            while !done.load(std::sync::atomic::Ordering::SeqCst) || written < 5 {
                let mut p = template.clone();
                p.slug = Slug::parse(&format!("ecrit-par-b-{written}")).unwrap();
                store
                    .create(p.into(), RecordState::Published, "b", "write on B")
                    .await
                    .unwrap();
                index.catch_up(&store).await.unwrap();
                written += 1;
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
            written
        })
    };
    let report = store_a
        .import(items, vec![], "a", "long import on A")
        .await
        .unwrap();
    assert_eq!(report.created, IMPORTED);
    done.store(true, std::sync::atomic::Ordering::SeqCst);
    let written = writer.await.unwrap();
    for p in pollers {
        p.await.unwrap();
    }
    // One more poll each, as the next tick of their servers.
    index_a.catch_up(&store_a).await.unwrap();
    index_b.catch_up(&store_b).await.unwrap();
    let expected = published_documents(&store_a).await;
    assert!(expected > IMPORTED as u64 + written as u64, "{expected}");
    assert_eq!(index_a.num_docs(), expected, "instance A's index");
    assert_eq!(index_b.num_docs(), expected, "instance B's index");
    assert!(found(&index_b, "Importé 19999").contains(&"partner/importe-19999".to_string()));
    let lag = index_b.lag(&store_b).await.unwrap();
    assert_eq!((lag.behind, lag.missing), (0, 0), "{lag:?}");
    store_a.close().await;
    store_b.close().await;
    db.cleanup().await;
}
