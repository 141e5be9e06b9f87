//! `/assess`: the review queue. Submitted values with their evidence, filtered and ordered by
//! impact, verified (several at once) or returned with a reason. Plain forms: no JavaScript
//! needed.

use crate::domain::assessment::view::QueueView;
use crate::domain::assessment::QueueFilter;
use crate::error::AppError;
use crate::ui::components::error_page;
use crate::ui::forms::{ErrorSummary, Notice};
use crate::ui::session::{form_state, session_info, FormState};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// Values a page of the queue holds.
#[cfg(feature = "ssr")]
pub const PAGE: usize = 20;

#[server(prefix = "/_fn", endpoint = "review-queue")]
pub async fn review_queue(
    filter: QueueFilter,
    page: String,
    tab: String,
) -> Result<QueueView, AppError> {
    use crate::domain::account::Role;
    use crate::domain::assessment::view::FollowUp;
    use crate::domain::paging::Paging;
    let user = crate::ui::session::require(Role::Assessor)?;
    let state = crate::state::app_state()?;
    let pool = &state.pool;
    let fw = crate::service::active_framework(pool).await?.framework;
    let items = crate::review::queue(pool, &filter, &user.email, state.today())
        .await
        .map_err(|_| AppError::Internal)?;
    let (economies, quarters) = crate::review::queue_choices(pool).await?;
    let reporting = crate::domain::Quarter::containing(state.today())
        .prev()
        .to_string();
    let reporting_waiting = items.iter().filter(|i| i.current).count();
    let paging = Paging::new(&page, items.len(), PAGE);
    let (register, _) = crate::trusts::register(pool, &fw, state.today()).await?;
    let follow_ups = register
        .into_iter()
        .filter_map(|t| match t.plan {
            Some((p, crate::domain::trusts::PlanState::Overdue)) => Some(FollowUp {
                code: t.entry.code,
                name: t.entry.name,
                economy: t.entry.economy_name,
                agreed_date: p.agreed_date,
            }),
            _ => None,
        })
        .collect();
    Ok(QueueView {
        follow_ups,
        follow_ups_tab: tab == "follow-ups",
        items: paging.slice(items),
        total: paging.total,
        paging,
        reporting,
        reporting_waiting,
        undoable: crate::review::undoable(pool, &user).await?,
        filter,
        economies,
        themes: fw
            .themes
            .iter()
            .map(|t| (t.code.clone(), t.name.clone()))
            .collect(),
        criteria: fw
            .criteria
            .iter()
            .map(|c| (c.code.clone(), c.title.clone()))
            .chain(
                fw.benefits
                    .iter()
                    .map(|b| (b.code.clone(), b.title.clone())),
            )
            .collect(),
        quarters,
    })
}

/// The queue's filters from the query string.
pub fn filter_from(get: impl Fn(&str) -> Option<String>) -> QueueFilter {
    QueueFilter {
        economy: get("economy").unwrap_or_default(),
        theme: get("theme").unwrap_or_default(),
        criterion: get("criterion").unwrap_or_default(),
        quarter: get("quarter").unwrap_or_default(),
        older_than_days: get("age").and_then(|a| a.parse().ok()),
        sort: get("sort").unwrap_or_default(),
        mine: get("mine").as_deref() == Some("yes"),
    }
}

/// The queue's address with its filters (no page): where its pages and tabs lead.
pub fn queue_base(f: &QueueFilter) -> String {
    let age = f.older_than_days.map(|d| d.to_string()).unwrap_or_default();
    crate::ui::components::with_query(
        "/assess",
        &[
            ("economy", &f.economy),
            ("theme", &f.theme),
            ("criterion", &f.criterion),
            ("quarter", &f.quarter),
            ("age", &age),
            ("sort", &f.sort),
            ("mine", if f.mine { "yes" } else { "" }),
        ],
    )
}

#[component]
pub fn AssessPage() -> impl IntoView {
    let query = use_query_map();
    let filter = query.with_untracked(|q| filter_from(|k| q.get(k)));
    let page = query.with_untracked(|q| q.get("page").unwrap_or_default());
    let tab = query.with_untracked(|q| q.get("tab").unwrap_or_default());
    let back = query.with_untracked(|q| {
        let s = q.to_query_string();
        if s.is_empty() || s == "?" {
            "/assess".to_string()
        } else {
            format!("/assess{s}")
        }
    });
    let form = form_state();
    let flash = session_info().flash;
    view! {
        <Suspense fallback=|| ()>
            {
                let (filter, form, flash, back) = (filter.clone(), form.clone(), flash.clone(), back.clone());
                move || {
                    let (filter, form, flash, back) = (filter.clone(), form.clone(), flash.clone(), back.clone());
                    let (page, tab) = (page.clone(), tab.clone());
                    Suspend::new(async move {
                        match review_queue(filter, page, tab).await {
                            Ok(data) => view! { <Queue data form flash back /> }.into_any(),
                            Err(e) => error_page(e),
                        }
                    })
                }
            }
        </Suspense>
    }
}

fn select(
    name: &'static str,
    label: &'static str,
    options: Vec<(String, String)>,
    chosen: String,
) -> impl IntoView {
    let items = options
        .into_iter()
        .map(|(v, l)| {
            let selected = v == chosen;
            view! { <option value=v selected=selected>{l}</option> }
        })
        .collect_view();
    view! {
        <div class="nhsuk-form-group exemplar-filter__item">
            <label class="nhsuk-label" for=name>{label}</label>
            <select class="nhsuk-select" id=name name=name>
                <option value="">"All"</option>
                {items}
            </select>
        </div>
    }
}

pub fn impact_text(i: &crate::domain::assessment::Impact) -> String {
    let mut parts = Vec::new();
    if let Some(d) = &i.decides {
        parts.push(format!("Decides {d}"));
    }
    parts.push(format!("moves overall by {:+.1}", i.delta_overall));
    if let Some(j) = i.jump {
        parts.push(format!("{j:+.0} points on the quarter before"));
    }
    parts.join("; ")
}

fn when(at: &str) -> String {
    crate::domain::format::day_of(at)
}

#[component]
fn Queue(data: QueueView, form: FormState, flash: Option<String>, back: String) -> impl IntoView {
    use crate::domain::types::count;
    use crate::ui::components::Pagination;
    let title = if form.errors.is_empty() {
        "Review queue"
    } else {
        "Error: Review queue"
    };
    let f = data.filter.clone();
    let base = queue_base(&f);
    let tabs = {
        let values_href = base.clone();
        let plans_href = format!(
            "{}tab=follow-ups",
            if base.contains('?') {
                format!("{base}&")
            } else {
                format!("{base}?")
            }
        );
        let on_plans = data.follow_ups_tab;
        view! {
            <nav class="exemplar-tabs" aria-label="Review queue">
                <ul class="exemplar-tabs__list">
                    <li class="exemplar-tabs__item">
                        <a class="exemplar-tabs__link" href=values_href aria-current=(!on_plans).then_some("page")>{format!("Values waiting ({})", crate::domain::paging::grouped(data.total))}</a>
                    </li>
                    <li class="exemplar-tabs__item">
                        <a class="exemplar-tabs__link" href=plans_href aria-current=on_plans.then_some("page")>{format!("Overdue plans ({})", data.follow_ups.len())}</a>
                    </li>
                </ul>
            </nav>
        }
    };
    let undo = (!data.undoable.is_empty()).then(|| {
        let lines = data.undoable.iter().map(|l| view! { <li>{l.clone()}</li> }).collect_view();
        view! {
            <div class="nhsuk-inset-text exemplar-undo" data-testid="undo">
                <span class="nhsuk-u-visually-hidden">"Information: "</span>
                <p>{format!("You can undo your {} for a minute after you make {}:", if data.undoable.len() == 1 { "review" } else { "reviews" }, if data.undoable.len() == 1 { "it" } else { "them" })}</p>
                <ul class="nhsuk-list nhsuk-list--bullet">{lines}</ul>
                <form method="post" action="/assess">
                    <input type="hidden" name="action" value="undo" />
                    <input type="hidden" name="back" value=back.clone() />
                    <button class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" type="submit">"Undo"</button>
                </form>
            </div>
        }
    });
    let body = if data.follow_ups_tab {
        let items = data.follow_ups.iter().map(|f| view! {
            <li>
                <a href=format!("/assess/trusts/{}", f.code)>{format!("{} ({})", f.name, f.code)}</a>
                {format!("{}: agreed an operational EPR by {}, and has none.", f.economy.as_ref().map(|e| format!(", {e}")).unwrap_or_default(), crate::domain::format::day_of(&f.agreed_date))}
            </li>
        }).collect_view();
        if data.follow_ups.is_empty() {
            view! { <p>"No remediation plan is overdue."</p> }.into_any()
        } else {
            view! {
                <div class="nhsuk-warning-callout" data-testid="follow-ups">
                    <h2 class="nhsuk-warning-callout__label"><span role="text"><span class="nhsuk-u-visually-hidden">"Important: "</span>{format!("Follow-ups: {} overdue", count(data.follow_ups.len(), "remediation plan", "remediation plans"))}</span></h2>
                    <p>"Each of these trusts agreed a date for an operational electronic patient record, and the date has passed. Follow each up with its commissioner."</p>
                    <ul class="nhsuk-list nhsuk-list--bullet">{items}</ul>
                </div>
            }.into_any()
        }
    } else {
        queue_list(&data, &form, &back, &base).into_any()
    };
    view! {
        <Title text=title />
        <ErrorSummary form=form.clone() />
        <Notice text=flash.or(form.notice.clone()) />
        <h1>"Review queue"</h1>
        <p>
            <a href="/assess/shortlist">"Shortlist and decisions"</a>
            " · "
            <a href="/assess/compare">"Compare candidates"</a>
            " · "
            <a href="/assess/trusts">"Trust enforcement"</a>
        </p>
        <crate::ui::pages::BoardQuestionsWaiting />
        {undo}
        {tabs}
        {body}
        {(!data.follow_ups_tab).then(|| view! { <Pagination paging=data.paging.clone() base=base.clone() fragment="#queue" label="Pages of the review queue" /> })}
    }
}

fn queue_list(data: &QueueView, form: &FormState, back: &str, _base: &str) -> impl IntoView {
    use crate::domain::types::count;
    let f = data.filter.clone();
    let offset = data.paging.offset();
    let rows = data
        .items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let n = offset + i;
            let reason_id = format!("reason-{n}");
            let reason_error = form.error_for(&reason_id);
            let select_id = format!("select-{n}");
            let what = format!("{} {} {}", item.name, item.code, item.period);
            let evidence = {
                let doc = item.document.clone().map(|d| {
                    let href = format!("/assess/economies/{}/evidence/{}/{}", item.slug, item.period, item.code);
                    view! { <a href=href download="">{d}</a><br /> }
                });
                let link = item.link.clone().map(|l| {
                    view! { <a class="exemplar-break" href=l.clone() rel="noopener noreferrer nofollow">{l.clone()}</a> }
                });
                let none = (item.document.is_none() && item.link.is_none()).then_some("None");
                view! { {doc}{link}{none} }
            };
            let value = if item.value.is_empty() {
                "not yet achieved".to_string()
            } else {
                item.value.clone()
            };
            view! {
                <tr class="nhsuk-table__row">
                    <td class="nhsuk-table__cell exemplar-queue__select">
                        <div class="nhsuk-checkboxes__item exemplar-checkbox">
                            <input class="nhsuk-checkboxes__input" id=select_id.clone() name="key" type="checkbox" value=item.key.clone() form="bulk" />
                            <label class="nhsuk-label nhsuk-checkboxes__label" for=select_id>
                                <span class="nhsuk-u-visually-hidden">{format!("Select {what}")}</span>
                            </label>
                        </div>
                    </td>
                    <td class="nhsuk-table__cell exemplar-queue__value">
                        <p class="nhsuk-body-s nhsuk-u-margin-bottom-1">
                            <a href=format!("/assess/economies/{}", item.slug)>{item.name.clone()}</a>
                            {format!(", {}", item.period)}
                            {item.current.then(|| view! { " " <strong class="nhsuk-tag nhsuk-tag--blue">"Being reported"</strong> })}
                            {item.late.then(|| view! { " " <strong class="nhsuk-tag nhsuk-tag--orange">"Late"</strong> })}
                        </p>
                        <p class="nhsuk-u-margin-bottom-1"><strong>{format!("{} ({})", item.title, item.code)}</strong><span class="nhsuk-body-s">{format!(" · {}", item.theme)}</span></p>
                        <dl class="exemplar-facts">
                            <dt>"Value"</dt>
                            <dd><strong>{value}</strong>{item.register.clone().map(|m| view! {
                                " " <strong class="nhsuk-tag nhsuk-tag--orange">"Register disagrees"</strong>
                                <span class="nhsuk-body-s" data-testid="register-check">{format!(" {m}. ")}<a href="/assess/trusts">"Trust register"</a></span>
                            })}</dd>
                            {(!item.warnings.is_empty()).then(|| {
                                let found = item
                                    .warnings
                                    .iter()
                                    .map(|w| format!("{}. {}", crate::domain::format::sentence(&w.found), w.message))
                                    .collect::<Vec<_>>()
                                    .join(" ");
                                view! {
                                    <dt>"Unusual"</dt>
                                    <dd data-testid="queue-check">
                                        <p class="nhsuk-body-s nhsuk-u-margin-bottom-1">
                                            <strong class="nhsuk-tag nhsuk-tag--orange">"Check"</strong>
                                            {format!(" {found}")}
                                        </p>
                                        <p class="nhsuk-body-s nhsuk-u-margin-bottom-1">{match &item.reason {
                                            Some(r) => format!("The economy's reason: {r}"),
                                            None => "The economy gave no reason.".to_string(),
                                        }}</p>
                                    </dd>
                                }
                            })}
                            <dt>"Evidence"</dt>
                            <dd>{evidence}</dd>
                            <dt>"Submitted"</dt>
                            <dd>{format!("{} by {}", when(&item.at), item.by)}</dd>
                            <dt>"Impact"</dt>
                            <dd data-testid="impact">{impact_text(&item.impact)}</dd>
                            {item.assigned.clone().map(|a| view! { <dt>"Assigned to"</dt><dd>{a}</dd> })}
                        </dl>
                    </td>
                    <td class="nhsuk-table__cell exemplar-review">
                        <form method="post" action="/assess">
                            <input type="hidden" name="action" value="verify" />
                            <input type="hidden" name="key" value=item.key.clone() />
                            <input type="hidden" name="back" value=back.to_string() />
                            <button class="nhsuk-button nhsuk-button--small exemplar-inline-button" type="submit">
                                "Verify"<span class="nhsuk-u-visually-hidden">{format!(" {what}")}</span>
                            </button>
                        </form>
                        <form method="post" action="/assess" novalidate>
                            <input type="hidden" name="action" value="return" />
                            <input type="hidden" name="key" value=item.key.clone() />
                            <input type="hidden" name="field" value=reason_id.clone() />
                            <input type="hidden" name="back" value=back.to_string() />
                            <div class=if reason_error.is_some() { "nhsuk-form-group nhsuk-form-group--error nhsuk-u-margin-bottom-2" } else { "nhsuk-form-group nhsuk-u-margin-bottom-2" }>
                                <label class="nhsuk-label nhsuk-body-s" for=reason_id.clone()>
                                    "Reason to return"<span class="nhsuk-u-visually-hidden">{format!(" {what}")}</span>
                                </label>
                                {reason_error.clone().map(|m| view! {
                                    <span class="nhsuk-error-message" id=format!("{reason_id}-error")><span class="nhsuk-u-visually-hidden">"Error: "</span>{m}</span>
                                })}
                                <input class="nhsuk-input" id=reason_id.clone() name="reason" type="text"
                                    aria-describedby=reason_error.as_ref().map(|_| format!("{reason_id}-error")) />
                            </div>
                            <button class="nhsuk-button nhsuk-button--secondary nhsuk-button--small exemplar-inline-button" type="submit">
                                "Return"<span class="nhsuk-u-visually-hidden">{format!(" {what}")}</span>
                            </button>
                        </form>
                    </td>
                </tr>
            }
        })
        .collect_view();
    let intro = if data.total == 0 {
        String::new()
    } else {
        let waiting = if data.total == 1 {
            "1 submitted value waits for review.".to_string()
        } else {
            format!(
                "{} wait for review.",
                count(data.total, "submitted value", "submitted values")
            )
        };
        let reporting = match data.reporting_waiting {
            0 => String::new(),
            1 => format!(
                " 1 is for {}, the quarter being reported, and comes first.",
                data.reporting
            ),
            n => format!(
                " {} are for {}, the quarter being reported, and come first.",
                crate::domain::paging::grouped(n),
                data.reporting
            ),
        };
        let order = if f.sort == "oldest" {
            " Then the oldest come first."
        } else {
            " Then values that decide a gate or a stage, then those that move an economy's overall score most, then those that jumped most from the quarter before."
        };
        format!("{waiting}{reporting}{order}")
    };
    view! {
        <p>{intro}</p>
        <form method="get" action="/assess" class="exemplar-filter">
            {select("economy", "Economy", data.economies.clone(), f.economy.clone())}
            {select("theme", "Theme", data.themes.clone(), f.theme.clone())}
            {select("criterion", "Criterion", data.criteria.clone(), f.criterion.clone())}
            {select("quarter", "Quarter", data.quarters.iter().map(|q| (q.clone(), q.clone())).collect(), f.quarter.clone())}
            {select("age", "Waiting", vec![("7".into(), "7 days or more".into()), ("30".into(), "30 days or more".into())], f.older_than_days.map(|d| d.to_string()).unwrap_or_default())}
            <div class="nhsuk-form-group exemplar-filter__item">
                <label class="nhsuk-label" for="sort">"Order"</label>
                <select class="nhsuk-select" id="sort" name="sort">
                    <option value="impact" selected=f.sort != "oldest">"By impact"</option>
                    <option value="oldest" selected=f.sort == "oldest">"Oldest first"</option>
                </select>
            </div>
            <div class="nhsuk-form-group exemplar-filter__item">
                <div class="nhsuk-checkboxes nhsuk-checkboxes--small">
                    <div class="nhsuk-checkboxes__item">
                        <input class="nhsuk-checkboxes__input" id="mine" name="mine" type="checkbox" value="yes" checked=f.mine />
                        <label class="nhsuk-label nhsuk-checkboxes__label" for="mine">"Only economies assigned to me"</label>
                    </div>
                </div>
            </div>
            <button class="nhsuk-button nhsuk-button--secondary exemplar-filter__button" type="submit">"Apply"</button>
        </form>
        {if data.items.is_empty() {
            view! { <p id="queue">{if f.mine { "Nothing waits for review in the economies assigned to you. Assign an economy to yourself from its page." } else { "Nothing waits for review here." }}</p> }.into_any()
        } else {
            view! {
                <p class="nhsuk-body-s" id="queue">{data.paging.showing("values")}</p>
                {data.paging.past_end_words().map(|w| view! { <p class="nhsuk-body-s">{w}</p> })}
                <form id="bulk" method="post" action="/assess">
                    <input type="hidden" name="action" value="verify" />
                    <input type="hidden" name="back" value=back.to_string() />
                    <button class="nhsuk-button nhsuk-button--small" id="keys" type="submit" data-module="nhsuk-button">"Verify selected values"</button>
                </form>
                <table class="nhsuk-table exemplar-queue">
                    <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">"Values waiting for review"</caption>
                    <thead class="nhsuk-table__head">
                        <tr class="nhsuk-table__row">
                            <th class="nhsuk-table__header" scope="col"><span class="nhsuk-u-visually-hidden">"Select"</span></th>
                            <th class="nhsuk-table__header" scope="col">"Value"</th>
                            <th class="nhsuk-table__header" scope="col">"Review"</th>
                        </tr>
                    </thead>
                    <tbody class="nhsuk-table__body">{rows}</tbody>
                </table>
            }.into_any()
        }}
    }
}
