//! Every shell example of the README, tried as written: each command line of a
//! ```sh block either runs here (with `paradiplo` on the PATH, a scratch data
//! folder, and a server on a free port where an example talks to one) or is
//! listed below with the test or step that covers it. A new example that is
//! neither fails this test.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// Example lines not run here, each with what covers it instead.
const COVERED_ELSEWHERE: &[(&str, &str)] = &[
    (
        "cargo run --release -- serve",
        "a release build takes minutes; `serve` on the bundled registry is what every \
         browser test and tests/app.rs start",
    ),
    (
        "./scripts/test",
        "it is the command that runs this test (.ci/run)",
    ),
    (
        "cargo install --locked --path crates/paradiplo",
        "a release build takes minutes; the binary it installs is the one this test runs",
    ),
    (
        "DATABASE_URL=postgres://paradiplo@db.internal/paradiplo cargo run --release -- serve",
        "every store, web and binary test runs on PostgreSQL too (backend_tests!, TestApp); \
         tests/database_connection.rs covers unreachable servers",
    ),
];

const PASSWORD: &str = "correct horse battery staple";

fn readme() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../README.md");
    std::fs::read_to_string(path).expect("README.md")
}

/// The ```sh blocks of a Markdown text, each as its command lines
/// (comments kept: bash ignores them; `\` continuations joined).
fn shell_blocks(markdown: &str) -> Vec<Vec<String>> {
    let mut blocks = Vec::new();
    let mut current: Option<Vec<String>> = None;
    for line in markdown.lines() {
        let trimmed = line.trim();
        match &mut current {
            None if trimmed == "```sh" => current = Some(Vec::new()),
            None => {}
            Some(_) if trimmed == "```" => blocks.push(current.take().unwrap()),
            Some(lines) => {
                if let Some(prev) = lines.last_mut().filter(|l| l.ends_with('\\')) {
                    prev.pop();
                    prev.push(' ');
                    prev.push_str(trimmed);
                } else if !trimmed.is_empty() {
                    lines.push(trimmed.to_string());
                }
            }
        }
    }
    blocks
}

/// The command of a line without its trailing comment.
fn command_of(line: &str) -> &str {
    line.split("   #").next().unwrap_or(line).trim()
}

fn covered(line: &str) -> bool {
    COVERED_ELSEWHERE
        .iter()
        .any(|(c, _)| *c == command_of(line))
}

struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `paradiplo serve` on the bundled registry, on a free port, once it listens.
fn serve(data: &Path) -> Server {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_paradiplo"))
        .args(["serve", "--addr", &format!("127.0.0.1:{port}"), "--data"])
        .arg(data)
        .env("RUST_LOG", "info")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("serve starts");
    let stderr = child.stderr.take().unwrap();
    let mut lines = BufReader::new(stderr).lines();
    for line in lines.by_ref() {
        if line.expect("log line").contains("listening on") {
            break;
        }
    }
    // Keep reading the log so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    Server { child, port }
}

/// A folder whose only entry is `paradiplo`, the binary under test.
fn bin_dir(scratch: &Path) -> PathBuf {
    let dir = scratch.join("bin");
    std::fs::create_dir_all(&dir).unwrap();
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_paradiplo"), dir.join("paradiplo")).unwrap();
    dir
}

#[test]
fn every_readme_shell_example_runs_or_is_covered() {
    let blocks = shell_blocks(&readme());
    assert!(blocks.len() >= 4, "README shell blocks: {blocks:?}");
    let scratch = tempfile::tempdir().unwrap();
    let data = scratch.path().join("data");
    let bin = bin_dir(scratch.path());
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let server = blocks
        .iter()
        .flatten()
        .any(|l| l.contains("http://127.0.0.1:8080"))
        .then(|| serve(&data));

    let mut ran = 0;
    for block in &blocks {
        let runnable: Vec<&String> = block.iter().filter(|l| !covered(l)).collect();
        if runnable.is_empty() {
            continue;
        }
        let mut script = String::from("set -euo pipefail\n");
        for line in &runnable {
            let line = match &server {
                Some(s) => line.replace("127.0.0.1:8080", &format!("127.0.0.1:{}", s.port)),
                None => line.to_string(),
            };
            script.push_str(&line);
            script.push('\n');
        }
        let out = Command::new("bash")
            .arg("-c")
            .arg(&script)
            .current_dir(scratch.path())
            .env("PATH", &path)
            .env("PARADIPLO_DATA", &data)
            .env("PASSWORD", PASSWORD)
            .env("PARADIPLO_LANG", "en")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .and_then(|mut child| {
                use std::io::Write;
                // `user add` on a terminal asks twice; from standard input it reads one line.
                let mut stdin = child.stdin.take().unwrap();
                let _ = writeln!(stdin, "{PASSWORD}");
                drop(stdin);
                child.wait_with_output()
            })
            .expect("bash runs");
        assert!(
            out.status.success(),
            "README example failed:\n{script}\nstdout: {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        ran += runnable.len();
    }
    assert!(ran >= 5, "only {ran} README lines ran");
}

#[test]
fn every_covered_example_is_still_in_the_readme() {
    let lines: Vec<String> = shell_blocks(&readme())
        .into_iter()
        .flatten()
        .map(|l| command_of(&l).to_string())
        .collect();
    for (command, _) in COVERED_ELSEWHERE {
        assert!(
            lines.iter().any(|l| l == command),
            "listed as covered but no longer in the README: {command}"
        );
    }
}
