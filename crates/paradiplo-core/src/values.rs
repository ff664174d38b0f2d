//! Value types that validate themselves when built ("parse, don't validate").

use crate::error::{FieldError, Problem};
use crate::lang::Lang;
use serde::{Deserialize, Deserializer, Serialize, Serializer, de};
use std::fmt;

pub use crate::dates::{PartialDate, month_name};

macro_rules! string_newtype_serde {
    ($ty:ident) => {
        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let raw = String::deserialize(d)?;
                $ty::parse(&raw).map_err(|p| de::Error::custom(p.to_serde_message(&raw)))
            }
        }
        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl AsRef<str> for $ty {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }
    };
}

/// A record identifier used in URLs: `etat-libre-de-baviere`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Slug(String);

impl Slug {
    pub const MAX_LEN: usize = 80;

    pub fn parse(raw: &str) -> Result<Slug, Problem> {
        if raw.is_empty() {
            return Err(Problem::Required);
        }
        if raw.len() > Self::MAX_LEN {
            return Err(Problem::TooLong { max: Self::MAX_LEN });
        }
        let ok_chars = raw
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        let ok_hyphens = !raw.starts_with('-') && !raw.ends_with('-') && !raw.contains("--");
        if ok_chars && ok_hyphens {
            Ok(Slug(raw.to_string()))
        } else {
            Err(Problem::InvalidSlug)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}
string_newtype_serde!(Slug);

/// An ISO 3166-1 alpha-2 country code, checked against the ISO data of the
/// `rust_iso3166` crate.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CountryCode(String);

impl CountryCode {
    pub fn parse(raw: &str) -> Result<CountryCode, Problem> {
        if raw.is_empty() {
            return Err(Problem::Required);
        }
        match rust_iso3166::from_alpha2(raw) {
            Some(c) if c.alpha2 == raw => Ok(CountryCode(raw.to_string())),
            _ => Err(Problem::UnknownCountry),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The country's name in `lang`, from CLDR (« Corée du Sud »,
    /// "South Korea"); the ISO short name only if CLDR lacked the code.
    pub fn name(&self, lang: Lang) -> &'static str {
        crate::country_names::region_name(&self.0, lang).unwrap_or_else(|| self.iso_name())
    }

    /// The English short name from the ISO data.
    pub fn iso_name(&self) -> &'static str {
        rust_iso3166::from_alpha2(&self.0)
            .map(|c| c.name)
            .unwrap_or("")
    }
}
string_newtype_serde!(CountryCode);

/// An ISO 3166-2 subdivision code such as `DE-BY`, checked against ISO data.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SubdivisionCode(String);

impl SubdivisionCode {
    pub fn parse(raw: &str) -> Result<SubdivisionCode, Problem> {
        if raw.is_empty() {
            return Err(Problem::Required);
        }
        match rust_iso3166::iso3166_2::from_code(raw) {
            Some(s) if s.code == raw => Ok(SubdivisionCode(raw.to_string())),
            _ => Err(Problem::UnknownSubdivision),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The country part of the code (`DE` for `DE-BY`).
    pub fn country(&self) -> &str {
        self.0.split('-').next().unwrap_or("")
    }
}
string_newtype_serde!(SubdivisionCode);

/// A web address (http or https only).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct WebUrl(String);

impl WebUrl {
    pub fn parse(raw: &str) -> Result<WebUrl, Problem> {
        if raw.is_empty() {
            return Err(Problem::Required);
        }
        // The URL parser silently drops tabs and line breaks; refuse them.
        crate::clean_text::check(raw, crate::clean_text::Lines::Single)?;
        match url::Url::parse(raw) {
            Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => {
                Ok(WebUrl(raw.to_string()))
            }
            _ => Err(Problem::InvalidUrl),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}
string_newtype_serde!(WebUrl);

/// A text every reader sees: French is required, English may be pending
/// (`None`), which the registry tracks as a translation to do.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Text {
    pub fr: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub en: Option<String>,
}

impl Text {
    pub fn new(fr: impl Into<String>, en: impl Into<String>) -> Text {
        Text {
            fr: fr.into(),
            en: Some(en.into()),
        }
    }

    pub fn fr_only(fr: impl Into<String>) -> Text {
        Text {
            fr: fr.into(),
            en: None,
        }
    }

    /// The text in `lang`, falling back to French while a translation is pending.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Fr => &self.fr,
            Lang::En => self
                .en
                .as_deref()
                .filter(|s| !s.is_empty())
                .unwrap_or(&self.fr),
        }
    }

    /// True when the English version is still to be written.
    pub fn translation_pending(&self) -> bool {
        self.en.as_deref().is_none_or(|s| s.trim().is_empty())
    }

    /// Checks that French is present and that both versions fit in `max` characters.
    pub fn validate(&self, field: &str, max: usize, errors: &mut Vec<FieldError>) {
        if self.fr.trim().is_empty() {
            errors.push(FieldError::new(
                format!("{field}.fr"),
                "",
                Problem::Required,
            ));
        }
        for (lang, value) in [("fr", Some(&self.fr)), ("en", self.en.as_ref())] {
            if let Some(v) = value
                && v.chars().count() > max
            {
                errors.push(FieldError::new(
                    format!("{field}.{lang}"),
                    truncate(v, 40),
                    Problem::TooLong { max },
                ));
            }
        }
    }
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n).collect();
        t.push('…');
        t
    }
}

/// A point on Earth in decimal degrees (WGS 84), for maps.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct GeoPoint {
    pub lat: f64,
    pub lon: f64,
}

impl GeoPoint {
    pub fn validate(&self, field: &str, errors: &mut Vec<FieldError>) {
        if !(-90.0..=90.0).contains(&self.lat) || self.lat.is_nan() {
            errors.push(FieldError::new(
                format!("{field}.lat"),
                self.lat.to_string(),
                Problem::OutOfRange {
                    min: "-90".into(),
                    max: "90".into(),
                },
            ));
        }
        if !(-180.0..=180.0).contains(&self.lon) || self.lon.is_nan() {
            errors.push(FieldError::new(
                format!("{field}.lon"),
                self.lon.to_string(),
                Problem::OutOfRange {
                    min: "-180".into(),
                    max: "180".into(),
                },
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn slugs() {
        assert!(Slug::parse("etat-libre-de-baviere").is_ok());
        assert_eq!(Slug::parse(""), Err(Problem::Required));
        assert_eq!(Slug::parse("Bavière"), Err(Problem::InvalidSlug));
        assert_eq!(Slug::parse("a--b"), Err(Problem::InvalidSlug));
        assert_eq!(Slug::parse("-a"), Err(Problem::InvalidSlug));
        assert_eq!(
            Slug::parse(&"a".repeat(81)),
            Err(Problem::TooLong { max: 80 })
        );
    }

    #[test]
    fn iso_codes_come_from_iso_data() {
        assert!(CountryCode::parse("DE").is_ok());
        assert_eq!(CountryCode::parse("XX"), Err(Problem::UnknownCountry));
        assert_eq!(CountryCode::parse("de"), Err(Problem::UnknownCountry));
        for code in [
            "DE-BY", "ES-CT", "BE-VLG", "GB-SCT", "AT-4", "CN-SD", "FR-ARA", "CA-QC",
        ] {
            assert!(SubdivisionCode::parse(code).is_ok(), "{code}");
        }
        assert_eq!(
            SubdivisionCode::parse("DE-XX"),
            Err(Problem::UnknownSubdivision)
        );
        assert_eq!(SubdivisionCode::parse("DE-BY").unwrap().country(), "DE");
    }

    #[test]
    fn text_falls_back_to_french_and_tracks_pending_translation() {
        let t = Text::fr_only("Bavière");
        assert_eq!(t.get(Lang::En), "Bavière");
        assert!(t.translation_pending());
        let mut errors = vec![];
        Text::fr_only("  ").validate("name", 10, &mut errors);
        assert_eq!(errors[0].field, "name.fr");
        assert_eq!(errors[0].problem, Problem::Required);
    }

    #[test]
    fn urls() {
        assert!(WebUrl::parse("https://www.quebec.ca/gouvernement").is_ok());
        assert_eq!(WebUrl::parse("ftp://x.org"), Err(Problem::InvalidUrl));
        assert_eq!(WebUrl::parse("www.quebec.ca"), Err(Problem::InvalidUrl));
    }

    proptest! {
        #[test]
        fn slug_parse_accepts_only_canonical(s in "[a-z0-9-]{1,20}") {
            let ok = Slug::parse(&s).is_ok();
            let canonical = !s.starts_with('-') && !s.ends_with('-') && !s.contains("--");
            prop_assert_eq!(ok, canonical);
        }
    }
}
