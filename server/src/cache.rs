//! Public responses change only when a publication, a framework or an economy changes. So
//! every public GET gets an `ETag` derived from the database's content version, the
//! programme's today, the build and the address; a repeated request answers `304 Not
//! Modified`, and a rendered page is kept in memory, already compressed (gzip and brotli,
//! made once per version), and served again until the version moves. Several instances and
//! the command line stay correct because the version lives in the database; on SQLite it is
//! read again only when the write-ahead log's index shows a commit since the last read (a
//! 48-byte read of the `-shm` file, not a query), so a cached hit costs no database work.

use app::state::AppState;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::io::Write;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// Responses kept at most; the whole cache is dropped when it fills (versions move rarely).
const CAPACITY: usize = 512;
/// Largest body kept.
const MAX_BODY: usize = 4 * 1024 * 1024;

/// One cached response: its type and its body as is, gzipped and in brotli.
#[derive(Clone)]
struct Page {
    content_type: HeaderValue,
    identity: Bytes,
    gzip: Bytes,
    br: Bytes,
}

/// The content version and the SQLite commit stamp it was read at.
#[derive(Default)]
struct Seen {
    stamp: Option<[u8; 48]>,
    version: String,
}

#[derive(Clone)]
pub struct PageCache {
    pub app: AppState,
    build: Arc<str>,
    pages: Arc<Mutex<HashMap<String, Page>>>,
    /// SQLite's shared-memory WAL index (`<db>-shm`), whose header changes with every commit.
    shm: Option<Arc<PathBuf>>,
    seen: Arc<Mutex<Seen>>,
}

impl PageCache {
    pub fn new(app: AppState) -> Self {
        let shm = match app::db::backend(&app.pool) {
            app::db::Backend::Sqlite => {
                app::db::sqlite_path(app.pool.connect_options().database_url.as_str()).map(|p| {
                    let mut s = p.into_os_string();
                    s.push("-shm");
                    Arc::new(PathBuf::from(s))
                })
            }
            app::db::Backend::Postgres => None,
        };
        PageCache {
            app,
            build: build_id().into(),
            pages: Arc::default(),
            shm,
            seen: Arc::default(),
        }
    }

    /// The first 48 bytes of the WAL index: its header (commit counter, last frame, salts).
    fn stamp(&self) -> Option<[u8; 48]> {
        use std::io::Read;
        let mut f = std::fs::File::open(self.shm.as_deref()?).ok()?;
        let mut b = [0u8; 48];
        f.read_exact(&mut b).ok()?;
        Some(b)
    }

    /// The content version: read again only when something was committed since.
    async fn version(&self) -> sqlx::Result<String> {
        let stamp = self.stamp();
        if let Some(s) = stamp {
            let seen = self.seen.lock().expect("not poisoned");
            if seen.stamp == Some(s) {
                return Ok(seen.version.clone());
            }
        }
        // Read after the stamp: a commit in between only makes the next request read again.
        let version = app::db::content_version(&self.app.pool).await?;
        if stamp.is_some() {
            *self.seen.lock().expect("not poisoned") = Seen {
                stamp,
                version: version.clone(),
            };
        }
        Ok(version)
    }
}

/// The encodings a request accepts, best first: brotli, gzip, none (q=0 refuses one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Br,
    Gzip,
    Identity,
}

pub fn negotiate(headers: &HeaderMap) -> Encoding {
    let accept = headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect::<Vec<_>>()
        .join(",");
    let q = |name: &str| -> f32 {
        accept
            .split(',')
            .filter_map(|part| {
                let mut bits = part.split(';');
                let coding = bits.next()?.trim().to_ascii_lowercase();
                if coding != name && coding != "*" {
                    return None;
                }
                let q = bits
                    .find_map(|b| b.trim().strip_prefix("q=").map(str::to_string))
                    .and_then(|v| v.trim().parse::<f32>().ok())
                    .unwrap_or(1.0);
                Some((coding == name, q))
            })
            // An explicit entry wins over `*`.
            .max_by(|a, b| a.0.cmp(&b.0))
            .map_or(0.0, |(_, q)| q)
    };
    let (br, gzip) = (q("br"), q("gzip"));
    if br > 0.0 && br >= gzip {
        Encoding::Br
    } else if gzip > 0.0 {
        Encoding::Gzip
    } else {
        Encoding::Identity
    }
}

fn compress(bytes: &[u8]) -> (Bytes, Bytes) {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(9));
    gz.write_all(bytes).expect("writes to memory");
    let gzip = gz.finish().expect("writes to memory");
    let mut br = Vec::new();
    {
        let mut w = brotli::CompressorWriter::new(&mut br, 4096, 9, 22);
        w.write_all(bytes).expect("writes to memory");
    }
    (Bytes::from(gzip), Bytes::from(br))
}

fn respond(
    page: &Page,
    encoding: Encoding,
    etag: HeaderValue,
    cache_control: HeaderValue,
) -> Response {
    let (body, coding) = match encoding {
        Encoding::Br => (page.br.clone(), Some("br")),
        Encoding::Gzip => (page.gzip.clone(), Some("gzip")),
        Encoding::Identity => (page.identity.clone(), None),
    };
    let mut res = Response::new(Body::from(body));
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, page.content_type.clone());
    h.insert(header::ETAG, etag);
    h.insert(header::CACHE_CONTROL, cache_control);
    h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    if let Some(c) = coding {
        h.insert(header::CONTENT_ENCODING, HeaderValue::from_static(c));
    }
    res
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
        || path.starts_with("/nhsuk-init")
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
    let version = match cache.version().await {
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
                (header::VARY, HeaderValue::from_static("accept-encoding")),
            ],
        )
            .into_response();
    }
    let encoding = negotiate(req.headers());
    let cache_key = format!("{etag} {key}");
    let hit = cache
        .pages
        .lock()
        .expect("not poisoned")
        .get(&cache_key)
        .cloned();
    if let Some(page) = hit {
        return respond(&page, encoding, etag_value, cache_control);
    }
    let response = next.run(req).await;
    if response.status() != StatusCode::OK
        || response.headers().contains_key(header::CONTENT_ENCODING)
    {
        return response;
    }
    let (parts, body) = response.into_parts();
    let bytes = match axum::body::to_bytes(body, MAX_BODY).await {
        Ok(b) => b,
        Err(_) => {
            return (StatusCode::INTERNAL_SERVER_ERROR, "response too large").into_response();
        }
    };
    let Some(content_type) = parts.headers.get(header::CONTENT_TYPE).cloned() else {
        let mut parts = parts;
        parts.headers.insert(header::ETAG, etag_value);
        parts.headers.insert(header::CACHE_CONTROL, cache_control);
        return Response::from_parts(parts, Body::from(bytes));
    };
    // Compressed once for this version, off the async threads.
    let identity = bytes.clone();
    let (gzip, br) = tokio::task::spawn_blocking(move || compress(&identity))
        .await
        .expect("compression finishes");
    let page = Page {
        content_type,
        identity: bytes,
        gzip,
        br,
    };
    {
        let mut pages = cache.pages.lock().expect("not poisoned");
        if pages.len() >= CAPACITY {
            pages.clear();
        }
        pages.insert(cache_key, page.clone());
    }
    respond(&page, encoding, etag_value, cache_control)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accept(v: &str) -> Encoding {
        let mut h = HeaderMap::new();
        h.insert(header::ACCEPT_ENCODING, HeaderValue::from_str(v).unwrap());
        negotiate(&h)
    }

    #[test]
    fn encodings_are_negotiated_as_browsers_ask() {
        assert_eq!(accept("gzip, deflate, br, zstd"), Encoding::Br);
        assert_eq!(accept("gzip, deflate"), Encoding::Gzip);
        assert_eq!(accept("br;q=0, gzip"), Encoding::Gzip);
        assert_eq!(accept("br;q=0.5, gzip;q=0.8"), Encoding::Gzip);
        assert_eq!(accept("identity"), Encoding::Identity);
        assert_eq!(accept("*"), Encoding::Br);
        assert_eq!(accept("*;q=0, gzip"), Encoding::Gzip);
        assert_eq!(negotiate(&HeaderMap::new()), Encoding::Identity);
    }

    #[test]
    fn compressed_bodies_decompress_to_the_page() {
        use std::io::Read;
        let page = "<html>".repeat(1000);
        let (gzip, br) = compress(page.as_bytes());
        let mut out = String::new();
        flate2::read::GzDecoder::new(&gzip[..])
            .read_to_string(&mut out)
            .unwrap();
        assert_eq!(out, page);
        let mut out = String::new();
        brotli::Decompressor::new(&br[..], 4096)
            .read_to_string(&mut out)
            .unwrap();
        assert_eq!(out, page);
        assert!(br.len() < page.len() / 10);
    }
}
