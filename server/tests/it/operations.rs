//! Running the service: its logs as a log collector reads them, and each request's id.

use crate::helpers::{add_submitters, Browser, Server, TestDb, PASSWORD};

/// The lines of standard output, where JSON logs go, each parsed as JSON (a line that is not
/// JSON fails the test).
fn json_lines(server: &Server) -> Vec<serde_json::Value> {
    let log = server.stdout.lock().unwrap().clone();
    log.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not a JSON line ({e}): {l}")))
        .collect()
}

/// The request line logged for this request id, waiting a moment for it to be written.
async fn request_line(server: &Server, id: &str) -> serde_json::Value {
    for _ in 0..50 {
        if let Some(line) = json_lines(server)
            .into_iter()
            .find(|l| l["message"] == "request" && l["span"]["request_id"].as_str() == Some(id))
        {
            return line;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!(
        "no request line for {id} in:\n{}",
        server.log.lock().unwrap()
    );
}

#[tokio::test]
async fn json_logs_carry_each_requests_id_and_who_asked() {
    let db = TestDb::new();
    db.load_example();
    add_submitters(&db);
    let server = Server::start_with_env(&db, "info", &[], &[("EXEMPLAR_LOG_FORMAT", "json")]);
    let browser = Browser::to(&server.base);

    // A public page: a new id on the response, and the line that names it.
    let page = browser.get("/economies").await;
    assert_eq!(page.status, 200);
    let id = page.headers["x-request-id"].to_str().unwrap().to_string();
    assert!(
        id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit()),
        "{id}"
    );
    let line = request_line(&server, &id).await;
    assert_eq!(line["level"], "INFO");
    assert_eq!(line["target"], "exemplar::web");
    assert_eq!(line["span"]["method"], "GET");
    assert_eq!(line["span"]["path"], "/economies");
    assert_eq!(line["status"], 200);
    assert!(line["ms"].as_f64().is_some(), "{line}");
    assert!(line["timestamp"].as_str().is_some(), "{line}");
    assert!(line["span"].get("user").is_none(), "{line}");

    // An id sent by a client that is not a trusted proxy is not taken.
    let own = browser
        .client
        .get(format!("{}/economies", server.base))
        .header("x-request-id", "client-chosen-id")
        .send()
        .await
        .unwrap();
    assert_ne!(own.headers()["x-request-id"], "client-chosen-id");

    // Signed in: the line says who (the account's id), never the email.
    browser.sign_in("sam@york.nhs.uk", PASSWORD, None, 0).await;
    let mine = browser.get("/my-economy").await;
    assert_eq!(mine.status, 200);
    let id = mine.headers["x-request-id"].to_str().unwrap().to_string();
    let line = request_line(&server, &id).await;
    let user = crate::helpers::user_id(&db.pool().await, "sam@york.nhs.uk").await;
    assert_eq!(line["span"]["user"], user, "{line}");
    assert!(!line.to_string().contains("sam@york.nhs.uk"), "{line}");
    // Every line of standard output so far was JSON, the start-up lines included.
    assert!(json_lines(&server).iter().any(|l| l["message"]
        .as_str()
        .is_some_and(|m| m.contains("serving on"))));
}

#[tokio::test]
async fn behind_a_trusted_proxy_its_request_id_is_kept() {
    let db = TestDb::new();
    db.load_example();
    let server = Server::start_with_args(&db, "info", &["--trust-proxy"]);
    let client = reqwest::Client::new();
    let asked = |id: &'static str| {
        client
            .get(format!("{}/economies", server.base))
            .header("x-request-id", id)
            .send()
    };
    let r = asked("proxy-7f3a.2").await.unwrap();
    assert_eq!(r.headers()["x-request-id"], "proxy-7f3a.2");
    // Not an id: replaced by one of ours.
    let r = asked("no spaces or <angle brackets>").await.unwrap();
    let id = r.headers()["x-request-id"].to_str().unwrap();
    assert_eq!(id.len(), 32, "{id}");
    // Text logs name the id too.
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert!(server
        .log
        .lock()
        .unwrap()
        .contains("request_id=proxy-7f3a.2"));
}
