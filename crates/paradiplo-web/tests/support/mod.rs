//! What the staff-workspace test files share: sending a request to the app
//! and reading the answer, form encoding, cookies and hidden fields.
// Each test binary uses part of this module.
#![allow(dead_code)]

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use tower::ServiceExt;

/// An answer, read whole.
pub struct Res {
    pub status: StatusCode,
    pub location: String,
    pub content_type: String,
    pub cookies: Vec<String>,
    pub body: String,
}

/// Sends one request through the router and reads the whole answer.
pub async fn send(router: &axum::Router, req: Request<Body>) -> Res {
    let res = router.clone().oneshot(req).await.unwrap();
    let header_of = |name| {
        res.headers()
            .get(name)
            .map(|v: &header::HeaderValue| v.to_str().unwrap().to_string())
            .unwrap_or_default()
    };
    let (location, content_type) = (header_of(header::LOCATION), header_of(header::CONTENT_TYPE));
    let status = res.status();
    let cookies = res
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect();
    let bytes = axum::body::to_bytes(res.into_body(), 10 << 20)
        .await
        .unwrap();
    Res {
        status,
        location,
        content_type,
        cookies,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

/// GET with a cookie (empty: none).
pub async fn get(router: &axum::Router, uri: &str, cookie: &str) -> Res {
    let req = Request::get(uri)
        .header(header::COOKIE, cookie)
        .body(Body::empty())
        .unwrap();
    send(router, req).await
}

/// POST of an HTML form (`application/x-www-form-urlencoded`) with a cookie.
pub async fn post_form<K: AsRef<str>, V: AsRef<str>>(
    router: &axum::Router,
    uri: &str,
    cookie: &str,
    form: &[(K, V)],
) -> Res {
    let body = form
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k.as_ref()), enc(v.as_ref())))
        .collect::<Vec<_>>()
        .join("&");
    let req = Request::post(uri)
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body))
        .unwrap();
    send(router, req).await
}

/// Signs in through the form: the answer's status and the session cookie.
pub async fn sign_in(
    router: &axum::Router,
    email: &str,
    password: &str,
) -> (StatusCode, Option<String>) {
    let form = get(router, "/admin/login", "").await;
    let login_cookie = cookie_pair(&form.cookies, "paradiplo_login").unwrap();
    let token = hidden(&form.body, "csrf");
    let fields = [
        ("csrf", token.as_str()),
        ("email", email),
        ("password", password),
        ("next", "/admin/"),
    ];
    let res = post_form(router, "/admin/login", &login_cookie, &fields).await;
    (res.status, cookie_pair(&res.cookies, "paradiplo_session"))
}

/// Signs in and opens the dashboard: the session cookie and its CSRF token.
pub async fn session(router: &axum::Router, email: &str, password: &str) -> (String, String) {
    let (status, cookie) = sign_in(router, email, password).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "login of {email}");
    let cookie = cookie.unwrap();
    let page = get(router, "/admin/", &cookie).await;
    assert_eq!(page.status, StatusCode::OK);
    let csrf = hidden(&page.body, "csrf");
    (cookie, csrf)
}

/// Percent-encodes a form value.
pub fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The `name=value` pair of a cookie set by an answer, if it has a value.
pub fn cookie_pair(set_cookies: &[String], name: &str) -> Option<String> {
    set_cookies
        .iter()
        .filter_map(|c| c.split(';').next())
        .find(|kv| kv.starts_with(&format!("{name}=")) && kv.len() > name.len() + 1)
        .map(str::to_string)
}

/// The value of a hidden form field.
pub fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no {name} in page"))
        + marker.len();
    html[start..].split('"').next().unwrap().to_string()
}
