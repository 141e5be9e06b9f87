//! Accounts, sessions, one-time links and throttles.

use super::*;

// Accounts

/// Starts a transaction for a change. On SQLite it takes the write lock first (waiting up to
/// the busy timeout), as `BEGIN IMMEDIATE` would: a transaction that read first and wrote
/// after another connection's commit (the mail dispatcher's, another request's) would be
/// refused at once, without waiting. A write that matches no row takes the lock and changes
/// nothing; sqlx's own `BEGIN` is kept, so nested transactions still become savepoints.
pub async fn begin(pool: &Pool) -> sqlx::Result<Tx<'static>> {
    let mut tx = pool.begin().await?;
    if backend(pool) == Backend::Sqlite {
        sqlx::query("UPDATE _sqlx_migrations SET success = success WHERE 0 = 1")
            .execute(&mut *tx)
            .await?;
    }
    Ok(tx)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRow {
    pub id: i64,
    pub email: String,
    pub password_hash: Option<String>,
    pub role: String,
    pub economy: Option<crate::domain::Slug>,
    pub totp_secret: Option<String>,
    pub disabled: bool,
    pub created_at: String,
}

pub(super) const USER_COLUMNS: &str = "u.id, u.email, u.password_hash, u.role, e.slug AS economy,
    u.totp_secret, u.disabled, u.created_at";

/// An account as stored: `disabled` is an INTEGER, 0 or 1.
#[derive(sqlx::FromRow)]
struct UserRecord {
    id: i64,
    email: String,
    password_hash: Option<String>,
    role: String,
    economy: Option<crate::domain::Slug>,
    totp_secret: Option<String>,
    disabled: i64,
    created_at: String,
}

impl From<UserRecord> for UserRow {
    fn from(r: UserRecord) -> Self {
        UserRow {
            id: r.id,
            email: r.email,
            password_hash: r.password_hash,
            role: r.role,
            economy: r.economy,
            totp_secret: r.totp_secret,
            disabled: r.disabled != 0,
            created_at: r.created_at,
        }
    }
}

pub async fn user_by_email(pool: &Pool, email: &str) -> sqlx::Result<Option<UserRow>> {
    let row = sqlx::query_as::<_, UserRecord>(&format!(
        "SELECT {USER_COLUMNS} FROM users u LEFT JOIN economies e ON e.id = u.economy_id
         WHERE u.email = $1"
    ))
    .bind(email)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(UserRow::from))
}

pub async fn user_by_id(pool: &Pool, id: i64) -> sqlx::Result<Option<UserRow>> {
    let row = sqlx::query_as::<_, UserRecord>(&format!(
        "SELECT {USER_COLUMNS} FROM users u LEFT JOIN economies e ON e.id = u.economy_id
         WHERE u.id = $1"
    ))
    .bind(id)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(UserRow::from))
}

pub async fn list_users(pool: &Pool) -> sqlx::Result<Vec<UserRow>> {
    let rows = sqlx::query_as::<_, UserRecord>(&format!(
        "SELECT {USER_COLUMNS} FROM users u LEFT JOIN economies e ON e.id = u.economy_id
         ORDER BY u.role, u.email"
    ))
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(UserRow::from).collect())
}

pub async fn count_users(pool: &Pool) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(pool)
        .await
}

pub struct NewUser<'a> {
    pub email: &'a str,
    pub password_hash: Option<&'a str>,
    pub role: &'a str,
    pub economy_id: Option<i64>,
    pub totp_secret: Option<&'a str>,
}

/// Creates an account; `None` when the email is taken.
pub async fn insert_user(tx: &mut Tx<'_>, u: NewUser<'_>) -> sqlx::Result<Option<i64>> {
    let now = real_now();
    let r = sqlx::query(
        "INSERT INTO users (email, password_hash, role, economy_id, totp_secret, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $6)
         ON CONFLICT (email) DO NOTHING",
    )
    .bind(u.email)
    .bind(u.password_hash)
    .bind(u.role)
    .bind(u.economy_id)
    .bind(u.totp_secret)
    .bind(&now)
    .execute(&mut **tx)
    .await?;
    if r.rows_affected() == 0 {
        return Ok(None);
    }
    let id: i64 = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(u.email)
        .fetch_one(&mut **tx)
        .await?;
    Ok(Some(id))
}

pub async fn set_password(tx: &mut Tx<'_>, user: i64, hash: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3")
        .bind(hash)
        .bind(real_now())
        .bind(user)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Changes an account's email; false when another account has it.
pub async fn set_email(tx: &mut Tx<'_>, user: i64, email: &str) -> sqlx::Result<bool> {
    let r = sqlx::query(
        "UPDATE users SET email = $1, updated_at = $2 WHERE id = $3
         AND NOT EXISTS (SELECT 1 FROM users WHERE email = $1)",
    )
    .bind(email)
    .bind(real_now())
    .bind(user)
    .execute(&mut **tx)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Sets (or with `None` clears) the one-time-code secret, and replaces the recovery codes.
pub async fn set_second_factor(
    tx: &mut Tx<'_>,
    user: i64,
    secret: Option<&str>,
    recovery_hashes: &[String],
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE users SET totp_secret = $1, totp_last_step = 0, updated_at = $2 WHERE id = $3",
    )
    .bind(secret)
    .bind(real_now())
    .bind(user)
    .execute(&mut **tx)
    .await?;
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
        .bind(user)
        .execute(&mut **tx)
        .await?;
    for h in recovery_hashes {
        sqlx::query("INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)")
            .bind(user)
            .bind(h)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Accepts a one-time code's time step if it is later than the last one accepted, in one
/// statement, so the same code can never be used twice, even by two requests at once.
pub async fn accept_totp_step(pool: &Pool, user: i64, step: i64) -> sqlx::Result<bool> {
    let r =
        sqlx::query("UPDATE users SET totp_last_step = $1 WHERE id = $2 AND totp_last_step < $1")
            .bind(step)
            .bind(user)
            .execute(pool)
            .await?;
    Ok(r.rows_affected() == 1)
}

/// Uses a recovery code (by hash) once.
pub async fn use_recovery_code(pool: &Pool, user: i64, hash: &str) -> sqlx::Result<bool> {
    let r = sqlx::query(
        "UPDATE recovery_codes SET used_at = $1
         WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL",
    )
    .bind(real_now())
    .bind(user)
    .bind(hash)
    .execute(pool)
    .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn unused_recovery_codes(pool: &Pool, user: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL")
        .bind(user)
        .fetch_one(pool)
        .await
}

pub async fn set_disabled(tx: &mut Tx<'_>, user: i64, disabled: bool) -> sqlx::Result<()> {
    sqlx::query("UPDATE users SET disabled = $1, updated_at = $2 WHERE id = $3")
        .bind(disabled as i64)
        .bind(real_now())
        .bind(user)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

// Sessions: the storage behind tower-sessions (`auth::SessionStore`).

/// Stores a new session; false if the id is taken.
pub async fn session_create(
    pool: &Pool,
    id: &str,
    user: Option<i64>,
    data: &str,
    expires_at: i64,
) -> sqlx::Result<bool> {
    let r = sqlx::query(
        "INSERT INTO sessions (id, user_id, data, expires_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (id) DO NOTHING",
    )
    .bind(id)
    .bind(user)
    .bind(data)
    .bind(expires_at)
    .execute(pool)
    .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn session_save(
    pool: &Pool,
    id: &str,
    user: Option<i64>,
    data: &str,
    expires_at: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO sessions (id, user_id, data, expires_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (id) DO UPDATE SET user_id = excluded.user_id, data = excluded.data,
             expires_at = excluded.expires_at",
    )
    .bind(id)
    .bind(user)
    .bind(data)
    .bind(expires_at)
    .execute(pool)
    .await?;
    Ok(())
}

pub async fn session_load(pool: &Pool, id: &str, now: i64) -> sqlx::Result<Option<(String, i64)>> {
    sqlx::query_as("SELECT data, expires_at FROM sessions WHERE id = $1 AND expires_at > $2")
        .bind(id)
        .bind(now)
        .fetch_optional(pool)
        .await
}

pub async fn session_delete(pool: &Pool, id: &str) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM sessions WHERE id = $1")
        .bind(id)
        .execute(pool)
        .await?;
    Ok(())
}

/// Ends every session of one person; returns how many.
pub async fn end_sessions_of(tx: &mut Tx<'_>, user: i64) -> sqlx::Result<u64> {
    Ok(sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user)
        .execute(&mut **tx)
        .await?
        .rows_affected())
}

pub async fn count_sessions_of(pool: &Pool, user: i64, now: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM sessions WHERE user_id = $1 AND expires_at > $2")
        .bind(user)
        .bind(now)
        .fetch_one(pool)
        .await
}

pub async fn delete_expired_sessions(pool: &Pool, now: i64) -> sqlx::Result<u64> {
    Ok(sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
        .bind(now)
        .execute(pool)
        .await?
        .rows_affected())
}

// One-time links.

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct TokenRow {
    pub kind: String,
    pub email: String,
    pub role: String,
    pub economy_id: Option<i64>,
    #[sqlx(rename = "slug")]
    pub economy: Option<String>,
    pub created_by: String,
    pub expires_at: String,
    pub used_at: Option<String>,
}

pub struct NewToken<'a> {
    pub hash: &'a str,
    pub kind: &'a str,
    pub email: &'a str,
    pub role: &'a str,
    pub economy_id: Option<i64>,
    pub created_by: &'a str,
    pub expires_at: &'a str,
}

pub async fn insert_token(tx: &mut Tx<'_>, t: NewToken<'_>) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO tokens (token_hash, kind, email, role, economy_id, created_by, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(t.hash)
    .bind(t.kind)
    .bind(t.email)
    .bind(t.role)
    .bind(t.economy_id)
    .bind(t.created_by)
    .bind(real_now())
    .bind(t.expires_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn token(pool: &Pool, hash: &str) -> sqlx::Result<Option<TokenRow>> {
    sqlx::query_as(
        "SELECT t.kind, t.email, t.role, t.economy_id, e.slug, t.created_by, t.expires_at, t.used_at
         FROM tokens t LEFT JOIN economies e ON e.id = t.economy_id WHERE t.token_hash = $1",
    )
    .bind(hash)
    .fetch_optional(pool)
    .await
}

/// Marks a token used, once: false if it was used (or expired) already.
pub async fn use_token(tx: &mut Tx<'_>, hash: &str, now_rfc3339: &str) -> sqlx::Result<bool> {
    let r = sqlx::query(
        "UPDATE tokens SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1",
    )
    .bind(now_rfc3339)
    .bind(hash)
    .execute(&mut **tx)
    .await?;
    Ok(r.rows_affected() == 1)
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PendingInvitation {
    pub email: String,
    pub role: String,
    #[sqlx(rename = "slug")]
    pub economy: Option<String>,
    pub created_by: String,
    pub expires_at: String,
}

/// Invitations not yet accepted and not expired, for an economy or (None) for all.
pub async fn pending_invitations(
    pool: &Pool,
    now_rfc3339: &str,
) -> sqlx::Result<Vec<PendingInvitation>> {
    sqlx::query_as(
        "SELECT t.email, t.role, e.slug, t.created_by, t.expires_at
         FROM tokens t LEFT JOIN economies e ON e.id = t.economy_id
         WHERE t.kind = 'invitation' AND t.used_at IS NULL AND t.expires_at > $1
         ORDER BY t.created_at DESC",
    )
    .bind(now_rfc3339)
    .fetch_all(pool)
    .await
}

// Throttles (sign-in and form limits): one row a key, claimed by compare-and-set.

/// A throttle's row: attempts counted, the last attempt and when the next is allowed (unix
/// seconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, sqlx::FromRow)]
pub struct ThrottleRow {
    pub attempts: i64,
    pub last_at: i64,
    pub next_at: i64,
}

pub async fn throttle_row(pool: &Pool, key: &str) -> sqlx::Result<Option<ThrottleRow>> {
    sqlx::query_as("SELECT attempts, last_at, next_at FROM throttles WHERE key = $1")
        .bind(key)
        .fetch_optional(pool)
        .await
}

/// Moves a throttle from `old` (none: no row yet) to `new` in one statement, only if nobody
/// moved it since `old` was read. True when this call made the move.
pub async fn throttle_swap(
    pool: &Pool,
    key: &str,
    old: Option<ThrottleRow>,
    new: ThrottleRow,
) -> sqlx::Result<bool> {
    let done =
        match old {
            None => sqlx::query(
                "INSERT INTO throttles (key, attempts, last_at, next_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (key) DO NOTHING",
            )
            .bind(key)
            .bind(new.attempts)
            .bind(new.last_at)
            .bind(new.next_at)
            .execute(pool)
            .await?,
            Some(old) => {
                sqlx::query(
                    "UPDATE throttles SET attempts = $2, last_at = $3, next_at = $4
             WHERE key = $1 AND attempts = $5 AND last_at = $6 AND next_at = $7",
                )
                .bind(key)
                .bind(new.attempts)
                .bind(new.last_at)
                .bind(new.next_at)
                .bind(old.attempts)
                .bind(old.last_at)
                .bind(old.next_at)
                .execute(pool)
                .await?
            }
        };
    Ok(done.rows_affected() == 1)
}

/// Forgets the throttles whose key is one of `keys` or starts with one of `prefixes`.
pub async fn throttle_clear(pool: &Pool, keys: &[&str], prefixes: &[&str]) -> sqlx::Result<()> {
    for k in keys {
        sqlx::query("DELETE FROM throttles WHERE key = $1")
            .bind(*k)
            .execute(pool)
            .await?;
    }
    for p in prefixes {
        sqlx::query("DELETE FROM throttles WHERE substr(key, 1, length($1)) = $1")
            .bind(*p)
            .execute(pool)
            .await?;
    }
    Ok(())
}

/// Gives back one attempt (a success that should not count against a shared limit).
pub async fn throttle_refund(pool: &Pool, key: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE throttles SET attempts = attempts - 1 WHERE key = $1 AND attempts > 0")
        .bind(key)
        .execute(pool)
        .await?;
    Ok(())
}
