//! The HTTP API of the running server (routes.md, scoring.md sections 7 and 8).

use crate::helpers::{assert_json_close, expected, TestApp, TestDb};

#[tokio::test]
async fn worked_example_through_the_api_once_published() {
    let db = TestDb::new();
    db.load_example();
    let app = TestApp::spawn(db, None).await;

    // Nothing published: the public gets 404 not-published.
    let (status, body) = app.json("/api/v1/scores").await;
    assert_eq!(status, 404);
    assert_eq!(body["error"]["code"], "not-published");

    app.db.ok(&["publish", "--through", "2014-Q2"]);
    // The running server sees the publication on the next request.
    let (status, body) = app.json("/api/v1/scores").await;
    assert_eq!(status, 200);
    assert_json_close(&body, &expected("expected.json"), "");
    assert_eq!(body["framework_version"], 1);
    assert!(body.get("revised").is_none());

    let (status, body) = app.json("/api/v1/scores?as_of=2014-Q1").await;
    assert_eq!(status, 200);
    assert_json_close(&body, &expected("expected-2014-Q1.json"), "");
}

#[tokio::test]
async fn published_figures_do_not_move_until_revised_in_the_open() {
    let app = TestApp::example_published_through("2014-Q2").await;
    let (_, before) = app.json("/api/v1/scores?as_of=2014-Q2").await;

    // A verification after publication changes the live figures only.
    let fix = app.db.dir.path().join("fix.csv");
    std::fs::write(
        &fix,
        "economy,period,criterion,value,status\nyork,2014-Q2,NHS-NUMBER,60,verified\n",
    )
    .unwrap();
    app.db.ok(&["import", "values", fix.to_str().unwrap()]);
    let (_, still) = app.json("/api/v1/scores?as_of=2014-Q2").await;
    assert_eq!(still, before);
    let live: serde_json::Value =
        serde_json::from_str(&app.db.ok(&["scores", "--as-of", "2014-Q2"])).unwrap();
    assert_ne!(
        live["economies"][1]["confidence"],
        before["economies"][1]["confidence"]
    );

    app.db.ok(&[
        "publish",
        "--revise",
        "2014-Q2",
        "--reason",
        "York's NHS number figure verified",
    ]);
    let (status, after) = app.json("/api/v1/scores?as_of=2014-Q2").await;
    assert_eq!(status, 200);
    assert_eq!(
        after["revised"]["reason"],
        "York's NHS number figure verified"
    );
    assert_eq!(after["revised"]["date"], "2015-04-20");
    assert_eq!(
        after["economies"][1]["confidence"],
        live["economies"][1]["confidence"]
    );
}

#[tokio::test]
async fn bad_and_unpublished_quarters() {
    let app = TestApp::example_published_through("2014-Q1").await;
    let (status, body) = app.json("/api/v1/scores?as_of=2014-Q5").await;
    assert_eq!(status, 400);
    assert_eq!(body["error"]["code"], "bad-parameter");
    assert_eq!(body["error"]["parameter"], "as_of");
    let (status, body) = app.json("/api/v1/scores?as_of=2014-Q2").await;
    assert_eq!(status, 404);
    assert_eq!(body["error"]["code"], "not-published");
    let (status, body) = app.json("/api/v1/nope").await;
    assert_eq!(status, 404);
    assert_eq!(body["error"]["code"], "not-found");
}

#[tokio::test]
async fn economies_and_frameworks() {
    let app = TestApp::example_published_through("2014-Q2").await;
    let (status, body) = app.json("/api/v1/economies").await;
    assert_eq!(status, 200);
    let slugs: Vec<&str> = body["economies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["slug"].as_str().unwrap())
        .collect();
    assert_eq!(slugs, ["hull", "leeds", "york"]);
    let (status, body) = app.json("/api/v1/economies/leeds").await;
    assert_eq!(status, 200);
    assert_eq!(body["region"], "Yorkshire and the Humber");
    let quarters: Vec<&str> = body["scores"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["as_of"].as_str().unwrap())
        .collect();
    assert_eq!(quarters, ["2013-Q4", "2014-Q1", "2014-Q2"]);
    assert_eq!(body["scores"][2]["overall"], 92.5);
    let (status, _) = app.json("/api/v1/economies/nowhere").await;
    assert_eq!(status, 404);
    let (status, body) = app.json("/api/v1/frameworks/active").await;
    assert_eq!(status, 200);
    assert_eq!(body["code"], "example");
    assert_eq!(body["criteria"][3]["kind"], "level");
    assert_eq!(body["criteria"][3]["target"], 5);
}

#[tokio::test]
async fn openapi_describes_every_api_path() {
    let app = TestApp::spawn(TestDb::new(), None).await;
    let (status, body) = app.json("/api/v1/openapi.json").await;
    assert_eq!(status, 200);
    assert!(body["openapi"].as_str().unwrap().starts_with("3."));
    let paths = body["paths"].as_object().unwrap();
    for p in [
        "/api/v1/scores",
        "/api/v1/economies",
        "/api/v1/economies/{slug}",
        "/api/v1/frameworks/active",
        "/api/v1/openapi.json",
        "/healthz",
        "/readyz",
    ] {
        assert!(paths.contains_key(p), "{p} is not described");
    }
    // A quarter's pattern and an example, so generated clients and fuzzers ask real ones.
    for p in ["/api/v1/scores", "/api/v1/benefits"] {
        let as_of = paths[p]["get"]["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["name"] == "as_of")
            .unwrap();
        assert_eq!(as_of["schema"]["pattern"], "^[0-9]{4}-Q[1-4]$", "{p}");
        assert_eq!(as_of["example"], "2014-Q4", "{p}");
    }
}

#[tokio::test]
async fn health_and_readiness() {
    let app = TestApp::spawn(TestDb::new(), None).await;
    assert_eq!(app.json("/healthz").await.0, 200);
    let (status, body) = app.json("/readyz").await;
    assert_eq!(status, 200);
    assert_eq!(body["status"], "ready");
}

#[tokio::test]
async fn csv_downloads_of_published_quarters() {
    let app = TestApp::example_published_through("2014-Q2").await;
    let r = app.get("/open-data/scores-2014-Q2.csv").await;
    assert_eq!(r.status().as_u16(), 200);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let body = r.text().await.unwrap();
    assert!(body
        .lines()
        .nth(1)
        .unwrap()
        .starts_with("leeds,Leeds health and care economy,1,92.5,"));
    assert_eq!(
        app.get("/open-data/scores-2014-Q3.csv")
            .await
            .status()
            .as_u16(),
        404
    );
    assert_eq!(app.get("/open-data/other.csv").await.status().as_u16(), 404);
}

#[tokio::test]
async fn the_api_and_downloads_may_be_read_from_any_web_page_but_pages_may_not() {
    let app = TestApp::example_published_through("2014-Q2").await;
    let from = |path: &str| {
        app.client
            .get(format!("{}{path}", app.base))
            .header("Origin", "https://dashboard.example.org")
            .send()
    };
    for path in [
        "/api/v1/scores",
        "/api/v1/economies/york",
        "/api/v1/no-such-path",
        "/open-data/scores-2014-Q2.csv",
    ] {
        // Twice: the second answer of a public path comes from the page cache.
        from(path).await.unwrap();
        let r = from(path).await.unwrap();
        assert_eq!(
            r.headers()
                .get("access-control-allow-origin")
                .and_then(|v| v.to_str().ok()),
            Some("*"),
            "{path}"
        );
        assert!(
            r.headers()
                .get("access-control-allow-credentials")
                .is_none(),
            "{path}"
        );
    }
    // A browser's preflight: GET allowed, nothing that writes.
    let pre = app
        .client
        .request(
            reqwest::Method::OPTIONS,
            format!("{}/api/v1/scores", app.base),
        )
        .header("Origin", "https://dashboard.example.org")
        .header("Access-Control-Request-Method", "GET")
        .send()
        .await
        .unwrap();
    assert!(pre.status().is_success(), "{}", pre.status());
    let methods = pre
        .headers()
        .get("access-control-allow-methods")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    assert!(methods.contains("GET"), "{methods}");
    assert!(!methods.contains("POST"), "{methods}");
    // Pages and everything signed-in stay same-origin.
    for path in ["/economies", "/sign-in"] {
        let r = from(path).await.unwrap();
        assert!(
            r.headers().get("access-control-allow-origin").is_none(),
            "{path}"
        );
    }
}

#[tokio::test]
async fn the_feed_of_publications_names_every_publication_and_revision() {
    let app = TestApp::example_published_through("2014-Q2").await;
    app.db.ok(&[
        "publish",
        "--revise",
        "2014-Q2",
        "--reason",
        "York's NHS number figure verified & checked",
    ]);
    let r = app.get("/publications.atom").await;
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.headers()["content-type"],
        "application/atom+xml; charset=utf-8"
    );
    let text = r.text().await.unwrap();
    let feed: atom_syndication::Feed = text
        .parse()
        .unwrap_or_else(|e| panic!("not an Atom feed ({e}):\n{text}"));
    // What RFC 4287 requires of a feed: id, title, updated, an author; a self link.
    assert_eq!(feed.id(), format!("{}/publications.atom", app.base));
    assert!(!feed.title().as_str().is_empty());
    assert_eq!(feed.authors()[0].name(), "NHS Commissioning Board");
    assert!(feed.links().iter().any(|l| l.rel() == "self"));
    assert!(feed
        .rights()
        .is_some_and(|r| r.as_str().contains("Open Government Licence")));
    // The example's three quarters and the revision, the latest first.
    let entries = feed.entries();
    assert_eq!(entries.len(), 4, "{text}");
    assert_eq!(
        entries[0].title().as_str(),
        "Scores for April to June 2014 revised (revision 1)"
    );
    let summary = entries[0].summary().unwrap().as_str();
    assert!(
        summary.contains("York's NHS number figure verified & checked"),
        "{summary}"
    );
    assert_eq!(feed.updated(), entries[0].updated());
    let ids: std::collections::HashSet<&str> = entries.iter().map(|e| e.id()).collect();
    assert_eq!(ids.len(), 4, "every entry has its own id");
    for e in entries {
        assert!(!e.title().as_str().is_empty());
        assert!(e.updated() <= feed.updated());
        // Every link answers: the ranking as of the quarter, its CSV and JSON.
        assert_eq!(e.links().len(), 3);
        for l in e.links() {
            let path = l
                .href()
                .strip_prefix(&app.base)
                .expect("a link to this service");
            assert_eq!(app.get(path).await.status(), 200, "{path}");
        }
    }
    // The home page and open data link it, for readers and for browsers.
    for page in ["/", "/open-data"] {
        let (_, html) = app.html(page).await;
        assert!(
            html.contains(r#"type="application/atom+xml""#) && html.contains("/publications.atom"),
            "{page}"
        );
    }
}

#[tokio::test]
async fn csv_downloads_open_in_spreadsheets_as_utf8_and_the_command_line_stays_plain() {
    let app = TestApp::example_published_through("2014-Q2").await;
    const BOM: &[u8] = b"\xEF\xBB\xBF";
    for path in [
        "/open-data/scores-2014-Q2.csv",
        "/open-data/scores-2014-Q2-r0.csv",
        "/open-data/values.csv",
    ] {
        let bytes = app.get(path).await.bytes().await.unwrap();
        assert!(bytes.starts_with(BOM), "{path}");
        // Once, and the header right after it.
        assert!(bytes[3..].starts_with(b"economy,"), "{path}");
    }
    for path in ["/open-data/scores-2014-Q2.json", "/api/v1/scores"] {
        let bytes = app.get(path).await.bytes().await.unwrap();
        assert!(bytes.starts_with(b"{"), "{path}");
    }
    // What a program reads from the command line has none (scoring.md section 8).
    let out = app
        .db
        .ok(&["scores", "--as-of", "2014-Q2", "--format", "csv"]);
    assert!(out.starts_with("economy,"), "{out}");
}

#[tokio::test]
async fn open_data_describes_itself_to_search_engines_and_catalogues() {
    let app = TestApp::example_published_through("2014-Q2").await;
    let (status, html) = app.html("/open-data").await;
    assert_eq!(status, 200);
    let marker = r#"<script type="application/ld+json">"#;
    let start = html.find(marker).expect("a JSON-LD description") + marker.len();
    let end = start + html[start..].find("</script>").unwrap();
    let dataset: serde_json::Value = serde_json::from_str(&html[start..end]).unwrap();
    assert_eq!(dataset["@context"], "https://schema.org");
    assert_eq!(dataset["@type"], "Dataset");
    assert!(dataset["license"]
        .as_str()
        .unwrap()
        .contains("open-government-licence/version/3"));
    assert_eq!(dataset["url"], format!("{}/open-data", app.base));
    // The example's quarters: from the start of the first to the end of the last published.
    let coverage = dataset["temporalCoverage"].as_str().unwrap();
    assert!(coverage.ends_with("/2014-06-30"), "{coverage}");
    let downloads = dataset["distribution"].as_array().unwrap();
    assert!(downloads.len() >= 5, "{dataset}");
    for d in downloads {
        assert_eq!(d["@type"], "DataDownload");
        let url = d["contentUrl"].as_str().unwrap();
        let path = url.strip_prefix(&app.base).expect("an absolute link here");
        let r = app.get(path).await;
        assert_eq!(r.status(), 200, "{path}");
        let format = d["encodingFormat"].as_str().unwrap();
        assert!(
            r.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with(format),
            "{path}: {format}"
        );
    }
}

#[tokio::test]
async fn the_api_reference_is_written_from_the_description_and_its_examples_answer() {
    let app = TestApp::example_published_through("2014-Q2").await;
    let doc: serde_json::Value = app.get("/api/v1/openapi.json").await.json().await.unwrap();
    let (status, html) = app.html("/open-data/api").await;
    assert_eq!(status, 200);
    assert!(!html.contains("<script src"), "no third-party script");
    // Every operation of the description is on the page, with its parameters.
    for (path, methods) in doc["paths"].as_object().unwrap() {
        for (method, op) in methods.as_object().unwrap() {
            let heading = format!("{} {path}", method.to_uppercase());
            assert!(html.contains(&heading), "{heading} is listed");
            for p in op["parameters"].as_array().into_iter().flatten() {
                let name = p["name"].as_str().unwrap();
                assert!(
                    html.contains(&format!("<code>{name}</code>")),
                    "{heading}: {name}"
                );
            }
        }
    }
    // Every response shape is there, linked from where it is used.
    for name in doc["components"]["schemas"].as_object().unwrap().keys() {
        let shown = name.strip_suffix("Doc").unwrap_or(name);
        assert!(html.contains(&format!("id=\"schema-{shown}\"")), "{shown}");
    }
    assert!(html.contains("href=\"#schema-ScoreRecord\""));
    // Each request to try answers, as the description says it would.
    let tries: Vec<String> = html
        .match_indices("Try it: <a href=\"")
        .map(|(i, m)| {
            let rest = &html[i + m.len()..];
            rest[..rest.find('"').unwrap()].replace("&amp;", "&")
        })
        .collect();
    assert!(tries.len() >= 6, "{tries:?}");
    let template_of = |url: &str| {
        let path = url.split('?').next().unwrap();
        let segments: Vec<&str> = path.split('/').collect();
        doc["paths"]
            .as_object()
            .unwrap()
            .iter()
            .find(|(template, _)| {
                let t: Vec<&str> = template.split('/').collect();
                t.len() == segments.len()
                    && t.iter()
                        .zip(&segments)
                        .all(|(a, b)| a == b || a.starts_with('{'))
            })
            .map(|(_, ops)| ops["get"].clone())
            .unwrap_or_else(|| panic!("{url} is a request of the description"))
    };
    for t in &tries {
        let status = app.get(t).await.status().as_u16();
        let op = template_of(t);
        assert!(
            op["responses"].get(status.to_string()).is_some(),
            "{t}: {status} is an answer the description gives"
        );
    }
    assert!(tries.contains(&"/api/v1/scores?as_of=2014-Q4".to_string()));
    assert!(tries.contains(&"/api/v1/organisations?q=Leeds+Teaching".to_string()));
}
