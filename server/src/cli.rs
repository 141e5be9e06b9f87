//! The command line of spec/cli.md: parsing, exit statuses and messages. Results go to
//! standard output; progress, summaries and problems to standard error.

use crate::config::{FileConfig, DEFAULT_ADDR, DEFAULT_DATABASE_URL};
use app::db::{self, Pool};
use app::domain::Quarter;
use app::service::{self, ServiceError};
use chrono::NaiveDate;
use clap::{Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Read, Write};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

pub use crate::exit::{Failure, DATABASE, REFUSED, USAGE};

fn parse_quarter(s: &str) -> Result<Quarter, String> {
    s.parse::<Quarter>().map_err(|e| e.to_string())
}

fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .filter(|_| s.len() == 10)
        .ok_or_else(|| format!("\"{s}\" is not a date (YYYY-MM-DD)"))
}

#[derive(Debug, Parser)]
#[command(
    name = "exemplar",
    version,
    about = "Runs the search for an NHS exemplar of interoperability: the web app and every administrative job."
)]
pub struct Cli {
    /// Database URL [default: sqlite://data/exemplar.db]
    #[arg(long, global = true, env = "DATABASE_URL")]
    pub database_url: Option<String>,

    /// The date the programme takes as today, YYYY-MM-DD [default: the system clock]
    #[arg(long, global = true, env = "EXEMPLAR_TODAY", value_parser = parse_date)]
    pub today: Option<NaiveDate>,

    /// Configuration file read for settings not given as flags or environment variables
    #[arg(
        long,
        global = true,
        env = "EXEMPLAR_CONFIG",
        default_value = "exemplar.toml"
    )]
    pub config: PathBuf,

    /// The audit log's key file, created (mode 0600) on first start; back it up with the
    /// database [default: data/audit.key]
    #[arg(long, global = true, env = "EXEMPLAR_AUDIT_KEY_FILE")]
    pub audit_key_file: Option<PathBuf>,

    /// The SMTP server that sends mail, in lettre's URL form: smtp://host:25,
    /// smtp://user:pass@host:587?tls=required (STARTTLS) or smtps://host:465. Without it,
    /// messages are written as .eml files into the mail folder
    #[arg(long, global = true, env = "EXEMPLAR_SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<String>,

    /// The sender of mail, as "Name <address>" [default: Exemplar <noreply@HOST of the
    /// public URL>]
    #[arg(long, global = true, env = "EXEMPLAR_MAIL_FROM")]
    pub mail_from: Option<String>,

    /// Folder where messages are written as .eml files when there is no SMTP server,
    /// readable only by this service's user [default: data/mail]
    #[arg(long, global = true, env = "EXEMPLAR_MAIL_DIR")]
    pub mail_dir: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the web app
    Serve {
        /// Address to listen on [default: 127.0.0.1:3000]
        #[arg(long, env = "EXEMPLAR_ADDR")]
        addr: Option<SocketAddr>,
        /// Load the demo data set into an empty database first and take its today
        #[arg(long)]
        demo: bool,
        /// Folder of the built site (CSS, wasm, images) [default: target/site]
        #[arg(long, env = "LEPTOS_SITE_ROOT")]
        site_root: Option<PathBuf>,
        /// Where people reach the service, for links in messages; https makes cookies
        /// Secure and adds HSTS [default: http://ADDR]
        #[arg(long, env = "EXEMPLAR_PUBLIC_URL")]
        public_url: Option<String>,
        /// Behind a reverse proxy: take client addresses from X-Forwarded-For
        #[arg(long, env = "EXEMPLAR_TRUST_PROXY")]
        trust_proxy: bool,
        /// Addresses or networks that may read /metrics, separated by commas
        /// [default: 127.0.0.0/8, ::1]
        #[arg(long, env = "EXEMPLAR_METRICS_ALLOW")]
        metrics_allow: Option<String>,
    },
    /// The mail queue
    Mail {
        #[command(subcommand)]
        command: MailCommand,
    },
    /// Apply pending migrations and exit
    Migrate,
    /// Load or list frameworks
    Framework {
        #[command(subcommand)]
        command: FrameworkCommand,
    },
    /// Import economies, values, trusts or the panel's conflicts and scores from CSV
    Import {
        #[command(subcommand)]
        command: ImportCommand,
    },
    /// The selection panel
    Panel {
        #[command(subcommand)]
        command: PanelCommand,
    },
    /// Print live scores for any quarter, published or not
    Scores {
        /// The quarter, YYYY-Qn [default: the latest with a value]
        #[arg(long, value_parser = parse_quarter)]
        as_of: Option<Quarter>,
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
    },
    /// Publish quarters, or revise a published one
    Publish {
        /// Publish every quarter up to and including this one that is not yet published
        #[arg(long, value_parser = parse_quarter, required_unless_present = "revise", conflicts_with = "revise")]
        through: Option<Quarter>,
        /// Revise a published quarter from the current data
        #[arg(long, value_parser = parse_quarter, requires = "reason")]
        revise: Option<Quarter>,
        /// Why the quarter is revised (shown publicly)
        #[arg(long, requires = "revise")]
        reason: Option<String>,
    },
    /// Load the demo data set into an empty database
    Demo,
    /// Write a consistent copy of the whole database while the app may be running
    Backup { file: PathBuf },
    /// Restore a backup (stop the app first); a database that is not empty needs --force
    Restore {
        file: PathBuf,
        #[arg(long)]
        force: bool,
    },
    /// Manage accounts
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Check the audit log
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Print the shell's completion script for these commands (the package installs them)
    Completions {
        /// bash, zsh, fish, elvish or powershell
        shell: clap_complete::Shell,
    },
    /// Write the manual pages of these commands (exemplar.1, exemplar-serve.1, …) into a
    /// folder (the package installs them)
    Manual { dir: PathBuf },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account; the password is read from standard input, or, when standard input
    /// is a terminal, a one-time link to set one is printed
    Add {
        #[arg(long)]
        email: String,
        /// submitter, assessor or admin
        #[arg(long, value_parser = parse_role)]
        role: app::domain::account::Role,
        /// The economy (slug) of a submitter
        #[arg(long)]
        economy: Option<String>,
        /// Base of the printed link [default: http://127.0.0.1:3000]
        #[arg(long, env = "EXEMPLAR_PUBLIC_URL")]
        public_url: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum MailCommand {
    /// Send what the mail queue holds that is due, once, and exit (for deployments that send
    /// from a timer; `exemplar serve` sends as it runs)
    Send {
        /// Where people reach the service, for links in messages [default: http://127.0.0.1:3000]
        #[arg(long, env = "EXEMPLAR_PUBLIC_URL")]
        public_url: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Check the audit log's hash chain; exit 1 naming the first broken entry
    Verify,
}

fn parse_role(s: &str) -> Result<app::domain::account::Role, String> {
    s.parse()
}

#[derive(Debug, Subcommand)]
pub enum FrameworkCommand {
    /// Validate a framework file and store it as the new active version
    Load { file: PathBuf },
    /// List stored frameworks and versions, the active one marked
    List,
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Create or update economies (slug,name,region)
    Economies { file: PathBuf },
    /// Import values against the active framework (economy,period,criterion,value,status)
    Values { file: PathBuf },
    /// Import the trust EPR register
    /// (code,name,type,region,economy,epr_status,operational_date,planned_date)
    Trusts { file: PathBuf },
    /// Refresh the register of NHS organisations (ODS codes) from an extract in one of the
    /// layouts of reference/ods-2013-2015/ (regions, area teams, CCGs, trusts, GP practices,
    /// trust successors); an organisation missing from the file is closed, never deleted
    Organisations { file: PathBuf },
    /// Import the selection panel's declared conflicts (member,economy,reason)
    PanelConflicts { file: PathBuf },
    /// Import submitted panel scores (member,economy,question,score,comment)
    PanelScores { file: PathBuf },
}

#[derive(Debug, Subcommand)]
pub enum PanelCommand {
    /// Print the panel's results for the active framework (exit 1 when it has no panel)
    Results {
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Json,
    Csv,
}

/// Thousands separators for summaries: 1,204.
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The manual: `exemplar.1` and a page for every command (`exemplar-import-values.1`).
fn write_manual(dir: &std::path::Path) -> std::io::Result<usize> {
    std::fs::create_dir_all(dir)?;
    let mut command = <Cli as clap::CommandFactory>::command();
    command.build();
    let mut written = 0;
    let mut pages = vec![(String::from("exemplar"), command)];
    while let Some((name, command)) = pages.pop() {
        let mut out = Vec::new();
        clap_mangen::Man::new(command.clone().name(name.clone())).render(&mut out)?;
        std::fs::write(dir.join(format!("{name}.1")), out)?;
        written += 1;
        for sub in command.get_subcommands().filter(|s| s.get_name() != "help") {
            pages.push((format!("{name}-{}", sub.get_name()), sub.clone()));
        }
    }
    Ok(written)
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            use clap::error::ErrorKind;
            if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
                let _ = e.print();
                return ExitCode::SUCCESS;
            }
            // A usage error: the problem, then a short usage text (exit 2).
            let message = e.render().to_string();
            for line in message
                .lines()
                .filter(|l| !l.starts_with("For more information"))
            {
                eprintln!("{line}");
            }
            if !message.contains("Usage:") {
                eprintln!(
                    "{}",
                    <Cli as clap::CommandFactory>::command().render_usage()
                );
            }
            eprintln!(
                "Run 'exemplar --help' for the commands, or 'exemplar COMMAND --help' for one."
            );
            return ExitCode::from(USAGE);
        }
    };
    // Commands that describe the command line need no configuration and no database.
    match &cli.command {
        Command::Completions { shell } => {
            let mut command = <Cli as clap::CommandFactory>::command();
            let mut script = Vec::new();
            clap_complete::generate(*shell, &mut command, "exemplar", &mut script);
            // A closed pipe (`| head`) is the reader's choice, not a failure.
            let _ = std::io::Write::write_all(&mut std::io::stdout(), &script);
            return ExitCode::SUCCESS;
        }
        Command::Manual { dir } => {
            return match write_manual(dir) {
                Ok(n) => {
                    eprintln!("wrote {n} manual pages to {}", dir.display());
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!(
                        "exemplar: cannot write the manual pages to {}: {e}",
                        dir.display()
                    );
                    ExitCode::from(REFUSED)
                }
            };
        }
        _ => {}
    }
    let file = match FileConfig::read(&cli.config) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("exemplar: configuration file {e}");
            return ExitCode::from(USAGE);
        }
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime starts");
    match runtime.block_on(run(cli, file)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure(code, lines)) => {
            for l in lines {
                eprintln!("{l}");
            }
            ExitCode::from(code)
        }
    }
}

/// Reads a file named on the command line (`-` for standard input).
fn read_input(path: &PathBuf) -> Result<(String, Vec<u8>), Failure> {
    if path.as_os_str() == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buf)
            .map_err(|e| Failure(REFUSED, vec![format!("exemplar: stdin: {e}")]))?;
        return Ok(("stdin".into(), buf));
    }
    let name = path.display().to_string();
    std::fs::read(path)
        .map(|b| (name.clone(), b))
        .map_err(|e| Failure(REFUSED, vec![format!("exemplar: cannot read {name}: {e}")]))
}

fn refused(name: &str, e: ServiceError) -> Failure {
    match e {
        ServiceError::Refused(problems) => {
            let mut lines: Vec<String> = problems.iter().map(|p| p.display_for(name)).collect();
            lines.push(format!(
                "exemplar: {name} refused: {} problem{}; nothing was stored",
                problems.len(),
                if problems.len() == 1 { "" } else { "s" }
            ));
            Failure(REFUSED, lines)
        }
        other => other.into(),
    }
}

async fn open(url: &str) -> Result<Pool, Failure> {
    db::open(url)
        .await
        .map_err(|e| Failure(DATABASE, vec![format!("exemplar: {e}")]))
}

async fn run(cli: Cli, file: FileConfig) -> Result<(), Failure> {
    let url = cli
        .database_url
        .or(file.database_url)
        .unwrap_or_else(|| DEFAULT_DATABASE_URL.to_string());
    let today_setting = cli.today.or(file.today);
    let today = today_setting.unwrap_or_else(|| chrono::Local::now().date_naive());
    let pool = open(&url).await?;
    let key_file = cli
        .audit_key_file
        .or(file.audit_key_file.clone())
        .unwrap_or_else(|| PathBuf::from("data/audit.key"));
    load_audit_key(&pool, &key_file).await?;
    let mail = MailSettings {
        smtp_url: cli.smtp_url.or(file.smtp_url.clone()),
        from: cli.mail_from.or(file.mail_from.clone()),
        dir: cli
            .mail_dir
            .or(file.mail_dir.clone())
            .unwrap_or_else(|| PathBuf::from("data/mail")),
    };
    let by = "command line";
    // Business times of every command run on the programme's clock (`--today`).
    app::clock::running_on(today_setting, async move {
    match cli.command {
        Command::Migrate => {
            eprintln!("database {url} is up to date");
        }
        Command::Serve {
            addr,
            demo,
            site_root,
            public_url,
            trust_proxy,
            metrics_allow,
        } => {
            let metrics_allow = metrics_allow
                .or(file.metrics_allow.clone())
                .unwrap_or_else(|| crate::metrics::DEFAULT_ALLOW.to_string());
            crate::metrics::set_allow(
                crate::metrics::parse_allow(&metrics_allow)
                    .map_err(|m| Failure(USAGE, vec![format!("exemplar: {m}")]))?,
            );
            let public_url = public_url.or(file.public_url.clone());
            let trust_proxy = trust_proxy || file.trust_proxy.unwrap_or(false);
            let addr = addr
                .or(file.addr)
                .unwrap_or_else(|| DEFAULT_ADDR.parse().expect("valid default"));
            let site_root = site_root
                .or(file.site_root)
                .unwrap_or_else(|| PathBuf::from("target/site"));
            let mut today = today_setting;
            if demo {
                if db::count_economies(&pool).await? == 0 {
                    let day = today_setting.unwrap_or(app::demo::today());
                    let s = app::clock::running_on(Some(day), app::demo::load(&pool)).await?;
                    eprintln!(
                        "loaded the demo data set: {} economies, {} values, {} quarters published",
                        s.economies,
                        thousands(s.values),
                        s.published
                    );
                } else {
                    eprintln!("the database already holds data: serving it as the demo");
                }
                today = today.or(Some(app::demo::today()));
                eprintln!("demo: today is taken to be {}", today.expect("set"));
                eprintln!("demo sign-ins (board staff also give a code from an authenticator app set up with the key):");
                for a in app::demo::ACCOUNTS {
                    eprintln!(
                        "  {:<9} {:<30} password \"{}\"{}",
                        a.role.as_str(),
                        a.email,
                        a.password,
                        a.totp_secret
                            .map(|s| format!("  key {s}  {}", app::auth::totp_url(s, a.email)))
                            .unwrap_or_default()
                    );
                }
            }
            crate::cli::serve(
                pool,
                addr,
                site_root,
                today,
                demo,
                public_url,
                trust_proxy,
                mail,
            )
            .await?;
        }
        Command::Mail {
            command: MailCommand::Send { public_url },
        } => {
            let public_url = public_url
                .or(file.public_url.clone())
                .unwrap_or_else(|| format!("http://{DEFAULT_ADDR}"));
            let mailer = mail.mailer(&public_url)?;
            let pass = app::mail::send_due(&pool, &mailer).await?;
            eprintln!(
                "mail to {}: {} sent, {} to be tried again, {} given up",
                mailer.describe(),
                thousands(pass.sent as u64),
                thousands(pass.retrying as u64),
                thousands(pass.failed as u64)
            );
        }
        Command::Framework { command } => match command {
            FrameworkCommand::Load { file } => {
                let (name, bytes) = read_input(&file)?;
                let text = String::from_utf8(bytes).map_err(|e| {
                    let line = e.as_bytes()[..e.utf8_error().valid_up_to()]
                        .iter()
                        .filter(|&&b| b == b'\n')
                        .count()
                        + 1;
                    Failure(
                        REFUSED,
                        vec![format!("{name}:{line}: file: not UTF-8 text")],
                    )
                })?;
                let (fw, version) = service::load_framework(&pool, &text, by)
                    .await
                    .map_err(|e| refused(&name, e))?;
                eprintln!(
                    "loaded framework {} version {version} ({} themes, {} criteria, {} benefits); it is now active",
                    fw.code,
                    fw.themes.len(),
                    fw.criteria.len(),
                    fw.benefits.len()
                );
            }
            FrameworkCommand::List => {
                service::active_framework(&pool).await?;
                let mut out = std::io::stdout().lock();
                for f in db::list_frameworks(&pool).await? {
                    let _ = writeln!(
                        out,
                        "{}\tversion {}\t{}\tloaded {}{}",
                        f.code,
                        f.version,
                        f.name,
                        f.loaded_at,
                        if f.active { "\t(active)" } else { "" }
                    );
                }
            }
        },
        Command::Import { command } => match command {
            ImportCommand::Economies { file } => {
                let (name, bytes) = read_input(&file)?;
                let r = service::import_economies(&pool, &bytes, &name, by)
                    .await
                    .map_err(|e| refused(&name, e))?;
                eprintln!(
                    "imported {} economies ({} new, {} updated)",
                    thousands(r.created + r.updated),
                    thousands(r.created),
                    thousands(r.updated)
                );
            }
            ImportCommand::Organisations { file } => {
                let (name, bytes) = read_input(&file)?;
                let (layout, c) = service::import_organisations(&pool, &bytes, &name, by, today)
                    .await
                    .map_err(|e| refused(&name, e))?;
                eprintln!(
                    "imported {} {} ({} new, {} changed, {} closed, {} unchanged)",
                    thousands((c.added.len() + c.changed.len() + c.unchanged) as u64),
                    layout.words(),
                    thousands(c.added.len() as u64),
                    thousands(c.changed.len() as u64),
                    thousands(c.closed.len() as u64),
                    thousands(c.unchanged as u64)
                );
            }
            ImportCommand::Trusts { file } => {
                let (name, bytes) = read_input(&file)?;
                let (new, updated, same) = service::import_trusts(&pool, &bytes, &name, by, today)
                    .await
                    .map_err(|e| refused(&name, e))?;
                eprintln!(
                    "imported {} trusts ({} new, {} updated, {} unchanged)",
                    thousands(new + updated + same),
                    thousands(new),
                    thousands(updated),
                    thousands(same)
                );
            }
            ImportCommand::PanelConflicts { file } => {
                let (name, bytes) = read_input(&file)?;
                let r = app::panel::import_conflicts(&pool, &bytes, &name, by)
                    .await
                    .map_err(|e| refused(&name, e))?;
                eprintln!(
                    "imported {} panel conflicts ({} declared, {} already in force)",
                    thousands(r.new + r.unchanged),
                    thousands(r.new),
                    thousands(r.unchanged)
                );
            }
            ImportCommand::PanelScores { file } => {
                let (name, bytes) = read_input(&file)?;
                let r = app::panel::import_scores(&pool, &bytes, &name, by)
                    .await
                    .map_err(|e| refused(&name, e))?;
                eprintln!(
                    "imported {} panel scores ({} new, {} replaced, {} unchanged)",
                    thousands(r.new + r.changed + r.unchanged),
                    thousands(r.new),
                    thousands(r.changed),
                    thousands(r.unchanged)
                );
            }
            ImportCommand::Values { file } => {
                let (name, bytes) = read_input(&file)?;
                let r = service::import_values(&pool, &bytes, &name, by)
                    .await
                    .map_err(|e| refused(&name, e))?;
                eprintln!(
                    "imported {} values for {} economies ({} new, {} replaced, {} unchanged)",
                    thousands(r.values),
                    thousands(r.economies),
                    thousands(r.stored.inserted),
                    thousands(r.stored.replaced),
                    thousands(r.stored.unchanged)
                );
            }
        },
        Command::Panel {
            command: PanelCommand::Results { format },
        } => {
            let (panel, results) = app::panel::results(&pool).await?;
            let text = match format {
                Format::Json => {
                    let mut s = serde_json::to_string_pretty(&results).expect("results serialise");
                    s.push('\n');
                    s
                }
                Format::Csv => app::domain::panel::results_csv(&panel, &results),
            };
            let mut out = std::io::stdout().lock();
            let _ = out.write_all(text.as_bytes());
            eprintln!(
                "agreement (Krippendorff's alpha): {}: {}",
                results
                    .alpha
                    .map(|a| format!("{a:.3}"))
                    .unwrap_or_else(|| "none".into()),
                app::domain::panel::agreement(results.alpha)
            );
        }
        Command::Scores { as_of, format } => {
            let (fw, scores) = service::live_scores(&pool, as_of).await?;
            let text = match format {
                Format::Json => {
                    let mut s = serde_json::to_string_pretty(&scores).expect("scores serialise");
                    s.push('\n');
                    s
                }
                Format::Csv => app::domain::scoring::scores_csv(&fw.framework, &scores),
            };
            let mut out = std::io::stdout().lock();
            let _ = out.write_all(text.as_bytes());
        }
        Command::Publish {
            through,
            revise,
            reason,
        } => {
            if let Some(q) = through {
                let done = service::publish_through(&pool, q, today, by).await?;
                if done.is_empty() {
                    eprintln!("nothing to publish: every quarter through {q} is already published");
                } else {
                    let list: Vec<String> = done.iter().map(|q| q.to_string()).collect();
                    eprintln!("published {}", list.join(", "));
                }
            } else if let Some(q) = revise {
                let changes =
                    service::revise(&pool, q, reason.as_deref().unwrap_or(""), today, by).await?;
                eprintln!(
                    "revised {q}: {} figure{} changed",
                    changes.len(),
                    if changes.len() == 1 { "" } else { "s" }
                );
            }
        }
        Command::User {
            command:
                UserCommand::Add {
                    email,
                    role,
                    economy,
                    public_url,
                },
        } => {
            let public_url = public_url
                .or(file.public_url.clone())
                .unwrap_or_else(|| format!("http://{DEFAULT_ADDR}"));
            let password = if std::io::stdin().is_terminal() {
                None
            } else {
                let mut buf = String::new();
                std::io::stdin()
                    .read_to_string(&mut buf)
                    .map_err(|e| Failure(REFUSED, vec![format!("exemplar: stdin: {e}")]))?;
                let p = buf.trim_end_matches(['\n', '\r']).to_string();
                (!p.is_empty()).then_some(p)
            };
            let added = app::accounts::add_user(
                &pool,
                &email,
                role,
                economy.as_deref(),
                password.as_deref(),
                public_url.trim_end_matches('/'),
                by,
            )
            .await
            .map_err(|e| match e {
                app::accounts::AccountError::Db(e) => Failure::from(e),
                other => Failure(REFUSED, vec![format!("exemplar: {other}")]),
            })?;
            let mut out = std::io::stdout().lock();
            if let Some(url) = &added.totp_url {
                let _ = writeln!(out, "{url}");
            }
            if let Some(link) = &added.sign_in_link {
                let _ = writeln!(out, "{link}");
            }
            eprintln!("created {role} account {email} (id {})", added.id);
        }
        // Answered in `main` before any configuration or database is opened.
        Command::Completions { .. } | Command::Manual { .. } => {}
        Command::Audit {
            command: AuditCommand::Verify,
        } => {
            match app::accounts::verify_audit(&pool)
                .await
                .map_err(|e| match e {
                    app::accounts::AccountError::Db(e) => Failure::from(e),
                    other => Failure(REFUSED, vec![format!("exemplar: {other}")]),
                })? {
                Ok(n) => eprintln!("the audit log is intact: {} entries", thousands(n as u64)),
                Err(b) => {
                    return Err(Failure(
                        REFUSED,
                        vec![format!(
                            "exemplar: the audit log is broken at entry {}: {}",
                            b.id, b.reason
                        )],
                    ))
                }
            }
        }
        Command::Backup { file } => {
            crate::backup::backup(&pool, &url, &file).await?;
            eprintln!("backed up {url} to {}", file.display());
        }
        Command::Restore { file, force } => {
            crate::backup::restore(pool, &url, &file, force).await?;
            eprintln!("restored {} into {url}", file.display());
        }
        Command::Demo => {
            // The demo is made for its own today: its events are stamped on it.
            let s = app::clock::running_on(Some(today_setting.unwrap_or(app::demo::today())), app::demo::load(&pool)).await?;
            eprintln!(
                "loaded the demo data set: {} economies, {} values, {} quarters published; it is made for a today of {}",
                s.economies,
                thousands(s.values),
                s.published,
                app::demo::today()
            );
        }
    }
    Ok(())
    })
    .await
}

/// Loads the audit log's key, creating the file when the log has no keyed entry yet.
async fn load_audit_key(pool: &Pool, path: &std::path::Path) -> Result<(), Failure> {
    let keyed = db::audit_has_keyed(pool).await?;
    let (key, created) = app::audit::load_or_create_key(path, !keyed)
        .map_err(|m| Failure(DATABASE, vec![format!("exemplar: {m}")]))?;
    if created {
        eprintln!(
            "created the audit key file {}: back it up with the database (the audit log cannot be checked or extended without it)",
            path.display()
        );
    }
    app::audit::install_key(key).map_err(|m| Failure(DATABASE, vec![format!("exemplar: {m}")]))
}

/// Where mail goes: flags, environment, then the configuration file.
struct MailSettings {
    smtp_url: Option<String>,
    from: Option<String>,
    dir: PathBuf,
}

impl MailSettings {
    /// The mailer for links to `public_url`, its settings checked.
    fn mailer(&self, public_url: &str) -> Result<app::mail::Mailer, Failure> {
        let mut mailer = app::mail::Mailer::new(public_url, &self.dir);
        if let Some(from) = &self.from {
            mailer.from = from.clone();
        }
        mailer.smtp_url = self.smtp_url.clone();
        mailer
            .check()
            .map_err(|m| Failure(USAGE, vec![format!("exemplar: {m}")]))?;
        Ok(mailer)
    }
}

/// Builds the state and serves until interrupted.
#[allow(clippy::too_many_arguments)]
async fn serve(
    pool: Pool,
    addr: SocketAddr,
    site_root: PathBuf,
    today: Option<NaiveDate>,
    demo: bool,
    public_url: Option<String>,
    trust_proxy: bool,
    mail: MailSettings,
) -> Result<(), Failure> {
    let json = init_tracing();
    // What the server says as it starts and stops: a log line when logs are JSON (so that
    // every line is one), otherwise plain text.
    let say = move |message: String| {
        if json {
            tracing::info!("{message}");
        } else {
            eprintln!("{message}");
        }
    };
    if let Some(day) = today {
        // Work outside a request's task (background jobs, Leptos's own tasks) runs on it too.
        app::clock::set_default_day(day);
    }
    service::active_framework(&pool).await?;
    let loaded = service::ensure_organisations(&pool).await?;
    if loaded > 0 {
        say(format!(
            "loaded the register of NHS organisations 2013-2015: {} organisations",
            thousands(loaded as u64)
        ));
    }
    let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| {
        Failure(
            REFUSED,
            vec![format!("exemplar: cannot listen on {addr}: {e}")],
        )
    })?;
    let local = listener.local_addr().unwrap_or(addr);
    // Built with the address actually bound, so links default to it (port 0 included).
    let mut state = crate::web::state(pool, local, &site_root, today, demo, public_url);
    state.trust_proxy = trust_proxy;
    state.mailer = mail.mailer(&state.mailer.public_url)?;
    say(format!("mail goes to {}", state.mailer.describe()));
    app::mail::spawn_dispatcher(state.pool.clone(), state.mailer.clone());
    say(format!("Exemplar is serving on http://{local}"));
    if !site_root.join("pkg").exists() {
        say(format!(
            "warning: {} has no built site (run `make build`): pages will have no styles or scripts",
            site_root.display()
        ));
    }
    // Housekeeping while serving: deadline reminders (once per economy and quarter, so any
    // number of instances may run it) and expired sessions, at start and every hour.
    {
        let state = state.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(std::time::Duration::from_secs(3600));
            loop {
                tick.tick().await;
                match app::submissions::send_deadline_reminders(
                    &state.pool,
                    &state.mailer,
                    state.today(),
                )
                .await
                {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(sent = n, "deadline reminders sent"),
                    Err(e) => tracing::warn!(error = %e, "deadline reminders failed"),
                }
                let _ = app::db::delete_expired_sessions(&state.pool, app::auth::unix_now()).await;
            }
        });
    }
    // Ctrl-C or SIGTERM: stop accepting, finish the requests in flight (for at most
    // SHUTDOWN_GRACE), exit 0. Every write is one transaction, so a request cut short at the
    // end of the grace leaves nothing half-written.
    let (stopping, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = axum::serve(
        listener,
        crate::web::router(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async move {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            .expect("a SIGTERM handler");
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
        say("exemplar: stopping: finishing requests in flight".into());
        let _ = stopping.send(());
    });
    let grace = async move {
        match stopped.await {
            Ok(()) => tokio::time::sleep(SHUTDOWN_GRACE).await,
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        r = std::future::IntoFuture::into_future(server) => {
            r.map_err(|e| Failure(REFUSED, vec![format!("exemplar: server stopped: {e}")]))
        }
        () = grace => {
            say(format!(
                "exemplar: stopped after {} s with requests still in flight",
                SHUTDOWN_GRACE.as_secs()
            ));
            Ok(())
        }
    }
}

/// How long requests in flight may take to finish once the server is asked to stop.
const SHUTDOWN_GRACE: std::time::Duration = std::time::Duration::from_secs(20);

/// Logs: text on standard error (coloured only on a terminal), or with
/// `EXEMPLAR_LOG_FORMAT=json` one JSON object a line on standard output for a log collector
/// (time, level, target, the event's fields, and the request's span: its id, method, path and
/// user), standard output holding nothing else (a library's stray line goes to standard
/// error). Says which.
fn init_tracing() -> bool {
    let filter = tracing_subscriber::EnvFilter::try_from_env("EXEMPLAR_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    let json = std::env::var("EXEMPLAR_LOG_FORMAT").is_ok_and(|f| f.eq_ignore_ascii_case("json"));
    let _ = if json {
        builder
            .with_writer(std::io::stdout)
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
            .try_init()
    } else {
        builder
            .with_writer(std::io::stderr)
            .with_ansi(std::io::stderr().is_terminal())
            .try_init()
    };
    json
}
