//! What board staff do besides the review queue (`review`): notes, shortlist proposals and
//! decisions, an economy's assessment view and comparisons. Rules from `domain::assessment`,
//! SQL from `db`.

use crate::audit::Entry as AuditEntry;
use crate::db::{self, Pool};
use crate::domain::account::CurrentUser;
use crate::domain::assessment::OUTCOMES;
use crate::domain::Quarter;
use crate::domain::Slug;
use crate::error::Rejection;

/// Adds an assessor's note to an economy (internal, never public).
pub async fn add_note(
    pool: &Pool,
    by: &CurrentUser,
    slug: &Slug,
    body: &str,
) -> Result<(), Rejection> {
    let body = body.trim();
    if body.is_empty() {
        return Err(Rejection::Invalid(vec![(
            "note".into(),
            "Write the note".into(),
        )]));
    }
    if body.chars().count() > 4000 {
        return Err(Rejection::Invalid(vec![(
            "note".into(),
            "The note must be 4,000 characters or fewer".into(),
        )]));
    }
    let economy = db::economy_by_slug(pool, slug)
        .await?
        .ok_or_else(|| Rejection::Refused(format!("there is no economy {slug}")))?;
    let mut tx = db::begin(pool).await?;
    db::add_note(&mut tx, economy.id, body, &by.email).await?;
    db::audit_append(
        &mut tx,
        &AuditEntry::new(&by.email, "note", "added an assessor's note").economy(Some(slug)),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Records a proposal (assessors) or a decision (admins) with its rationale and the scores it
/// is based on (the economy's live record as of `as_of`). Never edits an earlier one.
pub async fn decide(
    pool: &Pool,
    by: &CurrentUser,
    slug: &str,
    outcome: &str,
    rationale: &str,
    as_of: Option<Quarter>,
) -> Result<String, Rejection> {
    use crate::domain::account::Role;
    let rationale = rationale.trim();
    let mut errors = Vec::new();
    if !OUTCOMES.iter().any(|(o, _)| *o == outcome) {
        errors.push(("outcome".to_string(), "Choose the outcome".to_string()));
    } else if outcome != "proposed" && by.role != Role::Admin {
        return Err(Rejection::Refused(
            "only an admin records the panel's decisions; assessors propose".into(),
        ));
    }
    if rationale.is_empty() {
        errors.push((
            "rationale".to_string(),
            "Give the rationale: it is kept with the decision".to_string(),
        ));
    } else if rationale.chars().count() > 4000 {
        errors.push((
            "rationale".to_string(),
            "The rationale must be 4,000 characters or fewer".to_string(),
        ));
    }
    let economy = db::economy_by_slug(pool, slug).await?;
    match &economy {
        Some(e) if e.status == "candidate" => {}
        _ => errors.push((
            "economy".to_string(),
            "Choose a candidate economy".to_string(),
        )),
    }
    if !errors.is_empty() {
        return Err(Rejection::Invalid(errors));
    }
    let economy = economy.expect("checked");
    let (_, scores) = crate::service::live_scores(pool, as_of).await?;
    let mut record = scores
        .economies
        .iter()
        .find(|r| r.economy == slug)
        .map(|r| serde_json::to_value(r).expect("a record serialises"))
        .unwrap_or_else(|| serde_json::json!({}));
    // After a panel round: the panel's results it was based on (panel.md section 7).
    if let Some(panel) = crate::panel::decision_record(pool, &economy.slug).await? {
        record["panel"] = panel;
    }
    let record = record.to_string();
    let period = scores.as_of.map(|q| q.to_string());
    let label = OUTCOMES
        .iter()
        .find(|(o, _)| *o == outcome)
        .map(|(_, l)| *l)
        .unwrap_or(outcome);
    let mut tx = db::begin(pool).await?;
    db::insert_decision(
        &mut tx,
        economy.id,
        outcome,
        rationale,
        period.as_deref(),
        &record,
        &by.email,
    )
    .await?;
    db::audit_append(
        &mut tx,
        &AuditEntry::new(
            &by.email,
            "decision",
            format!("{label}: {} ({})", economy.name, rationale),
        )
        .economy(Some(slug))
        .after(record),
    )
    .await?;
    tx.commit().await?;
    Ok(format!("{label}: {}", economy.name))
}

/// Makes a decision public on the economy's page (admins).
pub async fn publish_decision(pool: &Pool, by: &CurrentUser, id: i64) -> Result<(), Rejection> {
    if by.role != crate::domain::account::Role::Admin {
        return Err(Rejection::Refused(
            "only an admin makes a decision public".into(),
        ));
    }
    let all = db::decisions(pool).await?;
    let Some(d) = all.iter().find(|d| d.id == id) else {
        return Err(Rejection::Refused("there is no such decision".into()));
    };
    let mut tx = db::begin(pool).await?;
    if !db::publish_decision(&mut tx, id, &by.email).await? {
        return Err(Rejection::Refused(
            "only a decision not yet public can be made public (proposals never are)".into(),
        ));
    }
    db::audit_append(
        &mut tx,
        &AuditEntry::new(
            &by.email,
            "decision",
            format!("made public the decision on {}: {}", d.name, d.outcome),
        )
        .economy(Some(&d.slug)),
    )
    .await?;
    // The economy hears of it.
    let users = db::economy_users(pool, &d.slug).await?;
    let ids = db::economy_ids(pool).await?;
    for u in users.iter().filter(|u| !u.disabled) {
        db::insert_outbox(
            &mut tx,
            &u.email,
            "A decision on your economy is published",
            &format!(
                "The board's decision, now public: {}. {}",
                d.outcome, d.rationale
            ),
            ids.get(&d.slug).copied(),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// `/assess/economies/{slug}`: an economy's values with their review status and evidence,
/// its live scores and trajectory; `NotFound` for an economy that does not exist.
pub async fn economy_view(
    pool: &Pool,
    slug: &Slug,
    today: chrono::NaiveDate,
) -> Result<crate::domain::assessment::view::AssessEconomyView, crate::error::AppError> {
    use crate::domain::assessment::view::{
        AssessEconomyView, DecisionLine, LastReview, LatestValue, NominationStatement,
        QuarterScores, ValueChange, ValueLine,
    };
    use crate::domain::scoring::{snapshot, trajectory, Prepared};
    use crate::domain::Quarter;
    use crate::error::AppError;
    let fw = crate::service::active_framework(pool).await?.framework;
    let economy = crate::db::economy_by_slug(pool, slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let entries = crate::db::economy_entries(pool, economy.id).await?;
    let shares = fw.shares();
    let prep = Prepared::new(&fw, &entries);
    let last = prep.last_quarter();
    let mut quarters = Vec::new();
    if let (Some(first), Some(last)) = (prep.first_quarter(), last) {
        for q in first.through(last) {
            let s = snapshot(&fw, &shares, &prep, q);
            quarters.push(QuarterScores {
                quarter: q,
                overall: s.overall,
                verified_overall: s.verified_overall,
                completeness: s.completeness,
                confidence: s.confidence,
                stage: s.stage,
                eligible: s.eligible,
            });
        }
    }
    let (unmet_gates, traj) = match last {
        Some(q) => {
            let s = snapshot(&fw, &shares, &prep, q);
            let gates = fw
                .criteria
                .iter()
                .zip(&s.criteria)
                .filter(|(c, r)| c.gate && !r.met)
                .map(|(c, _)| c.title.clone())
                .collect();
            (gates, Some(trajectory(&fw, &shares, &prep, q)))
        }
        None => (Vec::new(), None),
    };
    let evidence = crate::db::economy_evidence(pool, economy.id).await?;
    let history = crate::db::value_history(pool, economy.id).await?;
    let reviews = crate::db::reviews(pool, economy.id).await?;
    let values = fw
        .criteria
        .iter()
        .map(|c| {
            let latest = entries
                .iter()
                .filter(|e| e.code == c.code)
                .max_by_key(|e| e.period);
            let period = latest.map(|l| l.period.to_string());
            let ev = period.as_ref().and_then(|p| {
                evidence
                    .iter()
                    .find(|(ep, ec, _)| ep == p && ec == &c.code)
                    .map(|(_, _, e)| e.clone())
            });
            let late = period.as_ref().is_some_and(|p| {
                history
                    .iter()
                    .rev()
                    .find(|h| &h.period == p && h.code == c.code)
                    .is_some_and(|h| h.late)
            });
            ValueLine {
                code: c.code.clone(),
                title: c.title.clone(),
                theme: fw
                    .themes
                    .iter()
                    .find(|t| t.code == c.theme)
                    .map(|t| t.name.clone())
                    .unwrap_or_default(),
                gate: c.gate,
                stage: c.stage,
                latest: latest.map(|l| LatestValue {
                    period: l.period,
                    value: l.value.clone(),
                    status: l.status,
                    late,
                }),
                document: ev.as_ref().and_then(|e| e.file_name.clone()),
                link: ev.as_ref().and_then(|e| e.link.clone()),
                review: reviews
                    .iter()
                    .rev()
                    .find(|r| r.code == c.code && Some(&r.period) == period.as_ref())
                    .map(|r| LastReview {
                        outcome: r.outcome.clone(),
                        reason: r.reason.clone(),
                        at: r.at.clone(),
                        by: r.by.clone(),
                    }),
                reviews: reviews
                    .iter()
                    .filter(|r| r.code == c.code)
                    .map(|r| {
                        format!(
                            "{}: {} \u{201c}{}\u{201d} {} by {}{}",
                            r.period,
                            crate::domain::review::outcome_words(&r.outcome),
                            r.value,
                            crate::domain::format::day_of(&r.at),
                            r.by,
                            r.reason
                                .as_ref()
                                .map(|x| format!(": {x}"))
                                .unwrap_or_default()
                        )
                    })
                    .collect(),
                history: history
                    .iter()
                    .filter(|h| h.code == c.code)
                    .map(|h| ValueChange {
                        period: h.period.clone(),
                        old_value: h.old_value.clone().unwrap_or_default(),
                        new_value: h.new_value.clone(),
                        new_status: h.new_status.clone(),
                        at: h.changed_at.clone(),
                        by: h.changed_by.clone(),
                        late: h.late,
                    })
                    .collect(),
            }
        })
        .collect();
    let nomination = crate::db::nominations(pool)
        .await?
        .into_iter()
        .find(|n| n.slug == slug)
        .map(|n| NominationStatement {
            lead_name: n.lead_name,
            lead_role: n.lead_role,
            lead_email: n.lead_email,
            vision: n.vision,
            in_place: n.in_place,
            benefits: n.benefits,
        });
    let organisations = crate::db::organisations(pool, economy.id)
        .await?
        .into_iter()
        .map(|o| {
            let kind = crate::domain::nomination::kind_words(&o.kind);
            (o.name, o.ods_code, kind)
        })
        .collect();
    let decisions = crate::db::decisions(pool)
        .await?
        .into_iter()
        .filter(|d| d.slug == slug)
        .map(|d| DecisionLine {
            outcome: d.outcome,
            rationale: d.rationale,
            at: d.at,
            by: d.by,
            public: d.published_at.is_some(),
        })
        .collect();
    // The values waiting for review, a quarter at a time (newest first), to verify together.
    let mut waiting: Vec<(String, Vec<String>)> = Vec::new();
    for r in crate::db::queue_rows(pool)
        .await?
        .into_iter()
        .filter(|r| r.economy_id == economy.id)
    {
        let key = crate::domain::assessment::review_key(&r.slug, &r.period, &r.code, &r.value);
        match waiting.iter_mut().find(|(p, _)| *p == r.period) {
            Some((_, keys)) => keys.push(key),
            None => waiting.push((r.period, vec![key])),
        }
    }
    waiting.sort_by(|a, b| b.0.cmp(&a.0));
    let reporting = crate::reporting::records(pool, Some(economy.id), today)
        .await?
        .remove(&economy.id)
        .unwrap_or_default();
    Ok(AssessEconomyView {
        reporting,
        slug: slug.to_string(),
        name: economy.name,
        region: economy.region,
        status: economy.status,
        as_of: last.map(|q: Quarter| q.to_string()),
        quarters,
        unmet_gates,
        paperless_date: traj.as_ref().and_then(|t| t.paperless_date),
        on_track: traj.as_ref().is_some_and(|t| t.on_track),
        achieved: traj.as_ref().is_some_and(|t| t.achieved),
        values,
        nomination,
        organisations,
        notes: crate::db::notes(pool, economy.id).await?,
        decisions,
        assigned: crate::db::assignments(pool).await?.remove(&economy.id),
        assigned_to_me: false,
        waiting,
    })
}

/// Every decision recorded, oldest first (a later one supersedes an earlier one).
pub async fn decisions(pool: &Pool) -> sqlx::Result<Vec<db::DecisionRow>> {
    db::decisions(pool).await
}

// ---------------------------------------------------------------------------------------
// Comparing economies (`/assess/compare` and its CSV)

use crate::domain::assessment::view::{CompareQuery, CompareView, Compared};
use crate::domain::scoring::EconomyInput;
use crate::error::AppError;

pub async fn compare(
    pool: &crate::db::Pool,
    q: &CompareQuery,
    today: chrono::NaiveDate,
) -> Result<CompareView, AppError> {
    use crate::charts::{self, Series, TimeChart};
    use crate::domain::assessment::{compare_weight, compare_weighted, with_weights};
    use crate::domain::scoring::{score_all, trajectory, Prepared};
    use crate::domain::Quarter;
    let fw = crate::service::active_framework(pool).await?.framework;
    let all: Vec<EconomyInput> = crate::service::scoring_inputs(pool)
        .await?
        .into_iter()
        .map(|(_, i)| i)
        .collect();
    let mut chosen: Vec<String> = Vec::new();
    for s in &q.economies {
        if !s.is_empty() && !chosen.contains(s) && all.iter().any(|e| &e.slug == s) {
            chosen.push(s.clone());
        }
    }
    // Problems, each by its field: only once something was asked (a first visit has none).
    let mut errors: Vec<(String, String)> = Vec::new();
    if !q.is_empty() {
        match chosen.len() {
            0 | 1 => errors.push((
                "e".into(),
                "Choose two to six candidate economies to compare".into(),
            )),
            2..=6 => {}
            _ => errors.push((
                "e".into(),
                "Choose no more than six candidate economies to compare".into(),
            )),
        }
    }
    // Each theme's weight: the text as asked (kept to show again), else the framework's.
    let mut weights: Vec<String> = Vec::new();
    let mut applied: Vec<(String, f64)> = Vec::new();
    for t in &fw.themes {
        match q.weights.iter().find(|(c, _)| *c == t.code) {
            Some((_, text)) => {
                weights.push(text.clone());
                match compare_weight(&t.name, text) {
                    Ok(w) => applied.push((t.code.clone(), w)),
                    Err(e) => errors.push((format!("w-{}", t.code), e)),
                }
            }
            None => {
                weights.push(t.weight.to_string());
                applied.push((t.code.clone(), t.weight));
            }
        }
    }
    let as_of: Option<Quarter> = q
        .quarter
        .parse()
        .ok()
        .or_else(|| crate::domain::scoring::default_as_of(&fw, &all));
    let mut quarters: Vec<String> = match (
        crate::domain::scoring::first_quarter(&fw, &all),
        crate::domain::scoring::default_as_of(&fw, &all),
    ) {
        (Some(a), Some(b)) => a.through(b).map(|q| q.to_string()).collect(),
        _ => Vec::new(),
    };
    quarters.reverse();
    let candidates = all
        .iter()
        .map(|e| (e.slug.clone(), e.name.clone()))
        .collect();
    let themes = fw
        .themes
        .iter()
        .map(|t| (t.code.clone(), t.name.clone(), t.weight))
        .collect();
    // Nothing is compared while there is a problem (or nothing was asked).
    if !errors.is_empty() || chosen.len() < 2 {
        return Ok(CompareView {
            as_of: as_of.map(|q| q.to_string()),
            quarters,
            candidates,
            chosen,
            themes,
            weights,
            applied: Vec::new(),
            rows: Vec::new(),
            chart: String::new(),
            framework: fw,
            inputs: Vec::new(),
            errors,
            shared: Vec::new(),
        });
    }
    let base = score_all(&fw, &all, as_of);
    // Ranks among every candidate with the weights, for the CSV.
    let weighted_all = score_all(&with_weights(&fw, &applied), &all, as_of);
    let shares = fw.shares();
    let orgs_by_slug = {
        let mut m = std::collections::HashMap::new();
        for s in &chosen {
            if let Some(e) = crate::db::economy_by_slug(pool, s).await? {
                let mut counts: Vec<(String, usize)> = Vec::new();
                for o in crate::db::organisations(pool, e.id).await? {
                    let kind = crate::domain::nomination::kind_words(&o.kind);
                    match counts.iter_mut().find(|(k, _)| *k == kind) {
                        Some((_, n)) => *n += 1,
                        None => counts.push((kind, 1)),
                    }
                }
                m.insert(s.clone(), counts);
            }
        }
        m
    };
    let inputs: Vec<EconomyInput> = chosen
        .iter()
        .filter_map(|s| all.iter().find(|e| &e.slug == s))
        .cloned()
        .collect();
    // The weighted figures the page shows: the same function the browser runs.
    let weighted = compare_weighted(&fw, &applied, &inputs, as_of);
    let mut blocked = crate::trusts::not_fundable(pool, &fw, today).await?;
    let mut rows = Vec::new();
    let mut series = Vec::new();
    for (n, slug) in chosen.iter().enumerate() {
        let Some(r) = base.economies.iter().find(|r| &r.economy == slug) else {
            continue;
        };
        let w = weighted.iter().find(|w| &w.slug == slug);
        if let (Some(input), Some(q)) = (inputs.iter().find(|e| &e.slug == slug), as_of) {
            let prep = Prepared::new(&fw, &input.entries);
            let t = trajectory(&fw, &shares, &prep, q);
            series.push(Series {
                name: r.name.clone(),
                color: charts::PALETTE[n % charts::PALETTE.len()],
                points: t.points.iter().map(|(q, o)| (q.end_date(), *o)).collect(),
                dashed: false,
            });
        }
        rows.push(Compared {
            slug: slug.clone(),
            name: r.name.clone(),
            rank: r.rank,
            rank_weighted: weighted_all
                .economies
                .iter()
                .find(|x| &x.economy == slug)
                .and_then(|x| x.rank),
            place_weighted: w.and_then(|w| w.place),
            overall: r.overall,
            overall_weighted: w.and_then(|w| w.overall),
            verified_overall: r.verified_overall,
            themes: fw
                .themes
                .iter()
                .map(|t| r.themes.as_ref().and_then(|m| m.get(&t.code).copied()))
                .collect(),
            completeness: r.completeness,
            confidence: r.confidence,
            eligible: r.eligible,
            stage: r.stage,
            paperless_date: r.paperless_date.map(|d| d.to_string()),
            on_track: r.on_track,
            organisations: orgs_by_slug.get(slug).cloned().unwrap_or_default(),
            not_fundable: blocked.remove(slug).unwrap_or_default(),
        });
    }
    let start = series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.0))
        .min();
    let chart = match (start, as_of, series.is_empty()) {
        (Some(start), Some(q), false) => charts::time_chart(&TimeChart {
            id: "compare".into(),
            title: "Overall score over time".into(),
            description: format!(
                "The overall score of each compared economy with the framework's weights, quarter by quarter, up to {q}."
            ),
            start,
            end: fw.paperless_milestone().date,
            series,
            band: None,
            milestones: fw
                .milestones
                .iter()
                .filter(|m| m.paperless || m.code == "pilot-selected")
                .map(|m| (m.date, m.name.clone()))
                .collect(),
            lines: Vec::new(),
            marks: Vec::new(),
            threshold: Some((fw.paperless_threshold, "Paperless threshold".into())),
        }),
        _ => String::new(),
    };
    // Organisations the compared economies both claim: economies overlapped in real life.
    let mut by_code: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for m in db::shared_memberships(pool).await? {
        if chosen.contains(&m.economy) {
            by_code.entry(m.code).or_default().push(m.economy_name);
        }
    }
    by_code.retain(|_, economies| economies.len() > 1);
    let codes: Vec<String> = by_code.keys().cloned().collect();
    let names: std::collections::HashMap<String, String> = db::organisations_by_code(pool, &codes)
        .await?
        .into_iter()
        .map(|o| (o.code, o.name))
        .collect();
    let shared = by_code
        .into_iter()
        .map(|(code, economies)| {
            let name = names.get(&code).cloned().unwrap_or_default();
            (code, name, economies)
        })
        .collect();
    Ok(CompareView {
        as_of: as_of.map(|q| q.to_string()),
        quarters,
        candidates,
        chosen,
        themes,
        weights,
        applied,
        rows,
        chart,
        framework: fw,
        inputs,
        errors,
        shared,
    })
}

/// The comparison as CSV: one row per economy.
pub fn compare_csv(v: &CompareView) -> String {
    use crate::domain::scoring::safe_csv_cell as cell;
    let num = |n: Option<f64>| {
        n.map(crate::domain::files::format_number)
            .unwrap_or_default()
    };
    let mut head = vec![
        "economy",
        "name",
        "as_of",
        "rank",
        "overall",
        "verified_overall",
        "completeness",
        "confidence",
        "eligible",
        "stage",
        "paperless_date",
        "on_track",
        "rank_with_weights",
        "overall_with_weights",
    ]
    .into_iter()
    .map(String::from)
    .collect::<Vec<_>>();
    head.extend(v.themes.iter().map(|(c, _, _)| format!("theme:{c}")));
    head.push("organisations".into());
    head.push("not_fundable_because".into());
    let mut out = head.join(",");
    out.push('\n');
    for r in &v.rows {
        let mut cells = vec![
            r.slug.clone(),
            r.name.clone(),
            v.as_of.clone().unwrap_or_default(),
            r.rank.map(|x| x.to_string()).unwrap_or_default(),
            num(r.overall),
            num(r.verified_overall),
            num(r.completeness),
            num(r.confidence),
            r.eligible.map(|x| x.to_string()).unwrap_or_default(),
            r.stage.map(|x| x.to_string()).unwrap_or_default(),
            r.paperless_date.clone().unwrap_or_default(),
            r.on_track.map(|x| x.to_string()).unwrap_or_default(),
            r.rank_weighted.map(|x| x.to_string()).unwrap_or_default(),
            num(r.overall_weighted),
        ];
        cells.extend(r.themes.iter().map(|t| num(*t)));
        cells.push(
            r.organisations
                .iter()
                .map(|(k, n)| format!("{k}: {n}"))
                .collect::<Vec<_>>()
                .join("; "),
        );
        cells.push(r.not_fundable.join("; "));
        out.push_str(&cells.iter().map(|c| cell(c)).collect::<Vec<_>>().join(","));
        out.push('\n');
    }
    out
}
