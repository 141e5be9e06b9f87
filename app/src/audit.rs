//! The audit log's entries and its hash chain. Every state change appends one entry, in the
//! same transaction as the change (`db::audit_append`); each entry's hash covers its fields
//! and the hash of the entry before, so rewriting, deleting or inserting an entry anywhere
//! breaks the chain from there on, and `verify` says where.

use sha2::{Digest, Sha256};

/// What is recorded: who, what kind of change, which economy, a summary, before and after.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Entry {
    pub actor: String,
    pub kind: String,
    pub economy: Option<String>,
    pub summary: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

impl Entry {
    pub fn new(actor: &str, kind: &str, summary: impl Into<String>) -> Self {
        Entry {
            actor: actor.to_string(),
            kind: kind.to_string(),
            summary: summary.into(),
            ..Entry::default()
        }
    }

    pub fn economy(mut self, slug: Option<&str>) -> Self {
        self.economy = slug.map(str::to_string);
        self
    }

    pub fn before(mut self, v: impl Into<String>) -> Self {
        self.before = Some(v.into());
        self
    }

    pub fn after(mut self, v: impl Into<String>) -> Self {
        self.after = Some(v.into());
        self
    }
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The hash of an entry: SHA-256 of the JSON array of the previous hash and every field.
pub fn chain_hash(prev: &str, at: &str, e: &Entry) -> String {
    let canonical =
        serde_json::json!([prev, at, e.actor, e.kind, e.economy, e.summary, e.before, e.after]);
    sha256_hex(canonical.to_string().as_bytes())
}

/// The first entry (by id) where the chain breaks, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Break {
    pub id: i64,
    pub reason: &'static str,
}

/// Checks the chain of stored entries, oldest first.
pub fn verify(rows: &[crate::db::AuditRow]) -> Result<usize, Break> {
    let mut prev = String::new();
    for r in rows {
        if r.prev_hash != prev {
            return Err(Break {
                id: r.id,
                reason: "it does not follow the entry before it (an entry was removed or inserted)",
            });
        }
        let e = Entry {
            actor: r.actor.clone(),
            kind: r.kind.clone(),
            economy: r.economy.clone(),
            summary: r.summary.clone(),
            before: r.before.clone(),
            after: r.after.clone(),
        };
        if chain_hash(&prev, &r.at, &e) != r.hash {
            return Err(Break {
                id: r.id,
                reason: "its content does not match its hash (it was changed)",
            });
        }
        prev = r.hash.clone();
    }
    Ok(rows.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::AuditRow;

    fn chain(n: usize) -> Vec<AuditRow> {
        let mut prev = String::new();
        (0..n)
            .map(|i| {
                let e = Entry::new("admin@x.nhs.uk", "framework", format!("entry {i}"));
                let at = format!("2026-01-0{}T00:00:00Z", i + 1);
                let hash = chain_hash(&prev, &at, &e);
                let row = AuditRow {
                    id: i as i64 + 1,
                    at,
                    actor: e.actor,
                    kind: e.kind,
                    economy: None,
                    summary: e.summary,
                    before: None,
                    after: None,
                    prev_hash: prev.clone(),
                    hash: hash.clone(),
                };
                prev = hash;
                row
            })
            .collect()
    }

    #[test]
    fn an_intact_chain_verifies() {
        assert_eq!(verify(&chain(5)), Ok(5));
        assert_eq!(verify(&[]), Ok(0));
    }

    #[test]
    fn a_changed_entry_is_found() {
        let mut rows = chain(5);
        rows[2].summary = "nothing happened".into();
        assert_eq!(verify(&rows).unwrap_err().id, 3);
    }

    #[test]
    fn a_removed_entry_is_found() {
        let mut rows = chain(5);
        rows.remove(1);
        assert_eq!(verify(&rows).unwrap_err().id, 3);
    }

    #[test]
    fn a_rehashed_entry_breaks_the_next_link() {
        let mut rows = chain(4);
        rows[1].summary = "rewritten".into();
        let e = Entry::new(&rows[1].actor, &rows[1].kind, rows[1].summary.clone());
        rows[1].hash = chain_hash(&rows[1].prev_hash, &rows[1].at, &e);
        assert_eq!(verify(&rows).unwrap_err().id, 3);
    }
}
