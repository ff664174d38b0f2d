//! `Application::build`, on SQLite and PostgreSQL: it migrates, seeds once,
//! opens the search index, answers requests, starts the background jobs and
//! stops them on shutdown.

use axum::http::StatusCode;
use paradiplo_app::testkit::TestApp;
use paradiplo_app::{Application, Config, StoreConfig, jobs};
use paradiplo_core::{RecordKind, Role};
use paradiplo_store::Visibility;
use paradiplo_testkit::{TestDb, backend_tests};
use std::sync::Arc;

fn config(db: &TestDb) -> Config {
    let mut config = Config::new(StoreConfig {
        data_dir: db.dir.path().to_path_buf(),
        database_url: db.url.clone(),
    });
    config.jobs = false;
    config
}

backend_tests!(
    build_seeds_once_indexes_and_serves,
    build_without_seed_leaves_the_database_empty,
    jobs_run_on_their_own_and_stop_on_shutdown,
    housekeeping_removes_expired_sessions,
);

async fn build_seeds_once_indexes_and_serves(db: &TestDb) {
    let app = Application::build(config(db)).await.unwrap();
    let counts = app.store().counts(Visibility::Public).await.unwrap();
    assert!(app.store().all(Visibility::All).await.unwrap().len() > 100);
    assert!(
        paradiplo_app::seed_if_empty(app.store())
            .await
            .unwrap()
            .is_none(),
        "seeding happens once"
    );
    assert!(counts[&RecordKind::Partner] > 10, "{counts:?}");
    assert_eq!(
        app.store().setting("seeded_from").await.unwrap().as_deref(),
        Some("data/quebec")
    );
    let index = app.search().expect("a search index by default");
    assert!(index.num_docs() > 100, "{}", index.num_docs());
    // In the data folder, one index per database (search-index on SQLite,
    // search-index-HOST-PORT-DB on PostgreSQL).
    let dir = config(db).store.search_dir();
    assert!(
        dir.starts_with(db.dir.path()) && dir.is_dir(),
        "{}",
        dir.display()
    );
    assert_eq!(app.jobs_running(), 0);
    let test = TestApp::from_application(app);
    assert_eq!(test.get("/healthz").await.body, "ok\n");
    let found = test.get_ok("/recherche?q=Bavi%C3%A8re").await;
    assert!(found.contains("data-key=\"partner/baviere\""), "{found}");
    test.shutdown().await;

    // A second start finds the data and does not load it again.
    let again = Application::build(config(db)).await.unwrap();
    assert_eq!(
        again.store().counts(Visibility::Public).await.unwrap(),
        counts
    );
    again.shutdown().await;
}

async fn build_without_seed_leaves_the_database_empty(db: &TestDb) {
    let mut config = config(db);
    config.seed = false;
    config.search_dir = None;
    let app = Application::build(config).await.unwrap();
    assert!(app.store().is_empty().await.unwrap());
    assert!(app.search().is_none());
    app.shutdown().await;
}

/// A session signed in through one instance, then a second instance whose
/// clock reads a day later starts its jobs: its first housekeeping round,
/// run at start, removes the session; shutdown then waits for the jobs.
async fn jobs_run_on_their_own_and_stop_on_shutdown(db: &TestDb) {
    let first = TestApp::seeded(db).await;
    let staff = first.staff(Role::Reader).await;
    assert_eq!(
        first.get_as("/admin/", &staff.cookie).await.status,
        StatusCode::OK
    );

    let mut config = config(db);
    config.jobs = true;
    let later = time::OffsetDateTime::now_utc() + time::Duration::days(1);
    config.admin.clock = Arc::new(move || later);
    let second = Application::build(config).await.unwrap();
    assert_eq!(second.jobs_running(), 2, "housekeeping and search catch-up");
    // Wait for the round (no deadline here: the test runner's timeout bounds it).
    while first.get_as("/admin/", &staff.cookie).await.status == StatusCode::OK {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let after = first.get_as("/admin/", &staff.cookie).await;
    assert_eq!(after.status, StatusCode::SEE_OTHER);
    assert!(
        after.location().starts_with("/admin/login"),
        "{}",
        after.location()
    );
    second.shutdown().await;
    first.shutdown().await;
}

async fn housekeeping_removes_expired_sessions(db: &TestDb) {
    let app = TestApp::empty(db).await;
    let staff = app.staff(Role::Editor).await;
    let admin = app.app.state().admin.as_ref().clone();
    let now = time::OffsetDateTime::now_utc();
    assert_eq!(jobs::housekeeping(&app.store, &admin, now).await, 0);
    assert_eq!(
        app.get_as("/admin/", &staff.cookie).await.status,
        StatusCode::OK,
        "a live session stays"
    );
    let idle = now + admin.idle_timeout + time::Duration::minutes(1);
    jobs::housekeeping(&app.store, &admin, idle).await;
    assert_eq!(
        app.get_as("/admin/", &staff.cookie).await.status,
        StatusCode::SEE_OTHER,
        "an idle session is gone"
    );
    app.shutdown().await;
}
