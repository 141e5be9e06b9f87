//! `/admin/users` (accounts and invitations) and `/admin/audit` (the audit log, its
//! hash chain, filters and CSV export). Admins only: the access rules stop everyone else,
//! and the data functions check again.

use crate::domain::account::view::{AdminUsersView, AuditQuery, AuditView};
use crate::error::AppError;
use crate::ui::components::{error_page, with_query, Pagination};
use crate::ui::forms::{field_value, ErrorSummary, Field, Notice};
use crate::ui::session::{current_user, form_state, session_info, FormState};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[server(prefix = "/_fn", endpoint = "admin-users")]
pub async fn users_data() -> Result<AdminUsersView, AppError> {
    crate::ui::session::require(crate::domain::account::Role::Admin)?;
    let state = crate::state::app_state()?;
    Ok(crate::accounts::users_view(&state.pool).await?)
}

#[component]
pub fn AdminUsersPage() -> impl IntoView {
    let form = form_state();
    let title = if form.errors.is_empty() {
        "Users"
    } else {
        "Error: Users"
    };
    view! {
        <Title text=title />
        <Suspense fallback=|| ()>
            {
                let form = form.clone();
                move || {
                    let form = form.clone();
                    Suspend::new(async move {
                        match users_data().await {
                            Ok(data) => view! { <AdminUsersList data form /> }.into_any(),
                            Err(e) => error_page(e),
                        }
                    })
                }
            }
        </Suspense>
    }
}

fn cell(text: impl Into<String>) -> impl IntoView {
    let text: String = text.into();
    view! { <td class="nhsuk-table__cell">{text}</td> }
}

#[component]
fn AdminUsersList(data: AdminUsersView, form: FormState) -> impl IntoView {
    let me = current_user().map(|u| u.id);
    let flash = session_info().flash;
    let (email, email_error) = field_value(&form, "email");
    let role = form.value("role");
    let role_error = form.error_for("role");
    let rows = data
        .users
        .into_iter()
        .map(|u| {
            let action = format!("/admin/users/{}", u.id);
            let who = u.email.clone();
            let toggle = if u.disabled { ("enable", "Enable") } else { ("disable", "Disable") };
            let staff = u.role == "assessor" || u.role == "admin";
            view! {
                <tr class="nhsuk-table__row">
                    <th class="nhsuk-table__header" scope="row">{u.email.clone()}</th>
                    {cell(u.role.clone())}
                    {cell(u.economy.clone().unwrap_or_default())}
                    {cell(if u.disabled { "Disabled".to_string() } else { crate::domain::types::count(u.sessions, "session", "sessions") })}
                    {cell(if u.second_factor { "Yes" } else if staff { "Not set up" } else { "Not needed" })}
                    <td class="nhsuk-table__cell exemplar-actions">
                        {(Some(u.id) != me).then(|| view! {
                            <form method="post" action=action.clone()>
                                <input type="hidden" name="action" value=toggle.0 />
                                <button class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" type="submit">
                                    {toggle.1}<span class="nhsuk-u-visually-hidden">{format!(" {who}")}</span>
                                </button>
                            </form>
                        })}
                        <form method="post" action=action.clone()>
                            <input type="hidden" name="action" value="end-sessions" />
                            <button class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" type="submit">
                                "End sessions"<span class="nhsuk-u-visually-hidden">{format!(" of {}", u.email)}</span>
                            </button>
                        </form>
                        {(staff && u.second_factor).then(|| view! {
                            <form method="post" action=action.clone()>
                                <input type="hidden" name="action" value="reset-second-factor" />
                                <button class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" type="submit">
                                    "Reset authenticator"<span class="nhsuk-u-visually-hidden">{format!(" of {}", u.email)}</span>
                                </button>
                            </form>
                        })}
                    </td>
                </tr>
            }
        })
        .collect_view();
    let no_invitations = data.invitations.is_empty();
    let invitations = data
        .invitations
        .into_iter()
        .map(|i| {
            view! {
                <tr class="nhsuk-table__row">
                    {cell(i.email)}{cell(i.role)}{cell(i.economy.unwrap_or_default())}{cell(i.invited_by)}{cell(crate::domain::format::at_time(&i.expires))}
                </tr>
            }
        })
        .collect_view();
    let role_group = if role_error.is_some() {
        "nhsuk-form-group nhsuk-form-group--error"
    } else {
        "nhsuk-form-group"
    };
    view! {
        <ErrorSummary form=form.clone() />
        <Notice text=flash.or(form.notice.clone()) />
        <h1>"Users"</h1>
        <crate::ui::components::AdminLinks />
        <div class="exemplar-table-scroll" tabindex="0" role="region" aria-label="Accounts">
            <table class="nhsuk-table">
                <caption class="nhsuk-table__caption">"Accounts"</caption>
                <thead class="nhsuk-table__head">
                    <tr class="nhsuk-table__row">
                        <th class="nhsuk-table__header" scope="col">"Email"</th>
                        <th class="nhsuk-table__header" scope="col">"Role"</th>
                        <th class="nhsuk-table__header" scope="col">"Economy"</th>
                        <th class="nhsuk-table__header" scope="col">"Status"</th>
                        <th class="nhsuk-table__header" scope="col">"Authenticator"</th>
                        <th class="nhsuk-table__header" scope="col">"Actions"</th>
                    </tr>
                </thead>
                <tbody class="nhsuk-table__body">{rows}</tbody>
            </table>
        </div>

        <h2 id="invite">"Invite board staff"</h2>
        <p>"Submitters are invited by their own economy's submitters. The invitation link works once, for 7 days."</p>
        <form method="post" action="/admin/users" novalidate>
            <input type="hidden" name="action" value="invite" />
            <Field name="email" label="Email address" kind="email" autocomplete="off" value=email error=email_error />
            <div class=role_group>
                <fieldset class="nhsuk-fieldset" aria-describedby=role_error.as_ref().map(|_| "role-error")>
                    <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">"Role"</legend>
                    {role_error.clone().map(|m| view! {
                        <span class="nhsuk-error-message" id="role-error"><span class="nhsuk-u-visually-hidden">"Error: "</span>{m}</span>
                    })}
                    <div class="nhsuk-radios">
                        <div class="nhsuk-radios__item">
                            <input class="nhsuk-radios__input" id="role" name="role" type="radio" value="assessor" checked=role == "assessor" />
                            <label class="nhsuk-label nhsuk-radios__label" for="role">"Assessor: reviews evidence, compares and shortlists"</label>
                        </div>
                        <div class="nhsuk-radios__item">
                            <input class="nhsuk-radios__input" id="role-admin" name="role" type="radio" value="admin" checked=role == "admin" />
                            <label class="nhsuk-label nhsuk-radios__label" for="role-admin">"Admin: also manages frameworks, nominations and accounts"</label>
                        </div>
                    </div>
                </fieldset>
            </div>
            <button class="nhsuk-button" type="submit" data-module="nhsuk-button">"Send invitation"</button>
        </form>

        <h2>"Invitations not yet accepted"</h2>
        {if no_invitations {
            view! { <p>"There are no invitations waiting to be accepted."</p> }.into_any()
        } else {
            view! {
                <div class="exemplar-table-scroll" tabindex="0" role="region" aria-label="Invitations not yet accepted">
                    <table class="nhsuk-table">
                        <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">"Invitations not yet accepted"</caption>
                        <thead class="nhsuk-table__head">
                            <tr class="nhsuk-table__row">
                                <th class="nhsuk-table__header" scope="col">"Email"</th>
                                <th class="nhsuk-table__header" scope="col">"Role"</th>
                                <th class="nhsuk-table__header" scope="col">"Economy"</th>
                                <th class="nhsuk-table__header" scope="col">"Invited by"</th>
                                <th class="nhsuk-table__header" scope="col">"Expires"</th>
                            </tr>
                        </thead>
                        <tbody class="nhsuk-table__body">{invitations}</tbody>
                    </table>
                </div>
            }.into_any()
        }}

        <h2>"Messages"</h2>
        <p>"Invitations and other messages the service sends, with how their delivery went, are on "<a href="/admin/messages">"the messages page"</a>"."</p>
    }
}

#[server(prefix = "/_fn", endpoint = "admin-audit")]
pub async fn audit_data(q: AuditQuery) -> Result<AuditView, AppError> {
    crate::ui::session::require(crate::domain::account::Role::Admin)?;
    let state = crate::state::app_state()?;
    let filter = crate::accounts::audit_filter(&q).map_err(AppError::BadRequest)?;
    Ok(crate::accounts::audit_view(&state.pool, &filter, &q.page).await?)
}

/// A filter's date as the NHS.UK date input (`{name}-day`, `-month`, `-year`), showing
/// `given` (`YYYY-MM-DD`) in its boxes.
fn filter_date(name: &'static str, legend: &'static str, given: String) -> impl IntoView {
    use chrono::Datelike;
    let parts = chrono::NaiveDate::parse_from_str(&given, "%Y-%m-%d")
        .map(|d| {
            [
                d.day().to_string(),
                d.month().to_string(),
                d.year().to_string(),
            ]
        })
        .unwrap_or_default();
    let boxes = [("day", "Day", 2), ("month", "Month", 2), ("year", "Year", 4)]
        .into_iter()
        .zip(parts)
        .map(|((part, label, width), value)| {
            let id = format!("{name}-{part}");
            view! {
                <div class="nhsuk-date-input__item">
                    <div class="nhsuk-form-group">
                        <label class="nhsuk-label nhsuk-date-input__label" for=id.clone()>{label}</label>
                        <input class=format!("nhsuk-input nhsuk-date-input__input nhsuk-input--width-{width}") id=id.clone() name=id type="text" inputmode="numeric" value=value />
                    </div>
                </div>
            }
        })
        .collect_view();
    view! {
        <div class="nhsuk-form-group">
            <fieldset class="nhsuk-fieldset" role="group" aria-describedby=format!("{name}-hint")>
                <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">{legend}</legend>
                <div class="nhsuk-hint" id=format!("{name}-hint")>"For example, 1 4 2015"</div>
                <div class="nhsuk-date-input" id=name>{boxes}</div>
            </fieldset>
        </div>
    }
}

#[component]
pub fn AdminAuditPage() -> impl IntoView {
    let q = use_query_map().with_untracked(|m| AuditQuery::from_pairs(|k| m.get(k)));
    view! {
        <Title text="Audit log" />
        <Suspense fallback=|| ()>
            {
                let q = q.clone();
                move || {
                    let q = q.clone();
                    Suspend::new(async move {
                        match audit_data(q.clone()).await {
                            Ok(data) => view! { <Audit data q /> }.into_any(),
                            Err(e) => error_page(e),
                        }
                    })
                }
            }
        </Suspense>
    }
}

#[component]
fn Audit(data: AuditView, q: AuditQuery) -> impl IntoView {
    let chain = match &data.chain {
        Ok(n) => view! {
            <div class="nhsuk-inset-text" role="status">
                <p>{format!("The audit log is intact: all {n} entries follow their hash chain.")}</p>
            </div>
        }
        .into_any(),
        Err((id, why)) => view! {
            <div class="nhsuk-warning-callout" role="alert">
                <h2 class="nhsuk-warning-callout__label"><span role="text"><span class="nhsuk-u-visually-hidden">"Important: "</span>"The audit log has been tampered with"</span></h2>
                <p>{format!("The hash chain breaks at entry {id}: {why}.")}</p>
            </div>
        }
        .into_any(),
    };
    let kinds = data
        .kinds
        .iter()
        .map(|k| {
            let selected = *k == q.kind;
            view! { <option value=k.clone() selected=selected>{k.clone()}</option> }
        })
        .collect_view();
    let filters = [
        ("economy", q.economy.as_str()),
        ("actor", q.actor.as_str()),
        ("kind", q.kind.as_str()),
        ("from", q.from.as_str()),
        ("to", q.to.as_str()),
    ];
    let csv = with_query("/admin/audit.csv", &filters);
    // Every page of these entries keeps the filters.
    let base = with_query("/admin/audit", &filters);
    let paging = data.paging.clone();
    let matching = paging.total;
    let rows = data
        .entries
        .into_iter()
        .map(|e| {
            let change = match (&e.before, &e.after) {
                (Some(b), Some(a)) => format!("{b} → {a}"),
                (None, Some(a)) => a.clone(),
                (Some(b), None) => format!("was {b}"),
                (None, None) => String::new(),
            };
            view! {
                <tr class="nhsuk-table__row">
                    {cell(e.id.to_string())}{cell(crate::domain::format::at_time(&e.at))}{cell(e.actor)}{cell(e.kind)}
                    {cell(e.economy.unwrap_or_default())}{cell(e.summary)}{cell(change)}
                </tr>
            }
        })
        .collect_view();
    let (economy, actor, from, to) = (
        q.economy.clone(),
        q.actor.clone(),
        q.from.clone(),
        q.to.clone(),
    );
    view! {
        <h1>"Audit log"</h1>
        <crate::ui::components::AdminLinks />
        {chain}
        <p>"Every change to accounts, frameworks, imports, values, decisions, nominations and publications is appended here with who, when, what, before and after. Each entry carries the hash of the one before, so a changed or removed entry shows."</p>
        <form method="get" action="/admin/audit" class="exemplar-filter">
            <div class="nhsuk-form-group">
                <label class="nhsuk-label" for="economy">"Economy (slug)"</label>
                <input class="nhsuk-input nhsuk-input--width-20" id="economy" name="economy" type="text" value=economy />
            </div>
            <div class="nhsuk-form-group">
                <label class="nhsuk-label" for="actor">"Person (email)"</label>
                <input class="nhsuk-input nhsuk-input--width-20" id="actor" name="actor" type="text" value=actor />
            </div>
            <div class="nhsuk-form-group">
                <label class="nhsuk-label" for="kind">"Kind"</label>
                <select class="nhsuk-select" id="kind" name="kind">
                    <option value="">"Any"</option>
                    {kinds}
                </select>
            </div>
            {filter_date("from", "From", from)}
            {filter_date("to", "To", to)}
            <button class="nhsuk-button nhsuk-button--secondary" type="submit">"Filter"</button>
        </form>
        <p><a href=csv download="">{if paging.pages > 1 {
            format!("Download all {} as CSV", crate::domain::types::count(matching, "entry", "entries"))
        } else {
            "Download these entries as CSV".to_string()
        }}</a></p>
        {(matching > 0).then(|| view! {
            {paging.past_end_words().map(|words| view! {
                <div class="nhsuk-inset-text" data-testid="past-end"><p>{words}</p></div>
            })}
            <p data-testid="audit-count">{if paging.pages > 1 {
                format!("{}, newest first.", paging.showing(if matching == 1 { "entry" } else { "entries" }))
            } else {
                format!("{} {}.", crate::domain::types::count(matching, "entry", "entries"), if matching == 1 { "matches" } else { "match" })
            }}</p>
        })}
        {if matching == 0 {
            view! { <p>"No entries match. Change or clear the filters to see more."</p> }.into_any()
        } else {
            view! {
                <div class="exemplar-table-scroll" tabindex="0" role="region" aria-label="Audit entries">
                    <table class="nhsuk-table">
                        <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">"Audit entries, newest first"</caption>
                        <thead class="nhsuk-table__head">
                            <tr class="nhsuk-table__row">
                                <th class="nhsuk-table__header" scope="col">"Entry"</th>
                                <th class="nhsuk-table__header" scope="col">"When (UTC)"</th>
                                <th class="nhsuk-table__header" scope="col">"Who"</th>
                                <th class="nhsuk-table__header" scope="col">"Kind"</th>
                                <th class="nhsuk-table__header" scope="col">"Economy"</th>
                                <th class="nhsuk-table__header" scope="col">"What"</th>
                                <th class="nhsuk-table__header" scope="col">"Before and after"</th>
                            </tr>
                        </thead>
                        <tbody class="nhsuk-table__body">{rows}</tbody>
                    </table>
                </div>
                <Pagination paging=paging.clone() base=base.clone() label="Pages of the audit log" />
            }.into_any()
        }}
    }
}
