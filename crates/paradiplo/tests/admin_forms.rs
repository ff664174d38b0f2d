//! The generic staff form against every record of the bundled dataset: what
//! the form shows, posted back unchanged, gives the same record (so editing
//! a record through the form never drops or alters a field).

use paradiplo_app::testkit::TestApp;
use paradiplo_store::Visibility;
use paradiplo_testkit::TestDb;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_bundled_record_survives_the_form() {
    let db = TestDb::sqlite();
    let store = TestApp::seeded(&db).await.store;
    let all = store.all(Visibility::All).await.unwrap();
    assert!(all.len() > 100);
    let mut kinds = std::collections::BTreeSet::new();
    for stored in all {
        let back = paradiplo_web::admin::form_round_trip(&stored.record)
            .unwrap_or_else(|e| panic!("{} {}: {e:?}", stored.record.kind(), stored.record.slug()));
        assert_eq!(
            back,
            stored.record,
            "{} {}",
            stored.record.kind(),
            stored.record.slug()
        );
        kinds.insert(stored.record.kind());
    }
    assert!(kinds.len() >= 12, "{kinds:?}");
}
