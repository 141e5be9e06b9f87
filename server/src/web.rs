//! The one router: pages, API, downloads, health checks, static files, and the layers every
//! response passes through. `main` and the tests build the app with `router`.

use app::state::AppState;
use app::{shell, App};
use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderValue, Request, Response, StatusCode};
use axum::response::IntoResponse;
use axum::Router;
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;

pub fn router(state: AppState) -> Router {
    // Leptos runs its async work on tokio (leptos_axum's default features did this for us).
    let _ = any_spawner::Executor::init_tokio();
    let routes = generate_route_list(App);
    let page_cache = crate::cache::PageCache::new(state.clone());
    let page_state = state.clone();
    let fallback_state = state.clone();
    Router::new()
        .merge(
            crate::routes::router().layer(axum::middleware::from_fn_with_state(
                state.clone(),
                crate::reply::replies,
            )),
        )
        .merge(static_files(&state))
        .leptos_routes_with_context(
            &state,
            routes,
            move || provide_context(page_state.clone()),
            {
                let options = state.leptos_options.clone();
                move || shell(options.clone())
            },
        )
        .fallback(move |req: Request<Body>| {
            let state = fallback_state.clone();
            async move { not_found(state, req).await }
        })
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::access::authorize,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::session::identify,
        ))
        .layer(crate::session::layer(&state))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::security::cross_site,
        ))
        .layer(CatchPanicLayer::custom(panic_page))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::security::headers,
        ))
        .layer(CompressionLayer::new())
        // Every route: a body no larger than the largest form (a quarter with its documents)
        // and an answer within a minute, or 413 and 408.
        .layer(tower_http::limit::RequestBodyLimitLayer::new(BODY_LIMIT))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            remember_address,
        ))
        // Public pages without a session are answered from memory before any layer above.
        .layer(axum::middleware::from_fn_with_state(
            page_cache,
            crate::cache::middleware,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            log_request,
        ))
        .with_state(state)
}

/// Any other path: the app's own "page not found" (404), rendered like every page.
async fn not_found(state: AppState, req: Request<Body>) -> Response<Body> {
    let options = state.leptos_options.clone();
    let handler = leptos_axum::render_app_async_with_context(
        move || provide_context(state.clone()),
        move || shell(options.clone()),
    );
    handler(req).await
}

/// Every audit entry appended while a request is served carries the client's address, and
/// its business times run on the programme's clock.
async fn remember_address(
    State(state): State<AppState>,
    req: Request<Body>,
    next: axum::middleware::Next,
) -> Response<Body> {
    let (parts, body) = req.into_parts();
    let address = crate::kit::address(&state, &parts);
    let req = Request::from_parts(parts, body);
    let day = state.today;
    app::clock::running_on(
        day,
        app::audit::REQUEST_ADDRESS.scope(address, next.run(req)),
    )
    .await
}

/// The built site's files, compressed ahead of time: `file.br` or `file.gz` beside `file` is
/// served to a browser that accepts it, with `Vary: Accept-Encoding`.
fn static_files(state: &AppState) -> Router<AppState> {
    let root = std::path::PathBuf::from(state.leptos_options.site_root.as_ref());
    let dir = |sub: &str| {
        tower_http::services::ServeDir::new(root.join(sub))
            .precompressed_br()
            .precompressed_gzip()
    };
    let file = |name: &str| {
        tower_http::services::ServeFile::new(root.join(name))
            .precompressed_br()
            .precompressed_gzip()
    };
    let mut router = Router::new()
        .nest_service("/pkg", dir("pkg"))
        .nest_service("/nhsuk", dir("nhsuk"))
        .nest_service("/assets", dir("assets"))
        .route_service("/favicon.ico", file("favicon.ico"))
        .route_service("/nhsuk-init.js", file("nhsuk-init.js"));
    if let Some(init) = state.assets.get("/nhsuk-init.js") {
        let name = init.trim_start_matches('/').to_string();
        router = router.route_service(init, file(&name));
    }
    router.layer(axum::middleware::from_fn(static_headers))
}

/// The largest request body any route accepts: a quarter form's 64 MiB and its framing.
pub const BODY_LIMIT: usize = 65 * 1024 * 1024;
/// The longest a request may take.
pub const REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

/// One log line a request: method, path, status, duration.
/// A request's id: the trusted proxy's `X-Request-Id` when it sent a sensible one, otherwise
/// a new random one; on the response and on every log line of the request.
fn request_id(state: &AppState, req: &Request<Body>) -> String {
    if state.trust_proxy {
        if let Some(id) = req
            .headers()
            .get(&REQUEST_ID)
            .and_then(|v| v.to_str().ok())
            .filter(|v| {
                (1..=64).contains(&v.len())
                    && v.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
            })
        {
            return id.to_string();
        }
    }
    // Unique, not secret: this process's random prefix and a counter (no system call a
    // request).
    static PREFIX: std::sync::LazyLock<String> =
        std::sync::LazyLock::new(|| app::auth::random_token()[..16].to_string());
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    format!("{}{n:016x}", *PREFIX)
}

/// Made once, not parsed from text on every request.
const REQUEST_ID: header::HeaderName = header::HeaderName::from_static("x-request-id");

/// The request log, outermost: one line a request (method, path, status, duration, who when
/// signed in), in a span carrying the request's id so that every line logged while it is
/// answered carries it too.
async fn log_request(
    State(state): State<AppState>,
    mut req: Request<Body>,
    next: axum::middleware::Next,
) -> Response<Body> {
    use tracing::Instrument;
    let id = request_id(&state, &req);
    let header_value = HeaderValue::from_str(&id).expect("an id is ASCII");
    req.headers_mut().insert(REQUEST_ID, header_value.clone());
    let start = std::time::Instant::now();
    let method = req.method().clone();
    let route = crate::access::route_of(req.uri().path());
    let mut res = if tracing::enabled!(tracing::Level::INFO) {
        let span = tracing::info_span!(
            "request",
            request_id = %id,
            method = %method,
            path = %crate::kit::loggable_path(req.uri().path()),
            user = tracing::field::Empty,
        );
        req.extensions_mut()
            .insert(crate::kit::RequestSpan(span.clone()));
        let res = next.run(req).instrument(span.clone()).await;
        span.in_scope(|| {
            tracing::info!(
                status = res.status().as_u16(),
                ms = start.elapsed().as_secs_f64() * 1000.0,
                "request"
            )
        });
        res
    } else {
        next.run(req).await
    };
    crate::metrics::request(
        route,
        &method,
        res.status().as_u16(),
        start.elapsed().as_secs_f64(),
    );
    res.headers_mut().insert(REQUEST_ID, header_value);
    res
}

/// A styled 500 page that shows no internals; the panic goes to the log.
fn panic_page(err: Box<dyn std::any::Any + Send + 'static>) -> Response<Body> {
    let detail = err
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| err.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default();
    tracing::error!(panic = %detail, "request handler panicked");
    let html = include_str!("panic.html");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        html,
    )
        .into_response()
}

/// The application state, as `main` and the tests build it.
pub fn state(
    pool: app::db::Pool,
    addr: std::net::SocketAddr,
    site_root: &std::path::Path,
    today: Option<chrono::NaiveDate>,
    demo: bool,
    public_url: Option<String>,
) -> AppState {
    let manifest = Manifest::read(site_root);
    let leptos_options = leptos::config::LeptosOptions::builder()
        .output_name(manifest.output_name.clone())
        .site_root(site_root.display().to_string())
        .site_pkg_dir("pkg")
        .site_addr(addr)
        .env(leptos::config::Env::PROD)
        .build();
    let script_hashes = crate::security::inline_script_hashes(&leptos_options, &manifest.bundles);
    let public_url = public_url
        .unwrap_or_else(|| format!("http://{addr}"))
        .trim_end_matches('/')
        .to_string();
    AppState {
        leptos_options,
        pool,
        today,
        demo,
        mailer: app::mail::Mailer::new(&public_url, "data/mail"),
        public_url,
        trust_proxy: false,
        script_hashes,
        assets: std::sync::Arc::new(manifest.files),
        bundles: std::sync::Arc::new(manifest.bundles),
        api_description: std::sync::Arc::new(
            serde_json::to_value(<crate::routes::api::ApiDoc as utoipa::OpenApi>::openapi())
                .expect("the OpenAPI description serialises"),
        ),
    }
}

/// What the site build wrote to `manifest.json`: each islands bundle's name
/// (`exemplar-calculator.HASH`) and each fingerprinted file's name by its plain one. Without a
/// manifest (a site built without fingerprints, or none at all) the plain names are used, and
/// one bundle, `output_name` (`exemplar`), holds every island.
#[derive(Debug, Default, serde::Deserialize)]
pub struct Manifest {
    #[serde(default)]
    pub output_name: String,
    #[serde(default)]
    pub bundles: std::collections::HashMap<String, String>,
    #[serde(default)]
    pub files: std::collections::HashMap<String, String>,
}

impl Manifest {
    pub fn read(site_root: &std::path::Path) -> Manifest {
        let path = site_root.join("manifest.json");
        let manifest = match std::fs::read_to_string(&path) {
            Ok(text) => serde_json::from_str::<Manifest>(&text).unwrap_or_else(|e| {
                tracing::warn!(file = %path.display(), error = %e, "the site manifest is not readable: plain file names are used");
                Manifest::default()
            }),
            Err(_) => Manifest::default(),
        };
        if manifest.output_name.is_empty() {
            Manifest {
                output_name: "exemplar".into(),
                ..manifest
            }
        } else {
            manifest
        }
    }
}

/// Whether a static file's name carries its content hash (`name.0123456789abcdef.ext`): such a
/// file never changes, so it may be kept for a year.
pub fn fingerprinted(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let mut parts = name.split('.').rev();
    let _ext = parts.next();
    parts
        .next()
        .is_some_and(|h| h.len() == 16 && h.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Static files: fingerprinted ones for a year and immutable, the rest for an hour (their
/// names do not change when their content does).
async fn static_headers(req: Request<Body>, next: axum::middleware::Next) -> Response<Body> {
    let immutable = fingerprinted(req.uri().path());
    let mut res = next.run(req).await;
    if res.status() == StatusCode::OK || res.status() == StatusCode::NOT_MODIFIED {
        let value = if immutable {
            "public, max-age=31536000, immutable"
        } else {
            "public, max-age=3600"
        };
        res.headers_mut().insert(
            header::CACHE_CONTROL,
            axum::http::HeaderValue::from_static(value),
        );
    }
    res
}
