//! `/regions`: progress by region, as a map and the same figures in a table.

use crate::domain::organisations::NhsPlace;
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
    let nhs = view! { <NhsEngland places=data.places.clone() /> };
    let Some(q) = data.quarter.clone() else {
        return view! {
            <h1>"Regions"</h1>
            <p>"No quarter's figures have been published yet, so there are no regional figures."</p>
            {nhs}
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
        {nhs}
    }
    .into_any()
}

/// Which regions are which: the nine geographic regions of the map and the tables, beside
/// NHS England's own structure of 2013 (4 regions, 25 area teams) that economies and trusts
/// can also be filtered by.
#[component]
fn NhsEngland(places: Vec<(NhsPlace, Option<String>)>) -> impl IntoView {
    let rows = places
        .iter()
        .filter(|(p, _)| p.region.is_some())
        .map(|(p, geography)| {
            let region = places
                .iter()
                .find(|(r, _)| Some(r.code.as_str()) == p.region.as_deref())
                .map(|(r, _)| r.name.clone())
                .unwrap_or_default();
            view! {
                <tr role="row" class="nhsuk-table__row">
                    {rhead("Area team", view! { {format!("{} ({})", p.name, p.code)} })}
                    {rcell("NHS England region", false, region)}
                    {rcell("Geographic region", false, geography.clone().unwrap_or_default())}
                    {rcell("Economies", false, view! { <a href=format!("/economies?nhs={}", p.code)>"Economies"<span class="nhsuk-u-visually-hidden">{format!(" in {}", p.name)}</span></a> })}
                    {rcell("Trusts", false, view! { <a href=format!("/trusts?nhs={}#register", p.code)>"Trusts"<span class="nhsuk-u-visually-hidden">{format!(" in {}", p.name)}</span></a> })}
                </tr>
            }
        })
        .collect_view();
    view! {
        <h2 id="nhs-england">"NHS England regions and area teams"</h2>
        <p>"The map and the tables above use England's nine geographic regions, which economies choose when they nominate. In 2013 NHS England organised itself differently: 4 regions and, under them, 25 area teams, each with its clinical commissioning groups (CCGs). The economies and trust register pages can be filtered by either."</p>
        <p>"An economy's area team is that of its member CCGs and trusts. A trust's is that of the GP practices near its head office, by postcode, because NHS records do not place trusts in area teams. An area team's geographic region is the one most of its population lives in; three straddle two regions: South Yorkshire and Bassetlaw, Hertfordshire and the South Midlands, and Wessex."</p>
        <div class="exemplar-table-scroll" tabindex="0" role="region" aria-label="NHS England area teams">
            <table role="table" class="nhsuk-table-responsive">
                <caption class="nhsuk-table__caption nhsuk-table__caption--s">"NHS England area teams, 2013"</caption>
                <thead role="rowgroup" class="nhsuk-table__head">
                    <tr role="row" class="nhsuk-table__row">
                        {rcol("Area team", false)}
                        {rcol("NHS England region", false)}
                        {rcol("Geographic region", false)}
                        {rcol("Economies", false)}
                        {rcol("Trusts", false)}
                    </tr>
                </thead>
                <tbody class="nhsuk-table__body">{rows}</tbody>
            </table>
        </div>
        <p class="nhsuk-body-s">"Contains public sector information licensed under the Open Government Licence v3.0: Office for National Statistics; NHS Digital (Organisation Data Service); NHS Business Services Authority."</p>
    }
}
