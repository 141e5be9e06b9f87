//! `/economies`: every candidate ranked for a published quarter (`?as_of`, `?region`).

use crate::ui::components::error_page;
use crate::ui::data::{economies_data, EconomiesView};
use crate::ui::format::{long_date, score};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn EconomiesPage() -> impl IntoView {
    let query = use_query_map();
    let as_of = query.with_untracked(|q| q.get("as_of"));
    let region = query
        .with_untracked(|q| q.get("region"))
        .filter(|r| !r.is_empty());
    view! {
        <Title text="Economies" />
        <Suspense fallback=|| view! { <p>"Loading economies…"</p> }>
            {
                let as_of = as_of.clone();
                let region = region.clone();
                move || {
                    let as_of = as_of.clone();
                    let region = region.clone();
                    Suspend::new(async move {
                        match economies_data(as_of).await {
                            Ok(data) => view! { <Economies data region /> }.into_any(),
                            Err(e) => error_page(e),
                        }
                    })
                }
            }
        </Suspense>
    }
}

#[component]
fn Economies(data: EconomiesView, region: Option<String>) -> impl IntoView {
    let Some(view) = data.view else {
        return view! {
            <h1>"Economies"</h1>
            <p>"No quarter's figures have been published yet, so no economy is ranked."</p>
            {data.next_publication.map(|(q, d)| view! {
                <p>{format!("The figures for {q} are planned for publication on {}.", long_date(d))}</p>
            })}
        }
        .into_any();
    };
    let q = view.scores.as_of.map(|q| q.to_string()).unwrap_or_default();
    let label = view.scores.as_of.map(|q| q.label()).unwrap_or_default();
    let quarter_options = data
        .published
        .iter()
        .rev()
        .map(|p| {
            let selected = *p == q;
            view! { <option value=p.clone() selected=selected>{p.clone()}</option> }
        })
        .collect_view();
    let region_options = data
        .regions
        .iter()
        .map(|r| {
            let selected = region.as_deref() == Some(r.as_str());
            view! { <option value=r.clone() selected=selected>{r.clone()}</option> }
        })
        .collect_view();
    let rows = view
        .scores
        .economies
        .iter()
        .zip(&view.regions)
        .zip(&view.previous)
        .filter(|((_, r), _)| region.as_deref().is_none_or(|want| *r == want))
        .map(|((e, r), prev)| {
            let trend = match (e.overall, prev) {
                (Some(now), Some(before)) => {
                    let d = now - before;
                    if d.abs() < 0.05 {
                        "no change".to_string()
                    } else if d > 0.0 {
                        format!("up {d:.1}")
                    } else {
                        format!("down {:.1}", -d)
                    }
                }
                (Some(_), None) => "new".to_string(),
                _ => "–".to_string(),
            };
            let tag = match (e.paperless_achieved, e.on_track) {
                (Some(true), _) => view! { <strong class="nhsuk-tag nhsuk-tag--green">"Paperless"</strong> }.into_any(),
                (_, Some(true)) => view! { <strong class="nhsuk-tag nhsuk-tag--blue">"On track"</strong> }.into_any(),
                (_, Some(false)) => view! { <strong class="nhsuk-tag nhsuk-tag--orange">"Not on track"</strong> }.into_any(),
                _ => view! { <strong class="nhsuk-tag nhsuk-tag--grey">"Not reporting"</strong> }.into_any(),
            };
            view! {
                <tr class="nhsuk-table__row">
                    <td class="nhsuk-table__cell nhsuk-table__cell--numeric">
                        {e.rank.map(|r| r.to_string()).unwrap_or_else(|| "–".into())}
                    </td>
                    <th class="nhsuk-table__header" scope="row">
                        <a href=format!("/economies/{}", e.economy)>{e.name.clone()}</a>
                    </th>
                    <td class="nhsuk-table__cell">{r.clone()}</td>
                    <td class="nhsuk-table__cell nhsuk-table__cell--numeric">{score(e.overall)}</td>
                    <td class="nhsuk-table__cell nhsuk-table__cell--numeric">{score(e.verified_overall)}</td>
                    <td class="nhsuk-table__cell nhsuk-table__cell--numeric">
                        {e.stage.map(|s| s.to_string()).unwrap_or_else(|| "–".into())}
                    </td>
                    <td class="nhsuk-table__cell">{tag}</td>
                    <td class="nhsuk-table__cell">{trend}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <h1>"Economies"</h1>
        <p class="nhsuk-lede-text">{format!("Every candidate economy ranked on the published figures for {label} ({q}).")}</p>
        <p>
            "The overall score uses every figure an economy reported; the verified score only those the board has checked. Economies that meet every gate rank first. "
            <a href="/how-scores-work">"How scores work"</a>
        </p>
        {view.revised.clone().map(|(d, reason)| view! {
            <div class="nhsuk-warning-callout">
                <h2 class="nhsuk-warning-callout__label">"Revised figures"</h2>
                <p>{format!("These figures were revised on {}: {reason}", long_date(d))}</p>
            </div>
        })}
        <form method="get" action="/economies" class="exemplar-filter" novalidate>
            <div class="nhsuk-form-group exemplar-filter__item">
                <label class="nhsuk-label" for="as_of">"Quarter"</label>
                <select class="nhsuk-select" id="as_of" name="as_of">{quarter_options}</select>
            </div>
            <div class="nhsuk-form-group exemplar-filter__item">
                <label class="nhsuk-label" for="region">"Region"</label>
                <select class="nhsuk-select" id="region" name="region">
                    <option value="" selected=region.is_none()>"All of England"</option>
                    {region_options}
                </select>
            </div>
            <button class="nhsuk-button nhsuk-button--secondary exemplar-filter__button" type="submit">"Show"</button>
        </form>
        <div class="exemplar-table-scroll">
            <table class="nhsuk-table exemplar-ranking">
                <caption class="nhsuk-table__caption">{format!("Candidate economies, {q}")}</caption>
                <thead class="nhsuk-table__head">
                    <tr class="nhsuk-table__row">
                        <th class="nhsuk-table__header nhsuk-table__header--numeric" scope="col">"Rank"</th>
                        <th class="nhsuk-table__header" scope="col">"Economy"</th>
                        <th class="nhsuk-table__header" scope="col">"Region"</th>
                        <th class="nhsuk-table__header nhsuk-table__header--numeric" scope="col">"Overall"</th>
                        <th class="nhsuk-table__header nhsuk-table__header--numeric" scope="col">"Verified overall"</th>
                        <th class="nhsuk-table__header nhsuk-table__header--numeric" scope="col">"Stage"</th>
                        <th class="nhsuk-table__header" scope="col">"Paperless by 2018"</th>
                        <th class="nhsuk-table__header" scope="col">"Since last quarter"</th>
                    </tr>
                </thead>
                <tbody class="nhsuk-table__body">{rows}</tbody>
            </table>
        </div>
        <p>
            {format!("Published {}. ", long_date(view.published_on))}
            <a href=format!("/open-data/scores-{q}.csv")>{format!("Download these figures (CSV, {q})")}</a>
        </p>
    }
    .into_any()
}
