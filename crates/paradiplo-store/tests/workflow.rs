//! The publishing workflow and the account tables, on SQLite and PostgreSQL.

use paradiplo_core::{AnyRecord, RecordKind, RecordState, Role, Text};
use paradiplo_store::{
    AuditFilter, DraftStatus, EditBase, NewAudit, PublishRequest, Refusal, Store, StoreError,
    Visibility,
};
use paradiplo_testkit::{TestDb, backend_tests};
use serde_json::json;

fn partner(slug: &str, name_fr: &str, summary: &str) -> AnyRecord {
    AnyRecord::from_json(
        RecordKind::Partner,
        json!({
            "slug": slug,
            "name": {"fr": name_fr, "en": name_fr},
            "kind": "federated_state",
            "country": "DE",
            "subdivision": "DE-BY",
            "world_region": "western_europe",
            "summary": {"fr": summary, "en": "Partner."}
        }),
    )
    .unwrap()
}

const T0: &str = "2030-01-01T10:00:00.000000Z";
const T1: &str = "2030-01-02T10:00:00.000000Z";
const T2: &str = "2030-01-03T10:00:00.000000Z";

async fn published(db: &TestDb) -> Store {
    let store = Store::open(&db.url).await.unwrap();
    store
        .create(
            partner("baviere", "Bavière", "Partenaire depuis 1989."),
            RecordState::Published,
            "seed",
            "seed",
        )
        .await
        .unwrap();
    store
}

fn base(v: Option<i64>, d: Option<i64>) -> EditBase {
    EditBase {
        record_version: v,
        draft_revision: d,
    }
}

fn req<'a>(revision: i64, by: &'a str, now: &'a str) -> PublishRequest<'a> {
    PublishRequest {
        revision,
        by,
        force_reason: None,
        public_note: None,
        now,
    }
}

async fn drafts_are_invisible_until_published_by_a_second_person(db: &TestDb) {
    let store = published(db).await;
    let d = store
        .save_draft(
            partner(
                "baviere",
                "État libre de Bavière",
                "Partenaire depuis 1989.",
            ),
            base(Some(1), None),
            "ed@x.org",
            "full name",
            T0,
        )
        .await
        .unwrap();
    assert_eq!((d.revision, d.base_version), (1, Some(1)));
    // The public still reads version 1.
    let public = store
        .get(RecordKind::Partner, "baviere", Visibility::Public)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(public.record.title().fr, "Bavière");
    // Not submitted: refused; the editor cannot publish their own work either.
    let r = store
        .publish_draft(RecordKind::Partner, "baviere", req(1, "pub@x.org", T1))
        .await;
    assert!(
        matches!(r, Err(StoreError::Refused(Refusal::NotSubmitted))),
        "{r:?}"
    );
    store
        .submit_draft(RecordKind::Partner, "baviere", 1, "ed@x.org", T0)
        .await
        .unwrap();
    let r = store
        .publish_draft(RecordKind::Partner, "baviere", req(1, "ed@x.org", T1))
        .await;
    assert!(
        matches!(r, Err(StoreError::Refused(Refusal::SameEditor))),
        "{r:?}"
    );
    // Substantive change: a public note is required.
    let r = store
        .publish_draft(RecordKind::Partner, "baviere", req(1, "pub@x.org", T1))
        .await;
    assert!(
        matches!(r, Err(StoreError::Refused(Refusal::PublicNoteRequired))),
        "{r:?}"
    );
    let p = store
        .publish_draft(
            RecordKind::Partner,
            "baviere",
            PublishRequest {
                public_note: Some(Text::new("Nom complet.", "Full name.")),
                ..req(1, "pub@x.org", T1)
            },
        )
        .await
        .unwrap();
    assert!(p.substantive && p.forced_reason.is_none());
    assert_eq!(p.version, 2);
    let public = store
        .get(RecordKind::Partner, "baviere", Visibility::Public)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(public.record.title().fr, "État libre de Bavière");
    assert_eq!(public.public_changed_at, T1);
    assert!(
        store
            .draft(RecordKind::Partner, "baviere")
            .await
            .unwrap()
            .is_none()
    );
    let history = store.history(RecordKind::Partner, "baviere").await.unwrap();
    assert_eq!(history[1].note, "full name");
    assert_eq!(history[1].author, "pub@x.org");
    assert_eq!(
        store
            .public_changes(RecordKind::Partner, "baviere")
            .await
            .unwrap()
            .len(),
        1
    );
    store.close().await;
}

async fn a_minor_fix_does_not_move_last_updated(db: &TestDb) {
    let store = published(db).await;
    let before = store
        .get(RecordKind::Partner, "baviere", Visibility::Public)
        .await
        .unwrap()
        .unwrap()
        .public_changed_at;
    store
        .save_draft(
            partner("baviere", "Bavière", "Partenaire  depuis 1989 ."),
            base(Some(1), None),
            "ed@x.org",
            "typo",
            T0,
        )
        .await
        .unwrap();
    // Forced: reason given, no submission needed, no public note needed.
    let p = store
        .publish_draft(
            RecordKind::Partner,
            "baviere",
            PublishRequest {
                force_reason: Some("urgent typo"),
                ..req(1, "ed@x.org", T1)
            },
        )
        .await
        .unwrap();
    assert!(!p.substantive);
    assert_eq!(p.forced_reason.as_deref(), Some("urgent typo"));
    let after = store
        .get(RecordKind::Partner, "baviere", Visibility::Public)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(after.version, 2);
    assert_eq!(after.public_changed_at, before);
    // Listed for review; its publisher cannot review it.
    let to_review = store.forced_to_review().await.unwrap();
    assert_eq!(to_review.len(), 1);
    let r = store
        .review_publication(to_review[0].id, "ed@x.org", T2)
        .await;
    assert!(matches!(r, Err(StoreError::Refused(Refusal::SameReviewer))));
    store
        .review_publication(to_review[0].id, "pub@x.org", T2)
        .await
        .unwrap();
    assert!(store.forced_to_review().await.unwrap().is_empty());
    store.close().await;
}

async fn stale_draft_saves_are_refused(db: &TestDb) {
    let store = published(db).await;
    store
        .save_draft(
            partner("baviere", "A", "S."),
            base(Some(1), None),
            "a@x.org",
            "a",
            T0,
        )
        .await
        .unwrap();
    // A second editor opened the form before the first save.
    let r = store
        .save_draft(
            partner("baviere", "B", "S."),
            base(Some(1), None),
            "b@x.org",
            "b",
            T0,
        )
        .await;
    assert!(matches!(r, Err(StoreError::DraftConflict { .. })), "{r:?}");
    let d = store
        .draft(RecordKind::Partner, "baviere")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(d.record.title().fr, "A");
    // Saving against the new revision works and sends the draft back to writing.
    store
        .submit_draft(RecordKind::Partner, "baviere", 1, "a@x.org", T0)
        .await
        .unwrap();
    let d = store
        .save_draft(
            partner("baviere", "B", "S."),
            base(Some(1), Some(1)),
            "b@x.org",
            "b",
            T0,
        )
        .await
        .unwrap();
    assert_eq!((d.revision, d.status), (2, DraftStatus::Draft));
    assert_eq!(d.notes.len(), 2);
    // New records cannot take a used slug.
    let r = store
        .save_draft(
            partner("baviere", "C", "S."),
            EditBase::default(),
            "c@x.org",
            "c",
            T0,
        )
        .await;
    assert!(matches!(r, Err(StoreError::AlreadyExists { .. })), "{r:?}");
    // Invalid drafts are refused with field errors.
    let mut bad = partner("saxe", "Saxe", "S.").to_json();
    bad["name"]["fr"] = json!("");
    let r = store
        .save_draft(
            AnyRecord::from_json(RecordKind::Partner, bad).unwrap(),
            EditBase::default(),
            "c@x.org",
            "new",
            T0,
        )
        .await;
    match r {
        Err(StoreError::Invalid(errors)) => assert_eq!(errors[0].error.field, "name.fr"),
        other => panic!("{other:?}"),
    }
    store.close().await;
}

async fn scheduled_publication_runs_when_due(db: &TestDb) {
    let store = Store::open(&db.url).await.unwrap();
    store
        .save_draft(
            partner("saxe", "Saxe", "Nouveau."),
            EditBase::default(),
            "ed@x.org",
            "new",
            T0,
        )
        .await
        .unwrap();
    store
        .submit_draft(RecordKind::Partner, "saxe", 1, "ed@x.org", T0)
        .await
        .unwrap();
    let r = store
        .schedule_draft(
            RecordKind::Partner,
            "saxe",
            1,
            T0,
            "pub@x.org",
            None,
            None,
            T1,
        )
        .await;
    assert!(matches!(
        r,
        Err(StoreError::Refused(Refusal::ScheduleInPast))
    ));
    store
        .schedule_draft(
            RecordKind::Partner,
            "saxe",
            1,
            T2,
            "pub@x.org",
            None,
            None,
            T0,
        )
        .await
        .unwrap();
    assert!(store.publish_due(T1).await.unwrap().is_empty());
    assert!(
        store
            .get(RecordKind::Partner, "saxe", Visibility::Public)
            .await
            .unwrap()
            .is_none()
    );
    let done = store.publish_due(T2).await.unwrap();
    assert_eq!(done.len(), 1);
    let p = done[0].2.as_ref().unwrap();
    assert_eq!((p.version, p.published_by.as_str()), (1, "pub@x.org"));
    let public = store
        .get(RecordKind::Partner, "saxe", Visibility::Public)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(public.public_changed_at, T2);
    assert!(store.publish_due(T2).await.unwrap().is_empty());
    store.close().await;
}

async fn restore_needs_a_public_note_when_substantive(db: &TestDb) {
    let store = published(db).await;
    store
        .update(
            partner("baviere", "Bavaria", "Autre."),
            RecordState::Published,
            1,
            "x",
            "oops",
        )
        .await
        .unwrap();
    let r = store
        .restore_version(
            RecordKind::Partner,
            "baviere",
            1,
            2,
            "pub@x.org",
            "undo",
            None,
            T1,
        )
        .await;
    assert!(matches!(
        r,
        Err(StoreError::Refused(Refusal::PublicNoteRequired))
    ));
    let p = store
        .restore_version(
            RecordKind::Partner,
            "baviere",
            1,
            2,
            "pub@x.org",
            "undo",
            Some(Text::new("Retour.", "Back.")),
            T1,
        )
        .await
        .unwrap();
    assert_eq!(p.version, 3);
    let r = store
        .restore_version(
            RecordKind::Partner,
            "baviere",
            1,
            2,
            "pub@x.org",
            "again",
            None,
            T1,
        )
        .await;
    assert!(matches!(r, Err(StoreError::Conflict { .. })), "{r:?}");
    store.close().await;
}

async fn accounts_sessions_and_audit(db: &TestDb) {
    let store = Store::open(&db.url).await.unwrap();
    let user = emails_are_normalised_and_unique(&store).await;
    sessions_end_when_expired_idle_or_disabled(&store, user).await;
    login_failures_are_counted(&store).await;
    audit_log_filters_by_actor_and_date(&store).await;
    store.close().await;
}

/// Creates ana@example.org (an editor) and returns her id.
async fn emails_are_normalised_and_unique(store: &Store) -> i64 {
    let u = store
        .create_user(" Ana@Example.org ", "$hash", Role::Editor, "cli")
        .await
        .unwrap();
    assert_eq!(u.email, "ana@example.org");
    assert!(matches!(
        store
            .create_user("ana@example.org", "h", Role::Admin, "cli")
            .await,
        Err(StoreError::EmailTaken(_))
    ));
    assert!(matches!(
        store.create_user("nope", "h", Role::Admin, "cli").await,
        Err(StoreError::InvalidEmail(_))
    ));
    let (found, hash) = store
        .user_with_hash("ANA@example.org")
        .await
        .unwrap()
        .unwrap();
    assert_eq!((found.id, hash.as_str()), (u.id, "$hash"));
    u.id
}

async fn sessions_end_when_expired_idle_or_disabled(store: &Store, user: i64) {
    store
        .create_session("h1", user, "tok", T0, T2, "127.0.0.1")
        .await
        .unwrap();
    let s = store
        .session("h1", T1, "2029-12-31")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (s.user.email.as_str(), s.csrf.as_str()),
        ("ana@example.org", "tok")
    );
    // Expired, idle, or unknown: no session.
    assert!(store.session("h1", T2, "2029").await.unwrap().is_none());
    assert!(store.session("h1", T1, T1).await.unwrap().is_none());
    assert!(store.session("nope", T1, T0).await.unwrap().is_none());
    // Disabling ends the sessions.
    store.set_user_disabled(user, true).await.unwrap();
    assert!(store.session("h1", T1, "2000").await.unwrap().is_none());
}

/// Consecutive failures reset on success; per-client failures do not.
async fn login_failures_are_counted(store: &Store) {
    for _ in 0..3 {
        store
            .record_login_attempt("ana@example.org", "c1", false, T0)
            .await
            .unwrap();
    }
    assert_eq!(
        store
            .consecutive_failures("ana@example.org", 10)
            .await
            .unwrap()
            .0,
        3
    );
    store
        .record_login_attempt("ana@example.org", "c1", true, T0)
        .await
        .unwrap();
    store
        .record_login_attempt("ana@example.org", "c1", false, T1)
        .await
        .unwrap();
    let (n, newest) = store
        .consecutive_failures("ana@example.org", 10)
        .await
        .unwrap();
    assert_eq!((n, newest.as_deref()), (1, Some(T1)));
    assert_eq!(store.client_failures("c1", "2000").await.unwrap(), 4);
}

async fn audit_log_filters_by_actor_and_date(store: &Store) {
    for (actor, kind) in [("a@x.org", "partner"), ("b@x.org", "agreement")] {
        store
            .audit(NewAudit {
                actor,
                action: "draft_save",
                kind,
                slug: "s",
                detail: "d",
                client: "c",
            })
            .await
            .unwrap();
    }
    let all = store.audit_log(&AuditFilter::default()).await.unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].actor, "b@x.org", "newest first");
    let some = store
        .audit_log(&AuditFilter {
            actor: Some("a@x.org".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(some.len(), 1);
    let none = store
        .audit_log(&AuditFilter {
            to: Some("2000-01-01".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(none.is_empty());
}

async fn spam_leaves_the_scores_and_old_comments_expire(db: &TestDb) {
    use paradiplo_store::{
        FeedbackAnswer, FeedbackFilter, FeedbackTriage, NewFeedback, TriageStatus,
    };
    let store = Store::open(&db.url).await.unwrap();
    let mut ids = Vec::new();
    for (answer, comment) in [
        (FeedbackAnswer::Yes, None),
        (FeedbackAnswer::No, Some("Il manque la date.")),
        (FeedbackAnswer::No, Some("Achetez nos montres")),
    ] {
        let f = store
            .insert_feedback(&NewFeedback {
                path: "/partenaires/baviere".into(),
                section: "partenaires".into(),
                lang: "fr".into(),
                answer,
                reason: None,
                comment: comment.map(str::to_string),
            })
            .await
            .unwrap();
        ids.push(f.id);
    }
    let all = FeedbackFilter::default();
    let by_page = store.feedback_counts_by_page(&all).await.unwrap();
    assert_eq!((by_page[0].yes, by_page[0].no), (1, 2));
    store
        .triage_feedback(
            ids[2],
            &FeedbackTriage {
                status: TriageStatus::Spam,
                owner: None,
                due_date: None,
            },
        )
        .await
        .unwrap();
    let by_page = store.feedback_counts_by_page(&all).await.unwrap();
    assert_eq!(
        (by_page[0].yes, by_page[0].no),
        (1, 1),
        "spam leaves the scores"
    );
    let by_section = store.feedback_counts_by_section(&all).await.unwrap();
    assert_eq!(by_section[0].key, "partenaires");
    assert_eq!(store.feedback_counts_by_day(&all).await.unwrap()[0].no, 1);
    // Still listed for staff.
    assert_eq!(store.count_feedback(&all).await.unwrap(), 3);
    // Retention: comments older than the limit are blanked, answers stay.
    assert_eq!(
        store.purge_feedback_comments("2000-01-01").await.unwrap(),
        0
    );
    assert_eq!(
        store.purge_feedback_comments("9999-01-01").await.unwrap(),
        2
    );
    let kept = store.list_feedback(&all, 10, 0).await.unwrap();
    assert_eq!(kept.len(), 3);
    assert!(kept.iter().all(|f| f.comment.is_none()));
    store.close().await;
}

backend_tests!(
    spam_leaves_the_scores_and_old_comments_expire,
    drafts_are_invisible_until_published_by_a_second_person,
    a_minor_fix_does_not_move_last_updated,
    stale_draft_saves_are_refused,
    scheduled_publication_runs_when_due,
    restore_needs_a_public_note_when_substantive,
    accounts_sessions_and_audit,
);
