//! Comparing candidates (`/assess/compare`, issue 18 item 7): one weighted result behind the
//! order, the table and the CSV; the weights in the address; the error summary and the
//! field's message for too few economies or a weight that will not read, choices kept.

use crate::helpers::{example_framework, world, Browser, World, PASSWORD};

/// The page's text with tags and comments taken out, spaces squeezed.
fn text(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        out.push(' ');
        rest = &rest[i..];
        let end = if rest.starts_with("<!--") {
            rest.find("-->").map(|e| e + 3)
        } else {
            rest.find('>').map(|e| e + 1)
        };
        rest = &rest[end.unwrap_or(rest.len())..];
    }
    out.push_str(rest);
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The cells of the table row headed `label`, as text.
fn row(html: &str, label: &str) -> Vec<String> {
    let head = format!(">{label}</th>");
    let start = html
        .find(&head)
        .unwrap_or_else(|| panic!("a row headed {label:?}"));
    let rest = &html[start + head.len()..];
    let row = &rest[..rest.find("</tr>").unwrap()];
    row.split("</td>")
        .filter(|c| c.contains("<td"))
        .map(|c| text(&c[c.find("<td").unwrap()..]))
        .collect()
}

/// The items of the order beside the table ("Name: 12.3"), first place first.
fn order(html: &str) -> Vec<String> {
    let start = html.find("data-testid=\"sensitivity\"").expect("the order");
    let rest = &html[start..];
    let list = &rest[..rest.find("</ol>").unwrap()];
    list.split("</li>")
        .filter(|c| c.contains("<li"))
        .map(|c| text(&c[c.find("<li").unwrap()..]))
        .collect()
}

async fn assessor(w: &World) -> Browser {
    w.as_role("assessor").await.unwrap()
}

/// What the scoring module gives the compared economies with these weights.
async fn expected(
    w: &World,
    slugs: &[&str],
    weights: &[(&str, f64)],
) -> Vec<app::domain::assessment::Weighted> {
    let fw = app::domain::Framework::from_toml(&example_framework()).unwrap();
    let pool = w.app.db.pool().await;
    let inputs: Vec<_> = app::service::scoring_inputs(&pool)
        .await
        .unwrap()
        .into_iter()
        .map(|(_, i)| i)
        .filter(|i| slugs.contains(&i.slug.as_str()))
        .collect();
    let weights: Vec<(String, f64)> = weights.iter().map(|(c, w)| (c.to_string(), *w)).collect();
    app::domain::assessment::compare_weighted(
        &fw,
        &weights,
        &inputs,
        Some("2014-Q2".parse().unwrap()),
    )
}

#[tokio::test]
async fn the_order_the_table_and_the_csv_show_the_same_weighted_figures() {
    let w = world().await;
    let ann = assessor(&w).await;
    let query = "e=leeds&e=york&q=2014-Q2&w-records=1&w-infra=10";
    let page = ann.get(&format!("/assess/compare?{query}")).await;
    assert_eq!(page.status, 200);
    let body = &page.body;
    assert!(
        body.contains("<title>Compare candidates"),
        "no error in the title"
    );
    assert!(!body.contains("nhsuk-error-summary"));
    // The words say where the weights are: above the results, never below.
    assert!(body.contains("Their order with the weights above"));
    assert!(!body.contains("weights below"));
    // Quarters in words.
    assert!(body.contains("Side by side, as of April to June 2014"));
    assert!(body.contains(r#"<option value="2014-Q2" selected>April to June 2014</option>"#));
    // The form keeps the weights asked for.
    assert!(body.contains(r#"name="w-infra" type="text" inputmode="decimal" value="10""#));
    assert!(body.contains(r#"name="w-records" type="text" inputmode="decimal" value="1""#));

    // The expected figures, from the scoring module with those weights.
    let want = expected(&w, &["leeds", "york"], &[("records", 1.0), ("infra", 10.0)]).await;
    let framework = expected(&w, &["leeds", "york"], &[]).await;
    assert_ne!(
        want.iter().map(|x| x.overall).collect::<Vec<_>>(),
        framework.iter().map(|x| x.overall).collect::<Vec<_>>(),
        "the weights change the figures"
    );
    let fmt = |slug: &str| {
        let x = want.iter().find(|x| x.slug == slug).unwrap();
        (format!("{:.1}", x.overall.unwrap()), x.place.unwrap())
    };
    // The order: first place first, each with its weighted overall.
    let list = order(body);
    let names: Vec<String> = want
        .iter()
        .map(|x| format!("{}: {:.1}", x.name, x.overall.unwrap()))
        .collect();
    assert_eq!(list, names);
    // The table's weighted rows, economy by economy in the columns' order (leeds, york).
    let overall = row(body, "Overall with the weights above");
    let places = row(body, "Rank among these with the weights above");
    assert_eq!(overall, vec![fmt("leeds").0, fmt("york").0]);
    assert_eq!(
        places,
        vec![fmt("leeds").1.to_string(), fmt("york").1.to_string()]
    );
    // The framework's figures are labelled as the framework's.
    let base = row(body, "Overall with the framework's weights");
    let base_want: Vec<String> = ["leeds", "york"]
        .iter()
        .map(|s| {
            let x = framework.iter().find(|x| x.slug == *s).unwrap();
            format!("{:.1}", x.overall.unwrap())
        })
        .collect();
    assert_eq!(base, base_want);

    // The CSV link carries the same query, and the CSV the same weighted overall.
    let href = format!(
        r#"href="/assess/compare.csv?{}""#,
        query.replace('&', "&amp;")
    );
    assert!(body.contains(&href), "{href} in the page");
    let csv = ann.get(&format!("/assess/compare.csv?{query}")).await.body;
    let lines: Vec<&str> = csv.lines().collect();
    let header: Vec<&str> = lines[0].split(',').collect();
    let col = header
        .iter()
        .position(|h| *h == "overall_with_weights")
        .unwrap();
    for slug in ["leeds", "york"] {
        let line = lines
            .iter()
            .find(|l| l.starts_with(&format!("{slug},")))
            .unwrap();
        let cell: f64 = line.split(',').nth(col).unwrap().parse().unwrap();
        assert_eq!(format!("{cell:.1}"), fmt(slug).0, "{slug} in the CSV");
    }

    // The same address in another browser gives the same figures: the view can be shared.
    // (A later time step's code: a code works once.)
    let other = Browser::new(&w.app);
    other
        .sign_in("ann@board.nhs.uk", PASSWORD, Some(&w.assessor), 1)
        .await;
    let again = other.get(&format!("/assess/compare?{query}")).await.body;
    assert_eq!(order(&again), list);
    assert_eq!(row(&again, "Overall with the weights above"), overall);
}

#[tokio::test]
async fn one_economy_shows_the_error_summary_with_the_choices_kept() {
    let w = world().await;
    let ann = assessor(&w).await;
    // A first visit asks for nothing, so there is no problem yet.
    let first = ann.get("/assess/compare").await.body;
    assert!(!first.contains("nhsuk-error-summary"));
    assert!(first.contains("<title>Compare candidates"));

    let page = ann
        .get("/assess/compare?e=leeds&q=2014-Q1&w-records=5&w-infra=1")
        .await;
    assert_eq!(page.status, 200);
    let body = &page.body;
    assert!(body.contains("<title>Error: Compare candidates"));
    // The summary at the top links to the first box; the message is on the field too.
    let summary = body.find("nhsuk-error-summary").expect("an error summary");
    assert!(
        summary < body.find("<h1").unwrap(),
        "the summary comes first"
    );
    assert!(
        body.contains(r##"<a href="#e-0">Choose two to six candidate economies to compare</a>"##)
    );
    assert!(body.contains(r#"id="e-error""#));
    assert!(body.contains(r#"aria-describedby="e-hint e-error""#));
    assert!(body.contains("nhsuk-form-group nhsuk-form-group--error"));
    // The choices are kept: the economy ticked, the quarter chosen, the weights typed.
    assert!(body.contains(r#"value="leeds" checked"#));
    assert!(!body.contains(r#"value="york" checked"#));
    assert!(body.contains(r#"<option value="2014-Q1" selected"#));
    assert!(body.contains(r#"name="w-records" type="text" inputmode="decimal" value="5""#));
    // Nothing is compared.
    assert!(!body.contains("Side by side"));
    assert!(!body.contains("data-testid=\"sensitivity\""));

    // None ticked (the form sent with no box ticked) is the same problem.
    let none = ann
        .get("/assess/compare?q=2014-Q2&w-records=3&w-infra=1")
        .await
        .body;
    assert!(
        none.contains(r##"<a href="#e-0">Choose two to six candidate economies to compare</a>"##)
    );
}

#[tokio::test]
async fn a_weight_that_will_not_read_is_refused_on_its_field() {
    let w = world().await;
    let ann = assessor(&w).await;
    for (given, message) in [
        ("abc", "Weight for Infrastructure must be a number, like 2"),
        ("0", "Weight for Infrastructure must be greater than 0"),
        ("-2", "Weight for Infrastructure must be greater than 0"),
        ("101", "Weight for Infrastructure must be 100 or less"),
        ("", "Enter a weight for Infrastructure"),
    ] {
        let page = ann
            .get(&format!(
                "/assess/compare?e=leeds&e=york&q=2014-Q2&w-records=2&w-infra={}",
                given
            ))
            .await;
        let body = &page.body;
        assert!(
            body.contains("<title>Error: Compare candidates"),
            "{given:?}"
        );
        assert!(
            body.contains(&format!(r##"<a href="#w-infra">{message}</a>"##)),
            "{given:?}: the summary links to the field"
        );
        assert!(body.contains(r#"id="w-infra-error""#), "{given:?}");
        assert!(body.contains(r#"aria-describedby="w-infra-hint w-infra-error""#));
        assert!(body.contains("nhsuk-input nhsuk-input--width-4 nhsuk-input--error"));
        // What was typed is kept, and so are the economies and the other weight.
        assert!(
            body.contains(&format!(
                r#"name="w-infra" type="text" inputmode="decimal" value="{given}""#
            )),
            "{given:?}"
        );
        assert!(body.contains(r#"name="w-records" type="text" inputmode="decimal" value="2""#));
        assert!(
            body.contains(r#"value="leeds" checked"#) && body.contains(r#"value="york" checked"#)
        );
        // The records weight was fine: no message on it.
        assert!(!body.contains(r#"id="w-records-error""#));
        // Nothing is compared with a weight that was not used.
        assert!(!body.contains("Side by side"), "{given:?}");
    }
    // Both problems at once, in the form's order.
    let body = ann
        .get("/assess/compare?e=leeds&w-records=x&w-infra=1")
        .await
        .body;
    let economies = body.find(r##"href="#e-0""##).unwrap();
    let weight = body.find(r##"href="#w-records""##).unwrap();
    assert!(economies < weight);
}

#[tokio::test]
async fn organisations_both_compared_economies_list_are_shown() {
    let w = world().await;
    let ann = assessor(&w).await;
    let page = ann.get("/assess/compare?e=leeds&e=york&q=2014-Q2").await;
    assert!(!page
        .body
        .contains("Organisations in more than one of these economies"));
    // Leeds and York both name Leeds and York Partnership (RGD), as they did.
    for slug in ["leeds", "york"] {
        let pool = w.app.db.pool().await;
        sqlx::query(
            "INSERT INTO organisations (economy_id, name, ods_code, kind, created_at)
             SELECT id, 'Leeds and York Partnership NHS Foundation Trust', 'RGD', 'mental-health', '2014-01-01T00:00:00Z'
             FROM economies WHERE slug = $1",
        )
        .bind(slug)
        .execute(&pool)
        .await
        .unwrap();
    }
    let page = ann.get("/assess/compare?e=leeds&e=york&q=2014-Q2").await;
    assert_eq!(page.status, 200);
    assert!(page
        .body
        .contains("Organisations in more than one of these economies"));
    assert!(
        page.body
            .contains("Leeds and York Partnership NHS Foundation Trust (RGD): "),
        "{}",
        page.body
    );
}
