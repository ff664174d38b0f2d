//! What every collection endpoint does, whatever the record type: list with
//! filters, pagination and sorting; read one; create, update, archive and
//! restore through [`super::write`]. `collections.rs` declares the typed,
//! documented endpoints on top of these.

use super::auth::{Caller, forbidden};
use super::params::{Sort, StateFilter, json_response, localize, page_bounds};
use super::problem::{ApiError, ProblemKind};
use super::write::{self, Author, WriteError};
use crate::AppState;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use paradiplo_core::{
    AnyRecord, FieldError, Lang, PartialDate, Problem, RecordKind, RecordState, Role, Text,
};
use paradiplo_dataset::parse_record_json;
use paradiplo_store::{Draft, DraftStatus, StoredRecord, Visibility};
use serde::Serialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;

/// Where a record is, in the API and on the portal.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Links {
    /// This record in the API.
    #[serde(rename = "self")]
    pub this: String,
    /// Its page on the French portal, for collections that have one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub html_fr: Option<String>,
    /// Its page on the English portal.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub html_en: Option<String>,
}

/// A collection as the API serves it.
#[derive(Debug, Clone, Copy)]
pub struct Collection {
    pub kind: RecordKind,
    /// Portal paths (`/partenaires`, `/en/partners`) when the portal lists it.
    pub portal: Option<(&'static str, &'static str)>,
}

impl Collection {
    pub fn api_path(self) -> String {
        format!("/api/v1/{}", self.kind.plural())
    }

    pub fn links(self, slug: &str) -> Links {
        Links {
            this: format!("{}/{slug}", self.api_path()),
            html_fr: self.portal.map(|(fr, _)| format!("{fr}/{slug}")),
            html_en: self.portal.map(|(_, en)| format!("{en}/{slug}")),
        }
    }
}

/// The parameters every list takes.
#[derive(Debug, Clone, Copy, Default)]
pub struct Common {
    pub page: Option<u32>,
    pub per_page: Option<u32>,
    pub sort: Option<Sort>,
    pub lang: Option<Lang>,
    pub state: Option<StateFilter>,
    /// `?date=`: the network as it stood that day (`asof::record_as_of`).
    pub date: Option<time::Date>,
}

/// A record's envelope in the API, before typing: the typed item structs
/// of `collections.rs` are built from it.
pub struct Envelope {
    pub slug: String,
    pub state: RecordState,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
    pub links: Links,
}

pub fn envelope(collection: Collection, stored: &StoredRecord) -> Envelope {
    Envelope {
        slug: stored.record.slug().to_string(),
        state: stored.state,
        version: stored.version,
        created_at: stored.created_at.clone(),
        updated_at: stored.updated_at.clone(),
        links: collection.links(stored.record.slug().as_str()),
    }
}

/// The item as JSON in the requested language(s).
fn item_json<I: Serialize>(item: &I, lang: Option<Lang>) -> Value {
    let mut value = serde_json::to_value(item).expect("items serialize");
    if let (Some(lang), Some(record)) = (lang, value.get_mut("record")) {
        localize(record, lang);
    }
    value
}

/// Lists a collection.
#[allow(clippy::too_many_arguments)]
pub async fn list<I: Serialize>(
    state: &AppState,
    caller: &Caller,
    lang: Lang,
    headers: &HeaderMap,
    collection: Collection,
    common: Common,
    keep: impl Fn(&AnyRecord) -> bool,
    date: impl Fn(&AnyRecord) -> Option<PartialDate>,
    to_item: impl Fn(StoredRecord) -> Option<I>,
) -> Result<Response, ApiError> {
    let (page, per_page) = page_bounds(lang, common.page, common.per_page)?;
    let wanted = common.state.unwrap_or_default();
    if wanted != StateFilter::Published {
        caller.require(lang)?;
    }
    let visibility = if wanted == StateFilter::Published {
        Visibility::Public
    } else {
        Visibility::All
    };
    let wanted_state = match wanted {
        StateFilter::Published => RecordState::Published,
        StateFilter::Draft => RecordState::Draft,
        StateFilter::Archived => RecordState::Archived,
    };
    // As of a date: each record as it stood that day (as on the portal),
    // before the filters, so that they read that day's memberships and status.
    let mut records: Vec<StoredRecord> = state
        .store
        .list(collection.kind, visibility)
        .await
        .map_err(|e| ApiError::internal(lang, &e))?
        .into_iter()
        .filter(|s| s.state == wanted_state)
        .filter_map(|s| as_of(s, common.date))
        .filter(|s| keep(&s.record))
        .collect();
    let name_lang = common.lang.unwrap_or(Lang::Fr);
    let name =
        |s: &StoredRecord| paradiplo_core::collation::sort_key(s.record.title().get(name_lang));
    match common.sort.unwrap_or_default() {
        Sort::Slug => {}
        Sort::SlugDesc => records.reverse(),
        Sort::Name => records.sort_by_key(|s| name(s)),
        Sort::NameDesc => records.sort_by_key(|s| std::cmp::Reverse(name(s))),
        // Undated records come last either way.
        Sort::Date => records.sort_by_key(|s| (date(&s.record).is_none(), date(&s.record))),
        Sort::DateDesc => records.sort_by_key(|s| {
            (
                date(&s.record).is_none(),
                std::cmp::Reverse(date(&s.record)),
            )
        }),
        Sort::Updated => records.sort_by(|a, b| a.updated_at.cmp(&b.updated_at)),
        Sort::UpdatedDesc => records.sort_by(|a, b| b.updated_at.cmp(&a.updated_at)),
    }
    let total = records.len();
    let skip = (page as usize - 1).saturating_mul(per_page as usize);
    let items: Vec<Value> = records
        .into_iter()
        .skip(skip)
        .take(per_page as usize)
        .filter_map(to_item)
        .map(|i| item_json(&i, common.lang))
        .collect();
    let pages = total.div_ceil(per_page as usize).max(1);
    let body = serde_json::json!({
        "total": total,
        "page": page,
        "per_page": per_page,
        "pages": pages,
        "items": items,
    });
    Ok(json_response(
        headers,
        StatusCode::OK,
        &body,
        None,
        caller.0.is_none(),
    ))
}

/// A stored record as it stood on `day` (None: it did not exist, or was
/// not in force, that day); unchanged without a day.
pub fn as_of(mut stored: StoredRecord, day: Option<time::Date>) -> Option<StoredRecord> {
    if let Some(day) = day {
        stored.record = paradiplo_core::asof::record_as_of(&stored.record, day)?;
    }
    Some(stored)
}

/// The `ETag` of one record: its version, and the language when one was
/// asked. As of a date, the day is added after the version, so `If-Match`
/// still reads the version from it.
pub fn record_etag(version: i64, lang: Option<Lang>, day: Option<time::Date>) -> String {
    let mut tag = version.to_string();
    if let Some(l) = lang {
        tag = format!("{tag}-{}", l.code());
    }
    if let Some(d) = day {
        tag = format!("{tag}-{d}");
    }
    format!("\"{tag}\"")
}

/// Reads one record: published ones for everyone, any state with a token.
#[allow(clippy::too_many_arguments)]
pub async fn get<I: Serialize>(
    state: &AppState,
    caller: &Caller,
    lang: Lang,
    headers: &HeaderMap,
    collection: Collection,
    slug: &str,
    out_lang: Option<Lang>,
    day: Option<time::Date>,
    to_item: impl Fn(StoredRecord) -> Option<I>,
) -> Result<Response, ApiError> {
    let visibility = if caller.is_staff() {
        Visibility::All
    } else {
        Visibility::Public
    };
    let stored = state
        .store
        .get(collection.kind, slug, visibility)
        .await
        .map_err(|e| ApiError::internal(lang, &e))?
        .ok_or_else(|| ApiError::not_found(lang))?;
    let etag = record_etag(stored.version, out_lang, day);
    let stored = as_of(stored, day).ok_or_else(|| not_on(lang, day))?;
    let item = to_item(stored).ok_or_else(|| ApiError::not_found(lang))?;
    Ok(json_response(
        headers,
        StatusCode::OK,
        &item_json(&item, out_lang),
        Some(etag),
        caller.0.is_none(),
    ))
}

/// 404 for a record that exists but did not (or was no longer in force) on `day`.
fn not_on(lang: Lang, day: Option<time::Date>) -> ApiError {
    let day = day
        .map(|d| PartialDate::Day(d).display(lang))
        .unwrap_or_default();
    ApiError::new(
        ProblemKind::NotFound,
        lang,
        "api_detail_not_on_date",
        &[("date", &day)],
    )
}

/// What a create or update request carries.
pub struct WriteRequest {
    pub record: AnyRecord,
    /// None when the body names no state: a creation makes a draft, an
    /// update keeps the record's state.
    pub state: Option<RecordState>,
    pub note: String,
}

fn take_note(body: &mut Map<String, Value>, errors: &mut Vec<FieldError>) -> String {
    match body.remove("note") {
        Some(Value::String(s)) => {
            if let Err(e) = write::check_note(&s) {
                errors.push(e);
            }
            s
        }
        None | Some(Value::Null) => {
            errors.push(FieldError::new("note", "", Problem::Required));
            String::new()
        }
        Some(other) => {
            errors.push(FieldError::new(
                "note",
                other.to_string(),
                Problem::InvalidType {
                    detail: "expected a string".into(),
                },
            ));
            String::new()
        }
    }
}

fn unknown_fields(body: &Map<String, Value>, errors: &mut Vec<FieldError>) {
    for key in body.keys() {
        errors.push(FieldError::new(
            key.clone(),
            key.clone(),
            Problem::UnknownField,
        ));
    }
}

/// Reads `{record, state, note}`; every field at fault is reported.
pub fn read_write_request(
    kind: RecordKind,
    mut body: Map<String, Value>,
) -> Result<WriteRequest, Vec<FieldError>> {
    let mut errors = Vec::new();
    let note = take_note(&mut body, &mut errors);
    let state = match body.remove("state") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s == "draft" => Some(RecordState::Draft),
        Some(Value::String(s)) if s == "published" => Some(RecordState::Published),
        Some(other) => {
            errors.push(FieldError::new(
                "state",
                other
                    .as_str()
                    .map(str::to_string)
                    .unwrap_or(other.to_string()),
                Problem::InvalidValue {
                    expected: "draft, published".into(),
                },
            ));
            None
        }
    };
    let record = match body.remove("record") {
        Some(value @ Value::Object(_)) => match parse_record_json(kind, value) {
            Ok(r) => Some(r),
            Err(e) => {
                errors.push(e.within("record"));
                None
            }
        },
        None | Some(Value::Null) => {
            errors.push(FieldError::new("record", "", Problem::Required));
            None
        }
        Some(_) => {
            errors.push(FieldError::new(
                "record",
                "",
                Problem::InvalidType {
                    detail: "expected an object".into(),
                },
            ));
            None
        }
    };
    unknown_fields(&body, &mut errors);
    match record {
        Some(record) if errors.is_empty() => Ok(WriteRequest {
            record,
            state,
            note,
        }),
        _ => Err(errors),
    }
}

/// What an archive or restore request carries.
#[derive(Debug, Default)]
pub struct NoteRequest {
    pub note: String,
    /// The version to restore (restore only).
    pub version: Option<i64>,
    /// The public change note of a restore (restore only).
    pub public_note: Option<Text>,
}

fn take_version(body: &mut Map<String, Value>, errors: &mut Vec<FieldError>) -> Option<i64> {
    match body.remove("version") {
        None | Some(Value::Null) => None,
        Some(v) => match v.as_i64().filter(|n| *n >= 1) {
            Some(n) => Some(n),
            None => {
                errors.push(FieldError::new(
                    "version",
                    v.to_string(),
                    Problem::OutOfRange {
                        min: "1".into(),
                        max: i64::MAX.to_string(),
                    },
                ));
                None
            }
        },
    }
}

fn take_public_note(body: &mut Map<String, Value>, errors: &mut Vec<FieldError>) -> Option<Text> {
    match body.remove("public_note") {
        None | Some(Value::Null) => None,
        Some(v) => match serde_json::from_value::<Text>(v.clone()) {
            Ok(t) => Some(t),
            Err(e) => {
                errors.push(FieldError::new(
                    "public_note",
                    v.to_string().chars().take(40).collect::<String>(),
                    Problem::InvalidType {
                        detail: e.to_string(),
                    },
                ));
                None
            }
        },
    }
}

/// Reads `{note}` (archive) or `{note, version, public_note}` (restore).
pub fn read_note_request(
    mut body: Map<String, Value>,
    restore: bool,
) -> Result<NoteRequest, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut req = NoteRequest {
        note: take_note(&mut body, &mut errors),
        ..NoteRequest::default()
    };
    if restore {
        req.version = take_version(&mut body, &mut errors);
        req.public_note = take_public_note(&mut body, &mut errors);
    }
    unknown_fields(&body, &mut errors);
    if errors.is_empty() {
        Ok(req)
    } else {
        Err(errors)
    }
}

/// The author of a write: the caller's token.
pub fn author(caller: &Caller, lang: Lang) -> Result<Author, ApiError> {
    let token = caller.require(lang)?;
    Ok(Author {
        name: format!("api:{}", token.name),
        role: token.role,
        client: "api".to_string(),
    })
}

pub fn write_error(lang: Lang, role: Role, e: WriteError) -> ApiError {
    match e {
        WriteError::Forbidden { needed } => forbidden(lang, needed, role),
        WriteError::NotADraft => {
            ApiError::new(ProblemKind::Forbidden, lang, "api_detail_not_a_draft", &[])
        }
        WriteError::NotFound => ApiError::not_found(lang),
        WriteError::AlreadyExists => {
            ApiError::new(ProblemKind::Conflict, lang, "api_detail_exists", &[])
        }
        WriteError::DraftStale { expected, current } => {
            let show = |r: Option<i64>| r.map_or_else(|| "-".to_string(), |r| r.to_string());
            ApiError::new(
                ProblemKind::PreconditionFailed,
                lang,
                "api_detail_draft_stale",
                &[("expected", &show(expected)), ("current", &show(current))],
            )
        }
        WriteError::Stale { expected, current } => ApiError::new(
            ProblemKind::PreconditionFailed,
            lang,
            "api_detail_stale",
            &[
                ("expected", &expected.to_string()),
                ("current", &current.to_string()),
            ],
        ),
        WriteError::Invalid(errors) => ApiError::validation(lang, errors),
        WriteError::Store(e) => ApiError::internal(lang, &e),
    }
}

/// The answer to a successful write: the record, its new `ETag`, and
/// `Location` for a creation.
pub fn written<I: Serialize>(
    collection: Collection,
    status: StatusCode,
    stored: StoredRecord,
    to_item: impl Fn(StoredRecord) -> Option<I>,
    lang: Lang,
) -> Result<Response, ApiError> {
    let slug = stored.record.slug().to_string();
    let etag = record_etag(stored.version, None, None);
    let item = to_item(stored).ok_or_else(|| ApiError::not_found(lang))?;
    let mut res = json_response(
        &HeaderMap::new(),
        status,
        &item_json(&item, None),
        Some(etag),
        false,
    );
    if status == StatusCode::CREATED {
        super::params::set(
            &mut res,
            header::LOCATION,
            &format!("{}/{slug}", collection.api_path()),
        );
    }
    Ok(res)
}

/// Checks that the record in an update is the one the path names.
pub fn same_slug(record: &AnyRecord, slug: &str) -> Result<(), Vec<FieldError>> {
    if record.slug().as_str() == slug {
        Ok(())
    } else {
        Err(vec![FieldError::new(
            "record.slug",
            record.slug().as_str(),
            Problem::InvalidValue {
                expected: slug.to_string(),
            },
        )])
    }
}

/// Where the draft that `GET …/{slug}/draft` answers with comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DraftSource {
    /// The record's working copy: its pending next version, kept beside the
    /// record, which stays as it is until a publisher publishes the copy.
    WorkingCopy,
    /// The record itself, as it stands (it has no working copy): what the
    /// next change starts from. A record in state `draft` is its own draft.
    Record,
}

/// Where a draft stands in its review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum DraftStage {
    /// Being written.
    Draft,
    /// Sent to a publisher for review.
    Submitted,
}

/// The change note of one save of a working copy.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DraftNoteItem {
    pub by: String,
    pub at: String,
    pub note: String,
}

/// Where a draft is in the API.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DraftLinks {
    /// This draft.
    #[serde(rename = "self")]
    pub this: String,
    /// The record it is a draft of.
    pub record: String,
}

/// A draft's envelope, before typing (see `collections.rs`).
pub struct DraftEnvelope {
    pub slug: String,
    pub source: DraftSource,
    pub status: Option<DraftStage>,
    pub record_state: Option<RecordState>,
    pub version: Option<i64>,
    pub revision: Option<i64>,
    pub updated_at: String,
    pub updated_by: String,
    pub notes: Vec<DraftNoteItem>,
    pub links: DraftLinks,
}

/// A draft as the API serves it: its envelope and its record.
pub struct DraftView {
    pub env: DraftEnvelope,
    pub record: AnyRecord,
}

fn draft_links(collection: Collection, slug: &str) -> DraftLinks {
    let record = format!("{}/{slug}", collection.api_path());
    DraftLinks {
        this: format!("{record}/draft"),
        record,
    }
}

impl DraftView {
    /// `record_state`: the state of the record the copy stands beside (None:
    /// a new record, only a working copy so far).
    pub fn of_working_copy(
        collection: Collection,
        d: Draft,
        record_state: Option<RecordState>,
    ) -> DraftView {
        let env = DraftEnvelope {
            source: DraftSource::WorkingCopy,
            status: Some(match d.status {
                DraftStatus::Draft => DraftStage::Draft,
                DraftStatus::Submitted => DraftStage::Submitted,
            }),
            record_state,
            version: d.base_version,
            revision: Some(d.revision),
            updated_at: d.updated_at,
            updated_by: d.updated_by,
            notes: d
                .notes
                .into_iter()
                .map(|n| DraftNoteItem {
                    by: n.by,
                    at: n.at,
                    note: n.note,
                })
                .collect(),
            links: draft_links(collection, &d.slug),
            slug: d.slug,
        };
        DraftView {
            env,
            record: d.record,
        }
    }

    pub fn of_record(collection: Collection, s: StoredRecord) -> DraftView {
        let slug = s.record.slug().to_string();
        let env = DraftEnvelope {
            source: DraftSource::Record,
            status: None,
            record_state: Some(s.state),
            version: Some(s.version),
            revision: None,
            updated_at: s.updated_at,
            updated_by: s.updated_by,
            notes: Vec::new(),
            links: draft_links(collection, &slug),
            slug,
        };
        DraftView {
            env,
            record: s.record,
        }
    }

    /// `"3-r2"`: the record's version and the working copy's revision, as
    /// `If-Match` takes them back; `"3"` for the record itself.
    pub fn etag(&self) -> String {
        let version = self.env.version.unwrap_or(0);
        match self.env.revision {
            Some(r) => format!("\"{version}-r{r}\""),
            None => format!("\"{version}\""),
        }
    }
}

/// The draft of a record: its working copy when it has one, else the
/// record itself (None: neither exists).
async fn find_draft(
    state: &AppState,
    collection: Collection,
    slug: &str,
) -> Result<Option<DraftView>, paradiplo_store::StoreError> {
    let stored = state
        .store
        .get(collection.kind, slug, Visibility::All)
        .await?;
    Ok(match state.store.draft(collection.kind, slug).await? {
        Some(d) => {
            let record_state = stored.map(|s| s.state);
            Some(DraftView::of_working_copy(collection, d, record_state))
        }
        None => stored.map(|s| DraftView::of_record(collection, s)),
    })
}

/// Reads a record's draft (any API token; never public).
pub async fn get_draft<I: Serialize>(
    state: &AppState,
    caller: &Caller,
    lang: Lang,
    headers: &HeaderMap,
    collection: Collection,
    slug: &str,
    to_item: impl Fn(DraftView) -> Option<I>,
) -> Result<Response, ApiError> {
    caller.require(lang)?;
    let view = find_draft(state, collection, slug)
        .await
        .map_err(|e| ApiError::internal(lang, &e))?
        .ok_or_else(|| ApiError::not_found(lang))?;
    let etag = view.etag();
    let item = to_item(view).ok_or_else(|| ApiError::not_found(lang))?;
    Ok(json_response(
        headers,
        StatusCode::OK,
        &item_json(&item, None),
        Some(etag),
        false,
    ))
}

/// The answer to a change saved as a working copy: 202, the draft, its
/// `ETag`, and `Location` where to read it again.
pub fn accepted<I: Serialize>(
    collection: Collection,
    draft: Draft,
    record_state: RecordState,
    to_item: impl Fn(DraftView) -> Option<I>,
    lang: Lang,
) -> Result<Response, ApiError> {
    let view = DraftView::of_working_copy(collection, draft, Some(record_state));
    let etag = view.etag();
    let location = view.env.links.this.clone();
    let item = to_item(view).ok_or_else(|| ApiError::not_found(lang))?;
    let mut res = json_response(
        &HeaderMap::new(),
        StatusCode::ACCEPTED,
        &item_json(&item, None),
        Some(etag),
        false,
    );
    super::params::set(&mut res, header::LOCATION, &location);
    Ok(res)
}
