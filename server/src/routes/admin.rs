//! Admins' own posts: accounts (invite, change, end sessions), the audit log as CSV, publishing
//! quarters and loading frameworks. Nominations are decided in `nominations`, the panel in
//! `panel`.

use super::accounts::problem;
use crate::kit::{
    again, first, keep, read_form, read_multipart, read_pairs, redirect, shown_again, Fields,
};
use crate::session::FLASH;
use app::accounts::{self, AccountError, AdminAction};
use app::domain::account::{CurrentUser, Role};
use app::domain::types::count;
use app::state::AppState;
use app::ui::session::FormState;
use axum::body::Body;
use axum::extract::{Form, Path, Query, State};
use axum::http::{header, Request, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use tower_sessions::Session;

/// Every form post here (the access matrix test reads it).
pub const POSTS: &[&str] = &[
    "/admin/users",
    "/admin/users/{id}",
    "/admin/publication",
    "/admin/frameworks",
];

/// Downloads here (the access matrix test reads them).
pub const DOWNLOADS: &[&str] = &["/admin/audit.csv"];

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/users", post(admin_invite))
        .route("/admin/users/{id}", post(admin_user))
        .route("/admin/audit.csv", get(audit_csv))
        .route("/admin/publication", post(publication))
        .route("/admin/frameworks", post(frameworks))
}

async fn admin_invite(
    State(state): State<AppState>,
    Extension(admin): Extension<CurrentUser>,
    req: Request<Body>,
) -> Response {
    let (parts, body) = req.into_parts();
    let fields = match read_form(body).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let get = |k: &str| fields.get(k).cloned().unwrap_or_default();
    let role = match get("role").as_str() {
        "assessor" => Role::Assessor,
        "admin" => Role::Admin,
        _ => {
            let mut form =
                FormState::error("role", "Select the role of the person you are inviting")
                    .with_values(keep(&fields));
            if app::domain::account::Email::parse(&get("email")).is_err() {
                form.errors.insert(
                    0,
                    (
                        "email".into(),
                        app::domain::account::Email::parse(&get("email"))
                            .err()
                            .unwrap_or_default()
                            .to_string(),
                    ),
                );
            }
            return again(&state, parts, form).await;
        }
    };
    match accounts::invite(&state.pool, &admin, &get("email"), role, &state.mailer).await {
        Ok(()) => {
            let form = FormState {
                notice: Some(format!(
                    "{} has been invited as an {role}. We have sent them a link to accept: it works once, for 7 days.",
                    get("email").trim()
                )),
                ..FormState::default()
            };
            again(&state, parts, form).await
        }
        Err(e) => problem(&state, parts, &fields, e).await,
    }
}

async fn admin_user(
    State(state): State<AppState>,
    session: Session,
    Extension(admin): Extension<CurrentUser>,
    Path(id): Path<i64>,
    Form(fields): Form<Fields>,
) -> Response {
    let Some(action) = fields.get("action").and_then(|a| AdminAction::parse(a)) else {
        return crate::kit::status(StatusCode::BAD_REQUEST);
    };
    match accounts::admin_action(&state.pool, &admin, id, action, &state.mailer).await {
        Ok(done) => {
            let _ = session.insert(FLASH, format!("Done: {done}.")).await;
            redirect("/admin/users")
        }
        Err(AccountError::Forbidden(m)) => {
            let _ = session.insert(FLASH, format!("Not done: {m}.")).await;
            redirect("/admin/users")
        }
        Err(e) => {
            tracing::error!(error = %e, "admin action failed");
            crate::kit::error_response()
        }
    }
}

/// The audit log (filtered like the page) as CSV, cells safe for spreadsheets.
async fn audit_csv(State(state): State<AppState>, Query(q): Query<Fields>) -> Response {
    let q = app::domain::account::view::AuditQuery::from_pairs(|k| q.get(k).cloned());
    let filter = match app::accounts::audit_filter(&q) {
        Ok(f) => f,
        Err(e) => return (StatusCode::BAD_REQUEST, e).into_response(),
    };
    let rows = match app::db::audit_find(&state.pool, &filter, i64::MAX).await {
        Ok(r) => r,
        Err(e) => {
            tracing::error!(error = %e, "audit export failed");
            return crate::kit::error_response();
        }
    };
    let mut csv =
        String::from("id,at,actor,kind,economy,summary,before,after,prev_hash,hash,address\n");
    for r in rows.iter().rev() {
        let id = r.id.to_string();
        let cells = [
            id.as_str(),
            &r.at,
            &r.actor,
            &r.kind,
            r.economy.as_deref().unwrap_or(""),
            &r.summary,
            r.before.as_deref().unwrap_or(""),
            r.after.as_deref().unwrap_or(""),
            &r.prev_hash,
            &r.hash,
            r.address.as_deref().unwrap_or(""),
        ];
        let line: Vec<String> = cells
            .iter()
            .map(|c| app::domain::scoring::safe_csv_cell(c))
            .collect();
        csv.push_str(&line.join(","));
        csv.push('\n');
    }
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"exemplar-audit.csv\"",
            ),
        ],
        csv,
    )
        .into_response()
}

/// Admins: publish quarters in order, revise one with a reason, move a quarter's dates.
async fn publication(
    State(state): State<AppState>,
    session: Session,
    Extension(user): Extension<CurrentUser>,
    req: Request<Body>,
) -> Response {
    use app::domain::Quarter;
    use app::service::ServiceError;
    let (parts, body) = req.into_parts();
    let pairs = match read_pairs(body).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let back = "/admin/publication";
    let values: std::collections::HashMap<String, String> = pairs.iter().cloned().collect();
    let refused = |m: String| {
        let session = session.clone();
        async move {
            let _ = session.insert(FLASH, format!("Not done: {m}.")).await;
            redirect(back)
        }
    };
    let today = state.today();
    match first(&pairs, "action").as_str() {
        "publish" => {
            let Ok(q) = first(&pairs, "through").parse::<Quarter>() else {
                return crate::kit::status(StatusCode::BAD_REQUEST);
            };
            match app::service::publish_through(&state.pool, q, today, &user.email).await {
                Ok(done) if done.is_empty() => refused(format!("{q} is published already")).await,
                Ok(done) => {
                    let list: Vec<String> = done.iter().map(|q| q.to_string()).collect();
                    let _ = session
                        .insert(FLASH, format!("Published {}.", list.join(", ")))
                        .await;
                    redirect(back)
                }
                Err(ServiceError::Db(e)) => {
                    tracing::error!(error = %e, "publication failed");
                    crate::kit::error_response()
                }
                Err(e) => refused(e.to_string()).await,
            }
        }
        "revise" => {
            let Ok(q) = first(&pairs, "quarter").parse::<Quarter>() else {
                return crate::kit::status(StatusCode::BAD_REQUEST);
            };
            let reason = first(&pairs, "reason");
            if reason.trim().is_empty() {
                return shown_again(
                    &state,
                    parts,
                    back,
                    vec![("reason".into(), "Give the reason for the revision: it is shown publicly beside the revised figures".into())],
                    values,
                )
                .await;
            }
            match app::service::revise(&state.pool, q, &reason, today, &user.email).await {
                Ok(changed) => {
                    let _ = session
                        .insert(
                            FLASH,
                            format!(
                                "Revised {q}: {} changed.",
                                count(changed.len(), "figure", "figures")
                            ),
                        )
                        .await;
                    redirect(back)
                }
                Err(ServiceError::Db(e)) => {
                    tracing::error!(error = %e, "revision failed");
                    crate::kit::error_response()
                }
                Err(e) => refused(e.to_string()).await,
            }
        }
        "dates" => {
            let Ok(q) = first(&pairs, "period").parse::<Quarter>() else {
                return crate::kit::status(StatusCode::BAD_REQUEST);
            };
            let mut errors = Vec::new();
            let mut date = |field: &str| {
                let text = first(&pairs, field);
                if text.trim().is_empty() {
                    return None;
                }
                match chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d") {
                    Ok(d) => Some(d),
                    Err(_) => {
                        errors.push((
                            field.to_string(),
                            "Enter a real date as YYYY-MM-DD, like 2015-05-15".to_string(),
                        ));
                        None
                    }
                }
            };
            let (deadline, publication) = (date("deadline"), date("publication"));
            if !errors.is_empty() {
                return shown_again(&state, parts, back, errors, values).await;
            }
            match app::submissions::move_dates(&state.pool, &user.email, q, deadline, publication)
                .await
            {
                Ok(summary) => {
                    let _ = session.insert(FLASH, format!("Done: {summary}.")).await;
                    redirect(back)
                }
                Err(app::submissions::SubmitError::Invalid { errors, .. }) => {
                    shown_again(&state, parts, back, errors, values).await
                }
                Err(e) => {
                    tracing::error!(error = %e, "moving dates failed");
                    crate::kit::error_response()
                }
            }
        }
        _ => crate::kit::status(StatusCode::BAD_REQUEST),
    }
}

/// Admins: load a framework file, with `exemplar framework load`'s checks and messages.
async fn frameworks(
    State(state): State<AppState>,
    session: Session,
    Extension(user): Extension<CurrentUser>,
    req: Request<Body>,
) -> Response {
    let (parts, body) = req.into_parts();
    let back = "/admin/frameworks";
    let posted = match read_multipart(&parts, body, 1024 * 1024).await {
        Ok(p) => p,
        Err((status, m)) => {
            let mut res = shown_again(
                &state,
                parts,
                back,
                vec![("file".into(), m)],
                Default::default(),
            )
            .await;
            *res.status_mut() = status;
            return res;
        }
    };
    let Some((_, name, bytes)) = posted.files.into_iter().find(|(f, _, _)| f == "file") else {
        return shown_again(
            &state,
            parts,
            back,
            vec![("file".into(), "Select a framework file (.toml)".into())],
            Default::default(),
        )
        .await;
    };
    let Ok(text) = String::from_utf8(bytes) else {
        return shown_again(
            &state,
            parts,
            back,
            vec![(
                "file".into(),
                format!("{name}: line 1: the file is not UTF-8 text"),
            )],
            Default::default(),
        )
        .await;
    };
    match app::service::load_framework(&state.pool, &text, &user.email).await {
        Ok((fw, version)) => {
            let _ = session
                .insert(
                    FLASH,
                    format!(
                        "Loaded {} version {version}: it is the active framework now.",
                        fw.code
                    ),
                )
                .await;
            redirect(back)
        }
        Err(app::service::ServiceError::Refused(problems)) => {
            let errors = problems
                .iter()
                .map(|p| ("file".to_string(), p.display_for(&name)))
                .collect();
            shown_again(&state, parts, back, errors, Default::default()).await
        }
        Err(e) => {
            tracing::error!(error = %e, "framework load failed");
            crate::kit::error_response()
        }
    }
}
