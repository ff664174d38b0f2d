//! "Dernière mise à jour" comes from the content (issue 14): the bundled
//! dataset gives each record's last substantive change (`changed`); seeding
//! keeps it whatever the day, re-importing an unchanged dataset moves no
//! date, and export writes it back. The store's clock is injected. On
//! SQLite and PostgreSQL.

use paradiplo::ops;
use paradiplo_app::testkit::TestApp;
use paradiplo_core::RecordKind;
use paradiplo_store::{Clock, Store, Visibility, content_timestamp};
use paradiplo_testkit::{TestDb, backend_tests};
use std::collections::BTreeMap;
use time::macros::datetime;

backend_tests!(seeding_on_two_days_gives_the_same_dates);

/// Each record's public "last updated", by kind and slug.
async fn dates(store: &Store) -> BTreeMap<(RecordKind, String), String> {
    store
        .all(Visibility::All)
        .await
        .unwrap()
        .into_iter()
        .map(|r| {
            (
                (r.record.kind(), r.record.slug().to_string()),
                r.public_changed_at,
            )
        })
        .collect()
}

/// The "last updated" line of a page, if it has one.
fn last_update(html: &str) -> Option<String> {
    let (_, rest) = html
        .split_once("Dernière mise à jour")
        .or_else(|| html.split_once("Last updated"))?;
    Some(rest.split('<').next().unwrap_or_default().to_string())
}

async fn seed_on(db: &TestDb, clock: Clock) -> Store {
    let store = Store::open(&db.url).await.unwrap().with_clock(clock);
    ops::seed_if_empty(&store).await.unwrap().expect("seeded");
    store
}

async fn seeding_on_two_days_gives_the_same_dates(db: &TestDb) {
    let bundled = ops::bundled().unwrap();
    assert_eq!(
        bundled.changed.len(),
        bundled.registry.len(),
        "every bundled record gives its content date"
    );
    let first = seed_on(db, Clock::fixed(datetime!(2027-01-15 10:00 UTC))).await;
    let other = TestDb::sqlite();
    let second = seed_on(&other, Clock::fixed(datetime!(2029-07-02 18:30 UTC))).await;
    let (a, b) = (dates(&first).await, dates(&second).await);
    assert_eq!(a, b, "the same dates, whatever the day of seeding");
    for ((kind, slug), day) in &bundled.changed {
        assert_eq!(
            a[&(*kind, slug.to_string())],
            content_timestamp(*day),
            "{kind} {slug}"
        );
    }
    // Re-importing the unchanged dataset on a third day moves nothing.
    let third = first
        .clone()
        .with_clock(Clock::fixed(datetime!(2031-03-03 08:00 UTC)));
    let report = ops::import(&third, &bundled, "test", "again")
        .await
        .unwrap();
    assert_eq!(report.unchanged, bundled.registry.len());
    assert_eq!(dates(&first).await, a);
    // Export writes the dates back as the dataset gave them.
    let out = db.dir.path().join("export");
    let exported = ops::export(&first, &out, true).await.unwrap();
    assert_eq!(exported.changed, bundled.changed);
    // Every page of the sitemap, in both languages, shows the same "last
    // updated" on both installations, and never a day of seeding.
    let (app1, app2) = (TestApp::seeded(db).await, TestApp::seeded(&other).await);
    let pages = app1.sitemap_pages().await;
    assert!(pages.contains("/ententes/aecg") && pages.contains("/en/agreements/aecg"));
    assert!(pages.len() > 200, "{} pages", pages.len());
    let mut dated = 0;
    for uri in &pages {
        let (s1, p1) = app1.get(uri).await.status_and_html();
        let (s2, p2) = app2.get(uri).await.status_and_html();
        assert!(s1.is_success() && s2.is_success(), "{uri}: {s1} {s2}");
        let (d1, d2) = (last_update(&p1), last_update(&p2));
        assert_eq!(d1, d2, "{uri}");
        if let Some(d) = d1 {
            assert!(!d.contains("2027"), "{uri}: seeding day shown: {d}");
            dated += 1;
        }
    }
    // Record pages, lists and the hub all carry a date.
    assert!(
        dated * 10 >= pages.len() * 9,
        "{dated} of {} dated",
        pages.len()
    );
}
