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
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct PublicationView {
        pub today: String,
        pub quarters: Vec<QuarterLine>,
    }

    /// `/admin/frameworks`.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct FrameworksView {
        /// id, code, version, name, criteria, active
        pub versions: Vec<(i64, String, i64, String, usize, bool)>,
        /// quarter, framework code, version
        pub published: Vec<(String, String, i64)>,
        pub a: Option<i64>,
        pub b: Option<i64>,
        pub changes: Option<Vec<String>>,
    }
}
