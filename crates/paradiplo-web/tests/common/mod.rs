//! Helpers shared by the API and open-data tests: a store seeded with the
//! bundled dataset, the application, and requests.

#![allow(dead_code)]

use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use paradiplo_core::{AnyRecord, RecordKind, Role};
use paradiplo_dataset::{Dataset, DirSource, read_dataset};
use paradiplo_store::{Blob, ImportItem, Store};
use paradiplo_testkit::TestDb;
use std::path::Path;
use tower::ServiceExt;

pub fn bundled() -> Dataset {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/quebec");
    read_dataset(&DirSource(dir)).expect("the bundled dataset is valid")
}

/// Imports a dataset into a store, as `paradiplo import` does.
pub async fn import(store: &Store, dataset: &Dataset) {
    let mut items = Vec::new();
    for kind in RecordKind::ALL {
        for record in dataset.registry.of_kind(kind) {
            items.push(ImportItem {
                record: record.clone(),
                state: dataset.state_of(kind, record.slug()),
            });
        }
    }
    let mut blobs = Vec::new();
    for record in dataset.registry.of_kind(RecordKind::Document) {
        if let AnyRecord::Document(doc) = record
            && let Some(bytes) = dataset.files.get(&doc.file)
        {
            blobs.push(Blob {
                sha256: doc.sha256.clone(),
                media_type: doc.media_type.clone(),
                bytes: bytes.clone(),
            });
        }
    }
    store
        .import(items, blobs, "test", "seed")
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
    let mut req = Request::builder().method(method).uri(uri);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let req = match body {
        Some(b) => req
            .header("content-type", "application/json")
            .body(Body::from(b.to_string())),
        None => req.body(Body::empty()),
    }
    .unwrap();
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let body = axum::body::to_bytes(res.into_body(), 50 << 20)
        .await
        .unwrap()
        .to_vec();
    Reply {
        status,
        headers,
        body,
    }
}

pub async fn get(app: &axum::Router, uri: &str) -> Reply {
    send(app, Method::GET, uri, &[], None).await
}

/// A token of `role`; returns the `Authorization` header value.
pub async fn token(store: &Store, role: Role, name: &str) -> String {
    let (_, secret) = store.create_token(name, role, "test").await.unwrap();
    format!("Bearer {secret}")
}
