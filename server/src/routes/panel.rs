//! The selection panel's posts (spec/panel.md section 7): a member's declaration and
//! conflicts, the score sheet, moderation; an admin's round, site visits and the results as
//! CSV.
//! `access::RULES` admits board staff to `/assess/*` and admins to `/admin/*`; the rules of
//! who may do what with a round are checked again in `app::panel`.

use crate::kit::Pairs;
use crate::reply::{notice_back, Reply};
use app::domain::account::CurrentUser;
use app::error::Rejection;
use app::state::AppState;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};

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

async fn member(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    form: Pairs,
) -> Result<Reply, Reply> {
    let pool = &state.pool;
    let (result, anchor) = match form.first("action").as_str() {
        "confirm" if form.first("declared") == "yes" => {
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
            app::panel::declare(pool, &user, &form.first("economy"), &form.first("reason")).await,
            "#conflicts",
        ),
        "withdraw" => {
            let id = form.first("id").parse().unwrap_or(-1);
            (
                app::panel::withdraw(pool, &user, id, &form.first("reason")).await,
                "#conflicts",
            )
        }
        _ => return Err(Reply::status(StatusCode::BAD_REQUEST)),
    };
    notice_back(result, "/assess/panel", anchor, form.kept())
}

async fn sheet(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(slug): Path<String>,
    form: Pairs,
) -> Result<Reply, Reply> {
    let slug = crate::reply::path_slug(&slug)?;
    let pool = &state.pool;
    let pairs = &form.0;
    let back = format!("/assess/panel/{slug}");
    let result = match form.first("action").as_str() {
        action @ ("save" | "submit") => {
            let scores = pairs
                .iter()
                .filter_map(|(k, v)| {
                    k.strip_prefix("score-")
                        .map(|code| (code.to_string(), v.clone()))
                })
                .map(|(code, score)| {
                    let comment = form.first(&format!("comment-{code}"));
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
                                form.first(&format!("comment-{code}")),
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
            let score = form.first("score");
            app::panel::moderate(
                pool,
                &user,
                &slug,
                &form.first("question"),
                (action == "change").then_some(score.as_str()),
                &form.first("reason"),
            )
            .await
        }
        _ => return Err(Reply::status(StatusCode::BAD_REQUEST)),
    };
    notice_back(result, &back, "", form.kept())
}

async fn admin(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    form: Pairs,
) -> Result<Reply, Reply> {
    let pool = &state.pool;
    let (result, anchor) = match form.first("action").as_str() {
        "open" => {
            let members = form.all("member");
            (app::panel::open_round(pool, &user, &members).await, "")
        }
        "close" => (app::panel::close_round(pool, &user).await, ""),
        "withdraw" => {
            let id = form.first("id").parse().unwrap_or(-1);
            (
                app::panel::withdraw(pool, &user, id, &form.first("reason")).await,
                "#conflicts",
            )
        }
        _ => return Err(Reply::status(StatusCode::BAD_REQUEST)),
    };
    notice_back(result, "/admin/panel", anchor, form.kept())
}

/// A candidate's site visit: scheduled or moved, then its findings recorded.
async fn visit(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(slug): Path<String>,
    form: Pairs,
) -> Result<Reply, Reply> {
    let slug = crate::reply::path_slug(&slug)?;
    use app::panel::visits;
    let pairs = &form.0;
    let pool = &state.pool;
    let today = state.today();
    let back = format!("/admin/panel/{slug}");
    let mut values = form.kept();
    let members = form.all("member");
    // The ticked boxes, shown again with the form's problems.
    values.insert("visit-members".into(), members.join(","));
    let result = match form.first("action").as_str() {
        "schedule" => {
            let form = visits::VisitForm {
                day: form.first("visit-day"),
                month: form.first("visit-month"),
                year: form.first("visit-year"),
                members,
                scope: form.first("scope"),
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
                documents: form.first("documents"),
            };
            visits::record_findings(pool, &user, &slug, &form, today).await
        }
        _ => return Err(Reply::status(StatusCode::BAD_REQUEST)),
    };
    notice_back(result, &back, "", values)
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
            crate::kit::csv_for_spreadsheets(csv),
        )
            .into_response(),
        Err(app::service::ServiceError::Db(e)) => {
            tracing::error!(error = %e, "panel results failed");
            crate::kit::error_response()
        }
        Err(_) => crate::kit::status(StatusCode::NOT_FOUND),
    }
}
