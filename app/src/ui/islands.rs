//! Islands: the only parts of a page that hydrate. Each gets its data as props.
//!
//! Each island belongs to one bundle (`crate::ui::BUNDLES`): in the wasm of another bundle it
//! is a plain component that nothing calls, so the compiler leaves it out. On the server, and
//! in a build of every island (no `bundle-*` feature), each is an island: `island_BUNDLE`,
//! set by `build.rs`.

use crate::domain::files::parse_value;
use crate::domain::framework::Criterion;
use crate::domain::framework::{Framework, Kind};
use crate::domain::scoring::{
    combine, gates_and_stage, snapshot, value_score, Entry, Prepared, Snapshot,
};
use crate::domain::submission::{answer, date_answer, value_field};
use crate::domain::types::{count, one_decimal};
use crate::domain::{Quarter, Status};
use crate::ui::island_data;
use crate::ui::island_props::FrameworkProp;
use leptos::either::Either;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

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
            crate::domain::types::ymd(*t)
        ),
    }
}

/// Try the scoring method: type values for each criterion and see the scores. Without
/// JavaScript the form is sent and the server works the same out.
/// What [`ScoreCalculator`] starts from: the framework and the values the form was sent with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalculatorData {
    pub framework: FrameworkProp,
    /// Each criterion's hint (`hint`), written on the server.
    pub hints: Vec<String>,
    pub initial: Vec<String>,
}

impl CalculatorData {
    pub fn new(framework: Framework, initial: Vec<String>) -> Self {
        CalculatorData {
            hints: framework.criteria.iter().map(|c| hint(&c.kind)).collect(),
            framework: FrameworkProp(framework),
            initial,
        }
    }
}

/// The id of the element that carries [`CalculatorData`] (`island_data::WithIslandData`).
pub const CALCULATOR_DATA: &str = "calculator-data";

#[cfg_attr(island_calculator, island)]
#[cfg_attr(not(island_calculator), component)]
pub fn ScoreCalculator() -> impl IntoView {
    let CalculatorData {
        framework,
        hints,
        initial,
    } = island_data::read(CALCULATOR_DATA);
    let framework = framework.0;
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
                // The DOM keeps what is chosen: `selected` says only what the form was sent
                // with, and an error message is hidden rather than removed (fewer kinds of
                // view, a smaller bundle).
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
                        let chosen = sig.get_untracked();
                        Either::Left(view! {
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
                                        let selected = chosen == v;
                                        view! { <option value=v selected=selected>{label}</option> }
                                    })
                                    .collect_view()}
                            </select>
                        })
                    }
                    _ => Either::Right(view! {
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
                            aria-describedby={
                                let (hint_id, err_id) = (hint_id.clone(), err_id.clone());
                                move || {
                                    if problem().is_some() {
                                        format!("{hint_id} {err_id}")
                                    } else {
                                        hint_id.clone()
                                    }
                                }
                            }
                            bind:value=sig
                        />
                    }),
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
                            {hints.get(i).cloned().unwrap_or_default()}
                        </div>
                        <span class="nhsuk-error-message" id=err_id hidden=move || problem().is_none()>
                            <span class="nhsuk-u-visually-hidden">"Error: "</span>
                            {move || problem().unwrap_or_default()}
                        </span>
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
                            <td class="nhsuk-table__cell nhsuk-table__cell--numeric">{one_decimal(s)}</td>
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
                    <strong data-testid="calc-overall">{move || one_decimal(result.get().overall)}</strong>
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

/// The effect of the values changed on a quarter's form: the scores as they are now (from the
/// values already submitted, as every score is worked out) and as they would be if the values
/// changed on the page were submitted. Only a field whose answer differs from what the form
/// showed when it was opened counts: a draft left as it was moves nothing.
#[derive(Debug, Clone, PartialEq)]
pub struct ChangeEffect {
    pub now: Snapshot,
    pub then: Snapshot,
    /// The criteria changed on the page with a value that can be read, in framework order.
    pub changed: Vec<String>,
    /// Criteria changed on the page whose answer cannot be read yet (left out).
    pub unreadable: usize,
}

/// Works out the [`ChangeEffect`] of a form's changes with the same scoring module as the server:
/// `loaded` gives the form's fields as it was opened, `current` as they are now. A changed
/// value replaces the quarter's stored one (a verified value changed back to itself stays
/// verified); an answer cleared on the page submits nothing, so it changes nothing.
pub fn effect_of_changes(
    fw: &Framework,
    quarter: Quarter,
    entries: &[Entry],
    loaded: &dyn Fn(&str) -> Option<String>,
    current: &dyn Fn(&str) -> Option<String>,
) -> ChangeEffect {
    let shares = fw.shares();
    let now = snapshot(fw, &shares, &Prepared::new(fw, entries), quarter);
    // A criterion's answer: its value and text, `Ok(None)` unanswered, `Err` unreadable. Values
    // are compared as read, not as canonical text: the same (`87.50` is `87.5`), and no float
    // formatting in the wasm.
    let read = |get: &dyn Fn(&str) -> Option<String>, c: &Criterion| match answer(
        Some(&c.kind),
        &c.code,
        &c.title,
        get,
    ) {
        Ok(Some(text)) => parse_value(&c.kind, &c.code, &text, quarter)
            .map(|v| Some((v, text)))
            .map_err(|_| ()),
        Ok(None) => Ok(None),
        Err(_) => Err(()),
    };
    let raw = |get: &dyn Fn(&str) -> Option<String>, code: &str| {
        [
            get(&value_field(code))
                .unwrap_or_default()
                .trim()
                .to_string(),
            date_answer(get, code).unwrap_or_else(|wrong| wrong),
        ]
    };
    let mut changed = Vec::new();
    let mut unreadable = 0;
    let mut updated: Vec<Entry> = Vec::new();
    for c in &fw.criteria {
        if raw(loaded, &c.code) == raw(current, &c.code) {
            continue;
        }
        let before = read(loaded, c).ok().flatten().map(|(v, _)| v);
        match read(current, c) {
            Err(()) => unreadable += 1,
            Ok(Some((parsed, value))) if Some(parsed) != before => {
                let status = entries
                    .iter()
                    .find(|e| {
                        e.period == quarter
                            && e.code == c.code
                            && parse_value(&c.kind, &c.code, &e.value, quarter).ok() == Some(parsed)
                    })
                    .map(|e| e.status)
                    .filter(|s| *s == Status::Verified)
                    .unwrap_or(Status::Submitted);
                changed.push(c.code.clone());
                updated.push(Entry {
                    period: quarter,
                    code: c.code.clone(),
                    value,
                    status,
                });
            }
            // Cleared, or back to what was shown: nothing to submit.
            Ok(_) => {}
        }
    }
    let then = if updated.is_empty() {
        now.clone()
    } else {
        let mut with: Vec<Entry> = entries
            .iter()
            .filter(|e| e.period != quarter || !changed.contains(&e.code))
            .cloned()
            .collect();
        with.extend(updated);
        snapshot(fw, &shares, &Prepared::new(fw, &with), quarter)
    };
    ChangeEffect {
        now,
        then,
        changed,
        unreadable,
    }
}

/// A score to one decimal place, as the panel shows it.
fn one(n: f64) -> f64 {
    (n * 10.0).round() / 10.0
}

/// The change between two scores in words, as shown: "Up 3.2", "Down 1.0", "No change".
pub fn change_in_words(now: f64, then: f64) -> String {
    let d = one(then) - one(now);
    if d.abs() < 0.05 {
        "No change".into()
    } else if d > 0.0 {
        format!("Up {}", one_decimal(d))
    } else {
        format!("Down {}", one_decimal(-d))
    }
}

/// One line of the what-if panel: the measure, now, with the changes, the change in words.
#[derive(Debug, Clone, PartialEq)]
pub struct EffectRow {
    pub label: String,
    pub now: String,
    pub then: String,
    pub change: String,
}

/// The what-if panel's lines: overall, each theme, the verified overall, completeness, stage
/// and gates.
pub fn effect_rows(fw: &Framework, e: &ChangeEffect) -> Vec<EffectRow> {
    let score = |label: String, now: f64, then: f64| EffectRow {
        label,
        now: one_decimal(now),
        then: one_decimal(then),
        change: change_in_words(now, then),
    };
    let mut rows = vec![score("Overall".into(), e.now.overall, e.then.overall)];
    for ((t, now), then) in fw.themes.iter().zip(&e.now.themes).zip(&e.then.themes) {
        rows.push(score(t.name.clone(), *now, *then));
    }
    rows.push(score(
        "Overall, verified values only".into(),
        e.now.verified_overall,
        e.then.verified_overall,
    ));
    let mut completeness = score(
        "Completeness".into(),
        e.now.completeness,
        e.then.completeness,
    );
    completeness.now.push('%');
    completeness.then.push('%');
    rows.push(completeness);
    rows.push(EffectRow {
        label: "Stage".into(),
        now: e.now.stage.to_string(),
        then: e.then.stage.to_string(),
        change: match e.then.stage.cmp(&e.now.stage) {
            std::cmp::Ordering::Greater => format!("Up {}", e.then.stage - e.now.stage),
            std::cmp::Ordering::Less => format!("Down {}", e.now.stage - e.then.stage),
            std::cmp::Ordering::Equal => "No change".into(),
        },
    });
    let yes = |b: bool| if b { "Yes" } else { "No" }.to_string();
    rows.push(EffectRow {
        label: "Every gate met".into(),
        now: yes(e.now.eligible),
        then: yes(e.then.eligible),
        change: match (e.now.eligible, e.then.eligible) {
            (false, true) => "Now met".into(),
            (true, false) => "No longer met".into(),
            _ => "No change".into(),
        },
    });
    rows
}

/// The effect in one sentence, for the summary at the top of the form.
pub fn effect_summary(e: &ChangeEffect) -> String {
    let (now, then) = (one(e.now.overall), one(e.then.overall));
    let unread = if e.unreadable > 0 {
        format!(
            " {} you changed cannot be read yet and {} left out.",
            count(e.unreadable, "answer", "answers"),
            if e.unreadable == 1 { "is" } else { "are" }
        )
    } else {
        String::new()
    };
    if e.changed.is_empty() {
        return format!(
            "You have not changed any scored values on this page, so your overall score stays at {}.{unread}",
            one_decimal(now)
        );
    }
    let how = if (then - now).abs() < 0.05 {
        format!("stay at {}", one_decimal(now))
    } else if then > now {
        format!(
            "go up by {}, from {} to {}",
            one_decimal(then - now),
            one_decimal(now),
            one_decimal(then)
        )
    } else {
        format!(
            "go down by {}, from {} to {}",
            one_decimal(now - then),
            one_decimal(now),
            one_decimal(then)
        )
    };
    format!(
        "If you submit the {} you changed on this page, your overall score would {how}.{unread}",
        count(e.changed.len(), "value", "values")
    )
}

thread_local! {
    /// The what-if panel's summary sentence as it changes in the browser, for the summary at
    /// the top of the form (another island). Written only by an effect, so only in the browser.
    static EFFECT_SUMMARY: ArcRwSignal<Option<String>> = ArcRwSignal::new(None);
}

fn effect_summary_signal() -> ArcRwSignal<Option<String>> {
    EFFECT_SUMMARY.with(|s| s.clone())
}

/// At the top of the quarter form: the effect of the changes in one sentence and a link to the
/// panel, so that on a phone the panel, which comes after the form, can be reached. `text` is
/// worked out on the server; with JavaScript on it follows the panel.
/// The id of the element that carries [`WhatIfSummary`]'s text as it is opened.
pub const WHAT_IF_SUMMARY_DATA: &str = "what-if-summary-data";

#[cfg_attr(island_forms, island)]
#[cfg_attr(not(island_forms), component)]
pub fn WhatIfSummary() -> impl IntoView {
    let text: String = island_data::read(WHAT_IF_SUMMARY_DATA);
    let shared = effect_summary_signal();
    view! {
        <div class="exemplar-what-if-summary">
            <p class="nhsuk-body-s nhsuk-u-margin-bottom-1" data-testid="what-if-summary">
                {move || shared.get().unwrap_or_else(|| text.clone())}
            </p>
            <p class="nhsuk-body-s nhsuk-u-margin-bottom-0">
                <a href="#what-if">"See the effect of your changes"</a>
            </p>
        </div>
    }
}

/// Beside the quarter form: the scores now and if the values changed on the page were
/// submitted, recomputed in the browser as the form changes. Without JavaScript the form's
/// Recalculate button has the server work out the same from the values typed.
/// What [`WhatIf`] starts from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WhatIfData {
    pub framework: FrameworkProp,
    pub quarter: Quarter,
    /// The economy's submitted values.
    pub entries: Vec<Entry>,
    /// The form's answer fields as stored (what the form shows when it is opened).
    pub loaded: Vec<(String, String)>,
    /// The answer fields as the form shows them now.
    pub fields: Vec<(String, String)>,
}

/// The id of the element that carries [`WhatIfData`].
pub const WHAT_IF_DATA: &str = "what-if-data";

#[cfg_attr(island_forms, island)]
#[cfg_attr(not(island_forms), component)]
pub fn WhatIf() -> impl IntoView {
    let WhatIfData {
        framework,
        quarter,
        entries,
        loaded,
        fields,
    } = island_data::read(WHAT_IF_DATA);
    let framework = framework.0;
    use leptos::wasm_bindgen::JsCast;
    use leptos::web_sys::HtmlInputElement;
    let form: RwSignal<std::collections::HashMap<String, String>> =
        RwSignal::new(fields.into_iter().collect());
    let loaded: std::collections::HashMap<String, String> = loaded.into_iter().collect();
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
    let loaded = StoredValue::new(loaded);
    let result = Memo::new(move |_| {
        let f = form.get();
        let get = |k: &str| f.get(k).cloned();
        loaded.with_value(|l| {
            let before = |k: &str| l.get(k).cloned();
            fw.with_value(|fw| {
                entries.with_value(|e| effect_of_changes(fw, quarter, e, &before, &get))
            })
        })
    });
    // The summary at the top of the form follows (in the browser only).
    let shared = effect_summary_signal();
    Effect::new(move |_| shared.set(Some(result.with(effect_summary))));
    let rows = move || {
        let rows = result.with(|r| fw.with_value(|fw| effect_rows(fw, r)));
        rows.into_iter()
            .map(|r| {
                view! {
                    <tr class="nhsuk-table__row">
                        <th class="nhsuk-table__header" scope="row">{r.label}</th>
                        <td class="nhsuk-table__cell">{r.now}</td>
                        <td class="nhsuk-table__cell">{r.then}</td>
                        <td class="nhsuk-table__cell">{r.change}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <div class="nhsuk-card exemplar-what-if" id="what-if" data-hydrated=move || hydrated.get().to_string()>
            <div class="nhsuk-card__content">
                <h2 class="nhsuk-card__heading nhsuk-heading-m">"The effect of your changes"</h2>
                <p class="nhsuk-body-s">
                    {format!("Your scores as of {quarter} now, from the values already submitted, and if you submit the values you changed on this page. Drafts you have not changed here are left out.")}
                </p>
                <div aria-live="polite">
                    <p class="nhsuk-body-s" data-testid="what-if-sentence"><strong>{move || result.with(effect_summary)}</strong></p>
                    <table class="nhsuk-table">
                        <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">"Your scores now and if you submit the values you changed on this page"</caption>
                        <thead class="nhsuk-table__head">
                            <tr class="nhsuk-table__row">
                                <th class="nhsuk-table__header" scope="col">"Score"</th>
                                <th class="nhsuk-table__header" scope="col">"Now"</th>
                                <th class="nhsuk-table__header" scope="col">"If you submit your changes"</th>
                                <th class="nhsuk-table__header" scope="col">"Change"</th>
                            </tr>
                        </thead>
                        <tbody class="nhsuk-table__body" data-testid="what-if">{rows}</tbody>
                    </table>
                </div>
                <p class="nhsuk-body-s nhsuk-u-margin-bottom-0">"This follows what you type. With JavaScript off, press Recalculate at the end of the form to update it."</p>
            </div>
        </div>
    }
}

/// The comparison's results (`/assess/compare`): the compared economies in order with the
/// theme weights in the form above, the CSV link and the side-by-side table. Every weighted
/// figure here comes from one computation (`compare_weighted`), on the server for the first
/// page and in the browser as a weight changes; the address follows the weights so the view
/// can be shared. Without JavaScript the form's Compare button gives the same page.
/// What [`CompareResults`] starts from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CompareIslandData {
    pub framework: FrameworkProp,
    pub economies: Vec<crate::domain::scoring::EconomyInput>,
    pub as_of: Option<String>,
    /// The text of each theme's weight, theme by theme (already accepted by the server).
    pub weights: Vec<String>,
    /// The economies compared, in order: slug and name.
    pub columns: Vec<(String, String)>,
    /// The table's rows that the weights do not change, written on the server
    /// ([`compare_lines`]): a label and a cell for each economy.
    pub lines: Vec<(String, Vec<String>)>,
}

impl CompareIslandData {
    pub fn new(
        framework: Framework,
        economies: Vec<crate::domain::scoring::EconomyInput>,
        as_of: Option<String>,
        weights: Vec<String>,
        rows: &[crate::domain::assessment::view::Compared],
        candidates: usize,
    ) -> Self {
        CompareIslandData {
            lines: compare_lines(&framework, rows, candidates),
            columns: rows
                .iter()
                .map(|r| (r.slug.clone(), r.name.clone()))
                .collect(),
            framework: FrameworkProp(framework),
            economies,
            as_of,
            weights,
        }
    }
}

/// The comparison's rows that do not follow the weights: with the framework's weights, the
/// themes, completeness, gates, stage, the projected date and the member organisations.
pub fn compare_lines(
    framework: &Framework,
    rows: &[crate::domain::assessment::view::Compared],
    candidates: usize,
) -> Vec<(String, Vec<String>)> {
    let opt = |n: Option<f64>| n.map(one_decimal).unwrap_or_else(|| "–".into());
    let line =
        |label: String, cell: &dyn Fn(&crate::domain::assessment::view::Compared) -> String| {
            (label, rows.iter().map(cell).collect::<Vec<String>>())
        };
    let mut lines = vec![
        line(
            format!(
                "Rank among all {} with the framework's weights",
                count(candidates, "candidate", "candidates")
            ),
            &|r| r.rank.map(|x| x.to_string()).unwrap_or_else(|| "–".into()),
        ),
        line("Overall with the framework's weights".into(), &|r| {
            opt(r.overall)
        }),
        line(
            "Verified overall with the framework's weights".into(),
            &|r| opt(r.verified_overall),
        ),
    ];
    for (i, theme) in framework.themes.iter().enumerate() {
        lines.push(line(format!("Theme: {}", theme.name), &|r| {
            opt(r.themes.get(i).copied().flatten())
        }));
    }
    let percent = |n: Option<f64>| {
        n.map(|c| format!("{}%", one_decimal(c)))
            .unwrap_or_else(|| "–".into())
    };
    lines.push(line("Completeness".into(), &|r| percent(r.completeness)));
    lines.push(line("Confidence".into(), &|r| percent(r.confidence)));
    lines.push(line("Every gate met".into(), &|r| match r.eligible {
        Some(true) => "Yes".into(),
        Some(false) => "No".into(),
        None => "–".into(),
    }));
    lines.push(line("Fundable".into(), &|r| {
        if r.not_fundable.is_empty() {
            "Yes".into()
        } else {
            format!(
                "Not fundable: non-compliant without an agreed plan: {}",
                r.not_fundable.join(", ")
            )
        }
    }));
    lines.push(line("Stage".into(), &|r| {
        r.stage.map(|s| s.to_string()).unwrap_or_else(|| "–".into())
    }));
    lines.push(line(
        "Projected paperless".into(),
        &|r| match (&r.paperless_date, r.on_track) {
            (Some(d), on_track) => {
                let d = crate::domain::types::parse_ymd(d)
                    .map(crate::domain::types::long_date)
                    .unwrap_or_else(|| d.clone());
                if on_track == Some(true) {
                    format!("{d} (on track)")
                } else {
                    format!("{d} (not on track)")
                }
            }
            _ => "No projected date".into(),
        },
    ));
    lines.push(line("Member organisations".into(), &|r| {
        if r.organisations.is_empty() {
            "None listed".into()
        } else {
            r.organisations
                .iter()
                .map(|(k, n)| format!("{k}: {n}"))
                .collect::<Vec<_>>()
                .join(", ")
        }
    }));
    lines
}

/// The id of the element that carries [`CompareIslandData`].
pub const COMPARE_ISLAND_DATA: &str = "compare-data";

#[cfg_attr(island_compare, island)]
#[cfg_attr(not(island_compare), component)]
pub fn CompareResults() -> impl IntoView {
    let CompareIslandData {
        framework,
        economies,
        as_of,
        weights,
        columns,
        lines,
    } = island_data::read(COMPARE_ISLAND_DATA);
    let framework = framework.0;
    use crate::domain::assessment::compare_weight;
    use crate::domain::assessment::view::CompareQuery;
    let codes: Vec<String> = framework.themes.iter().map(|t| t.code.clone()).collect();
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
    let chosen: Vec<String> = columns.iter().map(|(slug, _)| slug.clone()).collect();
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
    let opt = |n: Option<f64>| n.map(one_decimal).unwrap_or_else(|| "–".into());
    let header = columns
        .iter()
        .map(|(slug, name)| view! { <th class="nhsuk-table__header" scope="col"><a href=format!("/assess/economies/{slug}")>{name.clone()}</a></th> })
        .collect_view();
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
    let lines = lines
        .into_iter()
        .map(|(label, cells)| {
            let tds = cells
                .into_iter()
                .map(|c| view! { <td class="nhsuk-table__cell">{c}</td> })
                .collect_view();
            view! { <tr class="nhsuk-table__row"><th class="nhsuk-table__header" scope="row">{label}</th>{tds}</tr> }
        })
        .collect_view();
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
                            <li>{format!("{}: {}", w.name, w.overall.map(one_decimal).unwrap_or_else(|| "no values".into()))}</li>
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

#[cfg(test)]
mod effect_tests {
    use super::*;
    use std::collections::HashMap;

    fn fw() -> Framework {
        Framework::from_toml(include_str!("../../../fixtures/example/framework.toml")).unwrap()
    }

    fn q2() -> Quarter {
        "2014-Q2".parse().unwrap()
    }

    /// York's submitted values up to 2014 Q2, as the example has them.
    fn entries() -> Vec<Entry> {
        let e = |p: &str, code: &str, value: &str, status| Entry {
            period: p.parse().unwrap(),
            code: code.into(),
            value: value.into(),
            status,
        };
        vec![
            e("2014-Q1", "NHS-NUMBER", "50", Status::Submitted),
            e("2014-Q1", "GP2GP", "yes", Status::Submitted),
            e("2014-Q2", "EPR-ACUTE", "2014-05-15", Status::Verified),
            e("2014-Q2", "NHS-NUMBER", "60", Status::Submitted),
        ]
    }

    fn fields(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn effect(loaded: &HashMap<String, String>, current: &HashMap<String, String>) -> ChangeEffect {
        effect_of_changes(&fw(), q2(), &entries(), &|k| loaded.get(k).cloned(), &|k| {
            current.get(k).cloned()
        })
    }

    #[test]
    fn an_untouched_draft_does_not_change_the_scores() {
        // The form opens with a draft of 10% over the submitted 60%, and a draft level.
        let loaded = fields(&[("v-NHS-NUMBER", "10"), ("v-CONNECT", "5")]);
        let e = effect(&loaded, &loaded);
        assert_eq!(e.now, e.then);
        assert!(e.changed.is_empty());
        assert_eq!(e.unreadable, 0);
        assert_eq!(effect_rows(&fw(), &e)[0].change, "No change", "the overall");
        assert!(effect_summary(&e).starts_with("You have not changed any scored values"));
    }

    #[test]
    fn a_raised_value_raises_the_score_even_beside_a_lower_draft() {
        // The old draft of 10% stays as it was; only the level is raised on the page.
        let loaded = fields(&[("v-NHS-NUMBER", "10"), ("v-CONNECT", "1")]);
        let mut current = loaded.clone();
        current.insert("v-CONNECT".into(), "4".into());
        let e = effect(&loaded, &current);
        assert_eq!(e.changed, vec!["CONNECT".to_string()]);
        assert!(e.then.overall > e.now.overall, "{e:?}");
        // NHS-NUMBER still scores its submitted 60%, not the draft's 10%.
        let infra = fw().themes.iter().position(|t| t.code == "infra").unwrap();
        let records = fw()
            .themes
            .iter()
            .position(|t| t.code == "records")
            .unwrap();
        assert!(e.then.themes[infra] > e.now.themes[infra]);
        assert_eq!(e.then.themes[records], e.now.themes[records]);
        let rows = effect_rows(&fw(), &e);
        assert!(rows[0].change.starts_with("Up "), "{rows:?}");
        assert_eq!(rows[0].now, format!("{:.1}", e.now.overall));
        assert!(effect_summary(&e).starts_with(
            "If you submit the 1 value you changed on this page, your overall score would go up by"
        ));
    }

    #[test]
    fn a_lowered_value_lowers_the_score_and_a_verified_one_changed_is_no_longer_verified() {
        let loaded = fields(&[
            ("v-NHS-NUMBER", "60"),
            ("v-EPR-ACUTE", "achieved"),
            ("d-EPR-ACUTE", "2014-05-15"),
        ]);
        let mut current = loaded.clone();
        current.insert("v-NHS-NUMBER".into(), "20".into());
        let e = effect(&loaded, &current);
        assert!(e.then.overall < e.now.overall);
        assert!(effect_rows(&fw(), &e)[0].change.starts_with("Down "));
        // Retyping the same date in another way changes nothing; a new date is unverified.
        current.insert("d-EPR-ACUTE".into(), " 2014-05-15 ".into());
        assert_eq!(effect(&loaded, &current).changed, vec!["NHS-NUMBER"]);
        current.insert("d-EPR-ACUTE".into(), "2014-05-01".into());
        let e = effect(&loaded, &current);
        assert_eq!(e.changed, vec!["EPR-ACUTE", "NHS-NUMBER"]);
        assert!(e.then.verified_overall < e.now.verified_overall);
    }

    #[test]
    fn cleared_and_unreadable_answers_change_nothing_and_are_counted() {
        let loaded = fields(&[("v-NHS-NUMBER", "60"), ("v-CONNECT", "2")]);
        let current = fields(&[("v-NHS-NUMBER", ""), ("v-CONNECT", "nine")]);
        let e = effect(&loaded, &current);
        assert_eq!(e.now, e.then);
        assert!(e.changed.is_empty());
        assert_eq!(e.unreadable, 1);
        assert!(
            effect_summary(&e).contains("1 answer you changed cannot be read yet and is left out.")
        );
    }

    #[test]
    fn changes_are_put_in_words() {
        assert_eq!(change_in_words(40.0, 43.25), "Up 3.3");
        assert_eq!(change_in_words(40.0, 38.0), "Down 2.0");
        assert_eq!(change_in_words(40.01, 40.04), "No change");
    }
}
