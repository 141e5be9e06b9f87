//! Mail: messages are queued in the outbox in the transaction of the change that causes them
//! (`db::insert_outbox`), and a dispatcher sends what is due: inside `exemplar serve`, or
//! once with `exemplar mail send`. With `--smtp-url` they go to that SMTP server (lettre);
//! without, each is written as an RFC 5322 `.eml` file (mode 0600) into the mail folder.
//! A failed try is tried again (`domain::mail`): nothing is lost while the server is down,
//! and no request waits for it.
//!
//! No live secret at rest: a message with a one-time link (invitation, password reset, a new
//! authenticator's enrolment, a lead contact's first password) is queued with its body
//! holding [`LINK_KEPT_OUT`] and its token's hash. The token is minted again as the message
//! leaves (only its new hash is stored), so the link exists only in the sent message: never
//! in the database, a page or the log.

use crate::audit::Entry;
use crate::db::{self, Pool};
use crate::domain::account::CurrentUser;
use crate::domain::format;
use crate::domain::mail::view::{MessageLine, MessagesView};
use crate::domain::mail::{self as rules, DeliveryState};
use crate::domain::paging::Paging;
use chrono::{DateTime, SecondsFormat, Utc};
use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::io::Write;
use std::path::PathBuf;

/// What a stored message says in place of its link.
pub const LINK_KEPT_OUT: &str = "[a one-time link, sent only to the recipient]";

/// Where people choose which optional messages they get.
pub const PREFERENCES: &str = "/account#email";

/// How many messages a dispatcher claims at a time.
const BATCH: i64 = 20;

/// Where messages go and how links are made.
#[derive(Debug, Clone)]
pub struct Mailer {
    /// Where people reach the service (no trailing slash), for links.
    pub public_url: String,
    /// The mail folder (`--mail-dir`, default `data/mail`), used without an SMTP server.
    pub dir: PathBuf,
    /// The sender (`--mail-from`).
    pub from: String,
    /// The SMTP server (`--smtp-url`, lettre's URL form); `None` writes files instead.
    pub smtp_url: Option<String>,
}

/// A message with a one-time link, ready to queue: `body` holds [`LINK_KEPT_OUT`] where the
/// link goes, `path` the link's path with `{token}` for the token. The token made here is
/// thrown away: only its hash is kept, and the message's own token is minted as it is sent.
#[derive(Debug, Clone)]
pub struct Letter {
    pub to: String,
    pub subject: String,
    pub body: String,
    pub path: String,
    /// The hash to store with the token's row (`db::insert_token`).
    pub token_hash: String,
}

impl Letter {
    pub fn new(to: &str, subject: &str, body: String, path: &str) -> Self {
        Letter {
            to: to.to_string(),
            subject: subject.to_string(),
            body,
            path: path.to_string(),
            token_hash: crate::auth::token_hash(&crate::auth::random_token()),
        }
    }

    /// Queues the letter in `tx`, the transaction that made its token.
    pub async fn queue(&self, tx: &mut db::Tx<'_>, economy_id: Option<i64>) -> sqlx::Result<()> {
        db::insert_outbox_link(
            tx,
            &self.to,
            &self.subject,
            &self.body,
            economy_id,
            (&self.token_hash, &self.path),
        )
        .await
    }
}

/// How messages leave.
enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(PathBuf),
}

impl Mailer {
    pub fn new(public_url: &str, dir: impl Into<PathBuf>) -> Self {
        let host = public_url
            .split("://")
            .nth(1)
            .and_then(|r| r.split(['/', ':']).next())
            .filter(|h| h.contains('.'))
            .unwrap_or("exemplar.localhost");
        Mailer {
            public_url: public_url.trim_end_matches('/').to_string(),
            dir: dir.into(),
            from: format!("Exemplar <noreply@{host}>"),
            smtp_url: None,
        }
    }

    /// A link to `path` on this service.
    pub fn link(&self, path: &str) -> String {
        format!("{}{path}", self.public_url)
    }

    /// Where messages go, as it may be shown (an SMTP server's credentials hidden).
    pub fn describe(&self) -> String {
        match &self.smtp_url {
            Some(url) => format!("the SMTP server {}", rules::redact_url(url)),
            None => format!("{} (as .eml files)", self.dir.display()),
        }
    }

    /// Checks the settings before the service starts: the sender is an address and the SMTP
    /// URL (if any) is one lettre can use. The message never repeats the URL's secrets.
    pub fn check(&self) -> Result<(), String> {
        self.from
            .parse::<Mailbox>()
            .map_err(|e| format!("the sender \"{}\" is not a mail address: {e}", self.from))?;
        self.transport().map(|_| ())
    }

    fn transport(&self) -> Result<Transport, String> {
        match &self.smtp_url {
            None => Ok(Transport::Files(self.dir.clone())),
            Some(url) => AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                .map(|b| {
                    Transport::Smtp(b.timeout(Some(std::time::Duration::from_secs(30))).build())
                })
                .map_err(|e| {
                    format!(
                        "the SMTP URL {} cannot be used: {e}",
                        rules::redact_url(url)
                    )
                }),
        }
    }

    /// The message as it leaves: plain text and HTML, from the sender, to its recipient. A
    /// message the recipient may turn down says where (`List-Unsubscribe`: their preferences).
    fn compose(
        &self,
        to: &str,
        subject: &str,
        text: &str,
        link: Option<&str>,
        optional: bool,
    ) -> Result<Message, String> {
        let from: Mailbox = self.from.parse().map_err(|e| format!("sender: {e}"))?;
        let to: Mailbox = to
            .parse()
            .map_err(|e| format!("\"{to}\" is not a mail address: {e}"))?;
        let mut builder = Message::builder().from(from).to(to).subject(subject);
        if optional {
            builder = builder.raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe"),
                format!("<{}>", self.link(PREFERENCES)),
            ));
        }
        builder
            .multipart(
                MultiPart::alternative()
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_PLAIN)
                            .body(text.to_string()),
                    )
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_HTML)
                            .body(html(subject, text, link)),
                    ),
            )
            .map_err(|e| e.to_string())
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The HTML twin of a message's text, in the NHS.UK style: a blue header, the text in
/// paragraphs, and the link as the one action.
fn html(subject: &str, text: &str, link: Option<&str>) -> String {
    let mut paragraphs = String::new();
    for p in text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
        let mut p = escape(p).replace('\n', "<br>");
        if let Some(link) = link {
            let a = format!(
                "<a href=\"{0}\" style=\"color:#005eb8\">{0}</a>",
                escape(link)
            );
            p = p.replace(&escape(link), &a);
        }
        paragraphs.push_str(&format!(
            "<p style=\"margin:0 0 16px;font-size:19px;line-height:28px\">{p}</p>"
        ));
    }
    format!(
        "<!DOCTYPE html><html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>{}</title></head>\
         <body style=\"margin:0;font-family:Arial,sans-serif;color:#212b32;background:#f0f4f5\">\
         <div style=\"background:#005eb8;color:#ffffff;padding:16px 24px;font-size:24px;font-weight:bold\">Exemplar</div>\
         <div style=\"background:#ffffff;padding:24px;max-width:640px\">{paragraphs}</div></body></html>",
        escape(subject)
    )
}

/// What one pass of the dispatcher did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pass {
    pub sent: usize,
    /// Failed this time, to be tried again.
    pub retrying: usize,
    /// Given up (a day of failures, or a message that can never go).
    pub failed: usize,
}

/// Sends every message due now, once: each claimed by this dispatcher alone, its link minted
/// as it leaves, then marked sent, to be tried again, or failed.
pub async fn send_due(pool: &Pool, mailer: &Mailer) -> sqlx::Result<Pass> {
    let mut pass = Pass::default();
    queue_summaries(pool, mailer, Utc::now()).await?;
    let transport = match mailer.transport() {
        Ok(t) => t,
        Err(e) => {
            tracing::error!("mail cannot be sent: {e}");
            return Ok(pass);
        }
    };
    loop {
        let now = Utc::now();
        let due = db::claim_due(pool, &stamp(now), &stamp(now + rules::LEASE), BATCH).await?;
        if due.is_empty() {
            return Ok(pass);
        }
        for m in due {
            match send_one(pool, mailer, &transport, &m).await? {
                Ok(()) => {
                    db::mark_sent(pool, m.id, &stamp(Utc::now())).await?;
                    tracing::info!(message = m.id, to = %m.recipient, subject = %m.subject, "message sent");
                    pass.sent += 1;
                }
                Err((error, permanent)) => {
                    let queued = m
                        .queued_at
                        .as_deref()
                        .and_then(|q| DateTime::parse_from_rfc3339(q).ok())
                        .map(|q| q.with_timezone(&Utc))
                        .unwrap_or(now);
                    let next = (!permanent)
                        .then(|| rules::after_failure(m.attempts, queued, Utc::now()))
                        .flatten();
                    db::mark_unsent(pool, m.id, &error, next.map(stamp).as_deref()).await?;
                    match next {
                        Some(at) => {
                            tracing::warn!(message = m.id, to = %m.recipient, attempts = m.attempts, next = %stamp(at), "message not sent: {error}");
                            pass.retrying += 1;
                        }
                        None => {
                            tracing::error!(message = m.id, to = %m.recipient, attempts = m.attempts, "message given up: {error}");
                            pass.failed += 1;
                        }
                    }
                }
            }
        }
    }
}

/// Gathers the messages kept for weekly summaries into one message a person, for each person
/// whose oldest kept message is a week old at `now`. Returns how many summaries were queued.
pub async fn queue_summaries(
    pool: &Pool,
    mailer: &Mailer,
    now: DateTime<Utc>,
) -> sqlx::Result<usize> {
    let mut queued = 0;
    for recipient in db::summaries_due(pool, &stamp(now - rules::SUMMARY_AFTER)).await? {
        let held = db::held_for(pool, &recipient).await?;
        let mut tx = db::begin(pool).await?;
        let mut parts = Vec::new();
        for (id, subject, body, at) in held {
            if db::mark_summarised(&mut tx, id).await? {
                parts.push(format!("{} ({})\n{body}", subject, format::day_of(&at)));
            }
        }
        if parts.is_empty() {
            continue;
        }
        let body = format!(
            "Here are the messages from Exemplar of the past week, in one message as you asked.\n\n{}\n\nChoose how often you get reminders and publication notices: {}",
            parts.join("\n\n"),
            mailer.link(PREFERENCES)
        );
        db::insert_summary(&mut tx, &recipient, &body).await?;
        tx.commit().await?;
        queued += 1;
    }
    Ok(queued)
}

/// One message out. The outer error is the database's; the inner says why the message did
/// not go, and whether trying again could help.
async fn send_one(
    pool: &Pool,
    mailer: &Mailer,
    transport: &Transport,
    m: &db::DueMessage,
) -> sqlx::Result<Result<(), (String, bool)>> {
    let mut text = m.body.clone();
    let mut link = None;
    if let (Some(old), Some(path)) = (&m.token_hash, &m.link_path) {
        let Some(token) = db::link_token(pool, old).await? else {
            return Ok(Err(("the message's link no longer exists".into(), true)));
        };
        if token.used_at.is_some() {
            return Ok(Err((
                "the message's link was used before it could be sent".into(),
                true,
            )));
        }
        let now = Utc::now();
        let parse = |s: &str| {
            DateTime::parse_from_rfc3339(s)
                .map(|d| d.with_timezone(&Utc))
                .unwrap_or(now)
        };
        let expires =
            rules::reminted_expiry(parse(&token.created_at), parse(&token.expires_at), now);
        let fresh = crate::auth::random_token();
        if !db::remint_token(
            pool,
            m.id,
            old,
            &crate::auth::token_hash(&fresh),
            &stamp(now),
            &stamp(expires),
        )
        .await?
        {
            return Ok(Err((
                "the message's link was used before it could be sent".into(),
                true,
            )));
        }
        let live = mailer.link(&path.replace("{token}", &fresh));
        text = text.replace(LINK_KEPT_OUT, &live);
        link = Some(live);
    }
    let optional = m.category != rules::Category::Service.as_str();
    let message = match mailer.compose(&m.recipient, &m.subject, &text, link.as_deref(), optional) {
        Ok(message) => message,
        Err(e) => return Ok(Err((e, true))),
    };
    let result = match transport {
        Transport::Smtp(smtp) => smtp.send(message).await.map(|_| ()).map_err(|e| {
            let permanent = e.is_permanent();
            (e.to_string(), permanent)
        }),
        Transport::Files(dir) => {
            let dir = dir.clone();
            let bytes = message.formatted();
            tokio::task::spawn_blocking(move || write_file(&dir, &bytes))
                .await
                .map_err(|e| (e.to_string(), false))
                .and_then(|r| r.map(|_| ()).map_err(|e| (e.to_string(), false)))
        }
    };
    Ok(result)
}

fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Writes a message into the mail folder, readable only by this service's user.
fn write_file(dir: &std::path::Path, bytes: &[u8]) -> std::io::Result<PathBuf> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)?;
    let now = Utc::now();
    let id = crate::auth::random_token();
    let path = dir.join(format!(
        "{}-{}.eml",
        now.format("%Y%m%dT%H%M%S%.6fZ"),
        &id[..12]
    ));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(&path)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    Ok(path)
}

/// Runs the dispatcher for as long as the service: a pass every second (a message queued by
/// a request leaves within about a second; one to be tried again, at its time).
pub fn spawn_dispatcher(pool: Pool, mailer: Mailer) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(1));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Err(e) = send_due(&pool, &mailer).await {
                tracing::error!("the mail queue cannot be read: {e}");
            }
        }
    })
}

/// How many messages a page of `/admin/messages` shows.
pub const MESSAGES_PAGE: usize = crate::domain::paging::PAGE_SIZE;

/// `/admin/messages`: the messages in `state` (empty or unknown: all), newest first, the page
/// `page` (`?page=` as given).
pub async fn messages_view(
    pool: &Pool,
    mailer: &Mailer,
    state: &str,
    page: &str,
) -> sqlx::Result<MessagesView> {
    let state = DeliveryState::parse(state);
    let stored = db::outbox_states(pool).await?;
    let counts: Vec<(String, i64)> = DeliveryState::ALL
        .iter()
        .map(|d| {
            let n = stored
                .iter()
                .find(|(s, _)| s == d.as_str())
                .map_or(0, |(_, n)| *n);
            (d.as_str().to_string(), n)
        })
        .collect();
    let total: i64 = match state {
        Some(d) => counts
            .iter()
            .find(|(s, _)| s == d.as_str())
            .map_or(0, |(_, n)| *n),
        None => counts.iter().map(|(_, n)| n).sum(),
    };
    let paging = Paging::new(page, total.max(0) as usize, MESSAGES_PAGE);
    let now = Utc::now();
    let messages = db::outbox(
        pool,
        state.map(DeliveryState::as_str),
        paging.offset() as i64,
        MESSAGES_PAGE as i64,
    )
    .await?
    .into_iter()
    .map(|m| MessageLine {
        id: m.id,
        at: format::at_time(&m.created_at),
        next_attempt: (m.state == "queued" && m.attempts > 0)
            .then(|| {
                m.next_attempt_at
                    .as_deref()
                    .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
                    .map(|t| rules::wait_words(t.with_timezone(&Utc) - now))
            })
            .flatten(),
        recipient: m.recipient,
        subject: m.subject,
        body: m.body,
        state: m.state,
        attempts: m.attempts,
        last_error: m.last_error,
    })
    .collect();
    Ok(MessagesView {
        state: state.map(|d| d.as_str().to_string()),
        counts,
        messages,
        paging,
        transport: mailer.describe(),
    })
}

/// How `user_id` takes reminders and publication notices: (reminders, publications).
pub async fn preferences(
    pool: &Pool,
    user_id: i64,
) -> sqlx::Result<(rules::Frequency, rules::Frequency)> {
    db::mail_preferences(pool, user_id).await
}

/// A person chooses how often they get deadline reminders and publication notices (`now`,
/// `weekly` or `off` each); recorded in the audit log.
pub async fn set_preferences(
    pool: &Pool,
    user: &CurrentUser,
    reminders: &str,
    publications: &str,
) -> Result<(), crate::error::Rejection> {
    use crate::domain::mail::Frequency;
    let r = Frequency::parse(reminders);
    let p = Frequency::parse(publications);
    let mut errors = Vec::new();
    if r.is_none() {
        errors.push((
            "reminders".to_string(),
            "Select how often you want deadline reminders".to_string(),
        ));
    }
    if p.is_none() {
        errors.push((
            "publications".to_string(),
            "Select how often you want publication notices".to_string(),
        ));
    }
    let (Some(r), Some(p)) = (r, p) else {
        return Err(crate::error::Rejection::Invalid(errors));
    };
    let mut tx = db::begin(pool).await?;
    db::set_mail_preferences(&mut tx, user.id, r, p).await?;
    db::audit_append(
        &mut tx,
        &Entry::new(
            &user.email,
            "account",
            format!(
                "chose email preferences: deadline reminders {}, publication notices {}",
                r.label().to_lowercase(),
                p.label().to_lowercase()
            ),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Why a message could not be sent again.
#[derive(Debug, thiserror::Error)]
pub enum ResendError {
    #[error("there is no message {0}")]
    NotFound(i64),
    #[error("the message to {0} has not failed: only a message that could not be delivered is sent again")]
    NotFailed(String),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// An admin sends a failed message again: it is queued, due now (a one-time link in it is
/// minted again as it leaves), and the audit log says who did it. Returns the recipient.
pub async fn resend(pool: &Pool, admin: &CurrentUser, id: i64) -> Result<String, ResendError> {
    let m = db::outbox_message(pool, id)
        .await?
        .ok_or(ResendError::NotFound(id))?;
    let mut tx = db::begin(pool).await?;
    if !db::requeue(&mut tx, id).await? {
        return Err(ResendError::NotFailed(m.recipient));
    }
    db::audit_append(
        &mut tx,
        &Entry::new(
            &admin.email,
            "message",
            format!(
                "sent again the message \"{}\" to {}, which could not be delivered ({})",
                m.subject,
                m.recipient,
                m.last_error.as_deref().unwrap_or("no reason recorded")
            ),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(m.recipient)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_leaves_as_plain_text_and_html_with_its_link_whole() {
        let mailer = Mailer::new("https://exemplar.example.nhs.uk", "/nonexistent");
        let link = format!("{}/invitations/{}", mailer.public_url, "ab".repeat(32));
        let text = format!("Ann Jones has invited you.\n\nAccept within 7 days: {link}");
        let m = mailer
            .compose(
                "ann@york.nhs.uk",
                "You are invited to Exemplar",
                &text,
                Some(&link),
                false,
            )
            .unwrap();
        // Lines longer than 76 characters go as quoted-printable: undone here as a mail
        // client does (soft line breaks, then escaped characters).
        let raw = String::from_utf8(m.formatted())
            .unwrap()
            .replace("=\r\n", "")
            .replace("=3D", "=");
        assert!(raw.contains("From: Exemplar <noreply@exemplar.example.nhs.uk>"));
        assert!(raw.contains("To: ann@york.nhs.uk"));
        assert!(raw.contains("Content-Type: text/plain; charset=utf-8"));
        assert!(raw.contains("Content-Type: text/html; charset=utf-8"));
        // The link whole in both parts: once in the text, twice in the HTML (href and text).
        assert_eq!(raw.matches(&link).count(), 3, "{raw}");
        assert!(raw.contains(&format!("<a href=\"{link}\"")));
        assert!(!raw.contains("List-Unsubscribe"));
        // A reminder says where to turn such messages off.
        let m = mailer
            .compose("ann@york.nhs.uk", "Values are due", "Soon.", None, true)
            .unwrap();
        let raw = String::from_utf8(m.formatted()).unwrap();
        assert!(
            raw.contains("List-Unsubscribe: <https://exemplar.example.nhs.uk/account#email>"),
            "{raw}"
        );
    }

    #[test]
    fn html_escapes_what_people_typed() {
        let h = html("A <b>", "Reason: <script>x</script> & more", None);
        assert!(h.contains("&lt;script&gt;x&lt;/script&gt; &amp; more"));
        assert!(h.contains("<title>A &lt;b&gt;</title>"));
    }

    #[test]
    fn a_bad_smtp_url_is_refused_without_its_secret() {
        let mut mailer = Mailer::new("https://exemplar.example.nhs.uk", "/nonexistent");
        mailer.smtp_url = Some("smtp://ann:s3cret@relay.example:notaport".into());
        let e = mailer.check().unwrap_err();
        assert!(!e.contains("s3cret"), "{e}");
        assert!(e.contains("relay.example"), "{e}");
        mailer.smtp_url = Some("smtp://relay.example:25".into());
        assert_eq!(mailer.check(), Ok(()));
    }
}
