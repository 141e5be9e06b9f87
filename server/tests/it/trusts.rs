//! The trust EPR register (issue 9): the import's rules through the command line, compliance
//! as of the service's today, and the public page's figures against the register.

use crate::{stderr, TestApp, TestDb};

const HEAD: &str = "code,name,type,region,economy,epr_status,operational_date,planned_date\n";

fn register() -> String {
    format!(
        "{HEAD}\
         RR8,Leeds Teaching Hospitals NHS Trust,acute,Yorkshire and the Humber,leeds,operational,2014-04-01,\n\
         RCB,York Teaching Hospital NHS Foundation Trust,acute,Yorkshire and the Humber,york,operational,2014-04-02,\n\
         RGD,Leeds and York Partnership NHS Foundation Trust,mental-health,Yorkshire and the Humber,leeds,deploying,,2015-09-01\n\
         RX8,Yorkshire Ambulance Service NHS Trust,ambulance,Yorkshire and the Humber,,none,,\n"
    )
}

#[tokio::test]
async fn the_import_is_whole_or_nothing_and_the_public_page_counts_the_register() {
    let db = TestDb::new();
    db.load_example();
    let file = db.dir.path().join("trusts.csv");
    // Refused: every problem with its line, nothing stored.
    std::fs::write(
        &file,
        format!(
            "{HEAD}RR8,A,acute,London,,operational,2015-04-21,\nRCB,B,hospital,London,nowhere,none,,\n"
        ),
    )
    .unwrap();
    let out = db.run(&["import", "trusts", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    let path = file.to_str().unwrap();
    assert!(
        err.contains(&format!(
            "{path}:2: operational_date: 2015-04-21 is in the future"
        )),
        "{err}"
    );
    assert!(err.contains(&format!("{path}:3: type:")), "{err}");
    assert!(err.contains(&format!("{path}:3: economy:")), "{err}");
    // Accepted.
    std::fs::write(&file, register()).unwrap();
    let out = db.run(&["import", "trusts", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("imported 4 trusts (4 new, 0 updated, 0 unchanged)"));
    // Again, with one change: kept in the history.
    std::fs::write(
        &file,
        register().replace("deploying,,2015-09-01", "operational,2015-03-30,"),
    )
    .unwrap();
    let out = db.run(&["import", "trusts", file.to_str().unwrap()]);
    assert!(
        stderr(&out).contains("(0 new, 1 updated, 3 unchanged)"),
        "{}",
        stderr(&out)
    );

    let app = TestApp::spawn(db, Some("2015-04-20")).await;
    let (status, page) = app.html("/trusts").await;
    assert_eq!(status, 200);
    // On the deadline: compliant; the day after: late; none: non-compliant.
    assert!(
        page.contains("As of 20 April 2015, 1 of 4 trusts met it on time, 2 went live late and 1 are not yet operational."),
        "{page}"
    );
    assert!(page.contains("Operational since 2014-04-01"));
    let (_, found) = app.html("/trusts?q=rcb").await;
    assert!(found.contains("1 trust(s) matching"));
    assert!(found.contains("York Teaching Hospital NHS Foundation Trust"));
    assert!(!found.contains("Leeds Teaching Hospitals NHS Trust"));
    let (_, found) = app.html("/trusts?q=leeds").await;
    assert!(found.contains("2 trust(s) matching"));
}

#[tokio::test]
async fn a_submitter_updates_only_their_own_trusts_and_the_public_page_follows() {
    use crate::accounts::{add_user, Browser, PASSWORD};
    let db = TestDb::new();
    db.load_example();
    let file = db.dir.path().join("trusts.csv");
    std::fs::write(&file, register()).unwrap();
    db.ok(&["import", "trusts", file.to_str().unwrap()]);
    add_user(&db, "sam@york.nhs.uk", "submitter", Some("york"), PASSWORD);
    add_user(
        &db,
        "lee@leeds.nhs.uk",
        "submitter",
        Some("leeds"),
        PASSWORD,
    );
    let app = TestApp::spawn(db, Some("2015-04-20")).await;
    let sam = Browser::new(&app);
    sam.sign_in("sam@york.nhs.uk", PASSWORD, None, 0).await;
    let page = sam.get("/my-economy/organisations").await.body;
    assert!(page.contains("York Teaching Hospital NHS Foundation Trust (RCB)"));
    assert!(!page.contains("(RR8)"), "only their own trusts");
    // Problems by the field.
    for (status, date, message) in [
        (
            "operational",
            "",
            "Enter the date the EPR became operational",
        ),
        ("operational", "2015-04-21", "cannot be after today"),
        ("deploying", "next year", "Enter the date as YYYY-MM-DD"),
    ] {
        let p = sam
            .post(
                "/my-economy/organisations",
                &[
                    ("action", "epr"),
                    ("code", "RCB"),
                    ("status-RCB", status),
                    ("date-RCB", date),
                ],
            )
            .await;
        assert_eq!(p.status, 422, "{status} {date}");
        assert!(p.body.contains(message), "{message}");
        assert!(p.body.contains("href=\"#date-RCB\""));
    }
    // Done, and the register and public page follow.
    let p = sam
        .post(
            "/my-economy/organisations",
            &[
                ("action", "epr"),
                ("code", "RCB"),
                ("status-RCB", "operational"),
                ("date-RCB", "2014-03-30"),
            ],
        )
        .await;
    assert_eq!(p.status, 303);
    let (_, public) = app.html("/trusts").await;
    assert!(public.contains("2 of 4 trusts met it on time"), "{public}");
    // Leeds's submitter cannot change York's trust.
    let lee = Browser::new(&app);
    lee.sign_in("lee@leeds.nhs.uk", PASSWORD, None, 0).await;
    let p = lee
        .post(
            "/my-economy/organisations",
            &[
                ("action", "epr"),
                ("code", "RCB"),
                ("status-RCB", "none"),
                ("date-RCB", ""),
            ],
        )
        .await;
    assert_eq!(p.status, 303);
    assert!(lee
        .get("/my-economy/organisations")
        .await
        .body
        .contains("RCB is not one of your economy"));
    let (_, public) = app.html("/trusts").await;
    assert!(public.contains("2 of 4 trusts met it on time"));
    let pool = app.db.pool().await;
    use sqlx::Row;
    let history: i64 = sqlx::query("SELECT COUNT(*) FROM trust_history WHERE code = 'RCB'")
        .fetch_one(&pool)
        .await
        .unwrap()
        .get(0);
    assert_eq!(history, 2, "the import and the submitter's change");
}
