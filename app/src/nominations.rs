//! Self-nomination and its review: a local health economy puts itself forward within the
//! framework's window; an admin accepts it (it becomes a candidate, scored and public, and
//! its lead contact gets the first submitter account) or declines it with a reason the
//! economy sees. Each step is one transaction with its audit entry and messages.

use crate::audit::Entry;
use crate::db::{self, NewToken, NewUser, Pool};
use crate::domain::account::{CurrentUser, Role};
use crate::domain::nomination::{self, Nomination, Window};
use crate::domain::Slug;
use crate::error::Rejection;
use chrono::{Duration, NaiveDate, Utc};
use std::collections::HashMap;

pub type Result<T> = std::result::Result<T, Rejection>;

/// The window on `today`, from the active framework.
pub async fn window(pool: &Pool, today: NaiveDate) -> Result<Window> {
    let fw = crate::service::active_framework(pool).await?.framework;
    Ok(nomination::window(&fw, today))
}

/// Checks a nomination form against the register of organisations: the nomination, and the
/// organisations in it that other economies already list (flagged, not refused).
pub async fn check(
    pool: &Pool,
    fields: &HashMap<String, String>,
    today: NaiveDate,
) -> Result<(Nomination, Vec<crate::domain::organisations::Overlap>)> {
    let known = crate::organisations::known(pool, &nomination::codes_in(fields))
        .await
        .map_err(service_rejection)?;
    let n = nomination::parse(fields, &known, today).map_err(Rejection::Invalid)?;
    let codes: Vec<String> = n
        .organisations
        .iter()
        .filter_map(|o| o.ods_code.clone())
        .collect();
    let overlaps = crate::organisations::overlaps(pool, &codes, None)
        .await
        .map_err(service_rejection)?;
    Ok((n, overlaps))
}

fn service_rejection(e: crate::service::ServiceError) -> Rejection {
    match e {
        crate::service::ServiceError::Db(e) => Rejection::Db(e),
        other => Rejection::Refused(other.to_string()),
    }
}

/// Takes a nomination; returns the new economy's slug. When the lead contact's email already
/// has an account, nothing is stored and the email's owner is told instead, so the answer to
/// the form never says whether an email has an account (`None`).
pub async fn submit(
    pool: &Pool,
    fields: &HashMap<String, String>,
    today: NaiveDate,
) -> Result<Option<String>> {
    match window(pool, today).await? {
        Window::Open { .. } => {}
        Window::NotYet { opens } => {
            return Err(Rejection::Refused(format!(
                "Nominations open on {}",
                crate::domain::types::long_date(opens)
            )))
        }
        Window::Closed { closed } => {
            return Err(Rejection::Refused(format!(
                "Nominations closed on {}",
                crate::domain::types::long_date(closed)
            )))
        }
    }
    let (n, overlaps) = check(pool, fields, today).await?;
    if db::user_by_email(pool, n.lead_email.as_str())
        .await?
        .is_some()
    {
        let mut tx = db::begin(pool).await?;
        db::insert_outbox(
            &mut tx,
            n.lead_email.as_str(),
            "Your nomination to be the exemplar could not be taken",
            &format!(
                "Someone nominated {} with this email address as its lead contact, but this address already has an Exemplar account, so the nomination was not taken. If you made it, nominate again with another address for the lead contact, or sign in and contact the board.",
                n.name
            ),
            None,
        )
        .await?;
        tx.commit().await?;
        tracing::info!("nomination not taken: the lead contact already has an account");
        return Ok(None);
    }
    let mut tx = db::begin(pool).await?;
    let slug = db::free_slug(&mut tx, &nomination::slug_of(&n.name)).await?;
    let id = db::insert_nomination(&mut tx, &slug, &n, today).await?;
    db::insert_outbox(
        &mut tx,
        n.lead_email.as_str(),
        "Your nomination to be the exemplar has been received",
        &format!(
            "Thank you for nominating {}. The board will review it and write to you with its decision.",
            n.name
        ),
        Some(id),
    )
    .await?;
    db::audit_append(
        &mut tx,
        &Entry::new(
            n.lead_email.as_str(),
            "nomination",
            format!(
                "nominated {} ({}, {} member organisations){}",
                n.name,
                n.region,
                n.organisations.len(),
                if overlaps.is_empty() {
                    String::new()
                } else {
                    format!(
                        "; also in other economies: {}",
                        overlaps
                            .iter()
                            .map(|o| format!("{} ({})", o.code, o.economies.join(", ")))
                            .collect::<Vec<_>>()
                            .join("; ")
                    )
                }
            ),
        )
        .economy(Some(&slug)),
    )
    .await?;
    tx.commit().await?;
    tracing::info!(slug, "nomination received");
    Ok(Some(slug))
}

/// An admin's decision on a pending nomination. Accepting makes the economy a candidate and
/// gives its lead contact a submitter account with a one-time link to set a password;
/// declining needs a reason, which the economy is sent.
pub async fn decide(
    pool: &Pool,
    admin: &CurrentUser,
    slug: &Slug,
    accept: bool,
    reason: &str,
) -> Result<String> {
    if admin.role != Role::Admin {
        return Err(Rejection::Refused("only admins decide nominations".into()));
    }
    let reason = reason.trim();
    if !accept && reason.is_empty() {
        return Err(Rejection::Invalid(vec![(
            format!("reason-{slug}"),
            "Enter the reason for declining: the economy is sent it".into(),
        )]));
    }
    let n = db::nominations(pool)
        .await?
        .into_iter()
        .find(|n| n.slug == slug)
        .ok_or_else(|| Rejection::Refused(format!("there is no nomination {slug}")))?;
    let mut tx = db::begin(pool).await?;
    if !db::decide_nomination(
        &mut tx,
        n.economy_id,
        accept,
        (!reason.is_empty()).then_some(reason),
        &admin.email,
    )
    .await?
    {
        return Err(Rejection::Refused(format!(
            "the nomination of {} has already been decided",
            n.name
        )));
    }
    let done = if accept {
        let letter = crate::mail::Letter::new(
            &n.lead_email,
            "Your nomination has been accepted",
            format!(
                "{} has been accepted as a candidate to be the exemplar of interoperability.\n\nSet a password for your account within {} days to report your economy's progress: {}",
                n.name,
                crate::accounts::INVITATION_DAYS,
                crate::mail::LINK_KEPT_OUT
            ),
            "/reset-password?token={token}",
        );
        let created = db::insert_user(
            &mut tx,
            NewUser {
                email: &n.lead_email,
                password_hash: None,
                role: Role::Submitter.as_str(),
                economy_id: Some(n.economy_id),
                totp_secret: None,
            },
        )
        .await?;
        if created.is_some() {
            db::insert_token(
                &mut tx,
                NewToken {
                    hash: &letter.token_hash,
                    kind: "reset",
                    email: &n.lead_email,
                    role: Role::Submitter.as_str(),
                    economy_id: Some(n.economy_id),
                    created_by: &admin.email,
                    expires_at: &(Utc::now() + Duration::days(crate::accounts::INVITATION_DAYS))
                        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                },
            )
            .await?;
        }
        let subject = "Your nomination has been accepted";
        if created.is_some() {
            letter.queue(&mut tx, Some(n.economy_id)).await?;
        } else {
            db::insert_outbox(
                &mut tx,
                &n.lead_email,
                subject,
                &format!(
                    "{} has been accepted as a candidate to be the exemplar of interoperability.",
                    n.name
                ),
                Some(n.economy_id),
            )
            .await?;
        }
        format!("accepted the nomination of {}", n.name)
    } else {
        db::insert_outbox(
            &mut tx,
            &n.lead_email,
            "Your nomination has not been accepted",
            &format!(
                "The board has not accepted the nomination of {}. Its reason: {reason}",
                n.name
            ),
            Some(n.economy_id),
        )
        .await?;
        format!("declined the nomination of {}: {reason}", n.name)
    };
    db::audit_append(
        &mut tx,
        &Entry::new(&admin.email, "nomination", done.clone())
            .economy(Some(slug))
            .before("nominated")
            .after(if accept { "candidate" } else { "declined" }),
    )
    .await?;
    tx.commit().await?;
    Ok(done)
}

/// Every nomination with its member organisations, for the admins' list.
pub async fn all_with_organisations(
    pool: &Pool,
) -> sqlx::Result<Vec<(db::NominationRow, Vec<nomination::Organisation>)>> {
    let mut out = Vec::new();
    for n in db::nominations(pool).await? {
        let organisations = db::organisations(pool, n.economy_id).await?;
        out.push((n, organisations));
    }
    Ok(out)
}
