//! The command line of spec/cli.md against real database files.

use crate::helpers::{assert_json_close, example, expected, stderr, TestDb};

#[test]
fn worked_example_through_the_command_line() {
    let db = TestDb::new();
    db.load_example();
    let out: serde_json::Value = serde_json::from_str(&db.ok(&["scores"])).unwrap();
    assert_json_close(&out, &expected("expected.json"), "");
    let out: serde_json::Value =
        serde_json::from_str(&db.ok(&["scores", "--as-of", "2014-Q1"])).unwrap();
    assert_json_close(&out, &expected("expected-2014-Q1.json"), "");
}

#[test]
fn scores_as_csv() {
    let db = TestDb::new();
    db.load_example();
    let csv = db.ok(&["scores", "--format", "csv"]);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "economy,name,rank,overall,verified_overall,completeness,confidence,eligible,stage,paperless_date,paperless_achieved,on_track,theme:records,theme:infra");
    assert_eq!(lines[2], "york,York and Selby,2,53.28947368421053,25,87.5,50,false,0,2014-10-29,false,true,54.385964912280706,50");
    assert_eq!(lines.len(), 4);
}

#[test]
fn summaries_go_to_standard_error() {
    let db = TestDb::new();
    db.ok(&[
        "framework",
        "load",
        example("framework.toml").to_str().unwrap(),
    ]);
    let out = db.run(&[
        "import",
        "economies",
        example("economies.csv").to_str().unwrap(),
    ]);
    assert!(out.status.success());
    assert!(out.stdout.is_empty());
    assert_eq!(
        stderr(&out).trim(),
        "imported 3 economies (3 new, 0 updated)"
    );
    let out = db.run(&["import", "values", example("values.csv").to_str().unwrap()]);
    assert_eq!(
        stderr(&out).trim(),
        "imported 12 values for 2 economies (12 new, 0 replaced, 0 unchanged)"
    );
}

#[test]
fn a_bad_values_file_is_refused_whole_with_every_problem() {
    let db = TestDb::new();
    db.load_example();
    let before = db.ok(&["scores"]);
    let path = db.dir.path().join("values.csv");
    std::fs::write(
        &path,
        "economy,period,criterion,value,status\n\
         leeds,2014-Q3,GP2GP,yes,verified\n\
         leeds,2014-Q3,NHS-NUMBER,120,\n\
         york,2014-Q9,GP2GP,yes,\n",
    )
    .unwrap();
    let out = db.run(&["import", "values", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let name = path.display().to_string();
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "{name}:3: value: 120 is above 100 for percentage criterion NHS-NUMBER"
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!("{name}:4: period: \"2014-Q9\" is not a quarter")),
        "{err}"
    );
    assert!(out.stdout.is_empty());
    // Nothing stored: not even the good first row.
    assert_eq!(db.ok(&["scores"]), before);
}

#[test]
fn empty_and_non_utf8_files_and_standard_input() {
    let db = TestDb::new();
    db.load_example();
    let out = db.run_with_input(&["import", "values", "-"], Some(b""));
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).starts_with("stdin:1: file: empty"),
        "{}",
        stderr(&out)
    );
    let out = db.run_with_input(
        &["import", "values", "-"],
        Some(b"economy,period,criterion,value,status\nleeds,2014-Q3,GP2GP,\xff,\n"),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).starts_with("stdin:2: file: not UTF-8"),
        "{}",
        stderr(&out)
    );
    let out = db.run(&["import", "values", "/no/such/file.csv"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("cannot read /no/such/file.csv"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_bad_framework_is_refused_with_key_paths_and_nothing_stored() {
    let db = TestDb::new();
    db.load_example();
    let list_before = db.ok(&["framework", "list"]);
    let text = std::fs::read_to_string(example("framework.toml"))
        .unwrap()
        .replace("target = 5\n", "");
    let path = db.dir.path().join("framework.toml");
    std::fs::write(&path, text).unwrap();
    let out = db.run(&["framework", "load", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(&format!(
            "{}: criteria[4].target: required for kind \"level\"",
            path.display()
        )),
        "{}",
        stderr(&out)
    );
    assert_eq!(db.ok(&["framework", "list"]), list_before);
}

#[test]
fn frameworks_are_versioned_and_the_newest_is_active() {
    let db = TestDb::new();
    db.ok(&[
        "framework",
        "load",
        example("framework.toml").to_str().unwrap(),
    ]);
    db.ok(&[
        "framework",
        "load",
        example("framework.toml").to_str().unwrap(),
    ]);
    let list = db.ok(&["framework", "list"]);
    let lines: Vec<&str> = list.lines().collect();
    assert_eq!(lines.len(), 2, "{list}");
    assert!(lines[0].starts_with("example\tversion 1\t"));
    assert!(!lines[0].ends_with("(active)"));
    assert!(lines[1].starts_with("example\tversion 2\t") && lines[1].ends_with("(active)"));
}

#[test]
fn usage_errors_exit_2() {
    let db = TestDb::new();
    for args in [
        &["scores", "--as-of", "2014-Q5"][..],
        &["frobnicate"],
        &["scores", "--format", "xml"],
        &["publish"],
    ] {
        let out = db.run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).to_lowercase().contains("usage"),
            "{args:?}: {}",
            stderr(&out)
        );
    }
}

#[test]
fn a_database_that_cannot_be_opened_exits_3_naming_it() {
    let db = TestDb::new();
    let blocker = db.dir.path().join("file");
    std::fs::write(&blocker, "not a folder").unwrap();
    let url = format!("sqlite://{}/sub/exemplar.db", blocker.display());
    let out = db.run(&["--database-url", &url, "migrate"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains(&url), "{}", stderr(&out));
}

#[test]
fn migrate_creates_a_fresh_database_with_its_folder() {
    let db = TestDb::new();
    let url = format!("sqlite://{}/nested/dir/x.db", db.dir.path().display());
    let out = db.run(&["migrate", "--database-url", &url]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(db.dir.path().join("nested/dir/x.db").exists());
}

#[test]
fn no_values_at_all_gives_a_null_quarter() {
    let db = TestDb::new();
    db.ok(&[
        "framework",
        "load",
        example("framework.toml").to_str().unwrap(),
    ]);
    db.ok(&[
        "import",
        "economies",
        example("economies.csv").to_str().unwrap(),
    ]);
    let out: serde_json::Value = serde_json::from_str(&db.ok(&["scores"])).unwrap();
    assert_eq!(out["as_of"], serde_json::Value::Null);
    assert_eq!(out["economies"].as_array().unwrap().len(), 3);
    assert_eq!(out["economies"][0]["economy"], "hull");
    assert_eq!(out["economies"][0]["rank"], serde_json::Value::Null);
}

#[test]
fn publish_is_in_order_and_idempotent_and_revisions_need_a_published_quarter() {
    let db = TestDb::new();
    db.load_example();
    let out = db.run(&["publish", "--through", "2014-Q1"]);
    assert!(out.status.success());
    assert_eq!(stderr(&out).trim(), "published 2013-Q4, 2014-Q1");
    let out = db.run(&["publish", "--through", "2014-Q1"]);
    assert!(out.status.success());
    assert!(stderr(&out).contains("nothing to publish"));
    let out = db.run(&["publish", "--revise", "2014-Q2", "--reason", "fix"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("2014-Q2 is not published"),
        "{}",
        stderr(&out)
    );
    let out = db.run(&["publish", "--through", "2015-Q2"]);
    assert_eq!(out.status.code(), Some(1), "a quarter that has not ended");
    assert!(stderr(&out).contains("has not ended"), "{}", stderr(&out));
}

#[test]
fn demo_loads_once_only() {
    let db = TestDb::new();
    let out = db.run(&["demo"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("loaded the demo data set: 43 economies"),
        "{}",
        stderr(&out)
    );
    let scores: serde_json::Value = serde_json::from_str(&db.ok(&["scores"])).unwrap();
    assert_eq!(scores["as_of"], "2015-Q1");
    assert_eq!(scores["economies"].as_array().unwrap().len(), 43);
    // The demo submitter's economy reported through the web: drafts, evidence, a late change
    // submitted from check your answers; Salford completes 2015-Q1 together (two drafts and
    // two documents of its own, a sign-off and a value submitted with its reason).
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        use sqlx::Row;
        let pool = db.pool().await;
        let count = |sql: &'static str| {
            let pool = pool.clone();
            async move {
                sqlx::query(sql)
                    .fetch_one(&pool)
                    .await
                    .unwrap()
                    .get::<i64, _>(0)
            }
        };
        assert_eq!(count("SELECT COUNT(*) FROM drafts").await, 4);
        assert_eq!(
            count("SELECT COUNT(*) FROM evidence WHERE file_sha256 IS NOT NULL").await,
            4
        );
        assert_eq!(count("SELECT COUNT(*) FROM quarter_signoffs").await, 1);
        assert_eq!(count("SELECT COUNT(*) FROM quarter_assignments").await, 5);
        assert_eq!(
            count("SELECT COUNT(*) FROM criterion_values WHERE reason IS NOT NULL").await,
            1
        );
        assert_eq!(
            count("SELECT COUNT(*) FROM evidence WHERE link IS NOT NULL").await,
            1
        );
        assert_eq!(
            count("SELECT COUNT(*) FROM value_history WHERE late = 1").await,
            1
        );
        // The late change was checked and submitted with a receipt.
        assert_eq!(
            count("SELECT COUNT(*) FROM submission_receipts WHERE late = 1 AND period = '2014-Q4'")
                .await,
            1
        );
        pool.close().await;
    });
    let out = db.run(&["demo"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("empty database"), "{}", stderr(&out));
}

#[test]
fn completions_and_manual_pages_come_from_the_commands_without_a_database() {
    let dir = tempfile::tempdir().unwrap();
    // A database URL that cannot be opened: these commands never touch it.
    let nowhere = format!("sqlite://{}/no/such/dir/x.db", dir.path().display());
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_exemplar"))
            .args(args)
            .env("DATABASE_URL", &nowhere)
            .current_dir(dir.path())
            .output()
            .unwrap()
    };
    let bash = run(&["completions", "bash"]);
    assert!(bash.status.success(), "{}", stderr(&bash));
    let script = String::from_utf8(bash.stdout).unwrap();
    for command in ["serve", "publish", "import", "organisations", "--as-of"] {
        assert!(
            script.contains(command),
            "the bash completion knows {command}"
        );
    }
    let path = dir.path().join("exemplar.bash");
    std::fs::write(&path, &script).unwrap();
    let syntax = std::process::Command::new("bash")
        .arg("-n")
        .arg(&path)
        .output()
        .unwrap();
    assert!(syntax.status.success(), "{}", stderr(&syntax));
    for shell in ["zsh", "fish"] {
        let out = run(&["completions", shell]);
        assert!(out.status.success() && !out.stdout.is_empty(), "{shell}");
    }
    assert_eq!(run(&["completions", "tcsh"]).status.code(), Some(2));

    let man = dir.path().join("man");
    let out = run(&["manual", man.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let main = std::fs::read_to_string(man.join("exemplar.1")).unwrap();
    assert!(main.contains(".TH exemplar 1"), "{main}");
    assert!(
        main.contains("exemplar\\-publish(1)"),
        "the main page lists the commands"
    );
    for page in [
        "exemplar-serve.1",
        "exemplar-import-values.1",
        "exemplar-publish.1",
    ] {
        let text = std::fs::read_to_string(man.join(page)).unwrap();
        assert!(text.contains(".SH NAME"), "{page}");
    }
    let values = std::fs::read_to_string(man.join("exemplar-import-values.1")).unwrap();
    assert!(values.contains("economy,period,criterion,value,status"));
    assert!(
        !dir.path().join("data").exists(),
        "nothing else was written"
    );
}
