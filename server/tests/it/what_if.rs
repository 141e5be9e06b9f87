//! The quarter form's what-if panel (issue 18, item 5): it shows the effect of the values
//! changed on the page alone, drafts left as they were move nothing, and without JavaScript
//! Recalculate gives the page again with the values typed and the panel worked out by the
//! server, storing nothing.

use crate::helpers::{
    add_user, form, post_multipart, version_of, Browser, TestApp, TestDb, PASSWORD,
};
use sqlx::Row;

const Q2: &str = "/my-economy/periods/2014-Q2";

/// The text of an HTML fragment, tags and comments left out, spaces folded.
fn text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for ch in html.chars() {
        match ch {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The cells of the panel's row headed `label`: now, with the changes, the change.
fn panel_row(body: &str, label: &str) -> Vec<String> {
    let table = &body[body
        .find("data-testid=\"what-if\"")
        .expect("the what-if panel")..];
    let table = &table[..table.find("</tbody>").unwrap()];
    let row = table
        .split("<tr")
        .find(|r| {
            r.find("</th>")
                .is_some_and(|end| text(&r[..end]).ends_with(label))
        })
        .unwrap_or_else(|| panic!("no row {label} in {table}"));
    row.split("<td")
        .skip(1)
        .map(|cell| text(&format!("<td{}", &cell[..cell.find("</td>").unwrap()])))
        .collect()
}

/// The summary at the top of the form.
fn summary(body: &str) -> String {
    let at = body
        .find("data-testid=\"what-if-summary\"")
        .expect("the summary");
    let rest = &body[at..];
    text(&format!("<p {}", &rest[..rest.find("</p>").unwrap()]))
}

async fn count(pool: &app::db::Pool, sql: &str) -> i64 {
    sqlx::query(sql)
        .fetch_one(pool)
        .await
        .unwrap()
        .get::<i64, _>(0)
}

#[tokio::test]
async fn recalculate_shows_the_effect_of_the_changed_values_alone_and_stores_nothing() {
    let db = TestDb::new();
    db.load_example();
    add_user(&db, "sam@york.nhs.uk", "submitter", Some("york"), PASSWORD);
    let app = TestApp::spawn(db, Some("2014-07-20")).await;
    let pool = app.db.pool().await;
    let sam = Browser::submitter(&app, "sam@york.nhs.uk").await;
    let scores = app.db.ok(&["scores", "--as-of", "2014-Q2"]);
    let scores: serde_json::Value = serde_json::from_str(&scores).unwrap();
    let york = scores["economies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["economy"] == "york")
        .unwrap()["overall"]
        .as_f64()
        .unwrap();
    let official = format!("{york:.1}");

    // Opened: now is the score from the submitted values, and nothing has changed.
    let page = sam.get(Q2).await;
    assert_eq!(page.status, 200);
    assert_eq!(
        panel_row(&page.body, "Overall"),
        [official.as_str(), official.as_str(), "No change"]
    );
    assert!(page.body.contains("href=\"#what-if\""));
    assert!(page.body.contains("id=\"what-if\""));
    assert!(page.body.contains("value=\"recalculate\""));

    // A draft far below the submitted 60%: saved, and still nothing changed on the page.
    let v = version_of(&page.body);
    let p = post_multipart(
        &sam,
        Q2,
        form(&[("version", &v), ("action", "draft"), ("v-NHS-NUMBER", "10")]),
    )
    .await;
    assert_eq!(p.status, 303, "{}", p.body);
    let page = sam.get(Q2).await;
    assert!(page.body.contains("value=\"10\""));
    assert_eq!(
        panel_row(&page.body, "Overall"),
        [official.as_str(), official.as_str(), "No change"]
    );
    assert!(summary(&page.body).starts_with("You have not changed any scored values"));

    let drafts = count(&pool, "SELECT COUNT(*) FROM drafts").await;
    let values = count(&pool, "SELECT COUNT(*) FROM criterion_values").await;
    let audit = count(&pool, "SELECT COUNT(*) FROM audit_log").await;

    // Recalculate with the draft as it was and the level raised from nothing to 4.
    let v = version_of(&page.body);
    let p = post_multipart(
        &sam,
        Q2,
        form(&[
            ("version", &v),
            ("action", "recalculate"),
            ("v-NHS-NUMBER", "10"),
            ("v-CONNECT", "4"),
        ]),
    )
    .await;
    assert_eq!(p.status, 200, "{}", p.body);
    assert!(p.body.contains("Nothing has been saved"));
    // The values typed are in the form again, not saved.
    assert!(
        p.body
            .contains("id=\"v-CONNECT-4\" name=\"v-CONNECT\" type=\"radio\" value=\"4\" checked"),
        "the level typed is kept"
    );
    assert!(p.body.contains("value=\"10\""));
    let overall = panel_row(&p.body, "Overall");
    assert_eq!(overall[0], official);
    let then: f64 = overall[1].parse().unwrap();
    assert!(then > york, "{overall:?}");
    assert!(overall[2].starts_with("Up "), "{overall:?}");
    // The theme the level belongs to rises; the draft's theme does not move.
    assert!(panel_row(&p.body, "Infrastructure")[2].starts_with("Up "));
    assert_eq!(
        panel_row(&p.body, "Records, assessments and plans")[2],
        "No change"
    );
    assert!(summary(&p.body).starts_with(
        "If you submit the 1 value you changed on this page, your overall score would go up by"
    ));
    assert_eq!(count(&pool, "SELECT COUNT(*) FROM drafts").await, drafts);
    assert_eq!(
        count(&pool, "SELECT COUNT(*) FROM criterion_values").await,
        values
    );
    assert_eq!(count(&pool, "SELECT COUNT(*) FROM audit_log").await, audit);
    let after: serde_json::Value =
        serde_json::from_str(&app.db.ok(&["scores", "--as-of", "2014-Q2"])).unwrap();
    assert_eq!(after, scores, "the scores are as they were");
}
