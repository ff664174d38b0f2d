//! International organizations: the list (by type, domain, presence in the
//! home state and city) and the organization page.

use super::*;
use crate::AppState;
use crate::markdown;
use crate::page::{PageOut, newest, record_pair, serve};
use crate::site::{Entry, Site};
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use paradiplo_core::records::{
    Agreement, Event, Intervention, Organization, OrganizationKind, PartyRef, Position, Presence,
};

const KIND: FilterKey = FilterKey {
    fr: "type",
    en: "type",
};
const DOMAIN: FilterKey = FilterKey {
    fr: "domaine",
    en: "domain",
};
const PRESENCE: FilterKey = FilterKey {
    fr: "presence",
    en: "presence",
};
const CITY: FilterKey = FilterKey {
    fr: "ville",
    en: "city",
};

/// Current listings, or historical ones whose existence today is not
/// confirmed (left out of every live count).
const STATUS: FilterKey = FilterKey {
    fr: "statut",
    en: "status",
};

/// "present": headquarters or office, historical listings left out (as the hub counts).
fn presence_matches(o: &paradiplo_core::records::Organization, wanted: &str) -> bool {
    match wanted {
        "present" => o.presence != Presence::None && !o.historical,
        other => o.presence.as_str() == other,
    }
}

/// The list's introduction, then what the registry covers against the
/// government's own count of organizations present (when it holds fewer).
fn intro_with_scope(
    site: &Site,
    intro: Option<&paradiplo_core::records::Page>,
    lang: Lang,
    msg: &Msg,
) -> Option<String> {
    let held = super::hub::figures(site).organizations_present;
    let scope = super::scope::scope_html(
        site,
        paradiplo_core::RecordKind::Organization,
        held,
        lang,
        msg,
    );
    let intro = intro.map(|p| markdown::to_html(p.body.get(lang), 0, &msg.get("new_window")));
    match (intro, scope) {
        (Some(i), Some(s)) => Some(format!("{i}{s}")),
        (i, s) => i.or(s),
    }
}

pub async fn list(lang: Lang, state: AppState, uri: Uri, headers: HeaderMap) -> Response {
    let templates = state.templates.clone();
    serve(&state, lang, &uri, &headers, move |site, query| {
        let msg = Msg(templates.messages(lang));
        let Options {
            kinds,
            domains,
            presence,
            cities,
        } = options(site, lang, &msg);
        let statuses = vec![
            ("current".to_string(), msg.get("status_current")),
            ("historical".to_string(), msg.get("status_historical")),
        ];
        let chosen = Chosen::read(
            query,
            lang,
            &[
                (KIND, &kinds),
                (DOMAIN, &domains),
                (PRESENCE, &presence),
                (CITY, &cities),
                (STATUS, &statuses),
            ],
        );
        let items = chosen_organizations(site, &chosen, lang);
        let intro = site.pages.get("organisations-internationales");
        // The scope line reads the home record's official figure.
        let updated = newest(
            items
                .iter()
                .map(|o| &o.updated_at)
                .chain(intro.map(|p| &p.updated_at))
                .chain(site.home.iter().map(|h| &h.updated_at)),
        );
        let (shown, pager) = paginate(items, &chosen, Section::Organizations, lang)?;
        let rows = shown.iter().map(|o| row(o, lang)).collect();
        let heading = intro
            .map(|p| p.rec.title.get(lang).to_string())
            .unwrap_or_else(|| msg.get("organizations_title"));
        let view = ListView {
            heading: heading.clone(),
            lead: intro.and_then(|p| p.rec.summary.as_ref().map(|s| s.get(lang).to_string())),
            intro_html: intro_with_scope(site, intro.map(|p| &p.rec), lang, &msg),
            filters: filters_view(
                &chosen,
                lang,
                vec![
                    (KIND, msg.get("filter_type"), kinds),
                    (DOMAIN, msg.get("filter_domain"), domains),
                    (PRESENCE, msg.get("filter_presence"), presence),
                    (CITY, msg.get("filter_city"), cities),
                    (STATUS, msg.get("filter_status"), statuses),
                ],
            ),
            action: Section::Organizations.path(lang),
            reset: Section::Organizations.path(lang),
            columns: vec![
                msg.get("col_name"),
                msg.get("col_acronym"),
                msg.get("col_participation"),
                msg.get("col_presence"),
                msg.get("col_city"),
            ],
            rows,
            pager,
            caption: msg.get("organizations_title"),
        };
        Some(list_page(
            site,
            lang,
            Section::Organizations,
            &chosen,
            updated,
            view,
            || {
                let d = site.drawings(lang, msg.0);
                (d.organizations.iter())
                    .map(|c| network::chart_view(c, "graphique-organisations", &msg))
                    .collect()
            },
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
        let e = site.organizations.get(&slug)?;
        let o = &e.rec;
        let mut shown = vec![&e.updated_at];
        let org_link = |x: &crate::site::Entry<paradiplo_core::records::Organization>| {
            Link::to(
                x.rec.name.get(lang),
                Section::Organizations.record(lang, x.rec.slug.as_str()),
            )
        };
        let parent = o
            .parent
            .as_ref()
            .and_then(|p| site.organizations.get(p.as_str()))
            .map(org_link);
        let children: Vec<Link> = site
            .organizations
            .iter()
            .filter(|x| x.rec.parent.as_ref().is_some_and(|p| p.as_str() == slug))
            .map(org_link)
            .collect();
        let rel = related(site, &slug);
        shown.extend(rel.agreements.iter().map(|a| &a.updated_at));
        shown.extend(rel.events.iter().map(|a| &a.updated_at));
        shown.extend(rel.interventions.iter().map(|a| &a.updated_at));
        shown.extend(rel.positions.iter().map(|a| &a.updated_at));
        let name = o.name.get(lang).to_string();
        let mut docs = Vec::new();
        for i in &rel.interventions {
            docs.extend(doc_links(site, &i.rec.documents, lang));
        }
        let view = RecordView {
            kind_label: o.kind.label(lang).to_string(),
            heading: name.clone(),
            subtitle: o.acronym.as_ref().map(|s| s.get(lang).to_string()),
            summary: o.summary.get(lang).to_string(),
            facts: facts(site, o, parent, lang, &msg),
            blocks: blocks(children, &rel, lang, &msg),
            milestones: milestones(&o.milestones, lang),
            documents: docs,
            sources: sources(&o.sources),
            website: o
                .website
                .as_ref()
                .and_then(|w| sources(std::slice::from_ref(w)).pop()),
        };
        let (url, alt) = record_pair(Section::Organizations, lang, &slug);
        let jsonld = jsonld(o, &name, lang);
        Some(PageOut {
            template: "record.html",
            title: name,
            section: Section::Organizations,
            crumbs: list_crumbs(
                site,
                lang,
                Section::Organizations,
                msg.get("organizations_title"),
            ),
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

/// The values offered by the list's filters.
struct Options {
    kinds: Vec<(String, String)>,
    domains: Vec<(String, String)>,
    presence: Vec<(String, String)>,
    cities: Vec<(String, String)>,
}

fn options(site: &Site, lang: Lang, msg: &Msg) -> Options {
    let kinds = vocab_options(
        OrganizationKind::ALL,
        |k| k.as_str(),
        |k| k.label(lang),
        |k| site.organizations.iter().any(|o| o.rec.kind == k),
    );
    let domains = domain_options(site, lang, |d| {
        site.organizations
            .iter()
            .any(|o| o.rec.domains.iter().any(|x| x.as_str() == d))
    });
    let mut presence = vec![("present".to_string(), msg.get("presence_any"))];
    presence.extend(
        Presence::ALL
            .iter()
            .map(|p| (p.as_str().to_string(), p.label(lang).to_string())),
    );
    let mut cities: Vec<(String, String)> = site
        .organizations
        .iter()
        .filter_map(|o| o.rec.city.as_ref())
        .map(|c| (text_key(&c.fr), c.get(lang).to_string()))
        .collect();
    cities.sort_by_key(|(_, l)| sort_key(l));
    cities.dedup();
    Options {
        kinds,
        domains,
        presence,
        cities,
    }
}

/// The organizations the filters keep, by name.
fn chosen_organizations<'s>(
    site: &'s Site,
    chosen: &Chosen,
    lang: Lang,
) -> Vec<&'s Entry<Organization>> {
    let mut items: Vec<&Entry<Organization>> = site
        .organizations
        .iter()
        .filter(|o| chosen.get(KIND).is_none_or(|k| o.rec.kind.as_str() == k))
        .filter(|o| {
            chosen
                .get(DOMAIN)
                .is_none_or(|d| o.rec.domains.iter().any(|x| x.as_str() == d))
        })
        .filter(|o| {
            chosen
                .get(PRESENCE)
                .is_none_or(|p| presence_matches(&o.rec, p))
        })
        .filter(|o| {
            chosen
                .get(STATUS)
                .is_none_or(|st| (st == "historical") == o.rec.historical)
        })
        .filter(|o| {
            chosen.get(CITY).is_none_or(|c| {
                o.rec
                    .city
                    .as_ref()
                    .is_some_and(|city| text_key(&city.fr) == c)
            })
        })
        .collect();
    items.sort_by_key(|o| sort_key(o.rec.name.get(lang)));
    items
}

/// The presence in the home state, marked when only an older source lists
/// it (« Siège (historique, existence non confirmée) »).
fn presence_label(o: &Organization, lang: Lang) -> String {
    let label = o.presence.label(lang);
    if o.historical {
        let note = &crate::templates::messages_static(lang)["org_historical"];
        format!("{label} ({note})")
    } else {
        label.to_string()
    }
}

/// An organization's row in the list.
fn row(o: &Entry<Organization>, lang: Lang) -> Row {
    Row {
        cells: vec![
            Link::to(
                o.rec.name.get(lang),
                Section::Organizations.record(lang, o.rec.slug.as_str()),
            ),
            Link::text(
                o.rec
                    .acronym
                    .as_ref()
                    .map(|a| a.get(lang).to_string())
                    .unwrap_or_default(),
            ),
            Link::text(o.rec.participation.label(lang)),
            Link::text(presence_label(&o.rec, lang)),
            Link::text(
                o.rec
                    .city
                    .as_ref()
                    .map(|c| c.get(lang).to_string())
                    .unwrap_or_default(),
            ),
        ],
    }
}

/// What the organization page shows beside the organization itself.
struct Related<'s> {
    agreements: Vec<&'s Entry<Agreement>>,
    events: Vec<&'s Entry<Event>>,
    interventions: Vec<&'s Entry<Intervention>>,
    positions: Vec<&'s Entry<Position>>,
}

fn related<'s>(site: &'s Site, slug: &str) -> Related<'s> {
    let agreements: Vec<_> = site
        .agreements
        .iter()
        .filter(|a| {
            a.rec
                .parties
                .iter()
                .any(|x| matches!(&x.party, PartyRef::Organization(s) if s.as_str() == slug))
        })
        .collect();
    let mut events: Vec<_> = site
        .events
        .iter()
        .filter(|ev| {
            ev.rec.organization.as_ref().is_some_and(|s| s.as_str() == slug)
                || matches!(&ev.rec.organizer, Some(PartyRef::Organization(s)) if s.as_str() == slug)
        })
        .collect();
    events.sort_by_key(|e| std::cmp::Reverse(e.rec.start));
    let mut interventions: Vec<_> = site
        .interventions
        .iter()
        .filter(|i| i.rec.organization.as_str() == slug)
        .collect();
    interventions.sort_by_key(|e| std::cmp::Reverse(e.rec.date));
    let positions: Vec<_> = site
        .positions
        .iter()
        .filter(|p| {
            p.rec
                .organization
                .as_ref()
                .is_some_and(|s| s.as_str() == slug)
        })
        .collect();
    Related {
        agreements,
        events,
        interventions,
        positions,
    }
}

/// The organization's facts: participation, presence, city, parent, domains.
fn facts(site: &Site, o: &Organization, parent: Option<Link>, lang: Lang, msg: &Msg) -> Vec<Fact> {
    [
        fact(
            msg.get("col_participation"),
            Some(o.participation.label(lang).to_string()),
        ),
        fact(msg.get("col_presence"), Some(presence_label(o, lang))),
        fact(
            msg.get("col_city"),
            o.city.as_ref().map(|c| c.get(lang).to_string()),
        ),
        fact(msg.get("col_founded"), date(&o.founded, lang)),
        parent.and_then(|p| fact_links(msg.get("fact_parent"), vec![p])),
        fact_links(
            msg.get("fact_domains"),
            domain_links(site, &o.domains, lang),
        ),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// The organization page's blocks.
fn blocks(children: Vec<Link>, rel: &Related, lang: Lang, msg: &Msg) -> Vec<Block> {
    [
        block(msg.get("block_bodies"), children),
        block(
            msg.get("block_agreements"),
            agreement_links(rel.agreements.iter().copied(), lang),
        ),
        block(
            msg.get("block_events"),
            event_links(rel.events.iter().copied(), lang),
        ),
        block(
            msg.get("block_interventions"),
            rel.interventions
                .iter()
                .map(|i| {
                    Link::text(i.rec.subject.get(lang)).note(Some(format!(
                        "{} — {}",
                        i.rec.meeting.get(lang),
                        i.rec.date.display(lang)
                    )))
                })
                .collect(),
        ),
        block(
            msg.get("block_positions"),
            rel.positions
                .iter()
                .map(|p| {
                    Link::text(p.rec.title.get(lang))
                        .note(Some(p.rec.status.label(lang).to_string()))
                })
                .collect(),
        ),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// The page's schema.org description.
fn jsonld(o: &Organization, name: &str, lang: Lang) -> serde_json::Value {
    serde_json::json!({
        "@context": "https://schema.org",
        "@type": if o.kind == OrganizationKind::NonGovernmental { "NGO" } else { "Organization" },
        "name": name,
        "alternateName": o.acronym.as_ref().map(|s| s.get(lang)),
        "description": o.summary.get(lang),
        "foundingDate": o.founded.as_ref().map(|d| d.to_string()),
        "url": o.website.as_ref().map(|w| w.as_str()),
        "location": o.city.as_ref().map(|c| c.get(lang)),
    })
}
