//! The framework as an island receives it: only what scoring and the islands' views read,
//! in a compact form. Island data travels in the page (`island_data`) and is read again in
//! the browser; `Framework`'s own serde form (flattened kinds, checks, benefits, the panel) is
//! made for files and storage, and reading it in the wasm took about a tenth of the bundle.

use crate::domain::framework::{Calendar, Criterion, Evidence, Framework, Kind, Milestone, Theme};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A framework passed to an island. Without the calendar, benefits, panel, checks and each
/// criterion's guidance (the islands do not use them: on the island's side they are the
/// defaults and empty; the guidance was half of the calculator's data in its page).
#[derive(Debug, Clone, PartialEq)]
pub struct FrameworkProp(pub Framework);

/// A date as days from the common era (no date parsing in the browser).
fn day(d: NaiveDate) -> i32 {
    d.num_days_from_ce()
}

fn date(days: i32) -> Result<NaiveDate, String> {
    NaiveDate::from_num_days_from_ce_opt(days).ok_or_else(|| format!("no date {days}"))
}

/// Kind as (0 yes/no, 1 percentage, 2 level, 3 date) and its target.
fn kind(k: &Kind) -> (u8, f64) {
    match k {
        Kind::Boolean => (0, 0.0),
        Kind::Percentage(t) => (1, *t),
        Kind::Level(t) => (2, f64::from(*t)),
        Kind::Date(d) => (3, f64::from(day(*d))),
    }
}

fn from_kind(tag: u8, target: f64) -> Result<Kind, String> {
    Ok(match tag {
        0 => Kind::Boolean,
        1 => Kind::Percentage(target),
        2 => Kind::Level(target as u32),
        3 => Kind::Date(date(target as i32)?),
        other => return Err(format!("no kind {other}")),
    })
}

fn evidence(e: Evidence) -> u8 {
    match e {
        Evidence::None => 0,
        Evidence::Link => 1,
        Evidence::Document => 2,
    }
}

fn from_evidence(n: u8) -> Evidence {
    match n {
        1 => Evidence::Link,
        2 => Evidence::Document,
        _ => Evidence::None,
    }
}

/// code, theme, title, kind, target, weight, gate, stage (0: none), evidence
type WireCriterion = (String, String, String, u8, f64, f64, bool, u8, u8);

#[derive(Serialize, Deserialize)]
struct Wire {
    code: String,
    name: String,
    threshold: f64,
    /// code, name, date, paperless
    milestones: Vec<(String, String, i32, bool)>,
    /// code, name, weight
    themes: Vec<(String, String, f64)>,
    criteria: Vec<WireCriterion>,
}

impl Serialize for FrameworkProp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let fw = &self.0;
        Wire {
            code: fw.code.clone(),
            name: fw.name.clone(),
            threshold: fw.paperless_threshold,
            milestones: fw
                .milestones
                .iter()
                .map(|m| (m.code.clone(), m.name.clone(), day(m.date), m.paperless))
                .collect(),
            themes: fw
                .themes
                .iter()
                .map(|t| (t.code.clone(), t.name.clone(), t.weight))
                .collect(),
            criteria: fw
                .criteria
                .iter()
                .map(|c| {
                    let (k, target) = kind(&c.kind);
                    (
                        c.code.clone(),
                        c.theme.clone(),
                        c.title.clone(),
                        k,
                        target,
                        c.weight,
                        c.gate,
                        c.stage.unwrap_or(0),
                        evidence(c.evidence),
                    )
                })
                .collect(),
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for FrameworkProp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let w = Wire::deserialize(d)?;
        let milestones = w
            .milestones
            .into_iter()
            .map(|(code, name, days, paperless)| {
                Ok(Milestone {
                    code,
                    name,
                    date: date(days)?,
                    paperless,
                })
            })
            .collect::<Result<Vec<_>, String>>()
            .map_err(D::Error::custom)?;
        let criteria = w
            .criteria
            .into_iter()
            .map(|(code, theme, title, k, target, weight, gate, stage, ev)| {
                Ok(Criterion {
                    code,
                    theme,
                    title,
                    kind: from_kind(k, target)?,
                    weight,
                    gate,
                    stage: (stage > 0).then_some(stage),
                    guidance: None,
                    evidence: from_evidence(ev),
                    checks: Vec::new(),
                })
            })
            .collect::<Result<Vec<_>, String>>()
            .map_err(D::Error::custom)?;
        Ok(FrameworkProp(Framework {
            code: w.code,
            name: w.name,
            paperless_threshold: w.threshold,
            calendar: Calendar::default(),
            milestones,
            themes: w
                .themes
                .into_iter()
                .map(|(code, name, weight)| Theme { code, name, weight })
                .collect(),
            criteria,
            benefits: Vec::new(),
            panel: None,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example() -> Framework {
        Framework::from_toml(include_str!("../../../fixtures/example/framework.toml")).unwrap()
    }

    /// Everything an island reads comes back as it was; what islands do not read is left out.
    #[test]
    fn a_framework_crosses_to_an_island_with_what_scoring_reads() {
        for fw in [
            example(),
            Framework::from_toml(include_str!("../../../frameworks/exemplar-2015.toml")).unwrap(),
        ] {
            let json = serde_json::to_string(&FrameworkProp(fw.clone())).unwrap();
            let back: FrameworkProp = serde_json::from_str(&json).unwrap();
            let through_the_page: FrameworkProp =
                crate::ui::island_data::decode(&crate::ui::island_data::encode(&back)).unwrap();
            assert_eq!(through_the_page, back);
            let expected = Framework {
                calendar: Calendar::default(),
                benefits: Vec::new(),
                panel: None,
                criteria: fw
                    .criteria
                    .iter()
                    .map(|c| Criterion {
                        checks: Vec::new(),
                        guidance: None,
                        ..c.clone()
                    })
                    .collect(),
                ..fw.clone()
            };
            assert_eq!(back.0, expected);
            assert!(
                json.len() < serde_json::to_string(&fw).unwrap().len(),
                "the compact form is smaller than the framework's own"
            );
        }
    }

    #[test]
    fn a_kind_or_date_that_is_not_one_is_refused() {
        let bad = r#"{"code":"X","name":"X","threshold":80,"milestones":[],"themes":[],
            "criteria":[["A","T","t",9,0,1,false,0,0]]}"#;
        let e = serde_json::from_str::<FrameworkProp>(bad).unwrap_err();
        assert!(e.to_string().contains("no kind 9"), "{e}");
    }
}
