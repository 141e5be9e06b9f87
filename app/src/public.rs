//! The public read side: what `/`, `/economies`, `/economies/{slug}`, `/regions`,
//! `/how-scores-work` and `/open-data` read, from published figures only. The server
//! functions in `ui::data` call these and render.

use crate::db::Pool;
use crate::domain::framework::Framework;
use crate::domain::nomination::REGIONS;
use crate::domain::public::*;
use crate::error::AppError;
use chrono::NaiveDate;

async fn published_view(
    pool: &Pool,
    as_of: Option<crate::domain::Quarter>,
) -> Result<Option<PublishedView>, AppError> {
    use crate::service;
    let Some(p) = service::published_scores(pool, as_of).await? else {
        return Ok(None);
    };
    let economies = crate::db::candidates(pool).await?;
    let region_of = |slug: &str| {
        economies
            .iter()
            .find(|e| e.slug == slug)
            .map(|e| e.region.clone())
            .unwrap_or_default()
    };
    let prev_q = p.scores.as_of.map(|q| q.prev());
    let previous_scores = match prev_q {
        Some(q) => service::published_scores(pool, Some(q)).await?,
        None => None,
    };
    let previous = p
        .scores
        .economies
        .iter()
        .map(|r| {
            previous_scores
                .as_ref()
                .and_then(|ps| ps.scores.economies.iter().find(|x| x.economy == r.economy))
                .and_then(|x| x.overall)
        })
        .collect();
    Ok(Some(PublishedView {
        regions: p
            .scores
            .economies
            .iter()
            .map(|r| region_of(&r.economy))
            .collect(),
        previous,
        framework_version: p.framework_version,
        published_on: p.published_on,
        revised: p.revised.map(|r| (r.date, r.reason)),
        scores: p.scores,
    }))
}

async fn national_progress(
    fw: &Framework,
    pool: &Pool,
) -> Result<(Vec<NationalRow>, Option<NaiveDate>, String), AppError> {
    use crate::charts::{self, Series, TimeChart};
    use crate::domain::scoring::trajectory_from_points;
    let mut rows = Vec::new();
    let mut points = Vec::new();
    let mut band = Vec::new();
    let mut median_points = Vec::new();
    for p in crate::service::all_published(pool).await? {
        let Some(q) = p.scores.as_of else { continue };
        let mut overall: Vec<f64> = p
            .scores
            .economies
            .iter()
            .filter_map(|e| e.overall)
            .collect();
        let mut verified: Vec<f64> = p
            .scores
            .economies
            .iter()
            .filter_map(|e| e.verified_overall)
            .collect();
        overall.sort_by(f64::total_cmp);
        verified.sort_by(f64::total_cmp);
        let row = NationalRow {
            quarter: q.to_string(),
            ranked: overall.len(),
            median: quantile(&overall, 0.5),
            lower_quartile: quantile(&overall, 0.25),
            upper_quartile: quantile(&overall, 0.75),
            median_verified: quantile(&verified, 0.5),
        };
        if let (Some(m), Some(lo), Some(hi)) = (row.median, row.lower_quartile, row.upper_quartile)
        {
            points.push((q, m));
            band.push((q.end_date(), lo, hi));
            median_points.push((q.end_date(), m));
        }
        rows.push(row);
    }
    let trajectory = trajectory_from_points(fw, points);
    let paperless = fw.paperless_milestone().clone();
    let mut series = vec![Series {
        name: "Median overall score".into(),
        color: charts::NHS_BLUE,
        points: median_points.clone(),
        dashed: false,
    }];
    let mut description = match rows.last() {
        Some(r) => format!(
            "In {} the median overall score of {} reporting economies was {}, with half of them between {} and {}.",
            r.quarter,
            r.ranked,
            crate::domain::format::score(r.median),
            crate::domain::format::score(r.lower_quartile),
            crate::domain::format::score(r.upper_quartile)
        ),
        None => "No quarter is published yet.".to_string(),
    };
    let national_paperless = trajectory.paperless_date.filter(|_| !trajectory.achieved);
    if let (Some(d), Some(last)) = (national_paperless, median_points.last()) {
        series.push(Series {
            name: "Projection of the median".into(),
            color: charts::NHS_BLUE,
            points: vec![
                *last,
                (
                    d.min(paperless.date + chrono::Duration::days(365 * 3)),
                    fw.paperless_threshold,
                ),
            ],
            dashed: true,
        });
        description.push_str(&format!(
            " On the trend so far the median reaches the paperless threshold on {}.",
            crate::domain::format::long_date(d)
        ));
    }
    let start = band
        .first()
        .map(|(d, _, _)| *d - chrono::Duration::days(60))
        .unwrap_or(paperless.date - chrono::Duration::days(365 * 5));
    let chart = charts::time_chart(&TimeChart {
        id: "national-chart".into(),
        title: "National trajectory: overall scores of candidate economies by quarter".into(),
        description,
        start,
        end: paperless.date + chrono::Duration::days(90),
        series,
        band: (!band.is_empty()).then(|| ("Middle half of economies".to_string(), band)),
        milestones: chart_milestones(fw),
        lines: Vec::new(),
        marks: Vec::new(),
        threshold: Some((
            fw.paperless_threshold,
            format!("Paperless threshold ({})", fw.paperless_threshold),
        )),
    });
    Ok((rows, national_paperless, chart))
}

fn chart_milestones(fw: &Framework) -> Vec<(NaiveDate, String)> {
    ["epr-operational", "pilot-selected", "paperless"]
        .iter()
        .filter_map(|code| fw.milestone(code))
        .map(|m| {
            let short = match m.code.as_str() {
                "epr-operational" => "EPR deadline".to_string(),
                "pilot-selected" => "Pilot chosen".to_string(),
                "paperless" => "Paperless NHS".to_string(),
                _ => m.name.clone(),
            };
            (m.date, short)
        })
        .collect()
}

/// A page's `?as_of=` quarter: none when absent or empty, a bad request when not a quarter.
pub fn parse_as_of(as_of: Option<&str>) -> Result<Option<crate::domain::Quarter>, AppError> {
    match as_of.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => s
            .parse()
            .map(Some)
            .map_err(|e| AppError::BadRequest(format!("as_of: {e}"))),
        None => Ok(None),
    }
}

/// `/`: the national picture, the latest published quarter and the trust register.
pub async fn home(pool: &Pool, today: NaiveDate) -> Result<HomeView, AppError> {
    use crate::service;
    let fw = service::active_framework(pool).await?.framework;
    let published: Vec<String> = service::published_quarters(pool)
        .await?
        .iter()
        .map(|q| q.to_string())
        .collect();
    let latest = published_view(pool, None).await?;
    let (national, national_paperless, chart) = national_progress(&fw, pool).await?;
    let (register, deadline) = crate::trusts::register(pool, &fw, today).await?;
    let trusts = deadline.filter(|_| !register.is_empty()).map(|d| {
        use crate::domain::trusts::Compliance;
        // The trusts open today, as on /trusts.
        let open: Vec<_> = register.iter().filter(|t| t.closed.is_none()).collect();
        let count = |c: Compliance| open.iter().filter(|t| t.compliance == Some(c)).count();
        TrustsSummary {
            total: open.len(),
            compliant: count(Compliance::Compliant),
            late: count(Compliance::Late),
            deadline: d,
        }
    });
    Ok(HomeView {
        trusts,
        national,
        national_paperless,
        chart,
        today,
        framework_name: fw.name.clone(),
        milestones: fw
            .milestones
            .iter()
            .map(|m| (m.name.clone(), m.date))
            .collect(),
        paperless_threshold: fw.paperless_threshold,
        candidates: crate::db::candidates(pool).await?.len(),
        latest,
        published,
        next_publication: service::next_publication(pool, today)
            .await?
            .map(|(q, d)| (q.to_string(), d)),
    })
}

/// `/economies`: the ranking of a published quarter (the latest without `as_of`), and the
/// economies in it that `search` finds by their name or a member organisation's.
pub async fn economies(
    pool: &Pool,
    today: NaiveDate,
    as_of: Option<String>,
    search: String,
) -> Result<EconomiesView, AppError> {
    use crate::service;
    let as_of = parse_as_of(as_of.as_deref())?;
    let published: Vec<String> = service::published_quarters(pool)
        .await?
        .iter()
        .map(|q| q.to_string())
        .collect();
    let view = published_view(pool, as_of).await?;
    if let (Some(q), None) = (as_of, &view) {
        return Err(AppError::NotPublished(q.to_string()));
    }
    let mut regions: Vec<String> = REGIONS.iter().map(|r| r.to_string()).collect();
    for e in crate::db::candidates(pool).await? {
        if !regions.contains(&e.region) {
            regions.push(e.region);
        }
    }
    let search = search.trim().to_string();
    let mut found = Vec::new();
    if let (Some(v), false) = (&view, search.is_empty()) {
        let members = crate::db::organisation_names(pool).await?;
        for e in &v.scores.economies {
            let theirs: Vec<&str> = members
                .iter()
                .filter(|m| m.economy == e.economy)
                .map(|m| m.name.as_str())
                .collect();
            found.extend(search_by_name(&search, &e.economy, &e.name, &theirs));
        }
    }
    let places = crate::organisations::nhs_places(pool).await?;
    let mut area_teams: Vec<(String, Vec<String>)> = crate::organisations::economy_area_teams(pool)
        .await?
        .into_iter()
        .collect();
    area_teams.sort();
    Ok(EconomiesView {
        places,
        area_teams,
        search,
        found,
        published,
        regions,
        view,
        next_publication: service::next_publication(pool, today)
            .await?
            .map(|(q, d)| (q.to_string(), d)),
    })
}

/// `/how-scores-work`: the active framework with the worked example scored.
pub async fn framework(pool: &Pool) -> Result<FrameworkView, AppError> {
    use crate::domain::files::{parse_economies, parse_values};
    use crate::domain::scoring::{score_all, EconomyInput, Entry};
    let stored = crate::service::active_framework(pool).await?;
    let example = Framework::from_toml(include_str!("../../fixtures/example/framework.toml"))
        .map_err(|_| AppError::Internal)?;
    let economies = parse_economies(include_bytes!("../../fixtures/example/economies.csv"))
        .map_err(|_| AppError::Internal)?;
    let known = economies.iter().map(|e| e.slug.to_string()).collect();
    let rows = parse_values(
        include_bytes!("../../fixtures/example/values.csv"),
        &example,
        &known,
    )
    .map_err(|_| AppError::Internal)?;
    let inputs: Vec<EconomyInput> = economies
        .iter()
        .map(|e| EconomyInput {
            slug: e.slug.to_string(),
            name: e.name.clone(),
            entries: rows
                .iter()
                .filter(|r| r.economy == e.slug)
                .map(|r| Entry {
                    period: r.period,
                    code: r.code.clone(),
                    value: r.value.clone(),
                    status: r.status,
                })
                .collect(),
        })
        .collect();
    let example_scores = score_all(&example, &inputs, None);
    let panel_public = crate::panel::store::round(pool, &stored.framework.code)
        .await?
        .is_some_and(|r| r.closed_at.is_some());
    Ok(FrameworkView {
        panel_public,
        shares: stored.framework.shares(),
        framework: stored.framework,
        version: stored.version,
        example,
        example_scores,
    })
}

/// `/open-data`: the files and every published version.
pub async fn open_data(pool: &Pool) -> Result<OpenDataView, AppError> {
    let fw = crate::service::active_framework(pool).await?.framework;
    let versions = crate::service::publication_history(pool)
        .await?
        .into_iter()
        .map(|(q, n, date, code, version, reason)| PublishedVersion {
            quarter: q.to_string(),
            revision: n,
            published_on: date,
            framework_code: code,
            framework_version: version,
            reason,
        })
        .collect();
    Ok(OpenDataView {
        versions,
        base_url: String::new(),
        themes: fw
            .themes
            .iter()
            .map(|t| (t.code.clone(), t.name.clone()))
            .collect(),
    })
}

/// `/economies/{slug}`: one economy's published quarters, benefits and public decisions.
pub async fn economy(pool: &Pool, slug: &crate::domain::Slug) -> Result<EconomyView, AppError> {
    use crate::charts::{self, Series, TimeChart};
    let economy = crate::db::candidates(pool)
        .await?
        .into_iter()
        .find(|e| e.slug == *slug)
        .ok_or(AppError::NotFound)?;
    let fw = crate::service::active_framework(pool).await?.framework;
    let mut quarters = Vec::new();
    for p in crate::service::all_published(pool).await? {
        let Some(q) = p.scores.as_of else { continue };
        if let Some(r) = p.scores.economies.iter().find(|r| r.economy == slug) {
            quarters.push(QuarterRecord {
                quarter: q.to_string(),
                label: q.label(),
                record: r.clone(),
                revised: p.revised.is_some(),
                published_on: p.published_on,
                ranked_of: p
                    .scores
                    .economies
                    .iter()
                    .filter(|r| r.rank.is_some())
                    .count(),
            });
        }
    }
    let reported: Vec<&QuarterRecord> = quarters
        .iter()
        .filter(|q| q.record.overall.is_some())
        .collect();
    let end_of = |q: &str| {
        q.parse::<crate::domain::Quarter>()
            .map(|q| q.end_date())
            .ok()
    };
    let paperless = fw.paperless_milestone().clone();
    let start = reported
        .first()
        .and_then(|q| end_of(&q.quarter))
        .map(|d| d - chrono::Duration::days(60))
        .unwrap_or(paperless.date - chrono::Duration::days(365 * 5));
    let overall: Vec<(NaiveDate, f64)> = reported
        .iter()
        .filter_map(|q| Some((end_of(&q.quarter)?, q.record.overall?)))
        .collect();
    let verified: Vec<(NaiveDate, f64)> = reported
        .iter()
        .filter_map(|q| Some((end_of(&q.quarter)?, q.record.verified_overall?)))
        .collect();
    let mut series = vec![
        Series {
            name: "Overall score".into(),
            color: charts::NHS_BLUE,
            points: overall.clone(),
            dashed: false,
        },
        Series {
            name: "Verified overall score".into(),
            color: charts::NHS_DARK_PINK,
            points: verified,
            dashed: false,
        },
    ];
    let latest = reported.last();
    let mut summary = match latest {
        Some(q) => format!(
            "{} scored {:.1} overall and {:.1} verified in {}.",
            economy.name,
            q.record.overall.unwrap_or(0.0),
            q.record.verified_overall.unwrap_or(0.0),
            q.quarter
        ),
        None => format!("{} has no published scores yet.", economy.name),
    };
    if let (Some(q), Some(last)) = (latest, overall.last()) {
        if let (Some(d), Some(false)) = (q.record.paperless_date, q.record.paperless_achieved) {
            series.push(Series {
                name: "Projected trajectory".into(),
                color: charts::NHS_BLUE,
                points: vec![
                    *last,
                    (
                        d.min(paperless.date + chrono::Duration::days(365 * 3)),
                        fw.paperless_threshold,
                    ),
                ],
                dashed: true,
            });
            summary.push_str(&format!(
                " On its trend it would reach {} on {}.",
                fw.paperless_threshold,
                crate::domain::format::long_date(d)
            ));
        }
    }
    let chart = charts::time_chart(&TimeChart {
        id: "economy-chart".into(),
        title: format!(
            "{}: overall and verified overall score by quarter",
            economy.name
        ),
        description: summary,
        start,
        end: paperless.date + chrono::Duration::days(90),
        series,
        band: None,
        milestones: chart_milestones(&fw),
        lines: Vec::new(),
        marks: Vec::new(),
        threshold: Some((
            fw.paperless_threshold,
            format!("Paperless threshold ({})", fw.paperless_threshold),
        )),
    });
    let theme_series: Vec<Series> = fw
        .themes
        .iter()
        .enumerate()
        .map(|(i, t)| Series {
            name: t.name.clone(),
            color: charts::PALETTE[i % charts::PALETTE.len()],
            points: reported
                .iter()
                .filter_map(|q| {
                    Some((
                        end_of(&q.quarter)?,
                        *q.record.themes.as_ref()?.get(&t.code)?,
                    ))
                })
                .collect(),
            dashed: false,
        })
        .collect();
    let theme_end = overall
        .last()
        .map(|(d, _)| *d + chrono::Duration::days(60))
        .unwrap_or(paperless.date);
    let theme_chart = charts::time_chart(&TimeChart {
        id: "theme-chart".into(),
        title: format!("{}: theme scores by quarter", economy.name),
        description:
            "Each theme's score in each published quarter; the table below gives the figures."
                .into(),
        start,
        end: theme_end,
        series: theme_series,
        band: None,
        milestones: Vec::new(),
        lines: Vec::new(),
        marks: Vec::new(),
        threshold: None,
    });
    let mut stages: Vec<(u8, Vec<String>)> = Vec::new();
    for c in &fw.criteria {
        if let Some(s) = c.stage {
            match stages.iter_mut().find(|(k, _)| *k == s) {
                Some((_, list)) => list.push(c.title.clone()),
                None => stages.push((s, vec![c.title.clone()])),
            }
        }
    }
    stages.sort_by_key(|(s, _)| *s);
    let decisions = crate::db::decisions(pool)
        .await?
        .into_iter()
        .filter(|d| d.slug == economy.slug)
        .filter_map(|d| {
            let words = match d.outcome.as_str() {
                "shortlisted" => "Shortlisted",
                "selected" => "Selected as the exemplar pilot site",
                "not-selected" => "Not selected",
                _ => return None,
            };
            let panel = serde_json::from_str::<serde_json::Value>(&d.scores)
                .ok()
                .and_then(|r| crate::panel::public_summary(&r));
            Some(PublicDecision {
                outcome: words.to_string(),
                rationale: d.rationale,
                published_at: d.published_at?,
                panel,
            })
        })
        .collect();
    let benefits = match crate::service::published_quarters(pool).await?.last() {
        Some(last) => {
            let overall: std::collections::HashMap<crate::domain::Quarter, f64> = quarters
                .iter()
                .filter_map(|q| Some((q.quarter.parse().ok()?, q.record.overall?)))
                .collect();
            let entries = crate::db::economy_entries(pool, economy.id).await?;
            crate::benefits::economy_benefits(&fw, &entries, *last, &overall, "benefit-")
        }
        None => Vec::new(),
    };
    Ok(EconomyView {
        benefits,
        decisions,
        slug: economy.slug,
        name: economy.name,
        region: economy.region,
        quarters,
        themes: fw
            .themes
            .iter()
            .map(|t| (t.code.clone(), t.name.clone()))
            .collect(),
        stages,
        gates: fw
            .criteria
            .iter()
            .filter(|c| c.gate)
            .map(|c| c.title.clone())
            .collect(),
        threshold: fw.paperless_threshold,
        paperless_milestone: (paperless.name, paperless.date),
        chart,
        theme_chart,
    })
}

/// `/regions`: the median overall score by region, as a table and a map.
pub async fn regions(pool: &Pool, as_of: Option<String>) -> Result<RegionsView, AppError> {
    let as_of = parse_as_of(as_of.as_deref())?;
    let published: Vec<String> = crate::service::published_quarters(pool)
        .await?
        .iter()
        .map(|q| q.to_string())
        .collect();
    let view = published_view(pool, as_of).await?;
    if let (Some(q), None) = (as_of, &view) {
        return Err(AppError::NotPublished(q.to_string()));
    }
    let rows = view.as_ref().map(region_rows).unwrap_or_default();
    let quarter = view.as_ref().and_then(|v| v.scores.as_of);
    let described: Vec<String> = rows
        .iter()
        .filter(|r| r.on_map)
        .map(|r| match r.median {
            Some(m) => format!("{} {:.1}", r.region, m),
            None => format!("{} too few to show", r.region),
        })
        .collect();
    let map = crate::hexmap::hex_map(
        "region-map",
        &format!(
            "Map of England's regions shaded by median overall score{}",
            quarter.map(|q| format!(", {q}")).unwrap_or_default()
        ),
        &format!("Median overall score by region: {}.", described.join("; ")),
        |region| {
            rows.iter()
                .find(|r| r.region == region)
                .and_then(|r| r.median)
        },
    );
    let geography: std::collections::HashMap<&str, &str> =
        crate::domain::organisations::AREA_TEAM_GEOGRAPHY
            .iter()
            .copied()
            .collect();
    let places = crate::organisations::nhs_places(pool)
        .await?
        .into_iter()
        .map(|p| {
            let g = geography.get(p.code.as_str()).map(|g| g.to_string());
            (p, g)
        })
        .collect();
    Ok(RegionsView {
        quarter: quarter.map(|q| q.to_string()),
        label: quarter.map(|q| q.label()),
        published,
        rows,
        map,
        places,
    })
}
