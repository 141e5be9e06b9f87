//! Both backends: backup and restore, several instances on one database, migrations
//! started twice at once. `make test` runs this suite on SQLite and on PostgreSQL.

use crate::helpers::{
    add_user, audit_key_file, stderr, user_id, world, Browser, TestApp, TestDb, PASSWORD,
};

/// What a database holds, as the command line and the tables show it.
async fn fingerprint(db: &TestDb) -> Vec<String> {
    let pool = db.pool().await;
    let mut out = vec![
        db.ok(&["scores", "--as-of", "2014-Q2", "--format", "csv"]),
        db.ok(&["framework", "list"]),
    ];
    for table in [
        "economies",
        "criterion_values",
        "value_history",
        "publications",
        "users",
        "audit_log",
        "frameworks",
    ] {
        let n: i64 = sqlx::Row::get(
            &sqlx::query(&format!("SELECT COUNT(*) FROM {table}"))
                .fetch_one(&pool)
                .await
                .unwrap(),
            0,
        );
        out.push(format!("{table}: {n}"));
    }
    let hashes: Vec<String> = app::db::audit_all(&pool)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.hash)
        .collect();
    out.push(hashes.join(","));
    out
}

#[tokio::test]
async fn a_backup_restores_every_table() {
    let db = TestDb::new();
    db.load_example();
    db.ok(&["publish", "--through", "2014-Q2"]);
    add_user(&db, "ada@board.nhs.uk", "admin", None, PASSWORD);
    // Taken while the app serves.
    let app = TestApp::spawn(db, None).await;
    assert_eq!(app.get("/economies").await.status().as_u16(), 200);
    let file = app.db.dir.path().join("backup.db");
    let out = app.db.run(&["backup", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    // A second backup to the same file is refused rather than overwritten.
    assert_eq!(
        app.db
            .run(&["backup", file.to_str().unwrap()])
            .status
            .code(),
        Some(1)
    );
    let before = fingerprint(&app.db).await;

    let fresh = TestDb::new();
    let out = fresh.run(&["restore", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(fingerprint(&fresh).await, before);
    assert!(fresh.run(&["audit", "verify"]).status.success());
    // Restoring over data needs --force.
    let out = fresh.run(&["restore", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("is not empty"), "{}", stderr(&out));
    let out = fresh.run(&["restore", file.to_str().unwrap(), "--force"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(fingerprint(&fresh).await, before);
    // A file that is not a backup is refused.
    let junk = fresh.dir.path().join("junk");
    std::fs::write(&junk, "not a backup").unwrap();
    let other = TestDb::new();
    assert_eq!(
        other
            .run(&["restore", junk.to_str().unwrap()])
            .status
            .code(),
        Some(1)
    );
}

#[tokio::test]
async fn two_instances_share_sessions_caches_and_changes() {
    let w = world().await;
    let second = w.app.another_instance().await;
    // Signed in on one instance, signed in on the other.
    let a = w.as_role("submitter-a").await.unwrap();
    let b = a.at(&second);
    let p = b.get("/account").await;
    assert_eq!(p.status, 200);
    assert!(p.body.contains("sam@york.nhs.uk"));
    // A public page cached by the second instance changes at once when a publication is
    // made elsewhere (here: the command line).
    let anon = Browser::new(&w.app).at(&second);
    let page = anon.get("/economies").await.body;
    assert!(page.contains("2014-Q2") && !page.contains("2014-Q3"));
    w.app.db.ok(&["publish", "--through", "2014-Q3"]);
    let page = anon.get("/economies").await.body;
    assert!(
        page.contains("2014-Q3"),
        "the second instance shows the new quarter"
    );
    // An import through the command line shows at once in the API of both.
    let fix = w.app.db.dir.path().join("fix.csv");
    std::fs::write(
        &fix,
        "slug,name,region\nyork,York and Selby,Yorkshire and the Humber\n",
    )
    .unwrap();
    w.app.db.ok(&["import", "economies", fix.to_str().unwrap()]);
    for base in [&w.app.base, &second] {
        let v: serde_json::Value = reqwest::get(format!("{base}/api/v1/economies"))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert!(v.to_string().contains("York and Selby"), "{base}");
    }
    // An admin's action through one instance ends the session on the other.
    let admin = w.as_role("admin").await.unwrap();
    let pool = w.app.db.pool().await;
    let id = user_id(&pool, "sam@york.nhs.uk").await;
    admin
        .post(&format!("/admin/users/{id}"), &[("action", "end-sessions")])
        .await;
    assert_eq!(b.get("/account").await.status, 303);
}

#[test]
fn migrations_started_twice_at_once_apply_once() {
    let db = TestDb::new();
    let runs: Vec<_> = (0..2)
        .map(|_| {
            std::process::Command::new(env!("CARGO_BIN_EXE_exemplar"))
                .args(["migrate"])
                .env("DATABASE_URL", &db.url)
                .env("EXEMPLAR_AUDIT_KEY_FILE", audit_key_file())
                .current_dir(db.dir.path())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for r in runs {
        let out = r.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let out = db.run(&["framework", "list"]);
    assert!(out.status.success());
    let migrations = std::fs::read_dir(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../migrations/sqlite"),
    )
    .unwrap()
    .count() as i64;
    let applied = tokio::runtime::Runtime::new().unwrap().block_on(async {
        let pool = db.pool().await;
        let r = sqlx::query("SELECT COUNT(*) FROM _sqlx_migrations")
            .fetch_one(&pool)
            .await
            .unwrap();
        sqlx::Row::get::<i64, _>(&r, 0)
    });
    assert_eq!(applied, migrations);
}

#[tokio::test]
async fn a_file_stored_through_one_instance_is_read_through_another() {
    let db = TestDb::new();
    let one = db.pool().await;
    let two = app::db::open(&db.url).await.unwrap();
    let pdf = b"%PDF-1.4\n% evidence\n\x00\x01\x02 binary bytes \xff".to_vec();
    let mut tx = app::db::begin(&one).await.unwrap();
    let sha = app::db::put_file(&mut tx, &pdf, "application/pdf")
        .await
        .unwrap();
    // The same content again is kept once.
    assert_eq!(
        app::db::put_file(&mut tx, &pdf, "application/pdf")
            .await
            .unwrap(),
        sha
    );
    tx.commit().await.unwrap();
    assert_eq!(sha, app::audit::sha256_hex(&pdf));
    let (kind, content) = app::db::get_file(&two, &sha).await.unwrap().unwrap();
    assert_eq!((kind.as_str(), content), ("application/pdf", pdf));
    assert!(app::db::get_file(&two, "0000").await.unwrap().is_none());
}
