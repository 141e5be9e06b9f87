//! Sessions: tower-sessions with its records in the database (so several instances share
//! them), and the middleware that says who is signed in.
//!
//! The cookie is `HttpOnly`, `SameSite=Lax`, `Secure` when the public URL is https. Sessions
//! end after 30 minutes idle (tower-sessions' inactivity expiry) and 12 hours after sign-in
//! (checked here). The stored id is the SHA-256 of the cookie's, and each record carries its
//! user id, so disabling an account or an admin ends every session of a person at once.

use app::db::{self, Pool};
use app::domain::account::CurrentUser;
use app::state::AppState;
use async_trait::async_trait;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use tower_sessions::cookie::SameSite;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{Error, Result};
use tower_sessions::{Expiry, Session, SessionManagerLayer, SessionStore};

pub const COOKIE: &str = "exemplar_session";
pub const IDLE_MINUTES: i64 = 30;
pub const ABSOLUTE_HOURS: i64 = 12;

/// Session keys.
pub const USER: &str = "user";
pub const SIGNED_IN_AT: &str = "signed_in_at";
/// A person who gave their password and must still give a one-time code.
pub const PENDING: &str = "pending";
/// When they gave it (unix seconds): a half-finished sign-in lasts `PENDING_MINUTES`.
pub const PENDING_AT: &str = "pending_at";
pub const PENDING_MINUTES: i64 = 10;
/// The one-time enrolment link (token) a person whose authenticator app was reset opened.
pub const ENROL_TOKEN: &str = "enrol_token";
/// The secret shown to board staff enrolling an authenticator app at sign-in.
pub const ENROL_SECRET: &str = "enrol_secret";
/// Where to go after signing in.
pub const NEXT: &str = "next";
/// A notice shown once, on the next page.
pub const FLASH: &str = "flash";

#[derive(Debug, Clone)]
pub struct DbStore {
    pool: Pool,
}

fn key(id: &Id) -> String {
    app::audit::sha256_hex(id.to_string().as_bytes())
}

fn backend(e: sqlx::Error) -> Error {
    Error::Backend(e.to_string())
}

fn parts(record: &Record) -> Result<(String, Option<i64>, String, i64)> {
    let data = serde_json::to_string(&record.data).map_err(|e| Error::Encode(e.to_string()))?;
    // A half-finished sign-in belongs to its person too, so ending their sessions ends it.
    let user = record
        .data
        .get(USER)
        .or_else(|| record.data.get(PENDING))
        .and_then(|v| v.as_i64());
    Ok((
        key(&record.id),
        user,
        data,
        record.expiry_date.unix_timestamp(),
    ))
}

#[async_trait]
impl SessionStore for DbStore {
    async fn create(&self, record: &mut Record) -> Result<()> {
        loop {
            let (id, user, data, expires) = parts(record)?;
            if db::session_create(&self.pool, &id, user, &data, expires)
                .await
                .map_err(backend)?
            {
                return Ok(());
            }
            record.id = Id::default();
        }
    }

    async fn save(&self, record: &Record) -> Result<()> {
        let (id, user, data, expires) = parts(record)?;
        db::session_save(&self.pool, &id, user, &data, expires)
            .await
            .map_err(backend)
    }

    async fn load(&self, id: &Id) -> Result<Option<Record>> {
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        let Some((data, expires)) = db::session_load(&self.pool, &key(id), now)
            .await
            .map_err(backend)?
        else {
            return Ok(None);
        };
        Ok(Some(Record {
            id: *id,
            data: serde_json::from_str(&data).map_err(|e| Error::Decode(e.to_string()))?,
            expiry_date: time::OffsetDateTime::from_unix_timestamp(expires)
                .map_err(|e| Error::Decode(e.to_string()))?,
        }))
    }

    async fn delete(&self, id: &Id) -> Result<()> {
        db::session_delete(&self.pool, &key(id))
            .await
            .map_err(backend)
    }
}

/// Over https the cookie takes the `__Host-` prefix: the browser then keeps it only if it is
/// `Secure`, for `/`, with no `Domain`, so no other host can set or shadow it.
pub const HOST_COOKIE: &str = "__Host-exemplar_session";

pub fn cookie_name(state: &AppState) -> &'static str {
    if state.public_url.starts_with("https://") {
        HOST_COOKIE
    } else {
        COOKIE
    }
}

pub fn layer(state: &AppState) -> SessionManagerLayer<DbStore> {
    SessionManagerLayer::new(DbStore {
        pool: state.pool.clone(),
    })
    .with_name(cookie_name(state))
    .with_http_only(true)
    .with_same_site(SameSite::Lax)
    .with_secure(state.public_url.starts_with("https://"))
    .with_path("/")
    .with_expiry(Expiry::OnInactivity(time::Duration::minutes(IDLE_MINUTES)))
    // Every request of a signed-in person moves the stored expiry on (idle time-out).
    .with_always_save(true)
}

/// Ends a half-finished sign-in (the password was given, the code not yet).
pub async fn end_pending(session: &Session) {
    let _ = session.remove::<i64>(PENDING).await;
    let _ = session.remove::<i64>(PENDING_AT).await;
    let _ = session.remove::<String>(ENROL_SECRET).await;
    let _ = session.remove::<String>(NEXT).await;
}

/// What pages need of the session besides the person: see `app::ui::session`.
pub use app::ui::session::SessionInfo;

/// Says who is signed in: puts `CurrentUser` (and `SessionInfo`) in the request's
/// extensions for the access rules, handlers and pages; ends sessions past their absolute
/// time-out or of a disabled account; marks every response to a signed-in person
/// `Cache-Control: no-store`.
pub async fn identify(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let session = req.extensions().get::<Session>().cloned();
    let mut user: Option<CurrentUser> = None;
    let mut info = SessionInfo::default();
    if let Some(session) = &session {
        if let Ok(Some(id)) = session.get::<i64>(USER).await {
            let signed_in_at = session.get::<i64>(SIGNED_IN_AT).await.ok().flatten();
            let fresh =
                signed_in_at.is_some_and(|t| app::auth::unix_now() - t < ABSOLUTE_HOURS * 3600);
            match app::accounts::active_user(&state.pool, id).await {
                Ok(Some(u)) if fresh => user = Some(u),
                Ok(_) => {
                    tracing::info!(user = id, "session ended (time-out or disabled account)");
                    let _ = session.flush().await;
                }
                Err(e) => tracing::error!(error = %e, "could not check the session's account"),
            }
        }
        if user.is_none() {
            if let Ok(Some(id)) = session.get::<i64>(PENDING).await {
                let at = session.get::<i64>(PENDING_AT).await.ok().flatten();
                let fresh = at.is_some_and(|t| app::auth::unix_now() - t < PENDING_MINUTES * 60);
                match db::user_by_id(&state.pool, id).await {
                    Ok(Some(u)) if fresh && !u.disabled => {
                        info.pending_email = Some(u.email);
                        info.enrol_secret =
                            session.get::<String>(ENROL_SECRET).await.ok().flatten();
                    }
                    Ok(_) => {
                        tracing::info!(
                            user = id,
                            "half-finished sign-in ended (time-out or disabled account)"
                        );
                        end_pending(session).await;
                    }
                    Err(e) => {
                        tracing::error!(error = %e, "could not check a half-finished sign-in")
                    }
                }
            }
        }
        if req.method() == axum::http::Method::GET {
            info.flash = session.remove::<String>(FLASH).await.ok().flatten();
            if let Some(u) = user
                .as_ref()
                .filter(|u| u.role == app::domain::account::Role::Submitter)
            {
                match app::submissions::unread_messages(&state.pool, u).await {
                    Ok(n) => info.unread = n,
                    Err(e) => tracing::error!(error = %e, "could not count unread messages"),
                }
            }
        }
    }
    let private = user.is_some() || info != SessionInfo::default();
    if let Some(u) = user {
        req.extensions_mut().insert(u);
    }
    req.extensions_mut().insert(info);
    let mut res = next.run(req).await;
    if private {
        res.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        res.headers_mut().remove(header::ETAG);
    }
    res
}
