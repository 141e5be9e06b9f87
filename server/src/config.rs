//! Typed configuration: flags, then `EXEMPLAR_*` environment variables (clap reads both),
//! then an optional `exemplar.toml` in the working folder, then defaults.

use chrono::NaiveDate;
use serde::Deserialize;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/exemplar.db";
pub const DEFAULT_ADDR: &str = "127.0.0.1:3000";

/// The optional configuration file. Unknown keys are refused (they are usually typos).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub database_url: Option<String>,
    pub addr: Option<SocketAddr>,
    pub today: Option<NaiveDate>,
    pub site_root: Option<PathBuf>,
    pub public_url: Option<String>,
    pub trust_proxy: Option<bool>,
    pub audit_key_file: Option<PathBuf>,
    pub mail_dir: Option<PathBuf>,
    /// lettre's URL form; keep this file readable only by the service when it holds a password.
    pub smtp_url: Option<String>,
    pub mail_from: Option<String>,
    /// Who may read `/metrics`: addresses or networks, separated by commas.
    pub metrics_allow: Option<String>,
}

impl FileConfig {
    /// Reads `path` if it exists; a file that exists but is wrong is an error.
    pub fn read(path: &Path) -> Result<Self, String> {
        match std::fs::read_to_string(path) {
            Ok(text) => toml_from_str(&text).map_err(|e| format!("{}: {e}", path.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(FileConfig::default()),
            Err(e) => Err(format!("{}: {e}", path.display())),
        }
    }
}

fn toml_from_str(text: &str) -> Result<FileConfig, String> {
    toml::from_str(text).map_err(|e| e.to_string())
}
