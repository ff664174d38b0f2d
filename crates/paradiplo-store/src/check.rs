//! Validation of a write against the records it touches, read by key: a
//! write costs the same whatever the size of the registry.
//!
//! `Registry::validate` over the whole registry, filtered to one record's
//! errors, finds that record's own problems, its duplicate (a second home),
//! its references to records that do not exist and its steps against its
//! procedure. A registry of the record, the records it names
//! (`Registry::targets`) and the home record finds exactly the same, so
//! that is what a write builds: one indexed query per kind it names.

use crate::error::StoreError;
use crate::store::{Store, parse_body, trusted};
use paradiplo_core::{AnyRecord, FieldError, Problem, RecordError, RecordKind, Registry};
use sqlx::Row;
use std::collections::{BTreeMap, HashSet};

/// Most slugs named in one `IN (…)` list (and rows in one multi-row
/// insert): far under SQLite's 32,766 and PostgreSQL's 65,535 parameters.
pub(crate) const KEY_BATCH: usize = 500;

/// `$from, $from+1, …` for `n` parameters.
pub(crate) fn placeholders(from: usize, n: usize) -> String {
    (from..from + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `SELECT columns FROM table WHERE kind = $1 AND slug IN ($2, …) filter`
/// for `n` slugs. `columns`, `table` and `filter` are constants of this
/// crate, never input.
pub(crate) fn keyed_select(columns: &str, table: &str, n: usize, filter: &str) -> String {
    format!(
        "SELECT {columns} FROM {table} WHERE kind = $1 AND slug IN ({}){filter}",
        placeholders(2, n)
    )
}

/// Slugs grouped by kind, without repeats, in lists of at most `KEY_BATCH`.
pub(crate) fn by_kind<'a>(
    keys: impl IntoIterator<Item = (RecordKind, &'a str)>,
) -> Vec<(RecordKind, Vec<&'a str>)> {
    let mut grouped: BTreeMap<RecordKind, Vec<&str>> = BTreeMap::new();
    let mut seen = HashSet::new();
    for (kind, slug) in keys {
        if seen.insert((kind, slug)) {
            grouped.entry(kind).or_default().push(slug);
        }
    }
    grouped
        .into_iter()
        .flat_map(|(kind, slugs)| {
            slugs
                .chunks(KEY_BATCH)
                .map(|c| (kind, c.to_vec()))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Which stored records a check reads besides the current ones.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// The records as stored.
    Records,
    /// The records and the drafts of new records (a new agreement may name
    /// a new partner still in draft).
    WithNewDrafts,
}

impl Store {
    /// Validates a record on its own and against the records it names.
    pub(crate) async fn check(&self, record: &AnyRecord) -> Result<(), StoreError> {
        self.check_in(record, Scope::Records).await
    }

    /// Checks a draft on its own and against the registry as staff see it,
    /// new drafts included (so a new agreement may name a new partner).
    pub async fn check_draft(&self, record: &AnyRecord) -> Result<(), StoreError> {
        self.check_in(record, Scope::WithNewDrafts).await
    }

    async fn check_in(&self, record: &AnyRecord, scope: Scope) -> Result<(), StoreError> {
        let mut keys: Vec<(RecordKind, &str)> = Registry::targets(record)
            .into_iter()
            .map(|(kind, slug)| (kind, slug.as_str()))
            .collect();
        keys.push((record.kind(), record.slug().as_str()));
        let mut registry = Registry::new();
        for r in self.homes("records", "").await? {
            registry.upsert(r);
        }
        for r in self.by_keys("records", &keys, "").await? {
            registry.upsert(r);
        }
        if scope == Scope::WithNewDrafts {
            let new = " AND base_version IS NULL";
            for r in self.homes("drafts", new).await? {
                registry.upsert(r);
            }
            for r in self.by_keys("drafts", &keys, new).await? {
                registry.upsert(r);
            }
        }
        registry.upsert(record.clone());
        let errors: Vec<RecordError> = registry
            .validate()
            .into_iter()
            .filter(|e| e.kind == record.kind() && e.slug == record.slug().as_str())
            .collect();
        if errors.is_empty() {
            Ok(())
        } else {
            Err(StoreError::Invalid(errors))
        }
    }

    /// The home records of `table` (one, normally).
    async fn homes(&self, table: &str, filter: &str) -> Result<Vec<AnyRecord>, StoreError> {
        let rows = sqlx::query(trusted(format!(
            "SELECT slug, body FROM {table} WHERE kind = $1{filter} ORDER BY slug"
        )))
        .bind(RecordKind::Home.as_str())
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                let slug: String = row.try_get(0)?;
                parse_body(RecordKind::Home, &slug, &row.try_get::<String, _>(1)?)
            })
            .collect()
    }

    /// The records of `table` with these keys (those that exist).
    async fn by_keys(
        &self,
        table: &str,
        keys: &[(RecordKind, &str)],
        filter: &str,
    ) -> Result<Vec<AnyRecord>, StoreError> {
        let mut out = Vec::new();
        for (kind, slugs) in by_kind(keys.iter().copied()) {
            let sql = keyed_select("slug, body", table, slugs.len(), filter);
            let mut query = sqlx::query(trusted(sql)).bind(kind.as_str());
            for slug in &slugs {
                query = query.bind(*slug);
            }
            for row in query.fetch_all(self.pool()).await? {
                let slug: String = row.try_get(0)?;
                out.push(parse_body(kind, &slug, &row.try_get::<String, _>(1)?)?);
            }
        }
        Ok(out)
    }
}

/// Refuses a batch that names the same record twice (the second would
/// silently replace the first).
pub(crate) fn duplicate_errors<'a>(
    keys: impl IntoIterator<Item = (RecordKind, &'a str)>,
) -> Vec<RecordError> {
    let mut seen = HashSet::new();
    keys.into_iter()
        .filter(|key| !seen.insert(*key))
        .map(|(kind, slug)| RecordError {
            kind,
            slug: slug.to_string(),
            error: FieldError::new("slug", slug, Problem::Duplicate),
        })
        .collect()
}
