//! Templates embedded in the binary, and the message catalogues.

use minijinja::{Environment, UndefinedBehavior, Value};
use paradiplo_core::Lang;
use std::collections::BTreeMap;

const TEMPLATES: &[(&str, &str)] = &[
    ("layout.html", include_str!("../templates/layout.html")),
    ("home.html", include_str!("../templates/home.html")),
    (
        "not_found.html",
        include_str!("../templates/not_found.html"),
    ),
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
        "admin/users.html",
        include_str!("../templates/admin/users.html"),
    ),
    (
        "admin/audit.html",
        include_str!("../templates/admin/audit.html"),
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
}

impl Default for Templates {
    fn default() -> Self {
        Self::new()
    }
}

impl Templates {
    pub fn new() -> Templates {
        let mut env = Environment::new();
        // A missing variable is a bug, not an empty string.
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        for (name, source) in TEMPLATES {
            env.add_template(name, source)
                .expect("embedded templates parse");
        }
        Templates {
            env,
            fr: toml::from_str(MESSAGES_FR).expect("fr.toml parses"),
            en: toml::from_str(MESSAGES_EN).expect("en.toml parses"),
        }
    }

    pub fn messages(&self, lang: Lang) -> &BTreeMap<String, String> {
        match lang {
            Lang::Fr => &self.fr,
            Lang::En => &self.en,
        }
    }

    /// Renders a page with `msg` (the messages of `lang`), `lang` and the
    /// typographic colon of the language added to `context`.
    pub fn render(
        &self,
        name: &str,
        lang: Lang,
        context: Value,
    ) -> Result<String, minijinja::Error> {
        let colon = match lang {
            Lang::Fr => "\u{a0}: ",
            Lang::En => ": ",
        };
        let base = minijinja::context! {
            lang => lang.code(),
            msg => to_value(self.messages(lang)),
            colon => colon,
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
}
