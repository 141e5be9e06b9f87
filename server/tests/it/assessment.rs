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
    assert!(page.body.contains("Side by side, as of April to June 2014"));
    assert!(page
        .body
        .contains("Rank among these with the weights above"));
    let one = ann.get("/assess/compare?e=leeds").await.body;
    assert!(one.contains("Choose two to six candidate economies"));
    let csv = ann
        .get("/assess/compare.csv?e=leeds&e=york&q=2014-Q2&w-infra=10")
        .await;
    assert_eq!(csv.status, 200);
    let lines: Vec<&str> = csv.body.lines().collect();
    assert!(lines[0].starts_with("\u{feff}economy,name,as_of,rank,overall,verified_overall"));
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
    // Which figures differ, each with its published and live value.
    let list = &page[page
        .find("id=\"differ-2014-Q2\"")
        .expect("the differences of 2014-Q2")..];
    let list = &list[..list.find("</details>").unwrap()];
    assert!(
        list.contains("<td class=\"nhsuk-table__cell\">Leeds health and care economy</td>"),
        "{list}"
    );
    assert!(
        list.contains("<td class=\"nhsuk-table__cell\">Overall score</td>"),
        "{list}"
    );
    assert!(page.contains("href=\"#differ-2014-Q2\""));
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
                ("deadline-day", "31"),
                ("deadline-month", "10"),
                ("deadline-year", "14"),
            ],
        )
        .await;
    assert_eq!(p.status, 422);
    assert!(p.body.contains("The year must include 4 numbers"));
    assert!(p.body.contains("href=\"#deadline-day\""));
    let p = admin
        .post(
            "/admin/publication",
            &[
                ("action", "dates"),
                ("period", "2014-Q4"),
                ("deadline-day", "15"),
                ("deadline-month", "2"),
                ("deadline-year", "2015"),
            ],
        )
        .await;
    assert_eq!(p.status, 303);
    let page = admin.get("/admin/publication").await.body;
    assert!(page.contains("15 February 2015 (moved)"));
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

/// The world with the programme's today set, so a quarter is being reported.
async fn world_reporting(today: &str) -> World {
    let mut w = world().await;
    let db = std::mem::take(&mut w.app.db);
    w.app = crate::helpers::TestApp::spawn(db, Some(today)).await;
    w
}

#[tokio::test]
async fn the_queue_puts_the_quarter_being_reported_first_and_comes_a_page_at_a_time() {
    // On 20 July 2014 the quarter being reported is 2014-Q2.
    let w = world_reporting("2014-07-20").await;
    // Two more years of York's values, submitted and waiting: more than a page.
    let mut csv = String::from("economy,period,criterion,value,status\n");
    for year in [2012, 2013] {
        for q in 1..=4 {
            if (year, q) == (2013, 4) {
                continue;
            }
            for (code, value) in [("NHS-NUMBER", "40"), ("GP2GP", "no"), ("CONNECT", "1")] {
                csv.push_str(&format!("york,{year}-Q{q},{code},{value},submitted\n"));
            }
        }
    }
    let file = std::env::temp_dir().join(format!("exemplar-queue-{}.csv", std::process::id()));
    std::fs::write(&file, csv).unwrap();
    w.app.db.ok(&["import", "values", file.to_str().unwrap()]);
    let _ = std::fs::remove_file(&file);
    let ann = w.as_role("assessor").await.unwrap();
    let page = ann.get("/assess").await.body;
    let total: usize = {
        let pool = w.app.db.pool().await;
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM criterion_values v JOIN economies e ON e.id = v.economy_id
             WHERE v.status = 'submitted' AND e.status = 'candidate'",
        )
        .fetch_one(&pool)
        .await
        .unwrap();
        n as usize
    };
    assert!(total > 20, "the example has {total} values waiting");
    // The first row is a 2014-Q2 value, and every 2014-Q2 value comes before any other.
    let keys: Vec<&str> = page
        .split("name=\"key\" type=\"checkbox\" value=\"")
        .skip(1)
        .map(|s| &s[..s.find('"').unwrap()])
        .collect();
    assert_eq!(keys.len(), 20, "a page holds 20 values");
    let first_other = keys
        .iter()
        .position(|k| !k.contains("|2014-Q2|"))
        .unwrap_or(keys.len());
    assert!(first_other > 0, "{keys:?}");
    assert!(keys[first_other..].iter().all(|k| !k.contains("|2014-Q2|")));
    assert!(page.contains("the quarter being reported, and come first"));
    assert!(page.contains(&format!("Showing 1 to 20 of {total} values")));
    // The next page, with the filter kept in its link; past the last page, the last.
    assert!(page.contains("href=\"/assess?page=2#queue\""));
    let second = ann.get("/assess?page=2").await.body;
    assert!(second.contains(&format!(
        "Showing 21 to {} of {total} values",
        total.min(40)
    )));
    assert!(!keys
        .iter()
        .any(|k| second.contains(&format!("value=\"{k}\""))));
    let filtered = ann.get("/assess?sort=oldest").await.body;
    assert!(filtered.contains("href=\"/assess?sort=oldest&amp;page=2#queue\""));
    let past = ann.get("/assess?page=999").await.body;
    assert!(past.contains("There is no page 999."));
    // The overdue plans have their own tab.
    assert!(page.contains("Overdue plans (0)"));
    assert!(ann
        .get("/assess?tab=follow-ups")
        .await
        .body
        .contains("No remediation plan is overdue."));
}

#[tokio::test]
async fn a_review_is_undone_within_a_minute_only_by_whoever_made_it() {
    let w = world().await;
    let ann = w.as_role("assessor").await.unwrap();
    let p = post_pairs(
        &ann,
        "/assess",
        &[("action", "verify"), ("key", "leeds|2014-Q2|NHS-NUMBER|96")],
    )
    .await;
    assert_eq!(p.status, 303);
    // The notice names what was verified, and the queue offers to undo it.
    let page = ann.get("/assess").await.body;
    assert!(page.contains("Verified 1 value."), "{page}");
    assert!(
        page.contains("2014-Q2: Records carrying the verified NHS number (%)"),
        "the value is named"
    );
    assert!(page.contains("data-testid=\"undo\""));
    // Someone else has nothing to undo.
    let ada = w.as_role("admin").await.unwrap();
    assert!(!ada
        .get("/assess")
        .await
        .body
        .contains("data-testid=\"undo\""));
    let p = post_pairs(&ada, "/assess", &[("action", "undo")]).await;
    assert_eq!(p.status, 303);
    assert!(ada
        .get("/assess")
        .await
        .body
        .contains("Not done: there is nothing of yours to undo"));
    assert_eq!(
        status_of(&w, "leeds", "2014-Q2", "NHS-NUMBER").await.1,
        "verified"
    );
    // The reviewer undoes it: the value waits again, and the history keeps both steps.
    let p = post_pairs(&ann, "/assess", &[("action", "undo")]).await;
    assert_eq!(p.status, 303);
    assert!(ann
        .get("/assess")
        .await
        .body
        .contains("Undone: 1 value is waiting for review again"));
    assert_eq!(
        status_of(&w, "leeds", "2014-Q2", "NHS-NUMBER").await.1,
        "submitted"
    );
    let pool = w.app.db.pool().await;
    let outcomes: Vec<String> = sqlx::query_scalar(
        "SELECT r.outcome FROM reviews r JOIN economies e ON e.id = r.economy_id
         WHERE e.slug = 'leeds' AND r.period = '2014-Q2' AND r.code = 'NHS-NUMBER' ORDER BY r.id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(outcomes, ["verified", "undone"]);
    let economy = ann.get("/assess/economies/leeds").await.body;
    assert!(economy.contains("Review undone"));
    // A return undone tells the economy it is withdrawn.
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
    post_pairs(&ann, "/assess", &[("action", "undo")]).await;
    assert_eq!(
        status_of(&w, "york", "2014-Q1", "NHS-NUMBER").await.1,
        "submitted"
    );
    let subjects: Vec<String> = sqlx::query_scalar(
        "SELECT subject FROM outbox WHERE recipient = 'sam@york.nhs.uk' ORDER BY id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert!(
        subjects.iter().any(|s| s.contains("is no longer returned")),
        "{subjects:?}"
    );
    // Once undone, nothing is left to undo.
    let p = post_pairs(&ann, "/assess", &[("action", "undo")]).await;
    assert_eq!(p.status, 303);
    assert!(ann
        .get("/assess")
        .await
        .body
        .contains("Not done: there is nothing of yours to undo"));
}

#[tokio::test]
async fn an_economy_assigned_to_me_is_what_assigned_to_me_shows_and_a_quarter_is_verified_at_once()
{
    let w = world().await;
    let ann = w.as_role("assessor").await.unwrap();
    // Nothing is assigned yet.
    let mine = ann.get("/assess?mine=yes").await.body;
    assert!(mine.contains("Nothing waits for review in the economies assigned to you"));
    let page = ann.get("/assess/economies/york").await.body;
    assert!(page.contains("Assign to me"));
    let p = post_pairs(&ann, "/assess/economies/york", &[("action", "assign")]).await;
    assert_eq!(p.status, 303);
    let page = ann.get("/assess/economies/york").await.body;
    assert!(page.contains("is assigned to you."));
    assert!(page.contains("ann@board.nhs.uk") && page.contains("Unassign me"));
    let mine = ann.get("/assess?mine=yes").await.body;
    assert!(mine.contains("york|2014-Q1|NHS-NUMBER|50"));
    assert!(!mine.contains("value=\"leeds|"));
    // An address that is not an economy is not found.
    let p = post_pairs(
        &ann,
        "/assess/economies/NOT%20A%20SLUG",
        &[("action", "assign")],
    )
    .await;
    assert_eq!(p.status, 404);
    // The quarter's waiting values verified together from the economy's page.
    let keys: Vec<String> = page
        .split("Verify all ")
        .next()
        .unwrap()
        .rsplit("<form")
        .next()
        .unwrap()
        .split("name=\"key\" value=\"")
        .skip(1)
        .map(|s| s[..s.find('"').unwrap()].to_string())
        .collect();
    assert!(
        !keys.is_empty() && keys.iter().all(|k| k.starts_with("york|")),
        "{keys:?}"
    );
    let period = keys[0].split('|').nth(1).unwrap().to_string();
    assert!(keys.iter().all(|k| k.contains(&format!("|{period}|"))));
    let mut form: Vec<(&str, &str)> =
        vec![("action", "verify"), ("back", "/assess/economies/york")];
    for k in &keys {
        form.push(("key", k));
    }
    let p = post_pairs(&ann, "/assess", &form).await;
    assert_eq!(p.status, 303);
    assert_eq!(p.location, "/assess/economies/york");
    for k in &keys {
        let parts: Vec<&str> = k.split('|').collect();
        assert_eq!(
            status_of(&w, "york", parts[1], parts[2]).await.1,
            "verified"
        );
    }
    // Unassigned again.
    post_pairs(&ann, "/assess/economies/york", &[("action", "unassign")]).await;
    assert!(ann
        .get("/assess/economies/york")
        .await
        .body
        .contains("is assigned to nobody."));
}

#[tokio::test]
async fn what_the_board_returns_is_at_the_top_of_the_economys_page_and_counted_as_new() {
    let w = world().await;
    let ann = w.as_role("assessor").await.unwrap();
    let sam = w.as_role("submitter-a").await.unwrap();
    // Once the economy's page has been seen, nothing is new.
    sam.get("/my-economy").await;
    let before = sam.get("/economies").await.body;
    assert!(!before.contains("class=\"exemplar-count\""));
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
    // The header counts the new message on any page.
    let other = sam.get("/economies").await.body;
    assert!(
        other.contains("<span class=\"exemplar-count\">1</span>"),
        "the header counts one new message"
    );
    let page = sam.get("/my-economy").await.body;
    let action = &page[page
        .find("data-testid=\"action-needed\"")
        .expect("an action box")..];
    let action = &action[..action.find("</ul>").unwrap()];
    assert!(action.contains("What needs your action"));
    assert!(action.contains(
        "href=\"/my-economy/periods/2014-Q1#v-NHS-NUMBER\">Correct Records carrying the verified NHS number (%) for 2014-Q1</a>"
    ));
    assert!(action.contains("because: The audit covers the acute trust only"));
    assert!(action.contains("Read 1 new message from the board"));
    // The box comes before the scores, and the message is marked new.
    assert!(page.find("What needs your action") < page.find("Overall score"));
    assert!(page.contains(">New</strong>"));
    // Read now: the count is gone.
    assert!(!sam
        .get("/economies")
        .await
        .body
        .contains("class=\"exemplar-count\""));
}
