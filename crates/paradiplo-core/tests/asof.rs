//! "As of" answers: the day before, the day of and the day after each change.

use paradiplo_core::asof::{active_on, as_of};
use paradiplo_core::records::*;
use paradiplo_core::{AnyRecord, CountryCode, PartialDate, Registry, Slug, Text};

fn d(s: &str) -> PartialDate {
    PartialDate::parse(s).unwrap()
}
fn day(s: &str) -> time::Date {
    d(s).earliest()
}
fn slug(s: &str) -> Slug {
    Slug::parse(s).unwrap()
}
fn t(s: &str) -> Text {
    Text::new(s, s)
}

fn partner(s: &str, since: Option<&str>, until: Option<&str>) -> Partner {
    Partner {
        slug: slug(s),
        name: t(s),
        short_name: None,
        kind: PartnerKind::FederatedState,
        country: CountryCode::parse("DE").unwrap(),
        subdivision: None,
        world_region: WorldRegion::WesternEurope,
        bilateral: true,
        since: since.map(d),
        until: until.map(d),
        location: None,
        domains: vec![],
        summary: t("x"),
        milestones: vec![],
        sources: vec![],
        staff_note: None,
    }
}

fn registry() -> Registry {
    let mut reg = Registry::new();
    reg.push(partner("baviere", Some("1989-05-10"), None));
    reg.push(partner("ancienne", Some("2001"), Some("2015-06-01")));
    reg.push(Grouping {
        slug: slug("regions"),
        name: t("Régions partenaires"),
        acronym: None,
        founded: Some(d("2002-03-01")),
        home_role: t("membre"),
        secretariat: None,
        members: vec![
            Membership {
                member: slug("baviere"),
                since: Some(d("2002-03-01")),
                until: None,
                role: None,
            },
            Membership {
                member: slug("ancienne"),
                since: Some(d("2008-09-08")),
                until: Some(d("2015-06-01")),
                role: None,
            },
        ],
        domains: vec![],
        summary: t("x"),
        milestones: vec![],
        website: None,
        sources: vec![],
        staff_note: None,
    });
    reg.push(Representation {
        slug: slug("moscou"),
        name: t("Bureau de Moscou"),
        kind: RepresentationKind::Bureau,
        city: t("Moscou"),
        country: CountryCode::parse("RU").unwrap(),
        opened: Some(d("2006")),
        closed: Some(d("2012-03-31")),
        reports_to: None,
        location: None,
        partners: vec![],
        summary: t("x"),
        milestones: vec![],
        sources: vec![],
        staff_note: None,
    });
    reg.push(AnyRecord::from_json(
        RecordKind::Agreement,
        serde_json::json!({
            "slug": "accord", "title": {"fr": "Accord", "en": "Agreement"}, "kind": "entente_bilateral",
            "status": "ended", "signed": "2010-04-01", "in_force": "2010-06-01", "ended": "2013-12-31",
            "parties": [{"party": "home"}, {"party": "partner:baviere", "acts": [{"act": "signature", "date": "2010-04-01"}]}],
            "summary": {"fr": "x", "en": "x"}
        }),
    ).unwrap());
    reg
}

fn slugs<T: Record + 'static>(reg: &Registry) -> Vec<String> {
    reg.typed::<T>().map(|r| r.slug().to_string()).collect()
}

#[test]
fn relationships_start_and_end_inclusively() {
    assert!(!active_on(Some(&d("2015-06-01")), None, day("2015-05-31")));
    assert!(active_on(Some(&d("2015-06-01")), None, day("2015-06-01")));
    assert!(active_on(None, Some(&d("2015-06-01")), day("2015-06-01")));
    assert!(!active_on(None, Some(&d("2015-06-01")), day("2015-06-02")));
    // Year precision is taken at its widest.
    assert!(active_on(
        Some(&d("2001")),
        Some(&d("2015")),
        day("2001-01-01")
    ));
    assert!(active_on(
        Some(&d("2001")),
        Some(&d("2015")),
        day("2015-12-31")
    ));
    assert!(!active_on(
        Some(&d("2001")),
        Some(&d("2015")),
        day("2016-01-01")
    ));
}

#[test]
fn partners_and_memberships_as_of() {
    let reg = registry();
    // Partner since 1989-05-10.
    assert_eq!(
        slugs::<Partner>(&as_of(&reg, day("1989-05-09"))),
        Vec::<String>::new()
    );
    assert_eq!(
        slugs::<Partner>(&as_of(&reg, day("1989-05-10"))),
        ["baviere"]
    );
    // The other partner ended on 2015-06-01.
    assert_eq!(
        slugs::<Partner>(&as_of(&reg, day("2015-06-01"))),
        ["baviere", "ancienne"]
    );
    assert_eq!(
        slugs::<Partner>(&as_of(&reg, day("2015-06-02"))),
        ["baviere"]
    );
    let members = |date: &str| -> Vec<String> {
        as_of(&reg, day(date))
            .typed::<Grouping>()
            .flat_map(|g| g.members.iter().map(|m| m.member.to_string()))
            .collect()
    };
    assert!(
        members("2002-02-28").is_empty(),
        "the grouping did not exist yet"
    );
    assert_eq!(members("2002-03-01"), ["baviere"]);
    assert_eq!(members("2008-09-07"), ["baviere"]);
    assert_eq!(members("2008-09-08"), ["baviere", "ancienne"]);
    assert_eq!(members("2015-06-01"), ["baviere", "ancienne"]);
    assert_eq!(members("2015-06-02"), ["baviere"]);
}

#[test]
fn offices_and_agreements_as_of() {
    let reg = registry();
    assert!(slugs::<Representation>(&as_of(&reg, day("2005-12-31"))).is_empty());
    assert_eq!(
        slugs::<Representation>(&as_of(&reg, day("2006-01-01"))),
        ["moscou"]
    );
    assert_eq!(
        slugs::<Representation>(&as_of(&reg, day("2012-03-31"))),
        ["moscou"]
    );
    assert!(slugs::<Representation>(&as_of(&reg, day("2012-04-01"))).is_empty());

    let status = |date: &str| {
        as_of(&reg, day(date))
            .typed::<Agreement>()
            .next()
            .map(|a| a.status)
    };
    assert_eq!(status("2010-03-31"), None, "not signed yet");
    assert_eq!(status("2010-04-01"), Some(AgreementStatus::Signed));
    assert_eq!(status("2010-05-31"), Some(AgreementStatus::Signed));
    assert_eq!(status("2010-06-01"), Some(AgreementStatus::InForce));
    assert_eq!(status("2013-12-30"), Some(AgreementStatus::InForce));
    assert_eq!(status("2013-12-31"), Some(AgreementStatus::Ended));
    let today = as_of(&reg, day("2026-11-27"));
    assert_eq!(
        today.typed::<Agreement>().next(),
        reg.typed::<Agreement>().next(),
        "once every known date has passed, the record as it is"
    );
    assert_eq!(
        slugs::<Partner>(&today),
        ["baviere"],
        "ended relationships are gone today"
    );
}
