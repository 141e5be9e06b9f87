//! The trust EPR register.

use super::*;

// The trust EPR register

/// A trust as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustEntry {
    pub code: String,
    pub name: String,
    pub kind: String,
    pub region: String,
    pub economy: Option<String>,
    pub economy_name: Option<String>,
    pub epr_status: String,
    pub operational_date: Option<String>,
    pub planned_date: Option<String>,
    pub updated_at: String,
    pub updated_by: String,
    pub evidence_link: Option<String>,
    /// The document's file name, when one is attached.
    pub evidence_name: Option<String>,
}

impl TrustEntry {
    /// What an EPR form carries of the entry it was drawn from (`version-CODE`), so a save
    /// from a form older than the latest change is refused rather than overwriting it.
    pub fn version(&self) -> String {
        format!("{}|{}", self.updated_at, self.updated_by)
    }
}

/// A trust as selected with its economy. Two columns are both called `name` (the trust's
/// and the economy's), so the row is read by position.
type TrustRecord = (
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    String,
    Option<String>,
    Option<String>,
    String,
    String,
    Option<String>,
    Option<String>,
);

impl From<TrustRecord> for TrustEntry {
    fn from(r: TrustRecord) -> Self {
        let (
            code,
            name,
            kind,
            region,
            economy,
            economy_name,
            epr_status,
            operational_date,
            planned_date,
            updated_at,
            updated_by,
            evidence_link,
            evidence_name,
        ) = r;
        TrustEntry {
            code,
            name,
            kind,
            region,
            economy,
            economy_name,
            epr_status,
            operational_date,
            planned_date,
            updated_at,
            updated_by,
            evidence_link,
            evidence_name,
        }
    }
}

/// Every trust, by name.
pub async fn trusts(pool: &Pool) -> sqlx::Result<Vec<TrustEntry>> {
    let rows = sqlx::query_as::<_, TrustRecord>(
        "SELECT t.code, t.name, t.kind, t.region, e.slug, e.name, t.epr_status,
                t.operational_date, t.planned_date, t.updated_at, t.updated_by,
                t.evidence_link, t.evidence_name
         FROM trusts t LEFT JOIN economies e ON e.id = t.economy_id
         ORDER BY t.name, t.code",
    )
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(TrustEntry::from).collect())
}

/// A trust's stored columns: name, kind, region, economy id, status, operational and planned
/// dates.
pub(super) type StoredTrust = (
    String,
    String,
    String,
    Option<i64>,
    String,
    Option<String>,
    Option<String>,
);

/// A trust's stored columns with its code, as selected.
#[derive(sqlx::FromRow)]
struct StoredTrustRecord {
    code: String,
    name: String,
    kind: String,
    region: String,
    economy_id: Option<i64>,
    epr_status: String,
    operational_date: Option<String>,
    planned_date: Option<String>,
}

impl StoredTrustRecord {
    /// (code, stored columns).
    fn keyed(self) -> (String, StoredTrust) {
        (
            self.code,
            (
                self.name,
                self.kind,
                self.region,
                self.economy_id,
                self.epr_status,
                self.operational_date,
                self.planned_date,
            ),
        )
    }
}

/// Creates or replaces trusts (and keeps each change in the history) in one transaction with
/// its audit entry. Returns (new, updated, unchanged).
pub async fn upsert_trusts(
    pool: &Pool,
    rows: &[crate::domain::trusts::TrustRow],
    by: &str,
    audit: impl FnOnce(u64, u64, u64) -> crate::audit::Entry,
) -> sqlx::Result<(u64, u64, u64)> {
    let ids = economy_ids(pool).await?;
    let existing: HashMap<String, StoredTrust> =
        sqlx::query_as::<_, StoredTrustRecord>(
            "SELECT code, name, kind, region, economy_id, epr_status, operational_date, planned_date FROM trusts",
        )
        .fetch_all(pool)
        .await?
        .into_iter()
        .map(StoredTrustRecord::keyed)
        .collect();
    let at = now();
    let mut tx = pool.begin().await?;
    let (mut new, mut updated, mut same) = (0, 0, 0);
    for t in rows {
        let economy_id = t.economy.as_ref().and_then(|e| ids.get(e).copied());
        let (op, planned) = t.epr.dates();
        let now_row = (
            t.name.clone(),
            t.kind.clone(),
            t.region.clone(),
            economy_id,
            t.epr.status().to_string(),
            op.clone(),
            planned.clone(),
        );
        match existing.get(&t.code) {
            Some(old) if *old == now_row => {
                same += 1;
                continue;
            }
            Some(_) => updated += 1,
            None => new += 1,
        }
        sqlx::query(
            "INSERT INTO trusts (code, name, kind, region, economy_id, epr_status,
                 operational_date, planned_date, updated_at, updated_by)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
             ON CONFLICT (code) DO UPDATE SET name = excluded.name, kind = excluded.kind,
                 region = excluded.region, economy_id = excluded.economy_id,
                 epr_status = excluded.epr_status, operational_date = excluded.operational_date,
                 planned_date = excluded.planned_date, updated_at = excluded.updated_at,
                 updated_by = excluded.updated_by",
        )
        .bind(&t.code)
        .bind(&t.name)
        .bind(&t.kind)
        .bind(&t.region)
        .bind(economy_id)
        .bind(t.epr.status())
        .bind(&op)
        .bind(&planned)
        .bind(&at)
        .bind(by)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO trust_history (code, epr_status, operational_date, planned_date, changed_at, changed_by)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&t.code)
        .bind(t.epr.status())
        .bind(&op)
        .bind(&planned)
        .bind(&at)
        .bind(by)
        .execute(&mut *tx)
        .await?;
    }
    audit_append(&mut tx, &audit(new, updated, same)).await?;
    tx.commit().await?;
    Ok((new, updated, same))
}

/// The evidence given with a trust's EPR status: a link, a stored document (SHA-256 and file
/// name), or both. `None` in either keeps what is there.
#[derive(Debug, Clone, Default)]
pub struct TrustEvidence {
    pub link: Option<String>,
    pub document: Option<(String, String)>,
}

/// Sets one trust's EPR status and evidence; with `economy_id`, only if the trust belongs to
/// that economy (false if it does not, or there is no such trust). The change goes in the
/// history with the evidence it had.
/// Sets a trust's EPR status if it is the editor's (any trust for board staff) and, when
/// `version` is given, only if nobody changed the entry since (`TrustEntry::version`).
pub async fn set_trust_epr(
    tx: &mut Tx<'_>,
    code: &str,
    economy_id: Option<i64>,
    epr: &crate::domain::trusts::Epr,
    evidence: &TrustEvidence,
    by: &str,
    version: Option<&str>,
) -> sqlx::Result<bool> {
    let (seen_at, seen_by) = match version.map(|v| v.split_once('|').unwrap_or((v, ""))) {
        Some((a, b)) => (Some(a), Some(b)),
        None => (None, None),
    };
    let (op, planned) = epr.dates();
    let at = now();
    let doc = evidence.document.as_ref();
    let done = sqlx::query(
        "UPDATE trusts SET epr_status = $1, operational_date = $2, planned_date = $3,
             updated_at = $4, updated_by = $5,
             evidence_link = COALESCE($6, evidence_link),
             evidence_sha256 = COALESCE($7, evidence_sha256),
             evidence_name = COALESCE($8, evidence_name)
         WHERE code = $9 AND ($10 IS NULL OR economy_id = $10)
           AND ($11 IS NULL OR (updated_at = $11 AND updated_by = $12))",
    )
    .bind(epr.status())
    .bind(&op)
    .bind(&planned)
    .bind(&at)
    .bind(by)
    .bind(&evidence.link)
    .bind(doc.map(|d| d.0.as_str()))
    .bind(doc.map(|d| d.1.as_str()))
    .bind(code)
    .bind(economy_id)
    .bind(seen_at)
    .bind(seen_by)
    .execute(&mut **tx)
    .await?
    .rows_affected()
        == 1;
    if done {
        sqlx::query(
            "INSERT INTO trust_history (code, epr_status, operational_date, planned_date,
                 changed_at, changed_by, evidence_link, evidence_sha256, evidence_name)
             SELECT code, epr_status, operational_date, planned_date, updated_at, updated_by,
                 evidence_link, evidence_sha256, evidence_name
             FROM trusts WHERE code = $1",
        )
        .bind(code)
        .execute(&mut **tx)
        .await?;
    }
    Ok(done)
}

/// The document behind one trust's EPR status: its name, content type and content.
pub async fn trust_document(
    pool: &Pool,
    code: &str,
) -> sqlx::Result<Option<(String, String, Vec<u8>)>> {
    sqlx::query_as(
        "SELECT t.evidence_name, f.content_type, f.content FROM trusts t
         JOIN files f ON f.sha256 = t.evidence_sha256
         WHERE t.code = $1",
    )
    .bind(code)
    .fetch_optional(pool)
    .await
}

/// One change of a trust's entry.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct TrustChange {
    pub epr_status: String,
    pub operational_date: Option<String>,
    pub planned_date: Option<String>,
    pub changed_at: String,
    pub changed_by: String,
    pub evidence_link: Option<String>,
    pub evidence_name: Option<String>,
}

/// Every change of one trust's entry, newest first.
pub async fn trust_changes(pool: &Pool, code: &str) -> sqlx::Result<Vec<TrustChange>> {
    sqlx::query_as(
        "SELECT epr_status, operational_date, planned_date, changed_at, changed_by,
                evidence_link, evidence_name
         FROM trust_history WHERE code = $1 ORDER BY id DESC",
    )
    .bind(code)
    .fetch_all(pool)
    .await
}

/// A remediation plan as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PlanRow {
    pub id: i64,
    pub code: String,
    pub agreed_date: String,
    pub agreed: String,
    pub consequence: String,
    pub recorded_at: String,
    pub recorded_by: String,
    pub published_at: Option<String>,
}

/// Every remediation plan, oldest first (a trust's last one is its current plan).
pub async fn remediation_plans(pool: &Pool) -> sqlx::Result<Vec<PlanRow>> {
    sqlx::query_as(
        "SELECT id, code, agreed_date, agreed, consequence, recorded_at, recorded_by, published_at
         FROM remediation_plans ORDER BY id",
    )
    .fetch_all(pool)
    .await
}

/// Records a remediation plan for a trust (superseding any earlier one); its id.
pub async fn add_plan(
    tx: &mut Tx<'_>,
    code: &str,
    plan: &crate::domain::trusts::Plan,
    by: &str,
) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO remediation_plans (code, agreed_date, agreed, consequence, recorded_at, recorded_by)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(code)
    .bind(plan.agreed_date.to_string())
    .bind(&plan.agreed)
    .bind(&plan.consequence)
    .bind(now())
    .bind(by)
    .fetch_one(&mut **tx)
    .await
}

/// Makes a plan public (once); its trust's code, or `None` if there is no such plan or it
/// was public already.
pub async fn publish_plan(tx: &mut Tx<'_>, id: i64, by: &str) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar(
        "UPDATE remediation_plans SET published_at = $1, published_by = $2
         WHERE id = $3 AND published_at IS NULL RETURNING code",
    )
    .bind(now())
    .bind(by)
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
}
