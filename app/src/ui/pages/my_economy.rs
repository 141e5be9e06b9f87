//! `/my-economy`: a submitter's own economy: the state of every criterion of the active
//! framework, its provisional scores for the quarter being reported, unmet gates, what the
//! next stage needs, its trajectory toward paperless, the reporting calendar and messages.

use crate::domain::Quarter;
use crate::error::AppError;
use crate::ui::components::error_page;
use crate::ui::format::long_date;
use crate::ui::pages::EconomyBenefits;
use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CriterionLine {
    pub theme: String,
    pub code: String,
    pub title: String,
    /// missing, submitted, verified or returned
    pub status: String,
    pub value: Option<String>,
    pub period: Option<String>,
    pub gate: bool,
    pub stage: Option<u8>,
    pub met: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalendarLine {
    pub quarter: Quarter,
    /// It has ended, so it can be reported.
    pub open: bool,
    pub deadline: NaiveDate,
    pub publication: NaiveDate,
    pub published: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MyEconomyView {
    pub slug: String,
    pub name: String,
    pub region: String,
    pub candidate: bool,
    pub as_of: Quarter,
    pub overall: f64,
    pub verified_overall: f64,
    pub completeness: f64,
    pub confidence: f64,
    pub stage: u8,
    pub top_stage: u8,
    pub rank: Option<u32>,
    pub ranked: usize,
    pub themes: Vec<(String, f64)>,
    pub criteria: Vec<CriterionLine>,
    pub unmet_gates: Vec<String>,
    pub next_stage: Option<(u8, Vec<String>)>,
    pub paperless_threshold: f64,
    pub paperless_milestone: Option<NaiveDate>,
    pub paperless_date: Option<NaiveDate>,
    pub paperless_achieved: bool,
    pub on_track: bool,
    pub calendar: Vec<CalendarLine>,
    /// when, subject, message
    pub messages: Vec<(String, String, String)>,
    /// Quarters with drafts not yet submitted, and how many.
    pub drafts: Vec<(String, usize)>,
    /// Outcome measures up to `as_of`, beside the live overall score.
    pub benefits: Vec<crate::domain::benefits::EconomyBenefit>,
}

#[server(prefix = "/_fn", endpoint = "my-economy")]
pub async fn my_economy_data() -> Result<MyEconomyView, AppError> {
    use crate::domain::account::Role;
    use crate::domain::scoring::{score_all, snapshot, trajectory, Prepared};
    use crate::domain::Status;
    let user = crate::ui::session::current_user()
        .filter(|u| u.role == Role::Submitter)
        .ok_or(AppError::Forbidden)?;
    let slug = user.economy.ok_or(AppError::Forbidden)?;
    let state = crate::state::app_state()?;
    let pool = &state.pool;
    let today = state.today();
    let fw = crate::service::active_framework(pool).await?.framework;
    let economy = crate::db::economy_by_slug(pool, &slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let entries = crate::db::economy_entries(pool, economy.id).await?;
    // The quarter being reported: the last one that has ended.
    let as_of = Quarter::containing(today).prev();
    let shares = fw.shares();
    let prep = Prepared::new(&fw, &entries);
    let snap = snapshot(&fw, &shares, &prep, as_of);
    let traj = trajectory(&fw, &shares, &prep, as_of);
    // Rank among the candidates, live.
    let inputs: Vec<_> = crate::service::scoring_inputs(pool)
        .await?
        .into_iter()
        .map(|(_, i)| i)
        .collect();
    let all = score_all(&fw, &inputs, Some(as_of));
    let ranked = all.economies.iter().filter(|r| r.rank.is_some()).count();
    let rank = all
        .economies
        .iter()
        .find(|r| r.economy == slug)
        .and_then(|r| r.rank);
    let theme_name = |code: &str| {
        fw.themes
            .iter()
            .find(|t| t.code == code)
            .map(|t| t.name.clone())
            .unwrap_or_default()
    };
    let criteria: Vec<CriterionLine> = fw
        .criteria
        .iter()
        .enumerate()
        .map(|(i, c)| {
            // The latest value up to the quarter, whatever its status.
            let latest = entries
                .iter()
                .filter(|e| e.code == c.code && e.period <= as_of)
                .max_by_key(|e| e.period);
            let effective = prep.effective(i, as_of);
            let status = match (latest, effective) {
                (Some(l), _) if l.status == Status::Rejected => "returned",
                (_, Some((_, _, Status::Verified))) => "verified",
                (_, Some(_)) => "submitted",
                _ => "missing",
            };
            CriterionLine {
                theme: theme_name(&c.theme),
                code: c.code.clone(),
                title: c.title.clone(),
                status: status.into(),
                value: latest.map(|l| l.value.clone()),
                period: latest.map(|l| l.period.to_string()),
                gate: c.gate,
                stage: c.stage,
                met: snap.criteria[i].met,
            }
        })
        .collect();
    let unmet_gates = criteria
        .iter()
        .filter(|c| c.gate && !c.met)
        .map(|c| c.title.clone())
        .collect();
    let top_stage = fw
        .criteria
        .iter()
        .filter_map(|c| c.stage)
        .max()
        .unwrap_or(0);
    let next_stage = (snap.stage < top_stage).then(|| {
        let next = fw
            .criteria
            .iter()
            .filter_map(|c| c.stage)
            .filter(|s| *s > snap.stage)
            .min()
            .unwrap_or(top_stage);
        let needs = criteria
            .iter()
            .filter(|c| c.stage.is_some_and(|s| s <= next) && !c.met)
            .map(|c| c.title.clone())
            .collect();
        (next, needs)
    });
    let plans = crate::db::publication_plans(pool).await?;
    let published: Vec<Quarter> = crate::service::published_quarters(pool).await?;
    let current = Quarter::containing(today);
    let moved = crate::db::deadline_plans(pool).await?;
    let calendar = [current.prev().prev(), current.prev(), current]
        .into_iter()
        .map(|q| CalendarLine {
            quarter: q,
            open: q < current,
            deadline: moved
                .get(&q.to_string())
                .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
                .unwrap_or_else(|| crate::domain::submission::deadline(&fw, q)),
            publication: crate::service::planned_publication(&fw, &plans, q),
            published: published.contains(&q),
        })
        .collect();
    let messages = crate::db::outbox_for_economy(pool, economy.id, 20)
        .await?
        .into_iter()
        .map(|m| (m.created_at, m.subject, m.body))
        .collect();
    let mut drafts: Vec<(String, usize)> = Vec::new();
    for (period, _, _) in crate::db::economy_drafts(pool, economy.id).await? {
        match drafts.last_mut() {
            Some((p, n)) if *p == period => *n += 1,
            _ => drafts.push((period, 1)),
        }
    }
    let overall_by_quarter: std::collections::HashMap<Quarter, f64> =
        traj.points.iter().copied().collect();
    let benefits =
        crate::benefits::economy_benefits(&fw, &entries, as_of, &overall_by_quarter, "my-benefit-");
    Ok(MyEconomyView {
        benefits,
        drafts,
        slug,
        name: economy.name,
        region: economy.region,
        candidate: economy.status == "candidate",
        as_of,
        overall: snap.overall,
        verified_overall: snap.verified_overall,
        completeness: snap.completeness,
        confidence: snap.confidence,
        stage: snap.stage,
        top_stage,
        rank,
        ranked,
        themes: fw
            .themes
            .iter()
            .zip(&snap.themes)
            .map(|(t, s)| (t.name.clone(), *s))
            .collect(),
        criteria,
        unmet_gates,
        next_stage,
        paperless_threshold: fw.paperless_threshold,
        paperless_milestone: fw.milestones.iter().find(|m| m.paperless).map(|m| m.date),
        paperless_date: traj.paperless_date,
        paperless_achieved: traj.achieved,
        on_track: traj.on_track,
        calendar,
        messages,
    })
}

#[component]
pub fn MyEconomyPage() -> impl IntoView {
    view! {
        <Title text="Your economy" />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match my_economy_data().await {
                    Ok(data) => view! { <MyEconomy data /> }.into_any(),
                    Err(e) => error_page(e),
                }
            })}
        </Suspense>
    }
}

fn tag(status: &str) -> impl IntoView {
    let (class, text) = match status {
        "verified" => ("nhsuk-tag nhsuk-tag--green", "Verified"),
        "submitted" => ("nhsuk-tag nhsuk-tag--blue", "Submitted"),
        "returned" => ("nhsuk-tag nhsuk-tag--red", "Returned"),
        _ => ("nhsuk-tag nhsuk-tag--grey", "Missing"),
    };
    view! { <strong class=class>{text}</strong> }
}

fn row(key: &'static str, value: String) -> impl IntoView {
    view! {
        <div class="nhsuk-summary-list__row">
            <dt class="nhsuk-summary-list__key">{key}</dt>
            <dd class="nhsuk-summary-list__value">{value}</dd>
        </div>
    }
}

#[component]
fn MyEconomy(data: MyEconomyView) -> impl IntoView {
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
    let rows = data
        .criteria
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
                    <td class="nhsuk-table__cell">{tag(&c.status)}</td>
                    <td class="nhsuk-table__cell">{value}</td>
                    <td class="nhsuk-table__cell">{if c.met { "Yes" } else { "No" }}</td>
                </tr>
            }
        })
        .collect_view();
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
            .map(|(at, subject, body)| {
                view! {
                    <div class="nhsuk-card">
                        <div class="nhsuk-card__content">
                            <h3 class="nhsuk-card__heading nhsuk-heading-s">{subject.clone()}</h3>
                            <p class="nhsuk-body-s">{at.clone()}</p>
                            <p>{body.clone()}</p>
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
    view! {
        <span class="nhsuk-caption-l">{data.region.clone()}</span>
        <h1>{data.name.clone()}</h1>
        {(!data.candidate).then(|| view! {
            <div class="nhsuk-inset-text"><p>"Your economy is not a candidate: its figures are not scored or published."</p></div>
        })}
        <div class="nhsuk-action-link">
            <a class="nhsuk-action-link__link" href=format!("/my-economy/periods/{q}")>
                <svg class="nhsuk-icon nhsuk-icon__arrow-right-circle" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" aria-hidden="true" width="36" height="36"><path d="M0 0h24v24H0z" fill="none"></path><path d="M12 2a10 10 0 0 0-9.95 9h11.64L9.74 7.05a1 1 0 0 1 1.41-1.41l5.66 5.65a1 1 0 0 1 0 1.42l-5.66 5.65a1 1 0 0 1-1.41 0 1 1 0 0 1 0-1.41L13.69 13H2.05A10 10 0 1 0 12 2z"></path></svg>
                <span class="nhsuk-action-link__text">{format!("Report {} ({q})", q.label())}</span>
            </a>
        </div>
        {(!data.drafts.is_empty()).then(|| {
            let items = data.drafts.iter().map(|(p, n)| view! {
                <li><a href=format!("/my-economy/periods/{p}")>{format!("{p}: {}", crate::domain::types::count(*n, "draft value", "draft values"))}</a></li>
            }).collect_view();
            view! {
                <div class="nhsuk-inset-text">
                    <p>"Drafts are not scored until they are submitted:"</p>
                    <ul>{items}</ul>
                </div>
            }
        })}
        <p>{format!("Provisional figures for {}, the quarter being reported. They change as values are submitted and verified, and become official when the quarter is published.", q.label())}</p>
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
        <h2>"Messages from the board"</h2>
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
