//! Nominations: an economy nominates itself (anyone may post, limited per address), and an
//! admin accepts or declines it.

use crate::kit::{form_limit, keep, read_form, Fields, FormFields};
use crate::reply::{OrBack, Reply};
use app::domain::account::CurrentUser;
use app::error::Rejection;
use app::state::AppState;
use app::ui::session::FormState;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{Request, StatusCode};
use axum::routing::post;
use axum::{Extension, Router};

/// The form value that shows the answers to check instead of the form.
const CHECK: &str = app::ui::pages::NOMINATION_CHECK;

/// Every form post here (the access matrix test reads it).
pub const POSTS: &[&str] = &["/nominate", "/admin/nominations/{slug}"];

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/nominate", post(nominate))
        .route("/admin/nominations/{slug}", post(decide_nomination))
}

async fn nominate(State(state): State<AppState>, req: Request<Body>) -> Result<Reply, Reply> {
    let (parts, body) = req.into_parts();
    let fields = read_form(body).await?;
    // Check your answers first (nothing is kept or sent), or back to the form to change them.
    match fields.get("action").map(String::as_str) {
        Some("check") => {
            let mut values = keep(&fields);
            values.remove("action");
            // The search was a step towards the answers: its results are not shown again.
            values.remove("org_search");
            return match app::nominations::check(&state.pool, &fields, state.today()).await {
                Err(Rejection::Invalid(errors)) => Err(Reply::again(FormState {
                    errors,
                    values,
                    ..FormState::default()
                })),
                Err(Rejection::Db(e)) => Err(Reply::internal(e)),
                Err(Rejection::Refused(m)) => {
                    Err(Reply::again(FormState::error("name", m))
                        .with_status(StatusCode::FORBIDDEN))
                }
                Ok(_) => {
                    values.insert(CHECK.into(), "yes".into());
                    Ok(Reply::again(FormState {
                        values,
                        ..FormState::default()
                    })
                    .with_status(StatusCode::OK))
                }
            };
        }
        // Without JavaScript: search the register (the answers kept), or put a found
        // organisation's code in the first empty row.
        Some("search") => {
            let mut values = keep(&fields);
            values.remove("action");
            return Ok(Reply::again(FormState {
                values,
                ..FormState::default()
            })
            .with_status(StatusCode::OK));
        }
        Some(add) if add.starts_with("add:") => {
            let mut values = keep(&fields);
            values.remove("action");
            let code = add.trim_start_matches("add:").trim().to_uppercase();
            let rows = app::domain::nomination::ORGANISATION_ROWS;
            let taken = (1..=rows).any(|i| {
                values
                    .get(&format!("org-{i}-code"))
                    .is_some_and(|c| c.trim().eq_ignore_ascii_case(&code))
            });
            let empty = (1..=rows).find(|i| {
                values
                    .get(&format!("org-{i}-code"))
                    .is_none_or(|c| c.trim().is_empty())
                    && values
                        .get(&format!("org-{i}-name"))
                        .is_none_or(|n| n.trim().is_empty())
            });
            let errors = match (taken, empty) {
                (true, _) => vec![(
                    "org_search".to_string(),
                    format!("{code} is already one of your organisations"),
                )],
                (false, None) => vec![(
                    "org_search".to_string(),
                    format!("There is no empty row for {code}: you can add more organisations once your nomination is accepted"),
                )],
                (false, Some(i)) => {
                    values.insert(format!("org-{i}-code"), code.clone());
                    values.insert("org_added".into(), format!("{i}"));
                    Vec::new()
                }
            };
            return Ok(Reply::again(FormState {
                errors,
                values,
                ..FormState::default()
            })
            .with_status(StatusCode::OK));
        }
        Some("change") => {
            let mut values = keep(&fields);
            values.remove("action");
            return Ok(Reply::again(FormState {
                values,
                ..FormState::default()
            })
            .with_status(StatusCode::OK));
        }
        _ => {}
    }
    form_limit(&state, parts, &fields, "nominate", "name").await?;
    app::nominations::submit(&state.pool, &fields, state.today())
        .await
        .map_err(|r| match r {
            Rejection::Invalid(errors) => Reply::again(FormState {
                errors,
                values: keep(&fields),
                ..FormState::default()
            }),
            Rejection::Refused(m) => {
                Reply::again(FormState::error("name", m)).with_status(StatusCode::FORBIDDEN)
            }
            Rejection::Db(e) => Reply::internal(e),
        })?;
    // The same answer whether or not the lead contact's email already has an account.
    let name = fields.get("name").cloned().unwrap_or_default();
    let email = fields.get("lead_email").cloned().unwrap_or_default();
    Ok(Reply::again(FormState::notice(format!(
        "Thank you for nominating {}. We have sent a message to {} saying what happens next.",
        name.trim(),
        email.trim()
    ))))
}

async fn decide_nomination(
    State(state): State<AppState>,
    Extension(admin): Extension<CurrentUser>,
    Path(slug): Path<String>,
    FormFields(fields): FormFields,
) -> Result<Reply, Reply> {
    let slug = crate::reply::path_slug(&slug)?;
    let back = "/admin/nominations";
    let accept = match fields.get("decision").map(String::as_str) {
        Some("accept") => true,
        Some("decline") => false,
        _ => return Err(Reply::status(StatusCode::BAD_REQUEST)),
    };
    let reason = fields.get("reason").cloned().unwrap_or_default();
    let done = app::nominations::decide(&state.pool, &admin, &slug, accept, &reason)
        .await
        .or_back(back, Fields::new())?;
    Ok(Reply::back(back, format!("Done: {done}.")))
}
