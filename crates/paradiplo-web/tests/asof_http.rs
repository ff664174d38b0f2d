//! The network "as of" a date (`?date=YYYY-MM-DD`) over HTTP — the portal,
//! the API and the open-data exports — on a dataset built for the test whose
//! partnerships and memberships start and end: the day before, the day of
//! and the day after each change. On SQLite and PostgreSQL.

use axum::http::{Method, StatusCode};
use paradiplo_app::testkit::TestApp;
use paradiplo_core::{AnyRecord, RecordKind, RecordState};
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

/// The application over these records only.
async fn app(db: &TestDb) -> TestApp {
    let app = TestApp::empty(db).await;
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
        app.store
            .create(
                AnyRecord::from_json(kind, v).unwrap(),
                RecordState::Published,
                "test",
                "test",
            )
            .await
            .unwrap();
    }
    app
}

/// Whether a list or record page links to a partner's page.
fn links_partner(body: &str, slug: &str) -> bool {
    // As of a day, the link keeps the day (`?date=`).
    let body = body.replace("&#x2f;", "/");
    body.contains(&format!("href=\"/partenaires/{slug}\""))
        || body.contains(&format!("href=\"/partenaires/{slug}?date="))
}

backend_tests!(
    portal_answers_as_of_a_date,
    bad_dates_are_named,
    api_answers_as_of_a_date,
    api_bad_dates_are_problems,
    exports_answer_as_of_a_date,
);

async fn portal_answers_as_of_a_date(db: &TestDb) {
    let app = app(db).await;
    // A partner since 15 March 2010.
    for (day, present) in [
        ("2010-03-14", false),
        ("2010-03-15", true),
        ("2010-03-16", true),
    ] {
        let r = app.get(&format!("/partenaires?date={day}")).await;
        assert_eq!(r.status, StatusCode::OK, "{day}");
        assert_eq!(
            links_partner(&r.body, "baviere"),
            present,
            "baviere on {day}"
        );
        let page = app.get(&format!("/partenaires/baviere?date={day}")).await;
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
        let r = app.get(&format!("/partenaires?date={day}")).await;
        assert_eq!(
            links_partner(&r.body, "catalogne"),
            present,
            "catalogne on {day}"
        );
    }
    // Today (no date): both partners, whatever their end.
    let r = app.get("/partenaires").await;
    assert!(links_partner(&r.body, "baviere") && links_partner(&r.body, "catalogne"));
    assert!(!r.body.contains("class=\"as-of\""), "no banner today");

    // A membership from 10 January 2012 to 31 May 2016, on the grouping's page.
    for (day, member) in [
        ("2012-01-09", false),
        ("2012-01-10", true),
        ("2012-01-11", true),
        ("2016-05-30", true),
        ("2016-05-31", true),
        ("2016-06-01", false),
    ] {
        let r = app
            .get(&format!("/regroupements/alliance?date={day}"))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{day}");
        assert_eq!(
            links_partner(&r.body, "baviere"),
            member,
            "membership on {day}"
        );
        // …and on the partner's page, the grouping.
        let p = app.get(&format!("/partenaires/baviere?date={day}")).await;
        assert_eq!(
            p.body
                .replace("&#x2f;", "/")
                .contains(&format!("href=\"/regroupements/alliance?date={day}\"")),
            member,
            "grouping on baviere's page on {day}"
        );
    }
    // Without a date, the page is the published record, past members included.
    let r = app.get("/regroupements/alliance").await;
    assert!(links_partner(&r.body, "baviere") && links_partner(&r.body, "catalogne"));

    // The banner names the day in each language and links back to today.
    let r = app.get("/partenaires?date=2015-06-01").await;
    let body = r.body.replace("&#x2f;", "/");
    assert!(body.contains("Le réseau au 1er juin 2015"), "{body}");
    assert!(body.contains("<a href=\"/partenaires\" data-undated>Voir le réseau aujourd’hui</a>"));
    let r = app.get("/en/partners?date=2015-06-01").await;
    let body = r.body.replace("&#x2f;", "/");
    assert!(body.contains("The network on June 1, 2015"), "{body}");
    assert!(body.contains("<a href=\"/en/partners\" data-undated>See the network today</a>"));
}

async fn bad_dates_are_named(db: &TestDb) {
    let app = app(db).await;
    for bad in [
        "2015-13-01",
        "2015-02-30",
        "1er juin",
        "2015-6-1",
        "20150601",
    ] {
        for path in ["/partenaires", "/partenaires/baviere", "/regroupements"] {
            let r = app
                .get(&format!("{path}?date={}", bad.replace(' ', "%20")))
                .await;
            assert_eq!(r.status, StatusCode::BAD_REQUEST, "{path}?date={bad}");
            let body = r.body;
            assert!(body.contains("«\u{a0}date\u{a0}»"), "{body}");
            assert!(body.contains(&format!("«\u{a0}{bad}\u{a0}»")), "{body}");
        }
    }
    let r = app.get("/en/partners?date=yesterday").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("“date”") && r.body.contains("“yesterday”"));
}

/// The slugs of a page of the API.
fn slugs(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .unwrap_or_else(|| panic!("not a list: {list}"))
        .iter()
        .map(|i| i["slug"].as_str().unwrap().to_string())
        .collect()
}

/// The members of a grouping as the API gives it.
fn members(item: &Value) -> Vec<String> {
    item["record"]["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["member"].as_str().unwrap().to_string())
        .collect()
}

async fn api_answers_as_of_a_date(db: &TestDb) {
    let app = app(db).await;
    api_partners_as_of_a_date(&app).await;
    api_memberships_as_of_a_date(&app).await;
    api_dated_reads_have_their_own_etag(&app).await;
}

/// Partners listed and read as of a date: the day before, of and after each change.
async fn api_partners_as_of_a_date(app: &TestApp) {
    // A partner since 15 March 2010: the list leaves it out before, the read is a 404.
    for (day, present) in [
        ("2010-03-14", false),
        ("2010-03-15", true),
        ("2010-03-16", true),
    ] {
        let r = app.get(&format!("/api/v1/partners?date={day}")).await;
        assert_eq!(r.status, StatusCode::OK, "{day}");
        let list = r.json();
        assert_eq!(
            slugs(&list).contains(&"baviere".to_string()),
            present,
            "baviere listed on {day}: {list}"
        );
        let one = app
            .get(&format!("/api/v1/partners/baviere?date={day}"))
            .await;
        if present {
            assert_eq!(one.status, StatusCode::OK, "{day}");
            assert_eq!(one.json()["slug"], "baviere");
        } else {
            assert_eq!(one.status, StatusCode::NOT_FOUND, "{day}");
            assert_eq!(one.header("content-type"), "application/problem+json");
            let p = one.json();
            assert_eq!(p["status"], 404);
            assert_eq!(
                p["detail"],
                "Cette fiche n’existait pas encore, ou n’était plus en vigueur, le 14 mars 2010."
            );
        }
    }
    // The same 404 in English.
    let r = app
        .get("/api/v1/partners/baviere?date=2010-03-14&lang=en")
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(
        r.json()["detail"],
        "This record did not exist yet, or was no longer in force, on March 14, 2010."
    );
    // A partner until 1 June 2015 (inclusive); "since 1990" counts from 1 January.
    for (day, present) in [
        ("1989-12-31", false),
        ("1990-01-01", true),
        ("2015-05-31", true),
        ("2015-06-01", true),
        ("2015-06-02", false),
    ] {
        let list = app
            .get(&format!("/api/v1/partners?date={day}"))
            .await
            .json();
        assert_eq!(
            slugs(&list).contains(&"catalogne".to_string()),
            present,
            "catalogne on {day}"
        );
        assert_eq!(
            list["total"],
            slugs(&list).len(),
            "the total counts that day"
        );
        let one = app
            .get(&format!("/api/v1/partners/catalogne?date={day}"))
            .await;
        let expected = if present {
            StatusCode::OK
        } else {
            StatusCode::NOT_FOUND
        };
        assert_eq!(one.status, expected, "catalogne's record on {day}");
    }
    // Without a date: both partners, today's records.
    let list = app.get("/api/v1/partners").await.json();
    assert_eq!(slugs(&list), ["baviere", "catalogne"]);
}

/// Memberships in the grouping's record and through the `member` filter.
async fn api_memberships_as_of_a_date(app: &TestApp) {
    // A membership from 10 January 2012 to 31 May 2016: in the grouping's
    // record, and through the `member` filter, which reads that day's members.
    for (day, member) in [
        ("2012-01-09", false),
        ("2012-01-10", true),
        ("2012-01-11", true),
        ("2016-05-30", true),
        ("2016-05-31", true),
        ("2016-06-01", false),
    ] {
        let r = app
            .get(&format!("/api/v1/groupings/alliance?date={day}"))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{day}");
        let item = r.json();
        assert_eq!(
            members(&item).contains(&"baviere".to_string()),
            member,
            "membership on {day}: {item}"
        );
        assert!(members(&item).contains(&"catalogne".to_string()), "{day}");
        let filtered = app
            .get(&format!("/api/v1/groupings?member=baviere&date={day}"))
            .await
            .json();
        assert_eq!(
            slugs(&filtered).contains(&"alliance".to_string()),
            member,
            "member=baviere on {day}"
        );
    }
    // Without a date, the record as published: past members included.
    let r = app.get("/api/v1/groupings/alliance").await;
    assert_eq!(members(&r.json()), ["baviere", "catalogne"]);
    // A grouping founded on 1 January 2000 did not exist the day before.
    let r = app.get("/api/v1/groupings/alliance?date=1999-12-31").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let list = app.get("/api/v1/groupings?date=1999-12-31").await.json();
    assert_eq!(list["total"], 0);
}

async fn api_dated_reads_have_their_own_etag(app: &TestApp) {
    // A dated read has its own validator, which still names the version
    // for If-Match; If-None-Match with it gives 304.
    let today = app.get("/api/v1/groupings/alliance").await;
    let then = app.get("/api/v1/groupings/alliance?date=2016-06-01").await;
    assert_eq!(today.header("etag"), "\"1\"");
    assert_eq!(then.header("etag"), "\"1-2016-06-01\"");
    let again = app
        .request(
            Method::GET,
            "/api/v1/groupings/alliance?date=2016-06-01",
            &[("if-none-match", &then.header("etag"))],
            None,
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
}

async fn api_bad_dates_are_problems(db: &TestDb) {
    let app = app(db).await;
    for bad in [
        "2015-13-01",
        "2015-02-30",
        "abc",
        "2015-6-1",
        "20150601",
        "",
    ] {
        for path in [
            "/api/v1/partners",
            "/api/v1/partners/baviere",
            "/api/v1/groupings",
            "/api/v1/groupings/alliance",
            "/api/v1/domains",
        ] {
            let r = app.get(&format!("{path}?date={bad}")).await;
            assert_eq!(r.status, StatusCode::BAD_REQUEST, "{path}?date={bad}");
            assert_eq!(r.header("content-type"), "application/problem+json");
            let p = r.json();
            assert_eq!(p["status"], 400);
            assert_eq!(p["type"], "/api#problem-bad-request");
            let detail = p["detail"].as_str().unwrap();
            assert!(detail.contains("«\u{a0}date\u{a0}»"), "{detail}");
            assert!(detail.contains(&format!("«\u{a0}{bad}\u{a0}»")), "{detail}");
        }
    }
    let r = app
        .request(
            Method::GET,
            "/api/v1/partners?date=yesterday",
            &[("accept-language", "en")],
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let detail = r.json()["detail"].as_str().unwrap().to_string();
    assert!(
        detail.contains("“date”") && detail.contains("“yesterday”"),
        "{detail}"
    );
}

/// The memberships of a Popolo document, as (organization, member, start, end).
fn popolo_memberships(doc: &Value) -> Vec<(String, String, Value, Value)> {
    doc["memberships"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["organization_id"].as_str().unwrap().to_string(),
                m["member"]["id"].as_str().unwrap().to_string(),
                m.get("start_date").cloned().unwrap_or(Value::Null),
                m.get("end_date").cloned().unwrap_or(Value::Null),
            )
        })
        .collect()
}

fn popolo_organizations(doc: &Value) -> Vec<String> {
    doc["organizations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap().to_string())
        .collect()
}

async fn exports_answer_as_of_a_date(db: &TestDb) {
    let app = app(db).await;
    popolo_as_of_a_date(&app).await;
    csv_registry_and_calendars_as_of_a_date(&app).await;
    exports_refuse_bad_or_needless_dates(&app).await;
}

/// The Popolo file today and as of a date.
async fn popolo_as_of_a_date(app: &TestApp) {
    // Today: every membership, with its dates.
    let r = app.get("/donnees-ouvertes/popolo.json").await;
    assert_eq!(r.status, StatusCode::OK);
    let today = popolo_memberships(&r.json());
    assert!(
        today.contains(&(
            "grouping:alliance".into(),
            "partner:baviere".into(),
            json!("2012-01-10"),
            json!("2016-05-31")
        )),
        "{today:?}"
    );
    assert!(today.contains(&(
        "grouping:alliance".into(),
        "partner:catalogne".into(),
        json!("1995"),
        Value::Null
    )));
    // As of a date: only the memberships in force that day, with their dates.
    for (day, member) in [
        ("2012-01-09", false),
        ("2012-01-10", true),
        ("2012-01-11", true),
        ("2016-05-31", true),
        ("2016-06-01", false),
    ] {
        let r = app
            .get(&format!("/donnees-ouvertes/popolo.json?date={day}"))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{day}");
        assert_eq!(
            r.header("content-disposition"),
            format!("inline; filename=\"popolo.{day}.json\"")
        );
        let m = popolo_memberships(&r.json());
        assert_eq!(
            m.iter().any(|(_, who, _, _)| who == "partner:baviere"),
            member,
            "baviere's membership on {day}: {m:?}"
        );
        if member {
            assert!(m.contains(&(
                "grouping:alliance".into(),
                "partner:baviere".into(),
                json!("2012-01-10"),
                json!("2016-05-31")
            )));
        }
    }
    // A partner until 1 June 2015: the organization and its memberships go the day after.
    for (day, present) in [("2015-06-01", true), ("2015-06-02", false)] {
        let doc = app
            .get(&format!("/donnees-ouvertes/popolo.json?date={day}"))
            .await
            .json();
        assert_eq!(
            popolo_organizations(&doc).contains(&"partner:catalogne".to_string()),
            present,
            "{day}"
        );
        assert_eq!(
            popolo_memberships(&doc)
                .iter()
                .any(|(_, who, _, _)| who == "partner:catalogne"),
            present,
            "{day}"
        );
    }
}

/// CSV, the JSON registry and the calendars as of a date.
async fn csv_registry_and_calendars_as_of_a_date(app: &TestApp) {
    // CSV and the registry as JSON take the same path: a partner since 15 March 2010.
    for (day, present) in [
        ("2010-03-14", false),
        ("2010-03-15", true),
        ("2010-03-16", true),
    ] {
        let csv = app
            .get(&format!("/donnees-ouvertes/partners.csv?date={day}"))
            .await;
        assert_eq!(csv.status, StatusCode::OK, "{day}");
        assert!(csv.header("content-type").starts_with("text/csv"));
        let text = csv.body;
        assert_eq!(text.contains("Bavière"), present, "{day}: {text}");
        assert!(text.contains("Catalogne"), "{day}: {text}");
        let json = app
            .get(&format!("/donnees-ouvertes/registry.json?date={day}"))
            .await;
        assert_eq!(json.status, StatusCode::OK);
        assert_eq!(
            json.body.contains("\"baviere\""),
            present,
            "registry.json on {day}"
        );
    }
    // The grouping's members in the JSON registry on a day after the membership.
    let reg = app
        .get("/donnees-ouvertes/registry.json?date=2016-06-01")
        .await
        .json();
    let alliance = reg["groupings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["slug"] == "alliance")
        .unwrap();
    let who: Vec<&str> = alliance["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["member"].as_str().unwrap())
        .collect();
    assert_eq!(who, ["catalogne"]);
    // The calendars take a date too.
    let ics = app
        .get("/donnees-ouvertes/events.fr.ics?date=2015-06-01")
        .await;
    assert_eq!(ics.status, StatusCode::OK);
    assert!(ics.body.starts_with("BEGIN:VCALENDAR"));
}

/// Bad dates, files with no dated version, unknown files; the open-data page says how.
async fn exports_refuse_bad_or_needless_dates(app: &TestApp) {
    // A bad date: 400, the parameter and the value named.
    for path in [
        "popolo.json?date=2015-13-01",
        "partners.csv?date=2015-13-01",
        "registry.json?date=2015-13-01",
    ] {
        let r = app.get(&format!("/donnees-ouvertes/{path}")).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{path}");
        assert_eq!(r.header("content-type"), "application/problem+json");
        let detail = r.json()["detail"].as_str().unwrap().to_string();
        assert!(
            detail.contains("«\u{a0}date\u{a0}»") && detail.contains("«\u{a0}2015-13-01\u{a0}»"),
            "{detail}"
        );
    }
    let r = app
        .get("/donnees-ouvertes/popolo.json?date=abc&lang=en")
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.json()["detail"].as_str().unwrap().contains("“abc”"));
    // Files about publications, not the network, have no dated version: said so.
    for name in ["changes.fr.atom", "catalog.jsonld"] {
        let r = app
            .get(&format!("/donnees-ouvertes/{name}?date=2015-06-01"))
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{name}");
        let detail = r.json()["detail"].as_str().unwrap().to_string();
        assert!(detail.contains(name), "{detail}");
        let r = app.get(&format!("/donnees-ouvertes/{name}")).await;
        assert_eq!(r.status, StatusCode::OK, "{name} without a date");
    }
    // An unknown file stays a 404, dated or not.
    let r = app
        .get("/donnees-ouvertes/nothing.csv?date=2015-06-01")
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // The open-data page says how, in both languages.
    for (page, text) in [
        (
            "/donnees-ouvertes",
            "tels que le réseau était à une date donnée",
        ),
        ("/en/open-data", "as the network stood on a given day"),
    ] {
        let html = app.get(page).await.body;
        assert!(html.contains(text), "{page}");
        assert!(
            html.replace("&#x2f;", "/")
                .contains("<code>/donnees-ouvertes/popolo.json?date=2015-06-01</code>"),
            "{page}"
        );
    }
}

/// The OpenAPI document offers `date` (format `date`) on every list and read,
/// and the reference pages describe it in both languages.
#[tokio::test]
async fn openapi_documents_the_date_parameter() {
    let db = TestDb::sqlite();
    let app = TestApp::empty(&db).await;
    let doc = app.get("/api/openapi.json").await.json();
    let mut reads = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        let Some(op) = item.get("get") else { continue };
        // A working copy is not the network as it stood on a day.
        if path.ends_with("/draft") {
            continue;
        }
        reads += 1;
        let date = op["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == "date")
            .unwrap_or_else(|| panic!("GET {path} lacks date"));
        assert_eq!(date["in"], "query", "{path}");
        assert_ne!(date["required"], true, "{path}");
        assert_eq!(date["schema"]["format"], "date", "GET {path}: {date}");
        assert!(
            date["schema"]["type"]
                .as_array()
                .is_some_and(|t| t.contains(&json!("string")))
                || date["schema"]["type"] == "string",
            "{path}: {date}"
        );
    }
    assert_eq!(reads, 16, "a list and a read for each of the 8 collections");
    for (page, text) in [
        ("/api", "Le réseau tel qu’il était ce jour-là"),
        ("/en/api", "The network as it stood that day"),
    ] {
        let html = app.get(page).await.body;
        assert!(html.contains(text), "{page}");
    }
    app.shutdown().await;
}
