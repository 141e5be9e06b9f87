//! The selection panel's arithmetic (spec/panel.md sections 4 and 5): outliers, means, panel
//! scores, ranks and the panel's agreement as Krippendorff's alpha with the interval metric.
//!
//! Pure: the caller hands over every score it holds with whether it was submitted, and the
//! conflicts in force; what counts is decided here, so no caller can count a draft or a
//! conflicted member's score by mistake.

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// The panel's questions and rules, from the framework file's `[panel]` section.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Panel {
    pub scale_min: i64,
    pub scale_max: i64,
    pub outlier_gap: f64,
    pub min_members: u32,
    pub questions: Vec<Question>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Question {
    pub code: String,
    pub title: String,
    pub weight: f64,
    #[serde(default)]
    pub guidance: Option<String>,
}

impl Panel {
    pub fn question(&self, code: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.code == code)
    }

    /// Whether `score` is on the panel's scale.
    pub fn on_scale(&self, score: i64) -> bool {
        (self.scale_min..=self.scale_max).contains(&score)
    }
}

/// One score a member holds for a (candidate, question), as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Score {
    pub member: String,
    pub economy: String,
    pub question: String,
    pub value: i64,
    pub submitted: bool,
}

/// The median of `values` (the mean of the middle two for an even count); `None` when empty.
pub fn median(values: &[i64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let mut v = values.to_vec();
    v.sort_unstable();
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2] as f64
    } else {
        (v[n / 2 - 1] as f64 + v[n / 2] as f64) / 2.0
    })
}

/// Whether `score` is an outlier against the other members' scores for the same pair
/// (section 4): at least two others, and at least `gap` from their median.
pub fn is_outlier(score: i64, others: &[i64], gap: f64) -> bool {
    others.len() >= 2 && median(others).is_some_and(|m| (score as f64 - m).abs() >= gap)
}

/// The plain reading of an agreement figure (section 5).
pub fn agreement(alpha: Option<f64>) -> &'static str {
    match alpha {
        None => "not enough scores to measure agreement",
        Some(a) if a >= 0.8 => "good agreement",
        Some(a) if a >= 0.667 => "tentative agreement",
        Some(_) => "the panel should talk before it decides",
    }
}

/// Krippendorff's alpha with the interval metric over units of values; units with fewer
/// than two values are not pairable. `None` with no pairable value or no variance.
pub fn krippendorff_alpha<'a>(units: impl IntoIterator<Item = &'a [i64]>) -> Option<f64> {
    // Sums over ordered pairs i != j of (v_i - v_j)^2 are 2 (m Σv² - (Σv)²): exact in integers.
    fn pair_sum(m: i128, sum: i128, squares: i128) -> i128 {
        2 * (m * squares - sum * sum)
    }
    let (mut n, mut sum, mut squares) = (0i128, 0i128, 0i128);
    let mut observed = 0.0f64;
    for unit in units {
        if unit.len() < 2 {
            continue;
        }
        let m = unit.len() as i128;
        let s: i128 = unit.iter().map(|&v| i128::from(v)).sum();
        let q: i128 = unit.iter().map(|&v| i128::from(v) * i128::from(v)).sum();
        observed += pair_sum(m, s, q) as f64 / (m - 1) as f64;
        n += m;
        sum += s;
        squares += q;
    }
    if n == 0 {
        return None;
    }
    let expected_pairs = pair_sum(n, sum, squares);
    if expected_pairs == 0 {
        return None;
    }
    let d_o = observed / n as f64;
    let d_e = expected_pairs as f64 / (n * (n - 1)) as f64;
    Some(1.0 - d_o / d_e)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Completeness {
    Complete,
    Incomplete,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Results {
    pub framework: String,
    pub scale: Scale,
    pub alpha: Option<f64>,
    pub candidates: Vec<Candidate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scale {
    pub min: i64,
    pub max: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    pub economy: String,
    pub rank: Option<u32>,
    pub status: Completeness,
    pub panel_score: Option<f64>,
    pub members: u32,
    pub questions: Vec<QuestionResult>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuestionResult {
    pub question: String,
    pub mean: Option<f64>,
    pub scores: u32,
    pub outliers: u32,
}

/// The scores that count (section 5): submitted, for a question of the panel, by a member
/// with no conflict in force for that economy; one per (member, economy, question), the
/// last given winning. Keyed by (economy, question), then member.
pub fn counted(
    panel: &Panel,
    scores: &[Score],
    conflicts: &HashSet<(String, String)>,
) -> BTreeMap<(String, String), BTreeMap<String, i64>> {
    let mut out: BTreeMap<(String, String), BTreeMap<String, i64>> = BTreeMap::new();
    for s in scores {
        if !s.submitted
            || panel.question(&s.question).is_none()
            || conflicts.contains(&(s.member.clone(), s.economy.clone()))
        {
            continue;
        }
        out.entry((s.economy.clone(), s.question.clone()))
            .or_default()
            .insert(s.member.clone(), s.value);
    }
    out
}

/// The members whose counted score for `(economy, question)` is an outlier.
pub fn outliers_of(panel: &Panel, members: &BTreeMap<String, i64>) -> BTreeSet<String> {
    members
        .iter()
        .filter(|(member, &score)| {
            let others: Vec<i64> = members
                .iter()
                .filter(|(m, _)| m != member)
                .map(|(_, &v)| v)
                .collect();
            is_outlier(score, &others, panel.outlier_gap)
        })
        .map(|(m, _)| m.clone())
        .collect()
}

/// The panel's results (section 5) for the framework `framework`.
pub fn results(
    framework: &str,
    panel: &Panel,
    scores: &[Score],
    conflicts: &HashSet<(String, String)>,
) -> Results {
    let counted = counted(panel, scores, conflicts);
    let alpha = krippendorff_alpha(
        counted
            .values()
            .map(|m| m.values().copied().collect::<Vec<_>>())
            .collect::<Vec<_>>()
            .iter()
            .map(Vec::as_slice),
    );
    let economies: BTreeSet<&String> = counted.keys().map(|(e, _)| e).collect();
    let range = (panel.scale_max - panel.scale_min) as f64;
    let total_weight: f64 = panel.questions.iter().map(|q| q.weight).sum();
    let mut candidates: Vec<Candidate> = economies
        .into_iter()
        .map(|economy| {
            let mut per_member: HashMap<&String, usize> = HashMap::new();
            let mut weighted = 0.0;
            let questions: Vec<QuestionResult> = panel
                .questions
                .iter()
                .map(|q| {
                    let Some(members) = counted.get(&(economy.clone(), q.code.clone())) else {
                        return QuestionResult {
                            question: q.code.clone(),
                            mean: None,
                            scores: 0,
                            outliers: 0,
                        };
                    };
                    for m in members.keys() {
                        *per_member.entry(m).or_default() += 1;
                    }
                    let mean =
                        members.values().map(|&v| v as f64).sum::<f64>() / members.len() as f64;
                    weighted += q.weight * (mean - panel.scale_min as f64) / range;
                    QuestionResult {
                        question: q.code.clone(),
                        mean: Some(mean),
                        scores: members.len() as u32,
                        outliers: outliers_of(panel, members).len() as u32,
                    }
                })
                .collect();
            let members = per_member
                .values()
                .filter(|&&n| n == panel.questions.len())
                .count() as u32;
            let complete = members >= panel.min_members;
            Candidate {
                economy: economy.clone(),
                rank: None,
                status: if complete {
                    Completeness::Complete
                } else {
                    Completeness::Incomplete
                },
                panel_score: complete.then(|| 100.0 * weighted / total_weight),
                members,
                questions,
            }
        })
        .collect();
    candidates.sort_by(|a, b| match (a.panel_score, b.panel_score) {
        (Some(x), Some(y)) => y.total_cmp(&x).then_with(|| a.economy.cmp(&b.economy)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.economy.cmp(&b.economy),
    });
    for (i, c) in candidates.iter_mut().enumerate() {
        if c.panel_score.is_some() {
            c.rank = Some(i as u32 + 1);
        }
    }
    Results {
        framework: framework.to_string(),
        scale: Scale {
            min: panel.scale_min,
            max: panel.scale_max,
        },
        alpha,
        candidates,
    }
}

/// The results as CSV: one row per candidate, then `mean:`, `scores:` and `outliers:` for
/// each question in framework order; null is an empty cell, numbers in their shortest exact
/// form. The agreement is not a per-candidate figure and is left to the JSON.
pub fn results_csv(panel: &Panel, r: &Results) -> String {
    let mut header = vec![
        "economy".to_string(),
        "rank".into(),
        "status".into(),
        "panel_score".into(),
        "members".into(),
    ];
    for q in &panel.questions {
        header.push(format!("mean:{}", q.code));
        header.push(format!("scores:{}", q.code));
        header.push(format!("outliers:{}", q.code));
    }
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(&header);
    for c in &r.candidates {
        let mut row = vec![
            c.economy.clone(),
            c.rank.map(|r| r.to_string()).unwrap_or_default(),
            match c.status {
                Completeness::Complete => "complete".into(),
                Completeness::Incomplete => "incomplete".into(),
            },
            c.panel_score.map(|s| s.to_string()).unwrap_or_default(),
            c.members.to_string(),
        ];
        for q in &c.questions {
            row.push(q.mean.map(|m| m.to_string()).unwrap_or_default());
            row.push(q.scores.to_string());
            row.push(q.outliers.to_string());
        }
        let _ = w.write_record(&row);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// One row of a conflicts file (`member,economy,reason`), the member's email in lower case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConflictRow {
    pub line: u64,
    pub member: String,
    pub economy: String,
    pub reason: String,
}

/// One row of a panel scores file (`member,economy,question,score,comment`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScoreRow {
    pub line: u64,
    pub member: String,
    pub economy: String,
    pub question: String,
    pub score: i64,
    pub comment: String,
}

/// Who may sit on the panel: every account's email (lower case) with whether its role is
/// assessor or admin.
pub type Accounts = HashMap<String, bool>;

fn member(
    line: u64,
    text: &str,
    accounts: &Accounts,
    problems: &mut Vec<super::Problem>,
) -> Option<String> {
    let email = text.trim().to_lowercase();
    match accounts.get(&email) {
        Some(true) => Some(email),
        Some(false) => {
            problems.push(super::Problem::at_line(
                line,
                "member",
                format!(
                    "\"{email}\" is a submitter's account; panel members are assessors and admins"
                ),
            ));
            None
        }
        None if email.is_empty() => {
            problems.push(super::Problem::at_line(line, "member", "is empty"));
            None
        }
        None => {
            problems.push(super::Problem::at_line(
                line,
                "member",
                format!("\"{email}\" is not the email of an assessor's or admin's account"),
            ));
            None
        }
    }
}

fn economy(
    line: u64,
    text: &str,
    economies: &HashSet<String>,
    problems: &mut Vec<super::Problem>,
) -> Option<String> {
    let slug = text.trim();
    if economies.contains(slug) {
        Some(slug.to_string())
    } else {
        problems.push(super::Problem::at_line(
            line,
            "economy",
            if slug.is_empty() {
                "is empty".to_string()
            } else {
                format!("\"{slug}\" is not an economy (import it first)")
            },
        ));
        None
    }
}

/// Parses a conflicts file (panel.md section 6) against the accounts and economies that
/// exist. Every problem is listed with its line.
pub fn parse_conflicts(
    bytes: &[u8],
    accounts: &Accounts,
    economies: &HashSet<String>,
) -> Result<Vec<ConflictRow>, Vec<super::Problem>> {
    let mut out = Vec::new();
    super::csv_file::read_csv(
        bytes,
        &["member", "economy", "reason"],
        |line, f, problems| {
            let member = member(line, &f[0], accounts, problems);
            let economy = economy(line, &f[1], economies, problems);
            let reason = f[2].trim();
            if reason.is_empty() {
                problems.push(super::Problem::at_line(
                    line,
                    "reason",
                    "is empty (say why the member has a conflict of interest)",
                ));
            }
            if let (Some(member), Some(economy), false) = (member, economy, reason.is_empty()) {
                out.push(ConflictRow {
                    line,
                    member,
                    economy,
                    reason: reason.to_string(),
                });
            }
        },
    )?;
    Ok(out)
}

/// Parses a panel scores file (panel.md section 6) against the panel, the accounts, the
/// economies and the conflicts in force (member email, economy slug).
pub fn parse_scores(
    bytes: &[u8],
    panel: &Panel,
    accounts: &Accounts,
    economies: &HashSet<String>,
    conflicts: &HashSet<(String, String)>,
) -> Result<Vec<ScoreRow>, Vec<super::Problem>> {
    let mut out = Vec::new();
    let mut seen: HashMap<(String, String, String), u64> = HashMap::new();
    super::csv_file::read_csv(
        bytes,
        &["member", "economy", "question", "score", "comment"],
        |line, f, problems| {
            let member = member(line, &f[0], accounts, problems);
            let economy = economy(line, &f[1], economies, problems);
            let code = f[2].trim();
            let question = if panel.question(code).is_some() {
                Some(code.to_string())
            } else {
                problems.push(super::Problem::at_line(
                    line,
                    "question",
                    if code.is_empty() {
                        "is empty".to_string()
                    } else {
                        format!(
                            "\"{code}\" is not a question of the panel ({})",
                            panel
                                .questions
                                .iter()
                                .map(|q| q.code.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    },
                ));
                None
            };
            let text = f[3].trim();
            let score = match text.parse::<i64>() {
                Ok(n) if panel.on_scale(n) => Some(n),
                Ok(n) => {
                    problems.push(super::Problem::at_line(
                        line,
                        "score",
                        format!(
                            "{n} is outside the scale {} to {}",
                            panel.scale_min, panel.scale_max
                        ),
                    ));
                    None
                }
                Err(_) => {
                    problems.push(super::Problem::at_line(
                        line,
                        "score",
                        if text.is_empty() {
                            "is empty".to_string()
                        } else {
                            format!(
                                "\"{text}\" is not a whole number from {} to {}",
                                panel.scale_min, panel.scale_max
                            )
                        },
                    ));
                    None
                }
            };
            if let (Some(m), Some(e)) = (&member, &economy) {
                if conflicts.contains(&(m.clone(), e.clone())) {
                    problems.push(super::Problem::at_line(
                        line,
                        "economy",
                        format!("{m} has declared a conflict of interest with \"{e}\" and cannot score it"),
                    ));
                }
            }
            if let (Some(m), Some(e), Some(q)) = (&member, &economy, &question) {
                if let Some(first) = seen.insert((m.clone(), e.clone(), q.clone()), line) {
                    problems.push(super::Problem::at_line(
                        line,
                        "question",
                        format!("{m} already scored \"{q}\" for \"{e}\" on line {first}"),
                    ));
                }
            }
            if let (Some(member), Some(economy), Some(question), Some(score)) =
                (member, economy, question, score)
            {
                out.push(ScoreRow {
                    line,
                    member,
                    economy,
                    question,
                    score,
                    comment: f[4].trim().to_string(),
                });
            }
        },
    )?;
    Ok(out)
}

/// What the panel's pages show, as the server sends it to them.
/// The documents a site visit checked, from the findings form's box: one document a line,
/// the document, a colon, then what the visit found. Every problem with its line.
pub fn parse_documents(text: &str) -> Result<Vec<(String, String)>, Vec<String>> {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        match line.split_once(':') {
            Some((doc, found)) if !doc.trim().is_empty() && !found.trim().is_empty() => {
                if line.chars().count() > 1000 {
                    errors.push(format!("Line {} of the documents must be 1,000 characters or fewer", i + 1));
                } else {
                    out.push((doc.trim().to_string(), found.trim().to_string()));
                }
            }
            Some((doc, _)) if doc.trim().is_empty() => errors.push(format!(
                "Line {} of the documents has nothing before the colon: name the document first",
                i + 1
            )),
            Some(_) => errors.push(format!(
                "Line {} of the documents says nothing after the colon: write what the visit found",
                i + 1
            )),
            None => errors.push(format!(
                "Line {} of the documents has no colon: write the document, a colon, then what the visit found",
                i + 1
            )),
        }
    }
    if out.len() > 50 {
        errors.push("List at most 50 documents".into());
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

pub mod view {
    use super::{Panel, Question, Results};
    use serde::{Deserialize, Serialize};

    /// A site visit to a candidate: when, who goes, what they will look at, and once it has
    /// happened what they found for each panel question and in each document checked.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    pub struct Visit {
        pub economy: String,
        pub name: String,
        /// The day of the visit, `YYYY-MM-DD`.
        pub on: String,
        pub scope: String,
        /// The members who go (emails, lower case).
        pub members: Vec<String>,
        pub scheduled_at: String,
        pub scheduled_by: String,
        pub reported_at: Option<String>,
        pub reported_by: Option<String>,
        /// (question code, finding), in the panel's order of questions.
        pub findings: Vec<(String, String)>,
        /// (document, what the visit found), as listed.
        pub documents: Vec<(String, String)>,
    }

    impl Visit {
        pub fn reported(&self) -> bool {
            self.reported_at.is_some()
        }

        pub fn finding(&self, question: &str) -> Option<&str> {
            self.findings
                .iter()
                .find(|(q, _)| q == question)
                .map(|(_, f)| f.as_str())
        }
    }

    /// `/admin/panel/{slug}`: a candidate's site visit.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct VisitPage {
        pub panel: Panel,
        pub economy: String,
        pub name: String,
        pub round_open: bool,
        /// The round's members who may go: none with a conflict in force with the economy.
        pub members: Vec<String>,
        pub visit: Option<Visit>,
        /// The programme's today, `YYYY-MM-DD`: findings are recorded from the visit's day.
        pub today: String,
    }

    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    pub struct Round {
        pub framework: String,
        pub opened_at: String,
        pub opened_by: String,
        pub closed_at: Option<String>,
        pub closed_by: Option<String>,
    }

    impl Round {
        pub fn open(&self) -> bool {
            self.closed_at.is_none()
        }
    }

    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    pub struct Conflict {
        pub id: i64,
        pub member: String,
        pub economy: String,
        pub economy_name: String,
        pub reason: String,
        pub declared_at: String,
        pub declared_by: String,
        pub withdrawn_at: Option<String>,
        pub withdrawn_by: Option<String>,
        pub withdrawn_reason: Option<String>,
    }

    /// A candidate of the round as one member stands with it.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    pub struct Progress {
        pub economy: String,
        pub name: String,
        pub scored: u32,
        pub submitted: bool,
    }

    /// `/assess/panel`: the member's round.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct MemberRound {
        pub panel: Option<Panel>,
        pub round: Option<Round>,
        pub member: bool,
        pub declared_at: Option<String>,
        /// The member's own conflicts, in force and withdrawn.
        pub conflicts: Vec<Conflict>,
        /// The round's candidates the member may score (none they have a conflict with).
        pub candidates: Vec<Progress>,
        /// Every economy, for declaring a conflict: (slug, name).
        pub economies: Vec<(String, String)>,
    }

    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    pub struct Change {
        pub old: i64,
        pub new: i64,
        pub reason: String,
        pub at: String,
        pub by: String,
    }

    /// One member's submitted score as the panel sees it after submitting.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    pub struct Marked {
        pub member: String,
        pub score: i64,
        pub comment: String,
        pub outlier: bool,
        pub justification: Option<String>,
        pub changes: Vec<Change>,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct Line {
        pub question: Question,
        /// The viewer's own score and comment (draft or submitted).
        pub own: Option<i64>,
        pub comment: String,
        pub own_outlier: bool,
        pub justification: Option<String>,
        pub mean: Option<f64>,
        /// Every counted score; empty while the viewer may not see them (blind).
        pub scores: Vec<Marked>,
    }

    /// `/assess/panel/{slug}`: the score sheet, then every score.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct Sheet {
        pub economy: String,
        pub name: String,
        pub scale_min: i64,
        pub scale_max: i64,
        pub round_open: bool,
        /// The viewer sits on the round and may score this candidate.
        pub scoring: bool,
        pub declared: bool,
        pub submitted: bool,
        /// Whether every member's scores are shown (not blind for this viewer).
        pub shown: bool,
        pub lines: Vec<Line>,
        /// The candidate's site visit, findings and all, shown before the member submits.
        pub visit: Option<Visit>,
    }

    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    pub struct Staff {
        pub email: String,
        pub role: String,
        pub member: bool,
        pub declared_at: Option<String>,
        pub submitted: u32,
    }

    /// `/admin/panel`: the round.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct AdminRound {
        pub panel: Option<Panel>,
        pub round: Option<Round>,
        pub staff: Vec<Staff>,
        /// The round's candidates, or while none is open those shortlisted now: (slug, name).
        pub candidates: Vec<(String, String)>,
        pub conflicts: Vec<Conflict>,
        /// The results without the candidates this viewer may not see yet.
        pub results: Option<Results>,
        /// Candidates left out of the results for this viewer (blind or conflicted).
        pub hidden: Vec<String>,
        /// What stops the round closing now.
        pub blockers: Vec<String>,
        /// The site visits of the round's candidates.
        pub visits: Vec<Visit>,
    }
}

#[cfg(test)]
#[path = "panel_tests.rs"]
mod tests;
