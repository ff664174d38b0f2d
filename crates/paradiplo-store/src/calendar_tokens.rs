//! Per-account secret addresses of the staff deadlines calendar. The caller
//! generates the secret and passes its SHA-256 digest: the store never sees
//! the secret itself.

use crate::accounts::{USER_COLUMNS, User, user_from_row};
use crate::error::StoreError;
use crate::store::{Store, trusted};
use sqlx::Row;

impl Store {
    /// Sets an account's calendar token (replacing any earlier one, which
    /// stops working at once).
    pub async fn set_calendar_token(
        &self,
        user_id: i64,
        token_hash: &str,
        now: &str,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool().begin().await?;
        sqlx::query("DELETE FROM calendar_tokens WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO calendar_tokens (user_id, token_hash, created_at) VALUES ($1, $2, $3)",
        )
        .bind(user_id)
        .bind(token_hash)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// When the account's calendar token was created, if it has one.
    pub async fn calendar_token_created(&self, user_id: i64) -> Result<Option<String>, StoreError> {
        let row = sqlx::query("SELECT created_at FROM calendar_tokens WHERE user_id = $1")
            .bind(user_id)
            .fetch_optional(self.pool())
            .await?;
        row.map(|r| r.try_get(0).map_err(StoreError::from))
            .transpose()
    }

    /// Revokes the account's calendar token; false when it had none.
    pub async fn revoke_calendar_token(&self, user_id: i64) -> Result<bool, StoreError> {
        let done = sqlx::query("DELETE FROM calendar_tokens WHERE user_id = $1")
            .bind(user_id)
            .execute(self.pool())
            .await?;
        Ok(done.rows_affected() > 0)
    }

    /// The enabled account this token digest belongs to.
    pub async fn user_by_calendar_token(
        &self,
        token_hash: &str,
    ) -> Result<Option<User>, StoreError> {
        let columns = USER_COLUMNS
            .split(", ")
            .map(|c| format!("u.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        let row = sqlx::query(trusted(format!(
            "SELECT {columns} FROM calendar_tokens t JOIN users u ON u.id = t.user_id \
             WHERE t.token_hash = $1 AND u.disabled = 0"
        )))
        .bind(token_hash)
        .fetch_optional(self.pool())
        .await?;
        row.map(|r| user_from_row(&r, 0)).transpose()
    }
}
