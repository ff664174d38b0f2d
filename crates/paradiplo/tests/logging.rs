//! Log output of the binary: plain text without terminal escape codes when
//! standard error is not a terminal (a log file), JSON lines with
//! `--log-format json`.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

/// Starts `paradiplo serve` on a free port with a fresh data folder and
/// returns its first `n` log lines (stderr is a pipe, not a terminal).
fn first_log_lines(extra: &[&str], n: usize) -> Vec<String> {
    let data = tempfile::tempdir().expect("temp dir");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_paradiplo"));
    cmd.args(extra)
        .args(["serve", "--addr", "127.0.0.1:0", "--no-seed", "--data"])
        .arg(data.path())
        .env_remove("RUST_LOG")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let mut child: Child = cmd.spawn().expect("paradiplo starts");
    let stderr = child.stderr.take().expect("stderr piped");
    let lines: Vec<String> = BufReader::new(stderr)
        .lines()
        .take(n)
        .map(|l| l.expect("utf-8 log line"))
        .collect();
    let _ = child.kill();
    let _ = child.wait();
    lines
}

#[test]
fn text_logs_to_a_pipe_carry_no_escape_codes() {
    let lines = first_log_lines(&[], 2);
    assert!(!lines.is_empty(), "serve logged nothing");
    for line in &lines {
        assert!(
            !line.contains('\u{1b}'),
            "escape code in a piped log line: {line:?}"
        );
        assert!(line.contains("INFO"), "not a plain text log line: {line:?}");
    }
}

#[test]
fn json_logs_are_one_object_per_line() {
    let lines = first_log_lines(&["--log-format", "json"], 2);
    assert!(!lines.is_empty(), "serve logged nothing");
    for line in &lines {
        let value: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
        assert_eq!(value["level"], "INFO", "{line}");
        assert!(value["fields"]["message"].is_string(), "{line}");
    }
}

#[test]
fn an_unknown_log_format_is_refused_naming_the_value() {
    let out = Command::new(env!("CARGO_BIN_EXE_paradiplo"))
        .args(["--log-format", "xml", "migrate"])
        .output()
        .expect("paradiplo runs");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("xml"), "{stderr}");
}
