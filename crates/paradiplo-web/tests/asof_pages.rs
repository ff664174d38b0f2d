//! Pages as of a day keep the day: the language switch and every link to
//! another page of the network carry `?date=`, the link to today's page
//! does not; a record not yet in the network that day says so and links to
//! today's page; a partner's milestones stop at the day; the 404 page has a
//! language switch. On both backends.

use axum::http::StatusCode;
use paradiplo_app::testkit::TestApp;
use paradiplo_core::{AnyRecord, RecordKind, RecordState};
use paradiplo_testkit::{TestDb, backend_tests};
use serde_json::json;

backend_tests!(
    links_between_pages_as_of_a_day_keep_the_day,
    a_record_not_yet_there_that_day_explains_itself,
);

fn partner(slug: &str, name: &str, since: &str) -> AnyRecord {
    AnyRecord::from_json(
        RecordKind::Partner,
        json!({
            "slug": slug,
            "name": {"fr": name, "en": name},
            "kind": "federated_state",
            "country": "DE",
            "subdivision": "DE-BY",
            "world_region": "western_europe",
            "since": since,
            "summary": {"fr": "Partenaire.", "en": "Partner."},
            "milestones": [
                {"date": "1989", "text": {"fr": "Première entente de 1989.", "en": "First agreement of 1989."}},
                {"date": "2025", "text": {"fr": "Mission de 2025.", "en": "Mission of 2025."}}
            ]
        }),
    )
    .unwrap()
}

async fn app(db: &TestDb) -> TestApp {
    let app = TestApp::empty(db).await;
    for (slug, name, since) in [
        ("baviere", "Bavière", "1989"),
        ("nouvelle", "Nouvelle", "2020"),
    ] {
        app.store
            .create(
                partner(slug, name, since),
                RecordState::Published,
                "seed",
                "seed",
            )
            .await
            .unwrap();
    }
    app
}

/// Every `href` of a page.
fn hrefs(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap_or("").replace("&amp;", "&"))
        .collect()
}

async fn links_between_pages_as_of_a_day_keep_the_day(db: &TestDb) {
    let app = app(db).await;
    let day = "date=2015-06-01";
    for (page, switch) in [
        (
            "/partenaires?date=2015-06-01",
            "/en/partners?date=2015-06-01",
        ),
        (
            "/partenaires/baviere?date=2015-06-01",
            "/en/partners/baviere?date=2015-06-01",
        ),
        (
            "/en/partners/baviere?date=2015-06-01",
            "/partenaires/baviere?date=2015-06-01",
        ),
        (
            "/partenaires-et-organisations?date=2015-06-01",
            "/en/partners-and-organizations?date=2015-06-01",
        ),
    ] {
        let html = app.get_ok(page).await;
        let links = hrefs(&html);
        assert!(
            links.iter().any(|l| l == switch),
            "{page}: no language switch to {switch}: {links:?}"
        );
        // Links to other pages of the network keep the day…
        let network: Vec<&String> = links
            .iter()
            .filter(|l| {
                [
                    "/partenaires",
                    "/en/partners",
                    "/ententes",
                    "/regroupements",
                ]
                .iter()
                .any(|p| l.starts_with(p))
            })
            .collect();
        assert!(!network.is_empty(), "{page}");
        for l in &network {
            let today = html.contains(&format!("href=\"{l}\" data-undated"));
            assert!(l.contains(day) || today, "{page}: {l} drops the day");
        }
        // … except the link to today's page.
        let today = page.split('?').next().unwrap();
        assert!(
            html.contains(&format!("href=\"{today}\" data-undated")),
            "{page}"
        );
    }
    // The partners list links Bavaria with the day; Nouvelle was not there.
    let html = app.get_ok("/partenaires?date=2015-06-01").await;
    assert!(
        hrefs(&html)
            .iter()
            .any(|l| l == "/partenaires/baviere?date=2015-06-01")
    );
    assert!(!html.contains("/partenaires/nouvelle"));
    // A filter chosen on a dated list keeps the day.
    assert!(html.contains("<input type=\"hidden\" name=\"date\" value=\"2015-06-01\">"));
    // Milestones stop at the day.
    let then = app.get_ok("/partenaires/baviere?date=2015-06-01").await;
    assert!(then.contains("Première entente de 1989.") && !then.contains("Mission de 2025."));
    let now = app.get_ok("/partenaires/baviere").await;
    assert!(now.contains("Mission de 2025."));
    assert!(
        !hrefs(&now).iter().any(|l| l.contains("date=")),
        "today's page names no day"
    );
    app.shutdown().await;
}

async fn a_record_not_yet_there_that_day_explains_itself(db: &TestDb) {
    let app = app(db).await;
    for (page, today, switch, said) in [
        (
            "/partenaires/nouvelle?date=2015-06-01",
            "/partenaires/nouvelle",
            "/en/partners/nouvelle?date=2015-06-01",
            "n’existait pas encore",
        ),
        (
            "/en/partners/nouvelle?date=2015-06-01",
            "/en/partners/nouvelle",
            "/partenaires/nouvelle?date=2015-06-01",
            "did not exist yet",
        ),
    ] {
        let r = app.get(page).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{page}");
        let links = hrefs(&r.body);
        assert!(r.body.contains(said), "{page}: {}", r.body);
        assert!(r.body.contains("Nouvelle"), "{page} names the record");
        assert!(
            links.iter().any(|l| l == today),
            "{page}: no link to {today}"
        );
        assert!(
            links.iter().any(|l| l == switch),
            "{page}: no language switch to {switch}"
        );
        // Today's page answers.
        assert_eq!(app.get(today).await.status, StatusCode::OK);
    }
    // A page that never existed: the plain 404, with a language switch.
    for (page, switch) in [
        ("/partenaires/jamais?date=2015-06-01", "/en/"),
        ("/nulle-part", "/en/"),
        ("/en/nowhere", "/"),
    ] {
        let r = app.get(page).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{page}");
        assert!(!r.body.contains("n’existait pas encore"));
        assert!(
            r.body
                .contains(&format!("class=\"lang\" href=\"{switch}\"")),
            "{page}: {}",
            r.body
        );
    }
    app.shutdown().await;
}
