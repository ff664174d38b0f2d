//! `paradiplo backup --verify FILE` and `paradiplo restore` on a damaged
//! backup: refused, nothing restored, the place of the damage named in
//! French by default and in English with `--lang en`.

use std::path::Path;
use std::process::{Command, Output};

fn paradiplo(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_paradiplo"))
        .args(args)
        .current_dir(cwd)
        .env_remove("PARADIPLO_LANG")
        .env("LANG", "fr_CA.UTF-8")
        .env_remove("DATABASE_URL")
        .env_remove("PARADIPLO_DATA")
        .output()
        .expect("the binary runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn a_damaged_backup_is_refused_by_verify_and_restore() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let ok = |args: &[&str]| {
        let out = paradiplo(args, dir);
        assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
        text(&out.stdout)
    };
    let dataset = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/quebec");
    ok(&["import", dataset.to_str().unwrap(), "--data", "a"]);
    ok(&["backup", "--out", "a.backup", "--data", "a"]);
    assert!(ok(&["backup", "--verify", "a.backup"]).contains("Sauvegarde intacte"));

    // One line of history removed.
    let backup = std::fs::read_to_string(dir.join("a.backup")).unwrap();
    let lines: Vec<&str> = backup.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.contains("\"table\":\"revisions\""))
        .unwrap();
    let damaged: Vec<&str> = lines
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != at)
        .map(|(_, l)| *l)
        .collect();
    std::fs::write(dir.join("b.backup"), damaged.join("\n") + "\n").unwrap();

    let out = paradiplo(&["backup", "--verify", "b.backup"], dir);
    assert_eq!(out.status.code(), Some(1));
    let fr = text(&out.stderr);
    assert!(fr.contains("sauvegarde endommagée"), "{fr}");
    assert!(fr.contains("section « revisions »"), "{fr}");

    let out = paradiplo(&["--lang", "en", "restore", "b.backup", "--data", "b"], dir);
    assert_eq!(out.status.code(), Some(1));
    let en = text(&out.stderr);
    assert!(
        en.contains("damaged backup") && en.contains("section `revisions`"),
        "{en}"
    );
    assert!(en.contains("nothing was restored"), "{en}");
    // Nothing was restored: the intact backup still goes into the same store.
    ok(&["restore", "a.backup", "--data", "b"]);
}
