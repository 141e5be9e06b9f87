//! The review queue: the values waiting for board staff, ordered by the quarter being
//! reported and then by impact; verifying and returning them (several at once), undoing a
//! review within a minute, and who each economy's values are assigned to. Rules from
//! `domain::assessment`, SQL from `db`.

use crate::audit::Entry as AuditEntry;
use crate::db::{self, Pool};
use crate::domain::account::CurrentUser;
use crate::domain::assessment::{by_impact, impact, parse_review_key};
use crate::domain::assessment::{review_applies, Review, ReviewRefusal};
use crate::domain::review::{undo_applies, UNDO_SECONDS};
use crate::domain::scoring::Entry;
use crate::domain::Quarter;
use crate::domain::Status;
use crate::error::Rejection;
use std::collections::HashMap;

pub use crate::domain::assessment::{QueueFilter, QueueItem};

/// The values waiting for review that match `filter`, in queue order: the quarter being
/// reported on `today` first, then by impact (or oldest first). `me` is who asks, for
/// "assigned to me".
pub async fn queue(
    pool: &Pool,
    filter: &QueueFilter,
    me: &str,
    today: chrono::NaiveDate,
) -> Result<Vec<QueueItem>, Rejection> {
    let fw = crate::service::active_framework(pool).await?.framework;
    let rows = db::queue_rows(pool).await?;
    let assigned = db::assignments(pool).await?;
    let now = crate::clock::now();
    let reporting = Quarter::containing(today).prev().to_string();
    let rows: Vec<db::QueueRow> = rows
        .into_iter()
        .filter(|r| !filter.mine || assigned.get(&r.economy_id).is_some_and(|a| a == me))
        .filter(|r| filter.economy.is_empty() || r.slug == filter.economy)
        .filter(|r| filter.criterion.is_empty() || r.code == filter.criterion)
        .filter(|r| filter.quarter.is_empty() || r.period == filter.quarter)
        .filter(|r| {
            filter.theme.is_empty()
                || fw
                    .criterion(&r.code)
                    .is_some_and(|c| c.theme == filter.theme)
        })
        .filter(|r| {
            filter.older_than_days.is_none_or(|days| {
                chrono::DateTime::parse_from_rfc3339(&r.at)
                    .map(|at| (now - at.with_timezone(&chrono::Utc)).num_days() >= days)
                    .unwrap_or(true)
            })
        })
        .collect();
    // Each economy's values, once, for the impacts.
    let mut entries: HashMap<i64, Vec<Entry>> = HashMap::new();
    for r in &rows {
        if let std::collections::hash_map::Entry::Vacant(slot) = entries.entry(r.economy_id) {
            slot.insert(db::economy_entries(pool, r.economy_id).await?);
        }
    }
    // The acute-EPR criterion's values are checked against the trust register.
    let acute_code = crate::domain::trusts::acute_epr_criterion(&fw).map(|c| c.code.clone());
    let acute = if acute_code.is_some() {
        let (register, _) =
            crate::trusts::register(pool, &fw, crate::clock::now().date_naive()).await?;
        crate::trusts::acute_by_economy(&register)
    } else {
        HashMap::new()
    };
    let mut items: Vec<QueueItem> = rows
        .into_iter()
        .filter_map(|r| {
            let period: Quarter = r.period.parse().ok()?;
            let (title, theme) = match (fw.criterion(&r.code), fw.benefit(&r.code)) {
                (Some(c), _) => (
                    c.title.clone(),
                    fw.themes
                        .iter()
                        .find(|t| t.code == c.theme)
                        .map(|t| t.name.clone())
                        .unwrap_or_default(),
                ),
                (None, Some(b)) => (b.title.clone(), "Benefits".to_string()),
                // A code the active framework no longer has: nothing to review against.
                (None, None) => return None,
            };
            let impact = impact(&fw, &entries[&r.economy_id], period, &r.code);
            let before = period.prev();
            let warnings = fw
                .criterion(&r.code)
                .map(|c| {
                    let previous = entries[&r.economy_id]
                        .iter()
                        .find(|e| e.period == before && e.code == r.code)
                        .map(|e| e.value.as_str());
                    crate::domain::checks::warnings(c, period, &r.value, previous)
                })
                .unwrap_or_default();
            let register = (acute_code.as_deref() == Some(r.code.as_str()))
                .then(|| {
                    crate::domain::trusts::register_check(
                        &r.value,
                        period.end_date(),
                        acute.get(&r.slug).map(Vec::as_slice).unwrap_or(&[]),
                    )
                })
                .flatten();
            Some(QueueItem {
                current: r.period == reporting,
                key: crate::domain::assessment::review_key(&r.slug, &r.period, &r.code, &r.value),
                slug: r.slug,
                name: r.name,
                period: r.period,
                code: r.code,
                title,
                theme,
                value: r.value,
                at: r.at,
                by: r.by,
                link: r.link,
                document: r.file_name,
                late: r.late,
                impact,
                register,
                assigned: assigned.get(&r.economy_id).cloned(),
                warnings,
                reason: r.reason,
            })
        })
        .collect();
    if filter.sort == "oldest" {
        items.sort_by(|a, b| {
            b.current
                .cmp(&a.current)
                .then_with(|| a.at.cmp(&b.at))
                .then_with(|| a.key.cmp(&b.key))
        });
    } else {
        items.sort_by(|a, b| {
            b.current
                .cmp(&a.current)
                .then_with(|| by_impact((&a.impact, &a.at, &a.key), (&b.impact, &b.at, &b.key)))
        });
    }
    Ok(items)
}

/// What a review did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reviewed {
    pub done: usize,
    /// What was reviewed, in words ("Leeds health and care economy, 2014-Q2: NHS number").
    pub named: Vec<String>,
    /// Resubmitted since the page was loaded, so left for another look.
    pub changed: usize,
    pub already: usize,
}

/// Verifies the values of `keys`, or returns them with `reason` (required). One transaction,
/// one audit entry; a return is sent to the economy's submitters.
pub async fn review(
    pool: &Pool,
    by: &CurrentUser,
    keys: &[String],
    review: Review,
    reason: &str,
) -> Result<Reviewed, Rejection> {
    let verify = review == Review::Verify;
    let reason = reason.trim();
    let mut errors = Vec::new();
    if keys.is_empty() {
        errors.push((
            "keys".to_string(),
            "Select at least one value to verify".to_string(),
        ));
    }
    if !verify && reason.is_empty() {
        errors.push((
            "reason".to_string(),
            "Give the reason the value is returned: the economy sees it".to_string(),
        ));
    }
    if reason.chars().count() > 2000 {
        errors.push((
            "reason".to_string(),
            "The reason must be 2,000 characters or fewer".to_string(),
        ));
    }
    if !errors.is_empty() {
        return Err(Rejection::Invalid(errors));
    }
    let fw = crate::service::active_framework(pool).await?.framework;
    let ids = db::economy_ids(pool).await?;
    let names: HashMap<String, String> = db::candidates(pool)
        .await?
        .into_iter()
        .map(|e| (e.slug.to_string(), e.name))
        .collect();
    let users = db::list_users(pool).await?;
    let mut tx = db::begin(pool).await?;
    let mut done = Reviewed::default();
    let mut lines = Vec::new();
    for key in keys {
        let Some((slug, period, code, value)) = parse_review_key(key) else {
            return Err(Rejection::Refused(format!("{key} is not a value's key")));
        };
        let Some(&id) = ids.get(&slug) else {
            return Err(Rejection::Refused(format!("there is no economy {slug}")));
        };
        let period = period.to_string();
        let reason = (!verify).then_some(reason);
        let stored = db::stored_value(&mut tx, id, &period, &code).await?;
        let now = stored
            .as_ref()
            .map(|(v, s)| (v.as_str(), s.parse::<Status>().unwrap_or_default()));
        match review_applies(now, &value, review) {
            Ok(()) => {
                let old_status = stored.as_ref().map(|(_, s)| s.as_str()).unwrap_or_default();
                db::record_review(
                    &mut tx,
                    db::NewReview {
                        economy_id: id,
                        period: &period,
                        code: &code,
                        value: &value,
                        old_status,
                        review,
                        reason,
                        by: &by.email,
                    },
                )
                .await?;
                done.done += 1;
                lines.push(format!("{slug} {period} {code}={value}"));
                let title = title_of(&fw, &code);
                done.named.push(format!(
                    "{}, {period}: {title}",
                    names.get(&slug).cloned().unwrap_or_else(|| slug.clone())
                ));
                if !verify {
                    let subject = format!("A value for {period} was returned: {title}");
                    let body = format!(
                        "The board returned your value \u{201c}{value}\u{201d} of {title} ({code}) for {period}: {}. Correct it or add evidence, and submit it again at /my-economy/periods/{period}.",
                        reason.unwrap_or_default()
                    );
                    for u in users
                        .iter()
                        .filter(|u| !u.disabled && u.economy.as_deref() == Some(slug.as_str()))
                    {
                        db::insert_outbox(&mut tx, &u.email, &subject, &body, Some(id)).await?;
                    }
                }
            }
            Err(ReviewRefusal::Changed) => done.changed += 1,
            Err(ReviewRefusal::AlreadyDone) => done.already += 1,
        }
    }
    if done.done > 0 {
        let summary = if verify {
            format!(
                "verified {}",
                crate::domain::types::count(done.done, "value", "values")
            )
        } else {
            format!(
                "returned {}: {reason}",
                crate::domain::types::count(done.done, "value", "values")
            )
        };
        let economy = if lines
            .iter()
            .all(|l| l.split(' ').next() == lines[0].split(' ').next())
        {
            lines[0].split(' ').next().map(str::to_string)
        } else {
            None
        };
        db::audit_append(
            &mut tx,
            &AuditEntry::new(&by.email, "review", summary)
                .economy(economy.as_deref())
                .after(lines.join("; ")),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(done)
}

/// What the review queue can be filtered by: the candidates (slug, name) and the quarters
/// with values waiting, newest first.
pub async fn queue_choices(pool: &Pool) -> sqlx::Result<(Vec<(String, String)>, Vec<String>)> {
    let economies = db::candidates(pool)
        .await?
        .into_iter()
        .map(|e| (e.slug, e.name))
        .collect();
    let mut quarters: Vec<String> = db::queue_rows(pool)
        .await?
        .into_iter()
        .map(|r| r.period)
        .collect();
    quarters.sort();
    quarters.dedup();
    quarters.reverse();
    Ok((economies, quarters))
}

/// A criterion's or benefit's title, or its code when the framework no longer has it.
fn title_of(fw: &crate::domain::Framework, code: &str) -> String {
    fw.criterion(code)
        .map(|c| c.title.clone())
        .or_else(|| fw.benefit(code).map(|b| b.title.clone()))
        .unwrap_or_else(|| code.to_string())
}

/// `by`'s reviews that can still be undone, in words, oldest first.
pub async fn undoable(pool: &Pool, by: &CurrentUser) -> sqlx::Result<Vec<String>> {
    let since = crate::clock::now() - chrono::Duration::seconds(UNDO_SECONDS);
    let since = since.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let fw = match crate::service::active_framework(pool).await {
        Ok(a) => a.framework,
        Err(crate::service::ServiceError::Db(e)) => return Err(e),
        Err(_) => return Ok(Vec::new()),
    };
    Ok(db::recent_reviews(pool, &by.email, &since)
        .await?
        .into_iter()
        .map(|r| {
            let done = if r.outcome == Review::Verify.outcome() {
                "verified"
            } else {
                "returned"
            };
            format!(
                "{}, {}: {} ({done})",
                r.name,
                r.period,
                title_of(&fw, &r.code)
            )
        })
        .collect())
}

/// What an undo did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Undone {
    /// The values waiting for review again, in words.
    pub named: Vec<String>,
    /// Reviews too old, or whose value changed since, left as they are.
    pub left: usize,
}

/// Undoes `by`'s reviews of the last minute whose values have not changed since: each value
/// waits for review again (its status before the review), and the undo is kept in its
/// history, in `reviews` and in the audit log. An economy whose value was returned is told
/// the return is withdrawn.
pub async fn undo(pool: &Pool, by: &CurrentUser) -> Result<Undone, Rejection> {
    let now = crate::clock::now();
    let since = (now - chrono::Duration::seconds(UNDO_SECONDS))
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let recent = db::recent_reviews(pool, &by.email, &since).await?;
    if recent.is_empty() {
        return Err(Rejection::Refused(
            "there is nothing of yours to undo: a review can be undone for a minute".into(),
        ));
    }
    let fw = crate::service::active_framework(pool).await?.framework;
    let users = db::list_users(pool).await?;
    let mut tx = db::begin(pool).await?;
    let mut done = Undone::default();
    let mut lines = Vec::new();
    for r in &recent {
        let gave = if r.outcome == Review::Verify.outcome() {
            Status::Verified
        } else {
            Status::Rejected
        };
        let at = chrono::DateTime::parse_from_rfc3339(&r.reviewed_at)
            .map(|t| t.with_timezone(&chrono::Utc))
            .unwrap_or(chrono::DateTime::<chrono::Utc>::MIN_UTC);
        let stored = db::stored_value(&mut tx, r.economy_id, &r.period, &r.code).await?;
        let now_stored = stored
            .as_ref()
            .map(|(v, s)| (v.as_str(), s.parse::<Status>().unwrap_or_default()));
        if undo_applies(at, now, &r.value, gave, now_stored).is_err() {
            done.left += 1;
            continue;
        }
        let before = db::status_before_last_change(&mut tx, r.economy_id, &r.period, &r.code)
            .await?
            .unwrap_or_else(|| Status::Submitted.as_str().to_string());
        db::record_undo(
            &mut tx,
            db::Undo {
                economy_id: r.economy_id,
                period: &r.period,
                code: &r.code,
                value: &r.value,
                from: gave.as_str(),
                to: &before,
                by: &by.email,
            },
        )
        .await?;
        let title = title_of(&fw, &r.code);
        done.named
            .push(format!("{}, {}: {title}", r.name, r.period));
        lines.push(format!("{} {} {}={}", r.slug, r.period, r.code, r.value));
        if gave == Status::Rejected {
            let subject = format!("A value for {} is no longer returned: {title}", r.period);
            let body = format!(
                "The board has withdrawn its return of your value \u{201c}{}\u{201d} of {title} ({}) for {}: ignore the earlier message. The value waits for review again; you need do nothing.",
                r.value, r.code, r.period
            );
            for u in users
                .iter()
                .filter(|u| !u.disabled && u.economy.as_deref() == Some(r.slug.as_str()))
            {
                db::insert_outbox(&mut tx, &u.email, &subject, &body, Some(r.economy_id)).await?;
            }
        }
    }
    if !lines.is_empty() {
        db::audit_append(
            &mut tx,
            &AuditEntry::new(
                &by.email,
                "review",
                format!(
                    "undid the review of {}",
                    crate::domain::types::count(lines.len(), "value", "values")
                ),
            )
            .after(lines.join("; ")),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(done)
}

/// Assigns an economy's values in the queue to `assignee` (board staff), or to nobody.
pub async fn assign(
    pool: &Pool,
    by: &CurrentUser,
    slug: &crate::domain::Slug,
    assignee: Option<&str>,
) -> Result<String, Rejection> {
    use crate::domain::account::Role;
    let economy = db::economy_by_slug(pool, slug)
        .await?
        .ok_or_else(|| Rejection::Refused(format!("there is no economy {slug}")))?;
    if let Some(a) = assignee {
        let staff = db::list_users(pool).await?.into_iter().any(|u| {
            u.email == a
                && !u.disabled
                && (u.role == Role::Assessor.as_str() || u.role == Role::Admin.as_str())
        });
        if !staff {
            return Err(Rejection::Refused(format!(
                "{a} is not a member of board staff"
            )));
        }
        if a != by.email && by.role != Role::Admin {
            return Err(Rejection::Refused(
                "only an admin assigns an economy to someone else".into(),
            ));
        }
    }
    let mut tx = db::begin(pool).await?;
    db::assign(&mut tx, economy.id, assignee, &by.email).await?;
    let summary = match assignee {
        Some(a) => format!("assigned the review of {} to {a}", economy.name),
        None => format!("left the review of {} unassigned", economy.name),
    };
    db::audit_append(
        &mut tx,
        &AuditEntry::new(&by.email, "review", summary).economy(Some(slug)),
    )
    .await?;
    tx.commit().await?;
    Ok(match assignee {
        Some(a) if a == by.email => format!("{} is assigned to you.", economy.name),
        Some(a) => format!("{} is assigned to {a}.", economy.name),
        None => format!("{} is assigned to nobody.", economy.name),
    })
}
