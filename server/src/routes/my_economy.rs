//! An economy's own posts and downloads: the quarter form (multipart, with documents), the
//! CSV upload, member organisations, colleagues and CSV downloads.
//! Access is decided by `access::RULES` before these run; each handler then acts only on the
//! signed-in submitter's own economy, whatever a form field says.

use crate::kit::{
    keep, own_economy, read_any_form, read_multipart, redirect, status, trust_form_again,
    trust_upload, FormFields, Pairs, CSV_LIMIT,
};
use crate::reply::Reply;
use app::accounts::{self, AccountError};
use app::domain::account::{CurrentUser, Role};
use app::domain::types::count;
use app::domain::Quarter;
use app::state::AppState;
use app::submissions::{self, Intent, QuarterForm, SubmitError, Upload};
use app::ui::session::FormState;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, Request, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};

/// Every form post here (the access matrix test reads it).
pub const POSTS: &[&str] = &[
    "/my-economy/periods/{period}",
    "/my-economy/upload",
    "/my-economy/organisations",
    "/my-economy/team",
    "/my-economy/check/{period}",
    "/my-economy/flags",
    "/my-economy/periods/{period}/assignments",
];

/// Downloads here (the access matrix test reads them).
pub const DOWNLOADS: &[&str] = &[
    "/my-economy/values.csv",
    "/my-economy/history.csv",
    "/my-economy/receipts/{reference}/download",
];

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
        .route("/my-economy/check/{period}", post(submit_checked))
        .route("/my-economy/flags", post(flag))
        .route(
            "/my-economy/periods/{period}/assignments",
            post(assignments),
        )
        .route(
            "/my-economy/receipts/{reference}/download",
            get(receipt_csv),
        )
}

async fn save_period(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(period): Path<String>,
    req: Request<Body>,
) -> Result<Reply, Reply> {
    let slug = own_economy(&user).ok_or_else(|| Reply::status(StatusCode::FORBIDDEN))?;
    let q = period
        .parse::<Quarter>()
        .map_err(|_| Reply::status(StatusCode::NOT_FOUND))?;
    let (parts, body) = req.into_parts();
    let posted = read_multipart(&parts, body, FORM_LIMIT)
        .await
        .map_err(|(status, m)| {
            Reply::again(FormState::error("quarter-form", m)).with_status(status)
        })?;
    // "check": save the form as drafts, then check them before anything is submitted.
    let action = posted.fields.get("action").cloned().unwrap_or_default();
    // "recalculate": the form again with what was typed, its what-if panel worked out from
    // those values; nothing is stored.
    if action == "recalculate" {
        let mut values = keep(&posted.fields);
        values.remove("action");
        return Ok(Reply::again(FormState {
            values,
            notice: Some("Recalculated with the values you typed. Nothing has been saved.".into()),
            ..FormState::default()
        }));
    }
    let intent = match action.as_str() {
        "submit" => Intent::Submit,
        _ => Intent::Draft,
    };
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
    // The answers shown again with the form's problems, with the documents it kept.
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
    let form = QuarterForm {
        period: q,
        fields: posted.fields.clone(),
        uploads,
        intent,
    };
    let saved = submissions::save_quarter(&state.pool, &slug, &user.email, form, state.today())
        .await
        .map_err(|e| match e {
            SubmitError::Invalid { errors, kept } => Reply::again(shown_again(errors, kept, None)),
            SubmitError::Conflict {
                errors,
                kept,
                version,
            } => Reply::again(shown_again(errors, kept, Some(version)))
                .with_status(StatusCode::CONFLICT),
            SubmitError::Refused(m) => Reply::back("/my-economy", format!("Not saved: {m}.")),
            SubmitError::Db(e) => Reply::internal(e),
        })?;
    if action == "check" {
        return Ok(Reply::from(redirect(&format!(
            "/my-economy/check/{q}?changed={}",
            saved.changed.join(",")
        ))));
    }
    let message = if saved == submissions::Saved::default() {
        "Nothing has changed: every answer is as it was stored.".to_string()
    } else if intent == Intent::Submit {
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
    Ok(Reply::back(&format!("/my-economy/periods/{q}"), message))
}

async fn upload(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    req: Request<Body>,
) -> Result<Reply, Reply> {
    let slug = own_economy(&user).ok_or_else(|| Reply::status(StatusCode::FORBIDDEN))?;
    let (parts, body) = req.into_parts();
    let file_problem = |m: String| Reply::again(FormState::error("file", m));
    let posted = read_multipart(&parts, body, CSV_LIMIT as u64 + 64 * 1024)
        .await
        .map_err(|(status, m)| file_problem(m).with_status(status))?;
    // The file's problems, each with its line; a refusal in words; a conflict is bare.
    let refused = |e: SubmitError, name: &str| match e {
        SubmitError::Invalid { errors, .. } => Reply::again(FormState {
            errors: errors
                .into_iter()
                .map(|(f, m)| (f, format!("{name}{m}")))
                .collect(),
            ..FormState::default()
        }),
        SubmitError::Refused(m) => file_problem(m),
        SubmitError::Conflict { .. } => Reply::status(StatusCode::CONFLICT),
        SubmitError::Db(e) => Reply::internal(e),
    };
    if posted.fields.get("action").map(String::as_str) == Some("confirm") {
        let sha = posted.fields.get("file").cloned().unwrap_or_default();
        let (n, quarters) = submissions::confirm_upload(&state.pool, &slug, &user.email, &sha)
            .await
            .map_err(|e| refused(e, ""))?;
        let message = if n == 0 {
            "Nothing to store: every value in the file is as it is already.".to_string()
        } else {
            format!(
                "Stored {} as drafts for {}. Attach evidence where it is needed and submit each quarter.",
                count(n, "value", "values"),
                quarters.join(", ")
            )
        };
        let to = match quarters.first() {
            Some(q) if n > 0 => format!("/my-economy/periods/{q}"),
            _ => "/my-economy/upload".to_string(),
        };
        return Ok(Reply::back(&to, message));
    }
    let Some((_, name, bytes)) = posted.files.into_iter().find(|(f, _, _)| f == "file") else {
        return Err(file_problem("Select a CSV file".into()));
    };
    if bytes.is_empty() {
        return Err(file_problem(format!("The selected file {name} is empty")));
    }
    if bytes.len() > CSV_LIMIT {
        return Err(file_problem(format!(
            "The selected file {name} must be smaller than 20 MB"
        )));
    }
    submissions::preview_upload(&state.pool, &slug, &bytes)
        .await
        .map_err(|e| refused(e, &format!("{name}: ")))?;
    let sha = submissions::hold_upload(&state.pool, &bytes)
        .await
        .map_err(Reply::internal)?;
    Ok(Reply::from(redirect(&format!(
        "/my-economy/upload?file={sha}"
    ))))
}

async fn organisations(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    req: Request<Body>,
) -> Result<Reply, Reply> {
    let back = "/my-economy/organisations";
    let slug = own_economy(&user).ok_or_else(|| Reply::status(StatusCode::FORBIDDEN))?;
    let (parts, body) = req.into_parts();
    let mut posted = read_any_form(&parts, body).await?;
    let fields = posted.fields.clone();
    let get = |k: &str| fields.get(k).cloned().unwrap_or_default();
    let result = match get("action").as_str() {
        "add" => submissions::add_organisation(
            &state.pool,
            &slug,
            &user.email,
            &get("name"),
            &get("ods_code"),
            state.today(),
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
        "remove" => {
            let id = get("id")
                .parse::<i64>()
                .map_err(|_| Reply::status(StatusCode::BAD_REQUEST))?;
            submissions::remove_organisation(&state.pool, &slug, &user.email, id)
                .await
                .map(|n| format!("Removed {n}."))
        }
        _ => return Err(Reply::status(StatusCode::BAD_REQUEST)),
    };
    let notice = result.map_err(|e| match e {
        SubmitError::Invalid { errors, kept } => {
            Reply::again(trust_form_again(&fields, errors, kept))
        }
        SubmitError::Refused(m) => Reply::back(back, format!("Not done: {m}.")),
        SubmitError::Conflict { errors, kept, .. } => {
            Reply::again(trust_form_again(&fields, errors, kept)).with_status(StatusCode::CONFLICT)
        }
        SubmitError::Db(e) => Reply::internal(e),
    })?;
    Ok(Reply::back(back, notice))
}

async fn team(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    FormFields(fields): FormFields,
) -> Result<Reply, Reply> {
    own_economy(&user).ok_or_else(|| Reply::status(StatusCode::FORBIDDEN))?;
    if fields.get("action").map(String::as_str) == Some("lead") {
        let chosen = fields.get("lead").cloned().unwrap_or_default();
        let result = app::teamwork::name_lead(&state.pool, &user, &chosen).await;
        return crate::reply::notice_back(result, "/my-economy/team", "#sign-off", keep(&fields));
    }
    let email = fields.get("email").cloned().unwrap_or_default();
    accounts::invite(&state.pool, &user, &email, Role::Submitter)
        .await
        .map_err(|e| match e {
            AccountError::Field { field, message } => {
                Reply::again(FormState::error(field, message).with_values(keep(&fields)))
            }
            AccountError::Forbidden(m) | AccountError::Gone(m) => {
                Reply::again(FormState::error("email", m)).with_status(StatusCode::FORBIDDEN)
            }
            AccountError::Limited { .. } => Reply::status(StatusCode::TOO_MANY_REQUESTS),
            e => Reply::internal(e),
        })?;
    Ok(Reply::again(FormState::notice(format!(
        "{} is invited. We have sent them a link to accept: it works once, for 7 days.",
        email.trim()
    ))))
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
        crate::kit::csv_for_spreadsheets(body),
    )
        .into_response()
}

/// Question a provisional figure in the days before its publication, with a reason.
async fn flag(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    form: Pairs,
) -> Result<Reply, Reply> {
    own_economy(&user).ok_or_else(|| Reply::status(StatusCode::FORBIDDEN))?;
    let result = app::flags::raise(
        &state.pool,
        &user,
        &form.first("figure"),
        &form.first("reason"),
        state.today(),
    )
    .await;
    crate::reply::notice_back(result, "/my-economy", "#preview", form.kept())
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

/// Submits the values ticked on "check your answers", then shows the receipt.
async fn submit_checked(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(period): Path<String>,
    form: Pairs,
) -> Result<Reply, Reply> {
    let slug = own_economy(&user).ok_or_else(|| Reply::status(StatusCode::FORBIDDEN))?;
    let q = period
        .parse::<Quarter>()
        .map_err(|_| Reply::status(StatusCode::NOT_FOUND))?;
    if form.first("action") == "signoff" {
        let result = submissions::sign_off(
            &state.pool,
            &user,
            q,
            form.first("signoff") == "yes",
            &form.first("version"),
        )
        .await;
        return crate::reply::notice_back(
            result,
            &format!("/my-economy/check/{q}"),
            "",
            form.kept(),
        );
    }
    let codes = form.all("code");
    let again = |errors| FormState {
        errors,
        values: [("codes".to_string(), codes.join(","))]
            .into_iter()
            .collect(),
        ..FormState::default()
    };
    let reference = submissions::submit_checked(
        &state.pool,
        &slug,
        &user.email,
        q,
        &codes,
        &form.first("version"),
        state.today(),
    )
    .await
    .map_err(|e| match e {
        SubmitError::Invalid { errors, .. } => Reply::again(again(errors)),
        SubmitError::Conflict { errors, .. } => {
            Reply::again(again(errors)).with_status(StatusCode::CONFLICT)
        }
        SubmitError::Refused(m) => Reply::back("/my-economy", format!("Not submitted: {m}.")),
        SubmitError::Db(e) => Reply::internal(e),
    })?;
    Ok(Reply::from(redirect(&format!(
        "/my-economy/receipts/{reference}"
    ))))
}

/// A quarter's themes and criteria assigned to colleagues.
async fn assignments(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(period): Path<String>,
    FormFields(fields): FormFields,
) -> Result<Reply, Reply> {
    own_economy(&user).ok_or_else(|| Reply::status(StatusCode::FORBIDDEN))?;
    let q = period
        .parse::<Quarter>()
        .ok()
        .filter(|q| submissions::reportable(*q, state.today()))
        .ok_or_else(|| Reply::status(StatusCode::NOT_FOUND))?;
    let fw = app::service::active_framework(&state.pool)
        .await
        .map_err(Reply::internal)?
        .framework;
    let result = app::teamwork::assign(&state.pool, &user, &fw, q, &fields).await;
    crate::reply::notice_back(
        result,
        &format!("/my-economy/periods/{q}/assignments"),
        "",
        keep(&fields),
    )
}

/// A receipt as CSV, for the economy's own records.
async fn receipt_csv(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(reference): Path<String>,
) -> Response {
    let Some(slug) = own_economy(&user) else {
        return status(StatusCode::FORBIDDEN);
    };
    match submissions::receipt_view(&state.pool, &slug, &reference).await {
        Ok(Some(r)) => csv_download(
            &format!("exemplar-receipt-{reference}.csv"),
            submissions::receipt_csv(&r),
        ),
        Ok(None) => status(StatusCode::NOT_FOUND),
        Err(e) => {
            tracing::error!(error = %e, "receipt download failed");
            crate::kit::error_response()
        }
    }
}
