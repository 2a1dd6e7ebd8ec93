//! Bar times: parsing dates and timestamps from files and the command line into UTC
//! epoch seconds, and printing them back.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, Utc};

/// Parses `YYYY-MM-DD` (midnight UTC), `YYYY-MM-DD HH:MM[:SS]`, `YYYY-MM-DDTHH:MM[:SS]`
/// (UTC) or RFC 3339 into epoch seconds.
pub fn parse_ts(text: &str) -> Option<i64> {
    let t = text.trim();
    if let Ok(d) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        return d.and_hms_opt(0, 0, 0).map(|dt| dt.and_utc().timestamp());
    }
    for fmt in ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M"] {
        if let Ok(dt) = NaiveDateTime::parse_from_str(t, fmt) {
            return Some(dt.and_utc().timestamp());
        }
    }
    DateTime::parse_from_rfc3339(t).ok().map(|dt| dt.timestamp())
}

/// Prints a bar time: the date for daily bars, RFC 3339 UTC otherwise.
pub fn format_ts(ts: i64, freq: &str) -> String {
    let Some(dt) = DateTime::<Utc>::from_timestamp(ts, 0) else {
        return ts.to_string();
    };
    if freq.ends_with('d') || freq.ends_with('w') || freq.ends_with("mo") {
        // By hand rather than through strftime: a daily job prints millions of these.
        let d = dt.date_naive();
        let (y, m, day) = (d.year(), d.month(), d.day());
        if !(0..=9999).contains(&y) {
            return dt.format("%Y-%m-%d").to_string();
        }
        let digit = |v: u32| char::from(b'0' + (v % 10) as u8);
        let y = y as u32;
        let mut out = String::with_capacity(10);
        out.extend([digit(y / 1000), digit(y / 100), digit(y / 10), digit(y), '-']);
        out.extend([digit(m / 10), digit(m), '-', digit(day / 10), digit(day)]);
        out
    } else {
        dt.format("%Y-%m-%dT%H:%M:%SZ").to_string()
    }
}

/// The last second of day `YYYY-MM-DD` (UTC), as epoch seconds.
pub fn parse_day_end(s: &str) -> Result<i64, String> {
    let day =
        chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| format!("expected YYYY-MM-DD, got `{s}`"))?;
    let end = day.and_hms_opt(23, 59, 59).ok_or_else(|| format!("no such day `{s}`"))?;
    Ok(end.and_utc().timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_times_round_trip() {
        let d = parse_ts("2000-03-01").unwrap();
        assert_eq!(d, 951_868_800);
        assert_eq!(format_ts(d, "1d"), "2000-03-01");
        assert_eq!(format_ts(parse_ts("0999-12-31").unwrap(), "1d"), "0999-12-31");
        assert_eq!(format_ts(parse_ts("2026-11-22").unwrap(), "1w"), "2026-11-22");
        let t = parse_ts("2024-01-02 09:45").unwrap();
        assert_eq!(format_ts(t, "15m"), "2024-01-02T09:45:00Z");
        assert_eq!(parse_ts("2024-01-02T09:45:00+08:00"), Some(t - 8 * 3600));
        assert_eq!(parse_ts("2024-13-01"), None);
        assert_eq!(parse_ts("yesterday"), None);
    }
}
