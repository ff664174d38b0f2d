//! Synonyms taken from the data: an organization's or grouping's acronyms in
//! both languages and its names (OACI ⇄ ICAO ⇄ Organisation de l'aviation
//! civile internationale), an agreement's short titles (AECG ⇄ CETA).

use crate::analysis::Analyzers;
use paradiplo_core::{AnyRecord, Lang, Registry, Text};
use std::collections::HashMap;

/// The names one thing goes by.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Group {
    /// Acronyms, folded, their tokens joined by a space ("oaci", "cgna pmec").
    pub aliases: Vec<String>,
    /// Full names as written, French then English.
    pub names: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Synonyms {
    groups: Vec<Group>,
    by_alias: HashMap<String, Vec<usize>>,
    longest: usize,
}

/// An alias is an acronym when it is one word ("OACI", "CGNA-PMEC"), not a
/// short title ("Entente sur le lac Champlain").
fn acronym(text: &str) -> bool {
    let t = text.trim();
    !t.is_empty() && !t.contains(char::is_whitespace)
}

impl Synonyms {
    pub fn from_registry(registry: &Registry, analyzers: &mut Analyzers) -> Synonyms {
        let mut s = Synonyms::default();
        for record in registry.iter() {
            let (alias, name): (&Option<Text>, &Text) = match record {
                AnyRecord::Organization(o) => (&o.acronym, &o.name),
                AnyRecord::Grouping(g) => (&g.acronym, &g.name),
                AnyRecord::Agreement(a) => (&a.short_title, &a.title),
                _ => continue,
            };
            let Some(alias) = alias else { continue };
            let mut group = Group::default();
            for a in [alias.fr.as_str(), alias.get(Lang::En)] {
                if !acronym(a) {
                    continue;
                }
                let toks: Vec<String> = analyzers.folded(a).into_iter().map(|t| t.text).collect();
                let joined = toks.join(" ");
                if !toks.is_empty() && !group.aliases.contains(&joined) {
                    s.longest = s.longest.max(toks.len());
                    group.aliases.push(joined);
                }
            }
            if group.aliases.is_empty() {
                continue;
            }
            group.names.push(name.fr.clone());
            if name.get(Lang::En) != name.fr {
                group.names.push(name.get(Lang::En).to_string());
            }
            let i = s.groups.len();
            for a in &group.aliases {
                s.by_alias.entry(a.clone()).or_default().push(i);
            }
            s.groups.push(group);
        }
        s
    }

    /// The longest run of `words` starting at `start` that is an acronym:
    /// how many words it spans and the groups it names.
    pub fn lookup(&self, words: &[String], start: usize) -> Option<(usize, Vec<&Group>)> {
        let max = self.longest.min(words.len() - start);
        (1..=max).rev().find_map(|n| {
            let key = words[start..start + n].join(" ");
            self.by_alias
                .get(&key)
                .map(|ids| (n, ids.iter().map(|i| &self.groups[*i]).collect()))
        })
    }
}
