-- The selection panel (spec/panel.md). Rows of conflicts and score changes are never
-- deleted: a withdrawal fills the withdrawn_* columns, a change adds a row.

-- Conflicts of interest a member declared with an economy; in force until withdrawn.
CREATE TABLE panel_conflicts (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    economy_id INTEGER NOT NULL REFERENCES economies (id),
    reason TEXT NOT NULL,
    declared_at TEXT NOT NULL,
    declared_by TEXT NOT NULL,
    withdrawn_at TEXT,
    withdrawn_by TEXT,
    withdrawn_reason TEXT
);
CREATE INDEX panel_conflicts_member ON panel_conflicts (user_id, economy_id);

-- A member's score for one economy and one question of a framework's panel. submitted_at
-- null: still the member's draft. justification: the member's answer to an outlier.
CREATE TABLE panel_scores (
    id INTEGER PRIMARY KEY,
    framework TEXT NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users (id),
    economy_id INTEGER NOT NULL REFERENCES economies (id),
    question TEXT NOT NULL,
    score INTEGER NOT NULL,
    comment TEXT NOT NULL,
    justification TEXT,
    submitted_at TEXT,
    updated_at TEXT NOT NULL,
    UNIQUE (framework, user_id, economy_id, question)
);
CREATE INDEX panel_scores_economy ON panel_scores (framework, economy_id);

-- Every change to a submitted score (moderation with the member's reason, or a later
-- import), with the score before and after.
CREATE TABLE panel_score_changes (
    id INTEGER PRIMARY KEY,
    score_id INTEGER NOT NULL REFERENCES panel_scores (id),
    old_score INTEGER NOT NULL,
    new_score INTEGER NOT NULL,
    old_comment TEXT NOT NULL,
    reason TEXT NOT NULL,
    changed_at TEXT NOT NULL,
    changed_by TEXT NOT NULL
);
CREATE INDEX panel_score_changes_score ON panel_score_changes (score_id);

-- A framework's panel round, opened by an admin for the shortlisted candidates with the
-- members who sit on it, and closed once every outlier is answered and every member has
-- confirmed the declaration of interests.
CREATE TABLE panel_rounds (
    framework TEXT PRIMARY KEY,
    opened_at TEXT NOT NULL,
    opened_by TEXT NOT NULL,
    closed_at TEXT,
    closed_by TEXT
);

-- Who sits on a round; declared_at: when the member confirmed "I have declared every
-- conflict".
CREATE TABLE panel_members (
    framework TEXT NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users (id),
    declared_at TEXT,
    PRIMARY KEY (framework, user_id)
);

-- The candidates a round scores: the economies shortlisted when it opened.
CREATE TABLE panel_candidates (
    framework TEXT NOT NULL,
    economy_id INTEGER NOT NULL REFERENCES economies (id),
    PRIMARY KEY (framework, economy_id)
);
