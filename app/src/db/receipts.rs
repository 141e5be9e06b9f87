//! Receipts of submitted quarters: what a submitter confirmed and submitted, kept with its
//! reference.

use super::*;

/// A receipt as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ReceiptRow {
    pub reference: String,
    pub economy_id: i64,
    pub period: String,
    pub submitted_at: String,
    pub submitted_by: String,
    pub late: i64,
    /// JSON: the lines of the receipt.
    pub lines: String,
}

/// How many receipts an economy has for a quarter (the next one's number is one more; taken
/// under the economy's write lock, so two submissions never share a number).
pub async fn receipts_of(tx: &mut Tx<'_>, economy_id: i64, period: &str) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM submission_receipts WHERE economy_id = $1 AND period = $2",
    )
    .bind(economy_id)
    .bind(period)
    .fetch_one(&mut **tx)
    .await
}

/// Stores a receipt in the transaction of the submission it records.
pub async fn insert_receipt(tx: &mut Tx<'_>, r: &ReceiptRow) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO submission_receipts
             (reference, economy_id, period, submitted_at, submitted_by, late, lines)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&r.reference)
    .bind(r.economy_id)
    .bind(&r.period)
    .bind(&r.submitted_at)
    .bind(&r.submitted_by)
    .bind(r.late)
    .bind(&r.lines)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// An economy's receipt by its reference (`None` for another economy's).
pub async fn receipt(
    pool: &Pool,
    economy_id: i64,
    reference: &str,
) -> sqlx::Result<Option<ReceiptRow>> {
    sqlx::query_as(
        "SELECT reference, economy_id, period, submitted_at, submitted_by, late, lines
         FROM submission_receipts WHERE reference = $1 AND economy_id = $2",
    )
    .bind(reference)
    .bind(economy_id)
    .fetch_optional(pool)
    .await
}

/// An economy's latest receipts, newest first.
pub async fn receipts_for(
    pool: &Pool,
    economy_id: i64,
    limit: i64,
) -> sqlx::Result<Vec<ReceiptRow>> {
    sqlx::query_as(
        "SELECT reference, economy_id, period, submitted_at, submitted_by, late, lines
         FROM submission_receipts WHERE economy_id = $1 ORDER BY id DESC LIMIT $2",
    )
    .bind(economy_id)
    .bind(limit)
    .fetch_all(pool)
    .await
}
