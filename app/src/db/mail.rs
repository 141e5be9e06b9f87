//! The outbox as a delivery queue: messages queued in the transaction of the change that
//! causes them, claimed by one dispatcher at a time, marked sent, tried again or failed.
//! Delivery times are the real clock; `created_at` is business time (what people read).

use super::*;
use crate::domain::mail::{Category, DeliveryState, Frequency};

/// Queues a message (no link) in the transaction of the change that causes it.
pub async fn insert_outbox(
    tx: &mut Tx<'_>,
    recipient: &str,
    subject: &str,
    body: &str,
    economy_id: Option<i64>,
) -> sqlx::Result<()> {
    insert_message(tx, recipient, subject, body, economy_id, None).await
}

/// Queues a weekly summary (sent as it stands: it is what the recipient asked for).
pub async fn insert_summary(tx: &mut Tx<'_>, recipient: &str, body: &str) -> sqlx::Result<()> {
    let real = real_now();
    sqlx::query(
        "INSERT INTO outbox (recipient, subject, body, economy_id, created_at, state, attempts,
             queued_at, next_attempt_at, category)
         VALUES ($1, 'Your weekly summary from Exemplar', $2, NULL, $3, 'queued', 0, $4, $4, $5)",
    )
    .bind(recipient)
    .bind(body)
    .bind(now())
    .bind(&real)
    .bind(Category::Summary.as_str())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Queues a message the recipient may turn down (a reminder, a publication notice): as they
/// asked, to be sent now, kept for their weekly summary, or recorded as not sent.
pub async fn insert_optional(
    tx: &mut Tx<'_>,
    recipient: &str,
    subject: &str,
    body: &str,
    economy_id: Option<i64>,
    category: Category,
) -> sqlx::Result<()> {
    let column = match category {
        Category::Publication => "publications",
        _ => "reminders",
    };
    let chosen: Option<String> = sqlx::query_scalar(&format!(
        "SELECT p.{column} FROM mail_preferences p JOIN users u ON u.id = p.user_id
         WHERE u.email = $1"
    ))
    .bind(recipient)
    .fetch_optional(&mut **tx)
    .await?;
    let state = chosen
        .as_deref()
        .and_then(Frequency::parse)
        .unwrap_or(Frequency::Now)
        .queued_state();
    let real = real_now();
    let due = (state == DeliveryState::Queued).then_some(real.as_str());
    sqlx::query(
        "INSERT INTO outbox (recipient, subject, body, economy_id, created_at, state, attempts,
             queued_at, next_attempt_at, category)
         VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $8, $9)",
    )
    .bind(recipient)
    .bind(subject)
    .bind(body)
    .bind(economy_id)
    .bind(now())
    .bind(state.as_str())
    .bind(&real)
    .bind(due)
    .bind(category.as_str())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A person's choices: (reminders, publications); `now` for both when never set.
pub async fn mail_preferences(pool: &Pool, user_id: i64) -> sqlx::Result<(Frequency, Frequency)> {
    let row: Option<(String, String)> =
        sqlx::query_as("SELECT reminders, publications FROM mail_preferences WHERE user_id = $1")
            .bind(user_id)
            .fetch_optional(pool)
            .await?;
    let parse = |s: &str| Frequency::parse(s).unwrap_or(Frequency::Now);
    Ok(row.map_or((Frequency::Now, Frequency::Now), |(r, p)| {
        (parse(&r), parse(&p))
    }))
}

pub async fn set_mail_preferences(
    tx: &mut Tx<'_>,
    user_id: i64,
    reminders: Frequency,
    publications: Frequency,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO mail_preferences (user_id, reminders, publications, updated_at)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT (user_id) DO UPDATE SET reminders = excluded.reminders,
             publications = excluded.publications, updated_at = excluded.updated_at",
    )
    .bind(user_id)
    .bind(reminders.as_str())
    .bind(publications.as_str())
    .bind(real_now())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The people with messages kept for a weekly summary since `cutoff` or before.
pub async fn summaries_due(pool: &Pool, cutoff: &str) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar(
        "SELECT recipient FROM outbox WHERE state = 'held'
         GROUP BY recipient HAVING MIN(queued_at) <= $1 ORDER BY recipient",
    )
    .bind(cutoff)
    .fetch_all(pool)
    .await
}

/// The messages kept for `recipient`'s summary, oldest first: (id, subject, body, when).
pub async fn held_for(
    pool: &Pool,
    recipient: &str,
) -> sqlx::Result<Vec<(i64, String, String, String)>> {
    sqlx::query_as(
        "SELECT id, subject, body, created_at FROM outbox
         WHERE state = 'held' AND recipient = $1 ORDER BY id",
    )
    .bind(recipient)
    .fetch_all(pool)
    .await
}

/// Marks a kept message as sent inside a summary; false if it is no longer kept.
pub async fn mark_summarised(tx: &mut Tx<'_>, id: i64) -> sqlx::Result<bool> {
    let r = sqlx::query(
        "UPDATE outbox SET state = 'summarised', sent_at = $2 WHERE id = $1 AND state = 'held'",
    )
    .bind(id)
    .bind(real_now())
    .execute(&mut **tx)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Queues a message that carries a one-time link: `link` is the token's stored hash and the
/// link's path with `{token}` where the token goes. The token is minted again when the message
/// is sent, and `body` holds a placeholder in the link's place.
pub async fn insert_outbox_link(
    tx: &mut Tx<'_>,
    recipient: &str,
    subject: &str,
    body: &str,
    economy_id: Option<i64>,
    link: (&str, &str),
) -> sqlx::Result<()> {
    insert_message(tx, recipient, subject, body, economy_id, Some(link)).await
}

async fn insert_message(
    tx: &mut Tx<'_>,
    recipient: &str,
    subject: &str,
    body: &str,
    economy_id: Option<i64>,
    link: Option<(&str, &str)>,
) -> sqlx::Result<()> {
    let real = real_now();
    sqlx::query(
        "INSERT INTO outbox (recipient, subject, body, economy_id, created_at, state, attempts,
             queued_at, next_attempt_at, token_hash, link_path)
         VALUES ($1, $2, $3, $4, $5, 'queued', 0, $6, $6, $7, $8)",
    )
    .bind(recipient)
    .bind(subject)
    .bind(body)
    .bind(economy_id)
    .bind(now())
    .bind(&real)
    .bind(link.map(|l| l.0))
    .bind(link.map(|l| l.1))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A message claimed for sending.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct DueMessage {
    pub id: i64,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub token_hash: Option<String>,
    pub link_path: Option<String>,
    /// Tries so far, this one included.
    pub attempts: i64,
    pub queued_at: Option<String>,
    pub category: String,
}

/// Claims up to `limit` messages due at `now`: each is held until `lease_until` (so no other
/// dispatcher takes it meanwhile) and its try counted. On PostgreSQL the rows another instance
/// is claiming are skipped (`FOR UPDATE SKIP LOCKED`); on both, the claim is a compare-and-set
/// on the row, so a message is claimed by one dispatcher only.
pub async fn claim_due(
    pool: &Pool,
    now: &str,
    lease_until: &str,
    limit: i64,
) -> sqlx::Result<Vec<DueMessage>> {
    const DUE: &str =
        "SELECT id, recipient, subject, body, token_hash, link_path, attempts, queued_at,
             category
         FROM outbox WHERE state = 'queued' AND next_attempt_at <= $1 ORDER BY id LIMIT $2";
    const CLAIM: &str = "UPDATE outbox SET next_attempt_at = $1, attempts = attempts + 1
         WHERE id = $2 AND state = 'queued' AND next_attempt_at <= $3";
    let mut claimed = Vec::new();
    match backend(pool) {
        Backend::Postgres => {
            let mut tx = pool.begin().await?;
            let due: Vec<DueMessage> = sqlx::query_as(&format!("{DUE} FOR UPDATE SKIP LOCKED"))
                .bind(now)
                .bind(limit)
                .fetch_all(&mut *tx)
                .await?;
            for m in due {
                let r = sqlx::query(CLAIM)
                    .bind(lease_until)
                    .bind(m.id)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                if r.rows_affected() == 1 {
                    claimed.push(m);
                }
            }
            tx.commit().await?;
        }
        // One writer at a time: each claim is its own statement, so a second process that
        // read the same rows finds them taken.
        Backend::Sqlite => {
            let due: Vec<DueMessage> = sqlx::query_as(DUE)
                .bind(now)
                .bind(limit)
                .fetch_all(pool)
                .await?;
            for m in due {
                let r = sqlx::query(CLAIM)
                    .bind(lease_until)
                    .bind(m.id)
                    .bind(now)
                    .execute(pool)
                    .await?;
                if r.rows_affected() == 1 {
                    claimed.push(m);
                }
            }
        }
    }
    for m in &mut claimed {
        m.attempts += 1;
    }
    Ok(claimed)
}

/// The message went: accepted by the mail server or written to the mail folder.
pub async fn mark_sent(pool: &Pool, id: i64, now: &str) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE outbox SET state = 'sent', sent_at = $2, next_attempt_at = NULL, last_error = NULL
         WHERE id = $1",
    )
    .bind(id)
    .bind(now)
    .execute(pool)
    .await?;
    Ok(())
}

/// The try failed: tried again at `next`, or given up (`None`) and marked failed.
pub async fn mark_unsent(
    pool: &Pool,
    id: i64,
    error: &str,
    next: Option<&str>,
) -> sqlx::Result<()> {
    let state = if next.is_some() { "queued" } else { "failed" };
    sqlx::query(
        "UPDATE outbox SET state = $2, last_error = $3, next_attempt_at = $4 WHERE id = $1",
    )
    .bind(id)
    .bind(state)
    .bind(error)
    .bind(next)
    .execute(pool)
    .await?;
    Ok(())
}

/// A one-time link's token as stored, to mint it again.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct LinkToken {
    pub created_at: String,
    pub expires_at: String,
    pub used_at: Option<String>,
}

pub async fn link_token(pool: &Pool, hash: &str) -> sqlx::Result<Option<LinkToken>> {
    sqlx::query_as("SELECT created_at, expires_at, used_at FROM tokens WHERE token_hash = $1")
        .bind(hash)
        .fetch_optional(pool)
        .await
}

/// Replaces message `id`'s token (stored as `old`) by a new one (`new`, its hash), lasting
/// from `now` to `expires_at`. False when the link was used meanwhile: nothing changes.
pub async fn remint_token(
    pool: &Pool,
    id: i64,
    old: &str,
    new: &str,
    now: &str,
    expires_at: &str,
) -> sqlx::Result<bool> {
    let mut tx = pool.begin().await?;
    let r = sqlx::query(
        "UPDATE tokens SET token_hash = $1, created_at = $2, expires_at = $3
         WHERE token_hash = $4 AND used_at IS NULL",
    )
    .bind(new)
    .bind(now)
    .bind(expires_at)
    .bind(old)
    .execute(&mut *tx)
    .await?;
    if r.rows_affected() != 1 {
        return Ok(false);
    }
    sqlx::query("UPDATE outbox SET token_hash = $1 WHERE id = $2")
        .bind(new)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(true)
}

/// A message as the admins' list shows it: never its link.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct OutboxRow {
    pub id: i64,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    /// Business time it was queued (what people read).
    pub created_at: String,
    pub state: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub next_attempt_at: Option<String>,
    pub sent_at: Option<String>,
}

const MESSAGE_COLUMNS: &str = "id, recipient, subject, body, created_at, state, attempts,
    last_error, next_attempt_at, sent_at";

/// Messages newest first, in one state or all (`None`), a page at a time.
pub async fn outbox(
    pool: &Pool,
    state: Option<&str>,
    offset: i64,
    limit: i64,
) -> sqlx::Result<Vec<OutboxRow>> {
    sqlx::query_as(&format!(
        "SELECT {MESSAGE_COLUMNS} FROM outbox WHERE ($1 IS NULL OR state = $1)
         ORDER BY id DESC LIMIT $2 OFFSET $3"
    ))
    .bind(state)
    .bind(limit)
    .bind(offset)
    .fetch_all(pool)
    .await
}

/// How many messages are in each state.
pub async fn outbox_states(pool: &Pool) -> sqlx::Result<Vec<(String, i64)>> {
    sqlx::query_as("SELECT state, COUNT(*) FROM outbox GROUP BY state ORDER BY state")
        .fetch_all(pool)
        .await
}

pub async fn outbox_message(pool: &Pool, id: i64) -> sqlx::Result<Option<OutboxRow>> {
    sqlx::query_as(&format!(
        "SELECT {MESSAGE_COLUMNS} FROM outbox WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(pool)
    .await
}

/// Queues a failed message again, due now. False if it is not (or no longer) failed.
pub async fn requeue(tx: &mut Tx<'_>, id: i64) -> sqlx::Result<bool> {
    let real = real_now();
    let r = sqlx::query(
        "UPDATE outbox SET state = 'queued', attempts = 0, queued_at = $2, next_attempt_at = $2
         WHERE id = $1 AND state = 'failed'",
    )
    .bind(id)
    .bind(&real)
    .execute(&mut **tx)
    .await?;
    Ok(r.rows_affected() == 1)
}
