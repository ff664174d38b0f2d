//! One generic form for every kind of record: rendered from the field
//! descriptions of `specs.rs`, parsed back into the record's JSON form.
//!
//! Field names are the dotted paths that `paradiplo_core::diff::flatten` and
//! validation errors use (`name.fr`, `milestones[0].date`), so an error lands
//! next to its field and a stored record fills the form as it is.

use super::specs::{Field, Ty};
use paradiplo_core::records::PartyRef;
use paradiplo_core::values::WebUrl;
use paradiplo_core::{
    CountryCode, FieldError, Lang, PartialDate, Problem, RecordKind, Slug, SubdivisionCode,
};
use serde_json::{Map, Value, json};
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

/// HTML-escapes text for element content and attribute values: the one
/// escaper of the workspace (`paradiplo_core::markup`), under its short name.
pub use paradiplo_core::markup::escape_html as esc;

/// The element id of a field path: `milestones[0].text.fr` → `f-milestones-0-text-fr`.
pub fn id_of(path: &str) -> String {
    let mut id = String::from("f-");
    for c in path.chars() {
        match c {
            '[' | '.' => id.push('-'),
            ']' => {}
            c => id.push(c),
        }
    }
    id
}

/// What the renderer needs besides the field descriptions.
pub struct FormCtx<'a> {
    pub lang: Lang,
    pub msgs: &'a BTreeMap<String, String>,
    /// The values to show, by path.
    pub values: &'a BTreeMap<String, String>,
    /// Error messages by path, already in the staff member's language.
    pub errors: &'a BTreeMap<String, Vec<String>>,
    /// On a conflict: the other person's version, shown beside each field that differs.
    pub theirs: Option<&'a BTreeMap<String, String>>,
    /// Records that references may point at, by kind: (slug, title).
    pub options: &'a BTreeMap<RecordKind, Vec<(String, String)>>,
    /// A new record: the slug is typed in.
    pub new: bool,
    /// Empty rows offered at the end of each list.
    pub extra_rows: usize,
    pub(crate) anchors: RefCell<Vec<(String, String)>>,
}

impl<'a> FormCtx<'a> {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        lang: Lang,
        msgs: &'a BTreeMap<String, String>,
        values: &'a BTreeMap<String, String>,
        errors: &'a BTreeMap<String, Vec<String>>,
        theirs: Option<&'a BTreeMap<String, String>>,
        options: &'a BTreeMap<RecordKind, Vec<(String, String)>>,
        new: bool,
        extra_rows: usize,
    ) -> Self {
        FormCtx {
            lang,
            msgs,
            values,
            errors,
            theirs,
            options,
            new,
            extra_rows,
            anchors: RefCell::new(Vec::new()),
        }
    }

    fn msg(&self, key: &str) -> String {
        self.msgs
            .get(key)
            .cloned()
            .unwrap_or_else(|| key.to_string())
    }

    fn label(&self, name: &str) -> String {
        self.msg(&format!("f_{name}"))
    }

    fn value(&self, path: &str) -> &str {
        self.values.get(path).map(String::as_str).unwrap_or("")
    }

    fn anchor(&self, path: &str, id: &str) {
        self.anchors
            .borrow_mut()
            .push((path.to_string(), id.to_string()));
    }

    /// Error paragraph for `path`, and the attributes the input needs.
    fn errs(&self, path: &str, id: &str) -> (String, String) {
        match self.errors.get(path) {
            Some(list) if !list.is_empty() => {
                let mut p = format!("<p class=\"error\" id=\"{id}-err\">");
                for (i, m) in list.iter().enumerate() {
                    if i > 0 {
                        p.push_str("<br>");
                    }
                    p.push_str(&esc(m));
                }
                p.push_str("</p>");
                (
                    p,
                    format!(" aria-invalid=\"true\" aria-describedby=\"{id}-err\""),
                )
            }
            _ => (String::new(), String::new()),
        }
    }

    /// The other person's value, where it differs from what is in the form.
    fn theirs_note(&self, paths: &[String]) -> String {
        let Some(theirs) = self.theirs else {
            return String::new();
        };
        let mine: Vec<&str> = paths.iter().map(|p| self.value(p)).collect();
        let other: Vec<&str> = paths
            .iter()
            .map(|p| theirs.get(p).map(String::as_str).unwrap_or(""))
            .collect();
        if mine == other {
            return String::new();
        }
        let shown: Vec<String> = other
            .iter()
            .filter(|s| !s.is_empty())
            .map(|s| esc(s))
            .collect();
        format!(
            "<div class=\"theirs\"><strong>{}</strong>{}<span>{}</span></div>",
            esc(&self.msg("admin_conflict_theirs")),
            esc(self.lang.colon()),
            if shown.is_empty() {
                esc(&self.msg("admin_empty"))
            } else {
                shown.join(" · ")
            }
        )
    }
}

/// Renders the fields of a form (not the `<form>` element itself).
pub fn render(fields: &[Field], ctx: &FormCtx) -> String {
    let mut out = String::new();
    for f in fields {
        render_field(f, "", ctx, &mut out);
    }
    out
}

/// The error summary: every error, linked to its field.
pub fn summary(ctx: &FormCtx) -> Vec<(String, String)> {
    let anchors = ctx.anchors.borrow();
    let mut out = Vec::new();
    for (path, msgs) in ctx.errors {
        // The field whose path is the longest prefix of the error's path.
        let id = anchors
            .iter()
            .filter(|(p, _)| {
                path == p
                    || path.starts_with(&format!("{p}."))
                    || path.starts_with(&format!("{p}["))
            })
            .max_by_key(|(p, _)| p.len())
            .map(|(_, id)| id.clone())
            .unwrap_or_else(|| "record-form".to_string());
        let label = field_label(path, ctx);
        for m in msgs {
            out.push((id.clone(), format!("{label}{}{m}", ctx.lang.colon())));
        }
    }
    out
}

/// "Milestones 1 › Text (English)" for `milestones[0].text.en`.
fn field_label(path: &str, ctx: &FormCtx) -> String {
    let mut parts = Vec::new();
    for seg in path.split('.') {
        let (name, index) = match seg.split_once('[') {
            Some((n, rest)) => (n, rest.trim_end_matches(']').parse::<usize>().ok()),
            None => (seg, None),
        };
        let label = match name {
            "fr" => ctx.msg("admin_lang_fr"),
            "en" => ctx.msg("admin_lang_en"),
            "" => continue,
            n => ctx.label(n),
        };
        parts.push(match index {
            Some(i) => format!("{label} {}", i + 1),
            None => label,
        });
    }
    parts.join(" › ")
}

/// The field's `aria-describedby`, its hint (`{id}-hint`) first, then
/// whatever error it already names.
fn with_hint(aria: &str, id: &str) -> String {
    if aria.is_empty() {
        format!(" aria-describedby=\"{id}-hint\"")
    } else {
        aria.replace(
            "aria-describedby=\"",
            &format!("aria-describedby=\"{id}-hint "),
        )
    }
}

fn input(out: &mut String, id: &str, name: &str, value: &str, attrs: &str, aria: &str) {
    let _ = write!(
        out,
        "<input id=\"{id}\" name=\"{}\" value=\"{}\"{attrs}{aria}>",
        esc(name),
        esc(value)
    );
}

fn render_field(f: &Field, prefix: &str, ctx: &FormCtx, out: &mut String) {
    let path = format!("{prefix}{}", f.name);
    let s = Slot {
        f,
        id: id_of(&path),
        label: esc(&ctx.label(f.name)),
        path,
    };
    match f.ty {
        Ty::Slug => render_slug(s, ctx, out),
        Ty::Text { long, optional } => render_text(s, long, optional, ctx, out),
        Ty::Bool => render_bool(s, ctx, out),
        Ty::Select { options, optional } => {
            let opts: Vec<(String, String)> = options(ctx.lang)
                .into_iter()
                .map(|(k, l)| (k.to_string(), l.to_string()))
                .collect();
            select(out, ctx, &s.path, &s.id, &s.label, &opts, optional);
        }
        Ty::Ref { kind, optional } => {
            let opts = ctx.options.get(&kind).cloned().unwrap_or_default();
            select(out, ctx, &s.path, &s.id, &s.label, &opts, optional);
        }
        Ty::Member => {
            let mut opts = ctx
                .options
                .get(&RecordKind::Home)
                .cloned()
                .unwrap_or_default();
            opts.extend(
                ctx.options
                    .get(&RecordKind::Partner)
                    .cloned()
                    .unwrap_or_default(),
            );
            select(out, ctx, &s.path, &s.id, &s.label, &opts, false);
        }
        Ty::RefList(kind) => render_ref_list(s, kind, ctx, out),
        Ty::UrlList | Ty::KeyList => render_lines(s, ctx, out),
        Ty::Geo | Ty::Delay => render_parts(s, ctx, out),
        Ty::File => render_file(s, ctx, out),
        Ty::Note => render_note(s, ctx, out),
        Ty::List(sub) => render_rows(s, sub, ctx, out),
        Ty::Group(sub) => render_group(s, sub, ctx, out),
        Ty::Str { .. }
        | Ty::Int { .. }
        | Ty::Date { .. }
        | Ty::Country { .. }
        | Ty::Subdivision { .. }
        | Ty::Url
        | Ty::Party { .. } => render_input(s, ctx, out),
    }
}

/// One field being rendered: its description, dotted path, element id and
/// label (already escaped).
struct Slot<'f> {
    f: &'f Field,
    path: String,
    id: String,
    label: String,
}

/// The slug: typed in for a new record, shown as code afterwards.
fn render_slug(s: Slot, ctx: &FormCtx, out: &mut String) {
    let Slot {
        path, id, label, ..
    } = s;
    ctx.anchor(&path, &id);
    let (err, aria) = ctx.errs(&path, &id);
    if path == "slug" && !ctx.new {
        let _ = write!(
            out,
            "<div class=\"field\"><span class=\"label\">{label}</span> <code>{}</code></div>",
            esc(ctx.value(&path))
        );
    } else {
        let _ = write!(
            out,
            "<div class=\"field\"><label for=\"{id}\">{label}</label><p class=\"hint\" id=\"{id}-hint\">{}</p>",
            esc(&ctx.msg("admin_hint_slug"))
        );
        let aria = with_hint(&aria, &id);
        input(
            out,
            &id,
            &path,
            ctx.value(&path),
            " type=\"text\" required pattern=\"[a-z0-9]+(-[a-z0-9]+)*\"",
            &aria,
        );
        out.push_str(&err);
        out.push_str(&ctx.theirs_note(std::slice::from_ref(&path)));
        out.push_str("</div>");
    }
}

/// A bilingual text: French and English side by side.
fn render_text(s: Slot, long: bool, optional: bool, ctx: &FormCtx, out: &mut String) {
    let Slot { f, path, id, label } = s;
    let _ = write!(
        out,
        "<fieldset class=\"bilingual\" id=\"{id}\"><legend>{label}{}</legend>",
        if optional {
            String::new()
        } else {
            format!(
                " <span class=\"req\">({})</span>",
                esc(&ctx.msg("admin_required"))
            )
        }
    );
    ctx.anchor(&path, &id);
    let (err, _) = ctx.errs(&path, &id);
    out.push_str(&err);
    out.push_str("<div class=\"pair\">");
    for lang in ["fr", "en"] {
        let p = format!("{path}.{lang}");
        let lid = id_of(&p);
        ctx.anchor(&p, &lid);
        let (err, aria) = ctx.errs(&p, &lid);
        let _ = write!(
            out,
            "<div class=\"field\" lang=\"{lang}\"><label for=\"{lid}\">{}</label>",
            esc(&ctx.msg(&format!("admin_lang_{lang}")))
        );
        if long {
            let _ = write!(
                out,
                "<textarea id=\"{lid}\" name=\"{}\" rows=\"{}\"{aria}>{}</textarea>",
                esc(&p),
                if f.name == "body" { 14 } else { 4 },
                esc(ctx.value(&p))
            );
        } else {
            input(out, &lid, &p, ctx.value(&p), " type=\"text\"", &aria);
        }
        out.push_str(&err);
        out.push_str(&ctx.theirs_note(std::slice::from_ref(&p)));
        out.push_str("</div>");
    }
    out.push_str("</div></fieldset>");
}

/// A checkbox.
fn render_bool(s: Slot, ctx: &FormCtx, out: &mut String) {
    let Slot {
        path, id, label, ..
    } = s;
    ctx.anchor(&path, &id);
    let (err, aria) = ctx.errs(&path, &id);
    let checked = if ctx.value(&path) == "true" {
        " checked"
    } else {
        ""
    };
    let _ = write!(
        out,
        "<div class=\"field check\"><input type=\"checkbox\" id=\"{id}\" name=\"{}\" value=\"true\"{checked}{aria}> <label for=\"{id}\">{label}</label>{err}{}</div>",
        esc(&path),
        ctx.theirs_note(std::slice::from_ref(&path))
    );
}

/// References to records of a kind, as checkboxes.
fn render_ref_list(s: Slot, kind: RecordKind, ctx: &FormCtx, out: &mut String) {
    let Slot {
        path, id, label, ..
    } = s;
    ctx.anchor(&path, &id);
    let chosen: BTreeSet<&str> = ctx
        .values
        .iter()
        .filter(|(k, _)| is_item_of(k, &path))
        .map(|(_, v)| v.as_str())
        .collect();
    let (err, _) = ctx.errs(&path, &id);
    let _ = write!(
        out,
        "<fieldset class=\"choices\" id=\"{id}\"><legend>{label}</legend>{err}<div class=\"scroll\">"
    );
    let opts = ctx.options.get(&kind).cloned().unwrap_or_default();
    // Keep references to records the list does not offer (archived…).
    let mut all: Vec<(String, String)> = opts.clone();
    for c in &chosen {
        if !opts.iter().any(|(s, _)| s == c) {
            all.push((c.to_string(), c.to_string()));
        }
    }
    for (i, (slug, title)) in all.iter().enumerate() {
        let cid = format!("{id}-{i}");
        let checked = if chosen.contains(slug.as_str()) {
            " checked"
        } else {
            ""
        };
        let _ = write!(
            out,
            "<div class=\"check\"><input type=\"checkbox\" id=\"{cid}\" name=\"{}\" value=\"{}\"{checked}> <label for=\"{cid}\">{}</label></div>",
            esc(&path),
            esc(slug),
            esc(title)
        );
    }
    out.push_str("</div>");
    for (k, msgs) in ctx.errors {
        if is_item_of(k, &path) {
            for m in msgs {
                let _ = write!(out, "<p class=\"error\">{}</p>", esc(m));
            }
        }
    }
    out.push_str(&list_theirs(ctx, &path));
    out.push_str("</fieldset>");
}

/// A list typed one item per line (URLs, step keys).
fn render_lines(s: Slot, ctx: &FormCtx, out: &mut String) {
    let Slot {
        path, id, label, ..
    } = s;
    ctx.anchor(&path, &id);
    let lines: Vec<&str> = ctx
        .values
        .iter()
        .filter(|(k, _)| is_item_of(k, &path))
        .map(|(_, v)| v.as_str())
        .collect();
    let (err, aria) = ctx.errs(&path, &id);
    let item_errs: String = ctx
        .errors
        .iter()
        .filter(|(k, _)| is_item_of(k, &path))
        .flat_map(|(_, m)| m.iter())
        .map(|m| format!("<p class=\"error\">{}</p>", esc(m)))
        .collect();
    let _ = write!(
        out,
        "<div class=\"field\"><label for=\"{id}\">{label}</label><p class=\"hint\">{}</p><textarea id=\"{id}\" name=\"{}\" rows=\"3\"{aria}>{}</textarea>{err}{item_errs}{}</div>",
        esc(&ctx.msg("admin_hint_urls")),
        esc(&path),
        esc(&lines.join("\n")),
        list_theirs(ctx, &path)
    );
}

/// A group of fields under one legend, named `{path}.{field}`.
fn render_group(s: Slot, sub: &[Field], ctx: &FormCtx, out: &mut String) {
    let Slot {
        path, id, label, ..
    } = s;
    ctx.anchor(&path, &id);
    let (err, _) = ctx.errs(&path, &id);
    let _ = write!(
        out,
        "<fieldset class=\"group\" id=\"{id}\"><legend>{label}</legend>{err}"
    );
    for f in sub {
        render_field(f, &format!("{path}."), ctx, out);
    }
    out.push_str("</fieldset>");
}

/// The staff note: one plain text over several lines, said to stay internal.
fn render_note(s: Slot, ctx: &FormCtx, out: &mut String) {
    let Slot {
        path, id, label, ..
    } = s;
    ctx.anchor(&path, &id);
    let (err, aria) = ctx.errs(&path, &id);
    let aria = with_hint(&aria, &id);
    let _ = write!(
        out,
        "<div class=\"field\"><label for=\"{id}\">{label}</label><p class=\"hint\" id=\"{id}-hint\">{}</p><textarea id=\"{id}\" name=\"{}\" rows=\"4\"{aria}>{}</textarea>{err}{}</div>",
        esc(&ctx.msg("admin_hint_staff_note")),
        esc(&path),
        esc(ctx.value(&path)),
        ctx.theirs_note(std::slice::from_ref(&path))
    );
}

/// A value in two parts: latitude and longitude, or step and days.
fn render_parts(s: Slot, ctx: &FormCtx, out: &mut String) {
    let Slot { f, path, id, label } = s;
    let _ = write!(
        out,
        "<fieldset class=\"geo\" id=\"{id}\"><legend>{label}</legend>"
    );
    ctx.anchor(&path, &id);
    let parts = if matches!(f.ty, Ty::Geo) {
        ["lat", "lon"]
    } else {
        ["step", "days"]
    };
    for part in parts {
        let p = format!("{path}.{part}");
        let pid = id_of(&p);
        ctx.anchor(&p, &pid);
        let (err, aria) = ctx.errs(&p, &pid);
        let _ = write!(
            out,
            "<div class=\"field\"><label for=\"{pid}\">{}</label>",
            esc(&ctx.msg(&format!("admin_part_{part}")))
        );
        input(
            out,
            &pid,
            &p,
            ctx.value(&p),
            " type=\"text\" inputmode=\"decimal\"",
            &aria,
        );
        out.push_str(&err);
        out.push_str(&ctx.theirs_note(std::slice::from_ref(&p)));
        out.push_str("</div>");
    }
    out.push_str("</fieldset>");
}

/// The upload of a document's file, with the current file named.
fn render_file(s: Slot, ctx: &FormCtx, out: &mut String) {
    let Slot {
        path, id, label, ..
    } = s;
    ctx.anchor(&path, &id);
    let (err, aria) = ctx.errs(&path, &id);
    let current = ctx.value(&path);
    let _ = write!(
        out,
        "<div class=\"field\"><label for=\"{id}\">{label}</label>{}<input type=\"file\" id=\"{id}\" name=\"upload\"{aria}>{err}</div>",
        if current.is_empty() {
            String::new()
        } else {
            format!(
                "<p class=\"hint\">{}{}<code>{}</code> ({})</p>",
                esc(&ctx.msg("admin_current_file")),
                ctx.lang.colon(),
                esc(current),
                esc(ctx.value("media_type"))
            )
        }
    );
}

/// Rows of nested fields, each with a box to remove it, and empty rows to add.
fn render_rows(s: Slot, sub: &[Field], ctx: &FormCtx, out: &mut String) {
    let Slot {
        path, id, label, ..
    } = s;
    ctx.anchor(&path, &id);
    let (err, _) = ctx.errs(&path, &id);
    let _ = write!(
        out,
        "<fieldset class=\"list\" id=\"{id}\"><legend>{label}</legend>{err}"
    );
    let rows =
        row_count(ctx.values, &path).max(ctx.theirs.map(|t| row_count(t, &path)).unwrap_or(0));
    for i in 0..rows + ctx.extra_rows {
        let rp = format!("{path}[{i}]");
        let rid = id_of(&rp);
        let _ = write!(
            out,
            "<fieldset class=\"row\" id=\"{rid}\"><legend>{label} {}</legend>",
            i + 1
        );
        ctx.anchor(&rp, &rid);
        for sf in sub {
            render_field(sf, &format!("{rp}."), ctx, out);
        }
        if i < rows {
            let _ = write!(
                out,
                "<div class=\"field check\"><input type=\"checkbox\" id=\"{rid}-remove\" name=\"{}._remove\" value=\"1\"> <label for=\"{rid}-remove\">{}</label></div>",
                esc(&rp),
                esc(&ctx.msg("admin_remove_row"))
            );
        }
        out.push_str("</fieldset>");
    }
    out.push_str("</fieldset>");
}

/// A one-line input (text, number, date, code, URL, party) with its hint.
fn render_input(s: Slot, ctx: &FormCtx, out: &mut String) {
    let Slot { f, path, id, label } = s;
    ctx.anchor(&path, &id);
    let (err, aria) = ctx.errs(&path, &id);
    let hint_key = match f.ty {
        Ty::Date { .. } => Some("admin_hint_date"),
        Ty::Country { .. } => Some("admin_hint_country"),
        Ty::Subdivision { .. } => Some("admin_hint_subdivision"),
        Ty::Party { .. } => Some("admin_hint_party"),
        Ty::Url => Some("admin_hint_url"),
        _ => None,
    };
    let required = matches!(
        f.ty,
        Ty::Date { optional: false }
            | Ty::Country { optional: false }
            | Ty::Subdivision { optional: false }
            | Ty::Party { optional: false }
            | Ty::Str { optional: false }
    );
    let _ = write!(out, "<div class=\"field\"><label for=\"{id}\">{label}");
    if required {
        let _ = write!(
            out,
            " <span class=\"req\">({})</span>",
            esc(&ctx.msg("admin_required"))
        );
    }
    out.push_str("</label>");
    let mut aria = aria;
    if let Some(h) = hint_key {
        let _ = write!(
            out,
            "<p class=\"hint\" id=\"{id}-hint\">{}</p>",
            esc(&ctx.msg(h))
        );
        aria = with_hint(&aria, &id);
    }
    let ty = if matches!(f.ty, Ty::Url) {
        "url"
    } else {
        "text"
    };
    input(
        out,
        &id,
        &path,
        ctx.value(&path),
        &format!(" type=\"{ty}\""),
        &aria,
    );
    out.push_str(&err);
    out.push_str(&ctx.theirs_note(std::slice::from_ref(&path)));
    out.push_str("</div>");
}

fn list_theirs(ctx: &FormCtx, path: &str) -> String {
    let Some(theirs) = ctx.theirs else {
        return String::new();
    };
    let mine: Vec<&String> = ctx
        .values
        .iter()
        .filter(|(k, _)| is_item_of(k, path))
        .map(|(_, v)| v)
        .collect();
    let other: Vec<&String> = theirs
        .iter()
        .filter(|(k, _)| is_item_of(k, path))
        .map(|(_, v)| v)
        .collect();
    if mine == other {
        return String::new();
    }
    format!(
        "<div class=\"theirs\"><strong>{}</strong>{}<span>{}</span></div>",
        esc(&ctx.msg("admin_conflict_theirs")),
        ctx.lang.colon(),
        if other.is_empty() {
            esc(&ctx.msg("admin_empty"))
        } else {
            other.iter().map(|s| esc(s)).collect::<Vec<_>>().join(" · ")
        }
    )
}

fn select(
    out: &mut String,
    ctx: &FormCtx,
    path: &str,
    id: &str,
    label: &str,
    opts: &[(String, String)],
    optional: bool,
) {
    ctx.anchor(path, id);
    let (err, aria) = ctx.errs(path, id);
    let current = ctx.value(path);
    let _ = write!(
        out,
        "<div class=\"field\"><label for=\"{id}\">{label}</label><select id=\"{id}\" name=\"{}\"{aria}>",
        esc(path)
    );
    if optional || current.is_empty() {
        let _ = write!(
            out,
            "<option value=\"\">{}</option>",
            esc(&ctx.msg("admin_none"))
        );
    }
    let mut found = false;
    for (k, l) in opts {
        let sel = if k == current {
            found = true;
            " selected"
        } else {
            ""
        };
        let _ = write!(out, "<option value=\"{}\"{sel}>{}</option>", esc(k), esc(l));
    }
    if !found && !current.is_empty() {
        let _ = write!(
            out,
            "<option value=\"{}\" selected>{}</option>",
            esc(current),
            esc(current)
        );
    }
    out.push_str("</select>");
    out.push_str(&err);
    out.push_str(&ctx.theirs_note(&[path.to_string()]));
    out.push_str("</div>");
}

/// True for `domains[3]` when `list` is `domains`.
fn is_item_of(key: &str, list: &str) -> bool {
    key.strip_prefix(list)
        .and_then(|r| r.strip_prefix('['))
        .is_some_and(|r| r.ends_with(']') && r[..r.len() - 1].bytes().all(|b| b.is_ascii_digit()))
}

/// Rows of a list present in `values` (highest index + 1).
fn row_count(values: &BTreeMap<String, String>, list: &str) -> usize {
    indices(values.keys().map(String::as_str), list)
        .last()
        .map(|i| i + 1)
        .unwrap_or(0)
}

/// The row indices of `list` among field names, in order.
fn indices<'a>(names: impl Iterator<Item = &'a str>, list: &str) -> Vec<usize> {
    let prefix = format!("{list}[");
    let mut out: Vec<usize> = names
        .filter_map(|k| k.strip_prefix(&prefix))
        .filter_map(|r| r.split_once(']'))
        .filter(|(_, rest)| rest.starts_with('.'))
        .filter_map(|(n, _)| n.parse().ok())
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Form fields by name (first value wins; `all` gives every value).
struct Fields<'a> {
    pairs: &'a [(String, String)],
}

impl<'a> Fields<'a> {
    fn get(&self, name: &str) -> &'a str {
        self.pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
            .unwrap_or("")
    }
    /// A text as typed: browsers send textarea lines with CRLF; a text of
    /// spaces only is empty. Not trimmed, so an unchanged text stays equal.
    fn text(&self, name: &str) -> String {
        let raw = self
            .pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.replace("\r\n", "\n"))
            .unwrap_or_default();
        if raw.trim().is_empty() {
            String::new()
        } else {
            raw
        }
    }

    fn all(&self, name: &str) -> Vec<&'a str> {
        self.pairs
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
            .collect()
    }
    fn row_is_blank(&self, prefix: &str) -> bool {
        self.pairs
            .iter()
            .filter(|(k, _)| k.starts_with(prefix))
            .all(|(_, v)| v.trim().is_empty())
    }
}

/// Parses posted fields into a record's JSON form. Values that do not parse
/// are kept as typed (so the form shows them again) and reported by path.
pub fn parse(fields: &[Field], pairs: &[(String, String)]) -> (Value, Vec<FieldError>) {
    parse_over(fields, pairs, None)
}

/// Parses posted fields over `base`, the JSON of the record being edited
/// (none for a new record): the fields the form shows take the posted
/// values; every other field of `base` is carried through untouched, so a
/// field the form does not show is never dropped by a save. A list row
/// carries what the form does not show of the stored row at the same index.
pub fn parse_over(
    fields: &[Field],
    pairs: &[(String, String)],
    base: Option<&Value>,
) -> (Value, Vec<FieldError>) {
    let f = Fields { pairs };
    let mut errors = Vec::new();
    let at = Place { src: "", dst: "" };
    let obj = parse_object(fields, at, base.and_then(Value::as_object), &f, &mut errors);
    (Value::Object(obj), errors)
}

/// Where a group of fields is: `src` is where the values are in the post;
/// `dst` is the path errors get (rows are renumbered when blank or removed
/// rows are skipped).
#[derive(Clone, Copy)]
struct Place<'a> {
    src: &'a str,
    dst: &'a str,
}

fn parse_object(
    fields: &[Field],
    at: Place,
    base: Option<&Map<String, Value>>,
    f: &Fields,
    errors: &mut Vec<FieldError>,
) -> Map<String, Value> {
    let mut obj = base.cloned().unwrap_or_default();
    for field in fields {
        // The file comes from an upload, or stays as stored (see `record_edit`).
        if matches!(field.ty, Ty::File) {
            continue;
        }
        let sp = format!("{}{}", at.src, field.name);
        let dp = format!("{}{}", at.dst, field.name);
        let stored = obj.remove(field.name);
        let value = match field.ty {
            Ty::List(sub) => Some(parse_rows(sub, &sp, &dp, stored.as_ref(), f, errors)),
            // A group left wholly blank is no group at all.
            Ty::Group(_) if f.row_is_blank(&format!("{sp}.")) => None,
            Ty::Group(sub) => {
                let at = Place {
                    src: &format!("{sp}."),
                    dst: &format!("{dp}."),
                };
                let base = stored.as_ref().and_then(Value::as_object);
                Some(Value::Object(parse_object(sub, at, base, f, errors)))
            }
            // Boxes come in the order of the options, not of the record.
            Ty::RefList(_) => parse_value(field.ty, &sp, &dp, f, errors)
                .map(|v| in_stored_order(v, stored.as_ref())),
            ty => parse_value(ty, &sp, &dp, f, errors),
        };
        if let Some(v) = value {
            obj.insert(field.name.to_string(), v);
        }
    }
    obj
}

/// The items of a list still chosen in the order the record has them, then
/// the newly chosen ones, so that an unchanged form leaves the list as it is.
fn in_stored_order(posted: Value, stored: Option<&Value>) -> Value {
    let (Value::Array(posted), Some(Value::Array(stored))) = (posted.clone(), stored) else {
        return posted;
    };
    let kept = stored.iter().filter(|v| posted.contains(v));
    let added = posted.iter().filter(|v| !stored.contains(v));
    Value::Array(kept.chain(added).cloned().collect())
}

/// The rows of a list, skipping blank rows and rows marked for removal.
fn parse_rows(
    sub: &[Field],
    sp: &str,
    dp: &str,
    stored: Option<&Value>,
    f: &Fields,
    errors: &mut Vec<FieldError>,
) -> Value {
    let stored_rows = stored.and_then(Value::as_array);
    let mut items = Vec::new();
    for i in indices(f.pairs.iter().map(|(k, _)| k.as_str()), sp) {
        let rsrc = format!("{sp}[{i}].");
        if f.get(&format!("{sp}[{i}]._remove")) == "1" || f.row_is_blank(&rsrc) {
            continue;
        }
        let rdst = format!("{dp}[{}].", items.len());
        let at = Place {
            src: &rsrc,
            dst: &rdst,
        };
        let base = stored_rows
            .and_then(|rows| rows.get(i))
            .and_then(Value::as_object);
        items.push(Value::Object(parse_object(sub, at, base, f, errors)));
    }
    // Required lists keep an empty array so validation names them.
    json!(items)
}

/// One field's value (not a list of rows), or None when it is left empty.
fn parse_value(
    ty: Ty,
    sp: &str,
    dp: &str,
    f: &Fields,
    errors: &mut Vec<FieldError>,
) -> Option<Value> {
    let raw = f.get(sp);
    let mut check = |ok: Result<(), Problem>| {
        if let Err(p) = ok {
            errors.push(FieldError::new(dp, raw, p));
        }
    };
    match ty {
        Ty::File | Ty::List(_) | Ty::Group(_) => None,
        Ty::Slug
        | Ty::Ref {
            optional: false, ..
        }
        | Ty::Member => {
            check(Slug::parse(raw).map(|_| ()));
            Some(json!(raw))
        }
        Ty::Ref { optional: true, .. } => (!raw.is_empty()).then(|| {
            check(Slug::parse(raw).map(|_| ()));
            json!(raw)
        }),
        Ty::Text { optional, .. } => parse_text(sp, dp, optional, f, errors),
        // Kept as typed (line breaks included); left empty, there is no note.
        Ty::Note => {
            let text = f.text(sp);
            (!text.is_empty()).then(|| json!(text))
        }
        Ty::Str { optional } => optional_or(raw, optional, || {
            if raw.is_empty() {
                check(Err(Problem::Required));
            }
            json!(raw)
        }),
        Ty::Bool => Some(json!(raw == "true")),
        Ty::Date { optional } => optional_or(raw, optional, || {
            check(PartialDate::parse(raw).map(|_| ()));
            json!(raw)
        }),
        Ty::Select { options, optional } => optional_or(raw, optional, || {
            let keys: Vec<&str> = options(Lang::En).into_iter().map(|(k, _)| k).collect();
            if raw.is_empty() {
                check(Err(Problem::Required));
            } else if !keys.contains(&raw) {
                check(Err(Problem::InvalidValue {
                    expected: keys.join(", "),
                }));
            }
            json!(raw)
        }),
        Ty::RefList(_) => parse_items(f.all(sp), dp, errors, |s| Slug::parse(s).map(|_| ())),
        Ty::UrlList => {
            let lines = f.all(sp).into_iter().flat_map(|v| v.lines()).collect();
            parse_items(lines, dp, errors, |s| WebUrl::parse(s).map(|_| ()))
        }
        Ty::KeyList => {
            let keys = f
                .all(sp)
                .into_iter()
                .flat_map(|v| v.split(['\n', ',']))
                .collect();
            parse_items(keys, dp, errors, |s| Slug::parse(s).map(|_| ()))
        }
        Ty::Int { optional } => optional_or(raw, optional, || whole_number(raw, dp, errors)),
        Ty::Delay => parse_delay(sp, dp, f, errors),
        Ty::Url => (!raw.is_empty()).then(|| {
            check(WebUrl::parse(raw).map(|_| ()));
            json!(raw)
        }),
        Ty::Country { optional } => optional_or(raw, optional, || {
            let up = raw.to_ascii_uppercase();
            check(CountryCode::parse(&up).map(|_| ()));
            json!(up)
        }),
        Ty::Subdivision { optional } => optional_or(raw, optional, || {
            let up = raw.to_ascii_uppercase();
            check(SubdivisionCode::parse(&up).map(|_| ()));
            json!(up)
        }),
        Ty::Party { optional } => optional_or(raw, optional, || {
            check(PartyRef::parse(raw).map(|_| ()));
            json!(raw)
        }),
        Ty::Geo => parse_geo(sp, dp, f, errors),
    }
}

/// None for an empty optional field, else the parsed value.
fn optional_or(raw: &str, optional: bool, parse: impl FnOnce() -> Value) -> Option<Value> {
    if raw.is_empty() && optional {
        None
    } else {
        Some(parse())
    }
}

/// A bilingual text: French required once either language is typed.
fn parse_text(
    sp: &str,
    dp: &str,
    optional: bool,
    f: &Fields,
    errors: &mut Vec<FieldError>,
) -> Option<Value> {
    let fr = f.text(&format!("{sp}.fr"));
    let en = f.text(&format!("{sp}.en"));
    if optional && fr.is_empty() && en.is_empty() {
        return None;
    }
    // Said here too, so that it shows with the other errors even when the
    // record cannot be built yet.
    if fr.is_empty() {
        errors.push(FieldError::new(format!("{dp}.fr"), "", Problem::Required));
    }
    let mut t = Map::new();
    t.insert("fr".into(), json!(fr));
    if !en.is_empty() {
        t.insert("en".into(), json!(en));
    }
    Some(Value::Object(t))
}

/// The non-blank items of a list field, each checked, errors by item path.
fn parse_items(
    items: Vec<&str>,
    dp: &str,
    errors: &mut Vec<FieldError>,
    check: impl Fn(&str) -> Result<(), Problem>,
) -> Option<Value> {
    let items: Vec<&str> = items
        .into_iter()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    for (i, item) in items.iter().enumerate() {
        if let Err(p) = check(item) {
            errors.push(FieldError::new(format!("{dp}[{i}]"), *item, p));
        }
    }
    (!items.is_empty()).then(|| json!(items))
}

/// A whole number, or the text as typed with an error at `dp`.
fn whole_number(raw: &str, dp: &str, errors: &mut Vec<FieldError>) -> Value {
    match raw.parse::<u32>() {
        Ok(n) => json!(n),
        Err(_) => {
            errors.push(FieldError::new(
                dp,
                raw,
                Problem::InvalidType {
                    detail: "whole number".into(),
                },
            ));
            json!(raw)
        }
    }
}

/// A delay after another step: `{ step, days }`.
fn parse_delay(sp: &str, dp: &str, f: &Fields, errors: &mut Vec<FieldError>) -> Option<Value> {
    let step = f.get(&format!("{sp}.step"));
    let days = f.get(&format!("{sp}.days"));
    if step.is_empty() && days.is_empty() {
        return None;
    }
    if let Err(p) = Slug::parse(step) {
        errors.push(FieldError::new(format!("{dp}.step"), step, p));
    }
    let days_v = whole_number(days, &format!("{dp}.days"), errors);
    Some(json!({"step": step, "days": days_v}))
}

/// A point: latitude and longitude, a decimal comma accepted.
fn parse_geo(sp: &str, dp: &str, f: &Fields, errors: &mut Vec<FieldError>) -> Option<Value> {
    let lat = f.get(&format!("{sp}.lat"));
    let lon = f.get(&format!("{sp}.lon"));
    if lat.is_empty() && lon.is_empty() {
        return None;
    }
    let mut g = Map::new();
    for (part, v) in [("lat", lat), ("lon", lon)] {
        match v.replace(',', ".").parse::<f64>() {
            Ok(n) if n.is_finite() => {
                g.insert(part.into(), json!(n));
            }
            _ => {
                errors.push(FieldError::new(
                    format!("{dp}.{part}"),
                    v,
                    Problem::InvalidType {
                        detail: "number".into(),
                    },
                ));
                g.insert(part.into(), json!(v));
            }
        }
    }
    Some(Value::Object(g))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::admin::specs::spec;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn parses_a_partner_and_reports_bad_values_by_path() {
        let p = pairs(&[
            ("slug", "baviere"),
            ("name.fr", "Bavière"),
            ("name.en", "Bavaria"),
            ("kind", "federated_state"),
            ("country", "de"),
            ("subdivision", "DE-BY"),
            ("world_region", "western_europe"),
            ("bilateral", "true"),
            ("since", "1989"),
            ("domains", "culture"),
            ("domains", "economie"),
            ("summary.fr", "Résumé."),
            ("milestones[0].date", "19x9"),
            ("milestones[0].text.fr", "Premier"),
            ("milestones[1].date", ""),
            ("milestones[1].text.fr", ""),
            ("milestones[2].date", "2001"),
            ("milestones[2].text.fr", "Deuxième"),
            ("sources", "https://a.example\nnot a url"),
        ]);
        let (v, errors) = parse(spec(RecordKind::Partner), &p);
        assert_eq!(v["country"], "DE");
        assert_eq!(v["domains"], json!(["culture", "economie"]));
        assert_eq!(
            v["milestones"].as_array().unwrap().len(),
            2,
            "blank row skipped"
        );
        assert_eq!(v["milestones"][1]["text"]["fr"], "Deuxième");
        let paths: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(paths, ["milestones[0].date", "sources[1]"]);
        assert_eq!(errors[0].problem, Problem::InvalidDate);
    }

    #[test]
    fn a_save_keeps_the_fields_the_form_does_not_show() {
        // A form that lacks `summary` and the milestones' `text`, as a form
        // would after a field is added to the record but not to the form.
        const ROW: &[Field] = &[Field {
            name: "date",
            ty: Ty::Date { optional: false },
        }];
        let fields: Vec<Field> = spec(RecordKind::Partner)
            .iter()
            .filter(|f| ["slug", "name", "since"].contains(&f.name))
            .copied()
            .chain([Field {
                name: "milestones",
                ty: Ty::List(ROW),
            }])
            .collect();
        let stored = json!({
            "slug": "baviere",
            "name": {"fr": "Bavière"},
            "summary": {"fr": "Résumé gardé."},
            "milestones": [
                {"date": "1989", "text": {"fr": "Premier"}},
                {"date": "2001", "text": {"fr": "Second"}}
            ]
        });
        let p = pairs(&[
            ("slug", "baviere"),
            ("name.fr", "Bavière (Land)"),
            ("milestones[0].date", "1990"),
            ("milestones[1].date", "2002"),
            ("milestones[2].date", "2020"),
        ]);
        let (v, errors) = parse_over(&fields, &p, Some(&stored));
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(
            v["name"]["fr"], "Bavière (Land)",
            "shown fields take the post"
        );
        assert_eq!(v["summary"], stored["summary"], "a field not shown is kept");
        assert_eq!(
            v["milestones"][0],
            json!({"date": "1990", "text": {"fr": "Premier"}})
        );
        assert_eq!(
            v["milestones"][1],
            json!({"date": "2002", "text": {"fr": "Second"}})
        );
        assert_eq!(
            v["milestones"][2],
            json!({"date": "2020"}),
            "a new row has no base"
        );
        // Chosen references keep the record's order, new ones come after.
        let domains: Vec<Field> = spec(RecordKind::Partner)
            .iter()
            .filter(|f| f.name == "domains")
            .copied()
            .collect();
        let p = pairs(&[
            ("domains", "culture"),
            ("domains", "economie"),
            ("domains", "sante"),
        ]);
        let order = json!({"domains": ["sante", "education", "culture"]});
        let (v, _) = parse_over(&domains, &p, Some(&order));
        assert_eq!(v["domains"], json!(["sante", "culture", "economie"]));
        // A shown field left empty is removed, not kept from the base.
        let p = pairs(&[("slug", "baviere"), ("name.fr", "Bavière")]);
        let with_since = json!({"slug": "baviere", "since": "1989"});
        let (v, _) = parse_over(&fields, &p, Some(&with_since));
        assert!(v.get("since").is_none(), "{v}");
    }

    #[test]
    fn renders_errors_next_to_fields_and_escapes() {
        let msgs = BTreeMap::new();
        let mut values = BTreeMap::new();
        values.insert("name.fr".to_string(), "<script>".to_string());
        let mut errors = BTreeMap::new();
        errors.insert("name.en".to_string(), vec!["manquant".to_string()]);
        let options = BTreeMap::new();
        let ctx = FormCtx::new(Lang::Fr, &msgs, &values, &errors, None, &options, true, 1);
        let html = render(spec(RecordKind::Domain), &ctx);
        assert!(html.contains("&lt;script&gt;") && !html.contains("<script>"));
        assert!(html.contains("id=\"f-name-en\""));
        assert!(html.contains("aria-describedby=\"f-name-en-err\""));
        assert!(html.contains("<p class=\"error\" id=\"f-name-en-err\">manquant</p>"));
        assert_eq!(summary(&ctx)[0].0, "f-name-en");
    }
}
