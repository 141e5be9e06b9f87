-- A document attached to a post of a question (either side may attach one): its name as
-- uploaded and the stored file (`files`, by SHA-256). Checked as evidence is: PDF, Word,
-- Excel, PNG or JPEG by content, up to 10 MB. Internal, like the thread.
ALTER TABLE question_posts ADD COLUMN document_name TEXT;
ALTER TABLE question_posts ADD COLUMN document_sha256 TEXT;
