//! One write service behind every door: the same change made through the
//! JSON API, the staff workspace's form and the import leaves the same
//! revision and the same audit line (only the actor and the client say
//! which door), on both backends.

use axum::http::{Method, StatusCode};
use paradiplo_app::testkit::{TEST_PASSWORD, TestApp};
use paradiplo_core::{AnyRecord, RecordKind, RecordState, Role};
use paradiplo_store::{AuditEntry, AuditFilter, ImportItem, Store};
use paradiplo_testkit::{TestDb, backend_tests};
use serde_json::json;

backend_tests!(
    archiving_through_each_door_leaves_the_same_audit_line,
    an_editor_change_through_each_door_leaves_the_same_working_copy_and_audit_line,
    api_writes_are_audited_in_their_transaction,
);

fn partner() -> AnyRecord {
    AnyRecord::from_json(
        RecordKind::Partner,
        json!({
            "slug": "baviere",
            "name": {"fr": "Bavière", "en": "Bavaria"},
            "kind": "federated_state",
            "country": "DE",
            "subdivision": "DE-BY",
            "world_region": "western_europe",
            "summary": {"fr": "Partenaire depuis 1989.", "en": "Partner."}
        }),
    )
    .unwrap()
}

/// Another empty database of the same backend as `db`.
async fn another(db: &TestDb) -> TestDb {
    if db.url.starts_with("sqlite:") {
        TestDb::sqlite()
    } else {
        TestDb::postgres("write_doors::another")
            .await
            .expect("PostgreSQL is there: the first database was made on it")
    }
}

/// An app holding one published partner (seeded below the service: no audit line).
async fn app_with_partner(db: &TestDb) -> TestApp {
    let app = TestApp::empty(db).await;
    app.store
        .create(partner(), RecordState::Published, "seed", "seed")
        .await
        .unwrap();
    app
}

async fn record_audit(store: &Store) -> Vec<AuditEntry> {
    let mut lines = store
        .audit_log(&AuditFilter {
            limit: 100,
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    lines.retain(|l| !l.kind.is_empty());
    lines
}

/// What a door leaves behind: the audit lines of records, and the newest revision's author and note.
async fn traces(store: &Store) -> (Vec<AuditEntry>, String, String) {
    let history = store.history(RecordKind::Partner, "baviere").await.unwrap();
    let last = history.last().unwrap();
    assert_eq!(last.state, RecordState::Archived);
    assert_eq!(last.version, 2);
    (
        record_audit(store).await,
        last.author.clone(),
        last.note.clone(),
    )
}

async fn through_api(db: &TestDb) -> (Vec<AuditEntry>, String, String) {
    let app = app_with_partner(db).await;
    let store = app.store.clone();
    let token = app.token(Role::Publisher, "bot").await;
    let r = app
        .request(
            Method::POST,
            "/api/v1/partners/baviere/archive",
            &[("authorization", &token), ("if-match", "\"1\"")],
            Some(json!({"note": "closed"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let out = traces(&store).await;
    app.shutdown().await;
    out
}

async fn through_staff_form(db: &TestDb) -> (Vec<AuditEntry>, String, String) {
    let app = app_with_partner(db).await;
    let store = app.store.clone();
    // The audit line names the account: an address of its own.
    app.add_staff("publisher@x.org", Role::Publisher).await;
    let staff = app.session("publisher@x.org", TEST_PASSWORD).await;
    let (cookie, csrf) = (staff.cookie, staff.csrf);
    let r = app
        .post_form(
            "/admin/records/partner/baviere/archive",
            &cookie,
            &[
                ("csrf", csrf.as_str()),
                ("note", "closed"),
                ("_record_version", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let out = traces(&store).await;
    app.shutdown().await;
    out
}

async fn through_import(db: &TestDb) -> (Vec<AuditEntry>, String, String) {
    let app = app_with_partner(db).await;
    let store = app.store.clone();
    let report = store
        .import(
            vec![ImportItem {
                record: partner(),
                state: RecordState::Archived,
            }],
            Vec::new(),
            "operator",
            "closed",
        )
        .await
        .unwrap();
    assert_eq!(report.updated, 1);
    let out = traces(&store).await;
    app.shutdown().await;
    out
}

async fn archiving_through_each_door_leaves_the_same_audit_line(db: &TestDb) {
    let (staff_db, import_db) = (another(db).await, another(db).await);
    let doors = [
        ("api:bot", "api", through_api(db).await),
        ("publisher@x.org", "", through_staff_form(&staff_db).await),
        ("operator", "import", through_import(&import_db).await),
    ];
    for (actor, client, (audit, author, note)) in &doors {
        assert_eq!(
            audit.len(),
            1,
            "{actor}: one audit line per write: {audit:?}"
        );
        let line = &audit[0];
        assert_eq!(
            (
                line.actor.as_str(),
                line.action.as_str(),
                line.kind.as_str(),
                line.slug.as_str(),
                line.detail.as_str()
            ),
            (*actor, "archive", "partner", "baviere", "version 2: closed"),
        );
        if !client.is_empty() {
            assert_eq!(line.client, *client);
        }
        assert_eq!((author.as_str(), note.as_str()), (*actor, "closed"));
    }
    staff_db.cleanup().await;
    import_db.cleanup().await;
}

/// Every API write has its audit line, and a refused write has none.
async fn api_writes_are_audited_in_their_transaction(db: &TestDb) {
    let app = app_with_partner(db).await;
    let store = app.store.clone();
    let editor = app.token(Role::Editor, "writer").await;
    let publisher = app.token(Role::Publisher, "pub").await;
    let domain = |note: &str, state: Option<&str>| {
        let mut body = json!({
            "record": {"slug": "espace", "name": {"fr": "Espace", "en": "Space"}},
            "note": note
        });
        if let Some(s) = state {
            body["state"] = json!(s);
        }
        body
    };
    let r = app
        .request(
            Method::POST,
            "/api/v1/domains",
            &[("authorization", &editor)],
            Some(domain("new domain", None)),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    // Refused (an editor cannot publish): no line.
    let r = app
        .request(
            Method::PUT,
            "/api/v1/domains/espace",
            &[("authorization", &editor), ("if-match", "\"1\"")],
            Some(domain("go live", Some("published"))),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app
        .request(
            Method::PUT,
            "/api/v1/domains/espace",
            &[("authorization", &publisher), ("if-match", "\"1\"")],
            Some(domain("go live", Some("published"))),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let mut lines: Vec<_> = record_audit(&store)
        .await
        .into_iter()
        .map(|l| (l.actor, l.action, l.kind, l.slug, l.detail))
        .collect();
    lines.reverse();
    let row = |actor: &str, action: &str, detail: &str| {
        (
            actor.to_string(),
            action.to_string(),
            "domain".to_string(),
            "espace".to_string(),
            detail.to_string(),
        )
    };
    assert_eq!(
        lines,
        vec![
            row("api:writer", "draft_save", "version 1: new domain"),
            row("api:pub", "publish", "version 2: go live"),
        ]
    );
    app.shutdown().await;
}

/// What an editor's change to the published partner leaves: the audit lines
/// of records, and the working copy (its record, revision and notes' text).
async fn working_copy_traces(
    store: &Store,
) -> (Vec<AuditEntry>, serde_json::Value, i64, Vec<String>) {
    let published = store
        .get(
            RecordKind::Partner,
            "baviere",
            paradiplo_store::Visibility::Public,
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(published.version, 1, "the published record is unchanged");
    let draft = store
        .draft(RecordKind::Partner, "baviere")
        .await
        .unwrap()
        .unwrap();
    let notes = draft.notes.iter().map(|n| n.note.clone()).collect();
    (
        record_audit(store).await,
        draft.record.to_json(),
        draft.revision,
        notes,
    )
}

fn renamed() -> AnyRecord {
    let mut json = partner().to_json();
    json["name"]["fr"] = json!("Bavière libre");
    AnyRecord::from_json(RecordKind::Partner, json).unwrap()
}

async fn working_copy_through_api(
    db: &TestDb,
) -> (Vec<AuditEntry>, serde_json::Value, i64, Vec<String>) {
    let app = app_with_partner(db).await;
    let store = app.store.clone();
    let token = app.token(Role::Editor, "ed").await;
    let r = app
        .request(
            Method::PUT,
            "/api/v1/partners/baviere",
            &[("authorization", &token), ("if-match", "\"1\"")],
            Some(json!({"record": renamed().to_json(), "note": "renamed"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
    let out = working_copy_traces(&store).await;
    app.shutdown().await;
    out
}

async fn working_copy_through_staff_form(
    db: &TestDb,
) -> (Vec<AuditEntry>, serde_json::Value, i64, Vec<String>) {
    let app = app_with_partner(db).await;
    let store = app.store.clone();
    app.add_staff("editor@x.org", Role::Editor).await;
    let staff = app.session("editor@x.org", TEST_PASSWORD).await;
    let mut fields = paradiplo_web::admin::form_pairs(&renamed());
    fields.retain(|(k, _)| k != "slug");
    fields.extend([
        ("csrf".to_string(), staff.csrf.clone()),
        ("note".to_string(), "renamed".to_string()),
        ("_record_version".to_string(), "1".to_string()),
    ]);
    let r = app
        .post_form(
            "/admin/records/partner/baviere/edit",
            &staff.cookie,
            &fields,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let out = working_copy_traces(&store).await;
    app.shutdown().await;
    out
}

/// An editor's change to a published record, through the API and through
/// the staff form: the same working copy and the same audit line (only the
/// actor says which door); the published record untouched.
async fn an_editor_change_through_each_door_leaves_the_same_working_copy_and_audit_line(
    db: &TestDb,
) {
    let staff_db = another(db).await;
    let doors = [
        ("api:ed", working_copy_through_api(db).await),
        (
            "editor@x.org",
            working_copy_through_staff_form(&staff_db).await,
        ),
    ];
    for (actor, (audit, record, revision, notes)) in &doors {
        assert_eq!(
            audit.len(),
            1,
            "{actor}: one audit line per write: {audit:?}"
        );
        let line = &audit[0];
        assert_eq!(
            (
                line.actor.as_str(),
                line.action.as_str(),
                line.kind.as_str(),
                line.slug.as_str(),
                line.detail.as_str()
            ),
            (
                *actor,
                "draft_save",
                "partner",
                "baviere",
                "revision 1: renamed"
            ),
        );
        assert_eq!(
            *record,
            renamed().to_json(),
            "{actor}: the working copy holds the change"
        );
        assert_eq!(
            (*revision, notes.as_slice()),
            (1, ["renamed".to_string()].as_slice())
        );
    }
    staff_db.cleanup().await;
}
