//! `/my-economy/receipts/{reference}`: the confirmation of a submission, with its reference,
//! what happens next and exactly what was submitted; a receipt the economy can keep (print
//! the page, or download it as CSV).

use crate::domain::format::long_date;
use crate::domain::submission::view::ReceiptView;
use crate::domain::types::count;
use crate::error::AppError;
use crate::ui::components::error_page;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[server(prefix = "/_fn", endpoint = "receipt")]
pub async fn receipt(reference: String) -> Result<ReceiptView, AppError> {
    let slug = crate::ui::session::require_submitter()?;
    let state = crate::state::app_state()?;
    crate::submissions::receipt_view(&state.pool, &slug, &reference)
        .await?
        .ok_or(AppError::NotFound)
}

#[component]
pub fn ReceiptPage() -> impl IntoView {
    let reference = use_params_map().with_untracked(|p| p.get("reference").unwrap_or_default());
    view! {
        <Suspense fallback=|| ()>
            {
                let reference = reference.clone();
                move || {
                    let reference = reference.clone();
                    Suspend::new(async move {
                        match receipt(reference).await {
                            Ok(data) => view! { <Receipt data /> }.into_any(),
                            Err(e) => error_page(e),
                        }
                    })
                }
            }
        </Suspense>
    }
}

#[component]
fn Receipt(data: ReceiptView) -> impl IntoView {
    let q = data.quarter;
    // One summary list a value: it reads on a phone as well as on a desk.
    let values = data
        .lines
        .iter()
        .map(|l| {
            view! {
                <h3 class="nhsuk-heading-s">{l.title.clone()}</h3>
                <dl class="nhsuk-summary-list">
                    <div class="nhsuk-summary-list__row">
                        <dt class="nhsuk-summary-list__key">"Before"</dt>
                        <dd class="nhsuk-summary-list__value">{l.before.clone().unwrap_or_else(|| "Not submitted before".into())}</dd>
                    </div>
                    <div class="nhsuk-summary-list__row">
                        <dt class="nhsuk-summary-list__key">"Submitted"</dt>
                        <dd class="nhsuk-summary-list__value">{l.after.clone()}</dd>
                    </div>
                    <div class="nhsuk-summary-list__row">
                        <dt class="nhsuk-summary-list__key">"Evidence"</dt>
                        <dd class="nhsuk-summary-list__value">{l.evidence.clone().unwrap_or_else(|| "None".into())}</dd>
                    </div>
                </dl>
            }
        })
        .collect_view();
    let csv = format!("/my-economy/receipts/{}/download", data.reference);
    view! {
        <Title text=format!("{} submitted", count(data.lines.len(), "value", "values")) />
        <div class="nhsuk-panel nhsuk-panel--confirmation">
            <h1 class="nhsuk-panel__title">{format!("{} submitted", count(data.lines.len(), "value", "values"))}</h1>
            <div class="nhsuk-panel__body">
                "Your reference number"<br /><strong>{data.reference.clone()}</strong>
            </div>
        </div>
        <p>{format!("{} submitted these values for {} on {}.", data.by, q.label(), data.submitted)}</p>
        {data.late.then(|| view! { <p>"They were submitted after the quarter's deadline, so they are marked late."</p> })}
        <h2>"What happens next"</h2>
        <ul>
            <li>"The board checks each value against its evidence, and verifies it or returns it to you with the reason."</li>
            <li>"A returned value shows on your economy's page with the reason. Correct it or add evidence, and submit it again."</li>
            <li>{format!("The board plans to publish the figures for {} on {}.", q.label(), long_date(data.publication))}</li>
        </ul>
        <h2>"What you submitted"</h2>
        {values}
        <h2>"Keep a copy"</h2>
        <p>"Print this page or save it as a PDF from your browser's print option, or "<a href=csv download="">"download this receipt as a spreadsheet (CSV)"</a>"."</p>
        <p><a href="/my-economy">"Go to your economy's page"</a></p>
    }
}
