-- The last of their economy's messages from the board each person has seen (an outbox id),
-- so the header can count the new ones and the economy's page can mark them.
CREATE TABLE message_reads (
    user_id BIGINT PRIMARY KEY REFERENCES users (id),
    last_seen BIGINT NOT NULL,
    seen_at TEXT NOT NULL
);
