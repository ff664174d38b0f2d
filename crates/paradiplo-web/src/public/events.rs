//! Events: the list (by year) and the event page.

use super::*;
use crate::AppState;
use crate::page::{PageOut, newest, record_pair, serve};
use crate::site::Site;
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use paradiplo_core::records::Event;

const YEAR: FilterKey = FilterKey {
    fr: "annee",
    en: "year",
};

pub async fn list(lang: Lang, state: AppState, uri: Uri, headers: HeaderMap) -> Response {
    let templates = state.templates.clone();
    serve(&state, lang, &uri, &headers, move |site, query| {
        let msg = Msg(templates.messages(lang));
        let mut years: Vec<i32> = site.events.iter().map(|e| e.rec.start.year()).collect();
        years.sort_unstable_by(|a, b| b.cmp(a));
        years.dedup();
        let year_opts: Vec<(String, String)> = years
            .iter()
            .map(|y| (y.to_string(), y.to_string()))
            .collect();
        let chosen = Chosen::read(query, lang, &[(YEAR, &year_opts)]);
        let mut items: Vec<_> = site
            .events
            .iter()
            .filter(|e| {
                chosen
                    .get(YEAR)
                    .is_none_or(|y| e.rec.start.year().to_string() == y)
            })
            .collect();
        items.sort_by_key(|e| std::cmp::Reverse(e.rec.start));
        let updated = newest(items.iter().map(|e| &e.updated_at));
        let (shown, pager) = paginate(items, &chosen, Section::Events, lang)?;
        let rows = shown
            .iter()
            .map(|e| Row {
                cells: vec![
                    Link::to(
                        e.rec.title.get(lang),
                        Section::Events.record(lang, e.rec.slug.as_str()),
                    ),
                    Link::text(e.rec.start.display(lang)),
                    Link::text(e.rec.kind.label(lang)),
                    Link::text(
                        e.rec
                            .place
                            .as_ref()
                            .map(|p| p.get(lang).to_string())
                            .unwrap_or_default(),
                    ),
                ],
            })
            .collect();
        let heading = msg.get("events_title");
        let view = ListView {
            heading: heading.clone(),
            lead: Some(msg.get("events_lead")),
            intro_html: None,
            filters: filters_view(
                &chosen,
                lang,
                vec![(YEAR, msg.get("filter_year"), year_opts)],
            ),
            action: Section::Events.path(lang),
            reset: Section::Events.path(lang),
            columns: vec![
                msg.get("col_title"),
                msg.get("col_date"),
                msg.get("col_kind"),
                msg.get("col_place"),
            ],
            rows,
            pager,
            caption: heading.clone(),
        };
        Some(list_page(
            site,
            lang,
            Section::Events,
            &chosen,
            updated,
            view,
            Vec::new,
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
        let e = site.events.get(&slug)?;
        let ev = &e.rec;
        let mut shown = vec![&e.updated_at];
        let partners: Vec<Link> = ev
            .partners
            .iter()
            .filter_map(|s| site.partners.get(s.as_str()))
            .map(|p| {
                shown.push(&p.updated_at);
                Link::to(
                    p.rec.name.get(lang),
                    Section::Partners.record(lang, p.rec.slug.as_str()),
                )
            })
            .collect();
        let agreements: Vec<Link> = ev
            .agreements
            .iter()
            .filter_map(|s| site.agreements.get(s.as_str()))
            .map(|a| {
                shown.push(&a.updated_at);
                Link::to(
                    a.rec.title.get(lang),
                    Section::Agreements.record(lang, a.rec.slug.as_str()),
                )
            })
            .collect();
        let title = ev.title.get(lang).to_string();
        let docs = doc_links(site, &ev.documents, lang);
        let view = RecordView {
            kind_label: ev.kind.label(lang).to_string(),
            heading: title.clone(),
            subtitle: None,
            summary: ev.summary.get(lang).to_string(),
            facts: facts(site, ev, lang, &msg),
            blocks: [
                block(msg.get("block_partners"), partners),
                block(msg.get("block_agreements"), agreements),
            ]
            .into_iter()
            .flatten()
            .collect(),
            milestones: vec![],
            documents: docs,
            sources: sources(&ev.sources),
            website: None,
        };
        let (url, alt) = record_pair(Section::Events, lang, &slug);
        let jsonld = jsonld(ev, &title, lang);
        Some(PageOut {
            template: "record.html",
            title,
            section: Section::Events,
            crumbs: list_crumbs(site, lang, Section::Events, msg.get("events_title")),
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

/// The event's facts: dates, place, organizer, grouping, outcomes, domains.
fn facts(site: &Site, ev: &Event, lang: Lang, msg: &Msg) -> Vec<Fact> {
    let grouping = ev
        .grouping
        .as_ref()
        .and_then(|s| site.groupings.get(s.as_str()))
        .map(|g| {
            Link::to(
                g.rec.name.get(lang),
                Section::Groupings.record(lang, g.rec.slug.as_str()),
            )
        });
    let organization = ev
        .organization
        .as_ref()
        .and_then(|s| site.organizations.get(s.as_str()))
        .map(|o| {
            Link::to(
                o.rec.name.get(lang),
                Section::Organizations.record(lang, o.rec.slug.as_str()),
            )
        });
    let dates = match &ev.end {
        Some(end) if end != &ev.start => {
            format!("{} – {}", ev.start.display(lang), end.display(lang))
        }
        _ => ev.start.display(lang),
    };
    [
        fact(msg.get("col_date"), Some(dates)),
        fact(
            msg.get("col_place"),
            ev.place.as_ref().map(|p| p.get(lang).to_string()),
        ),
        fact(
            msg.get("col_country"),
            ev.country.as_ref().map(|c| country_name(c.as_str(), msg)),
        ),
        ev.organizer.as_ref().and_then(|o| {
            fact_links(
                msg.get("fact_organizer"),
                vec![party_link(site, o, lang, msg)],
            )
        }),
        grouping.and_then(|g| fact_links(msg.get("fact_grouping"), vec![g])),
        organization.and_then(|o| fact_links(msg.get("fact_organization"), vec![o])),
        fact(
            msg.get("fact_delegation"),
            ev.delegation.as_ref().map(|d| d.get(lang).to_string()),
        ),
        fact(
            msg.get("fact_outcomes"),
            ev.outcomes.as_ref().map(|d| d.get(lang).to_string()),
        ),
        fact_links(
            msg.get("fact_domains"),
            domain_links(site, &ev.domains, lang),
        ),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// The page's schema.org description.
fn jsonld(ev: &Event, title: &str, lang: Lang) -> serde_json::Value {
    serde_json::json!({
        "@context": "https://schema.org",
        "@type": "Event",
        "name": title,
        "description": ev.summary.get(lang),
        "startDate": ev.start.to_string(),
        "endDate": ev.end.as_ref().map(|d| d.to_string()),
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "location": ev.place.as_ref().map(|p| serde_json::json!({
            "@type": "Place", "name": p.get(lang),
            "address": ev.country.as_ref().map(|c| c.as_str()),
        })),
    })
}
