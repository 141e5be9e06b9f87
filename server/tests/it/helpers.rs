//! What the area modules share (zero2prod's `tests/api/helpers.rs`): the worked example's
//! files, test databases and the command line, the app in-process and the server binary,
//! browsers signed in per role, form and file posts, the mail folder, and the worlds most
//! tests start from.

use reqwest::multipart::{Form, Part};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

// The worked example -------------------------------------------------------------------

/// The worked example of spec/scoring.md, copied into the repo.
pub fn example(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fixtures/example")
        .join(file)
}

/// The worked example's framework file, as text.
pub fn example_framework() -> String {
    std::fs::read_to_string(example("framework.toml")).unwrap()
}

/// One of the worked example's expected outputs (JSON).
pub fn expected(file: &str) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(example(file)).unwrap()).unwrap()
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

// Databases and the command line -------------------------------------------------------

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

/// A database made once per test process and copied for each test that starts from it:
/// `make` fills it and returns what the tests need of it (authenticator secrets). SQLite: the
/// file is copied (in `CARGO_TARGET_TMPDIR`, removed with the next run's); PostgreSQL: made
/// afresh each time, as a database cannot be copied while others use the server.
pub fn from_template<T: Clone + Send + Sync + 'static>(
    slot: &'static std::sync::OnceLock<(PathBuf, T)>,
    make: impl FnOnce(&TestDb) -> T,
) -> (TestDb, T) {
    let fresh = TestDb::new();
    if fresh.is_postgres() {
        let made = make(&fresh);
        return (fresh, made);
    }
    let (file, made) = slot.get_or_init(|| {
        let db = TestDb::new();
        let made = make(&db);
        let dir = templates_dir().join(format!("{:p}", slot));
        std::fs::create_dir_all(&dir).expect("a template folder");
        // Every connection has closed (the commands have exited): the file and any write-ahead
        // log not yet checkpointed into it are the database whole.
        copy_database(db.dir.path(), &dir);
        (dir, made)
    });
    copy_database(file, fresh.dir.path());
    (fresh, made.clone())
}

/// Copies a closed SQLite database (`exemplar.db` and its write-ahead log, if any) between
/// folders.
fn copy_database(from: &Path, to: &Path) {
    for name in ["exemplar.db", "exemplar.db-wal"] {
        let source = from.join(name);
        if source.exists() {
            std::fs::copy(&source, to.join(name)).expect("the database copies");
        }
    }
}

/// This test process's folder of template databases; earlier runs' are removed.
fn templates_dir() -> &'static Path {
    static DIR: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("templates");
        let _ = std::fs::remove_dir_all(&root);
        root.join(std::process::id().to_string())
    })
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

    /// Writes `text` to the file `name` in this database's folder; returns its path.
    pub fn write(&self, name: &str, text: &str) -> String {
        let path = self.dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.display().to_string()
    }

    /// Writes a framework to the file `name` in this database's folder and loads it from
    /// the command line.
    pub fn load_framework(&self, name: &str, toml: &str) {
        let file = self.write(name, toml);
        self.ok(&["framework", "load", &file]);
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

/// The password of every account the tests create.
pub const PASSWORD: &str = "kettle orbit marmalade";

/// Creates an account from the command line; returns its authenticator secret, if any.
pub fn add_user(
    db: &TestDb,
    email: &str,
    role: &str,
    economy: Option<&str>,
    password: &str,
) -> Option<String> {
    let mut args = vec!["user", "add", "--email", email, "--role", role];
    if let Some(e) = economy {
        args.extend(["--economy", e]);
    }
    let out = db.run_with_input(&args, Some(format!("{password}\n").as_bytes()));
    assert!(out.status.success(), "{}", stderr(&out));
    let stdout = String::from_utf8(out.stdout).unwrap();
    stdout
        .lines()
        .find(|l| l.starts_with("otpauth://totp/"))
        .and_then(|l| l.split("secret=").nth(1))
        .map(|s| s.split('&').next().unwrap().to_string())
}

/// York's submitter sam and Leeds's submitter lee, with `PASSWORD`.
pub fn add_submitters(db: &TestDb) {
    add_user(db, "sam@york.nhs.uk", "submitter", Some("york"), PASSWORD);
    add_user(db, "lee@leeds.nhs.uk", "submitter", Some("leeds"), PASSWORD);
}

/// The id of the account with this email.
pub async fn user_id(pool: &app::db::Pool, email: &str) -> i64 {
    app::db::user_by_email(pool, email)
        .await
        .unwrap()
        .unwrap()
        .id
}

/// Drops the audit log's append-only guard, as someone who can change the schema could.
pub async fn drop_audit_guard(pool: &app::db::Pool, postgres: bool) {
    let statements: &[&str] = if postgres {
        &["DROP TRIGGER audit_log_no_change ON audit_log"]
    } else {
        &[
            "DROP TRIGGER audit_log_no_update",
            "DROP TRIGGER audit_log_no_delete",
        ]
    };
    for s in statements {
        sqlx::query(s).execute(pool).await.unwrap();
    }
}

/// The header of a trust register file.
pub const TRUSTS_HEAD: &str =
    "code,name,type,region,economy,epr_status,operational_date,planned_date\n";

/// A trust register: Leeds's and York's acute trusts operational (York's a day late),
/// a mental health trust of Leeds deploying, and an ambulance trust with no EPR.
pub fn trust_register() -> String {
    format!(
        "{TRUSTS_HEAD}\
         RR8,Leeds Teaching Hospitals NHS Trust,acute,Yorkshire and the Humber,leeds,operational,2014-04-01,\n\
         RCB,York Teaching Hospital NHS Foundation Trust,acute,Yorkshire and the Humber,york,operational,2014-04-02,\n\
         RGD,Leeds and York Partnership NHS Foundation Trust,mental-health,Yorkshire and the Humber,leeds,deploying,,2015-09-01\n\
         RX8,Yorkshire Ambulance Service NHS Trust,ambulance,Yorkshire and the Humber,,none,,\n"
    )
}

/// The worked example with `trust_register()` imported as trusts.csv.
pub fn example_with_trusts() -> TestDb {
    let db = TestDb::new();
    db.load_example();
    let file = db.write("trusts.csv", &trust_register());
    db.ok(&["import", "trusts", &file]);
    db
}

// The app in-process and the server binary ---------------------------------------------

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
        // As `serve` does: the register of organisations is there before the first request.
        app::service::ensure_organisations(&pool)
            .await
            .expect("the register of organisations");
        let today = today.map(|t| chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d").unwrap());
        let base = serve(pool, today, db.mail_dir(), tweak).await;
        TestApp {
            db,
            base,
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("a client"),
        }
    }

    /// The worked example published through the quarter `through`.
    pub async fn example_published_through(through: &str) -> Self {
        let db = TestDb::new();
        db.load_example();
        db.ok(&["publish", "--through", through]);
        Self::spawn(db, None).await
    }

    /// The demo's data, served on 2015-04-20.
    pub async fn demo() -> Self {
        static TEMPLATE: std::sync::OnceLock<(PathBuf, ())> = std::sync::OnceLock::new();
        let (db, ()) = from_template(&TEMPLATE, |db| {
            db.ok(&["demo"]);
        });
        Self::spawn(db, Some("2015-04-20")).await
    }

    /// Another instance of the app on the same database (as behind a load balancer).
    pub async fn another_instance(&self) -> String {
        let pool = app::db::open(&self.db.url)
            .await
            .expect("the database opens");
        serve(pool, None, self.db.mail_dir(), |_| {}).await
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

/// Serves the app on 127.0.0.1:0 from a task of this runtime, its messages written to
/// `mail`; returns its base URL.
async fn serve(
    pool: app::db::Pool,
    today: Option<chrono::NaiveDate>,
    mail: PathBuf,
    tweak: impl FnOnce(&mut app::state::AppState),
) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a port");
    let addr = listener.local_addr().expect("an address");
    let mut state = exemplar::web::state(pool, addr, Path::new("target/site"), today, false, None);
    state.mailer.dir = mail;
    tweak(&mut state);
    app::mail::spawn_dispatcher(state.pool.clone(), state.mailer.clone());
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

/// The server binary as a child process on a free port of this machine, what it says kept.
pub struct Server {
    pub child: std::process::Child,
    pub base: String,
    /// Everything it wrote (standard error and output), read as it comes so it never blocks.
    pub log: std::sync::Arc<std::sync::Mutex<String>>,
    /// What it wrote to standard output alone.
    pub stdout: std::sync::Arc<std::sync::Mutex<String>>,
}

impl Server {
    pub fn start(db: &TestDb) -> Server {
        Self::start_with_log(db, "warn")
    }

    /// With `EXEMPLAR_LOG` at `level`.
    pub fn start_with_log(db: &TestDb, level: &str) -> Server {
        Self::start_with_args(db, level, &[])
    }

    /// With `EXEMPLAR_LOG` at `level` and more arguments to `exemplar serve`.
    pub fn start_with_args(db: &TestDb, level: &str, args: &[&str]) -> Server {
        Self::start_with_env(db, level, args, &[])
    }

    /// With `EXEMPLAR_LOG` at `level`, more arguments and more environment variables.
    pub fn start_with_env(db: &TestDb, level: &str, args: &[&str], env: &[(&str, &str)]) -> Server {
        use std::io::{BufRead, BufReader};
        let mut child = Command::new(env!("CARGO_BIN_EXE_exemplar"))
            .args(["serve", "--addr", "127.0.0.1:0"])
            .args(args)
            .envs(env.iter().copied())
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
        let stdout = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
        let (tx, rx) = std::sync::mpsc::channel();
        for (stream, only) in [
            (
                Box::new(child.stderr.take().unwrap()) as Box<dyn std::io::Read + Send>,
                None,
            ),
            (Box::new(child.stdout.take().unwrap()), Some(stdout.clone())),
        ] {
            let (log, tx) = (log.clone(), tx.clone());
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    if let Some(i) = line.find("serving on http://") {
                        let rest = &line[i + "serving on ".len()..];
                        // A text line, or a JSON one (the address ends at its quote).
                        let address = rest.split(|c: char| c.is_whitespace() || c == '"');
                        let _ = tx.send(address.into_iter().next().unwrap().to_string());
                    }
                    if let Some(only) = &only {
                        let mut o = only.lock().unwrap();
                        o.push_str(&line);
                        o.push('\n');
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
        Server {
            child,
            base,
            log,
            stdout,
        }
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

// Browsers, signed in per role ---------------------------------------------------------

/// A browser: keeps cookies, follows no redirects, posts from this site.
#[derive(Clone)]
pub struct Browser {
    pub client: reqwest::Client,
    pub base: String,
}

/// What a browser was answered: the status, where it redirects, the body and the headers.
pub struct Page {
    pub status: u16,
    pub location: String,
    pub body: String,
    pub headers: reqwest::header::HeaderMap,
}

impl Browser {
    pub fn new(app: &TestApp) -> Self {
        Self::to(&app.base)
    }

    /// A new browser (no cookies yet) at `base`, such as the address of the server binary.
    pub fn to(base: &str) -> Self {
        Browser {
            client: reqwest::Client::builder()
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            base: base.to_string(),
        }
    }

    /// A new browser signed in as a submitter (no second factor), with `PASSWORD`.
    pub async fn submitter(app: &TestApp, email: &str) -> Self {
        let b = Self::new(app);
        b.sign_in(email, PASSWORD, None, 0).await;
        b
    }

    /// A new browser signed in as board staff (an assessor or an admin), with `PASSWORD`
    /// and the code their authenticator `secret` gives now.
    pub async fn staff(app: &TestApp, email: &str, secret: &str) -> Self {
        let b = Self::new(app);
        b.sign_in(email, PASSWORD, Some(secret), 0).await;
        b
    }

    /// The same browser (its cookies) at another address of the service.
    pub fn at(&self, base: &str) -> Self {
        Browser {
            client: self.client.clone(),
            base: base.to_string(),
        }
    }

    async fn page(r: reqwest::Response) -> Page {
        let status = r.status().as_u16();
        let headers = r.headers().clone();
        let location = headers
            .get("location")
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        Page {
            status,
            location,
            body: r.text().await.unwrap(),
            headers,
        }
    }

    pub async fn get(&self, path: &str) -> Page {
        Self::page(
            self.client
                .get(format!("{}{path}", self.base))
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    pub async fn post(&self, path: &str, form: &[(&str, &str)]) -> Page {
        Self::page(
            self.client
                .post(format!("{}{path}", self.base))
                .header("sec-fetch-site", "same-origin")
                .form(form)
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    /// Signs in; for board staff, with the code of the given time step offset (0 now).
    pub async fn sign_in(&self, email: &str, password: &str, secret: Option<&str>, step: u64) {
        let p = self
            .post("/sign-in", &[("email", email), ("password", password)])
            .await;
        assert_eq!(p.status, 303, "{}", p.body);
        if let Some(secret) = secret {
            assert_eq!(p.location, "/sign-in/code");
            let code = app::auth::totp_code(secret, now() + step * 30);
            let p = self.post("/sign-in/code", &[("code", &code)]).await;
            assert_eq!(p.status, 303, "{}", p.body);
        }
    }
}

/// Now, in seconds since 1970, as the one-time codes count it.
pub fn now() -> u64 {
    app::auth::unix_now() as u64
}

// Forms and files ----------------------------------------------------------------------

/// Posts a multipart form from this site, as a form with a file field is sent.
pub async fn post_multipart(b: &Browser, path: &str, form: Form) -> Page {
    Browser::page(
        b.client
            .post(format!("{}{path}", b.base))
            .header("sec-fetch-site", "same-origin")
            .multipart(form)
            .send()
            .await
            .unwrap(),
    )
    .await
}

/// A multipart form of text fields.
pub fn form(pairs: &[(&str, &str)]) -> Form {
    pairs.iter().fold(Form::new(), |f, (k, v)| {
        f.text(k.to_string(), v.to_string())
    })
}

/// A file for a multipart form.
pub fn file(name: &str, bytes: Vec<u8>) -> Part {
    Part::bytes(bytes).file_name(name.to_string())
}

/// A small valid PDF.
pub const PDF: &[u8] =
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

/// A complete self-nomination of a partnership named `name` with `email` its lead contact.
pub fn nomination_form<'a>(name: &'a str, email: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("name", name),
        ("region", "Yorkshire and the Humber"),
        ("org-1-name", "Mid Yorkshire Hospitals NHS Trust"),
        ("org-1-code", "RXF"),
        ("org-1-kind", "acute"),
        ("org-2-name", "Wakefield Council"),
        ("org-2-kind", "social-care"),
        ("lead_name", "Priya Shah"),
        ("lead_email", email),
        ("lead_role", "Chief clinical information officer"),
        ("vision", "One shared record for everyone in the district."),
        (
            "in_place",
            "Operational EPR in the acute trust; GP2GP in every practice.",
        ),
        ("benefits", "Fewer repeated tests and faster discharge."),
    ]
}

// Mail ---------------------------------------------------------------------------------

/// The messages written to a mail folder, oldest first: (to, text).
pub fn mail_in(dir: &Path) -> Vec<(String, String)> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort();
    files
        .iter()
        .map(|f| {
            // As a mail client reads it: quoted-printable's soft line breaks and escaped "="
            // undone (links are longer than its 76-character lines).
            let text = std::fs::read_to_string(f)
                .expect("a message")
                .replace("=\r\n", "")
                .replace("=3D", "=");
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

/// The link of `path_start` (like "/reset-password?token=") in the newest message to `to`,
/// waiting up to 15 seconds for it to be sent.
pub async fn token_sent_to(dir: &Path, to: &str, path_start: &str) -> String {
    let start = std::time::Instant::now();
    let text = loop {
        let found = mail_in(dir)
            .into_iter()
            .rev()
            .find(|(t, text)| t == to && text.contains(path_start));
        match found {
            Some((_, text)) => break text,
            None if start.elapsed() > std::time::Duration::from_secs(15) => {
                panic!("no message to {to} with {path_start}")
            }
            None => tokio::time::sleep(std::time::Duration::from_millis(100)).await,
        }
    };
    let start = text.find(path_start).unwrap() + path_start.len();
    text[start..]
        .chars()
        .take_while(|c| c.is_ascii_hexdigit())
        .collect()
}

// Worlds -------------------------------------------------------------------------------

/// The worked example with one account of each role: submitters of york and leeds.
pub struct World {
    pub app: TestApp,
    pub assessor: String,
    pub admin: String,
}

pub async fn world() -> World {
    static TEMPLATE: std::sync::OnceLock<(PathBuf, (String, String))> = std::sync::OnceLock::new();
    let (db, (assessor, admin)) = from_template(&TEMPLATE, |db| {
        db.load_example();
        add_submitters(db);
        db.ok(&["publish", "--through", "2014-Q2"]);
        let assessor = add_user(db, "ann@board.nhs.uk", "assessor", None, PASSWORD).unwrap();
        let admin = add_user(db, "ada@board.nhs.uk", "admin", None, PASSWORD).unwrap();
        (assessor, admin)
    });
    let app = TestApp::spawn(db, None).await;
    World {
        app,
        assessor,
        admin,
    }
}

impl World {
    pub async fn as_role(&self, role: &str) -> Option<Browser> {
        let app = &self.app;
        Some(match role {
            "anonymous" => return None,
            "submitter-a" => Browser::submitter(app, "sam@york.nhs.uk").await,
            "submitter-b" => Browser::submitter(app, "lee@leeds.nhs.uk").await,
            // Each staff sign-in uses a later time step: a code works once.
            "assessor" => Browser::staff(app, "ann@board.nhs.uk", &self.assessor).await,
            "admin" => Browser::staff(app, "ada@board.nhs.uk", &self.admin).await,
            _ => unreachable!(),
        })
    }
}

/// The world of the accounts tests on the default framework (its nomination window is
/// 1 October 2013 to 31 May 2015), served with the given today.
pub async fn world_on(today: Option<&str>) -> World {
    let mut w = world().await;
    let framework =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../frameworks/exemplar-2015.toml");
    w.app
        .db
        .ok(&["framework", "load", framework.to_str().unwrap()]);
    let db = std::mem::take(&mut w.app.db);
    w.app = TestApp::spawn(db, today).await;
    w
}

/// `world_on` a day inside the nomination window.
pub async fn open_world() -> World {
    world_on(Some("2014-06-01")).await
}

/// The `version` a page's form was opened with (the first on the page).
pub fn version_of(body: &str) -> String {
    let at = body.find("name=\"version\"").expect("a version field");
    let rest = &body[at..];
    let v = rest.find("value=\"").unwrap() + 7;
    rest[v..v + rest[v..].find('"').unwrap()].to_string()
}
