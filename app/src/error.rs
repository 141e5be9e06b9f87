//! The error type that crosses from server functions to pages (`AppError`: it never carries
//! internals; database and IO errors are logged on the server and become `Internal`), and why
//! a command from a form was refused (`Rejection`).

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("page not found")]
    NotFound,
    /// A quarter that is not (yet) published, asked for by the public.
    #[error("{0} is not published")]
    NotPublished(String),
    /// A request parameter that does not parse; the message says which and why.
    #[error("{0}")]
    BadRequest(String),
    /// Not allowed for the person asking (the access rules normally stop them first).
    #[error("you do not have access")]
    Forbidden,
    #[error("sorry, there is a problem with the service")]
    Internal,
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        #[cfg(feature = "ssr")]
        tracing::error!(error = %value, "server function failed");
        #[cfg(not(feature = "ssr"))]
        let _ = value;
        AppError::Internal
    }
}

#[cfg(feature = "ssr")]
impl From<crate::service::ServiceError> for AppError {
    fn from(e: crate::service::ServiceError) -> Self {
        match e {
            crate::service::ServiceError::Refusal(m) => AppError::BadRequest(m),
            crate::service::ServiceError::Refused(p) => AppError::BadRequest(
                p.iter()
                    .map(|p| p.to_string())
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
            crate::service::ServiceError::Db(e) => {
                tracing::error!(error = %e, "database error");
                AppError::Internal
            }
        }
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        tracing::error!(error = %e, "database error");
        AppError::Internal
    }
}

/// Why a command from a form was not carried out: the form's problems by field (shown again
/// with the NHS.UK error summary), a refusal in words (not allowed now), or a database failure
/// (logged once where it becomes the error page).
#[cfg(feature = "ssr")]
#[derive(Debug, thiserror::Error)]
pub enum Rejection {
    /// Problems by field: (field, message).
    #[error("the form has problems")]
    Invalid(Vec<(String, String)>),
    /// Not allowed now, with the reason in words.
    #[error("{0}")]
    Refused(String),
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
}

#[cfg(feature = "ssr")]
impl From<crate::service::ServiceError> for Rejection {
    fn from(e: crate::service::ServiceError) -> Self {
        match e {
            crate::service::ServiceError::Db(e) => Rejection::Db(e),
            other => Rejection::Refused(other.to_string()),
        }
    }
}

/// An economy's slug from a page's address: one that is not a slug names no page.
pub fn page_slug(s: &str) -> Result<crate::domain::Slug, AppError> {
    crate::domain::Slug::parse(s).map_err(|_| AppError::NotFound)
}
