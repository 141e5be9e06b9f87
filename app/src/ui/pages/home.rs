//! `/`: national progress.

use crate::ui::components::{error_page, rcell, rcol, rhead, ChartFigure};
use crate::ui::data::{home_data, HomeView};
use crate::ui::format::{long_date, score};
use leptos::prelude::*;
use leptos_meta::{Link, Title};

fn median(mut xs: Vec<f64>) -> Option<f64> {
    if xs.is_empty() {
        return None;
    }
    xs.sort_by(f64::total_cmp);
    let n = xs.len();
    Some(if n % 2 == 1 {
        xs[n / 2]
    } else {
        (xs[n / 2 - 1] + xs[n / 2]) / 2.0
    })
}

#[component]
pub fn HomePage() -> impl IntoView {
    view! {
        <Title text="National progress" />
        <Link rel="alternate" type_="application/atom+xml" title="Publications of scores" href="/publications.atom" />
        <Suspense fallback=|| view! { <p>"Loading national progress…"</p> }>
            {move || Suspend::new(async move {
                match home_data().await {
                    Ok(data) => view! { <Home data /> }.into_any(),
                    Err(e) => error_page(e),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Home(data: HomeView) -> impl IntoView {
    let today = data.today;
    let milestones = data
        .milestones
        .iter()
        .map(|(name, date)| {
            let passed = *date <= today;
            view! {
                <tr class="nhsuk-table__row">
                    <td class="nhsuk-table__cell">{name.clone()}</td>
                    <td class="nhsuk-table__cell">{long_date(*date)}</td>
                    <td class="nhsuk-table__cell">
                        {if passed {
                            view! { <strong class="nhsuk-tag nhsuk-tag--grey">"Passed"</strong> }
                        } else {
                            view! { <strong class="nhsuk-tag nhsuk-tag--blue">"Ahead"</strong> }
                        }}
                    </td>
                </tr>
            }
        })
        .collect_view();
    let latest = data.latest.clone();
    let summary = latest.as_ref().map(|v| {
        let ranked: Vec<_> = v.scores.economies.iter().filter(|e| e.rank.is_some()).collect();
        let eligible = ranked.iter().filter(|e| e.eligible == Some(true)).count();
        let on_track = ranked.iter().filter(|e| e.on_track == Some(true)).count();
        let achieved = ranked.iter().filter(|e| e.paperless_achieved == Some(true)).count();
        let med = median(ranked.iter().filter_map(|e| e.overall).collect());
        let med_v = median(ranked.iter().filter_map(|e| e.verified_overall).collect());
        let q = v.scores.as_of.map(|q| q.to_string()).unwrap_or_default();
        let label = v.scores.as_of.map(|q| q.label()).unwrap_or_default();
        let mut stages = [0usize; 8];
        for e in &ranked {
            if let Some(s) = e.stage {
                stages[usize::from(s).min(7)] += 1;
            }
        }
        let stage_rows = stages
            .iter()
            .enumerate()
            .filter(|(_, n)| **n > 0)
            .map(|(s, n)| {
                view! {
                    <tr class="nhsuk-table__row">
                        <td class="nhsuk-table__cell">{if s == 0 { "Not yet at stage 1".to_string() } else { format!("Stage {s}") }}</td>
                        <td class="nhsuk-table__cell nhsuk-table__cell--numeric">{*n}</td>
                    </tr>
                }
            })
            .collect_view();
        let top = ranked
            .iter()
            .take(5)
            .map(|e| {
                view! {
                    <li>
                        <a href=format!("/economies/{}", e.economy)>{e.name.clone()}</a>
                        " – overall " {score(e.overall)} ", verified " {score(e.verified_overall)}
                    </li>
                }
            })
            .collect_view();
        view! {
            <h2>{format!("Latest published figures: {label}")}</h2>
            <p>
                {format!("Published {}.", long_date(v.published_on))}
                {v.revised.as_ref().map(|(d, reason)| format!(" Revised {}: {reason}", long_date(*d)))}
            </p>
            <div class="nhsuk-grid-row exemplar-figures">
                <div class="nhsuk-grid-column-one-quarter">
                    <p class="exemplar-figure"><span class="exemplar-figure__number">{ranked.len()}</span>" candidates reporting"</p>
                </div>
                <div class="nhsuk-grid-column-one-quarter">
                    <p class="exemplar-figure"><span class="exemplar-figure__number">{eligible}</span>" meet every gate"</p>
                </div>
                <div class="nhsuk-grid-column-one-quarter">
                    <p class="exemplar-figure"><span class="exemplar-figure__number">{on_track}</span>" on track for paperless by 2018"</p>
                </div>
                <div class="nhsuk-grid-column-one-quarter">
                    <p class="exemplar-figure"><span class="exemplar-figure__number">{score(med)}</span>" median overall score"</p>
                </div>
            </div>
            <p>
                {format!(
                    "The median verified overall score, from figures the board has checked, is {}. {achieved} {} already reached the paperless threshold of {}.",
                    score(med_v),
                    if achieved == 1 { "economy has" } else { "economies have" },
                    data.paperless_threshold
                )}
            </p>
            <h3>"Leading candidates"</h3>
            <ol>{top}</ol>
            <p><a href=format!("/economies?as_of={q}")>{format!("See every economy for {q}")}</a></p>
            <p>
                "Download every figure from "<a href="/open-data">"open data"</a>
                ", or follow each publication in a feed reader: "
                <a href="/publications.atom">"feed of publications (Atom)"</a>"."
            </p>
            <table class="nhsuk-table">
                <caption class="nhsuk-table__caption nhsuk-table__caption--s">"Stages reached"</caption>
                <thead class="nhsuk-table__head">
                    <tr class="nhsuk-table__row">
                        <th class="nhsuk-table__header" scope="col">"Stage"</th>
                        <th class="nhsuk-table__header nhsuk-table__header--numeric" scope="col">"Economies"</th>
                    </tr>
                </thead>
                <tbody class="nhsuk-table__body">{stage_rows}</tbody>
            </table>
        }
    });
    view! {
        <h1>"Exemplar of interoperability: national progress"</h1>
        <p class="nhsuk-lede-text">
            "Local health economies across England are working towards digital records that follow the patient. One of them will become the exemplar of interoperability by mid-2015, on the way to a paperless NHS by 2018."
        </p>
        <p>
            {format!("{} candidate economies have put themselves forward. ", data.candidates)}
            "Each reports its readiness every quarter with evidence; the board verifies it, and both the self-reported and the verified scores are published."
        </p>
        {match summary {
            Some(s) => s.into_any(),
            None => view! {
                <div class="nhsuk-inset-text">
                    <span class="nhsuk-u-visually-hidden">"Information: "</span>
                    <p>"No quarter's figures have been published yet."</p>
                </div>
            }
            .into_any(),
        }}
        {data.next_publication.map(|(q, d)| view! {
            <p>{format!("The figures for {q} are planned for publication on {}.", long_date(d))}</p>
        })}
        {data.trusts.map(|t| view! {
            <h2>"Trusts with operational electronic patient records"</h2>
            <p data-testid="home-trusts">{format!(
                "Every hospital trust was to have operational electronic patient records by {}. As of {}, {} of {} trusts met it on time and {} went live late; {} {} none yet.",
                long_date(t.deadline),
                long_date(today),
                t.compliant,
                t.total,
                t.late,
                t.total - t.compliant - t.late,
                if t.total - t.compliant - t.late == 1 { "has" } else { "have" }
            )}</p>
            <p><a href="/trusts">"The trust EPR register: every trust, by region and type"</a></p>
        })}
        <h2>"Does digital maturity go with better care?"</h2>
        <p>"Economies report outcome measures beside their readiness: duplicate tests, delayed transfers, medication errors, readmissions. See whether the most mature economies improved most, with the caveats."</p>
        <p><a href="/benefits">"Benefits: outcomes beside maturity"</a></p>
        <h2>"National trajectory"</h2>
        <ChartFigure svg=data.chart.clone() />
        {data.national_paperless.map(|d| view! {
            <p>{format!("If the median keeps its pace, it reaches the paperless threshold on {}.", long_date(d))}</p>
        })}
        {if data.national.is_empty() {
            view! { <p>"There are no national figures until a quarter's figures are published."</p> }.into_any()
        } else {
            view! {
                <div class="exemplar-table-scroll" tabindex="0" role="region" aria-label="National figures by quarter">
                    <table role="table" class="nhsuk-table-responsive">
                        <caption class="nhsuk-table__caption nhsuk-table__caption--s">"Overall scores by published quarter"</caption>
                        <thead role="rowgroup" class="nhsuk-table__head">
                            <tr role="row" class="nhsuk-table__row">
                                {rcol("Quarter", false)}
                                {rcol("Economies reporting", true)}
                                {rcol("Lower quartile", true)}
                                {rcol("Median", true)}
                                {rcol("Upper quartile", true)}
                                {rcol("Median verified", true)}
                            </tr>
                        </thead>
                        <tbody class="nhsuk-table__body">
                            {data.national.iter().rev().map(|r| view! {
                                <tr role="row" class="nhsuk-table__row">
                                    {rhead("Quarter", r.quarter.clone())}
                                    {rcell("Economies reporting", true, r.ranked)}
                                    {rcell("Lower quartile", true, score(r.lower_quartile))}
                                    {rcell("Median", true, score(r.median))}
                                    {rcell("Upper quartile", true, score(r.upper_quartile))}
                                    {rcell("Median verified", true, score(r.median_verified))}
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }}
        <h2>"Milestones"</h2>
        <table class="nhsuk-table">
            <caption class="nhsuk-table__caption nhsuk-table__caption--s">{data.framework_name.clone()}</caption>
            <thead class="nhsuk-table__head">
                <tr class="nhsuk-table__row">
                    <th class="nhsuk-table__header" scope="col">"Milestone"</th>
                    <th class="nhsuk-table__header" scope="col">"Date"</th>
                    <th class="nhsuk-table__header" scope="col">"Status"</th>
                </tr>
            </thead>
            <tbody class="nhsuk-table__body">{milestones}</tbody>
        </table>
        <p><a href="/how-scores-work">"How scores work"</a></p>
    }
}
