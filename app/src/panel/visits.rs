//! Site visits of the selection panel: an admin schedules a visit to a candidate of the open
//! round (the day, the members who go, what they will look at) and, from the day of the
//! visit, records what it found for each panel question and in each document checked.
//! Members see the visit on their score sheet, and cannot submit the sheet of a visited
//! candidate before its findings are recorded.

use super::{invalid, no_panel, Errors, Facts};
use crate::audit::Entry;
use crate::db::{self, Pool, Tx};
use crate::domain::account::{CurrentUser, Role};
use crate::domain::panel::{self, view};
use crate::domain::types::date_from_parts;
use crate::domain::types::long_date;
use crate::domain::Slug;
use crate::error::Rejection;
use chrono::NaiveDate;

type Outcome = std::result::Result<String, Rejection>;

/// What an admin sends to schedule or move a visit.
pub struct VisitForm {
    pub day: String,
    pub month: String,
    pub year: String,
    /// Emails of the members who go.
    pub members: Vec<String>,
    pub scope: String,
}

/// What an admin sends after the visit.
pub struct FindingsForm {
    /// (question code, finding).
    pub findings: Vec<(String, String)>,
    /// One document a line: the document, a colon, what the visit found.
    pub documents: String,
}

fn admin_only(by: &CurrentUser) -> Result<(), Rejection> {
    if by.role == Role::Admin {
        Ok(())
    } else {
        Err(Rejection::Refused(
            "only an admin arranges site visits".into(),
        ))
    }
}

/// The facts, with `slug` checked to be a candidate of the round the admin `by` may see.
async fn candidate(
    pool: &Pool,
    by: &CurrentUser,
    slug: &Slug,
) -> Result<Option<(Facts, String)>, Rejection> {
    let Some(f) = Facts::load(pool).await? else {
        return Err(no_panel());
    };
    let me = by.email.to_lowercase();
    if f.conflicts.contains(&(me, slug.to_string())) {
        return Ok(None);
    }
    let name = f
        .candidates
        .iter()
        .find(|(s, _)| s == slug)
        .map(|(_, n)| n.clone());
    Ok(name.map(|n| (f, n)))
}

/// `/admin/panel/{slug}`; `None` when the economy is not a candidate of the round or the
/// viewer has a conflict in force with it.
pub async fn page(
    pool: &Pool,
    viewer: &CurrentUser,
    slug: &Slug,
    today: NaiveDate,
) -> Result<Option<view::VisitPage>, Rejection> {
    admin_only(viewer)?;
    let Some((f, name)) = candidate(pool, viewer, slug).await? else {
        return Ok(None);
    };
    let members = f
        .member_list
        .iter()
        .map(|(m, _)| m.clone())
        .filter(|m| !f.conflicts.contains(&(m.clone(), slug.to_string())))
        .collect();
    Ok(Some(view::VisitPage {
        visit: store::visit(pool, &f.code, slug).await?,
        round_open: f.open(),
        panel: f.panel,
        economy: slug.to_string(),
        name,
        members,
        today: today.to_string(),
    }))
}

/// Schedules the visit to `slug`, or moves it while its findings are not yet recorded.
pub async fn schedule(
    pool: &Pool,
    by: &CurrentUser,
    slug: &Slug,
    form: &VisitForm,
    today: NaiveDate,
) -> Outcome {
    admin_only(by)?;
    let Some((f, name)) = candidate(pool, by, slug).await? else {
        return Err(Rejection::Refused("not a candidate of the round".into()));
    };
    if !f.open() {
        return Err(Rejection::Refused(
            "visits are arranged only while the round is open".into(),
        ));
    }
    let before = store::visit(pool, &f.code, slug).await?;
    if before.as_ref().is_some_and(view::Visit::reported) {
        return Err(Rejection::Refused(
            "the visit's findings are recorded, so it can no longer move".into(),
        ));
    }
    let mut errors: Errors = Vec::new();
    let on = match date_from_parts(&form.day, &form.month, &form.year) {
        Ok(d) if d < today => {
            errors.push((
                "visit-day".into(),
                format!(
                    "The date of the visit must be today or later (today is {})",
                    long_date(today)
                ),
            ));
            None
        }
        Ok(d) => Some(d),
        Err(m) => {
            errors.push(("visit-day".into(), m));
            None
        }
    };
    let may_go: Vec<&String> = f
        .member_list
        .iter()
        .map(|(m, _)| m)
        .filter(|m| !f.conflicts.contains(&((*m).clone(), slug.to_string())))
        .collect();
    let going: Vec<String> = form
        .members
        .iter()
        .map(|m| m.trim().to_lowercase())
        .filter(|m| !m.is_empty())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    if going.is_empty() {
        errors.push((
            "visit-members".into(),
            "Choose the members who go on the visit".into(),
        ));
    } else if let Some(m) = going.iter().find(|m| !may_go.contains(m)) {
        errors.push((
            "visit-members".into(),
            format!("{m} cannot go: only members of the round without a conflict with {name} can"),
        ));
    }
    let scope = form.scope.trim();
    if scope.is_empty() {
        errors.push(("scope".into(), "Say what the visit will look at".into()));
    } else if scope.chars().count() > 2000 {
        errors.push((
            "scope".into(),
            "What the visit will look at must be 2,000 characters or fewer".into(),
        ));
    }
    if !errors.is_empty() {
        return Err(Rejection::Invalid(errors));
    }
    let on = on.expect("checked");
    let economy_id = db::economy_ids(pool).await?[slug.as_str()];
    let mut tx = db::begin(pool).await?;
    store::schedule(&mut tx, &f.code, economy_id, on, scope, &going, &by.email).await?;
    let summary = format!(
        "{} a site visit to {name} on {} with {}: {scope}",
        if before.is_some() {
            "moved"
        } else {
            "scheduled"
        },
        long_date(on),
        going.join(", ")
    );
    let mut entry = Entry::new(&by.email, "panel", summary).economy(Some(slug));
    if let Some(b) = &before {
        entry = entry.before(serde_json::to_string(b).expect("a visit serialises"));
    }
    db::audit_append(&mut tx, &entry).await?;
    tx.commit().await?;
    Ok(format!(
        "The visit to {name} is {} for {}.",
        if before.is_some() {
            "moved"
        } else {
            "scheduled"
        },
        long_date(on)
    ))
}

/// Records (or corrects, while the round is open) what the visit to `slug` found.
pub async fn record_findings(
    pool: &Pool,
    by: &CurrentUser,
    slug: &Slug,
    form: &FindingsForm,
    today: NaiveDate,
) -> Outcome {
    admin_only(by)?;
    let Some((f, name)) = candidate(pool, by, slug).await? else {
        return Err(Rejection::Refused("not a candidate of the round".into()));
    };
    if !f.open() {
        return Err(Rejection::Refused(
            "findings are recorded only while the round is open".into(),
        ));
    }
    let Some(before) = store::visit(pool, &f.code, slug).await? else {
        return Err(Rejection::Refused(format!(
            "no visit to {name} is scheduled"
        )));
    };
    let on = NaiveDate::parse_from_str(&before.on, "%Y-%m-%d").expect("stored dates parse");
    if today < on {
        return Err(invalid(
            "findings",
            format!(
                "The visit is on {}: record its findings on that day or later",
                long_date(on)
            ),
        ));
    }
    let mut errors: Errors = Vec::new();
    let mut findings = Vec::new();
    for q in &f.panel.questions {
        let text = form
            .findings
            .iter()
            .find(|(c, _)| *c == q.code)
            .map(|(_, t)| t.trim().to_string())
            .unwrap_or_default();
        let field = format!("finding-{}", q.code);
        if text.is_empty() {
            errors.push((
                field,
                format!(
                    "Say what the visit found for {} (or that it did not look at it)",
                    q.title
                ),
            ));
        } else if text.chars().count() > 4000 {
            errors.push((
                field,
                format!(
                    "The finding for {} must be 4,000 characters or fewer",
                    q.title
                ),
            ));
        } else {
            findings.push((q.code.clone(), text));
        }
    }
    let documents = match panel::parse_documents(&form.documents) {
        Ok(d) => d,
        Err(problems) => {
            errors.extend(problems.into_iter().map(|p| ("documents".to_string(), p)));
            Vec::new()
        }
    };
    if !errors.is_empty() {
        return Err(Rejection::Invalid(errors));
    }
    let mut tx = db::begin(pool).await?;
    store::report(&mut tx, &f.code, slug, &findings, &documents, &by.email).await?;
    let after = store::visit_in(&mut tx, &f.code, slug)
        .await?
        .expect("the visit just reported");
    let mut entry = Entry::new(
        &by.email,
        "panel",
        format!(
            "{} the findings of the site visit to {name} of {} ({} documents checked)",
            if before.reported() {
                "corrected"
            } else {
                "recorded"
            },
            long_date(on),
            documents.len()
        ),
    )
    .economy(Some(slug))
    .after(serde_json::to_string(&after).expect("a visit serialises"));
    if before.reported() {
        entry = entry.before(serde_json::to_string(&before).expect("a visit serialises"));
    }
    db::audit_append(&mut tx, &entry).await?;
    tx.commit().await?;
    Ok(format!(
        "The findings of the visit to {name} are recorded. Members see them on their score sheets."
    ))
}

/// The visit to `slug` in framework `code`, for the score sheet.
pub async fn of(pool: &Pool, code: &str, slug: &Slug) -> sqlx::Result<Option<view::Visit>> {
    store::visit(pool, code, slug).await
}

/// Every visit of the framework's round.
pub async fn all(pool: &Pool, code: &str) -> sqlx::Result<Vec<view::Visit>> {
    store::visits(pool, code).await
}

/// The visits' SQL (`$n` placeholders for both backends).
mod store {
    use super::*;
    use sqlx::FromRow;

    #[derive(FromRow)]
    struct VisitRow {
        id: i64,
        slug: String,
        name: String,
        visit_on: String,
        scope: String,
        scheduled_at: String,
        scheduled_by: String,
        reported_at: Option<String>,
        reported_by: Option<String>,
    }

    #[derive(FromRow)]
    struct Member {
        visit_id: i64,
        email: String,
    }

    #[derive(FromRow)]
    struct Finding {
        visit_id: i64,
        question: String,
        finding: String,
    }

    #[derive(FromRow)]
    struct Document {
        visit_id: i64,
        document: String,
        finding: String,
    }

    const VISITS: &str = "SELECT v.id, e.slug, e.name, v.visit_on, v.scope, v.scheduled_at,
                v.scheduled_by, v.reported_at, v.reported_by
         FROM panel_visits v JOIN economies e ON e.id = v.economy_id
         WHERE v.framework = $1 AND ($2 = '' OR e.slug = $2) ORDER BY v.visit_on, e.name";

    async fn load(
        ex: &mut sqlx::AnyConnection,
        code: &str,
        slug: Option<&Slug>,
    ) -> sqlx::Result<Vec<view::Visit>> {
        let rows: Vec<VisitRow> = sqlx::query_as(VISITS)
            .bind(code)
            .bind(slug.map_or("", |s| s.as_str()))
            .fetch_all(&mut *ex)
            .await?;
        let members: Vec<Member> = sqlx::query_as(
            "SELECT m.visit_id, u.email FROM panel_visit_members m
             JOIN panel_visits v ON v.id = m.visit_id JOIN users u ON u.id = m.user_id
             WHERE v.framework = $1 ORDER BY u.email",
        )
        .bind(code)
        .fetch_all(&mut *ex)
        .await?;
        let findings: Vec<Finding> = sqlx::query_as(
            "SELECT f.visit_id, f.question, f.finding FROM panel_visit_findings f
             JOIN panel_visits v ON v.id = f.visit_id WHERE v.framework = $1",
        )
        .bind(code)
        .fetch_all(&mut *ex)
        .await?;
        let documents: Vec<Document> = sqlx::query_as(
            "SELECT d.visit_id, d.document, d.finding FROM panel_visit_documents d
             JOIN panel_visits v ON v.id = d.visit_id WHERE v.framework = $1
             ORDER BY d.visit_id, d.position",
        )
        .bind(code)
        .fetch_all(&mut *ex)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| view::Visit {
                members: members
                    .iter()
                    .filter(|m| m.visit_id == r.id)
                    .map(|m| m.email.to_lowercase())
                    .collect(),
                findings: findings
                    .iter()
                    .filter(|f| f.visit_id == r.id)
                    .map(|f| (f.question.clone(), f.finding.clone()))
                    .collect(),
                documents: documents
                    .iter()
                    .filter(|d| d.visit_id == r.id)
                    .map(|d| (d.document.clone(), d.finding.clone()))
                    .collect(),
                economy: r.slug,
                name: r.name,
                on: r.visit_on,
                scope: r.scope,
                scheduled_at: r.scheduled_at,
                scheduled_by: r.scheduled_by,
                reported_at: r.reported_at,
                reported_by: r.reported_by,
            })
            .collect())
    }

    pub async fn visits(pool: &Pool, code: &str) -> sqlx::Result<Vec<view::Visit>> {
        load(&mut *pool.acquire().await?, code, None).await
    }

    pub async fn visit(pool: &Pool, code: &str, slug: &Slug) -> sqlx::Result<Option<view::Visit>> {
        Ok(load(&mut *pool.acquire().await?, code, Some(slug))
            .await?
            .into_iter()
            .next())
    }

    pub async fn visit_in(
        tx: &mut Tx<'_>,
        code: &str,
        slug: &Slug,
    ) -> sqlx::Result<Option<view::Visit>> {
        Ok(load(tx, code, Some(slug)).await?.into_iter().next())
    }

    /// Inserts the visit, or moves it: its day, scope and members replaced.
    pub async fn schedule(
        tx: &mut Tx<'_>,
        code: &str,
        economy_id: i64,
        on: NaiveDate,
        scope: &str,
        members: &[String],
        by: &str,
    ) -> sqlx::Result<()> {
        let existing: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM panel_visits WHERE framework = $1 AND economy_id = $2",
        )
        .bind(code)
        .bind(economy_id)
        .fetch_optional(&mut **tx)
        .await?;
        let id = match existing {
            Some(id) => {
                sqlx::query(
                    "UPDATE panel_visits SET visit_on = $1, scope = $2, scheduled_at = $3,
                     scheduled_by = $4 WHERE id = $5",
                )
                .bind(on.to_string())
                .bind(scope)
                .bind(db::now())
                .bind(by)
                .bind(id)
                .execute(&mut **tx)
                .await?;
                sqlx::query("DELETE FROM panel_visit_members WHERE visit_id = $1")
                    .bind(id)
                    .execute(&mut **tx)
                    .await?;
                id
            }
            None => {
                sqlx::query_scalar(
                    "INSERT INTO panel_visits (framework, economy_id, visit_on, scope,
                     scheduled_at, scheduled_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                )
                .bind(code)
                .bind(economy_id)
                .bind(on.to_string())
                .bind(scope)
                .bind(db::now())
                .bind(by)
                .fetch_one(&mut **tx)
                .await?
            }
        };
        for email in members {
            sqlx::query(
                "INSERT INTO panel_visit_members (visit_id, user_id)
                 SELECT $1, id FROM users WHERE lower(email) = $2",
            )
            .bind(id)
            .bind(email)
            .execute(&mut **tx)
            .await?;
        }
        Ok(())
    }

    /// Replaces the visit's findings and documents and marks it reported.
    pub async fn report(
        tx: &mut Tx<'_>,
        code: &str,
        slug: &Slug,
        findings: &[(String, String)],
        documents: &[(String, String)],
        by: &str,
    ) -> sqlx::Result<()> {
        let id: i64 = sqlx::query_scalar(
            "SELECT v.id FROM panel_visits v JOIN economies e ON e.id = v.economy_id
             WHERE v.framework = $1 AND e.slug = $2",
        )
        .bind(code)
        .bind(slug)
        .fetch_one(&mut **tx)
        .await?;
        for table in ["panel_visit_findings", "panel_visit_documents"] {
            sqlx::query(&format!("DELETE FROM {table} WHERE visit_id = $1"))
                .bind(id)
                .execute(&mut **tx)
                .await?;
        }
        for (question, finding) in findings {
            sqlx::query(
                "INSERT INTO panel_visit_findings (visit_id, question, finding) VALUES ($1, $2, $3)",
            )
            .bind(id)
            .bind(question)
            .bind(finding)
            .execute(&mut **tx)
            .await?;
        }
        for (i, (document, finding)) in documents.iter().enumerate() {
            sqlx::query(
                "INSERT INTO panel_visit_documents (visit_id, position, document, finding)
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(id)
            .bind(i as i64 + 1)
            .bind(document)
            .bind(finding)
            .execute(&mut **tx)
            .await?;
        }
        sqlx::query("UPDATE panel_visits SET reported_at = $1, reported_by = $2 WHERE id = $3")
            .bind(db::now())
            .bind(by)
            .bind(id)
            .execute(&mut **tx)
            .await?;
        Ok(())
    }
}
