//! Self-nomination and its review (issue 7): the window, the form's rules, acceptance
//! (a candidate, publicly, with a submitter account for the lead contact) and declining
//! with a reason.

use crate::helpers::{
    nomination_form, open_world, token_sent_to, world_on, Browser, TestApp, TestDb,
};

#[tokio::test]
async fn a_nomination_is_checked_and_every_problem_shown() {
    let w = open_world().await;
    let b = Browser::new(&w.app);
    let page = b.get("/nominate").await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("Nominations close on 31 May 2015"),
        "{}",
        page.body
    );
    let mut bad = nomination_form("", "not an email");
    // An ODS code the register does not know, and a closed trust: each named at its row.
    bad.push(("org-3-code", "RZZ"));
    bad.push(("org-4-code", "ryq"));
    let p = b.post("/nominate", &bad).await;
    assert_eq!(p.status, 422);
    for field in ["#name", "#org-3-code", "#org-4-code", "#lead_email"] {
        assert!(p.body.contains(&format!("href=\"{field}\"")), "{field}");
    }
    assert!(
        p.body
            .contains("RZZ is not an NHS organisation of 2013 to 2015"),
        "{}",
        p.body
    );
    assert!(p.body.contains(
        "South London Healthcare NHS Trust (RYQ) closed on 30 September 2013: its services passed to Lewisham and Greenwich NHS Trust (RJ2)"
    ));
    // What was typed is kept, and a known code shows its organisation's name.
    assert!(p.body.contains("value=\"RXF\""));
    assert!(p
        .body
        .contains("Mid Yorkshire Hospitals NHS Trust (acute trust)"));
    assert!(p.body.contains("value=\"not an email\""));
    // Nothing was stored.
    let pool = w.app.db.pool().await;
    assert!(app::db::nominations(&pool).await.unwrap().is_empty());
}

#[tokio::test]
async fn an_accepted_nomination_becomes_a_public_candidate_with_a_submitter() {
    let w = open_world().await;
    let b = Browser::new(&w.app);
    let p = b
        .post(
            "/nominate",
            &nomination_form(
                "Wakefield health and care partnership",
                "priya.shah@nhs.net",
            ),
        )
        .await;
    assert_eq!(p.status, 200, "{}", p.body);
    assert!(p.body.contains("Nomination received"));
    // Pending nominations are not candidates: not in the API, not scored.
    let v: serde_json::Value = reqwest::get(format!("{}/api/v1/economies", w.app.base))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(!v.to_string().contains("wakefield"));
    // The same lead email cannot nominate twice into two accounts: the first is pending,
    // an admin decides.
    let admin = w.as_role("admin").await.unwrap();
    let page = admin.get("/admin/nominations").await.body;
    assert!(page.contains("Wakefield health and care partnership"));
    assert!(page.contains("Mid Yorkshire Hospitals NHS Trust (RXF): Acute trust"));
    let p = admin
        .post(
            "/admin/nominations/wakefield-health-and-care-partnership",
            &[("decision", "accept")],
        )
        .await;
    assert_eq!(p.status, 303);
    let page = admin.get("/admin/nominations").await.body;
    assert!(page.contains("accepted the nomination of Wakefield health and care partnership"));
    // Deciding again is refused, and says so.
    admin
        .post(
            "/admin/nominations/wakefield-health-and-care-partnership",
            &[("decision", "decline"), ("reason", "x")],
        )
        .await;
    assert!(admin
        .get("/admin/nominations")
        .await
        .body
        .contains("has already been decided"));
    // Now a candidate, in the API.
    let v: serde_json::Value = reqwest::get(format!("{}/api/v1/economies", w.app.base))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(v
        .to_string()
        .contains("wakefield-health-and-care-partnership"));
    // The lead contact has a submitter account and a link to set a password.
    let pool = w.app.db.pool().await;
    let user = app::db::user_by_email(&pool, "priya.shah@nhs.net")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(user.role, "submitter");
    assert_eq!(
        user.economy.as_deref(),
        Some("wakefield-health-and-care-partnership")
    );
    // The outbox keeps the message without its link; the link went to the lead alone.
    let outbox = app::db::outbox(&pool, None, 0, 10).await.unwrap();
    let accepted = outbox
        .iter()
        .find(|m| m.subject == "Your nomination has been accepted")
        .unwrap();
    assert!(!accepted.body.contains("token="), "{}", accepted.body);
    assert!(accepted.body.contains(app::mail::LINK_KEPT_OUT));
    let token = token_sent_to(
        &w.app.db.mail_dir(),
        "priya.shah@nhs.net",
        "/reset-password?token=",
    )
    .await;
    let lead = Browser::new(&w.app);
    let p = lead
        .post(
            "/reset-password",
            &[
                ("token", &token),
                ("password", "wakefield kettle song"),
                ("confirm", "wakefield kettle song"),
            ],
        )
        .await;
    assert_eq!(p.status, 200);
    lead.sign_in("priya.shah@nhs.net", "wakefield kettle song", None, 0)
        .await;
    assert!(lead
        .get("/account")
        .await
        .body
        .contains("Submitter for Wakefield health and care partnership"));
    // Both steps are in the audit log.
    let audit = admin.get("/admin/audit?kind=nomination").await.body;
    assert!(audit.contains("nominated Wakefield health and care partnership"));
    assert!(audit.contains("accepted the nomination"));
}

#[tokio::test]
async fn declining_needs_a_reason_that_the_economy_is_sent() {
    let w = open_world().await;
    Browser::new(&w.app)
        .post(
            "/nominate",
            &nomination_form("Little Snoring", "lead@snoring.nhs.uk"),
        )
        .await;
    let admin = w.as_role("admin").await.unwrap();
    let p = admin
        .post(
            "/admin/nominations/little-snoring",
            &[("decision", "decline"), ("reason", " ")],
        )
        .await;
    assert_eq!(p.status, 422);
    assert!(p.body.contains("href=\"#reason-little-snoring\""));
    let p = admin
        .post(
            "/admin/nominations/little-snoring",
            &[
                ("decision", "decline"),
                (
                    "reason",
                    "One acute trust alone is not a local health economy.",
                ),
            ],
        )
        .await;
    assert_eq!(p.status, 303);
    let pool = w.app.db.pool().await;
    let outbox = app::db::outbox(&pool, None, 0, 10).await.unwrap();
    assert!(outbox.iter().any(|m| m.recipient == "lead@snoring.nhs.uk"
        && m.body
            .contains("One acute trust alone is not a local health economy.")));
    assert!(app::db::user_by_email(&pool, "lead@snoring.nhs.uk")
        .await
        .unwrap()
        .is_none());
}

#[tokio::test]
async fn outside_the_window_the_page_says_so_and_posts_are_refused() {
    // Today by the system clock, long after nominations closed on 31 May 2015.
    let w = world_on(None).await;
    let b = Browser::new(&w.app);
    let page = b.get("/nominate").await.body;
    assert!(page.contains("Nominations have closed"));
    let p = b
        .post(
            "/nominate",
            &nomination_form("Late economy", "late@nhs.net"),
        )
        .await;
    assert_eq!(p.status, 403);
    let pool = w.app.db.pool().await;
    assert!(app::db::nominations(&pool).await.unwrap().is_empty());
}

#[tokio::test]
async fn the_demo_has_nominations_waiting_for_a_decision() {
    let db = TestDb::new();
    db.ok(&["demo"]);
    let pool = db.pool().await;
    let pending: Vec<_> = app::db::nominations(&pool)
        .await
        .unwrap()
        .into_iter()
        .filter(|n| n.status == "nominated")
        .collect();
    assert_eq!(pending.len(), 2);
    let orgs = app::db::organisations(&pool, pending[0].economy_id)
        .await
        .unwrap();
    assert!(orgs.len() >= 3);
    // Not candidates: not in the public list.
    let app = TestApp::spawn(db, Some("2015-04-20")).await;
    let v: serde_json::Value = reqwest::get(format!("{}/api/v1/economies", app.base))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(!v.to_string().contains("isle-of-wight"));
}

#[tokio::test]
async fn a_nomination_is_checked_before_it_is_sent_and_nothing_is_kept_until_then() {
    let w = open_world().await;
    let b = Browser::new(&w.app);
    let mut form = nomination_form(
        "Wakefield health and care partnership",
        "priya.shah@nhs.net",
    );
    form.push(("action", "check"));
    let p = b.post("/nominate", &form).await;
    assert_eq!(p.status, 200, "{}", p.body);
    assert!(p
        .body
        .contains("Check your answers before sending your nomination"));
    assert!(p
        .body
        .contains("Mid Yorkshire Hospitals NHS Trust (RXF): Acute trust"));
    // Every answer travels with the page, and each can be changed.
    assert!(p
        .body
        .contains("<input type=\"hidden\" name=\"lead_email\" value=\"priya.shah@nhs.net\""));
    assert!(p
        .body
        .contains("Change<span class=\"nhsuk-u-visually-hidden\"> the region</span>"));
    let pool = w.app.db.pool().await;
    assert!(app::db::nominations(&pool).await.unwrap().is_empty());
    // Answers with a problem go back to the form with the error summary, not to the check.
    let mut bad = nomination_form("", "priya.shah@nhs.net");
    bad.push(("action", "check"));
    let p = b.post("/nominate", &bad).await;
    assert_eq!(p.status, 422);
    assert!(p.body.contains("href=\"#name\""));
    assert!(!p.body.contains("Check your answers"));
    // Change: the form again with every answer in it.
    let mut change = nomination_form(
        "Wakefield health and care partnership",
        "priya.shah@nhs.net",
    );
    change.push(("action", "change"));
    let p = b.post("/nominate", &change).await;
    assert_eq!(p.status, 200);
    assert!(p.body.contains("Nominate your local health economy"));
    assert!(p
        .body
        .contains("value=\"Wakefield health and care partnership\""));
    assert!(app::db::nominations(&pool).await.unwrap().is_empty());
    // Send: received, and kept.
    let mut send = nomination_form(
        "Wakefield health and care partnership",
        "priya.shah@nhs.net",
    );
    send.push(("action", "send"));
    let p = b.post("/nominate", &send).await;
    assert_eq!(p.status, 200);
    assert!(p.body.contains("Nomination received"));
    assert_eq!(app::db::nominations(&pool).await.unwrap().len(), 1);
}

#[tokio::test]
async fn the_register_is_searched_inside_the_form_without_losing_what_was_typed() {
    let w = open_world().await;
    let b = Browser::new(&w.app);
    let mut form = nomination_form("Leeds health and care economy", "lead@leeds.nhs.uk");
    form.push(("org_search", "leeds teaching"));
    form.push(("action", "search"));
    let p = b.post("/nominate", &form).await;
    assert_eq!(p.status, 200);
    assert!(p.body.contains("1 organisation matching"), "{}", p.body);
    assert!(p.body.contains("value=\"add:RR8\""));
    assert!(p.body.contains("value=\"Leeds health and care economy\""));
    // Add puts the code in the first empty row (rows 1 and 2 are taken).
    form.retain(|(k, _)| *k != "action");
    form.push(("action", "add:RR8"));
    let p = b.post("/nominate", &form).await;
    assert_eq!(p.status, 200);
    assert!(
        p.body
            .contains("id=\"org-3-code\" name=\"org-3-code\" type=\"text\" value=\"RR8\""),
        "{}",
        p.body
    );
    assert!(p
        .body
        .contains("Leeds Teaching Hospitals NHS Trust (acute trust)"));
    // Adding it twice is refused at the search.
    form.push(("org-3-code", "RR8"));
    let p = b.post("/nominate", &form).await;
    assert!(p.body.contains("RR8 is already one of your organisations"));
    // A search that finds nothing says so.
    let mut none = nomination_form("X", "x@nhs.net");
    none.push(("org_search", "zzzz nowhere"));
    none.push(("action", "search"));
    let p = b.post("/nominate", &none).await;
    assert!(p
        .body
        .contains("No NHS organisation matches \"zzzz nowhere\""));
}
