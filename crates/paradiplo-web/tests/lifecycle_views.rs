//! Agreements through their lifecycle over HTTP (issue 6), on SQLite and
//! PostgreSQL: the staff follow-up lists and deadlines show the rows of a
//! dataset built for the test (drafts included), the iCalendar feed parses
//! back to the view's deadlines, the secret subscription address, refused
//! transitions in the edit form, the agreement page's procedure box, the
//! public stage filter, and anonymous visitors refused with nothing leaked.

use axum::http::StatusCode;
use paradiplo_core::views;
use paradiplo_core::{AnyRecord, RecordKind, RecordState, Role};
use paradiplo_store::{Store, Visibility};
use paradiplo_testkit::{TestDb, backend_tests};
use paradiplo_web::admin::AdminConfig;
use serde_json::{Value, json};
use sqlx::Row;
use std::sync::Arc;

use paradiplo_app::testkit::{Reply, TestApp, hidden};

use paradiplo_app::testkit::TEST_PASSWORD as PASSWORD;

struct App {
    app: TestApp,
    store: Store,
}

fn t(fr: &str, en: &str) -> Value {
    json!({"fr": fr, "en": en})
}

fn pstep(key: &str, next: &[&str]) -> Value {
    json!({
        "key": key,
        "name": t(&format!("Étape {key}"), &format!("Step {key}")),
        "description": t("Description.", "Description."),
        "actor": t("Gouvernement", "Government"),
        "next": next,
    })
}

/// A small treaty procedure: a 10-day wait after tabling before the debate,
/// a binding decree, urgency tabling within 30 days of the decree.
fn procedure() -> Value {
    let mut steps = vec![
        pstep("position", &["signature"]),
        pstep("signature", &["depot", "decret"]),
        pstep("depot", &["debat"]),
        pstep("debat", &["approbation", "rejet"]),
        pstep("approbation", &["decret"]),
        pstep("rejet", &[]),
        pstep("decret", &["depot-urgence", "vigueur"]),
        pstep("depot-urgence", &["vigueur"]),
        pstep("vigueur", &[]),
    ];
    steps[0]["entry"] = true.into();
    steps[1]["entry"] = true.into();
    steps[3]["min_days_after"] = json!({"step": "depot", "days": 10});
    steps[4]["min_days_after"] = json!({"step": "depot", "days": 10});
    steps[6]["binds_home"] = true.into();
    steps[7]["max_days_after"] = json!({"step": "decret", "days": 30});
    json!({
        "slug": "traite",
        "name": t("Traité", "Treaty"),
        "summary": t("Procédure.", "Procedure."),
        "steps": steps,
    })
}

fn agreement(slug: &str, title: &str, extra: Value) -> AnyRecord {
    let mut v = json!({
        "slug": slug,
        "title": t(title, &format!("{title} (en)")),
        "kind": "canada_treaty",
        "procedure": "traite",
        "status": "in_approval",
        "parties": [{"party": "home"}, {"party": "country:FR"}],
        "summary": t("Résumé.", "Summary."),
    });
    for (k, x) in extra.as_object().unwrap() {
        v[k] = x.clone();
    }
    AnyRecord::from_json(RecordKind::Agreement, v).unwrap()
}

fn step(key: &str, date: &str) -> Value {
    json!({"step": key, "date": date})
}

/// The home state, the procedure, four agreements at different stages (one a
/// draft) and a draft position, each with the state it is created in.
fn seed_records() -> Vec<(AnyRecord, RecordState)> {
    vec![
        (
            AnyRecord::from_json(
                RecordKind::Home,
                json!({
                    "slug": "quebec",
                    "name": t("Québec", "Québec"),
                    "country": "CA",
                    "subdivision": "CA-QC",
                    "government": t("gouvernement du Québec", "Government of Québec"),
                    "ministry": t("Ministère", "Ministry"),
                    "summary": t("Résumé.", "Summary."),
                }),
            )
            .unwrap(),
            RecordState::Published,
        ),
        (
            AnyRecord::from_json(RecordKind::Procedure, procedure()).unwrap(),
            RecordState::Published,
        ),
        // Tabled on 28 December 2029: the debate may come from 7 January.
        (
            agreement(
                "traite-a",
                "Traité A",
                json!({"reference": "2029-AC01", "steps": [step("signature", "2029-11-01"), step("depot", "2029-12-28")]}),
            ),
            RecordState::Published,
        ),
        // In force internationally, never declared bound, nothing planned.
        (
            agreement(
                "entente-b",
                "Entente B",
                json!({
                    "kind": "entente_bilateral",
                    "procedure": null,
                    "status": "signed",
                    "international_status": "in_force",
                    "commitments": [{
                        "kind": "report",
                        "description": t("Rapport annuel", "Annual report"),
                        "responsible": t("Ministère de la Culture", "Ministry of Culture"),
                        "due": "2030-03-15"
                    }]
                }),
            ),
            RecordState::Published,
        ),
        // A draft: staff see it, the public does not.
        (
            agreement(
                "traite-c",
                "Traité C",
                json!({
                    "status": "negotiation",
                    "steps": [step("position", "2029-10-01")],
                    "planned": [{"step": "signature", "due": "2030-05-02"}]
                }),
            ),
            RecordState::Draft,
        ),
        // Bound by decree on 20 December 2029: urgency tabling due by 19 January.
        (
            agreement(
                "traite-d",
                "Traité D",
                json!({
                    "status": "in_force",
                    "international_status": "in_force",
                    "steps": [step("signature", "2029-06-01"), step("decret", "2029-12-20")]
                }),
            ),
            RecordState::Published,
        ),
        (
            AnyRecord::from_json(
                RecordKind::Position,
                json!({
                    "slug": "position-p",
                    "title": t("Position P", "Position P (en)"),
                    "agreement": "traite-a",
                    "status": "approved",
                    "recipient": t("Gouvernement fédéral", "Federal government"),
                    "summary": t("Position.", "Position."),
                }),
            )
            .unwrap(),
            RecordState::Draft,
        ),
    ]
}

impl App {
    async fn new(db: &TestDb) -> App {
        let config = AdminConfig {
            argon2_memory_kib: 64,
            argon2_passes: 1,
            clock: Arc::new(|| time::macros::datetime!(2030-01-01 10:00 UTC)),
            ..Default::default()
        };
        let app = TestApp::builder(db).seed(false).admin(config).build().await;
        let store = app.store.clone();
        for (record, state) in seed_records() {
            store.create(record, state, "seed", "seed").await.unwrap();
        }
        for (email, role) in [
            ("reader@x.org", Role::Reader),
            ("editor@x.org", Role::Editor),
        ] {
            app.add_staff(email, role).await;
        }
        App { app, store }
    }

    async fn get(&self, uri: &str, cookie: &str) -> Reply {
        self.app.get_as(uri, cookie).await
    }

    async fn post(&self, uri: &str, cookie: &str, form: &[(String, String)]) -> Reply {
        self.app.post_form(uri, cookie, form).await
    }

    /// Signs in; returns the session cookie and the CSRF token.
    async fn login(&self, email: &str) -> (String, String) {
        let session = self.app.session(email, PASSWORD).await;
        (session.cookie, session.csrf)
    }
}

/// The part of a page between two markers.
fn between<'a>(html: &'a str, from: &str, to: &str) -> &'a str {
    let start = html.find(from).unwrap_or_else(|| panic!("no {from}"));
    let rest = &html[start..];
    &rest[..rest.find(to).unwrap_or(rest.len())]
}

/// The `datetime` attributes of a page, in order.
fn datetimes(html: &str) -> Vec<String> {
    html.split("datetime=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap().to_string())
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

async fn follow_up_lists_show_their_rows(db: &TestDb) {
    let app = App::new(db).await;
    let (cookie, _) = app.login("reader@x.org").await;
    let dash = app.get("/admin/", &cookie).await;
    assert!(dash.body.contains("href=\"/admin/lifecycle\""));
    assert!(dash.body.contains("href=\"/admin/deadlines\""));

    let page = app.get("/admin/lifecycle", &cookie).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = &page.body;
    let awaiting = between(html, "id=\"awaiting-h\"", "id=\"waiting-h\"");
    assert!(awaiting.contains("href=\"/admin/records/agreement/traite-a\""));
    assert!(awaiting.contains("2029-AC01"));
    assert!(
        awaiting.contains("href=\"/admin/records/agreement/traite-c\""),
        "drafts are in the staff lists"
    );
    assert!(awaiting.contains("Étape depot"), "the step each stands at");
    assert!(!awaiting.contains("traite-d"), "bound by decree");
    assert!(!awaiting.contains("entente-b"), "not a federal treaty");
    let waiting = between(html, "id=\"waiting-h\"", "id=\"positions-h\"");
    assert!(waiting.contains("traite-a"));
    assert!(waiting.contains("<time datetime=\"2030-01-07\">7 janvier 2030</time>"));
    assert!(waiting.contains("Étape debat"));
    assert!(!waiting.contains("traite-d"));
    let positions = between(html, "id=\"positions-h\"", "id=\"disagree-h\"");
    assert!(positions.contains("href=\"/admin/records/position/position-p\""));
    assert!(positions.contains("Gouvernement fédéral"));
    assert!(positions.contains("href=\"/admin/records/agreement/traite-a\""));
    let disagree = between(html, "id=\"disagree-h\"", "</section>");
    assert!(disagree.contains("href=\"/admin/records/agreement/entente-b\""));
    assert!(disagree.contains("class=\"warning\">À vérifier"));
    assert!(!disagree.contains("traite-d"), "bound: no disagreement");

    let en = app.get("/en/admin/lifecycle", &cookie).await;
    assert_eq!(en.status, StatusCode::OK);
    assert!(en.body.contains("Treaties awaiting Québec’s approval"));
    assert!(
        en.body
            .contains("<time datetime=\"2030-01-07\">January 7, 2030</time>")
    );
    assert!(en.body.contains("To check"));
    assert!(
        en.body
            .contains("href=\"/en/admin/records/agreement/entente-b\"")
    );
}

async fn deadlines_follow_the_view_and_the_window(db: &TestDb) {
    let app = App::new(db).await;
    let (cookie, _) = app.login("reader@x.org").await;
    let reg = app.store.registry(Visibility::Staff).await.unwrap();
    let today = time::macros::date!(2030 - 01 - 01);
    let expected: Vec<String> =
        views::upcoming_deadlines(&reg, today, views::add_months(today, 12))
            .iter()
            .map(|d| d.date.to_string())
            .collect();
    assert_eq!(
        expected,
        ["2030-01-07", "2030-01-19", "2030-03-15", "2030-05-02"],
        "the dataset's deadlines: a wait, a tabling deadline, a report, a planned step"
    );
    let page = app.get("/admin/deadlines", &cookie).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(datetimes(&page.body), expected);
    assert!(
        page.body
            .contains("Possible à partir de cette date\u{a0}: Étape debat")
    );
    assert!(
        page.body
            .contains("Au plus tard à cette date\u{a0}: Étape depot-urgence")
    );
    assert!(
        page.body
            .contains("Rapport à produire\u{a0}: Rapport annuel")
    );
    assert!(
        page.body
            .contains("Responsable\u{a0}: Ministère de la Culture")
    );
    assert!(page.body.contains("Étape prévue\u{a0}: Étape signature"));
    assert!(
        page.body
            .contains("href=\"/admin/records/agreement/traite-c\"")
    );
    // The window is adjustable and kept in the form.
    let page = app
        .get("/admin/deadlines?from=2030-02-01&to=2030-04-01", &cookie)
        .await;
    assert_eq!(datetimes(&page.body), ["2030-03-15"]);
    assert!(page.body.contains("value=\"2030-02-01\""));
    assert!(page.body.contains("value=\"2030-04-01\""));
    // Bad input names the field and the value.
    let page = app.get("/admin/deadlines?from=2030-13-01", &cookie).await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(
        page.body.contains("Du\u{a0}: date attendue"),
        "{}",
        page.body
    );
    assert!(page.body.contains("«\u{a0}2030-13-01\u{a0}»"));
    let page = app.get("/en/admin/deadlines?to=2029-01-01", &cookie).await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(page.body.contains("To: date expected"));
    let en = app.get("/en/admin/deadlines", &cookie).await;
    assert!(en.body.contains("Possible from this date: Step debat"));
    assert!(
        en.body
            .contains("<time datetime=\"2030-03-15\">March 15, 2030</time>")
    );
}

fn parse_ics(text: &str) -> Vec<(String, String, String)> {
    let unfolded = icalendar::parser::unfold(text);
    let cal = icalendar::parser::read_calendar(&unfolded).unwrap();
    cal.components
        .iter()
        .filter(|c| c.name == "VEVENT")
        .map(|c| {
            let p = |n: &str| {
                c.find_prop(n)
                    .map(|p| p.val.to_string())
                    .unwrap_or_default()
            };
            (p("DTSTART"), p("SUMMARY"), p("UID"))
        })
        .collect()
}

async fn calendar_feed_parses_back_to_the_deadlines(db: &TestDb) {
    let app = App::new(db).await;
    let (cookie, csrf) = app.login("reader@x.org").await;
    let reg = app.store.registry(Visibility::Staff).await.unwrap();
    let today = time::macros::date!(2030 - 01 - 01);
    let view = views::upcoming_deadlines(&reg, today, views::add_months(today, 12));
    let res = app.get("/admin/deadlines.ics", &cookie).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.content_type(), "text/calendar; charset=utf-8");
    let events = parse_ics(&res.body);
    assert_eq!(events.len(), view.len());
    for (event, d) in events.iter().zip(&view) {
        let day = d.date.to_string().replace('-', "");
        assert_eq!(event.0, day);
        assert!(
            event
                .1
                .contains(d.agreement.title.get(paradiplo_core::Lang::Fr)),
            "{event:?}"
        );
        assert!(event.2.starts_with(&format!("{}.", d.agreement.slug)));
    }
    let mut uids: Vec<&String> = events.iter().map(|e| &e.2).collect();
    uids.dedup();
    assert_eq!(uids.len(), view.len(), "UIDs are unique");
    let en = parse_ics(&app.get("/en/admin/deadlines.ics", &cookie).await.body);
    assert_eq!(en.len(), view.len());
    assert!(en[0].1.contains("Possible from this date"));

    // Anonymous: refused, nothing of the calendar.
    for uri in [
        "/admin/deadlines.ics",
        "/admin/deadlines.ics?token=0123abcd",
    ] {
        let res = app.get(uri, "").await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED, "{uri}");
        assert!(!res.body.contains("VCALENDAR") && !res.body.contains("Traité"));
    }

    calendar_secret_is_shown_once_and_revocable(&app, &cookie, &csrf, &events).await;
}

/// A secret address of one's own: created, shown once, stored hashed; it
/// stops working when revoked or when its account is disabled.
async fn calendar_secret_is_shown_once_and_revocable(
    app: &App,
    cookie: &str,
    csrf: &str,
    events: &[(String, String, String)],
) {
    // A secret address of one's own: created, shown once, stored hashed.
    let page = app.get("/admin/calendar", cookie).await;
    assert!(
        page.body
            .contains("Vous n’avez pas d’adresse d’abonnement.")
    );
    let refused = app.post("/admin/calendar", cookie, &[]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "CSRF checked");
    let res = app
        .post("/admin/calendar", cookie, &pairs(&[("csrf", csrf)]))
        .await;
    assert_eq!(res.status, StatusCode::OK);
    let secret = shown_secret(&res.body);
    assert!(secret.starts_with("pdc_") && secret.len() == 68, "{secret}");
    let stored: Vec<String> = sqlx::query("SELECT token_hash FROM calendar_secrets")
        .fetch_all(app.store.pool())
        .await
        .unwrap()
        .iter()
        .map(|r| r.try_get(0).unwrap())
        .collect();
    assert_eq!(stored, [paradiplo_web::admin::auth::sha256_hex(&secret)]);
    let page = app.get("/admin/calendar", cookie).await;
    assert!(!page.body.contains(&secret), "shown once only");
    let by_token = app
        .get(&format!("/admin/deadlines.ics?token={secret}"), "")
        .await;
    assert_eq!(by_token.status, StatusCode::OK);
    assert_eq!(parse_ics(&by_token.body), events);
    // Revoked: the address stops working at once.
    let res = app
        .post("/admin/calendar/revoke", cookie, &pairs(&[("csrf", csrf)]))
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let by_token = app
        .get(&format!("/admin/deadlines.ics?token={secret}"), "")
        .await;
    assert_eq!(by_token.status, StatusCode::UNAUTHORIZED);
    assert!(!by_token.body.contains("VCALENDAR"));
    // A new address works until its account is disabled.
    let res = app
        .post("/admin/calendar", cookie, &pairs(&[("csrf", csrf)]))
        .await;
    let secret = shown_secret(&res.body);
    let uri = format!("/en/admin/deadlines.ics?token={secret}");
    assert_eq!(app.get(&uri, "").await.status, StatusCode::OK);
    let reader = app.store.users().await.unwrap();
    let reader = reader.iter().find(|u| u.email == "reader@x.org").unwrap();
    app.store.set_user_disabled(reader.id, true).await.unwrap();
    assert_eq!(app.get(&uri, "").await.status, StatusCode::UNAUTHORIZED);

    /// The calendar secret in the page that shows it once.
    fn shown_secret(body: &str) -> String {
        body.split("deadlines.ics?token=")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_string()
    }
}

async fn anonymous_visitors_see_nothing(db: &TestDb) {
    let app = App::new(db).await;
    for uri in [
        "/admin/lifecycle",
        "/en/admin/lifecycle",
        "/admin/deadlines",
        "/en/admin/deadlines?from=2030-01-01",
        "/admin/calendar",
    ] {
        let res = app.get(uri, "").await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{uri}");
        assert!(res.location().contains("/login?next="), "{uri}");
        for secret in ["traite", "Traité", "position-p", "Rapport annuel"] {
            assert!(!res.body.contains(secret), "{uri} leaks {secret}");
        }
    }
    for uri in ["/admin/calendar", "/admin/calendar/revoke"] {
        let res = app.post(uri, "", &[]).await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED, "{uri}");
    }
}

async fn refused_transitions_sit_next_to_the_steps(db: &TestDb) {
    let app = App::new(db).await;
    let (cookie, csrf) = app.login("editor@x.org").await;
    // The agreement's page says where its procedure stands.
    let page = app.get("/admin/records/agreement/traite-a", &cookie).await;
    assert_eq!(page.status, StatusCode::OK);
    let proc_box = between(&page.body, "id=\"proc-h\"", "</section>");
    assert!(proc_box.contains("Étape actuelle"));
    assert!(
        proc_box.contains("<li>Étape debat (debat)</li>"),
        "{proc_box}"
    );
    assert!(!proc_box.contains("Étape approbation (approbation)"));
    assert!(proc_box.contains(
        "Étape debat\u{a0}: pas avant le 7 janvier 2030 (10\u{a0}jours après Étape depot)"
    ));
    let page = app
        .get("/en/admin/records/agreement/traite-d", &cookie)
        .await;
    let proc_box = between(&page.body, "id=\"proc-h\"", "</section>");
    assert!(proc_box.contains("<li>Step vigueur (vigueur)</li>"));
    assert!(proc_box.contains(
        "Step depot-urgence: no later than January 19, 2030 (30\u{a0}days after Step decret)"
    ));

    // A step the procedure does not allow after tabling: refused, nothing written.
    let edit = app
        .get("/admin/records/agreement/traite-a/edit", &cookie)
        .await;
    let version = hidden(&edit.body, "_record_version");
    let bad = agreement(
        "traite-a",
        "Traité A",
        json!({"reference": "2029-AC01", "steps": [
            step("signature", "2029-11-01"), step("depot", "2029-12-28"), step("approbation", "2030-01-20")
        ]}),
    );
    let mut form = paradiplo_web::admin::form_pairs(&bad);
    form.extend(pairs(&[
        ("note", "approbation"),
        ("_record_version", &version),
        ("csrf", &csrf),
    ]));
    let before = app.store.drafts().await.unwrap().len();
    for (base, message) in [
        (
            "/admin",
            "étape non permise après l’étape «\u{a0}depot\u{a0}»; étapes permises\u{a0}: debat",
        ),
        (
            "/en/admin",
            "step not allowed after step “depot”; allowed steps: debat",
        ),
    ] {
        let res = app
            .post(
                &format!("{base}/records/agreement/traite-a/edit"),
                &cookie,
                &form,
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
        let err = between(&res.body, "id=\"f-steps-2-step-err\">", "</p>");
        assert!(err.contains(message), "{err}");
    }
    assert_eq!(
        app.store.drafts().await.unwrap().len(),
        before,
        "nothing saved"
    );
}

async fn public_list_filters_by_stage(db: &TestDb) {
    let app = App::new(db).await;
    let all = app.get("/ententes", "").await;
    assert_eq!(all.status, StatusCode::OK);
    assert!(all.body.contains("value=\"depot\""), "a stage option");
    assert!(all.body.contains("value=\"decret\""));
    assert!(
        !all.body.contains("value=\"position\""),
        "traite-c is a draft"
    );
    assert!(!all.body.contains("Traité C"));
    let at_depot = app.get("/ententes?etape=depot", "").await;
    assert!(at_depot.body.contains("href=\"/ententes/traite-a\""));
    assert!(!at_depot.body.contains("href=\"/ententes/traite-d\""));
    assert!(!at_depot.body.contains("href=\"/ententes/entente-b\""));
    assert!(
        at_depot.body.contains("/en/agreements?stage=depot"),
        "the state stays in the URL"
    );
    let en = app.get("/en/agreements?stage=decret", "").await;
    assert!(en.body.contains("href=\"/en/agreements/traite-d\""));
    assert!(!en.body.contains("href=\"/en/agreements/traite-a\""));
    assert!(en.body.contains("Procedure stage"));
    // An unknown stage is ignored, as other filters' unknown values are.
    let unknown = app.get("/ententes?etape=inconnue", "").await;
    assert!(unknown.body.contains("href=\"/ententes/traite-a\""));
    assert!(unknown.body.contains("href=\"/ententes/traite-d\""));
}

backend_tests!(
    follow_up_lists_show_their_rows,
    deadlines_follow_the_view_and_the_window,
    calendar_feed_parses_back_to_the_deadlines,
    anonymous_visitors_see_nothing,
    refused_transitions_sit_next_to_the_steps,
    public_list_filters_by_stage,
    bundled_ceta_awaits_its_order_in_council_not_approval,
);

/// On the bundled registry: CETA, approved by the National Assembly on
/// 14 June 2017, awaits the order in council, not the approval; its page
/// and the 2005 Convention's give their real acts, in both languages.
async fn bundled_ceta_awaits_its_order_in_council_not_approval(db: &TestDb) {
    let app = TestApp::seeded(db).await;
    let session = app.staff(Role::Reader).await;
    let page = app.get_as("/admin/lifecycle", &session.cookie).await;
    assert_eq!(page.status, StatusCode::OK);
    let ceta = "href=\"/admin/records/agreement/aecg\"";
    let awaiting = between(&page.body, "id=\"awaiting-h\"", "id=\"binding-h\"");
    assert!(!awaiting.contains(ceta), "CETA is approved: {awaiting}");
    let binding = between(&page.body, "id=\"binding-h\"", "id=\"waiting-h\"");
    assert!(
        binding.contains(ceta),
        "CETA awaits its order in council: {binding}"
    );
    for (uri, said) in [
        (
            "/ententes/aecg",
            ["14 juin 2017", "Assemblée nationale", "21 septembre 2017"],
        ),
        (
            "/en/agreements/aecg",
            ["June 14, 2017", "National Assembly", "September 21, 2017"],
        ),
        // The 2005 Convention was adopted by UNESCO's General Conference,
        // approved by the Assembly, ratified by Canada, then in force.
        (
            "/ententes/convention-diversite-expressions-culturelles",
            ["20 octobre 2005", "10 novembre 2005", "18 mars 2007"],
        ),
        (
            "/en/agreements/convention-diversite-expressions-culturelles",
            ["October 20, 2005", "November 10, 2005", "March 18, 2007"],
        ),
    ] {
        let html = app.get_ok(uri).await;
        for s in said {
            assert!(html.contains(s), "{uri}: {s}");
        }
    }
}
