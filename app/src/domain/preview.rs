//! Check before it is public: for `preview_days` before a quarter's planned publication, each
//! economy sees its provisional figures and may question one it believes wrong, with a reason;
//! the board answers each (corrected, or kept with its reason) on its publication page before
//! it publishes, and the economy sees the answer.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The preview window of a quarter planned for publication on `planned`: its first day and
/// its last (the day before publication). `None` when the framework has no window (0 days).
pub fn window(planned: NaiveDate, preview_days: u32) -> Option<(NaiveDate, NaiveDate)> {
    (preview_days > 0).then(|| {
        (
            planned - chrono::Duration::days(i64::from(preview_days)),
            planned - chrono::Duration::days(1),
        )
    })
}

/// Whether an economy may question the quarter's figures on `today`: inside the window and
/// not yet published (publishing early closes it).
pub fn open(today: NaiveDate, planned: NaiveDate, preview_days: u32, published: bool) -> bool {
    !published
        && window(planned, preview_days).is_some_and(|(from, to)| from <= today && today <= to)
}

/// The board's answer to a question about a figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// The data behind it was corrected before publication.
    Corrected,
    /// The figure stands, for the reason given.
    Kept,
}

impl Outcome {
    pub fn parse(s: &str) -> Option<Outcome> {
        match s {
            "corrected" => Some(Outcome::Corrected),
            "kept" => Some(Outcome::Kept),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Corrected => "corrected",
            Outcome::Kept => "kept",
        }
    }
    pub fn words(self) -> &'static str {
        match self {
            Outcome::Corrected => "Corrected",
            Outcome::Kept => "Kept",
        }
    }
}

/// The figures of an economy that may be questioned, by key ("overall", "theme:records"),
/// in words, with the provisional value as shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    pub key: String,
    pub words: String,
    pub value: String,
}

/// An economy's provisional figures of a quarter as they would be published now, as keys,
/// words and values: overall, verified overall, completeness, confidence, stage, then each
/// theme in framework order.
pub fn figures(record: &super::scoring::ScoreRecord, themes: &[(String, String)]) -> Vec<Figure> {
    let score = |x: Option<f64>| x.map_or_else(|| "none".to_string(), |x| format!("{x:.1}"));
    let per_cent = |x: Option<f64>| x.map_or_else(|| "none".to_string(), |x| format!("{x:.1}%"));
    let mut out = vec![
        Figure {
            key: "overall".into(),
            words: "Overall score".into(),
            value: score(record.overall),
        },
        Figure {
            key: "verified_overall".into(),
            words: "Verified overall score".into(),
            value: score(record.verified_overall),
        },
        Figure {
            key: "completeness".into(),
            words: "Completeness".into(),
            value: per_cent(record.completeness),
        },
        Figure {
            key: "confidence".into(),
            words: "Confidence".into(),
            value: per_cent(record.confidence),
        },
        Figure {
            key: "stage".into(),
            words: "Stage".into(),
            value: record
                .stage
                .map_or_else(|| "none".to_string(), |s| s.to_string()),
        },
    ];
    for (code, name) in themes {
        out.push(Figure {
            key: format!("theme:{code}"),
            words: format!("Theme: {name}"),
            value: score(record.themes.as_ref().and_then(|t| t.get(code).copied())),
        });
    }
    out
}

/// A question about a figure, as the economy and the board see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FlagLine {
    pub id: i64,
    pub quarter: String,
    /// The economy's slug and name.
    pub economy: String,
    pub economy_name: String,
    /// The figure in words, and its provisional value when it was questioned.
    pub figure: String,
    pub shown: String,
    pub reason: String,
    pub raised_by: String,
    pub raised_on: NaiveDate,
    pub outcome: Option<Outcome>,
    pub answer: Option<String>,
    pub answered_on: Option<NaiveDate>,
}

/// `/my-economy`'s preview: the quarter about to be published, while its window is open, with
/// the economy's provisional figures; and every question the economy has asked, with answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PreviewView {
    /// Open now: the quarter, its planned publication and the window's last day.
    pub open: Option<OpenPreview>,
    /// The economy's questions, the latest first.
    pub flags: Vec<FlagLine>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpenPreview {
    pub quarter: String,
    pub planned: NaiveDate,
    pub last_day: NaiveDate,
    pub figures: Vec<Figure>,
}

/// The longest reason or answer kept.
pub const MAX_TEXT: usize = 2000;

/// A question's problems by field, before anything is stored.
pub fn check_flag(figure: &str, figures: &[Figure], reason: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if !figures.iter().any(|f| f.key == figure) {
        out.push((
            "figure".to_string(),
            "Select the figure you believe is wrong".to_string(),
        ));
    }
    let reason = reason.trim();
    if reason.is_empty() {
        out.push((
            "reason".to_string(),
            "Enter why you believe the figure is wrong".to_string(),
        ));
    } else if reason.chars().count() > MAX_TEXT {
        out.push((
            "reason".to_string(),
            format!("The reason must be {MAX_TEXT} characters or fewer"),
        ));
    }
    out
}

/// The board's answer's problems by field (`flag-ID-outcome`, `flag-ID-answer`).
pub fn check_answer(id: i64, outcome: &str, answer: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if Outcome::parse(outcome).is_none() {
        out.push((
            format!("flag-{id}-outcome"),
            "Select whether the figure was corrected or is kept".to_string(),
        ));
    }
    let answer = answer.trim();
    if answer.is_empty() {
        out.push((
            format!("flag-{id}-answer"),
            "Enter your answer to the economy: what was corrected, or why the figure stands"
                .to_string(),
        ));
    } else if answer.chars().count() > MAX_TEXT {
        out.push((
            format!("flag-{id}-answer"),
            format!("The answer must be {MAX_TEXT} characters or fewer"),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn the_window_is_the_days_before_publication() {
        let planned = d("2014-09-13");
        assert_eq!(
            window(planned, 10),
            Some((d("2014-09-03"), d("2014-09-12")))
        );
        assert!(
            !open(d("2014-09-02"), planned, 10, false),
            "the day before it opens"
        );
        assert!(open(d("2014-09-03"), planned, 10, false), "its first day");
        assert!(open(d("2014-09-12"), planned, 10, false), "its last day");
        assert!(
            !open(d("2014-09-13"), planned, 10, false),
            "publication day"
        );
        assert!(!open(d("2014-09-05"), planned, 10, true), "published early");
        assert_eq!(window(planned, 0), None);
        assert!(!open(d("2014-09-12"), planned, 0, false), "no window");
        assert!(open(d("2014-09-12"), planned, 1, false), "a one-day window");
        assert!(!open(d("2014-09-11"), planned, 1, false));
    }

    #[test]
    fn a_question_needs_a_known_figure_and_a_reason() {
        let figures = vec![Figure {
            key: "overall".into(),
            words: "Overall score".into(),
            value: "50.0".into(),
        }];
        assert!(check_flag("overall", &figures, "The audit was verified").is_empty());
        let problems = check_flag("theme:nope", &figures, "  ");
        let fields: Vec<&str> = problems.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(fields, ["figure", "reason"]);
        let long = "x".repeat(MAX_TEXT + 1);
        assert_eq!(check_flag("overall", &figures, &long).len(), 1);
        assert!(check_answer(3, "kept", "The evidence was out of date").is_empty());
        let problems = check_answer(3, "maybe", "");
        let fields: Vec<&str> = problems.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(fields, ["flag-3-outcome", "flag-3-answer"]);
    }
}
