//! What the commands do, as functions the CLI and the tests call alike.

use paradiplo_core::{AnyRecord, RecordState};
use paradiplo_dataset::{Dataset, DirSource, read_dataset, read_json, write_dataset};
use paradiplo_store::{Store, Visibility};
use std::path::Path;

// Opening the store, the bundled dataset, import and seeding are shared with
// `Application::build`, so they live in paradiplo-app.
pub use paradiplo_app::{
    BundledSource, Error as OpError, Said, bundled, import, open_store, seed_if_empty,
};

/// Reads and checks a dataset: a folder of TOML files, or one JSON file
/// (the open-data export of the whole registry).
pub fn check(path: &Path) -> Result<Dataset, OpError> {
    if path.is_file() {
        let bytes = std::fs::read(path).map_err(|e| unreadable(path, &e))?;
        return read_json(&path.display().to_string(), &bytes).map_err(OpError::Dataset);
    }
    if !path.is_dir() {
        let shown = path.display();
        return Err(OpError::Refused(Said::new(
            format!(
                "{shown} n’est ni un dossier de jeu de données ni un fichier JSON de jeu de données"
            ),
            format!("{shown} is neither a dataset folder nor a JSON dataset file"),
        )));
    }
    read_dataset(&DirSource(path.to_path_buf())).map_err(OpError::Dataset)
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
        // The public "last updated" is written back as the content's date.
        if let Some(day) = stored.public_changed_at.get(..10).and_then(|d| {
            time::Date::parse(d, &time::format_description::well_known::Iso8601::DATE).ok()
        }) {
            dataset
                .changed
                .insert((kind, stored.record.slug().clone()), day);
        }
        if let AnyRecord::Document(doc) = &stored.record {
            let blob = store.blob(&doc.sha256).await?.ok_or_else(|| {
                OpError::Failed(Said::new(
                    format!(
                        "le fichier du document « {} » ({}) manque dans la base",
                        doc.slug, doc.sha256
                    ),
                    format!(
                        "the file of document `{}` ({}) is missing from the store",
                        doc.slug, doc.sha256
                    ),
                ))
            })?;
            dataset.files.insert(doc.file.clone(), blob.bytes);
        }
        dataset.registry.push(stored.record);
    }
    dataset.registry.sort();
    Ok(dataset)
}

/// A file or folder that cannot be read.
fn unreadable(path: &Path, e: &std::io::Error) -> OpError {
    let shown = path.display();
    OpError::Failed(Said::new(
        format!("lecture impossible de {shown} : {e}"),
        format!("cannot read {shown}: {e}"),
    ))
}

/// Writes the store as a dataset folder. Refuses a non-empty folder that is
/// not a dataset, so that an export never mixes into unrelated files.
pub async fn export(store: &Store, out: &Path, include_archived: bool) -> Result<Dataset, OpError> {
    if out.exists() {
        let foreign: Vec<String> = std::fs::read_dir(out)
            .map_err(|e| unreadable(out, &e))?
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| !(n.ends_with(".toml") || n == "files"))
            .collect();
        if !foreign.is_empty() {
            let (shown, names) = (out.display(), foreign.join(", "));
            return Err(OpError::Refused(Said::new(
                format!(
                    "{shown} contient des fichiers qui ne font pas partie d’un jeu de données ({names}) : choisissez un dossier vide ou nouveau"
                ),
                format!(
                    "{shown} holds files that are not part of a dataset ({names}); choose an empty or new folder"
                ),
            )));
        }
    }
    let dataset = dataset_from_store(store, include_archived).await?;
    write_dataset(&dataset, out).map_err(|e| {
        let shown = out.display();
        OpError::Failed(Said::new(
            format!("écriture impossible dans {shown} : {e}"),
            format!("cannot write to {shown}: {e}"),
        ))
    })?;
    Ok(dataset)
}
