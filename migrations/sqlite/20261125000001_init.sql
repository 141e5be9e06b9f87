-- Frameworks: every loaded version is kept; the newest is active.
CREATE TABLE frameworks (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL,
    version INTEGER NOT NULL,
    name TEXT NOT NULL,
    source TEXT NOT NULL,
    definition TEXT NOT NULL,
    loaded_at TEXT NOT NULL,
    loaded_by TEXT NOT NULL,
    UNIQUE (code, version)
);

-- Local health economies. status: candidate (imported, or a nomination accepted).
CREATE TABLE economies (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    region TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'candidate',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- One value per economy, quarter and criterion (or benefit) code, in canonical text.
CREATE TABLE criterion_values (
    economy_id INTEGER NOT NULL REFERENCES economies (id),
    period TEXT NOT NULL,
    code TEXT NOT NULL,
    value TEXT NOT NULL,
    status TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    PRIMARY KEY (economy_id, period, code)
) WITHOUT ROWID; -- SQLite: the key is the table, so bulk imports write one b-tree, not two

-- Every replacement of a value: who, when, old and new.
CREATE TABLE value_history (
    id INTEGER PRIMARY KEY,
    economy_id INTEGER NOT NULL REFERENCES economies (id),
    period TEXT NOT NULL,
    code TEXT NOT NULL,
    old_value TEXT,
    old_status TEXT,
    new_value TEXT NOT NULL,
    new_status TEXT NOT NULL,
    changed_at TEXT NOT NULL,
    changed_by TEXT NOT NULL
);
CREATE INDEX value_history_key ON value_history (economy_id, period, code);

-- Published quarters: revision 0 is the first publication, later ones are revisions.
-- published_on is the programme's date (--today); published_at the real clock.
-- figures holds the scores document as published (scoring.md section 8).
CREATE TABLE publications (
    id INTEGER PRIMARY KEY,
    period TEXT NOT NULL,
    revision INTEGER NOT NULL,
    published_on TEXT NOT NULL,
    published_at TEXT NOT NULL,
    published_by TEXT NOT NULL,
    reason TEXT,
    framework_code TEXT NOT NULL,
    framework_version INTEGER NOT NULL,
    figures TEXT NOT NULL,
    changes TEXT,
    UNIQUE (period, revision)
);

-- Planned publication dates the board set; otherwise end of quarter + publication_days.
CREATE TABLE publication_plans (
    period TEXT PRIMARY KEY,
    planned_on TEXT NOT NULL
);
