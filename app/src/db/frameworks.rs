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
