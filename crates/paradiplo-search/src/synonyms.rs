//! Synonyms taken from the data: an organization's or grouping's acronyms in
//! both languages and its names (OACI ⇄ ICAO ⇄ Organisation de l'aviation
//! civile internationale), an agreement's short titles (AECG ⇄ CETA).

use crate::analysis::Analyzers;
use paradiplo_core::{AnyRecord, Lang, RecordKind, Registry, Text};
use std::collections::{BTreeMap, BTreeSet, HashMap};

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
    /// The group of each record that has one, by kind and slug.
    groups: BTreeMap<(RecordKind, String), Group>,
    by_alias: HashMap<String, BTreeSet<(RecordKind, String)>>,
    /// Words of the longest alias ever seen (an upper bound once a record
    /// loses its alias: lookups then try a few keys that are not there).
    longest: usize,
}

/// An alias is an acronym when it is one word ("OACI", "CGNA-PMEC"), not a
/// short title ("Entente sur le lac Champlain").
fn acronym(text: &str) -> bool {
    let t = text.trim();
    !t.is_empty() && !t.contains(char::is_whitespace)
}

/// The group of names of `record`, if it has an acronym.
fn group_of(record: &AnyRecord, analyzers: &mut Analyzers) -> Option<Group> {
    let (alias, name): (&Option<Text>, &Text) = match record {
        AnyRecord::Organization(o) => (&o.acronym, &o.name),
        AnyRecord::Grouping(g) => (&g.acronym, &g.name),
        AnyRecord::Agreement(a) => (&a.short_title, &a.title),
        _ => return None,
    };
    let alias = alias.as_ref()?;
    let mut group = Group::default();
    for a in [alias.fr.as_str(), alias.get(Lang::En)] {
        if !acronym(a) {
            continue;
        }
        let toks: Vec<String> = analyzers.folded(a).into_iter().map(|t| t.text).collect();
        let joined = toks.join(" ");
        if !toks.is_empty() && !group.aliases.contains(&joined) {
            group.aliases.push(joined);
        }
    }
    if group.aliases.is_empty() {
        return None;
    }
    group.names.push(name.fr.clone());
    if name.get(Lang::En) != name.fr {
        group.names.push(name.get(Lang::En).to_string());
    }
    Some(group)
}

impl Synonyms {
    pub fn from_registry(registry: &Registry, analyzers: &mut Analyzers) -> Synonyms {
        let mut s = Synonyms::default();
        for record in registry.iter() {
            s.set(
                record.kind(),
                record.slug().as_str(),
                Some(record),
                analyzers,
            );
        }
        s
    }

    /// Whether records of `kind` can carry synonyms.
    pub fn concerns(kind: RecordKind) -> bool {
        matches!(
            kind,
            RecordKind::Organization | RecordKind::Grouping | RecordKind::Agreement
        )
    }

    /// Replaces the names of the record `kind`/`slug` with those of
    /// `record` as it is now (None: it is gone or no longer public).
    pub fn set(
        &mut self,
        kind: RecordKind,
        slug: &str,
        record: Option<&AnyRecord>,
        analyzers: &mut Analyzers,
    ) {
        let id = (kind, slug.to_string());
        if let Some(old) = self.groups.remove(&id) {
            for a in &old.aliases {
                if let Some(ids) = self.by_alias.get_mut(a) {
                    ids.remove(&id);
                    if ids.is_empty() {
                        self.by_alias.remove(a);
                    }
                }
            }
        }
        let Some(group) = record.and_then(|r| group_of(r, analyzers)) else {
            return;
        };
        for a in &group.aliases {
            self.longest = self.longest.max(a.split(' ').count());
            self.by_alias
                .entry(a.clone())
                .or_default()
                .insert(id.clone());
        }
        self.groups.insert(id, group);
    }

    /// The longest run of `words` starting at `start` that is an acronym:
    /// how many words it spans and the groups it names.
    pub fn lookup(&self, words: &[String], start: usize) -> Option<(usize, Vec<&Group>)> {
        let max = self.longest.min(words.len() - start);
        (1..=max).rev().find_map(|n| {
            let key = words[start..start + n].join(" ");
            self.by_alias
                .get(&key)
                .map(|ids| (n, ids.iter().filter_map(|i| self.groups.get(i)).collect()))
        })
    }
}
