use paradiplo_core::{RecordError, RecordKind};

/// What can go wrong when reading or writing the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("no {kind} record `{slug}`")]
    NotFound { kind: RecordKind, slug: String },
    #[error("no version {version} of {kind} record `{slug}`")]
    VersionNotFound {
        kind: RecordKind,
        slug: String,
        version: i64,
    },
    #[error("{kind} record `{slug}` already exists")]
    AlreadyExists { kind: RecordKind, slug: String },
    /// The writer edited version `expected` but the record is now at `current`.
    #[error(
        "{kind} record `{slug}` was changed by someone else: you edited version {expected}, the current version is {current}"
    )]
    Conflict {
        kind: RecordKind,
        slug: String,
        expected: i64,
        current: i64,
    },
    /// Someone saved the draft (or the record) since this editor's form was shown.
    #[error("{kind} record `{slug}`: the draft was changed by someone else since you opened it")]
    DraftConflict { kind: RecordKind, slug: String },
    /// The publishing workflow does not allow this action now.
    #[error("refused by the publishing workflow: {}", .0.code())]
    Refused(crate::workflow::Refusal),
    #[error("invalid e-mail address `{0}`")]
    InvalidEmail(String),
    #[error("an account already uses the e-mail address `{0}`")]
    EmailTaken(String),
    #[error("no account with id {0}")]
    UserNotFound(i64),
    #[error("invalid record: {}", .0.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<RecordError>),
    #[error("invalid token name `{0}`: 1 to 100 characters")]
    InvalidTokenName(String),
    #[error("unsupported database URL `{0}`: use sqlite://… or postgres://…")]
    UnsupportedUrl(String),
    #[error("the database is not empty: {0}")]
    NotEmpty(String),
    #[error("stored data is unreadable: {0}")]
    Corrupt(String),
    /// Feedback that cannot be stored or a filter that cannot be read.
    #[error("feedback: {0}")]
    InvalidFeedback(String),
    #[error("backup file: {0}")]
    Backup(String),
    /// A backup whose checksums or counts do not match: nothing was written.
    #[error("{0}")]
    DamagedBackup(#[from] crate::backup_check::BackupDamage),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration error: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
}
