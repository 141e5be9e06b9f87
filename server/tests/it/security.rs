//! Security round 2 (issue 16): each hole a review found and a live test confirmed, proven
//! closed through HTTP and the command line as an attacker or a colleague would try it.

use crate::helpers::{
    add_user, drop_audit_guard, example_with_trusts, nomination_form, now, open_world, stderr,
    token_sent_to, user_id, world, Browser, Server, TestApp, TestDb, PASSWORD,
};

/// A six-digit code that is none of the three the secret accepts now.
fn wrong_code(secret: &str) -> String {
    let right: Vec<String> = [now() - 30, now(), now() + 30]
        .iter()
        .map(|t| app::auth::totp_code(secret, *t))
        .collect();
    (0..1000)
        .map(|i| format!("{:06}", 123_457 + i * 7919))
        .find(|c| !right.contains(c))
        .unwrap()
}

#[tokio::test]
async fn guessing_one_time_codes_ends_the_sign_in_and_tells_the_account_holder() {
    let w = world().await;
    let b = Browser::new(&w.app);
    let wrong = wrong_code(&w.assessor);
    // "Password, then wrong codes, again": answered 429 within a dozen wrong codes.
    let mut refused_at = None;
    let mut wrong_codes = 0;
    while wrong_codes < 12 && refused_at.is_none() {
        let p = b
            .post(
                "/sign-in",
                &[("email", "ann@board.nhs.uk"), ("password", PASSWORD)],
            )
            .await;
        if p.status == 429 {
            refused_at = Some(wrong_codes);
            assert!(
                p.body.contains("Too many wrong security codes"),
                "{}",
                p.body
            );
            break;
        }
        assert_eq!(p.status, 303, "{}", p.body);
        for _ in 0..4 {
            let p = b.post("/sign-in/code", &[("code", &wrong)]).await;
            if p.location == "/sign-in" {
                break; // the sign-in has ended: start again from the password
            }
            wrong_codes += 1;
            if p.status == 429 {
                refused_at = Some(wrong_codes);
                assert!(p
                    .body
                    .contains("Too many wrong security codes. Wait 1 minute"));
                assert!(p.headers.contains_key("retry-after"));
                break;
            }
            assert_eq!(p.status, 422, "{}", p.body);
        }
    }
    assert_eq!(refused_at, Some(3), "the third wrong code ends the sign-in");
    // The half-finished sign-in is gone: a right code now starts nothing.
    let code = app::auth::totp_code(&w.assessor, now());
    let p = b.post("/sign-in/code", &[("code", &code)]).await;
    assert_eq!((p.status, p.location.as_str()), (303, "/sign-in"));
    // The password does not clear the count: it must wait too, even when right.
    let p = b
        .post(
            "/sign-in",
            &[("email", "ann@board.nhs.uk"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(p.status, 429);
    assert!(p
        .body
        .contains("Too many wrong security codes were given for this account"));
    // The account holder is told, and the audit log says so with the address.
    let pool = w.app.db.pool().await;
    let outbox = app::db::outbox(&pool, None, 0, 20).await.unwrap();
    assert!(outbox
        .iter()
        .any(|m| m.recipient == "ann@board.nhs.uk"
            && m.subject == "Someone has your Exemplar password"));
    let filter = app::db::AuditFilter {
        kind: Some("sign-in".into()),
        ..Default::default()
    };
    let entries = app::db::audit_find(&pool, &filter, 10).await.unwrap();
    let told = entries
        .iter()
        .find(|e| e.summary.contains("wrong security codes"))
        .expect("an audit entry");
    assert_eq!(told.address.as_deref(), Some("127.0.0.1"));
}

#[tokio::test]
async fn parallel_wrong_passwords_are_counted_before_any_is_judged() {
    let w = world().await;
    let url = format!("{}/sign-in", w.app.base);
    let attempts = (0..40).map(|_| {
        let url = url.clone();
        tokio::spawn(async move {
            reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap()
                .post(url)
                .form(&[("email", "lee@leeds.nhs.uk"), ("password", "not it at all")])
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        })
    });
    let mut judged = 0;
    let mut refused = 0;
    for a in attempts {
        match a.await.unwrap() {
            422 => judged += 1,
            429 => refused += 1,
            other => panic!("status {other}"),
        }
    }
    assert!(judged <= 10, "{judged} of 40 were judged");
    assert_eq!(judged + refused, 40);
}

#[tokio::test]
async fn a_stranger_cannot_lock_the_owner_out_and_a_reset_clears_the_waits() {
    let db = TestDb::new();
    db.load_example();
    add_user(
        &db,
        "lee@leeds.nhs.uk",
        "submitter",
        Some("leeds"),
        PASSWORD,
    );
    let app = TestApp::spawn_with(db, None, |s| s.trust_proxy = true).await;
    let from = |b: &Browser, addr: &'static str, password: &'static str| {
        let client = b.client.clone();
        let url = format!("{}/sign-in", b.base);
        async move {
            client
                .post(url)
                .header("x-forwarded-for", addr)
                .header("sec-fetch-site", "same-origin")
                .form(&[("email", "lee@leeds.nhs.uk"), ("password", password)])
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    let stranger = Browser::new(&app);
    let mut statuses = Vec::new();
    for _ in 0..6 {
        statuses.push(from(&stranger, "203.0.113.9", "guess guess guess").await);
    }
    assert_eq!(statuses[..4], [422, 422, 422, 422]);
    assert_eq!(statuses[4], 429, "{statuses:?}");
    // The owner, elsewhere, is not held back.
    let owner = Browser::new(&app);
    assert_eq!(from(&owner, "198.51.100.7", PASSWORD).await, 303);
    // A completed password reset forgets the waits, wherever they were made.
    let p = owner
        .post("/reset-password", &[("email", "lee@leeds.nhs.uk")])
        .await;
    assert_eq!(p.status, 200);
    let token = token_sent_to(
        &app.db.mail_dir(),
        "lee@leeds.nhs.uk",
        "/reset-password?token=",
    )
    .await;
    let p = owner
        .post(
            "/reset-password",
            &[
                ("token", &token),
                ("password", "a new kettle song"),
                ("confirm", "a new kettle song"),
            ],
        )
        .await;
    assert_eq!(p.status, 200, "{}", p.body);
    let again = Browser::new(&app);
    assert_eq!(from(&again, "203.0.113.9", "a new kettle song").await, 303);
}

#[tokio::test]
async fn no_live_link_is_shown_to_colleagues_or_staff_or_kept_in_messages() {
    let w = world().await;
    add_user(
        &w.app.db,
        "kim@york.nhs.uk",
        "submitter",
        Some("york"),
        PASSWORD,
    );
    let sam = w.as_role("submitter-a").await.unwrap();
    let p = sam
        .post("/my-economy/team", &[("email", "pat@york.nhs.uk")])
        .await;
    assert_eq!(p.status, 200);
    let anyone = Browser::new(&w.app);
    anyone
        .post("/reset-password", &[("email", "kim@york.nhs.uk")])
        .await;
    let admin = w.as_role("admin").await.unwrap();
    let p = admin
        .post(
            "/admin/users",
            &[
                ("action", "invite"),
                ("email", "new@board.nhs.uk"),
                ("role", "assessor"),
            ],
        )
        .await;
    assert_eq!(p.status, 200);
    let mail = w.app.db.mail_dir();
    let tokens = [
        token_sent_to(&mail, "pat@york.nhs.uk", "/invitations/").await,
        token_sent_to(&mail, "kim@york.nhs.uk", "/reset-password?token=").await,
        token_sent_to(&mail, "new@board.nhs.uk", "/invitations/").await,
    ];
    let kim = Browser::submitter(&w.app, "kim@york.nhs.uk").await;
    let pages = [
        kim.get("/my-economy").await.body,
        kim.get("/my-economy/team").await.body,
        sam.get("/my-economy/team").await.body,
        admin.get("/admin/users").await.body,
    ];
    for (i, page) in pages.iter().enumerate() {
        for t in &tokens {
            assert!(!page.contains(t.as_str()), "page {i} shows a live link");
        }
    }
    // The team page says who was invited, by whom and until when: not the link.
    assert!(pages[1].contains("pat@york.nhs.uk, invited by sam@york.nhs.uk"));
    let pool = w.app.db.pool().await;
    for m in app::db::outbox(&pool, None, 0, 100).await.unwrap() {
        for t in &tokens {
            assert!(
                !m.body.contains(t.as_str()),
                "a stored message keeps a link"
            );
        }
    }
    // Each message went to its owner alone, and each link works.
    assert_eq!(
        anyone
            .get(&format!("/invitations/{}", tokens[0]))
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn no_live_link_reaches_the_log() {
    let db = TestDb::new();
    db.load_example();
    add_user(&db, "sam@york.nhs.uk", "submitter", Some("york"), PASSWORD);
    let server = Server::start_with_log(&db, "info");
    let sam = Browser::to(&server.base);
    let p = sam
        .post(
            "/sign-in",
            &[("email", "sam@york.nhs.uk"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(p.status, 303);
    assert_eq!(
        sam.post("/my-economy/team", &[("email", "pat@york.nhs.uk")])
            .await
            .status,
        200
    );
    let anyone = Browser::to(&server.base);
    anyone
        .post("/reset-password", &[("email", "sam@york.nhs.uk")])
        .await;
    let mail = db.dir.path().join("data/mail");
    let invitation = token_sent_to(&mail, "pat@york.nhs.uk", "/invitations/").await;
    let reset = token_sent_to(&mail, "sam@york.nhs.uk", "/reset-password?token=").await;
    // Following both links is logged, without them.
    assert_eq!(
        anyone
            .get(&format!("/invitations/{invitation}"))
            .await
            .status,
        200
    );
    assert_eq!(
        anyone
            .get(&format!("/reset-password?token={reset}"))
            .await
            .status,
        200
    );
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let log = server.log.lock().unwrap().clone();
    assert!(log.contains("/invitations/{token}"), "{log}");
    assert!(
        !log.contains(&invitation),
        "the invitation link is in the log"
    );
    assert!(!log.contains(&reset), "the reset link is in the log");
}

#[tokio::test]
async fn after_sign_in_only_paths_on_this_site_are_followed() {
    let w = world().await;
    let b = Browser::new(&w.app);
    let p = b
        .post(
            "/sign-in",
            &[
                ("email", "sam@york.nhs.uk"),
                ("password", PASSWORD),
                ("next", "/\t/evil.example"),
            ],
        )
        .await;
    assert_eq!(p.status, 303);
    assert_eq!(p.location, "/my-economy");
    // The sign-in page does not carry it either.
    let page = Browser::new(&w.app)
        .get("/sign-in?next=%2F%09%2Fevil.example")
        .await
        .body;
    assert!(!page.contains("evil.example"));
}

#[tokio::test]
async fn audit_verify_finds_a_cut_end_and_a_chain_rebuilt_without_the_key() {
    // The guard: changes in place and deletions are refused on both backends.
    let w = world().await;
    let db = &w.app.db;
    let pool = db.pool().await;
    for sql in [
        "DELETE FROM audit_log WHERE id = 1",
        "UPDATE audit_log SET summary = 'x' WHERE id = 1",
    ] {
        let e = sqlx::query(sql).execute(&pool).await.unwrap_err();
        assert!(e.to_string().contains("append-only"), "{sql}: {e}");
    }
    // Cutting the newest entry, with the guard dropped, is found against the head.
    drop_audit_guard(&pool, db.is_postgres()).await;
    let last: i64 = sqlx::query_scalar("SELECT MAX(id) FROM audit_log")
        .fetch_one(&pool)
        .await
        .unwrap();
    sqlx::query("DELETE FROM audit_log WHERE id = $1")
        .bind(last)
        .execute(&pool)
        .await
        .unwrap();
    let out = db.run(&["audit", "verify"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("the recorded head is missing"),
        "{}",
        stderr(&out)
    );

    // Editing an entry and recomputing every hash (and the head) without the key is found.
    let w = world().await;
    let db = &w.app.db;
    let pool = db.pool().await;
    drop_audit_guard(&pool, db.is_postgres()).await;
    sqlx::query("UPDATE audit_log SET summary = 'nothing to see' WHERE id = 2")
        .execute(&pool)
        .await
        .unwrap();
    let rows = app::db::audit_all(&pool).await.unwrap();
    let mut prev = rows[0].hash.clone();
    for r in rows.iter().skip(1) {
        let hash = app::audit::chain_hash(&prev, &r.at, &app::audit::Entry::of(r));
        sqlx::query("UPDATE audit_log SET prev_hash = $1, hash = $2 WHERE id = $3")
            .bind(&prev)
            .bind(&hash)
            .bind(r.id)
            .execute(&pool)
            .await
            .unwrap();
        prev = hash;
    }
    sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1")
        .bind(&prev)
        .execute(&pool)
        .await
        .unwrap();
    let out = db.run(&["audit", "verify"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("broken at entry 2: its content does not match its keyed hash"),
        "{}",
        stderr(&out)
    );
    // Without its key file the log is neither checked nor extended, and says why.
    let out = db.run(&[
        "--audit-key-file",
        "/nonexistent/audit.key",
        "audit",
        "verify",
    ]);
    assert_eq!(out.status.code(), Some(3));
    assert!(stderr(&out).contains("the audit key file /nonexistent/audit.key is missing"));
}

#[tokio::test]
async fn a_reset_second_factor_is_enrolled_again_only_through_the_link_sent_to_its_owner() {
    let w = world().await;
    let pool = w.app.db.pool().await;
    let ann = user_id(&pool, "ann@board.nhs.uk").await;
    let admin = w.as_role("admin").await.unwrap();
    let p = admin
        .post(
            &format!("/admin/users/{ann}"),
            &[("action", "reset-second-factor")],
        )
        .await;
    assert_eq!(p.status, 303);
    // The password alone does not enrol a new app.
    let b = Browser::new(&w.app);
    let p = b
        .post(
            "/sign-in",
            &[("email", "ann@board.nhs.uk"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(p.status, 403, "{}", p.body);
    assert!(p.body.contains("Open the link in the message we sent you"));
    assert!(!b
        .get("/sign-in/code")
        .await
        .body
        .contains("Set up your authenticator app"));
    // With the link sent to ann: password, then the new app's code.
    let token = token_sent_to(&w.app.db.mail_dir(), "ann@board.nhs.uk", "/enrol/").await;
    let p = b.get(&format!("/enrol/{token}")).await;
    assert_eq!((p.status, p.location.as_str()), (303, "/sign-in"));
    let p = b
        .post(
            "/sign-in",
            &[("email", "ann@board.nhs.uk"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(p.location, "/sign-in/code");
    let page = b.get("/sign-in/code").await.body;
    let start = page.find("secret=").expect("the new key") + 7;
    let secret: String = page[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    let code = app::auth::totp_code(&secret, now());
    let p = b.post("/sign-in/code", &[("code", &code)]).await;
    assert_eq!(p.status, 200, "{}", p.body);
    assert!(p.body.contains("Your recovery codes"));
    // The link works once.
    let other = Browser::new(&w.app);
    other.get(&format!("/enrol/{token}")).await;
    assert!(other
        .get("/sign-in")
        .await
        .body
        .contains("has been used or has expired"));
}

#[tokio::test]
async fn a_half_finished_sign_in_ends_with_the_person_and_with_time() {
    let w = world().await;
    let pool = w.app.db.pool().await;
    let ann = user_id(&pool, "ann@board.nhs.uk").await;
    let admin = w.as_role("admin").await.unwrap();
    let half = |b: &Browser| {
        let b = b.clone();
        async move {
            let p = b
                .post(
                    "/sign-in",
                    &[("email", "ann@board.nhs.uk"), ("password", PASSWORD)],
                )
                .await;
            assert_eq!(p.location, "/sign-in/code");
        }
    };
    // An admin ends ann's sessions: the half-finished sign-in ends too.
    let b = Browser::new(&w.app);
    half(&b).await;
    let p = admin
        .post(
            &format!("/admin/users/{ann}"),
            &[("action", "end-sessions")],
        )
        .await;
    assert_eq!(p.status, 303);
    let code = app::auth::totp_code(&w.assessor, now() + 30);
    let p = b.post("/sign-in/code", &[("code", &code)]).await;
    assert_eq!((p.status, p.location.as_str()), (303, "/sign-in"));
    assert_eq!(b.get("/account").await.status, 303, "not signed in");
    // Ten minutes after the password, the code is no longer taken.
    let b = Browser::new(&w.app);
    half(&b).await;
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT id, data FROM sessions WHERE user_id = $1")
            .bind(ann)
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(rows.len(), 1, "the half-finished sign-in is the person's");
    let mut data: serde_json::Value = serde_json::from_str(&rows[0].1).unwrap();
    data["pending_at"] = serde_json::json!(app::auth::unix_now() - 11 * 60);
    sqlx::query("UPDATE sessions SET data = $1 WHERE id = $2")
        .bind(data.to_string())
        .bind(&rows[0].0)
        .execute(&pool)
        .await
        .unwrap();
    let code = app::auth::totp_code(&w.assessor, now() + 60);
    let p = b.post("/sign-in/code", &[("code", &code)]).await;
    assert_eq!((p.status, p.location.as_str()), (303, "/sign-in"));
    assert_eq!(b.get("/account").await.status, 303, "not signed in");
}

#[tokio::test]
async fn changing_a_password_ends_the_other_sessions() {
    let w = world().await;
    let here = w.as_role("submitter-a").await.unwrap();
    let elsewhere = w.as_role("submitter-a").await.unwrap();
    let p = here
        .post(
            "/account",
            &[
                ("action", "password"),
                ("current", PASSWORD),
                ("password", "a new kettle song"),
                ("confirm", "a new kettle song"),
            ],
        )
        .await;
    assert_eq!(p.status, 303, "{}", p.body);
    assert_eq!(elsewhere.get("/account").await.status, 303, "ended");
    let page = here.get("/account").await;
    assert_eq!(page.status, 200, "this one goes on");
    assert!(page.body.contains("signed out everywhere else"));
}

#[tokio::test]
async fn a_kept_document_must_be_the_economys_own_upload() {
    let db = example_with_trusts();
    add_user(&db, "sam@york.nhs.uk", "submitter", Some("york"), PASSWORD);
    let app = TestApp::spawn(db, Some("2015-04-20")).await;
    let pool = app.db.pool().await;
    // A document Leeds uploaded, and one York did.
    let leeds = app::db::economy_by_slug(&pool, "leeds")
        .await
        .unwrap()
        .unwrap();
    let york = app::db::economy_by_slug(&pool, "york")
        .await
        .unwrap()
        .unwrap();
    let mut stored = Vec::new();
    for (economy, text) in [(leeds.id, "Leeds's go-live"), (york.id, "York's go-live")] {
        let pdf = app::demo::demo_pdf(text);
        let mut tx = app::db::begin(&pool).await.unwrap();
        let sha = app::db::put_file(&mut tx, &pdf, "application/pdf")
            .await
            .unwrap();
        app::db::record_upload(&mut tx, &sha, Some(economy))
            .await
            .unwrap();
        tx.commit().await.unwrap();
        stored.push(sha);
    }
    let sam = Browser::submitter(&app, "sam@york.nhs.uk").await;
    let post = |sha: &str| {
        let kept = format!("{sha} go-live.pdf");
        let sam = sam.clone();
        async move {
            sam.post(
                "/my-economy/organisations",
                &[
                    ("action", "epr"),
                    ("code", "RCB"),
                    ("status-RCB", "operational"),
                    ("date-RCB", "2014-03-01"),
                    ("kept-RCB", &kept),
                ],
            )
            .await
        }
    };
    let p = post(&stored[0]).await;
    assert_eq!(p.status, 422, "{}", p.body);
    assert!(p.body.contains("not one you uploaded"));
    let history: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM trust_history WHERE evidence_sha256 = $1")
            .bind(&stored[0])
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(history, 0, "Leeds's document was not attached");
    let p = post(&stored[1]).await;
    assert_eq!(p.status, 303, "{}", p.body);
}

#[tokio::test]
async fn a_stale_epr_form_or_a_second_copy_of_an_organisation_is_refused_with_both_values() {
    let db = example_with_trusts();
    add_user(&db, "sam@york.nhs.uk", "submitter", Some("york"), PASSWORD);
    add_user(&db, "kim@york.nhs.uk", "submitter", Some("york"), PASSWORD);
    let app = TestApp::spawn(db, Some("2015-04-20")).await;
    let sam = Browser::submitter(&app, "sam@york.nhs.uk").await;
    let kim = Browser::submitter(&app, "kim@york.nhs.uk").await;
    // Both open the page; the version each form carries is the same.
    let page = sam.get("/my-economy/organisations").await.body;
    let needle = "name=\"version-RCB\" value=\"";
    let start = page.find(needle).unwrap() + needle.len();
    let version: String = page[start..].chars().take_while(|c| *c != '"').collect();
    let save = |b: &Browser, status: &str, date: &str| {
        let b = b.clone();
        let (status, date, version) = (status.to_string(), date.to_string(), version.clone());
        async move {
            b.post(
                "/my-economy/organisations",
                &[
                    ("action", "epr"),
                    ("code", "RCB"),
                    ("version-RCB", &version),
                    ("status-RCB", &status),
                    ("date-RCB", &date),
                    ("link-RCB", "https://www.york.nhs.uk/epr"),
                ],
            )
            .await
        }
    };
    assert_eq!(save(&sam, "deploying", "2015-09-01").await.status, 303);
    let p = save(&kim, "operational", "2015-01-05").await;
    assert_eq!(p.status, 409, "{}", p.body);
    assert!(p.body.contains("sam@york.nhs.uk changed RCB"), "{}", p.body);
    assert!(p.body.contains("deploying (2015-09-01)"));
    assert!(p.body.contains("operational (2015-01-05)"));
    // Nothing was overwritten.
    let public = sam.get("/my-economy/organisations").await.body;
    assert!(public.contains("2015-09-01"));
    // The same organisation added twice: the second is shown the one there.
    let add = [
        ("action", "add"),
        ("name", "York City Council"),
        ("ods_code", ""),
        ("kind", "social-care"),
    ];
    assert_eq!(
        sam.post("/my-economy/organisations", &add).await.status,
        303
    );
    let p = kim.post("/my-economy/organisations", &add).await;
    assert_eq!(p.status, 409, "{}", p.body);
    assert!(p
        .body
        .contains("York City Council is already one of your member organisations"));
}

#[tokio::test]
async fn nominations_and_reset_requests_are_limited_per_address_and_say_nothing_of_accounts() {
    let w = open_world().await;
    let b = Browser::new(&w.app);
    // An email with an account gets the same answer as a new one.
    let p = b
        .post(
            "/nominate",
            &nomination_form("Calder partnership", "sam@york.nhs.uk"),
        )
        .await;
    assert_eq!(p.status, 200, "{}", p.body);
    assert!(p.body.contains(
        "Thank you for nominating Calder partnership. We have sent a message to sam@york.nhs.uk"
    ));
    assert!(!p.body.contains("already has an account"));
    let pool = w.app.db.pool().await;
    assert!(app::db::nominations(&pool).await.unwrap().is_empty());
    let outbox = app::db::outbox(&pool, None, 0, 10).await.unwrap();
    assert!(outbox
        .iter()
        .any(|m| m.recipient == "sam@york.nhs.uk" && m.subject.contains("could not be taken")));
    let p = b
        .post(
            "/nominate",
            &nomination_form("Kirklees partnership", "lead@kirklees.nhs.uk"),
        )
        .await;
    assert_eq!(p.status, 200);
    assert!(p.body.contains("Thank you for nominating Kirklees partnership. We have sent a message to lead@kirklees.nhs.uk"));
    // Five posts of a form from one address, then a wait.
    let mut statuses = Vec::new();
    for _ in 0..6 {
        statuses.push(
            b.post("/reset-password", &[("email", "nobody@york.nhs.uk")])
                .await
                .status,
        );
    }
    assert_eq!(statuses, [200, 200, 200, 200, 200, 429]);
    let p = b
        .post(
            "/nominate",
            &nomination_form("Third partnership", "lead@third.nhs.uk"),
        )
        .await;
    assert_eq!(p.status, 200, "the nomination form has its own count");
}

#[tokio::test]
async fn secrets_are_never_cached_and_sign_ins_are_recorded_with_their_address() {
    let w = world().await;
    let admin = w.as_role("admin").await.unwrap();
    admin
        .post(
            "/admin/users",
            &[
                ("action", "invite"),
                ("email", "new@board.nhs.uk"),
                ("role", "assessor"),
            ],
        )
        .await;
    let token = token_sent_to(&w.app.db.mail_dir(), "new@board.nhs.uk", "/invitations/").await;
    let anyone = Browser::new(&w.app);
    let p = anyone.get(&format!("/invitations/{token}")).await;
    assert_eq!(p.status, 200);
    assert!(p.body.contains("name=\"secret\""), "shows a new key");
    assert_eq!(p.headers["cache-control"], "no-store");
    // The admin's sign-in is in the audit log with its address.
    let pool = w.app.db.pool().await;
    let filter = app::db::AuditFilter {
        kind: Some("sign-in".into()),
        actor: Some("ada@board.nhs.uk".into()),
        ..Default::default()
    };
    let entries = app::db::audit_find(&pool, &filter, 5).await.unwrap();
    assert_eq!(entries[0].summary, "signed in from 127.0.0.1");
    assert_eq!(entries[0].address.as_deref(), Some("127.0.0.1"));
    // So are changes made through a page: the invitation.
    let filter = app::db::AuditFilter {
        kind: Some("invitation".into()),
        ..Default::default()
    };
    let entries = app::db::audit_find(&pool, &filter, 5).await.unwrap();
    assert_eq!(entries[0].address.as_deref(), Some("127.0.0.1"));
}

#[tokio::test]
async fn over_https_the_session_cookie_takes_the_host_prefix() {
    let db = TestDb::new();
    db.load_example();
    add_user(&db, "sam@york.nhs.uk", "submitter", Some("york"), PASSWORD);
    let app = TestApp::spawn_with(db, None, |s| {
        s.public_url = "https://exemplar.example.nhs.uk".into();
    })
    .await;
    let p = Browser::new(&app)
        .post(
            "/sign-in",
            &[("email", "sam@york.nhs.uk"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(p.status, 303);
    let cookie = p.headers["set-cookie"].to_str().unwrap();
    assert!(cookie.starts_with("__Host-exemplar_session="), "{cookie}");
    assert!(
        cookie.contains("Secure") && cookie.contains("Path=/"),
        "{cookie}"
    );
    assert!(!cookie.contains("Domain"), "{cookie}");
}
