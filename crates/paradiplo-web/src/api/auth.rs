//! API tokens on requests: `Authorization: Bearer pdp_…`. No header means an
//! anonymous reader of published data; a header that names no live token
//! is refused (401), so a typo never silently downgrades a script.

use super::problem::{ApiError, ProblemKind, lang_of};
use crate::AppState;
use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use paradiplo_core::{Lang, Role};
use paradiplo_store::ApiToken;

/// The token of the request, if any.
pub struct Caller(pub Option<ApiToken>);

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let lang = lang_of(parts);
        let Some(value) = parts.headers.get(header::AUTHORIZATION) else {
            return Ok(Caller(None));
        };
        let secret = value
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .unwrap_or("");
        match state.store.token_by_secret(secret).await {
            Ok(Some(token)) => Ok(Caller(Some(token))),
            Ok(None) => Err(ApiError::new(
                ProblemKind::Unauthorized,
                lang,
                "api_detail_bad_token",
                &[],
            )),
            Err(e) => Err(ApiError::internal(lang, &e)),
        }
    }
}

impl Caller {
    /// The token, or 401 when the request has none.
    pub fn require(&self, lang: Lang) -> Result<&ApiToken, ApiError> {
        self.0.as_ref().ok_or_else(|| {
            ApiError::new(
                ProblemKind::Unauthorized,
                lang,
                "api_detail_token_required",
                &[],
            )
        })
    }

    /// True when the caller may see drafts and archived records.
    pub fn is_staff(&self) -> bool {
        self.0.as_ref().is_some_and(|t| t.role.can_read_drafts())
    }
}

/// 403 naming the role an action needs.
pub fn forbidden(lang: Lang, needed: Role, have: Role) -> ApiError {
    ApiError::new(
        ProblemKind::Forbidden,
        lang,
        "api_detail_forbidden",
        &[("needed", needed.label(lang)), ("role", have.label(lang))],
    )
}
