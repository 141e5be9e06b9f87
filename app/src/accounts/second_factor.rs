//! The second factor: enrolling an authenticator (from the account page, or at the first
//! sign-in of an account that must have one) and whether an account has one.

use super::*;

/// Enrols a new one-time-code secret (proven by a current code) with new recovery codes.
pub async fn enrol_second_factor(
    pool: &Pool,
    user: &CurrentUser,
    current: &str,
    secret: &str,
    code: &str,
) -> Result<Vec<String>> {
    reauthenticate(pool, user, current).await?;
    enrol(
        pool,
        user.id,
        &user.email,
        secret,
        code,
        "enrolled a new authenticator app",
    )
    .await
}

/// Checks that an authenticator app set up with `secret` gives `code` now.
pub(super) fn check_enrolment_code(secret: &str, code: &str) -> Result<()> {
    if code.trim().is_empty() {
        return Err(field(
            "code",
            "Enter the 6-digit code from your authenticator app",
        ));
    }
    if auth::totp_step(secret, code, auth::unix_now() as u64).is_none() {
        return Err(field(
            "code",
            "The code is not right. Check the key in your authenticator app and enter its current code",
        ));
    }
    Ok(())
}

/// Stores a new authenticator secret, proven by a current code, with ten new recovery codes
/// (returned, to be shown once) and the audit entry, in one transaction.
async fn enrol(
    pool: &Pool,
    user: i64,
    email: &str,
    secret: &str,
    code: &str,
    summary: &str,
) -> Result<Vec<String>> {
    check_enrolment_code(secret, code)?;
    let codes = auth::recovery_codes();
    let hashes: Vec<String> = codes.iter().map(|c| auth::token_hash(c)).collect();
    let mut tx = db::begin(pool).await?;
    db::set_second_factor(&mut tx, user, Some(secret), &hashes).await?;
    db::audit_append(&mut tx, &Entry::new(email, "second-factor", summary)).await?;
    tx.commit().await?;
    Ok(codes)
}

/// Board staff whose authenticator app an admin reset enrol a new one after their
/// password, only with the one-time enrolment link sent to them (`token`), proving the app
/// with a current code. The link is used up with the enrolment. Returns their recovery codes.
pub async fn enrol_at_sign_in(
    pool: &Pool,
    user: i64,
    token: &str,
    secret: &str,
    code: &str,
) -> Result<Vec<String>> {
    let row = db::user_by_id(pool, user)
        .await?
        .filter(|u| !u.disabled && u.totp_secret.is_none())
        .ok_or_else(|| field("code", "Your sign-in has ended. Sign in again"))?;
    valid_token(pool, token, "enrol")
        .await?
        .filter(|t| t.email == row.email)
        .ok_or_else(|| {
            AccountError::Gone(
                "Your link to set up an authenticator app has been used or has expired. Ask an admin for a new one".into(),
            )
        })?;
    check_enrolment_code(secret, code)?;
    let codes = auth::recovery_codes();
    let hashes: Vec<String> = codes.iter().map(|c| auth::token_hash(c)).collect();
    let mut tx = db::begin(pool).await?;
    if !db::use_token(&mut tx, &auth::token_hash(token), &rfc3339(Utc::now())).await? {
        return Err(AccountError::Gone(
            "Your link to set up an authenticator app has been used or has expired. Ask an admin for a new one".into(),
        ));
    }
    db::set_second_factor(&mut tx, row.id, Some(secret), &hashes).await?;
    db::audit_append(
        &mut tx,
        &Entry::new(
            &row.email,
            "second-factor",
            "enrolled an authenticator app at sign-in, with the link sent to them",
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(codes)
}

/// Does this account have an authenticator app enrolled?
pub async fn has_second_factor(pool: &Pool, user: i64) -> Result<bool> {
    Ok(db::user_by_id(pool, user)
        .await?
        .is_some_and(|u| u.totp_secret.is_some()))
}
