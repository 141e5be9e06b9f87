//! Check before it is public (`domain::preview`): in the days before a quarter's planned
//! publication each economy sees its provisional figures on `/my-economy` and may question one
//! with a reason; the board answers on `/admin/publication` before it publishes (corrected, or
//! kept with its reason); the economy sees the answer there and gets it as a message. Every
//! question and answer is kept and written to the audit log.

use crate::db::{self, Pool};
use crate::domain::account::CurrentUser;
use crate::domain::preview::{self, Figure, FlagLine, OpenPreview, Outcome, PreviewView};
use crate::domain::Quarter;
use crate::error::Rejection;
use crate::service::{self, ServiceError};
use chrono::NaiveDate;

fn day(stamp: &str) -> Option<NaiveDate> {
    stamp
        .get(..10)
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
}

fn line(r: db::FlagRow) -> FlagLine {
    FlagLine {
        id: r.id,
        quarter: r.period,
        economy: r.slug,
        economy_name: r.name,
        figure: r.figure,
        shown: r.shown,
        reason: r.reason,
        raised_by: r.raised_by,
        raised_on: day(&r.raised_at).unwrap_or_default(),
        outcome: r.outcome.as_deref().and_then(Outcome::parse),
        answer: r.answer,
        answered_on: r.answered_at.as_deref().and_then(day),
    }
}

/// The quarter whose figures may be questioned on `today`, with its planned publication: the
/// next to be published, once it has ended, inside its window.
pub async fn open_quarter(
    pool: &Pool,
    today: NaiveDate,
) -> Result<Option<(Quarter, NaiveDate)>, ServiceError> {
    let fw = service::active_framework(pool).await?.framework;
    let Some((q, planned)) = service::next_publication(pool, today).await? else {
        return Ok(None);
    };
    let ended = q.end_date() < today;
    Ok(
        (ended && preview::open(today, planned, fw.calendar.preview_days, false))
            .then_some((q, planned)),
    )
}

/// An economy's figures of `q` as they would be published now.
async fn provisional(pool: &Pool, slug: &str, q: Quarter) -> Result<Vec<Figure>, ServiceError> {
    let fw = service::active_framework(pool).await?.framework;
    let inputs: Vec<_> = service::scoring_inputs(pool)
        .await?
        .into_iter()
        .map(|(_, i)| i)
        .collect();
    let scores = crate::domain::scoring::score_all(&fw, &inputs, Some(q));
    let themes: Vec<(String, String)> = fw
        .themes
        .iter()
        .map(|t| (t.code.clone(), t.name.clone()))
        .collect();
    Ok(scores
        .economies
        .iter()
        .find(|r| r.economy == slug)
        .map(|r| preview::figures(r, &themes))
        .unwrap_or_default())
}

/// `/my-economy`'s preview: the open window with the economy's provisional figures, and every
/// question it has asked with the board's answers.
pub async fn preview_view(
    pool: &Pool,
    slug: &str,
    today: NaiveDate,
) -> Result<PreviewView, ServiceError> {
    let open = match open_quarter(pool, today).await? {
        Some((q, planned)) => Some(OpenPreview {
            quarter: q.to_string(),
            planned,
            last_day: planned - chrono::Duration::days(1),
            figures: provisional(pool, slug, q).await?,
        }),
        None => None,
    };
    let flags = db::economy_flags(pool, slug)
        .await?
        .into_iter()
        .map(line)
        .collect();
    Ok(PreviewView { open, flags })
}

/// Every question, by quarter and economy (the board's publication page).
pub async fn all_flags(pool: &Pool) -> Result<Vec<FlagLine>, ServiceError> {
    Ok(db::all_flags(pool).await?.into_iter().map(line).collect())
}

/// A submitter questions one of their economy's provisional figures, with a reason.
pub async fn raise(
    pool: &Pool,
    user: &CurrentUser,
    figure: &str,
    reason: &str,
    today: NaiveDate,
) -> Result<String, Rejection> {
    let slug = user.economy.as_ref().ok_or_else(|| {
        Rejection::Refused("only an economy's submitters can question its figures".into())
    })?;
    let (q, planned) = open_quarter(pool, today).await?.ok_or_else(|| {
        Rejection::Refused(
            "no quarter's figures can be questioned today: the window opens in the days before a publication".into(),
        )
    })?;
    let figures = provisional(pool, slug, q).await?;
    let problems = preview::check_flag(figure, &figures, reason);
    if !problems.is_empty() {
        return Err(Rejection::Invalid(problems));
    }
    let chosen = figures
        .iter()
        .find(|f| f.key == figure)
        .expect("checked above");
    let economy = db::economy_by_slug(pool, slug)
        .await?
        .ok_or_else(|| Rejection::Refused("the economy no longer exists".into()))?;
    let reason = reason.trim();
    let audit = crate::audit::Entry::new(
        &user.email,
        "publication-flag",
        format!(
            "questioned {} ({}) of {q} before its publication on {planned}",
            chosen.words, chosen.value
        ),
    )
    .economy(Some(slug))
    .after(reason);
    db::insert_flag(
        pool,
        db::NewFlag {
            economy_id: economy.id,
            period: q,
            figure: &chosen.words,
            shown: &chosen.value,
            reason,
            by: &user.email,
        },
        &audit,
    )
    .await?;
    Ok(format!(
        "Sent to the board: your question about {} for {q}. Its answer will show here.",
        chosen.words
    ))
}

/// The board answers a question: corrected, or kept with its reason.
pub async fn answer(
    pool: &Pool,
    user: &CurrentUser,
    id: i64,
    outcome: &str,
    answer: &str,
) -> Result<String, Rejection> {
    let problems = preview::check_answer(id, outcome, answer);
    if !problems.is_empty() {
        return Err(Rejection::Invalid(problems));
    }
    let outcome = Outcome::parse(outcome).expect("checked above");
    let flag = db::flag(pool, id)
        .await?
        .ok_or_else(|| Rejection::Refused("there is no such question".into()))?;
    let answer = answer.trim();
    let economy = db::economy_by_slug(pool, &flag.slug)
        .await?
        .ok_or_else(|| Rejection::Refused("the economy no longer exists".into()))?;
    let recipients: Vec<String> = db::list_users(pool)
        .await?
        .into_iter()
        .filter(|u| !u.disabled && u.economy.as_deref() == Some(flag.slug.as_str()))
        .map(|u| u.email)
        .collect();
    let q = flag.period.clone();
    let subject = format!("The board answered your question about {q}'s figures");
    let body = match outcome {
        Outcome::Corrected => format!(
            "You questioned {} ({}) for {q}. The board corrected it before publication: {answer}",
            flag.figure, flag.shown
        ),
        Outcome::Kept => format!(
            "You questioned {} ({}) for {q}. The board keeps the figure: {answer}",
            flag.figure, flag.shown
        ),
    };
    let audit = crate::audit::Entry::new(
        &user.email,
        "publication-flag-answer",
        format!(
            "answered {}'s question about {} of {q}: {}",
            flag.name,
            flag.figure,
            outcome.as_str()
        ),
    )
    .economy(Some(&flag.slug))
    .after(answer);
    let done = db::answer_flag(
        pool,
        id,
        outcome.as_str(),
        answer,
        &user.email,
        &audit,
        db::FlagNotice {
            economy_id: economy.id,
            recipients: &recipients,
            subject: &subject,
            body: &body,
        },
    )
    .await?;
    if !done {
        return Err(Rejection::Refused(
            "this question has been answered already".into(),
        ));
    }
    Ok(format!(
        "Answered {}'s question about {}: {}.",
        flag.name,
        flag.figure,
        outcome.words().to_lowercase()
    ))
}
