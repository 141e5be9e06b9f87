#![recursion_limit = "512"]
//! The `exemplar` binary's library: the web application (axum + Leptos), the JSON API and
//! the command line. Tests build the app with the same `router` function `main` uses.

pub mod access;
pub mod backup;
pub mod cache;
pub mod cli;
pub mod config;
pub mod exit;
pub mod kit;
pub mod metrics;
pub mod reply;
pub mod routes;
pub mod security;
pub mod session;
pub mod spreadsheet;
pub mod web;
