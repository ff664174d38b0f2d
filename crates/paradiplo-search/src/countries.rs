//! Countries by name: the names of every ISO 3166-1 country in French and
//! English (`country_data.rs`, generated from Debian's iso-codes), for the
//! records that involve a country and for queries that name one.

use crate::analysis::Analyzers;
use crate::country_data::COUNTRIES;
use std::collections::HashMap;
use std::sync::OnceLock;

/// A country's French and English names, common name first.
pub fn names(code: &str) -> Option<(&'static [&'static str], &'static [&'static str])> {
    COUNTRIES
        .binary_search_by(|(c, _, _)| c.cmp(&code))
        .ok()
        .map(|i| (COUNTRIES[i].1, COUNTRIES[i].2))
}

/// Country names folded (« etats unis », « united states ») to their codes.
pub struct ByName {
    codes: HashMap<String, &'static str>,
    longest: usize,
}

impl ByName {
    /// The table, built once.
    pub fn get() -> &'static ByName {
        static TABLE: OnceLock<ByName> = OnceLock::new();
        TABLE.get_or_init(|| {
            let mut an = Analyzers::default();
            let mut codes = HashMap::new();
            let mut longest = 0;
            for (code, fr, en) in COUNTRIES {
                for name in fr.iter().chain(en.iter()) {
                    // "Bolivia, Plurinational State of": the part before the comma.
                    let name = name.split(',').next().unwrap_or(name);
                    let toks: Vec<String> = an.folded(name).into_iter().map(|t| t.text).collect();
                    if toks.is_empty() {
                        continue;
                    }
                    longest = longest.max(toks.len());
                    codes.entry(toks.join(" ")).or_insert(*code);
                }
            }
            ByName { codes, longest }
        })
    }

    /// The longest run of folded `words` from `start` that names a country:
    /// how many words, and the country's code.
    pub fn lookup(&self, words: &[String], start: usize) -> Option<(usize, &'static str)> {
        let max = self.longest.min(words.len() - start);
        (1..=max).rev().find_map(|n| {
            self.codes
                .get(&words[start..start + n].join(" "))
                .map(|c| (n, *c))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_in_both_languages_and_lookup_without_accents() {
        assert_eq!(names("IN").map(|n| n.0[0]), Some("Inde"));
        assert_eq!(names("US").map(|n| n.1[0]), Some("United States"));
        assert!(names("ZZ").is_none());
        let t = ByName::get();
        let words = |s: &str| -> Vec<String> { s.split(' ').map(str::to_string).collect() };
        assert_eq!(
            t.lookup(&words("accord etats unis 2004"), 1),
            Some((2, "US"))
        );
        assert_eq!(t.lookup(&words("afrique du sud"), 0), Some((3, "ZA")));
        assert_eq!(t.lookup(&words("inde"), 0), Some((1, "IN")));
        assert_eq!(t.lookup(&words("accord"), 0), None);
    }
}
