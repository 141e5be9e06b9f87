//! The trust EPR register's rules: the trusts file (`exemplar import trusts`), EPR statuses and
//! compliance with the `epr-operational` milestone as of any date. Pure.

use super::csv_file::read_csv;
use super::problem::Problem;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// The kinds of trust held to the April 2014 requirement.
pub const TRUST_KINDS: [(&str, &str); 4] = [
    ("acute", "Acute trust"),
    ("community", "Community trust"),
    ("mental-health", "Mental health trust"),
    ("ambulance", "Ambulance trust"),
];

/// A trust type's words ("Acute trust"), or the code itself if it is not one.
pub fn kind_words(kind: &str) -> String {
    TRUST_KINDS
        .iter()
        .find(|(c, _)| *c == kind)
        .map(|(_, n)| n.to_string())
        .unwrap_or_else(|| kind.to_string())
}

pub const COLUMNS: [&str; 8] = [
    "code",
    "name",
    "type",
    "region",
    "economy",
    "epr_status",
    "operational_date",
    "planned_date",
];

/// A trust's EPR status, with the date each status needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", content = "date", rename_all = "lowercase")]
pub enum Epr {
    /// Operational since the date.
    Operational(NaiveDate),
    /// Going live on the planned date.
    Deploying(NaiveDate),
    None,
}

impl Epr {
    pub fn status(&self) -> &'static str {
        match self {
            Epr::Operational(_) => "operational",
            Epr::Deploying(_) => "deploying",
            Epr::None => "none",
        }
    }

    /// Its two date columns as stored: (operational date, planned date).
    pub fn dates(&self) -> (Option<String>, Option<String>) {
        match self {
            Epr::Operational(d) => (Some(d.to_string()), None),
            Epr::Deploying(d) => (None, Some(d.to_string())),
            Epr::None => (None, None),
        }
    }

    /// From stored text: the status and its two date columns.
    pub fn from_parts(
        status: &str,
        operational: Option<&str>,
        planned: Option<&str>,
    ) -> Option<Epr> {
        let date = |d: Option<&str>| d.and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
        match status {
            "operational" => date(operational).map(Epr::Operational),
            "deploying" => date(planned).map(Epr::Deploying),
            "none" => Some(Epr::None),
            _ => None,
        }
    }
}

/// Compliance with the deadline, as of a date: computed, never typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Compliance {
    /// Operational on or before the deadline.
    Compliant,
    /// Operational, after the deadline.
    Late,
    /// Not operational (as of the date).
    NonCompliant,
}

impl Compliance {
    pub fn words(self) -> &'static str {
        match self {
            Compliance::Compliant => "Compliant",
            Compliance::Late => "Late",
            Compliance::NonCompliant => "Non-compliant",
        }
    }
}

/// Compliance of a trust's EPR with `deadline`, as of `as_of`: an operational date after
/// `as_of` has not happened yet.
pub fn compliance(epr: &Epr, deadline: NaiveDate, as_of: NaiveDate) -> Compliance {
    match epr {
        Epr::Operational(d) if *d <= as_of && *d <= deadline => Compliance::Compliant,
        Epr::Operational(d) if *d <= as_of => Compliance::Late,
        _ => Compliance::NonCompliant,
    }
}

/// A trust that closed (merged, was acquired or dissolved): its last day open and the trust
/// that took over its services (code, name), as the register of organisations says.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Closure {
    pub date: NaiveDate,
    pub successor: Option<(String, String)>,
}

impl Closure {
    /// "Closed on 30 September 2014: its services passed to London North West Healthcare
    /// NHS Trust (R1K)".
    pub fn words(&self) -> String {
        format!(
            "Closed on {}{}",
            super::types::long_date(self.date),
            self.successor
                .as_ref()
                .map(|(c, n)| format!(": its services passed to {n} ({c})"))
                .unwrap_or_default()
        )
    }
}

/// Compliance of a trust that may have closed (`closed`: its last day open): judged as it
/// stood on the day it closed, and not at all when it closed before the deadline (it was
/// never held to it).
pub fn compliance_until(
    epr: &Epr,
    deadline: NaiveDate,
    as_of: NaiveDate,
    closed: Option<NaiveDate>,
) -> Option<Compliance> {
    match closed {
        Some(c) if c < deadline => None,
        Some(c) => Some(compliance(epr, deadline, as_of.min(c))),
        None => Some(compliance(epr, deadline, as_of)),
    }
}

/// One row of a trusts file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustRow {
    pub line: u64,
    pub code: String,
    pub name: String,
    pub kind: String,
    pub region: String,
    pub economy: Option<String>,
    pub epr: Epr,
}

/// Parses a trusts file (`code,name,type,region,economy,epr_status,operational_date,
/// planned_date`) against the economies that exist and `today` (an operational date may not be
/// in the future). Whole file or every problem with its line.
///
/// `registered`: the NHS trusts of the register of organisations; a code not among them is
/// a problem (`None`: not checked).
pub fn parse_trusts(
    bytes: &[u8],
    economies: &HashSet<String>,
    today: NaiveDate,
    registered: Option<&HashSet<String>>,
) -> Result<Vec<TrustRow>, Vec<Problem>> {
    let mut out = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    read_csv(bytes, &COLUMNS, |line, f, problems| {
        let cell = |i: usize| f[i].trim();
        let mut ok = true;
        let mut bad = |field: &str, message: String| {
            problems.push(Problem::at_line(line, field, message));
        };
        let code = cell(0).to_ascii_uppercase();
        if !(3..=6).contains(&code.len()) || !code.bytes().all(|b| b.is_ascii_alphanumeric()) {
            bad(
                "code",
                format!(
                    "\"{}\" is not an ODS code (3 to 6 letters and digits, like RR8)",
                    cell(0)
                ),
            );
            ok = false;
        } else if let Some(first) = seen.insert(code.clone(), line) {
            bad("code", format!("\"{code}\" is already on line {first}"));
            ok = false;
        } else if registered.is_some_and(|r| !r.contains(&code)) {
            bad(
                "code",
                format!("\"{code}\" is not an NHS trust in the register of organisations (refresh the register with `exemplar import organisations` if the trust is new)"),
            );
            ok = false;
        }
        if cell(1).is_empty() {
            bad("name", "is empty".into());
            ok = false;
        }
        let kind = cell(2).to_ascii_lowercase();
        if !TRUST_KINDS.iter().any(|(k, _)| *k == kind) {
            bad(
                "type",
                format!(
                    "\"{}\" is not a trust type (acute, community, mental-health or ambulance)",
                    cell(2)
                ),
            );
            ok = false;
        }
        if cell(3).is_empty() {
            bad("region", "is empty".into());
            ok = false;
        }
        let economy = cell(4);
        if !economy.is_empty() && !economies.contains(economy) {
            bad(
                "economy",
                format!("\"{economy}\" is not an economy (a slug, or empty)"),
            );
            ok = false;
        }
        let date =
            |i: usize, field: &str, problems: &mut Vec<Problem>| -> Result<Option<NaiveDate>, ()> {
                let text = cell(i);
                if text.is_empty() {
                    return Ok(None);
                }
                NaiveDate::parse_from_str(text, "%Y-%m-%d")
                    .ok()
                    .filter(|_| text.len() == 10)
                    .map(Some)
                    .ok_or_else(|| {
                        problems.push(Problem::at_line(
                            line,
                            field,
                            format!("\"{text}\" is not a date (YYYY-MM-DD)"),
                        ));
                    })
            };
        let operational = date(6, "operational_date", problems);
        let planned = date(7, "planned_date", problems);
        let (Ok(operational), Ok(planned)) = (operational, planned) else {
            return;
        };
        let mut bad = |field: &str, message: String| {
            problems.push(Problem::at_line(line, field, message));
        };
        let epr = match (cell(5).to_ascii_lowercase().as_str(), operational, planned) {
            ("operational", Some(d), None) if d > today => {
                bad("operational_date", format!("{d} is in the future (today is {today}): an EPR is operational only once it is"));
                None
            }
            ("operational", Some(d), None) => Some(Epr::Operational(d)),
            ("operational", None, _) => {
                bad(
                    "operational_date",
                    "is empty: an operational EPR needs the date it became operational".into(),
                );
                None
            }
            ("operational", Some(_), Some(_)) => {
                bad(
                    "planned_date",
                    "must be empty for an operational EPR".into(),
                );
                None
            }
            ("deploying", None, Some(d)) => Some(Epr::Deploying(d)),
            ("deploying", _, None) => {
                bad(
                    "planned_date",
                    "is empty: a deploying EPR needs its planned go-live date".into(),
                );
                None
            }
            ("deploying", Some(_), Some(_)) => {
                bad(
                    "operational_date",
                    "must be empty for an EPR still deploying".into(),
                );
                None
            }
            ("none", None, None) => Some(Epr::None),
            ("none", _, _) => {
                bad("epr_status", "is none, so both dates must be empty".into());
                None
            }
            (other, _, _) => {
                bad(
                    "epr_status",
                    format!("\"{other}\" is not operational, deploying or none"),
                );
                None
            }
        };
        if let (true, Some(epr)) = (ok, epr) {
            out.push(TrustRow {
                line,
                code,
                name: cell(1).to_string(),
                kind,
                region: cell(3).to_string(),
                economy: (!economy.is_empty()).then(|| economy.to_string()),
                epr,
            });
        }
    })?;
    Ok(out)
}

// ---------------------------------------------------------------------------------------
// Enforcement: remediation plans, follow-ups, fundability and the register check.

/// Longest text kept for what was agreed and for the consequence.
pub const PLAN_TEXT_MAX: usize = 2000;

/// A remediation plan as board staff record it: the date the trust agreed to have an
/// operational EPR by, what was agreed as possible and practical, and the consequence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    pub agreed_date: NaiveDate,
    pub agreed: String,
    pub consequence: String,
}

/// Reads a remediation plan's three fields (`agreed_date`, `agreed`, `consequence`): the plan,
/// or every problem by its field. The agreed date may not be before the deadline it remedies.
pub fn check_plan(
    date: &str,
    agreed: &str,
    consequence: &str,
    deadline: Option<NaiveDate>,
) -> Result<Plan, Vec<(String, String)>> {
    let mut errors = Vec::new();
    let date = date.trim();
    let parsed = if date.is_empty() {
        errors.push((
            "agreed_date".to_string(),
            "Enter the agreed date for an operational EPR".to_string(),
        ));
        None
    } else {
        match NaiveDate::parse_from_str(date, "%Y-%m-%d")
            .ok()
            .filter(|_| date.len() == 10)
        {
            Some(d) if deadline.is_some_and(|dl| d < dl) => {
                errors.push((
                    "agreed_date".to_string(),
                    format!(
                        "The agreed date must be on or after the deadline it remedies ({})",
                        deadline.map(|d| d.to_string()).unwrap_or_default()
                    ),
                ));
                None
            }
            Some(d) => Some(d),
            None => {
                errors.push((
                    "agreed_date".to_string(),
                    "Enter the agreed date as YYYY-MM-DD, like 2015-03-31".to_string(),
                ));
                None
            }
        }
    };
    for (field, text, missing) in [
        (
            "agreed",
            agreed,
            "Enter what was agreed as possible and practical",
        ),
        (
            "consequence",
            consequence,
            "Enter the consequence, like funding withheld until the agreed date",
        ),
    ] {
        if text.trim().is_empty() {
            errors.push((field.to_string(), missing.to_string()));
        } else if text.chars().count() > PLAN_TEXT_MAX {
            errors.push((
                field.to_string(),
                format!("Keep this to {PLAN_TEXT_MAX} characters or fewer"),
            ));
        }
    }
    match (parsed, errors.is_empty()) {
        (Some(agreed_date), true) => Ok(Plan {
            agreed_date,
            agreed: agreed.trim().to_string(),
            consequence: consequence.trim().to_string(),
        }),
        _ => Err(errors),
    }
}

/// Where a remediation plan stands as of a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PlanState {
    /// The agreed date has not passed and the EPR is not operational yet.
    Pending,
    /// Operational on or before the agreed date.
    Met,
    /// Operational, but after the agreed date.
    MetLate,
    /// The agreed date has passed without an operational EPR: a follow-up for the board.
    Overdue,
}

impl PlanState {
    pub fn words(self) -> &'static str {
        match self {
            PlanState::Pending => "Agreed date not yet reached",
            PlanState::Met => "Met: operational by the agreed date",
            PlanState::MetLate => "Operational, after the agreed date",
            PlanState::Overdue => "Overdue: agreed date passed without an operational EPR",
        }
    }
}

/// A plan's state as of `as_of`: the agreed date passes at the end of that day.
pub fn plan_state(epr: &Epr, agreed_date: NaiveDate, as_of: NaiveDate) -> PlanState {
    match epr {
        Epr::Operational(d) if *d <= as_of && *d <= agreed_date => PlanState::Met,
        Epr::Operational(d) if *d <= as_of => PlanState::MetLate,
        _ if as_of > agreed_date => PlanState::Overdue,
        _ => PlanState::Pending,
    }
}

/// Whether a trust blocks its economy's funding as of `as_of`: not operational (so
/// non-compliant) and without an agreed remediation plan.
pub fn blocks_funding(epr: &Epr, has_plan: bool, deadline: NaiveDate, as_of: NaiveDate) -> bool {
    compliance(epr, deadline, as_of) == Compliance::NonCompliant && !has_plan
}

/// The framework's date criterion about EPR in acute trusts, if it has one: a `date`
/// criterion whose title speaks of an electronic patient record (or EPR) and of acute trusts.
pub fn acute_epr_criterion(
    fw: &super::framework::Framework,
) -> Option<&super::framework::Criterion> {
    fw.criteria.iter().find(|c| {
        let title = c.title.to_lowercase();
        let words: Vec<&str> = title
            .split(|ch: char| !ch.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        matches!(c.kind, super::framework::Kind::Date(_))
            && (words.contains(&"epr") || title.contains("electronic patient record"))
            && words.contains(&"acute")
    })
}

/// Checks an economy's value for the acute-EPR criterion in a quarter ending `period_end`
/// against its acute trusts in the register (code, name, EPR): the value is the date by which
/// every acute trust had an operational EPR, or empty for not yet. `None` when they agree, or
/// when the register has none of the economy's acute trusts; otherwise what disagrees.
pub fn register_check(
    value: &str,
    period_end: NaiveDate,
    acute: &[(String, String, Epr)],
) -> Option<String> {
    if acute.is_empty() {
        return None;
    }
    let live = |e: &Epr, by: NaiveDate| matches!(e, Epr::Operational(d) if *d <= by);
    let last = acute
        .iter()
        .map(|(_, _, e)| match e {
            Epr::Operational(d) => Some(*d),
            _ => None,
        })
        .collect::<Option<Vec<_>>>()
        .and_then(|ds| ds.into_iter().max());
    let value = value.trim();
    if value.is_empty() {
        return match last {
            Some(r) if r <= period_end => Some(format!(
                "Says not yet achieved, but the register has every acute trust operational by {r}"
            )),
            _ => None,
        };
    }
    let Ok(said) = NaiveDate::parse_from_str(value, "%Y-%m-%d") else {
        return None;
    };
    let missing: Vec<String> = acute
        .iter()
        .filter(|(_, _, e)| !live(e, said))
        .map(|(code, name, _)| format!("{name} ({code})"))
        .collect();
    if !missing.is_empty() {
        return Some(format!(
            "Says {said}, but the register has {} without an operational EPR on that date: {}",
            if missing.len() == 1 {
                "1 acute trust".to_string()
            } else {
                format!("{} acute trusts", missing.len())
            },
            missing.join(", ")
        ));
    }
    match last {
        Some(r) if r != said => Some(format!(
            "Says {said}, but the register's last acute trust went live on {r}"
        )),
        _ => None,
    }
}

/// What the public register (`/trusts`) shows.
pub mod view {
    use chrono::NaiveDate;
    use serde::{Deserialize, Serialize};

    /// An economy's latest value for the acute-EPR criterion that disagrees with the register.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    pub struct Mismatch {
        pub slug: String,
        pub name: String,
        pub period: String,
        pub code: String,
        pub status: String,
        /// What disagrees, in words.
        pub message: String,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct TrustLine {
        pub code: String,
        pub name: String,
        pub kind: String,
        pub region: String,
        /// slug, name
        pub economy: Option<(String, String)>,
        /// operational, deploying or none, with its date
        pub status: String,
        pub date: Option<String>,
        pub compliance: String,
        /// The remediation plan the board made public last: agreed date, what was agreed, the
        /// consequence.
        pub plan: Option<(String, String, String)>,
        /// When it closed (by the day shown), and its successor.
        pub closed: Option<super::Closure>,
    }

    /// Counts: total, compliant, late, non-compliant.
    pub type Counts = (usize, usize, usize, usize);

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct TrustsView {
        pub deadline: Option<(String, NaiveDate)>,
        pub today: NaiveDate,
        pub total: Counts,
        /// quarter end, trusts operational by then
        pub over_time: Vec<(NaiveDate, usize)>,
        pub by_region: Vec<(String, Counts)>,
        pub by_kind: Vec<(String, Counts)>,
        /// This page of the trusts the search finds.
        pub trusts: Vec<TrustLine>,
        /// How many trusts the search finds, on every page.
        pub shown: usize,
        /// Which page of them this is.
        pub paging: crate::domain::paging::Paging,
        pub search: String,
        pub chart: String,
        /// Trusts with a public remediation plan.
        pub public_plans: usize,
        /// Compliance by NHS England area team (its name, with its region's).
        pub by_area_team: Vec<(String, Counts)>,
        /// NHS England's regions and area teams, for the filter.
        pub places: Vec<crate::domain::organisations::NhsPlace>,
        /// `?nhs=`: the list shows only trusts in this region or area team.
        pub nhs: Option<String>,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_closed_trust_is_judged_as_it_stood_when_it_closed() {
        let deadline = d("2014-04-01");
        let late = Epr::Operational(d("2014-06-01"));
        // Closed before the deadline: never held to it.
        assert_eq!(
            compliance_until(&late, deadline, d("2015-04-20"), Some(d("2013-09-30"))),
            None
        );
        // Closed on the deadline itself: held to it.
        assert_eq!(
            compliance_until(&Epr::None, deadline, d("2015-04-20"), Some(d("2014-04-01"))),
            Some(Compliance::NonCompliant)
        );
        // Went live after it closed (a date typed after the merger): not operational then.
        assert_eq!(
            compliance_until(&late, deadline, d("2015-04-20"), Some(d("2014-05-31"))),
            Some(Compliance::NonCompliant)
        );
        assert_eq!(
            compliance_until(&late, deadline, d("2015-04-20"), Some(d("2014-09-30"))),
            Some(Compliance::Late)
        );
        assert_eq!(
            compliance_until(&late, deadline, d("2015-04-20"), None),
            Some(Compliance::Late)
        );
    }

    #[test]
    fn compliance_on_the_boundaries() {
        let deadline = d("2014-04-01");
        let later = d("2015-04-20");
        assert_eq!(
            compliance(&Epr::Operational(deadline), deadline, later),
            Compliance::Compliant
        );
        assert_eq!(
            compliance(&Epr::Operational(d("2014-04-02")), deadline, later),
            Compliance::Late
        );
        assert_eq!(
            compliance(&Epr::None, deadline, later),
            Compliance::NonCompliant
        );
        assert_eq!(
            compliance(&Epr::Deploying(d("2015-01-01")), deadline, later),
            Compliance::NonCompliant
        );
        // As of a date before it went live, it was not yet operational.
        assert_eq!(
            compliance(
                &Epr::Operational(d("2014-06-01")),
                deadline,
                d("2014-05-01")
            ),
            Compliance::NonCompliant
        );
        assert_eq!(
            compliance(
                &Epr::Operational(d("2013-06-01")),
                deadline,
                d("2013-05-31")
            ),
            Compliance::NonCompliant
        );
    }

    #[test]
    fn a_good_file_parses() {
        let economies: HashSet<String> = ["leeds".to_string()].into_iter().collect();
        let file = "code,name,type,region,economy,epr_status,operational_date,planned_date\n\
                    RR8,Leeds Teaching Hospitals NHS Trust,acute,Yorkshire and the Humber,leeds,operational,2013-11-30,\n\
                    rgd,Leeds and York Partnership NHS Foundation Trust,mental-health,Yorkshire and the Humber,,deploying,,2015-09-01\n\
                    RX8,Yorkshire Ambulance Service NHS Trust,ambulance,Yorkshire and the Humber,,none,,\n";
        let rows = parse_trusts(file.as_bytes(), &economies, d("2015-04-20"), None).unwrap();
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].epr, Epr::Operational(d("2013-11-30")));
        assert_eq!(rows[1].code, "RGD");
        assert_eq!(rows[1].economy, None);
        assert_eq!(rows[2].epr, Epr::None);
    }

    #[test]
    fn every_rule_has_its_problem_with_its_line() {
        let economies: HashSet<String> = ["leeds".to_string()].into_iter().collect();
        let today = d("2015-04-20");
        let head = "code,name,type,region,economy,epr_status,operational_date,planned_date\n";
        let cases: &[(&str, &str)] = &[
            ("R!,A,acute,London,,none,,", "code"),
            ("RR8,,acute,London,,none,,", "name"),
            ("RR8,A,hospital,London,,none,,", "type"),
            ("RR8,A,acute,,,none,,", "region"),
            ("RR8,A,acute,London,york,none,,", "economy"),
            ("RR8,A,acute,London,,live,,", "epr_status"),
            ("RR8,A,acute,London,,operational,,", "operational_date"),
            (
                "RR8,A,acute,London,,operational,2015-04-21,",
                "operational_date",
            ),
            (
                "RR8,A,acute,London,,operational,2014-13-01,",
                "operational_date",
            ),
            (
                "RR8,A,acute,London,,operational,2014-01-01,2014-02-01",
                "planned_date",
            ),
            ("RR8,A,acute,London,,deploying,,", "planned_date"),
            (
                "RR8,A,acute,London,,deploying,2014-01-01,2016-01-01",
                "operational_date",
            ),
            ("RR8,A,acute,London,,none,2014-01-01,", "epr_status"),
        ];
        for (row, field) in cases {
            let file = format!("{head}{row}\n");
            let problems = parse_trusts(file.as_bytes(), &economies, today, None).unwrap_err();
            assert_eq!(problems.len(), 1, "{row}: {problems:?}");
            assert_eq!(problems[0].line, Some(2), "{row}");
            assert_eq!(&problems[0].field, field, "{row}: {problems:?}");
        }
        // Duplicates, a wrong header and an empty file.
        let dup = format!("{head}RR8,A,acute,London,,none,,\nrr8,B,acute,London,,none,,\n");
        let p = parse_trusts(dup.as_bytes(), &economies, today, None).unwrap_err();
        assert_eq!((p[0].line, p[0].field.as_str()), (Some(3), "code"));
        let p = parse_trusts(b"code,name\nRR8,A\n", &economies, today, None).unwrap_err();
        assert_eq!((p[0].line, p[0].field.as_str()), (Some(1), "file"));
        let p = parse_trusts(b"", &economies, today, None).unwrap_err();
        assert_eq!((p[0].line, p[0].field.as_str()), (Some(1), "file"));
        // Every problem of a file, not the first only.
        let many = format!("{head}R!,A,acute,London,,none,,\nRR9,B,acute,London,,live,,\n");
        let p = parse_trusts(many.as_bytes(), &economies, today, None).unwrap_err();
        assert_eq!(
            p.iter().map(|p| p.line).collect::<Vec<_>>(),
            vec![Some(2), Some(3)]
        );
    }
    #[test]
    fn a_plan_needs_a_date_on_or_after_the_deadline_and_both_texts() {
        let deadline = Some(d("2014-04-01"));
        let plan = check_plan(
            " 2015-03-31 ",
            " Go live in phases ",
            "Funding withheld",
            deadline,
        )
        .unwrap();
        assert_eq!(plan.agreed_date, d("2015-03-31"));
        assert_eq!(plan.agreed, "Go live in phases");
        let fields = |r: Result<Plan, Vec<(String, String)>>| {
            r.unwrap_err()
                .into_iter()
                .map(|(f, _)| f)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            fields(check_plan("", "", "", deadline)),
            ["agreed_date", "agreed", "consequence"]
        );
        assert_eq!(
            fields(check_plan("31/03/2015", "a", "b", deadline)),
            ["agreed_date"]
        );
        assert_eq!(
            fields(check_plan("2014-03-31", "a", "b", deadline)),
            ["agreed_date"]
        );
        assert!(
            check_plan("2014-04-01", "a", "b", deadline).is_ok(),
            "on the deadline"
        );
        assert!(
            check_plan("2014-03-31", "a", "b", None).is_ok(),
            "no deadline to remedy"
        );
        let long = "x".repeat(PLAN_TEXT_MAX + 1);
        assert_eq!(
            fields(check_plan("2015-01-01", &long, "b", deadline)),
            ["agreed"]
        );
    }

    #[test]
    fn a_plan_is_overdue_the_day_after_its_agreed_date_without_an_operational_epr() {
        let agreed = d("2015-03-31");
        let deploying = Epr::Deploying(d("2015-06-01"));
        assert_eq!(
            plan_state(&deploying, agreed, d("2015-03-31")),
            PlanState::Pending
        );
        assert_eq!(
            plan_state(&deploying, agreed, d("2015-04-01")),
            PlanState::Overdue
        );
        assert_eq!(
            plan_state(&Epr::None, agreed, d("2015-04-01")),
            PlanState::Overdue
        );
        let live = Epr::Operational(d("2015-03-31"));
        assert_eq!(plan_state(&live, agreed, d("2015-04-20")), PlanState::Met);
        let late = Epr::Operational(d("2015-04-01"));
        assert_eq!(
            plan_state(&late, agreed, d("2015-04-20")),
            PlanState::MetLate
        );
        // Not live yet as of the date asked about.
        assert_eq!(
            plan_state(&late, agreed, d("2015-03-01")),
            PlanState::Pending
        );
    }

    #[test]
    fn only_a_non_compliant_trust_without_a_plan_blocks_funding() {
        let (deadline, today) = (d("2014-04-01"), d("2015-04-20"));
        assert!(blocks_funding(&Epr::None, false, deadline, today));
        assert!(blocks_funding(
            &Epr::Deploying(d("2015-06-01")),
            false,
            deadline,
            today
        ));
        assert!(!blocks_funding(&Epr::None, true, deadline, today));
        assert!(
            !blocks_funding(&Epr::Operational(d("2014-06-01")), false, deadline, today),
            "late, but live"
        );
        assert!(!blocks_funding(
            &Epr::Operational(d("2014-04-01")),
            false,
            deadline,
            today
        ));
    }

    #[test]
    fn the_acute_epr_criterion_is_found_by_kind_and_title() {
        let fw = crate::domain::framework::Framework::from_toml(include_str!(
            "../../../frameworks/exemplar-2015.toml"
        ))
        .unwrap();
        assert_eq!(
            acute_epr_criterion(&fw).map(|c| c.code.as_str()),
            Some("EPR-ACUTE")
        );
        let example = crate::domain::framework::Framework::from_toml(include_str!(
            "../../../fixtures/example/framework.toml"
        ))
        .unwrap();
        assert_eq!(
            acute_epr_criterion(&example).map(|c| c.code.as_str()),
            Some("EPR-ACUTE")
        );
        let mut other = fw.clone();
        other.criteria.retain(|c| c.code != "EPR-ACUTE");
        assert_eq!(
            acute_epr_criterion(&other),
            None,
            "the mental health EPR is not about acute trusts"
        );
    }

    #[test]
    fn the_register_check_compares_the_value_with_the_acute_trusts() {
        let end = d("2014-06-30");
        let t = |code: &str, e: Epr| (code.to_string(), format!("Trust {code}"), e);
        let both = vec![
            t("RA1", Epr::Operational(d("2013-11-30"))),
            t("RA2", Epr::Operational(d("2014-02-01"))),
        ];
        assert_eq!(register_check("2014-02-01", end, &both), None);
        assert_eq!(
            register_check("", end, &[]),
            None,
            "no acute trusts in the register"
        );
        assert_eq!(
            register_check("2014-03-01", end, &both).as_deref(),
            Some("Says 2014-03-01, but the register's last acute trust went live on 2014-02-01")
        );
        assert_eq!(
            register_check("2014-01-15", end, &both).as_deref(),
            Some("Says 2014-01-15, but the register has 1 acute trust without an operational EPR on that date: Trust RA2 (RA2)")
        );
        assert_eq!(
            register_check("", end, &both).as_deref(),
            Some("Says not yet achieved, but the register has every acute trust operational by 2014-02-01")
        );
        // Not yet, and rightly so at the end of an earlier quarter.
        assert_eq!(register_check("", d("2014-01-31"), &both), None);
        let one_deploying = vec![both[0].clone(), t("RA3", Epr::Deploying(d("2015-09-01")))];
        assert!(register_check("2014-02-01", end, &one_deploying)
            .unwrap()
            .ends_with("1 acute trust without an operational EPR on that date: Trust RA3 (RA3)"));
        assert_eq!(register_check("", end, &one_deploying), None);
    }
}
