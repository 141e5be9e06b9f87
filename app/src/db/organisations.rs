//! The register of NHS organisations (ODS codes).

use super::*;
use crate::domain::organisations::{Organisation, Register};
use chrono::NaiveDate;

#[derive(Debug, Clone, sqlx::FromRow)]
struct OrganisationRecord {
    code: String,
    name: String,
    official_name: String,
    kind: String,
    trust_type: Option<String>,
    ons_code: Option<String>,
    postcode: Option<String>,
    parent: Option<String>,
    ccg: Option<String>,
    area_team: Option<String>,
    region: Option<String>,
    geography: Option<String>,
    open_date: Option<String>,
    close_date: Option<String>,
    successor: Option<String>,
    list_size: Option<i64>,
}

fn day(d: Option<String>) -> Option<NaiveDate> {
    d.and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok())
}

impl From<OrganisationRecord> for Organisation {
    fn from(r: OrganisationRecord) -> Self {
        Organisation {
            code: r.code,
            name: r.name,
            official_name: r.official_name,
            kind: r.kind,
            trust_type: r.trust_type,
            ons_code: r.ons_code,
            postcode: r.postcode,
            parent: r.parent,
            ccg: r.ccg,
            area_team: r.area_team,
            region: r.region,
            geography: r.geography,
            open_date: day(r.open_date),
            close_date: day(r.close_date),
            successor: r.successor,
            list_size: r.list_size,
        }
    }
}

/// `$from, $from+1, …` for `n` values.
fn placeholders(from: usize, n: usize) -> String {
    (from..from + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

const COLUMNS: &str = "code, name, official_name, kind, trust_type, ons_code, postcode, parent,
    ccg, area_team, region, geography, open_date, close_date, successor, list_size";

/// How many organisations the register holds.
pub async fn count_organisations(pool: &Pool) -> sqlx::Result<i64> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM ods_organisations")
        .fetch_one(pool)
        .await?;
    Ok(n)
}

/// The whole register.
pub async fn register(pool: &Pool) -> sqlx::Result<Register> {
    let rows: Vec<OrganisationRecord> =
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM ods_organisations"))
            .fetch_all(pool)
            .await?;
    Ok(Register::from_organisations(
        rows.into_iter().map(Into::into),
    ))
}

/// Organisations by code (those of `codes` that are in the register).
pub async fn organisations_by_code(
    pool: &Pool,
    codes: &[String],
) -> sqlx::Result<Vec<Organisation>> {
    let mut out = Vec::new();
    for chunk in codes.chunks(200) {
        let sql = format!(
            "SELECT {COLUMNS} FROM ods_organisations WHERE code IN ({})",
            placeholders(1, chunk.len())
        );
        let mut q = sqlx::query_as::<_, OrganisationRecord>(&sql);
        for c in chunk {
            q = q.bind(c.clone());
        }
        out.extend(q.fetch_all(pool).await?.into_iter().map(Organisation::from));
    }
    Ok(out)
}

/// Organisations of some kinds (all when empty) whose code is `code`, or whose name holds
/// every word of `words`; the caller orders and cuts (domain::organisations::search).
pub async fn organisations_matching(
    pool: &Pool,
    words: &[String],
    code: &str,
    kinds: &[&str],
) -> sqlx::Result<Vec<Organisation>> {
    // Placeholders are written `$n` here: SQLite and PostgreSQL both take them.
    let mut sql = format!("SELECT {COLUMNS} FROM ods_organisations WHERE (code = $1");
    let mut n = 1;
    if !words.is_empty() {
        let likes: Vec<String> = words
            .iter()
            .map(|_| {
                n += 1;
                format!("lower(name) LIKE ${n}")
            })
            .collect();
        sql.push_str(&format!(" OR ({})", likes.join(" AND ")));
    }
    sql.push(')');
    if !kinds.is_empty() {
        sql.push_str(&format!(
            " AND kind IN ({})",
            placeholders(n + 1, kinds.len())
        ));
    }
    sql.push_str(" LIMIT 2000");
    let mut q = sqlx::query_as::<_, OrganisationRecord>(&sql).bind(code.to_string());
    for w in words {
        q = q.bind(format!("%{}%", w.to_lowercase()));
    }
    for k in kinds {
        q = q.bind(k.to_string());
    }
    let rows = q.fetch_all(pool).await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

/// Writes the register `next` over `old` (only the organisations that differ, in batches)
/// with its audit entry, in one transaction.
pub async fn write_register(
    pool: &Pool,
    old: &Register,
    next: &Register,
    entry: &crate::audit::Entry,
) -> sqlx::Result<usize> {
    let at = now();
    let changed: Vec<&Organisation> = next
        .by_code
        .values()
        .filter(|o| old.get(&o.code) != Some(*o))
        .collect();
    let mut tx = pool.begin().await?;
    for chunk in changed.chunks(400) {
        const WIDTH: usize = 17;
        let rows: Vec<String> = (0..chunk.len())
            .map(|i| format!("({})", placeholders(i * WIDTH + 1, WIDTH)))
            .collect();
        let sql = format!(
            "INSERT INTO ods_organisations ({COLUMNS}, updated_at) VALUES {}
             ON CONFLICT (code) DO UPDATE SET name = excluded.name,
                official_name = excluded.official_name, kind = excluded.kind,
                trust_type = excluded.trust_type, ons_code = excluded.ons_code,
                postcode = excluded.postcode, parent = excluded.parent, ccg = excluded.ccg,
                area_team = excluded.area_team, region = excluded.region,
                geography = excluded.geography, open_date = excluded.open_date,
                close_date = excluded.close_date, successor = excluded.successor,
                list_size = excluded.list_size, updated_at = excluded.updated_at",
            rows.join(", ")
        );
        let mut q = sqlx::query(&sql);
        for o in chunk {
            q = q
                .bind(o.code.clone())
                .bind(o.name.clone())
                .bind(o.official_name.clone())
                .bind(o.kind.clone())
                .bind(o.trust_type.clone())
                .bind(o.ons_code.clone())
                .bind(o.postcode.clone())
                .bind(o.parent.clone())
                .bind(o.ccg.clone())
                .bind(o.area_team.clone())
                .bind(o.region.clone())
                .bind(o.geography.clone())
                .bind(o.open_date.map(|d| d.to_string()))
                .bind(o.close_date.map(|d| d.to_string()))
                .bind(o.successor.clone())
                .bind(o.list_size)
                .bind(at.clone());
        }
        q.execute(&mut *tx).await?;
    }
    audit_append(&mut tx, entry).await?;
    tx.commit().await?;
    Ok(changed.len())
}

/// A member organisation (by ODS code) of an economy that is not declined.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Membership {
    pub code: String,
    pub economy: String,
    pub economy_name: String,
    pub status: String,
}

/// The economies (not declined) that list any of `codes` as a member, by code and economy.
pub async fn memberships(pool: &Pool, codes: &[String]) -> sqlx::Result<Vec<Membership>> {
    let mut out = Vec::new();
    for chunk in codes.chunks(200) {
        let sql = format!(
            "SELECT o.ods_code AS code, e.slug AS economy, e.name AS economy_name, e.status AS status
             FROM organisations o JOIN economies e ON e.id = o.economy_id
             WHERE e.status <> 'declined' AND o.ods_code IN ({})
             ORDER BY o.ods_code, e.name",
            placeholders(1, chunk.len())
        );
        let mut q = sqlx::query_as::<_, Membership>(&sql);
        for c in chunk {
            q = q.bind(c.clone());
        }
        out.extend(q.fetch_all(pool).await?);
    }
    Ok(out)
}

/// Every membership of an organisation in more than one economy (not declined).
pub async fn shared_memberships(pool: &Pool) -> sqlx::Result<Vec<Membership>> {
    sqlx::query_as(
        "SELECT o.ods_code AS code, e.slug AS economy, e.name AS economy_name, e.status AS status
         FROM organisations o JOIN economies e ON e.id = o.economy_id
         WHERE e.status <> 'declined' AND o.ods_code IN (
             SELECT o2.ods_code FROM organisations o2 JOIN economies e2 ON e2.id = o2.economy_id
             WHERE e2.status <> 'declined' AND o2.ods_code IS NOT NULL
             GROUP BY o2.ods_code HAVING COUNT(DISTINCT o2.economy_id) > 1)
         ORDER BY o.ods_code, e.name",
    )
    .fetch_all(pool)
    .await
}

/// Each economy's (slug) NHS England area teams, from its member CCGs and trusts.
pub async fn economy_area_teams(pool: &Pool) -> sqlx::Result<Vec<(String, String)>> {
    sqlx::query_as(
        "SELECT DISTINCT e.slug, x.area_team FROM organisations o
         JOIN economies e ON e.id = o.economy_id
         JOIN ods_organisations x ON x.code = o.ods_code
         WHERE x.kind IN ('ccg', 'trust') AND x.area_team IS NOT NULL
         ORDER BY e.slug, x.area_team",
    )
    .fetch_all(pool)
    .await
}

/// Each trust's area team (derived: see `domain::organisations::Register::derive`).
pub async fn trust_area_teams(pool: &Pool) -> sqlx::Result<Vec<(String, String)>> {
    sqlx::query_as(
        "SELECT code, area_team FROM ods_organisations
         WHERE kind = 'trust' AND area_team IS NOT NULL ORDER BY code",
    )
    .fetch_all(pool)
    .await
}

/// A trust of the EPR register that has closed, with its successor's code and name.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct TrustClosure {
    pub code: String,
    pub close_date: String,
    pub successor: Option<String>,
    pub successor_name: Option<String>,
}

/// The trusts of the EPR register that the register of organisations says have closed.
pub async fn trust_closures(pool: &Pool) -> sqlx::Result<Vec<TrustClosure>> {
    sqlx::query_as(
        "SELECT o.code, o.close_date, o.successor, s.name AS successor_name
         FROM trusts t
         JOIN ods_organisations o ON o.code = t.code AND o.kind = 'trust'
         LEFT JOIN ods_organisations s ON s.code = o.successor
         WHERE o.close_date IS NOT NULL
         ORDER BY o.code",
    )
    .fetch_all(pool)
    .await
}

/// Every economy's member organisations' kinds: (economy slug, kind), one row a member.
pub async fn member_kinds(pool: &Pool) -> sqlx::Result<Vec<(String, String)>> {
    sqlx::query_as(
        "SELECT e.slug, o.kind FROM organisations o JOIN economies e ON e.id = o.economy_id
         ORDER BY e.slug",
    )
    .fetch_all(pool)
    .await
}

/// NHS England's regions and area teams: (code, name, kind, parent region's code).
pub async fn nhs_structure(
    pool: &Pool,
) -> sqlx::Result<Vec<(String, String, String, Option<String>)>> {
    sqlx::query_as(
        "SELECT code, name, kind, parent FROM ods_organisations
         WHERE kind IN ('region', 'area-team') ORDER BY code",
    )
    .fetch_all(pool)
    .await
}

/// A candidate economy's member organisation, as open data publishes it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct OpenMember {
    pub economy: String,
    pub economy_name: String,
    pub ods_code: Option<String>,
    pub name: String,
    #[serde(rename = "type")]
    #[sqlx(rename = "kind")]
    pub kind: String,
    pub ccg: Option<String>,
    pub area_team: Option<String>,
}

/// Every candidate economy's member organisations, by economy and name.
pub async fn open_members(pool: &Pool) -> sqlx::Result<Vec<OpenMember>> {
    sqlx::query_as(
        "SELECT e.slug AS economy, e.name AS economy_name, o.ods_code, o.name, o.kind,
                x.ccg, x.area_team
         FROM organisations o JOIN economies e ON e.id = o.economy_id
         LEFT JOIN ods_organisations x ON x.code = o.ods_code
         WHERE e.status = 'candidate'
         ORDER BY e.slug, o.kind, o.name",
    )
    .fetch_all(pool)
    .await
}
