//! Request parts shared by every endpoint: query strings, paths and JSON
//! bodies read into problems instead of plain-text rejections; pagination,
//! sorting, languages and validators (`ETag`, `If-None-Match`, `If-Match`).

use super::problem::{ApiError, ProblemKind, lang_of};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use paradiplo_core::{Lang, Slug};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use utoipa::ToSchema;

/// Query parameters, read with a problem (400) when they do not fit.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let lang = lang_of(parts);
        let query = parts.uri.query().unwrap_or("");
        serde_urlencoded::from_str::<T>(query)
            .map(ApiQuery)
            .map_err(|e| {
                ApiError::new(
                    ProblemKind::BadRequest,
                    lang,
                    "api_detail_bad_query",
                    &[("error", &e.to_string())],
                )
            })
    }
}

/// A record's slug in the path; a path that cannot be a slug names no record.
pub struct SlugPath(pub Slug);

impl<S: Send + Sync> FromRequestParts<S> for SlugPath {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let lang = lang_of(parts);
        let axum::extract::Path(raw) =
            axum::extract::Path::<String>::from_request_parts(parts, state)
                .await
                .map_err(|_| ApiError::not_found(lang))?;
        Slug::parse(&raw)
            .map(SlugPath)
            .map_err(|_| ApiError::not_found(lang))
    }
}

/// A JSON request body: 415 unless `Content-Type` says JSON, 400 unless it
/// parses as a JSON object.
pub struct JsonBody(pub serde_json::Map<String, Value>);

impl<S: Send + Sync> FromRequest<S> for JsonBody {
    type Rejection = ApiError;
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let (parts, body) = req.into_parts();
        let lang = lang_of(&parts);
        let is_json = parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .map(|m| {
                let m = m.trim().to_ascii_lowercase();
                m == "application/json" || (m.starts_with("application/") && m.ends_with("+json"))
            })
            .unwrap_or(false);
        if !is_json {
            return Err(ApiError::new(
                ProblemKind::UnsupportedMediaType,
                lang,
                "api_detail_media_type",
                &[],
            ));
        }
        let req = Request::from_parts(parts, body);
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|e| {
                ApiError::new(
                    ProblemKind::BadRequest,
                    lang,
                    "api_detail_bad_json",
                    &[("error", &e.body_text())],
                )
            })?;
        match serde_json::from_slice::<Value>(&bytes) {
            Ok(Value::Object(map)) => Ok(JsonBody(map)),
            Ok(_) => Err(ApiError::new(
                ProblemKind::BadRequest,
                lang,
                "api_detail_bad_json",
                &[("error", "expected a JSON object")],
            )),
            Err(e) => Err(ApiError::new(
                ProblemKind::BadRequest,
                lang,
                "api_detail_bad_json",
                &[("error", &e.to_string())],
            )),
        }
    }
}

/// Which records a list shows, by publication state. Anything but
/// `published` needs an API token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum StateFilter {
    #[default]
    Published,
    Draft,
    Archived,
}

/// How a list is ordered; a leading `-` reverses it. `date` is the
/// collection's own date (since, founded, signed, start…).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, ToSchema)]
pub enum Sort {
    #[default]
    #[serde(rename = "slug")]
    Slug,
    #[serde(rename = "-slug")]
    SlugDesc,
    #[serde(rename = "name")]
    Name,
    #[serde(rename = "-name")]
    NameDesc,
    #[serde(rename = "date")]
    Date,
    #[serde(rename = "-date")]
    DateDesc,
    #[serde(rename = "updated")]
    Updated,
    #[serde(rename = "-updated")]
    UpdatedDesc,
}

pub const PER_PAGE_DEFAULT: u32 = 20;
pub const PER_PAGE_MAX: u32 = 100;
/// The documented upper bound of `page` (the schema says so, so it is enforced).
pub const PAGE_MAX: u32 = 1_000_000;

/// Checks page and per_page against their documented bounds.
pub fn page_bounds(
    lang: Lang,
    page: Option<u32>,
    per_page: Option<u32>,
) -> Result<(u32, u32), ApiError> {
    let page = page.unwrap_or(1);
    let per_page = per_page.unwrap_or(PER_PAGE_DEFAULT);
    if !(1..=PAGE_MAX).contains(&page) {
        return Err(ApiError::new(
            ProblemKind::BadRequest,
            lang,
            "api_detail_bad_query",
            &[("error", "page: from 1 to 1000000")],
        ));
    }
    if !(1..=PER_PAGE_MAX).contains(&per_page) {
        return Err(ApiError::new(
            ProblemKind::BadRequest,
            lang,
            "api_detail_bad_query",
            &[("error", "per_page: from 1 to 100")],
        ));
    }
    Ok((page, per_page))
}

/// Checks a year filter against its documented bounds.
pub fn year_bounds(lang: Lang, year: Option<i32>) -> Result<(), ApiError> {
    match year {
        Some(y) if !(1000..=9999).contains(&y) => Err(ApiError::new(
            ProblemKind::BadRequest,
            lang,
            "api_detail_bad_query",
            &[("error", "year: from 1000 to 9999")],
        )),
        _ => Ok(()),
    }
}

/// Reads the `date` parameter (`YYYY-MM-DD`, as on the portal): the day
/// the answer describes the network as it stood. A value that is not a day
/// of the calendar is a 400 naming the parameter and the value.
pub fn as_of_date(lang: Lang, raw: Option<&str>) -> Result<Option<time::Date>, ApiError> {
    match raw {
        None => Ok(None),
        Some(raw) => crate::page::parse_day(raw).map(Some).ok_or_else(|| {
            ApiError::new(
                ProblemKind::BadRequest,
                lang,
                "api_detail_bad_date",
                &[("value", raw)],
            )
        }),
    }
}

/// Replaces every bilingual text (`{"fr": …, "en": …}`) by its text in
/// `lang`, English falling back to French while a translation is pending.
pub fn localize(value: &mut Value, lang: Lang) {
    match value {
        Value::Object(map) => {
            let is_text = map.contains_key("fr")
                && map.keys().all(|k| k == "fr" || k == "en")
                && map.values().all(Value::is_string);
            if is_text {
                let fr = map.get("fr").and_then(Value::as_str).unwrap_or_default();
                let en = map
                    .get("en")
                    .and_then(Value::as_str)
                    .filter(|s| !s.is_empty());
                let text = match lang {
                    Lang::Fr => fr,
                    Lang::En => en.unwrap_or(fr),
                };
                *value = Value::String(text.to_string());
            } else {
                for v in map.values_mut() {
                    localize(v, lang);
                }
            }
        }
        Value::Array(items) => {
            for v in items {
                localize(v, lang);
            }
        }
        _ => {}
    }
}

/// A strong validator for a body: the first 128 bits of its SHA-256.
pub fn body_etag(body: &[u8]) -> String {
    let hex = paradiplo_core::digest::hex(&paradiplo_core::digest::sha256(body)[..16]);
    format!("\"{hex}\"")
}

/// True when `If-None-Match` names `etag` (or is `*`).
pub fn not_modified(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|t| t.trim().trim_start_matches("W/"))
        .any(|t| t == "*" || t == etag)
}

/// A JSON response with its validator, or 304 when the client has it.
pub fn json_response(
    headers: &HeaderMap,
    status: StatusCode,
    body: &Value,
    etag: Option<String>,
    public: bool,
) -> Response {
    let bytes = serde_json::to_vec(body).expect("JSON values serialize");
    let etag = etag.unwrap_or_else(|| body_etag(&bytes));
    let cache = if public {
        "public, max-age=60"
    } else {
        "private, no-store"
    };
    if status == StatusCode::OK && not_modified(headers, &etag) {
        let mut res = StatusCode::NOT_MODIFIED.into_response();
        set(&mut res, header::ETAG, &etag);
        set(&mut res, header::CACHE_CONTROL, cache);
        return res;
    }
    let mut res = (status, bytes).into_response();
    set(&mut res, header::CONTENT_TYPE, "application/json");
    set(&mut res, header::ETAG, &etag);
    set(&mut res, header::CACHE_CONTROL, cache);
    res
}

pub fn set(res: &mut Response, name: header::HeaderName, value: &str) {
    if let Ok(v) = HeaderValue::from_str(value) {
        res.headers_mut().insert(name, v);
    }
}

/// The version a writer started from, read from `If-Match: "<version>"`
/// (the `ETag` of a single record, with or without its `-fr`/`-en` suffix).
/// Missing or empty → 428; present but not a version → 412 (it cannot match).
pub fn if_match_version(headers: &HeaderMap, lang: Lang) -> Result<i64, ApiError> {
    let raw = headers
        .get(header::IF_MATCH)
        .filter(|v| !v.as_bytes().iter().all(u8::is_ascii_whitespace));
    let Some(raw) = raw else {
        return Err(ApiError::new(
            ProblemKind::PreconditionRequired,
            lang,
            "api_detail_if_match_missing",
            &[],
        ));
    };
    let raw = raw.to_str().unwrap_or("").trim();
    let version = raw
        .strip_prefix('"')
        .and_then(|r| r.strip_suffix('"'))
        .map(|r| r.split('-').next().unwrap_or(""))
        .and_then(|v| v.parse::<i64>().ok())
        .filter(|v| *v >= 1);
    version.ok_or_else(|| {
        ApiError::new(
            ProblemKind::PreconditionFailed,
            lang,
            "api_detail_if_match_invalid",
            &[("value", raw)],
        )
    })
}

/// The working copy revision named in `If-Match: "3-r2"` (the `ETag` of
/// `GET …/{slug}/draft`); None when the tag names none.
pub fn if_match_draft_revision(headers: &HeaderMap) -> Option<i64> {
    let raw = headers.get(header::IF_MATCH)?.to_str().ok()?.trim();
    let tag = raw.strip_prefix('"')?.strip_suffix('"')?;
    tag.split('-')
        .skip(1)
        .find_map(|part| part.strip_prefix('r')?.parse::<i64>().ok())
        .filter(|r| *r >= 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn localize_turns_texts_into_strings() {
        let mut v = json!({"name": {"fr": "Bavière", "en": "Bavaria"}, "summary": {"fr": "Texte"},
            "milestones": [{"date": "1989", "text": {"fr": "a", "en": "b"}}], "location": {"lat": 1.0, "lon": 2.0}});
        let mut en = v.clone();
        localize(&mut en, Lang::En);
        assert_eq!(en["name"], "Bavaria");
        assert_eq!(en["summary"], "Texte", "English falls back to French");
        assert_eq!(en["milestones"][0]["text"], "b");
        assert_eq!(en["location"]["lat"], 1.0);
        localize(&mut v, Lang::Fr);
        assert_eq!(v["name"], "Bavière");
    }

    #[test]
    fn if_match_reads_versions() {
        let mut h = HeaderMap::new();
        assert_eq!(
            if_match_version(&h, Lang::Fr).unwrap_err().kind,
            ProblemKind::PreconditionRequired
        );
        h.insert(header::IF_MATCH, HeaderValue::from_static("\"3\""));
        assert_eq!(if_match_version(&h, Lang::Fr).unwrap(), 3);
        h.insert(header::IF_MATCH, HeaderValue::from_static("\"4-en\""));
        assert_eq!(if_match_version(&h, Lang::Fr).unwrap(), 4);
        h.insert(header::IF_MATCH, HeaderValue::from_static("*"));
        assert_eq!(
            if_match_version(&h, Lang::Fr).unwrap_err().kind,
            ProblemKind::PreconditionFailed
        );
    }

    #[test]
    fn if_match_reads_working_copy_revisions() {
        let mut h = HeaderMap::new();
        assert_eq!(if_match_draft_revision(&h), None);
        h.insert(header::IF_MATCH, HeaderValue::from_static("\"3-r2\""));
        assert_eq!(if_match_version(&h, Lang::Fr).unwrap(), 3);
        assert_eq!(if_match_draft_revision(&h), Some(2));
        for plain in ["\"3\"", "\"3-fr\"", "\"3-2015-06-01\"", "\"3-r0\"", "3-r2"] {
            h.insert(header::IF_MATCH, HeaderValue::from_static(plain));
            assert_eq!(if_match_draft_revision(&h), None, "{plain}");
        }
    }

    #[test]
    fn if_none_match_lists() {
        let mut h = HeaderMap::new();
        h.insert(
            header::IF_NONE_MATCH,
            HeaderValue::from_static("\"a\", W/\"b\""),
        );
        assert!(not_modified(&h, "\"b\""));
        assert!(!not_modified(&h, "\"c\""));
    }
}
