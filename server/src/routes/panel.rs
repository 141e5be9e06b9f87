//! The selection panel's posts (spec/panel.md section 7): a member's declaration and
//! conflicts, the score sheet, moderation; an admin's round, site visits and the results as
//! CSV.
//! `access::RULES` admits board staff to `/assess/*` and admins to `/admin/*`; the rules of
//! who may do what with a round are checked again in `app::panel`.

use crate::kit::{first, keep, read_pairs, redirect, shown_again};
use crate::session::FLASH;
use app::domain::account::CurrentUser;
use app::error::Rejection;
use app::state::AppState;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, Request, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use tower_sessions::Session;

/// Every form post here (the access matrix test reads it).
pub const POSTS: &[&str] = &[
    "/assess/panel",
    "/assess/panel/{slug}",
    "/admin/panel",
    "/admin/panel/{slug}",
];

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/assess/panel", post(member))
        .route("/assess/panel/{slug}", post(sheet))
        .route("/admin/panel", post(admin))
        .route("/admin/panel.csv", get(results_csv))
        .route("/admin/panel/{slug}", post(visit))
}

/// Where a post ends: a notice and back to `back`, the form again with its problems, what
/// could not be done as a notice, or the error page.
async fn outcome(
    state: &AppState,
    session: &Session,
    parts: axum::http::request::Parts,
    back: &str,
    anchor: &str,
    result: Result<String, Rejection>,
    values: std::collections::HashMap<String, String>,
) -> Response {
    match result {
        Ok(message) => {
            let _ = session.insert(FLASH, message).await;
            redirect(&format!("{back}{anchor}"))
        }
        Err(Rejection::Invalid(errors)) => shown_again(state, parts, back, errors, values).await,
        // Not allowed now (the round closed meanwhile, a sheet already submitted): said on
        // the page it came from.
        Err(Rejection::Refused(m)) => {
            let _ = session.insert(FLASH, format!("Not done: {m}.")).await;
            redirect(back)
        }
        Err(Rejection::Db(e)) => {
            tracing::error!(error = %e, "panel post failed");
            crate::kit::error_response()
        }
    }
}

async fn member(
    State(state): State<AppState>,
    session: Session,
    Extension(user): Extension<CurrentUser>,
    req: Request<Body>,
) -> Response {
    let (parts, body) = req.into_parts();
    let pairs = match read_pairs(body).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let pool = &state.pool;
    let values = keep(&pairs.iter().cloned().collect());
    let (result, anchor) = match first(&pairs, "action").as_str() {
        "confirm" if first(&pairs, "declared") == "yes" => {
            (app::panel::confirm_declaration(pool, &user).await, "")
        }
        "confirm" => (
            Err(Rejection::Invalid(vec![(
                "declaration".into(),
                "Tick the box to confirm you have declared every conflict".into(),
            )])),
            "",
        ),
        "declare" => (
            app::panel::declare(
                pool,
                &user,
                &first(&pairs, "economy"),
                &first(&pairs, "reason"),
            )
            .await,
            "#conflicts",
        ),
        "withdraw" => {
            let id = first(&pairs, "id").parse().unwrap_or(-1);
            (
                app::panel::withdraw(pool, &user, id, &first(&pairs, "reason")).await,
                "#conflicts",
            )
        }
        _ => return crate::kit::status(StatusCode::BAD_REQUEST),
    };
    outcome(
        &state,
        &session,
        parts,
        "/assess/panel",
        anchor,
        result,
        values,
    )
    .await
}

async fn sheet(
    State(state): State<AppState>,
    session: Session,
    Extension(user): Extension<CurrentUser>,
    Path(slug): Path<String>,
    req: Request<Body>,
) -> Response {
    let (parts, body) = req.into_parts();
    let pairs = match read_pairs(body).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let pool = &state.pool;
    let back = format!("/assess/panel/{slug}");
    let values = keep(&pairs.iter().cloned().collect());
    let result = match first(&pairs, "action").as_str() {
        action @ ("save" | "submit") => {
            let scores = pairs
                .iter()
                .filter_map(|(k, v)| {
                    k.strip_prefix("score-")
                        .map(|code| (code.to_string(), v.clone()))
                })
                .map(|(code, score)| {
                    let comment = first(&pairs, &format!("comment-{code}"));
                    (code, score, comment)
                })
                .chain(
                    // A question answered with a comment only still keeps its comment.
                    pairs
                        .iter()
                        .filter_map(|(k, _)| k.strip_prefix("comment-"))
                        .filter(|code| !pairs.iter().any(|(k, _)| k == &format!("score-{code}")))
                        .map(|code| {
                            (
                                code.to_string(),
                                String::new(),
                                first(&pairs, &format!("comment-{code}")),
                            )
                        })
                        .collect::<Vec<_>>(),
                )
                .collect();
            let form = app::panel::SheetForm {
                scores,
                submit: action == "submit",
            };
            app::panel::save_sheet(pool, &user, &slug, &form).await
        }
        action @ ("change" | "justify") => {
            let score = first(&pairs, "score");
            app::panel::moderate(
                pool,
                &user,
                &slug,
                &first(&pairs, "question"),
                (action == "change").then_some(score.as_str()),
                &first(&pairs, "reason"),
            )
            .await
        }
        _ => return crate::kit::status(StatusCode::BAD_REQUEST),
    };
    outcome(&state, &session, parts, &back, "", result, values).await
}

async fn admin(
    State(state): State<AppState>,
    session: Session,
    Extension(user): Extension<CurrentUser>,
    req: Request<Body>,
) -> Response {
    let (parts, body) = req.into_parts();
    let pairs = match read_pairs(body).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let pool = &state.pool;
    let values = keep(&pairs.iter().cloned().collect());
    let (result, anchor) = match first(&pairs, "action").as_str() {
        "open" => {
            let members: Vec<String> = pairs
                .iter()
                .filter(|(k, _)| k == "member")
                .map(|(_, v)| v.clone())
                .collect();
            (app::panel::open_round(pool, &user, &members).await, "")
        }
        "close" => (app::panel::close_round(pool, &user).await, ""),
        "withdraw" => {
            let id = first(&pairs, "id").parse().unwrap_or(-1);
            (
                app::panel::withdraw(pool, &user, id, &first(&pairs, "reason")).await,
                "#conflicts",
            )
        }
        _ => return crate::kit::status(StatusCode::BAD_REQUEST),
    };
    outcome(
        &state,
        &session,
        parts,
        "/admin/panel",
        anchor,
        result,
        values,
    )
    .await
}

/// A candidate's site visit: scheduled or moved, then its findings recorded.
async fn visit(
    State(state): State<AppState>,
    session: Session,
    Extension(user): Extension<CurrentUser>,
    Path(slug): Path<String>,
    req: Request<Body>,
) -> Response {
    use app::panel::visits;
    let (parts, body) = req.into_parts();
    let pairs = match read_pairs(body).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let pool = &state.pool;
    let today = state.today();
    let back = format!("/admin/panel/{slug}");
    let mut values = keep(&pairs.iter().cloned().collect());
    let members: Vec<String> = pairs
        .iter()
        .filter(|(k, _)| k == "member")
        .map(|(_, v)| v.clone())
        .collect();
    // The ticked boxes, shown again with the form's problems.
    values.insert("visit-members".into(), members.join(","));
    let result = match first(&pairs, "action").as_str() {
        "schedule" => {
            let form = visits::VisitForm {
                day: first(&pairs, "visit-day"),
                month: first(&pairs, "visit-month"),
                year: first(&pairs, "visit-year"),
                members,
                scope: first(&pairs, "scope"),
            };
            visits::schedule(pool, &user, &slug, &form, today).await
        }
        "findings" => {
            let form = visits::FindingsForm {
                findings: pairs
                    .iter()
                    .filter_map(|(k, v)| {
                        k.strip_prefix("finding-")
                            .map(|code| (code.to_string(), v.clone()))
                    })
                    .collect(),
                documents: first(&pairs, "documents"),
            };
            visits::record_findings(pool, &user, &slug, &form, today).await
        }
        _ => return crate::kit::status(StatusCode::BAD_REQUEST),
    };
    outcome(&state, &session, parts, &back, "", result, values).await
}

async fn results_csv(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
) -> Response {
    match app::panel::results_csv_for(&state.pool, &user).await {
        Ok(csv) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"exemplar-panel-results.csv\"",
                ),
                (header::CACHE_CONTROL, "no-store"),
            ],
            csv,
        )
            .into_response(),
        Err(app::service::ServiceError::Db(e)) => {
            tracing::error!(error = %e, "panel results failed");
            crate::kit::error_response()
        }
        Err(_) => crate::kit::status(StatusCode::NOT_FOUND),
    }
}
