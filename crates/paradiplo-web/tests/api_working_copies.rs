//! An editor's API token changes a published record as an editor's staff
//! form does: the change is saved as the record's working copy (202, read
//! back at `…/draft`), the public keeps the published version, and a
//! publisher reviews and publishes it; on both backends.

use axum::http::{Method, StatusCode};
use paradiplo_app::testkit::{TEST_PASSWORD, TestApp, hidden};
use paradiplo_core::{AnyRecord, RecordKind, RecordState, Role};
use paradiplo_testkit::{TestDb, backend_tests};
use serde_json::{Value, json};

backend_tests!(
    an_editor_change_to_a_published_record_waits_for_a_publisher,
    the_draft_of_a_record_is_its_working_copy_or_itself,
    a_working_copy_save_names_the_revision_it_started_from,
);

fn partner_json(name: &str) -> Value {
    json!({
        "slug": "baviere",
        "name": {"fr": name, "en": "Bavaria"},
        "kind": "federated_state",
        "country": "DE",
        "subdivision": "DE-BY",
        "world_region": "western_europe",
        "summary": {"fr": "Partenaire depuis 1989.", "en": "Partner since 1989."}
    })
}

/// An app holding Bavaria, published at version 1.
async fn app_with_partner(db: &TestDb) -> TestApp {
    let app = TestApp::empty(db).await;
    let record = AnyRecord::from_json(RecordKind::Partner, partner_json("Bavière")).unwrap();
    app.store
        .create(record, RecordState::Published, "seed", "seed")
        .await
        .unwrap();
    app
}

async fn put(
    app: &TestApp,
    token: &str,
    if_match: &str,
    name: &str,
) -> (StatusCode, Value, String) {
    let r = app
        .request(
            Method::PUT,
            "/api/v1/partners/baviere",
            &[("authorization", token), ("if-match", if_match)],
            Some(json!({"record": partner_json(name), "note": format!("rename to {name}")})),
        )
        .await;
    let etag = r.header("etag");
    let location = r.header("location");
    let body = if r.status.is_success() {
        r.json()
    } else {
        json!({"problem": r.body})
    };
    (r.status, json!({"body": body, "location": location}), etag)
}

fn public_name(app_json: &Value) -> String {
    app_json["record"]["name"]["fr"]
        .as_str()
        .unwrap()
        .to_string()
}

/// `GET /api/v1/partners/baviere/draft` with a token.
async fn draft_of_bavaria(app: &TestApp, token: &str) -> paradiplo_app::testkit::Reply {
    app.request(
        Method::GET,
        "/api/v1/partners/baviere/draft",
        &[("authorization", token)],
        None,
    )
    .await
}

/// A publisher reviews Bavaria's working copy (revision 1) in the staff
/// workspace, submits and publishes it.
async fn publisher_publishes_the_working_copy(app: &TestApp) {
    app.add_staff("publisher@x.org", Role::Publisher).await;
    let staff = app.session("publisher@x.org", TEST_PASSWORD).await;
    let page = app
        .get_as("/admin/records/partner/baviere", &staff.cookie)
        .await
        .html();
    assert!(
        page.contains("Bavière libre"),
        "the staff page shows the working copy"
    );
    assert_eq!(hidden(&page, "_draft_revision"), "1");
    let r = app
        .post_form(
            "/admin/records/partner/baviere/submit",
            &staff.cookie,
            &[("csrf", staff.csrf.as_str()), ("_draft_revision", "1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = app
        .post_form(
            "/admin/records/partner/baviere/publish",
            &staff.cookie,
            &[
                ("csrf", staff.csrf.as_str()),
                ("_draft_revision", "1"),
                ("public_note.fr", "Nouveau nom."),
                ("public_note.en", "New name."),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
}

async fn an_editor_change_to_a_published_record_waits_for_a_publisher(db: &TestDb) {
    let app = app_with_partner(db).await;
    let editor = app.token(Role::Editor, "ed").await;
    let (status, out, etag) = put(&app, &editor, "\"1\"", "Bavière libre").await;
    assert_eq!(status, StatusCode::ACCEPTED, "{out}");
    assert_eq!(out["location"], "/api/v1/partners/baviere/draft");
    assert_eq!(etag, "\"1-r1\"");
    let draft = &out["body"];
    assert_eq!(draft["source"], "working_copy");
    assert_eq!(draft["status"], "draft");
    assert_eq!(draft["record_state"], "published");
    assert_eq!(
        (draft["version"].as_i64(), draft["revision"].as_i64()),
        (Some(1), Some(1))
    );
    assert_eq!(draft["record"]["name"]["fr"], "Bavière libre");
    assert_eq!(draft["notes"][0]["by"], "api:ed");
    assert_eq!(draft["notes"][0]["note"], "rename to Bavière libre");

    // The public sees the published version, in the API and on the portal.
    let public = app.get("/api/v1/partners/baviere").await;
    assert_eq!(public.status, StatusCode::OK);
    assert_eq!(public_name(&public.json()), "Bavière");
    assert_eq!(public.json()["version"], 1);
    let page = app.get_ok("/partenaires/baviere").await;
    assert!(page.contains("Bavière") && !page.contains("Bavière libre"));

    // The draft shows the change, to any token, with the ETag of the 202.
    let r = draft_of_bavaria(&app, &editor).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        (r.header("etag"), r.header("cache-control")),
        (etag.clone(), "private, no-store".to_string())
    );
    assert_eq!(r.json()["record"]["name"]["fr"], "Bavière libre");

    publisher_publishes_the_working_copy(&app).await;
    let public = app.get("/api/v1/partners/baviere").await.json();
    assert_eq!(
        (public_name(&public), public["version"].as_i64()),
        ("Bavière libre".to_string(), Some(2))
    );
    assert!(
        app.get_ok("/partenaires/baviere")
            .await
            .contains("Bavière libre")
    );
    // Published: no working copy left, the draft is the record itself.
    let r = draft_of_bavaria(&app, &editor).await;
    assert_eq!(
        (r.json()["source"].as_str(), r.header("etag")),
        (Some("record"), "\"2\"".to_string())
    );
    app.shutdown().await;
}

async fn the_draft_of_a_record_is_its_working_copy_or_itself(db: &TestDb) {
    let app = app_with_partner(db).await;
    let reader = app.token(Role::Reader, "r").await;
    let publisher = app.token(Role::Publisher, "p").await;
    // Never public.
    let r = app.get("/api/v1/partners/baviere/draft").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(!r.body.contains("Partenaire depuis"));
    // A published record without a working copy: the record itself.
    let r = draft_of_bavaria(&app, &reader).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let draft = r.json();
    assert_eq!(
        (draft["source"].as_str(), draft["record_state"].as_str()),
        (Some("record"), Some("published"))
    );
    assert_eq!(draft["status"], Value::Null);
    // A publisher's creation without a state is a record in state draft:
    // its draft is itself, where the 201's Location leads.
    let r = app
        .request(
            Method::POST,
            "/api/v1/domains",
            &[("authorization", &publisher)],
            Some(json!({"record": {"slug": "espace", "name": {"fr": "Espace"}}, "note": "new"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let r = app
        .request(
            Method::GET,
            &format!("{}/draft", r.header("location")),
            &[("authorization", &reader)],
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let draft = r.json();
    assert_eq!(
        (draft["source"].as_str(), draft["record_state"].as_str()),
        (Some("record"), Some("draft"))
    );
    assert_eq!(draft["record"]["name"]["fr"], "Espace");
    assert_eq!(r.header("etag"), "\"1\"");
    // Neither a record nor a working copy: 404, a problem.
    let r = app
        .request(
            Method::GET,
            "/api/v1/partners/nulle-part/draft",
            &[("authorization", &reader)],
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.content_type().starts_with("application/problem+json"));
    // A reader writes nothing.
    let (status, _, _) = put(&app, &reader, "\"1\"", "Lecture").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        app.store
            .draft(RecordKind::Partner, "baviere")
            .await
            .unwrap()
            .is_none()
    );
    app.shutdown().await;
}

async fn a_working_copy_save_names_the_revision_it_started_from(db: &TestDb) {
    let app = app_with_partner(db).await;
    let editor = app.token(Role::Editor, "ed").await;
    let (status, _, etag) = put(&app, &editor, "\"1\"", "Bavière 1").await;
    assert_eq!((status, etag.as_str()), (StatusCode::ACCEPTED, "\"1-r1\""));
    // Someone saved the working copy since "1": 412, nothing written.
    let (status, out, _) = put(&app, &editor, "\"1\"", "Bavière 2").await;
    assert_eq!(status, StatusCode::PRECONDITION_FAILED, "{out}");
    assert!(
        out["body"]["problem"].as_str().unwrap().contains("draft"),
        "{out}"
    );
    let (status, _, _) = put(&app, &editor, "\"1-r7\"", "Bavière 2").await;
    assert_eq!(status, StatusCode::PRECONDITION_FAILED);
    // A record version that moved on: 412.
    let (status, _, _) = put(&app, &editor, "\"2-r1\"", "Bavière 2").await;
    assert_eq!(status, StatusCode::PRECONDITION_FAILED);
    let draft = app
        .store
        .draft(RecordKind::Partner, "baviere")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (draft.revision, draft.record.title().fr.as_str()),
        (1, "Bavière 1")
    );
    // From the draft's ETag: saved as revision 2, both notes kept.
    let (status, out, etag) = put(&app, &editor, "\"1-r1\"", "Bavière 2").await;
    assert_eq!(
        (status, etag.as_str()),
        (StatusCode::ACCEPTED, "\"1-r2\""),
        "{out}"
    );
    assert_eq!(out["body"]["notes"].as_array().unwrap().len(), 2);
    // An invalid record: 422 naming the field, the working copy unchanged.
    let r = app
        .request(
            Method::PUT,
            "/api/v1/partners/baviere",
            &[("authorization", &editor), ("if-match", "\"1-r2\"")],
            Some(
                json!({"record": {"slug": "baviere", "name": {"fr": "X"}, "kind": "federated_state",
                "country": "ZZ", "world_region": "western_europe"}, "note": "bad"}),
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("record.country"), "{}", r.body);
    let draft = app
        .store
        .draft(RecordKind::Partner, "baviere")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(draft.revision, 2);
    // The published record never moved.
    let public = app.get("/api/v1/partners/baviere").await.json();
    assert_eq!(
        (public_name(&public), public["version"].as_i64()),
        ("Bavière".to_string(), Some(1))
    );
    app.shutdown().await;
}
