//! A record's versions (who, when, change note), a readable diff between any
//! two of them (or the pending draft), and the restore form (publishers).

use super::auth::{Staff, page_ctx};
use super::form::esc;
use super::record_show::{change_rows, when};
use super::{Flash, kind_of, not_found, render};
use crate::AppState;
use crate::templates::to_value;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use paradiplo_core::diff::diff as field_diff;
use serde::Serialize;

#[derive(Serialize)]
struct VersionRow {
    version: i64,
    action: &'static str,
    state: &'static str,
    author: String,
    at: String,
    note: String,
    public_note: Option<String>,
    forced_reason: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    staff: Staff,
    Path((kind, slug)): Path<(String, String)>,
    Query(flash): Query<Flash>,
) -> Response {
    let Some(kind) = kind_of(&kind) else {
        return not_found(staff.lang);
    };
    let lang = staff.lang.0;
    let (history, pubs, stored, draft) = match async {
        Ok::<_, paradiplo_store::StoreError>((
            state.store.history(kind, &slug).await?,
            state.store.publications(kind, &slug).await?,
            state
                .store
                .get(kind, &slug, paradiplo_store::Visibility::All)
                .await?,
            state.store.draft(kind, &slug).await?,
        ))
    }
    .await
    {
        Ok(v) => v,
        Err(e) => return super::server_error(&e),
    };
    if history.is_empty() && draft.is_none() {
        return not_found(staff.lang);
    }
    let rows: Vec<VersionRow> = history
        .iter()
        .rev()
        .map(|r| {
            let p = pubs.iter().find(|p| p.version == r.version);
            VersionRow {
                version: r.version,
                action: r.action.as_str(),
                state: r.state.as_str(),
                author: r.author.clone(),
                at: when(&r.at, lang),
                note: r.note.clone(),
                public_note: p
                    .and_then(|p| p.public_note.as_ref().map(|t| t.get(lang).to_string())),
                forced_reason: p.and_then(|p| p.forced_reason.clone()),
            }
        })
        .collect();
    let title = stored
        .as_ref()
        .map(|s| s.record.title().get(lang).to_string())
        .or(draft
            .as_ref()
            .map(|d| d.record.title().get(lang).to_string()))
        .unwrap_or_default();
    render(
        &state,
        &page_ctx(&staff),
        "admin/history.html",
        minijinja::context! {
            kind => kind.as_str(),
            kind_label => kind.label(lang),
            slug => slug,
            title => title,
            flash => super::flash_text(&state, lang, &flash),
            versions => to_value(rows),
            has_draft => draft.is_some(),
            current_version => stored.as_ref().map(|s| s.version),
            can_publish => staff.role().can_publish(),
        },
    )
}

#[derive(serde::Deserialize)]
pub struct DiffQuery {
    from: String,
    to: String,
}

/// Word-level marks of what changed inside one field.
fn inline(before: &str, after: &str) -> (String, String) {
    let d = similar::TextDiff::from_words(before, after);
    let (mut b, mut a) = (String::new(), String::new());
    for change in d.iter_all_changes() {
        let v = esc(change.value());
        match change.tag() {
            similar::ChangeTag::Equal => {
                b.push_str(&v);
                a.push_str(&v);
            }
            similar::ChangeTag::Delete => b.push_str(&format!("<del>{v}</del>")),
            similar::ChangeTag::Insert => a.push_str(&format!("<ins>{v}</ins>")),
        }
    }
    (b, a)
}

pub async fn diff(
    State(state): State<AppState>,
    staff: Staff,
    Path((kind, slug)): Path<(String, String)>,
    Query(q): Query<DiffQuery>,
) -> Response {
    let Some(kind) = kind_of(&kind) else {
        return not_found(staff.lang);
    };
    let lang = staff.lang.0;
    let load = |v: String| {
        let state = state.clone();
        let slug = slug.clone();
        async move {
            if v == "draft" {
                return Ok::<_, paradiplo_store::StoreError>(
                    state
                        .store
                        .draft(kind, &slug)
                        .await?
                        .map(|d| d.record.to_json()),
                );
            }
            match v.parse::<i64>() {
                Ok(n) => Ok(state
                    .store
                    .revision(kind, &slug, n)
                    .await?
                    .map(|r| r.record.to_json())),
                Err(_) => Ok(None),
            }
        }
    };
    let (a, b) = match (load(q.from.clone()).await, load(q.to.clone()).await) {
        (Ok(Some(a)), Ok(Some(b))) => (a, b),
        (Err(e), _) | (_, Err(e)) => return super::server_error(&e),
        _ => return not_found(staff.lang),
    };
    let changes = field_diff(&a, &b);
    let substantive = paradiplo_core::diff::is_substantive(&changes);
    let rows: Vec<_> = change_rows(&state, lang, &changes)
        .into_iter()
        .map(|r| {
            let (before, after) = inline(&r.before, &r.after);
            minijinja::context! {
                label => r.label, lang => r.lang, minor => r.minor,
                before => minijinja::Value::from_safe_string(before),
                after => minijinja::Value::from_safe_string(after),
            }
        })
        .collect();
    render(
        &state,
        &page_ctx(&staff),
        "admin/diff.html",
        minijinja::context! {
            kind => kind.as_str(),
            slug => slug,
            from => q.from,
            to => q.to,
            rows => rows,
            substantive => substantive,
        },
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn inline_marks_words_and_escapes() {
        let (b, a) = super::inline("Entente <signée>", "Entente abrogée");
        assert!(b.contains("<del>&lt;signée&gt;</del>"), "{b}");
        assert!(a.contains("<ins>abrogée</ins>"), "{a}");
    }
}
