-- Accounts. email is stored lower-cased. password_hash is an argon2id PHC string, null
-- until the person sets one (an invitation not yet accepted). economy_id for submitters.
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    password_hash TEXT,
    role TEXT NOT NULL,
    economy_id INTEGER REFERENCES economies (id),
    -- The one-time-code secret (base32) of board staff, and the last time step accepted:
    -- a code works once.
    totp_secret TEXT,
    totp_last_step INTEGER NOT NULL DEFAULT 0,
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- Ten one-time recovery codes per enrolment, stored as SHA-256 hashes.
CREATE TABLE recovery_codes (
    user_id INTEGER NOT NULL REFERENCES users (id),
    code_hash TEXT NOT NULL,
    used_at TEXT,
    PRIMARY KEY (user_id, code_hash)
);

-- Sessions (tower-sessions records). id is the SHA-256 of the cookie's session id, so a
-- copy of this table signs nobody in. user_id is kept beside the data so that disabling an
-- account, or an admin, can end all of a person's sessions. expires_at: unix seconds.
CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    user_id INTEGER,
    data TEXT NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- One-time links: invitations, password resets, first sign-in links. Only the SHA-256 of
-- the token is stored. A token works once and until it expires.
CREATE TABLE tokens (
    token_hash TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    email TEXT NOT NULL,
    role TEXT NOT NULL,
    economy_id INTEGER REFERENCES economies (id),
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
);

-- Messages this service would send by email; there is no mail server yet.
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    economy_id INTEGER REFERENCES economies (id),
    created_at TEXT NOT NULL
);

-- Failed sign-ins, for the limits per account and per address. at: unix seconds.
CREATE TABLE sign_in_failures (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL,
    address TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX sign_in_failures_email ON sign_in_failures (email, at);
CREATE INDEX sign_in_failures_address ON sign_in_failures (address, at);

-- The audit log: append-only, each entry carrying the hash of the one before.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    kind TEXT NOT NULL,
    economy TEXT,
    summary TEXT NOT NULL,
    before TEXT,
    after TEXT,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL UNIQUE
);
CREATE INDEX audit_log_kind ON audit_log (kind);

-- One row: appending to the audit log first updates it, so appends are serialised (a write
-- lock in SQLite, a row lock in PostgreSQL) and the chain never forks.
CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    entries INTEGER NOT NULL
);
INSERT INTO audit_head (id, entries) VALUES (1, 0);
