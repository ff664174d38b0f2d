//! The JSON API under `/api/v1/` and its OpenAPI document at
//! `/api/openapi.json`, both built from the same route declarations
//! (utoipa-axum), so the document cannot drift from the code.
//!
//! To add endpoints from another module: annotate the handler with
//! `#[utoipa::path(...)]` and add one `.routes(routes!(module::handler))`
//! line to [`api_routes`].

pub mod auth;
pub mod collections;
pub mod docs;
pub mod params;
pub mod problem;
pub mod records;
pub mod write;

use crate::AppState;
use axum::Router;
use axum::response::{IntoResponse, Response};
use collections::*;
use std::sync::OnceLock;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "paradiplo API",
        description = "The registry of a federated state's international relations: partners, groupings, organizations, agreements, events. Reads are public (published records only); writes need an API token (`Authorization: Bearer pdp_…`). Errors are RFC 9457 problem details in French or English (`?lang=` or `Accept-Language`).",
        license(name = "Apache-2.0", identifier = "Apache-2.0"),
    ),
    components(schemas(problem::Problem, problem::FieldProblem, ArchiveRequest, RestoreRequest, WriteState, params::Sort, params::StateFilter)),
    modifiers(&TokenScheme),
    tags(
        (name = "partners", description = "Federated states and regions the home state has relations with."),
        (name = "groupings", description = "Groupings of federated states and regions."),
        (name = "organizations", description = "International organizations."),
        (name = "agreements", description = "Agreements and treaties."),
        (name = "events", description = "Summits, conferences, missions, meetings."),
        (name = "representations", description = "The home state's offices abroad."),
        (name = "documents", description = "Documents attached to records (read only)."),
        (name = "domains", description = "Domains of cooperation."),
    )
)]
struct ApiDoc;

/// Declares the bearer token scheme the write endpoints name.
struct TokenScheme;

impl Modify for TokenScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let mut http = Http::new(HttpAuthScheme::Bearer);
        http.description =
            Some("An API token created by an administrator with `paradiplo token add`.".into());
        components.add_security_scheme("api_token", SecurityScheme::Http(http));
    }
}

/// Every API route with its documentation.
fn api_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(partners::list_partners, partners::create_partner))
        .routes(routes!(partners::get_partner, partners::update_partner))
        .routes(routes!(partners::archive_partner))
        .routes(routes!(partners::restore_partner))
        .routes(routes!(partners::get_partner_draft))
        .routes(routes!(
            groupings::list_groupings,
            groupings::create_grouping
        ))
        .routes(routes!(groupings::get_grouping, groupings::update_grouping))
        .routes(routes!(groupings::archive_grouping))
        .routes(routes!(groupings::restore_grouping))
        .routes(routes!(groupings::get_grouping_draft))
        .routes(routes!(
            organizations::list_organizations,
            organizations::create_organization
        ))
        .routes(routes!(
            organizations::get_organization,
            organizations::update_organization
        ))
        .routes(routes!(organizations::archive_organization))
        .routes(routes!(organizations::restore_organization))
        .routes(routes!(organizations::get_organization_draft))
        .routes(routes!(
            agreements::list_agreements,
            agreements::create_agreement
        ))
        .routes(routes!(
            agreements::get_agreement,
            agreements::update_agreement
        ))
        .routes(routes!(agreements::archive_agreement))
        .routes(routes!(agreements::restore_agreement))
        .routes(routes!(agreements::get_agreement_draft))
        .routes(routes!(events::list_events, events::create_event))
        .routes(routes!(events::get_event, events::update_event))
        .routes(routes!(events::archive_event))
        .routes(routes!(events::restore_event))
        .routes(routes!(events::get_event_draft))
        .routes(routes!(
            representations::list_representations,
            representations::create_representation
        ))
        .routes(routes!(
            representations::get_representation,
            representations::update_representation
        ))
        .routes(routes!(representations::archive_representation))
        .routes(routes!(representations::restore_representation))
        .routes(routes!(representations::get_representation_draft))
        .routes(routes!(documents::list_documents))
        .routes(routes!(documents::get_document))
        .routes(routes!(documents::get_document_draft))
        .routes(routes!(domains::list_domains, domains::create_domain))
        .routes(routes!(domains::get_domain, domains::update_domain))
        .routes(routes!(domains::archive_domain))
        .routes(routes!(domains::restore_domain))
        .routes(routes!(domains::get_domain_draft))
}

/// The OpenAPI document, built once.
pub fn openapi() -> &'static utoipa::openapi::OpenApi {
    static DOC: OnceLock<utoipa::openapi::OpenApi> = OnceLock::new();
    DOC.get_or_init(|| api_routes().split_for_parts().1)
}

/// The API routes, the OpenAPI document and the reference pages.
pub fn router() -> Router<AppState> {
    let (routes, _) = api_routes().split_for_parts();
    routes
        .route("/api/openapi.json", axum::routing::get(openapi_json))
        .route("/api", axum::routing::get(docs::reference_fr))
        .route("/en/api", axum::routing::get(docs::reference_en))
}

async fn openapi_json() -> Response {
    (
        [
            (axum::http::header::CONTENT_TYPE, "application/json"),
            (axum::http::header::CACHE_CONTROL, "public, max-age=300"),
        ],
        openapi()
            .to_json()
            .expect("the OpenAPI document serializes"),
    )
        .into_response()
}
