-- The audit log keeps both clocks: `at` is business time (the programme's clock, shown to
-- people and filtered on), `recorded_at` the real clock's time of recording. Entries made
-- before this have only `at`. Neither column is changed after insert (the log refuses
-- UPDATE and DELETE).
ALTER TABLE audit_log ADD COLUMN recorded_at TEXT;
