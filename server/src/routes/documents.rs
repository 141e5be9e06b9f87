//! Evidence documents: an economy's own, and any economy's or trust's for board staff; and
//! documents attached to questions, for whoever may read the question. Always sent as
//! attachments, never shown inline.

use crate::kit::{own_economy, status};
use app::domain::account::CurrentUser;
use app::domain::Slug;
use app::state::AppState;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Router};

/// Downloads here (the access matrix test reads them).
pub const DOWNLOADS: &[&str] = &[
    "/my-economy/evidence/{period}/{code}",
    "/assess/economies/{slug}/evidence/{period}/{code}",
    "/my-economy/trusts/{code}/evidence",
    "/assess/trusts/{code}/evidence",
    "/my-economy/questions/{id}/documents/{post}",
    "/assess/questions/{id}/documents/{post}",
];

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/my-economy/evidence/{period}/{code}", get(own_evidence))
        .route(
            "/assess/economies/{slug}/evidence/{period}/{code}",
            get(staff_evidence),
        )
        .route(
            "/my-economy/trusts/{code}/evidence",
            get(own_trust_evidence),
        )
        .route("/assess/trusts/{code}/evidence", get(staff_trust_evidence))
        .route(
            "/my-economy/questions/{id}/documents/{post}",
            get(question_document),
        )
        .route(
            "/assess/questions/{id}/documents/{post}",
            get(question_document),
        )
}

/// A document attached to a question: `app::questions` checks the question is the user's to
/// read (a submitter's own economy's; board staff any).
async fn question_document(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path((id, post)): Path<(String, String)>,
) -> Response {
    let (Ok(id), Ok(post)) = (id.parse::<i64>(), post.parse::<i64>()) else {
        return status(StatusCode::NOT_FOUND);
    };
    attachment(app::questions::document(&state.pool, &user, id, post).await)
}

/// The submitter's own economy's document.
async fn own_evidence(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path((period, code)): Path<(String, String)>,
) -> Response {
    let Some(slug) = own_economy(&user) else {
        return status(StatusCode::FORBIDDEN);
    };
    evidence(&state, &slug, &period, &code).await
}

/// Board staff (the access rules let only assessors and admins here).
async fn staff_evidence(
    State(state): State<AppState>,
    Path((slug, period, code)): Path<(String, String, String)>,
) -> Response {
    match crate::reply::path_slug(&slug) {
        Ok(slug) => evidence(&state, &slug, &period, &code).await,
        Err(reply) => reply.into_response(),
    }
}

async fn evidence(state: &AppState, slug: &Slug, period: &str, code: &str) -> Response {
    attachment(app::submissions::evidence_document(&state.pool, slug, period, code).await)
}

/// The document behind one of the submitter's own trusts' EPR status.
async fn own_trust_evidence(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(code): Path<String>,
) -> Response {
    let Some(slug) = own_economy(&user) else {
        return status(StatusCode::FORBIDDEN);
    };
    attachment(app::trusts::document(&state.pool, &code, Some(&slug)).await)
}

/// The document behind any trust's EPR status (board staff only, by the access rules).
async fn staff_trust_evidence(State(state): State<AppState>, Path(code): Path<String>) -> Response {
    attachment(app::trusts::document(&state.pool, &code, None).await)
}

/// A document, always as an attachment (never shown inline, so never run as a page).
fn attachment(found: sqlx::Result<Option<(String, String, Vec<u8>)>>) -> Response {
    match found {
        Ok(Some((name, content_type, bytes))) => {
            let ascii: String = name
                .chars()
                .map(|c| {
                    if c.is_ascii_graphic() || c == ' ' {
                        c
                    } else {
                        '_'
                    }
                })
                .filter(|c| *c != '"' && *c != '\\')
                .collect();
            let encoded: String = name
                .bytes()
                .map(|b| match b {
                    b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                        (b as char).to_string()
                    }
                    _ => format!("%{b:02X}"),
                })
                .collect();
            let disposition =
                format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}");
            let mut res = bytes.into_response();
            let h = res.headers_mut();
            h.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_str(&content_type)
                    .unwrap_or(HeaderValue::from_static("application/octet-stream")),
            );
            if let Ok(v) = HeaderValue::from_str(&disposition) {
                h.insert(header::CONTENT_DISPOSITION, v);
            }
            res
        }
        Ok(None) => status(StatusCode::NOT_FOUND),
        Err(e) => {
            tracing::error!(error = %e, "evidence download failed");
            crate::kit::error_response()
        }
    }
}
