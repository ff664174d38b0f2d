//! Backups: a portable dump of every table as JSON lines, readable into an
//! empty store of either backend (so a backup also moves a registry from
//! SQLite to PostgreSQL).

use crate::error::StoreError;
use crate::store::{Backend, Store};
use base64::Engine;
use serde_json::{Value, json};
use sqlx::Row;
use std::io::{BufRead, Write};

/// Written on the first line of every backup.
pub const BACKUP_FORMAT: &str = "paradiplo-backup-1";

impl Store {
    /// Writes every record, revision, file and setting to `out`.
    pub async fn backup(&self, out: &mut dyn Write) -> Result<BackupCounts, StoreError> {
        let io = |e: std::io::Error| StoreError::Backup(e.to_string());
        let mut counts = BackupCounts::default();
        let header = json!({
            "format": BACKUP_FORMAT,
            "schema": self.schema_version().await?,
            "created_at": crate::now_timestamp(),
        });
        writeln!(out, "{header}").map_err(io)?;
        let rows = sqlx::query(
            "SELECT kind, slug, version, state, body, created_at, updated_at, updated_by FROM records ORDER BY kind, slug",
        )
        .fetch_all(self.pool())
        .await?;
        for r in rows {
            let line = json!({"table": "records", "row": [
                r.try_get::<String, _>(0)?, r.try_get::<String, _>(1)?, r.try_get::<i64, _>(2)?,
                r.try_get::<String, _>(3)?, r.try_get::<String, _>(4)?, r.try_get::<String, _>(5)?,
                r.try_get::<String, _>(6)?, r.try_get::<String, _>(7)?,
            ]});
            writeln!(out, "{line}").map_err(io)?;
            counts.records += 1;
        }
        let rows = sqlx::query(
            "SELECT id, kind, slug, version, action, state, body, author, at, note FROM revisions ORDER BY id",
        )
        .fetch_all(self.pool())
        .await?;
        for r in rows {
            let line = json!({"table": "revisions", "row": [
                r.try_get::<i64, _>(0)?, r.try_get::<String, _>(1)?, r.try_get::<String, _>(2)?,
                r.try_get::<i64, _>(3)?, r.try_get::<String, _>(4)?, r.try_get::<String, _>(5)?,
                r.try_get::<String, _>(6)?, r.try_get::<String, _>(7)?, r.try_get::<String, _>(8)?,
                r.try_get::<String, _>(9)?,
            ]});
            writeln!(out, "{line}").map_err(io)?;
            counts.revisions += 1;
        }
        let rows = sqlx::query(
            "SELECT sha256, media_type, size, bytes, created_at FROM blobs ORDER BY sha256",
        )
        .fetch_all(self.pool())
        .await?;
        for r in rows {
            let bytes: Vec<u8> = r.try_get(3)?;
            let line = json!({"table": "blobs", "row": [
                r.try_get::<String, _>(0)?, r.try_get::<String, _>(1)?, r.try_get::<i64, _>(2)?,
                base64::engine::general_purpose::STANDARD.encode(bytes), r.try_get::<String, _>(4)?,
            ]});
            writeln!(out, "{line}").map_err(io)?;
            counts.files += 1;
        }
        let rows = sqlx::query("SELECT key, value FROM settings ORDER BY key")
            .fetch_all(self.pool())
            .await?;
        for r in rows {
            let line = json!({"table": "settings", "row": [r.try_get::<String, _>(0)?, r.try_get::<String, _>(1)?]});
            writeln!(out, "{line}").map_err(io)?;
        }
        writeln!(
            out,
            "{}",
            json!({"end": counts.records + counts.revisions + counts.files})
        )
        .map_err(io)?;
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
                &format!("not a paradiplo backup (expected format {BACKUP_FORMAT})"),
            ));
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
            let row = v["row"].as_array().ok_or_else(|| bad(n, "no row"))?;
            let s = |j: usize| -> Result<String, StoreError> {
                row.get(j)
                    .and_then(Value::as_str)
                    .map(str::to_string)
                    .ok_or_else(|| bad(n, &format!("column {j} is not text")))
            };
            let int = |j: usize| -> Result<i64, StoreError> {
                row.get(j)
                    .and_then(Value::as_i64)
                    .ok_or_else(|| bad(n, &format!("column {j} is not a number")))
            };
            match v["table"].as_str() {
                Some("records") => {
                    sqlx::query("INSERT INTO records (kind, slug, version, state, body, created_at, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
                        .bind(s(0)?).bind(s(1)?).bind(int(2)?).bind(s(3)?).bind(s(4)?).bind(s(5)?).bind(s(6)?).bind(s(7)?)
                        .execute(&mut *tx).await?;
                    counts.records += 1;
                }
                Some("revisions") => {
                    sqlx::query("INSERT INTO revisions (id, kind, slug, version, action, state, body, author, at, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
                        .bind(int(0)?).bind(s(1)?).bind(s(2)?).bind(int(3)?).bind(s(4)?).bind(s(5)?).bind(s(6)?).bind(s(7)?).bind(s(8)?).bind(s(9)?)
                        .execute(&mut *tx).await?;
                    counts.revisions += 1;
                }
                Some("blobs") => {
                    let bytes = base64::engine::general_purpose::STANDARD
                        .decode(s(3)?)
                        .map_err(|e| bad(n, &e.to_string()))?;
                    sqlx::query("INSERT INTO blobs (sha256, media_type, size, bytes, created_at) VALUES ($1, $2, $3, $4, $5)")
                        .bind(s(0)?).bind(s(1)?).bind(int(2)?).bind(bytes).bind(s(4)?)
                        .execute(&mut *tx).await?;
                    counts.files += 1;
                }
                Some("settings") => {
                    sqlx::query("INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
                        .bind(s(0)?).bind(s(1)?)
                        .execute(&mut *tx).await?;
                }
                other => return Err(bad(n, &format!("unknown table {other:?}"))),
            }
        }
        if !ended {
            return Err(StoreError::Backup(
                "the backup is truncated (no end line); nothing was restored".into(),
            ));
        }
        if self.backend() == Backend::Postgres {
            // Revisions kept their ids; move the id sequence past them.
            sqlx::query("SELECT setval(pg_get_serial_sequence('revisions', 'id'), COALESCE((SELECT MAX(id) FROM revisions), 0) + 1, false)")
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(counts)
    }
}

/// How much a backup or restore moved.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BackupCounts {
    pub records: usize,
    pub revisions: usize,
    pub files: usize,
}
