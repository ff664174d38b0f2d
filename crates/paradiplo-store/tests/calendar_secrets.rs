//! One mechanism for calendar secrets (the deadlines calendar and the
//! follow-ups feed): hashed, one per account and feed, replaced by a new
//! one, dead with a disabled account; secrets of the two former tables move
//! over in migration 0009, and old backups holding either table restore.

use paradiplo_core::Role;
use paradiplo_store::{CALENDAR_TOKEN_PREFIX, CalendarFeed, Store};
use paradiplo_testkit::{TestDb, backend_tests};
use sqlx::Row;

async fn user(store: &Store, email: &str) -> i64 {
    store
        .create_user(email, "$argon2id$unused", Role::Editor, "test")
        .await
        .unwrap()
        .id
}

async fn owner(store: &Store, secret: &str, feed: CalendarFeed) -> Option<String> {
    store
        .calendar_secret_owner(secret, feed)
        .await
        .unwrap()
        .map(|u| u.email)
}

async fn secrets_are_hashed_per_feed_and_replaced(db: &TestDb) {
    let store = Store::open(&db.url).await.unwrap();
    let a = user(&store, "a@x.org").await;
    let b = user(&store, "b@x.org").await;
    assert_eq!(
        store
            .calendar_secret_issued(a, CalendarFeed::Deadlines)
            .await
            .unwrap(),
        None
    );
    let deadlines = store
        .issue_calendar_secret(a, CalendarFeed::Deadlines)
        .await
        .unwrap();
    let follow_ups = store
        .issue_calendar_secret(a, CalendarFeed::FollowUps)
        .await
        .unwrap();
    assert!(deadlines.starts_with(CALENDAR_TOKEN_PREFIX) && deadlines.len() == 68);
    assert_ne!(deadlines, follow_ups);
    // Each opens its own feed only.
    let a_email = Some("a@x.org".to_string());
    assert_eq!(
        owner(&store, &deadlines, CalendarFeed::Deadlines).await,
        a_email
    );
    assert_eq!(
        owner(&store, &follow_ups, CalendarFeed::FollowUps).await,
        a_email
    );
    assert_eq!(
        owner(&store, &deadlines, CalendarFeed::FollowUps).await,
        None
    );
    assert_eq!(
        owner(&store, &follow_ups, CalendarFeed::Deadlines).await,
        None
    );
    // Only digests are stored.
    let stored: Vec<String> = sqlx::query("SELECT token_hash FROM calendar_secrets ORDER BY feed")
        .fetch_all(store.pool())
        .await
        .unwrap()
        .iter()
        .map(|r| r.try_get(0).unwrap())
        .collect();
    assert_eq!(
        stored,
        [
            paradiplo_store::token_digest(&deadlines),
            paradiplo_store::token_digest(&follow_ups)
        ]
    );
    // A new secret replaces the old one; other people's are untouched.
    let other = store
        .issue_calendar_secret(b, CalendarFeed::FollowUps)
        .await
        .unwrap();
    let again = store
        .issue_calendar_secret(a, CalendarFeed::FollowUps)
        .await
        .unwrap();
    assert_eq!(
        owner(&store, &follow_ups, CalendarFeed::FollowUps).await,
        None
    );
    assert_eq!(
        owner(&store, &again, CalendarFeed::FollowUps).await,
        a_email
    );
    assert_eq!(
        owner(&store, &other, CalendarFeed::FollowUps).await,
        Some("b@x.org".to_string())
    );
    // Revoking one feed leaves the other.
    assert!(
        store
            .revoke_calendar_secret(a, CalendarFeed::FollowUps)
            .await
            .unwrap()
    );
    assert_eq!(owner(&store, &again, CalendarFeed::FollowUps).await, None);
    assert_eq!(
        owner(&store, &deadlines, CalendarFeed::Deadlines).await,
        a_email
    );
    // Unknown secrets name nobody.
    assert_eq!(
        owner(&store, "pdp_abc", CalendarFeed::Deadlines).await,
        None
    );
    let unknown = format!("{CALENDAR_TOKEN_PREFIX}00");
    assert_eq!(owner(&store, &unknown, CalendarFeed::Deadlines).await, None);
}

async fn a_disabled_account_s_secrets_stop_working(db: &TestDb) {
    let store = Store::open(&db.url).await.unwrap();
    let a = user(&store, "a@x.org").await;
    let deadlines = store
        .issue_calendar_secret(a, CalendarFeed::Deadlines)
        .await
        .unwrap();
    let follow_ups = store
        .issue_calendar_secret(a, CalendarFeed::FollowUps)
        .await
        .unwrap();
    store.set_user_disabled(a, true).await.unwrap();
    assert_eq!(
        owner(&store, &deadlines, CalendarFeed::Deadlines).await,
        None
    );
    assert_eq!(
        owner(&store, &follow_ups, CalendarFeed::FollowUps).await,
        None
    );
    store.set_user_disabled(a, false).await.unwrap();
    assert!(
        owner(&store, &deadlines, CalendarFeed::Deadlines)
            .await
            .is_some()
    );
}

/// A database at migration 0008, the last with the two separate tables.
async fn store_before_0009(db: &TestDb) -> Store {
    let store = Store::connect(&db.url).await.unwrap();
    let backend = if db.url.starts_with("sqlite") {
        "sqlite"
    } else {
        "postgres"
    };
    let source = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("migrations")
        .join(backend);
    let older = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(&source).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if name.as_str() < "0009" {
            std::fs::copy(&path, older.path().join(&name)).unwrap();
        }
    }
    sqlx::migrate::Migrator::new(older.path())
        .await
        .unwrap()
        .run(store.pool())
        .await
        .unwrap();
    store
}

async fn migration_moves_both_kinds_of_secret(db: &TestDb) {
    let store = store_before_0009(db).await;
    let a = user(&store, "a@x.org").await;
    // A deadlines secret as the web layer made them (bare hex) and a
    // follow-ups secret as the store made them (`pdc_…`, keyed by e-mail).
    let old_deadlines = "ab".repeat(32);
    let old_follow_ups = format!("{CALENDAR_TOKEN_PREFIX}{}", "cd".repeat(32));
    sqlx::query(
        "INSERT INTO calendar_tokens (user_id, token_hash, created_at) VALUES ($1, $2, $3)",
    )
    .bind(a)
    .bind(paradiplo_store::token_digest(&old_deadlines))
    .bind("2026-01-01T00:00:00Z")
    .execute(store.pool())
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO follow_up_feed_tokens (user_email, token_hash, created_at) VALUES ($1, $2, $3)",
    )
    .bind("a@x.org")
    .bind(paradiplo_store::token_digest(&old_follow_ups))
    .bind("2026-01-02T00:00:00Z")
    .execute(store.pool())
    .await
    .unwrap();
    store.migrate().await.unwrap();
    let a_email = Some("a@x.org".to_string());
    assert_eq!(
        owner(&store, &old_deadlines, CalendarFeed::Deadlines).await,
        a_email
    );
    assert_eq!(
        owner(&store, &old_follow_ups, CalendarFeed::FollowUps).await,
        a_email
    );
    assert_eq!(
        store
            .calendar_secret_issued(a, CalendarFeed::FollowUps)
            .await
            .unwrap()
            .as_deref(),
        Some("2026-01-02T00:00:00Z")
    );
}

async fn old_backups_with_either_table_restore(db: &TestDb) {
    let old_deadlines = "ef".repeat(32);
    let old_follow_ups = format!("{CALENDAR_TOKEN_PREFIX}{}", "01".repeat(32));
    // A backup in the format before checksums, with both former tables.
    let lines = [
        r#"{"format":"paradiplo-backup-2","schema":8,"created_at":"2026-01-01T00:00:00Z"}"#.to_string(),
        r#"{"table":"users","columns":["id","email","password_hash","role","disabled","created_at","created_by"],"row":[{"i":7},{"s":"a@x.org"},{"s":"$argon2id$unused"},{"s":"editor"},{"i":0},{"s":"2026-01-01T00:00:00Z"},{"s":"test"}]}"#.to_string(),
        format!(
            r#"{{"table":"calendar_tokens","columns":["user_id","token_hash","created_at"],"row":[{{"i":7}},{{"s":"{}"}},{{"s":"2026-01-01T00:00:00Z"}}]}}"#,
            paradiplo_store::token_digest(&old_deadlines)
        ),
        format!(
            r#"{{"table":"follow_up_feed_tokens","columns":["user_email","token_hash","created_at"],"row":[{{"s":"a@x.org"}},{{"s":"{}"}},{{"s":"2026-01-01T00:00:00Z"}}]}}"#,
            paradiplo_store::token_digest(&old_follow_ups)
        ),
        r#"{"end":3}"#.to_string(),
    ];
    let backup = lines.join("\n") + "\n";
    let store = Store::open(&db.url).await.unwrap();
    let summary = paradiplo_store::verify_backup(&mut backup.as_bytes()).unwrap();
    assert!(!summary.checksummed, "an old backup has no checksum");
    store.restore_backup(&mut backup.as_bytes()).await.unwrap();
    let a_email = Some("a@x.org".to_string());
    assert_eq!(
        owner(&store, &old_deadlines, CalendarFeed::Deadlines).await,
        a_email
    );
    assert_eq!(
        owner(&store, &old_follow_ups, CalendarFeed::FollowUps).await,
        a_email
    );
}

backend_tests!(
    secrets_are_hashed_per_feed_and_replaced,
    a_disabled_account_s_secrets_stop_working,
    migration_moves_both_kinds_of_secret,
    old_backups_with_either_table_restore,
);
