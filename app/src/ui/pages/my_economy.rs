//! `/my-economy`: a submitter's own economy: the state of every criterion of the active
//! framework, its provisional scores for the quarter being reported, unmet gates, what the
//! next stage needs, its trajectory toward paperless, the reporting calendar and messages.

use crate::domain::preview::{FlagLine, Outcome, PreviewView};
use crate::domain::submission::view::{MyEconomyView, Standing};
use crate::error::AppError;
use crate::ui::components::error_page;
use crate::ui::format::long_date;
use crate::ui::forms::{ErrorSummary, Notice};
use crate::ui::pages::EconomyBenefits;
use crate::ui::session::{form_state, session_info, FormState};
use leptos::prelude::*;
use leptos_meta::Title;

#[server(prefix = "/_fn", endpoint = "my-economy")]
pub async fn my_economy_data() -> Result<MyEconomyView, AppError> {
    let user = crate::ui::session::require(crate::domain::account::Role::Submitter)?;
    let slug = crate::ui::session::require_submitter()?;
    let state = crate::state::app_state()?;
    crate::submissions::my_economy_view(&state.pool, &slug, &user, state.today()).await
}

#[component]
pub fn MyEconomyPage() -> impl IntoView {
    let form = form_state();
    let flash = session_info().flash;
    let title = if form.errors.is_empty() {
        "Your economy"
    } else {
        "Error: Your economy"
    };
    view! {
        <Title text=title />
        <Suspense fallback=|| ()>
            {move || {
                let form = form.clone();
                let flash = flash.clone();
                Suspend::new(async move {
                    match my_economy_data().await {
                        Ok(data) => view! { <MyEconomy data form flash /> }.into_any(),
                        Err(e) => error_page(e),
                    }
                })
            }}
        </Suspense>
    }
}

fn tag(status: Standing) -> impl IntoView {
    let class = match status {
        Standing::Verified => "nhsuk-tag nhsuk-tag--green",
        Standing::Submitted => "nhsuk-tag nhsuk-tag--blue",
        Standing::Returned => "nhsuk-tag nhsuk-tag--red",
        Standing::Missing => "nhsuk-tag nhsuk-tag--grey",
    };
    view! { <strong class=class>{status.label()}</strong> }
}

pub(crate) fn row(key: &'static str, value: String) -> impl IntoView {
    view! {
        <div class="nhsuk-summary-list__row">
            <dt class="nhsuk-summary-list__key">{key}</dt>
            <dd class="nhsuk-summary-list__value">{value}</dd>
        </div>
    }
}

#[component]
fn MyEconomy(data: MyEconomyView, form: FormState, flash: Option<String>) -> impl IntoView {
    let q = data.as_of;
    let trajectory = if data.paperless_achieved {
        format!(
            "You have reached the paperless threshold ({:.0}).",
            data.paperless_threshold
        )
    } else {
        match (data.paperless_date, data.paperless_milestone) {
            (Some(d), Some(m)) if data.on_track => format!(
                "On your trend you reach the paperless threshold ({:.0}) on {}, before the paperless milestone of {}: on track.",
                data.paperless_threshold, long_date(d), long_date(m)
            ),
            (Some(d), Some(m)) => format!(
                "On your trend you reach the paperless threshold ({:.0}) on {}, after the paperless milestone of {}: not on track.",
                data.paperless_threshold, long_date(d), long_date(m)
            ),
            _ => "Your scores are not rising yet, so there is no projected date for reaching the paperless threshold.".to_string(),
        }
    };

    let themes = data
        .themes
        .iter()
        .map(|(name, s)| view! { <li>{format!("{name}: {s:.1}")}</li> })
        .collect_view();
    let calendar = data
        .calendar
        .iter()
        .map(|c| {
            view! {
                <tr class="nhsuk-table__row">
                    <th class="nhsuk-table__header" scope="row">
                        {if c.open {
                            view! { <a href=format!("/my-economy/periods/{}", c.quarter)>{c.quarter.to_string()}<span class="nhsuk-u-visually-hidden">": your submission"</span></a> }.into_any()
                        } else {
                            view! { <span>{c.quarter.to_string()}</span> }.into_any()
                        }}
                    </th>
                    <td class="nhsuk-table__cell">{long_date(c.deadline)}</td>
                    <td class="nhsuk-table__cell">{long_date(c.publication)}</td>
                    <td class="nhsuk-table__cell">{if c.published { "Published" } else { "Not yet" }}</td>
                </tr>
            }
        })
        .collect_view();
    let messages = if data.messages.is_empty() {
        view! { <p>"No messages yet."</p> }.into_any()
    } else {
        data.messages
            .iter()
            .map(|m| {
                view! {
                    <div class="nhsuk-card">
                        <div class="nhsuk-card__content">
                            <h3 class="nhsuk-card__heading nhsuk-heading-s">
                                {m.new.then(|| view! { <strong class="nhsuk-tag nhsuk-tag--blue">"New"</strong> " " })}
                                {m.subject.clone()}
                            </h3>
                            <p class="nhsuk-body-s">{m.at.clone()}</p>
                            <p>{m.body.clone()}</p>
                        </div>
                    </div>
                }
            })
            .collect_view()
            .into_any()
    };
    let gates = if data.unmet_gates.is_empty() {
        view! { <p>"Every gate criterion is met: your economy is eligible."</p> }.into_any()
    } else {
        let items = data
            .unmet_gates
            .iter()
            .map(|g| view! { <li>{g.clone()}</li> })
            .collect_view();
        view! {
            <p>"Your economy is not eligible until these gate criteria are met:"</p>
            <ul>{items}</ul>
        }
        .into_any()
    };
    let next = data.next_stage.clone().map(|(stage, needs)| {
        let items = needs
            .into_iter()
            .map(|n| view! { <li>{n}</li> })
            .collect_view();
        view! {
            <p>{format!("To reach stage {stage}, these criteria must be met:")}</p>
            <ul>{items}</ul>
        }
    });
    let preview = data
        .preview
        .clone()
        .filter(|p| p.open.is_some() || !p.flags.is_empty())
        .map(|p| view! { <Preview preview=p form=form.clone() /> });
    view! {
        <ErrorSummary form=form.clone() />
        <Notice text=flash.or(form.notice.clone()) />
        <span class="nhsuk-caption-l">{data.region.clone()}</span>
        <h1>{data.name.clone()}</h1>
        {(!data.candidate).then(|| view! {
            <div class="nhsuk-inset-text"><p>"Your economy is not a candidate: its figures are not scored or published."</p></div>
        })}
        <crate::ui::pages::MyQuestionsWaiting />
        <ActionNeeded data=data.clone() />
        {preview}
        <div class="nhsuk-action-link">
            <a class="nhsuk-action-link__link" href=format!("/my-economy/periods/{q}")>
                <svg class="nhsuk-icon nhsuk-icon__arrow-right-circle" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" aria-hidden="true" width="36" height="36"><path d="M0 0h24v24H0z" fill="none"></path><path d="M12 2a10 10 0 0 0-9.95 9h11.64L9.74 7.05a1 1 0 0 1 1.41-1.41l5.66 5.65a1 1 0 0 1 0 1.42l-5.66 5.65a1 1 0 0 1-1.41 0 1 1 0 0 1 0-1.41L13.69 13H2.05A10 10 0 1 0 12 2z"></path></svg>
                <span class="nhsuk-action-link__text">{format!("Report {} ({q})", q.label())}</span>
            </a>
        </div>
        {data.teamwork.clone().map(|t| view! { <Together team=t /> })}
        {(!data.drafts.is_empty()).then(|| {
            let items = data.drafts.iter().map(|(p, n)| view! {
                <li>
                    <a href=format!("/my-economy/periods/{p}")>{format!("{p}: {}", crate::domain::types::count(*n, "draft value", "draft values"))}</a>
                    " ("<a href=format!("/my-economy/check/{p}")>"check and submit"<span class="nhsuk-u-visually-hidden">{format!(" the drafts for {p}")}</span></a>")"
                </li>
            }).collect_view();
            view! {
                <div class="nhsuk-inset-text">
                    <p>"Drafts are not scored until they are submitted:"</p>
                    <ul>{items}</ul>
                </div>
            }
        })}
        {(!data.receipts.is_empty()).then(|| {
            let items = data.receipts.iter().map(|r| view! {
                <li>
                    <a href=format!("/my-economy/receipts/{}", r.reference)>{r.reference.clone()}</a>
                    {format!(": {} for {}, submitted on {}", crate::domain::types::count(r.values, "value", "values"), r.quarter.label(), r.submitted)}
                </li>
            }).collect_view();
            view! {
                <h2 class="nhsuk-heading-m">"Your recent submissions"</h2>
                <ul>{items}</ul>
            }
        })}
        <p>{format!("Provisional figures for {}, the quarter being reported. They change as values are submitted and verified, and become official when the quarter is published.", q.label())}</p>
        <p><a href=format!("/my-economy/report/{q}")>{format!("A report of {q} for your board, to print or save as a PDF")}</a></p>
        <dl class="nhsuk-summary-list">
            {row("Overall score", format!("{:.1}", data.overall))}
            {row("Verified overall score", format!("{:.1}", data.verified_overall))}
            {row("Completeness", format!("{:.1}% of the overall score has a value", data.completeness))}
            {row("Confidence", format!("{:.1}% of the overall score is verified", data.confidence))}
            {row("Stage", format!("{} of {}", data.stage, data.top_stage))}
            {row("Rank", data.rank.map(|r| format!("{r} of {}", data.ranked)).unwrap_or_else(|| "not ranked: no values yet".into()))}
        </dl>
        <h2>"Themes"</h2>
        <ul>{themes}</ul>
        {data.changes.clone().map(what_changed)}
        {match data.standing.clone() {
            Some(s) => peer_comparison(s).into_any(),
            None => view! {
                <h2 id="peers">"Where you stand among economies like yours"</h2>
                <p>"Once a quarter with your scores is published, your economy is shown here beside the economies most like it in their trusts and practices."</p>
            }.into_any(),
        }}
        <h2>"Gates"</h2>
        {gates}
        <h2>"The next stage"</h2>
        {next.map(|n| n.into_any()).unwrap_or_else(|| view! { <p>"Your economy has reached the top stage."</p> }.into_any())}
        <h2>"Toward paperless"</h2>
        <p>{trajectory}</p>
        <h2 id="benefits">"Outcome measures"</h2>
        <p>"Your benefits as reported and checked, from each one's baseline quarter, beside your live overall score. They never count towards a score. "<a href="/benefits">"Benefits across every economy"</a></p>
        <EconomyBenefits items=data.benefits.clone() level=3 />
        <h2>"Every criterion"</h2>
        {criteria_table(&data.criteria, q)}
        <h2>"Reporting calendar"</h2>
        <div class="exemplar-table-scroll" tabindex="0" role="region" aria-label="Reporting calendar">
            <table class="nhsuk-table">
                <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">"Reporting calendar"</caption>
                <thead class="nhsuk-table__head">
                    <tr class="nhsuk-table__row">
                        <th class="nhsuk-table__header" scope="col">"Quarter"</th>
                        <th class="nhsuk-table__header" scope="col">"Values due"</th>
                        <th class="nhsuk-table__header" scope="col">"Planned publication"</th>
                        <th class="nhsuk-table__header" scope="col">"Published"</th>
                    </tr>
                </thead>
                <tbody class="nhsuk-table__body">{calendar}</tbody>
            </table>
        </div>
        {(!data.reporting.is_empty()).then(|| view! {
            <h2 id="reporting">"Your reporting, quarter by quarter"</h2>
            <p>"How many of the framework's criteria have a value for each quarter, and whether the values came by its deadline: when each value first came counts, not later corrections or reviews. Quarters whose deadline passed before your economy joined are not judged, and a value loaded from a file and changed since has no known arrival."</p>
            {reporting_table(&data.reporting, "Completeness and timeliness of your reporting".to_string())}
        })}
        <h2 id="messages">"Messages from the board"</h2>
        {messages}
        <h2>"Your economy's data and people"</h2>
        <ul>
            <li><a href="/my-economy/upload">"Upload values from a CSV file"</a></li>
            <li><a href="/my-economy/organisations">"Member organisations"</a></li>
            <li><a href="/my-economy/team">"Your team: colleagues and invitations"</a></li>
            <li><a href="/my-economy/values.csv" download="">"Download every value, draft and evidence (CSV)"</a></li>
            <li><a href="/my-economy/history.csv" download="">"Download the history of every change (CSV)"</a></li>
        </ul>
    }
}

/// What needs the economy's action, at the top of its page: values the board returned (with
/// its reasons and a link to correct each), the quarter being reported and its deadline,
/// and new messages from the board.
#[component]
fn ActionNeeded(data: MyEconomyView) -> impl IntoView {
    use crate::domain::types::count;
    let mut items: Vec<AnyView> = Vec::new();
    for r in &data.returned {
        let href = format!("/my-economy/periods/{}#v-{}", r.period, r.code);
        items.push(view! {
            <li>
                <a href=href>{format!("Correct {} for {}", r.title, r.period)}</a>
                {format!(": the board returned \u{201c}{}\u{201d}", if r.value.is_empty() { "not yet achieved" } else { r.value.as_str() })}
                {r.reason.clone().map(|x| format!(" because: {x}")).unwrap_or_default()}
            </li>
        }.into_any());
    }
    if let Some(d) = &data.due {
        if d.missing > 0 {
            let when = match d.days_left {
                n if n < 0 => format!(
                    "the deadline was {}; what you send now is marked late",
                    crate::domain::types::long_date(d.deadline)
                ),
                0 => "due today".to_string(),
                1 => format!(
                    "due by {} (tomorrow)",
                    crate::domain::types::long_date(d.deadline)
                ),
                n => format!(
                    "due by {} (in {n} days)",
                    crate::domain::types::long_date(d.deadline)
                ),
            };
            items.push(view! {
                <li>
                    <a href=format!("/my-economy/periods/{}", d.quarter)>{format!("{} still to report for {}", count(d.missing, "value", "values"), d.quarter.label())}</a>
                    {format!(": {when}")}
                </li>
            }.into_any());
        }
    }
    if data.new_messages > 0 {
        items.push(view! {
            <li><a href="#messages">{format!("Read {} from the board", count(data.new_messages, "new message", "new messages"))}</a></li>
        }.into_any());
    }
    (!items.is_empty()).then(|| view! {
        <div class="nhsuk-card nhsuk-card--feature exemplar-action-needed" data-testid="action-needed">
            <div class="nhsuk-card__content nhsuk-card__content--feature">
                <h2 class="nhsuk-card__heading nhsuk-card__heading--feature nhsuk-heading-m">"What needs your action"</h2>
                <ul class="nhsuk-list nhsuk-list--bullet">{items}</ul>
            </div>
        </div>
    })
}

/// "Where you stand": the economy beside economies like it, the national median and the best
/// in each theme, never a league table of named peers.
pub(crate) fn peer_comparison(s: crate::domain::peers::Standing) -> impl IntoView {
    use crate::ui::components::{rcell, rcol, rhead};
    let rows = s
        .rows
        .iter()
        .map(|r| {
            let n = |v: Option<f64>| v.map(|v| format!("{v:.1}")).unwrap_or_else(|| "–".into());
            view! {
                <tr role="row" class="nhsuk-table__row">
                    {rhead("Score", r.measure.clone())}
                    {rcell("Yours", true, format!("{:.1}", r.you))}
                    {rcell("Economies like yours (median)", true, n(r.peers))}
                    {rcell("Every economy (median)", true, n(r.national))}
                    {rcell("Best", false, r.best.clone().map(|(v, who)| format!("{v:.1}, {who}")).unwrap_or_else(|| "–".into()))}
                </tr>
            }
        })
        .collect_view();
    view! {
        <h2 id="peers">"Where you stand among economies like yours"</h2>
        <p>{format!(
            "As published for {}. Your economy has {}. The economies most like it in their trusts and practices are {}. Their scores are shown only as a median, beside every economy's median and the best score in each theme. A median of fewer than {} economies is not shown, as it would give their scores away.",
            s.quarter,
            s.mix,
            join_names(&s.peers),
            crate::domain::peers::FEWEST
        )}</p>
        <table role="table" class="nhsuk-table-responsive" data-testid="peer-comparison">
            <caption class="nhsuk-table__caption nhsuk-table__caption--s">{format!("Your published scores for {} beside economies like yours", s.quarter)}</caption>
            <thead role="rowgroup" class="nhsuk-table__head"><tr role="row" class="nhsuk-table__row">
                {rcol("Score", false)}
                {rcol("Yours", true)}
                {rcol("Economies like yours (median)", true)}
                {rcol("Every economy (median)", true)}
                {rcol("Best", false)}
            </tr></thead>
            <tbody class="nhsuk-table__body">{rows}</tbody>
        </table>
        <details class="nhsuk-details">
            <summary class="nhsuk-details__summary"><span class="nhsuk-details__summary-text">"How economies like yours are chosen"</span></summary>
            <div class="nhsuk-details__text">
                <p>{format!("They are the {} candidate economies closest to yours in their number of acute, community and mental health trusts and of GP practices. One trust more or fewer counts as much as twice or half the practices. CCGs, ambulance trusts and social care do not change the choice. Comparing like with like is fairer than a league table of economies of very different kinds.", crate::domain::peers::PEERS)}</p>
            </div>
        </details>
    }
}

/// "A, B and C".
fn join_names(names: &[String]) -> String {
    match names {
        [] => "none yet".into(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// Every criterion with its status, latest value and whether it is met (`/my-economy` and a
/// quarter's report).
pub(crate) fn criteria_table(
    criteria: &[crate::domain::submission::view::CriterionLine],
    q: crate::domain::Quarter,
) -> impl IntoView {
    let rows = criteria
        .iter()
        .map(|c| {
            let value = match (&c.value, &c.period) {
                (Some(v), Some(p)) if v.is_empty() => format!("not yet ({p})"),
                (Some(v), Some(p)) => format!("{v} ({p})"),
                _ => "none".to_string(),
            };
            let notes = [
                c.gate.then(|| "gate".to_string()),
                c.stage.map(|s| format!("stage {s}")),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ");
            view! {
                <tr class="nhsuk-table__row">
                    <td class="nhsuk-table__cell">{c.theme.clone()}</td>
                    <th class="nhsuk-table__header" scope="row">{format!("{} ({})", c.title, c.code)}{(!notes.is_empty()).then(|| format!(" · {notes}"))}</th>
                    <td class="nhsuk-table__cell">{tag(c.status)}</td>
                    <td class="nhsuk-table__cell">{value}</td>
                    <td class="nhsuk-table__cell">{if c.met { "Yes" } else { "No" }}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="exemplar-table-scroll" tabindex="0" role="region" aria-label="Every criterion">
            <table class="nhsuk-table">
                <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">{format!("Every criterion as of {q}")}</caption>
                <thead class="nhsuk-table__head">
                    <tr class="nhsuk-table__row">
                        <th class="nhsuk-table__header" scope="col">"Theme"</th>
                        <th class="nhsuk-table__header" scope="col">"Criterion"</th>
                        <th class="nhsuk-table__header" scope="col">"Status"</th>
                        <th class="nhsuk-table__header" scope="col">"Latest value (quarter)"</th>
                        <th class="nhsuk-table__header" scope="col">"Met"</th>
                    </tr>
                </thead>
                <tbody class="nhsuk-table__body">{rows}</tbody>
            </table>
        </div>
    }
}

/// "What changed since last quarter": every score that moved and every value behind it, with
/// why (a new value, the board verifying or returning one, a framework change).
pub(crate) fn what_changed(c: crate::domain::changes::QuarterChanges) -> impl IntoView {
    use crate::ui::components::{rcell, rcol, rhead};
    let (from, to) = (c.from, c.to);
    let nothing = c.scores.is_empty() && c.values.is_empty() && c.framework.is_none();
    let scores = c
        .scores
        .iter()
        .map(|m| {
            let d = m.after - m.before;
            view! {
                <tr role="row" class="nhsuk-table__row">
                    {rhead("Score", m.name.clone())}
                    {rcell(&from.to_string(), true, format!("{:.1}", m.before))}
                    {rcell(&to.to_string(), true, format!("{:.1}", m.after))}
                    {rcell("Change", true, format!("{}{d:.1}", if d > 0.0 { "+" } else { "" }))}
                </tr>
            }
        })
        .collect_view();
    let values = c
        .values
        .iter()
        .map(|v| {
            view! {
                <tr role="row" class="nhsuk-table__row">
                    {rhead("Criterion", format!("{} ({})", v.title, v.code))}
                    {rcell("Before", false, v.before.clone().unwrap_or_else(|| "none".into()))}
                    {rcell("Now", false, v.after.clone().unwrap_or_else(|| "none".into()))}
                    {rcell("Why", false, v.why.clone())}
                </tr>
            }
        })
        .collect_view();
    view! {
        <h2 id="changes">{format!("What changed since {from}")}</h2>
        {nothing.then(|| view! { <p>{format!("Nothing changed in your scores or values from {from} to {to}.")}</p> })}
        {c.framework.clone().map(|f| view! { <p>{f}</p> })}
        {(!c.scores.is_empty()).then(|| view! {
            <table role="table" class="nhsuk-table-responsive" data-testid="score-changes">
                <caption class="nhsuk-table__caption nhsuk-table__caption--s">{format!("Scores that moved from {from} to {to}")}</caption>
                <thead role="rowgroup" class="nhsuk-table__head"><tr role="row" class="nhsuk-table__row">
                    {rcol("Score", false)}
                    {rcol(&from.to_string(), true)}
                    {rcol(&to.to_string(), true)}
                    {rcol("Change", true)}
                </tr></thead>
                <tbody class="nhsuk-table__body">{scores}</tbody>
            </table>
        })}
        {(!c.values.is_empty()).then(|| view! {
            <table role="table" class="nhsuk-table-responsive" data-testid="value-changes">
                <caption class="nhsuk-table__caption nhsuk-table__caption--s">{format!("Values that changed for {to}, and why")}</caption>
                <thead role="rowgroup" class="nhsuk-table__head"><tr role="row" class="nhsuk-table__row">
                    {rcol("Criterion", false)}
                    {rcol("Before", false)}
                    {rcol("Now", false)}
                    {rcol("Why", false)}
                </tr></thead>
                <tbody class="nhsuk-table__body">{values}</tbody>
            </table>
        })}
    }
}

/// Check before it is public: while a quarter's preview window is open, the economy's figures
/// as they would be published, with the form to question one; then every question asked and
/// the board's answer.
#[component]
fn Preview(preview: PreviewView, form: FormState) -> impl IntoView {
    let open = preview.open.map(|p| {
        let rows = p
            .figures
            .iter()
            .map(|f| {
                view! {
                    <div class="nhsuk-summary-list__row">
                        <dt class="nhsuk-summary-list__key">{f.words.clone()}</dt>
                        <dd class="nhsuk-summary-list__value">{f.value.clone()}</dd>
                    </div>
                }
            })
            .collect_view();
        let chosen = form.value("figure");
        let options = p
            .figures
            .iter()
            .map(|f| {
                let selected = f.key == chosen;
                view! { <option value=f.key.clone() selected=selected>{format!("{}: {}", f.words, f.value)}</option> }
            })
            .collect_view();
        let figure_error = form.error_for("figure");
        let reason_error = form.error_for("reason");
        let group = |e: &Option<String>| {
            if e.is_some() {
                "nhsuk-form-group nhsuk-form-group--error"
            } else {
                "nhsuk-form-group"
            }
        };
        let described = |hint: &str, error: &Option<String>, field: &str| {
            let mut ids = vec![hint.to_string()];
            if error.is_some() {
                ids.push(format!("{field}-error"));
            }
            ids.join(" ")
        };
        view! {
            <h2 id="preview">{format!("Check your figures for {} before they are published", p.quarter)}</h2>
            <p>{format!(
                "The figures for {} will be published on {}. These are your economy's figures as they would be published today. If you believe one is wrong, tell the board by {}: it answers every question before it publishes.",
                p.quarter, long_date(p.planned), long_date(p.last_day)
            )}</p>
            <dl class="nhsuk-summary-list">{rows}</dl>
            <form method="post" action="/my-economy/flags" novalidate>
                <fieldset class="nhsuk-fieldset">
                    <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">"Question a figure"</legend>
                    <div class=group(&figure_error)>
                        <label class="nhsuk-label" for="figure">"Which figure do you believe is wrong?"</label>
                        <div class="nhsuk-hint" id="figure-hint">"The figure and its value as it would be published."</div>
                        {crate::ui::forms::error_message("figure-error".into(), figure_error.clone())}
                        <select class=if figure_error.is_some() { "nhsuk-select nhsuk-select--error" } else { "nhsuk-select" } id="figure" name="figure" aria-describedby=described("figure-hint", &figure_error, "figure")>
                            <option value="" selected=chosen.is_empty()>"Select a figure"</option>
                            {options}
                        </select>
                    </div>
                    <div class=group(&reason_error)>
                        <label class="nhsuk-label" for="reason">"Why do you believe it is wrong?"</label>
                        <div class="nhsuk-hint" id="reason-hint">"Say what you expected and why, for example a value you corrected that the board has not verified yet."</div>
                        {crate::ui::forms::error_message("reason-error".into(), reason_error.clone())}
                        <textarea class=if reason_error.is_some() { "nhsuk-textarea nhsuk-textarea--error" } else { "nhsuk-textarea" } id="reason" name="reason" rows="4" aria-describedby=described("reason-hint", &reason_error, "reason")>{form.value("reason")}</textarea>
                    </div>
                </fieldset>
                <button class="nhsuk-button" type="submit" data-module="nhsuk-button">"Send to the board"</button>
            </form>
        }
    });
    let has_open = open.is_some();
    let asked = (!preview.flags.is_empty()).then(|| {
        let items = preview
            .flags
            .iter()
            .map(|f| flag_card(f, if has_open { 4 } else { 3 }))
            .collect_view();
        view! {
            {if has_open {
                view! { <h3>"Figures you have questioned"</h3> }.into_any()
            } else {
                view! { <h2 id="preview">"Figures you have questioned"</h2> }.into_any()
            }}
            {items}
        }
    });
    view! {
        {open}
        {asked}
    }
}

/// One question and its answer, as the economy sees it.
fn flag_card(f: &FlagLine, level: u8) -> impl IntoView {
    let (tag, class) = match f.outcome {
        None => ("Waiting for the board", "nhsuk-tag nhsuk-tag--yellow"),
        Some(Outcome::Corrected) => ("Corrected", "nhsuk-tag nhsuk-tag--green"),
        Some(Outcome::Kept) => ("Kept", "nhsuk-tag nhsuk-tag--blue"),
    };
    let answer = f.answer.clone().map(|a| {
        let on = f.answered_on.map(long_date).unwrap_or_default();
        view! { <p>{format!("The board's answer on {on}: {a}")}</p> }
    });
    view! {
        <div class="nhsuk-card" id=format!("flag-{}", f.id)>
            <div class="nhsuk-card__content">
                {crate::ui::components::heading(level, "nhsuk-card__heading nhsuk-heading-s", format!("{} for {}: {}", f.figure, f.quarter, f.shown))}
                <p><strong class=class>{tag}</strong></p>
                <p>{format!("You said on {}: {}", long_date(f.raised_on), f.reason)}</p>
                {answer}
            </div>
        </div>
    }
}

/// Completeness and timeliness of an economy's reporting, quarter by quarter (its own page
/// and the board's page of it).
pub fn reporting_table(
    rows: &[crate::domain::reporting::QuarterReporting],
    caption: String,
) -> impl IntoView {
    use crate::domain::reporting::Timeliness;
    let lines = rows
        .iter()
        .map(|r| {
            let tag = match r.timeliness {
                Timeliness::OnTime => "nhsuk-tag nhsuk-tag--green",
                Timeliness::Late(_) => "nhsuk-tag nhsuk-tag--orange",
                Timeliness::Missing => "nhsuk-tag nhsuk-tag--red",
                Timeliness::Due | Timeliness::BeforeJoining | Timeliness::NotKnown => {
                    "nhsuk-tag nhsuk-tag--grey"
                }
            };
            let values = if r.returned == 0 {
                format!("{} of {}", r.reported, r.expected)
            } else {
                format!("{} of {} ({} returned)", r.reported, r.expected, r.returned)
            };
            view! {
                <tr class="nhsuk-table__row">
                    <th class="nhsuk-table__header" scope="row">{r.quarter.clone()}</th>
                    <td class="nhsuk-table__cell">{values}</td>
                    <td class="nhsuk-table__cell">{format!("{:.0}%", r.completeness())}</td>
                    <td class="nhsuk-table__cell">{long_date(r.deadline)}</td>
                    <td class="nhsuk-table__cell"><strong class=tag>{r.timeliness.words()}</strong></td>
                </tr>
            }
        })
        .collect_view();
    let label = caption.clone();
    view! {
        <div class="exemplar-table-scroll" tabindex="0" role="region" aria-label=label>
            <table class="nhsuk-table">
                <caption class="nhsuk-table__caption nhsuk-table__caption--s">{caption}</caption>
                <thead class="nhsuk-table__head">
                    <tr class="nhsuk-table__row">
                        <th class="nhsuk-table__header" scope="col">"Quarter"</th>
                        <th class="nhsuk-table__header" scope="col">"Values"</th>
                        <th class="nhsuk-table__header" scope="col">"Complete"</th>
                        <th class="nhsuk-table__header" scope="col">"Due by"</th>
                        <th class="nhsuk-table__header" scope="col">"Timeliness"</th>
                    </tr>
                </thead>
                <tbody class="nhsuk-table__body">{lines}</tbody>
            </table>
        </div>
    }
}

/// Completing the quarter together: what is assigned to the reader, and each theme's progress
/// with who it is assigned to.
#[component]
fn Together(team: crate::domain::teamwork::view::TeamworkView) -> impl IntoView {
    let q = team.quarter;
    let anything = !team.assigned.is_empty();
    let mine = (!team.mine.is_empty()).then(|| {
        let items = team
            .mine
            .iter()
            .map(|(words, answered, total, href)| {
                view! {
                    <li>
                        <a href=href.clone()>{words.clone()}</a>
                        {format!(": {answered} of {total} answered")}
                    </li>
                }
            })
            .collect_view();
        view! {
            <h3 class="nhsuk-heading-s">"Assigned to you"</h3>
            <ul class="nhsuk-list nhsuk-list--bullet" data-testid="assigned-to-you">{items}</ul>
        }
    });
    let lead = match (&team.lead, team.colleagues.len() > 1) {
        (_, false) => {
            "You are the only person in your economy who can submit, so no sign-off is needed."
                .to_string()
        }
        (Some(l), true) => {
            format!("{l}, your economy's lead, signs each quarter off before it is submitted.")
        }
        (None, true) => String::new(),
    };
    let lead = if lead.is_empty() {
        view! { <p>"Your economy has not named a lead to sign quarters off. "<a href="/my-economy/team#sign-off">"Name your lead"</a>" before you submit."</p> }.into_any()
    } else {
        view! { <p>{lead}</p> }.into_any()
    };
    view! {
        <section aria-labelledby="together">
            <h2 id="together">{format!("Completing {q} together")}</h2>
            {mine}
            {lead}
            {anything.then(|| crate::ui::pages::theme_progress(
                &team.themes,
                format!("Progress of {q} by theme"),
                "nhsuk-table__caption nhsuk-table__caption--s",
            ))}
            <p><a href=format!("/my-economy/periods/{q}/assignments")>{if anything { format!("Change who is completing {q}") } else { format!("Share {q} out: assign themes to colleagues") }}</a></p>
        </section>
    }
}
