//! The pure domain: the scoring method of `spec/scoring.md` and the parsing of its files.
//!
//! Nothing here does IO, reads a clock or knows about Leptos, SQL or HTTP, so the same code
//! runs on the server, in the command line and in the browser (islands compute what-ifs).

pub mod account;
pub mod api_reference;
pub mod assessment;
pub mod benefits;
pub mod changes;
pub mod checks;
pub mod csv_file;
pub mod files;
pub mod format;
pub mod framework;
pub mod framework_diff;
pub mod fuzz;
pub mod mail;
pub mod nomination;
pub mod open_data;
pub mod organisations;
pub mod paging;
pub mod panel;
pub mod peers;
pub mod preview;
pub mod problem;
pub mod public;
pub mod publication;
pub mod quarter;
pub mod question;
pub mod reporting;
pub mod review;
pub mod scoring;
pub mod spc;
pub mod submission;
pub mod table;
pub mod teamwork;
pub mod trusts;
pub mod types;

pub use framework::{Framework, Kind};
pub use problem::Problem;
pub use quarter::Quarter;
pub use types::{Slug, Status};
