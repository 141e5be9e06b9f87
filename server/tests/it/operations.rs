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
    // Each request its own.
    let again = browser.get("/economies").await;
    assert_ne!(again.headers["x-request-id"], id.as_str());
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

/// Reads the Prometheus text format strictly: every line a comment (`# HELP`, `# TYPE`,
/// `# UNIT`, `# EOF` last) or `name{label="value",...} number`. Gives each sample's series
/// (name and labels as written) and value.
fn parse_prometheus(text: &str) -> Vec<(String, f64)> {
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.last(), Some(&"# EOF"), "ends with # EOF");
    let name_ok = |n: &str| {
        !n.is_empty()
            && n.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b':')
            && !n.as_bytes()[0].is_ascii_digit()
    };
    let mut samples = Vec::new();
    for line in &lines[..lines.len() - 1] {
        if let Some(rest) = line.strip_prefix("# ") {
            let mut bits = rest.splitn(3, ' ');
            let kind = bits.next().unwrap();
            assert!(["HELP", "TYPE", "UNIT"].contains(&kind), "{line}");
            assert!(name_ok(bits.next().unwrap_or_default()), "{line}");
            continue;
        }
        let (series, value) = line.rsplit_once(' ').unwrap_or_else(|| panic!("{line}"));
        let value: f64 = value
            .parse()
            .unwrap_or_else(|_| panic!("not a number: {line}"));
        let name = series.split('{').next().unwrap();
        assert!(name_ok(name), "{line}");
        if let Some(labels) = series.strip_prefix(name).filter(|l| !l.is_empty()) {
            let inner = labels
                .strip_prefix('{')
                .and_then(|l| l.strip_suffix('}'))
                .unwrap_or_else(|| panic!("{line}"));
            for pair in inner.split("\",") {
                let (k, v) = pair.split_once("=\"").unwrap_or_else(|| panic!("{line}"));
                assert!(name_ok(k), "{line}");
                assert!(!v.trim_end_matches('"').contains('"'), "{line}");
            }
        }
        samples.push((series.to_string(), value));
    }
    samples
}

fn sample(samples: &[(String, f64)], series: &str) -> f64 {
    samples
        .iter()
        .find(|(s, _)| s == series)
        .map(|(_, v)| *v)
        .unwrap_or_else(|| panic!("no {series} among {samples:?}"))
}

#[tokio::test]
async fn metrics_count_requests_and_the_cache_for_allowed_addresses_only() {
    let db = TestDb::new();
    db.load_example();
    db.ok(&["publish", "--through", "2014-Q2"]);
    let server = Server::start(&db);
    let client = reqwest::Client::new();
    let get = |path: &str| client.get(format!("{}{path}", server.base)).send();
    for _ in 0..3 {
        assert_eq!(get("/economies").await.unwrap().status(), 200);
    }
    assert_eq!(get("/economies/york").await.unwrap().status(), 200);
    assert_eq!(get("/no-such-page").await.unwrap().status(), 404);

    let r = get("/metrics").await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/openmetrics-text"));
    let samples = parse_prometheus(&r.text().await.unwrap());
    let requests = |route: &str, status: u16| {
        sample(
            &samples,
            &format!(
                "exemplar_http_requests_total{{route=\"{route}\",method=\"GET\",status=\"{status}\"}}"
            ),
        )
    };
    assert_eq!(requests("/economies", 200), 3.0);
    // By the route's pattern, never the path itself.
    assert_eq!(requests("/economies/{slug}", 200), 1.0);
    assert_eq!(requests("unmatched", 404), 1.0);
    assert_eq!(
        sample(
            &samples,
            "exemplar_http_request_duration_seconds_count{route=\"/economies\"}"
        ),
        3.0
    );
    // The first /economies was rendered, the next two came from memory.
    assert!(
        sample(
            &samples,
            "exemplar_page_cache_requests_total{outcome=\"hit\"}"
        ) >= 2.0
    );
    assert!(
        sample(
            &samples,
            "exemplar_page_cache_requests_total{outcome=\"miss\"}"
        ) >= 2.0
    );
    assert!(sample(&samples, "exemplar_db_pool_connections{state=\"idle\"}") >= 0.0);
    assert_eq!(
        sample(&samples, "exemplar_mail_messages{state=\"failed\"}"),
        0.0
    );
    // The example's three quarters up to 2014-Q2.
    assert_eq!(
        sample(&samples, "exemplar_publications{kind=\"first\"}"),
        3.0
    );
    assert_eq!(
        sample(&samples, "exemplar_publications{kind=\"revision\"}"),
        0.0
    );

    // Allowed elsewhere only: refused to this (loopback) address.
    let elsewhere = Server::start_with_args(&db, "warn", &["--metrics-allow", "10.0.0.0/8"]);
    let r = client
        .get(format!("{}/metrics", elsewhere.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert!(!r.text().await.unwrap().contains("exemplar_"));

    // Behind a trusted proxy the address is the client's it forwarded, not the proxy's.
    let proxied = Server::start_with_args(&db, "warn", &["--trust-proxy"]);
    let through = |from: &'static str| {
        client
            .get(format!("{}/metrics", proxied.base))
            .header("x-forwarded-for", from)
            .send()
    };
    assert_eq!(through("203.0.113.9").await.unwrap().status(), 403);
    assert_eq!(through("127.0.0.1").await.unwrap().status(), 200);

    // A list that does not read stops the server before it starts, saying which entry.
    let out = db.run(&[
        "serve",
        "--metrics-allow",
        "10.0.0.0/8, prometheus.internal",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("\"prometheus.internal\""), "{said}");
}

/// Stops a throwaway PostgreSQL cluster however the test ends.
struct Cluster(std::path::PathBuf);

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = std::process::Command::new(pg_test_script())
            .arg("stop")
            .arg(&self.0)
            .status();
    }
}

fn pg_test_script() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/pg-test.sh")
}

#[test]
fn postgresql_over_tls_is_verified_and_plain_connections_are_refused() {
    let installed = std::fs::read_dir("/usr/lib/postgresql")
        .map(|d| d.flatten().any(|v| v.path().join("bin/initdb").exists()))
        .unwrap_or(false);
    if !installed {
        eprintln!("SKIPPED: PostgreSQL is not installed (make test installs it)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let cluster = Cluster(dir.path().join("pg"));
    let started = std::process::Command::new(pg_test_script())
        .arg("start-tls")
        .arg(&cluster.0)
        .output()
        .unwrap();
    assert!(
        started.status.success(),
        "{}",
        String::from_utf8_lossy(&started.stderr)
    );
    let base = String::from_utf8(started.stdout)
        .unwrap()
        .trim()
        .to_string();
    let ca = cluster.0.join("ca.pem");
    let migrate = |params: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_exemplar"))
            .args([
                "--database-url",
                &format!("{base}/postgres?{params}"),
                "migrate",
            ])
            .env("EXEMPLAR_AUDIT_KEY_FILE", crate::helpers::audit_key_file())
            .env_remove("EXEMPLAR_CONFIG")
            .current_dir(dir.path())
            .output()
            .unwrap()
    };
    // Without TLS the server refuses the connection.
    let plain = migrate("sslmode=disable");
    assert!(!plain.status.success());
    // With TLS but a certificate from an authority the service does not know: refused.
    let unknown = migrate("sslmode=verify-full");
    assert!(!unknown.status.success());
    let said = String::from_utf8_lossy(&unknown.stderr).to_lowercase();
    assert!(said.contains("certificate"), "{said}");
    // With the authority given, the certificate and the host name are checked, and it works.
    let verified = migrate(&format!("sslmode=verify-full&sslrootcert={}", ca.display()));
    assert!(
        verified.status.success(),
        "{}",
        String::from_utf8_lossy(&verified.stderr)
    );
}
