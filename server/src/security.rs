//! Security headers on every response, and the check that refuses cross-site requests that
//! change state.
//!
//! The Content-Security-Policy allows scripts from this site and the one inline script the
//! islands need (by its SHA-256, computed at start-up from what Leptos renders), never
//! `unsafe-inline` scripts. Hashes rather than nonces, so a cached public page stays valid.

use app::state::AppState;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use leptos::prelude::*;
use sha2::{Digest, Sha256};

/// The inline scripts Leptos's streaming renderer adds to every page besides the islands'
/// loader. In islands mode no resource is serialised to the browser, so they are constant;
/// a test checks every inline script of every page against the policy.
const STREAM_SCRIPTS: &[&str] = &[
    "__RESOLVED_RESOURCES=[];__SERIALIZED_ERRORS=[];__PENDING_RESOURCES=[];__RESOURCE_RESOLVERS=[];",
    "__INCOMPLETE_CHUNKS=[];",
];

fn hash_source(script: &str) -> String {
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(Sha256::digest(script.as_bytes()))
    )
}

/// The `'sha256-…'` sources of the inline scripts Leptos puts in pages: each islands bundle's
/// loader (it names the bundle's files) and the streaming scripts.
pub fn inline_script_hashes(
    options: &LeptosOptions,
    bundles: &std::collections::HashMap<String, String>,
) -> Vec<String> {
    let mut names: Vec<&str> = bundles.values().map(String::as_str).collect();
    names.sort_unstable();
    if names.is_empty() {
        names.push(&options.output_name);
    }
    let html: String = names
        .into_iter()
        .map(|name| {
            let mut options = options.clone();
            options.output_name = name.into();
            Owner::new().with(|| {
                use leptos::tachys::view::RenderHtml;
                view! { <leptos::hydration::HydrationScripts options islands=true /> }.to_html()
            })
        })
        .collect();
    let mut hashes = Vec::new();
    let mut rest = html.as_str();
    while let Some(start) = rest.find("<script") {
        let after = &rest[start..];
        let Some(open_end) = after.find('>') else {
            break;
        };
        let body_start = &after[open_end + 1..];
        let Some(close) = body_start.find("</script>") else {
            break;
        };
        let body = &body_start[..close];
        if !after[..open_end].contains(" src=") && !body.is_empty() {
            hashes.push(hash_source(body));
        }
        rest = &body_start[close..];
    }
    hashes.extend(STREAM_SCRIPTS.iter().map(|s| hash_source(s)));
    hashes
}

pub fn content_security_policy(state: &AppState) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' {}; style-src 'self' 'unsafe-inline'; \
         img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; \
         base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        state.script_hashes.join(" ")
    )
}

/// Adds the security headers to every response.
pub async fn headers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let secret_bearing = carries_secrets(req.uri().path());
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    if secret_bearing {
        // One-time links, authenticator keys and recovery codes: never kept by a cache.
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        h.remove(header::ETAG);
    }
    let csp = content_security_policy(&state);
    if let Ok(v) = HeaderValue::from_str(&csp) {
        h.insert(header::CONTENT_SECURITY_POLICY, v);
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    // Leptos's no-JS redirects go back to the Referer: strict-origin-when-cross-origin keeps
    // them working, where no-referrer would break them.
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        HeaderName::from_static("cross-origin-opener-policy"),
        HeaderValue::from_static("same-origin"),
    );
    if state.public_url.starts_with("https://") {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    res
}

/// Pages that show a live secret (a link's token, an authenticator key, recovery codes).
pub fn carries_secrets(path: &str) -> bool {
    path.starts_with("/invitations/")
        || path.starts_with("/enrol/")
        || path.starts_with("/reset-password")
        || path.starts_with("/sign-in")
        || path.starts_with("/account")
}

/// Refuses a state-changing request that another site started: with `Sec-Fetch-Site`
/// (every current browser sends it) only `same-origin` and `none` pass; otherwise the
/// `Origin` must be this site's; a request with neither header passes only without a
/// session cookie (a command-line client, never a browser acting for a signed-in person).
pub async fn cross_site(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let headers = req.headers();
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let verdict = match (text("sec-fetch-site"), text("origin")) {
        (Some(site), _) => site == "same-origin" || site == "none",
        (None, Some(origin)) => same_origin(origin, text("host"), &state.public_url),
        (None, None) => !text("cookie").is_some_and(|c| c.contains(crate::session::COOKIE)),
    };
    if verdict {
        return next.run(req).await;
    }
    tracing::warn!(
        method = %req.method(),
        path = req.uri().path(),
        origin = text("origin").unwrap_or(""),
        "cross-site request refused"
    );
    forbidden_cross_site()
}

fn same_origin(origin: &str, host: Option<&str>, public_url: &str) -> bool {
    let origin = origin.trim_end_matches('/');
    if origin == public_url.trim_end_matches('/') {
        return true;
    }
    match (origin.split_once("://"), host) {
        (Some((_, rest)), Some(host)) => rest == host,
        _ => false,
    }
}

fn forbidden_cross_site() -> Response {
    (
        StatusCode::FORBIDDEN,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        Body::from(include_str!("cross-site.html")),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::same_origin;

    #[test]
    fn origins() {
        assert!(same_origin(
            "http://127.0.0.1:3000",
            Some("127.0.0.1:3000"),
            "http://x"
        ));
        assert!(same_origin(
            "https://exemplar.nhs.uk",
            None,
            "https://exemplar.nhs.uk"
        ));
        assert!(!same_origin(
            "https://evil.example",
            Some("127.0.0.1:3000"),
            "http://127.0.0.1:3000"
        ));
        assert!(!same_origin(
            "null",
            Some("127.0.0.1:3000"),
            "http://127.0.0.1:3000"
        ));
    }
}
