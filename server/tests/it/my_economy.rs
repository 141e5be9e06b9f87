//! `/my-economy`: a submitter's own economy, its figures the scoring module's, nobody else's.

use crate::helpers::{example_framework, world};

#[tokio::test]
async fn a_submitter_sees_their_own_economy_with_the_scoring_modules_figures() {
    let w = world().await;
    let sam = w.as_role("submitter-a").await.unwrap();
    let page = sam.get("/my-economy").await;
    assert_eq!(page.status, 200);
    let body = page.body;
    // The quarter being reported: the last that has ended (today is the system clock's).
    let as_of = app::domain::Quarter::containing(chrono::Local::now().date_naive()).prev();
    let scores: app::domain::scoring::Scores =
        serde_json::from_str(&w.app.db.ok(&["scores", "--as-of", &as_of.to_string()])).unwrap();
    let york = scores
        .economies
        .iter()
        .find(|r| r.economy == "york")
        .unwrap();
    assert!(
        body.contains(&format!("{:.1}", york.overall.unwrap())),
        "overall"
    );
    assert!(
        body.contains(&format!("{:.1}", york.verified_overall.unwrap())),
        "verified"
    );
    assert!(body.contains(&format!(
        "{:.1}% of the overall score has a value",
        york.completeness.unwrap()
    )));
    assert!(
        body.contains(&format!("{} of 2", york.rank.unwrap())),
        "rank"
    );
    // Every criterion of the framework, with its status.
    let fw = app::domain::Framework::from_toml(&example_framework()).unwrap();
    for c in &fw.criteria {
        assert!(body.contains(&format!("({})", c.code)), "{}", c.code);
    }
    assert!(body.contains("nhsuk-tag"));
    // Beside economies like it, from the published scores: with only Leeds to compare with,
    // no median (it would be Leeds's own score), and Leeds named as the peer.
    let start = body.find("id=\"peers\"").expect("the peer comparison");
    let end = start + body[start..].find("<h2").expect("the next section");
    let peers = &body[start..end];
    assert!(peers.contains("As published for"), "{peers}");
    assert!(peers.contains("are Leeds"), "{peers}");
    assert!(peers.contains("<span>–</span>"), "no median of one economy");
    // Elsewhere, only their own economy: never Leeds.
    let rest = format!("{}{}", &body[..start], &body[end..]);
    assert!(
        !rest.to_lowercase().contains("leeds"),
        "another economy's data"
    );
    // The calendar and messages are there.
    assert!(body.contains("Reporting calendar") && body.contains("Values due"));
    // Board staff have no economy page.
    let admin = w.as_role("admin").await.unwrap();
    assert_eq!(admin.get("/my-economy").await.status, 403);
}

#[tokio::test]
async fn a_quarters_report_prints_the_published_figures_with_their_status_on_every_page() {
    let w = world().await;
    let sam = w.as_role("submitter-a").await.unwrap();
    // A published quarter: the published figures, and the date on every printed page.
    let scores: app::domain::scoring::Scores =
        serde_json::from_str(&w.app.db.ok(&["scores", "--as-of", "2014-Q2"])).unwrap();
    let york = scores
        .economies
        .iter()
        .find(|r| r.economy == "york")
        .unwrap();
    let page = sam.get("/my-economy/report/2014-Q2").await;
    assert_eq!(page.status, 200);
    let body = page.body;
    assert!(body.contains("<h1>Report for 2014-Q2</h1>"), "{body}");
    assert!(body.contains("April to June 2014"));
    assert!(body.contains(&format!("{:.1}", york.overall.unwrap())));
    let status = &body[body.find("data-testid=\"report-status\"").unwrap()..];
    assert!(status.contains("Published on "), "{status}");
    assert!(
        body.contains("@bottom-left { content: \"York"),
        "the status on every page"
    );
    assert!(body.contains("counter(pages)"));
    // What moved since the quarter before, and why.
    let changes = &body[body.find("id=\"changes\"").expect("what changed")..];
    assert!(
        changes.starts_with("id=\"changes\">What changed since 2014-Q1</h2>"),
        "{changes}"
    );
    let changes = &changes[..changes.find("id=\"peers\"").unwrap()];
    assert!(changes.contains("Scores that moved from 2014-Q1 to 2014-Q2"));
    assert!(changes.contains("<span>Overall score</span>"));
    assert!(changes.contains("(EPR-ACUTE)"));
    assert!(
        changes.contains("a new value for 2014-Q2")
            || changes.contains("a first value, for 2014-Q2"),
        "{changes}"
    );
    // Each section starts a new printed page; the benefit tables are open to print.
    assert!(body.contains("exemplar-report__section"));
    assert!(
        body.contains("class=\"nhsuk-caption-l\">York"),
        "their own economy"
    );
    // An earlier quarter's report compares that quarter's published scores.
    let q1 = sam.get("/my-economy/report/2014-Q1").await.body;
    assert!(q1.contains("As published for 2014-Q1."), "{q1}");
    // The quarter being reported, not yet published: provisional.
    let latest = app::domain::Quarter::containing(chrono::Local::now().date_naive()).prev();
    let page = sam.get(&format!("/my-economy/report/{latest}")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Provisional: not yet published"));
    // From /my-economy, a link to it.
    let home = sam.get("/my-economy").await.body;
    assert!(home.contains(&format!("href=\"/my-economy/report/{latest}\"")));
    // A quarter that has not ended, or is not a quarter: said plainly.
    let page = sam
        .get(&format!("/my-economy/report/{}", latest.next()))
        .await;
    assert_eq!(page.status, 400);
    assert!(page.body.contains("has not ended yet"), "{}", page.body);
    let page = sam.get("/my-economy/report/last-year").await;
    assert_eq!(page.status, 400);
    assert!(page
        .body
        .contains("is not a quarter: give one like 2014-Q4"));
    // The public economy page prints with what its figures are on every page too.
    let public = w.app.html("/economies/york").await.1;
    assert!(
        public.contains("figures as published for 2014-Q2 on "),
        "{public}"
    );
    assert!(public.contains("@bottom-left"));
    // Only an economy's own people.
    let admin = w.as_role("admin").await.unwrap();
    assert_eq!(admin.get("/my-economy/report/2014-Q2").await.status, 403);
}
