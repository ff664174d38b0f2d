//! Prometheus metrics: one recorder per process, shared by every router.

use crate::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use paradiplo_core::Role;
use std::sync::OnceLock;
use std::time::Instant;

static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();

/// Installs the global recorder on first use and returns its handle.
pub fn install() -> PrometheusHandle {
    HANDLE
        .get_or_init(|| {
            PrometheusBuilder::new()
                .install_recorder()
                .expect("the only metrics recorder of the process")
        })
        .clone()
}

/// Counts requests and their latency per route pattern (not per URL, so
/// that slugs do not explode the number of series).
pub async fn track(req: Request, next: Next) -> Response {
    let start = Instant::now();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "unmatched".into());
    let method = req.method().to_string();
    let response = next.run(req).await;
    let status = response.status().as_u16().to_string();
    metrics::counter!("http_requests_total", "method" => method.clone(), "route" => route.clone(), "status" => status)
        .increment(1);
    metrics::histogram!("http_request_duration_seconds", "method" => method, "route" => route)
        .record(start.elapsed().as_secs_f64());
    response
}

/// `GET /metrics`: Prometheus text, for an administrator's API token only
/// (the figures count staff routes and failed sign-ins). A scraper without
/// a token gets 401, a lesser role 403.
pub async fn endpoint(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, StatusCode> {
    let secret = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .ok_or(StatusCode::UNAUTHORIZED)?;
    let token = match state.store.token_by_secret(secret).await {
        Ok(Some(token)) => token,
        Ok(None) => return Err(StatusCode::UNAUTHORIZED),
        Err(e) => {
            tracing::error!(error = %e, "metrics: token lookup failed");
            return Err(StatusCode::INTERNAL_SERVER_ERROR);
        }
    };
    if token.role != Role::Admin {
        return Err(StatusCode::FORBIDDEN);
    }
    Ok(render(&state).await)
}

/// The metrics of this process as Prometheus text, whoever asks: what a
/// separate, private listening address serves. The search index's lag is
/// measured at each scrape.
pub async fn render(state: &AppState) -> Response {
    if let Some(index) = &state.search {
        match index.lag(&state.store).await {
            Ok(lag) => {
                metrics::gauge!("search_index_behind_revisions").set(lag.behind as f64);
                metrics::gauge!("search_index_missing_revisions").set(lag.missing as f64);
                metrics::gauge!("search_index_oldest_missing_seconds")
                    .set(lag.oldest_missing.as_secs_f64());
                metrics::gauge!("search_index_documents").set(lag.documents as f64);
            }
            Err(e) => tracing::warn!(error = %e, "metrics: search index lag unknown"),
        }
    }
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        install().render(),
    )
        .into_response()
}

/// A router with `/metrics` alone and no authentication, for a listening
/// address that only the monitoring network reaches.
pub fn private_router(state: AppState) -> axum::Router {
    axum::Router::new()
        .route(
            "/metrics",
            axum::routing::get(|State(state): State<AppState>| async move { render(&state).await }),
        )
        .with_state(state)
}
