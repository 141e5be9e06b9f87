//! The audit log: appending in the caller's transaction (the chain itself is in `audit`), the head, reading and filtering.

use super::*;

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
    let prev: String = sqlx::query_scalar("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1")
        .fetch_optional(&mut **tx)
        .await?
        .unwrap_or_default();
    let at = now();
    let hash = crate::audit::chain_mac(key, &prev, &at, entry);
    sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1")
        .bind(&hash)
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "INSERT INTO audit_log (at, actor, kind, economy, summary, before, after, prev_hash, hash, address, keyed, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, $11)",
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
    .bind(real_now())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The recorded head of the audit log.
pub async fn audit_head(pool: &Pool) -> sqlx::Result<crate::audit::Head> {
    let (entries, hash) = sqlx::query_as("SELECT entries, hash FROM audit_head WHERE id = 1")
        .fetch_one(pool)
        .await?;
    Ok(crate::audit::Head { entries, hash })
}

/// Does the log hold entries chained with a key (so the key file must exist)?
pub async fn audit_has_keyed(pool: &Pool) -> sqlx::Result<bool> {
    let keyed: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE keyed = 1")
        .fetch_one(pool)
        .await?;
    Ok(keyed > 0)
}

/// An entry as stored: `keyed` is an INTEGER, 1 for a keyed entry.
#[derive(sqlx::FromRow)]
struct AuditRecord {
    id: i64,
    at: String,
    actor: String,
    kind: String,
    economy: Option<String>,
    summary: String,
    before: Option<String>,
    after: Option<String>,
    prev_hash: String,
    hash: String,
    address: Option<String>,
    keyed: i64,
}

impl From<AuditRecord> for AuditRow {
    fn from(r: AuditRecord) -> Self {
        AuditRow {
            id: r.id,
            at: r.at,
            actor: r.actor,
            kind: r.kind,
            economy: r.economy,
            summary: r.summary,
            before: r.before,
            after: r.after,
            prev_hash: r.prev_hash,
            hash: r.hash,
            address: r.address,
            keyed: r.keyed == 1,
        }
    }
}

/// The whole log, oldest first (for the chain check).
pub async fn audit_all(pool: &Pool) -> sqlx::Result<Vec<AuditRow>> {
    let rows = sqlx::query_as::<_, AuditRecord>("SELECT * FROM audit_log ORDER BY id")
        .fetch_all(pool)
        .await?;
    Ok(rows.into_iter().map(AuditRow::from).collect())
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

/// The filter's condition, its values bound as $1 to $5 in `AuditFilter`'s order.
const AUDIT_MATCHES: &str = "($1 IS NULL OR economy = $1) AND ($2 IS NULL OR actor = $2)
           AND ($3 IS NULL OR kind = $3) AND ($4 IS NULL OR substr(at, 1, 10) >= $4)
           AND ($5 IS NULL OR substr(at, 1, 10) <= $5)";

/// Entries matching the filter, newest first.
pub async fn audit_find(pool: &Pool, f: &AuditFilter, limit: i64) -> sqlx::Result<Vec<AuditRow>> {
    audit_page(pool, f, limit, 0).await
}

/// One page of the entries matching the filter, newest first: `limit` of them after the
/// first `offset`.
pub async fn audit_page(
    pool: &Pool,
    f: &AuditFilter,
    limit: i64,
    offset: i64,
) -> sqlx::Result<Vec<AuditRow>> {
    let sql = format!(
        "SELECT * FROM audit_log WHERE {AUDIT_MATCHES} ORDER BY id DESC LIMIT $6 OFFSET $7"
    );
    let rows = sqlx::query_as::<_, AuditRecord>(&sql)
        .bind(&f.economy)
        .bind(&f.actor)
        .bind(&f.kind)
        .bind(&f.from)
        .bind(&f.to)
        .bind(limit)
        .bind(offset)
        .fetch_all(pool)
        .await?;
    Ok(rows.into_iter().map(AuditRow::from).collect())
}

/// How many entries match the filter.
pub async fn audit_count(pool: &Pool, f: &AuditFilter) -> sqlx::Result<i64> {
    let sql = format!("SELECT COUNT(*) FROM audit_log WHERE {AUDIT_MATCHES}");
    sqlx::query_scalar(&sql)
        .bind(&f.economy)
        .bind(&f.actor)
        .bind(&f.kind)
        .bind(&f.from)
        .bind(&f.to)
        .fetch_one(pool)
        .await
}

pub async fn audit_kinds(pool: &Pool) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar("SELECT DISTINCT kind FROM audit_log ORDER BY kind")
        .fetch_all(pool)
        .await
}
