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

/// The kinds of member organisation of a local health economy.
pub const ORGANISATION_KINDS: [(&str, &str); 6] = [
    ("acute", "Acute trust"),
    ("community", "Community trust"),
    ("mental-health", "Mental health trust"),
    ("ambulance", "Ambulance trust"),
    ("gp-practice", "GP practice"),
    ("social-care", "Social care / local authority"),
];

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
pub fn parse(fields: &HashMap<String, String>) -> Result<Nomination, Vec<(String, String)>> {
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
    let mut organisations = Vec::new();
    for i in 1..=ORGANISATION_ROWS {
        let (n, c, k) = (
            get(&format!("org-{i}-name")),
            get(&format!("org-{i}-code")).to_uppercase(),
            get(&format!("org-{i}-kind")),
        );
        if n.is_empty() {
            if !c.is_empty() || !k.is_empty() {
                err(
                    &format!("org-{i}-name"),
                    &format!("Enter the name of organisation {i}, or clear its other fields"),
                );
            }
            continue;
        }
        if n.chars().count() > NAME_MAX {
            err(
                &format!("org-{i}-name"),
                &format!("The name of organisation {i} must be 120 characters or fewer"),
            );
        }
        if !c.is_empty()
            && (!(3..=6).contains(&c.len()) || !c.bytes().all(|b| b.is_ascii_alphanumeric()))
        {
            err(
                &format!("org-{i}-code"),
                &format!(
                    "The ODS code of organisation {i} must be 3 to 6 letters and numbers, like RR8"
                ),
            );
        }
        if !ORGANISATION_KINDS.iter().any(|(code, _)| *code == k) {
            err(
                &format!("org-{i}-kind"),
                &format!("Select the type of organisation {i}"),
            );
        }
        organisations.push(Organisation {
            name: n,
            ods_code: (!c.is_empty()).then_some(c),
            kind: k,
        });
    }
    if organisations.is_empty() {
        err("org-1-name", "Enter at least one member organisation");
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

/// One member organisation added after acceptance (fields `name`, `ods_code`, `kind`).
pub fn parse_organisation(
    name: &str,
    ods_code: &str,
    kind: &str,
) -> Result<Organisation, Vec<(String, String)>> {
    let (name, code, kind) = (name.trim(), ods_code.trim().to_uppercase(), kind.trim());
    let mut errors = Vec::new();
    if name.is_empty() {
        errors.push((
            "name".to_string(),
            "Enter the organisation's name".to_string(),
        ));
    } else if name.chars().count() > NAME_MAX {
        errors.push((
            "name".to_string(),
            "The name must be 120 characters or fewer".to_string(),
        ));
    }
    if !code.is_empty()
        && (!(3..=6).contains(&code.len()) || !code.bytes().all(|b| b.is_ascii_alphanumeric()))
    {
        errors.push((
            "ods_code".to_string(),
            "The ODS code must be 3 to 6 letters and numbers, like RR8".to_string(),
        ));
    }
    if !ORGANISATION_KINDS.iter().any(|(c, _)| *c == kind) {
        errors.push((
            "kind".to_string(),
            "Select the type of organisation".to_string(),
        ));
    }
    if errors.is_empty() {
        Ok(Organisation {
            name: name.to_string(),
            ods_code: (!code.is_empty()).then_some(code),
            kind: kind.to_string(),
        })
    } else {
        Err(errors)
    }
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

    #[test]
    fn a_complete_form_parses() {
        let n = parse(&good()).unwrap();
        assert_eq!(n.organisations.len(), 2);
        assert_eq!(n.organisations[0].ods_code.as_deref(), Some("RXF"));
        assert_eq!(n.organisations[1].ods_code, None);
        assert_eq!(n.lead_email.as_str(), "priya.shah@nhs.net");
    }

    #[test]
    fn every_problem_is_named_by_its_field_in_order() {
        let mut f = good();
        f.insert("region".into(), "Wales".into());
        f.insert("org-1-kind".into(), "hospital".into());
        f.insert("org-2-code".into(), "R!".into());
        f.insert("org-3-code".into(), "RR8".into());
        f.insert("lead_email".into(), "priya".into());
        f.insert("benefits".into(), " ".into());
        let fields: Vec<String> = parse(&f).unwrap_err().into_iter().map(|(f, _)| f).collect();
        assert_eq!(
            fields,
            [
                "region",
                "org-1-kind",
                "org-2-code",
                "org-3-name",
                "lead_email",
                "benefits"
            ]
        );
        let empty = parse(&HashMap::new()).unwrap_err();
        assert!(empty
            .iter()
            .any(|(f, m)| f == "org-1-name" && m.contains("at least one")));
        assert_eq!(empty.len(), 9);
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
