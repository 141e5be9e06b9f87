-- Site visits of the selection panel: an admin schedules a visit to a candidate of a
-- framework's round (the day, the members who go, what they will look at); after it the
-- findings for each panel question and the documents checked are recorded, and members
-- see them on the score sheet before they submit it.
CREATE TABLE panel_visits (
    id INTEGER PRIMARY KEY,
    framework TEXT NOT NULL,
    economy_id INTEGER NOT NULL REFERENCES economies (id),
    visit_on TEXT NOT NULL,
    scope TEXT NOT NULL,
    scheduled_at TEXT NOT NULL,
    scheduled_by TEXT NOT NULL,
    reported_at TEXT,
    reported_by TEXT,
    UNIQUE (framework, economy_id)
);

-- The members who go on a visit.
CREATE TABLE panel_visit_members (
    visit_id INTEGER NOT NULL REFERENCES panel_visits (id),
    user_id INTEGER NOT NULL REFERENCES users (id),
    PRIMARY KEY (visit_id, user_id)
);

-- What the visit found for each panel question.
CREATE TABLE panel_visit_findings (
    visit_id INTEGER NOT NULL REFERENCES panel_visits (id),
    question TEXT NOT NULL,
    finding TEXT NOT NULL,
    PRIMARY KEY (visit_id, question)
);

-- The documents the visit checked, in the order listed, with what it found in each.
CREATE TABLE panel_visit_documents (
    visit_id INTEGER NOT NULL REFERENCES panel_visits (id),
    position INTEGER NOT NULL,
    document TEXT NOT NULL,
    finding TEXT NOT NULL,
    PRIMARY KEY (visit_id, position)
);
