//! Small parsed types: slugs, value statuses, dates given as day, month and year.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// An economy's slug: `[a-z0-9-]+`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Slug(String);

impl Slug {
    pub fn parse(s: &str) -> Result<Self, String> {
        if s.is_empty() {
            return Err("is empty (a slug is lower-case letters, digits and hyphens)".into());
        }
        if !s
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            return Err(format!(
                "\"{s}\" is not a slug (only lower-case letters a-z, digits and hyphens)"
            ));
        }
        Ok(Slug(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Slug {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        Slug::parse(&s)
    }
}

impl From<Slug> for String {
    fn from(s: Slug) -> String {
        s.0
    }
}

/// A slug reads as the text it is (`&slug` where a `&str` is wanted).
impl std::ops::Deref for Slug {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl PartialEq<str> for Slug {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for Slug {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl PartialEq<Slug> for String {
    fn eq(&self, other: &Slug) -> bool {
        *self == other.0
    }
}

impl PartialEq<&Slug> for String {
    fn eq(&self, other: &&Slug) -> bool {
        *self == other.0
    }
}

impl AsRef<str> for Slug {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Whether a value has been checked by the board.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    #[default]
    Submitted,
    Verified,
    Rejected,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Submitted => "submitted",
            Status::Verified => "verified",
            Status::Rejected => "rejected",
        }
    }

    /// The status as people read it: a rejected value is "returned" to its economy.
    pub fn words(self) -> &'static str {
        match self {
            Status::Submitted => "submitted",
            Status::Verified => "verified",
            Status::Rejected => "returned",
        }
    }
}

impl FromStr for Status {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let t = s.trim();
        if t.is_empty() || t.eq_ignore_ascii_case("submitted") {
            Ok(Status::Submitted)
        } else if t.eq_ignore_ascii_case("verified") {
            Ok(Status::Verified)
        } else if t.eq_ignore_ascii_case("rejected") {
            Ok(Status::Rejected)
        } else {
            Err(format!(
                "\"{s}\" is not a status (submitted, verified, rejected or empty)"
            ))
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The hand-written date forms agree with chrono's format strings, for every day across
    /// the years the service uses and at the edges of `%Y` (year 0, before it, five digits).
    #[test]
    fn dates_are_written_and_read_as_chrono_does() {
        use chrono::{Datelike, NaiveDate};
        let mut days = Vec::new();
        let mut d = NaiveDate::from_ymd_opt(2012, 1, 1).unwrap();
        while d.year() < 2020 {
            days.push(d);
            d = d.succ_opt().unwrap();
        }
        for (y, m, dd) in [
            (0, 1, 1),
            (-1, 12, 31),
            (-12345, 6, 7),
            (9999, 12, 31),
            (10000, 1, 1),
            (262142, 2, 3),
            (1, 1, 1),
        ] {
            days.push(NaiveDate::from_ymd_opt(y, m, dd).unwrap());
        }
        for d in days {
            assert_eq!(ymd(d), d.format("%Y-%m-%d").to_string());
            assert_eq!(long_date(d), d.format("%-d %B %Y").to_string());
            assert_eq!(parse_ymd(&ymd(d)), Ok(d));
        }
        for text in [
            "2014-03-31",
            " 2014-03-31",
            "2014-03-31 ",
            "2014-3-1",
            "+2014-03-31",
            "02014-03-31",
            "2014-02-30",
            "2014-02-29",
            "2016-02-29",
            "-0001-12-31",
            "+12345-01-01",
            "12345-01-01",
            "2014/03/31",
            "2014-03",
            "",
            "2014-03-31T00:00",
            "31-03-2014",
            "2014--03-31",
            "2014-003-31",
            "2014-13-01",
            "2014-00-10",
            "2014-01-00",
            " 2014 - 03 - 31",
            "2014-03-3１",
        ] {
            assert_eq!(
                parse_ymd(text),
                NaiveDate::parse_from_str(text, "%Y-%m-%d"),
                "{text:?}"
            );
        }
    }

    #[test]
    fn slugs() {
        assert!(Slug::parse("leeds").is_ok());
        assert!(Slug::parse("north-east-2").is_ok());
        assert!(Slug::parse("").is_err());
        assert!(Slug::parse("Leeds").is_err());
        assert!(Slug::parse("a b").is_err());
        assert!(Slug::parse("a_b").is_err());
    }

    #[test]
    fn statuses() {
        assert_eq!("".parse::<Status>().unwrap(), Status::Submitted);
        assert_eq!("Verified".parse::<Status>().unwrap(), Status::Verified);
        assert_eq!("rejected".parse::<Status>().unwrap(), Status::Rejected);
        assert!("approved".parse::<Status>().is_err());
    }
}

/// A count with its noun in the GOV.UK style: "1 value", "2 values", "1,204 values" (never
/// "value(s)").
pub fn count(n: impl TryInto<u64>, one: &str, many: &str) -> String {
    let n: u64 = n.try_into().unwrap_or(0);
    let digits = n.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{grouped} {}", if n == 1 { one } else { many })
}

/// A date in the GOV.UK style: "1 April 2014" (what chrono's `%-d %B %Y` writes).
pub fn long_date(d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    const MONTHS: [&str; 12] = [
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
    format!(
        "{} {} {}",
        d.day(),
        MONTHS[d.month0() as usize],
        year(d.year())
    )
}

/// A year as chrono's `%Y` writes it: four digits, with a sign outside 0 to 9999.
fn year(y: i32) -> String {
    if (0..=9999).contains(&y) {
        format!("{y:04}")
    } else {
        format!("{y:+05}")
    }
}

/// A date as `YYYY-MM-DD` (what chrono's `%Y-%m-%d` writes). These two and [`parse_ymd`] keep
/// chrono's format-string machinery out of the islands' wasm, which scores and shows dates.
pub fn ymd(d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    format!("{}-{:02}-{:02}", year(d.year()), d.month(), d.day())
}

/// Reads `YYYY-MM-DD` exactly as `NaiveDate::parse_from_str(text, "%Y-%m-%d")` does (the same
/// items, without reading the format string).
pub fn parse_ymd(text: &str) -> chrono::ParseResult<chrono::NaiveDate> {
    use chrono::format::{parse, Item, Numeric, Pad, Parsed};
    const ITEMS: [Item<'static>; 5] = [
        Item::Numeric(Numeric::Year, Pad::Zero),
        Item::Literal("-"),
        Item::Numeric(Numeric::Month, Pad::Zero),
        Item::Literal("-"),
        Item::Numeric(Numeric::Day, Pad::Zero),
    ];
    let mut parsed = Parsed::new();
    parse(&mut parsed, text, ITEMS.iter())?;
    parsed.to_naive_date()
}

/// A date from the three boxes of the NHS.UK date input. `Err` says what is wrong in the
/// design system's words ("The date must include a month", "The date must be a real date").
pub fn date_from_parts(day: &str, month: &str, year: &str) -> Result<chrono::NaiveDate, String> {
    let (d, m, y) = (day.trim(), month.trim(), year.trim());
    let missing: Vec<&str> = [("a day", d), ("a month", m), ("a year", y)]
        .iter()
        .filter(|(_, v)| v.is_empty())
        .map(|(n, _)| *n)
        .collect();
    match missing.len() {
        3 => return Err("Enter the date".into()),
        1 => return Err(format!("The date must include {}", missing[0])),
        2 => {
            return Err(format!(
                "The date must include {} and {}",
                missing[0], missing[1]
            ))
        }
        _ => {}
    }
    let number = |s: &str| s.parse::<u32>().ok();
    match (number(d), number(m), number(y)) {
        (Some(d), Some(m), Some(y)) if (1000..=9999).contains(&y) => {
            chrono::NaiveDate::from_ymd_opt(y as i32, m, d)
                .ok_or_else(|| "The date must be a real date".into())
        }
        (_, _, Some(y)) if !(1000..=9999).contains(&y) => {
            Err("The year must include 4 numbers".into())
        }
        _ => Err("The date must be a real date".into()),
    }
}

/// The date an optional NHS.UK date input posted as `{name}-day`, `{name}-month` and
/// `{name}-year`, each read with `get`: `Ok(None)` when all three boxes are empty.
pub fn posted_date(
    get: impl Fn(&str) -> String,
    name: &str,
) -> Result<Option<chrono::NaiveDate>, String> {
    let [d, m, y] = ["day", "month", "year"].map(|p| get(&format!("{name}-{p}")));
    if [&d, &m, &y].iter().all(|s| s.trim().is_empty()) {
        return Ok(None);
    }
    date_from_parts(&d, &m, &y).map(Some)
}

#[cfg(test)]
mod date_tests {
    use super::{count, date_from_parts};

    #[test]
    fn a_count_says_its_noun_in_the_singular_or_the_plural() {
        assert_eq!(count(1u64, "value", "values"), "1 value");
        assert_eq!(count(0usize, "value", "values"), "0 values");
        assert_eq!(count(1204u32, "trust", "trusts"), "1,204 trusts");
        assert_eq!(
            count(2i64, "piece of evidence", "pieces of evidence"),
            "2 pieces of evidence"
        );
    }

    #[test]
    fn a_date_from_its_parts_says_what_is_missing_or_wrong() {
        assert_eq!(
            date_from_parts("2", "4", "2015").unwrap().to_string(),
            "2015-04-02"
        );
        assert_eq!(date_from_parts(" ", "", "").unwrap_err(), "Enter the date");
        assert_eq!(
            date_from_parts("2", "", "2015").unwrap_err(),
            "The date must include a month"
        );
        assert_eq!(
            date_from_parts("", "", "2015").unwrap_err(),
            "The date must include a day and a month"
        );
        assert_eq!(
            date_from_parts("31", "2", "2015").unwrap_err(),
            "The date must be a real date"
        );
        assert_eq!(
            date_from_parts("1", "x", "2015").unwrap_err(),
            "The date must be a real date"
        );
        assert_eq!(
            date_from_parts("1", "4", "15").unwrap_err(),
            "The year must include 4 numbers"
        );
    }
}
