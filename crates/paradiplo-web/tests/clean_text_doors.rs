//! Clean text at the boundary, through the API and the staff form, on
//! SQLite and PostgreSQL: a control character, a line break in a name or a
//! bidirectional override is refused with the field named and the character
//! shown as its code point, and nothing is written.

use axum::http::{Method, StatusCode};
use paradiplo_app::testkit::{Client, Reply, TestApp, hidden};
use paradiplo_core::{AnyRecord, RecordKind, RecordState, Role};
use paradiplo_store::Visibility;
use paradiplo_testkit::{TestDb, backend_tests};
use serde_json::json;

backend_tests!(
    api_refuses_unclean_text_naming_the_field,
    staff_form_refuses_unclean_text_naming_the_field,
    feedback_refuses_control_characters_in_comments,
);

fn partner_json(name_fr: &str, summary_fr: &str) -> serde_json::Value {
    json!({
        "slug": "baviere",
        "name": {"fr": name_fr, "en": "Bavaria"},
        "kind": "federated_state",
        "country": "DE",
        "subdivision": "DE-BY",
        "world_region": "western_europe",
        "summary": {"fr": summary_fr, "en": "Partner."}
    })
}

fn errors_of(reply: &Reply) -> Vec<serde_json::Value> {
    reply.json()["errors"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

async fn api_refuses_unclean_text_naming_the_field(db: &TestDb) {
    let app = TestApp::empty(db).await;
    let store = app.store.clone();
    let publisher = app.token(Role::Publisher, "p").await;
    let post = |record: serde_json::Value, lang: &'static str| {
        let client = Client::new(app.router());
        let publisher = publisher.clone();
        async move {
            client
                .request(
                    Method::POST,
                    &format!("/api/v1/partners?lang={lang}"),
                    &[("authorization", &publisher)],
                    Some(json!({"record": record, "state": "published", "note": "test"})),
                )
                .await
        }
    };

    let r = post(partner_json("Bavière", "Texte\u{5}suite"), "fr").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let errors = errors_of(&r);
    let e = errors
        .iter()
        .find(|e| e["field"] == "record.summary.fr")
        .unwrap_or_else(|| panic!("{}", r.body));
    assert_eq!(e["code"], "forbidden_character");
    let message = e["message"].as_str().unwrap();
    assert!(message.contains("U+0005"), "{message}");
    assert!(message.contains("caractère de commande"), "{message}");
    assert!(!r.body.contains('\u{5}'), "the character is not echoed");

    let r = post(partner_json("Bavi\u{202E}ère", "Résumé."), "en").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let errors = errors_of(&r);
    assert!(
        errors.iter().any(|e| e["field"] == "record.name.fr"
            && e["message"].as_str().unwrap().contains("U+202E")
            && e["message"].as_str().unwrap().contains("bidirectional")),
        "{}",
        r.body
    );

    let r = post(partner_json("Bavière\nBis", "Résumé."), "en").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        errors_of(&r)
            .iter()
            .any(|e| e["field"] == "record.name.fr" && e["code"] == "forbidden_character"),
        "{}",
        r.body
    );

    // A web address: http(s) only, and clean (refused while deserializing).
    for (url, code) in [
        ("javascript:alert(1)", "invalid_url"),
        ("https://example.org/\u{1e}", "forbidden_character"),
    ] {
        let mut record = partner_json("Bavière", "Résumé.");
        record["sources"] = json!([url]);
        let r = post(record, "en").await;
        assert!(r.status.is_client_error(), "{url}: {}", r.body);
        let text = r.body;
        assert!(text.contains("record.sources[0]"), "{text}");
        assert!(text.contains(code), "{text}");
        assert!(!text.contains('\u{1e}'), "{text}");
    }

    // Nothing was written.
    assert!(
        store
            .get(RecordKind::Partner, "baviere", Visibility::All)
            .await
            .unwrap()
            .is_none()
    );
    // Multi-line text keeps its line breaks and tabs.
    let r = post(partner_json("Bavière", "Un.\n\n\tDeux."), "fr").await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    app.shutdown().await;
}

async fn staff_form_refuses_unclean_text_naming_the_field(db: &TestDb) {
    let app = TestApp::empty(db).await;
    let store = app.store.clone();
    store
        .create(
            AnyRecord::from_json(RecordKind::Partner, partner_json("Bavière", "Résumé.")).unwrap(),
            RecordState::Published,
            "seed",
            "seed",
        )
        .await
        .unwrap();
    let staff = app.staff(Role::Editor).await;
    let (cookie, csrf) = (staff.cookie, staff.csrf);
    let edit = app
        .get_as("/admin/records/partner/baviere/edit", &cookie)
        .await;
    assert_eq!(edit.status, StatusCode::OK);
    let version = hidden(&edit.body, "_record_version");
    let form = |name_fr: &'static str, summary_fr: &'static str| {
        vec![
            ("slug", "baviere".to_string()),
            ("name.fr", name_fr.to_string()),
            ("name.en", "Bavaria".to_string()),
            ("kind", "federated_state".to_string()),
            ("country", "DE".to_string()),
            ("subdivision", "DE-BY".to_string()),
            ("world_region", "western_europe".to_string()),
            ("summary.fr", summary_fr.to_string()),
            ("summary.en", "Partner.".to_string()),
            ("note", "test edit".to_string()),
            ("_record_version", version.clone()),
            ("csrf", csrf.clone()),
        ]
    };
    let uri = "/admin/records/partner/baviere/edit";
    let res = app
        .post_form(uri, &cookie, &form("Bavière", "Texte\u{5}suite"))
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert!(
        res.body
            .contains("id=\"f-summary-fr-err\">caractère de commande interdit (U+0005"),
        "{}",
        res.body
    );
    let res = app
        .post_form(
            &format!("/en{uri}"),
            &cookie,
            &form("Bavi\u{2066}ère", "Résumé."),
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert!(
        res.body
            .contains("id=\"f-name-fr-err\">bidirectional control character not allowed (U+2066"),
        "{}",
        res.body
    );
    // Nothing was written: no draft.
    assert!(
        store
            .draft(RecordKind::Partner, "baviere")
            .await
            .unwrap()
            .is_none()
    );
    app.shutdown().await;
}

async fn feedback_refuses_control_characters_in_comments(db: &TestDb) {
    let app = TestApp::empty(db).await;
    let r = app
        .request(
            Method::POST,
            "/api/v1/feedback?lang=en",
            &[],
            Some(json!({"page": "/", "answer": "no", "comment": "Bonjour\u{5} et\u{202E} merci"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let text = r.body;
    assert!(
        text.contains("comment") && text.contains("U+0005"),
        "{text}"
    );
    assert!(!text.contains('\u{5}'), "{text}");
    // Line breaks are welcome in a comment.
    let r = app
        .request(
            Method::POST,
            "/api/v1/feedback",
            &[],
            Some(json!({"page": "/", "answer": "no", "comment": "Ligne un.\r\nLigne deux."})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    app.shutdown().await;
}
