//! Framework versions: stored, the active one, each published quarter's.

use super::*;

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
        sqlx::query_scalar("SELECT COALESCE(MAX(version), 0) + 1 FROM frameworks WHERE code = $1")
            .bind(&fw.code)
            .fetch_one(&mut *tx)
            .await?;
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

/// A stored framework as selected: its definition is JSON text.
#[derive(sqlx::FromRow)]
struct FrameworkRecord {
    id: i64,
    version: i64,
    loaded_at: String,
    definition: String,
}

impl TryFrom<FrameworkRecord> for StoredFramework {
    type Error = sqlx::Error;

    fn try_from(r: FrameworkRecord) -> sqlx::Result<Self> {
        Ok(StoredFramework {
            id: r.id,
            version: r.version,
            loaded_at: r.loaded_at,
            framework: serde_json::from_str(&r.definition)
                .map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
        })
    }
}

/// The active framework: the newest loaded.
pub async fn active_framework(pool: &Pool) -> sqlx::Result<Option<StoredFramework>> {
    let row: Option<FrameworkRecord> = sqlx::query_as(
        "SELECT id, version, loaded_at, definition FROM frameworks ORDER BY id DESC LIMIT 1",
    )
    .fetch_optional(pool)
    .await?;
    row.map(StoredFramework::try_from).transpose()
}

/// A framework as listed: `active` is an INTEGER, 0 or 1.
#[derive(sqlx::FromRow)]
struct ListingRecord {
    code: String,
    version: i64,
    name: String,
    loaded_at: String,
    active: i64,
}

impl From<ListingRecord> for FrameworkListing {
    fn from(r: ListingRecord) -> Self {
        FrameworkListing {
            code: r.code,
            version: r.version,
            name: r.name,
            loaded_at: r.loaded_at,
            active: r.active != 0,
        }
    }
}

pub async fn list_frameworks(pool: &Pool) -> sqlx::Result<Vec<FrameworkListing>> {
    let rows: Vec<ListingRecord> = sqlx::query_as(
        "SELECT id, code, version, name, loaded_at,
                CASE WHEN id = (SELECT MAX(id) FROM frameworks) THEN 1 ELSE 0 END AS active
         FROM frameworks ORDER BY id",
    )
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(FrameworkListing::from).collect())
}
