//! A fresh database per test, on each backend.
//!
//! PostgreSQL is reached at `PARADIPLO_TEST_DATABASE_URL` (default
//! `postgres://postgres@127.0.0.1:5432/test`); each test gets its own
//! database, created and dropped here. When PostgreSQL cannot be reached the
//! PostgreSQL variant of a test says loudly that it skipped — unless
//! `PARADIPLO_REQUIRE_POSTGRES=1` (set by `.ci/run`), which makes it fail.

use sqlx::Connection;
use std::sync::atomic::{AtomicU32, Ordering};

pub const DEFAULT_PG_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

/// A database for one test. Keep it alive for the whole test.
pub struct TestDb {
    pub url: String,
    /// The folder of a SQLite database, or a scratch folder for the test.
    pub dir: tempfile::TempDir,
    pg: Option<(String, String)>,
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

impl TestDb {
    /// A new SQLite database in a temporary folder (a real file, not
    /// `:memory:`, which would give each pooled connection its own database).
    pub fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("test.db").display());
        TestDb { url, dir, pg: None }
    }

    /// A new, empty PostgreSQL database, or None (after a loud message) when
    /// PostgreSQL is not reachable and not required.
    pub async fn postgres(test: &str) -> Option<TestDb> {
        let admin = std::env::var("PARADIPLO_TEST_DATABASE_URL")
            .unwrap_or_else(|_| DEFAULT_PG_URL.to_string());
        let required = std::env::var("PARADIPLO_REQUIRE_POSTGRES").is_ok_and(|v| v == "1");
        let mut conn = match sqlx::PgConnection::connect(&admin).await {
            Ok(c) => c,
            Err(e) => {
                if required {
                    panic!(
                        "PostgreSQL is required (PARADIPLO_REQUIRE_POSTGRES=1) but unreachable at {admin}: {e}"
                    );
                }
                eprintln!(
                    "\n*** SKIPPED (PostgreSQL): {test} — cannot reach {admin}: {e}\n*** Set PARADIPLO_TEST_DATABASE_URL to run the PostgreSQL tests.\n"
                );
                return None;
            }
        };
        let name = format!(
            "paradiplo_t_{}_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.subsec_nanos())
                .unwrap_or(0)
        );
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut conn)
            .await
            .expect("create test database");
        let _ = conn.close().await;
        let url = match admin.rsplit_once('/') {
            Some((base, _)) => format!("{base}/{name}"),
            None => panic!("PARADIPLO_TEST_DATABASE_URL has no database name: {admin}"),
        };
        Some(TestDb {
            url,
            dir: tempfile::tempdir().expect("temp dir"),
            pg: Some((admin, name)),
        })
    }

    /// Drops a PostgreSQL test database (SQLite files go with the temp dir).
    pub async fn cleanup(self) {
        if let Some((admin, name)) = &self.pg
            && let Ok(mut conn) = sqlx::PgConnection::connect(admin).await
        {
            let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
                "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
            )))
            .execute(&mut conn)
            .await;
        }
    }
}

/// Declares async tests that run once on SQLite and once on PostgreSQL.
/// Each listed function takes a `&TestDb`.
#[macro_export]
macro_rules! backend_tests {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let db = $crate::TestDb::sqlite();
                    super::$name(&db).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    if let Some(db) = $crate::TestDb::postgres(concat!(module_path!(), "::", stringify!($name))).await {
                        super::$name(&db).await;
                        db.cleanup().await;
                    }
                }
            )*
        }
    };
}
