//! A member's score sheet for one candidate: the sheet as the blind rule lets the viewer see
//! it, drafts and submission, and moderation (a changed score with a reason, or a
//! justification).

use super::*;
use crate::domain::Slug;

/// `/assess/panel/{slug}` for `user`; `None` when the viewer may not see the economy's
/// panel at all (a conflict in force) or it is not a candidate with scores or in the round.
pub async fn sheet(
    pool: &Pool,
    user: &CurrentUser,
    slug: &Slug,
) -> std::result::Result<Option<view::Sheet>, Rejection> {
    let Some(f) = Facts::load(pool).await? else {
        return Err(no_panel());
    };
    let me = user.email.to_lowercase();
    if f.conflicts.contains(&(me.clone(), slug.to_string())) {
        return Ok(None);
    }
    let in_round = f.candidates.iter().any(|(s, _)| s == slug);
    if !in_round && !f.scores.iter().any(|s| s.economy == slug) {
        return Ok(None);
    }
    let Some(economy) = db::economy_by_slug(pool, slug).await? else {
        return Ok(None);
    };
    let shown = may_see(user, slug, &f);
    let counted = panel::counted(&f.panel, &f.domain_scores(), &f.conflicts);
    let changes = store::changes(pool, &f.code, slug).await?;
    let lines = f
        .panel
        .questions
        .iter()
        .map(|q| {
            let own = f
                .scores
                .iter()
                .find(|s| s.member == me && s.economy == slug && s.question == q.code);
            let members = counted.get(&(slug.to_string(), q.code.clone()));
            let outliers = members
                .map(|m| panel::outliers_of(&f.panel, m))
                .unwrap_or_default();
            let scores = if shown {
                members
                    .map(|m| {
                        m.iter()
                            .map(|(member, &score)| {
                                let row = f.scores.iter().find(|s| {
                                    &s.member == member && s.economy == slug && s.question == q.code
                                });
                                view::Marked {
                                    member: member.clone(),
                                    score,
                                    comment: row.map(|r| r.comment.clone()).unwrap_or_default(),
                                    outlier: outliers.contains(member),
                                    justification: row.and_then(|r| r.justification.clone()),
                                    changes: row
                                        .map(|r| {
                                            changes
                                                .iter()
                                                .filter(|(id, _)| *id == r.id)
                                                .map(|(_, c)| c.clone())
                                                .collect()
                                        })
                                        .unwrap_or_default(),
                                }
                            })
                            .collect()
                    })
                    .unwrap_or_default()
            } else {
                Vec::new()
            };
            view::Line {
                question: q.clone(),
                own: own.map(|s| s.value),
                comment: own.map(|s| s.comment.clone()).unwrap_or_default(),
                own_outlier: shown && outliers.contains(&me),
                justification: own.and_then(|s| s.justification.clone()),
                mean: if shown {
                    members.map(|m| m.values().sum::<i64>() as f64 / m.len() as f64)
                } else {
                    None
                },
                scores,
            }
        })
        .collect();
    Ok(Some(view::Sheet {
        economy: slug.to_string(),
        name: economy.name,
        scale_min: f.panel.scale_min,
        scale_max: f.panel.scale_max,
        round_open: f.open(),
        scoring: f.open() && in_round && f.members.contains(&me),
        declared: f.member_list.iter().any(|(m, d)| *m == me && d.is_some()),
        submitted: f.submitted_all(&me, slug),
        shown,
        lines,
        visit: visits::of(pool, &f.code, slug).await?,
    }))
}

/// What a member sends from the score sheet: each question's score (text as given) and
/// comment.
pub struct SheetForm {
    pub scores: Vec<(String, String, String)>,
    pub submit: bool,
}

/// Saves the member's sheet as drafts, or submits it (every question scored).
pub async fn save_sheet(
    pool: &Pool,
    user: &CurrentUser,
    slug: &Slug,
    form: &SheetForm,
) -> std::result::Result<String, Rejection> {
    let Some(f) = Facts::load(pool).await? else {
        return Err(no_panel());
    };
    let me = user.email.to_lowercase();
    if f.conflicts.contains(&(me.clone(), slug.to_string()))
        || !f.candidates.iter().any(|(s, _)| s == slug)
    {
        return Err(Rejection::Refused("not a candidate you may score".into()));
    }
    if !f.open() || !f.members.contains(&me) {
        return Err(Rejection::Refused(
            "you are not a member of an open round".into(),
        ));
    }
    if f.submitted_all(&me, slug) {
        return Err(invalid(
            "sheet",
            "Your sheet is submitted: change a score with a reason instead",
        ));
    }
    let mut errors: Errors = Vec::new();
    let mut parsed = Vec::new();
    for q in &f.panel.questions {
        let (text, comment) = form
            .scores
            .iter()
            .find(|(c, _, _)| *c == q.code)
            .map(|(_, t, c)| (t.trim().to_string(), c.trim().to_string()))
            .unwrap_or_default();
        let field = format!("score-{}", q.code);
        if comment.chars().count() > 4000 {
            errors.push((
                format!("comment-{}", q.code),
                format!(
                    "The comment on {} must be 4,000 characters or fewer",
                    q.title
                ),
            ));
        }
        match text.parse::<i64>() {
            Ok(n) if f.panel.on_scale(n) => parsed.push((q.code.clone(), Some(n), comment)),
            Ok(_) | Err(_) if !text.is_empty() => errors.push((
                field,
                format!(
                    "Score {} from {} to {}",
                    q.title, f.panel.scale_min, f.panel.scale_max
                ),
            )),
            _ if form.submit => errors.push((
                field,
                format!(
                    "Score {}: every question needs a score before you submit",
                    q.title
                ),
            )),
            _ => parsed.push((q.code.clone(), None, comment)),
        }
    }
    if form.submit {
        if let Some(v) = visits::of(pool, &f.code, slug)
            .await?
            .filter(|v| !v.reported())
        {
            errors.insert(
                0,
                (
                    "sheet".into(),
                    format!(
                        "The site visit to {} on {} has no findings yet: save a draft, and submit once they are recorded",
                        v.name,
                        chrono::NaiveDate::parse_from_str(&v.on, "%Y-%m-%d")
                            .map(crate::domain::types::long_date)
                            .unwrap_or(v.on.clone())
                    ),
                ),
            );
        }
    }
    let declared = f.member_list.iter().any(|(m, d)| *m == me && d.is_some());
    if form.submit && !declared {
        errors.insert(
            0,
            (
                "declaration".into(),
                "Confirm your declaration of interests on the panel page before you submit".into(),
            ),
        );
    }
    if !errors.is_empty() {
        return Err(Rejection::Invalid(errors));
    }
    let economy_id = db::economy_ids(pool).await?[slug.as_str()];
    let mut tx = db::begin(pool).await?;
    for (code, score, comment) in &parsed {
        store::save_draft(&mut tx, &f.code, user.id, economy_id, code, *score, comment).await?;
    }
    if form.submit {
        store::submit_sheet(&mut tx, &f.code, user.id, economy_id).await?;
    }
    db::audit_append(
        &mut tx,
        &Entry::new(
            &user.email,
            "panel",
            if form.submit {
                format!("submitted a panel score sheet for {slug}")
            } else {
                format!("saved a draft panel score sheet for {slug}")
            },
        )
        .economy(Some(slug)),
    )
    .await?;
    tx.commit().await?;
    Ok(if form.submit {
        "Your scores are submitted. You can now see every member's scores.".into()
    } else {
        "Your draft is saved. Nobody else can see it.".into()
    })
}

/// Moderation: the member changes a submitted score with a reason, or justifies it.
pub async fn moderate(
    pool: &Pool,
    user: &CurrentUser,
    slug: &Slug,
    question: &str,
    score: Option<&str>,
    text: &str,
) -> std::result::Result<String, Rejection> {
    let Some(f) = Facts::load(pool).await? else {
        return Err(no_panel());
    };
    let me = user.email.to_lowercase();
    let Some(q) = f.panel.question(question).cloned() else {
        return Err(Rejection::Refused("no such question".into()));
    };
    let Some(row) = f
        .scores
        .iter()
        .find(|s| s.member == me && s.economy == slug && s.question == q.code && s.submitted)
    else {
        return Err(Rejection::Refused(
            "you have no submitted score for this".into(),
        ));
    };
    if !f.open() || f.conflicts.contains(&(me.clone(), slug.to_string())) {
        return Err(Rejection::Refused(
            "scores change only while the round is open".into(),
        ));
    }
    let text = text.trim();
    let field = format!("reason-{}", q.code);
    if text.is_empty() {
        return Err(invalid(
            &field,
            if score.is_some() {
                format!("Give the reason for changing your score for {}", q.title)
            } else {
                format!("Give your justification for your score for {}", q.title)
            },
        ));
    }
    let mut tx = db::begin(pool).await?;
    let message = match score {
        Some(t) => {
            let n = match t.trim().parse::<i64>() {
                Ok(n) if f.panel.on_scale(n) && n != row.value => n,
                Ok(n) if n == row.value => {
                    return Err(invalid(
                        &format!("new-{}", q.code),
                        "Choose a different score, or give a justification instead",
                    ))
                }
                _ => {
                    return Err(invalid(
                        &format!("new-{}", q.code),
                        format!(
                            "Score {} from {} to {}",
                            q.title, f.panel.scale_min, f.panel.scale_max
                        ),
                    ))
                }
            };
            store::change_score(
                &mut tx,
                row.id,
                row.value,
                n,
                &row.comment,
                text,
                &user.email,
            )
            .await?;
            db::audit_append(
                &mut tx,
                &Entry::new(
                    &user.email,
                    "panel",
                    format!(
                        "changed a panel score for {} of {slug} from {} to {n}: {text}",
                        q.code, row.value
                    ),
                )
                .economy(Some(slug)),
            )
            .await?;
            format!(
                "Your score for {} is changed from {} to {n}.",
                q.title, row.value
            )
        }
        None => {
            store::justify(&mut tx, row.id, text).await?;
            db::audit_append(
                &mut tx,
                &Entry::new(
                    &user.email,
                    "panel",
                    format!("justified a panel score for {} of {slug}: {text}", q.code),
                )
                .economy(Some(slug)),
            )
            .await?;
            format!("Your justification for {} is kept.", q.title)
        }
    };
    tx.commit().await?;
    Ok(message)
}
