//! Nominations: an economy nominates itself (anyone may post, limited per address), and an
//! admin accepts or declines it.

use crate::kit::{again, form_limit, keep, read_form, redirect};
use crate::session::FLASH;
use app::domain::account::CurrentUser;
use app::state::AppState;
use app::ui::session::FormState;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{Request, StatusCode};
use axum::response::Response;
use axum::routing::post;
use axum::{Extension, Router};
use tower_sessions::Session;

/// Every form post here (the access matrix test reads it).
pub const POSTS: &[&str] = &["/nominate", "/admin/nominations/{slug}"];

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/nominate", post(nominate))
        .route("/admin/nominations/{slug}", post(decide_nomination))
}

async fn nominate(State(state): State<AppState>, req: Request<Body>) -> Response {
    use app::error::Rejection;
    let (parts, body) = req.into_parts();
    let fields = match read_form(body).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let parts = match form_limit(&state, parts, &fields, "nominate", "name").await {
        Ok(p) => p,
        Err(res) => return res,
    };
    match app::nominations::submit(&state.pool, &fields, state.today()).await {
        // The same answer whether or not the lead contact's email already has an account.
        Ok(_) => {
            let name = fields.get("name").cloned().unwrap_or_default();
            let email = fields.get("lead_email").cloned().unwrap_or_default();
            again(
                &state,
                parts,
                FormState::notice(format!(
                    "Thank you for nominating {}. We have sent a message to {} saying what happens next.",
                    name.trim(),
                    email.trim()
                )),
            )
            .await
        }
        Err(Rejection::Invalid(errors)) => {
            let form = FormState {
                errors,
                values: keep(&fields),
                ..FormState::default()
            };
            again(&state, parts, form).await
        }
        Err(Rejection::Refused(m)) => {
            let mut res = again(&state, parts, FormState::error("name", m)).await;
            *res.status_mut() = StatusCode::FORBIDDEN;
            res
        }
        Err(Rejection::Db(e)) => {
            tracing::error!(error = %e, "nomination failed");
            crate::kit::error_response()
        }
    }
}

async fn decide_nomination(
    State(state): State<AppState>,
    session: Session,
    Extension(admin): Extension<CurrentUser>,
    Path(slug): Path<String>,
    req: Request<Body>,
) -> Response {
    use app::error::Rejection;
    let (mut parts, body) = req.into_parts();
    let fields = match read_form(body).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let accept = match fields.get("decision").map(String::as_str) {
        Some("accept") => true,
        Some("decline") => false,
        _ => return crate::kit::status(StatusCode::BAD_REQUEST),
    };
    let reason = fields.get("reason").cloned().unwrap_or_default();
    match app::nominations::decide(&state.pool, &admin, &slug, accept, &reason, &state.mailer).await
    {
        Ok(done) => {
            let _ = session.insert(FLASH, format!("Done: {done}.")).await;
            redirect("/admin/nominations")
        }
        Err(Rejection::Invalid(errors)) => {
            parts.uri = "/admin/nominations".parse().expect("a path");
            again(
                &state,
                parts,
                FormState {
                    errors,
                    ..FormState::default()
                },
            )
            .await
        }
        Err(Rejection::Refused(m)) => {
            let _ = session.insert(FLASH, format!("Not done: {m}.")).await;
            redirect("/admin/nominations")
        }
        Err(Rejection::Db(e)) => {
            tracing::error!(error = %e, "nomination decision failed");
            crate::kit::error_response()
        }
    }
}
