//! Integration tests: the real binary and the real server against real SQLite files.
//! One test binary (zero2prod's layout): helpers here, areas in modules.

mod access;
mod accounts;
mod api;
mod assessment;
mod backends;
mod benefits;
mod cli;
mod hardening;
mod my_economy;
mod nominations;
mod pages;
mod panel;
mod public;
mod security;
mod storage;
mod submissions;
mod trusts;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The worked example of spec/scoring.md, copied into the repo.
pub fn example(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fixtures/example")
        .join(file)
}

/// The audit key of this test process: one file, loaded here for the servers and services
/// the tests run in-process, and named to every `exemplar` the tests start, so both chain
/// the same log with the same key.
pub fn audit_key_file() -> &'static Path {
    static FILE: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    FILE.get_or_init(|| {
        let path =
            std::env::temp_dir().join(format!("exemplar-test-audit-{}.key", std::process::id()));
        let _ = std::fs::remove_file(&path);
        let (key, _) = app::audit::load_or_create_key(&path, true).expect("a test audit key");
        app::audit::install_key(key).expect("the key installs");
        path
    })
}

/// The messages with one-time links written to a mail folder, oldest first: (to, text).
pub fn mail_in(dir: &Path) -> Vec<(String, String)> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort();
    files
        .iter()
        .map(|f| {
            let text = std::fs::read_to_string(f).expect("a message");
            let to = text
                .lines()
                .find_map(|l| l.strip_prefix("To: "))
                .unwrap_or_default()
                .trim()
                .to_string();
            (to, text)
        })
        .collect()
}

/// The link of `path_start` (like "/reset-password?token=") in the newest message to `to`.
pub fn token_sent_to(dir: &Path, to: &str, path_start: &str) -> String {
    let (_, text) = mail_in(dir)
        .into_iter()
        .rev()
        .find(|(t, text)| t == to && text.contains(path_start))
        .unwrap_or_else(|| panic!("no message to {to} with {path_start}"));
    let start = text.find(path_start).unwrap() + path_start.len();
    text[start..]
        .chars()
        .take_while(|c| c.is_ascii_hexdigit())
        .collect()
}

/// A fresh database file in its own temporary folder.
pub struct TestDb {
    pub dir: tempfile::TempDir,
    pub url: String,
}

impl Default for TestDb {
    fn default() -> Self {
        Self::new()
    }
}

impl TestDb {
    /// A fresh SQLite file, or, when `EXEMPLAR_TEST_POSTGRES` names a PostgreSQL server
    /// (`make test` starts a throwaway one), a fresh database on it.
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let url = match std::env::var("EXEMPLAR_TEST_POSTGRES") {
            Ok(base) if !base.is_empty() => postgres_database(&base),
            _ => format!("sqlite://{}/exemplar.db", dir.path().display()),
        };
        TestDb { dir, url }
    }

    pub fn is_postgres(&self) -> bool {
        self.url.starts_with("postgres")
    }

    /// Runs `exemplar` with this database and a fixed today.
    pub fn run(&self, args: &[&str]) -> Output {
        self.run_with_input(args, None)
    }

    pub fn run_with_input(&self, args: &[&str], stdin: Option<&[u8]>) -> Output {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_exemplar"));
        cmd.args(args)
            .env("DATABASE_URL", &self.url)
            .env("EXEMPLAR_AUDIT_KEY_FILE", audit_key_file())
            .env("EXEMPLAR_TODAY", "2015-04-20")
            .env_remove("EXEMPLAR_CONFIG")
            .current_dir(self.dir.path())
            .stdin(if stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("exemplar starts");
        if let Some(input) = stdin {
            use std::io::Write;
            child
                .stdin
                .take()
                .expect("stdin")
                .write_all(input)
                .expect("writes stdin");
        }
        child.wait_with_output().expect("exemplar finishes")
    }

    /// Runs and expects success, returning standard output.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "exemplar {args:?} failed with {:?}:\n{}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("UTF-8 output")
    }

    /// Loads the worked example: framework, economies, values.
    pub fn load_example(&self) {
        for args in [
            [
                "framework",
                "load",
                example("framework.toml").to_str().unwrap(),
            ],
            [
                "import",
                "economies",
                example("economies.csv").to_str().unwrap(),
            ],
            ["import", "values", example("values.csv").to_str().unwrap()],
        ] {
            self.ok(&args);
        }
    }

    pub async fn pool(&self) -> app::db::Pool {
        audit_key_file();
        app::db::open(&self.url).await.expect("the database opens")
    }

    /// Where the servers the tests start write messages with one-time links.
    pub fn mail_dir(&self) -> PathBuf {
        self.dir.path().join("mail")
    }
}

/// Creates a new, empty database on the PostgreSQL server at `base` and returns its URL.
fn postgres_database(base: &str) -> String {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let name = format!(
        "t{}_{}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos()
    );
    let base = base.trim_end_matches('/').to_string();
    let admin = format!("{base}/postgres");
    let create = name.clone();
    // On its own thread and runtime: tests call this from inside and outside tokio.
    std::thread::spawn(move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(async move {
                use sqlx::Connection;
                let mut c = sqlx::PgConnection::connect(&admin)
                    .await
                    .expect("the test PostgreSQL server answers");
                sqlx::query(&format!("CREATE DATABASE {create}"))
                    .execute(&mut c)
                    .await
                    .expect("a test database");
            })
    })
    .join()
    .unwrap();
    format!("{base}/{name}")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Compares JSON, numbers within 1e-9, every expected key present.
pub fn assert_json_close(actual: &serde_json::Value, expected: &serde_json::Value, path: &str) {
    use serde_json::Value;
    match (actual, expected) {
        (Value::Number(a), Value::Number(e)) => {
            let (a, e) = (a.as_f64().unwrap(), e.as_f64().unwrap());
            assert!((a - e).abs() < 1e-9, "{path}: {a} != {e}");
        }
        (Value::Object(a), Value::Object(e)) => {
            for (k, ev) in e {
                let av = a.get(k).unwrap_or_else(|| panic!("{path}.{k} is missing"));
                assert_json_close(av, ev, &format!("{path}.{k}"));
            }
        }
        (Value::Array(a), Value::Array(e)) => {
            assert_eq!(a.len(), e.len(), "{path}: lengths differ");
            for (i, (av, ev)) in a.iter().zip(e).enumerate() {
                assert_json_close(av, ev, &format!("{path}[{i}]"));
            }
        }
        _ => assert_eq!(actual, expected, "{path}"),
    }
}

/// The real app, built by the same function as `main`, on 127.0.0.1:0.
pub struct TestApp {
    pub db: TestDb,
    pub base: String,
    pub client: reqwest::Client,
}

impl TestApp {
    pub async fn spawn(db: TestDb, today: Option<&str>) -> Self {
        Self::spawn_with(db, today, |_| {}).await
    }

    /// The real app with a setting changed (behind a proxy, an https public URL, ...).
    pub async fn spawn_with(
        db: TestDb,
        today: Option<&str>,
        tweak: impl FnOnce(&mut app::state::AppState),
    ) -> Self {
        let pool = db.pool().await;
        app::service::active_framework(&pool)
            .await
            .expect("a framework");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a port");
        let addr = listener.local_addr().expect("an address");
        let today = today.map(|t| chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d").unwrap());
        let mut state =
            exemplar::web::state(pool, addr, Path::new("target/site"), today, false, None);
        state.mailer.dir = db.mail_dir();
        tweak(&mut state);
        tokio::spawn(async move {
            axum::serve(
                listener,
                exemplar::web::router(state)
                    .into_make_service_with_connect_info::<std::net::SocketAddr>(),
            )
            .await
            .expect("serves");
        });
        TestApp {
            db,
            base: format!("http://{addr}"),
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("a client"),
        }
    }

    /// Another instance of the app on the same database (as behind a load balancer).
    pub async fn another_instance(&self) -> String {
        let pool = app::db::open(&self.db.url)
            .await
            .expect("the database opens");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a port");
        let addr = listener.local_addr().expect("an address");
        let mut state =
            exemplar::web::state(pool, addr, Path::new("target/site"), None, false, None);
        state.mailer.dir = self.db.mail_dir();
        tokio::spawn(async move {
            axum::serve(
                listener,
                exemplar::web::router(state)
                    .into_make_service_with_connect_info::<std::net::SocketAddr>(),
            )
            .await
            .expect("serves");
        });
        format!("http://{addr}")
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .expect("a response")
    }

    pub async fn json(&self, path: &str) -> (u16, serde_json::Value) {
        let r = self.get(path).await;
        let status = r.status().as_u16();
        (status, r.json().await.expect("a JSON body"))
    }

    pub async fn html(&self, path: &str) -> (u16, String) {
        let r = self.get(path).await;
        let status = r.status().as_u16();
        (status, r.text().await.expect("a body"))
    }
}

/// The server binary as a child process on a free port of this machine, what it says kept.
pub struct Server {
    pub child: std::process::Child,
    pub base: String,
    /// Everything it wrote (standard error and output), read as it comes so it never blocks.
    pub log: std::sync::Arc<std::sync::Mutex<String>>,
}

impl Server {
    pub fn start(db: &TestDb) -> Server {
        Self::start_with_log(db, "warn")
    }

    /// With `EXEMPLAR_LOG` at `level`.
    pub fn start_with_log(db: &TestDb, level: &str) -> Server {
        use std::io::{BufRead, BufReader};
        let mut child = Command::new(env!("CARGO_BIN_EXE_exemplar"))
            .args(["serve", "--addr", "127.0.0.1:0"])
            .env("DATABASE_URL", &db.url)
            .env("EXEMPLAR_AUDIT_KEY_FILE", audit_key_file())
            .env("EXEMPLAR_TODAY", "2015-04-20")
            .env("EXEMPLAR_LOG", level)
            .env_remove("EXEMPLAR_CONFIG")
            .current_dir(db.dir.path())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("exemplar starts");
        let log = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
        let (tx, rx) = std::sync::mpsc::channel();
        for stream in [
            Box::new(child.stderr.take().unwrap()) as Box<dyn std::io::Read + Send>,
            Box::new(child.stdout.take().unwrap()),
        ] {
            let (log, tx) = (log.clone(), tx.clone());
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    if let Some(i) = line.find("serving on http://") {
                        let rest = &line[i + "serving on ".len()..];
                        let _ = tx.send(rest.split_whitespace().next().unwrap().to_string());
                    }
                    let mut l = log.lock().unwrap();
                    l.push_str(&line);
                    l.push('\n');
                }
            });
        }
        let base = rx
            .recv_timeout(std::time::Duration::from_secs(60))
            .expect("the server says where it serves");
        Server { child, base, log }
    }

    pub fn signal(&self, sig: &str) {
        let ok = Command::new("kill")
            .args([sig, &self.child.id().to_string()])
            .status()
            .unwrap()
            .success();
        assert!(ok, "kill {sig}");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
