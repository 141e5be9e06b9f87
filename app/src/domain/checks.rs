//! Checks as data is entered: a framework's optional rules per criterion (`[[criteria.checks]]`)
//! that flag an unusual value with the framework's own wording. A check warns; it never
//! refuses a value. The submitter is asked why, and the warning and the answer go with the
//! value to the board's review queue.

pub use super::framework::{Check, Rule};
use super::framework::{Criterion, Kind};
use super::quarter::Quarter;
use serde::{Deserialize, Serialize};

/// A check that a value set off: the framework's wording and what was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    pub message: String,
    /// What was found, in words: "up 45 points from 40% in 2014-Q4".
    pub found: String,
}

/// A number in its shortest form, as the rest of the service writes them ("-0" as "0").
fn num(n: f64) -> String {
    if n == 0.0 {
        "0".into()
    } else {
        format!("{n}")
    }
}

/// A stored value as a number for the numeric rules: a percentage from 0 to 100, a level,
/// yes (1) or no (0). Anything else (a value the form would refuse) is `None`. (The full
/// parser is `files::parse_value`; the framework's types come before it, so it is not
/// used here.)
fn number(kind: &Kind, value: &str) -> Option<f64> {
    let v = value.trim();
    match kind {
        Kind::Percentage(_) => v
            .parse::<f64>()
            .ok()
            .filter(|n| n.is_finite() && (0.0..=100.0).contains(n)),
        Kind::Level(_) => v.parse::<u32>().ok().map(f64::from),
        Kind::Boolean => match v.to_ascii_lowercase().as_str() {
            "yes" | "true" | "1" => Some(1.0),
            "no" | "false" | "0" => Some(0.0),
            _ => None,
        },
        Kind::Date(_) => None,
    }
}

/// A value as people read it in a warning.
fn shown(kind: &Kind, value: &str) -> String {
    match kind {
        Kind::Percentage(_) => format!("{value}%"),
        Kind::Level(_) => format!("level {value}"),
        Kind::Boolean => match number(kind, value) {
            Some(n) if n > 0.5 => "yes".into(),
            _ => "no".into(),
        },
        Kind::Date(_) if value.is_empty() => "not yet achieved".into(),
        Kind::Date(_) => chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d")
            .map(super::types::long_date)
            .unwrap_or_else(|_| value.to_string()),
    }
}

/// The warnings `value` (canonical, for `period`) sets off for criterion `c`, given the
/// economy's value of the quarter before (`previous`), if it has one. A value that does not
/// parse sets off nothing here: the form refuses it on its own.
pub fn warnings(
    c: &Criterion,
    period: Quarter,
    value: &str,
    previous: Option<&str>,
) -> Vec<Warning> {
    let before = period.prev();
    let mut out = Vec::new();
    for check in &c.checks {
        let found = match check.rule {
            Rule::MaxChange { amount } => {
                let (Some(prev), Some(now)) = (
                    previous.and_then(|p| number(&c.kind, p)),
                    number(&c.kind, value),
                ) else {
                    continue;
                };
                let change = now - prev;
                (change.abs() > amount + 1e-9).then(|| {
                    let unit = match c.kind {
                        Kind::Level(_) => "levels",
                        _ => "points",
                    };
                    format!(
                        "{} {} {unit} from {} in {before}",
                        if change > 0.0 { "up" } else { "down" },
                        num(change.abs()),
                        shown(&c.kind, previous.unwrap_or_default()),
                    )
                })
            }
            Rule::NoFall => {
                let Some(prev) = previous else { continue };
                let fell = match c.kind {
                    Kind::Date(_) => {
                        let parse = |v: &str| chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d").ok();
                        match (parse(prev), parse(value)) {
                            (Some(p), Some(n)) => n > p,
                            (Some(_), None) => value.is_empty(),
                            _ => false,
                        }
                    }
                    _ => match (number(&c.kind, prev), number(&c.kind, value)) {
                        (Some(p), Some(n)) => n < p - 1e-9,
                        _ => false,
                    },
                };
                fell.then(|| {
                    format!(
                        "{} in {before}, {} now",
                        shown(&c.kind, prev),
                        shown(&c.kind, value)
                    )
                })
            }
            Rule::Range { min, max } => {
                let Some(now) = number(&c.kind, value) else {
                    continue;
                };
                let low = min.is_some_and(|m| now < m - 1e-9);
                let high = max.is_some_and(|m| now > m + 1e-9);
                (low || high).then(|| {
                    format!(
                        "{} is outside the usual range ({})",
                        shown(&c.kind, value),
                        match (min, max) {
                            (Some(a), Some(b)) => format!("{} to {}", num(a), num(b)),
                            (Some(a), None) => format!("at least {}", num(a)),
                            (_, Some(b)) => format!("at most {}", num(b)),
                            (None, None) => String::new(),
                        }
                    )
                })
            }
        };
        if let Some(found) = found {
            out.push(Warning {
                message: check.message.clone(),
                found,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::framework::Evidence;

    fn criterion(kind: Kind, checks: Vec<Check>) -> Criterion {
        Criterion {
            code: "X".into(),
            theme: "t".into(),
            title: "X".into(),
            kind,
            weight: 1.0,
            gate: false,
            stage: None,
            guidance: None,
            evidence: Evidence::None,
            checks,
        }
    }

    fn check(rule: Rule) -> Check {
        Check {
            rule,
            message: "Unusual".into(),
        }
    }

    fn q() -> Quarter {
        "2015-Q1".parse().unwrap()
    }

    #[test]
    fn max_change_fires_only_beyond_the_amount_either_way() {
        let c = criterion(
            Kind::Percentage(90.0),
            vec![check(Rule::MaxChange { amount: 20.0 })],
        );
        assert!(
            warnings(&c, q(), "60", Some("40")).is_empty(),
            "exactly 20 is allowed"
        );
        let w = warnings(&c, q(), "60.5", Some("40"));
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].found, "up 20.5 points from 40% in 2014-Q4");
        assert_eq!(w[0].message, "Unusual");
        assert_eq!(
            warnings(&c, q(), "10", Some("40"))[0].found,
            "down 30 points from 40% in 2014-Q4"
        );
        assert!(
            warnings(&c, q(), "90", None).is_empty(),
            "no quarter before"
        );
        let l = criterion(Kind::Level(5), vec![check(Rule::MaxChange { amount: 1.0 })]);
        assert_eq!(
            warnings(&l, q(), "4", Some("1"))[0].found,
            "up 3 levels from level 1 in 2014-Q4"
        );
    }

    #[test]
    fn no_fall_reads_each_kind() {
        let p = criterion(Kind::Percentage(90.0), vec![check(Rule::NoFall)]);
        assert!(warnings(&p, q(), "50", Some("50")).is_empty());
        assert!(warnings(&p, q(), "51", Some("50")).is_empty());
        assert_eq!(
            warnings(&p, q(), "49.5", Some("50"))[0].found,
            "50% in 2014-Q4, 49.5% now"
        );
        let b = criterion(Kind::Boolean, vec![check(Rule::NoFall)]);
        assert!(warnings(&b, q(), "yes", Some("no")).is_empty());
        assert_eq!(
            warnings(&b, q(), "no", Some("yes"))[0].found,
            "yes in 2014-Q4, no now"
        );
        let d = criterion(
            Kind::Date("2014-04-01".parse().unwrap()),
            vec![check(Rule::NoFall)],
        );
        assert!(warnings(&d, q(), "2014-03-01", Some("2014-03-01")).is_empty());
        assert!(warnings(&d, q(), "2014-02-01", Some("2014-03-01")).is_empty());
        assert!(warnings(&d, q(), "2014-03-01", Some("")).is_empty());
        assert_eq!(
            warnings(&d, q(), "", Some("2014-03-01"))[0].found,
            "1 March 2014 in 2014-Q4, not yet achieved now"
        );
        assert_eq!(warnings(&d, q(), "2014-05-01", Some("2014-03-01")).len(), 1);
        assert!(warnings(&d, q(), "", None).is_empty());
    }

    #[test]
    fn range_needs_no_quarter_before() {
        let c = criterion(
            Kind::Percentage(90.0),
            vec![check(Rule::Range {
                min: Some(5.0),
                max: None,
            })],
        );
        assert!(warnings(&c, q(), "5", None).is_empty());
        assert_eq!(
            warnings(&c, q(), "2", None)[0].found,
            "2% is outside the usual range (at least 5)"
        );
        let both = criterion(
            Kind::Level(5),
            vec![check(Rule::Range {
                min: Some(1.0),
                max: Some(4.0),
            })],
        );
        assert_eq!(
            warnings(&both, q(), "5", Some("4"))[0].found,
            "level 5 is outside the usual range (1 to 4)"
        );
    }

    #[test]
    fn several_checks_each_warn_and_bad_values_set_off_nothing() {
        let c = criterion(
            Kind::Percentage(90.0),
            vec![check(Rule::NoFall), check(Rule::MaxChange { amount: 10.0 })],
        );
        assert_eq!(warnings(&c, q(), "20", Some("80")).len(), 2);
        assert!(warnings(&c, q(), "lots", Some("80")).is_empty());
        assert!(warnings(&c, q(), "20", Some("garbled")).is_empty());
    }

    #[test]
    fn rules_apply_to_their_kinds() {
        assert!(Rule::applies_to("no-fall", &Kind::Boolean));
        assert!(Rule::applies_to("max-change", &Kind::Level(3)));
        assert!(!Rule::applies_to("max-change", &Kind::Boolean));
        assert!(!Rule::applies_to(
            "range",
            &Kind::Date("2014-04-01".parse().unwrap())
        ));
    }
}
