//! `/assess/shortlist`: the candidates ranked (live), with how robust each rank is to the
//! theme weights; assessors propose candidates with a rationale and admins record the panel's
//! decisions, each kept with the scores it was based on and never edited; admins make
//! decisions public on the economy's page.

use crate::error::AppError;
use crate::ui::components::error_page;
use crate::ui::forms::{ErrorSummary, Notice};
use crate::ui::session::{form_state, session_info, FormState};
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    pub slug: String,
    pub name: String,
    pub rank: Option<u32>,
    pub overall: Option<f64>,
    pub verified_overall: Option<f64>,
    pub eligible: Option<bool>,
    /// Best and worst rank when one theme weight alone is halved or multiplied by 1.5.
    pub robustness: Option<(u32, u32)>,
    /// The latest proposal or decision: outcome.
    pub standing: Option<String>,
    /// Member trusts non-compliant without an agreed remediation plan: not fundable.
    pub not_fundable: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recorded {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub outcome: String,
    pub rationale: String,
    pub period: Option<String>,
    pub overall: Option<f64>,
    pub at: String,
    pub by: String,
    pub public: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShortlistView {
    pub as_of: Option<String>,
    pub candidates: Vec<Candidate>,
    pub record: Vec<Recorded>,
    pub admin: bool,
}

#[server(prefix = "/_fn", endpoint = "shortlist")]
pub async fn shortlist_data() -> Result<ShortlistView, AppError> {
    use crate::domain::account::Role;
    let user = crate::ui::session::require(Role::Assessor)?;
    let state = crate::state::app_state()?;
    let pool = &state.pool;
    let fw = crate::service::active_framework(pool).await?.framework;
    let inputs: Vec<_> = crate::service::scoring_inputs(pool)
        .await?
        .into_iter()
        .map(|(_, i)| i)
        .collect();
    let scores = crate::domain::scoring::score_all(&fw, &inputs, None);
    let robust = crate::domain::assessment::robustness(&fw, &inputs, scores.as_of);
    let decisions = crate::assessment::decisions(pool).await?;
    let mut blocked = crate::trusts::not_fundable(pool, &fw, state.today()).await?;
    let candidates = scores
        .economies
        .iter()
        .map(|r| Candidate {
            slug: r.economy.clone(),
            name: r.name.clone(),
            rank: r.rank,
            overall: r.overall,
            verified_overall: r.verified_overall,
            eligible: r.eligible,
            robustness: robust.get(&r.economy).copied(),
            standing: decisions
                .iter()
                .rev()
                .find(|d| d.slug == r.economy)
                .map(|d| d.outcome.clone()),
            not_fundable: blocked.remove(&r.economy).unwrap_or_default(),
        })
        .collect();
    let record = decisions
        .into_iter()
        .rev()
        .map(|d| {
            let overall = serde_json::from_str::<serde_json::Value>(&d.scores)
                .ok()
                .and_then(|v| v["overall"].as_f64());
            Recorded {
                id: d.id,
                slug: d.slug,
                name: d.name,
                outcome: d.outcome,
                rationale: d.rationale,
                period: d.period,
                overall,
                at: d.at,
                by: d.by,
                public: d.published_at.is_some(),
            }
        })
        .collect();
    Ok(ShortlistView {
        as_of: scores.as_of.map(|q| q.to_string()),
        candidates,
        record,
        admin: user.role == Role::Admin,
    })
}

#[component]
pub fn ShortlistPage() -> impl IntoView {
    let form = form_state();
    let flash = session_info().flash;
    view! {
        <Suspense fallback=|| ()>
            {
                let (form, flash) = (form.clone(), flash.clone());
                move || {
                    let (form, flash) = (form.clone(), flash.clone());
                    Suspend::new(async move {
                        match shortlist_data().await {
                            Ok(data) => view! { <Shortlist data form flash /> }.into_any(),
                            Err(e) => error_page(e),
                        }
                    })
                }
            }
        </Suspense>
    }
}

use crate::domain::assessment::OUTCOMES;

fn outcome_words(o: &str) -> String {
    OUTCOMES
        .iter()
        .find(|(c, _)| *c == o)
        .map(|(_, w)| w.to_string())
        .unwrap_or_else(|| o.to_string())
}

#[component]
fn Shortlist(data: ShortlistView, form: FormState, flash: Option<String>) -> impl IntoView {
    let title = if form.errors.is_empty() {
        "Shortlist and decisions"
    } else {
        "Error: Shortlist and decisions"
    };
    let no_candidates = data.candidates.is_empty();
    let ranking = data
        .candidates
        .iter()
        .map(|c| {
            let robust = match (c.rank, c.robustness) {
                (Some(_), Some((best, worst))) if best == worst => format!("always {best}"),
                (Some(_), Some((best, worst))) => format!("{best} to {worst}"),
                _ => "–".into(),
            };
            view! {
                <tr class="nhsuk-table__row">
                    <td class="nhsuk-table__cell">{c.rank.map(|r| r.to_string()).unwrap_or_else(|| "–".into())}</td>
                    <th class="nhsuk-table__header" scope="row"><a href=format!("/assess/economies/{}", c.slug)>{c.name.clone()}</a></th>
                    <td class="nhsuk-table__cell">{c.overall.map(|o| format!("{o:.1}")).unwrap_or_else(|| "–".into())}</td>
                    <td class="nhsuk-table__cell">{c.verified_overall.map(|o| format!("{o:.1}")).unwrap_or_else(|| "–".into())}</td>
                    <td class="nhsuk-table__cell">{match c.eligible { Some(true) => "Yes", Some(false) => "No", None => "–" }}</td>
                    <td class="nhsuk-table__cell" data-testid="robustness">{robust}</td>
                    <td class="nhsuk-table__cell">{c.standing.as_deref().map(outcome_words).unwrap_or_default()}</td>
                    <td class="nhsuk-table__cell" data-testid="fundable">{if c.not_fundable.is_empty() {
                        view! { "Yes" }.into_any()
                    } else {
                        view! {
                            <strong class="nhsuk-tag nhsuk-tag--red">"Not fundable"</strong>
                            <br /><span class="nhsuk-body-s">{format!("Non-compliant without an agreed plan: {}", c.not_fundable.join(", "))}</span>
                        }.into_any()
                    }}</td>
                </tr>
            }
        })
        .collect_view();
    let admin = data.admin;
    let record = data
        .record
        .iter()
        .map(|r| {
            let publish = (admin && !r.public && r.outcome != "proposed").then(|| {
                view! {
                    <form method="post" action="/assess/shortlist">
                        <input type="hidden" name="action" value="publish" />
                        <input type="hidden" name="id" value=r.id.to_string() />
                        <button class="nhsuk-button nhsuk-button--secondary nhsuk-button--small exemplar-inline-button" type="submit">
                            "Make public"<span class="nhsuk-u-visually-hidden">{format!(" the decision on {}", r.name)}</span>
                        </button>
                    </form>
                }
            });
            view! {
                <tr class="nhsuk-table__row">
                    <th class="nhsuk-table__header" scope="row">{r.name.clone()}</th>
                    <td class="nhsuk-table__cell">{outcome_words(&r.outcome)}</td>
                    <td class="nhsuk-table__cell">{r.rationale.clone()}</td>
                    <td class="nhsuk-table__cell">{format!("{} {}", r.period.clone().unwrap_or_default(), r.overall.map(|o| format!("overall {o:.1}")).unwrap_or_default())}</td>
                    <td class="nhsuk-table__cell">{format!("{} by {}", crate::domain::format::day_of(&r.at), r.by)}</td>
                    <td class="nhsuk-table__cell">{if r.public { view! { "Public" }.into_any() } else { view! { {publish} }.into_any() }}</td>
                </tr>
            }
        })
        .collect_view();
    let chosen = form.value("economy");
    let options = data
        .candidates
        .iter()
        .map(|c| {
            let selected = c.slug == chosen;
            view! { <option value=c.slug.clone() selected=selected>{c.name.clone()}</option> }
        })
        .collect_view();
    let outcome_chosen = form.value("outcome");
    let outcomes = OUTCOMES
        .iter()
        .filter(|(o, _)| admin || *o == "proposed")
        .enumerate()
        .map(|(i, (o, words))| {
            let id = if i == 0 { "outcome".to_string() } else { format!("outcome-{i}") };
            let checked = outcome_chosen == *o || (!admin && i == 0);
            view! {
                <div class="nhsuk-radios__item">
                    <input class="nhsuk-radios__input" id=id.clone() name="outcome" type="radio" value=*o checked=checked />
                    <label class="nhsuk-label nhsuk-radios__label" for=id>{*words}</label>
                </div>
            }
        })
        .collect_view();
    let e_economy = form.error_for("economy");
    let e_outcome = form.error_for("outcome");
    let e_rationale = form.error_for("rationale");
    let group = |e: &Option<String>| {
        if e.is_some() {
            "nhsuk-form-group nhsuk-form-group--error"
        } else {
            "nhsuk-form-group"
        }
    };
    let err = |id: &'static str, e: Option<String>| {
        e.map(|m| view! { <span class="nhsuk-error-message" id=format!("{id}-error")><span class="nhsuk-u-visually-hidden">"Error: "</span>{m}</span> })
    };
    view! {
        <Title text=title />
        <ErrorSummary form=form.clone() />
        <Notice text=flash.or(form.notice.clone()) />
        <h1>"Shortlist and decisions"</h1>
        <p>{format!(
            "Candidates ranked on live figures as of {}. Robustness is the best and worst rank when one theme's weight alone is halved or multiplied by 1.5: a wide span means the order depends on the weights. An economy with a member trust that has no operational EPR and no remediation plan agreed with the board is not fundable.",
            data.as_of.clone().unwrap_or_else(|| "no quarter yet".into())
        )}</p>
        <p><a href="/assess/compare">"Compare candidates side by side, with your own theme weights"</a></p>
        {if no_candidates {
            view! { <p>"There are no candidate economies yet."</p> }.into_any()
        } else {
            view! {
                <div class="exemplar-table-scroll" tabindex="0" role="region" aria-label="Candidates ranked">
                    <table class="nhsuk-table">
                        <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">"Candidates ranked, with robustness"</caption>
                        <thead class="nhsuk-table__head"><tr class="nhsuk-table__row">
                            <th class="nhsuk-table__header" scope="col">"Rank"</th>
                            <th class="nhsuk-table__header" scope="col">"Economy"</th>
                            <th class="nhsuk-table__header" scope="col">"Overall"</th>
                            <th class="nhsuk-table__header" scope="col">"Verified overall"</th>
                            <th class="nhsuk-table__header" scope="col">"Eligible"</th>
                            <th class="nhsuk-table__header" scope="col">"Rank under weight changes"</th>
                            <th class="nhsuk-table__header" scope="col">"Standing"</th>
                            <th class="nhsuk-table__header" scope="col">"Fundable"</th>
                        </tr></thead>
                        <tbody class="nhsuk-table__body">{ranking}</tbody>
                    </table>
                </div>
            }.into_any()
        }}
        <h2>{if admin { "Record a decision or a proposal" } else { "Propose a candidate" }}</h2>
        <form method="post" action="/assess/shortlist" novalidate>
            <input type="hidden" name="action" value="decide" />
            <div class=group(&e_economy)>
                <label class="nhsuk-label" for="economy">"Economy"</label>
                {err("economy", e_economy.clone())}
                <select class="nhsuk-select" id="economy" name="economy">
                    <option value="">"Choose an economy"</option>
                    {options}
                </select>
            </div>
            <div class=group(&e_outcome)>
                <fieldset class="nhsuk-fieldset">
                    <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">"Outcome"</legend>
                    {err("outcome", e_outcome.clone())}
                    <div class="nhsuk-radios">{outcomes}</div>
                </fieldset>
            </div>
            <div class=group(&e_rationale)>
                <label class="nhsuk-label" for="rationale">"Rationale"</label>
                <div class="nhsuk-hint" id="rationale-hint">"Kept with the decision and the scores it was based on. It cannot be edited: a later decision supersedes it."</div>
                {err("rationale", e_rationale.clone())}
                <textarea class="nhsuk-textarea" id="rationale" name="rationale" rows="4" aria-describedby="rationale-hint">{form.value("rationale")}</textarea>
            </div>
            <button class="nhsuk-button" type="submit" data-module="nhsuk-button">"Record"</button>
        </form>
        <h2>"The record"</h2>
        {if data.record.is_empty() {
            view! { <p>"No proposal or decision has been recorded yet."</p> }.into_any()
        } else {
            view! {
                <div class="exemplar-table-scroll" tabindex="0" role="region" aria-label="Proposals and decisions">
                    <table class="nhsuk-table">
                        <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">"Proposals and decisions, newest first"</caption>
                        <thead class="nhsuk-table__head"><tr class="nhsuk-table__row">
                            <th class="nhsuk-table__header" scope="col">"Economy"</th>
                            <th class="nhsuk-table__header" scope="col">"Outcome"</th>
                            <th class="nhsuk-table__header" scope="col">"Rationale"</th>
                            <th class="nhsuk-table__header" scope="col">"Based on"</th>
                            <th class="nhsuk-table__header" scope="col">"Recorded"</th>
                            <th class="nhsuk-table__header" scope="col">"Public"</th>
                        </tr></thead>
                        <tbody class="nhsuk-table__body">{record}</tbody>
                    </table>
                </div>
            }.into_any()
        }}
    }
}
