//! `/assess/economies/{slug}`: everything board staff need on one candidate: every
//! criterion's value, status, evidence, last review and history; live scores and verified
//! scores over time; gates, stage and trajectory; the nomination and member organisations;
//! assessors' notes (internal) and the shortlist record.

use crate::domain::assessment::view::AssessEconomyView;
use crate::domain::Status;
use crate::error::AppError;
use crate::ui::components::error_page;
use crate::ui::format::long_date;
use crate::ui::forms::{ErrorSummary, Notice};
use crate::ui::session::{form_state, session_info, FormState};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[server(prefix = "/_fn", endpoint = "assess-economy")]
pub async fn assess_economy(slug: String) -> Result<AssessEconomyView, AppError> {
    use crate::domain::account::Role;
    let user = crate::ui::session::require(Role::Assessor)?;
    let state = crate::state::app_state()?;
    let mut view = crate::assessment::economy_view(
        &state.pool,
        &crate::error::page_slug(&slug)?,
        state.today(),
    )
    .await?;
    view.assigned_to_me = view.assigned.as_deref() == Some(user.email.as_str());
    Ok(view)
}

#[component]
pub fn AssessEconomyPage() -> impl IntoView {
    let slug = use_params_map()
        .with_untracked(|p| p.get("slug"))
        .unwrap_or_default();
    let form = form_state();
    let flash = session_info().flash;
    view! {
        <Suspense fallback=|| ()>
            {
                let (slug, form, flash) = (slug.clone(), form.clone(), flash.clone());
                move || {
                    let (slug, form, flash) = (slug.clone(), form.clone(), flash.clone());
                    Suspend::new(async move {
                        match assess_economy(slug).await {
                            Ok(data) => view! { <AssessEconomy data form flash /> }.into_any(),
                            Err(e) => error_page(e),
                        }
                    })
                }
            }
        </Suspense>
    }
}

fn status_tag(status: Status) -> AnyView {
    let (class, text) = match status {
        Status::Verified => ("nhsuk-tag nhsuk-tag--green", "Verified"),
        Status::Rejected => ("nhsuk-tag nhsuk-tag--red", "Returned"),
        Status::Submitted => ("nhsuk-tag nhsuk-tag--blue", "Submitted"),
    };
    view! { <strong class=class>{text}</strong> }.into_any()
}

#[component]
fn AssessEconomy(data: AssessEconomyView, form: FormState, flash: Option<String>) -> impl IntoView {
    let title = if form.errors.is_empty() {
        format!("{} – assessment", data.name)
    } else {
        format!("Error: {} – assessment", data.name)
    };
    let slug = data.slug.clone();
    let quarters = data
        .quarters
        .iter()
        .rev()
        .map(|q| {
            view! {
                <tr class="nhsuk-table__row">
                    <th class="nhsuk-table__header" scope="row">{q.quarter.to_string()}</th>
                    <td class="nhsuk-table__cell">{format!("{:.1}", q.overall)}</td>
                    <td class="nhsuk-table__cell">{format!("{:.1}", q.verified_overall)}</td>
                    <td class="nhsuk-table__cell">{format!("{:.1}%", q.completeness)}</td>
                    <td class="nhsuk-table__cell">{format!("{:.1}%", q.confidence)}</td>
                    <td class="nhsuk-table__cell">{q.stage.to_string()}</td>
                    <td class="nhsuk-table__cell">{if q.eligible { "Yes" } else { "No" }}</td>
                </tr>
            }
        })
        .collect_view();
    let values = data
        .values
        .iter()
        .map(|v| {
            let (value, status) = match &v.latest {
                Some(l) => (
                    view! {
                        {format!("{} ({})", if l.value.is_empty() { "not yet achieved" } else { l.value.as_str() }, l.period)}
                        {l.late.then(|| view! { " " <strong class="nhsuk-tag nhsuk-tag--orange">"Late"</strong> })}
                    }
                    .into_any(),
                    status_tag(l.status),
                ),
                None => (view! { "No value submitted" }.into_any(), view! { <strong class="nhsuk-tag nhsuk-tag--grey">"Missing"</strong> }.into_any()),
            };
            let evidence = {
                let period = v.latest.as_ref().map(|l| l.period.to_string()).unwrap_or_default();
                let doc = v.document.clone().map(|d| {
                    view! { <a href=format!("/assess/economies/{slug}/evidence/{period}/{}", v.code) download="">{d}</a><br /> }
                });
                let link = v.link.clone().map(|l| view! { <a href=l.clone() rel="noopener noreferrer nofollow">{l.clone()}</a> });
                view! { {doc}{link} }
            };
            let review = match v.review.as_ref() {
                Some(r) => format!(
                    "{} {} by {}{}",
                    crate::domain::review::outcome_words(&r.outcome),
                    crate::domain::format::day_of(&r.at),
                    r.by,
                    r.reason.as_ref().map(|x| format!(": {x}")).unwrap_or_default()
                ),
                None if v.latest.is_some() => "Not yet reviewed".to_string(),
                None => String::new(),
            };
            let reviews = (!v.reviews.is_empty()).then(|| {
                let items = v.reviews.iter().map(|r| view! { <li>{r.clone()}</li> }).collect_view();
                view! {
                    <details class="nhsuk-details">
                        <summary class="nhsuk-details__summary"><span class="nhsuk-details__summary-text">{format!("Reviews ({})", v.reviews.len())}</span></summary>
                        <div class="nhsuk-details__text"><ul class="nhsuk-body-s">{items}</ul></div>
                    </details>
                }
            });
            let history = (!v.history.is_empty()).then(|| {
                let items = v
                    .history
                    .iter()
                    .map(|h| {
                        view! {
                            <li>{format!(
                                "{}: {} → {} ({}), {} by {}{}",
                                h.period,
                                if h.old_value.is_empty() { "–" } else { h.old_value.as_str() },
                                h.new_value,
                                h.new_status.parse::<Status>().map(|s| s.words()).unwrap_or(h.new_status.as_str()),
                                crate::domain::format::day_of(&h.at),
                                h.by,
                                if h.late { ", late" } else { "" }
                            )}</li>
                        }
                    })
                    .collect_view();
                view! {
                    <details class="nhsuk-details">
                        <summary class="nhsuk-details__summary"><span class="nhsuk-details__summary-text">{format!("History ({})", v.history.len())}</span></summary>
                        <div class="nhsuk-details__text"><ul class="nhsuk-body-s">{items}</ul></div>
                    </details>
                }
            });
            let notes = [
                v.gate.then(|| "gate".to_string()),
                v.stage.map(|s| format!("stage {s}")),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ");
            view! {
                <tr class="nhsuk-table__row">
                    <th class="nhsuk-table__header" scope="row">{format!("{} ({})", v.title, v.code)}<br /><span class="nhsuk-body-s">{v.theme.clone()}{(!notes.is_empty()).then(|| format!(" · {notes}"))}</span></th>
                    <td class="nhsuk-table__cell">{value}</td>
                    <td class="nhsuk-table__cell">{status}</td>
                    <td class="nhsuk-table__cell">{evidence}</td>
                    <td class="nhsuk-table__cell">{review}{reviews}{history}</td>
                </tr>
            }
        })
        .collect_view();
    let trajectory = if data.achieved {
        "Has reached the paperless threshold.".to_string()
    } else {
        match data.paperless_date {
            Some(d) => format!(
                "On its trend it reaches the paperless threshold on {}: {}.",
                long_date(d),
                if data.on_track {
                    "on track"
                } else {
                    "not on track"
                }
            ),
            None => "No projected date for reaching the paperless threshold.".to_string(),
        }
    };
    let note_error = form.error_for("note");
    let notes = data
        .notes
        .iter()
        .map(|(body, at, by)| {
            view! { <li><p class="nhsuk-body-s nhsuk-u-margin-bottom-1">{format!("{} by {by}", crate::domain::format::day_of(at))}</p><p>{body.clone()}</p></li> }
        })
        .collect_view();
    let decisions = data
        .decisions
        .iter()
        .map(|d| {
            view! { <li>{format!("{}, {} by {}{}: {}", d.outcome, crate::domain::format::day_of(&d.at), d.by, if d.public { " (public)" } else { "" }, d.rationale)}</li> }
        })
        .collect_view();
    let orgs = data
        .organisations
        .iter()
        .map(|(n, code, kind)| view! { <li>{format!("{n}{} – {kind}", code.as_ref().map(|c| format!(" ({c})")).unwrap_or_default())}</li> })
        .collect_view();
    view! {
        <Title text=title />
        <nav class="nhsuk-breadcrumb" aria-label="Breadcrumb">
            <ol class="nhsuk-breadcrumb__list">
                <li class="nhsuk-breadcrumb__list-item"><a class="nhsuk-breadcrumb__link" href="/assess">"Review queue"</a></li>
            </ol>
        </nav>
        <ErrorSummary form=form.clone() />
        <Notice text=flash.or(form.notice.clone()) />
        <span class="nhsuk-caption-l">{format!("{} · {}", data.region, data.status)}</span>
        <h1>{data.name.clone()}</h1>
        <p>
            <a href=format!("/assess?economy={}", data.slug)>"Its values waiting for review"</a>
            " · "
            <a href=format!("/economies/{}", data.slug)>"Its public page"</a>
        </p>
        <h2 id="review">"Review"</h2>
        <dl class="nhsuk-summary-list">
            <div class="nhsuk-summary-list__row">
                <dt class="nhsuk-summary-list__key">"Assigned to"</dt>
                <dd class="nhsuk-summary-list__value">{data.assigned.clone().unwrap_or_else(|| "Nobody".to_string())}</dd>
                <dd class="nhsuk-summary-list__actions">
                    <form method="post" action=format!("/assess/economies/{}", data.slug)>
                        <input type="hidden" name="action" value=if data.assigned_to_me { "unassign" } else { "assign" } />
                        <button class="nhsuk-button nhsuk-button--secondary nhsuk-button--small nhsuk-u-margin-bottom-0" type="submit">
                            {if data.assigned_to_me { "Unassign me" } else { "Assign to me" }}
                            <span class="nhsuk-u-visually-hidden">{format!(": {}", data.name)}</span>
                        </button>
                    </form>
                </dd>
            </div>
        </dl>
        {if data.waiting.is_empty() {
            view! { <p>"None of its values wait for review."</p> }.into_any()
        } else {
            let forms = data.waiting.iter().map(|(period, keys)| {
                let hidden = keys.iter().map(|k| view! { <input type="hidden" name="key" value=k.clone() /> }).collect_view();
                view! {
                    <form method="post" action="/assess" class="exemplar-inline-form">
                        <input type="hidden" name="action" value="verify" />
                        <input type="hidden" name="back" value=format!("/assess/economies/{}", data.slug) />
                        {hidden}
                        <button class="nhsuk-button nhsuk-button--small" type="submit">
                            {format!("Verify all {} for {period}", crate::domain::types::count(keys.len(), "waiting value", "waiting values"))}
                        </button>
                    </form>
                }
            }).collect_view();
            view! {
                <p>"Check its values and evidence below first. You can undo a verification for a minute, from the review queue."</p>
                {forms}
            }.into_any()
        }}
        <h2>"Scores over time (live)"</h2>
        {if data.quarters.is_empty() {
            view! { <p>"The economy has not submitted any values yet, so it has no scores."</p> }.into_any()
        } else {
            view! {
                <div class="exemplar-table-scroll" tabindex="0" role="region" aria-label="Scores over time">
                    <table class="nhsuk-table">
                        <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">"Scores over time"</caption>
                        <thead class="nhsuk-table__head"><tr class="nhsuk-table__row">
                            <th class="nhsuk-table__header" scope="col">"Quarter"</th>
                            <th class="nhsuk-table__header" scope="col">"Overall"</th>
                            <th class="nhsuk-table__header" scope="col">"Verified overall"</th>
                            <th class="nhsuk-table__header" scope="col">"Completeness"</th>
                            <th class="nhsuk-table__header" scope="col">"Confidence"</th>
                            <th class="nhsuk-table__header" scope="col">"Stage"</th>
                            <th class="nhsuk-table__header" scope="col">"Eligible"</th>
                        </tr></thead>
                        <tbody class="nhsuk-table__body">{quarters}</tbody>
                    </table>
                </div>
            }.into_any()
        }}
        <h2>"Gates and trajectory"</h2>
        {if data.unmet_gates.is_empty() {
            view! { <p>"Every gate criterion is met."</p> }.into_any()
        } else {
            let items = data.unmet_gates.iter().map(|g| view! { <li>{g.clone()}</li> }).collect_view();
            view! { <p>"Gates not met:"</p><ul>{items}</ul> }.into_any()
        }}
        <p>{trajectory}</p>
        {(!data.reporting.is_empty()).then(|| view! {
            <h2 id="reporting">"Reporting, quarter by quarter"</h2>
            {crate::ui::pages::reporting_table(&data.reporting, format!("Completeness and timeliness of {}'s reporting", data.name))}
        })}
        <h2>"Every criterion"</h2>
        <div class="exemplar-table-scroll" tabindex="0" role="region" aria-label="Every criterion">
            <table class="nhsuk-table">
                <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">"Every criterion's latest value"</caption>
                <thead class="nhsuk-table__head"><tr class="nhsuk-table__row">
                    <th class="nhsuk-table__header" scope="col">"Criterion"</th>
                    <th class="nhsuk-table__header" scope="col">"Latest value"</th>
                    <th class="nhsuk-table__header" scope="col">"Status"</th>
                    <th class="nhsuk-table__header" scope="col">"Evidence"</th>
                    <th class="nhsuk-table__header" scope="col">"Review and history"</th>
                </tr></thead>
                <tbody class="nhsuk-table__body">{values}</tbody>
            </table>
        </div>
        <h2>"Nomination"</h2>
        {match data.nomination.clone() {
            Some(n) => view! {
                <p>{format!("Lead contact: {}, {} ({})", n.lead_name, n.lead_role, n.lead_email)}</p>
                <h3>"Vision"</h3><p>{n.vision}</p>
                <h3>"What is already in place"</h3><p>{n.in_place}</p>
                <h3>"Benefits expected for patients"</h3><p>{n.benefits}</p>
            }.into_any(),
            None => view! { <p>"No nomination statement was recorded: the board added this economy directly, not through a nomination."</p> }.into_any(),
        }}
        <h2>"Member organisations"</h2>
        {if data.organisations.is_empty() {
            view! { <p>"The economy has not listed any member organisations."</p> }.into_any()
        } else {
            view! { <ul>{orgs}</ul> }.into_any()
        }}
        <h2>"Shortlist record"</h2>
        {if data.decisions.is_empty() {
            view! { <p>"No proposal or decision has been recorded for this economy."</p> }.into_any()
        } else {
            view! { <ul>{decisions}</ul> }.into_any()
        }}
        <p><a href="/assess/shortlist">"The shortlist"</a></p>
        <crate::ui::pages::EconomyQuestions slug=data.slug.clone() form=form.clone() />
        <h2 id="notes">"Assessors' notes"</h2>
        <p>"Internal to the board: never shown to the economy or the public."</p>
        {if data.notes.is_empty() {
            view! { <p>"No assessor has added a note yet."</p> }.into_any()
        } else {
            view! { <ul class="nhsuk-list nhsuk-list--border">{notes}</ul> }.into_any()
        }}
        <form method="post" action=format!("/assess/economies/{}", data.slug) novalidate>
            <div class=if note_error.is_some() { "nhsuk-form-group nhsuk-form-group--error" } else { "nhsuk-form-group" }>
                <label class="nhsuk-label nhsuk-label--s" for="note">"Add a note"</label>
                {note_error.clone().map(|m| view! {
                    <span class="nhsuk-error-message" id="note-error"><span class="nhsuk-u-visually-hidden">"Error: "</span>{m}</span>
                })}
                <textarea class=if note_error.is_some() { "nhsuk-textarea nhsuk-textarea--error" } else { "nhsuk-textarea" }
                    id="note" name="note" rows="4" aria-describedby=note_error.as_ref().map(|_| "note-error")>{form.value("note")}</textarea>
            </div>
            <button class="nhsuk-button" type="submit" data-module="nhsuk-button">"Add note"</button>
        </form>
    }
}
