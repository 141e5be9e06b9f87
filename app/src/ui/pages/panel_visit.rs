//! `/admin/panel/{slug}`: a candidate's site visit. The admin schedules it (the day, the
//! members who go, what they will look at), may move it until its findings are recorded,
//! and from the day of the visit records what it found for each panel question and in each
//! document checked. Members see the visit on their score sheet (`PanelSheetPage`).

use crate::domain::panel::view::{Visit, VisitPage};
use crate::error::AppError;
use crate::ui::components::error_page;
use crate::ui::format::day_of;
use crate::ui::forms::{error_message, DateInput, ErrorSummary, Notice};
use crate::ui::session::{form_state, session_info, FormState};
use leptos::prelude::*;
use leptos_meta::Title;

#[server(prefix = "/_fn", endpoint = "admin-panel-visit")]
pub async fn admin_panel_visit(slug: String) -> Result<VisitPage, AppError> {
    let slug = crate::error::page_slug(&slug)?;
    use crate::domain::account::Role;
    let user = crate::ui::session::require(Role::Admin)?;
    let state = crate::state::app_state()?;
    match crate::panel::visits::page(&state.pool, &user, &slug, state.today()).await {
        Ok(Some(page)) => Ok(page),
        Ok(None) => Err(AppError::NotFound),
        Err(crate::error::Rejection::Db(e)) => Err(e.into()),
        Err(_) => Err(AppError::NotFound),
    }
}

#[component]
pub fn AdminPanelVisitPage() -> impl IntoView {
    let params = leptos_router::hooks::use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let form = form_state();
    let flash = session_info().flash;
    view! {
        <Suspense fallback=|| ()>
            {
                let (form, flash) = (form.clone(), flash.clone());
                move || {
                    let (form, flash, slug) = (form.clone(), flash.clone(), slug());
                    Suspend::new(async move {
                        match admin_panel_visit(slug).await {
                            Ok(data) => view! { <VisitView data form flash /> }.into_any(),
                            Err(e) => error_page(e),
                        }
                    })
                }
            }
        </Suspense>
    }
}

fn group(error: bool) -> &'static str {
    if error {
        "nhsuk-form-group nhsuk-form-group--error"
    } else {
        "nhsuk-form-group"
    }
}

/// "2 April 2015" from `YYYY-MM-DD`.
fn day(on: &str) -> String {
    day_of(on)
}

/// The visit as a summary list and, once recorded, its findings: also shown to members on
/// their score sheet.
#[component]
pub fn VisitSummary(visit: Visit, questions: Vec<(String, String)>) -> impl IntoView {
    let status = match (&visit.reported_at, &visit.reported_by) {
        (Some(at), Some(by)) => format!("Findings recorded on {} by {by}", day_of(at)),
        _ => "Findings not recorded yet".to_string(),
    };
    let row = |key: &'static str, value: String| {
        view! {
            <div class="nhsuk-summary-list__row">
                <dt class="nhsuk-summary-list__key">{key}</dt>
                <dd class="nhsuk-summary-list__value">{value}</dd>
            </div>
        }
    };
    let findings = visit.reported().then(|| {
        let rows = questions
            .iter()
            .map(|(code, title)| {
                let finding = visit.finding(code).unwrap_or("Not recorded").to_string();
                view! {
                    <div class="nhsuk-summary-list__row">
                        <dt class="nhsuk-summary-list__key">{title.clone()}</dt>
                        <dd class="nhsuk-summary-list__value">{finding}</dd>
                    </div>
                }
            })
            .collect_view();
        let documents = if visit.documents.is_empty() {
            view! { <p>"The visit checked no documents."</p> }.into_any()
        } else {
            let rows = visit
                .documents
                .iter()
                .map(|(d, f)| {
                    view! {
                        <div class="nhsuk-summary-list__row">
                            <dt class="nhsuk-summary-list__key">{d.clone()}</dt>
                            <dd class="nhsuk-summary-list__value">{f.clone()}</dd>
                        </div>
                    }
                })
                .collect_view();
            view! { <dl class="nhsuk-summary-list">{rows}</dl> }.into_any()
        };
        view! {
            <h3>"What the visit found"</h3>
            <dl class="nhsuk-summary-list">{rows}</dl>
            <h3>"Documents checked"</h3>
            {documents}
        }
    });
    view! {
        <dl class="nhsuk-summary-list">
            {row("Date", day(&visit.on))}
            {row(if visit.reported() { "Members who went" } else { "Members who go" }, visit.members.join(", "))}
            {row(if visit.reported() { "What they looked at" } else { "What they look at" }, visit.scope.clone())}
            {row("Findings", status)}
        </dl>
        {findings}
    }
}

#[component]
fn VisitView(data: VisitPage, form: FormState, flash: Option<String>) -> impl IntoView {
    let heading = format!("Site visit: {}", data.name);
    let title = if form.errors.is_empty() {
        heading.clone()
    } else {
        format!("Error: {heading}")
    };
    let action = format!("/admin/panel/{}", data.economy);
    let questions: Vec<(String, String)> = data
        .panel
        .questions
        .iter()
        .map(|q| (q.code.clone(), q.title.clone()))
        .collect();
    let reported = data.visit.as_ref().is_some_and(Visit::reported);
    // The page has two forms: the values given are shown again only in the one they came
    // from; the other keeps what is stored.
    let given_in = |action: &str| {
        if form.values.get("action").map(String::as_str) == Some(action) {
            form.clone()
        } else {
            FormState {
                errors: form.errors.clone(),
                ..FormState::default()
            }
        }
    };
    let (schedule_form, findings_state) = (given_in("schedule"), given_in("findings"));
    let summary = data.visit.clone().map(
        |visit| view! { <h2>"The visit"</h2> <VisitSummary visit questions=questions.clone() /> },
    );
    let schedule = (data.round_open && !reported).then(|| {
        let moving = data.visit.is_some();
        let going: Vec<String> = if schedule_form.values.is_empty() {
            data.visit.as_ref().map(|v| v.members.clone()).unwrap_or_default()
        } else {
            schedule_form.values
                .get("visit-members")
                .map(|m| m.split(',').map(str::to_string).collect())
                .unwrap_or_default()
        };
        let e_members = schedule_form.error_for("visit-members");
        let members = data
            .members
            .iter()
            .enumerate()
            .map(|(i, m)| {
                let id = if i == 0 { "visit-members".to_string() } else { format!("visit-members-{i}") };
                view! {
                    <div class="nhsuk-checkboxes__item">
                        <input class="nhsuk-checkboxes__input" id=id.clone() name="member" type="checkbox" value=m.clone() checked=going.contains(m) />
                        <label class="nhsuk-label nhsuk-checkboxes__label" for=id>{m.clone()}</label>
                    </div>
                }
            })
            .collect_view();
        let e_scope = schedule_form.error_for("scope");
        let scope = if schedule_form.values.is_empty() {
            data.visit.as_ref().map(|v| v.scope.clone()).unwrap_or_default()
        } else {
            schedule_form.value("scope")
        };
        view! {
            <h2 id="schedule">{if moving { "Move the visit" } else { "Schedule the visit" }}</h2>
            <form method="post" action=action.clone() novalidate>
                <input type="hidden" name="action" value="schedule" />
                <DateInput name="visit" legend="Date of the visit" hint="For example, 2 4 2015".to_string() form=schedule_form.clone() given=data.visit.as_ref().map(|v| v.on.clone()) />
                <div class=group(e_members.is_some())>
                    <fieldset class="nhsuk-fieldset" aria-describedby="visit-members-hint">
                        <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">"Members who go"</legend>
                        <div class="nhsuk-hint" id="visit-members-hint">"Members of the round with a conflict of interest with this economy are not listed."</div>
                        {error_message("visit-members-error".into(), e_members.clone())}
                        <div class="nhsuk-checkboxes">{members}</div>
                    </fieldset>
                </div>
                <div class=group(e_scope.is_some())>
                    <label class="nhsuk-label" for="scope">"What the visit will look at"</label>
                    <div class="nhsuk-hint" id="scope-hint">"For example, the shared record in use on a ward, the data sharing agreement, the benefits register."</div>
                    {error_message("scope-error".into(), e_scope.clone())}
                    <textarea class="nhsuk-textarea" id="scope" name="scope" rows="4" aria-describedby="scope-hint">{scope}</textarea>
                </div>
                <button class="nhsuk-button" type="submit">{if moving { "Move the visit" } else { "Schedule the visit" }}</button>
            </form>
        }
    });
    let findings_form = data.visit.clone().filter(|_| data.round_open).map(|visit| {
        if data.today < visit.on {
            return view! {
                <h2 id="findings">"Findings"</h2>
                <p>{format!("You can record the findings from {}, the day of the visit.", day(&visit.on))}</p>
            }
            .into_any();
        }
        let e_findings = findings_state.error_for("findings");
        let fields = data
            .panel
            .questions
            .iter()
            .map(|q| {
                let field = format!("finding-{}", q.code);
                let e = findings_state.error_for(&field);
                let text = if findings_state.values.is_empty() {
                    visit.finding(&q.code).unwrap_or_default().to_string()
                } else {
                    findings_state.value(&field)
                };
                let hint_id = format!("{field}-hint");
                view! {
                    <div class=group(e.is_some())>
                        <label class="nhsuk-label nhsuk-label--s" for=field.clone()>{q.title.clone()}</label>
                        <div class="nhsuk-hint" id=hint_id.clone()>{q.guidance.clone().unwrap_or_else(|| "What the visit saw for this question.".into())}</div>
                        {error_message(format!("{field}-error"), e.clone())}
                        <textarea class="nhsuk-textarea" id=field.clone() name=field rows="3" aria-describedby=hint_id>{text}</textarea>
                    </div>
                }
            })
            .collect_view();
        let doc_errors: Vec<String> = form
            .errors
            .iter()
            .filter(|(f, _)| f == "documents")
            .map(|(_, m)| m.clone())
            .collect();
        let doc_error = !doc_errors.is_empty();
        let documents = if findings_state.values.is_empty() {
            visit
                .documents
                .iter()
                .map(|(d, f)| format!("{d}: {f}"))
                .collect::<Vec<_>>()
                .join("\n")
        } else {
            findings_state.value("documents")
        };
        view! {
            <h2 id="findings">{if reported { "Correct the findings" } else { "Record the findings" }}</h2>
            <p>"Members see the findings on their score sheet, and can submit their sheet for this candidate only once they are recorded."</p>
            <form method="post" action=action.clone() novalidate>
                <input type="hidden" name="action" value="findings" />
                {error_message("findings-error".into(), e_findings)}
                {fields}
                <div class=group(doc_error)>
                    <label class="nhsuk-label nhsuk-label--s" for="documents">"Documents checked"</label>
                    <div class="nhsuk-hint" id="documents-hint">"One document a line: the document, a colon, then what the visit found. For example, Data sharing agreement: signed by all five partners in January 2015."</div>
                    {doc_errors.into_iter().map(|m| view! { <span class="nhsuk-error-message"><span class="nhsuk-u-visually-hidden">"Error: "</span>{m}</span> }).collect_view()}
                    <textarea class="nhsuk-textarea" id="documents" name="documents" rows="5" aria-describedby="documents-hint">{documents}</textarea>
                </div>
                <button class="nhsuk-button" type="submit">{if reported { "Correct the findings" } else { "Record the findings" }}</button>
            </form>
        }
        .into_any()
    });
    let none = (data.visit.is_none() && !data.round_open)
        .then(|| view! { <p>"The round is closed. No visit was made to this candidate."</p> });
    view! {
        <Title text=title />
        <ErrorSummary form=form.clone() />
        <Notice text=flash.or(form.notice.clone()) />
        <a class="nhsuk-back-link" href="/admin/panel">"Back to the selection panel's round"</a>
        <h1>{heading}</h1>
        {summary}
        {none}
        {schedule}
        {findings_form}
    }
}
