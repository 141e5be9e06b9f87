//! The access matrix: every route the server answers, for each role, the expected outcome.
//! The routes come from the router itself (Leptos's route list and the server's own list),
//! so a new route without an entry here fails `every_route_has_an_entry`.

use crate::helpers::{example_framework, world, World};

/// What a role gets at a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// Anyone: the page (or, for a sample that does not exist, its 404).
    Open,
    /// Signed in: anyone with an account.
    SignedIn,
    /// Submitters (of any economy; each sees only their own).
    Submitter,
    /// Board staff: assessors and admins.
    Staff,
    /// Admins only.
    Admin,
}

/// The expected access of every route (pattern as the router writes it), and a sample path.
const MATRIX: &[(&str, &str, Expect)] = &[
    ("/", "/", Expect::Open),
    ("/economies", "/economies", Expect::Open),
    ("/economies/{slug}", "/economies/york", Expect::Open),
    ("/regions", "/regions", Expect::Open),
    ("/trusts", "/trusts", Expect::Open),
    ("/benefits", "/benefits", Expect::Open),
    ("/how-scores-work", "/how-scores-work", Expect::Open),
    ("/open-data", "/open-data", Expect::Open),
    ("/open-data/api", "/open-data/api", Expect::Open),
    ("/open-data/{file}", "/open-data/values.csv", Expect::Open),
    (
        "/accessibility-statement",
        "/accessibility-statement",
        Expect::Open,
    ),
    ("/privacy", "/privacy", Expect::Open),
    ("/nominate", "/nominate", Expect::Open),
    ("/admin/nominations", "/admin/nominations", Expect::Admin),
    ("/sign-in", "/sign-in", Expect::Open),
    ("/sign-in/code", "/sign-in/code", Expect::Open),
    ("/reset-password", "/reset-password", Expect::Open),
    ("/invitations/{token}", "/invitations/0000", Expect::Open),
    ("/enrol/{token}", "/enrol/0000", Expect::Open),
    ("/account", "/account", Expect::SignedIn),
    ("/my-economy", "/my-economy", Expect::Submitter),
    (
        "/my-economy/periods/{period}",
        "/my-economy/periods/2014-Q2",
        Expect::Submitter,
    ),
    (
        "/my-economy/check/{period}",
        "/my-economy/check/2014-Q2",
        Expect::Submitter,
    ),
    (
        "/my-economy/periods/{period}/assignments",
        "/my-economy/periods/2014-Q2/assignments",
        Expect::Submitter,
    ),
    (
        "/my-economy/receipts/{reference}",
        "/my-economy/receipts/0000",
        Expect::Submitter,
    ),
    (
        "/my-economy/report/{period}",
        "/my-economy/report/2014-Q2",
        Expect::Submitter,
    ),
    (
        "/my-economy/receipts/{reference}/download",
        "/my-economy/receipts/0000/download",
        Expect::Submitter,
    ),
    (
        "/my-economy/upload",
        "/my-economy/upload",
        Expect::Submitter,
    ),
    (
        "/my-economy/organisations",
        "/my-economy/organisations",
        Expect::Submitter,
    ),
    ("/my-economy/team", "/my-economy/team", Expect::Submitter),
    (
        "/my-economy/questions",
        "/my-economy/questions",
        Expect::Submitter,
    ),
    (
        "/my-economy/questions/{id}",
        "/my-economy/questions/0000",
        Expect::Submitter,
    ),
    (
        "/my-economy/questions/{id}/documents/{post}",
        "/my-economy/questions/0000/documents/0000",
        Expect::Submitter,
    ),
    ("/assess/questions", "/assess/questions", Expect::Staff),
    (
        "/assess/questions/{id}/documents/{post}",
        "/assess/questions/0000/documents/0000",
        Expect::Staff,
    ),
    (
        "/assess/questions/{id}",
        "/assess/questions/0000",
        Expect::Staff,
    ),
    (
        "/my-economy/values.csv",
        "/my-economy/values.csv",
        Expect::Submitter,
    ),
    (
        "/my-economy/history.csv",
        "/my-economy/history.csv",
        Expect::Submitter,
    ),
    (
        "/my-economy/evidence/{period}/{code}",
        "/my-economy/evidence/2014-Q2/0000",
        Expect::Submitter,
    ),
    (
        "/assess/economies/{slug}/evidence/{period}/{code}",
        "/assess/economies/york/evidence/2014-Q2/0000",
        Expect::Staff,
    ),
    ("/assess", "/assess", Expect::Staff),
    (
        "/assess/economies/{slug}",
        "/assess/economies/york",
        Expect::Staff,
    ),
    (
        "/assess/compare",
        "/assess/compare?e=york&e=leeds",
        Expect::Staff,
    ),
    (
        "/assess/compare.csv",
        "/assess/compare.csv?e=york&e=leeds",
        Expect::Staff,
    ),
    ("/assess/shortlist", "/assess/shortlist", Expect::Staff),
    ("/assess/panel", "/assess/panel", Expect::Staff),
    ("/assess/panel/{slug}", "/assess/panel/0000", Expect::Staff),
    ("/admin/panel", "/admin/panel", Expect::Admin),
    ("/admin/panel.csv", "/admin/panel.csv", Expect::Admin),
    ("/admin/panel/{slug}", "/admin/panel/0000", Expect::Admin),
    ("/assess/trusts", "/assess/trusts", Expect::Staff),
    (
        "/assess/trusts/{code}",
        "/assess/trusts/0000",
        Expect::Staff,
    ),
    (
        "/assess/trusts/{code}/evidence",
        "/assess/trusts/0000/evidence",
        Expect::Staff,
    ),
    (
        "/my-economy/trusts/{code}/evidence",
        "/my-economy/trusts/0000/evidence",
        Expect::Submitter,
    ),
    ("/admin/users", "/admin/users", Expect::Admin),
    ("/admin/audit", "/admin/audit", Expect::Admin),
    ("/admin/messages", "/admin/messages", Expect::Admin),
    ("/admin/publication", "/admin/publication", Expect::Admin),
    ("/admin/frameworks", "/admin/frameworks", Expect::Admin),
    ("/admin/audit.csv", "/admin/audit.csv", Expect::Admin),
    ("/api/v1/scores", "/api/v1/scores", Expect::Open),
    ("/api/v1/benefits", "/api/v1/benefits", Expect::Open),
    (
        "/api/v1/organisations",
        "/api/v1/organisations?q=leeds",
        Expect::Open,
    ),
    ("/api/v1/economies", "/api/v1/economies", Expect::Open),
    (
        "/api/v1/economies/{slug}",
        "/api/v1/economies/york",
        Expect::Open,
    ),
    (
        "/api/v1/frameworks/active",
        "/api/v1/frameworks/active",
        Expect::Open,
    ),
    ("/api/v1/openapi.json", "/api/v1/openapi.json", Expect::Open),
    ("/healthz", "/healthz", Expect::Open),
    ("/readyz", "/readyz", Expect::Open),
];

/// Form posts (pattern, sample): who may post (the rest get 303 to sign in, or 403).
const POSTS: &[(&str, &str, Expect)] = &[
    ("/sign-in", "/sign-in", Expect::Open),
    ("/sign-in/code", "/sign-in/code", Expect::Open),
    ("/sign-out", "/sign-out", Expect::Open),
    ("/reset-password", "/reset-password", Expect::Open),
    ("/invitations/{token}", "/invitations/0000", Expect::Open),
    ("/account", "/account", Expect::SignedIn),
    ("/admin/users", "/admin/users", Expect::Admin),
    ("/admin/users/{id}", "/admin/users/1", Expect::Admin),
    ("/admin/messages/{id}", "/admin/messages/1", Expect::Admin),
    ("/nominate", "/nominate", Expect::Open),
    (
        "/admin/nominations/{slug}",
        "/admin/nominations/york",
        Expect::Admin,
    ),
    (
        "/my-economy/periods/{period}",
        "/my-economy/periods/2014-Q2",
        Expect::Submitter,
    ),
    (
        "/my-economy/check/{period}",
        "/my-economy/check/2014-Q2",
        Expect::Submitter,
    ),
    (
        "/my-economy/periods/{period}/assignments",
        "/my-economy/periods/2014-Q2/assignments",
        Expect::Submitter,
    ),
    (
        "/my-economy/upload",
        "/my-economy/upload",
        Expect::Submitter,
    ),
    (
        "/my-economy/organisations",
        "/my-economy/organisations",
        Expect::Submitter,
    ),
    (
        "/my-economy/questions/{id}",
        "/my-economy/questions/0000",
        Expect::Submitter,
    ),
    (
        "/assess/economies/{slug}/questions",
        "/assess/economies/york/questions",
        Expect::Staff,
    ),
    (
        "/assess/questions/{id}",
        "/assess/questions/0000",
        Expect::Staff,
    ),
    ("/my-economy/team", "/my-economy/team", Expect::Submitter),
    ("/my-economy/flags", "/my-economy/flags", Expect::Submitter),
    ("/assess", "/assess", Expect::Staff),
    (
        "/assess/economies/{slug}",
        "/assess/economies/york",
        Expect::Staff,
    ),
    ("/assess/shortlist", "/assess/shortlist", Expect::Staff),
    (
        "/assess/trusts/{code}",
        "/assess/trusts/0000",
        Expect::Staff,
    ),
    ("/admin/publication", "/admin/publication", Expect::Admin),
    ("/admin/frameworks", "/admin/frameworks", Expect::Admin),
    ("/assess/panel", "/assess/panel", Expect::Staff),
    ("/assess/panel/{slug}", "/assess/panel/0000", Expect::Staff),
    ("/admin/panel", "/admin/panel", Expect::Admin),
    ("/admin/panel/{slug}", "/admin/panel/0000", Expect::Admin),
];

/// Server functions: who may call them (the rest get 401 or 403 as JSON).
const SERVER_FNS: &[(&str, Expect)] = &[
    ("/_fn/home", Expect::Open),
    ("/_fn/economies", Expect::Open),
    ("/_fn/economy", Expect::Open),
    ("/_fn/regions", Expect::Open),
    ("/_fn/trusts", Expect::Open),
    ("/_fn/benefits", Expect::Open),
    ("/_fn/framework", Expect::Open),
    ("/_fn/open-data", Expect::Open),
    ("/_fn/api-reference", Expect::Open),
    ("/_fn/demo-accounts", Expect::Open),
    ("/_fn/token", Expect::Open),
    ("/_fn/nomination-page", Expect::Open),
    ("/_fn/admin-nominations", Expect::Admin),
    ("/_fn/account", Expect::SignedIn),
    ("/_fn/my-economy", Expect::Submitter),
    ("/_fn/quarter-form", Expect::Submitter),
    ("/_fn/check-answers", Expect::Submitter),
    ("/_fn/my-assignments", Expect::Submitter),
    ("/_fn/receipt", Expect::Submitter),
    ("/_fn/my-report", Expect::Submitter),
    ("/_fn/upload-preview", Expect::Submitter),
    ("/_fn/my-organisations", Expect::Submitter),
    ("/_fn/my-team", Expect::Submitter),
    ("/_fn/my-questions", Expect::Submitter),
    ("/_fn/my-question", Expect::Submitter),
    ("/_fn/review-queue", Expect::Staff),
    ("/_fn/assess-economy", Expect::Staff),
    ("/_fn/board-questions", Expect::Staff),
    ("/_fn/board-question", Expect::Staff),
    ("/_fn/compare", Expect::Staff),
    ("/_fn/shortlist", Expect::Staff),
    ("/_fn/assess-trusts", Expect::Staff),
    ("/_fn/assess-trust", Expect::Staff),
    ("/_fn/panel-round", Expect::Staff),
    ("/_fn/panel-sheet", Expect::Staff),
    ("/_fn/admin-panel", Expect::Admin),
    ("/_fn/admin-panel-visit", Expect::Admin),
    ("/_fn/admin-users", Expect::Admin),
    ("/_fn/admin-audit", Expect::Admin),
    ("/_fn/admin-messages", Expect::Admin),
    ("/_fn/admin-publication", Expect::Admin),
    ("/_fn/admin-frameworks", Expect::Admin),
];

const ROLES: &[&str] = &[
    "anonymous",
    "submitter-a",
    "submitter-b",
    "assessor",
    "admin",
];

fn normalise(path: &str) -> String {
    // Leptos writes `:slug`; axum `{slug}`.
    path.split('/')
        .map(|s| match s.strip_prefix(':') {
            Some(name) => format!("{{{name}}}"),
            None => s.to_string(),
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Every route the server answers: Leptos's pages, the server's own routes.
fn routes() -> Vec<String> {
    let mut all: Vec<String> = leptos_axum::generate_route_list(app::App)
        .iter()
        .map(|r| normalise(r.path()))
        .collect();
    all.extend(exemplar::routes::gets().map(|s| s.to_string()));
    all.sort();
    all.dedup();
    all
}

#[test]
fn every_form_post_has_an_entry() {
    for route in exemplar::routes::posts() {
        let entry = POSTS.iter().find(|(p, _, _)| *p == route);
        assert!(
            entry.is_some(),
            "form post {route} has no entry in the access matrix"
        );
        assert!(exemplar::access::need(entry.unwrap().1).is_some());
    }
}

#[test]
fn every_server_function_has_an_entry() {
    let paths: Vec<&str> = leptos::server_fn::axum::server_fn_paths()
        .map(|(p, _)| p)
        .collect();
    assert!(paths.len() >= SERVER_FNS.len());
    for path in paths {
        assert!(
            SERVER_FNS.iter().any(|(p, _)| *p == path),
            "server function {path} has no entry in the access matrix"
        );
        assert!(
            exemplar::access::need(path).is_some(),
            "server function {path} has no access rule in server/src/access.rs"
        );
    }
}

#[test]
fn every_route_has_an_entry() {
    for route in routes() {
        assert!(
            MATRIX.iter().any(|(p, _, _)| *p == route),
            "route {route} has no entry in the access matrix"
        );
        let sample = MATRIX.iter().find(|(p, _, _)| *p == route).unwrap().1;
        assert!(
            exemplar::access::need(sample).is_some(),
            "route {route} has no access rule in server/src/access.rs"
        );
    }
}

fn allowed(expect: Expect, role: &str) -> bool {
    match expect {
        Expect::Open => true,
        Expect::SignedIn => role != "anonymous",
        Expect::Submitter => role.starts_with("submitter"),
        Expect::Staff => role == "assessor" || role == "admin",
        Expect::Admin => role == "admin",
    }
}

async fn check(w: &World, role: &str) {
    let browser = w.as_role(role).await;
    let client = match &browser {
        Some(b) => b.client.clone(),
        None => reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
    };
    for (route, sample, expect) in MATRIX {
        let r = client
            .get(format!("{}{sample}", w.app.base))
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        let location = r
            .headers()
            .get("location")
            .map(|l| l.to_str().unwrap().to_string())
            .unwrap_or_default();
        if allowed(*expect, role) {
            // An enrolment link that is not (or no longer) valid goes to the sign-in page,
            // which says so.
            let enrol_gone = *route == "/enrol/{token}" && status == 303 && location == "/sign-in";
            assert!(
                status == 200 || status == 404 && sample.contains("0000") || enrol_gone,
                "{role} GET {route}: {status}"
            );
        } else if role == "anonymous" {
            assert_eq!(status, 303, "{role} GET {route}");
            if sample.contains('?') {
                // The query is kept, encoded.
                assert!(
                    location.starts_with(&format!(
                        "/sign-in?next={}%3F",
                        sample.split('?').next().unwrap()
                    )),
                    "{location}"
                );
            } else {
                assert_eq!(location, format!("/sign-in?next={sample}"));
            }
        } else {
            assert_eq!(status, 403, "{role} GET {route}");
        }
    }
    for (path, expect) in SERVER_FNS {
        let r = client
            .post(format!("{}{path}", w.app.base))
            .header("sec-fetch-site", "same-origin")
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        if allowed(*expect, role) {
            assert!(
                ![401, 403].contains(&status),
                "{role} POST {path}: {status}"
            );
        } else if role == "anonymous" {
            assert_eq!(status, 401, "{role} POST {path}");
        } else {
            assert_eq!(status, 403, "{role} POST {path}");
        }
    }
    for (_, path, expect) in POSTS {
        // sign-out last would end the session: skip it for signed-in roles.
        if *path == "/sign-out" && role != "anonymous" {
            continue;
        }
        let r = client
            .post(format!("{}{path}", w.app.base))
            .header("sec-fetch-site", "same-origin")
            .form(&[("action", "none")])
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        let to_sign_in = r
            .headers()
            .get("location")
            .is_some_and(|l| l.to_str().unwrap().starts_with("/sign-in?next="));
        if allowed(*expect, role) {
            let refused = [401, 403].contains(&status) || to_sign_in;
            assert!(!refused, "{role} POST {path}: {status}");
        } else if role == "anonymous" {
            assert_eq!(status, 303, "{role} POST {path}");
        } else {
            assert_eq!(status, 403, "{role} POST {path}");
        }
    }
}

#[tokio::test]
async fn the_access_matrix_holds_for_every_role() {
    let w = world().await;
    // A framework with a selection panel, so its pages and download have something to show.
    w.app.db.load_framework(
        "panel.toml",
        &(example_framework()
            + "\n[panel]\n[[panel.questions]]\ncode = \"P-ONE\"\ntitle = \"Shared vision\"\nweight = 1\n"),
    );
    for role in ROLES {
        check(&w, role).await;
    }
    // A submitter's own page never shows another economy's data: their account page names
    // their own economy only.
    let a = w.as_role("submitter-a").await.unwrap();
    let page = a.get("/account").await.body;
    assert!(page.contains("Submitter for York and Selby") && !page.contains("leeds"));
}

#[tokio::test]
async fn the_api_answers_401_and_403_as_json() {
    for (e, status, code) in [
        (
            exemplar::routes::api::ApiError::unauthenticated(),
            401,
            "unauthenticated",
        ),
        (
            exemplar::routes::api::ApiError::forbidden(),
            403,
            "forbidden",
        ),
    ] {
        let res = axum::response::IntoResponse::into_response(e);
        assert_eq!(res.status().as_u16(), status);
        let body = axum::body::to_bytes(res.into_body(), 1024).await.unwrap();
        let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(v["error"]["code"], code);
    }
}
