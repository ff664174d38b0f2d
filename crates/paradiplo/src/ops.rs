//! What the commands do, as functions the CLI and the tests call alike.

use crate::config::StoreConfig;
use include_dir::{Dir, include_dir};
use paradiplo_core::{AnyRecord, RecordKind, RecordState};
use paradiplo_dataset::{
    Dataset, DatasetError, DatasetSource, DirSource, read_dataset, read_json, write_dataset,
};
use paradiplo_store::{Blob, ImportItem, ImportReport, Store, StoreError, Visibility};
use std::path::Path;

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

/// An error of a command, with what the user should read.
#[derive(Debug, thiserror::Error)]
pub enum OpError {
    #[error("{} error(s) in the dataset", .0.len())]
    Dataset(Vec<DatasetError>),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{0}")]
    Io(String),
    #[error("{0}")]
    Usage(String),
}

/// Opens the store of `config`, creating the data folder for SQLite.
pub async fn open_store(config: &StoreConfig) -> Result<Store, OpError> {
    if config.needs_data_dir() {
        std::fs::create_dir_all(&config.data_dir).map_err(|e| {
            OpError::Io(format!(
                "cannot create the data folder {}: {e}",
                config.data_dir.display()
            ))
        })?;
    }
    Ok(Store::open(&config.database_url).await?)
}

/// Reads and checks a dataset: a folder of TOML files, or one JSON file
/// (the open-data export of the whole registry).
pub fn check(path: &Path) -> Result<Dataset, OpError> {
    if path.is_file() {
        let bytes =
            std::fs::read(path).map_err(|e| OpError::Io(format!("{}: {e}", path.display())))?;
        return read_json(&path.display().to_string(), &bytes).map_err(OpError::Dataset);
    }
    if !path.is_dir() {
        return Err(OpError::Io(format!(
            "{} is neither a dataset folder nor a JSON dataset file",
            path.display()
        )));
    }
    read_dataset(&DirSource(path.to_path_buf())).map_err(OpError::Dataset)
}

/// Reads and checks the bundled dataset.
pub fn bundled() -> Result<Dataset, OpError> {
    read_dataset(&BundledSource).map_err(OpError::Dataset)
}

/// Writes a checked dataset into the store, all or nothing.
pub async fn import(
    store: &Store,
    dataset: &Dataset,
    author: &str,
    note: &str,
) -> Result<ImportReport, OpError> {
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
    Ok(store.import(items, blobs, author, note).await?)
}

/// Reads the store back into a dataset: every record that is not archived
/// (or every record, with `include_archived`), with its state and files.
pub async fn dataset_from_store(store: &Store, include_archived: bool) -> Result<Dataset, OpError> {
    let visibility = if include_archived {
        Visibility::All
    } else {
        Visibility::Staff
    };
    let mut dataset = Dataset::default();
    for stored in store.all(visibility).await? {
        let kind = stored.record.kind();
        if stored.state != RecordState::Published {
            dataset
                .states
                .insert((kind, stored.record.slug().clone()), stored.state);
        }
        if let AnyRecord::Document(doc) = &stored.record {
            let blob = store.blob(&doc.sha256).await?.ok_or_else(|| {
                OpError::Io(format!(
                    "the file of document `{}` ({}) is missing from the store",
                    doc.slug, doc.sha256
                ))
            })?;
            dataset.files.insert(doc.file.clone(), blob.bytes);
        }
        dataset.registry.push(stored.record);
    }
    dataset.registry.sort();
    Ok(dataset)
}

/// Writes the store as a dataset folder. Refuses a non-empty folder that is
/// not a dataset, so that an export never mixes into unrelated files.
pub async fn export(store: &Store, out: &Path, include_archived: bool) -> Result<Dataset, OpError> {
    if out.exists() {
        let foreign: Vec<String> = std::fs::read_dir(out)
            .map_err(|e| OpError::Io(format!("{}: {e}", out.display())))?
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| !(n.ends_with(".toml") || n == "files"))
            .collect();
        if !foreign.is_empty() {
            return Err(OpError::Usage(format!(
                "{} holds files that are not part of a dataset ({}); choose an empty or new folder",
                out.display(),
                foreign.join(", ")
            )));
        }
    }
    let dataset = dataset_from_store(store, include_archived).await?;
    write_dataset(&dataset, out).map_err(|e| OpError::Io(format!("{}: {e}", out.display())))?;
    Ok(dataset)
}

/// Loads the bundled dataset into an empty store; does nothing otherwise.
/// Returns the import report when it loaded.
pub async fn seed_if_empty(store: &Store) -> Result<Option<ImportReport>, OpError> {
    if !store.is_empty().await? {
        return Ok(None);
    }
    let dataset = bundled()?;
    let report = import(store, &dataset, "paradiplo", "Bundled Québec dataset").await?;
    store.set_setting("seeded_from", "data/quebec").await?;
    Ok(Some(report))
}
