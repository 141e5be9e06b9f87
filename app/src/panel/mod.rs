//! The selection panel (spec/panel.md) as one slice: its services and, below them, its SQL.
//! The arithmetic is pure and lives in `domain::panel`; this module loads what it needs,
//! checks files against what exists, and stores in one transaction with its audit entry.

use crate::audit::Entry;
use crate::db::{self, Pool};
use crate::domain::panel::{self, Accounts, Panel, Results, Score};
use crate::domain::Slug;
use crate::service::{self, Result, ServiceError};
use std::collections::HashSet;

/// The active framework's code and panel; a refusal when it has none.
pub async fn active_panel(pool: &Pool) -> Result<(String, Panel)> {
    let fw = service::active_framework(pool).await?.framework;
    match fw.panel {
        Some(p) => Ok((fw.code, p)),
        None => Err(ServiceError::Refusal(format!(
            "the active framework {} has no selection panel (add a [panel] section to the framework file and load it)",
            fw.code
        ))),
    }
}

/// The panel's results over the active framework's submitted scores (section 5).
pub async fn results(pool: &Pool) -> Result<(Panel, Results)> {
    let (code, panel) = active_panel(pool).await?;
    Ok(results_of(pool, code, panel).await?)
}

async fn results_of(pool: &Pool, code: String, panel: Panel) -> sqlx::Result<(Panel, Results)> {
    let scores = store::scores(pool, &code).await?;
    let conflicts = store::conflicts_in_force(pool).await?;
    let results = panel::results(&code, &panel, &scores, &conflicts);
    Ok((panel, results))
}

/// The panel's results for one economy as a decision keeps them: the round's framework,
/// rank, panel score, members, agreement and each question's mean (never a member's own
/// scores). `None` without a panel or without a counted score for it.
pub async fn decision_record(pool: &Pool, slug: &Slug) -> Result<Option<serde_json::Value>> {
    let fw = service::active_framework(pool).await?.framework;
    let Some(p) = fw.panel else {
        return Ok(None);
    };
    let (_, r) = results_of(pool, fw.code, p).await?;
    Ok(r.candidates.iter().find(|c| c.economy == slug).map(|c| {
        serde_json::json!({
            "framework": r.framework,
            "rank": c.rank,
            "status": c.status,
            "panel_score": c.panel_score,
            "members": c.members,
            "alpha": r.alpha,
            "questions": c.questions.iter().map(|q| serde_json::json!({"question": q.question, "mean": q.mean})).collect::<Vec<_>>(),
        })
    }))
}

/// The sentence a public decision shows about the panel it was based on, from the record
/// the decision keeps.
pub fn public_summary(record: &serde_json::Value) -> Option<String> {
    let p = record.get("panel")?;
    let score = p["panel_score"].as_f64()?;
    let members = p["members"].as_u64().unwrap_or(0);
    let alpha = p["alpha"].as_f64();
    Some(format!(
        "Selection panel score {score:.1} out of 100, from {members} members who scored every question. {}",
        match alpha {
            Some(a) => format!(
                "The panel's agreement (Krippendorff's alpha) was {a:.2}: {}.",
                panel::agreement(alpha)
            ),
            None => "The panel's agreement could not be measured.".to_string(),
        }
    ))
}

/// What an import stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Imported {
    pub new: u64,
    pub changed: u64,
    pub unchanged: u64,
}

async fn accounts(pool: &Pool) -> Result<Accounts> {
    Ok(db::list_users(pool)
        .await?
        .into_iter()
        .map(|u| {
            (
                u.email.to_lowercase(),
                u.role == "assessor" || u.role == "admin",
            )
        })
        .collect())
}

/// Imports declared conflicts (section 6): whole file or nothing. A conflict already in
/// force is left as it is.
pub async fn import_conflicts(
    pool: &Pool,
    bytes: &[u8],
    source: &str,
    by: &str,
) -> Result<Imported> {
    let ids = db::economy_ids(pool).await?;
    let economies: HashSet<String> = ids.keys().cloned().collect();
    let rows = panel::parse_conflicts(bytes, &accounts(pool).await?, &economies)
        .map_err(ServiceError::Refused)?;
    let sha = crate::audit::sha256_hex(bytes);
    let mut tx = db::begin(pool).await?;
    let mut r = Imported::default();
    for row in &rows {
        if store::declare_conflict(&mut tx, &row.member, ids[&row.economy], &row.reason, by).await?
        {
            r.new += 1;
        } else {
            r.unchanged += 1;
        }
    }
    db::audit_append(
        &mut tx,
        &Entry::new(
            by,
            "panel",
            format!(
                "imported panel conflicts from {source} (SHA-256 {sha}): {} declared, {} already in force",
                r.new, r.unchanged
            ),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(r)
}

/// Imports submitted scores (section 6): whole file or nothing; a later import replaces the
/// member's scores for the pairs it names, and every replaced submitted score is kept as a
/// change.
pub async fn import_scores(pool: &Pool, bytes: &[u8], source: &str, by: &str) -> Result<Imported> {
    let (code, panel) = active_panel(pool).await.map_err(|e| match e {
        ServiceError::Refusal(m) => {
            ServiceError::Refused(vec![crate::domain::Problem::at_line(1, "file", m)])
        }
        other => other,
    })?;
    let ids = db::economy_ids(pool).await?;
    let economies: HashSet<String> = ids.keys().cloned().collect();
    let conflicts = store::conflicts_in_force(pool).await?;
    let rows = panel::parse_scores(
        bytes,
        &panel,
        &accounts(pool).await?,
        &economies,
        &conflicts,
    )
    .map_err(ServiceError::Refused)?;
    let sha = crate::audit::sha256_hex(bytes);
    let reason = format!("replaced by the import of {source}");
    let mut tx = db::begin(pool).await?;
    let mut r = Imported::default();
    for row in &rows {
        let stored = store::submit_score(
            &mut tx,
            &code,
            &row.member,
            ids[&row.economy],
            &row.question,
            row.score,
            &row.comment,
            &reason,
            by,
        )
        .await?;
        match stored {
            Stored::New => r.new += 1,
            Stored::Changed => r.changed += 1,
            Stored::Unchanged => r.unchanged += 1,
        }
    }
    db::audit_append(
        &mut tx,
        &Entry::new(
            by,
            "panel",
            format!(
                "imported submitted panel scores for {code} from {source} (SHA-256 {sha}): {} new, {} replaced, {} unchanged",
                r.new, r.changed, r.unchanged
            ),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(r)
}

// ---------------------------------------------------------------------------------------
// Rounds, members and sheets: what the pages do.

use crate::domain::account::{CurrentUser, Role};
use crate::domain::panel::view;
use crate::error::Rejection;

type Errors = Vec<(String, String)>;

fn invalid(field: &str, message: impl Into<String>) -> Rejection {
    Rejection::Invalid(vec![(field.to_string(), message.into())])
}

/// Whether `viewer` may see every member's scores for `economy` (section 3's blind rule):
/// never with a conflict in force; a member of the panel (on the round, or with any score)
/// only once their sheet for it is submitted; an admin then; another assessor once the
/// round has closed.
fn may_see(viewer: &CurrentUser, economy: &str, facts: &Facts) -> bool {
    let me = viewer.email.to_lowercase();
    if facts.conflicts.contains(&(me.clone(), economy.to_string())) {
        return false;
    }
    let member = facts.members.contains(&me) || facts.scores.iter().any(|s| s.member == me);
    if member {
        return facts.submitted_all(&me, economy);
    }
    viewer.role == Role::Admin || facts.round.as_ref().is_some_and(|r| !r.open())
}

/// Everything the panel's pages read for the active framework.
struct Facts {
    code: String,
    panel: Panel,
    round: Option<view::Round>,
    /// Members of the round (emails, lower case) with when they confirmed the declaration.
    member_list: Vec<(String, Option<String>)>,
    members: HashSet<String>,
    candidates: Vec<(String, String)>,
    scores: Vec<store::ScoreRow>,
    conflicts: HashSet<(String, String)>,
}

impl Facts {
    async fn load(pool: &Pool) -> Result<Option<Facts>> {
        let fw = service::active_framework(pool).await?.framework;
        let Some(panel) = fw.panel else {
            return Ok(None);
        };
        let round = store::round(pool, &fw.code).await?;
        let member_list = store::members(pool, &fw.code).await?;
        Ok(Some(Facts {
            members: member_list.iter().map(|(m, _)| m.clone()).collect(),
            member_list,
            candidates: store::round_candidates(pool, &fw.code).await?,
            scores: store::score_rows(pool, &fw.code).await?,
            conflicts: store::conflicts_in_force(pool).await?,
            code: fw.code,
            panel,
            round,
        }))
    }

    fn domain_scores(&self) -> Vec<Score> {
        self.scores.iter().map(|s| s.score()).collect()
    }

    fn submitted_all(&self, member: &str, economy: &str) -> bool {
        self.panel.questions.iter().all(|q| {
            self.scores.iter().any(|s| {
                s.member == member && s.economy == economy && s.question == q.code && s.submitted
            })
        })
    }

    fn open(&self) -> bool {
        self.round.as_ref().is_some_and(view::Round::open)
    }

    /// What stops the round closing: outliers with neither justification nor change, and
    /// members who have not confirmed the declaration of interests.
    fn blockers(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (m, declared) in &self.member_list {
            if declared.is_none() {
                out.push(format!(
                    "{m} has not confirmed the declaration of interests"
                ));
            }
        }
        let counted = panel::counted(&self.panel, &self.domain_scores(), &self.conflicts);
        for ((economy, question), members) in &counted {
            for m in panel::outliers_of(&self.panel, members) {
                let row = self
                    .scores
                    .iter()
                    .find(|s| s.member == m && &s.economy == economy && &s.question == question);
                if row.is_some_and(|r| r.justification.is_none() && !r.changed) {
                    out.push(format!(
                        "{m}'s score for {question} of {economy} is an outlier with no justification or change"
                    ));
                }
            }
        }
        out
    }
}

fn no_panel() -> Rejection {
    Rejection::Refused("the active framework has no selection panel".into())
}

/// `/assess/panel` for `user`.
pub async fn member_round(pool: &Pool, user: &CurrentUser) -> Result<view::MemberRound> {
    let economies: Vec<(String, String)> = db::candidates(pool)
        .await?
        .into_iter()
        .map(|e| (e.slug, e.name))
        .collect();
    let me = user.email.to_lowercase();
    let conflicts: Vec<view::Conflict> = store::conflict_list(pool)
        .await?
        .into_iter()
        .filter(|c| c.member == me)
        .collect();
    let Some(f) = Facts::load(pool).await? else {
        return Ok(view::MemberRound {
            panel: None,
            round: None,
            member: false,
            declared_at: None,
            conflicts,
            candidates: Vec::new(),
            economies,
        });
    };
    let declared_at = f
        .member_list
        .iter()
        .find(|(m, _)| *m == me)
        .and_then(|(_, d)| d.clone());
    let candidates = f
        .candidates
        .iter()
        .filter(|(slug, _)| !f.conflicts.contains(&(me.clone(), slug.clone())))
        .map(|(slug, name)| view::Progress {
            economy: slug.clone(),
            name: name.clone(),
            scored: f
                .scores
                .iter()
                .filter(|s| s.member == me && &s.economy == slug)
                .count() as u32,
            submitted: f.submitted_all(&me, slug),
        })
        .collect();
    Ok(view::MemberRound {
        member: f.members.contains(&me),
        panel: Some(f.panel),
        round: f.round,
        declared_at,
        conflicts,
        candidates,
        economies,
    })
}

/// `/admin/panel` for the admin `viewer`.
pub async fn admin_round(pool: &Pool, viewer: &CurrentUser) -> Result<view::AdminRound> {
    let conflicts = store::conflict_list(pool).await?;
    let users = db::list_users(pool).await?;
    let Some(f) = Facts::load(pool).await? else {
        return Ok(view::AdminRound {
            panel: None,
            round: None,
            staff: Vec::new(),
            candidates: Vec::new(),
            conflicts,
            results: None,
            hidden: Vec::new(),
            blockers: Vec::new(),
            visits: Vec::new(),
        });
    };
    let candidates = if f.round.is_some() {
        f.candidates.clone()
    } else {
        store::shortlisted(pool).await?
    };
    let staff = users
        .iter()
        .filter(|u| (u.role == "assessor" || u.role == "admin") && !u.disabled)
        .map(|u| {
            let email = u.email.to_lowercase();
            view::Staff {
                member: f.members.contains(&email),
                declared_at: f
                    .member_list
                    .iter()
                    .find(|(m, _)| *m == email)
                    .and_then(|(_, d)| d.clone()),
                submitted: candidates
                    .iter()
                    .filter(|(slug, _)| f.submitted_all(&email, slug))
                    .count() as u32,
                role: u.role.clone(),
                email,
            }
        })
        .collect();
    let mut results = panel::results(&f.code, &f.panel, &f.domain_scores(), &f.conflicts);
    let hidden: Vec<String> = results
        .candidates
        .iter()
        .map(|c| c.economy.clone())
        .filter(|e| !may_see(viewer, e, &f))
        .collect();
    if !hidden.is_empty() {
        results.candidates.retain(|c| !hidden.contains(&c.economy));
        results.alpha = None;
    }
    let me = viewer.email.to_lowercase();
    let visits = visits::all(pool, &f.code)
        .await?
        .into_iter()
        .filter(|v| !f.conflicts.contains(&(me.clone(), v.economy.clone())))
        .collect();
    Ok(view::AdminRound {
        visits,
        blockers: if f.open() { f.blockers() } else { Vec::new() },
        panel: Some(f.panel),
        round: f.round,
        staff,
        candidates,
        conflicts,
        results: Some(results),
        hidden,
    })
}

/// The results as CSV for the admin `viewer` (the candidates they may see).
pub async fn results_csv_for(pool: &Pool, viewer: &CurrentUser) -> Result<String> {
    let r = admin_round(pool, viewer).await?;
    match (r.panel, r.results) {
        (Some(p), Some(results)) => Ok(panel::results_csv(&p, &results)),
        _ => Err(ServiceError::Refusal(
            "the active framework has no selection panel".into(),
        )),
    }
}

/// Opens the round for the economies shortlisted now, with `members` (emails).
pub async fn open_round(
    pool: &Pool,
    by: &CurrentUser,
    members: &[String],
) -> std::result::Result<String, Rejection> {
    if by.role != Role::Admin {
        return Err(Rejection::Refused("only an admin opens a round".into()));
    }
    let Some(f) = Facts::load(pool).await? else {
        return Err(no_panel());
    };
    if f.open() {
        return Err(invalid("members", "The round is already open"));
    }
    if f.round.is_some() {
        return Err(Rejection::Refused(
            "the round has closed and its results are final".into(),
        ));
    }
    let staff: HashSet<String> = db::list_users(pool)
        .await?
        .into_iter()
        .filter(|u| (u.role == "assessor" || u.role == "admin") && !u.disabled)
        .map(|u| u.email.to_lowercase())
        .collect();
    let chosen: Vec<String> = members
        .iter()
        .map(|m| m.trim().to_lowercase())
        .filter(|m| staff.contains(m))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut errors: Errors = Vec::new();
    if (chosen.len() as u32) < f.panel.min_members {
        errors.push((
            "members".into(),
            format!(
                "Choose at least {} members: a candidate needs that many complete sheets",
                f.panel.min_members
            ),
        ));
    }
    let shortlisted = store::shortlisted(pool).await?;
    if shortlisted.is_empty() {
        errors.push((
            "members".into(),
            "No economy is shortlisted: record shortlist decisions first".into(),
        ));
    }
    if !errors.is_empty() {
        return Err(Rejection::Invalid(errors));
    }
    let mut tx = db::begin(pool).await?;
    store::open_round(&mut tx, &f.code, &chosen, &shortlisted, &by.email).await?;
    db::audit_append(
        &mut tx,
        &Entry::new(
            &by.email,
            "panel",
            format!(
                "opened the selection panel's round for {} with {} members ({}) to score {}",
                f.code,
                chosen.len(),
                chosen.join(", "),
                shortlisted
                    .iter()
                    .map(|(s, _)| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(format!(
        "The round is open: {} members score {} candidates.",
        chosen.len(),
        shortlisted.len()
    ))
}

/// Closes the round; refused while an outlier has neither justification nor change or a
/// member has not confirmed the declaration of interests.
pub async fn close_round(pool: &Pool, by: &CurrentUser) -> std::result::Result<String, Rejection> {
    if by.role != Role::Admin {
        return Err(Rejection::Refused("only an admin closes a round".into()));
    }
    let Some(f) = Facts::load(pool).await? else {
        return Err(no_panel());
    };
    if !f.open() {
        return Err(invalid("close", "There is no open round to close"));
    }
    let blockers = f.blockers();
    if !blockers.is_empty() {
        return Err(Rejection::Invalid(
            blockers
                .into_iter()
                .map(|b| ("close".to_string(), format!("The round cannot close: {b}")))
                .collect(),
        ));
    }
    let results = panel::results(&f.code, &f.panel, &f.domain_scores(), &f.conflicts);
    let mut tx = db::begin(pool).await?;
    store::close_round(&mut tx, &f.code, &by.email).await?;
    db::audit_append(
        &mut tx,
        &Entry::new(
            &by.email,
            "panel",
            format!("closed the selection panel's round for {}", f.code),
        )
        .after(serde_json::to_string(&results).expect("results serialise")),
    )
    .await?;
    tx.commit().await?;
    Ok("The round is closed. Its results are final.".into())
}

/// The member confirms "I have declared every conflict".
pub async fn confirm_declaration(
    pool: &Pool,
    user: &CurrentUser,
) -> std::result::Result<String, Rejection> {
    let Some(f) = Facts::load(pool).await? else {
        return Err(no_panel());
    };
    let me = user.email.to_lowercase();
    if !f.open() || !f.members.contains(&me) {
        return Err(invalid(
            "declaration",
            "You are not a member of an open round",
        ));
    }
    let mut tx = db::begin(pool).await?;
    store::confirm(&mut tx, &f.code, user.id).await?;
    db::audit_append(
        &mut tx,
        &Entry::new(
            &user.email,
            "panel",
            "confirmed the declaration of interests: every conflict is declared",
        ),
    )
    .await?;
    tx.commit().await?;
    Ok("Your declaration of interests is confirmed.".into())
}

/// A member declares a conflict with an economy.
pub async fn declare(
    pool: &Pool,
    user: &CurrentUser,
    slug: &str,
    reason: &str,
) -> std::result::Result<String, Rejection> {
    let reason = reason.trim();
    let mut errors: Errors = Vec::new();
    let economy = db::economy_by_slug(pool, slug).await?;
    if economy.is_none() {
        errors.push((
            "economy".into(),
            "Choose the economy you have a conflict with".into(),
        ));
    }
    if reason.is_empty() {
        errors.push((
            "reason".into(),
            "Say why you have a conflict of interest".into(),
        ));
    } else if reason.chars().count() > 2000 {
        errors.push((
            "reason".into(),
            "The reason must be 2,000 characters or fewer".into(),
        ));
    }
    if !errors.is_empty() {
        return Err(Rejection::Invalid(errors));
    }
    let economy = economy.expect("checked");
    let mut tx = db::begin(pool).await?;
    let new = store::declare_conflict(
        &mut tx,
        &user.email.to_lowercase(),
        economy.id,
        reason,
        &user.email,
    )
    .await?;
    if new {
        db::audit_append(
            &mut tx,
            &Entry::new(
                &user.email,
                "panel",
                format!(
                    "declared a conflict of interest with {}: {reason}",
                    economy.name
                ),
            )
            .economy(Some(slug)),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(if new {
        format!(
            "Your conflict with {} is declared. You will not see or score its panel.",
            economy.name
        )
    } else {
        format!(
            "You have already declared a conflict with {}.",
            economy.name
        )
    })
}

/// Withdraws a conflict: its member, or an admin, with a reason.
pub async fn withdraw(
    pool: &Pool,
    user: &CurrentUser,
    id: i64,
    reason: &str,
) -> std::result::Result<String, Rejection> {
    let reason = reason.trim();
    let all = store::conflict_list(pool).await?;
    let Some(c) = all.iter().find(|c| c.id == id && c.withdrawn_at.is_none()) else {
        return Err(Rejection::Refused(
            "there is no such conflict in force".into(),
        ));
    };
    if c.member != user.email.to_lowercase() && user.role != Role::Admin {
        return Err(Rejection::Refused(
            "only the member or an admin withdraws a conflict".into(),
        ));
    }
    if reason.is_empty() {
        return Err(invalid(
            &format!("withdraw-{id}"),
            "Say why the conflict no longer holds",
        ));
    }
    let mut tx = db::begin(pool).await?;
    store::withdraw_conflict(&mut tx, id, reason, &user.email).await?;
    db::audit_append(
        &mut tx,
        &Entry::new(
            &user.email,
            "panel",
            format!(
                "withdrew {}'s conflict of interest with {}: {reason}",
                c.member, c.economy_name
            ),
        )
        .economy(Some(&c.economy)),
    )
    .await?;
    tx.commit().await?;
    Ok(format!(
        "The conflict with {} is withdrawn.",
        c.economy_name
    ))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stored {
    New,
    Changed,
    Unchanged,
}

mod sheets;
pub mod store;
pub mod visits;

pub use sheets::{moderate, save_sheet, sheet, SheetForm};
