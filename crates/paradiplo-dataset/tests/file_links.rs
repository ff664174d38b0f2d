//! A dataset's files are its own: a symbolic link in `files/` (or a `files`
//! folder that is a link) is refused with an error naming the file, even
//! when the target has the size and digest the record announces.

use paradiplo_core::Lang;
use paradiplo_dataset::{DirSource, read_dataset};
use std::path::Path;

const HOME: &str = r#"
[home]
slug = "quebec"
name = { fr = "Québec", en = "Quebec" }
country = "CA"
subdivision = "CA-QC"
government = { fr = "gouvernement du Québec", en = "Government of Québec" }
ministry = { fr = "Ministère", en = "Ministry" }
summary = { fr = "État fédéré.", en = "Federated state." }
"#;

const DOCUMENTS: &str = r#"
[[document]]
slug = "accord"
title = { fr = "Accord", en = "Agreement" }
file = "accord.txt"
lang = "fr"
"#;

const CONTENT: &str = "Texte de l’accord.\n";

fn dataset_with_files(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join("home.toml"), HOME).unwrap();
    std::fs::write(dir.join("documents.toml"), DOCUMENTS).unwrap();
}

#[test]
fn a_plain_file_is_read() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    dataset_with_files(&dir);
    std::fs::create_dir_all(dir.join("files")).unwrap();
    std::fs::write(dir.join("files/accord.txt"), CONTENT).unwrap();
    let ds = read_dataset(&DirSource(dir)).unwrap();
    assert_eq!(ds.files["accord.txt"], CONTENT.as_bytes());
}

#[test]
fn a_link_in_files_is_refused_naming_the_file() {
    let tmp = tempfile::tempdir().unwrap();
    let outside = tmp.path().join("secret.txt");
    std::fs::write(&outside, CONTENT).unwrap();
    let dir = tmp.path().join("data");
    dataset_with_files(&dir);
    std::fs::create_dir_all(dir.join("files")).unwrap();
    std::os::unix::fs::symlink(&outside, dir.join("files/accord.txt")).unwrap();
    let errors = read_dataset(&DirSource(dir.clone())).expect_err("a link is refused");
    assert_eq!(errors.len(), 1, "{errors:?}");
    let message = errors[0].message(Lang::Fr);
    assert!(message.contains("documents.toml"), "{message}");
    assert!(message.contains("accord.txt"), "{message}");
    assert!(message.contains("lien symbolique"), "{message}");
    assert!(errors[0].message(Lang::En).contains("symbolic link"));
}

#[test]
fn a_files_folder_that_is_a_link_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let elsewhere = tmp.path().join("elsewhere");
    std::fs::create_dir_all(&elsewhere).unwrap();
    std::fs::write(elsewhere.join("accord.txt"), CONTENT).unwrap();
    let dir = tmp.path().join("data");
    dataset_with_files(&dir);
    std::os::unix::fs::symlink(&elsewhere, dir.join("files")).unwrap();
    let errors = read_dataset(&DirSource(dir)).expect_err("a linked folder is refused");
    assert!(
        errors
            .iter()
            .any(|e| e.message(Lang::En).contains("symbolic link")),
        "{errors:?}"
    );
}
