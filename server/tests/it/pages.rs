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
    // The message is read with its field; a field without a problem has none to read.
    assert!(
        html.contains(r#"aria-describedby="calc-nhs-number-hint calc-nhs-number-error""#),
        "{html}"
    );
    assert!(
        html.contains(r#"aria-describedby="calc-epr-acute-hint""#),
        "{html}"
    );
    // What the island starts from is in the page, for the browser to read.
    assert!(html.contains(r#"<div id="calculator-data" data-island=""#));
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

/// With a site of several islands bundles (as `make build` makes), a page with an island
/// loads its own bundle's files and no other's, a page without one loads none, and the CSP
/// allows the loader the page runs.
#[tokio::test]
async fn each_island_page_loads_its_own_bundle() {
    let bundles: std::collections::HashMap<String, String> = app::ui::BUNDLES
        .iter()
        .map(|b| (b.to_string(), format!("exemplar-{b}.0123456789abcdef")))
        .collect();
    let app = TestApp::spawn_with(TestDb::new(), None, |state| {
        state.script_hashes =
            exemplar::security::inline_script_hashes(&state.leptos_options, &bundles);
        state.bundles = std::sync::Arc::new(bundles.clone());
    })
    .await;
    let res = app.get("/how-scores-work").await;
    let csp = res.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    let html = res.text().await.unwrap();
    assert!(html.contains("<leptos-island"));
    // (`_bg.wasm` in a test build: the release build sets LEPTOS_OUTPUT_NAME.)
    let name = "/pkg/exemplar-calculator.0123456789abcdef";
    assert!(html.contains(&format!("{name}.js")));
    assert!(html.contains(&format!("{name}.wasm")) || html.contains(&format!("{name}_bg.wasm")));
    assert!(!html.contains("exemplar-forms") && !html.contains("exemplar-compare"));
    // The loader is the one inline module script; its hash is in the CSP.
    let tag = html
        .find("<script type=\"module\" nonce=")
        .expect("the loader");
    let start = tag + html[tag..].find('>').unwrap() + 1;
    let body = &html[start..start + html[start..].find("</script>").unwrap()];
    assert!(body.contains("exemplar-calculator.0123456789abcdef"));
    use base64::Engine;
    use sha2::Digest;
    let hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(body));
    assert!(csp.contains(&format!("'sha256-{hash}'")), "{csp}");

    let html = app.get("/economies").await.text().await.unwrap();
    assert!(!html.contains(".wasm") && !html.contains("/pkg/exemplar-"));
}

/// The bundles the site build makes are the ones pages name.
#[test]
fn the_build_makes_every_bundle_pages_name() {
    let script = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../scripts/build-site.sh"
    ))
    .unwrap();
    let line = script
        .lines()
        .find_map(|l| l.strip_prefix("bundles=\""))
        .expect("build-site.sh lists the bundles");
    let built: Vec<&str> = line.trim_end_matches('"').split(' ').collect();
    assert_eq!(built, app::ui::BUNDLES);
    let build_rs =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../app/build.rs")).unwrap();
    assert!(
        build_rs.contains(&format!("{:?}", app::ui::BUNDLES)),
        "app/build.rs sets a cfg for each bundle"
    );
    for (page, bundle) in app::ui::ISLAND_PAGES {
        assert!(app::ui::BUNDLES.contains(bundle), "{page}: {bundle}");
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
