//! Public responses change only when a publication, a framework or an economy changes. So
//! every public GET gets an `ETag` derived from the database's content version (one cheap
//! query), the programme's today, the build and the address; a repeated request answers
//! `304 Not Modified`, and a rendered page is kept in memory and served again until the
//! version moves. Several instances stay correct because the version lives in the database.

use app::state::AppState;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex};

/// Responses kept at most; the whole cache is dropped when it fills (versions move rarely).
const CAPACITY: usize = 512;
/// Largest body kept.
const MAX_BODY: usize = 4 * 1024 * 1024;

#[derive(Clone)]
pub struct PageCache {
    pub app: AppState,
    build: Arc<str>,
    pages: Arc<Mutex<HashMap<String, (HeaderValue, Bytes)>>>,
}

impl PageCache {
    pub fn new(app: AppState) -> Self {
        PageCache {
            app,
            build: build_id().into(),
            pages: Arc::default(),
        }
    }
}

/// Identifies the running build, so a new release never serves an old page's ETag.
fn build_id() -> String {
    let exe = std::env::current_exe()
        .and_then(std::fs::metadata)
        .map(|m| format!("{}-{:?}", m.len(), m.modified().ok()))
        .unwrap_or_default();
    format!("{}-{exe}", env!("CARGO_PKG_VERSION"))
}

/// Paths whose responses depend on the request alone, never on who asks.
fn cacheable(path: &str) -> bool {
    !(path.starts_with("/_fn/")
        || path.starts_with("/pkg/")
        || path.starts_with("/nhsuk/")
        || path.starts_with("/assets/")
        || path == "/healthz"
        || path == "/readyz"
        || path == "/favicon.ico"
        || path == "/nhsuk-init.js"
        // Accounts and administration: personal, never cached.
        || path.starts_with("/sign-in")
        || path.starts_with("/reset-password")
        || path.starts_with("/invitations/")
        || path.starts_with("/account")
        || path.starts_with("/admin/")
        // Values change without a publication: never cached.
        || path.starts_with("/open-data/values"))
}

pub async fn middleware(State(cache): State<PageCache>, req: Request, next: Next) -> Response {
    // Responses to signed-in people (or mid-sign-in) are never cached nor served from cache.
    let personal = req
        .extensions()
        .get::<app::domain::account::CurrentUser>()
        .is_some()
        || req
            .extensions()
            .get::<app::ui::session::SessionInfo>()
            .is_some_and(|i| *i != app::ui::session::SessionInfo::default());
    if personal
        || !matches!(*req.method(), Method::GET | Method::HEAD)
        || !cacheable(req.uri().path())
    {
        return next.run(req).await;
    }
    let version = match app::db::content_version(&cache.app.pool).await {
        Ok(v) => v,
        // Without a version nothing can be cached safely: answer fresh.
        Err(_) => return next.run(req).await,
    };
    let key = req.uri().to_string();
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    (
        &version,
        cache.app.today(),
        cache.app.demo,
        &*cache.build,
        &key,
    )
        .hash(&mut hasher);
    let etag = format!("W/\"{:016x}\"", hasher.finish());
    let etag_value = HeaderValue::from_str(&etag).expect("an ETag is ASCII");
    let cache_control = HeaderValue::from_static("public, no-cache");
    let matches = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    if matches {
        return (
            StatusCode::NOT_MODIFIED,
            [
                (header::ETAG, etag_value),
                (header::CACHE_CONTROL, cache_control),
            ],
        )
            .into_response();
    }
    let cache_key = format!("{etag} {key}");
    let hit = cache
        .pages
        .lock()
        .expect("not poisoned")
        .get(&cache_key)
        .cloned();
    if let Some((content_type, body)) = hit {
        return (
            [
                (header::CONTENT_TYPE, content_type),
                (header::ETAG, etag_value),
                (header::CACHE_CONTROL, cache_control),
            ],
            body,
        )
            .into_response();
    }
    let response = next.run(req).await;
    if response.status() != StatusCode::OK {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = match axum::body::to_bytes(body, MAX_BODY).await {
        Ok(b) => b,
        Err(_) => {
            return (StatusCode::INTERNAL_SERVER_ERROR, "response too large").into_response();
        }
    };
    if let Some(content_type) = parts.headers.get(header::CONTENT_TYPE).cloned() {
        let mut pages = cache.pages.lock().expect("not poisoned");
        if pages.len() >= CAPACITY {
            pages.clear();
        }
        pages.insert(cache_key, (content_type, bytes.clone()));
    }
    parts.headers.insert(header::ETAG, etag_value);
    parts.headers.insert(header::CACHE_CONTROL, cache_control);
    Response::from_parts(parts, Body::from(bytes))
}
