use paradiplo_core::roles::RoleRefusal;
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
    /// The writer's role does not allow this write.
    #[error("refused by the role rules: {0:?}")]
    Role(RoleRefusal),
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
    /// The database server could not be reached (said before any pool waits).
    #[error("{0}")]
    Connect(crate::connect::ConnectError),
    /// A backup whose checksums or counts do not match: nothing was written.
    #[error("{0}")]
    DamagedBackup(#[from] crate::backup_check::BackupDamage),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration error: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
}

impl StoreError {
    /// True for a failure that says nothing about the write itself and goes
    /// away when the transaction is tried again: a SQLite lock still held
    /// after the busy timeout, a PostgreSQL serialization failure, deadlock
    /// or lock timeout.
    pub fn is_transient(&self) -> bool {
        let StoreError::Database(sqlx::Error::Database(db)) = self else {
            return false;
        };
        let code = db.code().unwrap_or_default();
        // SQLite: SQLITE_BUSY (5) and SQLITE_LOCKED (6) with their extended
        // codes (the low byte); PostgreSQL: class 40 and lock_not_available.
        let sqlite_busy = code.parse::<i64>().is_ok_and(|n| matches!(n & 0xff, 5 | 6));
        sqlite_busy || matches!(code.as_ref(), "40001" | "40P01" | "55P03")
    }
}

impl StoreError {
    /// True when a row with the same key went in first (two writers
    /// creating the same record at once).
    pub fn is_unique_violation(&self) -> bool {
        matches!(self, StoreError::Database(sqlx::Error::Database(db))
            if db.kind() == sqlx::error::ErrorKind::UniqueViolation)
    }
}
