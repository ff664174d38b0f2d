//! API tokens: created and revoked by an administrator, each scoped to a
//! role. Only the SHA-256 digest of a token is stored: the secret is shown
//! once, at creation.

use crate::error::StoreError;
use crate::store::Store;
use crate::time_fmt::now_timestamp;
use paradiplo_core::Role;
use sqlx::Row;

/// The prefix of every token, so that a leaked token is recognisable
/// (secret scanners, logs) and cannot be mistaken for a password.
pub const TOKEN_PREFIX: &str = "pdp_";

/// A token as stored (never the secret).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiToken {
    pub id: i64,
    pub name: String,
    pub role: Role,
    pub created_at: String,
    pub created_by: String,
    pub revoked_at: Option<String>,
}

/// Hex SHA-256 of a token's secret. A token is 32 random bytes, so a fast
/// hash is enough: there is nothing to brute-force, unlike a password.
pub fn token_digest(secret: &str) -> String {
    paradiplo_core::digest::sha256_hex(secret.as_bytes())
}

/// A new secret: `prefix` and 32 random bytes in hexadecimal (API tokens and
/// calendar secrets alike).
pub(crate) fn new_secret(prefix: &str) -> Result<String, StoreError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| StoreError::Corrupt(format!("no random source for a token: {e}")))?;
    Ok(format!("{prefix}{}", paradiplo_core::digest::hex(&bytes)))
}

fn token_from_row(row: &sqlx::any::AnyRow) -> Result<ApiToken, StoreError> {
    let role: String = row.try_get(2)?;
    Ok(ApiToken {
        id: row.try_get(0)?,
        name: row.try_get(1)?,
        role: Role::parse(&role)
            .ok_or_else(|| StoreError::Corrupt(format!("unknown role `{role}`")))?,
        created_at: row.try_get(3)?,
        created_by: row.try_get(4)?,
        revoked_at: row.try_get(5)?,
    })
}

const TOKEN_COLUMNS: &str = "id, name, role, created_at, created_by, revoked_at";

impl Store {
    /// Creates a token; returns it with its secret, which is not stored.
    pub async fn create_token(
        &self,
        name: &str,
        role: Role,
        created_by: &str,
    ) -> Result<(ApiToken, String), StoreError> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(StoreError::InvalidTokenName(name.to_string()));
        }
        let secret = new_secret(TOKEN_PREFIX)?;
        let now = now_timestamp();
        sqlx::query(
            "INSERT INTO api_tokens (name, role, token_hash, created_at, created_by) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(name)
        .bind(role.as_str())
        .bind(token_digest(&secret))
        .bind(&now)
        .bind(created_by)
        .execute(self.pool())
        .await?;
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE token_hash = $1"
        )))
        .bind(token_digest(&secret))
        .fetch_one(self.pool())
        .await?;
        Ok((token_from_row(&row)?, secret))
    }

    /// The live (not revoked) token whose secret this is, if any.
    pub async fn token_by_secret(&self, secret: &str) -> Result<Option<ApiToken>, StoreError> {
        if !secret.starts_with(TOKEN_PREFIX) {
            return Ok(None);
        }
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL"
        )))
        .bind(token_digest(secret))
        .fetch_optional(self.pool())
        .await?;
        row.map(|r| token_from_row(&r)).transpose()
    }

    /// Every token, newest first, revoked ones included.
    pub async fn tokens(&self) -> Result<Vec<ApiToken>, StoreError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {TOKEN_COLUMNS} FROM api_tokens ORDER BY id DESC"
        )))
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(token_from_row).collect()
    }

    /// Revokes a token; false when no live token has this id.
    pub async fn revoke_token(&self, id: i64) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL",
        )
        .bind(now_timestamp())
        .bind(id)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }
}
