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
    /// A TOML date (`today = 2015-04-20`) or the same as a string.
    #[serde(default, deserialize_with = "date")]
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

fn date<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
    let text = match toml::Value::deserialize(d)? {
        toml::Value::String(s) => s,
        toml::Value::Datetime(dt) => dt.to_string(),
        other => other.to_string(),
    };
    NaiveDate::parse_from_str(&text, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| {
            serde::de::Error::custom(format!("\"{text}\" is not a date such as 2015-04-20"))
        })
}

fn toml_from_str(text: &str) -> Result<FileConfig, String> {
    toml::from_str(text).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `exemplar.toml.example` reads as it is, and names every key: its lines uncommented
    /// (the commented alternatives included) make a file that sets every field.
    #[test]
    fn the_example_file_names_every_key_and_reads() {
        let example = include_str!("../../exemplar.toml.example");
        toml_from_str(example).expect("the example reads as it is");
        let mut keys = std::collections::BTreeMap::new();
        for line in example.lines() {
            let line = line.strip_prefix("# ").unwrap_or(line);
            if let Some((key, _)) = line.split_once(" = ") {
                if key.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') {
                    keys.insert(key, line);
                }
            }
        }
        let all = keys.values().copied().collect::<Vec<_>>().join("\n");
        // Every field named: a new one fails to compile here until the example has it.
        let FileConfig {
            database_url,
            addr,
            today,
            site_root,
            public_url,
            trust_proxy,
            audit_key_file,
            mail_dir,
            smtp_url,
            mail_from,
            metrics_allow,
        } = toml_from_str(&all).unwrap_or_else(|e| panic!("{e}\n{all}"));
        assert!(database_url.is_some() && addr.is_some() && today.is_some());
        assert!(site_root.is_some() && public_url.is_some() && trust_proxy.is_some());
        assert!(audit_key_file.is_some() && mail_dir.is_some() && smtp_url.is_some());
        assert!(mail_from.is_some() && metrics_allow.is_some());
    }

    #[test]
    fn today_is_a_toml_date_or_a_string_and_nothing_else() {
        let date = NaiveDate::from_ymd_opt(2015, 4, 20);
        assert_eq!(toml_from_str("today = 2015-04-20").unwrap().today, date);
        assert_eq!(toml_from_str("today = \"2015-04-20\"").unwrap().today, date);
        let e = toml_from_str("today = \"20 April\"").unwrap_err();
        assert!(e.contains("\"20 April\" is not a date"), "{e}");
        assert!(toml_from_str("today = 2015-04-20T10:00:00").is_err());
        assert_eq!(toml_from_str("").unwrap().today, None);
    }
}
