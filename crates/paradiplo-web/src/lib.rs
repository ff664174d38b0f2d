//! The HTTP side of paradiplo: health, metrics, the public portal and page
//! feedback, served by axum from the store. Handlers are thin: they read a
//! snapshot of the published registry and render a template.

pub mod admin;
pub mod api;
pub mod api_feedback;
mod api_search;
mod config;
pub mod feedback;
mod format;
pub mod limits;
mod markdown;
pub mod metrics;
pub mod open_data;
pub mod page;
pub mod paths;
mod pii;
pub mod public;
mod rate_limit;
mod search_page;
mod search_params;
mod security;
pub mod site;
mod templates;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Uri};
use axum::routing::{get, post};
use paradiplo_core::Lang;
use paradiplo_store::Store;
use std::sync::Arc;
use std::time::Duration;

pub use config::{Bilingual, Branding, Colours, ConfigError, Contact, Logo, PortalConfig};
pub use format::{format_count, format_percent, format_size, format_timestamp_date};
pub use public::hub::{HubFigures, figures as hub_figures};
pub use templates::Templates;

/// Shared state of the server.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub templates: Arc<Templates>,
    pub branding: Arc<Branding>,
    /// Settings of the staff workspace (cookies, lockout, uploads, clock).
    pub admin: Arc<admin::AdminConfig>,
    pub config: Arc<PortalConfig>,
    /// The published registry, reloaded when the store changes.
    pub site: Arc<site::SiteCache>,
    /// Rendered pages for the current snapshot.
    pub pages: Arc<page::PageCache>,
    pub feedback_limiter: Arc<rate_limit::RateLimiter>,
    /// The full-text index; None where a server runs without one (tests of other areas).
    pub search: Option<Arc<paradiplo_search::SearchIndex>>,
    /// The open data's licence (issue 7).
    pub licence: Arc<open_data::Licence>,
    /// Generated open-data files, until the store changes (issue 7).
    pub exports: Arc<open_data::ExportCache>,
}

impl AppState {
    /// The default configuration with this branding, reading the store on
    /// every request (so that a write shows at once: what tests and tools
    /// embedding the router expect).
    pub fn new(store: Store, branding: Branding) -> AppState {
        AppState::with_config(
            store,
            PortalConfig {
                branding,
                freshness: Duration::ZERO,
                ..PortalConfig::default()
            },
        )
    }

    pub fn with_config(store: Store, config: PortalConfig) -> AppState {
        let freshness = config.freshness;
        let templates = Templates::with_config(&config);
        let site = site::SiteCache::new(freshness).with_home(templates.home_cell());
        AppState {
            store,
            templates: Arc::new(templates),
            branding: Arc::new(config.branding.clone()),
            config: Arc::new(config),
            site: Arc::new(site),
            pages: Arc::new(page::PageCache::default()),
            // Ten answers per ten minutes per address: more than a person gives.
            feedback_limiter: Arc::new(rate_limit::RateLimiter::new(10, Duration::from_secs(600))),
            search: None,
            licence: Arc::new(open_data::Licence::default()),
            exports: Arc::default(),
            admin: Arc::new(admin::AdminConfig::default()),
        }
    }

    /// The same state with other staff-workspace settings.
    pub fn with_admin(mut self, config: admin::AdminConfig) -> AppState {
        self.admin = Arc::new(config);
        self
    }

    /// Brings the search index up to date with what was just written. Every
    /// write path calls it after its transaction commits and before it
    /// answers, so a staff member finds their change at once; a failure is
    /// logged, not shown (the background poller retries).
    pub async fn after_write(&self) {
        // The published snapshot too: without this, a page or a document
        // just published answers 404 until `freshness` runs out.
        if let Err(e) = self.site.refresh(&self.store).await {
            tracing::warn!(error = %e, "snapshot refresh after a write failed; the next request retries");
        }
        if let Some(index) = &self.search
            && let Err(e) = index.catch_up(&self.store).await
        {
            tracing::warn!(error = %e, "search index catch-up after a write failed; the poller retries");
        }
    }

    /// Adds the search index.
    pub fn with_search(mut self, index: Arc<paradiplo_search::SearchIndex>) -> AppState {
        self.search = Some(index);
        self
    }

    /// A path as an absolute URL when the public address is configured.
    pub fn absolute(&self, path: &str) -> String {
        match &self.config.base_url {
            Some(base) => format!("{base}{path}"),
            None => path.to_string(),
        }
    }
}

macro_rules! list_routes {
    ($router:ident, $module:ident, $section:expr) => {
        $router = $router
            .route(
                $section.path(Lang::Fr),
                get(|State(s): State<AppState>, uri: Uri, h: HeaderMap| {
                    public::$module::list(Lang::Fr, s, uri, h)
                }),
            )
            .route(
                $section.path(Lang::En),
                get(|State(s): State<AppState>, uri: Uri, h: HeaderMap| {
                    public::$module::list(Lang::En, s, uri, h)
                }),
            )
            .route(
                &format!("{}/{{slug}}", $section.path(Lang::Fr)),
                get(
                    |State(s): State<AppState>,
                     Path(slug): Path<String>,
                     uri: Uri,
                     h: HeaderMap| {
                        public::$module::show(Lang::Fr, s, slug, uri, h)
                    },
                ),
            )
            .route(
                &format!("{}/{{slug}}", $section.path(Lang::En)),
                get(
                    |State(s): State<AppState>,
                     Path(slug): Path<String>,
                     uri: Uri,
                     h: HeaderMap| {
                        public::$module::show(Lang::En, s, slug, uri, h)
                    },
                ),
            );
    };
}

/// The public portal: every page of PRODUCT.md except search and open data,
/// plus documents, feedback, sitemap and robots.
fn portal_routes() -> Router<AppState> {
    use paths::Section;
    let mut r = Router::new()
        .route(Section::Home.path(Lang::Fr), get(public::home::home_fr))
        .route(Section::Home.path(Lang::En), get(public::home::home_en))
        .route("/en", get(public::home::redirect_en))
        .route(Section::Hub.path(Lang::Fr), get(public::hub::hub_fr))
        .route(Section::Hub.path(Lang::En), get(public::hub::hub_en))
        .route(&paths::document("{slug}"), get(public::documents::download))
        .route(Section::Feedback.path(Lang::Fr), post(feedback::submit_fr))
        .route(Section::Feedback.path(Lang::En), post(feedback::submit_en))
        .route("/api/v1/feedback", post(api_feedback::post))
        .route("/robots.txt", get(public::seo::robots))
        .route("/sitemap.xml", get(public::seo::sitemap));
    list_routes!(r, partners, Section::Partners);
    list_routes!(r, groupings, Section::Groupings);
    list_routes!(r, organizations, Section::Organizations);
    list_routes!(r, agreements, Section::Agreements);
    list_routes!(r, events, Section::Events);
    r.merge(security::static_routes())
}

/// The whole HTTP application.
pub fn router(state: AppState) -> Router {
    metrics::install();
    let upload_limit = state.admin.upload_limit;
    let app = Router::new()
        // Staff workspace (issue 5): /admin/ in French, /en/admin/ in English.
        .merge(admin::router(upload_limit))
        .merge(portal_routes())
        .route("/healthz", get(healthz))
        // Search (issue 4)
        .route(paths::Section::Search.path(Lang::Fr), get(search_page::search_fr))
        .route(paths::Section::Search.path(Lang::En), get(search_page::search_en))
        .route("/api/v1/search", get(api_search::search))
        .route("/metrics", get(metrics::endpoint))
        // JSON API, OpenAPI document, API reference, open data (issue 7).
        .merge(api::router())
        .merge(open_data::router())
        .fallback(not_found)
        .layer(axum::middleware::from_fn(metrics::track))
        // Spans name the path only: a query string may carry a secret (the
        // staff calendar's subscription address, issue 6).
        .layer(tower_http::trace::TraceLayer::new_for_http().make_span_with(
            |req: &axum::http::Request<axum::body::Body>| {
                tracing::debug_span!("request", method = %req.method(), path = %req.uri().path())
            },
        ))
        .layer(
            paradiplo_http_cache::CompressOnceLayer::new()
                .never_cache(|req| security::is_staff_path(req.uri.path())),
        );
    security::apply(app).with_state(state)
}

async fn not_found(State(state): State<AppState>, uri: Uri) -> axum::response::Response {
    page::not_found_page(&state, paths::Section::of_path(uri.path()).0)
}

/// Logs the cause and shows a plain message: internals never reach the page.
/// The one 500 answer of the portal, the staff workspace and the open data.
pub(crate) fn server_error(cause: &dyn std::fmt::Display) -> axum::response::Response {
    use axum::response::IntoResponse;
    tracing::error!(%cause, "page failed");
    (
        axum::http::StatusCode::INTERNAL_SERVER_ERROR,
        "Erreur interne du serveur / Internal server error\n",
    )
        .into_response()
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
