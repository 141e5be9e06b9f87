//! The review queue: the values waiting for board staff, ordered by the quarter being
//! reported and then by impact; verifying and returning them (several at once), undoing a
//! review within a minute, and who each economy's values are assigned to. Rules from
//! `domain::assessment`, SQL from `db`.

use crate::audit::Entry as AuditEntry;
use crate::db::{self, Pool};
use crate::domain::account::CurrentUser;
use crate::domain::assessment::{by_impact, impact, parse_review_key};
use crate::domain::assessment::{review_applies, Review, ReviewRefusal};
use crate::domain::scoring::Entry;
use crate::domain::Quarter;
use crate::domain::Status;
use crate::error::Rejection;
use std::collections::HashMap;

pub use crate::domain::assessment::{QueueFilter, QueueItem};

/// The values waiting for review that match `filter`, in queue order.
pub async fn queue(pool: &Pool, filter: &QueueFilter) -> Result<Vec<QueueItem>, Rejection> {
    let fw = crate::service::active_framework(pool).await?.framework;
    let rows = db::queue_rows(pool).await?;
    let now = crate::clock::now();
    let rows: Vec<db::QueueRow> = rows
        .into_iter()
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
            })
        })
        .collect();
    if filter.sort == "oldest" {
        items.sort_by(|a, b| a.at.cmp(&b.at).then_with(|| a.key.cmp(&b.key)));
    } else {
        items.sort_by(|a, b| by_impact((&a.impact, &a.at, &a.key), (&b.impact, &b.at, &b.key)));
    }
    Ok(items)
}

/// What a review did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Reviewed {
    pub done: usize,
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
                if !verify {
                    let title = fw
                        .criterion(&code)
                        .map(|c| c.title.clone())
                        .or_else(|| fw.benefit(&code).map(|b| b.title.clone()))
                        .unwrap_or_else(|| code.clone());
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
