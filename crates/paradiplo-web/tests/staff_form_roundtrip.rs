//! The staff edit form against a record of every kind with every field
//! filled: the form shows every field, and the form posted back unchanged
//! (with its hidden CSRF and version fields) saves a draft identical to the
//! record, field by field. On SQLite and PostgreSQL.
//!
//! "Every field" is read from the record types' schemas (the same ones the
//! API documents), so a field added to a kind fails here until the fixture
//! fills it.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use paradiplo_app::testkit::{Reply, TEST_PASSWORD as PASSWORD, TestApp};
use paradiplo_core::diff::flatten;
use paradiplo_core::records::*;
use paradiplo_core::{AnyRecord, RecordKind, RecordState, Role};
use paradiplo_store::{Store, Visibility};
use paradiplo_testkit::{TestDb, backend_tests};
use paradiplo_web::admin::AdminConfig;
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, BTreeSet};
use utoipa::ToSchema;

const EDITOR: &str = "editor@x.org";

backend_tests!(every_field_of_every_kind_survives_a_save_from_the_form);

async fn every_field_of_every_kind_survives_a_save_from_the_form(db: &TestDb) {
    let config = AdminConfig {
        argon2_memory_kib: 64,
        argon2_passes: 1,
        ..Default::default()
    };
    let app = TestApp::builder(db).admin(config).build().await;
    let store = &app.store;
    let full = full_records(store).await;
    app.add_staff(EDITOR, Role::Editor).await;
    let cookie = app.session(EDITOR, PASSWORD).await.cookie;
    assert_eq!(full.len(), RecordKind::ALL.len());
    for record in &full {
        let (kind, slug) = (record.kind(), record.slug().to_string());
        let uri = format!("/admin/records/{kind}/{slug}/edit");
        let page = app.get_as(&uri, &cookie).await;
        assert_eq!(page.status, StatusCode::OK, "{uri}: {}", page.body);
        let (fields, names) = form_fields(&page.body);
        shows_every_field(record, &names);
        let mut posted: Vec<(String, String)> =
            fields.into_iter().filter(|(k, _)| k != "note").collect();
        posted.push(("note".into(), "Aller-retour du formulaire".into()));
        let res = post(&app, &uri, &cookie, &posted, kind == RecordKind::Document).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{uri}: {}", res.body);
        let draft = store
            .draft(kind, &slug)
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("{kind} {slug}: no draft saved"));
        same_fields(record, &draft.record);
        assert_eq!(&draft.record, record, "{kind} {slug}");
    }
}

/// Fields of the version-2 model (issue 13) the form has no input for yet:
/// a single nested object (`adopted`, `term`), a list of free strings
/// (`reference_formats`), and a party's contracting body (whose name `body`
/// needs a label of its own, apart from a page's body). They are still
/// checked below to survive a save untouched; the form gains them with the
/// pickers of issue 17.
const NOT_YET_IN_FORM: [&str; 3] = ["adopted.", "term.", "reference_formats["];
const PARTY_FIELDS_NOT_YET_IN_FORM: [&str; 2] = [".body.", ".body_kind"];

/// Every field of the record has an input in the form (the slug of an
/// existing record is shown, not typed; a document's file is uploaded).
fn shows_every_field(record: &AnyRecord, names: &BTreeSet<String>) {
    let file_fields = ["file", "media_type", "size", "sha256"];
    for path in flatten(&record.to_json()).keys() {
        if path == "slug"
            || (record.kind() == RecordKind::Document && file_fields.contains(&path.as_str()))
            || NOT_YET_IN_FORM.iter().any(|p| path.starts_with(p))
            || (path.starts_with("parties[")
                && PARTY_FIELDS_NOT_YET_IN_FORM
                    .iter()
                    .any(|p| path.contains(p)))
        {
            continue;
        }
        // Lists of references and of URLs post one name for every item.
        let list = path
            .rsplit_once('[')
            .filter(|(_, r)| r.ends_with(']'))
            .map(|(l, _)| l);
        assert!(
            names.contains(path) || list.is_some_and(|l| names.contains(l)),
            "{} {}: the form has no field for {path}",
            record.kind(),
            record.slug()
        );
    }
}

/// The saved record equals the original, compared path by path first so a
/// failure names the field.
fn same_fields(before: &AnyRecord, after: &AnyRecord) {
    let (a, b) = (flatten(&before.to_json()), flatten(&after.to_json()));
    for path in a.keys().chain(b.keys()) {
        assert_eq!(
            a.get(path),
            b.get(path),
            "{} {}: field {path} changed through the form",
            before.kind(),
            before.slug()
        );
    }
}

/// POSTs the form as a browser would: URL-encoded, or multipart with an
/// empty file part when the form uploads a file.
async fn post(
    app: &TestApp,
    uri: &str,
    cookie: &str,
    fields: &[(String, String)],
    multipart: bool,
) -> Reply {
    if !multipart {
        return app.post_form(uri, cookie, fields).await;
    }
    let boundary = "----paradiplo-roundtrip";
    let mut body = String::new();
    for (k, v) in fields {
        body.push_str(&format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
        ));
    }
    body.push_str(&format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"upload\"; filename=\"\"\r\nContent-Type: application/octet-stream\r\n\r\n\r\n--{boundary}--\r\n"
    ));
    let req = Request::post(uri)
        .header(header::COOKIE, cookie)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from(body))
        .unwrap();
    app.send(req).await
}

// ---------------------------------------------------------------------------
// The form as a browser submits it.

/// The name/value pairs a browser would submit from the record form (text
/// inputs, hidden inputs, checked boxes, textareas and selected options),
/// and the names of all its fields, submitted or not.
fn form_fields(html: &str) -> (Vec<(String, String)>, BTreeSet<String>) {
    let start = html.find("id=\"record-form\"").expect("a record form");
    let end = start + html[start..].find("</form>").expect("the form ends");
    let form = &html[start..end];
    let mut out = Vec::new();
    let mut names = BTreeSet::new();
    let mut rest = form;
    while let Some(i) = rest.find('<') {
        rest = &rest[i..];
        let tag_end = rest.find('>').expect("tags close");
        let tag = &rest[..tag_end];
        let (name, attrs) = tag_and_attrs(tag);
        let after = &rest[tag_end + 1..];
        if let Some(n) = attrs.get("name") {
            names.insert(n.clone());
        }
        match name {
            "input" => {
                let ty = attrs.get("type").map(String::as_str).unwrap_or("text");
                let checked = attrs.contains_key("checked");
                if let Some(n) = attrs.get("name")
                    && ty != "file"
                    && (ty != "checkbox" || checked)
                {
                    out.push((n.clone(), attrs.get("value").cloned().unwrap_or_default()));
                }
            }
            "textarea" => {
                let close = after.find("</textarea>").expect("textarea closes");
                out.push((attrs["name"].clone(), unescape(&after[..close])));
            }
            "select" => {
                let close = after.find("</select>").expect("select closes");
                let mut first = None;
                let mut chosen = None;
                for option in after[..close].split("<option").skip(1) {
                    let (_, a) =
                        tag_and_attrs(&format!("option{}", &option[..option.find('>').unwrap()]));
                    let value = a.get("value").cloned().unwrap_or_default();
                    first.get_or_insert(value.clone());
                    if a.contains_key("selected") {
                        chosen = Some(value);
                    }
                }
                out.push((attrs["name"].clone(), chosen.or(first).unwrap_or_default()));
            }
            _ => {}
        }
        rest = after;
    }
    (out, names)
}

/// The element name and attributes of a start tag (`<input a="b" c`).
fn tag_and_attrs(tag: &str) -> (&str, BTreeMap<String, String>) {
    let tag = tag.trim_start_matches('<');
    let name_end = tag.find(|c: char| c.is_whitespace()).unwrap_or(tag.len());
    let mut attrs = BTreeMap::new();
    let mut rest = tag[name_end..].trim_start();
    while !rest.is_empty() {
        let key_end = rest
            .find(|c: char| c == '=' || c.is_whitespace())
            .unwrap_or(rest.len());
        let key = rest[..key_end].to_string();
        rest = &rest[key_end..];
        if let Some(r) = rest.strip_prefix("=\"") {
            let close = r.find('"').expect("attribute values are quoted");
            attrs.insert(key, unescape(&r[..close]));
            rest = &r[close + 1..];
        } else {
            attrs.insert(key, String::new());
        }
        rest = rest.trim_start();
    }
    (&tag[..name_end], attrs)
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

// ---------------------------------------------------------------------------
// A record of every kind with every field filled.

/// For each kind, in dependency order: the bundled record with the most
/// fields, with what it leaves empty filled in, stored as a new published
/// record (kinds the bundled dataset lacks are written here whole).
async fn full_records(store: &Store) -> Vec<AnyRecord> {
    let stored: Vec<AnyRecord> = store
        .all(Visibility::All)
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.record)
        .collect();
    let other = |kind: RecordKind, not: &str| {
        stored
            .iter()
            .filter(|r| r.kind() == kind && r.slug().as_str() != not)
            .map(|r| r.slug().to_string())
            .next()
            .unwrap_or_else(|| panic!("no other {kind} than {not}"))
    };
    let mut slugs: BTreeMap<RecordKind, String> = BTreeMap::new();
    let mut out = Vec::new();
    for kind in RecordKind::ALL {
        let bundled = richest(&stored, kind);
        let mut patch = fill(kind, &slugs, &other);
        if bundled.as_ref().is_none_or(|b| b.staff_note().is_none()) {
            patch["staff_note"] = json!("Note interne d’essai.\nSur deux lignes.");
        }
        let record = match bundled {
            Some(b) if patch.as_object().is_some_and(Map::is_empty) => b,
            b => {
                let mut value = b.map(|r| r.to_json()).unwrap_or_else(|| json!({}));
                merge(&mut value, patch);
                if kind == RecordKind::Home {
                    // One home per registry: the bundled one is completed in place.
                    let record =
                        AnyRecord::from_json(kind, value).unwrap_or_else(|e| panic!("{kind}: {e}"));
                    let current = store
                        .get(kind, record.slug().as_str(), Visibility::All)
                        .await
                        .unwrap()
                        .expect("the bundled home");
                    store
                        .update(
                            record.clone(),
                            RecordState::Published,
                            current.version,
                            "seed",
                            "seed",
                        )
                        .await
                        .unwrap_or_else(|e| panic!("{kind}: {e:?}"));
                    every_schema_field_is_filled(&record);
                    slugs.insert(kind, record.slug().to_string());
                    out.push(record);
                    continue;
                }
                let slug = format!(
                    "{}-complet",
                    value["slug"].as_str().unwrap_or(kind.as_str())
                );
                value["slug"] = json!(slug);
                let record =
                    AnyRecord::from_json(kind, value).unwrap_or_else(|e| panic!("{kind}: {e}"));
                store
                    .create(record.clone(), RecordState::Published, "seed", "seed")
                    .await
                    .unwrap_or_else(|e| panic!("{kind}: {e:?}"));
                record
            }
        };
        every_schema_field_is_filled(&record);
        slugs.insert(kind, record.slug().to_string());
        out.push(record);
    }
    out
}

/// The stored record of a kind with the most filled fields.
fn richest(stored: &[AnyRecord], kind: RecordKind) -> Option<AnyRecord> {
    stored
        .iter()
        .filter(|r| r.kind() == kind)
        .max_by_key(|r| flatten(&r.to_json()).len())
        .cloned()
}

/// Objects merge key by key and lists of objects item by item (extra
/// items are added); anything else replaces.
fn merge(into: &mut Value, patch: Value) {
    match (into, patch) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, v) in b {
                merge(a.entry(k).or_insert(Value::Null), v);
            }
        }
        (Value::Array(a), Value::Array(b)) if b.iter().all(Value::is_object) => {
            for (i, v) in b.into_iter().enumerate() {
                match a.get_mut(i) {
                    Some(slot) => merge(slot, v),
                    None => a.push(v),
                }
            }
        }
        (slot, v) => *slot = v,
    }
}

/// What each kind's richest bundled record leaves empty, filled in. `slugs`
/// holds the full records made so far; `other` names a stored record of a
/// kind that is not the given one.
fn fill(
    kind: RecordKind,
    slugs: &BTreeMap<RecordKind, String>,
    other: &dyn Fn(RecordKind, &str) -> String,
) -> Value {
    let slug = |k: RecordKind| slugs[&k].clone();
    let text = |fr: &str, en: &str| json!({"fr": fr, "en": en});
    match kind {
        RecordKind::Home => json!({
            "reference_formats": ["####-###", "####-##"],
            "contact": {"contact_url": "https://www.quebec.ca/gouvernement/nous-joindre"},
        }),
        RecordKind::Partner => json!({"bilateral": false, "until": "2024-06"}),
        RecordKind::Representation => json!({
            "opened": "1961",
            "closed": "2024-06-30",
            "reports_to": other(RecordKind::Representation, "rome"),
            "partners": [slug(RecordKind::Partner)],
        }),
        RecordKind::Grouping => json!({
            "acronym": text("GLSL", "GLSL"),
            "members": [{"until": "2024"}],
        }),
        RecordKind::Organization => json!({
            "historical": true,
            "parent": other(RecordKind::Organization, "oaci"),
        }),
        RecordKind::Agreement => agreement_fill(&slug, other),
        RecordKind::Event => json!({
            "grouping": slug(RecordKind::Grouping),
            "partners": [slug(RecordKind::Partner)],
            "documents": [slug(RecordKind::Document)],
        }),
        RecordKind::Position => json!({
            "event": slug(RecordKind::Event),
            "documents": [slug(RecordKind::Document)],
        }),
        RecordKind::Intervention => json!({
            "complements_federal_position": true,
            "documents": [slug(RecordKind::Document)],
        }),
        RecordKind::Page => json!({
            "documents": [slug(RecordKind::Document)],
            "sections": [other(RecordKind::Page, "union-europeenne")],
        }),
        RecordKind::Person => json!({
            "slug": "personne",
            "name": text("Jeanne Tremblay", "Jeanne Tremblay"),
            "posts": [{
                "title": text("Déléguée", "Delegate"),
                "within": format!("partner:{}", slug(RecordKind::Partner)),
                "representation": slug(RecordKind::Representation),
                "since": "2020",
                "until": "2024-05",
            }],
            "note": text("Une note.", "A note."),
            "sources": ["https://example.org/personne"],
        }),
        RecordKind::Activity => json!({
            "slug": "activite",
            "title": text("Mission à Munich", "Mission to Munich"),
            "kind": "mission",
            "status": "held",
            "start": "2024-03-04",
            "end": "2024-03-08",
            "place": text("Munich", "Munich"),
            "country": "DE",
            "partners": [slug(RecordKind::Partner)],
            "organizations": [slug(RecordKind::Organization)],
            "participants": [{"person": slug(RecordKind::Person), "role": text("Cheffe", "Head")}],
            "subject": text("Coopération.", "Cooperation."),
            "domains": [slug(RecordKind::Domain)],
            "outcomes": text("Des résultats.", "Outcomes."),
            "public_summary": text("Résumé public.", "Public summary."),
            "documents": [slug(RecordKind::Document)],
        }),
        RecordKind::FollowUp => json!({
            "slug": "suivi",
            "title": text("Envoyer le rapport", "Send the report"),
            "activity": slug(RecordKind::Activity),
            "agreement": slug(RecordKind::Agreement),
            "owner": "editor@x.org",
            "due": "2030-01-15",
            "state": "in_progress",
            "note": text("À suivre.", "To follow."),
        }),
        _ => json!({}),
    }
}

/// An agreement with every field, the version-2 ones included (issue 13).
fn agreement_fill(
    slug: &dyn Fn(RecordKind) -> String,
    other: &dyn Fn(RecordKind, &str) -> String,
) -> Value {
    let text = |fr: &str, en: &str| json!({"fr": fr, "en": en});
    json!({
        "reference": "2005-001",
        "signed": "2005-10-20",
        "signed_at": text("Paris", "Paris"),
        "in_force": "2007-03-18",
        "ended": "2024-12-31",
        "descriptive_title": true,
        "adopted": {
            "date": "2005-10-20",
            "by": format!("organization:{}", other(RecordKind::Organization, "")),
            "body": text("Conférence générale", "General Conference"),
            "place": text("Paris", "Paris"),
        },
        "provisional_application": "2006-01-01",
        "term": {
            "months": 36,
            "expires": "2030-12-31",
            "renewal": "tacit",
            "renewal_months": 36,
            "notice_months": 6,
            "note": text("Reconduite par périodes de trois ans.", "Renewed for three-year periods."),
        },
        "instruments": [{
            "kind": "letter",
            "date": "2005-10-21",
            "sender": "home",
            "signatory": text("La ministre", "The minister"),
            "addressee": format!("partner:{}", slug(RecordKind::Partner)),
            "place": text("Québec", "Québec"),
            "note": text("Première lettre.", "First letter."),
            "documents": [slug(RecordKind::Document)],
        }],
        "measures": [{
            "kind": "decree",
            "number": "1234-2005",
            "date": "2005-11-16",
            "citation": text("Gazette officielle du Québec", "Gazette officielle du Québec"),
            "url": "https://www.publicationsduquebec.gouv.qc.ca/",
        }],
        "parties": [{
            "reservations": text("Une réserve.", "A reservation."),
            "body": text("Gouvernement", "Government"),
            "body_kind": "government",
        }],
        "steps": [{"documents": [slug(RecordKind::Document)]}],
        "planned": [{"step": "denonciation", "due": "2030-01", "note": text("Prévu.", "Planned.")}],
        "commitments": [{
            "kind": "report",
            "description": text("Un rapport.", "A report."),
            "responsible": text("Le ministère", "The ministry"),
            "due": "2030-06",
            "every_months": 12,
        }],
        "related": [{"relation": "amends", "agreement": other(RecordKind::Agreement, "")}],
        "documents": [slug(RecordKind::Document)],
    })
}

// ---------------------------------------------------------------------------
// Every field, from the schema.

/// Fails when a field of the record's schema is empty in the record (for a
/// list, in any of its items), so the fixture keeps up with the record types.
fn every_schema_field_is_filled(record: &AnyRecord) {
    let (name, components) = schema_of(record.kind());
    // `steps[3].entry` counts as `steps[0].entry`: some item has it.
    let filled: BTreeSet<String> = flatten(&record.to_json())
        .into_keys()
        .map(|k| first_item(&k))
        .collect();
    let mut missing = Vec::new();
    walk(
        &json!({"$ref": format!("#/components/schemas/{name}")}),
        "",
        &components,
        &filled,
        &mut missing,
    );
    assert!(
        missing.is_empty(),
        "{} {}: the fixture leaves empty {missing:?}",
        record.kind(),
        record.slug()
    );
}

fn walk(
    schema: &Value,
    path: &str,
    components: &Map<String, Value>,
    filled: &BTreeSet<String>,
    missing: &mut Vec<String>,
) {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        let name = r.rsplit('/').next().unwrap();
        let target = components
            .get(name)
            .unwrap_or_else(|| panic!("no schema {name}"));
        return walk(target, path, components, filled, missing);
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(alternatives) = schema.get(key).and_then(Value::as_array) {
            // The first alternative that is not null (a text: both languages).
            let first = alternatives
                .iter()
                .find(|a| a.get("type") != Some(&json!("null")));
            return walk(first.unwrap(), path, components, filled, missing);
        }
    }
    if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
        for part in all {
            walk(part, path, components, filled, missing);
        }
        return;
    }
    let at = |k: &str| {
        if path.is_empty() {
            k.to_string()
        } else {
            format!("{path}.{k}")
        }
    };
    if let Some(props) = schema.get("properties").and_then(Value::as_object) {
        for (k, sub) in props {
            walk(sub, &at(k), components, filled, missing);
        }
    } else if let Some(items) = schema.get("items") {
        walk(items, &format!("{path}[0]"), components, filled, missing);
    } else if !filled.contains(path) {
        missing.push(path.to_string());
    }
}

/// A path with every list index set to 0.
fn first_item(path: &str) -> String {
    let mut out = String::new();
    let mut in_index = false;
    for c in path.chars() {
        match c {
            '[' => {
                in_index = true;
                out.push_str("[0");
            }
            ']' => {
                in_index = false;
                out.push(']');
            }
            _ if in_index => {}
            c => out.push(c),
        }
    }
    out
}

/// The schema name of a kind's record type and every schema it refers to.
fn schema_of(kind: RecordKind) -> (String, Map<String, Value>) {
    fn of<T: ToSchema>() -> (String, Map<String, Value>) {
        let mut list = vec![(T::name().to_string(), T::schema())];
        T::schemas(&mut list);
        let map = list
            .into_iter()
            .map(|(n, s)| (n, serde_json::to_value(s).unwrap()))
            .collect();
        (T::name().to_string(), map)
    }
    match kind {
        RecordKind::Home => of::<Home>(),
        RecordKind::Domain => of::<Domain>(),
        RecordKind::Procedure => of::<Procedure>(),
        RecordKind::Partner => of::<Partner>(),
        RecordKind::Representation => of::<Representation>(),
        RecordKind::Grouping => of::<Grouping>(),
        RecordKind::Organization => of::<Organization>(),
        RecordKind::Agreement => of::<Agreement>(),
        RecordKind::Position => of::<Position>(),
        RecordKind::Event => of::<Event>(),
        RecordKind::Intervention => of::<Intervention>(),
        RecordKind::Document => of::<Document>(),
        RecordKind::Page => of::<Page>(),
        RecordKind::Person => of::<Person>(),
        RecordKind::Activity => of::<Activity>(),
        RecordKind::FollowUp => of::<FollowUp>(),
    }
}
