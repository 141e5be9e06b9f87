//! An economy's own reporting: the quarter form (drafts, submission, evidence, lateness,
//! concurrent edits), the CSV upload of its values as drafts, its downloads and its reminders.
//! Rules come from `domain::submission` and `domain::files`, SQL from `db`.

use crate::audit::Entry as AuditEntry;
use crate::db::{self, Pool, QuarterRows};
use crate::domain::framework::{Evidence, Framework, Kind};
use crate::domain::submission::{self, Answered, Have};
use crate::domain::Slug;
use crate::domain::{Problem, Quarter};
use chrono::NaiveDate;
use std::collections::{BTreeMap, HashMap, HashSet};

mod check;
mod page;
mod upload;
pub use check::*;
pub use page::*;
pub use upload::*;

/// The longest reason accepted for a value that sets off a check.
pub const MAX_REASON: usize = 2000;

/// The largest evidence document accepted.
pub const MAX_DOCUMENT: usize = 10 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum SubmitError {
    /// Problems by field, in the order of the form. Documents uploaded with the form are
    /// kept (code, SHA-256 and name) so that nothing chosen is lost.
    #[error("invalid")]
    Invalid {
        errors: Vec<(String, String)>,
        kept: Vec<(String, String)>,
    },
    /// Someone saved this quarter since the form was opened: every answer that differs from
    /// what is stored now, and the version to save over it knowingly.
    #[error("changed since the form was opened")]
    Conflict {
        errors: Vec<(String, String)>,
        kept: Vec<(String, String)>,
        version: String,
    },
    #[error("{0}")]
    Refused(String),
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
}

/// What a save did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Saved {
    pub submitted: usize,
    pub late: usize,
    pub drafts: usize,
    pub evidence: usize,
    /// The codes whose drafts this save wrote (the ones to tick on "check your answers").
    pub changed: Vec<String>,
}

/// A document uploaded with a form: the field's code, the file's name and its content.
#[derive(Debug, Clone)]
pub struct Upload {
    pub code: String,
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Checks an uploaded document: not empty, at most 10 MB, and by its content (never its
/// name) a PDF, Word document, Excel spreadsheet, PNG or JPEG. Returns its content type.
pub fn check_document(name: &str, bytes: &[u8]) -> Result<&'static str, String> {
    if bytes.is_empty() {
        return Err(format!("The selected file {name} is empty"));
    }
    if bytes.len() > MAX_DOCUMENT {
        return Err(format!(
            "The selected file {name} must be smaller than 10 MB"
        ));
    }
    let detected = infer::get(bytes).map(|t| t.mime_type());
    match detected {
        Some(
            t @ ("application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            | "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ) => submission::office_zip(bytes)
            .map(|()| t)
            .map_err(|why| format!("The selected file {name} cannot be accepted: {why}")),
        Some(
            t @ ("application/pdf"
            | "image/png"
            | "image/jpeg"
            | "application/msword"
            | "application/vnd.ms-excel"),
        ) => Ok(t),
        _ => Err(format!(
            "The selected file {name} must be a PDF, Word document, Excel spreadsheet, PNG or JPEG: its content is not one of these, whatever its name"
        )),
    }
}

/// A fingerprint of everything stored for a quarter: the form carries the one it was opened
/// with, and a save is refused when it has changed since.
pub fn version(rows: &QuarterRows) -> String {
    let values: BTreeMap<_, _> = rows
        .values
        .iter()
        .map(|(k, v)| (k, (&v.value, &v.status, &v.at)))
        .collect();
    let drafts: BTreeMap<_, _> = rows
        .drafts
        .iter()
        .map(|(k, d)| (k, (&d.value, &d.at)))
        .collect();
    let evidence: BTreeMap<_, _> = rows
        .evidence
        .iter()
        .map(|(k, e)| (k, (&e.link, &e.file_sha256, &e.at)))
        .collect();
    let json = serde_json::json!([values, drafts, evidence]).to_string();
    crate::audit::sha256_hex(json.as_bytes())[..16].to_string()
}

/// What is stored for one economy's quarter, outside any transaction.
pub async fn quarter_rows(pool: &Pool, economy_id: i64, q: Quarter) -> sqlx::Result<QuarterRows> {
    let mut conn = pool.acquire().await?;
    db::quarter_rows(&mut conn, economy_id, &q.to_string()).await
}

/// The day a quarter's values are due: the board's date where it moved it, else the
/// framework's calendar.
pub async fn deadline_for(pool: &Pool, fw: &Framework, q: Quarter) -> sqlx::Result<NaiveDate> {
    Ok(db::deadline_plans(pool)
        .await?
        .get(&q.to_string())
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .unwrap_or_else(|| submission::deadline(fw, q)))
}

/// Moves a quarter's submission deadline and planned publication date (either may be left as
/// it is: `None`). Recorded in the audit log.
pub async fn move_dates(
    pool: &Pool,
    by: &str,
    q: Quarter,
    deadline: Option<NaiveDate>,
    publication: Option<NaiveDate>,
) -> Result<String, SubmitError> {
    if deadline.is_none() && publication.is_none() {
        return Err(SubmitError::Invalid {
            errors: vec![(
                "deadline".into(),
                "Enter a new deadline or a new publication date, as YYYY-MM-DD".into(),
            )],
            kept: Vec::new(),
        });
    }
    let mut errors = Vec::new();
    if let Some(d) = deadline {
        if d <= q.end_date() {
            errors.push((
                "deadline".to_string(),
                format!(
                    "The deadline must be after the quarter ends ({})",
                    q.end_date()
                ),
            ));
        }
    }
    if let (Some(p), Some(d)) = (publication, deadline) {
        if p < d {
            errors.push((
                "publication".to_string(),
                "The publication date must be on or after the deadline".to_string(),
            ));
        }
    }
    if let Some(p) = publication {
        if p <= q.end_date() {
            errors.push((
                "publication".to_string(),
                format!(
                    "Publication must be after the quarter ends ({})",
                    q.end_date()
                ),
            ));
        }
    }
    if !errors.is_empty() {
        return Err(SubmitError::Invalid {
            errors,
            kept: Vec::new(),
        });
    }
    let mut tx = db::begin(pool).await?;
    let mut said = Vec::new();
    if let Some(d) = deadline {
        db::set_deadline_plan(&mut tx, &q.to_string(), &d.to_string()).await?;
        said.push(format!("deadline to {d}"));
    }
    if let Some(p) = publication {
        db::set_publication_plan(&mut tx, &q.to_string(), &p.to_string()).await?;
        said.push(format!("planned publication to {p}"));
    }
    let summary = format!("moved {q}'s {}", said.join(" and "));
    db::audit_append(&mut tx, &AuditEntry::new(by, "calendar", summary.clone())).await?;
    tx.commit().await?;
    Ok(summary)
}

/// Whether a quarter can be reported on `today`: it has ended, and is not before 2000.
pub fn reportable(q: Quarter, today: NaiveDate) -> bool {
    q < Quarter::containing(today) && q.year() >= 2000
}

fn have(e: Option<&db::EvidenceRow>) -> Have {
    match e {
        Some(e) if e.file_sha256.is_some() => Have::Document,
        Some(e) if e.link.is_some() => Have::Link,
        _ => Have::Nothing,
    }
}

fn title_of<'a>(fw: &'a Framework, code: &'a str) -> &'a str {
    fw.criterion(code)
        .map(|c| c.title.as_str())
        .or_else(|| fw.benefit(code).map(|b| b.title.as_str()))
        .unwrap_or(code)
}

fn shown(fw: &Framework, code: &str, value: &str) -> String {
    match fw.criterion(code).map(|c| &c.kind) {
        Some(Kind::Date(_)) if value.is_empty() => "not yet achieved".into(),
        _ => value.to_string(),
    }
}

/// What a submitter asks of a quarter form: keep the answers as drafts, or submit them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intent {
    Draft,
    Submit,
}

/// A quarter form as posted: its text fields (`v-CODE`, `e-CODE`, `version` …), its
/// documents, and what to do with them.
#[derive(Debug, Clone)]
pub struct QuarterForm {
    pub period: Quarter,
    pub fields: HashMap<String, String>,
    pub uploads: Vec<Upload>,
    pub intent: Intent,
}

/// The active framework and the economy a quarter is saved or submitted for.
async fn framework_and_economy(
    pool: &Pool,
    slug: &Slug,
) -> Result<(crate::domain::Framework, db::EconomyRow), SubmitError> {
    let fw = crate::service::active_framework(pool)
        .await
        .map_err(|e| match e {
            crate::service::ServiceError::Db(e) => SubmitError::Db(e),
            other => SubmitError::Refused(other.to_string()),
        })?
        .framework;
    let economy = db::economy_by_slug(pool, slug)
        .await?
        .ok_or_else(|| SubmitError::Refused(format!("there is no economy {slug}")))?;
    Ok((fw, economy))
}

/// Saves a quarter form of `slug`'s economy, by `by`: as drafts, or submitted. All or
/// nothing.
pub async fn save_quarter(
    pool: &Pool,
    slug: &Slug,
    by: &str,
    form: QuarterForm,
    today: NaiveDate,
) -> Result<Saved, SubmitError> {
    let QuarterForm {
        period: q,
        fields,
        uploads,
        intent,
    } = form;
    let submit = intent == Intent::Submit;
    if !reportable(q, today) {
        return Err(SubmitError::Refused(format!(
            "{q} cannot be reported yet: a quarter is reported after it ends"
        )));
    }
    let (fw, economy) = framework_and_economy(pool, slug).await?;
    let get = |k: &str| fields.get(k).cloned();
    let (answers, mut errors) = submission::read_form(&fw, q, &get);

    // Documents: checked, and stored at once (content-addressed) so nothing is lost if the
    // rest of the form has problems; they are attached only when the save succeeds.
    let mut documents: HashMap<String, (String, String, &'static str, i64)> = HashMap::new();
    for u in uploads {
        if fw.criterion(&u.code).is_none() {
            continue;
        }
        match check_document(&u.name, &u.bytes) {
            Ok(content_type) => {
                let mut tx = db::begin(pool).await?;
                let sha = db::put_file(&mut tx, &u.bytes, content_type).await?;
                db::record_upload(&mut tx, &sha, Some(economy.id)).await?;
                tx.commit().await?;
                documents.insert(
                    u.code.clone(),
                    (sha, u.name.clone(), content_type, u.bytes.len() as i64),
                );
            }
            Err(m) => errors.push((submission::file_field(&u.code), m)),
        }
    }
    // Documents kept from an earlier try of this form: only the economy's own uploads, and
    // checked by content again like a new one.
    for c in &fw.criteria {
        if documents.contains_key(&c.code) {
            continue;
        }
        let Some(kept) = get(&submission::kept_field(&c.code)) else {
            continue;
        };
        let field = submission::file_field(&c.code);
        let Some((sha, name)) = kept.split_once(' ') else {
            errors.push((field, format!("{}: choose the document again", c.title)));
            continue;
        };
        let own = if sha.len() == 64 && sha.bytes().all(|b| b.is_ascii_hexdigit()) {
            db::own_file(pool, &sha.to_lowercase(), Some(economy.id)).await?
        } else {
            None
        };
        match own.map(|content| (check_document(name, &content), content)) {
            Some((Ok(t), content)) => {
                documents.insert(
                    c.code.clone(),
                    (sha.to_lowercase(), name.to_string(), t, content.len() as i64),
                );
            }
            Some((Err(m), _)) => errors.push((field, m)),
            None => errors.push((
                field,
                format!("{}: the document kept from your last try is not one your economy uploaded. Choose the document again", c.title),
            )),
        }
    }
    let mut links: HashMap<String, String> = HashMap::new();
    for c in &fw.criteria {
        let field = submission::link_field(&c.code);
        let Some(text) = get(&field).filter(|t| !t.trim().is_empty()) else {
            continue;
        };
        match submission::check_link(&text) {
            Ok(l) => {
                links.insert(c.code.clone(), l);
            }
            Err(m) => errors.push((field, format!("{}: {m}", c.title))),
        }
    }
    for c in &fw.criteria {
        let field = submission::reason_field(&c.code);
        if get(&field).is_some_and(|r| r.trim().chars().count() > MAX_REASON) {
            errors.push((
                field,
                format!(
                    "Your reason for {} must be {MAX_REASON} characters or fewer",
                    c.title
                ),
            ));
        }
    }
    let kept: Vec<(String, String)> = documents
        .iter()
        .map(|(code, (sha, name, _, _))| (code.clone(), format!("{sha} {name}")))
        .collect();
    if !errors.is_empty() {
        return Err(SubmitError::Invalid { errors, kept });
    }

    let period = q.to_string();
    let mut tx = db::begin(pool).await?;
    db::lock_economy(&mut tx, economy.id).await?;
    let rows = db::quarter_rows(&mut tx, economy.id, &period).await?;
    let now_version = version(&rows);
    if fields.get("version").map(String::as_str) != Some(now_version.as_str()) {
        tx.rollback().await?;
        let errors = conflicts(&fw, &answers, &rows);
        let errors = if errors.is_empty() {
            vec![(
                "quarter-form".to_string(),
                "Someone saved this quarter since you opened the form. Check it below, then save again".to_string(),
            )]
        } else {
            errors
        };
        return Err(SubmitError::Conflict {
            errors,
            kept,
            version: now_version,
        });
    }

    let mut saved = Saved::default();
    // Evidence first: a value is judged on the evidence it will have.
    let mut evidence_after: HashMap<String, Have> = rows
        .evidence
        .iter()
        .map(|(k, e)| (k.clone(), have(Some(e))))
        .collect();
    let mut new_evidence: HashSet<String> = HashSet::new();
    for c in &fw.criteria {
        let link = links.get(&c.code);
        let doc = documents.get(&c.code);
        if link.is_none() && doc.is_none() {
            continue;
        }
        let old = rows.evidence.get(&c.code);
        let same_link = link.is_none() || old.and_then(|e| e.link.as_ref()) == link;
        let same_doc = doc.is_none_or(|d| old.and_then(|e| e.file_sha256.as_ref()) == Some(&d.0));
        if same_link && same_doc {
            continue;
        }
        db::set_evidence(
            &mut tx,
            economy.id,
            &period,
            &c.code,
            db::NewEvidence {
                link: link.map(String::as_str),
                document: doc.map(|d| db::NewDocument {
                    sha256: &d.0,
                    name: &d.1,
                    content_type: d.2,
                    size: d.3,
                }),
            },
            by,
        )
        .await?;
        saved.evidence += 1;
        new_evidence.insert(c.code.clone());
        let h = evidence_after
            .entry(c.code.clone())
            .or_insert(Have::Nothing);
        if doc.is_some() {
            *h = Have::Document;
        } else if *h == Have::Nothing {
            *h = Have::Link;
        }
    }

    let late = today > deadline_for(pool, &fw, q).await?;
    if submit {
        let codes: Vec<String> = answers.iter().map(|a| a.code.clone()).collect();
        if let Some(why) =
            crate::teamwork::signoff_missing(&mut tx, economy.id, q, &rows, &codes).await?
        {
            tx.rollback().await?;
            return Err(SubmitError::Refused(why));
        }
    }
    let before = db::quarter_rows(&mut tx, economy.id, &q.prev().to_string()).await?;
    let mut problems = Vec::new();
    let mut changes = Vec::new();
    for Answered { code, value } in &answers {
        let stored = rows.values.get(code);
        let draft = rows.drafts.get(code);
        let Some(value) = value else {
            // Not answered: nothing to keep as a draft.
            if draft.is_some() {
                db::delete_draft(&mut tx, economy.id, &period, code).await?;
            }
            continue;
        };
        // A returned value answered the same is resubmitted only with new evidence: the
        // form shows it prefilled, and submitting the form must not send it back unchanged.
        let unchanged = stored.is_some_and(|s| {
            &s.value == value
                && (s.status != crate::domain::Status::Rejected.as_str()
                    || !new_evidence.contains(code))
        });
        if unchanged {
            if draft.is_some() {
                db::delete_draft(&mut tx, economy.id, &period, code).await?;
            }
            continue;
        }
        // A value that sets off one of the framework's checks keeps the reason given for it.
        let reason = reason_for(&fw, q, code, value, &before, &get);
        if !submit {
            if draft.map(|d| (&d.value, d.reason.as_deref())) != Some((value, reason.as_deref())) {
                db::upsert_draft(
                    &mut tx,
                    economy.id,
                    &period,
                    code,
                    value,
                    reason.as_deref(),
                    by,
                )
                .await?;
                saved.drafts += 1;
                saved.changed.push(code.clone());
            }
            continue;
        }
        if let Some(c) = fw.criterion(code) {
            let h = evidence_after.get(code).copied().unwrap_or(Have::Nothing);
            if let Some(m) = submission::evidence_missing(c.evidence, h, &c.title) {
                let field = match c.evidence {
                    Evidence::Link => submission::link_field(code),
                    _ => submission::file_field(code),
                };
                problems.push((field, m));
                continue;
            }
        }
        db::submit_value(
            &mut tx,
            economy.id,
            &period,
            code,
            value,
            reason.as_deref(),
            stored.map(|s| (s.value.as_str(), s.status.as_str())),
            by,
            late,
        )
        .await?;
        if draft.is_some() {
            db::delete_draft(&mut tx, economy.id, &period, code).await?;
        }
        changes.push(format!("{code}={}", shown(&fw, code, value)));
        saved.submitted += 1;
        if late {
            saved.late += 1;
        }
    }
    if !problems.is_empty() {
        tx.rollback().await?;
        return Err(SubmitError::Invalid {
            errors: problems,
            kept,
        });
    }
    if saved == Saved::default() {
        tx.rollback().await?;
        return Ok(saved);
    }
    let summary = if submit {
        format!(
            "submitted {} for {q}{}{}",
            crate::domain::types::count(saved.submitted, "value", "values"),
            if late { ", late" } else { "" },
            if saved.evidence > 0 {
                format!(
                    ", with {} of evidence",
                    crate::domain::types::count(saved.evidence, "new piece", "new pieces")
                )
            } else {
                String::new()
            }
        )
    } else {
        format!(
            "saved {} and {} of evidence for {q}",
            crate::domain::types::count(saved.drafts, "draft", "drafts"),
            crate::domain::types::count(saved.evidence, "piece", "pieces")
        )
    };
    let mut entry = AuditEntry::new(by, "submission", summary).economy(Some(slug));
    if !changes.is_empty() {
        entry = entry.after(changes.join("; "));
    }
    db::audit_append(&mut tx, &entry).await?;
    tx.commit().await?;
    Ok(saved)
}

/// The warnings a value of `code` for `q` sets off, against the economy's value of the
/// quarter before (`before`); none for a benefit or a criterion without checks.
pub fn warnings_of(
    fw: &Framework,
    q: Quarter,
    code: &str,
    value: &str,
    before: &QuarterRows,
) -> Vec<crate::domain::checks::Warning> {
    fw.criterion(code)
        .map(|c| {
            let previous = before.values.get(code).map(|v| v.value.as_str());
            crate::domain::checks::warnings(c, q, value, previous)
        })
        .unwrap_or_default()
}

/// The reason posted for a value that sets off a check (trimmed; `None` when none is given or
/// the value sets off nothing, so a reason never outlives its warning).
fn reason_for(
    fw: &Framework,
    q: Quarter,
    code: &str,
    value: &str,
    before: &QuarterRows,
    get: &dyn Fn(&str) -> Option<String>,
) -> Option<String> {
    if warnings_of(fw, q, code, value, before).is_empty() {
        return None;
    }
    get(&submission::reason_field(code))
        .map(|r| r.trim().to_string())
        .filter(|r| !r.is_empty())
}

/// For every answer that differs from what is stored now: the message that shows both.
fn conflicts(fw: &Framework, answers: &[Answered], rows: &QuarterRows) -> Vec<(String, String)> {
    answers
        .iter()
        .filter_map(|a| {
            let now = rows
                .drafts
                .get(&a.code)
                .map(|d| (d.value.clone(), "a draft", d.by.clone(), d.at.clone()))
                .or_else(|| {
                    rows.values
                        .get(&a.code)
                        .map(|v| (v.value.clone(), "submitted", v.by.clone(), v.at.clone()))
                });
            let yours = a.value.clone();
            let differs = match (&now, &yours) {
                (Some(n), Some(y)) => &n.0 != y,
                (Some(_), None) => true,
                _ => false,
            };
            differs.then(|| {
                let (value, what, who, at) = now.expect("differs only when stored");
                let title = title_of(fw, &a.code);
                let field = match fw.criterion(&a.code).map(|c| &c.kind) {
                    Some(Kind::Date(_)) if !value.is_empty() => submission::date_field(&a.code),
                    _ => submission::value_field(&a.code),
                };
                (
                    field,
                    format!(
                        "{title} changed since you opened the form: it is now {} ({what}, by {who} at {}); yours is {}. Save again to replace it with yours, or change yours",
                        quote(&shown(fw, &a.code, &value)),
                        crate::domain::format::at_time(&at),
                        yours.map(|y| quote(&shown(fw, &a.code, &y))).unwrap_or_else(|| "empty".into()),
                    ),
                )
            })
        })
        .collect()
}

fn quote(s: &str) -> String {
    format!("\u{201c}{s}\u{201d}")
}

// ---------------------------------------------------------------------------------------
// Downloads of an economy's own data

/// Every value (submitted and draft) with its evidence, as CSV.
pub async fn values_csv(pool: &Pool, slug: &Slug) -> sqlx::Result<Option<String>> {
    use crate::domain::scoring::safe_csv_cell as cell;
    let Some(economy) = db::economy_by_slug(pool, slug).await? else {
        return Ok(None);
    };
    let values = db::economy_values(pool, economy.id).await?;
    let drafts = db::economy_drafts(pool, economy.id).await?;
    let evidence: HashMap<(String, String), db::EvidenceRow> =
        db::economy_evidence(pool, economy.id)
            .await?
            .into_iter()
            .map(|(p, c, e)| ((p, c), e))
            .collect();
    let mut rows: Vec<[String; 8]> = Vec::new();
    for (p, c, v) in values {
        rows.push([
            p,
            c,
            v.value,
            v.status,
            v.at,
            v.by,
            String::new(),
            String::new(),
        ]);
    }
    for (p, c, d) in drafts {
        rows.push([
            p,
            c,
            d.value,
            "draft".into(),
            d.at,
            d.by,
            String::new(),
            String::new(),
        ]);
    }
    rows.sort_by(|a, b| (&a[0], &a[1], &a[3]).cmp(&(&b[0], &b[1], &b[3])));
    let mut out = String::from(
        "economy,period,criterion,value,status,updated_at,updated_by,evidence_link,evidence_document\n",
    );
    for mut r in rows {
        if let Some(e) = evidence.get(&(r[0].clone(), r[1].clone())) {
            r[6] = e.link.clone().unwrap_or_default();
            r[7] = e.file_name.clone().unwrap_or_default();
        }
        let cells: Vec<String> = std::iter::once(slug.to_string())
            .chain(r)
            .map(|c| cell(&c))
            .collect();
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    Ok(Some(out))
}

/// Every change to the economy's values, oldest first, as CSV.
pub async fn history_csv(pool: &Pool, slug: &Slug) -> sqlx::Result<Option<String>> {
    use crate::domain::scoring::safe_csv_cell as cell;
    let Some(economy) = db::economy_by_slug(pool, slug).await? else {
        return Ok(None);
    };
    let mut out = String::from(
        "economy,period,criterion,old_value,old_status,new_value,new_status,changed_at,changed_by,late\n",
    );
    for h in db::value_history(pool, economy.id).await? {
        let cells = [
            slug.to_string(),
            h.period,
            h.code,
            h.old_value.unwrap_or_default(),
            h.old_status.unwrap_or_default(),
            h.new_value,
            h.new_status,
            h.changed_at,
            h.changed_by,
            h.late.to_string(),
        ];
        let cells: Vec<String> = cells.iter().map(|c| cell(c)).collect();
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    Ok(Some(out))
}

// ---------------------------------------------------------------------------------------
// Reminders

/// Sends each candidate economy's submitters a reminder when a quarter's values are due and
/// not every criterion of that quarter is submitted: a week before the deadline, and on the
/// day. Each once per economy and quarter (the outbox is checked), so it can run as often as
/// wanted; each person's preferences decide whether it goes now, in their weekly summary or
/// not at all. Returns how many were queued.
pub async fn send_deadline_reminders(
    pool: &Pool,
    mailer: &crate::mail::Mailer,
    today: NaiveDate,
) -> sqlx::Result<usize> {
    let fw = match crate::service::active_framework(pool).await {
        Ok(f) => f.framework,
        Err(crate::service::ServiceError::Db(e)) => return Err(e),
        Err(_) => return Ok(0),
    };
    let q = Quarter::containing(today).prev();
    let due = deadline_for(pool, &fw, q).await?;
    let subject = match (due - today).num_days() {
        0 => format!("{} values are due today", q.label()),
        1..=7 => format!(
            "{} values are due on {}",
            q.label(),
            crate::domain::types::long_date(due)
        ),
        _ => return Ok(0),
    };
    let mut sent = 0;
    for economy in db::candidates(pool).await? {
        let existing = db::outbox_for_economy(pool, economy.id, 50).await?;
        if existing.iter().any(|m| m.subject == subject) {
            continue;
        }
        let rows = quarter_rows(pool, economy.id, q).await?;
        let missing = fw
            .criteria
            .iter()
            .filter(|c| !rows.values.contains_key(&c.code))
            .count();
        if missing == 0 {
            continue;
        }
        let users = db::economy_users(pool, &economy.slug).await?;
        let body = format!(
            "{missing} of {} criteria have no submitted value for {}. Values are due on {}; changes after that are marked late.\n\nSubmit them on Exemplar: {}",
            fw.criteria.len(),
            q.label(),
            crate::domain::types::long_date(due),
            mailer.link(&format!("/my-economy/periods/{q}"))
        );
        let mut tx = db::begin(pool).await?;
        for u in users.iter().filter(|u| !u.disabled) {
            db::insert_optional(
                &mut tx,
                &u.email,
                &subject,
                &body,
                Some(economy.id),
                crate::domain::mail::Category::Reminder,
            )
            .await?;
            sent += 1;
        }
        tx.commit().await?;
    }
    Ok(sent)
}

// ---------------------------------------------------------------------------------------
// Member organisations

/// Adds a member organisation to `slug`'s economy; its name.
pub async fn add_organisation(
    pool: &Pool,
    slug: &Slug,
    by: &str,
    name: &str,
    ods_code: &str,
    today: NaiveDate,
) -> Result<String, SubmitError> {
    let code = ods_code.trim().to_uppercase();
    let codes: Vec<String> = (!code.is_empty())
        .then(|| code.clone())
        .into_iter()
        .collect();
    let service = |e: crate::service::ServiceError| match e {
        crate::service::ServiceError::Db(e) => SubmitError::Db(e),
        other => SubmitError::Refused(other.to_string()),
    };
    let known = crate::organisations::known(pool, &codes)
        .await
        .map_err(service)?;
    let o = crate::domain::nomination::parse_organisation(name, ods_code, &known, today).map_err(
        |errors| SubmitError::Invalid {
            errors,
            kept: Vec::new(),
        },
    )?;
    let also = crate::organisations::overlaps(pool, &codes, Some(slug.as_str()))
        .await
        .map_err(service)?;
    let economy = db::economy_by_slug(pool, slug)
        .await?
        .ok_or_else(|| SubmitError::Refused(format!("there is no economy {slug}")))?;
    let mut tx = db::begin(pool).await?;
    // Under the economy's write lock: a colleague's add of the same organisation, from a page
    // drawn before it, is shown the one already there instead of a second copy.
    db::lock_economy(&mut tx, economy.id).await?;
    if let Some(there) =
        db::same_organisation(&mut tx, economy.id, &o.name, o.ods_code.as_deref()).await?
    {
        tx.rollback().await?;
        let field = if there.name.to_lowercase() == o.name.to_lowercase() {
            "name"
        } else {
            "ods_code"
        };
        return Err(SubmitError::Conflict {
            errors: vec![(
                field.into(),
                format!(
                    "{}{} is already one of your member organisations; you gave {}{}. Check the list, then add another",
                    there.name,
                    there.ods_code.map(|c| format!(" ({c})")).unwrap_or_default(),
                    o.name,
                    o.ods_code.as_ref().map(|c| format!(" ({c})")).unwrap_or_default(),
                ),
            )],
            kept: Vec::new(),
            version: String::new(),
        });
    }
    db::add_organisation(&mut tx, economy.id, &o).await?;
    db::audit_append(
        &mut tx,
        &AuditEntry::new(
            by,
            "organisation",
            format!(
                "added member organisation {}{} ({}){}",
                o.name,
                o.ods_code
                    .as_ref()
                    .map(|c| format!(" {c}"))
                    .unwrap_or_default(),
                o.kind,
                also.first()
                    .map(|a| format!("; also in {}", a.economies.join(", ")))
                    .unwrap_or_default()
            ),
        )
        .economy(Some(slug)),
    )
    .await?;
    tx.commit().await?;
    Ok(format!(
        "{}{}{}",
        o.name,
        o.ods_code
            .as_ref()
            .map(|c| format!(" ({c})"))
            .unwrap_or_default(),
        also.first()
            .map(|a| format!(". It is also a member of {}", a.economies.join(" and ")))
            .unwrap_or_default()
    ))
}

/// Removes a member organisation of `slug`'s economy (never another economy's); its name.
pub async fn remove_organisation(
    pool: &Pool,
    slug: &Slug,
    by: &str,
    id: i64,
) -> Result<String, SubmitError> {
    let economy = db::economy_by_slug(pool, slug)
        .await?
        .ok_or_else(|| SubmitError::Refused(format!("there is no economy {slug}")))?;
    let mut tx = db::begin(pool).await?;
    let Some(name) = db::remove_organisation(&mut tx, economy.id, id).await? else {
        return Err(SubmitError::Refused(
            "that organisation is not one of your economy's".into(),
        ));
    };
    db::audit_append(
        &mut tx,
        &AuditEntry::new(
            by,
            "organisation",
            format!("removed member organisation {name}"),
        )
        .economy(Some(slug)),
    )
    .await?;
    tx.commit().await?;
    Ok(name)
}

/// A held upload of the economy `slug` for its preview: the economy's name, and the file's
/// bytes when `sha` names a held file. `None` for an economy that does not exist.
pub async fn held_upload(
    pool: &Pool,
    slug: &Slug,
    sha: Option<&str>,
) -> sqlx::Result<Option<(String, Option<Vec<u8>>)>> {
    let Some(economy) = db::economy_by_slug(pool, slug).await? else {
        return Ok(None);
    };
    let bytes = match sha {
        Some(sha) => db::get_file(pool, sha).await?.map(|(_, b)| b),
        None => None,
    };
    Ok(Some((economy.name, bytes)))
}

/// The economy `slug`'s member organisations with their ids, and its name; `None` for an
/// economy that does not exist.
pub async fn organisations_of(
    pool: &Pool,
    slug: &Slug,
) -> sqlx::Result<Option<(String, Vec<(i64, crate::domain::nomination::Organisation)>)>> {
    let Some(economy) = db::economy_by_slug(pool, slug).await? else {
        return Ok(None);
    };
    let rows = db::organisation_rows(pool, economy.id).await?;
    Ok(Some((economy.name, rows)))
}

/// What a quarter's page reads of the economy `slug` beside its form: the economy, every
/// value it has held and every review of them; `None` for an economy that does not exist.
pub async fn economy_record(
    pool: &Pool,
    slug: &Slug,
) -> sqlx::Result<
    Option<(
        db::EconomyRow,
        Vec<crate::domain::scoring::Entry>,
        Vec<db::ReviewRow>,
    )>,
> {
    let Some(economy) = db::economy_by_slug(pool, slug).await? else {
        return Ok(None);
    };
    let entries = db::economy_entries(pool, economy.id).await?;
    let reviews = db::reviews(pool, economy.id).await?;
    Ok(Some((economy, entries, reviews)))
}

/// An evidence document of `slug`'s economy for a quarter's criterion: (file name, content
/// type, bytes), or `None` when the economy or the document does not exist. Who may have it
/// is decided before (a submitter only their own economy's, board staff any).
pub async fn evidence_document(
    pool: &Pool,
    slug: &Slug,
    period: &str,
    code: &str,
) -> sqlx::Result<Option<(String, String, Vec<u8>)>> {
    let Some(e) = db::economy_by_slug(pool, slug).await? else {
        return Ok(None);
    };
    db::evidence_document(pool, e.id, period, code).await
}
