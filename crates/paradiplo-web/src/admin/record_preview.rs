//! Preview of a draft (or of the current version) as the public will read
//! it, in either language. The portal's record pages are another engineer's;
//! until they can render a record handed to them, the preview lays out every
//! field the way a reader sees it (texts in the language, vocabulary labels,
//! titles of referenced records) under the portal's stylesheet.

use super::auth::{Staff, page_ctx};
use super::form::esc;
use super::specs::{Field, Ty, spec};
use super::{kind_of, not_found, render};
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use paradiplo_core::{Lang, RecordKind};
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt::Write;

#[derive(serde::Deserialize, Default)]
pub struct PreviewQuery {
    #[serde(default)]
    lang: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    staff: Staff,
    Path((kind, slug)): Path<(String, String)>,
    Query(q): Query<PreviewQuery>,
) -> Response {
    let Some(kind) = kind_of(&kind) else {
        return not_found(staff.lang);
    };
    let (stored, draft) = match super::record_show::load(&state, kind, &slug).await {
        Ok(v) => v,
        Err(e) => return super::server_error(&e),
    };
    let is_draft = draft.is_some();
    let Some(record) = draft.map(|d| d.record).or(stored.map(|s| s.record)) else {
        return not_found(staff.lang);
    };
    let read_lang = match q.lang.as_deref() {
        Some("en") => Lang::En,
        Some("fr") => Lang::Fr,
        _ => staff.lang.0,
    };
    let options = match super::record_edit::reference_options(&state, read_lang).await {
        Ok(o) => o,
        Err(e) => return super::server_error(&e),
    };
    let msgs = state.templates.messages(read_lang);
    let json = record.to_json();
    let mut body = String::new();
    body.push_str("<dl class=\"preview-fields\">");
    for f in spec(kind).iter().filter(|f| !matches!(f.ty, Ty::Slug)) {
        show(f, &json[f.name], read_lang, msgs, &options, &mut body);
    }
    body.push_str("</dl>");
    render(
        &state,
        &page_ctx(&staff),
        "admin/preview.html",
        minijinja::context! {
            kind => kind.as_str(),
            slug => slug,
            is_draft => is_draft,
            read_lang => read_lang.code(),
            title => record.title().get(read_lang).to_string(),
            body => minijinja::Value::from_safe_string(body),
        },
    )
}

/// Writes one field as a `<dt>`/`<dd>` pair; nothing when it is empty.
fn show(
    f: &Field,
    v: &Value,
    lang: Lang,
    msgs: &BTreeMap<String, String>,
    options: &BTreeMap<RecordKind, Vec<(String, String)>>,
    out: &mut String,
) {
    if v.is_null() || v.as_array().is_some_and(|a| a.is_empty()) {
        return;
    }
    let label = msgs
        .get(&format!("f_{}", f.name))
        .cloned()
        .unwrap_or_else(|| f.name.to_string());
    let shown = shown_value(f, v, lang, msgs, options);
    let _ = write!(out, "<dt>{}</dt><dd>{shown}</dd>", esc(&label));
}

/// The title of a referenced record, or its slug when it has none in `options`.
fn title_of(
    options: &BTreeMap<RecordKind, Vec<(String, String)>>,
    kind: RecordKind,
    slug: &str,
) -> String {
    options
        .get(&kind)
        .and_then(|o| o.iter().find(|(s, _)| s == slug))
        .map(|(_, t)| t.clone())
        .unwrap_or_else(|| slug.to_string())
}

/// A field's value as the reader sees it, as escaped HTML.
fn shown_value(
    f: &Field,
    v: &Value,
    lang: Lang,
    msgs: &BTreeMap<String, String>,
    options: &BTreeMap<RecordKind, Vec<(String, String)>>,
) -> String {
    let title = |kind: RecordKind, slug: &str| title_of(options, kind, slug);
    let s = |v: &Value| v.as_str().unwrap_or_default().to_string();
    match f.ty {
        Ty::Text { .. } => {
            let fr = v["fr"].as_str().unwrap_or_default();
            let text = match lang {
                Lang::En => v["en"].as_str().filter(|e| !e.is_empty()).unwrap_or(fr),
                Lang::Fr => fr,
            };
            esc(text)
        }
        Ty::Bool => esc(msgs
            .get(if v.as_bool() == Some(true) {
                "admin_yes"
            } else {
                "admin_no"
            })
            .map(String::as_str)
            .unwrap_or_default()),
        Ty::Select { options, .. } => {
            let key = s(v);
            esc(options(lang)
                .into_iter()
                .find(|(k, _)| *k == key)
                .map(|(_, l)| l)
                .unwrap_or(&key))
        }
        Ty::Ref { kind, .. } => esc(&title(kind, &s(v))),
        Ty::Member => {
            let slug = s(v);
            let t = title(RecordKind::Partner, &slug);
            esc(&if t == slug {
                title(RecordKind::Home, &slug)
            } else {
                t
            })
        }
        Ty::RefList(kind) => v
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|x| esc(&title(kind, &s(x))))
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default(),
        Ty::UrlList => v
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|x| format!("<a href=\"{0}\">{0}</a>", esc(&s(x))))
                    .collect::<Vec<_>>()
                    .join("<br>")
            })
            .unwrap_or_default(),
        Ty::Geo => format!("{}, {}", v["lat"], v["lon"]),
        Ty::List(sub) => {
            let mut inner = String::new();
            for row in v.as_array().into_iter().flatten() {
                inner.push_str("<li><dl>");
                for sf in sub {
                    show(sf, &row[sf.name], lang, msgs, options, &mut inner);
                }
                inner.push_str("</dl></li>");
            }
            format!("<ul>{inner}</ul>")
        }
        Ty::Group(sub) => {
            let mut inner = String::new();
            for sf in sub {
                show(sf, &v[sf.name], lang, msgs, options, &mut inner);
            }
            format!("<dl>{inner}</dl>")
        }
        Ty::Date { .. } => esc(&paradiplo_core::PartialDate::parse(&s(v))
            .map(|d| d.display(lang))
            .unwrap_or_else(|_| s(v))),
        Ty::Int { .. } => v.to_string(),
        Ty::KeyList => v
            .as_array()
            .map(|a| a.iter().map(|x| esc(&s(x))).collect::<Vec<_>>().join(", "))
            .unwrap_or_default(),
        Ty::Delay => format!("{} → {}", esc(&s(&v["step"])), v["days"]),
        _ => esc(&s(v)),
    }
}
