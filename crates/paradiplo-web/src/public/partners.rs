//! Partners: the list (by world region and domain) and the partner page
//! (its groupings, agreements, events and the home state's offices there).

use super::*;
use crate::AppState;
use crate::page::{PageOut, newest, record_pair, serve};
use crate::site::{Entry, Site};
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use paradiplo_core::records::{
    Agreement, Event, Grouping, Membership, Partner, PartyRef, Representation, WorldRegion,
};
use paradiplo_core::views::PublicActivity;

const REGION: FilterKey = FilterKey {
    fr: "region",
    en: "region",
};
const DOMAIN: FilterKey = FilterKey {
    fr: "domaine",
    en: "domain",
};

/// Bilateral partners, or members met only in groupings: the hub and home
/// page count the first, and this filter opens the same list.
pub const RELATION: FilterKey = FilterKey {
    fr: "relation",
    en: "relation",
};

/// The relation filter's value for a partner.
fn relation_of(p: &paradiplo_core::records::Partner) -> &'static str {
    match p.bilateral {
        true => "bilateral",
        false => "groupings",
    }
}

pub async fn list(lang: Lang, state: AppState, uri: Uri, headers: HeaderMap) -> Response {
    let templates = state.templates.clone();
    serve(&state, lang, &uri, &headers, move |site, query| {
        let msg = Msg(templates.messages(lang));
        let regions = vocab_options(
            WorldRegion::ALL,
            |r| r.as_str(),
            |r| r.label(lang),
            |r| site.partners.iter().any(|p| p.rec.world_region == r),
        );
        let domains = domain_options(site, lang, |d| {
            site.partners
                .iter()
                .any(|p| p.rec.domains.iter().any(|x| x.as_str() == d))
        });
        let relations = vec![
            ("bilateral".to_string(), msg.get("relation_bilateral")),
            ("groupings".to_string(), msg.get("relation_groupings")),
        ];
        let chosen = Chosen::read(
            query,
            lang,
            &[
                (REGION, &regions),
                (DOMAIN, &domains),
                (RELATION, &relations),
            ],
        );
        let mut items = chosen_partners(site, &chosen);
        items.sort_by_key(|p| sort_key(p.rec.name.get(lang)));
        let updated = newest(items.iter().map(|p| &p.updated_at));
        let (shown, pager) = paginate(items, &chosen, Section::Partners, lang)?;
        let rows = shown
            .iter()
            .map(|p| Row {
                cells: vec![
                    Link::to(
                        p.rec.name.get(lang),
                        Section::Partners.record(lang, p.rec.slug.as_str()),
                    ),
                    Link::text(country_name(p.rec.country.as_str(), &msg)),
                    Link::text(p.rec.world_region.label(lang)),
                    Link::text(msg.get(&format!("relation_{}", relation_of(&p.rec)))),
                    Link::text(date(&p.rec.since, lang).unwrap_or_default()),
                ],
            })
            .collect();
        let heading = msg.get("partners_title");
        let view = ListView {
            heading: heading.clone(),
            lead: Some(msg.get("partners_lead")),
            intro_html: None,
            filters: filters_view(
                &chosen,
                lang,
                vec![
                    (REGION, msg.get("filter_region"), regions),
                    (DOMAIN, msg.get("filter_domain"), domains),
                    (RELATION, msg.get("filter_relation"), relations),
                ],
            ),
            action: Section::Partners.path(lang),
            reset: Section::Partners.path(lang),
            columns: vec![
                msg.get("col_name"),
                msg.get("col_country"),
                msg.get("col_region"),
                msg.get("col_bilateral"),
                msg.get("col_since"),
            ],
            rows,
            pager,
            caption: heading.clone(),
        };
        Some(list_page(
            site,
            lang,
            Section::Partners,
            &chosen,
            updated,
            view,
            || vec![network::map_view(&site.drawings(lang, msg.0).map, &msg)],
        ))
    })
    .await
}

/// The partners the list's filters keep (region, domain, relation).
fn chosen_partners<'s>(site: &'s Site, chosen: &Chosen) -> Vec<&'s Entry<Partner>> {
    site.partners
        .iter()
        .filter(|p| {
            chosen
                .get(REGION)
                .is_none_or(|r| p.rec.world_region.as_str() == r)
        })
        .filter(|p| {
            chosen
                .get(DOMAIN)
                .is_none_or(|d| p.rec.domains.iter().any(|x| x.as_str() == d))
        })
        .filter(|p| {
            chosen
                .get(RELATION)
                .is_none_or(|r| relation_of(&p.rec) == r)
        })
        .collect()
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
        let e = site.partners.get(&slug)?;
        let p = &e.rec;
        let mut shown = vec![&e.updated_at];
        let rel = related(site, &slug);
        shown.extend(rel.groupings.iter().map(|(g, _)| &g.updated_at));
        shown.extend(rel.agreements.iter().map(|a| &a.updated_at));
        shown.extend(rel.events.iter().map(|a| &a.updated_at));
        shown.extend(rel.offices.iter().map(|a| &a.updated_at));

        let name = p.name.get(lang).to_string();
        let view = RecordView {
            kind_label: p.kind.label(lang).to_string(),
            heading: name.clone(),
            subtitle: p.short_name.as_ref().map(|s| s.get(lang).to_string()),
            summary: p.summary.get(lang).to_string(),
            facts: facts(site, p, lang, &msg),
            blocks: blocks(&rel, lang, &msg),
            milestones: milestones(&p.milestones, lang),
            documents: vec![],
            sources: sources(&p.sources),
            website: None,
        };
        let (url, alt) = record_pair(Section::Partners, lang, &slug);
        let jsonld = jsonld(p, &name, lang);
        Some(PageOut {
            template: "record.html",
            title: name,
            section: Section::Partners,
            crumbs: list_crumbs(site, lang, Section::Partners, msg.get("partners_title")),
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

/// The partner's facts: country, region, since when, domains.
fn facts(site: &Site, p: &Partner, lang: Lang, msg: &Msg) -> Vec<Fact> {
    [
        fact(
            msg.get("col_country"),
            Some(country_name(p.country.as_str(), msg)),
        ),
        fact(
            msg.get("fact_subdivision_code"),
            p.subdivision.as_ref().map(|s| s.as_str().to_string()),
        ),
        fact(
            msg.get("col_region"),
            Some(p.world_region.label(lang).to_string()),
        ),
        fact(
            msg.get("col_bilateral"),
            Some(if p.bilateral {
                msg.get("yes")
            } else {
                msg.get("no")
            }),
        ),
        fact(msg.get("col_since"), date(&p.since, lang)),
        fact_links(
            msg.get("fact_domains"),
            domain_links(site, &p.domains, lang),
        ),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// The partner page's blocks: offices, groupings, agreements, public
/// activities and events.
fn blocks(rel: &Related, lang: Lang, msg: &Msg) -> Vec<Block> {
    [
        block(
            msg.get("block_representation"),
            rel.offices
                .iter()
                .map(|r| {
                    Link::text(r.rec.name.get(lang)).note(Some(format!(
                        "{} — {}",
                        r.rec.kind.label(lang),
                        r.rec.city.get(lang)
                    )))
                })
                .collect(),
        ),
        block(
            msg.get("block_groupings"),
            rel.groupings
                .iter()
                .map(|(g, m)| {
                    Link::to(
                        g.rec.name.get(lang),
                        Section::Groupings.record(lang, g.rec.slug.as_str()),
                    )
                    .note(m.role.as_ref().map(|r| r.get(lang).to_string()))
                })
                .collect(),
        ),
        block(
            msg.get("block_agreements"),
            agreement_links(rel.agreements.iter().copied(), lang),
        ),
        block(
            msg.get("block_public_activities"),
            rel.activities
                .iter()
                .map(|a| {
                    Link::text(a.summary.get(lang)).note(Some(format!(
                        "{} — {}",
                        a.kind.label(lang),
                        a.start.display(lang)
                    )))
                })
                .collect(),
        ),
        block(
            msg.get("block_events"),
            event_links(rel.events.iter().copied(), lang),
        ),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// What the partner page shows beside the partner itself.
struct Related<'s> {
    groupings: Vec<(&'s Entry<Grouping>, &'s Membership)>,
    agreements: Vec<&'s Entry<Agreement>>,
    events: Vec<&'s Entry<Event>>,
    offices: Vec<&'s Entry<Representation>>,
    activities: Vec<&'s PublicActivity>,
}

fn related<'s>(site: &'s Site, slug: &str) -> Related<'s> {
    let groupings: Vec<_> = site
        .groupings
        .iter()
        .filter_map(|g| {
            g.rec
                .members
                .iter()
                .find(|m| m.member.as_str() == slug)
                .map(|m| (g, m))
        })
        .collect();
    let agreements: Vec<_> = site
        .agreements
        .iter()
        .filter(|a| {
            a.rec
                .parties
                .iter()
                .any(|x| matches!(&x.party, PartyRef::Partner(s) if s.as_str() == slug))
        })
        .collect();
    let mut events: Vec<_> = site
        .events
        .iter()
        .filter(|ev| ev.rec.partners.iter().any(|s| s.as_str() == slug))
        .collect();
    events.sort_by_key(|e| std::cmp::Reverse(e.rec.start));
    let offices: Vec<_> = site
        .representations
        .iter()
        .filter(|r| r.rec.partners.iter().any(|s| s.as_str() == slug))
        .collect();
    // Only the public summary of an activity, never its title,
    // participants or outcomes; newest first.
    let mut activities: Vec<_> = site
        .public_activities
        .iter()
        .filter(|a| a.partners.iter().any(|s| s.as_str() == slug))
        .collect();
    activities.sort_by_key(|a| std::cmp::Reverse(a.start));
    Related {
        groupings,
        agreements,
        events,
        offices,
        activities,
    }
}

/// The page's schema.org description.
fn jsonld(p: &Partner, name: &str, lang: Lang) -> serde_json::Value {
    serde_json::json!({
        "@context": "https://schema.org",
        "@type": "GovernmentOrganization",
        "name": name,
        "alternateName": p.short_name.as_ref().map(|s| s.get(lang)),
        "description": p.summary.get(lang),
        "address": {"@type": "PostalAddress", "addressCountry": p.country.as_str(),
                    "addressRegion": p.subdivision.as_ref().map(|s| s.as_str())},
        "sameAs": p.sources.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
    })
}
