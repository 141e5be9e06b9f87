//! Islands: the only parts of a page that hydrate. Each gets its data as props.

use crate::domain::files::parse_value;
use crate::domain::framework::{Framework, Kind};
use crate::domain::scoring::{
    combine, gates_and_stage, snapshot, value_score, Entry, Prepared, Snapshot,
};
use crate::domain::submission::read_form;
use crate::domain::{Quarter, Status};
use leptos::prelude::*;

/// What the calculator works out from the values entered.
#[derive(Debug, Clone, PartialEq)]
pub struct Calculation {
    pub themes: Vec<f64>,
    pub overall: f64,
    pub eligible: bool,
    pub stage: u8,
    pub problems: Vec<Option<String>>,
}

/// Scores a set of values typed in, one per criterion (empty = not given), with the same
/// rules as every published score.
pub fn calculate(fw: &Framework, texts: &[String]) -> Calculation {
    // Any date is allowed here: the calculator has no period.
    let period = Quarter::new(9999, 4).expect("valid");
    let mut s = Vec::with_capacity(fw.criteria.len());
    let mut met = Vec::with_capacity(fw.criteria.len());
    let mut problems = Vec::with_capacity(fw.criteria.len());
    for (c, text) in fw
        .criteria
        .iter()
        .zip(texts.iter().chain(std::iter::repeat(&String::new())))
    {
        if text.trim().is_empty() {
            s.push(0.0);
            met.push(false);
            problems.push(None);
            continue;
        }
        match parse_value(&c.kind, &c.code, text, period) {
            Ok(v) => {
                let (score, m) = value_score(&c.kind, &v);
                s.push(score);
                met.push(m);
                problems.push(None);
            }
            Err(e) => {
                s.push(0.0);
                met.push(false);
                problems.push(Some(e));
            }
        }
    }
    let (themes, overall) = combine(fw, &s);
    let (eligible, stage) = gates_and_stage(fw, &met);
    Calculation {
        themes,
        overall,
        eligible,
        stage,
        problems,
    }
}

fn hint(kind: &Kind) -> String {
    match kind {
        Kind::Boolean => "Yes or no.".into(),
        Kind::Percentage(t) => format!("A percentage from 0 to 100. The target is {t}%."),
        Kind::Level(t) => format!("A level from 0 to {t}. The target is {t}."),
        Kind::Date(t) => format!(
            "The date it was achieved, for example 2014-03-31. The deadline is {}. Leave empty if not yet.",
            t.format("%Y-%m-%d")
        ),
    }
}

/// Try the scoring method: type values for each criterion and see the scores. Without
/// JavaScript the form is sent and the server works the same out.
#[island]
pub fn ScoreCalculator(framework: Framework, initial: Vec<String>) -> impl IntoView {
    let n = framework.criteria.len();
    let values: Vec<RwSignal<String>> = (0..n)
        .map(|i| RwSignal::new(initial.get(i).cloned().unwrap_or_default()))
        .collect();
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let fw = StoredValue::new(framework);
    let vals = StoredValue::new(values.clone());
    let result = Memo::new(move |_| {
        let texts: Vec<String> = vals.with_value(|v| v.iter().map(|s| s.get()).collect());
        fw.with_value(|fw| calculate(fw, &texts))
    });

    let fields = fw.with_value(|fw| {
        fw.criteria
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let sig = values[i];
                let id = format!("calc-{}", c.code.to_ascii_lowercase());
                let name = format!("c_{}", c.code);
                let hint_id = format!("{id}-hint");
                let err_id = format!("{id}-error");
                let problem = move || result.with(|r| r.problems.get(i).cloned().flatten());
                let control = match c.kind {
                    Kind::Boolean | Kind::Level(_) => {
                        let options: Vec<(String, String)> = match c.kind {
                            Kind::Level(t) => std::iter::once((String::new(), "Not given".to_string()))
                                .chain((0..=t).map(|l| (l.to_string(), l.to_string())))
                                .collect(),
                            _ => vec![
                                (String::new(), "Not given".into()),
                                ("yes".into(), "Yes".into()),
                                ("no".into(), "No".into()),
                            ],
                        };
                        view! {
                            <select
                                class="nhsuk-select"
                                id=id.clone()
                                name=name
                                aria-describedby=hint_id.clone()
                                on:change=move |ev| sig.set(event_target_value(&ev))
                            >
                                {options
                                    .into_iter()
                                    .map(|(v, label)| {
                                        let v2 = v.clone();
                                        view! {
                                            <option value=v selected=move || sig.get() == v2>
                                                {label}
                                            </option>
                                        }
                                    })
                                    .collect_view()}
                            </select>
                        }
                        .into_any()
                    }
                    _ => view! {
                        <input
                            class=move || {
                                if problem().is_some() {
                                    "nhsuk-input nhsuk-input--width-10 nhsuk-input--error"
                                } else {
                                    "nhsuk-input nhsuk-input--width-10"
                                }
                            }
                            id=id.clone()
                            name=name
                            type="text"
                            inputmode=if matches!(c.kind, Kind::Percentage(_)) { "decimal" } else { "text" }
                            aria-describedby=hint_id.clone()
                            bind:value=sig
                        />
                    }
                    .into_any(),
                };
                view! {
                    <div class=move || {
                        if problem().is_some() {
                            "nhsuk-form-group nhsuk-form-group--error"
                        } else {
                            "nhsuk-form-group"
                        }
                    }>
                        <label class="nhsuk-label" for=id.clone()>
                            {c.title.clone()}
                        </label>
                        <div class="nhsuk-hint" id=hint_id>
                            {hint(&c.kind)}
                        </div>
                        {move || {
                            problem()
                                .map(|p| {
                                    view! {
                                        <span class="nhsuk-error-message" id=err_id.clone()>
                                            <span class="nhsuk-u-visually-hidden">"Error: "</span>
                                            {p}
                                        </span>
                                    }
                                })
                        }}
                        {control}
                    </div>
                }
            })
            .collect_view()
    });

    let theme_rows = move || {
        fw.with_value(|fw| {
            let r = result.get();
            fw.themes
                .iter()
                .zip(r.themes)
                .map(|(t, s)| {
                    view! {
                        <tr class="nhsuk-table__row">
                            <th class="nhsuk-table__header" scope="row">{t.name.clone()}</th>
                            <td class="nhsuk-table__cell nhsuk-table__cell--numeric">{format!("{s:.1}")}</td>
                        </tr>
                    }
                })
                .collect_view()
        })
    };

    view! {
        <div class="exemplar-calculator" data-hydrated=move || hydrated.get().to_string()>
            <form method="get" action="/how-scores-work#calculator" novalidate>
                {fields}
                <button class="nhsuk-button" type="submit" data-module="nhsuk-button">
                    "Calculate scores"
                </button>
            </form>
            <div aria-live="polite" id="calculator-result">
                <h3>"Result"</h3>
                <p class="nhsuk-body-l">
                    "Overall score: "
                    <strong data-testid="calc-overall">{move || format!("{:.1}", result.get().overall)}</strong>
                    " out of 100"
                </p>
                <p>
                    {move || {
                        let r = result.get();
                        format!(
                            "{}. Stage reached: {}.",
                            if r.eligible { "Every gate is met" } else { "Not every gate is met, so not eligible" },
                            r.stage
                        )
                    }}
                </p>
                <table class="nhsuk-table">
                    <caption class="nhsuk-table__caption nhsuk-table__caption--s">"Theme scores"</caption>
                    <thead class="nhsuk-table__head">
                        <tr class="nhsuk-table__row">
                            <th class="nhsuk-table__header" scope="col">"Theme"</th>
                            <th class="nhsuk-table__header nhsuk-table__header--numeric" scope="col">"Score"</th>
                        </tr>
                    </thead>
                    <tbody class="nhsuk-table__body">{theme_rows}</tbody>
                </table>
            </div>
        </div>
    }
}

/// What the scores of a quarter would be with the answers in its form, worked out by the
/// same scoring module as the server's: answers replace the quarter's stored values (a
/// verified value answered unchanged stays verified), everything else is as stored.
pub fn what_if(
    fw: &Framework,
    quarter: Quarter,
    entries: &[Entry],
    get: &dyn Fn(&str) -> Option<String>,
) -> (Snapshot, Snapshot, usize) {
    let shares = fw.shares();
    let now = snapshot(fw, &shares, &Prepared::new(fw, entries), quarter);
    let (answers, problems) = read_form(fw, quarter, get);
    let mut changed: Vec<Entry> = entries
        .iter()
        .filter(|e| {
            e.period != quarter
                || !answers
                    .iter()
                    .any(|a| a.code == e.code && a.value.is_some())
        })
        .cloned()
        .collect();
    for a in &answers {
        let Some(value) = &a.value else { continue };
        let status = entries
            .iter()
            .find(|e| e.period == quarter && e.code == a.code && &e.value == value)
            .map(|e| e.status)
            .filter(|s| *s == Status::Verified)
            .unwrap_or(Status::Submitted);
        changed.push(Entry {
            period: quarter,
            code: a.code.clone(),
            value: value.clone(),
            status,
        });
    }
    let then = snapshot(fw, &shares, &Prepared::new(fw, &changed), quarter);
    (now, then, problems.len())
}

/// Beside the quarter form: the scores now and as they would be with the answers given,
/// recomputed in the browser as the form changes (the form itself works without this).
#[island]
pub fn WhatIf(
    framework: Framework,
    quarter: Quarter,
    entries: Vec<Entry>,
    fields: Vec<(String, String)>,
) -> impl IntoView {
    use leptos::wasm_bindgen::JsCast;
    use leptos::web_sys::HtmlInputElement;
    let form: RwSignal<std::collections::HashMap<String, String>> =
        RwSignal::new(fields.into_iter().collect());
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| {
        hydrated.set(true);
        let on_change = move |ev: leptos::web_sys::Event| {
            let Some(input) = ev
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
            else {
                return;
            };
            let name = input.name();
            if !(name.starts_with("v-") || name.starts_with("d-")) {
                return;
            }
            if input.type_() == "radio" && !input.checked() {
                return;
            }
            let value = input.value();
            form.update(|f| {
                f.insert(name, value);
            });
        };
        // Both: text inputs send `input` as typed, radios `change`.
        std::mem::forget(window_event_listener(leptos::ev::input, on_change));
        std::mem::forget(window_event_listener(leptos::ev::change, on_change));
    });
    let fw = StoredValue::new(framework);
    let entries = StoredValue::new(entries);
    let result = Memo::new(move |_| {
        let f = form.get();
        let get = |k: &str| f.get(k).cloned();
        fw.with_value(|fw| entries.with_value(|e| what_if(fw, quarter, e, &get)))
    });
    let row = move |label: &'static str, pick: fn(&Snapshot) -> String| {
        view! {
            <tr class="nhsuk-table__row">
                <th class="nhsuk-table__header" scope="row">{label}</th>
                <td class="nhsuk-table__cell">{move || result.with(|r| pick(&r.0))}</td>
                <td class="nhsuk-table__cell">{move || result.with(|r| pick(&r.1))}</td>
            </tr>
        }
    };
    view! {
        <div class="nhsuk-card exemplar-what-if" data-hydrated=move || hydrated.get().to_string()>
            <div class="nhsuk-card__content">
                <h2 class="nhsuk-card__heading nhsuk-heading-m">"What your scores would be"</h2>
                <p class="nhsuk-body-s">
                    {format!("As of {quarter}, if the answers in this form were submitted. With JavaScript on, this changes as you answer.")}
                </p>
                <div aria-live="polite">
                    <table class="nhsuk-table">
                        <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">"Scores now and with your answers"</caption>
                        <thead class="nhsuk-table__head">
                            <tr class="nhsuk-table__row">
                                <th class="nhsuk-table__header" scope="col">"Score"</th>
                                <th class="nhsuk-table__header" scope="col">"Now"</th>
                                <th class="nhsuk-table__header" scope="col">"With your answers"</th>
                            </tr>
                        </thead>
                        <tbody class="nhsuk-table__body" data-testid="what-if">
                            {row("Overall", |s| format!("{:.1}", s.overall))}
                            {row("Verified overall", |s| format!("{:.1}", s.verified_overall))}
                            {row("Completeness", |s| format!("{:.1}%", s.completeness))}
                            {row("Stage", |s| s.stage.to_string())}
                            {row("Eligible", |s| if s.eligible { "Yes".into() } else { "No".into() })}
                        </tbody>
                    </table>
                    {move || {
                        let n = result.with(|r| r.2);
                        (n > 0).then(|| view! {
                            <p class="nhsuk-body-s">{if n == 1 { "1 answer cannot be read yet and is left out.".to_string() } else { format!("{} cannot be read yet and are left out.", crate::domain::types::count(n, "answer", "answers")) }}</p>
                        })
                    }}
                </div>
            </div>
        </div>
    }
}

/// The comparison's results (`/assess/compare`): the compared economies in order with the
/// theme weights in the form above, the CSV link and the side-by-side table. Every weighted
/// figure here comes from one computation (`compare_weighted`), on the server for the first
/// page and in the browser as a weight changes; the address follows the weights so the view
/// can be shared. Without JavaScript the form's Compare button gives the same page.
#[island]
pub fn CompareResults(
    framework: Framework,
    economies: Vec<crate::domain::scoring::EconomyInput>,
    as_of: Option<String>,
    /// The text of each theme's weight, theme by theme (already accepted by the server).
    weights: Vec<String>,
    rows: Vec<crate::domain::assessment::view::Compared>,
    /// How many candidates the framework ranks are among.
    candidates: usize,
) -> impl IntoView {
    use crate::domain::assessment::compare_weight;
    use crate::domain::assessment::view::CompareQuery;
    use crate::domain::types::count;
    let codes: Vec<String> = framework.themes.iter().map(|t| t.code.clone()).collect();
    let names: Vec<String> = framework.themes.iter().map(|t| t.name.clone()).collect();
    // The weights as numbers, by the one rule; a text that will not read keeps the framework's.
    let read = {
        let fw = framework.clone();
        move |texts: &[String]| -> Result<Vec<(String, f64)>, String> {
            fw.themes
                .iter()
                .zip(texts)
                .map(|(t, text)| compare_weight(&t.name, text).map(|w| (t.code.clone(), w)))
                .collect()
        }
    };
    let initial = read(&weights).unwrap_or_else(|_| {
        framework
            .themes
            .iter()
            .map(|t| (t.code.clone(), t.weight))
            .collect()
    });
    let chosen: Vec<String> = rows.iter().map(|r| r.slug.clone()).collect();
    let query = {
        let chosen = chosen.clone();
        let codes = codes.clone();
        let quarter = as_of.clone().unwrap_or_default();
        move |texts: &[String]| {
            CompareQuery {
                economies: chosen.clone(),
                quarter: quarter.clone(),
                weights: codes
                    .iter()
                    .cloned()
                    .zip(texts.iter().map(|t| t.trim().to_string()))
                    .collect(),
            }
            .to_query_string()
        }
    };
    let applied: RwSignal<Vec<(String, f64)>> = RwSignal::new(initial);
    let texts: RwSignal<Vec<String>> = RwSignal::new(weights.clone());
    let problem: RwSignal<Option<String>> = RwSignal::new(None);
    let csv = RwSignal::new(format!("/assess/compare.csv?{}", query(&weights)));
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| {
        use leptos::wasm_bindgen::JsCast;
        use leptos::web_sys::HtmlInputElement;
        hydrated.set(true);
        let codes = codes.clone();
        let read = read.clone();
        let query = query.clone();
        let handle = window_event_listener(leptos::ev::input, move |ev: leptos::web_sys::Event| {
            let Some(input) = ev
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
            else {
                return;
            };
            let name = input.name();
            let Some(i) = name
                .strip_prefix("w-")
                .and_then(|code| codes.iter().position(|c| c == code))
            else {
                return;
            };
            texts.update(|t| {
                if let Some(slot) = t.get_mut(i) {
                    *slot = input.value();
                }
            });
            let now = texts.get_untracked();
            match read(&now) {
                Ok(ws) => {
                    problem.set(None);
                    applied.set(ws);
                    let qs = query(&now);
                    csv.set(format!("/assess/compare.csv?{qs}"));
                    // The address carries the weights, so this view can be shared as it is.
                    if let Ok(history) = window().history() {
                        let _ = history.replace_state_with_url(
                            &leptos::wasm_bindgen::JsValue::NULL,
                            "",
                            Some(&format!("/assess/compare?{qs}")),
                        );
                    }
                }
                Err(e) => problem.set(Some(e)),
            }
        });
        std::mem::forget(handle);
    });
    let quarter: Option<Quarter> = as_of.as_deref().and_then(|q| q.parse().ok());
    let fw = StoredValue::new(framework);
    let economies = StoredValue::new(economies);
    // The one weighted result: the order, the table's weighted rows and the CSV follow it.
    let result = Memo::new(move |_| {
        let ws = applied.get();
        fw.with_value(|fw| {
            economies
                .with_value(|e| crate::domain::assessment::compare_weighted(fw, &ws, e, quarter))
        })
    });
    let opt = |n: Option<f64>| n.map(|n| format!("{n:.1}")).unwrap_or_else(|| "–".into());
    let header = rows
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
    // A weighted row: each compared economy's figure from the one result.
    let weighted_line = move |label: &'static str, place: bool| {
        let chosen = chosen.clone();
        let tds = move || {
            let result = result.get();
            chosen
                .iter()
                .map(|slug| {
                    let w = result.iter().find(|w| &w.slug == slug);
                    let text = if place {
                        w.and_then(|w| w.place)
                            .map(|p| p.to_string())
                            .unwrap_or_else(|| "–".into())
                    } else {
                        opt(w.and_then(|w| w.overall))
                    };
                    view! { <td class="nhsuk-table__cell">{text}</td> }
                })
                .collect_view()
        };
        view! { <tr class="nhsuk-table__row exemplar-weighted"><th class="nhsuk-table__header" scope="row">{label}</th>{tds}</tr> }
    };
    let mut lines = vec![
        line(
            format!(
                "Rank among all {} with the framework's weights",
                count(candidates, "candidate", "candidates")
            ),
            rows.iter()
                .map(|r| r.rank.map(|x| x.to_string()).unwrap_or_else(|| "–".into()))
                .collect(),
        ),
        line(
            "Overall with the framework's weights".into(),
            rows.iter().map(|r| opt(r.overall)).collect(),
        ),
        line(
            "Verified overall with the framework's weights".into(),
            rows.iter().map(|r| opt(r.verified_overall)).collect(),
        ),
    ];
    for (i, name) in names.iter().enumerate() {
        lines.push(line(
            format!("Theme: {name}"),
            rows.iter()
                .map(|r| opt(r.themes.get(i).copied().flatten()))
                .collect(),
        ));
    }
    let percent = |n: Option<f64>| n.map(|c| format!("{c:.1}%")).unwrap_or_else(|| "–".into());
    lines.push(line(
        "Completeness".into(),
        rows.iter().map(|r| percent(r.completeness)).collect(),
    ));
    lines.push(line(
        "Confidence".into(),
        rows.iter().map(|r| percent(r.confidence)).collect(),
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
                (Some(d), on_track) => {
                    let d = d
                        .parse::<chrono::NaiveDate>()
                        .map(crate::domain::types::long_date)
                        .unwrap_or_else(|_| d.clone());
                    if on_track == Some(true) {
                        format!("{d} (on track)")
                    } else {
                        format!("{d} (not on track)")
                    }
                }
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
    let heading = format!(
        "Side by side, as of {}",
        quarter.map(|q| q.label()).unwrap_or_default()
    );
    view! {
        <div class="exemplar-sensitivity" data-hydrated=move || hydrated.get().to_string()>
            <div class="nhsuk-card">
                <div class="nhsuk-card__content">
                    <h2 class="nhsuk-card__heading nhsuk-heading-m">"Their order with the weights above"</h2>
                    <p class="nhsuk-body-s">"Among the economies compared. With JavaScript on, this and the table follow the weights as you change them, and so does the page address, so you can share this view."</p>
                    <div role="status" aria-live="polite">
                        {move || problem.get().map(|p| view! {
                            <p class="nhsuk-body-s" data-testid="weights-problem">{format!("{p}. The order and the table still use the weights before this change.")}</p>
                        })}
                    </div>
                    <ol aria-live="polite" data-testid="sensitivity">
                        {move || result.get().into_iter().map(|w| view! {
                            <li>{format!("{}: {}", w.name, w.overall.map(|o| format!("{o:.1}")).unwrap_or_else(|| "no values".into()))}</li>
                        }).collect_view()}
                    </ol>
                </div>
            </div>
            <h2>{heading}</h2>
            <p><a href=move || csv.get() download="">"Download this comparison (CSV)"</a></p>
            <div class="exemplar-table-scroll" tabindex="0" role="region" aria-label="Comparison">
                <table class="nhsuk-table">
                    <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">"The compared economies side by side"</caption>
                    <thead class="nhsuk-table__head"><tr class="nhsuk-table__row"><th class="nhsuk-table__header" scope="col">"Measure"</th>{header}</tr></thead>
                    <tbody class="nhsuk-table__body" data-testid="compare-table">
                        {weighted_line("Rank among these with the weights above", true)}
                        {weighted_line("Overall with the weights above", false)}
                        {lines}
                    </tbody>
                </table>
            </div>
        </div>
    }
}
