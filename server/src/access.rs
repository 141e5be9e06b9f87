//! Who may reach what: one table for every path the server answers, read by one
//! middleware in front of every page, form post, download and API call. A reader audits
//! access here; handlers and pages never decide it with scattered checks (data functions
//! of protected pages check the role again, as a second line).

use app::domain::account::{decide, CurrentUser, Decision, Need, Role};
use app::state::AppState;
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use Need::{Public, SignedIn};
const SUBMITTER: Need = Need::Role(Role::Submitter);
const ADMIN: Need = Need::Role(Role::Admin);
const ASSESSOR: Need = Need::Role(Role::Assessor);

/// Every path pattern the server answers and what it needs (routes.md). `{x}` matches one
/// segment, a trailing `*` the rest of the path. The first match wins.
pub const RULES: &[(&str, Need)] = &[
    // Public pages and downloads.
    ("/", Public),
    ("/economies", Public),
    ("/economies/{slug}", Public),
    ("/regions", Public),
    ("/trusts", Public),
    ("/benefits", Public),
    ("/how-scores-work", Public),
    ("/open-data", Public),
    ("/open-data/api", Public),
    ("/open-data/{file}", Public),
    ("/publications.atom", Public),
    ("/accessibility-statement", Public),
    ("/privacy", Public),
    ("/nominate", Public),
    // Accounts.
    ("/sign-in", Public),
    ("/sign-in/code", Public),
    ("/sign-out", Public),
    ("/reset-password", Public),
    ("/invitations/{token}", Public),
    ("/enrol/{token}", Public),
    ("/account", SignedIn),
    // Economies' own pages.
    ("/my-economy", SUBMITTER),
    ("/my-economy/*", SUBMITTER),
    // Board staff (an admin has the assessor's access too).
    ("/assess", ASSESSOR),
    ("/assess/*", ASSESSOR),
    ("/admin/*", ADMIN),
    // Server functions (what pages read while they render; callable over HTTP too).
    ("/_fn/home", Public),
    ("/_fn/economies", Public),
    ("/_fn/economy", Public),
    ("/_fn/regions", Public),
    ("/_fn/trusts", Public),
    ("/_fn/benefits", Public),
    ("/_fn/framework", Public),
    ("/_fn/open-data", Public),
    ("/_fn/api-reference", Public),
    ("/_fn/demo-accounts", Public),
    ("/_fn/token", Public),
    ("/_fn/nomination-page", Public),
    ("/_fn/account", SignedIn),
    ("/_fn/my-economy", SUBMITTER),
    ("/_fn/quarter-form", SUBMITTER),
    ("/_fn/check-answers", SUBMITTER),
    ("/_fn/my-assignments", SUBMITTER),
    ("/_fn/receipt", SUBMITTER),
    ("/_fn/my-report", SUBMITTER),
    ("/_fn/upload-preview", SUBMITTER),
    ("/_fn/my-organisations", SUBMITTER),
    ("/_fn/my-team", SUBMITTER),
    ("/_fn/my-questions", SUBMITTER),
    ("/_fn/my-question", SUBMITTER),
    ("/_fn/review-queue", ASSESSOR),
    ("/_fn/assess-economy", ASSESSOR),
    ("/_fn/board-questions", ASSESSOR),
    ("/_fn/board-question", ASSESSOR),
    ("/_fn/compare", ASSESSOR),
    ("/_fn/shortlist", ASSESSOR),
    ("/_fn/assess-trusts", ASSESSOR),
    ("/_fn/assess-trust", ASSESSOR),
    ("/_fn/panel-round", ASSESSOR),
    ("/_fn/panel-sheet", ASSESSOR),
    ("/_fn/admin-nominations", ADMIN),
    ("/_fn/admin-users", ADMIN),
    ("/_fn/admin-audit", ADMIN),
    ("/_fn/admin-messages", ADMIN),
    ("/_fn/admin-publication", ADMIN),
    ("/_fn/admin-frameworks", ADMIN),
    ("/_fn/admin-panel", ADMIN),
    ("/_fn/admin-panel-visit", ADMIN),
    // The API and health checks (read-only, public).
    ("/api/v1/*", Public),
    ("/healthz", Public),
    ("/readyz", Public),
    // Operations: open to the addresses `--metrics-allow` names, checked by its handler.
    ("/metrics", Public),
    // The built site: styles, scripts, wasm, images.
    ("/pkg/*", Public),
    ("/nhsuk/*", Public),
    ("/assets/*", Public),
    ("/favicon.ico", Public),
    ("/nhsuk-init.js", Public),
];

fn matches(pattern: &str, path: &str) -> bool {
    // Without allocating: every request's route is looked up here (the metrics).
    let path = if path.len() > 1 {
        path.trim_end_matches('/')
    } else {
        path
    };
    if let Some(prefix) = pattern.strip_suffix("/*") {
        return path.len() > prefix.len()
            && path.starts_with(prefix)
            && path.as_bytes()[prefix.len()] == b'/';
    }
    let (mut p, mut s) = (pattern.split('/'), path.split('/'));
    loop {
        match (p.next(), s.next()) {
            (None, None) => return true,
            (Some(p), Some(s))
                if (p.starts_with('{') && p.ends_with('}') && !s.is_empty()) || p == s => {}
            _ => return false,
        }
    }
}

/// The rule for a path; `None` for a path the server does not answer (it will be a 404).
pub fn need(path: &str) -> Option<Need> {
    rule(path).map(|(_, need)| *need)
}

/// The first rule whose pattern the path matches.
fn rule(path: &str) -> Option<&'static (&'static str, Need)> {
    RULES.iter().find(|(pattern, _)| matches(pattern, path))
}

/// The pattern of the rule a path falls under (`/economies/{slug}`), for the metrics' route
/// label: a bounded set, never the path itself.
pub fn route_of(path: &str) -> Option<&'static str> {
    rule(path).map(|(pattern, _)| *pattern)
}

/// Applies the rules. Not signed in: pages `303` to `/sign-in?next=PATH`, the API `401`.
/// Signed in without the role: a `403` page, or JSON for the API.
pub async fn authorize(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let user = req.extensions().get::<CurrentUser>().cloned();
    if let (Some(u), Some(span)) = (&user, req.extensions().get::<crate::kit::RequestSpan>()) {
        // The request log's line says who asked.
        span.0.record("user", u.id);
    }
    // Unknown paths fall through to the 404 page.
    let Some(need) = need(&path) else {
        return next.run(req).await;
    };
    match decide(need, user.as_ref().map(|u| u.role)) {
        Decision::Allow => next.run(req).await,
        Decision::SignIn => {
            tracing::info!(path, "not signed in: sent to sign in");
            if path.starts_with("/api/") || path.starts_with("/_fn/") {
                return crate::routes::api::ApiError::unauthenticated().into_response();
            }
            let target = req
                .uri()
                .path_and_query()
                .map(|p| p.as_str())
                .unwrap_or("/");
            let location = format!("/sign-in?next={}", encode(target));
            (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response()
        }
        Decision::Forbid => {
            let who = user.map(|u| u.email).unwrap_or_default();
            tracing::warn!(path, who, "refused: role lacks access");
            if path.starts_with("/api/") || path.starts_with("/_fn/") {
                return crate::routes::api::ApiError::forbidden().into_response();
            }
            forbidden_page(&state, req).await
        }
    }
}

/// The 403 page: the app shell with the forbidden view, whatever the path.
async fn forbidden_page(state: &AppState, req: Request) -> Response {
    let (mut parts, _) = req.into_parts();
    parts.method = axum::http::Method::GET;
    let mut res =
        crate::kit::render(state, parts, app::ui::session::FormState::default(), true).await;
    *res.status_mut() = StatusCode::FORBIDDEN;
    res
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns() {
        assert_eq!(need("/"), Some(Public));
        assert_eq!(need("/economies/leeds"), Some(Public));
        assert_eq!(need("/economies/leeds/x"), None);
        assert_eq!(need("/admin/users"), Some(ADMIN));
        assert_eq!(need("/admin/users/4"), Some(ADMIN));
        assert_eq!(need("/admin"), None);
        assert_eq!(need("/account/"), Some(SignedIn));
        assert_eq!(need("/nowhere"), None);
        assert_eq!(need("/economies/"), Some(Public));
        assert_eq!(need("/economies//"), Some(Public));
        assert_eq!(need("/my-economyx/1"), None);
        assert_eq!(route_of("/economies/york"), Some("/economies/{slug}"));
        assert_eq!(
            route_of("/my-economy/periods/2014-Q1"),
            Some("/my-economy/*")
        );
        assert_eq!(route_of("/economies/york/2"), None);
    }
}
