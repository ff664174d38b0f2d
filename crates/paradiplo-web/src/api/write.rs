//! The write rules of the API, apart from HTTP so that the staff
//! workspace's publishing workflow can take them over: who may write what,
//! in which state, from which version, with which note.
//!
//! - editor: creates and updates drafts only (and only records that are
//!   still drafts: the store keeps one current version, so rewriting a
//!   published record as a draft would withdraw it from the public);
//! - publisher (and admin): also publishes, archives and restores;
//! - reader: reads drafts, writes nothing.
//!
//! Every write names its author (the token's name) and a change note.

use paradiplo_core::{AnyRecord, FieldError, Problem, RecordKind, RecordState, Role};
use paradiplo_store::{Store, StoreError, StoredRecord, Visibility};

/// Who writes: a name for the revision log and a role for the rules.
#[derive(Debug, Clone)]
pub struct Author {
    pub name: String,
    pub role: Role,
}

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
            StoreError::NotFound { .. } | StoreError::VersionNotFound { .. } => {
                WriteError::NotFound
            }
            StoreError::AlreadyExists { .. } => WriteError::AlreadyExists,
            StoreError::Conflict {
                expected, current, ..
            } => WriteError::Stale { expected, current },
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

fn need(author: &Author, needed: Role) -> Result<(), WriteError> {
    if author.role >= needed {
        Ok(())
    } else {
        Err(WriteError::Forbidden { needed })
    }
}

/// The role a target state needs: drafts are editors' work, publication is publishers'.
fn role_for(state: RecordState) -> Role {
    match state {
        RecordState::Draft => Role::Editor,
        RecordState::Published | RecordState::Archived => Role::Publisher,
    }
}

pub async fn create(
    store: &Store,
    author: &Author,
    record: AnyRecord,
    state: RecordState,
    note: &str,
) -> Result<StoredRecord, WriteError> {
    need(author, role_for(state))?;
    check_note(note).map_err(|e| WriteError::Invalid(vec![e]))?;
    Ok(store.create(record, state, &author.name, note).await?)
}

pub async fn update(
    store: &Store,
    author: &Author,
    record: AnyRecord,
    state: RecordState,
    expected: i64,
    note: &str,
) -> Result<StoredRecord, WriteError> {
    need(author, role_for(state))?;
    let current = store
        .get(record.kind(), record.slug().as_str(), Visibility::All)
        .await?
        .ok_or(WriteError::NotFound)?;
    if current.version != expected {
        return Err(WriteError::Stale {
            expected,
            current: current.version,
        });
    }
    if !author.role.can_publish() && current.state != RecordState::Draft {
        return Err(WriteError::NotADraft);
    }
    check_note(note).map_err(|e| WriteError::Invalid(vec![e]))?;
    // The store checks the version again in the same statement as the write.
    Ok(store
        .update(record, state, expected, &author.name, note)
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
    need(author, Role::Publisher)?;
    check_note(note).map_err(|e| WriteError::Invalid(vec![e]))?;
    Ok(store
        .archive(kind, slug, expected, &author.name, note)
        .await?)
}

/// Makes `from_version` current again (by default the current version,
/// which un-archives an archived record).
pub async fn restore(
    store: &Store,
    author: &Author,
    kind: RecordKind,
    slug: &str,
    from_version: Option<i64>,
    expected: i64,
    note: &str,
) -> Result<StoredRecord, WriteError> {
    need(author, Role::Publisher)?;
    check_note(note).map_err(|e| WriteError::Invalid(vec![e]))?;
    let from = match from_version {
        Some(v) => v,
        None => {
            store
                .get(kind, slug, Visibility::All)
                .await?
                .ok_or(WriteError::NotFound)?
                .version
        }
    };
    Ok(store
        .restore(kind, slug, from, expected, &author.name, note)
        .await?)
}
