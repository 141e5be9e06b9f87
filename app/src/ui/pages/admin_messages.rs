//! `/admin/messages`: the mail the service has sent and has still to send, with each
//! message's delivery (tries, the last error, the next try), filtered by state a page at a
//! time; a message that could not be delivered is sent again from here. Never a link.

use crate::domain::mail::view::{MessageLine, MessagesView};
use crate::domain::mail::DeliveryState;
use crate::domain::types::count;
use crate::error::AppError;
use crate::ui::components::{error_page, AdminLinks, Pagination};
use crate::ui::forms::Notice;
use crate::ui::session::session_info;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[server(prefix = "/_fn", endpoint = "admin-messages")]
pub async fn messages_data(state: String, page: String) -> Result<MessagesView, AppError> {
    crate::ui::session::require(crate::domain::account::Role::Admin)?;
    let app = crate::state::app_state()?;
    Ok(crate::mail::messages_view(&app.pool, &app.mailer, &state, &page).await?)
}

#[component]
pub fn AdminMessagesPage() -> impl IntoView {
    let (state, page) = use_query_map().with_untracked(|m| {
        (
            m.get("state").unwrap_or_default(),
            m.get("page").unwrap_or_default(),
        )
    });
    view! {
        <Title text="Messages" />
        <Suspense fallback=|| ()>
            {
                let (state, page) = (state.clone(), page.clone());
                move || {
                    let (state, page) = (state.clone(), page.clone());
                    Suspend::new(async move {
                        match messages_data(state, page).await {
                            Ok(data) => view! { <Messages data /> }.into_any(),
                            Err(e) => error_page(e),
                        }
                    })
                }
            }
        </Suspense>
    }
}

fn state_of(stored: &str) -> Option<DeliveryState> {
    DeliveryState::parse(stored)
}

fn tag(stored: &str) -> impl IntoView {
    let (class, label) = match state_of(stored) {
        Some(DeliveryState::Sent) => ("nhsuk-tag nhsuk-tag--green", "Sent"),
        Some(DeliveryState::Queued) => ("nhsuk-tag nhsuk-tag--blue", "Waiting to send"),
        Some(DeliveryState::Failed) => ("nhsuk-tag nhsuk-tag--red", "Not delivered"),
        Some(DeliveryState::Held) => ("nhsuk-tag nhsuk-tag--white", "Kept for the weekly summary"),
        Some(DeliveryState::Summarised) => {
            ("nhsuk-tag nhsuk-tag--green", "Sent in a weekly summary")
        }
        Some(DeliveryState::Skipped) => (
            "nhsuk-tag nhsuk-tag--grey",
            "Not sent: turned off by the recipient",
        ),
        None => ("nhsuk-tag nhsuk-tag--grey", "Unknown"),
    };
    view! { <strong class=class>{label}</strong> }
}

fn row(m: MessageLine) -> impl IntoView {
    let tries = (m.attempts > 0).then(|| {
        let times = if m.attempts == 1 {
            "once".to_string()
        } else {
            format!("{} times", m.attempts)
        };
        match m.state.as_str() {
            "sent" if m.attempts > 1 => Some(format!("Sent after trying {times}.")),
            "sent" => None,
            _ => Some(format!("Tried {times}.")),
        }
    });
    let error =
        m.last_error.clone().filter(|_| m.state != "sent").map(
            |e| view! { <p class="nhsuk-body-s nhsuk-u-margin-bottom-1">"Last error: "{e}</p> },
        );
    let next = m.next_attempt.clone().map(|w| {
        view! { <p class="nhsuk-body-s nhsuk-u-margin-bottom-1">"Next try "{w}"."</p> }
    });
    let resend = (m.state == "failed").then(|| {
        let action = format!("/admin/messages/{}", m.id);
        view! {
            <form method="post" action=action class="nhsuk-u-margin-top-2">
                <input type="hidden" name="action" value="resend" />
                <button class="nhsuk-button nhsuk-button--secondary nhsuk-button--small nhsuk-u-margin-bottom-0" type="submit" data-module="nhsuk-button">
                    "Send again"<span class="nhsuk-u-visually-hidden">{format!(" to {}", m.recipient)}</span>
                </button>
            </form>
        }
    });
    view! {
        <tr class="nhsuk-table__row">
            <td class="nhsuk-table__cell" role="cell"><span class="nhsuk-table-responsive__heading" aria-hidden="true">"Queued "</span>{m.at}</td>
            <td class="nhsuk-table__cell" role="cell"><span class="nhsuk-table-responsive__heading" aria-hidden="true">"To "</span>{m.recipient}</td>
            <td class="nhsuk-table__cell" role="cell">
                <span class="nhsuk-table-responsive__heading" aria-hidden="true">"Message "</span>
                <details class="nhsuk-details nhsuk-u-margin-bottom-0">
                    <summary class="nhsuk-details__summary"><span class="nhsuk-details__summary-text">{m.subject}</span></summary>
                    <div class="nhsuk-details__text exemplar-pre">{m.body}</div>
                </details>
            </td>
            <td class="nhsuk-table__cell" role="cell">
                <span class="nhsuk-table-responsive__heading" aria-hidden="true">"Delivery "</span>
                {tag(&m.state)}
                {tries.flatten().map(|t| view! { <p class="nhsuk-body-s nhsuk-u-margin-top-1 nhsuk-u-margin-bottom-1">{t}</p> })}
                {error}
                {next}
                {resend}
            </td>
        </tr>
    }
}

#[component]
fn Messages(data: MessagesView) -> impl IntoView {
    let flash = session_info().flash;
    let failed = data
        .counts
        .iter()
        .find(|(s, _)| s == "failed")
        .map_or(0, |(_, n)| *n);
    let total: i64 = data.counts.iter().map(|(_, n)| n).sum();
    let shown = data.state.clone().unwrap_or_default();
    let options = std::iter::once((
        String::new(),
        format!(
            "Every message ({})",
            count(total as usize, "message", "messages")
        ),
    ))
    .chain(data.counts.iter().map(|(s, n)| {
        let label = state_of(s).map_or("Unknown", DeliveryState::label);
        (s.clone(), format!("{label} ({n})"))
    }))
    .map(|(value, label)| {
        let selected = value == shown;
        view! { <option value=value selected=selected>{label}</option> }
    })
    .collect_view();
    let base = match &data.state {
        Some(s) => format!("/admin/messages?state={s}"),
        None => "/admin/messages".to_string(),
    };
    let empty = data.messages.is_empty();
    let what = match data.state.as_deref().and_then(state_of) {
        Some(DeliveryState::Queued) => "No message is waiting to be sent.",
        Some(DeliveryState::Sent) => "No message has been sent yet.",
        Some(DeliveryState::Failed) => "Every message has been delivered or is still being tried.",
        Some(DeliveryState::Held) => "No message is kept for a weekly summary.",
        Some(DeliveryState::Summarised) => "No weekly summary has been sent yet.",
        Some(DeliveryState::Skipped) => {
            "Nobody has turned off a message they would have been sent."
        }
        None => "The service has not had a message to send yet.",
    };
    let paging = data.paging.clone();
    let rows = data.messages.into_iter().map(row).collect_view();
    view! {
        <Notice text=flash />
        <h1>"Messages"</h1>
        <AdminLinks />
        <p>{format!("Mail goes to {}.", data.transport)}</p>
        <p>"A message that cannot be sent is tried again: first within 30 seconds, then less often, for a day. After a day it is marked not delivered, and you can send it again from here. A one-time link in a message is made new each time it is sent, so this page never shows it."</p>
        {(failed > 0).then(|| view! {
            <div class="nhsuk-warning-callout">
                <h2 class="nhsuk-warning-callout__label"><span role="text"><span class="nhsuk-u-visually-hidden">"Important: "</span>"Messages not delivered"</span></h2>
                <p>
                    {format!("{} could not be delivered. ", count(failed as usize, "message", "messages"))}
                    <a href="/admin/messages?state=failed">"See the messages not delivered"</a>
                </p>
            </div>
        })}
        <form method="get" action="/admin/messages">
            <div class="nhsuk-form-group">
                <label class="nhsuk-label" for="state">"Show"</label>
                <select class="nhsuk-select" id="state" name="state">{options}</select>
            </div>
            <button class="nhsuk-button nhsuk-button--secondary" type="submit" data-module="nhsuk-button">"Show messages"</button>
        </form>
        {if empty {
            view! { <p id="messages">{what}</p> }.into_any()
        } else {
            view! {
                <table class="nhsuk-table-responsive" id="messages">
                    <caption class="nhsuk-table__caption">{format!("Messages, newest first: {}", paging.showing("messages"))}</caption>
                    <thead class="nhsuk-table__head">
                        <tr class="nhsuk-table__row" role="row">
                            <th class="nhsuk-table__header" scope="col" role="columnheader">"Queued"</th>
                            <th class="nhsuk-table__header" scope="col" role="columnheader">"To"</th>
                            <th class="nhsuk-table__header" scope="col" role="columnheader">"Message"</th>
                            <th class="nhsuk-table__header" scope="col" role="columnheader">"Delivery"</th>
                        </tr>
                    </thead>
                    <tbody class="nhsuk-table__body">{rows}</tbody>
                </table>
                <Pagination paging=paging.clone() base=base.clone() fragment="#messages" label="Pages of messages" />
            }.into_any()
        }}
    }
}
