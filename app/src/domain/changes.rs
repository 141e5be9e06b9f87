//! "What changed since last quarter": every score of an economy that moved from one quarter
//! to the next, and every value behind it that changed, with why: a new value for the quarter,
//! the board verifying, returning or rejecting one, or a change of framework.

use super::framework::Framework;
use super::scoring::{snapshot, Entry, Prepared};
use super::{Quarter, Status};
use serde::{Deserialize, Serialize};

/// A score that moved: its name, before and after.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoreMove {
    pub name: String,
    pub before: f64,
    pub after: f64,
}

/// A value that changed, and why, in words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValueChange {
    pub code: String,
    pub title: String,
    /// The value the scores used before (with its quarter), if any.
    pub before: Option<String>,
    /// The value they use now (with its quarter), if any.
    pub after: Option<String>,
    pub why: String,
}

/// What changed from `as_of.prev()` to `as_of`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuarterChanges {
    pub from: Quarter,
    pub to: Quarter,
    pub scores: Vec<ScoreMove>,
    pub values: Vec<ValueChange>,
    /// The framework the scores use changed in between: when, in words.
    pub framework: Option<String>,
}

/// A review of one of the economy's values: its quarter, criterion, outcome (`verified`,
/// `returned` or `undone`) and reason.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewEvent {
    pub period: Quarter,
    pub code: String,
    pub outcome: String,
    pub reason: Option<String>,
}

/// What changed from the quarter before `as_of` to `as_of` for an economy's `entries` under
/// `fw`; `reviews` are the board's reviews of its values, oldest first; `framework` says when
/// the framework changed, if it did in between.
pub fn quarter_changes(
    fw: &Framework,
    entries: &[Entry],
    reviews: &[ReviewEvent],
    as_of: Quarter,
    framework: Option<String>,
) -> QuarterChanges {
    let from = as_of.prev();
    let shares = fw.shares();
    let prep = Prepared::new(fw, entries);
    let (a, b) = (
        snapshot(fw, &shares, &prep, from),
        snapshot(fw, &shares, &prep, as_of),
    );
    let mut scores = Vec::new();
    let mut moved = |name: &str, before: f64, after: f64| {
        if (after - before).abs() >= 0.05 {
            scores.push(ScoreMove {
                name: name.to_string(),
                before,
                after,
            });
        }
    };
    moved("Overall score", a.overall, b.overall);
    moved(
        "Verified overall score",
        a.verified_overall,
        b.verified_overall,
    );
    for (i, t) in fw.themes.iter().enumerate() {
        moved(&t.name, a.themes[i], b.themes[i]);
    }
    let raw = |code: &str, q: Quarter| {
        entries
            .iter()
            .find(|e| e.code == code && e.period == q)
            .map(|e| {
                format!(
                    "{} ({q})",
                    if e.value.is_empty() {
                        "not yet"
                    } else {
                        &e.value
                    }
                )
            })
    };
    let mut values = Vec::new();
    for (i, c) in fw.criteria.iter().enumerate() {
        let before = prep.effective(i, from);
        let after = prep.effective(i, as_of);
        let review = reviews
            .iter()
            .rev()
            .find(|r| r.code == c.code && r.period == as_of);
        let text = |v: Option<(Quarter, super::files::Parsed, Status)>| {
            v.and_then(|(q, _, s)| {
                entries
                    .iter()
                    .find(|e| e.code == c.code && e.period == q)
                    .map(|e| (e.value.clone(), s == Status::Verified))
            })
        };
        // The same value stated again, no more verified than before, moved nothing.
        let restated = after.is_some_and(|(q, _, _)| q == as_of)
            && match (text(before), text(after)) {
                (Some((a, va)), Some((b, vb))) => a == b && (va || !vb),
                _ => false,
            };
        let why = match (before, after) {
            _ if restated => None,
            (_, Some((q, _, status))) if q == as_of => {
                let base = if before.is_some() {
                    format!("a new value for {as_of}")
                } else {
                    format!("a first value, for {as_of}")
                };
                Some(if status == Status::Verified {
                    format!("{base}, verified by the board")
                } else {
                    format!("{base}, not yet verified")
                })
            }
            // A value for the quarter the board returned does not count until corrected.
            _ => review.filter(|r| r.outcome == "returned").map(|r| {
                format!(
                    "the value for {as_of} was returned by the board{}; until it is corrected, {}",
                    r.reason
                        .as_ref()
                        .map(|x| format!(": {x}"))
                        .unwrap_or_default(),
                    if after.is_some() {
                        "the last one counts"
                    } else {
                        "no value counts"
                    }
                )
            }),
        };
        if let Some(why) = why {
            values.push(ValueChange {
                code: c.code.clone(),
                title: c.title.clone(),
                before: before.and_then(|(q, _, _)| raw(&c.code, q)),
                after: after.and_then(|(q, _, _)| raw(&c.code, q)),
                why,
            });
        }
    }
    QuarterChanges {
        from,
        to: as_of,
        scores,
        values,
        framework,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> Quarter {
        s.parse().unwrap()
    }

    fn e(period: &str, code: &str, value: &str, status: Status) -> Entry {
        Entry {
            period: q(period),
            code: code.into(),
            value: value.into(),
            status,
        }
    }

    fn fw() -> Framework {
        Framework::from_toml(include_str!("../../../frameworks/exemplar-2015.toml")).unwrap()
    }

    #[test]
    fn new_verified_returned_and_rejected_values_say_why_and_the_scores_moved() {
        let fw = fw();
        let pct = fw
            .criteria
            .iter()
            .find(|c| matches!(c.kind, crate::domain::framework::Kind::Percentage(_)))
            .map(|c| c.code.clone())
            .expect("a percentage criterion");
        let other = fw
            .criteria
            .iter()
            .find(|c| c.kind == crate::domain::framework::Kind::Boolean)
            .map(|c| c.code.clone())
            .expect("a yes or no criterion");
        let entries = vec![
            e("2014-Q3", &pct, "40", Status::Verified),
            e("2014-Q4", &pct, "80", Status::Verified),
            e("2014-Q3", &other, "yes", Status::Submitted),
            e("2014-Q4", &other, "no", Status::Rejected),
        ];
        let reviews = vec![ReviewEvent {
            period: q("2014-Q4"),
            code: other.clone(),
            outcome: "returned".into(),
            reason: Some("no evidence".into()),
        }];
        let c = quarter_changes(&fw, &entries, &reviews, q("2014-Q4"), None);
        assert_eq!((c.from, c.to), (q("2014-Q3"), q("2014-Q4")));
        let v = c.values.iter().find(|v| v.code == pct).unwrap();
        assert_eq!(v.why, "a new value for 2014-Q4, verified by the board");
        assert_eq!(v.before.as_deref(), Some("40 (2014-Q3)"));
        assert_eq!(v.after.as_deref(), Some("80 (2014-Q4)"));
        let r = c.values.iter().find(|v| v.code == other).unwrap();
        assert_eq!(
            r.why,
            "the value for 2014-Q4 was returned by the board: no evidence; until it is corrected, the last one counts"
        );
        assert!(c
            .scores
            .iter()
            .any(|s| s.name == "Overall score" && s.after > s.before));
        // The same value again, not yet verified: nothing moved.
        let again = vec![
            e("2014-Q3", &pct, "40", Status::Verified),
            e("2014-Q4", &pct, "40", Status::Submitted),
        ];
        assert!(quarter_changes(&fw, &again, &[], q("2014-Q4"), None)
            .values
            .is_empty());
        // Nothing new: nothing listed.
        let c = quarter_changes(&fw, &entries[..1], &[], q("2014-Q4"), None);
        assert!(c.values.is_empty() && c.scores.is_empty());
        // A first value, not yet verified; a returned first value leaves none.
        let entries = vec![e("2014-Q4", &pct, "80", Status::Submitted)];
        let c = quarter_changes(&fw, &entries, &[], q("2014-Q4"), None);
        assert_eq!(
            c.values[0].why,
            "a first value, for 2014-Q4, not yet verified"
        );
        let entries = vec![e("2014-Q4", &pct, "80", Status::Rejected)];
        let reviews = vec![ReviewEvent {
            period: q("2014-Q4"),
            code: pct.clone(),
            outcome: "returned".into(),
            reason: Some("which wards?".into()),
        }];
        let c = quarter_changes(&fw, &entries, &reviews, q("2014-Q4"), None);
        assert_eq!(
            c.values[0].why,
            "the value for 2014-Q4 was returned by the board: which wards?; until it is corrected, no value counts"
        );
        assert_eq!(c.values[0].after, None);
        assert_eq!(c.values[0].before, None);
    }
}
