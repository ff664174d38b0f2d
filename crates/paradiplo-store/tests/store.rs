//! The storage contract: every test runs on SQLite and on PostgreSQL.

use paradiplo_core::{AnyRecord, Problem, RecordKind, RecordState};
use paradiplo_store::{
    Backend, BackupCounts, Blob, ImportItem, RevisionAction, Store, StoreError, Visibility,
};
use paradiplo_testkit::{TestDb, backend_tests};
use serde_json::json;

fn record(kind: RecordKind, value: serde_json::Value) -> AnyRecord {
    AnyRecord::from_json(kind, value).expect("valid fixture")
}

fn domain(slug: &str, fr: &str) -> AnyRecord {
    record(
        RecordKind::Domain,
        json!({"slug": slug, "name": {"fr": fr, "en": fr}}),
    )
}

fn partner(slug: &str, name_fr: &str, domains: &[&str]) -> AnyRecord {
    record(
        RecordKind::Partner,
        json!({
            "slug": slug,
            "name": {"fr": name_fr, "en": name_fr},
            "kind": "federated_state",
            "country": "DE",
            "subdivision": "DE-BY",
            "world_region": "western_europe",
            "domains": domains,
            "summary": {"fr": "Partenaire.", "en": "Partner."}
        }),
    )
}

async fn open(db: &TestDb) -> Store {
    Store::open(&db.url).await.expect("store opens")
}

async fn seeded(db: &TestDb) -> Store {
    let store = open(db).await;
    store
        .create(
            domain("culture", "Culture"),
            RecordState::Published,
            "test",
            "fixture",
        )
        .await
        .unwrap();
    store
        .create(
            partner("baviere", "Bavière", &["culture"]),
            RecordState::Published,
            "ana",
            "first",
        )
        .await
        .unwrap();
    store
}

async fn create_get_count(db: &TestDb) {
    let store = seeded(db).await;
    let got = store
        .get(RecordKind::Partner, "baviere", Visibility::Public)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(got.version, 1);
    assert_eq!(got.updated_by, "ana");
    assert_eq!(got.record.title().fr, "Bavière");
    let counts = store.counts(Visibility::Public).await.unwrap();
    assert_eq!(counts[&RecordKind::Partner], 1);
    assert_eq!(counts[&RecordKind::Domain], 1);
    assert_eq!(counts[&RecordKind::Agreement], 0);
    let again = store
        .create(
            partner("baviere", "Bavière", &[]),
            RecordState::Published,
            "ana",
            "dup",
        )
        .await;
    assert!(
        matches!(again, Err(StoreError::AlreadyExists { .. })),
        "{again:?}"
    );
    store.close().await;
}

async fn stale_version_is_refused_and_nothing_changes(db: &TestDb) {
    let store = seeded(db).await;
    let v2 = store
        .update(
            partner("baviere", "État libre de Bavière", &["culture"]),
            RecordState::Published,
            1,
            "ana",
            "full name",
        )
        .await
        .unwrap();
    assert_eq!(v2.version, 2);
    // Someone else still edits version 1.
    let stale = store
        .update(
            partner("baviere", "Bavaria", &[]),
            RecordState::Published,
            1,
            "bob",
            "late",
        )
        .await;
    match stale {
        Err(StoreError::Conflict {
            expected, current, ..
        }) => {
            assert_eq!((expected, current), (1, 2));
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
    let stored = store
        .get(RecordKind::Partner, "baviere", Visibility::All)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.version, 2);
    assert_eq!(stored.record.title().fr, "État libre de Bavière");
    assert_eq!(stored.updated_by, "ana");
    assert_eq!(
        store
            .history(RecordKind::Partner, "baviere")
            .await
            .unwrap()
            .len(),
        2
    );
    store.close().await;
}

async fn archive_instead_of_delete(db: &TestDb) {
    let store = seeded(db).await;
    let archived = store
        .archive(
            RecordKind::Partner,
            "baviere",
            1,
            "ana",
            "no longer a partner",
        )
        .await
        .unwrap();
    assert_eq!(archived.state, RecordState::Archived);
    assert!(
        store
            .get(RecordKind::Partner, "baviere", Visibility::Public)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        store
            .get(RecordKind::Partner, "baviere", Visibility::Staff)
            .await
            .unwrap()
            .is_none()
    );
    let kept = store
        .get(RecordKind::Partner, "baviere", Visibility::All)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(kept.version, 2);
    assert_eq!(
        store.counts(Visibility::Public).await.unwrap()[&RecordKind::Partner],
        0
    );
    let history = store.history(RecordKind::Partner, "baviere").await.unwrap();
    let actions: Vec<_> = history.iter().map(|r| r.action).collect();
    assert_eq!(actions, [RevisionAction::Create, RevisionAction::Archive]);
    assert_eq!(history[1].note, "no longer a partner");
    store.close().await;
}

async fn restore_an_earlier_version(db: &TestDb) {
    let store = seeded(db).await;
    store
        .update(
            partner("baviere", "Bavaria (wrong)", &[]),
            RecordState::Published,
            1,
            "bob",
            "oops",
        )
        .await
        .unwrap();
    let restored = store
        .restore(RecordKind::Partner, "baviere", 1, 2, "ana", "undo bob")
        .await
        .unwrap();
    assert_eq!(restored.version, 3);
    let current = store
        .get(RecordKind::Partner, "baviere", Visibility::Public)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(current.record, partner("baviere", "Bavière", &["culture"]));
    let v2 = store
        .revision(RecordKind::Partner, "baviere", 2)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        v2.record.title().fr,
        "Bavaria (wrong)",
        "earlier versions stay readable"
    );
    let history = store.history(RecordKind::Partner, "baviere").await.unwrap();
    assert_eq!(history.last().unwrap().action, RevisionAction::Restore);
    // Restoring an archived record publishes it again.
    store
        .archive(RecordKind::Partner, "baviere", 3, "ana", "archive")
        .await
        .unwrap();
    let back = store
        .restore(RecordKind::Partner, "baviere", 3, 4, "ana", "bring back")
        .await
        .unwrap();
    assert_eq!(back.state, RecordState::Published);
    assert!(
        store
            .get(RecordKind::Partner, "baviere", Visibility::Public)
            .await
            .unwrap()
            .is_some()
    );
    let missing = store
        .restore(RecordKind::Partner, "baviere", 99, 5, "ana", "?")
        .await;
    assert!(matches!(
        missing,
        Err(StoreError::VersionNotFound { version: 99, .. })
    ));
    store.close().await;
}

async fn invalid_records_are_refused(db: &TestDb) {
    let store = seeded(db).await;
    let bad = partner("vermont", "Vermont", &["no-such-domain"]);
    match store.create(bad, RecordState::Published, "ana", "x").await {
        Err(StoreError::Invalid(errors)) => {
            assert_eq!(errors.len(), 1);
            assert_eq!(errors[0].error.field, "domains[0]");
            assert_eq!(errors[0].error.value, "no-such-domain");
            assert!(matches!(
                errors[0].error.problem,
                Problem::UnknownReference { .. }
            ));
        }
        other => panic!("expected invalid, got {other:?}"),
    }
    assert!(
        store
            .get(RecordKind::Partner, "vermont", Visibility::All)
            .await
            .unwrap()
            .is_none()
    );
    store.close().await;
}

async fn import_is_all_or_nothing(db: &TestDb) {
    let store = open(db).await;
    let items = vec![
        ImportItem {
            record: domain("culture", "Culture"),
            state: RecordState::Published,
        },
        ImportItem {
            record: partner("baviere", "Bavière", &["culture"]),
            state: RecordState::Published,
        },
        ImportItem {
            record: partner("flandre", "Flandre", &["missing"]),
            state: RecordState::Published,
        },
    ];
    let result = store.import(items, vec![], "import", "bad batch").await;
    assert!(
        matches!(result, Err(StoreError::Invalid(ref e)) if e.len() == 1),
        "{result:?}"
    );
    assert!(store.is_empty().await.unwrap(), "nothing may be written");

    let blob = Blob {
        sha256: "ab".repeat(32),
        media_type: "application/pdf".into(),
        bytes: b"%PDF-1.4".to_vec(),
    };
    let good = vec![
        ImportItem {
            record: domain("culture", "Culture"),
            state: RecordState::Published,
        },
        ImportItem {
            record: partner("baviere", "Bavière", &["culture"]),
            state: RecordState::Draft,
        },
    ];
    let report = store
        .import(good.clone(), vec![blob.clone()], "import", "ok")
        .await
        .unwrap();
    assert_eq!(
        (
            report.created,
            report.updated,
            report.unchanged,
            report.files
        ),
        (2, 0, 0, 1)
    );
    let again = store
        .import(good, vec![blob.clone()], "import", "again")
        .await
        .unwrap();
    assert_eq!(
        (again.created, again.updated, again.unchanged, again.files),
        (0, 0, 2, 0)
    );
    let changed = vec![ImportItem {
        record: partner("baviere", "Bavière", &[]),
        state: RecordState::Published,
    }];
    let r = store
        .import(changed, vec![], "import", "change")
        .await
        .unwrap();
    assert_eq!(r.updated, 1);
    let p = store
        .get(RecordKind::Partner, "baviere", Visibility::Public)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(p.version, 2);
    assert_eq!(store.blob(&blob.sha256).await.unwrap().unwrap(), blob);
    store.close().await;
}

async fn backup_and_restore_round_trip(db: &TestDb) {
    let store = seeded(db).await;
    add_revisions_files_accounts_and_audit(&store).await;
    let mut dump = Vec::new();
    let counts = store.backup(&mut dump).await.unwrap();
    assert!(
        counts.other >= 3,
        "accounts, tokens and audit lines are backed up: {counts:?}"
    );
    assert_eq!((counts.records, counts.revisions, counts.files), (2, 3, 1));
    restore_into_sqlite_gives_the_same_store(&store, &dump, &counts).await;
    truncated_backup_restores_nothing(&dump).await;
    restore_into_the_same_backend_keeps_working(&store, &dump).await;
    store.close().await;
}

/// A second revision, a file, an account, a token and an audit line.
async fn add_revisions_files_accounts_and_audit(store: &Store) {
    store
        .update(
            partner("baviere", "Bavière 2", &[]),
            RecordState::Published,
            1,
            "ana",
            "v2",
        )
        .await
        .unwrap();
    store
        .put_blob(&Blob {
            sha256: "cd".repeat(32),
            media_type: "text/plain".into(),
            bytes: vec![0, 1, 2, 255],
        })
        .await
        .unwrap();
    // Accounts, tokens and the audit log are part of the registry's life too.
    store
        .create_user(
            "ana@example.org",
            "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaA",
            paradiplo_core::Role::Publisher,
            "test",
        )
        .await
        .unwrap();
    store
        .create_token("export-bot", paradiplo_core::Role::Reader, "test")
        .await
        .unwrap();
    store
        .audit(paradiplo_store::NewAudit {
            actor: "ana@example.org",
            action: "publish",
            kind: "partner",
            slug: "baviere",
            detail: "version 2",
            client: "127.0.0.1",
        })
        .await
        .unwrap();
}

/// Restore into a fresh SQLite database, whatever the source backend.
async fn restore_into_sqlite_gives_the_same_store(
    store: &Store,
    dump: &[u8],
    counts: &BackupCounts,
) {
    let target_db = TestDb::sqlite();
    let target = open(&target_db).await;
    let restored = target.restore_backup(&mut &dump[..]).await.unwrap();
    assert_eq!(&restored, counts);
    assert_eq!(
        target.all(Visibility::All).await.unwrap(),
        store.all(Visibility::All).await.unwrap()
    );
    assert_eq!(target.users().await.unwrap(), store.users().await.unwrap());
    assert_eq!(
        target.tokens().await.unwrap(),
        store.tokens().await.unwrap()
    );
    let everything = paradiplo_store::AuditFilter {
        limit: 100,
        ..Default::default()
    };
    assert_eq!(
        target.audit_log(&everything).await.unwrap(),
        store.audit_log(&everything).await.unwrap()
    );
    assert_eq!(
        target
            .history(RecordKind::Partner, "baviere")
            .await
            .unwrap(),
        store.history(RecordKind::Partner, "baviere").await.unwrap()
    );
    // The restored store keeps working: new revisions get new ids.
    target
        .update(
            partner("baviere", "Bavière 3", &[]),
            RecordState::Published,
            2,
            "ana",
            "v3",
        )
        .await
        .unwrap();
    assert!(matches!(
        target.restore_backup(&mut &dump[..]).await,
        Err(StoreError::NotEmpty(_))
    ));
}

/// A truncated backup restores nothing.
async fn truncated_backup_restores_nothing(dump: &[u8]) {
    let cut = &dump[..dump.len() - 20];
    let empty_db = TestDb::sqlite();
    let empty = open(&empty_db).await;
    assert!(empty.restore_backup(&mut &cut[..]).await.is_err());
    assert!(empty.is_empty().await.unwrap());
}

/// Restore into the same backend as the source; new revisions follow.
async fn restore_into_the_same_backend_keeps_working(store: &Store, dump: &[u8]) {
    let again_store = match store.backend() {
        Backend::Postgres => TestDb::postgres("backup_same_backend").await,
        Backend::Sqlite => Some(TestDb::sqlite()),
    };
    if let Some(again_db) = again_store {
        let again = open(&again_db).await;
        again.restore_backup(&mut &dump[..]).await.unwrap();
        again
            .update(
                partner("baviere", "Bavière 3", &[]),
                RecordState::Published,
                2,
                "ana",
                "v3",
            )
            .await
            .unwrap();
        assert_eq!(
            again
                .history(RecordKind::Partner, "baviere")
                .await
                .unwrap()
                .len(),
            3
        );
        again.close().await;
        again_db.cleanup().await;
    }
}

async fn change_feed_follows_revisions(db: &TestDb) {
    let store = seeded(db).await;
    let all = store.revisions_since(0, 100).await.unwrap();
    assert_eq!(all.len(), 2);
    let after = store.revisions_since(all[0].id, 100).await.unwrap();
    assert_eq!(after.len(), 1);
    assert_eq!(after[0].slug, "baviere");
    assert_eq!(store.last_revision_id().await.unwrap(), after[0].id);
    assert!(
        store
            .last_updated(Visibility::Public)
            .await
            .unwrap()
            .is_some()
    );
    store.close().await;
}

async fn settings_and_migrations(db: &TestDb) {
    let store = open(db).await;
    store.migrate().await.unwrap(); // applying again is a no-op
    // The newest migration shipped, whatever other migrations are added.
    let latest: i64 = Store::migration_names(store.backend())
        .last()
        .and_then(|n| n.split('_').next())
        .and_then(|v| v.parse().ok())
        .unwrap();
    assert!(latest >= 6, "migrations up to 0006 are shipped");
    assert_eq!(store.schema_version().await.unwrap(), latest);
    assert_eq!(store.setting("seeded").await.unwrap(), None);
    store.set_setting("seeded", "quebec").await.unwrap();
    store.set_setting("seeded", "quebec-2").await.unwrap();
    assert_eq!(
        store.setting("seeded").await.unwrap().as_deref(),
        Some("quebec-2")
    );
    store.close().await;
}

async fn confidential_kinds_never_reach_the_public(db: &TestDb) {
    let store = seeded(db).await;
    let person = record(
        RecordKind::Person,
        json!({"slug": "michel-audet", "name": {"fr": "Michel Audet"}}),
    );
    let activity = record(
        RecordKind::Activity,
        json!({
            "slug": "mission-munich", "title": {"fr": "Mission à Munich (confidentiel)", "en": "Mission to Munich"},
            "kind": "mission", "status": "held", "start": "2026-10-05", "partners": ["baviere"],
            "participants": [{"person": "michel-audet", "role": {"fr": "Chef de mission", "en": "Head"}}],
            "subject": {"fr": "Énergie", "en": "Energy"},
            "public_summary": {"fr": "Mission économique en Bavière.", "en": "Economic mission to Bavaria."}
        }),
    );
    let follow_up = record(
        RecordKind::FollowUp,
        json!({"slug": "envoyer-compte-rendu", "title": {"fr": "Envoyer le compte rendu"}, "activity": "mission-munich",
               "owner": "ana@example.org", "due": "2026-10-20", "state": "open"}),
    );
    for r in [person, activity, follow_up] {
        store
            .create(r, RecordState::Published, "ana", "confidential")
            .await
            .unwrap();
    }
    for kind in RecordKind::CONFIDENTIAL {
        assert!(
            store
                .list(kind, Visibility::Public)
                .await
                .unwrap()
                .is_empty(),
            "{kind} listed publicly"
        );
        assert_eq!(
            store.list(kind, Visibility::Staff).await.unwrap().len(),
            1,
            "{kind} visible to staff"
        );
        assert_eq!(store.counts(Visibility::Public).await.unwrap()[&kind], 0);
    }
    assert!(
        store
            .get(RecordKind::Activity, "mission-munich", Visibility::Public)
            .await
            .unwrap()
            .is_none()
    );
    let public = store.registry(Visibility::Public).await.unwrap();
    assert!(public.iter().all(|r| !r.kind().is_confidential()));
    let summaries = store.public_activities().await.unwrap();
    assert_eq!(summaries.len(), 1);
    assert_eq!(summaries[0].summary.fr, "Mission économique en Bavière.");
    assert_eq!(summaries[0].partners[0].as_str(), "baviere");
    store.close().await;
}

/// A staff note is kept for staff and exports (`Staff`, `All`, history) and
/// never read at `Public`, nor in the public change feed or the revisions
/// indexes follow; a change of the note alone does not move the public
/// "last updated".
async fn staff_notes_are_staff_only(db: &TestDb) {
    let store = open(db).await;
    let mut value = partner("baviere", "Bavière", &[]).to_json();
    value["staff_note"] = json!("Date de signature à confirmer.");
    let noted = record(RecordKind::Partner, value);
    let created = store
        .create(noted.clone(), RecordState::Published, "t", "create")
        .await
        .unwrap();
    for visibility in [Visibility::Staff, Visibility::All] {
        let got = store
            .get(RecordKind::Partner, "baviere", visibility)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            got.record.staff_note(),
            Some("Date de signature à confirmer.")
        );
    }
    let public = store
        .get(RecordKind::Partner, "baviere", Visibility::Public)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(public.record.staff_note(), None);
    assert_eq!(public.record, noted.clone().for_public());
    for list in [
        store
            .list(RecordKind::Partner, Visibility::Public)
            .await
            .unwrap(),
        store.all(Visibility::Public).await.unwrap(),
    ] {
        assert!(list.iter().all(|r| r.record.staff_note().is_none()));
    }
    let reg = store.registry(Visibility::Public).await.unwrap();
    assert!(reg.iter().all(|r| r.staff_note().is_none()));
    // The note alone changes: the public date stays.
    let mut changed = noted.clone();
    *changed.staff_note_mut() = Some("Signée le 10 mai 1989 (communiqué).".into());
    let updated = store
        .update(changed, RecordState::Published, 1, "t", "note")
        .await
        .unwrap();
    assert_eq!(updated.public_changed_at, created.public_changed_at);
    let feed = store.published_changes(10).await.unwrap();
    assert!(!feed.is_empty());
    assert!(feed.iter().all(|r| r.record.staff_note().is_none()));
    let since = store.revisions_since(0, 10).await.unwrap();
    assert!(since.iter().all(|r| r.record.staff_note().is_none()));
    // The staff history keeps every note.
    let history = store.history(RecordKind::Partner, "baviere").await.unwrap();
    assert!(history.iter().all(|r| r.record.staff_note().is_some()));
    store.close().await;
}

backend_tests!(
    staff_notes_are_staff_only,
    confidential_kinds_never_reach_the_public,
    create_get_count,
    stale_version_is_refused_and_nothing_changes,
    archive_instead_of_delete,
    restore_an_earlier_version,
    invalid_records_are_refused,
    import_is_all_or_nothing,
    backup_and_restore_round_trip,
    change_feed_follows_revisions,
    settings_and_migrations,
);

// Calendar secrets: tests/calendar_secrets.rs.

#[test]
fn migrations_are_in_step_across_backends() {
    assert_eq!(
        Store::migration_names(Backend::Sqlite),
        Store::migration_names(Backend::Postgres)
    );
    assert!(!Store::migration_names(Backend::Sqlite).is_empty());
}

#[test]
fn urls_choose_the_backend() {
    assert_eq!(Backend::from_url("sqlite://x.db").unwrap(), Backend::Sqlite);
    assert_eq!(
        Backend::from_url("postgres://u@h/db").unwrap(),
        Backend::Postgres
    );
    let err = Backend::from_url("mysql://root:secret@h/db")
        .unwrap_err()
        .to_string();
    assert!(err.contains("sqlite://"), "{err}");
    assert!(
        !err.contains("secret"),
        "passwords never appear in messages: {err}"
    );
}

mod feedback {
    use paradiplo_store::{
        FeedbackAnswer, FeedbackFilter, FeedbackTriage, NewFeedback, Store, StoreError,
        TriageStatus,
    };
    use paradiplo_testkit::{TestDb, backend_tests};

    fn new(path: &str, answer: FeedbackAnswer) -> NewFeedback {
        NewFeedback {
            path: path.into(),
            section: path
                .trim_start_matches('/')
                .split('/')
                .next()
                .unwrap()
                .into(),
            lang: "fr".into(),
            answer,
            reason: None,
            comment: None,
        }
    }

    async fn insert_list_count_and_triage(db: &TestDb) {
        let store = Store::open(&db.url).await.unwrap();
        let unclear = insert_three_answers(&store).await;
        lists_and_counts_follow_filters(&store).await;
        counts_by_page_and_day_follow_dates(&store).await;
        triage_sets_status_owner_and_due_date(&store, unclear).await;
        store.close().await;
    }

    /// Two answers on one page, one on another; returns the id of the
    /// answer with a reason and a comment.
    async fn insert_three_answers(store: &Store) -> i64 {
        let a = store
            .insert_feedback(&new("/partenaires", FeedbackAnswer::Yes))
            .await
            .unwrap();
        let mut no = new("/partenaires", FeedbackAnswer::No);
        no.reason = Some("unclear".into());
        no.comment = Some("Trop long".into());
        let b = store.insert_feedback(&no).await.unwrap();
        store
            .insert_feedback(&new("/ententes", FeedbackAnswer::No))
            .await
            .unwrap();
        assert!(b.id > a.id);
        assert_eq!(b.status, TriageStatus::New);
        assert_eq!(b.comment.as_deref(), Some("Trop long"));
        b.id
    }

    async fn lists_and_counts_follow_filters(store: &Store) {
        let all = store
            .list_feedback(&FeedbackFilter::default(), 10, 0)
            .await
            .unwrap();
        assert_eq!(all.len(), 3);
        let on_page = FeedbackFilter {
            path: Some("/partenaires".into()),
            ..Default::default()
        };
        assert_eq!(store.count_feedback(&on_page).await.unwrap(), 2);
        let only_no = FeedbackFilter {
            answer: Some(FeedbackAnswer::No),
            ..Default::default()
        };
        assert_eq!(store.list_feedback(&only_no, 10, 0).await.unwrap().len(), 2);
        assert_eq!(store.list_feedback(&only_no, 1, 1).await.unwrap().len(), 1);
    }

    /// Counts per page and per day, and the date range filter.
    async fn counts_by_page_and_day_follow_dates(store: &Store) {
        let per_page = store
            .feedback_counts_by_page(&FeedbackFilter::default())
            .await
            .unwrap();
        assert_eq!(per_page[0].key, "/partenaires");
        assert_eq!((per_page[0].yes, per_page[0].no), (1, 1));
        assert_eq!((per_page[1].yes, per_page[1].no), (0, 1));
        let per_day = store
            .feedback_counts_by_day(&FeedbackFilter::default())
            .await
            .unwrap();
        assert_eq!(per_day.len(), 1);
        assert_eq!((per_day[0].yes, per_day[0].no), (1, 2));
        let today = per_day[0].key.clone();
        let in_range = FeedbackFilter {
            from: Some(today.clone()),
            to: Some(today.clone()),
            ..Default::default()
        };
        assert_eq!(store.count_feedback(&in_range).await.unwrap(), 3);
        let before = FeedbackFilter {
            to: Some("2000-01-01".into()),
            ..Default::default()
        };
        assert_eq!(store.count_feedback(&before).await.unwrap(), 0);
        let bad = FeedbackFilter {
            from: Some("hier".into()),
            ..Default::default()
        };
        assert!(matches!(
            store.count_feedback(&bad).await,
            Err(StoreError::InvalidFeedback(m)) if m.contains("from") && m.contains("hier")
        ));
    }

    /// Triage of one answer; an unknown id is an error.
    async fn triage_sets_status_owner_and_due_date(store: &Store, id: i64) {
        let t = store
            .triage_feedback(
                id,
                &FeedbackTriage {
                    status: TriageStatus::Actionable,
                    owner: Some("ana@example.org".into()),
                    due_date: Some("2030-01-31".into()),
                },
            )
            .await
            .unwrap();
        assert_eq!(t.status, TriageStatus::Actionable);
        assert_eq!(t.due_date.as_deref(), Some("2030-01-31"));
        assert!(t.triaged_at.is_some());
        let open = FeedbackFilter {
            status: Some(TriageStatus::New),
            ..Default::default()
        };
        assert_eq!(store.count_feedback(&open).await.unwrap(), 2);
        assert!(
            store
                .triage_feedback(
                    9999,
                    &FeedbackTriage {
                        status: TriageStatus::Resolved,
                        owner: None,
                        due_date: None
                    }
                )
                .await
                .is_err()
        );
    }

    async fn bad_feedback_is_refused(db: &TestDb) {
        let store = Store::open(&db.url).await.unwrap();
        let mut f = new("/partenaires", FeedbackAnswer::No);
        f.comment = Some("x".repeat(paradiplo_store::FEEDBACK_COMMENT_MAX + 1));
        let err = store.insert_feedback(&f).await.unwrap_err().to_string();
        assert!(err.contains("comment"), "{err}");
        let mut f = new("/partenaires", FeedbackAnswer::Yes);
        f.path = "https://example.org/".into();
        let err = store.insert_feedback(&f).await.unwrap_err().to_string();
        assert!(
            err.contains("path") && err.contains("https://example.org/"),
            "{err}"
        );
        assert_eq!(
            store
                .count_feedback(&FeedbackFilter::default())
                .await
                .unwrap(),
            0
        );
        store.close().await;
    }

    async fn change_token_moves_with_writes(db: &TestDb) {
        let store = Store::open(&db.url).await.unwrap();
        let t0 = store.change_token().await.unwrap();
        let domain = paradiplo_core::AnyRecord::from_json(
            paradiplo_core::RecordKind::Domain,
            serde_json::json!({"slug": "culture", "name": {"fr": "Culture", "en": "Culture"}}),
        )
        .unwrap();
        store
            .create(domain, paradiplo_core::RecordState::Published, "t", "n")
            .await
            .unwrap();
        assert!(store.change_token().await.unwrap() > t0);
        store.close().await;
    }

    backend_tests!(
        insert_list_count_and_triage,
        bad_feedback_is_refused,
        change_token_moves_with_writes
    );
}
