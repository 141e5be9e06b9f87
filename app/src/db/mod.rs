//! The database: the pool, the backend and its migrations here, and the SQL one file a
//! feature beside this one. Queries are checked at run time (`query`/`query_as`) with `$1`
//! placeholders, which SQLite and PostgreSQL both accept; where the dialects differ it is
//! said at the spot (`Backend`). Besides these files only a feature slice's own `store`
//! module writes SQL.

use crate::domain::files::{EconomyRow as EconomyFileRow, ValueRow};
use crate::domain::scoring::Entry;
use crate::domain::{Framework, Quarter};
use sqlx::any::AnyPoolOptions;
use sqlx::sqlite::SqliteConnectOptions;
use std::collections::HashMap;
use std::str::FromStr;
use std::time::Duration;

pub type Pool = sqlx::AnyPool;
pub type Tx<'a> = sqlx::Transaction<'a, sqlx::Any>;

/// An economy's slug read from and written to a text column. Reading refuses a stored value
/// that is not a slug, so a typed row never carries one.
impl sqlx::Type<sqlx::Any> for crate::domain::Slug {
    fn type_info() -> sqlx::any::AnyTypeInfo {
        <String as sqlx::Type<sqlx::Any>>::type_info()
    }
}

impl<'q> sqlx::Encode<'q, sqlx::Any> for crate::domain::Slug {
    fn encode_by_ref(
        &self,
        buf: &mut <sqlx::Any as sqlx::Database>::ArgumentBuffer<'q>,
    ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
        <String as sqlx::Encode<'q, sqlx::Any>>::encode(self.as_str().to_string(), buf)
    }
}

impl<'r> sqlx::Decode<'r, sqlx::Any> for crate::domain::Slug {
    fn decode(value: sqlx::any::AnyValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
        let s = <String as sqlx::Decode<'r, sqlx::Any>>::decode(value)?;
        crate::domain::Slug::parse(&s).map_err(Into::into)
    }
}

/// Which database a pool speaks to. The two dialects differ only where this is matched on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub fn backend(pool: &Pool) -> Backend {
    if pool
        .connect_options()
        .database_url
        .scheme()
        .starts_with("postgres")
    {
        Backend::Postgres
    } else {
        Backend::Sqlite
    }
}

/// Why the database could not be opened or migrated (exit status 3 on the command line).
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("cannot use database {url}: {reason}")]
    Open { url: String, reason: String },
    #[error("cannot migrate database {url}: {reason}")]
    Migrate { url: String, reason: String },
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/postgres");

/// SQLite settings for every connection: write-ahead log with `synchronous = NORMAL` (a
/// commit is durable once the log is synced at a checkpoint; on power loss the last
/// transactions may be lost, never half-applied), foreign keys, a 10 s busy timeout, and
/// 64 MiB of page cache so bulk imports do not spill.
const SQLITE_PRAGMAS: &[&str] = &[
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = NORMAL",
    "PRAGMA foreign_keys = ON",
    "PRAGMA busy_timeout = 10000",
    "PRAGMA cache_size = -65536",
];

/// Opens the database at `url` (`sqlite://…`, creating the file and its folder when
/// missing, or `postgres://…`) and applies pending migrations. On PostgreSQL the migrator
/// holds an advisory lock, so two instances starting at once apply them once.
pub async fn open(url: &str) -> Result<Pool, OpenError> {
    let open_err = |reason: String| OpenError::Open {
        url: url.to_string(),
        reason,
    };
    sqlx::any::install_default_drivers();
    let pool = if url.starts_with("sqlite:") {
        let options = SqliteConnectOptions::from_str(url).map_err(|e| open_err(e.to_string()))?;
        let path = options.get_filename().to_path_buf();
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| open_err(format!("{}: {e}", dir.display())))?;
        }
        let url = if url.contains('?') {
            format!("{url}&mode=rwc")
        } else {
            format!("{url}?mode=rwc")
        };
        let pool = AnyPoolOptions::new()
            .max_connections(8)
            .after_connect(|conn, _| {
                Box::pin(async move {
                    for pragma in SQLITE_PRAGMAS {
                        sqlx::query(pragma).execute(&mut *conn).await?;
                    }
                    Ok(())
                })
            })
            .connect(&url)
            .await
            .map_err(|e| open_err(e.to_string()))?;
        // sqlx's SQLite migrator takes no lock: two processes starting at once would both
        // apply the first migration. A lock on a file beside the database makes the second
        // wait, then find nothing to do. Never the database file itself: closing any other
        // descriptor of it would drop SQLite's own POSIX locks in this process.
        let mut lock_path = path.clone().into_os_string();
        lock_path.push(".migrate-lock");
        let lock_path = std::path::PathBuf::from(lock_path);
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|e| open_err(format!("{}: {e}", lock_path.display())))?;
        let locked = tokio::task::spawn_blocking(move || file.lock().map(|()| file))
            .await
            .map_err(|e| open_err(e.to_string()))?
            .map_err(|e| open_err(format!("cannot lock {}: {e}", lock_path.display())))?;
        let result = SQLITE_MIGRATIONS.run(&pool).await;
        drop(locked);
        result.map_err(|e| OpenError::Migrate {
            url: url.to_string(),
            reason: e.to_string(),
        })?;
        return Ok(pool);
    } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
        let pool = AnyPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(10))
            .connect(url)
            .await
            .map_err(|e| open_err(e.to_string()))?;
        pool
    } else {
        return Err(open_err(
            "the URL must start with sqlite:// or postgres://".into(),
        ));
    };
    POSTGRES_MIGRATIONS
        .run(&pool)
        .await
        .map_err(|e| OpenError::Migrate {
            url: url.to_string(),
            reason: e.to_string(),
        })?;
    Ok(pool)
}

/// Business time, as stored: the programme's clock (`crate::clock`).
pub fn now() -> String {
    crate::clock::stamp()
}

/// The real clock, as stored: for security (tokens, recovery codes, accounts' own changes).
pub fn real_now() -> String {
    crate::clock::real_stamp()
}

/// Counts an operator watches: the mail queue and publications.
#[derive(Debug, Clone, Copy, Default)]
pub struct OperatingCounts {
    /// Messages waiting to be sent, or to be tried again.
    pub mail_queued: i64,
    /// Messages given up after a day of failures (an admin may send them again).
    pub mail_failed: i64,
    /// Quarters published (first publications).
    pub publications: i64,
    /// Revisions of published quarters.
    pub revisions: i64,
}

pub async fn operating_counts(pool: &Pool) -> sqlx::Result<OperatingCounts> {
    let (mail_queued, mail_failed, publications, revisions): (i64, i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM outbox WHERE state = 'queued'),
                    (SELECT COUNT(*) FROM outbox WHERE state = 'failed'),
                    (SELECT COUNT(*) FROM publications WHERE revision = 0),
                    (SELECT COUNT(*) FROM publications WHERE revision > 0)",
    )
    .fetch_one(pool)
    .await?;
    Ok(OperatingCounts {
        mail_queued,
        mail_failed,
        publications,
        revisions,
    })
}

/// Is the database reachable?
pub async fn ping(pool: &Pool) -> bool {
    sqlx::query("SELECT 1").execute(pool).await.is_ok()
}

mod accounts;
mod assessment;
mod audit_log;
mod economies;
mod files;
mod frameworks;
mod mail;
mod nominations;
mod organisations;
mod publications;
mod questions;
mod receipts;
mod submissions;
mod teamwork;
mod trusts;
mod values;

pub use accounts::*;
pub use assessment::*;
pub use audit_log::*;
pub use economies::*;
pub use files::*;
pub use frameworks::*;
pub use mail::*;
pub use nominations::*;
pub use organisations::*;
pub use publications::*;
pub use questions::*;
pub use receipts::*;
pub use submissions::*;
pub use teamwork::*;
pub use trusts::*;
pub use values::*;
