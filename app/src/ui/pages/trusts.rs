//! `/trusts` (public): the trust EPR register against the framework's `epr-operational`
//! milestone: trusts with operational EPR over time (chart and table), compliance by region
//! and by type, and every trust, searchable by name or code.

use crate::error::AppError;
use crate::ui::components::error_page;
use crate::ui::format::long_date;
use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrustLine {
    pub code: String,
    pub name: String,
    pub kind: String,
    pub region: String,
    /// slug, name
    pub economy: Option<(String, String)>,
    /// operational, deploying or none, with its date
    pub status: String,
    pub date: Option<String>,
    pub compliance: String,
    /// The remediation plan the board made public last: agreed date, what was agreed, the
    /// consequence.
    pub plan: Option<(String, String, String)>,
}

/// Counts: total, compliant, late, non-compliant.
pub type Counts = (usize, usize, usize, usize);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrustsView {
    pub deadline: Option<(String, NaiveDate)>,
    pub today: NaiveDate,
    pub total: Counts,
    /// quarter end, trusts operational by then
    pub over_time: Vec<(NaiveDate, usize)>,
    pub by_region: Vec<(String, Counts)>,
    pub by_kind: Vec<(String, Counts)>,
    pub trusts: Vec<TrustLine>,
    pub shown: usize,
    pub search: String,
    pub chart: String,
    /// Trusts with a public remediation plan.
    pub public_plans: usize,
}

#[server(prefix = "/_fn", endpoint = "trusts")]
pub async fn trusts_data(search: String) -> Result<TrustsView, AppError> {
    use crate::charts::{self, Series, TimeChart};
    use crate::domain::trusts::{compliance, Compliance, Epr};
    use crate::domain::Quarter;
    let state = crate::state::app_state()?;
    let pool = &state.pool;
    let today = state.today();
    let fw = crate::service::active_framework(pool).await?.framework;
    let milestone = fw.milestone("epr-operational").cloned();
    let deadline = milestone.as_ref().map(|m| m.date);
    let candidates: std::collections::HashSet<String> = crate::db::candidates(pool)
        .await?
        .into_iter()
        .map(|e| e.slug)
        .collect();
    let all = crate::db::trusts(pool).await?;
    let mut published: std::collections::HashMap<String, (String, String, String)> =
        std::collections::HashMap::new();
    for p in crate::db::remediation_plans(pool).await? {
        if p.published_at.is_some() {
            published.insert(p.code, (p.agreed_date, p.agreed, p.consequence));
        }
    }
    let entries: Vec<(crate::db::TrustEntry, Epr)> = all
        .into_iter()
        .filter_map(|t| {
            let epr = Epr::from_parts(
                &t.epr_status,
                t.operational_date.as_deref(),
                t.planned_date.as_deref(),
            )?;
            Some((t, epr))
        })
        .collect();
    let judge = |epr: &Epr| deadline.map(|d| compliance(epr, d, today));
    let count = |items: &mut dyn Iterator<Item = &Epr>| -> Counts {
        let mut c = (0, 0, 0, 0);
        for e in items {
            c.0 += 1;
            match judge(e) {
                Some(Compliance::Compliant) => c.1 += 1,
                Some(Compliance::Late) => c.2 += 1,
                _ => c.3 += 1,
            }
        }
        c
    };
    let total = count(&mut entries.iter().map(|(_, e)| e));
    let group = |key: &dyn Fn(&crate::db::TrustEntry) -> String| {
        let mut keys: Vec<String> = entries.iter().map(|(t, _)| key(t)).collect();
        keys.sort();
        keys.dedup();
        keys.into_iter()
            .map(|k| {
                let c = count(&mut entries.iter().filter(|(t, _)| key(t) == k).map(|(_, e)| e));
                (k, c)
            })
            .collect::<Vec<_>>()
    };
    let by_region = group(&|t| t.region.clone());
    let kind_name = crate::domain::trusts::kind_words;
    let by_kind = group(&|t| kind_name(&t.kind));
    // Over time: quarter ends from two years before the deadline to today.
    let start = deadline
        .map(|d| Quarter::containing(d - chrono::Duration::days(730)))
        .unwrap_or_else(|| Quarter::containing(today));
    let over_time: Vec<(NaiveDate, usize)> = start
        .through(Quarter::containing(today))
        .map(|q| {
            let at = q.end_date().min(today);
            let n = entries
                .iter()
                .filter(|(_, e)| matches!(e, Epr::Operational(d) if *d <= at))
                .count();
            (at, n)
        })
        .collect();
    let chart = match over_time.first() {
        Some((first, _)) => charts::time_chart(&TimeChart {
            id: "trusts".into(),
            title: "Share of trusts with operational electronic patient records".into(),
            description: format!(
                "The percentage of the register's {} trusts with an operational EPR at the end of each quarter, from {} to {}.",
                total.0,
                long_date(*first),
                long_date(today)
            ),
            start: *first,
            end: today.max(deadline.unwrap_or(today)),
            series: vec![Series {
                name: "Trusts with operational EPR (%)".into(),
                color: charts::NHS_BLUE,
                points: over_time
                    .iter()
                    .map(|(d, n)| (*d, 100.0 * *n as f64 / total.0.max(1) as f64))
                    .collect(),
                dashed: false,
            }],
            band: None,
            milestones: milestone
                .iter()
                .map(|m| (m.date, "EPR deadline".to_string()))
                .collect(),
            threshold: Some((100.0, format!("All {} trusts", total.0))),
        }),
        None => String::new(),
    };
    let needle = search.trim().to_lowercase();
    let trusts: Vec<TrustLine> = entries
        .iter()
        .filter(|(t, _)| {
            needle.is_empty()
                || t.name.to_lowercase().contains(&needle)
                || t.code.to_lowercase() == needle
        })
        .map(|(t, e)| TrustLine {
            code: t.code.clone(),
            name: t.name.clone(),
            kind: kind_name(&t.kind),
            region: t.region.clone(),
            economy: t
                .economy
                .clone()
                .filter(|s| candidates.contains(s))
                .zip(t.economy_name.clone()),
            status: e.status().to_string(),
            date: match e {
                Epr::Operational(d) | Epr::Deploying(d) => Some(d.to_string()),
                Epr::None => None,
            },
            compliance: judge(e).map(|c| c.words().to_string()).unwrap_or_default(),
            plan: published.get(&t.code).cloned(),
        })
        .collect();
    Ok(TrustsView {
        deadline: milestone.map(|m| (m.name, m.date)),
        today,
        total,
        over_time,
        by_region,
        by_kind,
        shown: trusts.len(),
        trusts,
        search,
        chart,
        public_plans: published.len(),
    })
}

#[component]
pub fn TrustsPage() -> impl IntoView {
    let search = use_query_map()
        .with_untracked(|q| q.get("q"))
        .unwrap_or_default();
    view! {
        <Title text="Trust EPR register" />
        <Suspense fallback=|| ()>
            {
                let search = search.clone();
                move || {
                    let search = search.clone();
                    Suspend::new(async move {
                        match trusts_data(search).await {
                            Ok(data) => view! { <Trusts data /> }.into_any(),
                            Err(e) => error_page(e),
                        }
                    })
                }
            }
        </Suspense>
    }
}

fn counts_row(label: String, c: Counts) -> impl IntoView {
    view! {
        <tr class="nhsuk-table__row">
            <th class="nhsuk-table__header" scope="row">{label}</th>
            <td class="nhsuk-table__cell nhsuk-table__cell--numeric">{c.0}</td>
            <td class="nhsuk-table__cell nhsuk-table__cell--numeric">{c.1}</td>
            <td class="nhsuk-table__cell nhsuk-table__cell--numeric">{c.2}</td>
            <td class="nhsuk-table__cell nhsuk-table__cell--numeric">{c.3}</td>
        </tr>
    }
}

fn counts_table(
    caption: &'static str,
    first: &'static str,
    rows: Vec<(String, Counts)>,
) -> impl IntoView {
    let body = rows
        .into_iter()
        .map(|(k, c)| counts_row(k, c))
        .collect_view();
    view! {
        <div class="exemplar-table-scroll" tabindex="0" role="region" aria-label=caption>
            <table class="nhsuk-table">
                <caption class="nhsuk-table__caption nhsuk-table__caption--s">{caption}</caption>
                <thead class="nhsuk-table__head"><tr class="nhsuk-table__row">
                    <th class="nhsuk-table__header" scope="col">{first}</th>
                    <th class="nhsuk-table__header nhsuk-table__header--numeric" scope="col">"Trusts"</th>
                    <th class="nhsuk-table__header nhsuk-table__header--numeric" scope="col">"Compliant"</th>
                    <th class="nhsuk-table__header nhsuk-table__header--numeric" scope="col">"Late"</th>
                    <th class="nhsuk-table__header nhsuk-table__header--numeric" scope="col">"Non-compliant"</th>
                </tr></thead>
                <tbody class="nhsuk-table__body">{body}</tbody>
            </table>
        </div>
    }
}

#[component]
fn Trusts(data: TrustsView) -> impl IntoView {
    let (total, compliant, late, non) = data.total;
    let intro = match &data.deadline {
        Some((name, d)) => format!(
            "{name}: every NHS hospital trust was to have operational electronic patient records by {}. As of {}, {compliant} of {total} trusts met it on time, {late} went live late and {non} are not yet operational.",
            long_date(*d),
            long_date(data.today)
        ),
        None => "The active framework has no EPR deadline (milestone epr-operational), so compliance is not judged.".into(),
    };
    let over_time = data
        .over_time
        .iter()
        .map(|(d, n)| {
            view! {
                <tr class="nhsuk-table__row">
                    <th class="nhsuk-table__header" scope="row">{d.to_string()}</th>
                    <td class="nhsuk-table__cell nhsuk-table__cell--numeric">{*n}</td>
                    <td class="nhsuk-table__cell nhsuk-table__cell--numeric">{format!("{:.1}%", 100.0 * *n as f64 / total.max(1) as f64)}</td>
                </tr>
            }
        })
        .collect_view();
    let list = data
        .trusts
        .iter()
        .map(|t| {
            let status = match (t.status.as_str(), &t.date) {
                ("operational", Some(d)) => format!("Operational since {d}"),
                ("deploying", Some(d)) => format!("Deploying: go-live planned {d}"),
                _ => "None".to_string(),
            };
            let tag = match t.compliance.as_str() {
                "Compliant" => "nhsuk-tag nhsuk-tag--green",
                "Late" => "nhsuk-tag nhsuk-tag--orange",
                _ => "nhsuk-tag nhsuk-tag--red",
            };
            view! {
                <tr class="nhsuk-table__row">
                    <td class="nhsuk-table__cell">{t.code.clone()}</td>
                    <th class="nhsuk-table__header" scope="row">{t.name.clone()}</th>
                    <td class="nhsuk-table__cell">{t.kind.clone()}</td>
                    <td class="nhsuk-table__cell">{t.region.clone()}</td>
                    <td class="nhsuk-table__cell">{t.economy.clone().map(|(s, n)| view! { <a href=format!("/economies/{s}")>{n}</a> }.into_any()).unwrap_or_else(|| view! { "–" }.into_any())}</td>
                    <td class="nhsuk-table__cell">{status}{t.plan.clone().map(|(date, agreed, consequence)| view! {
                        <details class="nhsuk-details nhsuk-u-margin-bottom-0 nhsuk-u-margin-top-2" data-testid="public-plan">
                            <summary class="nhsuk-details__summary"><span class="nhsuk-details__summary-text">{format!("Remediation plan: EPR by {date}")}</span></summary>
                            <div class="nhsuk-details__text">
                                <p>{format!("Agreed as possible and practical: {agreed}")}</p>
                                <p>{format!("Consequence: {consequence}")}</p>
                            </div>
                        </details>
                    })}</td>
                    <td class="nhsuk-table__cell">{(!t.compliance.is_empty()).then(|| view! { <strong class=tag>{t.compliance.clone()}</strong> })}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <h1>"Trust EPR register"</h1>
        <p>{intro}</p>
        <p>{format!("Trusts that missed the deadline agree a remediation plan with the board: the date they will have an operational EPR by, what is possible and practical, and the consequence, such as funding withheld. {} public; each shows by its trust below.", if data.public_plans == 1 { "1 plan is".to_string() } else { format!("{} are", crate::domain::types::count(data.public_plans, "plan", "plans")) })}</p>
        <h2>"Share of trusts with operational EPR over time"</h2>
        <figure class="exemplar-figure-chart" inner_html=data.chart.clone()></figure>
        <details class="nhsuk-details">
            <summary class="nhsuk-details__summary"><span class="nhsuk-details__summary-text">"The chart's figures as a table"</span></summary>
            <div class="nhsuk-details__text">
                <table class="nhsuk-table">
                    <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">"Trusts with operational EPR at each quarter's end"</caption>
                    <thead class="nhsuk-table__head"><tr class="nhsuk-table__row">
                        <th class="nhsuk-table__header" scope="col">"Date"</th>
                        <th class="nhsuk-table__header nhsuk-table__header--numeric" scope="col">"Operational"</th>
                        <th class="nhsuk-table__header nhsuk-table__header--numeric" scope="col">"Share"</th>
                    </tr></thead>
                    <tbody class="nhsuk-table__body">{over_time}</tbody>
                </table>
            </div>
        </details>
        <h2>"By region and type"</h2>
        {counts_table("Compliance by region", "Region", data.by_region.clone())}
        {counts_table("Compliance by type of trust", "Type", data.by_kind.clone())}
        <h2 id="register">"Every trust"</h2>
        <form method="get" action="/trusts#register" class="exemplar-filter">
            <div class="nhsuk-form-group exemplar-filter__item">
                <label class="nhsuk-label" for="q">"Name or ODS code"</label>
                <input class="nhsuk-input" id="q" name="q" type="search" value=data.search.clone() />
            </div>
            <button class="nhsuk-button nhsuk-button--secondary exemplar-filter__button" type="submit">"Search"</button>
        </form>
        <p data-testid="trust-count">{format!("{}{}.", crate::domain::types::count(data.shown, "trust", "trusts"), if data.search.trim().is_empty() { String::new() } else { format!(" matching \u{201c}{}\u{201d}", data.search.trim()) })}</p>
        <div class="exemplar-table-scroll" tabindex="0" role="region" aria-label="Every trust">
            <table class="nhsuk-table">
                <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">"Every trust in the register"</caption>
                <thead class="nhsuk-table__head"><tr class="nhsuk-table__row">
                    <th class="nhsuk-table__header" scope="col">"ODS code"</th>
                    <th class="nhsuk-table__header" scope="col">"Trust"</th>
                    <th class="nhsuk-table__header" scope="col">"Type"</th>
                    <th class="nhsuk-table__header" scope="col">"Region"</th>
                    <th class="nhsuk-table__header" scope="col">"Economy"</th>
                    <th class="nhsuk-table__header" scope="col">"EPR"</th>
                    <th class="nhsuk-table__header" scope="col">"Against the deadline"</th>
                </tr></thead>
                <tbody class="nhsuk-table__body">{list}</tbody>
            </table>
        </div>
    }
}
