//! `/assess/compare?e=SLUG&e=SLUG…`: two to six candidates side by side for a quarter (live
//! figures), with their member organisation mix and their trajectories on one chart; theme
//! weights can be changed to see how the order moves (a GET form; live in the browser with
//! JavaScript, through the shared scoring module). `/assess/compare.csv` exports the table.

use crate::domain::framework::Framework;
use crate::domain::scoring::EconomyInput;
use crate::error::AppError;
use crate::ui::components::error_page;
use crate::ui::islands::WeightSensitivity;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Compared {
    pub slug: String,
    pub name: String,
    pub rank: Option<u32>,
    pub rank_weighted: Option<u32>,
    pub overall: Option<f64>,
    pub overall_weighted: Option<f64>,
    pub verified_overall: Option<f64>,
    pub themes: Vec<Option<f64>>,
    pub completeness: Option<f64>,
    pub confidence: Option<f64>,
    pub eligible: Option<bool>,
    pub stage: Option<u8>,
    pub paperless_date: Option<String>,
    pub on_track: Option<bool>,
    /// Member organisations by type: (type, how many).
    pub organisations: Vec<(String, usize)>,
    /// Member trusts that are non-compliant without an agreed remediation plan ("Name
    /// (CODE)"): while there is one, the economy cannot be funded.
    #[serde(default)]
    pub not_fundable: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CompareView {
    pub as_of: Option<String>,
    pub quarters: Vec<String>,
    pub candidates: Vec<(String, String)>,
    pub chosen: Vec<String>,
    pub themes: Vec<(String, String, f64)>,
    /// The weights asked for, theme by theme (the framework's where not given).
    pub weights: Vec<f64>,
    pub rows: Vec<Compared>,
    pub chart: String,
    /// For the live panel: the framework and the compared economies' values.
    pub framework: Framework,
    pub inputs: Vec<EconomyInput>,
    pub problem: Option<String>,
}

/// The comparison's query: economies, quarter, weights (`w-THEME`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CompareQuery {
    pub economies: Vec<String>,
    pub quarter: String,
    pub weights: Vec<(String, String)>,
}

#[cfg(feature = "ssr")]
pub async fn compare(
    pool: &crate::db::Pool,
    q: &CompareQuery,
    today: chrono::NaiveDate,
) -> Result<CompareView, AppError> {
    use crate::charts::{self, Series, TimeChart};
    use crate::domain::assessment::with_weights;
    use crate::domain::scoring::{score_all, snapshot, trajectory, Prepared};
    use crate::domain::Quarter;
    let fw = crate::service::active_framework(pool).await?.framework;
    let all: Vec<EconomyInput> = crate::service::scoring_inputs(pool)
        .await?
        .into_iter()
        .map(|(_, i)| i)
        .collect();
    let mut chosen: Vec<String> = Vec::new();
    for s in &q.economies {
        if !s.is_empty() && !chosen.contains(s) && all.iter().any(|e| &e.slug == s) {
            chosen.push(s.clone());
        }
    }
    let problem = match chosen.len() {
        0 | 1 => Some("Choose two to six candidate economies to compare.".to_string()),
        2..=6 => None,
        _ => Some("Compare at most six economies at once: the first six are shown.".to_string()),
    };
    chosen.truncate(6);
    let as_of: Option<Quarter> = q
        .quarter
        .parse()
        .ok()
        .or_else(|| crate::domain::scoring::default_as_of(&fw, &all));
    let weights: Vec<(String, f64)> = q
        .weights
        .iter()
        .filter_map(|(c, w)| w.trim().parse::<f64>().ok().map(|w| (c.clone(), w)))
        .collect();
    let weighted_fw = with_weights(&fw, &weights);
    let base = score_all(&fw, &all, as_of);
    let weighted = score_all(&weighted_fw, &all, as_of);
    let shares = fw.shares();
    let orgs_by_slug = {
        let mut m = std::collections::HashMap::new();
        for s in &chosen {
            if let Some(e) = crate::db::economy_by_slug(pool, s).await? {
                let mut counts: Vec<(String, usize)> = Vec::new();
                for o in crate::db::organisations(pool, e.id).await? {
                    let kind = crate::domain::nomination::kind_words(&o.kind);
                    match counts.iter_mut().find(|(k, _)| *k == kind) {
                        Some((_, n)) => *n += 1,
                        None => counts.push((kind, 1)),
                    }
                }
                m.insert(s.clone(), counts);
            }
        }
        m
    };
    let inputs: Vec<EconomyInput> = all
        .iter()
        .filter(|e| chosen.contains(&e.slug))
        .cloned()
        .collect();
    let mut blocked = crate::trusts::not_fundable(pool, &fw, today).await?;
    let mut rows = Vec::new();
    let mut series = Vec::new();
    for (n, slug) in chosen.iter().enumerate() {
        let Some(r) = base.economies.iter().find(|r| &r.economy == slug) else {
            continue;
        };
        let w = weighted.economies.iter().find(|r| &r.economy == slug);
        if let (Some(input), Some(q)) = (inputs.iter().find(|e| &e.slug == slug), as_of) {
            let prep = Prepared::new(&fw, &input.entries);
            let t = trajectory(&fw, &shares, &prep, q);
            let _ = snapshot;
            series.push(Series {
                name: r.name.clone(),
                color: charts::PALETTE[n % charts::PALETTE.len()],
                points: t.points.iter().map(|(q, o)| (q.end_date(), *o)).collect(),
                dashed: false,
            });
        }
        rows.push(Compared {
            slug: slug.clone(),
            name: r.name.clone(),
            rank: r.rank,
            rank_weighted: w.and_then(|w| w.rank),
            overall: r.overall,
            overall_weighted: w.and_then(|w| w.overall),
            verified_overall: r.verified_overall,
            themes: fw
                .themes
                .iter()
                .map(|t| r.themes.as_ref().and_then(|m| m.get(&t.code).copied()))
                .collect(),
            completeness: r.completeness,
            confidence: r.confidence,
            eligible: r.eligible,
            stage: r.stage,
            paperless_date: r.paperless_date.map(|d| d.to_string()),
            on_track: r.on_track,
            organisations: orgs_by_slug.get(slug).cloned().unwrap_or_default(),
            not_fundable: blocked.remove(slug).unwrap_or_default(),
        });
    }
    let start = series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.0))
        .min();
    let chart = match (start, as_of, series.is_empty()) {
        (Some(start), Some(q), false) => charts::time_chart(&TimeChart {
            id: "compare".into(),
            title: "Overall score over time".into(),
            description: format!(
                "The overall score of each compared economy, quarter by quarter, up to {q}."
            ),
            start,
            end: fw.paperless_milestone().date,
            series,
            band: None,
            milestones: fw
                .milestones
                .iter()
                .filter(|m| m.paperless || m.code == "pilot-selected")
                .map(|m| (m.date, m.name.clone()))
                .collect(),
            threshold: Some((fw.paperless_threshold, "Paperless threshold".into())),
        }),
        _ => String::new(),
    };
    let mut quarters: Vec<String> = match (
        crate::domain::scoring::first_quarter(&fw, &all),
        crate::domain::scoring::default_as_of(&fw, &all),
    ) {
        (Some(a), Some(b)) => a.through(b).map(|q| q.to_string()).collect(),
        _ => Vec::new(),
    };
    quarters.reverse();
    Ok(CompareView {
        as_of: as_of.map(|q| q.to_string()),
        quarters,
        candidates: all
            .iter()
            .map(|e| (e.slug.clone(), e.name.clone()))
            .collect(),
        chosen,
        themes: fw
            .themes
            .iter()
            .map(|t| (t.code.clone(), t.name.clone(), t.weight))
            .collect(),
        weights: weighted_fw.themes.iter().map(|t| t.weight).collect(),
        rows,
        chart,
        // With the weights asked for, so the live panel starts where the form does.
        framework: weighted_fw,
        inputs,
        problem,
    })
}

#[server(prefix = "/_fn", endpoint = "compare")]
pub async fn compare_data(query: CompareQuery) -> Result<CompareView, AppError> {
    use crate::domain::account::Role;
    crate::ui::session::current_user()
        .filter(|u| u.role.includes(Role::Assessor))
        .ok_or(AppError::Forbidden)?;
    let state = crate::state::app_state()?;
    compare(&state.pool, &query, state.today()).await
}

/// The comparison as CSV: one row per economy.
#[cfg(feature = "ssr")]
pub fn compare_csv(v: &CompareView) -> String {
    use crate::domain::scoring::safe_csv_cell as cell;
    let num = |n: Option<f64>| {
        n.map(crate::domain::files::format_number)
            .unwrap_or_default()
    };
    let mut head = vec![
        "economy",
        "name",
        "as_of",
        "rank",
        "overall",
        "verified_overall",
        "completeness",
        "confidence",
        "eligible",
        "stage",
        "paperless_date",
        "on_track",
        "rank_with_weights",
        "overall_with_weights",
    ]
    .into_iter()
    .map(String::from)
    .collect::<Vec<_>>();
    head.extend(v.themes.iter().map(|(c, _, _)| format!("theme:{c}")));
    head.push("organisations".into());
    head.push("not_fundable_because".into());
    let mut out = head.join(",");
    out.push('\n');
    for r in &v.rows {
        let mut cells = vec![
            r.slug.clone(),
            r.name.clone(),
            v.as_of.clone().unwrap_or_default(),
            r.rank.map(|x| x.to_string()).unwrap_or_default(),
            num(r.overall),
            num(r.verified_overall),
            num(r.completeness),
            num(r.confidence),
            r.eligible.map(|x| x.to_string()).unwrap_or_default(),
            r.stage.map(|x| x.to_string()).unwrap_or_default(),
            r.paperless_date.clone().unwrap_or_default(),
            r.on_track.map(|x| x.to_string()).unwrap_or_default(),
            r.rank_weighted.map(|x| x.to_string()).unwrap_or_default(),
            num(r.overall_weighted),
        ];
        cells.extend(r.themes.iter().map(|t| num(*t)));
        cells.push(
            r.organisations
                .iter()
                .map(|(k, n)| format!("{k}: {n}"))
                .collect::<Vec<_>>()
                .join("; "),
        );
        cells.push(r.not_fundable.join("; "));
        out.push_str(&cells.iter().map(|c| cell(c)).collect::<Vec<_>>().join(","));
        out.push('\n');
    }
    out
}

/// The query string of a comparison, from the page's query map.
pub fn query_from(pairs: &[(String, String)]) -> CompareQuery {
    CompareQuery {
        economies: pairs
            .iter()
            .filter(|(k, _)| k == "e")
            .map(|(_, v)| v.clone())
            .collect(),
        quarter: pairs
            .iter()
            .find(|(k, _)| k == "q")
            .map(|(_, v)| v.clone())
            .unwrap_or_default(),
        weights: pairs
            .iter()
            .filter_map(|(k, v)| k.strip_prefix("w-").map(|c| (c.to_string(), v.clone())))
            .collect(),
    }
}

#[component]
pub fn ComparePage() -> impl IntoView {
    let query = use_query_map().with_untracked(|q| {
        let s = q.to_query_string();
        let s = s.trim_start_matches('?').to_string();
        (query_from(&serde_urlencoded_pairs(&s)), s)
    });
    view! {
        <Title text="Compare candidates" />
        <Suspense fallback=|| ()>
            {
                let query = query.clone();
                move || {
                    let (q, raw) = query.clone();
                    Suspend::new(async move {
                        match compare_data(q).await {
                            Ok(data) => view! { <Compare data raw /> }.into_any(),
                            Err(e) => error_page(e),
                        }
                    })
                }
            }
        </Suspense>
    }
}

/// `a=1&b=2` into pairs, decoding `+` and `%XX` (repeated keys kept).
fn serde_urlencoded_pairs(s: &str) -> Vec<(String, String)> {
    fn decode(s: &str) -> String {
        let bytes = s.as_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'+' => out.push(b' '),
                b'%' if i + 2 < bytes.len() => match u8::from_str_radix(&s[i + 1..i + 3], 16) {
                    Ok(b) => {
                        out.push(b);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                },
                b => out.push(b),
            }
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    }
    s.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (decode(k), decode(v)),
            None => (decode(p), String::new()),
        })
        .collect()
}

fn opt(n: Option<f64>) -> String {
    n.map(|n| format!("{n:.1}")).unwrap_or_else(|| "–".into())
}

#[component]
fn Compare(data: CompareView, raw: String) -> impl IntoView {
    let chosen = data.chosen.clone();
    let checkboxes = data
        .candidates
        .iter()
        .enumerate()
        .map(|(i, (slug, name))| {
            let id = format!("e-{i}");
            let checked = chosen.contains(slug);
            view! {
                <div class="nhsuk-checkboxes__item">
                    <input class="nhsuk-checkboxes__input" id=id.clone() name="e" type="checkbox" value=slug.clone() checked=checked />
                    <label class="nhsuk-label nhsuk-checkboxes__label" for=id>{name.clone()}</label>
                </div>
            }
        })
        .collect_view();
    let quarter_options = data
        .quarters
        .iter()
        .map(|q| {
            let selected = Some(q) == data.as_of.as_ref();
            view! { <option value=q.clone() selected=selected>{q.clone()}</option> }
        })
        .collect_view();
    let weight_inputs = data
        .themes
        .iter()
        .zip(&data.weights)
        .map(|((code, name, default), w)| {
            let id = format!("w-{code}");
            view! {
                <div class="nhsuk-form-group exemplar-filter__item">
                    <label class="nhsuk-label" for=id.clone()>{name.clone()}</label>
                    <div class="nhsuk-hint" id=format!("{id}-hint")>{format!("Framework: {default}")}</div>
                    <input class="nhsuk-input nhsuk-input--width-4" id=id.clone() name=id.clone() type="text" inputmode="decimal" value=w.to_string() aria-describedby=format!("{id}-hint") />
                </div>
            }
        })
        .collect_view();
    let header = data
        .rows
        .iter()
        .map(|r| view! { <th class="nhsuk-table__header" scope="col"><a href=format!("/assess/economies/{}", r.slug)>{r.name.clone()}</a></th> })
        .collect_view();
    let line = |label: String, cells: Vec<String>| {
        let tds = cells
            .into_iter()
            .map(|c| view! { <td class="nhsuk-table__cell">{c}</td> })
            .collect_view();
        view! { <tr class="nhsuk-table__row"><th class="nhsuk-table__header" scope="row">{label}</th>{tds}</tr> }
    };
    let rows = &data.rows;
    let mut lines = vec![
        line(
            "Rank".into(),
            rows.iter()
                .map(|r| r.rank.map(|x| x.to_string()).unwrap_or_else(|| "–".into()))
                .collect(),
        ),
        line(
            "Rank with the weights below".into(),
            rows.iter()
                .map(|r| {
                    r.rank_weighted
                        .map(|x| x.to_string())
                        .unwrap_or_else(|| "–".into())
                })
                .collect(),
        ),
        line(
            "Overall".into(),
            rows.iter().map(|r| opt(r.overall)).collect(),
        ),
        line(
            "Overall with the weights below".into(),
            rows.iter().map(|r| opt(r.overall_weighted)).collect(),
        ),
        line(
            "Verified overall".into(),
            rows.iter().map(|r| opt(r.verified_overall)).collect(),
        ),
    ];
    for (i, (_, name, _)) in data.themes.iter().enumerate() {
        lines.push(line(
            format!("Theme: {name}"),
            rows.iter()
                .map(|r| opt(r.themes.get(i).copied().flatten()))
                .collect(),
        ));
    }
    lines.push(line(
        "Completeness".into(),
        rows.iter()
            .map(|r| {
                r.completeness
                    .map(|c| format!("{c:.1}%"))
                    .unwrap_or_else(|| "–".into())
            })
            .collect(),
    ));
    lines.push(line(
        "Confidence".into(),
        rows.iter()
            .map(|r| {
                r.confidence
                    .map(|c| format!("{c:.1}%"))
                    .unwrap_or_else(|| "–".into())
            })
            .collect(),
    ));
    lines.push(line(
        "Every gate met".into(),
        rows.iter()
            .map(|r| match r.eligible {
                Some(true) => "Yes".into(),
                Some(false) => "No".into(),
                None => "–".into(),
            })
            .collect(),
    ));
    lines.push(line(
        "Fundable".into(),
        rows.iter()
            .map(|r| {
                if r.not_fundable.is_empty() {
                    "Yes".into()
                } else {
                    format!(
                        "Not fundable: non-compliant without an agreed plan: {}",
                        r.not_fundable.join(", ")
                    )
                }
            })
            .collect(),
    ));
    lines.push(line(
        "Stage".into(),
        rows.iter()
            .map(|r| r.stage.map(|s| s.to_string()).unwrap_or_else(|| "–".into()))
            .collect(),
    ));
    lines.push(line(
        "Projected paperless".into(),
        rows.iter()
            .map(|r| match (&r.paperless_date, r.on_track) {
                (Some(d), Some(true)) => format!("{d} (on track)"),
                (Some(d), _) => format!("{d} (not on track)"),
                _ => "none".into(),
            })
            .collect(),
    ));
    lines.push(line(
        "Member organisations".into(),
        rows.iter()
            .map(|r| {
                if r.organisations.is_empty() {
                    "none recorded".into()
                } else {
                    r.organisations
                        .iter()
                        .map(|(k, n)| format!("{k}: {n}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                }
            })
            .collect(),
    ));
    let lines = lines.into_iter().collect_view();
    let csv = format!("/assess/compare.csv?{raw}");
    let compared = data.rows.len() >= 2;
    view! {
        <nav class="nhsuk-breadcrumb" aria-label="Breadcrumb">
            <ol class="nhsuk-breadcrumb__list">
                <li class="nhsuk-breadcrumb__list-item"><a class="nhsuk-breadcrumb__link" href="/assess/shortlist">"Shortlist and decisions"</a></li>
            </ol>
        </nav>
        <h1>"Compare candidates"</h1>
        {data.problem.clone().map(|p| view! { <div class="nhsuk-inset-text"><p>{p}</p></div> })}
        <form method="get" action="/assess/compare" novalidate>
            <div class="nhsuk-form-group">
                <fieldset class="nhsuk-fieldset">
                    <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">"Economies (two to six)"</legend>
                    <div class="nhsuk-checkboxes exemplar-columns">{checkboxes}</div>
                </fieldset>
            </div>
            <div class="nhsuk-form-group">
                <label class="nhsuk-label" for="q">"Quarter"</label>
                <select class="nhsuk-select" id="q" name="q">{quarter_options}</select>
            </div>
            <h2 class="nhsuk-heading-s">"Theme weights"</h2>
            <p class="nhsuk-body-s">"Change a weight to see how the order moves. The framework's weights are unchanged."</p>
            <div class="exemplar-filter">{weight_inputs}</div>
            <button class="nhsuk-button" type="submit" data-module="nhsuk-button">"Compare"</button>
        </form>
        {compared.then(|| view! {
            <WeightSensitivity framework=data.framework.clone() economies=data.inputs.clone() as_of=data.as_of.clone() />
            <h2>{format!("Side by side, as of {}", data.as_of.clone().unwrap_or_default())}</h2>
            <p><a href=csv.clone() download="">"Download this comparison (CSV)"</a></p>
            <div class="exemplar-table-scroll" tabindex="0" role="region" aria-label="Comparison">
                <table class="nhsuk-table">
                    <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">"The compared economies side by side"</caption>
                    <thead class="nhsuk-table__head"><tr class="nhsuk-table__row"><th class="nhsuk-table__header" scope="col">"Measure"</th>{header}</tr></thead>
                    <tbody class="nhsuk-table__body">{lines}</tbody>
                </table>
            </div>
            <h2>"Trajectories"</h2>
            <figure class="exemplar-figure-chart" inner_html=data.chart.clone()></figure>
        })}
    }
}
