//! Publications: each quarter's published figures and revisions.

use super::*;

// Publications

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
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

/// How many values of each quarter wait for review (submitted, neither verified nor
/// returned), by quarter.
pub async fn waiting_by_period(
    pool: &Pool,
) -> sqlx::Result<std::collections::HashMap<String, i64>> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT period, COUNT(*) FROM criterion_values WHERE status = 'submitted' GROUP BY period",
    )
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().collect())
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

pub(super) const PUBLICATION_COLUMNS: &str =
    "period, revision, published_on, reason, framework_code, framework_version, figures, changes";

/// The current (latest revision) publication of each published quarter, oldest first.
pub async fn current_publications(pool: &Pool) -> sqlx::Result<Vec<Publication>> {
    sqlx::query_as(&format!(
        "SELECT {PUBLICATION_COLUMNS} FROM publications p
         WHERE revision = (SELECT MAX(revision) FROM publications q WHERE q.period = p.period)
         ORDER BY period"
    ))
    .fetch_all(pool)
    .await
}

/// Every revision of one quarter, oldest first.
pub async fn publication_revisions(pool: &Pool, period: Quarter) -> sqlx::Result<Vec<Publication>> {
    sqlx::query_as(&format!(
        "SELECT {PUBLICATION_COLUMNS} FROM publications WHERE period = $1 ORDER BY revision"
    ))
    .bind(period.to_string())
    .fetch_all(pool)
    .await
}

/// One publication or revision, for the feed of publications.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PublicationEvent {
    pub period: String,
    pub revision: i64,
    /// When it was published (the programme's day at the real time of day, RFC 3339, UTC).
    pub published_at: String,
    pub reason: Option<String>,
}

/// Every publication and revision, the latest first.
pub async fn publication_events(pool: &Pool) -> sqlx::Result<Vec<PublicationEvent>> {
    sqlx::query_as(
        "SELECT period, revision, published_at, reason FROM publications
         ORDER BY published_at DESC, period DESC, revision DESC",
    )
    .fetch_all(pool)
    .await
}

/// Periods with a planned publication date set by the board.
pub async fn publication_plans(pool: &Pool) -> sqlx::Result<HashMap<String, String>> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT period, planned_on FROM publication_plans")
            .fetch_all(pool)
            .await?;
    Ok(rows.into_iter().collect())
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, sqlx::FromRow)]
pub struct ValueListing {
    #[sqlx(rename = "slug")]
    pub economy: String,
    pub period: String,
    #[sqlx(rename = "code")]
    pub criterion: String,
    pub value: String,
    pub status: String,
}

/// Candidates' values for quarters up to `last`, by economy, quarter and code.
pub async fn values_through(pool: &Pool, last: Quarter) -> sqlx::Result<Vec<ValueListing>> {
    sqlx::query_as(
        "SELECT e.slug, v.period, v.code, v.value, v.status
         FROM criterion_values v JOIN economies e ON e.id = v.economy_id
         WHERE e.status = 'candidate' AND v.period <= $1
         ORDER BY e.slug, v.period, v.code",
    )
    .bind(last.to_string())
    .fetch_all(pool)
    .await
}

/// A token that changes whenever anything the public pages show can change: publications,
/// the active framework, economies. Public responses are cached against it.
pub async fn content_version(pool: &Pool) -> sqlx::Result<String> {
    let row: (i64, i64, i64, i64, String, i64) = sqlx::query_as(
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
        row.0, row.1, row.2, row.3, row.4, row.5
    ))
}
