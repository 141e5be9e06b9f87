-- Completing a quarter together. An economy names a lead (one of its submitters) who signs
-- each quarter off before it is submitted, when the economy has more than one submitter.
ALTER TABLE economies ADD COLUMN lead_user_id BIGINT REFERENCES users (id);

-- Themes (lower-case codes) or single criteria (upper-case codes) of a quarter, each
-- assigned to one colleague of the economy. A criterion's own assignment wins over its
-- theme's.
CREATE TABLE quarter_assignments (
    economy_id BIGINT NOT NULL REFERENCES economies (id),
    period TEXT NOT NULL,
    part TEXT NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users (id),
    assigned_by TEXT NOT NULL,
    assigned_at TEXT NOT NULL,
    PRIMARY KEY (economy_id, period, part)
);

-- The lead's sign-off of a quarter: "I have checked these values". signed holds a JSON
-- object of each draft's fingerprint (value, reason and evidence) as signed off, so a draft
-- changed since needs signing off again. The latest sign-off of a quarter replaces the one
-- before; every sign-off is in the audit log.
CREATE TABLE quarter_signoffs (
    economy_id BIGINT NOT NULL REFERENCES economies (id),
    period TEXT NOT NULL,
    signed TEXT NOT NULL,
    signed_by TEXT NOT NULL,
    signed_at TEXT NOT NULL,
    PRIMARY KEY (economy_id, period)
);
