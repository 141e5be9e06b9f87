//! The trust EPR register (issue 9): the import's rules through the command line, compliance
//! as of the service's today, and the public page's figures against the register.

use crate::helpers::{
    add_submitters, add_user, example_with_trusts, file, form, post_multipart, stderr,
    trust_register, Browser, TestApp, TestDb, PASSWORD, PDF, TRUSTS_HEAD,
};
use sqlx::Row;

#[tokio::test]
async fn the_import_is_whole_or_nothing_and_the_public_page_counts_the_register() {
    let db = TestDb::new();
    db.load_example();
    let file = db.dir.path().join("trusts.csv");
    // Refused: every problem with its line, nothing stored.
    std::fs::write(
        &file,
        format!(
            "{TRUSTS_HEAD}RR8,A,acute,London,,operational,2015-04-21,\nRCB,B,hospital,London,nowhere,none,,\nRZZ,C,acute,London,,none,,\n"
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
    // A code the register of organisations does not hold as a trust.
    assert!(
        err.contains(&format!(
            "{path}:4: code: \"RZZ\" is not an NHS trust in the register of organisations"
        )),
        "{err}"
    );
    // Accepted.
    std::fs::write(&file, trust_register()).unwrap();
    let out = db.run(&["import", "trusts", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("imported 4 trusts (4 new, 0 updated, 0 unchanged)"));
    // Again, with one change: kept in the history.
    std::fs::write(
        &file,
        trust_register().replace("deploying,,2015-09-01", "operational,2015-03-30,"),
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
        page.contains("As of 20 April 2015, 1 of 4 trusts met it on time, 2 went live late and 1 is not yet operational."),
        "{page}"
    );
    assert!(page.contains("Operational since 2014-04-01"));
    let (_, home) = app.html("/").await;
    assert!(
        home.contains("As of 20 April 2015, 1 of 4 trusts met it on time and 2 went live late; 1 has none yet."),
        "{home}"
    );
    let csv = app.get("/open-data/trusts.csv").await.text().await.unwrap();
    assert!(csv.starts_with(
        "\u{feff}code,name,type,region,economy,epr_status,operational_date,planned_date,compliance,"
    ));
    assert!(csv.contains("\nRCB,York Teaching Hospital NHS Foundation Trust,acute,Yorkshire and the Humber,york,operational,2014-04-02,,late,,,,,\n"), "{csv}");
    assert_eq!(csv.lines().count(), 5);
    let (_, found) = app.html("/trusts?q=rcb").await;
    assert!(found.contains("1 trust matching"));
    assert!(found.contains("York Teaching Hospital NHS Foundation Trust"));
    assert!(!found.contains("Leeds Teaching Hospitals NHS Trust"));
    let (_, found) = app.html("/trusts?q=leeds").await;
    assert!(found.contains("2 trusts matching"));
}

#[tokio::test]
async fn a_trust_that_closed_keeps_its_history_with_its_close_date_and_successor() {
    let db = TestDb::new();
    db.load_example();
    let file = db.dir.path().join("trusts.csv");
    // Ealing (RC3) merged into London North West (R1K) on 1 October 2014; South London
    // Healthcare (RYQ) was dissolved on 1 October 2013, before the deadline.
    std::fs::write(
        &file,
        format!(
            "{TRUSTS_HEAD}\
             RC3,Ealing Hospital NHS Trust,acute,London,,none,,\n\
             RYQ,South London Healthcare NHS Trust,acute,London,,none,,\n\
             R1K,London North West Healthcare NHS Trust,acute,London,,operational,2014-10-01,\n\
             RR8,Leeds Teaching Hospitals NHS Trust,acute,Yorkshire and the Humber,leeds,operational,2014-04-01,\n"
        ),
    )
    .unwrap();
    let out = db.run(&["import", "trusts", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let app = TestApp::spawn(db, Some("2015-04-20")).await;
    let (_, page) = app.html("/trusts").await;
    // The figures are of the two trusts open today.
    assert!(
        page.contains("As of 20 April 2015, 1 of 2 trusts met it on time, 1 went live late and 0 are not yet operational."),
        "{page}"
    );
    // Both closed trusts are listed with their close date and successor.
    assert!(page.contains(
        "Closed on 30 September 2014: its services passed to London North West Healthcare NHS Trust (R1K)."
    ));
    assert!(page.contains("href=\"/trusts?q=R1K#register\""));
    assert!(page.contains("Closed on 30 September 2013: its services passed to Lewisham and Greenwich NHS Trust (RJ2)."));
    assert!(page.contains("Closed before the deadline"));
    let (_, home) = app.html("/").await;
    assert!(
        home.contains("1 of 2 trusts met it on time and 1 went live late; 0 have none yet."),
        "{home}"
    );
    // Open data: judged as it stood when it closed; not judged when it closed before the deadline.
    let csv = app.get("/open-data/trusts.csv").await.text().await.unwrap();
    assert!(
        csv.contains("\nRC3,Ealing Hospital NHS Trust,acute,London,,none,,,non-compliant,,,,2014-09-30,R1K\n"),
        "{csv}"
    );
    assert!(
        csv.contains(
            "\nRYQ,South London Healthcare NHS Trust,acute,London,,none,,,,,,,2013-09-30,RJ2\n"
        ),
        "{csv}"
    );
    // Before Ealing closed, it was open and counted.
    let app2 = TestApp::spawn(app.db, Some("2014-06-01")).await;
    let (_, page) = app2.html("/trusts").await;
    assert!(!page.contains("Closed on 30 September 2014"), "{page}");
    assert!(page.contains("Closed on 30 September 2013"));
}

#[tokio::test]
async fn a_submitter_updates_only_their_own_trusts_and_the_public_page_follows() {
    let db = example_with_trusts();
    add_submitters(&db);
    let app = TestApp::spawn(db, Some("2015-04-20")).await;
    let sam = Browser::submitter(&app, "sam@york.nhs.uk").await;
    let page = sam.get("/my-economy/organisations").await.body;
    assert!(page.contains("York Teaching Hospital NHS Foundation Trust (RCB)"));
    assert!(!page.contains("(RR8)"), "only their own trusts");
    // Problems by the field.
    for (status, [day, month, year], message) in [
        (
            "operational",
            ["", "", ""],
            "Enter the date the EPR became operational",
        ),
        (
            "operational",
            ["21", "4", "2015"],
            "cannot be after today (20 April 2015)",
        ),
        (
            "deploying",
            ["next", "year", "2015"],
            "The date must be a real date",
        ),
    ] {
        let p = sam
            .post(
                "/my-economy/organisations",
                &[
                    ("action", "epr"),
                    ("code", "RCB"),
                    ("status-RCB", status),
                    ("date-RCB-day", day),
                    ("date-RCB-month", month),
                    ("date-RCB-year", year),
                ],
            )
            .await;
        assert_eq!(p.status, 422, "{status} {day} {month} {year}");
        assert!(p.body.contains(message), "{message}");
        assert!(p.body.contains("href=\"#date-RCB-day\""));
    }
    // Done, and the register and public page follow.
    let p = sam
        .post(
            "/my-economy/organisations",
            &[
                ("action", "epr"),
                ("code", "RCB"),
                ("status-RCB", "operational"),
                ("date-RCB-day", "30"),
                ("date-RCB-month", "3"),
                ("date-RCB-year", "2014"),
            ],
        )
        .await;
    assert_eq!(p.status, 303);
    let (_, public) = app.html("/trusts").await;
    assert!(public.contains("2 of 4 trusts met it on time"), "{public}");
    // Leeds's submitter cannot change York's trust.
    let lee = Browser::submitter(&app, "lee@leeds.nhs.uk").await;
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
    let history: i64 = sqlx::query("SELECT COUNT(*) FROM trust_history WHERE code = 'RCB'")
        .fetch_one(&pool)
        .await
        .unwrap()
        .get(0);
    assert_eq!(history, 2, "the import and the submitter's change");
}

#[tokio::test]
async fn board_staff_keep_any_trust_record_plans_and_the_flags_and_the_public_page_follow() {
    let db = example_with_trusts();
    // York says its acute trust went live on 15 May 2014; the register says 2 April.
    let values = db.dir.path().join("values.csv");
    std::fs::write(
        &values,
        "economy,period,criterion,value,status\nyork,2014-Q3,EPR-ACUTE,2014-05-15,submitted\n",
    )
    .unwrap();
    db.ok(&["import", "values", values.to_str().unwrap()]);
    add_submitters(&db);
    let secret = add_user(&db, "ann@board.nhs.uk", "assessor", None, PASSWORD).unwrap();
    let app = TestApp::spawn(db, Some("2015-04-20")).await;
    let ann = Browser::staff(&app, "ann@board.nhs.uk", &secret).await;
    let rgd = "Leeds and York Partnership NHS Foundation Trust (RGD)";

    // Leeds cannot be funded: its mental health trust is not operational and has no plan.
    let page = ann.get("/assess/trusts").await.body;
    assert!(
        page.contains("2 non-compliant trusts have no plan"),
        "{page}"
    );
    let flagged = &page[page.find("data-testid=\"not-fundable\"").unwrap()..];
    assert!(flagged.contains("Leeds health and care economy") && flagged.contains(rgd));
    // The acute EPR values against the register: Leeds's verified 2013-11-30, York's 2014-05-15.
    assert!(page.contains(
        "Says 2013-11-30, but the register has 1 acute trust without an operational EPR on that date: Leeds Teaching Hospitals NHS Trust (RR8)"
    ));
    assert!(
        page.contains(
            "Says 2014-05-15, but the register&#x27;s last acute trust went live on 2014-04-02"
        ) || page.contains(
            "Says 2014-05-15, but the register's last acute trust went live on 2014-04-02"
        )
    );
    let queue = ann.get("/assess?criterion=EPR-ACUTE").await.body;
    assert!(queue.contains("york|2014-Q3|EPR-ACUTE|2014-05-15"));
    assert!(queue.contains("Register disagrees"));
    let shortlist = ann.get("/assess/shortlist").await.body;
    assert!(shortlist.contains(&format!("Non-compliant without an agreed plan: {rgd}")));
    let compare = ann.get("/assess/compare?e=leeds&e=york").await.body;
    assert!(compare.contains(&format!(
        "Not fundable: non-compliant without an agreed plan: {rgd}"
    )));
    let csv = ann.get("/assess/compare.csv?e=leeds&e=york").await.body;
    assert!(csv.contains(rgd), "{csv}");

    // A plan: every problem by its field, nothing stored.
    let p = ann
        .post(
            "/assess/trusts/RGD",
            &[
                ("action", "plan"),
                ("agreed_date", "2014-03-01"),
                ("agreed", ""),
                ("consequence", ""),
            ],
        )
        .await;
    assert_eq!(p.status, 422);
    assert!(p.body.contains("nhsuk-error-summary"));
    assert!(p
        .body
        .contains("on or after the deadline it remedies (2014-04-01)"));
    assert!(p.body.contains("href=\"#agreed\"") && p.body.contains("href=\"#consequence\""));
    let pool = app.db.pool().await;
    let plans = |pool: app::db::Pool| async move {
        sqlx::query("SELECT COUNT(*) FROM remediation_plans")
            .fetch_one(&pool)
            .await
            .unwrap()
            .get::<i64, _>(0)
    };
    assert_eq!(plans(pool.clone()).await, 0);
    // A trust that met the deadline needs none.
    let p = ann
        .post(
            "/assess/trusts/RR8",
            &[
                ("action", "plan"),
                ("agreed_date", "2015-06-30"),
                ("agreed", "a"),
                ("consequence", "b"),
            ],
        )
        .await;
    assert_eq!(p.status, 303);
    assert!(ann
        .get("/assess/trusts/RR8")
        .await
        .body
        .contains("met the deadline: it needs no remediation plan"));
    assert_eq!(plans(pool.clone()).await, 0);

    // Recorded, with an agreed date already passed: a follow-up, and Leeds is fundable again.
    let p = ann
        .post(
            "/assess/trusts/RGD",
            &[
                ("action", "plan"),
                ("agreed_date", "2015-03-31"),
                ("agreed", "Go live in two phases, wards first"),
                (
                    "consequence",
                    "Funding withheld until the agreed date is met",
                ),
            ],
        )
        .await;
    assert_eq!(p.status, 303, "{}", p.body);
    let queue = ann.get("/assess").await.body;
    assert!(queue.contains("Overdue plans (1)"));
    let queue = ann.get("/assess?tab=follow-ups").await.body;
    let follow = &queue[queue
        .find("data-testid=\"follow-ups\"")
        .expect("a follow-up")..];
    assert!(follow.contains("Follow-ups: 1 remediation plan overdue"));
    assert!(follow.contains(rgd) && follow.contains("agreed an operational EPR by 31 March 2015"));
    assert!(!ann
        .get("/assess/shortlist")
        .await
        .body
        .contains("Not fundable"));
    // Internal until made public.
    let (_, public) = app.html("/trusts?q=RGD").await;
    assert!(!public.contains("Remediation plan: EPR by 2015-03-31"));
    let open = app.get("/open-data/trusts.csv").await.text().await.unwrap();
    assert!(
        !open.contains("Go live in two phases"),
        "internal plans are not open data"
    );
    let id: i64 = sqlx::query("SELECT id FROM remediation_plans WHERE code = 'RGD'")
        .fetch_one(&pool)
        .await
        .unwrap()
        .get(0);
    let p = ann
        .post(
            "/assess/trusts/RGD",
            &[("action", "publish"), ("id", &id.to_string())],
        )
        .await;
    assert_eq!(p.status, 303);
    let (_, public) = app.html("/trusts?q=RGD").await;
    assert!(
        public.contains("Remediation plan: EPR by 2015-03-31"),
        "{public}"
    );
    assert!(public.contains("Consequence: Funding withheld until the agreed date is met"));
    assert!(public.contains("1 plan is public"));
    let (_, open) = app.json("/open-data/trusts.json").await;
    let rgd_row = open["trusts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["code"] == "RGD")
        .unwrap()
        .clone();
    assert_eq!(rgd_row["plan_agreed_date"], "2015-03-31");
    assert_eq!(rgd_row["compliance"], "non-compliant");
    let p = ann
        .post(
            "/assess/trusts/RGD",
            &[("action", "publish"), ("id", &id.to_string())],
        )
        .await;
    assert_eq!(p.status, 303);
    assert!(ann
        .get("/assess/trusts/RGD")
        .await
        .body
        .contains("Not done: that plan does not exist or is public already."));

    // Board staff keep any trust's entry, with evidence: the go-live ends the follow-up.
    let p = post_multipart(
        &ann,
        "/assess/trusts/RGD",
        form(&[
            ("action", "epr"),
            ("code", "RGD"),
            ("status-RGD", "operational"),
            ("date-RGD", "2015-04-10"),
            ("link-RGD", "https://www.leedsandyorkpft.nhs.uk/epr-go-live"),
        ])
        .part("file-RGD", file("RGD go-live.pdf", PDF.to_vec())),
    )
    .await;
    assert_eq!(p.status, 303, "{}", p.body);
    assert!(!ann
        .get("/assess?tab=follow-ups")
        .await
        .body
        .contains("data-testid=\"follow-ups\""));
    let detail = ann.get("/assess/trusts/RGD").await.body;
    assert!(detail.contains("Operational, after the agreed date"));
    assert!(detail.contains("RGD go-live.pdf"));
    let doc = ann
        .client
        .get(format!("{}/assess/trusts/RGD/evidence", ann.base))
        .send()
        .await
        .unwrap();
    assert_eq!(doc.status(), 200);
    assert!(doc.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment"));
    assert_eq!(doc.bytes().await.unwrap().as_ref(), PDF);
    // Leeds's submitter sees it and can download it; York's cannot.
    let lee = Browser::submitter(&app, "lee@leeds.nhs.uk").await;
    assert!(lee
        .get("/my-economy/organisations")
        .await
        .body
        .contains("RGD go-live.pdf"));
    assert_eq!(lee.get("/my-economy/trusts/RGD/evidence").await.status, 200);
    let sam = Browser::submitter(&app, "sam@york.nhs.uk").await;
    assert_eq!(sam.get("/my-economy/trusts/RGD/evidence").await.status, 404);
    let last: (String, Option<String>, Option<String>) = sqlx::query(
        "SELECT changed_by, evidence_sha256, evidence_link FROM trust_history WHERE code = 'RGD' ORDER BY id DESC",
    )
    .fetch_one(&pool)
    .await
    .map(|r| (r.get(0), r.get(1), r.get(2)))
    .unwrap();
    assert_eq!(last.0, "ann@board.nhs.uk");
    assert!(last.1.is_some() && last.2.is_some(), "{last:?}");

    // A submitter's document: a lying one refused by its field; a good one chosen on a form
    // with another problem is kept, and attached when the form is sent again.
    let p = post_multipart(
        &lee,
        "/my-economy/organisations",
        form(&[
            ("action", "epr"),
            ("code", "RR8"),
            ("status-RR8", "operational"),
            ("date-RR8", "2014-04-01"),
        ])
        .part(
            "file-RR8",
            file("report.pdf", b"plain text, named as a PDF".to_vec()),
        ),
    )
    .await;
    assert_eq!(p.status, 422);
    assert!(p.body.contains("href=\"#file-RR8\""));
    let p = post_multipart(
        &lee,
        "/my-economy/organisations",
        form(&[
            ("action", "epr"),
            ("code", "RR8"),
            ("status-RR8", "operational"),
            ("date-RR8-day", "soon"),
            ("date-RR8-month", "4"),
            ("date-RR8-year", "2014"),
        ])
        .part("file-RR8", file("assurance.pdf", PDF.to_vec())),
    )
    .await;
    assert_eq!(p.status, 422);
    assert!(p.body.contains("Your document assurance.pdf is kept"));
    assert!(p.body.contains("id=\"date-RR8-error\"") && p.body.contains("value=\"soon\""));
    let kept = p
        .body
        .split("name=\"kept-RR8\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_string();
    let p = post_multipart(
        &lee,
        "/my-economy/organisations",
        form(&[
            ("action", "epr"),
            ("code", "RR8"),
            ("status-RR8", "operational"),
            ("date-RR8", "2014-04-01"),
            ("kept-RR8", &kept),
        ]),
    )
    .await;
    assert_eq!(p.status, 303, "{}", p.body);
    assert_eq!(lee.get("/my-economy/trusts/RR8/evidence").await.status, 200);
}
