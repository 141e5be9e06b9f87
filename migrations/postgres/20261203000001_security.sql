-- Security round 2.

-- Sign-in throttles replace the failure rows: one row a key (an account, an address, an
-- account from an address, an account's one-time codes, a form from an address). Each
-- attempt is claimed before a password is hashed, by a compare-and-set on its row, so
-- parallel attempts cannot all pass; a growing delay follows repeated failures instead of a
-- lockout. at times: unix seconds.
DROP TABLE sign_in_failures;
CREATE TABLE throttles (
    key TEXT PRIMARY KEY,
    attempts BIGINT NOT NULL,
    last_at BIGINT NOT NULL,
    next_at BIGINT NOT NULL
);

-- The audit log's recorded head (count and hash), so cutting entries from the end is seen;
-- entries carry the source address; `keyed` entries are chained with an HMAC whose key is
-- kept outside the database (entries from before the key are plain SHA-256, and can only
-- come before keyed ones).
ALTER TABLE audit_head ADD COLUMN hash TEXT NOT NULL DEFAULT '';
UPDATE audit_head SET
    entries = (SELECT COUNT(*) FROM audit_log),
    hash = COALESCE((SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1), '');
ALTER TABLE audit_log ADD COLUMN address TEXT;
ALTER TABLE audit_log ADD COLUMN keyed BIGINT NOT NULL DEFAULT 0;
CREATE FUNCTION audit_log_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only';
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- Live one-time links are never stored in a message: those already stored are removed.
UPDATE outbox SET body = 'This message carried a one-time link. The link went only to its recipient and is not kept here.'
WHERE body LIKE '%/invitations/%' OR body LIKE '%token=%';

-- Who uploaded a stored file (an economy, or board staff when economy_id is null), so a form
-- can keep only its own documents.
CREATE TABLE file_uploads (
    sha256 TEXT NOT NULL REFERENCES files (sha256),
    economy_id BIGINT REFERENCES economies (id),
    uploaded_at TEXT NOT NULL
);
CREATE INDEX file_uploads_sha256 ON file_uploads (sha256);
INSERT INTO file_uploads (sha256, economy_id, uploaded_at)
SELECT DISTINCT file_sha256, economy_id, added_at FROM evidence WHERE file_sha256 IS NOT NULL;
