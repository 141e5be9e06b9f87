//! Benefits realisation (scoring.md section 9): for each benefit and economy as of a quarter,
//! the baseline, the current value, the change and whether it is an improvement; nationally,
//! the improvement of economies grouped by stage with small groups suppressed, and overall
//! score against improvement. Benefits never enter a score. Pure.

use super::framework::{Benefit, Better};
use super::scoring::Entry;
use super::{Quarter, Status};
use serde::{Deserialize, Serialize};

/// Groups of fewer economies than this are suppressed on public pages: their figures are not
/// shown.
pub const MIN_GROUP: usize = 3;

/// One economy's result for one benefit as of a quarter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BenefitResult {
    pub economy: String,
    pub baseline_period: Quarter,
    pub baseline: f64,
    pub current: f64,
    pub change: f64,
    pub improved: bool,
}

impl BenefitResult {
    /// The change with its sign turned so that positive is better, in the benefit's unit.
    pub fn improvement(&self, better: Better) -> f64 {
        match better {
            Better::Higher => self.change,
            Better::Lower => -self.change,
        }
    }
}

/// Whether a change is an improvement: its sign agrees with `better` (no change is not).
pub fn improved(change: f64, better: Better) -> bool {
    match better {
        Better::Higher => change > 0.0,
        Better::Lower => change < 0.0,
    }
}

/// The benefit's values of one economy up to `as_of` that are not rejected, one per quarter,
/// oldest first (the series from the baseline quarter).
pub fn series(code: &str, entries: &[Entry], as_of: Quarter) -> Vec<(Quarter, f64)> {
    let mut out: Vec<(Quarter, f64)> = entries
        .iter()
        .filter(|e| e.code == code && e.period <= as_of && e.status != Status::Rejected)
        .filter_map(|e| e.value.trim().parse::<f64>().ok().map(|v| (e.period, v)))
        .filter(|(_, v)| v.is_finite())
        .collect();
    out.sort_by_key(|(q, _)| *q);
    out.dedup_by_key(|(q, _)| *q);
    out
}

/// One economy's result for `benefit` as of `as_of`: the baseline is its first quarter with a
/// value that is not rejected, the current value the effective one as of `as_of` (the latest
/// quarter up to it that is not rejected); `None` when it has no such value up to `as_of`.
pub fn result(
    benefit: &Benefit,
    economy: &str,
    entries: &[Entry],
    as_of: Quarter,
) -> Option<BenefitResult> {
    let s = series(&benefit.code, entries, as_of);
    let (baseline_period, baseline) = *s.first()?;
    let (_, current) = *s.last()?;
    let change = current - baseline;
    Some(BenefitResult {
        economy: economy.to_string(),
        baseline_period,
        baseline,
        current,
        change,
        improved: improved(change, benefit.better),
    })
}

/// The economies of one stage, for one benefit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StageGroup {
    /// The stage reached (0: not yet at stage 1).
    pub stage: u8,
    /// Economies behind the figures.
    pub economies: usize,
    /// Fewer than `MIN_GROUP` economies: no figure is given.
    pub suppressed: bool,
    pub improved: Option<usize>,
    /// The median improvement (positive is better), in the benefit's unit.
    pub median_improvement: Option<f64>,
}

/// The results grouped by the stage each economy reached (`stage_of`; economies without a
/// stage are left out), lowest stage first, groups under `MIN_GROUP` suppressed.
pub fn by_stage(
    results: &[BenefitResult],
    better: Better,
    stage_of: impl Fn(&str) -> Option<u8>,
) -> Vec<StageGroup> {
    let mut groups: std::collections::BTreeMap<u8, Vec<&BenefitResult>> = Default::default();
    for r in results {
        if let Some(s) = stage_of(&r.economy) {
            groups.entry(s).or_default().push(r);
        }
    }
    groups
        .into_iter()
        .map(|(stage, rs)| {
            let suppressed = rs.len() < MIN_GROUP;
            let improvements: Vec<f64> = rs.iter().map(|r| r.improvement(better)).collect();
            StageGroup {
                stage,
                economies: rs.len(),
                suppressed,
                improved: (!suppressed).then(|| rs.iter().filter(|r| r.improved).count()),
                median_improvement: (!suppressed).then(|| median(improvements)).flatten(),
            }
        })
        .collect()
}

/// The median of some numbers (`None` for none).
pub fn median(mut xs: Vec<f64>) -> Option<f64> {
    if xs.is_empty() {
        return None;
    }
    xs.sort_by(f64::total_cmp);
    let n = xs.len();
    Some(if n % 2 == 1 {
        xs[n / 2]
    } else {
        (xs[n / 2 - 1] + xs[n / 2]) / 2.0
    })
}

/// Pearson's correlation of (x, y) pairs: `None` under `MIN_GROUP` pairs or without spread.
pub fn correlation(points: &[(f64, f64)]) -> Option<f64> {
    let n = points.len();
    if n < MIN_GROUP {
        return None;
    }
    let mx = points.iter().map(|p| p.0).sum::<f64>() / n as f64;
    let my = points.iter().map(|p| p.1).sum::<f64>() / n as f64;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (x, y) in points {
        sxy += (x - mx) * (y - my);
        sxx += (x - mx) * (x - mx);
        syy += (y - my) * (y - my);
    }
    (sxx > 0.0 && syy > 0.0).then(|| sxy / (sxx * syy).sqrt())
}

/// One benefit's series for one economy, with the overall score of each quarter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EconomyBenefit {
    pub code: String,
    pub title: String,
    pub unit: String,
    /// "Lower is better" or "Higher is better".
    pub better: String,
    /// quarter, value, overall score that quarter
    pub series: Vec<(String, f64, Option<f64>)>,
    /// The change from the baseline, once there is a value to compare.
    pub result: Option<BenefitChange>,
    pub chart: String,
    /// The series as a statistical process control (XmR) chart, once it has enough quarters.
    pub spc: Option<SpcSummary>,
}

/// What a benefit's XmR chart shows, in figures and words (see `domain::spc`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpcSummary {
    pub mean: f64,
    pub upper: f64,
    pub lower: f64,
    /// The latest quarter's variation (the icon).
    pub variation: super::spc::Variation,
    /// Each quarter's special causes in words, in the series' order (empty: common cause).
    pub notes: Vec<String>,
}

/// One economy's change in one benefit since its baseline, as its pages show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BenefitChange {
    /// The baseline quarter, YYYY-Qn.
    pub baseline_period: String,
    /// The value in the baseline quarter.
    pub baseline: f64,
    /// The value now.
    pub current: f64,
    /// Current minus baseline, in the benefit's unit.
    pub change: f64,
    /// Whether the change is in the better direction.
    pub improved: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> Quarter {
        s.parse().unwrap()
    }

    fn e(period: &str, value: &str, status: Status) -> Entry {
        Entry {
            period: q(period),
            code: "DUP-TESTS".into(),
            value: value.into(),
            status,
        }
    }

    fn benefit(better: Better) -> Benefit {
        Benefit {
            code: "DUP-TESTS".into(),
            title: "Duplicate pathology tests per 1,000 admissions".into(),
            unit: "per 1,000 admissions".into(),
            better,
        }
    }

    #[test]
    fn the_baseline_is_the_first_quarter_not_rejected_and_the_current_the_effective_value() {
        let entries = vec![
            e("2013-Q3", "15.0", Status::Rejected),
            e("2013-Q4", "12.0", Status::Submitted),
            e("2014-Q1", "11.0", Status::Verified),
            e("2014-Q2", "9.5", Status::Submitted),
            e("2014-Q3", "4.0", Status::Rejected),
            e("2014-Q4", "8.0", Status::Verified),
        ];
        let r = result(&benefit(Better::Lower), "leeds", &entries, q("2014-Q3")).unwrap();
        assert_eq!(r.baseline_period, q("2013-Q4"));
        assert_eq!((r.baseline, r.current, r.change), (12.0, 9.5, -2.5));
        assert!(r.improved, "lower is better and it fell");
        assert_eq!(r.improvement(Better::Lower), 2.5);
        // `better` the other way: the same fall is no improvement.
        let r = result(&benefit(Better::Higher), "leeds", &entries, q("2014-Q3")).unwrap();
        assert!(!r.improved);
        assert_eq!(r.improvement(Better::Higher), -2.5);
        // As of the baseline quarter itself: no change, which is not an improvement.
        let r = result(&benefit(Better::Lower), "leeds", &entries, q("2013-Q4")).unwrap();
        assert_eq!(r.change, 0.0);
        assert!(!r.improved);
        // Nothing but a rejected value up to P: left out.
        assert_eq!(
            result(&benefit(Better::Lower), "leeds", &entries, q("2013-Q3")),
            None
        );
        // Other codes are not this benefit's values.
        let other = vec![Entry {
            code: "READMISSIONS".into(),
            ..e("2013-Q4", "7", Status::Verified)
        }];
        assert_eq!(
            result(&benefit(Better::Lower), "leeds", &other, q("2014-Q4")),
            None
        );
    }

    #[test]
    fn improvement_follows_better_both_ways() {
        assert!(improved(1.0, Better::Higher));
        assert!(!improved(-1.0, Better::Higher));
        assert!(improved(-0.1, Better::Lower));
        assert!(!improved(0.1, Better::Lower));
        assert!(!improved(0.0, Better::Lower) && !improved(0.0, Better::Higher));
    }

    #[test]
    fn groups_under_three_economies_are_suppressed() {
        let r = |economy: &str, change: f64| BenefitResult {
            economy: economy.into(),
            baseline_period: q("2013-Q1"),
            baseline: 10.0,
            current: 10.0 + change,
            change,
            improved: improved(change, Better::Lower),
        };
        let results = vec![
            r("a", -3.0),
            r("b", -1.0),
            r("c", 2.0),
            r("d", -4.0),
            r("e", -2.0),
            r("f", 1.0),
        ];
        let stage = |s: &str| match s {
            "a" | "b" | "c" => Some(3),
            "d" | "e" => Some(5),
            _ => None,
        };
        let groups = by_stage(&results, Better::Lower, stage);
        assert_eq!(groups.len(), 2, "f has no stage");
        assert_eq!(groups[0].stage, 3);
        assert_eq!(groups[0].economies, 3);
        assert!(!groups[0].suppressed);
        assert_eq!(groups[0].improved, Some(2));
        assert_eq!(groups[0].median_improvement, Some(1.0));
        assert_eq!(groups[1].stage, 5);
        assert_eq!(groups[1].economies, 2);
        assert!(groups[1].suppressed);
        assert_eq!(
            (groups[1].improved, groups[1].median_improvement),
            (None, None)
        );
    }

    #[test]
    fn medians_and_correlations() {
        assert_eq!(median(vec![]), None);
        assert_eq!(median(vec![3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(vec![4.0, 1.0, 2.0, 3.0]), Some(2.5));
        let line: Vec<(f64, f64)> = (0..5).map(|i| (i as f64, 2.0 * i as f64)).collect();
        assert!((correlation(&line).unwrap() - 1.0).abs() < 1e-12);
        assert_eq!(correlation(&line[..2]), None, "too few");
        assert_eq!(
            correlation(&[(1.0, 1.0), (1.0, 2.0), (1.0, 3.0)]),
            None,
            "no spread"
        );
    }
}
