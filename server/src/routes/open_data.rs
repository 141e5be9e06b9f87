//! Open data: every published figure as CSV and JSON downloads under `/open-data/`.

use super::api::ApiError;
use app::state::AppState;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/open-data/{file}", get(download))
        .layer(super::open_to_any_origin())
}

/// Downloads: `/open-data/scores-YYYY-Qn.csv|json` (current figures of a published quarter),
/// `/open-data/scores-YYYY-Qn-rN.csv|json` (revision N; 0 is as first published) and
/// `/open-data/values.csv|json` (the values behind the published quarters) and
/// `/open-data/trusts.csv|json` (the trust EPR register, with its public remediation plans)
/// and `/open-data/benefits.csv|json` (benefits as of the latest published quarter).
async fn download(State(state): State<AppState>, Path(file): Path<String>) -> Response<Body> {
    match serve_download(&state, &file).await {
        Ok(r) => r,
        Err(e) => e.into_response(),
    }
}

async fn serve_download(
    state: &AppState,
    file: &str,
) -> Result<Response<Body>, super::api::ApiError> {
    let (stem, json) = match (file.strip_suffix(".csv"), file.strip_suffix(".json")) {
        (Some(s), _) => (s, false),
        (_, Some(s)) => (s, true),
        _ => return Err(ApiError::not_found("no such download")),
    };
    if stem == "benefits" {
        let out = app::benefits::published_benefits(&state.pool, None)
            .await?
            .ok_or_else(|| ApiError::not_found("no quarter is published yet"))?;
        if json {
            return Ok(attachment(
                "benefits.json",
                "application/json",
                serde_json::to_string(&out).expect("serialises"),
            ));
        }
        return Ok(attachment(
            "benefits.csv",
            "text/csv; charset=utf-8",
            app::benefits::benefits_csv(&out),
        ));
    }
    if stem == "trusts" {
        let rows = app::trusts::open_register(&state.pool, state.today()).await?;
        if json {
            return Ok(attachment(
                "trusts.json",
                "application/json",
                serde_json::json!({"as_of": state.today(), "trusts": rows}).to_string(),
            ));
        }
        return Ok(attachment(
            "trusts.csv",
            "text/csv; charset=utf-8",
            app::trusts::open_register_csv(&rows),
        ));
    }
    if stem == "values" {
        let values = app::service::published_values(&state.pool).await?;
        if json {
            return Ok(attachment(
                "values.json",
                "application/json",
                serde_json::json!({"values": values}).to_string(),
            ));
        }
        let mut csv = String::from("economy,period,criterion,value,status\n");
        for v in values {
            let cells = [v.economy, v.period, v.criterion, v.value, v.status];
            let cells: Vec<String> = cells
                .iter()
                .map(|c| app::domain::scoring::safe_csv_cell(c))
                .collect();
            csv.push_str(&cells.join(","));
            csv.push('\n');
        }
        return Ok(attachment("values.csv", "text/csv; charset=utf-8", csv));
    }
    let rest = stem
        .strip_prefix("scores-")
        .ok_or_else(|| ApiError::not_found("no such download"))?;
    let (quarter, revision) = match rest.split_once("-r") {
        Some((q, n)) => (
            q,
            Some(
                n.parse::<i64>()
                    .map_err(|_| ApiError::not_found("no such download"))?,
            ),
        ),
        None => (rest, None),
    };
    let q = quarter
        .parse::<app::domain::Quarter>()
        .map_err(|_| ApiError::not_found("no such download"))?;
    let published = match revision {
        Some(n) => app::service::publication_revision(&state.pool, q, n).await?,
        None => app::service::published_scores(&state.pool, Some(q)).await?,
    }
    .ok_or_else(|| ApiError::not_published(q))?;
    let name = format!("exemplar-scores-{file}");
    if json {
        return Ok(attachment(
            &name,
            "application/json",
            serde_json::to_string(&published).expect("serialises"),
        ));
    }
    Ok(attachment(
        &name,
        "text/csv; charset=utf-8",
        app::domain::scoring::scores_csv_download(&published.scores),
    ))
}

fn attachment(name: &str, content_type: &str, body: String) -> Response<Body> {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response()
}
