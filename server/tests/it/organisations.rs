//! The register of NHS organisations (issue 22): the shipped reference pack, refreshed from a
//! newer extract through the command line (whole file or every problem with its line).

use crate::helpers::{stderr, TestDb};
use sqlx::Row;

const TRUSTS_PACK: &str = include_str!("../../../reference/ods-2013-2015/trusts-2013-2015.csv");

#[tokio::test]
async fn an_extract_refreshes_the_register_closing_what_it_no_longer_lists() {
    let db = TestDb::new();
    // A newer trusts extract: Leeds Community Healthcare gone, Leeds Teaching Hospitals
    // renamed, one new trust.
    let newer: String = TRUSTS_PACK
        .lines()
        .filter(|l| !l.starts_with("RY6,"))
        .map(|l| {
            if l.starts_with("RR8,") {
                l.replace(
                    ",Leeds Teaching Hospitals NHS Trust,",
                    ",The Leeds Teaching Hospitals NHS Trust,",
                )
            } else {
                l.to_string()
            }
        })
        .chain(["RZZ,NEW TEST NHS TRUST,,acute,manual,LS1 1AA,2015-04-01,,test".to_string()])
        .collect::<Vec<_>>()
        .join("\n");
    let file = db.write("trusts-newer.csv", &newer);
    let out = db.run(&["import", "organisations", &file]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("imported 243 trusts (1 new, 1 changed, 1 closed, 241 unchanged)"),
        "{}",
        stderr(&out)
    );
    let pool = db.pool().await;
    let row =
        sqlx::query("SELECT name, close_date, area_team FROM ods_organisations WHERE code = 'RY6'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(
        row.get::<String, _>(0),
        "Leeds Community Healthcare NHS Trust"
    );
    assert_eq!(
        row.get::<Option<String>, _>(1).as_deref(),
        Some("2015-04-20")
    );
    let row =
        sqlx::query("SELECT name, area_team, geography FROM ods_organisations WHERE code = 'RZZ'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(row.get::<String, _>(0), "New Test NHS Trust");
    assert_eq!(row.get::<Option<String>, _>(1).as_deref(), Some("Q52"));
    assert_eq!(
        row.get::<Option<String>, _>(2).as_deref(),
        Some("Yorkshire and the Humber")
    );
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM ods_organisations")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(n, 8717 + 1, "closed, never deleted");

    // A bad practices extract: every problem with its line, nothing stored.
    let bad = db.write(
        "practices.csv",
        "ods_code,name,postcode,ccg_ods_code,ccg_source,status,open_date,close_date,prescribing_setting,list_size,list_size_quarter\n\
         B86001,RENAMED PRACTICE,LS7 4HX,02V,list-size,A,1974-04-01,,4,9000,2015-Q2\n\
         B86999,NO SUCH CCG,LS1 1AA,99Z,,A,,,4,,\n\
         B8,TOO SHORT,LS1 1AA,02V,,A,,,4,,\n",
    );
    let out = db.run(&["import", "organisations", &bad]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "{bad}:3: ccg_ods_code: \"99Z\" is not a CCG in the register"
        )),
        "{err}"
    );
    assert!(err.contains(&format!("{bad}:4: ods_code:")), "{err}");
    assert!(
        err.contains("refused: 2 problems; nothing was stored"),
        "{err}"
    );
    let (name,): (String,) =
        sqlx::query_as("SELECT name FROM ods_organisations WHERE code = 'B86001'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_ne!(name, "Renamed Practice");
}

#[tokio::test]
async fn the_demo_reads_like_england_in_2015_filtered_by_nhs_england_structure() {
    let app = crate::helpers::TestApp::demo().await;
    // Economies by area team (West Yorkshire: Leeds and Bradford), and by NHS England region.
    let (status, page) = app.html("/economies?nhs=Q52").await;
    assert_eq!(status, 200);
    assert!(
        page.contains("Leeds health and care economy") && page.contains("Bradford and Airedale")
    );
    assert!(!page.contains("Sheffield") && !page.contains("Oxfordshire"));
    assert!(
        page.contains("<option value=\"Q52\" selected"),
        "the filter keeps its choice"
    );
    let (_, page) = app.html("/economies?nhs=Y56").await;
    assert!(
        page.contains("Lambeth and Southwark") && !page.contains("Leeds health and care economy")
    );
    // Trusts by area team: the list only, the counts by area team beside it.
    let (_, page) = app.html("/trusts?nhs=Q52").await;
    assert!(page.contains("Leeds Teaching Hospitals NHS Trust"));
    assert!(page.contains("Mid Yorkshire Hospitals NHS Trust"));
    assert!(!page.contains(">York Teaching Hospital NHS Foundation Trust<"));
    assert!(page.contains("in West Yorkshire area team."), "{page}");
    assert!(page.contains("Compliance by NHS England area team"));
    // /regions says which is which.
    let (_, page) = app.html("/regions").await;
    assert!(page.contains("NHS England regions and area teams"));
    assert!(page.contains("West Yorkshire area team (Q52)"));
    assert!(page.contains("href=\"/economies?nhs=Q52\""));
    // Open data and the API carry ODS codes.
    let members = app
        .get("/open-data/members.csv")
        .await
        .text()
        .await
        .unwrap();
    assert!(members.starts_with("\u{feff}economy,economy_name,ods_code,name,type,ccg,area_team\n"));
    assert!(members.contains("leeds-health-and-care-economy,Leeds health and care economy,RR8,Leeds Teaching Hospitals NHS Trust,acute,,Q52\n"), "{}", &members[..2000]);
    assert!(members.contains(",02V,NHS Leeds North CCG,ccg,,Q52\n"));
    let (status, found) = app.json("/api/v1/organisations?q=rr8").await;
    assert_eq!(status, 200);
    assert_eq!(found["organisations"][0]["code"], "RR8");
    assert_eq!(found["organisations"][0]["type"], "Acute trust");
    let (status, err) = app.json("/api/v1/organisations?q=").await;
    assert_eq!(status, 400);
    assert_eq!(err["error"]["parameter"], "q");
    // Every demo economy's NHS members are real, open organisations of the register.
    let pool = app.db.pool().await;
    let (unknown,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM organisations o LEFT JOIN ods_organisations x ON x.code = o.ods_code
         WHERE o.kind <> 'social-care' AND x.code IS NULL",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(unknown, 0);
}
