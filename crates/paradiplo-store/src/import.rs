//! `paradiplo import` in bulk: the whole dataset is validated once in
//! memory, then written in one transaction, in batches of `KEY_BATCH`
//! records: one query reads the batch's stored versions (locked on
//! PostgreSQL), one multi-row `INSERT` writes its new records, one its
//! revisions and one its audit lines; changed records are updated one
//! statement each (the version checked in the statement). Either
//! everything is written, or nothing is (a failure rolls the transaction
//! back, and a killed process leaves the database as it was). The search
//! index and the published snapshot read the revisions afterwards, once.

use crate::check::{KEY_BATCH, by_kind, duplicate_errors, keyed_select, placeholders};
use crate::error::StoreError;
use crate::store::{
    Backend, ContentDates, RevisionAction, Store, Visibility, content_timestamp, insert_blob,
    trusted,
};
use crate::write::{Actor, Writer, record_action, retrying, role_rule, version_note};
use crate::{Blob, ImportItem, ImportReport};
use paradiplo_core::roles::WriteAct;
use paradiplo_core::{AnyRecord, RecordKind, RecordState};
use sqlx::{Any, Row, Transaction};
use std::collections::{HashMap, HashSet};

/// A stored record as the import compares it.
struct Current {
    version: i64,
    state: RecordState,
    body: serde_json::Value,
    public_changed_at: Option<String>,
}

/// What the import writes for one incoming record.
struct Planned<'a> {
    item: &'a ImportItem,
    body: String,
    action: RevisionAction,
    /// The version written (1 for a new record).
    version: i64,
    /// Its public "last updated" after the write.
    public_changed_at: Option<String>,
}

/// One cell of a multi-row insert.
enum Cell<'a> {
    Text(&'a str),
    Int(i64),
}

impl Writer {
    /// Imports records and files in one transaction, audit lines included:
    /// either everything is written, or nothing is. Records equal to the
    /// stored ones are left alone; changed ones get a new version.
    pub async fn import(
        &self,
        actor: &Actor,
        items: Vec<ImportItem>,
        dates: &ContentDates,
        blobs: Vec<Blob>,
        note: &str,
    ) -> Result<ImportReport, StoreError> {
        for state in items.iter().map(|i| i.state).collect::<HashSet<_>>() {
            role_rule(
                actor,
                WriteAct::Record {
                    to: state,
                    current: None,
                },
            )?;
        }
        self.store().check_import(&items).await?;
        retrying(|| self.import_once(actor, &items, dates, &blobs, note)).await
    }

    async fn import_once(
        &self,
        actor: &Actor,
        items: &[ImportItem],
        dates: &ContentDates,
        blobs: &[Blob],
        note: &str,
    ) -> Result<ImportReport, StoreError> {
        let mut report = ImportReport::default();
        let now = self.store().now_timestamp();
        let backend = self.store().backend();
        let mut tx = self.store().begin_write().await?;
        for blob in blobs {
            if insert_blob(&mut tx, blob).await? {
                report.files += 1;
            }
        }
        for batch in items.chunks(KEY_BATCH) {
            let current = current_rows(&mut tx, backend, batch).await?;
            let planned = plan(batch, current, dates, &now, &mut report)?;
            write_batch(&mut tx, &planned, actor, note, &now).await?;
        }
        tx.commit().await?;
        Ok(report)
    }
}

impl Store {
    /// Checks incoming records against what the store already holds, so
    /// that references may point at records already there: the whole
    /// registry, once, in memory (linear in its size).
    pub(crate) async fn check_import(&self, items: &[ImportItem]) -> Result<(), StoreError> {
        let keys = || {
            items
                .iter()
                .map(|i| (i.record.kind(), i.record.slug().as_str()))
        };
        let duplicates = duplicate_errors(keys());
        if !duplicates.is_empty() {
            return Err(StoreError::Invalid(duplicates));
        }
        let mut merged = self.registry(Visibility::All).await?;
        for item in items {
            merged.upsert(item.record.clone());
        }
        let incoming: HashSet<(RecordKind, &str)> = keys().collect();
        let errors: Vec<_> = merged
            .validate()
            .into_iter()
            .filter(|e| incoming.contains(&(e.kind, e.slug.as_str())))
            .collect();
        if errors.is_empty() {
            Ok(())
        } else {
            Err(StoreError::Invalid(errors))
        }
    }
}

/// The stored version, state and body of the batch's records that exist,
/// locked until the import commits on PostgreSQL (SQLite's write
/// transaction holds the whole database already).
async fn current_rows(
    tx: &mut Transaction<'_, Any>,
    backend: Backend,
    batch: &[ImportItem],
) -> Result<HashMap<(RecordKind, String), Current>, StoreError> {
    let lock = match backend {
        Backend::Postgres => " FOR UPDATE",
        Backend::Sqlite => "",
    };
    let keys = batch
        .iter()
        .map(|i| (i.record.kind(), i.record.slug().as_str()));
    let mut out = HashMap::new();
    for (kind, slugs) in by_kind(keys) {
        let columns = "slug, version, state, body, public_changed_at";
        let mut query = sqlx::query(trusted(keyed_select(columns, "records", slugs.len(), lock)))
            .bind(kind.as_str());
        for slug in &slugs {
            query = query.bind(*slug);
        }
        for row in query.fetch_all(&mut **tx).await? {
            let slug: String = row.try_get(0)?;
            let raw_state: String = row.try_get(2)?;
            let body: String = row.try_get(3)?;
            let current = Current {
                version: row.try_get(1)?,
                state: RecordState::parse(&raw_state).ok_or_else(|| {
                    StoreError::Corrupt(format!("{kind} `{slug}`: unknown state `{raw_state}`"))
                })?,
                body: serde_json::from_str(&body)
                    .map_err(|e| StoreError::Corrupt(format!("{kind} `{slug}`: {e}")))?,
                public_changed_at: row.try_get(4)?,
            };
            out.insert((kind, slug), current);
        }
    }
    Ok(out)
}

/// What to write for each record of a batch, in the batch's order;
/// counts the created, updated and unchanged ones.
fn plan<'a>(
    batch: &'a [ImportItem],
    mut current: HashMap<(RecordKind, String), Current>,
    dates: &ContentDates,
    now: &str,
    report: &mut ImportReport,
) -> Result<Vec<Planned<'a>>, StoreError> {
    let mut out = Vec::with_capacity(batch.len());
    for item in batch {
        let kind = item.record.kind();
        let key = (kind, item.record.slug().to_string());
        let json = item.record.to_json();
        // The content's own date when the dataset gives one, else the import's.
        let changed_at = dates
            .get(&key)
            .map(|d| content_timestamp(*d))
            .unwrap_or_else(|| now.to_string());
        let Some(cur) = current.remove(&key) else {
            report.created += 1;
            out.push(Planned {
                item,
                body: json.to_string(),
                action: RevisionAction::Create,
                version: 1,
                public_changed_at: Some(changed_at),
            });
            continue;
        };
        let stored = AnyRecord::from_json(kind, cur.body.clone())
            .map_err(|e| StoreError::Corrupt(format!("{kind} `{}`: {e}", key.1)))?;
        if stored == item.record && cur.state == item.state {
            report.unchanged += 1;
            continue;
        }
        report.updated += 1;
        // A substantive change moves the public "last updated"; a
        // typographic fix or a change of state alone does not.
        let diff = paradiplo_core::diff::diff(&cur.body, &json);
        let public_changed_at = match paradiplo_core::diff::is_substantive(&diff) {
            true => Some(changed_at),
            false => cur.public_changed_at,
        };
        out.push(Planned {
            item,
            body: json.to_string(),
            action: match item.state {
                RecordState::Archived => RevisionAction::Archive,
                _ => RevisionAction::Update,
            },
            version: cur.version + 1,
            public_changed_at,
        });
    }
    Ok(out)
}

/// Writes one batch: its new records, its changed ones, then every
/// revision and audit line, in the batch's order.
async fn write_batch(
    tx: &mut Transaction<'_, Any>,
    planned: &[Planned<'_>],
    actor: &Actor,
    note: &str,
    now: &str,
) -> Result<(), StoreError> {
    let states: Vec<&str> = planned.iter().map(|p| p.item.state.as_str()).collect();
    let kinds: Vec<&str> = planned
        .iter()
        .map(|p| p.item.record.kind().as_str())
        .collect();
    let created: Vec<Vec<Cell>> = planned
        .iter()
        .enumerate()
        .filter(|(_, p)| p.action == RevisionAction::Create)
        .map(|(i, p)| {
            let slug = p.item.record.slug().as_str();
            vec![
                Cell::Text(kinds[i]),
                Cell::Text(slug),
                Cell::Int(1),
                Cell::Text(states[i]),
                Cell::Text(&p.body),
                Cell::Text(now),
                Cell::Text(now),
                Cell::Text(&actor.name),
                Cell::Text(p.public_changed_at.as_deref().unwrap_or(now)),
            ]
        })
        .collect();
    insert_rows(
        tx,
        "records (kind, slug, version, state, body, created_at, updated_at, updated_by, \
         public_changed_at)",
        &created,
    )
    .await?;
    for p in planned
        .iter()
        .filter(|p| p.action != RevisionAction::Create)
    {
        update_one(tx, p, &actor.name, now).await?;
    }
    let details: Vec<String> = planned
        .iter()
        .map(|p| version_note(p.version, note))
        .collect();
    let mut revisions = Vec::with_capacity(planned.len());
    let mut audit = Vec::with_capacity(planned.len());
    for (i, p) in planned.iter().enumerate() {
        let slug = p.item.record.slug().as_str();
        revisions.push(vec![
            Cell::Text(kinds[i]),
            Cell::Text(slug),
            Cell::Int(p.version),
            Cell::Text(p.action.as_str()),
            Cell::Text(states[i]),
            Cell::Text(&p.body),
            Cell::Text(&actor.name),
            Cell::Text(now),
            Cell::Text(note),
        ]);
        audit.push(vec![
            Cell::Text(now),
            Cell::Text(&actor.name),
            Cell::Text(record_action(p.action, p.item.state)),
            Cell::Text(kinds[i]),
            Cell::Text(slug),
            Cell::Text(&details[i]),
            Cell::Text(&actor.client),
        ]);
    }
    insert_rows(
        tx,
        "revisions (kind, slug, version, action, state, body, author, at, note)",
        &revisions,
    )
    .await?;
    insert_rows(
        tx,
        "audit_log (at, actor, action, kind, slug, detail, client)",
        &audit,
    )
    .await
}

/// Writes a changed record's new version; the version it was read at is
/// checked in the same statement.
async fn update_one(
    tx: &mut Transaction<'_, Any>,
    p: &Planned<'_>,
    author: &str,
    now: &str,
) -> Result<(), StoreError> {
    let kind = p.item.record.kind();
    let slug = p.item.record.slug().as_str();
    let done = sqlx::query(
        "UPDATE records SET version = $1, state = $2, body = $3, updated_at = $4, \
         updated_by = $5, public_changed_at = $6 WHERE kind = $7 AND slug = $8 AND version = $9",
    )
    .bind(p.version)
    .bind(p.item.state.as_str())
    .bind(&p.body)
    .bind(now)
    .bind(author)
    .bind(p.public_changed_at.clone())
    .bind(kind.as_str())
    .bind(slug)
    .bind(p.version - 1)
    .execute(&mut **tx)
    .await?;
    if done.rows_affected() != 1 {
        return Err(StoreError::Conflict {
            kind,
            slug: slug.to_string(),
            expected: p.version - 1,
            current: crate::store::current_version(tx, kind, slug)
                .await?
                .unwrap_or_default(),
        });
    }
    Ok(())
}

/// `INSERT INTO target VALUES (…), (…)`: one statement for all `rows`
/// (at most `KEY_BATCH`), each with as many cells as `target` names columns.
async fn insert_rows(
    tx: &mut Transaction<'_, Any>,
    target: &str,
    rows: &[Vec<Cell<'_>>],
) -> Result<(), StoreError> {
    let Some(width) = rows.first().map(Vec::len) else {
        return Ok(());
    };
    let values: Vec<String> = (0..rows.len())
        .map(|r| format!("({})", placeholders(1 + r * width, width)))
        .collect();
    let sql = format!("INSERT INTO {target} VALUES {}", values.join(", "));
    let mut query = sqlx::query(trusted(sql));
    for cell in rows.iter().flatten() {
        query = match cell {
            Cell::Text(t) => query.bind(*t),
            Cell::Int(n) => query.bind(*n),
        };
    }
    query.execute(&mut **tx).await?;
    Ok(())
}
