//! The public portal over a real store, on SQLite and PostgreSQL: every
//! route in both languages, drafts invisible, filters in the URL, the hub's
//! live counts, page feedback (form and API), caching headers, downloads.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use paradiplo_app::testkit::TestApp;
use paradiplo_core::{AnyRecord, RecordKind, RecordState};
use paradiplo_store::{FeedbackAnswer, FeedbackFilter, Store, Visibility};
use paradiplo_testkit::{TestDb, backend_tests};

fn partner(slug: &str, bilateral: bool) -> AnyRecord {
    AnyRecord::from_json(
        RecordKind::Partner,
        serde_json::json!({
            "slug": slug, "name": {"fr": "Tyrol d’essai", "en": "Test Tyrol"}, "kind": "federated_state",
            "country": "AT", "subdivision": "AT-7", "world_region": "western_europe",
            "bilateral": bilateral,
            "summary": {"fr": "Essai.", "en": "Test."}
        }),
    )
    .unwrap()
}

/// The first record of each kind with a page, as (French path, English path).
async fn record_pages(store: &Store) -> Vec<(String, String)> {
    let mut out = vec![];
    for (kind, fr, en) in [
        (RecordKind::Partner, "/partenaires", "/en/partners"),
        (RecordKind::Grouping, "/regroupements", "/en/groupings"),
        (
            RecordKind::Organization,
            "/organisations",
            "/en/organizations",
        ),
        (RecordKind::Agreement, "/ententes", "/en/agreements"),
        (RecordKind::Event, "/evenements", "/en/events"),
    ] {
        let all = store.list(kind, Visibility::Public).await.unwrap();
        for r in all.iter().take(3) {
            let slug = r.record.slug();
            out.push((format!("{fr}/{slug}"), format!("{en}/{slug}")));
        }
    }
    out
}

async fn every_route_answers_in_both_languages(db: &TestDb) {
    let app = TestApp::seeded(db).await;
    let store = app.store.clone();
    let mut pairs: Vec<(String, String)> = [
        ("/", "/en/"),
        (
            "/partenaires-et-organisations",
            "/en/partners-and-organizations",
        ),
        ("/partenaires", "/en/partners"),
        ("/regroupements", "/en/groupings"),
        ("/organisations", "/en/organizations"),
        ("/ententes", "/en/agreements"),
        ("/evenements", "/en/events"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    pairs.extend(record_pages(&store).await);
    for (fr, en) in &pairs {
        for (me, other, lang) in [(fr, en, "fr"), (en, fr, "en")] {
            let a = app.get(me).await;
            assert_eq!(a.status, StatusCode::OK, "{me}");
            assert!(a.body.contains(&format!("<html lang=\"{lang}\">")), "{me}");
            // The language switch lands on the same page in the other language.
            assert!(
                a.body.contains(&format!("class=\"lang\" href=\"{other}\"")),
                "{me}: switch to {other}"
            );
            assert!(
                a.body.contains(&format!("hreflang=\"fr\" href=\"{fr}\"")),
                "{me}"
            );
            assert!(
                a.body.contains(&format!("hreflang=\"en\" href=\"{en}\"")),
                "{me}"
            );
            assert!(
                a.body.contains(&format!("rel=\"canonical\" href=\"{me}\"")),
                "{me}"
            );
            assert!(a.body.contains("id=\"feedback\""), "{me}: feedback block");
            assert!(a.body.contains("id=\"contact\""), "{me}: contact block");
            let search = if lang == "fr" {
                "/recherche"
            } else {
                "/en/search"
            };
            assert!(
                a.body.contains(&format!("action=\"{search}\"")),
                "{me}: search box"
            );
            let updated = if lang == "fr" {
                "Dernière mise à jour\u{a0}: "
            } else {
                "Last updated: "
            };
            assert!(a.body.contains(updated), "{me}: last update");
            if me != "/" && me != "/en/" {
                assert!(a.body.contains("class=\"breadcrumb"), "{me}: breadcrumb");
            }
            if me.matches('/').count() >= 2 + usize::from(lang == "en") {
                assert!(
                    a.body.contains("application/ld+json"),
                    "{me}: schema.org on record pages"
                );
            }
            let csp = a.headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
            assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"));
            assert!(!a.body.contains(" style=\""), "{me}: no inline style");
            assert!(!a.body.contains("<style"), "{me}: no inline style");
            assert!(
                !a.body.contains("src=\"http") && !a.body.contains("stylesheet\" href=\"http"),
                "{me}: nothing loaded from elsewhere"
            );
        }
    }
    for path in [
        "/robots.txt",
        "/sitemap.xml",
        "/static/paradiplo.css",
        "/static/theme.css",
        "/static/paradiplo.js",
    ] {
        assert_eq!(app.get(path).await.status, StatusCode::OK, "{path}");
    }
    let sitemap = app.get("/sitemap.xml").await.body;
    assert!(sitemap.contains("/en/partners/baviere"));
    assert!(sitemap.contains("hreflang=\"fr\""));
    store.close().await;
}

async fn unknown_and_unpublished_records_are_not_found(db: &TestDb) {
    let app = TestApp::seeded(db).await;
    let store = app.store.clone();
    for path in [
        "/partenaires/nulle-part",
        "/en/partners/nowhere",
        "/organisations/x",
        "/ententes/x",
        "/evenements/x",
        "/regroupements/x",
        "/documents/x",
        "/partenaires?page=99",
    ] {
        let a = app.get(path).await;
        assert_eq!(a.status, StatusCode::NOT_FOUND, "{path}");
    }
    store
        .create(partner("brouillon", true), RecordState::Draft, "t", "draft")
        .await
        .unwrap();
    let a = app.get("/partenaires/brouillon").await;
    assert_eq!(a.status, StatusCode::NOT_FOUND, "a draft is invisible");
    assert!(a.body.contains("Page introuvable"));
    assert!(!app.get("/partenaires").await.body.contains("brouillon"));
    // Published, then archived: visible, then gone.
    let p = store
        .create(partner("archivee", true), RecordState::Published, "t", "n")
        .await
        .unwrap();
    assert_eq!(
        app.get("/partenaires/archivee").await.status,
        StatusCode::OK
    );
    store
        .archive(RecordKind::Partner, "archivee", p.version, "t", "n")
        .await
        .unwrap();
    assert_eq!(
        app.get("/partenaires/archivee").await.status,
        StatusCode::NOT_FOUND
    );
    store.close().await;
}

fn row_links(html: &str, prefix: &str) -> Vec<String> {
    html.match_indices(&format!("<th scope=\"row\"><a href=\"{prefix}/"))
        .map(|(i, m)| html[i + m.len()..].split('"').next().unwrap().to_string())
        .collect()
}

async fn filters_keep_their_state_in_the_url(db: &TestDb) {
    let app = TestApp::seeded(db).await;
    let store = app.store.clone();
    let partners = store
        .list(RecordKind::Partner, Visibility::Public)
        .await
        .unwrap();
    let asia: Vec<String> = partners
        .iter()
        .filter_map(|p| match &p.record {
            AnyRecord::Partner(p) if p.world_region.as_str() == "asia" => Some(p.slug.to_string()),
            _ => None,
        })
        .collect();
    assert!(!asia.is_empty());
    let a = app.get("/partenaires?region=asia").await;
    let mut shown = row_links(&a.body, "/partenaires");
    shown.sort();
    let mut expected = asia.clone();
    expected.sort();
    assert_eq!(shown, expected, "exactly the partners in Asia");
    assert!(
        a.body.contains("<option value=\"asia\" selected>"),
        "the filter shows its state"
    );
    assert!(
        a.body
            .contains("class=\"lang\" href=\"/en/partners?region=asia\""),
        "the language switch keeps the filter"
    );
    // English keys for the English page.
    let a = app.get("/en/agreements?status=in_force").await;
    let in_force = store
        .list(RecordKind::Agreement, Visibility::Public)
        .await
        .unwrap()
        .iter()
        .filter(|r| matches!(&r.record, AnyRecord::Agreement(a) if a.status.as_str() == "in_force"))
        .count();
    assert_eq!(row_links(&a.body, "/en/agreements").len(), in_force.min(25));
    assert!(a.body.contains("href=\"/ententes?statut=in_force\""));
    // Pagination keeps the filters.
    let a = app.get("/organisations").await;
    assert!(
        a.body.contains("href=\"/organisations?page=2\""),
        "paginated"
    );
    let a = app.get("/organisations?presence=present").await;
    let present =
        paradiplo_web::hub_figures(&paradiplo_web::site::Site::load(&store, 0).await.unwrap())
            .organizations_present;
    assert!(
        a.body.contains(&format!("sur {present}")),
        "count of present organizations"
    );
    if present > 25 {
        assert!(
            a.body
                .contains("href=\"/organisations?presence=present&amp;page=2\"")
        );
        let p2 = app.get("/organisations?presence=present&page=2").await;
        assert_eq!(row_links(&p2.body, "/organisations").len(), present - 25);
    }
    // An unknown value is ignored, not an error.
    let a = app.get("/partenaires?region=mars").await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(
        row_links(&a.body, "/partenaires").len(),
        partners.len().min(25)
    );
    let a = app.get("/evenements?annee=2005").await;
    for slug in row_links(&a.body, "/evenements") {
        let e = store
            .get(RecordKind::Event, &slug, Visibility::Public)
            .await
            .unwrap()
            .unwrap();
        assert!(matches!(e.record, AnyRecord::Event(ev) if ev.start.year() == 2005));
    }
    store.close().await;
}

fn figure(html: &str, label: &str) -> String {
    let i = html
        .find(label)
        .unwrap_or_else(|| panic!("no figure {label}"));
    let before = &html[..i];
    let start = before.rfind("<span class=\"num\">").unwrap() + "<span class=\"num\">".len();
    before[start..].split('<').next().unwrap().to_string()
}

async fn hub_counts_equal_the_database(db: &TestDb) {
    let app = TestApp::seeded(db).await;
    let store = app.store.clone();
    let all = store.all(Visibility::Public).await.unwrap();
    let bilateral = all
        .iter()
        .filter(|r| matches!(&r.record, AnyRecord::Partner(p) if p.bilateral))
        .count();
    let present = all
        .iter()
        .filter(|r| {
            matches!(&r.record, AnyRecord::Organization(o)
            if o.presence != paradiplo_core::records::Presence::None && !o.historical)
        })
        .count();
    let a = app.get("/partenaires-et-organisations").await;
    assert_eq!(
        figure(&a.body, "partenaires bilatéraux"),
        bilateral.to_string()
    );
    assert_eq!(
        figure(&a.body, "organisations internationales établies"),
        present.to_string()
    );
    assert!(
        a.body
            .contains(&format!("relations bilatérales avec {bilateral} États"))
    );
    // A document link in French form.
    assert!(
        a.body.contains("(PDF, 4\u{a0}Ko)"),
        "document type and size"
    );
    assert!(
        a.body
            .contains("href=\"/documents/accord-quebec-canada-unesco-resume\"")
    );

    store
        .create(
            partner("tyrol-essai", true),
            RecordState::Published,
            "t",
            "n",
        )
        .await
        .unwrap();
    let a = app.get("/partenaires-et-organisations").await;
    assert_eq!(
        figure(&a.body, "partenaires bilatéraux"),
        (bilateral + 1).to_string()
    );
    // A non-bilateral partner and a draft do not count.
    store
        .create(
            partner("tyrol-groupe", false),
            RecordState::Published,
            "t",
            "n",
        )
        .await
        .unwrap();
    store
        .create(
            partner("tyrol-brouillon", true),
            RecordState::Draft,
            "t",
            "n",
        )
        .await
        .unwrap();
    let a = app.get("/en/partners-and-organizations").await;
    assert_eq!(
        figure(&a.body, "bilateral partners"),
        (bilateral + 1).to_string()
    );
    store.close().await;
}

async fn feedback_by_form_and_api(db: &TestDb) {
    let app = TestApp::seeded(db).await;
    // In this order: the rate limit counts what the steps before took.
    feedback_form_stores_answers(&app).await;
    feedback_form_refuses_bad_input(&app).await;
    feedback_api_stores_answers(&app).await;
    feedback_is_rate_limited(&app).await;
    app.store.clone().close().await;
}

/// Yes and no through the form, personal data masked before storage.
async fn feedback_form_stores_answers(app: &TestApp) {
    let store = &app.store;
    // Yes: stored, back to the page in its thank-you state (no cookie).
    let a = app
        .post_encoded(
            "/retroaction",
            "page=%2Fpartenaires%3Fregion%3Dasia&answer=yes&website=",
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    assert_eq!(
        a.headers[header::LOCATION],
        "/partenaires?region=asia&retroaction=merci#feedback"
    );
    assert!(a.headers.get(header::SET_COOKIE).is_none());
    let page = app.get("/partenaires?region=asia&retroaction=merci").await;
    assert!(page.body.contains("Merci de votre avis"));
    // No, first step: the reasons, nothing stored yet.
    let a = app
        .post_encoded("/retroaction", "page=%2Fententes&answer=no")
        .await;
    assert_eq!(
        a.headers[header::LOCATION],
        "/ententes?retroaction=non#feedback"
    );
    let page = app.get("/ententes?retroaction=non").await;
    assert!(page.body.contains("name=\"reason\""));
    assert!(!page.body.contains(
        "class=\"fb-details\" id=\"fb-details\" method=\"post\" action=\"/retroaction\" hidden"
    ));
    // No, with reason and comment: personal data masked before storage.
    let a = app.post_encoded("/retroaction",
        "page=%2Fententes&answer=no&step=details&reason=unclear&comment=%C3%89crivez-moi+%C3%A0+ana%40exemple.org+ou+au+514+555-1234%2C+H2X+1Y4",
    )
    .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    let stored = store
        .list_feedback(&FeedbackFilter::default(), 10, 0)
        .await
        .unwrap();
    assert_eq!(stored.len(), 2);
    let no = stored
        .iter()
        .find(|f| f.answer == FeedbackAnswer::No)
        .unwrap();
    assert_eq!(no.path, "/ententes");
    assert_eq!(no.section, "agreements");
    assert_eq!(no.lang, "fr");
    assert_eq!(no.reason.as_deref(), Some("unclear"));
    assert_eq!(
        no.comment.as_deref(),
        Some("Écrivez-moi à [courriel masqué] ou au [téléphone masqué], [code postal masqué]")
    );
    let yes = stored
        .iter()
        .find(|f| f.answer == FeedbackAnswer::Yes)
        .unwrap();
    assert_eq!(yes.path, "/partenaires", "stored without the query");
}

/// The trap, a foreign page, a bad reason, a long comment, a cross-site post.
async fn feedback_form_refuses_bad_input(app: &TestApp) {
    let store = &app.store;
    // The trap: answered as if taken, nothing stored.
    let a = app
        .post_encoded(
            "/en/feedback",
            "page=%2Fen%2Fpartners&answer=yes&website=http%3A%2F%2Fspam",
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    assert_eq!(
        store
            .count_feedback(&FeedbackFilter::default())
            .await
            .unwrap(),
        2
    );
    // Bad input gets a clear error naming the field and the value.
    let a = app
        .post_encoded(
            "/retroaction",
            "page=https%3A%2F%2Fevil.example%2F&answer=yes",
        )
        .await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert!(a.body.contains("page") && a.body.contains("https://evil.example/"));
    let a = app
        .post_encoded(
            "/retroaction",
            "page=%2F&answer=no&step=details&reason=bogus",
        )
        .await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert!(a.body.contains("bogus"));
    let long = "x".repeat(1001);
    let a = app
        .post_encoded(
            "/retroaction",
            &format!("page=%2F&answer=no&step=details&comment={long}"),
        )
        .await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    // Cross-site posts are refused.
    let a = app
        .send(
            Request::builder()
                .method("POST")
                .uri("/retroaction")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header("sec-fetch-site", "cross-site")
                .body(Body::from("page=%2F&answer=yes"))
                .unwrap(),
        )
        .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
}

/// The API does the same in JSON.
async fn feedback_api_stores_answers(app: &TestApp) {
    let store = &app.store;
    let a = app
        .post_json(
            "/api/v1/feedback",
            serde_json::json!({"page": "/en/partners/baviere", "answer": "no", "reason": "missing",
                           "comment": "Call me at +1 (418) 555-0199 or ann@example.com"}),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    let f = store
        .list_feedback(
            &FeedbackFilter {
                lang: Some("en".into()),
                ..Default::default()
            },
            10,
            0,
        )
        .await
        .unwrap();
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].section, "partners");
    assert_eq!(
        f[0].comment.as_deref(),
        Some("Call me at [phone removed] or [email removed]")
    );
    let a = app
        .post_json(
            "/api/v1/feedback",
            serde_json::json!({"page": "/", "answer": "maybe"}),
        )
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(a.body.contains("answer") && a.body.contains("maybe"));
    let a = app
        .send(
            Request::builder()
                .method("POST")
                .uri("/api/v1/feedback")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from("{not json"))
                .unwrap(),
        )
        .await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
}

async fn feedback_is_rate_limited(app: &TestApp) {
    // Rate limit: ten per client per ten minutes (in-process tests share one
    // unknown-address bucket; 3 were taken above).
    let mut last = StatusCode::CREATED;
    for _ in 0..10 {
        last = app
            .post_json(
                "/api/v1/feedback",
                serde_json::json!({"page": "/", "answer": "yes"}),
            )
            .await
            .status;
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
    let a = app
        .post_encoded("/retroaction", "page=%2F&answer=yes")
        .await;
    assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS);
}

async fn caching_headers_and_downloads(db: &TestDb) {
    let app = TestApp::seeded(db).await;
    let store = app.store.clone();
    let a = app.get("/partenaires/baviere").await;
    let etag = a.headers[header::ETAG].to_str().unwrap().to_string();
    let lm = a.headers[header::LAST_MODIFIED]
        .to_str()
        .unwrap()
        .to_string();
    let again = app
        .send(
            Request::builder()
                .uri("/partenaires/baviere")
                .header(header::IF_NONE_MATCH, &etag)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.body.is_empty());
    let since = app
        .send(
            Request::builder()
                .uri("/partenaires/baviere")
                .header(header::IF_MODIFIED_SINCE, &lm)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(since.status, StatusCode::NOT_MODIFIED);
    // Compressed when asked.
    let gz = app
        .send(
            Request::builder()
                .uri("/partenaires")
                .header(header::ACCEPT_ENCODING, "br")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(gz.headers[header::CONTENT_ENCODING], "br");
    // A change to the record changes the page and its ETag.
    let p = store
        .get(RecordKind::Partner, "baviere", Visibility::Public)
        .await
        .unwrap()
        .unwrap();
    let mut json = p.record.to_json();
    json["summary"]["fr"] = "Résumé changé.".into();
    store
        .update(
            AnyRecord::from_json(RecordKind::Partner, json).unwrap(),
            RecordState::Published,
            p.version,
            "t",
            "n",
        )
        .await
        .unwrap();
    let changed = app.get("/partenaires/baviere").await;
    assert!(changed.body.contains("Résumé changé."));
    assert_ne!(changed.headers[header::ETAG].to_str().unwrap(), etag);

    let d = app
        .get("/documents/accord-quebec-canada-unesco-resume")
        .await;
    assert_eq!(d.status, StatusCode::OK);
    assert_eq!(d.headers[header::CONTENT_TYPE], "application/pdf");
    assert_eq!(d.headers[header::CONTENT_LENGTH], "3661");
    store.close().await;
}

async fn the_freshness_window_serves_the_snapshot_it_read(db: &TestDb) {
    let app = TestApp::seeded(db).await;
    let store = app.store.clone();
    let slow = TestApp::builder(db)
        .portal(paradiplo_web::PortalConfig {
            freshness: std::time::Duration::from_secs(3600),
            ..Default::default()
        })
        .build()
        .await;
    let before = figure(
        &slow.get("/partenaires-et-organisations").await.body,
        "partenaires bilatéraux",
    );
    store
        .create(
            partner("tyrol-fenetre", true),
            RecordState::Published,
            "t",
            "n",
        )
        .await
        .unwrap();
    // Within the window the snapshot read before the write is served…
    let a = slow.get("/partenaires-et-organisations").await;
    assert_eq!(figure(&a.body, "partenaires bilatéraux"), before);
    // …while a portal that checks on every request sees the write at once.
    let a = app.get("/partenaires-et-organisations").await;
    assert_ne!(figure(&a.body, "partenaires bilatéraux"), before);
    store.close().await;
}

/// The 2005 UNESCO Convention's public page gives its real timeline, in
/// order, in French and in English; the stage filter finds it where its
/// procedure stands (issue 6).
async fn the_2005_convention_page_shows_its_timeline(db: &TestDb) {
    let app = TestApp::seeded(db).await;
    let store = app.store.clone();
    let slug = "convention-diversite-expressions-culturelles";
    for (path, list, stage, events) in [
        (
            "/ententes",
            "/ententes?etape=entree-en-vigueur",
            "/ententes?etape=signature",
            [
                "20 octobre 2005",
                "Vote de l’Assemblée nationale",
                "10 novembre 2005",
                "28 novembre 2005",
                "Entrée en vigueur",
                "18 mars 2007",
            ],
        ),
        (
            "/en/agreements",
            "/en/agreements?stage=entree-en-vigueur",
            "/en/agreements?stage=signature",
            [
                "October 20, 2005",
                "Vote of the National Assembly",
                "November 10, 2005",
                "November 28, 2005",
                "Entry into force",
                "March 18, 2007",
            ],
        ),
    ] {
        let page = app.get(&format!("{path}/{slug}")).await;
        assert_eq!(page.status, StatusCode::OK);
        let mut at = 0;
        for e in events {
            let found = page.body[at..]
                .find(e)
                .unwrap_or_else(|| panic!("{path}: {e} missing or out of order"));
            at += found + e.len();
        }
        let link = format!("href=\"{path}/{slug}\"");
        assert!(app.get(list).await.body.contains(&link), "{list}");
        assert!(!app.get(stage).await.body.contains(&link), "{stage}");
    }
    store.close().await;
}

backend_tests!(
    the_freshness_window_serves_the_snapshot_it_read,
    the_2005_convention_page_shows_its_timeline,
    every_route_answers_in_both_languages,
    unknown_and_unpublished_records_are_not_found,
    filters_keep_their_state_in_the_url,
    hub_counts_equal_the_database,
    feedback_by_form_and_api,
    caching_headers_and_downloads,
);

#[test]
fn a_bad_config_file_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("paradiplo.toml");
    std::fs::write(&path, "[branding]\ncolours = { accent = \"blue\" }\n").unwrap();
    let e = paradiplo_web::PortalConfig::load(&path)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("paradiplo.toml") && e.contains("branding.colours.accent") && e.contains("blue"),
        "{e}"
    );
}
