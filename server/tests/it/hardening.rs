//! Hardening (issue 10): nothing lost under faults and hostile input. The real binary is
//! killed with SIGKILL in the middle of a large import and of a burst of form posts, and
//! stopped with SIGTERM with a request in flight; payloads for SQL injection and cross-site
//! scripting go into form fields and query parameters and must come back inert.

use crate::helpers::{
    add_user, audit_key_file, file, form, post_multipart, stderr, world, Browser, Server, TestApp,
    TestDb, PASSWORD,
};
use std::process::{Command, Stdio};
use std::time::Duration;

async fn integrity_ok(db: &TestDb) {
    if db.is_postgres() {
        return;
    }
    use sqlx::Row;
    let pool = db.pool().await;
    let r: String = sqlx::query("PRAGMA integrity_check")
        .fetch_one(&pool)
        .await
        .unwrap()
        .get(0);
    assert_eq!(r, "ok");
}

async fn count(db: &TestDb, sql: &str) -> i64 {
    use sqlx::Row;
    sqlx::query(sql)
        .fetch_one(&db.pool().await)
        .await
        .unwrap()
        .get(0)
}

/// `exemplar import values` of the file values.csv in the database's folder, started in the
/// background with its output dropped.
fn start_values_import(db: &TestDb) -> std::process::Child {
    let dir = db.dir.path();
    Command::new(env!("CARGO_BIN_EXE_exemplar"))
        .args(["import", "values", dir.join("values.csv").to_str().unwrap()])
        .env("DATABASE_URL", &db.url)
        .env("EXEMPLAR_AUDIT_KEY_FILE", audit_key_file())
        .env("EXEMPLAR_TODAY", "2015-04-20")
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

#[tokio::test]
async fn an_import_killed_midway_leaves_all_of_it_or_none_and_a_sound_database() {
    let db = TestDb::new();
    db.load_example();
    // 600 more economies and 54,000 values for them.
    let mut economies = String::from("slug,name,region\n");
    let mut values = String::from("economy,period,criterion,value,status\n");
    for i in 0..600 {
        economies.push_str(&format!("e{i},Economy {i},London\n"));
        for q in 0..30 {
            let period = format!("{}-Q{}", 2007 + q / 4, q % 4 + 1);
            values.push_str(&format!("e{i},{period},NHS-NUMBER,{}.5,verified\n", q * 3));
            values.push_str(&format!("e{i},{period},GP2GP,yes,submitted\n"));
            values.push_str(&format!("e{i},{period},CONNECT,{},\n", q % 6));
        }
    }
    let dir = db.dir.path();
    std::fs::write(dir.join("economies.csv"), economies).unwrap();
    std::fs::write(dir.join("values.csv"), &values).unwrap();
    db.ok(&[
        "import",
        "economies",
        dir.join("economies.csv").to_str().unwrap(),
    ]);
    let base = count(&db, "SELECT COUNT(*) FROM criterion_values").await;
    let rows = values.lines().count() as i64 - 1;
    let mut killed = 0;
    for delay in [150u64, 400, 800, 1500] {
        let mut child = start_values_import(&db);
        std::thread::sleep(Duration::from_millis(delay));
        let _ = child.kill();
        let status = child.wait().unwrap();
        if status.code().is_none() {
            killed += 1;
        }
        integrity_ok(&db).await;
        let now = count(&db, "SELECT COUNT(*) FROM criterion_values").await;
        assert!(
            now == base || now == base + rows,
            "after a kill at {delay} ms: {now} values, neither {base} nor {}",
            base + rows
        );
        if now == base + rows {
            break;
        }
    }
    assert!(
        killed > 0,
        "at least one import was killed before it finished"
    );
    // And the same file, left alone, is imported whole.
    db.ok(&["import", "values", dir.join("values.csv").to_str().unwrap()]);
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM criterion_values").await,
        base + rows
    );
}

#[tokio::test]
async fn a_server_killed_during_a_burst_of_posts_keeps_every_acknowledged_one() {
    let db = TestDb::new();
    db.load_example();
    let secret = add_user(&db, "ann@board.nhs.uk", "assessor", None, PASSWORD).unwrap();
    let server = Server::start(&db);
    let ann = Browser {
        client: reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .build()
            .unwrap(),
        base: server.base.clone(),
    };
    ann.sign_in("ann@board.nhs.uk", PASSWORD, Some(&secret), 0)
        .await;
    let acked = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let mut tasks = Vec::new();
    for worker in 0..8 {
        let (client, base, acked) = (ann.client.clone(), ann.base.clone(), acked.clone());
        tasks.push(tokio::spawn(async move {
            for n in 0..200 {
                let note = format!("burst note {worker}-{n}");
                let r = client
                    .post(format!("{base}/assess/economies/leeds"))
                    .header("sec-fetch-site", "same-origin")
                    .form(&[("note", note.as_str())])
                    .send()
                    .await;
                match r {
                    Ok(r) if r.status().as_u16() == 303 => acked.lock().unwrap().push(note),
                    _ => break,
                }
            }
        }));
    }
    // Kill it once some posts are acknowledged, while others are under way.
    for _ in 0..200 {
        if acked.lock().unwrap().len() >= 40 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    server.signal("-KILL");
    for t in tasks {
        t.await.unwrap();
    }
    drop(server);
    integrity_ok(&db).await;
    let acked = acked.lock().unwrap().clone();
    assert!(acked.len() >= 40, "{} acknowledged", acked.len());
    assert!(
        acked.len() < 1600,
        "the server was killed before the burst ended"
    );
    use sqlx::Row;
    let stored: std::collections::HashSet<String> = sqlx::query("SELECT body FROM notes")
        .fetch_all(&db.pool().await)
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    for note in &acked {
        assert!(stored.contains(note), "acknowledged but lost: {note}");
    }
    // It starts again on the same database and serves.
    let again = Server::start(&db);
    let r = reqwest::get(format!("{}/readyz", again.base))
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn sigterm_finishes_the_request_in_flight_and_exits_zero() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let db = TestDb::new();
    db.load_example();
    let mut server = Server::start(&db);
    let addr = server.base.trim_start_matches("http://").to_string();
    // A form post whose body has not all arrived when the signal comes.
    let body = "name=&region=";
    let mut conn = tokio::net::TcpStream::connect(&addr).await.unwrap();
    conn.write_all(
        format!(
            "POST /nominate HTTP/1.1\r\nHost: {addr}\r\nsec-fetch-site: same-origin\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\nname=",
            body.len()
        )
        .as_bytes(),
    )
    .await
    .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    server.signal("-TERM");
    tokio::time::sleep(Duration::from_millis(300)).await;
    // No new connection is accepted now.
    assert!(reqwest::Client::new()
        .get(format!("{}/healthz", server.base))
        .timeout(Duration::from_secs(2))
        .send()
        .await
        .is_err());
    conn.write_all(&body.as_bytes()["name=".len()..])
        .await
        .unwrap();
    let mut response = String::new();
    conn.read_to_string(&mut response).await.unwrap();
    assert!(
        response.starts_with("HTTP/1.1 422"),
        "the request in flight is answered: {}",
        &response[..response.len().min(200)]
    );
    let status = server.child.wait().unwrap();
    assert_eq!(status.code(), Some(0));
}

#[tokio::test]
async fn injection_and_script_payloads_are_stored_and_shown_back_inert() {
    let w = world().await;
    let script = "<script>alert('x')</script>";
    let sql = "Robert'); DROP TABLE economies;--";
    let b = Browser::new(&w.app);
    let name = format!("{sql} {script}");
    let p = b
        .post(
            "/nominate",
            &[
                ("name", name.as_str()),
                ("region", "London"),
                ("org-1-name", script),
                ("org-1-kind", "acute"),
                ("lead_name", sql),
                ("lead_email", "lead@example.nhs.uk"),
                ("lead_role", script),
                ("vision", script),
                ("in_place", sql),
                ("benefits", "\"><img src=x onerror=alert(1)>"),
            ],
        )
        .await;
    assert_eq!(p.status, 200, "{}", p.body);
    assert!(!p.body.contains(script) && !p.body.contains("<img src=x"));
    let admin = w.as_role("admin").await.unwrap();
    let page = admin.get("/admin/nominations").await.body;
    assert!(
        page.contains("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;")
            || page.contains("&lt;script&gt;alert('x')&lt;/script&gt;"),
        "{page}"
    );
    assert!(!page.contains(script));
    assert!(!page.contains("<img src=x"));
    assert!(page.contains("DROP TABLE economies"));
    // The tables are all there.
    let pool = w.app.db.pool().await;
    assert!(app::db::count_economies(&pool).await.unwrap() >= 3);
    // Query parameters.
    for path in [
        "/trusts?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "/economies?as_of=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "/economies?region=%27%3B%20DROP%20TABLE%20economies%3B--",
        "/api/v1/scores?as_of=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "/api/v1/benefits?as_of=%27%20OR%201%3D1--",
    ] {
        let r = b.get(path).await;
        assert!(r.status < 500, "{path}: {}", r.status);
        if path.starts_with("/api/") {
            // An error may quote what was sent, inside JSON that no browser runs.
            let header = |h: &str| r.headers[h].to_str().unwrap().to_string();
            assert!(
                header("content-type").starts_with("application/json"),
                "{path}"
            );
            assert_eq!(header("x-content-type-options"), "nosniff", "{path}");
        } else {
            assert!(!r.body.contains("<script>alert(1)"), "{path}");
        }
    }
    // Signed-in forms: a submitter's organisation, an assessor's note, a sign-in's email.
    let sam = w.as_role("submitter-a").await.unwrap();
    let p = sam
        .post(
            "/my-economy/organisations",
            &[
                ("action", "add"),
                ("name", name.as_str()),
                ("ods_code", ""),
                ("kind", "acute"),
            ],
        )
        .await;
    assert_eq!(p.status, 303, "{}", p.body);
    let page = sam.get("/my-economy/organisations").await.body;
    assert!(page.contains("DROP TABLE economies") && !page.contains(script));
    let ann = w.as_role("assessor").await.unwrap();
    let p = ann
        .post("/assess/economies/york", &[("note", name.as_str())])
        .await;
    assert_eq!(p.status, 303);
    let page = ann.get("/assess/economies/york").await.body;
    assert!(page.contains("DROP TABLE economies") && !page.contains(script));
    let p = Browser::new(&w.app)
        .post("/sign-in", &[("email", name.as_str()), ("password", sql)])
        .await;
    assert!(p.status < 500 && !p.body.contains(script));
    let page = admin
        .get("/assess?economy=%3Cscript%3Ealert(1)%3C%2Fscript%3E&quarter=%27%20OR%201%3D1--")
        .await;
    assert_eq!(page.status, 200);
    assert!(!page.body.contains("<script>alert(1)"));
    assert!(app::db::count_economies(&pool).await.unwrap() >= 3);
}

#[tokio::test]
async fn a_zip_bomb_named_as_a_word_document_is_refused_and_nothing_is_kept() {
    let db = TestDb::new();
    db.load_example();
    let register = db.dir.path().join("trusts.csv");
    std::fs::write(
        &register,
        "code,name,type,region,economy,epr_status,operational_date,planned_date\n\
         RR8,Leeds Teaching Hospitals NHS Trust,acute,Yorkshire and the Humber,leeds,deploying,,2015-09-01\n",
    )
    .unwrap();
    db.ok(&["import", "trusts", register.to_str().unwrap()]);
    add_user(
        &db,
        "lee@leeds.nhs.uk",
        "submitter",
        Some("leeds"),
        PASSWORD,
    );
    let app = TestApp::spawn(db, Some("2015-04-20")).await;
    let lee = Browser::submitter(&app, "lee@leeds.nhs.uk").await;
    // A Word document's shape around 200 MB of zeros packed into 204 KB: refused from its
    // zip directory, without unpacking anything.
    let bomb = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bomb.docx"),
    )
    .unwrap();
    assert!(bomb.len() < 300 * 1024);
    let p = post_multipart(
        &lee,
        "/my-economy/organisations",
        form(&[
            ("action", "epr"),
            ("code", "RR8"),
            ("status-RR8", "operational"),
            ("date-RR8", "2015-04-01"),
        ])
        .part("file-RR8", file("evidence.docx", bomb)),
    )
    .await;
    assert_eq!(p.status, 422);
    assert!(
        p.body
            .contains("The selected file evidence.docx cannot be accepted: it unpacks to 200 MB"),
        "{}",
        p.body
    );
    assert_eq!(count(&app.db, "SELECT COUNT(*) FROM files").await, 0);
    assert_eq!(
        count(
            &app.db,
            "SELECT COUNT(*) FROM trusts WHERE epr_status = 'operational'"
        )
        .await,
        0,
        "nothing half-done"
    );
}

/// Every row of one table as text, sorted.
async fn rows(pool: &app::db::Pool, table: &str) -> Vec<String> {
    use sqlx::Row;
    let sql = match app::db::backend(pool) {
        app::db::Backend::Sqlite => {
            let columns: Vec<String> =
                sqlx::query(&format!("SELECT name FROM pragma_table_info('{table}')"))
                    .fetch_all(pool)
                    .await
                    .unwrap()
                    .iter()
                    .map(|r| format!("quote(\"{}\")", r.get::<String, _>(0)))
                    .collect();
            format!("SELECT {} FROM \"{table}\"", columns.join(" || '|' || "))
        }
        app::db::Backend::Postgres => format!("SELECT CAST(x AS TEXT) FROM \"{table}\" x"),
    };
    let mut out: Vec<String> = sqlx::query(&sql)
        .fetch_all(pool)
        .await
        .unwrap()
        .iter()
        .map(|r| r.get::<String, _>(0))
        .collect();
    out.sort();
    out
}

/// The application's tables (not the migrator's).
async fn tables(pool: &app::db::Pool) -> Vec<String> {
    use sqlx::Row;
    let sql = match app::db::backend(pool) {
        app::db::Backend::Sqlite => "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_sqlx%' ORDER BY name",
        app::db::Backend::Postgres => "SELECT tablename::text FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE '_sqlx%' ORDER BY tablename",
    };
    sqlx::query(sql)
        .fetch_all(pool)
        .await
        .unwrap()
        .iter()
        .map(|r| r.get::<String, _>(0))
        .collect()
}

#[tokio::test]
async fn a_backup_taken_under_traffic_and_an_import_restores_a_consistent_copy() {
    let db = TestDb::new();
    db.load_example();
    db.ok(&["publish", "--through", "2014-Q2"]);
    let mut economies = String::from("slug,name,region\n");
    let mut values = String::from("economy,period,criterion,value,status\n");
    for i in 0..400 {
        economies.push_str(&format!("b{i},Economy {i},London\n"));
        for q in 0..20 {
            let period = format!("{}-Q{}", 2009 + q / 4, q % 4 + 1);
            values.push_str(&format!("b{i},{period},NHS-NUMBER,{}.5,verified\n", q * 4));
            values.push_str(&format!("b{i},{period},GP2GP,no,submitted\n"));
        }
    }
    let dir = db.dir.path().to_path_buf();
    std::fs::write(dir.join("economies.csv"), economies).unwrap();
    std::fs::write(dir.join("values.csv"), &values).unwrap();
    db.ok(&[
        "import",
        "economies",
        dir.join("economies.csv").to_str().unwrap(),
    ]);
    let base = count(&db, "SELECT COUNT(*) FROM criterion_values").await;
    let rows_in_file = values.lines().count() as i64 - 1;
    let app = TestApp::spawn(db, None).await;
    // Traffic: public pages and the API, all the while.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let traffic = {
        let (stop, base_url) = (stop.clone(), app.base.clone());
        tokio::spawn(async move {
            let client = reqwest::Client::new();
            let mut served = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                for p in ["/economies", "/api/v1/scores", "/trusts", "/benefits"] {
                    let r = client.get(format!("{base_url}{p}")).send().await.unwrap();
                    assert!(r.status().as_u16() < 500, "{p}");
                    served += 1;
                }
            }
            served
        })
    };
    // An import under way while the backup is taken.
    let mut import = start_values_import(&app.db);
    tokio::time::sleep(Duration::from_millis(100)).await;
    let file = dir.join("backup.db");
    let out = app.db.run(&["backup", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(import.wait().unwrap().success());
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    assert!(traffic.await.unwrap() > 0);

    let fresh = TestDb::new();
    let out = fresh.run(&["restore", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    integrity_ok(&fresh).await;
    assert!(fresh.run(&["audit", "verify"]).status.success());
    // The import is in the copy whole or not at all.
    let copied = count(&fresh, "SELECT COUNT(*) FROM criterion_values").await;
    assert!(
        copied == base || copied == base + rows_in_file,
        "{copied} values: neither {base} nor {}",
        base + rows_in_file
    );
    // Every table: what the copy holds, the source held (nothing invented or garbled). On
    // SQLite the backup file itself is a database: the copy holds exactly what it holds.
    let restored = fresh.pool().await;
    let source = app.db.pool().await;
    let names = tables(&restored).await;
    assert_eq!(names, tables(&source).await);
    assert!(names.len() >= 20, "{names:?}");
    let backup = if fresh.is_postgres() {
        None
    } else {
        Some(
            app::db::open(&format!("sqlite://{}", file.display()))
                .await
                .unwrap(),
        )
    };
    for table in &names {
        let copy = rows(&restored, table).await;
        if let Some(b) = &backup {
            assert_eq!(copy, rows(b, table).await, "table {table}");
        }
        // Rows that are updated in place: the head of the audit chain, sessions.
        if table == "sessions" || table == "audit_head" {
            continue;
        }
        let now: std::collections::HashSet<String> =
            rows(&source, table).await.into_iter().collect();
        for row in &copy {
            assert!(
                now.contains(row),
                "table {table}: {row} is not in the source"
            );
        }
    }
}
