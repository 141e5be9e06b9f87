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
            assert_eq!(parse_ymd(&ymd(d)), Some(d));
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
                NaiveDate::parse_from_str(text, "%Y-%m-%d").ok(),
                "{text:?}"
            );
        }
    }

    proptest::proptest! {
        /// Any text of the characters a date is made of reads as chrono reads it.
        #[test]
        fn a_date_reads_as_chrono_reads_it(text in "[0-9 +\\-]{0,14}") {
            proptest::prop_assert_eq!(
                parse_ymd(&text),
                chrono::NaiveDate::parse_from_str(&text, "%Y-%m-%d").ok()
            );
        }

        #[test]
        fn a_date_like_text_reads_as_chrono_reads_it(
            y in "[ +\\-]?[0-9]{1,6}", m in " ?[0-9]{1,3}", d in " ?[0-9]{1,3}", tail in "( |x|0)?"
        ) {
            let text = format!("{y}-{m}-{d}{tail}");
            proptest::prop_assert_eq!(
                parse_ymd(&text),
                chrono::NaiveDate::parse_from_str(&text, "%Y-%m-%d").ok()
            );
        }

        /// The syntax checked before the browser reads a number is Rust's.
        #[test]
        fn float_syntax_is_rusts(text in "[0-9.eE+\\-]{0,8}|[+\\-]?(inf|nan|infinity|INF)") {
            let rust = text.parse::<f64>();
            let special = ["inf", "infinity", "nan"]
                .contains(&text.trim_start_matches(['+', '-']).to_ascii_lowercase().as_str());
            proptest::prop_assert_eq!(float_syntax(&text) || special, rust.is_ok());
            proptest::prop_assert_eq!(parse_f64(&text).map(f64::to_bits), rust.ok().map(f64::to_bits));
        }

        /// Numbers are written with one decimal place as Rust's formatting writes them.
        #[test]
        fn one_decimal_is_what_formatting_writes(bits in proptest::prelude::any::<u64>()) {
            let x = f64::from_bits(bits);
            proptest::prop_assert_eq!(one_decimal(x), format!("{x:.1}"));
        }

        #[test]
        fn one_decimal_of_a_score_is_what_formatting_writes(
            tenths in -20000i64..20000, hundredths in 0u8..10, offset in -2i8..=2
        ) {
            // Near the halves, where rounding decides: 12.25, 12.35 and their neighbours.
            let x = (tenths as f64 / 10.0 + f64::from(hundredths) / 100.0) + f64::from(offset) * f64::EPSILON;
            proptest::prop_assert_eq!(one_decimal(x), format!("{x:.1}"));
        }
    }

    #[test]
    fn one_decimal_at_the_edges() {
        for x in [
            0.0,
            -0.0,
            0.05,
            0.15,
            0.25,
            0.35,
            62.25,
            99.95,
            100.0,
            -0.04,
            1e-300,
            5e-324,
            f64::MAX,
            f64::MIN,
            1e22,
            1e23,
            2f64.powi(70),
            9007199254740993.0,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            0.1 + 0.2,
        ] {
            assert_eq!(one_decimal(x), format!("{x:.1}"), "{x:e}");
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

/// Reads `YYYY-MM-DD` exactly as `NaiveDate::parse_from_str(text, "%Y-%m-%d")` does (`None`
/// where chrono gives an error), by hand: chrono's parser is about 5% of an islands bundle.
/// As chrono reads these items: space may come before each number, a year has up to four
/// digits unless it has a sign (then any number), a month and a day up to two; nothing may
/// follow the day.
pub fn parse_ymd(text: &str) -> Option<chrono::NaiveDate> {
    /// A number at the start of `s` (after space): up to `width` digits, or with a sign when
    /// `signed` any number of them. What follows it, and its value.
    fn number(s: &str, width: usize, signed: bool) -> Option<(&str, i64)> {
        let s = s.trim_start();
        let (negative, s, width) = match s.as_bytes().first() {
            Some(b'-') if signed => (true, &s[1..], usize::MAX),
            Some(b'+') if signed => (false, &s[1..], usize::MAX),
            _ => (false, s, width),
        };
        let digits = s
            .bytes()
            .take(width)
            .take_while(|b| b.is_ascii_digit())
            .count();
        if digits == 0 {
            return None;
        }
        let mut n = 0i64;
        for b in s[..digits].bytes() {
            n = n.checked_mul(10)?.checked_add(i64::from(b - b'0'))?;
        }
        Some((&s[digits..], if negative { -n } else { n }))
    }
    let (rest, year) = number(text, 4, true)?;
    let (rest, month) = number(rest.strip_prefix('-')?, 2, false)?;
    let (rest, day) = number(rest.strip_prefix('-')?, 2, false)?;
    if !rest.is_empty() {
        return None;
    }
    chrono::NaiveDate::from_ymd_opt(
        i32::try_from(year).ok()?,
        u32::try_from(month).ok()?,
        u32::try_from(day).ok()?,
    )
}

/// `text.parse::<f64>().ok()`. In the browser the text is checked against Rust's syntax
/// for it here and the number read by JavaScript's `parseFloat`, which rounds as Rust does
/// (correctly): Rust's own reader brings about 6 KB gzip of tables and code to each islands
/// bundle.
pub fn parse_f64(text: &str) -> Option<f64> {
    #[cfg(all(feature = "hydrate", target_arch = "wasm32"))]
    {
        let body = text.strip_prefix(['+', '-']).unwrap_or(text);
        let negative = text.starts_with('-');
        if body.eq_ignore_ascii_case("inf") || body.eq_ignore_ascii_case("infinity") {
            return Some(if negative {
                f64::NEG_INFINITY
            } else {
                f64::INFINITY
            });
        }
        if body.eq_ignore_ascii_case("nan") {
            return Some(f64::NAN);
        }
        float_syntax(text).then(|| js_sys::parse_float(text))
    }
    #[cfg(not(all(feature = "hydrate", target_arch = "wasm32")))]
    {
        text.parse().ok()
    }
}

/// Whether `text` is a number as Rust's `f64` reader takes it, leaving aside `inf`,
/// `infinity` and `nan`: a sign, digits with a point somewhere among them, an exponent.
#[cfg_attr(
    not(any(test, all(feature = "hydrate", target_arch = "wasm32"))),
    allow(dead_code)
)]
fn float_syntax(text: &str) -> bool {
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let body = text.strip_prefix(['+', '-']).unwrap_or(text);
    let (number, exponent) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    digits(whole)
        && digits(fraction)
        && !(whole.is_empty() && fraction.is_empty())
        && exponent.is_none_or(|e| {
            let e = e.strip_prefix(['+', '-']).unwrap_or(e);
            !e.is_empty() && digits(e)
        })
}

/// A number as `format!("{x:.1}")` writes it (rounded half to even on its exact binary value,
/// "-" for any negative, "NaN", "inf"), without the float formatting machinery, which is
/// about a tenth of an islands bundle.
pub fn one_decimal(x: f64) -> String {
    let sign = if x.is_sign_negative() { "-" } else { "" };
    if x.is_nan() {
        return "NaN".into();
    }
    if x.is_infinite() {
        return format!("{sign}inf");
    }
    let bits = x.to_bits();
    let exponent = ((bits >> 52) & 0x7ff) as i32;
    let fraction = bits & ((1 << 52) - 1);
    // |x| = mantissa * 2^power exactly.
    let (mantissa, power) = if exponent == 0 {
        (fraction, -1074)
    } else {
        (fraction | (1 << 52), exponent - 1075)
    };
    let tens = u128::from(mantissa) * 10;
    if power >= 0 {
        // A whole number: its digits, then ".0".
        return format!("{sign}{}.0", whole_number_digits(mantissa, power as u32));
    }
    let shift = (-power) as u32;
    // |x| * 10 rounded half to even: below 2^-128 it is 0 (never a half: tens < 2^58).
    let tenths = if shift >= 128 {
        0
    } else {
        let whole = tens >> shift;
        let rest = tens & ((1u128 << shift) - 1);
        let half = 1u128 << (shift - 1);
        if rest > half || (rest == half && whole % 2 == 1) {
            whole + 1
        } else {
            whole
        }
    };
    // Below 2^53, so tenths < 2^58: u64 (u128's formatting would be more code in the wasm).
    let tenths = tenths as u64;
    format!("{sign}{}.{}", tenths / 10, tenths % 10)
}

/// The decimal digits of mantissa * 2^power (any f64's whole part), in base 10^9 limbs.
fn whole_number_digits(mantissa: u64, power: u32) -> String {
    const BASE: u64 = 1_000_000_000;
    let mut limbs = vec![
        mantissa % BASE,
        (mantissa / BASE) % BASE,
        mantissa / BASE / BASE,
    ];
    for _ in 0..power {
        let mut carry = 0;
        for limb in limbs.iter_mut() {
            let v = *limb * 2 + carry;
            *limb = v % BASE;
            carry = v / BASE;
        }
        if carry > 0 {
            limbs.push(carry);
        }
    }
    while limbs.len() > 1 && limbs.last() == Some(&0) {
        limbs.pop();
    }
    let mut out = limbs.last().map(|l| l.to_string()).unwrap_or_default();
    for limb in limbs.iter().rev().skip(1) {
        out.push_str(&format!("{limb:09}"));
    }
    out
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
