-- Self-nominations. The economy row is created with status 'nominated' and becomes a
-- 'candidate' when an admin accepts it, or 'declined' (with the reason) when not.
CREATE TABLE nominations (
    economy_id INTEGER PRIMARY KEY REFERENCES economies (id),
    lead_name TEXT NOT NULL,
    lead_email TEXT NOT NULL,
    lead_role TEXT NOT NULL,
    vision TEXT NOT NULL,
    in_place TEXT NOT NULL,
    benefits TEXT NOT NULL,
    submitted_on TEXT NOT NULL,
    submitted_at TEXT NOT NULL,
    decision TEXT,
    reason TEXT,
    decided_by TEXT,
    decided_at TEXT
);

-- Member organisations of an economy: acute, community, mental health and ambulance
-- trusts, GP practices, social care.
CREATE TABLE organisations (
    id INTEGER PRIMARY KEY,
    economy_id INTEGER NOT NULL REFERENCES economies (id),
    name TEXT NOT NULL,
    ods_code TEXT,
    kind TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX organisations_economy ON organisations (economy_id);
