//! Publication: what the admins' publication and frameworks pages show (the rules of
//! publishing are in `scoring` and `submission`; storing is in `service`).

/// What `/admin/publication` and `/admin/frameworks` show.
pub mod view {
    use serde::{Deserialize, Serialize};

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct QuarterLine {
        pub quarter: String,
        pub ended: bool,
        pub deadline: String,
        pub deadline_moved: bool,
        pub planned: String,
        /// revision, published on
        pub published: Option<(i64, String)>,
        /// How many published figures differ from the live ones now.
        pub differs: Option<usize>,
        /// How many of its values wait for the board's review.
        pub waiting: usize,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct PublicationView {
        pub today: String,
        pub quarters: Vec<QuarterLine>,
    }

    /// One stored framework version, as `/admin/frameworks` lists it.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct FrameworkVersionLine {
        /// The stored version's id (what the comparison form selects).
        pub id: i64,
        /// The framework's code.
        pub code: String,
        /// Its version number within the code.
        pub version: i64,
        /// The framework's name.
        pub name: String,
        /// How many criteria it has.
        pub criteria: usize,
        /// Whether it is the active one (the newest loaded).
        pub active: bool,
    }

    /// `/admin/frameworks`.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct FrameworksView {
        /// Every version loaded, oldest first.
        pub versions: Vec<FrameworkVersionLine>,
        /// quarter, framework code, version
        pub published: Vec<(String, String, i64)>,
        pub a: Option<i64>,
        pub b: Option<i64>,
        pub changes: Option<Vec<String>>,
    }
}
