//! Assessment (issue 8): the review queue's order, verification and return (reason required,
//! the economy sees it and resubmits), notes, the comparison and its export, proposals and
//! decisions (kept, superseded, public only when made so).

use crate::helpers::{example_framework, world, Browser, Page, World};
use sqlx::Row;

async fn status_of(w: &World, economy: &str, period: &str, code: &str) -> (String, String) {
    let pool = w.app.db.pool().await;
    let r = sqlx::query(
        "SELECT v.value, v.status FROM criterion_values v JOIN economies e ON e.id = v.economy_id
         WHERE e.slug = $1 AND v.period = $2 AND v.code = $3",
    )
    .bind(economy)
    .bind(period)
    .bind(code)
    .fetch_one(&pool)
    .await
    .unwrap();
    (r.get(0), r.get(1))
}

async fn post_pairs(b: &Browser, path: &str, pairs: &[(&str, &str)]) -> Page {
    b.post(path, pairs).await
}

#[tokio::test]
async fn the_queue_puts_values_that_decide_a_stage_before_minor_ones() {
    let w = world().await;
    let ann = w.as_role("assessor").await.unwrap();
    let page = ann.get("/assess").await;
    assert_eq!(page.status, 200);
    // Leeds's 96 for NHS-NUMBER in 2014-Q2 decides stage 2 (without it, 80 from 2013-Q4);
    // its CONNECT of 2 in 2013-Q4 decides nothing.
    let decisive = page
        .body
        .find("value=\"leeds|2014-Q2|NHS-NUMBER|96\"")
        .expect("in the queue");
    let minor = page
        .body
        .find("value=\"leeds|2013-Q4|CONNECT|2\"")
        .expect("in the queue");
    assert!(decisive < minor);
    assert!(page.body.contains("Decides stage 2"));
    // Verified and returned values are not in the queue.
    assert!(!page.body.contains("leeds|2014-Q2|GP2GP|yes"));
    assert!(!page.body.contains("leeds|2014-Q2|CONNECT|3"));
    // Filters: one economy, one criterion.
    let page = ann
        .get("/assess?economy=york&criterion=NHS-NUMBER")
        .await
        .body;
    assert!(
        page.contains("york|2014-Q1|NHS-NUMBER|50") && page.contains("york|2014-Q2|NHS-NUMBER|60")
    );
    assert!(!page.contains("leeds|") && !page.contains("|GP2GP|"));
    // Oldest first is offered too.
    assert_eq!(ann.get("/assess?sort=oldest").await.status, 200);
    // Submitters have no queue.
    let sam = w.as_role("submitter-a").await.unwrap();
    assert_eq!(sam.get("/assess").await.status, 403);
    assert_eq!(
        sam.post(
            "/assess",
            &[("action", "verify"), ("key", "leeds|2014-Q2|NHS-NUMBER|96")]
        )
        .await
        .status,
        403
    );
}

#[tokio::test]
async fn verifying_and_returning_with_a_reason_that_the_economy_sees_and_answers() {
    let w = world().await;
    let ann = w.as_role("assessor").await.unwrap();
    // Several at once.
    let p = post_pairs(
        &ann,
        "/assess",
        &[
            ("action", "verify"),
            ("key", "leeds|2014-Q2|NHS-NUMBER|96"),
            ("key", "york|2014-Q1|GP2GP|yes"),
            ("back", "/assess?economy=leeds"),
        ],
    )
    .await;
    assert_eq!(p.status, 303);
    assert_eq!(p.location, "/assess?economy=leeds");
    assert_eq!(
        status_of(&w, "leeds", "2014-Q2", "NHS-NUMBER").await.1,
        "verified"
    );
    assert_eq!(
        status_of(&w, "york", "2014-Q1", "GP2GP").await.1,
        "verified"
    );
    assert!(ann.get("/assess").await.body.contains("Verified 2 values."));
    // A value changed since the page was loaded is left alone.
    let p = post_pairs(
        &ann,
        "/assess",
        &[("action", "verify"), ("key", "york|2014-Q1|NHS-NUMBER|49")],
    )
    .await;
    assert_eq!(p.status, 303);
    assert!(ann
        .get("/assess")
        .await
        .body
        .contains("resubmitted since the page was loaded"));
    assert_eq!(
        status_of(&w, "york", "2014-Q1", "NHS-NUMBER").await.1,
        "submitted"
    );
    // Returning needs a reason.
    let p = post_pairs(
        &ann,
        "/assess",
        &[
            ("action", "return"),
            ("key", "york|2014-Q1|NHS-NUMBER|50"),
            ("field", "reason-3"),
            ("reason", "  "),
        ],
    )
    .await;
    assert_eq!(p.status, 422);
    assert!(p.body.contains("href=\"#reason-3\""));
    assert!(p.body.contains("Give the reason the value is returned"));
    assert_eq!(
        status_of(&w, "york", "2014-Q1", "NHS-NUMBER").await.1,
        "submitted"
    );
    let p = post_pairs(
        &ann,
        "/assess",
        &[
            ("action", "return"),
            ("key", "york|2014-Q1|NHS-NUMBER|50"),
            ("reason", "The audit covers the acute trust only"),
        ],
    )
    .await;
    assert_eq!(p.status, 303);
    assert_eq!(
        status_of(&w, "york", "2014-Q1", "NHS-NUMBER").await.1,
        "rejected"
    );
    // The economy sees it, with the reason, and resubmits.
    let sam = w.as_role("submitter-a").await.unwrap();
    let dash = sam.get("/my-economy").await.body;
    assert!(
        dash.contains("The audit covers the acute trust only"),
        "{dash}"
    );
    let form = sam.get("/my-economy/periods/2014-Q1").await.body;
    assert!(form.contains("Returned"));
    assert!(form.contains("The audit covers the acute trust only"));
    // The audit log has both reviews.
    let admin = w.as_role("admin").await.unwrap();
    let audit = admin.get("/admin/audit?kind=review").await.body;
    assert!(audit.contains("verified 2 values") && audit.contains("returned 1 value"));
    // Staff's view of the economy shows the review.
    let view = ann.get("/assess/economies/york").await.body;
    assert!(view.contains("Returned") && view.contains("The audit covers the acute trust only"));
}

#[tokio::test]
async fn notes_are_internal_and_the_comparison_exports() {
    let w = world().await;
    let ann = w.as_role("assessor").await.unwrap();
    let p = ann.post("/assess/economies/york", &[("note", "")]).await;
    assert_eq!(p.status, 422);
    assert!(p.body.contains("Write the note"));
    let p = ann
        .post(
            "/assess/economies/york",
            &[("note", "Ask about community trust coverage")],
        )
        .await;
    assert_eq!(p.status, 303);
    assert!(ann
        .get("/assess/economies/york")
        .await
        .body
        .contains("Ask about community trust coverage"));
    let (_, public) = w.app.html("/economies/york").await;
    assert!(!public.contains("community trust coverage"));
    let sam = w.as_role("submitter-a").await.unwrap();
    assert!(!sam
        .get("/my-economy")
        .await
        .body
        .contains("community trust coverage"));

    // Compare two, with changed weights: ranks among every candidate, and the CSV.
    let page = ann.get("/assess/compare?e=leeds&e=york&q=2014-Q2").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Side by side, as of 2014-Q2"));
    assert!(page.body.contains("Rank with the weights below"));
    let one = ann.get("/assess/compare?e=leeds").await.body;
    assert!(one.contains("Choose two to six candidate economies"));
    let csv = ann
        .get("/assess/compare.csv?e=leeds&e=york&q=2014-Q2&w-infra=10")
        .await;
    assert_eq!(csv.status, 200);
    let lines: Vec<&str> = csv.body.lines().collect();
    assert!(lines[0].starts_with("economy,name,as_of,rank,overall,verified_overall"));
    assert_eq!(lines.len(), 3);
    assert!(lines[1].starts_with("leeds,") || lines[1].starts_with("york,"));
    // The weighted rank matches the scoring module with those weights.
    let fw = app::domain::Framework::from_toml(&example_framework()).unwrap();
    let heavy = app::domain::assessment::with_weights(&fw, &[("infra".into(), 10.0)]);
    let pool = w.app.db.pool().await;
    let inputs: Vec<_> = app::service::scoring_inputs(&pool)
        .await
        .unwrap()
        .into_iter()
        .map(|(_, i)| i)
        .collect();
    let scores = app::domain::scoring::score_all(&heavy, &inputs, Some("2014-Q2".parse().unwrap()));
    let leeds_rank = scores
        .economies
        .iter()
        .find(|r| r.economy == "leeds")
        .unwrap()
        .rank
        .unwrap();
    let leeds_line = lines.iter().find(|l| l.starts_with("leeds,")).unwrap();
    let header: Vec<&str> = lines[0].split(',').collect();
    let col = header
        .iter()
        .position(|h| *h == "rank_with_weights")
        .unwrap();
    assert_eq!(
        leeds_line.split(',').nth(col).unwrap(),
        leeds_rank.to_string()
    );
}

#[tokio::test]
async fn decisions_are_kept_superseded_and_public_only_when_made_so() {
    let w = world().await;
    let ann = w.as_role("assessor").await.unwrap();
    let p = ann
        .post(
            "/assess/shortlist",
            &[
                ("action", "decide"),
                ("economy", "leeds"),
                ("outcome", "proposed"),
                ("rationale", ""),
            ],
        )
        .await;
    assert_eq!(p.status, 422);
    assert!(p.body.contains("Give the rationale"));
    let p = ann
        .post(
            "/assess/shortlist",
            &[
                ("action", "decide"),
                ("economy", "leeds"),
                ("outcome", "proposed"),
                ("rationale", "Highest verified score and every gate met"),
            ],
        )
        .await;
    assert_eq!(p.status, 303);
    // An assessor cannot record the panel's decision.
    let p = ann
        .post(
            "/assess/shortlist",
            &[
                ("action", "decide"),
                ("economy", "leeds"),
                ("outcome", "selected"),
                ("rationale", "Because"),
            ],
        )
        .await;
    assert_eq!(p.status, 303);
    assert!(ann
        .get("/assess/shortlist")
        .await
        .body
        .contains("only an admin records"));
    let admin = w.as_role("admin").await.unwrap();
    for (outcome, rationale) in [
        ("shortlisted", "Shortlisted by the panel on 2 June 2015"),
        (
            "selected",
            "Selected as the pilot site: strongest verified record",
        ),
    ] {
        let p = admin
            .post(
                "/assess/shortlist",
                &[
                    ("action", "decide"),
                    ("economy", "leeds"),
                    ("outcome", outcome),
                    ("rationale", rationale),
                ],
            )
            .await;
        assert_eq!(p.status, 303);
    }
    let pool = w.app.db.pool().await;
    let all = app::db::decisions(&pool).await.unwrap();
    assert_eq!(all.len(), 3, "every proposal and decision kept");
    assert_eq!(all[0].outcome, "proposed");
    assert!(
        all[2].scores.contains("\"economy\":\"leeds\""),
        "{}",
        all[2].scores
    );
    // Not public until made so.
    let (_, public) = w.app.html("/economies/leeds").await;
    assert!(!public.contains("Selected as the exemplar pilot site"));
    let selected = all.iter().find(|d| d.outcome == "selected").unwrap().id;
    let proposal = all[0].id;
    let p = admin
        .post(
            "/assess/shortlist",
            &[("action", "publish"), ("id", &proposal.to_string())],
        )
        .await;
    assert_eq!(p.status, 303);
    assert!(admin
        .get("/assess/shortlist")
        .await
        .body
        .contains("Not done"));
    let p = admin
        .post(
            "/assess/shortlist",
            &[("action", "publish"), ("id", &selected.to_string())],
        )
        .await;
    assert_eq!(p.status, 303);
    let (_, public) = w.app.html("/economies/leeds").await;
    assert!(public.contains("Selected as the exemplar pilot site"));
    assert!(public.contains("strongest verified record"));
    // The shortlist page shows the robustness of each rank.
    let page = ann.get("/assess/shortlist").await.body;
    assert!(page.contains("Rank under weight changes"));
    // An assessor cannot make a decision public.
    let p = ann
        .post(
            "/assess/shortlist",
            &[("action", "publish"), ("id", &selected.to_string())],
        )
        .await;
    assert_eq!(p.status, 303);
}

#[tokio::test]
async fn publishing_and_revising_from_the_web_move_public_figures_only_then() {
    let w = world().await;
    let admin = w.as_role("admin").await.unwrap();
    let ann = w.as_role("assessor").await.unwrap();
    let (_, before) = w.app.json("/api/v1/scores?as_of=2014-Q2").await;
    // A return changes the live figures, not the published ones.
    let p = ann
        .post(
            "/assess",
            &[
                ("action", "return"),
                ("key", "leeds|2014-Q2|NHS-NUMBER|96"),
                ("reason", "Counts records twice"),
            ],
        )
        .await;
    assert_eq!(p.status, 303);
    let page = admin.get("/admin/publication").await.body;
    assert!(
        page.contains("figures now differ from live")
            || page.contains("1 figure now differs from live"),
        "{page}"
    );
    assert_eq!(w.app.json("/api/v1/scores?as_of=2014-Q2").await.1, before);
    // A revision needs a reason; then the public figures move, with it shown.
    let p = admin
        .post(
            "/admin/publication",
            &[("action", "revise"), ("quarter", "2014-Q2"), ("reason", "")],
        )
        .await;
    assert_eq!(p.status, 422);
    assert!(p.body.contains("Give the reason for the revision"));
    let p = admin
        .post(
            "/admin/publication",
            &[
                ("action", "revise"),
                ("quarter", "2014-Q2"),
                (
                    "reason",
                    "Leeds's NHS number figure was returned by the assessor",
                ),
            ],
        )
        .await;
    assert_eq!(p.status, 303);
    let (_, after) = w.app.json("/api/v1/scores?as_of=2014-Q2").await;
    assert_ne!(after, before);
    assert!(after["revised"]
        .to_string()
        .contains("returned by the assessor"));
    // Publishing the next quarter makes it public, after a check of what will be.
    assert_eq!(w.app.json("/api/v1/scores?as_of=2014-Q3").await.0, 404);
    let p = admin
        .post(
            "/admin/publication",
            &[("action", "publish"), ("through", "2014-Q3")],
        )
        .await;
    assert_eq!(p.status, 200, "the check first, nothing published");
    assert!(p.body.contains("Check before you publish"));
    assert!(p.body.contains("name=\"confirm\" value=\"yes\""));
    assert_eq!(w.app.json("/api/v1/scores?as_of=2014-Q3").await.0, 404);
    let p = admin
        .post(
            "/admin/publication",
            &[
                ("action", "publish"),
                ("through", "2014-Q3"),
                ("confirm", "yes"),
            ],
        )
        .await;
    assert_eq!(p.status, 303);
    assert_eq!(w.app.json("/api/v1/scores?as_of=2014-Q3").await.0, 200);
    assert!(admin
        .get("/admin/publication")
        .await
        .body
        .contains("Published 2014-Q3."));
    // Moving dates: checked, then shown.
    let p = admin
        .post(
            "/admin/publication",
            &[
                ("action", "dates"),
                ("period", "2014-Q3"),
                ("deadline", "31/10/2014"),
            ],
        )
        .await;
    assert_eq!(p.status, 422);
    assert!(p.body.contains("Enter a real date as YYYY-MM-DD"));
    let p = admin
        .post(
            "/admin/publication",
            &[
                ("action", "dates"),
                ("period", "2014-Q4"),
                ("deadline", "2015-02-15"),
            ],
        )
        .await;
    assert_eq!(p.status, 303);
    let page = admin.get("/admin/publication").await.body;
    assert!(page.contains("2015-02-15 (moved)"));
    let audit = admin.get("/admin/audit?kind=calendar").await.body;
    assert!(audit.contains("moved 2014-Q4"));
}

#[tokio::test]
async fn a_framework_file_through_the_web_is_checked_whole_and_its_changes_shown() {
    let w = world().await;
    let admin = w.as_role("admin").await.unwrap();
    let upload = |text: String| {
        reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(text.into_bytes()).file_name("framework.toml"),
        )
    };
    let send = |form: reqwest::multipart::Form| {
        let admin = admin.client.clone();
        let base = admin_base(&w);
        async move {
            admin
                .post(format!("{base}/admin/frameworks"))
                .header("sec-fetch-site", "same-origin")
                .multipart(form)
                .send()
                .await
                .unwrap()
        }
    };
    let text = example_framework();
    let bad = text
        .replace("weight = 3.0", "weight = -3.0")
        .replace("kind = \"level\"", "kind = \"levels\"");
    let r = send(upload(bad)).await;
    assert_eq!(r.status(), 422);
    let body = r.text().await.unwrap();
    assert!(body.contains("nhsuk-error-summary"));
    assert!(body.contains("framework.toml:"), "{body}");
    let before = app::db::list_frameworks(&w.app.db.pool().await)
        .await
        .unwrap()
        .len();
    let r = send(upload(text.replace("weight = 3.0", "weight = 2.0"))).await;
    assert_eq!(r.status(), 303);
    let page = admin.get("/admin/frameworks").await.body;
    assert!(page.contains("Loaded example version"));
    let pool = w.app.db.pool().await;
    let versions = app::db::framework_versions(&pool).await.unwrap();
    assert_eq!(versions.len(), before + 1);
    let (a, b) = (
        versions[versions.len() - 2].0,
        versions[versions.len() - 1].0,
    );
    let diff = admin
        .get(&format!("/admin/frameworks?a={a}&b={b}"))
        .await
        .body;
    assert!(diff.contains("Theme records: weight 3 to 2"), "{diff}");
    // A version is not compared with itself.
    let same = admin
        .get(&format!("/admin/frameworks?a={b}&b={b}"))
        .await
        .body;
    assert!(same.contains("You chose the same version twice."), "{same}");
    // Published quarters keep the version they used.
    assert!(page.contains("2014-Q2"));
}

fn admin_base(w: &World) -> String {
    w.app.base.clone()
}
