//! The former API-test helpers, kept as thin adapters over
//! `paradiplo_app::testkit` for the test files written against them in
//! parallel. New tests start their application with `TestApp` instead; once
//! no file says `mod common;`, delete this module.

#![allow(dead_code)]

use axum::http::{HeaderMap, Method, StatusCode};
use paradiplo_app::testkit::Client;
use paradiplo_core::Role;
use paradiplo_dataset::Dataset;
use paradiplo_store::Store;
use paradiplo_testkit::TestDb;

pub fn bundled() -> Dataset {
    paradiplo_app::bundled().expect("the bundled dataset is valid")
}

/// Imports a dataset into a store, as `paradiplo import` does.
pub async fn import(store: &Store, dataset: &Dataset) {
    paradiplo_app::import(store, dataset, "test", "seed")
        .await
        .expect("import");
}

pub async fn seeded(db: &TestDb) -> Store {
    let store = Store::open(&db.url).await.unwrap();
    import(&store, &bundled()).await;
    store
}

pub fn app(store: &Store) -> axum::Router {
    paradiplo_web::router(paradiplo_web::AppState::new(
        store.clone(),
        paradiplo_web::Branding::default(),
    ))
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl From<paradiplo_app::testkit::Reply> for Reply {
    fn from(r: paradiplo_app::testkit::Reply) -> Reply {
        Reply {
            status: r.status,
            headers: r.headers,
            body: r.bytes,
        }
    }
}

impl Reply {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    pub fn header(&self, name: &str) -> String {
        self.headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default()
    }
}

pub async fn send(
    app: &axum::Router,
    method: Method,
    uri: &str,
    headers: &[(&str, &str)],
    body: Option<serde_json::Value>,
) -> Reply {
    Client::new(app.clone())
        .request(method, uri, headers, body)
        .await
        .into()
}

pub async fn get(app: &axum::Router, uri: &str) -> Reply {
    send(app, Method::GET, uri, &[], None).await
}

/// A token of `role`; returns the `Authorization` header value.
pub async fn token(store: &Store, role: Role, name: &str) -> String {
    let (_, secret) = store.create_token(name, role, "test").await.unwrap();
    format!("Bearer {secret}")
}
