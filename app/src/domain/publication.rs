//! Publication: what the admins' publication and frameworks pages show (the rules of
//! publishing are in `scoring` and `submission`; storing is in `service`).

/// What `/admin/publication` and `/admin/frameworks` show.
pub mod view {
    use serde::{Deserialize, Serialize};

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct QuarterLine {
        pub quarter: String,
        pub ended: bool,
        pub deadline: String,
        pub deadline_moved: bool,
        pub planned: String,
        /// revision, published on
        pub published: Option<(i64, String)>,
        /// How many published figures differ from the live ones now.
        pub differs: Option<usize>,
        /// How many of its values wait for the board's review.
        pub waiting: usize,
        /// The figures that differ from live, each in words.
        #[serde(default)]
        pub differences: Vec<Difference>,
        /// The days economies may question its figures before publication, when it has them.
        #[serde(default)]
        pub preview: Option<(chrono::NaiveDate, chrono::NaiveDate)>,
        /// What economies questioned about its figures, with the board's answers.
        #[serde(default)]
        pub flags: Vec<crate::domain::preview::FlagLine>,
        /// Candidates whose values for it are complete, came on time, and how many there are.
        #[serde(default)]
        pub reporting: Option<(usize, usize, usize)>,
    }

    /// A published figure that differs from the live one now.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct Difference {
        /// The economy's name.
        pub economy: String,
        /// The figure, in words ("Overall score", "Theme: Records").
        pub figure: String,
        pub published: String,
        pub live: String,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct PublicationView {
        pub today: String,
        pub quarters: Vec<QuarterLine>,
    }

    /// One stored framework version, as `/admin/frameworks` lists it.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct FrameworkVersionLine {
        /// The stored version's id (what the comparison form selects).
        pub id: i64,
        /// The framework's code.
        pub code: String,
        /// Its version number within the code.
        pub version: i64,
        /// The framework's name.
        pub name: String,
        /// How many criteria it has.
        pub criteria: usize,
        /// Whether it is the active one (the newest loaded).
        pub active: bool,
    }

    /// `/admin/frameworks`.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct FrameworksView {
        /// Every version loaded, oldest first.
        pub versions: Vec<FrameworkVersionLine>,
        /// quarter, framework code, version
        pub published: Vec<(String, String, i64)>,
        pub a: Option<i64>,
        pub b: Option<i64>,
        pub changes: Option<Vec<String>>,
    }
}

/// A scores document's field as people read it (`overall` → "Overall score").
pub fn figure_words(field: &str) -> String {
    match field {
        "rank" => "Rank",
        "overall" => "Overall score",
        "verified_overall" => "Verified overall score",
        "themes" => "Theme scores",
        "completeness" => "Completeness",
        "confidence" => "Confidence",
        "eligible" => "Eligible",
        "stage" => "Stage",
        "paperless_date" => "Projected paperless date",
        "paperless_achieved" => "Paperless reached",
        "on_track" => "On track for paperless",
        "name" => "Name",
        "economy" => "In the figures",
        other => other,
    }
    .to_string()
}

/// A figure's value as people read it: numbers to one decimal place, yes or no, dates in the
/// GOV.UK style, theme scores as "name 12.3", "none" for no value.
pub fn figure_value(v: &serde_json::Value) -> String {
    use serde_json::Value;
    match v {
        Value::Null => "none".to_string(),
        Value::Bool(true) => "yes".to_string(),
        Value::Bool(false) => "no".to_string(),
        Value::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => i.to_string(),
            (None, Some(f)) => format!("{f:.1}"),
            _ => n.to_string(),
        },
        Value::String(s) => chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map(crate::domain::types::long_date)
            .unwrap_or_else(|_| s.clone()),
        Value::Object(m) => m
            .iter()
            .map(|(k, v)| format!("{k} {}", figure_value(v)))
            .collect::<Vec<_>>()
            .join(", "),
        Value::Array(a) => a.iter().map(figure_value).collect::<Vec<_>>().join(", "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn figures_read_as_words() {
        assert_eq!(figure_words("verified_overall"), "Verified overall score");
        assert_eq!(figure_value(&json!(61.234)), "61.2");
        assert_eq!(figure_value(&json!(3)), "3");
        assert_eq!(figure_value(&json!(null)), "none");
        assert_eq!(figure_value(&json!(true)), "yes");
        assert_eq!(figure_value(&json!("2017-03-31")), "31 March 2017");
        assert_eq!(
            figure_value(&json!({"REC": 50.0, "SHARE": 12.25})),
            "REC 50.0, SHARE 12.2"
        );
    }
}
