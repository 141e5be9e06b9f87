//! NHS.UK form furniture: the error summary at the top, fields with their messages, notices.
//! Forms post to the server (no JavaScript needed) and are shown again with these.

use crate::ui::session::FormState;
use leptos::prelude::*;

/// The NHS.UK error summary: every problem, each linking to its field.
#[component]
pub fn ErrorSummary(form: FormState) -> impl IntoView {
    (!form.errors.is_empty()).then(|| {
        let items = form
            .errors
            .into_iter()
            .map(|(field, message)| {
                view! { <li><a href=format!("#{field}")>{message}</a></li> }
            })
            .collect_view();
        view! {
            <div class="nhsuk-error-summary" aria-labelledby="error-summary-title" role="alert" tabindex="-1" data-module="nhsuk-error-summary">
                <h2 class="nhsuk-error-summary__title" id="error-summary-title">"There is a problem"</h2>
                <div class="nhsuk-error-summary__body">
                    <ul class="nhsuk-list nhsuk-error-summary__list">{items}</ul>
                </div>
            </div>
        }
    })
}

/// A field's NHS.UK error message (with its id for `aria-describedby`), if it has one.
pub fn error_message(id: String, message: Option<String>) -> impl IntoView {
    message.map(|m| {
        view! {
            <span class="nhsuk-error-message" id=id>
                <span class="nhsuk-u-visually-hidden">"Error: "</span>{m}
            </span>
        }
    })
}

/// A notice after something was done, or a flash from the session: the NHS.UK notification
/// banner, green ("Success") when it says what was done, blue ("Important") when something
/// was not done ("Not done: …", "Nothing …").
#[component]
pub fn Notice(text: Option<String>) -> impl IntoView {
    text.map(|t| {
        let success = !(t.starts_with("Not done") || t.starts_with("Nothing"));
        let (class, role, heading) = if success {
            (
                "nhsuk-notification-banner nhsuk-notification-banner--success exemplar-notice",
                "alert",
                "Success",
            )
        } else {
            (
                "nhsuk-notification-banner exemplar-notice",
                "region",
                "Important",
            )
        };
        view! {
            <div class=class role=role aria-labelledby="notice-title" data-module="nhsuk-notification-banner">
                <div class="nhsuk-notification-banner__header">
                    <h2 class="nhsuk-notification-banner__title" id="notice-title">{heading}</h2>
                </div>
                <div class="nhsuk-notification-banner__content">
                    <p class="nhsuk-notification-banner__heading">{t}</p>
                </div>
            </div>
        }
    })
}

/// A text input with its label, hint and error message (NHS.UK pattern).
#[component]
pub fn Field(
    name: &'static str,
    label: &'static str,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional)] value: String,
    #[prop(default = None)] error: Option<String>,
    #[prop(optional)] width: Option<&'static str>,
    #[prop(optional)] inputmode: Option<&'static str>,
) -> impl IntoView {
    let hint_id = hint.map(|_| format!("{name}-hint"));
    let error_id = error.as_ref().map(|_| format!("{name}-error"));
    let described = [hint_id.clone(), error_id.clone()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let group = if error.is_some() {
        "nhsuk-form-group nhsuk-form-group--error"
    } else {
        "nhsuk-form-group"
    };
    let mut class = String::from("nhsuk-input");
    if let Some(w) = width {
        class.push_str(&format!(" nhsuk-input--width-{w}"));
    }
    if error.is_some() {
        class.push_str(" nhsuk-input--error");
    }
    view! {
        <div class=group>
            <label class="nhsuk-label" for=name>{label}</label>
            {hint.map(|h| view! { <div class="nhsuk-hint" id=hint_id.clone()>{h}</div> })}
            {error.map(|m| view! {
                <span class="nhsuk-error-message" id=error_id.clone()>
                    <span class="nhsuk-u-visually-hidden">"Error: "</span>{m}
                </span>
            })}
            <input
                class=class
                id=name
                name=name
                type=kind
                autocomplete=autocomplete
                inputmode=inputmode
                spellcheck=(kind == "email" || kind == "password").then_some("false")
                aria-describedby=(!described.is_empty()).then_some(described)
                value=(kind != "password").then_some(value)
            />
        </div>
    }
}

/// A field bound to a form's state.
pub fn field_value(form: &FormState, name: &str) -> (String, Option<String>) {
    (form.value(name), form.error_for(name))
}

/// The NHS.UK date input: day, month and year boxes in one fieldset, named `{name}-day`,
/// `{name}-month` and `{name}-year`; its error is kept under `{name}-day`, the first box,
/// so the error summary's link lands there. `given` is the stored date, `YYYY-MM-DD`, shown
/// when the form was not posted. `hidden` is added to the legend for screen readers only,
/// like " for Leeds Teaching Hospitals", where several date inputs share a page.
#[component]
pub fn DateInput(
    #[prop(into)] name: String,
    legend: &'static str,
    hint: String,
    form: FormState,
    given: Option<String>,
    #[prop(optional, into)] hidden: Option<String>,
) -> impl IntoView {
    let error = form.error_for(&format!("{name}-day"));
    let parts: Vec<String> = given
        .as_deref()
        .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .map(|d| {
            use chrono::Datelike;
            vec![
                d.day().to_string(),
                d.month().to_string(),
                d.year().to_string(),
            ]
        })
        .unwrap_or_else(|| vec![String::new(); 3]);
    let hint_id = format!("{name}-hint");
    let error_id = format!("{name}-error");
    let described = if error.is_some() {
        format!("{hint_id} {error_id}")
    } else {
        hint_id.clone()
    };
    let input_class = if error.is_some() {
        " nhsuk-input--error"
    } else {
        ""
    };
    let boxes = [("day", "Day", 2), ("month", "Month", 2), ("year", "Year", 4)]
        .into_iter()
        .enumerate()
        .map(|(i, (part, label, width))| {
            let id = format!("{name}-{part}");
            let value = if form.values.is_empty() {
                parts[i].clone()
            } else {
                form.value(&id)
            };
            view! {
                <div class="nhsuk-date-input__item">
                    <div class="nhsuk-form-group">
                        <label class="nhsuk-label nhsuk-date-input__label" for=id.clone()>{label}</label>
                        <input class=format!("nhsuk-input nhsuk-date-input__input nhsuk-input--width-{width}{input_class}") id=id.clone() name=id type="text" inputmode="numeric" value=value />
                    </div>
                </div>
            }
        })
        .collect_view();
    view! {
        <div class=if error.is_some() { "nhsuk-form-group nhsuk-form-group--error" } else { "nhsuk-form-group" }>
            <fieldset class="nhsuk-fieldset" role="group" aria-describedby=described>
                <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">{legend}{hidden.map(|h| view! { <span class="nhsuk-u-visually-hidden">{h}</span> })}</legend>
                <div class="nhsuk-hint" id=hint_id>{hint}</div>
                {error_message(error_id, error.clone())}
                <div class="nhsuk-date-input" id=name>{boxes}</div>
            </fieldset>
        </div>
    }
}
