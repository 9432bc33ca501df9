-- 0006_outbox_and_submission_changes: the outbox of side effects on Discord, and changes to submitted evidence
-- kept but not yet sent (over the word limit).

-- Each side effect on Discord (a receipt, a forum post or its update, a decision told to a witness, a post to
-- delete after an erasure ...) is a row written in the same transaction as the change that causes it, then sent
-- and retried by the bot. ``key`` makes each effect happen once; rows of one ``subject`` go out in order.
CREATE TABLE outbox (
    id               INTEGER PRIMARY KEY,
    kind             TEXT NOT NULL,
    key              TEXT NOT NULL UNIQUE,
    subject          TEXT NOT NULL,
    payload          TEXT NOT NULL DEFAULT '{}',
    progress         TEXT NOT NULL DEFAULT '{}',
    state            TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TEXT NOT NULL,
    last_error       TEXT,
    created_at       TEXT NOT NULL,
    done_at          TEXT
);
CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
CREATE INDEX outbox_by_subject ON outbox (subject, id);

-- A change to submitted evidence that would take it over the word limit: kept, not sent, until it fits.
CREATE TABLE pending_answers (
    submission_id  INTEGER NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
    question_id    INTEGER NOT NULL REFERENCES questions (id),
    text           TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    PRIMARY KEY (submission_id, question_id)
);
