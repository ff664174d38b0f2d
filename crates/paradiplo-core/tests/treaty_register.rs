//! Real agreements as treaty registers keep them (issue 13, model side):
//! parties of every kind with their contracting bodies, dates as the
//! sources give them through the as-of view, instruments and acts, the
//! relations between instruments read both ways, register references.

use paradiplo_core::asof::{Existence, record_existence};
use paradiplo_core::records::*;
use paradiplo_core::relations::Direction;
use paradiplo_core::{AnyRecord, CountryCode, Lang, PartialDate, Problem, RecordKind, Registry};
use serde_json::{Value, json};

fn rec(kind: RecordKind, v: Value) -> AnyRecord {
    AnyRecord::from_json(kind, v).unwrap()
}

fn day(s: &str) -> time::Date {
    PartialDate::parse(s).unwrap().earliest()
}

fn text(fr: &str, en: &str) -> Value {
    json!({"fr": fr, "en": en})
}

/// The home state, UNESCO, Shanghai (a municipality), Wallonie-Bruxelles
/// International (an agency of the French Community of Belgium), Catalonia
/// and Flanders.
fn base() -> Registry {
    let mut reg = Registry::new();
    reg.push(rec(RecordKind::Home, json!({
        "slug": "quebec", "name": text("Québec", "Quebec"), "country": "CA", "subdivision": "CA-QC",
        "government": text("le gouvernement du Québec", "the Government of Québec"),
        "ministry": text("Ministère des Relations internationales", "Ministry of International Relations"),
        "summary": text("x", "x")})));
    reg.push(rec(RecordKind::Organization, json!({
        "slug": "unesco", "name": text("Organisation des Nations unies pour l’éducation, la science et la culture", "United Nations Educational, Scientific and Cultural Organization"),
        "kind": "intergovernmental", "participation": "canadian_delegation", "presence": "none", "summary": text("x", "x")})));
    for (slug, fr, en, kind, country, sub, bilateral) in [
        (
            "shanghai",
            "Municipalité de Shanghai",
            "Shanghai Municipality",
            "municipality",
            "CN",
            Some("CN-SH"),
            true,
        ),
        (
            "wallonie-bruxelles-international",
            "Wallonie-Bruxelles International",
            "Wallonia-Brussels International",
            "agency",
            "BE",
            None,
            false,
        ),
        (
            "catalogne",
            "Catalogne",
            "Catalonia",
            "federated_state",
            "ES",
            Some("ES-CT"),
            true,
        ),
        (
            "flandre",
            "Flandre",
            "Flanders",
            "federated_state",
            "BE",
            Some("BE-VLG"),
            true,
        ),
    ] {
        let mut p = json!({"slug": slug, "name": text(fr, en), "kind": kind, "country": country,
            "world_region": if country == "CN" { "asia" } else { "western_europe" }, "summary": text("x", "x")});
        if let Some(sub) = sub {
            p["subdivision"] = json!(sub);
        }
        if !bilateral {
            p["bilateral"] = json!(false);
        }
        reg.push(rec(RecordKind::Partner, p));
    }
    reg
}

fn agreement(slug: &str, title: (&str, &str), parties: Value, extra: Value) -> AnyRecord {
    let mut a = json!({"slug": slug, "title": text(title.0, title.1), "kind": "entente_bilateral",
        "status": "in_force", "parties": parties, "summary": text("x", "x")});
    for (k, v) in extra.as_object().unwrap() {
        a[k] = v.clone();
    }
    rec(RecordKind::Agreement, a)
}

fn the_agreement<'a>(reg: &'a Registry, slug: &str) -> &'a Agreement {
    reg.record::<Agreement>(slug).unwrap()
}

#[test]
fn a_sovereign_state_party_with_its_contracting_body() {
    // Entente entre le Québec et la France en matière de reconnaissance
    // mutuelle des qualifications professionnelles, Québec, 17 October 2008.
    let mut reg = base();
    reg.push(agreement(
        "france-qualifications-professionnelles-2008",
        ("Entente entre le Québec et la France en matière de reconnaissance mutuelle des qualifications professionnelles",
         "Agreement between Québec and France on the mutual recognition of professional qualifications"),
        json!([
            {"party": "home", "body": text("Gouvernement du Québec", "Government of Québec"), "body_kind": "government"},
            {"party": "country:FR", "body": text("Gouvernement de la République française", "Government of the French Republic"), "body_kind": "government",
             "acts": [{"act": "signature", "date": "2008-10-17"}]}
        ]),
        json!({"signed": "2008-10-17", "reference": "2008-13"}),
    ));
    assert_eq!(reg.validate(), vec![]);
    let a = the_agreement(&reg, "france-qualifications-professionnelles-2008");
    let france = &a.parties[1];
    assert_eq!(
        reg.counterpart_kind(&france.party),
        Some(CounterpartKind::SovereignState)
    );
    assert_eq!(
        reg.party_name(&france.party, Lang::Fr).as_deref(),
        Some("France")
    );
    assert_eq!(
        france.body.as_ref().unwrap().get(Lang::Fr),
        "Gouvernement de la République française"
    );
    assert_eq!(france.body_kind, Some(BodyKind::Government));
    // A sovereign state may be a party without being a partner record.
    assert!(reg.typed::<Partner>().all(|p| p.country.as_str() != "FR"));
    assert_eq!(
        CountryCode::parse("KR").unwrap().name(Lang::Fr),
        "Corée du Sud"
    );
    // Round trip through the stored JSON keeps every field.
    let json = AnyRecord::Agreement(a.clone()).to_json();
    assert_eq!(json["parties"][1]["body_kind"], "government");
    assert_eq!(
        AnyRecord::from_json(RecordKind::Agreement, json).unwrap(),
        AnyRecord::Agreement(a.clone())
    );
}

#[test]
fn a_municipality_and_an_agency_as_parties() {
    let mut reg = base();
    // Multisectoral agreement with the Shanghai Municipality, 2011.
    reg.push(agreement(
        "shanghai-multisectorielle-2011",
        ("Entente multisectorielle entre le Québec et la Municipalité de Shanghai", "Multisectoral agreement between Québec and the Shanghai Municipality"),
        json!([{"party": "home"}, {"party": "partner:shanghai", "body": text("Gouvernement populaire de la municipalité de Shanghai", "Shanghai Municipal People’s Government"), "body_kind": "municipal"}]),
        json!({"signed": "2011"}),
    ));
    // A programme with Wallonie-Bruxelles International, the agency of the
    // French Community of Belgium, which is not a bilateral partner itself.
    reg.push(agreement(
        "wbi-programme-jeunesse",
        ("Programme de mobilité jeunesse avec Wallonie-Bruxelles International", "Youth mobility programme with Wallonia-Brussels International"),
        json!([{"party": "home"}, {"party": "partner:wallonie-bruxelles-international", "body_kind": "agency"}]),
        json!({"signed": "2013~"}),
    ));
    assert_eq!(reg.validate(), vec![]);
    let kind = |slug: &str| {
        let a = the_agreement(&reg, slug);
        reg.counterpart_kind(&a.parties[1].party)
    };
    assert_eq!(
        kind("shanghai-multisectorielle-2011"),
        Some(CounterpartKind::Municipality)
    );
    assert_eq!(
        kind("wbi-programme-jeunesse"),
        Some(CounterpartKind::Agency)
    );
    let wbi = reg
        .record::<Partner>("wallonie-bruxelles-international")
        .unwrap();
    assert!(!wbi.bilateral, "a party, not a partner");
    assert_eq!(CounterpartKind::Agency.label(Lang::Fr), "Organisme public");
}

#[test]
fn an_exchange_of_letters_with_three_dated_letters() {
    // The Québec–Catalonia exchange of letters, register number 1983-02:
    // a letter, the answer, and a confirming letter, each with its sender.
    let mut reg = base();
    reg.push(agreement(
        "catalogne-echange-lettres-1983",
        ("Échange de lettres entre le Québec et la Catalogne sur la coopération", "Exchange of letters between Québec and Catalonia on cooperation"),
        json!([{"party": "home"}, {"party": "partner:catalogne", "body": text("Generalitat de Catalunya", "Government of Catalonia")}]),
        json!({"reference": "1983-02", "descriptive_title": true, "instruments": [
            {"kind": "letter", "date": "1983-02-14", "sender": "home", "addressee": "partner:catalogne",
             "signatory": text("le ministre des Relations internationales", "the Minister of International Relations")},
            {"kind": "letter", "date": "1983-03-09", "sender": "partner:catalogne", "addressee": "home"},
            {"kind": "letter", "date": "1983-04-11?", "sender": "home", "addressee": "partner:catalogne"}
        ]}),
    ));
    assert_eq!(reg.validate(), vec![]);
    let a = the_agreement(&reg, "catalogne-echange-lettres-1983");
    assert_eq!(a.instruments.len(), 3);
    assert!(
        a.instruments
            .iter()
            .all(|i| i.kind == InstrumentKind::Letter && i.sender.is_some())
    );
    assert_eq!(
        a.conclusion(),
        None,
        "an exchange is not signed as one text"
    );
    assert_eq!(
        a.timeline_date(),
        Some(PartialDate::parse("1983-02-14").unwrap())
    );
    assert_eq!(
        a.display_title(Lang::Fr),
        "[Échange de lettres entre le Québec et la Catalogne sur la coopération]"
    );
    assert_eq!(
        a.instruments[2].date.unwrap().display(Lang::Fr),
        "probablement le 11 avril 1983"
    );
    // As of a day between the second and third letters, only two had been sent.
    let then =
        paradiplo_core::asof::record_as_of(&AnyRecord::Agreement(a.clone()), day("1983-03-20"))
            .unwrap();
    let AnyRecord::Agreement(then) = then else {
        unreachable!()
    };
    assert_eq!(then.instruments.len(), 2);
    // A letter addressed to its own sender is refused, naming the field.
    let mut bad = a.clone();
    bad.instruments[1].addressee = bad.instruments[1].sender.clone();
    let errors = AnyRecord::Agreement(bad).validate();
    assert_eq!(errors[0].field, "instruments[1].addressee");
}

#[test]
fn a_convention_adopted_by_an_organization_and_provisional_application() {
    let mut reg = base();
    // The 2005 UNESCO Convention, adopted by the General Conference on 20 October 2005.
    reg.push(agreement(
        "convention-diversite-expressions-culturelles",
        ("Convention sur la protection et la promotion de la diversité des expressions culturelles", "Convention on the Protection and Promotion of the Diversity of Cultural Expressions"),
        json!([{"party": "home", "acts": [{"act": "declared_bound", "date": "2005-11-10"}]}]),
        json!({"kind": "canada_treaty", "adopted": {"date": "2005-10-20", "by": "organization:unesco",
            "body": text("Conférence générale, 33e session", "General Conference, 33rd session"), "place": text("Paris", "Paris")}}),
    ));
    // CETA: signed 30 October 2016, applied provisionally since 21 September 2017.
    reg.push(agreement(
        "aecg",
        ("Accord économique et commercial global entre le Canada et l’Union européenne", "Comprehensive Economic and Trade Agreement between Canada and the European Union"),
        json!([{"party": "home", "acts": [{"act": "provisional_application", "date": "2017-09-21"}]}]),
        json!({"kind": "canada_treaty", "status": "signed", "signed": "2016-10-30", "provisional_application": "2017-09-21"}),
    ));
    assert_eq!(reg.validate(), vec![]);
    let convention = the_agreement(&reg, "convention-diversite-expressions-culturelles");
    let (act, date) = convention.conclusion().unwrap();
    assert_eq!(act, ActKind::Adoption);
    assert_eq!(
        format!(
            "{}{}{}",
            act.label(Lang::Fr),
            Lang::Fr.colon(),
            date.display(Lang::Fr)
        ),
        "Adoption du texte\u{a0}: 20 octobre 2005"
    );
    assert!(convention.signed.is_none());
    let ceta = the_agreement(&reg, "aecg");
    assert_eq!(ceta.conclusion().map(|c| c.0), Some(ActKind::Signature));
    assert_eq!(
        ActKind::ProvisionalApplication.label(Lang::En),
        "Provisional application"
    );
    // As of the day before provisional application, there is none yet.
    let before =
        paradiplo_core::asof::record_as_of(&AnyRecord::Agreement(ceta.clone()), day("2017-09-20"))
            .unwrap();
    let AnyRecord::Agreement(before) = before else {
        unreachable!()
    };
    assert_eq!(before.provisional_application, None);
    assert!(before.parties[0].acts.is_empty());
    // Only an organization or a grouping adopts a text.
    let mut bad = convention.clone();
    bad.adopted.as_mut().unwrap().by = PartyRef::Home;
    assert_eq!(AnyRecord::Agreement(bad).validate()[0].field, "adopted.by");
}

#[test]
fn a_renewal_chain_of_three_instruments_shown_both_ways() {
    // Québec–Flanders general cooperation: 1989, renewed in 2002, and the
    // 2002 agreement renewed in turn.
    let mut reg = base();
    let parties = json!([{"party": "home"}, {"party": "partner:flandre"}]);
    reg.push(agreement(
        "flandre-cooperation-1989",
        (
            "Accord de coopération Québec-Flandre",
            "Québec–Flanders cooperation agreement",
        ),
        parties.clone(),
        json!({"signed": "1989", "status": "replaced", "ended": "2002"}),
    ));
    reg.push(agreement("flandre-cooperation-2002", ("Accord de coopération Québec-Flandre (2002)", "Québec–Flanders cooperation agreement (2002)"), parties.clone(),
        json!({"signed": "2002", "related": [{"relation": "renews", "agreement": "flandre-cooperation-1989"}],
               "term": {"months": 60, "renewal": "tacit", "renewal_months": 60, "notice_months": 6}})));
    reg.push(agreement("flandre-cooperation-2017", ("Accord de coopération Québec-Flandre (2017)", "Québec–Flanders cooperation agreement (2017)"), parties,
        json!({"signed": "2017-05~", "related": [{"relation": "renews", "agreement": "flandre-cooperation-2002"}]})));
    assert_eq!(reg.validate(), vec![]);

    let shown = |slug: &str, lang: Lang| -> Vec<String> {
        reg.relations_of(slug)
            .iter()
            .map(|r| format!("{} {}", r.label(lang), r.agreement.slug))
            .collect()
    };
    assert_eq!(
        shown("flandre-cooperation-1989", Lang::Fr),
        ["Renouvelé par flandre-cooperation-2002"]
    );
    assert_eq!(
        shown("flandre-cooperation-2002", Lang::Fr),
        [
            "Renouvelle flandre-cooperation-1989",
            "Renouvelé par flandre-cooperation-2017"
        ]
    );
    assert_eq!(
        shown("flandre-cooperation-2002", Lang::En),
        [
            "Renews flandre-cooperation-1989",
            "Renewed by flandre-cooperation-2017"
        ]
    );
    assert_eq!(
        shown("flandre-cooperation-2017", Lang::En),
        ["Renews flandre-cooperation-2002"]
    );
    let middle = reg.relations_of("flandre-cooperation-2002");
    assert_eq!(middle[0].direction, Direction::Outgoing);
    assert_eq!(middle[1].direction, Direction::Incoming);

    for slug in [
        "flandre-cooperation-1989",
        "flandre-cooperation-2002",
        "flandre-cooperation-2017",
    ] {
        let chain: Vec<&str> = reg.family(slug).iter().map(|a| a.slug.as_str()).collect();
        assert_eq!(
            chain,
            [
                "flandre-cooperation-1989",
                "flandre-cooperation-2002",
                "flandre-cooperation-2017"
            ]
        );
    }
    assert_eq!(
        RelationKind::Replaces.inverse_label(Lang::Fr),
        "Remplacé par"
    );
    assert_eq!(RelationKind::Amends.inverse_label(Lang::En), "Amended by");
    for r in RelationKind::ALL {
        assert!(!r.inverse_label(Lang::Fr).is_empty() && !r.inverse_label(Lang::En).is_empty());
    }
}

#[test]
fn an_approximate_date_through_the_as_of_view() {
    // An agreement signed "c. 1980": its interval runs from 1979 to 1981.
    let mut reg = base();
    reg.push(agreement(
        "catalogne-vers-1980",
        ("Entente datée vers 1980", "Agreement dated c. 1980"),
        json!([{"party": "home"}, {"party": "partner:catalogne"}]),
        json!({"signed": "1980~"}),
    ));
    let a = reg
        .get(RecordKind::Agreement, "catalogne-vers-1980")
        .unwrap();
    assert_eq!(record_existence(a, day("1978-12-31")), Existence::NotYet);
    assert_eq!(record_existence(a, day("1980-01-01")), Existence::Uncertain);
    assert_eq!(record_existence(a, day("1981-12-31")), Existence::Certain);
    // A year-only partner since 1989 is uncertain all through 1989, never from 1 January.
    let mut flanders = reg.record::<Partner>("flandre").unwrap().clone();
    flanders.since = Some(PartialDate::parse("1989").unwrap());
    let flanders = AnyRecord::Partner(flanders);
    assert_eq!(
        record_existence(&flanders, day("1988-12-31")),
        Existence::NotYet
    );
    assert_eq!(
        record_existence(&flanders, day("1989-03-01")),
        Existence::Uncertain
    );
    assert_eq!(
        record_existence(&flanders, day("1990-01-01")),
        Existence::Certain
    );
    // An end "c. 2002" is uncertain inside its interval, over after it.
    let ended = agreement(
        "fin-vers-2002",
        ("x", "x"),
        json!([{"party": "home"}]),
        json!({"signed": "1989-05-03", "ended": "2002~"}),
    );
    assert_eq!(
        record_existence(&ended, day("2000-12-31")),
        Existence::Certain
    );
    assert_eq!(
        record_existence(&ended, day("2002-06-01")),
        Existence::Uncertain
    );
    assert_eq!(
        record_existence(&ended, day("2004-01-01")),
        Existence::Ended
    );
}

#[test]
fn a_repeated_register_reference_is_refused_naming_both_records() {
    let mut reg = base();
    let parties = json!([{"party": "home"}, {"party": "partner:catalogne"}]);
    reg.push(agreement(
        "catalogne-echange-lettres-1983",
        ("Échange de lettres", "Exchange of letters"),
        parties.clone(),
        json!({"reference": "1983-02"}),
    ));
    reg.push(agreement("catalogne-accord-cadre-1996", ("Accord-cadre", "Framework agreement"), parties, json!({"reference": "1983-02",
        "measures": [{"kind": "decree", "number": "1185-96", "date": "1996-09-18"},
                     {"kind": "publication", "citation": text("Gazette officielle du Québec, partie 2", "Gazette officielle du Québec, Part 2")}]})));
    let errors = reg.validate();
    assert_eq!(errors.len(), 1, "{errors:?}");
    let e = &errors[0];
    assert_eq!(e.slug, "catalogne-accord-cadre-1996");
    assert_eq!(e.error.field, "reference");
    assert_eq!(
        e.error.problem,
        Problem::UsedBy {
            kind: "agreement".into(),
            slug: "catalogne-echange-lettres-1983".into()
        }
    );
    let message = e.message(Lang::Fr);
    assert!(
        message.contains("catalogne-accord-cadre-1996")
            && message.contains("catalogne-echange-lettres-1983"),
        "{message}"
    );
    let a = the_agreement(&reg, "catalogne-accord-cadre-1996");
    assert_eq!(
        a.measures[0].display(Lang::Fr),
        "Décret 1185-96 du 18 septembre 1996"
    );
    assert_eq!(
        a.measures[0].display(Lang::En),
        "Order in council 1185-96 of September 18, 1996"
    );
}

#[test]
fn register_references_follow_the_deployment_formats() {
    // Québec's register numbers: "2014-05" for ententes, "2010-AC01" for
    // Canadian accords.
    let mut reg = base();
    let AnyRecord::Home(mut home) = reg.get(RecordKind::Home, "quebec").unwrap().clone() else {
        unreachable!()
    };
    home.reference_formats = vec!["####-##".into(), "####-AC##".into()];
    reg.upsert(AnyRecord::Home(home));
    let parties = json!([{"party": "home"}, {"party": "partner:catalogne"}]);
    for (slug, reference) in [("a", "2014-05"), ("b", "2010-AC01"), ("c", "1983-2")] {
        reg.push(agreement(
            slug,
            ("x", "x"),
            parties.clone(),
            json!({"reference": reference}),
        ));
    }
    let errors = reg.validate();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(
        (
            errors[0].slug.as_str(),
            errors[0].error.field.as_str(),
            errors[0].error.value.as_str()
        ),
        ("c", "reference", "1983-2")
    );
    assert_eq!(
        errors[0].error.problem,
        Problem::InvalidValue {
            expected: "####-##, ####-AC##".into()
        }
    );
}
