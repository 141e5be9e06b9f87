//! Every route the server answers besides Leptos's pages, one module a feature, each with its
//! own `router()`, composed here. Who may reach each path is decided in one place, the table
//! in `crate::access`, by one middleware in front of all of them; handlers only ask who is
//! asking, call the feature's service in `app`, and map the result to a response.
//!
//! | module        | what it answers                                                    |
//! |---------------|--------------------------------------------------------------------|
//! | `accounts`    | sign in and out, one-time codes, resets, invitations, `/account`   |
//! | `nominations` | an economy's nomination, and an admin's decision on it             |
//! | `my_economy`  | a submitter's quarter, uploads, organisations, team, own CSVs      |
//! | `documents`   | evidence documents, as attachments                                 |
//! | `assess`      | the review queue, notes, the shortlist, trusts, the comparison CSV |
//! | `panel`       | the selection panel: members, sheets, the round, site visits       |
//! | `questions`   | questions between the board and an economy, answers, resolving     |
//! | `admin`       | accounts, the audit CSV, publication, frameworks                   |
//! | `open_data`   | `/open-data/{file}` downloads                                      |
//! | `api`         | `/api/v1` (JSON, with its OpenAPI description)                     |
//! | `health`      | `/healthz`, `/readyz`                                              |

pub mod accounts;
pub mod admin;
pub mod api;
pub mod assess;
pub mod documents;
pub mod health;
pub mod my_economy;
pub mod nominations;
pub mod open_data;
pub mod panel;
pub mod questions;

use app::state::AppState;
use axum::Router;

/// Every feature's routes in one router (the layers every response passes are added in
/// `crate::web`).
pub fn router() -> Router<AppState> {
    Router::new()
        .merge(accounts::router())
        .merge(nominations::router())
        .merge(my_economy::router())
        .merge(documents::router())
        .merge(assess::router())
        .merge(panel::router())
        .merge(questions::router())
        .merge(admin::router())
        .merge(open_data::router())
        .merge(health::router())
        .nest("/api/v1", api::router())
}

/// Open to every web page (CORS: `Access-Control-Allow-Origin: *`, GET and HEAD only, no
/// credentials): the read-only API and the open-data downloads, so a dashboard or a notebook
/// in a browser can read the published figures directly.
pub(crate) fn open_to_any_origin() -> tower_http::cors::CorsLayer {
    use axum::http::Method;
    tower_http::cors::CorsLayer::new()
        .allow_origin(tower_http::cors::Any)
        .allow_methods([Method::GET, Method::HEAD])
}

/// Every form post the server answers (the access matrix test checks each has a rule).
pub fn posts() -> impl Iterator<Item = &'static str> {
    [
        accounts::POSTS,
        nominations::POSTS,
        my_economy::POSTS,
        assess::POSTS,
        panel::POSTS,
        questions::POSTS,
        admin::POSTS,
    ]
    .into_iter()
    .flatten()
    .copied()
}

/// The GET routes the server answers besides Leptos's pages (the access matrix test reads
/// them with Leptos's).
pub fn gets() -> impl Iterator<Item = &'static str> {
    [
        GETS,
        my_economy::DOWNLOADS,
        documents::DOWNLOADS,
        admin::DOWNLOADS,
    ]
    .into_iter()
    .flatten()
    .copied()
}

const GETS: &[&str] = &[
    "/healthz",
    "/readyz",
    "/enrol/{token}",
    "/open-data/{file}",
    "/assess/compare.csv",
    "/admin/panel.csv",
    "/api/v1/scores",
    "/api/v1/economies",
    "/api/v1/economies/{slug}",
    "/api/v1/frameworks/active",
    "/api/v1/openapi.json",
];
