//! Pages and islands. Every page renders in full on the server (SSR, async mode, so the
//! HTML is complete without JavaScript); islands add interactivity where it helps.

pub mod components;
pub mod data;
pub mod format;
pub mod forms;
pub mod island_data;
pub mod island_props;
pub mod islands;
pub mod pages;
pub mod session;

use components::{DemoBanner, Footer, ForbiddenPage, Header, NotFound, SkipLink};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};
use pages::*;

/// The pages that hold an island, each with the islands bundle it loads (wasm and its JS): a
/// path, or a prefix ending in `/`. Every other page loads no wasm and no Leptos JS, only the
/// NHS.UK frontend's script. A page that adds an `#[island]` must be listed here (the
/// integration test `only_pages_with_islands_load_the_bundle` checks both ways), and the
/// island must be in its page's bundle (see [`BUNDLES`]).
pub const ISLAND_PAGES: &[(&str, &str)] = &[
    ("/how-scores-work", "calculator"),
    ("/my-economy/periods/", "forms"),
    ("/assess/compare", "compare"),
];

/// The islands bundles. `scripts/build-site.sh` builds one wasm for each, with the `frontend`
/// feature of the same name, which turns on `app`'s `bundle-NAME`: in such a build only that
/// bundle's islands are islands (the others are plain components nothing calls, so the
/// compiler leaves them out). A build with none of these features, as `make watch` makes,
/// holds every island, and the pages then load that one bundle.
pub const BUNDLES: &[&str] = &["calculator", "forms", "compare"];

/// The islands bundle a page loads, if it has an island.
pub fn island_bundle(path: &str) -> Option<&'static str> {
    ISLAND_PAGES.iter().find_map(|(p, bundle)| {
        let matches = if p.ends_with('/') {
            path.starts_with(p)
        } else {
            path == *p
        };
        matches.then_some(*bundle)
    })
}

pub fn needs_islands(path: &str) -> bool {
    island_bundle(path).is_some()
}

/// The path of the page being rendered (server only; islands never ask).
fn request_path() -> Option<String> {
    #[cfg(feature = "ssr")]
    return use_context::<http::request::Parts>().map(|p| p.uri.path().to_string());
    #[cfg(not(feature = "ssr"))]
    None
}

/// The URL of a static file as pages link it: its fingerprinted name when the site has one.
fn asset(path: &'static str) -> String {
    #[cfg(feature = "ssr")]
    return use_context::<crate::state::AppState>()
        .map(|s| s.asset(path))
        .unwrap_or_else(|| path.to_string());
    #[cfg(not(feature = "ssr"))]
    path.to_string()
}

/// The HTML document around every page.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let bundle = request_path().and_then(|p| island_bundle(&p));
    #[cfg(feature = "ssr")]
    let scripts = bundle.map(|b| {
        let options = use_context::<crate::state::AppState>()
            .map(|s| s.bundle_options(b))
            .unwrap_or(options);
        view! { <HydrationScripts options islands=true /> }
    });
    #[cfg(not(feature = "ssr"))]
    let scripts = bundle.map(|_| view! { <HydrationScripts options islands=true /> });
    view! {
        <!DOCTYPE html>
        <html lang="en-GB">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover" />
                <meta name="theme-color" content="#005eb8" />
                <link rel="icon" href="/favicon.ico" sizes="48x48" />
                <link rel="icon" href="/assets/images/favicon.svg" sizes="any" type="image/svg+xml" />
                <link rel="stylesheet" href=asset("/nhsuk/nhsuk-frontend.min.css") />
                <link rel="stylesheet" href=asset("/pkg/exemplar.css") />
                <script type="module" src=asset("/nhsuk-init.js")></script>
                {scripts}
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // Set by the server's access rules: the visitor is signed in without the page's role.
    let forbidden = use_context::<session::Forbidden>().is_some();
    view! {
        <Title formatter=|text: String| format!("{text} – Exemplar – NHS") />
        <Router>
            <SkipLink />
            <Header />
            <div class="nhsuk-width-container">
                <DemoBanner />
                <main class="nhsuk-main-wrapper" id="maincontent">
                    {forbidden.then(|| view! { <ForbiddenPage /> })}
                    <Show when=move || !forbidden>
                    <Routes fallback=NotFound>
                        <Route path=path!("") view=HomePage ssr=SsrMode::Async />
                        <Route path=path!("economies") view=EconomiesPage ssr=SsrMode::Async />
                        <Route path=path!("economies/:slug") view=EconomyPage ssr=SsrMode::Async />
                        <Route path=path!("regions") view=RegionsPage ssr=SsrMode::Async />
                        <Route path=path!("trusts") view=TrustsPage ssr=SsrMode::Async />
                        <Route path=path!("benefits") view=BenefitsPage ssr=SsrMode::Async />
                        <Route path=path!("how-scores-work") view=HowScoresWorkPage ssr=SsrMode::Async />
                        <Route path=path!("open-data") view=OpenDataPage ssr=SsrMode::Async />
                        <Route path=path!("open-data/api") view=ApiReferencePage ssr=SsrMode::Async />
                        <Route path=path!("accessibility-statement") view=AccessibilityStatementPage />
                        <Route path=path!("privacy") view=PrivacyPage />
                        <Route path=path!("sign-in") view=SignInPage ssr=SsrMode::Async />
                        <Route path=path!("sign-in/code") view=SignInCodePage />
                        <Route path=path!("reset-password") view=ResetPasswordPage ssr=SsrMode::Async />
                        <Route path=path!("invitations/:token") view=InvitationPage ssr=SsrMode::Async />
                        <Route path=path!("account") view=AccountPage ssr=SsrMode::Async />
                        <Route path=path!("admin/users") view=AdminUsersPage ssr=SsrMode::Async />
                        <Route path=path!("admin/audit") view=AdminAuditPage ssr=SsrMode::Async />
                        <Route path=path!("admin/messages") view=AdminMessagesPage ssr=SsrMode::Async />
                        <Route path=path!("admin/nominations") view=AdminNominationsPage ssr=SsrMode::Async />
                        <Route path=path!("admin/publication") view=AdminPublicationPage ssr=SsrMode::Async />
                        <Route path=path!("admin/frameworks") view=AdminFrameworksPage ssr=SsrMode::Async />
                        <Route path=path!("admin/panel") view=AdminPanelPage ssr=SsrMode::Async />
                        <Route path=path!("admin/panel/:slug") view=AdminPanelVisitPage ssr=SsrMode::Async />
                        <Route path=path!("nominate") view=NominatePage ssr=SsrMode::Async />
                        <Route path=path!("my-economy") view=MyEconomyPage ssr=SsrMode::Async />
                        <Route path=path!("my-economy/periods/:period") view=PeriodPage ssr=SsrMode::Async />
                        <Route path=path!("my-economy/periods/:period/assignments") view=AssignmentsPage ssr=SsrMode::Async />
                        <Route path=path!("my-economy/check/:period") view=CheckPage ssr=SsrMode::Async />
                        <Route path=path!("my-economy/receipts/:reference") view=ReceiptPage ssr=SsrMode::Async />
                        <Route path=path!("my-economy/report/:period") view=ReportPage ssr=SsrMode::Async />
                        <Route path=path!("my-economy/upload") view=UploadPage ssr=SsrMode::Async />
                        <Route path=path!("my-economy/organisations") view=OrganisationsPage ssr=SsrMode::Async />
                        <Route path=path!("my-economy/team") view=TeamPage ssr=SsrMode::Async />
                        <Route path=path!("my-economy/questions") view=MyQuestionsPage ssr=SsrMode::Async />
                        <Route path=path!("my-economy/questions/:id") view=MyQuestionPage ssr=SsrMode::Async />
                        <Route path=path!("assess") view=AssessPage ssr=SsrMode::Async />
                        <Route path=path!("assess/economies/:slug") view=AssessEconomyPage ssr=SsrMode::Async />
                        <Route path=path!("assess/questions") view=AssessQuestionsPage ssr=SsrMode::Async />
                        <Route path=path!("assess/questions/:id") view=AssessQuestionPage ssr=SsrMode::Async />
                        <Route path=path!("assess/compare") view=ComparePage ssr=SsrMode::Async />
                        <Route path=path!("assess/shortlist") view=ShortlistPage ssr=SsrMode::Async />
                        <Route path=path!("assess/panel") view=PanelPage ssr=SsrMode::Async />
                        <Route path=path!("assess/panel/:slug") view=PanelSheetPage ssr=SsrMode::Async />
                        <Route path=path!("assess/trusts") view=AssessTrustsPage ssr=SsrMode::Async />
                        <Route path=path!("assess/trusts/:code") view=AssessTrustPage ssr=SsrMode::Async />
                    </Routes>
                    </Show>
                </main>
            </div>
            <Footer />
        </Router>
    }
}
