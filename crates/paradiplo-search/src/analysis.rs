//! Text analysis: how French and English text becomes index terms.
//!
//! The filter order matters: stop words are removed before accents are
//! folded (the French stop list holds accented words such as « à »), and
//! folding comes before stemming so that "cafe" and "café" share a stem.

use tantivy::Index;
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    StopWordFilter, TextAnalyzer, TokenStream,
};

/// French text: stop words, accent folding, French stems.
pub const FR: &str = "paradiplo_fr";
/// English text: stop words, accent folding, English stems.
pub const EN: &str = "paradiplo_en";
/// Acronyms and short names: lower case and folded, nothing removed or stemmed.
pub const FOLDED: &str = "paradiplo_folded";

/// Tokens longer than this are dropped (URLs pasted in a summary, …).
const MAX_TOKEN: usize = 40;

fn language(lang: Language) -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN))
        .filter(LowerCaser)
        .filter(StopWordFilter::new(lang).expect("tantivy ships French and English stop words"))
        .filter(AsciiFoldingFilter)
        .filter(Stemmer::new(lang))
        .build()
}

fn folded() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// Registers the analyzers on an index (they are not stored in it, so this
/// runs on every open).
pub fn register(index: &Index) {
    let manager = index.tokenizers();
    manager.register(FR, language(Language::French));
    manager.register(EN, language(Language::English));
    manager.register(FOLDED, folded());
}

/// The analyzers, kept ready for query analysis.
#[derive(Clone)]
pub struct Analyzers {
    fr: TextAnalyzer,
    en: TextAnalyzer,
    folded: TextAnalyzer,
}

impl Default for Analyzers {
    fn default() -> Self {
        Analyzers {
            fr: language(Language::French),
            en: language(Language::English),
            folded: folded(),
        }
    }
}

/// A token of analyzed text with its position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tok {
    pub text: String,
    pub position: usize,
    pub from: usize,
    pub to: usize,
}

fn run(analyzer: &mut TextAnalyzer, text: &str) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while stream.advance() {
        let t = stream.token();
        out.push(Tok {
            text: t.text.clone(),
            position: t.position,
            from: t.offset_from,
            to: t.offset_to,
        });
    }
    out
}

impl Analyzers {
    pub fn french(&mut self, text: &str) -> Vec<Tok> {
        run(&mut self.fr, text)
    }
    pub fn english(&mut self, text: &str) -> Vec<Tok> {
        run(&mut self.en, text)
    }
    pub fn folded(&mut self, text: &str) -> Vec<Tok> {
        run(&mut self.folded, text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(t: Vec<Tok>) -> Vec<String> {
        t.into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn french_folds_then_stems() {
        let mut a = Analyzers::default();
        assert_eq!(texts(a.french("Québec")), texts(a.french("quebec")));
        assert_eq!(
            texts(a.french("organisations")),
            texts(a.french("Organisation"))
        );
        assert_eq!(texts(a.french("l’État")), texts(a.french("etat")));
        assert!(a.french("à").is_empty(), "stop word before folding");
        assert_eq!(texts(a.french("énergie")), texts(a.french("Energie")));
    }

    #[test]
    fn folded_keeps_acronyms_whole() {
        let mut a = Analyzers::default();
        assert_eq!(texts(a.folded("OACI")), vec!["oaci"]);
        assert_eq!(texts(a.folded("CGNA-PMEC")), vec!["cgna", "pmec"]);
    }
}
