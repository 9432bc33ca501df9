-- 0008_redactions_and_corrections: redactions of any part of the record (named by the kind and id of what they
-- redact, and undone with a reason rather than deleted), automatic redactions noted once per passage, and
-- corrections of passages of a session's recording beside those of answers posted in its thread.

-- A redaction belongs to a submission (a written answer, a recording's transcript, a document) or to a session (an
-- answer posted in its thread, a passage of its recording). target_id: the question's id for a written answer, the
-- media item's, the document's, the session answer's, or the first segment of the recorded passage.
CREATE TABLE redactions_generic (
    id              INTEGER PRIMARY KEY,
    target_kind     TEXT NOT NULL DEFAULT 'answer'
                    CHECK (target_kind IN ('answer', 'media_item', 'document', 'session_answer', 'segment')),
    target_id       INTEGER NOT NULL,
    submission_id   INTEGER REFERENCES submissions (id) ON DELETE CASCADE,
    session_id      INTEGER REFERENCES sessions (id),
    question_id     INTEGER REFERENCES questions (id),
    passage         TEXT NOT NULL,
    reason          TEXT NOT NULL,
    actor_id        INTEGER NOT NULL,
    created_at      TEXT NOT NULL,
    removed_at      TEXT,
    removed_by      INTEGER,
    removed_reason  TEXT,
    CHECK ((submission_id IS NULL) <> (session_id IS NULL)),
    CHECK ((target_kind = 'answer') = (question_id IS NOT NULL))
);
INSERT INTO redactions_generic (id, target_kind, target_id, submission_id, question_id, passage, reason, actor_id,
                                created_at)
    SELECT id, 'answer', question_id, submission_id, question_id, passage, reason, actor_id, created_at
    FROM redactions;
DROP TABLE redactions;
ALTER TABLE redactions_generic RENAME TO redactions;
CREATE INDEX redactions_by_submission ON redactions (submission_id);
CREATE INDEX redactions_by_session ON redactions (session_id);

-- Personal data the exports took out on their own: one row per passage (its target and a hash of its words), so
-- that exporting again does not log it again.
CREATE TABLE automatic_redactions (
    key            TEXT PRIMARY KEY,
    inquiry_id     INTEGER NOT NULL REFERENCES inquiries (id),
    submission_id  INTEGER REFERENCES submissions (id) ON DELETE CASCADE,
    session_id     INTEGER REFERENCES sessions (id),
    kind           TEXT NOT NULL,
    location       TEXT NOT NULL,
    first_at       TEXT NOT NULL
);
CREATE INDEX automatic_redactions_by_submission ON automatic_redactions (submission_id);

-- A correction is of an answer posted in the thread (answer_id) or of a passage of the recording: the run of a
-- witness's recorded speech starting at segment_id, whose segments segment_ids lists (JSON).
CREATE TABLE session_corrections_generic (
    id             INTEGER PRIMARY KEY,
    answer_id      INTEGER REFERENCES session_answers (id),
    segment_id     INTEGER REFERENCES session_transcript_segments (id) ON DELETE CASCADE,
    segment_ids    TEXT NOT NULL DEFAULT '[]',
    session_id     INTEGER NOT NULL REFERENCES sessions (id),
    user_id        INTEGER NOT NULL,
    original_text  TEXT NOT NULL,
    proposed_text  TEXT NOT NULL,
    status         TEXT NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed', 'approved', 'declined')),
    reason         TEXT,
    proposed_at    TEXT NOT NULL,
    decided_by     INTEGER,
    decided_at     TEXT,
    CHECK ((answer_id IS NULL) <> (segment_id IS NULL))
);
INSERT INTO session_corrections_generic (id, answer_id, session_id, user_id, original_text, proposed_text, status,
                                         reason, proposed_at, decided_by, decided_at)
    SELECT id, answer_id, session_id, user_id, original_text, proposed_text, status, reason, proposed_at, decided_by,
           decided_at
    FROM session_corrections;
DROP TABLE session_corrections;
ALTER TABLE session_corrections_generic RENAME TO session_corrections;
CREATE UNIQUE INDEX one_pending_correction ON session_corrections (answer_id) WHERE status = 'proposed';
CREATE UNIQUE INDEX one_pending_passage_correction ON session_corrections (segment_id) WHERE status = 'proposed';
CREATE INDEX corrections_by_session ON session_corrections (session_id, status);
