//! What the command line, the API and the pages do with the database: load frameworks,
//! import files, compute live scores, publish and revise. Rules come from `domain`, SQL from
//! `db`; this module only puts them together.

use crate::audit::Entry;
use crate::db::{self, Pool};
use crate::domain::files::{parse_economies, parse_values_in_chunks, ValueRow};
use crate::domain::scoring::{score_all, EconomyInput, Scores};
use crate::domain::{Framework, Problem, Quarter};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// The default framework, shipped with the project.
pub const DEFAULT_FRAMEWORK: &str = include_str!("../../frameworks/exemplar-2015.toml");

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// A file was refused; every problem is listed.
    #[error("refused")]
    Refused(Vec<Problem>),
    /// A request that cannot be carried out, with the reason in words.
    #[error("{0}")]
    Refusal(String),
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
}

pub type Result<T> = std::result::Result<T, ServiceError>;

/// The active framework, loading the default one into an empty database first.
pub async fn active_framework(pool: &Pool) -> Result<db::StoredFramework> {
    if let Some(fw) = db::active_framework(pool).await? {
        return Ok(fw);
    }
    let fw = Framework::from_toml(DEFAULT_FRAMEWORK).expect("the default framework is valid");
    db::insert_framework(pool, &fw, DEFAULT_FRAMEWORK, "system", |v| {
        Entry::new(
            "system",
            "framework",
            format!("loaded the default framework {} version {v}", fw.code),
        )
    })
    .await?;
    Ok(db::active_framework(pool).await?.expect("just stored"))
}

/// Validates a framework file and stores it as the new active version.
pub async fn load_framework(pool: &Pool, text: &str, by: &str) -> Result<(Framework, i64)> {
    let fw = Framework::from_toml(text).map_err(ServiceError::Refused)?;
    let sha = crate::audit::sha256_hex(text.as_bytes());
    let version = db::insert_framework(pool, &fw, text, by, |v| {
        Entry::new(
            by,
            "framework",
            format!(
                "loaded framework {} version {v} ({} themes, {} criteria); SHA-256 {sha}",
                fw.code,
                fw.themes.len(),
                fw.criteria.len()
            ),
        )
    })
    .await?;
    Ok((fw, version))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EconomyImport {
    pub created: u64,
    pub updated: u64,
}

/// Imports economies from a file (`source`: its name, for the audit log).
pub async fn import_economies(
    pool: &Pool,
    bytes: &[u8],
    source: &str,
    by: &str,
) -> Result<EconomyImport> {
    let rows = parse_economies(bytes).map_err(ServiceError::Refused)?;
    let sha = crate::audit::sha256_hex(bytes);
    let (created, updated) = db::upsert_economies(pool, &rows, |c, u| {
        Entry::new(
            by,
            "import",
            format!("imported economies from {source} (SHA-256 {sha}): {c} new, {u} updated"),
        )
    })
    .await?;
    Ok(EconomyImport { created, updated })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ValuesImport {
    pub values: u64,
    pub economies: u64,
    pub stored: db::ValueImport,
}

/// Imports values from a file (`source`: its name, for the audit log): one audit entry for
/// the whole file, in the import's transaction.
pub async fn import_values(
    pool: &Pool,
    bytes: &[u8],
    source: &str,
    by: &str,
) -> Result<ValuesImport> {
    let sha = crate::audit::sha256_hex(bytes);
    let fw = active_framework(pool).await?.framework;
    let ids = db::economy_ids(pool).await?;
    let known: HashSet<String> = ids.keys().cloned().collect();
    // The file is checked on a blocking thread while the rows already checked are stored:
    // on two cores the two overlap. Any problem rolls the whole transaction back.
    let (send, mut receive) = tokio::sync::mpsc::channel::<Vec<ValueRow>>(2);
    let bytes = bytes.to_vec();
    let checker = tokio::task::spawn_blocking(move || {
        let mut values = 0u64;
        let mut economies: HashSet<String> = HashSet::new();
        parse_values_in_chunks(&bytes, &fw, &known, IMPORT_CHUNK, |chunk| {
            values += chunk.len() as u64;
            for row in &chunk {
                if !economies.contains(row.economy.as_str()) {
                    economies.insert(row.economy.to_string());
                }
            }
            // A closed channel means storing failed; the check still runs to the end.
            let _ = send.blocking_send(chunk);
        })
        .map(|()| (values, economies.len() as u64))
    });
    let mut importer = db::ValueImporter::begin(pool, ids, by).await?;
    while let Some(chunk) = receive.recv().await {
        importer.add(&chunk).await?;
    }
    match checker.await {
        Ok(Ok((values, economies))) => Ok(ValuesImport {
            values,
            economies,
            stored: importer
                .commit(|s| {
                    Entry::new(
                        by,
                        "import",
                        format!(
                            "imported {values} values for {economies} economies from {source} (SHA-256 {sha}): {} new, {} replaced, {} unchanged",
                            s.inserted, s.replaced, s.unchanged
                        ),
                    )
                })
                .await?,
        }),
        Ok(Err(problems)) => {
            importer.rollback().await?;
            Err(ServiceError::Refused(problems))
        }
        Err(e) => {
            importer.rollback().await?;
            Err(ServiceError::Refusal(format!(
                "the file could not be checked: {e}"
            )))
        }
    }
}

/// Rows handed from the file check to storage at a time.
const IMPORT_CHUNK: usize = 20_000;

/// The candidates with their values, ready to score.
pub async fn scoring_inputs(pool: &Pool) -> Result<Vec<(db::Economy, EconomyInput)>> {
    let economies = db::candidates(pool).await?;
    let mut entries = db::candidate_entries(pool).await?;
    Ok(economies
        .into_iter()
        .map(|e| {
            let input = EconomyInput {
                slug: e.slug.clone(),
                name: e.name.clone(),
                entries: entries.remove(&e.id).unwrap_or_default(),
            };
            (e, input)
        })
        .collect())
}

/// Live scores (section 8) as of `as_of`, or the latest quarter with a criterion value.
pub async fn live_scores(
    pool: &Pool,
    as_of: Option<Quarter>,
) -> Result<(db::StoredFramework, Scores)> {
    let fw = active_framework(pool).await?;
    let inputs: Vec<EconomyInput> = scoring_inputs(pool)
        .await?
        .into_iter()
        .map(|(_, i)| i)
        .collect();
    let scores = score_all(&fw.framework, &inputs, as_of);
    Ok((fw, scores))
}

/// A published quarter's figures as the public sees them (sections 7 and 8).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublishedScores {
    #[serde(flatten)]
    pub scores: Scores,
    pub framework_version: i64,
    pub published_on: NaiveDate,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revised: Option<Revision>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Revision {
    pub date: NaiveDate,
    pub reason: String,
    /// 1 for the first revision.
    pub number: i64,
}

fn published(p: db::Publication, first_on: &str) -> Result<PublishedScores> {
    let scores: Scores =
        serde_json::from_str(&p.figures).map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
    let date = |s: &str| {
        NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map_err(|e| ServiceError::Db(sqlx::Error::Decode(Box::new(e))))
    };
    Ok(PublishedScores {
        scores,
        framework_version: p.framework_version,
        published_on: date(first_on)?,
        revised: if p.revision > 0 {
            Some(Revision {
                date: date(&p.published_on)?,
                reason: p.reason.unwrap_or_default(),
                number: p.revision,
            })
        } else {
            None
        },
    })
}

/// The published quarters, oldest first.
pub async fn published_quarters(pool: &Pool) -> Result<Vec<Quarter>> {
    Ok(db::current_publications(pool)
        .await?
        .iter()
        .filter_map(|p| p.period.parse().ok())
        .collect())
}

/// The stored figures of a published quarter (default: the latest published), or `None`
/// when it is not published.
pub async fn published_scores(
    pool: &Pool,
    as_of: Option<Quarter>,
) -> Result<Option<PublishedScores>> {
    let period = match as_of {
        Some(q) => q,
        None => match published_quarters(pool).await?.last() {
            Some(q) => *q,
            None => return Ok(None),
        },
    };
    let revisions = db::publication_revisions(pool, period).await?;
    let Some(first) = revisions.first().map(|p| p.published_on.clone()) else {
        return Ok(None);
    };
    let current = revisions.into_iter().last().expect("non-empty");
    published(current, &first).map(Some)
}

/// Every published quarter's current figures, oldest first.
pub async fn all_published(pool: &Pool) -> Result<Vec<PublishedScores>> {
    let mut out = Vec::new();
    for q in published_quarters(pool).await? {
        if let Some(p) = published_scores(pool, Some(q)).await? {
            out.push(p);
        }
    }
    Ok(out)
}

/// Publishes every quarter up to and including `through` that is not yet published, in
/// order, from the first quarter with data. Returns the quarters published.
pub async fn publish_through(
    pool: &Pool,
    through: Quarter,
    today: NaiveDate,
    by: &str,
) -> Result<Vec<Quarter>> {
    if through.end_date() >= today {
        return Err(ServiceError::Refusal(format!(
            "{through} has not ended yet (today is {today}): a quarter is published after it ends"
        )));
    }
    let fw = active_framework(pool).await?;
    let inputs: Vec<EconomyInput> = scoring_inputs(pool)
        .await?
        .into_iter()
        .map(|(_, i)| i)
        .collect();
    let done: HashSet<Quarter> = published_quarters(pool).await?.into_iter().collect();
    let first = crate::domain::scoring::first_quarter(&fw.framework, &inputs).unwrap_or(through);
    let mut published = Vec::new();
    for q in first.min(through).through(through) {
        if done.contains(&q) {
            continue;
        }
        let scores = score_all(&fw.framework, &inputs, Some(q));
        let figures = serde_json::to_string(&scores).expect("scores serialise");
        db::insert_publication(
            pool,
            db::NewPublication {
                period: q,
                revision: 0,
                published_on: today,
                by,
                reason: None,
                framework_code: &fw.framework.code,
                framework_version: fw.version,
                figures: &figures,
                changes: None,
            },
            &Entry::new(
                by,
                "publication",
                format!(
                    "published {q} with framework {} version {}",
                    fw.framework.code, fw.version
                ),
            ),
        )
        .await?;
        notify_publication(pool, q, &scores, None).await?;
        published.push(q);
    }
    Ok(published)
}

/// One figure that a revision changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub economy: String,
    pub field: String,
    pub old: serde_json::Value,
    pub new: serde_json::Value,
}

/// The figures that differ between two scores documents, economy by economy.
pub fn changes(old: &Scores, new: &Scores) -> Vec<Change> {
    let mut out = Vec::new();
    let as_map = |s: &Scores| -> Vec<(String, serde_json::Map<String, serde_json::Value>)> {
        s.economies
            .iter()
            .map(|e| match serde_json::to_value(e).expect("serialises") {
                serde_json::Value::Object(m) => (e.economy.clone(), m),
                _ => unreachable!("a record is an object"),
            })
            .collect()
    };
    let old_map = as_map(old);
    let new_map = as_map(new);
    for (slug, n) in &new_map {
        let o = old_map.iter().find(|(s, _)| s == slug).map(|(_, m)| m);
        for (field, nv) in n {
            let ov = o
                .and_then(|m| m.get(field))
                .cloned()
                .unwrap_or(serde_json::Value::Null);
            if &ov != nv {
                out.push(Change {
                    economy: slug.clone(),
                    field: field.clone(),
                    old: ov,
                    new: nv.clone(),
                });
            }
        }
    }
    for (slug, _) in &old_map {
        if !new_map.iter().any(|(s, _)| s == slug) {
            out.push(Change {
                economy: slug.clone(),
                field: "economy".into(),
                old: serde_json::Value::String(slug.clone()),
                new: serde_json::Value::Null,
            });
        }
    }
    out
}

/// Revises a published quarter from the current data, with the reason shown publicly.
pub async fn revise(
    pool: &Pool,
    period: Quarter,
    reason: &str,
    today: NaiveDate,
    by: &str,
) -> Result<Vec<Change>> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(ServiceError::Refusal(
            "a revision needs a reason (--reason)".into(),
        ));
    }
    let revisions = db::publication_revisions(pool, period).await?;
    let Some(last) = revisions.last() else {
        return Err(ServiceError::Refusal(format!(
            "{period} is not published, so it cannot be revised (publish it with --through)"
        )));
    };
    let old: Scores =
        serde_json::from_str(&last.figures).map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
    let (fw, scores) = live_scores(pool, Some(period)).await?;
    let changed = changes(&old, &scores);
    let figures = serde_json::to_string(&scores).expect("scores serialise");
    let changes_json = serde_json::to_string(&changed).expect("changes serialise");
    db::insert_publication(
        pool,
        db::NewPublication {
            period,
            revision: last.revision + 1,
            published_on: today,
            by,
            reason: Some(reason),
            framework_code: &fw.framework.code,
            framework_version: fw.version,
            figures: &figures,
            changes: Some(&changes_json),
        },
        &Entry::new(
            by,
            "publication",
            format!(
                "revised {period} (revision {}): {} figures changed; reason: {reason}",
                last.revision + 1,
                changed.len()
            ),
        ),
    )
    .await?;
    notify_publication(pool, period, &scores, Some(reason)).await?;
    Ok(changed)
}

/// The planned publication date of a quarter: as the board set it, or its end plus the
/// framework's `publication_days`.
pub fn planned_publication(
    fw: &Framework,
    plans: &std::collections::HashMap<String, String>,
    q: Quarter,
) -> NaiveDate {
    plans
        .get(&q.to_string())
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .unwrap_or_else(|| {
            q.end_date() + chrono::Duration::days(i64::from(fw.calendar.publication_days))
        })
}

/// The next quarter to be published and its planned date, as of `today`.
pub async fn next_publication(
    pool: &Pool,
    today: NaiveDate,
) -> Result<Option<(Quarter, NaiveDate)>> {
    let fw = active_framework(pool).await?.framework;
    let plans = db::publication_plans(pool).await?;
    let published = published_quarters(pool).await?;
    let next = match published.last() {
        Some(q) => q.next(),
        None => Quarter::containing(today).prev(),
    };
    Ok(Some((next, planned_publication(&fw, &plans, next))))
}

/// One revision of a published quarter (0 = as first published).
pub async fn publication_revision(
    pool: &Pool,
    period: Quarter,
    revision: i64,
) -> Result<Option<PublishedScores>> {
    let revisions = db::publication_revisions(pool, period).await?;
    let Some(first) = revisions.first().map(|p| p.published_on.clone()) else {
        return Ok(None);
    };
    match revisions.into_iter().find(|p| p.revision == revision) {
        Some(p) => published(p, &first).map(Some),
        None => Ok(None),
    }
}

/// Every revision of every published quarter: (quarter, revision, date, framework code,
/// framework version, reason), oldest first.
pub async fn publication_history(
    pool: &Pool,
) -> Result<Vec<(Quarter, i64, NaiveDate, String, i64, Option<String>)>> {
    let mut out = Vec::new();
    for q in published_quarters(pool).await? {
        for p in db::publication_revisions(pool, q).await? {
            let date = NaiveDate::parse_from_str(&p.published_on, "%Y-%m-%d")
                .map_err(|e| ServiceError::Db(sqlx::Error::Decode(Box::new(e))))?;
            out.push((
                q,
                p.revision,
                date,
                p.framework_code,
                p.framework_version,
                p.reason,
            ));
        }
    }
    Ok(out)
}

/// Every publication and revision, the latest first (the Atom feed).
pub async fn publication_events(pool: &Pool) -> Result<Vec<db::PublicationEvent>> {
    Ok(db::publication_events(pool).await?)
}

/// The values behind published figures: every candidate's value for a quarter up to the
/// latest published one, with its current status.
pub async fn published_values(pool: &Pool) -> Result<Vec<db::ValueListing>> {
    let Some(last) = published_quarters(pool).await?.last().copied() else {
        return Ok(Vec::new());
    };
    Ok(db::values_through(pool, last).await?)
}

/// Imports the trust EPR register from a file (`source`: its name, for the audit log).
/// Returns (new, updated, unchanged).
pub async fn import_trusts(
    pool: &Pool,
    bytes: &[u8],
    source: &str,
    by: &str,
    today: NaiveDate,
) -> Result<(u64, u64, u64)> {
    let known: HashSet<String> = db::economy_ids(pool).await?.into_keys().collect();
    ensure_organisations(pool).await?;
    let registered: HashSet<String> = db::register(pool)
        .await?
        .of_kind(crate::domain::organisations::TRUST)
        .map(|t| t.code.clone())
        .collect();
    let rows = crate::domain::trusts::parse_trusts(bytes, &known, today, Some(&registered))
        .map_err(ServiceError::Refused)?;
    let sha = crate::audit::sha256_hex(bytes);
    Ok(db::upsert_trusts(pool, &rows, by, |n, u, s| {
        Entry::new(
            by,
            "import",
            format!("imported trusts from {source} (SHA-256 {sha}): {n} new, {u} updated, {s} unchanged"),
        )
    })
    .await?)
}

/// Tells each candidate economy's submitters that a quarter's figures are published (or
/// revised), with their own published figures.
pub async fn notify_publication(
    pool: &Pool,
    q: Quarter,
    scores: &crate::domain::scoring::Scores,
    revision: Option<&str>,
) -> sqlx::Result<usize> {
    let users = db::list_users(pool).await?;
    let ids = db::economy_ids(pool).await?;
    let ranked = scores.economies.iter().filter(|r| r.rank.is_some()).count();
    let mut tx = db::begin(pool).await?;
    let mut sent = 0;
    for r in &scores.economies {
        let to: Vec<&db::UserRow> = users
            .iter()
            .filter(|u| !u.disabled && u.economy.as_deref() == Some(r.economy.as_str()))
            .collect();
        if to.is_empty() {
            continue;
        }
        let subject = match revision {
            None => format!("{} figures are published", q.label()),
            Some(_) => format!("{} figures are revised", q.label()),
        };
        let figures = match (r.overall, r.verified_overall, r.rank) {
            (Some(o), Some(v), Some(rank)) => format!(
                "Your published overall score is {o:.1} (verified {v:.1}), rank {rank} of {ranked}."
            ),
            _ => "Your economy has no values up to this quarter, so it is not ranked.".to_string(),
        };
        let body = match revision {
            None => format!("The official figures for {q} are published. {figures} They are fixed now: later changes show only if the board revises the quarter."),
            Some(reason) => format!("The figures for {q} were revised: {reason} {figures}"),
        };
        // A notice each person may take now, in their weekly summary, or not at all.
        for u in to {
            db::insert_optional(
                &mut tx,
                &u.email,
                &subject,
                &body,
                ids.get(&r.economy).copied(),
                crate::domain::mail::Category::Publication,
            )
            .await?;
            sent += 1;
        }
    }
    tx.commit().await?;
    Ok(sent)
}

/// `/admin/publication` on `today`: each quarter from the first with data, newest first,
/// with its deadline, planned publication, what was published and how many figures now
/// differ from live.
pub async fn publication_view(
    pool: &Pool,
    today: NaiveDate,
) -> Result<crate::domain::publication::view::PublicationView> {
    use crate::domain::publication::view::{Difference, PublicationView, QuarterLine};
    use crate::domain::publication::{figure_value, figure_words};
    use crate::domain::scoring::{score_all, Scores};
    use crate::domain::Quarter;
    let fw = active_framework(pool).await?.framework;
    let inputs: Vec<_> = scoring_inputs(pool)
        .await?
        .into_iter()
        .map(|(_, i)| i)
        .collect();
    let plans = crate::db::publication_plans(pool).await?;
    let moved = crate::db::deadline_plans(pool).await?;
    let publications = crate::db::current_publications(pool).await?;
    let waiting = crate::db::waiting_by_period(pool).await?;
    let current = Quarter::containing(today);
    let first = crate::domain::scoring::first_quarter(&fw, &inputs)
        .unwrap_or(current)
        .min(current);
    let mut quarters = Vec::new();
    for q in first.through(current) {
        let key = q.to_string();
        let published = publications.iter().find(|p| p.period == key);
        let found = published.and_then(|p| {
            let old: Scores = serde_json::from_str(&p.figures).ok()?;
            let live = score_all(&fw, &inputs, Some(q));
            Some((changes(&old, &live), old, live))
        });
        let differs = found.as_ref().map(|(c, _, _)| c.len());
        let differences = found
            .map(|(c, old, live)| {
                let name = |slug: &str| {
                    live.economies
                        .iter()
                        .chain(&old.economies)
                        .find(|e| e.economy == slug)
                        .map(|e| e.name.clone())
                        .unwrap_or_else(|| slug.to_string())
                };
                c.iter()
                    .map(|c| Difference {
                        economy: name(&c.economy),
                        figure: figure_words(&c.field),
                        published: figure_value(&c.old),
                        live: figure_value(&c.new),
                    })
                    .collect()
            })
            .unwrap_or_default();
        quarters.push(QuarterLine {
            ended: q < current,
            deadline: moved
                .get(&key)
                .cloned()
                .unwrap_or_else(|| crate::domain::submission::deadline(&fw, q).to_string()),
            deadline_moved: moved.contains_key(&key),
            planned: planned_publication(&fw, &plans, q).to_string(),
            published: published.map(|p| (p.revision, p.published_on.clone())),
            differs,
            waiting: waiting.get(&key).copied().unwrap_or_default() as usize,
            differences,
            preview: crate::domain::preview::window(
                planned_publication(&fw, &plans, q),
                fw.calendar.preview_days,
            ),
            // Filled by `publication::publication_page`.
            flags: Vec::new(),
            reporting: None,
            quarter: key,
        });
    }
    quarters.reverse();
    Ok(PublicationView {
        today: today.to_string(),
        quarters,
    })
}

/// `/admin/frameworks`: every version, which one each published quarter used, and what
/// changed from version `a` to `b` when both are given.
pub async fn frameworks_view(
    pool: &Pool,
    a: Option<i64>,
    b: Option<i64>,
) -> Result<crate::domain::publication::view::FrameworksView> {
    use crate::domain::publication::view::{FrameworkVersionLine, FrameworksView};
    active_framework(pool).await?;
    let all = crate::db::framework_versions(pool).await?;
    let last = all.last().map(|x| x.0);
    let find = |id: Option<i64>| id.and_then(|id| all.iter().find(|x| x.0 == id));
    let changes = match (find(a), find(b)) {
        (Some(x), Some(y)) => Some(crate::domain::framework_diff::diff(&x.3, &y.3)),
        _ => None,
    };
    Ok(FrameworksView {
        versions: all
            .iter()
            .map(|(id, code, version, fw)| FrameworkVersionLine {
                id: *id,
                code: code.clone(),
                version: *version,
                name: fw.name.clone(),
                criteria: fw.criteria.len(),
                active: Some(*id) == last,
            })
            .collect(),
        published: crate::db::current_publications(pool)
            .await?
            .into_iter()
            .map(|p| (p.period, p.framework_code, p.framework_version))
            .collect(),
        a,
        b,
        changes,
    })
}

/// Every candidate economy (slug, name, region …), by slug.
pub async fn candidates(pool: &Pool) -> sqlx::Result<Vec<db::Economy>> {
    db::candidates(pool).await
}

/// Whether the database answers (for `/readyz`).
pub async fn database_ready(pool: &Pool) -> bool {
    db::ping(pool).await
}

/// What an operator watches, read now (the metrics' scrape).
pub async fn operating_counts(pool: &Pool) -> Result<db::OperatingCounts> {
    Ok(db::operating_counts(pool).await?)
}

// ---------------------------------------------------------------------------------------
// The register of NHS organisations (ODS codes)

/// The reference pack of NHS organisations 2013-2015 shipped with the project
/// (`reference/ods-2013-2015/`, Open Government Licence v3.0), by file name.
pub const ORGANISATIONS_PACK: [(&str, &[u8]); 6] = [
    (
        "regions-2013.csv",
        include_bytes!("../../reference/ods-2013-2015/regions-2013.csv"),
    ),
    (
        "area-teams-2013.csv",
        include_bytes!("../../reference/ods-2013-2015/area-teams-2013.csv"),
    ),
    (
        "ccgs-2013.csv",
        include_bytes!("../../reference/ods-2013-2015/ccgs-2013.csv"),
    ),
    (
        "trusts-2013-2015.csv",
        include_bytes!("../../reference/ods-2013-2015/trusts-2013-2015.csv"),
    ),
    (
        "gp-practices.csv",
        include_bytes!("../../reference/ods-2013-2015/gp-practices.csv"),
    ),
    (
        "trust-successors.csv",
        include_bytes!("../../reference/ods-2013-2015/trust-successors.csv"),
    ),
];

/// The shipped pack as a register (its closures judged on the pack's own last day), parsed
/// once per process.
pub fn reference_register() -> crate::domain::organisations::Register {
    static PACK: std::sync::OnceLock<crate::domain::organisations::Register> =
        std::sync::OnceLock::new();
    PACK.get_or_init(|| {
        let end = NaiveDate::from_ymd_opt(2015, 6, 30).expect("valid");
        crate::domain::organisations::from_pack(&ORGANISATIONS_PACK, end)
            .expect("the shipped reference pack is valid")
    })
    .clone()
}

/// Loads the shipped reference pack into an empty register (on first start, like the
/// default framework). Returns how many organisations it loaded (0 when the register was
/// already there).
pub async fn ensure_organisations(pool: &Pool) -> Result<usize> {
    if db::count_organisations(pool).await? > 0 {
        return Ok(0);
    }
    let next = reference_register();
    let n = next.by_code.len();
    let entry = Entry::new(
        "system",
        "organisations",
        format!("loaded the reference pack of NHS organisations 2013-2015: {n} organisations"),
    );
    db::write_register(pool, &Default::default(), &next, &entry).await?;
    Ok(n)
}

/// Refreshes the register from an extract in one of the pack's layouts (`source`: its name,
/// for the audit log): whole file or every problem with its line.
pub async fn import_organisations(
    pool: &Pool,
    bytes: &[u8],
    source: &str,
    by: &str,
    today: NaiveDate,
) -> Result<(
    crate::domain::organisations::Layout,
    crate::domain::organisations::Changes,
)> {
    ensure_organisations(pool).await?;
    let layout = crate::domain::organisations::layout_of(bytes).map_err(ServiceError::Refused)?;
    let old = db::register(pool).await?;
    let (next, changes) = old.apply(bytes, today).map_err(ServiceError::Refused)?;
    let sha = crate::audit::sha256_hex(bytes);
    let entry = Entry::new(
        by,
        "import",
        format!(
            "imported {} from {source} (SHA-256 {sha}): {} new, {} changed, {} closed, {} unchanged",
            layout.words(),
            changes.added.len(),
            changes.changed.len(),
            changes.closed.len(),
            changes.unchanged
        ),
    );
    db::write_register(pool, &old, &next, &entry).await?;
    Ok((layout, changes))
}

/// The organisations whose code is `q` or whose name holds every word of it, of some kinds
/// (every kind when empty): the exact code first, then open before closed, by name.
pub async fn search_organisations(
    pool: &Pool,
    q: &str,
    kinds: &[&str],
    limit: usize,
) -> Result<Vec<crate::domain::organisations::Organisation>> {
    let words: Vec<String> = q.split_whitespace().map(str::to_string).collect();
    if words.is_empty() {
        return Ok(Vec::new());
    }
    let found =
        db::organisations_matching(pool, &words, &q.trim().to_ascii_uppercase(), kinds).await?;
    Ok(
        crate::domain::organisations::search(found.iter(), q, kinds, limit)
            .into_iter()
            .cloned()
            .collect(),
    )
}

#[cfg(test)]
mod reference_tests {
    #[test]
    fn the_shipped_reference_pack_loads_whole_with_every_place_known() {
        let r = super::reference_register();
        let count = |k: &str| r.of_kind(k).count();
        use crate::domain::organisations::*;
        assert_eq!(
            (
                count(REGION),
                count(AREA_TEAM),
                count(CCG),
                count(TRUST),
                count(GP_PRACTICE)
            ),
            (4, 25, 211, 243, 8234)
        );
        // Every trust, CCG and practice sits in an area team, a region and a geographic region.
        for o in r
            .by_code
            .values()
            .filter(|o| [TRUST, CCG, GP_PRACTICE].contains(&o.kind.as_str()))
        {
            assert!(
                o.area_team.is_some() && o.region.is_some() && o.geography.is_some(),
                "{o:?}"
            );
        }
        let rr8 = r.get("RR8").unwrap();
        assert_eq!(rr8.name, "Leeds Teaching Hospitals NHS Trust");
        assert_eq!(rr8.geography.as_deref(), Some("Yorkshire and the Humber"));
        assert_eq!(r.get("RC3").unwrap().successor.as_deref(), Some("R1K"));
        assert_eq!(r.get("02V").unwrap().name, "NHS Leeds North CCG");
    }
}
