//! The one application state, built by the server for `main` and for the tests alike.

use crate::db::Pool;
use chrono::NaiveDate;
use leptos::config::LeptosOptions;

#[derive(Clone, Debug)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub pool: Pool,
    /// The date the programme takes as today (`--today`), or `None` for the system clock.
    pub today: Option<NaiveDate>,
    /// Serving the demo data set: every page says so.
    pub demo: bool,
    /// Where people reach this service (`--public-url`), for links in messages, the
    /// cookie's `Secure` flag and HSTS. No trailing slash.
    pub public_url: String,
    /// Behind a reverse proxy: take the client's address from the last `X-Forwarded-For`
    /// entry (the one the proxy added) for the per-address sign-in limit.
    pub trust_proxy: bool,
    /// Hashes of the inline scripts pages may run (the islands' loader), for the CSP.
    pub script_hashes: Vec<String>,
    /// Where messages with one-time links go (`--mail-dir`).
    pub mailer: crate::mail::Mailer,
    /// Static files by their fingerprinted names (`/pkg/exemplar.css` ->
    /// `/pkg/exemplar.1a2b3c4d5e6f7a8b.css`), from the built site's `manifest.json`; empty when
    /// the site was built without fingerprints (the plain names are served then).
    pub assets: std::sync::Arc<std::collections::HashMap<String, String>>,
    /// Each islands bundle's output name (`calculator` -> `exemplar-calculator.1a2b3c4d5e6f7a8b`),
    /// from `manifest.json`; empty when the site has one bundle for every island (built by
    /// `make watch`), whose name is `leptos_options.output_name`.
    pub bundles: std::sync::Arc<std::collections::HashMap<String, String>>,
    /// The API's OpenAPI description (`/api/v1/openapi.json`), read by the `/open-data/api`
    /// reference page.
    pub api_description: std::sync::Arc<serde_json::Value>,
}

impl AppState {
    /// The URL a page links for a static file: its fingerprinted name when there is one.
    pub fn asset(&self, path: &str) -> String {
        self.assets
            .get(path)
            .cloned()
            .unwrap_or_else(|| path.to_string())
    }

    /// The Leptos options a page with an island renders its loader with: the output name of
    /// its bundle.
    pub fn bundle_options(&self, bundle: &str) -> leptos::config::LeptosOptions {
        let mut options = self.leptos_options.clone();
        if let Some(name) = self.bundles.get(bundle) {
            options.output_name = name.as_str().into();
        }
        options
    }

    /// The programme's today: the configured date, or the system clock's.
    pub fn today(&self) -> NaiveDate {
        self.today
            .unwrap_or_else(|| chrono::Local::now().date_naive())
    }
}

/// The state from the Leptos context (provided for every page and server function).
pub fn app_state() -> Result<AppState, crate::error::AppError> {
    leptos::prelude::use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from context");
        crate::error::AppError::Internal
    })
}

impl axum::extract::FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
