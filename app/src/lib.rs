//! Exemplar's application crate: the pure domain, the pages and islands, and (with the `ssr`
//! feature) storage and the services the server and command line share.
#![recursion_limit = "512"]

pub mod domain;
pub mod error;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod accounts;
#[cfg(feature = "ssr")]
pub mod assessment;
#[cfg(feature = "ssr")]
pub mod audit;
#[cfg(feature = "ssr")]
pub mod auth;
#[cfg(feature = "ssr")]
pub mod benefits;
#[cfg(feature = "ssr")]
pub mod charts;
#[cfg(feature = "ssr")]
pub mod clock;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod demo;
#[cfg(feature = "ssr")]
pub mod flags;
#[cfg(feature = "ssr")]
pub mod hexmap;
#[cfg(feature = "ssr")]
pub mod mail;
#[cfg(feature = "ssr")]
pub mod nominations;
#[cfg(feature = "ssr")]
pub mod organisations;
#[cfg(feature = "ssr")]
pub mod panel;
#[cfg(feature = "ssr")]
pub mod public;
#[cfg(feature = "ssr")]
pub mod publication;
#[cfg(feature = "ssr")]
pub mod questions;
#[cfg(feature = "ssr")]
pub mod reporting;
#[cfg(feature = "ssr")]
pub mod review;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod state;
#[cfg(feature = "ssr")]
pub mod submissions;
#[cfg(feature = "ssr")]
pub mod teamwork;
#[cfg(feature = "ssr")]
pub mod throttle;
#[cfg(feature = "ssr")]
pub mod trusts;

pub use ui::{shell, App};

/// The `otpauth://` enrolment link for an authenticator key (server only; the browser's
/// islands never see secrets).
pub fn auth_url(secret: &str, email: &str) -> String {
    #[cfg(feature = "ssr")]
    return auth::totp_url(secret, email);
    #[cfg(not(feature = "ssr"))]
    {
        let _ = (secret, email);
        String::new()
    }
}

/// The same link as a QR code, an inline SVG with a text alternative (server only, like
/// `auth_url`; empty in the browser).
pub fn auth_qr_svg(secret: &str, email: &str) -> String {
    #[cfg(feature = "ssr")]
    return auth::totp_qr_svg(&auth::totp_url(secret, email));
    #[cfg(not(feature = "ssr"))]
    {
        let _ = (secret, email);
        String::new()
    }
}

#[cfg(test)]
mod structure_tests;
