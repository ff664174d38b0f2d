//! Two instances on one SQLite file (write-ahead log), each with its own
//! data folder and search index, as docs/OPERATIONS.md describes: a long
//! import on one while the other takes API writes. (The PostgreSQL case is
//! `a_long_import_during_writes_reaches_both_indexes` in paradiplo-search.)

use axum::http::{Method, StatusCode};
use paradiplo_app::testkit::TestApp;
use paradiplo_app::{Application, Config, StoreConfig};
use paradiplo_core::{AnyRecord, Lang, RecordKind, RecordState, Role, Slug, Text};
use paradiplo_search::{SearchIndex, SearchRequest};
use paradiplo_store::{ImportItem, Store, Visibility};
use paradiplo_testkit::TestDb;
use serde_json::json;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

const IMPORTED: usize = 20_000;

/// Instance B: the same database file, its own data folder and index.
async fn second_instance(db: &TestDb) -> TestApp {
    let data_dir = db.dir.path().join("b");
    let mut config = Config::new(StoreConfig {
        data_dir: data_dir.clone(),
        database_url: db.url.clone(),
    });
    config.search_dir = Some(data_dir.join("search-index"));
    config.jobs = false;
    config.portal.freshness = Duration::ZERO;
    let app = Application::build(config)
        .await
        .unwrap_or_else(|e| panic!("instance B builds: {e}"));
    TestApp::from_application(app)
}

/// Published records the index should hold, counted from the store.
async fn published_documents(store: &Store) -> u64 {
    let registry = store.registry(Visibility::Public).await.unwrap();
    registry
        .iter()
        .filter(|r| paradiplo_search::is_indexed(r.kind()))
        .filter(|r| paradiplo_search::from_record(r, &registry).is_some())
        .count() as u64
}

async fn import_items(store: &Store) -> Vec<ImportItem> {
    let stored = store
        .get(RecordKind::Partner, "baviere", Visibility::All)
        .await
        .unwrap()
        .expect("baviere is seeded");
    let AnyRecord::Partner(template) = stored.record else {
        panic!("a partner")
    };
    (0..IMPORTED)
        .map(|i| {
            let mut p = template.clone();
            p.slug = Slug::parse(&format!("importe-{i:05}")).unwrap();
            p.name = Text::new(format!("Importé {i}"), format!("Imported {i}"));
            ImportItem {
                record: p.into(),
                state: RecordState::Published,
            }
        })
        .collect()
}

/// Both instances poll their index, as their servers' jobs do, until `done`.
fn pollers(
    instances: [(Arc<SearchIndex>, Store); 2],
    done: &Arc<AtomicBool>,
) -> Vec<tokio::task::JoinHandle<()>> {
    instances
        .into_iter()
        .map(|(index, store)| {
            let done = done.clone();
            tokio::spawn(async move {
                while !done.load(Ordering::SeqCst) {
                    index.catch_up(&store).await.unwrap();
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            })
        })
        .collect()
}

/// B creates partners through its API until `done` (and at least 5).
async fn write_on_b(b: Arc<TestApp>, done: Arc<AtomicBool>) -> usize {
    let bearer = b.token(Role::Publisher, "b").await;
    let mut written = 0;
    while !done.load(Ordering::SeqCst) || written < 5 {
        let body = json!({
            "record": {
                "slug": format!("ecrit-par-b-{written}"),
                "name": {"fr": format!("Écrit par B {written}"), "en": format!("Written by B {written}")},
                "kind": "federated_state",
                "country": "DE",
                "subdivision": "DE-BY",
                "world_region": "western_europe",
                "summary": {"fr": "Résumé.", "en": "Summary."}
            },
            "state": "published",
            "note": "write on B"
        });
        let auth = ("authorization", bearer.as_str());
        let r = (b.request(Method::POST, "/api/v1/partners", &[auth], Some(body))).await;
        assert_eq!(
            r.status,
            StatusCode::CREATED,
            "write {written} on B: {}",
            r.body
        );
        written += 1;
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    written
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_long_import_on_one_sqlite_instance_reaches_both_indexes() {
    let db = TestDb::sqlite();
    let a = TestApp::builder(&db).with_search().build().await;
    let b = Arc::new(second_instance(&db).await);
    let (index_a, index_b) = (a.search().clone(), b.search().clone());
    let items = import_items(&a.store).await;

    let done = Arc::new(AtomicBool::new(false));
    let polls = pollers(
        [
            (index_a.clone(), a.store.clone()),
            (index_b.clone(), b.store.clone()),
        ],
        &done,
    );
    let writer = tokio::spawn(write_on_b(b.clone(), done.clone()));
    let report = (a.store.import(items, vec![], "a", "long import on A"))
        .await
        .unwrap();
    assert_eq!(report.created, IMPORTED);
    done.store(true, Ordering::SeqCst);
    let written = writer.await.unwrap();
    for p in polls {
        p.await.unwrap();
    }
    // One more poll each, as the next tick of their servers.
    index_a.catch_up(&a.store).await.unwrap();
    index_b.catch_up(&b.store).await.unwrap();

    let expected = published_documents(&a.store).await;
    assert!(expected > (IMPORTED + written) as u64, "{expected}");
    assert_eq!(index_a.num_docs(), expected, "instance A's index");
    assert_eq!(index_b.num_docs(), expected, "instance B's index");
    let hits = index_a
        .search(&SearchRequest::new("Écrit par B 4", Lang::Fr))
        .unwrap()
        .hits;
    assert!(hits.iter().any(|h| h.slug == "ecrit-par-b-4"), "{hits:?}");
    for index in [&index_a, &index_b] {
        let lag = index.lag(&a.store).await.unwrap();
        assert_eq!((lag.behind, lag.missing), (0, 0), "{lag:?}");
    }
}
