//! Completeness and timeliness of an economy's reporting, quarter by quarter (as DHIS2 tracks
//! them): how many of the framework's criteria have a value for the quarter, and whether the
//! values came by the quarter's deadline.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Whether a quarter's values came in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Timeliness {
    /// Every value came by the deadline.
    OnTime,
    /// The last value came this many days after the deadline.
    Late(i64),
    /// The deadline has passed with no value.
    Missing,
    /// The deadline has not passed yet.
    Due,
    /// The deadline passed before the economy joined: its values came when it did.
    BeforeJoining,
    /// Values came, but when is not known (loaded from a file and changed since).
    NotKnown,
}

impl Timeliness {
    pub fn words(self) -> String {
        match self {
            Timeliness::OnTime => "On time".into(),
            Timeliness::Late(1) => "1 day late".into(),
            Timeliness::Late(n) => format!("{n} days late"),
            Timeliness::Missing => "Not reported".into(),
            Timeliness::Due => "Not due yet".into(),
            Timeliness::BeforeJoining => "Before it joined".into(),
            Timeliness::NotKnown => "Not known".into(),
        }
    }
}

/// One quarter of an economy's reporting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuarterReporting {
    pub quarter: String,
    pub deadline: NaiveDate,
    /// Criteria of the framework with a value, and how many there are.
    pub reported: usize,
    pub expected: usize,
    /// Values the board returned (reported, but not counting until corrected).
    pub returned: usize,
    pub timeliness: Timeliness,
}

impl QuarterReporting {
    /// Reported values as a share of the criteria, in per cent.
    pub fn completeness(&self) -> f64 {
        if self.expected == 0 {
            0.0
        } else {
            100.0 * self.reported as f64 / self.expected as f64
        }
    }
}

/// A quarter's timeliness: `last` is the day the last of its values whose arrival is known
/// first came, `reported` how many values it has, `joined` the day the economy joined.
pub fn timeliness(
    deadline: NaiveDate,
    joined: NaiveDate,
    last: Option<NaiveDate>,
    reported: usize,
    today: NaiveDate,
) -> Timeliness {
    if deadline < joined {
        return Timeliness::BeforeJoining;
    }
    match last {
        Some(d) if d <= deadline => Timeliness::OnTime,
        Some(d) => Timeliness::Late((d - deadline).num_days()),
        None if reported > 0 => Timeliness::NotKnown,
        None if today > deadline => Timeliness::Missing,
        None => Timeliness::Due,
    }
}

/// One value as it arrived: its quarter, whether the board returned it, and the day it first
/// came when that is known.
#[derive(Debug, Clone, PartialEq)]
pub struct Arrival {
    pub quarter: super::Quarter,
    pub returned: bool,
    pub first: Option<NaiveDate>,
}

/// An economy's reporting for every quarter from `first` through `last` (newest first):
/// `expected` criteria each, deadlines from `deadline`, `arrivals` its criterion values.
pub fn record(
    first: super::Quarter,
    last: super::Quarter,
    expected: usize,
    deadline: impl Fn(super::Quarter) -> NaiveDate,
    joined: NaiveDate,
    arrivals: &[Arrival],
    today: NaiveDate,
) -> Vec<QuarterReporting> {
    let mut out: Vec<QuarterReporting> = first
        .through(last)
        .map(|q| {
            let these: Vec<&Arrival> = arrivals.iter().filter(|a| a.quarter == q).collect();
            let due = deadline(q);
            QuarterReporting {
                quarter: q.to_string(),
                deadline: due,
                reported: these.len().min(expected),
                expected,
                returned: these.iter().filter(|a| a.returned).count(),
                timeliness: timeliness(
                    due,
                    joined,
                    these.iter().filter_map(|a| a.first).max(),
                    these.len(),
                    today,
                ),
            }
        })
        .collect();
    out.reverse();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Quarter;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn timeliness_by_the_last_arrival_against_the_deadline() {
        let deadline = d("2015-01-30");
        let joined = d("2014-10-20");
        let today = d("2015-04-20");
        assert_eq!(
            timeliness(deadline, joined, Some(d("2015-01-30")), 4, today),
            Timeliness::OnTime,
            "on the day"
        );
        assert_eq!(
            timeliness(deadline, joined, Some(d("2015-01-31")), 4, today),
            Timeliness::Late(1)
        );
        assert_eq!(
            timeliness(deadline, joined, None, 0, today),
            Timeliness::Missing
        );
        assert_eq!(
            timeliness(deadline, joined, None, 0, d("2015-01-30")),
            Timeliness::Due,
            "the deadline day itself"
        );
        assert_eq!(
            timeliness(d("2014-07-30"), joined, Some(d("2014-10-30")), 4, today),
            Timeliness::BeforeJoining,
            "history loaded when it joined is not late"
        );
        assert_eq!(
            timeliness(deadline, joined, None, 3, today),
            Timeliness::NotKnown,
            "values whose arrival was not kept"
        );
        assert_eq!(Timeliness::Late(3).words(), "3 days late");
        assert_eq!(Timeliness::Late(1).words(), "1 day late");
    }

    #[test]
    fn a_record_counts_values_returned_and_the_last_arrival_per_quarter() {
        let q3 = Quarter::new(2014, 3).unwrap();
        let q4 = Quarter::new(2014, 4).unwrap();
        let a = |q, returned, first: &str| Arrival {
            quarter: q,
            returned,
            first: Some(d(first)),
        };
        let arrivals = vec![
            a(q3, false, "2014-10-10"),
            a(q3, true, "2014-10-12"),
            a(q4, false, "2015-01-20"),
            a(q4, false, "2015-02-03"),
        ];
        let deadline = |q: Quarter| q.end_date() + chrono::Duration::days(30);
        let r = record(
            q3,
            q4,
            4,
            deadline,
            d("2014-01-01"),
            &arrivals,
            d("2015-04-20"),
        );
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].quarter, "2014-Q4", "newest first");
        assert_eq!((r[0].reported, r[0].expected, r[0].returned), (2, 4, 0));
        assert_eq!(r[0].timeliness, Timeliness::Late(4));
        assert_eq!(r[0].completeness(), 50.0);
        assert_eq!((r[1].reported, r[1].returned), (2, 1));
        assert_eq!(r[1].timeliness, Timeliness::OnTime);
    }
}
