//! `/my-economy/report/{YYYY-Qn}`: an economy's report of one quarter to take to its board:
//! printed, or saved as a PDF from the browser, it is a clean A4 document (the print
//! stylesheet drops the navigation, keeps each chart with its table and starts each section
//! on a new page) with the figures' publication status and date at the foot of every page.

use super::my_economy::{criteria_table, peer_comparison, row, what_changed};
use crate::domain::format::long_date;
use crate::domain::submission::view::ReportView;
use crate::error::AppError;
use crate::ui::components::{error_page, PrintFoot};
use crate::ui::pages::EconomyBenefits;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[server(prefix = "/_fn", endpoint = "my-report")]
pub async fn my_report(period: String) -> Result<ReportView, AppError> {
    let user = crate::ui::session::require(crate::domain::account::Role::Submitter)?;
    let slug = crate::ui::session::require_submitter()?;
    let state = crate::state::app_state()?;
    crate::submissions::report_view(&state.pool, &slug, &user, state.today(), &period).await
}

#[component]
pub fn ReportPage() -> impl IntoView {
    let period = use_params_map().with_untracked(|p| p.get("period").unwrap_or_default());
    view! {
        <Suspense fallback=|| ()>
            {
                let period = period.clone();
                move || {
                    let period = period.clone();
                    Suspend::new(async move {
                        match my_report(period).await {
                            Ok(data) => view! { <Report data /> }.into_any(),
                            Err(e) => error_page(e),
                        }
                    })
                }
            }
        </Suspense>
    }
}

#[component]
fn Report(data: ReportView) -> impl IntoView {
    let d = data.data;
    let q = d.as_of;
    let status = match data.published_on {
        Some(on) => format!("Published on {}", long_date(on)),
        None => "Provisional: not yet published".to_string(),
    };
    let foot = format!("{}, report for {q}. {status}.", d.name);
    let themes = d
        .themes
        .iter()
        .map(|(name, s)| {
            view! {
                <tr class="nhsuk-table__row">
                    <th class="nhsuk-table__header" scope="row">{name.clone()}</th>
                    <td class="nhsuk-table__cell nhsuk-table__cell--numeric">{format!("{s:.1}")}</td>
                </tr>
            }
        })
        .collect_view();
    let (tag, explain) = match (data.published_on, &data.revised) {
        (Some(on), None) => ("nhsuk-tag nhsuk-tag--green", format!("These are the figures the board published for {q} on {}.", long_date(on))),
        (Some(on), Some(reason)) => ("nhsuk-tag nhsuk-tag--green", format!("These are the figures the board published for {q} on {}, as since revised: {reason}", long_date(on))),
        (None, _) => ("nhsuk-tag nhsuk-tag--grey", format!("{q} is not published yet: these figures are provisional and change as values are submitted and verified.")),
    };
    view! {
        <Title text=format!("Report for {q}: {}", d.name) />
        <PrintFoot text=foot />
        <nav class="nhsuk-breadcrumb" aria-label="Breadcrumb">
            <ol class="nhsuk-breadcrumb__list">
                <li class="nhsuk-breadcrumb__list-item"><a class="nhsuk-breadcrumb__link" href="/my-economy">"Your economy"</a></li>
            </ol>
        </nav>
        <span class="nhsuk-caption-l">{format!("{}, {}", d.name, d.region)}</span>
        <h1>{format!("Report for {q}")}</h1>
        <p class="nhsuk-lede-text">{q.label()}</p>
        <p data-testid="report-status"><strong class=tag>{status.clone()}</strong>" "{explain}</p>
        <div class="nhsuk-inset-text exemplar-no-print">
            <p>"To keep a copy or send it to your board, print this page or save it as a PDF from your browser's print menu. The navigation is left out, and every page carries the publication status."</p>
        </div>
        <h2>"Scores"</h2>
        <dl class="nhsuk-summary-list">
            {row("Overall score", format!("{:.1}", d.overall))}
            {row("Verified overall score", format!("{:.1}", d.verified_overall))}
            {row("Completeness", format!("{:.1}% of the overall score has a value", d.completeness))}
            {row("Confidence", format!("{:.1}% of the overall score is verified", d.confidence))}
            {row("Stage", format!("{} of {}", d.stage, d.top_stage))}
            {row("Rank", d.rank.map(|r| format!("{r} of {}", d.ranked)).unwrap_or_else(|| "not ranked".into()))}
        </dl>
        <table class="nhsuk-table">
            <caption class="nhsuk-table__caption nhsuk-table__caption--s">"Scores by theme"</caption>
            <thead class="nhsuk-table__head"><tr class="nhsuk-table__row">
                <th class="nhsuk-table__header" scope="col">"Theme"</th>
                <th class="nhsuk-table__header nhsuk-table__header--numeric" scope="col">"Score"</th>
            </tr></thead>
            <tbody class="nhsuk-table__body">{themes}</tbody>
        </table>
        {d.changes.clone().map(what_changed)}
        {d.standing.clone().map(|s| view! { <div class="exemplar-report__section">{peer_comparison(s)}</div> })}
        <div class="exemplar-report__section">
            <h2>"Outcome measures"</h2>
            <p>"Each benefit measure from its baseline quarter, as a statistical process control chart with its figures. Benefits never count towards a score."</p>
            <EconomyBenefits items=d.benefits.clone() level=3 open=true />
        </div>
        <div class="exemplar-report__section">
            <h2>"Every criterion"</h2>
            {criteria_table(&d.criteria, q)}
        </div>
        <p class="exemplar-no-print"><a href="/my-economy">"Back to your economy"</a></p>
    }
}
