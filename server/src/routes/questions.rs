//! Questions between the board and an economy: the board asks (from an economy's assessment
//! page), replies and resolves; the economy's submitters answer. `access::RULES` admits board
//! staff under `/assess` and submitters under `/my-economy`; `app::questions` checks that a
//! submitter's question is their own economy's.

use crate::kit::Fields;
use crate::reply::{OrBack, Reply};
use app::domain::account::CurrentUser;
use app::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Extension, Router};

/// Every form post here (the access matrix test reads it).
pub const POSTS: &[&str] = &[
    "/assess/economies/{slug}/questions",
    "/assess/questions/{id}",
    "/my-economy/questions/{id}",
];

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/assess/economies/{slug}/questions", post(ask))
        .route("/assess/questions/{id}", post(board_post))
        .route("/my-economy/questions/{id}", post(economy_post))
}

fn kept(form: &crate::kit::Pairs, names: &[&str]) -> Fields {
    names
        .iter()
        .map(|n| (n.to_string(), form.first(n)))
        .collect()
}

async fn ask(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(slug): Path<String>,
    form: crate::kit::Pairs,
) -> Result<Reply, Reply> {
    let slug = crate::reply::path_slug(&slug)?;
    let back = format!("/assess/economies/{slug}");
    let id = app::questions::ask(
        &state.pool,
        &state.mailer,
        &user,
        &slug,
        &form.first("about"),
        &form.first("question"),
        &form.first("link"),
    )
    .await
    .or_back(&back, kept(&form, &["about", "question", "link"]))?;
    Ok(Reply::back(
        &format!("/assess/questions/{id}"),
        "Your question has been sent to the economy's submitters.",
    ))
}

async fn board_post(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<i64>,
    form: crate::kit::Pairs,
) -> Result<Reply, Reply> {
    let back = format!("/assess/questions/{id}");
    match form.first("action").as_str() {
        "reply" => {
            app::questions::reply(
                &state.pool,
                &state.mailer,
                &user,
                id,
                &form.first("answer"),
                &form.first("link"),
            )
            .await
            .or_back(&back, kept(&form, &["answer", "link"]))?;
            Ok(Reply::back(
                &back,
                "Your reply has been sent to the economy.",
            ))
        }
        "resolve" => {
            app::questions::resolve(&state.pool, &user, id)
                .await
                .or_back(&back, Fields::new())?;
            Ok(Reply::back(
                &back,
                "The question is resolved. The economy has been told.",
            ))
        }
        _ => Err(Reply::status(StatusCode::BAD_REQUEST)),
    }
}

async fn economy_post(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<i64>,
    form: crate::kit::Pairs,
) -> Result<Reply, Reply> {
    let back = format!("/my-economy/questions/{id}");
    if form.first("action") != "reply" {
        return Err(Reply::status(StatusCode::BAD_REQUEST));
    }
    match app::questions::reply(
        &state.pool,
        &state.mailer,
        &user,
        id,
        &form.first("answer"),
        &form.first("link"),
    )
    .await
    {
        // Another economy's question, or none: not found, as for the page.
        Err(app::error::Rejection::Refused(m)) if m == "there is no such question" => {
            Err(Reply::status(StatusCode::NOT_FOUND))
        }
        other => {
            other.or_back(&back, kept(&form, &["answer", "link"]))?;
            Ok(Reply::back(
                &back,
                "Your answer has been sent to the board.",
            ))
        }
    }
}
