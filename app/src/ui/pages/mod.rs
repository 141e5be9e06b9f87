mod account;
mod admin;
mod admin_board;
mod admin_messages;
mod api_reference;
mod assess;
mod assess_economy;
mod assess_trusts;
mod assignments;
mod benefits;
mod check;
mod compare;
mod economies;
mod economy;
mod home;
mod how_scores_work;
mod my_economy;
mod nominate;
mod open_data;
mod panel;
mod panel_visit;
mod period;
mod questions;
mod receipt;
mod regions;
mod report;
mod shortlist;
mod statements;
mod team;
mod trusts;
mod upload;

pub use account::{
    safe_next, AccountPage, InvitationPage, RecoveryCodes, ResetPasswordPage, SignInCodePage,
    SignInPage,
};
pub use admin::{AdminAuditPage, AdminUsersPage};
pub use admin_board::{AdminFrameworksPage, AdminPublicationPage};
pub use admin_messages::AdminMessagesPage;
pub use api_reference::ApiReferencePage;
pub use assess::AssessPage;
pub use assess_economy::AssessEconomyPage;
pub use assess_trusts::{AssessTrustPage, AssessTrustsPage, EprEntry, EprForm};
pub use assignments::{theme_progress, AssignmentsPage};
pub use benefits::{BenefitsPage, EconomyBenefit, EconomyBenefits};
pub use check::CheckPage;
pub use compare::{query_from as compare_query, ComparePage};
pub use economies::EconomiesPage;
pub use economy::EconomyPage;
pub use home::HomePage;
pub use how_scores_work::HowScoresWorkPage;
pub use my_economy::{reporting_table, MyEconomyPage};
pub use nominate::{AdminNominationsPage, NominatePage, NOMINATION_CHECK};
pub use open_data::OpenDataPage;
pub use panel::{AdminPanelPage, PanelPage, PanelSheetPage};
pub use panel_visit::AdminPanelVisitPage;
pub use period::PeriodPage;
pub use questions::{
    AssessQuestionPage, AssessQuestionsPage, BoardQuestionsWaiting, EconomyQuestions,
    MyQuestionPage, MyQuestionsPage, MyQuestionsWaiting,
};
pub use receipt::ReceiptPage;
pub use regions::RegionsPage;
pub use report::ReportPage;
pub use shortlist::ShortlistPage;
pub use statements::{AccessibilityStatementPage, PrivacyPage};
pub use team::{OrganisationsPage, TeamPage};
pub use trusts::TrustsPage;
pub use upload::UploadPage;
