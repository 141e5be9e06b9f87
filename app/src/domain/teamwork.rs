//! Completing a quarter together: which colleague each theme or criterion is assigned to,
//! progress per theme and per person, and the lead's sign-off that a quarter's drafts are
//! checked before they are submitted. Pure rules; storage in `db::teamwork`, the service in
//! `crate::teamwork`.

use super::framework::Framework;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};

/// Whether a part of a quarter is a theme (lower-case code) rather than a criterion
/// (upper-case code): the framework's codes keep the two apart.
pub fn is_theme(part: &str) -> bool {
    part.bytes().any(|b| b.is_ascii_lowercase())
}

/// The form field that assigns `part` (`assign-records`, `assign-EPR-ACUTE`).
pub fn assign_field(part: &str) -> String {
    format!("assign-{part}")
}

/// Who a criterion is assigned to: its own assignment, else its theme's.
pub fn assignee<'a>(
    fw: &Framework,
    code: &str,
    assigned: &'a HashMap<String, String>,
) -> Option<&'a String> {
    assigned
        .get(code)
        .or_else(|| fw.criterion(code).and_then(|c| assigned.get(&c.theme)))
}

/// One theme's progress in a quarter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThemeProgress {
    pub code: String,
    pub name: String,
    pub answered: usize,
    pub total: usize,
    pub assigned: Option<String>,
    /// Criteria of the theme assigned on their own: code, title, to whom.
    pub criteria: Vec<(String, String, String)>,
}

/// One person's progress: the criteria assigned to them (by theme or on their own).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonProgress {
    pub email: String,
    pub answered: usize,
    pub total: usize,
    /// What is assigned to them, in words ("Records, assessments and plans", "GP2GP").
    pub parts: Vec<String>,
}

/// Progress of a quarter: per theme, and per person assigned anything. `answered` are the
/// criteria with a draft or a value that is not returned; `assigned` part to email.
pub fn progress(
    fw: &Framework,
    answered: &HashSet<String>,
    assigned: &HashMap<String, String>,
) -> (Vec<ThemeProgress>, Vec<PersonProgress>) {
    let themes = fw
        .themes
        .iter()
        .map(|t| {
            let criteria: Vec<_> = fw.theme_criteria(&t.code).collect();
            ThemeProgress {
                code: t.code.clone(),
                name: t.name.clone(),
                answered: criteria
                    .iter()
                    .filter(|c| answered.contains(&c.code))
                    .count(),
                total: criteria.len(),
                assigned: assigned.get(&t.code).cloned(),
                criteria: criteria
                    .iter()
                    .filter_map(|c| {
                        assigned
                            .get(&c.code)
                            .map(|e| (c.code.clone(), c.title.clone(), e.clone()))
                    })
                    .collect(),
            }
        })
        .collect();
    let mut people: BTreeMap<String, PersonProgress> = BTreeMap::new();
    for c in &fw.criteria {
        if let Some(email) = assignee(fw, &c.code, assigned) {
            let p = people
                .entry(email.clone())
                .or_insert_with(|| PersonProgress {
                    email: email.clone(),
                    answered: 0,
                    total: 0,
                    parts: Vec::new(),
                });
            p.total += 1;
            if answered.contains(&c.code) {
                p.answered += 1;
            }
        }
    }
    for (part, email) in assigned {
        let Some(p) = people.get_mut(email) else {
            continue;
        };
        let words = if is_theme(part) {
            fw.themes
                .iter()
                .find(|t| &t.code == part)
                .map(|t| t.name.clone())
        } else {
            fw.criterion(part)
                .map(|c| format!("{} ({})", c.title, c.code))
        };
        if let Some(w) = words {
            p.parts.push(w);
        }
    }
    for p in people.values_mut() {
        p.parts.sort();
    }
    (themes, people.into_values().collect())
}

/// What a draft is, as signed off: its value, its reason, and its evidence (link and
/// document). A draft whose fingerprint changed since the sign-off needs signing off again.
pub fn fingerprint(
    value: &str,
    reason: Option<&str>,
    link: Option<&str>,
    document: Option<&str>,
) -> String {
    serde_json::json!([value, reason, link, document]).to_string()
}

/// The drafts, of `wanted`, that the sign-off `signed` (code to fingerprint) does not cover
/// as they are now (`drafts`: code to fingerprint).
pub fn unsigned(
    wanted: &[String],
    drafts: &HashMap<String, String>,
    signed: &HashMap<String, String>,
) -> Vec<String> {
    wanted
        .iter()
        .filter(|c| match (drafts.get(*c), signed.get(*c)) {
            (Some(now), Some(then)) => now != then,
            _ => true,
        })
        .cloned()
        .collect()
}

/// Whether a quarter needs the lead's sign-off before it is submitted: when the economy has
/// more than one colleague who can submit.
pub fn signoff_needed(submitters: usize) -> bool {
    submitters > 1
}

pub mod view {
    use super::*;

    /// Where a quarter's sign-off stands, for the person looking.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    pub enum Signoff {
        /// The economy has one colleague who can submit: nothing to sign off.
        NotNeeded,
        /// Needed, and the economy has not named a lead.
        NoLead,
        /// Needed: the lead, and the drafts their sign-off does not cover (all when none).
        Waiting { lead: String, unsigned: Vec<String> },
        /// Every draft is signed off.
        Signed {
            lead: String,
            by: String,
            at: String,
        },
    }

    /// A quarter's sign-off with whether the person looking is the lead.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    pub struct SignoffLine {
        pub state: Signoff,
        pub you_are_lead: bool,
        /// The last sign-off, if any: who and when (as stored).
        pub last: Option<(String, String)>,
    }

    /// `/my-economy/periods/{q}/assignments` and the summary on `/my-economy`.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    pub struct TeamworkView {
        pub economy: String,
        pub quarter: crate::domain::Quarter,
        pub themes: Vec<ThemeProgress>,
        pub people: Vec<PersonProgress>,
        /// The colleagues who can be assigned (and named lead), by email.
        pub colleagues: Vec<String>,
        pub lead: Option<String>,
        /// Criteria of the framework by theme, for assigning single ones: theme code,
        /// (code, title).
        pub criteria: Vec<(String, Vec<(String, String)>)>,
        /// Part to email, as assigned now.
        pub assigned: Vec<(String, String)>,
        /// What is assigned to the person looking: (words, answered, total, link).
        pub mine: Vec<(String, usize, usize, String)>,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fw() -> Framework {
        Framework::from_toml(include_str!("../../../fixtures/example/framework.toml")).unwrap()
    }

    fn map(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn theme_and_criterion_codes_are_told_apart() {
        assert!(is_theme("records"));
        assert!(is_theme("infra-2"));
        assert!(!is_theme("EPR-ACUTE"));
        assert!(!is_theme("GP2GP"));
    }

    #[test]
    fn a_criterion_assignment_wins_over_its_theme() {
        let fw = fw();
        let theme = fw.criteria[2].theme.clone();
        let code = fw.criteria[2].code.clone();
        let assigned = map(&[(&theme, "a@x"), (&code, "b@x")]);
        assert_eq!(assignee(&fw, &code, &assigned).unwrap(), "b@x");
        assert_eq!(
            assignee(&fw, &fw.criteria[3].code, &assigned).unwrap(),
            "a@x",
            "the theme's other criterion"
        );
        assert!(assignee(&fw, &fw.criteria[0].code, &assigned).is_none());
    }

    #[test]
    fn progress_counts_per_theme_and_per_person() {
        let fw = fw();
        // The example: two themes of two criteria each.
        let (t1, t2) = (fw.themes[0].code.clone(), fw.themes[1].code.clone());
        let c = |i: usize| fw.criteria[i].code.clone();
        assert_eq!(fw.criteria[0].theme, t1);
        assert_eq!(fw.criteria[3].theme, t2);
        let answered: HashSet<String> = [c(0), c(2), c(3)].into_iter().collect();
        let assigned = map(&[(&t1, "a@x"), (&t2, "b@x"), (&c(3), "a@x")]);
        let (themes, people) = progress(&fw, &answered, &assigned);
        assert_eq!((themes[0].answered, themes[0].total), (1, 2));
        assert_eq!((themes[1].answered, themes[1].total), (2, 2));
        assert_eq!(themes[1].assigned.as_deref(), Some("b@x"));
        assert_eq!(themes[1].criteria.len(), 1);
        assert_eq!(people.len(), 2);
        let a = &people[0];
        assert_eq!(a.email, "a@x");
        assert_eq!(
            (a.answered, a.total),
            (2, 3),
            "theme 1 and one criterion of theme 2"
        );
        assert_eq!(a.parts.len(), 2);
        let b = &people[1];
        assert_eq!((b.answered, b.total), (1, 1));
    }

    #[test]
    fn a_sign_off_covers_drafts_only_as_they_were() {
        let one = fingerprint("50", None, Some("https://x"), None);
        let drafts = map(&[("A", &one), ("B", "[\"1\",null,null,null]")]);
        let signed = map(&[("A", &one), ("B", "[\"2\",null,null,null]")]);
        let wanted = vec!["A".to_string(), "B".to_string(), "C".to_string()];
        assert_eq!(unsigned(&wanted, &drafts, &signed), vec!["B", "C"]);
        assert!(unsigned(&["A".to_string()], &drafts, &signed).is_empty());
        assert_ne!(
            fingerprint("50", Some("why"), None, None),
            fingerprint("50", None, None, None),
            "a reason is part of what is signed"
        );
        assert!(!signoff_needed(1));
        assert!(signoff_needed(2));
    }
}
