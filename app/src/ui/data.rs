//! Server functions: what the pages read. Thin: take the state from context, call a service,
//! map the result. Only published figures reach the public (scoring.md section 7).

use crate::domain::framework::Framework;
use crate::domain::scoring::Scores;
use crate::error::AppError;
use chrono::NaiveDate;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A published quarter's figures with what the pages show beside them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublishedView {
    pub scores: Scores,
    pub framework_version: i64,
    pub published_on: NaiveDate,
    pub revised: Option<(NaiveDate, String)>,
    /// Each economy's region, by slug, in the order of `scores.economies`.
    pub regions: Vec<String>,
    /// Overall as of the previous published quarter, by slug, where there is one.
    pub previous: Vec<Option<f64>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HomeView {
    pub today: NaiveDate,
    pub framework_name: String,
    pub milestones: Vec<(String, NaiveDate)>,
    pub paperless_threshold: f64,
    pub candidates: usize,
    pub latest: Option<PublishedView>,
    pub published: Vec<String>,
    pub next_publication: Option<(String, NaiveDate)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EconomiesView {
    pub published: Vec<String>,
    pub regions: Vec<String>,
    pub view: Option<PublishedView>,
    pub next_publication: Option<(String, NaiveDate)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FrameworkView {
    pub framework: Framework,
    pub version: i64,
    pub shares: Vec<f64>,
    /// The worked example of the specification, scored live by the domain module.
    pub example: Framework,
    pub example_scores: Scores,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpenDataView {
    pub published: Vec<(String, NaiveDate, i64)>,
}

/// England's nine regions of 2013, in the order the pages list them.
pub const REGIONS: [&str; 9] = [
    "North East",
    "North West",
    "Yorkshire and the Humber",
    "East Midlands",
    "West Midlands",
    "East of England",
    "London",
    "South East",
    "South West",
];

#[cfg(feature = "ssr")]
async fn published_view(
    pool: &crate::db::Pool,
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

#[server(prefix = "/_fn", endpoint = "home")]
pub async fn home_data() -> Result<HomeView, AppError> {
    use crate::service;
    let state = crate::state::app_state()?;
    let pool = &state.pool;
    let today = state.today();
    let fw = service::active_framework(pool).await?.framework;
    let published: Vec<String> = service::published_quarters(pool)
        .await?
        .iter()
        .map(|q| q.to_string())
        .collect();
    let latest = published_view(pool, None).await?;
    Ok(HomeView {
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

#[server(prefix = "/_fn", endpoint = "economies")]
pub async fn economies_data(as_of: Option<String>) -> Result<EconomiesView, AppError> {
    use crate::domain::Quarter;
    use crate::service;
    let state = crate::state::app_state()?;
    let pool = &state.pool;
    let as_of = match as_of.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => Some(
            s.parse::<Quarter>()
                .map_err(|e| AppError::BadRequest(format!("as_of: {e}")))?,
        ),
        None => None,
    };
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
    Ok(EconomiesView {
        published,
        regions,
        view,
        next_publication: service::next_publication(pool, state.today())
            .await?
            .map(|(q, d)| (q.to_string(), d)),
    })
}

#[server(prefix = "/_fn", endpoint = "framework")]
pub async fn framework_data() -> Result<FrameworkView, AppError> {
    use crate::domain::files::{parse_economies, parse_values};
    use crate::domain::scoring::{score_all, EconomyInput, Entry};
    let state = crate::state::app_state()?;
    let stored = crate::service::active_framework(&state.pool).await?;
    let example = Framework::from_toml(include_str!("../../../fixtures/example/framework.toml"))
        .map_err(|_| AppError::Internal)?;
    let economies = parse_economies(include_bytes!("../../../fixtures/example/economies.csv"))
        .map_err(|_| AppError::Internal)?;
    let known = economies.iter().map(|e| e.slug.to_string()).collect();
    let rows = parse_values(
        include_bytes!("../../../fixtures/example/values.csv"),
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
    Ok(FrameworkView {
        shares: stored.framework.shares(),
        framework: stored.framework,
        version: stored.version,
        example,
        example_scores,
    })
}

#[server(prefix = "/_fn", endpoint = "open-data")]
pub async fn open_data() -> Result<OpenDataView, AppError> {
    let state = crate::state::app_state()?;
    let mut published = Vec::new();
    for p in crate::service::all_published(&state.pool).await? {
        if let Some(q) = p.scores.as_of {
            published.push((
                q.to_string(),
                p.revised.as_ref().map(|r| r.date).unwrap_or(p.published_on),
                p.revised.as_ref().map(|r| r.number).unwrap_or(0),
            ));
        }
    }
    Ok(OpenDataView { published })
}
