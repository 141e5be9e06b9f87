//! Completing a quarter together: the economy's lead, who is assigned which theme or
//! criterion of a quarter, and the lead's sign-off.

use super::*;

/// A colleague of an economy who can submit: an account that is accepted (has a password)
/// and not disabled.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Colleague {
    pub id: i64,
    pub email: String,
}

/// The economy's colleagues who can submit, by email.
pub async fn active_submitters(
    conn: &mut sqlx::AnyConnection,
    economy_id: i64,
) -> sqlx::Result<Vec<Colleague>> {
    sqlx::query_as(
        "SELECT id, email FROM users
         WHERE economy_id = $1 AND role = 'submitter' AND disabled = 0
           AND password_hash IS NOT NULL
         ORDER BY email",
    )
    .bind(economy_id)
    .fetch_all(conn)
    .await
}

/// The economy's lead, if it has named one.
pub async fn lead(
    conn: &mut sqlx::AnyConnection,
    economy_id: i64,
) -> sqlx::Result<Option<Colleague>> {
    sqlx::query_as(
        "SELECT u.id, u.email FROM economies e JOIN users u ON u.id = e.lead_user_id
         WHERE e.id = $1",
    )
    .bind(economy_id)
    .fetch_optional(conn)
    .await
}

pub async fn set_lead(tx: &mut Tx<'_>, economy_id: i64, user_id: Option<i64>) -> sqlx::Result<()> {
    sqlx::query("UPDATE economies SET lead_user_id = $1 WHERE id = $2")
        .bind(user_id)
        .bind(economy_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// One part of a quarter assigned to a colleague.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AssignmentRow {
    pub part: String,
    pub user_id: i64,
    pub email: String,
    pub assigned_by: String,
    pub assigned_at: String,
}

/// A quarter's assignments, by part.
pub async fn quarter_assignments(
    conn: &mut sqlx::AnyConnection,
    economy_id: i64,
    period: &str,
) -> sqlx::Result<Vec<AssignmentRow>> {
    sqlx::query_as(
        "SELECT a.part, a.user_id, u.email, a.assigned_by, a.assigned_at
         FROM quarter_assignments a JOIN users u ON u.id = a.user_id
         WHERE a.economy_id = $1 AND a.period = $2 ORDER BY a.part",
    )
    .bind(economy_id)
    .bind(period)
    .fetch_all(conn)
    .await
}

/// Assigns a part of a quarter to a colleague, or to nobody (`None`).
pub async fn set_assignment(
    tx: &mut Tx<'_>,
    economy_id: i64,
    period: &str,
    part: &str,
    user_id: Option<i64>,
    by: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "DELETE FROM quarter_assignments WHERE economy_id = $1 AND period = $2 AND part = $3",
    )
    .bind(economy_id)
    .bind(period)
    .bind(part)
    .execute(&mut **tx)
    .await?;
    if let Some(user_id) = user_id {
        sqlx::query(
            "INSERT INTO quarter_assignments (economy_id, period, part, user_id, assigned_by, assigned_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(economy_id)
        .bind(period)
        .bind(part)
        .bind(user_id)
        .bind(by)
        .bind(now())
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// A quarter's latest sign-off: what was signed (JSON, code to fingerprint), by whom, when.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SignoffRow {
    pub signed: String,
    pub signed_by: String,
    pub signed_at: String,
}

pub async fn signoff(
    conn: &mut sqlx::AnyConnection,
    economy_id: i64,
    period: &str,
) -> sqlx::Result<Option<SignoffRow>> {
    sqlx::query_as(
        "SELECT signed, signed_by, signed_at FROM quarter_signoffs
         WHERE economy_id = $1 AND period = $2",
    )
    .bind(economy_id)
    .bind(period)
    .fetch_optional(conn)
    .await
}

pub async fn put_signoff(
    tx: &mut Tx<'_>,
    economy_id: i64,
    period: &str,
    signed: &str,
    by: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO quarter_signoffs (economy_id, period, signed, signed_by, signed_at)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (economy_id, period)
         DO UPDATE SET signed = excluded.signed, signed_by = excluded.signed_by,
                       signed_at = excluded.signed_at",
    )
    .bind(economy_id)
    .bind(period)
    .bind(signed)
    .bind(by)
    .bind(now())
    .execute(&mut **tx)
    .await?;
    Ok(())
}
