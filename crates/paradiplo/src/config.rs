//! Effective configuration: flags, then environment variables (both through
//! clap), then defaults. What the application is built from lives in
//! `paradiplo_app::config`; this adds what only `serve` knows (the address).

use crate::ops::OpError;
pub use paradiplo_app::config::{DEFAULT_DATA_DIR, StoreConfig};
use std::path::PathBuf;

pub const DEFAULT_ADDR: &str = "127.0.0.1:8080";

/// The configuration of `serve`, as given on the command line.
#[derive(Debug, Clone)]
pub struct Config {
    pub addr: String,
    pub store: StoreConfig,
    pub seed: bool,
    /// Mark session cookies `Secure` (the server is reached over HTTPS).
    pub secure_cookies: bool,
    /// Trust `X-Forwarded-For` / `X-Forwarded-Proto` from a reverse proxy.
    pub trust_proxy: bool,
    /// The portal configuration file (branding, contact, public address).
    pub portal: Option<PathBuf>,
    /// The open data's licence: name and address (CC BY 4.0 by default).
    pub licence: Option<(String, String)>,
}

impl Config {
    /// The application's configuration: reads the portal file, so a bad file
    /// stops before anything opens.
    pub fn application(&self) -> Result<paradiplo_app::Config, OpError> {
        let mut app = paradiplo_app::Config::new(self.store.clone());
        if let Some(path) = &self.portal {
            app.portal = paradiplo_web::PortalConfig::load(path)
                .map_err(|e| OpError::Usage(e.to_string()))?;
        }
        app.seed = self.seed;
        app.admin.secure_cookies = self.secure_cookies;
        app.admin.trust_proxy = self.trust_proxy;
        if let Some((name, url)) = self.licence.clone() {
            app.licence = paradiplo_web::open_data::Licence { name, url };
        }
        Ok(app)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serve_flags_reach_the_application() {
        let config = Config {
            addr: DEFAULT_ADDR.into(),
            store: StoreConfig::new(Some("/srv/p".into()), None),
            seed: false,
            secure_cookies: true,
            trust_proxy: true,
            portal: None,
            licence: Some(("Licence ouverte".into(), "https://example.org/lo".into())),
        };
        let app = config.application().unwrap();
        assert!(!app.seed);
        assert!(app.admin.secure_cookies && app.admin.trust_proxy);
        assert_eq!(app.licence.name, "Licence ouverte");
        assert_eq!(app.search_dir, Some(PathBuf::from("/srv/p/search-index")));
        assert!(app.jobs);
    }

    #[test]
    fn a_bad_portal_file_is_a_usage_error() {
        let config = Config {
            addr: DEFAULT_ADDR.into(),
            store: StoreConfig::new(None, None),
            seed: true,
            secure_cookies: false,
            trust_proxy: false,
            portal: Some("/nonexistent/portal.toml".into()),
            licence: None,
        };
        match config.application() {
            Err(OpError::Usage(message)) => assert!(message.contains("portal.toml"), "{message}"),
            Err(other) => panic!("expected a usage error, got {other}"),
            Ok(_) => panic!("expected a usage error"),
        }
    }
}
