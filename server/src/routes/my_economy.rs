//! An economy's own posts and downloads: the quarter form (multipart, with documents), the
//! CSV upload, member organisations, colleagues and CSV downloads.
//! Access is decided by `access::RULES` before these run; each handler then acts only on the
//! signed-in submitter's own economy, whatever a form field says.

use crate::kit::{
    again, keep, own_economy, read_any_form, read_form, read_multipart, redirect, status,
    trust_form_again, trust_upload, CSV_LIMIT,
};
use crate::session::FLASH;
use app::accounts::{self, AccountError};
use app::domain::account::{CurrentUser, Role};
use app::domain::types::count;
use app::domain::Quarter;
use app::state::AppState;
use app::submissions::{self, SubmitError, Upload};
use app::ui::session::FormState;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, Request, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use tower_sessions::Session;

/// Every form post here (the access matrix test reads it with `forms::POSTS`).
pub const POSTS: &[&str] = &[
    "/my-economy/periods/{period}",
    "/my-economy/upload",
    "/my-economy/organisations",
    "/my-economy/team",
];

/// Downloads here (the access matrix test reads it with `web::SERVER_ROUTES`).
pub const DOWNLOADS: &[&str] = &["/my-economy/values.csv", "/my-economy/history.csv"];

/// The most a quarter form may carry at once: several documents of up to 10 MB each.
const FORM_LIMIT: u64 = 64 * 1024 * 1024;
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/my-economy/periods/{period}", post(save_period))
        .route("/my-economy/upload", post(upload))
        .route("/my-economy/organisations", post(organisations))
        .route("/my-economy/team", post(team))
        .route("/my-economy/values.csv", get(values_csv))
        .route("/my-economy/history.csv", get(history_csv))
}

async fn save_period(
    State(state): State<AppState>,
    session: Session,
    Extension(user): Extension<CurrentUser>,
    Path(period): Path<String>,
    req: Request<Body>,
) -> Response {
    let Some(slug) = own_economy(&user) else {
        return status(StatusCode::FORBIDDEN);
    };
    let Ok(q) = period.parse::<Quarter>() else {
        return status(StatusCode::NOT_FOUND);
    };
    let (parts, body) = req.into_parts();
    let posted = match read_multipart(&parts, body, FORM_LIMIT).await {
        Ok(p) => p,
        Err((status, m)) => {
            let mut res = again(&state, parts, FormState::error("quarter-form", m)).await;
            *res.status_mut() = status;
            return res;
        }
    };
    let submit = posted.fields.get("action").map(String::as_str) == Some("submit");
    let uploads: Vec<Upload> = posted
        .files
        .into_iter()
        .filter_map(|(field, name, bytes)| {
            field.strip_prefix("file-").map(|code| Upload {
                code: code.to_string(),
                name: if name.is_empty() {
                    "(no name)".into()
                } else {
                    name
                },
                bytes,
            })
        })
        .collect();
    let result = submissions::save_quarter(
        &state.pool,
        &slug,
        &user.email,
        q,
        &posted.fields,
        uploads,
        submit,
        state.today(),
    )
    .await;
    let shown_again = |errors, kept: Vec<(String, String)>, version: Option<String>| {
        let mut values = keep(&posted.fields);
        values.remove("action");
        for (code, k) in kept {
            values.insert(app::domain::submission::kept_field(&code), k);
        }
        if let Some(v) = version {
            values.insert("version".into(), v);
        }
        FormState {
            errors,
            values,
            ..FormState::default()
        }
    };
    match result {
        Ok(saved) => {
            let message = if saved == submissions::Saved::default() {
                "Nothing has changed: every answer is as it was stored.".to_string()
            } else if submit {
                let mut m = format!(
                    "Submitted {} for {q}",
                    count(saved.submitted, "value", "values")
                );
                if saved.late > 0 {
                    m.push_str(", marked late because the deadline has passed");
                }
                if saved.evidence > 0 {
                    m.push_str(&format!(
                        ", and {} of evidence",
                        count(saved.evidence, "piece", "pieces")
                    ));
                }
                m.push('.');
                m
            } else {
                format!(
                    "Saved {}{} for {q}. Drafts are not scored until you submit them.",
                    count(saved.drafts, "draft", "drafts"),
                    if saved.evidence > 0 {
                        format!(
                            " and {} of evidence",
                            count(saved.evidence, "piece", "pieces")
                        )
                    } else {
                        String::new()
                    }
                )
            };
            let _ = session.insert(FLASH, message).await;
            redirect(&format!("/my-economy/periods/{q}"))
        }
        Err(SubmitError::Invalid { errors, kept }) => {
            again(&state, parts, shown_again(errors, kept, None)).await
        }
        Err(SubmitError::Conflict {
            errors,
            kept,
            version,
        }) => {
            let mut res = again(&state, parts, shown_again(errors, kept, Some(version))).await;
            *res.status_mut() = StatusCode::CONFLICT;
            res
        }
        Err(SubmitError::Refused(m)) => {
            let _ = session.insert(FLASH, format!("Not saved: {m}.")).await;
            redirect("/my-economy")
        }
        Err(SubmitError::Db(e)) => {
            tracing::error!(error = %e, "saving a quarter failed");
            crate::kit::error_response()
        }
    }
}

async fn upload(
    State(state): State<AppState>,
    session: Session,
    Extension(user): Extension<CurrentUser>,
    req: Request<Body>,
) -> Response {
    let Some(slug) = own_economy(&user) else {
        return status(StatusCode::FORBIDDEN);
    };
    let (parts, body) = req.into_parts();
    let posted = match read_multipart(&parts, body, CSV_LIMIT as u64 + 64 * 1024).await {
        Ok(p) => p,
        Err((status, m)) => {
            let mut res = again(&state, parts, FormState::error("file", m)).await;
            *res.status_mut() = status;
            return res;
        }
    };
    let refused = |errors: Vec<(String, String)>| FormState {
        errors,
        ..FormState::default()
    };
    if posted.fields.get("action").map(String::as_str) == Some("confirm") {
        let sha = posted.fields.get("file").cloned().unwrap_or_default();
        return match submissions::confirm_upload(&state.pool, &slug, &user.email, &sha).await {
            Ok((n, quarters)) => {
                let message = if n == 0 {
                    "Nothing to store: every value in the file is as it is already.".to_string()
                } else {
                    format!(
                        "Stored {} as drafts for {}. Attach evidence where it is needed and submit each quarter.",
                        count(n, "value", "values"),
                        quarters.join(", ")
                    )
                };
                let _ = session.insert(FLASH, message).await;
                match quarters.first() {
                    Some(q) if n > 0 => redirect(&format!("/my-economy/periods/{q}")),
                    _ => redirect("/my-economy/upload"),
                }
            }
            Err(SubmitError::Invalid { errors, .. }) => again(&state, parts, refused(errors)).await,
            Err(SubmitError::Refused(m)) => again(&state, parts, FormState::error("file", m)).await,
            Err(SubmitError::Conflict { .. }) => status(StatusCode::CONFLICT),
            Err(SubmitError::Db(e)) => {
                tracing::error!(error = %e, "confirming an upload failed");
                crate::kit::error_response()
            }
        };
    }
    let Some((_, name, bytes)) = posted.files.into_iter().find(|(f, _, _)| f == "file") else {
        return again(&state, parts, FormState::error("file", "Select a CSV file")).await;
    };
    if bytes.is_empty() {
        return again(
            &state,
            parts,
            FormState::error("file", format!("The selected file {name} is empty")),
        )
        .await;
    }
    if bytes.len() > CSV_LIMIT {
        return again(
            &state,
            parts,
            FormState::error(
                "file",
                format!("The selected file {name} must be smaller than 20 MB"),
            ),
        )
        .await;
    }
    match submissions::preview_upload(&state.pool, &slug, &bytes).await {
        Ok(_) => match submissions::hold_upload(&state.pool, &bytes).await {
            Ok(sha) => redirect(&format!("/my-economy/upload?file={sha}")),
            Err(e) => {
                tracing::error!(error = %e, "holding an upload failed");
                crate::kit::error_response()
            }
        },
        Err(SubmitError::Invalid { errors, .. }) => {
            let errors = errors
                .into_iter()
                .map(|(f, m)| (f, format!("{name}: {m}")))
                .collect();
            again(&state, parts, refused(errors)).await
        }
        Err(SubmitError::Refused(m)) => again(&state, parts, FormState::error("file", m)).await,
        Err(SubmitError::Conflict { .. }) => status(StatusCode::CONFLICT),
        Err(SubmitError::Db(e)) => {
            tracing::error!(error = %e, "previewing an upload failed");
            crate::kit::error_response()
        }
    }
}

async fn organisations(
    State(state): State<AppState>,
    session: Session,
    Extension(user): Extension<CurrentUser>,
    req: Request<Body>,
) -> Response {
    let Some(slug) = own_economy(&user) else {
        return status(StatusCode::FORBIDDEN);
    };
    let (parts, body) = req.into_parts();
    let mut posted = match read_any_form(&parts, body).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let fields = posted.fields.clone();
    let get = |k: &str| fields.get(k).cloned().unwrap_or_default();
    let result = match get("action").as_str() {
        "add" => submissions::add_organisation(
            &state.pool,
            &slug,
            &user.email,
            &get("name"),
            &get("ods_code"),
            &get("kind"),
        )
        .await
        .map(|n| format!("Added {n}.")),
        "epr" => {
            let code = get("code");
            let upload = trust_upload(&mut posted, &code);
            app::trusts::set_epr(
                &state.pool,
                app::trusts::Editor::Economy(&slug),
                &user.email,
                &code,
                &fields,
                upload,
                state.today(),
            )
            .await
            .map(|s| format!("Done: {s}."))
        }
        "remove" => match get("id").parse::<i64>() {
            Ok(id) => submissions::remove_organisation(&state.pool, &slug, &user.email, id)
                .await
                .map(|n| format!("Removed {n}.")),
            Err(_) => return status(StatusCode::BAD_REQUEST),
        },
        _ => return status(StatusCode::BAD_REQUEST),
    };
    match result {
        Ok(m) => {
            let _ = session.insert(FLASH, m).await;
            redirect("/my-economy/organisations")
        }
        Err(SubmitError::Invalid { errors, kept }) => {
            again(&state, parts, trust_form_again(&fields, errors, kept)).await
        }
        Err(SubmitError::Refused(m)) => {
            let _ = session.insert(FLASH, format!("Not done: {m}.")).await;
            redirect("/my-economy/organisations")
        }
        Err(SubmitError::Conflict { errors, kept, .. }) => {
            let mut res = again(&state, parts, trust_form_again(&fields, errors, kept)).await;
            *res.status_mut() = StatusCode::CONFLICT;
            res
        }
        Err(SubmitError::Db(e)) => {
            tracing::error!(error = %e, "organisation change failed");
            crate::kit::error_response()
        }
    }
}

async fn team(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    req: Request<Body>,
) -> Response {
    if own_economy(&user).is_none() {
        return status(StatusCode::FORBIDDEN);
    }
    let (parts, body) = req.into_parts();
    let fields = match read_form(body).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let email = fields.get("email").cloned().unwrap_or_default();
    match accounts::invite(&state.pool, &user, &email, Role::Submitter, &state.mailer).await {
        Ok(()) => {
            let form = FormState {
                notice: Some(format!(
                    "{} is invited. We have sent them a link to accept: it works once, for 7 days.",
                    email.trim()
                )),
                ..FormState::default()
            };
            again(&state, parts, form).await
        }
        Err(AccountError::Field { field, message }) => {
            again(
                &state,
                parts,
                FormState::error(field, message).with_values(keep(&fields)),
            )
            .await
        }
        Err(AccountError::Forbidden(m)) | Err(AccountError::Gone(m)) => {
            let mut res = again(&state, parts, FormState::error("email", m)).await;
            *res.status_mut() = StatusCode::FORBIDDEN;
            res
        }
        Err(AccountError::Limited { .. }) => status(StatusCode::TOO_MANY_REQUESTS),
        Err(AccountError::Db(e)) => {
            tracing::error!(error = %e, "invitation failed");
            crate::kit::error_response()
        }
        Err(AccountError::Mail(e)) => {
            tracing::error!(error = %e, "invitation could not be sent; nothing was changed");
            crate::kit::error_response()
        }
    }
}

fn csv_download(name: &str, body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response()
}

async fn values_csv(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
) -> Response {
    let Some(slug) = own_economy(&user) else {
        return status(StatusCode::FORBIDDEN);
    };
    match submissions::values_csv(&state.pool, &slug).await {
        Ok(Some(csv)) => csv_download(&format!("{slug}-values.csv"), csv),
        Ok(None) => status(StatusCode::NOT_FOUND),
        Err(e) => {
            tracing::error!(error = %e, "values download failed");
            crate::kit::error_response()
        }
    }
}

async fn history_csv(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
) -> Response {
    let Some(slug) = own_economy(&user) else {
        return status(StatusCode::FORBIDDEN);
    };
    match submissions::history_csv(&state.pool, &slug).await {
        Ok(Some(csv)) => csv_download(&format!("{slug}-history.csv"), csv),
        Ok(None) => status(StatusCode::NOT_FOUND),
        Err(e) => {
            tracing::error!(error = %e, "history download failed");
            crate::kit::error_response()
        }
    }
}
