//! The former staff-workspace test helpers, kept as thin adapters over
//! `paradiplo_app::testkit` for the test files written against them in
//! parallel. New tests use `TestApp` (`get_as`, `post_form`, `session`,
//! `staff`); once no file says `mod support;`, delete this module.
// Each test binary uses part of this module.
#![allow(dead_code)]

use axum::body::Body;
use axum::http::{Request, StatusCode};
use paradiplo_app::testkit::Client;
#[allow(unused_imports)] // each test binary uses part of them
pub use paradiplo_app::testkit::{cookie_pair, enc, hidden};

/// An answer, read whole.
pub struct Res {
    pub status: StatusCode,
    pub location: String,
    pub content_type: String,
    pub cookies: Vec<String>,
    pub body: String,
}

impl From<paradiplo_app::testkit::Reply> for Res {
    fn from(r: paradiplo_app::testkit::Reply) -> Res {
        Res {
            status: r.status,
            location: r.location(),
            content_type: r.content_type(),
            cookies: r.cookies(),
            body: r.body,
        }
    }
}

/// Sends one request through the router and reads the whole answer.
pub async fn send(router: &axum::Router, req: Request<Body>) -> Res {
    Client::new(router.clone()).send(req).await.into()
}

/// GET with a cookie (empty: none).
pub async fn get(router: &axum::Router, uri: &str, cookie: &str) -> Res {
    Client::new(router.clone()).get_as(uri, cookie).await.into()
}

/// POST of an HTML form (`application/x-www-form-urlencoded`) with a cookie.
pub async fn post_form<K: AsRef<str>, V: AsRef<str>>(
    router: &axum::Router,
    uri: &str,
    cookie: &str,
    form: &[(K, V)],
) -> Res {
    Client::new(router.clone())
        .post_form(uri, cookie, form)
        .await
        .into()
}

/// Signs in through the form: the answer's status and the session cookie.
pub async fn sign_in(
    router: &axum::Router,
    email: &str,
    password: &str,
) -> (StatusCode, Option<String>) {
    Client::new(router.clone()).sign_in(email, password).await
}

/// Signs in and opens the dashboard: the session cookie and its CSRF token.
pub async fn session(router: &axum::Router, email: &str, password: &str) -> (String, String) {
    let session = Client::new(router.clone()).session(email, password).await;
    (session.cookie, session.csrf)
}
