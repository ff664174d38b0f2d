//! Effective configuration: flags, then environment variables (both through
//! clap), then defaults.

use std::path::PathBuf;

/// Where paradiplo keeps its data when nothing else is said.
pub const DEFAULT_DATA_DIR: &str = "paradiplo-data";
pub const DEFAULT_ADDR: &str = "127.0.0.1:8080";

/// Settings shared by every command that touches the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreConfig {
    pub data_dir: PathBuf,
    pub database_url: String,
}

impl StoreConfig {
    /// Builds the settings: an explicit database URL wins; otherwise a SQLite
    /// database in the data folder.
    pub fn new(data_dir: Option<PathBuf>, database_url: Option<String>) -> StoreConfig {
        let data_dir = data_dir.unwrap_or_else(|| PathBuf::from(DEFAULT_DATA_DIR));
        let database_url = database_url
            .filter(|u| !u.trim().is_empty())
            .unwrap_or_else(|| {
                format!(
                    "sqlite://{}?mode=rwc",
                    data_dir.join("paradiplo.db").display()
                )
            });
        StoreConfig {
            data_dir,
            database_url,
        }
    }

    /// True when the database is a SQLite file inside the data folder, which
    /// must then exist before connecting.
    pub fn needs_data_dir(&self) -> bool {
        self.database_url.starts_with("sqlite:")
    }
}

/// The configuration of `serve`.
#[derive(Debug, Clone)]
pub struct Config {
    pub addr: String,
    pub store: StoreConfig,
    pub seed: bool,
    /// The portal configuration file (branding, contact, public address).
    pub portal: Option<PathBuf>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_to_sqlite_in_data_dir() {
        let c = StoreConfig::new(None, None);
        assert_eq!(
            c.database_url,
            "sqlite://paradiplo-data/paradiplo.db?mode=rwc"
        );
        let c = StoreConfig::new(Some("/srv/p".into()), Some(String::new()));
        assert_eq!(c.database_url, "sqlite:///srv/p/paradiplo.db?mode=rwc");
        let c = StoreConfig::new(None, Some("postgres://u@h/db".into()));
        assert_eq!(c.database_url, "postgres://u@h/db");
        assert!(!c.needs_data_dir());
    }
}
