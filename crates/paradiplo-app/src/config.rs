//! What an application is built from: where the store is, whether to seed it,
//! the portal and staff-workspace settings, the search index, the jobs.

use paradiplo_web::PortalConfig;
use paradiplo_web::admin::AdminConfig;
use paradiplo_web::open_data::Licence;
use std::path::PathBuf;

/// Where paradiplo keeps its data when nothing else is said.
pub const DEFAULT_DATA_DIR: &str = "paradiplo-data";

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

    /// Where the search index lives, one per instance and per database:
    /// `DATA_DIR/search-index` for SQLite, `DATA_DIR/search-index-HOST-PORT-DB`
    /// for PostgreSQL, so that a PostgreSQL server started in the folder of a
    /// SQLite one neither shares nor waits for its index.
    pub fn search_dir(&self) -> PathBuf {
        match postgres_target(&self.database_url) {
            Some(target) => self.data_dir.join(format!("search-index-{target}")),
            None => self.data_dir.join("search-index"),
        }
    }
}

/// `host-port-database` of a PostgreSQL URL, reduced to characters safe in a
/// folder name; None for any other URL.
fn postgres_target(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url).ok()?;
    if !matches!(parsed.scheme(), "postgres" | "postgresql") {
        return None;
    }
    let host = parsed.host_str().unwrap_or("localhost");
    let port = parsed.port().unwrap_or(5432);
    let database = parsed.path().trim_start_matches('/');
    let database = if database.is_empty() {
        parsed.username()
    } else {
        database
    };
    let raw = format!("{host}-{port}-{database}");
    Some(
        raw.chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                    c.to_ascii_lowercase()
                } else {
                    '_'
                }
            })
            .collect(),
    )
}

/// Everything `Application::build` needs, already read and checked.
#[derive(Clone)]
pub struct Config {
    pub store: StoreConfig,
    /// Load the bundled dataset into an empty database.
    pub seed: bool,
    pub portal: PortalConfig,
    pub admin: AdminConfig,
    /// The open data's licence (CC BY 4.0 by default).
    pub licence: Licence,
    /// The folder of the full-text index; None serves without search.
    pub search_dir: Option<PathBuf>,
    /// Start the background jobs (scheduled publishing, search catch-up,
    /// retention). Tests leave them off and run a round themselves.
    pub jobs: bool,
}

impl Config {
    /// What `paradiplo serve` runs with when given no option but the store:
    /// seeded, default portal and staff settings, search, jobs.
    pub fn new(store: StoreConfig) -> Config {
        Config {
            search_dir: Some(store.search_dir()),
            store,
            seed: true,
            portal: PortalConfig::default(),
            admin: AdminConfig::default(),
            licence: Licence::default(),
            jobs: true,
        }
    }
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
        assert_eq!(c.search_dir(), PathBuf::from("paradiplo-data/search-index"));
        let c = StoreConfig::new(Some("/srv/p".into()), Some(String::new()));
        assert_eq!(c.database_url, "sqlite:///srv/p/paradiplo.db?mode=rwc");
        let c = StoreConfig::new(None, Some("postgres://u@h/db".into()));
        assert_eq!(c.database_url, "postgres://u@h/db");
        assert!(!c.needs_data_dir());
    }

    #[test]
    fn each_database_has_its_own_search_index() {
        let sqlite = StoreConfig::new(Some("/srv/p".into()), None);
        let pg = StoreConfig::new(
            Some("/srv/p".into()),
            Some("postgres://ana:secret@db.internal:6543/registre".into()),
        );
        let other = StoreConfig::new(
            Some("/srv/p".into()),
            Some("postgresql://ana@db.internal/autre".into()),
        );
        assert_eq!(sqlite.search_dir(), PathBuf::from("/srv/p/search-index"));
        assert_eq!(
            pg.search_dir(),
            PathBuf::from("/srv/p/search-index-db.internal-6543-registre")
        );
        assert_eq!(
            other.search_dir(),
            PathBuf::from("/srv/p/search-index-db.internal-5432-autre")
        );
        // Never a password, never a path separator.
        let odd = StoreConfig::new(None, Some("postgres://u:pw@h/a%2Fb".into()));
        let name = odd
            .search_dir()
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        assert!(!name.contains("pw") && !name.contains('/'), "{name}");
    }
}
