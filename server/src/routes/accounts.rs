//! Form posts: plain HTML forms that work without JavaScript. Success redirects (303, post/
//! redirect/get) with a one-time notice; a problem shows the same page again with the
//! NHS.UK error summary and the values given (never passwords), with status 422.

use app::accounts::{self, AccountError};
use app::domain::account::{CurrentUser, Role};
use app::state::AppState;
use app::ui::session::FormState;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{Request, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Extension, Router};
use tower_sessions::Session;

use crate::session::{
    end_pending, ENROL_SECRET, ENROL_TOKEN, FLASH, NEXT, PENDING, PENDING_AT, SIGNED_IN_AT, USER,
};

use crate::kit::{
    address, form_limit, keep, read_form, redirect, render, urlencode, Fields, FormFields,
};
use crate::reply::Reply;

/// Every form post this router answers (the access matrix test reads it).
pub const POSTS: &[&str] = &[
    "/sign-in",
    "/sign-in/code",
    "/sign-out",
    "/reset-password",
    "/invitations/{token}",
    "/account",
];

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/sign-in", post(sign_in))
        .route("/sign-in/code", post(sign_in_code))
        .route("/enrol/{token}", get(enrol_link))
        .route("/sign-out", post(sign_out))
        .route("/reset-password", post(reset_password))
        .route("/invitations/{token}", post(accept_invitation))
        .route("/account", post(account))
}

/// An account error as the form shown again: a field's problem (422), too many tries (429,
/// with when to try again), a used or expired link (410), not allowed (403); the database or
/// the mail failing is the error page.
pub(super) fn problem(fields: &Fields, e: AccountError) -> Reply {
    let first_of = |names: [&'static str; 2]| {
        if fields.contains_key(names[0]) {
            names[0]
        } else {
            names[1]
        }
    };
    match e {
        AccountError::Field { field, message } => {
            Reply::again(FormState::error(field, message).with_values(keep(fields)))
        }
        AccountError::Limited {
            retry_after,
            message,
        } => Reply::again(
            FormState::error(first_of(["code", "email"]), message).with_values(keep(fields)),
        )
        .retry_after(retry_after),
        AccountError::Gone(message) => {
            Reply::again(FormState::error(first_of(["password", "email"]), message))
                .with_status(StatusCode::GONE)
        }
        AccountError::Forbidden(message) => {
            Reply::again(FormState::error(first_of(["email", "password"]), message))
                .with_status(StatusCode::FORBIDDEN)
        }
        AccountError::Db(e) => Reply::internal(e),
        AccountError::Mail(e) => Reply::internal(format!(
            "a message could not be sent; nothing was changed: {e}"
        )),
    }
}

/// Where a person goes after signing in: where they were going, else their role's home.
fn landing(next: Option<String>, role: Role) -> String {
    next.and_then(|n| app::ui::pages::safe_next(&n))
        .filter(|n| !n.starts_with("/sign-in"))
        .unwrap_or_else(|| match role {
            Role::Submitter => "/my-economy".into(),
            Role::Admin => "/admin/nominations".into(),
            Role::Assessor => "/assess".into(),
        })
}

async fn sign_in(
    State(state): State<AppState>,
    session: Session,
    req: Request<Body>,
) -> Result<Response, Reply> {
    let (parts, body) = req.into_parts();
    let fields = read_form(body).await?;
    let get = |k: &str| fields.get(k).cloned().unwrap_or_default();
    let addr = address(&state, &parts);
    let ok = accounts::check_password(&state.pool, &get("email"), &get("password"), &addr)
        .await
        .map_err(|e| problem(&fields, e))?;
    // A new session id at every sign-in (no fixation).
    let _ = session.cycle_id().await;
    let _ = session.remove::<i64>(USER).await;
    if !ok.needs_code {
        complete_sign_in(&state, &session, &ok.user, &addr).await;
        return Ok(redirect(&landing(Some(get("next")), ok.user.role)));
    }
    let _ = session.insert(PENDING, ok.user.id).await;
    let _ = session.insert(PENDING_AT, app::auth::unix_now()).await;
    let _ = session.insert(NEXT, get("next")).await;
    match accounts::has_second_factor(&state.pool, ok.user.id).await {
        Ok(false) => {
            // Only with the enrolment link sent to them (opened in this browser).
            let token = session.get::<String>(ENROL_TOKEN).await.ok().flatten();
            let valid = match &token {
                Some(t) => accounts::valid_token(&state.pool, t, "enrol")
                    .await
                    .ok()
                    .flatten()
                    .is_some_and(|t| t.email == ok.user.email),
                None => false,
            };
            if !valid {
                end_pending(&session).await;
                return Err(problem(
                    &fields,
                    AccountError::Forbidden(
                        "Your account has no authenticator app. Open the link in the message we sent you to set one up, or ask an admin for a new link".into(),
                    ),
                ));
            }
            let _ = session
                .insert(ENROL_SECRET, app::auth::new_totp_secret())
                .await;
        }
        _ => {
            let _ = session.remove::<String>(ENROL_SECRET).await;
        }
    }
    Ok(redirect("/sign-in/code"))
}

async fn complete_sign_in(state: &AppState, session: &Session, user: &CurrentUser, addr: &str) {
    end_pending(session).await;
    let _ = session.remove::<String>(ENROL_TOKEN).await;
    let _ = session.insert(USER, user.id).await;
    let _ = session.insert(SIGNED_IN_AT, app::auth::unix_now()).await;
    if let Err(e) = accounts::record_sign_in(&state.pool, user, addr).await {
        tracing::error!(error = %e, "could not record a sign-in in the audit log");
    }
    tracing::info!(email = user.email, role = %user.role, "signed in");
}

async fn sign_in_code(
    State(state): State<AppState>,
    session: Session,
    req: Request<Body>,
) -> Result<Response, Reply> {
    let (parts, body) = req.into_parts();
    let fields = read_form(body).await?;
    let code = fields.get("code").cloned().unwrap_or_default();
    // The session layer already ended a half-finished sign-in that is too old or whose
    // account was disabled; `identify` put what is left in `SessionInfo`.
    let live = parts
        .extensions
        .get::<app::ui::session::SessionInfo>()
        .is_some_and(|i| i.pending_email.is_some());
    let Ok(Some(pending)) = session.get::<i64>(PENDING).await else {
        return Ok(redirect("/sign-in"));
    };
    if !live {
        end_pending(&session).await;
        return Ok(redirect("/sign-in"));
    }
    let enrol = session.get::<String>(ENROL_SECRET).await.ok().flatten();
    let addr = address(&state, &parts);
    let result = match &enrol {
        Some(secret) => {
            let token = session
                .get::<String>(ENROL_TOKEN)
                .await
                .ok()
                .flatten()
                .unwrap_or_default();
            accounts::enrol_at_sign_in(&state.pool, pending, &token, secret, &code).await
        }
        None => accounts::check_code(&state.pool, pending, &code, &addr)
            .await
            .map(|()| Vec::new()),
    };
    let codes = match result {
        Ok(codes) => codes,
        Err(e @ (AccountError::Limited { .. } | AccountError::Gone(_))) => {
            // Too many wrong codes, or a used enrolment link: start again from the password.
            end_pending(&session).await;
            let mut fields = fields;
            fields.remove("code");
            return Err(problem(&fields, e).at("/sign-in"));
        }
        Err(e) => return Err(problem(&fields, e)),
    };
    let Ok(Some(user)) = accounts::active_user(&state.pool, pending).await else {
        return Ok(redirect("/sign-in"));
    };
    let next = session.get::<String>(NEXT).await.ok().flatten();
    let _ = session.cycle_id().await;
    complete_sign_in(&state, &session, &user, &addr).await;
    if codes.is_empty() {
        return Ok(redirect(&landing(next, user.role)));
    }
    // Recovery codes are shown once, now, on the account page.
    let mut parts = parts;
    parts.uri = "/account".parse().expect("a path");
    parts.extensions.insert(user);
    let form = FormState {
        notice: Some("Your authenticator app is set up and you are signed in.".into()),
        secrets: codes,
        ..FormState::default()
    };
    Ok(render(&state, parts, form, false).await)
}

/// A one-time link to set up a new authenticator app (sent when an admin reset the old one):
/// kept in this browser's session, then the person signs in with their password.
async fn enrol_link(
    State(state): State<AppState>,
    session: Session,
    Path(token): Path<String>,
) -> Response {
    match accounts::valid_token(&state.pool, &token, "enrol").await {
        Ok(Some(_)) => {
            let _ = session.insert(ENROL_TOKEN, token).await;
            let _ = session
                .insert(
                    FLASH,
                    "Sign in with your password to set up your new authenticator app.".to_string(),
                )
                .await;
            redirect("/sign-in")
        }
        Ok(None) => {
            let _ = session
                .insert(
                    FLASH,
                    "This link to set up an authenticator app has been used or has expired. Ask an admin for a new one.".to_string(),
                )
                .await;
            redirect("/sign-in")
        }
        Err(e) => {
            tracing::error!(error = %e, "enrolment link check failed");
            crate::kit::error_response()
        }
    }
}

async fn sign_out(session: Session, user: Option<Extension<CurrentUser>>) -> Response {
    if let Some(Extension(u)) = user {
        tracing::info!(email = u.email, "signed out");
    }
    let _ = session.flush().await;
    redirect("/")
}

async fn reset_password(State(state): State<AppState>, req: Request<Body>) -> Result<Reply, Reply> {
    let (parts, body) = req.into_parts();
    let fields = read_form(body).await?;
    let get = |k: &str| fields.get(k).cloned().unwrap_or_default();
    let token = get("token");
    if token.is_empty() {
        form_limit(&state, parts, &fields, "reset-password", "email").await?;
        accounts::request_reset(&state.pool, &get("email"))
            .await
            .map_err(|e| problem(&fields, e))?;
        return Ok(Reply::again(FormState::notice(format!(
            "If {} has an account, we have sent it a link to set a new password. The link works once, for 1 hour.",
            get("email").trim()
        ))));
    }
    accounts::reset_password(&state.pool, &token, &get("password"), &get("confirm"))
        .await
        .map_err(|e| {
            problem(&fields, e).at(&format!("/reset-password?token={}", urlencode(&token)))
        })?;
    Ok(Reply::again_at(
        "/sign-in",
        FormState::notice("Your password has been set. Sign in with it now."),
    ))
}

async fn accept_invitation(
    State(state): State<AppState>,
    Path(token): Path<String>,
    FormFields(fields): FormFields,
) -> Result<Reply, Reply> {
    let get = |k: &str| fields.get(k).map(String::as_str);
    let (_user, codes) = accounts::accept_invitation(
        &state.pool,
        &token,
        get("password").unwrap_or_default(),
        get("confirm").unwrap_or_default(),
        get("secret"),
        get("code"),
    )
    .await
    .map_err(|e| problem(&fields, e))?;
    Ok(Reply::again(FormState {
        notice: Some("Your account is ready.".into()),
        secrets: codes,
        ..FormState::default()
    }))
}

async fn account(
    State(state): State<AppState>,
    session: Session,
    Extension(user): Extension<CurrentUser>,
    FormFields(fields): FormFields,
) -> Result<Reply, Reply> {
    let get = |k: &str| fields.get(k).cloned().unwrap_or_default();
    let pool = &state.pool;
    if get("action") == "email-preferences" {
        use crate::reply::OrBack;
        app::mail::set_preferences(pool, &user, &get("reminders"), &get("publications"))
            .await
            .or_back("/account", crate::kit::keep(&fields))?;
        return Ok(Reply::back(
            "/account#email",
            "Your email preferences have been saved.",
        ));
    }
    let result = match get("action").as_str() {
        "password" => accounts::change_password(
            pool,
            &user,
            &get("current"),
            &get("password"),
            &get("confirm"),
        )
        .await
        .map(|()| {
            (
                Some("Your password has been changed. You have been signed out everywhere else."),
                Vec::new(),
            )
        }),
        "email" => accounts::change_email(pool, &user, &get("current"), &get("email"))
            .await
            .map(|()| (Some("Your email address has been changed."), Vec::new())),
        "second-factor" if user.role.is_staff() => accounts::enrol_second_factor(
            pool,
            &user,
            &get("current"),
            &get("secret"),
            &get("code"),
        )
        .await
        .map(|codes| (None, codes)),
        _ => return Err(Reply::status(StatusCode::BAD_REQUEST)),
    };
    let (notice, codes) = result.map_err(|e| {
        let mut fields = fields.clone();
        fields.entry("action".into()).or_default();
        problem(&fields, e)
    })?;
    match notice {
        Some(notice) => {
            if get("action") == "password" {
                // Every session of the person was ended with the change: this one goes on
                // under a new id.
                let _ = session.cycle_id().await;
            }
            Ok(Reply::back("/account", notice))
        }
        None => Ok(Reply::again(FormState {
            notice: Some(
                "Your new authenticator app is set up. Your old recovery codes no longer work."
                    .into(),
            ),
            secrets: codes,
            ..FormState::default()
        })),
    }
}
