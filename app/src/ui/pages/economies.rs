//! `/economies`: every candidate ranked for a published quarter (`?as_of`, `?region`), and
//! searched by name (`?q=`: an economy's or a member organisation's, any part, any case).

use crate::ui::components::{error_page, rcell, rcol, rhead, with_query, NhsPlaceSelect};
use crate::ui::data::{economies_data, EconomiesView};
use crate::ui::format::{long_date, score};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn EconomiesPage() -> impl IntoView {
    let query = use_query_map();
    let as_of = query.with_untracked(|q| q.get("as_of"));
    let region = query
        .with_untracked(|q| q.get("region"))
        .filter(|r| !r.is_empty());
    let sort = Sort::from_query(
        query.with_untracked(|q| q.get("sort")).as_deref(),
        query.with_untracked(|q| q.get("dir")).as_deref(),
    );
    let search = query.with_untracked(|q| q.get("q")).unwrap_or_default();
    let nhs = query
        .with_untracked(|q| q.get("nhs"))
        .filter(|r| !r.is_empty());
    view! {
        <Title text="Economies" />
        <Suspense fallback=|| view! { <p>"Loading economies…"</p> }>
            {
                let as_of = as_of.clone();
                let region = region.clone();
                let search = search.clone();
                let nhs = nhs.clone();
                move || {
                    let as_of = as_of.clone();
                    let region = region.clone();
                    let search = search.clone();
                    let nhs = nhs.clone();
                    Suspend::new(async move {
                        match economies_data(as_of, search).await {
                            Ok(data) => view! { <Economies data region nhs sort /> }.into_any(),
                            Err(e) => error_page(e),
                        }
                    })
                }
            }
        </Suspense>
    }
}

#[component]
fn Economies(
    data: EconomiesView,
    region: Option<String>,
    nhs: Option<String>,
    sort: Sort,
) -> impl IntoView {
    use crate::domain::organisations::{in_place, place_name};
    // An NHS England region or area team the service does not know filters nothing out.
    let nhs = nhs.filter(|c| place_name(&data.places, c).is_some());
    let Some(view) = data.view else {
        return view! {
            <h1>"Economies"</h1>
            <p>"No quarter's figures have been published yet, so no economy is ranked."</p>
            {data.next_publication.map(|(q, d)| view! {
                <p>{format!("The figures for {q} are planned for publication on {}.", long_date(d))}</p>
            })}
        }
        .into_any();
    };
    let q = view.scores.as_of.map(|q| q.to_string()).unwrap_or_default();
    let label = view.scores.as_of.map(|q| q.label()).unwrap_or_default();
    let quarter_options = data
        .published
        .iter()
        .rev()
        .map(|p| {
            let selected = *p == q;
            view! { <option value=p.clone() selected=selected>{p.clone()}</option> }
        })
        .collect_view();
    let region_options = data
        .regions
        .iter()
        .map(|r| {
            let selected = region.as_deref() == Some(r.as_str());
            view! { <option value=r.clone() selected=selected>{r.clone()}</option> }
        })
        .collect_view();
    let search = data.search.clone();
    let searching = !search.is_empty();
    let found_by = |slug: &str| data.found.iter().find(|f| f.economy == slug);
    let rows = view
        .scores
        .economies
        .iter()
        .zip(&view.regions)
        .zip(&view.previous)
        .filter(|((_, r), _)| region.as_deref().is_none_or(|want| *r == want))
        .filter(|((e, _), _)| {
            nhs.as_deref().is_none_or(|want| {
                data.area_teams
                    .iter()
                    .find(|(slug, _)| *slug == e.economy)
                    .is_some_and(|(_, teams)| in_place(teams, want, &data.places))
            })
        })
        .filter(|((e, _), _)| !searching || found_by(&e.economy).is_some())
        .collect::<Vec<_>>();
    let mut rows = rows;
    sort.apply(&mut rows);
    let none_here = rows.is_empty();
    let shown = rows.len();
    let region_value = region.clone().unwrap_or_default();
    let nhs_value = nhs.clone().unwrap_or_default();
    let base = with_query(
        "/economies",
        &[
            ("as_of", q.as_str()),
            ("region", region_value.as_str()),
            ("nhs", nhs_value.as_str()),
            ("q", search.as_str()),
        ],
    );
    // Clearing the search keeps the quarter, the region and the order.
    let clear = with_query(
        "/economies",
        &[
            ("as_of", q.as_str()),
            ("region", region_value.as_str()),
            ("nhs", nhs_value.as_str()),
            ("sort", if sort.key == "rank" { "" } else { sort.key }),
            ("dir", if sort.descending { "desc" } else { "" }),
        ],
    );
    let sort_key = if sort.key == "rank" { "" } else { sort.key };
    let sort_dir = if sort.descending { "desc" } else { "" };
    let place_words = nhs
        .as_deref()
        .and_then(|c| place_name(&data.places, c))
        .map(|n| format!(" in {n}"));
    let region_words = region
        .as_ref()
        .map(|r| format!(" in {r}"))
        .unwrap_or_default()
        + &place_words.clone().unwrap_or_default();
    let result = searching.then(|| {
        let quoted = format!("\u{201c}{search}\u{201d}");
        let words = if none_here {
            match &region {
                Some(r) => format!("No economy in {r} or member organisation of one has a name containing {quoted}."),
                None => format!("No economy or member organisation has a name containing {quoted}."),
            }
        } else {
            format!(
                "{} found for {quoted}{region_words}.",
                crate::domain::types::count(shown, "economy", "economies")
            )
        };
        view! {
            <p data-testid="search-result">{words}" "<a href=clear.clone()>"Clear search"<span class="nhsuk-u-visually-hidden">{format!(" for {quoted}")}</span></a></p>
        }
    });
    let header = |label: &'static str, key: &'static str, numeric: bool| {
        let current = sort.key == key;
        // Scores are most useful highest first.
        let first = if numeric && key != "rank" {
            "desc"
        } else {
            "asc"
        };
        let next_dir = match (current, sort.descending) {
            (true, false) => "desc",
            (true, true) => "asc",
            (false, _) => first,
        };
        let aria = current.then_some(if sort.descending {
            "descending"
        } else {
            "ascending"
        });
        view! {
            <th
                class=if numeric { "nhsuk-table__header nhsuk-table__header--numeric" } else { "nhsuk-table__header" }
                role="columnheader"
                scope="col"
                aria-sort=aria
            >
                <a class="exemplar-sort" href=format!("{base}{}sort={key}&dir={next_dir}", if base.contains('?') { '&' } else { '?' })>
                    {label}
                    <span class="nhsuk-u-visually-hidden">
                        {if current { format!(", sorted {}; sort the other way", aria.unwrap_or_default()) } else { ", sort by this column".to_string() }}
                    </span>
                </a>
            </th>
        }
    };
    // On a phone the table's headers are hidden (each row is a card), so its orders are
    // offered as links above it.
    let sort_form = {
        let choices = [
            ("rank", "", "rank"),
            ("name", "", "name"),
            ("region", "", "region"),
            ("overall", "desc", "overall score"),
            ("verified", "desc", "verified score"),
            ("stage", "desc", "stage"),
        ];
        let last = choices.len() - 1;
        let links = choices
            .into_iter()
            .enumerate()
            .map(|(i, (key, dir, words))| {
                let sep = match i {
                    0 => "",
                    i if i == last => " or ",
                    _ => ", ",
                };
                let current = sort.key == key;
                let href = format!(
                    "{base}{}sort={key}{}",
                    if base.contains('?') { '&' } else { '?' },
                    if dir.is_empty() {
                        String::new()
                    } else {
                        format!("&dir={dir}")
                    }
                );
                view! {
                    {sep}
                    {if current {
                        view! { <strong>{words}</strong> }.into_any()
                    } else {
                        view! { <a href=href>{words}</a> }.into_any()
                    }}
                }
            })
            .collect_view();
        view! { <p class="exemplar-narrow-only" data-testid="sort-links">"Sort by "{links}"."</p> }
    };
    let rows = rows
        .into_iter()
        .map(|((e, r), prev)| {
            let trend = match (e.overall, prev) {
                (Some(now), Some(before)) => {
                    let d = now - before;
                    if d.abs() < 0.05 {
                        "no change".to_string()
                    } else if d > 0.0 {
                        format!("up {d:.1}")
                    } else {
                        format!("down {:.1}", -d)
                    }
                }
                (Some(_), None) => "new".to_string(),
                _ => "–".to_string(),
            };
            let tag = match (e.paperless_achieved, e.on_track) {
                (Some(true), _) => view! { <strong class="nhsuk-tag nhsuk-tag--green">"Paperless"</strong> }.into_any(),
                (_, Some(true)) => view! { <strong class="nhsuk-tag nhsuk-tag--blue">"On track"</strong> }.into_any(),
                (_, Some(false)) => view! { <strong class="nhsuk-tag nhsuk-tag--orange">"Not on track"</strong> }.into_any(),
                _ => view! { <strong class="nhsuk-tag nhsuk-tag--grey">"Not reporting"</strong> }.into_any(),
            };
            // An NHS.UK responsive table: on a phone each economy is a card with every column.
            let member = found_by(&e.economy).and_then(|f| f.organisation.clone()).map(|o| view! {
                <span class="nhsuk-body-s exemplar-found-by">{format!("Member: {o}")}</span>
            });
            view! {
                <tr role="row" class="nhsuk-table__row">
                    {rcell("Rank", true, e.rank.map(|r| r.to_string()).unwrap_or_else(|| "–".into()))}
                    {rhead("Economy", view! { <a href=format!("/economies/{}", e.economy)>{e.name.clone()}</a>{member} })}
                    {rcell("Region", false, r.clone())}
                    {rcell("Overall", true, score(e.overall))}
                    {rcell("Verified overall", true, score(e.verified_overall))}
                    {rcell("Stage", true, e.stage.map(|s| s.to_string()).unwrap_or_else(|| "–".into()))}
                    {rcell("Paperless by 2018", false, tag)}
                    {rcell("Since last quarter", false, trend)}
                </tr>
            }
        })
        .collect_view();
    view! {
        <h1>"Economies"</h1>
        <p class="nhsuk-lede-text">{format!("Every candidate economy ranked on the published figures for {label} ({q}).")}</p>
        <p>
            "The overall score uses every figure an economy reported; the verified score only those the board has checked. Economies that meet every gate rank first. "
            <a href="/how-scores-work">"How scores work"</a>
        </p>
        {view.revised.clone().map(|(d, reason)| view! {
            <div class="nhsuk-warning-callout">
                <h2 class="nhsuk-warning-callout__label">"Revised figures"</h2>
                <p>{format!("These figures were revised on {}: {reason}", long_date(d))}</p>
            </div>
        })}
        <form method="get" action="/economies" class="exemplar-filter" role="search" aria-label="Economies by name" novalidate>
            {(!q.is_empty()).then(|| view! { <input type="hidden" name="as_of" value=q.clone() /> })}
            {region.clone().map(|r| view! { <input type="hidden" name="region" value=r /> })}
            {nhs.clone().map(|r| view! { <input type="hidden" name="nhs" value=r /> })}
            {(!sort_key.is_empty()).then(|| view! { <input type="hidden" name="sort" value=sort_key /> })}
            {(!sort_dir.is_empty()).then(|| view! { <input type="hidden" name="dir" value=sort_dir /> })}
            <div class="nhsuk-form-group exemplar-filter__item">
                <label class="nhsuk-label" for="q">"Search by name"</label>
                <div class="nhsuk-hint" id="q-hint">"Part of an economy's name, or of one of its member organisations' names"</div>
                <input class="nhsuk-input" id="q" name="q" type="search" value=search.clone() aria-describedby="q-hint" autocomplete="off" spellcheck="false" />
            </div>
            <button class="nhsuk-button nhsuk-button--secondary exemplar-filter__button" type="submit">"Search"</button>
        </form>
        <form method="get" action="/economies" class="exemplar-filter" novalidate>
            {searching.then(|| view! { <input type="hidden" name="q" value=search.clone() /> })}
            <div class="nhsuk-form-group exemplar-filter__item">
                <label class="nhsuk-label" for="as_of">"Quarter"</label>
                <select class="nhsuk-select" id="as_of" name="as_of">{quarter_options}</select>
            </div>
            <div class="nhsuk-form-group exemplar-filter__item">
                <label class="nhsuk-label" for="region">"Region"</label>
                <select class="nhsuk-select" id="region" name="region">
                    <option value="" selected=region.is_none()>"All of England"</option>
                    {region_options}
                </select>
            </div>
            <NhsPlaceSelect places=data.places.clone() selected=nhs.clone() />
            <button class="nhsuk-button nhsuk-button--secondary exemplar-filter__button" type="submit">"Show"</button>
        </form>
        {result}
        {if none_here && searching {
            ().into_any()
        } else if none_here {
            view! { <p>{format!("There are no candidate economies in {}{}.", region.clone().unwrap_or_else(|| "England".into()), place_words.clone().map(|w| format!(" and{w}")).unwrap_or_default())}</p> }.into_any()
        } else {
            view! {
                {sort_form}
                <div class="exemplar-table-scroll" tabindex="0" role="region" aria-label="Candidate economies">
                    <table role="table" class="nhsuk-table-responsive exemplar-ranking">
                        <caption class="nhsuk-table__caption">{format!("Candidate economies, {q}")}</caption>
                        <thead role="rowgroup" class="nhsuk-table__head">
                            <tr role="row" class="nhsuk-table__row">
                                {header("Rank", "rank", true)}
                                {header("Economy", "name", false)}
                                {header("Region", "region", false)}
                                {header("Overall", "overall", true)}
                                {header("Verified overall", "verified", true)}
                                {header("Stage", "stage", true)}
                                {rcol("Paperless by 2018", false)}
                                {rcol("Since last quarter", false)}
                            </tr>
                        </thead>
                        <tbody class="nhsuk-table__body">{rows}</tbody>
                    </table>
                </div>
            }.into_any()
        }}
        <p>
            {format!("Published {}. ", long_date(view.published_on))}
            <a href=format!("/open-data/scores-{q}.csv")>{format!("Download these figures (CSV, {q})")}</a>
        </p>
    }
    .into_any()
}

/// The ranking table's order, from `?sort=` and `?dir=` (rank ascending by default).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    pub key: &'static str,
    pub descending: bool,
}

impl Sort {
    const KEYS: [&'static str; 6] = ["rank", "name", "region", "overall", "verified", "stage"];

    pub fn from_query(sort: Option<&str>, dir: Option<&str>) -> Self {
        let key = Self::KEYS
            .iter()
            .find(|k| Some(**k) == sort)
            .copied()
            .unwrap_or("rank");
        Sort {
            key,
            descending: dir == Some("desc"),
        }
    }

    fn apply(
        &self,
        rows: &mut [(
            (&crate::domain::scoring::ScoreRecord, &String),
            &Option<f64>,
        )],
    ) {
        use std::cmp::Ordering;
        let num = |a: Option<f64>, b: Option<f64>| match (a, b) {
            (Some(a), Some(b)) => a.total_cmp(&b),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        };
        rows.sort_by(|((a, ar), _), ((b, br), _)| {
            let o = match self.key {
                "name" => a.name.cmp(&b.name),
                "region" => ar.cmp(br).then(a.rank.cmp(&b.rank)),
                "overall" => num(a.overall, b.overall),
                "verified" => num(a.verified_overall, b.verified_overall),
                "stage" => a.stage.cmp(&b.stage).then(b.rank.cmp(&a.rank)),
                _ => match (a.rank, b.rank) {
                    (Some(x), Some(y)) => x.cmp(&y),
                    (Some(_), None) => Ordering::Less,
                    (None, Some(_)) => Ordering::Greater,
                    (None, None) => a.economy.cmp(&b.economy),
                },
            };
            if self.descending {
                o.reverse()
            } else {
                o
            }
        });
    }
}
