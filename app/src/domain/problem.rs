//! A problem found in an input file: where, which field, and why.

use serde::{Deserialize, Serialize};
use std::fmt;

/// One problem with an input file, reported as `FILE:LINE: field: message` (CSV) or
/// `FILE: key.path: message` (TOML, where the key path names the place).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// 1-based line, the header being line 1. `None` when a key path names the place.
    pub line: Option<u64>,
    /// The column or key path (`value`, `criteria[3].target`), or `file` for the file as a whole.
    pub field: String,
    pub message: String,
}

impl Problem {
    pub fn at_line(line: u64, field: impl Into<String>, message: impl Into<String>) -> Self {
        Problem {
            line: Some(line),
            field: field.into(),
            message: message.into(),
        }
    }

    pub fn at_key(field: impl Into<String>, message: impl Into<String>) -> Self {
        Problem {
            line: None,
            field: field.into(),
            message: message.into(),
        }
    }

    /// The problem as the command line prints it, `file` being the name as given.
    pub fn display_for(&self, file: &str) -> String {
        match self.line {
            Some(line) => format!("{file}:{line}: {}: {}", self.field, self.message),
            None => format!("{file}: {}: {}", self.field, self.message),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "line {line}: {}: {}", self.field, self.message),
            None => write!(f, "{}: {}", self.field, self.message),
        }
    }
}
