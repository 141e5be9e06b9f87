//! What an economy's own page (`/my-economy`) reads: the quarter being reported, live
//! scores and rank, the calendar, drafts, returned values, decisions and benefits.

use super::*;
use crate::domain::submission::view::Standing;

/// `/my-economy` for the economy `slug` on `today`: the quarter being reported, live scores
/// and rank, the calendar, drafts, returned values, decisions and benefits.
/// `reader` is who looks: their new messages are marked, then counted as read.
pub async fn my_economy_view(
    pool: &Pool,
    slug: &crate::domain::Slug,
    reader: &crate::domain::account::CurrentUser,
    today: NaiveDate,
) -> Result<crate::domain::submission::view::MyEconomyView, crate::error::AppError> {
    // The quarter being reported: the last one that has ended.
    let as_of = Quarter::containing(today).prev();
    let mut view = economy_view_as_of(pool, slug, reader, today, as_of, true).await?;
    view.preview = Some(crate::flags::preview_view(pool, slug, today).await?);
    let fw = crate::service::active_framework(pool).await?.framework;
    view.teamwork = crate::teamwork::view(pool, &fw, slug, as_of, &reader.email).await?;
    if let Some(e) = crate::db::economy_by_slug(pool, slug).await? {
        view.reporting = crate::reporting::records(pool, Some(e.id), today)
            .await?
            .remove(&e.id)
            .unwrap_or_default();
    }
    Ok(view)
}

/// `/my-economy/report/{YYYY-Qn}`: the economy's report of a quarter that has ended, to print
/// or save as a PDF: the published figures once the quarter is published (with the date),
/// else the provisional ones as they stand. Reading it marks no message read.
pub async fn report_view(
    pool: &Pool,
    slug: &crate::domain::Slug,
    reader: &crate::domain::account::CurrentUser,
    today: NaiveDate,
    period: &str,
) -> Result<crate::domain::submission::view::ReportView, crate::error::AppError> {
    use crate::error::AppError;
    let q: Quarter = period.trim().parse().map_err(|_| {
        AppError::BadRequest(format!(
            "\"{}\" is not a quarter: give one like 2014-Q4",
            period.trim()
        ))
    })?;
    let latest = Quarter::containing(today).prev();
    if q > latest {
        return Err(AppError::BadRequest(format!(
            "{q} has not ended yet: the latest quarter with a report is {latest}"
        )));
    }
    let mut data = economy_view_as_of(pool, slug, reader, today, q, false).await?;
    let published = crate::service::published_scores(pool, Some(q)).await?;
    let published_on = published.as_ref().map(|p| p.published_on);
    let revised = published
        .as_ref()
        .and_then(|p| p.revised.as_ref())
        .map(|r| r.reason.clone());
    if let Some(r) = published.and_then(|p| {
        p.scores
            .economies
            .into_iter()
            .find(|r| r.economy == slug.as_str())
    }) {
        // The published figures, not today's recalculation.
        data.overall = r.overall.unwrap_or(data.overall);
        data.verified_overall = r.verified_overall.unwrap_or(data.verified_overall);
        data.completeness = r.completeness.unwrap_or(data.completeness);
        data.confidence = r.confidence.unwrap_or(data.confidence);
        data.stage = r.stage.unwrap_or(data.stage);
        data.rank = r.rank;
        if let Some(themes) = r.themes {
            // Published themes are keyed by code; the view has names.
            let fw = crate::service::active_framework(pool).await?.framework;
            for (name, score) in data.themes.iter_mut() {
                let code = fw.themes.iter().find(|t| t.name == *name).map(|t| &t.code);
                if let Some(v) = code.and_then(|c| themes.get(c)) {
                    *score = *v;
                }
            }
        }
    }
    Ok(crate::domain::submission::view::ReportView {
        data,
        published_on,
        revised,
    })
}

/// What `/my-economy` and a quarter's report show, as of the quarter `as_of`; `mark_read`
/// marks the reader's new messages read (the page does; the report does not).
async fn economy_view_as_of(
    pool: &Pool,
    slug: &crate::domain::Slug,
    reader: &crate::domain::account::CurrentUser,
    today: NaiveDate,
    as_of: Quarter,
    mark_read: bool,
) -> Result<crate::domain::submission::view::MyEconomyView, crate::error::AppError> {
    use crate::domain::scoring::{score_all, snapshot, trajectory, Prepared};
    use crate::domain::submission::view::{
        CalendarLine, CriterionLine, DueLine, MessageLine, MyEconomyView, ReturnedLine,
    };
    use crate::domain::Status;
    use crate::error::AppError;
    let fw = crate::service::active_framework(pool).await?.framework;
    let economy = crate::db::economy_by_slug(pool, slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let entries = crate::db::economy_entries(pool, economy.id).await?;
    let shares = fw.shares();
    let prep = Prepared::new(&fw, &entries);
    let snap = snapshot(&fw, &shares, &prep, as_of);
    let traj = trajectory(&fw, &shares, &prep, as_of);
    // Rank among the candidates, live.
    let inputs: Vec<_> = crate::service::scoring_inputs(pool)
        .await?
        .into_iter()
        .map(|(_, i)| i)
        .collect();
    let all = score_all(&fw, &inputs, Some(as_of));
    let ranked = all.economies.iter().filter(|r| r.rank.is_some()).count();
    let rank = all
        .economies
        .iter()
        .find(|r| r.economy == slug)
        .and_then(|r| r.rank);
    let theme_name = |code: &str| {
        fw.themes
            .iter()
            .find(|t| t.code == code)
            .map(|t| t.name.clone())
            .unwrap_or_default()
    };
    let criteria: Vec<CriterionLine> = fw
        .criteria
        .iter()
        .enumerate()
        .map(|(i, c)| {
            // The latest value up to the quarter, whatever its status.
            let latest = entries
                .iter()
                .filter(|e| e.code == c.code && e.period <= as_of)
                .max_by_key(|e| e.period);
            let effective = prep.effective(i, as_of);
            let status = match (latest, effective) {
                (Some(l), _) if l.status == Status::Rejected => Standing::Returned,
                (_, Some((_, _, Status::Verified))) => Standing::Verified,
                (_, Some(_)) => Standing::Submitted,
                _ => Standing::Missing,
            };
            CriterionLine {
                theme: theme_name(&c.theme),
                code: c.code.clone(),
                title: c.title.clone(),
                status,
                value: latest.map(|l| l.value.clone()),
                period: latest.map(|l| l.period.to_string()),
                gate: c.gate,
                stage: c.stage,
                met: snap.criteria[i].met,
            }
        })
        .collect();
    let unmet_gates = criteria
        .iter()
        .filter(|c| c.gate && !c.met)
        .map(|c| c.title.clone())
        .collect();
    let top_stage = fw
        .criteria
        .iter()
        .filter_map(|c| c.stage)
        .max()
        .unwrap_or(0);
    let next_stage = (snap.stage < top_stage).then(|| {
        let next = fw
            .criteria
            .iter()
            .filter_map(|c| c.stage)
            .filter(|s| *s > snap.stage)
            .min()
            .unwrap_or(top_stage);
        let needs = criteria
            .iter()
            .filter(|c| c.stage.is_some_and(|s| s <= next) && !c.met)
            .map(|c| c.title.clone())
            .collect();
        (next, needs)
    });
    let plans = crate::db::publication_plans(pool).await?;
    let published: Vec<Quarter> = crate::service::published_quarters(pool).await?;
    let current = Quarter::containing(today);
    let moved = crate::db::deadline_plans(pool).await?;
    let calendar: Vec<CalendarLine> = [current.prev().prev(), current.prev(), current]
        .into_iter()
        .map(|q| CalendarLine {
            quarter: q,
            open: q < current,
            deadline: moved
                .get(&q.to_string())
                .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
                .unwrap_or_else(|| crate::domain::submission::deadline(&fw, q)),
            publication: crate::service::planned_publication(&fw, &plans, q),
            published: published.contains(&q),
        })
        .collect();
    let seen = crate::db::messages_seen(pool, reader.id).await?;
    let messages: Vec<MessageLine> = crate::db::outbox_for_economy(pool, economy.id, 20)
        .await?
        .into_iter()
        .map(|m| MessageLine {
            at: crate::domain::format::at_time(&m.created_at),
            new: m.id > seen,
            subject: m.subject,
            body: m.body,
        })
        .collect();
    let new_messages = crate::db::messages_after(pool, &reader.email, seen).await?;
    if mark_read {
        crate::db::mark_messages_seen(pool, reader.id).await?;
    }
    // What the board returned, with the reason of its latest return.
    let reviews = crate::db::reviews(pool, economy.id).await?;
    let returned = entries
        .iter()
        .filter(|e| e.status == Status::Rejected)
        .map(|e| {
            let period = e.period.to_string();
            ReturnedLine {
                period: e.period,
                title: fw
                    .criterion(&e.code)
                    .map(|c| c.title.clone())
                    .or_else(|| fw.benefit(&e.code).map(|b| b.title.clone()))
                    .unwrap_or_else(|| e.code.clone()),
                code: e.code.clone(),
                value: e.value.clone(),
                reason: reviews
                    .iter()
                    .rev()
                    .find(|r| r.code == e.code && r.period == period)
                    .and_then(|r| r.reason.clone()),
            }
        })
        .collect();
    let due = calendar_line(&calendar, as_of)
        .filter(|c| !c.published)
        .map(|c| DueLine {
            quarter: as_of,
            deadline: c.deadline,
            days_left: (c.deadline - today).num_days(),
            missing: fw
                .criteria
                .iter()
                .filter(|cr| {
                    !entries
                        .iter()
                        .any(|e| e.code == cr.code && e.period == as_of)
                })
                .count(),
        });
    let mut drafts: Vec<(String, usize)> = Vec::new();
    for (period, _, _) in crate::db::economy_drafts(pool, economy.id).await? {
        match drafts.last_mut() {
            Some((p, n)) if *p == period => *n += 1,
            _ => drafts.push((period, 1)),
        }
    }
    let receipts = crate::db::receipts_for(pool, economy.id, 5)
        .await?
        .into_iter()
        .filter_map(|r| {
            Some(crate::domain::submission::view::ReceiptSummary {
                quarter: r.period.parse().ok()?,
                submitted: crate::domain::format::at_time(&r.submitted_at),
                values: serde_json::from_str::<Vec<serde_json::Value>>(&r.lines)
                    .map(|l| l.len())
                    .unwrap_or_default(),
                reference: r.reference,
            })
        })
        .collect();
    // Beside economies like it: peers by the mix of their members, with the scores of the
    // latest quarter published by `as_of` (others' live scores are not public), so a past
    // quarter's report compares that quarter.
    let compared = crate::service::published_quarters(pool)
        .await?
        .into_iter()
        .rfind(|q| *q <= as_of);
    let published = match compared {
        Some(q) => crate::service::published_scores(pool, Some(q)).await?,
        None => None,
    };
    let standing = match published {
        None => None,
        Some(p) => {
            use crate::domain::peers::{standing, Mix, Scored};
            let mut kinds: std::collections::BTreeMap<String, Vec<String>> = Default::default();
            for (s, k) in crate::db::member_kinds(pool).await? {
                kinds.entry(s).or_default().push(k);
            }
            let mixes: Vec<(String, Mix)> = kinds
                .into_iter()
                .map(|(s, k)| {
                    let mix = Mix::from_kinds(k.iter().map(String::as_str));
                    (s, mix)
                })
                .collect();
            let scored: Vec<Scored> = p
                .scores
                .economies
                .iter()
                .filter_map(|r| {
                    Some(Scored {
                        slug: r.economy.clone(),
                        name: r.name.clone(),
                        overall: r.overall?,
                        themes: r.themes.as_ref()?.values().copied().collect(),
                    })
                })
                .collect();
            // Theme names by code, in the published framework's order.
            let names: Vec<String> = p
                .scores
                .economies
                .iter()
                .find_map(|r| r.themes.as_ref())
                .map(|t| {
                    t.keys()
                        .map(|code| {
                            fw.themes
                                .iter()
                                .find(|t| &t.code == code)
                                .map(|t| t.name.clone())
                                .unwrap_or_else(|| code.clone())
                        })
                        .collect()
                })
                .unwrap_or_default();
            let quarter = p.scores.as_of.map(|q| q.to_string()).unwrap_or_default();
            standing(&quarter, slug, &mixes, &scored, &names)
        }
    };
    // What moved since the quarter before, and why.
    let changes = {
        use crate::domain::changes::{quarter_changes, ReviewEvent};
        let events: Vec<ReviewEvent> = reviews
            .iter()
            .filter_map(|r| {
                Some(ReviewEvent {
                    period: r.period.parse().ok()?,
                    code: r.code.clone(),
                    outcome: r.outcome.clone(),
                    reason: r.reason.clone(),
                })
            })
            .collect();
        // A framework loaded after the quarter before ended changes how everything scores.
        let framework = crate::db::active_framework(pool)
            .await?
            .and_then(|f| {
                let day = chrono::DateTime::parse_from_rfc3339(&f.loaded_at).ok()?.date_naive();
                (f.version > 1 && day > as_of.prev().end_date()).then(|| {
                    format!(
                        "The board changed the framework (version {}) on {}, so every score is worked out under it.",
                        f.version,
                        crate::domain::types::long_date(day)
                    )
                })
            });
        Some(quarter_changes(&fw, &entries, &events, as_of, framework))
    };
    let overall_by_quarter: std::collections::HashMap<Quarter, f64> =
        traj.points.iter().copied().collect();
    let benefits =
        crate::benefits::economy_benefits(&fw, &entries, as_of, &overall_by_quarter, "my-benefit-");
    Ok(MyEconomyView {
        new_messages: new_messages as usize,
        returned,
        due,
        benefits,
        drafts,
        receipts,
        standing,
        changes,
        preview: None,
        reporting: Vec::new(),
        teamwork: None,
        slug: slug.to_string(),
        name: economy.name,
        region: economy.region,
        candidate: economy.status == "candidate",
        as_of,
        overall: snap.overall,
        verified_overall: snap.verified_overall,
        completeness: snap.completeness,
        confidence: snap.confidence,
        stage: snap.stage,
        top_stage,
        rank,
        ranked,
        themes: fw
            .themes
            .iter()
            .zip(&snap.themes)
            .map(|(t, s)| (t.name.clone(), *s))
            .collect(),
        criteria,
        unmet_gates,
        next_stage,
        paperless_threshold: fw.paperless_threshold,
        paperless_milestone: fw.milestones.iter().find(|m| m.paperless).map(|m| m.date),
        paperless_date: traj.paperless_date,
        paperless_achieved: traj.achieved,
        on_track: traj.on_track,
        calendar,
        messages,
    })
}

fn calendar_line(
    calendar: &[crate::domain::submission::view::CalendarLine],
    q: Quarter,
) -> Option<&crate::domain::submission::view::CalendarLine> {
    calendar.iter().find(|c| c.quarter == q)
}

/// How many messages `reader` has not seen yet (the header's count).
pub async fn unread_messages(
    pool: &Pool,
    reader: &crate::domain::account::CurrentUser,
) -> sqlx::Result<usize> {
    let seen = crate::db::messages_seen(pool, reader.id).await?;
    Ok(crate::db::messages_after(pool, &reader.email, seen).await? as usize)
}
