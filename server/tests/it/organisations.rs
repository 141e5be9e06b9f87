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
