//! Two clocks. The programme's clock tells business time: when a value was submitted,
//! verified or returned, a decision made, a quarter published, a message sent, an audit entry
//! recorded. With the programme's today set (`--today`, the demo's 20 April 2015) business
//! time is that day at the real time of day, so every date a person reads agrees with the
//! quarters and deadlines beside it, and "waiting 7 days or more" means programme days.
//! Security keeps the real clock: sessions, one-time codes, tokens and their expiry, rate
//! limits (`auth::unix_now`, `real_stamp`). The audit log stores both.
//!
//! The programme's day is set for a request (by the server's middleware), a command or a
//! background task with [`running_on`]; where none is set (work Leptos spawns apart from
//! its request), the process's default from [`set_default_day`] is used, else the real clock.

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use std::future::Future;
use std::sync::OnceLock;

tokio::task_local! {
    static PROGRAMME_DAY: NaiveDate;
}

static DEFAULT_DAY: OnceLock<NaiveDate> = OnceLock::new();

/// The programme's day for this process, for work outside a request's task (`exemplar
/// serve` sets it once; a process serving several programmes, such as the tests, does not).
pub fn set_default_day(day: NaiveDate) {
    let _ = DEFAULT_DAY.set(day);
}

/// Runs `f` with the programme's day set (`None`: the real clock's).
pub async fn running_on<F: Future>(day: Option<NaiveDate>, f: F) -> F::Output {
    match day {
        Some(day) => PROGRAMME_DAY.scope(day, f).await,
        None => f.await,
    }
}

/// Business time now: the programme's day at the real time of day, or the real clock.
pub fn now() -> DateTime<Utc> {
    let real = Utc::now();
    let day = PROGRAMME_DAY
        .try_with(|d| *d)
        .ok()
        .or_else(|| DEFAULT_DAY.get().copied());
    match day {
        Some(day) => day.and_time(real.time()).and_utc(),
        None => real,
    }
}

/// Business time now as stored (RFC 3339, to the second, UTC).
pub fn stamp() -> String {
    now().to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// The real clock as stored, for security and for the audit log's second timestamp.
pub fn real_stamp() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn business_time_runs_on_the_programmes_day_and_security_on_the_real_one() {
        let day = NaiveDate::from_ymd_opt(2015, 4, 20).unwrap();
        let (business, real) = running_on(Some(day), async { (stamp(), real_stamp()) }).await;
        assert!(business.starts_with("2015-04-20T"), "{business}");
        assert!(!real.starts_with("2015-"), "{real}");
        // The time of day is the real one.
        assert_eq!(business.get(10..16), real.get(10..16));
        // Without a day, business time is the real clock (this test process sets no default).
        assert_eq!(stamp().get(..13), real_stamp().get(..13));
    }
}
