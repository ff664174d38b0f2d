//! The publishing workflow on top of the records: a pending draft per record,
//! submission for review, publication by a second person (or forced with a
//! reason, listed for review), scheduled publication, and the public change
//! notes that move a page's "last updated".
//!
//! Drafts live in their own table, which the public never reads: the
//! `records` row keeps serving the published version until a publication
//! writes the draft into it as a new version (with the store's usual
//! version check, so a stale publication is refused).

use crate::error::StoreError;
use crate::store::{
    RevisionAction, Store, Visibility, current_version, fetch_optional, insert_record,
    mark_public_change, parse_body, trusted, write_version,
};
use paradiplo_core::diff::{FieldChange, diff, is_substantive};
use paradiplo_core::{AnyRecord, RecordKind, RecordState, Text};
use serde::{Deserialize, Serialize};
use sqlx::Row;
use sqlx::any::AnyRow;

/// Where a draft stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DraftStatus {
    /// Being written.
    Draft,
    /// Waiting for a publisher's review.
    Submitted,
}

impl DraftStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            DraftStatus::Draft => "draft",
            DraftStatus::Submitted => "submitted",
        }
    }
}

/// One change note written at a save.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftNote {
    pub by: String,
    pub at: String,
    pub note: String,
}

/// The pending next version of a record.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub kind: RecordKind,
    pub slug: String,
    pub record: AnyRecord,
    /// The record version the draft was last saved against; None for a
    /// record never written to the registry.
    pub base_version: Option<i64>,
    /// Counts the draft's saves: what a second editor's stale save is checked against.
    pub revision: i64,
    pub status: DraftStatus,
    pub notes: Vec<DraftNote>,
    pub created_by: String,
    pub created_at: String,
    pub updated_by: String,
    pub updated_at: String,
    pub submitted_by: Option<String>,
    pub submitted_at: Option<String>,
    pub scheduled_at: Option<String>,
    pub scheduled_by: Option<String>,
    pub schedule_reason: Option<String>,
    pub schedule_note: Option<Text>,
}

/// What an edit form started from: the record's version and the draft's
/// revision, as they were when the form was shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EditBase {
    pub record_version: Option<i64>,
    pub draft_revision: Option<i64>,
}

/// Why the workflow refuses an action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// No pending draft for this record.
    NoDraft,
    /// A publication without a forced reason needs a submitted draft.
    NotSubmitted,
    /// The publisher is the draft's last editor: a second person must publish.
    SameEditor,
    /// The change is substantive: the public must be told in a change note.
    PublicNoteRequired,
    /// The published version moved since the draft was saved.
    BaseMoved {
        base: Option<i64>,
        current: Option<i64>,
    },
    /// A schedule must lie in the future.
    ScheduleInPast,
    /// A forced publication is reviewed by someone else than its publisher.
    SameReviewer,
    /// The record is not there (e.g. restoring a record never published).
    NotFound,
}

impl Refusal {
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::NoDraft => "no_draft",
            Refusal::NotSubmitted => "not_submitted",
            Refusal::SameEditor => "same_editor",
            Refusal::PublicNoteRequired => "public_note_required",
            Refusal::BaseMoved { .. } => "base_moved",
            Refusal::ScheduleInPast => "schedule_in_past",
            Refusal::SameReviewer => "same_reviewer",
            Refusal::NotFound => "not_found",
        }
    }
}

/// A publication, as recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct Publication {
    pub id: i64,
    pub kind: RecordKind,
    pub slug: String,
    pub version: i64,
    pub at: String,
    pub published_by: String,
    pub substantive: bool,
    pub public_note: Option<Text>,
    pub forced_reason: Option<String>,
    pub reviewed_by: Option<String>,
    pub reviewed_at: Option<String>,
}

/// What a publisher asks for.
#[derive(Debug, Clone)]
pub struct PublishRequest<'a> {
    /// The draft revision the publisher looked at.
    pub revision: i64,
    pub by: &'a str,
    /// Set to publish without the two-person rule; listed for review.
    pub force_reason: Option<&'a str>,
    pub public_note: Option<Text>,
    /// The clock (injected so that tests can move it).
    pub now: &'a str,
}

const DRAFT_COLUMNS: &str = "kind, slug, body, base_version, revision, status, notes, created_by, \
    created_at, updated_by, updated_at, submitted_by, submitted_at, scheduled_at, scheduled_by, \
    schedule_reason, schedule_note";

const PUBLICATION_COLUMNS: &str = "id, kind, slug, version, at, published_by, substantive, \
    public_note, forced_reason, reviewed_by, reviewed_at";

fn kind_of(raw: &str) -> Result<RecordKind, StoreError> {
    RecordKind::parse(raw).ok_or_else(|| StoreError::Corrupt(format!("unknown kind `{raw}`")))
}

fn text_of(raw: Option<String>) -> Result<Option<Text>, StoreError> {
    raw.map(|s| serde_json::from_str(&s).map_err(|e| StoreError::Corrupt(e.to_string())))
        .transpose()
}

fn draft_from_row(row: &AnyRow) -> Result<Draft, StoreError> {
    let kind = kind_of(&row.try_get::<String, _>(0)?)?;
    let slug: String = row.try_get(1)?;
    let body: String = row.try_get(2)?;
    let notes: String = row.try_get(6)?;
    Ok(Draft {
        record: parse_body(kind, &slug, &body)?,
        kind,
        slug,
        base_version: row.try_get(3)?,
        revision: row.try_get(4)?,
        status: match row.try_get::<String, _>(5)?.as_str() {
            "submitted" => DraftStatus::Submitted,
            _ => DraftStatus::Draft,
        },
        notes: serde_json::from_str(&notes).map_err(|e| StoreError::Corrupt(e.to_string()))?,
        created_by: row.try_get(7)?,
        created_at: row.try_get(8)?,
        updated_by: row.try_get(9)?,
        updated_at: row.try_get(10)?,
        submitted_by: row.try_get(11)?,
        submitted_at: row.try_get(12)?,
        scheduled_at: row.try_get(13)?,
        scheduled_by: row.try_get(14)?,
        schedule_reason: row.try_get(15)?,
        schedule_note: text_of(row.try_get(16)?)?,
    })
}

fn publication_from_row(row: &AnyRow) -> Result<Publication, StoreError> {
    Ok(Publication {
        id: row.try_get(0)?,
        kind: kind_of(&row.try_get::<String, _>(1)?)?,
        slug: row.try_get(2)?,
        version: row.try_get(3)?,
        at: row.try_get(4)?,
        published_by: row.try_get(5)?,
        substantive: row.try_get::<i64, _>(6)? != 0,
        public_note: text_of(row.try_get(7)?)?,
        forced_reason: row.try_get(8)?,
        reviewed_by: row.try_get(9)?,
        reviewed_at: row.try_get(10)?,
    })
}

fn refused(r: Refusal) -> StoreError {
    StoreError::Refused(r)
}

fn note_present(note: &Option<Text>) -> bool {
    note.as_ref().is_some_and(|t| !t.fr.trim().is_empty())
}

impl Draft {
    /// The change notes of the draft's saves, as one revision note.
    fn joined_notes(&self) -> String {
        self.notes
            .iter()
            .map(|n| n.note.as_str())
            .filter(|n| !n.is_empty())
            .collect::<Vec<_>>()
            .join(" ; ")
    }
}

/// Who makes a workflow write, and whether it leaves an audit line (the
/// write service's writes do, in the same transaction).
pub(crate) struct Audited<'a> {
    pub name: &'a str,
    pub actor: Option<&'a crate::Actor>,
}

impl<'a> Audited<'a> {
    fn unaudited(name: &'a str) -> Audited<'a> {
        Audited { name, actor: None }
    }

    async fn log(
        &self,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        action: &str,
        kind: RecordKind,
        slug: &str,
        detail: &str,
    ) -> Result<(), StoreError> {
        match self.actor {
            Some(actor) => crate::write::audit_in(tx, actor, action, kind, slug, detail).await,
            None => Ok(()),
        }
    }
}

impl Store {
    /// The pending draft of a record, if any.
    pub async fn draft(&self, kind: RecordKind, slug: &str) -> Result<Option<Draft>, StoreError> {
        let row = sqlx::query(trusted(format!(
            "SELECT {DRAFT_COLUMNS} FROM drafts WHERE kind = $1 AND slug = $2"
        )))
        .bind(kind.as_str())
        .bind(slug)
        .fetch_optional(self.pool())
        .await?;
        row.map(|r| draft_from_row(&r)).transpose()
    }

    /// Every pending draft, newest first.
    pub async fn drafts(&self) -> Result<Vec<Draft>, StoreError> {
        let rows = sqlx::query(trusted(format!(
            "SELECT {DRAFT_COLUMNS} FROM drafts ORDER BY updated_at DESC"
        )))
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(draft_from_row).collect()
    }

    /// Saves a draft of `record`. `base` names what the editor started from:
    /// if the record or its draft moved on since, nothing is written and
    /// [`StoreError::DraftConflict`] says so. A new record starts from the
    /// empty base; its slug must be free. A save sends a submitted or
    /// scheduled draft back to writing.
    pub async fn save_draft(
        &self,
        record: AnyRecord,
        base: EditBase,
        author: &str,
        note: &str,
        now: &str,
    ) -> Result<Draft, StoreError> {
        let by = Audited::unaudited(author);
        self.save_draft_as(record, base, &by, note, now).await
    }

    /// [`Store::save_draft`], with the audit line in the same transaction
    /// when the write service names its actor.
    pub(crate) async fn save_draft_as(
        &self,
        record: AnyRecord,
        base: EditBase,
        by: &Audited<'_>,
        note: &str,
        now: &str,
    ) -> Result<Draft, StoreError> {
        let author = by.name;
        let kind = record.kind();
        let slug = record.slug().to_string();
        self.check_draft(&record).await?;
        let body = record.to_json().to_string();
        let mut tx = self.begin_write().await?;
        let current = current_version(&mut tx, kind, &slug).await?;
        let draft_rev: Option<i64> =
            sqlx::query("SELECT revision FROM drafts WHERE kind = $1 AND slug = $2")
                .bind(kind.as_str())
                .bind(&slug)
                .fetch_optional(&mut *tx)
                .await?
                .map(|r| r.try_get(0))
                .transpose()?;
        if base == EditBase::default() && (current.is_some() || draft_rev.is_some()) {
            return Err(StoreError::AlreadyExists { kind, slug });
        }
        if base.record_version != current || base.draft_revision != draft_rev {
            return Err(StoreError::DraftConflict { kind, slug });
        }
        let entry = DraftNote {
            by: author.to_string(),
            at: now.to_string(),
            note: note.to_string(),
        };
        match draft_rev {
            None => insert_draft(&mut tx, kind, &slug, &body, current, entry).await?,
            Some(rev) => {
                if !update_draft(&mut tx, kind, &slug, &body, current, entry, rev).await? {
                    return Err(StoreError::DraftConflict { kind, slug });
                }
            }
        }
        let revision = draft_rev.unwrap_or(0) + 1;
        by.log(
            &mut tx,
            "draft_save",
            kind,
            &slug,
            &format!("revision {revision}: {note}"),
        )
        .await?;
        tx.commit().await?;
        self.draft(kind, &slug)
            .await?
            .ok_or(StoreError::DraftConflict {
                kind,
                slug: slug.clone(),
            })
    }

    /// Sends a draft for review.
    pub async fn submit_draft(
        &self,
        kind: RecordKind,
        slug: &str,
        revision: i64,
        by: &str,
        now: &str,
    ) -> Result<Draft, StoreError> {
        let done = sqlx::query(
            "UPDATE drafts SET status = 'submitted', submitted_by = $1, submitted_at = $2 \
             WHERE kind = $3 AND slug = $4 AND revision = $5",
        )
        .bind(by)
        .bind(now)
        .bind(kind.as_str())
        .bind(slug)
        .bind(revision)
        .execute(self.pool())
        .await?;
        if done.rows_affected() != 1 {
            return Err(self.missing_or_conflict(kind, slug).await?);
        }
        self.draft(kind, slug)
            .await?
            .ok_or(refused(Refusal::NoDraft))
    }

    /// Throws a draft away (its notes go with it; the audit log keeps the act).
    pub async fn discard_draft(
        &self,
        kind: RecordKind,
        slug: &str,
        revision: i64,
    ) -> Result<(), StoreError> {
        let done =
            sqlx::query("DELETE FROM drafts WHERE kind = $1 AND slug = $2 AND revision = $3")
                .bind(kind.as_str())
                .bind(slug)
                .bind(revision)
                .execute(self.pool())
                .await?;
        if done.rows_affected() != 1 {
            return Err(self.missing_or_conflict(kind, slug).await?);
        }
        Ok(())
    }

    async fn missing_or_conflict(
        &self,
        kind: RecordKind,
        slug: &str,
    ) -> Result<StoreError, StoreError> {
        Ok(match self.draft(kind, slug).await? {
            None => refused(Refusal::NoDraft),
            Some(_) => StoreError::DraftConflict {
                kind,
                slug: slug.to_string(),
            },
        })
    }

    /// The field changes a draft would publish, against the current version.
    pub async fn draft_changes(&self, draft: &Draft) -> Result<Vec<FieldChange>, StoreError> {
        let current = self.get(draft.kind, &draft.slug, Visibility::All).await?;
        let before = current
            .map(|c| c.record.to_json())
            .unwrap_or(serde_json::Value::Null);
        Ok(diff(&before, &draft.record.to_json()))
    }

    /// Whether publishing this draft tells the public something: its first
    /// publication, or a diff that is more than typography.
    pub async fn draft_is_substantive(&self, draft: &Draft) -> Result<bool, StoreError> {
        let current = self.get(draft.kind, &draft.slug, Visibility::All).await?;
        Ok(match current {
            Some(c) if c.state == RecordState::Published => {
                is_substantive(&diff(&c.record.to_json(), &draft.record.to_json()))
            }
            _ => true,
        })
    }

    /// Checks the two-person rule and the public note, without writing.
    async fn publish_allowed(
        &self,
        draft: &Draft,
        by: &str,
        force_reason: Option<&str>,
        public_note: &Option<Text>,
    ) -> Result<bool, StoreError> {
        let forced = force_reason.is_some_and(|r| !r.trim().is_empty());
        if !forced {
            if draft.status != DraftStatus::Submitted {
                return Err(refused(Refusal::NotSubmitted));
            }
            if draft.updated_by == by {
                return Err(refused(Refusal::SameEditor));
            }
        }
        let first = !matches!(
            self.get(draft.kind, &draft.slug, Visibility::All).await?,
            Some(c) if c.state == RecordState::Published
        );
        if !first && self.draft_is_substantive(draft).await? && !note_present(public_note) {
            return Err(refused(Refusal::PublicNoteRequired));
        }
        Ok(forced)
    }

    /// Publishes a draft as the record's next version.
    pub async fn publish_draft(
        &self,
        kind: RecordKind,
        slug: &str,
        req: PublishRequest<'_>,
    ) -> Result<Publication, StoreError> {
        let by = Audited::unaudited(req.by);
        self.publish_draft_as(kind, slug, req, &by).await
    }

    /// [`Store::publish_draft`], with the audit line in the same transaction
    /// when the write service names its actor.
    pub(crate) async fn publish_draft_as(
        &self,
        kind: RecordKind,
        slug: &str,
        req: PublishRequest<'_>,
        by: &Audited<'_>,
    ) -> Result<Publication, StoreError> {
        let draft = self
            .draft(kind, slug)
            .await?
            .ok_or(refused(Refusal::NoDraft))?;
        if draft.revision != req.revision {
            return Err(StoreError::DraftConflict {
                kind,
                slug: slug.to_string(),
            });
        }
        let forced = self
            .publish_allowed(&draft, req.by, req.force_reason, &req.public_note)
            .await?;
        self.check(&draft.record).await?;
        let public_note = req.public_note.filter(|t| !t.fr.trim().is_empty());
        let note = draft.joined_notes();

        let mut tx = self.begin_write().await?;
        take_draft(&mut tx, kind, slug, req.revision).await?;
        let current = fetch_optional(&mut tx, kind, slug).await?;
        if current.as_ref().map(|c| c.version) != draft.base_version {
            return Err(refused(Refusal::BaseMoved {
                base: draft.base_version,
                current: current.map(|c| c.version),
            }));
        }
        let first = !matches!(&current, Some(c) if c.state == RecordState::Published);
        let substantive = match &current {
            Some(c) if !first => {
                is_substantive(&diff(&c.record.to_json(), &draft.record.to_json()))
            }
            _ => true,
        };
        let stored = match current {
            None => {
                insert_record(
                    &mut tx,
                    &draft.record,
                    RecordState::Published,
                    req.by,
                    &note,
                )
                .await?
            }
            Some(c) => {
                write_version(
                    &mut tx,
                    kind,
                    slug,
                    &draft.record,
                    RecordState::Published,
                    c.version,
                    RevisionAction::Update,
                    req.by,
                    &note,
                )
                .await?
            }
        };
        if first || public_note.is_some() {
            mark_public_change(&mut tx, kind, slug, req.now).await?;
        }
        let id = insert_publication(
            &mut tx,
            kind,
            slug,
            stored.version,
            req.now,
            req.by,
            substantive,
            public_note.as_ref(),
            forced.then_some(req.force_reason.unwrap_or_default()),
        )
        .await?;
        let detail = match req.force_reason.filter(|_| forced) {
            Some(r) => format!("version {} (forced: {r})", stored.version),
            None => format!("version {}", stored.version),
        };
        by.log(&mut tx, "publish", kind, slug, &detail).await?;
        tx.commit().await?;
        self.publication(id).await
    }

    /// Schedules a draft's publication at `at` (a stored timestamp). The
    /// same rules as publishing now apply, checked now and again when due.
    #[allow(clippy::too_many_arguments)]
    pub async fn schedule_draft(
        &self,
        kind: RecordKind,
        slug: &str,
        revision: i64,
        at: &str,
        by: &str,
        force_reason: Option<&str>,
        public_note: Option<Text>,
        now: &str,
    ) -> Result<Draft, StoreError> {
        let draft = self
            .draft(kind, slug)
            .await?
            .ok_or(refused(Refusal::NoDraft))?;
        if at <= now {
            return Err(refused(Refusal::ScheduleInPast));
        }
        let forced = self
            .publish_allowed(&draft, by, force_reason, &public_note)
            .await?;
        let note = public_note
            .filter(|t| !t.fr.trim().is_empty())
            .map(|t| serde_json::to_string(&t).expect("text serializes"));
        let done = sqlx::query(
            "UPDATE drafts SET scheduled_at = $1, scheduled_by = $2, schedule_reason = $3, \
             schedule_note = $4 WHERE kind = $5 AND slug = $6 AND revision = $7",
        )
        .bind(at)
        .bind(by)
        .bind(if forced { force_reason } else { None })
        .bind(note)
        .bind(kind.as_str())
        .bind(slug)
        .bind(revision)
        .execute(self.pool())
        .await?;
        if done.rows_affected() != 1 {
            return Err(self.missing_or_conflict(kind, slug).await?);
        }
        self.draft(kind, slug)
            .await?
            .ok_or(refused(Refusal::NoDraft))
    }

    /// Publishes every draft whose schedule is due at `now`. A schedule that
    /// fails (the record moved, a reference vanished) is cleared, so that it
    /// is reported once; the draft stays for its editors.
    pub async fn publish_due(
        &self,
        now: &str,
    ) -> Result<Vec<(RecordKind, String, Result<Publication, StoreError>)>, StoreError> {
        let rows = sqlx::query(trusted(format!(
            "SELECT {DRAFT_COLUMNS} FROM drafts WHERE scheduled_at IS NOT NULL AND scheduled_at <= $1 \
             ORDER BY scheduled_at"
        )))
        .bind(now)
        .fetch_all(self.pool())
        .await?;
        let mut out = Vec::new();
        for row in rows {
            let d = draft_from_row(&row)?;
            let by = d.scheduled_by.clone().unwrap_or_default();
            let result = self
                .publish_draft(
                    d.kind,
                    &d.slug,
                    PublishRequest {
                        revision: d.revision,
                        by: &by,
                        force_reason: d.schedule_reason.as_deref(),
                        public_note: d.schedule_note.clone(),
                        now,
                    },
                )
                .await;
            if result.is_err() {
                sqlx::query(
                    "UPDATE drafts SET scheduled_at = NULL, scheduled_by = NULL, \
                     schedule_reason = NULL, schedule_note = NULL \
                     WHERE kind = $1 AND slug = $2 AND revision = $3",
                )
                .bind(d.kind.as_str())
                .bind(&d.slug)
                .bind(d.revision)
                .execute(self.pool())
                .await?;
            }
            out.push((d.kind, d.slug, result));
        }
        Ok(out)
    }

    /// Makes an earlier version current again, as a new published version
    /// (publisher). Same public-note rule as a publication; a pending draft
    /// stays, and will be refused at publication until saved again.
    #[allow(clippy::too_many_arguments)]
    pub async fn restore_version(
        &self,
        kind: RecordKind,
        slug: &str,
        from_version: i64,
        expected_version: i64,
        by: &str,
        note: &str,
        public_note: Option<Text>,
        now: &str,
    ) -> Result<Publication, StoreError> {
        let by = Audited::unaudited(by);
        let versions = (from_version, expected_version);
        self.restore_version_as(kind, slug, versions, &by, note, public_note, now)
            .await
    }

    /// [`Store::restore_version`] (`versions`: from, expected), with the
    /// audit line in the same transaction when the write service names its actor.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn restore_version_as(
        &self,
        kind: RecordKind,
        slug: &str,
        (from_version, expected_version): (i64, i64),
        audited: &Audited<'_>,
        note: &str,
        public_note: Option<Text>,
        now: &str,
    ) -> Result<Publication, StoreError> {
        let by = audited.name;
        let old = self
            .revision(kind, slug, from_version)
            .await?
            .ok_or_else(|| StoreError::VersionNotFound {
                kind,
                slug: slug.to_string(),
                version: from_version,
            })?;
        let current = self
            .get(kind, slug, Visibility::All)
            .await?
            .ok_or(refused(Refusal::NotFound))?;
        let was_published = current.state == RecordState::Published;
        let substantive = !was_published
            || is_substantive(&diff(&current.record.to_json(), &old.record.to_json()));
        let public_note = public_note.filter(|t| !t.fr.trim().is_empty());
        if was_published && substantive && public_note.is_none() {
            return Err(refused(Refusal::PublicNoteRequired));
        }
        self.check(&old.record).await?;
        let mut tx = self.begin_write().await?;
        let stored = write_version(
            &mut tx,
            kind,
            slug,
            &old.record,
            RecordState::Published,
            expected_version,
            RevisionAction::Restore,
            by,
            note,
        )
        .await?;
        if substantive || public_note.is_some() {
            mark_public_change(&mut tx, kind, slug, now).await?;
        }
        let id = insert_publication(
            &mut tx,
            kind,
            slug,
            stored.version,
            now,
            by,
            substantive,
            public_note.as_ref(),
            None,
        )
        .await?;
        let detail = format!(
            "version {from_version} as version {}: {note}",
            stored.version
        );
        audited.log(&mut tx, "restore", kind, slug, &detail).await?;
        tx.commit().await?;
        self.publication(id).await
    }

    pub async fn publication(&self, id: i64) -> Result<Publication, StoreError> {
        let row = sqlx::query(trusted(format!(
            "SELECT {PUBLICATION_COLUMNS} FROM publications WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(self.pool())
        .await?
        .ok_or(refused(Refusal::NotFound))?;
        publication_from_row(&row)
    }

    /// A record's publications, newest first.
    pub async fn publications(
        &self,
        kind: RecordKind,
        slug: &str,
    ) -> Result<Vec<Publication>, StoreError> {
        let rows = sqlx::query(trusted(format!(
            "SELECT {PUBLICATION_COLUMNS} FROM publications WHERE kind = $1 AND slug = $2 ORDER BY id DESC"
        )))
        .bind(kind.as_str())
        .bind(slug)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(publication_from_row).collect()
    }

    /// The public change notes of a published record, newest first: what a
    /// public page may list under its "last updated".
    pub async fn public_changes(
        &self,
        kind: RecordKind,
        slug: &str,
    ) -> Result<Vec<Publication>, StoreError> {
        Ok(self
            .publications(kind, slug)
            .await?
            .into_iter()
            .filter(|p| p.public_note.is_some())
            .collect())
    }

    /// Forced publications nobody has reviewed yet, oldest first.
    pub async fn forced_to_review(&self) -> Result<Vec<Publication>, StoreError> {
        let rows = sqlx::query(trusted(format!(
            "SELECT {PUBLICATION_COLUMNS} FROM publications \
             WHERE forced_reason IS NOT NULL AND reviewed_at IS NULL ORDER BY id"
        )))
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(publication_from_row).collect()
    }

    /// Marks a forced publication as reviewed, by someone other than its publisher.
    pub async fn review_publication(
        &self,
        id: i64,
        by: &str,
        now: &str,
    ) -> Result<Publication, StoreError> {
        let p = self.publication(id).await?;
        if p.published_by == by {
            return Err(refused(Refusal::SameReviewer));
        }
        sqlx::query(
            "UPDATE publications SET reviewed_by = $1, reviewed_at = $2 \
             WHERE id = $3 AND reviewed_at IS NULL",
        )
        .bind(by)
        .bind(now)
        .bind(id)
        .execute(self.pool())
        .await?;
        self.publication(id).await
    }
}

/// Deletes the draft at `revision` as its publication begins. The draft must
/// still be the one the publisher saw: deleting it first also stops two
/// instances from publishing the same schedule twice.
async fn take_draft(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    kind: RecordKind,
    slug: &str,
    revision: i64,
) -> Result<(), StoreError> {
    let gone = sqlx::query("DELETE FROM drafts WHERE kind = $1 AND slug = $2 AND revision = $3")
        .bind(kind.as_str())
        .bind(slug)
        .bind(revision)
        .execute(&mut **tx)
        .await?;
    if gone.rows_affected() != 1 {
        return Err(StoreError::DraftConflict {
            kind,
            slug: slug.to_string(),
        });
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
async fn insert_publication(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    kind: RecordKind,
    slug: &str,
    version: i64,
    at: &str,
    by: &str,
    substantive: bool,
    public_note: Option<&Text>,
    forced_reason: Option<&str>,
) -> Result<i64, StoreError> {
    sqlx::query(
        "INSERT INTO publications (kind, slug, version, at, published_by, substantive, public_note, \
         forced_reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(kind.as_str())
    .bind(slug)
    .bind(version)
    .bind(at)
    .bind(by)
    .bind(i64::from(substantive))
    .bind(public_note.map(|t| serde_json::to_string(t).expect("text serializes")))
    .bind(forced_reason)
    .execute(&mut **tx)
    .await?;
    let id: i64 = sqlx::query(
        "SELECT MAX(id) FROM publications WHERE kind = $1 AND slug = $2 AND version = $3",
    )
    .bind(kind.as_str())
    .bind(slug)
    .bind(version)
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?;
    Ok(id)
}

/// Writes the first revision of a record's draft, with its first change note.
async fn insert_draft(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    kind: RecordKind,
    slug: &str,
    body: &str,
    base_version: Option<i64>,
    entry: DraftNote,
) -> Result<(), StoreError> {
    let notes = serde_json::to_string(&vec![&entry]).expect("notes serialize");
    sqlx::query(
        "INSERT INTO drafts (kind, slug, body, base_version, revision, status, notes, \
         created_by, created_at, updated_by, updated_at) \
         VALUES ($1, $2, $3, $4, 1, 'draft', $5, $6, $7, $6, $7)",
    )
    .bind(kind.as_str())
    .bind(slug)
    .bind(body)
    .bind(base_version)
    .bind(notes)
    .bind(&entry.by)
    .bind(&entry.at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Writes the next revision of a draft at revision `rev`, its change note
/// appended, and sends it back to writing; false when the draft moved on.
async fn update_draft(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    kind: RecordKind,
    slug: &str,
    body: &str,
    base_version: Option<i64>,
    entry: DraftNote,
    rev: i64,
) -> Result<bool, StoreError> {
    let old: String = sqlx::query("SELECT notes FROM drafts WHERE kind = $1 AND slug = $2")
        .bind(kind.as_str())
        .bind(slug)
        .fetch_one(&mut **tx)
        .await?
        .try_get(0)?;
    let mut notes: Vec<DraftNote> =
        serde_json::from_str(&old).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let (author, now) = (entry.by.clone(), entry.at.clone());
    notes.push(entry);
    let done = sqlx::query(
        "UPDATE drafts SET body = $1, base_version = $2, revision = revision + 1, \
         status = 'draft', notes = $3, updated_by = $4, updated_at = $5, \
         submitted_by = NULL, submitted_at = NULL, scheduled_at = NULL, \
         scheduled_by = NULL, schedule_reason = NULL, schedule_note = NULL \
         WHERE kind = $6 AND slug = $7 AND revision = $8",
    )
    .bind(body)
    .bind(base_version)
    .bind(serde_json::to_string(&notes).expect("notes serialize"))
    .bind(author)
    .bind(now)
    .bind(kind.as_str())
    .bind(slug)
    .bind(rev)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}
