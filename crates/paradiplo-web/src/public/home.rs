//! The home page: the registry's collections and their counts, read live,
//! each linked to its list.

use crate::AppState;
use crate::format::format_count;
use crate::page::{PageOut, serve};
use crate::paths::{Section, other};
use axum::extract::State;
use axum::http::{HeaderMap, Uri};
use axum::response::{Redirect, Response};
use paradiplo_core::{Lang, RecordKind};
use serde::Serialize;

#[derive(Serialize)]
struct CountRow {
    kind: &'static str,
    label: &'static str,
    count: String,
    url: Option<&'static str>,
}

pub async fn home_fr(State(state): State<AppState>, uri: Uri, headers: HeaderMap) -> Response {
    home(state, Lang::Fr, uri, headers).await
}

pub async fn home_en(State(state): State<AppState>, uri: Uri, headers: HeaderMap) -> Response {
    home(state, Lang::En, uri, headers).await
}

pub async fn redirect_en() -> Redirect {
    Redirect::permanent(crate::paths::Section::Home.path(Lang::En))
}

async fn home(state: AppState, lang: Lang, uri: Uri, headers: HeaderMap) -> Response {
    let name = state.config.branding.name(lang).to_string();
    serve(&state, lang, &uri, &headers, |site, _| {
        let n = |len: usize| format_count(len as i64, lang);
        let rows = vec![
            (
                RecordKind::Partner,
                site.partners.len(),
                Some(Section::Partners),
            ),
            (
                RecordKind::Grouping,
                site.groupings.len(),
                Some(Section::Groupings),
            ),
            (
                RecordKind::Organization,
                site.organizations.len(),
                Some(Section::Organizations),
            ),
            (
                RecordKind::Agreement,
                site.agreements.len(),
                Some(Section::Agreements),
            ),
            (RecordKind::Event, site.events.len(), Some(Section::Events)),
            (RecordKind::Representation, site.representations.len(), None),
            (RecordKind::Intervention, site.interventions.len(), None),
            (RecordKind::Document, site.documents.len(), None),
            (RecordKind::Domain, site.domains.len(), None),
        ]
        .into_iter()
        .map(|(k, len, section)| CountRow {
            kind: k.as_str(),
            label: k.label(lang),
            count: n(len),
            url: section.map(|s| s.path(lang)),
        })
        .collect::<Vec<_>>();
        let hub_title = super::hub_crumb(site, lang).label;
        // Every published record is counted here, so the newest of them all.
        let updated = crate::page::newest(
            site.home
                .iter()
                .map(|e| &e.updated_at)
                .chain(site.domains.iter().map(|e| &e.updated_at))
                .chain(site.procedures.iter().map(|e| &e.updated_at))
                .chain(site.partners.iter().map(|e| &e.updated_at))
                .chain(site.representations.iter().map(|e| &e.updated_at))
                .chain(site.groupings.iter().map(|e| &e.updated_at))
                .chain(site.organizations.iter().map(|e| &e.updated_at))
                .chain(site.agreements.iter().map(|e| &e.updated_at))
                .chain(site.positions.iter().map(|e| &e.updated_at))
                .chain(site.events.iter().map(|e| &e.updated_at))
                .chain(site.interventions.iter().map(|e| &e.updated_at))
                .chain(site.documents.iter().map(|e| &e.updated_at))
                .chain(site.pages.iter().map(|e| &e.updated_at)),
        );
        let home_name = site
            .home
            .as_ref()
            .map(|h| h.rec.name.get(lang).to_string())
            .unwrap_or_else(|| name.clone());
        let summary = site
            .home
            .as_ref()
            .map(|h| h.rec.summary.get(lang).to_string());
        Some(PageOut {
            template: "home.html",
            title: name.clone(),
            section: Section::Home,
            crumbs: vec![],
            url: Section::Home.path(lang).to_string(),
            alternate: Section::Home.path(other(lang)).to_string(),
            updated,
            jsonld: None,
            as_of: None,
            title_detail: Vec::new(),
            title_page: None,
            ctx: minijinja::context! {
                home_name => home_name,
                home_summary => summary,
                hub_url => Section::Hub.path(lang),
                hub_title => hub_title,
                counts => crate::templates::to_value(rows),
            },
        })
    })
    .await
}
