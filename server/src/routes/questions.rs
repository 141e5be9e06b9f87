//! Questions between the board and an economy: the board asks (from an economy's assessment
//! page), replies and resolves; the economy's submitters answer. Either side may attach a
//! document (a file upload, checked as evidence is) or send the form without one.
//! `access::RULES` admits board staff under `/assess` and submitters under `/my-economy`;
//! `app::questions` checks that a submitter's question is their own economy's.

use crate::kit::{read_any_form, Fields, Posted};
use crate::reply::{OrBack, Reply};
use app::domain::account::CurrentUser;
use app::questions::{Attachment, Post};
use app::state::AppState;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{Request, StatusCode};
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

/// The form's text fields and the document attached as "document", if any.
async fn read(req: Request<Body>) -> Result<(Fields, Option<Attachment>), Reply> {
    let (parts, body) = req.into_parts();
    let Posted { fields, mut files } = read_any_form(&parts, body).await.map_err(Reply::from)?;
    let document = files
        .iter()
        .position(|(name, _, _)| name == "document")
        .map(|at| files.swap_remove(at))
        .map(|(_, name, bytes)| Attachment { name, bytes });
    Ok((fields, document))
}

fn get(fields: &Fields, name: &str) -> String {
    fields.get(name).cloned().unwrap_or_default()
}

fn kept(fields: &Fields, names: &[&str]) -> Fields {
    names
        .iter()
        .map(|n| (n.to_string(), get(fields, n)))
        .collect()
}

async fn ask(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(slug): Path<String>,
    req: Request<Body>,
) -> Result<Reply, Reply> {
    let slug = crate::reply::path_slug(&slug)?;
    let back = format!("/assess/economies/{slug}");
    let (form, document) = read(req).await?;
    let id = app::questions::ask(
        &state.pool,
        &state.mailer,
        &user,
        &slug,
        &get(&form, "about"),
        Post {
            body: &get(&form, "question"),
            link: &get(&form, "link"),
            document: document.as_ref(),
        },
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
    req: Request<Body>,
) -> Result<Reply, Reply> {
    let back = format!("/assess/questions/{id}");
    let (form, document) = read(req).await?;
    match get(&form, "action").as_str() {
        "reply" => {
            app::questions::reply(
                &state.pool,
                &state.mailer,
                &user,
                id,
                Post {
                    body: &get(&form, "answer"),
                    link: &get(&form, "link"),
                    document: document.as_ref(),
                },
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
    req: Request<Body>,
) -> Result<Reply, Reply> {
    let back = format!("/my-economy/questions/{id}");
    let (form, document) = read(req).await?;
    if get(&form, "action") != "reply" {
        return Err(Reply::status(StatusCode::BAD_REQUEST));
    }
    match app::questions::reply(
        &state.pool,
        &state.mailer,
        &user,
        id,
        Post {
            body: &get(&form, "answer"),
            link: &get(&form, "link"),
            document: document.as_ref(),
        },
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
