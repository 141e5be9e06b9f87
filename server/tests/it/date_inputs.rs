//! Dates typed in the NHS.UK date input (issue 18, item 10): the publication page's "Move a
//! quarter's dates" and the trust register's EPR and remediation-plan dates take day, month
//! and year boxes; a real date saves, an impossible one goes back with the error summary
//! linking to the day box and saves nothing.

use crate::helpers::PASSWORD;
use crate::helpers::{add_submitters, add_user, example_with_trusts, world, Browser, TestApp};
use sqlx::Row;

#[tokio::test]
async fn moving_a_quarters_dates_takes_day_month_and_year() {
    let w = world().await;
    let admin = w.as_role("admin").await.unwrap();
    let page = admin.get("/admin/publication").await.body;
    for name in ["deadline", "publication"] {
        for part in ["day", "month", "year"] {
            assert!(
                page.contains(&format!("name=\"{name}-{part}\"")),
                "{name}-{part}"
            );
        }
    }
    assert!(page.contains("For example, 14 4 2015"));
    assert!(!page.contains("YYYY-MM-DD"));

    // 31 February: the error summary links to the day box, the boxes keep what was typed,
    // nothing moves.
    let p = admin
        .post(
            "/admin/publication",
            &[
                ("action", "dates"),
                ("period", "2014-Q4"),
                ("deadline-day", "31"),
                ("deadline-month", "2"),
                ("deadline-year", "2015"),
                ("publication-day", ""),
                ("publication-month", ""),
                ("publication-year", ""),
            ],
        )
        .await;
    assert_eq!(p.status, 422);
    let summary = &p.body[p.body.find("nhsuk-error-summary").unwrap()..];
    assert!(summary.contains("href=\"#deadline-day\""), "{summary}");
    assert!(summary.contains("The date must be a real date"));
    assert!(p.body.contains("id=\"deadline-day\" name=\"deadline-day\" type=\"text\" inputmode=\"numeric\" value=\"31\""));
    let pool = w.app.db.pool().await;
    let moved = |pool: app::db::Pool| async move {
        sqlx::query("SELECT COUNT(*) FROM audit_log WHERE summary LIKE '%moved 2014-Q4%'")
            .fetch_one(&pool)
            .await
            .unwrap()
            .get::<i64, _>(0)
    };
    assert_eq!(moved(pool.clone()).await, 0);

    // Neither date: one message, on the deadline's day box.
    let p = admin
        .post(
            "/admin/publication",
            &[("action", "dates"), ("period", "2014-Q4")],
        )
        .await;
    assert_eq!(p.status, 422);
    assert!(p
        .body
        .contains("Enter a new deadline or a new publication date"));
    assert!(p.body.contains("href=\"#deadline-day\""));

    // A publication date before the deadline: the service's rule, on the publication's day box.
    let p = admin
        .post(
            "/admin/publication",
            &[
                ("action", "dates"),
                ("period", "2014-Q4"),
                ("deadline-day", "15"),
                ("deadline-month", "2"),
                ("deadline-year", "2015"),
                ("publication-day", "1"),
                ("publication-month", "2"),
                ("publication-year", "2015"),
            ],
        )
        .await;
    assert_eq!(p.status, 422);
    assert!(p.body.contains("href=\"#publication-day\""));
    assert_eq!(moved(pool.clone()).await, 0);

    // A real date saves and shows in the GOV.UK style.
    let p = admin
        .post(
            "/admin/publication",
            &[
                ("action", "dates"),
                ("period", "2014-Q4"),
                ("deadline-day", "15"),
                ("deadline-month", "2"),
                ("deadline-year", "2015"),
                ("publication-day", " 14 "),
                ("publication-month", "4"),
                ("publication-year", "2015"),
            ],
        )
        .await;
    assert_eq!(p.status, 303, "{}", p.body);
    let page = admin.get("/admin/publication").await.body;
    assert!(page.contains("15 February 2015 (moved)"), "{page}");
    assert_eq!(moved(pool).await, 1);
}

async fn epr_of(pool: &app::db::Pool, code: &str) -> (String, Option<String>, Option<String>) {
    let row = sqlx::query(
        "SELECT epr_status, operational_date, planned_date FROM trusts WHERE code = $1",
    )
    .bind(code)
    .fetch_one(pool)
    .await
    .unwrap();
    (row.get(0), row.get(1), row.get(2))
}

#[tokio::test]
async fn a_trusts_epr_date_and_a_plans_agreed_date_take_day_month_and_year() {
    let db = example_with_trusts();
    add_submitters(&db);
    let secret = add_user(&db, "ann@board.nhs.uk", "assessor", None, PASSWORD).unwrap();
    let app = TestApp::spawn(db, Some("2015-04-20")).await;
    let pool = app.db.pool().await;

    // The submitter's form: three boxes under one legend, the stored date in them.
    let sam = Browser::submitter(&app, "sam@york.nhs.uk").await;
    let page = sam.get("/my-economy/organisations").await.body;
    assert!(page.contains("name=\"date-RCB-day\""), "{page}");
    assert!(page.contains("For example, 14 4 2015"));
    assert!(!page.contains("YYYY-MM-DD"));
    let before = epr_of(&pool, "RCB").await;

    // 31 February: the summary links to the day box; nothing is saved.
    let bad = |status: &'static str| {
        [
            ("action", "epr"),
            ("code", "RCB"),
            ("status-RCB", status),
            ("date-RCB-day", "31"),
            ("date-RCB-month", "2"),
            ("date-RCB-year", "2015"),
        ]
    };
    let p = sam
        .post("/my-economy/organisations", &bad("deploying"))
        .await;
    assert_eq!(p.status, 422);
    let summary = &p.body[p.body.find("nhsuk-error-summary").unwrap()..];
    assert!(summary.contains("href=\"#date-RCB-day\""), "{summary}");
    assert!(summary.contains("The date must be a real date"));
    assert!(p.body.contains("id=\"date-RCB-day\" name=\"date-RCB-day\" type=\"text\" inputmode=\"numeric\" value=\"31\" class=\"nhsuk-input nhsuk-date-input__input nhsuk-input--width-2 nhsuk-input--error\""));
    assert_eq!(epr_of(&pool, "RCB").await, before);

    // A real date saves.
    let p = sam
        .post(
            "/my-economy/organisations",
            &[
                ("action", "epr"),
                ("code", "RCB"),
                ("status-RCB", "deploying"),
                ("date-RCB-day", "1"),
                ("date-RCB-month", "9"),
                ("date-RCB-year", "2015"),
            ],
        )
        .await;
    assert_eq!(p.status, 303, "{}", p.body);
    assert_eq!(
        epr_of(&pool, "RCB").await,
        (
            "deploying".to_string(),
            None,
            Some("2015-09-01".to_string())
        )
    );
    let page = sam.get("/my-economy/organisations").await.body;
    assert!(page.contains("id=\"date-RCB-month\" name=\"date-RCB-month\" type=\"text\" inputmode=\"numeric\" value=\"9\""));

    // Board staff: a remediation plan's agreed date.
    let ann = Browser::staff(&app, "ann@board.nhs.uk", &secret).await;
    let page = ann.get("/assess/trusts/RGD").await.body;
    assert!(page.contains("name=\"agreed_date-day\""));
    assert!(page.contains("name=\"date-RGD-year\""));
    let plans = |pool: app::db::Pool| async move {
        sqlx::query("SELECT COUNT(*) FROM remediation_plans")
            .fetch_one(&pool)
            .await
            .unwrap()
            .get::<i64, _>(0)
    };
    let p = ann
        .post(
            "/assess/trusts/RGD",
            &[
                ("action", "plan"),
                ("agreed_date-day", "31"),
                ("agreed_date-month", "2"),
                ("agreed_date-year", "2015"),
                ("agreed", "Go live in two phases"),
                ("consequence", "Funding withheld"),
            ],
        )
        .await;
    assert_eq!(p.status, 422);
    let summary = &p.body[p.body.find("nhsuk-error-summary").unwrap()..];
    assert!(summary.contains("href=\"#agreed_date-day\""), "{summary}");
    assert!(summary.contains("The date must be a real date"));
    assert!(
        p.body.contains("Go live in two phases"),
        "what was typed is kept"
    );
    assert_eq!(plans(pool.clone()).await, 0);
    let p = ann
        .post(
            "/assess/trusts/RGD",
            &[
                ("action", "plan"),
                ("agreed_date-day", "30"),
                ("agreed_date-month", "6"),
                ("agreed_date-year", "2015"),
                ("agreed", "Go live in two phases"),
                ("consequence", "Funding withheld"),
            ],
        )
        .await;
    assert_eq!(p.status, 303, "{}", p.body);
    assert_eq!(plans(pool.clone()).await, 1);
    let agreed: String = sqlx::query("SELECT agreed_date FROM remediation_plans")
        .fetch_one(&pool)
        .await
        .unwrap()
        .get(0);
    assert_eq!(agreed, "2015-06-30");
}

#[tokio::test]
async fn the_audit_log_is_filtered_by_dates_typed_in_day_month_and_year() {
    let w = world().await;
    let admin = w.as_role("admin").await.unwrap();
    let page = admin.get("/admin/audit").await.body;
    for name in ["from", "to"] {
        for part in ["day", "month", "year"] {
            assert!(
                page.contains(&format!("name=\"{name}-{part}\"")),
                "{name}-{part}"
            );
        }
    }
    assert!(!page.contains("YYYY-MM-DD"));
    // A real date: the boxes keep it, and the CSV and other pages carry it whole.
    let p = admin
        .get("/admin/audit?from-day=1&from-month=1&from-year=2000&to-day=&to-month=&to-year=")
        .await;
    assert_eq!(p.status, 200);
    assert!(
        p.body.contains("from=2000-01-01"),
        "the CSV link keeps the date"
    );
    let at = p.body.find("name=\"from-year\"").unwrap();
    assert!(p.body[at..at + 80].contains("value=\"2000\""));
    // Entries after the end of time: none. 31 February: refused, saying which date.
    let none = admin.get("/admin/audit?from=2999-01-01").await.body;
    let all = admin.get("/admin/audit").await.body;
    assert_ne!(
        none.matches("nhsuk-table__row").count(),
        all.matches("nhsuk-table__row").count()
    );
    let p = admin
        .get("/admin/audit?from-day=31&from-month=2&from-year=2015")
        .await;
    assert_eq!(p.status, 400);
    assert!(
        p.body
            .contains("The from date, 31 2 2015, must be a real date"),
        "{}",
        p.body
    );
}
