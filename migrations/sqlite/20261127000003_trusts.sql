-- The trust EPR register: every NHS trust held to the epr-operational milestone, its EPR
-- status and the date that status needs (operational_date, or planned_date when deploying).
CREATE TABLE trusts (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    region TEXT NOT NULL,
    economy_id INTEGER REFERENCES economies (id),
    epr_status TEXT NOT NULL,
    operational_date TEXT,
    planned_date TEXT,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
);
CREATE INDEX trusts_economy ON trusts (economy_id);

-- Every change to a trust's entry: who, when, and what it became.
CREATE TABLE trust_history (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL,
    epr_status TEXT NOT NULL,
    operational_date TEXT,
    planned_date TEXT,
    changed_at TEXT NOT NULL,
    changed_by TEXT NOT NULL
);
CREATE INDEX trust_history_code ON trust_history (code);
