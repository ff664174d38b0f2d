//! Writing a dataset in its canonical form: collections sorted by slug,
//! fields in the order of the record types, bilingual texts as dotted keys
//! (`name.fr = …`), nested lists as `[[kind.field]]` tables. Writing the same
//! registry twice gives the same bytes.

use crate::{Dataset, FORMAT_VERSION, HEADER, file_name};
use paradiplo_core::{RecordKind, RecordState};
use serde_json::{Map, Value};
use std::path::Path;

/// Writes the dataset into `dir` (created if needed). Files of the dataset
/// format already in `dir` are replaced.
pub fn write_dataset(dataset: &Dataset, dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let mut registry = dataset.registry.clone();
    registry.sort();
    for kind in RecordKind::ALL {
        let path = dir.join(file_name(kind));
        if registry.of_kind(kind).is_empty() {
            if path.exists() {
                std::fs::remove_file(&path)?;
            }
            continue;
        }
        std::fs::write(&path, render_collection(dataset, &registry, kind))?;
    }
    if !dataset.files.is_empty() {
        let files = dir.join("files");
        std::fs::create_dir_all(&files)?;
        for (name, bytes) in &dataset.files {
            std::fs::write(files.join(name), bytes)?;
        }
    }
    Ok(())
}

/// The text of one collection file.
pub fn render_collection(
    dataset: &Dataset,
    registry: &paradiplo_core::Registry,
    kind: RecordKind,
) -> String {
    let mut out = format!(
        "{HEADER}{FORMAT_VERSION}: {} ({}).\n# The format is described in docs/DATASET.md.\n",
        kind.label(paradiplo_core::Lang::Fr),
        kind.label(paradiplo_core::Lang::En),
    );
    for record in registry.of_kind(kind) {
        let Value::Object(mut fields) = record.to_json() else {
            continue;
        };
        let state = dataset.state_of(kind, record.slug());
        let changed = dataset.changed.get(&(kind, record.slug().clone()));
        if state != RecordState::Published || changed.is_some() {
            // `state` and `changed` go right after the slug, where a reader
            // looks first.
            let mut with_meta = Map::new();
            for (k, v) in fields {
                let is_slug = k == "slug";
                with_meta.insert(k, v);
                if is_slug && state != RecordState::Published {
                    with_meta.insert("state".into(), Value::String(state.as_str().into()));
                }
                if let (true, Some(day)) = (is_slug, changed) {
                    with_meta.insert("changed".into(), Value::String(day.to_string()));
                }
            }
            fields = with_meta;
        }
        out.push('\n');
        if kind == RecordKind::Home {
            out.push_str("[home]\n");
        } else {
            out.push_str(&format!("[[{}]]\n", kind.as_str()));
        }
        write_table(&mut out, kind.as_str(), &fields);
    }
    out
}

fn is_table_array(v: &Value) -> bool {
    matches!(v, Value::Array(items) if !items.is_empty() && items.iter().all(Value::is_object))
}

fn write_table(out: &mut String, path: &str, fields: &Map<String, Value>) {
    let mut deferred = Vec::new();
    for (key, value) in fields {
        if is_table_array(value) {
            deferred.push((key, value));
        } else {
            write_key_value(out, key, value);
        }
    }
    for (key, value) in deferred {
        let sub = format!("{path}.{key}");
        if let Value::Array(items) = value {
            for item in items {
                if let Value::Object(map) = item {
                    out.push_str(&format!("\n[[{sub}]]\n"));
                    write_table(out, &sub, map);
                }
            }
        }
    }
}

fn write_key_value(out: &mut String, key: &str, value: &Value) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                write_key_value(out, &format!("{key}.{}", bare_key(k)), v);
            }
        }
        Value::Null => {}
        _ => {
            out.push_str(&bare_key(key));
            out.push_str(" = ");
            out.push_str(&scalar(value));
            out.push('\n');
        }
    }
}

/// Keys are the record types' field names, always bare-key safe; dotted
/// paths are built by the caller, so only the last segment needs checking.
fn bare_key(key: &str) -> String {
    if key
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b'.')
    {
        key.to_string()
    } else {
        toml::Value::String(key.to_string()).to_string()
    }
}

fn scalar(value: &Value) -> String {
    match value {
        Value::String(s) => toml::Value::String(s.clone()).to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                i.to_string()
            } else if let Some(u) = n.as_u64() {
                u.to_string()
            } else {
                toml::Value::Float(n.as_f64().unwrap_or(0.0)).to_string()
            }
        }
        Value::Array(items) => {
            let parts: Vec<String> = items.iter().map(scalar).collect();
            let one_line = format!("[{}]", parts.join(", "));
            if one_line.len() <= 90 {
                one_line
            } else {
                format!(
                    "[\n{}\n]",
                    parts
                        .iter()
                        .map(|p| format!("  {p},"))
                        .collect::<Vec<_>>()
                        .join("\n")
                )
            }
        }
        Value::Object(map) => {
            // Inline table: only reached for objects inside arrays of scalars.
            let parts: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("{} = {}", bare_key(k), scalar(v)))
                .collect();
            format!("{{ {} }}", parts.join(", "))
        }
        Value::Null => "\"\"".into(),
    }
}
