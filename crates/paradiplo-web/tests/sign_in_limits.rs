//! Sign-in input is bounded at the edge: an oversized e-mail is refused
//! before anything is stored or shown again, on both backends, and attempts
//! are kept under a digest of the e-mail, never the e-mail itself.

use axum::http::StatusCode;
use paradiplo_app::testkit::{Reply, TEST_PASSWORD as PASSWORD, TestApp, cookie_pair, hidden};
use paradiplo_core::Role;
use paradiplo_store::Store;
use paradiplo_testkit::{TestDb, backend_tests};
use paradiplo_web::admin::AdminConfig;
use sqlx::Row;

/// An empty application with one editor, ana@x.org.
async fn app(db: &TestDb) -> TestApp {
    let config = AdminConfig {
        argon2_memory_kib: 64,
        argon2_passes: 1,
        ..Default::default()
    };
    let app = TestApp::builder(db).seed(false).admin(config).build().await;
    app.add_staff("ana@x.org", Role::Editor).await;
    app
}

/// The bytes the database takes: SQLite's files, or PostgreSQL's own figure.
async fn database_size(db: &TestDb, store: &Store) -> i64 {
    if db.url.starts_with("sqlite") {
        let mut total = 0;
        for name in ["test.db", "test.db-wal"] {
            if let Ok(m) = std::fs::metadata(db.dir.path().join(name)) {
                total += m.len() as i64;
            }
        }
        total
    } else {
        let row = sqlx::query("SELECT pg_database_size(current_database())::BIGINT")
            .fetch_one(store.pool())
            .await
            .unwrap();
        row.try_get(0).unwrap()
    }
}

/// Posts the sign-in form (with its CSRF cookie and token) with this e-mail.
async fn sign_in_with(app: &TestApp, email: &str) -> Reply {
    let form = app.get_as("/admin/login", "").await;
    let login_cookie = cookie_pair(&form.cookies(), "paradiplo_login").unwrap();
    let token = hidden(&form.body, "csrf");
    let fields = [
        ("csrf", token.as_str()),
        ("email", email),
        ("password", "wrong-password"),
        ("next", "/admin/"),
    ];
    app.post_form("/admin/login", &login_cookie, &fields).await
}

async fn count(store: &Store, table: &str) -> i64 {
    sqlx::query(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}")))
        .fetch_one(store.pool())
        .await
        .unwrap()
        .try_get(0)
        .unwrap()
}

async fn a_megabyte_e_mail_is_refused_and_stores_nothing(db: &TestDb) {
    let app = app(db).await;
    let store = &app.store;
    let before = database_size(db, store).await;
    let huge = format!("{}@example.org", "a".repeat(1 << 20));
    for _ in 0..3 {
        let res = sign_in_with(&app, &huge).await;
        assert_eq!(res.status, StatusCode::PAYLOAD_TOO_LARGE);
        assert!(!res.body.contains("aaaaaaaaaa"), "the e-mail is not echoed");
    }
    assert_eq!(count(store, "login_attempts").await, 0);
    assert_eq!(count(store, "audit_log").await, 0);
    let grown = database_size(db, store).await - before;
    assert!(grown < 10 * 1024, "the database grew by {grown} bytes");
}

async fn an_e_mail_over_the_limit_is_refused_without_echo(db: &TestDb) {
    let app = app(db).await;
    let store = &app.store;
    // Within the body limit, over the e-mail limit.
    let long = format!("{}@example.org", "b".repeat(300));
    let res = sign_in_with(&app, &long).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!res.body.contains("bbbbbbbbbb"), "the e-mail is not echoed");
    assert_eq!(count(store, "login_attempts").await, 0);
    assert_eq!(count(store, "audit_log").await, 0);
}

async fn attempts_are_kept_under_a_digest_of_the_e_mail(db: &TestDb) {
    let app = app(db).await;
    let store = &app.store;
    let res = sign_in_with(&app, "Ana@X.org").await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    let rows = sqlx::query("SELECT email FROM login_attempts")
        .fetch_all(store.pool())
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    let key: String = rows[0].try_get(0).unwrap();
    assert_eq!(key, paradiplo_store::token_digest("ana@x.org"));
    // The lock still counts per account through the digest.
    let (fails, _) = store.consecutive_failures("ANA@x.org ", 10).await.unwrap();
    assert_eq!(fails, 1);
}

/// Signs in successfully with this `next`; returns the answer.
async fn sign_in_going_to(app: &TestApp, form_uri: &str, next: &str) -> Reply {
    let form = app.get_as(form_uri, "").await;
    assert_eq!(form.status, StatusCode::OK, "{form_uri}");
    let login_cookie = cookie_pair(&form.cookies(), "paradiplo_login").unwrap();
    let fields = [
        ("csrf", hidden(&form.body, "csrf")),
        ("email", "ana@x.org".to_string()),
        ("password", PASSWORD.to_string()),
        ("next", next.to_string()),
    ];
    app.post_form("/admin/login", &login_cookie, &fields).await
}

async fn next_with_cr_lf_or_non_ascii_redirects_safely(db: &TestDb) {
    let app = app(db).await;
    // The form page does not carry the bad `next` into its hidden field.
    let form = app.get_as("/admin/login?next=/admin/%0D%0Ax", "").await;
    assert_eq!(form.status, StatusCode::OK);
    assert_eq!(hidden(&form.body, "next"), "/admin/");
    // Posted as is, it still lands on the dashboard.
    let res = sign_in_going_to(&app, "/admin/login", "/admin/\r\nx").await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(res.location(), "/admin/");
    let res = sign_in_going_to(&app, "/admin/login", "/admin/partenaires/é").await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(res.location(), "/admin/partenaires/%C3%A9");
    let res = sign_in_going_to(&app, "/admin/login", "https://evil.example/admin/").await;
    assert_eq!(res.location(), "/admin/");
}

backend_tests!(
    next_with_cr_lf_or_non_ascii_redirects_safely,
    a_megabyte_e_mail_is_refused_and_stores_nothing,
    an_e_mail_over_the_limit_is_refused_without_echo,
    attempts_are_kept_under_a_digest_of_the_e_mail,
);
