//! Nominations and member organisations.

use super::*;

// Nominations and member organisations

/// A slug not yet used: `base`, else `base-2`, `base-3`, …
pub async fn free_slug(tx: &mut Tx<'_>, base: &str) -> sqlx::Result<String> {
    let taken: Vec<String> =
        sqlx::query_scalar("SELECT slug FROM economies WHERE slug = $1 OR slug LIKE $2")
            .bind(base)
            .bind(format!("{base}-%"))
            .fetch_all(&mut **tx)
            .await?;
    let mut n = 1;
    let mut slug = base.to_string();
    while taken.contains(&slug) {
        n += 1;
        slug = format!("{base}-{n}");
    }
    Ok(slug)
}

/// Creates a nominated economy with its organisations and nomination; returns its id.
pub async fn insert_nomination(
    tx: &mut Tx<'_>,
    slug: &str,
    n: &crate::domain::nomination::Nomination,
    submitted_on: chrono::NaiveDate,
) -> sqlx::Result<i64> {
    let now = now();
    sqlx::query(
        "INSERT INTO economies (slug, name, region, status, created_at, updated_at)
         VALUES ($1, $2, $3, 'nominated', $4, $4)",
    )
    .bind(slug)
    .bind(&n.name)
    .bind(&n.region)
    .bind(&now)
    .execute(&mut **tx)
    .await?;
    let id: i64 = sqlx::query_scalar("SELECT id FROM economies WHERE slug = $1")
        .bind(slug)
        .fetch_one(&mut **tx)
        .await?;
    for o in &n.organisations {
        sqlx::query(
            "INSERT INTO organisations (economy_id, name, ods_code, kind, created_at)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(&o.name)
        .bind(&o.ods_code)
        .bind(&o.kind)
        .bind(&now)
        .execute(&mut **tx)
        .await?;
    }
    sqlx::query(
        "INSERT INTO nominations (economy_id, lead_name, lead_email, lead_role, vision, in_place,
             benefits, submitted_on, submitted_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(id)
    .bind(&n.lead_name)
    .bind(n.lead_email.as_str())
    .bind(&n.lead_role)
    .bind(&n.vision)
    .bind(&n.in_place)
    .bind(&n.benefits)
    .bind(submitted_on.to_string())
    .bind(&now)
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, sqlx::FromRow)]
pub struct NominationRow {
    #[sqlx(rename = "id")]
    pub economy_id: i64,
    pub slug: String,
    pub name: String,
    pub region: String,
    pub status: String,
    pub lead_name: String,
    pub lead_email: String,
    pub lead_role: String,
    pub vision: String,
    pub in_place: String,
    pub benefits: String,
    pub submitted_on: String,
    pub decision: Option<String>,
    pub reason: Option<String>,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
}

/// Every nomination, newest first.
pub async fn nominations(pool: &Pool) -> sqlx::Result<Vec<NominationRow>> {
    sqlx::query_as(
        "SELECT e.id, e.slug, e.name, e.region, e.status, n.lead_name, n.lead_email, n.lead_role,
                n.vision, n.in_place, n.benefits, n.submitted_on, n.decision, n.reason,
                n.decided_by, n.decided_at
         FROM nominations n JOIN economies e ON e.id = n.economy_id
         ORDER BY n.submitted_at DESC, e.slug",
    )
    .fetch_all(pool)
    .await
}

/// Records the decision on a pending nomination; false if it was not pending.
pub async fn decide_nomination(
    tx: &mut Tx<'_>,
    economy_id: i64,
    accepted: bool,
    reason: Option<&str>,
    by: &str,
) -> sqlx::Result<bool> {
    let now = now();
    let r = sqlx::query(
        "UPDATE economies SET status = $1, updated_at = $2 WHERE id = $3 AND status = 'nominated'",
    )
    .bind(if accepted { "candidate" } else { "declined" })
    .bind(&now)
    .bind(economy_id)
    .execute(&mut **tx)
    .await?;
    if r.rows_affected() != 1 {
        return Ok(false);
    }
    sqlx::query(
        "UPDATE nominations SET decision = $1, reason = $2, decided_by = $3, decided_at = $4
         WHERE economy_id = $5",
    )
    .bind(if accepted { "accepted" } else { "declined" })
    .bind(reason)
    .bind(by)
    .bind(&now)
    .bind(economy_id)
    .execute(&mut **tx)
    .await?;
    Ok(true)
}

/// A member organisation as stored (`domain::nomination::Organisation` knows no database).
#[derive(sqlx::FromRow)]
pub(super) struct OrganisationRecord {
    name: String,
    ods_code: Option<String>,
    kind: String,
}

impl From<OrganisationRecord> for crate::domain::nomination::Organisation {
    fn from(r: OrganisationRecord) -> Self {
        crate::domain::nomination::Organisation {
            name: r.name,
            ods_code: r.ods_code,
            kind: r.kind,
        }
    }
}

/// An economy's member organisations, by name.
/// A member organisation of the economy with this ODS code, or this name (any case).
pub async fn same_organisation(
    tx: &mut Tx<'_>,
    economy_id: i64,
    name: &str,
    ods_code: Option<&str>,
) -> sqlx::Result<Option<crate::domain::nomination::Organisation>> {
    let row: Option<OrganisationRecord> = sqlx::query_as(
        "SELECT name, ods_code, kind FROM organisations
         WHERE economy_id = $1 AND (lower(name) = lower($2) OR ($3 IS NOT NULL AND ods_code = $3))
         LIMIT 1",
    )
    .bind(economy_id)
    .bind(name)
    .bind(ods_code)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.map(Into::into))
}

/// A member organisation's name with its economy's slug (for `/economies`'s search).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct OrganisationName {
    pub economy: String,
    pub name: String,
}

/// Every economy's member organisations' names, by economy and name.
pub async fn organisation_names(pool: &Pool) -> sqlx::Result<Vec<OrganisationName>> {
    sqlx::query_as(
        "SELECT e.slug AS economy, o.name AS name FROM organisations o
         JOIN economies e ON e.id = o.economy_id ORDER BY e.slug, o.name",
    )
    .fetch_all(pool)
    .await
}

pub async fn organisations(
    pool: &Pool,
    economy_id: i64,
) -> sqlx::Result<Vec<crate::domain::nomination::Organisation>> {
    let rows: Vec<OrganisationRecord> = sqlx::query_as(
        "SELECT name, ods_code, kind FROM organisations WHERE economy_id = $1 ORDER BY name",
    )
    .bind(economy_id)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(Into::into).collect())
}
