//! The home page: what a visitor came for first — the search box, the
//! collections as figure cards (their counts read live, each card a link to
//! its list), the most recent changes, then the way to the hub.

use crate::AppState;
use crate::format::format_count;
use crate::page::{PageOut, serve};
use crate::paths::{Section, other};
use axum::extract::State;
use axum::http::{HeaderMap, Uri};
use axum::response::{Redirect, Response};
use paradiplo_core::{Lang, RecordKind};
use serde::Serialize;

/// How many recent changes the home page lists.
const RECENT: usize = 6;

#[derive(Serialize)]
struct Change {
    kind: &'static str,
    title: String,
    url: String,
    date: Option<String>,
}

/// The records with a page of their own, newest change first (ties in kind
/// and name order, so the list is stable).
fn recent_changes(site: &crate::site::Site, lang: Lang) -> Vec<Change> {
    use paradiplo_core::records::Record;
    fn add<'a, T: Record>(
        out: &mut Vec<(&'a str, RecordKind, String, String)>,
        coll: &'a crate::site::Coll<T>,
        lang: Lang,
    ) {
        for e in coll.iter() {
            out.push((
                e.updated_at.as_str(),
                T::KIND,
                e.rec.title().get(lang).to_string(),
                e.rec.slug().to_string(),
            ));
        }
    }
    let mut all = Vec::new();
    add(&mut all, &site.partners, lang);
    add(&mut all, &site.groupings, lang);
    add(&mut all, &site.organizations, lang);
    add(&mut all, &site.agreements, lang);
    add(&mut all, &site.events, lang);
    all.sort_by(|a, b| {
        b.0.cmp(a.0)
            .then_with(|| a.1.as_str().cmp(b.1.as_str()))
            .then_with(|| super::sort_key(&a.2).cmp(&super::sort_key(&b.2)))
    });
    all.into_iter()
        .filter_map(|(at, kind, title, slug)| {
            Some(Change {
                kind: kind.label(lang),
                url: crate::paths::record_page(kind, lang, &slug)?,
                title,
                date: crate::format::format_timestamp_date(at, lang),
            })
        })
        .take(RECENT)
        .collect()
}

#[derive(Serialize)]
struct CountRow {
    kind: &'static str,
    label: String,
    count: String,
    url: String,
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
        // The collections with a list of their own, as figure cards: the
        // partners and organizations counted as the hub counts them, with
        // the hub's words, each opening the list of what it counts.
        let f = super::hub::figures(site);
        let msg = state.templates.messages(lang);
        let word = |k: &str| msg.get(k).cloned().unwrap_or_default();
        let orgs_url = format!("{}?presence=present", Section::Organizations.path(lang));
        let rows = [
            (RecordKind::Partner, f.bilateral_partners, word("hub_fig_partners"), super::hub::bilateral_url(lang)),
            (RecordKind::Grouping, f.groupings, RecordKind::Grouping.label(lang).to_string(), Section::Groupings.path(lang).to_string()),
            (RecordKind::Organization, f.organizations_present, word("hub_fig_orgs_present"), orgs_url),
            (RecordKind::Agreement, f.agreements, RecordKind::Agreement.label(lang).to_string(), Section::Agreements.path(lang).to_string()),
            (RecordKind::Event, site.events.len(), RecordKind::Event.label(lang).to_string(), Section::Events.path(lang).to_string()),
        ]
        .into_iter()
        .map(|(k, len, label, url)| CountRow {
            kind: k.as_str(),
            label,
            count: n(len),
            url,
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
                changes => crate::templates::to_value(recent_changes(site, lang)),
                feed_url => format!("{}/changes.{}.atom", Section::OpenData.path(Lang::Fr), lang.code()),
            },
        })
    })
    .await
}
