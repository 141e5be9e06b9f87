//! The panel's SQL. Queries use `$1` placeholders, which SQLite and PostgreSQL both accept.

use super::*;
use crate::db::Tx;
use crate::domain::Slug;
use sqlx::FromRow;

/// A score as selected: `submitted_at` is set once the score is submitted.
#[derive(FromRow)]
struct ScoreRecord {
    email: String,
    slug: String,
    question: String,
    score: i64,
    submitted_at: Option<String>,
}

impl From<ScoreRecord> for Score {
    fn from(r: ScoreRecord) -> Self {
        Score {
            member: r.email.to_lowercase(),
            economy: r.slug,
            question: r.question,
            value: r.score,
            submitted: r.submitted_at.is_some(),
        }
    }
}

/// Every score held for the framework `code`, drafts included (the domain decides what
/// counts): member email, economy slug, question, score, submitted.
pub async fn scores(pool: &Pool, code: &str) -> sqlx::Result<Vec<Score>> {
    let rows: Vec<ScoreRecord> = sqlx::query_as(
        "SELECT u.email, e.slug, s.question, s.score, s.submitted_at
         FROM panel_scores s JOIN users u ON u.id = s.user_id
         JOIN economies e ON e.id = s.economy_id
         WHERE s.framework = $1 ORDER BY s.id",
    )
    .bind(code)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(Score::from).collect())
}

/// The conflicts in force, as (member email, economy slug).
pub async fn conflicts_in_force(pool: &Pool) -> sqlx::Result<HashSet<(String, String)>> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT u.email, e.slug FROM panel_conflicts c JOIN users u ON u.id = c.user_id
         JOIN economies e ON e.id = c.economy_id WHERE c.withdrawn_at IS NULL",
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(email, slug)| (email.to_lowercase(), slug))
        .collect())
}

async fn user_id(tx: &mut Tx<'_>, email: &str) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT id FROM users WHERE LOWER(email) = $1")
        .bind(email)
        .fetch_one(&mut **tx)
        .await
}

/// Declares a conflict unless one is in force already; true when declared.
pub async fn declare_conflict(
    tx: &mut Tx<'_>,
    email: &str,
    economy_id: i64,
    reason: &str,
    by: &str,
) -> sqlx::Result<bool> {
    let user = user_id(tx, email).await?;
    let in_force = sqlx::query(
        "SELECT 1 FROM panel_conflicts WHERE user_id = $1 AND economy_id = $2
         AND withdrawn_at IS NULL",
    )
    .bind(user)
    .bind(economy_id)
    .fetch_optional(&mut **tx)
    .await?
    .is_some();
    if in_force {
        return Ok(false);
    }
    sqlx::query(
        "INSERT INTO panel_conflicts (user_id, economy_id, reason, declared_at, declared_by)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(user)
    .bind(economy_id)
    .bind(reason)
    .bind(db::now())
    .bind(by)
    .execute(&mut **tx)
    .await?;
    Ok(true)
}

/// A member's stored score of one question, as `submit_score` compares it.
#[derive(FromRow)]
struct StoredScore {
    id: i64,
    score: i64,
    comment: String,
    submitted_at: Option<String>,
}

/// Stores a submitted score; a submitted score it replaces is kept as a change with
/// `reason`.
#[allow(clippy::too_many_arguments)]
pub async fn submit_score(
    tx: &mut Tx<'_>,
    framework: &str,
    email: &str,
    economy_id: i64,
    question: &str,
    score: i64,
    comment: &str,
    reason: &str,
    by: &str,
) -> sqlx::Result<Stored> {
    let user = user_id(tx, email).await?;
    let now = db::now();
    let existing: Option<StoredScore> = sqlx::query_as(
        "SELECT id, score, comment, submitted_at FROM panel_scores
         WHERE framework = $1 AND user_id = $2 AND economy_id = $3 AND question = $4",
    )
    .bind(framework)
    .bind(user)
    .bind(economy_id)
    .bind(question)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(row) = existing else {
        sqlx::query(
            "INSERT INTO panel_scores (framework, user_id, economy_id, question, score,
             comment, submitted_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
        )
        .bind(framework)
        .bind(user)
        .bind(economy_id)
        .bind(question)
        .bind(score)
        .bind(comment)
        .bind(&now)
        .execute(&mut **tx)
        .await?;
        return Ok(Stored::New);
    };
    let StoredScore {
        id,
        score: old,
        comment: old_comment,
        submitted_at,
    } = row;
    let submitted = submitted_at.is_some();
    if submitted && old == score && old_comment == comment {
        return Ok(Stored::Unchanged);
    }
    if submitted {
        record_change(tx, id, old, score, &old_comment, reason, by, &now).await?;
    }
    sqlx::query(
        "UPDATE panel_scores SET score = $1, comment = $2,
         submitted_at = COALESCE(submitted_at, $3), updated_at = $3 WHERE id = $4",
    )
    .bind(score)
    .bind(comment)
    .bind(&now)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(if submitted {
        Stored::Changed
    } else {
        Stored::New
    })
}

/// A stored score with what the pages need besides the domain's view of it.
#[derive(Debug, Clone)]
pub struct ScoreRow {
    pub id: i64,
    pub member: String,
    pub economy: String,
    pub question: String,
    pub value: i64,
    pub comment: String,
    pub justification: Option<String>,
    pub submitted: bool,
    /// Changed since it was first submitted (moderation or a later import).
    pub changed: bool,
}

impl ScoreRow {
    pub fn score(&self) -> Score {
        Score {
            member: self.member.clone(),
            economy: self.economy.clone(),
            question: self.question.clone(),
            value: self.value,
            submitted: self.submitted,
        }
    }
}

/// A score as selected for the pages: `changes` counts its recorded changes.
#[derive(FromRow)]
struct ScoreRowRecord {
    id: i64,
    email: String,
    slug: String,
    question: String,
    score: i64,
    comment: String,
    justification: Option<String>,
    submitted_at: Option<String>,
    changes: i64,
}

impl From<ScoreRowRecord> for ScoreRow {
    fn from(r: ScoreRowRecord) -> Self {
        ScoreRow {
            id: r.id,
            member: r.email.to_lowercase(),
            economy: r.slug,
            question: r.question,
            value: r.score,
            comment: r.comment,
            justification: r.justification,
            submitted: r.submitted_at.is_some(),
            changed: r.changes > 0,
        }
    }
}

pub async fn score_rows(pool: &Pool, code: &str) -> sqlx::Result<Vec<ScoreRow>> {
    let rows: Vec<ScoreRowRecord> = sqlx::query_as(
        "SELECT s.id, u.email, e.slug, s.question, s.score, s.comment, s.justification,
                s.submitted_at,
                (SELECT COUNT(*) FROM panel_score_changes c WHERE c.score_id = s.id) AS changes
         FROM panel_scores s JOIN users u ON u.id = s.user_id
         JOIN economies e ON e.id = s.economy_id
         WHERE s.framework = $1 ORDER BY s.id",
    )
    .bind(code)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(ScoreRow::from).collect())
}

/// A round as stored (`view::Round` knows no database).
#[derive(FromRow)]
struct RoundRecord {
    framework: String,
    opened_at: String,
    opened_by: String,
    closed_at: Option<String>,
    closed_by: Option<String>,
}

impl From<RoundRecord> for view::Round {
    fn from(r: RoundRecord) -> Self {
        view::Round {
            framework: r.framework,
            opened_at: r.opened_at,
            opened_by: r.opened_by,
            closed_at: r.closed_at,
            closed_by: r.closed_by,
        }
    }
}

pub async fn round(pool: &Pool, code: &str) -> sqlx::Result<Option<view::Round>> {
    let row: Option<RoundRecord> = sqlx::query_as(
        "SELECT framework, opened_at, opened_by, closed_at, closed_by FROM panel_rounds
         WHERE framework = $1",
    )
    .bind(code)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(view::Round::from))
}

/// The round's members (emails, lower case) with when each confirmed the declaration.
pub async fn members(pool: &Pool, code: &str) -> sqlx::Result<Vec<(String, Option<String>)>> {
    let rows: Vec<(String, Option<String>)> = sqlx::query_as(
        "SELECT u.email, m.declared_at FROM panel_members m JOIN users u ON u.id = m.user_id
         WHERE m.framework = $1 ORDER BY u.email",
    )
    .bind(code)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(email, declared_at)| (email.to_lowercase(), declared_at))
        .collect())
}

pub async fn round_candidates(pool: &Pool, code: &str) -> sqlx::Result<Vec<(String, String)>> {
    sqlx::query_as(
        "SELECT e.slug, e.name FROM panel_candidates c JOIN economies e ON e.id = c.economy_id
         WHERE c.framework = $1 ORDER BY e.name",
    )
    .bind(code)
    .fetch_all(pool)
    .await
}

/// Economies whose latest shortlist record is "shortlisted": (slug, name).
pub async fn shortlisted(pool: &Pool) -> sqlx::Result<Vec<(String, String)>> {
    sqlx::query_as(
        "SELECT e.slug, e.name FROM economies e JOIN decisions d ON d.economy_id = e.id
         WHERE d.id = (SELECT MAX(x.id) FROM decisions x WHERE x.economy_id = e.id)
           AND d.outcome = 'shortlisted'
         ORDER BY e.name",
    )
    .fetch_all(pool)
    .await
}

/// A conflict as selected with its member and economy.
#[derive(FromRow)]
struct ConflictRecord {
    id: i64,
    email: String,
    slug: String,
    name: String,
    reason: String,
    declared_at: String,
    declared_by: String,
    withdrawn_at: Option<String>,
    withdrawn_by: Option<String>,
    withdrawn_reason: Option<String>,
}

impl From<ConflictRecord> for view::Conflict {
    fn from(r: ConflictRecord) -> Self {
        view::Conflict {
            id: r.id,
            member: r.email.to_lowercase(),
            economy: r.slug,
            economy_name: r.name,
            reason: r.reason,
            declared_at: r.declared_at,
            declared_by: r.declared_by,
            withdrawn_at: r.withdrawn_at,
            withdrawn_by: r.withdrawn_by,
            withdrawn_reason: r.withdrawn_reason,
        }
    }
}

/// Every conflict ever declared, newest first.
pub async fn conflict_list(pool: &Pool) -> sqlx::Result<Vec<view::Conflict>> {
    let rows: Vec<ConflictRecord> = sqlx::query_as(
        "SELECT c.id, u.email, e.slug, e.name, c.reason, c.declared_at, c.declared_by,
                c.withdrawn_at, c.withdrawn_by, c.withdrawn_reason
         FROM panel_conflicts c JOIN users u ON u.id = c.user_id
         JOIN economies e ON e.id = c.economy_id ORDER BY c.id DESC",
    )
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(view::Conflict::from).collect())
}

/// A change to a score as stored.
#[derive(FromRow)]
struct ChangeRecord {
    score_id: i64,
    old_score: i64,
    new_score: i64,
    reason: String,
    changed_at: String,
    changed_by: String,
}

/// The changes to the scores of one economy: (score id, change), oldest first.
pub async fn changes(
    pool: &Pool,
    code: &str,
    slug: &Slug,
) -> sqlx::Result<Vec<(i64, view::Change)>> {
    let rows: Vec<ChangeRecord> = sqlx::query_as(
        "SELECT c.score_id, c.old_score, c.new_score, c.reason, c.changed_at, c.changed_by
         FROM panel_score_changes c JOIN panel_scores s ON s.id = c.score_id
         JOIN economies e ON e.id = s.economy_id
         WHERE s.framework = $1 AND e.slug = $2 ORDER BY c.id",
    )
    .bind(code)
    .bind(slug)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            (
                r.score_id,
                view::Change {
                    old: r.old_score,
                    new: r.new_score,
                    reason: r.reason,
                    at: r.changed_at,
                    by: r.changed_by,
                },
            )
        })
        .collect())
}

/// Opens the round with its members and candidates (a framework has one round).
pub async fn open_round(
    tx: &mut Tx<'_>,
    code: &str,
    members: &[String],
    candidates: &[(String, String)],
    by: &str,
) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO panel_rounds (framework, opened_at, opened_by) VALUES ($1, $2, $3)")
        .bind(code)
        .bind(db::now())
        .bind(by)
        .execute(&mut **tx)
        .await?;
    for m in members {
        let user = user_id(tx, m).await?;
        let exists =
            sqlx::query("SELECT 1 FROM panel_members WHERE framework = $1 AND user_id = $2")
                .bind(code)
                .bind(user)
                .fetch_optional(&mut **tx)
                .await?
                .is_some();
        if !exists {
            sqlx::query("INSERT INTO panel_members (framework, user_id) VALUES ($1, $2)")
                .bind(code)
                .bind(user)
                .execute(&mut **tx)
                .await?;
        }
    }
    for (slug, _) in candidates {
        sqlx::query(
            "INSERT INTO panel_candidates (framework, economy_id)
             SELECT $1, e.id FROM economies e WHERE e.slug = $2
             AND NOT EXISTS (SELECT 1 FROM panel_candidates c WHERE c.framework = $1 AND c.economy_id = e.id)",
        )
        .bind(code)
        .bind(slug)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

pub async fn close_round(tx: &mut Tx<'_>, code: &str, by: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE panel_rounds SET closed_at = $1, closed_by = $2 WHERE framework = $3")
        .bind(db::now())
        .bind(by)
        .bind(code)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn confirm(tx: &mut Tx<'_>, code: &str, user: i64) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE panel_members SET declared_at = COALESCE(declared_at, $1)
         WHERE framework = $2 AND user_id = $3",
    )
    .bind(db::now())
    .bind(code)
    .bind(user)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn withdraw_conflict(
    tx: &mut Tx<'_>,
    id: i64,
    reason: &str,
    by: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE panel_conflicts SET withdrawn_at = $1, withdrawn_by = $2, withdrawn_reason = $3
         WHERE id = $4 AND withdrawn_at IS NULL",
    )
    .bind(db::now())
    .bind(by)
    .bind(reason)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Saves one draft answer (no score: only the comment); a submitted row is not touched.
pub async fn save_draft(
    tx: &mut Tx<'_>,
    code: &str,
    user: i64,
    economy_id: i64,
    question: &str,
    score: Option<i64>,
    comment: &str,
) -> sqlx::Result<()> {
    let existing: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM panel_scores WHERE framework = $1 AND user_id = $2
         AND economy_id = $3 AND question = $4 AND submitted_at IS NULL",
    )
    .bind(code)
    .bind(user)
    .bind(economy_id)
    .bind(question)
    .fetch_optional(&mut **tx)
    .await?;
    match (existing, score) {
        (Some(id), Some(n)) => {
            sqlx::query(
                "UPDATE panel_scores SET score = $1, comment = $2, updated_at = $3 WHERE id = $4",
            )
            .bind(n)
            .bind(comment)
            .bind(db::now())
            .bind(id)
            .execute(&mut **tx)
            .await?;
        }
        (Some(id), None) => {
            sqlx::query("DELETE FROM panel_scores WHERE id = $1")
                .bind(id)
                .execute(&mut **tx)
                .await?;
        }
        (None, Some(n)) => {
            sqlx::query(
                "INSERT INTO panel_scores (framework, user_id, economy_id, question, score,
                 comment, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(code)
            .bind(user)
            .bind(economy_id)
            .bind(question)
            .bind(n)
            .bind(comment)
            .bind(db::now())
            .execute(&mut **tx)
            .await?;
        }
        (None, None) => {}
    }
    Ok(())
}

pub async fn submit_sheet(
    tx: &mut Tx<'_>,
    code: &str,
    user: i64,
    economy_id: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE panel_scores SET submitted_at = $1
         WHERE framework = $2 AND user_id = $3 AND economy_id = $4 AND submitted_at IS NULL",
    )
    .bind(db::now())
    .bind(code)
    .bind(user)
    .bind(economy_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Keeps a submitted score's value and comment before a change, with its reason.
#[allow(clippy::too_many_arguments)]
async fn record_change(
    tx: &mut Tx<'_>,
    id: i64,
    old: i64,
    new: i64,
    old_comment: &str,
    reason: &str,
    by: &str,
    now: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO panel_score_changes (score_id, old_score, new_score, old_comment,
         reason, changed_at, changed_by) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(id)
    .bind(old)
    .bind(new)
    .bind(old_comment)
    .bind(reason)
    .bind(now)
    .bind(by)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn change_score(
    tx: &mut Tx<'_>,
    id: i64,
    old: i64,
    new: i64,
    old_comment: &str,
    reason: &str,
    by: &str,
) -> sqlx::Result<()> {
    let now = db::now();
    record_change(tx, id, old, new, old_comment, reason, by, &now).await?;
    sqlx::query("UPDATE panel_scores SET score = $1, updated_at = $2 WHERE id = $3")
        .bind(new)
        .bind(&now)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn justify(tx: &mut Tx<'_>, id: i64, text: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE panel_scores SET justification = $1, updated_at = $2 WHERE id = $3")
        .bind(text)
        .bind(db::now())
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
