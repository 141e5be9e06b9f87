//! Mail: the outbox as a delivery queue, sent through a real SMTP server started by each test
//! (Debian's `python3-aiosmtpd`, which `make test` installs), one-time links minted as their
//! message leaves and readable nowhere at rest, retries while the server is down, several
//! dispatchers on one queue, and the admins' view with "send again".

use crate::helpers::{
    add_submitters, add_user, nomination_form, Browser, Server, TestApp, TestDb, PASSWORD,
};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A real SMTP server on this machine, keeping what it receives in a maildir.
struct Smtp {
    child: Child,
    port: u16,
    dir: tempfile::TempDir,
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Smtp {
    fn start() -> Smtp {
        Self::start_on(free_port())
    }

    fn start_on(port: u16) -> Smtp {
        let dir = tempfile::tempdir().unwrap();
        let child = Command::new("/usr/bin/python3")
            .args(["-m", "aiosmtpd", "-n", "-l"])
            .arg(format!("127.0.0.1:{port}"))
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(dir.path().join("box"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("Debian's python3 runs (apt-get install python3-aiosmtpd; make test does)");
        let start = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "the SMTP server did not start on port {port}: is python3-aiosmtpd installed?"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Smtp { child, port, dir }
    }

    fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// What it received, oldest first, as a mail client reads it (quoted-printable undone).
    fn received(&self) -> Vec<String> {
        let new = self.dir.path().join("box").join("new");
        let mut files: Vec<PathBuf> = std::fs::read_dir(&new)
            .map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).collect())
            .unwrap_or_default();
        files.sort_by_key(|f| std::fs::metadata(f).and_then(|m| m.modified()).ok());
        files
            .iter()
            .map(|f| {
                std::fs::read_to_string(f)
                    .unwrap()
                    .replace("=\r\n", "")
                    .replace("=\n", "")
                    .replace("=3D", "=")
            })
            .collect()
    }

    /// Waits (up to 20 seconds) for a message with this subject.
    async fn wait_for_subject(&self, subject: &str) -> String {
        let start = Instant::now();
        loop {
            if let Some(m) = self
                .received()
                .into_iter()
                .find(|m| m.contains(&format!("Subject: {subject}\n")))
            {
                return m;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "no message \"{subject}\" in {:?}",
                self.received()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits (up to 20 seconds) until it has received `n` messages.
    async fn wait_for(&self, n: usize) -> Vec<String> {
        let start = Instant::now();
        loop {
            let got = self.received();
            if got.len() >= n {
                return got;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "{} of {n} messages arrived",
                got.len()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

impl Drop for Smtp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The token after `path_start` in a message.
fn token_in(text: &str, path_start: &str) -> String {
    let start = text
        .find(path_start)
        .unwrap_or_else(|| panic!("no {path_start} in {text}"))
        + path_start.len();
    text[start..]
        .chars()
        .take_while(|c| c.is_ascii_hexdigit())
        .collect()
}

/// Whether `secret` is anywhere in the database at rest: the SQLite file and its log as
/// bytes, and on both backends every message and token as stored.
async fn stored_anywhere(db: &TestDb, pool: &app::db::Pool, secret: &str) -> bool {
    if !db.is_postgres() {
        let path = db.url.trim_start_matches("sqlite://").to_string();
        for file in [path.clone(), format!("{path}-wal")] {
            if let Ok(bytes) = std::fs::read(&file) {
                if bytes.windows(secret.len()).any(|w| w == secret.as_bytes()) {
                    return true;
                }
            }
        }
    }
    let texts: Vec<(String, String)> = sqlx::query_as(
        "SELECT body, COALESCE(token_hash, '') FROM outbox
         UNION ALL SELECT token_hash, email FROM tokens
         UNION ALL SELECT summary, COALESCE(after, '') FROM audit_log",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    texts
        .iter()
        .any(|(a, b)| a.contains(secret) || b.contains(secret))
}

/// The accounts world (the worked example, its submitters, an admin) served with mail going
/// to `smtp_url`: one dispatcher, this app's.
async fn served_with_smtp(
    today: Option<&str>,
    smtp_url: String,
    framework: bool,
) -> (TestApp, String) {
    let db = TestDb::new();
    db.load_example();
    if framework {
        let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../frameworks/exemplar-2015.toml");
        db.ok(&["framework", "load", file.to_str().unwrap()]);
    }
    add_submitters(&db);
    let admin = add_user(&db, "ada@board.nhs.uk", "admin", None, PASSWORD).unwrap();
    let app = TestApp::spawn_with(db, today, move |s| s.mailer.smtp_url = Some(smtp_url)).await;
    (app, admin)
}

#[tokio::test]
async fn a_newcomer_is_accepted_and_signs_in_from_the_link_in_real_mail() {
    let smtp = Smtp::start();
    let (app, admin_secret) = served_with_smtp(Some("2014-06-01"), smtp.url(), true).await;
    let public = Browser::new(&app);
    let p = public
        .post(
            "/nominate",
            &nomination_form(
                "Wakefield health and care partnership",
                "priya.shah@nhs.net",
            ),
        )
        .await;
    assert!(p.body.contains("Nomination received"), "{}", p.body);
    let admin = Browser::staff(&app, "ada@board.nhs.uk", &admin_secret).await;
    let p = admin
        .post(
            "/admin/nominations/wakefield-health-and-care-partnership",
            &[("decision", "accept")],
        )
        .await;
    assert_eq!(p.status, 303);
    // The acceptance arrives by mail, plain text and HTML, with the link to set a password.
    let accepted = smtp
        .wait_for_subject("Your nomination has been accepted")
        .await;
    assert!(
        accepted.contains("X-RcptTo: priya.shah@nhs.net"),
        "{accepted}"
    );
    assert!(accepted.contains("Content-Type: text/html"));
    let token = token_in(&accepted, "/reset-password?token=");
    assert_eq!(token.len(), 64);
    // The link is in the mail alone: not in the database, not on the admins' page.
    let pool = app.db.pool().await;
    assert!(!stored_anywhere(&app.db, &pool, &token).await);
    let page = admin.get("/admin/messages").await.body;
    assert!(page.contains("Your nomination has been accepted"));
    assert!(page.contains("Sent"));
    assert!(!page.contains(&token));
    // The newcomer follows it, sets a password and signs in.
    let lead = Browser::new(&app);
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
    assert_eq!(p.status, 200, "{}", p.body);
    lead.sign_in("priya.shah@nhs.net", "wakefield kettle song", None, 0)
        .await;
    assert!(lead
        .get("/account")
        .await
        .body
        .contains("Submitter for Wakefield health and care partnership"));
}

#[tokio::test]
async fn a_reset_link_from_real_mail_works_once_and_is_in_no_log_or_table() {
    let smtp = Smtp::start();
    let db = TestDb::new();
    db.load_example();
    add_submitters(&db);
    let server = Server::start_with_args(&db, "debug", &["--smtp-url", &smtp.url()]);
    let b = Browser::to(&server.base);
    let p = b
        .post("/reset-password", &[("email", "lee@leeds.nhs.uk")])
        .await;
    assert!(p.body.contains("we have sent it a link"));
    let mail = smtp.wait_for(1).await;
    assert!(mail[0].contains("Subject: Reset your Exemplar password"));
    let token = token_in(&mail[0], "/reset-password?token=");
    let pool = db.pool().await;
    assert!(!stored_anywhere(&db, &pool, &token).await);
    let log = server.log.lock().unwrap().clone();
    assert!(log.contains("message sent"), "{log}");
    assert!(!log.contains(&token), "the log holds the link");
    let set = |password: &'static str| {
        let (b, token) = (b.clone(), token.clone());
        async move {
            b.post(
                "/reset-password",
                &[
                    ("token", token.as_str()),
                    ("password", password),
                    ("confirm", password),
                ],
            )
            .await
        }
    };
    assert_eq!(set("a new kettle song").await.status, 200);
    let again = set("another kettle song").await;
    assert_ne!(again.status, 200);
    assert!(
        again.body.contains("This link has expired"),
        "{} {}",
        again.status,
        again.body
    );
}

#[tokio::test]
async fn with_the_mail_server_down_nothing_is_lost_and_it_goes_once_when_back() {
    let db = TestDb::new();
    db.load_example();
    add_submitters(&db);
    let pool = db.pool().await;
    let port = free_port();
    let mut mailer = app::mail::Mailer::new("https://exemplar.example.nhs.uk", db.mail_dir());
    mailer.smtp_url = Some(format!("smtp://127.0.0.1:{port}"));
    app::accounts::request_reset(&pool, "lee@leeds.nhs.uk")
        .await
        .unwrap();
    // Down: the try fails, the message waits with its error, to be tried within 30 seconds.
    let pass = app::mail::send_due(&pool, &mailer).await.unwrap();
    assert_eq!((pass.sent, pass.retrying, pass.failed), (0, 1, 0));
    let m = &app::db::outbox(&pool, None, 0, 1).await.unwrap()[0];
    assert_eq!((m.state.as_str(), m.attempts), ("queued", 1));
    assert!(m.last_error.is_some());
    let next = chrono::DateTime::parse_from_rfc3339(m.next_attempt_at.as_deref().unwrap()).unwrap();
    let wait = next.with_timezone(&chrono::Utc) - chrono::Utc::now();
    assert!(
        wait <= chrono::Duration::seconds(31) && wait > chrono::Duration::seconds(20),
        "{wait}"
    );
    // Back: nothing goes before its time; then it goes, once.
    let smtp = Smtp::start_on(port);
    assert_eq!(app::mail::send_due(&pool, &mailer).await.unwrap().sent, 0);
    sqlx::query(
        "UPDATE outbox SET next_attempt_at = '2000-01-01T00:00:00Z' WHERE state = 'queued'",
    )
    .execute(&pool)
    .await
    .unwrap();
    assert_eq!(app::mail::send_due(&pool, &mailer).await.unwrap().sent, 1);
    assert_eq!(app::mail::send_due(&pool, &mailer).await.unwrap().sent, 0);
    let mail = smtp.wait_for(1).await;
    assert_eq!(mail.len(), 1);
    let token = token_in(&mail[0], "/reset-password?token=");
    assert!(app::accounts::valid_token(&pool, &token, "reset")
        .await
        .unwrap()
        .is_some());
    let m = &app::db::outbox(&pool, None, 0, 1).await.unwrap()[0];
    assert_eq!((m.state.as_str(), m.attempts), ("sent", 2));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_dispatchers_on_one_queue_send_each_message_once() {
    let db = TestDb::new();
    db.load_example();
    let pool = db.pool().await;
    let mut tx = app::db::begin(&pool).await.unwrap();
    for i in 0..60 {
        app::db::insert_outbox(
            &mut tx,
            "lee@leeds.nhs.uk",
            &format!("Message {i}"),
            "Hello",
            None,
        )
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    // Two instances of the service, each with its own connections and its own mail folder.
    let other = app::db::open(&db.url).await.unwrap();
    let one = app::mail::Mailer::new("http://a.example", db.dir.path().join("one"));
    let two = app::mail::Mailer::new("http://a.example", db.dir.path().join("two"));
    let (a, b) = tokio::join!(
        app::mail::send_due(&pool, &one),
        app::mail::send_due(&other, &two)
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.sent + b.sent, 60, "{a:?} {b:?}");
    let mut subjects: Vec<String> = ["one", "two"]
        .iter()
        .flat_map(|d| crate::helpers::mail_in(&db.dir.path().join(d)))
        .map(|(_, text)| {
            text.lines()
                .find_map(|l| l.strip_prefix("Subject: "))
                .unwrap()
                .to_string()
        })
        .collect();
    subjects.sort();
    let before = subjects.len();
    subjects.dedup();
    assert_eq!((before, subjects.len()), (60, 60));
}

#[tokio::test]
async fn a_message_given_up_is_shown_to_admins_and_sent_again_with_a_new_link() {
    let port = free_port();
    let (app, admin_secret) =
        served_with_smtp(None, format!("smtp://127.0.0.1:{port}"), false).await;
    let pool = app.db.pool().await;
    app::accounts::request_reset(&pool, "sam@york.nhs.uk")
        .await
        .unwrap();
    // The server is down all day: the dispatcher tries, then gives up.
    let start = Instant::now();
    loop {
        let m = &app::db::outbox(&pool, None, 0, 1).await.unwrap()[0];
        if m.attempts >= 1 {
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(20));
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    sqlx::query(
        "UPDATE outbox SET queued_at = '2000-01-01T00:00:00Z', next_attempt_at = '2000-01-01T00:00:00Z'
         WHERE state = 'queued'",
    )
    .execute(&pool)
    .await
    .unwrap();
    let start = Instant::now();
    while app::db::outbox(&pool, Some("failed"), 0, 1)
        .await
        .unwrap()
        .is_empty()
    {
        assert!(start.elapsed() < Duration::from_secs(20), "never given up");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let admin = Browser::staff(&app, "ada@board.nhs.uk", &admin_secret).await;
    let page = admin.get("/admin/messages").await.body;
    assert!(page.contains("1 message could not be delivered"), "{page}");
    let page = admin.get("/admin/messages?state=failed").await.body;
    assert!(page.contains("Reset your Exemplar password"));
    assert!(page.contains("Not delivered"));
    assert!(page.contains("Last error: "));
    assert!(page.contains(app::mail::LINK_KEPT_OUT));
    let id = app::db::outbox(&pool, Some("failed"), 0, 1).await.unwrap()[0].id;
    // Back up, an admin sends it again: it arrives with a link that works.
    let smtp = Smtp::start_on(port);
    let p = admin
        .post(&format!("/admin/messages/{id}"), &[("action", "resend")])
        .await;
    assert_eq!(p.status, 303);
    let mail = smtp.wait_for(1).await;
    let token = token_in(&mail[0], "/reset-password?token=");
    assert!(app::accounts::valid_token(&pool, &token, "reset")
        .await
        .unwrap()
        .is_some());
    let p = admin
        .post(&format!("/admin/messages/{id}"), &[("action", "resend")])
        .await;
    assert_eq!(p.status, 303);
    let page = admin.get(&p.location).await.body;
    assert!(
        page.contains("Not done: the message to sam@york.nhs.uk has not failed"),
        "{page}"
    );
    let audit = admin.get("/admin/audit?kind=message").await.body;
    assert!(audit.contains("sent again the message"), "{audit}");
}

#[tokio::test]
async fn mail_send_sends_what_is_due_once_and_no_secret_of_the_url_is_shown() {
    let smtp = Smtp::start();
    let db = TestDb::new();
    db.load_example();
    add_submitters(&db);
    let pool = db.pool().await;
    app::accounts::request_reset(&pool, "lee@leeds.nhs.uk")
        .await
        .unwrap();
    let out = db.run(&["mail", "send", "--smtp-url", &smtp.url()]);
    let said = crate::helpers::stderr(&out);
    assert!(out.status.success(), "{said}");
    assert!(
        said.contains("1 sent, 0 to be tried again, 0 given up"),
        "{said}"
    );
    assert_eq!(smtp.received().len(), 1);
    let out = db.run(&["mail", "send", "--smtp-url", &smtp.url()]);
    assert!(crate::helpers::stderr(&out).contains("0 sent"));
    assert_eq!(smtp.received().len(), 1);
    // A password in the URL is in neither the help nor what the command says.
    let help = Command::new(env!("CARGO_BIN_EXE_exemplar"))
        .args(["serve", "--help"])
        .env("EXEMPLAR_SMTP_URL", "smtp://ann:s3cret@relay.example:587")
        .output()
        .unwrap();
    assert!(help.status.success());
    let text = String::from_utf8_lossy(&help.stdout);
    assert!(text.contains("--smtp-url"));
    assert!(!text.contains("s3cret"), "{text}");
    app::accounts::request_reset(&pool, "lee@leeds.nhs.uk")
        .await
        .unwrap();
    let out = db.run(&[
        "mail",
        "send",
        "--smtp-url",
        &format!("smtp://ann:s3cret@127.0.0.1:{}", free_port()),
    ]);
    let said = crate::helpers::stderr(&out);
    assert!(said.contains("[credentials hidden]@127.0.0.1"), "{said}");
    assert!(said.contains("0 sent, 1 to be tried again"), "{said}");
    assert!(!said.contains("s3cret"), "{said}");
}
