//! The hub page "Partenaires et organisations": the seed page of the
//! registry, generated. Its figures are counted from the published records.

use super::{Link, Msg, doc_links, sort_key};
use crate::AppState;
use crate::format::{format_count, format_percent};
use crate::markdown;
use crate::page::{PageOut, newest, serve};
use crate::paths::{Section, other};
use crate::site::Site;
use axum::extract::State;
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use paradiplo_core::Lang;
use paradiplo_core::records::{AgreementKind, OrganizationKind, Presence};
use serde::Serialize;

/// The hub's figures, as numbers (tests and the API read the same function).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HubFigures {
    /// Partners with a bilateral relationship.
    pub bilateral_partners: usize,
    /// Organizations with headquarters or an office in the home state,
    /// historical listings left out.
    pub organizations_present: usize,
    /// Of those, how many in Montréal.
    pub organizations_in_montreal: usize,
    pub groupings: usize,
    pub agreements: usize,
}

pub fn figures(site: &Site) -> HubFigures {
    let present: Vec<_> = site
        .organizations
        .iter()
        .filter(|o| o.rec.presence != Presence::None && !o.rec.historical)
        .collect();
    HubFigures {
        bilateral_partners: site.partners.iter().filter(|p| p.rec.bilateral).count(),
        organizations_present: present.len(),
        organizations_in_montreal: present
            .iter()
            .filter(|o| {
                o.rec
                    .city
                    .as_ref()
                    .is_some_and(|c| super::text_key(&c.fr) == "montreal")
            })
            .count(),
        groupings: site.groupings.len(),
        agreements: site.agreements.len(),
    }
}

#[derive(Serialize)]
struct Figure {
    value: String,
    label: String,
    url: String,
}

#[derive(Serialize)]
struct HubSection {
    id: &'static str,
    heading: String,
    lead: Option<String>,
    body_html: Option<String>,
    links: Vec<Link>,
    documents: Vec<super::DocLink>,
    more: Option<Link>,
}

pub async fn hub_fr(State(state): State<AppState>, uri: Uri, headers: HeaderMap) -> Response {
    hub(state, Lang::Fr, uri, headers).await
}

pub async fn hub_en(State(state): State<AppState>, uri: Uri, headers: HeaderMap) -> Response {
    hub(state, Lang::En, uri, headers).await
}

fn fill(template: &str, pairs: &[(&str, String)]) -> String {
    let mut out = template.to_string();
    for (k, v) in pairs {
        out = out.replace(&format!("{{{k}}}"), v);
    }
    out
}

async fn hub(state: AppState, lang: Lang, uri: Uri, headers: HeaderMap) -> Response {
    let templates = state.templates.clone();
    serve(&state, lang, &uri, &headers, move |site, _| {
        let msg = Msg(templates.messages(lang));
        let nw = msg.get("new_window");
        let page = site.pages.get("partenaires-et-organisations")?;
        let f = figures(site);
        let n = |v: usize| format_count(v as i64, lang);
        let org_list = Section::Organizations.path(lang);
        let presence_key = match lang {
            Lang::Fr => "presence",
            Lang::En => "presence",
        };
        let figs = vec![
            Figure {
                value: n(f.bilateral_partners),
                label: msg.get("hub_fig_partners"),
                url: Section::Partners.path(lang).to_string(),
            },
            Figure {
                value: n(f.organizations_present),
                label: msg.get("hub_fig_orgs_present"),
                url: format!("{org_list}?{presence_key}=present"),
            },
            Figure {
                value: format_percent(f.organizations_in_montreal, f.organizations_present, lang),
                label: msg.get("hub_fig_montreal"),
                url: format!(
                    "{org_list}?{presence_key}=present&{}=montreal",
                    match lang {
                        Lang::Fr => "ville",
                        Lang::En => "city",
                    }
                ),
            },
            Figure {
                value: n(f.groupings),
                label: msg.get("hub_fig_groupings"),
                url: Section::Groupings.path(lang).to_string(),
            },
            Figure {
                value: n(f.agreements),
                label: msg.get("hub_fig_agreements"),
                url: Section::Agreements.path(lang).to_string(),
            },
        ];
        let home = site.home_name(lang);
        let facts_line = fill(
            &msg.get("hub_facts"),
            &[
                (
                    "government",
                    site.home
                        .as_ref()
                        .map(|h| h.rec.government.get(lang).to_string())
                        .unwrap_or_else(|| home.clone()),
                ),
                ("partners", n(f.bilateral_partners)),
                ("organizations", n(f.organizations_present)),
                ("montreal", n(f.organizations_in_montreal)),
            ],
        );
        let mut shown = vec![&page.updated_at];

        let mut sections = Vec::new();
        // Groupings of federated states and regions.
        let mut groupings: Vec<_> = site.groupings.iter().collect();
        groupings.sort_by_key(|g| sort_key(g.rec.name.get(lang)));
        shown.extend(groupings.iter().map(|g| &g.updated_at));
        let gp = site.pages.get("regroupements");
        if let Some(gp) = gp {
            shown.push(&gp.updated_at);
        }
        sections.push(HubSection {
            id: "regroupements",
            heading: gp
                .map(|p| p.rec.title.get(lang).to_string())
                .unwrap_or_else(|| msg.get("groupings_title")),
            lead: gp.and_then(|p| p.rec.summary.as_ref().map(|s| s.get(lang).to_string())),
            body_html: None,
            links: groupings
                .iter()
                .map(|g| {
                    Link::to(
                        g.rec.name.get(lang),
                        Section::Groupings.record(lang, g.rec.slug.as_str()),
                    )
                    .note(g.rec.acronym.as_ref().map(|a| a.get(lang).to_string()))
                })
                .collect(),
            documents: vec![],
            more: Some(Link::to(
                msg.get("hub_all_groupings"),
                Section::Groupings.path(lang),
            )),
        });
        // International organizations.
        let op = site.pages.get("organisations-internationales");
        if let Some(op) = op {
            shown.push(&op.updated_at);
        }
        shown.extend(site.organizations.iter().map(|o| &o.updated_at));
        sections.push(HubSection {
            id: "organisations",
            heading: op
                .map(|p| p.rec.title.get(lang).to_string())
                .unwrap_or_else(|| msg.get("organizations_title")),
            lead: op.and_then(|p| p.rec.summary.as_ref().map(|s| s.get(lang).to_string())),
            body_html: Some(format!(
                "<p>{}</p>",
                esc(&fill(
                    &msg.get("hub_orgs_text"),
                    &[
                        ("home", home.clone()),
                        ("count", n(f.organizations_present)),
                        (
                            "share",
                            format_percent(
                                f.organizations_in_montreal,
                                f.organizations_present,
                                lang
                            )
                        ),
                    ],
                ))
            )),
            links: vec![],
            documents: vec![],
            more: Some(Link::to(
                msg.get("hub_all_organizations"),
                Section::Organizations.path(lang),
            )),
        });
        // UNESCO and the European Union: editorial bodies and their records.
        for (slug, id) in [("unesco", "unesco"), ("union-europeenne", "union-europeenne")] {
            let Some(p) = site.pages.get(slug) else {
                continue;
            };
            shown.push(&p.updated_at);
            let mut links = Vec::new();
            if slug == "union-europeenne" {
                let mut eu: Vec<_> = site
                    .organizations
                    .iter()
                    .filter(|o| o.rec.kind == OrganizationKind::EuInstitution)
                    .collect();
                eu.sort_by_key(|o| sort_key(o.rec.name.get(lang)));
                shown.extend(eu.iter().map(|o| &o.updated_at));
                links.extend(eu.iter().map(|o| {
                    Link::to(
                        o.rec.name.get(lang),
                        Section::Organizations.record(lang, o.rec.slug.as_str()),
                    )
                }));
                for a in site.agreements.iter().filter(|a| {
                    a.rec.kind == AgreementKind::CanadaTreaty
                        && a.rec
                            .short_title
                            .as_ref()
                            .is_some_and(|s| s.fr.contains("AECG"))
                }) {
                    shown.push(&a.updated_at);
                    links.push(Link::to(
                        a.rec.title.get(lang),
                        Section::Agreements.record(lang, a.rec.slug.as_str()),
                    ));
                }
            } else {
                for o in site.organizations.iter().filter(|o| o.rec.slug.as_str() == "unesco") {
                    shown.push(&o.updated_at);
                    links.push(Link::to(
                        o.rec.name.get(lang),
                        Section::Organizations.record(lang, o.rec.slug.as_str()),
                    ));
                }
                for a in site.agreements.iter().filter(|a| {
                    a.rec.parties.iter().any(|p| {
                        matches!(&p.party, paradiplo_core::records::PartyRef::Organization(s) if s.as_str() == "unesco")
                    }) || a.rec.title.fr.contains("UNESCO")
                }) {
                    shown.push(&a.updated_at);
                    links.push(Link::to(
                        a.rec.title.get(lang),
                        Section::Agreements.record(lang, a.rec.slug.as_str()),
                    ));
                }
            }
            for d in p.rec.documents.iter().filter_map(|d| site.documents.get(d.as_str())) {
                shown.push(&d.updated_at);
            }
            sections.push(HubSection {
                id,
                heading: p.rec.title.get(lang).to_string(),
                lead: None,
                body_html: Some(markdown::to_html(p.rec.body.get(lang), 1, &nw)),
                links,
                documents: doc_links(site, &p.rec.documents, lang),
                more: None,
            });
        }
        // Drawn from every published record, like the figures above.
        shown.extend(site.partners.iter().map(|p| &p.updated_at));
        shown.extend(site.representations.iter().map(|r| &r.updated_at));
        let d = site.drawings(lang, templates.messages(lang));
        let mut drawings = vec![super::network::map_view(&d.map, &msg)];
        drawings.extend(
            d.partners
                .iter()
                .map(|c| super::network::chart_view(c, "graphique-partenaires", &msg)),
        );
        let updated = newest(shown);
        Some(PageOut {
            template: "hub.html",
            title: page.rec.title.get(lang).to_string(),
            section: Section::Hub,
            crumbs: vec![],
            url: Section::Hub.path(lang).to_string(),
            alternate: Section::Hub.path(other(lang)).to_string(),
            updated,
            jsonld: None,
            as_of: None,
            ctx: minijinja::context! {
                lead => page.rec.summary.as_ref().map(|s| s.get(lang).to_string()),
                facts_line => facts_line,
                figures => crate::templates::to_value(figs),
                body_html => markdown::to_html(page.rec.body.get(lang), 0, &nw),
                sections => crate::templates::to_value(sections),
                documents => crate::templates::to_value(doc_links(site, &page.rec.documents, lang)),
                drawings => drawings,
            },
        })
    })
    .await
}

fn esc(s: &str) -> String {
    let mut out = String::new();
    markdown::escape(s, &mut out);
    out
}
