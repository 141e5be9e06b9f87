//! Public pages (issue 4): figures against the scoring module, the publication rule, the
//! small-region rule, safe CSV, caching.

use crate::helpers::{add_user, example, Browser, TestApp, TestDb, PASSWORD};
use app::domain::scoring::ScoreRecord;

fn live(db: &TestDb, q: &str) -> Vec<ScoreRecord> {
    let v: app::domain::scoring::Scores =
        serde_json::from_str(&db.ok(&["scores", "--as-of", q])).unwrap();
    v.economies
}

#[tokio::test]
async fn the_economy_page_shows_its_published_figures() {
    let app = TestApp::demo().await;
    // 2014-Q4 was published from the data as it is: live and stored figures agree.
    let records = live(&app.db, "2014-Q4");
    let leeds = records
        .iter()
        .find(|r| r.economy == "leeds-health-and-care-economy")
        .unwrap();
    let (status, html) = app.html("/economies/leeds-health-and-care-economy").await;
    assert_eq!(status, 200);
    assert!(html.contains("<title>Leeds health and care economy – Exemplar – NHS</title>"));
    assert!(
        html.contains(&format!("{:.1}", leeds.overall.unwrap())),
        "overall"
    );
    assert!(
        html.contains(&format!("{:.1}", leeds.verified_overall.unwrap())),
        "verified"
    );
    assert!(
        html.contains(&format!("{} of 42", leeds.rank.unwrap())),
        "rank"
    );
    assert!(html.contains("role=\"img\""), "a chart");
    assert!(html.contains("Published scores by quarter"));
    // 2015-Q1 has values but is not published: it shows nowhere.
    assert!(!html.contains("2015-Q1"), "an unpublished quarter is shown");
    let (status, _) = app.html("/economies/nowhere").await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn the_worked_example_on_public_pages() {
    let app = TestApp::example_published_through("2014-Q2").await;
    let (_, html) = app.html("/economies").await;
    assert!(
        html.contains("92.5") && html.contains("83.6"),
        "leeds 92.5 / 83.55"
    );
    assert!(
        html.contains("53.3") && html.contains("25.0"),
        "york 53.29 / 25.0"
    );
    let (_, html) = app.html("/economies/york").await;
    assert!(html.contains("2 of 2"));
    assert!(html.contains("reported values for criteria worth 87.5% of the overall score"));
    let (_, html) = app.html("/regions").await;
    // Two economies in one region report: too few for a median.
    assert!(html.contains("Yorkshire and the Humber"));
    assert!(html.contains(">too few<"));
    assert!(!html.contains(">72.9<"));
}

#[tokio::test]
async fn regions_show_medians_only_with_three_or_more_reporting() {
    let app = TestApp::demo().await;
    let (status, html) = app.html("/regions?as_of=2014-Q4").await;
    assert_eq!(status, 200);
    let records = live(&app.db, "2014-Q4");
    let london: Vec<f64> = records
        .iter()
        .filter(|r| {
            [
                "tower-hamlets-and-newham",
                "north-west-london",
                "lambeth-and-southwark",
                "camden-and-islington",
                "barnet-enfield-and-haringey",
            ]
            .contains(&r.economy.as_str())
        })
        .filter_map(|r| r.overall)
        .collect();
    let mut sorted = london.clone();
    sorted.sort_by(f64::total_cmp);
    let median = sorted[sorted.len() / 2];
    assert!(
        html.contains(&format!(">{median:.1}<")),
        "London's median {median:.1}"
    );
    let (status, _) = app.html("/regions?as_of=2015-Q1").await;
    assert_eq!(status, 404, "an unpublished quarter");
}

#[tokio::test]
async fn the_ranking_sorts_without_javascript() {
    let app = TestApp::demo().await;
    let (_, html) = app.html("/economies?sort=name&dir=asc").await;
    let a = html.find("Barnet, Enfield and Haringey").unwrap();
    let b = html.find("Wolverhampton").unwrap();
    assert!(a < b);
    assert!(html.contains("aria-sort=\"ascending\""));
    let (_, html) = app.html("/economies?sort=name&dir=desc").await;
    assert!(
        html.find("Wolverhampton").unwrap() < html.find("Barnet, Enfield and Haringey").unwrap()
    );
    assert!(html.contains("aria-sort=\"descending\""));
}

#[tokio::test]
async fn downloads_are_safe_in_spreadsheets_and_every_version_stays() {
    let db = TestDb::new();
    db.load_example();
    let path = db.dir.path().join("e.csv");
    std::fs::write(
        &path,
        "slug,name,region\nyork,=HYPERLINK(\"http://x\"),Yorkshire and the Humber\n",
    )
    .unwrap();
    db.ok(&["import", "economies", path.to_str().unwrap()]);
    db.ok(&["publish", "--through", "2014-Q2"]);
    let fix = db.dir.path().join("fix.csv");
    std::fs::write(
        &fix,
        "economy,period,criterion,value,status\nyork,2014-Q2,NHS-NUMBER,60,verified\n",
    )
    .unwrap();
    db.ok(&["import", "values", fix.to_str().unwrap()]);
    db.ok(&["publish", "--revise", "2014-Q2", "--reason", "verified"]);
    let app = TestApp::spawn(db, None).await;
    let csv = app
        .get("/open-data/scores-2014-Q2.csv")
        .await
        .text()
        .await
        .unwrap();
    assert!(csv.contains(",\"'=HYPERLINK(\"\"http://x\"\")\","), "{csv}");
    let first: serde_json::Value = app
        .get("/open-data/scores-2014-Q2-r0.json")
        .await
        .json()
        .await
        .unwrap();
    let second: serde_json::Value = app
        .get("/open-data/scores-2014-Q2-r1.json")
        .await
        .json()
        .await
        .unwrap();
    assert!(first.get("revised").is_none());
    assert_eq!(second["revised"]["reason"], "verified");
    assert_ne!(
        first["economies"][1]["confidence"],
        second["economies"][1]["confidence"]
    );
    let values = app.get("/open-data/values.csv").await.text().await.unwrap();
    assert!(values.starts_with("\u{feff}economy,period,criterion,value,status\n"));
    assert!(values.contains("york,2014-Q2,NHS-NUMBER,60,verified"));
    let (_, html) = app.html("/open-data").await;
    assert!(html.contains("/open-data/scores-2014-Q2-r1.csv"));
    assert!(html.contains("Open Government Licence v3.0"));
    assert_eq!(
        app.get("/open-data/scores-2014-Q2-r5.csv")
            .await
            .status()
            .as_u16(),
        404
    );
}

/// Every download's rows as its spreadsheet holds them (read back with calamine, as a
/// spreadsheet program would), sheet by sheet.
fn ods_sheets(bytes: Vec<u8>) -> Vec<(String, Vec<Vec<calamine::Data>>)> {
    use calamine::Reader;
    let mut book: calamine::Ods<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).expect("opens as .ods");
    book.sheet_names()
        .into_iter()
        .map(|name| {
            let range = book.worksheet_range(&name).expect("sheet");
            (name, range.rows().map(<[_]>::to_vec).collect())
        })
        .collect()
}

#[tokio::test]
async fn every_download_is_a_spreadsheet_and_the_data_package_describes_each_file() {
    use calamine::Data;
    let db = TestDb::new();
    db.load_example();
    let path = db.dir.path().join("e.csv");
    std::fs::write(
        &path,
        "slug,name,region\nyork,=HYPERLINK(\"http://x\"),Yorkshire and the Humber\n",
    )
    .unwrap();
    db.ok(&["import", "economies", path.to_str().unwrap()]);
    db.ok(&["publish", "--through", "2014-Q2"]);
    let app = TestApp::spawn(db, None).await;
    for stem in [
        "scores-2014-Q2",
        "scores-2014-Q2-r0",
        "values",
        "trusts",
        "members",
    ] {
        let csv = app
            .get(&format!("/open-data/{stem}.csv"))
            .await
            .text()
            .await
            .unwrap();
        let csv = csv.strip_prefix('\u{feff}').expect("a byte-order mark");
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
        let records = reader.records().count();
        let r = app.get(&format!("/open-data/{stem}.ods")).await;
        assert_eq!(r.status().as_u16(), 200, "{stem}.ods");
        assert_eq!(
            r.headers()["content-type"],
            "application/vnd.oasis.opendocument.spreadsheet"
        );
        assert_eq!(r.headers()["access-control-allow-origin"], "*");
        let sheets = ods_sheets(r.bytes().await.unwrap().to_vec());
        assert_eq!(sheets.len(), 2, "{stem}: the table and its fields");
        let (_, rows) = &sheets[0];
        let first: Vec<String> = rows[0].iter().map(|c| c.to_string()).collect();
        assert_eq!(first, header, "{stem}: the same columns as the CSV");
        assert_eq!(rows.len() - 1, records, "{stem}: the same rows as the CSV");
        let (name, fields) = &sheets[1];
        assert_eq!(name, "Fields");
        let described: Vec<String> = fields[1..].iter().map(|r| r[0].to_string()).collect();
        assert_eq!(
            described, header,
            "{stem}: every column described, in order"
        );
    }
    // Numbers are numbers and a formula-like name is plain text (no apostrophe needed).
    let r = app.get("/open-data/scores-2014-Q2.ods").await;
    let sheets = ods_sheets(r.bytes().await.unwrap().to_vec());
    assert_eq!(sheets[0].0, "Scores 2014-Q2");
    let rows = &sheets[0].1;
    let col = |name: &str| {
        rows[0]
            .iter()
            .position(|c| *c == Data::String(name.into()))
            .unwrap()
    };
    let york = rows
        .iter()
        .find(|r| r[col("economy")] == Data::String("york".into()))
        .expect("york's row");
    assert_eq!(
        york[col("name")],
        Data::String("=HYPERLINK(\"http://x\")".into())
    );
    assert!(
        matches!(york[col("overall")], Data::Float(_)),
        "{:?}",
        york[col("overall")]
    );
    assert!(
        matches!(york[col("eligible")], Data::Bool(_)),
        "{:?}",
        york[col("eligible")]
    );

    // The data package: every resource's file is there, with the columns it describes.
    let r = app.get("/open-data/datapackage.json").await;
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(r.headers()["access-control-allow-origin"], "*");
    let package: serde_json::Value = r.json().await.unwrap();
    assert_eq!(package["licenses"][0]["name"], "OGL-UK-3.0");
    let resources = package["resources"].as_array().unwrap();
    assert_eq!(resources.len(), 5);
    assert_eq!(resources[0]["path"], "scores-2014-Q2.csv");
    for res in resources {
        let path = res["path"].as_str().unwrap();
        let csv = app
            .get(&format!("/open-data/{path}"))
            .await
            .text()
            .await
            .unwrap();
        let header = csv
            .trim_start_matches('\u{feff}')
            .lines()
            .next()
            .unwrap()
            .to_string();
        let fields: Vec<&str> = res["schema"]["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["name"].as_str().unwrap())
            .collect();
        assert_eq!(header, fields.join(","), "{path}");
    }
    assert_eq!(
        app.get("/open-data/values.xls").await.status().as_u16(),
        404
    );
}

#[tokio::test]
async fn repeated_requests_get_304_until_a_publication() {
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
    db.ok(&["import", "values", example("values.csv").to_str().unwrap()]);
    db.ok(&["publish", "--through", "2014-Q1"]);
    let app = TestApp::spawn(db, None).await;
    let paths = ["/", "/economies", "/api/v1/scores"];
    let mut etags = Vec::new();
    for path in paths {
        let first = app.get(path).await;
        assert_eq!(first.status().as_u16(), 200);
        let etag = first.headers()["etag"].to_str().unwrap().to_string();
        assert!(first.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("no-cache"));
        let again = app
            .client
            .get(format!("{}{path}", app.base))
            .header("If-None-Match", &etag)
            .send()
            .await
            .unwrap();
        assert_eq!(again.status().as_u16(), 304, "{path}");
        etags.push(etag);
    }
    app.db.ok(&["publish", "--through", "2014-Q2"]);
    for (path, etag) in paths.iter().zip(&etags) {
        let after = app
            .client
            .get(format!("{}{path}", app.base))
            .header("If-None-Match", etag)
            .send()
            .await
            .unwrap();
        assert_eq!(after.status().as_u16(), 200, "{path} after a publication");
        assert_ne!(after.headers()["etag"].to_str().unwrap(), etag);
    }
    let (_, body) = app.json("/api/v1/scores").await;
    assert_eq!(body["as_of"], "2014-Q2");
}

/// The body of a response, decoded from what its `Content-Encoding` says.
async fn decoded(r: reqwest::Response) -> (Option<String>, String) {
    use std::io::Read;
    let coding = r
        .headers()
        .get("content-encoding")
        .map(|v| v.to_str().unwrap().to_string());
    let bytes = r.bytes().await.unwrap();
    let mut out = String::new();
    match coding.as_deref() {
        Some("br") => {
            brotli::Decompressor::new(&bytes[..], 4096)
                .read_to_string(&mut out)
                .unwrap();
        }
        Some("gzip") => {
            flate2::read::GzDecoder::new(&bytes[..])
                .read_to_string(&mut out)
                .unwrap();
        }
        _ => out = String::from_utf8(bytes.to_vec()).unwrap(),
    }
    (coding, out)
}

#[tokio::test]
async fn cached_pages_are_served_compressed_and_move_with_a_publication_made_anywhere() {
    let db = TestDb::new();
    db.load_example();
    db.ok(&["publish", "--through", "2013-Q4"]);
    let admin_key = add_user(&db, "ada@board.nhs.uk", "admin", None, PASSWORD).unwrap();
    let app = TestApp::spawn(db, None).await;
    let get = |path: &'static str, accept: &'static str| {
        let (client, base) = (app.client.clone(), app.base.clone());
        async move {
            client
                .get(format!("{base}{path}"))
                .header("accept-encoding", accept)
                .send()
                .await
                .unwrap()
        }
    };
    // The same page in each encoding a browser may ask for, the second time from the cache.
    let (_, plain) = decoded(get("/economies", "identity").await).await;
    assert!(plain.contains("<h1"), "{plain}");
    for (accept, coding) in [
        ("gzip, deflate, br, zstd", Some("br")),
        ("gzip, deflate", Some("gzip")),
        ("identity", None),
    ] {
        for _ in 0..2 {
            let r = get("/economies", accept).await;
            assert_eq!(r.status().as_u16(), 200);
            assert_eq!(r.headers()["vary"], "accept-encoding");
            // A page from memory keeps the headers the layers inside gave it first.
            assert!(r.headers().contains_key("content-security-policy"));
            assert_eq!(r.headers()["x-content-type-options"], "nosniff");
            let (got, body) = decoded(r).await;
            assert_eq!(got.as_deref(), coding, "{accept}");
            assert_eq!(body, plain, "{accept}");
        }
    }
    let scores = |accept| async move {
        let (_, body) = decoded(get("/api/v1/scores", accept).await).await;
        serde_json::from_str::<serde_json::Value>(&body).unwrap()["as_of"].clone()
    };
    assert_eq!(scores("br").await, "2013-Q4");
    let etag = get("/api/v1/scores", "br").await.headers()["etag"].clone();
    let again = app
        .client
        .get(format!("{}/api/v1/scores", app.base))
        .header("if-none-match", etag.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(again.status().as_u16(), 304);
    // A publication from the command line (another process) shows on the next request.
    app.db.ok(&["publish", "--through", "2014-Q1"]);
    assert_eq!(scores("br").await, "2014-Q1");
    assert_eq!(scores("gzip").await, "2014-Q1");
    // And one through another instance of the service.
    let other = app.another_instance().await;
    let admin = Browser::new(&app).at(&other);
    admin
        .sign_in("ada@board.nhs.uk", PASSWORD, Some(&admin_key), 0)
        .await;
    let p = admin
        .post(
            "/admin/publication",
            &[
                ("action", "publish"),
                ("through", "2014-Q2"),
                ("confirm", "yes"),
            ],
        )
        .await;
    assert_eq!(p.status, 303);
    assert_eq!(scores("br").await, "2014-Q2");
    // Someone signed in is never answered with the page cached for everyone else.
    let signed_in = admin.get("/economies").await;
    assert!(
        signed_in.body.contains("Your account"),
        "{}",
        signed_in.body
    );
    let (_, anonymous) = decoded(get("/economies", "gzip").await).await;
    assert!(!anonymous.contains("Your account"));
    let (_, page) = decoded(get("/economies", "gzip").await).await;
    assert_ne!(page, plain, "the ranking moved with the publication");
}
