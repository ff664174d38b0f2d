//! Backups: a portable dump of every table as JSON lines, readable into an
//! empty store of either backend (so a backup also moves a registry from
//! SQLite to PostgreSQL).
//!
//! Every table the migrations created is dumped (records, history, files,
//! settings, feedback, accounts, API tokens, drafts, publications, the audit
//! log, and whatever later migrations add), except sign-in sessions and
//! sign-in attempts, which are ephemeral and would only carry live secrets
//! into another server. Values are tagged by type (`i` integer, `s` text,
//! `b` base64 bytes, `n` null), so nothing depends on a backend's types.

use crate::error::StoreError;
use crate::store::{Backend, Store};
use base64::Engine;
use serde_json::{Value, json};
use sqlx::Row;
use std::io::{BufRead, Write};

/// Written on the first line of every backup.
pub const BACKUP_FORMAT: &str = "paradiplo-backup-2";

/// Tables never backed up: live sessions and sign-in throttling state.
const EPHEMERAL: [&str; 2] = ["sessions", "login_attempts"];

/// Tables written first on restore, in this order, so that references hold.
const FIRST: [&str; 5] = ["records", "revisions", "blobs", "settings", "users"];

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

    /// Writes every table but the ephemeral ones to `out`.
    pub async fn backup(&self, out: &mut dyn Write) -> Result<BackupCounts, StoreError> {
        let io = |e: std::io::Error| StoreError::Backup(e.to_string());
        let mut counts = BackupCounts::default();
        let header = json!({
            "format": BACKUP_FORMAT,
            "schema": self.schema_version().await?,
            "created_at": crate::now_timestamp(),
        });
        writeln!(out, "{header}").map_err(io)?;
        let mut lines = 0usize;
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
                writeln!(out, "{line}").map_err(io)?;
                lines += 1;
                match table.as_str() {
                    "records" => counts.records += 1,
                    "revisions" => counts.revisions += 1,
                    "blobs" => counts.files += 1,
                    _ => counts.other += 1,
                }
            }
        }
        writeln!(out, "{}", json!({"end": lines})).map_err(io)?;
        out.flush().map_err(io)?;
        Ok(counts)
    }

    /// Reads a backup into this store, which must hold no record. All or
    /// nothing: a damaged or truncated backup writes nothing.
    pub async fn restore_backup(
        &self,
        input: &mut dyn BufRead,
    ) -> Result<BackupCounts, StoreError> {
        if !self.is_empty().await? {
            return Err(StoreError::NotEmpty(
                "restore needs an empty database; use a new --data folder or database".into(),
            ));
        }
        let bad = |line: usize, why: &str| StoreError::Backup(format!("line {line}: {why}"));
        let mut lines = input.lines().enumerate();
        let header: Value = match lines.next() {
            Some((_, Ok(l))) => serde_json::from_str(&l).map_err(|e| bad(1, &e.to_string()))?,
            _ => return Err(bad(1, "empty file")),
        };
        if header["format"] != BACKUP_FORMAT {
            return Err(bad(
                1,
                &format!(
                    "not a paradiplo backup of this version (expected format {BACKUP_FORMAT})"
                ),
            ));
        }
        // Names in the file must be this database's own tables and columns.
        let mut schema: std::collections::BTreeMap<String, Vec<(String, ColumnType)>> =
            std::collections::BTreeMap::new();
        for t in self.backup_tables().await? {
            let cols = self.backup_columns(&t).await?;
            schema.insert(t, cols);
        }
        let mut counts = BackupCounts::default();
        let mut ended = false;
        let mut tx = self.pool().begin().await?;
        for (i, line) in lines {
            let n = i + 1;
            let line = line.map_err(|e| bad(n, &e.to_string()))?;
            let v: Value = serde_json::from_str(&line).map_err(|e| bad(n, &e.to_string()))?;
            if v.get("end").is_some() {
                ended = true;
                break;
            }
            let table = v["table"].as_str().ok_or_else(|| bad(n, "no table"))?;
            let known = schema
                .get(table)
                .ok_or_else(|| bad(n, &format!("unknown table `{table}`")))?;
            let columns: Vec<&str> = v["columns"]
                .as_array()
                .ok_or_else(|| bad(n, "no columns"))?
                .iter()
                .map(|c| c.as_str().unwrap_or(""))
                .collect();
            let mut types = Vec::with_capacity(columns.len());
            for c in &columns {
                match known.iter().find(|(k, _)| k == c) {
                    Some((_, t)) => types.push(*t),
                    None => return Err(bad(n, &format!("unknown column `{table}.{c}`"))),
                }
            }
            let row = v["row"].as_array().ok_or_else(|| bad(n, "no row"))?;
            if row.len() != columns.len() {
                return Err(bad(n, "row and columns differ in length"));
            }
            let placeholders: Vec<String> = (1..=columns.len()).map(|i| format!("${i}")).collect();
            let sql = format!(
                "INSERT INTO {table} ({}) VALUES ({})",
                columns.join(", "),
                placeholders.join(", ")
            );
            let mut q = sqlx::query(trusted(sql));
            for (value, column_type) in row.iter().zip(&types) {
                q = match value {
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
                };
            }
            q.execute(&mut *tx).await?;
            match table {
                "records" => counts.records += 1,
                "revisions" => counts.revisions += 1,
                "blobs" => counts.files += 1,
                _ => counts.other += 1,
            }
        }
        if !ended {
            return Err(StoreError::Backup(
                "the backup is truncated (no end line); nothing was restored".into(),
            ));
        }
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

/// How much a backup or restore moved.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BackupCounts {
    pub records: usize,
    pub revisions: usize,
    pub files: usize,
    /// Rows of every other table (feedback, accounts, drafts, audit…).
    pub other: usize,
}
