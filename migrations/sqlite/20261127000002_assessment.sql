-- Reviews by board staff: every verification or return of a value, with the value reviewed
-- and, for a return, the reason the economy is shown.
CREATE TABLE reviews (
    id INTEGER PRIMARY KEY,
    economy_id INTEGER NOT NULL REFERENCES economies (id),
    period TEXT NOT NULL,
    code TEXT NOT NULL,
    value TEXT NOT NULL,
    outcome TEXT NOT NULL,
    reason TEXT,
    reviewed_at TEXT NOT NULL,
    reviewed_by TEXT NOT NULL
);
CREATE INDEX reviews_key ON reviews (economy_id, period, code);

-- Assessors' notes on an economy: internal, never public.
CREATE TABLE notes (
    id INTEGER PRIMARY KEY,
    economy_id INTEGER NOT NULL REFERENCES economies (id),
    body TEXT NOT NULL,
    written_at TEXT NOT NULL,
    written_by TEXT NOT NULL
);
CREATE INDEX notes_economy ON notes (economy_id);

-- Shortlist proposals (assessors) and the panel's decisions (admins). Rows are never
-- updated: a later one supersedes, both are kept. scores: the economy's score record
-- (scoring.md section 8) for the quarter it was based on.
CREATE TABLE decisions (
    id INTEGER PRIMARY KEY,
    economy_id INTEGER NOT NULL REFERENCES economies (id),
    outcome TEXT NOT NULL,
    rationale TEXT NOT NULL,
    period TEXT,
    scores TEXT NOT NULL,
    made_at TEXT NOT NULL,
    made_by TEXT NOT NULL
);
CREATE INDEX decisions_economy ON decisions (economy_id);

-- A decision made public on the economy's page (the decision itself stays as it was).
CREATE TABLE decision_publications (
    decision_id INTEGER PRIMARY KEY REFERENCES decisions (id),
    published_at TEXT NOT NULL,
    published_by TEXT NOT NULL
);

-- Submission deadlines the board moved from the framework's calendar.
CREATE TABLE deadline_plans (
    period TEXT PRIMARY KEY,
    due_on TEXT NOT NULL
);
