//! What the public pages show (scoring.md section 7: only published figures), and the
//! statistics they are built from: quantiles and each region's spread.

use crate::domain::framework::Framework;
use crate::domain::nomination::REGIONS;
use crate::domain::scoring::Scores;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A published quarter's figures with what the pages show beside them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublishedView {
    pub scores: Scores,
    pub framework_version: i64,
    pub published_on: NaiveDate,
    pub revised: Option<(NaiveDate, String)>,
    /// Each economy's region, by slug, in the order of `scores.economies`.
    pub regions: Vec<String>,
    /// Overall as of the previous published quarter, by slug, where there is one.
    pub previous: Vec<Option<f64>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HomeView {
    pub today: NaiveDate,
    pub framework_name: String,
    pub milestones: Vec<(String, NaiveDate)>,
    pub paperless_threshold: f64,
    pub candidates: usize,
    pub latest: Option<PublishedView>,
    pub published: Vec<String>,
    pub next_publication: Option<(String, NaiveDate)>,
    /// Per published quarter: quarter, economies ranked, median, lower and upper quartile
    /// of the overall score, median verified overall.
    pub national: Vec<NationalRow>,
    /// The median's projected date at the paperless threshold, if it is rising.
    pub national_paperless: Option<NaiveDate>,
    pub chart: String,
    /// The trust EPR register as of today, when there is one with a deadline.
    pub trusts: Option<TrustsSummary>,
}

/// The trust EPR register in a sentence: how many trusts met the deadline, on time or late.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrustsSummary {
    /// Every trust on the register.
    pub total: usize,
    /// Trusts whose EPR was operational by the deadline.
    pub compliant: usize,
    /// Trusts whose EPR went live after the deadline.
    pub late: usize,
    /// The date every trust was to have an operational EPR.
    pub deadline: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NationalRow {
    pub quarter: String,
    pub ranked: usize,
    pub median: Option<f64>,
    pub lower_quartile: Option<f64>,
    pub upper_quartile: Option<f64>,
    pub median_verified: Option<f64>,
}

/// The q-quantile (0..=1) of sorted values, interpolating linearly between neighbours.
pub fn quantile(sorted: &[f64], q: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let pos = q * (sorted.len() - 1) as f64;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    Some(sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64))
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EconomiesView {
    pub published: Vec<String>,
    pub regions: Vec<String>,
    pub view: Option<PublishedView>,
    pub next_publication: Option<(String, NaiveDate)>,
    /// `?q=`, trimmed: search by name (empty: no search).
    pub search: String,
    /// With a search, the ranked economies it finds, in ranking order.
    pub found: Vec<Found>,
    /// NHS England's regions and area teams of 2013, for the filter.
    pub places: Vec<crate::domain::organisations::NhsPlace>,
    /// Each economy's area teams (slug, codes), from its member CCGs and trusts.
    pub area_teams: Vec<(String, Vec<String>)>,
}

/// An economy a search by name finds: by its own name, or by the name of one of its member
/// organisations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Found {
    /// The economy's slug.
    pub economy: String,
    /// The member organisation whose name matched, when the economy's own did not.
    pub organisation: Option<String>,
}

/// Whether the economy `name` (slug `economy`), with its member `organisations`, is found by
/// `search`: a part of either name, in any case. An empty search finds nothing.
pub fn search_by_name(
    search: &str,
    economy: &str,
    name: &str,
    organisations: &[&str],
) -> Option<Found> {
    let needle = search.trim().to_lowercase();
    if needle.is_empty() {
        return None;
    }
    let has = |s: &str| s.to_lowercase().contains(&needle);
    if has(name) {
        return Some(Found {
            economy: economy.to_string(),
            organisation: None,
        });
    }
    organisations.iter().find(|o| has(o)).map(|o| Found {
        economy: economy.to_string(),
        organisation: Some(o.to_string()),
    })
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FrameworkView {
    pub framework: Framework,
    pub version: i64,
    pub shares: Vec<f64>,
    /// The worked example of the specification, scored live by the domain module.
    pub example: Framework,
    pub example_scores: Scores,
    /// A selection panel round has closed: its questions are shown.
    pub panel_public: bool,
}

/// One published version of a quarter's figures, as `/open-data` lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublishedVersion {
    /// The quarter, YYYY-Qn.
    pub quarter: String,
    /// The revision: 0 as first published.
    pub revision: i64,
    /// The day it was published.
    pub published_on: NaiveDate,
    /// The code of the framework it was scored with.
    pub framework_code: String,
    /// That framework's version.
    pub framework_version: i64,
    /// Why it was revised, for a revision.
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpenDataView {
    /// Every version of every published quarter, oldest first.
    pub versions: Vec<PublishedVersion>,
    pub themes: Vec<(String, String)>,
    /// Where people reach the service (`--public-url`), for the description's absolute links.
    pub base_url: String,
}

/// The open data as a schema.org `Dataset` (JSON-LD), for search engines and catalogue
/// harvesters such as data.gov.uk's: what it is, its licence, the quarters it covers and
/// every download. Safe inside a `<script>` element (no `</` left in it).
pub fn dataset_json_ld(view: &OpenDataView) -> String {
    let base = view.base_url.as_str();
    let quarters: Vec<crate::domain::Quarter> = view
        .versions
        .iter()
        .filter_map(|v| v.quarter.parse().ok())
        .collect();
    let mut downloads = Vec::new();
    let mut add = |path: String, format: &str, name: String| {
        downloads.push(serde_json::json!({
            "@type": "DataDownload",
            "name": name,
            "encodingFormat": format,
            "contentUrl": format!("{base}{path}"),
        }));
    };
    let mut files: Vec<(String, String)> = Vec::new();
    if let Some(q) = quarters.iter().max() {
        files.push((format!("scores-{q}"), format!("Scores for {}", q.label())));
        files.push(("values".into(), "Values behind the published scores".into()));
        files.push((
            "benefits".into(),
            "Benefits: outcomes beside maturity".into(),
        ));
    }
    files.push(("trusts".into(), "The trust EPR register".into()));
    files.push((
        "members".into(),
        "Candidate economies' member organisations by ODS code".into(),
    ));
    for (stem, name) in files {
        for (ext, format, label) in [
            ("csv", "text/csv", "CSV"),
            (
                "ods",
                "application/vnd.oasis.opendocument.spreadsheet",
                "spreadsheet, ODS",
            ),
            ("json", "application/json", "JSON"),
        ] {
            add(
                format!("/open-data/{stem}.{ext}"),
                format,
                format!("{name} ({label})"),
            );
        }
    }
    add(
        "/open-data/datapackage.json".into(),
        "application/json",
        "The files' description (Frictionless Data Package)".into(),
    );
    let mut dataset = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": "Exemplar of interoperability: readiness of candidate local health economies",
        "description": "Each quarter's published readiness scores of the local health economies that put themselves forward to be the NHS exemplar of interoperability, the values reported behind them with their verification status, every revision with its reason, the trust electronic patient record register and outcome measures.",
        "url": format!("{base}/open-data"),
        "license": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
        "isAccessibleForFree": true,
        "creator": {"@type": "Organization", "name": "NHS Commissioning Board"},
        "spatialCoverage": {"@type": "Place", "name": "England"},
        "keywords": ["NHS", "interoperability", "electronic patient records", "digital maturity", "paperless 2018"],
        "distribution": downloads,
    });
    if let (Some(first), Some(last)) = (quarters.iter().min(), quarters.iter().max()) {
        dataset["temporalCoverage"] = format!("{}/{}", first.start_date(), last.end_date()).into();
    }
    dataset.to_string().replace("</", "<\\/")
}

/// One economy's published record in one quarter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuarterRecord {
    pub quarter: String,
    pub label: String,
    pub record: crate::domain::scoring::ScoreRecord,
    pub revised: bool,
    pub ranked_of: usize,
    /// When the quarter was first published.
    #[serde(default)]
    pub published_on: NaiveDate,
}

/// A decision of the board made public on the economy's page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicDecision {
    pub outcome: String,
    pub rationale: String,
    pub published_at: String,
    /// The selection panel it was based on: its score and agreement, in words.
    pub panel: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EconomyView {
    pub slug: String,
    pub name: String,
    pub region: String,
    pub quarters: Vec<QuarterRecord>,
    pub themes: Vec<(String, String)>,
    /// Each stage used by the framework with its criteria's titles.
    pub stages: Vec<(u8, Vec<String>)>,
    pub gates: Vec<String>,
    pub threshold: f64,
    pub paperless_milestone: (String, NaiveDate),
    pub chart: String,
    pub theme_chart: String,
    /// The board's decisions made public.
    pub decisions: Vec<PublicDecision>,
    /// Outcome measures up to the latest published quarter, beside the published overall.
    pub benefits: Vec<crate::domain::benefits::EconomyBenefit>,
}

/// Fewer candidates reporting than this and a region shows no median (too few to be fair).
pub const MIN_FOR_MEDIAN: usize = 3;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegionRow {
    pub region: String,
    pub on_map: bool,
    pub candidates: usize,
    pub reporting: usize,
    pub median: Option<f64>,
    pub median_verified: Option<f64>,
    pub eligible: usize,
    pub on_track: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegionsView {
    pub quarter: Option<String>,
    pub label: Option<String>,
    pub published: Vec<String>,
    pub rows: Vec<RegionRow>,
    pub map: String,
    /// NHS England's regions and area teams of 2013, each area team with its geographic region.
    pub places: Vec<(crate::domain::organisations::NhsPlace, Option<String>)>,
}

/// Regional figures from a published quarter's stored scores.
pub fn region_rows(view: &PublishedView) -> Vec<RegionRow> {
    let mut names: Vec<String> = REGIONS.iter().map(|r| r.to_string()).collect();
    for r in &view.regions {
        if !names.contains(r) {
            names.push(r.clone());
        }
    }
    names
        .into_iter()
        .map(|region| {
            let members: Vec<&crate::domain::scoring::ScoreRecord> = view
                .scores
                .economies
                .iter()
                .zip(&view.regions)
                .filter(|(_, r)| **r == region)
                .map(|(e, _)| e)
                .collect();
            let mut overall: Vec<f64> = members.iter().filter_map(|e| e.overall).collect();
            let mut verified: Vec<f64> =
                members.iter().filter_map(|e| e.verified_overall).collect();
            overall.sort_by(f64::total_cmp);
            verified.sort_by(f64::total_cmp);
            let enough = overall.len() >= MIN_FOR_MEDIAN;
            RegionRow {
                on_map: REGIONS.contains(&region.as_str()),
                candidates: members.len(),
                reporting: overall.len(),
                median: quantile(&overall, 0.5).filter(|_| enough),
                median_verified: quantile(&verified, 0.5).filter(|_| enough),
                eligible: members.iter().filter(|e| e.eligible == Some(true)).count(),
                on_track: members.iter().filter(|e| e.on_track == Some(true)).count(),
                region,
            }
        })
        .filter(|r| r.on_map || r.candidates > 0)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_search_finds_a_part_of_a_name_in_any_case() {
        let orgs = ["Leeds Teaching Hospitals NHS Trust", "Leeds City Council"];
        let by_name = search_by_name("  HEALTH and ", "leeds", "Leeds health and care", &orgs);
        assert_eq!(by_name.map(|f| f.organisation), Some(None));
        let by_member = search_by_name("teaching", "leeds", "Leeds health and care", &orgs);
        assert_eq!(
            by_member.and_then(|f| f.organisation).as_deref(),
            Some("Leeds Teaching Hospitals NHS Trust")
        );
        assert_eq!(search_by_name("york", "leeds", "Leeds", &orgs), None);
        assert_eq!(search_by_name("   ", "leeds", "Leeds", &orgs), None);
    }
}
