//! How a command ends (spec/cli.md): its exit status and what it says on standard error.

use app::service::ServiceError;

/// Exit statuses (cli.md).
pub const REFUSED: u8 = 1;
pub const USAGE: u8 = 2;
pub const DATABASE: u8 = 3;

/// A command's failure: its exit status and what to say.
pub struct Failure(pub u8, pub Vec<String>);

impl From<ServiceError> for Failure {
    fn from(e: ServiceError) -> Self {
        match e {
            ServiceError::Refusal(m) => Failure(REFUSED, vec![format!("exemplar: {m}")]),
            ServiceError::Refused(p) => Failure(REFUSED, p.iter().map(|p| p.to_string()).collect()),
            ServiceError::Db(e) => {
                Failure(DATABASE, vec![format!("exemplar: database error: {e}")])
            }
        }
    }
}

impl From<sqlx::Error> for Failure {
    fn from(e: sqlx::Error) -> Self {
        ServiceError::Db(e).into()
    }
}
