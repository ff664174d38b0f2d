//! Numbers written as Québec French and English readers expect; the colon
//! rule is [`crate::Lang::colon`]. One place for the portal, the staff
//! workspace and the charts.

use crate::lang::Lang;

/// "1 234" in French (non-breaking space), "1,234" in English.
pub fn format_count(n: i128, lang: Lang) -> String {
    let digits = n.unsigned_abs().to_string();
    let sep = match lang {
        Lang::Fr => '\u{a0}',
        Lang::En => ',',
    };
    let mut out = String::new();
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_colons() {
        assert_eq!(format_count(1234, Lang::Fr), "1\u{a0}234");
        assert_eq!(format_count(-1_234_567, Lang::En), "-1,234,567");
        assert_eq!(format_count(999, Lang::Fr), "999");
        assert_eq!(Lang::Fr.colon(), "\u{a0}: ");
        assert_eq!(Lang::En.colon(), ": ");
        assert_eq!(Lang::Fr.quote("Bavière"), "«\u{a0}Bavière\u{a0}»");
        assert_eq!(Lang::En.quote("Bavaria"), "“Bavaria”");
    }
}
