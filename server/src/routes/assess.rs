//! Board staff's posts: reviewing values (verify, several at once, or return with a reason),
//! notes on an economy, shortlist proposals and decisions, making a decision public.
//! `access::RULES` admits only board staff; admins' own actions are checked again in
//! `app::assessment`.

use crate::kit::{first, read_any_form, trust_form_again, trust_upload, Fields, Pairs};
use crate::reply::{notice_back, OrBack, Reply};
use app::assessment;
use app::domain::account::CurrentUser;
use app::domain::assessment::Review;
use app::domain::types::count;
use app::error::Rejection;
use app::state::AppState;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{Request, StatusCode};
use axum::response::Response;
use axum::routing::post;
use axum::{Extension, Router};

/// Every form post here (the access matrix test reads it).
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
            crate::kit::csv_for_spreadsheets(app::assessment::compare_csv(&view)),
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
    Extension(user): Extension<CurrentUser>,
    form: Pairs,
) -> Result<Reply, Reply> {
    let back = back_to(&form.0, "/assess");
    let review = match form.first("action").as_str() {
        "verify" => Review::Verify,
        "return" => Review::Return,
        "undo" => {
            let undone = app::review::undo(&state.pool, &user)
                .await
                .or_back(&back, Fields::new())?;
            let mut m = if undone.named.is_empty() {
                "Nothing was undone.".to_string()
            } else {
                format!(
                    "Undone: {} {} waiting for review again: {}.",
                    count(undone.named.len(), "value", "values"),
                    if undone.named.len() == 1 { "is" } else { "are" },
                    undone.named.join("; ")
                )
            };
            if undone.left > 0 {
                m.push_str(&format!(
                    " {} left as reviewed: more than a minute had passed, or the value has changed since.",
                    if undone.left == 1 {
                        "1 review was".to_string()
                    } else {
                        format!("{} were", count(undone.left, "review", "reviews"))
                    }
                ));
            }
            return Ok(Reply::back(&back, m));
        }
        _ => return Err(Reply::status(StatusCode::BAD_REQUEST)),
    };
    // A reason given in one row's box is that row's problem.
    let field = form.first("field");
    let done = app::review::review(
        &state.pool,
        &user,
        &form.all("key"),
        review,
        &form.first("reason"),
    )
    .await
    .map_err(|r| match r {
        Rejection::Invalid(errors) => Rejection::Invalid(
            errors
                .into_iter()
                .map(|(f, m)| {
                    if f == "reason" && field.starts_with("reason-") {
                        (field.clone(), m)
                    } else {
                        (f, m)
                    }
                })
                .collect(),
        ),
        other => other,
    })
    .or_back(&back, Fields::new())?;
    let named = if done.named.is_empty() {
        String::new()
    } else {
        format!(" {}.", done.named.join("; "))
    };
    let mut m = if review == Review::Verify {
        format!("Verified {}.{named}", count(done.done, "value", "values"))
    } else {
        format!(
            "Returned {} to the economy, with your reason.{named}",
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
    Ok(Reply::back(&back, m))
}

async fn note(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(slug): Path<String>,
    form: Pairs,
) -> Result<Reply, Reply> {
    let slug = crate::reply::path_slug(&slug)?;
    let back = format!("/assess/economies/{slug}");
    match form.first("action").as_str() {
        "assign" | "unassign" => {
            let me = (form.first("action") == "assign").then_some(user.email.as_str());
            let done = app::review::assign(&state.pool, &user, &slug, me)
                .await
                .or_back(&back, Fields::new())?;
            return Ok(Reply::back(&back, done));
        }
        _ => {}
    }
    let text = form.first("note");
    let values = [("note".to_string(), text.clone())].into_iter().collect();
    match assessment::add_note(&state.pool, &user, &slug, &text).await {
        // Someone else's economy or none: not found, as for the page.
        Err(Rejection::Refused(_)) => Err(Reply::status(StatusCode::NOT_FOUND)),
        other => {
            other.or_back(&back, values)?;
            Ok(Reply::back(&format!("{back}#notes"), "Your note is added."))
        }
    }
}

async fn shortlist(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    form: Pairs,
) -> Result<Reply, Reply> {
    let back = "/assess/shortlist";
    let result = match form.first("action").as_str() {
        "publish" => match form.first("id").parse::<i64>() {
            Ok(id) => assessment::publish_decision(&state.pool, &user, id)
                .await
                .map(|()| "The decision is public on the economy's page.".to_string()),
            Err(_) => return Err(Reply::status(StatusCode::BAD_REQUEST)),
        },
        "decide" => {
            let as_of = form.first("as_of").parse().ok();
            assessment::decide(
                &state.pool,
                &user,
                &form.first("economy"),
                &form.first("outcome"),
                &form.first("rationale"),
                as_of,
            )
            .await
            .map(|done| format!("Recorded. {done}."))
        }
        _ => return Err(Reply::status(StatusCode::BAD_REQUEST)),
    };
    let values = form
        .0
        .iter()
        .filter(|(k, _)| ["economy", "outcome", "rationale"].contains(&k.as_str()))
        .cloned()
        .collect();
    notice_back(result, back, "", values)
}

/// A trust's entry, kept by board staff: its EPR status with evidence (a plain form, or a
/// file upload with a document), a remediation plan, or making a plan public.
async fn trust(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(code): Path<String>,
    req: Request<Body>,
) -> Result<Reply, Reply> {
    use app::submissions::SubmitError;
    let (parts, body) = req.into_parts();
    let mut posted = read_any_form(&parts, body).await?;
    let fields = posted.fields.clone();
    let get = |k: &str| fields.get(k).cloned().unwrap_or_default();
    let back = format!("/assess/trusts/{code}");
    let bad_request = || Reply::status(StatusCode::BAD_REQUEST);
    let notice = match get("action").as_str() {
        "epr" => {
            let upload = trust_upload(&mut posted, &code);
            let done = app::trusts::set_epr(
                &state.pool,
                app::trusts::Editor::Board,
                &user.email,
                &code,
                &fields,
                upload,
                state.today(),
            )
            .await
            .map_err(|e| match e {
                SubmitError::Invalid { errors, kept } => {
                    Reply::again(trust_form_again(&fields, errors, kept))
                }
                SubmitError::Refused(_) => Reply::status(StatusCode::NOT_FOUND),
                SubmitError::Conflict { errors, kept, .. } => {
                    Reply::again(trust_form_again(&fields, errors, kept))
                        .with_status(StatusCode::CONFLICT)
                }
                SubmitError::Db(e) => Reply::internal(e),
            })?;
            format!("Done: {done}.")
        }
        "plan" => {
            let values = [
                "agreed_date-day",
                "agreed_date-month",
                "agreed_date-year",
                "agreed",
                "consequence",
            ]
            .into_iter()
            .map(|k| (k.to_string(), get(k)))
            .collect();
            app::trusts::record_plan_form(&state.pool, &user, &code, &fields, state.today())
                .await
                .or_back(&back, values)?;
            "The remediation plan is recorded. It is internal until you make it public.".to_string()
        }
        "publish" => {
            let id = get("id").parse::<i64>().map_err(|_| bad_request())?;
            match app::trusts::publish_plan(&state.pool, &user, id).await {
                Err(Rejection::Invalid(_)) => return Err(bad_request()),
                other => other.or_back(&back, Fields::new())?,
            };
            "The remediation plan is public on the trust register.".to_string()
        }
        _ => return Err(bad_request()),
    };
    Ok(Reply::back(&back, notice))
}
