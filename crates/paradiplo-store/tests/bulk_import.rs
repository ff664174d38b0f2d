//! The bulk import writes what writing each record through the write
//! service writes (records, revisions, audit lines), in batches and all or
//! nothing. Every test runs on SQLite and on PostgreSQL.

use paradiplo_core::{AnyRecord, Problem, RecordKind, RecordState, Role};
use paradiplo_store::{Actor, ImportItem, ImportReport, Store, StoreError, Visibility};
use paradiplo_testkit::{TestDb, backend_tests};
use serde_json::json;
use sqlx::Row;

/// More than two batches of the import (500 records each).
const PARTNERS: usize = 1_100;

fn record(kind: RecordKind, value: serde_json::Value) -> AnyRecord {
    AnyRecord::from_json(kind, value).expect("valid fixture")
}

fn partner(i: usize, summary: &str) -> AnyRecord {
    record(
        RecordKind::Partner,
        json!({
            "slug": format!("partenaire-{i:05}"),
            "name": {"fr": format!("Partenaire {i}"), "en": format!("Partner {i}")},
            "kind": "federated_state",
            "country": "DE",
            "subdivision": "DE-BY",
            "world_region": "western_europe",
            "domains": if i.is_multiple_of(2) { vec!["culture"] } else { vec!["culture", "economie"] },
            "summary": {"fr": format!("{summary} {i}."), "en": format!("{summary} {i}.")}
        }),
    )
}

fn item(record: AnyRecord, state: RecordState) -> ImportItem {
    ImportItem { record, state }
}

/// The first dataset: two domains and `PARTNERS` partners, some drafts.
fn first() -> Vec<ImportItem> {
    let mut items = vec![
        item(
            record(
                RecordKind::Domain,
                json!({"slug": "culture", "name": {"fr": "Culture", "en": "Culture"}}),
            ),
            RecordState::Published,
        ),
        item(
            record(
                RecordKind::Domain,
                json!({"slug": "economie", "name": {"fr": "Économie", "en": "Economy"}}),
            ),
            RecordState::Published,
        ),
    ];
    items.extend((0..PARTNERS).map(|i| {
        let state = match i % 7 {
            0 => RecordState::Draft,
            _ => RecordState::Published,
        };
        item(partner(i, "Partenaire numéro"), state)
    }));
    items
}

/// The second dataset: every third partner rewritten, every fifth
/// archived, every eleventh published from draft or sent back to draft,
/// the rest unchanged, and new partners.
fn second() -> Vec<ImportItem> {
    let mut items = first();
    for it in items.iter_mut().skip(2) {
        let AnyRecord::Partner(p) = &it.record else {
            unreachable!("partners after the domains")
        };
        let i: usize = p.slug.as_str()[11..].parse().unwrap();
        if i.is_multiple_of(3) {
            it.record = partner(i, "Partenaire réécrit");
        }
        if i.is_multiple_of(5) {
            it.state = RecordState::Archived;
        } else if i.is_multiple_of(11) {
            it.state = match it.state {
                RecordState::Draft => RecordState::Published,
                _ => RecordState::Draft,
            };
        }
    }
    items.extend(
        (PARTNERS..PARTNERS + 40).map(|i| item(partner(i, "Nouveau"), RecordState::Published)),
    );
    items
}

fn actor() -> Actor {
    Actor {
        name: "import".into(),
        role: Role::Admin,
        client: "import".into(),
    }
}

/// Writes each record through the write service, one write each: a new
/// record is created, a changed one updated from its current version.
async fn one_by_one(store: &Store, items: &[ImportItem], note: &str) -> ImportReport {
    let writer = store.writer();
    let mut report = ImportReport::default();
    for it in items {
        let (kind, slug) = (it.record.kind(), it.record.slug().as_str());
        match store.get(kind, slug, Visibility::All).await.unwrap() {
            None => {
                writer
                    .create(&actor(), it.record.clone(), it.state, note)
                    .await
                    .unwrap();
                report.created += 1;
            }
            Some(c) if c.record == it.record && c.state == it.state => report.unchanged += 1,
            Some(c) => {
                writer
                    .update(&actor(), it.record.clone(), Some(it.state), c.version, note)
                    .await
                    .unwrap();
                report.updated += 1;
            }
        }
    }
    report
}

/// Everything a write leaves, without the times (two runs differ there):
/// records (with whether the public "last updated" is the last write),
/// revisions and audit lines, each in a stable order.
async fn written(store: &Store) -> Vec<String> {
    let queries = [
        "SELECT kind || '/' || slug || ' v' || CAST(version AS TEXT) || ' ' || state || ' ' || \
         updated_by || ' ' || CASE WHEN public_changed_at = updated_at THEN 'moved' ELSE 'kept' END \
         || ' ' || body FROM records ORDER BY kind, slug",
        "SELECT kind || '/' || slug || ' v' || CAST(version AS TEXT) || ' ' || action || ' ' || \
         state || ' ' || author || ' ' || note || ' ' || body FROM revisions \
         ORDER BY kind, slug, version",
        "SELECT kind || '/' || slug || ' ' || actor || ' ' || action || ' ' || detail || ' ' || \
         client FROM audit_log ORDER BY kind, slug, id",
    ];
    let mut out = Vec::new();
    for sql in queries {
        for row in sqlx::query(sql).fetch_all(store.pool()).await.unwrap() {
            out.push(row.try_get::<String, _>(0).unwrap());
        }
        out.push("--".into());
    }
    out
}

async fn count(store: &Store, table: &str) -> i64 {
    let sql = format!("SELECT COUNT(*) FROM {table}");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .fetch_one(store.pool())
        .await
        .unwrap();
    row.try_get(0).unwrap()
}

/// A second, empty database on the same backend as `db`.
async fn another(db: &TestDb) -> TestDb {
    if db.url.starts_with("sqlite:") {
        TestDb::sqlite()
    } else {
        TestDb::postgres("bulk_import::another")
            .await
            .expect("PostgreSQL answered for the first database")
    }
}

async fn bulk_import_equals_record_by_record(db: &TestDb) {
    let other = another(db).await;
    let bulk = Store::open(&db.url).await.unwrap();
    let each = Store::open(&other.url).await.unwrap();
    for (items, note) in [(first(), "première"), (second(), "seconde")] {
        let by_bulk = bulk.import(items.clone(), vec![], "import", note).await;
        let by_each = one_by_one(&each, &items, note).await;
        assert_eq!(by_bulk.unwrap(), by_each, "{note}");
    }
    let (a, b) = (written(&bulk).await, written(&each).await);
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x, y);
    }
    // Every kind of write happened: creations, rewrites (public date
    // moved), state changes alone (kept), archives.
    assert_eq!(count(&bulk, "records").await, 2 + PARTNERS as i64 + 40);
    for wanted in [" v2 update ", " v2 archive ", "kept", "moved"] {
        assert!(a.iter().any(|l| l.contains(wanted)), "{wanted}");
    }
    bulk.close().await;
    each.close().await;
    other.cleanup().await;
}

/// Makes the database refuse the revision of one record, as a failure in
/// the middle of the import's second batch.
async fn refuse_revision_of(store: &Store, slug: &str) {
    let sql = if store.backend() == paradiplo_store::Backend::Sqlite {
        format!(
            "CREATE TRIGGER refuse_one BEFORE INSERT ON revisions WHEN NEW.slug = '{slug}' \
             BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
        )
    } else {
        format!(
            "CREATE FUNCTION refuse_one() RETURNS trigger AS $f$ BEGIN \
             IF NEW.slug = '{slug}' THEN RAISE EXCEPTION 'refused by the test'; END IF; \
             RETURN NEW; END $f$ LANGUAGE plpgsql; \
             CREATE TRIGGER refuse_one BEFORE INSERT ON revisions FOR EACH ROW \
             EXECUTE FUNCTION refuse_one()"
        )
    };
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
        .execute(store.pool())
        .await
        .unwrap();
}

async fn a_failed_import_writes_nothing(db: &TestDb) {
    let store = Store::open(&db.url).await.unwrap();
    store
        .import(first(), vec![], "import", "première")
        .await
        .unwrap();
    let before = written(&store).await;
    let tables = ["records", "revisions", "audit_log"];
    let mut counts = Vec::new();
    for t in tables {
        counts.push(count(&store, t).await);
    }

    // A record named twice is refused before anything is written.
    let mut twice = second();
    twice.push(twice[5].clone());
    let err = store.import(twice, vec![], "import", "deux fois").await;
    assert!(
        matches!(&err, Err(StoreError::Invalid(e))
            if e.len() == 1 && e[0].error.problem == Problem::Duplicate),
        "{err:?}"
    );

    // A failure in the second batch, after the first was written in the
    // same transaction, leaves nothing of either.
    refuse_revision_of(&store, "partenaire-01050").await;
    let err = store.import(second(), vec![], "import", "seconde").await;
    assert!(
        err.as_ref()
            .is_err_and(|e| e.to_string().contains("refused by the test")),
        "{err:?}"
    );
    assert_eq!(written(&store).await, before);
    for (t, n) in tables.iter().zip(&counts) {
        assert_eq!(count(&store, t).await, *n, "{t}");
    }
    store.close().await;
}

backend_tests!(
    bulk_import_equals_record_by_record,
    a_failed_import_writes_nothing
);
