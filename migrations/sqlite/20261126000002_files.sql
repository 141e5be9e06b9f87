-- Stored files (evidence documents), by the SHA-256 of their content: every instance reaches
-- them through the database, none is on an instance's disk, and identical uploads are kept
-- once. Never served from a public path: handlers check who may download each one.
CREATE TABLE files (
    sha256 TEXT PRIMARY KEY,
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    content BLOB NOT NULL,
    created_at TEXT NOT NULL
);
