//! Backups prove themselves: counts and checksums per section and for the
//! whole file are checked before anything is written, so a backup with a
//! line removed, a byte flipped or a count changed restores nothing and says
//! where it is damaged. Backups written before checksums still restore.

use paradiplo_core::{AnyRecord, RecordKind, RecordState, Role};
use paradiplo_store::{Damage, Store, StoreError};
use paradiplo_testkit::{TestDb, backend_tests};
use serde_json::json;
use sqlx::Row;

/// A store with records, history and an account, and its backup.
async fn backup_of_a_small_registry(db: &TestDb) -> Vec<u8> {
    let store = Store::open(&db.url).await.unwrap();
    for (slug, name) in [("culture", "Culture"), ("education", "Éducation")] {
        store
            .create(
                AnyRecord::from_json(
                    RecordKind::Domain,
                    json!({"slug": slug, "name": {"fr": name, "en": name}}),
                )
                .unwrap(),
                RecordState::Published,
                "seed",
                "seed",
            )
            .await
            .unwrap();
    }
    store
        .create_user("ana@x.org", "$argon2id$unused", Role::Editor, "test")
        .await
        .unwrap();
    let mut out = Vec::new();
    store.backup(&mut out).await.unwrap();
    out
}

fn lines(backup: &[u8]) -> Vec<String> {
    String::from_utf8(backup.to_vec())
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

fn join(lines: &[String]) -> Vec<u8> {
    (lines.join("\n") + "\n").into_bytes()
}

/// Index of the first line of this table's section.
fn first_line_of(lines: &[String], table: &str) -> usize {
    let marker = format!("\"table\":\"{table}\"");
    lines.iter().position(|l| l.contains(&marker)).unwrap()
}

/// A new, empty database on the backend of `db`.
async fn fresh_like(db: &TestDb) -> TestDb {
    if db.url.starts_with("sqlite") {
        TestDb::sqlite()
    } else {
        TestDb::postgres("backup_integrity_target").await.unwrap()
    }
}

/// Restores into a fresh store of the same backend; the damage, and checks
/// that nothing at all was written.
async fn refused(like: &TestDb, damaged: &[u8]) -> paradiplo_store::BackupDamage {
    let db = fresh_like(like).await;
    let store = Store::open(&db.url).await.unwrap();
    let err = store.restore_backup(&mut &damaged[..]).await.unwrap_err();
    assert!(store.is_empty().await.unwrap());
    for table in ["users", "revisions", "records"] {
        let n: i64 = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}")))
            .fetch_one(store.pool())
            .await
            .unwrap()
            .try_get(0)
            .unwrap();
        assert_eq!(n, 0, "nothing written to {table}");
    }
    // The file check alone finds the same damage.
    let checked = paradiplo_store::verify_backup(&mut &damaged[..]).unwrap_err();
    store.close().await;
    db.cleanup().await;
    match (err, checked) {
        (StoreError::DamagedBackup(d), StoreError::DamagedBackup(c)) => {
            assert_eq!(d, c);
            d
        }
        (other, _) => panic!("not refused as damaged: {other}"),
    }
}

async fn an_intact_backup_verifies_and_restores(db: &TestDb) {
    let backup = backup_of_a_small_registry(db).await;
    let summary = paradiplo_store::verify_backup(&mut backup.as_slice()).unwrap();
    assert!(summary.checksummed);
    assert_eq!(summary.format, paradiplo_store::BACKUP_FORMAT);
    assert_eq!(summary.sections["records"], 2);
    assert_eq!(summary.sections["users"], 1);
    let target_db = fresh_like(db).await;
    let target = Store::open(&target_db.url).await.unwrap();
    let counts = target.restore_backup(&mut backup.as_slice()).await.unwrap();
    assert_eq!(counts.records, 2);
    target.close().await;
    target_db.cleanup().await;
}

async fn a_removed_line_is_refused_naming_its_section(db: &TestDb) {
    let mut l = lines(&backup_of_a_small_registry(db).await);
    let at = first_line_of(&l, "revisions");
    l.remove(at);
    let damage = refused(db, &join(&l)).await;
    assert_eq!(damage.section.as_deref(), Some("revisions"));
    assert!(
        matches!(damage.problem, Damage::SectionCount { announced, found } if announced == found + 1),
        "{damage:?}"
    );
    let fr = damage.message(paradiplo_core::Lang::Fr);
    assert!(fr.contains("section « revisions »"), "{fr}");
    assert!(fr.contains("rien n’a été restauré"), "{fr}");
    let en = damage.message(paradiplo_core::Lang::En);
    assert!(
        en.contains("section `revisions`") && en.contains("nothing was restored"),
        "{en}"
    );
}

async fn a_flipped_byte_is_refused_naming_its_section(db: &TestDb) {
    let original = backup_of_a_small_registry(db).await;
    let mut l = lines(&original);
    let first = first_line_of(&l, "records");
    let at = l
        .iter()
        .position(|x| x.contains("\"table\":\"records\"") && x.contains("Culture"))
        .unwrap();
    // Inside a value: the line is still valid JSON, only a checksum tells.
    l[at] = l[at].replacen("Culture", "Cultura", 1);
    let damage = refused(db, &join(&l)).await;
    assert_eq!(damage.section.as_deref(), Some("records"));
    assert!(
        matches!(damage.problem, Damage::SectionChecksum { .. }),
        "{damage:?}"
    );
    assert_eq!(damage.line, first + 1, "the section's first line");
    // A flip that breaks the line's form is reported at its line.
    let mut bytes = original.clone();
    let l2 = lines(&bytes);
    let at = first_line_of(&l2, "users");
    let offset: usize = l2[..at].iter().map(|x| x.len() + 1).sum();
    bytes[offset] ^= 0x01; // `{` becomes `z`
    let damage = refused(db, &bytes).await;
    assert_eq!(damage.line, at + 1);
    assert!(matches!(damage.problem, Damage::NotJson(_)), "{damage:?}");
}

async fn a_wrong_count_is_refused(db: &TestDb) {
    let original = backup_of_a_small_registry(db).await;
    let mut l = lines(&original);
    let last = l.len() - 1;
    let mut end: serde_json::Value = serde_json::from_str(&l[last]).unwrap();
    let rows = end["end"].as_u64().unwrap();
    end["end"] = json!(rows + 1);
    l[last] = end.to_string();
    let damage = refused(db, &join(&l)).await;
    assert_eq!(damage.line, last + 1);
    assert!(
        matches!(damage.problem, Damage::RowCount { announced, found } if announced == found + 1),
        "{damage:?}"
    );
    // A section count changed in the end line is refused too.
    let mut l = lines(&original);
    let mut end: serde_json::Value = serde_json::from_str(&l[last]).unwrap();
    end["sections"]["records"]["rows"] = json!(3);
    l[last] = end.to_string();
    let damage = refused(db, &join(&l)).await;
    assert_eq!(damage.section.as_deref(), Some("records"));
    // And a truncated file.
    let l = lines(&original);
    let damage = refused(db, &join(&l[..last])).await;
    assert_eq!(damage.problem, Damage::NoEndLine);
}

async fn a_backup_from_before_checksums_still_restores(db: &TestDb) {
    let mut l = lines(&backup_of_a_small_registry(db).await);
    // The same rows in the earlier format: another header, a bare end count.
    let last = l.len() - 1;
    l[0] = l[0].replace(paradiplo_store::BACKUP_FORMAT, "paradiplo-backup-2");
    l[last] = json!({"end": last - 1}).to_string();
    let old = join(&l);
    let summary = paradiplo_store::verify_backup(&mut old.as_slice()).unwrap();
    assert!(!summary.checksummed);
    let target_db = fresh_like(db).await;
    let target = Store::open(&target_db.url).await.unwrap();
    let counts = target.restore_backup(&mut old.as_slice()).await.unwrap();
    assert_eq!(counts.records, 2);
    target.close().await;
    target_db.cleanup().await;
    // Its line count is still checked.
    l.remove(1);
    let damage = refused(db, &join(&l)).await;
    assert!(
        matches!(damage.problem, Damage::RowCount { .. }),
        "{damage:?}"
    );
}

backend_tests!(
    an_intact_backup_verifies_and_restores,
    a_removed_line_is_refused_naming_its_section,
    a_flipped_byte_is_refused_naming_its_section,
    a_wrong_count_is_refused,
    a_backup_from_before_checksums_still_restores,
);
