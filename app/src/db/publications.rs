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

// Questions about figures in the preview window (`domain::preview`)

/// A stored question about a figure, with the economy's slug and name.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct FlagRow {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub period: String,
    pub figure: String,
    pub shown: String,
    pub reason: String,
    pub raised_by: String,
    pub raised_at: String,
    pub outcome: Option<String>,
    pub answer: Option<String>,
    pub answered_at: Option<String>,
}

const FLAG_SELECT: &str = "SELECT f.id, e.slug, e.name, f.period, f.figure, f.shown, f.reason,
        f.raised_by, f.raised_at, f.outcome, f.answer, f.answered_at
     FROM publication_flags f JOIN economies e ON e.id = f.economy_id";

pub struct NewFlag<'a> {
    pub economy_id: i64,
    pub period: Quarter,
    pub figure: &'a str,
    pub shown: &'a str,
    pub reason: &'a str,
    pub by: &'a str,
}

/// Stores a question with its audit entry, in one transaction.
pub async fn insert_flag(
    pool: &Pool,
    f: NewFlag<'_>,
    audit: &crate::audit::Entry,
) -> sqlx::Result<()> {
    let mut tx = pool.begin().await?;
    sqlx::query(
        "INSERT INTO publication_flags (economy_id, period, figure, shown, reason, raised_by, raised_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(f.economy_id)
    .bind(f.period.to_string())
    .bind(f.figure)
    .bind(f.shown)
    .bind(f.reason)
    .bind(f.by)
    .bind(now())
    .execute(&mut *tx)
    .await?;
    audit_append(&mut tx, audit).await?;
    tx.commit().await
}

/// The message each of an economy's people may get when the board answers its question.
pub struct FlagNotice<'a> {
    pub economy_id: i64,
    pub recipients: &'a [String],
    pub subject: &'a str,
    pub body: &'a str,
}

/// Records the board's answer with its audit entry and the economy's notices, only while the
/// question has none (so two answers at once cannot both be kept): whether it was this call
/// that answered.
pub async fn answer_flag(
    pool: &Pool,
    id: i64,
    outcome: &str,
    answer: &str,
    by: &str,
    audit: &crate::audit::Entry,
    notice: FlagNotice<'_>,
) -> sqlx::Result<bool> {
    let mut tx = pool.begin().await?;
    let done = sqlx::query(
        "UPDATE publication_flags SET outcome = $1, answer = $2, answered_by = $3, answered_at = $4
         WHERE id = $5 AND outcome IS NULL",
    )
    .bind(outcome)
    .bind(answer)
    .bind(by)
    .bind(now())
    .bind(id)
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if done {
        audit_append(&mut tx, audit).await?;
        for to in notice.recipients {
            insert_optional(
                &mut tx,
                to,
                notice.subject,
                notice.body,
                Some(notice.economy_id),
                crate::domain::mail::Category::Publication,
            )
            .await?;
        }
    }
    tx.commit().await?;
    Ok(done)
}

pub async fn flag(pool: &Pool, id: i64) -> sqlx::Result<Option<FlagRow>> {
    sqlx::query_as(&format!("{FLAG_SELECT} WHERE f.id = $1"))
        .bind(id)
        .fetch_optional(pool)
        .await
}

/// One economy's questions, the latest first.
pub async fn economy_flags(pool: &Pool, slug: &str) -> sqlx::Result<Vec<FlagRow>> {
    sqlx::query_as(&format!(
        "{FLAG_SELECT} WHERE e.slug = $1 ORDER BY f.raised_at DESC, f.id DESC"
    ))
    .bind(slug)
    .fetch_all(pool)
    .await
}

/// Every question, by quarter then economy, oldest first within each.
pub async fn all_flags(pool: &Pool) -> sqlx::Result<Vec<FlagRow>> {
    sqlx::query_as(&format!("{FLAG_SELECT} ORDER BY f.period, e.name, f.id"))
        .fetch_all(pool)
        .await
}
