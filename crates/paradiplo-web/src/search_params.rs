//! The parameters of a search, shared by the page and the API: read,
//! checked (a bad value is named with its field), and written back as links.

use paradiplo_core::records::{AgreementStatus, WorldRegion};
use paradiplo_core::{Lang, RecordKind, Slug};
use paradiplo_search::{FacetCount, Filters, INDEXED_KINDS, SearchIndex};
use serde::{Deserialize, Serialize};

/// Results per page.
pub const PER_PAGE: usize = 20;
/// Pages past this are refused (nobody reads them; deep pages cost the most).
pub const MAX_PAGE: usize = 500;
const MAX_QUERY: usize = 500;

/// The query string as sent; every value is text so that a bad one gets our
/// message, not the framework's.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RawParams {
    pub q: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub region: Option<String>,
    pub domain: Option<String>,
    pub status: Option<String>,
    pub year: Option<String>,
    pub page: Option<String>,
    pub lang: Option<String>,
}

/// A checked search.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Params {
    pub q: String,
    pub filters: Filters,
    pub page: usize,
}

/// A parameter with a value that cannot be used.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParamError {
    pub field: &'static str,
    pub value: String,
    pub expected: String,
}

impl ParamError {
    pub fn message(&self, template: &str) -> String {
        template
            .replace("{field}", self.field)
            .replace("{value}", &self.value)
            .replace("{expected}", &self.expected)
    }
}

fn present(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn one_of(field: &'static str, value: &str, allowed: &[&str]) -> Result<String, ParamError> {
    if allowed.contains(&value) {
        Ok(value.to_string())
    } else {
        Err(ParamError {
            field,
            value: value.to_string(),
            expected: allowed.join(", "),
        })
    }
}

impl RawParams {
    pub fn check(&self) -> Result<Params, ParamError> {
        let q = present(&self.q).unwrap_or_default().to_string();
        if q.chars().count() > MAX_QUERY {
            return Err(ParamError {
                field: "q",
                value: format!("{}…", q.chars().take(40).collect::<String>()),
                expected: format!("at most {MAX_QUERY} characters"),
            });
        }
        let mut filters = Filters::default();
        if let Some(v) = present(&self.kind) {
            let kinds: Vec<&str> = INDEXED_KINDS.iter().map(|k| k.as_str()).collect();
            filters.kind = Some(one_of("type", v, &kinds)?);
        }
        if let Some(v) = present(&self.region) {
            let all: Vec<&str> = WorldRegion::ALL.iter().map(|r| r.as_str()).collect();
            filters.region = Some(one_of("region", v, &all)?);
        }
        if let Some(v) = present(&self.status) {
            let all: Vec<&str> = AgreementStatus::ALL.iter().map(|s| s.as_str()).collect();
            filters.status = Some(one_of("status", v, &all)?);
        }
        if let Some(v) = present(&self.domain) {
            Slug::parse(v).map_err(|_| ParamError {
                field: "domain",
                value: v.to_string(),
                expected: "a domain slug (lower-case letters, digits, hyphens)".into(),
            })?;
            filters.domain = Some(v.to_string());
        }
        if let Some(v) = present(&self.year) {
            filters.year = Some(
                v.parse::<u32>()
                    .ok()
                    .filter(|y| (1..=9999).contains(y))
                    .ok_or_else(|| ParamError {
                        field: "year",
                        value: v.to_string(),
                        expected: "a year, 1 to 9999".into(),
                    })?,
            );
        }
        let page = match present(&self.page) {
            None => 1,
            Some(v) => v
                .parse::<usize>()
                .ok()
                .filter(|p| (1..=MAX_PAGE).contains(p))
                .ok_or_else(|| ParamError {
                    field: "page",
                    value: v.to_string(),
                    expected: format!("a page number, 1 to {MAX_PAGE}"),
                })?,
        };
        Ok(Params { q, filters, page })
    }

    /// The API's language: `fr` (default) or `en`.
    pub fn lang(&self) -> Result<Lang, ParamError> {
        match present(&self.lang) {
            None | Some("fr") => Ok(Lang::Fr),
            Some("en") => Ok(Lang::En),
            Some(v) => Err(ParamError {
                field: "lang",
                value: v.to_string(),
                expected: "fr, en".into(),
            }),
        }
    }
}

/// The facets, by parameter name.
pub const FACETS: [&str; 5] = ["type", "region", "domain", "status", "year"];

impl Params {
    pub fn get(&self, facet: &str) -> Option<String> {
        match facet {
            "type" => self.filters.kind.clone(),
            "region" => self.filters.region.clone(),
            "domain" => self.filters.domain.clone(),
            "status" => self.filters.status.clone(),
            "year" => self.filters.year.map(|y| y.to_string()),
            _ => None,
        }
    }

    /// A copy with `facet` set to `value` (None removes it), back on page 1.
    pub fn with(&self, facet: &str, value: Option<&str>) -> Params {
        let mut p = self.clone();
        let v = value.map(str::to_string);
        match facet {
            "type" => p.filters.kind = v,
            "region" => p.filters.region = v,
            "domain" => p.filters.domain = v,
            "status" => p.filters.status = v,
            "year" => p.filters.year = v.and_then(|y| y.parse().ok()),
            _ => {}
        }
        p.page = 1;
        p
    }

    /// The link to this search under `path`.
    pub fn href(&self, path: &str) -> String {
        let mut s = url::form_urlencoded::Serializer::new(String::new());
        if !self.q.is_empty() {
            s.append_pair("q", &self.q);
        }
        for f in FACETS {
            if let Some(v) = self.get(f) {
                s.append_pair(f, &v);
            }
        }
        if self.page > 1 {
            s.append_pair("page", &self.page.to_string());
        }
        let qs = s.finish();
        if qs.is_empty() {
            path.to_string()
        } else {
            format!("{path}?{qs}")
        }
    }
}

/// The name readers see for a facet value.
pub fn facet_label(index: &SearchIndex, facet: &str, value: &str, lang: Lang) -> String {
    let label = match facet {
        "type" => RecordKind::parse(value).map(|k| k.label(lang).to_string()),
        "region" => WorldRegion::parse(value).map(|r| r.label(lang).to_string()),
        "status" => AgreementStatus::parse(value).map(|s| s.label(lang).to_string()),
        "domain" => index.domain_label(value, lang),
        _ => None,
    };
    label.unwrap_or_else(|| value.to_string())
}

/// The facets of a result, by parameter name.
pub fn facet_lists(f: &paradiplo_search::Facets) -> [(&'static str, &Vec<FacetCount>); 5] {
    [
        ("type", &f.kind),
        ("region", &f.region),
        ("domain", &f.domain),
        ("status", &f.status),
        ("year", &f.year),
    ]
}

/// Where a hit is shown on the portal.
pub fn record_url(kind: &str, slug: &str, parent: Option<&str>, lang: Lang) -> String {
    use crate::paths::{Section, record_page};
    if let Some(page) = RecordKind::parse(kind).and_then(|k| record_page(k, lang, slug)) {
        return page;
    }
    let organizations = format!("{}/", Section::Organizations.path(lang));
    match kind {
        // An intervention is shown on its organization's page.
        "intervention" => match parent {
            Some(org) => format!("{organizations}{org}#{slug}"),
            None => organizations,
        },
        // Editorial pages are the sections of the hub page.
        _ => {
            let hub = crate::paths::Section::Hub.path(lang);
            match slug {
                "regroupements" => format!("{hub}#regroupements"),
                "organisations-internationales" => format!("{hub}#organisations"),
                crate::public::hub::HUB_PAGE => hub.to_string(),
                // The other pages are the hub page's editorial sections.
                _ => format!("{hub}#{slug}"),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(pairs: &[(&str, &str)]) -> RawParams {
        let qs = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish();
        serde_urlencoded_like(&qs)
    }

    // The page and API read parameters through axum's Query; the same
    // deserializer is serde over form-encoded pairs.
    fn serde_urlencoded_like(qs: &str) -> RawParams {
        let uri: axum::http::Uri = format!("/?{qs}").parse().unwrap();
        axum::extract::Query::<RawParams>::try_from_uri(&uri)
            .unwrap()
            .0
    }

    #[test]
    fn bad_values_name_their_field() {
        let e = raw(&[("type", "spaceship")]).check().unwrap_err();
        assert_eq!(e.field, "type");
        assert_eq!(e.value, "spaceship");
        assert!(e.expected.contains("partner"));
        assert_eq!(raw(&[("year", "19x")]).check().unwrap_err().field, "year");
        assert_eq!(raw(&[("page", "0")]).check().unwrap_err().field, "page");
        assert_eq!(
            raw(&[("region", "mars")]).check().unwrap_err().field,
            "region"
        );
        assert_eq!(raw(&[("status", "x")]).check().unwrap_err().field, "status");
        assert_eq!(
            raw(&[("domain", "Not A Slug")]).check().unwrap_err().field,
            "domain"
        );
        assert_eq!(raw(&[("lang", "de")]).lang().unwrap_err().field, "lang");
    }

    #[test]
    fn empty_values_are_absent_and_links_keep_other_filters() {
        let p = raw(&[("q", "énergie"), ("type", ""), ("region", "western_europe")])
            .check()
            .unwrap();
        assert_eq!(p.filters.kind, None);
        let with = p.with("type", Some("partner"));
        assert_eq!(
            with.href("/recherche"),
            "/recherche?q=%C3%A9nergie&type=partner&region=western_europe"
        );
        assert_eq!(
            with.with("region", None).href("/recherche"),
            "/recherche?q=%C3%A9nergie&type=partner"
        );
        let mut paged = with.clone();
        paged.page = 3;
        assert!(paged.href("/x").ends_with("&page=3"));
        assert_eq!(paged.with("year", Some("2001")).page, 1);
    }

    #[test]
    fn urls_of_hits() {
        assert_eq!(
            record_url("partner", "baviere", None, Lang::Fr),
            "/partenaires/baviere"
        );
        assert_eq!(
            record_url("agreement", "aecg", None, Lang::En),
            "/en/agreements/aecg"
        );
        assert_eq!(
            record_url("intervention", "x", Some("unesco"), Lang::Fr),
            "/organisations/unesco#x"
        );
    }
}
