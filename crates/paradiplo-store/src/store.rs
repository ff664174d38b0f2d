use crate::error::StoreError;
use crate::time_fmt::now_timestamp;
use paradiplo_core::views::PublicActivity;
use paradiplo_core::{AnyRecord, RecordKind, RecordState, Registry};
use sqlx::any::{AnyConnectOptions, AnyPoolOptions, AnyRow};
use sqlx::{Any, AnyPool, Row, Transaction};
use std::collections::BTreeMap;
use std::str::FromStr;
use std::time::Duration;

/// Which database engine is behind the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn from_url(url: &str) -> Result<Backend, StoreError> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else {
            Err(StoreError::UnsupportedUrl(redact_url(url)))
        }
    }
}

/// Hides a password in a database URL before it reaches a log or a message.
pub fn redact_url(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("***"));
            u.to_string()
        }
        _ => url.to_string(),
    }
}

/// Which records a reader may see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visibility {
    /// Published records only: what the public portal and API read.
    Public,
    /// Drafts and published records (staff).
    Staff,
    /// Everything, archived records included (exports, backups).
    All,
}

/// A record with its registry metadata.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredRecord {
    pub record: AnyRecord,
    pub version: i64,
    pub state: RecordState,
    pub created_at: String,
    pub updated_at: String,
    pub updated_by: String,
    /// When the public was last told of a substantive change (first
    /// publication, or a publication whose diff is more than typography):
    /// the "last updated" a public page shows.
    pub public_changed_at: String,
}

impl StoredRecord {
    /// The record as a reader at `visibility` sees it: the public never
    /// reads a staff note.
    pub fn seen_at(mut self, visibility: Visibility) -> StoredRecord {
        if visibility == Visibility::Public {
            self.record = self.record.for_public();
        }
        self
    }
}

/// What a revision did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RevisionAction {
    Create,
    Update,
    Archive,
    Restore,
}

impl RevisionAction {
    pub fn as_str(self) -> &'static str {
        match self {
            RevisionAction::Create => "create",
            RevisionAction::Update => "update",
            RevisionAction::Archive => "archive",
            RevisionAction::Restore => "restore",
        }
    }
    fn parse(raw: &str) -> Result<RevisionAction, StoreError> {
        Ok(match raw {
            "create" => RevisionAction::Create,
            "update" => RevisionAction::Update,
            "archive" => RevisionAction::Archive,
            "restore" => RevisionAction::Restore,
            other => return Err(StoreError::Corrupt(format!("unknown action `{other}`"))),
        })
    }
}

/// One entry of the revision log: who wrote which version, when, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Revision {
    pub id: i64,
    pub kind: RecordKind,
    pub slug: String,
    pub version: i64,
    pub action: RevisionAction,
    pub state: RecordState,
    pub record: AnyRecord,
    pub author: String,
    pub at: String,
    pub note: String,
}

/// A file attached to a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blob {
    pub sha256: String,
    pub media_type: String,
    pub bytes: Vec<u8>,
}

/// One record to import, with the state it should have.
#[derive(Debug, Clone)]
pub struct ImportItem {
    pub record: AnyRecord,
    pub state: RecordState,
}

/// Each record's last substantive change, by kind and slug (a day).
pub type ContentDates = BTreeMap<(RecordKind, String), time::Date>;

/// A content date as a stored timestamp (midnight UTC of that day).
pub fn content_timestamp(day: time::Date) -> String {
    crate::time_fmt::format_timestamp(day.midnight().assume_utc())
}

/// What an import changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub files: usize,
}

/// The registry's storage. Cheap to clone (a pool handle).
#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    clock: Clock,
}

/// Where the store reads the time of its imports: the system clock, or one
/// a test injects ([`Store::with_clock`]).
#[derive(Clone)]
pub struct Clock(std::sync::Arc<dyn Fn() -> time::OffsetDateTime + Send + Sync>);

impl Clock {
    pub fn system() -> Clock {
        Clock(std::sync::Arc::new(time::OffsetDateTime::now_utc))
    }
    pub fn fixed(at: time::OffsetDateTime) -> Clock {
        Clock(std::sync::Arc::new(move || at))
    }
    pub fn now(&self) -> time::OffsetDateTime {
        (self.0)()
    }
}

impl std::fmt::Debug for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Clock")
    }
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

const RECORD_COLUMNS: &str = "kind, slug, version, state, body, created_at, updated_at, updated_by, \
     COALESCE(public_changed_at, updated_at)";
const REVISION_COLUMNS: &str = "id, kind, slug, version, action, state, body, author, at, note";

impl Store {
    /// Connects to `url` (`sqlite://path?mode=rwc` or `postgres://…`). SQLite
    /// connections run in WAL mode with foreign keys on.
    pub async fn connect(url: &str) -> Result<Store, StoreError> {
        sqlx::any::install_default_drivers();
        let backend = Backend::from_url(url)?;
        if backend == Backend::Postgres {
            crate::connect::probe_postgres(url)
                .await
                .map_err(StoreError::Connect)?;
        }
        let options = AnyConnectOptions::from_str(url)?;
        let pool = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite { 8 } else { 16 })
            .acquire_timeout(Duration::from_secs(30))
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        for pragma in [
                            "PRAGMA journal_mode = WAL",
                            "PRAGMA foreign_keys = ON",
                            "PRAGMA busy_timeout = 10000",
                            "PRAGMA synchronous = NORMAL",
                        ] {
                            sqlx::query(pragma).execute(&mut *conn).await?;
                        }
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        Ok(Store {
            pool,
            backend,
            clock: Clock::system(),
        })
    }

    /// Connects and applies pending migrations: what `serve` and every
    /// command that touches the store do.
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        let store = Store::connect(url).await?;
        store.migrate().await?;
        Ok(store)
    }

    /// The same store, reading the time of its imports from `clock`.
    pub fn with_clock(mut self, clock: Clock) -> Store {
        self.clock = clock;
        self
    }

    /// The time of an import, as stored.
    pub(crate) fn now_timestamp(&self) -> String {
        crate::time_fmt::format_timestamp(self.clock.now())
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Begins a write transaction. On SQLite it takes the write lock at
    /// once (`BEGIN IMMEDIATE`): a transaction that began as a reader and
    /// then writes fails at once with "database is locked" when another
    /// writer got in between, whereas one that waits for the lock up front
    /// queues behind the busy timeout.
    pub(crate) async fn begin_write(&self) -> Result<Transaction<'static, Any>, StoreError> {
        Ok(match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        })
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// Folds SQLite's write-ahead log into the database file and empties it,
    /// so that `paradiplo.db` alone holds everything written so far (after an
    /// import, a restore, and on a clean shutdown). Nothing to do on
    /// PostgreSQL. A checkpoint that readers keep from finishing is not an
    /// error: SQLite completes it later.
    pub async fn checkpoint(&self) -> Result<(), StoreError> {
        if self.backend == Backend::Sqlite {
            sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                .execute(&self.pool)
                .await?;
        }
        Ok(())
    }

    /// Applies the migrations of this backend that are not applied yet.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        match self.backend {
            Backend::Sqlite => SQLITE_MIGRATIONS.run(&self.pool).await?,
            Backend::Postgres => POSTGRES_MIGRATIONS.run(&self.pool).await?,
        }
        Ok(())
    }

    /// Names of the migrations shipped for a backend (checked in step by a test).
    pub fn migration_names(backend: Backend) -> Vec<String> {
        let m = match backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        m.iter()
            .map(|m| format!("{}_{}", m.version, m.description))
            .collect()
    }

    /// The latest migration version applied to this database.
    pub async fn schema_version(&self) -> Result<i64, StoreError> {
        let row = sqlx::query("SELECT COALESCE(MAX(version), 0) FROM _sqlx_migrations")
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get(0)?)
    }

    /// True when no record has ever been written.
    pub async fn is_empty(&self) -> Result<bool, StoreError> {
        let row = sqlx::query("SELECT COUNT(*) FROM records")
            .fetch_one(&self.pool)
            .await?;
        let n: i64 = row.try_get(0)?;
        Ok(n == 0)
    }

    /// Number of records per kind visible at `visibility`.
    pub async fn counts(
        &self,
        visibility: Visibility,
    ) -> Result<BTreeMap<RecordKind, i64>, StoreError> {
        let rows = sqlx::query(trusted(format!(
            "SELECT kind, COUNT(*) FROM records WHERE {} GROUP BY kind",
            visibility_clause(visibility)
        )))
        .fetch_all(&self.pool)
        .await?;
        let mut out: BTreeMap<RecordKind, i64> = RecordKind::ALL.iter().map(|k| (*k, 0)).collect();
        for row in rows {
            let kind: String = row.try_get(0)?;
            let n: i64 = row.try_get(1)?;
            if let Some(k) = RecordKind::parse(&kind) {
                out.insert(k, n);
            }
        }
        Ok(out)
    }

    /// The newest change among the records visible at `visibility`, if any.
    pub async fn last_updated(&self, visibility: Visibility) -> Result<Option<String>, StoreError> {
        let row = sqlx::query(trusted(format!(
            "SELECT MAX(COALESCE(public_changed_at, updated_at)) FROM records WHERE {}",
            visibility_clause(visibility)
        )))
        .fetch_one(&self.pool)
        .await?;
        Ok(row.try_get::<Option<String>, _>(0)?)
    }

    /// A number that changes whenever any record is written (the id of the
    /// newest revision): readers key their caches on it.
    pub async fn change_token(&self) -> Result<i64, StoreError> {
        let row = sqlx::query("SELECT COALESCE(MAX(id), 0) FROM revisions")
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get(0)?)
    }

    pub async fn get(
        &self,
        kind: RecordKind,
        slug: &str,
        visibility: Visibility,
    ) -> Result<Option<StoredRecord>, StoreError> {
        let row = sqlx::query(trusted(format!(
            "SELECT {RECORD_COLUMNS} FROM records WHERE kind = $1 AND slug = $2 AND {}",
            visibility_clause(visibility)
        )))
        .bind(kind.as_str())
        .bind(slug)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| record_from_row(&r).map(|r| r.seen_at(visibility)))
            .transpose()
    }

    /// Every record of a kind visible at `visibility`, by slug.
    pub async fn list(
        &self,
        kind: RecordKind,
        visibility: Visibility,
    ) -> Result<Vec<StoredRecord>, StoreError> {
        let rows = sqlx::query(trusted(format!(
            "SELECT {RECORD_COLUMNS} FROM records WHERE kind = $1 AND {} ORDER BY slug",
            visibility_clause(visibility)
        )))
        .bind(kind.as_str())
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| record_from_row(r).map(|r| r.seen_at(visibility)))
            .collect()
    }

    /// Every record visible at `visibility`, as a registry.
    pub async fn registry(&self, visibility: Visibility) -> Result<Registry, StoreError> {
        Ok(self
            .all(visibility)
            .await?
            .into_iter()
            .map(|r| r.record)
            .fold(Registry::new(), |mut reg, r| {
                reg.push(r);
                reg
            }))
    }

    /// Every record visible at `visibility`, with metadata.
    pub async fn all(&self, visibility: Visibility) -> Result<Vec<StoredRecord>, StoreError> {
        let rows = sqlx::query(trusted(format!(
            "SELECT {RECORD_COLUMNS} FROM records WHERE {} ORDER BY kind, slug",
            visibility_clause(visibility)
        )))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| record_from_row(r).map(|r| r.seen_at(visibility)))
            .collect()
    }

    /// Creates a record at version 1.
    pub async fn create(
        &self,
        record: AnyRecord,
        state: RecordState,
        author: &str,
        note: &str,
    ) -> Result<StoredRecord, StoreError> {
        self.check(&record).await?;
        let mut tx = self.begin_write().await?;
        if current_version(&mut tx, record.kind(), record.slug().as_str())
            .await?
            .is_some()
        {
            return Err(StoreError::AlreadyExists {
                kind: record.kind(),
                slug: record.slug().to_string(),
            });
        }
        let stored = insert_record(&mut tx, &record, state, author, note).await?;
        tx.commit().await?;
        Ok(stored)
    }

    /// Writes a new version of a record. `expected_version` is the version the
    /// writer started from; if the record has moved on since, nothing is
    /// written and [`StoreError::Conflict`] says so.
    pub async fn update(
        &self,
        record: AnyRecord,
        state: RecordState,
        expected_version: i64,
        author: &str,
        note: &str,
    ) -> Result<StoredRecord, StoreError> {
        self.check(&record).await?;
        let kind = record.kind();
        let slug = record.slug().to_string();
        let mut tx = self.begin_write().await?;
        let action = if state == RecordState::Archived {
            RevisionAction::Archive
        } else {
            RevisionAction::Update
        };
        let stored = write_version(
            &mut tx,
            kind,
            &slug,
            &record,
            state,
            expected_version,
            action,
            author,
            note,
        )
        .await?;
        tx.commit().await?;
        Ok(stored)
    }

    /// Archives a record: it leaves the portal, keeps its history, and can be restored.
    pub async fn archive(
        &self,
        kind: RecordKind,
        slug: &str,
        expected_version: i64,
        author: &str,
        note: &str,
    ) -> Result<StoredRecord, StoreError> {
        let mut tx = self.begin_write().await?;
        let current = fetch_for_update(&mut tx, kind, slug).await?;
        let stored = write_version(
            &mut tx,
            kind,
            slug,
            &current.record,
            RecordState::Archived,
            expected_version,
            RevisionAction::Archive,
            author,
            note,
        )
        .await?;
        tx.commit().await?;
        Ok(stored)
    }

    /// Makes an earlier version current again, as a new version. Restoring an
    /// archived version, or restoring an archived record, publishes it again.
    pub async fn restore(
        &self,
        kind: RecordKind,
        slug: &str,
        from_version: i64,
        expected_version: i64,
        author: &str,
        note: &str,
    ) -> Result<StoredRecord, StoreError> {
        let old = self
            .revision(kind, slug, from_version)
            .await?
            .ok_or_else(|| StoreError::VersionNotFound {
                kind,
                slug: slug.to_string(),
                version: from_version,
            })?;
        self.check(&old.record).await?;
        let state = match old.state {
            RecordState::Archived => RecordState::Published,
            s => s,
        };
        let mut tx = self.begin_write().await?;
        let stored = write_version(
            &mut tx,
            kind,
            slug,
            &old.record,
            state,
            expected_version,
            RevisionAction::Restore,
            author,
            note,
        )
        .await?;
        tx.commit().await?;
        Ok(stored)
    }

    /// The revision log of a record, oldest first.
    pub async fn history(&self, kind: RecordKind, slug: &str) -> Result<Vec<Revision>, StoreError> {
        let rows = sqlx::query(trusted(format!(
            "SELECT {REVISION_COLUMNS} FROM revisions WHERE kind = $1 AND slug = $2 ORDER BY version"
        )))
        .bind(kind.as_str())
        .bind(slug)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(revision_from_row).collect()
    }

    /// One version of a record, as it was written.
    pub async fn revision(
        &self,
        kind: RecordKind,
        slug: &str,
        version: i64,
    ) -> Result<Option<Revision>, StoreError> {
        let row = sqlx::query(trusted(format!(
            "SELECT {REVISION_COLUMNS} FROM revisions WHERE kind = $1 AND slug = $2 AND version = $3"
        )))
        .bind(kind.as_str())
        .bind(slug)
        .bind(version)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| revision_from_row(&r)).transpose()
    }

    /// The revisions written after revision `after_id`, oldest first (at most
    /// `limit`): the change feed other instances and indexes follow. Records
    /// come without their staff note (an index must never carry one; the
    /// staff read notes through [`Store::history`]).
    pub async fn revisions_since(
        &self,
        after_id: i64,
        limit: i64,
    ) -> Result<Vec<Revision>, StoreError> {
        let rows = sqlx::query(trusted(format!(
            "SELECT {REVISION_COLUMNS} FROM revisions WHERE id > $1 ORDER BY id LIMIT $2"
        )))
        .bind(after_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                revision_from_row(r).map(|mut rev| {
                    rev.record = rev.record.for_public();
                    rev
                })
            })
            .collect()
    }

    /// Revisions with `after_id < id <= upto_id`, oldest first, at most
    /// `limit`: how the search index reads again a range of ids it missed
    /// (records without their staff note, as in [`Store::revisions_since`]).
    pub async fn revisions_between(
        &self,
        after_id: i64,
        upto_id: i64,
        limit: i64,
    ) -> Result<Vec<Revision>, StoreError> {
        let rows = sqlx::query(trusted(format!(
            "SELECT {REVISION_COLUMNS} FROM revisions WHERE id > $1 AND id <= $2 ORDER BY id LIMIT $3"
        )))
        .bind(after_id)
        .bind(upto_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                revision_from_row(r).map(|mut rev| {
                    rev.record = rev.record.for_public();
                    rev
                })
            })
            .collect()
    }

    /// The public summaries of published activities: the only part of an
    /// activity the public may see.
    pub async fn public_activities(&self) -> Result<Vec<PublicActivity>, StoreError> {
        Ok(self
            .list(RecordKind::Activity, Visibility::Staff)
            .await?
            .into_iter()
            .filter(|r| r.state == RecordState::Published)
            .filter_map(|r| match &r.record {
                AnyRecord::Activity(a) => PublicActivity::of(a),
                _ => None,
            })
            .collect())
    }

    /// The newest revisions that published a record still published today,
    /// newest first: the public change feed (drafts, archived records and
    /// the changes of withdrawn records never appear).
    pub async fn published_changes(&self, limit: i64) -> Result<Vec<Revision>, StoreError> {
        let columns = REVISION_COLUMNS
            .split(", ")
            .map(|c| format!("r.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        let rows = sqlx::query(trusted(format!(
            "SELECT {columns} FROM revisions r JOIN records c ON c.kind = r.kind AND c.slug = r.slug \
             WHERE r.state = 'published' AND {} ORDER BY r.id DESC LIMIT $1",
            public_clause("c.")
        )))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                revision_from_row(r).map(|mut rev| {
                    rev.record = rev.record.for_public();
                    rev
                })
            })
            .collect()
    }

    /// The id of the newest revision (0 for an empty store): it changes with
    /// every write, so it keys caches of anything derived from the records.
    pub async fn last_revision_id(&self) -> Result<i64, StoreError> {
        let row = sqlx::query("SELECT COALESCE(MAX(id), 0) FROM revisions")
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get(0)?)
    }

    /// Stores a file if it is not stored yet.
    pub async fn put_blob(&self, blob: &Blob) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        insert_blob(&mut tx, blob).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn blob(&self, sha256: &str) -> Result<Option<Blob>, StoreError> {
        let row = sqlx::query("SELECT sha256, media_type, bytes FROM blobs WHERE sha256 = $1")
            .bind(sha256)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| -> Result<Blob, StoreError> {
            Ok(Blob {
                sha256: r.try_get(0)?,
                media_type: r.try_get(1)?,
                bytes: r.try_get(2)?,
            })
        })
        .transpose()
    }

    /// Imports records and files in one transaction: either everything is
    /// written, or nothing is. Records equal to the stored ones are left alone;
    /// changed ones get a new version. Goes through the write service as an
    /// administrator (`client` "import"), so every record written has its
    /// audit line.
    pub async fn import(
        &self,
        items: Vec<ImportItem>,
        blobs: Vec<Blob>,
        author: &str,
        note: &str,
    ) -> Result<ImportReport, StoreError> {
        self.import_dated(items, &ContentDates::new(), blobs, author, note)
            .await
    }

    /// Imports as [`Store::import`], with each record's content date (its
    /// last substantive change, as the dataset gives it): a record created,
    /// or changed substantively, takes that date as its public "last
    /// updated" instead of the time of the import.
    pub async fn import_dated(
        &self,
        items: Vec<ImportItem>,
        dates: &ContentDates,
        blobs: Vec<Blob>,
        author: &str,
        note: &str,
    ) -> Result<ImportReport, StoreError> {
        let actor = crate::Actor {
            name: author.to_string(),
            role: paradiplo_core::Role::Admin,
            client: "import".to_string(),
        };
        self.writer()
            .import(&actor, items, dates, blobs, note)
            .await
    }

    pub async fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        let row = sqlx::query("SELECT value FROM settings WHERE key = $1")
            .bind(key)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| r.try_get(0)).transpose()?)
    }

    pub async fn set_setting(&self, key: &str, value: &str) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO settings (key, value) VALUES ($1, $2) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(key)
        .bind(value)
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}

/// Marks SQL built with `format!` as safe: the only parts spliced in are the
/// constant column lists and visibility clauses of this module, never input.
pub(crate) fn trusted(sql: String) -> sqlx::AssertSqlSafe<String> {
    sqlx::AssertSqlSafe(sql)
}

fn visibility_clause(v: Visibility) -> &'static str {
    match v {
        Visibility::Public => PUBLIC_CLAUSE.get_or_init(|| public_clause("")),
        Visibility::Staff => "state IN ('draft', 'published')",
        Visibility::All => "1 = 1",
    }
}

/// What the public may read, for a table aliased by `prefix` ("c." or ""):
/// published records, never of a confidential kind, whatever their state.
fn public_clause(prefix: &str) -> String {
    let kinds: Vec<String> = RecordKind::CONFIDENTIAL
        .iter()
        .map(|k| format!("'{}'", k.as_str()))
        .collect();
    format!(
        "{prefix}state = 'published' AND {prefix}kind NOT IN ({})",
        kinds.join(", ")
    )
}

static PUBLIC_CLAUSE: std::sync::OnceLock<String> = std::sync::OnceLock::new();

fn parse_state(raw: &str) -> Result<RecordState, StoreError> {
    RecordState::parse(raw).ok_or_else(|| StoreError::Corrupt(format!("unknown state `{raw}`")))
}

fn parse_kind(raw: &str) -> Result<RecordKind, StoreError> {
    RecordKind::parse(raw).ok_or_else(|| StoreError::Corrupt(format!("unknown kind `{raw}`")))
}

pub(crate) fn parse_body(
    kind: RecordKind,
    slug: &str,
    body: &str,
) -> Result<AnyRecord, StoreError> {
    let value: serde_json::Value = serde_json::from_str(body)
        .map_err(|e| StoreError::Corrupt(format!("{kind} `{slug}`: {e}")))?;
    AnyRecord::from_json(kind, value)
        .map_err(|e| StoreError::Corrupt(format!("{kind} `{slug}`: {e}")))
}

pub(crate) fn record_from_row(row: &AnyRow) -> Result<StoredRecord, StoreError> {
    let kind = parse_kind(&row.try_get::<String, _>(0)?)?;
    let slug: String = row.try_get(1)?;
    let body: String = row.try_get(4)?;
    Ok(StoredRecord {
        record: parse_body(kind, &slug, &body)?,
        version: row.try_get(2)?,
        state: parse_state(&row.try_get::<String, _>(3)?)?,
        created_at: row.try_get(5)?,
        updated_at: row.try_get(6)?,
        updated_by: row.try_get(7)?,
        public_changed_at: row.try_get(8)?,
    })
}

fn revision_from_row(row: &AnyRow) -> Result<Revision, StoreError> {
    let kind = parse_kind(&row.try_get::<String, _>(1)?)?;
    let slug: String = row.try_get(2)?;
    let body: String = row.try_get(6)?;
    Ok(Revision {
        id: row.try_get(0)?,
        record: parse_body(kind, &slug, &body)?,
        kind,
        slug,
        version: row.try_get(3)?,
        action: RevisionAction::parse(&row.try_get::<String, _>(4)?)?,
        state: parse_state(&row.try_get::<String, _>(5)?)?,
        author: row.try_get(7)?,
        at: row.try_get(8)?,
        note: row.try_get(9)?,
    })
}

pub(crate) async fn current_version(
    tx: &mut Transaction<'_, Any>,
    kind: RecordKind,
    slug: &str,
) -> Result<Option<i64>, StoreError> {
    let row = sqlx::query("SELECT version FROM records WHERE kind = $1 AND slug = $2")
        .bind(kind.as_str())
        .bind(slug)
        .fetch_optional(&mut **tx)
        .await?;
    Ok(row.map(|r| r.try_get(0)).transpose()?)
}

pub(crate) async fn fetch_optional(
    tx: &mut Transaction<'_, Any>,
    kind: RecordKind,
    slug: &str,
) -> Result<Option<StoredRecord>, StoreError> {
    let row = sqlx::query(trusted(format!(
        "SELECT {RECORD_COLUMNS} FROM records WHERE kind = $1 AND slug = $2"
    )))
    .bind(kind.as_str())
    .bind(slug)
    .fetch_optional(&mut **tx)
    .await?;
    row.map(|r| record_from_row(&r)).transpose()
}

async fn fetch_for_update(
    tx: &mut Transaction<'_, Any>,
    kind: RecordKind,
    slug: &str,
) -> Result<StoredRecord, StoreError> {
    fetch_optional(tx, kind, slug)
        .await?
        .ok_or_else(|| StoreError::NotFound {
            kind,
            slug: slug.to_string(),
        })
}

pub(crate) async fn insert_record(
    tx: &mut Transaction<'_, Any>,
    record: &AnyRecord,
    state: RecordState,
    author: &str,
    note: &str,
) -> Result<StoredRecord, StoreError> {
    let now = now_timestamp();
    let body = record.to_json().to_string();
    let kind = record.kind();
    let slug = record.slug().as_str();
    sqlx::query(
        "INSERT INTO records (kind, slug, version, state, body, created_at, updated_at, updated_by, \
         public_changed_at) VALUES ($1, $2, 1, $3, $4, $5, $5, $6, $5)",
    )
    .bind(kind.as_str())
    .bind(slug)
    .bind(state.as_str())
    .bind(&body)
    .bind(&now)
    .bind(author)
    .execute(&mut **tx)
    .await?;
    insert_revision(
        tx,
        kind,
        slug,
        1,
        RevisionAction::Create,
        state,
        &body,
        author,
        &now,
        note,
    )
    .await?;
    Ok(StoredRecord {
        record: record.clone(),
        version: 1,
        state,
        created_at: now.clone(),
        updated_at: now.clone(),
        updated_by: author.to_string(),
        public_changed_at: now,
    })
}

#[allow(clippy::too_many_arguments)]
pub(crate) async fn write_version(
    tx: &mut Transaction<'_, Any>,
    kind: RecordKind,
    slug: &str,
    record: &AnyRecord,
    state: RecordState,
    expected_version: i64,
    action: RevisionAction,
    author: &str,
    note: &str,
) -> Result<StoredRecord, StoreError> {
    let now = now_timestamp();
    let body = record.to_json().to_string();
    let next = expected_version + 1;
    let old =
        sqlx::query("SELECT body FROM records WHERE kind = $1 AND slug = $2 AND version = $3")
            .bind(kind.as_str())
            .bind(slug)
            .bind(expected_version)
            .fetch_optional(&mut **tx)
            .await?
            .map(|r| r.try_get::<String, _>(0))
            .transpose()?;
    // The version check and the write are one statement: two writers racing
    // from the same version cannot both succeed.
    let done = sqlx::query(
        "UPDATE records SET version = $1, state = $2, body = $3, updated_at = $4, updated_by = $5 \
         WHERE kind = $6 AND slug = $7 AND version = $8",
    )
    .bind(next)
    .bind(state.as_str())
    .bind(&body)
    .bind(&now)
    .bind(author)
    .bind(kind.as_str())
    .bind(slug)
    .bind(expected_version)
    .execute(&mut **tx)
    .await?;
    if done.rows_affected() != 1 {
        return Err(match current_version(tx, kind, slug).await? {
            None => StoreError::NotFound {
                kind,
                slug: slug.to_string(),
            },
            Some(current) => StoreError::Conflict {
                kind,
                slug: slug.to_string(),
                expected: expected_version,
                current,
            },
        });
    }
    insert_revision(
        tx, kind, slug, next, action, state, &body, author, &now, note,
    )
    .await?;
    // A substantive change moves the public "last updated"; a typographic
    // fix or a change of state alone does not.
    let substantive = match &old {
        Some(old) => {
            let old: serde_json::Value = serde_json::from_str(old)
                .map_err(|e| StoreError::Corrupt(format!("{kind} `{slug}`: {e}")))?;
            paradiplo_core::diff::is_substantive(&paradiplo_core::diff::diff(
                &old,
                &record.to_json(),
            ))
        }
        None => true,
    };
    if substantive {
        mark_public_change(tx, kind, slug, &now).await?;
    }
    let row = sqlx::query(
        "SELECT created_at, COALESCE(public_changed_at, updated_at) FROM records WHERE kind = $1 AND slug = $2",
    )
    .bind(kind.as_str())
    .bind(slug)
    .fetch_one(&mut **tx)
    .await?;
    let created_at: String = row.try_get(0)?;
    let public_changed_at: String = row.try_get(1)?;
    Ok(StoredRecord {
        record: record.clone(),
        version: next,
        state,
        created_at,
        updated_at: now,
        updated_by: author.to_string(),
        public_changed_at,
    })
}

/// Moves a record's public "last updated" to `at`.
pub(crate) async fn mark_public_change(
    tx: &mut Transaction<'_, Any>,
    kind: RecordKind,
    slug: &str,
    at: &str,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE records SET public_changed_at = $1 WHERE kind = $2 AND slug = $3")
        .bind(at)
        .bind(kind.as_str())
        .bind(slug)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

#[allow(clippy::too_many_arguments)]
async fn insert_revision(
    tx: &mut Transaction<'_, Any>,
    kind: RecordKind,
    slug: &str,
    version: i64,
    action: RevisionAction,
    state: RecordState,
    body: &str,
    author: &str,
    at: &str,
    note: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO revisions (kind, slug, version, action, state, body, author, at, note) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(kind.as_str())
    .bind(slug)
    .bind(version)
    .bind(action.as_str())
    .bind(state.as_str())
    .bind(body)
    .bind(author)
    .bind(at)
    .bind(note)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Inserts a file unless a file with the same digest is there; true if inserted.
pub(crate) async fn insert_blob(
    tx: &mut Transaction<'_, Any>,
    blob: &Blob,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "INSERT INTO blobs (sha256, media_type, size, bytes, created_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (sha256) DO NOTHING",
    )
    .bind(&blob.sha256)
    .bind(&blob.media_type)
    .bind(blob.bytes.len() as i64)
    .bind(&blob.bytes)
    .bind(now_timestamp())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}
