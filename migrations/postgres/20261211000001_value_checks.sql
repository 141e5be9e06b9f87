-- Checks as data is entered: when a value sets off one of the framework's checks, the
-- submitter's reason for it, kept with the draft and carried with the value it becomes (to
-- the board's review queue). NULL: no reason given, or none asked.
ALTER TABLE drafts ADD COLUMN reason TEXT;
ALTER TABLE criterion_values ADD COLUMN reason TEXT;
