//! Admins' publication and frameworks pages. `/admin/publication`: each quarter's deadline and
//! planned publication (movable), publishing in order, revising with a reason, and where live
//! figures differ from published ones. `/admin/frameworks`: load a framework file (the same
//! checks and messages as `exemplar framework load`), every version, what changed between two,
//! and which version each published quarter used.

use crate::domain::format::day_of;
use crate::domain::publication::view::FrameworksView;
use crate::domain::publication::view::{PublicationView, QuarterLine};
use crate::error::AppError;
use crate::ui::components::error_page;
use crate::ui::forms::{DateInput, ErrorSummary, Notice};
use crate::ui::session::{form_state, session_info, FormState};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[server(prefix = "/_fn", endpoint = "admin-publication")]
pub async fn publication_data() -> Result<PublicationView, AppError> {
    use crate::domain::account::Role;
    crate::ui::session::require(Role::Admin)?;
    let state = crate::state::app_state()?;
    Ok(crate::publication::publication_page(&state.pool, state.today()).await?)
}

#[component]
pub fn AdminPublicationPage() -> impl IntoView {
    let form = form_state();
    let flash = session_info().flash;
    view! {
        <Suspense fallback=|| ()>
            {
                let (form, flash) = (form.clone(), flash.clone());
                move || {
                    let (form, flash) = (form.clone(), flash.clone());
                    Suspend::new(async move {
                        match publication_data().await {
                            Ok(data) => view! { <Publication data form flash /> }.into_any(),
                            Err(e) => error_page(e),
                        }
                    })
                }
            }
        </Suspense>
    }
}

fn quarter_select(
    name: &'static str,
    label: &'static str,
    options: Vec<String>,
    chosen: String,
) -> impl IntoView {
    let items = options
        .into_iter()
        .map(|q| {
            let selected = q == chosen;
            view! { <option value=q.clone() selected=selected>{q.clone()}</option> }
        })
        .collect_view();
    view! {
        <div class="nhsuk-form-group">
            <label class="nhsuk-label" for=name>{label}</label>
            <select class="nhsuk-select" id=name name=name>{items}</select>
        </div>
    }
}

#[component]
fn Publication(data: PublicationView, form: FormState, flash: Option<String>) -> impl IntoView {
    let title = if form.errors.is_empty() {
        "Publication"
    } else {
        "Error: Publication"
    };
    let differ = |n: usize| {
        if n == 1 {
            "1 figure now differs".to_string()
        } else {
            format!(
                "{} now differ",
                crate::domain::types::count(n, "figure", "figures")
            )
        }
    };
    let rows = data
        .quarters
        .iter()
        .map(|q| {
            let status = match (&q.published, q.differs) {
                (Some((0, on)), Some(0)) => format!("Published {}; live figures agree", day_of(on)),
                (Some((r, on)), Some(0)) => format!("Published {} (revision {r}); live figures agree", day_of(on)),
                (Some((0, on)), Some(n)) => format!("Published {}; {} from live", day_of(on), differ(n)),
                (Some((r, on)), Some(n)) => format!("Published {} (revision {r}); {} from live", day_of(on), differ(n)),
                (Some((_, on)), None) => format!("Published {}", day_of(on)),
                (None, _) if q.ended => "Not yet published".to_string(),
                (None, _) => "Under way".to_string(),
            };
            view! {
                <tr class="nhsuk-table__row">
                    <th class="nhsuk-table__header" scope="row">{q.quarter.clone()}</th>
                    <td class="nhsuk-table__cell">{format!("{}{}", day_of(&q.deadline), if q.deadline_moved { " (moved)" } else { "" })}</td>
                    <td class="nhsuk-table__cell">{day_of(&q.planned)}</td>
                    <td class="nhsuk-table__cell">{q.reporting.map(|(complete, on_time, of)| format!("{complete} of {of} complete, {on_time} on time"))}</td>
                    <td class="nhsuk-table__cell" data-testid="publication-status">
                        {status}
                        {(!q.differences.is_empty()).then(|| view! {
                            <br /><a href=format!("#differ-{}", q.quarter)>{format!("See which{}", if q.differences.len() == 1 { "" } else { " they are" })}<span class="nhsuk-u-visually-hidden">{format!(" for {}", q.quarter)}</span></a>
                        })}
                    </td>
                </tr>
            }
        })
        .collect_view();
    let unpublished: Vec<String> = data
        .quarters
        .iter()
        .filter(|q| q.ended && q.published.is_none())
        .map(|q| q.quarter.clone())
        .collect();
    let published: Vec<String> = data
        .quarters
        .iter()
        .filter(|q| q.published.is_some())
        .map(|q| q.quarter.clone())
        .collect();
    let all: Vec<String> = data.quarters.iter().map(|q| q.quarter.clone()).collect();

    let differences = data
        .quarters
        .iter()
        .filter(|q| !q.differences.is_empty())
        .map(|q| {
            let lines = q.differences.iter().map(|d| view! {
                <tr class="nhsuk-table__row">
                    <td class="nhsuk-table__cell">{d.economy.clone()}</td>
                    <td class="nhsuk-table__cell">{d.figure.clone()}</td>
                    <td class="nhsuk-table__cell">{d.published.clone()}</td>
                    <td class="nhsuk-table__cell">{d.live.clone()}</td>
                </tr>
            }).collect_view();
            view! {
                <details class="nhsuk-details" id=format!("differ-{}", q.quarter)>
                    <summary class="nhsuk-details__summary"><span class="nhsuk-details__summary-text">{format!("{}: {} from live", q.quarter, differ(q.differences.len()))}</span></summary>
                    <div class="nhsuk-details__text">
                        <div class="exemplar-table-scroll" tabindex="0" role="region" aria-label=format!("Figures of {} that differ from live", q.quarter)>
                            <table class="nhsuk-table">
                                <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">{format!("Figures of {} that differ from live", q.quarter)}</caption>
                                <thead class="nhsuk-table__head"><tr class="nhsuk-table__row">
                                    <th class="nhsuk-table__header" scope="col">"Economy"</th>
                                    <th class="nhsuk-table__header" scope="col">"Figure"</th>
                                    <th class="nhsuk-table__header" scope="col">"Published"</th>
                                    <th class="nhsuk-table__header" scope="col">"Live now"</th>
                                </tr></thead>
                                <tbody class="nhsuk-table__body">{lines}</tbody>
                            </table>
                        </div>
                    </div>
                </details>
            }
        })
        .collect_view();
    let reason_error = form.error_for("reason");
    // Checking before publishing is a step off this page: a back link to it, above all.
    let checking = unpublished.contains(&form.value("confirm-through"));
    view! {
        <Title text=title />
        {checking.then(|| view! { <a class="nhsuk-back-link" href="/admin/publication">"Back to publication"</a> })}
        <ErrorSummary form=form.clone() />
        <Notice text=flash.or(form.notice.clone()) />
        <h1>"Publication"</h1>
        <crate::ui::components::AdminLinks />
        <p>{format!("Quarters are published in order, as official figures: once published, the public sees only the stored figures. Today is {}.", day_of(&data.today))}</p>
        <div class="exemplar-table-scroll" tabindex="0" role="region" aria-label="Quarters">
            <table class="nhsuk-table">
                <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">"Each quarter's calendar and publication"</caption>
                <thead class="nhsuk-table__head"><tr class="nhsuk-table__row">
                    <th class="nhsuk-table__header" scope="col">"Quarter"</th>
                    <th class="nhsuk-table__header" scope="col">"Values due"</th>
                    <th class="nhsuk-table__header" scope="col">"Planned publication"</th>
                    <th class="nhsuk-table__header" scope="col">"Reporting"</th>
                    <th class="nhsuk-table__header" scope="col">"Status"</th>
                </tr></thead>
                <tbody class="nhsuk-table__body">{rows}</tbody>
            </table>
        </div>
        {questions(&data, &form)}
        {(!data.quarters.iter().all(|q| q.differences.is_empty())).then(|| view! {
            <h2 class="nhsuk-heading-m">"Figures that differ from live"</h2>
            <p>"Values submitted, verified or returned after a quarter was published change the live figures, never the published ones. To make the live figures official, revise the quarter below, with your reason."</p>
        })}
        {differences}
        <h2>"Publish"</h2>
        {if unpublished.is_empty() {
            view! { <p>"Every quarter that has ended is published."</p> }.into_any()
        } else if let Some(through) = Some(form.value("confirm-through")).filter(|t| unpublished.contains(t)) {
            confirm_publication(&data, &through).into_any()
        } else {
            let last = unpublished.first().cloned().unwrap_or_default();
            view! {
                <form method="post" action="/admin/publication" novalidate>
                    <input type="hidden" name="action" value="publish" />
                    {quarter_select("through", "Publish every quarter up to and including", unpublished.clone(), last)}
                    <button class="nhsuk-button" type="submit" data-module="nhsuk-button">"Publish"</button>
                </form>
            }.into_any()
        }}
        <h2>"Revise a published quarter"</h2>
        {if published.is_empty() {
            view! { <p>"Nothing is published yet."</p> }.into_any()
        } else {
            view! {
                <form method="post" action="/admin/publication" novalidate>
                    <input type="hidden" name="action" value="revise" />
                    {quarter_select("quarter", "Quarter", published.clone(), form.value("quarter"))}
                    <div class=if reason_error.is_some() { "nhsuk-form-group nhsuk-form-group--error" } else { "nhsuk-form-group" }>
                        <label class="nhsuk-label" for="reason">"Reason, shown publicly beside the revised figures"</label>
                        {reason_error.clone().map(|m| view! {
                            <span class="nhsuk-error-message" id="reason-error"><span class="nhsuk-u-visually-hidden">"Error: "</span>{m}</span>
                        })}
                        <textarea class="nhsuk-textarea" id="reason" name="reason" rows="3" aria-describedby=reason_error.as_ref().map(|_| "reason-error")>{form.value("reason")}</textarea>
                    </div>
                    <button class="nhsuk-button nhsuk-button--secondary" type="submit" data-module="nhsuk-button">"Revise"</button>
                </form>
            }.into_any()
        }}
        <h2>"Move a quarter's dates"</h2>
        <form method="post" action="/admin/publication" novalidate>
            <input type="hidden" name="action" value="dates" />
            {quarter_select("period", "Quarter", all, form.value("period"))}
            <DateInput name="deadline" legend="New deadline for values (optional)" hint="For example, 14 4 2015".to_string() form=form.clone() given=None />
            <DateInput name="publication" legend="New planned publication date (optional)" hint="For example, 14 4 2015".to_string() form=form.clone() given=None />
            <button class="nhsuk-button nhsuk-button--secondary" type="submit" data-module="nhsuk-button">"Move dates"</button>
        </form>
    }
}

#[server(prefix = "/_fn", endpoint = "admin-frameworks")]
pub async fn frameworks_data(a: Option<i64>, b: Option<i64>) -> Result<FrameworksView, AppError> {
    use crate::domain::account::Role;
    crate::ui::session::require(Role::Admin)?;
    let state = crate::state::app_state()?;
    Ok(crate::service::frameworks_view(&state.pool, a, b).await?)
}

#[component]
pub fn AdminFrameworksPage() -> impl IntoView {
    let q = use_query_map();
    let a = q.with_untracked(|q| q.get("a").and_then(|v| v.parse().ok()));
    let b = q.with_untracked(|q| q.get("b").and_then(|v| v.parse().ok()));
    let form = form_state();
    let flash = session_info().flash;
    view! {
        <Suspense fallback=|| ()>
            {
                let (form, flash) = (form.clone(), flash.clone());
                move || {
                    let (form, flash) = (form.clone(), flash.clone());
                    Suspend::new(async move {
                        match frameworks_data(a, b).await {
                            Ok(data) => view! { <Frameworks data form flash /> }.into_any(),
                            Err(e) => error_page(e),
                        }
                    })
                }
            }
        </Suspense>
    }
}

#[component]
fn Frameworks(data: FrameworksView, form: FormState, flash: Option<String>) -> impl IntoView {
    let title = if form.errors.is_empty() {
        "Frameworks"
    } else {
        "Error: Frameworks"
    };
    let rows = data
        .versions
        .iter()
        .rev()
        .map(|v| {
            let used: Vec<String> = data
                .published
                .iter()
                .filter(|(_, c, n)| *c == v.code && *n == v.version)
                .map(|(q, _, _)| q.clone())
                .collect();
            view! {
                <tr class="nhsuk-table__row">
                    <th class="nhsuk-table__header" scope="row">{format!("{} version {}", v.code, v.version)}{v.active.then(|| view! { " " <strong class="nhsuk-tag nhsuk-tag--green">"Active"</strong> })}</th>
                    <td class="nhsuk-table__cell">{v.name.clone()}</td>
                    <td class="nhsuk-table__cell">{v.criteria.to_string()}</td>
                    <td class="nhsuk-table__cell">{if used.is_empty() { "None".to_string() } else { used.join(", ") }}</td>
                </tr>
            }
        })
        .collect_view();
    let options = |chosen: Option<i64>| {
        data.versions
            .iter()
            .map(|v| {
                let selected = Some(v.id) == chosen;
                view! { <option value=v.id.to_string() selected=selected>{format!("{} version {}", v.code, v.version)}</option> }
            })
            .collect_view()
    };
    let file_error = form.error_for("file");
    let problems = (!form.errors.is_empty()).then(|| {
        form.errors
            .iter()
            .map(|(_, m)| view! { <li>{m.clone()}</li> })
            .collect_view()
    });
    view! {
        <Title text=title />
        <ErrorSummary form=form.clone() />
        <Notice text=flash.or(form.notice.clone()) />
        <h1>"Frameworks"</h1>
        <crate::ui::components::AdminLinks />
        <p>"The newest version loaded is the active one: every live score uses it. Published quarters keep the version they were published with."</p>
        <div class="exemplar-table-scroll" tabindex="0" role="region" aria-label="Framework versions">
            <table class="nhsuk-table">
                <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">"Framework versions, newest first"</caption>
                <thead class="nhsuk-table__head"><tr class="nhsuk-table__row">
                    <th class="nhsuk-table__header" scope="col">"Version"</th>
                    <th class="nhsuk-table__header" scope="col">"Name"</th>
                    <th class="nhsuk-table__header" scope="col">"Criteria"</th>
                    <th class="nhsuk-table__header" scope="col">"Published quarters using it"</th>
                </tr></thead>
                <tbody class="nhsuk-table__body">{rows}</tbody>
            </table>
        </div>
        <h2>"What changed between two versions"</h2>
        {if data.versions.len() < 2 {
            view! { <p data-testid="framework-changes">"Only one version has been loaded, so there is nothing to compare yet."</p> }.into_any()
        } else {
            view! {
                <form method="get" action="/admin/frameworks" class="exemplar-filter">
                    <div class="nhsuk-form-group exemplar-filter__item">
                        <label class="nhsuk-label" for="a">"From"</label>
                        <select class="nhsuk-select" id="a" name="a">{options(data.a.or(data.versions.iter().rev().nth(1).map(|v| v.id)))}</select>
                    </div>
                    <div class="nhsuk-form-group exemplar-filter__item">
                        <label class="nhsuk-label" for="b">"To"</label>
                        <select class="nhsuk-select" id="b" name="b">{options(data.b.or(data.versions.last().map(|v| v.id)))}</select>
                    </div>
                    <button class="nhsuk-button nhsuk-button--secondary exemplar-filter__button" type="submit">"Show changes"</button>
                </form>
                {data.changes.clone().map(|c| {
                    if data.a == data.b {
                        view! { <p data-testid="framework-changes">"You chose the same version twice. Choose two different versions to see what changed."</p> }.into_any()
                    } else if c.is_empty() {
                        view! { <p data-testid="framework-changes">"No differences."</p> }.into_any()
                    } else {
                        let items = c.into_iter().map(|l| view! { <li>{l}</li> }).collect_view();
                        view! { <ul data-testid="framework-changes">{items}</ul> }.into_any()
                    }
                })}
            }.into_any()
        }}
        <h2>"Load a new version"</h2>
        <p>"Choose a framework file (a .toml file) with the themes, criteria, weights, milestones and benefits. "<a href="/how-scores-work">"How scores work"</a>" shows how each of them is used in the scores."</p>
        <p>"The whole file is checked before anything is loaded. If there is a problem, nothing is loaded and every problem is listed."</p>
        <form method="post" action="/admin/frameworks" enctype="multipart/form-data" novalidate>
            <div class=if file_error.is_some() { "nhsuk-form-group nhsuk-form-group--error" } else { "nhsuk-form-group" }>
                <label class="nhsuk-label" for="file">"Framework file"</label>
                {problems.map(|items| view! {
                    <div class="nhsuk-error-message" id="file-error">
                        <span class="nhsuk-u-visually-hidden">"Error: "</span>
                        <ul class="nhsuk-list">{items}</ul>
                    </div>
                })}
                <input class="nhsuk-file-upload" id="file" name="file" type="file" accept=".toml"
                    aria-describedby=file_error.as_ref().map(|_| "file-error") />
            </div>
            <button class="nhsuk-button" type="submit" data-module="nhsuk-button">"Load framework"</button>
        </form>
    }
}

/// "Check before you publish": each quarter that would become public, with what is not yet
/// settled in it (its deadline not passed, values waiting for review), then the button.
fn confirm_publication(data: &PublicationView, through: &str) -> impl IntoView {
    let mut going: Vec<&QuarterLine> = data
        .quarters
        .iter()
        .filter(|q| q.ended && q.published.is_none() && q.quarter.as_str() <= through)
        .collect();
    going.sort_by(|a, b| a.quarter.cmp(&b.quarter));
    let long = |d: &str| {
        chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
            .map(crate::domain::format::long_date)
            .unwrap_or_else(|_| d.to_string())
    };
    let items = going
        .iter()
        .map(|q| {
            let mut warnings = Vec::new();
            if q.deadline.as_str() >= data.today.as_str() {
                warnings.push(format!(
                    "Values are due by {}: economies can still submit them.",
                    long(&q.deadline)
                ));
            }
            if q.waiting > 0 {
                warnings.push(format!(
                    "{} still {} for the board's review.",
                    crate::domain::types::count(q.waiting, "value", "values"),
                    if q.waiting == 1 { "waits" } else { "wait" }
                ));
            }
            let unanswered = q.flags.iter().filter(|f| f.outcome.is_none()).count();
            if unanswered > 0 {
                warnings.push(format!(
                    "{} from economies about its figures {} no answer yet.",
                    crate::domain::types::count(unanswered, "question", "questions"),
                    if unanswered == 1 { "has" } else { "have" }
                ));
            }
            let settled = warnings.is_empty();
            view! {
                <li>
                    <strong>{q.quarter.clone()}</strong>
                    {if settled {
                        view! { <p class="nhsuk-body-s">{format!("Values were due by {}. None waits for review.", long(&q.deadline))}</p> }.into_any()
                    } else {
                        let w = warnings.into_iter().map(|w| view! { <li>{w}</li> }).collect_view();
                        view! { <ul class="nhsuk-body-s">{w}</ul> }.into_any()
                    }}
                </li>
            }
        })
        .collect_view();
    let unsettled = going.iter().any(|q| {
        q.waiting > 0
            || q.deadline.as_str() >= data.today.as_str()
            || q.flags.iter().any(|f| f.outcome.is_none())
    });
    view! {
        <div class="nhsuk-card" id="confirm-publication">
            <div class="nhsuk-card__content">
                <h3 class="nhsuk-card__heading">"Check before you publish"</h3>
                <p>{format!("Publishing makes {} official and public. It cannot be undone: a later correction is a revision, shown beside the figures with its reason.", crate::domain::types::count(going.len(), "quarter's figures", "quarters' figures"))}</p>
                <ul class="nhsuk-list">{items}</ul>
                {unsettled.then(|| view! {
                    <div class="nhsuk-warning-callout">
                        <h4 class="nhsuk-warning-callout__label"><span role="text"><span class="nhsuk-u-visually-hidden">"Important: "</span>"Not everything is settled"</span></h4>
                        <p>"The figures published will be the ones that stand now. Values submitted or reviewed later change only the live figures, until a revision."</p>
                    </div>
                })}
                <form method="post" action="/admin/publication" novalidate>
                    <input type="hidden" name="action" value="publish" />
                    <input type="hidden" name="through" value=through.to_string() />
                    <input type="hidden" name="confirm" value="yes" />
                    <button class="nhsuk-button nhsuk-button--warning" type="submit" data-module="nhsuk-button">{format!("Publish up to and including {through}")}</button>
                </form>
                <p><a href="/admin/publication">"Cancel: publish nothing"</a></p>
            </div>
        </div>
    }
}

/// What economies questioned in the days before publication, quarter by quarter, the newest
/// quarter first: each question with its answer, or the form to answer it.
fn questions(data: &PublicationView, form: &FormState) -> impl IntoView {
    use crate::domain::preview::Outcome;
    let quarters: Vec<&QuarterLine> = data
        .quarters
        .iter()
        .filter(|q| !q.flags.is_empty())
        .collect();
    let window = data.quarters.iter().find(|q| q.ended && q.published.is_none()).and_then(|q| {
        q.preview.map(|(from, to)| {
            format!(
                "Economies can question {}'s figures from {} to {}, before its planned publication.",
                q.quarter,
                crate::domain::format::long_date(from),
                crate::domain::format::long_date(to)
            )
        })
    });
    if quarters.is_empty() && window.is_none() {
        return ().into_any();
    }
    let cards = quarters
        .iter()
        .flat_map(|q| q.flags.iter())
        .map(|f| {
            let id = f.id;
            let outcome_field = format!("flag-{id}-outcome");
            let answer_field = format!("flag-{id}-answer");
            let outcome_error = form.error_for(&outcome_field);
            let answer_error = form.error_for(&answer_field);
            let chosen = form.value(&outcome_field);
            let body = match (f.outcome, f.answer.clone()) {
                (Some(o), Some(a)) => view! {
                    <p>
                        <strong class=if o == Outcome::Corrected { "nhsuk-tag nhsuk-tag--green" } else { "nhsuk-tag nhsuk-tag--blue" }>{o.words()}</strong>
                    </p>
                    <p>{format!("The board's answer on {}: {a}", f.answered_on.map(crate::domain::format::long_date).unwrap_or_default())}</p>
                }.into_any(),
                _ => {
                    let group = |e: &Option<String>| if e.is_some() { "nhsuk-form-group nhsuk-form-group--error" } else { "nhsuk-form-group" };
                    let radio = |value: &'static str, label: &'static str, hint: &'static str| {
                        let input_id = format!("{outcome_field}-{value}");
                        let hint_id = format!("{input_id}-hint");
                        view! {
                            <div class="nhsuk-radios__item">
                                <input class="nhsuk-radios__input" id=input_id.clone() name=outcome_field.clone() type="radio" value=value checked=chosen == value aria-describedby=hint_id.clone() />
                                <label class="nhsuk-label nhsuk-radios__label" for=input_id>{label}</label>
                                <div class="nhsuk-hint nhsuk-radios__hint" id=hint_id>{hint}</div>
                            </div>
                        }
                    };
                    view! {
                        <form method="post" action="/admin/publication" novalidate>
                            <input type="hidden" name="action" value="answer-flag" />
                            <input type="hidden" name="flag" value=id.to_string() />
                            <div class=group(&outcome_error)>
                                <fieldset class="nhsuk-fieldset" aria-describedby=outcome_error.as_ref().map(|_| format!("{outcome_field}-error"))>
                                    <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">"Your answer"</legend>
                                    {crate::ui::forms::error_message(format!("{outcome_field}-error"), outcome_error.clone())}
                                    <div class="nhsuk-radios" id=outcome_field.clone()>
                                        {radio("corrected", "Corrected", "The data behind the figure was corrected: the published figure will differ.")}
                                        {radio("kept", "Kept", "The figure stands as it is.")}
                                    </div>
                                </fieldset>
                            </div>
                            <div class=group(&answer_error)>
                                <label class="nhsuk-label" for=answer_field.clone()>"What you tell the economy"</label>
                                <div class="nhsuk-hint" id=format!("{answer_field}-hint")>"What was corrected, or why the figure stands. The economy sees it on its page and as a message."</div>
                                {crate::ui::forms::error_message(format!("{answer_field}-error"), answer_error.clone())}
                                <textarea class=if answer_error.is_some() { "nhsuk-textarea nhsuk-textarea--error" } else { "nhsuk-textarea" } id=answer_field.clone() name=answer_field.clone() rows="3" aria-describedby=format!("{answer_field}-hint")>{form.value(&answer_field)}</textarea>
                            </div>
                            <button class="nhsuk-button nhsuk-button--secondary" type="submit" data-module="nhsuk-button">"Send the answer"<span class="nhsuk-u-visually-hidden">{format!(" to {} about {}", f.economy_name, f.figure)}</span></button>
                        </form>
                    }.into_any()
                }
            };
            view! {
                <div class="nhsuk-card" id=format!("flag-{id}")>
                    <div class="nhsuk-card__content">
                        <h3 class="nhsuk-card__heading nhsuk-heading-s">{format!("{}: {} for {}, {}", f.economy_name, f.figure, f.quarter, f.shown)}</h3>
                        <p>{format!("{} said on {}: {}", f.raised_by, crate::domain::format::long_date(f.raised_on), f.reason)}</p>
                        {body}
                    </div>
                </div>
            }
        })
        .collect_view();
    let waiting = quarters
        .iter()
        .flat_map(|q| q.flags.iter())
        .filter(|f| f.outcome.is_none())
        .count();
    view! {
        <h2 id="flags">"Figures economies questioned"</h2>
        {window.map(|w| view! { <p>{w}</p> })}
        <p>{if waiting == 0 {
            "Every question has an answer.".to_string()
        } else {
            format!("{} {} an answer before you publish.", crate::domain::types::count(waiting, "question", "questions"), if waiting == 1 { "needs" } else { "need" })
        }}</p>
        {cards}
    }
    .into_any()
}
