//! `POST /api/v1/feedback`: page feedback as JSON, with the same checks,
//! masking, trap and rate limit as the form. Errors are problem+json.

use crate::AppState;
use crate::feedback::{FeedbackInput, Outcome, Refusal, accept};
use axum::Extension;
use axum::Json;
use axum::extract::{ConnectInfo, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::net::SocketAddr;

fn problem(status: StatusCode, title: &str, detail: String, field: Option<&str>) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/problem+json")],
        serde_json::json!({
            "type": "about:blank",
            "title": title,
            "status": status.as_u16(),
            "detail": detail,
            "field": field,
        })
        .to_string(),
    )
        .into_response()
}

pub async fn post(
    State(state): State<AppState>,
    connect: Option<Extension<ConnectInfo<SocketAddr>>>,
    body: Result<Json<FeedbackInput>, axum::extract::rejection::JsonRejection>,
) -> Response {
    let Json(input) = match body {
        Ok(b) => b,
        Err(e) => {
            return problem(StatusCode::BAD_REQUEST, "Invalid JSON", e.body_text(), None);
        }
    };
    match accept(&state, connect.map(|c| c.0.0.ip()), &input).await {
        Ok(Outcome::Stored(_) | Outcome::Trapped) => (
            StatusCode::CREATED,
            Json(serde_json::json!({ "status": "received" })),
        )
            .into_response(),
        Err(Refusal::TooMany) => problem(
            StatusCode::TOO_MANY_REQUESTS,
            "Too many requests",
            "Too much feedback from this address; try again later.".into(),
            None,
        ),
        Err(Refusal::Invalid(field, value, _)) => problem(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Invalid feedback",
            format!("{field}: `{value}` is not accepted"),
            Some(field),
        ),
    }
}
