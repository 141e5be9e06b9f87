//! What accounts do: create, sign in (password, then a one-time code for board staff),
//! invitations, password resets, own settings, and admins' controls. Every change is one
//! transaction with its audit entry. A message with a one-time link goes to its owner alone
//! (`mail`); the outbox keeps it without the link, and no link is ever logged.

use crate::audit::Entry;
use crate::auth;
use crate::db::{self, NewToken, NewUser, Pool, UserRow};
use crate::domain::account::{CurrentUser, Email, Role};
use crate::domain::Slug;
use crate::mail::{Letter, LINK_KEPT_OUT};
use crate::throttle::{self, Claim};
use chrono::{Duration, Utc};

mod admin_views;
mod second_factor;
pub use admin_views::*;
use second_factor::check_enrolment_code;
pub use second_factor::*;

#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    /// A problem with what was entered, for one form field.
    #[error("{field}: {message}")]
    Field {
        field: &'static str,
        message: String,
    },
    /// Too many attempts: wait this many seconds; the message says so in words.
    #[error("{message}")]
    Limited { retry_after: i64, message: String },
    /// A one-time link that has been used or has expired.
    #[error("{0}")]
    Gone(String),
    /// Not allowed (a rule of who may do what).
    #[error("{0}")]
    Forbidden(String),
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
    /// A message could not be written to the mail folder (nothing was changed).
    #[error("cannot send the message: {0}")]
    Mail(String),
}

pub type Result<T> = std::result::Result<T, AccountError>;

fn field(field: &'static str, message: impl Into<String>) -> AccountError {
    AccountError::Field {
        field,
        message: message.into(),
    }
}

/// How long links last.
pub const INVITATION_DAYS: i64 = 7;
pub const RESET_HOURS: i64 = 1;
pub const SIGN_IN_LINK_HOURS: i64 = 24;
pub const ENROL_LINK_HOURS: i64 = 24;

/// Queues `letter` in the transaction that made its link: it leaves with the rest of the
/// change or not at all, and its link is minted as it is sent (`crate::mail`).
async fn send_link(tx: &mut db::Tx<'_>, letter: &Letter, economy_id: Option<i64>) -> Result<()> {
    letter.queue(tx, economy_id).await?;
    tracing::info!(to = %letter.to, subject = %letter.subject, "message queued");
    Ok(())
}

fn limited(retry_after: i64, message: String) -> AccountError {
    AccountError::Limited {
        retry_after: retry_after.max(1),
        message,
    }
}

/// Forgets an account's sign-in throttles (after a completed password reset).
async fn clear_throttles(pool: &Pool, user: &UserRow) -> Result<()> {
    let account = throttle::account_key(&user.email);
    let from = throttle::account_from_address_key(&user.email, "");
    let codes = throttle::codes_key(user.id);
    db::throttle_clear(pool, &[&account, &codes], &[&from]).await?;
    Ok(())
}

pub fn current_user(u: &UserRow) -> Option<CurrentUser> {
    Some(CurrentUser {
        id: u.id,
        email: u.email.clone(),
        role: u.role.parse().ok()?,
        economy: u.economy.clone(),
    })
}

/// An account created from the command line.
pub struct Added {
    pub id: i64,
    /// For board staff: the `otpauth://` enrolment line.
    pub totp_url: Option<String>,
    /// When no password was given: a one-time link to set one.
    pub sign_in_link: Option<String>,
}

fn rfc3339(t: chrono::DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

async fn economy_id(pool: &Pool, slug: &Slug) -> Result<i64> {
    db::economy_ids(pool)
        .await?
        .get(slug.as_str())
        .copied()
        .ok_or_else(|| field("economy", format!("there is no economy \"{slug}\"")))
}

/// `exemplar user add`: an account with a password, or with a one-time link to set one.
pub async fn add_user(
    pool: &Pool,
    email: &str,
    role: Role,
    economy: Option<&str>,
    password: Option<&str>,
    public_url: &str,
    by: &str,
) -> Result<Added> {
    let email = Email::parse(email).map_err(|m| field("email", m))?;
    let economy_id = match (role, economy) {
        (Role::Submitter, Some(slug)) => {
            let slug = Slug::parse(slug).map_err(|m| field("economy", m))?;
            Some(economy_id(pool, &slug).await?)
        }
        (Role::Submitter, None) => {
            return Err(field("economy", "a submitter needs --economy SLUG"));
        }
        (_, Some(_)) => {
            return Err(field("economy", "only submitters belong to an economy"));
        }
        (_, None) => None,
    };
    let hash = match password {
        Some(p) => {
            auth::check_new_password(p, email.as_str()).map_err(|m| field("password", m))?;
            Some(auth::hash_password(p).await)
        }
        None => None,
    };
    let secret = role.is_staff().then(auth::new_totp_secret);
    let mut tx = db::begin(pool).await?;
    let id = db::insert_user(
        &mut tx,
        NewUser {
            email: email.as_str(),
            password_hash: hash.as_deref(),
            role: role.as_str(),
            economy_id,
            totp_secret: secret.as_deref(),
        },
    )
    .await?
    .ok_or_else(|| field("email", format!("an account for {email} already exists")))?;
    let link = if hash.is_none() {
        let token = auth::random_token();
        db::insert_token(
            &mut tx,
            NewToken {
                hash: &auth::token_hash(&token),
                kind: "reset",
                email: email.as_str(),
                role: role.as_str(),
                economy_id,
                created_by: by,
                expires_at: &rfc3339(Utc::now() + Duration::hours(SIGN_IN_LINK_HOURS)),
            },
        )
        .await?;
        Some(format!("{public_url}/reset-password?token={token}"))
    } else {
        None
    };
    db::audit_append(
        &mut tx,
        &Entry::new(by, "account", format!("created {role} account {email}"))
            .economy(economy)
            .after(format!("{email} ({role})")),
    )
    .await?;
    tx.commit().await?;
    Ok(Added {
        id,
        totp_url: secret.map(|s| auth::totp_url(&s, email.as_str())),
        sign_in_link: link,
    })
}

/// The first step of signing in succeeded.
pub struct PasswordOk {
    pub user: CurrentUser,
    /// Board staff must still give a one-time code.
    pub needs_code: bool,
}

/// Checks email and password, within the limits per account, per address and per account
/// from an address. Each attempt is claimed before the password is hashed (so parallel
/// attempts are counted one by one); a wrong password leaves its claim counted, a right one
/// clears the account's. An account whose one-time codes were guessed at waits first.
pub async fn check_password(
    pool: &Pool,
    email: &str,
    password: &str,
    address: &str,
) -> Result<PasswordOk> {
    let email = email.trim().to_lowercase();
    if email.is_empty() {
        return Err(field("email", "Enter your email address"));
    }
    if password.is_empty() {
        return Err(field("password", "Enter your password"));
    }
    let now = auth::unix_now();
    let user = db::user_by_email(pool, &email).await?;
    if let Some(u) = &user {
        let wait = throttle::waiting(pool, &throttle::codes_key(u.id), now).await?;
        if wait > 0 {
            tracing::warn!(email, address, "sign-in refused: wrong one-time codes");
            return Err(limited(
                wait,
                format!(
                    "Too many wrong security codes were given for this account. Wait {} and sign in again, or reset your password",
                    throttle::wait_words(wait)
                ),
            ));
        }
    }
    let pair = throttle::account_from_address_key(&email, address);
    let keys = [
        (pair.clone(), throttle::ACCOUNT_FROM_ADDRESS),
        (throttle::account_key(&email), throttle::ACCOUNT),
        (throttle::address_key(address), throttle::ADDRESS),
    ];
    if let Some(wait) = throttle::claim_all(pool, &keys, now).await? {
        tracing::warn!(email, address, "sign-in refused: too many attempts");
        return Err(limited(
            wait,
            format!(
                "You have tried to sign in too many times. Wait {} and try again, or reset your password",
                throttle::wait_words(wait)
            ),
        ));
    }
    let ok = auth::verify_password(
        user.as_ref().and_then(|u| u.password_hash.as_deref()),
        password,
    )
    .await;
    match user.filter(|u| ok && !u.disabled).and_then(|u| {
        let cu = current_user(&u)?;
        Some((cu, u.totp_secret.is_some()))
    }) {
        Some((user, has_secret)) => {
            db::throttle_clear(pool, &[&pair, &keys[1].0], &[]).await?;
            db::throttle_refund(pool, &keys[2].0).await?;
            tracing::info!(email, role = %user.role, "password accepted");
            Ok(PasswordOk {
                needs_code: user.role.is_staff() || has_secret,
                user,
            })
        }
        None => {
            tracing::warn!(email, address, "sign-in failed: wrong email or password");
            Err(field(
                "password",
                "The email address or password is not right. Check them and try again",
            ))
        }
    }
}

/// Records a completed sign-in in the audit log, with the address it came from.
pub async fn record_sign_in(pool: &Pool, user: &CurrentUser, address: &str) -> Result<()> {
    let mut tx = db::begin(pool).await?;
    db::audit_append(
        &mut tx,
        &Entry::new(&user.email, "sign-in", format!("signed in from {address}"))
            .economy(user.economy.as_deref())
            .address(Some(address)),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Checks a one-time code (or an unused recovery code) for the second step. A code works
/// once: its time step must be later than the last one accepted. Wrong codes have their own
/// count, which a password never clears: after the third in a row the sign-in ends (the
/// caller drops it) and starts again from the password after a growing wait, and the account
/// holder is told that someone has their password.
pub async fn check_code(pool: &Pool, user: i64, code: &str, address: &str) -> Result<()> {
    let code = code.trim();
    if code.is_empty() {
        return Err(field(
            "code",
            "Enter the 6-digit code from your authenticator app",
        ));
    }
    let row = db::user_by_id(pool, user)
        .await?
        .filter(|u| !u.disabled)
        .ok_or_else(|| field("code", "Your sign-in has ended. Sign in again"))?;
    let Some(secret) = row.totp_secret.clone() else {
        return Err(field(
            "code",
            "Your account has no authenticator app enrolled. Use the link in the message we sent you, or ask an admin for a new one",
        ));
    };
    let now = auth::unix_now();
    let key = throttle::codes_key(row.id);
    let wait = match throttle::claim(pool, &key, throttle::CODES, now).await? {
        Claim::Wait(w) => {
            return Err(limited(
                w,
                format!(
                    "Too many wrong security codes. Wait {} and sign in again with your password",
                    throttle::wait_words(w)
                ),
            ))
        }
        Claim::Granted { wait, .. } => wait,
    };
    let accepted = match auth::totp_step(&secret, code, now as u64) {
        Some(step) => db::accept_totp_step(pool, user, step).await?,
        None => {
            code.len() > 6 && db::use_recovery_code(pool, user, &auth::token_hash(code)).await?
        }
    };
    if accepted {
        db::throttle_clear(pool, &[&key], &[]).await?;
        tracing::info!(email = row.email, "one-time code accepted");
        return Ok(());
    }
    tracing::warn!(email = row.email, address, "one-time code refused");
    if wait == 0 {
        return Err(field(
            "code",
            "The code is not right or has been used. Enter the current code from your authenticator app",
        ));
    }
    // The sign-in ends here: tell the account holder, and record it.
    let mut tx = db::begin(pool).await?;
    db::insert_outbox(
        &mut tx,
        &row.email,
        "Someone has your Exemplar password",
        &format!(
            "Someone signed in to your Exemplar account with your password, then gave wrong security codes, from the address {address}. If it was not you, reset your password now. If it was you, wait {} and sign in again.",
            throttle::wait_words(wait)
        ),
        None,
    )
    .await?;
    db::audit_append(
        &mut tx,
        &Entry::new(
            &row.email,
            "sign-in",
            format!(
                "wrong security codes after a correct password, from {address}: the sign-in was ended and the account holder told"
            ),
        )
        .economy(row.economy.as_deref())
        .address(Some(address)),
    )
    .await?;
    tx.commit().await?;
    Err(limited(
        wait,
        format!(
            "Too many wrong security codes. Wait {} and sign in again with your password",
            throttle::wait_words(wait)
        ),
    ))
}

/// Is the account still allowed in (exists, not disabled)? Read on every signed-in request.
pub async fn active_user(pool: &Pool, id: i64) -> Result<Option<CurrentUser>> {
    Ok(db::user_by_id(pool, id)
        .await?
        .filter(|u| !u.disabled)
        .as_ref()
        .and_then(current_user))
}

/// Invites someone: an admin invites assessors and admins; a submitter invites colleagues
/// to their own economy. The link goes to the invitee alone.
pub async fn invite(pool: &Pool, by: &CurrentUser, email: &str, role: Role) -> Result<()> {
    let email = Email::parse(email).map_err(|m| field("email", m))?;
    let economy = match (by.role, role) {
        (Role::Admin, Role::Assessor | Role::Admin) => None,
        (Role::Submitter, Role::Submitter) => by.economy.clone(),
        _ => {
            return Err(AccountError::Forbidden(format!(
                "a {} cannot invite a {}",
                by.role, role
            )))
        }
    };
    if db::user_by_email(pool, email.as_str()).await?.is_some() {
        return Err(field("email", format!("{email} already has an account")));
    }
    let economy_id = match &economy {
        Some(slug) => Some(economy_id(pool, slug).await?),
        None => None,
    };
    let what = match &economy {
        Some(slug) => format!("as a submitter for {slug}"),
        None => format!("as an {role}"),
    };
    let letter = Letter::new(
        email.as_str(),
        "You are invited to Exemplar",
        format!(
            "{} has invited you to Exemplar {what}. Accept within {INVITATION_DAYS} days: {LINK_KEPT_OUT}",
            by.email
        ),
        "/invitations/{token}",
    );
    let mut tx = db::begin(pool).await?;
    db::insert_token(
        &mut tx,
        NewToken {
            hash: &letter.token_hash,
            kind: "invitation",
            email: email.as_str(),
            role: role.as_str(),
            economy_id,
            created_by: &by.email,
            expires_at: &rfc3339(Utc::now() + Duration::days(INVITATION_DAYS)),
        },
    )
    .await?;
    db::audit_append(
        &mut tx,
        &Entry::new(&by.email, "invitation", format!("invited {email} {what}"))
            .economy(economy.as_deref()),
    )
    .await?;
    send_link(&mut tx, &letter, economy_id).await?;
    tx.commit().await?;
    Ok(())
}

/// A link's details, if it is of this kind, unused and in date.
pub async fn valid_token(pool: &Pool, token: &str, kind: &str) -> Result<Option<db::TokenRow>> {
    let now = rfc3339(Utc::now());
    Ok(db::token(pool, &auth::token_hash(token))
        .await?
        .filter(|t| t.kind == kind && t.used_at.is_none() && t.expires_at > now))
}

/// Accepts an invitation: creates the account with its password (and, for board staff, the
/// one-time-code secret the page showed, proven by a current code). Returns the account
/// and, for board staff, their recovery codes.
pub async fn accept_invitation(
    pool: &Pool,
    token: &str,
    password: &str,
    confirm: &str,
    secret: Option<&str>,
    code: Option<&str>,
) -> Result<(CurrentUser, Vec<String>)> {
    let t = valid_token(pool, token, "invitation")
        .await?
        .ok_or_else(|| AccountError::Gone("This invitation has been used or has expired".into()))?;
    let role: Role = t
        .role
        .parse()
        .map_err(|_| AccountError::Gone("This invitation is not valid".into()))?;
    auth::check_new_password(password, &t.email).map_err(|m| field("password", m))?;
    if password != confirm {
        return Err(field("confirm", "The passwords do not match"));
    }
    let mut codes = Vec::new();
    let secret = if role.is_staff() {
        let secret = secret.unwrap_or_default();
        check_enrolment_code(secret, code.unwrap_or_default())?;
        codes = auth::recovery_codes();
        Some(secret.to_string())
    } else {
        None
    };
    let hash = auth::hash_password(password).await;
    let mut tx = db::begin(pool).await?;
    if !db::use_token(&mut tx, &auth::token_hash(token), &rfc3339(Utc::now())).await? {
        return Err(AccountError::Gone(
            "This invitation has been used or has expired".into(),
        ));
    }
    let id = db::insert_user(
        &mut tx,
        NewUser {
            email: &t.email,
            password_hash: Some(&hash),
            role: role.as_str(),
            economy_id: t.economy_id,
            totp_secret: None,
        },
    )
    .await?
    .ok_or_else(|| field("password", format!("{} already has an account", t.email)))?;
    if let Some(s) = &secret {
        let hashes: Vec<String> = codes.iter().map(|c| auth::token_hash(c)).collect();
        db::set_second_factor(&mut tx, id, Some(s), &hashes).await?;
    }
    db::audit_append(
        &mut tx,
        &Entry::new(
            &t.email,
            "account",
            format!("accepted an invitation from {}", t.created_by),
        )
        .economy(t.economy.as_deref())
        .after(format!("{} ({role})", t.email)),
    )
    .await?;
    tx.commit().await?;
    Ok((
        CurrentUser {
            id,
            email: t.email,
            role,
            economy: t
                .economy
                .as_deref()
                .map(Slug::parse)
                .transpose()
                .map_err(|m| field("economy", m))?,
        },
        codes,
    ))
}

/// Sends a reset link if the account exists; says nothing either way (no account probing).
pub async fn request_reset(pool: &Pool, email: &str) -> Result<()> {
    let email = Email::parse(email).map_err(|m| field("email", m))?;
    let Some(user) = db::user_by_email(pool, email.as_str()).await? else {
        tracing::info!(%email, "password reset asked for an unknown email");
        return Ok(());
    };
    if user.disabled {
        return Ok(());
    }
    let letter = Letter::new(
        email.as_str(),
        "Reset your Exemplar password",
        format!("Set a new password within {RESET_HOURS} hour: {LINK_KEPT_OUT}\n\nIf you did not ask for this, you can ignore this message."),
        "/reset-password?token={token}",
    );
    let mut tx = db::begin(pool).await?;
    db::insert_token(
        &mut tx,
        NewToken {
            hash: &letter.token_hash,
            kind: "reset",
            email: email.as_str(),
            role: &user.role,
            economy_id: None,
            created_by: email.as_str(),
            expires_at: &rfc3339(Utc::now() + Duration::hours(RESET_HOURS)),
        },
    )
    .await?;
    send_link(&mut tx, &letter, None).await?;
    tx.commit().await?;
    Ok(())
}

/// Sets a new password from a reset link; ends every session of the account.
pub async fn reset_password(pool: &Pool, token: &str, password: &str, confirm: &str) -> Result<()> {
    let t = valid_token(pool, token, "reset").await?.ok_or_else(|| {
        AccountError::Gone("This link has been used or has expired. Ask for a new one".into())
    })?;
    auth::check_new_password(password, &t.email).map_err(|m| field("password", m))?;
    if password != confirm {
        return Err(field("confirm", "The passwords do not match"));
    }
    let user = db::user_by_email(pool, &t.email)
        .await?
        .ok_or_else(|| AccountError::Gone("This link is not valid".into()))?;
    let hash = auth::hash_password(password).await;
    let mut tx = db::begin(pool).await?;
    if !db::use_token(&mut tx, &auth::token_hash(token), &rfc3339(Utc::now())).await? {
        return Err(AccountError::Gone(
            "This link has been used or has expired. Ask for a new one".into(),
        ));
    }
    db::set_password(&mut tx, user.id, &hash).await?;
    db::end_sessions_of(&mut tx, user.id).await?;
    db::audit_append(
        &mut tx,
        &Entry::new(
            &user.email,
            "account",
            "set a password with a one-time link",
        )
        .economy(user.economy.as_deref()),
    )
    .await?;
    tx.commit().await?;
    // The person proved they own the email: their sign-in waits are forgotten.
    clear_throttles(pool, &user).await?;
    Ok(())
}

/// Re-authentication: the current password, checked before any change of credentials.
async fn reauthenticate(pool: &Pool, user: &CurrentUser, current: &str) -> Result<UserRow> {
    let row = db::user_by_id(pool, user.id)
        .await?
        .ok_or_else(|| AccountError::Forbidden("no such account".into()))?;
    if current.is_empty() {
        return Err(field("current", "Enter your current password"));
    }
    if !auth::verify_password(row.password_hash.as_deref(), current).await {
        return Err(field("current", "Your current password is not right"));
    }
    Ok(row)
}

pub async fn change_password(
    pool: &Pool,
    user: &CurrentUser,
    current: &str,
    new: &str,
    confirm: &str,
) -> Result<()> {
    reauthenticate(pool, user, current).await?;
    auth::check_new_password(new, &user.email).map_err(|m| field("password", m))?;
    if new != confirm {
        return Err(field("confirm", "The passwords do not match"));
    }
    let hash = auth::hash_password(new).await;
    let mut tx = db::begin(pool).await?;
    db::set_password(&mut tx, user.id, &hash).await?;
    // Every session of the person ends (ASVS 7.4.3); the caller gives this one a new id.
    let ended = db::end_sessions_of(&mut tx, user.id).await?;
    db::audit_append(
        &mut tx,
        &Entry::new(
            &user.email,
            "account",
            format!(
                "changed their password and ended {} other session{}",
                ended.saturating_sub(1),
                if ended.saturating_sub(1) == 1 {
                    ""
                } else {
                    "s"
                }
            ),
        )
        .economy(user.economy.as_deref()),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn change_email(
    pool: &Pool,
    user: &CurrentUser,
    current: &str,
    email: &str,
) -> Result<()> {
    reauthenticate(pool, user, current).await?;
    let email = Email::parse(email).map_err(|m| field("email", m))?;
    let mut tx = db::begin(pool).await?;
    if !db::set_email(&mut tx, user.id, email.as_str()).await? {
        return Err(field("email", "Another account uses this email address"));
    }
    db::audit_append(
        &mut tx,
        &Entry::new(
            &user.email,
            "account",
            format!("changed their email to {email}"),
        )
        .economy(user.economy.as_deref())
        .before(user.email.clone())
        .after(email.to_string()),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// An admin's controls over another account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdminAction {
    Disable,
    Enable,
    EndSessions,
    ResetSecondFactor,
}

impl AdminAction {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "disable" => Some(AdminAction::Disable),
            "enable" => Some(AdminAction::Enable),
            "end-sessions" => Some(AdminAction::EndSessions),
            "reset-second-factor" => Some(AdminAction::ResetSecondFactor),
            _ => None,
        }
    }
}

/// Carries out an admin's action; returns what was done, in words.
pub async fn admin_action(
    pool: &Pool,
    admin: &CurrentUser,
    target: i64,
    action: AdminAction,
) -> Result<String> {
    if admin.role != Role::Admin {
        return Err(AccountError::Forbidden(
            "only admins manage accounts".into(),
        ));
    }
    let user = db::user_by_id(pool, target)
        .await?
        .ok_or_else(|| AccountError::Forbidden("there is no such account".into()))?;
    if user.id == admin.id && matches!(action, AdminAction::Disable) {
        return Err(AccountError::Forbidden(
            "you cannot disable your own account".into(),
        ));
    }
    let mut tx = db::begin(pool).await?;
    let (kind, done) = match action {
        AdminAction::Disable => {
            db::set_disabled(&mut tx, user.id, true).await?;
            let n = db::end_sessions_of(&mut tx, user.id).await?;
            (
                "account",
                format!(
                    "disabled {} and ended {n} session{}",
                    user.email,
                    if n == 1 { "" } else { "s" }
                ),
            )
        }
        AdminAction::Enable => {
            db::set_disabled(&mut tx, user.id, false).await?;
            ("account", format!("enabled {}", user.email))
        }
        AdminAction::EndSessions => {
            let n = db::end_sessions_of(&mut tx, user.id).await?;
            (
                "session",
                format!(
                    "ended {n} session{} of {}",
                    if n == 1 { "" } else { "s" },
                    user.email
                ),
            )
        }
        AdminAction::ResetSecondFactor => {
            db::set_second_factor(&mut tx, user.id, None, &[]).await?;
            let n = db::end_sessions_of(&mut tx, user.id).await?;
            // A new app is enrolled only through a one-time link sent to the person: their
            // password alone is not enough (someone else may have it).
            let letter = Letter::new(
                &user.email,
                "Set up a new authenticator app for Exemplar",
                format!(
                    "{} has reset your Exemplar authenticator app. Within {ENROL_LINK_HOURS} hours, open this link and sign in with your password to set up a new one: {LINK_KEPT_OUT}\n\nIf you did not ask for this, tell an admin.",
                    admin.email
                ),
                "/enrol/{token}",
            );
            db::insert_token(
                &mut tx,
                NewToken {
                    hash: &letter.token_hash,
                    kind: "enrol",
                    email: &user.email,
                    role: &user.role,
                    economy_id: None,
                    created_by: &admin.email,
                    expires_at: &rfc3339(Utc::now() + Duration::hours(ENROL_LINK_HOURS)),
                },
            )
            .await?;
            send_link(&mut tx, &letter, None).await?;
            (
                "second-factor",
                format!(
                    "reset the second factor of {}, ended {n} session{} and sent a link to set up a new app",
                    user.email,
                    if n == 1 { "" } else { "s" }
                ),
            )
        }
    };
    db::audit_append(
        &mut tx,
        &Entry::new(&admin.email, kind, done.clone()).economy(user.economy.as_deref()),
    )
    .await?;
    tx.commit().await?;
    tracing::info!(admin = admin.email, "{done}");
    Ok(done)
}

/// The audit chain's state: Ok(entries) or where it breaks, checked with the loaded key
/// against the recorded head.
pub async fn verify_audit(pool: &Pool) -> Result<std::result::Result<usize, crate::audit::Break>> {
    let key = crate::audit::key().ok_or_else(|| {
        AccountError::Forbidden("the audit key is not loaded, so the log cannot be checked".into())
    })?;
    let rows = db::audit_all(pool).await?;
    let head = db::audit_head(pool).await?;
    Ok(crate::audit::verify(&rows, &head, key))
}

/// How many of the account's recovery codes are still unused.
pub async fn recovery_codes_left(pool: &Pool, user: i64) -> sqlx::Result<i64> {
    db::unused_recovery_codes(pool, user).await
}

/// The name of the economy with `slug`, for showing a submitter's role ("Submitter for Leeds
/// health and care economy"), or `None` when there is no such economy.
pub async fn economy_name(pool: &Pool, slug: &Slug) -> sqlx::Result<Option<String>> {
    Ok(db::economy_by_slug(pool, slug).await?.map(|e| e.name))
}
