//! Undoing a review: the person who verified or returned a value can take it back for a
//! minute, as long as nothing has happened to the value since.

use chrono::{DateTime, Utc};

/// How long a review can be undone, in seconds.
pub const UNDO_SECONDS: i64 = 60;

/// The outcome kept in `reviews` when a review is undone.
pub const UNDONE: &str = "undone";

/// A review's outcome as staff read it: "Verified", "Returned" or "Review undone".
pub fn outcome_words(outcome: &str) -> &'static str {
    match outcome {
        "verified" => "Verified",
        UNDONE => "Review undone",
        _ => "Returned",
    }
}

/// Why a review cannot be undone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UndoRefusal {
    /// More than a minute has passed (or the clock moved back).
    TooLate,
    /// The value changed since the review (resubmitted, or reviewed again).
    Changed,
}

/// Whether a review made at `reviewed_at` of the value `reviewed` (giving it the status
/// `gave`) can be undone at `now`, the value being stored now as `stored` (value, status).
pub fn undo_applies(
    reviewed_at: DateTime<Utc>,
    now: DateTime<Utc>,
    reviewed: &str,
    gave: super::Status,
    stored: Option<(&str, super::Status)>,
) -> Result<(), UndoRefusal> {
    let age = (now - reviewed_at).num_seconds();
    if !(0..=UNDO_SECONDS).contains(&age) {
        return Err(UndoRefusal::TooLate);
    }
    match stored {
        Some((value, status)) if value == reviewed && status == gave => Ok(()),
        _ => Err(UndoRefusal::Changed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Status;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn outcomes_read_as_words() {
        assert_eq!(outcome_words("verified"), "Verified");
        assert_eq!(outcome_words("returned"), "Returned");
        assert_eq!(outcome_words(UNDONE), "Review undone");
    }

    #[test]
    fn a_review_is_undone_within_a_minute_while_the_value_stands() {
        let t = at("2015-04-20T10:00:00Z");
        let ok = |now: &str| {
            undo_applies(
                t,
                at(now),
                "96",
                Status::Verified,
                Some(("96", Status::Verified)),
            )
        };
        assert_eq!(ok("2015-04-20T10:00:00Z"), Ok(()));
        assert_eq!(ok("2015-04-20T10:01:00Z"), Ok(()));
        assert_eq!(ok("2015-04-20T10:01:01Z"), Err(UndoRefusal::TooLate));
        assert_eq!(ok("2015-04-20T09:59:59Z"), Err(UndoRefusal::TooLate));
        // Resubmitted, reviewed again or gone since: not undone.
        for stored in [
            Some(("97", Status::Submitted)),
            Some(("96", Status::Rejected)),
            None,
        ] {
            assert_eq!(
                undo_applies(t, t, "96", Status::Verified, stored),
                Err(UndoRefusal::Changed)
            );
        }
    }
}
