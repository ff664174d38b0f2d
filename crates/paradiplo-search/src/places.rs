//! Place names and the words made from them: « Europe » and « européenne »,
//! « Bavière » and « bavarois », "Bavaria" and "Bavarian".
//!
//! Stemmers cut endings; they do not relate a place to its adjective, so
//! « accord commercial europe » would miss the agreement with the « Union
//! européenne ». Demonyms are part of the language, not of the registry (no
//! record lists them), and no maintained crate provides them for French; this
//! short list covers the world regions, the countries and the best-known
//! partner regions of the registry. A form listed here finds the others.

use crate::analysis::Analyzers;
use std::collections::HashMap;

/// One group a line: the place in French, its adjectives, then the same in
/// English.
const GROUPS: &str = "
europe européen européenne européens européennes european europeans
amérique amériques américain américaine américains américaines america americas american americans
afrique africain africaine africains africaines africa african africans
asie asiatique asiatiques asia asian asians
francophonie francophone francophones
québec québécois québécoise québécoises quebecer quebecers quebecker quebeckers
canada canadien canadienne canadiens canadiennes canadian canadians
france français française françaises french
allemagne allemand allemande allemands allemandes germany german germans
bavière bavarois bavaroise bavaroises bavaria bavarian bavarians
autriche autrichien autrichienne autrichiens autrichiennes austria austrian austrians
belgique belge belges belgium belgian belgians
flandre flandres flamand flamande flamands flamandes flanders flemish
wallonie wallon wallonne wallons wallonnes wallonia walloon walloons
bruxelles bruxellois bruxelloise bruxelloises brussels
catalogne catalan catalane catalans catalanes catalonia catalonian
espagne espagnol espagnole espagnols espagnoles spain spanish
italie italien italienne italiens italiennes italy italian italians
suisse suisses switzerland swiss
écosse écossais écossaise écossaises scotland scottish
mexique mexicain mexicaine mexicains mexicaines mexico mexican mexicans
brésil brésilien brésilienne brésiliens brésiliennes brazil brazilian brazilians
chine chinois chinoise chinoises china chinese
japon japonais japonaise japonaises japan japanese
israël israélien israélienne israéliens israéliennes israel israeli israelis
sénégal sénégalais sénégalaise sénégalaises senegal senegalese
californie californien californienne californiens californiennes california californian californians
ontario ontarien ontarienne ontariens ontariennes ontarian ontarians
";

fn groups() -> impl Iterator<Item = Vec<&'static str>> {
    GROUPS
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>())
        .filter(|g| !g.is_empty())
}

/// The groups, looked up by any form folded (no accents, lower case).
#[derive(Debug, Default)]
pub struct Places {
    by_form: HashMap<String, usize>,
    groups: Vec<Vec<&'static str>>,
}

impl Places {
    pub fn new(analyzers: &mut Analyzers) -> Places {
        let mut by_form = HashMap::new();
        let mut all = Vec::new();
        for (i, group) in groups().enumerate() {
            for form in &group {
                for t in analyzers.folded(form) {
                    by_form.insert(t.text, i);
                }
            }
            all.push(group);
        }
        Places {
            by_form,
            groups: all,
        }
    }

    /// The other forms of the place or adjective `folded`, if it is one.
    pub fn others(&self, folded: &str) -> Vec<&'static str> {
        let Some(&i) = self.by_form.get(folded) else {
            return Vec::new();
        };
        self.groups[i].clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_form_finds_its_group_without_accents() {
        let p = Places::new(&mut Analyzers::default());
        for form in ["europe", "Européenne", "europeen", "European"] {
            assert!(
                p.others(&form.to_lowercase().replace('é', "e"))
                    .contains(&"européen")
            );
        }
        assert!(p.others("bavarois").contains(&"bavière"));
        assert!(p.others("accord").is_empty());
    }

    #[test]
    fn no_form_is_in_two_groups() {
        let mut an = Analyzers::default();
        let mut seen: HashMap<String, usize> = HashMap::new();
        for (i, group) in groups().enumerate() {
            for form in group {
                for t in an.folded(form) {
                    if let Some(j) = seen.insert(t.text.clone(), i) {
                        assert_eq!(i, j, "{} in two groups", t.text);
                    }
                }
            }
        }
    }
}
