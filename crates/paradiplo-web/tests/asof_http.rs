//! The portal "as of" a date (`?date=YYYY-MM-DD`) over HTTP, on a dataset
//! built for the test whose partnerships and memberships start and end: the
//! day before, the day of and the day after each change. On SQLite and
//! PostgreSQL.

mod common;

use axum::http::StatusCode;
use paradiplo_core::{AnyRecord, RecordKind, RecordState};
use paradiplo_store::Store;
use paradiplo_testkit::{TestDb, backend_tests};
use serde_json::{Value, json};

fn partner(slug: &str, name: &str, since: &str, until: Option<&str>) -> Value {
    let mut v = json!({"slug": slug, "name": {"fr": name, "en": name},
        "kind": "federated_state", "country": "DE", "world_region": "western_europe",
        "since": since, "summary": {"fr": "Partenaire.", "en": "Partner."}});
    if let Some(u) = until {
        v["until"] = json!(u);
    }
    v
}

async fn store(db: &TestDb) -> Store {
    let store = Store::open(&db.url).await.unwrap();
    let records = [
        (
            RecordKind::Partner,
            partner("baviere", "Bavière", "2010-03-15", None),
        ),
        (
            RecordKind::Partner,
            partner("catalogne", "Catalogne", "1990", Some("2015-06-01")),
        ),
        (
            RecordKind::Grouping,
            json!({"slug": "alliance", "name": {"fr": "Alliance des régions", "en": "Regions alliance"},
                   "founded": "2000-01-01", "home_role": {"fr": "membre", "en": "member"},
                   "members": [
                       {"member": "baviere", "since": "2012-01-10", "until": "2016-05-31"},
                       {"member": "catalogne", "since": "1995"}],
                   "summary": {"fr": "Regroupement.", "en": "Grouping."}}),
        ),
    ];
    for (kind, v) in records {
        store
            .create(
                AnyRecord::from_json(kind, v).unwrap(),
                RecordState::Published,
                "test",
                "test",
            )
            .await
            .unwrap();
    }
    store
}

/// Whether a list or record page links to a partner's page.
fn links_partner(body: &str, slug: &str) -> bool {
    body.replace("&#x2f;", "/")
        .contains(&format!("href=\"/partenaires/{slug}\""))
}

backend_tests!(portal_answers_as_of_a_date, bad_dates_are_named);

async fn portal_answers_as_of_a_date(db: &TestDb) {
    let app = common::app(&store(db).await);
    // A partner since 15 March 2010.
    for (day, present) in [
        ("2010-03-14", false),
        ("2010-03-15", true),
        ("2010-03-16", true),
    ] {
        let r = common::get(&app, &format!("/partenaires?date={day}")).await;
        assert_eq!(r.status, StatusCode::OK, "{day}");
        assert_eq!(
            links_partner(&r.text(), "baviere"),
            present,
            "baviere on {day}"
        );
        let page = common::get(&app, &format!("/partenaires/baviere?date={day}")).await;
        let expected = if present {
            StatusCode::OK
        } else {
            StatusCode::NOT_FOUND
        };
        assert_eq!(page.status, expected, "baviere's page on {day}");
    }
    // A partner until 1 June 2015 (inclusive); "since 1990" counts from 1 January.
    for (day, present) in [
        ("1989-12-31", false),
        ("1990-01-01", true),
        ("2015-05-31", true),
        ("2015-06-01", true),
        ("2015-06-02", false),
    ] {
        let r = common::get(&app, &format!("/partenaires?date={day}")).await;
        assert_eq!(
            links_partner(&r.text(), "catalogne"),
            present,
            "catalogne on {day}"
        );
    }
    // Today (no date): both partners, whatever their end.
    let r = common::get(&app, "/partenaires").await;
    assert!(links_partner(&r.text(), "baviere") && links_partner(&r.text(), "catalogne"));
    assert!(!r.text().contains("class=\"as-of\""), "no banner today");

    // A membership from 10 January 2012 to 31 May 2016, on the grouping's page.
    for (day, member) in [
        ("2012-01-09", false),
        ("2012-01-10", true),
        ("2012-01-11", true),
        ("2016-05-30", true),
        ("2016-05-31", true),
        ("2016-06-01", false),
    ] {
        let r = common::get(&app, &format!("/regroupements/alliance?date={day}")).await;
        assert_eq!(r.status, StatusCode::OK, "{day}");
        assert_eq!(
            links_partner(&r.text(), "baviere"),
            member,
            "membership on {day}"
        );
        // …and on the partner's page, the grouping.
        let p = common::get(&app, &format!("/partenaires/baviere?date={day}")).await;
        assert_eq!(
            p.text()
                .replace("&#x2f;", "/")
                .contains("href=\"/regroupements/alliance\""),
            member,
            "grouping on baviere's page on {day}"
        );
    }
    // Without a date, the page is the published record, past members included.
    let r = common::get(&app, "/regroupements/alliance").await;
    assert!(links_partner(&r.text(), "baviere") && links_partner(&r.text(), "catalogne"));

    // The banner names the day in each language and links back to today.
    let r = common::get(&app, "/partenaires?date=2015-06-01").await;
    let body = r.text().replace("&#x2f;", "/");
    assert!(body.contains("Le réseau au 1er juin 2015"), "{body}");
    assert!(body.contains("<a href=\"/partenaires\">Voir le réseau aujourd’hui</a>"));
    let r = common::get(&app, "/en/partners?date=2015-06-01").await;
    let body = r.text().replace("&#x2f;", "/");
    assert!(body.contains("The network on June 1, 2015"), "{body}");
    assert!(body.contains("<a href=\"/en/partners\">See the network today</a>"));
}

async fn bad_dates_are_named(db: &TestDb) {
    let app = common::app(&store(db).await);
    for bad in [
        "2015-13-01",
        "2015-02-30",
        "1er juin",
        "2015-6-1",
        "20150601",
    ] {
        for path in ["/partenaires", "/partenaires/baviere", "/regroupements"] {
            let r = common::get(&app, &format!("{path}?date={}", bad.replace(' ', "%20"))).await;
            assert_eq!(r.status, StatusCode::BAD_REQUEST, "{path}?date={bad}");
            let body = r.text();
            assert!(body.contains("«\u{a0}date\u{a0}»"), "{body}");
            assert!(body.contains(&format!("«\u{a0}{bad}\u{a0}»")), "{body}");
        }
    }
    let r = common::get(&app, "/en/partners?date=yesterday").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.text().contains("“date”") && r.text().contains("“yesterday”"));
}
