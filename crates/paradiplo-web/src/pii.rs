//! Masks personal information in free text before it is stored: e-mail
//! addresses, phone numbers (North American and international), long digit
//! runs (social insurance, card and account numbers), Canadian postal
//! codes, US ZIP+4 codes and Québec health insurance numbers. Written by
//! hand (no regex engine in the build), pinned by tests in French and
//! English.

/// What replaces each kind of personal data.
pub struct Masks<'a> {
    pub email: &'a str,
    pub phone: &'a str,
    pub postal: &'a str,
    pub number: &'a str,
}

fn is_email_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '+' | '%')
}

fn mask_emails(text: &str, mask: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let mut last = 0;
    while i < chars.len() {
        // "@" or the spelled-out " at " / " arobase " are not handled: only real addresses.
        if chars[i] == '@' {
            let mut s = i;
            while s > 0 && is_email_char(chars[s - 1]) {
                s -= 1;
            }
            let mut e = i + 1;
            while e < chars.len() && is_email_char(chars[e]) {
                e += 1;
            }
            // Trailing dots belong to the sentence.
            while e > i + 1 && chars[e - 1] == '.' {
                e -= 1;
            }
            let domain: String = chars[i + 1..e].iter().collect();
            if s < i && domain.contains('.') && s >= last {
                out.extend(&chars[last..s]);
                out.push_str(mask);
                last = e;
                i = e;
                continue;
            }
        }
        i += 1;
    }
    out.extend(&chars[last..]);
    out
}

/// Runs of digits with phone-like separators: masked when they hold 7 or
/// more digits (a local number "555-1234" up to card numbers).
fn mask_digit_runs(text: &str, phone: &str, number: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let starts = chars[i].is_ascii_digit()
            || (chars[i] == '+' && chars.get(i + 1).is_some_and(|c| c.is_ascii_digit()))
            || (chars[i] == '(' && chars.get(i + 1).is_some_and(|c| c.is_ascii_digit()));
        let after_word = i > 0 && chars[i - 1].is_alphanumeric();
        if starts && !after_word {
            let mut e = i;
            let mut digits = 0;
            let mut separators = 0;
            let mut last_digit = i;
            while e < chars.len() {
                let c = chars[e];
                if c.is_ascii_digit() {
                    digits += 1;
                    last_digit = e;
                } else if matches!(c, ' ' | '-' | '.' | '(' | ')' | '+' | '\u{a0}') {
                    // Two separators in a row end the run ("2005 - 2006" stays).
                    if e > i && !chars[e - 1].is_ascii_digit() && chars[e - 1] != ')' && c != '(' {
                        break;
                    }
                    separators += 1;
                } else {
                    break;
                }
                e += 1;
            }
            let end = last_digit + 1;
            let run: String = chars[i..end].iter().collect();
            let b = run.as_bytes();
            let is_year_range = digits == 8 && b.len() == 9 && b[4] == b'-';
            let is_iso_date = digits == 8 && b.len() == 10 && b[4] == b'-' && b[7] == b'-';
            let keep =
                digits < 7 || is_year_range || is_iso_date || (digits == 8 && separators == 0);
            if !keep {
                out.push_str(if digits >= 13 || separators == 0 {
                    number
                } else {
                    phone
                });
                i = end;
                continue;
            }
            out.extend(&chars[i..end.max(i + 1)]);
            i = end.max(i + 1);
            continue;
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// Canadian postal codes ("H2X 1Y4", "h2x1y4"), US ZIP+4 ("12345-6789"),
/// Québec health insurance numbers ("ABCD 1234 5678").
fn mask_codes(text: &str, postal: &str, number: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let boundary = |j: usize| j >= chars.len() || !chars[j].is_alphanumeric();
    while i < chars.len() {
        let start_ok = i == 0 || !chars[i - 1].is_alphanumeric();
        if start_ok {
            // A1A 1A1
            let pat = |j: usize, k: usize| -> bool {
                let c = chars.get(j + k).copied().unwrap_or(' ');
                if k.is_multiple_of(2) {
                    c.is_ascii_alphabetic()
                } else {
                    c.is_ascii_digit()
                }
            };
            let first3 = (0..3).all(|k| pat(i, k));
            if first3 {
                let mut j = i + 3;
                if chars
                    .get(j)
                    .is_some_and(|c| *c == ' ' || *c == '-' || *c == '\u{a0}')
                {
                    j += 1;
                }
                let last3 = (0..3).all(|k| {
                    let c = chars.get(j + k).copied().unwrap_or(' ');
                    if k.is_multiple_of(2) {
                        c.is_ascii_digit()
                    } else {
                        c.is_ascii_alphabetic()
                    }
                });
                if last3 && boundary(j + 3) {
                    out.push_str(postal);
                    i = j + 3;
                    continue;
                }
            }
            // ABCD 1234 5678
            if (0..4).all(|k| chars.get(i + k).is_some_and(|c| c.is_ascii_alphabetic())) {
                let mut j = i + 4;
                let mut ok = true;
                for _ in 0..2 {
                    if chars.get(j).is_some_and(|c| *c == ' ' || *c == '-') {
                        j += 1;
                    }
                    if (0..4).all(|k| chars.get(j + k).is_some_and(|c| c.is_ascii_digit())) {
                        j += 4;
                    } else {
                        ok = false;
                    }
                }
                if ok && boundary(j) {
                    out.push_str(number);
                    i = j;
                    continue;
                }
            }
            // 12345-6789
            if (0..5).all(|k| chars.get(i + k).is_some_and(|c| c.is_ascii_digit()))
                && chars.get(i + 5) == Some(&'-')
                && (6..10).all(|k| chars.get(i + k).is_some_and(|c| c.is_ascii_digit()))
                && boundary(i + 10)
            {
                out.push_str(postal);
                i += 10;
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// Masks every kind of personal data this module knows.
pub fn mask(text: &str, masks: &Masks) -> String {
    let t = mask_emails(text, masks.email);
    let t = mask_codes(&t, masks.postal, masks.number);
    mask_digit_runs(&t, masks.phone, masks.number)
}

#[cfg(test)]
mod tests {
    use super::*;

    const M: Masks = Masks {
        email: "[courriel]",
        phone: "[téléphone]",
        postal: "[code postal]",
        number: "[numéro]",
    };

    #[test]
    fn masks_emails() {
        assert_eq!(
            mask("Écrivez à jean.tremblay+qc@exemple.gouv.qc.ca.", &M),
            "Écrivez à [courriel]."
        );
        assert_eq!(
            mask("mail me: Ann_O@mail.example.com please", &M),
            "mail me: [courriel] please"
        );
        assert_eq!(
            mask("le @ seul et a@b restent", &M),
            "le @ seul et a@b restent"
        );
    }

    #[test]
    fn masks_phone_numbers() {
        assert_eq!(
            mask("Appelez le 514 555-1234 svp", &M),
            "Appelez le [téléphone] svp"
        );
        assert_eq!(mask("(418) 555-0199", &M), "[téléphone]");
        assert_eq!(
            mask("call +1 (514) 555.1234 now", &M),
            "call [téléphone] now"
        );
        assert_eq!(mask("tél. : +33 1 23 45 67 89", &M), "tél. : [téléphone]");
        assert_eq!(mask("1-800-555-0000", &M), "[téléphone]");
        assert_eq!(mask("local 555-1234", &M), "local [téléphone]");
        assert_eq!(mask("NAS 123 456 789", &M), "NAS [téléphone]");
        assert_eq!(mask("card 4111111111111111", &M), "card [numéro]");
    }

    #[test]
    fn keeps_dates_years_and_small_numbers() {
        for keep in [
            "Signé en 2005, en vigueur de 2006-2010.",
            "Entre 2005 et 2024, 84 voix contre 5.",
            "Le 10 novembre 2005 à 14 h 30",
            "Page 12 of 30, item 1234.",
            "2005-11-10",
        ] {
            assert_eq!(mask(keep, &M), keep);
        }
    }

    #[test]
    fn masks_postal_codes_and_health_numbers() {
        assert_eq!(
            mask("J'habite au H2X 1Y4, Montréal", &M),
            "J'habite au [code postal], Montréal"
        );
        assert_eq!(mask("code g1r4s9.", &M), "code [code postal].");
        assert_eq!(mask("ZIP 12345-6789", &M), "ZIP [code postal]");
        assert_eq!(mask("RAMQ TREJ 1234 5678", &M), "RAMQ [numéro]");
        // Words that merely look alike are kept.
        assert_eq!(mask("The A1 road and B2B", &M), "The A1 road and B2B");
    }
}
