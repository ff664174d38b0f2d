//! Creating and editing any record through the generic form: server-side
//! validation with each error beside its field, a change note at every save,
//! drafts only (publishing is a separate act), and the conflict page when
//! someone else saved first — which keeps everything the person typed.

use super::auth::{Staff, StaffPost, Upload, page_ctx};
use super::form::{self, FormCtx};
use super::specs::{Ty, spec};
use super::{audit, kind_for, not_found, render_status, see_other};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use paradiplo_core::diff::flatten;
use paradiplo_core::records::media_type_for;
use paradiplo_core::{AnyRecord, FieldError, Lang, Problem, RecordKind, Role};
use paradiplo_store::{Blob, EditBase, StoreError, Visibility};
use std::collections::BTreeMap;

/// Records that references may point at, by kind, with their titles:
/// registry records (not archived) and records that exist only as drafts.
pub async fn reference_options(
    state: &AppState,
    lang: Lang,
) -> Result<BTreeMap<RecordKind, Vec<(String, String)>>, StoreError> {
    let mut out: BTreeMap<RecordKind, Vec<(String, String)>> = BTreeMap::new();
    for r in state.store.all(Visibility::Staff).await? {
        out.entry(r.record.kind()).or_default().push((
            r.record.slug().to_string(),
            r.record.title().get(lang).to_string(),
        ));
    }
    for d in state.store.drafts().await? {
        if d.base_version.is_none() {
            out.entry(d.kind)
                .or_default()
                .push((d.slug.clone(), d.record.title().get(lang).to_string()));
        }
    }
    for list in out.values_mut() {
        list.sort_by_key(|a| a.1.to_lowercase());
    }
    Ok(out)
}

/// Everything the edit page shows.
pub struct EditView<'a> {
    pub kind: RecordKind,
    pub slug: Option<&'a str>,
    pub values: BTreeMap<String, String>,
    pub errors: Vec<FieldError>,
    pub theirs: Option<BTreeMap<String, String>>,
    pub base: EditBase,
    pub note: String,
    pub extra_rows: usize,
    pub status: StatusCode,
}

pub async fn render_edit(state: &AppState, staff: &Staff, view: EditView<'_>) -> Response {
    let lang = staff.lang.0;
    let options = match reference_options(state, lang).await {
        Ok(o) => o,
        Err(e) => return super::server_error(&e),
    };
    let msgs = state.templates.messages(lang);
    let mut errors: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for e in &view.errors {
        let mut m = e.problem.message(lang);
        if !e.value.is_empty() && !matches!(e.problem, Problem::Required) {
            m = format!(
                "{m} ({} {})",
                msgs.get("admin_value").cloned().unwrap_or_default(),
                lang.quote(&e.value)
            );
        }
        let list = errors.entry(e.field.clone()).or_default();
        if !list.contains(&m) {
            list.push(m);
        }
    }
    let note_error = errors.remove("note");
    let ctx = FormCtx::new(
        lang,
        msgs,
        &view.values,
        &errors,
        view.theirs.as_ref(),
        &options,
        view.slug.is_none(),
        view.extra_rows,
    );
    let fields = form::render(spec(view.kind), &ctx);
    let mut summary = form::summary(&ctx);
    if let Some(n) = &note_error {
        for m in n {
            summary.push((
                "change-note".to_string(),
                format!(
                    "{}{}{m}",
                    msgs.get("admin_change_note").cloned().unwrap_or_default(),
                    lang.colon()
                ),
            ));
        }
    }
    let action = match view.slug {
        Some(s) => format!("/records/{}/{s}/edit", view.kind.as_str()),
        None => format!("/records/{}/new", view.kind.as_str()),
    };
    let title = view
        .values
        .get(if view.values.contains_key("name.fr") {
            "name.fr"
        } else {
            "title.fr"
        })
        .cloned()
        .unwrap_or_default();
    render_status(
        state,
        &page_ctx(staff),
        "admin/edit.html",
        minijinja::context! {
            kind => view.kind.as_str(),
            kind_label => view.kind.label(lang),
            slug => view.slug,
            title => title,
            action => action,
            fields => minijinja::Value::from_safe_string(fields),
            summary => crate::templates::to_value(summary),
            conflict => view.theirs.is_some(),
            record_version => view.base.record_version,
            draft_revision => view.base.draft_revision,
            note => view.note,
            note_error => note_error.map(|n| n.join(" ")),
            multipart => view.kind == RecordKind::Document,
        },
        view.status,
    )
}

/// The current content staff edit: the draft if there is one, else the record.
async fn current(
    state: &AppState,
    kind: RecordKind,
    slug: &str,
) -> Result<Option<(AnyRecord, EditBase)>, StoreError> {
    let (stored, draft) = super::record_show::load(state, kind, slug).await?;
    let base = EditBase {
        record_version: stored.as_ref().map(|s| s.version),
        draft_revision: draft.as_ref().map(|d| d.revision),
    };
    Ok(draft
        .map(|d| d.record)
        .or(stored.map(|s| s.record))
        .map(|r| (r, base)))
}

/// The form's values for a stored record: its flattened fields, plus the
/// booleans the stored form leaves out because they hold their default
/// (`bilateral = true` is not written), so the checkbox shows the truth.
pub fn form_values(record: &AnyRecord) -> BTreeMap<String, String> {
    let mut v = flatten(&record.to_json());
    if let AnyRecord::Partner(p) = record {
        v.insert("bilateral".into(), p.bilateral.to_string());
    }
    v
}

fn defaults(kind: RecordKind) -> BTreeMap<String, String> {
    let mut v = BTreeMap::new();
    if kind == RecordKind::Partner {
        v.insert("bilateral".into(), "true".into());
    }
    v
}

pub async fn new_form(
    State(state): State<AppState>,
    staff: Staff,
    Path(kind): Path<String>,
) -> Response {
    let kind = match kind_for(&staff, &kind, Role::Editor) {
        Ok(kind) => kind,
        Err(refusal) => return refusal,
    };
    let view = EditView {
        kind,
        slug: None,
        values: defaults(kind),
        errors: Vec::new(),
        theirs: None,
        base: EditBase::default(),
        note: String::new(),
        extra_rows: 1,
        status: StatusCode::OK,
    };
    render_edit(&state, &staff, view).await
}

pub async fn edit_form(
    State(state): State<AppState>,
    staff: Staff,
    Path((kind, slug)): Path<(String, String)>,
) -> Response {
    let kind = match kind_for(&staff, &kind, Role::Editor) {
        Ok(kind) => kind,
        Err(refusal) => return refusal,
    };
    let (record, base) = match current(&state, kind, &slug).await {
        Ok(Some(v)) => v,
        Ok(None) => return not_found(staff.lang),
        Err(e) => return super::server_error(&e),
    };
    let view = EditView {
        kind,
        slug: Some(&slug),
        values: form_values(&record),
        errors: Vec::new(),
        theirs: None,
        base,
        note: String::new(),
        extra_rows: 1,
        status: StatusCode::OK,
    };
    render_edit(&state, &staff, view).await
}

pub async fn create(
    State(state): State<AppState>,
    Path(kind): Path<String>,
    post: StaffPost,
) -> Response {
    save_any(state, kind, None, post).await
}

pub async fn save(
    State(state): State<AppState>,
    Path((kind, slug)): Path<(String, String)>,
    post: StaffPost,
) -> Response {
    save_any(state, kind, Some(slug), post).await
}

fn opt_i64(raw: &str) -> Option<i64> {
    raw.parse().ok()
}

/// A file name safe to keep: its last component, spaces as hyphens.
fn clean_file_name(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or(raw).trim();
    base.chars()
        .map(|c| if c.is_whitespace() { '-' } else { c })
        .filter(|c| !c.is_control())
        .collect::<String>()
        .trim_start_matches('.')
        .to_string()
}

async fn save_any(
    state: AppState,
    kind: String,
    slug: Option<String>,
    post: StaffPost,
) -> Response {
    let staff = &post.staff;
    let kind = match kind_for(staff, &kind, Role::Editor) {
        Ok(kind) => kind,
        Err(refusal) => return refusal,
    };
    let base = EditBase {
        record_version: opt_i64(post.get("_record_version")),
        draft_revision: opt_i64(post.get("_draft_revision")),
    };
    let pairs = record_pairs(&post, slug.as_deref());
    // An existing record is the base: what the form does not show is kept.
    let stored = match &slug {
        Some(s) => match current(&state, kind, s).await {
            Ok(found) => found.map(|(r, _)| r.to_json()),
            Err(e) => return super::server_error(&e),
        },
        None => None,
    };
    let (json, mut errors) = form::parse_over(spec(kind), &pairs, stored.as_ref());
    let mut edit = Submission {
        state: &state,
        staff,
        kind,
        slug: slug.as_deref(),
        base,
        note: post.get("note").to_string(),
        json,
    };

    // "More rows" re-renders the form with what was typed, without saving.
    if !post.get("_more").is_empty() {
        return edit.show_again(Vec::new(), 3, StatusCode::OK).await;
    }

    let mut blob = None;
    if kind == RecordKind::Document {
        match attach_file(&state, &mut edit.json, post.upload.as_ref(), edit.slug).await {
            Ok(b) => blob = b,
            Err(e) => errors.push(e),
        }
    }
    if edit.note.is_empty() {
        errors.push(FieldError::new("note", "", Problem::Required));
    }
    if !errors.is_empty() {
        return edit.invalid(errors).await;
    }
    match AnyRecord::from_json(kind, edit.json.clone()) {
        Ok(record) => edit.write(record, blob).await,
        Err(e) => {
            let detail = e.to_string();
            let e = FieldError::new("", "", Problem::Syntax { detail });
            edit.invalid(vec![e]).await
        }
    }
}

/// The record's own fields of a posted form; the slug of an existing record
/// comes from the URL.
fn record_pairs(post: &StaffPost, slug: Option<&str>) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = post
        .fields
        .iter()
        .filter(|(k, _)| {
            !matches!(
                k.as_str(),
                "csrf" | "note" | "_record_version" | "_draft_revision" | "_more"
            )
        })
        .filter(|(k, _)| slug.is_none() || k != "slug")
        .cloned()
        .collect();
    if let Some(s) = slug {
        pairs.push(("slug".into(), s.to_string()));
    }
    pairs
}

/// One save from the edit form: what was typed and what it started from.
struct Submission<'a> {
    state: &'a AppState,
    staff: &'a Staff,
    kind: RecordKind,
    /// The slug in the URL; none for a new record.
    slug: Option<&'a str>,
    base: EditBase,
    note: String,
    json: serde_json::Value,
}

impl Submission<'_> {
    /// The form again with what was typed, against the same base.
    async fn show_again(
        &self,
        errors: Vec<FieldError>,
        extra_rows: usize,
        status: StatusCode,
    ) -> Response {
        let view = EditView {
            kind: self.kind,
            slug: self.slug,
            values: flatten(&self.json),
            errors,
            theirs: None,
            base: self.base,
            note: self.note.clone(),
            extra_rows,
            status,
        };
        render_edit(self.state, self.staff, view).await
    }

    async fn invalid(&self, errors: Vec<FieldError>) -> Response {
        self.show_again(errors, 1, StatusCode::UNPROCESSABLE_ENTITY)
            .await
    }

    /// Checks and saves the record as a draft, then goes to its page; the
    /// form again on invalid input or when someone saved first.
    async fn write(&self, record: AnyRecord, blob: Option<Blob>) -> Response {
        let (state, staff, kind) = (self.state, self.staff, self.kind);
        let now = super::auth::ts((state.admin.clock)());
        if let Err(e) = state.store.check_draft(&record).await {
            return match e {
                StoreError::Invalid(list) => {
                    self.invalid(list.into_iter().map(|r| r.error).collect())
                        .await
                }
                e => super::server_error(&e),
            };
        }
        if let Some(b) = &blob
            && let Err(e) = state.store.put_blob(b).await
        {
            return super::server_error(&e);
        }
        let slug_now = record.slug().to_string();
        match state
            .store
            .writer()
            .save_draft(
                &super::record_submit::actor(staff),
                record,
                self.base,
                &self.note,
                &now,
            )
            .await
        {
            Ok(_) => see_other(
                staff.lang,
                &format!("/records/{}/{slug_now}", kind.as_str()),
                "saved",
            ),
            Err(StoreError::Invalid(list)) => {
                self.invalid(list.into_iter().map(|r| r.error).collect())
                    .await
            }
            Err(StoreError::AlreadyExists { .. }) if self.slug.is_none() => {
                let e = FieldError::new("slug", &slug_now, Problem::Duplicate);
                self.invalid(vec![e]).await
            }
            Err(StoreError::DraftConflict { .. }) | Err(StoreError::AlreadyExists { .. }) => {
                self.conflict(&slug_now).await
            }
            Err(e) => super::server_error(&e),
        }
    }

    /// Someone saved first: show both versions, keep what this person typed,
    /// and let the next save go against the new version.
    async fn conflict(&self, slug_now: &str) -> Response {
        let (state, staff, kind) = (self.state, self.staff, self.kind);
        let (theirs, new_base) = match current(state, kind, slug_now).await {
            Ok(Some((r, b))) => (form_values(&r), b),
            Ok(None) => (BTreeMap::new(), EditBase::default()),
            Err(e) => return super::server_error(&e),
        };
        audit(
            state,
            staff.email(),
            "edit_conflict",
            kind.as_str(),
            slug_now,
            "",
            &staff.client,
        )
        .await;
        let view = EditView {
            kind,
            slug: self.slug,
            values: flatten(&self.json),
            errors: Vec::new(),
            theirs: Some(theirs),
            base: new_base,
            note: self.note.clone(),
            extra_rows: 1,
            status: StatusCode::CONFLICT,
        };
        render_edit(state, staff, view).await
    }
}

/// Sets a document's file fields from an upload (checked: type, size), or
/// keeps those of the current version.
async fn attach_file(
    state: &AppState,
    json: &mut serde_json::Value,
    upload: Option<&Upload>,
    slug: Option<&str>,
) -> Result<Option<Blob>, FieldError> {
    match upload {
        Some(u) => {
            let name = clean_file_name(&u.file_name);
            let Some(media_type) = media_type_for(&name) else {
                return Err(FieldError::new("file", &name, Problem::InvalidMediaType));
            };
            if u.bytes.len() > state.admin.upload_limit {
                return Err(FieldError::new(
                    "file",
                    &name,
                    Problem::TooLong {
                        max: state.admin.upload_limit,
                    },
                ));
            }
            let sha = paradiplo_core::digest::sha256_hex(&u.bytes);
            json["file"] = name.into();
            json["media_type"] = media_type.into();
            json["size"] = (u.bytes.len() as u64).into();
            json["sha256"] = sha.clone().into();
            Ok(Some(Blob {
                sha256: sha,
                media_type: media_type.to_string(),
                bytes: u.bytes.clone(),
            }))
        }
        None => {
            let existing = match slug {
                Some(s) => current(state, RecordKind::Document, s).await.ok().flatten(),
                None => None,
            };
            match existing {
                Some((AnyRecord::Document(d), _)) => {
                    json["file"] = d.file.into();
                    json["media_type"] = d.media_type.into();
                    json["size"] = d.size.into();
                    json["sha256"] = d.sha256.into();
                    Ok(None)
                }
                _ => Err(FieldError::new("file", "", Problem::MissingFile)),
            }
        }
    }
}

/// Parses a record from posted fields as the edit form would, for tests of
/// the generic form against real records.
pub fn form_round_trip(record: &AnyRecord) -> Result<AnyRecord, Vec<FieldError>> {
    let kind = record.kind();
    let pairs = form_pairs(record);
    let (mut out, errors) = form::parse(spec(kind), &pairs);
    if !errors.is_empty() {
        return Err(errors);
    }
    if let AnyRecord::Document(d) = record {
        out["file"] = d.file.clone().into();
        out["media_type"] = d.media_type.clone().into();
        out["size"] = d.size.into();
        out["sha256"] = d.sha256.clone().into();
    }
    AnyRecord::from_json(kind, out).map_err(|e| {
        vec![FieldError::new(
            "",
            "",
            Problem::Syntax {
                detail: e.to_string(),
            },
        )]
    })
}

/// The fields a browser posts for this record through the edit form.
pub fn form_pairs(record: &AnyRecord) -> Vec<(String, String)> {
    let kind = record.kind();
    let values = form_values(record);
    // Lists of URLs are one textarea, one per line, as the form sends them.
    let mut pairs: Vec<(String, String)> = Vec::new();
    for (k, v) in &values {
        let is_url_item = spec(kind)
            .iter()
            .any(|f| matches!(f.ty, Ty::UrlList) && k.starts_with(&format!("{}[", f.name)));
        let name = if is_url_item {
            k.split('[').next().unwrap_or(k).to_string()
        } else if let Some((list, _)) = k.rsplit_once('[').filter(|(_, rest)| rest.ends_with(']')) {
            // Items of a reference list are repeated checkboxes.
            list.to_string()
        } else {
            k.clone()
        };
        pairs.push((name, v.clone()));
    }
    pairs
}
