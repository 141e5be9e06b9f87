//! `/my-economy/organisations` (the economy's member organisations) and `/my-economy/team`
//! (colleagues with accounts, invitations waiting, and inviting another colleague).

use crate::domain::account::view::TeamView;
use crate::domain::nomination::Organisation;
use crate::error::AppError;
use crate::ui::components::{error_page, FoundTable};
use crate::ui::forms::{ErrorSummary, Field, Notice};
use crate::ui::pages::EprForm;
use crate::ui::session::{form_state, session_info, FormState};
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrganisationsView {
    pub economy: String,
    pub organisations: Vec<(i64, Organisation)>,
    /// The economy's trusts in the EPR register.
    pub trusts: Vec<crate::ui::pages::EprEntry>,
    pub deadline: Option<String>,
    /// Members that other economies also list.
    pub shared: Vec<crate::domain::organisations::Overlap>,
    /// A search of the register (`?q=`), when one was made.
    pub results: Option<Vec<crate::domain::organisations::Found>>,
}

#[server(prefix = "/_fn", endpoint = "my-organisations")]
pub async fn my_organisations(q: String) -> Result<OrganisationsView, AppError> {
    let slug = crate::ui::session::require_submitter()?;
    let state = crate::state::app_state()?;
    let (name, organisations) = crate::submissions::organisations_of(&state.pool, &slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let fw = crate::service::active_framework(&state.pool)
        .await?
        .framework;
    let (register, deadline) = crate::trusts::register(&state.pool, &fw, state.today()).await?;
    let trusts = register
        .iter()
        .filter(|t| t.entry.economy.as_deref() == Some(slug.as_str()))
        .map(crate::ui::pages::EprEntry::from_status)
        .collect();
    let codes: Vec<String> = organisations
        .iter()
        .filter_map(|(_, o)| o.ods_code.clone())
        .collect();
    let shared = crate::organisations::overlaps(&state.pool, &codes, Some(slug.as_str())).await?;
    let results = if q.trim().is_empty() {
        None
    } else {
        Some(crate::organisations::search(&state.pool, &q, 20).await?)
    };
    Ok(OrganisationsView {
        organisations,
        economy: name,
        trusts,
        deadline: deadline.map(|d| d.to_string()),
        shared,
        results,
    })
}

#[server(prefix = "/_fn", endpoint = "my-team")]
pub async fn my_team() -> Result<TeamView, AppError> {
    let slug = crate::ui::session::require_submitter()?;
    let state = crate::state::app_state()?;
    crate::accounts::team_view(&state.pool, &slug)
        .await?
        .ok_or(AppError::NotFound)
}

fn breadcrumb() -> impl IntoView {
    view! {
        <nav class="nhsuk-breadcrumb" aria-label="Breadcrumb">
            <ol class="nhsuk-breadcrumb__list">
                <li class="nhsuk-breadcrumb__list-item"><a class="nhsuk-breadcrumb__link" href="/my-economy">"Your economy"</a></li>
            </ol>
        </nav>
    }
}

#[component]
pub fn OrganisationsPage() -> impl IntoView {
    let form = form_state();
    let q = leptos_router::hooks::use_query_map()
        .get_untracked()
        .get("q")
        .unwrap_or_default();
    let flash = session_info().flash;
    view! {
        <Suspense fallback=|| ()>
            {
                let form = form.clone();
                let flash = flash.clone();
                move || {
                    let form = form.clone();
                    let flash = flash.clone();
                    let q = q.clone();
                    Suspend::new(async move {
                        match my_organisations(q.clone()).await {
                            Ok(data) => view! { <Organisations data form flash q=q.clone() /> }.into_any(),
                            Err(e) => error_page(e),
                        }
                    })
                }
            }
        </Suspense>
    }
}

#[component]
fn Organisations(
    data: OrganisationsView,
    form: FormState,
    flash: Option<String>,
    q: String,
) -> impl IntoView {
    let title = if form.errors.is_empty() {
        "Member organisations"
    } else {
        "Error: Member organisations"
    };
    let rows = data
        .organisations
        .iter()
        .map(|(id, o)| {
            view! {
                <tr class="nhsuk-table__row">
                    <th class="nhsuk-table__header" scope="row">{o.name.clone()}</th>
                    <td class="nhsuk-table__cell">{o.ods_code.clone().unwrap_or_else(|| "–".into())}</td>
                    <td class="nhsuk-table__cell">{crate::domain::nomination::kind_words(&o.kind)}{
                        o.ods_code.as_ref().and_then(|c| data.shared.iter().find(|s| &s.code == c)).map(|s| view! {
                            <br /><strong class="nhsuk-tag nhsuk-tag--yellow">{format!("Also in {}", s.economies.join(", "))}</strong>
                        })
                    }</td>
                    <td class="nhsuk-table__cell">
                        <form method="post" action="/my-economy/organisations">
                            <input type="hidden" name="action" value="remove" />
                            <input type="hidden" name="id" value=id.to_string() />
                            <button class="nhsuk-button nhsuk-button--secondary nhsuk-button--small exemplar-inline-button" type="submit">
                                "Remove"<span class="nhsuk-u-visually-hidden">{format!(" {}", o.name)}</span>
                            </button>
                        </form>
                    </td>
                </tr>
            }
        })
        .collect_view();
    let results = data.results.clone().map(|list| {
        if list.is_empty() {
            return view! { <p>{format!("No NHS organisation matches \"{}\". Try part of its name, its town or its ODS code.", q.trim())}</p> }.into_any();
        }
        view! {
            <FoundTable caption=format!("Organisations matching \"{}\"", q.trim()) list post_to="/my-economy/organisations".to_string() />
        }.into_any()
    });
    view! {
        <Title text=title />
        {breadcrumb()}
        <ErrorSummary form=form.clone() />
        <Notice text=flash.or(form.notice.clone()) />
        <span class="nhsuk-caption-l">{data.economy.clone()}</span>
        <h1>"Member organisations"</h1>
        <p>"The trusts, GP practices and social care of your economy. The board's trust register shows each trust's electronic patient record status."</p>
        {if data.organisations.is_empty() && data.trusts.is_empty() {
            view! { <p>"Your economy has no member organisations yet: add them below."</p> }.into_any()
        } else if data.organisations.is_empty() {
            view! { <p>{format!(
                "You have not added any other organisations, such as GP practices or social care. Your {} in the board's register {} listed under \u{201c}Your trusts' electronic patient records\u{201d}.",
                crate::domain::types::count(data.trusts.len(), "trust", "trusts"),
                if data.trusts.len() == 1 { "is" } else { "are" }
            )}</p> }.into_any()
        } else {
            view! {
                <table class="nhsuk-table">
                    <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">"Member organisations"</caption>
                    <thead class="nhsuk-table__head">
                        <tr class="nhsuk-table__row">
                            <th class="nhsuk-table__header" scope="col">"Organisation"</th>
                            <th class="nhsuk-table__header" scope="col">"ODS code"</th>
                            <th class="nhsuk-table__header" scope="col">"Type"</th>
                            <th class="nhsuk-table__header" scope="col"><span class="nhsuk-u-visually-hidden">"Action"</span></th>
                        </tr>
                    </thead>
                    <tbody class="nhsuk-table__body">{rows}</tbody>
                </table>
            }.into_any()
        }}
        <h2>"Your trusts' electronic patient records"</h2>
        {if data.trusts.is_empty() {
            view! { <p>"None of the register's trusts is in your economy yet: the board keeps the register."</p> }.into_any()
        } else {
            let items = data.trusts.iter().map(|t| {
                view! {
                    <section class="exemplar-trust" aria-labelledby=format!("trust-{}", t.code)>
                        <h3 id=format!("trust-{}", t.code)>{format!("{} ({})", t.name, t.code)}</h3>
                        <p class="nhsuk-body-s">{t.compliance.clone()}</p>
                        <EprForm entry=t.clone() action="/my-economy/organisations".to_string()
                            evidence_href=format!("/my-economy/trusts/{}/evidence", t.code) form=form.clone() />
                    </section>
                }
            }).collect_view();
            view! {
                <p>{format!("Against the EPR deadline of {}. An operational EPR needs the date it went live; one still deploying needs its planned go-live date. Add evidence, such as the go-live assurance report: board staff check it.", data.deadline.clone().unwrap_or_else(|| "the framework".into()))}</p>
                {items}
            }.into_any()
        }}
        <h2>"Add an organisation"</h2>
        <p>"Give an NHS organisation by its ODS code: its name and type come from the NHS register. Give a social care partner by name."</p>
        <form method="get" action="/my-economy/organisations" role="search">
            <div class="nhsuk-form-group">
                <label class="nhsuk-label" for="q">"Find an NHS organisation by name or ODS code"</label>
                <div class="nhsuk-hint" id="q-hint">"For example, Leeds Teaching, RR8, or a GP practice's name or code such as B86001"</div>
                <input class="nhsuk-input nhsuk-u-width-two-thirds" id="q" name="q" type="search" value=q.clone() aria-describedby="q-hint" spellcheck="false" autocomplete="off" data-organisation-search="" data-results="organisation-results" data-post-to="/my-economy/organisations" />
                " "
                <button class="nhsuk-button nhsuk-button--secondary exemplar-inline-button" type="submit">"Search"</button>
            </div>
        </form>
        // As the person types, the results are drawn here (nhsuk-init.js).
        <div id="organisation-results">{results}</div>
        <form method="post" action="/my-economy/organisations" novalidate>
            <input type="hidden" name="action" value="add" />
            <Field name="ods_code" label="ODS code" hint="For example, RR8 or B86001" value=form.value("ods_code") error=form.error_for("ods_code") width="10" />
            <Field name="name" label="Or, for a social care partner, its name" hint="For example, Leeds City Council adult social care" value=form.value("name") error=form.error_for("name") />
            <button class="nhsuk-button" type="submit" data-module="nhsuk-button">"Add organisation"</button>
        </form>
    }
}

#[component]
pub fn TeamPage() -> impl IntoView {
    let form = form_state();
    let flash = session_info().flash;
    view! {
        <Suspense fallback=|| ()>
            {
                let form = form.clone();
                move || {
                    let form = form.clone();
                    let flash = flash.clone();
                    Suspend::new(async move {
                        match my_team().await {
                            Ok(data) => view! { <Team data form flash /> }.into_any(),
                            Err(e) => error_page(e),
                        }
                    })
                }
            }
        </Suspense>
    }
}

/// The economy's lead: who they are, and the form to name another.
fn lead_form(data: &TeamView, form: &FormState) -> impl IntoView {
    if data.submitters.len() < 2 {
        return view! {
            <p>"When more than one person in your economy can submit, a named lead checks and signs off each quarter before it goes to the board. You are the only one now, so no sign-off is needed."</p>
        }
        .into_any();
    }
    let chosen = if form.values.contains_key("lead") {
        form.value("lead")
    } else {
        data.lead.clone().unwrap_or_default()
    };
    let error = form.error_for("lead");
    let options = data
        .submitters
        .iter()
        .map(|s| view! { <option value=s.clone() selected=*s == chosen>{s.clone()}</option> })
        .collect_view();
    view! {
        <p>{match &data.lead {
            Some(l) => format!("{l} is your economy's lead: they check and sign off each quarter before anyone submits it."),
            None => "More than one person in your economy can submit, so a named lead checks and signs off each quarter before it is submitted. Name one now: until you do, nobody can submit.".to_string(),
        }}</p>
        <form method="post" action="/my-economy/team" novalidate>
            <input type="hidden" name="action" value="lead" />
            <div class=if error.is_some() { "nhsuk-form-group nhsuk-form-group--error" } else { "nhsuk-form-group" }>
                <label class="nhsuk-label" for="lead">"Lead"</label>
                {crate::ui::forms::error_message("lead-error".to_string(), error.clone())}
                <select class=if error.is_some() { "nhsuk-select nhsuk-select--error" } else { "nhsuk-select" } id="lead" name="lead"
                    aria-describedby=error.as_ref().map(|_| "lead-error")>
                    <option value="" selected=chosen.is_empty()>"Select a colleague"</option>
                    {options}
                </select>
            </div>
            <button class="nhsuk-button nhsuk-button--secondary" type="submit" data-module="nhsuk-button">{if data.lead.is_some() { "Change the lead" } else { "Name the lead" }}</button>
        </form>
    }
    .into_any()
}

#[component]
fn Team(data: TeamView, form: FormState, flash: Option<String>) -> impl IntoView {
    let title = if form.errors.is_empty() {
        "Your team"
    } else {
        "Error: Your team"
    };
    let colleagues = data
        .colleagues
        .iter()
        .map(|(email, disabled)| {
            view! { <li>{email.clone()}{disabled.then_some(" (disabled)")}</li> }
        })
        .collect_view();
    let invitations = data
        .invitations
        .iter()
        .map(|(email, by, expires)| {
            view! { <li>{format!("{email}, invited by {by}, until {}", crate::domain::format::day_of(expires))}</li> }
        })
        .collect_view();
    view! {
        <Title text=title />
        {breadcrumb()}
        <ErrorSummary form=form.clone() />
        <Notice text=flash.or(form.notice.clone()) />
        <span class="nhsuk-caption-l">{data.economy.clone()}</span>
        <h1>"Your team"</h1>
        <h2>"Colleagues with an account"</h2>
        <ul>{colleagues}</ul>
        <h2 id="sign-off">"Who signs each quarter off"</h2>
        {lead_form(&data, &form)}
        <h2>"Invitations waiting"</h2>
        {if data.invitations.is_empty() {
            view! { <p>"There are no invitations waiting."</p> }.into_any()
        } else {
            view! { <ul>{invitations}</ul> }.into_any()
        }}
        <h2>"Invite a colleague"</h2>
        <p>"They can see and change everything of your economy's, as you can."</p>
        <form method="post" action="/my-economy/team" novalidate>
            <Field name="email" label="Their email address" kind="email" autocomplete="off" value=form.value("email") error=form.error_for("email") />
            <button class="nhsuk-button" type="submit" data-module="nhsuk-button">"Send invitation"</button>
        </form>
    }
}
