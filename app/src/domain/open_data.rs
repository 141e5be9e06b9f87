//! The open data's field dictionary, one description of every downloadable file: the
//! columns the CSV and spreadsheet writers put first, the `/open-data` page's dictionary, the
//! spreadsheet's "Fields" sheet and the Frictionless Data Package
//! (`/open-data/datapackage.json`) all come from here, so they cannot drift apart.

use serde_json::{json, Value};

/// A column's type, as Frictionless Table Schema names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    String,
    Integer,
    Number,
    Boolean,
    Date,
}

impl FieldType {
    pub fn name(self) -> &'static str {
        match self {
            FieldType::String => "string",
            FieldType::Integer => "integer",
            FieldType::Number => "number",
            FieldType::Boolean => "boolean",
            FieldType::Date => "date",
        }
    }

    /// Whether a spreadsheet should hold the cell as a number.
    pub fn numeric(self) -> bool {
        matches!(self, FieldType::Integer | FieldType::Number)
    }
}

/// One column of a file.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub name: String,
    pub kind: FieldType,
    pub description: String,
    /// What a number counts, in words (`None` for text, dates and yes/no).
    pub unit: Option<&'static str>,
    /// Every value an empty cell aside may take, when the list is closed.
    pub values: &'static [&'static str],
    /// A value is always given.
    pub required: bool,
    /// The smallest and largest value of a number.
    pub range: Option<(f64, f64)>,
    pub pattern: Option<&'static str>,
}

/// A field's description as the constants below write it.
pub struct Column {
    pub name: &'static str,
    pub kind: FieldType,
    pub description: &'static str,
    pub unit: Option<&'static str>,
    pub values: &'static [&'static str],
    pub required: bool,
    pub range: Option<(f64, f64)>,
    pub pattern: Option<&'static str>,
}

const fn col(name: &'static str, kind: FieldType, description: &'static str) -> Column {
    Column {
        name,
        kind,
        description,
        unit: None,
        values: &[],
        required: false,
        range: None,
        pattern: None,
    }
}

impl Column {
    const fn required(mut self) -> Self {
        self.required = true;
        self
    }
    const fn unit(mut self, unit: &'static str) -> Self {
        self.unit = Some(unit);
        self
    }
    const fn values(mut self, values: &'static [&'static str]) -> Self {
        self.values = values;
        self
    }
    const fn range(mut self, min: f64, max: f64) -> Self {
        self.range = Some((min, max));
        self
    }
    const fn pattern(mut self, pattern: &'static str) -> Self {
        self.pattern = Some(pattern);
        self
    }
    fn field(&self) -> Field {
        Field {
            name: self.name.to_string(),
            kind: self.kind,
            description: self.description.to_string(),
            unit: self.unit,
            values: self.values,
            required: self.required,
            range: self.range,
            pattern: self.pattern,
        }
    }
}

/// One downloadable file (as CSV, JSON and spreadsheet).
pub struct Dataset {
    /// The name of its files: `/open-data/{stem}.csv|json|ods`.
    pub stem: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    pub columns: &'static [Column],
    /// The columns that together name one row; empty when no set of columns does.
    pub primary_key: &'static [&'static str],
}

impl Dataset {
    /// The column names, in the files' order.
    pub fn columns(&self) -> Vec<&'static str> {
        self.columns.iter().map(|c| c.name).collect()
    }

    pub fn fields(&self) -> Vec<Field> {
        self.columns.iter().map(Column::field).collect()
    }
}

use FieldType::{Boolean, Date, Integer, Number, String as Text};

const SLUG: &str = "^[a-z0-9]+(-[a-z0-9]+)*$";
const QUARTER: &str = "^[0-9]{4}-Q[1-4]$";
const OUT_OF_100: &str = "points out of 100";
const PER_CENT: &str = "per cent";

/// One quarter's published scores (`scores-YYYY-Qn`, `scores-YYYY-Qn-rN`): these columns,
/// then one `theme:CODE` column per theme of the framework they were published with.
pub const SCORES: Dataset = Dataset {
    stem: "scores",
    title: "Published scores",
    description: "The published scores of every candidate economy for one quarter, as scoring.md section 8 defines them, with one column per theme.",
    columns: &[
        col("economy", Text, "The economy's identifier (slug): lower-case letters, digits and hyphens.").required().pattern(SLUG),
        col("name", Text, "The economy's name.").required(),
        col("rank", Integer, "Position among the economies scored that quarter: those meeting every gate first, then by overall score, confidence and slug. Empty for an economy with nothing to score.").range(1.0, f64::MAX),
        col("overall", Number, "Overall score, 0 to 100: the weighted average of the theme scores, from every value reported and not returned by the board.").unit(OUT_OF_100).range(0.0, 100.0),
        col("verified_overall", Number, "The overall score worked out from values the board has verified, and only those.").unit(OUT_OF_100).range(0.0, 100.0),
        col("completeness", Number, "Share of the overall score, in per cent, covered by criteria with a value.").unit(PER_CENT).range(0.0, 100.0),
        col("confidence", Number, "Share of the overall score, in per cent, covered by verified values.").unit(PER_CENT).range(0.0, 100.0),
        col("eligible", Boolean, "true when every gate criterion is met."),
        col("stage", Integer, "The highest stage whose criteria, and those of every earlier stage, are all met (0 for none).").range(0.0, f64::MAX),
        col("paperless_date", Date, "The date the economy reached the paperless threshold, or is projected to on its trend; empty when there is none."),
        col("paperless_achieved", Boolean, "true when the overall score has reached the paperless threshold."),
        col("on_track", Boolean, "true when the paperless date is on or before the paperless milestone."),
    ],
    primary_key: &["economy"],
};

/// A theme's column of the scores files.
pub fn theme_field(code: &str, name: &str) -> Field {
    Field {
        name: format!("theme:{code}"),
        kind: Number,
        description: format!("The score of the theme {name} ({code}), 0 to 100."),
        unit: Some(OUT_OF_100),
        values: &[],
        required: false,
        range: Some((0.0, 100.0)),
        pattern: None,
    }
}

pub const VALUES: Dataset = Dataset {
    stem: "values",
    title: "Values behind the published scores",
    description: "Every value reported by a candidate economy for a published quarter, with its status as it is today: submitted, verified by the board, or rejected (returned to the economy).",
    columns: &[
        col("economy", Text, "The economy's identifier (slug).").required().pattern(SLUG),
        col("period", Text, "The quarter the value is for, as YYYY-Qn (financial quarters: Q1 is April to June).").required().pattern(QUARTER),
        col("criterion", Text, "The code of the criterion of the active framework (see /api/v1/frameworks/active).").required(),
        col("value", Text, "The value as reported: yes or no, a percentage, a level or a date (YYYY-MM-DD), by the criterion's kind; for a date, empty means not achieved yet."),
        col("status", Text, "submitted, verified (checked by the board against its evidence) or rejected (returned to the economy; it does not count).").required().values(&["submitted", "verified", "rejected"]),
    ],
    primary_key: &["economy", "period", "criterion"],
};

pub const BENEFITS: Dataset = Dataset {
    stem: "benefits",
    title: "Benefits",
    description: "For each outcome measure and economy, as of the latest published quarter: the baseline, the current value, the change, whether it is an improvement, and the economy's published overall score and stage.",
    columns: &[
        col("as_of", Text, "The published quarter the figures are as of (YYYY-Qn).").required().pattern(QUARTER),
        col("benefit", Text, "The code of the outcome measure in the framework.").required(),
        col("better", Text, "Which way is better for the measure: higher or lower.").required().values(&["higher", "lower"]),
        col("economy", Text, "The economy's identifier (slug).").required().pattern(SLUG),
        col("baseline_period", Text, "The first quarter with a value the board has not rejected (YYYY-Qn).").required().pattern(QUARTER),
        col("baseline", Number, "The value in the baseline quarter, in the measure's own unit (see the framework).").unit("the measure's own unit").required(),
        col("current", Number, "The latest value up to the quarter, in the measure's own unit.").unit("the measure's own unit").required(),
        col("change", Number, "current minus baseline.").unit("the measure's own unit").required(),
        col("improved", Boolean, "true when the change is in the better direction.").required(),
        col("overall", Number, "The economy's published overall score that quarter, 0 to 100; empty when it had none.").unit(OUT_OF_100).range(0.0, 100.0),
        col("stage", Integer, "The economy's published stage that quarter; empty when it had none.").range(0.0, f64::MAX),
    ],
    primary_key: &["benefit", "economy"],
};

pub const TRUSTS: Dataset = Dataset {
    stem: "trusts",
    title: "The trust EPR register",
    description: "Every NHS trust's electronic patient record (EPR) status, its compliance with the deadline as of the day of download, and any remediation plan the board has made public.",
    columns: &[
        col("code", Text, "The trust's ODS code (Organisation Data Service).").required(),
        col("name", Text, "The trust's name.").required(),
        col("type", Text, "acute, community, mental-health or ambulance.").required().values(&["acute", "community", "mental-health", "ambulance"]),
        col("region", Text, "The NHS England region.").required(),
        col("economy", Text, "The candidate economy the trust belongs to (slug); empty for none."),
        col("epr_status", Text, "operational, deploying (going live on the planned date) or none.").required().values(&["operational", "deploying", "none"]),
        col("operational_date", Date, "The date the EPR became operational."),
        col("planned_date", Date, "The date the EPR is planned to go live."),
        col("compliance", Text, "Against the deadline for operational EPRs: compliant, late (operational after the deadline) or non-compliant; empty before the deadline, or for a trust that closed before it.").values(&["compliant", "late", "non-compliant"]),
        col("plan_agreed_date", Date, "The date in the remediation plan the board made public."),
        col("plan_agreed", Text, "What the public remediation plan agrees."),
        col("plan_consequence", Text, "What follows if the plan is not met."),
        col("close_date", Date, "The trust's last day open, when it has closed."),
        col("successor_code", Text, "The ODS code of the trust that took over its services."),
    ],
    primary_key: &["code"],
};

pub const MEMBERS: Dataset = Dataset {
    stem: "members",
    title: "Member organisations",
    description: "Each candidate economy's member organisations: NHS trusts, clinical commissioning groups (CCGs) and GP practices by ODS code, with each one's CCG and NHS England area team, and social care partners by name. No set of columns names a row: a social care partner has no ODS code.",
    columns: &[
        col("economy", Text, "The economy's identifier (slug).").required().pattern(SLUG),
        col("economy_name", Text, "The economy's name.").required(),
        col("ods_code", Text, "The organisation's ODS code; empty for a social care partner."),
        col("name", Text, "The organisation's name.").required(),
        col("type", Text, "acute, community, mental-health or ambulance (trusts), ccg, gp-practice, or social-care.").required(),
        col("ccg", Text, "The ODS code of a GP practice's CCG."),
        col("area_team", Text, "The ODS code of the NHS England area team."),
    ],
    primary_key: &[],
};

/// Every file of the open data, scores first.
pub const DATASETS: [&Dataset; 5] = [&SCORES, &VALUES, &BENEFITS, &TRUSTS, &MEMBERS];

pub const LICENCE_URL: &str =
    "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/";

fn field_json(f: &Field) -> Value {
    let mut out = json!({
        "name": f.name,
        "type": f.kind.name(),
        "description": f.description,
    });
    if f.kind == Boolean {
        out["trueValues"] = json!(["true"]);
        out["falseValues"] = json!(["false"]);
    }
    if let Some(unit) = f.unit {
        out["unit"] = json!(unit);
    }
    let mut constraints = serde_json::Map::new();
    if f.required {
        constraints.insert("required".into(), json!(true));
    }
    if !f.values.is_empty() {
        constraints.insert("enum".into(), json!(f.values));
    }
    if let Some((min, max)) = f.range {
        let bound = |x: f64| {
            if f.kind == Integer {
                json!(x as i64)
            } else {
                json!(x)
            }
        };
        constraints.insert("minimum".into(), bound(min));
        if max < f64::MAX {
            constraints.insert("maximum".into(), bound(max));
        }
    }
    if let Some(p) = f.pattern {
        constraints.insert("pattern".into(), json!(p));
    }
    if !constraints.is_empty() {
        out["constraints"] = Value::Object(constraints);
    }
    out
}

fn resource(
    name: &str,
    path: &str,
    d: &Dataset,
    title: &str,
    fields: &[Field],
    base_url: &str,
) -> Value {
    let mut schema = json!({
        "fields": fields.iter().map(field_json).collect::<Vec<_>>(),
        "missingValues": [""],
    });
    if !d.primary_key.is_empty() {
        schema["primaryKey"] = json!(d.primary_key);
    }
    json!({
        "name": name,
        "path": path,
        "title": title,
        "description": d.description,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8-sig",
        "profile": "tabular-data-resource",
        "sources": [{"title": "Exemplar", "path": format!("{base_url}/open-data")}],
        "schema": schema,
    })
}

/// The Frictionless Data Package describing every file: `latest` is the latest published
/// quarter with its scores' theme columns (code and name), `None` before any publication
/// (the scores file is then left out: there is none to describe). Paths are relative to
/// `/open-data/`, where the description is served.
pub fn data_package(base_url: &str, latest: Option<(&str, &[(String, String)])>) -> Value {
    let mut resources = Vec::new();
    if let Some((quarter, themes)) = latest {
        let mut fields = SCORES.fields();
        fields.extend(themes.iter().map(|(c, n)| theme_field(c, n)));
        resources.push(resource(
            "scores-latest",
            &format!("scores-{quarter}.csv"),
            &SCORES,
            &format!("Published scores for {quarter}"),
            &fields,
            base_url,
        ));
        for d in &DATASETS[1..] {
            resources.push(resource(
                d.stem,
                &format!("{}.csv", d.stem),
                d,
                d.title,
                &d.fields(),
                base_url,
            ));
        }
    } else {
        for d in [&TRUSTS, &MEMBERS] {
            resources.push(resource(
                d.stem,
                &format!("{}.csv", d.stem),
                d,
                d.title,
                &d.fields(),
                base_url,
            ));
        }
    }
    json!({
        "profile": "tabular-data-package",
        "name": "exemplar-of-interoperability",
        "title": "Exemplar of interoperability: scores, values, benefits and the trust EPR register",
        "description": "The NHS Commissioning Board's search for an exemplar of interoperability: each candidate local health economy's published scores, the values and evidence statuses behind them, benefits, member organisations, and every trust's electronic patient record status. Every published quarter and revision is at /open-data; this package describes the latest.",
        "homepage": format!("{base_url}/open-data"),
        "licenses": [{
            "name": "OGL-UK-3.0",
            "path": LICENCE_URL,
            "title": "Open Government Licence v3.0",
        }],
        "sources": [
            {"title": "Exemplar", "path": format!("{base_url}/open-data")},
            {"title": "NHS Digital: Organisation Data Service (organisation codes)", "path": "https://digital.nhs.uk/services/organisation-data-service"},
        ],
        "keywords": ["NHS", "interoperability", "electronic patient records", "digital maturity"],
        "resources": resources,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_dataset_names_its_key_among_its_columns_once() {
        for d in DATASETS {
            let cols = d.columns();
            let unique: std::collections::HashSet<_> = cols.iter().collect();
            assert_eq!(unique.len(), cols.len(), "{} repeats a column", d.stem);
            for k in d.primary_key {
                let c = d.columns.iter().find(|c| c.name == *k);
                assert!(
                    c.is_some_and(|c| c.required),
                    "{}: key {k} is a required column",
                    d.stem
                );
            }
        }
    }

    #[test]
    fn the_package_describes_the_latest_scores_with_their_themes() {
        let themes = vec![("records".to_string(), "Records".to_string())];
        let p = data_package("https://x.test", Some(("2014-Q4", &themes)));
        let resources = p["resources"].as_array().unwrap();
        assert_eq!(resources.len(), 5);
        assert_eq!(resources[0]["path"], "scores-2014-Q4.csv");
        let fields = resources[0]["schema"]["fields"].as_array().unwrap();
        assert_eq!(fields.last().unwrap()["name"], "theme:records");
        assert_eq!(fields.last().unwrap()["constraints"]["maximum"], 100.0);
        assert_eq!(fields[2]["constraints"]["minimum"], 1, "an integer bound");
        assert_eq!(p["licenses"][0]["name"], "OGL-UK-3.0");
        // Before any publication only the register and the members have files.
        let none = data_package("https://x.test", None);
        let names: Vec<&str> = none["resources"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["trusts", "members"]);
    }
}
