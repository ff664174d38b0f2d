//! The one way to write the registry, whatever the door (the JSON API, the
//! staff workspace, `paradiplo import`): the role rules of
//! `paradiplo_core::roles`, the version checks, the change notes, the
//! drafts and their review, and one line of the audit log per write.
//!
//! A write and its audit line are one transaction: records (create, update,
//! archive, import), draft saves, publications and restores. The
//! single-statement workflow steps (submit, discard, schedule, review)
//! write their audit line right after, before the service answers.
//!
//! Every write transaction is tried again when the database says it could
//! not take a lock in time (a SQLite busy timeout, a PostgreSQL
//! serialization failure or deadlock): concurrent writers queue instead of
//! failing. Nothing of a failed attempt was committed.

use crate::error::StoreError;
use crate::store::{
    RevisionAction, Store, StoredRecord, Visibility, current_version, fetch_optional,
    insert_record, write_version,
};
use crate::workflow::{Audited, Draft, EditBase, Publication, PublishRequest};
use paradiplo_core::roles::WriteAct;
use paradiplo_core::{AnyRecord, RecordKind, RecordState, Role, Text};
use sqlx::{Any, Transaction};
use std::future::Future;
use std::time::Duration;

/// Who writes, and through which door.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// What the revision log and the audit log name: an e-mail address,
    /// `api:<token name>`, or the name given to a command.
    pub name: String,
    pub role: Role,
    /// Where the write came from: an address, or the command (`cli`).
    pub client: String,
}

/// The write service. Cheap to make: `store.writer()`.
#[derive(Debug, Clone)]
pub struct Writer {
    store: Store,
}

impl Store {
    /// The write service over this store: what every door writes through.
    pub fn writer(&self) -> Writer {
        Writer {
            store: self.clone(),
        }
    }
}

/// How many times a write is tried when the database is busy.
const ATTEMPTS: u32 = 8;

/// Runs `attempt` until it succeeds, fails for a reason of its own, or
/// the database stayed busy `ATTEMPTS` times.
pub(crate) async fn retrying<T, F, Fut>(mut attempt: F) -> Result<T, StoreError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, StoreError>>,
{
    let mut tries = 0;
    loop {
        match attempt().await {
            Err(e) if e.is_transient() && tries + 1 < ATTEMPTS => {
                tries += 1;
                tracing::debug!(error = %e, tries, "write retried: the database was busy");
                tokio::time::sleep(Duration::from_millis(20 * u64::from(tries))).await;
            }
            other => return other,
        }
    }
}

/// The audit action of a write to the records: what the public sees change.
pub fn record_action(action: RevisionAction, state: RecordState) -> &'static str {
    match (action, state) {
        (RevisionAction::Restore, _) => "restore",
        (_, RecordState::Archived) | (RevisionAction::Archive, _) => "archive",
        (_, RecordState::Published) => "publish",
        (_, RecordState::Draft) => "draft_save",
    }
}

/// The audit detail of a write to the records.
pub(crate) fn version_note(version: i64, note: &str) -> String {
    format!("version {version}: {note}")
}

/// One line of the audit log, written in the caller's transaction.
pub(crate) async fn audit_in(
    tx: &mut Transaction<'_, Any>,
    actor: &Actor,
    action: &str,
    kind: RecordKind,
    slug: &str,
    detail: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO audit_log (at, actor, action, kind, slug, detail, client) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(crate::now_timestamp())
    .bind(&actor.name)
    .bind(action)
    .bind(kind.as_str())
    .bind(slug)
    .bind(detail)
    .bind(&actor.client)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The actor of a workflow write whose audit line goes in its transaction.
fn audited(actor: &Actor) -> Audited<'_> {
    Audited {
        name: &actor.name,
        actor: Some(actor),
    }
}

pub(crate) fn role_rule(actor: &Actor, act: WriteAct) -> Result<(), StoreError> {
    actor.role.may(act).map_err(StoreError::Role)
}

impl Writer {
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Writes an audit line after a workflow write; a failure is logged:
    /// the write itself is done.
    async fn audit_after(
        &self,
        actor: &Actor,
        action: &str,
        kind: RecordKind,
        slug: &str,
        detail: &str,
    ) {
        let entry = crate::NewAudit {
            actor: &actor.name,
            action,
            kind: kind.as_str(),
            slug,
            detail,
            client: &actor.client,
        };
        if let Err(e) = retrying(|| self.store.audit(entry.clone())).await {
            tracing::error!(error = %e, action, "audit log write failed");
        }
    }

    /// Creates a record at version 1 in `state`.
    pub async fn create(
        &self,
        actor: &Actor,
        record: AnyRecord,
        state: RecordState,
        note: &str,
    ) -> Result<StoredRecord, StoreError> {
        role_rule(
            actor,
            WriteAct::Record {
                to: state,
                current: None,
            },
        )?;
        self.store.check(&record).await?;
        retrying(|| async {
            let kind = record.kind();
            let slug = record.slug().as_str();
            let mut tx = self.store.begin_write().await?;
            if current_version(&mut tx, kind, slug).await?.is_some() {
                return Err(StoreError::AlreadyExists {
                    kind,
                    slug: slug.to_string(),
                });
            }
            // Two writers creating the same slug at once: the second is told
            // it exists, as if it had come after.
            let stored = insert_record(&mut tx, &record, state, &actor.name, note)
                .await
                .map_err(|e| match e.is_unique_violation() {
                    true => StoreError::AlreadyExists {
                        kind,
                        slug: slug.to_string(),
                    },
                    false => e,
                })?;
            let action = record_action(RevisionAction::Create, state);
            audit_in(&mut tx, actor, action, kind, slug, &version_note(1, note)).await?;
            tx.commit().await?;
            Ok(stored)
        })
        .await
    }

    /// Writes a new version of a record from `expected`. Without a `state`,
    /// the record keeps the one it has: changing state is explicit.
    pub async fn update(
        &self,
        actor: &Actor,
        record: AnyRecord,
        state: Option<RecordState>,
        expected: i64,
        note: &str,
    ) -> Result<StoredRecord, StoreError> {
        let started = std::time::Instant::now();
        let kind = record.kind();
        let slug = record.slug().to_string();
        let current = self
            .store
            .get(kind, &slug, Visibility::All)
            .await?
            .ok_or_else(|| StoreError::NotFound {
                kind,
                slug: slug.clone(),
            })?;
        let to = state.unwrap_or(current.state);
        role_rule(
            actor,
            WriteAct::Record {
                to,
                current: Some(current.state),
            },
        )?;
        if current.version != expected {
            return Err(StoreError::Conflict {
                kind,
                slug,
                expected,
                current: current.version,
            });
        }
        self.store.check(&record).await?;
        let action = if to == RecordState::Archived {
            RevisionAction::Archive
        } else {
            RevisionAction::Update
        };
        let stored = retrying(|| async {
            let mut tx = self.store.begin_write().await?;
            // The version is checked again in the same statement as the write.
            let stored = write_version(
                &mut tx,
                kind,
                &slug,
                &record,
                to,
                expected,
                action,
                &actor.name,
                note,
            )
            .await?;
            let detail = version_note(stored.version, note);
            audit_in(
                &mut tx,
                actor,
                record_action(action, to),
                kind,
                &slug,
                &detail,
            )
            .await?;
            tx.commit().await?;
            Ok(stored)
        })
        .await?;
        // What the store's part of a write costs (validation and
        // transaction): `RUST_LOG=paradiplo_store=debug`, bench/writes.
        let micros = started.elapsed().as_micros() as u64;
        tracing::debug!(%kind, %slug, micros, "record written");
        Ok(stored)
    }

    /// Archives a record: it leaves the portal, keeps its history, and can be restored.
    pub async fn archive(
        &self,
        actor: &Actor,
        kind: RecordKind,
        slug: &str,
        expected: i64,
        note: &str,
    ) -> Result<StoredRecord, StoreError> {
        role_rule(actor, WriteAct::Publish)?;
        retrying(|| async {
            let mut tx = self.store.begin_write().await?;
            let current =
                fetch_optional(&mut tx, kind, slug)
                    .await?
                    .ok_or_else(|| StoreError::NotFound {
                        kind,
                        slug: slug.to_string(),
                    })?;
            let stored = write_version(
                &mut tx,
                kind,
                slug,
                &current.record,
                RecordState::Archived,
                expected,
                RevisionAction::Archive,
                &actor.name,
                note,
            )
            .await?;
            let detail = version_note(stored.version, note);
            audit_in(&mut tx, actor, "archive", kind, slug, &detail).await?;
            tx.commit().await?;
            Ok(stored)
        })
        .await
    }

    /// Makes `from` (by default the current version, which un-archives an
    /// archived record) current again as a new published version, with the
    /// public-note rule of a publication.
    #[allow(clippy::too_many_arguments)]
    pub async fn restore(
        &self,
        actor: &Actor,
        kind: RecordKind,
        slug: &str,
        from: Option<i64>,
        expected: i64,
        note: &str,
        public_note: Option<Text>,
        now: &str,
    ) -> Result<Publication, StoreError> {
        role_rule(actor, WriteAct::Publish)?;
        let from = match from {
            Some(v) => v,
            None => {
                self.store
                    .get(kind, slug, Visibility::All)
                    .await?
                    .ok_or_else(|| StoreError::NotFound {
                        kind,
                        slug: slug.to_string(),
                    })?
                    .version
            }
        };
        let by = audited(actor);
        retrying(|| {
            self.store.restore_version_as(
                kind,
                slug,
                (from, expected),
                &by,
                note,
                public_note.clone(),
                now,
            )
        })
        .await
    }

    /// Saves a draft of `record` from `base` (see [`Store::save_draft`]).
    pub async fn save_draft(
        &self,
        actor: &Actor,
        record: AnyRecord,
        base: EditBase,
        note: &str,
        now: &str,
    ) -> Result<Draft, StoreError> {
        role_rule(actor, WriteAct::Draft)?;
        let by = audited(actor);
        retrying(|| {
            self.store
                .save_draft_as(record.clone(), base, &by, note, now)
        })
        .await
    }

    /// Sends a draft for review.
    pub async fn submit_draft(
        &self,
        actor: &Actor,
        kind: RecordKind,
        slug: &str,
        revision: i64,
        now: &str,
    ) -> Result<Draft, StoreError> {
        role_rule(actor, WriteAct::Draft)?;
        let d = retrying(|| {
            self.store
                .submit_draft(kind, slug, revision, &actor.name, now)
        })
        .await?;
        self.audit_after(actor, "submit", kind, slug, &format!("revision {revision}"))
            .await;
        Ok(d)
    }

    /// Throws a draft away.
    pub async fn discard_draft(
        &self,
        actor: &Actor,
        kind: RecordKind,
        slug: &str,
        revision: i64,
    ) -> Result<(), StoreError> {
        role_rule(actor, WriteAct::Draft)?;
        retrying(|| self.store.discard_draft(kind, slug, revision)).await?;
        self.audit_after(
            actor,
            "discard",
            kind,
            slug,
            &format!("revision {revision}"),
        )
        .await;
        Ok(())
    }

    /// Publishes a draft now (two-person rule unless forced with a reason).
    pub async fn publish_draft(
        &self,
        actor: &Actor,
        kind: RecordKind,
        slug: &str,
        req: PublishRequest<'_>,
    ) -> Result<Publication, StoreError> {
        role_rule(actor, WriteAct::Publish)?;
        let by = audited(actor);
        let req = PublishRequest {
            by: &actor.name,
            ..req
        };
        retrying(|| self.store.publish_draft_as(kind, slug, req.clone(), &by)).await
    }

    /// Schedules a draft's publication at `at`.
    #[allow(clippy::too_many_arguments)]
    pub async fn schedule_draft(
        &self,
        actor: &Actor,
        kind: RecordKind,
        slug: &str,
        revision: i64,
        at: &str,
        force_reason: Option<&str>,
        public_note: Option<Text>,
        now: &str,
    ) -> Result<Draft, StoreError> {
        role_rule(actor, WriteAct::Publish)?;
        let d = retrying(|| {
            self.store.schedule_draft(
                kind,
                slug,
                revision,
                at,
                &actor.name,
                force_reason,
                public_note.clone(),
                now,
            )
        })
        .await?;
        self.audit_after(actor, "schedule", kind, slug, at).await;
        Ok(d)
    }

    /// Marks a forced publication as reviewed.
    pub async fn review_publication(
        &self,
        actor: &Actor,
        id: i64,
        now: &str,
    ) -> Result<Publication, StoreError> {
        role_rule(actor, WriteAct::Publish)?;
        let p = retrying(|| self.store.review_publication(id, &actor.name, now)).await?;
        let detail = format!("version {}", p.version);
        self.audit_after(actor, "review", p.kind, &p.slug, &detail)
            .await;
        Ok(p)
    }
}
