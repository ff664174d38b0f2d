//! Reading a dataset, collecting every error with its file and line.

use crate::{Dataset, file_name, sha256_hex};
use paradiplo_core::records::{Document, media_type_for};
use paradiplo_core::{AnyRecord, FieldError, Lang, Problem, RecordKind, RecordState};
use std::collections::BTreeSet;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use toml::de::{DeTable, DeValue};

type Spanned<T> = toml::Spanned<T>;

/// A record's tables in a file, and the top-level keys that are not records.
type RecordValues<'a> = (Vec<&'a Spanned<DeValue<'a>>>, Vec<(String, Range<usize>)>);

/// A deserializer failure on one record: field, value, problem, where.
type ParseFailure = Box<(String, String, Problem, Option<Range<usize>>)>;

/// Where dataset files come from: a folder on disk, or the copy of the
/// bundled dataset embedded in the binary.
pub trait DatasetSource {
    /// How to name the dataset in messages (a folder path).
    fn label(&self) -> String;
    /// The bytes of a file given by its path relative to the dataset root, or None.
    fn read(&self, rel: &str) -> std::io::Result<Option<Vec<u8>>>;
    /// Names of the files directly in `rel_dir` ("" for the root).
    fn list(&self, rel_dir: &str) -> std::io::Result<Vec<String>>;
}

/// A dataset folder on disk.
pub struct DirSource(pub PathBuf);

impl DatasetSource for DirSource {
    fn label(&self) -> String {
        self.0.display().to_string()
    }
    fn read(&self, rel: &str) -> std::io::Result<Option<Vec<u8>>> {
        refuse_links(&self.0, rel)?;
        match std::fs::read(self.0.join(rel)) {
            Ok(b) => Ok(Some(b)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }
    fn list(&self, rel_dir: &str) -> std::io::Result<Vec<String>> {
        let dir = self.0.join(rel_dir);
        if !dir.is_dir() {
            return Ok(vec![]);
        }
        let mut names = vec![];
        for entry in std::fs::read_dir(dir)? {
            let entry = entry?;
            if entry.file_type()?.is_file() {
                names.push(entry.file_name().to_string_lossy().into_owned());
            }
        }
        names.sort();
        Ok(names)
    }
}

/// One problem in a dataset, located as precisely as possible.
#[derive(Debug, Clone, PartialEq)]
pub struct DatasetError {
    /// Path of the file, as the user named the dataset.
    pub file: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    pub kind: Option<RecordKind>,
    /// The record's slug, when known.
    pub record: Option<String>,
    pub error: FieldError,
}

impl DatasetError {
    pub fn message(&self, lang: Lang) -> String {
        let mut s = self.file.clone();
        if let Some(line) = self.line {
            s.push_str(&format!(":{line}"));
        }
        s.push_str(": ");
        if let (Some(kind), Some(slug)) = (self.kind, &self.record) {
            s.push_str(&format!("{kind} `{slug}`: "));
        }
        s.push_str(&self.error.message(lang));
        s
    }
}

impl fmt::Display for DatasetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

/// Refuses a path inside the dataset that is, or goes through, a symbolic
/// link: a link in `files/` could otherwise publish any file of the machine
/// (one with a matching size and digest passes every other check).
fn refuse_links(root: &Path, rel: &str) -> std::io::Result<()> {
    let mut path = root.to_path_buf();
    for part in Path::new(rel).components() {
        path.push(part);
        match std::fs::symlink_metadata(&path) {
            Ok(m) if m.file_type().is_symlink() => {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidInput,
                    format!(
                        "{} est un lien symbolique, refusé / is a symbolic link, refused",
                        path.display()
                    ),
                ));
            }
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Where each line of a text starts, to turn byte offsets into line numbers
/// in logarithmic time (rescanning the text for every record made reading a
/// file quadratic in its records).
pub(crate) struct LineIndex(Vec<usize>);

impl LineIndex {
    pub(crate) fn new(text: &str) -> LineIndex {
        LineIndex(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i)
                .collect(),
        )
    }

    /// The 1-based line of a byte offset.
    pub(crate) fn line_of(&self, offset: usize) -> usize {
        self.0.partition_point(|&newline| newline < offset) + 1
    }
}

/// The line of one offset, for a single lookup (see [`LineIndex`] for many).
fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

pub(crate) fn join(label: &str, rel: &str) -> String {
    Path::new(label).join(rel).display().to_string()
}

/// Reads and checks a whole dataset. Returns the dataset only if it has no
/// error at all; otherwise every error found.
pub fn read_dataset(source: &dyn DatasetSource) -> Result<Dataset, Vec<DatasetError>> {
    let label = source.label();
    let mut errors = Vec::new();
    let mut dataset = Dataset::default();
    // Where each record was read, to place cross-record errors on a line.
    let mut origins: Vec<(RecordKind, String, String, Option<usize>)> = Vec::new();

    unknown_files(source, &label, &mut errors);
    for kind in RecordKind::ALL {
        let rel = file_name(kind);
        let file = join(&label, &rel);
        if let Some(text) = collection_text(source, &rel, &file, &mut errors) {
            read_collection(kind, &file, &text, &mut dataset, &mut origins, &mut errors);
        }
    }

    read_files(source, &label, &mut dataset, &origins, &mut errors);

    for e in dataset.registry.validate() {
        let origin = origins
            .iter()
            .find(|(k, s, _, _)| *k == e.kind && *s == e.slug);
        let (file, line) = match origin {
            Some((_, _, f, l)) => (f.clone(), *l),
            None => (join(&label, &file_name(e.kind)), None),
        };
        // Recover the field's own line by reading the file again: cheap, and
        // only on the error path.
        let line = field_line(source, e.kind, &e.slug, &e.error.field).or(line);
        errors.push(DatasetError {
            file,
            line,
            kind: Some(e.kind),
            record: Some(e.slug),
            error: e.error,
        });
    }

    if errors.is_empty() {
        Ok(dataset)
    } else {
        errors.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
        errors.dedup();
        Err(errors)
    }
}

/// A `.toml` file that is no collection is refused, not silently ignored.
fn unknown_files(source: &dyn DatasetSource, label: &str, errors: &mut Vec<DatasetError>) {
    let known: BTreeSet<String> = RecordKind::ALL.iter().map(|k| file_name(*k)).collect();
    match source.list("") {
        Ok(names) => {
            for name in names {
                if name.ends_with(".toml") && !known.contains(&name) {
                    errors.push(DatasetError {
                        file: join(label, &name),
                        line: None,
                        kind: None,
                        record: None,
                        error: FieldError::new(
                            "",
                            name.clone(),
                            Problem::InvalidValue {
                                expected: known.iter().cloned().collect::<Vec<_>>().join(", "),
                            },
                        ),
                    });
                }
            }
        }
        Err(e) => errors.push(io_error(label, &e)),
    }
}

/// A collection's text when the file exists, is UTF-8 and declares a
/// format version this reader knows; otherwise the error, and `None`.
fn collection_text(
    source: &dyn DatasetSource,
    rel: &str,
    file: &str,
    errors: &mut Vec<DatasetError>,
) -> Option<String> {
    let bytes = match source.read(rel) {
        Ok(Some(b)) => b,
        Ok(None) => return None,
        Err(e) => {
            errors.push(io_error(file, &e));
            return None;
        }
    };
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            errors.push(DatasetError {
                file: file.to_string(),
                line: Some(line_of(&text, offset)),
                kind: None,
                record: None,
                error: FieldError::new(
                    "",
                    "",
                    Problem::Syntax {
                        detail: "not UTF-8".into(),
                    },
                ),
            });
            return None;
        }
    };
    let version = crate::declared_version(&text);
    if !version
        .as_ref()
        .is_ok_and(|v| crate::READABLE_VERSIONS.contains(v))
    {
        let value = version.map_or_else(|raw| raw, |v| v.to_string());
        errors.push(DatasetError {
            file: file.to_string(),
            line: Some(1),
            kind: None,
            record: None,
            error: FieldError::new(
                "format",
                value,
                Problem::InvalidValue {
                    expected: "1, 2".into(),
                },
            ),
        });
        return None;
    }
    Some(text)
}

fn io_error(file: &str, e: &std::io::Error) -> DatasetError {
    syntax_error(file, None, e.to_string())
}

/// A file that cannot be read as a whole: not a record's error but the file's.
pub(crate) fn syntax_error(file: &str, line: Option<usize>, detail: String) -> DatasetError {
    DatasetError {
        file: file.to_string(),
        line,
        kind: None,
        record: None,
        error: FieldError::new("", "", Problem::Syntax { detail }),
    }
}

/// The spanned tables of a collection file: the `[home]` table or the
/// elements of the `[[kind]]` array.
fn record_values<'a>(kind: RecordKind, root: &'a DeTable<'a>) -> RecordValues<'a> {
    let mut records = Vec::new();
    let mut unknown = Vec::new();
    for (key, value) in root.iter() {
        if key.get_ref().as_ref() != kind.as_str() {
            unknown.push((key.get_ref().to_string(), key.span()));
            continue;
        }
        match value.get_ref() {
            DeValue::Array(items) if kind != RecordKind::Home => records.extend(items.iter()),
            DeValue::Table(_) if kind == RecordKind::Home => records.push(value),
            _ => unknown.push((key.get_ref().to_string(), key.span())),
        }
    }
    (records, unknown)
}

fn read_collection(
    kind: RecordKind,
    file: &str,
    text: &str,
    dataset: &mut Dataset,
    origins: &mut Vec<(RecordKind, String, String, Option<usize>)>,
    errors: &mut Vec<DatasetError>,
) {
    let lines = LineIndex::new(text);
    let (root, syntax) = DeTable::parse_recoverable(text);
    if !syntax.is_empty() {
        for e in syntax {
            let line = e.span().map(|s| lines.line_of(s.start));
            errors.push(syntax_error(file, line, e.message().to_string()));
        }
        return;
    }
    let root = root.into_inner();
    let (records, unknown) = record_values(kind, &root);
    for (key, span) in unknown {
        errors.push(DatasetError {
            file: file.to_string(),
            line: Some(lines.line_of(span.start)),
            kind: Some(kind),
            record: None,
            error: FieldError::new(
                key,
                "",
                Problem::InvalidValue {
                    expected: if kind == RecordKind::Home {
                        "[home]".into()
                    } else {
                        format!("[[{}]]", kind.as_str())
                    },
                },
            ),
        });
    }
    let collection = CollectionFile { kind, file, lines };
    for value in records {
        collection.read_record(value, dataset, origins, errors);
    }
}

/// One collection's TOML file, being read.
struct CollectionFile<'a> {
    kind: RecordKind,
    file: &'a str,
    lines: LineIndex,
}

impl CollectionFile<'_> {
    /// Reads one record and its `state` into `dataset`, or reports why not.
    fn read_record(
        &self,
        value: &Spanned<DeValue<'_>>,
        dataset: &mut Dataset,
        origins: &mut Vec<(RecordKind, String, String, Option<usize>)>,
        errors: &mut Vec<DatasetError>,
    ) {
        let kind = self.kind;
        let line = self.lines.line_of(value.span().start);
        let slug_text = value
            .get_ref()
            .get("slug")
            .and_then(|v| v.get_ref().as_str())
            .unwrap_or("")
            .to_string();
        let mut err = |field: String, val: String, problem: Problem, span: Option<Range<usize>>| {
            errors.push(DatasetError {
                file: self.file.to_string(),
                line: Some(span.map(|s| self.lines.line_of(s.start)).unwrap_or(line)),
                kind: Some(kind),
                record: (!slug_text.is_empty()).then(|| slug_text.clone()),
                error: FieldError::new(field, val, problem),
            });
        };
        // `state` belongs to the registry, not to the record: take it out first.
        let mut table = match value.get_ref() {
            DeValue::Table(t) => t.clone(),
            _ => {
                err(
                    String::new(),
                    String::new(),
                    Problem::InvalidType {
                        detail: "expected a table".into(),
                    },
                    None,
                );
                return;
            }
        };
        let mut state = RecordState::Published;
        let state_key = table
            .keys()
            .find(|k| k.get_ref().as_ref() == "state")
            .cloned();
        if let Some(key) = state_key
            && let Some(v) = table.remove(&key)
        {
            let raw = v.get_ref().as_str().unwrap_or("").to_string();
            match RecordState::parse(&raw) {
                Some(s) => state = s,
                None => err(
                    "state".into(),
                    raw,
                    Problem::InvalidValue {
                        expected: "draft, published, archived".into(),
                    },
                    Some(v.span()),
                ),
            }
        }
        // `changed` too: the date of the record's last substantive change.
        let changed = take_changed(&mut table, &mut err);
        let spanned = Spanned::new(value.span(), DeValue::Table(table));
        match parse_record(kind, spanned) {
            Ok(record) => {
                let slug = record.slug().clone();
                if state != RecordState::Published {
                    dataset.states.insert((kind, slug.clone()), state);
                }
                if let Some(day) = changed {
                    dataset.changed.insert((kind, slug.clone()), day);
                }
                origins.push((kind, slug.to_string(), self.file.to_string(), Some(line)));
                dataset.registry.push(record);
            }
            Err(failure) => {
                let (field, val, problem, span) = *failure;
                err(field, val, problem, span.or(Some(value.span())))
            }
        }
    }
}

/// Takes a record's `changed` key out of its table: a day, `"2024-03-18"`.
fn take_changed(
    table: &mut DeTable<'_>,
    err: &mut impl FnMut(String, String, Problem, Option<Range<usize>>),
) -> Option<time::Date> {
    let key = table
        .keys()
        .find(|k| k.get_ref().as_ref() == "changed")
        .cloned()?;
    let v = table.remove(&key)?;
    let raw = v.get_ref().as_str().unwrap_or("").to_string();
    match paradiplo_core::PartialDate::parse(&raw) {
        Ok(paradiplo_core::PartialDate::Day(day)) => Some(day),
        _ => {
            err(
                "changed".into(),
                raw,
                Problem::InvalidValue {
                    expected: "a day, YYYY-MM-DD".into(),
                },
                Some(v.span()),
            );
            None
        }
    }
}

/// Deserializes one record, turning the deserializer's error into a field error.
fn parse_record(kind: RecordKind, value: Spanned<DeValue<'_>>) -> Result<AnyRecord, ParseFailure> {
    let raw_value = value.clone();
    let mut track = serde_path_to_error::Track::new();
    let deserializer = serde_path_to_error::Deserializer::new(
        toml::de::ValueDeserializer::from(value),
        &mut track,
    );
    AnyRecord::deserialize_kind(kind, deserializer).map_err(|inner| {
        let path = track.path().to_string();
        let path = if path == "." { String::new() } else { path };
        let span = inner.span();
        let (field, val, problem) = classify(&path, inner.message());
        // When the error names no value, quote what stands at the field.
        let val = if val.is_empty() {
            value_at(&raw_value, &field).unwrap_or_default()
        } else {
            val
        };
        Box::new((field, val, problem, span))
    })
}

/// Maps a deserializer message onto a problem. serde's messages are English
/// sentences; the common ones become problems that speak both languages.
pub(crate) fn classify(path: &str, message: &str) -> (String, String, Problem) {
    let with = |name: &str| {
        if path.is_empty() {
            name.to_string()
        } else if path.ends_with(name) {
            path.to_string()
        } else {
            format!("{path}.{name}")
        }
    };
    let quoted = |m: &str| m.split('`').nth(1).unwrap_or("").to_string();
    if let Some((problem, value)) = Problem::from_serde_message(message) {
        return (path.to_string(), value, problem);
    }
    if message.starts_with("missing field") {
        return (with(&quoted(message)), String::new(), Problem::Required);
    }
    if message.starts_with("unknown field") {
        let name = quoted(message);
        return (with(&name), name, Problem::UnknownField);
    }
    if message.starts_with("unknown variant") {
        let value = quoted(message);
        let expected = message
            .split_once("expected")
            .map(|(_, rest)| {
                rest.replace("one of", "")
                    .replace('`', "")
                    .trim()
                    .to_string()
            })
            .unwrap_or_default();
        return (path.to_string(), value, Problem::InvalidValue { expected });
    }
    if let Some(rest) = message.strip_prefix("expected one of ") {
        let (expected, found) = rest.split_once(", found").unwrap_or((rest, ""));
        return (
            path.to_string(),
            found.trim().trim_matches('`').to_string(),
            Problem::InvalidValue {
                expected: expected.to_string(),
            },
        );
    }
    (
        path.to_string(),
        String::new(),
        Problem::InvalidType {
            detail: message.trim().to_string(),
        },
    )
}

/// Splits a field path such as `parties[1].acts[0].date` into steps.
fn path_steps(path: &str) -> Vec<PathStep> {
    let mut steps = Vec::new();
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let mut rest = part;
        if let Some(i) = rest.find('[') {
            steps.push(PathStep::Key(rest[..i].to_string()));
            rest = &rest[i..];
            while let Some(end) = rest.find(']') {
                if let Ok(n) = rest[1..end].parse() {
                    steps.push(PathStep::Index(n));
                }
                rest = &rest[end + 1..];
            }
        } else {
            steps.push(PathStep::Key(rest.to_string()));
        }
    }
    steps
}

enum PathStep {
    Key(String),
    Index(usize),
}

/// The deepest value found along `path`, with its span.
fn locate<'a>(value: &'a Spanned<DeValue<'a>>, path: &str) -> &'a Spanned<DeValue<'a>> {
    let mut current = value;
    for step in path_steps(path) {
        let next = match (&step, current.get_ref()) {
            (PathStep::Key(k), DeValue::Table(t)) => t
                .iter()
                .find(|(key, _)| key.get_ref().as_ref() == k.as_str())
                .map(|(_, v)| v),
            (PathStep::Index(i), DeValue::Array(a)) => a.get(*i),
            _ => None,
        };
        match next {
            Some(v) => current = v,
            None => break,
        }
    }
    current
}

fn value_at(value: &Spanned<DeValue<'_>>, path: &str) -> Option<String> {
    if path.is_empty() {
        return None;
    }
    match locate(value, path).get_ref() {
        DeValue::String(s) => Some(s.to_string()),
        DeValue::Integer(i) => Some(i.as_str().to_string()),
        DeValue::Float(f) => Some(f.as_str().to_string()),
        DeValue::Boolean(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Finds the line of a field of a record in a collection file.
pub(crate) fn field_line(
    source: &dyn DatasetSource,
    kind: RecordKind,
    slug: &str,
    field: &str,
) -> Option<usize> {
    let bytes = source.read(&file_name(kind)).ok()??;
    let text = String::from_utf8(bytes).ok()?;
    let root = DeTable::parse(&text).ok()?.into_inner();
    let (records, _) = record_values(kind, &root);
    let record = records
        .into_iter()
        .find(|v| v.get_ref().get("slug").and_then(|s| s.get_ref().as_str()) == Some(slug))?;
    Some(line_of(&text, locate(record, field).span().start))
}

/// Reads the documents' files, fills in their size, type and digest, and
/// checks that every file is used.
pub(crate) fn read_files(
    source: &dyn DatasetSource,
    label: &str,
    dataset: &mut Dataset,
    origins: &[(RecordKind, String, String, Option<usize>)],
    errors: &mut Vec<DatasetError>,
) {
    let mut used = BTreeSet::new();
    let mut updated = Vec::new();
    // One lookup per document, not a scan of every record's origin.
    let origin_of: std::collections::HashMap<&str, (&String, Option<usize>)> = origins
        .iter()
        .filter(|(k, _, _, _)| *k == RecordKind::Document)
        .map(|(_, slug, file, line)| (slug.as_str(), (file, *line)))
        .collect();
    for record in dataset.registry.of_kind(RecordKind::Document) {
        let AnyRecord::Document(doc) = record else {
            continue;
        };
        let (file, line) = origin_of
            .get(doc.slug.as_str())
            .map(|(f, l)| ((*f).clone(), *l))
            .unwrap_or_else(|| (join(label, "documents.toml"), None));
        let mut fail = |field: &str, value: String, problem: Problem| {
            errors.push(DatasetError {
                file: file.clone(),
                line,
                kind: Some(RecordKind::Document),
                record: Some(doc.slug.to_string()),
                error: FieldError::new(field, value, problem),
            })
        };
        if doc.file.contains('/') || doc.file.starts_with('.') || doc.file.is_empty() {
            continue; // reported by the record's own validation
        }
        used.insert(doc.file.clone());
        let bytes = match source.read(&format!("files/{}", doc.file)) {
            Ok(Some(b)) => b,
            Ok(None) => {
                fail("file", doc.file.clone(), Problem::MissingFile);
                continue;
            }
            Err(e) => {
                fail(
                    "file",
                    doc.file.clone(),
                    Problem::Syntax {
                        detail: e.to_string(),
                    },
                );
                continue;
            }
        };
        updated.push((describe_file(doc, &bytes, &mut fail), bytes));
    }
    for (doc, bytes) in updated {
        dataset.files.insert(doc.file.clone(), bytes);
        dataset.registry.upsert(AnyRecord::Document(doc));
    }
    report_unused_files(source, label, &used, errors);
}

/// The document with the size, digest and media type of its file's `bytes`;
/// a size or digest given in the dataset must match the file.
fn describe_file(
    doc: &Document,
    bytes: &[u8],
    fail: &mut impl FnMut(&str, String, Problem),
) -> Document {
    let mut doc = doc.clone();
    let size = bytes.len() as u64;
    let sha = sha256_hex(bytes);
    let media = media_type_for(&doc.file).unwrap_or("").to_string();
    if doc.size != 0 && doc.size != size {
        fail(
            "size",
            doc.size.to_string(),
            Problem::FileMismatch {
                detail: format!("the file has {size} bytes"),
            },
        );
    }
    if !doc.sha256.is_empty() && doc.sha256 != sha {
        fail(
            "sha256",
            doc.sha256.clone(),
            Problem::FileMismatch {
                detail: "the file's content differs".into(),
            },
        );
    }
    doc.size = size;
    doc.sha256 = sha;
    if doc.media_type.is_empty() {
        doc.media_type = media;
    }
    doc
}

/// Reports every file under `files/` that no document names.
fn report_unused_files(
    source: &dyn DatasetSource,
    label: &str,
    used: &BTreeSet<String>,
    errors: &mut Vec<DatasetError>,
) {
    match source.list("files") {
        Ok(names) => {
            for name in names.into_iter().filter(|n| !used.contains(n)) {
                errors.push(DatasetError {
                    file: join(label, &format!("files/{name}")),
                    line: None,
                    kind: Some(RecordKind::Document),
                    record: None,
                    error: FieldError::new(
                        "file",
                        name,
                        Problem::UnknownReference {
                            kind: "document".into(),
                        },
                    ),
                });
            }
        }
        Err(e) => errors.push(io_error(&join(label, "files"), &e)),
    }
}

#[cfg(test)]
mod line_index_tests {
    #[test]
    fn offsets_map_to_the_lines_a_rescan_gives() {
        let text = "a\nbb\n\nccc\n";
        let index = super::LineIndex::new(text);
        for offset in 0..=text.len() + 2 {
            assert_eq!(
                index.line_of(offset),
                super::line_of(text, offset),
                "{offset}"
            );
        }
    }
}
