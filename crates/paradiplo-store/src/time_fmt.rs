use time::OffsetDateTime;
use time::format_description::FormatItem;
use time::macros::format_description;

/// Timestamps are stored as fixed-width UTC text, so that they sort as text
/// identically in SQLite and PostgreSQL.
const FORMAT: &[FormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]Z");

pub fn format_timestamp(t: OffsetDateTime) -> String {
    t.to_offset(time::UtcOffset::UTC)
        .format(FORMAT)
        .expect("timestamp formats")
}

pub fn now_timestamp() -> String {
    format_timestamp(OffsetDateTime::now_utc())
}

#[cfg(test)]
mod tests {
    #[test]
    fn fixed_width() {
        let t = time::macros::datetime!(2021-07-23 09:05:00 UTC);
        assert_eq!(super::format_timestamp(t), "2021-07-23T09:05:00.000000Z");
    }
}
