//! Calendar quarters, written `YYYY-Qn`.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// A calendar quarter: 2014-Q1 is January to March 2014.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quarter {
    year: i32,
    q: u8,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("\"{0}\" is not a quarter (expected YYYY-Qn, n from 1 to 4)")]
pub struct QuarterParseError(pub String);

impl Quarter {
    /// A quarter from its year (1000..=9999) and number (1..=4).
    pub fn new(year: i32, q: u8) -> Option<Self> {
        ((1000..=9999).contains(&year) && (1..=4).contains(&q)).then_some(Quarter { year, q })
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn number(self) -> u8 {
        self.q
    }

    /// The quarter that contains a date.
    pub fn containing(date: NaiveDate) -> Self {
        Quarter {
            year: date.year(),
            q: (date.month0() / 3 + 1) as u8,
        }
    }

    /// The first day of the quarter.
    pub fn start_date(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, u32::from(self.q - 1) * 3 + 1, 1)
            .expect("a quarter always starts on a valid date")
    }

    /// The last day of the quarter (Q1 03-31, Q2 06-30, Q3 09-30, Q4 12-31).
    pub fn end_date(self) -> NaiveDate {
        let (m, d) = match self.q {
            1 => (3, 31),
            2 => (6, 30),
            3 => (9, 30),
            _ => (12, 31),
        };
        NaiveDate::from_ymd_opt(self.year, m, d).expect("a quarter always ends on a valid date")
    }

    pub fn next(self) -> Self {
        if self.q == 4 {
            Quarter {
                year: self.year + 1,
                q: 1,
            }
        } else {
            Quarter {
                year: self.year,
                q: self.q + 1,
            }
        }
    }

    pub fn prev(self) -> Self {
        if self.q == 1 {
            Quarter {
                year: self.year - 1,
                q: 4,
            }
        } else {
            Quarter {
                year: self.year,
                q: self.q - 1,
            }
        }
    }

    /// Every quarter from `self` to `last`, both included (empty when `last` is earlier).
    pub fn through(self, last: Quarter) -> impl Iterator<Item = Quarter> {
        let mut next = Some(self);
        std::iter::from_fn(move || {
            let q = next?;
            if q > last {
                return None;
            }
            next = Some(q.next());
            Some(q)
        })
    }

    /// A readable label such as "January to March 2014".
    pub fn label(self) -> String {
        let months = match self.q {
            1 => "January to March",
            2 => "April to June",
            3 => "July to September",
            _ => "October to December",
        };
        format!("{months} {}", self.year)
    }
}

impl fmt::Display for Quarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-Q{}", self.year, self.q)
    }
}

impl FromStr for Quarter {
    type Err = QuarterParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || QuarterParseError(s.to_string());
        let b = s.as_bytes();
        if b.len() != 7 || b[4] != b'-' || b[5] != b'Q' || !b[..4].iter().all(u8::is_ascii_digit) {
            return Err(err());
        }
        let year: i32 = s[..4].parse().map_err(|_| err())?;
        let q = match b[6] {
            b'1'..=b'4' => b[6] - b'0',
            _ => return Err(err()),
        };
        Quarter::new(year, q).ok_or_else(err)
    }
}

impl Serialize for Quarter {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Quarter {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_and_prints() {
        let q: Quarter = "2014-Q1".parse().unwrap();
        assert_eq!(q.to_string(), "2014-Q1");
        assert_eq!(q.end_date(), NaiveDate::from_ymd_opt(2014, 3, 31).unwrap());
        assert_eq!(
            "2014-Q4".parse::<Quarter>().unwrap().end_date(),
            NaiveDate::from_ymd_opt(2014, 12, 31).unwrap()
        );
    }

    #[test]
    fn refuses_bad_forms() {
        for bad in [
            "2014-Q5",
            "2014-Q0",
            "2014Q1",
            "14-Q1",
            "2014-q1",
            "",
            "2014-Q1 ",
            "０１２３-Q1",
        ] {
            assert!(bad.parse::<Quarter>().is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn steps_across_years() {
        let q: Quarter = "2013-Q4".parse().unwrap();
        assert_eq!(q.next().to_string(), "2014-Q1");
        assert_eq!(q.next().prev(), q);
        let all: Vec<String> = q
            .through("2014-Q2".parse().unwrap())
            .map(|q| q.to_string())
            .collect();
        assert_eq!(all, ["2013-Q4", "2014-Q1", "2014-Q2"]);
    }

    #[test]
    fn containing_date() {
        let d = NaiveDate::from_ymd_opt(2015, 4, 20).unwrap();
        assert_eq!(Quarter::containing(d).to_string(), "2015-Q2");
    }

    proptest! {
        #[test]
        fn round_trips(year in 1000i32..=9999, q in 1u8..=4) {
            let quarter = Quarter::new(year, q).unwrap();
            prop_assert_eq!(quarter.to_string().parse::<Quarter>().unwrap(), quarter);
            prop_assert!(quarter.start_date() < quarter.end_date());
            prop_assert_eq!(Quarter::containing(quarter.end_date()), quarter);
        }
    }
}
