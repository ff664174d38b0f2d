//! The command line speaks the chosen language in its refusals and
//! failures too, not only in its reports (French by default, English with
//! `--lang en`), and a refusal exits with 2, a failure with 1.

use std::process::Command;

fn run(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_paradiplo"))
        .args(args)
        .env_remove("PARADIPLO_LANG")
        .env("LANG", "C")
        .output()
        .expect("paradiplo runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_path_that_is_no_dataset_is_refused_in_both_languages() {
    let (code, fr) = run(&["check", "/nonexistent/nowhere", "--lang", "fr"]);
    assert_eq!(code, 2, "{fr}");
    assert!(
        fr.contains("/nonexistent/nowhere n’est ni un dossier de jeu de données"),
        "{fr}"
    );
    let (code, en) = run(&["check", "/nonexistent/nowhere", "--lang", "en"]);
    assert_eq!(code, 2, "{en}");
    assert!(en.contains("is neither a dataset folder"), "{en}");
}

#[test]
fn an_export_into_a_foreign_folder_is_refused_in_french() {
    let data = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    std::fs::write(out.path().join("notes.txt"), "à garder").unwrap();
    let (code, fr) = run(&[
        "export",
        "--out",
        &out.path().display().to_string(),
        "--data",
        &data.path().display().to_string(),
        "--lang",
        "fr",
    ]);
    assert_eq!(code, 2, "{fr}");
    assert!(
        fr.contains("ne font pas partie d’un jeu de données (notes.txt)"),
        "{fr}"
    );
    assert_eq!(
        std::fs::read_to_string(out.path().join("notes.txt")).unwrap(),
        "à garder"
    );
}

#[test]
fn a_busy_address_is_said_in_the_chosen_language() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let data = tempfile::tempdir().unwrap();
    let (code, fr) = run(&[
        "serve",
        "--no-seed",
        "--addr",
        &addr,
        "--data",
        &data.path().display().to_string(),
        "--lang",
        "fr",
    ]);
    assert_eq!(code, 1, "{fr}");
    assert!(
        fr.contains(&format!("impossible d’écouter sur {addr}")),
        "{fr}"
    );
}
