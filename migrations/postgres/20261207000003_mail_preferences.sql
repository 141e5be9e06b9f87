-- What each person wants of the messages they can turn down: deadline reminders and
-- publication notices, each 'now' (as they happen), 'weekly' (in a weekly summary) or 'off'.
-- Messages about their account, decisions, returned values and questions always go.
CREATE TABLE mail_preferences (
    user_id BIGINT PRIMARY KEY REFERENCES users (id),
    reminders TEXT NOT NULL,
    publications TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
-- What a message is, for those preferences: service (always sent), reminder or publication.
-- New states besides queued, sent and failed: held (for the weekly summary), summarised (sent
-- in one) and skipped (the recipient turned these off).
ALTER TABLE outbox ADD COLUMN category TEXT NOT NULL DEFAULT 'service';
