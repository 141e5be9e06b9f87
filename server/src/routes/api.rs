//! The JSON API under `/api/v1` (routes.md): read-only for the public, published quarters
//! only (scoring.md section 7), errors as `{"error": {"code", "message"}}`. The OpenAPI
//! description is generated from these handlers and types.

use app::domain::Quarter;
use app::service::{self, ServiceError};
use app::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;
use std::collections::HashMap;
use utoipa::{OpenApi, ToSchema};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/scores", get(scores))
        .route("/economies", get(economies))
        .route("/economies/{slug}", get(economy))
        .route("/frameworks/active", get(active_framework))
        .route("/benefits", get(benefits))
        .route("/organisations", get(organisations))
        .route("/openapi.json", get(openapi))
        .fallback(|| async { ApiError::not_found("no such API path") })
        .layer(super::open_to_any_origin())
}

/// An API error: `{"error": {"code", "message"[, "parameter"]}}`.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
    parameter: Option<&'static str>,
}

#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    error: ErrorDetail,
}

#[derive(Serialize, ToSchema)]
pub struct ErrorDetail {
    /// One of bad-parameter, unauthenticated, forbidden, not-found, not-published, rate-limited.
    code: String,
    message: String,
    /// The request parameter at fault, for bad-parameter.
    #[serde(skip_serializing_if = "Option::is_none")]
    parameter: Option<String>,
}

impl ApiError {
    pub fn not_found(message: &str) -> Self {
        ApiError {
            status: StatusCode::NOT_FOUND,
            code: "not-found",
            message: message.to_string(),
            parameter: None,
        }
    }

    pub fn unauthenticated() -> Self {
        ApiError {
            status: StatusCode::UNAUTHORIZED,
            code: "unauthenticated",
            message: "sign in first".to_string(),
            parameter: None,
        }
    }

    pub fn forbidden() -> Self {
        ApiError {
            status: StatusCode::FORBIDDEN,
            code: "forbidden",
            message: "your role does not allow this".to_string(),
            parameter: None,
        }
    }

    pub fn not_published(q: Quarter) -> Self {
        ApiError {
            status: StatusCode::NOT_FOUND,
            code: "not-published",
            message: format!("{q} is not published"),
            parameter: None,
        }
    }

    fn bad_parameter(parameter: &'static str, message: String) -> Self {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            code: "bad-parameter",
            message,
            parameter: Some(parameter),
        }
    }
}

impl From<ServiceError> for ApiError {
    fn from(e: ServiceError) -> Self {
        tracing::error!(error = %e, "API request failed");
        ApiError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            code: "internal",
            message: "sorry, there is a problem with the service".into(),
            parameter: None,
        }
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> Self {
        ServiceError::Db(e).into()
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code.into(),
                message: self.message,
                parameter: self.parameter.map(String::from),
            },
        };
        (self.status, Json(body)).into_response()
    }
}

/// 404 `not-published`: for the quarter asked for, or for the latest when none is.
fn nothing_published(q: Option<Quarter>) -> ApiError {
    match q {
        Some(q) => ApiError::not_published(q),
        None => ApiError {
            status: StatusCode::NOT_FOUND,
            code: "not-published",
            message: "no quarter is published yet".into(),
            parameter: None,
        },
    }
}

fn as_of(params: &HashMap<String, String>) -> Result<Option<Quarter>, ApiError> {
    match params.get("as_of") {
        None => Ok(None),
        Some(s) => s
            .parse::<Quarter>()
            .map(Some)
            .map_err(|e| ApiError::bad_parameter("as_of", format!("as_of: {e}"))),
    }
}

/// One economy's record of scoring.md section 8 (null scores where it had nothing to score).
#[derive(Serialize, ToSchema)]
#[allow(dead_code)]
pub struct ScoreRecordDoc {
    economy: String,
    name: String,
    rank: Option<u32>,
    overall: Option<f64>,
    verified_overall: Option<f64>,
    /// Theme code to theme score.
    themes: Option<HashMap<String, f64>>,
    completeness: Option<f64>,
    confidence: Option<f64>,
    eligible: Option<bool>,
    stage: Option<u8>,
    #[schema(format = Date)]
    paperless_date: Option<String>,
    paperless_achieved: Option<bool>,
    on_track: Option<bool>,
}

#[derive(Serialize, ToSchema)]
#[allow(dead_code)]
pub struct RevisedDoc {
    #[schema(format = Date)]
    date: String,
    reason: String,
    number: i64,
}

/// A published quarter's stored figures.
#[derive(Serialize, ToSchema)]
#[allow(dead_code)]
pub struct ScoresDoc {
    /// The quarter, YYYY-Qn.
    as_of: Option<String>,
    framework: String,
    framework_version: i64,
    #[schema(format = Date)]
    published_on: String,
    revised: Option<RevisedDoc>,
    economies: Vec<ScoreRecordDoc>,
}

#[derive(Serialize, ToSchema)]
pub struct EconomyDoc {
    slug: String,
    name: String,
    region: String,
}

#[derive(Serialize, ToSchema)]
pub struct EconomiesDoc {
    economies: Vec<EconomyDoc>,
}

#[derive(Serialize, ToSchema)]
pub struct EconomyScoresDoc {
    slug: String,
    name: String,
    region: String,
    /// Its record for each published quarter, oldest first, each with its as_of.
    #[schema(value_type = Vec<Object>)]
    scores: Vec<serde_json::Value>,
}

/// The scores of a published quarter (default: the latest published).
#[utoipa::path(get, path = "/api/v1/scores",
    params(("as_of" = Option<String>, Query, description = "A published quarter, YYYY-Qn", pattern = r"^[0-9]{4}-Q[1-4]$", example = "2014-Q4")),
    responses(
        (status = 200, body = ScoresDoc),
        (status = 400, body = ErrorBody, description = "as_of is not a quarter"),
        (status = 404, body = ErrorBody, description = "not-published: nothing or not that quarter is published"),
    ))]
async fn scores(
    State(state): State<AppState>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let q = as_of(&params)?;
    match service::published_scores(&state.pool, q).await? {
        Some(p) => Ok(Json(p).into_response()),
        None => Err(nothing_published(q)),
    }
}

/// Every candidate economy, by slug.
#[utoipa::path(get, path = "/api/v1/economies", responses((status = 200, body = EconomiesDoc)))]
async fn economies(State(state): State<AppState>) -> Result<Json<EconomiesDoc>, ApiError> {
    let list = service::candidates(&state.pool).await?;
    Ok(Json(EconomiesDoc {
        economies: list
            .into_iter()
            .map(|e| EconomyDoc {
                slug: e.slug,
                name: e.name,
                region: e.region,
            })
            .collect(),
    }))
}

/// One candidate economy with its record for each published quarter.
#[utoipa::path(get, path = "/api/v1/economies/{slug}",
    params(("slug" = String, Path, description = "The economy's slug", example = "leeds-health-and-care-economy")),
    responses((status = 200, body = EconomyScoresDoc), (status = 404, description = "not-found: no candidate economy has that slug", body = ErrorBody)))]
async fn economy(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Json<EconomyScoresDoc>, ApiError> {
    let list = service::candidates(&state.pool).await?;
    let Some(e) = list.into_iter().find(|e| e.slug == slug) else {
        return Err(ApiError::not_found("no candidate economy has that slug"));
    };
    let mut scores = Vec::new();
    for p in service::all_published(&state.pool).await? {
        if let Some(r) = p.scores.economies.iter().find(|r| r.economy == e.slug) {
            let mut v = serde_json::to_value(r).expect("a record serialises");
            if let serde_json::Value::Object(m) = &mut v {
                m.insert(
                    "as_of".into(),
                    serde_json::to_value(p.scores.as_of).expect("serialises"),
                );
                m.insert("framework".into(), p.scores.framework.clone().into());
                m.insert("framework_version".into(), p.framework_version.into());
                if let Some(r) = &p.revised {
                    m.insert(
                        "revised".into(),
                        serde_json::to_value(r).expect("serialises"),
                    );
                }
            }
            scores.push(v);
        }
    }
    Ok(Json(EconomyScoresDoc {
        slug: e.slug,
        name: e.name,
        region: e.region,
        scores,
    }))
}

/// One economy's result for one benefit (scoring.md section 9), with its published overall
/// score and stage as of the same quarter.
#[derive(Serialize, ToSchema)]
#[allow(dead_code)]
pub struct BenefitEconomyDoc {
    economy: String,
    name: String,
    /// The first quarter with a value that is not rejected, YYYY-Qn.
    baseline_period: String,
    baseline: f64,
    /// The effective value as of the quarter.
    current: f64,
    /// current minus baseline.
    change: f64,
    /// The change's sign agrees with the benefit's `better`.
    improved: bool,
    overall: Option<f64>,
    stage: Option<u8>,
}

#[derive(Serialize, ToSchema)]
#[allow(dead_code)]
pub struct BenefitDoc {
    code: String,
    title: String,
    unit: String,
    /// higher or lower
    better: String,
    economies: Vec<BenefitEconomyDoc>,
}

#[derive(Serialize, ToSchema)]
#[allow(dead_code)]
pub struct BenefitsDoc {
    /// The published quarter, YYYY-Qn.
    as_of: String,
    benefits: Vec<BenefitDoc>,
}

/// Benefits per economy as of a published quarter (default: the latest published): baseline,
/// current value, change and whether it is an improvement. Association, not cause.
#[utoipa::path(get, path = "/api/v1/benefits",
    params(("as_of" = Option<String>, Query, description = "A published quarter, YYYY-Qn", pattern = r"^[0-9]{4}-Q[1-4]$", example = "2014-Q4")),
    responses(
        (status = 200, body = BenefitsDoc),
        (status = 400, body = ErrorBody, description = "as_of is not a quarter"),
        (status = 404, body = ErrorBody, description = "not-published: nothing or not that quarter is published"),
    ))]
async fn benefits(
    State(state): State<AppState>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let q = as_of(&params)?;
    match app::benefits::published_benefits(&state.pool, q).await? {
        Some(b) => Ok(Json(b).into_response()),
        None => Err(nothing_published(q)),
    }
}

#[derive(Serialize, ToSchema)]
pub struct OrganisationDoc {
    /// The ODS code.
    code: String,
    name: String,
    /// Its type in words: Acute trust, Clinical commissioning group, GP practice...
    #[serde(rename = "type")]
    kind: String,
    /// Its CCG and NHS England area team, in words.
    place: String,
    postcode: Option<String>,
    /// "closed on 30 September 2014", when it closed.
    closed: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct OrganisationsDoc {
    organisations: Vec<OrganisationDoc>,
}

/// NHS trusts, CCGs and GP practices of 2013-2015 whose ODS code is `q` or whose name holds
/// every word of it (at most 20, the code first). From the register of organisations;
/// contains public sector information licensed under the Open Government Licence v3.0.
#[utoipa::path(get, path = "/api/v1/organisations",
    params(("q" = String, Query, description = "A name, part of one, or an ODS code", example = "Leeds Teaching")),
    responses(
        (status = 200, body = OrganisationsDoc),
        (status = 400, body = ErrorBody, description = "q is missing, empty or longer than 100 characters"),
    ))]
async fn organisations(
    State(state): State<AppState>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let q = params.get("q").map(|q| q.trim()).unwrap_or_default();
    if q.is_empty() || q.chars().count() > 100 {
        return Err(ApiError::bad_parameter(
            "q",
            "give q: a name, part of one, or an ODS code (100 characters at most)".into(),
        ));
    }
    let found = app::organisations::search(&state.pool, q, 20).await?;
    Ok(Json(OrganisationsDoc {
        organisations: found
            .into_iter()
            .map(|f| OrganisationDoc {
                code: f.code,
                name: f.name,
                kind: f.kind,
                place: f.place,
                postcode: f.postcode,
                closed: f.closed,
            })
            .collect(),
    })
    .into_response())
}

/// The active framework: themes, criteria, weights, milestones and benefits.
#[utoipa::path(get, path = "/api/v1/frameworks/active",
    responses((status = 200, description = "The framework as JSON", body = Object)))]
async fn active_framework(State(state): State<AppState>) -> Result<Response, ApiError> {
    let fw = service::active_framework(&state.pool).await?;
    let mut v = serde_json::to_value(&fw.framework).expect("a framework serialises");
    if let serde_json::Value::Object(m) = &mut v {
        m.insert("version".into(), fw.version.into());
    }
    Ok(Json(v).into_response())
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Exemplar API",
        description = "Published figures of the search for an NHS exemplar of interoperability. Read-only; only published quarters are shown, with their stored figures."
    ),
    paths(
        scores,
        economies,
        economy,
        active_framework,
        benefits,
        organisations,
        openapi,
        healthz_doc,
        readyz_doc
    ),
    components(schemas(
        ErrorBody,
        ErrorDetail,
        ScoresDoc,
        ScoreRecordDoc,
        RevisedDoc,
        EconomiesDoc,
        EconomyDoc,
        EconomyScoresDoc,
        BenefitsDoc,
        BenefitDoc,
        BenefitEconomyDoc,
        OrganisationsDoc,
        OrganisationDoc
    ))
)]
pub struct ApiDoc;

/// This description.
#[utoipa::path(get, path = "/api/v1/openapi.json", responses((status = 200, description = "The OpenAPI 3 description", body = Object)))]
async fn openapi() -> impl IntoResponse {
    Json(ApiDoc::openapi())
}

/// Alive.
#[utoipa::path(get, path = "/healthz", responses((status = 200, description = "The service is alive")))]
#[allow(dead_code)]
pub(crate) fn healthz_doc() {}

/// Ready: the database is reachable.
#[utoipa::path(get, path = "/readyz", responses((status = 200, description = "Ready"), (status = 503, description = "The database is unreachable")))]
#[allow(dead_code)]
pub(crate) fn readyz_doc() {}
