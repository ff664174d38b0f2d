//! Open data, read back by other libraries: the JSON export imports into an
//! empty database and gives the same registry; CSV parses back to the same
//! rows; Popolo validates against the Popolo schemas; Atom and iCalendar
//! parse; the DCAT catalogue and the pages describe every file.

use axum::http::{Method, StatusCode};
use paradiplo_app::testkit::TestApp;
use paradiplo_core::{AnyRecord, Lang, PartialDate, RecordKind, Role};
use paradiplo_store::Visibility;
use paradiplo_testkit::{TestDb, backend_tests};
use paradiplo_web::open_data::{CSV_KINDS, csv_export};
use serde_json::{Value, json};
use std::collections::BTreeMap;

backend_tests!(
    json_export_imports_into_an_empty_database,
    csv_parses_back_to_the_same_rows,
    popolo_validates_against_the_popolo_schemas,
    atom_and_icalendar_parse_back,
    catalogue_and_pages_describe_every_file,
);

/// Exports from a seeded SQLite store, imports into the (empty) test database.
async fn json_export_imports_into_an_empty_database(db: &TestDb) {
    let source_db = TestDb::sqlite();
    let source = TestApp::seeded(&source_db).await;
    // A draft must not leak into the public export.
    let editor = source.token(Role::Editor, "e").await;
    let r = source
        .request(
            Method::POST,
            "/api/v1/domains",
            &[("authorization", &editor)],
            Some(json!({"record": {"slug": "secret", "name": {"fr": "Secret"}}, "note": "draft"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let export = source.get("/donnees-ouvertes/registry.json").await;
    assert_eq!(export.status, StatusCode::OK);
    assert_eq!(export.header("content-type"), "application/json");
    assert!(!export.body.contains("\"secret\""));
    let file = db.dir.path().join("registry.json");
    std::fs::write(&file, &export.bytes).unwrap();

    let dataset =
        paradiplo_dataset::read_json(&file.display().to_string(), &std::fs::read(&file).unwrap())
            .unwrap_or_else(|e| panic!("{e:?}"));
    let target = TestApp::empty(db).await;
    assert!(target.store.is_empty().await.unwrap());
    paradiplo_app::import(&target.store, &dataset, "test", "seed")
        .await
        .expect("import");
    assert_eq!(
        target.store.registry(Visibility::All).await.unwrap(),
        source.store.registry(Visibility::Public).await.unwrap(),
        "the same registry"
    );
    // Files too: the document's bytes came through base64.
    for record in dataset.registry.of_kind(RecordKind::Document) {
        let AnyRecord::Document(doc) = record else {
            unreachable!()
        };
        assert_eq!(
            target.store.blob(&doc.sha256).await.unwrap().unwrap().bytes,
            source.store.blob(&doc.sha256).await.unwrap().unwrap().bytes
        );
    }
    // Exporting again gives the same bytes (canonical form).
    let again = target.get("/donnees-ouvertes/registry.json").await;
    assert_eq!(again.bytes, export.bytes);
    source.shutdown().await;
    target.shutdown().await;
}

async fn csv_parses_back_to_the_same_rows(db: &TestDb) {
    let app = TestApp::seeded(db).await;
    let store = app.store.clone();
    // A name full of CSV's special characters.
    let publisher = app.token(Role::Publisher, "p").await;
    // A name is one line: the line break goes in the (multi-line) description.
    let tricky = "Quotes \"here\", commas; « guillemets »";
    let r = app.request(Method::POST,
        "/api/v1/domains",
        &[("authorization", &publisher)],
        Some(json!({"record": {"slug": "aaa-tricky", "name": {"fr": tricky, "en": "Tricky"}, "description": {"fr": "Ligne un,\r\nligne \"deux\"", "en": "One"}}, "state": "published", "note": "csv"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    for kind in CSV_KINDS {
        let res = app
            .get(&format!("/donnees-ouvertes/{}.csv", kind.plural()))
            .await;
        assert_eq!(res.status, StatusCode::OK);
        assert_eq!(res.header("content-type"), "text/csv; charset=utf-8");
        assert!(std::str::from_utf8(&res.bytes).is_ok(), "UTF-8");
        assert!(res.body.contains("\r\n"), "RFC 4180 line ends");
        let mut reader = csv::Reader::from_reader(res.bytes.as_slice());
        let headers: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
        let columns: Vec<String> = csv_export::columns(kind)
            .into_iter()
            .map(|c| c.header)
            .collect();
        assert_eq!(headers, columns);
        assert!(
            headers.contains(&"name_fr".to_string()) || headers.contains(&"title_fr".to_string())
        );
        let rows: Vec<Vec<String>> = reader
            .records()
            .map(|r| r.unwrap().iter().map(String::from).collect())
            .collect();
        let published = store.list(kind, Visibility::Public).await.unwrap();
        let expected: Vec<Vec<String>> = published
            .iter()
            .map(|s| csv_export::row(&csv_export::columns(kind), s))
            .collect();
        assert_eq!(rows, expected, "{kind}");
        // Independently of the row function: slugs and bilingual titles.
        let col = |name: &str| headers.iter().position(|h| h == name);
        let (fr, en) = match (col("name_fr"), col("title_fr")) {
            (Some(i), _) => (i, col("name_en").unwrap()),
            (_, Some(i)) => (i, col("title_en").unwrap()),
            _ => unreachable!(),
        };
        for (row, stored) in rows.iter().zip(&published) {
            assert_eq!(row[0], stored.record.slug().as_str());
            assert_eq!(row[fr], stored.record.title().fr);
            assert_eq!(
                row[en],
                stored.record.title().en.clone().unwrap_or_default()
            );
        }
        if kind == RecordKind::Domain {
            assert_eq!(rows[0][fr], tricky);
        }
    }
    store.close().await;
}

/// Popolo's schemas are draft 3 (`"required": true` on properties); this
/// rewrites them as draft 4, which the validator reads, without loosening
/// anything.
fn draft4(mut schema: Value) -> Value {
    fn walk(v: &mut Value) {
        if let Value::Object(map) = v {
            if let Some(Value::Object(props)) = map.get_mut("properties") {
                let mut required = Vec::new();
                for (name, prop) in props.iter_mut() {
                    if let Value::Object(p) = prop
                        && p.remove("required") == Some(Value::Bool(true))
                    {
                        required.push(Value::String(name.clone()));
                    }
                }
                if !required.is_empty() {
                    map.insert("required".into(), Value::Array(required));
                }
            }
            for (_, child) in map.iter_mut() {
                walk(child);
            }
        } else if let Value::Array(items) = v {
            items.iter_mut().for_each(walk);
        }
    }
    walk(&mut schema);
    schema["$schema"] = json!("http://json-schema.org/draft-04/schema#");
    schema
}

struct LocalPopolo(BTreeMap<String, Value>);

impl jsonschema::Retrieve for LocalPopolo {
    fn retrieve(
        &self,
        uri: &jsonschema::Uri<String>,
    ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        let name = uri
            .as_str()
            .rsplit('/')
            .next()
            .unwrap_or("")
            .trim_end_matches('#');
        self.0
            .get(name)
            .cloned()
            .ok_or_else(|| format!("no vendored Popolo schema for {uri}").into())
    }
}

fn popolo_validator(name: &str) -> jsonschema::Validator {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/popolo");
    let mut schemas = BTreeMap::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            let v: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
            schemas.insert(
                path.file_name().unwrap().to_string_lossy().into_owned(),
                draft4(v),
            );
        }
    }
    assert!(
        dir.join("LICENSE.md").exists(),
        "the schemas' licence is vendored with them"
    );
    let schema = schemas[name].clone();
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .with_retriever(LocalPopolo(schemas))
        .build(&schema)
        .unwrap()
}

async fn popolo_validates_against_the_popolo_schemas(db: &TestDb) {
    let app = TestApp::seeded(db).await;
    let doc = app.get("/donnees-ouvertes/popolo.json").await.json();
    let organizations = doc["organizations"].as_array().unwrap();
    let memberships = doc["memberships"].as_array().unwrap();
    let orgs = popolo_validator("organization.json");
    let members = popolo_validator("membership.json");
    for o in organizations {
        let errors: Vec<String> = orgs.iter_errors(o).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{o}: {errors:?}");
    }
    for m in memberships {
        let errors: Vec<String> = members.iter_errors(m).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{m}: {errors:?}");
    }
    // The validator is not vacuous: a broken organization fails.
    assert!(!orgs.is_valid(&json!({"id": "x", "founding_date": "1er juillet"})));
    assert!(!orgs.is_valid(&json!({"other_names": [{"note": "no name"}]})));
    // Every published partner, grouping and organization is there, and
    // every membership points at organizations of the document.
    let reg = app.store.registry(Visibility::Public).await.unwrap();
    let n = [
        RecordKind::Home,
        RecordKind::Partner,
        RecordKind::Grouping,
        RecordKind::Organization,
    ]
    .iter()
    .map(|k| reg.of_kind(*k).len())
    .sum::<usize>();
    assert_eq!(organizations.len(), n);
    let ids: Vec<&str> = organizations
        .iter()
        .map(|o| o["id"].as_str().unwrap())
        .collect();
    assert!(!memberships.is_empty());
    for m in memberships {
        assert!(ids.contains(&m["organization_id"].as_str().unwrap()));
        assert!(ids.contains(&m["member"]["id"].as_str().unwrap()));
    }
    app.shutdown().await;
}

async fn atom_and_icalendar_parse_back(db: &TestDb) {
    let app = TestApp::seeded(db).await;
    let store = app.store.clone();
    let reg = store.registry(Visibility::Public).await.unwrap();
    for lang in Lang::ALL {
        let res = app
            .get(&format!("/donnees-ouvertes/changes.{}.atom", lang.code()))
            .await;
        assert_eq!(res.header("content-type"), "application/atom+xml");
        let feed: atom_syndication::Feed = res.body.parse().unwrap();
        assert_eq!(feed.lang.as_deref(), Some(lang.code()));
        assert_eq!(feed.entries.len(), 100, "the newest 100 published changes");
        let mut ids: Vec<&str> = feed.entries.iter().map(|e| e.id.as_str()).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), 100, "entry ids are unique");
        assert!(
            feed.entries
                .iter()
                .all(|e| e.links[0].href.starts_with("http://"))
        );

        let res = app
            .get(&format!("/donnees-ouvertes/events.{}.ics", lang.code()))
            .await;
        assert_eq!(res.header("content-type"), "text/calendar; charset=utf-8");
        let text = res.body;
        let unfolded = icalendar::parser::unfold(&text);
        let cal = icalendar::parser::read_calendar(&unfolded).unwrap();
        let events: Vec<_> = cal
            .components
            .iter()
            .filter(|c| c.name == "VEVENT")
            .collect();
        let dated: Vec<&paradiplo_core::records::Event> = reg
            .of_kind(RecordKind::Event)
            .iter()
            .filter_map(|r| match r {
                AnyRecord::Event(e) if matches!(e.start, PartialDate::Day(_)) => Some(e),
                _ => None,
            })
            .collect();
        assert_eq!(events.len(), dated.len());
        assert!(!dated.is_empty());
        let first = dated[0];
        let ev = events
            .iter()
            .find(|c| {
                c.find_prop("UID")
                    .is_some_and(|p| p.val.as_str().starts_with(&format!("{}@", first.slug)))
            })
            .expect("the event is in the calendar");
        assert_eq!(
            ev.find_prop("SUMMARY").unwrap().val.as_str(),
            first
                .title
                .get(lang)
                .replace(',', "\\,")
                .replace(';', "\\;")
        );
        let PartialDate::Day(d) = first.start else {
            unreachable!()
        };
        assert_eq!(
            ev.find_prop("DTSTART").unwrap().val.as_str(),
            format!("{:04}{:02}{:02}", d.year(), u8::from(d.month()), d.day())
        );
    }
    // Drafts and archived records never reach the feed.
    let publisher = app.token(Role::Publisher, "p").await;
    let r = app
        .request(
            Method::POST,
            "/api/v1/partners/baviere/archive",
            &[("authorization", &publisher), ("if-match", "\"1\"")],
            Some(json!({"note": "gone"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let feed: atom_syndication::Feed = app
        .get("/donnees-ouvertes/changes.fr.atom")
        .await
        .body
        .parse()
        .unwrap();
    assert!(
        feed.entries
            .iter()
            .all(|e| !e.id.contains("/partners/baviere#"))
    );
    store.close().await;
}

async fn catalogue_and_pages_describe_every_file(db: &TestDb) {
    let app = TestApp::seeded(db).await;
    let store = app.store.clone();
    let cat = app.get("/donnees-ouvertes/catalog.jsonld").await;
    assert_eq!(cat.header("content-type"), "application/ld+json");
    let cat = cat.json();
    assert_eq!(cat["@type"], "dcat:Catalog");
    assert_eq!(cat["@context"]["dcat"], "http://www.w3.org/ns/dcat#");
    let mut described = BTreeMap::new();
    for ds in cat["dcat:dataset"].as_array().unwrap() {
        assert_eq!(ds["@type"], "dcat:Dataset");
        assert_eq!(
            ds["dct:license"]["@id"],
            "https://creativecommons.org/licenses/by/4.0/"
        );
        for d in ds["dcat:distribution"].as_array().unwrap() {
            let url = d["dcat:downloadURL"]["@id"].as_str().unwrap().to_string();
            let size: usize = d["dcat:byteSize"]["@value"]
                .as_str()
                .unwrap()
                .parse()
                .unwrap();
            described.insert(url, size);
        }
    }
    for lang in Lang::ALL {
        let page = app
            .get(if lang == Lang::Fr {
                "/donnees-ouvertes"
            } else {
                "/en/open-data"
            })
            .await;
        assert_eq!(page.status, StatusCode::OK);
        let html = page.body;
        assert!(html.contains("CC BY 4.0"));
        let mut listed = 0;
        for part in html.split("href=\"/donnees-ouvertes/").skip(1) {
            let name = part.split('"').next().unwrap();
            let bytes: usize = part
                .split("data-bytes=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap()
                .parse()
                .unwrap();
            let file = app.get(&format!("/donnees-ouvertes/{name}")).await;
            assert_eq!(file.status, StatusCode::OK, "{name}");
            assert_eq!(
                file.bytes.len(),
                bytes,
                "{name}: the size shown is the size served"
            );
            if name != "catalog.jsonld" {
                assert_eq!(
                    described.get(&format!("http://localhost/donnees-ouvertes/{name}")),
                    Some(&bytes),
                    "{name} in the catalogue"
                );
            }
            listed += 1;
        }
        assert_eq!(listed, described.len() + 1, "every file is listed");
        if lang == Lang::Fr {
            assert!(html.contains("\u{a0}Ko<"), "sizes in Québec French");
        } else {
            assert!(html.contains("\u{a0}KB<"));
        }
    }
    // Unknown files: 404; a changed store changes the files.
    assert_eq!(
        app.get("/donnees-ouvertes/nope.csv").await.status,
        StatusCode::NOT_FOUND
    );
    let before = app.get("/donnees-ouvertes/domains.csv").await.body;
    let publisher = app.token(Role::Publisher, "p").await;
    app.request(Method::POST, "/api/v1/domains", &[("authorization", &publisher)], Some(json!({"record": {"slug": "zzz", "name": {"fr": "Z"}}, "state": "published", "note": "n"}))).await;
    assert_ne!(app.get("/donnees-ouvertes/domains.csv").await.body, before);
    store.close().await;
}

#[test]
fn sizes_in_both_languages() {
    use paradiplo_web::open_data::format_size;
    assert_eq!(format_size(512, Lang::Fr), "512\u{a0}octets");
    assert_eq!(format_size(124_928, Lang::Fr), "122\u{a0}Ko");
    assert_eq!(format_size(124_928, Lang::En), "122\u{a0}KB");
    assert_eq!(format_size(1_258_291, Lang::Fr), "1,2\u{a0}Mo");
    assert_eq!(format_size(1_258_291, Lang::En), "1.2\u{a0}MB");
}
