//! Completing a quarter together (`domain::teamwork`): a submitter assigns a quarter's themes
//! or single criteria to colleagues of the economy, each sees what is theirs on
//! `/my-economy`, and where the economy has more than one submitter its named lead signs the
//! drafts off ("I have checked these values") before they can be submitted. Every
//! assignment, change of lead and sign-off is written to the audit log.

use crate::audit::Entry as AuditEntry;
use crate::db::{self, Pool, QuarterRows};
use crate::domain::account::CurrentUser;
use crate::domain::framework::Framework;
use crate::domain::teamwork::view::{Signoff, SignoffLine, TeamworkView};
use crate::domain::teamwork::{self, assign_field, is_theme};
use crate::domain::{Quarter, Status};
use crate::error::Rejection;
use std::collections::{HashMap, HashSet};

/// Each draft of a quarter as it would be signed off: code to fingerprint.
pub fn draft_fingerprints(rows: &QuarterRows) -> HashMap<String, String> {
    rows.drafts
        .iter()
        .map(|(code, d)| {
            let e = rows.evidence.get(code);
            (
                code.clone(),
                teamwork::fingerprint(
                    &d.value,
                    d.reason.as_deref(),
                    e.and_then(|e| e.link.as_deref()),
                    e.and_then(|e| e.file_sha256.as_deref()),
                ),
            )
        })
        .collect()
}

/// The economy's lead, if named and still able to submit, and how many colleagues can.
pub async fn lead_and_count(
    conn: &mut sqlx::AnyConnection,
    economy_id: i64,
) -> sqlx::Result<(Option<db::Colleague>, Vec<db::Colleague>)> {
    let colleagues = db::active_submitters(conn, economy_id).await?;
    let lead = db::lead(conn, economy_id)
        .await?
        .filter(|l| colleagues.iter().any(|c| c.id == l.id));
    Ok((lead, colleagues))
}

/// Where the sign-off of `codes` (all drafts when empty) of a quarter stands, for `me`.
pub async fn signoff_line(
    conn: &mut sqlx::AnyConnection,
    economy_id: i64,
    q: Quarter,
    rows: &QuarterRows,
    codes: &[String],
    me: &str,
) -> sqlx::Result<SignoffLine> {
    let (lead, colleagues) = lead_and_count(conn, economy_id).await?;
    let last = db::signoff(conn, economy_id, &q.to_string()).await?;
    let you_are_lead = lead.as_ref().is_some_and(|l| l.email == me);
    let state = if !teamwork::signoff_needed(colleagues.len()) {
        Signoff::NotNeeded
    } else if let Some(lead) = lead {
        let drafts = draft_fingerprints(rows);
        let wanted: Vec<String> = if codes.is_empty() {
            let mut all: Vec<String> = drafts.keys().cloned().collect();
            all.sort();
            all
        } else {
            codes.to_vec()
        };
        let signed: HashMap<String, String> = last
            .as_ref()
            .and_then(|s| serde_json::from_str(&s.signed).ok())
            .unwrap_or_default();
        let unsigned = teamwork::unsigned(&wanted, &drafts, &signed);
        match (&last, unsigned.is_empty() && !wanted.is_empty()) {
            (Some(s), true) => Signoff::Signed {
                lead: lead.email,
                by: s.signed_by.clone(),
                at: s.signed_at.clone(),
            },
            _ => Signoff::Waiting {
                lead: lead.email,
                unsigned,
            },
        }
    } else {
        Signoff::NoLead
    };
    Ok(SignoffLine {
        state,
        you_are_lead,
        last: last.map(|s| (s.signed_by, s.signed_at)),
    })
}

/// Why `codes` of a quarter cannot be submitted yet for want of the lead's sign-off, if so.
pub async fn signoff_missing(
    conn: &mut sqlx::AnyConnection,
    economy_id: i64,
    q: Quarter,
    rows: &QuarterRows,
    codes: &[String],
) -> sqlx::Result<Option<String>> {
    let line = signoff_line(conn, economy_id, q, rows, codes, "").await?;
    Ok(match line.state {
        Signoff::NotNeeded | Signoff::Signed { .. } => None,
        Signoff::NoLead => Some(
            "your economy has more than one person who can submit, so a named lead signs each quarter off first. Name your lead on the team page".into(),
        ),
        Signoff::Waiting { lead, unsigned } => Some(match line.last {
            Some((_, at)) => format!(
                "{} saved since {lead} last signed this quarter off ({}): {lead} needs to check and sign off again",
                unsigned.join(", "),
                crate::domain::format::at_time(&at)
            ),
            None => format!(
                "{lead}, your economy's lead, has not signed these values off yet. Ask them to check the quarter and sign it off"
            ),
        }),
    })
}

/// The signed-in submitter's economy, for a command that only its submitters may do (`what`:
/// "name its lead").
pub async fn own_economy(
    pool: &Pool,
    user: &CurrentUser,
    what: &str,
) -> Result<(crate::domain::Slug, db::EconomyRow), Rejection> {
    let slug = user
        .economy
        .clone()
        .ok_or_else(|| Rejection::Refused(format!("only an economy's submitters {what}")))?;
    let economy = db::economy_by_slug(pool, &slug)
        .await?
        .ok_or_else(|| Rejection::Refused("the economy no longer exists".into()))?;
    Ok((slug, economy))
}

/// Names the economy's lead: one of its colleagues who can submit.
pub async fn name_lead(pool: &Pool, user: &CurrentUser, email: &str) -> Result<String, Rejection> {
    let (slug, economy) = own_economy(pool, user, "name its lead").await?;
    let mut tx = db::begin(pool).await?;
    let (before, colleagues) = lead_and_count(&mut tx, economy.id).await?;
    let email = email.trim().to_lowercase();
    let Some(chosen) = colleagues.iter().find(|c| c.email == email) else {
        tx.rollback().await?;
        return Err(Rejection::Invalid(vec![(
            "lead".into(),
            if email.is_empty() {
                "Select the colleague who signs each quarter off".into()
            } else {
                format!("{email} is not a colleague of your economy who can submit: select one from the list")
            },
        )]));
    };
    if before.as_ref().is_some_and(|b| b.id == chosen.id) {
        tx.rollback().await?;
        return Ok(format!("{email} is already your economy's lead."));
    }
    db::set_lead(&mut tx, economy.id, Some(chosen.id)).await?;
    let mut entry = AuditEntry::new(
        &user.email,
        "lead",
        format!("named {email} the lead who signs each quarter off"),
    )
    .economy(Some(&slug))
    .after(email.clone());
    if let Some(b) = &before {
        entry = entry.before(b.email.clone());
    }
    db::audit_append(&mut tx, &entry).await?;
    tx.commit().await?;
    Ok(format!(
        "{email} is now your economy's lead: they sign each quarter off before it is submitted."
    ))
}

/// The quarter's answered criteria: a draft, or a value the board has not returned.
fn answered(rows: &QuarterRows) -> HashSet<String> {
    rows.drafts
        .keys()
        .cloned()
        .chain(
            rows.values
                .iter()
                .filter(|(_, v)| v.status != Status::Rejected.as_str())
                .map(|(k, _)| k.clone()),
        )
        .collect()
}

/// A quarter's assignments, part to email.
pub async fn assigned(
    conn: &mut sqlx::AnyConnection,
    economy_id: i64,
    q: Quarter,
) -> sqlx::Result<HashMap<String, String>> {
    Ok(db::quarter_assignments(conn, economy_id, &q.to_string())
        .await?
        .into_iter()
        .map(|a| (a.part, a.email))
        .collect())
}

/// The teamwork of `slug`'s economy for a quarter, as `me` sees it.
pub async fn view(
    pool: &Pool,
    fw: &Framework,
    slug: &str,
    q: Quarter,
    me: &str,
) -> sqlx::Result<Option<TeamworkView>> {
    let Some(economy) = db::economy_by_slug(pool, slug).await? else {
        return Ok(None);
    };
    let mut conn = pool.acquire().await?;
    let rows = db::quarter_rows(&mut conn, economy.id, &q.to_string()).await?;
    let assigned = assigned(&mut conn, economy.id, q).await?;
    let (lead, colleagues) = lead_and_count(&mut conn, economy.id).await?;
    let answered = answered(&rows);
    let (themes, people) = teamwork::progress(fw, &answered, &assigned);
    let mut mine: Vec<(String, usize, usize, String)> = Vec::new();
    for t in &themes {
        if t.assigned.as_deref() == Some(me) {
            mine.push((
                t.name.clone(),
                t.answered,
                t.total,
                format!("/my-economy/periods/{q}#theme-{}", t.code),
            ));
        }
        for (code, title, email) in &t.criteria {
            if email == me && t.assigned.as_deref() != Some(me) {
                mine.push((
                    format!("{title} ({code})"),
                    usize::from(answered.contains(code)),
                    1,
                    format!("/my-economy/periods/{q}#q-{code}"),
                ));
            }
        }
    }
    let mut assigned: Vec<(String, String)> = assigned.into_iter().collect();
    assigned.sort();
    Ok(Some(TeamworkView {
        economy: economy.name,
        quarter: q,
        themes,
        people,
        colleagues: colleagues.into_iter().map(|c| c.email).collect(),
        lead: lead.map(|l| l.email),
        criteria: fw
            .themes
            .iter()
            .map(|t| {
                (
                    t.code.clone(),
                    fw.theme_criteria(&t.code)
                        .map(|c| (c.code.clone(), c.title.clone()))
                        .collect(),
                )
            })
            .collect(),
        assigned,
        mine,
    }))
}

/// Saves a quarter's assignments from the form: `assign-PART` is a colleague's email, or
/// empty for nobody. Only changes are stored and logged; every problem by its field.
pub async fn assign(
    pool: &Pool,
    user: &CurrentUser,
    fw: &Framework,
    q: Quarter,
    fields: &HashMap<String, String>,
) -> Result<String, Rejection> {
    let (slug, economy) = own_economy(pool, user, "assign its work").await?;
    let period = q.to_string();
    let mut tx = db::begin(pool).await?;
    db::lock_economy(&mut tx, economy.id).await?;
    let colleagues = db::active_submitters(&mut tx, economy.id).await?;
    let before = assigned(&mut tx, economy.id, q).await?;
    let parts: Vec<(String, String)> = fw
        .themes
        .iter()
        .map(|t| (t.code.clone(), t.name.clone()))
        .chain(fw.criteria.iter().map(|c| (c.code.clone(), c.code.clone())))
        .collect();
    let mut errors = Vec::new();
    let mut changes: Vec<(String, String, Option<i64>, Option<String>)> = Vec::new();
    for (part, words) in &parts {
        let Some(raw) = fields.get(&assign_field(part)) else {
            continue;
        };
        let email = raw.trim().to_lowercase();
        let chosen = if email.is_empty() {
            None
        } else {
            match colleagues.iter().find(|c| c.email == email) {
                Some(c) => Some(c),
                None => {
                    errors.push((
                        assign_field(part),
                        format!("{email} is not a colleague of your economy who can submit: select one from the list for {words}"),
                    ));
                    continue;
                }
            }
        };
        if before.get(part).map(String::as_str) != chosen.map(|c| c.email.as_str()) {
            changes.push((
                part.clone(),
                words.clone(),
                chosen.map(|c| c.id),
                chosen.map(|c| c.email.clone()),
            ));
        }
    }
    if !errors.is_empty() {
        tx.rollback().await?;
        return Err(Rejection::Invalid(errors));
    }
    if changes.is_empty() {
        tx.rollback().await?;
        return Ok(format!(
            "Nothing changed: {q}'s assignments are as they were."
        ));
    }
    for (part, _, user_id, _) in &changes {
        db::set_assignment(&mut tx, economy.id, &period, part, *user_id, &user.email).await?;
    }
    let words: Vec<String> = changes
        .iter()
        .map(|(part, words, _, email)| {
            let what = if is_theme(part) {
                words.clone()
            } else {
                part.clone()
            };
            format!("{what} to {}", email.as_deref().unwrap_or("nobody"))
        })
        .collect();
    db::audit_append(
        &mut tx,
        &AuditEntry::new(
            &user.email,
            "assignment",
            format!(
                "assigned {} of {q}",
                crate::domain::types::count(changes.len(), "part", "parts")
            ),
        )
        .economy(Some(&slug))
        .after(words.join("; ")),
    )
    .await?;
    tx.commit().await?;
    Ok(format!("Saved: {}.", words.join("; ")))
}
