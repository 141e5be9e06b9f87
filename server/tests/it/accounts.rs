//! Accounts, sessions, the second factor, cross-site posts, limits, headers and the audit
//! chain (issue 5), through HTTP like a browser and through the command line.

use crate::helpers::{
    add_user, drop_audit_guard, example, mail_in, now, stderr, token_sent_to, user_id, world,
    Browser, TestDb, PASSWORD,
};

#[tokio::test]
async fn a_wrong_password_shows_the_error_summary_and_the_field_message() {
    let w = world().await;
    let b = Browser::new(&w.app);
    let p = b
        .post(
            "/sign-in",
            &[("email", "sam@york.nhs.uk"), ("password", "wrong password")],
        )
        .await;
    assert_eq!(p.status, 422);
    assert!(p.body.contains("nhsuk-error-summary"), "{}", p.body);
    assert!(p.body.contains("href=\"#password\""));
    assert!(p.body.contains("nhsuk-error-message"));
    assert!(p
        .body
        .contains("<title>Error: Sign in – Exemplar – NHS</title>"));
    // The email is kept, the password is not.
    assert!(p.body.contains("value=\"sam@york.nhs.uk\""));
    assert!(!p.body.contains("wrong password"));
    // An unknown email gets the same answer.
    let p = b
        .post(
            "/sign-in",
            &[
                ("email", "nobody@york.nhs.uk"),
                ("password", "wrong password"),
            ],
        )
        .await;
    assert_eq!(p.status, 422);
    assert!(p
        .body
        .contains("The email address or password is not right"));
    // Empty fields are named.
    let p = b.post("/sign-in", &[("email", ""), ("password", "")]).await;
    assert!(p.body.contains("Enter your email address"));
}

#[tokio::test]
async fn submitters_sign_in_and_out_and_the_session_id_changes() {
    let w = world().await;
    let b = Browser::new(&w.app);
    let p = b.get("/account").await;
    assert_eq!(p.status, 303);
    assert_eq!(p.location, "/sign-in?next=/account");
    let p = b
        .post(
            "/sign-in",
            &[
                ("email", "SAM@york.nhs.uk "),
                ("password", PASSWORD),
                ("next", "/account"),
            ],
        )
        .await;
    assert_eq!(p.status, 303);
    assert_eq!(p.location, "/account");
    let cookie = p.headers["set-cookie"].to_str().unwrap().to_string();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert!(!cookie.contains("Secure"), "not on http");
    let p = b.get("/account").await;
    assert_eq!(p.status, 200);
    assert!(p.body.contains("sam@york.nhs.uk"));
    assert_eq!(p.headers["cache-control"], "no-store");
    // Pages shown to a signed-in person are never cached, even public ones.
    let p = b.get("/economies").await;
    assert_eq!(p.headers["cache-control"], "no-store");
    assert!(p.headers.get("etag").is_none());
    // A next that leaves the site is ignored.
    let b2 = Browser::new(&w.app);
    let p = b2
        .post(
            "/sign-in",
            &[
                ("email", "sam@york.nhs.uk"),
                ("password", PASSWORD),
                ("next", "//evil.example/"),
            ],
        )
        .await;
    assert_eq!(p.location, "/my-economy", "a submitter's home");
    // Signing out ends the session on the server: the old cookie no longer works.
    let session = cookie.split(';').next().unwrap().to_string();
    let p = b.post("/sign-out", &[]).await;
    assert_eq!(p.status, 303);
    let r = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(format!("{}/account", w.app.base))
        .header("cookie", session)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 303);
}

#[tokio::test]
async fn staff_need_a_one_time_code_that_works_once() {
    let w = world().await;
    let b = Browser::new(&w.app);
    let p = b
        .post(
            "/sign-in",
            &[("email", "ann@board.nhs.uk"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!((p.status, p.location.as_str()), (303, "/sign-in/code"));
    let before = p.headers["set-cookie"].to_str().unwrap().to_string();
    // Not signed in yet.
    assert_eq!(b.get("/account").await.status, 303);
    let p = b.get("/sign-in/code").await;
    assert!(p.body.contains("Signing in as ann@board.nhs.uk"));
    // A wrong code.
    let p = b.post("/sign-in/code", &[("code", "000000")]).await;
    assert_eq!(p.status, 422);
    assert!(p.body.contains("href=\"#code\""));
    // An expired one (two steps ago).
    let old = app::auth::totp_code(&w.assessor, now() - 90);
    assert_eq!(b.post("/sign-in/code", &[("code", &old)]).await.status, 422);
    let code = app::auth::totp_code(&w.assessor, now());
    let p = b.post("/sign-in/code", &[("code", &code)]).await;
    assert_eq!(p.status, 303, "{}", p.body);
    let after = p.headers["set-cookie"].to_str().unwrap().to_string();
    assert_ne!(
        before.split(';').next(),
        after.split(';').next(),
        "a new session id after the code"
    );
    assert_eq!(b.get("/account").await.status, 200);
    // The same code again, in another browser: refused.
    let other = Browser::new(&w.app);
    other
        .post(
            "/sign-in",
            &[("email", "ann@board.nhs.uk"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(
        other.post("/sign-in/code", &[("code", &code)]).await.status,
        422
    );
    assert_eq!(other.get("/account").await.status, 303);
}

#[tokio::test]
async fn a_disabled_account_loses_its_sessions_and_admins_end_sessions() {
    let w = world().await;
    let sam = w.as_role("submitter-a").await.unwrap();
    assert_eq!(sam.get("/account").await.status, 200);
    let admin = w.as_role("admin").await.unwrap();
    let users = admin.get("/admin/users").await;
    assert_eq!(users.status, 200);
    let pool = w.app.db.pool().await;
    let id = user_id(&pool, "sam@york.nhs.uk").await;
    let p = admin
        .post(&format!("/admin/users/{id}"), &[("action", "disable")])
        .await;
    assert_eq!(p.status, 303);
    assert!(admin
        .get("/admin/users")
        .await
        .body
        .contains("disabled sam@york.nhs.uk"));
    assert_eq!(sam.get("/account").await.status, 303, "the session ended");
    // A disabled account cannot sign in.
    let again = Browser::new(&w.app);
    let p = again
        .post(
            "/sign-in",
            &[("email", "sam@york.nhs.uk"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(p.status, 422);
    // Ending someone's sessions.
    let lee = w.as_role("submitter-b").await.unwrap();
    let id = user_id(&pool, "lee@leeds.nhs.uk").await;
    admin
        .post(&format!("/admin/users/{id}"), &[("action", "end-sessions")])
        .await;
    assert_eq!(lee.get("/account").await.status, 303);
    // All of it is in the audit log.
    let audit = admin.get("/admin/audit?kind=session").await.body;
    assert!(
        audit.contains("ended 1 session of lee@leeds.nhs.uk"),
        "{audit}"
    );
}

#[tokio::test]
async fn cross_site_posts_are_refused_and_change_nothing() {
    let w = world().await;
    let sam = w.as_role("submitter-a").await.unwrap();
    let url = format!("{}/account", w.app.base);
    for (name, value) in [
        ("sec-fetch-site", "cross-site"),
        ("origin", "https://evil.example"),
    ] {
        let r = sam
            .client
            .post(&url)
            .header(name, value)
            .form(&[
                ("action", "email"),
                ("current", PASSWORD),
                ("email", "attacker@evil.example"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 403, "{name}");
    }
    // A post with neither header but with the session cookie is refused too.
    let r = sam
        .client
        .post(&url)
        .form(&[
            ("action", "email"),
            ("current", PASSWORD),
            ("email", "x@evil.example"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 403);
    let pool = w.app.db.pool().await;
    assert!(app::db::user_by_email(&pool, "sam@york.nhs.uk")
        .await
        .unwrap()
        .is_some());
    assert!(app::db::user_by_email(&pool, "attacker@evil.example")
        .await
        .unwrap()
        .is_none());
    // The same change from the site itself works, after the current password.
    let p = sam
        .post(
            "/account",
            &[
                ("action", "email"),
                ("current", "wrong"),
                ("email", "sam2@york.nhs.uk"),
            ],
        )
        .await;
    assert_eq!(p.status, 422);
    assert!(p.body.contains("Your current password is not right"));
    let p = sam
        .post(
            "/account",
            &[
                ("action", "email"),
                ("current", PASSWORD),
                ("email", "sam2@york.nhs.uk"),
            ],
        )
        .await;
    assert_eq!(p.status, 303);
    assert!(sam
        .get("/account")
        .await
        .body
        .contains("Your email address has been changed."));
}

#[tokio::test]
async fn sign_in_is_limited_per_account() {
    let w = world().await;
    let b = Browser::new(&w.app);
    // Three wrong passwords are free; the fourth is judged and makes the next one wait.
    for _ in 0..4 {
        let p = b
            .post(
                "/sign-in",
                &[("email", "lee@leeds.nhs.uk"), ("password", "not it at all")],
            )
            .await;
        assert_eq!(p.status, 422);
    }
    // Now even the right password waits a little, with a clear message.
    let p = b
        .post(
            "/sign-in",
            &[("email", "lee@leeds.nhs.uk"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(p.status, 429);
    let wait: i64 = p.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=2).contains(&wait), "{wait}");
    assert!(p
        .body
        .contains("You have tried to sign in too many times. Wait"));
    // Another account is not affected.
    let p = b
        .post(
            "/sign-in",
            &[("email", "sam@york.nhs.uk"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(p.status, 303);
    // A short wait later the right password works (a delay, never a lockout).
    tokio::time::sleep(std::time::Duration::from_millis(wait as u64 * 1000 + 200)).await;
    Browser::submitter(&w.app, "lee@leeds.nhs.uk").await;
}

#[tokio::test]
async fn security_headers_on_every_kind_of_response() {
    let w = world().await;
    let b = Browser::new(&w.app);
    for path in [
        "/",
        "/economies",
        "/sign-in",
        "/api/v1/economies",
        "/no-such-page",
        "/healthz",
    ] {
        let p = b.get(path).await;
        let csp = p.headers["content-security-policy"].to_str().unwrap();
        let script_src = csp
            .split(';')
            .find(|d| d.trim().starts_with("script-src"))
            .unwrap();
        assert!(!script_src.contains("unsafe-inline"), "{path}: {csp}");
        assert!(
            script_src.contains("'sha256-"),
            "{path}: the islands' loader by hash"
        );
        for d in [
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
        ] {
            assert!(csp.contains(d), "{path}: {d}");
        }
        assert_eq!(p.headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(
            p.headers["referrer-policy"],
            "strict-origin-when-cross-origin"
        );
        assert!(
            p.headers.get("strict-transport-security").is_none(),
            "not on http"
        );
    }
    // Every inline script of every page kind is one the policy allows, by its hash.
    let admin = w.as_role("admin").await.unwrap();
    for path in [
        "/",
        "/economies",
        "/economies/york",
        "/regions",
        "/how-scores-work",
        "/open-data",
        "/sign-in",
        "/admin/users",
        "/admin/audit",
        "/account",
        "/no-such-page",
    ] {
        let p = admin.get(path).await;
        let csp = p.headers["content-security-policy"]
            .to_str()
            .unwrap()
            .to_string();
        let mut rest = p.body.as_str();
        let mut seen = 0;
        while let Some(start) = rest.find("<script") {
            let tag_end = start + rest[start..].find('>').unwrap();
            let close = tag_end + rest[tag_end..].find("</script>").unwrap();
            let body = &rest[tag_end + 1..close];
            // A data block (JSON-LD) is never run, so no policy applies to it.
            let data_block = rest[start..tag_end].contains(r#"type="application/ld+json""#);
            if !rest[start..tag_end].contains(" src=") && !data_block {
                use base64::Engine;
                use sha2::Digest;
                let hash =
                    base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(body));
                assert!(
                    csp.contains(&format!("'sha256-{hash}'")),
                    "{path}: inline script not allowed: {body}"
                );
                seen += 1;
            }
            rest = &rest[close..];
        }
        if app::ui::needs_islands(path) {
            assert!(seen >= 1, "{path}: the islands' loader");
        } else {
            assert!(!p.body.contains(".wasm"), "{path}: no islands, no bundle");
        }
    }
}

#[tokio::test]
async fn invitations_create_staff_accounts_once() {
    let w = world().await;
    let admin = w.as_role("admin").await.unwrap();
    // A bad form: both problems shown.
    let p = admin
        .post("/admin/users", &[("action", "invite"), ("email", "nobody")])
        .await;
    assert_eq!(p.status, 422);
    assert!(p.body.contains("href=\"#email\"") && p.body.contains("href=\"#role\""));
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
    assert_eq!(p.status, 200, "{}", p.body);
    // The inviter never sees the link: it went to the invitee alone.
    assert!(!p.body.contains("/invitations/"), "{}", p.body);
    assert!(p.body.contains("We have sent them a link"));
    let token = token_sent_to(&w.app.db.mail_dir(), "new@board.nhs.uk", "/invitations/").await;
    assert_eq!(token.len(), 64);
    assert!(admin
        .get("/admin/messages")
        .await
        .body
        .contains("You are invited to Exemplar"));
    let path = format!("/invitations/{token}");
    let newcomer = Browser::new(&w.app);
    let page = newcomer.get(&path).await.body;
    assert!(page.contains("new@board.nhs.uk"));
    let secret_start = page.find("name=\"secret\" value=\"").unwrap() + 21;
    let secret: String = page[secret_start..]
        .chars()
        .take_while(|c| *c != '"')
        .collect();
    // A common password is refused.
    let code = app::auth::totp_code(&secret, now());
    let p = newcomer
        .post(
            &path,
            &[
                ("password", "password123"),
                ("confirm", "password123"),
                ("secret", &secret),
                ("code", &code),
            ],
        )
        .await;
    assert_eq!(p.status, 422);
    assert!(p.body.contains("too common"));
    let p = newcomer
        .post(
            &path,
            &[
                ("password", PASSWORD),
                ("confirm", PASSWORD),
                ("secret", &secret),
                ("code", &code),
            ],
        )
        .await;
    assert_eq!(p.status, 200, "{}", p.body);
    assert!(p.body.contains("Your recovery codes"));
    // The link works once.
    assert!(newcomer
        .get(&path)
        .await
        .body
        .contains("This invitation has expired"));
    // The new assessor signs in with the app they enrolled (a later step: a code works once).
    let b = Browser::new(&w.app);
    b.sign_in("new@board.nhs.uk", PASSWORD, Some(&secret), 1)
        .await;
    assert_eq!(b.get("/account").await.status, 200);
    // An assessor cannot invite anyone.
    let assessor = w.as_role("assessor").await.unwrap();
    let p = assessor
        .post(
            "/admin/users",
            &[
                ("action", "invite"),
                ("email", "x@board.nhs.uk"),
                ("role", "admin"),
            ],
        )
        .await;
    assert_eq!(p.status, 403);
}

#[tokio::test]
async fn a_password_reset_link_works_once_and_ends_old_sessions() {
    let w = world().await;
    let old = w.as_role("submitter-b").await.unwrap();
    let b = Browser::new(&w.app);
    let p = b
        .post("/reset-password", &[("email", "lee@leeds.nhs.uk")])
        .await;
    assert_eq!(p.status, 200);
    assert!(p.body.contains("we have sent it a link"));
    // An unknown address gets the same answer and no message.
    let p = b
        .post("/reset-password", &[("email", "who@leeds.nhs.uk")])
        .await;
    assert!(p.body.contains("we have sent it a link"));
    let pool = w.app.db.pool().await;
    // One reset message, to lee alone; the outbox keeps it without its link.
    token_sent_to(
        &w.app.db.mail_dir(),
        "lee@leeds.nhs.uk",
        "/reset-password?token=",
    )
    .await;
    let sent: Vec<_> = mail_in(&w.app.db.mail_dir())
        .into_iter()
        .filter(|(_, text)| text.contains("Subject: Reset your Exemplar password"))
        .collect();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].0, "lee@leeds.nhs.uk");
    let outbox: Vec<_> = app::db::outbox(&pool, None, 0, 50)
        .await
        .unwrap()
        .into_iter()
        .filter(|m| m.subject == "Reset your Exemplar password")
        .collect();
    assert_eq!(outbox.len(), 1);
    assert!(!outbox[0].body.contains("token="), "{}", outbox[0].body);
    let token = token_sent_to(
        &w.app.db.mail_dir(),
        "lee@leeds.nhs.uk",
        "/reset-password?token=",
    )
    .await;
    let path = format!("/reset-password?token={token}");
    assert!(b.get(&path).await.body.contains("Set a new password"));
    let p = b
        .post(
            "/reset-password",
            &[
                ("token", &token),
                ("password", "a new kettle song"),
                ("confirm", "a different one"),
            ],
        )
        .await;
    assert_eq!(p.status, 422);
    assert!(p.body.contains("The passwords do not match"));
    let p = b
        .post(
            "/reset-password",
            &[
                ("token", &token),
                ("password", "a new kettle song"),
                ("confirm", "a new kettle song"),
            ],
        )
        .await;
    assert_eq!(p.status, 200);
    assert!(p.body.contains("Your password has been set"));
    assert_eq!(old.get("/account").await.status, 303, "old sessions ended");
    assert!(b.get(&path).await.body.contains("This link has expired"));
    let fresh = Browser::new(&w.app);
    fresh
        .sign_in("lee@leeds.nhs.uk", "a new kettle song", None, 0)
        .await;
}

#[tokio::test]
async fn the_audit_chain_detects_tampering() {
    let w = world().await;
    let db = &w.app.db;
    let out = db.run(&["audit", "verify"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("the audit log is intact: "),
        "{}",
        stderr(&out)
    );
    let admin = w.as_role("admin").await.unwrap();
    assert!(admin
        .get("/admin/audit")
        .await
        .body
        .contains("The audit log is intact: all "));
    let csv = admin.get("/admin/audit.csv?kind=account").await;
    assert_eq!(csv.status, 200);
    assert!(csv.body.starts_with(
        "\u{feff}id,at,actor,kind,economy,summary,before,after,prev_hash,hash,address\n"
    ));
    assert_eq!(csv.body.lines().count(), 5);
    // A file import is one entry naming the file and its SHA-256.
    let csv = admin.get("/admin/audit.csv?kind=import").await.body;
    let values = std::fs::read(example("values.csv")).unwrap();
    let sha = app::audit::sha256_hex(&values);
    let line = csv
        .lines()
        .find(|l| l.contains("values.csv"))
        .expect("the values import");
    assert!(line.contains(&format!("SHA-256 {sha}")), "{line}");
    assert_eq!(csv.lines().filter(|l| l.contains("values.csv")).count(), 1);
    // The log refuses changes in place...
    let pool = db.pool().await;
    let edit = "UPDATE audit_log SET summary = 'nothing to see' WHERE id = 2";
    let refused = sqlx::query(edit).execute(&pool).await.unwrap_err();
    assert!(refused.to_string().contains("append-only"), "{refused}");
    // ...but someone who can change the schema can drop the guard and rewrite one entry.
    drop_audit_guard(&pool, db.is_postgres()).await;
    sqlx::query(edit).execute(&pool).await.unwrap();
    let out = db.run(&["audit", "verify"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("broken at entry 2"),
        "{}",
        stderr(&out)
    );
    assert!(admin
        .get("/admin/audit")
        .await
        .body
        .contains("The hash chain breaks at entry 2"));
}

#[tokio::test]
async fn user_add_refuses_what_it_cannot_do() {
    let db = TestDb::new();
    db.load_example();
    let out = db.run_with_input(
        &[
            "user",
            "add",
            "--email",
            "sam@york.nhs.uk",
            "--role",
            "submitter",
        ],
        Some(b"kettle orbit marmalade\n"),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("a submitter needs --economy SLUG"));
    let out = db.run(&["user", "add", "--email", "x@y.nhs.uk", "--role", "king"]);
    assert_eq!(out.status.code(), Some(2));
    add_user(&db, "sam@york.nhs.uk", "submitter", Some("york"), PASSWORD);
    let out = db.run_with_input(
        &[
            "user",
            "add",
            "--email",
            "sam@york.nhs.uk",
            "--role",
            "submitter",
            "--economy",
            "york",
        ],
        Some(b"kettle orbit marmalade\n"),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("already exists"));
    let out = db.run_with_input(
        &[
            "user",
            "add",
            "--email",
            "new@york.nhs.uk",
            "--role",
            "submitter",
            "--economy",
            "york",
        ],
        Some(b"password1\n"),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("too common"));
    // No password on standard input: a one-time link instead.
    let out = db.run_with_input(
        &[
            "user",
            "add",
            "--email",
            "ada@board.nhs.uk",
            "--role",
            "admin",
        ],
        Some(b""),
    );
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("otpauth://totp/Exemplar:ada%40board.nhs.uk?"),
        "{stdout}"
    );
    assert!(stdout.contains("/reset-password?token="), "{stdout}");
}

#[tokio::test]
async fn submitters_invite_colleagues_to_their_own_economy_only() {
    let w = world().await;
    let pool = w.app.db.pool().await;
    let sam = app::accounts::active_user(&pool, user_id(&pool, "sam@york.nhs.uk").await)
        .await
        .unwrap()
        .unwrap();
    use app::domain::account::Role;
    // Not board staff.
    let e = app::accounts::invite(&pool, &sam, "x@board.nhs.uk", Role::Assessor)
        .await
        .unwrap_err();
    assert!(matches!(e, app::accounts::AccountError::Forbidden(_)));
    app::accounts::invite(&pool, &sam, "kim@york.nhs.uk", Role::Submitter)
        .await
        .unwrap();
    let token = &token_sent_to(&w.app.db.mail_dir(), "kim@york.nhs.uk", "/invitations/").await;
    let t = app::accounts::valid_token(&pool, token, "invitation")
        .await
        .unwrap()
        .unwrap();
    // Bound to sam's economy, whatever else is asked.
    assert_eq!(t.economy.as_deref(), Some("york"));
    let (kim, codes) =
        app::accounts::accept_invitation(&pool, token, PASSWORD, PASSWORD, None, None)
            .await
            .unwrap();
    assert!(codes.is_empty(), "submitters need no second factor");
    assert_eq!(
        (kim.role, kim.economy.as_deref()),
        (Role::Submitter, Some("york"))
    );
}
