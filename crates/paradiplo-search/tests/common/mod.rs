//! A store seeded with the bundled Québec dataset.

use paradiplo_core::{AnyRecord, RecordKind};
use paradiplo_dataset::{DirSource, read_dataset};
use paradiplo_store::{Blob, ImportItem, Store};
use std::path::PathBuf;

pub fn dataset_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/quebec")
}

/// Opens the store of `url` and imports the bundled dataset into it.
pub async fn seeded(url: &str) -> Store {
    let store = Store::open(url).await.expect("store opens");
    let dataset = read_dataset(&DirSource(dataset_dir())).expect("bundled dataset reads");
    let mut items = Vec::new();
    for kind in RecordKind::ALL {
        for record in dataset.registry.of_kind(kind) {
            items.push(ImportItem {
                record: record.clone(),
                state: dataset.state_of(kind, record.slug()),
            });
        }
    }
    let blobs = dataset
        .registry
        .of_kind(RecordKind::Document)
        .iter()
        .filter_map(|r| match r {
            AnyRecord::Document(d) => dataset.files.get(&d.file).map(|bytes| Blob {
                sha256: d.sha256.clone(),
                media_type: d.media_type.clone(),
                bytes: bytes.clone(),
            }),
            _ => None,
        })
        .collect();
    store
        .import(items, blobs, "test", "seed")
        .await
        .expect("import");
    store
}

/// A SQLite store seeded with the bundled dataset and its search index,
/// built in the database's own folder.
#[allow(dead_code)] // not every test file searches
pub async fn seeded_index() -> (
    paradiplo_testkit::TestDb,
    Store,
    paradiplo_search::SearchIndex,
) {
    let db = paradiplo_testkit::TestDb::sqlite();
    let store = seeded(&db.url).await;
    let dir = db.dir.path().join("search-index");
    let (index, _) = paradiplo_search::SearchIndex::open(&dir, &store, &mut |_, _| {})
        .await
        .expect("index builds");
    (db, store, index)
}
