//! The operator's backup drill, with the real binary: a server is killed
//! (no clean shutdown) after an import, then `backup` → `restore` into a fresh
//! store gives back the same registry, byte for byte in the dataset format.
//! And after `import` the SQLite file alone holds the data (no pending WAL).

use std::path::Path;
use std::process::{Command, Stdio};

fn paradiplo(args: &[&str], data: &Path) -> std::process::Output {
    let out = Command::new(env!("CARGO_BIN_EXE_paradiplo"))
        .args(args)
        .arg("--data")
        .arg(data)
        .env("PARADIPLO_LANG", "en")
        .output()
        .expect("paradiplo runs");
    assert!(
        out.status.success(),
        "paradiplo {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn bundled() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../data/quebec")
        .display()
        .to_string()
}

/// Every file under `dir`, relative path and bytes, sorted.
fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(dir).unwrap().display().to_string();
                out.push((rel, std::fs::read(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn import_leaves_everything_in_the_database_file() {
    let data = tempfile::tempdir().unwrap();
    paradiplo(&["import", &bundled()], data.path());
    let wal = data.path().join("paradiplo.db-wal");
    let wal_len = std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
    assert_eq!(
        wal_len, 0,
        "{} bytes still in the WAL after import",
        wal_len
    );
    // A copy of the .db file alone opens with every record.
    let copy = tempfile::tempdir().unwrap();
    std::fs::copy(
        data.path().join("paradiplo.db"),
        copy.path().join("paradiplo.db"),
    )
    .unwrap();
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    paradiplo(
        &["export", "--out", &a.path().display().to_string()],
        data.path(),
    );
    paradiplo(
        &["export", "--out", &b.path().display().to_string()],
        copy.path(),
    );
    assert_eq!(tree(a.path()), tree(b.path()));
}

#[test]
fn backup_after_a_killed_server_restores_the_same_registry() {
    let data = tempfile::tempdir().unwrap();
    paradiplo(&["import", &bundled()], data.path());
    // A server runs on the store and is killed without a chance to clean up.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut server = Command::new(env!("CARGO_BIN_EXE_paradiplo"))
        .args([
            "serve",
            "--no-seed",
            "--addr",
            &format!("127.0.0.1:{port}"),
            "--data",
        ])
        .arg(data.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut up = false;
    for _ in 0..300 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            up = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert!(up, "the server never listened");
    server.kill().unwrap(); // SIGKILL
    server.wait().unwrap();

    let backup = data.path().join("drill.backup");
    paradiplo(
        &["backup", "--out", &backup.display().to_string()],
        data.path(),
    );
    let fresh = tempfile::tempdir().unwrap();
    paradiplo(&["restore", &backup.display().to_string()], fresh.path());

    let before = tempfile::tempdir().unwrap();
    let after = tempfile::tempdir().unwrap();
    paradiplo(
        &["export", "--out", &before.path().display().to_string()],
        data.path(),
    );
    paradiplo(
        &["export", "--out", &after.path().display().to_string()],
        fresh.path(),
    );
    let (before, after) = (tree(before.path()), tree(after.path()));
    assert!(
        before.len() > 10,
        "the export holds the registry: {}",
        before.len()
    );
    assert_eq!(before, after, "the restored store exports differently");
}

#[test]
fn restore_refusals_speak_the_chosen_language() {
    let data = tempfile::tempdir().unwrap();
    paradiplo(&["import", &bundled()], data.path());
    let backup = data.path().join("b.backup");
    paradiplo(
        &["backup", "--out", &backup.display().to_string()],
        data.path(),
    );
    for (lang, expected) in [
        ("fr", "la base de données n’est pas vide"),
        ("en", "the database is not empty"),
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_paradiplo"))
            .args([
                "restore",
                &backup.display().to_string(),
                "--lang",
                lang,
                "--data",
            ])
            .arg(data.path())
            .output()
            .unwrap();
        assert!(!out.status.success());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(expected), "{lang}: {stderr}");
        assert!(
            stderr.contains(if lang == "fr" {
                "Rien n’a été écrit"
            } else {
                "Nothing was written"
            }),
            "{stderr}"
        );
    }
}
