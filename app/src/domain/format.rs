//! Display formatting: rounding is for display only. Pure, so services and pages share it.

use chrono::NaiveDate;

pub use crate::domain::types::long_date;

/// The day of a stored time (`2015-04-20T10:30:00Z`) in the GOV.UK style: "20 April 2015".
pub fn day_of(at: &str) -> String {
    at.get(..10)
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .map(long_date)
        .unwrap_or_else(|| at.to_string())
}

/// A stored time (`2015-04-20T15:05:00Z`, UTC) in the GOV.UK style: "20 April 2015 at
/// 3:05pm" ("at midday", "at midnight" for those).
pub fn at_time(at: &str) -> String {
    let Ok(t) =
        chrono::NaiveDateTime::parse_from_str(at.get(..19).unwrap_or(at), "%Y-%m-%dT%H:%M:%S")
    else {
        return day_of(at);
    };
    use chrono::Timelike;
    let (h, m) = (t.hour(), t.minute());
    let time = match (h, m) {
        (12, 0) => "midday".to_string(),
        (0, 0) => "midnight".to_string(),
        _ => {
            let h12 = if h % 12 == 0 { 12 } else { h % 12 };
            let half = if h < 12 { "am" } else { "pm" };
            if m == 0 {
                format!("{h12}{half}")
            } else {
                format!("{h12}:{m:02}{half}")
            }
        }
    };
    format!("{} at {time}", long_date(t.date()))
}

/// A score to one decimal place, or an en dash for none.
pub fn score(n: Option<f64>) -> String {
    n.map(|n| format!("{n:.1}")).unwrap_or_else(|| "–".into())
}

/// A file's size as people read it: "120 KB", "2.4 MB".
pub fn file_size(bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} KB", (bytes + 1023) / 1024)
    }
}

/// A percentage share to one decimal place.
pub fn percent(n: f64) -> String {
    format!("{n:.1}%")
}

/// A clause as a sentence: its first letter in capitals ("your economy…" to "Your economy…").
pub fn sentence(clause: &str) -> String {
    let mut chars = clause.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn sentence_capitalises_only_the_first_letter() {
        assert_eq!(
            super::sentence("your economy's lead"),
            "Your economy's lead"
        );
        assert_eq!(super::sentence(""), "");
    }

    use super::*;

    #[test]
    fn file_sizes_read_as_kilobytes_or_megabytes() {
        assert_eq!(file_size(1), "1 KB");
        assert_eq!(file_size(1024 * 1024 - 1), "1024 KB");
        assert_eq!(file_size(2_516_582), "2.4 MB");
    }

    #[test]
    fn formats() {
        assert_eq!(
            long_date(NaiveDate::from_ymd_opt(2014, 4, 1).unwrap()),
            "1 April 2014"
        );
        assert_eq!(score(Some(53.28947368421053)), "53.3");
        assert_eq!(score(None), "–");
        assert_eq!(percent(12.345), "12.3%");
        assert_eq!(day_of("2015-04-20T10:30:00Z"), "20 April 2015");
        assert_eq!(day_of("soon"), "soon");
        assert_eq!(at_time("2015-04-14T15:05:09Z"), "14 April 2015 at 3:05pm");
        assert_eq!(at_time("2015-04-14T09:00:00Z"), "14 April 2015 at 9am");
        assert_eq!(at_time("2015-04-14T12:00:00Z"), "14 April 2015 at midday");
        assert_eq!(at_time("2015-04-14T00:00:00Z"), "14 April 2015 at midnight");
        assert_eq!(
            at_time("2015-04-14T00:30:00.123Z"),
            "14 April 2015 at 12:30am"
        );
        assert_eq!(at_time("2015-04-14"), "14 April 2015");
    }
}
