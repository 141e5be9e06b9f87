//! Questions between the board and an economy. Board staff ask about a value and its
//! evidence, a trust's EPR entry, the nomination or the economy in general; the economy's
//! submitters answer on the same thread (with a link if they like); the board replies or
//! closes it as resolved. Each post is mailed to the other side, kept in the audit log, and
//! never public. Who has read what is recorded as each reads.

use crate::audit::Entry;
use crate::db::{self, Pool};
use crate::domain::account::{CurrentUser, Role};
use crate::domain::format;
use crate::domain::question::view::{PostLine, QuestionLine, QuestionView, QuestionsView};
use crate::domain::question::{check_post, parse_about, QuestionState, Side};
use crate::domain::submission::check_link;
use crate::domain::Slug;
use crate::error::{AppError, Rejection};
use crate::mail::Mailer;

/// What a person writes on a thread: the text, an optional https link and an optional
/// document.
#[derive(Debug, Clone, Copy, Default)]
pub struct Post<'a> {
    pub body: &'a str,
    pub link: &'a str,
    pub document: Option<&'a Attachment>,
}

/// A document attached to a question or an answer, as uploaded.
#[derive(Debug, Clone)]
pub struct Attachment {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Checks an attachment as evidence is checked and stores it in `tx`: (name, SHA-256), or the
/// message for the form's "document" field.
async fn keep_attachment(
    tx: &mut db::Tx<'_>,
    document: Option<&Attachment>,
) -> Result<Option<(String, String)>, Rejection> {
    let Some(d) = document else {
        return Ok(None);
    };
    let content_type = crate::submissions::check_document(&d.name, &d.bytes)
        .map_err(|m| Rejection::Invalid(vec![("document".into(), m)]))?;
    let sha = db::put_file(tx, &d.bytes, content_type).await?;
    Ok(Some((d.name.clone(), sha)))
}

/// The line a message gives an attached document.
fn attached_line(document: Option<&Attachment>) -> String {
    document
        .map(|d| format!("\n\nAttached: {} (open it on Exemplar).", d.name))
        .unwrap_or_default()
}

fn side_of(by: &CurrentUser) -> Side {
    if by.role == Role::Submitter {
        Side::Economy
    } else {
        Side::Board
    }
}

/// What the board can ask `economy` about: (choice, label), in the form's order.
pub async fn subjects(
    pool: &Pool,
    economy_id: i64,
    slug: &Slug,
) -> Result<Vec<(String, String)>, AppError> {
    let fw = crate::service::active_framework(pool).await?.framework;
    let entries = db::economy_entries(pool, economy_id).await?;
    let mut out = vec![
        ("general".to_string(), "The economy in general".to_string()),
        ("nomination".to_string(), "The nomination".to_string()),
    ];
    for c in &fw.criteria {
        if let Some(latest) = entries
            .iter()
            .filter(|e| e.code == c.code)
            .map(|e| e.period)
            .max()
        {
            out.push((
                format!("value:{}@{latest}", c.code),
                format!(
                    "{}, {}: the value and its evidence",
                    c.title,
                    latest.label()
                ),
            ));
        }
    }
    for t in db::trusts(pool)
        .await?
        .into_iter()
        .filter(|t| t.economy.as_deref() == Some(slug.as_str()))
    {
        out.push((
            format!("trust:{}", t.code),
            format!("{} ({}): its EPR entry", t.name, t.code),
        ));
    }
    Ok(out)
}

/// Board staff ask an economy a question; its submitters are mailed. Returns its id.
pub async fn ask(
    pool: &Pool,
    mailer: &Mailer,
    by: &CurrentUser,
    slug: &Slug,
    about: &str,
    post: Post<'_>,
) -> Result<i64, Rejection> {
    let Post {
        body,
        link,
        document,
    } = post;
    if side_of(by) != Side::Board {
        return Err(Rejection::Refused(
            "only board staff ask an economy questions".into(),
        ));
    }
    let economy = db::economy_by_slug(pool, slug)
        .await?
        .ok_or_else(|| Rejection::Refused(format!("there is no economy {slug}")))?;
    let subjects = subjects(pool, economy.id, slug)
        .await
        .map_err(|e| Rejection::Refused(e.to_string()))?;
    let mut errors = Vec::new();
    let chosen = parse_about(about).and_then(|(kind, reference)| {
        subjects
            .iter()
            .find(|(c, _)| c == about)
            .map(|(_, label)| (kind, reference, label.clone()))
    });
    if chosen.is_none() {
        errors.push((
            "about".to_string(),
            "Select what the question is about".to_string(),
        ));
    }
    let body = check_post(body, "question").map_err(|m| errors.push(("question".into(), m)));
    let link = optional_link(link).map_err(|m| errors.push(("link".into(), m)));
    let document_ok = document
        .map(|d| crate::submissions::check_document(&d.name, &d.bytes))
        .transpose()
        .map_err(|m| errors.push(("document".into(), m)));
    let (Some((kind, reference, label)), Ok(body), Ok(link), Ok(_)) =
        (chosen, body, link, document_ok)
    else {
        return Err(Rejection::Invalid(errors));
    };
    // As it reads after "about": "the nomination", "EPMA coverage, 2015-Q1".
    let title = match kind {
        "general" => "the economy in general".to_string(),
        "nomination" => "the nomination".to_string(),
        _ => label
            .trim_end_matches(": the value and its evidence")
            .trim_end_matches(": its EPR entry")
            .to_string(),
    };
    let mut tx = db::begin(pool).await?;
    let stored = keep_attachment(&mut tx, document).await?;
    let id = db::insert_question(
        &mut tx,
        economy.id,
        (kind, &reference, &title),
        &by.email,
        &body,
        link.as_deref(),
        stored.as_ref().map(|(n, s)| (n.as_str(), s.as_str())),
    )
    .await?;
    let attached = attached_line(document);
    for u in db::economy_users(pool, slug)
        .await?
        .iter()
        .filter(|u| !u.disabled)
    {
        db::insert_outbox(
            &mut tx,
            &u.email,
            &format!("A question from the board about {title}"),
            &format!(
                "{} has asked {} a question about {title}:\n\n{body}{attached}\n\nAnswer it on Exemplar: {}",
                by.email,
                economy.name,
                mailer.link(&format!("/my-economy/questions/{id}"))
            ),
            Some(economy.id),
        )
        .await?;
    }
    db::audit_append(
        &mut tx,
        &Entry::new(
            &by.email,
            "question",
            format!("asked a question about {title}"),
        )
        .economy(Some(slug)),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

fn optional_link(link: &str) -> Result<Option<String>, String> {
    let link = link.trim();
    if link.is_empty() {
        Ok(None)
    } else {
        check_link(link).map(Some)
    }
}

/// The question `id` if `by` may see it: board staff any, a submitter their economy's.
async fn visible(
    pool: &Pool,
    by: &CurrentUser,
    id: i64,
) -> Result<Option<db::QuestionRow>, sqlx::Error> {
    let Some(q) = db::question(pool, id).await? else {
        return Ok(None);
    };
    let mine = match side_of(by) {
        Side::Board => true,
        Side::Economy => by.economy.as_ref().map(Slug::as_str) == Some(q.economy_slug.as_str()),
    };
    Ok(mine.then_some(q))
}

/// A reply (the economy's answer, or the board's reply) on question `id`; the other side is
/// mailed. A resolved question takes no more posts.
pub async fn reply(
    pool: &Pool,
    mailer: &Mailer,
    by: &CurrentUser,
    id: i64,
    post: Post<'_>,
) -> Result<(), Rejection> {
    let Post {
        body,
        link,
        document,
    } = post;
    let q = visible(pool, by, id)
        .await?
        .ok_or_else(|| Rejection::Refused("there is no such question".into()))?;
    let state = QuestionState::parse(&q.state).unwrap_or(QuestionState::WaitingEconomy);
    if state == QuestionState::Resolved {
        return Err(Rejection::Refused(
            "this question has been resolved; the board can ask a new one".into(),
        ));
    }
    let side = side_of(by);
    let what = if side == Side::Economy {
        "answer"
    } else {
        "reply"
    };
    let mut errors = Vec::new();
    let body = check_post(body, what).map_err(|m| errors.push(("answer".to_string(), m)));
    let link = optional_link(link).map_err(|m| errors.push(("link".to_string(), m)));
    let document_ok = document
        .map(|d| crate::submissions::check_document(&d.name, &d.bytes))
        .transpose()
        .map_err(|m| errors.push(("document".into(), m)));
    let (Ok(body), Ok(link), Ok(_)) = (body, link, document_ok) else {
        return Err(Rejection::Invalid(errors));
    };
    let mut tx = db::begin(pool).await?;
    let stored = keep_attachment(&mut tx, document).await?;
    db::insert_post(
        &mut tx,
        id,
        &by.email,
        side.as_str(),
        &body,
        link.as_deref(),
        stored.as_ref().map(|(n, s)| (n.as_str(), s.as_str())),
    )
    .await?;
    let attached = attached_line(document);
    db::set_question_state(&mut tx, id, state.after_post(side).as_str(), None).await?;
    match side {
        Side::Economy => {
            for to in board_side(pool, &q).await? {
                db::insert_outbox(
                    &mut tx,
                    &to,
                    &format!(
                        "{} answered your question about {}",
                        q.economy_name, q.about_title
                    ),
                    &format!(
                        "{} of {} answered:\n\n{body}{attached}\n\nRead it and reply on Exemplar: {}",
                        by.email,
                        q.economy_name,
                        mailer.link(&format!("/assess/questions/{id}"))
                    ),
                    None,
                )
                .await?;
            }
        }
        Side::Board => {
            let slug = Slug::parse(&q.economy_slug).map_err(Rejection::Refused)?;
            for u in db::economy_users(pool, &slug)
                .await?
                .iter()
                .filter(|u| !u.disabled)
            {
                db::insert_outbox(
                    &mut tx,
                    &u.email,
                    &format!("The board replied about {}", q.about_title),
                    &format!(
                        "{} replied about {}:\n\n{body}{attached}\n\nAnswer it on Exemplar: {}",
                        by.email,
                        q.about_title,
                        mailer.link(&format!("/my-economy/questions/{id}"))
                    ),
                    Some(q.economy_id),
                )
                .await?;
            }
        }
    }
    db::audit_append(
        &mut tx,
        &Entry::new(
            &by.email,
            "question",
            match side {
                Side::Economy => format!("answered the board's question about {}", q.about_title),
                Side::Board => format!("replied about {}", q.about_title),
            },
        )
        .economy(Some(&q.economy_slug)),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Board staff who took part in a question: its asker and every later board author.
async fn board_side(pool: &Pool, q: &db::QuestionRow) -> sqlx::Result<Vec<String>> {
    let mut to = vec![q.asked_by.clone()];
    for p in db::question_posts(pool, q.id).await? {
        if p.side == "board" && !to.contains(&p.author) {
            to.push(p.author);
        }
    }
    Ok(to)
}

/// Board staff close a question as resolved; the economy is told.
pub async fn resolve(pool: &Pool, by: &CurrentUser, id: i64) -> Result<(), Rejection> {
    if side_of(by) != Side::Board {
        return Err(Rejection::Refused(
            "only board staff resolve questions".into(),
        ));
    }
    let q = db::question(pool, id)
        .await?
        .ok_or_else(|| Rejection::Refused("there is no such question".into()))?;
    if q.state == QuestionState::Resolved.as_str() {
        return Err(Rejection::Refused(
            "this question was resolved already".into(),
        ));
    }
    let slug = Slug::parse(&q.economy_slug).map_err(Rejection::Refused)?;
    let mut tx = db::begin(pool).await?;
    db::set_question_state(
        &mut tx,
        id,
        QuestionState::Resolved.as_str(),
        Some(&by.email),
    )
    .await?;
    for u in db::economy_users(pool, &slug)
        .await?
        .iter()
        .filter(|u| !u.disabled)
    {
        db::insert_outbox(
            &mut tx,
            &u.email,
            &format!("The board's question about {} is resolved", q.about_title),
            &format!(
                "{} has closed the board's question about {} as resolved. Nothing more is needed from you.",
                by.email, q.about_title
            ),
            Some(q.economy_id),
        )
        .await?;
    }
    db::audit_append(
        &mut tx,
        &Entry::new(
            &by.email,
            "question",
            format!("resolved the question about {}", q.about_title),
        )
        .economy(Some(&q.economy_slug)),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Where the thing a question is about is shown, for this reader.
fn about_href(q: &db::QuestionRow, side: Side) -> Option<String> {
    let quarter = q.about_ref.split_once('@').map(|(_, p)| p.to_string());
    match (q.about_kind.as_str(), side) {
        ("value", Side::Economy) => quarter.map(|p| format!("/my-economy/periods/{p}")),
        ("value", Side::Board) => Some(format!(
            "/assess/economies/{}#every-criterion",
            q.economy_slug
        )),
        ("trust", Side::Board) => Some(format!("/assess/trusts/{}", q.about_ref)),
        ("trust", Side::Economy) => Some("/my-economy#trusts".to_string()),
        ("nomination", Side::Board) => {
            Some(format!("/assess/economies/{}#nomination", q.economy_slug))
        }
        ("nomination", Side::Economy) => Some("/my-economy/organisations".to_string()),
        _ => None,
    }
}

/// One question as `by` reads it; reading it is recorded. `None`: not theirs to see.
pub async fn view(
    pool: &Pool,
    by: &CurrentUser,
    id: i64,
) -> Result<Option<QuestionView>, AppError> {
    let Some(q) = visible(pool, by, id).await? else {
        return Ok(None);
    };
    db::mark_question_read(pool, id, by.id, q.last_post_id).await?;
    let reads = db::question_reads(pool, id).await?;
    let posts = db::question_posts(pool, id).await?;
    let base = match side_of(by) {
        Side::Board => format!("/assess/questions/{id}/documents"),
        Side::Economy => format!("/my-economy/questions/{id}/documents"),
    };
    let posts = posts
        .into_iter()
        .map(|p| PostLine {
            seen_by: reads
                .iter()
                .filter(|(email, last, _)| *last >= p.id && *email != p.author)
                .map(|(email, _, at)| (email.clone(), format::at_time(at)))
                .collect(),
            author: p.author,
            side: p.side,
            body: p.body,
            link: p.link,
            document: p.document_name.map(|name| {
                let size = p.document_size.unwrap_or(0);
                (
                    format!("{base}/{}", p.id),
                    format!("{name} ({})", format::file_size(size)),
                )
            }),
            at: format::at_time(&p.posted_at),
        })
        .collect();
    Ok(Some(QuestionView {
        id: q.id,
        about_href: about_href(&q, side_of(by)),
        economy: q.economy_name,
        economy_slug: q.economy_slug,
        about: q.about_title,
        state: q.state,
        posts,
        resolved: q
            .resolved_by
            .zip(q.resolved_at.as_deref().map(format::at_time)),
    }))
}

/// The questions about `economy_id`'s values of `quarter`: (criterion code, question id, what
/// it waits for as the economy reads it), oldest first.
pub async fn about_values(
    pool: &Pool,
    economy_id: i64,
    quarter: crate::domain::Quarter,
) -> sqlx::Result<Vec<(String, i64, String)>> {
    let suffix = format!("@{quarter}");
    let mut out: Vec<(String, i64, String)> = db::questions(pool, Some(economy_id))
        .await?
        .into_iter()
        .filter(|q| q.about_kind == "value")
        .filter_map(|q| {
            let code = q.about_ref.strip_suffix(&suffix)?.to_string();
            let state = QuestionState::parse(&q.state).unwrap_or(QuestionState::WaitingEconomy);
            Some((code, q.id, state.economy_label().to_string()))
        })
        .collect();
    out.sort_by_key(|(_, id, _)| *id);
    Ok(out)
}

/// The document attached to post `post` of question `id`, if `by` may see the question:
/// (file name, content type, bytes).
pub async fn document(
    pool: &Pool,
    by: &CurrentUser,
    id: i64,
    post: i64,
) -> sqlx::Result<Option<(String, String, Vec<u8>)>> {
    if visible(pool, by, id).await?.is_none() {
        return Ok(None);
    }
    db::question_document(pool, id, post).await
}

/// The questions `by` may see: an economy's (a submitter's own, or `slug` for board staff),
/// or every economy's for board staff without `slug`; with what the board's form can ask
/// about when one economy is shown to board staff.
pub async fn list(
    pool: &Pool,
    by: &CurrentUser,
    slug: Option<&Slug>,
) -> Result<QuestionsView, AppError> {
    let side = side_of(by);
    let slug = match side {
        Side::Economy => Some(by.economy.clone().ok_or(AppError::Forbidden)?),
        Side::Board => slug.cloned(),
    };
    let economy = match &slug {
        Some(s) => Some(
            db::economy_by_slug(pool, s)
                .await?
                .ok_or(AppError::NotFound)?,
        ),
        None => None,
    };
    let read: std::collections::HashMap<i64, i64> = db::questions_read_by(pool, by.id)
        .await?
        .into_iter()
        .collect();
    let questions = db::questions(pool, economy.as_ref().map(|e| e.id))
        .await?
        .into_iter()
        .map(|q| QuestionLine {
            unread: read.get(&q.id).is_none_or(|&last| last < q.last_post_id),
            id: q.id,
            economy: q.economy_name,
            economy_slug: q.economy_slug,
            about: q.about_title,
            state: q.state,
            opening: first_words(&q.opening, 30),
            asked_by: q.asked_by,
            asked_on: format::day_of(&q.asked_at),
            last_post: format::at_time(&q.last_post_at),
        })
        .collect();
    let subjects = match (&economy, &slug, side) {
        (Some(e), Some(s), Side::Board) => subjects(pool, e.id, s).await?,
        _ => Vec::new(),
    };
    Ok(QuestionsView {
        questions,
        subjects,
    })
}

/// The first `n` words of a text, with an ellipsis when cut.
fn first_words(text: &str, n: usize) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() <= n {
        words.join(" ")
    } else {
        format!("{}…", words[..n].join(" "))
    }
}

/// How many questions wait for each side: (waiting for the economy, waiting for the board),
/// of one economy or all.
pub async fn counts(pool: &Pool, economy_id: Option<i64>) -> sqlx::Result<(usize, usize)> {
    let qs = db::questions(pool, economy_id).await?;
    let n = |s: QuestionState| qs.iter().filter(|q| q.state == s.as_str()).count();
    Ok((
        n(QuestionState::WaitingEconomy),
        n(QuestionState::WaitingBoard),
    ))
}
