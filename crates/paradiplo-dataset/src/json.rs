//! The dataset as one JSON file: the same collections, records and states
//! as the TOML folder, with the documents' files in base64. The open-data
//! export writes it; `paradiplo check` and `import` read it back with the
//! same checks as the folder format, naming the record and the field of
//! every error.

use crate::read::{DatasetError, DatasetSource, classify, read_files, syntax_error};
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
    let root = parse_root(label, bytes)?;
    let mut reader = JsonReader {
        label,
        errors: Vec::new(),
        dataset: Dataset::default(),
        origins: Vec::new(),
    };
    reader.read_top_level_keys(&root);
    for kind in RecordKind::ALL {
        for (position, value) in reader.collection_items(&root, kind) {
            reader.read_record(kind, position, value);
        }
    }
    reader.finish()
}

/// The JSON document's root object, or the syntax or type error that stops
/// reading it.
fn parse_root(label: &str, bytes: &[u8]) -> Result<Map<String, Value>, Vec<DatasetError>> {
    let root: Value = serde_json::from_slice(bytes)
        .map_err(|e| vec![syntax_error(label, Some(e.line()), e.to_string())])?;
    match root {
        Value::Object(root) => Ok(root),
        _ => Err(vec![DatasetError {
            file: label.to_string(),
            line: None,
            kind: None,
            record: None,
            error: FieldError::new(
                "",
                "",
                Problem::InvalidType {
                    detail: "expected a JSON object".into(),
                },
            ),
        }]),
    }
}

/// The dataset being read from a JSON document, with the errors found so far.
struct JsonReader<'a> {
    label: &'a str,
    errors: Vec<DatasetError>,
    dataset: Dataset,
    origins: Vec<(RecordKind, String, String, Option<usize>)>,
}

impl JsonReader<'_> {
    fn push(&mut self, kind: Option<RecordKind>, record: Option<String>, error: FieldError) {
        self.errors.push(DatasetError {
            file: self.label.to_string(),
            line: None,
            kind,
            record,
            error,
        });
    }

    /// Checks `format` and `version`, decodes `files`, and refuses keys that
    /// are neither these nor a collection.
    fn read_top_level_keys(&mut self, root: &Map<String, Value>) {
        let known: Vec<&str> = RecordKind::ALL.iter().map(|k| key(*k)).collect();
        for (name, value) in root {
            match name.as_str() {
                "format" if value.as_str() != Some(JSON_FORMAT) => self.push(
                    None,
                    None,
                    FieldError::new(
                        "format",
                        value.as_str().unwrap_or_default(),
                        Problem::InvalidValue {
                            expected: JSON_FORMAT.into(),
                        },
                    ),
                ),
                "version"
                    if !value.as_u64().is_some_and(|v| {
                        crate::READABLE_VERSIONS.iter().any(|r| u64::from(*r) == v)
                    }) =>
                {
                    self.push(
                        None,
                        None,
                        FieldError::new(
                            "version",
                            value.to_string(),
                            Problem::InvalidValue {
                                expected: "1, 2".into(),
                            },
                        ),
                    )
                }
                "format" | "version" => {}
                "files" => self.read_files_key(value),
                other if known.contains(&other) => {}
                other => self.push(
                    None,
                    None,
                    FieldError::new(
                        other,
                        other,
                        Problem::InvalidValue {
                            expected: format!("format, version, files, {}", known.join(", ")),
                        },
                    ),
                ),
            }
        }
    }

    /// Decodes the documents' files, given in base64 by name.
    fn read_files_key(&mut self, value: &Value) {
        let Value::Object(files) = value else {
            self.push(
                None,
                None,
                FieldError::new(
                    "files",
                    "",
                    Problem::InvalidType {
                        detail: "expected an object of base64 files".into(),
                    },
                ),
            );
            return;
        };
        for (file, content) in files {
            match content.as_str().map(|s| BASE64.decode(s)) {
                Some(Ok(b)) => {
                    self.dataset.files.insert(file.clone(), b);
                }
                _ => self.push(
                    Some(RecordKind::Document),
                    None,
                    FieldError::new(
                        format!("files.{file}"),
                        "",
                        Problem::InvalidType {
                            detail: "expected base64 text".into(),
                        },
                    ),
                ),
            }
        }
    }

    /// The records of one collection with their place in the file (`home`
    /// is one object, the others arrays); none when it is absent or not of
    /// the expected type.
    fn collection_items<'v>(
        &mut self,
        root: &'v Map<String, Value>,
        kind: RecordKind,
    ) -> Vec<(String, &'v Value)> {
        match root.get(key(kind)) {
            None => vec![],
            Some(v @ Value::Object(_)) if kind == RecordKind::Home => {
                vec![(key(kind).to_string(), v)]
            }
            Some(Value::Array(items)) if kind != RecordKind::Home => items
                .iter()
                .enumerate()
                .map(|(i, v)| (format!("{}[{i}]", key(kind)), v))
                .collect(),
            Some(_) => {
                self.push(
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
                );
                vec![]
            }
        }
    }

    /// Reads one record and its `state`, found at `position` in the file.
    fn read_record(&mut self, kind: RecordKind, position: String, value: &Value) {
        let Value::Object(fields) = value else {
            self.push(
                Some(kind),
                None,
                FieldError::new(
                    position,
                    "",
                    Problem::InvalidType {
                        detail: "expected an object".into(),
                    },
                ),
            );
            return;
        };
        let mut fields = fields.clone();
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
                None => self.push(
                    Some(kind),
                    Some(record_key.clone()),
                    FieldError::new(
                        "state",
                        raw.as_str().unwrap_or_default(),
                        Problem::InvalidValue {
                            expected: "draft, published, archived".into(),
                        },
                    ),
                ),
            }
        }
        let mut changed = None;
        if let Some(raw) = fields.remove("changed") {
            match raw.as_str().map(paradiplo_core::PartialDate::parse) {
                Some(Ok(paradiplo_core::PartialDate::Day(day))) => changed = Some(day),
                _ => self.push(
                    Some(kind),
                    Some(record_key.clone()),
                    FieldError::new(
                        "changed",
                        raw.as_str().unwrap_or_default(),
                        Problem::InvalidValue {
                            expected: "a day, YYYY-MM-DD".into(),
                        },
                    ),
                ),
            }
        }
        match parse_record_json(kind, Value::Object(fields)) {
            Ok(record) => {
                if state != RecordState::Published {
                    self.dataset
                        .states
                        .insert((kind, record.slug().clone()), state);
                }
                if let Some(day) = changed {
                    self.dataset
                        .changed
                        .insert((kind, record.slug().clone()), day);
                }
                self.origins.push((
                    kind,
                    record.slug().to_string(),
                    self.label.to_string(),
                    None,
                ));
                self.dataset.registry.push(record);
            }
            Err(e) => self.push(Some(kind), Some(record_key), e),
        }
    }

    /// Checks the documents' files and the references between records, then
    /// gives the dataset or every error found.
    fn finish(mut self) -> Result<Dataset, Vec<DatasetError>> {
        let files = self.dataset.files.clone();
        let mut file_errors = Vec::new();
        read_files(
            &MemoryFiles(&files),
            "",
            &mut self.dataset,
            &self.origins,
            &mut file_errors,
        );
        for mut e in file_errors {
            e.file = self.label.to_string();
            self.errors.push(e);
        }
        for e in self.dataset.registry.validate() {
            self.push(Some(e.kind), Some(e.slug), e.error);
        }
        if self.errors.is_empty() {
            Ok(self.dataset)
        } else {
            self.errors.dedup();
            Err(self.errors)
        }
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
                let changed = dataset.changed.get(&(kind, record.slug().clone()));
                let mut out = Map::new();
                for (k, v) in fields {
                    let is_slug = k == "slug";
                    out.insert(k, v);
                    if is_slug && state != RecordState::Published {
                        out.insert("state".into(), Value::String(state.as_str().into()));
                    }
                    if let (true, Some(day)) = (is_slug, changed) {
                        out.insert("changed".into(), Value::String(day.to_string()));
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
