//! Submissions: drafts, evidence and values submitted through the web.

use super::*;

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
    /// The submitter's reason, when it set off one of the framework's checks.
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct DraftValue {
    pub value: String,
    /// Why the value is unusual, when it set off a check and the submitter said.
    pub reason: Option<String>,
    #[sqlx(rename = "saved_at")]
    pub at: String,
    #[sqlx(rename = "saved_by")]
    pub by: String,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct EvidenceRow {
    pub link: Option<String>,
    pub file_sha256: Option<String>,
    pub file_name: Option<String>,
    pub content_type: Option<String>,
    pub size: Option<i64>,
    #[sqlx(rename = "added_at")]
    pub at: String,
    #[sqlx(rename = "added_by")]
    pub by: String,
}

/// A stored value of a quarter as selected: code, value, status, when, by whom, and whether
/// the last change was late (a column with no name, an INTEGER 0 or 1), so read by position.
type QuarterValueRecord = (String, String, String, String, String, i64, Option<String>);

/// A draft with its code.
#[derive(sqlx::FromRow)]
struct CodedDraft {
    code: String,
    #[sqlx(flatten)]
    draft: DraftValue,
}

/// Evidence with its code.
#[derive(sqlx::FromRow)]
struct CodedEvidence {
    code: String,
    #[sqlx(flatten)]
    evidence: EvidenceRow,
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
    let rows = sqlx::query_as::<_, QuarterValueRecord>(
        "SELECT v.code, v.value, v.status, v.updated_at, v.updated_by,
                COALESCE((SELECT h.late FROM value_history h
                          WHERE h.economy_id = v.economy_id AND h.period = v.period
                            AND h.code = v.code ORDER BY h.id DESC LIMIT 1), 0),
                v.reason
         FROM criterion_values v WHERE v.economy_id = $1 AND v.period = $2",
    )
    .bind(economy_id)
    .bind(period)
    .fetch_all(&mut *conn)
    .await?;
    for (code, value, status, at, by, late, reason) in rows {
        out.values.insert(
            code,
            StoredValue {
                value,
                status,
                at,
                by,
                late: late != 0,
                reason,
            },
        );
    }
    let rows = sqlx::query_as::<_, CodedDraft>(
        "SELECT code, value, reason, saved_at, saved_by FROM drafts WHERE economy_id = $1 AND period = $2",
    )
    .bind(economy_id)
    .bind(period)
    .fetch_all(&mut *conn)
    .await?;
    for r in rows {
        out.drafts.insert(r.code, r.draft);
    }
    let rows = sqlx::query_as::<_, CodedEvidence>(
        "SELECT code, link, file_sha256, file_name, content_type, size, added_at, added_by
         FROM evidence WHERE economy_id = $1 AND period = $2",
    )
    .bind(economy_id)
    .bind(period)
    .fetch_all(&mut *conn)
    .await?;
    for r in rows {
        out.evidence.insert(r.code, r.evidence);
    }
    Ok(out)
}

pub async fn upsert_draft(
    tx: &mut Tx<'_>,
    economy_id: i64,
    period: &str,
    code: &str,
    value: &str,
    reason: Option<&str>,
    by: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO drafts (economy_id, period, code, value, reason, saved_at, saved_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (economy_id, period, code)
         DO UPDATE SET value = excluded.value, reason = excluded.reason,
                       saved_at = excluded.saved_at, saved_by = excluded.saved_by",
    )
    .bind(economy_id)
    .bind(period)
    .bind(code)
    .bind(value)
    .bind(reason)
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
    reason: Option<&str>,
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
        "INSERT INTO criterion_values
             (economy_id, period, code, value, status, updated_at, updated_by, reason)
         VALUES ($1, $2, $3, $4, 'submitted', $5, $6, $7)
         ON CONFLICT (economy_id, period, code)
         DO UPDATE SET value = excluded.value, status = excluded.status,
                       updated_at = excluded.updated_at, updated_by = excluded.updated_by,
                       reason = excluded.reason",
    )
    .bind(economy_id)
    .bind(period)
    .bind(code)
    .bind(value)
    .bind(&at)
    .bind(by)
    .bind(reason)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// New evidence for a value: a link, a stored document, or both (`None` keeps what is there).
pub struct NewEvidence<'a> {
    pub link: Option<&'a str>,
    pub document: Option<NewDocument<'a>>,
}

/// A document stored already (content-addressed), as evidence.
#[derive(Debug, Clone, Copy)]
pub struct NewDocument<'a> {
    pub sha256: &'a str,
    pub name: &'a str,
    pub content_type: &'a str,
    pub size: i64,
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
    .bind(d.map(|d| d.sha256))
    .bind(d.map(|d| d.name))
    .bind(d.map(|d| d.content_type))
    .bind(d.map(|d| d.size))
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
    sqlx::query_as(
        "SELECT e.file_name, f.content_type, f.content FROM evidence e
         JOIN files f ON f.sha256 = e.file_sha256
         WHERE e.economy_id = $1 AND e.period = $2 AND e.code = $3",
    )
    .bind(economy_id)
    .bind(period)
    .bind(code)
    .fetch_optional(pool)
    .await
}

/// A draft with its quarter and code.
#[derive(sqlx::FromRow)]
struct KeyedDraft {
    period: String,
    code: String,
    #[sqlx(flatten)]
    draft: DraftValue,
}

/// Every draft of one economy: (period, code, draft).
pub async fn economy_drafts(
    pool: &Pool,
    economy_id: i64,
) -> sqlx::Result<Vec<(String, String, DraftValue)>> {
    let rows = sqlx::query_as::<_, KeyedDraft>(
        "SELECT period, code, value, reason, saved_at, saved_by FROM drafts WHERE economy_id = $1
         ORDER BY period, code",
    )
    .bind(economy_id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.period, r.code, r.draft))
        .collect())
}

/// A stored value with its quarter and code (whether it was late is not selected).
#[derive(sqlx::FromRow)]
struct KeyedValue {
    period: String,
    code: String,
    value: String,
    status: String,
    updated_at: String,
    updated_by: String,
    reason: Option<String>,
}

/// Every value of one economy with when and by whom: (period, code, value).
pub async fn economy_values(
    pool: &Pool,
    economy_id: i64,
) -> sqlx::Result<Vec<(String, String, StoredValue)>> {
    let rows = sqlx::query_as::<_, KeyedValue>(
        "SELECT period, code, value, status, updated_at, updated_by, reason FROM criterion_values
         WHERE economy_id = $1 ORDER BY period, code",
    )
    .bind(economy_id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            (
                r.period,
                r.code,
                StoredValue {
                    value: r.value,
                    status: r.status,
                    at: r.updated_at,
                    by: r.updated_by,
                    late: false,
                    reason: r.reason,
                },
            )
        })
        .collect())
}

/// Evidence with its quarter and code.
#[derive(sqlx::FromRow)]
struct KeyedEvidence {
    period: String,
    code: String,
    #[sqlx(flatten)]
    evidence: EvidenceRow,
}

/// Every piece of evidence of one economy: (period, code, evidence).
pub async fn economy_evidence(
    pool: &Pool,
    economy_id: i64,
) -> sqlx::Result<Vec<(String, String, EvidenceRow)>> {
    let rows = sqlx::query_as::<_, KeyedEvidence>(
        "SELECT period, code, link, file_sha256, file_name, content_type, size, added_at, added_by
         FROM evidence WHERE economy_id = $1 ORDER BY period, code",
    )
    .bind(economy_id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.period, r.code, r.evidence))
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

/// A member organisation with its id.
#[derive(sqlx::FromRow)]
struct NumberedOrganisation {
    id: i64,
    #[sqlx(flatten)]
    organisation: OrganisationRecord,
}

/// An economy's member organisations with their ids, by name.
pub async fn organisation_rows(
    pool: &Pool,
    economy_id: i64,
) -> sqlx::Result<Vec<(i64, crate::domain::nomination::Organisation)>> {
    let rows = sqlx::query_as::<_, NumberedOrganisation>(
        "SELECT id, name, ods_code, kind FROM organisations WHERE economy_id = $1 ORDER BY name, id",
    )
    .bind(economy_id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.id, r.organisation.into()))
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
        sqlx::query_scalar("SELECT name FROM organisations WHERE id = $1 AND economy_id = $2")
            .bind(id)
            .bind(economy_id)
            .fetch_optional(&mut **tx)
            .await?;
    if name.is_some() {
        sqlx::query("DELETE FROM organisations WHERE id = $1 AND economy_id = $2")
            .bind(id)
            .bind(economy_id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(name)
}
