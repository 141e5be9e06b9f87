//! Economies: the register, imports, and one economy by its slug.

use super::*;

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
