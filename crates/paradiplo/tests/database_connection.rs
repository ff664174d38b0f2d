//! A database that cannot be reached is said at once, naming the target
//! (user, host, port, database — never the password) and the cause, in the
//! chosen language: wrong port, missing database, refused password, and a
//! server that never answers.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Runs `paradiplo migrate` against `url`; fails the test if it hangs.
fn migrate(url: &str, lang: &str) -> Output {
    let child = Command::new(env!("CARGO_BIN_EXE_paradiplo"))
        .args(["migrate", "--lang", lang, "--database-url", url])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("paradiplo runs");
    let started = Instant::now();
    let id = child.id();
    let out = std::thread::spawn(move || child.wait_with_output().expect("output"));
    while !out.is_finished() {
        if started.elapsed() > Duration::from_secs(60) {
            let _ = Command::new("kill").arg(id.to_string()).status();
            panic!("paradiplo migrate still waiting after 60 s on {url}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    out.join().unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A loopback port nothing listens on.
fn closed_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

fn postgres_admin_url() -> Option<String> {
    let url = std::env::var("PARADIPLO_TEST_DATABASE_URL")
        .unwrap_or_else(|_| paradiplo_testkit::DEFAULT_PG_URL.to_string());
    let reachable = std::net::TcpStream::connect_timeout(
        &"127.0.0.1:5432".parse().unwrap(),
        Duration::from_secs(2),
    )
    .is_ok();
    if reachable || std::env::var("PARADIPLO_REQUIRE_POSTGRES").is_ok_and(|v| v == "1") {
        Some(url)
    } else {
        eprintln!("*** SKIPPED (PostgreSQL): missing-database test, no server at 127.0.0.1:5432");
        None
    }
}

#[test]
fn wrong_port_names_the_target_and_the_cause() {
    let port = closed_port();
    let out = migrate(
        &format!("postgres://ana:s3cret@127.0.0.1:{port}/registre"),
        "fr",
    );
    assert!(!out.status.success());
    let e = stderr(&out);
    assert!(e.contains(&format!("ana@127.0.0.1:{port}/registre")), "{e}");
    assert!(e.contains("PostgreSQL injoignable"), "{e}");
    assert!(!e.contains("s3cret"), "the password leaked: {e}");
    assert!(!e.contains("pool timed out"), "{e}");
}

#[test]
fn missing_database_is_named() {
    let Some(admin) = postgres_admin_url() else {
        return;
    };
    let mut url = url::Url::parse(&admin).unwrap();
    url.set_path("/paradiplo_no_such_database");
    let out = migrate(url.as_str(), "en");
    assert!(!out.status.success());
    let e = stderr(&out);
    assert!(
        e.contains("the database \"paradiplo_no_such_database\" does not exist"),
        "{e}"
    );
    assert!(e.contains("createdb paradiplo_no_such_database"), "{e}");
}

/// A server that speaks just enough of the PostgreSQL protocol to refuse the
/// password, as a server with password authentication does (the test cluster
/// trusts loopback connections, so it cannot refuse one itself).
fn refusing_server() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(4) {
            let Ok(mut s) = stream else { continue };
            let mut len = [0u8; 4];
            if s.read_exact(&mut len).is_err() {
                continue;
            }
            let mut rest = vec![0u8; u32::from_be_bytes(len) as usize - 4];
            let _ = s.read_exact(&mut rest);
            // SSLRequest (code 80877103): answer "no TLS", then read the startup message.
            if rest.len() == 4 && u32::from_be_bytes(rest[..4].try_into().unwrap()) == 80877103 {
                let _ = s.write_all(b"N");
                if s.read_exact(&mut len).is_err() {
                    continue;
                }
                let mut startup = vec![0u8; u32::from_be_bytes(len) as usize - 4];
                let _ = s.read_exact(&mut startup);
            }
            let mut fields = Vec::new();
            for (code, value) in [
                (b'S', "FATAL"),
                (b'V', "FATAL"),
                (b'C', "28P01"),
                (b'M', "password authentication failed for user \"ana\""),
            ] {
                fields.push(code);
                fields.extend_from_slice(value.as_bytes());
                fields.push(0);
            }
            fields.push(0);
            let mut msg = vec![b'E'];
            msg.extend_from_slice(&((fields.len() + 4) as u32).to_be_bytes());
            msg.extend_from_slice(&fields);
            let _ = s.write_all(&msg);
        }
    });
    port
}

#[test]
fn refused_password_names_the_user_not_the_password() {
    let port = refusing_server();
    let out = migrate(
        &format!("postgres://ana:wrong-pass@127.0.0.1:{port}/registre"),
        "fr",
    );
    assert!(!out.status.success());
    let e = stderr(&out);
    assert!(
        e.contains(&format!(
            "PostgreSQL refuse l’utilisateur « ana » ou son mot de passe à ana@127.0.0.1:{port}/registre"
        )),
        "{e}"
    );
    assert!(!e.contains("wrong-pass"), "the password leaked: {e}");
}

#[test]
fn a_server_that_never_answers_is_given_up_on_with_the_target() {
    // Accepts connections and says nothing.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for s in listener.incoming().take(4).flatten() {
            held.push(s);
        }
        std::thread::sleep(Duration::from_secs(120));
    });
    let out = migrate(&format!("postgres://ana@127.0.0.1:{port}/registre"), "en");
    assert!(!out.status.success());
    let e = stderr(&out);
    assert!(
        e.contains(&format!(
            "PostgreSQL does not answer at ana@127.0.0.1:{port}/registre (no answer within 5 s)"
        )),
        "{e}"
    );
}
