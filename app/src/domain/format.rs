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

/// A score to one decimal place, or an en dash for none.
pub fn score(n: Option<f64>) -> String {
    n.map(|n| format!("{n:.1}")).unwrap_or_else(|| "–".into())
}

/// A percentage share to one decimal place.
pub fn percent(n: f64) -> String {
    format!("{n:.1}%")
}

#[cfg(test)]
mod tests {
    use super::*;

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
    }
}
