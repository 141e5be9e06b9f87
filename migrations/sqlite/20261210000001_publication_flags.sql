-- Figures an economy questioned in the preview window before a quarter's publication, with
-- the board's answer: corrected, or kept with its reason. Never deleted.
CREATE TABLE publication_flags (
    id INTEGER PRIMARY KEY,
    economy_id INTEGER NOT NULL REFERENCES economies (id),
    period TEXT NOT NULL,
    figure TEXT NOT NULL,
    shown TEXT NOT NULL,
    reason TEXT NOT NULL,
    raised_by TEXT NOT NULL, -- the email of who raised it (as publications keep published_by)
    raised_at TEXT NOT NULL,
    outcome TEXT,
    answer TEXT,
    answered_by TEXT,
    answered_at TEXT
);
CREATE INDEX publication_flags_period ON publication_flags (period);
CREATE INDEX publication_flags_economy ON publication_flags (economy_id);
