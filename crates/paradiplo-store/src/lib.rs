//! Storage of the registry: SQLite (embedded, the default) or PostgreSQL,
//! chosen at run time from the database URL, behind one [`Store`] type and
//! one set of queries.
//!
//! Every write goes through a transaction that updates the current record and
//! appends its whole new version to the revision log. Nothing is deleted.

mod backup;
mod error;
mod feedback;
mod store;
mod time_fmt;

pub use backup::{BACKUP_FORMAT, BackupCounts};
pub use error::StoreError;
pub use feedback::{
    FEEDBACK_COMMENT_MAX, FEEDBACK_PATH_MAX, Feedback, FeedbackAnswer, FeedbackCount,
    FeedbackFilter, FeedbackTriage, NewFeedback, TriageStatus,
};
pub use store::{
    Backend, Blob, ImportItem, ImportReport, Revision, RevisionAction, Store, StoredRecord,
    Visibility, redact_url,
};
pub use time_fmt::now_timestamp;
