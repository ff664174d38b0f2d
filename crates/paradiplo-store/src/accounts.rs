//! Staff accounts, sessions, login attempts and the audit log.
//!
//! Everything lives in the database so that several server instances share
//! sessions and the login lock. The store only keeps what it is given:
//! password hashes are computed by the caller (Argon2id in the web crate) and
//! session ids arrive already hashed.

use crate::error::StoreError;
use crate::store::{Store, trusted};
use paradiplo_core::Role;
use sqlx::Row;
use sqlx::any::AnyRow;

/// A staff account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: i64,
    /// Lower-case, trimmed: the sign-in name.
    pub email: String,
    pub role: Role,
    pub disabled: bool,
    pub created_at: String,
    pub created_by: String,
}

/// A live session, with the account it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub user: User,
    /// The per-session token every form carries.
    pub csrf: String,
    pub created_at: String,
    pub last_seen_at: String,
    pub expires_at: String,
}

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub id: i64,
    pub at: String,
    /// The account's e-mail, or the e-mail typed at a failed sign-in.
    pub actor: String,
    /// `login`, `login_failed`, `login_locked`, `logout`, `draft_save`,
    /// `publish`, `user_create`, …
    pub action: String,
    pub kind: String,
    pub slug: String,
    pub detail: String,
    pub client: String,
}

/// A new line for the audit log.
#[derive(Debug, Clone, Default)]
pub struct NewAudit<'a> {
    pub actor: &'a str,
    pub action: &'a str,
    pub kind: &'a str,
    pub slug: &'a str,
    pub detail: &'a str,
    pub client: &'a str,
}

/// Filters of the audit log page; empty means "any".
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub actor: Option<String>,
    pub kind: Option<String>,
    pub slug: Option<String>,
    /// Inclusive lower bound, `YYYY-MM-DD` or a full timestamp.
    pub from: Option<String>,
    /// Inclusive upper bound day, `YYYY-MM-DD`.
    pub to: Option<String>,
    pub limit: i64,
}

/// Normalises an e-mail address for storage and comparison.
pub fn normalize_email(raw: &str) -> String {
    raw.trim().to_lowercase()
}

/// The longest e-mail, client or action kept in the audit log and with
/// sign-in attempts: longer values are cut (the web layer refuses them
/// earlier; this keeps PostgreSQL's index rows small whatever the caller).
pub const AUDIT_FIELD_MAX: usize = 320;

/// How sign-in attempts name an account: the SHA-256 of the normalised
/// e-mail, so the table's rows have one fixed size whatever was typed.
fn login_key(email: &str) -> String {
    crate::tokens::token_digest(&normalize_email(email))
}

/// The longest prefix of at most `max` bytes ending on a character boundary.
fn bounded(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

pub(crate) const USER_COLUMNS: &str = "id, email, role, disabled, created_at, created_by";

pub(crate) fn user_from_row(row: &AnyRow, offset: usize) -> Result<User, StoreError> {
    let role: String = row.try_get(offset + 2)?;
    Ok(User {
        id: row.try_get(offset)?,
        email: row.try_get(offset + 1)?,
        role: Role::parse(&role)
            .ok_or_else(|| StoreError::Corrupt(format!("unknown role `{role}`")))?,
        disabled: row.try_get::<i64, _>(offset + 3)? != 0,
        created_at: row.try_get(offset + 4)?,
        created_by: row.try_get(offset + 5)?,
    })
}

impl Store {
    /// Creates an account. The e-mail is normalised; a taken e-mail is refused.
    pub async fn create_user(
        &self,
        email: &str,
        password_hash: &str,
        role: Role,
        created_by: &str,
    ) -> Result<User, StoreError> {
        let email = normalize_email(email);
        if !valid_email(&email) {
            return Err(StoreError::InvalidEmail(email));
        }
        let mut tx = self.pool().begin().await?;
        let taken = sqlx::query("SELECT id FROM users WHERE email = $1")
            .bind(&email)
            .fetch_optional(&mut *tx)
            .await?;
        if taken.is_some() {
            return Err(StoreError::EmailTaken(email));
        }
        let now = crate::now_timestamp();
        sqlx::query(
            "INSERT INTO users (email, password_hash, role, disabled, created_at, created_by) \
             VALUES ($1, $2, $3, 0, $4, $5)",
        )
        .bind(&email)
        .bind(password_hash)
        .bind(role.as_str())
        .bind(&now)
        .bind(created_by)
        .execute(&mut *tx)
        .await?;
        let row = sqlx::query(trusted(format!(
            "SELECT {USER_COLUMNS} FROM users WHERE email = $1"
        )))
        .bind(&email)
        .fetch_one(&mut *tx)
        .await?;
        let user = user_from_row(&row, 0)?;
        tx.commit().await?;
        Ok(user)
    }

    /// An account and its password hash, by e-mail.
    pub async fn user_with_hash(&self, email: &str) -> Result<Option<(User, String)>, StoreError> {
        let row = sqlx::query(trusted(format!(
            "SELECT {USER_COLUMNS}, password_hash FROM users WHERE email = $1"
        )))
        .bind(normalize_email(email))
        .fetch_optional(self.pool())
        .await?;
        row.map(|r| Ok((user_from_row(&r, 0)?, r.try_get(6)?)))
            .transpose()
    }

    pub async fn user(&self, id: i64) -> Result<Option<User>, StoreError> {
        let row = sqlx::query(trusted(format!(
            "SELECT {USER_COLUMNS} FROM users WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(self.pool())
        .await?;
        row.map(|r| user_from_row(&r, 0)).transpose()
    }

    /// Every account, by e-mail.
    pub async fn users(&self) -> Result<Vec<User>, StoreError> {
        let rows = sqlx::query(trusted(format!(
            "SELECT {USER_COLUMNS} FROM users ORDER BY email"
        )))
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(|r| user_from_row(r, 0)).collect()
    }

    /// Disables or re-enables an account. Disabling ends its sessions at once.
    pub async fn set_user_disabled(&self, id: i64, disabled: bool) -> Result<User, StoreError> {
        let mut tx = self.pool().begin().await?;
        let done = sqlx::query("UPDATE users SET disabled = $1 WHERE id = $2")
            .bind(i64::from(disabled))
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::UserNotFound(id));
        }
        if disabled {
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        self.user(id).await?.ok_or(StoreError::UserNotFound(id))
    }

    /// Stores a new session (`id_hash` is the digest of the cookie's value).
    pub async fn create_session(
        &self,
        id_hash: &str,
        user_id: i64,
        csrf: &str,
        now: &str,
        expires_at: &str,
        client: &str,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO sessions (id_hash, user_id, csrf, created_at, last_seen_at, expires_at, client) \
             VALUES ($1, $2, $3, $4, $4, $5, $6)",
        )
        .bind(id_hash)
        .bind(user_id)
        .bind(csrf)
        .bind(now)
        .bind(expires_at)
        .bind(client)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// The live session with this id digest: not expired, seen after
    /// `idle_since`, and of an enabled account. Notes the visit (at most
    /// once a minute, to spare the database).
    pub async fn session(
        &self,
        id_hash: &str,
        now: &str,
        idle_since: &str,
    ) -> Result<Option<Session>, StoreError> {
        let row = sqlx::query(
            "SELECT u.id, u.email, u.role, u.disabled, u.created_at, u.created_by, \
             s.csrf, s.created_at, s.last_seen_at, s.expires_at \
             FROM sessions s JOIN users u ON u.id = s.user_id \
             WHERE s.id_hash = $1 AND s.expires_at > $2 AND s.last_seen_at > $3 AND u.disabled = 0",
        )
        .bind(id_hash)
        .bind(now)
        .bind(idle_since)
        .fetch_optional(self.pool())
        .await?;
        let Some(row) = row else { return Ok(None) };
        let session = Session {
            user: user_from_row(&row, 0)?,
            csrf: row.try_get(6)?,
            created_at: row.try_get(7)?,
            last_seen_at: row.try_get(8)?,
            expires_at: row.try_get(9)?,
        };
        if session.last_seen_at.get(..16) != now.get(..16) {
            sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2")
                .bind(now)
                .bind(id_hash)
                .execute(self.pool())
                .await?;
        }
        Ok(Some(session))
    }

    pub async fn delete_session(&self, id_hash: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
            .bind(id_hash)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Removes sessions that expired or sat idle; returns how many.
    pub async fn purge_sessions(&self, now: &str, idle_since: &str) -> Result<u64, StoreError> {
        let done = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at <= $2")
            .bind(now)
            .bind(idle_since)
            .execute(self.pool())
            .await?;
        Ok(done.rows_affected())
    }

    /// Notes a sign-in attempt under the digest of the e-mail (see
    /// [`login_key`]), never the e-mail itself.
    pub async fn record_login_attempt(
        &self,
        email: &str,
        client: &str,
        success: bool,
        at: &str,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO login_attempts (at, email, client, success) VALUES ($1, $2, $3, $4)",
        )
        .bind(at)
        .bind(login_key(email))
        .bind(bounded(client, AUDIT_FIELD_MAX))
        .bind(i64::from(success))
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// How many failures in a row end the account's latest attempts, and the
    /// time of the newest of them. The lock rule is applied by the caller.
    pub async fn consecutive_failures(
        &self,
        email: &str,
        max: i64,
    ) -> Result<(i64, Option<String>), StoreError> {
        let rows = sqlx::query(
            "SELECT success, at FROM login_attempts WHERE email = $1 ORDER BY id DESC LIMIT $2",
        )
        .bind(login_key(email))
        .bind(max)
        .fetch_all(self.pool())
        .await?;
        let mut n = 0;
        let mut newest = None;
        for r in &rows {
            if r.try_get::<i64, _>(0)? != 0 {
                break;
            }
            if newest.is_none() {
                newest = Some(r.try_get::<String, _>(1)?);
            }
            n += 1;
        }
        Ok((n, newest))
    }

    /// Failed attempts from one client since `since`, whatever the account.
    pub async fn client_failures(&self, client: &str, since: &str) -> Result<i64, StoreError> {
        let row = sqlx::query(
            "SELECT COUNT(*) FROM login_attempts WHERE client = $1 AND at > $2 AND success = 0",
        )
        .bind(bounded(client, AUDIT_FIELD_MAX))
        .bind(since)
        .fetch_one(self.pool())
        .await?;
        Ok(row.try_get(0)?)
    }

    pub async fn audit(&self, entry: NewAudit<'_>) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO audit_log (at, actor, action, kind, slug, detail, client) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(crate::now_timestamp())
        .bind(bounded(entry.actor, AUDIT_FIELD_MAX))
        .bind(bounded(entry.action, AUDIT_FIELD_MAX))
        .bind(bounded(entry.kind, AUDIT_FIELD_MAX))
        .bind(bounded(entry.slug, AUDIT_FIELD_MAX))
        .bind(entry.detail)
        .bind(bounded(entry.client, AUDIT_FIELD_MAX))
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// The audit log, newest first, filtered.
    pub async fn audit_log(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>, StoreError> {
        // Each filter is a constant clause with its own bound parameter.
        let mut clauses: Vec<String> = Vec::new();
        let mut values: Vec<String> = Vec::new();
        let mut add = |clause: &str, value: String| {
            values.push(value);
            clauses.push(clause.replace('?', &format!("${}", values.len())));
        };
        if let Some(v) = filter.actor.as_deref().filter(|v| !v.is_empty()) {
            add("actor = ?", normalize_email(v));
        }
        if let Some(v) = filter.kind.as_deref().filter(|v| !v.is_empty()) {
            add("kind = ?", v.to_string());
        }
        if let Some(v) = filter.slug.as_deref().filter(|v| !v.is_empty()) {
            add("slug = ?", v.to_string());
        }
        if let Some(v) = filter.from.as_deref().filter(|v| !v.is_empty()) {
            add("at >= ?", v.to_string());
        }
        if let Some(v) = filter.to.as_deref().filter(|v| !v.is_empty()) {
            // The whole last day: every timestamp of that day sorts before "~".
            add("at <= ?", format!("{v}~"));
        }
        let where_sql = if clauses.is_empty() {
            "1 = 1".to_string()
        } else {
            clauses.join(" AND ")
        };
        let limit = if filter.limit > 0 { filter.limit } else { 1000 };
        let sql = format!(
            "SELECT id, at, actor, action, kind, slug, detail, client FROM audit_log \
             WHERE {where_sql} ORDER BY id DESC LIMIT {limit}"
        );
        let mut q = sqlx::query(trusted(sql));
        for v in values {
            q = q.bind(v);
        }
        let rows = q.fetch_all(self.pool()).await?;
        rows.iter()
            .map(|r| {
                Ok(AuditEntry {
                    id: r.try_get(0)?,
                    at: r.try_get(1)?,
                    actor: r.try_get(2)?,
                    action: r.try_get(3)?,
                    kind: r.try_get(4)?,
                    slug: r.try_get(5)?,
                    detail: r.try_get(6)?,
                    client: r.try_get(7)?,
                })
            })
            .collect()
    }
}

/// A plausible address: one `@`, something on each side, a dot in the domain,
/// no spaces. Delivery is not our business; typos are.
pub fn valid_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && !email.chars().any(char::is_whitespace)
        && email.len() <= 254
}

#[cfg(test)]
mod tests {
    #[test]
    fn emails() {
        assert!(super::valid_email("ana@example.org"));
        assert!(!super::valid_email("ana"));
        assert!(!super::valid_email("ana@org"));
        assert!(!super::valid_email("a na@example.org"));
        assert_eq!(
            super::normalize_email(" Ana@Example.ORG "),
            "ana@example.org"
        );
    }
}
