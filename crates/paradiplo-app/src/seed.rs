//! Opening the store, the bundled dataset, and loading a dataset into a store
//! (what `paradiplo import` and the seeding of an empty database share).

use crate::{Error, StoreConfig};
use include_dir::{Dir, include_dir};
use paradiplo_core::{AnyRecord, RecordKind};
use paradiplo_dataset::{Dataset, DatasetSource, read_dataset};
use paradiplo_store::{Blob, ContentDates, ImportItem, ImportReport, Store};

/// The bundled Québec dataset, embedded at build time from `data/quebec`.
static BUNDLED: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/../../data/quebec");

/// The bundled dataset as a dataset source.
pub struct BundledSource;

impl DatasetSource for BundledSource {
    fn label(&self) -> String {
        "data/quebec (bundled)".into()
    }
    fn read(&self, rel: &str) -> std::io::Result<Option<Vec<u8>>> {
        Ok(BUNDLED.get_file(rel).map(|f| f.contents().to_vec()))
    }
    fn list(&self, rel_dir: &str) -> std::io::Result<Vec<String>> {
        let dir = if rel_dir.is_empty() {
            Some(&BUNDLED)
        } else {
            BUNDLED.get_dir(rel_dir)
        };
        let mut names: Vec<String> = dir
            .map(|d| {
                d.files()
                    .filter_map(|f| f.path().file_name())
                    .map(|n| n.to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        Ok(names)
    }
}

/// Opens the store of `config` (applying migrations), creating the data
/// folder for SQLite.
pub async fn open_store(config: &StoreConfig) -> Result<Store, Error> {
    if config.needs_data_dir() {
        std::fs::create_dir_all(&config.data_dir).map_err(|e| {
            let folder = config.data_dir.display();
            Error::Failed(crate::Said::new(
                format!("impossible de créer le dossier de données {folder} : {e}"),
                format!("cannot create the data folder {folder}: {e}"),
            ))
        })?;
    }
    Ok(Store::open(&config.database_url).await?)
}

/// Reads and checks the bundled dataset.
pub fn bundled() -> Result<Dataset, Error> {
    read_dataset(&BundledSource).map_err(Error::Dataset)
}

/// Writes a checked dataset into the store, all or nothing.
pub async fn import(
    store: &Store,
    dataset: &Dataset,
    author: &str,
    note: &str,
) -> Result<ImportReport, Error> {
    let mut items = Vec::new();
    for kind in RecordKind::ALL {
        for record in dataset.registry.of_kind(kind) {
            items.push(ImportItem {
                record: record.clone(),
                state: dataset.state_of(kind, record.slug()),
            });
        }
    }
    let mut blobs = Vec::new();
    for record in dataset.registry.of_kind(RecordKind::Document) {
        if let AnyRecord::Document(doc) = record
            && let Some(bytes) = dataset.files.get(&doc.file)
        {
            blobs.push(Blob {
                sha256: doc.sha256.clone(),
                media_type: doc.media_type.clone(),
                bytes: bytes.clone(),
            });
        }
    }
    let dates: ContentDates = dataset
        .changed
        .iter()
        .map(|((kind, slug), day)| ((*kind, slug.to_string()), *day))
        .collect();
    Ok(store
        .import_dated(items, &dates, blobs, author, note)
        .await?)
}

/// Loads the bundled dataset into an empty store; does nothing otherwise.
/// Returns the import report when it loaded.
pub async fn seed_if_empty(store: &Store) -> Result<Option<ImportReport>, Error> {
    if !store.is_empty().await? {
        return Ok(None);
    }
    let dataset = bundled()?;
    let report = import(store, &dataset, "paradiplo", "Bundled Québec dataset").await?;
    store.set_setting("seeded_from", "data/quebec").await?;
    Ok(Some(report))
}
