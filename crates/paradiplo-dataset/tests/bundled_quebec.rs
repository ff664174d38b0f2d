//! What the bundled Québec dataset must say truly (issue 14), read as
//! `import` reads it.

use paradiplo_core::Registry;
use paradiplo_core::records::AgreementStatus;
use paradiplo_core::views;
use paradiplo_dataset::{DirSource, read_dataset};
use std::path::Path;

fn quebec() -> Registry {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/quebec");
    read_dataset(&DirSource(dir))
        .unwrap_or_else(|e| panic!("data/quebec reads: {e:?}"))
        .registry
}

fn slugs(list: Vec<&paradiplo_core::records::Agreement>) -> Vec<String> {
    list.iter().map(|a| a.slug.to_string()).collect()
}

/// CETA was approved by the National Assembly on 14 June 2017; what remains
/// is the order in council. It awaits the binding act, not approval.
#[test]
fn ceta_awaits_its_order_in_council_not_approval() {
    let reg = quebec();
    let awaiting = slugs(views::awaiting_approval(&reg));
    assert!(
        !awaiting.contains(&"aecg".to_string()),
        "CETA listed as awaiting approval: {awaiting:?}"
    );
    let binding = slugs(views::awaiting_binding_act(&reg));
    assert!(binding.contains(&"aecg".to_string()), "{binding:?}");
    // Every treaty listed as awaiting approval has no Assembly vote and no
    // order in council among its steps, and is not claimed approved.
    for a in views::awaiting_approval(&reg) {
        assert!(
            !a.steps
                .iter()
                .any(|s| ["approbation-assemblee", "decret"].contains(&s.step.as_str())),
            "{} has an approving step",
            a.slug
        );
        assert!(
            !matches!(
                a.status,
                AgreementStatus::Approved | AgreementStatus::InForce
            ),
            "{} is {:?}",
            a.slug,
            a.status
        );
    }
    // The two lists never share a treaty.
    assert!(awaiting.iter().all(|s| !binding.contains(s)));
}

/// The home record names the ministry and how to reach it, in both
/// languages, with its sources.
#[test]
fn the_home_record_gives_the_ministrys_contact() {
    let reg = quebec();
    let home = reg.home().expect("a home record");
    assert!(home.ministry.fr.contains("Relations internationales"));
    let contact = home.contact.as_ref().expect("a contact");
    for lang in [paradiplo_core::Lang::Fr, paradiplo_core::Lang::En] {
        let address = contact.address.get(lang);
        assert!(
            address.contains("525") && address.contains("G1R 5R9"),
            "{address}"
        );
    }
    assert!(contact.address.en.is_some(), "English address");
    assert!(contact.telephone.is_some() && contact.email.is_some());
    assert!(!contact.sources.is_empty());
}

/// Where the registry holds fewer records than the government counts, the
/// home record carries the official figure and its source, so that a page
/// states its scope from data.
#[test]
fn official_figures_give_the_scope_of_partial_lists() {
    use paradiplo_core::RecordKind;
    let reg = quebec();
    let home = reg.home().unwrap();
    let orgs = home
        .official_figure(RecordKind::Organization)
        .expect("the organizations' official figure");
    assert_eq!((orgs.count, orgs.more_than), (70, true));
    let listed = reg.of_kind(RecordKind::Organization).len() as u32;
    assert!(
        listed < orgs.count,
        "{listed} listed: the figure gives the scope"
    );
    let offices = home
        .official_figure(RecordKind::Representation)
        .expect("the offices' official figure");
    assert_eq!(offices.count, 35);
    for f in &home.official_figures {
        assert!(f.text.en.is_some(), "{} in English", f.collection);
        assert!(f.source.as_str().starts_with("http"));
    }
}
