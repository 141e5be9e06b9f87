//! Check before it is public (issue 24): the preview window before a quarter's planned
//! publication, an economy's question about a figure and the board's answer, round trip.

use crate::helpers::{add_submitters, add_user, Browser, TestApp, TestDb, PASSWORD};

/// The example published through 2014-Q2: 2014-Q3 (ended 30 September) is planned for 14
/// December 2014 (75 days), so with the default 10 days its window runs 4 to 13 December.
fn example() -> (TestDb, String) {
    let db = TestDb::new();
    db.load_example();
    add_submitters(&db);
    db.ok(&["publish", "--through", "2014-Q2"]);
    let admin = add_user(&db, "ada@board.nhs.uk", "admin", None, PASSWORD).unwrap();
    (db, admin)
}

#[tokio::test]
async fn an_economy_questions_a_figure_in_the_window_and_sees_the_boards_answer() {
    let (db, admin_secret) = example();
    let app = TestApp::spawn(db, Some("2014-12-04")).await;
    let sam = Browser::submitter(&app, "sam@york.nhs.uk").await;
    let page = sam.get("/my-economy").await;
    assert_eq!(page.status, 200);
    assert!(page
        .body
        .contains("Check your figures for 2014-Q3 before they are published"));
    assert!(page.body.contains("will be published on 14 December 2014"));
    assert!(page.body.contains("tell the board by 13 December 2014"));
    // York's provisional overall score, as the scores command gives it for 2014-Q3.
    let scores: app::domain::scoring::Scores =
        serde_json::from_str(&app.db.ok(&["scores", "--as-of", "2014-Q3"])).unwrap();
    let york = scores
        .economies
        .iter()
        .find(|r| r.economy == "york")
        .unwrap();
    let overall = format!("{:.1}", york.overall.unwrap());
    assert!(
        page.body.contains(&format!("Overall score: {overall}")),
        "the select's option"
    );

    // Nothing chosen, no reason: both problems, by their fields, and nothing stored.
    let page = sam
        .post("/my-economy/flags", &[("figure", ""), ("reason", "  ")])
        .await;
    assert_eq!(page.status, 422);
    assert!(page.body.contains("Select the figure you believe is wrong"));
    assert!(page
        .body
        .contains("Enter why you believe the figure is wrong"));
    assert!(
        page.body.contains("href=\"#figure\""),
        "the error summary links the field"
    );
    assert!(page.body.contains("<title>Error: Your economy"));
    // A figure that is not one of the economy's.
    let page = sam
        .post(
            "/my-economy/flags",
            &[("figure", "theme:nope"), ("reason", "x")],
        )
        .await;
    assert!(page.body.contains("Select the figure you believe is wrong"));
    assert!(!sam
        .get("/my-economy")
        .await
        .body
        .contains("Waiting for the board"));

    let reason = "Our discharge summaries went electronic in November & the value is not counted";
    let page = sam
        .post(
            "/my-economy/flags",
            &[("figure", "overall"), ("reason", reason)],
        )
        .await;
    assert_eq!(page.status, 303);
    assert_eq!(page.location, "/my-economy#preview");
    let page = sam.get("/my-economy").await;
    assert!(page
        .body
        .contains("Sent to the board: your question about Overall score for 2014-Q3"));
    assert!(page.body.contains("Waiting for the board"));
    assert!(page
        .body
        .contains("went electronic in November &amp; the value"));

    // The board sees it on its publication page, before it publishes.
    let ada = Browser::staff(&app, "ada@board.nhs.uk", &admin_secret).await;
    let page = ada.get("/admin/publication").await;
    assert!(page.body.contains("Figures economies questioned"));
    assert!(page.body.contains(
        "Economies can question 2014-Q3's figures from 4 December 2014 to 13 December 2014"
    ));
    assert!(page.body.contains(&format!(
        "York and Selby: Overall score for 2014-Q3, {overall}"
    )));
    assert!(page
        .body
        .contains("1 question needs an answer before you publish"));
    let id = page
        .body
        .split("name=\"flag\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("the answer form")
        .to_string();
    let outcome = format!("flag-{id}-outcome");
    let answer = format!("flag-{id}-answer");
    // No outcome, no answer: both problems, the form again.
    let page = ada
        .post(
            "/admin/publication",
            &[
                ("action", "answer-flag"),
                ("flag", &id),
                (&outcome, ""),
                (&answer, ""),
            ],
        )
        .await;
    assert_eq!(page.status, 422);
    assert!(page
        .body
        .contains("Select whether the figure was corrected or is kept"));
    assert!(page.body.contains("Enter your answer to the economy"));
    let said = "The November values arrived after the deadline; the figure stands for 2014-Q3.";
    let page = ada
        .post(
            "/admin/publication",
            &[
                ("action", "answer-flag"),
                ("flag", &id),
                (&outcome, "kept"),
                (&answer, said),
            ],
        )
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
    // Answered once only.
    let again = ada
        .post(
            "/admin/publication",
            &[
                ("action", "answer-flag"),
                ("flag", &id),
                (&outcome, "corrected"),
                (&answer, "x"),
            ],
        )
        .await;
    assert_eq!(again.status, 303);
    let page = ada.get("/admin/publication").await;
    assert!(page
        .body
        .contains("Not done: this question has been answered already."));
    assert!(page.body.contains("Every question has an answer."));

    // The economy sees the answer, and gets it as a message.
    let page = sam.get("/my-economy").await;
    assert!(page.body.contains("Kept"));
    assert!(
        page.body.contains(&format!(
            "The board&#x27;s answer on 4 December 2014: {said}"
        )) || page
            .body
            .contains(&format!("The board's answer on 4 December 2014: {said}"))
    );
    let pool = app::db::open(&app.db.url).await.unwrap();
    let queued: Vec<(String, String)> =
        sqlx::query_as("SELECT recipient, subject FROM outbox ORDER BY id")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert!(
        queued.iter().any(|(to, s)| to == "sam@york.nhs.uk"
            && s == "The board answered your question about 2014-Q3's figures"),
        "{queued:?}"
    );
    // Both kept in the audit log, whose chain holds.
    let audit: Vec<(String, String)> =
        sqlx::query_as("SELECT kind, summary FROM audit_log ORDER BY id")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert!(audit
        .iter()
        .any(|(k, s)| k == "publication-flag" && s.contains("Overall score")));
    assert!(audit
        .iter()
        .any(|(k, s)| k == "publication-flag-answer" && s.contains("kept")));
    app.db.ok(&["audit", "verify"]);
}

#[tokio::test]
async fn the_window_opens_ten_days_before_publication_and_closes_on_the_day() {
    for (today, open) in [
        ("2014-12-03", false),
        ("2014-12-04", true),
        ("2014-12-13", true),
        ("2014-12-14", false),
    ] {
        let (db, _) = example();
        let app = TestApp::spawn(db, Some(today)).await;
        let sam = Browser::submitter(&app, "sam@york.nhs.uk").await;
        let page = sam.get("/my-economy").await;
        assert_eq!(
            page.body.contains("action=\"/my-economy/flags\""),
            open,
            "{today}: the form"
        );
        let page = sam
            .post(
                "/my-economy/flags",
                &[("figure", "overall"), ("reason", "wrong")],
            )
            .await;
        assert_eq!(page.status, 303, "{today}");
        let page = sam.get("/my-economy").await;
        assert_eq!(
            page.body.contains("Waiting for the board"),
            open,
            "{today}: stored only inside the window"
        );
        if !open {
            assert!(
                page.body
                    .contains("Not done: no quarter&#x27;s figures can be questioned today")
                    || page
                        .body
                        .contains("Not done: no quarter's figures can be questioned today")
            );
        }
    }
}
