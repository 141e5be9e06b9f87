//! Integration tests: the real binary and the real server against real SQLite files.
//! One test binary (zero2prod's layout): what the areas share in `helpers`, each area a
//! module.

mod helpers;

mod access;
mod accounts;
mod api;
mod assessment;
mod backends;
mod benefits;
mod cli;
mod compare;
mod date_inputs;
mod hardening;
mod lists;
mod mail;
mod my_economy;
mod nominations;
mod operations;
mod organisations;
mod pages;
mod panel;
mod preview;
mod public;
mod questions;
mod reporting;
mod security;
mod storage;
mod submissions;
mod teamwork;
mod trusts;
mod what_if;
