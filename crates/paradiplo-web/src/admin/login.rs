//! Sign-in and sign-out. Attempts are counted in the database, per account
//! and per client, so that the lock holds across instances.

use super::auth::{self, LOGIN_COOKIE, SESSION_COOKIE, StaffPost, field, ts};
use super::{AdminConfig, Page, StaffLang, audit, render_status};
use crate::AppState;
use crate::limits::{NEXT_MAX, SIGN_IN_BODY_MAX, SIGN_IN_EMAIL_MAX, SIGN_IN_PASSWORD_MAX};
use axum::extract::{Query, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use paradiplo_store::{StoreError, User};
use time::OffsetDateTime;

#[derive(serde::Deserialize, Default)]
pub struct Next {
    #[serde(default)]
    next: Option<String>,
}

/// Only a path inside the staff area is a safe place to go back to: a
/// local path without control characters or spaces, no `//` or `\\` that
/// a browser would read as another host, and no more than [`NEXT_MAX`]
/// bytes. Non-ASCII characters are percent-encoded, so the `Location`
/// header is always valid ASCII. Anything else goes to the dashboard.
pub(crate) fn safe_next(lang: StaffLang, next: &str) -> String {
    let in_staff_area = ["/admin", "/en/admin"].iter().any(|base| {
        next.strip_prefix(base)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/') || rest.starts_with('?'))
    });
    let mut encoded = String::with_capacity(next.len());
    for c in next.chars() {
        if c.is_ascii_graphic() {
            encoded.push(c);
        } else if c.is_ascii() || c.is_control() {
            // CR, LF, NUL, space and the other controls: never a place to go.
            return format!("{}/", lang.base());
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                encoded.push_str(&format!("%{b:02X}"));
            }
        }
    }
    let ok = in_staff_area
        && encoded.len() <= NEXT_MAX
        && !encoded.contains("//")
        && !encoded.contains('\\');
    if ok {
        encoded
    } else {
        format!("{}/", lang.base())
    }
}

/// The fields of a sign-in form, each within its bound; None when any field
/// is too long or the body is not a form (nothing of it is stored or shown
/// again).
fn bounded_fields(body: &[u8]) -> Option<Vec<(String, String)>> {
    let fields: Vec<(String, String)> = serde_urlencoded::from_bytes(body).ok()?;
    let within = |name: &str, max: usize| {
        fields
            .iter()
            .filter(|(k, _)| k == name)
            .all(|(_, v)| v.len() <= max)
    };
    let ok = within("email", SIGN_IN_EMAIL_MAX)
        && within("password", SIGN_IN_PASSWORD_MAX)
        && within("next", NEXT_MAX);
    ok.then_some(fields)
}

fn login_page(
    state: &AppState,
    lang: StaffLang,
    next: &str,
    email: &str,
    error: Option<&str>,
    status: StatusCode,
    secure: bool,
) -> Response {
    let token = auth::random_hex(32);
    let page = Page {
        lang,
        user: None,
        csrf: String::new(),
    };
    let mut res = render_status(
        state,
        &page,
        "admin/login.html",
        minijinja::context! {
            login_csrf => token.clone(),
            next => next,
            email => email,
            error => error,
        },
        status,
    );
    if let Ok(v) = HeaderValue::from_str(&auth::set_cookie(LOGIN_COOKIE, &token, 3600, secure)) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

pub async fn form(State(state): State<AppState>, parts: Parts, Query(q): Query<Next>) -> Response {
    let lang = StaffLang::from_parts(&parts);
    let next = safe_next(lang, q.next.as_deref().unwrap_or(""));
    let secure = auth::is_https(&state.admin, &parts.headers);
    login_page(&state, lang, &next, "", None, StatusCode::OK, secure)
}

pub async fn submit(State(state): State<AppState>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let lang = StaffLang::from_parts(&parts);
    let config = state.admin.clone();
    let secure = auth::is_https(&config, &parts.headers);
    // Bounded before anything is read into memory, stored or echoed.
    let Ok(body) = axum::body::to_bytes(body, SIGN_IN_BODY_MAX).await else {
        return lang.refusal(StatusCode::PAYLOAD_TOO_LARGE);
    };
    let Some(fields) = bounded_fields(&body) else {
        return login_page(
            &state,
            lang,
            &format!("{}/", lang.base()),
            "",
            Some("admin_login_failed"),
            StatusCode::UNPROCESSABLE_ENTITY,
            secure,
        );
    };
    let client = auth::client_of(&config, &parts);
    let email = paradiplo_store::normalize_email(field(&fields, "email"));
    let password = fields
        .iter()
        .find(|(k, _)| k == "password")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let next = safe_next(lang, field(&fields, "next"));
    // Double-submit token: the form's hidden field must match the cookie set
    // with the form, which another site can neither read nor set.
    let cookie = auth::cookie(&parts.headers, LOGIN_COOKIE).unwrap_or_default();
    if cookie.is_empty() || !auth::same(&cookie, field(&fields, "csrf")) {
        return lang.refusal(StatusCode::FORBIDDEN);
    }
    let attempt = Attempt {
        state: &state,
        config: &config,
        email,
        client,
        now: (config.clock)(),
    };
    match attempt.verify(password).await {
        Ok(Ok(user)) => attempt.open_session(user, &next, secure).await,
        Ok(Err((key, status))) => login_page(
            &state,
            lang,
            &next,
            &attempt.email,
            Some(key),
            status,
            secure,
        ),
        Err(e) => super::server_error(&e),
    }
}

/// Why a sign-in is refused: the message key shown and the status.
type Refusal = (&'static str, StatusCode);

/// One sign-in attempt: who, from where, and when.
struct Attempt<'a> {
    state: &'a AppState,
    config: &'a AdminConfig,
    email: String,
    client: String,
    now: OffsetDateTime,
}

impl Attempt<'_> {
    /// The account's failures in a row so far, or the refusal when the
    /// client or the account is over its limit.
    async fn within_limits(&self) -> Result<Result<i64, Refusal>, StoreError> {
        let (state, config) = (self.state, self.config);
        let (email, client) = (&self.email, &self.client);
        let window_start = ts(self.now - config.lockout_duration);
        // Per client: many failures from one address, whatever the account.
        if state.store.client_failures(client, &window_start).await? >= config.client_failure_limit
        {
            audit(state, email, "login_throttled", "", "", "client", client).await;
            return Ok(Err((
                "admin_login_throttled",
                StatusCode::TOO_MANY_REQUESTS,
            )));
        }
        // Per account: ten wrong passwords in a row lock it for a while.
        let (fails, newest) = state
            .store
            .consecutive_failures(email, config.lockout_threshold)
            .await?;
        if fails >= config.lockout_threshold && newest.is_some_and(|t| t > window_start) {
            audit(
                state,
                email,
                "login_locked",
                "",
                "",
                "account locked",
                client,
            )
            .await;
            return Ok(Err(("admin_login_locked", StatusCode::TOO_MANY_REQUESTS)));
        }
        Ok(Ok(fails))
    }

    /// The account when the password is right and the account enabled; every
    /// answer recorded as an attempt.
    async fn verify(&self, password: String) -> Result<Result<User, Refusal>, StoreError> {
        let fails = match self.within_limits().await? {
            Ok(fails) => fails,
            Err(refusal) => return Ok(Err(refusal)),
        };
        let found = self.state.store.user_with_hash(&self.email).await?;
        // Verify against a fixed hash when the account does not exist, so the
        // answer takes as long either way.
        let hash = found
            .as_ref()
            .map(|(_, h)| h.clone())
            .unwrap_or_else(|| DUMMY_HASH.to_string());
        let ok = auth::verify_password(password, hash).await;
        match found {
            Some((user, _)) if ok && !user.disabled => {
                self.state
                    .store
                    .record_login_attempt(&self.email, &self.client, true, &ts(self.now))
                    .await?;
                Ok(Ok(user))
            }
            _ => {
                self.record_failure(fails).await?;
                Ok(Err(("admin_login_failed", StatusCode::UNAUTHORIZED)))
            }
        }
    }

    /// Records a failed attempt, and audits the lock when it is the one that
    /// reaches the threshold.
    async fn record_failure(&self, fails: i64) -> Result<(), StoreError> {
        let (state, email, client) = (self.state, &self.email, &self.client);
        state
            .store
            .record_login_attempt(email, client, false, &ts(self.now))
            .await?;
        audit(state, email, "login_failed", "", "", "", client).await;
        if fails + 1 >= self.config.lockout_threshold {
            audit(
                state,
                email,
                "account_locked",
                "",
                "",
                &format!("{} failures in a row", fails + 1),
                client,
            )
            .await;
        }
        Ok(())
    }

    /// Opens a session for the account and sends it on to `next`, with the
    /// session cookie set and the sign-in cookie cleared.
    async fn open_session(&self, user: User, next: &str, secure: bool) -> Response {
        let (state, config, now) = (self.state, self.config, self.now);
        let token = auth::random_hex(32);
        let csrf = auth::random_hex(32);
        let expires = ts(now + config.session_ttl);
        if let Err(e) = state
            .store
            .create_session(
                &auth::sha256_hex(&token),
                user.id,
                &csrf,
                &ts(now),
                &expires,
                &self.client,
            )
            .await
        {
            return super::server_error(&e);
        }
        audit(state, &user.email, "login", "", "", "", &self.client).await;
        let mut res = Redirect::to(next).into_response();
        let ttl = config.session_ttl.as_secs() as i64;
        for c in [
            auth::set_cookie(SESSION_COOKIE, &token, ttl, secure),
            auth::set_cookie(LOGIN_COOKIE, "", 0, secure),
        ] {
            if let Ok(v) = HeaderValue::from_str(&c) {
                res.headers_mut().append(header::SET_COOKIE, v);
            }
        }
        res
    }
}

/// An Argon2id hash of a random string nobody knows (cheap parameters: it
/// only spends the time a real verification would roughly take).
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0g0Vf2Jp7oJmZxkNfTJpZ1w9TzYVYq8tWkm7c1nV0pA";

pub async fn logout(State(state): State<AppState>, post: StaffPost) -> Response {
    let staff = &post.staff;
    if let Some(token) = post.token.as_deref() {
        let _ = state.store.delete_session(&auth::sha256_hex(token)).await;
    }
    audit(&state, staff.email(), "logout", "", "", "", &staff.client).await;
    let mut res = Redirect::to(&format!("{}/login", staff.lang.base())).into_response();
    if let Ok(v) = HeaderValue::from_str(&auth::set_cookie(SESSION_COOKIE, "", 0, false)) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_is_a_local_staff_path_in_ascii() {
        let fr = StaffLang(paradiplo_core::Lang::Fr);
        assert_eq!(safe_next(fr, "/admin/partenaires"), "/admin/partenaires");
        assert_eq!(safe_next(fr, "/admin/\r\nx"), "/admin/");
        assert_eq!(safe_next(fr, "/admin/a b"), "/admin/");
        assert_eq!(safe_next(fr, "/admin/é"), "/admin/%C3%A9");
        assert_eq!(safe_next(fr, "//evil.example/admin"), "/admin/");
        assert_eq!(safe_next(fr, "/administrators"), "/admin/");
        assert_eq!(safe_next(fr, "/admin//evil.example"), "/admin/");
        assert_eq!(safe_next(fr, "/admin\\evil"), "/admin/");
        assert_eq!(safe_next(fr, "https://evil.example/admin"), "/admin/");
        assert_eq!(
            safe_next(fr, &format!("/admin/{}", "a".repeat(600))),
            "/admin/"
        );
    }
}
