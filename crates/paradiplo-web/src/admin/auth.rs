//! Passwords, sessions, CSRF and the staff extractors.
//!
//! A hand-rolled layer over the store's own tables (see ARCHITECTURE.md):
//! the cookie holds 32 random bytes; the database keeps their SHA-256 only,
//! with an absolute expiry and an inactivity timeout, so every instance
//! shares sessions. Every session has its own CSRF token, which every staff
//! form carries and every POST checks.

use super::{AdminConfig, Page, StaffLang};
use crate::AppState;
use argon2::password_hash::{PasswordHasher, PasswordVerifier, phc::PasswordHash};
use argon2::{Algorithm, Argon2, Params, Version};
use axum::extract::{FromRequest, FromRequestParts, Multipart, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use paradiplo_core::Role;
use paradiplo_store::{Session, format_timestamp};
use time::OffsetDateTime;

pub const SESSION_COOKIE: &str = "paradiplo_session";
pub const LOGIN_COOKIE: &str = "paradiplo_login";

/// Hex of `n` random bytes from the operating system.
pub fn random_hex(n: usize) -> String {
    let mut buf = vec![0u8; n];
    getrandom::fill(&mut buf).expect("the operating system provides randomness");
    hex(&buf)
}

use paradiplo_core::digest::hex;

pub fn sha256_hex(s: &str) -> String {
    paradiplo_core::digest::sha256_hex(s.as_bytes())
}

/// Equality that takes the same time whatever the first difference.
pub fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// Argon2id with the given cost (memory KiB, passes). The defaults are
/// OWASP's (19 MiB, 2 passes); tests lower them.
pub fn hasher(memory_kib: u32, passes: u32) -> Argon2<'static> {
    let params = Params::new(memory_kib, passes, 1, None).expect("valid Argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes a password into a PHC string (`$argon2id$v=19$…`), off the async
/// threads: hashing takes tens of milliseconds on purpose.
pub async fn hash_password(password: String, memory_kib: u32, passes: u32) -> String {
    tokio::task::spawn_blocking(move || {
        hasher(memory_kib, passes)
            .hash_password(password.as_bytes())
            .expect("hashing a password cannot fail with valid parameters")
            .to_string()
    })
    .await
    .expect("hashing task")
}

/// Checks a password against a PHC string; a malformed hash never matches.
pub async fn verify_password(password: String, hash: String) -> bool {
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&hash).is_ok_and(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
    })
    .await
    .unwrap_or(false)
}

/// Minimum password length for accounts created here.
pub const PASSWORD_MIN: usize = 12;

pub fn ts(t: OffsetDateTime) -> String {
    format_timestamp(t)
}

/// Reads one cookie.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// True when the browser talks to us over HTTPS: configured, or said by a
/// trusted proxy's `X-Forwarded-Proto`.
pub fn is_https(config: &AdminConfig, headers: &HeaderMap) -> bool {
    config.secure_cookies
        || (config.trust_proxy
            && headers
                .get("x-forwarded-proto")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.eq_ignore_ascii_case("https")))
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Lax, Secure over HTTPS.
pub fn set_cookie(name: &str, value: &str, max_age: i64, secure: bool) -> String {
    format!(
        "{name}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax{}",
        if secure { "; Secure" } else { "" }
    )
}

/// The client's address: the peer, or the first `X-Forwarded-For` hop when
/// a trusted proxy sits in front.
pub fn client_of(config: &AdminConfig, parts: &Parts) -> String {
    if config.trust_proxy
        && let Some(first) = parts
            .headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
    {
        return crate::limits::truncate(first.trim(), crate::limits::CLIENT_MAX).to_string();
    }
    parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_else(|| "local".to_string())
}

/// A signed-in staff member, for pages that read.
pub struct Staff {
    pub session: Session,
    pub lang: StaffLang,
    pub client: String,
}

impl Staff {
    pub fn role(&self) -> Role {
        self.session.user.role
    }
    pub fn email(&self) -> &str {
        &self.session.user.email
    }
    /// Refuses (403) a staff member whose role is below `role`.
    #[allow(clippy::result_large_err)] // a response, returned at once by the handler
    pub fn require(&self, role: Role) -> Result<(), Response> {
        if self.role() >= role {
            Ok(())
        } else {
            Err(self.lang.refusal(StatusCode::FORBIDDEN))
        }
    }
}

async fn load_session(state: &AppState, parts: &Parts) -> Option<Session> {
    let token = cookie(&parts.headers, SESSION_COOKIE)?;
    let config = &state.admin;
    let now = (config.clock)();
    let idle_since = ts(now - config.idle_timeout);
    match state
        .store
        .session(&sha256_hex(&token), &ts(now), &idle_since)
        .await
    {
        Ok(s) => s,
        Err(e) => {
            tracing::error!(error = %e, "session lookup failed");
            None
        }
    }
}

impl FromRequestParts<AppState> for Staff {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let lang = StaffLang::from_parts(parts);
        let client = client_of(&state.admin, parts);
        match load_session(state, parts).await {
            Some(session) => Ok(Staff {
                session,
                lang,
                client,
            }),
            None if parts.method == Method::GET || parts.method == Method::HEAD => {
                // Pages send the visitor to the sign-in form, then back.
                let back = parts
                    .uri
                    .path_and_query()
                    .map(|p| p.as_str())
                    .unwrap_or("/");
                Err(
                    Redirect::to(&format!("{}/login?next={}", lang.base(), urlencode(back)))
                        .into_response(),
                )
            }
            None => Err(lang.refusal(StatusCode::UNAUTHORIZED)),
        }
    }
}

pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// An uploaded file.
pub struct Upload {
    pub file_name: String,
    pub bytes: Vec<u8>,
}

/// A staff form post: the session, the CSRF check, and the fields (URL
/// encoded or multipart, with at most one file).
pub struct StaffPost {
    pub staff: Staff,
    /// The session cookie's value (to end the session at sign-out).
    pub token: Option<String>,
    pub fields: Vec<(String, String)>,
    pub upload: Option<Upload>,
}

impl StaffPost {
    pub fn get(&self, name: &str) -> &str {
        field(&self.fields, name)
    }
}

/// The first value of a form field, trimmed ("" when absent).
pub fn field<'a>(fields: &'a [(String, String)], name: &str) -> &'a str {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.trim())
        .unwrap_or("")
}

impl FromRequest<AppState> for StaffPost {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Response> {
        let (mut parts, body) = req.into_parts();
        let staff = Staff::from_request_parts(&mut parts, state).await?;
        let token = cookie(&parts.headers, SESSION_COOKIE);
        let lang = staff.lang;
        let is_multipart = parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("multipart/form-data"));
        let req = Request::from_parts(parts, body);
        let bad = |status| lang.refusal(status);
        let (fields, upload) = if is_multipart {
            let mut mp = Multipart::from_request(req, state)
                .await
                .map_err(|_| bad(StatusCode::BAD_REQUEST))?;
            let mut fields = Vec::new();
            let mut upload = None;
            while let Some(f) = mp
                .next_field()
                .await
                .map_err(|_| bad(StatusCode::PAYLOAD_TOO_LARGE))?
            {
                let name = f.name().unwrap_or_default().to_string();
                match f.file_name().map(str::to_string) {
                    Some(file_name) => {
                        let bytes = f
                            .bytes()
                            .await
                            .map_err(|_| bad(StatusCode::PAYLOAD_TOO_LARGE))?;
                        if !file_name.is_empty() && !bytes.is_empty() {
                            upload = Some(Upload {
                                file_name,
                                bytes: bytes.to_vec(),
                            });
                        }
                    }
                    None => {
                        let text = f.text().await.map_err(|_| bad(StatusCode::BAD_REQUEST))?;
                        fields.push((name, text));
                    }
                }
            }
            (fields, upload)
        } else {
            let axum::Form(fields) = axum::Form::<Vec<(String, String)>>::from_request(req, state)
                .await
                .map_err(|_| bad(StatusCode::BAD_REQUEST))?;
            (fields, None)
        };
        // The per-session token: a post without it, or with another
        // session's, is refused before anything is read or written.
        if !same(field(&fields, "csrf"), &staff.session.csrf) {
            return Err(bad(StatusCode::FORBIDDEN));
        }
        Ok(StaffPost {
            staff,
            token,
            fields,
            upload,
        })
    }
}

/// Refuses cross-site posts to the staff area (defence in depth beside the
/// token): a browser says where a request comes from in `Sec-Fetch-Site`,
/// or at least in `Origin`.
pub async fn same_origin_posts(req: Request, next: axum::middleware::Next) -> Response {
    if req.method() == Method::POST {
        let h = req.headers();
        let site = h.get("sec-fetch-site").and_then(|v| v.to_str().ok());
        let cross = match site {
            Some(s) => !matches!(s, "same-origin" | "none"),
            None => match (
                h.get(header::ORIGIN).and_then(|v| v.to_str().ok()),
                h.get(header::HOST).and_then(|v| v.to_str().ok()),
            ) {
                (Some("null"), _) => true,
                (Some(origin), Some(host)) => {
                    origin.split_once("://").map(|(_, rest)| rest) != Some(host)
                }
                _ => false,
            },
        };
        if cross {
            let lang = StaffLang::from_path(req.uri().path());
            return lang.refusal(StatusCode::FORBIDDEN);
        }
    }
    next.run(req).await
}

/// The page context every staff page gets: language, user, token.
pub fn page_ctx(staff: &Staff) -> Page {
    Page {
        lang: staff.lang,
        user: Some((staff.email().to_string(), staff.role())),
        csrf: staff.session.csrf.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constant_time_equality() {
        assert!(same("abc", "abc"));
        assert!(!same("abc", "abd"));
        assert!(!same("abc", "ab"));
        assert!(!same("", "x"));
    }

    #[test]
    fn cookies_are_http_only_lax_and_secure_on_https() {
        let c = set_cookie("a", "b", 60, true);
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Lax") && c.ends_with("; Secure"));
        assert!(!set_cookie("a", "b", 60, false).contains("Secure"));
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            "x=1; paradiplo_session=abc".parse().unwrap(),
        );
        assert_eq!(cookie(&h, SESSION_COOKIE).as_deref(), Some("abc"));
    }

    #[tokio::test]
    async fn argon2id_hashes_verify() {
        let h = hash_password("correct horse battery".into(), 64, 1).await;
        assert!(h.starts_with("$argon2id$"), "{h}");
        assert!(verify_password("correct horse battery".into(), h.clone()).await);
        assert!(!verify_password("wrong".into(), h).await);
        assert!(!verify_password("x".into(), "not a hash".into()).await);
    }
}
