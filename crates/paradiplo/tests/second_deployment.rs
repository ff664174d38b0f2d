//! Another federated state runs its own instance: the Flanders dataset
//! (`data/flandre`) in an empty store serves every page type of its sitemap
//! in both languages, its hub, lists, search and open data, and no page
//! names Québec, whose data is not there.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use paradiplo::ops;
use paradiplo_core::{RecordKind, Registry};
use paradiplo_dataset::Dataset;
use paradiplo_search::SearchIndex;
use paradiplo_store::Store;
use paradiplo_testkit::{TestDb, backend_tests};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tower::ServiceExt;

fn flanders_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/flandre")
}

/// Every text file of the dataset, as one string.
fn dataset_text() -> String {
    let mut text = String::new();
    for entry in std::fs::read_dir(flanders_dir()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            text.push_str(&std::fs::read_to_string(&path).unwrap());
        }
    }
    text
}

fn names_quebec(text: &str) -> bool {
    let lower = text.to_lowercase();
    lower.contains("québec") || lower.contains("quebec")
}

async fn get(app: &axum::Router, uri: &str) -> (StatusCode, String) {
    let res = app
        .clone()
        .oneshot(Request::builder().uri(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = res.status();
    let bytes = axum::body::to_bytes(res.into_body(), 10 << 20)
        .await
        .unwrap();
    // minijinja escapes "/" in attributes; read hrefs as a browser does.
    let body = String::from_utf8_lossy(&bytes).replace("&#x2f;", "/");
    (status, body)
}

/// The dataset in an empty store, served with its search index.
async fn serve(db: &TestDb, dataset: &Dataset) -> axum::Router {
    let store = Store::open(&db.url).await.unwrap();
    let report = ops::import(&store, dataset, "test", "Flanders dataset")
        .await
        .unwrap();
    assert_eq!(report.created, dataset.registry.len(), "{report:?}");
    let (index, _) = SearchIndex::open(&db.dir.path().join("idx"), &store, &mut |_, _| {})
        .await
        .unwrap();
    paradiplo_web::router(
        paradiplo_web::AppState::new(store, paradiplo_web::Branding::default())
            .with_search(Arc::new(index)),
    )
}

/// The paths of the sitemap's `<loc>`s, without scheme and host.
fn sitemap_paths(xml: &str) -> Vec<String> {
    xml.split("<loc>")
        .skip(1)
        .map(|s| {
            let url = s.split("</loc>").next().unwrap().replace("&amp;", "&");
            let after_scheme = url.split_once("://").map_or(url.as_str(), |(_, r)| r);
            let at = after_scheme.find('/').unwrap_or(after_scheme.len());
            after_scheme[at..].to_string()
        })
        .collect()
}

/// The links of a page that start with one of `prefixes`, without fragment.
fn links(html: &str, prefixes: &[&str]) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap().replace("&amp;", "&"))
        .map(|h| h.split('#').next().unwrap().to_string())
        .filter(|h| {
            prefixes
                .iter()
                .any(|p| h.starts_with(p) && h.len() > p.len())
        })
        .collect()
}

async fn every_page_type_serves_without_quebec(db: &TestDb) {
    // The check below means something only if the data does not name Québec.
    assert!(
        !names_quebec(&dataset_text()),
        "data/flandre names Québec: the pages may then name it too"
    );
    let dataset = ops::check(&flanders_dir()).unwrap();
    let app = serve(db, &dataset).await;

    let (status, xml) = get(&app, "/sitemap.xml").await;
    assert_eq!(status, StatusCode::OK);
    let mut paths = sitemap_paths(&xml);
    for kind in [
        "partenaires",
        "regroupements",
        "organisations",
        "ententes",
        "evenements",
    ] {
        assert!(
            paths.iter().any(|p| p.starts_with(&format!("/{kind}/"))),
            "the sitemap has a {kind} record page: {paths:?}"
        );
    }
    for hub in [
        "/partenaires-et-organisations",
        "/en/partners-and-organizations",
    ] {
        assert!(paths.iter().any(|p| p == hub), "{hub} in {paths:?}");
    }
    assert!(paths.iter().any(|p| p.starts_with("/en/")), "English pages");
    paths.extend(
        [
            "/recherche?q=flamande",
            "/en/search?q=Flemish",
            "/donnees-ouvertes",
            "/en/open-data",
        ]
        .map(String::from),
    );
    let (_, open_data) = get(&app, "/donnees-ouvertes").await;
    let files = links(&open_data, &["/donnees-ouvertes/"]);
    assert!(!files.is_empty(), "the open-data page links its files");
    paths.extend(files);
    for path in &paths {
        let (status, body) = get(&app, path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(!names_quebec(&body), "{path} names Québec");
    }
}

async fn hub_and_search_come_from_the_data(db: &TestDb) {
    let dataset = ops::check(&flanders_dir()).unwrap();
    let app = serve(db, &dataset).await;
    let (status, fr) = get(&app, "/partenaires-et-organisations").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        fr.contains("Le gouvernement flamand entretient des relations bilatérales avec 1 États"),
        "{fr}"
    );
    // The city of the organizations present is found in the data.
    assert!(fr.contains("de ces organisations sont à Bruges"), "{fr}");
    assert!(fr.contains("ville=bruges"), "{fr}");
    // The hub page's `sections` list the page; the page's records are linked.
    assert!(fr.contains("id=\"langue-neerlandaise\""), "{fr}");
    assert!(fr.contains("href=\"/organisations/union-langue-neerlandaise\""));
    assert!(fr.contains("href=\"/ententes/traite-union-langue-neerlandaise\""));
    let (_, en) = get(&app, "/en/partners-and-organizations").await;
    assert!(en.contains("of these organizations are in Bruges"), "{en}");
    assert!(en.contains("href=\"/en/agreements/traite-union-langue-neerlandaise\""));

    // « flamande » finds the partner whose text says only « Flandre »: the
    // place and its adjectives come from the home record.
    let (_, found) = get(&app, "/recherche?q=flamande").await;
    assert!(
        found.contains("data-key=\"partner/bade-wurtemberg\""),
        "{found}"
    );
    let (_, found) = get(&app, "/en/search?q=Flemish").await;
    assert!(
        found.contains("data-key=\"partner/bade-wurtemberg\""),
        "{found}"
    );
}

async fn without_pages_the_hub_is_built_from_the_data(db: &TestDb) {
    let full = ops::check(&flanders_dir()).unwrap();
    let mut registry = Registry::new();
    for r in full
        .registry
        .iter()
        .filter(|r| r.kind() != RecordKind::Page)
    {
        registry.push(r.clone());
    }
    let dataset = Dataset {
        registry,
        ..full.clone()
    };
    let app = serve(db, &dataset).await;
    let (status, fr) = get(&app, "/partenaires-et-organisations").await;
    assert_eq!(status, StatusCode::OK);
    assert!(fr.contains("<h1>Partenaires et organisations</h1>"), "{fr}");
    assert!(
        fr.contains("href=\"/regroupements/initiative-vanguard\""),
        "{fr}"
    );
    assert!(!fr.contains("id=\"langue-neerlandaise\""));
    let (status, en) = get(&app, "/en/partners-and-organizations").await;
    assert_eq!(status, StatusCode::OK);
    assert!(en.contains("<h1>Partners and organizations</h1>"), "{en}");
}

backend_tests!(
    every_page_type_serves_without_quebec,
    hub_and_search_come_from_the_data,
    without_pages_the_hub_is_built_from_the_data,
);

#[tokio::test]
async fn the_dataset_is_in_canonical_form() {
    // Like data/quebec: an export of the imported dataset gives back the
    // same bytes, so that the folder diffs cleanly against an export.
    let db = TestDb::sqlite();
    let store = Store::open(&db.url).await.unwrap();
    let dataset = ops::check(&flanders_dir()).unwrap();
    ops::import(&store, &dataset, "test", "Flanders dataset")
        .await
        .unwrap();
    let out = db.dir.path().join("canonical");
    ops::export(&store, &out, true).await.unwrap();
    let mut names: Vec<_> = std::fs::read_dir(flanders_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    names.sort();
    let mut exported: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    exported.sort();
    assert_eq!(names, exported);
    for name in names {
        assert_eq!(
            std::fs::read_to_string(flanders_dir().join(&name)).unwrap(),
            std::fs::read_to_string(out.join(&name)).unwrap(),
            "{name:?}"
        );
    }
}
