//! Admins' own posts: accounts (invite, change, end sessions), the audit log as CSV, publishing
//! quarters and loading frameworks. Nominations are decided in `nominations`, the panel in
//! `panel`.

use super::accounts::problem;
use crate::kit::{keep, read_multipart, Fields, FormFields, Pairs};
use crate::reply::Reply;
use app::accounts::{self, AccountError, AdminAction};
use app::domain::account::{CurrentUser, Role};
use app::domain::types::count;
use app::state::AppState;
use app::ui::session::FormState;
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{header, Request, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};

/// Every form post here (the access matrix test reads it).
pub const POSTS: &[&str] = &[
    "/admin/users",
    "/admin/users/{id}",
    "/admin/messages/{id}",
    "/admin/publication",
    "/admin/frameworks",
];

/// Downloads here (the access matrix test reads them).
pub const DOWNLOADS: &[&str] = &["/admin/audit.csv"];

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/users", post(admin_invite))
        .route("/admin/users/{id}", post(admin_user))
        .route("/admin/messages/{id}", post(resend_message))
        .route("/admin/audit.csv", get(audit_csv))
        .route("/admin/publication", post(publication))
        .route("/admin/frameworks", post(frameworks))
}

async fn admin_invite(
    State(state): State<AppState>,
    Extension(admin): Extension<CurrentUser>,
    FormFields(fields): FormFields,
) -> Result<Reply, Reply> {
    let get = |k: &str| fields.get(k).cloned().unwrap_or_default();
    let role = match get("role").as_str() {
        "assessor" => Role::Assessor,
        "admin" => Role::Admin,
        _ => {
            let mut form =
                FormState::error("role", "Select the role of the person you are inviting")
                    .with_values(keep(&fields));
            if let Err(e) = app::domain::account::Email::parse(&get("email")) {
                form.errors.insert(0, ("email".into(), e.to_string()));
            }
            return Err(Reply::again(form));
        }
    };
    accounts::invite(&state.pool, &admin, &get("email"), role)
        .await
        .map_err(|e| problem(&fields, e))?;
    Ok(Reply::again(FormState::notice(format!(
        "{} has been invited as an {role}. We have sent them a link to accept: it works once, for 7 days.",
        get("email").trim()
    ))))
}

async fn admin_user(
    State(state): State<AppState>,
    Extension(admin): Extension<CurrentUser>,
    Path(id): Path<i64>,
    FormFields(fields): FormFields,
) -> Result<Reply, Reply> {
    let back = "/admin/users";
    let Some(action) = fields.get("action").and_then(|a| AdminAction::parse(a)) else {
        return Err(Reply::status(StatusCode::BAD_REQUEST));
    };
    let done = accounts::admin_action(&state.pool, &admin, id, action)
        .await
        .map_err(|e| match e {
            AccountError::Forbidden(m) => Reply::back(back, format!("Not done: {m}.")),
            e => Reply::internal(e),
        })?;
    Ok(Reply::back(back, format!("Done: {done}.")))
}

/// Sends a message that could not be delivered again.
async fn resend_message(
    State(state): State<AppState>,
    Extension(admin): Extension<CurrentUser>,
    Path(id): Path<i64>,
    FormFields(fields): FormFields,
) -> Result<Reply, Reply> {
    if fields.get("action").map(String::as_str) != Some("resend") {
        return Err(Reply::status(StatusCode::BAD_REQUEST));
    }
    let back = "/admin/messages?state=failed";
    let to = app::mail::resend(&state.pool, &admin, id)
        .await
        .map_err(|e| match e {
            app::mail::ResendError::Db(e) => Reply::internal(e),
            e => Reply::back(back, format!("Not done: {e}.")),
        })?;
    Ok(Reply::back(
        "/admin/messages?state=queued",
        format!("The message to {to} will be sent again within a minute."),
    ))
}

/// The audit log (filtered like the page) as CSV, cells safe for spreadsheets.
async fn audit_csv(State(state): State<AppState>, Query(q): Query<Fields>) -> Response {
    let q = app::domain::account::view::AuditQuery::from_pairs(|k| q.get(k).cloned());
    let filter = match app::accounts::audit_filter(&q) {
        Ok(f) => f,
        Err(e) => return (StatusCode::BAD_REQUEST, e).into_response(),
    };
    let csv = match app::accounts::audit_csv(&state.pool, &filter).await {
        Ok(csv) => csv,
        Err(e) => {
            tracing::error!(error = %e, "audit export failed");
            return crate::kit::error_response();
        }
    };
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"exemplar-audit.csv\"",
            ),
        ],
        crate::kit::csv_for_spreadsheets(csv),
    )
        .into_response()
}

/// Admins: publish quarters in order, revise one with a reason, move a quarter's dates.
async fn publication(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    form: Pairs,
) -> Result<Reply, Reply> {
    use app::domain::Quarter;
    use app::service::ServiceError;
    let back = "/admin/publication";
    let values: Fields = form.0.iter().cloned().collect();
    let problems = |errors: Vec<(String, String)>| {
        Reply::again_at(
            back,
            FormState {
                errors,
                values: values.clone(),
                ..FormState::default()
            },
        )
    };
    // A refusal in words goes back as "Not done: …"; the database fails as the error page.
    let refused = |e: ServiceError| match e {
        ServiceError::Db(e) => Reply::internal(e),
        e => Reply::back(back, format!("Not done: {e}.")),
    };
    let quarter = |name: &str| {
        form.first(name)
            .parse::<Quarter>()
            .map_err(|_| Reply::status(StatusCode::BAD_REQUEST))
    };
    let today = state.today();
    let notice = match form.first("action").as_str() {
        "publish" => {
            let q = quarter("through")?;
            // Publishing cannot be undone: first show what will become public.
            if form.first("confirm") != "yes" {
                return Err(Reply::again(FormState {
                    values: [("confirm-through".to_string(), q.to_string())]
                        .into_iter()
                        .collect(),
                    ..FormState::default()
                }));
            }
            let done = app::service::publish_through(&state.pool, q, today, &user.email)
                .await
                .map_err(refused)?;
            if done.is_empty() {
                return Err(Reply::back(
                    back,
                    format!("Not done: {q} is published already."),
                ));
            }
            let list: Vec<String> = done.iter().map(|q| q.to_string()).collect();
            format!("Published {}.", list.join(", "))
        }
        "revise" => {
            let q = quarter("quarter")?;
            let reason = form.first("reason");
            if reason.trim().is_empty() {
                return Err(problems(vec![(
                    "reason".into(),
                    "Give the reason for the revision: it is shown publicly beside the revised figures".into(),
                )]));
            }
            let changed = app::service::revise(&state.pool, q, &reason, today, &user.email)
                .await
                .map_err(refused)?;
            format!(
                "Revised {q}: {} changed.",
                count(changed.len(), "figure", "figures")
            )
        }
        "dates" => {
            let q = quarter("period")?;
            // Both dates come from NHS.UK date inputs; a problem is kept under the day box.
            let mut errors = Vec::new();
            let mut date = |field: &str| {
                app::domain::types::posted_date(|k| form.first(k), field).unwrap_or_else(|m| {
                    errors.push((format!("{field}-day"), m));
                    None
                })
            };
            let (deadline, publication) = (date("deadline"), date("publication"));
            if errors.is_empty() && deadline.is_none() && publication.is_none() {
                errors.push((
                    "deadline-day".into(),
                    "Enter a new deadline or a new publication date".into(),
                ));
            }
            if !errors.is_empty() {
                return Err(problems(errors));
            }
            let day_box = |(f, m): (String, String)| match f.as_str() {
                "deadline" | "publication" => (format!("{f}-day"), m),
                _ => (f, m),
            };
            let summary =
                app::submissions::move_dates(&state.pool, &user.email, q, deadline, publication)
                    .await
                    .map_err(|e| match e {
                        app::submissions::SubmitError::Invalid { errors, .. } => {
                            problems(errors.into_iter().map(day_box).collect())
                        }
                        e => Reply::internal(e),
                    })?;
            format!("Done: {summary}.")
        }
        "answer-flag" => {
            let id: i64 = form
                .first("flag")
                .parse()
                .map_err(|_| Reply::status(StatusCode::BAD_REQUEST))?;
            let result = app::flags::answer(
                &state.pool,
                &user,
                id,
                &form.first(&format!("flag-{id}-outcome")),
                &form.first(&format!("flag-{id}-answer")),
            )
            .await;
            return crate::reply::notice_back(result, back, &format!("#flag-{id}"), values);
        }
        _ => return Err(Reply::status(StatusCode::BAD_REQUEST)),
    };
    Ok(Reply::back(back, notice))
}

/// Admins: load a framework file, with `exemplar framework load`'s checks and messages.
async fn frameworks(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    req: Request<Body>,
) -> Result<Reply, Reply> {
    let (parts, body) = req.into_parts();
    let back = "/admin/frameworks";
    let problems = |errors: Vec<(String, String)>| {
        Reply::again_at(
            back,
            FormState {
                errors,
                ..FormState::default()
            },
        )
    };
    let posted = read_multipart(&parts, body, 1024 * 1024)
        .await
        .map_err(|(status, m)| problems(vec![("file".into(), m)]).with_status(status))?;
    let Some((_, name, bytes)) = posted.files.into_iter().find(|(f, _, _)| f == "file") else {
        return Err(problems(vec![(
            "file".into(),
            "Select a framework file (.toml)".into(),
        )]));
    };
    let Ok(text) = String::from_utf8(bytes) else {
        return Err(problems(vec![(
            "file".into(),
            format!("{name}: line 1: the file is not UTF-8 text"),
        )]));
    };
    let (fw, version) = app::service::load_framework(&state.pool, &text, &user.email)
        .await
        .map_err(|e| match e {
            app::service::ServiceError::Refused(found) => problems(
                found
                    .iter()
                    .map(|p| ("file".to_string(), p.display_for(&name)))
                    .collect(),
            ),
            e => Reply::internal(e),
        })?;
    Ok(Reply::back(
        back,
        format!(
            "Loaded {} version {version}: it is the active framework now.",
            fw.code
        ),
    ))
}
