//! Events as iCalendar (RFC 5545), one calendar per language. Events dated
//! only to the year or the month are left out: a calendar entry needs a day,
//! and placing them on the 1st would state a date the sources do not give.

use crate::format::ical_text;
use icalendar::{Calendar, Component, EventLike};
use paradiplo_core::{AnyRecord, Lang, PartialDate};
use paradiplo_store::StoredRecord;

fn day(d: &PartialDate) -> Option<chrono::NaiveDate> {
    match d {
        PartialDate::Day(d) => chrono::NaiveDate::from_ymd_opt(
            d.year(),
            u32::from(u8::from(d.month())),
            u32::from(d.day()),
        ),
        _ => None,
    }
}

/// Parses a stored timestamp (`2021-07-23T10:00:00.000000Z`).
pub fn timestamp(raw: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    chrono::DateTime::parse_from_rfc3339(raw)
        .ok()
        .map(|t| t.with_timezone(&chrono::Utc))
}

/// The calendar of published events; `host` makes the UIDs global.
pub fn render(records: &[StoredRecord], lang: Lang, host: &str, name: &str) -> String {
    let mut cal = Calendar::new();
    cal.name(&ical_text(name));
    for stored in records {
        let AnyRecord::Event(e) = &stored.record else {
            continue;
        };
        let Some(start) = day(&e.start) else { continue };
        let mut event = icalendar::Event::new();
        event
            .uid(&format!("{}@{host}", e.slug))
            .summary(&ical_text(e.title.get(lang)))
            .description(&ical_text(e.summary.get(lang)));
        if let Some(t) = timestamp(&stored.updated_at) {
            event.timestamp(t);
        }
        // All-day events: DTEND is the day after the last day (exclusive).
        let end = e.end.as_ref().and_then(day).unwrap_or(start);
        event.starts(start).ends(end.succ_opt().unwrap_or(end));
        if let Some(place) = &e.place {
            event.location(&ical_text(place.get(lang)));
        }
        let path = crate::paths::Section::Events.record(lang, e.slug.as_str());
        event.url(&format!("{host_url}{path}", host_url = host_url(host)));
        cal.push(event.done());
    }
    cal.done().to_string()
}

fn host_url(host: &str) -> String {
    if host.starts_with("http://") || host.starts_with("https://") {
        host.to_string()
    } else {
        format!("http://{host}")
    }
}
