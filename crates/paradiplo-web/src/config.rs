//! What a deployer sets without recompiling: branding (name, logo, colours,
//! footer), the contact block and the public address, read from an optional
//! TOML file (`paradiplo serve --config PATH`). The defaults are paradiplo's
//! own neutral look: no government's official symbols are bundled.

use paradiplo_core::Lang;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// A text in both languages, as written in the configuration file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bilingual {
    pub fr: String,
    pub en: String,
}

impl Bilingual {
    pub fn new(fr: &str, en: &str) -> Bilingual {
        Bilingual {
            fr: fr.into(),
            en: en.into(),
        }
    }
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Fr => &self.fr,
            Lang::En => &self.en,
        }
    }
}

/// The portal's colours, as `#rrggbb`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Colours {
    /// Header band and headings.
    pub accent: String,
    /// Links.
    pub link: String,
    /// Text.
    pub ink: String,
}

impl Default for Colours {
    fn default() -> Self {
        Colours {
            accent: "#1f3a5f".into(),
            link: "#1a5aa6".into(),
            ink: "#1b1b1b".into(),
        }
    }
}

/// The logo, read once at start and served by the portal itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logo {
    pub bytes: Vec<u8>,
    pub media_type: &'static str,
    /// The URL the portal serves it at.
    pub url: String,
}

/// What a deployer sets to make the portal theirs.
#[derive(Debug, Clone, Serialize)]
pub struct Branding {
    /// The portal's name in French and English.
    pub name_fr: String,
    pub name_en: String,
    pub colours: Colours,
    /// Text of the footer, in both languages (empty: none).
    pub footer: Bilingual,
    /// Alternative text of the logo.
    pub logo_alt: Bilingual,
    #[serde(skip)]
    pub logo: Option<Logo>,
    /// The logo's URL, when there is one.
    pub logo_url: Option<String>,
}

impl Default for Branding {
    fn default() -> Self {
        Branding {
            name_fr: "Partenaires et organisations".into(),
            name_en: "Partners and Organizations".into(),
            colours: Colours::default(),
            footer: Bilingual::new(
                "Portail publié avec paradiplo, logiciel libre de registre des relations internationales.",
                "Portal published with paradiplo, free software for a registry of international relations.",
            ),
            logo_alt: Bilingual::new("", ""),
            logo: None,
            logo_url: None,
        }
    }
}

impl Branding {
    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::Fr => &self.name_fr,
            Lang::En => &self.name_en,
        }
    }

    /// The stylesheet that carries the configured colours (served as a file:
    /// the Content-Security-Policy allows no inline style).
    pub fn theme_css(&self) -> String {
        format!(
            ":root{{--accent:{};--link:{};--ink:{}}}\n",
            self.colours.accent, self.colours.link, self.colours.ink
        )
    }
}

/// The contact block shown on every page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Contact {
    /// Heading ("Des questions?"); the portal's default when absent.
    pub heading: Option<Bilingual>,
    /// Who to contact and how, as text.
    pub text: Option<Bilingual>,
    /// A contact page (an absolute https URL or a local path).
    pub url: Option<String>,
    pub url_label: Option<Bilingual>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

/// The whole portal configuration.
#[derive(Debug, Clone)]
pub struct PortalConfig {
    pub branding: Branding,
    pub contact: Contact,
    /// The public address of the portal ("https://registre.example.org"),
    /// used for canonical URLs and the sitemap; without it the portal uses
    /// paths in pages and the request's host in the sitemap.
    pub base_url: Option<String>,
    /// How long the portal serves what it read before asking the store
    /// whether anything changed: a write shows on every instance within
    /// this time. Zero asks on every request.
    pub freshness: std::time::Duration,
}

/// The default of `[site] freshness_ms`.
pub const DEFAULT_FRESHNESS_MS: u64 = 1000;

impl Default for PortalConfig {
    fn default() -> Self {
        PortalConfig {
            branding: Branding::default(),
            contact: Contact::default(),
            base_url: None,
            freshness: std::time::Duration::from_millis(DEFAULT_FRESHNESS_MS),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    #[serde(default)]
    site: FileSite,
    #[serde(default)]
    branding: FileBranding,
    #[serde(default)]
    contact: Contact,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSite {
    base_url: Option<String>,
    freshness_ms: Option<u64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileBranding {
    name: Option<Bilingual>,
    /// A file path (relative to the configuration file) of a PNG, SVG, JPEG or WebP image.
    logo: Option<PathBuf>,
    logo_alt: Option<Bilingual>,
    #[serde(alias = "colors")]
    colours: Option<Colours>,
    footer: Option<Bilingual>,
}

/// A configuration error, naming the field and the value.
#[derive(Debug, thiserror::Error)]
#[error("{file}: {message}")]
pub struct ConfigError {
    pub file: String,
    pub message: String,
}

fn is_hex_colour(s: &str) -> bool {
    let b = s.as_bytes();
    (b.len() == 7 || b.len() == 4) && b[0] == b'#' && b[1..].iter().all(|c| c.is_ascii_hexdigit())
}

fn is_safe_url(s: &str) -> bool {
    (s.starts_with("https://")
        || s.starts_with("http://")
        || (s.starts_with('/') && !s.starts_with("//")))
        && !s
            .chars()
            .any(|c| c.is_whitespace() || c == '"' || c == '<' || c == '>')
}

impl PortalConfig {
    /// Reads and checks a configuration file.
    pub fn load(path: &Path) -> Result<PortalConfig, ConfigError> {
        let err = |message: String| ConfigError {
            file: path.display().to_string(),
            message,
        };
        let text = std::fs::read_to_string(path).map_err(|e| err(e.to_string()))?;
        let dir = path.parent().unwrap_or(Path::new("."));
        PortalConfig::parse(&text, dir).map_err(err)
    }

    /// Parses configuration text; `dir` is where relative file paths start.
    pub fn parse(text: &str, dir: &Path) -> Result<PortalConfig, String> {
        let file: FileConfig = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut branding = Branding::default();
        if let Some(name) = file.branding.name {
            if name.fr.trim().is_empty() || name.en.trim().is_empty() {
                return Err("branding.name: both fr and en are required".into());
            }
            branding.name_fr = name.fr;
            branding.name_en = name.en;
        }
        if let Some(c) = file.branding.colours {
            for (field, value) in [("accent", &c.accent), ("link", &c.link), ("ink", &c.ink)] {
                if !is_hex_colour(value) {
                    return Err(format!(
                        "branding.colours.{field}: `{value}` is not a colour like #1f3a5f"
                    ));
                }
            }
            branding.colours = c;
        }
        if let Some(f) = file.branding.footer {
            branding.footer = f;
        }
        if let Some(alt) = file.branding.logo_alt {
            branding.logo_alt = alt;
        }
        if let Some(logo) = file.branding.logo {
            let full = if logo.is_absolute() {
                logo.clone()
            } else {
                dir.join(&logo)
            };
            let ext = full
                .extension()
                .and_then(|e| e.to_str())
                .map(|e| e.to_ascii_lowercase())
                .unwrap_or_default();
            let media_type = match ext.as_str() {
                "svg" => "image/svg+xml",
                "png" => "image/png",
                "jpg" | "jpeg" => "image/jpeg",
                "webp" => "image/webp",
                _ => {
                    return Err(format!(
                        "branding.logo: `{}` is not a .svg, .png, .jpg or .webp file",
                        logo.display()
                    ));
                }
            };
            let bytes = std::fs::read(&full)
                .map_err(|e| format!("branding.logo: `{}`: {e}", full.display()))?;
            if branding.logo_alt.fr.trim().is_empty() || branding.logo_alt.en.trim().is_empty() {
                return Err("branding.logo_alt: a logo needs its text in fr and en".into());
            }
            let url = format!("/branding/logo.{ext}");
            branding.logo_url = Some(url.clone());
            branding.logo = Some(Logo {
                bytes,
                media_type,
                url,
            });
        }
        let contact = file.contact;
        if let Some(url) = &contact.url
            && !is_safe_url(url)
        {
            return Err(format!(
                "contact.url: `{url}` is not an http(s) URL or a local path"
            ));
        }
        if let Some(email) = &contact.email
            && (!email.contains('@') || email.contains(char::is_whitespace))
        {
            return Err(format!("contact.email: `{email}` is not an e-mail address"));
        }
        let base_url = match file.site.base_url {
            Some(u) => {
                let trimmed = u.trim_end_matches('/').to_string();
                if !(trimmed.starts_with("https://") || trimmed.starts_with("http://"))
                    || !is_safe_url(&trimmed)
                {
                    return Err(format!("site.base_url: `{u}` is not an http(s) URL"));
                }
                Some(trimmed)
            }
            None => None,
        };
        let freshness_ms = file.site.freshness_ms.unwrap_or(DEFAULT_FRESHNESS_MS);
        if freshness_ms > 600_000 {
            return Err(format!(
                "site.freshness_ms: `{freshness_ms}` is more than 600000 (ten minutes)"
            ));
        }
        Ok(PortalConfig {
            branding,
            contact,
            base_url,
            freshness: std::time::Duration::from_millis(freshness_ms),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_neutral() {
        let c = PortalConfig::default();
        assert!(!c.branding.name_fr.to_lowercase().contains("gouvernement"));
        assert!(c.branding.logo.is_none());
        assert!(c.branding.theme_css().contains("--accent:#1f3a5f"));
    }

    #[test]
    fn reads_branding_contact_and_logo() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("logo.svg"),
            "<svg xmlns='http://www.w3.org/2000/svg'/>",
        )
        .unwrap();
        let c = PortalConfig::parse(
            r##"
[site]
base_url = "https://registre.example.org/"
freshness_ms = 0
[branding]
name = { fr = "Registre de Flandre", en = "Flanders Registry" }
logo = "logo.svg"
logo_alt = { fr = "Flandre", en = "Flanders" }
colors = { accent = "#003366", link = "#004499", ink = "#111111" }
footer = { fr = "Pied", en = "Foot" }
[contact]
text = { fr = "Écrivez-nous.", en = "Write to us." }
email = "info@example.org"
url = "https://example.org/contact"
"##,
            dir.path(),
        )
        .unwrap();
        assert_eq!(c.branding.name(Lang::En), "Flanders Registry");
        assert_eq!(c.branding.logo_url.as_deref(), Some("/branding/logo.svg"));
        assert!(c.branding.theme_css().contains("#003366"));
        assert_eq!(c.base_url.as_deref(), Some("https://registre.example.org"));
        assert_eq!(c.contact.email.as_deref(), Some("info@example.org"));
        assert!(c.freshness.is_zero());
        assert_eq!(PortalConfig::default().freshness.as_millis(), 1000);
    }

    #[test]
    fn bad_values_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let e = PortalConfig::parse(
            "[branding]\ncolours = { accent = \"red;}body{x\" }\n",
            dir.path(),
        )
        .unwrap_err();
        assert!(
            e.contains("branding.colours.accent") && e.contains("red;}body{x"),
            "{e}"
        );
        let e = PortalConfig::parse("[contact]\nurl = \"javascript:alert(1)\"\n", dir.path())
            .unwrap_err();
        assert!(e.contains("contact.url"), "{e}");
        let e = PortalConfig::parse(
            "[branding]\nlogo = \"missing.png\"\nlogo_alt = { fr = \"a\", en = \"b\" }\n",
            dir.path(),
        )
        .unwrap_err();
        assert!(
            e.contains("branding.logo") && e.contains("missing.png"),
            "{e}"
        );
        let e = PortalConfig::parse("[branding]\nslogan = \"x\"\n", dir.path()).unwrap_err();
        assert!(e.contains("slogan"), "{e}");
    }
}
