//! The trust EPR register's rules: the trusts file (`exemplar import trusts`), EPR statuses and
//! compliance with the `epr-operational` milestone as of any date. Pure.

use super::files::read_csv;
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
pub fn parse_trusts(
    bytes: &[u8],
    economies: &HashSet<String>,
    today: NaiveDate,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
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
        let rows = parse_trusts(file.as_bytes(), &economies, d("2015-04-20")).unwrap();
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
            let problems = parse_trusts(file.as_bytes(), &economies, today).unwrap_err();
            assert_eq!(problems.len(), 1, "{row}: {problems:?}");
            assert_eq!(problems[0].line, Some(2), "{row}");
            assert_eq!(&problems[0].field, field, "{row}: {problems:?}");
        }
        // Duplicates, a wrong header and an empty file.
        let dup = format!("{head}RR8,A,acute,London,,none,,\nrr8,B,acute,London,,none,,\n");
        let p = parse_trusts(dup.as_bytes(), &economies, today).unwrap_err();
        assert_eq!((p[0].line, p[0].field.as_str()), (Some(3), "code"));
        let p = parse_trusts(b"code,name\nRR8,A\n", &economies, today).unwrap_err();
        assert_eq!((p[0].line, p[0].field.as_str()), (Some(1), "file"));
        let p = parse_trusts(b"", &economies, today).unwrap_err();
        assert_eq!((p[0].line, p[0].field.as_str()), (Some(1), "file"));
        // Every problem of a file, not the first only.
        let many = format!("{head}R!,A,acute,London,,none,,\nRR9,B,acute,London,,live,,\n");
        let p = parse_trusts(many.as_bytes(), &economies, today).unwrap_err();
        assert_eq!(
            p.iter().map(|p| p.line).collect::<Vec<_>>(),
            vec![Some(2), Some(3)]
        );
    }
}
