//! Calendar feed tokens: one per staff member, for the iCalendar feed of
//! their follow-ups, read by calendar software that cannot sign in. Only the
//! SHA-256 digest of the secret is stored; issuing a new one revokes the old.

use crate::error::StoreError;
use crate::store::Store;
use crate::time_fmt::now_timestamp;
use crate::tokens::token_digest;
use sqlx::Row;

/// The prefix of every calendar secret, so that a leaked one is recognisable.
pub const CALENDAR_TOKEN_PREFIX: &str = "pdc_";

fn new_secret() -> Result<String, StoreError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| StoreError::Corrupt(format!("no random source for a token: {e}")))?;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    Ok(format!("{CALENDAR_TOKEN_PREFIX}{hex}"))
}

impl Store {
    /// Issues a new calendar secret for `email`, replacing any earlier one
    /// (whose feed URL stops working). Returns the secret, which is not stored.
    pub async fn issue_calendar_token(&self, email: &str) -> Result<String, StoreError> {
        let secret = new_secret()?;
        let mut tx = self.pool().begin().await?;
        sqlx::query("DELETE FROM follow_up_feed_tokens WHERE user_email = $1")
            .bind(email)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO follow_up_feed_tokens (user_email, token_hash, created_at) VALUES ($1, $2, $3)",
        )
        .bind(email)
        .bind(token_digest(&secret))
        .bind(now_timestamp())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(secret)
    }

    /// When `email`'s current calendar secret was issued, if there is one.
    pub async fn calendar_token_issued(&self, email: &str) -> Result<Option<String>, StoreError> {
        let row = sqlx::query("SELECT created_at FROM follow_up_feed_tokens WHERE user_email = $1")
            .bind(email)
            .fetch_optional(self.pool())
            .await?;
        row.map(|r| r.try_get(0).map_err(StoreError::from))
            .transpose()
    }

    /// The e-mail of the staff member whose calendar secret this is, if any.
    pub async fn calendar_token_owner(&self, secret: &str) -> Result<Option<String>, StoreError> {
        if !secret.starts_with(CALENDAR_TOKEN_PREFIX) {
            return Ok(None);
        }
        let row = sqlx::query("SELECT user_email FROM follow_up_feed_tokens WHERE token_hash = $1")
            .bind(token_digest(secret))
            .fetch_optional(self.pool())
            .await?;
        row.map(|r| r.try_get(0).map_err(StoreError::from))
            .transpose()
    }
}
