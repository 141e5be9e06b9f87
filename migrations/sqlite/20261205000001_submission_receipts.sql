-- Receipts of submitted quarters: after checking their answers, a submitter submits the values
-- they confirm, and gets a receipt with a reference that lists exactly what was submitted.
CREATE TABLE submission_receipts (
    id INTEGER PRIMARY KEY,
    reference TEXT NOT NULL UNIQUE,
    economy_id INTEGER NOT NULL REFERENCES economies (id),
    period TEXT NOT NULL,
    submitted_at TEXT NOT NULL,
    submitted_by TEXT NOT NULL,
    late INTEGER NOT NULL,
    -- The lines as JSON: code, title, the value before and after, the evidence.
    lines TEXT NOT NULL
);
CREATE INDEX submission_receipts_economy ON submission_receipts (economy_id, period);
