//! Economies at the centre (issue 24): completing a quarter together (themes and criteria
//! assigned to colleagues, the lead's sign-off before a submission) and checks as values are
//! entered (the framework's rules, warnings at the field, the reason carried to the review
//! queue). Through HTTP like a browser, checked in the database.

use crate::helpers::{
    add_user, example_framework, form, post_multipart, stderr, version_of, Browser, TestApp,
    TestDb, PASSWORD,
};
use sqlx::Row;

/// The worked example with a check on NHS-NUMBER: a change of more than 15 points warns.
fn framework() -> String {
    example_framework().replace(
        "\n[[criteria]]\ncode = \"GP2GP\"",
        "\n[[criteria.checks]]\nrule = \"max-change\"\namount = 15\nmessage = \"Say what changed.\"\n\n[[criteria]]\ncode = \"GP2GP\"",
    )
}

const FORM: &str = "/my-economy/periods/2014-Q2";
const CHECK: &str = "/my-economy/check/2014-Q2";
const ASSIGN: &str = "/my-economy/periods/2014-Q2/assignments";

async fn count(pool: &app::db::Pool, sql: &str) -> i64 {
    sqlx::query(sql)
        .fetch_one(pool)
        .await
        .unwrap()
        .get::<i64, _>(0)
}

/// York's stored NHS-NUMBER of 2014-Q2: value, status, reason.
async fn york_nhs_number(pool: &app::db::Pool) -> (String, String, Option<String>) {
    let r = sqlx::query(
        "SELECT v.value, v.status, v.reason FROM criterion_values v
         JOIN economies e ON e.id = v.economy_id
         WHERE e.slug = 'york' AND v.period = '2014-Q2' AND v.code = 'NHS-NUMBER'",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    (r.get(0), r.get(1), r.get(2))
}

#[tokio::test]
async fn colleagues_share_a_quarter_out_and_the_lead_signs_it_off_before_it_is_submitted() {
    let db = TestDb::new();
    db.load_example();
    db.load_framework("framework.toml", &framework());
    for email in ["sam@york.nhs.uk", "kim@york.nhs.uk"] {
        add_user(&db, email, "submitter", Some("york"), PASSWORD);
    }
    add_user(
        &db,
        "lee@leeds.nhs.uk",
        "submitter",
        Some("leeds"),
        PASSWORD,
    );
    let assessor = add_user(&db, "ann@board.nhs.uk", "assessor", None, PASSWORD).unwrap();
    let app = TestApp::spawn(db, Some("2014-07-20")).await;
    let pool = app.db.pool().await;
    let sam = Browser::submitter(&app, "sam@york.nhs.uk").await;
    let kim = Browser::submitter(&app, "kim@york.nhs.uk").await;

    // Sharing the quarter out: a colleague of another economy is refused by its field, and
    // nothing is stored.
    let page = sam.get(ASSIGN).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Who is completing 2014-Q2"));
    let p = sam
        .post(
            ASSIGN,
            &[
                ("assign-records", "kim@york.nhs.uk"),
                ("assign-CONNECT", "lee@leeds.nhs.uk"),
            ],
        )
        .await;
    assert_eq!(p.status, 422, "{}", p.body);
    assert!(p.body.contains("href=\"#assign-CONNECT\""));
    assert!(p
        .body
        .contains("lee@leeds.nhs.uk is not a colleague of your economy"));
    assert_eq!(
        count(&pool, "SELECT COUNT(*) FROM quarter_assignments").await,
        0
    );
    let p = sam
        .post(
            ASSIGN,
            &[
                ("assign-records", "kim@york.nhs.uk"),
                ("assign-infra", "sam@york.nhs.uk"),
                ("assign-GP2GP", "kim@york.nhs.uk"),
                ("assign-CONNECT", ""),
            ],
        )
        .await;
    assert_eq!(p.status, 303, "{}", p.body);
    assert_eq!(p.location, ASSIGN);
    assert_eq!(
        count(&pool, "SELECT COUNT(*) FROM quarter_assignments").await,
        3
    );
    assert_eq!(
        count(
            &pool,
            "SELECT COUNT(*) FROM audit_log WHERE kind = 'assignment'"
        )
        .await,
        1
    );
    // Each sees what is theirs; progress by person.
    let home = kim.get("/my-economy").await.body;
    assert!(home.contains("Completing 2014-Q2 together"));
    assert!(home.contains("data-testid=\"assigned-to-you\""));
    assert!(home.contains("href=\"/my-economy/periods/2014-Q2#theme-records\""));
    assert!(home.contains("href=\"/my-economy/periods/2014-Q2#q-GP2GP\""));
    let page = sam.get(ASSIGN).await.body;
    assert!(page.contains("Progress by person"));
    assert!(page.contains("kim@york.nhs.uk"));
    let form_page = kim.get(FORM).await.body;
    assert!(form_page.contains("Assigned to you."), "the records theme");
    assert!(
        form_page.contains("Assigned to sam@york.nhs.uk."),
        "the infra theme"
    );

    // kim drafts NHS-NUMBER: from 50 in 2014-Q1 to 90 sets off the check, which warns at the
    // field and asks why, and refuses nothing.
    let p = post_multipart(
        &kim,
        FORM,
        form(&[
            ("version", &version_of(&form_page)),
            ("action", "check"),
            ("v-NHS-NUMBER", "90"),
        ]),
    )
    .await;
    assert_eq!(p.status, 303, "{}", p.body);
    let form_page = kim.get(FORM).await.body;
    assert!(form_page.contains("Up 40 points from 50% in 2014-Q1"));
    assert!(form_page.contains("Say what changed."));
    assert!(form_page.contains("name=\"reason-NHS-NUMBER\""));
    assert!(form_page.contains("saved "), "the draft says who saved it");
    let check = kim.get(CHECK).await.body;
    assert!(check.contains("No reason given."));
    assert!(check.contains("href=\"/my-economy/periods/2014-Q2#reason-NHS-NUMBER\""));

    // With two who can submit and no lead: the check page says so, and submitting is refused.
    assert!(check.contains("Your economy needs a lead"));
    // (The check page has no submit button now: the post is as a stale page would send it.)
    let v = version_of(&kim.get(FORM).await.body);
    let p = kim
        .post(CHECK, &[("version", &v), ("code", "NHS-NUMBER")])
        .await;
    assert_eq!(p.status, 422);
    assert!(p.body.contains("Name your lead on the team page"));
    assert_eq!(york_nhs_number(&pool).await.0, "60");

    // The reason, given at the field, is kept with the draft.
    let reason = "A cleanse matched 40,000 records to the spine in June";
    let p = post_multipart(
        &kim,
        FORM,
        form(&[
            ("version", &version_of(&kim.get(FORM).await.body)),
            ("action", "draft"),
            ("v-NHS-NUMBER", "90"),
            ("reason-NHS-NUMBER", reason),
        ]),
    )
    .await;
    assert_eq!(p.status, 303, "{}", p.body);
    assert!(kim
        .get(CHECK)
        .await
        .body
        .contains(&format!("Your reason: {reason}")));

    // Naming the lead: a stranger is refused by the field; sam is named.
    let p = sam
        .post(
            "/my-economy/team",
            &[("action", "lead"), ("lead", "lee@leeds.nhs.uk")],
        )
        .await;
    assert_eq!(p.status, 422);
    assert!(p.body.contains("href=\"#lead\""));
    let p = sam
        .post(
            "/my-economy/team",
            &[("action", "lead"), ("lead", "sam@york.nhs.uk")],
        )
        .await;
    assert_eq!(p.status, 303, "{}", p.body);
    assert!(sam
        .get("/my-economy/team")
        .await
        .body
        .contains("sam@york.nhs.uk is your economy's lead"));
    assert_eq!(
        count(&pool, "SELECT COUNT(*) FROM audit_log WHERE kind = 'lead'").await,
        1
    );

    // Not yet signed off: kim's submission is refused, and kim cannot sign off.
    let check = kim.get(CHECK).await.body;
    assert!(check.contains("data-testid=\"waiting-signoff\""));
    assert!(
        !check.contains("Submit the ticked values"),
        "no button that cannot work"
    );
    let v = version_of(&kim.get(FORM).await.body);
    let p = kim
        .post(CHECK, &[("version", &v), ("code", "NHS-NUMBER")])
        .await;
    assert_eq!(p.status, 422);
    assert!(p.body.contains("has not signed these values off yet"));
    let p = kim
        .post(
            CHECK,
            &[("action", "signoff"), ("version", &v), ("signoff", "yes")],
        )
        .await;
    assert_eq!(p.status, 303);
    assert!(kim
        .get(CHECK)
        .await
        .body
        .contains("Not done: only your economy's lead, sam@york.nhs.uk, can sign a quarter off."));
    assert_eq!(
        count(&pool, "SELECT COUNT(*) FROM quarter_signoffs").await,
        0
    );

    // The lead signs off: the box must be ticked; then it is, and logged.
    let check = sam.get(CHECK).await.body;
    assert!(check.contains("Sign off this quarter"));
    let v = version_of(&check);
    let p = sam
        .post(CHECK, &[("action", "signoff"), ("version", &v)])
        .await;
    assert_eq!(p.status, 422);
    assert!(p
        .body
        .contains("Tick the box to confirm you have checked these values"));
    let p = sam
        .post(
            CHECK,
            &[("action", "signoff"), ("version", &v), ("signoff", "yes")],
        )
        .await;
    assert_eq!(p.status, 303, "{}", p.body);
    assert_eq!(
        count(&pool, "SELECT COUNT(*) FROM quarter_signoffs").await,
        1
    );
    assert_eq!(
        count(
            &pool,
            "SELECT COUNT(*) FROM audit_log WHERE kind = 'sign-off'"
        )
        .await,
        1
    );

    // Now kim submits it, and the reason goes with the value.
    let check = kim.get(CHECK).await.body;
    assert!(check.contains("data-testid=\"signed-off\""));
    let p = kim
        .post(
            CHECK,
            &[("version", &version_of(&check)), ("code", "NHS-NUMBER")],
        )
        .await;
    assert_eq!(p.status, 303, "{}", p.body);
    assert!(p.location.starts_with("/my-economy/receipts/"));
    assert_eq!(
        york_nhs_number(&pool).await,
        ("90".into(), "submitted".into(), Some(reason.into()))
    );

    // A draft changed after the sign-off needs signing off again.
    let p = post_multipart(
        &kim,
        FORM,
        form(&[
            ("version", &version_of(&kim.get(FORM).await.body)),
            ("action", "draft"),
            ("v-CONNECT", "4"),
        ]),
    )
    .await;
    assert_eq!(p.status, 303, "{}", p.body);
    let check = kim.get(CHECK).await.body;
    assert!(check.contains("Saved since the last sign-off ("));
    let v = version_of(&kim.get(FORM).await.body);
    let p = kim
        .post(CHECK, &[("version", &v), ("code", "CONNECT")])
        .await;
    assert_eq!(p.status, 422);
    assert!(p
        .body
        .contains("CONNECT saved since sam@york.nhs.uk last signed this quarter off"));

    // The board's review queue shows the warning and the economy's reason beside the value.
    let ann = Browser::staff(&app, "ann@board.nhs.uk", &assessor).await;
    let queue = ann.get("/assess?economy=york").await.body;
    assert!(queue.contains("data-testid=\"queue-check\""));
    assert!(queue.contains(&format!("The economy's reason: {reason}")));
}

#[tokio::test]
async fn an_economy_with_one_submitter_submits_without_a_sign_off() {
    let db = TestDb::new();
    db.load_example();
    add_user(
        &db,
        "lee@leeds.nhs.uk",
        "submitter",
        Some("leeds"),
        PASSWORD,
    );
    let app = TestApp::spawn(db, Some("2014-07-20")).await;
    let lee = Browser::submitter(&app, "lee@leeds.nhs.uk").await;
    let page = lee.get(FORM).await.body;
    let p = post_multipart(
        &lee,
        FORM,
        form(&[
            ("version", &version_of(&page)),
            ("action", "check"),
            ("v-CONNECT", "4"),
        ]),
    )
    .await;
    assert_eq!(p.status, 303, "{}", p.body);
    let check = lee.get(CHECK).await.body;
    assert!(!check.contains("Sign off this quarter") && !check.contains("needs a lead"));
    let p = lee
        .post(
            CHECK,
            &[("version", &version_of(&check)), ("code", "CONNECT")],
        )
        .await;
    assert_eq!(p.status, 303, "{}", p.body);
    let team = lee.get("/my-economy/team").await.body;
    assert!(team.contains("You are the only one now, so no sign-off is needed."));
}

#[tokio::test]
async fn a_framework_files_checks_are_refused_with_every_problem_and_nothing_stored() {
    let db = TestDb::new();
    db.load_example();
    let before = db.ok(&["framework", "list"]);
    let bad = framework().replace("amount = 15", "amount = -2\nmax = 3\nrange = 4")
        + "\n[[criteria.checks]]\nrule = \"max-change\"\namount = 1\nmessage = \"m\"\n";
    let path = db.write("bad.toml", &bad);
    let out = db.run(&["framework", "load", &path]);
    assert!(!out.status.success());
    let err = stderr(&out);
    for want in [
        "criteria[2].checks[1].amount: must be greater than 0, found -2",
        "criteria[2].checks[1].max: does not apply to rule \"max-change\"",
        "criteria[2].checks[1].range: unknown key (check its spelling)",
    ] {
        assert!(err.contains(want), "missing {want}: {err}");
    }
    assert_eq!(db.ok(&["framework", "list"]), before, "nothing stored");
    // The good file loads, and /how-scores-work shows its check in words.
    let path = db.write("good.toml", &framework());
    db.ok(&["framework", "load", &path]);
    let app = TestApp::spawn(db, None).await;
    let (status, body) = app.html("/how-scores-work").await;
    assert_eq!(status, 200);
    assert!(body.contains("Checks as values are entered"));
    assert!(body.contains("A change of more than 15 percentage points from the quarter before"));
    assert!(body.contains("Say what changed."));
}
