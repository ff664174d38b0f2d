//! The dataset as one JSON file: the same collections, records and states
//! as the TOML folder, with the documents' files in base64. The open-data
//! export writes it; `paradiplo check` and `import` read it back with the
//! same checks as the folder format, naming the record and the field of
//! every error.

use crate::read::{DatasetError, DatasetSource, classify, read_files};
use crate::{Dataset, FORMAT_VERSION};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use paradiplo_core::{AnyRecord, FieldError, Problem, RecordKind, RecordState};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// The value of the `format` key that marks a paradiplo JSON dataset.
pub const JSON_FORMAT: &str = "paradiplo-dataset";

/// The JSON key of a collection: its plural (`partners`), `home` for the home state.
fn key(kind: RecordKind) -> &'static str {
    kind.plural()
}

/// Reads one record from JSON, with the field path and problem of the first
/// value that cannot be read (the same classification as the TOML reader).
pub fn parse_record_json(kind: RecordKind, value: Value) -> Result<AnyRecord, FieldError> {
    let raw = value.clone();
    let mut track = serde_path_to_error::Track::new();
    let deserializer = serde_path_to_error::Deserializer::new(value, &mut track);
    AnyRecord::deserialize_kind(kind, deserializer).map_err(|e| {
        let path = track.path().to_string();
        let path = if path == "." { String::new() } else { path };
        let (field, val, problem) = classify(&path, &e.to_string());
        let val = if val.is_empty() {
            scalar_at(&raw, &field).unwrap_or_default()
        } else {
            val
        };
        FieldError::new(field, val, problem)
    })
}

/// The scalar found at a dotted field path such as `parties[1].party`.
fn scalar_at(value: &Value, path: &str) -> Option<String> {
    let mut current = value;
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let (name, indexes) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        current = current.get(name)?;
        for index in indexes
            .split(['[', ']'])
            .filter(|s| !s.is_empty())
            .filter_map(|s| s.parse::<usize>().ok())
        {
            current = current.get(index)?;
        }
    }
    match current {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Document files given in memory, as a dataset source for the file checks.
struct MemoryFiles<'a>(&'a BTreeMap<String, Vec<u8>>);

impl DatasetSource for MemoryFiles<'_> {
    fn label(&self) -> String {
        String::new()
    }
    fn read(&self, rel: &str) -> std::io::Result<Option<Vec<u8>>> {
        Ok(rel
            .strip_prefix("files/")
            .and_then(|name| self.0.get(name))
            .cloned())
    }
    fn list(&self, rel_dir: &str) -> std::io::Result<Vec<String>> {
        Ok(if rel_dir == "files" {
            self.0.keys().cloned().collect()
        } else {
            vec![]
        })
    }
}

/// Reads and checks a JSON dataset. `label` names the file in messages.
pub fn read_json(label: &str, bytes: &[u8]) -> Result<Dataset, Vec<DatasetError>> {
    let error =
        |kind: Option<RecordKind>, record: Option<String>, error: FieldError| DatasetError {
            file: label.to_string(),
            line: None,
            kind,
            record,
            error,
        };
    let root: Value = match serde_json::from_slice(bytes) {
        Ok(v) => v,
        Err(e) => {
            return Err(vec![DatasetError {
                file: label.to_string(),
                line: Some(e.line()),
                kind: None,
                record: None,
                error: FieldError::new(
                    "",
                    "",
                    Problem::Syntax {
                        detail: e.to_string(),
                    },
                ),
            }]);
        }
    };
    let Value::Object(root) = root else {
        return Err(vec![error(
            None,
            None,
            FieldError::new(
                "",
                "",
                Problem::InvalidType {
                    detail: "expected a JSON object".into(),
                },
            ),
        )]);
    };
    let mut errors = Vec::new();
    let mut dataset = Dataset::default();
    let mut origins = Vec::new();
    let known: Vec<&str> = RecordKind::ALL.iter().map(|k| key(*k)).collect();
    for (name, value) in &root {
        match name.as_str() {
            "format" => {
                if value.as_str() != Some(JSON_FORMAT) {
                    errors.push(error(
                        None,
                        None,
                        FieldError::new(
                            "format",
                            value.as_str().unwrap_or_default(),
                            Problem::InvalidValue {
                                expected: JSON_FORMAT.into(),
                            },
                        ),
                    ));
                }
            }
            "version" => {
                if value.as_u64() != Some(u64::from(FORMAT_VERSION)) {
                    errors.push(error(
                        None,
                        None,
                        FieldError::new(
                            "version",
                            value.to_string(),
                            Problem::InvalidValue {
                                expected: FORMAT_VERSION.to_string(),
                            },
                        ),
                    ));
                }
            }
            "files" => match value {
                Value::Object(files) => {
                    for (file, content) in files {
                        match content.as_str().map(|s| BASE64.decode(s)) {
                            Some(Ok(b)) => {
                                dataset.files.insert(file.clone(), b);
                            }
                            _ => errors.push(error(
                                Some(RecordKind::Document),
                                None,
                                FieldError::new(
                                    format!("files.{file}"),
                                    "",
                                    Problem::InvalidType {
                                        detail: "expected base64 text".into(),
                                    },
                                ),
                            )),
                        }
                    }
                }
                _ => errors.push(error(
                    None,
                    None,
                    FieldError::new(
                        "files",
                        "",
                        Problem::InvalidType {
                            detail: "expected an object of base64 files".into(),
                        },
                    ),
                )),
            },
            other if known.contains(&other) => {}
            other => errors.push(error(
                None,
                None,
                FieldError::new(
                    other,
                    other,
                    Problem::InvalidValue {
                        expected: format!("format, version, files, {}", known.join(", ")),
                    },
                ),
            )),
        }
    }
    for kind in RecordKind::ALL {
        let items: Vec<(String, &Value)> = match root.get(key(kind)) {
            None => continue,
            Some(v @ Value::Object(_)) if kind == RecordKind::Home => {
                vec![(key(kind).to_string(), v)]
            }
            Some(Value::Array(items)) if kind != RecordKind::Home => items
                .iter()
                .enumerate()
                .map(|(i, v)| (format!("{}[{i}]", key(kind)), v))
                .collect(),
            Some(_) => {
                errors.push(error(
                    Some(kind),
                    None,
                    FieldError::new(
                        key(kind),
                        "",
                        Problem::InvalidType {
                            detail: if kind == RecordKind::Home {
                                "expected an object".into()
                            } else {
                                "expected an array of records".into()
                            },
                        },
                    ),
                ));
                continue;
            }
        };
        for (position, value) in items {
            let mut fields = match value {
                Value::Object(m) => m.clone(),
                _ => {
                    errors.push(error(
                        Some(kind),
                        None,
                        FieldError::new(
                            position,
                            "",
                            Problem::InvalidType {
                                detail: "expected an object".into(),
                            },
                        ),
                    ));
                    continue;
                }
            };
            // The record's key for messages: its slug, or its place in the file.
            let record_key = fields
                .get("slug")
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .unwrap_or(position);
            let mut state = RecordState::Published;
            if let Some(raw) = fields.remove("state") {
                match raw.as_str().and_then(RecordState::parse) {
                    Some(s) => state = s,
                    None => errors.push(error(
                        Some(kind),
                        Some(record_key.clone()),
                        FieldError::new(
                            "state",
                            raw.as_str().unwrap_or_default(),
                            Problem::InvalidValue {
                                expected: "draft, published, archived".into(),
                            },
                        ),
                    )),
                }
            }
            match parse_record_json(kind, Value::Object(fields)) {
                Ok(record) => {
                    if state != RecordState::Published {
                        dataset.states.insert((kind, record.slug().clone()), state);
                    }
                    origins.push((kind, record.slug().to_string(), label.to_string(), None));
                    dataset.registry.push(record);
                }
                Err(e) => errors.push(error(Some(kind), Some(record_key), e)),
            }
        }
    }
    let files = dataset.files.clone();
    let mut file_errors = Vec::new();
    read_files(
        &MemoryFiles(&files),
        "",
        &mut dataset,
        &origins,
        &mut file_errors,
    );
    for mut e in file_errors {
        e.file = label.to_string();
        errors.push(e);
    }
    for e in dataset.registry.validate() {
        errors.push(error(Some(e.kind), Some(e.slug), e.error));
    }
    if errors.is_empty() {
        Ok(dataset)
    } else {
        errors.dedup();
        Err(errors)
    }
}

/// The dataset as one JSON document, in canonical order (collections in
/// dependency order, records by slug, `state` after the slug when not
/// published, files by name).
pub fn write_json(dataset: &Dataset) -> Value {
    let mut registry = dataset.registry.clone();
    registry.sort();
    let mut root = Map::new();
    root.insert("format".into(), Value::String(JSON_FORMAT.into()));
    root.insert("version".into(), Value::from(FORMAT_VERSION));
    for kind in RecordKind::ALL {
        let records: Vec<Value> = registry
            .of_kind(kind)
            .iter()
            .map(|record| {
                let Value::Object(fields) = record.to_json() else {
                    return record.to_json();
                };
                let state = dataset.state_of(kind, record.slug());
                let mut out = Map::new();
                for (k, v) in fields {
                    let is_slug = k == "slug";
                    out.insert(k, v);
                    if is_slug && state != RecordState::Published {
                        out.insert("state".into(), Value::String(state.as_str().into()));
                    }
                }
                Value::Object(out)
            })
            .collect();
        if records.is_empty() {
            continue;
        }
        if kind == RecordKind::Home {
            if let Some(home) = records.into_iter().next() {
                root.insert(key(kind).into(), home);
            }
        } else {
            root.insert(key(kind).into(), Value::Array(records));
        }
    }
    if !dataset.files.is_empty() {
        let files: Map<String, Value> = dataset
            .files
            .iter()
            .map(|(name, bytes)| (name.clone(), Value::String(BASE64.encode(bytes))))
            .collect();
        root.insert("files".into(), Value::Object(files));
    }
    Value::Object(root)
}
