//! The mail queue's rules: a message's delivery state, when a failed sending is tried again,
//! and when the service gives up. Pure: the dispatcher (`crate::mail`) applies them.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// Where a message is on its way out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DeliveryState {
    /// Waiting to be sent, or to be tried again after a failure.
    Queued,
    /// Accepted by the mail server (or written to the mail folder).
    Sent,
    /// Given up after a day of failures; an admin can send it again.
    Failed,
    /// Kept for the recipient's weekly summary.
    Held,
    /// Sent inside a weekly summary.
    Summarised,
    /// Not sent: the recipient turned this kind of message off.
    Skipped,
}

impl DeliveryState {
    pub const ALL: [DeliveryState; 6] = [
        Self::Queued,
        Self::Sent,
        Self::Failed,
        Self::Held,
        Self::Summarised,
        Self::Skipped,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Sent => "sent",
            Self::Failed => "failed",
            Self::Held => "held",
            Self::Summarised => "summarised",
            Self::Skipped => "skipped",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.as_str() == s)
    }

    /// As a person reads it in a list of messages.
    pub fn label(self) -> &'static str {
        match self {
            Self::Queued => "Waiting to send",
            Self::Sent => "Sent",
            Self::Failed => "Not delivered",
            Self::Held => "Kept for the weekly summary",
            Self::Summarised => "Sent in a weekly summary",
            Self::Skipped => "Not sent: turned off by the recipient",
        }
    }
}

/// What a message is, for the preferences of the person it goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Category {
    /// Always sent: accounts and security, decisions, returned values, questions.
    Service,
    /// A deadline reminder.
    Reminder,
    /// A publication notice with the economy's figures.
    Publication,
    /// A weekly summary of the optional messages kept for it.
    Summary,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Service => "service",
            Self::Reminder => "reminder",
            Self::Publication => "publication",
            Self::Summary => "summary",
        }
    }

    /// Whether the recipient may turn it down (and so it carries `List-Unsubscribe`).
    pub fn optional(self) -> bool {
        self != Self::Service
    }
}

/// How often a person wants one kind of optional message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Frequency {
    /// As each happens (the default).
    Now,
    /// Collected into one message a week.
    Weekly,
    /// Not at all.
    Off,
}

impl Frequency {
    pub const ALL: [Frequency; 3] = [Self::Now, Self::Weekly, Self::Off];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Now => "now",
            Self::Weekly => "weekly",
            Self::Off => "off",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Now => "As they happen",
            Self::Weekly => "In one summary a week",
            Self::Off => "Do not send them",
        }
    }

    /// The state a message of this frequency is queued in.
    pub fn queued_state(self) -> DeliveryState {
        match self {
            Self::Now => DeliveryState::Queued,
            Self::Weekly => DeliveryState::Held,
            Self::Off => DeliveryState::Skipped,
        }
    }
}

/// A weekly summary is due once the oldest message kept for it is a week old.
pub const SUMMARY_AFTER: Duration = Duration::days(7);

/// How long the service keeps trying a message before it gives up.
pub const GIVE_UP_AFTER: Duration = Duration::hours(24);

/// The longest wait between two tries.
pub const LONGEST_WAIT: Duration = Duration::hours(2);

/// How long a dispatcher holds a message it is sending before another may take it (a
/// dispatcher that stops mid-sending leaves it to be tried again after this).
pub const LEASE: Duration = Duration::minutes(5);

/// The wait after the `attempts`-th failed try: 30 seconds after the first, then four times
/// longer each time (2 minutes, 8, 32, about 2 hours), never longer than [`LONGEST_WAIT`].
pub fn wait_after(attempts: i64) -> Duration {
    let n = attempts.clamp(1, 8) as u32 - 1;
    (Duration::seconds(30) * 4_i32.pow(n)).min(LONGEST_WAIT)
}

/// What happens after a failed try: the time of the next try, or `None` when the message has
/// been waiting [`GIVE_UP_AFTER`] (or would be by the next try) and is marked failed.
pub fn after_failure(
    attempts: i64,
    queued_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    let next = now + wait_after(attempts);
    (next - queued_at <= GIVE_UP_AFTER).then_some(next)
}

/// A one-time link's lifetime is kept when it is minted again: the new token lasts as long as
/// the first was meant to, from the moment it is sent.
pub fn reminted_expiry(
    created_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> DateTime<Utc> {
    now + (expires_at - created_at).max(Duration::zero())
}

/// When a message is tried again, in words: "in less than a minute", "in 8 minutes", "in
/// 2 hours". (The real clock's wait: a date would mix it up with the programme's.)
pub fn wait_words(wait: Duration) -> String {
    let minutes = (wait.num_seconds() + 59) / 60;
    match minutes {
        ..=1 => "in less than a minute".to_string(),
        2..=89 => format!("in {minutes} minutes"),
        _ => {
            let hours = (minutes + 30) / 60;
            format!("in {hours} hour{}", if hours == 1 { "" } else { "s" })
        }
    }
}

/// An SMTP URL as it may be shown (in the log, at start-up): its user name and password
/// replaced, so a secret in it never reaches a log.
pub fn redact_url(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest)) => {
            let (authority, tail) = match rest.find(['/', '?']) {
                Some(i) => rest.split_at(i),
                None => (rest, ""),
            };
            match authority.rsplit_once('@') {
                Some((_, host)) => format!("{scheme}://[credentials hidden]@{host}{tail}"),
                None => url.to_string(),
            }
        }
        None => "[not a URL]".to_string(),
    }
}

/// What `/admin/messages` shows.
pub mod view {
    use crate::domain::paging::Paging;
    use serde::{Deserialize, Serialize};

    /// One message as admins see it: what was sent, to whom, when, and how its delivery
    /// went; never its link.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct MessageLine {
        pub id: i64,
        /// When it was queued, as a GOV.UK date and time (business time).
        pub at: String,
        pub recipient: String,
        pub subject: String,
        /// Its text, with a one-time link's place marked.
        pub body: String,
        /// `queued`, `sent` or `failed`.
        pub state: String,
        pub attempts: i64,
        pub last_error: Option<String>,
        /// For a queued message that failed before: when it is tried again (GOV.UK, real clock).
        pub next_attempt: Option<String>,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct MessagesView {
        /// The state shown (`None`: every message).
        pub state: Option<String>,
        /// How many messages are in each state, in the order of `DeliveryState::ALL`.
        pub counts: Vec<(String, i64)>,
        pub messages: Vec<MessageLine>,
        pub paging: Paging,
        /// Where mail goes, as it may be shown (credentials hidden).
        pub transport: String,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn the_first_retry_comes_within_30_seconds_then_the_waits_grow_to_two_hours() {
        assert_eq!(wait_after(1), Duration::seconds(30));
        assert_eq!(wait_after(2), Duration::minutes(2));
        assert_eq!(wait_after(3), Duration::minutes(8));
        assert_eq!(wait_after(4), Duration::minutes(32));
        assert_eq!(wait_after(5), Duration::hours(2));
        assert_eq!(wait_after(40), Duration::hours(2));
        assert_eq!(wait_after(0), Duration::seconds(30));
    }

    #[test]
    fn a_message_is_tried_again_within_a_day_and_given_up_after() {
        let queued = at("2015-04-20T09:00:00Z");
        assert_eq!(
            after_failure(1, queued, at("2015-04-20T09:00:05Z")),
            Some(at("2015-04-20T09:00:35Z"))
        );
        // The last try that still falls within the day.
        assert_eq!(
            after_failure(9, queued, at("2015-04-21T07:00:00Z")),
            Some(at("2015-04-21T09:00:00Z"))
        );
        assert_eq!(after_failure(9, queued, at("2015-04-21T07:00:01Z")), None);
    }

    #[test]
    fn a_reminted_link_lasts_as_long_as_the_first_from_when_it_is_sent() {
        let made = at("2015-04-20T09:00:00Z");
        let expires = at("2015-04-27T09:00:00Z");
        assert_eq!(
            reminted_expiry(made, expires, at("2015-04-21T10:00:00Z")),
            at("2015-04-28T10:00:00Z")
        );
    }

    #[test]
    fn credentials_in_an_smtp_url_are_hidden() {
        assert_eq!(
            redact_url("smtp://ann:s3cret@relay.nhs.net:587?tls=required"),
            "smtp://[credentials hidden]@relay.nhs.net:587?tls=required"
        );
        assert_eq!(redact_url("smtp://localhost:25"), "smtp://localhost:25");
        assert_eq!(
            redact_url("smtps://a%40b:p@w@smtp.example:465/"),
            "smtps://[credentials hidden]@smtp.example:465/"
        );
        assert_eq!(redact_url("nonsense"), "[not a URL]");
    }

    #[test]
    fn waits_read_as_words() {
        assert_eq!(wait_words(Duration::seconds(-5)), "in less than a minute");
        assert_eq!(wait_words(Duration::seconds(30)), "in less than a minute");
        assert_eq!(wait_words(Duration::seconds(61)), "in 2 minutes");
        assert_eq!(wait_words(Duration::minutes(32)), "in 32 minutes");
        assert_eq!(wait_words(Duration::minutes(100)), "in 2 hours");
        assert_eq!(wait_words(Duration::minutes(70)), "in 70 minutes");
        assert_eq!(wait_words(Duration::minutes(91)), "in 2 hours");
    }

    #[test]
    fn preferences_decide_how_an_optional_message_waits() {
        assert_eq!(Frequency::Now.queued_state(), DeliveryState::Queued);
        assert_eq!(Frequency::Weekly.queued_state(), DeliveryState::Held);
        assert_eq!(Frequency::Off.queued_state(), DeliveryState::Skipped);
        for f in Frequency::ALL {
            assert_eq!(Frequency::parse(f.as_str()), Some(f));
        }
        assert!(!Category::Service.optional());
        assert!(Category::Reminder.optional() && Category::Publication.optional());
    }

    #[test]
    fn states_read_back() {
        for s in DeliveryState::ALL {
            assert_eq!(DeliveryState::parse(s.as_str()), Some(s));
        }
        assert_eq!(DeliveryState::parse("lost"), None);
    }
}
