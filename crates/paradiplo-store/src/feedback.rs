//! Page feedback from the public portal, and what the staff dashboard reads
//! of it. The web layer masks personal data before calling
//! [`Store::insert_feedback`]; the store keeps what it is given.

use crate::error::StoreError;
use crate::store::Store;
use crate::time_fmt::now_timestamp;
use sqlx::Row;
use sqlx::any::AnyRow;

/// Longest comment kept, in characters (the form says so too).
pub const FEEDBACK_COMMENT_MAX: usize = 1000;
/// Longest page path kept.
pub const FEEDBACK_PATH_MAX: usize = 300;

/// "Was this page useful?"
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FeedbackAnswer {
    Yes,
    No,
}

impl FeedbackAnswer {
    pub fn as_str(self) -> &'static str {
        match self {
            FeedbackAnswer::Yes => "yes",
            FeedbackAnswer::No => "no",
        }
    }
    pub fn parse(raw: &str) -> Option<FeedbackAnswer> {
        match raw {
            "yes" => Some(FeedbackAnswer::Yes),
            "no" => Some(FeedbackAnswer::No),
            _ => None,
        }
    }
}

/// Where staff stand with a piece of feedback.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TriageStatus {
    New,
    InProgress,
    Done,
    Dismissed,
}

impl TriageStatus {
    pub const ALL: [TriageStatus; 4] = [
        TriageStatus::New,
        TriageStatus::InProgress,
        TriageStatus::Done,
        TriageStatus::Dismissed,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            TriageStatus::New => "new",
            TriageStatus::InProgress => "in_progress",
            TriageStatus::Done => "done",
            TriageStatus::Dismissed => "dismissed",
        }
    }
    pub fn parse(raw: &str) -> Option<TriageStatus> {
        TriageStatus::ALL.into_iter().find(|s| s.as_str() == raw)
    }
}

/// What a visitor sent, already checked and masked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFeedback {
    /// The page's path, without query ("/partenaires/baviere").
    pub path: String,
    /// The portal section the page belongs to ("partenaires", "accueil"…).
    pub section: String,
    /// "fr" or "en".
    pub lang: String,
    pub answer: FeedbackAnswer,
    /// A reason key (only with `No`).
    pub reason: Option<String>,
    pub comment: Option<String>,
}

/// A stored piece of feedback with its triage state.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Feedback {
    pub id: i64,
    pub path: String,
    pub section: String,
    pub lang: String,
    pub answer: FeedbackAnswer,
    pub reason: Option<String>,
    pub comment: Option<String>,
    pub created_at: String,
    pub status: TriageStatus,
    pub owner: Option<String>,
    /// "YYYY-MM-DD".
    pub due_date: Option<String>,
    pub triaged_at: Option<String>,
}

/// Which feedback to read. Every field left `None` matches everything;
/// dates are "YYYY-MM-DD" and inclusive.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeedbackFilter {
    pub path: Option<String>,
    pub section: Option<String>,
    pub lang: Option<String>,
    pub answer: Option<FeedbackAnswer>,
    pub status: Option<TriageStatus>,
    pub owner: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
}

/// Yes and no answers for one page or one day.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FeedbackCount {
    /// The page path or the day ("YYYY-MM-DD").
    pub key: String,
    pub yes: i64,
    pub no: i64,
}

/// A change of triage state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedbackTriage {
    pub status: TriageStatus,
    pub owner: Option<String>,
    pub due_date: Option<String>,
}

const FEEDBACK_COLUMNS: &str = "id, path, section, lang, answer, reason, comment, created_at, status, owner, due_date, triaged_at";

// One constant WHERE clause: a NULL parameter matches everything. The casts
// let PostgreSQL type parameters that are only compared with NULL.
const FEEDBACK_WHERE: &str = "(CAST($1 AS TEXT) IS NULL OR path = $1) \
     AND (CAST($2 AS TEXT) IS NULL OR section = $2) \
     AND (CAST($3 AS TEXT) IS NULL OR lang = $3) \
     AND (CAST($4 AS TEXT) IS NULL OR answer = $4) \
     AND (CAST($5 AS TEXT) IS NULL OR status = $5) \
     AND (CAST($6 AS TEXT) IS NULL OR owner = $6) \
     AND (CAST($7 AS TEXT) IS NULL OR created_at >= $7) \
     AND (CAST($8 AS TEXT) IS NULL OR created_at < $8)";

fn bind_filter<'q>(
    q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
    f: &FeedbackFilter,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
    // Dates are inclusive days; timestamps are fixed-width text, so the day
    // after `to` is the exclusive upper bound.
    let to = f.to.as_deref().map(next_day);
    q.bind(f.path.clone())
        .bind(f.section.clone())
        .bind(f.lang.clone())
        .bind(f.answer.map(|a| a.as_str().to_string()))
        .bind(f.status.map(|s| s.as_str().to_string()))
        .bind(f.owner.clone())
        .bind(f.from.clone())
        .bind(to)
}

/// "2024-02-28" → "2024-02-29"; an unreadable day is returned as given
/// (validated by [`check_day`] before it gets here).
fn next_day(day: &str) -> String {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    match time::Date::parse(day, fmt) {
        Ok(d) => d
            .next_day()
            .and_then(|n| n.format(fmt).ok())
            .unwrap_or_else(|| day.to_string()),
        Err(_) => day.to_string(),
    }
}

fn check_day(field: &str, day: &Option<String>) -> Result<(), StoreError> {
    if let Some(d) = day {
        let fmt = time::macros::format_description!("[year]-[month]-[day]");
        if time::Date::parse(d, fmt).is_err() {
            return Err(StoreError::InvalidFeedback(format!(
                "{field}: `{d}` is not a date (YYYY-MM-DD)"
            )));
        }
    }
    Ok(())
}

fn feedback_from_row(row: &AnyRow) -> Result<Feedback, StoreError> {
    let answer: String = row.try_get(4)?;
    let status: String = row.try_get(8)?;
    Ok(Feedback {
        id: row.try_get(0)?,
        path: row.try_get(1)?,
        section: row.try_get(2)?,
        lang: row.try_get(3)?,
        answer: FeedbackAnswer::parse(&answer)
            .ok_or_else(|| StoreError::Corrupt(format!("feedback answer `{answer}`")))?,
        reason: row.try_get(5)?,
        comment: row.try_get(6)?,
        created_at: row.try_get(7)?,
        status: TriageStatus::parse(&status)
            .ok_or_else(|| StoreError::Corrupt(format!("feedback status `{status}`")))?,
        owner: row.try_get(9)?,
        due_date: row.try_get(10)?,
        triaged_at: row.try_get(11)?,
    })
}

impl Store {
    /// Stores one piece of feedback and returns it with its id.
    pub async fn insert_feedback(&self, new: &NewFeedback) -> Result<Feedback, StoreError> {
        let invalid = |m: String| Err(StoreError::InvalidFeedback(m));
        if !new.path.starts_with('/') || new.path.chars().count() > FEEDBACK_PATH_MAX {
            return invalid(format!("path: `{}` is not a page path", new.path));
        }
        if new.lang != "fr" && new.lang != "en" {
            return invalid(format!("lang: `{}` is not fr or en", new.lang));
        }
        if let Some(c) = &new.comment
            && c.chars().count() > FEEDBACK_COMMENT_MAX
        {
            return invalid(format!(
                "comment: {} characters, at most {FEEDBACK_COMMENT_MAX}",
                c.chars().count()
            ));
        }
        let now = now_timestamp();
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO feedback (path, section, lang, answer, reason, comment, created_at, status) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'new') RETURNING {FEEDBACK_COLUMNS}"
        )))
        .bind(&new.path)
        .bind(&new.section)
        .bind(&new.lang)
        .bind(new.answer.as_str())
        .bind(new.reason.clone())
        .bind(new.comment.clone())
        .bind(&now)
        .fetch_one(self.pool())
        .await?;
        feedback_from_row(&row)
    }

    /// Feedback matching `filter`, newest first, `limit` rows from `offset`.
    pub async fn list_feedback(
        &self,
        filter: &FeedbackFilter,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<Feedback>, StoreError> {
        check_day("from", &filter.from)?;
        check_day("to", &filter.to)?;
        let q = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {FEEDBACK_COLUMNS} FROM feedback WHERE {FEEDBACK_WHERE} \
             ORDER BY created_at DESC, id DESC LIMIT $9 OFFSET $10"
        )));
        let rows = bind_filter(q, filter)
            .bind(limit)
            .bind(offset)
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(feedback_from_row).collect()
    }

    /// How many pieces of feedback match `filter`.
    pub async fn count_feedback(&self, filter: &FeedbackFilter) -> Result<i64, StoreError> {
        check_day("from", &filter.from)?;
        check_day("to", &filter.to)?;
        let q = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM feedback WHERE {FEEDBACK_WHERE}"
        )));
        Ok(bind_filter(q, filter)
            .fetch_one(self.pool())
            .await?
            .try_get(0)?)
    }

    /// Yes and no answers per page, the most answered pages first.
    pub async fn feedback_counts_by_page(
        &self,
        filter: &FeedbackFilter,
    ) -> Result<Vec<FeedbackCount>, StoreError> {
        self.feedback_counts("path", filter, "COUNT(*) DESC, key")
            .await
    }

    /// Yes and no answers per day ("YYYY-MM-DD", UTC), oldest first.
    pub async fn feedback_counts_by_day(
        &self,
        filter: &FeedbackFilter,
    ) -> Result<Vec<FeedbackCount>, StoreError> {
        self.feedback_counts("SUBSTR(created_at, 1, 10)", filter, "key")
            .await
    }

    /// `key_expr` and `order` are constants of this module, never input.
    async fn feedback_counts(
        &self,
        key_expr: &'static str,
        filter: &FeedbackFilter,
        order: &'static str,
    ) -> Result<Vec<FeedbackCount>, StoreError> {
        check_day("from", &filter.from)?;
        check_day("to", &filter.to)?;
        let q = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {key_expr} AS key, \
             SUM(CASE WHEN answer = 'yes' THEN 1 ELSE 0 END) AS yes, \
             SUM(CASE WHEN answer = 'no' THEN 1 ELSE 0 END) AS no \
             FROM feedback WHERE {FEEDBACK_WHERE} GROUP BY {key_expr} ORDER BY {order}"
        )));
        let rows = bind_filter(q, filter).fetch_all(self.pool()).await?;
        rows.iter()
            .map(|r| {
                Ok(FeedbackCount {
                    key: r.try_get(0)?,
                    yes: r.try_get(1)?,
                    no: r.try_get(2)?,
                })
            })
            .collect()
    }

    /// One piece of feedback.
    pub async fn feedback(&self, id: i64) -> Result<Option<Feedback>, StoreError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {FEEDBACK_COLUMNS} FROM feedback WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(self.pool())
        .await?;
        row.map(|r| feedback_from_row(&r)).transpose()
    }

    /// Sets the triage state, owner and due date of a piece of feedback.
    pub async fn triage_feedback(
        &self,
        id: i64,
        triage: &FeedbackTriage,
    ) -> Result<Feedback, StoreError> {
        check_day("due_date", &triage.due_date)?;
        let done = sqlx::query(
            "UPDATE feedback SET status = $1, owner = $2, due_date = $3, triaged_at = $4 WHERE id = $5",
        )
        .bind(triage.status.as_str())
        .bind(triage.owner.clone())
        .bind(triage.due_date.clone())
        .bind(now_timestamp())
        .bind(id)
        .execute(self.pool())
        .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::InvalidFeedback(format!("id: no feedback {id}")));
        }
        self.feedback(id)
            .await?
            .ok_or_else(|| StoreError::InvalidFeedback(format!("id: no feedback {id}")))
    }
}
