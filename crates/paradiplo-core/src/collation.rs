//! The one order of names: French collation from ICU4X (CLDR data compiled
//! into the binary), so that « Écosse » sorts with E, « Île » with I, and
//! case and accents only break ties.

use icu_collator::options::CollatorOptions;
use icu_collator::{Collator, CollatorBorrowed};
use std::cmp::Ordering;
use std::sync::LazyLock;

static FRENCH: LazyLock<CollatorBorrowed<'static>> = LazyLock::new(|| {
    Collator::try_new(
        icu_locale_core::locale!("fr").into(),
        CollatorOptions::default(),
    )
    .expect("the compiled data holds the French collation")
});

/// A key that orders names as a French reader expects: sort with
/// `sort_by_key(|x| sort_key(name))`.
pub fn sort_key(name: &str) -> Vec<u8> {
    let mut key = Vec::new();
    let Ok(()) = FRENCH.write_sort_key_to(name, &mut key);
    key
}

/// Compares two names in French order.
pub fn compare(a: &str, b: &str) -> Ordering {
    FRENCH.compare(a, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accents_and_case_do_not_move_a_name_out_of_its_letter() {
        let mut names = vec![
            "Wisconsin",
            "Écosse",
            "Île-du-Prince-Édouard",
            "illinois",
            "Ohio",
            "Ecuador",
            "São Paulo",
            "Shandong",
        ];
        names.sort_by_key(|n| sort_key(n));
        assert_eq!(
            names,
            [
                "Écosse",
                "Ecuador",
                "Île-du-Prince-Édouard",
                "illinois",
                "Ohio",
                "São Paulo",
                "Shandong",
                "Wisconsin",
            ]
        );
        assert_eq!(compare("Écosse", "Wisconsin"), Ordering::Less);
        assert_eq!(compare("cote", "côte"), Ordering::Less);
    }
}
