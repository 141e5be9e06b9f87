//! `/my-economy/periods/{YYYY-Qn}/assignments`: who is completing a quarter. Each theme, or a
//! single question of it, is assigned to a colleague of the economy; progress by theme and by
//! person; and who signs the quarter off.

use crate::domain::teamwork::assign_field;
use crate::domain::teamwork::view::TeamworkView;
use crate::error::AppError;
use crate::ui::components::error_page;
use crate::ui::forms::{error_message, ErrorSummary, Notice};
use crate::ui::session::{form_state, session_info, FormState};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use std::collections::HashMap;

#[server(prefix = "/_fn", endpoint = "my-assignments")]
pub async fn my_assignments(period: String) -> Result<TeamworkView, AppError> {
    let user = crate::ui::session::require(crate::domain::account::Role::Submitter)?;
    let slug = crate::ui::session::require_submitter()?;
    let state = crate::state::app_state()?;
    let q: crate::domain::Quarter = period.parse().map_err(|_| AppError::NotFound)?;
    if !crate::submissions::reportable(q, state.today()) {
        return Err(AppError::NotFound);
    }
    let fw = crate::service::active_framework(&state.pool)
        .await?
        .framework;
    crate::teamwork::view(&state.pool, &fw, &slug, q, &user.email)
        .await?
        .ok_or(AppError::NotFound)
}

/// Each theme's progress: answered of its criteria, and who it is assigned to.
pub fn theme_progress(
    themes: &[crate::domain::teamwork::ThemeProgress],
    caption: String,
    caption_class: &'static str,
) -> impl IntoView {
    let rows = themes
        .iter()
        .map(|t| {
            view! {
                <tr class="nhsuk-table__row">
                    <th class="nhsuk-table__header" scope="row">{t.name.clone()}</th>
                    <td class="nhsuk-table__cell">{format!("{} of {}", t.answered, t.total)}</td>
                    <td class="nhsuk-table__cell exemplar-break">{t.assigned.clone().unwrap_or_else(|| "Nobody".into())}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="nhsuk-table">
            <caption class=caption_class>{caption}</caption>
            <thead class="nhsuk-table__head">
                <tr class="nhsuk-table__row">
                    <th class="nhsuk-table__header" scope="col">"Theme"</th>
                    <th class="nhsuk-table__header" scope="col">"Answered"</th>
                    <th class="nhsuk-table__header" scope="col">"Assigned to"</th>
                </tr>
            </thead>
            <tbody class="nhsuk-table__body">{rows}</tbody>
        </table>
    }
}

#[component]
pub fn AssignmentsPage() -> impl IntoView {
    let period = use_params_map().with_untracked(|p| p.get("period").unwrap_or_default());
    let form = form_state();
    let flash = session_info().flash;
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let form = form.clone();
                let flash = flash.clone();
                let period = period.clone();
                Suspend::new(async move {
                    match my_assignments(period).await {
                        Ok(data) => view! { <Assignments data form flash /> }.into_any(),
                        Err(e) => error_page(e),
                    }
                })
            }}
        </Suspense>
    }
}

/// A select of the colleagues, with `none` as its first, empty, option.
fn chooser(
    field: String,
    label: String,
    none: &'static str,
    colleagues: &[String],
    chosen: String,
    error: Option<String>,
) -> impl IntoView {
    let options = colleagues
        .iter()
        .map(|c| {
            let selected = *c == chosen;
            view! { <option value=c.clone() selected=selected>{c.clone()}</option> }
        })
        .collect_view();
    let error_id = format!("{field}-error");
    view! {
        <div class=if error.is_some() { "nhsuk-form-group nhsuk-form-group--error" } else { "nhsuk-form-group" }>
            <label class="nhsuk-label" for=field.clone()>{label}</label>
            {error_message(error_id.clone(), error.clone())}
            <select class=if error.is_some() { "nhsuk-select nhsuk-select--error" } else { "nhsuk-select" }
                id=field.clone() name=field.clone() aria-describedby=error.as_ref().map(|_| error_id.clone())>
                <option value="" selected=chosen.is_empty()>{none}</option>
                {options}
            </select>
        </div>
    }
}

#[component]
fn Assignments(data: TeamworkView, form: FormState, flash: Option<String>) -> impl IntoView {
    let q = data.quarter;
    let title = if form.errors.is_empty() {
        format!("Who is completing {q}")
    } else {
        format!("Error: Who is completing {q}")
    };
    let now: HashMap<String, String> = data.assigned.iter().cloned().collect();
    let posted = !form.values.is_empty();
    let chosen = |part: &str| {
        let field = assign_field(part);
        if posted {
            form.value(&field)
        } else {
            now.get(part).cloned().unwrap_or_default()
        }
    };
    let people = (!data.people.is_empty()).then(|| {
        let rows = data
            .people
            .iter()
            .map(|p| {
                view! {
                    <tr class="nhsuk-table__row">
                        <th class="nhsuk-table__header exemplar-break" scope="row">{p.email.clone()}</th>
                        <td class="nhsuk-table__cell">{format!("{} of {}", p.answered, p.total)}</td>
                        <td class="nhsuk-table__cell">{p.parts.join("; ")}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <table class="nhsuk-table">
                <caption class="nhsuk-table__caption nhsuk-table__caption--m">"Progress by person"</caption>
                <thead class="nhsuk-table__head">
                    <tr class="nhsuk-table__row">
                        <th class="nhsuk-table__header" scope="col">"Colleague"</th>
                        <th class="nhsuk-table__header" scope="col">"Answered"</th>
                        <th class="nhsuk-table__header" scope="col">"Assigned"</th>
                    </tr>
                </thead>
                <tbody class="nhsuk-table__body">{rows}</tbody>
            </table>
        }
    });
    let themes = data
        .themes
        .iter()
        .map(|t| {
            let criteria = data
                .criteria
                .iter()
                .find(|(code, _)| *code == t.code)
                .map(|(_, cs)| cs.clone())
                .unwrap_or_default();
            let singles = criteria
                .into_iter()
                .map(|(code, title)| {
                    chooser(
                        assign_field(&code),
                        format!("{title} ({code})"),
                        "As the theme",
                        &data.colleagues,
                        chosen(&code),
                        form.error_for(&assign_field(&code)),
                    )
                })
                .collect_view();
            let single_count = t.criteria.len();
            view! {
                <div class="exemplar-assignment">
                    {chooser(
                        assign_field(&t.code),
                        t.name.clone(),
                        "Nobody",
                        &data.colleagues,
                        chosen(&t.code),
                        form.error_for(&assign_field(&t.code)),
                    )}
                    <details class="nhsuk-details">
                        <summary class="nhsuk-details__summary">
                            <span class="nhsuk-details__summary-text">
                                {if single_count == 0 {
                                    format!("Assign single questions of {}", t.name)
                                } else {
                                    format!("Assign single questions of {} ({} assigned on their own)", t.name, single_count)
                                }}
                            </span>
                        </summary>
                        <div class="nhsuk-details__text">{singles}</div>
                    </details>
                </div>
            }
        })
        .collect_view();
    let alone = data.colleagues.len() < 2;
    view! {
        <Title text=title />
        <nav class="nhsuk-breadcrumb" aria-label="Breadcrumb">
            <ol class="nhsuk-breadcrumb__list">
                <li class="nhsuk-breadcrumb__list-item"><a class="nhsuk-breadcrumb__link" href="/my-economy">"Your economy"</a></li>
                <li class="nhsuk-breadcrumb__list-item"><a class="nhsuk-breadcrumb__link" href=format!("/my-economy/periods/{q}")>{format!("{} ({q})", q.label())}</a></li>
            </ol>
        </nav>
        <ErrorSummary form=form.clone() />
        <Notice text=flash.or(form.notice.clone()) />
        <span class="nhsuk-caption-l">{data.economy.clone()}</span>
        <h1>{format!("Who is completing {q}")}</h1>
        <p>"Share the quarter out: assign each theme to a colleague, or a single question to someone who knows it best. Everyone sees what is assigned to them on their economy page, and anyone can still fill in any question."</p>
        {alone.then(|| view! {
            <div class="nhsuk-inset-text">
                <span class="nhsuk-u-visually-hidden">"Information: "</span>
                <p>"You are the only person in your economy who can submit. "<a href="/my-economy/team">"Invite a colleague"</a>" to share the work."</p>
            </div>
        })}
        <p>{match (&data.lead, alone) {
            (_, true) => "With one person who can submit, no sign-off is needed before submitting.".to_string(),
            (Some(l), false) => format!("{l}, your economy's lead, signs the quarter off before it is submitted."),
            (None, false) => "Your economy has not named a lead yet: a lead signs each quarter off before it is submitted.".to_string(),
        }}" "<a href="/my-economy/team#sign-off">{if data.lead.is_some() { "Change the lead" } else { "Name your lead" }}</a></p>
        {theme_progress(&data.themes, "Progress by theme".to_string(), "nhsuk-table__caption nhsuk-table__caption--m")}
        {people}
        <h2>"Assign the work"</h2>
        <form method="post" action=format!("/my-economy/periods/{q}/assignments") novalidate>
            {themes}
            <button class="nhsuk-button" type="submit" data-module="nhsuk-button">"Save assignments"</button>
        </form>
        <p><a href=format!("/my-economy/periods/{q}")>{format!("Go to the {q} form")}</a></p>
    }
}
