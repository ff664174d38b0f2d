//! Calendar secrets: the one mechanism behind every calendar a staff member
//! subscribes to from software that cannot sign in (the deadlines calendar
//! and the follow-ups feed). The store makes the secret and keeps only its
//! SHA-256; one secret per account and feed, a new one replacing the old;
//! a secret answers only for an enabled account.

use crate::accounts::{USER_COLUMNS, User, user_from_row};
use crate::error::StoreError;
use crate::store::{Store, trusted};
use crate::time_fmt::now_timestamp;
use crate::tokens::token_digest;
use sqlx::Row;

/// The prefix of every calendar secret, so that a leaked one is recognisable.
/// (Deadline secrets made before 0009 have none and keep working.)
pub const CALENDAR_TOKEN_PREFIX: &str = "pdc_";

/// Which calendar a secret opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CalendarFeed {
    /// The staff deadlines calendar (`…/deadlines.ics`).
    Deadlines,
    /// The person's follow-ups (`…/follow-ups/calendar/{secret}`).
    FollowUps,
}

impl CalendarFeed {
    fn as_str(self) -> &'static str {
        match self {
            CalendarFeed::Deadlines => "deadlines",
            CalendarFeed::FollowUps => "follow_ups",
        }
    }
}

impl Store {
    /// Issues a new secret for this account and feed, replacing any earlier
    /// one (which stops working at once). Returns the secret, not stored.
    pub async fn issue_calendar_secret(
        &self,
        user_id: i64,
        feed: CalendarFeed,
    ) -> Result<String, StoreError> {
        let secret = crate::tokens::new_secret(CALENDAR_TOKEN_PREFIX)?;
        let mut tx = self.pool().begin().await?;
        sqlx::query("DELETE FROM calendar_secrets WHERE user_id = $1 AND feed = $2")
            .bind(user_id)
            .bind(feed.as_str())
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO calendar_secrets (user_id, feed, token_hash, created_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(user_id)
        .bind(feed.as_str())
        .bind(token_digest(&secret))
        .bind(now_timestamp())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(secret)
    }

    /// When the account's current secret for this feed was issued, if any.
    pub async fn calendar_secret_issued(
        &self,
        user_id: i64,
        feed: CalendarFeed,
    ) -> Result<Option<String>, StoreError> {
        let row =
            sqlx::query("SELECT created_at FROM calendar_secrets WHERE user_id = $1 AND feed = $2")
                .bind(user_id)
                .bind(feed.as_str())
                .fetch_optional(self.pool())
                .await?;
        row.map(|r| r.try_get(0).map_err(StoreError::from))
            .transpose()
    }

    /// Revokes the account's secret for this feed; false when it had none.
    pub async fn revoke_calendar_secret(
        &self,
        user_id: i64,
        feed: CalendarFeed,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query("DELETE FROM calendar_secrets WHERE user_id = $1 AND feed = $2")
            .bind(user_id)
            .bind(feed.as_str())
            .execute(self.pool())
            .await?;
        Ok(done.rows_affected() > 0)
    }

    /// The enabled account this secret opens this feed for. A disabled
    /// account's secrets open nothing; a secret of one feed opens no other.
    pub async fn calendar_secret_owner(
        &self,
        secret: &str,
        feed: CalendarFeed,
    ) -> Result<Option<User>, StoreError> {
        let columns = USER_COLUMNS
            .split(", ")
            .map(|c| format!("u.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        let row = sqlx::query(trusted(format!(
            "SELECT {columns} FROM calendar_secrets t JOIN users u ON u.id = t.user_id \
             WHERE t.token_hash = $1 AND t.feed = $2 AND u.disabled = 0"
        )))
        .bind(token_digest(secret))
        .bind(feed.as_str())
        .fetch_optional(self.pool())
        .await?;
        row.map(|r| user_from_row(&r, 0)).transpose()
    }
}
