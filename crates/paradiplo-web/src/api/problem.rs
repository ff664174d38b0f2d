//! API errors as RFC 9457 problem details (`application/problem+json`),
//! titled and explained in the reader's language (`?lang=` or
//! `Accept-Language`, French by default).

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use paradiplo_core::{FieldError, Lang};
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::OnceLock;
use utoipa::ToSchema;

pub const PROBLEM_JSON: &str = "application/problem+json";

/// A problem detail document.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// A URI reference naming the kind of problem; it points at its
    /// explanation in the API reference.
    #[serde(rename = "type")]
    pub kind: String,
    /// A short summary of the kind of problem, in the requested language.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// What went wrong this time, in the requested language.
    pub detail: String,
    /// For validation errors: every field at fault.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldProblem>,
}

/// One field at fault.
#[derive(Debug, Serialize, ToSchema)]
pub struct FieldProblem {
    /// Dotted path of the field in the request body, e.g. `record.name.fr`.
    pub field: String,
    /// The value at fault, as sent (empty when missing).
    pub value: String,
    /// A stable machine-readable code (`required`, `invalid_slug`, …).
    pub code: String,
    /// The problem in words, in the requested language.
    pub message: String,
}

/// The kinds of problem the API reports, with their status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemKind {
    BadRequest,
    Unauthorized,
    Forbidden,
    NotFound,
    Conflict,
    PreconditionFailed,
    UnsupportedMediaType,
    Validation,
    PreconditionRequired,
    Internal,
}

impl ProblemKind {
    pub const ALL: [ProblemKind; 10] = [
        ProblemKind::BadRequest,
        ProblemKind::Unauthorized,
        ProblemKind::Forbidden,
        ProblemKind::NotFound,
        ProblemKind::Conflict,
        ProblemKind::PreconditionFailed,
        ProblemKind::UnsupportedMediaType,
        ProblemKind::Validation,
        ProblemKind::PreconditionRequired,
        ProblemKind::Internal,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ProblemKind::BadRequest => "bad-request",
            ProblemKind::Unauthorized => "unauthorized",
            ProblemKind::Forbidden => "forbidden",
            ProblemKind::NotFound => "not-found",
            ProblemKind::Conflict => "conflict",
            ProblemKind::PreconditionFailed => "precondition-failed",
            ProblemKind::UnsupportedMediaType => "unsupported-media-type",
            ProblemKind::Validation => "validation",
            ProblemKind::PreconditionRequired => "precondition-required",
            ProblemKind::Internal => "internal",
        }
    }

    pub fn status(self) -> StatusCode {
        match self {
            ProblemKind::BadRequest => StatusCode::BAD_REQUEST,
            ProblemKind::Unauthorized => StatusCode::UNAUTHORIZED,
            ProblemKind::Forbidden => StatusCode::FORBIDDEN,
            ProblemKind::NotFound => StatusCode::NOT_FOUND,
            ProblemKind::Conflict => StatusCode::CONFLICT,
            ProblemKind::PreconditionFailed => StatusCode::PRECONDITION_FAILED,
            ProblemKind::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ProblemKind::Validation => StatusCode::UNPROCESSABLE_ENTITY,
            ProblemKind::PreconditionRequired => StatusCode::PRECONDITION_REQUIRED,
            ProblemKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// Where the API reference explains this kind of problem.
    pub fn type_uri(self, lang: Lang) -> String {
        let page = match lang {
            Lang::Fr => "/api",
            Lang::En => "/en/api",
        };
        format!("{page}#problem-{}", self.code())
    }

    /// The message key of the title (`api_problem_<code>`).
    pub fn title_key(self) -> String {
        format!("api_problem_{}", self.code().replace('-', "_"))
    }
}

/// The API's messages (both languages), read once from the embedded catalogues.
pub fn messages(lang: Lang) -> &'static BTreeMap<String, String> {
    static FR: OnceLock<BTreeMap<String, String>> = OnceLock::new();
    static EN: OnceLock<BTreeMap<String, String>> = OnceLock::new();
    match lang {
        Lang::Fr => FR.get_or_init(|| {
            toml::from_str(include_str!("../../locales/fr.toml")).expect("fr.toml parses")
        }),
        Lang::En => EN.get_or_init(|| {
            toml::from_str(include_str!("../../locales/en.toml")).expect("en.toml parses")
        }),
    }
}

/// A message of the catalogue with `{name}` placeholders filled in.
pub fn message(lang: Lang, key: &str, args: &[(&str, &str)]) -> String {
    let mut text = messages(lang)
        .get(key)
        .cloned()
        .unwrap_or_else(|| key.to_string());
    for (name, value) in args {
        text = text.replace(&format!("{{{name}}}"), value);
    }
    text
}

/// An error of the API, ready to be said in the reader's language.
#[derive(Debug)]
pub struct ApiError {
    pub kind: ProblemKind,
    pub lang: Lang,
    pub detail: String,
    pub errors: Vec<FieldError>,
}

impl ApiError {
    /// A problem whose detail is the catalogue message `key`.
    pub fn new(kind: ProblemKind, lang: Lang, key: &str, args: &[(&str, &str)]) -> ApiError {
        ApiError {
            kind,
            lang,
            detail: message(lang, key, args),
            errors: vec![],
        }
    }

    pub fn validation(lang: Lang, errors: Vec<FieldError>) -> ApiError {
        let n = errors.len().to_string();
        ApiError {
            kind: ProblemKind::Validation,
            lang,
            detail: message(lang, "api_detail_validation", &[("count", &n)]),
            errors,
        }
    }

    pub fn not_found(lang: Lang) -> ApiError {
        ApiError::new(ProblemKind::NotFound, lang, "api_detail_not_found", &[])
    }

    /// Logs the cause; the reader only learns that something failed.
    pub fn internal(lang: Lang, cause: &dyn std::fmt::Display) -> ApiError {
        tracing::error!(%cause, "API request failed");
        ApiError::new(ProblemKind::Internal, lang, "api_detail_internal", &[])
    }

    pub fn to_problem(&self) -> Problem {
        Problem {
            kind: self.kind.type_uri(self.lang),
            title: message(self.lang, &self.kind.title_key(), &[]),
            status: self.kind.status().as_u16(),
            detail: self.detail.clone(),
            errors: self
                .errors
                .iter()
                .map(|e| FieldProblem {
                    field: e.field.clone(),
                    value: e.value.clone(),
                    code: e.problem.code().to_string(),
                    message: e.problem.message(self.lang),
                })
                .collect(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::to_vec(&self.to_problem()).expect("problems serialize");
        let mut res = (self.kind.status(), body).into_response();
        let headers = res.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        headers.insert(
            header::CONTENT_LANGUAGE,
            HeaderValue::from_static(self.lang.code()),
        );
        if self.kind == ProblemKind::Unauthorized {
            headers.insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"paradiplo\""),
            );
        }
        res
    }
}

/// The language of the reader for messages: `?lang=fr|en` if given, else
/// the preferred of French and English in `Accept-Language`, else French.
#[derive(Debug, Clone, Copy)]
pub struct ApiLang(pub Lang);

pub fn lang_of(parts: &Parts) -> Lang {
    if let Some(q) = parts.uri.query() {
        for pair in q.split('&') {
            match pair {
                "lang=en" => return Lang::En,
                "lang=fr" => return Lang::Fr,
                _ => {}
            }
        }
    }
    parts
        .headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map(from_accept_language)
        .unwrap_or(Lang::Fr)
}

/// The best of French and English by q-value; French wins ties and absence.
pub fn from_accept_language(header: &str) -> Lang {
    let mut best = (Lang::Fr, -1.0f32);
    for item in header.split(',') {
        let mut parts = item.trim().split(';');
        let tag = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        let q = parts
            .find_map(|p| p.trim().strip_prefix("q="))
            .and_then(|q| q.parse::<f32>().ok())
            .unwrap_or(1.0);
        let lang = if tag == "en" || tag.starts_with("en-") {
            Lang::En
        } else if tag == "fr" || tag.starts_with("fr-") {
            Lang::Fr
        } else {
            continue;
        };
        if q > best.1 || (q == best.1 && lang == Lang::Fr) {
            best = (lang, q);
        }
    }
    best.0
}

impl<S: Send + Sync> FromRequestParts<S> for ApiLang {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ApiLang(lang_of(parts)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_prefers_the_highest_quality() {
        assert_eq!(from_accept_language("en-CA,en;q=0.9,fr;q=0.8"), Lang::En);
        assert_eq!(from_accept_language("fr-CA, en;q=0.5"), Lang::Fr);
        assert_eq!(from_accept_language("de, es"), Lang::Fr);
        assert_eq!(from_accept_language("de, en;q=0.1"), Lang::En);
        assert_eq!(from_accept_language(""), Lang::Fr);
    }

    #[test]
    fn every_problem_has_a_title_in_both_languages() {
        for kind in ProblemKind::ALL {
            for lang in Lang::ALL {
                assert!(
                    messages(lang).contains_key(&kind.title_key()),
                    "{} in {lang:?}",
                    kind.title_key()
                );
            }
        }
    }
}
