//! The assessors' rules, pure: how much a value waiting for review matters (does it decide a
//! gate or a stage, how far does it move the overall score, how far did it jump from the
//! quarter before), and the order of the review queue.

use super::framework::Framework;
use super::quarter::Quarter;
use super::scoring::{score_all, snapshot, EconomyInput, Entry, Prepared};
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::collections::HashMap;

/// What one value means for its economy's scores as of its quarter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Impact {
    /// "a gate" or "stage N": what the value decides (returning it would change it).
    pub decides: Option<String>,
    /// Overall score with the value minus without it (falling back to an earlier value).
    pub delta_overall: f64,
    /// The value's own score minus the previous quarter's effective one, when there was one.
    pub jump: Option<f64>,
}

/// The impact of the value of `code` for `period` among an economy's `entries`.
pub fn impact(fw: &Framework, entries: &[Entry], period: Quarter, code: &str) -> Impact {
    let shares = fw.shares();
    let Some(i) = fw.criteria.iter().position(|c| c.code == code) else {
        // A benefit: reported, never scored.
        return Impact {
            decides: None,
            delta_overall: 0.0,
            jump: None,
        };
    };
    let with_prep = Prepared::new(fw, entries);
    let without: Vec<Entry> = entries
        .iter()
        .filter(|e| !(e.period == period && e.code == code))
        .cloned()
        .collect();
    let with = snapshot(fw, &shares, &with_prep, period);
    let wo = snapshot(fw, &shares, &Prepared::new(fw, &without), period);
    let decides = if with.eligible != wo.eligible {
        Some("a gate".to_string())
    } else if with.stage != wo.stage {
        Some(format!("stage {}", with.stage.max(wo.stage)))
    } else {
        None
    };
    let before = snapshot(fw, &shares, &with_prep, period.prev());
    let jump = before.criteria[i]
        .present
        .then(|| with.criteria[i].score - before.criteria[i].score);
    Impact {
        decides,
        delta_overall: with.overall - wo.overall,
        jump,
    }
}

/// Queue order by impact: values that decide a gate or stage first, then the largest move of
/// the overall score, then the largest jump, then the oldest; ties by key for stability.
pub fn by_impact(a: (&Impact, &str, &str), b: (&Impact, &str, &str)) -> Ordering {
    let (ia, at_a, key_a) = a;
    let (ib, at_b, key_b) = b;
    ib.decides
        .is_some()
        .cmp(&ia.decides.is_some())
        .then_with(|| {
            ib.delta_overall
                .abs()
                .partial_cmp(&ia.delta_overall.abs())
                .unwrap_or(Ordering::Equal)
        })
        .then_with(|| {
            let ja = ia.jump.map_or(0.0, f64::abs);
            let jb = ib.jump.map_or(0.0, f64::abs);
            jb.partial_cmp(&ja).unwrap_or(Ordering::Equal)
        })
        .then_with(|| at_a.cmp(at_b))
        .then_with(|| key_a.cmp(key_b))
}

/// One value in the review queue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueueItem {
    pub key: String,
    pub slug: String,
    pub name: String,
    pub period: String,
    pub code: String,
    pub title: String,
    pub theme: String,
    pub value: String,
    pub at: String,
    pub by: String,
    pub link: Option<String>,
    pub document: Option<String>,
    pub late: bool,
    pub impact: Impact,
    /// For the framework's acute-EPR criterion: how the value disagrees with the economy's
    /// acute trusts in the trust register, if it does.
    #[serde(default)]
    pub register: Option<String>,
    /// The member of board staff the economy's values are assigned to.
    #[serde(default)]
    pub assigned: Option<String>,
    /// Whether the value is for the quarter being reported.
    #[serde(default)]
    pub current: bool,
    /// The framework's checks the value set off, and the submitter's reason.
    #[serde(default)]
    pub warnings: Vec<crate::domain::checks::Warning>,
    #[serde(default)]
    pub reason: Option<String>,
}

/// The queue's filters (any may be empty: all).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueFilter {
    pub economy: String,
    pub theme: String,
    pub criterion: String,
    pub quarter: String,
    /// Submitted at least this many days ago.
    pub older_than_days: Option<i64>,
    /// `impact` (default) or `oldest`.
    pub sort: String,
    /// Only the economies assigned to whoever asks.
    #[serde(default)]
    pub mine: bool,
}

/// The shortlist's outcomes (code, words): `proposed` by an assessor, the rest the panel's
/// decisions, recorded by an admin.
pub const OUTCOMES: [(&str, &str); 4] = [
    ("proposed", "Proposed for the shortlist"),
    ("shortlisted", "Shortlisted"),
    ("selected", "Selected as pilot site"),
    ("not-selected", "Not selected"),
];

/// The key of a value in a review form: `slug|period|code|value` (the value reviewed, so a
/// value resubmitted since is not verified unseen).
pub fn review_key(slug: &str, period: &str, code: &str, value: &str) -> String {
    format!("{slug}|{period}|{code}|{value}")
}

pub fn parse_review_key(key: &str) -> Option<(String, Quarter, String, String)> {
    let mut parts = key.splitn(4, '|');
    let slug = parts.next()?.to_string();
    let period = parts.next()?.parse().ok()?;
    let code = parts.next()?.to_string();
    let value = parts.next()?.to_string();
    (!slug.is_empty() && !code.is_empty()).then_some((slug, period, code, value))
}

/// A candidate's best and worst rank over the weight scenarios: each theme's weight alone
/// halved, or multiplied by 1.5 (two scenarios a theme). Unranked economies are left out.
pub fn robustness(
    fw: &Framework,
    economies: &[EconomyInput],
    as_of: Option<Quarter>,
) -> HashMap<String, (u32, u32)> {
    let mut out: HashMap<String, (u32, u32)> = HashMap::new();
    for t in 0..fw.themes.len() {
        for factor in [0.5, 1.5] {
            let mut scenario = fw.clone();
            scenario.themes[t].weight *= factor;
            for r in score_all(&scenario, economies, as_of).economies {
                if let Some(rank) = r.rank {
                    let e = out.entry(r.economy).or_insert((rank, rank));
                    e.0 = e.0.min(rank);
                    e.1 = e.1.max(rank);
                }
            }
        }
    }
    out
}

/// The framework with theme weights replaced where `weights` names them (code, weight > 0).
pub fn with_weights(fw: &Framework, weights: &[(String, f64)]) -> Framework {
    let mut f = fw.clone();
    for t in &mut f.themes {
        if let Some((_, w)) = weights.iter().find(|(c, _)| *c == t.code) {
            if *w > 0.0 && w.is_finite() {
                t.weight = *w;
            }
        }
    }
    f
}

/// One compared economy with the comparison's weights: its overall score and its place among
/// the economies compared (the ranking rule of every published rank).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Weighted {
    pub slug: String,
    pub name: String,
    pub overall: Option<f64>,
    pub place: Option<u32>,
}

/// The weighted result of a comparison, in order (first place first, economies with no
/// values last): the one computation behind every weighted figure on `/assess/compare`, on
/// the server and in the browser alike.
pub fn compare_weighted(
    fw: &Framework,
    weights: &[(String, f64)],
    economies: &[EconomyInput],
    as_of: Option<Quarter>,
) -> Vec<Weighted> {
    score_all(&with_weights(fw, weights), economies, as_of)
        .economies
        .into_iter()
        .map(|r| Weighted {
            slug: r.economy,
            name: r.name,
            overall: r.overall,
            place: r.rank,
        })
        .collect()
}

/// The largest theme weight the comparison takes.
pub const MAX_COMPARE_WEIGHT: u32 = 100;

/// A theme weight typed into the comparison (`w-THEME`): a number greater than 0 and no more
/// than [`MAX_COMPARE_WEIGHT`] (scoring.md: every weight is above 0). The same rule on the
/// server and in the browser, so both compute with the same weights or refuse the same text.
pub fn compare_weight(theme: &str, text: &str) -> Result<f64, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err(format!("Enter a weight for {theme}"));
    }
    match crate::domain::types::parse_f64(t).ok_or(()) {
        Ok(w) if !w.is_finite() => Err(format!("Weight for {theme} must be a number, like 2")),
        Ok(w) if w <= 0.0 => Err(format!("Weight for {theme} must be greater than 0")),
        Ok(w) if w > f64::from(MAX_COMPARE_WEIGHT) => Err(format!(
            "Weight for {theme} must be {} or less",
            MAX_COMPARE_WEIGHT
        )),
        Ok(w) => Ok(w),
        Err(_) => Err(format!("Weight for {theme} must be a number, like 2")),
    }
}

/// What a reviewer does with a value: verify it, or return it to the economy with a reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Review {
    Verify,
    Return,
}

impl Review {
    /// The value's status once reviewed.
    pub fn status(self) -> super::Status {
        match self {
            Review::Verify => super::Status::Verified,
            Review::Return => super::Status::Rejected,
        }
    }

    /// The outcome kept with the review and shown to the economy.
    pub fn outcome(self) -> &'static str {
        match self {
            Review::Verify => "verified",
            Review::Return => "returned",
        }
    }
}

/// Why a review was not recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewRefusal {
    /// The value is no longer the one reviewed (resubmitted since), or is gone.
    Changed,
    /// It already has the status the review gives.
    AlreadyDone,
}

/// Whether `review` applies to a value the reviewer saw as `seen`, stored now as `stored`
/// (its value and status; `None` when it is gone).
pub fn review_applies(
    stored: Option<(&str, super::Status)>,
    seen: &str,
    review: Review,
) -> Result<(), ReviewRefusal> {
    match stored {
        Some((value, _)) if value != seen => Err(ReviewRefusal::Changed),
        None => Err(ReviewRefusal::Changed),
        Some((_, status)) if status == review.status() => Err(ReviewRefusal::AlreadyDone),
        Some(_) => Ok(()),
    }
}

/// What board staff's assessment pages show: an economy's values and scores
/// (`/assess/economies/{slug}`), and economies compared (`/assess/compare`).
pub mod view {
    use crate::domain::assessment::{QueueFilter, QueueItem};
    use crate::domain::framework::Framework;
    use crate::domain::scoring::EconomyInput;
    use crate::domain::{Quarter, Status};
    use chrono::NaiveDate;
    use serde::{Deserialize, Serialize};

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct ValueLine {
        pub code: String,
        pub title: String,
        pub theme: String,
        pub gate: bool,
        pub stage: Option<u8>,
        /// The latest value given for this criterion, if any.
        pub latest: Option<LatestValue>,
        pub document: Option<String>,
        pub link: Option<String>,
        /// The last review of the latest value, if it has been reviewed.
        pub review: Option<LastReview>,
        /// Every change to this criterion's values, oldest first.
        pub history: Vec<ValueChange>,
        /// Every review of this criterion's values, in words, oldest first.
        pub reviews: Vec<String>,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct AssessEconomyView {
        pub slug: String,
        pub name: String,
        pub region: String,
        pub status: String,
        pub as_of: Option<String>,
        /// Live scores quarter by quarter, oldest first.
        pub quarters: Vec<QuarterScores>,
        pub unmet_gates: Vec<String>,
        pub paperless_date: Option<NaiveDate>,
        pub on_track: bool,
        pub achieved: bool,
        pub values: Vec<ValueLine>,
        /// The economy's nomination statement (none when the board imported it).
        pub nomination: Option<NominationStatement>,
        /// name, ODS code, type
        pub organisations: Vec<(String, Option<String>, String)>,
        /// body, when, by
        pub notes: Vec<(String, String, String)>,
        /// Proposals and decisions about this economy, oldest first.
        pub decisions: Vec<DecisionLine>,
        /// Who its values are assigned to in the review queue.
        #[serde(default)]
        pub assigned: Option<String>,
        /// Whether they are assigned to whoever asks.
        #[serde(default)]
        pub assigned_to_me: bool,
        /// The values waiting for review, by quarter (newest first): their review keys.
        #[serde(default)]
        pub waiting: Vec<(String, Vec<String>)>,
        /// Completeness and timeliness of its reporting, quarter by quarter, newest first.
        #[serde(default)]
        pub reporting: Vec<crate::domain::reporting::QuarterReporting>,
    }

    /// What the review queue (`/assess`) shows.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct QueueView {
        pub items: Vec<QueueItem>,
        pub total: usize,
        pub filter: QueueFilter,
        pub economies: Vec<(String, String)>,
        pub themes: Vec<(String, String)>,
        pub criteria: Vec<(String, String)>,
        pub quarters: Vec<String>,
        /// Which page of the queue this is.
        pub paging: crate::domain::paging::Paging,
        /// The quarter being reported, whose values come first, and how many of them wait.
        pub reporting: String,
        pub reporting_waiting: usize,
        /// The asker's reviews of the last minute, in words: they can be undone.
        pub undoable: Vec<String>,
        /// Remediation plans whose agreed date passed without an operational EPR.
        pub follow_ups: Vec<FollowUp>,
        /// Whether the follow-ups are shown (their tab) rather than the values.
        pub follow_ups_tab: bool,
    }

    /// A trust whose remediation plan's agreed date passed without an operational EPR.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct FollowUp {
        /// The trust's ODS code.
        pub code: String,
        /// The trust's name.
        pub name: String,
        /// The name of the economy it belongs to, if any.
        pub economy: Option<String>,
        /// The date agreed for an operational EPR (YYYY-MM-DD).
        pub agreed_date: String,
    }

    /// A criterion's latest value.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct LatestValue {
        /// The quarter it is for.
        pub period: Quarter,
        /// The value as given (empty: not yet achieved).
        pub value: String,
        /// Whether the board has checked it.
        pub status: Status,
        /// Submitted through the web after the quarter's deadline.
        pub late: bool,
    }

    /// The last review of a criterion's latest value.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct LastReview {
        /// "verified", or otherwise returned.
        pub outcome: String,
        /// Why it was returned, if a reason was given.
        pub reason: Option<String>,
        /// When it was reviewed (a timestamp; its first ten characters are the date).
        pub at: String,
        /// Who reviewed it.
        pub by: String,
    }

    /// One change to a criterion's value.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct ValueChange {
        /// The quarter the value is for.
        pub period: String,
        /// The value before (empty when there was none).
        pub old_value: String,
        /// The value after.
        pub new_value: String,
        /// The status after.
        pub new_status: String,
        /// When it changed (a timestamp; its first ten characters are the date).
        pub at: String,
        /// Who changed it.
        pub by: String,
        /// Submitted through the web after the quarter's deadline.
        pub late: bool,
    }

    /// An economy's live scores in one quarter.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct QuarterScores {
        /// The quarter scored.
        pub quarter: Quarter,
        /// Overall score, every value counted.
        pub overall: f64,
        /// Overall score, verified values only.
        pub verified_overall: f64,
        /// Completeness, as a percentage.
        pub completeness: f64,
        /// Confidence (share verified), as a percentage.
        pub confidence: f64,
        /// The stage reached.
        pub stage: u8,
        /// Whether it is eligible (every gate met).
        pub eligible: bool,
    }

    /// What an economy said when it nominated itself.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct NominationStatement {
        /// The lead contact's name.
        pub lead_name: String,
        /// The lead contact's role.
        pub lead_role: String,
        /// The lead contact's email address.
        pub lead_email: String,
        /// Its vision.
        pub vision: String,
        /// What is already in place.
        pub in_place: String,
        /// The benefits expected for patients.
        pub benefits: String,
    }

    /// One proposal or decision about an economy.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct DecisionLine {
        /// proposed, shortlisted, selected or not-selected.
        pub outcome: String,
        /// Why.
        pub rationale: String,
        /// When it was made (a timestamp; its first ten characters are the date).
        pub at: String,
        /// Who made it.
        pub by: String,
        /// Whether it has been made public on the economy's page.
        pub public: bool,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct Compared {
        pub slug: String,
        pub name: String,
        pub rank: Option<u32>,
        /// Rank among every candidate with the comparison's weights (the CSV's).
        pub rank_weighted: Option<u32>,
        /// Place among the economies compared with the comparison's weights.
        #[serde(default)]
        pub place_weighted: Option<u32>,
        pub overall: Option<f64>,
        pub overall_weighted: Option<f64>,
        pub verified_overall: Option<f64>,
        pub themes: Vec<Option<f64>>,
        pub completeness: Option<f64>,
        pub confidence: Option<f64>,
        pub eligible: Option<bool>,
        pub stage: Option<u8>,
        pub paperless_date: Option<String>,
        pub on_track: Option<bool>,
        /// Member organisations by type: (type, how many).
        pub organisations: Vec<(String, usize)>,
        /// Member trusts that are non-compliant without an agreed remediation plan ("Name
        /// (CODE)"): while there is one, the economy cannot be funded.
        #[serde(default)]
        pub not_fundable: Vec<String>,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct CompareView {
        pub as_of: Option<String>,
        pub quarters: Vec<String>,
        pub candidates: Vec<(String, String)>,
        pub chosen: Vec<String>,
        /// Code, name and the framework's weight of each theme.
        pub themes: Vec<(String, String, f64)>,
        /// The text in each theme's weight box, theme by theme: as asked (kept when it is
        /// refused), or the framework's weight where none was given.
        pub weights: Vec<String>,
        /// The weights the figures use, theme by theme (none while a weight is refused).
        pub applied: Vec<(String, f64)>,
        /// Every row's weighted figures are computed with `applied`, once, by
        /// `domain::assessment::compare_weighted`.
        pub rows: Vec<Compared>,
        pub chart: String,
        /// The framework (its own weights) and the compared economies' values, so the page
        /// can work the weighted figures out again in the browser as a weight changes.
        pub framework: Framework,
        pub inputs: Vec<EconomyInput>,
        /// Problems with the query, each by its field (`e` for the economies, `w-THEME` for a
        /// weight): shown in the error summary and on the field, and nothing is compared.
        pub errors: Vec<(String, String)>,
        /// Organisations two or more of the compared economies list: (ODS code, name, the
        /// economies' names).
        #[serde(default)]
        pub shared: Vec<(String, String, Vec<String>)>,
    }

    /// The comparison's query: economies (`e`), quarter (`q`), weights (`w-THEME`).
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    pub struct CompareQuery {
        pub economies: Vec<String>,
        pub quarter: String,
        pub weights: Vec<(String, String)>,
    }

    impl CompareQuery {
        /// Whether anything was asked: a first visit has no query, so no problem to show.
        pub fn is_empty(&self) -> bool {
            self.economies.is_empty() && self.quarter.is_empty() && self.weights.is_empty()
        }

        /// The query string (no `?`) in the form's own order, so a link or the address bar
        /// gives the same comparison: `e=a&e=b&q=2014-Q2&w-records=3`.
        pub fn to_query_string(&self) -> String {
            let mut parts: Vec<String> = Vec::new();
            for e in &self.economies {
                parts.push(format!("e={}", encode(e)));
            }
            if !self.quarter.is_empty() {
                parts.push(format!("q={}", encode(&self.quarter)));
            }
            for (code, w) in &self.weights {
                parts.push(format!("w-{}={}", encode(code), encode(w)));
            }
            parts.join("&")
        }
    }

    /// Percent-encoding for a query string value (unreserved characters kept).
    fn encode(s: &str) -> String {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_review_applies_only_to_the_value_seen_and_not_twice() {
        use super::super::Status;
        let seen = "78";
        assert_eq!(
            review_applies(Some(("78", Status::Submitted)), seen, Review::Verify),
            Ok(())
        );
        assert_eq!(
            review_applies(Some(("78", Status::Verified)), seen, Review::Return),
            Ok(())
        );
        assert_eq!(
            review_applies(Some(("95", Status::Submitted)), seen, Review::Verify),
            Err(ReviewRefusal::Changed)
        );
        assert_eq!(
            review_applies(None, seen, Review::Verify),
            Err(ReviewRefusal::Changed)
        );
        assert_eq!(
            review_applies(Some(("78", Status::Verified)), seen, Review::Verify),
            Err(ReviewRefusal::AlreadyDone)
        );
        assert_eq!(
            review_applies(Some(("78", Status::Rejected)), seen, Review::Return),
            Err(ReviewRefusal::AlreadyDone)
        );
        assert_eq!(Review::Return.outcome(), "returned");
        assert_eq!(Review::Return.status(), Status::Rejected);
    }

    use super::*;
    use crate::domain::Status;

    fn fw() -> Framework {
        Framework::from_toml(include_str!("../../../fixtures/example/framework.toml")).unwrap()
    }

    fn e(p: &str, code: &str, value: &str, status: Status) -> Entry {
        Entry {
            period: p.parse().unwrap(),
            code: code.into(),
            value: value.into(),
            status,
        }
    }

    #[test]
    fn a_comparison_weight_is_a_number_above_0_and_up_to_100() {
        assert_eq!(compare_weight("Records", " 2.5 "), Ok(2.5));
        assert_eq!(compare_weight("Records", "100"), Ok(100.0));
        assert_eq!(
            compare_weight("Records", ""),
            Err("Enter a weight for Records".into())
        );
        for bad in ["two", "1,5", "NaN", "inf"] {
            assert_eq!(
                compare_weight("Records", bad),
                Err("Weight for Records must be a number, like 2".into()),
                "{bad}"
            );
        }
        for bad in ["0", "-1"] {
            assert_eq!(
                compare_weight("Records", bad),
                Err("Weight for Records must be greater than 0".into())
            );
        }
        assert_eq!(
            compare_weight("Records", "100.5"),
            Err("Weight for Records must be 100 or less".into())
        );
    }

    #[test]
    fn a_comparison_query_reads_back_as_the_form_sends_it() {
        let q = view::CompareQuery {
            economies: vec!["leeds".into(), "york & co".into()],
            quarter: "2014-Q2".into(),
            weights: vec![
                ("records".into(), "1.5".into()),
                ("infra".into(), "".into()),
            ],
        };
        assert_eq!(
            q.to_query_string(),
            "e=leeds&e=york%20%26%20co&q=2014-Q2&w-records=1.5&w-infra="
        );
        assert!(!q.is_empty());
        assert!(view::CompareQuery::default().is_empty());
    }

    #[test]
    fn the_weighted_comparison_follows_the_weights() {
        let fw = fw();
        let input = |slug: &str, value: &str| EconomyInput {
            slug: slug.into(),
            name: slug.into(),
            entries: vec![
                e("2014-Q1", "EPR-ACUTE", "2014-03-01", Status::Submitted),
                e("2014-Q1", "NHS-NUMBER", value, Status::Submitted),
            ],
        };
        let both = [input("a", "90"), input("b", "10")];
        let q = Some("2014-Q1".parse().unwrap());
        let plain = compare_weighted(&fw, &[], &both, q);
        assert_eq!(plain[0].slug, "a");
        assert_eq!(plain[0].place, Some(1));
        // With the framework's weights written out, the same figures.
        let same = compare_weighted(
            &fw,
            &[("records".into(), 3.0), ("infra".into(), 1.0)],
            &both,
            q,
        );
        assert_eq!(plain, same);
        // Another weight moves the figures; 0 or less is not a weight and changes nothing.
        let heavy = compare_weighted(&fw, &[("infra".into(), 10.0)], &both, q);
        assert_ne!(plain[0].overall, heavy[0].overall);
        assert_eq!(
            compare_weighted(&fw, &[("infra".into(), 0.0)], &both, q),
            plain
        );
    }

    #[test]
    fn a_gate_value_outranks_a_minor_one() {
        let fw = fw();
        let entries = vec![
            e("2014-Q1", "EPR-ACUTE", "2014-03-01", Status::Submitted),
            e("2014-Q1", "NHS-NUMBER", "50", Status::Submitted),
            e("2014-Q1", "CONNECT", "1", Status::Submitted),
        ];
        let q: Quarter = "2014-Q1".parse().unwrap();
        let gate = impact(&fw, &entries, q, "EPR-ACUTE");
        let minor = impact(&fw, &entries, q, "CONNECT");
        assert_eq!(gate.decides.as_deref(), Some("a gate"));
        assert_eq!(minor.decides, None);
        assert!(minor.delta_overall > 0.0);
        assert_eq!(
            by_impact((&gate, "b", "k1"), (&minor, "a", "k2")),
            Ordering::Less
        );
        // Without a gate, the larger move comes first.
        let pct = impact(&fw, &entries, q, "NHS-NUMBER");
        assert!(pct.delta_overall > minor.delta_overall);
        assert_eq!(
            by_impact((&pct, "b", "k1"), (&minor, "a", "k2")),
            Ordering::Less
        );
    }

    #[test]
    fn the_jump_is_against_the_previous_quarter() {
        let fw = fw();
        let entries = vec![
            e("2014-Q1", "NHS-NUMBER", "19", Status::Verified),
            e("2014-Q2", "NHS-NUMBER", "95", Status::Submitted),
        ];
        let i = impact(&fw, &entries, "2014-Q2".parse().unwrap(), "NHS-NUMBER");
        assert!((i.jump.unwrap() - 80.0).abs() < 1e-9);
        // Removing it falls back to the earlier value: the move is the difference, not all.
        assert!(i.delta_overall > 0.0);
        let first = impact(&fw, &entries, "2014-Q1".parse().unwrap(), "NHS-NUMBER");
        assert_eq!(first.jump, None);
    }

    #[test]
    fn robustness_spans_the_ranks_under_changed_weights() {
        let fw = fw();
        // A is strong on records, B on infrastructure: weights decide their order.
        let a = EconomyInput {
            slug: "a".into(),
            name: "A".into(),
            entries: vec![
                e("2014-Q1", "EPR-ACUTE", "2014-03-01", Status::Verified),
                e("2014-Q1", "NHS-NUMBER", "60", Status::Verified),
            ],
        };
        let b = EconomyInput {
            slug: "b".into(),
            name: "B".into(),
            entries: vec![
                e("2014-Q1", "EPR-ACUTE", "2014-03-01", Status::Verified),
                e("2014-Q1", "NHS-NUMBER", "30", Status::Verified),
                e("2014-Q1", "GP2GP", "yes", Status::Verified),
                e("2014-Q1", "CONNECT", "5", Status::Verified),
            ],
        };
        let economies = vec![a, b];
        let q = Some("2014-Q1".parse().unwrap());
        let r = robustness(&fw, &economies, q);
        // Every scenario ranks both; each rank is 1 or 2.
        assert!(r
            .values()
            .all(|(best, worst)| *best >= 1 && *worst <= 2 && best <= worst));
        // Scores under explicitly changed weights match the scoring module's.
        let heavy_infra = with_weights(&fw, &[("infra".into(), 10.0)]);
        let s = score_all(&heavy_infra, &economies, q);
        assert_eq!(s.economies[0].economy, "b");
        let heavy_records = with_weights(&fw, &[("records".into(), 10.0)]);
        let s = score_all(&heavy_records, &economies, q);
        assert_eq!(s.economies[0].economy, "a");
        // Bad weights are ignored.
        assert_eq!(with_weights(&fw, &[("infra".into(), -1.0)]), fw);
    }

    #[test]
    fn review_keys_round_trip() {
        let k = review_key("york", "2014-Q1", "EPR-ACUTE", "");
        assert_eq!(
            parse_review_key(&k),
            Some((
                "york".into(),
                "2014-Q1".parse().unwrap(),
                "EPR-ACUTE".into(),
                String::new()
            ))
        );
        assert_eq!(parse_review_key("york|2014-Q9|X|1"), None);
        assert_eq!(parse_review_key("nothing"), None);
    }
}
