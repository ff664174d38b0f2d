//! Small SVG writing helpers shared by the map and the graph.

use std::fmt::Write;

/// The font stack of every drawing: fonts every reader has.
pub(crate) const FONT: &str = "Arial, Helvetica, sans-serif";

/// A number with at most one decimal, without a trailing ".0".
pub(crate) fn num(v: f64) -> String {
    let tenths = (v * 10.0).round() as i64;
    tenths_str(tenths)
}

/// Tenths as a decimal string: 123 -> "12.3", -5 -> "-0.5", 40 -> "4".
pub(crate) fn tenths_str(t: i64) -> String {
    let sign = if t < 0 { "-" } else { "" };
    let a = t.unsigned_abs();
    if a.is_multiple_of(10) {
        format!("{sign}{}", a / 10)
    } else {
        format!("{sign}{}.{}", a / 10, a % 10)
    }
}

/// Appends numbers to a path, with a separator only where one is needed.
pub(crate) fn push_nums(out: &mut String, nums: &[i64]) {
    for n in nums {
        let s = tenths_str(*n);
        let needs_sep = !s.starts_with('-')
            && out
                .chars()
                .last()
                .is_some_and(|c| c.is_ascii_digit() || c == '.');
        if needs_sep {
            out.push(' ');
        }
        let _ = write!(out, "{s}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short() {
        assert_eq!(num(12.34), "12.3");
        assert_eq!(num(-0.46), "-0.5");
        assert_eq!(num(4.0), "4");
        let mut p = String::from("M");
        push_nums(&mut p, &[10, -25, 30]);
        assert_eq!(p, "M1-2.5 3");
    }
}
