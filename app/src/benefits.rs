//! Benefits realisation for the public (scoring.md section 9): each benefit's results by
//! economy as of a published quarter, beside the economy's published overall score and stage.
//! Rules in `domain::benefits`; figures only for published quarters (section 7).

use crate::db::Pool;
use crate::domain::benefits::{self, BenefitResult};
use crate::domain::benefits::{BenefitChange, EconomyBenefit, SpcSummary};
use crate::domain::framework::Better;
use crate::domain::scoring::Entry;
use crate::domain::spc::Variation;
use crate::domain::table::Table;
use crate::domain::Quarter;
use crate::service::{self, ServiceError};
use serde::Serialize;

/// One economy's result for one benefit, with its published overall score and stage.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EconomyResult {
    pub economy: String,
    pub name: String,
    pub baseline_period: Quarter,
    pub baseline: f64,
    pub current: f64,
    pub change: f64,
    pub improved: bool,
    pub overall: Option<f64>,
    pub stage: Option<u8>,
}

/// One benefit and every economy with a value of it up to the quarter.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BenefitOut {
    pub code: String,
    pub title: String,
    pub unit: String,
    pub better: Better,
    pub economies: Vec<EconomyResult>,
}

/// `GET /api/v1/benefits` and the `/benefits` page's figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BenefitsOut {
    pub as_of: Quarter,
    pub benefits: Vec<BenefitOut>,
}

impl BenefitOut {
    /// The domain's results, for grouping.
    pub fn results(&self) -> Vec<BenefitResult> {
        self.economies
            .iter()
            .map(|e| BenefitResult {
                economy: e.economy.clone(),
                baseline_period: e.baseline_period,
                baseline: e.baseline,
                current: e.current,
                change: e.change,
                improved: e.improved,
            })
            .collect()
    }
}

/// The benefits as of a published quarter (`None`: the latest published); `Ok(None)` when
/// that quarter is not published (or nothing is).
pub async fn published_benefits(
    pool: &Pool,
    as_of: Option<Quarter>,
) -> Result<Option<BenefitsOut>, ServiceError> {
    let Some(published) = service::published_scores(pool, as_of).await? else {
        return Ok(None);
    };
    let Some(q) = published.scores.as_of.or(as_of) else {
        return Ok(None);
    };
    let fw = service::active_framework(pool).await?.framework;
    let inputs = service::scoring_inputs(pool).await?;
    let record = |slug: &str| {
        published
            .scores
            .economies
            .iter()
            .find(|r| r.economy == slug)
    };
    let benefits = fw
        .benefits
        .iter()
        .map(|b| BenefitOut {
            code: b.code.clone(),
            title: b.title.clone(),
            unit: b.unit.clone(),
            better: b.better,
            economies: inputs
                .iter()
                .filter_map(|(e, input)| {
                    let r = benefits::result(b, &e.slug, &input.entries, q)?;
                    let rec = record(&e.slug);
                    Some(EconomyResult {
                        economy: r.economy,
                        name: e.name.clone(),
                        baseline_period: r.baseline_period,
                        baseline: r.baseline,
                        current: r.current,
                        change: r.change,
                        improved: r.improved,
                        overall: rec.and_then(|r| r.overall),
                        stage: rec.and_then(|r| r.stage),
                    })
                })
                .collect(),
        })
        .collect();
    Ok(Some(BenefitsOut { as_of: q, benefits }))
}

/// The benefits as a table (CSV, spreadsheet): one row per benefit and economy.
pub fn benefits_table(out: &BenefitsOut) -> Table {
    let mut table = Table::new(crate::domain::open_data::BENEFITS.columns());
    let num = |x: f64| crate::domain::files::format_number(x);
    for b in &out.benefits {
        for e in &b.economies {
            let cells = [
                out.as_of.to_string(),
                b.code.clone(),
                match b.better {
                    Better::Higher => "higher",
                    Better::Lower => "lower",
                }
                .to_string(),
                e.economy.clone(),
                e.baseline_period.to_string(),
                num(e.baseline),
                num(e.current),
                num(e.change),
                e.improved.to_string(),
                e.overall.map(num).unwrap_or_default(),
                e.stage.map(|s| s.to_string()).unwrap_or_default(),
            ];
            table.push(cells);
        }
    }
    table
}

/// Every benefit's series for one economy up to `as_of`, beside `overall` (its overall score
/// by quarter), with a chart each (ids prefixed `prefix`).
pub fn economy_benefits(
    fw: &crate::domain::Framework,
    entries: &[Entry],
    as_of: Quarter,
    overall: &std::collections::HashMap<Quarter, f64>,
    prefix: &str,
) -> Vec<EconomyBenefit> {
    use crate::charts::{self, Series, TimeChart};
    fw.benefits
        .iter()
        .map(|b| {
            let series = benefits::series(&b.code, entries, as_of);
            let result = benefits::result(b, "", entries, as_of).map(|r| BenefitChange {
                baseline_period: r.baseline_period.to_string(),
                baseline: r.baseline,
                current: r.current,
                change: r.change,
                improved: r.improved,
            });
            let better = match b.better {
                Better::Higher => "Higher is better",
                Better::Lower => "Lower is better",
            };
            let values: Vec<f64> = series.iter().map(|(_, v)| *v).collect();
            let xmr = crate::domain::spc::xmr(&values, b.better);
            let chart = match (series.first(), series.last()) {
                (Some((first, _)), Some((last, _))) if series.len() > 1 => {
                    let max = values
                        .iter()
                        .copied()
                        .chain(xmr.as_ref().map(|x| x.upper))
                        .fold(0.0_f64, f64::max);
                    let (lines, marks) = spc_drawing(xmr.as_ref(), &series);
                    charts::time_chart_in(
                        &TimeChart {
                            id: format!("{prefix}{}", b.code.to_lowercase()),
                            title: format!("{} ({})", b.title, b.unit),
                            description: format!(
                                "{} from {first} to {last}: {} at the start, {} at the end. {better}.{}",
                                b.title,
                                crate::domain::files::format_number(series[0].1),
                                crate::domain::files::format_number(series[series.len() - 1].1),
                                xmr.as_ref()
                                    .map(|x| format!(
                                        " Mean {}, process limits {} to {}. Latest quarter: {}.",
                                        crate::domain::files::format_number(round2(x.mean)),
                                        crate::domain::files::format_number(round2(x.lower)),
                                        crate::domain::files::format_number(round2(x.upper)),
                                        x.latest().words().to_lowercase()
                                    ))
                                    .unwrap_or_default()
                            ),
                            start: first.start_date(),
                            end: last.end_date(),
                            series: vec![Series {
                                name: b.title.clone(),
                                color: charts::NHS_PURPLE,
                                points: series.iter().map(|(q, v)| (q.end_date(), *v)).collect(),
                                dashed: false,
                            }],
                            band: None,
                            milestones: Vec::new(),
                            lines,
                            marks,
                            threshold: None,
                        },
                        0.0,
                        charts::nice_max(max),
                    )
                }
                _ => String::new(),
            };
            EconomyBenefit {
                code: b.code.clone(),
                title: b.title.clone(),
                unit: b.unit.clone(),
                better: better.to_string(),
                series: series
                    .iter()
                    .map(|(q, v)| (q.to_string(), *v, overall.get(q).copied()))
                    .collect(),
                result,
                chart,
                spc: xmr.map(|x| SpcSummary {
                    mean: x.mean,
                    upper: x.upper,
                    lower: x.lower,
                    variation: x.latest(),
                    notes: x
                        .signals
                        .iter()
                        .map(|s| {
                            let mut rules: Vec<&str> = s.rules.iter().map(|(r, _)| r.words()).collect();
                            rules.dedup();
                            match s.variation {
                                Variation::Common => String::new(),
                                v => format!("{}: {}", v.words(), rules.join("; ")),
                            }
                        })
                        .collect(),
                }),
            }
        })
        .collect()
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// The XmR chart's mean, process limits and special-cause points (improvement in blue,
/// concern in orange, as in Making Data Count).
fn spc_drawing(
    xmr: Option<&crate::domain::spc::Xmr>,
    series: &[(Quarter, f64)],
) -> (Vec<crate::charts::Line>, Vec<crate::charts::Mark>) {
    use crate::charts::{self, Line, Mark};
    let Some(x) = xmr else {
        return (Vec::new(), Vec::new());
    };
    let lines = vec![
        Line {
            values: vec![x.mean],
            name: "Mean".into(),
            color: charts::NHS_DARK_GREY,
            dashed: false,
        },
        Line {
            values: vec![x.upper, x.lower],
            name: "Process limits".into(),
            color: charts::NHS_MID_GREY,
            dashed: true,
        },
    ];
    let marks = series
        .iter()
        .zip(&x.signals)
        .filter_map(|((q, v), s)| {
            let (color, name) = match s.variation {
                Variation::Common => return None,
                Variation::Improving(_) => (charts::NHS_BLUE, "Special cause: improvement"),
                Variation::Concerning(_) => (charts::NHS_ORANGE, "Special cause: concern"),
            };
            Some(Mark {
                at: q.end_date(),
                value: *v,
                color,
                name: name.into(),
            })
        })
        .collect();
    (lines, marks)
}
