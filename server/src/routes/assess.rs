//! Board staff's posts: reviewing values (verify, several at once, or return with a reason),
//! notes on an economy, shortlist proposals and decisions, making a decision public.
//! `access::RULES` admits only board staff; admins' own actions are checked again in
//! `app::assessment`.

use crate::kit::{
    again, first, read_any_form, read_pairs, redirect, shown_again, trust_form_again, trust_upload,
};
use crate::session::FLASH;
use app::assessment;
use app::domain::account::CurrentUser;
use app::domain::types::count;
use app::error::Rejection;
use app::state::AppState;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{Request, StatusCode};
use axum::response::Response;
use axum::routing::post;
use axum::{Extension, Router};
use tower_sessions::Session;

/// Every form post here (the access matrix test reads it with `forms::POSTS`).
pub const POSTS: &[&str] = &[
    "/assess",
    "/assess/economies/{slug}",
    "/assess/shortlist",
    "/assess/trusts/{code}",
];

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/assess", post(review))
        .route("/assess/economies/{slug}", post(note))
        .route("/assess/shortlist", post(shortlist))
        .route("/assess/trusts/{code}", post(trust))
        .route("/assess/compare.csv", axum::routing::get(compare_csv))
}

/// The comparison of `/assess/compare` (same query) as CSV.
async fn compare_csv(
    State(state): State<AppState>,
    axum::extract::RawQuery(raw): axum::extract::RawQuery,
) -> Response {
    use axum::response::IntoResponse;
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(raw.as_deref().unwrap_or("")).unwrap_or_default();
    let query = app::ui::pages::compare_query(&pairs);
    match app::assessment::compare(&state.pool, &query, state.today()).await {
        Ok(view) => (
            [
                (axum::http::header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (
                    axum::http::header::CONTENT_DISPOSITION,
                    "attachment; filename=\"exemplar-comparison.csv\"",
                ),
            ],
            app::assessment::compare_csv(&view),
        )
            .into_response(),
        Err(e) => {
            tracing::error!(error = ?e, "comparison export failed");
            crate::kit::error_response()
        }
    }
}

/// Where to go back to: a page of `/assess`, never elsewhere.
fn back_to(pairs: &[(String, String)], default: &str) -> String {
    let back = first(pairs, "back");
    if back.starts_with("/assess") && !back.contains("//") && !back.contains('\\') {
        back
    } else {
        default.to_string()
    }
}

async fn review(
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
    let verify = match first(&pairs, "action").as_str() {
        "verify" => true,
        "return" => false,
        _ => return crate::kit::status(StatusCode::BAD_REQUEST),
    };
    let keys: Vec<String> = pairs
        .iter()
        .filter(|(k, _)| k == "key")
        .map(|(_, v)| v.clone())
        .collect();
    let back = back_to(&pairs, "/assess");
    match assessment::review(&state.pool, &user, &keys, verify, &first(&pairs, "reason")).await {
        Ok(done) => {
            let mut m = if verify {
                format!("Verified {}.", count(done.done, "value", "values"))
            } else {
                format!(
                    "Returned {} to the economy, with your reason.",
                    count(done.done, "value", "values")
                )
            };
            if done.changed > 0 {
                m.push_str(&format!(
                    " {} resubmitted since the page was loaded and left for another look.",
                    if done.changed == 1 {
                        "1 value was".to_string()
                    } else {
                        format!("{} were", count(done.changed, "value", "values"))
                    }
                ));
            }
            if done.already > 0 {
                m.push_str(&format!(
                    " {} reviewed already.",
                    if done.already == 1 {
                        "1 value had been".to_string()
                    } else {
                        format!("{} had been", count(done.already, "value", "values"))
                    }
                ));
            }
            let _ = session.insert(FLASH, m).await;
            redirect(&back)
        }
        Err(Rejection::Invalid(errors)) => {
            let field = first(&pairs, "field");
            let errors = errors
                .into_iter()
                .map(|(f, m)| {
                    if f == "reason" && field.starts_with("reason-") {
                        (field.clone(), m)
                    } else {
                        (f, m)
                    }
                })
                .collect();
            shown_again(&state, parts, &back, errors, Default::default()).await
        }
        Err(Rejection::Refused(m)) => {
            let _ = session.insert(FLASH, format!("Not done: {m}.")).await;
            redirect(&back)
        }
        Err(Rejection::Db(e)) => {
            tracing::error!(error = %e, "review failed");
            crate::kit::error_response()
        }
    }
}

async fn note(
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
    let back = format!("/assess/economies/{slug}");
    let text = first(&pairs, "note");
    match assessment::add_note(&state.pool, &user, &slug, &text).await {
        Ok(()) => {
            let _ = session
                .insert(FLASH, "Your note is added.".to_string())
                .await;
            redirect(&format!("{back}#notes"))
        }
        Err(Rejection::Invalid(errors)) => {
            let values = [("note".to_string(), text)].into_iter().collect();
            shown_again(&state, parts, &back, errors, values).await
        }
        Err(Rejection::Refused(_)) => crate::kit::status(StatusCode::NOT_FOUND),
        Err(Rejection::Db(e)) => {
            tracing::error!(error = %e, "note failed");
            crate::kit::error_response()
        }
    }
}

async fn shortlist(
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
    let back = "/assess/shortlist";
    let result = match first(&pairs, "action").as_str() {
        "publish" => match first(&pairs, "id").parse::<i64>() {
            Ok(id) => assessment::publish_decision(&state.pool, &user, id)
                .await
                .map(|()| "The decision is public on the economy's page.".to_string()),
            Err(_) => return crate::kit::status(StatusCode::BAD_REQUEST),
        },
        "decide" => {
            let as_of = first(&pairs, "as_of").parse().ok();
            assessment::decide(
                &state.pool,
                &user,
                &first(&pairs, "economy"),
                &first(&pairs, "outcome"),
                &first(&pairs, "rationale"),
                as_of,
            )
            .await
            .map(|done| format!("Recorded. {done}."))
        }
        _ => return crate::kit::status(StatusCode::BAD_REQUEST),
    };
    match result {
        Ok(m) => {
            let _ = session.insert(FLASH, m).await;
            redirect(back)
        }
        Err(Rejection::Invalid(errors)) => {
            let values = pairs
                .iter()
                .filter(|(k, _)| ["economy", "outcome", "rationale"].contains(&k.as_str()))
                .cloned()
                .collect();
            shown_again(&state, parts, back, errors, values).await
        }
        Err(Rejection::Refused(m)) => {
            let _ = session.insert(FLASH, format!("Not done: {m}.")).await;
            redirect(back)
        }
        Err(Rejection::Db(e)) => {
            tracing::error!(error = %e, "shortlist change failed");
            crate::kit::error_response()
        }
    }
}

/// A trust's entry, kept by board staff: its EPR status with evidence (a plain form, or a
/// file upload with a document), a remediation plan, or making a plan public.
async fn trust(
    State(state): State<AppState>,
    session: Session,
    Extension(user): Extension<CurrentUser>,
    Path(code): Path<String>,
    req: Request<Body>,
) -> Response {
    use app::submissions::SubmitError;
    let (parts, body) = req.into_parts();
    let mut posted = match read_any_form(&parts, body).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let fields = posted.fields.clone();
    let get = |k: &str| fields.get(k).cloned().unwrap_or_default();
    let back = format!("/assess/trusts/{code}");
    let done = |m: String| async {
        let _ = session.insert(FLASH, m).await;
        redirect(&back)
    };
    match get("action").as_str() {
        "epr" => {
            let upload = trust_upload(&mut posted, &code);
            match app::trusts::set_epr(
                &state.pool,
                app::trusts::Editor::Board,
                &user.email,
                &code,
                &fields,
                upload,
                state.today(),
            )
            .await
            {
                Ok(m) => done(format!("Done: {m}.")).await,
                Err(SubmitError::Invalid { errors, kept }) => {
                    let form = trust_form_again(&fields, errors, kept);
                    again(&state, parts, form).await
                }
                Err(SubmitError::Refused(_)) => crate::kit::status(StatusCode::NOT_FOUND),
                Err(SubmitError::Conflict { errors, kept, .. }) => {
                    let form = trust_form_again(&fields, errors, kept);
                    let mut res = again(&state, parts, form).await;
                    *res.status_mut() = StatusCode::CONFLICT;
                    res
                }
                Err(SubmitError::Db(e)) => {
                    tracing::error!(error = %e, "trust change failed");
                    crate::kit::error_response()
                }
            }
        }
        "plan" => {
            match app::trusts::record_plan(
                &state.pool,
                &user,
                &code,
                &get("agreed_date"),
                &get("agreed"),
                &get("consequence"),
                state.today(),
            )
            .await
            {
                Ok(()) => done(
                    "The remediation plan is recorded. It is internal until you make it public."
                        .to_string(),
                )
                .await,
                Err(Rejection::Invalid(errors)) => {
                    let values = ["agreed_date", "agreed", "consequence"]
                        .into_iter()
                        .map(|k| (k.to_string(), get(k)))
                        .collect();
                    shown_again(&state, parts, &back, errors, values).await
                }
                Err(Rejection::Refused(m)) => done(format!("Not done: {m}.")).await,
                Err(Rejection::Db(e)) => {
                    tracing::error!(error = %e, "remediation plan failed");
                    crate::kit::error_response()
                }
            }
        }
        "publish" => match get("id").parse::<i64>() {
            Ok(id) => match app::trusts::publish_plan(&state.pool, &user, id).await {
                Ok(_) => {
                    done("The remediation plan is public on the trust register.".to_string()).await
                }
                Err(Rejection::Refused(m)) => done(format!("Not done: {m}.")).await,
                Err(Rejection::Invalid(_)) => crate::kit::status(StatusCode::BAD_REQUEST),
                Err(Rejection::Db(e)) => {
                    tracing::error!(error = %e, "publishing a plan failed");
                    crate::kit::error_response()
                }
            },
            Err(_) => crate::kit::status(StatusCode::BAD_REQUEST),
        },
        _ => crate::kit::status(StatusCode::BAD_REQUEST),
    }
}
