//! All SQL lives here. Queries are checked at run time (`query`/`query_as`) with `$1`
//! placeholders, which SQLite and PostgreSQL both accept; where the dialects differ it is
//! said at the spot. Nothing outside this module writes SQL.

use crate::domain::files::{EconomyRow as EconomyFileRow, ValueRow};
use crate::domain::scoring::Entry;
use crate::domain::{Framework, Quarter};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::Row;
use std::collections::HashMap;
use std::str::FromStr;
use std::time::Duration;

pub type Pool = sqlx::SqlitePool;
pub type Tx<'a> = sqlx::Transaction<'a, sqlx::Sqlite>;

/// Why the database could not be opened or migrated (exit status 3 on the command line).
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("cannot use database {url}: {reason}")]
    Open { url: String, reason: String },
    #[error("cannot migrate database {url}: {reason}")]
    Migrate { url: String, reason: String },
}

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/sqlite");

/// Opens the database at `url` (creating a SQLite file and its folder when missing) and
/// applies pending migrations.
pub async fn open(url: &str) -> Result<Pool, OpenError> {
    let open_err = |reason: String| OpenError::Open {
        url: url.to_string(),
        reason,
    };
    if !url.starts_with("sqlite:") {
        return Err(open_err(
            "only sqlite:// URLs are supported by this build (PostgreSQL is planned)".into(),
        ));
    }
    let options = SqliteConnectOptions::from_str(url)
        .map_err(|e| open_err(e.to_string()))?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(10))
        // 64 MiB of page cache a connection, so bulk imports do not spill pages.
        .pragma("cache_size", "-65536");
    let path = options.get_filename().to_path_buf();
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| open_err(format!("{}: {e}", dir.display())))?;
    }
    let pool = SqlitePoolOptions::new()
        .max_connections(8)
        .connect_with(options)
        .await
        .map_err(|e| open_err(e.to_string()))?;
    MIGRATOR.run(&pool).await.map_err(|e| OpenError::Migrate {
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
                id = (SELECT MAX(id) FROM frameworks) AS active
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
            active: r.get::<bool, _>("active"),
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
pub async fn upsert_economies(pool: &Pool, rows: &[EconomyFileRow]) -> sqlx::Result<(u64, u64)> {
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
/// Dialect: SQLite unpacks it with `json_each`; PostgreSQL will use
/// `json_array_elements($1::json)` with the same `->>` extraction.
const BULK_INSERT_VALUES: &str = "INSERT INTO criterion_values
        (economy_id, period, code, value, status, updated_at, updated_by)
     SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, $2, $3
     FROM json_each($1)";

/// Stores values in one transaction, chunk by chunk as a file is checked: new keys are
/// inserted, changed ones replaced with their old value kept in the history, identical ones
/// left alone. Nothing is visible to others until `commit`; dropped, it stores nothing.
pub struct ValueImporter {
    tx: Tx<'static>,
    ids: HashMap<String, i64>,
    /// Stored values of the economies met so far, when the table had any at the start.
    existing: Option<HashMap<i64, HashMap<(String, String), (String, String)>>>,
    now: String,
    by: String,
    summary: ValueImport,
}

impl ValueImporter {
    pub async fn begin(pool: &Pool, ids: HashMap<String, i64>, by: &str) -> sqlx::Result<Self> {
        let mut tx = pool.begin().await?;
        let existing = (count_values(&mut tx).await? > 0).then(HashMap::new);
        Ok(ValueImporter {
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
        if !existing.contains_key(&id) {
            let rows = sqlx::query(
                "SELECT period, code, value, status FROM criterion_values WHERE economy_id = $1",
            )
            .bind(id)
            .fetch_all(&mut *self.tx)
            .await?;
            let map = rows
                .iter()
                .map(|r| ((r.get(0), r.get(1)), (r.get(2), r.get(3))))
                .collect();
            existing.insert(id, map);
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
            sqlx::query(BULK_INSERT_VALUES)
                .bind(json)
                .bind(&self.now)
                .bind(&self.by)
                .execute(&mut *self.tx)
                .await?;
            self.summary.inserted += chunk.len() as u64;
        }
        Ok(())
    }

    pub async fn commit(self) -> sqlx::Result<ValueImport> {
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
    // Dialect: SQLite's json_group_array(json_array(…)); PostgreSQL's json_agg(json_build_array(…)).
    let rows = sqlx::query(
        "SELECT v.economy_id, json_group_array(json_array(v.period, v.code, v.value, v.status))
         FROM criterion_values v JOIN economies e ON e.id = v.economy_id
         WHERE e.status = 'candidate'
         GROUP BY v.economy_id",
    )
    .fetch_all(pool)
    .await?;
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
}

/// The history of an economy's values, oldest first.
pub async fn value_history(pool: &Pool, economy_id: i64) -> sqlx::Result<Vec<HistoryRow>> {
    let rows = sqlx::query(
        "SELECT period, code, old_value, old_status, new_value, new_status, changed_at, changed_by
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

pub async fn insert_publication(pool: &Pool, p: NewPublication<'_>) -> sqlx::Result<()> {
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
    .execute(pool)
    .await?;
    Ok(())
}

fn publication(r: &sqlx::sqlite::SqliteRow) -> Publication {
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
                (SELECT COALESCE(MAX(updated_at), '') FROM economies)",
    )
    .fetch_one(pool)
    .await?;
    Ok(format!(
        "{}.{}.{}.{}.{}",
        row.get::<i64, _>(0),
        row.get::<i64, _>(1),
        row.get::<i64, _>(2),
        row.get::<i64, _>(3),
        row.get::<String, _>(4)
    ))
}
