//! The HTTP side of paradiplo: health, metrics and the public pages, served
//! by axum from the store. Handlers are thin: they read the store and render
//! a template.

pub mod api;
mod format;
mod home;
mod metrics;
pub mod open_data;
mod templates;

use axum::Router;
use axum::routing::get;
use paradiplo_store::Store;
use std::sync::Arc;

pub use format::{format_count, format_timestamp_date};
pub use templates::Templates;

/// What a deployer sets to make the portal theirs (name, contact).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Branding {
    /// The portal's name in French and English.
    pub name_fr: String,
    pub name_en: String,
}

impl Default for Branding {
    fn default() -> Self {
        Branding {
            name_fr: "Partenaires et organisations".into(),
            name_en: "Partners and Organizations".into(),
        }
    }
}

/// Shared state of the server.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub templates: Arc<Templates>,
    pub branding: Arc<Branding>,
    /// The open data's licence (issue 7).
    pub licence: Arc<open_data::Licence>,
    /// Generated open-data files, until the store changes (issue 7).
    pub exports: Arc<open_data::ExportCache>,
}

impl AppState {
    pub fn new(store: Store, branding: Branding) -> AppState {
        AppState {
            store,
            templates: Arc::new(Templates::new()),
            branding: Arc::new(branding),
            licence: Arc::new(open_data::Licence::default()),
            exports: Arc::default(),
        }
    }
}

/// The whole HTTP application.
pub fn router(state: AppState) -> Router {
    let metrics = metrics::install();
    Router::new()
        .route("/", get(home::home_fr))
        .route("/en/", get(home::home_en))
        .route("/en", get(home::redirect_en))
        .route("/static/paradiplo.css", get(home::stylesheet))
        .route("/healthz", get(healthz))
        .route(
            "/metrics",
            get(move || {
                let handle = metrics.clone();
                async move {
                    (
                        [(
                            axum::http::header::CONTENT_TYPE,
                            "text/plain; version=0.0.4",
                        )],
                        handle.render(),
                    )
                }
            }),
        )
        // JSON API, OpenAPI document, API reference, open data (issue 7).
        .merge(api::router())
        .merge(open_data::router())
        .fallback(home::not_found)
        .layer(axum::middleware::from_fn(metrics::track))
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .layer(tower_http::compression::CompressionLayer::new())
        .with_state(state)
}

/// 200 once the store answers.
async fn healthz(
    axum::extract::State(state): axum::extract::State<AppState>,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    match state.store.is_empty().await {
        Ok(_) => (axum::http::StatusCode::OK, "ok\n").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            (
                axum::http::StatusCode::SERVICE_UNAVAILABLE,
                "store unavailable\n",
            )
                .into_response()
        }
    }
}
