//! `/regions`: progress by region, as a map and the same figures in a table.

use crate::ui::components::{error_page, rcell, rcol, rhead, ChartFigure};
use crate::ui::data::{regions_data, RegionsView, MIN_FOR_MEDIAN};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn RegionsPage() -> impl IntoView {
    let as_of = use_query_map().with_untracked(|q| q.get("as_of"));
    view! {
        <Title text="Regions" />
        <Suspense fallback=|| view! { <p>"Loading regions…"</p> }>
            {
                let as_of = as_of.clone();
                move || {
                    let as_of = as_of.clone();
                    Suspend::new(async move {
                        match regions_data(as_of).await {
                            Ok(data) => view! { <Regions data /> }.into_any(),
                            Err(e) => error_page(e),
                        }
                    })
                }
            }
        </Suspense>
    }
}

#[component]
fn Regions(data: RegionsView) -> impl IntoView {
    let Some(q) = data.quarter.clone() else {
        return view! {
            <h1>"Regions"</h1>
            <p>"No quarter's figures have been published yet, so there are no regional figures."</p>
        }
        .into_any();
    };
    let options = data
        .published
        .iter()
        .rev()
        .map(|p| view! { <option value=p.clone() selected=*p == q>{p.clone()}</option> })
        .collect_view();
    let rows = data
        .rows
        .iter()
        .map(|r| {
            view! {
                <tr role="row" class="nhsuk-table__row">
                    {rhead("Region", view! {
                        <a href=format!("/economies?as_of={q}&region={}", r.region.replace(' ', "+"))>{r.region.clone()}</a>
                        {(!r.on_map).then_some(" (not on the map)")}
                    })}
                    {rcell("Candidates", true, r.candidates)}
                    {rcell("Reporting", true, r.reporting)}
                    {rcell("Median overall", true, r.median.map(|m| format!("{m:.1}")).unwrap_or_else(|| "too few".into()))}
                    {rcell("Median verified", true, r.median_verified.map(|m| format!("{m:.1}")).unwrap_or_else(|| "too few".into()))}
                    {rcell("Meet every gate", true, r.eligible)}
                    {rcell("On track", true, r.on_track)}
                </tr>
            }
        })
        .collect_view();
    view! {
        <h1>"Regions"</h1>
        <p class="nhsuk-lede-text">{format!("Progress by region on the published figures for {} ({q}).", data.label.clone().unwrap_or_default())}</p>
        <form method="get" action="/regions" class="exemplar-filter" novalidate>
            <div class="nhsuk-form-group exemplar-filter__item">
                <label class="nhsuk-label" for="as_of">"Quarter"</label>
                <select class="nhsuk-select" id="as_of" name="as_of">{options}</select>
            </div>
            <button class="nhsuk-button nhsuk-button--secondary exemplar-filter__button" type="submit">"Show"</button>
        </form>
        <div class="nhsuk-grid-row">
            <div class="nhsuk-grid-column-one-half">
                <ChartFigure svg=data.map.clone() class="exemplar-map" />
            </div>
            <div class="nhsuk-grid-column-one-half">
                <p>{format!("Each hex is one of England's nine regions, placed roughly where it lies and shaded by the median overall score of its candidate economies. A region with fewer than {MIN_FOR_MEDIAN} economies reporting shows no median: too few to be fair.")}</p>
            </div>
        </div>
        <div class="exemplar-table-scroll" tabindex="0" role="region" aria-label="Figures by region">
            <table role="table" class="nhsuk-table-responsive">
                <caption class="nhsuk-table__caption nhsuk-table__caption--s">{format!("Candidate economies by region, {q}")}</caption>
                <thead role="rowgroup" class="nhsuk-table__head">
                    <tr role="row" class="nhsuk-table__row">
                        {rcol("Region", false)}
                        {rcol("Candidates", true)}
                        {rcol("Reporting", true)}
                        {rcol("Median overall", true)}
                        {rcol("Median verified", true)}
                        {rcol("Meet every gate", true)}
                        {rcol("On track", true)}
                    </tr>
                </thead>
                <tbody class="nhsuk-table__body">{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}
