//! Follow-ups over HTTP, on SQLite and PostgreSQL: an activity with its
//! follow-ups, "my" and team views, overdue detection at a fixed clock,
//! CSRF-protected state changes writing revisions, and the personal
//! iCalendar feed at a secret URL, parsed back.

use axum::http::StatusCode;
use paradiplo_core::{AnyRecord, RecordKind, RecordState, Role};
use paradiplo_store::{Store, Visibility};
use paradiplo_testkit::{TestDb, backend_tests};
use paradiplo_web::admin::AdminConfig;
use serde_json::{Value, json};
use std::sync::Arc;

use paradiplo_app::testkit::{Reply, TestApp};

use paradiplo_app::testkit::TEST_PASSWORD as PASSWORD;

struct App {
    app: TestApp,
    store: Store,
}

fn rec(kind: RecordKind, v: Value) -> AnyRecord {
    AnyRecord::from_json(kind, v).unwrap()
}

fn follow_up(slug: &str, title: &str, owner: &str, due: &str, state: &str) -> AnyRecord {
    rec(
        RecordKind::FollowUp,
        json!({"slug": slug, "title": {"fr": title, "en": title}, "activity": "mission-baviere",
               "owner": owner, "due": due, "state": state}),
    )
}

/// The table row of one follow-up in a list page.
fn row<'a>(html: &'a str, slug: &str) -> Option<&'a str> {
    let start = html.find(&format!("id=\"fu-{slug}\""))?;
    let tr_start = html[..start].rfind("<tr")?;
    let end = html[start..].find("</tr>")? + start;
    Some(&html[tr_start..end])
}

/// A partner, two people, a mission and its follow-ups: overdue, due today,
/// due in a month, done, and one owned by the reader.
fn seed_records() -> Vec<AnyRecord> {
    vec![
        rec(
            RecordKind::Domain,
            json!({"slug": "culture", "name": {"fr": "Culture", "en": "Culture"}}),
        ),
        rec(
            RecordKind::Partner,
            json!({"slug": "baviere", "name": {"fr": "Bavière", "en": "Bavaria"},
               "kind": "federated_state", "country": "DE", "subdivision": "DE-BY",
               "world_region": "western_europe", "domains": ["culture"],
               "summary": {"fr": "Partenaire.", "en": "Partner."}}),
        ),
        rec(
            RecordKind::Person,
            json!({"slug": "premier", "name": {"fr": "Première ministre"}}),
        ),
        rec(
            RecordKind::Person,
            json!({"slug": "delegue", "name": {"fr": "Délégué général"},
               "posts": [{"title": {"fr": "Ministre-président", "en": "Minister-President"},
                          "within": "partner:baviere", "since": "2018-03-16"}]}),
        ),
        rec(
            RecordKind::Activity,
            json!({"slug": "mission-baviere", "title": {"fr": "Mission en Bavière", "en": "Mission to Bavaria"},
               "kind": "mission", "status": "held", "start": "2029-12-01",
               "partners": ["baviere"],
               "participants": [
                   {"person": "premier", "role": {"fr": "Cheffe de mission", "en": "Head of mission"}},
                   {"person": "delegue", "role": {"fr": "Délégué", "en": "Delegate"}}],
               "subject": {"fr": "Coopération culturelle.", "en": "Cultural cooperation."}}),
        ),
        // The clock is 2030-01-10: due the 5th and open is overdue.
        follow_up(
            "envoyer-lettre",
            "Envoyer la lettre",
            "editor@x.org",
            "2030-01-05",
            "open",
        ),
        follow_up(
            "preparer-comite",
            "Préparer le comité",
            "editor@x.org",
            "2030-02-01",
            "in_progress",
        ),
        // Due the 10th itself: not overdue yet; due in a month: overdue only after its last day.
        follow_up(
            "rappeler-delegue",
            "Rappeler le délégué",
            "EDITOR@x.org",
            "2030-01-10",
            "open",
        ),
        follow_up(
            "bilan-annuel",
            "Bilan annuel",
            "editor@x.org",
            "2029-12",
            "open",
        ),
        follow_up(
            "rapport-fait",
            "Rapport fait",
            "editor@x.org",
            "2029-11-01",
            "done",
        ),
        follow_up(
            "note-lecteur",
            "Note du lecteur",
            "reader@x.org",
            "2029-11-01",
            "open",
        ),
    ]
}

impl App {
    async fn new(db: &TestDb) -> App {
        let clock = time::macros::datetime!(2030-01-10 10:00 UTC);
        let config = AdminConfig {
            argon2_memory_kib: 64,
            argon2_passes: 1,
            clock: Arc::new(move || clock),
            ..Default::default()
        };
        let app = TestApp::builder(db).seed(false).admin(config).build().await;
        let store = app.store.clone();
        let records = seed_records();
        for r in records {
            store
                .create(r, RecordState::Published, "seed", "seed")
                .await
                .unwrap();
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

    async fn post(&self, uri: &str, cookie: &str, form: &[(&str, &str)]) -> Reply {
        self.app.post_form(uri, cookie, form).await
    }

    /// Signs in; returns the session cookie and the CSRF token.
    async fn login(&self, email: &str) -> (String, String) {
        let session = self.app.session(email, PASSWORD).await;
        (session.cookie, session.csrf)
    }

    async fn follow_up(&self, slug: &str) -> (String, i64) {
        let s = self
            .store
            .get(RecordKind::FollowUp, slug, Visibility::Staff)
            .await
            .unwrap()
            .unwrap();
        let state = s.record.to_json()["state"].as_str().unwrap().to_string();
        (state, s.version)
    }
}

backend_tests!(
    my_and_team_views_flag_overdue_at_a_fixed_clock,
    state_changes_write_revisions_and_are_guarded,
    calendar_feed_is_secret_and_parses_back,
    partner_dossier_gathers_everything,
);

async fn partner_dossier_gathers_everything(db: &TestDb) {
    let app = App::new(db).await;
    app.store
        .insert_feedback(&paradiplo_store::NewFeedback {
            path: "/partenaires/baviere".into(),
            section: "partenaires".into(),
            lang: "fr".into(),
            answer: paradiplo_store::FeedbackAnswer::No,
            reason: Some("incomplete".into()),
            comment: Some("Il manque la mission de 2029.".into()),
        })
        .await
        .unwrap();
    let (reader, _) = app.login("reader@x.org").await;
    let res = app.get("/admin/dossiers/baviere", &reader).await;
    assert_eq!(res.status, StatusCode::OK);
    let body = res.body.replace("&#x2f;", "/");
    let section = |id: &str| {
        let start = body
            .find(&format!("<section id=\"{id}\">"))
            .unwrap_or_else(|| panic!("{id}"));
        let end = body[start..].find("</section>").unwrap() + start;
        body[start..end].to_string()
    };
    // The held mission, dated 1 December 2029 (the clock says 10 January 2030), with both participants.
    let past = section("admin_dossier_past");
    assert!(
        past.contains("Mission en Bavière") && past.contains("1er décembre 2029"),
        "{past}"
    );
    assert!(
        past.contains("Première ministre (Cheffe de mission)")
            && past.contains("Délégué général (Délégué)")
    );
    assert!(section("admin_dossier_planned").contains("Rien à signaler."));
    // Open and in-progress follow-ups of its activities; overdue flagged; done ones left out.
    let fu = section("admin_dossier_follow_ups");
    assert!(
        fu.contains("Envoyer la lettre")
            && fu.contains("Préparer le comité")
            && fu.contains("Note du lecteur")
    );
    assert!(!fu.contains("Rapport fait"));
    assert!(fu.contains("class=\"overdue\""));
    let people = section("admin_dossier_people");
    assert!(
        people.contains("Délégué général")
            && people.contains("Ministre-président — depuis 16 mars 2018"),
        "{people}"
    );
    // Who took part in its activities without a post there: with the role
    // and the activity; a person with a post is listed once, by the post.
    assert!(
        people.contains("Première ministre")
            && people.contains("Cheffe de mission — Mission en Bavière, 1er décembre 2029"),
        "{people}"
    );
    assert_eq!(people.matches("Délégué général").count(), 1, "{people}");
    assert!(section("admin_dossier_feedback").contains("Il manque la mission de 2029."));
    assert!(section("admin_dossier_agreements").contains("Rien à signaler."));
    assert!(body.contains("Note d’information au 10 janvier 2030"));
    // Linked from the partner's staff page; printable (the print rules exist).
    let record = app.get("/admin/records/partner/baviere", &reader).await;
    assert!(
        record
            .body
            .replace("&#x2f;", "/")
            .contains("href=\"/admin/dossiers/baviere\"")
    );
    let css = app.get("/static/admin.css", "").await;
    assert!(css.body.contains("@media print") && css.body.contains(".admin-nav"));
    // Unknown partner: 404; signed out: to the sign-in form.
    assert_eq!(
        app.get("/admin/dossiers/nope", &reader).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/admin/dossiers/baviere", "").await.status,
        StatusCode::SEE_OTHER
    );
}

async fn my_and_team_views_flag_overdue_at_a_fixed_clock(db: &TestDb) {
    let app = App::new(db).await;
    let (editor, _) = app.login("editor@x.org").await;
    let mine = app.get("/admin/follow-ups", &editor).await;
    assert_eq!(mine.status, StatusCode::OK);
    // The owner's e-mail matches whatever its case; the reader's is not mine.
    for slug in [
        "envoyer-lettre",
        "preparer-comite",
        "rappeler-delegue",
        "bilan-annuel",
        "rapport-fait",
    ] {
        assert!(row(&mine.body, slug).is_some(), "{slug} in my follow-ups");
    }
    assert!(row(&mine.body, "note-lecteur").is_none());
    let overdue = |html: &str, slug: &str| row(html, slug).unwrap().contains("class=\"overdue\"");
    assert!(overdue(&mine.body, "envoyer-lettre"), "due the 5th, open");
    assert!(
        overdue(&mine.body, "bilan-annuel"),
        "due in December 2029, open"
    );
    assert!(
        !overdue(&mine.body, "rappeler-delegue"),
        "due today is not late"
    );
    assert!(!overdue(&mine.body, "preparer-comite"), "due next month");
    assert!(!overdue(&mine.body, "rapport-fait"), "done is never late");
    assert!(
        mine.body.contains("Suivis en retard\u{a0}: 2"),
        "count of overdue"
    );
    // Overdue first.
    let first = mine.body.find("id=\"fu-").unwrap();
    let first_slug = &mine.body[first + 7..].split('"').next().unwrap();
    assert!(
        ["envoyer-lettre", "bilan-annuel"].contains(first_slug),
        "{first_slug}"
    );

    let team = app.get("/admin/follow-ups/team", &editor).await;
    assert_eq!(team.status, StatusCode::OK);
    assert!(overdue(&team.body, "note-lecteur"));
    assert!(
        row(&team.body, "note-lecteur")
            .unwrap()
            .contains("reader@x.org")
    );
    assert!(team.body.contains("Suivis en retard\u{a0}: 3"));
    // English.
    let en = app.get("/en/admin/follow-ups", &editor).await;
    assert!(en.body.contains("Overdue follow-ups: 2") && en.body.contains("My follow-ups"));
    // Signed out: to the sign-in form.
    let anon = app.get("/admin/follow-ups", "").await;
    assert_eq!(anon.status, StatusCode::SEE_OTHER);
    assert!(anon.location().starts_with("/admin/login"));
}

async fn state_changes_write_revisions_and_are_guarded(db: &TestDb) {
    let app = App::new(db).await;
    let (editor, csrf) = app.login("editor@x.org").await;
    let (_, v) = app.follow_up("envoyer-lettre").await;
    let path = "/admin/follow-ups/envoyer-lettre/state";
    let version = v.to_string();
    // Without the CSRF token: refused, nothing written.
    let res = app
        .post(
            path,
            &editor,
            &[("state", "in_progress"), ("_record_version", &version)],
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert_eq!(app.follow_up("envoyer-lettre").await, ("open".into(), v));
    // Open → in progress → done, each a new revision.
    let res = app
        .post(
            path,
            &editor,
            &[
                ("csrf", &csrf),
                ("state", "in_progress"),
                ("_record_version", &version),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(res.location(), "/admin/follow-ups?done=follow_up_state");
    assert_eq!(
        app.follow_up("envoyer-lettre").await,
        ("in_progress".into(), v + 1)
    );
    // A stale version (someone moved it meanwhile): 409, nothing written.
    let res = app
        .post(
            path,
            &editor,
            &[
                ("csrf", &csrf),
                ("state", "done"),
                ("_record_version", &version),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    assert_eq!(app.follow_up("envoyer-lettre").await.1, v + 1);
    let next = (v + 1).to_string();
    let res = app
        .post(
            path,
            &editor,
            &[
                ("csrf", &csrf),
                ("state", "done"),
                ("_record_version", &next),
                ("back", "team"),
            ],
        )
        .await;
    assert_eq!(
        res.location(),
        "/admin/follow-ups/team?done=follow_up_state"
    );
    assert_eq!(
        app.follow_up("envoyer-lettre").await,
        ("done".into(), v + 2)
    );
    let history = app
        .store
        .history(RecordKind::FollowUp, "envoyer-lettre")
        .await
        .unwrap();
    let notes: Vec<_> = history
        .iter()
        .map(|r| (r.author.as_str(), r.note.as_str()))
        .collect();
    assert!(
        notes.contains(&("editor@x.org", "state: open → in_progress")),
        "{notes:?}"
    );
    assert!(
        notes.contains(&("editor@x.org", "state: in_progress → done")),
        "{notes:?}"
    );
    // Done: no longer flagged.
    let mine = app
        .get("/admin/follow-ups?done=follow_up_state", &editor)
        .await;
    assert!(
        !row(&mine.body, "envoyer-lettre")
            .unwrap()
            .contains("class=\"overdue\"")
    );
    assert!(mine.body.contains("État du suivi enregistré."));
    unknown_state_or_follow_up_is_refused(&app, &editor, &csrf, v + 2).await;
    reader_moves_only_own_follow_ups(&app).await;
}

/// An unknown state is a 400; an unknown follow-up a 404.
async fn unknown_state_or_follow_up_is_refused(app: &App, editor: &str, csrf: &str, v: i64) {
    let path = "/admin/follow-ups/envoyer-lettre/state";
    let version = v.to_string();
    let res = app
        .post(
            path,
            editor,
            &[
                ("csrf", csrf),
                ("state", "finished"),
                ("_record_version", &version),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    let res = app
        .post(
            "/admin/follow-ups/nope/state",
            editor,
            &[("csrf", csrf), ("state", "done"), ("_record_version", "1")],
        )
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
}

/// A reader may move their own follow-up, not someone else's.
async fn reader_moves_only_own_follow_ups(app: &App) {
    let (reader, rcsrf) = app.login("reader@x.org").await;
    let (_, rv) = app.follow_up("note-lecteur").await;
    let res = app
        .post(
            "/admin/follow-ups/preparer-comite/state",
            &reader,
            &[
                ("csrf", &rcsrf),
                ("state", "done"),
                (
                    "_record_version",
                    &app.follow_up("preparer-comite").await.1.to_string(),
                ),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert_eq!(app.follow_up("preparer-comite").await.0, "in_progress");
    let team = app.get("/admin/follow-ups/team", &reader).await;
    assert!(
        !row(&team.body, "preparer-comite")
            .unwrap()
            .contains("<button"),
        "no buttons on others' rows"
    );
    assert!(row(&team.body, "note-lecteur").unwrap().contains("<button"));
    let res = app
        .post(
            "/admin/follow-ups/note-lecteur/state",
            &reader,
            &[
                ("csrf", &rcsrf),
                ("state", "in_progress"),
                ("_record_version", &rv.to_string()),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.follow_up("note-lecteur").await,
        ("in_progress".into(), rv + 1)
    );
}

async fn calendar_feed_is_secret_and_parses_back(db: &TestDb) {
    let app = App::new(db).await;
    let (editor, csrf) = app.login("editor@x.org").await;
    let page = app.get("/admin/follow-ups", &editor).await;
    assert!(page.body.contains("Créer l’adresse du calendrier"));
    let res = app.post("/admin/follow-ups/calendar", &editor, &[]).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN, "no CSRF, no token");
    let res = app
        .post("/admin/follow-ups/calendar", &editor, &[("csrf", &csrf)])
        .await;
    assert_eq!(res.status, StatusCode::OK);
    let start = res.body.find("<code class=\"feed-url\">").unwrap() + 23;
    let url = res.body[start..].split('<').next().unwrap().to_string();
    assert!(url.starts_with("/admin/follow-ups/calendar/pdc_"), "{url}");
    // Shown once: the list page only says when it was created.
    let later = app.get("/admin/follow-ups", &editor).await;
    assert!(!later.body.contains(&url) && later.body.contains("Adresse créée le"));

    // No session needed: the secret is the credential.
    let feed = app.get(&url, "").await;
    assert_eq!(feed.status, StatusCode::OK);
    let unfolded = icalendar::parser::unfold(&feed.body);
    let cal = icalendar::parser::read_calendar(&unfolded).unwrap();
    let mut events: Vec<(String, String, String)> = cal
        .components
        .iter()
        .filter(|c| c.name == "VEVENT")
        .map(|c| {
            let prop = |n: &str| {
                c.properties
                    .iter()
                    .find(|p| p.name == n)
                    .map(|p| p.val.to_string())
                    .unwrap_or_default()
            };
            (prop("UID"), prop("SUMMARY"), prop("DTSTART"))
        })
        .collect();
    events.sort();
    // The editor's open and in-progress follow-ups; not the done one, not the reader's.
    assert_eq!(
        events,
        vec![
            (
                "follow-up-bilan-annuel@paradiplo".into(),
                "Bilan annuel (En retard)".into(),
                "20291231".into()
            ),
            (
                "follow-up-envoyer-lettre@paradiplo".into(),
                "Envoyer la lettre (En retard)".into(),
                "20300105".into()
            ),
            (
                "follow-up-preparer-comite@paradiplo".into(),
                "Préparer le comité".into(),
                "20300201".into()
            ),
            (
                "follow-up-rappeler-delegue@paradiplo".into(),
                "Rappeler le délégué".into(),
                "20300110".into()
            ),
        ]
    );
    assert!(feed.body.contains("X-WR-CALNAME:Mes suivis"));
    // English feed at the English address.
    let en = app.get(&url.replacen("/admin", "/en/admin", 1), "").await;
    assert!(en.body.contains("(Overdue)") && en.body.contains("My follow-ups"));

    // Unknown or replaced secrets: 404.
    assert_eq!(
        app.get("/admin/follow-ups/calendar/pdc_0000", "")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let res = app
        .post("/admin/follow-ups/calendar", &editor, &[("csrf", &csrf)])
        .await;
    assert!(res.body.contains("<code class=\"feed-url\">"));
    assert_eq!(app.get(&url, "").await.status, StatusCode::NOT_FOUND);
}
