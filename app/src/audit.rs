//! The audit log's entries and its chain. Every state change appends one entry, in the same
//! transaction as the change (`db::audit_append`); each entry's hash covers its fields and the
//! hash of the entry before, so rewriting, deleting or inserting an entry anywhere breaks the
//! chain from there on, and `verify` says where. The chain is keyed: each hash is an
//! HMAC-SHA-256 with a key kept outside the database (a file named in the configuration), so
//! someone who can write to the database cannot rebuild it after a change. The recorded head
//! (count and last hash, updated with every append) shows entries cut from the end.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use std::path::Path;
use std::sync::OnceLock;

/// An entry as stored, with its place in the chain.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AuditRow {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub kind: String,
    pub economy: Option<String>,
    pub summary: String,
    pub before: Option<String>,
    pub after: Option<String>,
    pub prev_hash: String,
    pub hash: String,
    /// The client address of the request that made the change, if any.
    pub address: Option<String>,
    /// Chained with the keyed HMAC (entries from before the key was introduced are not).
    pub keyed: bool,
}

/// What is recorded: who, what kind of change, which economy, a summary, before and after.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Entry {
    pub actor: String,
    pub kind: String,
    pub economy: Option<String>,
    pub summary: String,
    pub before: Option<String>,
    pub after: Option<String>,
    /// The address the change came from (a request's client); none from the command line.
    pub address: Option<String>,
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

    /// The entry a stored row records.
    pub fn of(r: &AuditRow) -> Self {
        Entry {
            actor: r.actor.clone(),
            kind: r.kind.clone(),
            economy: r.economy.clone(),
            summary: r.summary.clone(),
            before: r.before.clone(),
            after: r.after.clone(),
            address: r.address.clone(),
        }
    }

    pub fn address(mut self, a: Option<&str>) -> Self {
        self.address = a.map(str::to_string);
        self
    }
}

tokio::task_local! {
    /// The client address of the request being served: `server` sets it around every
    /// request, and every entry appended while it runs carries it.
    pub static REQUEST_ADDRESS: String;
}

/// The address of the request being served, if any.
pub fn request_address() -> Option<String> {
    REQUEST_ADDRESS.try_with(|a| a.clone()).ok()
}

/// The key of the chain, loaded once at start (`install_key`).
static KEY: OnceLock<Vec<u8>> = OnceLock::new();

/// Makes `key` the chain's key for this process. A second call with another key is refused.
pub fn install_key(key: Vec<u8>) -> Result<(), String> {
    let set = KEY.get_or_init(|| key.clone());
    if *set == key {
        Ok(())
    } else {
        Err("a different audit key is already loaded in this process".into())
    }
}

pub fn key() -> Option<&'static [u8]> {
    KEY.get().map(Vec::as_slice)
}

/// Reads the key file at `path`, or creates it (32 random bytes as hex, mode 0600) when it is
/// missing and `may_create` (the log has no keyed entries yet). Returns the key and whether it
/// was created.
pub fn load_or_create_key(path: &Path, may_create: bool) -> Result<(Vec<u8>, bool), String> {
    match std::fs::read_to_string(path) {
        Ok(text) => {
            let text = text.trim();
            if text.len() != 64 || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(format!(
                    "the audit key file {} is not a key (64 hexadecimal characters)",
                    path.display()
                ));
            }
            let bytes = (0..32)
                .map(|i| u8::from_str_radix(&text[i * 2..i * 2 + 2], 16).expect("hex"))
                .collect();
            Ok((bytes, false))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && may_create => {
            use rand::RngCore;
            let mut key = vec![0u8; 32];
            rand::rngs::OsRng.fill_bytes(&mut key);
            let hex: String = key.iter().map(|b| format!("{b:02x}")).collect();
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            }
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::OpenOptionsExt;
                options.mode(0o600);
            }
            let mut file = options
                .open(path)
                .map_err(|e| format!("cannot create the audit key file {}: {e}", path.display()))?;
            std::io::Write::write_all(&mut file, format!("{hex}\n").as_bytes())
                .and_then(|()| file.sync_all())
                .map_err(|e| format!("cannot write the audit key file {}: {e}", path.display()))?;
            Ok((key, true))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(format!(
            "the audit key file {} is missing, and the audit log has keyed entries that cannot be \
             checked or extended without it: restore the file from your backup, or name where it is \
             with --audit-key-file (EXEMPLAR_AUDIT_KEY_FILE)",
            path.display()
        )),
        Err(e) => Err(format!(
            "cannot read the audit key file {}: {e}",
            path.display()
        )),
    }
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The hash of an entry from before the chain was keyed: SHA-256 of the JSON array of the
/// previous hash and every field.
pub fn chain_hash(prev: &str, at: &str, e: &Entry) -> String {
    let canonical =
        serde_json::json!([prev, at, e.actor, e.kind, e.economy, e.summary, e.before, e.after]);
    sha256_hex(canonical.to_string().as_bytes())
}

/// The hash of a keyed entry: HMAC-SHA-256 with the chain's key of the JSON array of the
/// previous hash and every field, the address included.
pub fn chain_mac(key: &[u8], prev: &str, at: &str, e: &Entry) -> String {
    let canonical = serde_json::json!([
        prev, at, e.actor, e.kind, e.economy, e.summary, e.before, e.after, e.address
    ]);
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(canonical.to_string().as_bytes());
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Where the chain breaks, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Break {
    /// The first entry (by id) that fails, or for a cut end the entry the head says is last.
    pub id: i64,
    pub reason: String,
}

/// The recorded head: how many entries there are and the last one's hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    pub entries: i64,
    pub hash: String,
}

/// Checks the chain of stored entries, oldest first, with the chain's key, against the
/// recorded head.
pub fn verify(rows: &[AuditRow], head: &Head, key: &[u8]) -> Result<usize, Break> {
    let mut prev = String::new();
    let mut keyed_seen = false;
    for r in rows {
        if r.prev_hash != prev {
            return Err(Break {
                id: r.id,
                reason: "it does not follow the entry before it (an entry was removed or inserted)"
                    .into(),
            });
        }
        let e = Entry::of(r);
        let expected = if r.keyed {
            keyed_seen = true;
            chain_mac(key, &prev, &r.at, &e)
        } else if keyed_seen {
            return Err(Break {
                id: r.id,
                reason:
                    "it is not keyed, but follows keyed entries (it was rewritten without the key)"
                        .into(),
            });
        } else {
            chain_hash(&prev, &r.at, &e)
        };
        if expected != r.hash {
            return Err(Break {
                id: r.id,
                reason: if r.keyed {
                    "its content does not match its keyed hash (it was changed)".into()
                } else {
                    "its content does not match its hash (it was changed)".into()
                },
            });
        }
        prev = r.hash.clone();
    }
    let last = rows.last().map(|r| r.id).unwrap_or(0);
    if head.entries != rows.len() as i64 || head.hash != prev {
        let short = |h: &str| h.chars().take(12).collect::<String>();
        return Err(Break {
            id: last,
            reason: format!(
                "the recorded head is missing: the head says {} entries ending in hash {}, but the \
                 log holds {} ending in {} (entries were cut from the end, or added outside the service)",
                head.entries,
                short(&head.hash),
                rows.len(),
                if prev.is_empty() { "nothing".to_string() } else { short(&prev) }
            ),
        });
    }
    Ok(rows.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &[u8] = b"0123456789abcdef0123456789abcdef";

    fn head(rows: &[AuditRow]) -> Head {
        Head {
            entries: rows.len() as i64,
            hash: rows.last().map(|r| r.hash.clone()).unwrap_or_default(),
        }
    }

    fn check(rows: &[AuditRow]) -> Result<usize, Break> {
        verify(rows, &head(rows), KEY)
    }

    fn chain(n: usize) -> Vec<AuditRow> {
        let mut prev = String::new();
        (0..n)
            .map(|i| {
                let e = Entry::new("admin@x.nhs.uk", "framework", format!("entry {i}"));
                let at = format!("2026-01-0{}T00:00:00Z", i + 1);
                let hash = chain_mac(KEY, &prev, &at, &e);
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
                    address: None,
                    keyed: true,
                };
                prev = hash;
                row
            })
            .collect()
    }

    #[test]
    fn an_intact_chain_verifies() {
        assert_eq!(check(&chain(5)), Ok(5));
        assert_eq!(check(&[]), Ok(0));
    }

    #[test]
    fn a_cut_end_is_found_against_the_head() {
        let rows = chain(5);
        let recorded = head(&rows);
        let cut = &rows[..4];
        let b = verify(cut, &recorded, KEY).unwrap_err();
        assert_eq!(b.id, 4);
        assert!(b.reason.contains("head says 5 entries"), "{}", b.reason);
    }

    #[test]
    fn a_chain_rebuilt_without_the_key_is_found() {
        let mut rows = chain(3);
        rows[1].summary = "rewritten".into();
        // Recomputed as the plain SHA-256 chain (all one can do without the key).
        let mut prev = rows[0].hash.clone();
        for r in rows.iter_mut().skip(1) {
            let e = Entry::new(&r.actor, &r.kind, r.summary.clone());
            r.prev_hash = prev.clone();
            r.hash = chain_hash(&prev, &r.at, &e);
            prev = r.hash.clone();
        }
        assert_eq!(check(&rows).unwrap_err().id, 2);
        // Or marked as unkeyed: unkeyed entries cannot follow keyed ones.
        for r in rows.iter_mut().skip(1) {
            r.keyed = false;
        }
        let b = check(&rows).unwrap_err();
        assert_eq!(b.id, 2);
        assert!(b.reason.contains("not keyed"), "{}", b.reason);
        // And with another key nothing verifies.
        let rows = chain(2);
        assert_eq!(
            verify(&rows, &head(&rows), b"another key").unwrap_err().id,
            1
        );
    }

    #[test]
    fn a_changed_entry_is_found() {
        let mut rows = chain(5);
        rows[2].summary = "nothing happened".into();
        assert_eq!(check(&rows).unwrap_err().id, 3);
    }

    #[test]
    fn a_removed_entry_is_found() {
        let mut rows = chain(5);
        rows.remove(1);
        assert_eq!(check(&rows).unwrap_err().id, 3);
    }

    #[test]
    fn a_rehashed_entry_breaks_the_next_link() {
        let mut rows = chain(4);
        rows[1].summary = "rewritten".into();
        let e = Entry::new(&rows[1].actor, &rows[1].kind, rows[1].summary.clone());
        rows[1].hash = chain_mac(KEY, &rows[1].prev_hash, &rows[1].at, &e);
        assert_eq!(check(&rows).unwrap_err().id, 3);
    }
}
