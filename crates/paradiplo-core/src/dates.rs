//! Dates as the sources give them: a day, a month or a year, or one of them
//! qualified as approximate ("vers 1980"), uncertain ("1965-11, probably the
//! 24th"), a range ("late September 2013"), or a bound ("no later than
//! 1980"). Every date is an interval of days [earliest, latest]: sorting,
//! filters and the as-of view use the interval, never its first day alone.
//!
//! The written form follows EDTF (ISO 8601-2, level 1): `1980~`,
//! `1965-11-24?`, `2013-09-20/2013-09-30`, `../1980`, `1980/..`.

use crate::error::Problem;
use crate::lang::Lang;
use serde::{Deserialize, Deserializer, Serialize, Serializer, de};
use std::fmt;
use time::{Date, Duration, Month};

/// How far an approximate day may be from the day written.
pub const APPROXIMATE_DAYS: i64 = 7;

/// A day, a month or a year, as written in a source, without qualifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DatePoint {
    Year(i32),
    Month(i32, u8),
    Day(Date),
}

fn ymd(y: i32, m: u8, d: u8) -> Option<Date> {
    Date::from_calendar_date(y, Month::try_from(m).ok()?, d).ok()
}

fn last_of_month(y: i32, m: u8) -> Option<Date> {
    let month = Month::try_from(m).ok()?;
    ymd(y, m, month.length(y))
}

/// The month `delta` months away from (y, m).
fn shift_month(y: i32, m: u8, delta: i32) -> (i32, u8) {
    let index = y * 12 + i32::from(m) - 1 + delta;
    (index.div_euclid(12), (index.rem_euclid(12) + 1) as u8)
}

impl DatePoint {
    /// `1989`, `2024-03` or `2005-11-10`.
    pub fn parse(raw: &str) -> Result<DatePoint, Problem> {
        if raw.is_empty() {
            return Err(Problem::Required);
        }
        let parts: Vec<&str> = raw.split('-').collect();
        let num = |s: &str, len: usize| -> Option<u32> {
            (s.len() == len && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse().ok())
                .flatten()
        };
        let year = parts
            .first()
            .and_then(|y| num(y, 4))
            .ok_or(Problem::InvalidDate)? as i32;
        if year < 1000 {
            return Err(Problem::InvalidDate);
        }
        let month = |raw: &str| {
            num(raw, 2)
                .filter(|m| (1..=12).contains(m))
                .map(|m| m as u8)
                .ok_or(Problem::InvalidDate)
        };
        match parts.len() {
            1 => Ok(DatePoint::Year(year)),
            2 => Ok(DatePoint::Month(year, month(parts[1])?)),
            3 => {
                let d = num(parts[2], 2).ok_or(Problem::InvalidDate)?;
                ymd(year, month(parts[1])?, d as u8)
                    .map(DatePoint::Day)
                    .ok_or(Problem::InvalidDate)
            }
            _ => Err(Problem::InvalidDate),
        }
    }

    pub fn year(&self) -> i32 {
        match *self {
            DatePoint::Year(y) | DatePoint::Month(y, _) => y,
            DatePoint::Day(d) => d.year(),
        }
    }

    /// The first day the point may denote.
    pub fn earliest(&self) -> Date {
        match *self {
            DatePoint::Year(y) => ymd(y, 1, 1),
            DatePoint::Month(y, m) => ymd(y, m, 1),
            DatePoint::Day(d) => Some(d),
        }
        .unwrap_or(Date::MIN)
    }

    /// The last day the point may denote.
    pub fn latest(&self) -> Date {
        match *self {
            DatePoint::Year(y) => ymd(y, 12, 31),
            DatePoint::Month(y, m) => last_of_month(y, m),
            DatePoint::Day(d) => Some(d),
        }
        .unwrap_or(Date::MAX)
    }

    /// The interval of "about this date": one year or one month on either
    /// side, or [`APPROXIMATE_DAYS`] around a day.
    fn about(&self) -> (Date, Date) {
        match *self {
            DatePoint::Year(y) => (
                ymd(y - 1, 1, 1).unwrap_or(Date::MIN),
                ymd(y + 1, 12, 31).unwrap_or(Date::MAX),
            ),
            DatePoint::Month(y, m) => {
                let (py, pm) = shift_month(y, m, -1);
                let (ny, nm) = shift_month(y, m, 1);
                (
                    ymd(py, pm, 1).unwrap_or(Date::MIN),
                    last_of_month(ny, nm).unwrap_or(Date::MAX),
                )
            }
            DatePoint::Day(d) => (
                d.checked_sub(Duration::days(APPROXIMATE_DAYS))
                    .unwrap_or(Date::MIN),
                d.checked_add(Duration::days(APPROXIMATE_DAYS))
                    .unwrap_or(Date::MAX),
            ),
        }
    }

    /// The interval of "probably this date": a probable day lies in its
    /// month, a probable month in its year, a probable year within a year.
    fn probably(&self) -> (Date, Date) {
        match *self {
            DatePoint::Day(d) => {
                let m = DatePoint::Month(d.year(), d.month() as u8);
                (m.earliest(), m.latest())
            }
            DatePoint::Month(y, _) => {
                let y = DatePoint::Year(y);
                (y.earliest(), y.latest())
            }
            DatePoint::Year(_) => self.about(),
        }
    }

    /// "23 juillet 2021" / "July 23, 2021", "1er juillet" for the first day
    /// of a month in French, "mars 2024", "1989".
    pub fn display(&self, lang: Lang) -> String {
        match (*self, lang) {
            (DatePoint::Year(y), _) => y.to_string(),
            (DatePoint::Month(y, m), _) => format!("{} {y}", month_name(m, lang)),
            (DatePoint::Day(d), Lang::Fr) => {
                let day = if d.day() == 1 {
                    "1er".to_string()
                } else {
                    d.day().to_string()
                };
                format!("{day} {} {}", month_name(d.month() as u8, lang), d.year())
            }
            (DatePoint::Day(d), Lang::En) => format!(
                "{} {}, {}",
                month_name(d.month() as u8, lang),
                d.day(),
                d.year()
            ),
        }
    }

    /// In French after a word such as « probablement »: « le 24 novembre
    /// 1965 », « en mars 1980 », « en 1980 »; English adds nothing.
    fn with_article(&self, lang: Lang) -> String {
        match (self, lang) {
            (DatePoint::Day(_), Lang::Fr) => format!("le {}", self.display(lang)),
            (_, Lang::Fr) => format!("en {}", self.display(lang)),
            (_, Lang::En) => self.display(lang),
        }
    }

    /// In French, « le » before a day only (« vers le 24 novembre », « vers 1980 »).
    fn with_day_article(&self, lang: Lang) -> String {
        match (self, lang) {
            (DatePoint::Day(_), Lang::Fr) => format!("le {}", self.display(lang)),
            _ => self.display(lang),
        }
    }
}

impl fmt::Display for DatePoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            DatePoint::Year(y) => write!(f, "{y:04}"),
            DatePoint::Month(y, m) => write!(f, "{y:04}-{m:02}"),
            DatePoint::Day(d) => {
                write!(f, "{:04}-{:02}-{:02}", d.year(), d.month() as u8, d.day())
            }
        }
    }
}

/// A date as the sources give it. `Year`, `Month` and `Day` are plain; the
/// other forms carry their qualifier, shown to readers with the date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PartialDate {
    Year(i32),
    Month(i32, u8),
    Day(Date),
    /// « vers 1980 » / "c. 1980": `1980~`.
    Approximate(DatePoint),
    /// « probablement le 24 novembre 1965 »: `1965-11-24?`.
    Uncertain(DatePoint),
    /// Some day from the first to the second: `2013-09-20/2013-09-30`.
    Between(DatePoint, DatePoint),
    /// On or before: `../1980`.
    NotAfter(DatePoint),
    /// On or after: `1980/..`.
    NotBefore(DatePoint),
}

/// Whether something dated had happened by a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DayCertainty {
    /// The day is before the earliest day the date may denote.
    NotYet,
    /// The day falls inside the date's interval: it may or may not have happened.
    Uncertain,
    /// The day is on or after the latest day the date may denote.
    Certain,
}

impl From<DatePoint> for PartialDate {
    fn from(p: DatePoint) -> PartialDate {
        match p {
            DatePoint::Year(y) => PartialDate::Year(y),
            DatePoint::Month(y, m) => PartialDate::Month(y, m),
            DatePoint::Day(d) => PartialDate::Day(d),
        }
    }
}

impl PartialDate {
    /// Reads the written form (see the module's documentation).
    pub fn parse(raw: &str) -> Result<PartialDate, Problem> {
        if raw.is_empty() {
            return Err(Problem::Required);
        }
        if let Some(rest) = raw.strip_prefix("../") {
            return Ok(PartialDate::NotAfter(DatePoint::parse(rest)?));
        }
        if let Some(rest) = raw.strip_suffix("/..") {
            return Ok(PartialDate::NotBefore(DatePoint::parse(rest)?));
        }
        if let Some((a, b)) = raw.split_once('/') {
            let (a, b) = (DatePoint::parse(a)?, DatePoint::parse(b)?);
            // The range's first date ends before its second begins.
            return if a.latest() < b.earliest() {
                Ok(PartialDate::Between(a, b))
            } else {
                Err(Problem::InvalidDate)
            };
        }
        if let Some(rest) = raw.strip_suffix('~') {
            return Ok(PartialDate::Approximate(DatePoint::parse(rest)?));
        }
        if let Some(rest) = raw.strip_suffix('?') {
            return Ok(PartialDate::Uncertain(DatePoint::parse(rest)?));
        }
        DatePoint::parse(raw).map(PartialDate::from)
    }

    /// The date as written, without its qualifier: the range's first date,
    /// the bound of a bound.
    pub fn point(&self) -> DatePoint {
        match *self {
            PartialDate::Year(y) => DatePoint::Year(y),
            PartialDate::Month(y, m) => DatePoint::Month(y, m),
            PartialDate::Day(d) => DatePoint::Day(d),
            PartialDate::Approximate(p)
            | PartialDate::Uncertain(p)
            | PartialDate::Between(p, _)
            | PartialDate::NotAfter(p)
            | PartialDate::NotBefore(p) => p,
        }
    }

    /// True for a plain day, month or year (no qualifier).
    pub fn is_plain(&self) -> bool {
        matches!(
            self,
            PartialDate::Year(_) | PartialDate::Month(..) | PartialDate::Day(_)
        )
    }

    /// The year of the date as written (of a range, its first).
    pub fn year(&self) -> i32 {
        self.point().year()
    }

    /// The days the date may denote, both inclusive.
    pub fn interval(&self) -> (Date, Date) {
        match *self {
            PartialDate::Year(_) | PartialDate::Month(..) | PartialDate::Day(_) => {
                let p = self.point();
                (p.earliest(), p.latest())
            }
            PartialDate::Approximate(p) => p.about(),
            PartialDate::Uncertain(p) => p.probably(),
            PartialDate::Between(a, b) => (a.earliest(), b.latest()),
            PartialDate::NotAfter(p) => (Date::MIN, p.latest()),
            PartialDate::NotBefore(p) => (p.earliest(), Date::MAX),
        }
    }

    /// The first day the date may denote; used to order dates of unequal precision.
    pub fn earliest(&self) -> Date {
        self.interval().0
    }

    /// The last day the date may denote.
    pub fn latest(&self) -> Date {
        self.interval().1
    }

    /// True when `self` certainly comes before `other` (no overlap of the
    /// periods the two dates may denote).
    pub fn certainly_before(&self, other: &PartialDate) -> bool {
        self.latest() < other.earliest()
    }

    /// Whether what happened on this date had happened by `day`: certainly
    /// not before the interval, certainly from its last day on, uncertain
    /// inside it. A year-only date is uncertain all year, never "from 1 January".
    pub fn happened_by(&self, day: Date) -> DayCertainty {
        let (earliest, latest) = self.interval();
        if day < earliest {
            DayCertainty::NotYet
        } else if day >= latest {
            DayCertainty::Certain
        } else {
            DayCertainty::Uncertain
        }
    }

    /// The date written for readers, with its qualifier: « vers 1980 » /
    /// "c. 1980", « probablement le 24 novembre 1965 » / "probably November
    /// 24, 1965", « entre le 20 septembre 2013 et le 30 septembre 2013 »,
    /// « au plus tard en 1980 » / "no later than 1980".
    pub fn display(&self, lang: Lang) -> String {
        let fr = lang == Lang::Fr;
        match *self {
            PartialDate::Year(_) | PartialDate::Month(..) | PartialDate::Day(_) => {
                self.point().display(lang)
            }
            PartialDate::Approximate(p) if fr => format!("vers {}", p.with_day_article(lang)),
            PartialDate::Approximate(p) => format!("c. {}", p.display(lang)),
            PartialDate::Uncertain(p) if fr => format!("probablement {}", p.with_article(lang)),
            PartialDate::Uncertain(p) => format!("probably {}", p.display(lang)),
            PartialDate::Between(a, b) => format!(
                "{} {} {} {}",
                if fr { "entre" } else { "between" },
                a.with_day_article(lang),
                if fr { "et" } else { "and" },
                b.with_day_article(lang)
            ),
            PartialDate::NotAfter(p) if fr => format!("au plus tard {}", p.with_article(lang)),
            PartialDate::NotAfter(p) => format!("no later than {}", p.display(lang)),
            PartialDate::NotBefore(p) if fr => format!("au plus tôt {}", p.with_article(lang)),
            PartialDate::NotBefore(p) => format!("no earlier than {}", p.display(lang)),
        }
    }
}

/// Month names: twelve words in two languages, kept here rather than pulling
/// a CLDR data crate for them (Québec French writes months in lowercase).
pub fn month_name(month: u8, lang: Lang) -> &'static str {
    const FR: [&str; 12] = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ];
    const EN: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let i = (month.clamp(1, 12) - 1) as usize;
    match lang {
        Lang::Fr => FR[i],
        Lang::En => EN[i],
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            PartialDate::Year(_) | PartialDate::Month(..) | PartialDate::Day(_) => {
                write!(f, "{}", self.point())
            }
            PartialDate::Approximate(p) => write!(f, "{p}~"),
            PartialDate::Uncertain(p) => write!(f, "{p}?"),
            PartialDate::Between(a, b) => write!(f, "{a}/{b}"),
            PartialDate::NotAfter(p) => write!(f, "../{p}"),
            PartialDate::NotBefore(p) => write!(f, "{p}/.."),
        }
    }
}

impl PartialOrd for PartialDate {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// By interval (earliest day, then latest day); two dates with the same
/// interval (`1980` and `1980-01-01/1980-12-31`) by their written form.
impl Ord for PartialDate {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.interval()
            .cmp(&other.interval())
            .then_with(|| self.to_string().cmp(&other.to_string()))
    }
}

impl Serialize for PartialDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PartialDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(d)?;
        PartialDate::parse(&raw).map_err(|p| de::Error::custom(p.to_serde_message(&raw)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn day(raw: &str) -> Date {
        match PartialDate::parse(raw).unwrap() {
            PartialDate::Day(d) => d,
            other => panic!("{other:?} is not a day"),
        }
    }

    #[test]
    fn plain_dates() {
        assert_eq!(PartialDate::parse("1989"), Ok(PartialDate::Year(1989)));
        assert_eq!(
            PartialDate::parse("2024-03"),
            Ok(PartialDate::Month(2024, 3))
        );
        assert_eq!(
            PartialDate::parse("2005-11-10").unwrap().to_string(),
            "2005-11-10"
        );
        for bad in [
            "",
            "89",
            "2005-13",
            "2005-02-30",
            "2005-1-10",
            "2005-11-10-1",
            "abcd",
            "1980~~",
            "1980?~",
            "2013-09-30/2013-09-20",
            "2013-09/2013-09-30",
            "../..",
            "1980/",
            "/1980",
        ] {
            assert!(PartialDate::parse(bad).is_err(), "{bad}");
        }
        let y = PartialDate::parse("2005").unwrap();
        let d = PartialDate::parse("2005-11-10").unwrap();
        assert!(!y.certainly_before(&d));
        assert!(PartialDate::parse("2004").unwrap().certainly_before(&d));
    }

    #[test]
    fn plain_dates_in_french_and_english() {
        let d = PartialDate::parse("2021-07-23").unwrap();
        assert_eq!(d.display(Lang::Fr), "23 juillet 2021");
        assert_eq!(d.display(Lang::En), "July 23, 2021");
        let first = PartialDate::parse("2014-01-01").unwrap();
        assert_eq!(first.display(Lang::Fr), "1er janvier 2014");
        assert_eq!(
            PartialDate::parse("2024-03").unwrap().display(Lang::Fr),
            "mars 2024"
        );
    }

    /// The forms the sources give, from the reference agreements: "c. 1980",
    /// "1965-11, probably the 24th" (the France–Québec entente on education,
    /// signed in Paris in November 1965), "late September 2013".
    #[test]
    fn qualified_dates_are_intervals_shown_with_their_marker() {
        let cases = [
            (
                "1980~",
                "vers 1980",
                "c. 1980",
                ("1979-01-01", "1981-12-31"),
            ),
            (
                "1965-11-24?",
                "probablement le 24 novembre 1965",
                "probably November 24, 1965",
                ("1965-11-01", "1965-11-30"),
            ),
            (
                "2013-09-20/2013-09-30",
                "entre le 20 septembre 2013 et le 30 septembre 2013",
                "between September 20, 2013 and September 30, 2013",
                ("2013-09-20", "2013-09-30"),
            ),
            (
                "1980-03~",
                "vers mars 1980",
                "c. March 1980",
                ("1980-02-01", "1980-04-30"),
            ),
            (
                "1965-11-24~",
                "vers le 24 novembre 1965",
                "c. November 24, 1965",
                ("1965-11-17", "1965-12-01"),
            ),
            (
                "1980-12?",
                "probablement en décembre 1980",
                "probably December 1980",
                ("1980-01-01", "1980-12-31"),
            ),
        ];
        for (raw, fr, en, (first, last)) in cases {
            let d = PartialDate::parse(raw).unwrap();
            assert_eq!(d.to_string(), raw);
            assert!(!d.is_plain(), "{raw}");
            assert_eq!(d.display(Lang::Fr), fr);
            assert_eq!(d.display(Lang::En), en);
            assert_eq!(d.interval(), (day(first), day(last)), "{raw}");
        }
        let by = PartialDate::parse("../1980").unwrap();
        assert_eq!(by.display(Lang::Fr), "au plus tard en 1980");
        assert_eq!(by.display(Lang::En), "no later than 1980");
        assert_eq!(by.latest(), day("1980-12-31"));
        let from = PartialDate::parse("2017-09-21/..").unwrap();
        assert_eq!(from.display(Lang::Fr), "au plus tôt le 21 septembre 2017");
        assert_eq!(from.display(Lang::En), "no earlier than September 21, 2017");
        assert_eq!(from.earliest(), day("2017-09-21"));
        assert_eq!(from.year(), 2017);
    }

    #[test]
    fn a_year_only_date_is_uncertain_all_year_never_from_1_january() {
        let y = PartialDate::parse("1989").unwrap();
        assert_eq!(y.happened_by(day("1988-12-31")), DayCertainty::NotYet);
        assert_eq!(y.happened_by(day("1989-01-01")), DayCertainty::Uncertain);
        assert_eq!(y.happened_by(day("1989-12-30")), DayCertainty::Uncertain);
        assert_eq!(y.happened_by(day("1989-12-31")), DayCertainty::Certain);
        let c = PartialDate::parse("1980~").unwrap();
        assert_eq!(c.happened_by(day("1978-12-31")), DayCertainty::NotYet);
        assert_eq!(c.happened_by(day("1980-06-15")), DayCertainty::Uncertain);
        assert_eq!(c.happened_by(day("1982-01-01")), DayCertainty::Certain);
        let d = PartialDate::parse("2005-10-20").unwrap();
        assert_eq!(d.happened_by(day("2005-10-19")), DayCertainty::NotYet);
        assert_eq!(d.happened_by(day("2005-10-20")), DayCertainty::Certain);
    }

    #[test]
    fn dates_sort_by_interval() {
        let mut dates: Vec<PartialDate> = [
            "1981",
            "1980-06-01",
            "1980~",
            "../1979",
            "1980",
            "1980-01-01/1980-12-31",
            "1980/..",
        ]
        .iter()
        .map(|r| PartialDate::parse(r).unwrap())
        .collect();
        dates.sort();
        let order: Vec<String> = dates.iter().map(ToString::to_string).collect();
        assert_eq!(
            order,
            [
                "../1979",
                "1980~",
                "1980",
                "1980-01-01/1980-12-31",
                "1980/..",
                "1980-06-01",
                "1981"
            ]
        );
    }

    fn point() -> impl Strategy<Value = String> {
        (1000i32..3000, 1u8..=12, 1u8..=28, 0..3).prop_map(|(y, m, d, precision)| match precision {
            0 => format!("{y}"),
            1 => format!("{y}-{m:02}"),
            _ => format!("{y}-{m:02}-{d:02}"),
        })
    }

    proptest! {
        #[test]
        fn every_form_round_trips_and_holds_its_point(p in point(), q in point(), form in 0..6) {
            let raw = match form {
                0 => p.clone(),
                1 => format!("{p}~"),
                2 => format!("{p}?"),
                3 => format!("../{p}"),
                4 => format!("{p}/.."),
                _ => format!("{p}/{q}"),
            };
            match PartialDate::parse(&raw) {
                Ok(parsed) => {
                    prop_assert_eq!(parsed.to_string(), raw.clone());
                    let (earliest, latest) = parsed.interval();
                    prop_assert!(earliest <= latest);
                    let point = DatePoint::parse(&p).unwrap();
                    prop_assert!(earliest <= point.earliest() && point.latest() <= latest);
                    prop_assert!(!parsed.display(Lang::Fr).is_empty());
                }
                Err(_) => {
                    // Only a range whose dates run backwards or overlap is refused.
                    let (a, b) = (DatePoint::parse(&p).unwrap(), DatePoint::parse(&q).unwrap());
                    prop_assert!(form == 5 && a.latest() >= b.earliest());
                }
            }
        }
    }
}
