//! Page feedback, the plain-form way: "Was this page useful? Yes / No";
//! after "No", reasons and a comment. Works without JavaScript (POST, then
//! 303 back to the page in its thank-you state) and without cookies.
//! The JSON twin is `api_feedback`.

use crate::AppState;
use crate::page::{FEEDBACK_REASONS, feedback_key, feedback_no, feedback_thanks};
use crate::paths::Section;
use crate::pii::{Masks, mask};
use axum::Extension;
use axum::extract::{ConnectInfo, Form, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use paradiplo_core::Lang;
use paradiplo_core::Problem;
use paradiplo_core::clean_text::{self, Lines};
use paradiplo_store::{FEEDBACK_COMMENT_MAX, FEEDBACK_PATH_MAX, FeedbackAnswer, NewFeedback};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::net::SocketAddr;

/// What the form or the API sends.
#[derive(Debug, Default, Deserialize)]
pub struct FeedbackInput {
    /// The page's URL (path and query).
    #[serde(default)]
    pub page: String,
    #[serde(default)]
    pub answer: String,
    /// "details" when the reasons step is sent.
    #[serde(default)]
    pub step: Option<String>,
    #[serde(default)]
    pub reason: Option<String>,
    #[serde(default)]
    pub comment: Option<String>,
    /// The trap: hidden from people, filled by robots.
    #[serde(default)]
    pub website: Option<String>,
}

/// Why feedback was not taken.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    /// A field is wrong: (field, value, message key).
    Invalid(&'static str, String, &'static str),
    TooMany,
}

/// What happened to accepted feedback.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    Stored(i64),
    /// The trap was filled: answered as if stored, nothing written.
    Trapped,
}

/// A local page path: no scheme, no host, nothing that redirects elsewhere.
pub fn local_page(page: &str) -> Option<&str> {
    let ok = page.starts_with('/')
        && !page.starts_with("//")
        && !page.contains('\\')
        && !page.chars().any(|c| c.is_control())
        && page.len() <= FEEDBACK_PATH_MAX * 2;
    ok.then_some(page)
}

/// Checks, masks and stores feedback: shared by the form and the API.
pub async fn accept(
    state: &AppState,
    client: Option<std::net::IpAddr>,
    input: &FeedbackInput,
) -> Result<Outcome, Refusal> {
    let path = checked_path(&input.page)?;
    let answer = FeedbackAnswer::parse(input.answer.trim())
        .ok_or_else(|| Refusal::Invalid("answer", input.answer.clone(), "feedback_error_answer"))?;
    let reason = checked_reason(input.reason.as_deref(), answer)?;
    let comment = checked_comment(input.comment.as_deref())?;
    if input
        .website
        .as_deref()
        .is_some_and(|w| !w.trim().is_empty())
    {
        return Ok(Outcome::Trapped);
    }
    if !state.feedback_limiter.allow(client) {
        return Err(Refusal::TooMany);
    }
    let (lang, section) = Section::of_path(&path);
    let masks = masks_in(state.templates.messages(lang));
    let new = NewFeedback {
        path,
        section: section.map(Section::key).unwrap_or("other").to_string(),
        lang: lang.code().to_string(),
        answer,
        reason: if answer == FeedbackAnswer::No {
            reason
        } else {
            None
        },
        comment: if answer == FeedbackAnswer::No {
            comment.map(|c| mask(c, &masks))
        } else {
            None
        },
    };
    match state.store.insert_feedback(&new).await {
        Ok(f) => Ok(Outcome::Stored(f.id)),
        Err(e) => {
            tracing::error!(error = %e, "feedback not stored");
            Err(Refusal::Invalid(
                "page",
                input.page.clone(),
                "feedback_error_page",
            ))
        }
    }
}

/// The page's path (query and fragment dropped), if local and short enough.
fn checked_path(page_sent: &str) -> Result<String, Refusal> {
    let refused = || Refusal::Invalid("page", page_sent.to_string(), "feedback_error_page");
    let page = local_page(page_sent).ok_or_else(refused)?;
    let path = page.split(['?', '#']).next().unwrap_or(page).to_string();
    if path.chars().count() > FEEDBACK_PATH_MAX {
        return Err(refused());
    }
    Ok(path)
}

/// A known reason, and only after "No"; blank is no reason.
fn checked_reason(
    reason_sent: Option<&str>,
    answer: FeedbackAnswer,
) -> Result<Option<String>, Refusal> {
    let reason = reason_sent
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_string);
    if let Some(r) = &reason
        && (!FEEDBACK_REASONS.contains(&r.as_str()) || answer == FeedbackAnswer::Yes)
    {
        return Err(Refusal::Invalid(
            "reason",
            r.clone(),
            "feedback_error_reason",
        ));
    }
    Ok(reason)
}

/// A comment within the length limit and free of forbidden characters;
/// blank is no comment.
fn checked_comment(comment_sent: Option<&str>) -> Result<Option<&str>, Refusal> {
    let comment = comment_sent.map(str::trim).filter(|c| !c.is_empty());
    if let Some(c) = comment
        && c.chars().count() > FEEDBACK_COMMENT_MAX
    {
        return Err(Refusal::Invalid(
            "comment",
            format!("{} …", c.chars().take(40).collect::<String>()),
            "feedback_error_comment",
        ));
    }
    // Staff read comments in pages and CSVs: clean text, as records are.
    if let Some(c) = comment
        && let Err(Problem::ForbiddenCharacter { character, .. }) =
            clean_text::check(c, Lines::Multi)
    {
        return Err(Refusal::Invalid(
            "comment",
            clean_text::code_point(character),
            "feedback_error_comment_character",
        ));
    }
    Ok(comment)
}

/// What personal data in comments is replaced with, in the page's language.
fn masks_in(said: &BTreeMap<String, String>) -> Masks<'_> {
    let get = |k: &str| said.get(k).map(String::as_str).unwrap_or("[…]");
    Masks {
        email: get("feedback_mask_email"),
        phone: get("feedback_mask_phone"),
        postal: get("feedback_mask_postal"),
        number: get("feedback_mask_number"),
    }
}

/// The page URL with the feedback state set (and any earlier one removed).
fn back_to(page: &str, lang: Lang, value: &str) -> String {
    let (path, query) = match page.split('#').next().unwrap_or(page).split_once('?') {
        Some((p, q)) => (p, q),
        None => (page.split('#').next().unwrap_or(page), ""),
    };
    let key = feedback_key(lang);
    let mut ser = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in url::form_urlencoded::parse(query.as_bytes()) {
        if k != key {
            ser.append_pair(&k, &v);
        }
    }
    ser.append_pair(key, value);
    format!("{path}?{}#feedback", ser.finish())
}

fn see_other(to: &str) -> Response {
    let mut r = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(to) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r
}

/// Cross-site form posts are refused (browsers say so in Sec-Fetch-Site).
pub fn cross_site(headers: &HeaderMap) -> bool {
    headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v == "cross-site")
}

pub async fn submit_fr(
    State(state): State<AppState>,
    connect: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    Form(input): Form<FeedbackInput>,
) -> Response {
    submit(state, Lang::Fr, connect, headers, input).await
}

pub async fn submit_en(
    State(state): State<AppState>,
    connect: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    Form(input): Form<FeedbackInput>,
) -> Response {
    submit(state, Lang::En, connect, headers, input).await
}

async fn submit(
    state: AppState,
    form_lang: Lang,
    connect: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    input: FeedbackInput,
) -> Response {
    if cross_site(&headers) {
        return error_page(
            &state,
            form_lang,
            StatusCode::FORBIDDEN,
            "feedback_error_origin",
            None,
            None,
        );
    }
    let lang = local_page(&input.page)
        .map(|p| Section::of_path(p).0)
        .unwrap_or(form_lang);
    // "No" without details yet: show the reasons step (nothing stored).
    if input.answer == "no"
        && input.step.as_deref() != Some("details")
        && let Some(page) = local_page(&input.page)
    {
        return see_other(&back_to(page, lang, feedback_no(lang)));
    }
    match accept(&state, connect.map(|c| c.0.0.ip()), &input).await {
        Ok(_) => see_other(&back_to(&input.page, lang, feedback_thanks(lang))),
        Err(Refusal::TooMany) => error_page(
            &state,
            lang,
            StatusCode::TOO_MANY_REQUESTS,
            "feedback_error_too_many",
            None,
            local_page(&input.page),
        ),
        Err(Refusal::Invalid(field, value, key)) => error_page(
            &state,
            lang,
            StatusCode::BAD_REQUEST,
            key,
            Some((field, value)),
            local_page(&input.page),
        ),
    }
}

fn error_page(
    state: &AppState,
    lang: Lang,
    status: StatusCode,
    key: &str,
    field: Option<(&str, String)>,
    back: Option<&str>,
) -> Response {
    let msg = state.templates.messages(lang);
    let html = state.templates.render(
        "feedback_error.html",
        lang,
        minijinja::context! {
            portal_name => state.config.branding.name(lang),
            home_url => Section::Home.path(lang),
            alternate => Option::<String>::None,
            last_update => Option::<String>::None,
            title => msg.get("feedback_error_title"),
            message => msg.get(key),
            field => field.as_ref().map(|f| f.0),
            value => field.map(|f| f.1),
            back => back,
        },
    );
    match html {
        Ok(h) => (
            status,
            [(header::CACHE_CONTROL, "no-store")],
            axum::response::Html(h),
        )
            .into_response(),
        Err(e) => crate::server_error(&e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_pages() {
        assert!(local_page("/partenaires?region=asia").is_some());
        assert!(local_page("//evil.example/").is_none());
        assert!(local_page("https://evil.example/").is_none());
        assert!(local_page("/\\evil").is_none());
        assert_eq!(
            back_to(
                "/partenaires?region=asia&retroaction=non",
                Lang::Fr,
                "merci"
            ),
            "/partenaires?region=asia&retroaction=merci#feedback"
        );
        assert_eq!(
            back_to("/en/partners", Lang::En, "thanks"),
            "/en/partners?feedback=thanks#feedback"
        );
    }
}
