//! The scoring method (scoring.md sections 2 to 5 and 8): one value's score, effective values
//! as of a quarter, theme and overall scores, the verified overall, completeness, confidence,
//! gates, stage, rank and the trajectory toward the paperless milestone.
//!
//! Numbers are f64 and unrounded; rounding is for display.

use super::files::{parse_value, Parsed};
use super::framework::{Framework, Kind};
use super::quarter::Quarter;
use super::table::Table;
pub use super::table::{csv_cell, push_safe_csv_line, safe_csv_cell};
use super::types::Status;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// One stored value of an economy, as text (the database and files keep it so).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub period: Quarter,
    pub code: String,
    pub value: String,
    pub status: Status,
}

/// One economy to score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EconomyInput {
    pub slug: String,
    pub name: String,
    pub entries: Vec<Entry>,
}

/// s for one parsed value (section 2), clamped to 0..=100, and whether it is met.
pub fn value_score(kind: &Kind, value: &Parsed) -> (f64, bool) {
    let (s, met) = match (kind, value) {
        (Kind::Boolean, Parsed::Boolean(b)) => (if *b { 100.0 } else { 0.0 }, *b),
        (Kind::Percentage(t), Parsed::Percentage(v)) => ((100.0 * v / t).min(100.0), v >= t),
        (Kind::Level(t), Parsed::Level(v)) => (100.0 * f64::from(*v) / f64::from(*t), v == t),
        (Kind::Date(t), Parsed::Date(Some(d))) => {
            if d <= t {
                (100.0, true)
            } else {
                (50.0, false)
            }
        }
        (Kind::Date(_), Parsed::Date(None)) => (0.0, false),
        // A value of another kind counts as missing.
        _ => (0.0, false),
    };
    (s.clamp(0.0, 100.0), met)
}

/// An economy's criterion values, parsed against the framework and ordered by period, one
/// list per criterion in framework order. Values that no longer parse for their criterion's
/// kind, and values of codes that are not criteria, are left out: they count as missing.
#[derive(Debug, Clone)]
pub struct Prepared {
    per_criterion: Vec<Vec<(Quarter, Parsed, Status)>>,
}

impl Prepared {
    pub fn new(fw: &Framework, entries: &[Entry]) -> Self {
        let mut per_criterion: Vec<Vec<(Quarter, Parsed, Status)>> =
            vec![Vec::new(); fw.criteria.len()];
        let index: std::collections::HashMap<&str, usize> = fw
            .criteria
            .iter()
            .enumerate()
            .map(|(i, c)| (c.code.as_str(), i))
            .collect();
        for e in entries {
            if let Some(&i) = index.get(e.code.as_str()) {
                if let Ok(p) = parse_value(&fw.criteria[i].kind, &e.code, &e.value, e.period) {
                    per_criterion[i].push((e.period, p, e.status));
                }
            }
        }
        for list in &mut per_criterion {
            sort_stable_by(list, |a, b| a.0.cmp(&b.0));
        }
        Prepared { per_criterion }
    }

    /// The first quarter with a criterion value that is not rejected.
    pub fn first_quarter(&self) -> Option<Quarter> {
        self.per_criterion
            .iter()
            .filter_map(|l| {
                l.iter()
                    .find(|(_, _, s)| *s != Status::Rejected)
                    .map(|(q, _, _)| *q)
            })
            .min()
    }

    /// The latest quarter with any criterion value, whatever its status.
    pub fn last_quarter(&self) -> Option<Quarter> {
        self.per_criterion
            .iter()
            .filter_map(|l| l.last().map(|(q, _, _)| *q))
            .max()
    }

    /// The effective value of criterion `i` as of `p`: latest period <= p not rejected.
    pub fn effective(&self, i: usize, p: Quarter) -> Option<(Quarter, Parsed, Status)> {
        self.per_criterion[i]
            .iter()
            .rev()
            .find(|(q, _, s)| *q <= p && *s != Status::Rejected)
            .copied()
    }

    /// The latest verified value of criterion `i` as of `p`.
    pub fn verified(&self, i: usize, p: Quarter) -> Option<(Quarter, Parsed, Status)> {
        self.per_criterion[i]
            .iter()
            .rev()
            .find(|(q, _, s)| *q <= p && *s == Status::Verified)
            .copied()
    }
}

/// One criterion's part in a snapshot.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CriterionResult {
    /// s of the effective value, 0 when missing.
    pub score: f64,
    pub met: bool,
    pub present: bool,
    pub verified: bool,
    /// This criterion's share of the overall score.
    pub share: f64,
}

/// The scores of one economy as of one quarter (section 4).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    pub overall: f64,
    pub verified_overall: f64,
    /// Theme scores in framework order.
    pub themes: Vec<f64>,
    pub completeness: f64,
    pub confidence: f64,
    pub eligible: bool,
    pub stage: u8,
    pub criteria: Vec<CriterionResult>,
}

/// Theme scores and the overall from each criterion's s (missing = 0), in framework order.
pub fn combine(fw: &Framework, s: &[f64]) -> (Vec<f64>, f64) {
    let themes: Vec<f64> = fw
        .themes
        .iter()
        .map(|t| {
            let (mut num, mut den) = (0.0, 0.0);
            for (c, s) in fw.criteria.iter().zip(s) {
                if c.theme == t.code {
                    num += c.weight * s;
                    den += c.weight;
                }
            }
            if den > 0.0 {
                num / den
            } else {
                0.0
            }
        })
        .collect();
    let total: f64 = fw.themes.iter().map(|t| t.weight).sum();
    let overall = fw
        .themes
        .iter()
        .zip(&themes)
        .map(|(t, s)| t.weight * s)
        .sum::<f64>()
        / total;
    (themes, overall)
}

/// Sorts as `slice::sort_by` does (stable), by insertion: the lists scored are short (an
/// economy's quarters, the economies of a programme), and the standard library's sort is
/// several KB of wasm for each kind of list, in the islands that score.
pub fn sort_stable_by<T>(list: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    for i in 1..list.len() {
        let mut j = i;
        while j > 0 && cmp(&list[j - 1], &list[j]) == Ordering::Greater {
            list.swap(j - 1, j);
            j -= 1;
        }
    }
}

/// Gates and stage from whether each criterion is met.
pub fn gates_and_stage(fw: &Framework, met: &[bool]) -> (bool, u8) {
    let eligible = fw.criteria.iter().zip(met).all(|(c, m)| !c.gate || *m);
    // The stages named, lowest first (marked off rather than sorted: no sort in the wasm).
    let mut named = [false; 256];
    for k in fw.criteria.iter().filter_map(|c| c.stage) {
        named[usize::from(k)] = true;
    }
    let mut stage = 0;
    for k in (0..=u8::MAX).filter(|k| named[usize::from(*k)]) {
        let all_met = fw
            .criteria
            .iter()
            .zip(met)
            .all(|(c, m)| c.stage.is_none_or(|s| s > k) || *m);
        if all_met {
            stage = k;
        } else {
            break;
        }
    }
    (eligible, stage)
}

/// The scores of section 4 for an economy as of `p`, from values already parsed.
pub fn snapshot(fw: &Framework, shares: &[f64], prep: &Prepared, p: Quarter) -> Snapshot {
    let n = fw.criteria.len();
    let mut s = Vec::with_capacity(n);
    let mut vs = Vec::with_capacity(n);
    let mut met = Vec::with_capacity(n);
    let mut criteria = Vec::with_capacity(n);
    let (mut completeness, mut confidence) = (0.0, 0.0);
    for (i, c) in fw.criteria.iter().enumerate() {
        let eff = prep.effective(i, p);
        let (score, is_met) = eff
            .map(|(_, v, _)| value_score(&c.kind, &v))
            .unwrap_or((0.0, false));
        let verified = eff.is_some_and(|(_, _, st)| st == Status::Verified);
        if eff.is_some() {
            completeness += shares[i];
        }
        if verified {
            confidence += shares[i];
        }
        let vscore = prep
            .verified(i, p)
            .map(|(_, v, _)| value_score(&c.kind, &v).0)
            .unwrap_or(0.0);
        s.push(score);
        vs.push(vscore);
        met.push(is_met);
        criteria.push(CriterionResult {
            score,
            met: is_met,
            present: eff.is_some(),
            verified,
            share: shares[i],
        });
    }
    let (themes, overall) = combine(fw, &s);
    let (_, verified_overall) = combine(fw, &vs);
    let (eligible, stage) = gates_and_stage(fw, &met);
    Snapshot {
        overall,
        verified_overall,
        themes,
        completeness: 100.0 * completeness,
        confidence: 100.0 * confidence,
        eligible,
        stage,
        criteria,
    }
}

/// Where an economy is heading (section 5).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Trajectory {
    /// (end date of the quarter, overall as of it), oldest first.
    pub points: Vec<(Quarter, f64)>,
    pub paperless_date: Option<NaiveDate>,
    pub achieved: bool,
    pub on_track: bool,
    /// The least-squares line O = a + b * day, where it was fitted.
    pub fit: Option<(f64, f64)>,
}

/// Days since 1970-01-01.
pub fn day_number(d: NaiveDate) -> i64 {
    (d - NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid")).num_days()
}

/// The date of a day number, if it is a date up to 9999-12-31.
pub fn from_day_number(n: i64) -> Option<NaiveDate> {
    let d =
        NaiveDate::from_ymd_opt(1970, 1, 1)?.checked_add_signed(chrono::Duration::try_days(n)?)?;
    (d <= NaiveDate::from_ymd_opt(9999, 12, 31)?).then_some(d)
}

/// The trajectory from points of (quarter, overall).
pub fn trajectory_from_points(fw: &Framework, points: Vec<(Quarter, f64)>) -> Trajectory {
    let deadline = fw.paperless_milestone().date;
    let threshold = fw.paperless_threshold;
    if let Some((q, _)) = points.iter().find(|(_, o)| *o >= threshold) {
        let d = q.end_date();
        return Trajectory {
            points,
            paperless_date: Some(d),
            achieved: true,
            on_track: d <= deadline,
            fit: None,
        };
    }
    if points.len() < 2 {
        return Trajectory {
            points,
            paperless_date: None,
            achieved: false,
            on_track: false,
            fit: None,
        };
    }
    let n = points.len() as f64;
    let xs: Vec<f64> = points
        .iter()
        .map(|(q, _)| day_number(q.end_date()) as f64)
        .collect();
    let xbar = xs.iter().sum::<f64>() / n;
    let ybar = points.iter().map(|(_, o)| o).sum::<f64>() / n;
    let (mut sxy, mut sxx) = (0.0, 0.0);
    for (x, (_, y)) in xs.iter().zip(&points) {
        sxy += (x - xbar) * (y - ybar);
        sxx += (x - xbar) * (x - xbar);
    }
    let b = sxy / sxx;
    let a = ybar - b * xbar;
    let paperless_date = if b > 0.0 {
        let day = ((threshold - a) / b).ceil();
        if day.is_finite() && day.abs() < 1e12 {
            from_day_number(day as i64)
        } else {
            None
        }
    } else {
        None
    };
    Trajectory {
        points,
        paperless_date,
        achieved: false,
        on_track: paperless_date.is_some_and(|d| d <= deadline),
        fit: Some((a, b)),
    }
}

/// The trajectory of an economy as of `p`: one point per quarter from its first quarter
/// with a criterion value that is not rejected.
pub fn trajectory(fw: &Framework, shares: &[f64], prep: &Prepared, p: Quarter) -> Trajectory {
    let points = match prep.first_quarter() {
        Some(first) => first
            .through(p)
            .map(|q| (q, snapshot(fw, shares, prep, q).overall))
            .collect(),
        None => Vec::new(),
    };
    trajectory_from_points(fw, points)
}

/// One economy's record in the scores out (section 8). Every field but the first two is
/// null for an economy with nothing to score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoreRecord {
    pub economy: String,
    pub name: String,
    pub rank: Option<u32>,
    pub overall: Option<f64>,
    pub verified_overall: Option<f64>,
    pub themes: Option<indexmap::IndexMap<String, f64>>,
    pub completeness: Option<f64>,
    pub confidence: Option<f64>,
    pub eligible: Option<bool>,
    pub stage: Option<u8>,
    pub paperless_date: Option<NaiveDate>,
    pub paperless_achieved: Option<bool>,
    pub on_track: Option<bool>,
}

/// The scores document (section 8).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scores {
    pub as_of: Option<Quarter>,
    pub framework: String,
    pub economies: Vec<ScoreRecord>,
}

/// The default P where section 7 does not apply: the latest quarter with any criterion value.
pub fn default_as_of(fw: &Framework, economies: &[EconomyInput]) -> Option<Quarter> {
    economies
        .iter()
        .filter_map(|e| Prepared::new(fw, &e.entries).last_quarter())
        .max()
}

/// The first quarter with any criterion value, whatever its status.
pub fn first_quarter(fw: &Framework, economies: &[EconomyInput]) -> Option<Quarter> {
    economies
        .iter()
        .flat_map(|e| e.entries.iter())
        .filter(|e| fw.criterion(&e.code).is_some())
        .map(|e| e.period)
        .min()
}

/// Orders scored economies: eligible first, then overall, then confidence (high first),
/// then slug.
pub fn rank_order(a: (&str, bool, f64, f64), b: (&str, bool, f64, f64)) -> Ordering {
    b.1.cmp(&a.1)
        .then(b.2.total_cmp(&a.2))
        .then(b.3.total_cmp(&a.3))
        .then(a.0.cmp(b.0))
}

/// Scores every economy as of `as_of` (default: the latest quarter with a criterion value),
/// ranked, followed by the economies with nothing to score, by slug.
pub fn score_all(fw: &Framework, economies: &[EconomyInput], as_of: Option<Quarter>) -> Scores {
    let shares = fw.shares();
    let prepared: Vec<Prepared> = economies
        .iter()
        .map(|e| Prepared::new(fw, &e.entries))
        .collect();
    let as_of = as_of.or_else(|| prepared.iter().filter_map(Prepared::last_quarter).max());
    let mut scored = Vec::new();
    let mut unscored = Vec::new();
    for (e, prep) in economies.iter().zip(&prepared) {
        let has_value = as_of.is_some_and(|p| prep.first_quarter().is_some_and(|f| f <= p));
        match (as_of, has_value) {
            (Some(p), true) => {
                let snap = snapshot(fw, &shares, prep, p);
                let traj = trajectory(fw, &shares, prep, p);
                scored.push(ScoreRecord {
                    economy: e.slug.clone(),
                    name: e.name.clone(),
                    rank: None,
                    overall: Some(snap.overall),
                    verified_overall: Some(snap.verified_overall),
                    themes: Some(
                        fw.themes
                            .iter()
                            .map(|t| t.code.clone())
                            .zip(snap.themes)
                            .collect(),
                    ),
                    completeness: Some(snap.completeness),
                    confidence: Some(snap.confidence),
                    eligible: Some(snap.eligible),
                    stage: Some(snap.stage),
                    paperless_date: traj.paperless_date,
                    paperless_achieved: Some(traj.achieved),
                    on_track: Some(traj.on_track),
                });
            }
            _ => unscored.push(ScoreRecord {
                economy: e.slug.clone(),
                name: e.name.clone(),
                rank: None,
                overall: None,
                verified_overall: None,
                themes: None,
                completeness: None,
                confidence: None,
                eligible: None,
                stage: None,
                paperless_date: None,
                paperless_achieved: None,
                on_track: None,
            }),
        }
    }
    let key = |r: &ScoreRecord| {
        (
            r.economy.clone(),
            r.eligible.unwrap_or(false),
            r.overall.unwrap_or(0.0),
            r.confidence.unwrap_or(0.0),
        )
    };
    sort_stable_by(&mut scored, |a, b| {
        let (ka, kb) = (key(a), key(b));
        rank_order((&ka.0, ka.1, ka.2, ka.3), (&kb.0, kb.1, kb.2, kb.3))
    });
    for (i, r) in scored.iter_mut().enumerate() {
        r.rank = Some(i as u32 + 1);
    }
    sort_stable_by(&mut unscored, |a, b| a.economy.cmp(&b.economy));
    scored.extend(unscored);
    Scores {
        as_of,
        framework: fw.code.clone(),
        economies: scored,
    }
}

/// The scores as CSV (section 8): fixed columns, then `theme:CODE` per theme.
pub fn scores_csv(fw: &Framework, scores: &Scores) -> String {
    let themes: Vec<&str> = fw.themes.iter().map(|t| t.code.as_str()).collect();
    scores_table_with(&themes, scores).plain_csv()
}

/// Stored scores as a table for download (CSV, spreadsheet): the theme columns are the ones
/// the figures were published with.
pub fn scores_table(scores: &Scores) -> Table {
    let themes: Vec<&str> = scores
        .economies
        .iter()
        .find_map(|e| e.themes.as_ref())
        .map(|t| t.keys().map(String::as_str).collect())
        .unwrap_or_default();
    scores_table_with(&themes, scores)
}

/// Stored scores as CSV for download, text cells guarded against spreadsheet formulas.
pub fn scores_csv_download(scores: &Scores) -> String {
    scores_table(scores).csv()
}

fn scores_table_with(themes: &[&str], scores: &Scores) -> Table {
    use super::files::format_number;
    let mut table = Table::new(
        [
            "economy",
            "name",
            "rank",
            "overall",
            "verified_overall",
            "completeness",
            "confidence",
            "eligible",
            "stage",
            "paperless_date",
            "paperless_achieved",
            "on_track",
        ]
        .map(String::from)
        .into_iter()
        .chain(themes.iter().map(|t| format!("theme:{t}"))),
    );
    let num = |n: Option<f64>| n.map(format_number).unwrap_or_default();
    let boolean = |b: Option<bool>| b.map(|b| b.to_string()).unwrap_or_default();
    for r in &scores.economies {
        let mut cells = vec![
            r.economy.clone(),
            r.name.clone(),
            r.rank.map(|n| n.to_string()).unwrap_or_default(),
            num(r.overall),
            num(r.verified_overall),
            num(r.completeness),
            num(r.confidence),
            boolean(r.eligible),
            r.stage.map(|n| n.to_string()).unwrap_or_default(),
            r.paperless_date.map(|d| d.to_string()).unwrap_or_default(),
            boolean(r.paperless_achieved),
            boolean(r.on_track),
        ];
        for t in themes {
            cells.push(num(r.themes.as_ref().and_then(|m| m.get(*t).copied())));
        }
        table.push(cells);
    }
    table
}

#[cfg(test)]
#[path = "scoring_tests.rs"]
mod tests;
