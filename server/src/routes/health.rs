//! Health checks for load balancers and orchestrators: `/healthz` (the process answers) and
//! `/readyz` (and its database does); `/metrics` for a Prometheus scraper on an allowed
//! address.

use app::state::AppState;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
}

/// The metrics, to an allowed address only (the client's, as the sign-in limits take it:
/// behind a trusted proxy the address it forwarded, so the proxy itself opens nothing).
async fn metrics(State(state): State<AppState>, req: axum::extract::Request) -> Response {
    let (parts, _) = req.into_parts();
    let address = crate::kit::address(&state, &parts);
    if !crate::metrics::allowed(crate::metrics::allow_list(), &address) {
        return (
            StatusCode::FORBIDDEN,
            "The metrics are not open to this address (--metrics-allow).\n",
        )
            .into_response();
    }
    match crate::metrics::render(&state).await {
        Ok(text) => (
            [(
                header::CONTENT_TYPE,
                "application/openmetrics-text; version=1.0.0; charset=utf-8",
            )],
            text,
        )
            .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "metrics could not be read");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                "The metrics could not be read.\n",
            )
                .into_response()
        }
    }
}

async fn healthz() -> impl IntoResponse {
    axum::Json(serde_json::json!({"status": "ok"}))
}

async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    if app::service::database_ready(&state.pool).await {
        (
            StatusCode::OK,
            axum::Json(serde_json::json!({"status": "ready"})),
        )
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            axum::Json(serde_json::json!({"status": "database unreachable"})),
        )
    }
}
