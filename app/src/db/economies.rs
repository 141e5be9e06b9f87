//! Economies: the register, imports, and one economy by its slug.

use super::*;

// Economies

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, sqlx::FromRow)]
pub struct Economy {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub region: String,
}

/// Candidate economies (the ones scored and published), by slug.
pub async fn candidates(pool: &Pool) -> sqlx::Result<Vec<Economy>> {
    sqlx::query_as(
        "SELECT id, slug, name, region FROM economies WHERE status = 'candidate' ORDER BY slug",
    )
    .fetch_all(pool)
    .await
}

/// Slug to id for every economy.
pub async fn economy_ids(pool: &Pool) -> sqlx::Result<HashMap<String, i64>> {
    let rows: Vec<(i64, String)> = sqlx::query_as("SELECT id, slug FROM economies")
        .fetch_all(pool)
        .await?;
    Ok(rows.into_iter().map(|(id, slug)| (slug, id)).collect())
}

pub async fn count_economies(pool: &Pool) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM economies")
        .fetch_one(pool)
        .await
}

/// Creates or updates economies by slug, in one transaction. Returns (created, updated).
pub async fn upsert_economies(
    pool: &Pool,
    rows: &[EconomyFileRow],
    audit: impl FnOnce(u64, u64) -> crate::audit::Entry,
) -> sqlx::Result<(u64, u64)> {
    let mut tx = pool.begin().await?;
    let existing: HashMap<String, (String, String)> =
        sqlx::query_as::<_, (String, String, String)>("SELECT slug, name, region FROM economies")
            .fetch_all(&mut *tx)
            .await?
            .into_iter()
            .map(|(slug, name, region)| (slug, (name, region)))
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

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct EconomyRow {
    pub id: i64,
    pub slug: crate::domain::Slug,
    pub name: String,
    pub region: String,
    /// candidate, nominated or declined
    pub status: String,
}

pub async fn economy_by_slug(pool: &Pool, slug: &str) -> sqlx::Result<Option<EconomyRow>> {
    sqlx::query_as("SELECT id, slug, name, region, status FROM economies WHERE slug = $1")
        .bind(slug)
        .fetch_optional(pool)
        .await
}

/// A value as stored, its quarter and status as TEXT.
#[derive(sqlx::FromRow)]
struct EntryRecord {
    period: String,
    code: String,
    value: String,
    status: String,
}

impl EntryRecord {
    /// The entry, or `None` when its quarter or status does not parse.
    fn entry(self) -> Option<Entry> {
        Some(Entry {
            period: self.period.parse().ok()?,
            code: self.code,
            value: self.value,
            status: self.status.parse().ok()?,
        })
    }
}

/// Every value of one economy (criteria and benefits), any status.
pub async fn economy_entries(pool: &Pool, economy_id: i64) -> sqlx::Result<Vec<Entry>> {
    let rows: Vec<EntryRecord> = sqlx::query_as(
        "SELECT period, code, value, status FROM criterion_values WHERE economy_id = $1
         ORDER BY period, code",
    )
    .bind(economy_id)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().filter_map(EntryRecord::entry).collect())
}

/// A message about an economy, with its place in the outbox (later messages, higher ids).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct EconomyMessage {
    pub id: i64,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub created_at: String,
}

/// The messages sent about one economy, newest first.
pub async fn outbox_for_economy(
    pool: &Pool,
    economy_id: i64,
    limit: i64,
) -> sqlx::Result<Vec<EconomyMessage>> {
    sqlx::query_as(
        "SELECT id, recipient, subject, body, created_at FROM outbox WHERE economy_id = $1
         ORDER BY id DESC LIMIT $2",
    )
    .bind(economy_id)
    .bind(limit)
    .fetch_all(pool)
    .await
}

/// The last message `user_id` has seen (an outbox id; 0 when none).
pub async fn messages_seen(pool: &Pool, user_id: i64) -> sqlx::Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT last_seen FROM message_reads WHERE user_id = $1")
            .bind(user_id)
            .fetch_optional(pool)
            .await?
            .unwrap_or(0),
    )
}

/// Records that `user_id` has seen every message up to now.
pub async fn mark_messages_seen(pool: &Pool, user_id: i64) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO message_reads (user_id, last_seen, seen_at)
         VALUES ($1, (SELECT COALESCE(MAX(id), 0) FROM outbox), $2)
         ON CONFLICT (user_id) DO UPDATE SET last_seen = excluded.last_seen,
             seen_at = excluded.seen_at",
    )
    .bind(user_id)
    .bind(now())
    .execute(pool)
    .await?;
    Ok(())
}

/// How many messages to `recipient` came after the message `seen`.
pub async fn messages_after(pool: &Pool, recipient: &str, seen: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE recipient = $1 AND id > $2")
        .bind(recipient)
        .bind(seen)
        .fetch_one(pool)
        .await
}

/// The day each economy joined (was first registered), by id.
pub async fn economies_joined(pool: &Pool) -> sqlx::Result<HashMap<i64, String>> {
    let rows: Vec<(i64, String)> = sqlx::query_as("SELECT id, created_at FROM economies")
        .fetch_all(pool)
        .await?;
    Ok(rows.into_iter().collect())
}
