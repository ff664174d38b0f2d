//! The home page: the registry's collections and their counts, read live.

use crate::{AppState, format_count, format_timestamp_date};
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use paradiplo_core::{Lang, RecordKind};
use paradiplo_store::Visibility;
use serde::Serialize;

#[derive(Serialize)]
struct CountRow {
    kind: &'static str,
    label: &'static str,
    count: String,
}

/// Collections shown to the public (settings-like kinds are left out).
const PUBLIC_KINDS: [RecordKind; 9] = [
    RecordKind::Partner,
    RecordKind::Grouping,
    RecordKind::Organization,
    RecordKind::Agreement,
    RecordKind::Event,
    RecordKind::Representation,
    RecordKind::Intervention,
    RecordKind::Document,
    RecordKind::Domain,
];

pub async fn home_fr(State(state): State<AppState>) -> Response {
    home(state, Lang::Fr).await
}

pub async fn home_en(State(state): State<AppState>) -> Response {
    home(state, Lang::En).await
}

pub async fn redirect_en() -> Redirect {
    Redirect::permanent("/en/")
}

fn home_url(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => "/",
        Lang::En => "/en/",
    }
}

fn portal_name(state: &AppState, lang: Lang) -> String {
    match lang {
        Lang::Fr => state.branding.name_fr.clone(),
        Lang::En => state.branding.name_en.clone(),
    }
}

async fn home(state: AppState, lang: Lang) -> Response {
    let result = async {
        let counts = state.store.counts(Visibility::Public).await?;
        let last = state.store.last_updated(Visibility::Public).await?;
        let home_record = state
            .store
            .list(RecordKind::Home, Visibility::Public)
            .await?;
        Ok::<_, paradiplo_store::StoreError>((counts, last, home_record))
    }
    .await;
    let (counts, last, home_record) = match result {
        Ok(v) => v,
        Err(e) => return server_error(&e.to_string()),
    };
    let rows: Vec<CountRow> = PUBLIC_KINDS
        .iter()
        .map(|k| CountRow {
            kind: k.as_str(),
            label: k.label(lang),
            count: format_count(counts.get(k).copied().unwrap_or(0), lang),
        })
        .collect();
    let home_name = home_record
        .first()
        .map(|h| h.record.title().get(lang).to_string())
        .unwrap_or_else(|| portal_name(&state, lang));
    let page = state.templates.render(
        "home.html",
        lang,
        minijinja::context! {
            portal_name => portal_name(&state, lang),
            home_name => home_name,
            home_url => home_url(lang),
            alternate => home_url(other(lang)),
            counts => crate::templates::to_value(rows),
            last_update => last.as_deref().and_then(|t| format_timestamp_date(t, lang)),
        },
    );
    match page {
        Ok(html) => Html(html).into_response(),
        Err(e) => server_error(&e.to_string()),
    }
}

fn other(lang: Lang) -> Lang {
    match lang {
        Lang::Fr => Lang::En,
        Lang::En => Lang::Fr,
    }
}

pub async fn not_found(State(state): State<AppState>, uri: axum::http::Uri) -> Response {
    let lang = if uri.path().starts_with("/en/") || uri.path() == "/en" {
        Lang::En
    } else {
        Lang::Fr
    };
    let page = state.templates.render(
        "not_found.html",
        lang,
        minijinja::context! {
            portal_name => portal_name(&state, lang),
            home_url => home_url(lang),
            alternate => Option::<String>::None,
            last_update => Option::<String>::None,
        },
    );
    match page {
        Ok(html) => (StatusCode::NOT_FOUND, Html(html)).into_response(),
        Err(e) => server_error(&e.to_string()),
    }
}

pub async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../static/paradiplo.css"),
    )
        .into_response()
}

/// Logs the cause and shows a plain message: internals never reach the page.
fn server_error(cause: &str) -> Response {
    tracing::error!(%cause, "page failed");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        "Erreur interne du serveur / Internal server error\n",
    )
        .into_response()
}
