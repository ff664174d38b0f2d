//! Open data: the published registry as downloadable files (CSV per
//! collection, the whole registry as JSON in the import format, Popolo,
//! iCalendar, Atom) and a DCAT-AP catalogue describing them, listed on
//! `/donnees-ouvertes` and `/en/open-data` with licence, size and date.
//!
//! Files are generated from the store on request and cached until the
//! store changes (keyed by the newest revision id and the site address).

pub mod calendar;
pub mod csv_export;
pub mod feed;
pub mod popolo;

use crate::AppState;
use crate::api::params::{ApiQuery, as_of_date};
use crate::api::problem::{ApiError, ApiLang, ProblemKind};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use paradiplo_core::{AnyRecord, Lang, RecordKind, RecordState};
use paradiplo_dataset::{Dataset, write_json};
use paradiplo_store::{StoreError, StoredRecord, Visibility};
use serde::Serialize;
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};

/// The licence of the open data; CC BY 4.0 unless the deployer says otherwise.
#[derive(Debug, Clone, Serialize)]
pub struct Licence {
    pub name: String,
    pub url: String,
}

impl Default for Licence {
    fn default() -> Self {
        Licence {
            name: "CC BY 4.0".into(),
            url: "https://creativecommons.org/licenses/by/4.0/".into(),
        }
    }
}

/// The collections exported as CSV.
pub const CSV_KINDS: [RecordKind; 7] = [
    RecordKind::Partner,
    RecordKind::Grouping,
    RecordKind::Organization,
    RecordKind::Agreement,
    RecordKind::Event,
    RecordKind::Representation,
    RecordKind::Domain,
];

/// One downloadable file.
#[derive(Debug, Clone)]
pub struct ExportFile {
    pub name: String,
    pub media_type: &'static str,
    pub bytes: Arc<Vec<u8>>,
}

/// Every file of one state of the store.
#[derive(Debug, Clone)]
pub struct Exports {
    pub files: Vec<ExportFile>,
    /// The newest change among published records (stored timestamp).
    pub modified: Option<String>,
}

/// What the exports depend on: the newest revision id and the site address.
type CacheKey = (i64, String);

/// The cache of the exports, shared by the server.
#[derive(Debug, Default)]
pub struct ExportCache {
    current: Mutex<Option<(CacheKey, Arc<Exports>)>>,
}

/// A dataset of the catalogue: id, French and English titles, which files.
type DatasetGroup = (&'static str, &'static str, &'static str, fn(&str) -> bool);

fn file_title(name: &str, lang: Lang) -> String {
    let (stem, _) = name.split_once('.').unwrap_or((name, ""));
    if let Some(kind) = CSV_KINDS.iter().find(|k| k.plural() == stem)
        && name.ends_with(".csv")
    {
        return kind.label(lang).to_string();
    }
    let key = format!("open_data_file_{}", name.replace('.', "_"));
    crate::api::problem::message(lang, &key, &[])
}

fn format_label(media_type: &str) -> &'static str {
    match media_type {
        m if m.starts_with("text/csv") => "CSV",
        "application/ld+json" => "JSON-LD (DCAT-AP)",
        "application/json" => "JSON",
        m if m.starts_with("text/calendar") => "iCalendar",
        "application/atom+xml" => "Atom",
        _ => "",
    }
}

/// "122 Ko" / "122 KB"; "512 octets" / "512 bytes"; "1,2 Mo" / "1.2 MB".
pub fn format_size(bytes: usize, lang: Lang) -> String {
    let (b, k, m) = match lang {
        Lang::Fr => ("octets", "Ko", "Mo"),
        Lang::En => ("bytes", "KB", "MB"),
    };
    if bytes < 1024 {
        format!("{bytes}\u{a0}{b}")
    } else if bytes < 1024 * 1024 {
        format!("{}\u{a0}{k}", bytes.div_ceil(1024))
    } else {
        let mb = format!("{:.1}", bytes as f64 / (1024.0 * 1024.0));
        let mb = if lang == Lang::Fr {
            mb.replace('.', ",")
        } else {
            mb
        };
        format!("{mb}\u{a0}{m}")
    }
}

/// The site's absolute address, from the request (for Atom ids, iCalendar
/// UIDs and the catalogue, which need absolute URIs).
pub fn base_url(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
        })
        .unwrap_or("localhost");
    let scheme = match headers
        .get("x-forwarded-proto")
        .and_then(|h| h.to_str().ok())
    {
        Some("https") => "https",
        _ => "http",
    };
    format!("{scheme}://{host}")
}

async fn published(state: &AppState) -> Result<Vec<StoredRecord>, StoreError> {
    state.store.all(Visibility::Public).await
}

/// The whole published registry as a dataset (records and their files).
pub async fn public_dataset(
    state: &AppState,
    records: &[StoredRecord],
) -> Result<Dataset, StoreError> {
    let mut dataset = Dataset::default();
    for stored in records {
        debug_assert_eq!(stored.state, RecordState::Published);
        if let AnyRecord::Document(doc) = &stored.record
            && let Some(blob) = state.store.blob(&doc.sha256).await?
        {
            dataset.files.insert(doc.file.clone(), blob.bytes);
        }
        dataset.registry.push(stored.record.clone());
    }
    dataset.registry.sort();
    Ok(dataset)
}

fn file(name: impl Into<String>, media_type: &'static str, bytes: Vec<u8>) -> ExportFile {
    ExportFile {
        name: name.into(),
        media_type,
        bytes: Arc::new(bytes),
    }
}

async fn registry_file(
    state: &AppState,
    records: &[StoredRecord],
) -> Result<ExportFile, StoreError> {
    let dataset = public_dataset(state, records).await?;
    Ok(file(
        "registry.json",
        "application/json",
        serde_json::to_vec_pretty(&write_json(&dataset)).expect("JSON serializes"),
    ))
}

fn csv_file(kind: RecordKind, records: &[StoredRecord]) -> ExportFile {
    let of_kind: Vec<&StoredRecord> = records.iter().filter(|s| s.record.kind() == kind).collect();
    file(
        format!("{}.csv", kind.plural()),
        "text/csv; charset=utf-8",
        csv_export::render(kind, &of_kind),
    )
}

fn popolo_file(records: &[StoredRecord]) -> ExportFile {
    file(
        "popolo.json",
        "application/json",
        serde_json::to_vec_pretty(&popolo::render(records)).expect("JSON serializes"),
    )
}

fn portal_name(state: &AppState, lang: Lang) -> String {
    match lang {
        Lang::Fr => state.branding.name_fr.clone(),
        Lang::En => state.branding.name_en.clone(),
    }
}

fn calendar_file(state: &AppState, records: &[StoredRecord], lang: Lang, base: &str) -> ExportFile {
    let host = base.split("://").nth(1).unwrap_or(base);
    let events_name = format!(
        "{} — {}",
        portal_name(state, lang),
        RecordKind::Event.label(lang)
    );
    file(
        format!("events.{}.ics", lang.code()),
        "text/calendar; charset=utf-8",
        calendar::render(records, lang, host, &events_name).into_bytes(),
    )
}

/// The public change notes of the versions the feed lists.
async fn public_notes(
    state: &AppState,
    changes: &[paradiplo_store::Revision],
) -> Result<feed::PublicNotes, StoreError> {
    let mut notes = feed::PublicNotes::new();
    let records: std::collections::BTreeSet<(RecordKind, &str)> =
        changes.iter().map(|r| (r.kind, r.slug.as_str())).collect();
    for (kind, slug) in records {
        for p in state.store.public_changes(kind, slug).await? {
            if let Some(note) = p.public_note {
                notes.insert((kind, p.slug, p.version), note);
            }
        }
    }
    Ok(notes)
}

async fn build(state: &AppState, base: &str) -> Result<Exports, StoreError> {
    let records = published(state).await?;
    let modified = state.store.last_updated(Visibility::Public).await?;
    let mut files = vec![registry_file(state, &records).await?];
    for kind in CSV_KINDS {
        files.push(csv_file(kind, &records));
    }
    files.push(popolo_file(&records));
    let changes = state.store.published_changes(100).await?;
    let notes = public_notes(state, &changes).await?;
    let home = records.iter().find_map(|s| match &s.record {
        AnyRecord::Home(h) => Some(h.clone()),
        _ => None,
    });
    for lang in Lang::ALL {
        let portal = portal_name(state, lang);
        let author = home
            .as_ref()
            .map(|h| h.ministry.get(lang).to_string())
            .unwrap_or_else(|| portal.clone());
        files.push(calendar_file(state, &records, lang, base));
        let feed_title = format!(
            "{} — {}",
            portal,
            crate::api::problem::message(lang, "open_data_file_changes", &[])
        );
        files.push(file(
            format!("changes.{}.atom", lang.code()),
            "application/atom+xml",
            feed::render(&changes, &notes, lang, base, &feed_title, &author).into_bytes(),
        ));
    }
    let catalog = catalog(state, base, &files, modified.as_deref(), home.as_ref());
    files.push(file(
        "catalog.jsonld",
        "application/ld+json",
        serde_json::to_vec_pretty(&catalog).expect("JSON serializes"),
    ));
    Ok(Exports { files, modified })
}

/// Whether a file describes the network, and so has a version as of a date
/// (`?date=`): the registry, the CSV files, Popolo and the calendars. The
/// Atom feed and the catalogue describe publications, not the network.
pub fn has_dated_version(name: &str) -> bool {
    name == "registry.json"
        || name == "popolo.json"
        || CSV_KINDS
            .iter()
            .any(|k| name == format!("{}.csv", k.plural()))
        || Lang::ALL
            .iter()
            .any(|l| name == format!("events.{}.ics", l.code()))
}

/// One file of the published network as it stood on `day`
/// (`asof::record_as_of` on every record, as on the portal and in the API),
/// generated on request. None for a file with no dated version.
pub async fn dated_file(
    state: &AppState,
    base: &str,
    name: &str,
    day: time::Date,
) -> Result<Option<ExportFile>, StoreError> {
    if !has_dated_version(name) {
        return Ok(None);
    }
    let records: Vec<StoredRecord> = published(state)
        .await?
        .into_iter()
        .filter_map(|s| crate::api::records::as_of(s, Some(day)))
        .collect();
    let f = if name == "registry.json" {
        registry_file(state, &records).await?
    } else if name == "popolo.json" {
        popolo_file(&records)
    } else if let Some(kind) = CSV_KINDS
        .into_iter()
        .find(|k| name == format!("{}.csv", k.plural()))
    {
        csv_file(kind, &records)
    } else {
        let lang = if name == "events.en.ics" {
            Lang::En
        } else {
            Lang::Fr
        };
        calendar_file(state, &records, lang, base)
    };
    Ok(Some(f))
}

/// The exports of the current store, from the cache when nothing changed.
pub async fn exports(state: &AppState, base: &str) -> Result<Arc<Exports>, StoreError> {
    let key = (state.store.last_revision_id().await?, base.to_string());
    if let Some((k, e)) = state.exports.current.lock().expect("cache lock").as_ref()
        && *k == key
    {
        return Ok(e.clone());
    }
    let built = Arc::new(build(state, base).await?);
    *state.exports.current.lock().expect("cache lock") = Some((key, built.clone()));
    Ok(built)
}

fn lang_values(fr: &str, en: &str) -> Value {
    json!([{"@value": fr, "@language": "fr"}, {"@value": en, "@language": "en"}])
}

/// The datasets of the catalogue: identifier, French and English titles, and
/// which export files belong to it.
const DATASET_GROUPS: [DatasetGroup; 4] = [
    (
        "registry",
        "Registre des relations internationales",
        "Registry of international relations",
        |n| n == "registry.json" || n.ends_with(".csv"),
    ),
    (
        "popolo",
        "Organisations et appartenances (Popolo)",
        "Organizations and memberships (Popolo)",
        |n| n == "popolo.json",
    ),
    (
        "events",
        "Calendrier des événements",
        "Calendar of events",
        |n| n.ends_with(".ics"),
    ),
    (
        "changes",
        "Modifications publiées",
        "Published changes",
        |n| n.ends_with(".atom"),
    ),
];

/// The DCAT-AP catalogue (JSON-LD) of the files: one dataset per kind of
/// export, one distribution per file, with size, media type and licence.
fn catalog(
    state: &AppState,
    base: &str,
    files: &[ExportFile],
    modified: Option<&str>,
    home: Option<&paradiplo_core::records::Home>,
) -> Value {
    let licence = json!({"@id": state.licence.url});
    let modified = modified.map(|m| json!({"@value": m, "@type": "xsd:dateTime"}));
    let publisher = match home {
        Some(h) => {
            json!({"@type": "foaf:Agent", "foaf:name": lang_values(h.ministry.get(Lang::Fr), h.ministry.get(Lang::En))})
        }
        None => {
            json!({"@type": "foaf:Agent", "foaf:name": lang_values(&state.branding.name_fr, &state.branding.name_en)})
        }
    };
    let distribution = |f: &ExportFile| {
        let url = format!("{base}/donnees-ouvertes/{}", f.name);
        let media = f.media_type.split(';').next().unwrap_or(f.media_type);
        json!({
            "@id": url,
            "@type": "dcat:Distribution",
            "dct:title": lang_values(&file_title(&f.name, Lang::Fr), &file_title(&f.name, Lang::En)),
            "dcat:accessURL": {"@id": url},
            "dcat:downloadURL": {"@id": url},
            "dcat:mediaType": {"@id": format!("https://www.iana.org/assignments/media-types/{media}")},
            "dct:format": format_label(f.media_type),
            "dcat:byteSize": {"@value": f.bytes.len().to_string(), "@type": "xsd:nonNegativeInteger"},
            "dct:license": licence,
            "dct:modified": modified,
        })
    };
    let datasets: Vec<Value> = DATASET_GROUPS
        .iter()
        .map(|(id, fr, en, pick)| {
            json!({
                "@id": format!("{base}/donnees-ouvertes#{id}"),
                "@type": "dcat:Dataset",
                "dct:identifier": id,
                "dct:title": lang_values(fr, en),
                "dct:description": lang_values(
                    &format!("{fr} — {}", state.branding.name_fr),
                    &format!("{en} — {}", state.branding.name_en),
                ),
                "dct:publisher": publisher,
                "dct:license": licence,
                "dct:modified": modified,
                "dcat:landingPage": {"@id": format!("{base}/donnees-ouvertes")},
                "dcat:distribution": files.iter().filter(|f| pick(&f.name)).map(distribution).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/",
            "xsd": "http://www.w3.org/2001/XMLSchema#"
        },
        "@id": format!("{base}/donnees-ouvertes/catalog.jsonld"),
        "@type": "dcat:Catalog",
        "dct:title": lang_values(&state.branding.name_fr, &state.branding.name_en),
        "dct:description": lang_values(
            &crate::api::problem::message(Lang::Fr, "open_data_intro", &[]),
            &crate::api::problem::message(Lang::En, "open_data_intro", &[]),
        ),
        "dct:publisher": publisher,
        "dct:license": licence,
        "dct:language": [{"@id": "http://publications.europa.eu/resource/authority/language/FRA"}, {"@id": "http://publications.europa.eu/resource/authority/language/ENG"}],
        "dct:modified": modified,
        "foaf:homepage": {"@id": format!("{base}/donnees-ouvertes")},
        "dcat:dataset": datasets,
    })
}

/// The query of a download: `?date=YYYY-MM-DD` for the network as it stood that day.
#[derive(Debug, Default, serde::Deserialize)]
pub struct DownloadQuery {
    pub date: Option<String>,
}

/// Downloads: `/donnees-ouvertes/{file}`, and `/donnees-ouvertes/{file}?date=YYYY-MM-DD`
/// for the registry, CSV, Popolo and iCalendar files as of that day. A bad
/// date, or a date on a file that has no dated version, is a 400 problem.
pub async fn download(
    State(state): State<AppState>,
    ApiLang(lang): ApiLang,
    headers: HeaderMap,
    Path(name): Path<String>,
    ApiQuery(query): ApiQuery<DownloadQuery>,
) -> Response {
    let base = base_url(&headers);
    let day = match as_of_date(lang, query.date.as_deref()) {
        Ok(d) => d,
        Err(e) => return e.into_response(),
    };
    let exports = match exports(&state, &base).await {
        Ok(e) => e,
        Err(e) => return server_error(&e),
    };
    let Some(current) = exports.files.iter().find(|f| f.name == name) else {
        return crate::page::not_found_page(&state, Lang::Fr);
    };
    let dated;
    let (f, filename) = match day {
        None => (current, current.name.clone()),
        Some(day) => match dated_file(&state, &base, &name, day).await {
            Ok(Some(f)) => {
                dated = f;
                // popolo.json → popolo.2015-06-01.json
                let filename = match name.rsplit_once('.') {
                    Some((stem, ext)) => format!("{stem}.{day}.{ext}"),
                    None => format!("{name}.{day}"),
                };
                (&dated, filename)
            }
            Ok(None) => {
                return ApiError::new(
                    ProblemKind::BadRequest,
                    lang,
                    "api_detail_date_not_applicable",
                    &[("file", &name)],
                )
                .into_response();
            }
            Err(e) => return server_error(&e),
        },
    };
    let etag = crate::api::params::body_etag(&f.bytes);
    if crate::api::params::not_modified(&headers, &etag) {
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response();
    }
    (
        [
            (header::CONTENT_TYPE, f.media_type.to_string()),
            (header::ETAG, etag),
            (header::CACHE_CONTROL, "public, max-age=300".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{filename}\""),
            ),
        ],
        f.bytes.as_ref().clone(),
    )
        .into_response()
}

use crate::server_error;

#[derive(Serialize)]
struct Row {
    url: String,
    title: String,
    format: &'static str,
    size: String,
    bytes: usize,
    note: Option<String>,
}

pub async fn page_fr(state: State<AppState>, headers: HeaderMap) -> Response {
    page(state, headers, Lang::Fr).await
}

pub async fn page_en(state: State<AppState>, headers: HeaderMap) -> Response {
    page(state, headers, Lang::En).await
}

async fn page(State(state): State<AppState>, headers: HeaderMap, lang: Lang) -> Response {
    let base = base_url(&headers);
    let exports = match exports(&state, &base).await {
        Ok(e) => e,
        Err(e) => return server_error(&e),
    };
    let rows: Vec<Row> = exports
        .files
        .iter()
        .map(|f| Row {
            url: format!(
                "{}/{}",
                crate::paths::Section::OpenData.path(Lang::Fr),
                f.name
            ),
            title: file_title(&f.name, lang),
            format: format_label(f.media_type),
            size: format_size(f.bytes.len(), lang),
            bytes: f.bytes.len(),
            note: f
                .name
                .ends_with(".ics")
                .then(|| crate::api::problem::message(lang, "open_data_note_ics", &[])),
        })
        .collect();
    let (home_url, alternate) = (
        crate::paths::Section::Home.path(lang),
        crate::paths::Section::OpenData.path(crate::paths::other(lang)),
    );
    let (portal_name, api_url) = match lang {
        Lang::Fr => (state.branding.name_fr.clone(), "/api"),
        Lang::En => (state.branding.name_en.clone(), "/en/api"),
    };
    let date = exports
        .modified
        .as_deref()
        .and_then(|t| crate::format_timestamp_date(t, lang));
    let html = state.templates.render(
        "open_data.html",
        lang,
        minijinja::context! {
            portal_name => portal_name,
            home_url => home_url,
            alternate => alternate,
            last_update => date.clone(),
            date => date.unwrap_or_default(),
            exports => crate::templates::to_value(rows),
            licence_name => state.licence.name.clone(),
            licence_url => state.licence.url.clone(),
            api_url => api_url,
        },
    );
    match html {
        Ok(h) => Html(h).into_response(),
        Err(e) => server_error(&e),
    }
}

/// The open-data routes.
pub fn router() -> axum::Router<AppState> {
    axum::Router::new()
        .route(
            crate::paths::Section::OpenData.path(Lang::Fr),
            axum::routing::get(page_fr),
        )
        .route(
            crate::paths::Section::OpenData.path(Lang::En),
            axum::routing::get(page_en),
        )
        .route(
            &format!(
                "{}/{{name}}",
                crate::paths::Section::OpenData.path(Lang::Fr)
            ),
            axum::routing::get(download),
        )
}

/// Titles of the non-CSV files are messages; this keeps the list in one place.
pub const FILE_MESSAGES: [&str; 7] = [
    "registry.json",
    "popolo.json",
    "events.fr.ics",
    "events.en.ics",
    "changes.fr.atom",
    "changes.en.atom",
    "catalog.jsonld",
];
