//! `/assess/compare?e=SLUG&e=SLUG&q=QUARTER&w-THEME=N…`: two to six candidates side by side
//! for a quarter (live figures), with their member organisation mix and their trajectories on
//! one chart; theme weights can be changed to see how the order moves. A GET form, so the
//! address carries the weights and a weighted view can be shared; with JavaScript the results
//! follow the weights as they are typed (the `CompareResults` island, the same computation as
//! the server's) and the address with them. Fewer than two economies, more than six or a
//! weight that will not read: the error summary and the field's message, choices kept.
//! `/assess/compare.csv` exports the table.

pub use crate::domain::assessment::view::{CompareQuery, CompareView};
use crate::error::AppError;
use crate::ui::components::error_page;
use crate::ui::forms::{error_message, ErrorSummary};
use crate::ui::island_data::WithIslandData;
use crate::ui::islands::{CompareIslandData, CompareResults, COMPARE_ISLAND_DATA};
use crate::ui::session::FormState;
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
        query_from(&serde_urlencoded_pairs(s.trim_start_matches('?')))
    });
    view! {
        <Suspense fallback=|| ()>
            {
                let query = query.clone();
                move || {
                    let q = query.clone();
                    Suspend::new(async move {
                        match compare_data(q).await {
                            Ok(data) => view! { <Compare data /> }.into_any(),
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

#[component]
fn Compare(data: CompareView) -> impl IntoView {
    let error_for = |field: &str| {
        data.errors
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.clone())
    };
    // The summary links each problem to its field: the first box for the economies.
    let summary = FormState {
        errors: data
            .errors
            .iter()
            .map(|(f, m)| {
                let id = if f == "e" {
                    "e-0".to_string()
                } else {
                    f.clone()
                };
                (id, m.clone())
            })
            .collect(),
        ..FormState::default()
    };
    let title = if data.errors.is_empty() {
        "Compare candidates".to_string()
    } else {
        "Error: Compare candidates".to_string()
    };
    let chosen = data.chosen.clone();
    let economies_error = error_for("e");
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
            let label = q
                .parse::<crate::domain::Quarter>()
                .map(|q| q.label())
                .unwrap_or_else(|_| q.clone());
            view! { <option value=q.clone() selected=selected>{label}</option> }
        })
        .collect_view();
    let weight_inputs = data
        .themes
        .iter()
        .zip(&data.weights)
        .map(|((code, name, default), w)| {
            let id = format!("w-{code}");
            let error = error_for(&id);
            let group = if error.is_some() {
                "nhsuk-form-group nhsuk-form-group--error exemplar-filter__item"
            } else {
                "nhsuk-form-group exemplar-filter__item"
            };
            let class = if error.is_some() {
                "nhsuk-input nhsuk-input--width-4 nhsuk-input--error"
            } else {
                "nhsuk-input nhsuk-input--width-4"
            };
            let described = if error.is_some() {
                format!("{id}-hint {id}-error")
            } else {
                format!("{id}-hint")
            };
            view! {
                <div class=group>
                    <label class="nhsuk-label" for=id.clone()>{name.clone()}</label>
                    <div class="nhsuk-hint" id=format!("{id}-hint")>{format!("Framework: {default}")}</div>
                    {error_message(format!("{id}-error"), error)}
                    <input class=class id=id.clone() name=id.clone() type="text" inputmode="decimal" value=w.clone() aria-describedby=described />
                </div>
            }
        })
        .collect_view();
    let economies_group = if economies_error.is_some() {
        "nhsuk-form-group nhsuk-form-group--error"
    } else {
        "nhsuk-form-group"
    };
    let economies_described = if economies_error.is_some() {
        "e-hint e-error"
    } else {
        "e-hint"
    };
    let compared = data.errors.is_empty() && data.rows.len() >= 2;
    let candidates = data.candidates.len();
    let chart = data.chart.clone();
    let shared = data.shared.clone();
    let results = compared.then(|| {
        let shared = (!shared.is_empty()).then(|| {
            let items = shared
                .into_iter()
                .map(|(code, name, economies)| view! { <li>{format!("{name} ({code}): {}", economies.join(", "))}</li> })
                .collect_view();
            view! {
                <div class="nhsuk-warning-callout">
                    <h2 class="nhsuk-warning-callout__label"><span role="text"><span class="nhsuk-u-visually-hidden">"Important: "</span>"Organisations in more than one of these economies"</span></h2>
                    <p>"Their figures may count towards each economy that lists them."</p>
                    <ul>{items}</ul>
                </div>
            }
        });
        view! {
            <WithIslandData
                id=COMPARE_ISLAND_DATA
                value=CompareIslandData::new(
                    data.framework.clone(),
                    data.inputs.clone(),
                    data.as_of.clone(),
                    data.weights.clone(),
                    &data.rows,
                    candidates,
                )
            >
                <CompareResults />
            </WithIslandData>
            {shared}
            <h2>"Trajectories"</h2>
            <p class="nhsuk-body-s">"Overall scores with the framework's weights."</p>
            <figure class="exemplar-figure-chart" inner_html=chart></figure>
        }
    });
    view! {
        <Title text=title />
        <nav class="nhsuk-breadcrumb" aria-label="Breadcrumb">
            <ol class="nhsuk-breadcrumb__list">
                <li class="nhsuk-breadcrumb__list-item"><a class="nhsuk-breadcrumb__link" href="/assess/shortlist">"Shortlist and decisions"</a></li>
            </ol>
        </nav>
        <ErrorSummary form=summary />
        <h1>"Compare candidates"</h1>
        <form method="get" action="/assess/compare" novalidate>
            <div class=economies_group>
                <fieldset class="nhsuk-fieldset" aria-describedby=economies_described>
                    <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">"Economies"</legend>
                    <div class="nhsuk-hint" id="e-hint">"Choose two to six."</div>
                    {error_message("e-error".to_string(), economies_error)}
                    <div class="nhsuk-checkboxes exemplar-columns">{checkboxes}</div>
                </fieldset>
            </div>
            <div class="nhsuk-form-group">
                <label class="nhsuk-label" for="q">"Quarter"</label>
                <select class="nhsuk-select" id="q" name="q">{quarter_options}</select>
            </div>
            <h2 class="nhsuk-heading-s">"Theme weights"</h2>
            <p class="nhsuk-body-s">"Change a weight to see how the order moves: any number greater than 0, up to 100. The framework's weights are unchanged."</p>
            <div class="exemplar-filter">{weight_inputs}</div>
            <button class="nhsuk-button" type="submit" data-module="nhsuk-button">"Compare"</button>
        </form>
        {results}
    }
}
