//! What a page knows of the request: who is signed in, the session's pending sign-in and
//! one-time notice, and a form's errors when a post is shown again.

use crate::domain::account::CurrentUser;
use leptos::prelude::*;
use std::collections::HashMap;

/// Set by the server's session middleware for every request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SessionInfo {
    /// Gave their password; a one-time code is still needed.
    pub pending_email: Option<String>,
    /// Board staff enrolling an authenticator app at sign-in: the secret to show.
    pub enrol_secret: Option<String>,
    /// A notice to show once ("Your password has been changed").
    pub flash: Option<String>,
    /// A submitter's messages from the board not read yet (the header counts them).
    pub unread: usize,
}

/// A form shown again after a post: its problems (field, message), in the order of the
/// form, the values given (never passwords), and a notice or one-time secrets to show.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FormState {
    pub errors: Vec<(String, String)>,
    pub values: HashMap<String, String>,
    pub notice: Option<String>,
    /// Shown once and never stored in the clear: recovery codes, a new invitation link.
    pub secrets: Vec<String>,
}

impl FormState {
    pub fn error(field: &str, message: impl Into<String>) -> Self {
        FormState {
            errors: vec![(field.to_string(), message.into())],
            ..FormState::default()
        }
    }

    pub fn with_values(mut self, values: HashMap<String, String>) -> Self {
        self.values = values;
        self
    }

    pub fn notice(message: impl Into<String>) -> Self {
        FormState {
            notice: Some(message.into()),
            ..FormState::default()
        }
    }

    pub fn error_for(&self, field: &str) -> Option<String> {
        self.errors
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.clone())
    }

    pub fn value(&self, field: &str) -> String {
        self.values.get(field).cloned().unwrap_or_default()
    }
}

#[cfg(feature = "ssr")]
fn extension<T: Clone + Send + Sync + 'static>() -> Option<T> {
    use_context::<http::request::Parts>().and_then(|p| p.extensions.get::<T>().cloned())
}

/// The person signed in, if any (on the server; nobody in the browser's islands).
pub fn current_user() -> Option<CurrentUser> {
    #[cfg(feature = "ssr")]
    return extension::<CurrentUser>();
    #[cfg(not(feature = "ssr"))]
    None
}

/// The person signed in with `need`'s access (an admin has an assessor's), or `Forbidden`:
/// the first line of every protected server function, a second line behind the access
/// rules of `server/src/access.rs`.
#[cfg(feature = "ssr")]
pub fn require(need: crate::domain::account::Role) -> Result<CurrentUser, crate::error::AppError> {
    current_user()
        .filter(|u| u.role.includes(need))
        .ok_or(crate::error::AppError::Forbidden)
}

/// The slug of the economy the signed-in submitter acts for, or `Forbidden`.
#[cfg(feature = "ssr")]
pub fn require_submitter() -> Result<crate::domain::Slug, crate::error::AppError> {
    require(crate::domain::account::Role::Submitter)?
        .economy
        .ok_or(crate::error::AppError::Forbidden)
}

pub fn session_info() -> SessionInfo {
    #[cfg(feature = "ssr")]
    return extension::<SessionInfo>().unwrap_or_default();
    #[cfg(not(feature = "ssr"))]
    SessionInfo::default()
}

pub fn form_state() -> FormState {
    use_context::<FormState>().unwrap_or_default()
}

/// Provided when the access rules refuse a signed-in person: the page says so (403).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Forbidden;
