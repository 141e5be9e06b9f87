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
    let user = record.data.get(USER).and_then(|v| v.as_i64());
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

pub fn layer(state: &AppState) -> SessionManagerLayer<DbStore> {
    SessionManagerLayer::new(DbStore {
        pool: state.pool.clone(),
    })
    .with_name(COOKIE)
    .with_http_only(true)
    .with_same_site(SameSite::Lax)
    .with_secure(state.public_url.starts_with("https://"))
    .with_path("/")
    .with_expiry(Expiry::OnInactivity(time::Duration::minutes(IDLE_MINUTES)))
    // Every request of a signed-in person moves the stored expiry on (idle time-out).
    .with_always_save(true)
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
                info.pending_email = db::user_by_id(&state.pool, id)
                    .await
                    .ok()
                    .flatten()
                    .map(|u| u.email);
                info.enrol_secret = session.get::<String>(ENROL_SECRET).await.ok().flatten();
            }
        }
        if req.method() == axum::http::Method::GET {
            info.flash = session.remove::<String>(FLASH).await.ok().flatten();
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
