-- Who looks after each economy's values in the review queue: one member of board staff an
-- economy, chosen by themselves ("assign to me") or by an admin. Reviews of a value can be
-- undone for a minute by whoever made them; an undo is kept in `reviews` as outcome 'undone'.
CREATE TABLE review_assignments (
    economy_id BIGINT PRIMARY KEY REFERENCES economies (id),
    assignee TEXT NOT NULL,
    assigned_at TEXT NOT NULL,
    assigned_by TEXT NOT NULL
);
CREATE INDEX reviews_by ON reviews (reviewed_by, reviewed_at);
