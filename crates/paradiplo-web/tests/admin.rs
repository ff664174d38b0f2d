//! The staff workspace over HTTP, on SQLite and PostgreSQL: the role matrix
//! of every mutating route, CSRF, the login lock, validation errors, and edit
//! conflicts.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use paradiplo_core::{AnyRecord, RecordKind, RecordState, Role, Text};
use paradiplo_store::{EditBase, PublishRequest, Store, Visibility};
use paradiplo_testkit::{TestDb, backend_tests};
use paradiplo_web::admin::AdminConfig;
use serde_json::json;
use sqlx::Row;
use std::sync::{Arc, Mutex};
use time::OffsetDateTime;

use paradiplo_app::testkit::{Reply, TestApp, enc, hidden};

use paradiplo_app::testkit::TEST_PASSWORD as PASSWORD;

struct App {
    app: TestApp,
    store: Store,
    clock: Arc<Mutex<OffsetDateTime>>,
}

impl App {
    async fn new(db: &TestDb) -> App {
        let clock = Arc::new(Mutex::new(time::macros::datetime!(2030-01-01 10:00 UTC)));
        let c = clock.clone();
        let config = AdminConfig {
            argon2_memory_kib: 64,
            argon2_passes: 1,
            clock: Arc::new(move || *c.lock().unwrap()),
            ..Default::default()
        };
        let app = TestApp::builder(db).seed(false).admin(config).build().await;
        let store = app.store.clone();
        store
            .create(
                AnyRecord::from_json(
                    RecordKind::Domain,
                    json!({"slug": "culture", "name": {"fr": "Culture", "en": "Culture"}}),
                )
                .unwrap(),
                RecordState::Published,
                "seed",
                "seed",
            )
            .await
            .unwrap();
        store
            .create(
                partner("Partenaire depuis 1989."),
                RecordState::Published,
                "seed",
                "seed",
            )
            .await
            .unwrap();
        for (email, role) in [
            ("reader@x.org", Role::Reader),
            ("editor@x.org", Role::Editor),
            ("editor2@x.org", Role::Editor),
            ("publisher@x.org", Role::Publisher),
            ("admin@x.org", Role::Admin),
            ("target@x.org", Role::Reader),
        ] {
            app.add_staff(email, role).await;
        }
        App { app, store, clock }
    }

    async fn send(&self, req: Request<Body>) -> Reply {
        self.app.send(req).await
    }

    async fn get(&self, uri: &str, cookie: &str) -> Reply {
        self.app.get_as(uri, cookie).await
    }

    async fn post(&self, uri: &str, cookie: &str, form: &[(&str, &str)]) -> Reply {
        self.app.post_form(uri, cookie, form).await
    }

    /// Signs in through the form; returns the session cookie and the CSRF token.
    async fn login(&self, email: &str) -> Session {
        let (status, session) = self.try_login(email, PASSWORD).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "login of {email}");
        let session = session.unwrap();
        let page = self.get("/admin/", &session).await;
        assert_eq!(page.status, StatusCode::OK);
        Session {
            cookie: session,
            csrf: hidden(&page.body, "csrf"),
        }
    }

    async fn try_login(&self, email: &str, password: &str) -> (StatusCode, Option<String>) {
        self.app.sign_in(email, password).await
    }

    /// A fingerprint of everything a staff action can write.
    async fn written(&self) -> Vec<i64> {
        let row = sqlx::query(
            "SELECT (SELECT COUNT(*) FROM revisions), (SELECT COUNT(*) FROM drafts), \
             (SELECT CAST(COALESCE(SUM(revision), 0) AS BIGINT) FROM drafts), \
             (SELECT COUNT(*) FROM drafts WHERE status = 'submitted'), \
             (SELECT COUNT(*) FROM drafts WHERE scheduled_at IS NOT NULL), \
             (SELECT COUNT(*) FROM users), (SELECT CAST(COALESCE(SUM(disabled), 0) AS BIGINT) FROM users), \
             (SELECT COUNT(*) FROM publications), (SELECT COUNT(reviewed_at) FROM publications), \
             (SELECT COUNT(*) FROM sessions), (SELECT COUNT(*) FROM blobs), \
             (SELECT COUNT(triaged_at) FROM feedback), \
             (SELECT COUNT(*) FROM settings WHERE key = 'feedback_retention_days'), \
             (SELECT COUNT(*) FROM settings WHERE value = '30')",
        )
        .fetch_one(self.store.pool())
        .await
        .unwrap();
        (0..14).map(|i| row.try_get::<i64, _>(i).unwrap()).collect()
    }
}

struct Session {
    cookie: String,
    csrf: String,
}

fn partner(summary: &str) -> AnyRecord {
    AnyRecord::from_json(
        RecordKind::Partner,
        json!({
            "slug": "baviere",
            "name": {"fr": "Bavière", "en": "Bavaria"},
            "kind": "federated_state",
            "country": "DE",
            "subdivision": "DE-BY",
            "world_region": "western_europe",
            "domains": ["culture"],
            "summary": {"fr": summary, "en": "Partner."}
        }),
    )
    .unwrap()
}

fn partner_form<'a>(slug: &'a str, summary: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("slug", slug),
        ("name.fr", "Bavière"),
        ("name.en", "Bavaria"),
        ("kind", "federated_state"),
        ("country", "DE"),
        ("subdivision", "DE-BY"),
        ("world_region", "western_europe"),
        ("bilateral", "true"),
        ("domains", "culture"),
        ("summary.fr", summary),
        ("summary.en", "Partner."),
        ("note", "test edit"),
    ]
}

const NOW: &str = "2030-01-01T10:00:00.000000Z";

/// Puts the partner's draft in the state a route needs, written by someone
/// other than every tested account (so the two-person rule lets publishers act).
async fn fresh_draft(app: &App, submitted: bool) -> (i64, i64) {
    let store = &app.store;
    if let Some(d) = store.draft(RecordKind::Partner, "baviere").await.unwrap() {
        store
            .discard_draft(RecordKind::Partner, "baviere", d.revision)
            .await
            .unwrap();
    }
    let current = store
        .get(RecordKind::Partner, "baviere", Visibility::All)
        .await
        .unwrap()
        .unwrap();
    if current.state == RecordState::Archived {
        store
            .restore_version(
                RecordKind::Partner,
                "baviere",
                1,
                current.version,
                "other@x.org",
                "reset",
                None,
                NOW,
            )
            .await
            .unwrap();
    }
    let version = store
        .get(RecordKind::Partner, "baviere", Visibility::All)
        .await
        .unwrap()
        .unwrap()
        .version;
    let d = store
        .save_draft(
            partner(&format!("Résumé révisé {version}.")),
            EditBase {
                record_version: Some(version),
                draft_revision: None,
            },
            "other@x.org",
            "setup",
            NOW,
        )
        .await
        .unwrap();
    if submitted {
        store
            .submit_draft(
                RecordKind::Partner,
                "baviere",
                d.revision,
                "other@x.org",
                NOW,
            )
            .await
            .unwrap();
    }
    (version, d.revision)
}

#[derive(Clone, Copy, Debug)]
enum Route {
    Create,
    Save,
    Submit,
    Discard,
    Publish,
    Schedule,
    Archive,
    Restore,
    Review,
    UserCreate,
    UserDisable,
    UserEnable,
    FeedbackTriage,
    FeedbackRetention,
    Logout,
}

impl Route {
    fn minimum(self) -> Role {
        use Route::*;
        match self {
            FeedbackTriage => Role::Editor,
            FeedbackRetention => Role::Admin,
            Create | Save | Submit | Discard | Logout => {
                if matches!(self, Logout) {
                    Role::Reader
                } else {
                    Role::Editor
                }
            }
            Publish | Schedule | Archive | Restore | Review => Role::Publisher,
            UserCreate | UserDisable | UserEnable => Role::Admin,
        }
    }

    /// Sets the precondition up and returns the URI and the form.
    async fn prepare(self, app: &App, who: &str) -> (String, Vec<(String, String)>) {
        let own = |v: Vec<(&str, &str)>| -> Vec<(String, String)> {
            v.into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        let base = "/admin/records/partner/baviere";
        match self {
            Route::Create => {
                let slug = format!("nouveau-{who}");
                let mut f = own(partner_form("x", "Nouveau."));
                f[0].1 = slug;
                ("/admin/records/partner/new".into(), f)
            }
            Route::Save => {
                let (version, revision) = fresh_draft(app, false).await;
                let mut f = own(partner_form("baviere", "Modifié par le test."));
                f.push(("_record_version".into(), version.to_string()));
                f.push(("_draft_revision".into(), revision.to_string()));
                (format!("{base}/edit"), f)
            }
            Route::Submit | Route::Discard | Route::Publish | Route::Schedule => {
                let submitted = matches!(self, Route::Publish | Route::Schedule);
                let (_, revision) = fresh_draft(app, submitted).await;
                let action = match self {
                    Route::Submit => "submit",
                    Route::Discard => "discard",
                    Route::Publish => "publish",
                    _ => "schedule",
                };
                let mut f = vec![
                    ("_draft_revision".to_string(), revision.to_string()),
                    ("public_note.fr".to_string(), "Résumé revu.".to_string()),
                ];
                if matches!(self, Route::Schedule) {
                    f.push(("scheduled_at".into(), "2030-02-01T09:30".into()));
                }
                (format!("{base}/{action}"), f)
            }
            Route::Archive | Route::Restore => self.version_form(app).await,
            Route::Review => {
                let (_, revision) = fresh_draft(app, false).await;
                let p = force_publish_baviere(app, revision, "urgent", "Note.").await;
                (format!("/admin/reviews/{}", p.id), Vec::new())
            }
            Route::UserCreate => (
                "/admin/users".into(),
                own(vec![
                    ("email", &format!("new-{who}@x.org")),
                    ("role", "reader"),
                    ("password", PASSWORD),
                    ("password2", PASSWORD),
                ]),
            ),
            Route::UserDisable | Route::UserEnable => self.user_toggle_form(app).await,
            Route::FeedbackTriage => {
                let f = app
                    .store
                    .insert_feedback(&feedback("/partenaires", false, Some("Trop court.")))
                    .await
                    .unwrap();
                (
                    format!("/admin/feedback/{}", f.id),
                    own(vec![
                        ("status", "actionable"),
                        ("owner", "Direction Europe"),
                        ("due_date", "2030-02-01"),
                    ]),
                )
            }
            Route::FeedbackRetention => {
                let days = app
                    .store
                    .setting("feedback_retention_days")
                    .await
                    .unwrap()
                    .unwrap_or_default();
                let next = if days == "30" { "31" } else { "30" };
                (
                    "/admin/feedback/retention".into(),
                    own(vec![("days", next)]),
                )
            }
            Route::Logout => ("/admin/logout".into(), Vec::new()),
        }
    }

    /// Archive or restore of Bavière, against its current version; for a
    /// restore, version 1 first made to differ from the current one.
    async fn version_form(self, app: &App) -> (String, Vec<(String, String)>) {
        let base = "/admin/records/partner/baviere";
        let (version, _) = fresh_draft(app, false).await;
        let mut f = vec![
            ("_record_version".to_string(), version.to_string()),
            ("note".to_string(), "test".to_string()),
        ];
        if matches!(self, Route::Restore) {
            f.push(("version".into(), "1".into()));
            f.push(("public_note.fr".into(), "Retour.".into()));
            // Make version 1 differ from the current one.
            let s = &app.store;
            let cur = s
                .get(RecordKind::Partner, "baviere", Visibility::All)
                .await
                .unwrap()
                .unwrap();
            let d = s
                .draft(RecordKind::Partner, "baviere")
                .await
                .unwrap()
                .unwrap();
            force_publish_baviere(app, d.revision, "setup", "x").await;
            f[0].1 = (cur.version + 1).to_string();
        }
        (
            format!(
                "{base}/{}",
                if matches!(self, Route::Archive) {
                    "archive"
                } else {
                    "restore"
                }
            ),
            f,
        )
    }

    /// Disable or enable of the target account, set to the opposite first.
    async fn user_toggle_form(self, app: &App) -> (String, Vec<(String, String)>) {
        let target = app
            .store
            .user_with_hash("target@x.org")
            .await
            .unwrap()
            .unwrap()
            .0;
        let disable = matches!(self, Route::UserDisable);
        app.store
            .set_user_disabled(target.id, !disable)
            .await
            .unwrap();
        (
            format!(
                "/admin/users/{}/{}",
                target.id,
                if disable { "disable" } else { "enable" }
            ),
            Vec::new(),
        )
    }
}

/// Bavière's draft at `revision` published by another publisher, forced
/// (no second-person review) with `reason`.
async fn force_publish_baviere(
    app: &App,
    revision: i64,
    reason: &str,
    note: &str,
) -> paradiplo_store::Publication {
    app.store
        .publish_draft(
            RecordKind::Partner,
            "baviere",
            PublishRequest {
                revision,
                by: "other@x.org",
                force_reason: Some(reason),
                public_note: Some(Text::fr_only(note)),
                now: NOW,
            },
        )
        .await
        .unwrap()
}

const ROUTES: [Route; 15] = [
    Route::Create,
    Route::Save,
    Route::Submit,
    Route::Discard,
    Route::Publish,
    Route::Schedule,
    Route::Archive,
    Route::Restore,
    Route::Review,
    Route::UserCreate,
    Route::UserDisable,
    Route::UserEnable,
    Route::FeedbackTriage,
    Route::FeedbackRetention,
    Route::Logout,
];

fn feedback(path: &str, yes: bool, comment: Option<&str>) -> paradiplo_store::NewFeedback {
    paradiplo_store::NewFeedback {
        path: path.into(),
        section: path
            .trim_start_matches('/')
            .split('/')
            .next()
            .unwrap_or("accueil")
            .into(),
        lang: "fr".into(),
        answer: if yes {
            paradiplo_store::FeedbackAnswer::Yes
        } else {
            paradiplo_store::FeedbackAnswer::No
        },
        reason: None,
        comment: comment.map(str::to_string),
    }
}

async fn role_matrix(db: &TestDb) {
    let app = App::new(db).await;
    let accounts = [
        (None, "anonymous"),
        (Some(Role::Reader), "reader@x.org"),
        (Some(Role::Editor), "editor@x.org"),
        (Some(Role::Publisher), "publisher@x.org"),
        (Some(Role::Admin), "admin@x.org"),
    ];
    for route in ROUTES {
        for (role, email) in accounts {
            let session = match role {
                Some(_) => Some(app.login(email).await),
                None => None,
            };
            let who = email.split('@').next().unwrap();
            let (uri, mut form) = route.prepare(&app, who).await;
            let (cookie, csrf) = match &session {
                Some(s) => (s.cookie.clone(), s.csrf.clone()),
                None => (String::new(), String::new()),
            };
            form.push(("csrf".into(), csrf));
            let before = app.written().await;
            let pairs: Vec<(&str, &str)> =
                form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let res = app.post(&uri, &cookie, &pairs).await;
            let after = app.written().await;
            let allowed = role.is_some_and(|r| r >= route.minimum());
            let case = format!(
                "{route:?} as {email}: {} {}",
                res.status,
                &res.body.chars().take(300).collect::<String>()
            );
            if allowed {
                assert_eq!(res.status, StatusCode::SEE_OTHER, "{case}");
                assert_ne!(before, after, "{case}: nothing was written");
            } else {
                let expected = if role.is_none() {
                    StatusCode::UNAUTHORIZED
                } else {
                    StatusCode::FORBIDDEN
                };
                assert_eq!(res.status, expected, "{case}");
                assert_eq!(before, after, "{case}: something was written");
            }
        }
    }
}

async fn csrf_and_origin_are_checked(db: &TestDb) {
    let app = App::new(db).await;
    let s = app.login("editor@x.org").await;
    let form = partner_form("sans-jeton", "Nouveau.");
    let before = app.written().await;
    // No token.
    let res = app
        .post("/admin/records/partner/new", &s.cookie, &form)
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    // Another token.
    let mut with_bad = form.clone();
    with_bad.push(("csrf", "0000"));
    let res = app
        .post("/admin/records/partner/new", &s.cookie, &with_bad)
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    // The right token, but posted from another site.
    let mut with_token = form.clone();
    with_token.push(("csrf", &s.csrf));
    let body = with_token
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&");
    let res = app
        .send(
            Request::post("/admin/records/partner/new")
                .header(header::COOKIE, &s.cookie)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header("sec-fetch-site", "cross-site")
                .body(Body::from(body.clone()))
                .unwrap(),
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let res = app
        .send(
            Request::post("/admin/records/partner/new")
                .header(header::COOKIE, &s.cookie)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::HOST, "staff.example.org")
                .header(header::ORIGIN, "https://evil.example")
                .body(Body::from(body))
                .unwrap(),
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert_eq!(before, app.written().await, "nothing written");
    // With everything right, the draft is saved.
    let res = app
        .post("/admin/records/partner/new", &s.cookie, &with_token)
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    // The login form has its own token.
    let res = app
        .post(
            "/admin/login",
            "",
            &[("email", "editor@x.org"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
}

async fn ten_wrong_passwords_lock_the_account(db: &TestDb) {
    let app = App::new(db).await;
    for i in 0..10 {
        let (status, session) = app.try_login("editor@x.org", "wrong password").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "attempt {i}");
        assert!(session.is_none());
    }
    // Locked: even the right password is refused, for this account only.
    let (status, session) = app.try_login("editor@x.org", PASSWORD).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert!(session.is_none());
    app.login("publisher@x.org").await;
    // The audit log shows them.
    let admin = app.login("admin@x.org").await;
    let page = app
        .get("/admin/audit?actor=editor%40x.org", &admin.cookie)
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(
        page.body.matches("<code>login_failed</code>").count(),
        10,
        "{}",
        page.body
    );
    assert!(page.body.contains("<code>account_locked</code>"));
    assert!(page.body.contains("<code>login_locked</code>"));
    let csv = app
        .get("/admin/audit.csv?actor=editor%40x.org", &admin.cookie)
        .await;
    assert_eq!(
        csv.body
            .lines()
            .filter(|l| l.contains(",login_failed,"))
            .count(),
        10
    );
    // A while later, the account opens again.
    *app.clock.lock().unwrap() += time::Duration::minutes(16);
    app.login("editor@x.org").await;
}

async fn validation_errors_sit_next_to_their_fields(db: &TestDb) {
    let app = App::new(db).await;
    let s = app.login("editor@x.org").await;
    let edit = app
        .get("/admin/records/partner/baviere/edit", &s.cookie)
        .await;
    assert_eq!(edit.status, StatusCode::OK);
    assert!(
        edit.body.contains("for=\"f-name-fr\""),
        "labels are tied to inputs"
    );
    let version = hidden(&edit.body, "_record_version");
    let mut form = partner_form("baviere", "Résumé.");
    form[1] = ("name.fr", "");
    form.push(("since", "19x9"));
    form.push(("domains", "inconnu"));
    form.push(("_record_version", &version));
    form.push(("csrf", &s.csrf));
    let before = app.written().await;
    let res = app
        .post("/admin/records/partner/baviere/edit", &s.cookie, &form)
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(before, app.written().await);
    assert!(
        res.body
            .contains("<p class=\"error\" id=\"f-since-err\">date invalide"),
        "{}",
        res.body
    );
    assert!(
        res.body
            .contains("aria-describedby=\"f-since-hint f-since-err\"")
    );
    assert!(
        res.body
            .contains("id=\"f-name-fr-err\">valeur obligatoire manquante")
    );
    assert!(
        res.body.contains("value=\"19x9\""),
        "what was typed is kept"
    );
    // English staff read the same errors in English.
    let res = app
        .post("/en/admin/records/partner/baviere/edit", &s.cookie, &form)
        .await;
    assert!(res.body.contains("invalid date"));
    // References are checked against the registry (reported once the rest parses).
    form[1] = ("name.fr", "Bavière");
    form.retain(|(k, _)| *k != "since");
    let res = app
        .post("/admin/records/partner/baviere/edit", &s.cookie, &form)
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.body.contains("aucun enregistrement de type"),
        "{}",
        res.body
    );
    // A change note is required.
    form.retain(|(k, _)| *k != "domains" && *k != "note");
    let res = app
        .post("/admin/records/partner/baviere/edit", &s.cookie, &form)
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("id=\"change-note-err\""));
}

async fn second_save_gets_a_conflict_page_and_can_merge(db: &TestDb) {
    let app = App::new(db).await;
    let a = app.login("editor@x.org").await;
    let b = app.login("editor2@x.org").await;
    let form_a = app
        .get("/admin/records/partner/baviere/edit", &a.cookie)
        .await;
    let form_b = app
        .get("/admin/records/partner/baviere/edit", &b.cookie)
        .await;
    let v = hidden(&form_a.body, "_record_version");
    assert_eq!(v, hidden(&form_b.body, "_record_version"));
    let mut fa = partner_form("baviere", "Version de A.");
    fa.extend([
        ("_record_version", v.as_str()),
        ("_draft_revision", ""),
        ("csrf", a.csrf.as_str()),
    ]);
    assert_eq!(
        app.post("/admin/records/partner/baviere/edit", &a.cookie, &fa)
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let mut fb = partner_form("baviere", "Version de B.");
    fb.extend([
        ("_record_version", v.as_str()),
        ("_draft_revision", ""),
        ("csrf", b.csrf.as_str()),
    ]);
    let before = app.written().await;
    let res = app
        .post("/admin/records/partner/baviere/edit", &b.cookie, &fb)
        .await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    assert_eq!(before, app.written().await, "the stale save wrote nothing");
    assert!(res.body.contains("Version de B."), "what B typed is kept");
    assert!(res.body.contains("class=\"theirs\""));
    assert!(res.body.contains("Version de A."), "A's version is shown");
    // B merges and saves against the new revision.
    let rev = hidden(&res.body, "_draft_revision");
    assert_eq!(rev, "1");
    let mut merged = partner_form("baviere", "Version de A, complétée par B.");
    merged.extend([
        ("_record_version", v.as_str()),
        ("_draft_revision", rev.as_str()),
        ("csrf", b.csrf.as_str()),
    ]);
    assert_eq!(
        app.post("/admin/records/partner/baviere/edit", &b.cookie, &merged)
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let d = app
        .store
        .draft(RecordKind::Partner, "baviere")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        d.record.to_json()["summary"]["fr"],
        "Version de A, complétée par B."
    );
    assert_eq!(d.notes.len(), 2);
    // Public still sees the published version.
    let public = app
        .store
        .get(RecordKind::Partner, "baviere", Visibility::Public)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        public.record.to_json()["summary"]["fr"],
        "Partenaire depuis 1989."
    );
}

async fn every_page_renders_in_both_languages(db: &TestDb) {
    let app = App::new(db).await;
    let s = app.login("admin@x.org").await;
    fresh_draft(&app, true).await;
    for base in ["/admin", "/en/admin"] {
        for kind in paradiplo_core::RecordKind::ALL {
            let res = app
                .get(&format!("{base}/records/{}/new", kind.as_str()), &s.cookie)
                .await;
            assert_eq!(res.status, StatusCode::OK, "{base} new {kind}");
            let res = app
                .get(&format!("{base}/records/{}", kind.as_str()), &s.cookie)
                .await;
            assert_eq!(res.status, StatusCode::OK, "{base} list {kind}");
        }
        for page in [
            "/",
            "/records/partner/baviere",
            "/records/partner/baviere/edit",
            "/records/partner/baviere/history",
            "/records/partner/baviere/diff?from=1&to=draft",
            "/records/partner/baviere/preview",
            "/records/partner/baviere/preview?lang=en",
            "/users",
            "/audit",
            "/feedback",
            "/feedback?status=new&from=2000-01-01",
        ] {
            let res = app.get(&format!("{base}{page}"), &s.cookie).await;
            assert_eq!(res.status, StatusCode::OK, "{base}{page}: {}", res.body);
        }
    }
    // Anonymous visitors of pages are sent to the sign-in form.
    let res = app.get("/admin/records/partner", "").await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert!(res.location().starts_with("/admin/login?next="));
    // Session cookies are HttpOnly and SameSite=Lax.
    let form = app.get("/admin/login", "").await;
    assert!(form.cookies()[0].contains("HttpOnly") && form.cookies()[0].contains("SameSite=Lax"));
}

async fn scheduled_drafts_publish_when_due(db: &TestDb) {
    let app = App::new(db).await;
    let (_, revision) = fresh_draft(&app, true).await;
    app.store
        .schedule_draft(
            RecordKind::Partner,
            "baviere",
            revision,
            "2030-01-02T00:00:00.000000Z",
            "publisher@x.org",
            None,
            Some(Text::fr_only("Mise à jour.")),
            NOW,
        )
        .await
        .unwrap();
    let early = time::macros::datetime!(2030-01-01 23:59 UTC);
    assert_eq!(
        paradiplo_web::admin::run_due_publications(&app.store, early).await,
        0
    );
    let due = time::macros::datetime!(2030-01-02 00:00:30 UTC);
    assert_eq!(
        paradiplo_web::admin::run_due_publications(&app.store, due).await,
        1
    );
    let public = app
        .store
        .get(RecordKind::Partner, "baviere", Visibility::Public)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(public.version, 2);
    let log = app.store.audit_log(&Default::default()).await.unwrap();
    assert_eq!(log[0].action, "publish_scheduled");
    assert_eq!(log[0].actor, "publisher@x.org");
}

async fn feedback_dashboard_scores_flags_and_exports(db: &TestDb) {
    let app = App::new(db).await;
    let s = app.login("reader@x.org").await;
    let spam_id = insert_dashboard_feedback(&app).await;
    let page = app.get("/admin/feedback", &s.cookie).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<svg") && page.body.contains("role=\"img\""));
    assert!(
        dashboard_row(&page.body, "/partenaires/baviere").contains("Beaucoup de"),
        "flagged"
    );
    assert!(dashboard_row(&page.body, "/ententes").contains("75\u{a0}%"));
    // Readers see the dashboard but cannot triage.
    assert!(!page.body.contains("class=\"triage\""));
    let editor = app.login("editor@x.org").await;
    let res = app
        .post(
            &format!("/admin/feedback/{spam_id}"),
            &editor.cookie,
            &[
                ("csrf", &editor.csrf),
                ("status", "spam"),
                ("owner", ""),
                ("due_date", ""),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let page = app.get("/admin/feedback", &s.cookie).await;
    assert!(
        dashboard_row(&page.body, "/ententes").contains("100\u{a0}%"),
        "spam left the score"
    );
    // A bad due date is refused with a message, nothing written.
    let before = app.written().await;
    let res = app
        .post(
            &format!("/admin/feedback/{spam_id}"),
            &editor.cookie,
            &[
                ("csrf", &editor.csrf),
                ("status", "resolved"),
                ("due_date", "demain"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(before, app.written().await);
    // CSV export, filtered; formulas are neutralised.
    let csv = app
        .get("/admin/feedback.csv?path=%2Fententes", &s.cookie)
        .await;
    assert_eq!(csv.body.lines().count(), 5, "{}", csv.body);
    assert!(csv.body.contains("'=HYPERLINK"));
    assert!(csv.body.contains(",spam,,,false"));
    feedback_retention_erases_comments(&app).await;
}

/// Six answers on Bavière (one yes), three yes and one spam on the agreements;
/// returns the spam's id.
async fn insert_dashboard_feedback(app: &App) -> i64 {
    // A page with many "Non" stands out; spam leaves the scores.
    for i in 0..6 {
        app.store
            .insert_feedback(&feedback(
                "/partenaires/baviere",
                i == 0,
                Some("Il manque les dates."),
            ))
            .await
            .unwrap();
    }
    for _ in 0..3 {
        app.store
            .insert_feedback(&feedback("/ententes", true, None))
            .await
            .unwrap();
    }
    app.store
        .insert_feedback(&feedback(
            "/ententes",
            false,
            Some("=HYPERLINK(\"http://x\")"),
        ))
        .await
        .unwrap()
        .id
}

/// The dashboard's table row of a page.
fn dashboard_row<'a>(body: &'a str, path: &str) -> &'a str {
    body.split(&format!("/admin/feedback?path={path}"))
        .nth(1)
        .unwrap()
        .split("</tr>")
        .next()
        .unwrap()
}

async fn feedback_retention_erases_comments(app: &App) {
    // Retention: comments older than the period are erased, answers stay.
    *app.clock.lock().unwrap() += time::Duration::days(4000);
    let admin = app.login("admin@x.org").await;
    let res = app
        .post(
            "/admin/feedback/retention",
            &admin.cookie,
            &[("csrf", &admin.csrf), ("days", "30")],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let all = app
        .store
        .list_feedback(&Default::default(), 100, 0)
        .await
        .unwrap();
    assert_eq!(all.len(), 10);
    assert!(all.iter().all(|f| f.comment.is_none()));
    let res = app
        .post(
            "/admin/feedback/retention",
            &admin.cookie,
            &[("csrf", &admin.csrf), ("days", "0")],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
}

backend_tests!(
    feedback_dashboard_scores_flags_and_exports,
    role_matrix,
    csrf_and_origin_are_checked,
    ten_wrong_passwords_lock_the_account,
    validation_errors_sit_next_to_their_fields,
    second_save_gets_a_conflict_page_and_can_merge,
    every_page_renders_in_both_languages,
    scheduled_drafts_publish_when_due,
);
