//! The background jobs of a server: scheduled publishing, retention and
//! expired sessions every half minute; search catch-up every second. Every
//! instance runs them; the store's checks make a publication happen once.

use paradiplo_search::SearchIndex;
use paradiplo_store::Store;
use paradiplo_web::admin::AdminConfig;
use std::sync::Arc;
use std::time::Duration;
use time::OffsetDateTime;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// How often scheduled publications, retention and sessions are looked at.
pub const HOUSEKEEPING_EVERY: Duration = Duration::from_secs(30);
/// How often a server reads the revision log for changes made elsewhere.
pub const SEARCH_POLL: Duration = Duration::from_secs(1);

/// The running jobs; `stop` ends them after the round in progress.
pub struct Jobs {
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

impl Jobs {
    /// No jobs (tests, and tools that only answer requests).
    pub fn none() -> Jobs {
        Jobs {
            stop: watch::channel(false).0,
            tasks: Vec::new(),
        }
    }

    /// Starts housekeeping, and search catch-up when there is an index.
    pub fn start(store: &Store, admin: &AdminConfig, search: Option<&Arc<SearchIndex>>) -> Jobs {
        let mut jobs = Jobs::none();
        let (store2, admin) = (store.clone(), admin.clone());
        jobs.every(HOUSEKEEPING_EVERY, move || {
            let (store, admin) = (store2.clone(), admin.clone());
            async move {
                housekeeping(&store, &admin, (admin.clock)()).await;
            }
        });
        if let Some(index) = search {
            // Writes made through other instances reach this index through the log.
            let (index, store) = (index.clone(), store.clone());
            jobs.every(SEARCH_POLL, move || {
                let (index, store) = (index.clone(), store.clone());
                async move {
                    if let Err(e) = index.catch_up(&store).await {
                        tracing::warn!(error = %e, "search index catch-up failed; retrying");
                    }
                }
            });
        }
        jobs
    }

    /// How many jobs run.
    pub fn len(&self) -> usize {
        self.tasks.len()
    }

    pub fn is_empty(&self) -> bool {
        self.tasks.is_empty()
    }

    /// Runs `round` at once and then every `period`, until stopped.
    fn every<F, Fut>(&mut self, period: Duration, round: F)
    where
        F: Fn() -> Fut + Send + 'static,
        Fut: Future<Output = ()> + Send,
    {
        let mut stop = self.stop.subscribe();
        self.tasks.push(tokio::spawn(async move {
            let mut tick = tokio::time::interval(period);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tokio::select! {
                    _ = tick.tick() => round().await,
                    _ = stop.changed() => break,
                }
            }
        }));
    }

    /// Asks every job to stop and waits until they have: a round in
    /// progress finishes, so no write is cut in the middle.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        for task in self.tasks {
            if let Err(e) = task.await {
                tracing::warn!(error = %e, "a background job ended abnormally");
            }
        }
    }
}

/// One housekeeping round at `now`: publishes the drafts whose schedule is
/// due, blanks feedback comments past retention, and removes expired
/// sessions. Returns how many drafts it published.
pub async fn housekeeping(store: &Store, admin: &AdminConfig, now: OffsetDateTime) -> usize {
    let published = paradiplo_web::admin::run_due_publications(store, now).await;
    paradiplo_web::admin::feedback::enforce_retention(store, now).await;
    if let Err(e) = store
        .purge_sessions(
            &paradiplo_store::format_timestamp(now),
            &paradiplo_store::format_timestamp(now - admin.idle_timeout),
        )
        .await
    {
        tracing::warn!(error = %e, "removing expired sessions failed; retrying");
    }
    published
}
