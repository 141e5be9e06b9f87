//! Server-rendered pages: complete HTML without JavaScript, the right status codes.

use crate::helpers::{Browser, TestApp, TestDb};

#[tokio::test]
async fn every_page_renders_in_full_on_the_server() {
    let app = TestApp::demo().await;
    for (path, title, text) in [
        (
            "/",
            "National progress – Exemplar – NHS",
            "Latest published figures: October to December 2014",
        ),
        (
            "/economies",
            "Economies – Exemplar – NHS",
            "Salford integrated care",
        ),
        (
            "/economies?as_of=2014-Q3",
            "Economies – Exemplar – NHS",
            "Revised figures",
        ),
        (
            "/how-scores-work",
            "How scores work – Exemplar – NHS",
            "Operational electronic patient record in every acute trust",
        ),
        (
            "/open-data",
            "Open data – Exemplar – NHS",
            "/open-data/scores-2014-Q4.csv",
        ),
        (
            "/accessibility-statement",
            "Accessibility statement – Exemplar – NHS",
            "Web Content Accessibility Guidelines version 2.2",
        ),
        ("/privacy", "Privacy – Exemplar – NHS", "data controller"),
    ] {
        let (status, html) = app.html(path).await;
        assert_eq!(status, 200, "{path}");
        assert!(
            html.contains(&format!("<title>{title}</title>")),
            "{path}: no title {title}"
        );
        assert!(html.contains(text), "{path}: no {text:?}");
        assert!(html.contains("<html lang=\"en-GB\""), "{path}");
        assert!(
            html.contains("href=\"/nhsuk/nhsuk-frontend.min.css\""),
            "{path}"
        );
        assert!(
            !html.contains("Loading"),
            "{path}: a fallback was sent instead of the content"
        );
    }
}

#[tokio::test]
async fn unknown_paths_are_404_pages() {
    let app = TestApp::spawn(TestDb::new(), None).await;
    let (status, html) = app.html("/no/such/page").await;
    assert_eq!(status, 404);
    assert!(html.contains("<title>Page not found – Exemplar – NHS</title>"));
    assert!(html.contains("nhsuk-header"));
}

#[tokio::test]
async fn unpublished_and_bad_quarters_on_pages() {
    let app = TestApp::demo().await;
    let (status, html) = app.html("/economies?as_of=2015-Q1").await;
    assert_eq!(status, 404);
    assert!(html.contains("These figures are not published"));
    let (status, html) = app.html("/economies?as_of=2015-Q9").await;
    assert_eq!(status, 400);
    assert!(html.contains("is not a quarter"));
}

#[tokio::test]
async fn the_calculator_works_without_javascript() {
    let app = TestApp::spawn(TestDb::new(), None).await;
    let (status, html) = app
        .html("/how-scores-work?c_IG-TOOLKIT=yes&c_NHS-NUMBER=200")
        .await;
    assert_eq!(status, 200);
    assert!(html.contains(">4.2<"), "overall 4.2 expected");
    assert!(html.contains("200 is above 100 for percentage criterion NHS-NUMBER"));
}

#[tokio::test]
async fn an_empty_service_says_nothing_is_published() {
    let app = TestApp::spawn(TestDb::new(), Some("2014-01-10")).await;
    let (status, html) = app.html("/").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("No quarter&#x27;s figures have been published yet")
            || html.contains("No quarter's figures have been published yet")
    );
    assert!(
        html.contains("The figures for 2013-Q4 are planned for publication on 16 March 2014."),
        "{html}"
    );
}

#[tokio::test]
async fn a_broken_database_gives_a_styled_500_without_internals() {
    let app = TestApp::spawn(TestDb::new(), None).await;
    let pool = app.db.pool().await;
    sqlx::query("DROP TABLE publications")
        .execute(&pool)
        .await
        .unwrap();
    let (status, html) = app.html("/").await;
    assert_eq!(status, 500);
    assert!(html.contains("Sorry, there is a problem with the service"));
    assert!(html.contains("nhsuk-header"));
    // The feed of publications is linked from the page's head; nothing else names the table.
    assert!(
        !html
            .replace("/publications.atom", "")
            .contains("publications"),
        "the page leaks internals: {html}"
    );
    let (status, body) = app.json("/api/v1/scores").await;
    assert_eq!(status, 500);
    assert_eq!(body["error"]["code"], "internal");
    assert!(!body.to_string().contains("publications"));
}

#[tokio::test]
async fn only_pages_with_islands_load_the_bundle() {
    let app = TestApp::demo().await;
    let [submitter, .., assessor, _] = app::demo::ACCOUNTS else {
        unreachable!()
    };
    let public = Browser::new(&app);
    let economy = Browser::new(&app);
    economy
        .sign_in(submitter.email, submitter.password, None, 0)
        .await;
    let board = Browser::new(&app);
    board
        .sign_in(assessor.email, assessor.password, assessor.totp_secret, 0)
        .await;
    let pages = [
        (&public, "/"),
        (&public, "/economies"),
        (&public, "/economies/leeds-health-and-care-economy"),
        (&public, "/regions"),
        (&public, "/trusts"),
        (&public, "/benefits"),
        (&public, "/how-scores-work"),
        (&public, "/open-data"),
        (&public, "/nominate"),
        (&public, "/sign-in"),
        (&economy, "/my-economy"),
        (&economy, "/my-economy/periods/2015-Q1"),
        (&economy, "/my-economy/organisations"),
        (&board, "/assess"),
        (
            &board,
            "/assess/compare?e=leeds-health-and-care-economy&e=salford-integrated-care",
        ),
        (&board, "/assess/trusts"),
    ];
    for (who, path) in pages {
        let p = who.get(path).await;
        assert_eq!(p.status, 200, "{path}");
        let island = p.body.contains("<leptos-island");
        let bundle = p.body.contains("/pkg/exemplar") && p.body.contains(".wasm");
        assert_eq!(island, bundle, "{path}: islands and bundle go together");
        assert_eq!(
            app::ui::needs_islands(path.split('?').next().unwrap()),
            bundle,
            "{path}: ISLAND_PAGES says which pages load the bundle"
        );
        // Every page has its styles and the NHS.UK script, islands or not.
        assert!(p.body.contains("nhsuk-init"), "{path}");
    }
}

/// Words agree with the page: a submitter's role names their economy (not its slug); the
/// member organisations page does not say there are none above the economy's trusts; the
/// frameworks page offers no comparison of a version with itself and cites no specification;
/// and a list with nothing in it is a sentence, not a table of headers with no rows.
#[tokio::test]
async fn words_agree_with_what_the_page_shows() {
    let w = crate::helpers::world().await;
    let sam = w.as_role("submitter-a").await.unwrap();
    let account = sam.get("/account").await.body;
    assert!(
        account.contains("Submitter for York and Selby"),
        "{account}"
    );
    assert!(!account.contains("Submitter for york"));

    let orgs = sam.get("/my-economy/organisations").await.body;
    assert!(orgs.contains("Your economy has no member organisations yet"));
    let file = w
        .app
        .db
        .write("trusts.csv", &crate::helpers::trust_register());
    w.app.db.ok(&["import", "trusts", &file]);
    let orgs = sam.get("/my-economy/organisations").await.body;
    assert!(!orgs.contains("no member organisations"), "{orgs}");
    assert!(orgs.contains("You have not added any other organisations"));
    assert!(orgs.contains("Your 1 trust in the board"));

    let admin = w.as_role("admin").await.unwrap();
    let users = admin.get("/admin/users").await.body;
    assert!(users.contains("There are no invitations waiting to be accepted."));
    assert!(!users.contains("Invitations not yet accepted</caption>"));
    let audit = admin
        .get("/admin/audit?actor=nobody%40example.com")
        .await
        .body;
    assert!(audit.contains("No entries match."), "{audit}");
    assert!(!audit.contains("Audit entries, newest first"));
    let frameworks = admin.get("/admin/frameworks").await.body;
    assert!(frameworks
        .contains("Only one version has been loaded, so there is nothing to compare yet."));
    assert!(!frameworks.contains("Show changes"));
    assert!(!frameworks.contains("scoring.md"));

    let ann = w.as_role("assessor").await.unwrap();
    let york = ann.get("/assess/economies/york").await.body;
    assert!(!york.contains("None recorded") && !york.contains("none recorded"));
    assert!(york.contains("No nomination statement was recorded"));
    assert!(york.contains("The economy has not listed any member organisations."));
}
