//! The HTTP side of paradiplo: health, metrics and the public pages, served
//! by axum from the store. Handlers are thin: they read the store and render
//! a template.

pub mod admin;
mod format;
mod home;
mod metrics;
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
    /// Settings of the staff workspace (cookies, lockout, uploads, clock).
    pub admin: Arc<admin::AdminConfig>,
}

impl AppState {
    pub fn new(store: Store, branding: Branding) -> AppState {
        AppState {
            store,
            templates: Arc::new(Templates::new()),
            branding: Arc::new(branding),
            admin: Arc::new(admin::AdminConfig::default()),
        }
    }

    /// The same state with other staff-workspace settings.
    pub fn with_admin(mut self, config: admin::AdminConfig) -> AppState {
        self.admin = Arc::new(config);
        self
    }
}

/// The whole HTTP application.
pub fn router(state: AppState) -> Router {
    let metrics = metrics::install();
    let upload_limit = state.admin.upload_limit;
    Router::new()
        // Staff workspace (issue 5): /admin/ in French, /en/admin/ in English.
        .merge(admin::router(upload_limit))
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
