//! Form posts: plain HTML forms that work without JavaScript. Success redirects (303, post/
//! redirect/get) with a one-time notice; a problem shows the same page again with the
//! NHS.UK error summary and the values given (never passwords), with status 422.

use app::accounts::{self, AccountError};
use app::domain::account::{CurrentUser, Role};
use app::state::AppState;
use app::ui::session::FormState;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, request::Parts, HeaderValue, Request, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Extension, Router};
use tower_sessions::Session;

use crate::session::{
    end_pending, ENROL_SECRET, ENROL_TOKEN, FLASH, NEXT, PENDING, PENDING_AT, SIGNED_IN_AT, USER,
};

use crate::kit::{
    address, again, form_limit, keep, read_form, redirect, render, urlencode, Fields,
};

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

/// Turns an account error into the form shown again (or a refusal page).
pub(super) async fn problem(
    state: &AppState,
    parts: Parts,
    fields: &Fields,
    e: AccountError,
) -> Response {
    match e {
        AccountError::Field { field, message } => {
            again(
                state,
                parts,
                FormState::error(field, message).with_values(keep(fields)),
            )
            .await
        }
        AccountError::Limited {
            retry_after,
            message,
        } => {
            let field = if fields.contains_key("code") {
                "code"
            } else {
                "email"
            };
            let form = FormState::error(field, message).with_values(keep(fields));
            let mut res = render(state, parts, form, false).await;
            *res.status_mut() = StatusCode::TOO_MANY_REQUESTS;
            res.headers_mut().insert(
                header::RETRY_AFTER,
                HeaderValue::from_str(&retry_after.to_string()).expect("digits"),
            );
            res
        }
        AccountError::Gone(message) => {
            let field = if fields.contains_key("password") {
                "password"
            } else {
                "email"
            };
            let mut res = again(state, parts, FormState::error(field, message)).await;
            *res.status_mut() = StatusCode::GONE;
            res
        }
        AccountError::Forbidden(message) => {
            let field = if fields.contains_key("email") {
                "email"
            } else {
                "password"
            };
            let mut res = again(state, parts, FormState::error(field, message)).await;
            *res.status_mut() = StatusCode::FORBIDDEN;
            res
        }
        AccountError::Db(e) => {
            tracing::error!(error = %e, "database error in a form post");
            crate::kit::error_response()
        }
        AccountError::Mail(e) => {
            tracing::error!(error = %e, "a message could not be sent; nothing was changed");
            crate::kit::error_response()
        }
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

async fn sign_in(State(state): State<AppState>, session: Session, req: Request<Body>) -> Response {
    let (parts, body) = req.into_parts();
    let fields = match read_form(body).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let get = |k: &str| fields.get(k).cloned().unwrap_or_default();
    let addr = address(&state, &parts);
    match accounts::check_password(&state.pool, &get("email"), &get("password"), &addr).await {
        Ok(ok) => {
            // A new session id at every sign-in (no fixation).
            let _ = session.cycle_id().await;
            let _ = session.remove::<i64>(USER).await;
            if ok.needs_code {
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
                            return problem(
                                &state,
                                parts,
                                &fields,
                                AccountError::Forbidden(
                                    "Your account has no authenticator app. Open the link in the message we sent you to set one up, or ask an admin for a new link".into(),
                                ),
                            )
                            .await;
                        }
                        let _ = session
                            .insert(ENROL_SECRET, app::auth::new_totp_secret())
                            .await;
                    }
                    _ => {
                        let _ = session.remove::<String>(ENROL_SECRET).await;
                    }
                }
                redirect("/sign-in/code")
            } else {
                complete_sign_in(&state, &session, &ok.user, &addr).await;
                redirect(&landing(Some(get("next")), ok.user.role))
            }
        }
        Err(e) => problem(&state, parts, &fields, e).await,
    }
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
) -> Response {
    let (parts, body) = req.into_parts();
    let fields = match read_form(body).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let code = fields.get("code").cloned().unwrap_or_default();
    // The session layer already ended a half-finished sign-in that is too old or whose
    // account was disabled; `identify` put what is left in `SessionInfo`.
    let live = parts
        .extensions
        .get::<app::ui::session::SessionInfo>()
        .is_some_and(|i| i.pending_email.is_some());
    let Ok(Some(pending)) = session.get::<i64>(PENDING).await else {
        return redirect("/sign-in");
    };
    if !live {
        end_pending(&session).await;
        return redirect("/sign-in");
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
    match result {
        Ok(codes) => {
            let Ok(Some(user)) = accounts::active_user(&state.pool, pending).await else {
                return redirect("/sign-in");
            };
            let next = session.get::<String>(NEXT).await.ok().flatten();
            let _ = session.cycle_id().await;
            complete_sign_in(&state, &session, &user, &addr).await;
            if codes.is_empty() {
                redirect(&landing(next, user.role))
            } else {
                // Recovery codes are shown once, now, on the account page.
                let mut parts = parts;
                parts.uri = "/account".parse().expect("a path");
                parts.extensions.insert(user);
                let form = FormState {
                    notice: Some("Your authenticator app is set up and you are signed in.".into()),
                    secrets: codes,
                    ..FormState::default()
                };
                render(&state, parts, form, false).await
            }
        }
        Err(e @ (AccountError::Limited { .. } | AccountError::Gone(_))) => {
            // Too many wrong codes, or a used enrolment link: start again from the password.
            end_pending(&session).await;
            let mut parts = parts;
            parts.uri = "/sign-in".parse().expect("a path");
            let mut fields = fields;
            fields.remove("code");
            problem(&state, parts, &fields, e).await
        }
        Err(e) => problem(&state, parts, &fields, e).await,
    }
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

async fn reset_password(State(state): State<AppState>, req: Request<Body>) -> Response {
    let (parts, body) = req.into_parts();
    let fields = match read_form(body).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let get = |k: &str| fields.get(k).cloned().unwrap_or_default();
    let token = get("token");
    if token.is_empty() {
        let parts = match form_limit(&state, parts, &fields, "reset-password", "email").await {
            Ok(p) => p,
            Err(res) => return res,
        };
        return match accounts::request_reset(&state.pool, &get("email"), &state.mailer).await {
            Ok(()) => {
                again(
                    &state,
                    parts,
                    FormState::notice(format!(
                        "If {} has an account, we have sent it a link to set a new password. The link works once, for 1 hour.",
                        get("email").trim()
                    )),
                )
                .await
            }
            Err(e) => problem(&state, parts, &fields, e).await,
        };
    }
    match accounts::reset_password(&state.pool, &token, &get("password"), &get("confirm")).await {
        Ok(()) => {
            let mut parts = parts;
            parts.uri = "/sign-in".parse().expect("a path");
            again(
                &state,
                parts,
                FormState::notice("Your password has been set. Sign in with it now."),
            )
            .await
        }
        Err(e) => {
            let mut parts = parts;
            parts.uri = format!("/reset-password?token={}", urlencode(&token))
                .parse()
                .unwrap_or_else(|_| "/reset-password".parse().expect("a path"));
            problem(&state, parts, &fields, e).await
        }
    }
}

async fn accept_invitation(
    State(state): State<AppState>,
    Path(token): Path<String>,
    req: Request<Body>,
) -> Response {
    let (parts, body) = req.into_parts();
    let fields = match read_form(body).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let get = |k: &str| fields.get(k).map(String::as_str);
    match accounts::accept_invitation(
        &state.pool,
        &token,
        get("password").unwrap_or_default(),
        get("confirm").unwrap_or_default(),
        get("secret"),
        get("code"),
    )
    .await
    {
        Ok((_user, codes)) => {
            let form = FormState {
                notice: Some("Your account is ready.".into()),
                secrets: codes,
                ..FormState::default()
            };
            again(&state, parts, form).await
        }
        Err(e) => problem(&state, parts, &fields, e).await,
    }
}

async fn account(
    State(state): State<AppState>,
    session: Session,
    Extension(user): Extension<CurrentUser>,
    req: Request<Body>,
) -> Response {
    let (parts, body) = req.into_parts();
    let fields = match read_form(body).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let get = |k: &str| fields.get(k).cloned().unwrap_or_default();
    let pool = &state.pool;
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
        _ => return crate::kit::status(StatusCode::BAD_REQUEST),
    };
    match result {
        Ok((Some(notice), _)) => {
            if get("action") == "password" {
                // Every session of the person was ended with the change: this one goes on
                // under a new id.
                let _ = session.cycle_id().await;
            }
            let _ = session.insert(FLASH, notice).await;
            redirect("/account")
        }
        Ok((None, codes)) => {
            let form = FormState {
                notice: Some(
                    "Your new authenticator app is set up. Your old recovery codes no longer work."
                        .into(),
                ),
                secrets: codes,
                ..FormState::default()
            };
            again(&state, parts, form).await
        }
        Err(e) => {
            let mut fields = fields;
            fields.entry("action".into()).or_default();
            problem(&state, parts, &fields, e).await
        }
    }
}
