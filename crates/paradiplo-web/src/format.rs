//! Numbers and dates as Québec French and English write them.

use paradiplo_core::{Lang, PartialDate};

/// "1 234" in French (non-breaking space), "1,234" in English.
pub fn format_count(n: i64, lang: Lang) -> String {
    let digits = n.unsigned_abs().to_string();
    let sep = match lang {
        Lang::Fr => '\u{a0}',
        Lang::En => ',',
    };
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// The date part of a stored timestamp, for readers: "23 juillet 2021".
pub fn format_timestamp_date(timestamp: &str, lang: Lang) -> Option<String> {
    PartialDate::parse(timestamp.get(..10)?)
        .ok()
        .map(|d| d.display(lang))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts() {
        assert_eq!(format_count(1234, Lang::Fr), "1\u{a0}234");
        assert_eq!(format_count(1234567, Lang::En), "1,234,567");
        assert_eq!(format_count(70, Lang::Fr), "70");
    }

    #[test]
    fn dates() {
        assert_eq!(
            format_timestamp_date("2021-07-23T10:00:00.000000Z", Lang::Fr).unwrap(),
            "23 juillet 2021"
        );
        assert_eq!(
            format_timestamp_date("2021-07-01T10:00:00.000000Z", Lang::Fr).unwrap(),
            "1er juillet 2021"
        );
        assert!(format_timestamp_date("bad", Lang::Fr).is_none());
    }
}
