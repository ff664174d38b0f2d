//! The API's door to the write service (`paradiplo_store::Writer`): the
//! same role rules, version checks, public-note rule and audit log as the
//! staff workspace and the import. What is left here is HTTP's part: the
//! change note a request must carry, and the mapping of refusals to
//! statuses.
//!
//! - editor: creates drafts and rewrites records that are still drafts;
//!   a change to a published or archived record is saved as its *working
//!   copy* (`Writer::save_draft`, as the staff form does), which a
//!   publisher reviews and publishes: the public record stays as it is;
//! - publisher (and admin): also publishes, archives and restores;
//! - reader: reads drafts, writes nothing.
//!
//! Every write names its author (`api:` and the token's name) and a change note.

use paradiplo_core::roles::RoleRefusal;
use paradiplo_core::{AnyRecord, FieldError, Problem, RecordKind, RecordState, Role, Text};
use paradiplo_store::{
    Actor, Draft, EditBase, Refusal, Store, StoreError, StoredRecord, Visibility,
};

/// Who writes: a name for the revision log, a role for the rules, and
/// where the write came from for the audit log.
pub type Author = Actor;

/// Why a write was refused. Nothing was written in any case.
#[derive(Debug)]
pub enum WriteError {
    /// The author's role is below `needed`.
    Forbidden {
        needed: Role,
    },
    /// An editor tried to rewrite a record that is not a draft.
    NotADraft,
    NotFound,
    AlreadyExists,
    /// The writer started from `expected` but the record is at `current`.
    Stale {
        expected: i64,
        current: i64,
    },
    /// The writer named working copy revision `expected` (None: no working
    /// copy) but it is at `current` (None: there is none).
    DraftStale {
        expected: Option<i64>,
        current: Option<i64>,
    },
    Invalid(Vec<FieldError>),
    Store(StoreError),
}

impl From<StoreError> for WriteError {
    fn from(e: StoreError) -> WriteError {
        match e {
            StoreError::Role(RoleRefusal::Below { needed }) => WriteError::Forbidden { needed },
            StoreError::Role(RoleRefusal::NotADraft) => WriteError::NotADraft,
            StoreError::NotFound { .. }
            | StoreError::VersionNotFound { .. }
            | StoreError::Refused(Refusal::NotFound) => WriteError::NotFound,
            StoreError::AlreadyExists { .. } => WriteError::AlreadyExists,
            StoreError::Conflict {
                expected, current, ..
            } => WriteError::Stale { expected, current },
            // Someone saved the working copy between our read and our write.
            StoreError::DraftConflict { .. } => WriteError::DraftStale {
                expected: None,
                current: None,
            },
            StoreError::Refused(Refusal::PublicNoteRequired) => {
                WriteError::Invalid(vec![FieldError::new("public_note", "", Problem::Required)])
            }
            StoreError::Invalid(errors) => WriteError::Invalid(
                errors
                    .into_iter()
                    .map(|e| e.error.within("record"))
                    .collect(),
            ),
            other => WriteError::Store(other),
        }
    }
}

pub const NOTE_MAX: usize = 1_000;

/// The change note is required: the revision log says why.
pub fn check_note(note: &str) -> Result<(), FieldError> {
    if note.trim().is_empty() {
        Err(FieldError::new("note", "", Problem::Required))
    } else if note.chars().count() > NOTE_MAX {
        Err(FieldError::new(
            "note",
            note.chars().take(40).collect::<String>(),
            Problem::TooLong { max: NOTE_MAX },
        ))
    } else {
        Ok(())
    }
}

fn noted(note: &str) -> Result<(), WriteError> {
    check_note(note).map_err(|e| WriteError::Invalid(vec![e]))
}

/// Creates a record, as a draft unless `state` says otherwise.
pub async fn create(
    store: &Store,
    author: &Author,
    record: AnyRecord,
    state: Option<RecordState>,
    note: &str,
) -> Result<StoredRecord, WriteError> {
    let state = state.unwrap_or(RecordState::Draft);
    author
        .role
        .may(paradiplo_core::roles::WriteAct::Record {
            to: state,
            current: None,
        })
        .map_err(StoreError::Role)?;
    noted(note)?;
    Ok(store.writer().create(author, record, state, note).await?)
}

/// What an update names as its starting point: the record's version, and
/// the revision of its working copy when it has one (`If-Match: "3-r2"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Expected {
    pub version: i64,
    pub draft_revision: Option<i64>,
}

/// What an update wrote.
#[derive(Debug)]
pub enum Written {
    /// A new version of the record itself.
    Record(Box<StoredRecord>),
    /// The record's working copy; the record (in the state given) is unchanged.
    WorkingCopy(Box<Draft>, RecordState),
}

/// Whether an update by `role` over a record in `current` state, asking
/// for `to`, goes to the record's working copy: an editor's change to a
/// published or archived record, as from the staff form.
fn to_working_copy(
    role: paradiplo_core::Role,
    current: RecordState,
    to: Option<RecordState>,
) -> bool {
    role.can_edit()
        && !role.can_publish()
        && current != RecordState::Draft
        && to.is_none_or(|t| t == RecordState::Draft)
}

/// Updates a record from `expected`; without a `state`, the record keeps
/// its own. An editor's change to a record that is not a draft is saved as
/// its working copy, through the same `Writer::save_draft` as the form.
pub async fn update(
    store: &Store,
    author: &Author,
    record: AnyRecord,
    state: Option<RecordState>,
    expected: Expected,
    note: &str,
    now: &str,
) -> Result<Written, WriteError> {
    noted(note)?;
    let (kind, slug) = (record.kind(), record.slug().to_string());
    let current = store
        .get(kind, &slug, Visibility::All)
        .await?
        .ok_or(WriteError::NotFound)?;
    if !to_working_copy(author.role, current.state, state) {
        let stored = store
            .writer()
            .update(author, record, state, expected.version, note)
            .await?;
        return Ok(Written::Record(Box::new(stored)));
    }
    if current.version != expected.version {
        return Err(WriteError::Stale {
            expected: expected.version,
            current: current.version,
        });
    }
    let draft_revision = store.draft(kind, &slug).await?.map(|d| d.revision);
    if draft_revision != expected.draft_revision {
        return Err(WriteError::DraftStale {
            expected: expected.draft_revision,
            current: draft_revision,
        });
    }
    let base = EditBase {
        record_version: Some(current.version),
        draft_revision,
    };
    let draft = store
        .writer()
        .save_draft(author, record, base, note, now)
        .await?;
    Ok(Written::WorkingCopy(Box::new(draft), current.state))
}

pub async fn archive(
    store: &Store,
    author: &Author,
    kind: RecordKind,
    slug: &str,
    expected: i64,
    note: &str,
) -> Result<StoredRecord, WriteError> {
    author
        .role
        .may(paradiplo_core::roles::WriteAct::Publish)
        .map_err(StoreError::Role)?;
    noted(note)?;
    Ok(store
        .writer()
        .archive(author, kind, slug, expected, note)
        .await?)
}

/// Makes `from_version` current again (by default the current version,
/// which un-archives an archived record), as a new published version. A
/// substantive change to a published record needs a public change note,
/// as from the staff workspace.
#[allow(clippy::too_many_arguments)]
pub async fn restore(
    store: &Store,
    author: &Author,
    kind: RecordKind,
    slug: &str,
    from_version: Option<i64>,
    expected: i64,
    note: &str,
    public_note: Option<Text>,
) -> Result<StoredRecord, WriteError> {
    author
        .role
        .may(paradiplo_core::roles::WriteAct::Publish)
        .map_err(StoreError::Role)?;
    noted(note)?;
    let now = paradiplo_store::now_timestamp();
    store
        .writer()
        .restore(
            author,
            kind,
            slug,
            from_version,
            expected,
            note,
            public_note,
            &now,
        )
        .await?;
    store
        .get(kind, slug, Visibility::All)
        .await?
        .ok_or(WriteError::NotFound)
}
