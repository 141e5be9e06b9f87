//! Self-nomination and its review: a local health economy puts itself forward within the
//! framework's window; an admin accepts it (it becomes a candidate, scored and public, and
//! its lead contact gets the first submitter account) or declines it with a reason the
//! economy sees. Each step is one transaction with its audit entry and messages.

use crate::audit::Entry;
use crate::auth;
use crate::db::{self, NewToken, NewUser, Pool};
use crate::domain::account::{CurrentUser, Role};
use crate::domain::nomination::{self, Nomination, Window};
use chrono::{Duration, NaiveDate, Utc};
use std::collections::HashMap;

#[derive(Debug, thiserror::Error)]
pub enum NominationError {
    /// Problems with the form, by field.
    #[error("the nomination has problems")]
    Invalid(Vec<(String, String)>),
    /// Outside the nomination window, or already decided: the reason in words.
    #[error("{0}")]
    Refused(String),
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
}

impl From<crate::service::ServiceError> for NominationError {
    fn from(e: crate::service::ServiceError) -> Self {
        match e {
            crate::service::ServiceError::Db(e) => NominationError::Db(e),
            other => NominationError::Refused(other.to_string()),
        }
    }
}

pub type Result<T> = std::result::Result<T, NominationError>;

/// The window on `today`, from the active framework.
pub async fn window(pool: &Pool, today: NaiveDate) -> Result<Window> {
    let fw = crate::service::active_framework(pool).await?.framework;
    Ok(nomination::window(&fw, today))
}

/// Takes a nomination; returns the new economy's slug.
pub async fn submit(
    pool: &Pool,
    fields: &HashMap<String, String>,
    today: NaiveDate,
) -> Result<String> {
    match window(pool, today).await? {
        Window::Open { .. } => {}
        Window::NotYet { opens } => {
            return Err(NominationError::Refused(format!(
                "Nominations open on {}",
                crate::ui::format::long_date(opens)
            )))
        }
        Window::Closed { closed } => {
            return Err(NominationError::Refused(format!(
                "Nominations closed on {}",
                crate::ui::format::long_date(closed)
            )))
        }
    }
    let n: Nomination = nomination::parse(fields).map_err(NominationError::Invalid)?;
    if db::user_by_email(pool, n.lead_email.as_str())
        .await?
        .is_some()
    {
        return Err(NominationError::Invalid(vec![(
            "lead_email".into(),
            "This email address already has an account: use another for the lead contact, or sign in".into(),
        )]));
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
                "nominated {} ({}, {} member organisations)",
                n.name,
                n.region,
                n.organisations.len()
            ),
        )
        .economy(Some(&slug)),
    )
    .await?;
    tx.commit().await?;
    tracing::info!(slug, "nomination received");
    Ok(slug)
}

/// An admin's decision on a pending nomination. Accepting makes the economy a candidate and
/// gives its lead contact a submitter account with a one-time link to set a password;
/// declining needs a reason, which the economy is sent.
pub async fn decide(
    pool: &Pool,
    admin: &CurrentUser,
    slug: &str,
    accept: bool,
    reason: &str,
    public_url: &str,
) -> Result<String> {
    if admin.role != Role::Admin {
        return Err(NominationError::Refused(
            "only admins decide nominations".into(),
        ));
    }
    let reason = reason.trim();
    if !accept && reason.is_empty() {
        return Err(NominationError::Invalid(vec![(
            format!("reason-{slug}"),
            "Enter the reason for declining: the economy is sent it".into(),
        )]));
    }
    let n = db::nominations(pool)
        .await?
        .into_iter()
        .find(|n| n.slug == slug)
        .ok_or_else(|| NominationError::Refused(format!("there is no nomination {slug}")))?;
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
        return Err(NominationError::Refused(format!(
            "the nomination of {} has already been decided",
            n.name
        )));
    }
    let done = if accept {
        let token = auth::random_token();
        let link = format!("{public_url}/reset-password?token={token}");
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
                    hash: &auth::token_hash(&token),
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
        let body = if created.is_some() {
            format!(
                "{} has been accepted as a candidate to be the exemplar of interoperability. Set a password for your account within {} days to report your economy's progress: {link}",
                n.name,
                crate::accounts::INVITATION_DAYS
            )
        } else {
            format!(
                "{} has been accepted as a candidate to be the exemplar of interoperability.",
                n.name
            )
        };
        db::insert_outbox(
            &mut tx,
            &n.lead_email,
            "Your nomination has been accepted",
            &body,
            Some(n.economy_id),
        )
        .await?;
        if created.is_some() {
            tracing::info!(to = n.lead_email, link, "outbox: nomination accepted");
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
