//! `/economies/{slug}`: one economy's published progress.

use crate::ui::components::{error_page, rcell, rcol, rhead, ChartFigure, PrintFoot};
use crate::ui::data::{economy_data, EconomyView};
use crate::ui::format::{long_date, score};
use crate::ui::pages::EconomyBenefits;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn EconomyPage() -> impl IntoView {
    let slug = use_params_map()
        .with_untracked(|p| p.get("slug"))
        .unwrap_or_default();
    view! {
        <Suspense fallback=|| view! { <p>"Loading the economy…"</p> }>
            {
                let slug = slug.clone();
                move || {
                    let slug = slug.clone();
                    Suspend::new(async move {
                        match economy_data(slug).await {
                            Ok(data) => view! { <Economy data /> }.into_any(),
                            Err(e) => error_page(e),
                        }
                    })
                }
            }
        </Suspense>
    }
}

#[component]
fn Economy(data: EconomyView) -> impl IntoView {
    let latest = data
        .quarters
        .iter()
        .rev()
        .find(|q| q.record.overall.is_some())
        .cloned();
    let summary = latest.clone().map(|q| {
        let r = &q.record;
        let trajectory = match (r.paperless_achieved, r.paperless_date, r.on_track) {
            (Some(true), Some(d), _) => format!("Reached the paperless threshold in the quarter ending {}.", long_date(d)),
            (_, Some(d), Some(true)) => format!("On its trend it reaches the paperless threshold on {}: on track for {}.", long_date(d), long_date(data.paperless_milestone.1)),
            (_, Some(d), _) => format!("On its trend it reaches the paperless threshold on {}: later than {}.", long_date(d), long_date(data.paperless_milestone.1)),
            _ => "Its scores are not rising, so no paperless date can be projected.".to_string(),
        };
        view! {
            <h2>{format!("Published figures for {}", q.label)}</h2>
            <dl class="nhsuk-summary-list">
                <div class="nhsuk-summary-list__row">
                    <dt class="nhsuk-summary-list__key">"Rank"</dt>
                    <dd class="nhsuk-summary-list__value">{format!("{} of {}", r.rank.unwrap_or(0), q.ranked_of)}</dd>
                </div>
                <div class="nhsuk-summary-list__row">
                    <dt class="nhsuk-summary-list__key">"Overall score"</dt>
                    <dd class="nhsuk-summary-list__value">{score(r.overall)}</dd>
                </div>
                <div class="nhsuk-summary-list__row">
                    <dt class="nhsuk-summary-list__key">"Verified overall score"</dt>
                    <dd class="nhsuk-summary-list__value">{score(r.verified_overall)}</dd>
                </div>
                <div class="nhsuk-summary-list__row">
                    <dt class="nhsuk-summary-list__key">"Stage"</dt>
                    <dd class="nhsuk-summary-list__value">{r.stage.map(|s| s.to_string()).unwrap_or_else(|| "–".into())}</dd>
                </div>
                <div class="nhsuk-summary-list__row">
                    <dt class="nhsuk-summary-list__key">"Gates"</dt>
                    <dd class="nhsuk-summary-list__value">{if r.eligible == Some(true) { "Every gate is met" } else { "Not every gate is met" }}</dd>
                </div>
                <div class="nhsuk-summary-list__row">
                    <dt class="nhsuk-summary-list__key">"Paperless"</dt>
                    <dd class="nhsuk-summary-list__value">{trajectory}</dd>
                </div>
            </dl>
            <h3>"Completeness and confidence"</h3>
            <p>
                {format!(
                    "{} reported values for criteria worth {:.1}% of the overall score (completeness). The board has verified values worth {:.1}% of it (confidence): the verified overall score of {} counts only those.",
                    data.name,
                    r.completeness.unwrap_or(0.0),
                    r.confidence.unwrap_or(0.0),
                    score(r.verified_overall)
                )}
            </p>
        }
    });
    let reached = latest.as_ref().and_then(|q| q.record.stage).unwrap_or(0);
    let ladder = data
        .stages
        .iter()
        .map(|(s, criteria)| {
            let done = *s <= reached;
            view! {
                <li>
                    {if done {
                        view! { <strong class="nhsuk-tag nhsuk-tag--green">"Reached"</strong> }.into_any()
                    } else {
                        view! { <strong class="nhsuk-tag nhsuk-tag--grey">"Not yet"</strong> }.into_any()
                    }}
                    " "
                    <strong>{format!("Stage {s}: ")}</strong>
                    {criteria.join("; ")}
                </li>
            }
        })
        .collect_view();
    let theme_headers = data
        .themes
        .iter()
        .map(|(_, name)| rcol(name, true))
        .collect_view();
    let rows = data
        .quarters
        .iter()
        .rev()
        .map(|q| {
            let r = &q.record;
            let themes = data
                .themes
                .iter()
                .map(|(code, name)| {
                    let v = r.themes.as_ref().and_then(|t| t.get(code).copied());
                    rcell(name, true, score(v))
                })
                .collect_view();
            view! {
                <tr role="row" class="nhsuk-table__row">
                    {rhead("Quarter", view! { {q.quarter.clone()} {q.revised.then_some(" (revised)")} })}
                    {rcell("Rank", true, r.rank.map(|n| n.to_string()).unwrap_or_else(|| "–".into()))}
                    {rcell("Overall", true, score(r.overall))}
                    {rcell("Verified", true, score(r.verified_overall))}
                    {rcell("Stage", true, r.stage.map(|s| s.to_string()).unwrap_or_else(|| "–".into()))}
                    {themes}
                </tr>
            }
        })
        .collect_view();
    let name = data.name.clone();
    view! {
        <Title text=data.name.clone() />
        <nav class="nhsuk-breadcrumb" aria-label="Breadcrumb">
            <ol class="nhsuk-breadcrumb__list">
                <li class="nhsuk-breadcrumb__list-item"><a class="nhsuk-breadcrumb__link" href="/economies">"Economies"</a></li>
            </ol>
        </nav>
        {latest.clone().map(|l| view! {
            <PrintFoot text=format!(
                "{}: figures as published for {} on {}{}. Printed from Exemplar.",
                data.name,
                l.quarter,
                crate::domain::format::long_date(l.published_on),
                if l.revised { ", since revised" } else { "" }
            ) />
        })}
        <span class="nhsuk-caption-l">{data.region.clone()}</span>
        <h1>{name}</h1>
        {match summary {
            Some(s) => s.into_any(),
            None => view! { <p>"This economy has no published scores yet: it has not reported, or its figures are not yet published."</p> }.into_any(),
        }}
        {(!data.decisions.is_empty()).then(|| {
            let items = data.decisions.iter().map(|d| view! {
                <div class="nhsuk-card">
                    <div class="nhsuk-card__content">
                        <h3 class="nhsuk-card__heading nhsuk-heading-s">{d.outcome.clone()}</h3>
                        <p class="nhsuk-body-s">{format!("Published {}", crate::ui::format::day_of(&d.published_at))}</p>
                        <p>{d.rationale.clone()}</p>
                        {d.panel.clone().map(|p| view! { <p data-testid="panel-summary">{p}</p> })}
                    </div>
                </div>
            }).collect_view();
            view! { <h2>"Decisions of the board"</h2>{items} }
        })}
        <h2>"Progress over time"</h2>
        <ChartFigure svg=data.chart.clone() />
        <h2>"Stages"</h2>
        <p>"An economy reaches a stage when every criterion of that stage and of the stages before it is met."</p>
        <ul class="nhsuk-list exemplar-ladder">{ladder}</ul>
        <h2>"Gates"</h2>
        <p>"To be eligible as the exemplar an economy must meet every gate:"</p>
        <ul>{data.gates.iter().map(|g| view! { <li>{g.clone()}</li> }).collect_view()}</ul>
        <h2>"Themes"</h2>
        <ChartFigure svg=data.theme_chart.clone() />
        {if data.quarters.is_empty() {
            view! { <p>"No quarter's scores have been published for this economy yet."</p> }.into_any()
        } else {
            view! {
                <div class="exemplar-table-scroll" tabindex="0" role="region" aria-label="Published scores by quarter">
                    <table role="table" class="nhsuk-table-responsive">
                        <caption class="nhsuk-table__caption nhsuk-table__caption--s">"Published scores by quarter"</caption>
                        <thead role="rowgroup" class="nhsuk-table__head">
                            <tr role="row" class="nhsuk-table__row">
                                {rcol("Quarter", false)}
                                {rcol("Rank", true)}
                                {rcol("Overall", true)}
                                {rcol("Verified", true)}
                                {rcol("Stage", true)}
                                {theme_headers}
                            </tr>
                        </thead>
                        <tbody class="nhsuk-table__body">{rows}</tbody>
                    </table>
                </div>
            }.into_any()
        }}
        <p><a href=format!("/api/v1/economies/{}", data.slug)>"These figures as JSON"</a></p>
        <h2 id="benefits">"Outcome measures"</h2>
        <p>"What the economy reports of its outcomes, beside its overall score: never part of any score. A change shows association with maturity, not cause. "<a href="/benefits">"Benefits across every economy"</a></p>
        <EconomyBenefits items=data.benefits.clone() level=3 />
    }
}
