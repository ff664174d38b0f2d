//! Country and region names from CLDR (ICU4X display names, data compiled
//! into the binary): « Corée du Sud », « États-Unis », never the ISO list's
//! "Korea (Republic of)". Every ISO 3166-1 code has a name in French and in
//! English (a test goes through them all).

use crate::lang::Lang;
use icu_experimental::displaynames::DisplayNamesOptions;
use icu_experimental::displaynames::multi::RegionDisplayNames;
use icu_locale_core::subtags::Region;
use std::collections::HashMap;
use std::sync::LazyLock;

/// The names of every ISO 3166-1 code in Canadian French (CLDR `fr-CA`,
/// falling back to `fr`) and Canadian English (`en-CA`, falling back to
/// `en`), read once from the compiled CLDR data. The display-names object
/// itself is not shareable between threads; the names it gives are.
static NAMES: LazyLock<HashMap<Lang, HashMap<&'static str, String>>> = LazyLock::new(|| {
    let mut names = HashMap::new();
    for (lang, locale) in [
        (Lang::Fr, icu_locale_core::locale!("fr-CA")),
        (Lang::En, icu_locale_core::locale!("en-CA")),
    ] {
        let display = RegionDisplayNames::try_new(locale.into(), DisplayNamesOptions::default())
            .expect("the compiled data holds region names");
        for code in rust_iso3166::ALL_ALPHA2 {
            if let Some(name) = Region::try_from_str(code).ok().and_then(|r| display.of(r)) {
                names
                    .entry(lang)
                    .or_insert_with(HashMap::new)
                    .insert(*code, name.to_string());
            }
        }
    }
    names
});

/// The CLDR name of an ISO 3166-1 alpha-2 code in `lang`; None for a code
/// ISO or CLDR does not know.
pub fn region_name(code: &str, lang: Lang) -> Option<&'static str> {
    NAMES.get(&lang)?.get(code).map(String::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_iso_3166_1_code_has_a_french_and_an_english_name() {
        for code in rust_iso3166::ALL_ALPHA2 {
            for lang in Lang::ALL {
                let name = region_name(code, lang).unwrap_or("");
                assert!(!name.trim().is_empty(), "{code} in {lang:?}");
                assert!(!name.contains("Republic of)"), "{code}: {name}");
            }
        }
    }

    #[test]
    fn names_read_as_french_and_english_readers_expect() {
        assert_eq!(region_name("KR", Lang::Fr), Some("Corée du Sud"));
        assert_eq!(region_name("KR", Lang::En), Some("South Korea"));
        assert_eq!(region_name("FR", Lang::Fr), Some("France"));
        assert_eq!(region_name("CH", Lang::Fr), Some("Suisse"));
        assert_eq!(region_name("US", Lang::Fr), Some("États-Unis"));
        assert_eq!(region_name("IN", Lang::Fr), Some("Inde"));
        assert_eq!(region_name("DE", Lang::En), Some("Germany"));
        assert_eq!(region_name("XX", Lang::Fr), None);
        assert_eq!(region_name("", Lang::Fr), None);
    }
}
