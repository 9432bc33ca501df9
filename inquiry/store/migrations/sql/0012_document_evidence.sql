-- 0012_document_evidence: written evidence given as a file (.docx, .odt, .rtf, .txt, .md, a PDF with a text layer).
-- The original is kept in the media folder under its SHA-256 (path: relative to that folder); what was read from it
-- (its blocks and text, as JSON) is kept beside it, so that nothing is read twice. A document stands as one statement
-- or, when it answers the inquiry's questions by their numbers and the witness chose so, as answers under them
-- (split: the blocks by question id, and the text before the first answer). words: what it adds to the evidence.
-- A document the witness took back out is kept, marked removed, until their evidence is erased or their draft
-- withdrawn: originals are evidence.
CREATE TABLE documents (
    id                  INTEGER PRIMARY KEY,
    submission_id       INTEGER NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
    user_id             INTEGER,
    sha256              TEXT NOT NULL,
    path                TEXT NOT NULL,
    filename            TEXT NOT NULL,
    content_type        TEXT,
    format              TEXT NOT NULL CHECK (format IN ('docx', 'odt', 'rtf', 'txt', 'md', 'pdf')),
    size_bytes          INTEGER NOT NULL,
    page_count          INTEGER,
    content_json        TEXT NOT NULL,
    split_json          TEXT,
    use                 TEXT NOT NULL DEFAULT 'statement' CHECK (use IN ('statement', 'answers')),
    words               INTEGER NOT NULL,
    source              TEXT NOT NULL CHECK (source IN ('form', 'direct_message', 'upload')),
    discord_message_id  INTEGER,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    removed_at          TEXT,
    CHECK (use = 'statement' OR split_json IS NOT NULL)
);
CREATE INDEX documents_by_submission ON documents (submission_id);
-- The same file given twice with the same evidence is one document.
CREATE UNIQUE INDEX one_copy_of_a_document ON documents (submission_id, sha256) WHERE removed_at IS NULL;
