//! The public pages: the hub, the lists with their filters, the record
//! pages, document downloads, sitemap and robots. One file per page family;
//! shared view types and helpers live here.

pub mod agreements;
pub mod documents;
pub mod events;
pub mod groupings;
pub mod home;
pub mod hub;
pub mod network;
pub mod organizations;
pub mod partners;
pub mod scope;
pub mod seo;

use crate::page::{Crumb, Query, with_query};
use crate::paths::{Section, other};
use crate::site::Site;
use paradiplo_core::records::{Document, Milestone};
use paradiplo_core::values::WebUrl;
use paradiplo_core::{Lang, PartialDate};
use serde::Serialize;
use std::collections::BTreeMap;

/// A message of the catalogue, in Rust code that builds page data.
pub struct Msg<'a>(pub &'a BTreeMap<String, String>);

impl Msg<'_> {
    pub fn get(&self, key: &str) -> String {
        self.0.get(key).cloned().unwrap_or_else(|| {
            tracing::error!(key, "missing message");
            key.to_string()
        })
    }
}

/// A text with an optional link.
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub label: String,
    pub url: Option<String>,
    /// A note after the link (a role, a date).
    pub note: Option<String>,
}

impl Link {
    pub fn to(label: impl Into<String>, url: impl Into<String>) -> Link {
        Link {
            label: label.into(),
            url: Some(url.into()),
            note: None,
        }
    }
    pub fn text(label: impl Into<String>) -> Link {
        Link {
            label: label.into(),
            url: None,
            note: None,
        }
    }
    pub fn note(mut self, note: Option<String>) -> Link {
        self.note = note.filter(|n| !n.is_empty());
        self
    }
}

/// One labelled fact of a record ("Depuis : 1989").
#[derive(Debug, Clone, Serialize)]
pub struct Fact {
    pub label: String,
    pub values: Vec<Link>,
}

pub fn fact(label: String, value: Option<String>) -> Option<Fact> {
    value.filter(|v| !v.is_empty()).map(|v| Fact {
        label,
        values: vec![Link::text(v)],
    })
}

pub fn fact_links(label: String, values: Vec<Link>) -> Option<Fact> {
    (!values.is_empty()).then_some(Fact { label, values })
}

/// A titled list of links on a record page.
#[derive(Debug, Clone, Serialize)]
pub struct Block {
    pub heading: String,
    pub items: Vec<Link>,
}

pub fn block(heading: String, items: Vec<Link>) -> Option<Block> {
    (!items.is_empty()).then_some(Block { heading, items })
}

/// Agreements as links to their pages, each with its status.
pub fn agreement_links<'a>(
    agreements: impl IntoIterator<Item = &'a crate::site::Entry<paradiplo_core::records::Agreement>>,
    lang: Lang,
) -> Vec<Link> {
    (agreements.into_iter())
        .map(|a| {
            Link::to(
                a.rec.title.get(lang),
                Section::Agreements.record(lang, a.rec.slug.as_str()),
            )
            .note(Some(a.rec.status.label(lang).to_string()))
        })
        .collect()
}

/// Events as links to their pages, each with its date.
pub fn event_links<'a>(
    events: impl IntoIterator<Item = &'a crate::site::Entry<paradiplo_core::records::Event>>,
    lang: Lang,
) -> Vec<Link> {
    (events.into_iter())
        .map(|ev| {
            Link::to(
                ev.rec.title.get(lang),
                Section::Events.record(lang, ev.rec.slug.as_str()),
            )
            .note(Some(ev.rec.start.display(lang)))
        })
        .collect()
}

/// A document as a download link: "Titre (PDF, 4 Ko)".
#[derive(Debug, Clone, Serialize)]
pub struct DocLink {
    pub title: String,
    pub url: String,
    pub kind: String,
    pub size: String,
    pub lang: Option<&'static str>,
    /// The same document as an accessible web page, when it has one.
    pub html_url: Option<String>,
}

pub fn doc_links(site: &Site, slugs: &[impl AsRef<str>], lang: Lang) -> Vec<DocLink> {
    slugs
        .iter()
        .filter_map(|s| site.documents.get(s.as_ref()))
        .map(|d| {
            let mut link = doc_link(&d.rec, lang);
            link.html_url =
                html_version(site, &d.rec).map(|h| crate::paths::document(h.slug.as_str()));
            link
        })
        .collect()
}

/// A Markdown document is read as a page of the portal.
pub fn is_page_document(d: &Document) -> bool {
    d.media_type == "text/markdown"
}

/// The file name without its extension.
fn file_stem(file: &str) -> &str {
    file.rsplit_once('.').map_or(file, |(stem, _)| stem)
}

/// The accessible web version of a document (a PDF, a word-processor
/// file): the published Markdown document of the same file name
/// (`x.pdf` and `x.md`), shown as a page.
pub fn html_version<'a>(site: &'a Site, d: &Document) -> Option<&'a Document> {
    if is_page_document(d) {
        return None;
    }
    site.documents
        .iter()
        .map(|e| &e.rec)
        .find(|o| is_page_document(o) && file_stem(&o.file) == file_stem(&d.file))
}

/// The document a Markdown page is the web version of, if any.
pub fn original_of<'a>(site: &'a Site, page: &Document) -> Option<&'a Document> {
    site.documents.iter().map(|e| &e.rec).find(|o| {
        !is_page_document(o) && o.slug != page.slug && file_stem(&o.file) == file_stem(&page.file)
    })
}

pub fn doc_link(d: &Document, lang: Lang) -> DocLink {
    DocLink {
        title: d.title.get(lang).to_string(),
        url: crate::paths::document(d.slug.as_str()),
        kind: crate::format::media_label(&d.media_type).to_string(),
        size: crate::format::format_size(d.size, lang),
        // Said when the file is in another language than the page.
        lang: d.lang.filter(|l| *l != lang).map(|l| l.code()),
        html_url: None,
    }
}

/// External sources, shown with their host.
#[derive(Debug, Clone, Serialize)]
pub struct Source {
    pub url: String,
    pub host: String,
}

pub fn sources(urls: &[WebUrl]) -> Vec<Source> {
    urls.iter()
        .map(|u| Source {
            url: u.as_str().to_string(),
            host: url::Url::parse(u.as_str())
                .ok()
                .and_then(|p| {
                    p.host_str()
                        .map(|h| h.trim_start_matches("www.").to_string())
                })
                .unwrap_or_else(|| u.as_str().to_string()),
        })
        .collect()
}

#[derive(Debug, Clone, Serialize)]
pub struct MilestoneView {
    pub date: String,
    pub text: String,
}

pub fn milestones(ms: &[Milestone], lang: Lang) -> Vec<MilestoneView> {
    ms.iter()
        .map(|m| MilestoneView {
            date: m.date.display(lang),
            text: m.text.get(lang).to_string(),
        })
        .collect()
}

pub fn date(d: &Option<PartialDate>, lang: Lang) -> Option<String> {
    d.as_ref().map(|d| d.display(lang))
}

/// Sort key that orders names as a French reader expects (French collation).
pub use paradiplo_core::collation::sort_key;

/// Lower case with common Latin accents removed, for URL keys of free texts.
fn fold_accents(s: &str) -> String {
    s.chars()
        .flat_map(|c| c.to_lowercase())
        .map(|c| match c {
            'à' | 'â' | 'ä' | 'á' | 'ã' => 'a',
            'ç' => 'c',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' | 'í' => 'i',
            'ô' | 'ö' | 'ó' | 'õ' => 'o',
            'ù' | 'û' | 'ü' | 'ú' => 'u',
            'ÿ' => 'y',
            'œ' => 'o',
            c => c,
        })
        .collect()
}

/// A URL-safe key for a free text (a city name): "Montréal" → "montreal".
pub fn text_key(s: &str) -> String {
    let mut out = String::new();
    for c in fold_accents(s).chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// The breadcrumb step of the hub, and of a list under it.
pub fn hub_crumb(site: &Site, lang: Lang) -> Crumb {
    Crumb {
        label: site
            .pages
            .get("partenaires-et-organisations")
            .map(|p| p.rec.title.get(lang).to_string())
            .unwrap_or_else(|| site.home_name(lang)),
        url: Section::Hub.path(lang).to_string(),
    }
}

pub fn list_crumbs(site: &Site, lang: Lang, section: Section, label: String) -> Vec<Crumb> {
    vec![
        hub_crumb(site, lang),
        Crumb {
            label,
            url: section.path(lang).to_string(),
        },
    ]
}

/// A list filter: a select box whose state lives in the URL.
#[derive(Debug, Clone, Serialize)]
pub struct Filter {
    /// The query key in this page's language.
    pub key: &'static str,
    pub label: String,
    pub options: Vec<(String, String)>,
    pub selected: Option<String>,
}

/// A filter definition: its query key in both languages.
#[derive(Debug, Clone, Copy)]
pub struct FilterKey {
    pub fr: &'static str,
    pub en: &'static str,
}

impl FilterKey {
    pub fn get(self, lang: Lang) -> &'static str {
        match lang {
            Lang::Fr => self.fr,
            Lang::En => self.en,
        }
    }
}

pub const PAGE_KEY: FilterKey = FilterKey {
    fr: "page",
    en: "page",
};

/// The chosen values of a list's filters, read from the query; a value
/// that is not among the options is ignored rather than failing the page.
pub struct Chosen {
    pub values: Vec<(FilterKey, Option<String>)>,
    pub page: usize,
}

impl Chosen {
    pub fn read(query: &Query, lang: Lang, filters: &[(FilterKey, &[(String, String)])]) -> Chosen {
        let values = filters
            .iter()
            .map(|(k, options)| {
                let v = query
                    .get(k.get(lang))
                    .filter(|v| options.iter().any(|(o, _)| o == v))
                    .map(str::to_string);
                (*k, v)
            })
            .collect();
        let page = query
            .get(PAGE_KEY.get(lang))
            .and_then(|p| p.parse::<usize>().ok())
            .filter(|p| *p >= 1)
            .unwrap_or(1);
        Chosen { values, page }
    }

    /// The list as it first opens: no filter, first page (where the
    /// drawings of the whole registry are shown).
    pub fn is_unfiltered(&self) -> bool {
        self.page == 1 && self.values.iter().all(|(_, v)| v.is_none())
    }

    pub fn get(&self, key: FilterKey) -> Option<&str> {
        self.values
            .iter()
            .find(|(k, _)| k.fr == key.fr)
            .and_then(|(_, v)| v.as_deref())
    }

    /// This list's URL in `lang` with the filters (and page when > 1).
    pub fn url(&self, section: Section, lang: Lang, page: usize) -> String {
        let mut pairs: Vec<(&str, Option<String>)> = self
            .values
            .iter()
            .map(|(k, v)| (k.get(lang), v.clone()))
            .collect();
        pairs.push((PAGE_KEY.get(lang), (page > 1).then(|| page.to_string())));
        with_query(section.path(lang), &pairs)
    }
}

/// Where the visitor is in a paginated list.
#[derive(Debug, Clone, Serialize)]
pub struct Pager {
    pub page: usize,
    pub pages: usize,
    pub total: usize,
    pub first: usize,
    pub last: usize,
    pub prev: Option<String>,
    pub next: Option<String>,
    pub numbers: Vec<(usize, String)>,
}

pub const PER_PAGE: usize = 25;

/// Cuts `items` to the chosen page; None when the page does not exist.
pub fn paginate<T>(
    items: Vec<T>,
    chosen: &Chosen,
    section: Section,
    lang: Lang,
) -> Option<(Vec<T>, Pager)> {
    let total = items.len();
    let pages = total.div_ceil(PER_PAGE).max(1);
    let page = chosen.page;
    if page > pages {
        return None;
    }
    let start = (page - 1) * PER_PAGE;
    let shown: Vec<T> = items.into_iter().skip(start).take(PER_PAGE).collect();
    let pager = Pager {
        page,
        pages,
        total,
        first: if total == 0 { 0 } else { start + 1 },
        last: start + shown.len(),
        prev: (page > 1).then(|| chosen.url(section, lang, page - 1)),
        next: (page < pages).then(|| chosen.url(section, lang, page + 1)),
        numbers: (1..=pages)
            .map(|n| (n, chosen.url(section, lang, n)))
            .collect(),
    };
    Some((shown, pager))
}

/// One row of a list table: the first cell links to the record.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub cells: Vec<Link>,
}

/// Everything the generic list template shows.
#[derive(Debug, Serialize)]
pub struct ListView {
    pub heading: String,
    pub lead: Option<String>,
    pub intro_html: Option<String>,
    pub filters: Vec<Filter>,
    pub action: &'static str,
    pub reset: &'static str,
    pub columns: Vec<String>,
    pub rows: Vec<Row>,
    pub pager: Pager,
    pub caption: String,
}

/// A filter's key, label and options (value, label).
pub type FilterDef = (FilterKey, String, Vec<(String, String)>);

pub fn filters_view(chosen: &Chosen, lang: Lang, defs: Vec<FilterDef>) -> Vec<Filter> {
    defs.into_iter()
        .map(|(k, label, options)| Filter {
            key: k.get(lang),
            label,
            selected: chosen.get(k).map(str::to_string),
            options,
        })
        .collect()
}

/// The same list in the other language.
pub fn alternate(chosen: &Chosen, section: Section, lang: Lang) -> String {
    chosen.url(section, other(lang), chosen.page)
}

/// A list page of `section`, under the hub. The section's drawings (map,
/// charts, graph) go with the whole list only, not with a filtered one:
/// `drawings` is called then.
pub fn list_page(
    site: &Site,
    lang: Lang,
    section: Section,
    chosen: &Chosen,
    updated: Option<String>,
    view: ListView,
    drawings: impl FnOnce() -> Vec<minijinja::Value>,
) -> crate::page::PageOut {
    let drawings = if chosen.is_unfiltered() {
        drawings()
    } else {
        Vec::new()
    };
    let list = crate::templates::to_value(&view);
    let title_detail = view
        .filters
        .iter()
        .filter_map(|f| {
            let chosen = f.selected.as_ref()?;
            f.options
                .iter()
                .find(|(v, _)| v == chosen)
                .map(|(_, l)| l.clone())
        })
        .collect();
    crate::page::PageOut {
        template: "list.html",
        title: view.heading,
        section,
        crumbs: vec![hub_crumb(site, lang)],
        url: chosen.url(section, lang, chosen.page),
        alternate: alternate(chosen, section, lang),
        updated,
        jsonld: None,
        as_of: None,
        title_detail,
        title_page: (chosen.page > 1).then_some(chosen.page),
        ctx: if drawings.is_empty() {
            minijinja::context! { list => list }
        } else {
            minijinja::context! { list => list, drawings => drawings }
        },
    }
}

/// Options of a closed vocabulary, in label order.
pub fn vocab_options<T: Copy>(
    all: &[T],
    key: impl Fn(T) -> &'static str,
    label: impl Fn(T) -> &'static str,
    present: impl Fn(T) -> bool,
) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = all
        .iter()
        .copied()
        .filter(|t| present(*t))
        .map(|t| (key(t).to_string(), label(t).to_string()))
        .collect();
    v.sort_by_key(|(_, l)| sort_key(l));
    v
}

/// Options of the domains used by some records.
pub fn domain_options(
    site: &Site,
    lang: Lang,
    used: impl Fn(&str) -> bool,
) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = site
        .domains
        .iter()
        .filter(|d| used(d.rec.slug.as_str()))
        .map(|d| (d.rec.slug.to_string(), d.rec.name.get(lang).to_string()))
        .collect();
    v.sort_by_key(|(_, l)| sort_key(l));
    v
}

pub fn domain_links(site: &Site, slugs: &[paradiplo_core::Slug], lang: Lang) -> Vec<Link> {
    slugs
        .iter()
        .filter_map(|s| site.domains.get(s.as_str()))
        .map(|d| Link::text(d.rec.name.get(lang)))
        .collect()
}

/// Everything the generic record template shows.
#[derive(Debug, Serialize, Default)]
pub struct RecordView {
    pub kind_label: String,
    pub heading: String,
    pub subtitle: Option<String>,
    pub summary: String,
    pub facts: Vec<Fact>,
    pub blocks: Vec<Block>,
    pub milestones: Vec<MilestoneView>,
    pub documents: Vec<DocLink>,
    pub sources: Vec<Source>,
    pub website: Option<Source>,
}

/// The partner, organization or grouping a party reference points to.
pub fn party_link(
    site: &Site,
    party: &paradiplo_core::records::PartyRef,
    lang: Lang,
    msg: &Msg,
) -> Link {
    use paradiplo_core::records::PartyRef;
    match party {
        PartyRef::Home => Link::text(
            site.home
                .as_ref()
                .map(|h| h.rec.government.get(lang).to_string())
                .unwrap_or_default(),
        ),
        PartyRef::Partner(s) => match site.partners.get(s.as_str()) {
            Some(p) => Link::to(
                p.rec.name.get(lang),
                Section::Partners.record(lang, s.as_str()),
            ),
            None => Link::text(s.as_str()),
        },
        PartyRef::Organization(s) => match site.organizations.get(s.as_str()) {
            Some(o) => Link::to(
                o.rec.name.get(lang),
                Section::Organizations.record(lang, s.as_str()),
            ),
            None => Link::text(s.as_str()),
        },
        PartyRef::Grouping(s) => match site.groupings.get(s.as_str()) {
            Some(g) => Link::to(
                g.rec.name.get(lang),
                Section::Groupings.record(lang, s.as_str()),
            ),
            None => Link::text(s.as_str()),
        },
        PartyRef::Country(c) => Link::text(country_name(c.as_str(), msg)),
    }
}

/// A country's name from the catalogues (`country_CA`). The catalogues name
/// the countries of the bundled registry; a partner added in another country
/// shows its ISO 3166 short name (in English) until the catalogues name it,
/// and an unknown code shows as it is.
pub fn country_name(code: &str, msg: &Msg) -> String {
    if let Some(name) = msg.0.get(&format!("country_{code}")) {
        return name.clone();
    }
    match paradiplo_core::CountryCode::parse(code) {
        Ok(c) => c.iso_name().to_string(),
        Err(_) => code.to_string(),
    }
}

#[cfg(test)]
mod country_tests {
    use super::*;

    #[test]
    fn catalogue_names_first_then_the_iso_name_then_the_code() {
        let mut m = BTreeMap::new();
        m.insert("country_DE".to_string(), "Allemagne".to_string());
        let msg = Msg(&m);
        assert_eq!(country_name("DE", &msg), "Allemagne");
        assert_eq!(country_name("JP", &msg), "Japan");
        assert_eq!(country_name("ZZ", &msg), "ZZ");
    }
}
