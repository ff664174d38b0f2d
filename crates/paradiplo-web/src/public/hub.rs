//! The hub page "Partenaires et organisations": the seed page of the
//! registry, generated. Its figures are counted from the published records;
//! its texts and editorial sections come from the dataset's pages, so that
//! another federated state's data gives its own hub (a sensible one without
//! any page).

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
use paradiplo_core::records::{Page, Presence};
use paradiplo_core::{Lang, Text};
use serde::Serialize;
use std::collections::BTreeMap;

/// The editorial page whose texts the hub shows, and whose `sections` list
/// the pages shown below the figures.
pub const HUB_PAGE: &str = "partenaires-et-organisations";

/// The hub's figures, as numbers (tests and the API read the same function).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HubFigures {
    /// Partners with a bilateral relationship.
    pub bilateral_partners: usize,
    /// Organizations with headquarters or an office in the home state,
    /// historical listings left out.
    pub organizations_present: usize,
    /// The city where most of those are, when any has a city.
    pub main_city: Option<MainCity>,
    pub groupings: usize,
    pub agreements: usize,
}

/// The city that hosts the most organizations present (« Montréal » in the
/// bundled data), found in the data rather than named in the code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MainCity {
    /// The URL key of the organizations list's city filter ("montreal").
    pub key: String,
    pub name: Text,
    pub organizations: usize,
}

pub fn figures(site: &Site) -> HubFigures {
    let present: Vec<_> = site
        .organizations
        .iter()
        .filter(|o| o.rec.presence != Presence::None && !o.rec.historical)
        .collect();
    let mut cities: BTreeMap<String, (usize, &Text)> = BTreeMap::new();
    for city in present.iter().filter_map(|o| o.rec.city.as_ref()) {
        cities
            .entry(super::text_key(&city.fr))
            .or_insert((0, city))
            .0 += 1;
    }
    // The most organizations; on a tie, the first key in order.
    let main_city = cities
        .into_iter()
        .rev()
        .max_by_key(|(_, (count, _))| *count)
        .map(|(key, (organizations, name))| MainCity {
            key,
            name: name.clone(),
            organizations,
        });
    HubFigures {
        bilateral_partners: site.partners.iter().filter(|p| p.rec.bilateral).count(),
        organizations_present: present.len(),
        main_city,
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
    id: String,
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

/// The partners list filtered to the bilateral partners the figures count.
pub fn bilateral_url(lang: Lang) -> String {
    let key = super::partners::RELATION.get(lang);
    format!("{}?{key}=bilateral", Section::Partners.path(lang))
}

fn fill(template: &str, pairs: &[(&str, String)]) -> String {
    let mut out = template.to_string();
    for (k, v) in pairs {
        out = out.replace(&format!("{{{k}}}"), v);
    }
    out
}

/// What the hub's texts need to say, in one language.
struct Words<'a> {
    lang: Lang,
    msg: Msg<'a>,
    figures: HubFigures,
}

impl Words<'_> {
    fn count(&self, v: usize) -> String {
        format_count(v as i64, self.lang)
    }

    /// The share of the organizations present that are in the main city.
    fn city_share(&self, city: &MainCity) -> String {
        format_percent(
            city.organizations,
            self.figures.organizations_present,
            self.lang,
        )
    }

    fn figure_list(&self) -> Vec<Figure> {
        let (lang, f) = (self.lang, &self.figures);
        let org_list = Section::Organizations.path(lang);
        let mut figs = vec![
            Figure {
                value: self.count(f.bilateral_partners),
                label: self.msg.get("hub_fig_partners"),
                url: bilateral_url(lang),
            },
            Figure {
                value: self.count(f.organizations_present),
                label: self.msg.get("hub_fig_orgs_present"),
                url: format!("{org_list}?presence=present"),
            },
        ];
        if let Some(city) = &f.main_city {
            let city_param = match lang {
                Lang::Fr => "ville",
                Lang::En => "city",
            };
            figs.push(Figure {
                value: self.city_share(city),
                label: fill(
                    &self.msg.get("hub_fig_city"),
                    &[("city", city.name.get(lang).to_string())],
                ),
                url: format!("{org_list}?presence=present&{city_param}={}", city.key),
            });
        }
        figs.push(Figure {
            value: self.count(f.groupings),
            label: self.msg.get("hub_fig_groupings"),
            url: Section::Groupings.path(lang).to_string(),
        });
        figs.push(Figure {
            value: self.count(f.agreements),
            label: self.msg.get("hub_fig_agreements"),
            url: Section::Agreements.path(lang).to_string(),
        });
        figs
    }

    /// « Le gouvernement du Québec entretient des relations bilatérales… »
    fn facts_line(&self, site: &Site) -> String {
        let lang = self.lang;
        let government = site
            .home
            .as_ref()
            .map(|h| h.rec.government.get(lang).to_string())
            .unwrap_or_else(|| site.home_name(lang));
        let mut pairs = vec![
            ("government", government),
            ("partners", self.count(self.figures.bilateral_partners)),
            (
                "organizations",
                self.count(self.figures.organizations_present),
            ),
        ];
        let key = match &self.figures.main_city {
            Some(city) => {
                pairs.push(("in_city", self.count(city.organizations)));
                pairs.push(("city", city.name.get(lang).to_string()));
                "hub_facts"
            }
            None => "hub_facts_no_city",
        };
        fill(&self.msg.get(key), &pairs)
    }

    /// The organizations section's text: how many, and where.
    fn organizations_text(&self, site: &Site) -> String {
        let mut pairs = vec![
            ("home", site.home_name(self.lang)),
            ("count", self.count(self.figures.organizations_present)),
        ];
        let key = match &self.figures.main_city {
            Some(city) => {
                pairs.push(("share", self.city_share(city)));
                pairs.push(("city", city.name.get(self.lang).to_string()));
                "hub_orgs_text"
            }
            None => "hub_orgs_text_no_city",
        };
        fill(&self.msg.get(key), &pairs)
    }
}

async fn hub(state: AppState, lang: Lang, uri: Uri, headers: HeaderMap) -> Response {
    let templates = state.templates.clone();
    serve(&state, lang, &uri, &headers, move |site, _| {
        let words = Words {
            lang,
            msg: Msg(templates.messages(lang)),
            figures: figures(site),
        };
        let nw = words.msg.get("new_window");
        let page = site.pages.get(HUB_PAGE);
        let mut shown: Vec<&String> = page.iter().map(|p| &p.updated_at).collect();
        let mut sections = vec![
            groupings_section(site, &words, &mut shown),
            organizations_section(site, &words, &mut shown),
        ];
        let listed = page.map(|p| p.rec.sections.as_slice()).unwrap_or_default();
        for slug in listed {
            if let Some(p) = site.pages.get(slug.as_str()) {
                shown.push(&p.updated_at);
                sections.push(editorial_section(site, &p.rec, lang, &nw, &mut shown));
            }
        }
        // Drawn from every published record, like the figures above.
        shown.extend(site.partners.iter().map(|p| &p.updated_at));
        shown.extend(site.representations.iter().map(|r| &r.updated_at));
        let d = site.drawings(lang, templates.messages(lang));
        let mut drawings = vec![super::network::map_view(&d.map, &words.msg)];
        drawings.extend(
            d.partners
                .iter()
                .map(|c| super::network::chart_view(c, "graphique-partenaires", &words.msg)),
        );
        let scope = super::scope::scope_html(
            site,
            paradiplo_core::RecordKind::Organization,
            words.figures.organizations_present,
            lang,
            &words.msg,
        );
        if scope.is_some() {
            shown.extend(site.home.iter().map(|h| &h.updated_at));
        }
        let updated = newest(shown);
        let page = page.map(|p| &p.rec);
        Some(PageOut {
            template: "hub.html",
            title: page
                .map(|p| p.title.get(lang).to_string())
                .unwrap_or_else(|| words.msg.get("nav_hub")),
            section: Section::Hub,
            crumbs: vec![],
            url: Section::Hub.path(lang).to_string(),
            alternate: Section::Hub.path(other(lang)).to_string(),
            updated,
            jsonld: None,
            as_of: None,
            title_detail: Vec::new(),
            title_page: None,
            ctx: minijinja::context! {
                lead => page.and_then(|p| p.summary.as_ref()).map(|s| s.get(lang).to_string()),
                facts_line => words.facts_line(site),
                figures => crate::templates::to_value(words.figure_list()),
                scope_html => scope,
                body_html => page.map(|p| markdown::to_html(p.body.get(lang), 0, &nw)),
                sections => crate::templates::to_value(sections),
                documents => crate::templates::to_value(
                    page.map(|p| doc_links(site, &p.documents, lang)).unwrap_or_default()
                ),
                drawings => drawings,
            },
        })
    })
    .await
}

/// A hub section's heading and lead: the title and summary of the page
/// `slug` when there is one (its date then counts), else the message `default`.
fn page_heading<'s>(
    site: &'s Site,
    slug: &str,
    words: &Words,
    default: &str,
    shown: &mut Vec<&'s String>,
) -> (String, Option<String>) {
    let lang = words.lang;
    match site.pages.get(slug) {
        Some(p) => {
            shown.push(&p.updated_at);
            let lead = p.rec.summary.as_ref().map(|s| s.get(lang).to_string());
            (p.rec.title.get(lang).to_string(), lead)
        }
        None => (words.msg.get(default), None),
    }
}

/// Groupings of federated states and regions, with the `regroupements`
/// page's title and summary when there is one.
fn groupings_section<'s>(site: &'s Site, words: &Words, shown: &mut Vec<&'s String>) -> HubSection {
    let lang = words.lang;
    let mut groupings: Vec<_> = site.groupings.iter().collect();
    groupings.sort_by_key(|g| sort_key(g.rec.name.get(lang)));
    shown.extend(groupings.iter().map(|g| &g.updated_at));
    let (heading, lead) = page_heading(site, "regroupements", words, "groupings_title", shown);
    HubSection {
        id: "regroupements".into(),
        heading,
        lead,
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
            words.msg.get("hub_all_groupings"),
            Section::Groupings.path(lang),
        )),
    }
}

/// International organizations, with the `organisations-internationales`
/// page's title and summary when there is one.
fn organizations_section<'s>(
    site: &'s Site,
    words: &Words,
    shown: &mut Vec<&'s String>,
) -> HubSection {
    let lang = words.lang;
    let (heading, lead) = page_heading(
        site,
        "organisations-internationales",
        words,
        "organizations_title",
        shown,
    );
    shown.extend(site.organizations.iter().map(|o| &o.updated_at));
    HubSection {
        id: "organisations".into(),
        heading,
        lead,
        body_html: Some(format!("<p>{}</p>", esc(&words.organizations_text(site)))),
        links: vec![],
        documents: vec![],
        more: Some(Link::to(
            words.msg.get("hub_all_organizations"),
            Section::Organizations.path(lang),
        )),
    }
}

/// A page listed in the hub page's `sections`: its body, then the records it
/// features (organizations, then agreements, each by name), then its documents.
fn editorial_section<'s>(
    site: &'s Site,
    page: &Page,
    lang: Lang,
    new_window: &str,
    shown: &mut Vec<&'s String>,
) -> HubSection {
    let mut organizations: Vec<_> = page
        .organizations
        .iter()
        .filter_map(|s| site.organizations.get(s.as_str()))
        .collect();
    organizations.sort_by_key(|o| sort_key(o.rec.name.get(lang)));
    let mut agreements: Vec<_> = page
        .agreements
        .iter()
        .filter_map(|s| site.agreements.get(s.as_str()))
        .collect();
    agreements.sort_by_key(|a| sort_key(a.rec.title.get(lang)));
    shown.extend(organizations.iter().map(|o| &o.updated_at));
    shown.extend(agreements.iter().map(|a| &a.updated_at));
    let mut links: Vec<Link> = organizations
        .iter()
        .map(|o| {
            Link::to(
                o.rec.name.get(lang),
                Section::Organizations.record(lang, o.rec.slug.as_str()),
            )
        })
        .collect();
    links.extend(agreements.iter().map(|a| {
        Link::to(
            a.rec.title.get(lang),
            Section::Agreements.record(lang, a.rec.slug.as_str()),
        )
    }));
    for d in page
        .documents
        .iter()
        .filter_map(|d| site.documents.get(d.as_str()))
    {
        shown.push(&d.updated_at);
    }
    HubSection {
        id: page.slug.to_string(),
        heading: page.title.get(lang).to_string(),
        lead: None,
        body_html: Some(markdown::to_html(page.body.get(lang), 1, new_window)),
        links,
        documents: doc_links(site, &page.documents, lang),
        more: None,
    }
}

fn esc(s: &str) -> String {
    let mut out = String::new();
    markdown::escape(s, &mut out);
    out
}
