//! The application wired in one place. `Application::build` opens the store
//! (applying migrations), seeds an empty database with the bundled dataset,
//! opens or brings up to date the search index, builds the router over one
//! `AppState`, and starts the background jobs. `paradiplo serve` and the tests
//! (through `testkit::TestApp`) both start the application this way.

pub mod config;
pub mod jobs;
pub mod seed;
#[cfg(feature = "testkit")]
pub mod testkit;

pub use config::{Config, DEFAULT_DATA_DIR, StoreConfig};
pub use jobs::Jobs;
pub use seed::{BundledSource, bundled, import, open_store, seed_if_empty};

use paradiplo_dataset::DatasetError;
use paradiplo_search::{SearchError, SearchIndex};
use paradiplo_store::{Store, StoreError};
use paradiplo_web::AppState;
use std::sync::Arc;

/// Why an application, or a command on its store, could not be done.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{} error(s) in the dataset", .0.len())]
    Dataset(Vec<DatasetError>),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Search(#[from] SearchError),
    #[error("{0}")]
    Io(String),
    #[error("{0}")]
    Usage(String),
    /// Something on the machine failed (a file, a folder, a port), said in
    /// both languages.
    #[error("{}", .0.en)]
    Failed(Said),
    /// The command was asked something it cannot do, said in both languages.
    #[error("{}", .0.en)]
    Refused(Said),
}

/// A message for the person at the command line, in French and English.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Said {
    pub fr: String,
    pub en: String,
}

impl Said {
    pub fn new(fr: impl Into<String>, en: impl Into<String>) -> Said {
        Said {
            fr: fr.into(),
            en: en.into(),
        }
    }

    pub fn get(&self, lang: paradiplo_core::Lang) -> &str {
        match lang {
            paradiplo_core::Lang::Fr => &self.fr,
            paradiplo_core::Lang::En => &self.en,
        }
    }
}

/// A built application: its state (store, search index, settings), the
/// router that answers requests, and the background jobs.
pub struct Application {
    state: AppState,
    router: axum::Router,
    jobs: Jobs,
}

impl Application {
    /// Opens, migrates, seeds, indexes, routes and starts the jobs.
    pub async fn build(config: Config) -> Result<Application, Error> {
        let store = open_store(&config.store).await?;
        tracing::info!(
            database = %paradiplo_store::redact_url(&config.store.database_url),
            "store open"
        );
        if config.seed
            && let Some(r) = seed_if_empty(&store).await?
        {
            tracing::info!(
                created = r.created,
                files = r.files,
                "loaded the bundled Québec dataset"
            );
        }
        let search = match &config.search_dir {
            Some(dir) => Some(open_search(dir, &store).await?),
            None => None,
        };
        let jobs = if config.jobs {
            Jobs::start(&store, &config.admin, search.as_ref())
        } else {
            Jobs::none()
        };
        let mut state = AppState::with_config(store, config.portal).with_admin(config.admin);
        state.licence = Arc::new(config.licence);
        if let Some(index) = search {
            state = state.with_search(index);
        }
        Ok(Application {
            router: paradiplo_web::router(state.clone()),
            state,
            jobs,
        })
    }

    /// The router answering every request; cheap to clone.
    pub fn router(&self) -> axum::Router {
        self.router.clone()
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    pub fn store(&self) -> &Store {
        &self.state.store
    }

    /// The full-text index, when the application has one.
    pub fn search(&self) -> Option<&Arc<SearchIndex>> {
        self.state.search.as_ref()
    }

    /// How many background jobs run.
    pub fn jobs_running(&self) -> usize {
        self.jobs.len()
    }

    /// Stops the background jobs (after their round in progress) and closes
    /// the store. Call it once the server has stopped answering.
    pub async fn shutdown(self) {
        self.jobs.stop().await;
        // On SQLite, leave everything in the database file itself.
        if let Err(e) = self.state.store.checkpoint().await {
            tracing::warn!(error = %e, "checkpoint at shutdown failed");
        }
        self.state.store.close().await;
    }
}

/// Opens the index in `dir`, rebuilding it when missing or outdated and
/// catching up with the revision log otherwise.
async fn open_search(dir: &std::path::Path, store: &Store) -> Result<Arc<SearchIndex>, Error> {
    let (index, opened) = SearchIndex::open(dir, store, &mut |_, _| {}).await?;
    tracing::info!(
        dir = %dir.display(),
        state = ?opened,
        documents = index.num_docs(),
        "search index ready"
    );
    Ok(Arc::new(index))
}
