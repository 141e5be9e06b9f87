//! `/open-data`: downloads and the API's description.

use crate::ui::components::error_page;
use crate::ui::data::{open_data, OpenDataView};
use crate::ui::format::long_date;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn OpenDataPage() -> impl IntoView {
    view! {
        <Title text="Open data" />
        <Suspense fallback=|| view! { <p>"Loading downloads…"</p> }>
            {move || Suspend::new(async move {
                match open_data().await {
                    Ok(data) => view! { <OpenData data /> }.into_any(),
                    Err(e) => error_page(e),
                }
            })}
        </Suspense>
    }
}

#[component]
fn OpenData(data: OpenDataView) -> impl IntoView {
    let rows = data
        .published
        .iter()
        .rev()
        .map(|(q, date, revision)| {
            view! {
                <tr class="nhsuk-table__row">
                    <th class="nhsuk-table__header" scope="row">{q.clone()}</th>
                    <td class="nhsuk-table__cell">
                        {long_date(*date)}
                        {(*revision > 0).then(|| format!(" (revision {revision})"))}
                    </td>
                    <td class="nhsuk-table__cell">
                        <a href=format!("/open-data/scores-{q}.csv")>"CSV"<span class="nhsuk-u-visually-hidden">{format!(" for {q}")}</span></a>
                        " · "
                        <a href=format!("/api/v1/scores?as_of={q}")>"JSON"<span class="nhsuk-u-visually-hidden">{format!(" for {q}")}</span></a>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <h1>"Open data"</h1>
        <p class="nhsuk-lede-text">"Every published figure can be downloaded and checked. Figures are unrounded; the pages round them to one decimal place."</p>
        <h2>"Published scores by quarter"</h2>
        {if data.published.is_empty() {
            view! { <p>"No quarter has been published yet."</p> }.into_any()
        } else {
            view! {
                <table class="nhsuk-table">
                    <caption class="nhsuk-table__caption nhsuk-table__caption--s">"Published quarters"</caption>
                    <thead class="nhsuk-table__head">
                        <tr class="nhsuk-table__row">
                            <th class="nhsuk-table__header" scope="col">"Quarter"</th>
                            <th class="nhsuk-table__header" scope="col">"Published or last revised"</th>
                            <th class="nhsuk-table__header" scope="col">"Download"</th>
                        </tr>
                    </thead>
                    <tbody class="nhsuk-table__body">{rows}</tbody>
                </table>
            }
            .into_any()
        }}
        <h2>"Application programming interface (API)"</h2>
        <p>"The same figures are available as JSON. The API is read-only and needs no key."</p>
        <ul>
            <li><a href="/api/v1/scores"><code>"GET /api/v1/scores"</code></a>" – the latest published quarter; add "<code>"?as_of=YYYY-Qn"</code>" for another"</li>
            <li><a href="/api/v1/economies"><code>"GET /api/v1/economies"</code></a>" – every candidate economy"</li>
            <li><a href="/api/v1/frameworks/active"><code>"GET /api/v1/frameworks/active"</code></a>" – the active framework: themes, criteria, weights and milestones"</li>
            <li><a href="/api/v1/openapi.json"><code>"GET /api/v1/openapi.json"</code></a>" – the OpenAPI 3 description of the whole API"</li>
        </ul>
        <p>"Published figures are fixed: a correction is published as a revision with its date and reason, and the figures as first published stay available."</p>
    }
}
