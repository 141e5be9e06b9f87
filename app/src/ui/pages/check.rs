//! `/my-economy/check/{period}`: check your answers before submitting. Every draft of the
//! quarter as it would be submitted (the value now and after, its evidence, who saved it);
//! the ones changed just now are ticked, older drafts are not; only the ticked ones are
//! submitted, and the submitter gets a receipt.

use crate::domain::format::long_date;
use crate::domain::submission::view::{CheckLine, CheckView};
use crate::domain::types::count;
use crate::error::AppError;
use crate::ui::components::error_page;
use crate::ui::forms::ErrorSummary;
use crate::ui::session::{form_state, FormState};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[server(prefix = "/_fn", endpoint = "check-answers")]
pub async fn check_answers(period: String, changed: String) -> Result<CheckView, AppError> {
    let slug = crate::ui::session::require_submitter()?;
    let state = crate::state::app_state()?;
    let q = period
        .parse::<crate::domain::Quarter>()
        .map_err(|_| AppError::NotFound)?;
    let changed: Vec<String> = changed
        .split(',')
        .filter(|c| !c.is_empty())
        .map(str::to_string)
        .collect();
    crate::submissions::check_view(&state.pool, &slug, q, &changed, state.today())
        .await?
        .ok_or(AppError::NotFound)
}

#[component]
pub fn CheckPage() -> impl IntoView {
    let period = use_params_map().with_untracked(|p| p.get("period").unwrap_or_default());
    let changed = use_query_map().with_untracked(|q| q.get("changed").unwrap_or_default());
    let form = form_state();
    view! {
        <Suspense fallback=|| ()>
            {
                let form = form.clone();
                let period = period.clone();
                let changed = changed.clone();
                move || {
                    let form = form.clone();
                    let period = period.clone();
                    let changed = changed.clone();
                    Suspend::new(async move {
                        match check_answers(period, changed).await {
                            Ok(data) => view! { <Check data form /> }.into_any(),
                            Err(e) => error_page(e),
                        }
                    })
                }
            }
        </Suspense>
    }
}

#[component]
fn Check(data: CheckView, form: FormState) -> impl IntoView {
    let q = data.quarter;
    let title = if form.errors.is_empty() {
        "Check your answers before submitting"
    } else {
        "Error: Check your answers before submitting"
    };
    let back = format!("/my-economy/periods/{q}");
    // After a refused post, tick what was ticked; otherwise what was changed just now.
    let posted = !form.errors.is_empty();
    let ticked = form.value("codes");
    let codes_error = form.error_for("codes");
    let lines = data
        .lines
        .iter()
        .map(|l| {
            let checked = if posted {
                ticked.split(',').any(|c| c == l.code)
            } else {
                l.just_changed
            };
            line(l, checked, form.error_for(&format!("code-{}", l.code)))
        })
        .collect_view();
    let group_class =
        if codes_error.is_some() || form.errors.iter().any(|(f, _)| f.starts_with("code-")) {
            "nhsuk-form-group nhsuk-form-group--error"
        } else {
            "nhsuk-form-group"
        };
    let none = data.lines.is_empty();
    view! {
        <Title text=title />
        <a class="nhsuk-back-link" href=back.clone()>"Back to the form"</a>
        <ErrorSummary form=form.clone() />
        <span class="nhsuk-caption-l">{format!("{}, {}", data.economy, q.label())}</span>
        <h1>"Check your answers before submitting"</h1>
        {if none {
            view! {
                <p>"There are no drafts to submit for this quarter: every value is as it was submitted."</p>
                <p><a href=back.clone()>{format!("Go back to the {q} form")}</a></p>
            }
            .into_any()
        } else {
            view! {
                <p>"These are the values saved as drafts for this quarter. Tick the ones to submit: only those go to the board. The values you do not tick stay as drafts."</p>
                <p>"Values you changed just now are ticked. Drafts saved before are not, so an old draft is never sent by accident."</p>
                {data.late.then(|| view! {
                    <div class="nhsuk-warning-callout">
                        <h3 class="nhsuk-warning-callout__label"><span role="text"><span class="nhsuk-u-visually-hidden">"Important: "</span>"The deadline has passed"</span></h3>
                        <p>{format!("The deadline for {q} was {}. Values submitted now are marked late.", long_date(data.deadline))}</p>
                    </div>
                })}
                <form method="post" action=format!("/my-economy/check/{q}") novalidate>
                    <input type="hidden" name="version" value=data.version.clone() />
                    <div class=group_class id="codes">
                        <fieldset class="nhsuk-fieldset" aria-describedby="codes-hint">
                            <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--m">
                                <h2 class="nhsuk-fieldset__heading">"Values to submit"</h2>
                            </legend>
                            <div class="nhsuk-hint" id="codes-hint">{format!("{} saved as drafts.", count(data.lines.len(), "value", "values"))}</div>
                            {codes_error.map(|m| view! { <span class="nhsuk-error-message"><span class="nhsuk-u-visually-hidden">"Error: "</span>{m}</span> })}
                            <div class="nhsuk-checkboxes">{lines}</div>
                        </fieldset>
                    </div>
                    <h2 class="nhsuk-heading-m">"Now send your values"</h2>
                    <p>"By submitting these values you confirm that, to the best of your knowledge, they are correct and the evidence shows them. The board will check each one against its evidence."</p>
                    <button class="nhsuk-button" type="submit" data-module="nhsuk-button">"Submit the ticked values"</button>
                </form>
                <p><a href=back.clone()>"Change your answers"</a></p>
            }
            .into_any()
        }}
    }
}

/// One draft: a checkbox with the value before and after, its evidence and who saved it.
fn line(l: &CheckLine, checked: bool, error: Option<String>) -> impl IntoView {
    let id = format!("code-{}", l.code);
    let hint = format!("{id}-hint");
    let change = match &l.before {
        Some(before) => format!("{}: {before} to {}", l.title, l.after),
        None => format!("{}: {} (not submitted before)", l.title, l.after),
    };
    let evidence = l
        .evidence
        .clone()
        .unwrap_or_else(|| "Evidence: none".into());
    let evidence = if evidence.starts_with("Evidence") {
        evidence
    } else {
        format!("Evidence: {evidence}")
    };
    view! {
        <div class="nhsuk-checkboxes__item">
            <input class="nhsuk-checkboxes__input" id=id.clone() name="code" type="checkbox"
                value=l.code.clone() checked=checked aria-describedby=hint.clone() />
            <label class="nhsuk-label nhsuk-checkboxes__label" for=id.clone()>{change}</label>
            <div class="nhsuk-hint nhsuk-checkboxes__hint" id=hint>
                {error.map(|m| view! { <span class="nhsuk-error-message"><span class="nhsuk-u-visually-hidden">"Error: "</span>{m}</span> })}
                {evidence}". "{l.saved.clone()}"."
                {l.problem.clone().map(|p| view! { <br /><strong>{p}</strong> })}
            </div>
        </div>
    }
}
