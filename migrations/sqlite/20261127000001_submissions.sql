-- Drafts: values a submitter saved (or uploaded) but has not submitted. Scoring never
-- reads them; submitting moves a draft into criterion_values and deletes it.
CREATE TABLE drafts (
    economy_id INTEGER NOT NULL REFERENCES economies (id),
    period TEXT NOT NULL,
    code TEXT NOT NULL,
    value TEXT NOT NULL,
    saved_at TEXT NOT NULL,
    saved_by TEXT NOT NULL,
    PRIMARY KEY (economy_id, period, code)
);

-- The evidence behind one value (draft or submitted): a link, or a stored document (its
-- content in files, by SHA-256). A new attachment replaces the old one; the history of
-- attachments is in the audit log.
CREATE TABLE evidence (
    economy_id INTEGER NOT NULL REFERENCES economies (id),
    period TEXT NOT NULL,
    code TEXT NOT NULL,
    link TEXT,
    file_sha256 TEXT REFERENCES files (sha256),
    file_name TEXT,
    content_type TEXT,
    size BIGINT,
    added_at TEXT NOT NULL,
    added_by TEXT NOT NULL,
    PRIMARY KEY (economy_id, period, code)
);

-- Web submissions after the quarter's deadline are marked late (1).
ALTER TABLE value_history ADD COLUMN late INTEGER NOT NULL DEFAULT 0;
