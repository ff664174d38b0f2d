//! Version 2 of the format: version-1 datasets still read, `check` names the
//! version-1 fields that moved, export writes version 2, and every new field
//! survives export → import → export byte for byte.

use paradiplo_core::{AnyRecord, Lang, RecordKind, Registry};
use paradiplo_dataset::{
    Dataset, DirSource, FORMAT_VERSION, dataset_version, read_dataset, upgrade_notes, write_dataset,
};
use proptest::prelude::*;
use serde_json::{Value, json};
use std::path::Path;

fn bundled_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/quebec")
}

fn read_all(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).unwrap())
        })
        .collect();
    files.sort();
    files
}

#[test]
fn the_version_1_bundled_dataset_imports_without_loss_and_exports_as_version_2() {
    // The bundled dataset as version 1 wrote it (the same content, the older header).
    let v1 = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(bundled_dir()).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            std::fs::create_dir_all(v1.path().join("files")).unwrap();
            for f in std::fs::read_dir(&path).unwrap() {
                let f = f.unwrap().path();
                std::fs::copy(&f, v1.path().join("files").join(f.file_name().unwrap())).unwrap();
            }
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let text = text.replacen(
            "# paradiplo dataset, format 2:",
            "# paradiplo dataset, format 1:",
            1,
        );
        // The 2005 UNESCO Convention as version 1 could only write it: adopted
        // by the General Conference, recorded as a signature.
        let text = text.replacen(
            "slug = \"convention-diversite-expressions-culturelles\"\n",
            "slug = \"convention-diversite-expressions-culturelles\"\n\
             signed = \"2005-10-20\"\n\
             signed_at.fr = \"Paris, siège de l’UNESCO (33e session de la Conférence générale)\"\n\
             signed_at.en = \"Paris, UNESCO Headquarters (33rd session of the General Conference)\"\n",
            1,
        );
        std::fs::write(v1.path().join(path.file_name().unwrap()), text).unwrap();
    }
    let source = DirSource(v1.path().to_path_buf());
    let v1_written = true;
    let dataset = read_dataset(&source).expect("version 1 reads");
    if v1_written {
        assert_eq!(dataset_version(&source), 1);
        // The 2005 UNESCO Convention was adopted by the General Conference,
        // which version 1 could only write as a signature.
        let notes = upgrade_notes(&source, &dataset);
        let note = notes
            .iter()
            .find(|n| n.record == "convention-diversite-expressions-culturelles")
            .expect("the convention's signature is named");
        assert_eq!(
            (note.field.as_str(), note.moved_to.as_str()),
            ("signed", "adopted")
        );
        assert!(note.line.is_some());
        let message = note.message(Lang::Fr);
        assert!(
            message.contains("agreements.toml:")
                && message.contains("adopted.date = \"2005-10-20\""),
            "{message}"
        );
        assert!(note.message(Lang::En).contains("move to `adopted`"));
    }
    let tmp = tempfile::tempdir().unwrap();
    write_dataset(&dataset, tmp.path()).unwrap();
    let exported = read_all(tmp.path());
    let header = format!("# paradiplo dataset, format {FORMAT_VERSION}:");
    assert_eq!(FORMAT_VERSION, 2);
    assert!(
        exported
            .iter()
            .filter(|(n, _)| n.ends_with(".toml"))
            .all(|(_, b)| b.starts_with(header.as_bytes()))
    );
    let again = read_dataset(&DirSource(tmp.path().to_path_buf())).unwrap();
    let (mut a, mut b) = (dataset.registry.clone(), again.registry.clone());
    a.sort();
    b.sort();
    assert_eq!(a, b, "nothing lost");
    assert_eq!(again.states, dataset.states);
    assert_eq!(again.files, dataset.files);
    assert!(upgrade_notes(&DirSource(tmp.path().to_path_buf()), &again).is_empty());
}

#[test]
fn a_file_of_an_unknown_version_is_refused_naming_the_file() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("domains.toml"),
        "# paradiplo dataset, format 3: x\n[[domain]]\nslug = \"culture\"\nname.fr = \"Culture\"\n",
    )
    .unwrap();
    let errors = read_dataset(&DirSource(tmp.path().to_path_buf())).unwrap_err();
    let e = &errors[0];
    assert!(e.file.ends_with("domains.toml"));
    assert_eq!(
        (e.line, e.error.field.as_str(), e.error.value.as_str()),
        (Some(1), "format", "3")
    );
}

fn text(fr: &str, en: &str) -> Value {
    json!({"fr": fr, "en": en})
}

fn base() -> Registry {
    let mut reg = Registry::new();
    let push = |reg: &mut Registry, kind, v| reg.push(AnyRecord::from_json(kind, v).unwrap());
    push(
        &mut reg,
        RecordKind::Home,
        json!({"slug": "quebec", "name": text("Québec", "Quebec"), "country": "CA", "subdivision": "CA-QC",
        "government": text("le gouvernement du Québec", "the Government of Québec"), "ministry": text("Ministère", "Ministry"), "summary": text("x", "x")}),
    );
    push(
        &mut reg,
        RecordKind::Organization,
        json!({"slug": "unesco", "name": text("UNESCO", "UNESCO"),
        "kind": "intergovernmental", "participation": "canadian_delegation", "presence": "none", "summary": text("x", "x")}),
    );
    push(
        &mut reg,
        RecordKind::Partner,
        json!({"slug": "shanghai", "name": text("Municipalité de Shanghai", "Shanghai Municipality"),
        "kind": "municipality", "country": "CN", "subdivision": "CN-SH", "world_region": "asia", "summary": text("x", "x")}),
    );
    reg
}

fn date() -> impl Strategy<Value = String> {
    (1960i32..2030, 1u8..=12, 1u8..=28, 0..8).prop_map(|(y, m, d, form)| match form {
        0 => format!("{y}"),
        1 => format!("{y}-{m:02}"),
        2 => format!("{y}-{m:02}-{d:02}"),
        3 => format!("{y}~"),
        4 => format!("{y}-{m:02}-{d:02}?"),
        5 => format!("{y}-{m:02}-{d:02}/{}-{m:02}-{d:02}", y + 1),
        6 => format!("../{y}-{m:02}"),
        _ => format!("{y}/.."),
    })
}

fn optional<T: std::fmt::Debug + Clone>(
    s: impl Strategy<Value = T>,
) -> impl Strategy<Value = Option<T>> {
    prop_oneof![Just(None), s.prop_map(Some)]
}

/// One agreement using the version-2 fields, built from generated values.
fn agreement() -> impl Strategy<Value = Value> {
    (
        any::<bool>(),
        prop::collection::vec((date(), 0..3usize, optional(0..2usize)), 0..4),
        optional((date(), any::<bool>())),
        optional(date()),
        optional((1u32..200, optional(date()), optional(0..3usize), optional(1u32..120), optional(1u32..24))),
        prop::collection::vec((0..4usize, optional("[0-9]{1,4}-[0-9]{2,4}"), optional(date())), 0..3),
        (optional(0..7usize), any::<bool>(), 0..7usize),
    )
        .prop_map(|(descriptive, letters, adopted, provisional, term, measures, (body_kind, body, relation))| {
            let kinds = ["signed_text", "letter", "note", "minutes", "annex"];
            let senders = ["home", "partner:shanghai", "organization:unesco"];
            let instruments: Vec<Value> = letters.iter().enumerate().map(|(i, (d, s, to))| {
                let mut x = json!({"kind": kinds[i % kinds.len()], "date": d, "sender": senders[*s]});
                if let Some(to) = to.filter(|t| t != s) {
                    x["addressee"] = json!(senders[to]);
                    x["place"] = text("Québec", "Québec City");
                }
                x
            }).collect();
            let bodies = ["government", "head_of_state", "ministry", "agency", "legislature", "municipal", "organ"];
            let mut party = json!({"party": "partner:shanghai"});
            if let Some(k) = body_kind {
                party["body_kind"] = json!(bodies[k]);
            }
            if body {
                party["body"] = text("Gouvernement populaire de Shanghai", "Shanghai People’s Government");
            }
            let mut a = json!({"title": text("Entente", "Agreement"), "kind": "entente_bilateral", "status": "in_force",
                "parties": [{"party": "home", "acts": [{"act": "provisional_application", "date": "2017-09-21"}]}, party],
                "summary": text("x", "x"), "instruments": instruments, "descriptive_title": descriptive, "relation": relation});
            if let Some((d, with_body)) = adopted {
                a["adopted"] = json!({"date": d, "by": "organization:unesco"});
                if with_body {
                    a["adopted"]["body"] = text("Conférence générale", "General Conference");
                }
            }
            if let Some(p) = provisional {
                a["provisional_application"] = json!(p);
            }
            if let Some((months, expires, renewal, every, notice)) = term {
                let renewals = ["tacit", "explicit", "none"];
                let mut t = json!({"months": months, "expires": expires, "notice_months": notice});
                if let Some(r) = renewal {
                    t["renewal"] = json!(renewals[r]);
                    if r != 2 {
                        t["renewal_months"] = json!(every);
                    }
                }
                a["term"] = t;
            }
            let measure_kinds = ["decree", "regulation", "act", "publication"];
            a["measures"] = measures.iter().map(|(k, number, d)| {
                let mut m = json!({"kind": measure_kinds[*k], "number": number, "date": d});
                if number.is_none() && d.is_none() {
                    m["citation"] = text("Gazette officielle du Québec", "Gazette officielle du Québec");
                }
                m
            }).collect();
            a
        })
}

/// Removes nulls (absent optional values) from generated JSON.
fn strip_nulls(v: &mut Value) {
    match v {
        Value::Object(map) => {
            map.retain(|_, x| !x.is_null());
            map.values_mut().for_each(strip_nulls);
        }
        Value::Array(items) => items.iter_mut().for_each(strip_nulls),
        _ => {}
    }
}

fn registry_of(agreements: Vec<Value>) -> Registry {
    let mut reg = base();
    let relations = [
        "renews",
        "extends",
        "amends",
        "replaces",
        "protocol_to",
        "implements",
        "builds_on",
    ];
    for (i, mut a) in agreements.into_iter().enumerate() {
        let relation = a["relation"].as_u64().unwrap_or(0) as usize;
        a.as_object_mut().unwrap().remove("relation");
        a["slug"] = json!(format!("entente-{i}"));
        a["reference"] = json!(format!("2024-{i:02}"));
        if i > 0 {
            a["related"] = json!([{"relation": relations[relation], "agreement": format!("entente-{}", i - 1)}]);
        }
        strip_nulls(&mut a);
        reg.push(AnyRecord::from_json(RecordKind::Agreement, a).unwrap());
    }
    reg
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn export_import_export_is_byte_identical_with_every_new_field(agreements in prop::collection::vec(agreement(), 1..5)) {
        let registry = registry_of(agreements);
        prop_assert_eq!(registry.validate(), vec![]);
        let dataset = Dataset { registry, ..Dataset::default() };
        let (one, two) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        write_dataset(&dataset, one.path()).unwrap();
        let back = read_dataset(&DirSource(one.path().to_path_buf()));
        prop_assert!(back.is_ok(), "{:?}", back.err());
        let back = back.unwrap();
        write_dataset(&back, two.path()).unwrap();
        prop_assert_eq!(read_all(one.path()), read_all(two.path()));
        let mut expected = dataset.registry.clone();
        expected.sort();
        prop_assert_eq!(back.registry, expected);
    }
}
