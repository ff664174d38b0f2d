//! Numbers and dates as Québec French and English write them, and text as
//! each output format needs it (CSV cells, XML, iCalendar).

use paradiplo_core::{Lang, PartialDate};
use std::borrow::Cow;

/// A CSV cell a spreadsheet cannot run as a formula: a text beginning with
/// `= + - @`, a tab or a carriage return gets a leading apostrophe (OWASP's
/// advice). A plain number such as `-73.57` stays a number. Used by every
/// CSV the application writes, staff and open data.
pub fn csv_cell(s: &str) -> Cow<'_, str> {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) && !is_plain_number(s) {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

/// `-12`, `+3.5`, `-0.25`: a sign, digits and at most one decimal point.
fn is_plain_number(s: &str) -> bool {
    let digits = s.strip_prefix(['-', '+']).unwrap_or(s);
    let mut parts = digits.splitn(2, '.');
    let whole = parts.next().unwrap_or("");
    let frac = parts.next();
    !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
}

/// Text that XML 1.0 accepts: the characters XML forbids (controls other
/// than tab, line feed and carriage return; U+FFFE, U+FFFF) are dropped, so
/// a feed stays well-formed even for a text stored before records refused
/// them. Escaping `& < >` is left to the XML writer.
pub fn xml_text(s: &str) -> Cow<'_, str> {
    let allowed = |c: char| {
        matches!(c, '\t' | '\n' | '\r')
            || (!c.is_ascii_control() && c != '\u{FFFE}' && c != '\u{FFFF}')
    };
    if s.chars().all(allowed) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.chars().filter(|c| allowed(*c)).collect())
    }
}

/// Text for an iCalendar TEXT value (RFC 5545 §3.3.11): line ends become a
/// single line feed, which the calendar writer escapes as `\n` together with
/// `\ ; ,`; other control characters (which TEXT excludes) are dropped.
pub fn ical_text(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| c.is_control() && c != '\t' && c != '\n') {
        return Cow::Borrowed(s);
    }
    let unified = s.replace("\r\n", "\n").replace('\r', "\n");
    Cow::Owned(
        unified
            .chars()
            .filter(|c| !c.is_control() || matches!(c, '\t' | '\n'))
            .collect(),
    )
}

/// "1 234" in French (non-breaking space), "1,234" in English.
pub fn format_count(n: i64, lang: Lang) -> String {
    paradiplo_core::typography::format_count(n.into(), lang)
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
    fn csv_cells_cannot_be_formulas() {
        for (raw, cell) in [
            ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"),
            ("+1+2", "'+1+2"),
            ("-1+cmd", "'-1+cmd"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
            ("-73.57", "-73.57"),
            ("+3", "+3"),
            ("-", "'-"),
            ("Bavière", "Bavière"),
            ("", ""),
        ] {
            assert_eq!(csv_cell(raw), cell, "{raw:?}");
        }
    }

    #[test]
    fn xml_and_icalendar_texts_lose_forbidden_characters() {
        assert_eq!(xml_text("a\u{0}b\u{1e}c\td\ne\u{FFFF}"), "abc\td\ne");
        assert!(matches!(xml_text("propre"), Cow::Borrowed(_)));
        assert_eq!(ical_text("a\r\nb\rc\u{5}d\te"), "a\nb\ncd\te");
        assert!(matches!(ical_text("a\nb"), Cow::Borrowed(_)));
    }

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

/// A file size as readers expect it: "122 Ko", "1,2 Mo" in French; "122 KB",
/// "1.2 MB" in English (units of 1024 bytes, as file managers show them).
pub fn format_size(bytes: u64, lang: Lang) -> String {
    let (byte_unit, kb, mb) = match lang {
        Lang::Fr => ("octets", "Ko", "Mo"),
        Lang::En => ("bytes", "KB", "MB"),
    };
    if bytes < 1024 {
        return format!("{}\u{a0}{byte_unit}", format_count(bytes as i64, lang));
    }
    let k = (bytes as f64 / 1024.0).round() as i64;
    if k < 1000 {
        return format!("{}\u{a0}{kb}", format_count(k, lang));
    }
    let tenths = (bytes as f64 / (1024.0 * 1024.0) * 10.0).round() as i64;
    let (whole, frac) = (tenths / 10, tenths % 10);
    let sep = match lang {
        Lang::Fr => ',',
        Lang::En => '.',
    };
    if frac == 0 {
        format!("{}\u{a0}{mb}", format_count(whole, lang))
    } else {
        format!("{}{sep}{frac}\u{a0}{mb}", format_count(whole, lang))
    }
}

/// The short name of a file type ("PDF") from its media type.
pub fn media_label(media_type: &str) -> &str {
    match media_type {
        "application/pdf" => "PDF",
        "text/plain" => "TXT",
        "text/markdown" => "Markdown",
        "text/html" => "HTML",
        "text/csv" => "CSV",
        "application/vnd.oasis.opendocument.text" => "ODT",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => "DOCX",
        "image/png" => "PNG",
        "image/jpeg" => "JPEG",
        "image/svg+xml" => "SVG",
        other => other,
    }
}

/// A percentage rounded to the unit: "85 %" in French (non-breaking space), "85%" in English.
pub fn format_percent(part: usize, whole: usize, lang: Lang) -> String {
    let p = if whole == 0 {
        0
    } else {
        ((part as f64) * 100.0 / (whole as f64)).round() as i64
    };
    match lang {
        Lang::Fr => format!("{p}\u{a0}%"),
        Lang::En => format!("{p}%"),
    }
}

#[cfg(test)]
mod size_tests {
    use super::*;

    #[test]
    fn sizes_in_french_and_english() {
        assert_eq!(format_size(3661, Lang::Fr), "4\u{a0}Ko");
        assert_eq!(format_size(124_928, Lang::Fr), "122\u{a0}Ko");
        assert_eq!(format_size(900, Lang::Fr), "900\u{a0}octets");
        assert_eq!(format_size(1_258_291, Lang::Fr), "1,2\u{a0}Mo");
        assert_eq!(format_size(1_258_291, Lang::En), "1.2\u{a0}MB");
        assert_eq!(format_size(2_097_152, Lang::En), "2\u{a0}MB");
        assert_eq!(format_size(1_500, Lang::En), "1\u{a0}KB");
        assert_eq!(media_label("application/pdf"), "PDF");
        assert_eq!(format_percent(33, 41, Lang::Fr), "80\u{a0}%");
        assert_eq!(format_percent(33, 41, Lang::En), "80%");
        assert_eq!(format_percent(1, 0, Lang::En), "0%");
    }
}
