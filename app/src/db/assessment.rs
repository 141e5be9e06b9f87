//! Assessment: reviews, notes, decisions, moved deadlines.

use super::*;

// Assessment: reviews, notes, decisions, moved deadlines

/// A submitted value waiting for review, with its evidence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueRow {
    pub economy_id: i64,
    pub slug: String,
    pub name: String,
    pub period: String,
    pub code: String,
    pub value: String,
    pub at: String,
    pub by: String,
    pub link: Option<String>,
    pub file_name: Option<String>,
    pub late: bool,
    /// The submitter's reason, when the value set off one of the framework's checks.
    pub reason: Option<String>,
}

/// A queue row as selected: the last column (whether the last change was late) has no
/// name and is an INTEGER, 0 or 1, so the row is read by position.
type QueueRecord = (
    i64,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    i64,
    Option<String>,
);

impl From<QueueRecord> for QueueRow {
    fn from(r: QueueRecord) -> Self {
        let (economy_id, slug, name, period, code, value, at, by, link, file_name, late, reason) =
            r;
        QueueRow {
            economy_id,
            slug,
            name,
            period,
            code,
            value,
            at,
            by,
            link,
            file_name,
            late: late != 0,
            reason,
        }
    }
}

/// Every submitted (not yet reviewed) value of the candidate economies.
pub async fn queue_rows(pool: &Pool) -> sqlx::Result<Vec<QueueRow>> {
    let rows = sqlx::query_as::<_, QueueRecord>(
        "SELECT e.id, e.slug, e.name, v.period, v.code, v.value, v.updated_at, v.updated_by,
                ev.link, ev.file_name,
                COALESCE((SELECT h.late FROM value_history h
                          WHERE h.economy_id = v.economy_id AND h.period = v.period
                            AND h.code = v.code ORDER BY h.id DESC LIMIT 1), 0),
                v.reason
         FROM criterion_values v
         JOIN economies e ON e.id = v.economy_id
         LEFT JOIN evidence ev ON ev.economy_id = v.economy_id AND ev.period = v.period
                               AND ev.code = v.code
         WHERE v.status = 'submitted' AND e.status = 'candidate'
         ORDER BY e.slug, v.period, v.code",
    )
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(QueueRow::from).collect())
}

/// A value as stored now: (value, status), or `None` when there is none.
pub async fn stored_value(
    tx: &mut Tx<'_>,
    economy_id: i64,
    period: &str,
    code: &str,
) -> sqlx::Result<Option<(String, String)>> {
    sqlx::query_as(
        "SELECT value, status FROM criterion_values WHERE economy_id = $1 AND period = $2 AND code = $3",
    )
    .bind(economy_id)
    .bind(period)
    .bind(code)
    .fetch_optional(&mut **tx)
    .await
}

/// A review of one value, decided already: the value's new status, the change in the
/// history and the review (with its reason) in `reviews`.
pub struct NewReview<'a> {
    pub economy_id: i64,
    pub period: &'a str,
    pub code: &'a str,
    pub value: &'a str,
    pub old_status: &'a str,
    pub review: crate::domain::assessment::Review,
    pub reason: Option<&'a str>,
    pub by: &'a str,
}

/// Records a review decided by `domain::assessment::review_applies`.
pub async fn record_review(tx: &mut Tx<'_>, r: NewReview<'_>) -> sqlx::Result<()> {
    let new_status = r.review.status().as_str();
    let at = now();
    sqlx::query(
        "UPDATE criterion_values SET status = $1 WHERE economy_id = $2 AND period = $3 AND code = $4",
    )
    .bind(new_status)
    .bind(r.economy_id)
    .bind(r.period)
    .bind(r.code)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO value_history (economy_id, period, code, old_value, old_status,
             new_value, new_status, changed_at, changed_by, late)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 0)",
    )
    .bind(r.economy_id)
    .bind(r.period)
    .bind(r.code)
    .bind(r.value)
    .bind(r.old_status)
    .bind(r.value)
    .bind(new_status)
    .bind(&at)
    .bind(r.by)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO reviews (economy_id, period, code, value, outcome, reason, reviewed_at, reviewed_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(r.economy_id)
    .bind(r.period)
    .bind(r.code)
    .bind(r.value)
    .bind(r.review.outcome())
    .bind(r.reason)
    .bind(&at)
    .bind(r.by)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A review as the economy and staff see it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ReviewRow {
    pub period: String,
    pub code: String,
    pub value: String,
    pub outcome: String,
    pub reason: Option<String>,
    #[sqlx(rename = "reviewed_at")]
    pub at: String,
    #[sqlx(rename = "reviewed_by")]
    pub by: String,
}

/// Every review of one economy's values, oldest first.
pub async fn reviews(pool: &Pool, economy_id: i64) -> sqlx::Result<Vec<ReviewRow>> {
    sqlx::query_as(
        "SELECT period, code, value, outcome, reason, reviewed_at, reviewed_by FROM reviews
         WHERE economy_id = $1 ORDER BY id",
    )
    .bind(economy_id)
    .fetch_all(pool)
    .await
}

pub async fn add_note(tx: &mut Tx<'_>, economy_id: i64, body: &str, by: &str) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO notes (economy_id, body, written_at, written_by) VALUES ($1, $2, $3, $4)",
    )
    .bind(economy_id)
    .bind(body)
    .bind(now())
    .bind(by)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// An economy's notes, newest first: (body, when, by whom).
pub async fn notes(pool: &Pool, economy_id: i64) -> sqlx::Result<Vec<(String, String, String)>> {
    sqlx::query_as(
        "SELECT body, written_at, written_by FROM notes WHERE economy_id = $1 ORDER BY id DESC",
    )
    .bind(economy_id)
    .fetch_all(pool)
    .await
}

/// A proposal or a decision on the shortlist.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct DecisionRow {
    pub id: i64,
    pub slug: String,
    pub name: String,
    /// proposed, shortlisted, selected or not-selected
    pub outcome: String,
    pub rationale: String,
    pub period: Option<String>,
    pub scores: String,
    #[sqlx(rename = "made_at")]
    pub at: String,
    #[sqlx(rename = "made_by")]
    pub by: String,
    /// When it was made public, if it was.
    pub published_at: Option<String>,
}

pub async fn insert_decision(
    tx: &mut Tx<'_>,
    economy_id: i64,
    outcome: &str,
    rationale: &str,
    period: Option<&str>,
    scores: &str,
    by: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO decisions (economy_id, outcome, rationale, period, scores, made_at, made_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(economy_id)
    .bind(outcome)
    .bind(rationale)
    .bind(period)
    .bind(scores)
    .bind(now())
    .bind(by)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Every proposal and decision, oldest first.
pub async fn decisions(pool: &Pool) -> sqlx::Result<Vec<DecisionRow>> {
    sqlx::query_as(
        "SELECT d.id, e.slug, e.name, d.outcome, d.rationale, d.period, d.scores, d.made_at,
                d.made_by, p.published_at
         FROM decisions d JOIN economies e ON e.id = d.economy_id
         LEFT JOIN decision_publications p ON p.decision_id = d.id
         ORDER BY d.id",
    )
    .fetch_all(pool)
    .await
}

/// Makes a decision public; false if there is no such decision or it is a proposal, or it
/// is public already.
pub async fn publish_decision(tx: &mut Tx<'_>, id: i64, by: &str) -> sqlx::Result<bool> {
    let ok = sqlx::query(
        "SELECT 1 FROM decisions d WHERE d.id = $1 AND d.outcome <> 'proposed'
         AND NOT EXISTS (SELECT 1 FROM decision_publications p WHERE p.decision_id = d.id)",
    )
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?
    .is_some();
    if ok {
        sqlx::query(
            "INSERT INTO decision_publications (decision_id, published_at, published_by) VALUES ($1, $2, $3)",
        )
        .bind(id)
        .bind(now())
        .bind(by)
        .execute(&mut **tx)
        .await?;
    }
    Ok(ok)
}

/// Deadlines the board moved: quarter to due date.
pub async fn deadline_plans(pool: &Pool) -> sqlx::Result<HashMap<String, String>> {
    let rows: Vec<(String, String)> = sqlx::query_as("SELECT period, due_on FROM deadline_plans")
        .fetch_all(pool)
        .await?;
    Ok(rows.into_iter().collect())
}

/// Moves a quarter's submission deadline (the board's date over the framework's calendar).
pub async fn set_deadline_plan(tx: &mut Tx<'_>, period: &str, due_on: &str) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO deadline_plans (period, due_on) VALUES ($1, $2)
         ON CONFLICT (period) DO UPDATE SET due_on = excluded.due_on",
    )
    .bind(period)
    .bind(due_on)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Sets a quarter's planned publication date.
pub async fn set_publication_plan(
    tx: &mut Tx<'_>,
    period: &str,
    planned_on: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO publication_plans (period, planned_on) VALUES ($1, $2)
         ON CONFLICT (period) DO UPDATE SET planned_on = excluded.planned_on",
    )
    .bind(period)
    .bind(planned_on)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Every stored framework version with its id, oldest first: (id, code, version, framework).
pub async fn framework_versions(pool: &Pool) -> sqlx::Result<Vec<(i64, String, i64, Framework)>> {
    let rows: Vec<(i64, String, i64, String)> =
        sqlx::query_as("SELECT id, code, version, definition FROM frameworks ORDER BY id")
            .fetch_all(pool)
            .await?;
    rows.into_iter()
        .map(|(id, code, version, definition)| {
            Ok((
                id,
                code,
                version,
                serde_json::from_str(&definition).map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
            ))
        })
        .collect()
}

// The review queue's assignments and undo

/// Who each economy's values are assigned to: economy id → the assignee's email.
pub async fn assignments(pool: &Pool) -> sqlx::Result<HashMap<i64, String>> {
    let rows: Vec<(i64, String)> =
        sqlx::query_as("SELECT economy_id, assignee FROM review_assignments")
            .fetch_all(pool)
            .await?;
    Ok(rows.into_iter().collect())
}

/// Assigns an economy's values to `assignee`, or to nobody with `None`.
pub async fn assign(
    tx: &mut Tx<'_>,
    economy_id: i64,
    assignee: Option<&str>,
    by: &str,
) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM review_assignments WHERE economy_id = $1")
        .bind(economy_id)
        .execute(&mut **tx)
        .await?;
    if let Some(assignee) = assignee {
        sqlx::query(
            "INSERT INTO review_assignments (economy_id, assignee, assigned_at, assigned_by)
             VALUES ($1, $2, $3, $4)",
        )
        .bind(economy_id)
        .bind(assignee)
        .bind(now())
        .bind(by)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// A review someone made since a moment, that is still the latest review of its value.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct RecentReview {
    pub economy_id: i64,
    pub slug: String,
    pub name: String,
    pub period: String,
    pub code: String,
    pub value: String,
    pub outcome: String,
    pub reviewed_at: String,
}

/// `by`'s reviews (verified or returned) made at `since` or later that nothing has followed.
pub async fn recent_reviews(pool: &Pool, by: &str, since: &str) -> sqlx::Result<Vec<RecentReview>> {
    sqlx::query_as(
        "SELECT r.economy_id, e.slug, e.name, r.period, r.code, r.value, r.outcome, r.reviewed_at
         FROM reviews r JOIN economies e ON e.id = r.economy_id
         WHERE r.reviewed_by = $1 AND r.reviewed_at >= $2
           AND r.outcome IN ('verified', 'returned')
           AND r.id = (SELECT MAX(x.id) FROM reviews x WHERE x.economy_id = r.economy_id
                       AND x.period = r.period AND x.code = r.code)
         ORDER BY r.id",
    )
    .bind(by)
    .bind(since)
    .fetch_all(pool)
    .await
}

/// The status a value had before its latest change (from its history).
pub async fn status_before_last_change(
    tx: &mut Tx<'_>,
    economy_id: i64,
    period: &str,
    code: &str,
) -> sqlx::Result<Option<String>> {
    let row: Option<(Option<String>,)> = sqlx::query_as(
        "SELECT old_status FROM value_history WHERE economy_id = $1 AND period = $2 AND code = $3
         ORDER BY id DESC LIMIT 1",
    )
    .bind(economy_id)
    .bind(period)
    .bind(code)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.and_then(|(s,)| s))
}

/// A review undone: the value goes back from status `from` to `to`.
pub struct Undo<'a> {
    pub economy_id: i64,
    pub period: &'a str,
    pub code: &'a str,
    pub value: &'a str,
    pub from: &'a str,
    pub to: &'a str,
    pub by: &'a str,
}

/// Puts a reviewed value back to its status before the review and keeps the undo in its
/// history and in `reviews` (outcome `undone`).
pub async fn record_undo(tx: &mut Tx<'_>, u: Undo<'_>) -> sqlx::Result<()> {
    let Undo {
        economy_id,
        period,
        code,
        value,
        from,
        to,
        by,
    } = u;
    let at = now();
    sqlx::query(
        "UPDATE criterion_values SET status = $1 WHERE economy_id = $2 AND period = $3 AND code = $4",
    )
    .bind(to)
    .bind(economy_id)
    .bind(period)
    .bind(code)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO value_history (economy_id, period, code, old_value, old_status,
             new_value, new_status, changed_at, changed_by, late)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 0)",
    )
    .bind(economy_id)
    .bind(period)
    .bind(code)
    .bind(value)
    .bind(from)
    .bind(value)
    .bind(to)
    .bind(&at)
    .bind(by)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO reviews (economy_id, period, code, value, outcome, reason, reviewed_at, reviewed_by)
         VALUES ($1, $2, $3, $4, 'undone', NULL, $5, $6)",
    )
    .bind(economy_id)
    .bind(period)
    .bind(code)
    .bind(value)
    .bind(&at)
    .bind(by)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
