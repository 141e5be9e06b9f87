//! Questions between the board and an economy: what a question can be about, whose turn it
//! is, and what a post may say. Pure; the service (`crate::questions`) stores and mails.

use serde::{Deserialize, Serialize};

/// Which side of a conversation someone writes for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Side {
    Board,
    Economy,
}

impl Side {
    pub fn as_str(self) -> &'static str {
        match self {
            Side::Board => "board",
            Side::Economy => "economy",
        }
    }
}

/// Whose turn it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum QuestionState {
    /// The board asked or replied: waiting for the economy.
    WaitingEconomy,
    /// The economy answered: waiting for the board.
    WaitingBoard,
    /// Closed by the board.
    Resolved,
}

impl QuestionState {
    pub const ALL: [QuestionState; 3] = [
        QuestionState::WaitingEconomy,
        QuestionState::WaitingBoard,
        QuestionState::Resolved,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::WaitingEconomy => "waiting-economy",
            Self::WaitingBoard => "waiting-board",
            Self::Resolved => "resolved",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|q| q.as_str() == s)
    }

    /// After a post by `side`: the other side's turn (a resolved question stays resolved).
    pub fn after_post(self, side: Side) -> Self {
        match (self, side) {
            (Self::Resolved, _) => Self::Resolved,
            (_, Side::Board) => Self::WaitingEconomy,
            (_, Side::Economy) => Self::WaitingBoard,
        }
    }

    /// As the board reads it.
    pub fn board_label(self) -> &'static str {
        match self {
            Self::WaitingEconomy => "Waiting for the economy",
            Self::WaitingBoard => "Answered: waiting for the board",
            Self::Resolved => "Resolved",
        }
    }

    /// As the economy reads it.
    pub fn economy_label(self) -> &'static str {
        match self {
            Self::WaitingEconomy => "Waiting for your answer",
            Self::WaitingBoard => "Answered: waiting for the board",
            Self::Resolved => "Resolved",
        }
    }
}

/// What a question is about, as chosen on the board's form: `general`, `nomination`,
/// `value:CODE@YYYY-Qn` or `trust:CODE`. Returns (kind, reference).
pub fn parse_about(choice: &str) -> Option<(&'static str, String)> {
    match choice.split_once(':') {
        None if choice == "general" => Some(("general", String::new())),
        None if choice == "nomination" => Some(("nomination", String::new())),
        Some(("value", r)) if r.contains('@') && !r.starts_with('@') && !r.ends_with('@') => {
            Some(("value", r.to_string()))
        }
        Some(("trust", r)) if !r.is_empty() && r.chars().all(|c| c.is_ascii_alphanumeric()) => {
            Some(("trust", r.to_string()))
        }
        _ => None,
    }
}

/// The longest post.
pub const MAX_POST: usize = 4000;

/// A post's text, checked: the problem is said for the field `field`.
pub fn check_post(body: &str, what: &str) -> Result<String, String> {
    let body = body.trim();
    if body.is_empty() {
        return Err(format!("Write your {what}"));
    }
    if body.chars().count() > MAX_POST {
        return Err(format!("Your {what} must be 4,000 characters or fewer"));
    }
    Ok(body.to_string())
}

/// What the pages show.
pub mod view {
    use serde::{Deserialize, Serialize};

    /// A question in a list.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct QuestionLine {
        pub id: i64,
        pub economy: String,
        pub economy_slug: String,
        pub about: String,
        /// `waiting-economy`, `waiting-board` or `resolved`.
        pub state: String,
        /// The first words of the question.
        pub opening: String,
        pub asked_by: String,
        /// GOV.UK date.
        pub asked_on: String,
        /// GOV.UK date and time of the latest post.
        pub last_post: String,
        /// The reader has not seen its latest post.
        pub unread: bool,
    }

    /// One post of a question.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct PostLine {
        pub author: String,
        /// `board` or `economy`.
        pub side: String,
        pub body: String,
        pub link: Option<String>,
        /// An attached document: (where to download it, its name and size).
        pub document: Option<(String, String)>,
        /// GOV.UK date and time.
        pub at: String,
        /// Who has seen this post (and the later ones are theirs to see): email, when.
        pub seen_by: Vec<(String, String)>,
    }

    /// One question, as either side reads it.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct QuestionView {
        pub id: i64,
        pub economy: String,
        pub economy_slug: String,
        pub about: String,
        /// Where the thing it is about is shown, for this reader.
        pub about_href: Option<String>,
        pub state: String,
        pub posts: Vec<PostLine>,
        /// Who resolved it, and when (GOV.UK).
        pub resolved: Option<(String, String)>,
    }

    /// The questions of one economy (or all, for the board), newest activity first.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct QuestionsView {
        pub questions: Vec<QuestionLine>,
        /// What the board's form can ask about: (choice, label).
        pub subjects: Vec<(String, String)>,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_turn_passes_to_the_other_side() {
        use QuestionState::*;
        assert_eq!(WaitingEconomy.after_post(Side::Economy), WaitingBoard);
        assert_eq!(WaitingBoard.after_post(Side::Board), WaitingEconomy);
        assert_eq!(WaitingEconomy.after_post(Side::Board), WaitingEconomy);
        assert_eq!(Resolved.after_post(Side::Economy), Resolved);
        for s in QuestionState::ALL {
            assert_eq!(QuestionState::parse(s.as_str()), Some(s));
        }
    }

    #[test]
    fn a_question_is_about_one_known_kind_of_thing() {
        assert_eq!(parse_about("general"), Some(("general", String::new())));
        assert_eq!(
            parse_about("nomination"),
            Some(("nomination", String::new()))
        );
        assert_eq!(
            parse_about("value:EPMA@2015-Q1"),
            Some(("value", "EPMA@2015-Q1".to_string()))
        );
        assert_eq!(parse_about("trust:RR8"), Some(("trust", "RR8".to_string())));
        for bad in [
            "",
            "value:",
            "value:EPMA",
            "value:@2015-Q1",
            "trust:",
            "trust:R R8",
            "x:y",
        ] {
            assert_eq!(parse_about(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_post_says_something_and_not_too_much() {
        assert_eq!(
            check_post("  Why did it fall?  ", "question"),
            Ok("Why did it fall?".into())
        );
        assert_eq!(
            check_post(" ", "question"),
            Err("Write your question".into())
        );
        assert_eq!(
            check_post(&"a".repeat(4001), "answer"),
            Err("Your answer must be 4,000 characters or fewer".into())
        );
    }
}
