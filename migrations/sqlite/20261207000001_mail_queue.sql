-- The outbox becomes a delivery queue. Each message is queued in the transaction of the change
-- that causes it and sent later by the dispatcher (`exemplar serve`, or `exemplar mail send`).
-- Times here are the real clock (RFC 3339, UTC): they schedule delivery, not business.
--   state: queued (waiting to be sent, or to be tried again), sent, failed (given up after a
--   day of failures; an admin can resend it).
-- Messages kept before this change were written to the mail folder or never left: they count
-- as sent.
ALTER TABLE outbox ADD COLUMN state TEXT NOT NULL DEFAULT 'sent';
ALTER TABLE outbox ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN last_error TEXT;
ALTER TABLE outbox ADD COLUMN queued_at TEXT;
ALTER TABLE outbox ADD COLUMN next_attempt_at TEXT;
ALTER TABLE outbox ADD COLUMN sent_at TEXT;
-- A message with a one-time link names its token (by the hash now stored) and where the link
-- goes ('/invitations/{token}'). The token is minted again when the message is sent, so the
-- link exists only in the message that leaves; the body keeps a placeholder in its place.
ALTER TABLE outbox ADD COLUMN token_hash TEXT;
ALTER TABLE outbox ADD COLUMN link_path TEXT;
CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
