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
