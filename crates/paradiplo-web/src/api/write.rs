//! The API's door to the write service (`paradiplo_store::Writer`): the
//! same role rules, version checks, public-note rule and audit log as the
//! staff workspace and the import. What is left here is HTTP's part: the
//! change note a request must carry, and the mapping of refusals to
//! statuses.
//!
//! - editor: creates and updates drafts only (and only records that are
//!   still drafts: the store keeps one current version, so rewriting a
//!   published record as a draft would withdraw it from the public);
//! - publisher (and admin): also publishes, archives and restores;
//! - reader: reads drafts, writes nothing.
//!
//! Every write names its author (`api:` and the token's name) and a change note.

use paradiplo_core::roles::RoleRefusal;
use paradiplo_core::{AnyRecord, FieldError, Problem, RecordKind, RecordState, Role, Text};
use paradiplo_store::{Actor, Refusal, Store, StoreError, StoredRecord, Visibility};

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

/// Updates a record from version `expected`; without a `state`, the record
/// keeps its own.
pub async fn update(
    store: &Store,
    author: &Author,
    record: AnyRecord,
    state: Option<RecordState>,
    expected: i64,
    note: &str,
) -> Result<StoredRecord, WriteError> {
    noted(note)?;
    Ok(store
        .writer()
        .update(author, record, state, expected, note)
        .await?)
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
