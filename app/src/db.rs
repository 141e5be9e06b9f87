//! All SQL lives here. Queries are checked at run time (`query`/`query_as`) with `$1`
//! placeholders, which SQLite and PostgreSQL both accept; where the dialects differ it is
//! said at the spot. Nothing outside this module writes SQL.

use crate::domain::files::{EconomyRow as EconomyFileRow, ValueRow};
use crate::domain::scoring::Entry;
use crate::domain::{Framework, Quarter};
use sqlx::any::AnyPoolOptions;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::Row;
use std::collections::HashMap;
use std::str::FromStr;
use std::time::Duration;

pub type Pool = sqlx::AnyPool;
pub type Tx<'a> = sqlx::Transaction<'a, sqlx::Any>;
type DbRow = sqlx::any::AnyRow;

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

/// The real clock, for audit timestamps.
pub fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Is the database reachable?
pub async fn ping(pool: &Pool) -> bool {
    sqlx::query("SELECT 1").execute(pool).await.is_ok()
}

// ---------------------------------------------------------------------------------------
// Frameworks

#[derive(Debug, Clone)]
pub struct StoredFramework {
    pub id: i64,
    pub version: i64,
    pub loaded_at: String,
    pub framework: Framework,
}

#[derive(Debug, Clone)]
pub struct FrameworkListing {
    pub code: String,
    pub version: i64,
    pub name: String,
    pub loaded_at: String,
    pub active: bool,
}

/// Stores a framework as the next version of its code; it becomes the active one.
pub async fn insert_framework(
    pool: &Pool,
    fw: &Framework,
    source: &str,
    by: &str,
    audit: impl FnOnce(i64) -> crate::audit::Entry,
) -> sqlx::Result<i64> {
    let mut tx = pool.begin().await?;
    let version: i64 =
        sqlx::query("SELECT COALESCE(MAX(version), 0) + 1 FROM frameworks WHERE code = $1")
            .bind(&fw.code)
            .fetch_one(&mut *tx)
            .await?
            .get(0);
    let definition = serde_json::to_string(fw).expect("a framework serialises");
    sqlx::query(
        "INSERT INTO frameworks (code, version, name, source, definition, loaded_at, loaded_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&fw.code)
    .bind(version)
    .bind(&fw.name)
    .bind(source)
    .bind(definition)
    .bind(now())
    .bind(by)
    .execute(&mut *tx)
    .await?;
    audit_append(&mut tx, &audit(version)).await?;
    tx.commit().await?;
    Ok(version)
}

/// The active framework: the newest loaded.
pub async fn active_framework(pool: &Pool) -> sqlx::Result<Option<StoredFramework>> {
    let row = sqlx::query(
        "SELECT id, version, loaded_at, definition FROM frameworks ORDER BY id DESC LIMIT 1",
    )
    .fetch_optional(pool)
    .await?;
    row.map(|r| {
        let definition: String = r.get("definition");
        Ok(StoredFramework {
            id: r.get("id"),
            version: r.get("version"),
            loaded_at: r.get("loaded_at"),
            framework: serde_json::from_str(&definition)
                .map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
        })
    })
    .transpose()
}

pub async fn list_frameworks(pool: &Pool) -> sqlx::Result<Vec<FrameworkListing>> {
    let rows = sqlx::query(
        "SELECT id, code, version, name, loaded_at,
                CASE WHEN id = (SELECT MAX(id) FROM frameworks) THEN 1 ELSE 0 END AS active
         FROM frameworks ORDER BY id",
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .iter()
        .map(|r| FrameworkListing {
            code: r.get("code"),
            version: r.get("version"),
            name: r.get("name"),
            loaded_at: r.get("loaded_at"),
            active: r.get::<i64, _>("active") != 0,
        })
        .collect())
}

// ---------------------------------------------------------------------------------------
// Economies

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Economy {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub region: String,
}

/// Candidate economies (the ones scored and published), by slug.
pub async fn candidates(pool: &Pool) -> sqlx::Result<Vec<Economy>> {
    let rows = sqlx::query(
        "SELECT id, slug, name, region FROM economies WHERE status = 'candidate' ORDER BY slug",
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .iter()
        .map(|r| Economy {
            id: r.get("id"),
            slug: r.get("slug"),
            name: r.get("name"),
            region: r.get("region"),
        })
        .collect())
}

/// Slug to id for every economy.
pub async fn economy_ids(pool: &Pool) -> sqlx::Result<HashMap<String, i64>> {
    let rows = sqlx::query("SELECT id, slug FROM economies")
        .fetch_all(pool)
        .await?;
    Ok(rows.iter().map(|r| (r.get("slug"), r.get("id"))).collect())
}

pub async fn count_economies(pool: &Pool) -> sqlx::Result<i64> {
    Ok(sqlx::query("SELECT COUNT(*) FROM economies")
        .fetch_one(pool)
        .await?
        .get(0))
}

/// Creates or updates economies by slug, in one transaction. Returns (created, updated).
pub async fn upsert_economies(
    pool: &Pool,
    rows: &[EconomyFileRow],
    audit: impl FnOnce(u64, u64) -> crate::audit::Entry,
) -> sqlx::Result<(u64, u64)> {
    let mut tx = pool.begin().await?;
    let existing: HashMap<String, (String, String)> =
        sqlx::query("SELECT slug, name, region FROM economies")
            .fetch_all(&mut *tx)
            .await?
            .iter()
            .map(|r| (r.get("slug"), (r.get("name"), r.get("region"))))
            .collect();
    let now = now();
    let (mut created, mut updated) = (0, 0);
    for row in rows {
        match existing.get(row.slug.as_str()) {
            Some((name, region)) if name == &row.name && region == &row.region => {}
            Some(_) => {
                sqlx::query(
                    "UPDATE economies SET name = $1, region = $2, updated_at = $3 WHERE slug = $4",
                )
                .bind(&row.name)
                .bind(&row.region)
                .bind(&now)
                .bind(row.slug.as_str())
                .execute(&mut *tx)
                .await?;
                updated += 1;
            }
            None => {
                sqlx::query(
                    "INSERT INTO economies (slug, name, region, status, created_at, updated_at)
                     VALUES ($1, $2, $3, 'candidate', $4, $4)",
                )
                .bind(row.slug.as_str())
                .bind(&row.name)
                .bind(&row.region)
                .bind(&now)
                .execute(&mut *tx)
                .await?;
                created += 1;
            }
        }
    }
    audit_append(&mut tx, &audit(created, updated)).await?;
    tx.commit().await?;
    Ok((created, updated))
}

// ---------------------------------------------------------------------------------------
// Values

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ValueImport {
    pub inserted: u64,
    pub replaced: u64,
    pub unchanged: u64,
}

/// Rows per bulk insert statement.
const BATCH: usize = 10_000;

/// Inserts the rows of a JSON array `[[economy_id, period, code, value, status], …]`.
/// Dialect: SQLite unpacks it with `json_each`, PostgreSQL with `json_array_elements`;
/// both extract with `->>`.
fn bulk_insert_values(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => {
            "INSERT INTO criterion_values
                (economy_id, period, code, value, status, updated_at, updated_by)
             SELECT CAST(value ->> 0 AS BIGINT), value ->> 1, value ->> 2, value ->> 3,
                    value ->> 4, $2, $3
             FROM json_each($1)"
        }
        Backend::Postgres => {
            "INSERT INTO criterion_values
                (economy_id, period, code, value, status, updated_at, updated_by)
             SELECT CAST(value ->> 0 AS BIGINT), value ->> 1, value ->> 2, value ->> 3,
                    value ->> 4, $2, $3
             FROM json_array_elements(CAST($1 AS json)) AS value"
        }
    }
}

/// An economy's stored values: (period, code) to (value, status).
type StoredValues = HashMap<(String, String), (String, String)>;

/// Stores values in one transaction, chunk by chunk as a file is checked: new keys are
/// inserted, changed ones replaced with their old value kept in the history, identical ones
/// left alone. Nothing is visible to others until `commit`; dropped, it stores nothing.
pub struct ValueImporter {
    tx: Tx<'static>,
    backend: Backend,
    ids: HashMap<String, i64>,
    /// Stored values of the economies met so far, when the table had any at the start.
    existing: Option<HashMap<i64, StoredValues>>,
    now: String,
    by: String,
    summary: ValueImport,
}

impl ValueImporter {
    pub async fn begin(pool: &Pool, ids: HashMap<String, i64>, by: &str) -> sqlx::Result<Self> {
        let mut tx = pool.begin().await?;
        let existing = (count_values(&mut tx).await? > 0).then(HashMap::new);
        Ok(ValueImporter {
            backend: backend(pool),
            tx,
            ids,
            existing,
            now: now(),
            by: by.to_string(),
            summary: ValueImport::default(),
        })
    }

    /// The stored value and status of a key, loading the economy's values on first use.
    async fn stored(
        &mut self,
        id: i64,
        period: &str,
        code: &str,
    ) -> sqlx::Result<Option<(String, String)>> {
        let Some(existing) = &mut self.existing else {
            return Ok(None);
        };
        if let std::collections::hash_map::Entry::Vacant(slot) = existing.entry(id) {
            let rows = sqlx::query(
                "SELECT period, code, value, status FROM criterion_values WHERE economy_id = $1",
            )
            .bind(id)
            .fetch_all(&mut *self.tx)
            .await?;
            slot.insert(
                rows.iter()
                    .map(|r| ((r.get(0), r.get(1)), (r.get(2), r.get(3))))
                    .collect(),
            );
        }
        Ok(existing[&id]
            .get(&(period.to_string(), code.to_string()))
            .cloned())
    }

    pub async fn add(&mut self, rows: &[ValueRow]) -> sqlx::Result<()> {
        let mut fresh: Vec<(i64, String, &ValueRow)> = Vec::with_capacity(rows.len());
        for row in rows {
            let id = self.ids[row.economy.as_str()];
            let period = row.period.to_string();
            match self.stored(id, &period, &row.code).await? {
                Some((v, s)) if v == row.value && s == row.status.as_str() => {
                    self.summary.unchanged += 1
                }
                Some((old_value, old_status)) => {
                    sqlx::query(
                        "INSERT INTO value_history (economy_id, period, code, old_value, old_status,
                             new_value, new_status, changed_at, changed_by)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                    )
                    .bind(id)
                    .bind(&period)
                    .bind(&row.code)
                    .bind(old_value)
                    .bind(old_status)
                    .bind(&row.value)
                    .bind(row.status.as_str())
                    .bind(&self.now)
                    .bind(&self.by)
                    .execute(&mut *self.tx)
                    .await?;
                    sqlx::query(
                        "UPDATE criterion_values
                         SET value = $1, status = $2, updated_at = $3, updated_by = $4
                         WHERE economy_id = $5 AND period = $6 AND code = $7",
                    )
                    .bind(&row.value)
                    .bind(row.status.as_str())
                    .bind(&self.now)
                    .bind(&self.by)
                    .bind(id)
                    .bind(&period)
                    .bind(&row.code)
                    .execute(&mut *self.tx)
                    .await?;
                    if let Some(existing) = &mut self.existing {
                        if let Some(map) = existing.get_mut(&id) {
                            map.insert(
                                (period.clone(), row.code.clone()),
                                (row.value.clone(), row.status.as_str().to_string()),
                            );
                        }
                    }
                    self.summary.replaced += 1;
                }
                None => fresh.push((id, period, row)),
            }
        }
        // Bulk insert: each chunk goes as one JSON array bound to one parameter and is
        // unpacked by the database, many times faster than binding every field (sqlx's cost
        // grows with the number of parameters in a statement).
        for chunk in fresh.chunks(BATCH) {
            let rows: Vec<(i64, &str, &str, &str, &str)> = chunk
                .iter()
                .map(|(id, period, row)| {
                    (
                        *id,
                        period.as_str(),
                        row.code.as_str(),
                        row.value.as_str(),
                        row.status.as_str(),
                    )
                })
                .collect();
            let json = serde_json::to_string(&rows).expect("rows serialise");
            sqlx::query(bulk_insert_values(self.backend))
                .bind(json)
                .bind(&self.now)
                .bind(&self.by)
                .execute(&mut *self.tx)
                .await?;
            self.summary.inserted += chunk.len() as u64;
        }
        Ok(())
    }

    /// Commits, with the import's one audit entry in the same transaction.
    pub async fn commit(
        mut self,
        audit: impl FnOnce(&ValueImport) -> crate::audit::Entry,
    ) -> sqlx::Result<ValueImport> {
        audit_append(&mut self.tx, &audit(&self.summary)).await?;
        self.tx.commit().await?;
        Ok(self.summary)
    }

    pub async fn rollback(self) -> sqlx::Result<()> {
        self.tx.rollback().await
    }
}

async fn count_values(tx: &mut Tx<'_>) -> sqlx::Result<i64> {
    Ok(sqlx::query("SELECT COUNT(*) FROM criterion_values")
        .fetch_one(&mut **tx)
        .await?
        .get(0))
}

/// Every value of the candidate economies, by economy id.
pub async fn candidate_entries(pool: &Pool) -> sqlx::Result<HashMap<i64, Vec<Entry>>> {
    // One row an economy, its values packed as JSON by the database: hundreds of thousands
    // of values arrive as a thousand rows, many times faster than a row each.
    // Dialect: SQLite's json_group_array(json_array(…)); PostgreSQL's
    // json_agg(json_build_array(…)), as text.
    let sql = match backend(pool) {
        Backend::Sqlite => {
            "SELECT v.economy_id, json_group_array(json_array(v.period, v.code, v.value, v.status))
             FROM criterion_values v JOIN economies e ON e.id = v.economy_id
             WHERE e.status = 'candidate'
             GROUP BY v.economy_id"
        }
        Backend::Postgres => {
            "SELECT v.economy_id,
                    CAST(json_agg(json_build_array(v.period, v.code, v.value, v.status)) AS text)
             FROM criterion_values v JOIN economies e ON e.id = v.economy_id
             WHERE e.status = 'candidate'
             GROUP BY v.economy_id"
        }
    };
    let rows = sqlx::query(sql).fetch_all(pool).await?;
    let mut out: HashMap<i64, Vec<Entry>> = HashMap::with_capacity(rows.len());
    for r in rows {
        let id: i64 = r.get(0);
        let packed: Vec<(&str, String, String, &str)> =
            serde_json::from_str(r.get::<&str, _>(1))
                .map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
        let entries = packed
            .into_iter()
            .filter_map(|(period, code, value, status)| {
                Some(Entry {
                    period: period.parse().ok()?,
                    code,
                    value,
                    status: status.parse().ok()?,
                })
            })
            .collect();
        out.insert(id, entries);
    }
    Ok(out)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryRow {
    pub period: String,
    pub code: String,
    pub old_value: Option<String>,
    pub old_status: Option<String>,
    pub new_value: String,
    pub new_status: String,
    pub changed_at: String,
    pub changed_by: String,
    /// Submitted through the web after the quarter's deadline.
    pub late: bool,
}

/// The history of an economy's values, oldest first.
pub async fn value_history(pool: &Pool, economy_id: i64) -> sqlx::Result<Vec<HistoryRow>> {
    let rows = sqlx::query(
        "SELECT period, code, old_value, old_status, new_value, new_status, changed_at, changed_by,
                late
         FROM value_history WHERE economy_id = $1 ORDER BY id",
    )
    .bind(economy_id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .iter()
        .map(|r| HistoryRow {
            period: r.get("period"),
            code: r.get("code"),
            old_value: r.get("old_value"),
            old_status: r.get("old_status"),
            new_value: r.get("new_value"),
            new_status: r.get("new_status"),
            changed_at: r.get("changed_at"),
            changed_by: r.get("changed_by"),
            late: r.get::<i64, _>("late") != 0,
        })
        .collect())
}

// ---------------------------------------------------------------------------------------
// Publications

#[derive(Debug, Clone, PartialEq)]
pub struct Publication {
    pub period: String,
    pub revision: i64,
    pub published_on: String,
    pub reason: Option<String>,
    pub framework_code: String,
    pub framework_version: i64,
    pub figures: String,
    pub changes: Option<String>,
}

pub struct NewPublication<'a> {
    pub period: Quarter,
    pub revision: i64,
    pub published_on: chrono::NaiveDate,
    pub by: &'a str,
    pub reason: Option<&'a str>,
    pub framework_code: &'a str,
    pub framework_version: i64,
    pub figures: &'a str,
    pub changes: Option<&'a str>,
}

pub async fn insert_publication(
    pool: &Pool,
    p: NewPublication<'_>,
    audit: &crate::audit::Entry,
) -> sqlx::Result<()> {
    let mut tx = pool.begin().await?;
    sqlx::query(
        "INSERT INTO publications (period, revision, published_on, published_at, published_by,
             reason, framework_code, framework_version, figures, changes)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(p.period.to_string())
    .bind(p.revision)
    .bind(p.published_on.to_string())
    .bind(now())
    .bind(p.by)
    .bind(p.reason)
    .bind(p.framework_code)
    .bind(p.framework_version)
    .bind(p.figures)
    .bind(p.changes)
    .execute(&mut *tx)
    .await?;
    audit_append(&mut tx, audit).await?;
    tx.commit().await?;
    Ok(())
}

fn publication(r: &DbRow) -> Publication {
    Publication {
        period: r.get("period"),
        revision: r.get("revision"),
        published_on: r.get("published_on"),
        reason: r.get("reason"),
        framework_code: r.get("framework_code"),
        framework_version: r.get("framework_version"),
        figures: r.get("figures"),
        changes: r.get("changes"),
    }
}

const PUBLICATION_COLUMNS: &str =
    "period, revision, published_on, reason, framework_code, framework_version, figures, changes";

/// The current (latest revision) publication of each published quarter, oldest first.
pub async fn current_publications(pool: &Pool) -> sqlx::Result<Vec<Publication>> {
    let rows = sqlx::query(&format!(
        "SELECT {PUBLICATION_COLUMNS} FROM publications p
         WHERE revision = (SELECT MAX(revision) FROM publications q WHERE q.period = p.period)
         ORDER BY period"
    ))
    .fetch_all(pool)
    .await?;
    Ok(rows.iter().map(publication).collect())
}

/// Every revision of one quarter, oldest first.
pub async fn publication_revisions(pool: &Pool, period: Quarter) -> sqlx::Result<Vec<Publication>> {
    let rows = sqlx::query(&format!(
        "SELECT {PUBLICATION_COLUMNS} FROM publications WHERE period = $1 ORDER BY revision"
    ))
    .bind(period.to_string())
    .fetch_all(pool)
    .await?;
    Ok(rows.iter().map(publication).collect())
}

/// Periods with a planned publication date set by the board.
pub async fn publication_plans(pool: &Pool) -> sqlx::Result<HashMap<String, String>> {
    let rows = sqlx::query("SELECT period, planned_on FROM publication_plans")
        .fetch_all(pool)
        .await?;
    Ok(rows
        .iter()
        .map(|r| (r.get("period"), r.get("planned_on")))
        .collect())
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ValueListing {
    pub economy: String,
    pub period: String,
    pub criterion: String,
    pub value: String,
    pub status: String,
}

/// Candidates' values for quarters up to `last`, by economy, quarter and code.
pub async fn values_through(pool: &Pool, last: Quarter) -> sqlx::Result<Vec<ValueListing>> {
    let rows = sqlx::query(
        "SELECT e.slug, v.period, v.code, v.value, v.status
         FROM criterion_values v JOIN economies e ON e.id = v.economy_id
         WHERE e.status = 'candidate' AND v.period <= $1
         ORDER BY e.slug, v.period, v.code",
    )
    .bind(last.to_string())
    .fetch_all(pool)
    .await?;
    Ok(rows
        .iter()
        .map(|r| ValueListing {
            economy: r.get(0),
            period: r.get(1),
            criterion: r.get(2),
            value: r.get(3),
            status: r.get(4),
        })
        .collect())
}

/// A token that changes whenever anything the public pages show can change: publications,
/// the active framework, economies. Public responses are cached against it.
pub async fn content_version(pool: &Pool) -> sqlx::Result<String> {
    let row = sqlx::query(
        "SELECT (SELECT COUNT(*) FROM publications),
                (SELECT COALESCE(MAX(id), 0) FROM publications),
                (SELECT COALESCE(MAX(id), 0) FROM frameworks),
                (SELECT COUNT(*) FROM economies),
                (SELECT COALESCE(MAX(updated_at), '') FROM economies),
                (SELECT entries FROM audit_head WHERE id = 1)",
    )
    .fetch_one(pool)
    .await?;
    // Every audited change (a nomination decided, an import, …) moves the last figure, even
    // within the same second as the one before.
    Ok(format!(
        "{}.{}.{}.{}.{}.{}",
        row.get::<i64, _>(0),
        row.get::<i64, _>(1),
        row.get::<i64, _>(2),
        row.get::<i64, _>(3),
        row.get::<String, _>(4),
        row.get::<i64, _>(5)
    ))
}

// ---------------------------------------------------------------------------------------
// Accounts

pub async fn begin(pool: &Pool) -> sqlx::Result<Tx<'static>> {
    pool.begin().await
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRow {
    pub id: i64,
    pub email: String,
    pub password_hash: Option<String>,
    pub role: String,
    pub economy: Option<String>,
    pub totp_secret: Option<String>,
    pub disabled: bool,
    pub created_at: String,
}

const USER_COLUMNS: &str = "u.id, u.email, u.password_hash, u.role, e.slug AS economy,
    u.totp_secret, u.disabled, u.created_at";

fn user_row(r: &DbRow) -> UserRow {
    UserRow {
        id: r.get("id"),
        email: r.get("email"),
        password_hash: r.get("password_hash"),
        role: r.get("role"),
        economy: r.get("economy"),
        totp_secret: r.get("totp_secret"),
        disabled: r.get::<i64, _>("disabled") != 0,
        created_at: r.get("created_at"),
    }
}

pub async fn user_by_email(pool: &Pool, email: &str) -> sqlx::Result<Option<UserRow>> {
    let row = sqlx::query(&format!(
        "SELECT {USER_COLUMNS} FROM users u LEFT JOIN economies e ON e.id = u.economy_id
         WHERE u.email = $1"
    ))
    .bind(email)
    .fetch_optional(pool)
    .await?;
    Ok(row.as_ref().map(user_row))
}

pub async fn user_by_id(pool: &Pool, id: i64) -> sqlx::Result<Option<UserRow>> {
    let row = sqlx::query(&format!(
        "SELECT {USER_COLUMNS} FROM users u LEFT JOIN economies e ON e.id = u.economy_id
         WHERE u.id = $1"
    ))
    .bind(id)
    .fetch_optional(pool)
    .await?;
    Ok(row.as_ref().map(user_row))
}

pub async fn list_users(pool: &Pool) -> sqlx::Result<Vec<UserRow>> {
    let rows = sqlx::query(&format!(
        "SELECT {USER_COLUMNS} FROM users u LEFT JOIN economies e ON e.id = u.economy_id
         ORDER BY u.role, u.email"
    ))
    .fetch_all(pool)
    .await?;
    Ok(rows.iter().map(user_row).collect())
}

pub async fn count_users(pool: &Pool) -> sqlx::Result<i64> {
    Ok(sqlx::query("SELECT COUNT(*) FROM users")
        .fetch_one(pool)
        .await?
        .get(0))
}

pub struct NewUser<'a> {
    pub email: &'a str,
    pub password_hash: Option<&'a str>,
    pub role: &'a str,
    pub economy_id: Option<i64>,
    pub totp_secret: Option<&'a str>,
}

/// Creates an account; `None` when the email is taken.
pub async fn insert_user(tx: &mut Tx<'_>, u: NewUser<'_>) -> sqlx::Result<Option<i64>> {
    let now = now();
    let r = sqlx::query(
        "INSERT INTO users (email, password_hash, role, economy_id, totp_secret, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $6)
         ON CONFLICT (email) DO NOTHING",
    )
    .bind(u.email)
    .bind(u.password_hash)
    .bind(u.role)
    .bind(u.economy_id)
    .bind(u.totp_secret)
    .bind(&now)
    .execute(&mut **tx)
    .await?;
    if r.rows_affected() == 0 {
        return Ok(None);
    }
    let id: i64 = sqlx::query("SELECT id FROM users WHERE email = $1")
        .bind(u.email)
        .fetch_one(&mut **tx)
        .await?
        .get(0);
    Ok(Some(id))
}

pub async fn set_password(tx: &mut Tx<'_>, user: i64, hash: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3")
        .bind(hash)
        .bind(now())
        .bind(user)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Changes an account's email; false when another account has it.
pub async fn set_email(tx: &mut Tx<'_>, user: i64, email: &str) -> sqlx::Result<bool> {
    let r = sqlx::query(
        "UPDATE users SET email = $1, updated_at = $2 WHERE id = $3
         AND NOT EXISTS (SELECT 1 FROM users WHERE email = $1)",
    )
    .bind(email)
    .bind(now())
    .bind(user)
    .execute(&mut **tx)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Sets (or with `None` clears) the one-time-code secret, and replaces the recovery codes.
pub async fn set_second_factor(
    tx: &mut Tx<'_>,
    user: i64,
    secret: Option<&str>,
    recovery_hashes: &[String],
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE users SET totp_secret = $1, totp_last_step = 0, updated_at = $2 WHERE id = $3",
    )
    .bind(secret)
    .bind(now())
    .bind(user)
    .execute(&mut **tx)
    .await?;
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
        .bind(user)
        .execute(&mut **tx)
        .await?;
    for h in recovery_hashes {
        sqlx::query("INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)")
            .bind(user)
            .bind(h)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Accepts a one-time code's time step if it is later than the last one accepted, in one
/// statement, so the same code can never be used twice, even by two requests at once.
pub async fn accept_totp_step(pool: &Pool, user: i64, step: i64) -> sqlx::Result<bool> {
    let r =
        sqlx::query("UPDATE users SET totp_last_step = $1 WHERE id = $2 AND totp_last_step < $1")
            .bind(step)
            .bind(user)
            .execute(pool)
            .await?;
    Ok(r.rows_affected() == 1)
}

/// Uses a recovery code (by hash) once.
pub async fn use_recovery_code(pool: &Pool, user: i64, hash: &str) -> sqlx::Result<bool> {
    let r = sqlx::query(
        "UPDATE recovery_codes SET used_at = $1
         WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL",
    )
    .bind(now())
    .bind(user)
    .bind(hash)
    .execute(pool)
    .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn unused_recovery_codes(pool: &Pool, user: i64) -> sqlx::Result<i64> {
    Ok(
        sqlx::query("SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL")
            .bind(user)
            .fetch_one(pool)
            .await?
            .get(0),
    )
}

pub async fn set_disabled(tx: &mut Tx<'_>, user: i64, disabled: bool) -> sqlx::Result<()> {
    sqlx::query("UPDATE users SET disabled = $1, updated_at = $2 WHERE id = $3")
        .bind(disabled as i64)
        .bind(now())
        .bind(user)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

// Sessions: the storage behind tower-sessions (`auth::SessionStore`).

/// Stores a new session; false if the id is taken.
pub async fn session_create(
    pool: &Pool,
    id: &str,
    user: Option<i64>,
    data: &str,
    expires_at: i64,
) -> sqlx::Result<bool> {
    let r = sqlx::query(
        "INSERT INTO sessions (id, user_id, data, expires_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (id) DO NOTHING",
    )
    .bind(id)
    .bind(user)
    .bind(data)
    .bind(expires_at)
    .execute(pool)
    .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn session_save(
    pool: &Pool,
    id: &str,
    user: Option<i64>,
    data: &str,
    expires_at: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO sessions (id, user_id, data, expires_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (id) DO UPDATE SET user_id = excluded.user_id, data = excluded.data,
             expires_at = excluded.expires_at",
    )
    .bind(id)
    .bind(user)
    .bind(data)
    .bind(expires_at)
    .execute(pool)
    .await?;
    Ok(())
}

pub async fn session_load(pool: &Pool, id: &str, now: i64) -> sqlx::Result<Option<(String, i64)>> {
    let row =
        sqlx::query("SELECT data, expires_at FROM sessions WHERE id = $1 AND expires_at > $2")
            .bind(id)
            .bind(now)
            .fetch_optional(pool)
            .await?;
    Ok(row.map(|r| (r.get(0), r.get(1))))
}

pub async fn session_delete(pool: &Pool, id: &str) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM sessions WHERE id = $1")
        .bind(id)
        .execute(pool)
        .await?;
    Ok(())
}

/// Ends every session of one person; returns how many.
pub async fn end_sessions_of(tx: &mut Tx<'_>, user: i64) -> sqlx::Result<u64> {
    Ok(sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user)
        .execute(&mut **tx)
        .await?
        .rows_affected())
}

pub async fn count_sessions_of(pool: &Pool, user: i64, now: i64) -> sqlx::Result<i64> {
    Ok(
        sqlx::query("SELECT COUNT(*) FROM sessions WHERE user_id = $1 AND expires_at > $2")
            .bind(user)
            .bind(now)
            .fetch_one(pool)
            .await?
            .get(0),
    )
}

pub async fn delete_expired_sessions(pool: &Pool, now: i64) -> sqlx::Result<u64> {
    Ok(sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
        .bind(now)
        .execute(pool)
        .await?
        .rows_affected())
}

// One-time links.

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenRow {
    pub kind: String,
    pub email: String,
    pub role: String,
    pub economy_id: Option<i64>,
    pub economy: Option<String>,
    pub created_by: String,
    pub expires_at: String,
    pub used_at: Option<String>,
}

pub struct NewToken<'a> {
    pub hash: &'a str,
    pub kind: &'a str,
    pub email: &'a str,
    pub role: &'a str,
    pub economy_id: Option<i64>,
    pub created_by: &'a str,
    pub expires_at: &'a str,
}

pub async fn insert_token(tx: &mut Tx<'_>, t: NewToken<'_>) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO tokens (token_hash, kind, email, role, economy_id, created_by, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(t.hash)
    .bind(t.kind)
    .bind(t.email)
    .bind(t.role)
    .bind(t.economy_id)
    .bind(t.created_by)
    .bind(now())
    .bind(t.expires_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn token(pool: &Pool, hash: &str) -> sqlx::Result<Option<TokenRow>> {
    let row = sqlx::query(
        "SELECT t.kind, t.email, t.role, t.economy_id, e.slug, t.created_by, t.expires_at, t.used_at
         FROM tokens t LEFT JOIN economies e ON e.id = t.economy_id WHERE t.token_hash = $1",
    )
    .bind(hash)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| TokenRow {
        kind: r.get(0),
        email: r.get(1),
        role: r.get(2),
        economy_id: r.get(3),
        economy: r.get(4),
        created_by: r.get(5),
        expires_at: r.get(6),
        used_at: r.get(7),
    }))
}

/// Marks a token used, once: false if it was used (or expired) already.
pub async fn use_token(tx: &mut Tx<'_>, hash: &str, now_rfc3339: &str) -> sqlx::Result<bool> {
    let r = sqlx::query(
        "UPDATE tokens SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1",
    )
    .bind(now_rfc3339)
    .bind(hash)
    .execute(&mut **tx)
    .await?;
    Ok(r.rows_affected() == 1)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingInvitation {
    pub email: String,
    pub role: String,
    pub economy: Option<String>,
    pub created_by: String,
    pub expires_at: String,
}

/// Invitations not yet accepted and not expired, for an economy or (None) for all.
pub async fn pending_invitations(
    pool: &Pool,
    now_rfc3339: &str,
) -> sqlx::Result<Vec<PendingInvitation>> {
    let rows = sqlx::query(
        "SELECT t.email, t.role, e.slug, t.created_by, t.expires_at
         FROM tokens t LEFT JOIN economies e ON e.id = t.economy_id
         WHERE t.kind = 'invitation' AND t.used_at IS NULL AND t.expires_at > $1
         ORDER BY t.created_at DESC",
    )
    .bind(now_rfc3339)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .iter()
        .map(|r| PendingInvitation {
            email: r.get(0),
            role: r.get(1),
            economy: r.get(2),
            created_by: r.get(3),
            expires_at: r.get(4),
        })
        .collect())
}

// The outbox.

pub async fn insert_outbox(
    tx: &mut Tx<'_>,
    recipient: &str,
    subject: &str,
    body: &str,
    economy_id: Option<i64>,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO outbox (recipient, subject, body, economy_id, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(recipient)
    .bind(subject)
    .bind(body)
    .bind(economy_id)
    .bind(now())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxRow {
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub created_at: String,
}

fn outbox_row(r: &DbRow) -> OutboxRow {
    OutboxRow {
        recipient: r.get(0),
        subject: r.get(1),
        body: r.get(2),
        created_at: r.get(3),
    }
}

pub async fn outbox(pool: &Pool, limit: i64) -> sqlx::Result<Vec<OutboxRow>> {
    let rows = sqlx::query(
        "SELECT recipient, subject, body, created_at FROM outbox ORDER BY id DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(pool)
    .await?;
    Ok(rows.iter().map(outbox_row).collect())
}

// Throttles (sign-in and form limits): one row a key, claimed by compare-and-set.

/// A throttle's row: attempts counted, the last attempt and when the next is allowed (unix
/// seconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ThrottleRow {
    pub attempts: i64,
    pub last_at: i64,
    pub next_at: i64,
}

pub async fn throttle_row(pool: &Pool, key: &str) -> sqlx::Result<Option<ThrottleRow>> {
    let row = sqlx::query("SELECT attempts, last_at, next_at FROM throttles WHERE key = $1")
        .bind(key)
        .fetch_optional(pool)
        .await?;
    Ok(row.map(|r| ThrottleRow {
        attempts: r.get(0),
        last_at: r.get(1),
        next_at: r.get(2),
    }))
}

/// Moves a throttle from `old` (none: no row yet) to `new` in one statement, only if nobody
/// moved it since `old` was read. True when this call made the move.
pub async fn throttle_swap(
    pool: &Pool,
    key: &str,
    old: Option<ThrottleRow>,
    new: ThrottleRow,
) -> sqlx::Result<bool> {
    let done =
        match old {
            None => sqlx::query(
                "INSERT INTO throttles (key, attempts, last_at, next_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (key) DO NOTHING",
            )
            .bind(key)
            .bind(new.attempts)
            .bind(new.last_at)
            .bind(new.next_at)
            .execute(pool)
            .await?,
            Some(old) => {
                sqlx::query(
                    "UPDATE throttles SET attempts = $2, last_at = $3, next_at = $4
             WHERE key = $1 AND attempts = $5 AND last_at = $6 AND next_at = $7",
                )
                .bind(key)
                .bind(new.attempts)
                .bind(new.last_at)
                .bind(new.next_at)
                .bind(old.attempts)
                .bind(old.last_at)
                .bind(old.next_at)
                .execute(pool)
                .await?
            }
        };
    Ok(done.rows_affected() == 1)
}

/// Forgets the throttles whose key is one of `keys` or starts with one of `prefixes`.
pub async fn throttle_clear(pool: &Pool, keys: &[&str], prefixes: &[&str]) -> sqlx::Result<()> {
    for k in keys {
        sqlx::query("DELETE FROM throttles WHERE key = $1")
            .bind(*k)
            .execute(pool)
            .await?;
    }
    for p in prefixes {
        sqlx::query("DELETE FROM throttles WHERE substr(key, 1, length($1)) = $1")
            .bind(*p)
            .execute(pool)
            .await?;
    }
    Ok(())
}

/// Gives back one attempt (a success that should not count against a shared limit).
pub async fn throttle_refund(pool: &Pool, key: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE throttles SET attempts = attempts - 1 WHERE key = $1 AND attempts > 0")
        .bind(key)
        .execute(pool)
        .await?;
    Ok(())
}

// The audit log.

pub use crate::audit::AuditRow;

/// Appends an entry inside the caller's transaction, chained with the process's audit key
/// (refused when no key is loaded). The head row is updated first, which takes the write
/// lock, so the previous hash read next cannot change before this commits; the head then
/// records the new count and hash.
pub async fn audit_append(tx: &mut Tx<'_>, entry: &crate::audit::Entry) -> sqlx::Result<()> {
    let key = crate::audit::key().ok_or_else(|| {
        sqlx::Error::Protocol("the audit key is not loaded: nothing can be recorded".into())
    })?;
    let mut entry = entry.clone();
    if entry.address.is_none() {
        entry.address = crate::audit::request_address();
    }
    let entry = &entry;
    sqlx::query("UPDATE audit_head SET entries = entries + 1 WHERE id = 1")
        .execute(&mut **tx)
        .await?;
    let prev: String = sqlx::query("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1")
        .fetch_optional(&mut **tx)
        .await?
        .map(|r| r.get(0))
        .unwrap_or_default();
    let at = now();
    let hash = crate::audit::chain_mac(key, &prev, &at, entry);
    sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1")
        .bind(&hash)
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "INSERT INTO audit_log (at, actor, kind, economy, summary, before, after, prev_hash, hash, address, keyed)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1)",
    )
    .bind(&at)
    .bind(&entry.actor)
    .bind(&entry.kind)
    .bind(&entry.economy)
    .bind(&entry.summary)
    .bind(&entry.before)
    .bind(&entry.after)
    .bind(&prev)
    .bind(&hash)
    .bind(&entry.address)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The recorded head of the audit log.
pub async fn audit_head(pool: &Pool) -> sqlx::Result<crate::audit::Head> {
    let r = sqlx::query("SELECT entries, hash FROM audit_head WHERE id = 1")
        .fetch_one(pool)
        .await?;
    Ok(crate::audit::Head {
        entries: r.get(0),
        hash: r.get(1),
    })
}

/// Does the log hold entries chained with a key (so the key file must exist)?
pub async fn audit_has_keyed(pool: &Pool) -> sqlx::Result<bool> {
    let r = sqlx::query("SELECT COUNT(*) FROM audit_log WHERE keyed = 1")
        .fetch_one(pool)
        .await?;
    Ok(r.get::<i64, _>(0) > 0)
}

fn audit_row(r: &DbRow) -> AuditRow {
    AuditRow {
        id: r.get("id"),
        at: r.get("at"),
        actor: r.get("actor"),
        kind: r.get("kind"),
        economy: r.get("economy"),
        summary: r.get("summary"),
        before: r.get("before"),
        after: r.get("after"),
        prev_hash: r.get("prev_hash"),
        hash: r.get("hash"),
        address: r.get("address"),
        keyed: r.get::<i64, _>("keyed") == 1,
    }
}

/// The whole log, oldest first (for the chain check).
pub async fn audit_all(pool: &Pool) -> sqlx::Result<Vec<AuditRow>> {
    let rows = sqlx::query("SELECT * FROM audit_log ORDER BY id")
        .fetch_all(pool)
        .await?;
    Ok(rows.iter().map(audit_row).collect())
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    pub economy: Option<String>,
    pub actor: Option<String>,
    pub kind: Option<String>,
    /// Dates, YYYY-MM-DD, inclusive.
    pub from: Option<String>,
    pub to: Option<String>,
}

/// Entries matching the filter, newest first.
pub async fn audit_find(pool: &Pool, f: &AuditFilter, limit: i64) -> sqlx::Result<Vec<AuditRow>> {
    let rows = sqlx::query(
        "SELECT * FROM audit_log
         WHERE ($1 IS NULL OR economy = $1) AND ($2 IS NULL OR actor = $2)
           AND ($3 IS NULL OR kind = $3) AND ($4 IS NULL OR substr(at, 1, 10) >= $4)
           AND ($5 IS NULL OR substr(at, 1, 10) <= $5)
         ORDER BY id DESC LIMIT $6",
    )
    .bind(&f.economy)
    .bind(&f.actor)
    .bind(&f.kind)
    .bind(&f.from)
    .bind(&f.to)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    Ok(rows.iter().map(audit_row).collect())
}

pub async fn audit_kinds(pool: &Pool) -> sqlx::Result<Vec<String>> {
    let rows = sqlx::query("SELECT DISTINCT kind FROM audit_log ORDER BY kind")
        .fetch_all(pool)
        .await?;
    Ok(rows.iter().map(|r| r.get(0)).collect())
}

// ---------------------------------------------------------------------------------------
// Backup and restore (SQLite; PostgreSQL uses pg_dump and pg_restore, see `exemplar backup`)

/// Writes a consistent copy of a SQLite database to `file` while others may write.
/// Dialect: SQLite only (`VACUUM INTO`).
pub async fn sqlite_backup(pool: &Pool, file: &std::path::Path) -> sqlx::Result<()> {
    sqlx::query("VACUUM INTO $1")
        .bind(file.display().to_string())
        .execute(pool)
        .await?;
    Ok(())
}

/// Does the database hold anything a person put there (economies, values, accounts,
/// publications)? A restore over such a database needs `--force`.
pub async fn holds_data(pool: &Pool) -> sqlx::Result<bool> {
    let r = sqlx::query(
        "SELECT (SELECT COUNT(*) FROM economies) + (SELECT COUNT(*) FROM criterion_values)
              + (SELECT COUNT(*) FROM users) + (SELECT COUNT(*) FROM publications)",
    )
    .fetch_one(pool)
    .await?;
    Ok(r.get::<i64, _>(0) > 0)
}

/// The file behind a `sqlite://` URL.
pub fn sqlite_path(url: &str) -> Option<std::path::PathBuf> {
    SqliteConnectOptions::from_str(url)
        .ok()
        .map(|o| o.get_filename().to_path_buf())
}

/// Opens a database that must exist and hold this service's tables (read-only checks).
pub async fn open_existing(url: &str) -> sqlx::Result<Pool> {
    sqlx::any::install_default_drivers();
    let pool = AnyPoolOptions::new()
        .max_connections(1)
        .connect(url)
        .await?;
    sqlx::query("SELECT COUNT(*) FROM _sqlx_migrations")
        .fetch_one(&pool)
        .await?;
    Ok(pool)
}

// ---------------------------------------------------------------------------------------
// Stored files: the storage seam for evidence. Content-addressed and in the database, so an
// upload through one instance downloads through any other.

/// Stores a file (once, however often it is uploaded) and returns its SHA-256.
pub async fn put_file(tx: &mut Tx<'_>, content: &[u8], content_type: &str) -> sqlx::Result<String> {
    let sha = crate::audit::sha256_hex(content);
    sqlx::query(
        "INSERT INTO files (sha256, content_type, size, content, created_at)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (sha256) DO NOTHING",
    )
    .bind(&sha)
    .bind(content_type)
    .bind(content.len() as i64)
    .bind(content.to_vec())
    .bind(now())
    .execute(&mut **tx)
    .await?;
    Ok(sha)
}

/// Records that an economy (or board staff, `None`) uploaded the file `sha256`.
pub async fn record_upload(
    tx: &mut Tx<'_>,
    sha256: &str,
    economy_id: Option<i64>,
) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO file_uploads (sha256, economy_id, uploaded_at) VALUES ($1, $2, $3)")
        .bind(sha256)
        .bind(economy_id)
        .bind(now())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// A stored file's content, if this economy (or board staff, `None`) uploaded it: what a
/// form may keep from an earlier try.
pub async fn own_file(
    pool: &Pool,
    sha256: &str,
    economy_id: Option<i64>,
) -> sqlx::Result<Option<Vec<u8>>> {
    let row = sqlx::query(
        "SELECT f.content FROM files f
         WHERE f.sha256 = $1 AND EXISTS (
             SELECT 1 FROM file_uploads u WHERE u.sha256 = f.sha256
               AND (u.economy_id = $2 OR (u.economy_id IS NULL AND $2 IS NULL)))",
    )
    .bind(sha256)
    .bind(economy_id)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| r.get(0)))
}

/// A stored file's content type and content.
pub async fn get_file(pool: &Pool, sha256: &str) -> sqlx::Result<Option<(String, Vec<u8>)>> {
    let row = sqlx::query("SELECT content_type, content FROM files WHERE sha256 = $1")
        .bind(sha256)
        .fetch_optional(pool)
        .await?;
    Ok(row.map(|r| (r.get(0), r.get(1))))
}

// ---------------------------------------------------------------------------------------
// Nominations and member organisations

/// A slug not yet used: `base`, else `base-2`, `base-3`, …
pub async fn free_slug(tx: &mut Tx<'_>, base: &str) -> sqlx::Result<String> {
    let taken: Vec<String> =
        sqlx::query("SELECT slug FROM economies WHERE slug = $1 OR slug LIKE $2")
            .bind(base)
            .bind(format!("{base}-%"))
            .fetch_all(&mut **tx)
            .await?
            .iter()
            .map(|r| r.get(0))
            .collect();
    let mut n = 1;
    let mut slug = base.to_string();
    while taken.contains(&slug) {
        n += 1;
        slug = format!("{base}-{n}");
    }
    Ok(slug)
}

/// Creates a nominated economy with its organisations and nomination; returns its id.
pub async fn insert_nomination(
    tx: &mut Tx<'_>,
    slug: &str,
    n: &crate::domain::nomination::Nomination,
    submitted_on: chrono::NaiveDate,
) -> sqlx::Result<i64> {
    let now = now();
    sqlx::query(
        "INSERT INTO economies (slug, name, region, status, created_at, updated_at)
         VALUES ($1, $2, $3, 'nominated', $4, $4)",
    )
    .bind(slug)
    .bind(&n.name)
    .bind(&n.region)
    .bind(&now)
    .execute(&mut **tx)
    .await?;
    let id: i64 = sqlx::query("SELECT id FROM economies WHERE slug = $1")
        .bind(slug)
        .fetch_one(&mut **tx)
        .await?
        .get(0);
    for o in &n.organisations {
        sqlx::query(
            "INSERT INTO organisations (economy_id, name, ods_code, kind, created_at)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(&o.name)
        .bind(&o.ods_code)
        .bind(&o.kind)
        .bind(&now)
        .execute(&mut **tx)
        .await?;
    }
    sqlx::query(
        "INSERT INTO nominations (economy_id, lead_name, lead_email, lead_role, vision, in_place,
             benefits, submitted_on, submitted_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(id)
    .bind(&n.lead_name)
    .bind(n.lead_email.as_str())
    .bind(&n.lead_role)
    .bind(&n.vision)
    .bind(&n.in_place)
    .bind(&n.benefits)
    .bind(submitted_on.to_string())
    .bind(&now)
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct NominationRow {
    pub economy_id: i64,
    pub slug: String,
    pub name: String,
    pub region: String,
    pub status: String,
    pub lead_name: String,
    pub lead_email: String,
    pub lead_role: String,
    pub vision: String,
    pub in_place: String,
    pub benefits: String,
    pub submitted_on: String,
    pub decision: Option<String>,
    pub reason: Option<String>,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
}

/// Every nomination, newest first.
pub async fn nominations(pool: &Pool) -> sqlx::Result<Vec<NominationRow>> {
    let rows = sqlx::query(
        "SELECT e.id, e.slug, e.name, e.region, e.status, n.lead_name, n.lead_email, n.lead_role,
                n.vision, n.in_place, n.benefits, n.submitted_on, n.decision, n.reason,
                n.decided_by, n.decided_at
         FROM nominations n JOIN economies e ON e.id = n.economy_id
         ORDER BY n.submitted_at DESC, e.slug",
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .iter()
        .map(|r| NominationRow {
            economy_id: r.get(0),
            slug: r.get(1),
            name: r.get(2),
            region: r.get(3),
            status: r.get(4),
            lead_name: r.get(5),
            lead_email: r.get(6),
            lead_role: r.get(7),
            vision: r.get(8),
            in_place: r.get(9),
            benefits: r.get(10),
            submitted_on: r.get(11),
            decision: r.get(12),
            reason: r.get(13),
            decided_by: r.get(14),
            decided_at: r.get(15),
        })
        .collect())
}

/// Records the decision on a pending nomination; false if it was not pending.
pub async fn decide_nomination(
    tx: &mut Tx<'_>,
    economy_id: i64,
    accepted: bool,
    reason: Option<&str>,
    by: &str,
) -> sqlx::Result<bool> {
    let now = now();
    let r = sqlx::query(
        "UPDATE economies SET status = $1, updated_at = $2 WHERE id = $3 AND status = 'nominated'",
    )
    .bind(if accepted { "candidate" } else { "declined" })
    .bind(&now)
    .bind(economy_id)
    .execute(&mut **tx)
    .await?;
    if r.rows_affected() != 1 {
        return Ok(false);
    }
    sqlx::query(
        "UPDATE nominations SET decision = $1, reason = $2, decided_by = $3, decided_at = $4
         WHERE economy_id = $5",
    )
    .bind(if accepted { "accepted" } else { "declined" })
    .bind(reason)
    .bind(by)
    .bind(&now)
    .bind(economy_id)
    .execute(&mut **tx)
    .await?;
    Ok(true)
}

/// An economy's member organisations, by name.
/// A member organisation of the economy with this ODS code, or this name (any case).
pub async fn same_organisation(
    tx: &mut Tx<'_>,
    economy_id: i64,
    name: &str,
    ods_code: Option<&str>,
) -> sqlx::Result<Option<crate::domain::nomination::Organisation>> {
    let row = sqlx::query(
        "SELECT name, ods_code, kind FROM organisations
         WHERE economy_id = $1 AND (lower(name) = lower($2) OR ($3 IS NOT NULL AND ods_code = $3))
         LIMIT 1",
    )
    .bind(economy_id)
    .bind(name)
    .bind(ods_code)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.map(|r| crate::domain::nomination::Organisation {
        name: r.get(0),
        ods_code: r.get(1),
        kind: r.get(2),
    }))
}

pub async fn organisations(
    pool: &Pool,
    economy_id: i64,
) -> sqlx::Result<Vec<crate::domain::nomination::Organisation>> {
    let rows = sqlx::query(
        "SELECT name, ods_code, kind FROM organisations WHERE economy_id = $1 ORDER BY name",
    )
    .bind(economy_id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .iter()
        .map(|r| crate::domain::nomination::Organisation {
            name: r.get(0),
            ods_code: r.get(1),
            kind: r.get(2),
        })
        .collect())
}

// ---------------------------------------------------------------------------------------
// One economy

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EconomyRow {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub region: String,
    /// candidate, nominated or declined
    pub status: String,
}

pub async fn economy_by_slug(pool: &Pool, slug: &str) -> sqlx::Result<Option<EconomyRow>> {
    let row = sqlx::query("SELECT id, slug, name, region, status FROM economies WHERE slug = $1")
        .bind(slug)
        .fetch_optional(pool)
        .await?;
    Ok(row.map(|r| EconomyRow {
        id: r.get(0),
        slug: r.get(1),
        name: r.get(2),
        region: r.get(3),
        status: r.get(4),
    }))
}

/// Every value of one economy (criteria and benefits), any status.
pub async fn economy_entries(pool: &Pool, economy_id: i64) -> sqlx::Result<Vec<Entry>> {
    let rows = sqlx::query(
        "SELECT period, code, value, status FROM criterion_values WHERE economy_id = $1
         ORDER BY period, code",
    )
    .bind(economy_id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .iter()
        .filter_map(|r| {
            Some(Entry {
                period: r.get::<String, _>(0).parse().ok()?,
                code: r.get(1),
                value: r.get(2),
                status: r.get::<String, _>(3).parse().ok()?,
            })
        })
        .collect())
}

/// The messages sent about one economy, newest first.
pub async fn outbox_for_economy(
    pool: &Pool,
    economy_id: i64,
    limit: i64,
) -> sqlx::Result<Vec<OutboxRow>> {
    let rows = sqlx::query(
        "SELECT recipient, subject, body, created_at FROM outbox WHERE economy_id = $1
         ORDER BY id DESC LIMIT $2",
    )
    .bind(economy_id)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    Ok(rows.iter().map(outbox_row).collect())
}

// ---------------------------------------------------------------------------------------
// Submissions: drafts, evidence and values submitted through the web

/// A value as stored for one quarter: value, status, when and by whom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredValue {
    pub value: String,
    pub status: String,
    pub at: String,
    pub by: String,
    /// The last change to it was made after the quarter's deadline.
    pub late: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftValue {
    pub value: String,
    pub at: String,
    pub by: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvidenceRow {
    pub link: Option<String>,
    pub file_sha256: Option<String>,
    pub file_name: Option<String>,
    pub content_type: Option<String>,
    pub size: Option<i64>,
    pub at: String,
    pub by: String,
}

/// Everything stored for one economy and quarter, by code.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QuarterRows {
    pub values: HashMap<String, StoredValue>,
    pub drafts: HashMap<String, DraftValue>,
    pub evidence: HashMap<String, EvidenceRow>,
}

/// Takes the economy's write lock for the rest of the transaction: concurrent saves of one
/// economy queue here, so a save reads what it compares against and nobody writes between.
/// (SQLite: the first write takes the database's write lock; PostgreSQL: the row's lock.)
pub async fn lock_economy(tx: &mut Tx<'_>, economy_id: i64) -> sqlx::Result<()> {
    sqlx::query("UPDATE economies SET updated_at = updated_at WHERE id = $1")
        .bind(economy_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// What is stored for one economy and quarter.
pub async fn quarter_rows(
    conn: &mut sqlx::AnyConnection,
    economy_id: i64,
    period: &str,
) -> sqlx::Result<QuarterRows> {
    let mut out = QuarterRows::default();
    let rows = sqlx::query(
        "SELECT v.code, v.value, v.status, v.updated_at, v.updated_by,
                COALESCE((SELECT h.late FROM value_history h
                          WHERE h.economy_id = v.economy_id AND h.period = v.period
                            AND h.code = v.code ORDER BY h.id DESC LIMIT 1), 0)
         FROM criterion_values v WHERE v.economy_id = $1 AND v.period = $2",
    )
    .bind(economy_id)
    .bind(period)
    .fetch_all(&mut *conn)
    .await?;
    for r in rows {
        out.values.insert(
            r.get(0),
            StoredValue {
                value: r.get(1),
                status: r.get(2),
                at: r.get(3),
                by: r.get(4),
                late: r.get::<i64, _>(5) != 0,
            },
        );
    }
    let rows = sqlx::query(
        "SELECT code, value, saved_at, saved_by FROM drafts WHERE economy_id = $1 AND period = $2",
    )
    .bind(economy_id)
    .bind(period)
    .fetch_all(&mut *conn)
    .await?;
    for r in rows {
        out.drafts.insert(
            r.get(0),
            DraftValue {
                value: r.get(1),
                at: r.get(2),
                by: r.get(3),
            },
        );
    }
    let rows = sqlx::query(
        "SELECT code, link, file_sha256, file_name, content_type, size, added_at, added_by
         FROM evidence WHERE economy_id = $1 AND period = $2",
    )
    .bind(economy_id)
    .bind(period)
    .fetch_all(&mut *conn)
    .await?;
    for r in rows {
        out.evidence.insert(r.get(0), evidence_row(&r, 1));
    }
    Ok(out)
}

fn evidence_row(r: &DbRow, from: usize) -> EvidenceRow {
    EvidenceRow {
        link: r.get(from),
        file_sha256: r.get(from + 1),
        file_name: r.get(from + 2),
        content_type: r.get(from + 3),
        size: r.get(from + 4),
        at: r.get(from + 5),
        by: r.get(from + 6),
    }
}

pub async fn upsert_draft(
    tx: &mut Tx<'_>,
    economy_id: i64,
    period: &str,
    code: &str,
    value: &str,
    by: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO drafts (economy_id, period, code, value, saved_at, saved_by)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (economy_id, period, code)
         DO UPDATE SET value = excluded.value, saved_at = excluded.saved_at, saved_by = excluded.saved_by",
    )
    .bind(economy_id)
    .bind(period)
    .bind(code)
    .bind(value)
    .bind(now())
    .bind(by)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn delete_draft(
    tx: &mut Tx<'_>,
    economy_id: i64,
    period: &str,
    code: &str,
) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM drafts WHERE economy_id = $1 AND period = $2 AND code = $3")
        .bind(economy_id)
        .bind(period)
        .bind(code)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Submits one value: stored with status `submitted`, the change kept in the history
/// (old value and status, or none for a first value) with whether it was late.
#[allow(clippy::too_many_arguments)]
pub async fn submit_value(
    tx: &mut Tx<'_>,
    economy_id: i64,
    period: &str,
    code: &str,
    value: &str,
    old: Option<(&str, &str)>,
    by: &str,
    late: bool,
) -> sqlx::Result<()> {
    let at = now();
    sqlx::query(
        "INSERT INTO value_history (economy_id, period, code, old_value, old_status,
             new_value, new_status, changed_at, changed_by, late)
         VALUES ($1, $2, $3, $4, $5, $6, 'submitted', $7, $8, $9)",
    )
    .bind(economy_id)
    .bind(period)
    .bind(code)
    .bind(old.map(|o| o.0))
    .bind(old.map(|o| o.1))
    .bind(value)
    .bind(&at)
    .bind(by)
    .bind(i64::from(late))
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO criterion_values (economy_id, period, code, value, status, updated_at, updated_by)
         VALUES ($1, $2, $3, $4, 'submitted', $5, $6)
         ON CONFLICT (economy_id, period, code)
         DO UPDATE SET value = excluded.value, status = excluded.status,
                       updated_at = excluded.updated_at, updated_by = excluded.updated_by",
    )
    .bind(economy_id)
    .bind(period)
    .bind(code)
    .bind(value)
    .bind(&at)
    .bind(by)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// New evidence for a value: a link, a stored document, or both (`None` keeps what is there).
pub struct NewEvidence<'a> {
    pub link: Option<&'a str>,
    /// SHA-256, file name, content type, size.
    pub document: Option<(&'a str, &'a str, &'a str, i64)>,
}

pub async fn set_evidence(
    tx: &mut Tx<'_>,
    economy_id: i64,
    period: &str,
    code: &str,
    e: NewEvidence<'_>,
    by: &str,
) -> sqlx::Result<()> {
    let d = e.document;
    sqlx::query(
        "INSERT INTO evidence (economy_id, period, code, link, file_sha256, file_name,
             content_type, size, added_at, added_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT (economy_id, period, code) DO UPDATE SET
             link = COALESCE(excluded.link, evidence.link),
             file_sha256 = COALESCE(excluded.file_sha256, evidence.file_sha256),
             file_name = COALESCE(excluded.file_name, evidence.file_name),
             content_type = COALESCE(excluded.content_type, evidence.content_type),
             size = COALESCE(excluded.size, evidence.size),
             added_at = excluded.added_at, added_by = excluded.added_by",
    )
    .bind(economy_id)
    .bind(period)
    .bind(code)
    .bind(e.link)
    .bind(d.map(|d| d.0))
    .bind(d.map(|d| d.1))
    .bind(d.map(|d| d.2))
    .bind(d.map(|d| d.3))
    .bind(now())
    .bind(by)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Whether a stored file exists (a document kept from a form shown again).
pub async fn file_exists(pool: &Pool, sha256: &str) -> sqlx::Result<bool> {
    Ok(sqlx::query("SELECT 1 FROM files WHERE sha256 = $1")
        .bind(sha256)
        .fetch_optional(pool)
        .await?
        .is_some())
}

/// The document attached to one value of one economy, with its name and content.
pub async fn evidence_document(
    pool: &Pool,
    economy_id: i64,
    period: &str,
    code: &str,
) -> sqlx::Result<Option<(String, String, Vec<u8>)>> {
    let row = sqlx::query(
        "SELECT e.file_name, f.content_type, f.content FROM evidence e
         JOIN files f ON f.sha256 = e.file_sha256
         WHERE e.economy_id = $1 AND e.period = $2 AND e.code = $3",
    )
    .bind(economy_id)
    .bind(period)
    .bind(code)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| (r.get(0), r.get(1), r.get(2))))
}

/// Every draft of one economy: (period, code, draft).
pub async fn economy_drafts(
    pool: &Pool,
    economy_id: i64,
) -> sqlx::Result<Vec<(String, String, DraftValue)>> {
    let rows = sqlx::query(
        "SELECT period, code, value, saved_at, saved_by FROM drafts WHERE economy_id = $1
         ORDER BY period, code",
    )
    .bind(economy_id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .iter()
        .map(|r| {
            (
                r.get(0),
                r.get(1),
                DraftValue {
                    value: r.get(2),
                    at: r.get(3),
                    by: r.get(4),
                },
            )
        })
        .collect())
}

/// Every value of one economy with when and by whom: (period, code, value).
pub async fn economy_values(
    pool: &Pool,
    economy_id: i64,
) -> sqlx::Result<Vec<(String, String, StoredValue)>> {
    let rows = sqlx::query(
        "SELECT period, code, value, status, updated_at, updated_by FROM criterion_values
         WHERE economy_id = $1 ORDER BY period, code",
    )
    .bind(economy_id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .iter()
        .map(|r| {
            (
                r.get(0),
                r.get(1),
                StoredValue {
                    value: r.get(2),
                    status: r.get(3),
                    at: r.get(4),
                    by: r.get(5),
                    late: false,
                },
            )
        })
        .collect())
}

/// Every piece of evidence of one economy: (period, code, evidence).
pub async fn economy_evidence(
    pool: &Pool,
    economy_id: i64,
) -> sqlx::Result<Vec<(String, String, EvidenceRow)>> {
    let rows = sqlx::query(
        "SELECT period, code, link, file_sha256, file_name, content_type, size, added_at, added_by
         FROM evidence WHERE economy_id = $1 ORDER BY period, code",
    )
    .bind(economy_id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .iter()
        .map(|r| (r.get(0), r.get(1), evidence_row(r, 2)))
        .collect())
}

/// The users of one economy (its submitters), by email.
pub async fn economy_users(pool: &Pool, slug: &str) -> sqlx::Result<Vec<UserRow>> {
    let all = list_users(pool).await?;
    Ok(all
        .into_iter()
        .filter(|u| u.economy.as_deref() == Some(slug))
        .collect())
}

/// An economy's member organisations with their ids, by name.
pub async fn organisation_rows(
    pool: &Pool,
    economy_id: i64,
) -> sqlx::Result<Vec<(i64, crate::domain::nomination::Organisation)>> {
    let rows = sqlx::query(
        "SELECT id, name, ods_code, kind FROM organisations WHERE economy_id = $1 ORDER BY name, id",
    )
    .bind(economy_id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .iter()
        .map(|r| {
            (
                r.get(0),
                crate::domain::nomination::Organisation {
                    name: r.get(1),
                    ods_code: r.get(2),
                    kind: r.get(3),
                },
            )
        })
        .collect())
}

pub async fn add_organisation(
    tx: &mut Tx<'_>,
    economy_id: i64,
    o: &crate::domain::nomination::Organisation,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO organisations (economy_id, name, ods_code, kind, created_at)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(economy_id)
    .bind(&o.name)
    .bind(&o.ods_code)
    .bind(&o.kind)
    .bind(now())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Removes one of the economy's organisations; the name removed, if it was the economy's.
pub async fn remove_organisation(
    tx: &mut Tx<'_>,
    economy_id: i64,
    id: i64,
) -> sqlx::Result<Option<String>> {
    let name: Option<String> =
        sqlx::query("SELECT name FROM organisations WHERE id = $1 AND economy_id = $2")
            .bind(id)
            .bind(economy_id)
            .fetch_optional(&mut **tx)
            .await?
            .map(|r| r.get(0));
    if name.is_some() {
        sqlx::query("DELETE FROM organisations WHERE id = $1 AND economy_id = $2")
            .bind(id)
            .bind(economy_id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(name)
}

// ---------------------------------------------------------------------------------------
// Assessment: reviews, notes, decisions, moved deadlines

/// A submitted value waiting for review, with its evidence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueRow {
    pub economy_id: i64,
    pub slug: String,
    pub name: String,
    pub period: String,
    pub code: String,
    pub value: String,
    pub at: String,
    pub by: String,
    pub link: Option<String>,
    pub file_name: Option<String>,
    pub late: bool,
}

/// Every submitted (not yet reviewed) value of the candidate economies.
pub async fn queue_rows(pool: &Pool) -> sqlx::Result<Vec<QueueRow>> {
    let rows = sqlx::query(
        "SELECT e.id, e.slug, e.name, v.period, v.code, v.value, v.updated_at, v.updated_by,
                ev.link, ev.file_name,
                COALESCE((SELECT h.late FROM value_history h
                          WHERE h.economy_id = v.economy_id AND h.period = v.period
                            AND h.code = v.code ORDER BY h.id DESC LIMIT 1), 0)
         FROM criterion_values v
         JOIN economies e ON e.id = v.economy_id
         LEFT JOIN evidence ev ON ev.economy_id = v.economy_id AND ev.period = v.period
                               AND ev.code = v.code
         WHERE v.status = 'submitted' AND e.status = 'candidate'
         ORDER BY e.slug, v.period, v.code",
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .iter()
        .map(|r| QueueRow {
            economy_id: r.get(0),
            slug: r.get(1),
            name: r.get(2),
            period: r.get(3),
            code: r.get(4),
            value: r.get(5),
            at: r.get(6),
            by: r.get(7),
            link: r.get(8),
            file_name: r.get(9),
            late: r.get::<i64, _>(10) != 0,
        })
        .collect())
}

/// Why a review could not be recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewRefusal {
    /// The value is no longer the one reviewed (resubmitted since), or is gone.
    Changed,
    /// It already has that status.
    AlreadyDone,
}

/// Verifies or returns one value, if it is still `expected`: its status changes, the change
/// goes in the history and the review (with its reason) in `reviews`.
#[allow(clippy::too_many_arguments)]
pub async fn review_value(
    tx: &mut Tx<'_>,
    economy_id: i64,
    period: &str,
    code: &str,
    expected: &str,
    verify: bool,
    reason: Option<&str>,
    by: &str,
) -> sqlx::Result<Result<(), ReviewRefusal>> {
    let row = sqlx::query(
        "SELECT value, status FROM criterion_values WHERE economy_id = $1 AND period = $2 AND code = $3",
    )
    .bind(economy_id)
    .bind(period)
    .bind(code)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(row) = row else {
        return Ok(Err(ReviewRefusal::Changed));
    };
    let (value, status): (String, String) = (row.get(0), row.get(1));
    if value != expected {
        return Ok(Err(ReviewRefusal::Changed));
    }
    let new_status = if verify { "verified" } else { "rejected" };
    if status == new_status {
        return Ok(Err(ReviewRefusal::AlreadyDone));
    }
    let at = now();
    sqlx::query(
        "UPDATE criterion_values SET status = $1 WHERE economy_id = $2 AND period = $3 AND code = $4",
    )
    .bind(new_status)
    .bind(economy_id)
    .bind(period)
    .bind(code)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO value_history (economy_id, period, code, old_value, old_status,
             new_value, new_status, changed_at, changed_by, late)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 0)",
    )
    .bind(economy_id)
    .bind(period)
    .bind(code)
    .bind(&value)
    .bind(&status)
    .bind(&value)
    .bind(new_status)
    .bind(&at)
    .bind(by)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO reviews (economy_id, period, code, value, outcome, reason, reviewed_at, reviewed_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(economy_id)
    .bind(period)
    .bind(code)
    .bind(&value)
    .bind(if verify { "verified" } else { "returned" })
    .bind(reason)
    .bind(&at)
    .bind(by)
    .execute(&mut **tx)
    .await?;
    Ok(Ok(()))
}

/// A review as the economy and staff see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewRow {
    pub period: String,
    pub code: String,
    pub value: String,
    pub outcome: String,
    pub reason: Option<String>,
    pub at: String,
    pub by: String,
}

/// Every review of one economy's values, oldest first.
pub async fn reviews(pool: &Pool, economy_id: i64) -> sqlx::Result<Vec<ReviewRow>> {
    let rows = sqlx::query(
        "SELECT period, code, value, outcome, reason, reviewed_at, reviewed_by FROM reviews
         WHERE economy_id = $1 ORDER BY id",
    )
    .bind(economy_id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .iter()
        .map(|r| ReviewRow {
            period: r.get(0),
            code: r.get(1),
            value: r.get(2),
            outcome: r.get(3),
            reason: r.get(4),
            at: r.get(5),
            by: r.get(6),
        })
        .collect())
}

pub async fn add_note(tx: &mut Tx<'_>, economy_id: i64, body: &str, by: &str) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO notes (economy_id, body, written_at, written_by) VALUES ($1, $2, $3, $4)",
    )
    .bind(economy_id)
    .bind(body)
    .bind(now())
    .bind(by)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// An economy's notes, newest first: (body, when, by whom).
pub async fn notes(pool: &Pool, economy_id: i64) -> sqlx::Result<Vec<(String, String, String)>> {
    let rows = sqlx::query(
        "SELECT body, written_at, written_by FROM notes WHERE economy_id = $1 ORDER BY id DESC",
    )
    .bind(economy_id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect())
}

/// A proposal or a decision on the shortlist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionRow {
    pub id: i64,
    pub slug: String,
    pub name: String,
    /// proposed, shortlisted, selected or not-selected
    pub outcome: String,
    pub rationale: String,
    pub period: Option<String>,
    pub scores: String,
    pub at: String,
    pub by: String,
    /// When it was made public, if it was.
    pub published_at: Option<String>,
}

pub async fn insert_decision(
    tx: &mut Tx<'_>,
    economy_id: i64,
    outcome: &str,
    rationale: &str,
    period: Option<&str>,
    scores: &str,
    by: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO decisions (economy_id, outcome, rationale, period, scores, made_at, made_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(economy_id)
    .bind(outcome)
    .bind(rationale)
    .bind(period)
    .bind(scores)
    .bind(now())
    .bind(by)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Every proposal and decision, oldest first.
pub async fn decisions(pool: &Pool) -> sqlx::Result<Vec<DecisionRow>> {
    let rows = sqlx::query(
        "SELECT d.id, e.slug, e.name, d.outcome, d.rationale, d.period, d.scores, d.made_at,
                d.made_by, p.published_at
         FROM decisions d JOIN economies e ON e.id = d.economy_id
         LEFT JOIN decision_publications p ON p.decision_id = d.id
         ORDER BY d.id",
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .iter()
        .map(|r| DecisionRow {
            id: r.get(0),
            slug: r.get(1),
            name: r.get(2),
            outcome: r.get(3),
            rationale: r.get(4),
            period: r.get(5),
            scores: r.get(6),
            at: r.get(7),
            by: r.get(8),
            published_at: r.get(9),
        })
        .collect())
}

/// Makes a decision public; false if there is no such decision or it is a proposal, or it
/// is public already.
pub async fn publish_decision(tx: &mut Tx<'_>, id: i64, by: &str) -> sqlx::Result<bool> {
    let ok = sqlx::query(
        "SELECT 1 FROM decisions d WHERE d.id = $1 AND d.outcome <> 'proposed'
         AND NOT EXISTS (SELECT 1 FROM decision_publications p WHERE p.decision_id = d.id)",
    )
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?
    .is_some();
    if ok {
        sqlx::query(
            "INSERT INTO decision_publications (decision_id, published_at, published_by) VALUES ($1, $2, $3)",
        )
        .bind(id)
        .bind(now())
        .bind(by)
        .execute(&mut **tx)
        .await?;
    }
    Ok(ok)
}

/// Deadlines the board moved: quarter to due date.
pub async fn deadline_plans(pool: &Pool) -> sqlx::Result<HashMap<String, String>> {
    let rows = sqlx::query("SELECT period, due_on FROM deadline_plans")
        .fetch_all(pool)
        .await?;
    Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
}

/// Moves a quarter's submission deadline (the board's date over the framework's calendar).
pub async fn set_deadline_plan(tx: &mut Tx<'_>, period: &str, due_on: &str) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO deadline_plans (period, due_on) VALUES ($1, $2)
         ON CONFLICT (period) DO UPDATE SET due_on = excluded.due_on",
    )
    .bind(period)
    .bind(due_on)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Sets a quarter's planned publication date.
pub async fn set_publication_plan(
    tx: &mut Tx<'_>,
    period: &str,
    planned_on: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO publication_plans (period, planned_on) VALUES ($1, $2)
         ON CONFLICT (period) DO UPDATE SET planned_on = excluded.planned_on",
    )
    .bind(period)
    .bind(planned_on)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Every stored framework version with its id, oldest first: (id, code, version, framework).
pub async fn framework_versions(pool: &Pool) -> sqlx::Result<Vec<(i64, String, i64, Framework)>> {
    let rows = sqlx::query("SELECT id, code, version, definition FROM frameworks ORDER BY id")
        .fetch_all(pool)
        .await?;
    rows.iter()
        .map(|r| {
            let definition: String = r.get(3);
            Ok((
                r.get(0),
                r.get(1),
                r.get(2),
                serde_json::from_str(&definition).map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
            ))
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// The trust EPR register

/// A trust as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustEntry {
    pub code: String,
    pub name: String,
    pub kind: String,
    pub region: String,
    pub economy: Option<String>,
    pub economy_name: Option<String>,
    pub epr_status: String,
    pub operational_date: Option<String>,
    pub planned_date: Option<String>,
    pub updated_at: String,
    pub updated_by: String,
    pub evidence_link: Option<String>,
    /// The document's file name, when one is attached.
    pub evidence_name: Option<String>,
}

impl TrustEntry {
    /// What an EPR form carries of the entry it was drawn from (`version-CODE`), so a save
    /// from a form older than the latest change is refused rather than overwriting it.
    pub fn version(&self) -> String {
        format!("{}|{}", self.updated_at, self.updated_by)
    }
}

/// Every trust, by name.
pub async fn trusts(pool: &Pool) -> sqlx::Result<Vec<TrustEntry>> {
    let rows = sqlx::query(
        "SELECT t.code, t.name, t.kind, t.region, e.slug, e.name, t.epr_status,
                t.operational_date, t.planned_date, t.updated_at, t.updated_by,
                t.evidence_link, t.evidence_name
         FROM trusts t LEFT JOIN economies e ON e.id = t.economy_id
         ORDER BY t.name, t.code",
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .iter()
        .map(|r| TrustEntry {
            code: r.get(0),
            name: r.get(1),
            kind: r.get(2),
            region: r.get(3),
            economy: r.get(4),
            economy_name: r.get(5),
            epr_status: r.get(6),
            operational_date: r.get(7),
            planned_date: r.get(8),
            updated_at: r.get(9),
            updated_by: r.get(10),
            evidence_link: r.get(11),
            evidence_name: r.get(12),
        })
        .collect())
}

/// A trust's stored columns: name, kind, region, economy id, status, operational and planned
/// dates.
type StoredTrust = (
    String,
    String,
    String,
    Option<i64>,
    String,
    Option<String>,
    Option<String>,
);

/// Creates or replaces trusts (and keeps each change in the history) in one transaction with
/// its audit entry. Returns (new, updated, unchanged).
pub async fn upsert_trusts(
    pool: &Pool,
    rows: &[crate::domain::trusts::TrustRow],
    by: &str,
    audit: impl FnOnce(u64, u64, u64) -> crate::audit::Entry,
) -> sqlx::Result<(u64, u64, u64)> {
    let ids = economy_ids(pool).await?;
    let existing: HashMap<String, StoredTrust> =
        sqlx::query(
            "SELECT code, name, kind, region, economy_id, epr_status, operational_date, planned_date FROM trusts",
        )
        .fetch_all(pool)
        .await?
        .iter()
        .map(|r| {
            (
                r.get::<String, _>(0),
                (r.get(1), r.get(2), r.get(3), r.get(4), r.get(5), r.get(6), r.get(7)),
            )
        })
        .collect();
    let at = now();
    let mut tx = pool.begin().await?;
    let (mut new, mut updated, mut same) = (0, 0, 0);
    for t in rows {
        let economy_id = t.economy.as_ref().and_then(|e| ids.get(e).copied());
        let (op, planned) = t.epr.dates();
        let now_row = (
            t.name.clone(),
            t.kind.clone(),
            t.region.clone(),
            economy_id,
            t.epr.status().to_string(),
            op.clone(),
            planned.clone(),
        );
        match existing.get(&t.code) {
            Some(old) if *old == now_row => {
                same += 1;
                continue;
            }
            Some(_) => updated += 1,
            None => new += 1,
        }
        sqlx::query(
            "INSERT INTO trusts (code, name, kind, region, economy_id, epr_status,
                 operational_date, planned_date, updated_at, updated_by)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
             ON CONFLICT (code) DO UPDATE SET name = excluded.name, kind = excluded.kind,
                 region = excluded.region, economy_id = excluded.economy_id,
                 epr_status = excluded.epr_status, operational_date = excluded.operational_date,
                 planned_date = excluded.planned_date, updated_at = excluded.updated_at,
                 updated_by = excluded.updated_by",
        )
        .bind(&t.code)
        .bind(&t.name)
        .bind(&t.kind)
        .bind(&t.region)
        .bind(economy_id)
        .bind(t.epr.status())
        .bind(&op)
        .bind(&planned)
        .bind(&at)
        .bind(by)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO trust_history (code, epr_status, operational_date, planned_date, changed_at, changed_by)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&t.code)
        .bind(t.epr.status())
        .bind(&op)
        .bind(&planned)
        .bind(&at)
        .bind(by)
        .execute(&mut *tx)
        .await?;
    }
    audit_append(&mut tx, &audit(new, updated, same)).await?;
    tx.commit().await?;
    Ok((new, updated, same))
}

/// The evidence given with a trust's EPR status: a link, a stored document (SHA-256 and file
/// name), or both. `None` in either keeps what is there.
#[derive(Debug, Clone, Default)]
pub struct TrustEvidence {
    pub link: Option<String>,
    pub document: Option<(String, String)>,
}

/// Sets one trust's EPR status and evidence; with `economy_id`, only if the trust belongs to
/// that economy (false if it does not, or there is no such trust). The change goes in the
/// history with the evidence it had.
/// Sets a trust's EPR status if it is the editor's (any trust for board staff) and, when
/// `version` is given, only if nobody changed the entry since (`TrustEntry::version`).
pub async fn set_trust_epr(
    tx: &mut Tx<'_>,
    code: &str,
    economy_id: Option<i64>,
    epr: &crate::domain::trusts::Epr,
    evidence: &TrustEvidence,
    by: &str,
    version: Option<&str>,
) -> sqlx::Result<bool> {
    let (seen_at, seen_by) = match version.map(|v| v.split_once('|').unwrap_or((v, ""))) {
        Some((a, b)) => (Some(a), Some(b)),
        None => (None, None),
    };
    let (op, planned) = epr.dates();
    let at = now();
    let doc = evidence.document.as_ref();
    let done = sqlx::query(
        "UPDATE trusts SET epr_status = $1, operational_date = $2, planned_date = $3,
             updated_at = $4, updated_by = $5,
             evidence_link = COALESCE($6, evidence_link),
             evidence_sha256 = COALESCE($7, evidence_sha256),
             evidence_name = COALESCE($8, evidence_name)
         WHERE code = $9 AND ($10 IS NULL OR economy_id = $10)
           AND ($11 IS NULL OR (updated_at = $11 AND updated_by = $12))",
    )
    .bind(epr.status())
    .bind(&op)
    .bind(&planned)
    .bind(&at)
    .bind(by)
    .bind(&evidence.link)
    .bind(doc.map(|d| d.0.as_str()))
    .bind(doc.map(|d| d.1.as_str()))
    .bind(code)
    .bind(economy_id)
    .bind(seen_at)
    .bind(seen_by)
    .execute(&mut **tx)
    .await?
    .rows_affected()
        == 1;
    if done {
        sqlx::query(
            "INSERT INTO trust_history (code, epr_status, operational_date, planned_date,
                 changed_at, changed_by, evidence_link, evidence_sha256, evidence_name)
             SELECT code, epr_status, operational_date, planned_date, updated_at, updated_by,
                 evidence_link, evidence_sha256, evidence_name
             FROM trusts WHERE code = $1",
        )
        .bind(code)
        .execute(&mut **tx)
        .await?;
    }
    Ok(done)
}

/// The document behind one trust's EPR status: its name, content type and content.
pub async fn trust_document(
    pool: &Pool,
    code: &str,
) -> sqlx::Result<Option<(String, String, Vec<u8>)>> {
    let row = sqlx::query(
        "SELECT t.evidence_name, f.content_type, f.content FROM trusts t
         JOIN files f ON f.sha256 = t.evidence_sha256
         WHERE t.code = $1",
    )
    .bind(code)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| (r.get(0), r.get(1), r.get(2))))
}

/// One change of a trust's entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustChange {
    pub epr_status: String,
    pub operational_date: Option<String>,
    pub planned_date: Option<String>,
    pub changed_at: String,
    pub changed_by: String,
    pub evidence_link: Option<String>,
    pub evidence_name: Option<String>,
}

/// Every change of one trust's entry, newest first.
pub async fn trust_changes(pool: &Pool, code: &str) -> sqlx::Result<Vec<TrustChange>> {
    let rows = sqlx::query(
        "SELECT epr_status, operational_date, planned_date, changed_at, changed_by,
                evidence_link, evidence_name
         FROM trust_history WHERE code = $1 ORDER BY id DESC",
    )
    .bind(code)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .iter()
        .map(|r| TrustChange {
            epr_status: r.get(0),
            operational_date: r.get(1),
            planned_date: r.get(2),
            changed_at: r.get(3),
            changed_by: r.get(4),
            evidence_link: r.get(5),
            evidence_name: r.get(6),
        })
        .collect())
}

/// A remediation plan as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanRow {
    pub id: i64,
    pub code: String,
    pub agreed_date: String,
    pub agreed: String,
    pub consequence: String,
    pub recorded_at: String,
    pub recorded_by: String,
    pub published_at: Option<String>,
}

/// Every remediation plan, oldest first (a trust's last one is its current plan).
pub async fn remediation_plans(pool: &Pool) -> sqlx::Result<Vec<PlanRow>> {
    let rows = sqlx::query(
        "SELECT id, code, agreed_date, agreed, consequence, recorded_at, recorded_by, published_at
         FROM remediation_plans ORDER BY id",
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .iter()
        .map(|r| PlanRow {
            id: r.get(0),
            code: r.get(1),
            agreed_date: r.get(2),
            agreed: r.get(3),
            consequence: r.get(4),
            recorded_at: r.get(5),
            recorded_by: r.get(6),
            published_at: r.get(7),
        })
        .collect())
}

/// Records a remediation plan for a trust (superseding any earlier one); its id.
pub async fn add_plan(
    tx: &mut Tx<'_>,
    code: &str,
    plan: &crate::domain::trusts::Plan,
    by: &str,
) -> sqlx::Result<i64> {
    sqlx::query(
        "INSERT INTO remediation_plans (code, agreed_date, agreed, consequence, recorded_at, recorded_by)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(code)
    .bind(plan.agreed_date.to_string())
    .bind(&plan.agreed)
    .bind(&plan.consequence)
    .bind(now())
    .bind(by)
    .fetch_one(&mut **tx)
    .await
    .map(|r| r.get(0))
}

/// Makes a plan public (once); its trust's code, or `None` if there is no such plan or it
/// was public already.
pub async fn publish_plan(tx: &mut Tx<'_>, id: i64, by: &str) -> sqlx::Result<Option<String>> {
    let row = sqlx::query(
        "UPDATE remediation_plans SET published_at = $1, published_by = $2
         WHERE id = $3 AND published_at IS NULL RETURNING code",
    )
    .bind(now())
    .bind(by)
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.map(|r| r.get(0)))
}
