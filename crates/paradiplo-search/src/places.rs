//! Place names and the words made from them: « Europe » and « européenne »,
//! « Bavière » and « bavarois », "Bavaria" and "Bavarian".
//!
//! Stemmers cut endings; they do not relate a place to its adjective, so
//! « accord commercial europe » would miss the agreement with the « Union
//! européenne ». No maintained crate provides French demonyms, and which
//! places matter depends on the deployment: the home state's record lists
//! them (`places` in `home.toml`). A form listed there finds the others.

use crate::analysis::Analyzers;
use paradiplo_core::Registry;
use std::collections::HashMap;

/// The groups, looked up by any form folded (no accents, lower case).
#[derive(Debug, Default)]
pub struct Places {
    by_form: HashMap<String, usize>,
    groups: Vec<Vec<String>>,
}

impl Places {
    /// The places of the home state's record, or none without one.
    pub fn from_registry(registry: &Registry, analyzers: &mut Analyzers) -> Places {
        let groups = registry
            .home()
            .map(|h| {
                h.places
                    .iter()
                    .map(|p| p.words().map(str::to_string).collect())
                    .collect()
            })
            .unwrap_or_default();
        Places::new(groups, analyzers)
    }

    fn new(groups: Vec<Vec<String>>, analyzers: &mut Analyzers) -> Places {
        let mut by_form = HashMap::new();
        for (i, group) in groups.iter().enumerate() {
            for form in group {
                for t in analyzers.folded(form) {
                    // The first group keeps a form (the record's check
                    // refuses a form in two groups).
                    by_form.entry(t.text).or_insert(i);
                }
            }
        }
        Places { by_form, groups }
    }

    /// The other forms of the place or adjective `folded`, if it is one.
    pub fn others(&self, folded: &str) -> &[String] {
        match self.by_form.get(folded) {
            Some(&i) => &self.groups[i],
            None => &[],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(forms: &str) -> Vec<String> {
        forms.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn any_form_finds_its_group_without_accents() {
        let p = Places::new(
            vec![
                group("europe européen européenne european"),
                group("bavière bavarois bavaria"),
            ],
            &mut Analyzers::default(),
        );
        for form in ["europe", "Européenne", "europeen", "European"] {
            assert!(
                p.others(&form.to_lowercase().replace('é', "e"))
                    .contains(&"européen".to_string())
            );
        }
        assert!(p.others("bavarois").contains(&"bavière".to_string()));
        assert!(p.others("accord").is_empty());
    }

    #[test]
    fn without_home_record_no_place_is_known() {
        let p = Places::from_registry(&Registry::new(), &mut Analyzers::default());
        assert!(p.others("europe").is_empty());
    }
}
