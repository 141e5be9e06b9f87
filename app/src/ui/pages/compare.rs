//! `/assess/compare?e=SLUG&e=SLUG…`: two to six candidates side by side for a quarter (live
//! figures), with their member organisation mix and their trajectories on one chart; theme
//! weights can be changed to see how the order moves (a GET form; live in the browser with
//! JavaScript, through the shared scoring module). `/assess/compare.csv` exports the table.

pub use crate::domain::assessment::view::{CompareQuery, CompareView};
use crate::error::AppError;
use crate::ui::components::error_page;
use crate::ui::islands::WeightSensitivity;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[server(prefix = "/_fn", endpoint = "compare")]
pub async fn compare_data(query: CompareQuery) -> Result<CompareView, AppError> {
    use crate::domain::account::Role;
    crate::ui::session::require(Role::Assessor)?;
    let state = crate::state::app_state()?;
    crate::assessment::compare(&state.pool, &query, state.today()).await
}

/// The query string of a comparison, from the page's query map.
pub fn query_from(pairs: &[(String, String)]) -> CompareQuery {
    CompareQuery {
        economies: pairs
            .iter()
            .filter(|(k, _)| k == "e")
            .map(|(_, v)| v.clone())
            .collect(),
        quarter: pairs
            .iter()
            .find(|(k, _)| k == "q")
            .map(|(_, v)| v.clone())
            .unwrap_or_default(),
        weights: pairs
            .iter()
            .filter_map(|(k, v)| k.strip_prefix("w-").map(|c| (c.to_string(), v.clone())))
            .collect(),
    }
}

#[component]
pub fn ComparePage() -> impl IntoView {
    let query = use_query_map().with_untracked(|q| {
        let s = q.to_query_string();
        let s = s.trim_start_matches('?').to_string();
        (query_from(&serde_urlencoded_pairs(&s)), s)
    });
    view! {
        <Title text="Compare candidates" />
        <Suspense fallback=|| ()>
            {
                let query = query.clone();
                move || {
                    let (q, raw) = query.clone();
                    Suspend::new(async move {
                        match compare_data(q).await {
                            Ok(data) => view! { <Compare data raw /> }.into_any(),
                            Err(e) => error_page(e),
                        }
                    })
                }
            }
        </Suspense>
    }
}

/// `a=1&b=2` into pairs, decoding `+` and `%XX` (repeated keys kept).
fn serde_urlencoded_pairs(s: &str) -> Vec<(String, String)> {
    fn decode(s: &str) -> String {
        let bytes = s.as_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'+' => out.push(b' '),
                b'%' if i + 2 < bytes.len() => match u8::from_str_radix(&s[i + 1..i + 3], 16) {
                    Ok(b) => {
                        out.push(b);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                },
                b => out.push(b),
            }
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    }
    s.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (decode(k), decode(v)),
            None => (decode(p), String::new()),
        })
        .collect()
}

fn opt(n: Option<f64>) -> String {
    n.map(|n| format!("{n:.1}")).unwrap_or_else(|| "–".into())
}

#[component]
fn Compare(data: CompareView, raw: String) -> impl IntoView {
    let chosen = data.chosen.clone();
    let checkboxes = data
        .candidates
        .iter()
        .enumerate()
        .map(|(i, (slug, name))| {
            let id = format!("e-{i}");
            let checked = chosen.contains(slug);
            view! {
                <div class="nhsuk-checkboxes__item">
                    <input class="nhsuk-checkboxes__input" id=id.clone() name="e" type="checkbox" value=slug.clone() checked=checked />
                    <label class="nhsuk-label nhsuk-checkboxes__label" for=id>{name.clone()}</label>
                </div>
            }
        })
        .collect_view();
    let quarter_options = data
        .quarters
        .iter()
        .map(|q| {
            let selected = Some(q) == data.as_of.as_ref();
            view! { <option value=q.clone() selected=selected>{q.clone()}</option> }
        })
        .collect_view();
    let weight_inputs = data
        .themes
        .iter()
        .zip(&data.weights)
        .map(|((code, name, default), w)| {
            let id = format!("w-{code}");
            view! {
                <div class="nhsuk-form-group exemplar-filter__item">
                    <label class="nhsuk-label" for=id.clone()>{name.clone()}</label>
                    <div class="nhsuk-hint" id=format!("{id}-hint")>{format!("Framework: {default}")}</div>
                    <input class="nhsuk-input nhsuk-input--width-4" id=id.clone() name=id.clone() type="text" inputmode="decimal" value=w.to_string() aria-describedby=format!("{id}-hint") />
                </div>
            }
        })
        .collect_view();
    let header = data
        .rows
        .iter()
        .map(|r| view! { <th class="nhsuk-table__header" scope="col"><a href=format!("/assess/economies/{}", r.slug)>{r.name.clone()}</a></th> })
        .collect_view();
    let line = |label: String, cells: Vec<String>| {
        let tds = cells
            .into_iter()
            .map(|c| view! { <td class="nhsuk-table__cell">{c}</td> })
            .collect_view();
        view! { <tr class="nhsuk-table__row"><th class="nhsuk-table__header" scope="row">{label}</th>{tds}</tr> }
    };
    let rows = &data.rows;
    let mut lines = vec![
        line(
            "Rank".into(),
            rows.iter()
                .map(|r| r.rank.map(|x| x.to_string()).unwrap_or_else(|| "–".into()))
                .collect(),
        ),
        line(
            "Rank with the weights below".into(),
            rows.iter()
                .map(|r| {
                    r.rank_weighted
                        .map(|x| x.to_string())
                        .unwrap_or_else(|| "–".into())
                })
                .collect(),
        ),
        line(
            "Overall".into(),
            rows.iter().map(|r| opt(r.overall)).collect(),
        ),
        line(
            "Overall with the weights below".into(),
            rows.iter().map(|r| opt(r.overall_weighted)).collect(),
        ),
        line(
            "Verified overall".into(),
            rows.iter().map(|r| opt(r.verified_overall)).collect(),
        ),
    ];
    for (i, (_, name, _)) in data.themes.iter().enumerate() {
        lines.push(line(
            format!("Theme: {name}"),
            rows.iter()
                .map(|r| opt(r.themes.get(i).copied().flatten()))
                .collect(),
        ));
    }
    lines.push(line(
        "Completeness".into(),
        rows.iter()
            .map(|r| {
                r.completeness
                    .map(|c| format!("{c:.1}%"))
                    .unwrap_or_else(|| "–".into())
            })
            .collect(),
    ));
    lines.push(line(
        "Confidence".into(),
        rows.iter()
            .map(|r| {
                r.confidence
                    .map(|c| format!("{c:.1}%"))
                    .unwrap_or_else(|| "–".into())
            })
            .collect(),
    ));
    lines.push(line(
        "Every gate met".into(),
        rows.iter()
            .map(|r| match r.eligible {
                Some(true) => "Yes".into(),
                Some(false) => "No".into(),
                None => "–".into(),
            })
            .collect(),
    ));
    lines.push(line(
        "Fundable".into(),
        rows.iter()
            .map(|r| {
                if r.not_fundable.is_empty() {
                    "Yes".into()
                } else {
                    format!(
                        "Not fundable: non-compliant without an agreed plan: {}",
                        r.not_fundable.join(", ")
                    )
                }
            })
            .collect(),
    ));
    lines.push(line(
        "Stage".into(),
        rows.iter()
            .map(|r| r.stage.map(|s| s.to_string()).unwrap_or_else(|| "–".into()))
            .collect(),
    ));
    lines.push(line(
        "Projected paperless".into(),
        rows.iter()
            .map(|r| match (&r.paperless_date, r.on_track) {
                (Some(d), Some(true)) => format!("{d} (on track)"),
                (Some(d), _) => format!("{d} (not on track)"),
                _ => "No projected date".into(),
            })
            .collect(),
    ));
    lines.push(line(
        "Member organisations".into(),
        rows.iter()
            .map(|r| {
                if r.organisations.is_empty() {
                    "None listed".into()
                } else {
                    r.organisations
                        .iter()
                        .map(|(k, n)| format!("{k}: {n}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                }
            })
            .collect(),
    ));
    let lines = lines.into_iter().collect_view();
    let csv = format!("/assess/compare.csv?{raw}");
    let compared = data.rows.len() >= 2;
    view! {
        <nav class="nhsuk-breadcrumb" aria-label="Breadcrumb">
            <ol class="nhsuk-breadcrumb__list">
                <li class="nhsuk-breadcrumb__list-item"><a class="nhsuk-breadcrumb__link" href="/assess/shortlist">"Shortlist and decisions"</a></li>
            </ol>
        </nav>
        <h1>"Compare candidates"</h1>
        {data.problem.clone().map(|p| view! { <div class="nhsuk-inset-text"><p>{p}</p></div> })}
        <form method="get" action="/assess/compare" novalidate>
            <div class="nhsuk-form-group">
                <fieldset class="nhsuk-fieldset">
                    <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">"Economies (two to six)"</legend>
                    <div class="nhsuk-checkboxes exemplar-columns">{checkboxes}</div>
                </fieldset>
            </div>
            <div class="nhsuk-form-group">
                <label class="nhsuk-label" for="q">"Quarter"</label>
                <select class="nhsuk-select" id="q" name="q">{quarter_options}</select>
            </div>
            <h2 class="nhsuk-heading-s">"Theme weights"</h2>
            <p class="nhsuk-body-s">"Change a weight to see how the order moves. The framework's weights are unchanged."</p>
            <div class="exemplar-filter">{weight_inputs}</div>
            <button class="nhsuk-button" type="submit" data-module="nhsuk-button">"Compare"</button>
        </form>
        {compared.then(|| view! {
            <WeightSensitivity framework=data.framework.clone() economies=data.inputs.clone() as_of=data.as_of.clone() />
            <h2>{format!("Side by side, as of {}", data.as_of.clone().unwrap_or_default())}</h2>
            <p><a href=csv.clone() download="">"Download this comparison (CSV)"</a></p>
            <div class="exemplar-table-scroll" tabindex="0" role="region" aria-label="Comparison">
                <table class="nhsuk-table">
                    <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">"The compared economies side by side"</caption>
                    <thead class="nhsuk-table__head"><tr class="nhsuk-table__row"><th class="nhsuk-table__header" scope="col">"Measure"</th>{header}</tr></thead>
                    <tbody class="nhsuk-table__body">{lines}</tbody>
                </table>
            </div>
            <h2>"Trajectories"</h2>
            <figure class="exemplar-figure-chart" inner_html=data.chart.clone()></figure>
        })}
    }
}
