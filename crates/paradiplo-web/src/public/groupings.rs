//! Groupings of federated states and regions: the list (with the editorial
//! introduction) and the grouping page (members, the home state's role,
//! meetings).

use super::*;
use crate::AppState;
use crate::markdown;
use crate::page::{PageOut, newest, record_pair, serve};
use crate::site::Site;
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use paradiplo_core::records::Grouping;

pub async fn list(lang: Lang, state: AppState, uri: Uri, headers: HeaderMap) -> Response {
    let templates = state.templates.clone();
    serve(&state, lang, &uri, &headers, move |site, query| {
        let msg = Msg(templates.messages(lang));
        let chosen = Chosen::read(query, lang, &[]);
        let intro = site.pages.get("regroupements");
        let mut items: Vec<_> = site.groupings.iter().collect();
        items.sort_by_key(|g| sort_key(g.rec.name.get(lang)));
        let updated = newest(
            items
                .iter()
                .map(|g| &g.updated_at)
                .chain(intro.map(|p| &p.updated_at)),
        );
        let (shown, pager) = paginate(items, &chosen, Section::Groupings, lang)?;
        let rows = shown
            .iter()
            .map(|g| Row {
                cells: vec![
                    Link::to(
                        g.rec.name.get(lang),
                        Section::Groupings.record(lang, g.rec.slug.as_str()),
                    ),
                    Link::text(
                        g.rec
                            .acronym
                            .as_ref()
                            .map(|a| a.get(lang).to_string())
                            .unwrap_or_default(),
                    ),
                    Link::text(g.rec.home_role.get(lang)),
                    Link::text(crate::format::format_count(
                        g.rec.members.len() as i64,
                        lang,
                    )),
                    Link::text(date(&g.rec.founded, lang).unwrap_or_default()),
                ],
            })
            .collect();
        let heading = intro
            .map(|p| p.rec.title.get(lang).to_string())
            .unwrap_or_else(|| msg.get("groupings_title"));
        let view = ListView {
            heading: heading.clone(),
            lead: intro.and_then(|p| p.rec.summary.as_ref().map(|s| s.get(lang).to_string())),
            intro_html: intro
                .map(|p| markdown::to_html(p.rec.body.get(lang), 0, &msg.get("new_window"))),
            filters: vec![],
            action: Section::Groupings.path(lang),
            reset: Section::Groupings.path(lang),
            columns: vec![
                msg.get("col_name"),
                msg.get("col_acronym"),
                msg.get("col_home_role"),
                msg.get("col_members"),
                msg.get("col_founded"),
            ],
            rows,
            pager,
            caption: msg.get("groupings_title"),
        };
        Some(list_page(
            site,
            lang,
            Section::Groupings,
            &chosen,
            updated,
            view,
            || vec![network::graph_view(&site.drawings(lang, msg.0).graph, &msg)],
        ))
    })
    .await
}

pub async fn show(
    lang: Lang,
    state: AppState,
    slug: String,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let templates = state.templates.clone();
    serve(&state, lang, &uri, &headers, move |site, _| {
        let msg = Msg(templates.messages(lang));
        let e = site.groupings.get(&slug)?;
        let g = &e.rec;
        let mut shown = vec![&e.updated_at];
        let home_slug = site.home.as_ref().map(|h| h.rec.slug.to_string());
        let members: Vec<Link> = g
            .members
            .iter()
            .map(|m| {
                let note = m.role.as_ref().map(|r| r.get(lang).to_string());
                if home_slug.as_deref() == Some(m.member.as_str()) {
                    Link::text(site.home_name(lang)).note(note)
                } else if let Some(p) = site.partners.get(m.member.as_str()) {
                    shown.push(&p.updated_at);
                    Link::to(
                        p.rec.name.get(lang),
                        Section::Partners.record(lang, m.member.as_str()),
                    )
                    .note(note)
                } else {
                    Link::text(m.member.as_str()).note(note)
                }
            })
            .collect();
        let mut events: Vec<_> = site
            .events
            .iter()
            .filter(|ev| ev.rec.grouping.as_ref().is_some_and(|s| s.as_str() == slug))
            .collect();
        events.sort_by_key(|e| std::cmp::Reverse(e.rec.start));
        shown.extend(events.iter().map(|a| &a.updated_at));
        let name = g.name.get(lang).to_string();
        let view = RecordView {
            kind_label: msg.get("grouping_kind"),
            heading: name.clone(),
            subtitle: g.acronym.as_ref().map(|s| s.get(lang).to_string()),
            summary: g.summary.get(lang).to_string(),
            facts: facts(site, g, lang, &msg),
            blocks: [
                block(msg.get("block_members"), members),
                block(
                    msg.get("block_events"),
                    event_links(events.iter().copied(), lang),
                ),
            ]
            .into_iter()
            .flatten()
            .collect(),
            milestones: milestones(&g.milestones, lang),
            documents: vec![],
            sources: sources(&g.sources),
            website: g
                .website
                .as_ref()
                .and_then(|w| sources(std::slice::from_ref(w)).pop()),
        };
        let (url, alt) = record_pair(Section::Groupings, lang, &slug);
        let jsonld = jsonld(g, &name, lang);
        Some(PageOut {
            template: "record.html",
            title: name,
            section: Section::Groupings,
            crumbs: list_crumbs(site, lang, Section::Groupings, msg.get("groupings_title")),
            url,
            alternate: alt,
            updated: newest(shown),
            jsonld: Some(jsonld),
            as_of: None,
            title_detail: Vec::new(),
            title_page: None,
            ctx: minijinja::context! { record => crate::templates::to_value(view) },
        })
    })
    .await
}

/// The grouping's facts: the home state's role, founding, secretariat, domains.
fn facts(site: &Site, g: &Grouping, lang: Lang, msg: &Msg) -> Vec<Fact> {
    [
        fact(
            msg.get("col_home_role"),
            Some(g.home_role.get(lang).to_string()),
        ),
        fact(msg.get("col_founded"), date(&g.founded, lang)),
        fact(
            msg.get("fact_secretariat"),
            g.secretariat.as_ref().map(|s| s.get(lang).to_string()),
        ),
        fact_links(
            msg.get("fact_domains"),
            domain_links(site, &g.domains, lang),
        ),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// The page's schema.org description.
fn jsonld(g: &Grouping, name: &str, lang: Lang) -> serde_json::Value {
    serde_json::json!({
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": name,
        "alternateName": g.acronym.as_ref().map(|s| s.get(lang)),
        "description": g.summary.get(lang),
        "foundingDate": g.founded.as_ref().map(|d| d.to_string()),
        "url": g.website.as_ref().map(|w| w.as_str()),
    })
}
