//! Reading and writing datasets: every error is found and located; the
//! canonical form round-trips byte for byte.

use paradiplo_core::{Problem, RecordKind, RecordState};
use paradiplo_dataset::{DatasetError, DirSource, read_dataset, write_dataset};
use std::path::Path;

const HOME: &str = r#"
[home]
slug = "quebec"
name = { fr = "Québec", en = "Quebec" }
country = "CA"
subdivision = "CA-QC"
government = { fr = "gouvernement du Québec", en = "Government of Québec" }
ministry = { fr = "Ministère", en = "Ministry" }
summary = { fr = "État fédéré.", en = "Federated state." }
"#;

const DOMAINS: &str = r#"
[[domain]]
slug = "culture"
name = { fr = "Culture", en = "Culture" }

[[domain]]
slug = "economie"
name = { fr = "Économie", en = "Economy" }
"#;

const PARTNERS: &str = r#"
[[partner]]
slug = "baviere"
name = { fr = "Bavière", en = "Bavaria" }
kind = "federated_state"
country = "DE"
subdivision = "DE-BY"
world_region = "western_europe"
since = "1989"
domains = ["culture", "economie"]
summary = { fr = "Partenaire depuis 1989.", en = "Partner since 1989." }

[[partner.milestones]]
date = "1989-05"
text = { fr = "Premier communiqué.", en = "First communiqué." }

[[partner]]
slug = "vermont"
state = "draft"
name = { fr = "Vermont", en = "Vermont" }
kind = "federated_state"
country = "US"
subdivision = "US-VT"
world_region = "north_america"
summary = { fr = "Voisin.", en = "Neighbour." }
"#;

const GROUPINGS: &str = r#"
[[grouping]]
slug = "regions-partenaires"
name = { fr = "Régions partenaires", en = "Partner Regions" }
home_role = { fr = "Membre", en = "Member" }
summary = { fr = "Un réseau.", en = "A network." }

[[grouping.members]]
member = "quebec"

[[grouping.members]]
member = "baviere"
since = "2002"
"#;

const DOCUMENTS: &str = r#"
[[document]]
slug = "accord"
title = { fr = "Accord", en = "Agreement" }
file = "accord.txt"
lang = "fr"
"#;

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::create_dir_all(dir.join(name).parent().unwrap()).unwrap();
    std::fs::write(dir.join(name), text).unwrap();
}

fn valid_dataset(dir: &Path) {
    write(dir, "home.toml", HOME);
    write(dir, "domains.toml", DOMAINS);
    write(dir, "partners.toml", PARTNERS);
    write(dir, "groupings.toml", GROUPINGS);
    write(dir, "documents.toml", DOCUMENTS);
    write(dir, "files/accord.txt", "Texte de l’accord.\n");
}

fn errors(dir: &Path) -> Vec<DatasetError> {
    read_dataset(&DirSource(dir.to_path_buf())).expect_err("the dataset has errors")
}

#[test]
fn a_valid_dataset_reads_with_states_and_files() {
    let tmp = tempfile::tempdir().unwrap();
    valid_dataset(tmp.path());
    let ds = read_dataset(&DirSource(tmp.path().to_path_buf())).unwrap();
    assert_eq!(ds.registry.len(), 7);
    let vermont = paradiplo_core::Slug::parse("vermont").unwrap();
    assert_eq!(
        ds.state_of(RecordKind::Partner, &vermont),
        RecordState::Draft
    );
    let Some(paradiplo_core::AnyRecord::Document(doc)) =
        ds.registry.get(RecordKind::Document, "accord")
    else {
        panic!("document read")
    };
    assert_eq!(doc.media_type, "text/plain");
    assert_eq!(doc.size, "Texte de l’accord.\n".len() as u64);
    assert_eq!(doc.sha256.len(), 64);
    assert_eq!(ds.files["accord.txt"], "Texte de l’accord.\n".as_bytes());
}

#[test]
fn export_is_canonical_and_stable() {
    let tmp = tempfile::tempdir().unwrap();
    valid_dataset(tmp.path());
    let ds = read_dataset(&DirSource(tmp.path().to_path_buf())).unwrap();
    let out1 = tmp.path().join("out1");
    write_dataset(&ds, &out1).unwrap();
    let back = read_dataset(&DirSource(out1.clone())).unwrap();
    let mut a = ds.registry.clone();
    let mut b = back.registry.clone();
    a.sort();
    b.sort();
    assert_eq!(a, b, "what is written reads back as the same records");
    assert_eq!(back.states, ds.states);
    assert_eq!(back.files, ds.files);
    let out2 = tmp.path().join("out2");
    write_dataset(&back, &out2).unwrap();
    for name in [
        "home.toml",
        "domains.toml",
        "partners.toml",
        "groupings.toml",
        "documents.toml",
        "files/accord.txt",
    ] {
        assert_eq!(
            std::fs::read(out1.join(name)).unwrap(),
            std::fs::read(out2.join(name)).unwrap(),
            "{name} differs between two exports"
        );
    }
    let partners = std::fs::read_to_string(out1.join("partners.toml")).unwrap();
    assert!(partners.contains("name.fr = \"Bavière\""), "{partners}");
    assert!(partners.contains("[[partner.milestones]]"));
    assert!(partners.contains("slug = \"vermont\"\nstate = \"draft\""));
    // Multi-line texts stay valid TOML.
    let mut ds2 = ds.clone();
    if let Some(paradiplo_core::AnyRecord::Partner(p)) =
        ds2.registry.get(RecordKind::Partner, "baviere").cloned()
    {
        let mut p = p;
        p.summary.fr = "Ligne 1\nLigne 2 avec \"guillemets\" et \\ barre.\n".into();
        ds2.registry
            .upsert(paradiplo_core::AnyRecord::Partner(p.clone()));
        let out3 = tmp.path().join("out3");
        write_dataset(&ds2, &out3).unwrap();
        let back3 = read_dataset(&DirSource(out3)).unwrap();
        let Some(paradiplo_core::AnyRecord::Partner(p3)) =
            back3.registry.get(RecordKind::Partner, "baviere")
        else {
            panic!()
        };
        assert_eq!(p3.summary.fr, p.summary.fr);
    }
}

#[test]
fn five_different_errors_are_all_reported_with_file_and_line() {
    let tmp = tempfile::tempdir().unwrap();
    valid_dataset(tmp.path());
    // 1. unknown ISO 3166-1 country (line 6 of the record below)
    // 2. a subdivision of another country
    // 3. a reference to a domain that does not exist
    // 4. a missing required French text
    // 5. a grouping member that is not a partner
    write(
        tmp.path(),
        "partners.toml",
        &PARTNERS.replace("country = \"US\"", "country = \"XX\""),
    );
    write(
        tmp.path(),
        "domains.toml",
        &format!(
            "{DOMAINS}\n[[domain]]\nslug = \"sante\"\nname = {{ fr = \"\", en = \"Health\" }}\n"
        ),
    );
    let partners = std::fs::read_to_string(tmp.path().join("partners.toml")).unwrap()
        + "\n[[partner]]\nslug = \"flandre\"\nname = { fr = \"Flandre\", en = \"Flanders\" }\nkind = \"federated_state\"\ncountry = \"BE\"\nsubdivision = \"DE-BY\"\nworld_region = \"western_europe\"\ndomains = [\"aeronautique\"]\nsummary = { fr = \"x\", en = \"x\" }\n";
    write(tmp.path(), "partners.toml", &partners);
    write(
        tmp.path(),
        "groupings.toml",
        &GROUPINGS.replace("member = \"baviere\"", "member = \"catalogne\""),
    );

    let errs = errors(tmp.path());
    let lines: Vec<String> = errs.iter().map(|e| e.to_string()).collect();
    assert_eq!(errs.len(), 5, "{lines:#?}");
    let find = |code: &str| {
        errs.iter()
            .find(|e| e.error.problem.code() == code)
            .unwrap_or_else(|| panic!("no {code} in {lines:#?}"))
    };
    let country = find("unknown_country");
    assert!(country.file.ends_with("partners.toml"));
    assert_eq!(country.error.value, "XX");
    assert_eq!(country.error.field, "country");
    assert_eq!(country.line, Some(22), "{lines:#?}");
    let sub = find("subdivision_outside_country");
    assert_eq!(
        (sub.error.field.as_str(), sub.error.value.as_str()),
        ("subdivision", "DE-BY")
    );
    assert_eq!(sub.record.as_deref(), Some("flandre"));
    let domain_ref = find("unknown_reference");
    let _ = domain_ref;
    let refs: Vec<_> = errs
        .iter()
        .filter(|e| e.error.problem.code() == "unknown_reference")
        .collect();
    assert_eq!(refs.len(), 2);
    assert!(
        refs.iter()
            .any(|e| e.error.field == "domains[0]" && e.error.value == "aeronautique")
    );
    let member = refs
        .iter()
        .find(|e| e.error.field == "members[1].member")
        .unwrap();
    assert_eq!(member.error.value, "catalogne");
    assert_eq!(member.line, Some(12), "the member's own line: {lines:#?}");
    let required = find("required");
    assert_eq!(required.error.field, "name.fr");
    assert!(required.file.ends_with("domains.toml"));
    // Every message names file, line and field.
    for e in &errs {
        let m = e.to_string();
        assert!(m.contains(".toml:"), "{m}");
        assert!(m.contains("field `"), "{m}");
    }
}

#[test]
fn format_errors_name_field_value_and_line() {
    let tmp = tempfile::tempdir().unwrap();
    valid_dataset(tmp.path());
    write(
        tmp.path(),
        "partners.toml",
        &PARTNERS
            .replace(
                "world_region = \"western_europe\"",
                "world_region = \"europe\"",
            )
            .replace("since = \"1989\"", "since = \"1989\"\ncolour = \"blue\"")
            .replace("date = \"1989-05\"", "date = \"1989-13\"")
            .replace("state = \"draft\"", "state = \"hidden\""),
    );
    write(tmp.path(), "events.toml", "[[event]\nslug = ");
    write(tmp.path(), "partner.toml", "");
    write(tmp.path(), "files/orphan.pdf", "%PDF");
    std::fs::remove_file(tmp.path().join("files/accord.txt")).unwrap();
    let errs = errors(tmp.path());
    let msgs: Vec<String> = errs.iter().map(|e| e.to_string()).collect();
    let has = |needle: &str| {
        assert!(
            msgs.iter().any(|m| m.contains(needle)),
            "no `{needle}` in {msgs:#?}"
        )
    };
    has("world_region");
    has("value \"europe\"");
    has("western_europe");
    has("events.toml:1");
    has("syntax error");
    has("partner.toml");
    has("value \"hidden\"");
    has("missing_file"
        .replace('_', " ")
        .as_str()
        .replace("missing file", "file not found")
        .as_str());
    has("orphan.pdf");
    // the first error of a record is reported; the bad date of the same
    // record comes after the bad region in the file
    let region = errs
        .iter()
        .find(|e| e.error.field == "world_region")
        .unwrap();
    assert_eq!(region.line, Some(8));
    assert!(matches!(region.error.problem, Problem::InvalidValue { .. }));
}

#[test]
fn french_messages() {
    let tmp = tempfile::tempdir().unwrap();
    valid_dataset(tmp.path());
    write(
        tmp.path(),
        "partners.toml",
        &PARTNERS.replace("country = \"DE\"", "country = \"ZZ\""),
    );
    let errs = errors(tmp.path());
    let country = errs.iter().find(|e| e.error.field == "country").unwrap();
    let fr = country.message(paradiplo_core::Lang::Fr);
    assert!(fr.contains("valeur «\u{a0}ZZ\u{a0}»\u{a0}: "), "{fr}");
    assert!(fr.contains("champ `country`"), "{fr}");
    assert!(fr.contains("ISO 3166-1"), "{fr}");
}

mod json_format {
    use paradiplo_core::{Problem, RecordKind, RecordState};
    use paradiplo_dataset::{DirSource, read_dataset, read_json, write_json};
    use std::path::Path;

    fn bundled() -> paradiplo_dataset::Dataset {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/quebec");
        read_dataset(&DirSource(dir)).unwrap()
    }

    #[test]
    fn json_round_trips_the_bundled_dataset() {
        let mut dataset = bundled();
        let slug = dataset.registry.of_kind(RecordKind::Domain)[0]
            .slug()
            .clone();
        dataset
            .states
            .insert((RecordKind::Domain, slug.clone()), RecordState::Draft);
        let json = serde_json::to_vec(&write_json(&dataset)).unwrap();
        let back = read_json("x.json", &json).unwrap();
        let mut expected = dataset.clone();
        expected.registry.sort();
        let mut got = back.clone();
        got.registry.sort();
        assert_eq!(got, expected);
        assert_eq!(back.state_of(RecordKind::Domain, &slug), RecordState::Draft);
        assert_eq!(write_json(&back), write_json(&dataset), "canonical");
    }

    #[test]
    fn json_errors_name_the_record_and_the_field() {
        let errors = read_json(
            "d.json",
            br#"{"format": "x", "partners": {"no": 1}, "extra": []}"#,
        )
        .unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.error.field.as_str()).collect();
        assert!(
            fields.contains(&"format") && fields.contains(&"partners") && fields.contains(&"extra"),
            "{fields:?}"
        );
        let errors = read_json(
            "d.json",
            br#"{"domains": [{"slug": "a", "name": {"fr": "A"}, "colour": "red"}, {"name": {"fr": "B"}}, {"slug": "c", "name": {"fr": "C"}, "state": "gone"}],
                 "documents": [{"slug": "d", "title": {"fr": "D"}, "file": "d.pdf"}]}"#,
        )
        .unwrap_err();
        let find = |record: &str, field: &str| {
            errors
                .iter()
                .find(|e| e.record.as_deref() == Some(record) && e.error.field == field)
                .unwrap_or_else(|| panic!("no error on {record}.{field}: {errors:?}"))
        };
        assert_eq!(find("a", "colour").error.problem, Problem::UnknownField);
        assert_eq!(find("domains[1]", "slug").error.problem, Problem::Required);
        assert!(matches!(
            find("c", "state").error.problem,
            Problem::InvalidValue { .. }
        ));
        assert_eq!(find("d", "file").error.problem, Problem::MissingFile);
        assert!(errors.iter().all(|e| e.file == "d.json"));
        let syntax = read_json("d.json", b"{\n\"domains\": [").unwrap_err();
        assert_eq!(syntax[0].line, Some(2));
    }
}
