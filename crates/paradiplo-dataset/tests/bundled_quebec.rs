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
