//! The search page and API over a real store and index, on SQLite and PostgreSQL.

use axum::http::{Method, StatusCode};
use paradiplo_app::testkit::TestApp;
use paradiplo_core::{AnyRecord, RecordKind, RecordState};
use paradiplo_search::SearchIndex;
use paradiplo_store::{Store, Visibility};
use paradiplo_testkit::{TestDb, backend_tests};
use std::sync::Arc;

async fn setup(db: &TestDb) -> (Store, Arc<SearchIndex>, TestApp) {
    let app = TestApp::builder(db).with_search().build().await;
    (app.store.clone(), app.search().clone(), app)
}

async fn search_page_in_both_languages(db: &TestDb) {
    let (store, _index, app) = setup(db).await;
    let (status, html) = app.get("/recherche?q=Bavi%C3%A8re").await.status_and_html();
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<html lang=\"fr\">"));
    assert!(html.contains("data-key=\"partner/baviere\""), "{html}");
    assert!(html.contains("href=\"/partenaires/baviere\""), "{html}");
    assert!(html.contains("<mark>Bavière</mark>"));
    assert!(html.contains("résultats"));
    // Facets are links that keep the query; the language switch keeps it too.
    assert!(
        html.contains("href=\"/recherche?q=Bavi%C3%A8re&amp;type=partner\""),
        "{html}"
    );
    assert!(html.contains("href=\"/en/search?q=Bavi%C3%A8re\""));
    // Following a facet narrows the results and offers to remove it.
    let (_, narrowed) = app
        .get("/recherche?q=Bavi%C3%A8re&type=partner")
        .await
        .status_and_html();
    assert!(narrowed.contains("data-key=\"partner/baviere\""));
    assert!(!narrowed.contains("data-key=\"agreement/"));
    assert!(narrowed.contains("Retirer ce filtre"));
    assert!(narrowed.contains("href=\"/recherche?q=Bavi%C3%A8re\""));

    let (status, html) = app.get("/en/search?q=Bavaria").await.status_and_html();
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<html lang=\"en\">"));
    assert!(html.contains("href=\"/en/partners/baviere\""));
    assert!(html.contains("Free State of <mark>Bavaria</mark>"));

    // An empty form shows the form only; a bad filter says which field.
    let (status, html) = app.get("/recherche").await.status_and_html();
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("name=\"q\""));
    assert!(!html.contains("search-results"));
    let (status, html) = app
        .get("/recherche?q=x&type=vaisseau")
        .await
        .status_and_html();
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        html.contains("«\u{a0}type\u{a0}»") && html.contains("vaisseau"),
        "{html}"
    );
    // Markup typed in a query is escaped, never echoed raw.
    let (_, html) = app
        .get("/recherche?q=%3Cscript%3Ealert(1)%3C/script%3E")
        .await
        .status_and_html();
    assert!(!html.contains("<script>alert"));
    store.close().await;
}

async fn paging_through_results(db: &TestDb) {
    let (store, _index, app) = setup(db).await;
    let (_, p1) = app.get("/recherche?q=quebec").await.status_and_html();
    assert!(
        p1.contains("rel=\"next\" href=\"/recherche?q=quebec&amp;page=2\""),
        "{p1}"
    );
    assert!(!p1.contains("rel=\"prev\""));
    let (_, p2) = app
        .get("/recherche?q=quebec&page=2")
        .await
        .status_and_html();
    assert!(p2.contains("rel=\"prev\" href=\"/recherche?q=quebec\""));
    assert!(p2.contains("start=\"21\""));
    store.close().await;
}

async fn api_search_with_facets(db: &TestDb) {
    let (store, index, app) = setup(db).await;
    let (status, body) = app.get("/api/v1/search?q=OACI").await.status_and_html();
    assert_eq!(status, StatusCode::OK);
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["results"][0]["type"], "organization");
    assert_eq!(v["results"][0]["slug"], "oaci");
    assert_eq!(v["results"][0]["url"], "/organisations/oaci");
    assert!(v["total"].as_u64().unwrap() >= 1);
    let kinds = v["facets"]["type"].as_array().unwrap();
    let sum: u64 = kinds.iter().map(|f| f["count"].as_u64().unwrap()).sum();
    assert_eq!(
        sum,
        v["total"].as_u64().unwrap(),
        "each record has one type"
    );

    // Filters only: the count equals the store's.
    let (_, body) = app
        .get("/api/v1/search?type=partner&region=western_europe&lang=en")
        .await
        .status_and_html();
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    let direct = store
        .list(RecordKind::Partner, Visibility::Public)
        .await
        .unwrap()
        .iter()
        .filter(|r| matches!(&r.record, AnyRecord::Partner(p) if p.world_region.as_str() == "western_europe"))
        .count() as u64;
    assert_eq!(v["total"].as_u64().unwrap(), direct);
    assert_eq!(v["facets"]["region"][0]["label"], "Western Europe");
    assert_eq!(v["query"]["lang"], "en");

    // Bad input names the field and the value.
    let (status, body) = app
        .get("/api/v1/search?q=x&year=deux-mille")
        .await
        .status_and_html();
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["error"]["field"], "year");
    assert_eq!(v["error"]["value"], "deux-mille");

    // A write, then the write path's catch-up: searchable at once.
    let oaci = store
        .get(RecordKind::Organization, "oaci", Visibility::All)
        .await
        .unwrap()
        .unwrap();
    store
        .update(
            oaci.record,
            RecordState::Archived,
            oaci.version,
            "t",
            "archive",
        )
        .await
        .unwrap();
    index.catch_up(&store).await.unwrap();
    let (_, body) = app
        .get("/api/v1/search?q=OACI&type=organization")
        .await
        .status_and_html();
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert!(
        v["results"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["slug"] != "oaci"),
        "{v}"
    );
    store.close().await;
}

/// A write through the API is searchable as soon as the API answers: the
/// write path brings the index up to date before acknowledging.
async fn a_write_is_searchable_when_acknowledged(db: &TestDb) {
    let (store, _index, app) = setup(db).await;
    let (_, secret) = store
        .create_token("search-test", paradiplo_core::Role::Publisher, "test")
        .await
        .unwrap();
    let body = serde_json::json!({
        "note": "Nouveau partenaire",
        "state": "published",
        "record": {
            "slug": "tyrol", "name": {"fr": "Tyrol zygomatique", "en": "Tyrol zygomatic"},
            "kind": "federated_state", "country": "AT", "subdivision": "AT-7",
            "world_region": "western_europe", "summary": {"fr": "Essai.", "en": "Test."}
        }
    });
    let res = app
        .request(
            Method::POST,
            "/api/v1/partners",
            &[("authorization", &format!("Bearer {secret}"))],
            Some(body),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED);
    // No poller runs in this test: only the write path can have indexed it.
    let (status, json) = app
        .get("/api/v1/search?q=zygomatique")
        .await
        .status_and_html();
    assert_eq!(status, StatusCode::OK);
    assert!(json.contains("\"tyrol\""), "{json}");
    store.close().await;
}

/// Fifty queries of the judged set (`bench/search/judged.tsv`), taken
/// evenly over it so that every kind of query is among them.
fn judged_queries() -> Vec<(String, String)> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../bench/search/judged.tsv");
    let lines: Vec<(String, String)> = std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            (cols[1].to_string(), cols[2].to_string())
        })
        .collect();
    let step = (lines.len() / 50).max(1);
    lines.into_iter().step_by(step).take(50).collect()
}

/// Every result of the portal's queries and of fifty judged queries links to
/// a page of the portal that answers 200, and an anchor in a link names an
/// element that exists on that page.
async fn every_result_links_to_a_portal_page(db: &TestDb) {
    let (store, _index, app) = setup(db).await;
    let mut queries: Vec<(String, String)> = [
        ("fr", "unesco"),
        ("fr", "regroupement"),
        ("en", "european union"),
        ("fr", "culture"),
        ("fr", "organisations"),
    ]
    .iter()
    .map(|(l, q)| (l.to_string(), q.to_string()))
    .collect();
    queries.extend(judged_queries());
    assert!(queries.len() >= 55, "{} queries", queries.len());
    let mut checked = 0;
    for (lang, q) in &queries {
        let query: String = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("q", q)
            .append_pair("lang", lang)
            .finish();
        let (status, json) = app
            .get(&format!("/api/v1/search?{query}"))
            .await
            .status_and_html();
        assert_eq!(status, StatusCode::OK, "{q}");
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        for hit in v["results"].as_array().unwrap() {
            let url = hit["url"].as_str().unwrap();
            let (path, anchor) = url.split_once('#').unwrap_or((url, ""));
            let (status, page) = app.get(path).await.status_and_html();
            assert_eq!(
                status,
                StatusCode::OK,
                "{q}: {url} ({}: {})",
                hit["type"],
                hit["slug"]
            );
            assert!(
                anchor.is_empty() || page.contains(&format!("id=\"{anchor}\"")),
                "{q}: {url}: no element with that id"
            );
            checked += 1;
        }
    }
    assert!(checked >= 200, "only {checked} results checked");
    store.close().await;
}

backend_tests!(
    every_result_links_to_a_portal_page,
    a_write_is_searchable_when_acknowledged,
    search_page_in_both_languages,
    paging_through_results,
    api_search_with_facets,
);
