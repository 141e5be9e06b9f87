//! `/my-economy/check/{period}`: check your answers before submitting. Every draft of the
//! quarter as it would be submitted (the value now and after, its evidence, who saved it);
//! the ones changed just now are ticked, older drafts are not; only the ticked ones are
//! submitted, and the submitter gets a receipt.

use crate::domain::format::at_time;
use crate::domain::format::long_date;
use crate::domain::submission::view::{CheckLine, CheckView};
use crate::domain::teamwork::view::Signoff;
use crate::domain::types::count;
use crate::error::AppError;
use crate::ui::components::error_page;
use crate::ui::forms::{error_message, ErrorSummary, Notice};
use crate::ui::session::{form_state, session_info, FormState};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[server(prefix = "/_fn", endpoint = "check-answers")]
pub async fn check_answers(period: String, changed: String) -> Result<CheckView, AppError> {
    let me = crate::ui::session::require(crate::domain::account::Role::Submitter)?.email;
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
    crate::submissions::check_view(&state.pool, &slug, q, &changed, state.today(), &me)
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
    // Values can be submitted once the lead has signed them off, or when no sign-off is needed.
    let submittable = matches!(
        data.signoff.state,
        Signoff::NotNeeded | Signoff::Signed { .. }
    );
    let lines = data
        .lines
        .iter()
        .map(|l| {
            let checked = if posted {
                ticked.split(',').any(|c| c == l.code)
            } else {
                l.just_changed
            };
            line(l, q, checked, form.error_for(&format!("code-{}", l.code)))
        })
        .collect_view();
    let listed = data
        .lines
        .iter()
        .map(|l| view! { <li>{described(l, q)}</li> })
        .collect_view();
    let signoff = signoff_view(&data, &form);
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
        <Notice text=session_info().flash.or(form.notice.clone()) />
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
                {if submittable {
                    view! {
                        <p>"These are the values saved as drafts for this quarter. Tick the ones to submit: only those go to the board. The values you do not tick stay as drafts."</p>
                        <p>"Values you changed just now are ticked. Drafts saved before are not, so an old draft is never sent by accident."</p>
                    }
                    .into_any()
                } else {
                    view! {
                        <p>{if data.signoff.you_are_lead {
                            "These are the values saved as drafts for this quarter. Check each one and its evidence before you sign them off."
                        } else {
                            "These are the values saved as drafts for this quarter. Once your economy's lead has checked and signed them off, anyone in your economy can submit them from this page."
                        }}</p>
                    }
                    .into_any()
                }}
                {data.late.then(|| view! {
                    <div class="nhsuk-warning-callout">
                        <h3 class="nhsuk-warning-callout__label"><span role="text"><span class="nhsuk-u-visually-hidden">"Important: "</span>"The deadline has passed"</span></h3>
                        <p>{format!("The deadline for {q} was {}. Values submitted now are marked late.", long_date(data.deadline))}</p>
                    </div>
                })}
                {signoff}
                {if submittable {
                    view! {
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
                    }
                    .into_any()
                } else {
                    view! {
                        <h2 class="nhsuk-heading-m">"Values saved as drafts"</h2>
                        <ul class="nhsuk-list nhsuk-list--bullet">{listed}</ul>
                    }
                    .into_any()
                }}
                <p><a href=back.clone()>"Change your answers"</a></p>
            }
            .into_any()
        }}
    }
}

/// The lead's sign-off: who signs, whether they have, and the form for the lead to do it.
fn signoff_view(data: &CheckView, form: &FormState) -> impl IntoView {
    let q = data.quarter;
    let error = form.error_for("signoff");
    let you = data.signoff.you_are_lead;
    match &data.signoff.state {
        Signoff::NotNeeded => None,
        Signoff::NoLead => Some(
            view! {
                <div class="nhsuk-warning-callout">
                    <h2 class="nhsuk-warning-callout__label"><span role="text"><span class="nhsuk-u-visually-hidden">"Important: "</span>"Your economy needs a lead"</span></h2>
                    <p>"More than one person in your economy can submit, so a named lead checks and signs off each quarter before it goes to the board."</p>
                    <p><a href="/my-economy/team#sign-off">"Name your lead on the team page"</a></p>
                </div>
            }
            .into_any(),
        ),
        Signoff::Signed { by, at, .. } => Some(
            view! {
                <div class="nhsuk-inset-text" data-testid="signed-off">
                    <span class="nhsuk-u-visually-hidden">"Information: "</span>
                    <p>{format!("Signed off by {by} on {} as checked. Anyone in your economy can submit these values now.", at_time(at))}</p>
                </div>
            }
            .into_any(),
        ),
        Signoff::Waiting { lead, unsigned } => {
            let changed = data.signoff.last.as_ref().map(|(_, at)| {
                format!(
                    "Saved since the last sign-off ({}), so not signed off yet: {}.",
                    at_time(at),
                    unsigned.join(", ")
                )
            });
            if you {
                Some(
                    view! {
                        <h2 class="nhsuk-heading-m">"Sign off this quarter"</h2>
                        <p>"You are your economy's lead. Check every value below and its evidence. When you sign off, anyone in your economy can submit them. If a value changes after you sign off, you will need to sign off again."</p>
                        {changed.map(|c| view! { <p>{c}</p> })}
                        <form method="post" action=format!("/my-economy/check/{q}") novalidate>
                            <input type="hidden" name="action" value="signoff" />
                            <input type="hidden" name="version" value=data.version.clone() />
                            <div class=if error.is_some() { "nhsuk-form-group nhsuk-form-group--error" } else { "nhsuk-form-group" }>
                                {error_message("signoff-error".to_string(), error.clone())}
                                <div class="nhsuk-checkboxes">
                                    <div class="nhsuk-checkboxes__item">
                                        <input class="nhsuk-checkboxes__input" id="signoff" name="signoff" type="checkbox" value="yes"
                                            aria-describedby=error.as_ref().map(|_| "signoff-error") />
                                        <label class="nhsuk-label nhsuk-checkboxes__label" for="signoff">{format!("I have checked these values for {q}")}</label>
                                    </div>
                                </div>
                            </div>
                            <button class="nhsuk-button" type="submit" data-module="nhsuk-button">"Sign off"</button>
                        </form>
                    }
                    .into_any(),
                )
            } else {
                Some(
                    view! {
                        <div class="nhsuk-inset-text" data-testid="waiting-signoff">
                            <span class="nhsuk-u-visually-hidden">"Information: "</span>
                            <p>{format!("{lead}, your economy's lead, checks and signs off these values before they can be submitted.")}</p>
                            {changed.map(|c| view! { <p>{c}</p> })}
                        </div>
                    }
                    .into_any(),
                )
            }
        }
    }
}

/// A draft in words: the value before and after.
fn described(l: &CheckLine, q: crate::domain::Quarter) -> impl IntoView {
    let change = match &l.before {
        Some(before) => format!("{}: {before} to {}", l.title, l.after),
        None => format!("{}: {} (not submitted before)", l.title, l.after),
    };
    view! { {change}{warnings(l, q)} }
}

/// The framework's checks a draft sets off, with the reason given or a link to give one.
fn warnings(l: &CheckLine, q: crate::domain::Quarter) -> Option<impl IntoView> {
    (!l.warnings.is_empty()).then(|| {
        let found = l
            .warnings
            .iter()
            .map(|w| crate::domain::format::sentence(&w.found))
            .collect::<Vec<_>>()
            .join(". ");
        let reason = match &l.reason {
            Some(r) => view! { <span>{format!("Your reason: {r}")}</span> }.into_any(),
            None => view! {
                <span>"No reason given. "<a href=format!("/my-economy/periods/{q}#reason-{}", l.code)>"Say why"<span class="nhsuk-u-visually-hidden">{format!(" {} is this value", l.code)}</span></a></span>
            }
            .into_any(),
        };
        view! {
            <span class="exemplar-check-warning exemplar-check-warning--line" data-testid="check-warning">
                <strong class="nhsuk-tag nhsuk-tag--orange">"Unusual value"</strong>
                {format!(" {found}. ")}
                {reason}
            </span>
        }
    })
}

/// One draft: a checkbox with the value before and after, its evidence and who saved it.
fn line(
    l: &CheckLine,
    q: crate::domain::Quarter,
    checked: bool,
    error: Option<String>,
) -> impl IntoView {
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
                {warnings(l, q)}
            </div>
        </div>
    }
}
