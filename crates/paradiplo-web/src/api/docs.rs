//! The API reference, served as plain HTML by paradiplo itself (no script,
//! no CDN), generated from the OpenAPI document so that it lists exactly
//! the routes that exist. Texts come from the message catalogues, so the
//! French page is French and the English page English.

use super::problem::{ProblemKind, message};
use crate::AppState;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use paradiplo_core::{Lang, RecordKind};
use serde::Serialize;
use utoipa::openapi::RefOr;
use utoipa::openapi::path::ParameterIn;

#[derive(Serialize)]
struct Param {
    name: String,
    location: &'static str,
    required: bool,
    description: String,
}

#[derive(Serialize)]
struct Status {
    code: String,
    description: String,
}

#[derive(Serialize)]
struct Operation {
    id: String,
    method: &'static str,
    path: String,
    summary: String,
    auth: bool,
    params: Vec<Param>,
    body: Option<String>,
    responses: Vec<Status>,
}

#[derive(Serialize)]
struct Group {
    tag: String,
    title: String,
    operations: Vec<Operation>,
}

#[derive(Serialize)]
struct ProblemDoc {
    code: &'static str,
    status: u16,
    title: String,
    text: String,
}

fn collection_label(tag: &str, lang: Lang) -> String {
    RecordKind::ALL
        .into_iter()
        .find(|k| k.plural() == tag)
        .map(|k| k.label(lang).to_string())
        .unwrap_or_else(|| tag.to_string())
}

/// The reference's content, from the OpenAPI document.
fn groups(lang: Lang) -> Vec<Group> {
    let doc = super::openapi();
    let mut groups: Vec<Group> = Vec::new();
    for (path, item) in doc.paths.paths.iter() {
        let operations = [
            ("GET", &item.get),
            ("POST", &item.post),
            ("PUT", &item.put),
            ("PATCH", &item.patch),
            ("DELETE", &item.delete),
        ];
        for (method, op) in operations {
            let Some(op) = op else { continue };
            let tag = op
                .tags
                .as_ref()
                .and_then(|t| t.first().cloned())
                .unwrap_or_default();
            let id = op.operation_id.clone().unwrap_or_default();
            let action = id.split('_').next().unwrap_or("").to_string();
            let collection = collection_label(&tag, lang);
            let params = op
                .parameters
                .iter()
                .flatten()
                .filter_map(|p| match p {
                    RefOr::T(p) => Some(p),
                    RefOr::Ref(_) => None,
                })
                .map(|p| Param {
                    name: p.name.clone(),
                    location: match p.parameter_in {
                        ParameterIn::Path => "path",
                        ParameterIn::Query | ParameterIn::QueryString => "query",
                        ParameterIn::Header => "header",
                        ParameterIn::Cookie => "cookie",
                    },
                    required: matches!(p.required, utoipa::openapi::Required::True),
                    description: message(
                        lang,
                        &format!("api_param_{}", p.name.to_lowercase().replace('-', "_")),
                        &[],
                    ),
                })
                .collect();
            let responses = op
                .responses
                .responses
                .keys()
                .map(|code| Status {
                    code: code.clone(),
                    description: message(lang, &format!("api_status_{code}"), &[]),
                })
                .collect();
            let operation = Operation {
                id: id.clone(),
                method,
                path: path.clone(),
                summary: message(
                    lang,
                    &format!("api_action_{action}"),
                    &[("collection", &collection)],
                ),
                auth: op.security.as_ref().is_some_and(|s| {
                    !s.is_empty()
                        && !s.iter().any(|r| {
                            serde_json::to_value(r).is_ok_and(|v| v == serde_json::json!({}))
                        })
                }),
                params,
                body: op
                    .request_body
                    .as_ref()
                    .map(|_| "application/json".to_string()),
                responses,
            };
            match groups.iter_mut().find(|g| g.tag == tag) {
                Some(g) => g.operations.push(operation),
                None => groups.push(Group {
                    title: collection,
                    tag,
                    operations: vec![operation],
                }),
            }
        }
    }
    groups
}

fn problems(lang: Lang) -> Vec<ProblemDoc> {
    ProblemKind::ALL
        .iter()
        .map(|k| ProblemDoc {
            code: k.code(),
            status: k.status().as_u16(),
            title: message(lang, &k.title_key(), &[]),
            text: message(
                lang,
                &format!("api_problem_text_{}", k.code().replace('-', "_")),
                &[],
            ),
        })
        .collect()
}

pub async fn reference_fr(State(state): State<AppState>) -> Response {
    reference(state, Lang::Fr).await
}

pub async fn reference_en(State(state): State<AppState>) -> Response {
    reference(state, Lang::En).await
}

async fn reference(state: AppState, lang: Lang) -> Response {
    let home_url = crate::paths::Section::Home.path(lang);
    let (alternate, portal_name) = match lang {
        Lang::Fr => ("/en/api", state.branding.name_fr.clone()),
        Lang::En => ("/api", state.branding.name_en.clone()),
    };
    let last = state
        .store
        .last_updated(paradiplo_store::Visibility::Public)
        .await
        .ok()
        .flatten();
    let page = state.templates.render(
        "api.html",
        lang,
        minijinja::context! {
            portal_name => portal_name,
            home_url => home_url,
            alternate => alternate,
            last_update => last.as_deref().and_then(|t| crate::format_timestamp_date(t, lang)),
            groups => crate::templates::to_value(groups(lang)),
            problems => crate::templates::to_value(problems(lang)),
            open_data_url => crate::paths::Section::OpenData.path(lang),
        },
    );
    match page {
        Ok(html) => Html(html).into_response(),
        Err(e) => crate::server_error(&e),
    }
}
