//! `/nominate` (a local health economy puts itself forward) and `/admin/nominations` (admins
//! accept or decline). Both forms post to the server and work without JavaScript.

use crate::domain::nomination::{
    codes_in, Known, Organisation, Window, ORGANISATION_KINDS, ORGANISATION_ROWS, REGIONS,
};
use crate::domain::organisations::{Found, Overlap};
use crate::error::AppError;
use crate::ui::components::{error_page, FoundTable};
use crate::ui::format::long_date;
use crate::ui::forms::{ErrorSummary, Field, Notice};
use crate::ui::session::{form_state, session_info, FormState};
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

/// What the nomination page needs beyond the form: the window, what the register says of the
/// codes given so far, which of them other economies already list, and a search's results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NominationPageData {
    pub window: Window,
    pub known: Vec<Known>,
    pub overlaps: Vec<Overlap>,
    /// `None` when nothing was searched for.
    pub results: Option<Vec<Found>>,
}

/// The most results a search shows.
const SEARCH_LIMIT: usize = 20;

#[server(prefix = "/_fn", endpoint = "nomination-page")]
pub async fn nomination_page(
    codes: Vec<String>,
    search: String,
) -> Result<NominationPageData, AppError> {
    let state = crate::state::app_state()?;
    let window = crate::nominations::window(&state.pool, state.today())
        .await
        .map_err(|_| AppError::Internal)?;
    let codes: Vec<String> = codes.into_iter().take(ORGANISATION_ROWS).collect();
    let known = crate::organisations::known(&state.pool, &codes).await?;
    let overlaps = crate::organisations::overlaps(&state.pool, &codes, None).await?;
    let results = if search.trim().is_empty() {
        None
    } else {
        Some(crate::organisations::search(&state.pool, &search, SEARCH_LIMIT).await?)
    };
    Ok(NominationPageData {
        window,
        known: codes.iter().filter_map(|c| known.get(c).cloned()).collect(),
        overlaps,
        results,
    })
}

#[component]
pub fn NominatePage() -> impl IntoView {
    let form = form_state();
    let title = if form.errors.is_empty() {
        "Nominate your local health economy"
    } else {
        "Error: Nominate your local health economy"
    };
    view! {
        <Title text=title />
        <Suspense fallback=|| ()>
            {
                let form = form.clone();
                move || {
                    let form = form.clone();
                    Suspend::new(async move {
                        let codes = codes_in(&form.values);
                        let search = form.value("org_search");
                        match nomination_page(codes, search).await {
                            Ok(data) => view! { <Nominate data form /> }.into_any(),
                            Err(e) => error_page(e),
                        }
                    })
                }
            }
        </Suspense>
    }
}

/// A textarea with its label, hint and error (NHS.UK pattern).
#[component]
fn TextArea(
    name: &'static str,
    label: &'static str,
    hint: &'static str,
    form: FormState,
) -> impl IntoView {
    let error = form.error_for(name);
    let value = form.value(name);
    let described = if error.is_some() {
        format!("{name}-hint {name}-error")
    } else {
        format!("{name}-hint")
    };
    view! {
        <div class=if error.is_some() { "nhsuk-form-group nhsuk-form-group--error" } else { "nhsuk-form-group" }>
            <label class="nhsuk-label nhsuk-label--s" for=name>{label}</label>
            <div class="nhsuk-hint" id=format!("{name}-hint")>{hint}</div>
            {error.clone().map(|m| view! {
                <span class="nhsuk-error-message" id=format!("{name}-error")><span class="nhsuk-u-visually-hidden">"Error: "</span>{m}</span>
            })}
            <textarea class=if error.is_some() { "nhsuk-textarea nhsuk-textarea--error" } else { "nhsuk-textarea" }
                id=name name=name rows="6" aria-describedby=described>{value}</textarea>
        </div>
    }
}

/// The form value that shows the answers to check instead of the form (set by the server
/// once the answers are valid).
pub const NOMINATION_CHECK: &str = "checking";

/// Every answer of the nomination as the lead will send it, each with a button back to the
/// form to change it, and the button that sends it. The answers travel as hidden fields:
/// nothing is kept until it is sent.
#[component]
fn CheckNomination(form: FormState, known: Vec<Known>, overlaps: Vec<Overlap>) -> impl IntoView {
    let v = |k: &str| form.value(k);
    let mut fields: Vec<(String, String)> = form
        .values
        .iter()
        .filter(|(k, _)| k.as_str() != NOMINATION_CHECK)
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    fields.sort();
    let hidden = fields
        .into_iter()
        .map(|(k, val)| view! { <input type="hidden" name=k value=val /> })
        .collect_view();
    let organisations = (1..=ORGANISATION_ROWS)
        .filter_map(|i| {
            let code = v(&format!("org-{i}-code")).trim().to_uppercase();
            let name = v(&format!("org-{i}-name")).trim().to_string();
            if code.is_empty() {
                return (!name.is_empty())
                    .then(|| format!("{name}: {}", kind_label("social-care")));
            }
            known
                .iter()
                .find(|k| k.code == code)
                .map(|k| format!("{} ({code}): {}", k.name, kind_label(&k.kind)))
        })
        .map(|line| view! { <li>{line}</li> })
        .collect_view();
    let shared = (!overlaps.is_empty()).then(|| view! {
        <div class="nhsuk-warning-callout">
            <h3 class="nhsuk-warning-callout__label"><span role="text"><span class="nhsuk-u-visually-hidden">"Important: "</span>"Organisations in other economies"</span></h3>
            <p>"These organisations are already members of other candidate economies. You can still nominate: economies often share a trust. The board will see this when it reviews your nomination."</p>
            <OverlapList overlaps=overlaps.clone() known=known.clone() />
        </div>
    });
    let row = |key: &'static str, value: AnyView, what: &'static str| {
        view! {
            <div class="nhsuk-summary-list__row">
                <dt class="nhsuk-summary-list__key">{key}</dt>
                <dd class="nhsuk-summary-list__value">{value}</dd>
                <dd class="nhsuk-summary-list__actions">
                    <button class="exemplar-link-button" type="submit" name="action" value="change">
                        "Change"<span class="nhsuk-u-visually-hidden">{format!(" {what}")}</span>
                    </button>
                </dd>
            </div>
        }
    };
    let text =
        |k: &str| view! { <span class="exemplar-pre">{v(k).trim().to_string()}</span> }.into_any();
    view! {
        <div class="nhsuk-grid-row">
            <div class="nhsuk-grid-column-two-thirds">
                <form method="post" action="/nominate" novalidate>
                    {hidden}
                    <h1>"Check your answers before sending your nomination"</h1>
                    <h2 class="nhsuk-heading-m">"Your economy"</h2>
                    <dl class="nhsuk-summary-list">
                        {row("Name", text("name"), "the name")}
                        {row("Region", text("region"), "the region")}
                        {row("Member organisations", view! { <ul class="nhsuk-list">{organisations}</ul> }.into_any(), "the member organisations")}
                    </dl>
                    {shared}
                    <h2 class="nhsuk-heading-m">"Lead contact"</h2>
                    <dl class="nhsuk-summary-list">
                        {row("Full name", text("lead_name"), "the lead contact's name")}
                        {row("Email address", text("lead_email"), "the lead contact's email address")}
                        {row("Job title", text("lead_role"), "the lead contact's job title")}
                    </dl>
                    <h2 class="nhsuk-heading-m">"Why your economy should be the exemplar"</h2>
                    <dl class="nhsuk-summary-list">
                        {row("Your vision", text("vision"), "your vision")}
                        {row("What is already in place", text("in_place"), "what is already in place")}
                        {row("Benefits you expect for patients", text("benefits"), "the benefits you expect")}
                    </dl>
                    <h2 class="nhsuk-heading-m">"Now send your nomination"</h2>
                    <p>"By sending it you confirm that your economy's organisations support the nomination and that the details are correct to the best of your knowledge. The board may publish your economy's name and region if it is accepted."</p>
                    <button class="nhsuk-button" type="submit" name="action" value="send" data-module="nhsuk-button">"Send nomination"</button>
                </form>
            </div>
        </div>
    }
}

/// The organisations of a list that other economies already claim, with those economies.
#[component]
fn OverlapList(overlaps: Vec<Overlap>, known: Vec<Known>) -> impl IntoView {
    let items = overlaps
        .into_iter()
        .map(|o| {
            let name = known
                .iter()
                .find(|k| k.code == o.code)
                .map(|k| k.name.clone())
                .unwrap_or_default();
            view! { <li>{format!("{name} ({}): also in {}", o.code, o.economies.join(", "))}</li> }
        })
        .collect_view();
    view! { <ul>{items}</ul> }
}

/// The search of the register inside the nomination form: it posts the form (nothing typed is
/// lost) and each result's button puts its code in the first empty row.
#[component]
fn OrganisationSearch(form: FormState, results: Option<Vec<Found>>) -> impl IntoView {
    let error = form.error_for("org_search");
    let group = if error.is_some() {
        "nhsuk-form-group nhsuk-form-group--error"
    } else {
        "nhsuk-form-group"
    };
    let described = if error.is_some() {
        "org_search-hint org_search-error"
    } else {
        "org_search-hint"
    };
    let searched = form.value("org_search");
    let results = results.map(|list| {
        if list.is_empty() {
            return view! { <p>{format!("No NHS organisation matches \"{}\". Try part of its name, its town or its ODS code.", searched.trim())}</p> }.into_any();
        }
        let count = list.len();
        let caption = format!(
            "{} matching \"{}\"{}",
            if count == 1 { "1 organisation".to_string() } else { format!("{count} organisations") },
            searched.trim(),
            if count == SEARCH_LIMIT { ": the first 20, search for more of the name to narrow them" } else { "" }
        );
        view! { <FoundTable caption list /> }.into_any()
    });
    view! {
        <div class=group>
            <label class="nhsuk-label" for="org_search">"Find an NHS organisation by name or ODS code"</label>
            <div class="nhsuk-hint" id="org_search-hint">"For example, Leeds Teaching, RR8, or a GP practice's name or code such as B86001"</div>
            {error.map(|m| view! { <span class="nhsuk-error-message" id="org_search-error"><span class="nhsuk-u-visually-hidden">"Error: "</span>{m}</span> })}
            <input class="nhsuk-input nhsuk-u-width-two-thirds" id="org_search" name="org_search" type="search" value=searched.clone() aria-describedby=described spellcheck="false" autocomplete="off" data-organisation-search="" data-results="org-search-results" />
            " "
            <button class="nhsuk-button nhsuk-button--secondary exemplar-inline-button" type="submit" name="action" value="search">"Search"</button>
        </div>
        // As the person types, the results are drawn here (nhsuk-init.js).
        <div id="org-search-results">{results}</div>
    }
}

#[component]
fn Nominate(data: NominationPageData, form: FormState) -> impl IntoView {
    let NominationPageData {
        window,
        known,
        overlaps,
        results,
    } = data;
    match window {
        Window::NotYet { opens } => {
            return view! {
                <h1>"Nominations are not open yet"</h1>
                <p>{format!("Local health economies can nominate themselves from {}.", long_date(opens))}</p>
            }
            .into_any()
        }
        Window::Closed { closed } => {
            return view! {
                <h1>"Nominations have closed"</h1>
                <p>{format!("Nominations closed on {}. You can follow the candidates' progress on the ", long_date(closed))}<a href="/economies">"economies page"</a>"."</p>
            }
            .into_any()
        }
        Window::Open { .. } if form.notice.is_some() => {
            return view! {
                <div class="nhsuk-panel nhsuk-panel--confirmation">
                    <h1 class="nhsuk-panel__title">"Nomination received"</h1>
                    <div class="nhsuk-panel__body">{form.notice.clone()}</div>
                </div>
                <h2>"What happens next"</h2>
                <p>"The board will review your nomination. We will write to your lead contact with the decision. If it is accepted, the lead contact is sent a link to set a password and report your economy's progress."</p>
                <p><a href="/">"Go to the national progress page"</a></p>
            }
            .into_any()
        }
        Window::Open { .. } if form.value(NOMINATION_CHECK) == "yes" => {
            return view! { <CheckNomination form=form.clone() known overlaps /> }.into_any()
        }
        Window::Open { closes } => {
            let region = form.value("region");
            let region_error = form.error_for("region");
            let region_class = if region_error.is_some() { "nhsuk-form-group nhsuk-form-group--error" } else { "nhsuk-form-group" };
            let regions = REGIONS
                .iter()
                .map(|r| view! { <option value=*r selected=region == *r>{*r}</option> })
                .collect_view();
            let added = form.value("org_added");
            let rows = (1..=ORGANISATION_ROWS)
                .map(|i| {
                    let (n, c) = (format!("org-{i}-name"), format!("org-{i}-code"));
                    let code = form.value(&c).trim().to_uppercase();
                    let errors: Vec<String> = [&c, &n].iter().filter_map(|f| form.error_for(f)).collect();
                    let found = known.iter().find(|k| k.code == code).map(|k| format!("{} ({})", k.name, kind_label(&k.kind).to_lowercase()));
                    let shared = overlaps.iter().find(|o| o.code == code).map(|o| format!("Also in {}", o.economies.join(", ")));
                    let group = if errors.is_empty() { "nhsuk-form-group exemplar-org-row" } else { "nhsuk-form-group nhsuk-form-group--error exemplar-org-row" };
                    let code_hint = format!("{c}-found");
                    view! {
                        <fieldset class=group>
                            <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">{format!("Organisation {i}")}{(added == i.to_string()).then(|| view! { <span class="nhsuk-u-visually-hidden">" (just added)"</span> })}</legend>
                            {errors.into_iter().map(|m| view! {
                                <span class="nhsuk-error-message"><span class="nhsuk-u-visually-hidden">"Error: "</span>{m}</span>
                            }).collect_view()}
                            <label class="nhsuk-label" for=c.clone()>"ODS code"</label>
                            <input class="nhsuk-input nhsuk-input--width-10" id=c.clone() name=c.clone() type="text" value=form.value(&c) spellcheck="false" autocomplete="off"
                                aria-describedby=found.as_ref().map(|_| code_hint.clone()) />
                            {found.map(|f| view! { <p class="nhsuk-body-s exemplar-found" id=code_hint.clone()>{f}{shared.map(|s| view! { <br /><strong>{s}</strong> })}</p> })}
                            <label class="nhsuk-label" for=n.clone()>"Or, for a social care partner, its name"</label>
                            <input class="nhsuk-input" id=n.clone() name=n.clone() type="text" value=form.value(&n) />
                        </fieldset>
                    }
                })
                .collect_view();
            view! {
                <div class="nhsuk-grid-row">
                    <div class="nhsuk-grid-column-two-thirds">
                        <ErrorSummary form=form.clone() />
                        <h1>"Nominate your local health economy"</h1>
                        <p>"A local health economy is the acute, community and mental health trusts, GP practices and social care of an area. Nominate yours to become the NHS exemplar of interoperability: the place that shows, by mid-2015, that digital records are fundamental to patient outcomes."</p>
                        {closes.map(|d| view! { <p>{format!("Nominations close on {}.", long_date(d))}</p> })}
                        <form method="post" action="/nominate" novalidate>
                            <h2>"Your economy"</h2>
                            <Field name="name" label="Name of the local health economy" value=form.value("name") error=form.error_for("name") hint="For example, Wakefield health and care partnership" />
                            <div class=region_class>
                                <label class="nhsuk-label" for="region">"Region"</label>
                                {region_error.clone().map(|m| view! { <span class="nhsuk-error-message" id="region-error"><span class="nhsuk-u-visually-hidden">"Error: "</span>{m}</span> })}
                                <select class="nhsuk-select" id="region" name="region" aria-describedby=region_error.as_ref().map(|_| "region-error")>
                                    <option value="">"Choose a region"</option>
                                    {regions}
                                </select>
                            </div>
                            <h2>"Member organisations"</h2>
                            <p>"Give each NHS organisation in your economy (trusts, clinical commissioning groups and GP practices) by its ODS code, the code the NHS's Organisation Data Service gives it; its name and type come from the NHS register. Give social care partners by name. You can add more once your nomination is accepted."</p>
                            <OrganisationSearch form=form.clone() results />
                            {rows}
                            <h2>"Lead contact"</h2>
                            <p>"The lead contact gets the economy's first account to report its progress, and can invite colleagues."</p>
                            <Field name="lead_name" label="Full name" autocomplete="name" value=form.value("lead_name") error=form.error_for("lead_name") />
                            <Field name="lead_email" label="Email address" kind="email" autocomplete="email" value=form.value("lead_email") error=form.error_for("lead_email") />
                            <Field name="lead_role" label="Job title" autocomplete="organization-title" value=form.value("lead_role") error=form.error_for("lead_role") />
                            <h2>"Why your economy should be the exemplar"</h2>
                            <TextArea name="vision" label="Your vision" hint="What would digital records across health and social care change in your area?" form=form.clone() />
                            <TextArea name="in_place" label="What is already in place" hint="For example, electronic patient records, shared care records, GP2GP, electronic discharge summaries." form=form.clone() />
                            <TextArea name="benefits" label="Benefits you expect for patients" hint="What will patients notice, and how will you measure it?" form=form.clone() />
                            <button class="nhsuk-button" type="submit" name="action" value="check" data-module="nhsuk-button">"Continue"</button>
                        </form>
                    </div>
                </div>
            }
            .into_any()
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NominationView {
    pub row: crate::domain::nomination::NominationSummary,
    pub organisations: Vec<Organisation>,
    /// Its organisations that other economies also list.
    pub shared: Vec<Overlap>,
}

#[server(prefix = "/_fn", endpoint = "admin-nominations")]
pub async fn admin_nominations() -> Result<Vec<NominationView>, AppError> {
    crate::ui::session::require(crate::domain::account::Role::Admin)?;
    let state = crate::state::app_state()?;
    let mut out = Vec::new();
    for (n, organisations) in crate::nominations::all_with_organisations(&state.pool).await? {
        let codes: Vec<String> = organisations
            .iter()
            .filter_map(|o| o.ods_code.clone())
            .collect();
        let shared =
            crate::organisations::overlaps(&state.pool, &codes, Some(n.slug.as_str())).await?;
        out.push(NominationView {
            shared,
            row: crate::domain::nomination::NominationSummary {
                slug: n.slug,
                name: n.name,
                region: n.region,
                status: n.status,
                lead_name: n.lead_name,
                lead_email: n.lead_email,
                lead_role: n.lead_role,
                vision: n.vision,
                in_place: n.in_place,
                benefits: n.benefits,
                submitted_on: n.submitted_on,
                reason: n.reason,
                decided_by: n.decided_by,
            },
            organisations,
        });
    }
    Ok(out)
}

#[component]
pub fn AdminNominationsPage() -> impl IntoView {
    let form = form_state();
    let title = if form.errors.is_empty() {
        "Nominations"
    } else {
        "Error: Nominations"
    };
    view! {
        <Title text=title />
        <Suspense fallback=|| ()>
            {
                let form = form.clone();
                move || {
                    let form = form.clone();
                    Suspend::new(async move {
                        match admin_nominations().await {
                            Ok(list) => view! { <Nominations list form /> }.into_any(),
                            Err(e) => error_page(e),
                        }
                    })
                }
            }
        </Suspense>
    }
}

fn kind_label(code: &str) -> &'static str {
    ORGANISATION_KINDS
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, l)| *l)
        .unwrap_or("Other")
}

#[component]
fn Nominations(list: Vec<NominationView>, form: FormState) -> impl IntoView {
    let flash = session_info().flash;
    let (pending, decided): (Vec<_>, Vec<_>) =
        list.into_iter().partition(|n| n.row.status == "nominated");
    let pending_count = pending.len();
    let cards = pending
        .into_iter()
        .map(|n| {
            let slug = n.row.slug.clone();
            let reason_field = format!("reason-{slug}");
            let reason_error = form.error_for(&reason_field);
            let orgs = n
                .organisations
                .iter()
                .map(|o| {
                    let code = o.ods_code.clone().map(|c| format!(" ({c})")).unwrap_or_default();
                    let also = o.ods_code.as_ref().and_then(|c| n.shared.iter().find(|s| &s.code == c)).map(|s| view! {
                        " "<strong class="nhsuk-tag nhsuk-tag--yellow">{format!("Also in {}", s.economies.join(", "))}</strong>
                    });
                    view! { <li>{format!("{}{code}: {}", o.name, kind_label(&o.kind))}{also}</li> }
                })
                .collect_view();
            view! {
                <div class="nhsuk-card">
                    <div class="nhsuk-card__content">
                        <h2 class="nhsuk-card__heading">{n.row.name.clone()}</h2>
                        <p>{format!("{} · nominated on {} by {} ({}, {})", n.row.region, n.row.submitted_on, n.row.lead_name, n.row.lead_role, n.row.lead_email)}</p>
                        <h3>"Member organisations"</h3>
                        <ul>{orgs}</ul>
                        <h3>"Vision"</h3><p class="exemplar-statement">{n.row.vision.clone()}</p>
                        <h3>"Already in place"</h3><p class="exemplar-statement">{n.row.in_place.clone()}</p>
                        <h3>"Expected benefits for patients"</h3><p class="exemplar-statement">{n.row.benefits.clone()}</p>
                        <form method="post" action=format!("/admin/nominations/{slug}") novalidate>
                            <input type="hidden" name="decision" value="accept" />
                            <button class="nhsuk-button" type="submit">"Accept "<span class="nhsuk-u-visually-hidden">{n.row.name.clone()}</span>" as a candidate"</button>
                        </form>
                        <form method="post" action=format!("/admin/nominations/{slug}") novalidate>
                            <input type="hidden" name="decision" value="decline" />
                            <div class=if reason_error.is_some() { "nhsuk-form-group nhsuk-form-group--error" } else { "nhsuk-form-group" }>
                                <label class="nhsuk-label" for=reason_field.clone()>{format!("Reason for declining {}", n.row.name)}</label>
                                <div class="nhsuk-hint" id=format!("{reason_field}-hint")>"The economy is sent this reason."</div>
                                {reason_error.clone().map(|m| view! { <span class="nhsuk-error-message" id=format!("{reason_field}-error")><span class="nhsuk-u-visually-hidden">"Error: "</span>{m}</span> })}
                                <textarea class="nhsuk-textarea" id=reason_field.clone() name="reason" rows="3"
                                    aria-describedby=if reason_error.is_some() { format!("{reason_field}-hint {reason_field}-error") } else { format!("{reason_field}-hint") }></textarea>
                            </div>
                            <button class="nhsuk-button nhsuk-button--secondary" type="submit">"Decline "<span class="nhsuk-u-visually-hidden">{n.row.name.clone()}</span></button>
                        </form>
                    </div>
                </div>
            }
        })
        .collect_view();
    let none_decided = decided.is_empty();
    let rows = decided
        .into_iter()
        .map(|n| {
            let outcome = if n.row.status == "candidate" { "Accepted".to_string() } else { format!("Declined: {}", n.row.reason.clone().unwrap_or_default()) };
            view! {
                <tr class="nhsuk-table__row">
                    <td class="nhsuk-table__cell">{n.row.name.clone()}</td>
                    <td class="nhsuk-table__cell">{n.row.region.clone()}</td>
                    <td class="nhsuk-table__cell">{n.row.submitted_on.clone()}</td>
                    <td class="nhsuk-table__cell">{outcome}</td>
                    <td class="nhsuk-table__cell">{n.row.decided_by.clone().unwrap_or_default()}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <ErrorSummary form=form.clone() />
        <Notice text=flash />
        <h1>"Nominations"</h1>
        <crate::ui::components::AdminLinks />
        <p>{if pending_count == 0 { "No nominations are waiting for a decision.".to_string() } else { format!("{} waiting for a decision.", crate::domain::types::count(pending_count, "nomination", "nominations")) }}</p>
        {cards}
        <h2>"Decided"</h2>
        {if none_decided {
            view! { <p>"No nomination has been decided yet."</p> }.into_any()
        } else {
            view! {
                <div class="exemplar-table-scroll" tabindex="0" role="region" aria-label="Decided nominations">
                    <table class="nhsuk-table">
                        <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">"Decided nominations"</caption>
                        <thead class="nhsuk-table__head">
                            <tr class="nhsuk-table__row">
                                <th class="nhsuk-table__header" scope="col">"Economy"</th>
                                <th class="nhsuk-table__header" scope="col">"Region"</th>
                                <th class="nhsuk-table__header" scope="col">"Nominated"</th>
                                <th class="nhsuk-table__header" scope="col">"Decision"</th>
                                <th class="nhsuk-table__header" scope="col">"By"</th>
                            </tr>
                        </thead>
                        <tbody class="nhsuk-table__body">{rows}</tbody>
                    </table>
                </div>
            }.into_any()
        }}
    }
}
