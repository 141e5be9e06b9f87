//! Check your answers, then submit: the quarter form saves drafts; the check page shows every
//! draft as it would be submitted (the value now, the value after, its evidence); only the
//! values the submitter ticks there are submitted, all or nothing, and the submission is kept
//! as a receipt with a reference the economy can keep.

use super::*;
use crate::domain::account::CurrentUser;
use crate::domain::format::at_time;
use crate::domain::submission::view::{CheckLine, CheckView, ReceiptLine, ReceiptView};
use crate::domain::types::long_date;
use crate::domain::Slug;
use crate::error::Rejection;
use serde::{Deserialize, Serialize};

/// A value as people read it: a percentage with its sign, a date as a GOV.UK date, a
/// benefit with its unit.
fn as_read(fw: &Framework, code: &str, value: &str) -> String {
    match fw.criterion(code).map(|c| &c.kind) {
        Some(Kind::Date(_)) if value.is_empty() => "Not yet achieved".into(),
        Some(Kind::Date(_)) => NaiveDate::parse_from_str(value, "%Y-%m-%d")
            .map(long_date)
            .unwrap_or_else(|_| value.to_string()),
        Some(Kind::Percentage(_)) => format!("{value}%"),
        Some(Kind::Boolean) => match value {
            "1" | "yes" | "true" => "Yes".into(),
            "0" | "no" | "false" => "No".into(),
            other => other.to_string(),
        },
        Some(Kind::Level(_)) => format!("Level {value}"),
        None => match fw.benefit(code).map(|b| b.unit.as_str()) {
            Some(unit) if !unit.is_empty() => format!("{value} {unit}"),
            _ => value.to_string(),
        },
    }
}

/// The evidence of a value in words, if it has any.
fn evidence_words(e: Option<&db::EvidenceRow>) -> Option<String> {
    let e = e?;
    match (&e.file_name, &e.link) {
        (Some(name), Some(link)) => Some(format!("Document: {name}. Link: {link}")),
        (Some(name), None) => Some(format!("Document: {name}")),
        (None, Some(link)) => Some(format!("Link: {link}")),
        (None, None) => None,
    }
}

/// What the evidence rules say of a draft, as it stands: why it cannot go yet, if so.
fn evidence_problem(fw: &Framework, code: &str, rows: &QuarterRows) -> Option<String> {
    let c = fw.criterion(code)?;
    submission::evidence_missing(c.evidence, have(rows.evidence.get(code)), &c.title)
}

/// "Check your answers" for `slug`'s economy and a quarter: `None` when the economy does not
/// exist. `changed` are the codes saved in the change just made (ticked to submit).
pub async fn check_view(
    pool: &Pool,
    slug: &Slug,
    q: Quarter,
    changed: &[String],
    today: NaiveDate,
    me: &str,
) -> crate::service::Result<Option<CheckView>> {
    let fw = crate::service::active_framework(pool).await?.framework;
    let Some(economy) = db::economy_by_slug(pool, slug).await? else {
        return Ok(None);
    };
    let mut tx = db::begin(pool).await?;
    let rows = db::quarter_rows(&mut tx, economy.id, &q.to_string()).await?;
    let before = db::quarter_rows(&mut tx, economy.id, &q.prev().to_string()).await?;
    let signoff = crate::teamwork::signoff_line(&mut tx, economy.id, q, &rows, &[], me).await?;
    tx.rollback().await?;
    let deadline = deadline_for(pool, &fw, q).await?;
    // In the order of the form: criteria by theme, then benefits.
    let order: Vec<&str> = fw
        .criteria
        .iter()
        .map(|c| c.code.as_str())
        .chain(fw.benefits.iter().map(|b| b.code.as_str()))
        .collect();
    let mut lines: Vec<CheckLine> = rows
        .drafts
        .iter()
        .map(|(code, d)| CheckLine {
            code: code.clone(),
            title: title_of(&fw, code).to_string(),
            before: rows.values.get(code).map(|v| as_read(&fw, code, &v.value)),
            after: as_read(&fw, code, &d.value),
            evidence: evidence_words(rows.evidence.get(code)),
            problem: evidence_problem(&fw, code, &rows),
            saved: format!("Saved by {} on {}", d.by, at_time(&d.at)),
            just_changed: changed.contains(code),
            warnings: warnings_of(&fw, q, code, &d.value, &before),
            reason: d.reason.clone(),
        })
        .collect();
    lines.sort_by_key(|l| {
        order
            .iter()
            .position(|c| *c == l.code)
            .unwrap_or(usize::MAX)
    });
    Ok(Some(CheckView {
        economy: economy.name,
        quarter: q,
        deadline,
        late: today > deadline,
        version: version(&rows),
        lines,
        signoff,
    }))
}

/// A receipt's line as stored (JSON in `submission_receipts.lines`).
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Line {
    code: String,
    title: String,
    before: Option<String>,
    after: String,
    evidence: Option<String>,
}

/// Submits the drafts `codes` of `slug`'s economy for a quarter, as checked on a page that
/// showed the quarter at `version`: all or nothing, with a receipt. Returns its reference.
pub async fn submit_checked(
    pool: &Pool,
    slug: &Slug,
    by: &str,
    q: Quarter,
    codes: &[String],
    seen_version: &str,
    today: NaiveDate,
) -> Result<String, SubmitError> {
    if !reportable(q, today) {
        return Err(SubmitError::Refused(format!(
            "{q} cannot be reported yet: a quarter is reported after it ends"
        )));
    }
    if codes.is_empty() {
        return Err(SubmitError::Invalid {
            errors: vec![(
                "codes".into(),
                "Select the values to submit, or go back to the form".into(),
            )],
            kept: Vec::new(),
        });
    }
    let (fw, economy) = super::framework_and_economy(pool, slug).await?;
    let period = q.to_string();
    let late = today > deadline_for(pool, &fw, q).await?;
    let mut tx = db::begin(pool).await?;
    db::lock_economy(&mut tx, economy.id).await?;
    let rows = db::quarter_rows(&mut tx, economy.id, &period).await?;
    let changed_since = || {
        SubmitError::Conflict {
        errors: vec![(
            "codes".into(),
            "Someone changed this quarter since this page was opened. Check the values below again, then submit".into(),
        )],
        kept: Vec::new(),
        version: version(&rows),
    }
    };
    if version(&rows) != seen_version {
        tx.rollback().await?;
        return Err(changed_since());
    }
    if let Some(why) =
        crate::teamwork::signoff_missing(&mut tx, economy.id, q, &rows, codes).await?
    {
        tx.rollback().await?;
        return Err(SubmitError::Invalid {
            errors: vec![("codes".into(), crate::domain::format::sentence(&why))],
            kept: Vec::new(),
        });
    }
    let mut problems = Vec::new();
    let mut lines = Vec::new();
    for code in codes {
        let Some(draft) = rows.drafts.get(code) else {
            tx.rollback().await?;
            return Err(changed_since());
        };
        if let Some(m) = evidence_problem(&fw, code, &rows) {
            problems.push((format!("code-{code}"), m));
            continue;
        }
        let stored = rows.values.get(code);
        db::submit_value(
            &mut tx,
            economy.id,
            &period,
            code,
            &draft.value,
            draft.reason.as_deref(),
            stored.map(|s| (s.value.as_str(), s.status.as_str())),
            by,
            late,
        )
        .await?;
        db::delete_draft(&mut tx, economy.id, &period, code).await?;
        lines.push(Line {
            code: code.clone(),
            title: title_of(&fw, code).to_string(),
            before: stored.map(|s| as_read(&fw, code, &s.value)),
            after: as_read(&fw, code, &draft.value),
            evidence: evidence_words(rows.evidence.get(code)),
        });
    }
    if !problems.is_empty() {
        tx.rollback().await?;
        return Err(SubmitError::Invalid {
            errors: problems,
            kept: Vec::new(),
        });
    }
    let number = db::receipts_of(&mut tx, economy.id, &period).await? + 1;
    let reference = format!(
        "EX-{}Q{}-{:04}-{number:03}",
        q.year(),
        q.number(),
        economy.id
    );
    db::insert_receipt(
        &mut tx,
        &db::ReceiptRow {
            reference: reference.clone(),
            economy_id: economy.id,
            period: period.clone(),
            submitted_at: db::now(),
            submitted_by: by.to_string(),
            late: i64::from(late),
            lines: serde_json::to_string(&lines).expect("receipt lines serialise"),
        },
    )
    .await?;
    let changes: Vec<String> = lines
        .iter()
        .map(|l| {
            let value = rows.drafts.get(&l.code).map(|d| d.value.as_str());
            format!(
                "{}={}",
                l.code,
                shown(&fw, &l.code, value.unwrap_or_default())
            )
        })
        .collect();
    let summary = format!(
        "submitted {} for {q}{} (receipt {reference})",
        crate::domain::types::count(lines.len(), "value", "values"),
        if late { ", late" } else { "" },
    );
    db::audit_append(
        &mut tx,
        &AuditEntry::new(by, "submission", summary)
            .economy(Some(slug))
            .after(changes.join("; ")),
    )
    .await?;
    tx.commit().await?;
    Ok(reference)
}

/// The lead signs a quarter's drafts off. `confirmed`: they ticked "I have checked these
/// values".
pub async fn sign_off(
    pool: &Pool,
    user: &CurrentUser,
    q: Quarter,
    confirmed: bool,
    seen_version: &str,
) -> Result<String, Rejection> {
    let (slug, economy) = crate::teamwork::own_economy(pool, user, "sign off").await?;
    let period = q.to_string();
    let mut tx = db::begin(pool).await?;
    db::lock_economy(&mut tx, economy.id).await?;
    let (lead, _) = crate::teamwork::lead_and_count(&mut tx, economy.id).await?;
    if lead.as_ref().is_none_or(|l| l.email != user.email) {
        tx.rollback().await?;
        return Err(Rejection::Refused(match lead {
            Some(l) => format!(
                "only your economy's lead, {}, can sign a quarter off",
                l.email
            ),
            None => {
                "your economy has not named a lead to sign quarters off. Name one on the team page"
                    .into()
            }
        }));
    }
    let rows = db::quarter_rows(&mut tx, economy.id, &period).await?;
    if version(&rows) != seen_version {
        tx.rollback().await?;
        return Err(Rejection::Invalid(vec![(
            "signoff".into(),
            "Someone changed this quarter since this page was opened. Check the values below again, then sign them off".into(),
        )]));
    }
    if rows.drafts.is_empty() {
        tx.rollback().await?;
        return Err(Rejection::Refused(format!("{q} has no drafts to sign off")));
    }
    if !confirmed {
        tx.rollback().await?;
        return Err(Rejection::Invalid(vec![(
            "signoff".into(),
            "Tick the box to confirm you have checked these values".into(),
        )]));
    }
    let drafts = crate::teamwork::draft_fingerprints(&rows);
    let signed = serde_json::to_string(&drafts).expect("fingerprints serialise");
    db::put_signoff(&mut tx, economy.id, &period, &signed, &user.email).await?;
    let mut codes: Vec<&String> = drafts.keys().collect();
    codes.sort();
    db::audit_append(
        &mut tx,
        &AuditEntry::new(
            &user.email,
            "sign-off",
            format!(
                "signed off {} of {q} as checked",
                crate::domain::types::count(codes.len(), "draft", "drafts")
            ),
        )
        .economy(Some(&slug))
        .after(
            codes
                .iter()
                .map(|c| c.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(format!(
        "You signed off {} of {q}. Any colleague of your economy can now submit them.",
        crate::domain::types::count(codes.len(), "value", "values")
    ))
}

/// `slug`'s economy's receipt with `reference`; `None` for a reference it does not have.
pub async fn receipt_view(
    pool: &Pool,
    slug: &Slug,
    reference: &str,
) -> crate::service::Result<Option<ReceiptView>> {
    let Some(economy) = db::economy_by_slug(pool, slug).await? else {
        return Ok(None);
    };
    let Some(r) = db::receipt(pool, economy.id, reference).await? else {
        return Ok(None);
    };
    let Ok(quarter) = r.period.parse::<Quarter>() else {
        return Ok(None);
    };
    let fw = crate::service::active_framework(pool).await?.framework;
    let plans = db::publication_plans(pool).await?;
    let lines: Vec<Line> = serde_json::from_str(&r.lines).unwrap_or_default();
    Ok(Some(ReceiptView {
        reference: r.reference,
        economy: economy.name,
        quarter,
        submitted: at_time(&r.submitted_at),
        by: r.submitted_by,
        late: r.late != 0,
        publication: crate::service::planned_publication(&fw, &plans, quarter),
        lines: lines
            .into_iter()
            .map(|l| ReceiptLine {
                code: l.code,
                title: l.title,
                before: l.before,
                after: l.after,
                evidence: l.evidence,
            })
            .collect(),
    }))
}

/// A receipt as CSV, one value a row, cells safe for spreadsheets.
pub fn receipt_csv(r: &ReceiptView) -> String {
    let mut out = String::from(
        "reference,economy,quarter,submitted,submitted_by,late,code,title,before,after,evidence\n",
    );
    let quarter = r.quarter.to_string();
    let late = if r.late { "yes" } else { "no" };
    for l in &r.lines {
        let cells = [
            r.reference.as_str(),
            &r.economy,
            &quarter,
            &r.submitted,
            &r.by,
            late,
            &l.code,
            &l.title,
            l.before.as_deref().unwrap_or(""),
            &l.after,
            l.evidence.as_deref().unwrap_or(""),
        ];
        crate::domain::scoring::push_safe_csv_line(&mut out, &cells);
    }
    out
}
