//! Storage of the registry: SQLite (embedded, the default) or PostgreSQL,
//! chosen at run time from the database URL, behind one [`Store`] type and
//! one set of queries.
//!
//! Every write goes through a transaction that updates the current record and
//! appends its whole new version to the revision log. Nothing is deleted.

mod accounts;
mod backup;
mod backup_check;
mod calendar_tokens;
mod check;
mod connect;
mod error;
mod error_message;
mod feedback;
mod import;
mod store;
mod time_fmt;
mod tokens;
mod workflow;
mod write;

pub use accounts::{
    AuditEntry, AuditFilter, NewAudit, Session, User, normalize_email, valid_email,
};
pub use backup::BackupCounts;
pub use backup_check::{
    BACKUP_FORMAT, BackupDamage, BackupSummary, Damage, LEGACY_BACKUP_FORMAT, verify_backup,
};
pub use calendar_tokens::{CALENDAR_TOKEN_PREFIX, CalendarFeed};
pub use connect::{CONNECT_DEADLINE, ConnectCause, ConnectError};
pub use error::StoreError;
pub use feedback::{
    FEEDBACK_COMMENT_MAX, FEEDBACK_PATH_MAX, Feedback, FeedbackAnswer, FeedbackCount,
    FeedbackFilter, FeedbackTriage, NewFeedback, TriageStatus,
};
pub use store::{
    Backend, Blob, Clock, ContentDates, ImportItem, ImportReport, Revision, RevisionAction, Store,
    StoredRecord, Visibility, content_timestamp, redact_url,
};
pub use time_fmt::{format_timestamp, now_timestamp};
pub use tokens::{ApiToken, TOKEN_PREFIX, token_digest};
pub use workflow::{Draft, DraftNote, DraftStatus, EditBase, Publication, PublishRequest, Refusal};
pub use write::{Actor, Writer, record_action};
