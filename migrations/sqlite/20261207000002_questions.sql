-- Conversations between the board and an economy: a question about a value (and its
-- evidence), a trust's EPR entry, the nomination or the economy in general, answered on the
-- same thread, closed by the board when resolved. Internal: never public, never open data.
--   about_kind: value, trust, nomination, general; about_ref: the criterion and quarter
--   (EPMA@2015-Q1), the trust's ODS code, or ''; about_title: as people read it.
--   state: waiting-economy (the board asked or replied), waiting-board (the economy
--   answered), resolved.
-- Times are business time (the programme's clock).
CREATE TABLE questions (
    id INTEGER PRIMARY KEY,
    economy_id INTEGER NOT NULL REFERENCES economies (id),
    about_kind TEXT NOT NULL,
    about_ref TEXT NOT NULL,
    about_title TEXT NOT NULL,
    state TEXT NOT NULL,
    asked_by TEXT NOT NULL,
    asked_at TEXT NOT NULL,
    resolved_by TEXT,
    resolved_at TEXT
);
CREATE INDEX questions_economy ON questions (economy_id, state);

-- side: board or economy. link: an https address given with the post.
CREATE TABLE question_posts (
    id INTEGER PRIMARY KEY,
    question_id INTEGER NOT NULL REFERENCES questions (id),
    author TEXT NOT NULL,
    side TEXT NOT NULL,
    body TEXT NOT NULL,
    link TEXT,
    posted_at TEXT NOT NULL
);
CREATE INDEX question_posts_question ON question_posts (question_id);

-- The last post of a question each person has seen, and when.
CREATE TABLE question_reads (
    question_id INTEGER NOT NULL REFERENCES questions (id),
    user_id INTEGER NOT NULL REFERENCES users (id),
    last_post INTEGER NOT NULL,
    read_at TEXT NOT NULL,
    PRIMARY KEY (question_id, user_id)
);
