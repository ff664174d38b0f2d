//! The binary as a user runs it.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn paradiplo(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_paradiplo"))
        .args(args)
        .current_dir(cwd)
        .env("PARADIPLO_LANG", "en")
        .env_remove("DATABASE_URL")
        .env_remove("PARADIPLO_DATA")
        .output()
        .expect("the binary runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn repo_dataset() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../data/quebec")
        .display()
        .to_string()
}

#[test]
fn help_lists_every_command() {
    let tmp = tempfile::tempdir().unwrap();
    let out = paradiplo(&["--help"], tmp.path());
    assert!(out.status.success());
    let help = text(&out.stdout);
    for cmd in [
        "serve", "import", "export", "check", "migrate", "reindex", "user", "backup", "restore",
    ] {
        assert!(help.contains(cmd), "--help lacks {cmd}: {help}");
    }
    let out = paradiplo(&["serve", "--help"], tmp.path());
    let help = text(&out.stdout);
    for flag in [
        "--addr",
        "--data",
        "--database-url",
        "--no-seed",
        "PARADIPLO_ADDR",
        "DATABASE_URL",
    ] {
        assert!(help.contains(flag), "serve --help lacks {flag}");
    }
}

/// `check --report` on the bundled dataset, in French then English: one line
/// per finding naming its record, the same findings in both languages, and
/// no error (the command would fail on one).
#[test]
fn the_quality_report_lists_findings_in_both_languages() {
    let tmp = tempfile::tempdir().unwrap();
    let run = |lang: &str| {
        Command::new(env!("CARGO_BIN_EXE_paradiplo"))
            .args(["check", &repo_dataset(), "--report"])
            .current_dir(tmp.path())
            .env("PARADIPLO_LANG", lang)
            .output()
            .expect("the binary runs")
    };
    let (fr, en) = (run("fr"), run("en"));
    let lines = |o: &Output, severities: [&str; 2]| -> Vec<String> {
        text(&o.stdout)
            .lines()
            .filter(|l| severities.iter().any(|s| l.starts_with(s)))
            .map(str::to_string)
            .collect()
    };
    let fr_lines = lines(&fr, ["erreur\u{a0}: ", "avertissement\u{a0}: "]);
    let en_lines = lines(&en, ["error: ", "warning: "]);
    assert!(!fr_lines.is_empty(), "{}", text(&fr.stdout));
    assert_eq!(fr_lines.len(), en_lines.len());
    for l in &fr_lines {
        assert!(
            l.contains(" « ") && l.contains(" »"),
            "names its record: {l}"
        );
    }
    // Year-only dates are among the warnings (1988 Lake Champlain agreement).
    assert!(
        en_lines
            .iter()
            .any(|l| l.contains("year only") && l.contains("lac-champlain-1988")),
        "{en_lines:?}"
    );
    // The bundled dataset holds no error: the command succeeds.
    let errors: Vec<_> = en_lines
        .iter()
        .filter(|l| l.starts_with("error: "))
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    assert!(
        en.status.success() && fr.status.success(),
        "{}",
        text(&en.stderr)
    );
    assert!(text(&en.stdout).contains("Quality report: 0 errors"));
    assert!(text(&fr.stdout).contains("Rapport de qualité\u{a0}: 0 erreur"));
}

#[test]
fn check_passes_on_the_bundled_dataset() {
    let tmp = tempfile::tempdir().unwrap();
    let out = paradiplo(&["check", &repo_dataset()], tmp.path());
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("valid records"));
}

#[test]
fn check_and_import_of_a_broken_dataset_fail_with_file_and_line_and_write_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let ds = tmp.path().join("broken");
    std::fs::create_dir_all(&ds).unwrap();
    std::fs::write(
        ds.join("partners.toml"),
        "[[partner]]\nslug = \"x\"\nname = { fr = \"X\" }\nkind = \"federated_state\"\ncountry = \"QQ\"\nworld_region = \"asia\"\nsummary = { fr = \"x\" }\n\n[[partner]]\nslug = \"Bad Slug\"\n",
    )
    .unwrap();
    let out = paradiplo(&["check", ds.to_str().unwrap()], tmp.path());
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("partners.toml:5: partner `x`: field `country`, value \"QQ\""),
        "{err}"
    );
    assert!(err.contains("partners.toml:10"), "{err}");
    assert!(err.contains("2 error(s)"), "{err}");

    let out = paradiplo(&["import", ds.to_str().unwrap(), "--data", "d"], tmp.path());
    assert_eq!(out.status.code(), Some(1));
    // Nothing written: an export of the store is empty.
    let out = paradiplo(&["export", "--out", "e", "--data", "d"], tmp.path());
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("Exported: 0 records"),
        "{}",
        text(&out.stdout)
    );

    let fr = Command::new(env!("CARGO_BIN_EXE_paradiplo"))
        .args(["check", ds.to_str().unwrap()])
        .env("PARADIPLO_LANG", "fr")
        .output()
        .unwrap();
    assert!(
        text(&fr.stderr).contains("champ `country`, valeur «\u{a0}QQ\u{a0}»"),
        "{}",
        text(&fr.stderr)
    );
}

#[test]
fn import_export_backup_restore_through_the_cli() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let run = |args: &[&str]| {
        let out = paradiplo(args, dir);
        assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
        text(&out.stdout)
    };
    assert!(run(&["migrate", "--data", "a"]).contains("Schema up to date"));
    let imported = run(&["import", &repo_dataset(), "--data", "a"]);
    assert!(imported.contains("created"), "{imported}");
    assert!(run(&["import", &repo_dataset(), "--data", "a"]).contains(" 0 created, 0 updated"));
    run(&["export", "--out", "e1", "--data", "a"]);
    run(&["backup", "--out", "a.backup", "--data", "a"]);
    run(&["restore", "a.backup", "--data", "b"]);
    run(&["export", "--out", "e2", "--data", "b"]);
    for name in ["partners.toml", "agreements.toml", "organizations.toml"] {
        assert_eq!(
            std::fs::read(dir.join("e1").join(name)).unwrap(),
            std::fs::read(dir.join("e2").join(name)).unwrap()
        );
    }
    // Restoring over a store that holds data is refused.
    let out = paradiplo(&["restore", "a.backup", "--data", "b"], dir);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("empty"), "{}", text(&out.stderr));
    // Exporting into a folder with foreign files is refused.
    std::fs::write(dir.join("notes.txt"), "mine").unwrap();
    let out = paradiplo(&["export", "--out", ".", "--data", "a"], dir);
    assert_eq!(out.status.code(), Some(2));
}

/// Runs `paradiplo user add` with `stdin` piped in (not a terminal).
fn user_add(args: &[&str], stdin: &str, cwd: &Path) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_paradiplo"))
        .args(["user", "add", "--data", "d"])
        .args(args)
        .current_dir(cwd)
        .env("PARADIPLO_LANG", "en")
        .env_remove("DATABASE_URL")
        .env_remove("PARADIPLO_DATA")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn user_add_reads_the_password_from_standard_input() {
    let tmp = tempfile::tempdir().unwrap();
    let out = user_add(
        &["--email", "Ana@Example.org", "--role", "publisher"],
        "a long enough secret\n",
        tmp.path(),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("Account created: ana@example.org (Publisher)"));
    // Never from a flag.
    let out = user_add(
        &[
            "--email",
            "b@example.org",
            "--role",
            "editor",
            "--password",
            "x",
        ],
        "",
        tmp.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    let out = user_add(
        &["--email", "c@example.org", "--role", "editor"],
        "short\n",
        tmp.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("password too short"));
    let out = user_add(
        &["--email", "c@example.org", "--role", "root"],
        "a long enough secret\n",
        tmp.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("unknown role `root`"));
    let out = user_add(
        &["--email", "ana@example.org", "--role", "editor"],
        "a long enough secret\n",
        tmp.path(),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("already uses"));
    // The stored hash is Argon2id and checks the password.
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let url = format!(
            "sqlite://{}?mode=rwc",
            tmp.path().join("d/paradiplo.db").display()
        );
        let store = paradiplo_store::Store::open(&url).await.unwrap();
        let (user, hash) = store
            .user_with_hash("ana@example.org")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(user.role, paradiplo_core::Role::Publisher);
        assert!(hash.starts_with("$argon2id$"));
        assert!(
            paradiplo_web::admin::verify_password("a long enough secret".into(), hash.clone())
                .await
        );
        assert!(!paradiplo_web::admin::verify_password("another".into(), hash).await);
        assert_eq!(
            store.users().await.unwrap().len(),
            1,
            "nothing else was created"
        );
    });
}

#[test]
fn serve_with_defaults_loads_the_bundled_registry() {
    let tmp = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_paradiplo"))
        .args(["serve", "--addr", "127.0.0.1:0"])
        .current_dir(tmp.path())
        .env_remove("DATABASE_URL")
        .env_remove("PARADIPLO_DATA")
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let mut addr = None;
    for line in BufReader::new(stderr).lines() {
        let line = line.unwrap();
        if let Some(rest) = line.split("listening on http://").nth(1) {
            addr = Some(
                rest.trim_end_matches('/')
                    .split('/')
                    .next()
                    .unwrap()
                    .to_string(),
            );
            break;
        }
    }
    let addr = addr.expect("the server says where it listens");
    let get = |path: &str| -> String {
        let mut s = std::net::TcpStream::connect(&addr).unwrap();
        write!(s, "GET {path} HTTP/1.0\r\nHost: {addr}\r\n\r\n").unwrap();
        let mut buf = String::new();
        s.read_to_string(&mut buf).unwrap();
        buf
    };
    let health = get("/healthz");
    assert!(
        health.starts_with("HTTP/1.0 200") || health.starts_with("HTTP/1.1 200"),
        "{health}"
    );
    let home = get("/");
    assert!(home.contains("data-kind=\"partner\">"), "{home}");
    assert!(
        !home.contains("data-kind=\"partner\">0<"),
        "the bundled partners are there"
    );
    assert!(
        tmp.path().join("paradiplo-data/paradiplo.db").exists(),
        "data in ./paradiplo-data/"
    );
    // Search: the index was built on start, in the data folder.
    assert!(
        tmp.path()
            .join("paradiplo-data/search-index/meta.json")
            .exists()
    );
    let found = get("/recherche?q=OACI");
    assert!(found.contains("data-key=\"organization/oaci\""), "{found}");
    // The server holds the index: reindex refuses, clearly, and breaks nothing.
    let out = paradiplo(&["reindex"], tmp.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("in use"),
        "{}",
        text(&out.stderr)
    );
    let again = get("/en/search?q=ICAO");
    assert!(again.contains("data-key=\"organization/oaci\""), "{again}");
    child.kill().unwrap();
    let _ = child.wait();
    let out = paradiplo(&["reindex"], tmp.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("Search index rebuilt"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn tokens_are_added_listed_and_revoked() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let data = data.to_str().unwrap();
    let out = paradiplo(
        &[
            "token",
            "add",
            "--role",
            "editor",
            "--name",
            "import-bot",
            "--data",
            data,
        ],
        tmp.path(),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let secret = text(&out.stdout).trim().to_string();
    assert!(secret.starts_with("pdp_") && secret.len() == 68, "{secret}");
    assert!(text(&out.stderr).contains("will not be shown again"));
    let out = paradiplo(&["token", "list", "--data", data], tmp.path());
    let list = text(&out.stdout);
    assert!(
        list.contains("editor\timport-bot") && list.contains("active"),
        "{list}"
    );
    assert!(!list.contains(&secret[4..]), "the secret is never listed");
    let id = list.split('\t').next().unwrap().to_string();
    let out = paradiplo(&["token", "revoke", &id, "--data", data], tmp.path());
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = paradiplo(&["token", "list", "--data", data], tmp.path());
    assert!(text(&out.stdout).contains("revoked on"));
    let out = paradiplo(&["token", "revoke", &id, "--data", data], tmp.path());
    assert_eq!(out.status.code(), Some(2), "revoking twice is an error");
    let out = paradiplo(
        &[
            "token", "add", "--role", "root", "--name", "x", "--data", data,
        ],
        tmp.path(),
    );
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("reader, editor, publisher or admin"));
}

#[test]
fn check_and_import_read_a_json_dataset_with_record_and_field_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let good = tmp.path().join("good.json");
    let out = paradiplo(&["check", &repo_dataset()], tmp.path());
    assert!(out.status.success());
    // A JSON dataset: one partner referring to an unknown domain, one with a bad country.
    let bad = tmp.path().join("bad.json");
    std::fs::write(
        &bad,
        r#"{"format": "paradiplo-dataset", "version": 1,
            "domains": [{"slug": "culture", "name": {"fr": "Culture"}}],
            "partners": [
              {"slug": "vermont", "name": {"fr": "Vermont"}, "kind": "federated_state", "country": "US",
               "world_region": "north_america", "domains": ["sante"], "summary": {"fr": "x"}},
              {"slug": "nulle-part", "name": {"fr": "X"}, "kind": "region", "country": "XX",
               "world_region": "asia", "summary": {"fr": "x"}}
            ]}"#,
    )
    .unwrap();
    let out = paradiplo(&["check", bad.to_str().unwrap()], tmp.path());
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("partner `vermont`: field `domains[0]`, value \"sante\""),
        "{err}"
    );
    assert!(
        err.contains("partner `nulle-part`: field `country`, value \"XX\""),
        "{err}"
    );
    // A valid one imports.
    std::fs::write(
        &good,
        r#"{"format": "paradiplo-dataset", "version": 1,
            "domains": [{"slug": "culture", "name": {"fr": "Culture", "en": "Culture"}}],
            "partners": [{"slug": "vermont", "state": "draft", "name": {"fr": "Vermont"}, "kind": "federated_state",
               "country": "US", "world_region": "north_america", "domains": ["culture"], "summary": {"fr": "x"}}]}"#,
    )
    .unwrap();
    let data = tmp.path().join("data");
    let out = paradiplo(
        &[
            "import",
            good.to_str().unwrap(),
            "--data",
            data.to_str().unwrap(),
        ],
        tmp.path(),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("2 created"),
        "{}",
        text(&out.stdout)
    );
    // And exports back as a folder with the draft kept.
    let dir = tmp.path().join("out");
    let out = paradiplo(
        &[
            "export",
            "--out",
            dir.to_str().unwrap(),
            "--data",
            data.to_str().unwrap(),
        ],
        tmp.path(),
    );
    assert!(out.status.success());
    let partners = std::fs::read_to_string(dir.join("partners.toml")).unwrap();
    assert!(partners.contains("state = \"draft\""));
}
