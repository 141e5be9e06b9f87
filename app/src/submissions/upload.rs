//! The CSV upload of an economy's own values, as drafts: a preview first, then the confirmed
//! file stored whole.

use super::*;
use crate::domain::Slug;

pub use crate::domain::submission::PreviewRow;

/// Checks an uploaded values file for `slug`'s economy: the file rules of scoring.md section
/// 6, every row for this economy, and the status column empty (only the board verifies).
pub async fn preview_upload(
    pool: &Pool,
    slug: &Slug,
    bytes: &[u8],
) -> Result<Vec<PreviewRow>, SubmitError> {
    let fw = crate::service::active_framework(pool)
        .await
        .map_err(|e| SubmitError::Refused(e.to_string()))?
        .framework;
    let economy = db::economy_by_slug(pool, slug)
        .await?
        .ok_or_else(|| SubmitError::Refused(format!("there is no economy {slug}")))?;
    let mut problems: Vec<Problem> = Vec::new();
    // This economy's rows only, and no status: checked on the raw cells, line by line.
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(bytes);
    for (i, record) in reader.records().enumerate() {
        let line = i as u64 + 2;
        let Ok(record) = record else { continue };
        let economy_cell = record.get(0).unwrap_or("").trim();
        if !economy_cell.is_empty() && economy_cell != slug.as_str() {
            problems.push(Problem::at_line(
                line,
                "economy",
                format!("economy \"{economy_cell}\" is not yours: upload only {slug}'s values"),
            ));
        }
        let status = record.get(4).unwrap_or("").trim();
        if !status.is_empty() {
            problems.push(Problem::at_line(
                line,
                "status",
                format!("the status must be empty (it is \"{status}\"): only the board verifies or rejects values"),
            ));
        }
    }
    let known: HashSet<String> = [slug.to_string()].into_iter().collect();
    let rows = match crate::domain::files::parse_values(bytes, &fw, &known) {
        Ok(rows) => rows,
        Err(more) => {
            for p in more {
                // Another economy's slug is reported above, in words for this page.
                let said = problems
                    .iter()
                    .any(|q| q.line == p.line && q.field == p.field);
                if !said {
                    problems.push(p);
                }
            }
            Vec::new()
        }
    };
    if !problems.is_empty() {
        problems.sort_by_key(|p| p.line.unwrap_or(0));
        problems.dedup();
        return Err(SubmitError::Invalid {
            errors: problems
                .into_iter()
                .map(|p| ("file".to_string(), p.to_string()))
                .collect(),
            kept: Vec::new(),
        });
    }
    let stored = db::economy_values(pool, economy.id).await?;
    let stored: HashMap<(String, String), String> = stored
        .into_iter()
        .map(|(p, c, v)| ((p, c), v.value))
        .collect();
    let drafts: HashMap<(String, String), String> = db::economy_drafts(pool, economy.id)
        .await?
        .into_iter()
        .map(|(p, c, d)| ((p, c), d.value))
        .collect();
    Ok(rows
        .into_iter()
        .map(|r| {
            let key = (r.period.to_string(), r.code.clone());
            let current = drafts.get(&key).or_else(|| stored.get(&key)).cloned();
            let change = match &current {
                None => "new",
                Some(c) if c == &r.value => "unchanged",
                Some(_) => "replaced",
            };
            PreviewRow {
                line: r.line,
                period: key.0,
                code: r.code,
                value: r.value,
                change: change.into(),
                current,
            }
        })
        .collect())
}

/// Stores an upload's rows as drafts (unchanged ones are left alone). The submitter then
/// attaches evidence and submits each quarter as usual.
pub async fn confirm_upload(
    pool: &Pool,
    slug: &Slug,
    by: &str,
    sha256: &str,
) -> Result<(usize, Vec<String>), SubmitError> {
    let Some((_, bytes)) = db::get_file(pool, sha256).await? else {
        return Err(SubmitError::Refused(
            "That upload is no longer here: choose the file again".into(),
        ));
    };
    let rows = preview_upload(pool, slug, &bytes).await?;
    let economy = db::economy_by_slug(pool, slug)
        .await?
        .ok_or_else(|| SubmitError::Refused(format!("there is no economy {slug}")))?;
    let mut tx = db::begin(pool).await?;
    let mut n = 0;
    let mut quarters: Vec<String> = Vec::new();
    for r in rows.iter().filter(|r| r.change != "unchanged") {
        db::upsert_draft(&mut tx, economy.id, &r.period, &r.code, &r.value, None, by).await?;
        n += 1;
        if !quarters.contains(&r.period) {
            quarters.push(r.period.clone());
        }
    }
    quarters.sort();
    db::audit_append(
        &mut tx,
        &AuditEntry::new(
            by,
            "submission",
            format!(
                "uploaded a values file (SHA-256 {sha256}) as {} for {}",
                crate::domain::types::count(n, "draft", "drafts"),
                if quarters.is_empty() {
                    "no quarter".to_string()
                } else {
                    quarters.join(", ")
                }
            ),
        )
        .economy(Some(slug)),
    )
    .await?;
    tx.commit().await?;
    Ok((n, quarters))
}

/// Stores an uploaded values file for its preview; returns its SHA-256.
pub async fn hold_upload(pool: &Pool, bytes: &[u8]) -> sqlx::Result<String> {
    let mut tx = db::begin(pool).await?;
    let sha = db::put_file(&mut tx, bytes, "text/csv").await?;
    tx.commit().await?;
    Ok(sha)
}
