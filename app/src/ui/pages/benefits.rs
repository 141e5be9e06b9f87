//! `/benefits` (public): outcome measures beside maturity, nationally (scoring.md section 9).
//! For each benefit, the improvement of economies grouped by the stage they reached (groups
//! under three suppressed), and overall score against improvement as a scatter with its data
//! table; published quarters only, with a plain caution that this is association, not cause.

use crate::domain::benefits::StageGroup;
use crate::error::AppError;
use crate::ui::components::{error_page, rcell, rcol, rhead, ChartFigure};
use crate::ui::format::score;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

/// One economy's figures for one benefit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BenefitRow {
    pub slug: String,
    pub name: String,
    pub overall: Option<f64>,
    pub stage: Option<u8>,
    pub baseline_period: String,
    pub baseline: f64,
    pub current: f64,
    pub change: f64,
    pub improved: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BenefitSection {
    pub code: String,
    pub title: String,
    pub unit: String,
    /// "Lower is better" or "Higher is better".
    pub better: String,
    pub improved: usize,
    pub groups: Vec<StageGroup>,
    pub rows: Vec<BenefitRow>,
    /// Pearson's correlation of overall score and improvement, when there are enough.
    pub correlation: Option<f64>,
    pub chart: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BenefitsView {
    pub as_of: String,
    pub published: Vec<String>,
    pub sections: Vec<BenefitSection>,
}

#[server(prefix = "/_fn", endpoint = "benefits")]
pub async fn benefits_data(as_of: Option<String>) -> Result<BenefitsView, AppError> {
    use crate::domain::benefits::{by_stage, correlation};
    use crate::domain::framework::Better;
    let state = crate::state::app_state()?;
    let pool = &state.pool;
    let as_of = crate::ui::data::parse_as_of(as_of.as_deref())?;
    let published: Vec<String> = crate::service::published_quarters(pool)
        .await?
        .iter()
        .map(|q| q.to_string())
        .collect();
    let out = crate::benefits::published_benefits(pool, as_of)
        .await
        .map_err(|e| match e {
            crate::service::ServiceError::Db(e) => AppError::from(e),
            _ => AppError::Internal,
        })?;
    let Some(out) = out else {
        return match as_of {
            Some(q) => Err(AppError::NotPublished(q.to_string())),
            None => Ok(BenefitsView {
                as_of: String::new(),
                published,
                sections: Vec::new(),
            }),
        };
    };
    let sections = out
        .benefits
        .iter()
        .map(|b| {
            let results = b.results();
            let stage_of = |slug: &str| {
                b.economies
                    .iter()
                    .find(|e| e.economy == slug)
                    .and_then(|e| e.stage)
            };
            let groups = by_stage(&results, b.better, stage_of);
            let points: Vec<(f64, f64)> = b
                .economies
                .iter()
                .zip(&results)
                .filter_map(|(e, r)| e.overall.map(|o| (o, r.improvement(b.better))))
                .collect();
            let r = correlation(&points);
            let better = match b.better {
                Better::Higher => "Higher is better",
                Better::Lower => "Lower is better",
            };
            let chart = if points.is_empty() {
                String::new()
            } else {
                crate::charts::scatter_chart(&crate::charts::Scatter {
                    id: format!("benefit-{}", b.code.to_lowercase()),
                    title: format!("{}: overall score against improvement", b.title),
                    description: format!(
                        "{} economies, each a dot: its overall score as of {} across, its improvement since its baseline up ({}, {}; above the line is better).{}",
                        points.len(),
                        out.as_of,
                        b.unit,
                        better.to_lowercase(),
                        match r {
                            Some(r) => format!(" The correlation is {r:.2}."),
                            None => String::new(),
                        }
                    ),
                    x_label: format!("Overall score, {}", out.as_of),
                    y_label: format!("Improvement ({})", b.unit),
                    x: (0.0, 100.0),
                    points,
                })
            };
            BenefitSection {
                code: b.code.clone(),
                title: b.title.clone(),
                unit: b.unit.clone(),
                better: better.to_string(),
                improved: b.economies.iter().filter(|e| e.improved).count(),
                groups,
                rows: b
                    .economies
                    .iter()
                    .map(|e| BenefitRow {
                        slug: e.economy.clone(),
                        name: e.name.clone(),
                        overall: e.overall,
                        stage: e.stage,
                        baseline_period: e.baseline_period.to_string(),
                        baseline: e.baseline,
                        current: e.current,
                        change: e.change,
                        improved: e.improved,
                    })
                    .collect(),
                correlation: r,
                chart,
            }
        })
        .collect();
    Ok(BenefitsView {
        as_of: out.as_of.to_string(),
        published,
        sections,
    })
}

pub use crate::domain::benefits::EconomyBenefit;

/// An economy's benefits: each one's series from its baseline quarter beside the overall
/// score, the change and whether it is an improvement, as a chart with its data table.
#[component]
pub fn EconomyBenefits(
    items: Vec<EconomyBenefit>,
    level: u8,
    /// Each table shown open (a report to print).
    #[prop(optional)]
    open: bool,
) -> impl IntoView {
    let reported: Vec<EconomyBenefit> =
        items.into_iter().filter(|b| !b.series.is_empty()).collect();
    if reported.is_empty() {
        return view! { <p>"No outcome measures reported yet."</p> }.into_any();
    }
    reported
        .into_iter()
        .map(|b| {
            let summary = match &b.result {
                Some(r) => format!(
                    "Baseline {} ({}), now {}: {}, {}. {}.",
                    figure(r.baseline),
                    r.baseline_period,
                    figure(r.current),
                    if r.change == 0.0 { "no change".to_string() } else { format!("a change of {}{} {}", if r.change > 0.0 { "+" } else { "" }, figure(r.change), b.unit) },
                    if r.improved { "an improvement" } else { "not an improvement" },
                    b.better
                ),
                None => String::new(),
            };
            let notes = b.spc.as_ref().map(|s| s.notes.clone()).unwrap_or_default();
            let has_spc = b.spc.is_some();
            let rows = b
                .series
                .iter()
                .enumerate()
                .map(|(i, (q, v, o))| {
                    let note = notes.get(i).filter(|n| !n.is_empty()).cloned().unwrap_or_else(|| "Common cause".into());
                    view! {
                        <tr class="nhsuk-table__row">
                            <th class="nhsuk-table__header" scope="row">{q.clone()}</th>
                            <td class="nhsuk-table__cell nhsuk-table__cell--numeric">{figure(*v)}</td>
                            <td class="nhsuk-table__cell nhsuk-table__cell--numeric">{score(*o)}</td>
                            {has_spc.then(|| view! { <td class="nhsuk-table__cell">{note}</td> })}
                        </tr>
                    }
                })
                .collect_view();
            let variation = match &b.spc {
                Some(s) => view! {
                    <div class="exemplar-variation" data-testid="variation">
                        {variation_icon(s.variation)}
                        <p class="nhsuk-u-margin-bottom-0">
                            <strong>{s.variation.words()}</strong>
                            {format!(" in the latest quarter. Mean {}; process limits {} to {}.", figure(s.mean), figure(s.lower), figure(s.upper))}
                            " "<a href="/benefits#spc">"How to read this chart"</a>
                        </p>
                    </div>
                }.into_any(),
                None if b.series.len() > 1 => view! {
                    <p class="nhsuk-body-s">{format!(
                        "Process limits need at least {} quarters; this measure has {} so far. ",
                        crate::domain::spc::MIN_VALUES,
                        b.series.len()
                    )}<a href="/benefits#spc">"How to read this chart"</a></p>
                }.into_any(),
                None => ().into_any(),
            };
            let heading = if level <= 2 {
                view! { <h2>{b.title.clone()}</h2> }.into_any()
            } else {
                view! { <h3>{b.title.clone()}</h3> }.into_any()
            };
            view! {
                <div class="exemplar-benefit" data-testid=format!("economy-benefit-{}", b.code)>
                    {heading}
                    <p>{summary}</p>
                    {variation}
                    {(!b.chart.is_empty()).then(|| view! { <ChartFigure svg=b.chart.clone() /> })}
                    <details class="nhsuk-details" open=open>
                        <summary class="nhsuk-details__summary"><span class="nhsuk-details__summary-text">{format!("{}: the figures, quarter by quarter", b.title)}</span></summary>
                        <div class="nhsuk-details__text">
                            <table class="nhsuk-table">
                                <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">{format!("{} beside the overall score", b.title)}</caption>
                                <thead class="nhsuk-table__head"><tr class="nhsuk-table__row">
                                    <th class="nhsuk-table__header" scope="col">"Quarter"</th>
                                    <th class="nhsuk-table__header nhsuk-table__header--numeric" scope="col">{b.unit.clone()}</th>
                                    <th class="nhsuk-table__header nhsuk-table__header--numeric" scope="col">"Overall score"</th>
                                    {has_spc.then(|| view! { <th class="nhsuk-table__header" scope="col">"Variation"</th> })}
                                </tr></thead>
                                <tbody class="nhsuk-table__body">{rows}</tbody>
                            </table>
                        </div>
                    </details>
                </div>
            }
        })
        .collect_view()
        .into_any()
}

/// Making Data Count's variation icon, drawn here: a circle in the variation's colour (grey
/// for common cause, blue for improvement, orange for concern) holding H or L for a special
/// cause that is high or low, or a level line for common cause. The words beside it say the
/// same, so the icon is hidden from screen readers.
fn variation_icon(v: crate::domain::spc::Variation) -> impl IntoView {
    use crate::domain::spc::{Side, Variation};
    let (fill, letter) = match v {
        Variation::Common => ("#425563", None),
        Variation::Improving(s) => ("#005eb8", Some(s)),
        Variation::Concerning(s) => ("#b35c00", Some(s)),
    };
    let mark = match letter {
        Some(Side::High) => view! { <text x="20" y="27" text-anchor="middle" font-size="20" font-weight="bold" fill="#ffffff" font-family="Arial, Helvetica, sans-serif">"H"</text> }.into_any(),
        Some(Side::Low) => view! { <text x="20" y="27" text-anchor="middle" font-size="20" font-weight="bold" fill="#ffffff" font-family="Arial, Helvetica, sans-serif">"L"</text> }.into_any(),
        None => view! { <path d="M9 20 q5.5 -7 11 0 t11 0" stroke="#ffffff" stroke-width="3" fill="none" /> }.into_any(),
    };
    view! {
        <svg class="exemplar-variation__icon" viewBox="0 0 40 40" width="40" height="40" aria-hidden="true" focusable="false">
            <circle cx="20" cy="20" r="19" fill=fill />
            {mark}
        </svg>
    }
}

#[component]
pub fn BenefitsPage() -> impl IntoView {
    let as_of = use_query_map().with_untracked(|q| q.get("as_of"));
    view! {
        <Title text="Benefits: outcomes beside maturity" />
        <Suspense fallback=|| ()>
            {
                let as_of = as_of.clone();
                move || {
                    let as_of = as_of.clone();
                    Suspend::new(async move {
                        match benefits_data(as_of).await {
                            Ok(data) => view! { <Benefits data /> }.into_any(),
                            Err(e) => error_page(e),
                        }
                    })
                }
            }
        </Suspense>
    }
}

/// A number to at most two decimal places, without trailing zeros.
pub fn figure(x: f64) -> String {
    let s = format!("{x:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

fn stage_name(s: u8) -> String {
    if s == 0 {
        "Not yet at stage 1".to_string()
    } else {
        format!("Stage {s}")
    }
}

fn section(b: BenefitSection) -> impl IntoView {
    let n = b.rows.len();
    let groups = b
        .groups
        .iter()
        .map(|g| {
            let (improved, median) = if g.suppressed {
                ("Not shown".to_string(), "Not shown".to_string())
            } else {
                (
                    format!("{} of {}", g.improved.unwrap_or(0), g.economies),
                    g.median_improvement.map(figure).unwrap_or_else(|| "–".into()),
                )
            };
            view! {
                <tr class="nhsuk-table__row">
                    <th class="nhsuk-table__header" scope="row">{stage_name(g.stage)}</th>
                    <td class="nhsuk-table__cell nhsuk-table__cell--numeric">{if g.suppressed { "Fewer than 3".to_string() } else { g.economies.to_string() }}</td>
                    <td class="nhsuk-table__cell nhsuk-table__cell--numeric">{improved}</td>
                    <td class="nhsuk-table__cell nhsuk-table__cell--numeric">{median}</td>
                </tr>
            }
        })
        .collect_view();
    let rows = b
        .rows
        .iter()
        .map(|r| {
            view! {
                <tr role="row" class="nhsuk-table__row">
                    {rhead("Economy", view! { <a href=format!("/economies/{}", r.slug)>{r.name.clone()}</a> })}
                    {rcell("Overall", true, score(r.overall))}
                    {rcell("Stage", true, r.stage.map(|s| s.to_string()).unwrap_or_else(|| "–".into()))}
                    {rcell("Baseline (quarter)", false, format!("{} ({})", figure(r.baseline), r.baseline_period))}
                    {rcell("Now", true, figure(r.current))}
                    {rcell("Change", true, format!("{}{}", if r.change > 0.0 { "+" } else { "" }, figure(r.change)))}
                    {rcell("Improved", false, if r.improved { "Yes" } else { "No" })}
                </tr>
            }
        })
        .collect_view();
    let id = b.code.to_lowercase();
    let suppressed = b.groups.iter().any(|g| g.suppressed);
    view! {
        <section aria-labelledby=format!("{id}-heading") data-testid=format!("benefit-{}", b.code)>
            <h2 id=format!("{id}-heading")>{b.title.clone()}</h2>
            <p data-testid="benefit-summary">{format!(
                "{n} economies report it; {} of them improved on their baseline. {} ({}).",
                b.improved, b.better, b.unit
            )}</p>
            {(!b.groups.is_empty()).then(|| view! {
                <div class="exemplar-table-scroll" tabindex="0" role="region" aria-label=format!("{}: improvement by stage", b.title)>
                    <table class="nhsuk-table">
                        <caption class="nhsuk-table__caption nhsuk-table__caption--s">"Improvement by stage reached"</caption>
                        <thead class="nhsuk-table__head"><tr class="nhsuk-table__row">
                            <th class="nhsuk-table__header" scope="col">"Stage"</th>
                            <th class="nhsuk-table__header nhsuk-table__header--numeric" scope="col">"Economies"</th>
                            <th class="nhsuk-table__header nhsuk-table__header--numeric" scope="col">"Improved"</th>
                            <th class="nhsuk-table__header nhsuk-table__header--numeric" scope="col">{format!("Median improvement ({})", b.unit)}</th>
                        </tr></thead>
                        <tbody class="nhsuk-table__body">{groups}</tbody>
                    </table>
                </div>
            })}
            {suppressed.then(|| view! { <p class="nhsuk-body-s" data-testid="suppression">"A stage with fewer than 3 economies has no group figures: a count or median of 1 or 2 economies is not a pattern, and could be mistaken for one. This does not hide any economy's own figures: they are published, below and on each economy's page."</p> })}
            {(!b.chart.is_empty()).then(|| view! {
                <ChartFigure svg=b.chart.clone() />
            })}
            {b.correlation.map(|r| view! {
                <p>{format!(
                    "Across the {n} economies the correlation between overall score and improvement is {r:.2} ({}).",
                    match r.abs() {
                        a if a < 0.1 => "no relationship to speak of",
                        a if a < 0.3 => "a weak relationship",
                        a if a < 0.5 => "a moderate relationship",
                        _ => "a strong relationship",
                    }
                )}</p>
            })}
            <details class="nhsuk-details">
                <summary class="nhsuk-details__summary"><span class="nhsuk-details__summary-text">{format!("Every economy's figures for {}", b.title.to_lowercase())}</span></summary>
                <div class="nhsuk-details__text exemplar-table-scroll" tabindex="0" role="region" aria-label=format!("{}: every economy", b.title)>
                    <table role="table" class="nhsuk-table-responsive">
                        <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">{format!("{}: every economy", b.title)}</caption>
                        <thead role="rowgroup" class="nhsuk-table__head"><tr role="row" class="nhsuk-table__row">
                            {rcol("Economy", false)}
                            {rcol("Overall", true)}
                            {rcol("Stage", true)}
                            {rcol("Baseline (quarter)", false)}
                            {rcol("Now", true)}
                            {rcol("Change", true)}
                            {rcol("Improved", false)}
                        </tr></thead>
                        <tbody class="nhsuk-table__body">{rows}</tbody>
                    </table>
                </div>
            </details>
        </section>
    }
}

#[component]
fn Benefits(data: BenefitsView) -> impl IntoView {
    let options = data
        .published
        .iter()
        .rev()
        .map(|q| view! { <option value=q.clone() selected=*q == data.as_of>{q.clone()}</option> })
        .collect_view();
    let sections = data
        .sections
        .clone()
        .into_iter()
        .map(section)
        .collect_view();
    view! {
        <h1>"Benefits: does digital maturity go with better care?"</h1>
        <p class="nhsuk-lede-text">"The exemplar is meant to show that digital records are fundamental to better care. Each economy reports outcome measures every quarter beside its readiness: they are checked by the board like any other value, and never count towards a score."</p>
        <div class="nhsuk-warning-callout">
            <h2 class="nhsuk-warning-callout__label"><span role="text"><span class="nhsuk-u-visually-hidden">"Important: "</span>"Association, not cause"</span></h2>
            <p>"These figures show whether the more mature economies also improved more. They cannot show that digital records caused the improvement: economies differ in size, funding, population and much else, and each measures its own outcomes. Read them as a question worth asking, not an answer."</p>
        </div>
        {if data.as_of.is_empty() {
            view! { <p>"No quarter's figures have been published yet, so there are no benefits to show."</p> }.into_any()
        } else {
            view! {
                <p>{format!("As of {}. Each economy's change is from its baseline (its first quarter with a value the board has not rejected) to its value as of {}. Stages and overall scores are the published ones.", data.as_of, data.as_of)}</p>
                <form method="get" action="/benefits" class="exemplar-filter">
                    <div class="nhsuk-form-group exemplar-filter__item">
                        <label class="nhsuk-label" for="as_of">"Published quarter"</label>
                        <select class="nhsuk-select" id="as_of" name="as_of">{options}</select>
                    </div>
                    <button class="nhsuk-button nhsuk-button--secondary exemplar-filter__button" type="submit">"Show"</button>
                </form>
                {sections}
                <h2>"The data behind these figures"</h2>
                <ul>
                    <li><a href="/open-data/benefits.csv">"Benefits for the latest published quarter (CSV)"</a></li>
                    <li><a href=format!("/api/v1/benefits?as_of={}", data.as_of)>{format!("Benefits as of {} (JSON, from the API)", data.as_of)}</a></li>
                    <li><a href="/open-data/values.csv">"Every value behind the published quarters, benefits included (CSV)"</a></li>
                </ul>
            }.into_any()
        }}
        <h2 id="spc">"How to read each economy's benefit charts"</h2>
        <p>"Each economy's page charts its benefit measures quarter by quarter as statistical process control charts (XmR charts), in the style of NHS England's Making Data Count. They separate the ordinary ups and downs of a measure from a change worth looking into."</p>
        <ul>
            <li>"The solid grey line is the mean of the economy's values."</li>
            <li>{format!("The dashed grey lines are the process limits: the mean plus and minus {} times the average difference between one quarter and the next. Almost every value of a stable process falls between them. They need at least {} quarters.", crate::domain::spc::LIMIT_FACTOR, crate::domain::spc::MIN_VALUES)}</li>
            <li>"A value is a special cause when it is outside the process limits, or part of a shift or a trend:"
                <ul>
                    <li>{format!("a shift is {} or more quarters in a row on the same side of the mean (a value exactly on the mean ends the run)", crate::domain::spc::SHIFT_RUN)}</li>
                    <li>{format!("a trend is {} or more quarters in a row each higher than the one before, or each lower (an equal value ends the run)", crate::domain::spc::TREND_RUN)}</li>
                </ul>
            </li>
            <li>"A special cause in the measure's better direction is an improvement (blue, with H for high or L for low); in the other direction it is a concern (orange). Anything else is common cause variation (grey). The icon beside each chart shows the latest quarter's variation."</li>
        </ul>
        <p>"With few quarters the limits are wide and only a large change shows; a special cause is a reason to ask what changed, not proof of what caused it. Every chart has its figures, with each quarter's variation, in a table under it."</p>
    }
}
