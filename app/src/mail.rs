//! Messages that carry a one-time link (invitations, password resets, a new authenticator's
//! enrolment, a lead contact's first password). The link is a live secret: it goes only into
//! the message to its owner, written as an RFC 5322 `.eml` file (mode 0600) into the mail
//! folder, never into the outbox table, a page or the log. The outbox keeps the message with
//! the link replaced by `LINK_KEPT_OUT`, so staff see who was sent what, and when.

use std::io::Write;
use std::path::PathBuf;

/// What a stored message says in place of its link.
pub const LINK_KEPT_OUT: &str = "[a one-time link, sent only to the recipient]";

/// Where messages go and how links are made.
#[derive(Debug, Clone)]
pub struct Mailer {
    /// Where people reach the service (no trailing slash), for links.
    pub public_url: String,
    /// The mail folder (`--mail-dir`, default `data/mail`).
    pub dir: PathBuf,
    /// The sender.
    pub from: String,
}

/// One message with its live link.
#[derive(Debug, Clone)]
pub struct Letter {
    pub to: String,
    pub subject: String,
    /// The whole text, link included.
    pub body: String,
    /// The link in `body`, kept out of what is stored.
    pub link: String,
}

impl Letter {
    /// The text the outbox keeps: the body without its link.
    pub fn stored_body(&self) -> String {
        self.body.replace(&self.link, LINK_KEPT_OUT)
    }
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
        }
    }

    /// A link to `path` on this service.
    pub fn link(&self, path: &str) -> String {
        format!("{}{path}", self.public_url)
    }

    /// Writes the message into the mail folder, readable only by this service's user.
    pub fn deliver(&self, letter: &Letter) -> std::io::Result<PathBuf> {
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            builder.mode(0o700);
        }
        builder.create(&self.dir)?;
        let now = chrono::Utc::now();
        let id = crate::auth::random_token();
        let path = self.dir.join(format!(
            "{}-{}.eml",
            now.format("%Y%m%dT%H%M%S%.6fZ"),
            &id[..12]
        ));
        let text = format!(
            "From: {}\r\nTo: {}\r\nSubject: {}\r\nDate: {}\r\nMessage-ID: <{id}@exemplar>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{}\r\n",
            self.from,
            letter.to,
            letter.subject,
            now.to_rfc2822(),
            letter.body.replace('\n', "\r\n"),
        );
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options.open(&path)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        Ok(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_letter_is_delivered_whole_and_stored_without_its_link() {
        let dir = std::env::temp_dir().join(format!("exemplar-mail-{}", std::process::id()));
        let mailer = Mailer::new("https://exemplar.example.nhs.uk", &dir);
        let link = mailer.link("/invitations/abc123");
        let letter = Letter {
            to: "ann@york.nhs.uk".into(),
            subject: "You are invited".into(),
            body: format!("Accept within 7 days: {link}"),
            link: link.clone(),
        };
        assert_eq!(
            letter.stored_body(),
            format!("Accept within 7 days: {LINK_KEPT_OUT}")
        );
        let path = mailer.deliver(&letter).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("To: ann@york.nhs.uk\r\n"));
        assert!(text.contains("From: Exemplar <noreply@exemplar.example.nhs.uk>"));
        assert!(text.contains(&link));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
