//! `TestApp`: the real application (built by `Application::build`) over a
//! test database, with helpers to send requests, sign staff in and create API
//! tokens. The one way to start an application in a test:
//!
//! ```ignore
//! let app = TestApp::seeded(db).await;          // bundled dataset, no search
//! let page = app.get("/partenaires").await;
//! assert_eq!(page.status, StatusCode::OK);
//! let staff = app.staff(Role::Editor).await;   // signed in through the form
//! let bearer = app.token(Role::Editor, "bot").await;
//! ```
//!
//! It lives here, behind the `testkit` feature, rather than in
//! paradiplo-testkit: the store's own tests use paradiplo-testkit, which must
//! therefore not depend on the store through this crate.

use crate::{Application, Config, StoreConfig};
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use paradiplo_core::Role;
use paradiplo_store::Store;
use paradiplo_testkit::TestDb;
use paradiplo_web::admin::AdminConfig;
use std::time::Duration;
use tower::ServiceExt;

/// The password of the accounts `TestApp::add_staff` creates.
pub const TEST_PASSWORD: &str = "correct horse battery staple";

/// Largest answer a test reads (open-data exports of the bundled dataset).
const BODY_LIMIT: usize = 50 << 20;

/// The application of one test.
pub struct TestApp {
    pub app: Application,
    /// The application's store, for arranging data and checking writes.
    pub store: Store,
    client: Client,
}

/// How a `TestApp` is built; start from `TestApp::builder`.
pub struct TestAppBuilder {
    config: Config,
}

impl TestAppBuilder {
    /// Load the bundled dataset (the default) or start empty.
    pub fn seed(mut self, seed: bool) -> Self {
        self.config.seed = seed;
        self
    }

    /// Open a full-text index in the test's folder (off by default).
    pub fn with_search(mut self) -> Self {
        self.config.search_dir = Some(self.config.store.search_dir());
        self
    }

    /// Other staff-workspace settings (a fixed clock, cheap hashes…).
    pub fn admin(mut self, admin: AdminConfig) -> Self {
        self.config.admin = admin;
        self
    }

    /// Other portal settings (freshness is zero unless set here).
    pub fn portal(mut self, portal: paradiplo_web::PortalConfig) -> Self {
        self.config.portal = portal;
        self
    }

    /// Start the background jobs, as a server does (off by default).
    pub fn with_jobs(mut self) -> Self {
        self.config.jobs = true;
        self
    }

    pub async fn build(self) -> TestApp {
        let app = Application::build(self.config)
            .await
            .unwrap_or_else(|e| panic!("the test application builds: {e}"));
        TestApp::from_application(app)
    }
}

impl TestApp {
    /// The settings of a test: the test's database, the bundled dataset, no
    /// search index, no background jobs, and pages that show a write at once.
    pub fn builder(db: &TestDb) -> TestAppBuilder {
        let store = StoreConfig {
            data_dir: db.dir.path().to_path_buf(),
            database_url: db.url.clone(),
        };
        let mut config = Config::new(store);
        config.search_dir = None;
        config.jobs = false;
        config.portal.freshness = Duration::ZERO;
        TestAppBuilder { config }
    }

    /// Request helpers over an application built otherwise.
    pub fn from_application(app: Application) -> TestApp {
        TestApp {
            store: app.store().clone(),
            client: Client::new(app.router()),
            app,
        }
    }

    /// The application over the bundled dataset.
    pub async fn seeded(db: &TestDb) -> TestApp {
        TestApp::builder(db).build().await
    }

    /// The application over an empty (migrated) database.
    pub async fn empty(db: &TestDb) -> TestApp {
        TestApp::builder(db).seed(false).build().await
    }

    /// The full-text index; the app must be built `with_search`.
    pub fn search(&self) -> &std::sync::Arc<paradiplo_search::SearchIndex> {
        self.app
            .search()
            .expect("a test app built with_search() has an index")
    }

    /// The router, for tests that drive it themselves.
    pub fn router(&self) -> axum::Router {
        self.client.router.clone()
    }

    /// Creates a staff account with `TEST_PASSWORD`.
    pub async fn add_staff(&self, email: &str, role: Role) {
        // The cheapest Argon2id: hashing is not what these tests measure.
        let hash = paradiplo_web::admin::hash_password(TEST_PASSWORD.into(), 64, 1).await;
        self.store
            .create_user(email, &hash, role, "test")
            .await
            .unwrap_or_else(|e| panic!("account {email}: {e}"));
    }

    /// A new account of `role`, signed in.
    pub async fn staff(&self, role: Role) -> Session {
        let email = format!("{}@test.invalid", role.as_str());
        self.add_staff(&email, role).await;
        self.session(&email, TEST_PASSWORD).await
    }

    /// A new API token of `role`; returns the `Authorization` header value.
    pub async fn token(&self, role: Role, name: &str) -> String {
        let (_, secret) = self
            .store
            .create_token(name, role, "test")
            .await
            .expect("token created");
        format!("Bearer {secret}")
    }

    /// Stops the jobs and closes the store.
    pub async fn shutdown(self) {
        self.app.shutdown().await;
    }
}

/// Requests to a router, read whole. A `TestApp` offers these methods
/// directly; `Client::new` serves a router built otherwise.
#[derive(Clone)]
pub struct Client {
    router: axum::Router,
}

impl Client {
    pub fn new(router: axum::Router) -> Client {
        Client { router }
    }

    /// Sends one request and reads the whole answer.
    pub async fn send(&self, req: Request<Body>) -> Reply {
        let res = self.router.clone().oneshot(req).await.expect("infallible");
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = axum::body::to_bytes(res.into_body(), BODY_LIMIT)
            .await
            .expect("the answer's body is read")
            .to_vec();
        Reply {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            bytes,
        }
    }

    /// GET without cookie.
    pub async fn get(&self, uri: &str) -> Reply {
        self.request(Method::GET, uri, &[], None).await
    }

    /// GET that must answer 200; returns the body.
    pub async fn get_ok(&self, uri: &str) -> String {
        let reply = self.get(uri).await;
        assert_eq!(reply.status, StatusCode::OK, "GET {uri}: {}", reply.body);
        reply.body
    }

    /// The path of every page the sitemap names (its `<loc>`s and their
    /// language alternates), both languages, without scheme and host.
    pub async fn sitemap_pages(&self) -> std::collections::BTreeSet<String> {
        let xml = self.get_ok("/sitemap.xml").await;
        let path = |url: &str| {
            let url = url.replace("&amp;", "&");
            let after_scheme = url.split_once("://").map_or(url.as_str(), |(_, r)| r);
            let at = after_scheme.find('/').unwrap_or(after_scheme.len());
            after_scheme[at..].to_string()
        };
        let locs = xml
            .split("<loc>")
            .skip(1)
            .filter_map(|s| s.split("</loc>").next());
        let alternates = xml
            .split("href=\"")
            .skip(1)
            .filter_map(|s| s.split('"').next());
        locs.chain(alternates).map(path).collect()
    }

    /// GET with a cookie (empty: none).
    pub async fn get_as(&self, uri: &str, cookie: &str) -> Reply {
        self.request(Method::GET, uri, &[("cookie", cookie)], None)
            .await
    }

    /// A request with headers and, when given, a JSON body.
    pub async fn request(
        &self,
        method: Method,
        uri: &str,
        headers: &[(&str, &str)],
        json: Option<serde_json::Value>,
    ) -> Reply {
        let mut req = Request::builder().method(method).uri(uri);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let req = match json {
            Some(json) => req
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(json.to_string())),
            None => req.body(Body::empty()),
        };
        self.send(req.expect("a well-formed request")).await
    }

    /// POST of a JSON body.
    pub async fn post_json(&self, uri: &str, json: serde_json::Value) -> Reply {
        self.request(Method::POST, uri, &[], Some(json)).await
    }

    /// POST of an HTML form (`application/x-www-form-urlencoded`) with a
    /// cookie (empty: none); the fields are encoded here.
    pub async fn post_form<K: AsRef<str>, V: AsRef<str>>(
        &self,
        uri: &str,
        cookie: &str,
        form: &[(K, V)],
    ) -> Reply {
        let body = form
            .iter()
            .map(|(k, v)| format!("{}={}", enc(k.as_ref()), enc(v.as_ref())))
            .collect::<Vec<_>>()
            .join("&");
        self.form_request(uri, cookie, body).await
    }

    /// POST without cookie of a form body already encoded (`a=1&b=2`).
    pub async fn post_encoded(&self, uri: &str, body: &str) -> Reply {
        self.form_request(uri, "", body.to_string()).await
    }

    async fn form_request(&self, uri: &str, cookie: &str, body: String) -> Reply {
        let req = Request::post(uri)
            .header(header::COOKIE, cookie)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .expect("a well-formed request");
        self.send(req).await
    }

    /// Signs in through the form: the answer's status and the session cookie.
    pub async fn sign_in(&self, email: &str, password: &str) -> (StatusCode, Option<String>) {
        let form = self.get_as("/admin/login", "").await;
        let login_cookie = cookie_pair(&form.cookies(), "paradiplo_login")
            .expect("the sign-in form sets its cookie");
        let csrf = hidden(&form.body, "csrf");
        let fields = [
            ("csrf", csrf.as_str()),
            ("email", email),
            ("password", password),
            ("next", "/admin/"),
        ];
        let res = self.post_form("/admin/login", &login_cookie, &fields).await;
        (res.status, cookie_pair(&res.cookies(), "paradiplo_session"))
    }

    /// Signs in and opens the dashboard: the session cookie and its CSRF token.
    pub async fn session(&self, email: &str, password: &str) -> Session {
        let (status, cookie) = self.sign_in(email, password).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "sign-in of {email}");
        let cookie = cookie.expect("a session cookie");
        let page = self.get_as("/admin/", &cookie).await;
        assert_eq!(page.status, StatusCode::OK, "dashboard of {email}");
        Session {
            csrf: hidden(&page.body, "csrf"),
            cookie,
        }
    }
}

/// A `TestApp` sends requests as its `Client` does: `app.get(…)`.
impl std::ops::Deref for TestApp {
    type Target = Client;
    fn deref(&self) -> &Client {
        &self.client
    }
}

/// A signed-in staff member: the session cookie and the CSRF token of forms.
pub struct Session {
    pub cookie: String,
    pub csrf: String,
}

/// An answer, read whole.
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    /// The body as text (invalid UTF-8 replaced).
    pub body: String,
    /// The body as sent.
    pub bytes: Vec<u8>,
}

impl Reply {
    /// A header's value, or "" when absent.
    pub fn header(&self, name: &str) -> String {
        self.headers
            .get(name)
            .map(|v| v.to_str().expect("an ASCII header").to_string())
            .unwrap_or_default()
    }

    pub fn location(&self) -> String {
        self.header("location")
    }

    pub fn content_type(&self) -> String {
        self.header("content-type")
    }

    /// Every `Set-Cookie` of the answer.
    pub fn cookies(&self) -> Vec<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .map(|v| v.to_str().expect("an ASCII cookie").to_string())
            .collect()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.bytes)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// The body with `&#x2f;` read as `/`, as a browser reads attribute
    /// values (the template engine escapes `/` in them).
    pub fn html(&self) -> String {
        self.body.replace("&#x2f;", "/")
    }

    /// The status and the body, for tests that look at nothing else.
    pub fn status_and_body(self) -> (StatusCode, String) {
        (self.status, self.body)
    }

    /// The status and the body read as `html` does.
    pub fn status_and_html(self) -> (StatusCode, String) {
        (self.status, self.html())
    }
}

/// Percent-encodes a form value.
pub fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The `name=value` pair of a cookie set by an answer, if it has a value.
pub fn cookie_pair(set_cookies: &[String], name: &str) -> Option<String> {
    set_cookies
        .iter()
        .filter_map(|c| c.split(';').next())
        .find(|kv| kv.starts_with(&format!("{name}=")) && kv.len() > name.len() + 1)
        .map(str::to_string)
}

/// The value of a hidden form field.
pub fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no {name} in page"))
        + marker.len();
    html[start..]
        .split('"')
        .next()
        .expect("split yields once")
        .to_string()
}
