//! Writes queue instead of failing: eight API clients writing at once, fifty
//! writes each, get no error, and every write is in the revision log and
//! the audit log (SQLite takes its write lock at the start of the
//! transaction; busy writes are tried again).

use axum::http::{Method, StatusCode};
use paradiplo_app::testkit::{Client, TestApp};
use paradiplo_core::{RecordKind, Role};
use paradiplo_store::AuditFilter;
use paradiplo_testkit::{TestDb, backend_tests};
use serde_json::json;

backend_tests!(
    eight_writers_fifty_writes_each_all_succeed,
    eight_writers_creating_one_slug_get_one_created_and_conflicts,
);

const WRITERS: usize = 8;
const WRITES: usize = 50;

fn domain(slug: &str, n: usize) -> serde_json::Value {
    json!({
        "record": {"slug": slug, "name": {"fr": format!("Domaine {n}"), "en": format!("Domain {n}")}},
        "state": "published",
        "note": format!("write {n}")
    })
}

/// One writer: creates its record, then updates it from each version it got.
async fn writer(client: Client, token: String, w: usize) -> Vec<(usize, StatusCode, String)> {
    let slug = format!("domaine-{w}");
    let mut failures = Vec::new();
    let r = client
        .request(
            Method::POST,
            "/api/v1/domains",
            &[("authorization", &token)],
            Some(domain(&slug, 0)),
        )
        .await;
    if r.status != StatusCode::CREATED {
        failures.push((0, r.status, r.body));
        return failures;
    }
    let mut version = 1;
    for n in 1..WRITES {
        let etag = format!("\"{version}\"");
        let r = client
            .request(
                Method::PUT,
                &format!("/api/v1/domains/{slug}"),
                &[("authorization", &token), ("if-match", &etag)],
                Some(domain(&slug, n)),
            )
            .await;
        if r.status == StatusCode::OK {
            version = r.json()["version"].as_i64().unwrap();
        } else {
            failures.push((n, r.status, r.body));
        }
    }
    failures
}

async fn eight_writers_fifty_writes_each_all_succeed(db: &TestDb) {
    let app = TestApp::empty(db).await;
    let store = app.store.clone();
    let token = app.token(Role::Publisher, "load").await;
    let tasks: Vec<_> = (0..WRITERS)
        .map(|w| tokio::spawn(writer(Client::new(app.router()), token.clone(), w)))
        .collect();
    let mut failures = Vec::new();
    for t in tasks {
        failures.extend(t.await.unwrap());
    }
    assert!(failures.is_empty(), "failed writes: {failures:?}");
    let revisions = store.revisions_since(0, 100_000).await.unwrap();
    assert_eq!(revisions.len(), WRITERS * WRITES);
    for w in 0..WRITERS {
        let history = store
            .history(RecordKind::Domain, &format!("domaine-{w}"))
            .await
            .unwrap();
        assert_eq!(history.len(), WRITES);
        assert_eq!(
            history.last().unwrap().note,
            format!("write {}", WRITES - 1)
        );
    }
    let audit = store
        .audit_log(&AuditFilter {
            limit: 10_000,
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(
        audit.iter().filter(|l| l.action == "publish").count(),
        WRITERS * WRITES
    );
    app.shutdown().await;
}

/// Racing creations of one slug: one is created, the others are told it
/// exists (409), none gets a server error.
async fn eight_writers_creating_one_slug_get_one_created_and_conflicts(db: &TestDb) {
    let app = TestApp::empty(db).await;
    let store = app.store.clone();
    let token = app.token(Role::Publisher, "race").await;
    let tasks: Vec<_> = (0..WRITERS)
        .map(|n| {
            let (client, token) = (Client::new(app.router()), token.clone());
            tokio::spawn(async move {
                client
                    .request(
                        Method::POST,
                        "/api/v1/domains",
                        &[("authorization", &token)],
                        Some(domain("meme-domaine", n)),
                    )
                    .await
                    .status
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.unwrap());
    }
    let created = statuses
        .iter()
        .filter(|s| **s == StatusCode::CREATED)
        .count();
    let conflicts = statuses
        .iter()
        .filter(|s| **s == StatusCode::CONFLICT)
        .count();
    assert_eq!((created, conflicts), (1, WRITERS - 1), "{statuses:?}");
    let history = store
        .history(RecordKind::Domain, "meme-domaine")
        .await
        .unwrap();
    assert_eq!(history.len(), 1);
    app.shutdown().await;
}
