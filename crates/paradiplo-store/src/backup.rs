//! Backups: a portable dump of every table as JSON lines, readable into an
//! empty store of either backend (so a backup also moves a registry from
//! SQLite to PostgreSQL). The end line carries row counts and SHA-256
//! checksums per table and for the whole file; restore checks them all
//! (`backup_check`) before it writes anything.
//!
//! Every table the migrations created is dumped (records, history, files,
//! settings, feedback, accounts, API tokens, drafts, publications, the audit
//! log, and whatever later migrations add), except sign-in sessions and
//! sign-in attempts, which are ephemeral and would only carry live secrets
//! into another server. Values are tagged by type (`i` integer, `s` text,
//! `b` base64 bytes, `n` null), so nothing depends on a backend's types.

use crate::backup_check::{BACKUP_FORMAT, BackupSummary, Checksums, Verifier};
use crate::error::StoreError;
use crate::store::{Backend, Store};
use base64::Engine;
use serde_json::{Value, json};
use sqlx::Row;
use std::io::{BufRead, Write};

/// Tables never backed up: live sessions and sign-in throttling state.
const EPHEMERAL: [&str; 2] = ["sessions", "login_attempts"];

/// Tables written first on restore, in this order, so that references hold.
const FIRST: [&str; 5] = ["records", "revisions", "blobs", "settings", "users"];

/// Tables of older schemas, found in older backups, and where their rows go
/// now: the two calendar-secret tables became `calendar_secrets` (0009).
const LEGACY_TABLES: [(&str, &str); 2] = [
    (
        "calendar_tokens",
        "INSERT INTO calendar_secrets (user_id, feed, token_hash, created_at) \
         VALUES ($1, 'deadlines', $2, $3)",
    ),
    (
        "follow_up_feed_tokens",
        "INSERT INTO calendar_secrets (user_id, feed, token_hash, created_at) \
         SELECT id, 'follow_ups', $2, $3 FROM users WHERE email = $1",
    ),
];

fn trusted(sql: String) -> sqlx::AssertSqlSafe<String> {
    // Table and column names come from the database's own catalogue, and on
    // restore are checked against it before use; values are always bound.
    sqlx::AssertSqlSafe(sql)
}

impl Store {
    /// The tables to back up, in restore order.
    async fn backup_tables(&self) -> Result<Vec<String>, StoreError> {
        let sql = match self.backend() {
            Backend::Sqlite => {
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_sqlx_%'"
            }
            Backend::Postgres => {
                "SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name NOT LIKE '_sqlx_%'"
            }
        };
        let mut names: Vec<String> = sqlx::query(sql)
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(|r| r.try_get::<String, _>(0))
            .collect::<Result<_, _>>()?;
        names.retain(|n| !EPHEMERAL.contains(&n.as_str()));
        names.sort_by_key(|n| {
            (
                FIRST.iter().position(|f| f == n).unwrap_or(FIRST.len()),
                n.clone(),
            )
        });
        Ok(names)
    }

    /// The columns of a table with their types, in their declared order.
    async fn backup_columns(&self, table: &str) -> Result<Vec<(String, ColumnType)>, StoreError> {
        let rows = match self.backend() {
            Backend::Sqlite => {
                sqlx::query("SELECT name, type FROM pragma_table_info($1) ORDER BY cid")
                    .bind(table)
                    .fetch_all(self.pool())
                    .await?
            }
            Backend::Postgres => {
                sqlx::query(
                    "SELECT column_name::text, data_type::text FROM information_schema.columns \
                     WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
                )
                .bind(table)
                .fetch_all(self.pool())
                .await?
            }
        };
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let name: String = r.try_get(0)?;
            let declared: String = r.try_get(1)?;
            out.push((name, ColumnType::of(&declared)));
        }
        Ok(out)
    }

    /// Writes every table but the ephemeral ones to `out`, then the end line
    /// with counts and checksums.
    pub async fn backup(&self, out: &mut dyn Write) -> Result<BackupCounts, StoreError> {
        let io = |e: std::io::Error| StoreError::Backup(e.to_string());
        let mut counts = BackupCounts::default();
        let mut sums = Checksums::default();
        let header = json!({
            "format": BACKUP_FORMAT,
            "schema": self.schema_version().await?,
            "created_at": crate::now_timestamp(),
        });
        let header = format!("{header}\n");
        sums.line(None, header.as_bytes());
        out.write_all(header.as_bytes()).map_err(io)?;
        for table in self.backup_tables().await? {
            let columns: Vec<String> = self
                .backup_columns(&table)
                .await?
                .into_iter()
                .map(|(name, _)| name)
                .collect();
            let rows = sqlx::query(trusted(format!(
                "SELECT {} FROM {table} ORDER BY 1",
                columns.join(", ")
            )))
            .fetch_all(self.pool())
            .await?;
            for row in rows {
                let mut values = Vec::with_capacity(columns.len());
                for (i, column) in columns.iter().enumerate() {
                    values.push(
                        tagged(&row, i)
                            .map_err(|e| StoreError::Backup(format!("{table}.{column}: {e}")))?,
                    );
                }
                let line = json!({"table": table, "columns": columns, "row": values});
                let line = format!("{line}\n");
                sums.line(Some(&table), line.as_bytes());
                out.write_all(line.as_bytes()).map_err(io)?;
                counts.add(&table);
            }
        }
        writeln!(out, "{}", sums.end_line()).map_err(io)?;
        out.flush().map_err(io)?;
        Ok(counts)
    }

    /// Reads a backup into this store, which must hold no record. The whole
    /// backup is checked first (counts and checksums, see `backup_check`):
    /// a damaged or truncated backup writes nothing. Holds the file in
    /// memory; [`Store::restore_backup_file`] reads a file twice instead.
    pub async fn restore_backup(
        &self,
        input: &mut dyn BufRead,
    ) -> Result<BackupCounts, StoreError> {
        self.require_empty().await?;
        let mut bytes = Vec::new();
        input
            .read_to_end(&mut bytes)
            .map_err(|e| StoreError::Backup(e.to_string()))?;
        crate::backup_check::verify_backup(&mut bytes.as_slice())?;
        self.insert_backup(&mut bytes.as_slice()).await
    }

    /// [`Store::restore_backup`] from a file: one pass to check it, a
    /// second to write it. Returns what was checked and what was written.
    pub async fn restore_backup_file(
        &self,
        path: &std::path::Path,
    ) -> Result<(BackupSummary, BackupCounts), StoreError> {
        self.require_empty().await?;
        let open = || {
            std::fs::File::open(path)
                .map(std::io::BufReader::new)
                .map_err(|e| StoreError::Backup(format!("{}: {e}", path.display())))
        };
        let summary = crate::backup_check::verify_backup(&mut open()?)?;
        let counts = self.insert_backup(&mut open()?).await?;
        Ok((summary, counts))
    }

    async fn require_empty(&self) -> Result<(), StoreError> {
        if self.is_empty().await? {
            Ok(())
        } else {
            Err(StoreError::NotEmpty(
                "restore needs an empty database; use a new --data folder or database".into(),
            ))
        }
    }

    /// Writes the rows of a checked backup in one transaction (checking each
    /// line again as it goes, so that nothing unchecked is ever committed).
    async fn insert_backup(&self, input: &mut dyn BufRead) -> Result<BackupCounts, StoreError> {
        // Names in the file must be this database's own tables and columns.
        let mut schema: Schema = std::collections::BTreeMap::new();
        for t in self.backup_tables().await? {
            let cols = self.backup_columns(&t).await?;
            schema.insert(t, cols);
        }
        let mut verifier = Verifier::new();
        let mut counts = BackupCounts::default();
        let mut tx = self.pool().begin().await?;
        let mut raw = Vec::new();
        loop {
            raw.clear();
            let read = input
                .read_until(b'\n', &mut raw)
                .map_err(|e| StoreError::Backup(e.to_string()))?;
            if read == 0 {
                break;
            }
            verifier.feed(&raw)?;
            let n = verifier.line();
            if n == 1 {
                continue;
            }
            let v: Value = serde_json::from_slice(&raw).map_err(|e| bad(n, &e.to_string()))?;
            if v.get("end").is_some() {
                break;
            }
            let table = v["table"].as_str().unwrap_or_default();
            let mut q = prepare_insert(&schema, &v, n)?;
            q = bind_row(q, &v, &schema, n)?;
            q.execute(&mut *tx).await?;
            counts.add(table);
        }
        verifier.finish()?;
        if self.backend() == Backend::Postgres {
            // Rows kept their ids; move each id sequence past them.
            for (table, cols) in &schema {
                if cols.iter().any(|(name, _)| name == "id") {
                    let sql = format!(
                        "SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false) \
                         WHERE pg_get_serial_sequence('{table}', 'id') IS NOT NULL"
                    );
                    sqlx::query(trusted(sql)).execute(&mut *tx).await?;
                }
            }
        }
        tx.commit().await?;
        Ok(counts)
    }
}

type Schema = std::collections::BTreeMap<String, Vec<(String, ColumnType)>>;
type Query<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>;

fn bad(line: usize, why: &str) -> StoreError {
    StoreError::Backup(format!("line {line}: {why}"))
}

/// The INSERT of one backup line: into its own table, or for a table of an
/// older schema, where its rows go now.
fn prepare_insert<'q>(schema: &Schema, v: &Value, n: usize) -> Result<Query<'q>, StoreError> {
    let table = v["table"].as_str().unwrap_or_default();
    if let Some((_, sql)) = LEGACY_TABLES.iter().find(|(t, _)| *t == table) {
        return Ok(sqlx::query(trusted((*sql).to_string())));
    }
    let known = schema
        .get(table)
        .ok_or_else(|| bad(n, &format!("unknown table `{table}`")))?;
    let columns = line_columns(v);
    for c in &columns {
        if !known.iter().any(|(k, _)| k == c) {
            return Err(bad(n, &format!("unknown column `{table}.{c}`")));
        }
    }
    let placeholders: Vec<String> = (1..=columns.len()).map(|i| format!("${i}")).collect();
    Ok(sqlx::query(trusted(format!(
        "INSERT INTO {table} ({}) VALUES ({})",
        columns.join(", "),
        placeholders.join(", ")
    ))))
}

fn line_columns(v: &Value) -> Vec<&str> {
    v["columns"]
        .as_array()
        .map(|a| a.iter().map(|c| c.as_str().unwrap_or("")).collect())
        .unwrap_or_default()
}

/// Binds a line's values in order. Rows of a legacy calendar-secret table
/// bind (owner, token_hash, created_at), whatever their column order.
fn bind_row<'q>(
    mut q: Query<'q>,
    v: &Value,
    schema: &Schema,
    n: usize,
) -> Result<Query<'q>, StoreError> {
    let table = v["table"].as_str().unwrap_or_default();
    let columns = line_columns(v);
    let row = v["row"].as_array().cloned().unwrap_or_default();
    if LEGACY_TABLES.iter().any(|(t, _)| *t == table) {
        for wanted in [
            ["user_id", "user_email"],
            ["token_hash", ""],
            ["created_at", ""],
        ] {
            let at = columns
                .iter()
                .position(|c| wanted.contains(c) && !c.is_empty())
                .ok_or_else(|| bad(n, &format!("no {} in `{table}`", wanted[0])))?;
            q = bind_value(q, &row[at], ColumnType::Text, n)?;
        }
        return Ok(q);
    }
    let known = &schema[table];
    for (value, column) in row.iter().zip(&columns) {
        let column_type = known
            .iter()
            .find(|(k, _)| k == column)
            .map_or(ColumnType::Text, |(_, t)| *t);
        q = bind_value(q, value, column_type, n)?;
    }
    Ok(q)
}

fn bind_value<'q>(
    q: Query<'q>,
    value: &Value,
    column_type: ColumnType,
    n: usize,
) -> Result<Query<'q>, StoreError> {
    Ok(match value {
        Value::Object(o) if o.contains_key("i") => {
            q.bind(o["i"].as_i64().ok_or_else(|| bad(n, "bad integer"))?)
        }
        Value::Object(o) if o.contains_key("s") => q.bind(
            o["s"]
                .as_str()
                .ok_or_else(|| bad(n, "bad text"))?
                .to_string(),
        ),
        Value::Object(o) if o.contains_key("b") => q.bind(
            base64::engine::general_purpose::STANDARD
                .decode(o["b"].as_str().ok_or_else(|| bad(n, "bad bytes"))?)
                .map_err(|e| bad(n, &e.to_string()))?,
        ),
        // A NULL is bound with the column's type (PostgreSQL checks it).
        Value::Object(o) if o.contains_key("n") => match column_type {
            ColumnType::Integer => q.bind(Option::<i64>::None),
            ColumnType::Bytes => q.bind(Option::<Vec<u8>>::None),
            ColumnType::Text => q.bind(Option::<String>::None),
        },
        _ => return Err(bad(n, "untagged value")),
    })
}

/// What a column holds, from its declared type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ColumnType {
    Integer,
    Text,
    Bytes,
}

impl ColumnType {
    fn of(declared: &str) -> ColumnType {
        let d = declared.to_ascii_uppercase();
        if d.contains("INT") {
            ColumnType::Integer
        } else if d.contains("BLOB") || d.contains("BYTEA") {
            ColumnType::Bytes
        } else {
            ColumnType::Text
        }
    }
}

/// One value of a row, tagged with its type.
fn tagged(row: &sqlx::any::AnyRow, i: usize) -> Result<Value, sqlx::Error> {
    if let Ok(v) = row.try_get::<Option<i64>, _>(i) {
        return Ok(v.map_or(json!({"n": null}), |v| json!({"i": v})));
    }
    if let Ok(v) = row.try_get::<Option<String>, _>(i) {
        return Ok(v.map_or(json!({"n": null}), |v| json!({"s": v})));
    }
    let v = row.try_get::<Option<Vec<u8>>, _>(i)?;
    Ok(v.map_or(
        json!({"n": null}),
        |v| json!({"b": base64::engine::general_purpose::STANDARD.encode(v)}),
    ))
}

impl BackupCounts {
    fn add(&mut self, table: &str) {
        match table {
            "records" => self.records += 1,
            "revisions" => self.revisions += 1,
            "blobs" => self.files += 1,
            _ => self.other += 1,
        }
    }
}

/// How much a backup or restore moved.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BackupCounts {
    pub records: usize,
    pub revisions: usize,
    pub files: usize,
    /// Rows of every other table (feedback, accounts, drafts, audit…).
    pub other: usize,
}
