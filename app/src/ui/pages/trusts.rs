//! `/trusts` (public): the trust EPR register against the framework's `epr-operational`
//! milestone: trusts with operational EPR over time (chart and table), compliance by region
//! and by type, and every trust, searchable by name or code.

use crate::domain::trusts::view::{Counts, TrustsView};
use crate::error::AppError;
use crate::ui::components::{
    error_page, rcell, rcol, rhead, with_query, ChartFigure, NhsPlaceSelect, Pagination,
};
use crate::ui::format::long_date;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[server(prefix = "/_fn", endpoint = "trusts")]
pub async fn trusts_data(
    search: String,
    nhs: String,
    page: String,
) -> Result<TrustsView, AppError> {
    let state = crate::state::app_state()?;
    Ok(crate::trusts::public_view(&state.pool, search, nhs, &page, state.today()).await?)
}

#[component]
pub fn TrustsPage() -> impl IntoView {
    let query = use_query_map();
    let search = query.with_untracked(|q| q.get("q")).unwrap_or_default();
    let page = query.with_untracked(|q| q.get("page")).unwrap_or_default();
    let nhs = query.with_untracked(|q| q.get("nhs")).unwrap_or_default();
    view! {
        <Title text="Trust EPR register" />
        <Suspense fallback=|| ()>
            {
                let search = search.clone();
                let page = page.clone();
                let nhs = nhs.clone();
                move || {
                    let search = search.clone();
                    let page = page.clone();
                    let nhs = nhs.clone();
                    Suspend::new(async move {
                        match trusts_data(search, nhs, page).await {
                            Ok(data) => view! { <Trusts data /> }.into_any(),
                            Err(e) => error_page(e),
                        }
                    })
                }
            }
        </Suspense>
    }
}

fn counts_row(first: &'static str, label: String, c: Counts) -> impl IntoView {
    view! {
        <tr role="row" class="nhsuk-table__row">
            {rhead(first, label)}
            {rcell("Trusts", true, c.0)}
            {rcell("Compliant", true, c.1)}
            {rcell("Late", true, c.2)}
            {rcell("Non-compliant", true, c.3)}
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
        .map(|(k, c)| counts_row(first, k, c))
        .collect_view();
    view! {
        <div class="exemplar-table-scroll" tabindex="0" role="region" aria-label=caption>
            <table role="table" class="nhsuk-table-responsive">
                <caption class="nhsuk-table__caption nhsuk-table__caption--s">{caption}</caption>
                <thead role="rowgroup" class="nhsuk-table__head"><tr role="row" class="nhsuk-table__row">
                    {rcol(first, false)}
                    {rcol("Trusts", true)}
                    {rcol("Compliant", true)}
                    {rcol("Late", true)}
                    {rcol("Non-compliant", true)}
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
            "{name}: every NHS hospital trust was to have operational electronic patient records by {}. As of {}, {compliant} of {total} trusts met it on time, {late} went live late and {non} {} not yet operational.",
            long_date(*d),
            long_date(data.today),
            if non == 1 { "is" } else { "are" }
        ),
        None => "The active framework has no EPR deadline (milestone epr-operational), so compliance is not judged.".into(),
    };
    let over_time = data
        .over_time
        .iter()
        .map(|(d, n)| {
            view! {
                <tr role="row" class="nhsuk-table__row">
                    {rhead("Date", d.to_string())}
                    {rcell("Operational", true, *n)}
                    {rcell("Share", true, format!("{:.1}%", 100.0 * *n as f64 / total.max(1) as f64))}
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
                <tr role="row" class="nhsuk-table__row">
                    {rcell("ODS code", false, t.code.clone())}
                    {rhead("Trust", view! {
                        {t.name.clone()}
                        {t.closed.clone().map(|c| view! {
                            <span class="exemplar-closed nhsuk-body-s nhsuk-u-margin-top-1 nhsuk-u-margin-bottom-0" data-testid="closed-trust">
                                <strong class="nhsuk-tag nhsuk-tag--grey">"Closed"</strong>" "
                                {format!("{}.", c.words())}
                                {c.successor.map(|(code, _)| view! { " "<a href=format!("/trusts?q={code}#register")>{format!("See {code}")}</a> })}
                            </span>
                        })}
                    })}
                    {rcell("Type", false, t.kind.clone())}
                    {rcell("Region", false, t.region.clone())}
                    {rcell("Economy", false, t.economy.clone().map(|(s, n)| view! { <a href=format!("/economies/{s}")>{n}</a> }.into_any()).unwrap_or_else(|| view! { "–" }.into_any()))}
                    {rcell("EPR", false, view! { {status}{t.plan.clone().map(|(date, agreed, consequence)| view! {
                        <details class="nhsuk-details nhsuk-u-margin-bottom-0 nhsuk-u-margin-top-2" data-testid="public-plan">
                            <summary class="nhsuk-details__summary"><span class="nhsuk-details__summary-text">{format!("Remediation plan: EPR by {date}")}</span></summary>
                            <div class="nhsuk-details__text">
                                <p>{format!("Agreed as possible and practical: {agreed}")}</p>
                                <p>{format!("Consequence: {consequence}")}</p>
                            </div>
                        </details>
                    })} })}
                    {rcell("Against the deadline", false, match (t.compliance.is_empty(), t.closed.is_some()) {
                        (false, _) => Some(view! { <strong class=tag>{t.compliance.clone()}</strong> }.into_any()),
                        (true, true) => Some(view! { "Closed before the deadline" }.into_any()),
                        (true, false) => None,
                    })}
                </tr>
            }
        })
        .collect_view();
    // Every page keeps the search and the NHS England filter.
    let nhs_value = data.nhs.clone().unwrap_or_default();
    let base = with_query(
        "/trusts",
        &[("q", data.search.trim()), ("nhs", nhs_value.as_str())],
    );
    let place_words = data
        .nhs
        .as_deref()
        .and_then(|c| crate::domain::organisations::place_name(&data.places, c))
        .map(|n| format!(" in {n}"))
        .unwrap_or_default();
    view! {
        <h1>"Trust EPR register"</h1>
        <p>{intro}</p>
        <p>{format!("Trusts that missed the deadline agree a remediation plan with the board: the date they will have an operational EPR by, what is possible and practical, and the consequence, such as funding withheld. {} public; each shows by its trust below.", if data.public_plans == 1 { "1 plan is".to_string() } else { format!("{} are", crate::domain::types::count(data.public_plans, "plan", "plans")) })}</p>
        <h2>"Share of trusts with operational EPR over time"</h2>
        <ChartFigure svg=data.chart.clone() />
        <details class="nhsuk-details">
            <summary class="nhsuk-details__summary"><span class="nhsuk-details__summary-text">"The chart's figures as a table"</span></summary>
            <div class="nhsuk-details__text">
                <table role="table" class="nhsuk-table-responsive">
                    <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">"Trusts with operational EPR at each quarter's end"</caption>
                    <thead role="rowgroup" class="nhsuk-table__head"><tr role="row" class="nhsuk-table__row">
                        {rcol("Date", false)}
                        {rcol("Operational", true)}
                        {rcol("Share", true)}
                    </tr></thead>
                    <tbody class="nhsuk-table__body">{over_time}</tbody>
                </table>
            </div>
        </details>
        <h2>"By region and type"</h2>
        {counts_table("Compliance by region", "Region", data.by_region.clone())}
        {counts_table("Compliance by type of trust", "Type", data.by_kind.clone())}
        <details class="nhsuk-details">
            <summary class="nhsuk-details__summary"><span class="nhsuk-details__summary-text">"By NHS England area team"</span></summary>
            <div class="nhsuk-details__text">
                <p>"NHS England's 25 area teams of 2013, in its 4 regions. A trust's area team is that of the GP practices near its head office (by postcode). "<a href="/regions#nhs-england">"Which regions are which"</a></p>
                {counts_table("Compliance by NHS England area team", "Area team", data.by_area_team.clone())}
            </div>
        </details>
        <h2 id="register">"Every trust"</h2>
        <form method="get" action="/trusts#register" class="exemplar-filter">
            <div class="nhsuk-form-group exemplar-filter__item">
                <label class="nhsuk-label" for="q">"Name or ODS code"</label>
                <input class="nhsuk-input" id="q" name="q" type="search" value=data.search.clone() />
            </div>
            <NhsPlaceSelect places=data.places.clone() selected=data.nhs.clone() />
            <button class="nhsuk-button nhsuk-button--secondary exemplar-filter__button" type="submit">"Search"</button>
        </form>
        {data.paging.past_end_words().filter(|_| data.shown > 0).map(|words| view! {
            <div class="nhsuk-inset-text" data-testid="past-end"><p>{words}</p></div>
        })}
        <p data-testid="trust-count">{format!("{}{}.", if data.paging.pages > 1 { data.paging.showing(if data.shown == 1 { "trust" } else { "trusts" }) } else { crate::domain::types::count(data.shown, "trust", "trusts") }, if data.search.trim().is_empty() { String::new() } else { format!(" matching \u{201c}{}\u{201d}", data.search.trim()) } + &place_words)}</p>
        {if data.trusts.is_empty() {
            view! { <p>{match (data.search.trim().is_empty(), place_words.is_empty()) {
                (true, true) => "The register has no trusts yet.".to_string(),
                (true, false) => format!("No trust of the register is{place_words}."),
                (false, _) => format!("No trust's name or ODS code matches \u{201c}{}\u{201d}{place_words}.", data.search.trim()),
            }}</p> }.into_any()
        } else {
            view! {
                <div class="exemplar-table-scroll" tabindex="0" role="region" aria-label="Every trust">
                    <table role="table" class="nhsuk-table-responsive">
                        <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">"Every trust in the register"</caption>
                        <thead role="rowgroup" class="nhsuk-table__head"><tr role="row" class="nhsuk-table__row">
                            {rcol("ODS code", false)}
                            {rcol("Trust", false)}
                            {rcol("Type", false)}
                            {rcol("Region", false)}
                            {rcol("Economy", false)}
                            {rcol("EPR", false)}
                            {rcol("Against the deadline", false)}
                        </tr></thead>
                        <tbody class="nhsuk-table__body">{list}</tbody>
                    </table>
                </div>
                <Pagination paging=data.paging.clone() base=base.clone() fragment="#register" label="Pages of the trust register" />
            }.into_any()
        }}
    }
}
