use serde::{Deserialize, Serialize};

/// A language of the portal. French comes first everywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Fr,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Fr, Lang::En];

    /// What separates a label from its value: a non-breaking space before
    /// the colon in French (Québec typography), none in English.
    pub fn colon(self) -> &'static str {
        match self {
            Lang::Fr => "\u{a0}: ",
            Lang::En => ": ",
        }
    }

    /// A quoted value: «\u{a0}value\u{a0}» in French, “value” in English.
    pub fn quote(self, value: &str) -> String {
        match self {
            Lang::Fr => format!("«\u{a0}{value}\u{a0}»"),
            Lang::En => format!("“{value}”"),
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }

    /// Picks French or English from a locale string such as `en_CA.UTF-8`;
    /// anything that is not English is French, the portal's first language.
    pub fn from_locale(locale: &str) -> Lang {
        if locale.to_ascii_lowercase().starts_with("en") {
            Lang::En
        } else {
            Lang::Fr
        }
    }
}
