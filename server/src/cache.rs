//! Public responses change only when a publication, a framework or an economy changes. So
//! every public GET without a session cookie gets an `ETag` derived from the database's content version, the
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

/// One cached response, ready to send: for each encoding the headers as the layers inside
/// made them (security headers included) with the ETag, caching and encoding headers added,
/// and the body; a hit only clones them.
struct Page {
    /// The hash the ETag shows: version, today, demo, build and address.
    tag: u64,
    etag: HeaderValue,
    br: Variant,
    gzip: Variant,
    identity: Variant,
    /// The headers of a `304 Not Modified` answer.
    not_modified: HeaderMap,
}

struct Variant {
    headers: HeaderMap,
    body: Bytes,
}

/// The content version and the SQLite commit stamp it was read at.
#[derive(Default)]
struct Seen {
    stamp: Option<[u8; 48]>,
    version: Arc<str>,
}

#[derive(Clone)]
pub struct PageCache {
    pub app: AppState,
    build: Arc<str>,
    /// Each address's page, with the ETag it was made for (a page of an older version is
    /// simply replaced).
    pages: Arc<Mutex<HashMap<String, Arc<Page>>>>,
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
    async fn version(&self) -> sqlx::Result<Arc<str>> {
        let stamp = self.stamp();
        if let Some(s) = stamp {
            let seen = self.seen.lock().expect("not poisoned");
            if seen.stamp == Some(s) {
                return Ok(seen.version.clone());
            }
        }
        // Read after the stamp: a commit in between only makes the next request read again.
        let version: Arc<str> = app::db::content_version(&self.app.pool).await?.into();
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
    // The q of each coding named, the last entry for it winning; an explicit entry wins over
    // `*`. Read in place: this runs on every cached hit.
    let (mut br, mut gzip, mut star) = (None, None, None);
    for value in headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
    {
        for part in value.split(',') {
            let mut bits = part.split(';');
            let coding = bits.next().unwrap_or_default().trim();
            let slot = if coding.eq_ignore_ascii_case("br") {
                &mut br
            } else if coding.eq_ignore_ascii_case("gzip") {
                &mut gzip
            } else if coding == "*" {
                &mut star
            } else {
                continue;
            };
            *slot = Some(
                bits.find_map(|b| b.trim().strip_prefix("q="))
                    .and_then(|v| v.trim().parse::<f32>().ok())
                    .unwrap_or(1.0),
            );
        }
    }
    let q = |explicit: Option<f32>| explicit.or(star).unwrap_or(0.0);
    let (br, gzip) = (q(br), q(gzip));
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

/// Caching headers for a cached page: anyone may keep it, but must ask again (a `304` when
/// nothing changed).
const CACHE_CONTROL: HeaderValue = HeaderValue::from_static("public, no-cache");

impl Page {
    /// Made once per page and version: the answer for each encoding, headers and all.
    fn new(tag: u64, etag: HeaderValue, mut headers: HeaderMap, identity: Bytes) -> Page {
        for h in [
            header::CONTENT_LENGTH,
            header::TRANSFER_ENCODING,
            header::ETAG,
            header::CACHE_CONTROL,
            header::VARY,
        ] {
            headers.remove(h);
        }
        headers.insert(header::ETAG, etag.clone());
        headers.insert(header::CACHE_CONTROL, CACHE_CONTROL);
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        let mut not_modified = headers.clone();
        not_modified.remove(header::CONTENT_TYPE);
        let (gzip, br) = compress(&identity);
        let encoded = |body: Bytes, coding: &'static str| {
            let mut h = headers.clone();
            h.insert(header::CONTENT_ENCODING, HeaderValue::from_static(coding));
            Variant { headers: h, body }
        };
        Page {
            tag,
            etag,
            br: encoded(br, "br"),
            gzip: encoded(gzip, "gzip"),
            identity: Variant {
                headers,
                body: identity,
            },
            not_modified,
        }
    }
}

fn respond(page: &Page, encoding: Encoding) -> Response {
    let v = match encoding {
        Encoding::Br => &page.br,
        Encoding::Gzip => &page.gzip,
        Encoding::Identity => &page.identity,
    };
    let mut res = Response::new(Body::from(v.body.clone()));
    *res.headers_mut() = v.headers.clone();
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
        || path.starts_with("/enrol/")
        || path.starts_with("/account")
        || path.starts_with("/admin/")
        // Values change without a publication: never cached.
        || path.starts_with("/open-data/values"))
}

/// Whether the request carries the session cookie (of anyone signed in, half-way through
/// signing in, or signed out since): such requests are never cached nor served from cache.
fn has_session_cookie(req: &Request, name: &str) -> bool {
    req.headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .any(|c| c.trim_start().split('=').next() == Some(name))
}

/// The outermost layer but the request log: a public page asked for without a session is
/// answered from memory before any other layer runs (sessions, access, security headers:
/// their work is in the kept headers, as it was for the first request).
pub async fn middleware(State(cache): State<PageCache>, mut req: Request, next: Next) -> Response {
    if !matches!(*req.method(), Method::GET | Method::HEAD)
        || !cacheable(req.uri().path())
        || has_session_cookie(&req, crate::session::cookie_name(&cache.app))
    {
        return next.run(req).await;
    }
    let version = match cache.version().await {
        Ok(v) => v,
        // Without a version nothing can be cached safely: answer fresh.
        Err(_) => return next.run(req).await,
    };
    let if_none_match = req.headers().get(header::IF_NONE_MATCH).cloned();
    let encoding = negotiate(req.headers());
    // Found without allocating: the address as asked, and the hash the ETag shows.
    let (tag, hit) = {
        let key = req
            .uri()
            .path_and_query()
            .map_or_else(|| req.uri().path(), |p| p.as_str());
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        (
            &*version,
            cache.app.today(),
            cache.app.demo,
            &*cache.build,
            key,
        )
            .hash(&mut hasher);
        let tag = hasher.finish();
        let hit = cache
            .pages
            .lock()
            .expect("not poisoned")
            .get(key)
            .filter(|page| page.tag == tag)
            .cloned();
        (tag, hit)
    };
    if let Some(page) = hit {
        crate::metrics::page_cache(crate::metrics::Cache::Hit);
        if revalidates(if_none_match.as_ref(), &page.etag) {
            return not_modified(&page);
        }
        return respond(&page, encoding);
    }
    let key = req
        .uri()
        .path_and_query()
        .map_or_else(|| req.uri().path().to_string(), |p| p.as_str().to_string());
    let etag = HeaderValue::from_str(&format!("W/\"{tag:016x}\"")).expect("an ETag is ASCII");
    let revalidating = revalidates(if_none_match.as_ref(), &etag);
    crate::metrics::page_cache(crate::metrics::Cache::Miss);
    // The page is made once, uncompressed; this layer compresses it for every later request.
    req.headers_mut().remove(header::ACCEPT_ENCODING);
    req.headers_mut().remove(header::IF_NONE_MATCH);
    let response = next.run(req).await;
    let keep = response.status() == StatusCode::OK
        && !response.headers().contains_key(header::CONTENT_ENCODING)
        && !response.headers().contains_key(header::SET_COOKIE)
        && response.headers().contains_key(header::CONTENT_TYPE)
        && !response
            .headers()
            .get(header::CACHE_CONTROL)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("no-store") || v.contains("private"));
    if !keep {
        return response;
    }
    let (parts, body) = response.into_parts();
    let bytes = match axum::body::to_bytes(body, MAX_BODY).await {
        Ok(b) => b,
        Err(_) => {
            return (StatusCode::INTERNAL_SERVER_ERROR, "response too large").into_response();
        }
    };
    // Compressed once for this version, off the async threads.
    let page = Arc::new(
        tokio::task::spawn_blocking(move || Page::new(tag, etag, parts.headers, bytes))
            .await
            .expect("compression finishes"),
    );
    {
        let mut pages = cache.pages.lock().expect("not poisoned");
        if pages.len() >= CAPACITY {
            pages.clear();
        }
        pages.insert(key, page.clone());
    }
    if revalidating {
        return not_modified(&page);
    }
    respond(&page, encoding)
}

/// Whether `If-None-Match` names this ETag (or `*`).
fn revalidates(if_none_match: Option<&HeaderValue>, etag: &HeaderValue) -> bool {
    let etag = etag.to_str().unwrap_or_default();
    if_none_match
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"))
}

/// `304 Not Modified` with the headers the full answer would carry, but its body's.
fn not_modified(page: &Page) -> Response {
    let mut res = StatusCode::NOT_MODIFIED.into_response();
    *res.headers_mut() = page.not_modified.clone();
    res
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
