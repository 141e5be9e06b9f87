-- The evidence behind a trust's EPR status (a link, or a stored document by SHA-256), kept
-- with every change in the history too.
ALTER TABLE trusts ADD COLUMN evidence_link TEXT;
ALTER TABLE trusts ADD COLUMN evidence_sha256 TEXT REFERENCES files (sha256);
ALTER TABLE trusts ADD COLUMN evidence_name TEXT;
ALTER TABLE trust_history ADD COLUMN evidence_link TEXT;
ALTER TABLE trust_history ADD COLUMN evidence_sha256 TEXT;
ALTER TABLE trust_history ADD COLUMN evidence_name TEXT;

-- The contractual position agreed with a late or non-compliant trust: the date it agreed to
-- have an operational EPR by, what was agreed as possible and practical, and the consequence.
-- Rows are never edited: a later plan for the same trust supersedes. A plan is public once
-- board staff mark it so (published_at), and that is never undone.
CREATE TABLE remediation_plans (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL REFERENCES trusts (code),
    agreed_date TEXT NOT NULL,
    agreed TEXT NOT NULL,
    consequence TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    published_at TEXT,
    published_by TEXT
);
CREATE INDEX remediation_plans_code ON remediation_plans (code);
