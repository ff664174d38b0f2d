//! The JSON API over a real store, on SQLite and PostgreSQL: reads, filters,
//! validators, problems, tokens and the write rules.

use axum::http::{Method, StatusCode};
use paradiplo_app::testkit::TestApp;
use paradiplo_core::{RecordKind, RecordState, Role};
use paradiplo_store::Visibility;
use paradiplo_testkit::{TestDb, backend_tests};
use serde_json::json;

backend_tests!(
    lists_filter_paginate_and_validate,
    single_records_localize_and_hide_drafts,
    stale_if_match_gets_412_and_changes_nothing,
    editor_token_cannot_publish,
    roles_and_tokens,
    problems_name_fields_in_the_readers_language,
    archive_and_restore,
);

async fn lists_filter_paginate_and_validate(db: &TestDb) {
    let app = TestApp::seeded(db).await;
    let store = app.store.clone();
    let all = app.get("/api/v1/partners?per_page=100").await;
    assert_eq!(all.status, StatusCode::OK);
    let body = all.json();
    let published = store
        .list(RecordKind::Partner, Visibility::Public)
        .await
        .unwrap();
    assert_eq!(body["total"], published.len());
    assert_eq!(body["items"].as_array().unwrap().len(), published.len());

    let na = app
        .get("/api/v1/partners?world_region=north_america&per_page=100")
        .await
        .json();
    let items = na["items"].as_array().unwrap();
    assert!(!items.is_empty());
    assert!(
        items
            .iter()
            .all(|i| i["record"]["world_region"] == "north_america")
    );
    assert!(na["total"].as_u64().unwrap() < body["total"].as_u64().unwrap());

    // Pages: 5 per page, page 2 starts at the 6th record.
    let p2 = app.get("/api/v1/partners?per_page=5&page=2").await.json();
    assert_eq!(p2["items"][0]["slug"], body["items"][5]["slug"]);
    assert_eq!(p2["pages"], published.len().div_ceil(5));
    // Sorting: reversed slugs.
    let desc = app
        .get("/api/v1/partners?sort=-slug&per_page=1")
        .await
        .json();
    assert_eq!(
        desc["items"][0]["slug"],
        published.last().unwrap().record.slug().as_str()
    );
    // Agreements by year: every one signed that year.
    let y = app
        .get("/api/v1/agreements?year=2005&per_page=100")
        .await
        .json();
    for i in y["items"].as_array().unwrap() {
        assert!(i["record"]["signed"].as_str().unwrap().starts_with("2005"));
    }
    // Organizations by presence and city.
    let montreal = app
        .get("/api/v1/organizations?presence=headquarters&city=montr%C3%A9al&per_page=100")
        .await
        .json();
    assert!(montreal["total"].as_u64().unwrap() > 0);
    for i in montreal["items"].as_array().unwrap() {
        assert_eq!(i["record"]["presence"], "headquarters");
        assert_eq!(i["record"]["city"]["fr"], "Montréal");
    }

    // ETag / If-None-Match.
    let etag = all.header("etag");
    assert!(etag.starts_with('"'), "{etag}");
    let again = app
        .request(
            Method::GET,
            "/api/v1/partners?per_page=100",
            &[("if-none-match", &etag)],
            None,
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.body.is_empty());

    // Bad parameters: 400 problems.
    for bad in [
        "/api/v1/partners?page=0",
        "/api/v1/partners?per_page=101",
        "/api/v1/partners?world_region=mars",
        "/api/v1/partners?domain=Not%20A%20Slug",
        "/api/v1/events?year=99",
        "/api/v1/partners?lang=de",
    ] {
        let r = app.get(bad).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{bad}");
        assert_eq!(r.header("content-type"), "application/problem+json");
        assert_eq!(r.json()["status"], 400);
    }
    store.close().await;
}

async fn single_records_localize_and_hide_drafts(db: &TestDb) {
    let app = TestApp::seeded(db).await;
    let store = app.store.clone();
    let both = app.get("/api/v1/partners/baviere").await;
    assert_eq!(both.status, StatusCode::OK, "{}", both.body);
    assert_eq!(both.header("etag"), "\"1\"");
    let b = both.json();
    assert_eq!(b["record"]["name"]["fr"], "État libre de Bavière");
    assert_eq!(b["links"]["html_fr"], "/partenaires/baviere");
    let en = app.get("/api/v1/partners/baviere?lang=en").await;
    assert_eq!(en.json()["record"]["name"], "Free State of Bavaria");
    assert_eq!(en.header("etag"), "\"1-en\"");
    let r = app
        .request(
            Method::GET,
            "/api/v1/partners/baviere",
            &[("if-none-match", "\"1\"")],
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_MODIFIED);

    // A draft is invisible to the public, visible with a reader token.
    let editor = app.token(Role::Editor, "robot").await;
    let created = app.request(Method::POST,
        "/api/v1/domains",
        &[("authorization", &editor)],
        Some(json!({"record": {"slug": "espace", "name": {"fr": "Espace", "en": "Space"}}, "note": "new domain"})),
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    assert_eq!(created.header("location"), "/api/v1/domains/espace");
    assert_eq!(
        app.get("/api/v1/domains/espace").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/api/v1/domains?state=draft").await.status,
        StatusCode::UNAUTHORIZED
    );
    let reader = app.token(Role::Reader, "auditor").await;
    let drafts = app
        .request(
            Method::GET,
            "/api/v1/domains?state=draft",
            &[("authorization", &reader)],
            None,
        )
        .await;
    assert_eq!(drafts.status, StatusCode::OK);
    assert_eq!(drafts.json()["items"][0]["slug"], "espace");
    assert_eq!(drafts.header("cache-control"), "private, no-store");
    let one = app
        .request(
            Method::GET,
            "/api/v1/domains/espace",
            &[("authorization", &reader)],
            None,
        )
        .await;
    assert_eq!(one.json()["state"], "draft");
    // Not a slug at all: 404, as a problem.
    let r = app.get("/api/v1/partners/N%C3%A9ant").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.header("content-type"), "application/problem+json");
    store.close().await;
}

fn partner_body(store_name: &str, state: &str) -> serde_json::Value {
    json!({
        "record": {
            "slug": "baviere",
            "name": {"fr": store_name, "en": "Bavaria"},
            "kind": "federated_state",
            "country": "DE",
            "subdivision": "DE-BY",
            "world_region": "western_europe",
            "summary": {"fr": "Résumé.", "en": "Summary."}
        },
        "state": state,
        "note": "rename"
    })
}

async fn stale_if_match_gets_412_and_changes_nothing(db: &TestDb) {
    let app = TestApp::seeded(db).await;
    let store = app.store.clone();
    let publisher = app.token(Role::Publisher, "pub-bot").await;
    let before = store
        .get(RecordKind::Partner, "baviere", Visibility::All)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(before.version, 1);
    let auth = ("authorization", publisher.as_str());

    // Missing If-Match: 428, nothing written.
    let r = app
        .request(
            Method::PUT,
            "/api/v1/partners/baviere",
            &[auth],
            Some(partner_body("Bavière !", "published")),
        )
        .await;
    assert_eq!(r.status, StatusCode::PRECONDITION_REQUIRED, "{}", r.body);

    // From version 1: written, version 2.
    let ok = app
        .request(
            Method::PUT,
            "/api/v1/partners/baviere",
            &[auth, ("if-match", "\"1\"")],
            Some(partner_body("État libre de Bavière", "published")),
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    assert_eq!(ok.header("etag"), "\"2\"");
    let history_before = store.history(RecordKind::Partner, "baviere").await.unwrap();

    // Again from version 1: stale, 412, nothing changes.
    let stale = app
        .request(
            Method::PUT,
            "/api/v1/partners/baviere",
            &[auth, ("if-match", "\"1\"")],
            Some(partner_body("Autre nom", "published")),
        )
        .await;
    assert_eq!(stale.status, StatusCode::PRECONDITION_FAILED);
    let p = stale.json();
    assert_eq!(p["status"], 412);
    assert!(p["detail"].as_str().unwrap().contains('2'), "{p}");
    let after = store
        .get(RecordKind::Partner, "baviere", Visibility::All)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(after.version, 2);
    assert_eq!(after.record.title().fr, "État libre de Bavière");
    assert_eq!(
        store.history(RecordKind::Partner, "baviere").await.unwrap(),
        history_before
    );
    // Archive from a stale version: 412 too.
    let r = app
        .request(
            Method::POST,
            "/api/v1/partners/baviere/archive",
            &[auth, ("if-match", "\"1\"")],
            Some(json!({"note": "x"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::PRECONDITION_FAILED);
    assert_eq!(
        store
            .get(RecordKind::Partner, "baviere", Visibility::Public)
            .await
            .unwrap()
            .unwrap()
            .version,
        2
    );
    // The revision names the token and keeps the note.
    let last = history_before.last().unwrap();
    assert_eq!(last.author, "api:pub-bot");
    assert_eq!(last.note, "rename");
    store.close().await;
}

async fn editor_token_cannot_publish(db: &TestDb) {
    let app = TestApp::seeded(db).await;
    let store = app.store.clone();
    let editor = app.token(Role::Editor, "writer").await;
    let auth = ("authorization", editor.as_str());
    let mut body = partner_body("Nouvelle", "published");
    body["record"]["slug"] = json!("nouvelle-region");
    let revisions_before = store.revisions_since(0, 100_000).await.unwrap().len();

    // Creating as published: 403, nothing written.
    let r = app
        .request(
            Method::POST,
            "/api/v1/partners",
            &[auth],
            Some(body.clone()),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert!(
        store
            .get(RecordKind::Partner, "nouvelle-region", Visibility::All)
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(
        store.revisions_since(0, 100_000).await.unwrap().len(),
        revisions_before
    );

    // As a draft: created.
    body["state"] = json!("draft");
    let r = app
        .request(
            Method::POST,
            "/api/v1/partners",
            &[auth],
            Some(body.clone()),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.json()["state"], "draft");

    // Publishing the draft: 403, still a draft at version 1.
    body["state"] = json!("published");
    let r = app
        .request(
            Method::PUT,
            "/api/v1/partners/nouvelle-region",
            &[auth, ("if-match", "\"1\"")],
            Some(body.clone()),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let stored = store
        .get(RecordKind::Partner, "nouvelle-region", Visibility::All)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((stored.state, stored.version), (RecordState::Draft, 1));

    editor_cannot_change_published(&app, auth).await;

    // A publisher publishes the draft.
    let publisher = app.token(Role::Publisher, "boss").await;
    let r = app
        .request(
            Method::PUT,
            "/api/v1/partners/nouvelle-region",
            &[("authorization", &publisher), ("if-match", "\"1\"")],
            Some(body),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        app.get("/api/v1/partners/nouvelle-region").await.status,
        StatusCode::OK
    );
    store.close().await;
}

/// An editor's token neither rewrites (even as a draft) nor archives a
/// published record.
async fn editor_cannot_change_published(app: &TestApp, auth: (&str, &str)) {
    let store = &app.store;
    // Publishing a change to a published record: 403.
    let r = app
        .request(
            Method::PUT,
            "/api/v1/partners/baviere",
            &[auth, ("if-match", "\"1\"")],
            Some(partner_body("Publiée", "published")),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // A change as a draft waits beside it as its working copy (202): the
    // published record is unchanged.
    let r = app
        .request(
            Method::PUT,
            "/api/v1/partners/baviere",
            &[auth, ("if-match", "\"1\"")],
            Some(partner_body("Brouillon", "draft")),
        )
        .await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
    let public = store
        .get(RecordKind::Partner, "baviere", Visibility::Public)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((public.version, public.state), (1, RecordState::Published));
    // Archiving: 403.
    let r = app
        .request(
            Method::POST,
            "/api/v1/partners/baviere/archive",
            &[auth, ("if-match", "\"1\"")],
            Some(json!({"note": "x"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

async fn roles_and_tokens(db: &TestDb) {
    let app = TestApp::seeded(db).await;
    let store = app.store.clone();
    let body = json!({"record": {"slug": "espace", "name": {"fr": "Espace"}}, "note": "n"});
    // No token: 401 with a challenge.
    let r = app
        .request(Method::POST, "/api/v1/domains", &[], Some(body.clone()))
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(r.header("www-authenticate").starts_with("Bearer"));
    // Unknown token: 401, even on a public read.
    let r = app
        .request(
            Method::GET,
            "/api/v1/domains",
            &[("authorization", "Bearer pdp_nope")],
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    // Reader: 403 on writes.
    let reader = app.token(Role::Reader, "r").await;
    let r = app
        .request(
            Method::POST,
            "/api/v1/domains",
            &[("authorization", &reader)],
            Some(body.clone()),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Revoked tokens stop working; only the digest is stored.
    let (t, secret) = store
        .create_token("temp", Role::Admin, "test")
        .await
        .unwrap();
    assert!(!secret.is_empty() && secret.starts_with("pdp_") && secret.len() == 68);
    let listed = store.tokens().await.unwrap();
    assert!(
        listed
            .iter()
            .any(|x| x.id == t.id && x.revoked_at.is_none())
    );
    assert!(store.token_by_secret(&secret).await.unwrap().is_some());
    assert!(store.revoke_token(t.id).await.unwrap());
    assert!(!store.revoke_token(t.id).await.unwrap());
    assert!(store.token_by_secret(&secret).await.unwrap().is_none());
    let r = app
        .request(
            Method::POST,
            "/api/v1/domains",
            &[("authorization", &format!("Bearer {secret}"))],
            Some(body),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    // The secret is nowhere in the database.
    let raw: Vec<String> = sqlx::query_scalar("SELECT token_hash FROM api_tokens")
        .fetch_all(store.pool())
        .await
        .unwrap();
    assert!(raw.iter().all(|h| !h.contains(&secret[4..])));
    assert!(raw.contains(&paradiplo_store::token_digest(&secret)));
    store.close().await;
}

async fn problems_name_fields_in_the_readers_language(db: &TestDb) {
    let app = TestApp::seeded(db).await;
    let store = app.store.clone();
    let publisher = app.token(Role::Publisher, "p").await;
    let mut body = partner_body("X", "published");
    body["record"]["slug"] = json!("autre");
    body["record"]["country"] = json!("XX");
    body["note"] = json!("");
    let fr = app
        .request(
            Method::POST,
            "/api/v1/partners",
            &[("authorization", &publisher)],
            Some(body.clone()),
        )
        .await;
    assert_eq!(fr.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fr.header("content-type"), "application/problem+json");
    let p = fr.json();
    assert_eq!(p["type"], "/api#problem-validation");
    assert_eq!(p["title"], "Données non valides");
    let errors = p["errors"].as_array().unwrap();
    assert!(
        errors
            .iter()
            .any(|e| e["field"] == "note" && e["code"] == "required"),
        "{p}"
    );
    assert!(
        errors.iter().any(|e| e["field"] == "record.country"
            && e["value"] == "XX"
            && e["code"] == "unknown_country"),
        "{p}"
    );
    let en = app
        .request(
            Method::POST,
            "/api/v1/partners",
            &[
                ("authorization", &publisher),
                ("accept-language", "en-CA,en;q=0.9"),
            ],
            Some(body.clone()),
        )
        .await;
    let p = en.json();
    assert_eq!(p["title"], "Invalid data");
    assert!(
        p["errors"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["message"] == "country code unknown to ISO 3166-1")
    );
    // A reference to nothing: the store's validation, same shape.
    let mut body = partner_body("Y", "draft");
    body["record"]["slug"] = json!("autre");
    body["record"]["domains"] = json!(["inexistant"]);
    let r = app
        .request(
            Method::POST,
            "/api/v1/partners?lang=en",
            &[("authorization", &publisher)],
            Some(body),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let p = r.json();
    assert!(
        p["errors"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["field"] == "record.domains[0]" && e["code"] == "unknown_reference"),
        "{p}"
    );
    assert!(
        store
            .get(RecordKind::Partner, "autre", Visibility::All)
            .await
            .unwrap()
            .is_none()
    );
    malformed_or_duplicate_bodies_are_refused(&app, &publisher).await;
    store.close().await;
}

/// Not JSON: 415; broken JSON: 400; existing slug: 409.
async fn malformed_or_duplicate_bodies_are_refused(app: &TestApp, publisher: &str) {
    let r = app
        .request(
            Method::POST,
            "/api/v1/partners",
            &[("authorization", publisher), ("content-type", "text/plain")],
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let r = app
        .request(
            Method::POST,
            "/api/v1/partners",
            &[("authorization", publisher)],
            Some(json!([1])),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = app
        .request(
            Method::POST,
            "/api/v1/partners",
            &[("authorization", publisher)],
            Some(partner_body("Bavière", "published")),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
}

async fn archive_and_restore(db: &TestDb) {
    let app = TestApp::seeded(db).await;
    let store = app.store.clone();
    let publisher = app.token(Role::Publisher, "p").await;
    let auth = ("authorization", publisher.as_str());
    let r = app
        .request(
            Method::POST,
            "/api/v1/partners/baviere/archive",
            &[auth, ("if-match", "\"1\"")],
            Some(json!({"note": "closed"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["state"], "archived");
    assert_eq!(
        app.get("/api/v1/partners/baviere").await.status,
        StatusCode::NOT_FOUND
    );
    let r = app
        .request(
            Method::POST,
            "/api/v1/partners/baviere/restore",
            &[auth, ("if-match", "\"2\"")],
            Some(json!({"note": "reopened"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["state"], "published");
    assert_eq!(r.json()["version"], 3);
    assert_eq!(
        app.get("/api/v1/partners/baviere").await.status,
        StatusCode::OK
    );
    let r = app
        .request(
            Method::POST,
            "/api/v1/partners/baviere/restore",
            &[auth, ("if-match", "\"3\"")],
            Some(json!({"note": "x", "version": 99})),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    store.close().await;
}

/// Every route the API serves is in the OpenAPI document, with the statuses
/// the handlers return; the reference pages list every operation.
#[tokio::test]
async fn openapi_document_covers_every_route() {
    let db = TestDb::sqlite();
    let app = TestApp::empty(&db).await;
    let doc = app.get("/api/openapi.json").await.json();
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().unwrap();
    let mut expected = Vec::new();
    for c in [
        "partners",
        "groupings",
        "organizations",
        "agreements",
        "events",
        "representations",
        "domains",
        "documents",
    ] {
        expected.push((format!("/api/v1/{c}"), "get"));
        expected.push((format!("/api/v1/{c}/{{slug}}"), "get"));
        expected.push((format!("/api/v1/{c}/{{slug}}/draft"), "get"));
        if c != "documents" {
            expected.push((format!("/api/v1/{c}"), "post"));
            expected.push((format!("/api/v1/{c}/{{slug}}"), "put"));
            expected.push((format!("/api/v1/{c}/{{slug}}/archive"), "post"));
            expected.push((format!("/api/v1/{c}/{{slug}}/restore"), "post"));
        }
    }
    let mut documented = Vec::new();
    for (path, item) in paths {
        for (method, op) in item.as_object().unwrap() {
            documented.push((path.clone(), method.as_str()));
            let codes: Vec<&String> = op["responses"].as_object().unwrap().keys().collect();
            let must: &[&str] = match (method.as_str(), path.ends_with('}')) {
                // A draft: any token, no query.
                ("get", false) if path.ends_with("/draft") => &["200", "304", "401", "404"],
                ("get", false) => &["200", "304", "400", "401"],
                ("get", true) => &["200", "304", "400", "401", "404"],
                ("post", false) if path.matches('/').count() == 3 => {
                    &["201", "400", "401", "403", "409", "415", "422"]
                }
                _ => &[
                    "200", "400", "401", "403", "404", "412", "415", "422", "428",
                ],
            };
            for code in must {
                assert!(
                    codes.iter().any(|c| c == code),
                    "{method} {path} lacks {code}"
                );
            }
        }
    }
    expected.sort();
    let mut documented_sorted: Vec<(String, &str)> = documented.clone();
    documented_sorted.sort();
    let expected: Vec<(String, &str)> = expected.iter().map(|(p, m)| (p.clone(), *m)).collect();
    assert_eq!(documented_sorted, expected);
    // Every documented operation answers (not 404/405 from the router).
    for (path, method) in &documented {
        let uri = path.replace("{slug}", "baviere");
        let m = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
        let r = app.request(m, &uri, &[], None).await;
        assert!(
            r.status != StatusCode::METHOD_NOT_ALLOWED && r.header("content-type").contains("json"),
            "{method} {path}: {}",
            r.status
        );
    }
    // The reference pages list every operation, in both languages.
    for page in ["/api", "/en/api"] {
        let html = app.get(page).await;
        assert_eq!(html.status, StatusCode::OK);
        let text = html.body;
        for (path, method) in &documented {
            let needle = format!("{} {}", method.to_uppercase(), path);
            assert!(text.contains(&needle), "{page} lacks {needle}");
        }
        assert!(text.contains("id=\"problem-precondition-failed\""));
    }
    assert!(app.get("/api").await.body.contains("Référence de l’API"));
    assert!(app.get("/en/api").await.body.contains("API reference"));
    app.shutdown().await;
}
