//! One CSV file per collection: UTF-8, RFC 4180 (CRLF, quotes doubled), a
//! header row, and two columns — `_fr` and `_en` — for every bilingual
//! text. The columns come from the record type's schema, so they are the
//! same whatever the data, in the order of the record's fields.

use paradiplo_core::RecordKind;
use paradiplo_core::records::*;
use paradiplo_store::StoredRecord;
use serde_json::Value;
use utoipa::PartialSchema;

/// Which part of a field a column holds.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Whole,
    Lang(&'static str),
    Coord(&'static str),
}

/// A column: its header and where its value comes from.
#[derive(Debug, Clone)]
pub struct Column {
    pub header: String,
    field: String,
    part: Part,
}

/// Separator of list items inside one cell (slugs, URLs).
pub const LIST_SEPARATOR: &str = " | ";

fn schema(kind: RecordKind) -> Value {
    let s = match kind {
        RecordKind::Home => Home::schema(),
        RecordKind::Domain => Domain::schema(),
        RecordKind::Procedure => Procedure::schema(),
        RecordKind::Partner => Partner::schema(),
        RecordKind::Representation => Representation::schema(),
        RecordKind::Grouping => Grouping::schema(),
        RecordKind::Organization => Organization::schema(),
        RecordKind::Agreement => Agreement::schema(),
        RecordKind::Position => Position::schema(),
        RecordKind::Event => Event::schema(),
        RecordKind::Intervention => Intervention::schema(),
        RecordKind::Document => Document::schema(),
        RecordKind::Page => Page::schema(),
        RecordKind::Person => Person::schema(),
        RecordKind::Activity => Activity::schema(),
        RecordKind::FollowUp => FollowUp::schema(),
    };
    serde_json::to_value(s).expect("schemas serialize")
}

/// The columns of a collection's CSV file.
pub fn columns(kind: RecordKind) -> Vec<Column> {
    let schema = schema(kind);
    let mut out = Vec::new();
    let Some(props) = schema.get("properties").and_then(Value::as_object) else {
        return out;
    };
    // The staff note is in the schema for staff tokens' answers; the open
    // data never carries it.
    for (name, prop) in props.iter().filter(|(name, _)| *name != "staff_note") {
        let text = prop.to_string();
        let is_array = prop.get("type").and_then(Value::as_str) == Some("array");
        let parts: Vec<Part> = if !is_array && text.contains("schemas/Text\"") {
            vec![Part::Lang("fr"), Part::Lang("en")]
        } else if !is_array && text.contains("schemas/GeoPoint\"") {
            vec![Part::Coord("lat"), Part::Coord("lon")]
        } else {
            vec![Part::Whole]
        };
        for part in parts {
            let header = match &part {
                Part::Whole => name.clone(),
                Part::Lang(l) | Part::Coord(l) => format!("{name}_{l}"),
            };
            out.push(Column {
                header,
                field: name.clone(),
                part,
            });
        }
    }
    out.push(Column {
        header: "updated_at".into(),
        field: String::new(),
        part: Part::Whole,
    });
    out
}

fn scalar(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        other => other.to_string(),
    }
}

fn cell(record: &Value, column: &Column) -> String {
    let v = record.get(&column.field).unwrap_or(&Value::Null);
    match (&column.part, v) {
        (Part::Lang(l) | Part::Coord(l), Value::Object(m)) => {
            m.get(*l).map(scalar).unwrap_or_default()
        }
        (Part::Whole, Value::Array(items)) if items.iter().all(|i| !i.is_object()) => items
            .iter()
            .map(scalar)
            .collect::<Vec<_>>()
            .join(LIST_SEPARATOR),
        (Part::Whole, other) => scalar(other),
        _ => String::new(),
    }
}

/// The row of one record, in the order of [`columns`].
pub fn row(columns: &[Column], stored: &StoredRecord) -> Vec<String> {
    let record = stored.record.to_json();
    columns
        .iter()
        .map(|c| {
            let value = if c.field.is_empty() {
                stored.updated_at.clone()
            } else {
                cell(&record, c)
            };
            // People type these texts: no cell may run as a formula.
            crate::format::csv_cell(&value).into_owned()
        })
        .collect()
}

/// The CSV file of a collection.
pub fn render(kind: RecordKind, records: &[&StoredRecord]) -> Vec<u8> {
    let columns = columns(kind);
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    w.write_record(columns.iter().map(|c| c.header.as_str()))
        .expect("CSV to memory");
    for stored in records {
        w.write_record(row(&columns, stored))
            .expect("CSV to memory");
    }
    w.into_inner().expect("CSV to memory")
}
