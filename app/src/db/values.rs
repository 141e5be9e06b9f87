//! Criterion values: imports in batches, the stored values scoring reads.

use super::*;

// Values

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ValueImport {
    pub inserted: u64,
    pub replaced: u64,
    pub unchanged: u64,
}

/// Rows per bulk insert statement.
pub(super) const BATCH: usize = 10_000;

/// Inserts the rows of a JSON array `[[economy_id, period, code, value, status], …]`.
/// Dialect: SQLite unpacks it with `json_each`, PostgreSQL with `json_array_elements`;
/// both extract with `->>`.
pub(super) fn bulk_insert_values(backend: Backend) -> &'static str {
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
pub(super) type StoredValues = HashMap<(String, String), (String, String)>;

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
            let rows: Vec<(String, String, String, String)> = sqlx::query_as(
                "SELECT period, code, value, status FROM criterion_values WHERE economy_id = $1",
            )
            .bind(id)
            .fetch_all(&mut *self.tx)
            .await?;
            slot.insert(
                rows.into_iter()
                    .map(|(period, code, value, status)| ((period, code), (value, status)))
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
                         SET value = $1, status = $2, updated_at = $3, updated_by = $4,
                             reason = NULL
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

pub(super) async fn count_values(tx: &mut Tx<'_>) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM criterion_values")
        .fetch_one(&mut **tx)
        .await
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
    let rows: Vec<(i64, String)> = sqlx::query_as(sql).fetch_all(pool).await?;
    let mut out: HashMap<i64, Vec<Entry>> = HashMap::with_capacity(rows.len());
    for (id, json) in rows {
        let packed: Vec<(&str, String, String, &str)> =
            serde_json::from_str(&json).map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
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

/// A change as stored: `late` is an INTEGER, 0 or 1.
#[derive(sqlx::FromRow)]
struct HistoryRecord {
    period: String,
    code: String,
    old_value: Option<String>,
    old_status: Option<String>,
    new_value: String,
    new_status: String,
    changed_at: String,
    changed_by: String,
    late: i64,
}

impl From<HistoryRecord> for HistoryRow {
    fn from(r: HistoryRecord) -> Self {
        HistoryRow {
            period: r.period,
            code: r.code,
            old_value: r.old_value,
            old_status: r.old_status,
            new_value: r.new_value,
            new_status: r.new_status,
            changed_at: r.changed_at,
            changed_by: r.changed_by,
            late: r.late != 0,
        }
    }
}

/// The history of an economy's values, oldest first.
pub async fn value_history(pool: &Pool, economy_id: i64) -> sqlx::Result<Vec<HistoryRow>> {
    let rows: Vec<HistoryRecord> = sqlx::query_as(
        "SELECT period, code, old_value, old_status, new_value, new_status, changed_at, changed_by,
                late
         FROM value_history WHERE economy_id = $1 ORDER BY id",
    )
    .bind(economy_id)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(HistoryRow::from).collect())
}

/// A value's economy, quarter, code, status, last change, first entry and count of changes.
type ArrivalRow = (i64, String, String, String, String, Option<String>, i64);

/// Every stored value with when it first came, when that is known, and its status, of one
/// economy or all: (economy id, quarter, code, status, first). A value's first entry in its
/// history (no old value) is its arrival; a value with no history arrived with its last
/// change; one whose history starts with a change (a review, a correction) arrived before it,
/// by a file import whose day was not kept: not known.
pub async fn arrivals(
    pool: &Pool,
    economy_id: Option<i64>,
) -> sqlx::Result<Vec<(i64, String, String, String, Option<String>)>> {
    const SELECT: &str = "SELECT v.economy_id, v.period, v.code, v.status, v.updated_at,
            (SELECT MIN(h.changed_at) FROM value_history h
             WHERE h.economy_id = v.economy_id AND h.period = v.period AND h.code = v.code
               AND h.old_value IS NULL),
            (SELECT COUNT(*) FROM value_history h
             WHERE h.economy_id = v.economy_id AND h.period = v.period AND h.code = v.code)
         FROM criterion_values v";
    let rows: Vec<ArrivalRow> = match economy_id {
        Some(id) => {
            sqlx::query_as(&format!("{SELECT} WHERE v.economy_id = $1"))
                .bind(id)
                .fetch_all(pool)
                .await?
        }
        None => sqlx::query_as(SELECT).fetch_all(pool).await?,
    };
    Ok(rows
        .into_iter()
        .map(|(id, period, code, status, updated, entered, changes)| {
            let first = entered.or((changes == 0).then_some(updated));
            (id, period, code, status, first)
        })
        .collect())
}
