//! The public URLs, French at the root and English under /en/, and the
//! mapping between them that the language switch and hreflang use.

use paradiplo_core::{Lang, RecordKind};

/// A section of the portal with its path in both languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Home,
    Hub,
    Partners,
    Groupings,
    Organizations,
    Agreements,
    Events,
    Search,
    OpenData,
    Feedback,
}

impl Section {
    pub const LISTS: [Section; 5] = [
        Section::Partners,
        Section::Groupings,
        Section::Organizations,
        Section::Agreements,
        Section::Events,
    ];

    /// The path of the section in a language, without trailing slash
    /// (except the home page).
    pub fn path(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Section::Home, Lang::Fr) => "/",
            (Section::Home, Lang::En) => "/en/",
            (Section::Hub, Lang::Fr) => "/partenaires-et-organisations",
            (Section::Hub, Lang::En) => "/en/partners-and-organizations",
            (Section::Partners, Lang::Fr) => "/partenaires",
            (Section::Partners, Lang::En) => "/en/partners",
            (Section::Groupings, Lang::Fr) => "/regroupements",
            (Section::Groupings, Lang::En) => "/en/groupings",
            (Section::Organizations, Lang::Fr) => "/organisations",
            (Section::Organizations, Lang::En) => "/en/organizations",
            (Section::Agreements, Lang::Fr) => "/ententes",
            (Section::Agreements, Lang::En) => "/en/agreements",
            (Section::Events, Lang::Fr) => "/evenements",
            (Section::Events, Lang::En) => "/en/events",
            (Section::Search, Lang::Fr) => "/recherche",
            (Section::Search, Lang::En) => "/en/search",
            (Section::OpenData, Lang::Fr) => "/donnees-ouvertes",
            (Section::OpenData, Lang::En) => "/en/open-data",
            (Section::Feedback, Lang::Fr) => "/retroaction",
            (Section::Feedback, Lang::En) => "/en/feedback",
        }
    }

    /// The path in French and in English.
    pub fn paths(self) -> (&'static str, &'static str) {
        (self.path(Lang::Fr), self.path(Lang::En))
    }

    /// A record page of this section.
    pub fn record(self, lang: Lang, slug: &str) -> String {
        format!("{}/{slug}", self.path(lang))
    }

    /// The section whose pages show the records of a kind; None for kinds
    /// without pages of their own (shown inside other pages, or confidential).
    pub fn of_kind(kind: RecordKind) -> Option<Section> {
        match kind {
            RecordKind::Partner => Some(Section::Partners),
            RecordKind::Grouping => Some(Section::Groupings),
            RecordKind::Organization => Some(Section::Organizations),
            RecordKind::Agreement => Some(Section::Agreements),
            RecordKind::Event => Some(Section::Events),
            RecordKind::Home
            | RecordKind::Domain
            | RecordKind::Procedure
            | RecordKind::Representation
            | RecordKind::Position
            | RecordKind::Intervention
            | RecordKind::Document
            | RecordKind::Page
            | RecordKind::Person
            | RecordKind::Activity
            | RecordKind::FollowUp => None,
        }
    }

    /// The stable key stored with feedback ("partners", "hub"…).
    pub fn key(self) -> &'static str {
        match self {
            Section::Home => "home",
            Section::Hub => "hub",
            Section::Partners => "partners",
            Section::Groupings => "groupings",
            Section::Organizations => "organizations",
            Section::Agreements => "agreements",
            Section::Events => "events",
            Section::Search => "search",
            Section::OpenData => "open-data",
            Section::Feedback => "feedback",
        }
    }

    const ALL: [Section; 10] = [
        Section::Home,
        Section::Hub,
        Section::Partners,
        Section::Groupings,
        Section::Organizations,
        Section::Agreements,
        Section::Events,
        Section::Search,
        Section::OpenData,
        Section::Feedback,
    ];

    /// The language and section of a local path ("/en/partners/x" →
    /// English, Partners).
    pub fn of_path(path: &str) -> (Lang, Option<Section>) {
        let lang = if path == "/en" || path.starts_with("/en/") {
            Lang::En
        } else {
            Lang::Fr
        };
        if path == "/" || path == "/en" || path == "/en/" {
            return (lang, Some(Section::Home));
        }
        let found = Section::ALL.into_iter().find(|s| {
            let p = s.path(lang);
            *s != Section::Home
                && (path == p || path.strip_prefix(p).is_some_and(|r| r.starts_with('/')))
        });
        (lang, found)
    }
}

/// The other language.
pub fn other(lang: Lang) -> Lang {
    match lang {
        Lang::Fr => Lang::En,
        Lang::En => Lang::Fr,
    }
}

/// A document's download URL (the same in both languages).
pub fn document(slug: &str) -> String {
    format!("/documents/{slug}")
}

/// The page of a record in a language, for the kinds that have pages.
pub fn record_page(kind: RecordKind, lang: Lang, slug: &str) -> Option<String> {
    Section::of_kind(kind).map(|s| s.record(lang, slug))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_map_both_ways() {
        assert_eq!(
            Section::of_path("/en/partners/baviere"),
            (Lang::En, Some(Section::Partners))
        );
        assert_eq!(
            Section::of_path("/partenaires-et-organisations"),
            (Lang::Fr, Some(Section::Hub))
        );
        assert_eq!(
            Section::of_path("/partenaires"),
            (Lang::Fr, Some(Section::Partners))
        );
        assert_eq!(Section::of_path("/"), (Lang::Fr, Some(Section::Home)));
        assert_eq!(Section::of_path("/ailleurs"), (Lang::Fr, None));
        assert_eq!(
            Section::Partners.record(Lang::En, "baviere"),
            "/en/partners/baviere"
        );
    }

    #[test]
    fn every_kind_with_pages_maps_to_its_list_and_back() {
        let mut sections = Vec::new();
        for kind in RecordKind::ALL {
            let Some(section) = Section::of_kind(kind) else {
                continue;
            };
            assert!(!kind.is_confidential(), "{kind} is confidential");
            assert!(Section::LISTS.contains(&section), "{kind}");
            for lang in Lang::ALL {
                let page = record_page(kind, lang, "x").unwrap();
                assert_eq!(Section::of_path(&page), (lang, Some(section)), "{page}");
            }
            sections.push(section);
        }
        // Every list shows one kind.
        sections.sort_by_key(|s| s.key());
        sections.dedup();
        assert_eq!(sections.len(), Section::LISTS.len());
    }
}
