//! Completeness and timeliness of each economy's reporting, quarter by quarter (issue 24), on
//! the economy's page and for the board, from values imported on the days they arrived.

use crate::helpers::{add_user, example, Browser, TestApp, TestDb, PASSWORD};

#[tokio::test]
async fn each_quarter_shows_how_complete_and_how_timely_the_values_were() {
    let db = TestDb::new();
    let on = |day: &str, args: &[&str]| {
        let mut all = vec!["--today", day];
        all.extend_from_slice(args);
        db.ok(&all);
    };
    let framework = example("framework.toml");
    let economies = example("economies.csv");
    on(
        "2014-01-15",
        &["framework", "load", framework.to_str().unwrap()],
    );
    on(
        "2014-01-15",
        &["import", "economies", economies.to_str().unwrap()],
    );
    let header = "economy,period,criterion,value,status\n";
    let file = |name: &str, lines: &str| {
        let path = db.dir.path().join(name);
        std::fs::write(&path, format!("{header}{lines}")).unwrap();
        path
    };
    // Leeds: 2013-Q4 whole by its deadline (30 January 2014); 2014-Q2 three of four, the
    // last five days after its deadline (30 July 2014), one of them returned.
    let q4 = file(
        "q4.csv",
        "leeds,2013-Q4,EPR-ACUTE,2013-11-30,verified\nleeds,2013-Q4,NHS-NUMBER,80,verified\nleeds,2013-Q4,GP2GP,no,submitted\nleeds,2013-Q4,CONNECT,2,\n",
    );
    on("2014-01-28", &["import", "values", q4.to_str().unwrap()]);
    let q2 = file(
        "q2.csv",
        "leeds,2014-Q2,NHS-NUMBER,96,submitted\nleeds,2014-Q2,GP2GP,yes,verified\n",
    );
    on("2014-07-20", &["import", "values", q2.to_str().unwrap()]);
    let late = file("late.csv", "leeds,2014-Q2,CONNECT,3,rejected\n");
    on("2014-08-04", &["import", "values", late.to_str().unwrap()]);
    add_user(
        &db,
        "lee@leeds.nhs.uk",
        "submitter",
        Some("leeds"),
        PASSWORD,
    );
    let admin = add_user(&db, "ada@board.nhs.uk", "admin", None, PASSWORD).unwrap();
    // 15 October 2014: 2014-Q3 is being reported, due by 30 October.
    let app = TestApp::spawn(db, Some("2014-10-15")).await;
    let lee = Browser::submitter(&app, "lee@leeds.nhs.uk").await;
    let page = lee.get("/my-economy").await.body;
    assert!(page.contains("Your reporting, quarter by quarter"));
    let row = |quarter: &str| {
        let start = page
            .find(&format!(
                "scope=\"row\" class=\"nhsuk-table__header\">{quarter}</th>"
            ))
            .unwrap_or_else(|| panic!("a row for {quarter}"));
        let end = start + page[start..].find("</tr>").unwrap();
        page[start..end].to_string()
    };
    let q3 = row("2014-Q3");
    assert!(q3.contains("0 of 4") && q3.contains("Not due yet"), "{q3}");
    let q2 = row("2014-Q2");
    assert!(
        q2.contains("3 of 4 (1 returned)") && q2.contains("75%"),
        "{q2}"
    );
    assert!(
        q2.contains("5 days late") && q2.contains("30 July 2014"),
        "{q2}"
    );
    let q1 = row("2014-Q1");
    assert!(q1.contains("0 of 4") && q1.contains("Not reported"), "{q1}");
    let q4 = row("2013-Q4");
    assert!(
        q4.contains("4 of 4") && q4.contains("100%") && q4.contains("On time"),
        "{q4}"
    );

    // For the board: the economy's page, and each quarter's count on the publication page.
    let ada = Browser::staff(&app, "ada@board.nhs.uk", &admin).await;
    let page = ada.get("/assess/economies/leeds").await.body;
    assert!(
        page.contains(
            "Completeness and timeliness of Leeds health and care economy&#x27;s reporting"
        ) || page
            .contains("Completeness and timeliness of Leeds health and care economy's reporting")
    );
    assert!(page.contains("5 days late"));
    let page = ada.get("/admin/publication").await.body;
    // Three candidates; only Leeds reported 2013-Q4 whole and on time.
    assert!(
        page.contains("1 of 3 complete, 1 on time"),
        "the 2013-Q4 line"
    );
    assert!(
        page.contains("0 of 3 complete, 0 on time"),
        "2014-Q2: none whole, none on time"
    );
}
