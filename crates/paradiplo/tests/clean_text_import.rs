//! Clean text at the boundary, through `paradiplo check` and `import`: a
//! control character or a bidirectional override in a dataset file is
//! reported with file, line, record, field and code point, and nothing is
//! imported.

use std::path::Path;
use std::process::{Command, Output};

fn paradiplo(args: &[&str], cwd: &Path, lang: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_paradiplo"))
        .args(args)
        .current_dir(cwd)
        .env("PARADIPLO_LANG", lang)
        .env_remove("DATABASE_URL")
        .env_remove("PARADIPLO_DATA")
        .output()
        .expect("the binary runs")
}

const PARTNERS: &str = r#"[[partner]]
slug = "x"
name = { fr = "Bavi\u202Eère", en = "Bavaria" }
kind = "federated_state"
country = "DE"
world_region = "western_europe"
summary = { fr = "Texte\u0005suite", en = "Two\nlines are fine here" }
"#;

#[test]
fn check_and_import_refuse_control_characters_with_file_and_line() {
    let tmp = tempfile::tempdir().unwrap();
    let ds = tmp.path().join("dirty");
    std::fs::create_dir_all(&ds).unwrap();
    std::fs::write(ds.join("partners.toml"), PARTNERS).unwrap();

    let out = paradiplo(&["check", ds.to_str().unwrap()], tmp.path(), "en");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        err.contains(
            "partners.toml:7: partner `x`: field `summary.fr`: control character not allowed (U+0005, position 6)"
        ),
        "{err}"
    );
    assert!(
        err.contains(
            "partners.toml:3: partner `x`: field `name.fr`: bidirectional control character not allowed (U+202E, position 5)"
        ),
        "{err}"
    );
    assert!(err.contains("2 error(s)"), "{err}");
    assert!(!err.contains('\u{5}') && !err.contains('\u{202E}'), "{err}");

    let out = paradiplo(&["check", ds.to_str().unwrap()], tmp.path(), "fr");
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        err.contains("partners.toml:7: partner `x`: champ `summary.fr`\u{a0}: caractère de commande interdit (U+0005, position 6)"),
        "{err}"
    );

    let out = paradiplo(
        &["import", ds.to_str().unwrap(), "--data", "d"],
        tmp.path(),
        "en",
    );
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(err.contains("partners.toml:7"), "{err}");
    let out = paradiplo(&["export", "--out", "e", "--data", "d"], tmp.path(), "en");
    assert!(out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("Exported: 0 records"),
        "nothing imported"
    );
}
