//! Templates embedded in the binary, and the message catalogues.

use crate::config::PortalConfig;
use crate::paths::Section;
use minijinja::{Environment, UndefinedBehavior, Value};
use paradiplo_core::Lang;
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::{Arc, RwLock};

const TEMPLATES: &[(&str, &str)] = &[
    ("layout.html", include_str!("../templates/layout.html")),
    ("home.html", include_str!("../templates/home.html")),
    ("bad_date.html", include_str!("../templates/bad_date.html")),
    ("hub.html", include_str!("../templates/hub.html")),
    ("list.html", include_str!("../templates/list.html")),
    ("record.html", include_str!("../templates/record.html")),
    ("document.html", include_str!("../templates/document.html")),
    (
        "_feedback.html",
        include_str!("../templates/_feedback.html"),
    ),
    ("_docs.html", include_str!("../templates/_docs.html")),
    ("_sources.html", include_str!("../templates/_sources.html")),
    // The network drawn (issue 8)
    (
        "_drawings.html",
        include_str!("../templates/_drawings.html"),
    ),
    (
        "feedback_error.html",
        include_str!("../templates/feedback_error.html"),
    ),
    (
        "not_found.html",
        include_str!("../templates/not_found.html"),
    ),
    ("not_yet.html", include_str!("../templates/not_yet.html")),
    // Staff workspace (issue 5)
    (
        "admin/layout.html",
        include_str!("../templates/admin/layout.html"),
    ),
    (
        "admin/login.html",
        include_str!("../templates/admin/login.html"),
    ),
    (
        "admin/dashboard.html",
        include_str!("../templates/admin/dashboard.html"),
    ),
    (
        "admin/list.html",
        include_str!("../templates/admin/list.html"),
    ),
    (
        "admin/record.html",
        include_str!("../templates/admin/record.html"),
    ),
    (
        "admin/edit.html",
        include_str!("../templates/admin/edit.html"),
    ),
    (
        "admin/preview.html",
        include_str!("../templates/admin/preview.html"),
    ),
    (
        "admin/history.html",
        include_str!("../templates/admin/history.html"),
    ),
    (
        "admin/diff.html",
        include_str!("../templates/admin/diff.html"),
    ),
    (
        "admin/dossier.html",
        include_str!("../templates/admin/dossier.html"),
    ),
    (
        "admin/follow_ups.html",
        include_str!("../templates/admin/follow_ups.html"),
    ),
    (
        "admin/users.html",
        include_str!("../templates/admin/users.html"),
    ),
    (
        "admin/audit.html",
        include_str!("../templates/admin/audit.html"),
    ),
    (
        "admin/feedback.html",
        include_str!("../templates/admin/feedback.html"),
    ),
    // Agreements through their lifecycle (issue 6)
    (
        "admin/lifecycle.html",
        include_str!("../templates/admin/lifecycle.html"),
    ),
    (
        "admin/deadlines.html",
        include_str!("../templates/admin/deadlines.html"),
    ),
    (
        "admin/calendar.html",
        include_str!("../templates/admin/calendar.html"),
    ),
    // Search (issue 4)
    ("search.html", include_str!("../templates/search.html")),
    (
        "search_box.html",
        include_str!("../templates/search_box.html"),
    ),
    // API and open data (issue 7)
    ("api.html", include_str!("../templates/api.html")),
    (
        "open_data.html",
        include_str!("../templates/open_data.html"),
    ),
];

const MESSAGES_FR: &str = include_str!("../locales/fr.toml");
const MESSAGES_EN: &str = include_str!("../locales/en.toml");

/// The messages of a language, parsed once, for pages rendered without the
/// application state (refusals in extractors).
pub fn messages_static(lang: Lang) -> &'static BTreeMap<String, String> {
    static FR: std::sync::OnceLock<BTreeMap<String, String>> = std::sync::OnceLock::new();
    static EN: std::sync::OnceLock<BTreeMap<String, String>> = std::sync::OnceLock::new();
    match lang {
        Lang::Fr => FR.get_or_init(|| toml::from_str(MESSAGES_FR).expect("fr.toml parses")),
        Lang::En => EN.get_or_init(|| toml::from_str(MESSAGES_EN).expect("en.toml parses")),
    }
}

/// Any serializable value as a template value.
pub fn to_value<T: serde::Serialize>(value: T) -> Value {
    Value::from(minijinja::value::Serde(value))
}

/// The template environment and the messages of both languages.
pub struct Templates {
    env: Environment<'static>,
    fr: BTreeMap<String, String>,
    en: BTreeMap<String, String>,
    css_version: String,
    js_version: String,
    theme_version: String,
    /// The home record of the published snapshot, for every page's contact
    /// block (the ministry, its address and how to reach it); the site
    /// cache fills it when it installs a snapshot.
    home: HomeCell,
}

/// The home record shared between the site cache and the templates.
pub type HomeCell = Arc<RwLock<Option<Arc<paradiplo_core::records::Home>>>>;

/// The home state's ministry as the contact block shows it, in one language.
#[derive(Debug, Serialize)]
struct Ministry {
    /// None when the address already starts with it.
    name: Option<String>,
    address: String,
    telephone: Option<String>,
    email: Option<String>,
    website: String,
    contact_url: Option<String>,
}

impl Ministry {
    /// None when the home record gives no contact.
    fn of(home: &paradiplo_core::records::Home, lang: Lang) -> Option<Ministry> {
        let c = home.contact.as_ref()?;
        let name = home.ministry.get(lang).to_string();
        let address = c.address.get(lang).to_string();
        Some(Ministry {
            name: (!address.starts_with(&name)).then_some(name),
            address,
            telephone: c.telephone.clone(),
            email: c.email.clone(),
            website: c.website.as_str().to_string(),
            contact_url: c.contact_url.as_ref().map(|u| u.as_str().to_string()),
        })
    }
}

impl Default for Templates {
    fn default() -> Self {
        Self::new()
    }
}

impl Templates {
    pub fn new() -> Templates {
        Templates::with_config(&PortalConfig::default())
    }

    /// Templates with the deployer's branding and contact block as globals.
    pub fn with_config(config: &PortalConfig) -> Templates {
        let mut env = Environment::new();
        // A missing variable is a bug, not an empty string.
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        // HTML escaping of & < > " ' only: minijinja's default also escapes
        // "/", which makes every URL in the page longer and harder to read.
        env.set_formatter(|out, state, value| {
            if matches!(state.auto_escape(), minijinja::AutoEscape::Html)
                && !value.is_safe()
                && !value.is_undefined()
                && !value.is_none()
            {
                let mut escaped = String::new();
                paradiplo_core::markup::escape_html_into(&value.to_string(), &mut escaped);
                out.write_str(&escaped)?;
                Ok(())
            } else {
                minijinja::escape_formatter(out, state, value)
            }
        });
        for (name, source) in TEMPLATES {
            env.add_template(name, source)
                .expect("embedded templates parse");
        }
        env.add_global("branding", to_value(&config.branding));
        env.add_global("contact", to_value(&config.contact));
        Templates {
            env,
            fr: toml::from_str(MESSAGES_FR).expect("fr.toml parses"),
            en: toml::from_str(MESSAGES_EN).expect("en.toml parses"),
            css_version: crate::security::short_hash(crate::security::CSS.as_bytes()),
            js_version: crate::security::short_hash(crate::security::JS.as_bytes()),
            theme_version: crate::security::short_hash(config.branding.theme_css().as_bytes()),
            home: HomeCell::default(),
        }
    }

    /// The cell the site cache fills with the published home record.
    pub fn home_cell(&self) -> HomeCell {
        self.home.clone()
    }

    /// The ministry's contact in `lang`, from the published home record.
    fn ministry(&self, lang: Lang) -> Option<Ministry> {
        let home = self.home.read().expect("home lock").clone()?;
        Ministry::of(&home, lang)
    }

    pub fn messages(&self, lang: Lang) -> &BTreeMap<String, String> {
        match lang {
            Lang::Fr => &self.fr,
            Lang::En => &self.en,
        }
    }

    /// Renders a page with `msg` (the messages of `lang`), `lang`, the
    /// typographic colon of the language, and defaults for every layout
    /// variable a page may leave out (see ARCHITECTURE.md) added to `context`.
    pub fn render(
        &self,
        name: &str,
        lang: Lang,
        context: Value,
    ) -> Result<String, minijinja::Error> {
        let colon = lang.colon();
        let base = minijinja::context! {
            lang => lang.code(),
            msg => to_value(self.messages(lang)),
            colon => colon,
            title => Option::<String>::None,
            breadcrumb => Vec::<()>::new(),
            canonical => Option::<String>::None,
            href_fr => Option::<String>::None,
            href_en => Option::<String>::None,
            jsonld => Option::<String>::None,
            feedback => Option::<String>::None,
            section => "other",
            search_url => Section::Search.path(lang),
            open_data_url => Section::OpenData.path(lang),
            hub_nav_url => Section::Hub.path(lang),
            nav => to_value(
                Section::LISTS
                    .iter()
                    .map(|s| (s.path(lang), s.key()))
                    .collect::<Vec<_>>()
            ),
            css_version => &self.css_version,
            js_version => &self.js_version,
            theme_version => &self.theme_version,
            ministry => self.ministry(lang).map(to_value),
        };
        self.env
            .get_template(name)?
            .render(minijinja::context! { ..context, ..base })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_exists_in_both_languages() {
        let t = Templates::new();
        let fr: Vec<_> = t.fr.keys().collect();
        let en: Vec<_> = t.en.keys().collect();
        assert_eq!(fr, en, "fr.toml and en.toml must have the same keys");
        for (k, v) in t.fr.iter().chain(t.en.iter()) {
            assert!(!v.trim().is_empty(), "message {k} is empty");
        }
    }

    fn is_key_end(c: char) -> bool {
        !(c.is_ascii_alphanumeric() || c == '_')
    }

    #[test]
    fn messages_used_by_code_and_templates_exist() {
        // Every `msg.KEY` in a template and every `msg.get("KEY")` in the
        // page code must be in the catalogues.
        let t = Templates::new();
        let mut sources: Vec<&str> = TEMPLATES.iter().map(|(_, s)| *s).collect();
        let code = [
            include_str!("public/mod.rs"),
            include_str!("public/hub.rs"),
            include_str!("public/partners.rs"),
            include_str!("public/groupings.rs"),
            include_str!("public/organizations.rs"),
            include_str!("public/agreements.rs"),
            include_str!("public/events.rs"),
            include_str!("public/network.rs"),
            include_str!("feedback.rs"),
            include_str!("page.rs"),
        ];
        sources.extend(code);
        let mut missing = vec![];
        for src in sources {
            for (marker, end) in [
                ("msg.", is_key_end as fn(char) -> bool),
                ("msg.get(\"", |c: char| c == '"'),
            ] {
                for (i, _) in src.match_indices(marker) {
                    let rest = &src[i + marker.len()..];
                    let key: String = rest.chars().take_while(|c| !end(*c)).collect();
                    if key.is_empty()
                        || key == "get"
                        || key.starts_with(|c: char| c.is_ascii_digit())
                    {
                        continue;
                    }
                    if !t.fr.contains_key(&key) {
                        missing.push(key);
                    }
                }
            }
        }
        missing.sort();
        missing.dedup();
        assert!(
            missing.is_empty(),
            "messages missing from the catalogues: {missing:?}"
        );
    }

    /// Québec typography in every French message: a non-breaking space
    /// before the colon and inside guillemets, none before ? ! ;
    #[test]
    fn french_messages_follow_quebec_typography() {
        const NB: [char; 2] = ['\u{a0}', '\u{202f}'];
        // HTTP header names quoted in API messages keep their own syntax.
        const CODE: [&str; 3] = ["Authorization", "If-Match", "Content-Type"];
        let t = Templates::new();
        let mut bad = Vec::new();
        for (key, text) in t.messages(Lang::Fr) {
            let chars: Vec<char> = text.chars().collect();
            for (i, &c) in chars.iter().enumerate() {
                let prev = i.checked_sub(1).map(|j| chars[j]);
                let next = chars.get(i + 1).copied();
                let before: String = chars[..i].iter().collect();
                let is_code = CODE.iter().any(|h| before.ends_with(h));
                let is_url = next == Some('/');
                match c {
                    ':' if !is_code
                        && !is_url
                        && (prev == Some(' ')
                            || prev.is_some_and(char::is_alphanumeric)
                                && next.is_none_or(|n| n == ' ')) =>
                    {
                        bad.push(format!("{key}: colon without a non-breaking space: {text}"));
                    }
                    '?' | '!' | ';' if prev.is_some_and(|p| p == ' ' || NB.contains(&p)) => {
                        bad.push(format!("{key}: space before {c}: {text}"));
                    }
                    '«' if !next.is_some_and(|n| NB.contains(&n)) => {
                        bad.push(format!("{key}: « without a non-breaking space: {text}"));
                    }
                    '»' if !prev.is_some_and(|p| NB.contains(&p)) => {
                        bad.push(format!("{key}: » without a non-breaking space: {text}"));
                    }
                    _ => {}
                }
            }
        }
        assert!(bad.is_empty(), "{}", bad.join("\n"));
    }
}
