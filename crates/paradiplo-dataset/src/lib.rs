//! The dataset format: one TOML file per collection (`partners.toml`, …) and
//! a `files/` folder for documents. `import` reads it, `export` writes it, and
//! `check` reports every problem with its file and line.
//!
//! See `docs/DATASET.md` for the format as a user sees it.

mod json;
mod read;
mod upgrade;
mod write;

pub use json::{JSON_FORMAT, parse_record_json, read_json, write_json};
pub use read::{DatasetError, DatasetSource, DirSource, read_dataset};
pub use upgrade::{
    HEADER, READABLE_VERSIONS, UpgradeNote, dataset_version, declared_version, upgrade_notes,
};
pub use write::{render_collection, write_dataset};

use paradiplo_core::{RecordKind, RecordState, Registry, Slug};
use std::collections::BTreeMap;

/// The format version written in every file's header (version 1 is still
/// read: see [`READABLE_VERSIONS`] and [`upgrade_notes`]).
pub const FORMAT_VERSION: u32 = 2;

/// A dataset in memory: the records, their publication state, and the bytes
/// of the documents' files.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Dataset {
    pub registry: Registry,
    /// States other than `published` (the default).
    pub states: BTreeMap<(RecordKind, Slug), RecordState>,
    /// Document files by file name.
    pub files: BTreeMap<String, Vec<u8>>,
    /// Each record's last substantive change (`changed = "2024-03-18"`), when
    /// the dataset gives it: import keeps it as the public "last updated",
    /// export writes it.
    pub changed: BTreeMap<(RecordKind, Slug), time::Date>,
}

impl Dataset {
    pub fn state_of(&self, kind: RecordKind, slug: &Slug) -> RecordState {
        self.states
            .get(&(kind, slug.clone()))
            .copied()
            .unwrap_or_default()
    }
}

/// The file that holds a collection.
pub fn file_name(kind: RecordKind) -> String {
    format!("{}.toml", kind.plural())
}

/// Hex SHA-256 of a file's bytes, recorded on documents.
pub use paradiplo_core::digest::sha256_hex;
