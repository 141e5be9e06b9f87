//! Self-nomination: what a local health economy gives when it puts itself forward, the rules
//! its form is held to, and the nomination window. Pure: no IO, no clock.

use crate::domain::account::Email;
use crate::domain::Framework;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// England's nine regions of 2013 (routes.md).
pub const REGIONS: [&str; 9] = [
    "North East",
    "North West",
    "Yorkshire and the Humber",
    "East Midlands",
    "West Midlands",
    "East of England",
    "London",
    "South East",
    "South West",
];

/// The kinds of member organisation of a local health economy. NHS organisations take theirs
/// from the register of organisations; social care partners are the ones given by name.
pub const ORGANISATION_KINDS: [(&str, &str); 8] = [
    ("acute", "Acute trust"),
    ("community", "Community trust"),
    ("mental-health", "Mental health trust"),
    ("ambulance", "Ambulance trust"),
    ("other-trust", "NHS trust"),
    ("ccg", "Clinical commissioning group"),
    ("gp-practice", "GP practice"),
    ("social-care", "Social care (local authority)"),
];

/// The only kind of member organisation given by name rather than ODS code.
pub const SOCIAL_CARE: &str = "social-care";

/// What the register of organisations says of a code, for checking a member organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Known {
    pub code: String,
    pub name: String,
    /// Its member-organisation kind (acute, ccg, gp-practice…).
    pub kind: String,
    pub close_date: Option<NaiveDate>,
    /// The successor's code and name, for a closed organisation.
    pub successor: Option<(String, String)>,
}

/// Checks one member organisation given by ODS code (`code`, upper case, not empty) or, for
/// a social care partner, by name: the organisation, or the field and message.
fn member(
    code: &str,
    name: &str,
    known: &HashMap<String, Known>,
    today: NaiveDate,
    which: &str,
) -> Result<Organisation, (&'static str, String)> {
    if !code.is_empty() {
        if !(3..=6).contains(&code.len()) || !code.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err((
                "code",
                format!("The ODS code of {which} must be 3 to 6 letters and numbers, like RR8"),
            ));
        }
        let Some(o) = known.get(code) else {
            return Err((
                "code",
                format!(
                    "{code} is not an NHS organisation of 2013 to 2015. Check the code of {which}, or search for the organisation by name"
                ),
            ));
        };
        if let Some(closed) = o.close_date.filter(|d| *d < today) {
            return Err((
                "code",
                format!(
                    "{} ({code}) closed on {}{}",
                    o.name,
                    super::types::long_date(closed),
                    o.successor
                        .as_ref()
                        .map(|(c, n)| format!(": its services passed to {n} ({c})"))
                        .unwrap_or_default()
                ),
            ));
        }
        return Ok(Organisation {
            name: o.name.clone(),
            ods_code: Some(code.to_string()),
            kind: o.kind.clone(),
        });
    }
    if name.chars().count() > NAME_MAX {
        return Err((
            "name",
            format!("The name of {which} must be 120 characters or fewer"),
        ));
    }
    Ok(Organisation {
        name: name.to_string(),
        ods_code: None,
        kind: SOCIAL_CARE.to_string(),
    })
}

/// The ODS codes a nomination form names (upper case), to look up in the register first.
pub fn codes_in(fields: &HashMap<String, String>) -> Vec<String> {
    (1..=ORGANISATION_ROWS)
        .filter_map(|i| fields.get(&format!("org-{i}-code")))
        .map(|c| c.trim().to_uppercase())
        .filter(|c| !c.is_empty())
        .collect()
}

/// The words for an organisation type's code (the code itself when it is not one).
pub fn kind_words(code: &str) -> String {
    ORGANISATION_KINDS
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, w)| w.to_string())
        .unwrap_or_else(|| code.to_string())
}

/// Rows of member organisations on the nomination form (more can be added once accepted).
pub const ORGANISATION_ROWS: usize = 8;

pub const NAME_MAX: usize = 120;
pub const STATEMENT_MAX: usize = 6000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organisation {
    pub name: String,
    pub ods_code: Option<String>,
    pub kind: String,
}

/// A nomination as given, checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Nomination {
    pub name: String,
    pub region: String,
    pub organisations: Vec<Organisation>,
    pub lead_name: String,
    pub lead_email: Email,
    pub lead_role: String,
    pub vision: String,
    pub in_place: String,
    pub benefits: String,
}

/// A nomination as the admins' page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NominationSummary {
    pub slug: String,
    pub name: String,
    pub region: String,
    /// nominated (pending), candidate (accepted) or declined
    pub status: String,
    pub lead_name: String,
    pub lead_email: String,
    pub lead_role: String,
    pub vision: String,
    pub in_place: String,
    pub benefits: String,
    pub submitted_on: String,
    pub reason: Option<String>,
    pub decided_by: Option<String>,
}

/// Checks a nomination form's fields; every problem, by field, in the order of the form.
/// `known` holds what the register says of the codes the form names ([`codes_in`]); an
/// organisation closed before `today` is refused with its successor.
pub fn parse(
    fields: &HashMap<String, String>,
    known: &HashMap<String, Known>,
    today: NaiveDate,
) -> Result<Nomination, Vec<(String, String)>> {
    let get = |k: &str| {
        fields
            .get(k)
            .map(|v| v.trim().to_string())
            .unwrap_or_default()
    };
    let mut errors: Vec<(String, String)> = Vec::new();
    let mut err = |f: &str, m: &str| errors.push((f.to_string(), m.to_string()));

    let name = get("name");
    if name.is_empty() {
        err("name", "Enter the name of your local health economy");
    } else if name.chars().count() > NAME_MAX {
        err("name", "The name must be 120 characters or fewer");
    } else if !name.chars().any(|c| c.is_ascii_alphanumeric()) {
        err("name", "The name must contain letters or numbers");
    }
    let region = get("region");
    if !REGIONS.contains(&region.as_str()) {
        err("region", "Select the region of your local health economy");
    }
    let mut organisations: Vec<Organisation> = Vec::new();
    let mut first_row: HashMap<String, usize> = HashMap::new();
    let mut given = 0;
    for i in 1..=ORGANISATION_ROWS {
        let (n, c) = (
            get(&format!("org-{i}-name")),
            get(&format!("org-{i}-code")).to_uppercase(),
        );
        if n.is_empty() && c.is_empty() {
            continue;
        }
        given += 1;
        if !c.is_empty() {
            if let Some(j) = first_row.get(&c) {
                err(
                    &format!("org-{i}-code"),
                    &format!("{c} is already organisation {j}: give each organisation once"),
                );
                continue;
            }
            first_row.insert(c.clone(), i);
        }
        match member(&c, &n, known, today, &format!("organisation {i}")) {
            Ok(o) => organisations.push(o),
            Err((field, m)) => err(&format!("org-{i}-{field}"), &m),
        }
    }
    if given == 0 {
        err(
            "org-1-code",
            "Enter at least one member organisation: the ODS code of an NHS organisation, or the name of a social care partner",
        );
    }
    let lead_name = get("lead_name");
    if lead_name.is_empty() {
        err("lead_name", "Enter the lead contact's full name");
    }
    let lead_email = Email::parse(&get("lead_email"));
    if let Err(m) = &lead_email {
        err("lead_email", m);
    }
    let lead_role = get("lead_role");
    if lead_role.is_empty() {
        err("lead_role", "Enter the lead contact's job title");
    }
    for (field, what) in [
        ("vision", "your vision for the economy as an exemplar"),
        ("in_place", "what is already in place"),
        ("benefits", "the benefits you expect for patients"),
    ] {
        let v = get(field);
        if v.is_empty() {
            err(field, &format!("Describe {what}"));
        } else if v.chars().count() > STATEMENT_MAX {
            err(
                field,
                &format!("Describe {what} in 6,000 characters or fewer"),
            );
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Nomination {
        name,
        region,
        organisations,
        lead_name,
        lead_email: lead_email.expect("checked"),
        lead_role,
        vision: get("vision"),
        in_place: get("in_place"),
        benefits: get("benefits"),
    })
}

/// Whether nominations are open on `today`: between the framework's `nominations-open`
/// and `nominations-close` milestones (inclusive); without them, always.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Window {
    Open { closes: Option<NaiveDate> },
    NotYet { opens: NaiveDate },
    Closed { closed: NaiveDate },
}

/// One member organisation added after acceptance (fields `ods_code`, or `name` for a social
/// care partner), checked against what the register says of its code.
pub fn parse_organisation(
    name: &str,
    ods_code: &str,
    known: &HashMap<String, Known>,
    today: NaiveDate,
) -> Result<Organisation, Vec<(String, String)>> {
    let (name, code) = (name.trim(), ods_code.trim().to_uppercase());
    if name.is_empty() && code.is_empty() {
        return Err(vec![(
            "ods_code".to_string(),
            "Enter the organisation's ODS code, or the name of a social care partner".to_string(),
        )]);
    }
    member(&code, name, known, today, "the organisation").map_err(|(field, m)| {
        let field = if field == "code" { "ods_code" } else { "name" };
        vec![(field.to_string(), m)]
    })
}

pub fn window(fw: &Framework, today: NaiveDate) -> Window {
    let date = |code: &str| {
        fw.milestones
            .iter()
            .find(|m| m.code == code)
            .map(|m| m.date)
    };
    match (date("nominations-open"), date("nominations-close")) {
        (Some(opens), _) if today < opens => Window::NotYet { opens },
        (_, Some(closed)) if today > closed => Window::Closed { closed },
        (_, closes) => Window::Open { closes },
    }
}

/// A slug for a new economy from its name: lower-case letters, digits and hyphens.
pub fn slug_of(name: &str) -> String {
    let mut slug = String::new();
    for c in name.to_ascii_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_matches('-').to_string();
    if slug.is_empty() {
        "economy".into()
    } else {
        slug
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn good() -> HashMap<String, String> {
        [
            ("name", "Wakefield health and care partnership"),
            ("region", "Yorkshire and the Humber"),
            ("org-1-name", "Mid Yorkshire Hospitals NHS Trust"),
            ("org-1-code", "rxf"),
            ("org-1-kind", "acute"),
            ("org-2-name", "Wakefield Council"),
            ("org-2-kind", "social-care"),
            ("lead_name", "Priya Shah"),
            ("lead_email", "Priya.Shah@nhs.net"),
            ("lead_role", "Chief clinical information officer"),
            ("vision", "One record across the district."),
            ("in_place", "GP2GP everywhere."),
            ("benefits", "Fewer repeated tests."),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
    }

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// What the register says of the codes these tests use.
    fn known() -> HashMap<String, Known> {
        [
            (
                "RXF",
                "Mid Yorkshire Hospitals NHS Trust",
                "acute",
                None,
                None,
            ),
            ("03R", "NHS Wakefield CCG", "ccg", None, None),
            (
                "RR8",
                "Leeds Teaching Hospitals NHS Trust",
                "acute",
                None,
                None,
            ),
            (
                "RC3",
                "Ealing Hospital NHS Trust",
                "acute",
                Some(day("2014-09-30")),
                Some((
                    "R1K".to_string(),
                    "London North West Healthcare NHS Trust".to_string(),
                )),
            ),
        ]
        .into_iter()
        .map(|(code, name, kind, close_date, successor)| {
            (
                code.to_string(),
                Known {
                    code: code.to_string(),
                    name: name.to_string(),
                    kind: kind.to_string(),
                    close_date,
                    successor,
                },
            )
        })
        .collect()
    }

    fn check(f: &HashMap<String, String>) -> Result<Nomination, Vec<(String, String)>> {
        parse(f, &known(), day("2015-04-20"))
    }

    #[test]
    fn a_complete_form_parses_with_names_and_types_from_the_register() {
        let mut f = good();
        f.insert("org-1-name".into(), "whatever was typed".into());
        f.insert("org-3-code".into(), " 03r ".into());
        let n = check(&f).unwrap();
        assert_eq!(n.organisations.len(), 3);
        assert_eq!(n.organisations[0].ods_code.as_deref(), Some("RXF"));
        assert_eq!(n.organisations[0].name, "Mid Yorkshire Hospitals NHS Trust");
        assert_eq!(n.organisations[1].ods_code, None);
        assert_eq!(n.organisations[1].kind, "social-care");
        assert_eq!(n.organisations[2].kind, "ccg");
        assert_eq!(n.lead_email.as_str(), "priya.shah@nhs.net");
        assert_eq!(codes_in(&f), vec!["RXF", "03R"]);
    }

    #[test]
    fn every_problem_is_named_by_its_field_in_order() {
        let mut f = good();
        f.insert("region".into(), "Wales".into());
        f.insert("org-1-code".into(), "RZZ".into());
        f.insert("org-2-code".into(), "R!".into());
        f.insert("org-3-code".into(), "RC3".into());
        f.insert("org-4-code".into(), "rr8".into());
        f.insert("org-5-code".into(), "RR8".into());
        f.insert("lead_email".into(), "priya".into());
        f.insert("benefits".into(), " ".into());
        let errors = check(&f).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(
            fields,
            [
                "region",
                "org-1-code",
                "org-2-code",
                "org-3-code",
                "org-5-code",
                "lead_email",
                "benefits"
            ]
        );
        assert!(errors[1]
            .1
            .starts_with("RZZ is not an NHS organisation of 2013 to 2015"));
        assert_eq!(
            errors[3].1,
            "Ealing Hospital NHS Trust (RC3) closed on 30 September 2014: its services passed to London North West Healthcare NHS Trust (R1K)"
        );
        assert!(errors[4].1.contains("already organisation 4"));
        let empty = check(&HashMap::new()).unwrap_err();
        assert!(empty
            .iter()
            .any(|(f, m)| f == "org-1-code" && m.contains("at least one")));
        assert_eq!(empty.len(), 9);
    }

    #[test]
    fn an_organisation_added_later_is_checked_the_same_way() {
        let k = known();
        let today = day("2015-04-20");
        let o = parse_organisation("", "rr8", &k, today).unwrap();
        assert_eq!(
            (o.name.as_str(), o.kind.as_str()),
            ("Leeds Teaching Hospitals NHS Trust", "acute")
        );
        let o = parse_organisation("Leeds City Council", "", &k, today).unwrap();
        assert_eq!(o.kind, "social-care");
        assert_eq!(
            parse_organisation("", "ZZZ", &k, today).unwrap_err()[0].0,
            "ods_code"
        );
        assert_eq!(
            parse_organisation(" ", " ", &k, today).unwrap_err()[0].0,
            "ods_code"
        );
        // Closed after today: still a member then.
        assert!(parse_organisation("", "RC3", &k, day("2014-09-30")).is_ok());
    }

    #[test]
    fn the_window_follows_the_milestones() {
        let fw =
            Framework::from_toml(include_str!("../../../frameworks/exemplar-2015.toml")).unwrap();
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(
            window(&fw, d("2013-09-30")),
            Window::NotYet {
                opens: d("2013-10-01")
            }
        );
        assert!(matches!(window(&fw, d("2013-10-01")), Window::Open { .. }));
        assert!(matches!(window(&fw, d("2015-05-31")), Window::Open { .. }));
        assert_eq!(
            window(&fw, d("2015-06-01")),
            Window::Closed {
                closed: d("2015-05-31")
            }
        );
    }

    #[test]
    fn slugs() {
        assert_eq!(
            slug_of("Leicester, Leicestershire & Rutland"),
            "leicester-leicestershire-rutland"
        );
        assert_eq!(slug_of("!!!"), "economy");
    }
}
