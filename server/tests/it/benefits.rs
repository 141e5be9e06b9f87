//! Benefits realisation (issue 11, scoring.md section 9): baseline, change and improvement on
//! the spec's rules through the API, the publication rule, benefits never scored, and the
//! `/benefits` page's figures against the domain module.

use crate::helpers::{example_framework, TestApp, TestDb};
use app::domain::benefits::{by_stage, BenefitResult};
use app::domain::framework::Better;

const BENEFITS: &str = r#"
[[benefits]]
code = "DUP-TESTS"
title = "Duplicate pathology tests per 1,000 admissions"
unit = "per 1,000 admissions"
better = "lower"

[[benefits]]
code = "E-DISCHARGE-24H"
title = "Discharge summaries sent within 24 hours (%)"
unit = "% of discharges"
better = "higher"
"#;

const VALUES: &str = "economy,period,criterion,value,status
leeds,2013-Q3,DUP-TESTS,15.0,rejected
leeds,2013-Q4,DUP-TESTS,12.0,submitted
leeds,2014-Q1,DUP-TESTS,11.0,verified
leeds,2014-Q2,DUP-TESTS,9.5,
leeds,2014-Q3,DUP-TESTS,4.0,verified
york,2014-Q1,DUP-TESTS,10.0,verified
york,2014-Q2,DUP-TESTS,10.5,verified
hull,2014-Q2,DUP-TESTS,8.0,verified
leeds,2013-Q4,E-DISCHARGE-24H,60,verified
leeds,2014-Q2,E-DISCHARGE-24H,55,verified
york,2013-Q4,E-DISCHARGE-24H,50,verified
york,2014-Q2,E-DISCHARGE-24H,70,verified
";

async fn setup() -> (TestApp, String) {
    let db = TestDb::new();
    db.load_example();
    let before = db.ok(&["scores", "--as-of", "2014-Q2"]);
    db.load_framework(
        "framework.toml",
        &format!("{}\n{BENEFITS}", example_framework()),
    );
    let values = db.dir.path().join("benefits.csv");
    std::fs::write(&values, VALUES).unwrap();
    db.ok(&["import", "values", values.to_str().unwrap()]);
    // Benefits take no part in any score.
    let after = db.ok(&["scores", "--as-of", "2014-Q2"]);
    let strip = |s: &str| {
        let mut v: serde_json::Value = serde_json::from_str(s).unwrap();
        v.as_object_mut().unwrap().remove("framework");
        v
    };
    assert_eq!(strip(&before), strip(&after));
    let app = TestApp::spawn(db, None).await;
    (app, after)
}

fn economy<'a>(doc: &'a serde_json::Value, code: &str, slug: &str) -> &'a serde_json::Value {
    doc["benefits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["code"] == code)
        .unwrap()["economies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["economy"] == slug)
        .unwrap_or_else(|| panic!("{slug} has {code}"))
}

#[tokio::test]
async fn the_api_gives_baseline_change_and_improvement_for_published_quarters_only() {
    let (app, _) = setup().await;
    // Nothing published yet.
    let (status, body) = app.json("/api/v1/benefits").await;
    assert_eq!(status, 404);
    assert_eq!(body["error"]["code"], "not-published");
    app.db.ok(&["publish", "--through", "2014-Q2"]);
    let (status, doc) = app.json("/api/v1/benefits").await;
    assert_eq!(status, 200, "{doc}");
    assert_eq!(doc["as_of"], "2014-Q2");
    // Leeds: 2013-Q3 was rejected, so the baseline is 2013-Q4's 12.0; 2014-Q3 is after P.
    let leeds = economy(&doc, "DUP-TESTS", "leeds");
    assert_eq!(leeds["baseline_period"], "2013-Q4");
    assert_eq!(leeds["baseline"], 12.0);
    assert_eq!(leeds["current"], 9.5);
    assert_eq!(leeds["change"], -2.5);
    assert_eq!(leeds["improved"], true, "lower is better");
    // York rose: no improvement when lower is better.
    let york = economy(&doc, "DUP-TESTS", "york");
    assert_eq!(
        (york["change"].as_f64(), york["improved"].as_bool()),
        (Some(0.5), Some(false))
    );
    // Hull's only value is its baseline: no change, no improvement.
    let hull = economy(&doc, "DUP-TESTS", "hull");
    assert_eq!(
        (hull["change"].as_f64(), hull["improved"].as_bool()),
        (Some(0.0), Some(false))
    );
    // Higher is better, both ways.
    assert_eq!(economy(&doc, "E-DISCHARGE-24H", "leeds")["improved"], false);
    assert_eq!(economy(&doc, "E-DISCHARGE-24H", "york")["improved"], true);
    // An earlier published quarter: Leeds's change as of 2014-Q1.
    let (_, q1) = app.json("/api/v1/benefits?as_of=2014-Q1").await;
    assert_eq!(economy(&q1, "DUP-TESTS", "leeds")["change"], -1.0);
    assert!(
        q1["benefits"][0]["economies"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["economy"] != "hull"),
        "hull had no value up to 2014-Q1"
    );
    // Not published, and not a quarter.
    let (status, body) = app.json("/api/v1/benefits?as_of=2014-Q3").await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (404, Some("not-published"))
    );
    let (status, body) = app.json("/api/v1/benefits?as_of=spring").await;
    assert_eq!(
        (status, body["error"]["parameter"].as_str()),
        (400, Some("as_of"))
    );
    // The open data: the same figures as CSV.
    let csv = app
        .get("/open-data/benefits.csv")
        .await
        .text()
        .await
        .unwrap();
    assert!(csv.starts_with("\u{feff}as_of,benefit,better,economy,baseline_period,baseline,current,change,improved,overall,stage\n"));
    assert!(
        csv.contains("\n2014-Q2,DUP-TESTS,lower,leeds,2013-Q4,12,9.5,-2.5,true,"),
        "{csv}"
    );
}

#[tokio::test]
async fn the_benefits_page_shows_the_domain_modules_figures_with_small_groups_suppressed() {
    let (app, _) = setup().await;
    let (_, page) = app.html("/benefits").await;
    assert!(
        page.contains("No quarter&#x27;s figures have been published yet")
            || page.contains("No quarter's figures have been published yet")
    );
    app.db.ok(&["publish", "--through", "2014-Q2"]);
    let (_, doc) = app.json("/api/v1/benefits").await;
    let (status, page) = app.html("/benefits").await;
    assert_eq!(status, 200);
    assert!(page.contains("Association, not cause"));
    assert!(!page.contains("would point at"));
    for b in doc["benefits"].as_array().unwrap() {
        let economies = b["economies"].as_array().unwrap();
        let results: Vec<BenefitResult> = economies
            .iter()
            .map(|e| BenefitResult {
                economy: e["economy"].as_str().unwrap().into(),
                baseline_period: e["baseline_period"].as_str().unwrap().parse().unwrap(),
                baseline: e["baseline"].as_f64().unwrap(),
                current: e["current"].as_f64().unwrap(),
                change: e["change"].as_f64().unwrap(),
                improved: e["improved"].as_bool().unwrap(),
            })
            .collect();
        let better = if b["better"] == "lower" {
            Better::Lower
        } else {
            Better::Higher
        };
        let stage = |slug: &str| {
            economies
                .iter()
                .find(|e| e["economy"] == slug)
                .and_then(|e| e["stage"].as_u64())
                .map(|s| s as u8)
        };
        let improved = results.iter().filter(|r| r.improved).count();
        assert!(page.contains(&format!(
            "{} economies report it; {improved} of them improved on their baseline.",
            results.len()
        )));
        let section = &page[page
            .find(&format!(
                "data-testid=\"benefit-{}\"",
                b["code"].as_str().unwrap()
            ))
            .unwrap()..];
        for g in by_stage(&results, better, stage) {
            let name = if g.stage == 0 {
                "Not yet at stage 1".to_string()
            } else {
                format!("Stage {}", g.stage)
            };
            let row = &section[section
                .find(&format!(">{name}</th>"))
                .expect("a row per stage")..];
            if g.suppressed {
                assert!(
                    row[..400].contains("Fewer than 3") && row[..400].contains("Not shown"),
                    "{row}"
                );
                // The note says what is held back (group figures) and what is not (each
                // economy's own figures, listed on the same page).
                assert!(
                    section.contains("This does not hide any economy&#x27;s own figures")
                        || section.contains("This does not hide any economy's own figures")
                );
            } else {
                assert!(row[..400].contains(&format!(
                    "{} of {}",
                    g.improved.unwrap(),
                    g.economies
                )));
            }
        }
    }
    // The economy's own page: its series from the baseline, the change and its direction.
    let (_, leeds) = app.html("/economies/leeds").await;
    assert!(
        leeds.contains("Baseline 12 (2013-Q4), now 9.5: a change of -2.5 per 1,000 admissions, an improvement. Lower is better."),
        "{leeds}"
    );
    assert!(leeds.contains("role=\"img\""));
}

#[tokio::test]
async fn an_economys_benefit_is_an_xmr_chart_with_its_special_causes_in_words_and_table() {
    let db = TestDb::new();
    db.load_example();
    db.load_framework(
        "framework.toml",
        &format!("{}\n{BENEFITS}", example_framework()),
    );
    // Seven steady quarters, then a fall far below the lower process limit: lower is better,
    // so an improvement. York has too few quarters for limits.
    let values = db.dir.path().join("series.csv");
    std::fs::write(
        &values,
        "economy,period,criterion,value,status
leeds,2012-Q4,DUP-TESTS,12,verified
leeds,2013-Q1,DUP-TESTS,12.5,verified
leeds,2013-Q2,DUP-TESTS,11.8,verified
leeds,2013-Q3,DUP-TESTS,12.2,verified
leeds,2013-Q4,DUP-TESTS,12.1,verified
leeds,2014-Q1,DUP-TESTS,11.9,verified
leeds,2014-Q2,DUP-TESTS,5,verified
york,2014-Q1,DUP-TESTS,10.0,verified
york,2014-Q2,DUP-TESTS,10.5,verified
",
    )
    .unwrap();
    db.ok(&["import", "values", values.to_str().unwrap()]);
    db.ok(&["publish", "--through", "2014-Q2"]);
    let app = TestApp::spawn(db, None).await;
    let (_, leeds) = app.html("/economies/leeds").await;
    let section = &leeds[leeds
        .find("data-testid=\"economy-benefit-DUP-TESTS\"")
        .unwrap()..];
    // Mean 77.5 / 7, moving range 8.8 / 6: limits 7.17 to 14.97.
    assert!(
        section.contains("Special cause variation: improving, low</strong> in the latest quarter. Mean 11.07; process limits 7.17 to 14.97."),
        "{section}"
    );
    assert!(section.contains("href=\"/benefits#spc\""));
    // The chart draws the mean, the limits and the special cause, and says so in its text.
    assert!(section.contains(">Process limits</text>"));
    assert!(section.contains(">Special cause: improvement</text>"));
    assert!(section.contains("Latest quarter: special cause variation: improving, low."));
    // The table twin names each quarter's variation.
    assert!(section.contains(">Variation</th>"));
    assert!(section
        .contains("Special cause variation: improving, low: outside the process limits</td>"));
    assert_eq!(
        section[..section.find("</table>").unwrap()]
            .matches(">Common cause</td>")
            .count(),
        6
    );
    let (_, york) = app.html("/economies/york").await;
    assert!(
        york.contains("Process limits need at least 6 quarters; this measure has 2 so far."),
        "{york}"
    );
    // The method is on /benefits.
    let (_, page) = app.html("/benefits").await;
    assert!(page.contains("id=\"spc\""));
    assert!(page.contains("a shift is 7 or more quarters in a row on the same side of the mean"));
}
